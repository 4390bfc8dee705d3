"""Row partitions of a Dask array: validation, the map-reduce primitive, column gathers.

A :class:`RowPartitions` holds X's row blocks (dense or scipy.sparse chunks of a
``dask.array.Array``), the matching blocks of y and of the sample weights, as Dask delayed
objects: the blocks stay where Dask keeps them. :meth:`RowPartitions.map` runs one task per
block and brings back only what the tasks return (p-vectors and scalars), counting the bytes;
:meth:`RowPartitions.reduce` sums the per-block results by a tree of Dask tasks
(``split_every`` partials per node, as ``dask.array.reduction``), so the driver receives one
result and no task holds more than ``split_every`` partials;
:meth:`RowPartitions.columns` brings back the rows of a few columns (a working set), caching
them on the driver so that a column travels once per fit.
"""

import warnings

import dask
import dask.array as da
import numpy as np
import scipy.sparse as sp

from .. import _validation as v
from . import _blocks

__all__ = ["RowPartitions", "nbytes", "summed", "tree_sum", "as_dask_design"]

SPLIT_EVERY = 4             # partials summed per node of the reduction tree (dask's default)


def nbytes(obj):
    """Bytes of the arrays in a task's result (dicts, tuples, sparse matrices)."""
    if isinstance(obj, dict):
        return sum(nbytes(v) for v in obj.values())
    if isinstance(obj, (tuple, list)):
        return sum(nbytes(v) for v in obj)
    if sp.issparse(obj):
        return sum(a.nbytes for a in (obj.data, obj.indices, obj.indptr))
    return np.asarray(obj).nbytes


def _row_chunked(name, arr, row_chunks):
    """``arr`` (a Dask or in-memory vector) as a Dask vector with X's row chunks."""
    if not isinstance(arr, da.Array):
        arr = np.asarray(arr)
        if arr.ndim == 2 and arr.shape[1] == 1:
            warnings.warn(f"A column-vector {name} was passed when a 1d array was expected. "
                          f"Please change the shape of {name} to (n_samples,), for example "
                          "using ravel().", v._with_sklearn_base(v.DataConversionWarning),
                          stacklevel=4)
            arr = arr.ravel()
        arr = da.from_array(arr, chunks=(row_chunks,))
    if arr.ndim != 1:
        raise ValueError(f"{name} must be 1-D, got shape {arr.shape}.")
    if arr.shape[0] != sum(row_chunks):
        raise ValueError(f"X has {sum(row_chunks)} samples but {name} has {arr.shape[0]}.")
    if any(np.isnan(c) for c in arr.chunks[0]):
        raise ValueError(f"{name} has unknown chunk sizes: call compute_chunk_sizes() first.")
    if arr.chunks[0] != row_chunks:
        arr = arr.rechunk((row_chunks,))
    return arr


def as_dask_design(X):
    """X as a Dask array partitioned by rows only (one block per row chunk): a Dask array is
    rechunked along the columns if needed (never along the rows); an in-memory array or
    sparse matrix is validated as in memory (``check_design``: a C-ordered or non-float
    dense X is copied once) and becomes one block."""
    if not isinstance(X, da.Array):
        X, _ = v.check_design(X)
        X = da.from_array(X, chunks=X.shape, asarray=False)
    if X.ndim != 2:
        raise ValueError(f"Expected a 2-D Dask array for X, got {X.ndim} dimensions.")
    if any(np.isnan(c) for c in X.chunks[0]):
        raise ValueError("X has unknown chunk sizes: call X.compute_chunk_sizes() first.")
    if X.dtype.kind not in "fiub":
        raise TypeError(f"X must hold real numbers, got dtype {X.dtype}.")
    if X.shape[0] == 0 or X.shape[1] == 0:
        raise ValueError(f"Found array with shape {X.shape}: X needs at least one sample "
                         "and one feature.")
    if len(X.chunks[1]) > 1:
        X = X.rechunk({1: -1})
    return X


def _tasks(fn, per_block, broadcast):
    """One delayed call of ``fn`` per block; each broadcast array is one graph key."""
    shared = [dask.delayed(b) if isinstance(b, np.ndarray) else b for b in broadcast]
    return [dask.delayed(fn, pure=True)(*args, *shared) for args in zip(*per_block)]


def summed(results):
    """Elementwise sum of equally structured results (arrays, scalars, tuples, dicts)."""
    first = results[0]
    if isinstance(first, dict):
        return {key: summed([r[key] for r in results]) for key in first}
    if isinstance(first, tuple):
        return tuple(summed(list(parts)) for parts in zip(*results))
    total = np.array(first, dtype=np.float64, copy=True)
    for r in results[1:]:
        total += r
    return total


def tree_sum(tasks, split_every=SPLIT_EVERY):
    """The :func:`summed` of the delayed ``tasks`` as a tree of delayed sums, each node over
    at most ``split_every`` children: (root, number of nodes below the root, leaves
    included), i.e. of partial results passed up the tree."""
    if split_every < 2:
        raise ValueError(f"split_every must be at least 2, got {split_every}.")
    level, below = list(tasks), 0
    while len(level) > 1:
        below += len(level)
        level = [dask.delayed(summed, pure=True)(level[i:i + split_every])
                 for i in range(0, len(level), split_every)]
    return level[0], below


class RowPartitions:
    """X, y and sample weights as aligned row blocks (``y``/``sample_weight`` may be Dask or
    in-memory vectors; they are rechunked to X's row chunks). Running totals of
    :meth:`reduce`: ``partial_bytes``, the bytes of the partial sums passed between tasks
    (an upper bound of the workers' traffic: partials computed on the same worker do not
    travel); ``driver_bytes``, the bytes the driver received (one result per reduction)."""

    def __init__(self, X, y, sample_weight=None, persist=True, split_every=SPLIT_EVERY):
        if y is None:
            raise ValueError("This estimator requires y to be passed, but the target y is "
                             "None.")
        X = as_dask_design(X)
        self.n_samples, self.n_features = (int(d) for d in X.shape)
        self.row_chunks = X.chunks[0]
        y = _row_chunked("y", y, self.row_chunks)
        s = None if sample_weight is None else _row_chunked("sample_weight", sample_weight,
                                                            self.row_chunks)
        if persist:
            X, y = dask.persist(X, y) if s is None else dask.persist(X, y, s)[:2]
        self.dtype = np.dtype(X.dtype) if X.dtype in (np.float32, np.float64) else np.dtype(
            np.float64)
        self.sparse = sp.issparse(X._meta)
        self.X, self.y, self.sample_weight = X, y, s
        self.X_blocks = list(X.to_delayed().ravel())
        self.y_blocks = list(y.to_delayed().ravel())
        self.s_blocks = ([None] * len(self.X_blocks) if s is None
                         else list(s.to_delayed().ravel()))
        self._cached = {}            # column index -> position in self._gathered
        self._gathered = None        # (n, m) the columns gathered so far
        self.max_block_rows = max(self.row_chunks)
        self.split_every = int(split_every)
        self.partial_bytes = 0
        self.driver_bytes = 0

    @property
    def n_blocks(self):
        return len(self.X_blocks)

    def map(self, fn, *per_block, broadcast=()):
        """``[fn(*blocks_k, *broadcast) for each block k]`` computed by Dask, and the bytes the
        tasks returned. ``per_block``: lists of per-block delayed objects (or values);
        ``broadcast``: values every task receives (one copy in the graph)."""
        tasks = _tasks(fn, per_block, broadcast)
        results = list(dask.compute(*tasks))
        return results, sum(nbytes(r) for r in results)

    def reduce(self, fn, *per_block, broadcast=()):
        """The per-block results of ``fn`` summed (arrays, tuples and dicts of them
        elementwise) by :func:`tree_sum` on the workers: ``(total, bytes the per-block tasks
        returned)``. The driver receives one result (counted in ``driver_bytes``); the
        partials passed up the tree are counted in ``partial_bytes``."""
        tasks = _tasks(fn, per_block, broadcast)
        root, below = tree_sum(tasks, self.split_every)
        total = summed([dask.compute(root)[0]])
        one = nbytes(total)
        self.partial_bytes += below * one
        self.driver_bytes += one
        return total, len(tasks) * one

    def keep(self, fn, *per_block, broadcast=()):
        """One task per block, computed and kept where Dask computed it (``dask.persist``):
        per-block delayed results for later tasks. Nothing travels to the driver; a lost
        worker's results are recomputed from their inputs."""
        tasks = _tasks(fn, per_block, broadcast)
        return list(dask.persist(*tasks))

    def columns(self, features):
        """X[:, features] on the driver (CSC if sparse, Fortran dense otherwise) and the bytes
        gathered now (only the columns not gathered before travel)."""
        features = np.asarray(features, dtype=np.intp)
        new = np.array([j for j in features if j not in self._cached], dtype=np.intp)
        moved = 0
        if new.size:
            parts, moved = self.map(_blocks.gather_columns, self.X_blocks, broadcast=(new,))
            block = sp.vstack(parts, format="csc") if self.sparse else np.vstack(parts)
            if self._gathered is None:
                self._gathered = block
            elif self.sparse:
                self._gathered = sp.hstack([self._gathered, block], format="csc")
            else:
                self._gathered = np.hstack([self._gathered, block])
            base = len(self._cached)
            for i, j in enumerate(new):
                self._cached[int(j)] = base + i
        where = [self._cached[int(j)] for j in features]
        XW = self._gathered[:, where]
        if self.sparse:
            XW = sp.csc_matrix(XW)
            XW.sort_indices()
        else:
            XW = np.asfortranarray(XW)
        return XW, moved
