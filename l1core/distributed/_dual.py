"""Driver-side dual arithmetic (design.md section 2) from the reduced pieces of a full pass.

Penalty per feature: ``h_j(w) = a_j |w| + c_j w^2 / 2`` with ``a_j = alpha v_j l1_ratio``,
``c_j = alpha v_j (1 - l1_ratio)``. Given ``q = X^T theta`` for the natural dual point, the
point is scaled by ``t`` in (0, 1] so that every feature with ``c_j = 0`` keeps
``|t q_j| <= a_j`` (its conjugate is the indicator of that constraint, not evaluated: it is 0
by construction); features with ``c_j > 0`` contribute ``max(|t q_j| - a_j, 0)^2 / (2 c_j)``.
Unpenalized features (``v_j = 0``) have ``q_j = 0`` by the projection of
:class:`Projection` and contribute nothing.
"""

import numpy as np

__all__ = ["penalty_weights", "penalty_value", "dual_scale_and_conjugate", "violation",
           "Projection"]


def penalty_weights(alpha, l1_ratio, factor, ridge_factor=None):
    """(a, c): the L1 and L2 weights per feature (``ridge_factor``: the L2 part's own
    factors, ``factor`` if None; standardize gives ``v d`` and ``v d^2``)."""
    ridge = factor if ridge_factor is None else ridge_factor
    return alpha * l1_ratio * factor, alpha * (1.0 - l1_ratio) * ridge


def penalty_value(w, a, c):
    """sum_j a_j |w_j| + c_j w_j^2 / 2."""
    return float(a @ np.abs(w) + 0.5 * (c @ (w * w)))


def dual_scale_and_conjugate(q, a, c, penalized, lower=None, upper=None):
    """(t, sum_j h_j*(t q_j)) over the penalized features. Bounds ``lower <= 0 <= upper``
    (None: unbounded): with ``c_j = 0`` only an infinite side is a constraint (``t q_j <= a_j``
    if ``upper_j = inf``, ``>= -a_j`` if ``lower_j = -inf``); a finite side contributes
    ``upper_j max(t q_j - a_j, 0) + (-lower_j) max(-t q_j - a_j, 0)``; with ``c_j > 0`` the
    conjugate is evaluated at ``w* = clip(sign(q) max(|q| - a, 0) / c, lower, upper)``."""
    p = q.shape[0]
    lower = np.full(p, -np.inf) if lower is None else lower
    upper = np.full(p, np.inf) if upper is None else upper
    hard = penalized & (c == 0.0)
    t = 1.0
    with np.errstate(divide="ignore", invalid="ignore"):
        up = hard & (q > a) & np.isinf(upper)
        down = hard & (q < -a) & np.isinf(lower)
        ratios = np.concatenate([a[up] / q[up], a[down] / -q[down]])
    if ratios.size:
        t = float(min(1.0, np.min(ratios)))
    tq = t * q
    conj = 0.0
    sides = hard & (np.isfinite(upper) | np.isfinite(lower))
    if sides.any():
        u, lo = np.where(np.isfinite(upper), upper, 0.0), np.where(np.isfinite(lower), lower, 0.0)
        conj += float(np.sum((u * np.maximum(tq - a, 0.0) - lo * np.maximum(-tq - a, 0.0))
                             [sides]))
    soft = penalized & (c > 0.0)
    if soft.any():
        qs, as_, cs = tq[soft], a[soft], c[soft]
        w = np.clip(np.sign(qs) * np.maximum(np.abs(qs) - as_, 0.0) / cs, lower[soft],
                    upper[soft])
        conj += float(np.sum(qs * w - as_ * np.abs(w) - 0.5 * cs * w * w))
    return t, conj


def violation(q, a, penalized, lower=None, upper=None):
    """Ranking score of each feature for the working set: ``|q_j| / a_j`` (> 1: the dual
    constraint is violated), counting only the directions the bounds let w_j move from 0
    (``q_j > 0`` needs ``upper_j > 0``, ``q_j < 0`` needs ``lower_j < 0``); +inf for
    unpenalized features (always kept)."""
    score = np.full(q.shape, np.inf)
    reach = np.abs(q)
    if lower is not None:
        reach = np.maximum(np.where(upper > 0.0, q, 0.0), np.where(lower < 0.0, -q, 0.0))
    with np.errstate(divide="ignore", invalid="ignore"):
        score[penalized] = reach[penalized] / a[penalized]
    return np.nan_to_num(score, nan=np.inf)


class Projection:
    """Weighted least-squares projection off the columns ``A = [1 (intercept), X_U]`` (U the
    unpenalized features), done on reduced statistics only: ``G = A^T diag(s) A`` (k, k) and
    ``B = X^T diag(s) A`` (p, k) come from the statistics pass, so projecting a residual r,
    ``r' = r - A c`` with ``G c = A^T diag(s) r``, needs only ``X^T (s r)`` and scalars:
    ``X^T (s r') = X^T (s r) - B c`` and ``sum s r'^2 = sum s r^2 - 2 c.(A^T s r) + c.G c``.
    With no intercept and no unpenalized feature it is the identity."""

    def __init__(self, stats, unpenalized, fit_intercept):
        cols = []
        S = stats["S"]
        if fit_intercept:
            cols.append(stats["xs"][:, None])
        if len(unpenalized):
            cols.append(stats["xsu"])
        self.unpenalized = np.asarray(unpenalized, dtype=np.intp)
        self.fit_intercept = fit_intercept
        self.k = (1 if fit_intercept else 0) + len(unpenalized)
        if self.k == 0:
            return
        self.B = np.hstack(cols)                          # (p, k)
        lower = self.B[self.unpenalized]                  # rows U of B: [X_U^T s, X_U^T S X_U]
        if fit_intercept:
            top = np.concatenate([[S], stats["xs"][self.unpenalized]])[None, :]
            self.G = np.vstack([top, lower])
        else:
            self.G = lower
        self.G_pinv = np.linalg.pinv(self.G, rcond=1e-12, hermitian=True)

    def coefficients(self, g, sum_sr):
        """A^T diag(s) r from X^T (s r) and sum s r, and c solving G c = A^T diag(s) r."""
        parts = ([[sum_sr]] if self.fit_intercept else []) + [g[self.unpenalized]]
        Atr = np.concatenate(parts)
        return Atr, self.G_pinv @ Atr

    def project(self, g, sum_sr, sum_srr, sum_sry, Aty):
        """(X^T s r', sum s r'^2, sum s r' y) for the projected residual; ``Aty`` is
        A^T diag(s) y."""
        if self.k == 0:
            return g, sum_srr, sum_sry
        Atr, c = self.coefficients(g, sum_sr)
        g_proj = g - self.B @ c
        g_proj[self.unpenalized] = 0.0                     # exactly, not up to rounding
        srr = max(sum_srr - 2.0 * c @ Atr + c @ self.G @ c, 0.0)
        return g_proj, srr, sum_sry - c @ Aty

    def At_s(self, g_of_v, sum_sv):
        """A^T diag(s) v from X^T (s v) and sum s v."""
        if self.k == 0:
            return np.zeros(0)
        return self.coefficients(g_of_v, sum_sv)[0]
