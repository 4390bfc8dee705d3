"""Row-partitioned Dask test data: uneven partitions including an empty one, dense or CSR
chunks, float32 or float64 (shared by the distributed tests and benchmarks)."""

import dask.array as da
import numpy as np
import scipy.sparse as sp

# 4 non-empty partitions of unequal sizes and one empty partition
def row_chunks(n):
    """Uneven row chunks of n rows: about 1/4, 0, 2/5 and the rest split in two."""
    a, b = n // 4, (2 * n) // 5
    rest = n - a - b
    return (a, 0, b, rest // 2, rest - rest // 2)


def to_dask(X, storage="dense", chunks=None):
    """X (dense ndarray) as a Dask array by rows: dense chunks or CSR chunks."""
    chunks = row_chunks(X.shape[0]) if chunks is None else chunks
    Xd = da.from_array(np.asarray(X), chunks=(chunks, X.shape[1]))
    if storage == "csr":
        Xd = Xd.map_blocks(sp.csr_matrix, dtype=X.dtype,
                           meta=sp.csr_matrix((0, X.shape[1]), dtype=X.dtype))
    return Xd


def vector(v, n):
    return da.from_array(np.asarray(v), chunks=(row_chunks(n),))


def sparse_regression(n=203, p=60, density=0.3, seed=0, dtype=np.float64):
    """Dense arrays (X with many zeros, y) of a sparse linear model with noise."""
    rng = np.random.default_rng(seed)
    X = rng.standard_normal((n, p)) * (rng.random((n, p)) < density)
    X[:, 3] += 2.0                                    # a column with a large mean
    w = np.zeros(p)
    w[:6] = [2.0, -1.5, 1.0, 0.5, -0.8, 1.2]
    y = X @ w + 0.5 * rng.standard_normal(n) + 3.0
    return X.astype(dtype), y
