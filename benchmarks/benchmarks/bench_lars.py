"""lars_path (method "lasso", no intercept): the diabetes data, a wide dense problem and its
CSC/CSR copy, float32 and float64. benchmarks/compare_lars.py times scikit-learn beside it."""

import numpy as np
import scipy.sparse as sp

from l1core import lars_path
from l1core.datasets import load_diabetes


def _problem(name, storage, dtype):
    if name == "diabetes":
        X, y, _ = load_diabetes()
    else:
        rng = np.random.default_rng(0)
        X = rng.standard_normal((200, 2000))
        X[rng.random(X.shape) < 0.8] = 0.0
        y = X[:, :10] @ rng.standard_normal(10) + 0.1 * rng.standard_normal(200)
    X = np.asfortranarray(X, dtype=dtype)
    if storage != "dense":
        X = sp.csc_matrix(X) if storage == "csc" else sp.csr_matrix(X)
    return X, np.asarray(y, dtype=np.float64)


class LarsPathSuite:
    params = (["diabetes", "wide"], ["dense", "csc", "csr"], ["float32", "float64"])
    param_names = ["problem", "storage", "dtype"]

    def setup(self, name, storage, dtype):
        self.X, self.y = _problem(name, storage, dtype)

    def time_lars_path(self, *params):
        lars_path(self.X, self.y, method="lasso")

    def peakmem_lars_path(self, *params):
        lars_path(self.X, self.y, method="lasso")

    def track_knots(self, *params):
        return len(lars_path(self.X, self.y, method="lasso")[0])

    track_knots.unit = "knots"
