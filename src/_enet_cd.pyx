"""Squared-loss Elastic Net by coordinate descent with working sets and gap-safe screening.

Solves, with weights sw_i = s_i / S (so sum_i sw_i = 1),

    P(w, b) = 1/2 sum_i sw_i (y_i - x_i.w - b)^2 + sum_j h_j(w_j),
    h_j(w)  = a_j |w| + c_j w^2 / 2 + [lower_j <= w <= upper_j],

the contract of design.md section 2 (a_j = alpha v_j l1_ratio, c_j = alpha v_j (1 - l1_ratio)).

The intercept is eliminated exactly: columns are centered implicitly (x~_j = x_j - xbar_j,
xbar_j = sum_i sw_i x_ij) and the residual r~ = y - ybar - X~ w is kept as a vector r plus a scalar
offset o (glmnet's trick), so a coordinate update reads and writes only the column's nonzeros.

Each outer iteration makes one full pass over X to build the dual point
theta = t * sw * rhat (rhat the residual projected orthogonal to the unpenalized columns, t in
(0, 1] the largest factor keeping every Lasso constraint |x~_j.theta| <= a_j satisfied), whose
gap P - D(theta) certifies the full problem; it then drops features that gap-safe screening
proves zero at the optimum, ranks the others by their distance to the dual constraint and runs
coordinate descent on the working set of the best-ranked ones until the working set's own gap
falls below a fraction of the outer gap (celer, Massias et al. 2018). CSR input is never copied
whole: the full pass reads it row-wise and only the working set's columns are gathered into a
small CSC store.

What keeps a solve cheap:
- inside the working set, sweeps narrow to its nonzero coefficients until their own gap is
  small (glmnet's active-set cycling), with Anderson acceleration on whichever set is swept;
- a full pass reads only the columns it cannot bound: correlations with the current dual
  point are bounded from the exact ones of the last two exact passes (least squares in their
  plane, Cauchy-Schwarz on the remainder; see full_gap), and its gap sums over those columns;
- only the columns with variance are ever visited (text data has many empty ones);
- along a path (strong_ratio > 0) the solve starts from the sequential strong set, and the
  residual, the last pass's correlations, the centers and the ever-active list carry over;
- dense X with zero-weight rows (a cross-validation fold) is read over runs of its kept rows.
"""

from cython.parallel cimport prange
from libc.stdlib cimport malloc, free, realloc
from libc.string cimport memset, memcpy, memmove
from libc.math cimport fabs, sqrt, INFINITY
from libc.stdint cimport uint64_t
cimport numpy as cnp
import numpy as np

from column_ops cimport (floating, index_t, Layout, DENSE, CSC, CSR, RowRuns, col_wdot,
                         col_axpy, xt_dot, x_dot_into, column_moments, centered_moments,
                         dense_moments, gather_columns, dense_centered_wdot,
                         dense_centered_axpy, col_is_full, col_centered_wdot,
                         col_centered_axpy)
from kernel_ops cimport (penalty_value, prox_step, penalty_conjugate, constraint_scale, Ranked,
                         select_smallest, sort_indices)
from anderson cimport anderson_coefficients
from interrupt cimport interrupted, interrupt_begin, interrupt_end

cnp.import_array()

# Working-set schedule (celer's defaults): the first set holds WS_START features at least and
# twice the support, the inner solve stops at INNER_FRACTION of the outer gap, and the
# working set's gap is checked every GAP_EVERY epochs.
DEF WS_START = 10
DEF INNER_FRACTION = 0.3
# A path's strong set (whose full pass usually finds no violator) is solved to this fraction of
# the target gap, and the sweeps over nonzero coefficients stop at ACTIVE_FRACTION of the
# working set's own target (each extra digit of accuracy costs epochs).
DEF STRONG_SET_FRACTION = 0.9
DEF ACTIVE_FRACTION = 0.5
DEF GAP_EVERY = 5
# Anderson acceleration combines the last ANDERSON_K epochs' iterates of the working set.
DEF ANDERSON_K = 5
# Inside the working set, sweeps narrow to the nonzero coefficients when they are at most
# ACTIVE_SHARE of the set, for at most ACTIVE_EPOCHS epochs before a whole sweep.
DEF ACTIVE_SHARE = 0.75
DEF ACTIVE_EPOCHS = 100
# Sweeps over the nonzero coefficients of dense X run on their Gram block when its missing
# entries cost less than the epochs expected there (at least this many; see gram_prepare).
DEF GRAM_EPOCHS_EXPECTED = 8
# Lazy full passes bound correlations from the span of up to MAX_CENTERS earlier dual points
# (EnetProblem keeps two: more did not let the passes skip more columns).
DEF MAX_CENTERS = 4
# The dual point's orthogonality to the unpenalized columns, relative to its terms' sizes,
# and the most negative gap taken as rounding, relative to the sizes of the gap's terms: a
# gap below it is no certificate (reported as inf, and the solve goes on).
DEF ORTH_SLACK = 1e-10
DEF NEGATIVE_SLACK = 1e-11
# ... or above -ROUNDING_FLOOR * the gap tolerance: with columns whose means dwarf their spread
# (sparse X, implicit centering: mean/std 1e11 loses 11 digits) the terms cancel by more than
# their sizes show; a negative gap within the tolerance is taken as converged, as before, and
# only one beyond it (an infeasible dual point) is refused.
DEF ROUNDING_FLOOR = 1.0


cdef struct Problem:
    Py_ssize_t n               # rows of the problem (dense X: those listed by rows)
    Py_ssize_t p
    const RowRuns* rows        # dense X: the stored rows read (the others have zero weight)
    const double* y            # centered target y - ybar (n)
    const double* sw           # normalized sample weights (n), NULL when all equal
    double unit_w              # the common weight 1/n when sw is NULL
    double max_w               # max_i sw_i
    double rounding_floor      # a negative gap above -this is rounding (set with the tolerance)
    const double* factor       # v_j: a_j = alpha_l1 v_j, c_j = alpha_l2 ridge_j
    const double* ridge        # ridge factors (v_j unless given), stepped by factor_step
    double alpha_l1            # alpha * l1_ratio
    double alpha_l2            # alpha * (1 - l1_ratio)
    const double* lower        # may hold -inf
    const double* upper        # may hold +inf
    Py_ssize_t factor_step     # 1, or 0 when one value serves every feature (no p array)
    Py_ssize_t bound_step
    const unsigned char* free_ # (p) 1 = unpenalized column kept in the dual by projection
    Py_ssize_t k               # number of projected columns
    const double* Z            # those columns, weighted-centered, Fortran (n, k)
    const double* Ginv         # pseudo-inverse of Z^T diag(sw) Z (k, k)
    const double* xbar         # (p) weighted column means (0 without intercept)
    const double* H            # (p) sum_i sw_i x~_ij^2, the coordinate curvature
    const double* norm         # (p) unweighted ||x~_j||_2, for screening
    const Py_ssize_t* live     # the n_live columns with H_j > 0 (the others never move and add
    Py_ssize_t n_live          # nothing to the gap: a lazy pass and the working sets skip them)
    bint fit_intercept         # the dual point must then sum to zero
    bint dense                 # dense X: the residual is held centered (offset always 0)
    int n_threads              # threads for the full passes over the columns (>= 1)


cdef struct EverActive:
    # the features ever nonzero on a path: marks (p) and their list, in order of arrival
    unsigned char* marks
    Py_ssize_t* list
    cnp.int64_t* count


cdef inline void mark_ever(EverActive* ever, Py_ssize_t j) noexcept nogil:
    if not ever.marks[j]:
        ever.marks[j] = 1
        ever.list[ever.count[0]] = j
        ever.count[0] += 1


cdef struct Workspace:
    # (p) arrays of one solve, kept by the caller between solves (no allocation per alpha)
    unsigned char* alive       # not yet screened out
    Ranked* ranked
    Py_ssize_t* ws             # the working set
    Py_ssize_t* order          # the sweep order


cdef struct Iterate:
    double* w                  # coefficients (p)
    double* r                  # residual without its offset (n): r~ = r + o
    double o
    double* rhat               # scratch (n): projected residual
    double* theta              # scratch (n): sw * rhat
    double* q                  # scratch (p): x~_j . theta
    double* proj               # scratch (k)
    double theta_size          # ||sw * rhat|| before the projection (the size of its terms)
    Py_ssize_t* cand           # scratch (p): the features a lazy full pass reads
    double* theta_c            # (n_centers, n) the dual points of the last exact full passes
    double* q_c                # (n_centers, p) x~_j . theta_c, exact
    Py_ssize_t n_centers
    unsigned char* center_ok   # [1] how many centers are valid (0, 1 or 2)
    unsigned char* recenter    # [1] the next full pass must be exact
    unsigned char* stale       # (p) q_j was bounded from q_c at the last full pass, not computed


cdef inline double l1_of(const Problem* pb, Py_ssize_t j) noexcept nogil:
    return pb.alpha_l1 * pb.factor[j * pb.factor_step]


cdef inline double l2_of(const Problem* pb, Py_ssize_t j) noexcept nogil:
    return pb.alpha_l2 * pb.ridge[j * pb.factor_step]


cdef inline double lower_of(const Problem* pb, Py_ssize_t j) noexcept nogil:
    return pb.lower[j * pb.bound_step]


cdef inline double upper_of(const Problem* pb, Py_ssize_t j) noexcept nogil:
    return pb.upper[j * pb.bound_step]


cdef inline double weighted_sum(const Problem* pb, const double* u, const double* v) noexcept nogil:
    """sum_i sw_i u_i v_i (v NULL: sum_i sw_i u_i)."""
    cdef Py_ssize_t i
    cdef double s = 0.0
    if v == NULL:
        if pb.sw == NULL:
            for i in range(pb.n):
                s += u[i]
            return s * pb.unit_w
        for i in range(pb.n):
            s += pb.sw[i] * u[i]
        return s
    if pb.sw == NULL:
        for i in range(pb.n):
            s += u[i] * v[i]
        return s * pb.unit_w
    for i in range(pb.n):
        s += pb.sw[i] * u[i] * v[i]
    return s


cdef void project_off(const Problem* pb, Iterate* it) noexcept nogil:
    """rhat -= Z Ginv Z^T diag(sw) rhat: rhat projected off the unpenalized columns."""
    cdef Py_ssize_t i, u, v, n = pb.n
    cdef double s
    cdef const double* zu
    for u in range(pb.k):
        it.proj[u] = weighted_sum(pb, pb.Z + u * n, it.rhat)
    for u in range(pb.k):
        s = 0.0
        for v in range(pb.k):
            s += pb.Ginv[u + v * pb.k] * it.proj[v]
        zu = pb.Z + u * n
        for i in range(n):
            it.rhat[i] -= s * zu[i]


cdef void prepare_dual_point(const Problem* pb, Iterate* it) noexcept nogil:
    """Re-center the residual (with an intercept), project it off the unpenalized columns,
    form theta = sw * rhat."""
    cdef Py_ssize_t i, n = pb.n
    cdef double s
    if pb.fit_intercept:
        # sum_i sw_i r~_i = 0 holds in exact arithmetic; remove the drift rounding adds and
        # fold the offset into r (r~ - its mean = r - mean(r)), which keeps o small
        s = weighted_sum(pb, it.r, NULL)
        for i in range(n):
            it.r[i] -= s
        it.o = 0.0
    it.theta_size = 0.0
    for i in range(n):
        it.rhat[i] = it.r[i] + it.o
        s = it.rhat[i] * (pb.unit_w if pb.sw == NULL else pb.sw[i])
        it.theta_size += s * s
    it.theta_size = sqrt(it.theta_size)
    # twice: the second pass removes what rounding left in the span when rhat lies mostly in
    # it (Z is a weight-orthonormal basis, so two passes are exact to rounding)
    project_off(pb, it)
    project_off(pb, it)
    if pb.sw == NULL:
        for i in range(n):
            it.theta[i] = pb.unit_w * it.rhat[i]
    else:
        for i in range(n):
            it.theta[i] = pb.sw[i] * it.rhat[i]


cdef inline bint conjugate_may_count(const Problem* pb, const Iterate* it, Py_ssize_t j,
                                     double a, double c) noexcept nogil:
    """Whether feature j can have a nonzero conjugate at t q_j, |t q_j| <= |q_j| (the others
    contribute 0 to the dual and do not limit t)."""
    return c > 0.0 or fabs(it.q[j]) > a or lower_of(pb, j) > 0.0 or upper_of(pb, j) < 0.0


cdef double dual_gap(const Problem* pb, Iterate* it, const Py_ssize_t* feats, Py_ssize_t m,
                     double* scale) noexcept nogil:
    """Gap P(w) - D(t theta) over the features feats[0..m) (NULL: all p), given q = x~.theta.

    t <= 1 is the largest factor for which every constraint with an infinite conjugate side
    holds (|t q_j| <= a_j for a Lasso feature, t q_j <= a_j for positive=True); those
    constraints then contribute zero, the others their finite conjugate. A feature left out
    of feats must contribute nothing: w_j = 0, bounds admitting 0 and |q_j| < a_j.
    """
    cdef Py_ssize_t i, jj, j
    cdef double t = 1.0, primal, dual, conj = 0.0, pen = 0.0, ry = 0.0, rr = 0.0, resid, a, c
    cdef double rhat2, size
    cdef Py_ssize_t count = pb.p if feats == NULL else m
    scale[0] = 1.0
    if not verified_orthogonal(pb, it, feats, count):
        return INFINITY
    for jj in range(count):
        j = jj if feats == NULL else feats[jj]
        a = l1_of(pb, j)
        c = l2_of(pb, j)
        if it.w[j] != 0.0:
            pen += penalty_value(a, c, it.w[j])
        if not pb.free_[j] and conjugate_may_count(pb, it, j, a, c):
            t = constraint_scale(t, a, c, lower_of(pb, j), upper_of(pb, j), it.q[j])
    for jj in range(count):
        j = jj if feats == NULL else feats[jj]
        a = l1_of(pb, j)
        c = l2_of(pb, j)
        if not pb.free_[j] and conjugate_may_count(pb, it, j, a, c):
            conj += penalty_conjugate(a, c, lower_of(pb, j), upper_of(pb, j), t * it.q[j])
    for i in range(pb.n):
        resid = it.r[i] + it.o
        if pb.sw == NULL:
            rr += resid * resid
            ry += it.rhat[i] * pb.y[i]
        else:
            rr += pb.sw[i] * resid * resid
            ry += pb.sw[i] * it.rhat[i] * pb.y[i]
    if pb.sw == NULL:
        rr *= pb.unit_w
        ry *= pb.unit_w
    primal = 0.5 * rr + pen
    rhat2 = weighted_sum(pb, it.rhat, it.rhat)
    dual = t * ry - 0.5 * t * t * rhat2 - conj
    scale[0] = t
    size = primal + fabs(t * ry) + 0.5 * t * t * rhat2 + conj
    if primal - dual < -max(NEGATIVE_SLACK * size, pb.rounding_floor):
        return INFINITY      # theta was not feasible: no certificate
    return primal - dual


cdef bint verified_orthogonal(const Problem* pb, const Iterate* it, const Py_ssize_t* feats,
                              Py_ssize_t count) noexcept nogil:
    """Whether q_j = x~_j.theta vanishes up to rounding for the unpenalized features among
    feats (NULL: all p): |q_j| <= ORTH_SLACK (||x~_j|| + |xbar_j| sqrt(n)) ||theta||, the
    Cauchy-Schwarz size of its terms (their conjugates are taken as zero), ||theta|| taken
    before the projection if larger."""
    cdef Py_ssize_t i, jj, j
    cdef double theta_norm = 0.0, root_n = sqrt(<double>pb.n)
    for i in range(pb.n):
        theta_norm += it.theta[i] * it.theta[i]
    # the projection subtracts terms of the size of theta before it: when the residual lies
    # almost in the unpenalized span (an exact fit), what remains is rounding of that size
    theta_norm = max(sqrt(theta_norm), it.theta_size)
    for jj in range(count):
        j = jj if feats == NULL else feats[jj]
        if pb.free_[j] and not (fabs(it.q[j]) <= ORTH_SLACK * theta_norm
                                * (pb.norm[j] + fabs(pb.xbar[j]) * root_n)):
            return False
    return True


cdef inline uint64_t next_random(uint64_t* state) noexcept nogil:
    """xorshift64*: a small, seeded, reproducible generator for the random selection."""
    cdef uint64_t x = state[0]
    x ^= x >> 12
    x ^= x << 25
    x ^= x >> 27
    state[0] = x
    return x * <uint64_t>2685821657736338717ULL


cdef extern from *:
    """
    #if defined(__GNUC__) || defined(__clang__)
    #define L1CORE_PREFETCH(address) __builtin_prefetch(address)
    #else
    #define L1CORE_PREFETCH(address) ((void)0)
    #endif
    """
    void L1CORE_PREFETCH(const void* address) noexcept nogil


cdef inline void prefetch_column(Layout layout, const floating* data, const index_t* indices,
                                 const index_t* indptr, const RowRuns* rows,
                                 Py_ssize_t j) noexcept nogil:
    """Ask the cache for the start of column j of a column store (a hint, no effect on
    results): columns read out of order get no help from the hardware prefetcher."""
    cdef const char* start
    cdef Py_ssize_t length, offset
    if layout == DENSE:
        start = <const char*>(data + j * rows.ld + rows.bounds[0])
        length = (rows.bounds[2 * rows.count - 1] - rows.bounds[0]) * sizeof(floating)
    else:
        start = <const char*>(data + indptr[j])
        length = (indptr[j + 1] - indptr[j]) * sizeof(floating)
        L1CORE_PREFETCH(indices + indptr[j])
    offset = 0
    while offset < length and offset < 1024:
        L1CORE_PREFETCH(start + offset)
        offset += 64


cdef Py_ssize_t fit_centers(const Iterate* it, Py_ssize_t n, double* coef,
                            double* radius) noexcept nogil:
    """theta ~ sum_k coef[k] theta_ck by least squares over the valid centers (the most
    recent ones first; the oldest are dropped while the normal equations are degenerate);
    radius = ||theta - that combination|| plus the rounding of the exact dot products.
    Returns the number of centers used."""
    cdef Py_ssize_t i, k, l, row, m = it.center_ok[0]
    cdef double G[MAX_CENTERS][MAX_CENTERS]
    cdef double tt = 0.0, d, r2 = 0.0, scale_sum
    cdef const double* ck
    cdef const double* cl
    for i in range(n):
        tt += it.theta[i] * it.theta[i]
    for k in range(m):
        ck = it.theta_c + k * n
        for l in range(k, m):
            cl = it.theta_c + l * n
            d = 0.0
            for i in range(n):
                d += ck[i] * cl[i]
            G[k][l] = d
            G[l][k] = d
    while m > 0:
        # normal equations G coef = C theta over the m most recent centers
        for k in range(m):
            ck = it.theta_c + k * n
            d = 0.0
            for i in range(n):
                d += ck[i] * it.theta[i]
            coef[k] = d
        if solve_small(&G[0][0], MAX_CENTERS, m, coef):   # G itself is left as it is
            break
        m -= 1
    for k in range(m, MAX_CENTERS):
        coef[k] = 0.0
    scale_sum = sqrt(tt)
    for k in range(m):
        scale_sum += fabs(coef[k]) * sqrt(G[k][k])
    for i in range(n):
        d = it.theta[i]
        for k in range(m):
            d -= coef[k] * it.theta_c[k * n + i]
        r2 += d * d
    radius[0] = sqrt(r2) + (n + 1) * 1e-15 * scale_sum
    return m


cdef bint solve_small(const double* G, Py_ssize_t stride, Py_ssize_t m,
                      double* b) noexcept nogil:
    """Solve G x = b in place of b for a symmetric positive definite m x m G (row stride
    stride) by Cholesky; False when G is numerically singular."""
    cdef double L[MAX_CENTERS][MAX_CENTERS]
    cdef Py_ssize_t i, j, k
    cdef double s
    for i in range(m):
        for j in range(i + 1):
            s = G[i * stride + j]
            for k in range(j):
                s -= L[i][k] * L[j][k]
            if i == j:
                if not s > 1e-10 * G[i * stride + i]:
                    return False
                L[i][i] = sqrt(s)
            else:
                L[i][j] = s / L[j][j]
    for i in range(m):
        s = b[i]
        for k in range(i):
            s -= L[i][k] * b[k]
        b[i] = s / L[i][i]
    for i in range(m - 1, -1, -1):
        s = b[i]
        for k in range(i + 1, m):
            s -= L[k][i] * b[k]
        b[i] = s / L[i][i]
    return True


cdef inline double column_dot(Layout layout, const floating* data, const index_t* indices,
                              const index_t* indptr, const Problem* pb, Py_ssize_t j,
                              const double* theta, double theta_sum) noexcept nogil:
    """x~_j.theta for a column store (theta_sum = sum_i theta_i: sparse columns are centered
    through it, dense ones value by value)."""
    if layout == DENSE:
        return dense_centered_wdot(data, pb.rows, j, pb.xbar[j], NULL, theta)
    return col_wdot(data, indices, indptr, pb.n, j, NULL, theta) - pb.xbar[j] * theta_sum


cdef double full_gap(Layout layout, const floating* data, const index_t* indices,
                     const index_t* indptr, const Problem* pb, Iterate* it,
                     double* scale) noexcept nogil:
    """One full pass: q = X~^T theta for every feature, and the gap of the full problem.

    A feature need not be read when the last exact passes already prove its constraint. They
    left centers theta_c0, theta_c1 (their dual points) and, for every feature, the exact
    q_ck_j = x~_j.theta_ck. With theta = c_0 theta_c0 + c_1 theta_c1 + e (least squares: the
    dual points of a path move mostly within that plane), Cauchy-Schwarz gives
    |x~_j.theta| <= |c_0 q_c0_j + c_1 q_c1_j| + ||x~_j|| ||e||; when that is < a_j the
    feature (at w_j = 0, bounds admitting 0) contributes nothing to the gap, its q_j takes
    the estimate c_0 q_c0_j + c_1 q_c1_j (below a_j, so the gap formula ignores it too) and
    is marked stale. Once more than a third of the features need reading, the next pass is
    exact and becomes the newest center. CSR, read by rows, computes every q_j anyway but
    applies the same rule, so that the iterates do not depend on the storage.
    """
    cdef Py_ssize_t i, j, jj, k, m, n = pb.n, p = pb.p, read = 0
    cdef double theta_sum = 0.0, radius = 0.0, estimate
    cdef double coef[MAX_CENTERS]
    cdef bint lazy = it.center_ok[0] > 0 and not it.recenter[0]
    prepare_dual_point(pb, it)
    if pb.fit_intercept:
        for i in range(n):
            theta_sum += it.theta[i]
    if layout != CSR and not lazy:
        # exact: every column, on n_threads threads (each q_j summed by one thread in one
        # order, so the result does not depend on the thread count)
        for j in prange(p, num_threads=pb.n_threads, schedule="static"):
            it.q[j] = column_dot(layout, data, indices, indptr, pb, j, it.theta, theta_sum)
            it.stale[j] = 0
    elif layout == CSR:
        # CSR is read row by row: every q_j comes at once (the rule below still decides
        # which values are used, so that all storages take the same steps)
        xt_dot(layout, data, indices, indptr, n, p, it.theta, it.q)
        for j in range(p):
            it.q[j] -= pb.xbar[j] * theta_sum
            it.stale[j] = 0
    if not lazy:
        # the newest center; the older ones move down a slot
        if it.n_centers > 1:
            memmove(it.theta_c + n, it.theta_c, (it.n_centers - 1) * n * sizeof(double))
            memmove(it.q_c + p, it.q_c, (it.n_centers - 1) * p * sizeof(double))
        memcpy(it.theta_c, it.theta, n * sizeof(double))
        memcpy(it.q_c, it.q, p * sizeof(double))
        it.center_ok[0] = min(it.center_ok[0] + 1, it.n_centers)
        it.recenter[0] = 0
        return dual_gap(pb, it, NULL, 0, scale)
    m = fit_centers(it, n, coef, &radius)
    for jj in range(pb.n_live):
        j = pb.live[jj]
        estimate = 0.0
        for k in range(m):
            estimate += coef[k] * it.q_c[k * p + j]
        if (it.w[j] == 0.0 and not pb.free_[j] and lower_of(pb, j) <= 0.0
                and upper_of(pb, j) >= 0.0
                and fabs(estimate) + pb.norm[j] * radius < l1_of(pb, j)):
            it.q[j] = estimate
            it.stale[j] = 1
        else:
            it.stale[j] = 0
            it.cand[read] = j
            read += 1
    if layout != CSR and pb.n_threads > 1:
        for k in prange(read, num_threads=pb.n_threads, schedule="static"):
            it.q[it.cand[k]] = column_dot(layout, data, indices, indptr, pb, it.cand[k],
                                          it.theta, theta_sum)
    elif layout != CSR:
        # the columns to read, each prefetched while the previous one is summed
        for k in range(read):
            j = it.cand[k]
            if k + 1 < read:
                prefetch_column(layout, data, indices, indptr, pb.rows, it.cand[k + 1])
            it.q[j] = column_dot(layout, data, indices, indptr, pb, j, it.theta, theta_sum)
    if 3 * read > pb.n_live:
        it.recenter[0] = 1
    # the features not read contribute nothing to the gap
    return dual_gap(pb, it, it.cand, read, scale)


cdef inline double residual_corr(const floating* s_data, const index_t* s_idx,
                                 const index_t* s_ptr, Py_ssize_t col, Py_ssize_t j,
                                 const Problem* pb, const Iterate* it) noexcept nogil:
    """g_j = x~_j . (sw * r~): the negative partial derivative of the loss."""
    cdef double g
    cdef bint full = col_is_full(s_ptr, pb.n, col)
    if s_ptr == NULL:
        g = dense_centered_wdot(s_data, pb.rows, col, pb.xbar[j], pb.sw, it.r)
    elif full:
        # every row stored: center each value, as for dense X (residual_move keeps o out)
        g = col_centered_wdot(s_data, s_idx, s_ptr, pb.n, col, pb.xbar[j], pb.sw, it.r)
    else:
        g = col_wdot(s_data, s_idx, s_ptr, pb.n, col, pb.sw, it.r)
    if pb.sw == NULL:
        g *= pb.unit_w
    if full:
        return g
    # sum_i sw_i x~_ij (r_i + o) = sum_i sw_i x_ij r_i + o xbar_j, as sum_i sw_i r~_i = 0
    return g + it.o * pb.xbar[j]


cdef inline void residual_move(const floating* s_data, const index_t* s_idx,
                               const index_t* s_ptr, Py_ssize_t col, Py_ssize_t j,
                               double delta, const Problem* pb, Iterate* it) noexcept nogil:
    """r~ -= delta * x~_j after w_j += delta (O(nnz of the column) for sparse X).

    A sparse column is moved through the offset, o += delta xbar_j, unless it stores every
    row: a column with a large mean and a small spread has no implicit zeros, and moving it
    centered keeps o, and with it the cancellation in g_j = x_j.(sw r) + o xbar_j, small."""
    if s_ptr == NULL:
        dense_centered_axpy(s_data, pb.rows, col, pb.xbar[j], -delta, it.r)
    elif col_is_full(s_ptr, pb.n, col):
        col_centered_axpy(s_data, s_idx, s_ptr, pb.n, col, pb.xbar[j], -delta, it.r)
    else:
        col_axpy(s_data, s_idx, s_ptr, pb.n, col, -delta, it.r)
        it.o += delta * pb.xbar[j]


cdef double working_set_gap(const floating* s_data, const index_t* s_idx, const index_t* s_ptr,
                            bint local_columns, const Problem* pb, Iterate* it,
                            const Py_ssize_t* ws, const Py_ssize_t* sel, const Py_ssize_t* feat,
                            Py_ssize_t ms) noexcept nogil:
    """The gap of the subproblem restricted to the features feat[i] = ws[sel[i]], i < ms
    (their columns only)."""
    cdef Py_ssize_t i, j, k
    cdef double theta_sum = 0.0, t
    prepare_dual_point(pb, it)
    for i in range(pb.n):
        theta_sum += it.theta[i]
    for i in range(ms):
        k = sel[i]
        j = ws[k]
        if s_ptr == NULL:
            it.q[j] = dense_centered_wdot(s_data, pb.rows, j, pb.xbar[j], NULL, it.theta)
        else:
            it.q[j] = (col_wdot(s_data, s_idx, s_ptr, pb.n, k if local_columns else j, NULL,
                                it.theta) - pb.xbar[j] * theta_sum)
    return dual_gap(pb, it, feat, ms, &t)


cdef void cd_epoch(const floating* s_data, const index_t* s_idx, const index_t* s_ptr,
                   bint local_columns, const Problem* pb, Iterate* it, const Py_ssize_t* ws,
                   const Py_ssize_t* sel, const Py_ssize_t* order, Py_ssize_t ms) noexcept nogil:
    """One pass of exact coordinate minimization over the features ws[sel[order[i]]], i < ms.

    Coordinate j minimizes H_j/2 (w - w_j)^2 - g_j (w - w_j) + a_j |w| + c_j w^2 / 2 over
    [lower_j, upper_j], g_j = x~_j . (sw * r~): soft-thresholding, scaling, clipping.
    """
    cdef Py_ssize_t i, k, j, col
    cdef double g, wj, new
    for i in range(ms):
        k = sel[order[i]]
        j = ws[k]
        col = k if local_columns else j
        g = residual_corr(s_data, s_idx, s_ptr, col, j, pb, it)
        wj = it.w[j]
        new = prox_step(pb.H[j] * wj + g, pb.H[j], l1_of(pb, j), l2_of(pb, j), lower_of(pb, j), upper_of(pb, j))
        if new != wj:
            residual_move(s_data, s_idx, s_ptr, col, j, new - wj, pb, it)
            it.w[j] = new


cdef Py_ssize_t rank_features(const Problem* pb, const Iterate* it, unsigned char* alive,
                              double t, double gap, bint screen, Ranked* ranked,
                              Py_ssize_t* n_active, Py_ssize_t* n_violating) noexcept nogil:
    """Gap-safe screening, then rank the surviving features; returns how many survive.

    theta* lies within radius of t*theta (the dual is 1/max_w-strongly concave), so a feature
    whose constraint holds strictly on that whole ball is zero at the optimum (Ndiaye et al.
    2017); the extra radius covers rounding in the dot products. Survivors are ranked by their
    distance to the dual constraint, (a_j - |t q_j|) / ||x~_j|| (celer; one-sided for a bound
    at zero); features that are nonzero, unpenalized or bounded away from zero rank first.
    """
    cdef Py_ssize_t i, j, jj, count = 0
    cdef double theta_norm = 0.0, radius, qj, wj
    for i in range(pb.n):
        theta_norm += it.theta[i] * it.theta[i]
    theta_norm = t * sqrt(theta_norm)
    radius = sqrt(2.0 * gap * pb.max_w) + (pb.n + 1) * 1e-15 * theta_norm
    n_active[0] = 0
    n_violating[0] = 0
    for jj in range(pb.n_live):
        j = pb.live[jj]
        if not alive[j]:
            continue
        wj = it.w[j]
        ranked[count].idx = j
        if wj != 0.0 or pb.free_[j] or lower_of(pb, j) > 0.0 or upper_of(pb, j) < 0.0:
            ranked[count].key = -INFINITY
            n_active[0] += 1
            count += 1
            continue
        # how far t q_j may move w_j off zero: only upwards when lower_j = 0, only downwards
        # when upper_j = 0 (a coefficient pinned at 0 by both bounds never moves)
        qj = t * it.q[j]
        if lower_of(pb, j) == 0.0 and upper_of(pb, j) == 0.0:
            alive[j] = 0
            continue
        if upper_of(pb, j) == 0.0:
            qj = -qj
        elif lower_of(pb, j) != 0.0:
            qj = fabs(qj)
        if (screen and not it.stale[j] and l1_of(pb, j) > 0.0
                and qj + radius * pb.norm[j] < l1_of(pb, j)):
            alive[j] = 0
            continue
        if qj > t * l1_of(pb, j) * (1.0 + 1e-6):
            n_violating[0] += 1      # clearly outside its constraint at the unscaled point
        if pb.norm[j] > 0.0:
            ranked[count].key = (l1_of(pb, j) - qj) / pb.norm[j]
        else:
            ranked[count].key = INFINITY
        count += 1
    return count


cdef double working_set_primal(const Problem* pb, const Iterate* it, const Py_ssize_t* feat,
                               Py_ssize_t ms) noexcept nogil:
    """P up to the penalties of the features outside feat[0..ms) (which do not move)."""
    cdef Py_ssize_t i, jj
    cdef double s = 0.0, resid
    for i in range(pb.n):
        resid = it.r[i] + it.o
        s += resid * resid if pb.sw == NULL else pb.sw[i] * resid * resid
    if pb.sw == NULL:
        s *= pb.unit_w
    s *= 0.5
    for jj in range(ms):
        s += penalty_value(l1_of(pb, feat[jj]), l2_of(pb, feat[jj]), it.w[feat[jj]])
    return s


cdef void try_extrapolation(const floating* s_data, const index_t* s_idx, const index_t* s_ptr,
                            bint local_columns, const Problem* pb, Iterate* it,
                            const Py_ssize_t* ws, const Py_ssize_t* sel, const Py_ssize_t* feat,
                            Py_ssize_t ms, const double* hist, double* w_saved,
                            double* r_saved) noexcept nogil:
    """Move the features feat[i] = ws[sel[i]] to the Anderson extrapolation of their last
    iterates (rows of hist) if it lowers the objective.

    The residual is affine in w, so it follows the jump by an axpy per moved column; the
    previous point is restored exactly (saved copies) when the objective does not decrease.
    """
    cdef double c[ANDERSON_K]
    cdef Py_ssize_t i, k, j
    cdef double wacc, before, o_saved = it.o
    if not anderson_coefficients(hist, ms, ANDERSON_K, c):
        return
    for i in range(ms):
        j = feat[i]
        w_saved[i] = it.w[j]
        wacc = 0.0
        for k in range(ANDERSON_K):
            wacc += c[k] * hist[(k + 1) * ms + i]
        if wacc < lower_of(pb, j) or wacc > upper_of(pb, j):
            return          # outside the box: no valid extrapolated point
    before = working_set_primal(pb, it, feat, ms)
    memcpy(r_saved, it.r, pb.n * sizeof(double))
    for i in range(ms):
        j = feat[i]
        wacc = 0.0
        for k in range(ANDERSON_K):
            wacc += c[k] * hist[(k + 1) * ms + i]
        if wacc != it.w[j]:
            residual_move(s_data, s_idx, s_ptr, sel[i] if local_columns else j, j,
                          wacc - it.w[j], pb, it)
            it.w[j] = wacc
    if working_set_primal(pb, it, feat, ms) < before:
        return
    memcpy(it.r, r_saved, pb.n * sizeof(double))
    it.o = o_saved
    for i in range(ms):
        it.w[feat[i]] = w_saved[i]


cdef struct GramCache:
    # Dense X: Gram entries G_jk = sum_i sw_i x~_ij x~_ik of recently active features, kept
    # between solves (a path's active set changes slowly), so that sweeps over the nonzero
    # coefficients cost O(|A|) per update instead of O(n) (glmnet's covariance updates).
    double* G                  # (cap, cap), row-major by slot
    Py_ssize_t cap             # 0: no cache (sparse X)
    Py_ssize_t* slot_of        # (p) the slot of a feature, or -1
    Py_ssize_t* feature_of     # (cap) the feature of a slot, or -1
    cnp.int64_t* n_slots       # slots in use (the first n_slots)


cdef bint gram_prepare(const floating* data, const Problem* pb, GramCache* cache,
                       const Py_ssize_t* feat, Py_ssize_t ms, Py_ssize_t epochs_expected,
                       double* GA, double* u, unsigned char* used) noexcept nogil:
    """Give every feature of feat[0..ms) a slot (evicting features outside it), computing
    the Gram entries of the newcomers, and copy the (ms, ms) block into GA. False (nothing
    done) when the set does not fit, or when the newcomers' entries (about newcomers x ms
    column products) would cost more than the epochs_expected sweeps they save (2 ms column
    operations each)."""
    cdef Py_ssize_t a, b, i, k, t, s, j, f, free_scan = 0, start, stop, at, newcomers = 0
    cdef const floating* col
    cdef double value
    if ms > cache.cap:
        return False
    for a in range(ms):
        if cache.slot_of[feat[a]] < 0:
            newcomers += 1
    if newcomers * min(cache.n_slots[0] + newcomers, cache.cap) > 2 * ms * epochs_expected:
        return False
    for t in range(cache.cap):
        used[t] = 0
    for a in range(ms):
        if cache.slot_of[feat[a]] >= 0:
            used[cache.slot_of[feat[a]]] = 1
    for a in range(ms):
        j = feat[a]
        if cache.slot_of[j] >= 0:
            continue
        if cache.n_slots[0] < cache.cap:
            s = cache.n_slots[0]
            cache.n_slots[0] += 1
        else:
            while used[free_scan]:
                free_scan += 1
            s = free_scan
            f = cache.feature_of[s]
            if f >= 0:
                cache.slot_of[f] = -1
        used[s] = 1
        cache.slot_of[j] = s
        cache.feature_of[s] = j
        # u = x~_j on the problem's rows, then its products with every cached column
        col = data + j * pb.rows.ld
        at = 0
        for k in range(pb.rows.count):
            start = pb.rows.bounds[2 * k]
            stop = pb.rows.bounds[2 * k + 1]
            for i in range(start, stop):
                u[at] = col[i] - pb.xbar[j]
                at += 1
        for t in range(cache.n_slots[0]):
            f = cache.feature_of[t]
            if f < 0:
                continue
            if t == s:
                value = pb.H[j]
            else:
                value = dense_centered_wdot(data, pb.rows, f, pb.xbar[f], pb.sw, u)
                if pb.sw == NULL:
                    value *= pb.unit_w
            cache.G[s * cache.cap + t] = value
            cache.G[t * cache.cap + s] = value
    for a in range(ms):
        s = cache.slot_of[feat[a]]
        for b in range(ms):
            GA[a * ms + b] = cache.G[s * cache.cap + cache.slot_of[feat[b]]]
    return True


cdef void gram_epoch(const Problem* pb, Iterate* it, const Py_ssize_t* feat,
                     const Py_ssize_t* order, Py_ssize_t ms, const double* GA, double* g,
                     double* moved) noexcept nogil:
    """cd_epoch over feat[order[i]] from the gradients g = X~_A^T (sw * r~), kept current
    through the Gram block GA; the residual is not touched (moved accumulates each
    coefficient's change until gram_sync)."""
    cdef Py_ssize_t i, a, b, j
    cdef double wj, new, delta
    cdef const double* row
    for i in range(ms):
        a = order[i]
        j = feat[a]
        wj = it.w[j]
        new = prox_step(pb.H[j] * wj + g[a], pb.H[j], l1_of(pb, j), l2_of(pb, j),
                        lower_of(pb, j), upper_of(pb, j))
        if new != wj:
            delta = new - wj
            it.w[j] = new
            moved[a] += delta
            row = GA + a * ms
            for b in range(ms):
                g[b] -= delta * row[b]


cdef bint grow_gram_buffers(double** GA, double** g, double** moved, double** w_before,
                           Py_ssize_t* capacity, Py_ssize_t ms) noexcept nogil:
    """Room for an (ms, ms) block and three ms-vectors; False when out of memory."""
    if ms <= capacity[0]:
        return True
    if not (grow(GA, ms * ms) and grow(g, ms) and grow(moved, ms)
            and grow(w_before, ms)):
        return False
    capacity[0] = ms
    return True


ctypedef fused buffer_t:
    double
    Py_ssize_t


cdef inline bint grow(buffer_t** buffer, Py_ssize_t count) noexcept nogil:
    """realloc buffer[0] to count elements; False (buffer untouched) when out of memory."""
    cdef void* grown = realloc(buffer[0], count * sizeof(buffer_t))
    if grown == NULL:
        return False
    buffer[0] = <buffer_t*>grown
    return True


cdef void gram_sync(const floating* data, const Problem* pb, Iterate* it,
                    const Py_ssize_t* feat, Py_ssize_t ms, double* moved) noexcept nogil:
    """Bring the residual up to date with the moves of gram_epoch."""
    cdef Py_ssize_t a
    for a in range(ms):
        if moved[a] != 0.0:
            residual_move(data, <const cnp.int32_t*>NULL, <const cnp.int32_t*>NULL, feat[a],
                          feat[a], moved[a], pb, it)
            moved[a] = 0.0


cdef inline Py_ssize_t select_whole_set(const Py_ssize_t* ws, Py_ssize_t m, Py_ssize_t* sel,
                                        Py_ssize_t* feat) noexcept nogil:
    """Sweep the whole working set: sel = 0..m-1, feat = ws; returns m."""
    cdef Py_ssize_t jj
    for jj in range(m):
        sel[jj] = jj
        feat[jj] = ws[jj]
    return m


cdef int solve(Layout layout, const floating* data, const index_t* indices,
               const index_t* indptr, const Problem* pb, Iterate* it, double tol_abs,
               Py_ssize_t max_iter, bint random_order, uint64_t seed, bint screen,
               double strong_ratio, EverActive* ever, const Workspace* work, GramCache* cache,
               double* gap_out, Py_ssize_t* epochs_out, Py_ssize_t* passes_out) noexcept nogil:
    """The outer working-set loop around coordinate descent. Returns 0, -1 (no memory) or -2
    (interrupted: see interrupt.pxd).

    With an initial working set (a path's strong set) the first full pass is skipped: the set
    is solved to within the target gap first, and the full pass that follows either certifies
    the solution or brings in the violators (the KKT check of the strong rule).
    """
    cdef Py_ssize_t n = pb.n, p = pb.p
    cdef Py_ssize_t j, jj, k, m = 0, ws_size = 0, n_alive, n_active, n_violating, epochs = 0
    cdef Py_ssize_t capacity = 0, ms, phase_epochs, n_nonzero
    cdef double gap = INFINITY, prev_gap = INFINITY, inner_tol, inner_target, ws_gap, t
    cdef bint sweep_all
    cdef uint64_t rng = seed * <uint64_t>0x9E3779B97F4A7C15ULL + <uint64_t>1
    cdef int status = 0
    cdef bint first = True, local = layout == CSR
    cdef const floating* s_data = data
    cdef const index_t* s_idx = indices
    cdef const index_t* s_ptr = indptr

    cdef unsigned char* alive = work.alive
    cdef Ranked* ranked = work.ranked
    cdef Py_ssize_t* ws = work.ws
    cdef Py_ssize_t* order = work.order
    # CSR only: the working set's position of each feature (-1 outside), for the gather
    cdef Py_ssize_t* ws_pos = <Py_ssize_t*>malloc(p * sizeof(Py_ssize_t)) if local else NULL
    cdef Py_ssize_t* sel = NULL       # positions in ws of the features swept (m)
    cdef Py_ssize_t* feat = NULL      # those features (m)
    cdef floating* g_data = NULL
    cdef index_t* g_rows = NULL
    cdef index_t* g_ptr = <index_t*>malloc((p + 1) * sizeof(index_t)) if local else NULL
    cdef double* hist = NULL        # (ANDERSON_K + 1) iterates of the working set
    cdef double* w_saved = NULL     # (m) the swept coefficients before an extrapolation
    cdef double* r_saved = <double*>malloc(n * sizeof(double))
    # sweeps on the Gram block (dense X): the block, gradients, pending moves, scratch
    cdef bint gram
    cdef Py_ssize_t last_active_epochs = 0
    cdef double d
    cdef double* GA = NULL
    cdef double* g = NULL
    cdef double* moved = NULL
    cdef double* w_before = NULL
    cdef Py_ssize_t gram_capacity = 0
    cdef double* u = <double*>malloc(n * sizeof(double)) if cache.cap > 0 else NULL
    cdef unsigned char* used = <unsigned char*>malloc(cache.cap) if cache.cap > 0 else NULL
    cdef Py_ssize_t hist_capacity = 0, n_hist
    if (r_saved == NULL or (local and (ws_pos == NULL or g_ptr == NULL))
            or (cache.cap > 0 and (u == NULL or used == NULL))):
        status = -1

    if status == 0:
        # a column without variance cannot change the fit: it sits at its penalty's minimum
        memset(alive, 0, p)
        for jj in range(pb.n_live):
            alive[pb.live[jj]] = 1
        if local:
            for j in range(p):
                ws_pos[j] = -1

    while status == 0:
        if first and strong_ratio > 0.0:
            # sequential strong rule: |q_j(alpha_prev)| >= v_j l1_ratio (2 alpha - alpha_prev),
            # plus every feature ever nonzero on the path
            for jj in range(pb.n_live):
                j = pb.live[jj]
                if alive[j] and (ever.marks[j] or it.w[j] != 0.0 or pb.free_[j]
                                 or lower_of(pb, j) > 0.0 or upper_of(pb, j) < 0.0
                                 or fabs(it.q[j]) >= l1_of(pb, j) * (2.0 - strong_ratio)):
                    ws[m] = j
                    m += 1
            ws_size = m
            inner_tol = STRONG_SET_FRACTION * tol_abs
        else:
            gap = full_gap(layout, data, indices, indptr, pb, it, &t)
            passes_out[0] += 1
            if gap <= tol_abs or epochs >= max_iter:
                break
            n_alive = rank_features(pb, it, alive, t, gap, screen, ranked, &n_active,
                                    &n_violating)
            if gap > 0.5 * prev_gap:
                ws_size *= 2     # the last working set barely helped: look wider
            prev_gap = gap
            # at least twice the support, and every violated constraint up to 2n of them
            # (more features than samples cannot all be nonzero at a Lasso solution)
            ws_size = max(ws_size, 2 * n_active, WS_START,
                          n_active + min(n_violating, 2 * n))
            if ws_size > n_alive:
                ws_size = n_alive
            select_smallest(ranked, n_alive, ws_size)
            if local:
                for jj in range(m):
                    ws_pos[ws[jj]] = -1
            m = ws_size
            for jj in range(m):
                ws[jj] = ranked[jj].idx
            inner_tol = max(INNER_FRACTION * gap, tol_abs)
        if m == 0:
            if first:
                first = False
                continue
            break      # every feature is fixed or screened: the gap above is final
        first = False
        sort_indices(ws, m)
        if local:
            for jj in range(m):
                ws_pos[ws[jj]] = jj
            if gather_columns(data, indices, indptr, n, NULL, ws_pos, m, &g_data, &g_rows,
                              g_ptr, &capacity) != 0:
                status = -1
                break
            s_data = g_data
            s_idx = g_rows
            s_ptr = g_ptr

        if m > hist_capacity:
            if not (grow(&hist, (ANDERSON_K + 1) * m) and grow(&w_saved, m)
                    and grow(&sel, m) and grow(&feat, m)):
                status = -1
                break
            hist_capacity = m

        # Inner loop (glmnet's active-set cycling inside celer's working set): a sweep over
        # the whole working set, then sweeps over its nonzero coefficients only until their
        # own gap falls below a fraction of the working set's, then a whole sweep again;
        # Anderson acceleration on whichever set is swept. Stops when the working set's gap
        # (checked after whole sweeps) is <= inner_tol. On dense X the sweeps over the
        # nonzero coefficients run on their Gram block when it is cheaper (|A| < n).
        sweep_all = True
        gram = False
        ms = select_whole_set(ws, m, sel, feat)
        n_hist = 0
        phase_epochs = 0
        inner_target = inner_tol
        while True:
            for jj in range(ms):
                order[jj] = jj
            if random_order:
                for jj in range(ms - 1, 0, -1):
                    k = <Py_ssize_t>(next_random(&rng) % <uint64_t>(jj + 1))
                    order[jj], order[k] = order[k], order[jj]
            if gram:
                gram_epoch(pb, it, feat, order, ms, GA, g, moved)
            else:
                cd_epoch(s_data, s_idx, s_ptr, local, pb, it, ws, sel, order, ms)
            for jj in range(ms):
                if it.w[feat[jj]] != 0.0:
                    mark_ever(ever, feat[jj])
            epochs += 1
            phase_epochs += 1
            if interrupted(ms):
                status = -2
                break
            if epochs >= max_iter:
                if gram:
                    gram_sync(data, pb, it, feat, ms, moved)
                break
            for jj in range(ms):
                hist[n_hist * ms + jj] = it.w[feat[jj]]
            n_hist += 1
            if n_hist == ANDERSON_K + 1:
                if gram:
                    gram_sync(data, pb, it, feat, ms, moved)
                    for jj in range(ms):
                        w_before[jj] = it.w[feat[jj]]
                try_extrapolation(s_data, s_idx, s_ptr, local, pb, it, ws, sel, feat, ms, hist,
                                  w_saved, r_saved)
                if gram:
                    # the gradients follow the jump (if any) through the Gram block
                    for jj in range(ms):
                        d = it.w[feat[jj]] - w_before[jj]
                        if d != 0.0:
                            for k in range(ms):
                                g[k] -= d * GA[jj * ms + k]
                n_hist = 0
            if phase_epochs != 1 and phase_epochs % GAP_EVERY != 0:
                continue
            if sweep_all:
                ws_gap = working_set_gap(s_data, s_idx, s_ptr, local, pb, it, ws, sel, feat, ms)
                if ws_gap <= inner_tol:
                    break
                n_nonzero = 0
                for jj in range(m):
                    if it.w[ws[jj]] != 0.0:
                        n_nonzero += 1
                if n_nonzero == 0 or ACTIVE_SHARE * m < n_nonzero:
                    continue    # most of the set is nonzero: keep sweeping all of it
                ms = 0
                for jj in range(m):
                    if it.w[ws[jj]] != 0.0:
                        sel[ms] = jj
                        feat[ms] = ws[jj]
                        ms += 1
                sweep_all = False
                inner_target = max(INNER_FRACTION * ws_gap, ACTIVE_FRACTION * inner_tol)
                if layout == DENSE and ms < n and cache.cap > 0:
                    gram = grow_gram_buffers(&GA, &g, &moved, &w_before, &gram_capacity, ms)
                    if not gram:
                        status = -1
                        break
                    gram = gram_prepare(data, pb, cache, feat, ms,
                                        max(GRAM_EPOCHS_EXPECTED, last_active_epochs), GA, u,
                                        used)
                    if gram:
                        for jj in range(ms):
                            g[jj] = residual_corr(data, indices, indptr, feat[jj], feat[jj],
                                                  pb, it)
                            moved[jj] = 0.0
            else:
                if gram:
                    gram_sync(data, pb, it, feat, ms, moved)
                ws_gap = working_set_gap(s_data, s_idx, s_ptr, local, pb, it, ws, sel, feat, ms)
                if ws_gap > inner_target and phase_epochs < ACTIVE_EPOCHS:
                    if gram:
                        # fresh gradients (the working set gap read them, unless projected)
                        for jj in range(ms):
                            g[jj] = (it.q[feat[jj]] if pb.k == 0 else
                                     residual_corr(data, indices, indptr, feat[jj], feat[jj],
                                                   pb, it))
                    continue
                sweep_all = True
                gram = False
                last_active_epochs = phase_epochs
                ms = select_whole_set(ws, m, sel, feat)
            n_hist = 0
            phase_epochs = 0

    free(ws_pos)
    free(GA)
    free(g)
    free(moved)
    free(w_before)
    free(u)
    free(used)
    free(sel)
    free(feat)
    free(g_data)
    free(g_rows)
    free(g_ptr)
    free(hist)
    free(w_saved)
    free(r_saved)
    gap_out[0] = gap
    epochs_out[0] = epochs
    return status


cdef class _Spec:
    """Everything but X, as validated double arrays (see enet_coordinate_descent)."""
    cdef const double[::1] y, sw, factor, ridge, lower, upper
    cdef double alpha_l1, alpha_l2, strong_ratio
    cdef unsigned char[::1] ever
    cdef Py_ssize_t[::1] ever_list
    cdef double[:, ::1] gram_G
    cdef Py_ssize_t[::1] gram_slot, gram_feature
    cdef cnp.int64_t[::1] gram_n
    cdef cnp.int64_t[::1] ever_count
    cdef const unsigned char[::1] free_
    cdef const double[::1, :] Z
    cdef const Py_ssize_t[::1] row_bounds
    cdef const double[::1, :] Ginv
    cdef double[::1] w, xbar, H, norm, q, r, offset
    cdef Py_ssize_t[::1] live
    cdef cnp.int64_t[::1] n_live
    cdef double[:, ::1] theta_c, q_c
    cdef unsigned char[::1] center_ok, stale, alive, ranked
    cdef Py_ssize_t[::1] cand, ws, order
    cdef bint fit_intercept, random_order, screen, stats_ready, residual_ready
    cdef double tol
    cdef Py_ssize_t max_iter, stored_rows
    cdef int n_threads
    cdef uint64_t seed


cdef int column_stats(Layout layout, const floating* data, const index_t* indices,
                      const index_t* indptr, Problem* pb, bint fit_intercept, double* xbar,
                      double* H, double* norm) noexcept nogil:
    """xbar_j = sum_i sw_i x_ij (0 without intercept), H_j = sum_i sw_i x~_ij^2 (0 for a
    column the loss ignores: all zero, or constant with an intercept) and norm_j = ||x~_j||_2.
    One pass over X (shifted sums: no cancellation for columns with large means).
    Returns 0, -1 when out of memory, or -2 when some H_j or norm_j overflowed."""
    cdef Py_ssize_t j, n = pb.n, p = pb.p
    cdef int status = 0
    cdef double* m1 = <double*>malloc(2 * p * sizeof(double))
    cdef double* m2 = m1 + p
    cdef unsigned char* varies = <unsigned char*>malloc(p * sizeof(unsigned char))
    if m1 == NULL or varies == NULL:
        free(m1)
        free(varies)
        return -1
    if layout == DENSE:
        dense_moments(data, pb.rows, n, p, pb.sw, fit_intercept, xbar, H, m2, varies,
                      pb.n_threads)
        for j in range(p):
            if fit_intercept and not varies[j]:
                H[j] = 0.0
            norm[j] = sqrt(m2[j])
    elif fit_intercept:
        status = centered_moments(layout, data, indices, indptr, n, p, pb.sw, xbar, H, m2,
                                  varies)
        for j in range(p):
            if not varies[j]:
                H[j] = 0.0
            norm[j] = sqrt(m2[j])
    else:
        # the weighted moments land in xbar and H, the unweighted ones in m1 and m2
        column_moments(layout, data, indices, indptr, n, p, pb.sw, xbar, H, m1, m2)
        for j in range(p):
            if pb.sw == NULL:
                H[j] *= pb.unit_w
            xbar[j] = 0.0
            norm[j] = sqrt(m2[j])
    for j in range(p):
        if status == 0 and not (H[j] < INFINITY and norm[j] < INFINITY):
            status = -2
    free(m1)
    free(varies)
    return status


def raise_overflowing_columns(H, norm):
    """The error for columns whose sum of squares (about their mean, with an intercept)
    overflows float64: coordinate descent cannot scale their steps, and dropping them
    would return a wrong model with a small gap."""
    bad = np.flatnonzero(~(np.isfinite(H) & np.isfinite(norm)))
    raise ValueError(
        f"X has {bad.size} column(s) (first: {bad[0]}) whose sum of squares overflows "
        "float64 (values near 1e154 or larger); rescale them, e.g. divide each column by its "
        "largest absolute value or standardize X.")


cdef tuple _run(Layout layout, const floating* data, const index_t* indices,
                const index_t* indptr, Py_ssize_t n, Py_ssize_t p, _Spec spec):
    """Solve; n is the number of rows the problem reads (for dense X those of
    spec.row_bounds, when given, out of X's stored rows)."""
    cdef Problem pb
    cdef Py_ssize_t jj
    cdef RowRuns rows
    cdef Workspace work
    cdef EverActive ever
    cdef GramCache cache
    cdef Py_ssize_t all_rows[2]
    cdef Iterate it
    cdef Py_ssize_t i, j
    cdef double ybar = 0.0, tol_abs, gap = 0.0, intercept = 0.0
    cdef Py_ssize_t epochs = 0, passes = 0
    cdef int status = 0
    cdef const double* sw = NULL if spec.sw is None else &spec.sw[0]
    cdef double[::1] ytil = np.empty(n), rhat = np.empty(n), theta = np.empty(n)
    cdef double[::1] r = spec.r
    cdef Py_ssize_t k = spec.Z.shape[1]
    cdef double[::1] proj = np.empty(max(k, 1))
    cdef Py_ssize_t[::1] cand = spec.cand
    cdef unsigned char[::1] stale = spec.stale
    cdef double[::1] w = spec.w

    if spec.row_bounds is None:
        all_rows[0] = 0
        all_rows[1] = n
        rows.ld = n
        rows.count = 1
        rows.bounds = all_rows
    else:
        rows.ld = spec.stored_rows
        rows.count = spec.row_bounds.shape[0] // 2
        rows.bounds = &spec.row_bounds[0]
    pb.rows = &rows
    pb.n = n
    pb.p = p
    pb.sw = sw
    pb.fit_intercept = spec.fit_intercept
    pb.dense = layout == DENSE
    pb.n_threads = spec.n_threads
    pb.factor = &spec.factor[0]
    pb.ridge = &spec.ridge[0]
    pb.factor_step = 1 if spec.factor.shape[0] == p else 0
    pb.bound_step = 1 if spec.lower.shape[0] == p else 0
    pb.alpha_l1 = spec.alpha_l1
    pb.alpha_l2 = spec.alpha_l2
    pb.lower = &spec.lower[0]
    pb.upper = &spec.upper[0]
    pb.unit_w = 1.0 / n
    pb.max_w = pb.unit_w if sw == NULL else max(spec.sw)
    pb.rounding_floor = 0.0
    if not spec.stats_ready:
        with nogil:
            status = column_stats(layout, data, indices, indptr, &pb, spec.fit_intercept,
                                  &spec.xbar[0], &spec.H[0], &spec.norm[0])
        if status == -2:
            raise_overflowing_columns(spec.H, spec.norm)
        if status != 0:
            raise MemoryError("l1core: out of memory computing column statistics")
        spec.n_live[0] = 0
        for j in range(p):
            if spec.H[j] > 0.0:
                spec.live[spec.n_live[0]] = j
                spec.n_live[0] += 1
    pb.live = &spec.live[0]
    pb.n_live = spec.n_live[0]
    if spec.ws.shape[0] < pb.n_live:
        raise ValueError("scratch holds fewer features than the columns with variance")
    if spec.fit_intercept:
        for i in range(n):
            ybar += (pb.unit_w if sw == NULL else sw[i]) * spec.y[i]
    ever.marks = &spec.ever[0]
    ever.list = &spec.ever_list[0]
    ever.count = &spec.ever_count[0]
    if not spec.residual_ready:
        # a cold start: list every nonzero coefficient as ever active (the kernel lists the
        # later ones as they appear), so that the list always covers the support
        for j in range(p):
            if spec.H[j] == 0.0:
                w[j] = min(max(0.0, lower_of(&pb, j)), upper_of(&pb, j))
            if w[j] != 0.0:
                mark_ever(&ever, j)
    for i in range(n):
        ytil[i] = spec.y[i] - ybar

    pb.y = &ytil[0]
    pb.free_ = &spec.free_[0]
    pb.k = k
    pb.Z = &spec.Z[0, 0] if k > 0 else NULL
    pb.Ginv = &spec.Ginv[0, 0] if k > 0 else NULL
    pb.xbar = &spec.xbar[0]
    pb.H = &spec.H[0]
    pb.norm = &spec.norm[0]
    it.w = &w[0]
    it.r = &r[0]
    it.rhat = &rhat[0]
    it.theta = &theta[0]
    it.q = &spec.q[0]
    it.proj = &proj[0]
    it.theta_size = 0.0
    it.cand = &cand[0]
    cache.cap = 0
    if spec.gram_G is not None and layout == DENSE:
        cache.cap = spec.gram_G.shape[0]
        cache.G = &spec.gram_G[0, 0]
        cache.slot_of = &spec.gram_slot[0]
        cache.feature_of = &spec.gram_feature[0]
        cache.n_slots = &spec.gram_n[0]
    work.alive = &spec.alive[0]
    work.ranked = <Ranked*>&spec.ranked[0]
    work.ws = &spec.ws[0]
    work.order = &spec.order[0]
    it.theta_c = &spec.theta_c[0, 0]
    it.n_centers = spec.theta_c.shape[0]
    it.q_c = &spec.q_c[0, 0]
    it.center_ok = &spec.center_ok[0]
    it.recenter = &spec.center_ok[1]
    it.stale = &stale[0]
    it.o = spec.offset[0]

    stop = interrupt_begin()
    with nogil:
        if not spec.residual_ready:
            memcpy(it.r, pb.y, n * sizeof(double))
            it.o = 0.0
            if layout == DENSE:
                for j in range(p):
                    if it.w[j] != 0.0:
                        dense_centered_axpy(data, pb.rows, j, pb.xbar[j], -it.w[j], it.r)
            else:
                x_dot_into(layout, data, indices, indptr, n, p, it.w, it.r)
                for j in range(p):
                    it.o += pb.xbar[j] * it.w[j]
        if it.o != 0.0:
            # start with r~ held in r alone: o grows again only by the updates of columns
            # with implicit zeros (see residual_move)
            for i in range(n):
                it.r[i] += it.o
            it.o = 0.0
        tol_abs = spec.tol * weighted_sum(&pb, pb.y, pb.y)
        pb.rounding_floor = ROUNDING_FLOOR * tol_abs
        status = solve(layout, data, indices, indptr, &pb, &it, tol_abs, spec.max_iter,
                       spec.random_order, spec.seed, spec.screen,
                       spec.strong_ratio, &ever, &work, &cache, &gap, &epochs, &passes)
        if spec.fit_intercept:
            intercept = ybar
            for jj in range(ever.count[0]):
                j = ever.list[jj]
                intercept -= pb.xbar[j] * it.w[j]
    spec.offset[0] = it.o
    interrupt_end(stop)
    if status != 0:
        raise MemoryError("l1core: out of memory in the coordinate descent kernel")
    return intercept, gap, epochs, tol_abs, passes


def _run_dense(const floating[::1, :] X, _Spec spec):
    cdef Py_ssize_t n = X.shape[0], k
    spec.stored_rows = n
    if spec.row_bounds is not None:
        n = 0
        for k in range(0, spec.row_bounds.shape[0], 2):
            if not (0 <= spec.row_bounds[k] < spec.row_bounds[k + 1] <= X.shape[0]) or (
                    k > 0 and spec.row_bounds[k] < spec.row_bounds[k - 1]):
                raise ValueError("rows must be increasing, disjoint runs of X's rows")
            n += spec.row_bounds[k + 1] - spec.row_bounds[k]
    return _run(DENSE, &X[0, 0], <cnp.int32_t*>NULL, <cnp.int32_t*>NULL, n, X.shape[1], spec)


def _run_sparse(const floating[::1] data, const index_t[::1] indices,
                const index_t[::1] indptr, bint csr, Py_ssize_t n, Py_ssize_t p, _Spec spec):
    cdef const floating* d = &data[0] if data.shape[0] > 0 else NULL
    cdef const index_t* ix = &indices[0] if indices.shape[0] > 0 else NULL
    return _run(CSR if csr else CSC, d, ix, &indptr[0], n, p, spec)


def enet_gram_cache(Py_ssize_t p, Py_ssize_t capacity):
    """Storage for the Gram entries of up to capacity features (dense X), kept between the
    calls of enet_coordinate_descent on one problem (same X, rows and weights)."""
    return (np.zeros((capacity, capacity)), np.full(p, -1, dtype=np.intp),
            np.full(capacity, -1, dtype=np.intp), np.zeros(1, dtype=np.int64))


def enet_scratch(Py_ssize_t p, Py_ssize_t n_live=-1):
    """Work arrays for enet_coordinate_descent on p features of which at most n_live have
    H > 0 (-1: all), reusable between its calls."""
    if n_live < 0:
        n_live = p
    return (np.empty(n_live, dtype=np.intp), np.zeros(p, dtype=np.uint8),
            np.empty(p, dtype=np.uint8), np.empty(n_live * sizeof(Ranked), dtype=np.uint8),
            np.empty(n_live, dtype=np.intp), np.empty(n_live, dtype=np.intp))


def enet_coordinate_descent(X, y, w, *, sample_weight, alpha, l1_ratio, penalty_factor, lower,
                            upper, free, Z, Ginv, fit_intercept, tol, max_iter, random, seed,
                            stats, stats_ready, q_out, residual, residual_ready, ever,
                            center, strong_ratio=0.0, screen=True, rows=None, scratch=None,
                            gram_cache=None, ridge_factor=None, n_threads=1):
    """Solve the weighted Elastic Net of the module docstring in place of w.

    X: Fortran-ordered float32/float64 ndarray, or scipy CSC/CSR with int32/int64 indices, read
    in place (never copied, never written). All other arrays are float64: y (n,), w (p,) the
    start point, overwritten with the solution; sample_weight (n,) summing to 1 or None for
    equal weights; penalty_factor, lower, upper (p,) (a_j = alpha l1_ratio v_j, c_j = alpha
    (1 - l1_ratio) v_j); free (p,) uint8 marking unpenalized columns whose
    weighted-centered values Z (n, k) and pseudo-inverse Gram Ginv (k, k) keep the dual point
    orthogonal to them. stats = (xbar, H, norm, live, n_live): three (p,) float arrays, an
    intp (p,) and an int64 (1,) array (the indices of the n_live columns with H > 0), filled
    by the first call (stats_ready=False) and reused by later ones on the same X, weights and
    fit_intercept.
    q_out (p,) receives x~_j . theta at the last full pass (minus the loss gradient: a path's
    strong rule reads it). residual = (r (n,), offset (1,)) receives the final residual
    y - ybar - X~ w = r + offset; with residual_ready=True it is taken as the residual of the
    given w (a path's warm start) instead of being recomputed by a pass over X. ever =
    (marks (p,) uint8, list (p,) intp, count (1,) int64): the features ever nonzero, marked
    and listed (updated). strong_ratio = alpha_prev / alpha > 0
    starts with the sequential strong set computed from q_out of the previous alpha's solve.
    center = (theta_c (2, n), q_c (2, p), state (2,) uint8): the dual points of the last two
    exact full passes and their correlations, kept between solves on the same problem (state
    zero at first): later passes over a column store skip the features they prove far from
    their constraint.
    Stops when the duality gap <= tol * sum_i sw_i (y_i - ybar)^2 or after max_iter epochs.
    rows: for dense X, None (every row) or an intp array [start_0, stop_0, start_1, ...] of
    increasing runs of X's rows: the problem then has only those rows (the others count as
    weight zero), X is still read in place, and y, sample_weight, Z, the residual and
    theta_c hold those rows only, in order. Sparse X takes zero weights instead.
    scratch: enet_scratch(p), work arrays a caller solving many times may keep (None:
    allocated here). gram_cache: enet_gram_cache(p, capacity) for dense X (None: sweeps
    never use Gram entries), kept by the caller between solves of one problem.
    ridge_factor: None, or the ridge part's own factors (the length of penalty_factor):
    c_j = alpha (1 - l1_ratio) ridge_j (standardization scales the two parts differently).
    n_threads: threads for the exact and lazy full passes over dense or CSC X (split by
    columns, each column's sum on one thread: the same floats for every thread count; CSR
    passes are serial). Returns (intercept, gap, epochs, gap_tolerance, full_passes).
    Releases the GIL.
    """
    cdef _Spec spec = _Spec()
    spec.y = y
    spec.sw = sample_weight
    spec.factor = penalty_factor
    spec.ridge = penalty_factor if ridge_factor is None else ridge_factor
    if spec.ridge.shape[0] != spec.factor.shape[0]:
        raise ValueError("ridge_factor must have the length of penalty_factor")
    spec.alpha_l1 = alpha * l1_ratio
    spec.alpha_l2 = alpha * (1.0 - l1_ratio)
    spec.lower = lower
    spec.upper = upper
    spec.free_ = free
    spec.Z = Z
    spec.Ginv = Ginv
    spec.w = w
    spec.xbar, spec.H, spec.norm, spec.live, spec.n_live = stats
    spec.stats_ready = stats_ready
    spec.q = q_out
    spec.r, spec.offset = residual
    spec.residual_ready = residual_ready
    spec.ever, spec.ever_list, spec.ever_count = ever
    spec.theta_c, spec.q_c, spec.center_ok = center
    if scratch is None:
        scratch = enet_scratch(X.shape[1])
    spec.cand, spec.stale, spec.alive, spec.ranked, spec.ws, spec.order = scratch
    if gram_cache is not None:
        spec.gram_G, spec.gram_slot, spec.gram_feature, spec.gram_n = gram_cache
        if (spec.gram_G.shape[0] != spec.gram_G.shape[1]
                or spec.gram_feature.shape[0] != spec.gram_G.shape[0]
                or spec.gram_slot.shape[0] != X.shape[1] or spec.gram_G.shape[0] == 0):
            raise ValueError("gram_cache does not come from enet_gram_cache")
    if spec.ranked.shape[0] != spec.ws.shape[0] * sizeof(Ranked):
        raise ValueError("scratch does not come from enet_scratch")
    if (not 1 <= spec.theta_c.shape[0] <= MAX_CENTERS or spec.q_c.shape[0] != spec.theta_c.shape[0]
            or spec.center_ok.shape[0] != 2):
        raise ValueError(f"center needs 1 to {MAX_CENTERS} slots")
    spec.strong_ratio = strong_ratio
    spec.row_bounds = rows
    spec.fit_intercept = fit_intercept
    spec.random_order = random
    spec.screen = screen
    spec.tol = tol
    spec.max_iter = max_iter
    spec.seed = seed
    if n_threads < 1:
        raise ValueError("n_threads must be >= 1")
    spec.n_threads = n_threads
    if hasattr(X, "format") and X.format in ("csr", "csc"):
        n, p = X.shape
        return _run_sparse(X.data, X.indices, X.indptr, X.format == "csr", n, p, spec)
    return _run_dense(X, spec)
