"""Shared pieces of the asv suites: moderate problems (built by :mod:`.data`), layouts and
tolerances. The suites time l1core only; ``benchmarks/compare.py`` runs the peers."""

import numpy as np

from .data import alpha_max, as_storage, load, logistic_alpha_max

STORAGES = ["dense", "csc", "csr"]
DTYPES = ["float32", "float64"]
TOL = 1e-6
MAX_ITER = 100_000

# Moderate sizes: the whole asv suite runs in a few minutes in quick mode (CI).
DENSE = dict(n_samples=200, n_features=5_000, n_informative=20, rho=0.5, seed=0)
SPARSE = dict(n_samples=2_000, n_features=20_000, nnz_per_row=50, exponent=1.1,
              n_informative=20, seed=0)


def moderate_problems():
    """{"dense": (X, y, label), "sparse": (X, y, label)}: float64, for setup_cache."""
    dense = load("wide", **DENSE)
    sparse = load("zipf", **SPARSE)
    return {"dense": (dense.X, dense.y, dense.label),
            "sparse": (sparse.X, sparse.y, sparse.label)}


class Problem:
    """X in the requested storage and dtype, y and label in that dtype, and the alphas."""

    def __init__(self, problems, storage, dtype):
        X, y, label = problems["dense" if storage == "dense" else "sparse"]
        self.alpha_max = alpha_max(X, y)
        self.logistic_alpha_max = logistic_alpha_max(X, label)
        self.X = as_storage(X, storage, dtype)
        self.y = np.asarray(y, dtype=dtype)
        self.label = label



class _StorageDtypeSuite:
    """Base of the suites over storage x dtype on the moderate problems. asv keys
    ``setup_cache`` by its definition, so every suite shares this one data cache.
    Benchmarks take ``*params`` (problems, storage[, dtype]) and use ``self.pb``. The bases
    and mixins start with "_": asv skips such module attributes, so importing them into a
    suite's module does not make them benchmarks."""

    params = (STORAGES, DTYPES)
    param_names = ["storage", "dtype"]
    timeout = 300

    def setup_cache(self):
        return moderate_problems()

    def setup(self, problems, storage, dtype="float64"):
        self.pb = Problem(problems, storage, dtype)
        self.prepare()

    def prepare(self):
        """Per-benchmark set-up after ``self.pb`` exists (alphas, labels)."""


class _StorageSuite(_StorageDtypeSuite):
    """The same over storage only, float64."""

    params = (STORAGES,)
    param_names = ["storage"]


class _FitTracks:
    """track_* of a single fit: epochs, duality gap, nonzeros (``self._fit()`` returns the
    fitted estimator; arrays, as logistic ``n_iter_``, are summed or maxed)."""

    def track_n_iter(self, *params):
        return int(np.sum(self._fit().n_iter_))

    track_n_iter.unit = "epochs"

    def track_dual_gap(self, *params):
        return float(np.max(self._fit().dual_gap_))

    track_dual_gap.unit = "gap"

    def track_nnz(self, *params):
        return int(np.count_nonzero(self._fit().coef_))

    track_nnz.unit = "nonzeros"
