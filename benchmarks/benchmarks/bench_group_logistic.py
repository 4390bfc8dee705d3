"""GroupLogisticRegression (the logistic datafit on the group engine): one fit at
alpha_max / 20, groups of 5 consecutive columns, on the moderate problems' labels (dense
200 x 5,000: 1,000 groups; text-like CSR 2,000 x 20,000: 4,000), over storage x dtype.

``python -m benchmarks.bench_group_logistic [tol]`` (from benchmarks/) also times skglm's
GroupBCD with its LogisticGroup datafit (intercept fitted) on the same fit, in one process,
and reports both objectives (the peers stop on different criteria: l1core on its gap;
skglm 0.5's LogisticGroup takes dense X only)."""

import time

import numpy as np

from l1core import GroupLogisticRegression
from l1core.group_logistic import GroupLogisticProblem

from .common import TOL, _FitTracks, _StorageDtypeSuite, moderate_problems

GROUP_SIZE = 5
FRACTION = 20
MAX_ITER = 5_000


class GroupLogisticFitSuite(_FitTracks, _StorageDtypeSuite):
    """One GroupLogisticRegression (Group Lasso penalty) fit at alpha_max / 20."""

    def prepare(self):
        problem = GroupLogisticProblem(self.pb.X, self.pb.label, groups=GROUP_SIZE)
        self.alpha = problem.alpha_max() / FRACTION

    def _fit(self):
        return GroupLogisticRegression(alpha=self.alpha, groups=GROUP_SIZE, tol=TOL,
                                       max_iter=MAX_ITER).fit(self.pb.X, self.pb.label)

    def time_fit(self, *params):
        self._fit()


# ----------------------------------------------------------------------------- peers


def _objective(X, y, w, b, alpha):
    z = X @ w + b
    return (np.logaddexp(0.0, -y * z).mean()
            + alpha * np.sqrt(GROUP_SIZE) * np.linalg.norm(w.reshape(-1, GROUP_SIZE),
                                                           axis=1).sum())


def _median_seconds(fn, repeat):
    times, out = [], None
    for _ in range(repeat):
        start = time.perf_counter()
        out = fn()
        times.append(time.perf_counter() - start)
    return float(np.median(times)), out


def compare(repeat=3, tol=TOL):
    """Median seconds of l1core and skglm (GroupBCD + LogisticGroup + WeightedGroupL2,
    weights sqrt(5), intercept) at alpha_max / 20, with the objectives reached."""
    import scipy.sparse as sp
    from skglm.datafits import LogisticGroup
    from skglm.penalties import WeightedGroupL2
    from skglm.solvers import GroupBCD

    problems = moderate_problems()
    for name in ("dense", "sparse"):
        X, _, label = problems[name]
        X = sp.csc_matrix(X) if name == "sparse" else np.asfortranarray(X)
        y = np.where(label == np.unique(label)[1], 1.0, -1.0)
        p = X.shape[1]
        problem = GroupLogisticProblem(X, y, groups=GROUP_SIZE)
        alpha = problem.alpha_max() / FRACTION
        ptr, feat = problem.ptr.astype(np.int32), problem.feat.astype(np.int32)

        def ours():
            m = GroupLogisticRegression(alpha=alpha, groups=GROUP_SIZE, tol=tol,
                                        max_iter=MAX_ITER).fit(X, y)
            return m.coef_[0], m.intercept_[0], m.n_iter_[0]

        def skglm_fit():
            w = GroupBCD(max_iter=1000, tol=tol, fit_intercept=True).solve(
                X, y, LogisticGroup(ptr, feat),
                WeightedGroupL2(alpha, problem.weights, ptr, feat))[0]
            return w[:p], w[p], 0

        fits = [("l1core", ours), ("skglm", skglm_fit)]
        try:
            skglm_fit()                                 # numba compiles here
        except AttributeError as exc:     # skglm 0.5: LogisticGroup has no sparse gradient
            print(f"  skglm: {exc}".splitlines()[0])
            fits.pop()
        rows = {}
        for solver, fit in fits:
            t, (w, b, epochs) = _median_seconds(fit, repeat)
            rows[solver] = (t, _objective(X, y, w, b, alpha), np.count_nonzero(w), epochs)
        print(f"{name} {X.shape[0]} x {p}, {p // GROUP_SIZE} groups, tol {tol:g}")
        base = rows["l1core"]
        for solver, (t, obj, nnz, epochs) in rows.items():
            print(f"  {solver:7s} fit {t * 1e3:9.1f} ms ({t / base[0]:5.2f}x)  nnz {nnz:5d}  "
                  f"objective - l1core's {obj - base[1]:+.2e}")


if __name__ == "__main__":
    import sys
    compare(tol=float(sys.argv[1]) if len(sys.argv) > 1 else TOL)
