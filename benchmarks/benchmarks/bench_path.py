"""Regularization paths: lasso_path and enet_path, 100 alphas from alpha_max to
alpha_max / 100, with an intercept, warm starts and the strong rule."""

import numpy as np

from l1core import enet_path

from .common import MAX_ITER, TOL, _StorageDtypeSuite, _StorageSuite

N_ALPHAS = 100
EPS = 1e-2


class LassoPathSuite(_StorageDtypeSuite):
    """lasso_path over storage x dtype (dense 200 x 5,000; sparse 2,000 x 20,000)."""

    l1_ratio = 1.0

    def _path(self):
        return enet_path(self.pb.X, self.pb.y, l1_ratio=self.l1_ratio, n_alphas=N_ALPHAS,
                         eps=EPS, fit_intercept=True, tol=TOL, max_iter=MAX_ITER,
                         return_n_iter=True)

    def time_path(self, *params):
        self._path()

    def peakmem_path(self, *params):
        self._path()

    def track_epochs(self, *params):
        return int(np.sum(self._path()[3]))

    track_epochs.unit = "epochs (sum over alphas)"

    def track_max_dual_gap(self, *params):
        return float(np.max(self._path()[2]))

    track_max_dual_gap.unit = "gap"

    def track_nnz_last(self, *params):
        return int(np.count_nonzero(self._path()[1][:, -1]))

    track_nnz_last.unit = "nonzeros"


class EnetPathSuite(_StorageSuite):
    """enet_path with l1_ratio=0.5, float64, over storage."""

    l1_ratio = 0.5
    _path = LassoPathSuite._path
    time_path = LassoPathSuite.time_path
    track_epochs = LassoPathSuite.track_epochs


class SmallPathSuite:
    """The 100-alpha lasso_path and LassoCV(cv=5) on the diabetes data (442 x 10): the cost
    per alpha that is not coordinate descent (the Gram form's path runs in compiled code)."""

    timeout = 120

    def setup(self):
        from .data import load

        w = load("diabetes")
        self.X, self.y = np.asfortranarray(w.X), w.y

    def time_lasso_path(self):
        enet_path(self.X, self.y, l1_ratio=1.0, n_alphas=100, fit_intercept=True)

    def time_lasso_cv(self):
        from l1core import LassoCV

        LassoCV(cv=5).fit(self.X, self.y)
