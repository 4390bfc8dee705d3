"""The storage a solver reads: a CSR design matrix as its CSC copy when that fits the budget.

Coordinate descent works column by column. From CSR the kernels scatter each full pass row by
row and gather every working set's columns into a small CSC store; from CSC both are direct,
so the same fit runs 1.5-3x faster (benchmarks/compare.py, csr vs csc rows). The copy costs
about one full pass to make (``scipy.sparse``'s transposition, O(nnz + p)) and about the size
of X in memory; ``l1core.set_config(csr_copy_budget=...)`` bounds it (see l1core._config).
"""

import scipy.sparse as sp

from ._config import csr_copy_budget


def csc_copy_bytes(X):
    """Bytes of the CSC copy of the sparse matrix X: values, row indices and column pointers."""
    index_size = X.indices.dtype.itemsize
    return X.nnz * (X.data.dtype.itemsize + index_size) + (X.shape[1] + 1) * index_size


def column_store(X):
    """X as the solvers read it: a validated CSR matrix becomes its CSC copy (canonical, same
    dtype) when that copy fits ``csr_copy_budget``; anything else is returned
    as is. The user's matrix is never modified."""
    if not (sp.issparse(X) and X.format == "csr") or csc_copy_bytes(X) > csr_copy_budget():
        return X
    C = X.tocsc()               # same dtype; scipy may widen the indices (the kernels take both)
    C.has_sorted_indices = True  # the transposition emits each column's rows in order
    return C
