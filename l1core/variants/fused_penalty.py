"""The fused penalty ``Omega(w) = alpha (l1_ratio ||w||_1 + (1 - l1_ratio) TV(w))``, ``TV(w) =
sum_j |w_j - w_{j-1}|``: its value, exact prox, dual norm, and the signal approximator.

Parametrization (the one of every fused function and estimator of l1core): ``alpha >= 0``
and ``0 <= l1_ratio <= 1``, as the Elastic Net's; the literature's ``lambda_1 ||w||_1 +
lambda_2 TV(w)`` with the loss ``1/2 ||y - X w||^2`` is ``lambda_1 = n alpha l1_ratio``,
``lambda_2 = n alpha (1 - l1_ratio)`` (n the number of samples, S with sample weights).
Write ``a = alpha l1_ratio``, ``c = alpha (1 - l1_ratio)``.

Prox: ``prox_{a ||.||_1 + c TV}(z) = soft_a(prox_{c TV}(z))`` exactly (Friedman, Hastie,
Hoefling & Tibshirani 2007, Proposition 1: soft-thresholding by one scalar keeps the order of
neighbours, so it keeps TV's subgradient), both steps O(n) and compiled (Condat 2013).

Dual norm: the conjugate of Omega is the indicator of ``B = {u + D^T z : |u|_inf <= a,
|z|_inf <= c}`` (D the forward difference; the conjugate of a sum of two polyhedral norms is
the indicator of the sum of their dual balls). Summing ``q = u + D^T z`` up to k, the partial
sums ``U_k`` of u must stay within c of ``Q_k = sum_{i<=k} q_i`` (k < p - 1), end at
``Q_{p-1}`` and move by at most a per step: one forward pass of the reachable interval
decides ``q in t B`` in O(p), and the gauge ``N(q) = min {t : q in t B}`` follows by
bisection on t (compiled, relative 1e-12; the feasible end of the bracket is returned, so
``q / N(q)`` is in B). With ``a = 0`` (pure TV) B needs ``sum_k q_k = 0`` and
``N(q) = max_{k < p-1} |Q_k| / c``.
"""

from __future__ import annotations

import numpy as np

from .. import _validation as v
from .._typing import ArrayLike
from ..prox import _backend as b

__all__ = ["FusedPenalty", "fused_dual_norm", "fused_lasso_signal", "fused_value"]


def fused_value(w, a, c):
    """``a ||w||_1 + c TV(w)`` (float64 sums)."""
    w = np.asarray(w, dtype=np.float64)
    return float(a * np.sum(np.abs(w)) + c * np.sum(np.abs(np.diff(w))))


def fused_dual_norm(q: ArrayLike, a: float, c: float) -> float:
    """The dual norm ``N(q)`` of ``a ||.||_1 + c TV`` (module docstring): ``q / N(q)`` is
    dual-feasible. inf when ``a = 0`` and ``sum q != 0`` (TV is blind to constants), or when
    ``a = c = 0`` and q != 0.

    Examples
    --------
    >>> import numpy as np
    >>> from l1core.variants.fused_penalty import fused_dual_norm
    >>> q = np.array([1.0, -3.0, 2.0])
    >>> round(fused_dual_norm(q, 1.0, 0.0), 9), round(fused_dual_norm(q, 1.0, 1.0), 9)
    (3.0, 1.0)
    >>> fused_dual_norm(q, 0.0, 1.0)                     # TV alone: max |partial sum|
    2.0
    """
    q = np.ascontiguousarray(q, dtype=np.float64).reshape(-1)
    if q.size == 0 or not np.any(q):
        return 0.0
    if a > 0.0:
        return float(b.kernels.fused_dual_norm(q, float(a), float(c)))
    Q = np.cumsum(q)
    if c == 0.0 or abs(Q[-1]) > 1e-12 * (np.sum(np.abs(q))):
        return float(np.inf)
    return float(np.max(np.abs(Q[:-1]), initial=0.0) / c)


class FusedPenalty:
    """``alpha (l1_ratio ||w||_1 + (1 - l1_ratio) TV(w))`` for :func:`l1core.fista` and the
    fused solver: ``value``, exact ``prox`` (TV prox then soft-threshold), ``dual_norm`` and
    ``dual`` (the scaling of a dual point into the constraint).

    Examples
    --------
    >>> import numpy as np
    >>> from l1core.variants.fused_penalty import FusedPenalty
    >>> pen = FusedPenalty(1.0, l1_ratio=0.5)
    >>> pen.value(np.array([0.0, 2.0, 2.0]))
    3.0
    >>> pen.prox(np.array([0.0, 4.0, 4.0]), 1.0).round(6).tolist()
    [0.0, 3.25, 3.25]
    """

    def __init__(self, alpha: float, l1_ratio: float = 0.5):
        self.alpha = v.check_alpha(alpha)
        self.l1_ratio = v.check_l1_ratio(l1_ratio)
        self.a = self.alpha * self.l1_ratio
        self.c = self.alpha * (1.0 - self.l1_ratio)

    def value(self, w):
        return fused_value(w, self.a, self.c)

    def prox(self, z, step):
        z = np.ascontiguousarray(z)
        out = np.empty_like(z)
        b.kernels.fused_prox(z, step * self.c, step * self.a, out)
        return out

    def dual_norm(self, q):
        return fused_dual_norm(q, self.a, self.c)

    def dual(self, q):
        """``(s, 0)`` with ``s q`` dual-feasible (s in [0, 1]), None if no scaling is (a = 0
        and ``sum q != 0``: project the dual point first)."""
        norm = self.dual_norm(q)
        if not np.isfinite(norm):
            return None
        return (1.0 if norm <= 1.0 else 1.0 / norm), 0.0


def fused_lasso_signal(y: ArrayLike, alpha: float, l1_ratio: float = 0.5, *,
                       out: ArrayLike | None = None) -> np.ndarray:
    """The fused Lasso signal approximator (X = identity), exactly, in O(n):

        argmin_b 1/(2n) ||y - b||^2 + alpha (l1_ratio ||b||_1 + (1 - l1_ratio) TV(b))

    (the :class:`FusedLasso` objective with X the identity and no intercept), i.e. the prox
    of ``n alpha`` times the fused penalty: Condat's TV prox at ``n alpha (1 - l1_ratio)``,
    then soft-thresholding at ``n alpha l1_ratio`` (exact: Friedman et al. 2007). y is a 1-D
    float32/float64 array (kept in its dtype; ints become float64); ``out=y`` works in place.
    No per-sample weights: with unequal weights or thresholds the two-step composition is no
    longer exact.

    Examples
    --------
    >>> import numpy as np
    >>> from l1core import fused_lasso_signal
    >>> y = np.array([0.1, -0.1, 3.0, 3.2, 2.8, 0.0])
    >>> fused_lasso_signal(y, alpha=0.05, l1_ratio=0.5).round(3).tolist()
    [0.0, 0.0, 2.8, 2.8, 2.65, 0.0]
    >>> fused_lasso_signal(y, alpha=10.0, l1_ratio=0.0).round(3).tolist()   # TV only: the mean
    [1.5, 1.5, 1.5, 1.5, 1.5, 1.5]
    """
    alpha = v.check_alpha(alpha)
    l1_ratio = v.check_l1_ratio(l1_ratio)
    y = b.numpy_input(y, "y")
    if y.ndim != 1:
        raise ValueError(f"fused_lasso_signal needs a 1-D array y, got shape {y.shape}.")
    out, buf = b.numpy_output(y, out)
    scale = alpha * y.shape[0]
    b.kernels.fused_prox(b.contiguous(y), scale * (1.0 - l1_ratio), scale * l1_ratio, buf)
    return b.finish(out, buf)
