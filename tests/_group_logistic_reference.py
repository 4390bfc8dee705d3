"""NumPy references for the group logistic tests: objective, duality gap, group KKT and a
FISTA solver, written independently of the kernel (labels y = +-1)."""

import numpy as np
from scipy.special import expit, xlogy

from _group_reference import _prox, _scale, dense, kkt_violation_of, penalty


def objective(X, y, w, b, s, groups, gw, alpha, l1_ratio):
    z = dense(X) @ w + b
    return (s @ np.logaddexp(0.0, -y * z)) / s.sum() + penalty(w, groups, gw, alpha,
                                                                   l1_ratio, 0.0)


def negative_gradient(X, y, w, b, s):
    """(X^T theta, sum theta) for theta = sw y sigma(-y z): minus the loss's gradient."""
    Xd, sw = dense(X), s / s.sum()
    theta = sw * y * expit(-y * (Xd @ w + b))
    return Xd.T @ theta, theta.sum()


def duality_gap(X, y, w, b, s, groups, gw, alpha, l1_ratio, fit_intercept=True):
    """P(w, b) - D(t theta): theta = sw y sigma(-y z), with an intercept the larger class's
    part scaled to the smaller's (sum 0), t the largest factor <= 1 keeping every group in its
    dual constraint; D = sum sw H(t y theta / sw) (H the binary entropy)."""
    Xd, sw = dense(X), s / s.sum()
    theta = sw * y * expit(-y * (Xd @ w + b))
    if fit_intercept:
        pos, neg = theta[theta > 0].sum(), -theta[theta < 0].sum()
        if pos > neg:
            theta[theta > 0] *= neg / pos
        else:
            theta[theta < 0] *= pos / neg
    q = Xd.T @ theta
    t = min([1.0] + [_scale(q[idx], alpha * gw[g] * l1_ratio, alpha * gw[g] * (1 - l1_ratio),
                            False) for g, idx in enumerate(groups)])
    keep = sw > 0
    u = t * y[keep] * theta[keep] / sw[keep]
    dual = sw[keep] @ (-xlogy(u, u) - xlogy(1 - u, 1 - u))
    return objective(X, y, w, b, s, groups, gw, alpha, l1_ratio) - dual


def kkt_violation(X, y, w, b, s, groups, gw, alpha, l1_ratio, fit_intercept=True):
    """The largest violation of the group optimality conditions (and of the intercept's)."""
    q, db = negative_gradient(X, y, w, b, s)
    worst = kkt_violation_of(q, w, groups, gw, alpha, l1_ratio)
    return max(worst, abs(db)) if fit_intercept else worst


def fista(X, y, s, groups, gw, alpha, l1_ratio, fit_intercept=True, n_iter=20000):
    """(w, b) minimizing the objective by FISTA with restarts (the intercept unpenalized,
    step 1 / L, L = ||[X 1]||^2_sw / 4)."""
    Xd, sw = dense(X), s / s.sum()
    A = np.column_stack([Xd, np.ones(len(y))]) if fit_intercept else Xd
    L = np.linalg.norm(np.sqrt(sw)[:, None] * A, 2) ** 2 / 4
    p = Xd.shape[1]
    x = v = np.zeros(A.shape[1])
    t = 1.0
    for _ in range(n_iter):
        grad = -A.T @ (sw * y * expit(-y * (A @ v)))
        z = v - grad / L
        x_new = z.copy()
        x_new[:p] = _prox(z[:p], 1 / L, groups, gw, alpha, l1_ratio, 0.0, False)
        if (v - x_new) @ (x_new - x) > 0:        # restart
            t = 1.0
        t_new = (1 + np.sqrt(1 + 4 * t * t)) / 2
        v = x_new + (t - 1) / t_new * (x_new - x)
        x, t = x_new, t_new
    return x[:p], (x[p] if fit_intercept else 0.0)
