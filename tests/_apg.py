"""An independent reference optimum: accelerated proximal gradient (FISTA) in plain NumPy.

Solves the contract of design.md section 2 (sw = s / S the normalized sample weights),

    min_{W, b}  F(X W^T + 1 b^T) + sum_{k, j} h_j(W_kj),
    h_j(w) = a_j |w| + c_j w^2 / 2 + [l_j <= w <= u_j],

for three smooth losses F of the linear predictor Z (n, K):

    squared      1/2 sum_i sw_i (y_i - z_i)^2                          K = 1
    logistic     sum_i sw_i log(1 + exp(-y_i z_i)),  y_i = +-1          K = 1
    multinomial  sum_i sw_i (logsumexp_k z_ik - z_{i, y_i})             K classes

by FISTA (Beck & Teboulle 2009) with a backtracking step and function-value restart
(O'Donoghue & Candes 2015). It shares nothing with the coordinate-descent kernels but the
objective. The prox of h_j is exact: a convex function of one variable restricted to an
interval is minimized at the projection of its unconstrained minimizer, so
``prox_{t h}(z) = clip(soft(z, t a) / (1 + t c), l, u)``.

The problem is solved in an exactly equivalent parametrization that is well conditioned
whatever the data's scale (columns scaled by 1e-8 or 1e8, column means far above their spread,
y scaled): with an intercept the columns are centered at their sw-means (b' = b + W xbar);
column j is divided by its sw-norm d_j (u = d_j w: a_j / d_j, c_j / d_j^2, bounds times d_j);
the squared loss's y is divided by its spread sigma (w / sigma, a / sigma, objective / sigma^2).
A column with d_j = 0 does not enter the loss: its coefficient minimizes h_j alone.

Groups (squared loss): ``groups`` (disjoint index arrays) and ``group_c`` add
``sum_g group_c[g] ||w_g||_2`` to the penalty (with ``a`` the l1 part and ``c`` the ridge
gamma, constant over a group: the sparse-group elastic net of l1core._group_solver). The prox
of a group, bounds [0, inf) or none, is exact: the group shrinkage of the elementwise prox,
``max(1 - t' group_c / ||u||, 0) u`` with ``u = prox(z, t, a, c)`` and ``t' = t / (1 + t c)``
(the l2 norm's prox keeps the sign pattern and the orthant of its argument). Its columns are
scaled by one d_g per group (their rms sw-norm), which keeps the group norm a group norm.
"""

from dataclasses import dataclass

import numpy as np
import scipy.sparse as sp
from scipy.special import expit, logsumexp

LOSSES = ("squared", "logistic", "multinomial")
_CURVATURE = {"squared": 1.0, "logistic": 0.25, "multinomial": 0.5}   # bound on F'' per sw_i


@dataclass
class Reference:
    """A reference solution: W (K, p) and b (K,) in the user's coordinates, ``objective`` the
    value of P there (computed in the well-conditioned coordinates, so without the rounding
    of large column means), ``n_iter`` FISTA steps and ``converged`` (the prox-gradient step
    fell below ``gtol``)."""

    W: np.ndarray
    b: np.ndarray
    objective: float
    n_iter: int
    converged: bool


def prox(z, t, a, c, lo, hi):
    """prox_{t h}(z) = argmin_w (w - z)^2 / (2 t) + a|w| + c w^2 / 2 on [lo, hi], elementwise."""
    soft = np.sign(z) * np.maximum(np.abs(z) - t * a, 0.0) / (1.0 + t * c)
    return np.clip(soft, lo, hi)


class _Loss:
    """F and its gradient in Z for one of :data:`LOSSES` (Z of shape (n, K))."""

    def __init__(self, loss, target, sw, n_classes):
        self.loss, self.sw = loss, sw
        if loss == "multinomial":
            self.Y = np.eye(n_classes)[np.asarray(target, dtype=np.intp)]
        elif loss == "logistic":
            self.y = np.where(np.asarray(target) > 0, 1.0, -1.0)[:, None]
        else:
            self.y = np.asarray(target, dtype=np.float64)[:, None]

    def value(self, Z):
        if self.loss == "squared":
            return 0.5 * float(self.sw @ ((self.y - Z)[:, 0] ** 2))
        if self.loss == "logistic":
            return float(self.sw @ np.logaddexp(0.0, -self.y * Z)[:, 0])
        return float(self.sw @ (logsumexp(Z, axis=1) - np.sum(self.Y * Z, axis=1)))

    def gradient(self, Z):
        """dF/dZ (n, K)."""
        if self.loss == "squared":
            return -self.sw[:, None] * (self.y - Z)
        if self.loss == "logistic":
            return -self.sw[:, None] * self.y * expit(-self.y * Z)
        P = np.exp(Z - logsumexp(Z, axis=1, keepdims=True))
        return self.sw[:, None] * (P - self.Y)


def _group_shrink(U, t, c, groups, group_c):
    """The group part of the prox (see the module docstring) applied to U (1, p) in place."""
    for idx, cg in zip(groups, group_c):
        if cg > 0:
            u = U[0, idx]
            norm = np.linalg.norm(u)
            shrink = t * cg / (1.0 + t * c[idx[0]])
            U[0, idx] = 0.0 if norm <= shrink else (1.0 - shrink / norm) * u
    return U


def _per_group(d, live, groups):
    """One scale per group: the rms of its live columns' d (1 where none is live)."""
    d = d.copy()
    for idx in groups:
        alive = idx[live[idx]]
        d[idx] = np.sqrt(np.mean(d[alive] ** 2)) if alive.size else 1.0
    return d


def solve(loss, X, target, *, sample_weight=None, a, c, lower=None, upper=None,
          fit_intercept=True, n_classes=None, W0=None, b0=None, max_iter=20000, gtol=1e-12,
          groups=None, group_c=None):
    """The reference optimum of ``loss`` (one of :data:`LOSSES`) as a :class:`Reference`.

    X: dense or sparse (n, p), read in float64; target: y (squared), labels with the positive
    class > 0 (logistic) or codes in [0, n_classes) (multinomial); a, c, lower, upper: (p,)
    or scalars; W0, b0: a start ((K, p) or (p,), (K,) or scalar), projected into the bounds.
    ``gtol`` bounds the prox-gradient step in the normalized coordinates at convergence.
    """
    Xd = np.array(X.toarray() if sp.issparse(X) else X, dtype=np.float64)
    n, p = Xd.shape
    K = n_classes if loss == "multinomial" else 1
    s = np.ones(n) if sample_weight is None else np.asarray(sample_weight, dtype=np.float64)
    sw = s / s.sum()
    a, c = (np.broadcast_to(np.asarray(t, dtype=np.float64), (p,)) for t in (a, c))
    lo = np.broadcast_to(np.asarray(-np.inf if lower is None else lower, float), (p,))
    hi = np.broadcast_to(np.asarray(np.inf if upper is None else upper, float), (p,))

    # the well-conditioned coordinates: A = (X - xbar) / d, u = d w / sigma
    xbar = sw @ Xd if fit_intercept else np.zeros(p)
    A = Xd - xbar
    d = np.sqrt(sw @ A**2)
    live = d > 1e-14 * np.maximum(np.abs(Xd).max(axis=0, initial=0.0), 1e-300)
    d = np.where(live, d, 1.0)
    groups = [] if groups is None else [np.asarray(idx, dtype=np.intp) for idx in groups]
    if groups:
        d = _per_group(d, live, groups)
    A = np.where(live, A / d, 0.0)
    sigma, y = 1.0, target
    if loss == "squared":
        y = np.asarray(target, dtype=np.float64)
        ybar = float(sw @ y) if fit_intercept else 0.0
        sigma = float(np.sqrt(sw @ (y - ybar) ** 2)) or 1.0
        y = (y - ybar) / sigma   # with centered columns the best intercept is ybar exactly
    F = _Loss(loss, y, sw, K)
    an, cn = a / (d * sigma), c / d**2
    lon, hin = lo * d / sigma, hi * d / sigma
    gcn = [] if not groups else [cg / (d[idx[0]] * sigma) for idx, cg in zip(groups, group_c)]
    with_b = fit_intercept and loss != "squared"

    def split(x):
        return x[:K * p].reshape(K, p), x[K * p:]

    def predictor(x):
        U, b = split(x)
        Z = A @ U.T
        return Z + b if with_b else Z

    def smooth(x):
        return F.value(predictor(x))

    def gradient(Z):
        G = F.gradient(Z)
        return np.concatenate([(G.T @ A).ravel(), G.sum(axis=0) if with_b else []])

    def prox_x(x, t):
        U, b = split(x)
        U = _group_shrink(prox(U, t, an, cn, lon, hin), t, cn, groups, gcn)
        return np.concatenate([U.ravel(), b])

    def penalty(x):
        U = split(x)[0]
        return float(np.sum(an * np.abs(U) + 0.5 * cn * U**2)) + sum(
            cg * np.linalg.norm(U[0, idx]) for idx, cg in zip(groups, gcn))

    # the start, in normalized coordinates; dead columns minimize h_j alone (w closest to 0)
    U0 = np.zeros((K, p)) if W0 is None else np.reshape(np.asarray(W0, float), (K, p)) * d
    U0 = np.where(live, U0 / sigma, 0.0)
    U0 = np.clip(U0, lon, hin)
    bstart = np.zeros(K) if b0 is None else np.broadcast_to(np.asarray(b0, float), (K,))
    bstart = bstart + (U0 * sigma / d) @ xbar if with_b else np.zeros(K if with_b else 0)
    x = prox_x(np.concatenate([U0.ravel(), bstart]), 0.0)

    M = np.column_stack([A, np.ones(n)]) * np.sqrt(sw)[:, None]
    L = _CURVATURE[loss] * max(np.linalg.norm(M, 2) ** 2, 1e-300)
    fx = smooth(x) + penalty(x)
    z, t, converged, it = x.copy(), 1.0, False, 0
    for it in range(1, max_iter + 1):
        Zz = predictor(z)
        fz, gz = F.value(Zz), gradient(Zz)
        L *= 0.9          # let the step grow again where the curvature is lower
        while True:
            xn = prox_x(z - gz / L, 1.0 / L)
            step = xn - z
            fxn_smooth = smooth(xn)
            if fxn_smooth <= fz + gz @ step + 0.5 * L * (step @ step) + 1e-15 * abs(fz):
                break
            L *= 2.0
        small = np.max(np.abs(step), initial=0.0) * L <= gtol
        fxn = fxn_smooth + penalty(xn)
        if fxn > fx:
            # a momentum step that increases the objective restarts the momentum; a plain
            # step that does is rounding: the iterate is optimal to working precision
            if t == 1.0 or small:
                converged = True
                break
            z, t = x.copy(), 1.0
            continue
        tn = 0.5 * (1.0 + np.sqrt(1.0 + 4.0 * t * t))
        z = xn + ((t - 1.0) / tn) * (xn - x)
        x, fx, t = xn, fxn, tn
        if small:
            converged = True
            break

    U, b = split(x)
    W = np.clip(U * sigma / d, lo, hi)     # the mapping back rounds by an ulp
    if loss == "squared":
        b = np.array([ybar]) if fit_intercept else np.zeros(1)
        b = b - W @ xbar
    elif fit_intercept:
        b = b - W @ xbar
    else:
        b = np.zeros(K)
    objective = sigma**2 * fx
    return Reference(W=W, b=np.asarray(b, dtype=np.float64), objective=objective, n_iter=it,
                     converged=converged)
