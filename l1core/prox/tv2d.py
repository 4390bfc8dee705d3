"""2-D (anisotropic) total variation on a grid: denoising an image, certified by a duality gap.

    TV2(u) = sum_{i,j} lam_r |u_{i,j+1} - u_{i,j}| + lam_c |u_{i+1,j} - u_{i,j}|,
    prox(y) = argmin_u 1/2 ||u - y||^2 + TV2(u)

is the sum of two penalties whose proxes are exact: the 1-D TV of every row and of every
column (Condat's algorithm, compiled). Its dual, with R = {D_r^T z : |z| <= lam_r} (every row a
1-D TV dual point) and C the same for the columns,

    min_{p in R, q in C}  Phi(p, q) = 1/2 ||y - p - q||^2,      u = y - p - q,

is solved by alternating exact minimization (``p = proj_R(y - q)``, ``q = proj_C(y - p)``,
each projection ``v - prox_TV(v)`` by Moreau's identity) accelerated as FISTA on ``q``
(alternating minimization of a two-block quadratic coupling is a forward-backward step of
step 1 on q: Chambolle & Pock 2015), with a restart whenever Phi increases (O'Donoghue &
Candes 2015). The certificate: P(u) - P* <= P(u) - D(p, q), D = 1/2 ||y||^2 - Phi(p, q), with
p and q first moved exactly into R and C (row / column sums made zero, then scaled into the
ball) so that rounding cannot overstate the bound. It stops when the gap is at most
``tol * 1/2 ||y - mean(y)||^2`` (the objective of the constant image, which bounds P*).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .._typing import Any
from .._validation import check_alpha
from . import _backend as b
from .elementwise import _host

__all__ = ["prox_tv2d", "tv2d_norm", "TV2DResult"]


@dataclass
class TV2DResult:
    """The 2-D TV prox and its certificate: ``objective - min <= dual_gap``."""

    solution: np.ndarray
    objective: float
    dual_gap: float
    n_iter: int


def _weights(lam):
    if np.ndim(lam) == 0:
        lam = check_alpha(lam, "lam")
        return lam, lam
    pair = np.asarray(lam, dtype=np.float64)
    if pair.shape != (2,):
        raise ValueError(f"lam must be a number or a pair (along rows, along columns), "
                         f"got {lam!r}.")
    return check_alpha(pair[0], "lam[0]"), check_alpha(pair[1], "lam[1]")


def tv2d_norm(x: Any, lam: Any = 1.0) -> float:
    """``lam_r sum |x_{i,j+1} - x_{i,j}| + lam_c sum |x_{i+1,j} - x_{i,j}|`` (lam a number
    or the pair (lam_r, lam_c)).

    Examples
    --------
    >>> import numpy as np
    >>> from l1core.prox import tv2d_norm
    >>> tv2d_norm(np.array([[0.0, 1.0], [2.0, 3.0]]))      # rows 1 + 1, columns 2 + 2
    6.0
    """
    lr, lc = _weights(lam)
    x = _host(x).astype(np.float64)
    if x.ndim != 2:
        raise ValueError(f"tv2d_norm needs a 2-D array, got shape {x.shape}.")
    return float(lr * np.abs(np.diff(x, axis=1)).sum() + lc * np.abs(np.diff(x, axis=0)).sum())


def _project(v, lam, out):
    """out <- proj of every row of v onto {D^T z : |z| <= lam} (v - prox_{lam TV}(v))."""
    b.kernels.tv1d_rows(v, lam, out)
    np.subtract(v, out, out=out)
    return out


def _into_ball(P, lam):
    """P moved exactly into {D^T z : |z| <= lam} row by row: row sums made zero, then each
    row scaled by min(1, lam / max_k |cumsum_k|) (a no-op but for rounding)."""
    P = P - P.mean(axis=1, keepdims=True)
    c = np.abs(np.cumsum(P, axis=1)[:, :-1]).max(axis=1, initial=0.0) if P.shape[1] > 1 else (
        np.zeros(P.shape[0]))
    scale = np.where(c > lam, lam / np.where(c > 0, c, 1.0), 1.0)
    return P * scale[:, None]


def _gap(y, p, q, lr, lc, l1=0.0):
    """(P(u), P(u) - D) at u = soft(y - p - q, l1), p and q moved into their balls first.
    With the l1 part's dual point l = clip(y - p - q, -l1, l1): y - p - q - l = u, and
    D = 1/2 ||y||^2 - 1/2 ||y - p - q - l||^2 (l1 = 0: l = 0)."""
    ps = _into_ball(p, lr) if lr > 0 else np.zeros_like(p)
    qs = _into_ball(q.T, lc).T if lc > 0 else np.zeros_like(q)
    v = y - ps - qs
    u = np.sign(v) * np.maximum(np.abs(v) - l1, 0.0) if l1 > 0 else v
    primal = 0.5 * float(np.sum((u - y) ** 2)) + lr * float(np.abs(np.diff(u, axis=1)).sum()) \
        + lc * float(np.abs(np.diff(u, axis=0)).sum()) + l1 * float(np.abs(u).sum())
    dual = 0.5 * float(np.sum(y * y)) - 0.5 * float(np.sum(u * u))
    return primal, u, (max(primal - dual, 0.0) if np.isfinite(primal - dual) else np.inf)


def prox_tv2d(x: Any, lam: Any, *, l1: float = 0.0, tol: float = 1e-8, max_iter: int = 2000,
              gap_every: int = 10, return_info: bool = False) -> Any:
    """The prox of 2-D anisotropic total variation at a 2-D array ``x`` (an image):
    ``argmin_u 1/2 ||u - x||^2 + lam_r sum |u_{i,j+1} - u_{i,j}| + lam_c sum |u_{i+1,j} -
    u_{i,j}|`` (+ ``l1 ||u||_1``: the 2-D Fused Lasso signal approximator), lam a number
    (both) or the pair ``(lam_r, lam_c)``. The l1 part is exact on top of the TV prox:
    soft-thresholding by l1 keeps the TV subgradients valid on any graph (soft-thresholding
    is monotone; Friedman, Hastie, Hoefling & Tibshirani 2007), and the gap certifies the
    whole objective.

    Solved in float64 by accelerated alternating projections on the dual (module docstring),
    each iteration one exact 1-D TV prox of every row and every column; stopped when the
    duality gap, evaluated every ``gap_every`` iterations, is at most ``tol`` times
    ``1/2 ||x - mean(x)||^2`` (with l1: the smaller of the best constant's and 0's objective).
    Returns the solution in x's dtype (and, with
    ``return_info=True``, a :class:`TV2DResult` with the objective, the duality gap and the
    iterations instead). Other array-API arrays are solved on a NumPy copy and converted
    back. A row or column of length 1 has no differences: a 1 x n image is the 1-D prox.
    Memory: about eight float64 arrays of x's size.

    Examples
    --------
    >>> import numpy as np
    >>> from l1core.prox import prox_tv2d
    >>> img = np.zeros((4, 4)); img[:2, :2] = 4.0
    >>> np.round(prox_tv2d(img, 0.5), 3)
    array([[3.5  , 3.5  , 0.167, 0.167],
           [3.5  , 3.5  , 0.167, 0.167],
           [0.167, 0.167, 0.167, 0.167],
           [0.167, 0.167, 0.167, 0.167]])
    """
    lr, lc = _weights(lam)
    l1 = check_alpha(l1, "l1")
    tol = float(tol)
    if not tol >= 0.0:
        raise ValueError(f"tol must be >= 0, got {tol!r}.")
    if int(max_iter) < 1 or int(gap_every) < 1:
        raise ValueError("max_iter and gap_every must be positive integers.")
    xp, is_numpy = b.namespace(x)
    if not is_numpy:
        b.xp_check(xp, x)
        res = prox_tv2d(np.array(b.to_numpy(x)), (lr, lc), l1=l1, tol=tol,
                        max_iter=max_iter, gap_every=gap_every, return_info=True)
        sol = b.from_numpy(xp, res.solution, x)
        return TV2DResult(sol, res.objective, res.dual_gap, res.n_iter) if return_info else sol
    x = b.numpy_input(x)
    if x.ndim != 2:
        raise ValueError(f"prox_tv2d needs a 2-D array, got shape {x.shape}.")
    if not np.all(np.isfinite(x)):
        raise ValueError("prox_tv2d: x holds NaN or infinite values.")
    res = _solve(np.array(x, dtype=np.float64, order="C"), lr, lc, l1, tol, int(max_iter),
                 int(gap_every))
    res.solution = res.solution.astype(x.dtype, copy=False)
    return res if return_info else res.solution


def _solve(y, lr, lc, l1, tol, max_iter, gap_every):
    m, n = y.shape
    yT = np.ascontiguousarray(y.T)
    p = np.zeros_like(y)                    # in R: row-wise dual point
    qT = np.zeros_like(yT)                  # in C, stored transposed (columns as rows)
    q_bar, q_old = qT.copy(), qT.copy()
    vT, v = np.empty_like(yT), np.empty_like(y)
    t, phi_old = 1.0, np.inf
    # an upper bound of P*: the objective of the best constant image (or of 0)
    scale = 0.5 * float(np.sum((y - y.mean()) ** 2)) + l1 * y.size * abs(float(y.mean()))
    if l1 > 0:
        scale = min(scale, 0.5 * float(np.sum(y * y)))
    objective, gap, it = np.inf, np.inf, 0
    for it in range(1, max_iter + 1):
        # p = proj_R(y - q_bar), then q = proj_C(y - p)
        if lr > 0 and n > 1:
            np.subtract(y, q_bar.T, out=v)
            _project(v, lr, p)
        q_old[...] = qT
        if lc > 0 and m > 1:
            np.subtract(yT, p.T, out=vT)
            _project(vT, lc, qT)
        phi = float(np.sum((yT - p.T - qT) ** 2))
        if phi > phi_old:                   # restart the momentum
            t = 1.0
            q_bar[...] = qT
        else:
            t_next = 0.5 * (1.0 + np.sqrt(1.0 + 4.0 * t * t))
            np.subtract(qT, q_old, out=q_bar)
            q_bar *= (t - 1.0) / t_next
            q_bar += qT
            t = t_next
        phi_old = phi
        if it % gap_every == 0 or it == max_iter:
            objective, u, gap = _gap(y, p, qT.T, lr, lc, l1)
            if gap <= tol * scale:
                break
    return TV2DResult(u, objective, gap, it)
