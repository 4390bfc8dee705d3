"""l1core.distributed vs dask-ml / dask-glm's L1 solvers on a memory-limited LocalCluster.

    python benchmarks/compare_dask.py [--rows 200000] [--p 120] [--peer-iter 5]
                                      [--memory-limit 150MB] [--scaling-only]

X: ``--rows`` x ``--p`` dense Gaussian rows (dask-glm and dask-ml cannot read scipy.sparse
chunks: their reductions index the blocks as arrays; tried first and reported), 8 row
partitions generated on the workers from seeds; y: the sign of a sparse linear model plus
noise (logistic) or the model itself (Lasso). No intercept on any side (dask-ml adds its
intercept as a column of ones, another problem), so every solver minimizes the same
objective: ours ``mean loss + alpha |w|_1``; dask-glm's is summed, so ``lamduh = alpha n``
(logistic) and ``2 alpha n`` (its Normal loss is ``sum r^2``, ours ``sum r^2 / (2n)``);
dask-ml's ``C = 1 / lamduh``. alpha = alpha_max / 20.

1. Memory-limited cluster: 2 workers x 1 thread, ``memory_limit`` below X's size (Dask
   spills what does not fit): time and objective of l1core (certified gap, tol 1e-6), of
   dask-glm's ``proximal_grad`` and of dask-ml's ``LogisticRegression(penalty="l1",
   solver="proximal_grad")`` / ``LinearRegression(penalty="l1")``, each given
   ``--peer-iter`` iterations; the objectives recomputed here by one map-reduce.
2. Communication per outer iteration of the l1core fits (``history_``): bytes the
   per-partition tasks returned, the partials passed up the reduction tree (4 per node)
   and the bytes the driver received.
3. Scaling: the l1core logistic fit on 1 then 2 workers (memory not limited), median of 3.

Measured 2026-12-03 on this 2-core machine shared with four other jobs (noisy; the l1core
and peer timings of one kind come from the same run), defaults (200,000 x 120, 192 MB,
2 workers x 150 MB, Dask spilling):

- dask-glm on CSR chunks: IndexError (cannot index scipy.sparse blocks), hence dense.
- logistic: l1core 20.1 s to 0.2989662904 (certified gap 1.1e-8, 3 full passes); dask-glm
  proximal_grad 5 iterations 50.5 s to 1.0937 (+0.79, above the w = 0 start's log 2);
  dask-ml proximal_grad 5 iterations 57.3 s, the same objective (it calls dask-glm).
- Lasso: l1core 13.3 s to 1.7385610528 (gap 5.5e-6, 3 passes); dask-glm 80.5 s and dask-ml
  58.0 s to 1.7385647807 (+3.7e-6, inside our certified gap).
- communication per pass (p = 120, 8 partitions): logistic 15.6 kB of per-partition
  results, 19.5 kB of tree partials, 2.0 kB to the driver; Lasso 7.9 / 9.8 / 1.0 kB; plus
  the working-set columns gathered once each (16 MB for 10 columns of 200,000 rows).
- scaling of the logistic fit, memory not limited, idle machine: 1 worker 2.59 s,
  2 workers 2.07 s (median of 3; the driver-side subproblem and column gathers are serial).
"""

import argparse
import os
import sys
import time

# benchmarks/distributed.py is named like the `distributed` package: keep this folder off
# the import path.
sys.path[:] = [p for p in sys.path
               if os.path.abspath(p or ".") != os.path.dirname(os.path.abspath(__file__))]

import dask  # noqa: E402
import dask.array as da  # noqa: E402
import numpy as np  # noqa: E402
import scipy.sparse as sp  # noqa: E402
from dask.distributed import Client, LocalCluster  # noqa: E402

BLOCKS = 8


def make_block(block_id=None, rows=25_000, p=120):
    return np.random.default_rng(5000 + block_id[0]).standard_normal((rows, p))


def target(Xk, w, kind, block_id=None):
    z = Xk @ w + 0.5 * np.random.default_rng(6000 + block_id[0]).standard_normal(Xk.shape[0])
    return z if kind == "lasso" else (z > 0).astype(np.float64)


def data(rows, p):
    per = rows // BLOCKS
    X = da.map_blocks(make_block, rows=per, p=p, chunks=((per,) * BLOCKS, (p,)),
                      dtype=np.float64).persist()
    w = np.zeros(p)
    w[:15] = np.random.default_rng(9).standard_normal(15)
    ys = {kind: X.map_blocks(target, w, kind, drop_axis=1, dtype=np.float64,
                             meta=np.zeros(0)).persist() for kind in ("lasso", "logistic")}
    return X, ys


def objective(X, y, w, alpha, kind):
    """Our objective (no intercept) by one map-reduce."""
    z = X.map_blocks(lambda Xk: Xk @ w, drop_axis=1, dtype=np.float64, meta=np.zeros(0))
    loss = (0.5 * da.mean((y - z) ** 2) if kind == "lasso"
            else da.mean(da.logaddexp(0.0, -(2 * y - 1) * z)))
    return float(loss.compute()) + alpha * float(np.abs(w).sum())


def estimator(kind, alpha, tol):
    from l1core import distributed as dl
    return (dl.Lasso(alpha=alpha, tol=tol, fit_intercept=False) if kind == "lasso" else
            dl.SparseLogisticRegression(alpha=alpha, tol=tol, fit_intercept=False))


def alpha_max(X, y, kind):
    """alpha_max of the no-intercept problem: max |X^T y| / n (Lasso) or
    max |X^T (y01 - 1/2)| / n (logistic), by one map-reduce."""
    v = y if kind == "lasso" else y - 0.5
    return float(da.max(da.fabs(X.T @ v)).compute()) / X.shape[0]


def timed(fn):
    start = time.perf_counter()
    out = fn()
    return out, time.perf_counter() - start


def dask_glm_fit(X, y, alpha, kind, iters):
    from dask_glm import algorithms, families
    n = X.shape[0]
    family, lamduh = ((families.Normal, 2 * alpha * n) if kind == "lasso"
                      else (families.Logistic, alpha * n))
    return np.asarray(algorithms.proximal_grad(X, y, family=family, regularizer="l1",
                                               lamduh=lamduh, max_iter=iters, tol=1e-10))


def dask_ml_fit(X, y, alpha, kind, iters):
    from dask_ml.linear_model import LinearRegression, LogisticRegression
    n = X.shape[0]
    if kind == "lasso":
        model = LinearRegression(penalty="l1", C=1.0 / (2 * alpha * n), solver="proximal_grad",
                                 fit_intercept=False, max_iter=iters, tol=1e-10)
    else:
        model = LogisticRegression(penalty="l1", C=1.0 / (alpha * n), solver="proximal_grad",
                                   fit_intercept=False, max_iter=iters, tol=1e-10)
    return np.asarray(model.fit(X, y).coef_).ravel()


def sparse_attempt(X, y, alpha, iters):
    """dask-glm on CSR chunks of the same X: reported, not hidden."""
    Xs = X[: X.chunks[0][0] * 2].map_blocks(sp.csr_matrix, dtype=np.float64,
                                             meta=sp.csr_matrix((0, X.shape[1])))
    try:
        dask_glm_fit(Xs, y[: Xs.shape[0]], alpha, "logistic", min(iters, 2))
        return "ran"
    except Exception as exc:                            # the failure is the result
        return f"{type(exc).__name__}: {str(exc)[:80]}"


def communication(est):
    rows = []
    for k, h in enumerate(est.history_):
        rows.append(f"    pass {k + 1}: gap {h['gap']:.2e}; per-partition results "
                    f"{h['pass_bytes'] / 1e3:.1f} kB, tree partials "
                    f"{h['partial_bytes'] / 1e3:.1f} kB, driver received "
                    f"{h['driver_bytes'] / 1e3:.1f} kB, columns gathered "
                    f"{h['column_bytes'] / 1e6:.2f} MB (|W| = {h['ws_size']})")
    return "\n".join(rows)


def compare(X, ys, iters):
    for kind in ("logistic", "lasso"):
        y = ys[kind]
        alpha = alpha_max(X, y, kind) / 20
        est, sec = timed(lambda: estimator(kind, alpha, 1e-6).fit(X, y))
        ours = objective(X, y, np.ravel(est.coef_).astype(np.float64), alpha, kind)
        print(f"  {kind}: l1core {sec:.2f} s, objective {ours:.10f}, certified gap "
              f"{est.dual_gap_:.1e}, {est.n_outer_iter_} passes")
        print(communication(est))
        for name, fit in (("dask-glm proximal_grad", dask_glm_fit),
                          ("dask-ml proximal_grad", dask_ml_fit)):
            try:
                w, psec = timed(lambda: fit(X, y, alpha, kind, iters))
            except Exception as exc:                   # report, do not hide
                print(f"    {name}: failed: {type(exc).__name__}: {exc}")
                continue
            theirs = objective(X, y, w, alpha, kind)
            print(f"    {name} ({iters} iterations): {psec:.2f} s, objective "
                  f"{theirs:.10f} (excess {theirs - ours:+.1e}); time ratio "
                  f"{psec / sec:.1f}x l1core's")


def memory_limited(args, x_mb):
    with LocalCluster(n_workers=2, threads_per_worker=1, memory_limit=args.memory_limit,
                      dashboard_address=None) as cluster, Client(cluster):
        X, ys = data(args.rows, args.p)
        print(f"X: {args.rows} x {args.p} dense ({x_mb:.0f} MB), {BLOCKS} partitions; "
              f"2 workers x memory_limit {args.memory_limit}")
        print(f"  dask-glm on CSR chunks: {sparse_attempt(X, ys['logistic'], 1e-3, 2)}")
        compare(X, ys, args.peer_iter)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--rows", type=int, default=200_000)
    ap.add_argument("--p", type=int, default=120)
    ap.add_argument("--peer-iter", type=int, default=5)
    ap.add_argument("--scaling-only", action="store_true")
    ap.add_argument("--memory-limit", default="150MB")
    args = ap.parse_args()
    x_mb = args.rows * args.p * 8 / 1e6
    dask.config.set({"distributed.worker.memory.target": 0.5,
                     "distributed.worker.memory.spill": 0.6,
                     "distributed.worker.memory.pause": False,
                     "distributed.worker.memory.terminate": False})
    if not args.scaling_only:
        memory_limited(args, x_mb)
    for workers in (1, 2):
        with LocalCluster(n_workers=workers, threads_per_worker=1,
                          dashboard_address=None) as cluster, Client(cluster):
            X, ys = data(args.rows, args.p)
            y = ys["logistic"]
            alpha = alpha_max(X, y, "logistic") / 20
            times = [timed(lambda: estimator("logistic", alpha, 1e-6).fit(X, y))[1]
                     for _ in range(3)]
            print(f"scaling: {workers} worker(s): logistic fit {np.median(times):.2f} s "
                  f"(median of 3)")


if __name__ == "__main__":
    main()
