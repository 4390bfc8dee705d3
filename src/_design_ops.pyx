"""Compiled helpers the Python layer applies to a design matrix X without copying it.

- ``xt_dot(X, V)``: X^T V in float64 for float64 V, reading float32 X in its own dtype (scipy
  and NumPy upcast float32 X to float64 first: a hidden copy of twice X's values).
- ``rows_dot(X, rows, support, W, out)``: X[rows][:, support] @ W for sparse X without
  copying those rows or columns (cross-validation's test predictions).
- ``check_compressed_indices(X)``: the O(nnz) index-bounds check that keeps a kernel from
  reading outside a CSC/CSR matrix whose ``check_design`` was skipped (``check_input=False``).

All three release the GIL.
"""

cimport numpy as cnp
import numpy as np
import scipy.sparse as sp

from column_ops cimport floating, index_t, Layout, DENSE, CSC, CSR, xt_dot as _xt_dot_1

cnp.import_array()


cdef void _xt_dot_k(Layout layout, bint row_major, const floating* data,
                    const index_t* indices, const index_t* indptr, Py_ssize_t n,
                    Py_ssize_t p, Py_ssize_t K, const double* V, double* out) noexcept nogil:
    """out (p, K) = X^T V (n, K), both C-ordered, in one pass over X. ``row_major``: dense X
    stored row by row (C order). Accumulates in double."""
    cdef Py_ssize_t i, j, k, c
    cdef double x
    cdef const double* v_row
    cdef double* o_row
    for j in range(p * K):
        out[j] = 0.0
    if layout == CSR or (layout == DENSE and row_major):
        for i in range(n):
            v_row = V + i * K
            if layout == CSR:
                for k in range(indptr[i], indptr[i + 1]):
                    x = data[k]
                    o_row = out + indices[k] * K
                    for c in range(K):
                        o_row[c] += x * v_row[c]
            else:
                for j in range(p):
                    x = data[i * p + j]
                    o_row = out + j * K
                    for c in range(K):
                        o_row[c] += x * v_row[c]
    else:
        for j in range(p):
            o_row = out + j * K
            if layout == CSC:
                for k in range(indptr[j], indptr[j + 1]):
                    x = data[k]
                    v_row = V + indices[k] * K
                    for c in range(K):
                        o_row[c] += x * v_row[c]
            else:
                for i in range(n):
                    x = data[j * n + i]
                    v_row = V + i * K
                    for c in range(K):
                        o_row[c] += x * v_row[c]


cdef void _xt_dot_any(Layout layout, bint row_major, const floating* data,
                      const index_t* indices, const index_t* indptr, Py_ssize_t n,
                      Py_ssize_t p, Py_ssize_t K, const double* V, double* out) noexcept nogil:
    if K == 1 and not row_major:
        _xt_dot_1(layout, data, indices, indptr, n, p, V, out)   # the kernels' own pass
    else:
        _xt_dot_k(layout, row_major, data, indices, indptr, n, p, K, V, out)


def _dense(const floating[:, :] X, const double[:, ::1] V, double[:, ::1] out, bint row_major):
    cdef Py_ssize_t n = X.shape[0], p = X.shape[1], K = V.shape[1]
    with nogil:
        _xt_dot_any(DENSE, row_major, &X[0, 0], <cnp.int32_t*>NULL, <cnp.int32_t*>NULL, n, p,
                    K, &V[0, 0], &out[0, 0])


def _sparse(const floating[::1] data, const index_t[::1] indices, const index_t[::1] indptr,
            bint csr, Py_ssize_t n, Py_ssize_t p, const double[:, ::1] V, double[:, ::1] out):
    cdef const floating* d = &data[0] if data.shape[0] > 0 else NULL
    cdef const index_t* ix = &indices[0] if indices.shape[0] > 0 else NULL
    cdef Py_ssize_t K = V.shape[1]
    with nogil:
        _xt_dot_any(CSR if csr else CSC, False, d, ix, &indptr[0], n, p, K, &V[0, 0],
                    &out[0, 0])


def xt_dot(X, V):
    """X^T V as float64: (p,) for V of shape (n,), (p, K) for V of shape (n, K).

    X: a float32/float64 ndarray (Fortran or C order) or a scipy CSC/CSR matrix with
    int32/int64 index arrays, as ``check_design`` returns it (its indices are trusted), read in
    place in its own dtype; V is read as float64 (converted only if it is not C-contiguous
    float64: an (n, K) copy, never one of X). Every product accumulates in double.
    """
    n, p = X.shape
    V = np.asarray(V)
    vector = V.ndim == 1
    if V.shape[0] != n or V.ndim not in (1, 2):
        raise ValueError(f"V must have shape ({n},) or ({n}, K), got {V.shape}.")
    V2 = np.ascontiguousarray(V.reshape(n, -1), dtype=np.float64)
    out = np.empty((p, V2.shape[1]))
    if V2.shape[1] == 0:
        return out
    if sp.issparse(X):
        if X.format not in ("csc", "csr"):
            raise ValueError(f"X must be CSC or CSR, got {X.format}.")
        _sparse(X.data, X.indices, X.indptr, X.format == "csr", n, p, V2, out)
    elif X.flags.f_contiguous:
        _dense(X, V2, out, False)
    elif X.flags.c_contiguous:
        _dense(X, V2, out, True)
    else:
        raise ValueError("dense X must be C- or Fortran-contiguous.")
    return out[:, 0] if vector else out


cdef void _rows_dot(const floating* data, const index_t* indices,
                    const index_t* indptr, const Py_ssize_t* major, Py_ssize_t n_major,
                    const Py_ssize_t* minor_pos, Py_ssize_t A, const double* W,
                    double* out, bint major_is_row) noexcept nogil:
    """For each listed major slice t (a row of CSR, a column of CSC) and its entries whose
    minor index has a position (>= 0): out[row] += x * W[column] (see rows_dot)."""
    cdef Py_ssize_t a, t, k, pos
    cdef double x
    cdef double* o
    cdef const double* w
    for t in range(n_major):
        for k in range(indptr[major[t]], indptr[major[t] + 1]):
            pos = minor_pos[indices[k]]
            if pos < 0:
                continue
            x = data[k]
            if major_is_row:
                o, w = out + t * A, W + pos * A
            else:
                o, w = out + pos * A, W + t * A
            for a in range(A):
                o[a] += x * w[a]


def _rows_dot_sparse(const floating[::1] data, const index_t[::1] indices,
                     const index_t[::1] indptr, bint csr, const Py_ssize_t[::1] major,
                     const Py_ssize_t[::1] minor_pos, const double[:, ::1] W,
                     double[:, ::1] out):
    cdef const floating* d = &data[0] if data.shape[0] > 0 else NULL
    cdef const index_t* ix = &indices[0] if indices.shape[0] > 0 else NULL
    with nogil:
        _rows_dot(d, ix, &indptr[0], &major[0], major.shape[0], &minor_pos[0],
                  W.shape[1], &W[0, 0], &out[0, 0], csr)


def rows_dot(X, rows, support, W, out):
    """out += X[rows][:, support] @ W for CSC/CSR X read in place (no copy of its rows or
    columns), in float64 from X's own dtype.

    rows, support: increasing distinct intp indices (m and s of them); W: (s, A) float64;
    out: (m, A) C-ordered float64, added to. CSR reads the rows ``rows``, CSC the columns
    ``support``; a (p,) or (n,) position map is the only work array.
    """
    n, p = X.shape
    rows = np.ascontiguousarray(rows, dtype=np.intp)
    support = np.ascontiguousarray(support, dtype=np.intp)
    W = np.ascontiguousarray(W, dtype=np.float64)
    if rows.size == 0 or support.size == 0 or W.shape[1] == 0:
        return out
    if W.shape[0] != support.size or out.shape != (rows.size, W.shape[1]):
        raise ValueError(f"W must be ({support.size}, A) and out ({rows.size}, A), got "
                         f"{W.shape} and {out.shape}.")
    if rows.min() < 0 or rows.max() >= n or support.min() < 0 or support.max() >= p:
        raise ValueError(f"rows must lie in [0, {n}) and support in [0, {p}): out of range.")
    csr = X.format == "csr"
    major, minor, n_minor = (rows, support, p) if csr else (support, rows, n)
    minor_pos = np.full(n_minor, -1, dtype=np.intp)
    minor_pos[minor] = np.arange(minor.size)
    _rows_dot_sparse(X.data, X.indices, X.indptr, csr, major, minor_pos, W, out)
    return out


cdef int _first_problem(const index_t* indices, const index_t* indptr, Py_ssize_t n_major,
                        Py_ssize_t n_minor, Py_ssize_t capacity, Py_ssize_t* where) noexcept nogil:
    """0 if the compressed structure is safe to read and canonical, else a problem code with
    its position in ``where``: 1 indptr[0] != 0, 2 indptr decreases, 3 indptr[-1] beyond the
    stored entries, 4 an index out of [0, n_minor), 5 indices not strictly increasing within a
    row/column (unsorted or duplicated)."""
    cdef Py_ssize_t i, k, start, end
    if indptr[0] != 0:
        return 1
    for i in range(n_major):
        if indptr[i + 1] < indptr[i]:
            where[0] = i
            return 2
    if indptr[n_major] > capacity:
        return 3
    for i in range(n_major):
        start, end = indptr[i], indptr[i + 1]
        for k in range(start, end):
            if indices[k] < 0 or indices[k] >= n_minor:
                where[0] = k
                return 4
            if k > start and indices[k] <= indices[k - 1]:
                where[0] = i
                return 5
    return 0


def _check(const index_t[::1] indices, const index_t[::1] indptr, Py_ssize_t n_minor,
           Py_ssize_t capacity):
    cdef Py_ssize_t where = 0
    cdef int code
    cdef const index_t* ix = &indices[0] if indices.shape[0] > 0 else NULL
    with nogil:
        code = _first_problem(ix, &indptr[0], indptr.shape[0] - 1, n_minor, capacity, &where)
    return code, where


def check_compressed_indices(X, name="X"):
    """Raise ValueError unless the CSC/CSR matrix X can be read by the kernels: int32/int64
    contiguous ``indices`` and ``indptr`` of one dtype, len(indptr) = n_major + 1,
    indptr[0] = 0, indptr non-decreasing, indptr[-1] <= len(indices) and len(data), every
    used index in [0, n_minor) and strictly increasing within its row (column), i.e.
    canonical: what ``check_design`` returns. One O(nnz) pass, far less than one epoch."""
    fmt = X.format.upper()
    n_major, n_minor = X.shape if X.format == "csr" else X.shape[::-1]
    indices, indptr = X.indices, X.indptr
    prefix = f"{name} is not a valid {fmt} matrix"
    if not (indices.dtype == indptr.dtype and indices.dtype in (np.int32, np.int64)
            and indices.ndim == 1 and indptr.ndim == 1
            and indices.flags.c_contiguous and indptr.flags.c_contiguous):
        raise ValueError(f"{prefix}: with check_input=False, indices and indptr must be "
                         f"contiguous 1-D int32 or int64 arrays of one dtype, got "
                         f"{indices.dtype} and {indptr.dtype}; pass check_input=True.")
    if indptr.shape[0] != n_major + 1:
        raise ValueError(f"{prefix}: indptr has length {indptr.shape[0]}, expected "
                         f"{n_major + 1}.")
    data = np.asarray(X.data)
    if data.ndim != 1:
        raise ValueError(f"{prefix}: data must be 1-D, got shape {data.shape}.")
    capacity = min(indices.shape[0], data.shape[0])
    code, where = _check(indices, indptr, n_minor, capacity)
    if code == 0:
        return
    major = "row" if X.format == "csr" else "column"
    if code == 1:
        problem = f"indptr[0] = {indptr[0]}, expected 0"
    elif code == 2:
        problem = (f"indptr decreases: indptr[{where}] = {indptr[where]} > "
                   f"indptr[{where + 1}] = {indptr[where + 1]}")
    elif code == 3:
        problem = (f"indptr[-1] = {indptr[-1]} exceeds the stored entries (indices: "
                   f"{indices.shape[0]}, data: {data.shape[0]})")
    elif code == 4:
        problem = f"indices[{where}] = {indices[where]} is outside [0, {n_minor})"
    else:
        problem = (f"the indices of {major} {where} are not strictly increasing (unsorted or "
                   f"duplicated entries; check_design sorts and sums them)")
    raise ValueError(f"{prefix}: {problem}. Pass check_input=True to validate X.")
