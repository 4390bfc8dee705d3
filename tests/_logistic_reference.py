"""NumPy reference for the logistic and multinomial contract of design.md section 2.

Independent of the compiled kernel: the primal, a dual-feasible point and the duality gap,
and the KKT residuals, all recomputed in float64 from dense copies of the data.

Binary (labels +-1, sw = s / S):  P = sum_i sw_i log(1 + exp(-y_i z_i)) + sum_j h_j(w_j),
dual point theta_i = sw_i y_i sigma(-y_i z_i), D(theta) = sum_i sw_i H(y_i theta_i / sw_i)
- sum_j h_j*(x_j . theta). Multinomial: theta_ik = sw_i (Y_ik - p_ik), the loss part of D is
sum_i sw_i Ent(Y_i - theta_i / sw_i).
"""

import numpy as np
import scipy.sparse as sp
from scipy.special import expit, logsumexp, xlogy


def dense(X):
    return np.asarray(X.toarray() if sp.issparse(X) else X, dtype=np.float64)


def penalty_terms(alpha, l1_ratio, p, penalty_factor=None):
    v = np.ones(p) if penalty_factor is None else np.asarray(penalty_factor, float)
    return alpha * l1_ratio * v, alpha * (1 - l1_ratio) * v


def penalty(W, a, c):
    return float(np.sum(a * np.abs(W) + 0.5 * c * W**2))


def conjugate(q, a, c, lo, hi):
    """h*(q) elementwise (q already inside the infinite sides' domain)."""
    q = np.asarray(q, float)
    with np.errstate(divide="ignore", invalid="ignore"):
        w_el = np.sign(q) * np.maximum(np.abs(q) - a, 0) / np.where(c > 0, c, 1)
    w_l1 = np.where(q > a, np.where(np.isfinite(hi), hi, 0.0),
                    np.where(q < -a, np.where(np.isfinite(lo), lo, 0.0), 0.0))
    w = np.where(c > 0, w_el, w_l1)
    w = np.clip(w, lo, hi)
    return float(np.sum(q * w - a * np.abs(w) - 0.5 * c * w**2))


def scale_into_constraints(Q, a, c, lo, hi, free):
    """Largest t <= 1 with t*Q inside the Lasso constraints' infinite sides."""
    t = 1.0
    for q in np.atleast_2d(Q):
        lasso = (c == 0) & ~free
        up = lasso & (q > a) & ~np.isfinite(hi)
        dn = lasso & (q < -a) & ~np.isfinite(lo)
        if up.any():
            t = min(t, np.min(a[up] / q[up]))
        if dn.any():
            t = min(t, np.min(-a[dn] / q[dn]))
    return t


def binary_primal(X, y01, w, b, s, a, c):
    Xd = dense(X)
    sw = s / s.sum()
    yy = 2.0 * y01 - 1
    z = Xd @ w + b
    return float(sw @ np.logaddexp(0, -yy * z)) + penalty(w, a, c)


def binary_gap(X, y01, w, b, s, a, c, lo, hi, fit_intercept=True):
    """(gap, P) at (w, b) with the class-scaling intercept projection (no free columns)."""
    Xd = dense(X)
    sw = s / s.sum()
    yy = 2.0 * y01 - 1
    z = Xd @ w + b
    theta = sw * yy * expit(-yy * z)
    if fit_intercept:
        pos, neg = theta[theta > 0].sum(), -theta[theta < 0].sum()
        if pos > neg:
            theta = np.where(theta > 0, theta * neg / pos, theta)
        else:
            theta = np.where(theta < 0, theta * pos / neg, theta)
    q = Xd.T @ theta
    free = np.zeros(w.size, bool)
    t = scale_into_constraints(q, a, c, lo, hi, free)
    pos_w = sw > 0
    sprob = np.clip(t * yy[pos_w] * theta[pos_w] / sw[pos_w], 0, 1)
    ent = -(xlogy(sprob, sprob) + xlogy(1 - sprob, 1 - sprob))
    dual = float(sw[pos_w] @ ent) - conjugate(t * q, a, c, lo, hi)
    primal = binary_primal(X, y01, w, b, s, a, c)
    return primal - dual, primal


def multinomial_primal(X, codes, W, b, s, a, c):
    Xd = dense(X)
    sw = s / s.sum()
    Z = Xd @ W.T + b
    return float(sw @ (logsumexp(Z, axis=1) - Z[np.arange(len(codes)), codes])) + penalty(W, a, c)


def multinomial_gap(X, codes, W, b, s, a, c, lo, hi, fit_intercept=True):
    """(gap, P) with the intercepts handled by one Newton step of the intercept-only problem."""
    Xd = dense(X)
    n, K = Xd.shape[0], W.shape[0]
    sw = s / s.sum()
    Z = Xd @ W.T + b
    P = np.exp(Z - logsumexp(Z, axis=1, keepdims=True))
    Y = np.eye(K)[codes]
    if fit_intercept:
        # G c = sum_i theta_i, G = sum_i sw_i (diag p_i - p_i p_i^T); then p' = p(1 + c - p.c)
        G = np.einsum("i,ik,kl->kl", sw, P, np.eye(K)) - np.einsum("i,ik,il->kl", sw, P, P)
        rhs = sw @ (Y - P)
        cvec = np.linalg.lstsq(G, rhs, rcond=None)[0]
        P = P * (1 + cvec - (P @ cvec)[:, None])
        assert P.min() >= -1e-12
    theta = sw[:, None] * (Y - P)
    Q = theta.T @ Xd
    free = np.zeros(W.shape[1], bool)
    t = scale_into_constraints(Q, a, c, lo, hi, free)
    keep = sw > 0
    Pt = (Y - t * theta / np.where(keep, sw, 1)[:, None])[keep]
    ent = -np.sum(xlogy(Pt, np.clip(Pt, 0, None)), axis=1)
    dual = float(sw[keep] @ ent) - sum(conjugate(t * Q[k], a, c, lo, hi) for k in range(K))
    primal = multinomial_primal(X, codes, W, b, s, a, c)
    return primal - dual, primal


def binary_kkt(X, y01, w, b, s, a, c, lo, hi, fit_intercept=True):
    """Largest violation of the optimality conditions (distance of 0 to the subdifferential,
    coordinates at an active bound excepted) and the intercept's gradient."""
    Xd = dense(X)
    sw = s / s.sum()
    yy = 2.0 * y01 - 1
    z = Xd @ w + b
    theta = sw * yy * expit(-yy * z)
    g = -(Xd.T @ theta) + c * w
    viol = np.where(w > 0, np.abs(g + a), np.where(w < 0, np.abs(g - a),
                                                    np.maximum(np.abs(g) - a, 0)))
    at_lo = (w <= lo) & (g + a * np.sign(w) > 0)
    at_hi = (w >= hi) & (g + a * np.sign(w) < 0)
    viol[at_lo | at_hi] = 0.0
    return float(viol.max()), float(theta.sum()) if fit_intercept else 0.0
