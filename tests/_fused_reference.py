"""Independent references for the Fused Lasso tests: the objective in NumPy, the fused dual
norm and the 1-D KKT conditions as linear programs (scipy's HiGHS), and cvxpy's optimum."""

import numpy as np
import scipy.sparse as sp
from scipy.optimize import linprog


def objective(X, y, w, b, alpha, l1_ratio, sw=None):
    """``1/(2S) sum s (y - Xw - b)^2 + alpha (l1_ratio |w|_1 + (1 - l1_ratio) TV(w))``."""
    X = X.toarray() if sp.issparse(X) else np.asarray(X, dtype=np.float64)
    sw = np.ones(len(y)) if sw is None else np.asarray(sw, dtype=np.float64)
    r = y - X @ w - b
    return (0.5 * sw @ (r * r) / sw.sum() + alpha * l1_ratio * np.abs(w).sum()
            + alpha * (1 - l1_ratio) * np.abs(np.diff(w)).sum())


def _difference(p):
    """D (p-1, p): (D w)_j = w_{j+1} - w_j."""
    return sp.diags([-np.ones(p - 1), np.ones(p - 1)], [0, 1], shape=(p - 1, p)).toarray()


def dual_norm_lp(q, a, c):
    """min t s.t. q = u + D^T z, |u| <= t a, |z| <= t c: variables (u, z, t)."""
    p = q.size
    D = _difference(p)
    n_var = p + (p - 1) + 1
    A_eq = np.hstack([np.eye(p), D.T, np.zeros((p, 1))])
    rows = []
    for k in range(p):                                  # |u_k| <= t a
        for s in (1, -1):
            row = np.zeros(n_var); row[k] = s; row[-1] = -a; rows.append(row)
    for k in range(p - 1):                              # |z_k| <= t c
        for s in (1, -1):
            row = np.zeros(n_var); row[p + k] = s; row[-1] = -c; rows.append(row)
    cost = np.zeros(n_var); cost[-1] = 1.0
    res = linprog(cost, A_ub=np.array(rows), b_ub=np.zeros(len(rows)), A_eq=A_eq, b_eq=q,
                  bounds=[(None, None)] * (n_var - 1) + [(0, None)], method="highs")
    assert res.status == 0, res.message
    return res.x[-1]


def kkt_holds(b, g, a, c, zero=1e-9, slack=1e-6):
    """Whether g (the loss's negative gradient at b) is in the fused penalty's subdifferential
    at b: g = u + D^T z with u_j = a sign(b_j) (|u_j| <= a where b_j = 0) and z_j = c
    sign((Db)_j) (|z_j| <= c where (Db)_j = 0): an LP feasibility problem in z."""
    p = b.size
    D = _difference(p)
    db = D @ b
    lo_z = np.where(np.abs(db) > zero, c * np.sign(db) - slack, -c - slack)
    hi_z = np.where(np.abs(db) > zero, c * np.sign(db) + slack, c + slack)
    lo_u = np.where(np.abs(b) > zero, a * np.sign(b) - slack, -a - slack)
    hi_u = np.where(np.abs(b) > zero, a * np.sign(b) + slack, a + slack)
    # u = g - D^T z within [lo_u, hi_u]:  -D^T z <= hi_u - g,  D^T z <= g - lo_u
    A_ub = np.vstack([-D.T, D.T])
    b_ub = np.concatenate([hi_u - g, g - lo_u])
    res = linprog(np.zeros(p - 1), A_ub=A_ub, b_ub=b_ub, bounds=list(zip(lo_z, hi_z)),
                  method="highs")
    return res.status == 0


def cvxpy_fused(X, y, alpha, l1_ratio, sw=None, fit_intercept=True):
    """(w, b) of cvxpy's solution (Clarabel, tight tolerances)."""
    import cvxpy as cp

    X = X.toarray() if sp.issparse(X) else np.asarray(X, dtype=np.float64)
    n, p = X.shape
    sw = np.ones(n) if sw is None else np.asarray(sw, dtype=np.float64)
    w = cp.Variable(p)
    b = cp.Variable() if fit_intercept else 0.0
    r = cp.multiply(np.sqrt(sw / sw.sum()), y - X @ w - b)
    obj = (0.5 * cp.sum_squares(r) + alpha * l1_ratio * cp.norm1(w)
           + alpha * (1 - l1_ratio) * cp.norm1(cp.diff(w)))
    cp.Problem(cp.Minimize(obj)).solve(solver="CLARABEL", tol_gap_abs=1e-12,
                                       tol_gap_rel=1e-12, tol_feas=1e-12, max_iter=500)
    return w.value, (float(b.value) if fit_intercept else 0.0)
