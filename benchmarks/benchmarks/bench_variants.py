"""The Lasso's variants (l1core.variants): AdaptiveLassoCV (3 gammas, ridge init refit per
fold: by GCV, or at a fixed init_alpha by LSQR) and PriorLassoCV (4 etas, a 10-feature prior refit per fold), 5 folds on a 50-alpha
grid down to alpha_max / 100, dense 200 x 5,000 and CSC 2,000 x 20,000; ``track_*_ratio`` is
the cost as a multiple of one LassoCV on the same data (same grid and folds), the median of
3 timings of each in this process."""

import time

import numpy as np

from l1core import AdaptiveLassoCV, LassoCV, PriorLassoCV

from .common import MAX_ITER, TOL, _StorageSuite

GRID = dict(cv=5, n_alphas=50, eps=1e-2, tol=TOL, max_iter=MAX_ITER)
GAMMAS = (0.5, 1.0, 2.0)
ETAS = (0.0, 0.3, 1.0, 3.0)


def _median_seconds(fit, repeat=3):
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fit()
        times.append(time.perf_counter() - start)
    return float(np.median(times))


class VariantsCVSuite(_StorageSuite):
    """AdaptiveLassoCV and PriorLassoCV over storage (dense, CSC)."""

    params = (["dense", "csc"],)

    def prepare(self):
        # the prior: the 10 features with the largest |x_j . y| (a screening-style guess)
        score = np.abs(np.asarray(self.pb.X.T @ (self.pb.y - self.pb.y.mean()))).ravel()
        self.prior = np.argsort(score)[-10:]

    def _adaptive(self):
        return AdaptiveLassoCV(gammas=GAMMAS, **GRID).fit(self.pb.X, self.pb.y)

    def _adaptive_fixed(self):
        """The ridge init at a fixed penalty, by LSQR: no eigendecomposition per fold."""
        return AdaptiveLassoCV(gammas=GAMMAS, init_alpha=float(self.pb.X.shape[0]),
                               **GRID).fit(self.pb.X, self.pb.y)

    def _prior(self):
        return PriorLassoCV(etas=ETAS, prior_features=self.prior, **GRID).fit(
            self.pb.X, self.pb.y)

    def _lasso(self):
        return LassoCV(keep_path=False, **GRID).fit(self.pb.X, self.pb.y)

    def time_adaptive_lasso_cv(self, *params):
        self._adaptive()

    def time_adaptive_lasso_cv_fixed_init_alpha(self, *params):
        self._adaptive_fixed()

    def time_prior_lasso_cv(self, *params):
        self._prior()

    def track_adaptive_cost_ratio(self, *params):
        return _median_seconds(self._adaptive) / _median_seconds(self._lasso)

    track_adaptive_cost_ratio.unit = "x LassoCV"

    def track_adaptive_fixed_init_alpha_cost_ratio(self, *params):
        return _median_seconds(self._adaptive_fixed) / _median_seconds(self._lasso)

    track_adaptive_fixed_init_alpha_cost_ratio.unit = "x LassoCV"

    def track_prior_cost_ratio(self, *params):
        return _median_seconds(self._prior) / _median_seconds(self._lasso)

    track_prior_cost_ratio.unit = "x LassoCV"
