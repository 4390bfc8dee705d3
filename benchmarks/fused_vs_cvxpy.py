"""Fused Lasso: l1core vs cvxpy (Clarabel) at equal objective, and the signal approximator
on 10^7 points over np.cumsum. Usage: python fused_vs_cvxpy.py [n p n_alphas]
(default 200 2000 50). l1core solves at tol=1e-8; cvxpy is run at its default accuracy and
its objective compared with ours (the report says which is lower)."""

import sys
import time

import numpy as np
from compare_prox import median_time as median

from l1core import fused_lasso_path, fused_lasso_signal


def objective(X, y, w, b, alpha, l1_ratio):
    r = y - X @ w - b
    return (0.5 * r @ r / len(y) + alpha * l1_ratio * np.abs(w).sum()
            + alpha * (1 - l1_ratio) * np.abs(np.diff(w)).sum())




def main(n=200, p=2000, n_alphas=50):
    import cvxpy as cp

    rng = np.random.default_rng(0)
    y = np.repeat(rng.standard_normal(10**4), 1000) + 0.3 * rng.standard_normal(10**7)
    ts, tc = median(lambda: fused_lasso_signal(y, 1e-8, 0.5)), median(lambda: np.cumsum(y))
    print(f"signal 1e7: {ts:.3f} s, cumsum {tc:.3f} s, ratio {ts / tc:.2f}")

    X = np.asfortranarray(rng.standard_normal((n, p)))
    w0 = np.zeros(p); w0[p // 10: p // 5] = 1.0; w0[p // 2: p // 2 + p // 20] = -2.0
    yy = X @ w0 + 0.5 * rng.standard_normal(n)
    l1_ratio = 0.5
    t = time.perf_counter()
    path = fused_lasso_path(X, yy, l1_ratio=l1_ratio, n_alphas=n_alphas, eps=1e-2,
                            fit_intercept=True, tol=1e-8, return_intercept=True)
    t_path = time.perf_counter() - t
    w = cp.Variable(p); b = cp.Variable(); a = cp.Parameter(nonneg=True)
    prob = cp.Problem(cp.Minimize(0.5 * cp.sum_squares(yy - X @ w - b) / n
                                  + a * (l1_ratio * cp.norm1(w)
                                         + (1 - l1_ratio) * cp.norm1(cp.diff(w)))))
    ks = [0, n_alphas // 2, n_alphas - 1]
    t_cvx, worst = [], -np.inf
    for k in ks:
        a.value = path.alphas[k]
        t = time.perf_counter(); prob.solve(solver="CLARABEL"); t_cvx.append(time.perf_counter() - t)
        ours = objective(X, yy, path.coefs[:, k], path.intercepts[k], path.alphas[k], l1_ratio)
        ref = objective(X, yy, w.value, float(b.value), path.alphas[k], l1_ratio)
        worst = max(worst, (ours - ref) / ref)
    per_alpha = float(np.mean(t_cvx))
    print(f"{n} x {p}: l1core path of {n_alphas} alphas {t_path:.2f} s; cvxpy {per_alpha:.2f} s "
          f"per alpha (mean of {len(ks)}), x{n_alphas} = {per_alpha * n_alphas:.1f} s; ratio "
          f"{per_alpha * n_alphas / t_path:.1f}x; max (ours - cvxpy) / cvxpy objective "
          f"{worst:.2e}; max gap {path.dual_gaps.max():.2e}, iterations {path.n_iters.sum()}")


if __name__ == "__main__":
    main(*map(int, sys.argv[1:]))
