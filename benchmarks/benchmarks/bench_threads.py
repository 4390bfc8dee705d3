"""Threads inside one fit (issue 13): ``l1core.set_config(n_threads=k)`` splits the full
passes over dense and CSC X (gradient ``X^T r``, gaps, column statistics) by columns.

``time_*`` time each workload at 1 and 2 threads; ``track_speedup`` runs both thread counts
alternately in one process (``ROUNDS`` times each) and reports median(1 thread) / median(2
threads), so a ratio is comparable across machines and loads where absolute times are not.
The goal is 1.6x or more on full-pass-bound fits; below 1 means two threads are slower.

Workloads: a dense p >> n Lasso fit at alpha_max / 5 and a 20-alpha path (full passes over a
500 x 20,000 float64 X, 80 MB), and a Lasso fit on a text-like CSC X (20,000 x 100,000,
about 1.3M values) at alpha_max / 5.

Measured on an idle 2-core machine (medians of 5 alternated runs): before the column
statistics were threaded, dense fit 1.04x, dense path 1.18x, CSC fit 0.82x; after, 1.37x,
1.43x, 0.94-1.03x (the CSC fit's passes are a small part of it; its ratio moves with the
OpenBLAS threads' spinning). A 1,000 x 40,000 dense fit at alpha_max / 2: 1.58x.
"""

import statistics
import time

import l1core
from l1core import Lasso, lasso_path

from .data import alpha_max, as_storage, load

WORKLOADS = ["dense_fit", "dense_path", "csc_fit"]
ROUNDS = 3
FRACTION = 5.0
TOL = 1e-6


def _problem(kind):
    if kind == "dense":
        w = load("wide", n_samples=500, n_features=20_000, n_informative=20, rho=0.5, seed=0)
        return as_storage(w.X, "dense"), w.y
    w = load("zipf", n_samples=20_000, n_features=100_000, nnz_per_row=50, exponent=1.1,
             n_informative=50, seed=0)
    return as_storage(w.X, "csc"), w.y


class ThreadSuite:
    """Lasso fits and a path at 1 and 2 threads, and the same-process speedup."""

    params = (WORKLOADS,)
    param_names = ["workload"]
    timeout = 600
    number = 1
    repeat = 3
    warmup_time = 0

    def setup(self, workload):
        self._threads = l1core.get_config()["n_threads"]
        self.X, self.y = _problem("dense" if workload.startswith("dense") else "csc")
        self.alpha = alpha_max(self.X, self.y) / FRACTION
        self.call = {"dense_fit": self._fit, "csc_fit": self._fit,
                     "dense_path": self._path}[workload]

    def teardown(self, workload):
        l1core.set_config(n_threads=self._threads)

    def _fit(self):
        Lasso(alpha=self.alpha, tol=TOL, precompute=False).fit(self.X, self.y)

    def _path(self):
        lasso_path(self.X, self.y, n_alphas=20, eps=1.0 / FRACTION, tol=TOL,
                   precompute=False)

    def _timed(self, threads):
        l1core.set_config(n_threads=threads)
        t0 = time.perf_counter()
        self.call()
        return time.perf_counter() - t0

    def time_one_thread(self, workload):
        l1core.set_config(n_threads=1)
        self.call()

    def time_two_threads(self, workload):
        l1core.set_config(n_threads=2)
        self.call()

    def track_speedup(self, workload):
        one, two = [], []
        for _ in range(ROUNDS):
            one.append(self._timed(1))
            two.append(self._timed(2))
        return statistics.median(one) / statistics.median(two)

    track_speedup.unit = "t(1 thread) / t(2 threads)"
