"""Multi-task Lasso on the group engine, and multi-output y, on MEG-like data: columns with
AR(1) correlation rho (neighbouring sources), a few active rows shared by T tasks.

asv: ``MultiTaskSuite`` (one fit at alpha_max / 20, dense / CSC, float64 / float32: time and
epochs), ``MultiOutputSuite`` (Lasso on a 2-D y against T separate fits).

``python -m benchmarks.bench_multitask [n p T]`` (from benchmarks/) times l1core's
MultiTaskLasso against scikit-learn's and celer's (``mtl_path``, which fits no intercept, so
every solver gets centered data and ``fit_intercept=False``) in one process, medians of
repeats, and prints each solver's objective recomputed in NumPy."""

import sys
import time

import numpy as np
import scipy.sparse as sp

from l1core import Lasso, MultiTaskLasso
from l1core.multitask import MultiTaskProblem

TOL = 1e-6
MAX_ITER = 100_000


def meg_like(n=300, p=10_000, T=40, n_active=10, rho=0.5, seed=0):
    """(X, Y) centered, X Fortran: x_j = rho x_{j-1} + sqrt(1 - rho^2) z_j, Y = X W^T + noise
    with n_active random rows of W nonzero (SNR about 3)."""
    rng = np.random.default_rng(seed)
    X = np.empty((n, p), order="F")
    X[:, 0] = rng.standard_normal(n)
    scale = np.sqrt(1 - rho * rho)
    for j in range(1, p):
        X[:, j] = rho * X[:, j - 1] + scale * rng.standard_normal(n)
    W = np.zeros((T, p))
    rows = rng.choice(p, n_active, replace=False)
    W[:, rows] = rng.standard_normal((T, n_active))
    signal = X @ W.T
    Y = signal + rng.standard_normal((n, T)) * signal.std() / 3
    X -= X.mean(0)
    return X, Y - Y.mean(0)


def objective(X, Y, W, alpha):
    """1/(2n) ||Y - X W^T||_F^2 + alpha sum_j ||W_:j||_2 (centered data, no intercept)."""
    R = Y - X @ W.T
    return 0.5 * np.sum(R * R) / X.shape[0] + alpha * np.sum(np.linalg.norm(W, axis=0))


class MultiTaskSuite:
    params = (["dense", "csc"], ["float64", "float32"])
    param_names = ["storage", "dtype"]

    def setup_cache(self):
        X, Y = meg_like(n=100, p=1_000, T=10)
        return X, Y, MultiTaskProblem(X, Y, fit_intercept=False).alpha_max()

    def setup(self, cache, storage, dtype):
        X, Y, amax = cache
        X = X.astype(dtype, order="F")
        self.X = sp.csc_matrix(X) if storage == "csc" else X
        self.Y, self.alpha = Y, amax / 20

    def _fit(self):
        return MultiTaskLasso(alpha=self.alpha, tol=TOL, max_iter=MAX_ITER,
                              fit_intercept=False).fit(self.X, self.Y)

    def time_fit(self, cache, storage, dtype):
        self._fit()

    def track_epochs(self, cache, storage, dtype):
        return self._fit().n_iter_


class MultiTaskPathSuite:
    """multitask_path on 30 alphas down to alpha_max / 20, with and without the strong rule
    (time and total epochs), and MultiTaskLassoCV (3 folds, 10 alphas)."""
    params = (["dense", "csc"], [True, False])
    param_names = ["storage", "strong_rule"]

    def setup_cache(self):
        return meg_like(n=100, p=2_000, T=10)

    def setup(self, cache, storage, strong_rule):
        X, self.Y = cache
        self.X = sp.csc_matrix(X) if storage == "csc" else X
        amax = MultiTaskProblem(X, self.Y, fit_intercept=False).alpha_max()
        self.alphas = amax * np.geomspace(1, 0.05, 30)

    def _path(self, strong_rule):
        from l1core import multitask_path
        return multitask_path(self.X, self.Y, alphas=self.alphas, tol=TOL, max_iter=MAX_ITER,
                              strong_rule=strong_rule, return_n_iter=True)

    def time_path(self, cache, storage, strong_rule):
        self._path(strong_rule)

    def track_path_epochs(self, cache, storage, strong_rule):
        return int(self._path(strong_rule).n_iters.sum())

    def time_cv(self, cache, storage, strong_rule):
        from l1core import MultiTaskLassoCV
        if strong_rule:                       # the CV folds always use the strong rule
            MultiTaskLassoCV(cv=3, n_alphas=10, eps=0.05, tol=TOL).fit(self.X, self.Y)


class MultiOutputSuite:
    """Lasso on a 2-D y (shared validation and column statistics) against T separate fits."""

    def setup_cache(self):
        X, Y = meg_like(n=200, p=2_000, T=8)
        alpha = np.max(np.abs(X.T @ Y)) / X.shape[0] / 20
        return X, Y, alpha

    def time_two_dimensional_y(self, cache):
        X, Y, alpha = cache
        Lasso(alpha=alpha, tol=TOL, fit_intercept=False).fit(X, Y)

    def time_separate_fits(self, cache):
        X, Y, alpha = cache
        for t in range(Y.shape[1]):
            Lasso(alpha=alpha, tol=TOL, fit_intercept=False).fit(X, Y[:, t])


def _median_time(fn, repeat):
    times, out = [], None
    for _ in range(repeat):
        start = time.perf_counter()
        out = fn()
        times.append(time.perf_counter() - start)
    return float(np.median(times)), out


def compare(n=300, p=10_000, T=40, ratio=20, repeat=3):
    """Print seconds, ratio to l1core and objective minus l1core's for each solver."""
    X, Y = meg_like(n, p, T)
    alpha = MultiTaskProblem(X, Y, fit_intercept=False).alpha_max() / ratio
    solvers = {"l1core": lambda: MultiTaskLasso(alpha=alpha, tol=TOL, max_iter=MAX_ITER,
                                                fit_intercept=False).fit(X, Y).coef_}
    try:
        from sklearn.linear_model import MultiTaskLasso as SkMTL
        solvers["scikit-learn"] = lambda: SkMTL(alpha=alpha, tol=TOL, max_iter=MAX_ITER,
                                                fit_intercept=False).fit(X, Y).coef_
    except ImportError:
        pass
    try:
        from celer.homotopy import mtl_path
        Yf = np.asfortranarray(Y)
        solvers["celer"] = lambda: mtl_path(X, Yf, alphas=np.array([alpha]), tol=TOL,
                                            max_epochs=MAX_ITER)[1][..., 0]
    except ImportError:
        pass
    print(f"MEG-like n={n} p={p} T={T} rho=0.5, alpha = alpha_max/{ratio}, tol={TOL}, "
          f"median of {repeat}")
    base_t, base_P = None, None
    for name, fn in solvers.items():
        seconds, W = _median_time(fn, repeat)
        P = objective(X, Y, W, alpha)
        if base_t is None:
            base_t, base_P = seconds, P
        rows = int(np.count_nonzero(np.linalg.norm(W, axis=0)))
        print(f"{name:>13}: {seconds:8.3f} s  x{seconds / base_t:6.2f}  objective {P:.10g} "
              f"(- l1core: {P - base_P:+.2e})  rows {rows}")


def path_solvers(X, Y, alphas):
    """{name: () -> coefs (T, p, n_alphas)}: l1core's multitask_path, scikit-learn's
    enet_path on a 2-D Y (its multi-task coordinate descent) and celer's mtl_path, all
    warm-started along the same grid, no intercept (centered data), tol=TOL."""
    from l1core import multitask_path
    solvers = {"l1core": lambda: multitask_path(X, Y, alphas=alphas, tol=TOL,
                                                max_iter=MAX_ITER).coefs}
    try:
        from sklearn.linear_model import lasso_path
        solvers["scikit-learn"] = lambda: lasso_path(X, Y, alphas=alphas, tol=TOL,
                                                     max_iter=MAX_ITER)[1]
    except ImportError:
        pass
    try:
        from celer.homotopy import mtl_path
        Yf = np.asfortranarray(Y)
        solvers["celer"] = lambda: mtl_path(X, Yf, alphas=alphas, tol=TOL,
                                            max_epochs=MAX_ITER)[1]
    except ImportError:
        pass
    return solvers


def compare_path(n=300, p=10_000, T=40, n_alphas=100, eps=1e-3, repeat=3):
    """The path on the grid alpha_max -> eps alpha_max: seconds (median of ``repeat``, the
    solvers interleaved in one process), ratio to l1core, and the worst objective minus
    l1core's over the grid (positive: l1core is lower)."""
    X, Y = meg_like(n, p, T)
    amax = MultiTaskProblem(X, Y, fit_intercept=False).alpha_max()
    alphas = amax * np.geomspace(1, eps, n_alphas)
    solvers = path_solvers(X, Y, alphas)
    times = {name: [] for name in solvers}
    coefs = {}
    for _ in range(repeat):
        for name, fn in solvers.items():
            start = time.perf_counter()
            coefs[name] = fn()
            times[name].append(time.perf_counter() - start)
    print(f"MEG-like path n={n} p={p} T={T} rho=0.5, {n_alphas} alphas down to {eps} alpha_max, "
          f"tol={TOL}, median of {repeat}")
    base = float(np.median(times["l1core"]))
    P0 = [objective(X, Y, coefs["l1core"][..., k], a) for k, a in enumerate(alphas)]
    for name in solvers:
        seconds = float(np.median(times[name]))
        dP = max(objective(X, Y, coefs[name][..., k], a) - P0[k] for k, a in enumerate(alphas))
        print(f"{name:>13}: {seconds:8.3f} s  x{seconds / base:6.2f}  "
              f"max objective - l1core's {dP:+.2e}")


if __name__ == "__main__":
    if sys.argv[1:2] == ["path"]:
        compare_path(*(int(a) for a in sys.argv[2:5]), *(int(a) for a in sys.argv[5:6]))
    else:
        compare(*(int(a) for a in sys.argv[1:4]))
