# Storage-specific primitives shared by every kernel.
#
# A design matrix X (n rows, p columns) reaches a kernel in one of three layouts:
#   DENSE: Fortran-ordered values, column j at data[j*n : (j+1)*n], indices = indptr = NULL;
#   CSC:   column j at data[indptr[j] : indptr[j+1]], row numbers in indices;
#   CSR:   row i at data[indptr[i] : indptr[i+1]], column numbers in indices.
# Column access (col_wdot, col_axpy) is defined for DENSE and CSC only ("column stores"); a
# CSR matrix is read row-wise by the full passes (xt_dot, x_dot_into, column_moments) and its
# working-set columns are gathered into a small CSC store (gather_csr_columns).
#
# Everything that is not X is double: the residual, weights, coefficients and all reductions,
# so float32 data is read in its own precision but accumulated in double.

cimport numpy as cnp
from cython.parallel cimport prange
from libc.math cimport sqrt, INFINITY
from libc.stdlib cimport malloc, free, realloc
from libc.string cimport memset

ctypedef fused floating:
    float
    double

ctypedef fused index_t:
    cnp.int32_t
    cnp.int64_t

cdef enum Layout:
    DENSE = 0
    CSC = 1
    CSR = 2


cdef inline double col_wdot(const floating* data, const index_t* indices, const index_t* indptr,
                            Py_ssize_t n, Py_ssize_t j, const double* sw,
                            const double* v) noexcept nogil:
    """sum_i x_ij * sw_i * v_i over a column store (sw NULL: unit weights)."""
    cdef Py_ssize_t i, k, end
    cdef double s0 = 0.0, s1 = 0.0, s2 = 0.0, s3 = 0.0
    cdef const floating* col
    if indptr == NULL:
        col = data + j * n
        if sw == NULL:
            # four accumulators let the compiler pipeline the dense reduction
            i = 0
            while i + 4 <= n:
                s0 += col[i] * v[i]
                s1 += col[i + 1] * v[i + 1]
                s2 += col[i + 2] * v[i + 2]
                s3 += col[i + 3] * v[i + 3]
                i += 4
            while i < n:
                s0 += col[i] * v[i]
                i += 1
            return (s0 + s1) + (s2 + s3)
        for i in range(n):
            s0 += col[i] * sw[i] * v[i]
        return s0
    end = indptr[j + 1]
    if sw == NULL:
        for k in range(indptr[j], end):
            s0 += data[k] * v[indices[k]]
    else:
        for k in range(indptr[j], end):
            s0 += data[k] * sw[indices[k]] * v[indices[k]]
    return s0


cdef inline void col_axpy(const floating* data, const index_t* indices, const index_t* indptr,
                          Py_ssize_t n, Py_ssize_t j, double alpha, double* v) noexcept nogil:
    """v += alpha * x_j over a column store."""
    cdef Py_ssize_t i, k
    cdef const floating* col
    if indptr == NULL:
        col = data + j * n
        for i in range(n):
            v[i] += alpha * col[i]
    else:
        for k in range(indptr[j], indptr[j + 1]):
            v[indices[k]] += alpha * data[k]


cdef inline void xt_dot(Layout layout, const floating* data, const index_t* indices,
                        const index_t* indptr, Py_ssize_t n, Py_ssize_t p,
                        const double* theta, double* out) noexcept nogil:
    """out = X^T theta: one full pass over X (row-wise scatter for CSR)."""
    cdef Py_ssize_t i, j, k
    cdef double ti
    if layout == CSR:
        for j in range(p):
            out[j] = 0.0
        for i in range(n):
            ti = theta[i]
            if ti != 0.0:
                for k in range(indptr[i], indptr[i + 1]):
                    out[indices[k]] += ti * data[k]
    else:
        for j in range(p):
            out[j] = col_wdot(data, indices, indptr, n, j, NULL, theta)


cdef inline void x_dot_into(Layout layout, const floating* data, const index_t* indices,
                            const index_t* indptr, Py_ssize_t n, Py_ssize_t p,
                            const double* w, double* out) noexcept nogil:
    """out -= X w, reading only the columns with w_j != 0 (all rows for CSR)."""
    cdef Py_ssize_t i, j, k
    cdef double s
    if layout == CSR:
        for i in range(n):
            s = 0.0
            for k in range(indptr[i], indptr[i + 1]):
                s += data[k] * w[indices[k]]
            out[i] -= s
    else:
        for j in range(p):
            if w[j] != 0.0:
                col_axpy(data, indices, indptr, n, j, -w[j], out)


cdef inline void column_moments(Layout layout, const floating* data, const index_t* indices,
                                const index_t* indptr, Py_ssize_t n, Py_ssize_t p,
                                const double* sw, double* m1w, double* m2w, double* m1,
                                double* m2) noexcept nogil:
    """Per column: sum sw*x, sum sw*x^2, sum x, sum x^2 (sw NULL: unit weights)."""
    cdef Py_ssize_t i, j, k, start, end
    cdef double x, s
    for j in range(p):
        m1w[j] = 0.0
        m2w[j] = 0.0
        m1[j] = 0.0
        m2[j] = 0.0
    if layout == CSR:
        for i in range(n):
            s = 1.0 if sw == NULL else sw[i]
            for k in range(indptr[i], indptr[i + 1]):
                x = data[k]
                j = indices[k]
                m1[j] += x
                m2[j] += x * x
                m1w[j] += s * x
                m2w[j] += s * x * x
        return
    for j in range(p):
        if layout == DENSE:
            start = j * n
            end = start + n
        else:
            start = indptr[j]
            end = indptr[j + 1]
        for k in range(start, end):
            x = data[k]
            m1[j] += x
            m2[j] += x * x
            if sw != NULL:
                i = k - start if layout == DENSE else indices[k]
                m1w[j] += sw[i] * x
                m2w[j] += sw[i] * x * x
        if sw == NULL:
            m1w[j] = m1[j]
            m2w[j] = m2[j]


cdef inline void col_newton_stats(const floating* data, const index_t* indices,
                                  const index_t* indptr, Py_ssize_t n, Py_ssize_t j,
                                  const double* d, const double* theta, double shift,
                                  double* g, double* h, double* m) noexcept nogil:
    """One read of column j of a column store, with x_ij read as x_ij - shift over the stored
    values: g = x_j.theta, h = sum_i d_i x_ij^2, m = sum_i d_i x_ij (the gradient, curvature
    and mean term of a weighted quadratic model). A shift near the mean of a full column
    lets the caller center it, h - m^2 / sum(d), without cancellation."""
    cdef Py_ssize_t i, k, start, end
    cdef double x, sg = 0.0, sh = 0.0, sm = 0.0
    if indptr == NULL:
        start = j * n
        end = start + n
    else:
        start = indptr[j]
        end = indptr[j + 1]
    for k in range(start, end):
        x = data[k] - shift
        i = k - start if indptr == NULL else indices[k]
        sg += x * theta[i]
        sm += x * d[i]
        sh += x * x * d[i]
    g[0] = sg
    h[0] = sh
    m[0] = sm


cdef inline int gather_columns(const floating* data, const index_t* indices,
                               const index_t* indptr, Py_ssize_t n, const unsigned char* mark,
                               const Py_ssize_t* ws_pos, Py_ssize_t m, floating** g_data,
                               index_t** g_rows, index_t* g_ptr,
                               Py_ssize_t* capacity) noexcept nogil:
    """Copy the columns j with ws_pos[j] >= 0 of a CSR matrix (n rows) into a CSC store whose
    column ws_pos[j] they become (m columns; one pass over X). mark (or NULL) holds a byte per
    column, mark[j] iff ws_pos[j] >= 0, tested first: on wide X the p bytes stay in cache
    where the p positions would not. The store's buffers g_data and g_rows grow by realloc
    to capacity[0] values. Returns 0, or -1 when out of memory."""
    cdef Py_ssize_t i, k, j, pos, total
    cdef void* grown
    memset(g_ptr, 0, (m + 1) * sizeof(index_t))
    for k in range(indptr[n]):
        j = indices[k]
        if (mark[j] != 0) if mark != NULL else (ws_pos[j] >= 0):
            g_ptr[ws_pos[j] + 1] += 1
    for pos in range(m):
        g_ptr[pos + 1] += g_ptr[pos]
    total = g_ptr[m]
    if total > capacity[0]:
        grown = realloc(g_data[0], total * sizeof(floating))
        if grown == NULL:
            return -1
        g_data[0] = <floating*>grown
        grown = realloc(g_rows[0], total * sizeof(index_t))
        if grown == NULL:
            return -1
        g_rows[0] = <index_t*>grown
        capacity[0] = total
    for i in range(n):
        for k in range(indptr[i], indptr[i + 1]):
            j = indices[k]
            if (mark[j] != 0) if mark != NULL else (ws_pos[j] >= 0):
                pos = ws_pos[j]
                g_data[0][g_ptr[pos]] = data[k]
                g_rows[0][g_ptr[pos]] = i
                g_ptr[pos] += 1
    for pos in range(m, 0, -1):
        g_ptr[pos] = g_ptr[pos - 1]
    g_ptr[0] = 0
    return 0


cdef struct RowRuns:
    # The rows of a dense Fortran-ordered X that a problem reads, as runs of stored rows: run
    # k covers stored rows [bounds[2k], bounds[2k + 1]); read in order they are the problem's
    # rows 0..n-1 (all of them: one run [0, ld)). A cross-validation fold thus trains on its
    # rows of X in place, and row-indexed vectors (residual, weights) hold only those rows.
    Py_ssize_t ld               # stored rows: column j starts at data + j * ld
    Py_ssize_t count            # number of runs
    const Py_ssize_t* bounds


cdef inline double _run_centered_wdot(const floating* x, Py_ssize_t n, double center,
                                      const double* sw, const double* v) noexcept nogil:
    """sum_i (x_i - center) * sw_i * v_i over one contiguous run (sw NULL: unit weights);
    four accumulators let the compiler pipeline the reduction."""
    cdef Py_ssize_t i = 0
    cdef double s0 = 0.0, s1 = 0.0, s2 = 0.0, s3 = 0.0
    if sw == NULL:
        while i + 4 <= n:
            s0 += (x[i] - center) * v[i]
            s1 += (x[i + 1] - center) * v[i + 1]
            s2 += (x[i + 2] - center) * v[i + 2]
            s3 += (x[i + 3] - center) * v[i + 3]
            i += 4
        while i < n:
            s0 += (x[i] - center) * v[i]
            i += 1
    else:
        while i + 4 <= n:
            s0 += (x[i] - center) * (sw[i] * v[i])
            s1 += (x[i + 1] - center) * (sw[i + 1] * v[i + 1])
            s2 += (x[i + 2] - center) * (sw[i + 2] * v[i + 2])
            s3 += (x[i + 3] - center) * (sw[i + 3] * v[i + 3])
            i += 4
        while i < n:
            s0 += (x[i] - center) * (sw[i] * v[i])
            i += 1
    return (s0 + s1) + (s2 + s3)


cdef inline double dense_centered_wdot(const floating* data, const RowRuns* rows, Py_ssize_t j,
                                       double center, const double* sw,
                                       const double* v) noexcept nogil:
    """sum_i (x_ij - center) * sw_i * v_i over the rows of a dense column (sw NULL: unit
    weights; sw and v indexed by the problem's rows).

    Centering each value before the product keeps a column with a large mean from cancelling
    (for sparse columns the callers keep the mean as a separate offset instead)."""
    cdef Py_ssize_t k, start, length, at = 0
    cdef double s = 0.0
    cdef const floating* col = data + j * rows.ld
    for k in range(rows.count):
        start = rows.bounds[2 * k]
        length = rows.bounds[2 * k + 1] - start
        s += _run_centered_wdot(col + start, length, center, NULL if sw == NULL else sw + at,
                                v + at)
        at += length
    return s


cdef inline void dense_centered_axpy(const floating* data, const RowRuns* rows, Py_ssize_t j,
                                     double center, double alpha, double* v) noexcept nogil:
    """v += alpha * (x_j - center) over the rows of a dense column."""
    cdef Py_ssize_t i, k, start, stop
    cdef const floating* col = data + j * rows.ld
    cdef double* out = v
    for k in range(rows.count):
        start = rows.bounds[2 * k]
        stop = rows.bounds[2 * k + 1]
        for i in range(start, stop):
            out[i - start] += alpha * (col[i] - center)
        out += stop - start


cdef inline void dense_moments(const floating* data, const RowRuns* rows, Py_ssize_t n,
                               Py_ssize_t p, const double* sw, bint centered, double* xbar,
                               double* H, double* norm2, unsigned char* varies,
                               int n_threads) noexcept nogil:
    """Per dense column over its rows, two passes (exact for columns with large means):
    xbar_j = sum_i sw_i x_ij (sw NULL: 1/n; 0 when not centered), H_j = sum_i sw_i
    (x_ij - xbar_j)^2, norm2_j = sum_i (x_ij - xbar_j)^2 and varies_j = whether the column
    holds two different values. Columns split over ``n_threads`` threads, each column's sums
    taken by one thread in one order (the same floats for every thread count)."""
    cdef Py_ssize_t j
    if n_threads > 1:
        for j in prange(p, num_threads=n_threads, schedule="static"):
            dense_column_moments(data, rows, n, j, sw, centered, xbar, H, norm2, varies)
    else:
        for j in range(p):
            dense_column_moments(data, rows, n, j, sw, centered, xbar, H, norm2, varies)


cdef inline void dense_column_moments(const floating* data, const RowRuns* rows, Py_ssize_t n,
                                      Py_ssize_t j, const double* sw, bint centered,
                                      double* xbar, double* H, double* norm2,
                                      unsigned char* varies) noexcept nogil:
    """:func:`dense_moments` of column j."""
    cdef Py_ssize_t i, k, start, stop, at
    cdef const floating* col = data + j * rows.ld
    cdef double x, s = 0.0, sh = 0.0, sn = 0.0, w, first
    varies[j] = 0
    first = col[rows.bounds[0]] if n > 0 else 0.0
    at = 0
    for k in range(rows.count):
        start = rows.bounds[2 * k]
        stop = rows.bounds[2 * k + 1]
        for i in range(start, stop):
            x = col[i]
            if x != first:
                varies[j] = 1
            s += x if sw == NULL else sw[at + i - start] * x
        at += stop - start
    xbar[j] = (s / n if sw == NULL else s) if centered else 0.0
    at = 0
    for k in range(rows.count):
        start = rows.bounds[2 * k]
        stop = rows.bounds[2 * k + 1]
        for i in range(start, stop):
            x = col[i] - xbar[j]
            w = 1.0 / n if sw == NULL else sw[at + i - start]
            sh += w * x * x
            sn += x * x
        at += stop - start
    H[j] = sh
    norm2[j] = sn


cdef inline int centered_moments(Layout layout, const floating* data, const index_t* indices,
                                 const index_t* indptr, Py_ssize_t n, Py_ssize_t p,
                                 const double* sw, double* xbar, double* H,
                                 double* norm2, unsigned char* varies) noexcept nogil:
    """Per column of X (CSC, CSR, or DENSE with indptr NULL), in one pass: the weighted mean
    xbar_j = sum_i s_i x_ij / sum_i s_i, H_j = sum_i s_i (x_ij - xbar_j)^2 / sum_i s_i and
    norm2_j = sum_i (x_ij - xbar_j)^2 over all n rows (implicit zeros included), and
    varies_j = whether the column holds two different values. sw NULL: unit weights.

    The sums are taken of d = x - K_j, K_j the column's first stored value, the implicit
    zeros adding d = -K_j with the weight of the rows not stored: H_j = (sum s d^2 -
    (sum s d)^2 / S) / S then loses no digits to a large mean (E[x^2] - xbar^2 would lose
    2 log10(|xbar| / std) of them). A column whose spread overflows gets H_j = inf.
    Returns 0, or -1 when out of memory."""
    cdef Py_ssize_t i, j, k, start, end
    cdef double x, s, d, shift_mean, missing_w, total_w = 0.0
    cdef double* s1w = <double*>malloc(4 * p * sizeof(double))
    cdef double* s1 = s1w + p
    cdef double* first = s1w + 2 * p
    cdef double* stored_w = s1w + 3 * p
    cdef Py_ssize_t* count = <Py_ssize_t*>malloc(p * sizeof(Py_ssize_t))
    if s1w == NULL or count == NULL:
        free(s1w)
        free(count)
        return -1
    for i in range(n):
        total_w += 1.0 if sw == NULL else sw[i]
    for j in range(p):
        s1w[j] = 0.0      # sum s d
        s1[j] = 0.0       # sum d
        H[j] = 0.0        # holds sum s d^2 until the end
        norm2[j] = 0.0    # holds sum d^2 until the end
        stored_w[j] = 0.0
        first[j] = 0.0    # K_j of a column with no stored value (CSR sets it when it meets one)
        count[j] = 0
        varies[j] = 0
    if layout == CSR:
        for i in range(n):
            s = 1.0 if sw == NULL else sw[i]
            for k in range(indptr[i], indptr[i + 1]):
                j = indices[k]
                x = data[k]
                if count[j] == 0:
                    first[j] = x
                elif x != first[j]:
                    varies[j] = 1
                count[j] += 1
                d = x - first[j]
                stored_w[j] += s
                s1w[j] += s * d
                s1[j] += d
                H[j] += s * d * d
                norm2[j] += d * d
    else:
        for j in range(p):
            start = j * n if layout == DENSE else indptr[j]
            end = start + n if layout == DENSE else indptr[j + 1]
            first[j] = data[start] if end > start else 0.0
            for k in range(start, end):
                x = data[k]
                if x != first[j]:
                    varies[j] = 1
                i = k - start if layout == DENSE else indices[k]
                s = 1.0 if sw == NULL else sw[i]
                d = x - first[j]
                stored_w[j] += s
                s1w[j] += s * d
                s1[j] += d
                H[j] += s * d * d
                norm2[j] += d * d
            count[j] = end - start
    for j in range(p):
        if count[j] < n:
            # the implicit zeros: d = -K_j on the rows not stored
            missing_w = max(total_w - stored_w[j], 0.0)
            s1w[j] -= missing_w * first[j]
            s1[j] -= (n - count[j]) * first[j]
            H[j] += missing_w * first[j] * first[j]
            norm2[j] += (n - count[j]) * first[j] * first[j]
            if count[j] > 0 and first[j] != 0.0:
                varies[j] = 1             # stored values besides implicit zeros
        shift_mean = s1w[j] / total_w     # the mean of d
        xbar[j] = first[j] + shift_mean
        H[j] = (H[j] - shift_mean * s1w[j]) / total_w
        norm2[j] = norm2[j] - shift_mean * (2.0 * s1[j] - n * shift_mean)
        if H[j] < INFINITY and norm2[j] < INFINITY:
            H[j] = max(H[j], 0.0)
            norm2[j] = max(norm2[j], 0.0)
        else:                             # the spread overflowed (inf, or inf - inf)
            H[j] = INFINITY
            norm2[j] = INFINITY
    free(s1w)
    free(count)
    return 0


cdef inline bint col_is_full(const index_t* indptr, Py_ssize_t n, Py_ssize_t j) noexcept nogil:
    """Whether column j of a column store holds a value for each of its n rows (DENSE, or a
    sparse column without implicit zeros)."""
    return indptr == NULL or indptr[j + 1] - indptr[j] == n


cdef inline double col_centered_wdot(const floating* data, const index_t* indices,
                                     const index_t* indptr, Py_ssize_t n, Py_ssize_t j,
                                     double center, const double* sw,
                                     const double* v) noexcept nogil:
    """sum (x_ij - center) * sw_i * v_i over the stored values of column j of a column store
    (sw NULL: unit weights). On a full column (col_is_full) this is the centered product
    itself, without the cancellation of x_j.v - center * sum(v)."""
    cdef Py_ssize_t i, k
    cdef double s = 0.0
    cdef const floating* col
    if indptr == NULL:
        col = data + j * n
        for i in range(n):
            s += (col[i] - center) * (v[i] if sw == NULL else sw[i] * v[i])
        return s
    if sw == NULL:
        for k in range(indptr[j], indptr[j + 1]):
            s += (data[k] - center) * v[indices[k]]
    else:
        for k in range(indptr[j], indptr[j + 1]):
            s += (data[k] - center) * (sw[indices[k]] * v[indices[k]])
    return s


cdef inline void col_centered_axpy(const floating* data, const index_t* indices,
                                   const index_t* indptr, Py_ssize_t n, Py_ssize_t j,
                                   double center, double alpha, double* v) noexcept nogil:
    """v_i += alpha * (x_ij - center) over the stored values of column j of a column store."""
    cdef Py_ssize_t i, k
    cdef const floating* col
    if indptr == NULL:
        col = data + j * n
        for i in range(n):
            v[i] += alpha * (col[i] - center)
        return
    for k in range(indptr[j], indptr[j + 1]):
        v[indices[k]] += alpha * (data[k] - center)


cdef inline void centered_xt_dot(Layout layout, const floating* data, const index_t* indices,
                                 const index_t* indptr, Py_ssize_t n, Py_ssize_t p,
                                 const double* center, const double* theta, double* out,
                                 int n_threads) noexcept nogil:
    """out_j = sum_i (x_ij - center_j) theta_i over X's stored values: one full pass (row-wise
    for CSR, serial; by columns on n_threads threads otherwise, each column's sum on one
    thread: the same floats for any thread count). A nonzero center_j belongs to a full
    column (no implicit zeros): for a theta summing to zero this is x_j.theta computed without
    the cancellation of a large mean (x_j.theta loses log10(|mean_j| / std_j) digits).
    center NULL: no centering."""
    cdef Py_ssize_t i, j, k
    cdef double ti
    if layout == CSR:
        for j in range(p):
            out[j] = 0.0
        for i in range(n):
            ti = theta[i]
            if ti == 0.0:
                continue
            if center == NULL:
                for k in range(indptr[i], indptr[i + 1]):
                    out[indices[k]] += ti * data[k]
            else:
                for k in range(indptr[i], indptr[i + 1]):
                    out[indices[k]] += ti * (data[k] - center[indices[k]])
        return
    if n_threads <= 1 and center == NULL:
        xt_dot(layout, data, indices, indptr, n, p, theta, out)
    elif n_threads <= 1:
        for j in range(p):
            out[j] = centered_col_dot(data, indices, indptr, n, j, center, theta)
    else:
        for j in prange(p, num_threads=n_threads, schedule="static"):
            out[j] = centered_col_dot(data, indices, indptr, n, j, center, theta)


cdef inline double centered_col_dot(const floating* data, const index_t* indices,
                                    const index_t* indptr, Py_ssize_t n, Py_ssize_t j,
                                    const double* center, const double* theta) noexcept nogil:
    """(x_j - center_j).theta over column j's stored values (center NULL or 0: x_j.theta)."""
    if center != NULL and center[j] != 0.0:
        return col_centered_wdot(data, indices, indptr, n, j, center[j], NULL, theta)
    return col_wdot(data, indices, indptr, n, j, NULL, theta)


cdef inline double column_first(const floating* data, const index_t* indptr, Py_ssize_t n,
                                Py_ssize_t j) noexcept nogil:
    """The first stored value of column j of a column store (0 for an empty column)."""
    if indptr == NULL:
        return data[j * n] if n > 0 else 0.0
    return data[indptr[j]] if indptr[j + 1] > indptr[j] else 0.0


# ------------------------------------------------------------- several residual slots at once

cdef inline void col_centered_multi_wdot(const floating* data, const index_t* indices,
                                         const index_t* indptr, Py_ssize_t n, Py_ssize_t j,
                                         double center, const double* sw, const double* V,
                                         Py_ssize_t T, double* out) noexcept nogil:
    """out_t = sum_i (x_ij - center) sw_i V_it for t < T, V (n, T) Fortran, from one read of
    column j of a column store (sw NULL: unit weights): T independent sums, no dependency
    chain across them (a multi-task row's gradient)."""
    cdef Py_ssize_t i, k, t, row
    cdef double x
    cdef const floating* col
    for t in range(T):
        out[t] = 0.0
    if indptr == NULL:
        col = data + j * n
        for i in range(n):
            x = (col[i] - center) if sw == NULL else (col[i] - center) * sw[i]
            for t in range(T):
                out[t] += x * V[t * n + i]
        return
    for k in range(indptr[j], indptr[j + 1]):
        row = indices[k]
        x = (data[k] - center) if sw == NULL else (data[k] - center) * sw[row]
        for t in range(T):
            out[t] += x * V[t * n + row]


cdef inline void col_centered_multi_axpy(const floating* data, const index_t* indices,
                                         const index_t* indptr, Py_ssize_t n, Py_ssize_t j,
                                         double center, const double* alpha, double* V,
                                         Py_ssize_t T) noexcept nogil:
    """V_it += alpha_t (x_ij - center) for t < T, V (n, T) Fortran, from one read of column
    j of a column store."""
    cdef Py_ssize_t i, k, t, row
    cdef double x
    cdef const floating* col
    if indptr == NULL:
        col = data + j * n
        for i in range(n):
            x = col[i] - center
            for t in range(T):
                V[t * n + i] += alpha[t] * x
        return
    for k in range(indptr[j], indptr[j + 1]):
        row = indices[k]
        x = data[k] - center
        for t in range(T):
            V[t * n + row] += alpha[t] * x
