"""l1core.distributed: Lasso and sparse logistic fits on the moderate problems split into 4
row partitions (dense chunks or CSR chunks), on Dask's threaded scheduler (no cluster start
in the timing); tracks full passes and the bytes one pass returns to the driver."""

import dask
import dask.array as da
import numpy as np
import scipy.sparse as sp

from l1core import distributed as dl

from .common import TOL, moderate_problems
from l1core._logistic import logistic_alpha_max as multiclass_alpha_max

from .data import alpha_max
from .data import logistic_alpha_max as binary_alpha_max

FRACTION = 20          # alpha = alpha_max / FRACTION
PARTITIONS = 4


def _partitioned(X, storage):
    """X (dense ndarray or sparse) as a Dask array of PARTITIONS row blocks."""
    n = X.shape[0]
    rows = -(-n // PARTITIONS)
    if storage == "csr":
        X = sp.csr_matrix(X)
        blocks = [da.from_delayed(dask.delayed(X[i:i + rows]), shape=X[i:i + rows].shape,
                                  dtype=X.dtype, meta=sp.csr_matrix((0, X.shape[1])))
                  for i in range(0, n, rows)]
        return da.concatenate(blocks, axis=0)
    return da.from_array(np.asarray(X.toarray() if sp.issparse(X) else X),
                         chunks=(rows, X.shape[1]))


class DistributedSuite:
    """One fit at alpha_max / 20 per (storage, family): dense 200 x 5,000 or CSR
    2,000 x 20,000, in 4 partitions."""

    params = (["dense", "csr"], ["lasso", "logistic"])
    param_names = ["storage", "family"]
    timeout = 300

    def setup_cache(self):
        return moderate_problems()

    def setup(self, problems, storage, family):
        X, y, label = problems["dense" if storage == "dense" else "sparse"]
        self.X = _partitioned(X, storage).persist(scheduler="threads")
        if family == "lasso":
            self.y = da.from_array(np.asarray(y, dtype=np.float64), chunks=(self.X.chunks[0],))
            self.model = dl.Lasso(alpha=alpha_max(X, y) / FRACTION, tol=TOL)
        else:
            self.y = da.from_array(np.asarray(label), chunks=(self.X.chunks[0],))
            self.model = dl.SparseLogisticRegression(
                alpha=binary_alpha_max(X, label) / FRACTION, tol=TOL)

    def _fit(self):
        with dask.config.set(scheduler="threads"):
            return self.model.fit(self.X, self.y)

    def time_fit(self, *params):
        self._fit()

    def track_passes(self, *params):
        return int(self._fit().n_outer_iter_)

    track_passes.unit = "full passes"

    def track_pass_bytes(self, *params):
        return int(self._fit().history_[0]["pass_bytes"])

    track_pass_bytes.unit = "bytes"

    def track_driver_bytes(self, *params):
        """Bytes the driver received in the first pass (the tree reduction sends it one
        result per reduction, not one per partition)."""
        return int(self._fit().history_[0]["driver_bytes"])

    track_driver_bytes.unit = "bytes"


class MultinomialSuite:
    """The multinomial fit (3 classes) at alpha_max / 20 on the dense moderate problem in 4
    partitions, threaded scheduler."""

    timeout = 300

    def setup_cache(self):
        return moderate_problems()

    def setup(self, problems):
        X, y, _ = problems["dense"]
        y = np.asarray(y, dtype=np.float64)
        labels = np.digitize(y, np.quantile(y, [1 / 3, 2 / 3]))
        self.X = _partitioned(X, "dense").persist(scheduler="threads")
        self.y = da.from_array(labels, chunks=(self.X.chunks[0],))
        alpha = multiclass_alpha_max(X, labels, n_classes=3) / FRACTION
        # max_iter counts the epochs of every subproblem (9 of them here: ~3,400 epochs)
        self.model = dl.SparseLogisticRegression(alpha=alpha, tol=TOL, max_iter=20_000)

    def time_fit(self, problems):
        with dask.config.set(scheduler="threads"):
            self.model.fit(self.X, self.y)
