"""Cross-validation: LassoCV and ElasticNetCV, 5 folds on a 50-alpha grid down to
alpha_max / 100 (each fold is a weighted path on the shared X), float64."""

import numpy as np

from l1core import ElasticNetCV, LassoCV

from .common import MAX_ITER, TOL, _StorageSuite

N_ALPHAS = 50
EPS = 1e-2


class LassoCVSuite(_StorageSuite):
    """LassoCV(cv=5) over storage (dense 200 x 5,000; sparse 2,000 x 20,000)."""

    def _fit(self):
        model = LassoCV(cv=5, n_alphas=N_ALPHAS, eps=EPS, tol=TOL, max_iter=MAX_ITER)
        return model.fit(self.pb.X, self.pb.y)

    def time_fit(self, *params):
        self._fit()

    def peakmem_fit(self, *params):
        self._fit()

    def track_alpha_ratio(self, *params):
        return float(self._fit().alpha_ / self.pb.alpha_max)

    track_alpha_ratio.unit = "alpha_ / alpha_max"

    def track_nnz(self, *params):
        return int(np.count_nonzero(self._fit().coef_))

    track_nnz.unit = "nonzeros"


class ElasticNetCVSuite(_StorageSuite):
    """ElasticNetCV(cv=5) searching l1_ratio in {0.5, 0.9} too, dense and CSC."""

    params = (["dense", "csc"],)

    def _fit(self):
        model = ElasticNetCV(l1_ratio=[0.5, 0.9], cv=5, n_alphas=N_ALPHAS, eps=EPS, tol=TOL,
                             max_iter=MAX_ITER)
        return model.fit(self.pb.X, self.pb.y)

    def time_fit(self, *params):
        self._fit()

    def track_l1_ratio(self, *params):
        return float(self._fit().l1_ratio_)

    track_l1_ratio.unit = "l1_ratio_"
