"""l1core.prox and l1core.fista: the compiled operators' time per call and FISTA's time,
iterations and gap on a small Lasso (peers: benchmarks/compare_prox.py)."""

import numpy as np
import scipy.sparse as sp
from scipy.sparse.linalg import aslinearoperator

from l1core import fista
from l1core.prox import L1Penalty, prox_group_l2, prox_l1, prox_tv1d

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
