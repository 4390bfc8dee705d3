"""The Fused Lasso (l1core.variants.fused*): the exact signal approximator against np.cumsum of
the same array (``track_signal_over_cumsum``: the time ratio, medians of 5 in this process),
and FusedLasso / fused_lasso_path on a dense block-sparse regression (small sizes: quick).
The comparison with cvxpy at equal objective is benchmarks/fused_vs_cvxpy.py."""

import numpy as np

from l1core import FusedLasso, fused_lasso_path, fused_lasso_signal

from .bench_variants import _median_seconds


def _blocks(n, p, seed=0):
    rng = np.random.default_rng(seed)
    X = np.asfortranarray(rng.standard_normal((n, p)))
    w = np.zeros(p)
    w[p // 10: p // 5] = 1.0
    w[p // 2: p // 2 + p // 20] = -2.0
    return X, X @ w + 0.5 * rng.standard_normal(n)


class FusedSignalSuite:
    params = ([10**5, 10**6],)
    param_names = ["n"]

    def setup(self, n):
        rng = np.random.default_rng(0)
        self.y = np.repeat(rng.standard_normal(n // 1000), 1000) + 0.3 * rng.standard_normal(n)

    def time_signal(self, n):
        fused_lasso_signal(self.y, 1e-6, 0.5)

    def time_cumsum(self, n):
        np.cumsum(self.y)

    def track_signal_over_cumsum(self, n):
        return (_median_seconds(lambda: fused_lasso_signal(self.y, 1e-6, 0.5))
                / _median_seconds(lambda: np.cumsum(self.y)))


class FusedRegressionSuite:
    params = ([(100, 500), (200, 2000)],)
    param_names = ["shape"]

    def setup(self, shape):
        self.X, self.y = _blocks(*shape)

    def time_fit(self, shape):
        FusedLasso(alpha=0.01, l1_ratio=0.5).fit(self.X, self.y)

    def time_path_10(self, shape):
        fused_lasso_path(self.X, self.y, l1_ratio=0.5, n_alphas=10, eps=1e-2,
                         fit_intercept=True)

    def track_fit_iterations(self, shape):
        return FusedLasso(alpha=0.01, l1_ratio=0.5).fit(self.X, self.y).n_iter_
