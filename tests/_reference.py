"""NumPy reference for the squared-loss Elastic Net contract of design.md section 2.

Independent of the compiled kernel: everything is recomputed in float64 from the user's data.

    P(w, b) = 1/(2S) sum_i s_i (y_i - x_i.w - b)^2 + sum_j h_j(w_j),
    h_j(w)  = a_j |w| + c_j w^2 / 2 + [l_j <= w <= u_j],
    a_j = alpha v_j l1_ratio,  c_j = alpha v_j (1 - l1_ratio).

Dual (theta in R^n, sum theta = 0 with an intercept, theta_i = 0 where s_i = 0):

    D(theta) = sum_i (theta_i y_i - S theta_i^2 / (2 s_i)) - sum_j h_j*(x_j . theta)

P is already normalized by S (the objective dual_gap_ is reported on); with sw = s / S the
matching dual point is theta = sw * r and all quantities below are on that scale.
"""

from dataclasses import dataclass

import numpy as np
import scipy.sparse as sp


@dataclass
class Problem:
    """A fully specified weighted, bounded Elastic Net (all arrays float64)."""

    X: np.ndarray  # dense float64 (n, p)
    y: np.ndarray
    s: np.ndarray  # sample weights (n,)
    alpha: float
    l1_ratio: float
    v: np.ndarray  # penalty factors (p,)
    lower: np.ndarray
    upper: np.ndarray
    fit_intercept: bool

    @property
    def a(self):
        return self.alpha * self.l1_ratio * self.v

    @property
    def c(self):
        return self.alpha * (1.0 - self.l1_ratio) * self.v

    @property
    def sw(self):
        return self.s / self.s.sum()

    @property
    def ybar(self):
        return float(self.sw @ self.y) if self.fit_intercept else 0.0

    @property
    def xbar(self):
        if not self.fit_intercept:
            return np.zeros(self.X.shape[1])
        return self.sw @ self.X

    @property
    def free(self):
        """Unpenalized coordinates (v_j = 0 or alpha = 0)."""
        return (self.a == 0.0) & (self.c == 0.0)

    def gap_tol(self, tol):
        """The stopping threshold: tol * sum_i s_i (y_i - ybar)^2 / S."""
        return tol * float(self.sw @ (self.y - self.ybar) ** 2)


def make_problem(X, y, *, alpha, l1_ratio=1.0, sample_weight=None, penalty_factor=None,
                 lower_bounds=None, upper_bounds=None, positive=False, fit_intercept=True):
    """A :class:`Problem` from the arguments of ``enet_solve`` (dense or sparse X)."""
    Xd = X.toarray() if sp.issparse(X) else np.asarray(X)
    Xd = np.array(Xd, dtype=np.float64)
    n, p = Xd.shape
    s = np.ones(n) if sample_weight is None else np.array(sample_weight, dtype=np.float64)
    v = np.ones(p) if penalty_factor is None else np.broadcast_to(
        np.asarray(penalty_factor, dtype=np.float64), (p,)).copy()
    lower = np.full(p, -np.inf) if lower_bounds is None else np.broadcast_to(
        np.asarray(lower_bounds, dtype=np.float64), (p,)).copy()
    upper = np.full(p, np.inf) if upper_bounds is None else np.broadcast_to(
        np.asarray(upper_bounds, dtype=np.float64), (p,)).copy()
    if positive:
        lower = np.maximum(lower, 0.0)
    return Problem(Xd, np.array(y, dtype=np.float64), s, float(alpha), float(l1_ratio), v,
                   lower, upper, bool(fit_intercept))


def best_intercept(pb, w):
    """The optimal intercept for coefficients w (0 without an intercept)."""
    w = np.asarray(w, dtype=np.float64)
    if not pb.fit_intercept:
        return 0.0
    return float(pb.sw @ (pb.y - pb.X @ w))


def primal(pb, w, b=None):
    """P(w, b) (b=None: the best intercept); +inf if w violates the bounds."""
    w = np.asarray(w, dtype=np.float64)
    if b is None:
        b = best_intercept(pb, w)
    if np.any(w < pb.lower) or np.any(w > pb.upper):
        return np.inf
    r = pb.y - pb.X @ w - b
    return 0.5 * float(pb.sw @ r**2) + float(pb.a @ np.abs(w) + 0.5 * pb.c @ w**2)


def conjugate(q, a, c, lower, upper):
    """h*(q) = sup_{l <= w <= u} q w - a|w| - c w^2/2, elementwise (may be +inf)."""
    q, a, c, lower, upper = np.broadcast_arrays(*(np.asarray(t, dtype=np.float64)
                                                  for t in (q, a, c, lower, upper)))
    out = np.empty(q.shape)
    for k in np.ndindex(q.shape):
        qk, ak, ck, lk, uk = q[k], a[k], c[k], lower[k], upper[k]
        if ck > 0:
            wstar = np.sign(qk) * max(abs(qk) - ak, 0.0) / ck
            wstar = min(max(wstar, lk), uk)
            out[k] = qk * wstar - ak * abs(wstar) - 0.5 * ck * wstar**2
            continue
        # c = 0: piecewise linear in w, so the sup is at 0 (if allowed) or at a bound
        cands = [t for t in (lk, uk) if np.isfinite(t)]
        if lk <= 0.0 <= uk:
            cands.append(0.0)
        val = max(qk * t - ak * abs(t) for t in cands) if cands else -np.inf
        if (qk > ak and not np.isfinite(uk)) or (qk < -ak and not np.isfinite(lk)):
            val = np.inf
        out[k] = val
    return out


def dual_point(pb, w, b=None):
    """A dual-feasible theta from the residual at (w, b), per design.md section 2.

    theta = sw * rhat, rhat the residual (weighted-centered with an intercept) projected
    orthogonally (in the sw-inner product) to the unpenalized columns, then scaled by the
    largest t in (0, 1] that keeps every infinite side of a conjugate finite.
    Returns (theta, t, q) with q = X^T theta (after scaling).
    """
    w = np.asarray(w, dtype=np.float64)
    if b is None:
        b = best_intercept(pb, w)
    sw = pb.sw
    r = pb.y - pb.X @ w - b
    Xc = pb.X - pb.xbar
    if pb.fit_intercept:
        r = r - sw @ r
    free = pb.free
    if free.any():
        Z = Xc[:, free]
        G = Z.T @ (sw[:, None] * Z)
        coef = np.linalg.lstsq(G, Z.T @ (sw * r), rcond=None)[0]
        r = r - Z @ coef
    theta = sw * r
    q = Xc.T @ theta
    t = 1.0
    lasso = (~free) & (pb.c == 0.0)
    a = pb.a
    for j in np.flatnonzero(lasso):
        if q[j] > a[j] and not np.isfinite(pb.upper[j]):
            t = min(t, a[j] / q[j])
        elif q[j] < -a[j] and not np.isfinite(pb.lower[j]):
            t = min(t, -a[j] / q[j])
    return t * theta, t, t * q


def dual(pb, theta, q=None, clamp=True):
    """D(theta) (normalized); q = X~^T theta if precomputed.

    clamp=True evaluates the conjugates of Lasso constraints whose infinite side is violated
    by rounding (|q| an ulp above a) at the boundary, as the design asks.
    """
    sw = pb.sw
    if q is None:
        q = (pb.X - pb.xbar).T @ theta
    pos = sw > 0
    quad = float(np.sum(theta[pos] ** 2 / sw[pos]))
    assert np.all(theta[~pos] == 0.0)
    ytil = pb.y - pb.ybar
    free = pb.free
    qq = q.copy()
    if clamp:
        lasso = (~free) & (pb.c == 0.0)
        hi = lasso & ~np.isfinite(pb.upper)
        lo = lasso & ~np.isfinite(pb.lower)
        qq[hi] = np.minimum(qq[hi], pb.a[hi])
        qq[lo] = np.maximum(qq[lo], -pb.a[lo])
    conj = conjugate(qq[~free], pb.a[~free], pb.c[~free], pb.lower[~free], pb.upper[~free])
    return float(theta @ ytil) - 0.5 * quad - float(np.sum(conj))


def duality_gap(pb, w, b=None):
    """P(w, b) - D(theta(w, b)) with the dual point of :func:`dual_point` (normalized)."""
    theta, _, q = dual_point(pb, w, b)
    return primal(pb, w, b) - dual(pb, theta, q)


def kkt_violation(pb, w, b=None):
    """Per-coordinate distance of 0 from the subdifferential of P at w (normalized units).

    g_j = d/dw_j of the smooth loss = -x~_j . (sw * r). Optimality of w_j:
      l < w_j < u, w_j != 0: g_j + a_j sign(w_j) + c_j w_j = 0
      w_j = 0 inside the box: |g_j| <= a_j
      w_j = l (lower active, l != 0 or box [0, ...]): g_j + a_j sign + c_j w_j >= 0
      w_j = u: <= 0
    Returns an array of violations (0 at an exact optimum). With a box that excludes 0 the
    sign of w is fixed, so the formulas above apply with sign(w_j).
    """
    w = np.asarray(w, dtype=np.float64)
    if b is None:
        b = best_intercept(pb, w)
    r = pb.y - pb.X @ w - b
    g = -(pb.X.T @ (pb.sw * r))
    a, c, lo, up = pb.a, pb.c, pb.lower, pb.upper
    viol = np.zeros_like(w)
    for j in range(w.size):
        wj = w[j]
        at_lo = wj <= lo[j]
        at_up = wj >= up[j]
        if wj == 0.0:
            # subdifferential of a|w| at 0 is [-a, a]; a bound at 0 opens one side
            lo_sub = -np.inf if at_lo else -a[j]
            hi_sub = np.inf if at_up else a[j]
            # need -g in [lo_sub, hi_sub]
            viol[j] = max(lo_sub - (-g[j]), (-g[j]) - hi_sub, 0.0)
            continue
        d = g[j] + a[j] * np.sign(wj) + c[j] * wj
        if at_lo and at_up:
            viol[j] = 0.0
        elif at_lo:
            viol[j] = max(-d, 0.0)
        elif at_up:
            viol[j] = max(d, 0.0)
        else:
            viol[j] = abs(d)
    return viol


def intercept_residual(pb, w, b):
    """sum_i sw_i (y_i - x_i.w - b): zero at the optimal intercept."""
    return float(pb.sw @ (pb.y - pb.X @ np.asarray(w, dtype=np.float64) - b))


def alpha_max(X, y, *, l1_ratio=1.0, sample_weight=None, penalty_factor=None,
              fit_intercept=True):
    """Smallest alpha with w = 0 optimal (no bounds):
    max_j |x~_j . (s (y - ybar))| / (S v_j l1_ratio) over penalized j."""
    pb = make_problem(X, y, alpha=1.0, l1_ratio=l1_ratio, sample_weight=sample_weight,
                      penalty_factor=penalty_factor, fit_intercept=fit_intercept)
    Xc = pb.X - pb.xbar
    corr = np.abs(Xc.T @ (pb.s * (pb.y - pb.ybar))) / pb.s.sum()
    pen = pb.v > 0
    if not pen.any():
        return 1.0
    return float(np.max(corr[pen] / (pb.v[pen] * l1_ratio)))


def strong_convexity(pb):
    """mu with P(w) - P* >= mu/2 ||w - w*||^2: the smallest eigenvalue of X~^T diag(sw) X~
    plus the smallest ridge coefficient c_j."""
    Xc = pb.X - pb.xbar
    return float(np.linalg.eigvalsh(Xc.T @ (pb.sw[:, None] * Xc))[0] + pb.c.min())
