"""LARS and LARS-Lasso paths (Efron, Hastie, Johnstone & Tibshirani 2004), compiled.

Each iteration is one knot of the path. With C = max_j |c_j|, c = X^T r the correlations of
the inactive columns and A the active set (signs s_A):

    add:        the most correlated column enters; L L^T = X_A^T X_A gets one row
                (forward solve L w = X_A^T x_j, diagonal sqrt(x_j.x_j - w.w));
    direction:  u = X_A w_A with w_A = AA (X_A^T X_A)^-1 s_A, AA = (s_A^T (X_A^T X_A)^-1 s_A)^-1/2,
                the equiangular vector (unit length, equal angle with every active column);
    step:       gamma = min+ over inactive j of (C - c_j)/(AA - a_j), (C + c_j)/(AA + a_j),
                and C/AA, with a = X^T u; the Lasso modification stops earlier where an active
                coefficient crosses zero (-beta_k / w_k), and that column leaves: L is
                downdated by Givens rotations;
    knot:       beta_A += gamma w_A, c -= gamma a, alpha = C / n_samples.

Decisions (ties, rounding of a to 15 decimals, the 1e-7 pivot test that skips a column
which would make the active Gram singular, the stop at alpha_min by interpolation, the early
stop when alpha grows under the Lasso) follow scikit-learn's ``lars_path`` so the knots
match it. Everything is computed in double; X is read in place (dense Fortran, CSC, CSR with
implicit centering by column means ``xbar``) or replaced by a precomputed Gram matrix.
"""

from libc.math cimport sqrt, fabs, rint, isfinite
from libc.stdlib cimport malloc, calloc, realloc, free
from libc.string cimport memset, memcpy, memmove
from libc.float cimport DBL_MAX, FLT_MIN, FLT_EPSILON
from scipy.linalg.cython_blas cimport ddot, dgemv, drotg, drot
cimport numpy as cnp
import numpy as np

from column_ops cimport Layout, DENSE, CSC, CSR, floating, index_t, col_wdot, col_axpy
from interrupt cimport interrupted, interrupt_begin, interrupt_end

cdef enum:
    GRAM = 3          # a fourth "layout": data is the (p, p) Gram matrix, no X
DEF ROUND_SCALE = 1e15   # numpy.around(a, decimals=15), as scikit-learn rounds a = X^T u
DEF PIVOT_MIN = 1e-7     # a smaller Cholesky pivot: the entering column is (nearly) collinear


cdef struct Design:
    int layout
    Py_ssize_t n, p
    const double* xbar     # column means for implicit centering (sparse X), or NULL
    const double* xq       # with xbar: x~_j = x_j - xbar_j q (q = sqrt(sample weights));
                           # NULL: q = 1
    const double* xy       # GRAM: X^T y; else NULL
    double* work_p         # (p,) scratch for row-wise passes (kept zero between uses)
    double* work_out       # (p,) scratch output of design_tdot
    double* work_n         # (n,) scratch


cdef struct Events:
    Py_ssize_t degenerate, deg_iter, deg_active
    double deg_alpha, deg_pivot
    int early_stop
    Py_ssize_t es_iter, es_active
    double es_alpha, es_prev


# ----------------------------------------------------------------------------- design access

cdef void design_matvec(const Design* D, const floating* data, const index_t* indices,
                        const index_t* indptr, const Py_ssize_t* cols, const double* w,
                        Py_ssize_t k, double* e) noexcept nogil:
    """e = X~_cols w (X~ the centered design when xbar is set): n numbers."""
    cdef Py_ssize_t i, t, q
    cdef double s = 0.0
    memset(e, 0, D.n * sizeof(double))
    if D.layout == CSR:
        for t in range(k):
            D.work_p[cols[t]] = w[t]
        for i in range(D.n):
            for q in range(indptr[i], indptr[i + 1]):
                e[i] += data[q] * D.work_p[indices[q]]
        for t in range(k):
            D.work_p[cols[t]] = 0.0
    else:
        for t in range(k):
            col_axpy(data, indices, indptr, D.n, cols[t], w[t], e)
    if D.xbar != NULL:
        for t in range(k):
            s += D.xbar[cols[t]] * w[t]
        for i in range(D.n):
            e[i] -= s if D.xq == NULL else s * D.xq[i]


cdef void design_tdot(const Design* D, const floating* data, const index_t* indices,
                      const index_t* indptr, const double* e, const Py_ssize_t* cols,
                      Py_ssize_t m, bint all_cols, double* out) noexcept nogil:
    """out[j] = x~_j . e for j in cols[:m] (all_cols: cols is every column; dense float64 and
    CSR then do one full pass, BLAS gemv or a row-wise scatter)."""
    cdef Py_ssize_t i, t, q, j
    cdef double esum = 0.0, ei
    cdef int n_ = <int>D.n, p_ = <int>D.p, one = 1
    cdef double d_one = 1.0, d_zero = 0.0
    if D.xbar != NULL:
        for i in range(D.n):
            esum += e[i] if D.xq == NULL else D.xq[i] * e[i]
    if D.layout == CSR:
        for i in range(D.n):
            ei = e[i]
            if ei != 0.0:
                for q in range(indptr[i], indptr[i + 1]):
                    D.work_p[indices[q]] += ei * data[q]
        for t in range(m):
            j = cols[t]
            out[j] = D.work_p[j]
        memset(D.work_p, 0, D.p * sizeof(double))
    elif floating is double and D.layout == DENSE and all_cols:
        dgemv(b"T", &n_, &p_, &d_one, <double*>data, &n_, <double*>e, &one, &d_zero, out, &one)
    elif floating is double and D.layout == DENSE:
        for t in range(m):
            j = cols[t]
            out[j] = ddot(&n_, <double*>data + j * D.n, &one, <double*>e, &one)
    else:
        for t in range(m):
            j = cols[t]
            out[j] = col_wdot(data, indices, indptr, D.n, j, NULL, e)
    if D.xbar != NULL:
        for t in range(m):
            j = cols[t]
            out[j] -= D.xbar[j] * esum


cdef void design_column(const Design* D, const floating* data, const index_t* indices,
                        const index_t* indptr, Py_ssize_t j, double* d) noexcept nogil:
    """d = x~_j as n numbers (CSR: a binary search per row; indices are sorted)."""
    cdef Py_ssize_t i, q, lo, hi, mid
    memset(d, 0, D.n * sizeof(double))
    if D.layout == CSR:
        for i in range(D.n):
            lo = indptr[i]
            hi = indptr[i + 1]
            while lo < hi:
                mid = (lo + hi) // 2
                if indices[mid] < j:
                    lo = mid + 1
                else:
                    hi = mid
            if lo < indptr[i + 1] and indices[lo] == j:
                d[i] = data[lo]
    else:
        col_axpy(data, indices, indptr, D.n, j, 1.0, d)
    if D.xbar != NULL:
        for i in range(D.n):
            d[i] -= D.xbar[j] if D.xq == NULL else D.xbar[j] * D.xq[i]


cdef double gram_row(const Design* D, const floating* data, const index_t* indices,
                     const index_t* indptr, Py_ssize_t j, const Py_ssize_t* active,
                     Py_ssize_t k, double* row) noexcept nogil:
    """row[t] = x~_j . x~_active[t] for t < k; returns x~_j . x~_j."""
    cdef Py_ssize_t t, i
    cdef double c = 0.0
    if D.layout == GRAM:
        for t in range(k):
            row[t] = (<const double*>data)[j * D.p + active[t]]
        return (<const double*>data)[j * D.p + j]
    design_column(D, data, indices, indptr, j, D.work_n)
    for i in range(D.n):
        c += D.work_n[i] * D.work_n[i]
    design_tdot(D, data, indices, indptr, D.work_n, active, k, False, D.work_out)
    for t in range(k):
        row[t] = D.work_out[active[t]]
    return c


cdef void direction_corr(const Design* D, const floating* data, const index_t* indices,
                         const index_t* indptr, const Py_ssize_t* perm, Py_ssize_t k,
                         const double* w, double* u, double* a_full) noexcept nogil:
    """a_full[j] = x~_j . X~_A w for the inactive j = perm[k:] (u: n numbers of scratch)."""
    cdef Py_ssize_t t, s, j
    cdef double acc
    cdef const double* G = <const double*>data
    if D.layout == GRAM:
        for t in range(k, D.p):
            j = perm[t]
            acc = 0.0
            for s in range(k):
                acc += G[perm[s] * D.p + j] * w[s]
            a_full[j] = acc
        return
    design_matvec(D, data, indices, indptr, perm, w, k, u)
    design_tdot(D, data, indices, indptr, u, perm + k, D.p - k,
                D.p - k > D.p // 2, a_full)


cdef double exact_corr(const Design* D, const floating* data, const index_t* indices,
                       const index_t* indptr, const double* y, Py_ssize_t j,
                       const Py_ssize_t* active, const double* coef, Py_ssize_t k,
                       double* w, double* r) noexcept nogil:
    """x~_j . (y - X~_A beta_A), recomputed (a column leaving the active set)."""
    cdef Py_ssize_t t, i
    cdef double acc
    cdef const double* G = <const double*>data
    if D.layout == GRAM:
        acc = D.xy[j]
        for t in range(k):
            acc -= G[j * D.p + active[t]] * coef[active[t]]
        return acc
    for t in range(k):
        w[t] = coef[active[t]]
    design_matvec(D, data, indices, indptr, active, w, k, r)
    for i in range(D.n):
        r[i] = y[i] - r[i]
    design_tdot(D, data, indices, indptr, r, &j, 1, False, D.work_out)
    return D.work_out[j]


# ----------------------------------------------------------------------------- Cholesky

cdef void forward_solve(const double* L, Py_ssize_t ld, Py_ssize_t k, double* b) noexcept nogil:
    """b = L[:k, :k]^-1 b (L lower triangular, rows of stride ld)."""
    cdef Py_ssize_t i, t
    cdef double s
    for i in range(k):
        s = b[i]
        for t in range(i):
            s -= L[i * ld + t] * b[t]
        b[i] = s / L[i * ld + i]


cdef void cholesky_solve(const double* L, Py_ssize_t ld, Py_ssize_t k, const double* rhs,
                         double* x) noexcept nogil:
    """x = (L L^T)^-1 rhs for the leading k x k block (LAPACK potrs' two triangular solves)."""
    cdef Py_ssize_t i, t
    cdef double s
    memcpy(x, rhs, k * sizeof(double))
    forward_solve(L, ld, k, x)
    for i in range(k - 1, -1, -1):
        s = x[i]
        for t in range(i + 1, k):
            s -= L[t * ld + i] * x[t]
        x[i] = s / L[i * ld + i]


cdef void cholesky_delete(double* L, Py_ssize_t ld, Py_ssize_t k, Py_ssize_t out) noexcept nogil:
    """Remove row/column ``out`` of the factored k x k matrix: shift the rows below up, then
    Givens rotations restore the lower triangle (scikit-learn's arrayfuncs.cholesky_delete)."""
    cdef Py_ssize_t i
    cdef double c, s
    cdef double* row
    cdef int cnt, inc = <int>ld
    for i in range(out, k - 1):
        memmove(L + i * ld, L + (i + 1) * ld, (i + 2) * sizeof(double))
    for i in range(out, k - 1):
        row = L + i * ld
        drotg(row + i, row + i + 1, &c, &s)
        if row[i] < 0:
            row[i] = fabs(row[i])
            c = -c
            s = -s
        row[i + 1] = 0.0
        cnt = <int>(k - i - 2)
        if cnt > 0:
            drot(&cnt, row + ld + i, &inc, row + ld + i + 1, &inc, &c, &s)


cdef inline double min_pos_ratio(double v, double current) noexcept nogil:
    return v if 0.0 < v < current else current


cdef int grow_factor(double** L, Py_ssize_t* ld, Py_ssize_t k, Py_ssize_t need) noexcept nogil:
    """Room for ``need`` rows in the factor (a new stride, the k x k block kept)."""
    cdef Py_ssize_t new_ld = 2 * ld[0] if 2 * ld[0] >= need else need, i
    cdef double* M = <double*>malloc(new_ld * new_ld * sizeof(double))
    if M == NULL:
        return -1
    for i in range(k):
        memcpy(M + i * new_ld, L[0] + i * ld[0], (i + 1) * sizeof(double))
    free(L[0])
    L[0] = M
    ld[0] = new_ld
    return 0


# ----------------------------------------------------------------------------- the path

cdef struct Knots:
    double* alphas
    double* coefs      # (cap, p) row-major: one row per knot
    Py_ssize_t cap, p
    bint keep          # False: only the last two knots are kept (rows i % 2)


cdef inline double* knot(Knots* K, Py_ssize_t i) noexcept nogil:
    return K.coefs + (i if K.keep else i % 2) * K.p


cdef inline double* knot_alpha(Knots* K, Py_ssize_t i) noexcept nogil:
    return K.alphas + (i if K.keep else i % 2)


cdef int knots_reserve(Knots* K, Py_ssize_t i) noexcept nogil:
    """Room for knot i (zero-filled)."""
    cdef Py_ssize_t new_cap
    cdef double* a
    cdef double* c
    if not K.keep or i < K.cap:
        return 0
    new_cap = 2 * K.cap if 2 * K.cap > i else i + 1
    a = <double*>realloc(K.alphas, new_cap * sizeof(double))
    if a == NULL:
        return -1
    K.alphas = a
    c = <double*>realloc(K.coefs, new_cap * K.p * sizeof(double))
    if c == NULL:
        return -1
    K.coefs = c
    memset(K.alphas + K.cap, 0, (new_cap - K.cap) * sizeof(double))
    memset(K.coefs + K.cap * K.p, 0, (new_cap - K.cap) * K.p * sizeof(double))
    K.cap = new_cap
    return 0


cdef int lars_loop(Design* D, const floating* data, const index_t* indices,
                   const index_t* indptr, const double* y, double n_samples,
                   Py_ssize_t max_iter, Py_ssize_t max_active, double alpha_min, double eps,
                   bint lasso, bint positive, Knots* K, Py_ssize_t* perm, double* cov,
                   Py_ssize_t* n_active_out, Py_ssize_t* n_iter_out,
                   Events* ev) noexcept nogil:
    """The LARS loop (at most ``max_active`` active columns: the rank of the centered
    design is at most n, or n - 1 with an intercept). ``cov`` holds X~^T y on entry, indexed
    by position in ``perm`` (the active columns first, in order of entry). Returns 0, -1 (out
    of memory), 1 (interrupted)."""
    cdef Py_ssize_t p = D.p, n_iter = 0, k = 0, t, best, j, i, ld, n_drop, ii, pos
    cdef double C = 0.0, C_ = 0.0, alpha, prev_alpha, AA, gamma, g1, g2, z, z_pos, diag, v, c, ss
    cdef double tiny32 = FLT_MIN, eq_tol = FLT_EPSILON, sgn, tmp
    cdef bint drop = False, retry = False, skip_add = False
    cdef double C_kept = 0.0, C_act = 0.0, round_scale = ROUND_SCALE
    cdef bint stepped = False
    cdef int status = 0
    cdef double* coef
    cdef double* prev
    cdef Py_ssize_t max_features = max_iter if max_iter < p else p
    ld = max_features if max_features < D.n + 2 else D.n + 2
    if ld < 1:
        ld = 1
    cdef double* L = <double*>malloc(ld * ld * sizeof(double))
    cdef double* L_reg = NULL
    cdef double* sign = <double*>calloc(p + 1, sizeof(double))
    cdef double* ls = <double*>malloc((p + 1) * sizeof(double))
    cdef double* a_full = <double*>malloc(p * sizeof(double))
    cdef double* u = <double*>malloc((D.n + 1) * sizeof(double))
    cdef Py_ssize_t* drops = <Py_ssize_t*>malloc((p + 1) * sizeof(Py_ssize_t))
    cdef unsigned char* dead = <unsigned char*>calloc(p + 1, 1)   # skipped degenerate columns
    if (dead == NULL or L == NULL or sign == NULL or ls == NULL or a_full == NULL or u == NULL
            or drops == NULL):
        status = -1
    while status == 0:
        best = -1
        for t in range(k, p):
            if not dead[perm[t]] and (best < 0 or ((cov[t] > C_) if positive
                                                   else (fabs(cov[t]) > fabs(C_)))):
                best = t
                C_ = cov[t]
        if best < 0:
            C = 0.0
        else:
            C = C_ if positive else fabs(C_)
        skip_add = False
        if stepped and k > 0 and (best < 0 or C < C_act * (1.0 - 1e-9)):
            # no inactive column has reached the active columns' correlation C_act (the
            # positive path, whose inactive correlations may all lie below it): the knot is at
            # the active level and no column enters. scikit-learn takes alpha from the largest
            # inactive correlation here, so the last segment ended at a wrong alpha and
            # LassoLars(positive=True) below the last entry was not optimal.
            C = C_act if C_act > 0.0 else 0.0
            skip_add = True
        if retry:
            # after a skipped column: the knot keeps the active correlation; a column tied
            # with it enters, else the step is taken with the active set as it is
            retry = False
            skip_add = best < 0 or C < C_kept * (1.0 - 1e-9)
            C = C_kept
        coef = knot(K, n_iter)
        prev = knot(K, n_iter - 1) if n_iter > 0 else coef
        prev_alpha = knot_alpha(K, n_iter - 1)[0] if n_iter > 0 else 0.0
        alpha = C / n_samples
        knot_alpha(K, n_iter)[0] = alpha
        if n_iter == 0 and alpha > 0.0 and alpha < 1.0:
            # knots within eq_tol count as equal: relative to alpha_max below 1 (an absolute
            # float32 eps, scikit-learn's, ended the path at its first knot whenever
            # alpha_max < 1.2e-7: a column or y scaled 1e-8 gave coef 0, silently)
            eq_tol = FLT_EPSILON * alpha
        if alpha <= alpha_min + eq_tol:
            if fabs(alpha - alpha_min) > eq_tol:
                if n_iter > 0:
                    ss = (prev_alpha - alpha_min) / (prev_alpha - alpha)
                    for j in range(p):
                        coef[j] = prev[j] + ss * (coef[j] - prev[j])
                knot_alpha(K, n_iter)[0] = alpha_min
            break
        if n_iter >= max_iter or (best < 0 and not skip_add) or k >= max_active:
            break
        if not drop and not skip_add:
            sgn = 1.0 if positive else (1.0 if C_ > 0 else (-1.0 if C_ < 0 else 0.0))
            cov[best], cov[k] = cov[k], cov[best]
            perm[best], perm[k] = perm[k], perm[best]
            j = perm[k]
            if k + 1 > ld and grow_factor(&L, &ld, k, k + 1) != 0:
                status = -1
                break
            c = gram_row(D, data, indices, indptr, j, perm, k, L + k * ld)
            forward_solve(L, ld, k, L + k * ld)
            v = 0.0
            for t in range(k):
                v += L[k * ld + t] * L[k * ld + t]
            diag = sqrt(fabs(c - v))
            if diag < eps:
                diag = eps
            L[k * ld + k] = diag
            # relative to the column's norm: rounding leaves an exactly collinear column a
            # pivot of ~sqrt(k eps c), which another BLAS kernel (FMA) made larger than an
            # absolute 1e-7 (Haswell: a duplicate entered, KKT broke); an absolute floor
            # dropped every column of norm below 1e-7 (scaled 1e-8: coef 0, silently)
            if diag <= PIVOT_MIN * 10.0 * sqrt(c):
                # the entering column lies (nearly) in the span of the active ones: skip it
                # for good
                if ev.degenerate == 0:
                    ev.deg_iter, ev.deg_alpha = n_iter, alpha
                    ev.deg_active, ev.deg_pivot = k, diag
                ev.degenerate += 1
                # Unlike scikit-learn (which zeroes its correlation and re-picks, so that the
                # knot's alpha drops below the active correlation), the column is left out
                # for good and the step is taken with the active set as it is: alpha stays
                # the active columns' correlation and every knot keeps the Lasso's KKT.
                dead[j] = 1
                cov[k] = 0.0
                retry = k > 0
                C_kept = C
                continue
            sign[k] = sgn
            k += 1
        if lasso and n_iter > 0 and prev_alpha < alpha:
            ev.early_stop = 1
            ev.es_iter, ev.es_alpha, ev.es_prev, ev.es_active = n_iter, alpha, prev_alpha, k
            break
        # the equiangular direction: ls = AA (X_A^T X_A)^-1 s_A
        cholesky_solve(L, ld, k, sign, ls)
        if k == 1 and ls[0] == 0.0:
            ls[0] = 1.0
            AA = 1.0
        else:
            tmp = 0.0
            for t in range(k):
                tmp += ls[t] * sign[t]
            AA = 1.0 / sqrt(tmp)
            if not isfinite(AA):
                # the factor is too ill-conditioned: regularize its diagonal until it is not
                if L_reg == NULL:
                    L_reg = <double*>malloc(ld * ld * sizeof(double))
                    if L_reg == NULL:
                        status = -1
                        break
                memcpy(L_reg, L, ld * ld * sizeof(double))
                i = 0
                while not isfinite(AA):
                    for t in range(k):
                        L_reg[t * ld + t] += (2.0 ** i) * eps
                    cholesky_solve(L_reg, ld, k, sign, ls)
                    tmp = 0.0
                    for t in range(k):
                        tmp += ls[t] * sign[t]
                    AA = 1.0 / sqrt(tmp if tmp > eps else eps)
                    i += 1
            for t in range(k):
                ls[t] *= AA
        direction_corr(D, data, indices, indptr, perm, k, ls, u, a_full)
        g1 = DBL_MAX
        g2 = DBL_MAX
        # a = X~^T u rounded to 15 decimals of AA below 1 (scikit-learn rounds to 15
        # absolute decimals, which for columns of norm ~1e-7 is a relative error of 1e-8:
        # the entering column's correlation missed the knot's alpha by 2e-9 relative)
        round_scale = ROUND_SCALE if AA >= 1.0 else ROUND_SCALE / AA
        for t in range(k, p):
            if dead[perm[t]]:
                continue
            v = rint(a_full[perm[t]] * round_scale) / round_scale
            a_full[perm[t]] = v
            g1 = min_pos_ratio((C - cov[t]) / (AA - v + tiny32), g1)
            if not positive:
                g2 = min_pos_ratio((C + cov[t]) / (AA + v + tiny32), g2)
        gamma = g1 if g1 < C / AA else C / AA
        if g2 < gamma:
            gamma = g2
        drop = False
        z_pos = DBL_MAX
        for t in range(k):
            z_pos = min_pos_ratio(-coef[perm[t]] / (ls[t] + tiny32), z_pos)
        n_drop = 0
        if z_pos < gamma:
            # coefficients change sign: those leave (lasso) or flip their sign (lar)
            for t in range(k - 1, -1, -1):
                if -coef[perm[t]] / (ls[t] + tiny32) == z_pos:
                    drops[n_drop] = t
                    n_drop += 1
                    sign[t] = -sign[t]
            if lasso:
                gamma = z_pos
            drop = True
        n_iter += 1
        if knots_reserve(K, n_iter) != 0:
            status = -1
            break
        prev = knot(K, n_iter - 1)
        coef = knot(K, n_iter)
        memset(coef, 0, p * sizeof(double))
        for t in range(k):
            coef[perm[t]] = prev[perm[t]] + gamma * ls[t]
        for t in range(k, p):
            cov[t] -= gamma * a_full[perm[t]]
        C_act = C - gamma * AA
        stepped = True
        if drop and lasso:
            for ii in range(n_drop):          # positions in decreasing order
                pos = drops[ii]
                # exactly zero where it leaves (rounding left ~-1e-17: below a positive
                # bound)
                coef[perm[pos]] = 0.0
                cholesky_delete(L, ld, k, pos)
                j = perm[pos]
                for t in range(pos, k - 1):
                    perm[t] = perm[t + 1]
                    sign[t] = sign[t + 1]
                perm[k - 1] = j
                sign[k - 1] = 0.0
                # the positions k.. hold the inactive correlations: make room at k - 1
                k -= 1
            for ii in range(n_drop):
                pos = k + ii
                cov[pos] = exact_corr(D, data, indices, indptr, y, perm[pos], perm, coef, k,
                                      ls, u)
        if interrupted(p * (k + 1)):
            status = 1
            break
    n_active_out[0] = k
    n_iter_out[0] = n_iter
    free(L)
    free(L_reg)
    free(sign)
    free(ls)
    free(a_full)
    free(u)
    free(drops)
    free(dead)
    return status


# ----------------------------------------------------------------------------- entry point

cdef object _run(int layout, const floating* data, const index_t* indices,
                 const index_t* indptr, Py_ssize_t n, Py_ssize_t p, tuple args):
    y_obj, xbar_obj, xq_obj, cov_obj, xy_obj, n_samples_, max_iter_, max_active_, alpha_min_, \
        eps_, lasso_, positive_, return_path_ = args
    cdef double n_samples = n_samples_, alpha_min = alpha_min_, eps = eps_
    cdef Py_ssize_t max_iter = max_iter_, max_active = max_active_
    cdef bint lasso = lasso_, positive = positive_, return_path = return_path_
    cdef const double[::1] y = y_obj
    cdef double[::1] cov = cov_obj
    cdef const double[::1] xbar
    cdef const double[::1] xq
    cdef const double[::1] xy
    cdef Design D
    cdef Knots K
    cdef Events ev
    cdef Py_ssize_t max_features = max_iter if max_iter < p else p, n_active = 0, n_iter = 0
    cdef Py_ssize_t[::1] perm = np.arange(p, dtype=np.intp)
    cdef double[::1] work_p = np.zeros(p)
    cdef double[::1] work_out = np.zeros(p)
    cdef double[::1] work_n = np.zeros(n + 1)
    cdef int status
    memset(&ev, 0, sizeof(Events))
    D.layout, D.n, D.p = layout, n, p
    D.xbar = NULL
    D.xq = NULL
    if xq_obj is not None:
        xq = xq_obj
        D.xq = &xq[0]
    D.xy = NULL
    if xbar_obj is not None:
        xbar = xbar_obj
        D.xbar = &xbar[0]
    if xy_obj is not None:
        xy = xy_obj
        D.xy = &xy[0]
    D.work_p, D.work_out, D.work_n = &work_p[0], &work_out[0], &work_n[0]
    K.p = p
    K.keep = return_path
    K.cap = max_features + 1 if return_path else 2
    K.alphas = <double*>calloc(K.cap, sizeof(double))
    K.coefs = <double*>calloc(K.cap * p, sizeof(double))
    if K.alphas == NULL or K.coefs == NULL:
        free(K.alphas)
        free(K.coefs)
        raise MemoryError("l1core: out of memory for the LARS path")
    stop = interrupt_begin()
    with nogil:
        status = lars_loop(&D, data, indices, indptr, &y[0] if y.shape[0] > 0 else NULL,
                           n_samples, max_iter, max_active, alpha_min, eps, lasso, positive, &K,
                           &perm[0], &cov[0], &n_active, &n_iter, &ev)
    try:
        interrupt_end(stop)
        if status == -1:
            raise MemoryError("l1core: out of memory in the LARS kernel")
        if return_path:
            alphas = np.asarray(<double[:n_iter + 1]>K.alphas).copy()
            coefs = np.asarray(<double[:n_iter + 1, :p]>K.coefs).copy()
        else:
            alphas = np.array([knot_alpha(&K, n_iter)[0]])
            coefs = np.asarray(<double[:p]>knot(&K, n_iter)).copy()
    finally:
        free(K.alphas)
        free(K.coefs)
    events = {"degenerate": ev.degenerate, "early_stop": bool(ev.early_stop)}
    if ev.degenerate:
        events["first_degenerate"] = (ev.deg_iter, ev.deg_alpha, ev.deg_active, ev.deg_pivot)
    if ev.early_stop:
        events["early"] = (ev.es_iter, ev.es_alpha, ev.es_prev, ev.es_active)
    active = [int(j) for j in np.asarray(perm)[:n_active]]
    return alphas, active, coefs, int(n_iter), events


def _dense(const floating[::1, :] X, tuple args):
    return _run(DENSE, &X[0, 0], <cnp.int32_t*>NULL, <cnp.int32_t*>NULL, X.shape[0],
                X.shape[1], args)


def _gram(const double[:, :] G, Py_ssize_t n, tuple args):
    if not (G.strides[0] == 8 * G.shape[1] or G.strides[1] == 8 * G.shape[0]):
        raise ValueError("Gram must be contiguous")
    return _run(GRAM, &G[0, 0], <cnp.int32_t*>NULL, <cnp.int32_t*>NULL, n, G.shape[0], args)


def _sparse(const floating[::1] data, const index_t[::1] indices, const index_t[::1] indptr,
            bint csr, Py_ssize_t n, Py_ssize_t p, tuple args):
    cdef const floating* d = &data[0] if data.shape[0] > 0 else NULL
    cdef const index_t* ix = &indices[0] if indices.shape[0] > 0 else NULL
    return _run(CSR if csr else CSC, d, ix, &indptr[0], n, p, args)


def lars_kernel(X, layout, y, cov, *, xbar=None, xq=None, xy=None, n_samples, max_iter, max_active,
                alpha_min, eps, lasso, positive, return_path):
    """Run the LARS loop on validated input. ``X`` is a Fortran-ordered float32/float64
    array (layout "dense"), a CSC/CSR matrix with sorted indices ("csc"/"csr"), or a
    symmetric contiguous float64 Gram matrix ("gram", with ``xy`` = X^T y). ``cov`` (float64,
    p numbers, overwritten) holds X~^T y. ``y`` (float64, n numbers; centered when ``xbar``
    is given; ``xq``, n numbers: the implicit centering is x_j - xbar_j xq) is read to
    recompute the correlation of a column leaving the active set.

    Returns (alphas, active, coefs (n_knots, p), n_iter, events): events counts the skipped
    degenerate columns and says whether the Lasso path stopped early (alpha increasing)."""
    args = (y, xbar, xq, cov, xy, float(n_samples), max_iter, max_active, alpha_min, eps, lasso,
            positive, return_path)
    if layout == "dense":
        return _dense(X, args)
    if layout == "gram":
        return _gram(X, y.shape[0], args)
    return _sparse(X.data, X.indices, X.indptr, layout == "csr", X.shape[0], X.shape[1], args)
