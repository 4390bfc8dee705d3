"""Group Lasso / Sparse Group Lasso on the engine: a 100-alpha group_lasso_path (alpha_max
to alpha_max / 100) and one fit at alpha_max / 20, groups of 5 consecutive columns, on the
moderate problems (dense 200 x 5,000: 1,000 groups; text-like CSR 2,000 x 20,000: 4,000).

``python -m benchmarks.bench_group`` (from benchmarks/) also times skglm's and celer's
GroupLasso on the same fits, in one process, when they are installed."""

import time

import numpy as np

from l1core import GroupLasso, group_lasso_path
from l1core._group_solver import GroupProblem

from .bench_path import LassoPathSuite as _LassoPath
from .common import (MAX_ITER, TOL, _FitTracks, _StorageDtypeSuite, _StorageSuite,
                     moderate_problems)

GROUP_SIZE = 5
N_ALPHAS = 100
EPS = 1e-2
# A safety cap: a few alphas of the sparse-group path with an intercept on the Zipf data still
# creep to it (issue 11); track_epochs shows them.
GROUP_MAX_ITER = 2_000


def group_alpha_max(X, y, l1_ratio=0.0):
    return GroupProblem(X, y, groups=GROUP_SIZE, l1_ratio=l1_ratio).alpha_max()


class GroupLassoPathSuite(_LassoPath):
    """group_lasso_path (Group Lasso, intercept) over storage x dtype: the lasso path's
    time, peak memory and tracks (epochs, largest gap, nonzeros at the end)."""

    l1_ratio = 0.0

    def _path(self):
        return group_lasso_path(self.pb.X, self.pb.y, groups=GROUP_SIZE, l1_ratio=self.l1_ratio,
                                n_alphas=N_ALPHAS, eps=EPS, tol=TOL, max_iter=GROUP_MAX_ITER)


class SparseGroupLassoPathSuite(_StorageSuite):
    """group_lasso_path with l1_ratio=0.5, float64, over storage."""

    l1_ratio = 0.5
    _path = GroupLassoPathSuite._path
    time_path = GroupLassoPathSuite.time_path
    track_epochs = GroupLassoPathSuite.track_epochs


class GroupLassoFitSuite(_FitTracks, _StorageDtypeSuite):
    """One GroupLasso fit at alpha_max / 20 over storage x dtype."""

    def prepare(self):
        self.alpha = group_alpha_max(self.pb.X, self.pb.y) / 20

    def _fit(self):
        return GroupLasso(alpha=self.alpha, groups=GROUP_SIZE, tol=TOL,
                          max_iter=GROUP_MAX_ITER).fit(self.pb.X, self.pb.y)

    def time_fit(self, *params):
        self._fit()


# ----------------------------------------------------------------------------- peers


def _median_seconds(fn, repeat):
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        out = fn()
        times.append(time.perf_counter() - start)
    return float(np.median(times)), out


def _objective(X, y, w, alpha):
    r = y - X @ w
    return 0.5 * r @ r / len(y) + alpha * np.sqrt(GROUP_SIZE) * np.linalg.norm(
        w.reshape(-1, GROUP_SIZE), axis=1).sum()


def compare(repeat=3):
    """Print median seconds of l1core, skglm and celer GroupLasso (no intercept, groups of 5,
    weights sqrt(5)): one fit at alpha_max / 20 and a 20-alpha path, with objectives."""
    import scipy.sparse as sp
    problems = moderate_problems()
    peers = {}
    try:
        import skglm
        peers["skglm"] = lambda a, weights: skglm.GroupLasso(
            groups=GROUP_SIZE, alpha=a, weights=weights, tol=TOL, fit_intercept=False,
            max_iter=1000)
    except ImportError:
        pass
    try:
        import celer
        peers["celer"] = lambda a, weights: celer.GroupLasso(
            groups=GROUP_SIZE, alpha=a, weights=weights, tol=TOL, fit_intercept=False)
    except ImportError:
        pass
    for name in ("dense", "sparse"):
        X, y, _ = problems[name]
        X = sp.csc_matrix(X) if name == "sparse" else np.asfortranarray(X)
        p = X.shape[1]
        weights = np.full(p // GROUP_SIZE, np.sqrt(GROUP_SIZE))   # l1core's default
        alpha_max = GroupProblem(X, y, groups=GROUP_SIZE, fit_intercept=False).alpha_max()
        alphas = np.geomspace(alpha_max, alpha_max / 20, 20)
        fits = {"l1core": lambda a: GroupLasso(alpha=a, groups=GROUP_SIZE, tol=TOL,
                                               fit_intercept=False, max_iter=MAX_ITER)}
        for peer, make in peers.items():
            fits[peer] = lambda a, make=make: make(a, weights)
        results = {}
        for solver, make in fits.items():
            try:
                make(alphas[1]).fit(X, y)         # warm-up (numba compiles skglm here)
                t_fit, model = _median_seconds(lambda: make(alphas[-1]).fit(X, y), repeat)

                def path():
                    est = make(alphas[0])
                    if solver != "celer":
                        est.set_params(warm_start=True)
                    for a in alphas:
                        est.set_params(alpha=a).fit(X, y)
                    return est
                t_path, _ = _median_seconds(path, max(1, repeat // 2))
                results[solver] = (t_fit, t_path, _objective(X, y, np.ravel(model.coef_),
                                                             alphas[-1]))
            except Exception as exc:          # a peer's API may differ: report and go on
                print(f"  {solver}: {type(exc).__name__}: {exc}")
        base = results.get("l1core")
        print(f"{name} {X.shape[0]} x {p}, {p // GROUP_SIZE} groups")
        for solver, (t_fit, t_path, obj) in results.items():
            print(f"  {solver:7s} fit {t_fit * 1e3:9.1f} ms ({t_fit / base[0]:5.2f}x)  "
                  f"20-alpha path {t_path * 1e3:9.1f} ms ({t_path / base[1]:5.2f}x)  "
                  f"objective - l1core's {obj - base[2]:+.2e}")


if __name__ == "__main__":
    compare()
