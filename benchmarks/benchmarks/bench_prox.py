"""l1core.prox and l1core.fista: the compiled operators' time per call and FISTA's time,
iterations and gap on a small Lasso (peers: benchmarks/compare_prox.py)."""

import numpy as np
import scipy.sparse as sp
from scipy.sparse.linalg import aslinearoperator

from l1core import fista
from l1core.prox import L1Penalty, prox_group_l2, prox_l1, prox_tv1d, prox_tv2d

N_POINTS = 10**6


class Prox:
    params = [["float32", "float64"]]
    param_names = ["dtype"]

    def setup(self, dtype):
        rng = np.random.default_rng(0)
        self.x = rng.standard_normal(N_POINTS).astype(dtype)
        steps = np.zeros(N_POINTS)
        steps[rng.integers(0, N_POINTS, N_POINTS // 1000)] = rng.standard_normal(1000)
        self.signal = (np.cumsum(steps) + 0.5 * rng.standard_normal(N_POINTS)).astype(dtype)
        self.out = np.empty_like(self.x)

    def time_prox_l1(self, dtype):
        prox_l1(self.x, 0.5, out=self.out)

    def time_prox_group_l2(self, dtype):
        prox_group_l2(self.x, 1.0, groups=10, out=self.out)

    def time_prox_tv1d(self, dtype):
        prox_tv1d(self.signal, 2.0, out=self.out)


class FistaLasso:
    params = [["dense", "csc", "operator"]]
    param_names = ["storage"]

    def setup(self, storage):
        rng = np.random.default_rng(0)
        X = rng.standard_normal((100, 500))
        w = np.zeros(500)
        w[:10] = 2.0
        self.y = X @ w + 0.3 * rng.standard_normal(100)
        self.alpha = 0.1 * np.max(np.abs(X.T @ (self.y - self.y.mean()))) / 100
        self.X = {"dense": X, "csc": sp.csc_matrix(X),
                  "operator": aslinearoperator(X)}[storage]

    def _fit(self):
        return fista(self.X, self.y, L1Penalty(self.alpha), fit_intercept=True, tol=1e-6)

    def time_fista(self, storage):
        self._fit()

    def track_iterations(self, storage):
        return self._fit().n_iter

    def track_gap(self, storage):
        return self._fit().dual_gap


class ProxTV2D:
    """2-D TV denoising of a 256 x 256 piecewise-constant image with noise: time, iterations
    (two exact 1-D TV passes each) and the certified gap at tol=1e-6."""

    params = [[0.1, 0.5]]
    param_names = ["lam"]

    def setup(self, lam):
        rng = np.random.default_rng(0)
        img = np.zeros((256, 256))
        img[64:128, 64:192] = 1.0
        img[128:, :85] = -0.5
        self.img = img + 0.3 * rng.standard_normal(img.shape)

    def _run(self, lam):
        return prox_tv2d(self.img, lam, tol=1e-6, return_info=True)

    def time_prox_tv2d(self, lam):
        self._run(lam)

    def track_iterations(self, lam):
        return self._run(lam).n_iter

    def track_gap_over_scale(self, lam):
        res = self._run(lam)
        return res.dual_gap / (0.5 * np.sum((self.img - self.img.mean()) ** 2))
