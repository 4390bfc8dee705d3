"""ElasticNet single fits over storage x dtype (same problems as bench_path/bench_cv)."""

from l1core import ElasticNet

from .common import MAX_ITER, TOL, _FitTracks, _StorageDtypeSuite

L1_RATIO = 0.5


class ElasticNetSuite(_FitTracks, _StorageDtypeSuite):
    """ElasticNet(l1_ratio=0.5) at alpha = alpha_max / 20 (alpha_max of the Lasso part):
    dense 200 x 5,000 (AR(1) columns), sparse 2,000 x 20,000 text-like (Zipf)."""

    def prepare(self):
        self.alpha = self.pb.alpha_max / L1_RATIO / 20

    def _fit(self):
        model = ElasticNet(alpha=self.alpha, l1_ratio=L1_RATIO, tol=TOL, max_iter=MAX_ITER)
        return model.fit(self.pb.X, self.pb.y)

    def time_fit(self, *params):
        self._fit()

    def peakmem_fit(self, *params):
        self._fit()
