"""The one asv benchmark on a million columns: a single Lasso fit on text-like CSR data
(10,000 rows x 1,000,000 columns, ~90 nonzeros per row, Zipf column frequencies). The
full-size comparisons with the peers are in ``benchmarks/compare.py``."""

from l1core import Lasso

from .data import alpha_max, load

ZIPF = dict(n_samples=10_000, n_features=10**6, nnz_per_row=100, exponent=1.1,
            n_informative=100, seed=0)


class MillionColumnsSuite:
    """Lasso at alpha_max / 20 on CSR float64, tol 1e-6."""

    timeout = 600

    def setup_cache(self):
        w = load("zipf", **ZIPF)
        return w.X, w.y

    def setup(self, data):
        self.X, self.y = data
        self.alpha = alpha_max(self.X, self.y) / 20

    def time_fit(self, data):
        Lasso(alpha=self.alpha, tol=1e-6, max_iter=100_000).fit(self.X, self.y)
