"""Long mode only (``L1CORE_BENCH_LONG=1``): a Lasso fit and a 10-alpha path on float32 CSR
with 10^8 values (``L1CORE_BENCH_NNZ`` to change it), from ``data.scale_csr``; the same
workload as ``benchmarks/scale.py``, which prints the numbers directly. Without the variable
``setup`` raises NotImplementedError and asv skips the suite (CI's quick run).

``track_*_rss_over_X``: peak resident memory during the call / X's bytes (X, the interpreter
and the call's own allocations; about 1.1-1.4 at 10^8 values, 2 or more with a float64 copy
of X). X is solved in place (``csr_copy_budget=0``): the default CSC copy of a CSR X would
add about 1x X."""

import math
import os
import warnings

import l1core
from l1core import Lasso, lasso_path

from .data import scale_csr
from .memory import peak_rss, x_bytes

N_ALPHAS = 10
EPS = 0.1


def _nnz():
    if os.environ.get("L1CORE_BENCH_LONG") != "1":
        raise NotImplementedError("long benchmark: set L1CORE_BENCH_LONG=1 to run it")
    return int(float(os.environ.get("L1CORE_BENCH_NNZ", "1e8")))


class ScaleSuite:
    """lasso_path (10 alphas down to alpha_max / 10) and Lasso at alpha_max / 10."""

    timeout = 3600
    number = 1
    repeat = 1
    warmup_time = 0

    def setup(self):
        # saved before anything can raise: asv runs teardown after a skipped setup too
        self._budget = l1core.get_config()["csr_copy_budget"]
        self.X, self.y, _ = scale_csr(_nnz())
        l1core.set_config(csr_copy_budget=0)
        with warnings.catch_warnings():          # the grid only: one epoch is enough
            warnings.simplefilter("ignore")
            self.alphas = lasso_path(self.X, self.y, n_alphas=2, eps=EPS, fit_intercept=True,
                                     max_iter=1)[0]

    def teardown(self):
        l1core.set_config(csr_copy_budget=self._budget)

    def _path(self):
        return lasso_path(self.X, self.y, n_alphas=N_ALPHAS, eps=EPS, fit_intercept=True)

    def _fit(self):
        return Lasso(alpha=self.alphas[-1]).fit(self.X, self.y)

    def time_path(self):
        self._path()

    def time_fit(self):
        self._fit()

    def peakmem_path(self):
        self._path()

    def peakmem_fit(self):
        self._fit()

    def _rss_over_X(self, call):
        peak = peak_rss(call)[2]
        return math.nan if peak is None else peak / x_bytes(self.X)

    def track_path_rss_over_X(self):
        return self._rss_over_X(self._path)

    track_path_rss_over_X.unit = "peak RSS / X bytes"

    def track_fit_rss_over_X(self):
        return self._rss_over_X(self._fit)

    track_fit_rss_over_X.unit = "peak RSS / X bytes"
