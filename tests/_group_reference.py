"""NumPy references for the group tests: the sparse-group objective, a FISTA solver, the
dual gap and the group KKT conditions, written independently of the kernel."""

import numpy as np
import scipy.sparse as sp


def dense(X):
    return X.toarray() if sp.issparse(X) else np.asarray(X, dtype=np.float64)


def blocks(ptr, feat):
    return [feat[ptr[g]:ptr[g + 1]] for g in range(len(ptr) - 1)]


def penalty(w, groups, gw, alpha, l1_ratio, gamma):
    total = 0.0
    for g, idx in enumerate(groups):
        b = w[idx]
        total += alpha * gw[g] * (l1_ratio * np.abs(b).sum() + (1 - l1_ratio) * np.linalg.norm(b))
        if gw[g] > 0:
            total += 0.5 * gamma * b @ b
    return total


def objective(X, y, w, b, s, groups, gw, alpha, l1_ratio, gamma=0.0):
    r = y - dense(X) @ w - b
    return 0.5 * (s * r * r).sum() / s.sum() + penalty(w, groups, gw, alpha, l1_ratio, gamma)


def _prox(z, step, groups, gw, alpha, l1_ratio, gamma, positive):
    out = np.zeros_like(z)
    for g, idx in enumerate(groups):
        if gw[g] == 0:
            out[idx] = np.maximum(z[idx], 0) if positive else z[idx]
            continue
        a, c = step * alpha * gw[g] * l1_ratio, step * alpha * gw[g] * (1 - l1_ratio)
        v = z[idx] / (1 + step * gamma)
        a, c = a / (1 + step * gamma), c / (1 + step * gamma)
        u = np.maximum(v - a, 0) if positive else np.sign(v) * np.maximum(np.abs(v) - a, 0)
        nrm = np.linalg.norm(u)
        out[idx] = 0 if nrm <= c else (1 - c / nrm) * u
    return out


def fista(X, y, s, groups, gw, alpha, l1_ratio, gamma=0.0, positive=False,
          fit_intercept=True, n_iter=30000):
    """(w, b) minimizing the objective, by FISTA with restarts on the weighted-centered
    problem (the intercept eliminated)."""
    Xd, sw = dense(X), s / s.sum()
    xbar = sw @ Xd if fit_intercept else np.zeros(Xd.shape[1])
    ybar = sw @ y if fit_intercept else 0.0
    Xc, yc = Xd - xbar, y - ybar
    A = np.sqrt(sw)[:, None] * Xc
    L = np.linalg.norm(A, 2) ** 2
    w = z = np.zeros(Xd.shape[1])
    t = 1.0
    for _ in range(n_iter):
        grad = -Xc.T @ (sw * (yc - Xc @ z))
        w_new = _prox(z - grad / L, 1 / L, groups, gw, alpha, l1_ratio, gamma, positive)
        if (z - w_new) @ (w_new - w) > 0:       # gradient restart (O'Donoghue & Candes)
            t = 1.0
        t_new = (1 + np.sqrt(1 + 4 * t * t)) / 2
        z = w_new + (t - 1) / t_new * (w_new - w)
        done = np.abs(w_new - w).max() <= 1e-15
        w, t = w_new, t_new
        if done:
            break
    return w, ybar - xbar @ w


def _scale(q, a, c, positive):
    """Largest s with ||S_a(s q)|| <= c, by bisection (independent of the kernel's roots)."""
    v = np.maximum(q, 0) if positive else np.abs(q)
    if not v.any():
        return np.inf

    def excess(s):
        return np.linalg.norm(np.maximum(s * v - a, 0)) - c

    lo, hi = 0.0, 1.0
    while excess(hi) <= 0:
        hi *= 2
        if hi > 1e300:
            return np.inf
    for _ in range(200):
        mid = 0.5 * (lo + hi)
        lo, hi = (mid, hi) if excess(mid) <= 0 else (lo, mid)
    return lo


def dual_norm(q, a, c, positive=False):
    s = _scale(q, a, c, positive)
    return 0.0 if s == np.inf else 1.0 / s


def duality_gap(X, y, w, b, s, groups, gw, alpha, l1_ratio, gamma=0.0, positive=False,
                fit_intercept=True):
    """P(w, b) - D(theta) for theta = t sw r (r projected off the intercept and the
    unpenalized columns), t scaling the constrained groups into their dual constraints."""
    Xd, sw = dense(X), s / s.sum()
    r = y - Xd @ w - b
    cols = [np.ones(len(y))] if fit_intercept else []
    cols += [Xd[:, j] for g, idx in enumerate(groups) if gw[g] == 0 for j in idx]
    if cols:
        B = np.column_stack(cols)
        r = r - B @ np.linalg.lstsq(np.sqrt(sw)[:, None] * B, np.sqrt(sw) * r, rcond=None)[0]
    theta = sw * r
    q = Xd.T @ theta
    t = 1.0
    for g, idx in enumerate(groups):
        if gw[g] > 0 and gamma == 0:
            t = min(t, _scale(q[idx], alpha * gw[g] * l1_ratio,
                              alpha * gw[g] * (1 - l1_ratio), positive))
    ybar = sw @ y if fit_intercept else 0.0
    dual = t * theta @ (y - ybar) - 0.5 * t * t * theta @ r
    if gamma > 0:
        for g, idx in enumerate(groups):
            if gw[g] > 0:
                qq = t * q[idx]
                a, c = alpha * gw[g] * l1_ratio, alpha * gw[g] * (1 - l1_ratio)
                u = np.maximum(qq - a, 0) if positive else np.maximum(np.abs(qq) - a, 0)
                dual -= max(np.linalg.norm(u) - c, 0) ** 2 / (2 * gamma)
    return objective(X, y, w, b, s, groups, gw, alpha, l1_ratio, gamma) - dual


def kkt_violation(X, y, w, b, s, groups, gw, alpha, l1_ratio, gamma=0.0, positive=False):
    """The largest violation of the group optimality conditions at (w, b)."""
    Xd, sw = dense(X), s / s.sum()
    q = Xd.T @ (sw * (y - Xd @ w - b))
    return kkt_violation_of(q, w, groups, gw, alpha, l1_ratio, gamma, positive)


def kkt_violation_of(q, w, groups, gw, alpha, l1_ratio, gamma=0.0, positive=False):
    """The largest violation of the group optimality conditions at w, given q = minus the
    loss's gradient in w (any loss)."""
    worst = 0.0
    for g, idx in enumerate(groups):
        a, c = alpha * gw[g] * l1_ratio, alpha * gw[g] * (1 - l1_ratio)
        wg, qg = w[idx], q[idx]
        if gw[g] > 0:
            qg = qg - gamma * wg
        nz = wg != 0
        if not nz.any():
            u = np.maximum(qg - a, 0) if positive else np.maximum(np.abs(qg) - a, 0)
            worst = max(worst, np.linalg.norm(u) - c)
            continue
        expect = a * np.sign(wg[nz]) + c * wg[nz] / np.linalg.norm(wg)
        worst = max(worst, np.abs(qg[nz] - expect).max())
        zero = ~nz
        if zero.any():
            worst = max(worst, (qg[zero] if positive else np.abs(qg[zero])).max() - a)
    return worst
