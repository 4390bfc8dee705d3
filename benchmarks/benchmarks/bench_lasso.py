"""Benchmarks for l1core.Lasso: time, peak memory, epochs, duality gap, sparsity.

Run from ``benchmarks/``: ``asv run --python=same --quick`` against the
installed build, or ``asv continuous main HEAD`` to compare two commits.
Only l1core, NumPy and SciPy are imported here.
"""

import numpy as np
import scipy.sparse as sp

from l1core import Lasso
from l1core.datasets import load_diabetes

# A p >> n problem: 200 samples, 5000 features, 20 true nonzeros.
N_SAMPLES = 200
N_FEATURES = 5000
N_INFORMATIVE = 20
SPARSE_DENSITY = 0.02  # 20,000 stored values
ALPHA_FRACTION = 0.02  # alpha = ALPHA_FRACTION * alpha_max
TOL = 1e-6
MAX_ITER = 10_000


def _alpha_max(X, y):
    """Smallest alpha for which the Lasso with intercept has coef_ == 0."""
    # x_j.(y - ybar) equals (x_j - mean_j).(y - ybar): no need to center a
    # sparse X (and so densify it).
    corr = X.T @ (y - y.mean())
    return float(np.max(np.abs(corr)) / X.shape[0])


def _targets(X, rng):
    w = np.zeros(X.shape[1])
    support = rng.choice(X.shape[1], N_INFORMATIVE, replace=False)
    w[support] = rng.standard_normal(N_INFORMATIVE) * 3.0
    signal = X @ w
    noise = rng.standard_normal(X.shape[0]) * 0.1 * np.std(signal)
    return signal + noise + 1.5  # nonzero intercept


def _make_problems(seed=0):
    rng = np.random.default_rng(seed)
    X_dense = rng.standard_normal((N_SAMPLES, N_FEATURES))
    y_dense = _targets(X_dense, rng)
    X_sparse = sp.random(
        N_SAMPLES, N_FEATURES, density=SPARSE_DENSITY, format="csc",
        random_state=rng, data_rvs=rng.standard_normal,
    )
    y_sparse = _targets(X_sparse, rng)
    return {"dense": (X_dense, y_dense), "sparse": (X_sparse, y_sparse)}


def _as_storage(X, storage, dtype):
    """Lay X out the way a fast caller would hand it to fit (no copy there)."""
    if storage == "dense":
        return np.asfortranarray(X, dtype=dtype)
    X = X.astype(dtype)
    return X.tocsc() if storage == "csc" else X.tocsr()


class LassoSuite:
    """Single-alpha Lasso fit on a synthetic p >> n problem."""

    params = (["dense", "csc", "csr"], ["float32", "float64"])
    param_names = ["storage", "dtype"]
    timeout = 300

    def setup_cache(self):
        return _make_problems(seed=0)

    def setup(self, problems, storage, dtype):
        kind = "dense" if storage == "dense" else "sparse"
        X, y = problems[kind]
        self.X = _as_storage(X, storage, np.dtype(dtype))
        self.y = np.asarray(y, dtype=np.dtype(dtype))
        self.alpha = ALPHA_FRACTION * _alpha_max(X, y)

    def _fit(self):
        model = Lasso(alpha=self.alpha, tol=TOL, max_iter=MAX_ITER)
        return model.fit(self.X, self.y)

    def time_fit(self, problems, storage, dtype):
        self._fit()

    def peakmem_fit(self, problems, storage, dtype):
        self._fit()

    def track_n_iter(self, problems, storage, dtype):
        return int(self._fit().n_iter_)

    track_n_iter.unit = "epochs"

    def track_dual_gap(self, problems, storage, dtype):
        return float(self._fit().dual_gap_)

    track_dual_gap.unit = "gap"

    def track_nnz(self, problems, storage, dtype):
        return int(np.count_nonzero(self._fit().coef_))

    track_nnz.unit = "nonzeros"


class DiabetesSuite:
    """Lasso on the diabetes data (442 x 10) at a small alpha, tight tol."""

    params = (["float32", "float64"],)
    param_names = ["dtype"]
    timeout = 120

    def setup(self, dtype):
        X, y, _ = load_diabetes(scaled=True)
        self.alpha = 0.01 * _alpha_max(X, y)
        self.X = np.asfortranarray(X, dtype=np.dtype(dtype))
        self.y = np.asarray(y, dtype=np.dtype(dtype))
        # float32 cannot certify a gap far below its rounding level.
        self.tol = 1e-10 if dtype == "float64" else 1e-5

    def _fit(self):
        return Lasso(alpha=self.alpha, tol=self.tol, max_iter=MAX_ITER).fit(self.X, self.y)

    def time_fit(self, dtype):
        self._fit()

    def track_n_iter(self, dtype):
        return int(self._fit().n_iter_)

    track_n_iter.unit = "epochs"

    def track_dual_gap(self, dtype):
        return float(self._fit().dual_gap_)

    track_dual_gap.unit = "gap"
