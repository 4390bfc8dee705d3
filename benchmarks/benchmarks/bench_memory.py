"""Memory of float32 sparse paths and cross-validation: a hidden float64 copy of X (what
``X.T @ float64_vector`` makes in scipy) shows in ``peakmem_*`` and, exactly, in the
``track_*_traced_over_X`` ratios (peak of NumPy's allocations during the call / X's bytes:
about 0.05 without copies, above 1 with a float64 copy of X's values).

X: float32, 20,000 x 20,000 with 100 values per row (2 million, 16 MB), from
``data.scale_csr``; paths of 10 alphas down to alpha_max / 10 with an intercept.

Storage "csr" is the default (solved from a CSC copy within ``csr_copy_budget``: about 1x X
more), "csr-in-place" the CSR kernels (``csr_copy_budget=0``)."""

import numpy as np

import l1core
from l1core import LassoCV, SparseLogisticRegressionCV, lasso_path, logistic_path

from .data import scale_csr
from .memory import traced_peak, x_bytes

NNZ = 2_000_000
N_FEATURES = 20_000
N_ALPHAS = 10
EPS = 0.1


def _traced_over_X(method):
    """A track_* benchmark: the traced peak of ``self.<method>()`` over X's bytes."""
    def track(self, *params):
        return traced_peak(getattr(self, method)) / x_bytes(self.X)
    track.unit = "peak allocations / X bytes"
    return track


class Float32SparseMemorySuite:
    """Peak memory of lasso_path, LassoCV(cv=3), logistic_path and
    SparseLogisticRegressionCV(cv=3) on float32 CSR and CSC."""

    params = (["csr", "csr-in-place", "csc"],)
    param_names = ["storage"]
    timeout = 300

    def setup_cache(self):
        X, y, label = scale_csr(NNZ, n_features=N_FEATURES)
        return X, y, label

    def setup(self, data, storage):
        X, self.y, self.label = data
        self.X = X.tocsc() if storage == "csc" else X
        self._budget = l1core.get_config()["csr_copy_budget"]
        l1core.set_config(csr_copy_budget=0 if storage == "csr-in-place" else "auto")

    def teardown(self, data, storage):
        l1core.set_config(csr_copy_budget=self._budget)

    def _path(self):
        return lasso_path(self.X, self.y, n_alphas=N_ALPHAS, eps=EPS, fit_intercept=True)

    def _cv(self):
        return LassoCV(cv=3, n_alphas=N_ALPHAS, eps=EPS).fit(self.X, self.y)

    def _logistic_path(self):
        return logistic_path(self.X, self.label, n_alphas=N_ALPHAS, eps=EPS)

    def _logistic_cv(self):
        return SparseLogisticRegressionCV(cv=3, n_alphas=N_ALPHAS, eps=EPS).fit(self.X,
                                                                               self.label)

    def peakmem_lasso_path(self, *params):
        self._path()

    def peakmem_lasso_cv(self, *params):
        self._cv()

    def peakmem_logistic_path(self, *params):
        self._logistic_path()

    def peakmem_logistic_cv(self, *params):
        self._logistic_cv()

    track_lasso_path_traced_over_X = _traced_over_X("_path")
    track_lasso_cv_traced_over_X = _traced_over_X("_cv")
    track_logistic_path_traced_over_X = _traced_over_X("_logistic_path")
    track_logistic_cv_traced_over_X = _traced_over_X("_logistic_cv")
