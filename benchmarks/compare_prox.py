"""l1core.prox and l1core.fista against their peers, in one process (medians of repeats).

1. 1-D TV prox on 10^7 points: Condat's algorithm (compiled) against a NumPy reference,
   FISTA on the dual box-constrained problem (vectorized), timed per iteration, with the
   iterations it needs for 1e-6 accuracy measured on 10^5 points of the same signal
   (prox_tv, the C++ peer, does not build from PyPI here: its sdist needs lapacke.h).
2. Soft-thresholding of 10^7 values: compiled against the NumPy expression.
3. Lasso, FISTA against l1core's coordinate descent (Lasso, same tol, same objective):
   a dense 200 x 5000 problem (CD at its best), and X given only as a LinearOperator
   (a subsampled DCT, 1024 x 4096): CD must first materialize X.

Run: python benchmarks/compare_prox.py   (about a minute)
"""

import time

import numpy as np
from scipy.fft import dct, idct
from scipy.sparse.linalg import LinearOperator

from l1core import Lasso, fista
from l1core.prox import L1Penalty, prox_l1, prox_tv1d


def median_time(fn, repeat=5):
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return float(np.median(times))


def piecewise(n, rng):
    jumps = rng.integers(0, n, n // 1000)
    steps = np.zeros(n)
    steps[jumps] = rng.standard_normal(jumps.size)
    return np.cumsum(steps) + 0.5 * rng.standard_normal(n)


def tv_dual_fista(y, lam, n_iter, reference=None, target=None):
    """min_z 1/2 ||y - D^T z||^2, |z| <= lam, by FISTA (step 1/4); u = y - D^T z."""
    def dt(z):                                   # D^T z for D the forward difference
        out = np.empty(z.size + 1)
        out[0] = -z[0]
        out[1:-1] = z[:-1] - z[1:]
        out[-1] = z[-1]
        return out
    z = np.zeros(y.size - 1)
    w, t = z.copy(), 1.0
    for k in range(1, n_iter + 1):
        u = y - dt(w)
        z_new = np.clip(w + 0.25 * np.diff(u), -lam, lam)
        t_new = 0.5 * (1 + np.sqrt(1 + 4 * t * t))
        w = z_new + (t - 1) / t_new * (z_new - z)
        z, t = z_new, t_new
        if reference is not None and k % 50 == 0:
            err = np.max(np.abs(y - dt(z) - reference)) / np.max(np.abs(reference))
            if err <= target:
                return k
    return y - dt(z) if reference is None else n_iter


def main():
    rng = np.random.default_rng(0)
    n, lam = 10**7, 2.0
    y = piecewise(n, rng)
    t_condat = median_time(lambda: prox_tv1d(y, lam), 5)
    t_iter = median_time(lambda: tv_dual_fista(y, lam, 5), 3) / 5
    small = piecewise(10**5, rng)
    needed = tv_dual_fista(small, lam, 20_000, reference=prox_tv1d(small, lam), target=1e-6)
    print(f"TV 1e7: Condat {t_condat * 1e3:.0f} ms; NumPy dual FISTA {t_iter * 1e3:.0f} ms "
          f"per iteration, {needed} iterations for 1e-6 on 1e5 points -> "
          f"{t_iter * needed / t_condat:.0f}x slower (one iteration alone "
          f"{t_iter / t_condat:.2f}x Condat)")

    x = rng.standard_normal(n)
    t_soft = median_time(lambda: prox_l1(x, 0.5), 5)
    t_np = median_time(lambda: np.sign(x) * np.maximum(np.abs(x) - 0.5, 0), 5)
    print(f"soft-threshold 1e7: compiled {t_soft * 1e3:.0f} ms, NumPy {t_np * 1e3:.0f} ms "
          f"-> {t_np / t_soft:.2f}x")

    X = rng.standard_normal((200, 5000))
    w = np.zeros(5000)
    w[rng.choice(5000, 20, replace=False)] = 3 * rng.standard_normal(20)
    yl = X @ w + 0.5 * rng.standard_normal(200)
    alpha = 0.05 * np.max(np.abs(X.T @ (yl - yl.mean()))) / 200
    tol = 1e-6
    t_cd = median_time(lambda: Lasso(alpha=alpha, tol=tol).fit(X, yl), 3)
    res = fista(X, yl, L1Penalty(alpha), fit_intercept=True, tol=tol, max_iter=100_000)
    t_fista = median_time(lambda: fista(X, yl, L1Penalty(alpha), fit_intercept=True,
                                        tol=tol, max_iter=100_000), 3)
    print(f"Lasso dense 200x5000 (alpha = 0.05 alpha_max, tol {tol:g}): CD "
          f"{t_cd * 1e3:.1f} ms, FISTA {t_fista * 1e3:.1f} ms ({res.n_iter} iterations) "
          f"-> FISTA/CD = {t_fista / t_cd:.1f}")

    n_rows, p = 1024, 4096
    rows = np.sort(rng.choice(p, n_rows, replace=False))

    def matvec(v):
        return idct(v.ravel(), norm="ortho")[rows]

    def rmatvec(u):
        full = np.zeros(p)
        full[rows] = u.ravel()
        return dct(full, norm="ortho")

    op = LinearOperator((n_rows, p), matvec=matvec, rmatvec=rmatvec, dtype=np.float64)
    coef = np.zeros(p)
    coef[rng.choice(p, 40, replace=False)] = rng.standard_normal(40)
    yo = matvec(coef) + 0.01 * rng.standard_normal(n_rows)
    alpha_o = 0.05 * np.max(np.abs(rmatvec(yo))) / n_rows

    def cd_on_materialized():
        dense = np.asfortranarray(np.stack([rmatvec(e) for e in np.eye(n_rows)], axis=0))
        return Lasso(alpha=alpha_o, tol=tol, fit_intercept=False).fit(dense, yo)

    t_cd_op = median_time(cd_on_materialized, 3)
    t_fista_op = median_time(lambda: fista(op, yo, L1Penalty(alpha_o), tol=tol), 3)
    print(f"Lasso, X a LinearOperator (subsampled DCT {n_rows}x{p}): materialize + CD "
          f"{t_cd_op * 1e3:.0f} ms, FISTA {t_fista_op * 1e3:.0f} ms -> CD/FISTA = "
          f"{t_cd_op / t_fista_op:.1f}")


if __name__ == "__main__":
    main()
