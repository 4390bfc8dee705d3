"""L1/L2-penalized logistic regression by proximal Newton with working sets and gap-safe screening.

Solves, with labels y_i in {-1, +1}, weights sw_i = s_i / S (sum_i sw_i = 1) and z = Xw + b,

    P(w, b) = sum_i sw_i log(1 + exp(-y_i z_i)) + sum_j h_j(w_j),
    h_j(w)  = a_j |w| + c_j w^2 / 2 + [lower_j <= w <= upper_j],

the logistic contract of design.md section 2 (b unpenalized, a_j = alpha v_j l1_ratio,
c_j = alpha v_j (1 - l1_ratio)).

Outer loop (one full pass over X): the dual point theta_i = sw_i y_i sigma(-y_i z_i), made to sum
to zero (intercept) and orthogonal to the unpenalized columns, then scaled by t in (0, 1] into
the Lasso constraints |x_j.theta| <= a_j, gives the gap

    gap = P(w, b) - [sum_i sw_i H(t y_i theta_i / sw_i) - sum_j h_j*(t x_j.theta)]

(H the binary entropy in nats), an upper bound on P(w, b) - P*. Features that gap-safe
screening proves zero are dropped for good (the dual is 4/max_i sw_i strongly concave), the
others ranked by their distance to the dual constraint, and a working set of the best-ranked
ones (at least twice the support) is optimized until its own gap falls below a fraction of the
outer gap (celer's schedule, as in the squared-loss kernel).

Inner loop (glmnet / LIBLINEAR's newGLMNET): at the current point the loss is replaced by its
quadratic model with weights d_i = sw_i p_i (1 - p_i); coordinate descent over the working set
and the intercept solves the penalized model (epochs until the largest move is small against
the first epoch's); a backtracking line search on the true objective (Armijo, with the decrease
predicted including the penalty) accepts the step, so every Newton step decreases P. Model
residuals use the sparse-vector-plus-scalar-offset trick, so a coordinate costs O(nnz of the
column). CSR input is read row-wise by the full passes; the working set's columns are gathered
into a small CSC store.

Along a path the caller keeps the state that does not depend on alpha (column norms, the linear
predictor z of the last solution, X^T theta of its last full pass, the features ever active),
so a warm-started solve makes no pass over X before its first working set, which is the
sequential strong set (Tibshirani et al. 2012); the full pass after it is the KKT check.

The multinomial loss sum_i sw_i (logsumexp(z_i) - z_{i, y_i}) with one coefficient row and one
intercept per class is solved the same way, cycling over classes with glmnet's partial Newton
step (weights sw_i p_ik (1 - p_ik), the diagonal block of the Hessian) and a line search on the
full objective; its dual uses the softmax conjugate (negative entropy), the dual point
theta_ik = sw_i (Y_ik - p_ik) being corrected for the intercepts by one Newton step of the
intercept-only problem (a K x K solve). The loss only sees differences between classes, so a
common shift of one feature's K coefficients is the penalty's business alone: after each
cycle it is solved exactly (class_shift), which the class steps, each paying the loss's
curvature to move one coefficient, otherwise crawl along (hundreds of epochs with bounds).
"""

from libc.stdlib cimport malloc, free, calloc, realloc
from libc.string cimport memset
from libc.math cimport fabs, sqrt, exp, log, log1p, INFINITY
cimport numpy as cnp
import numpy as np

from column_ops cimport (floating, index_t, Layout, DENSE, CSC, CSR, col_wdot, col_axpy,
                         xt_dot, x_dot_into, column_moments, col_newton_stats,
                         gather_columns, centered_moments, col_is_full, col_centered_wdot,
                         col_centered_axpy, column_first, centered_xt_dot)
from interrupt cimport interrupted, interrupt_begin, interrupt_end
from kernel_ops cimport (penalty_value, prox_step, penalty_conjugate, constraint_scale,
                         Ranked, select_smallest, sort_indices)

cnp.import_array()

DEF WS_START = 10
DEF INNER_FRACTION = 0.3
# Armijo: accept step s when P(new) - P <= ARMIJO * s * (predicted decrease incl. penalty).
DEF ARMIJO = 0.01
DEF MAX_HALVINGS = 50
DEF ROUNDING_DECREASE = 1e-13
# Inner CD on the quadratic model stops when an epoch's largest curvature-weighted squared
# move falls below CD_DECREASE times the first epoch's, or after MAX_CD_EPOCHS epochs.
DEF CD_DECREASE = 1e-4
DEF MAX_CD_EPOCHS = 50
# A class's partial Newton step is solved less exactly: the other classes move next.
DEF CD_DECREASE_CLASS = 1e-2
# The dual point's per-sample probabilities may leave [0, 1] by rounding only by this much.
DEF ROUND_SLACK = 1e-12
# The dual point's orthogonality to the unpenalized columns, relative to its terms' sizes.
DEF ORTH_SLACK = 1e-10
# A full column whose mean exceeds LARGE_MEAN times its spread is read centered by the
# dot products with the dual point (below it x_j.theta loses under 2 of 16 digits).
DEF LARGE_MEAN = 100.0
# A gap below -NEGATIVE_SLACK (1 + |loss| + max |b|) is no certificate (the dual point was not feasible).
DEF NEGATIVE_SLACK = 1e-10


cdef struct Problem:
    Py_ssize_t n
    Py_ssize_t p
    Py_ssize_t K               # 1: binary; >= 3: multinomial classes
    const double* y            # binary: labels +-1 (n)
    const double* t            # binary soft labels in [0, 1] (n), or NULL: the labels y
    const Py_ssize_t* label    # multinomial: class of each sample in [0, K) (n)
    const double* sw           # normalized sample weights (n), sum 1
    double max_w
    double alpha_l1            # alpha l1_ratio: a_j = alpha_l1 v_j
    double alpha_l2            # alpha (1 - l1_ratio): c_j = alpha_l2 v_j
    const double* factor       # (p) penalty factors v_j
    const double* ridge        # (p) ridge factors: c_j = alpha_l2 ridge_j (v_j unless given)
    const double* offset       # (n R) known term of the linear predictor (z holds it), or NULL
    const double* lower
    const double* upper
    const unsigned char* free_ # (p) unpenalized columns (the dual point is made orthogonal)
    Py_ssize_t k               # number of unpenalized columns
    const double* Z            # those columns, Fortran (n, k)
    bint fit_intercept
    const double* norm         # (p) ||x_j - mean||_2 (unweighted), for screening
    int n_threads              # threads for the full passes (dense and CSC: by columns)
    const double* center       # (p) the means of the full columns with a large mean, else 0
                               # (X^T theta read centered: exact for sum theta = 0); or NULL


cdef inline double l1_of(const Problem* pb, Py_ssize_t j) noexcept nogil:
    return pb.alpha_l1 * pb.factor[j]


cdef inline double l2_of(const Problem* pb, Py_ssize_t j) noexcept nogil:
    return pb.alpha_l2 * pb.ridge[j]


cdef double offset_term(const Problem* pb, const double* thetap) noexcept nogil:
    """thetap . offset (thetap (K, n), offset (n, K)): the dual of F(z + o) is that of F minus
    it (the conjugate of F(. + o) is F*(u) - u.o)."""
    cdef Py_ssize_t i, k, R = 1 if pb.K == 1 else pb.K
    cdef double s = 0.0
    if pb.offset == NULL:
        return 0.0
    for k in range(R):
        for i in range(pb.n):
            s += thetap[k * pb.n + i] * pb.offset[i * R + k]
    return s


cdef inline double theta_dot(const floating* s_data, const index_t* s_idx,
                             const index_t* s_ptr, const Problem* pb, Py_ssize_t col,
                             Py_ssize_t j, const double* theta) noexcept nogil:
    """x_j.theta for feature j, column col of the store (centered when pb.center says)."""
    if pb.center != NULL and pb.center[j] != 0.0:
        return col_centered_wdot(s_data, s_idx, s_ptr, pb.n, col, pb.center[j], NULL, theta)
    return col_wdot(s_data, s_idx, s_ptr, pb.n, col, NULL, theta)


cdef inline double one_sided(const Problem* pb, Py_ssize_t j, double q) noexcept nogil:
    """How far the correlation q may push w_j off zero (its constraint is |q| <= a_j): only
    upwards when lower_j = 0, only downwards when upper_j = 0 (the Elastic Net's ranking)."""
    if pb.upper[j] == 0.0:
        return -q
    if pb.lower[j] == 0.0:
        return q
    return fabs(q)


cdef inline bint has_conjugate(const Problem* pb, Py_ssize_t j) noexcept nogil:
    """Whether h_j* can be nonzero at a point scaled into the constraint: an L2 part or
    bounds (without them, h_j* is the indicator of |q| <= a_j, zero there by construction)."""
    return l2_of(pb, j) > 0.0 or pb.lower[j] > -INFINITY or pb.upper[j] < INFINITY


cdef struct Iterate:
    # Binary: w (p), b (1), z (n); multinomial: W (K, p) C-ordered, b (K), z (n, K) C-ordered.
    double* w
    double* b
    double* z
    double* prob               # multinomial: softmax probabilities (n, K)
    double* theta              # natural dual point / negative gradient of the loss in z
    double* thetap             # its projection (intercept, unpenalized columns)
    double* d                  # Newton weights of the current class (n)
    double* q                  # X^T thetap (binary p; multinomial (K, p))
    double* u                  # model step X_ws dw (n), without its offset
    double* small              # scratch for the small projection systems
    double loss


cdef inline double entropy(double s) noexcept nogil:
    """Binary entropy in nats, H(0) = H(1) = 0."""
    if s <= 0.0 or s >= 1.0:
        return 0.0
    return -s * log(s) - (1.0 - s) * log1p(-s)


cdef inline double log1pexp(double m) noexcept nogil:
    """log(1 + exp(m)) without overflow."""
    return (m if m > 0.0 else 0.0) + log1p(exp(-fabs(m)))


cdef inline double soft_loss(double t, double z) noexcept nogil:
    """-[t log sigma(z) + (1 - t) log(1 - sigma(z))], each term exact (t = 1: log1pexp(-z))."""
    cdef double e = log1p(exp(-fabs(z)))
    return t * ((-z if z < 0.0 else 0.0) + e) + (1.0 - t) * ((z if z > 0.0 else 0.0) + e)


cdef inline double soft_probability(const Problem* pb, Py_ssize_t i, double scaled) noexcept nogil:
    """The dual's probability at sample i for ``scaled`` = t theta_i / sw_i: y_i scaled for
    labels (H(s) = H(1 - s): the labels' formula, exact), t_i - scaled for soft labels."""
    if pb.t == NULL:
        return pb.y[i] * scaled
    if pb.t[i] == 1.0:
        return scaled
    if pb.t[i] == 0.0:
        return -scaled
    return pb.t[i] - scaled


cdef double binary_eval(const Problem* pb, Iterate* it) noexcept nogil:
    """Loss at it.z; fills theta_i = sw_i y_i sigma(-y_i z_i) (soft labels: sw_i (t_i -
    sigma(z_i)), written t_i sigma(-z_i) - (1 - t_i) sigma(z_i) so that t_i in {0, 1} gives the
    labels' values exactly) and d_i = sw_i p_i (1 - p_i)."""
    cdef Py_ssize_t i
    cdef double loss = 0.0, m, e, lo, hi, s
    for i in range(pb.n):
        if pb.sw[i] == 0.0:
            it.theta[i] = 0.0
            it.d[i] = 0.0
            continue
        if pb.t != NULL:
            e = exp(-fabs(it.z[i]))
            lo = e / (1.0 + e)
            hi = 1.0 / (1.0 + e)
            s = hi if it.z[i] >= 0.0 else lo                  # sigma(z)
            loss += pb.sw[i] * soft_loss(pb.t[i], it.z[i])
            m = lo if it.z[i] >= 0.0 else hi                  # sigma(-z)
            it.theta[i] = pb.sw[i] * (pb.t[i] * m - (1.0 - pb.t[i]) * s)
            it.d[i] = pb.sw[i] * lo * hi
            continue
        m = -pb.y[i] * it.z[i]
        e = exp(-fabs(m))
        lo = e / (1.0 + e)
        hi = 1.0 / (1.0 + e)
        s = hi if m >= 0.0 else lo
        loss += pb.sw[i] * ((m if m > 0.0 else 0.0) + log1p(e))
        it.theta[i] = pb.sw[i] * pb.y[i] * s
        it.d[i] = pb.sw[i] * lo * hi
    return loss


cdef double binary_loss_along(const Problem* pb, const Iterate* it, double off,
                              double step) noexcept nogil:
    """Loss at z + step * (u + off)."""
    cdef Py_ssize_t i
    cdef double loss = 0.0
    for i in range(pb.n):
        if pb.sw[i] != 0.0 and pb.t != NULL:
            loss += pb.sw[i] * soft_loss(pb.t[i], it.z[i] + step * (it.u[i] + off))
        elif pb.sw[i] != 0.0:
            loss += pb.sw[i] * log1pexp(-pb.y[i] * (it.z[i] + step * (it.u[i] + off)))
    return loss


cdef bint solve_small(double* G, double* rhs, Py_ssize_t k) noexcept nogil:
    """Solve G x = rhs in place (x in rhs) by Gaussian elimination with partial pivoting; G is
    (k, k) column-major and destroyed. A pivot below 1e-13 of the largest diagonal entry
    (a direction the weights do not see) gives x = 0 there. Returns False if G is zero."""
    cdef Py_ssize_t r, c, i, piv
    cdef double big = 0.0, f, tmp
    for r in range(k):
        big = max(big, fabs(G[r + r * k]))
    if big == 0.0:
        return False
    for c in range(k):
        piv = c
        for r in range(c + 1, k):
            if fabs(G[r + c * k]) > fabs(G[piv + c * k]):
                piv = r
        if piv != c:
            for i in range(k):
                tmp = G[c + i * k]
                G[c + i * k] = G[piv + i * k]
                G[piv + i * k] = tmp
            tmp = rhs[c]
            rhs[c] = rhs[piv]
            rhs[piv] = tmp
        if fabs(G[c + c * k]) <= 1e-13 * big:
            G[c + c * k] = INFINITY
            continue
        for r in range(c + 1, k):
            f = G[r + c * k] / G[c + c * k]
            if f != 0.0:
                for i in range(c, k):
                    G[r + i * k] -= f * G[c + i * k]
                rhs[r] -= f * rhs[c]
    for c in range(k - 1, -1, -1):
        tmp = rhs[c]
        for i in range(c + 1, k):
            tmp -= G[c + i * k] * rhs[i]
        rhs[c] = tmp / G[c + c * k]
    return True


cdef bint verified_orthogonal(const Problem* pb, const double* theta, const double* thetap,
                              Py_ssize_t na) noexcept nogil:
    """Whether A^T thetap = 0 holds up to rounding: |a_r.thetap| <= ORTH_SLACK sum_i |a_ir theta_i|
    for every column a_r of A = [1, Z] (the free columns' conjugates are taken as zero)."""
    cdef Py_ssize_t i, r
    cdef double dot, size, ai
    for r in range(na):
        dot = 0.0
        size = 0.0
        for i in range(pb.n):
            ai = a_value(pb, i, r)
            dot += ai * thetap[i]
            size += fabs(ai * theta[i]) + fabs(ai * thetap[i])
        if not fabs(dot) <= ORTH_SLACK * size:
            return False
    return True


cdef bint binary_project(const Problem* pb, Iterate* it) noexcept nogil:
    """thetap: theta made to sum to zero (intercept) and orthogonal to the unpenalized columns,
    keeping every y_i thetap_i / sw_i in [0, 1] (the entropy's domain). Returns False when the
    correction would leave that domain (far from the optimum with unpenalized columns) or the
    orthogonality does not hold (verified_orthogonal).

    Intercept only: the larger class's part is scaled down to the smaller's (always feasible).
    With unpenalized columns A = [1, Z]: thetap = theta - d * (A c), (A^T diag(d) A) c = A^T theta,
    the linearization of theta at z + A c (one Newton step on the unpenalized directions),
    solved with one step of iterative refinement.
    """
    cdef Py_ssize_t i, r, c, sweep, n = pb.n, na = pb.k + (1 if pb.fit_intercept else 0)
    cdef double pos = 0.0, neg = 0.0, f, corr, s, ai
    cdef double* G = it.small
    cdef double* rhs = it.small + na * na
    cdef double* C = rhs + na
    for i in range(n):
        it.thetap[i] = it.theta[i]
    if na == 0:
        return True
    if pb.k == 0:
        for i in range(n):
            if it.theta[i] > 0.0:
                pos += it.theta[i]
            else:
                neg -= it.theta[i]
        if pos > neg:
            f = neg / pos
            for i in range(n):
                if it.theta[i] > 0.0:
                    it.thetap[i] = f * it.theta[i]
        elif neg > pos:
            f = pos / neg
            for i in range(n):
                if it.theta[i] < 0.0:
                    it.thetap[i] = f * it.theta[i]
        return True
    for r in range(na):
        C[r] = 0.0
    for sweep in range(2):
        for r in range(na * na + na):
            it.small[r] = 0.0
        for i in range(n):
            if it.d[i] == 0.0 and it.thetap[i] == 0.0:
                continue
            for r in range(na):
                ai = a_value(pb, i, r)
                rhs[r] += ai * it.thetap[i]
                for c in range(r + 1):
                    G[r + c * na] += it.d[i] * ai * a_value(pb, i, c)
        for r in range(na):
            for c in range(r + 1, na):
                G[r + c * na] = G[c + r * na]
        if not solve_small(G, rhs, na):
            return False
        for c in range(na):
            C[c] += rhs[c]
        for i in range(n):
            if pb.sw[i] == 0.0:
                continue
            corr = 0.0
            for c in range(na):
                corr += a_value(pb, i, c) * C[c]
            it.thetap[i] = it.theta[i] - it.d[i] * corr
            s = soft_probability(pb, i, it.thetap[i] / pb.sw[i])
            if s < -ROUND_SLACK or s > 1.0 + ROUND_SLACK:
                return False
    return verified_orthogonal(pb, it.theta, it.thetap, na)


cdef inline double a_value(const Problem* pb, Py_ssize_t i, Py_ssize_t c) noexcept nogil:
    """Entry (i, c) of A = [1 (if an intercept is fitted), Z]."""
    if pb.fit_intercept:
        if c == 0:
            return 1.0
        c -= 1
    return pb.Z[i + c * pb.n]


cdef double binary_dual_gap(const Problem* pb, Iterate* it, const Py_ssize_t* feats,
                            Py_ssize_t m, bint feasible, double* scale) noexcept nogil:
    """P(w, b) - D(t thetap) over the features feats[0..m) (NULL: all p), given q = X^T thetap;
    t <= 1 the largest factor keeping the constraints with an infinite conjugate side."""
    cdef Py_ssize_t i, jj, j
    cdef Py_ssize_t count = pb.p if feats == NULL else m
    cdef double t = 1.0, pen = 0.0, conj = 0.0, ent = 0.0, s
    scale[0] = 1.0
    if not feasible:
        return INFINITY
    for jj in range(count):
        j = jj if feats == NULL else feats[jj]
        if it.w[j] != 0.0:
            pen += penalty_value(l1_of(pb, j), l2_of(pb, j), it.w[j])
        if not pb.free_[j]:
            t = constraint_scale(t, l1_of(pb, j), l2_of(pb, j), pb.lower[j], pb.upper[j], it.q[j])
    for jj in range(count):
        j = jj if feats == NULL else feats[jj]
        if not pb.free_[j] and has_conjugate(pb, j):
            conj += penalty_conjugate(l1_of(pb, j), l2_of(pb, j), pb.lower[j], pb.upper[j],
                                      t * it.q[j])
    for i in range(pb.n):
        if pb.sw[i] != 0.0:
            s = soft_probability(pb, i, t * it.thetap[i] / pb.sw[i])
            ent += pb.sw[i] * entropy(min(max(s, 0.0), 1.0))
    scale[0] = t
    return (it.loss + pen) - (ent - conj - t * offset_term(pb, it.thetap))


cdef double newton_direction(const floating* s_data, const index_t* s_idx,
                             const index_t* s_ptr, bint gathered, const Problem* pb,
                             const Py_ssize_t* ws, Py_ssize_t m, const double* w,
                             const double* theta, const double* d, double* u, double* wnew,
                             double* stats, double* off_out, double* db_out,
                             Py_ssize_t* epochs, Py_ssize_t max_epochs,
                             double cd_decrease) noexcept nogil:
    """Coordinate descent on the penalized quadratic model of the loss at the current point,

        sum_i (-theta_i dz_i + d_i dz_i^2 / 2) + sum_{j in ws} h_j(wnew_j),
        dz = X_ws (wnew - w) + db,

    over the working set ws (and the intercept step db when one is fitted). Fills wnew (m),
    u and off_out with u + off = dz (u = X~_ws (wnew - w), the columns centered as below;
    without an intercept u = X_ws (wnew - w), off = 0), db_out and returns the predicted
    decrease  -theta.dz + sum_j h_j(wnew_j) - h_j(w_j)  (negative unless already optimal).
    Column jj of the store is feature ws[jj] when gathered, else the store is X itself.
    """
    cdef Py_ssize_t n = pb.n, i, jj, j, col, cd_epochs = 0
    cdef double* G = stats
    cdef double* H = stats + m
    cdef double* M = stats + 2 * m
    cdef double dsum = 0.0, tsum = 0.0, coff = 0.0, off = 0.0, db = 0.0, shift, mu
    cdef double big, first = -1.0, grad, old, new, delta, predicted
    cdef bint centered, full
    for i in range(n):
        dsum += d[i]
        tsum += theta[i]
        u[i] = 0.0
    # With an intercept each column is centered at its d-weighted mean M_j, x~_j = x_j - M_j:
    # then sum_i d_i x~_ij = 0, the intercept's step decouples (dz = X~ dw + off with
    # off = tsum / dsum exactly) and no coordinate fights it, however large the column's
    # mean. A full column (no implicit zeros) is read shifted by its first value and moved
    # centered; the others move u by x_j and keep -sum M_j dw_j in the scalar coff.
    centered = pb.fit_intercept and dsum > 0.0
    for jj in range(m):
        col = jj if gathered else ws[jj]
        full = centered and col_is_full(s_ptr, n, col)
        shift = column_first(s_data, s_ptr, n, col) if full else 0.0
        col_newton_stats(s_data, s_idx, s_ptr, n, col, d, theta, shift, &G[jj], &H[jj],
                         &M[jj])
        if centered:
            mu = M[jj] / dsum
            H[jj] = max(H[jj] - mu * M[jj], 0.0)
            G[jj] -= mu * tsum
            M[jj] = shift + mu
        else:
            M[jj] = 0.0
        wnew[jj] = w[ws[jj]]
    while True:
        big = 0.0
        for jj in range(m):
            j = ws[jj]
            if H[jj] + l2_of(pb, j) <= 0.0:
                continue
            col = jj if gathered else j
            full = centered and col_is_full(s_ptr, n, col)
            if full:
                grad = col_centered_wdot(s_data, s_idx, s_ptr, n, col, M[jj], d, u) - G[jj]
            else:
                # x~_j.(d (u + coff)) = x_j.(d u) + coff M_j dsum, as sum_i d_i x~_ij = 0
                grad = col_wdot(s_data, s_idx, s_ptr, n, col, d, u) + coff * M[jj] * dsum - G[jj]
            old = wnew[jj]
            new = prox_step(H[jj] * old - grad, H[jj], l1_of(pb, j), l2_of(pb, j), pb.lower[j],
                            pb.upper[j])
            if new != old:
                delta = new - old
                if full:
                    col_centered_axpy(s_data, s_idx, s_ptr, n, col, M[jj], delta, u)
                else:
                    col_axpy(s_data, s_idx, s_ptr, n, col, delta, u)
                    coff -= delta * M[jj]
                wnew[jj] = new
                big = max(big, (H[jj] + l2_of(pb, j)) * delta * delta)
        epochs[0] += 1
        cd_epochs += 1
        if first < 0.0:
            first = big
        if big <= cd_decrease * first or epochs[0] >= max_epochs or cd_epochs >= MAX_CD_EPOCHS:
            break
    if coff != 0.0:
        for i in range(n):
            u[i] += coff          # u = X~_ws (wnew - w)
    if centered:
        # dz = X~ dw + off = X dw + db
        off = tsum / dsum
        db = off
        for jj in range(m):
            db -= M[jj] * (wnew[jj] - w[ws[jj]])
    # the penalty's change is formed from differences, so that a tiny step's predicted
    # decrease is not lost in the rounding of the penalty's value
    predicted = -tsum * off
    for jj in range(m):
        j = ws[jj]
        delta = wnew[jj] - w[j]
        predicted += (-G[jj] * delta + l1_of(pb, j) * (fabs(wnew[jj]) - fabs(w[j]))
                      + 0.5 * l2_of(pb, j) * delta * (wnew[jj] + w[j]))
    off_out[0] = off
    db_out[0] = db
    return predicted


cdef double step_penalty(const Problem* pb, const Py_ssize_t* ws, Py_ssize_t m, const double* w,
                         const double* wnew, double step) noexcept nogil:
    """sum over ws of h_j(w_j + step (wnew_j - w_j))."""
    cdef Py_ssize_t jj, j
    cdef double pen = 0.0
    for jj in range(m):
        j = ws[jj]
        pen += penalty_value(l1_of(pb, j), l2_of(pb, j), w[j] + step * (wnew[jj] - w[j]))
    return pen


cdef inline void apply_step(const Problem* pb, const Py_ssize_t* ws, Py_ssize_t m, double* w,
                            const double* wnew, double step) noexcept nogil:
    cdef Py_ssize_t jj, j
    for jj in range(m):
        j = ws[jj]
        if step == 1.0:
            w[j] = wnew[jj]
        else:
            # a convex combination of two points of the box stays in it (up to rounding)
            w[j] = min(max(w[j] + step * (wnew[jj] - w[j]), pb.lower[j]), pb.upper[j])


cdef inline bint moved(const Py_ssize_t* ws, Py_ssize_t m, const double* w,
                      const double* wnew) noexcept nogil:
    cdef Py_ssize_t jj
    for jj in range(m):
        if wnew[jj] != w[ws[jj]]:
            return True
    return False


cdef inline bint armijo_holds(double new_obj, double old_obj, double step,
                             double predicted) noexcept nogil:
    """Armijo's sufficient decrease; a full step whose predicted decrease is below the
    objective's rounding is taken as is (the comparison could not resolve it, and near the
    optimum the unit proximal Newton step is the right one: it keeps the coefficients, which
    the objective resolves only to its square root, converging)."""
    if step == 1.0 and fabs(predicted) <= ROUNDING_DECREASE * fabs(old_obj):
        return True
    return new_obj - old_obj <= ARMIJO * step * predicted


cdef int binary_line_search(const Problem* pb, Iterate* it, const Py_ssize_t* ws, Py_ssize_t m,
                            const double* wnew, double off, double db,
                            double predicted) noexcept nogil:
    """Backtrack from step 1 along (wnew - w, db) until Armijo holds on P, then move there.
    Returns 0 after a move, 1 when the direction is zero or no step decreases P."""
    cdef Py_ssize_t i, tries
    cdef double step = 1.0, old_pen, new_obj
    if not predicted < 0.0 and not (db != 0.0 or moved(ws, m, it.w, wnew)):
        return 1
    old_pen = step_penalty(pb, ws, m, it.w, wnew, 0.0)
    for tries in range(MAX_HALVINGS):
        new_obj = binary_loss_along(pb, it, off, step) + step_penalty(pb, ws, m, it.w, wnew,
                                                                     step)
        if armijo_holds(new_obj, it.loss + old_pen, step, predicted):
            apply_step(pb, ws, m, it.w, wnew, step)
            it.b[0] += step * db
            for i in range(pb.n):
                it.z[i] += step * (it.u[i] + off)
            it.loss = binary_eval(pb, it)
            return 0
        step *= 0.5
    return 1


# --------------------------------------------------------------------------- multinomial loss


cdef double multinomial_eval(const Problem* pb, Iterate* it) noexcept nogil:
    """Loss at it.z (n, K); fills prob (n, K) and theta (K, n), theta_ki = sw_i (Y_ik - p_ik)."""
    cdef Py_ssize_t i, k, K = pb.K, n = pb.n
    cdef double loss = 0.0, zmax, tot
    cdef const double* zi
    cdef double* pi
    for i in range(n):
        zi = it.z + i * K
        pi = it.prob + i * K
        zmax = zi[0]
        for k in range(1, K):
            zmax = max(zmax, zi[k])
        tot = 0.0
        for k in range(K):
            pi[k] = exp(zi[k] - zmax)
            tot += pi[k]
        for k in range(K):
            pi[k] /= tot
            it.theta[k * n + i] = -pb.sw[i] * pi[k]
        if pb.sw[i] != 0.0:
            it.theta[pb.label[i] * n + i] += pb.sw[i]
            loss += pb.sw[i] * (zmax + log(tot) - zi[pb.label[i]])
    return loss


cdef double multinomial_loss_along(const Problem* pb, const Iterate* it, Py_ssize_t k,
                                   double off, double step) noexcept nogil:
    """Loss with column k of z moved to z_k + step * (u + off)."""
    cdef Py_ssize_t i, l, K = pb.K
    cdef double loss = 0.0, zk, zmax, tot, zy
    cdef const double* zi
    for i in range(pb.n):
        if pb.sw[i] == 0.0:
            continue
        zi = it.z + i * K
        zk = zi[k] + step * (it.u[i] + off)
        zmax = zk
        for l in range(K):
            if l != k:
                zmax = max(zmax, zi[l])
        tot = exp(zk - zmax)
        for l in range(K):
            if l != k:
                tot += exp(zi[l] - zmax)
        zy = zk if pb.label[i] == k else zi[pb.label[i]]
        loss += pb.sw[i] * (zmax + log(tot) - zy)
    return loss


cdef bint multinomial_project(const Problem* pb, Iterate* it) noexcept nogil:
    """thetap with sum_i thetap_ki A_ir = 0 for every class k and column r of A = [1, Z]: the
    probabilities moved by one Newton step of the loss in z + A C (C of shape (na, K)),
    p'_ik = p_ik (1 + (AC)_ik - sum_l p_il (AC)_il), which keep sum_k p'_ik = 1 and stay
    nonnegative when the step is small; returns False if some p'_ik < 0 (far from the
    optimum) or the orthogonality does not hold (see verified_orthogonal).

    The map C -> thetap is affine and blind to a shift common to all classes, so the last
    class's column of C is fixed at zero: the (na (K-1))-square system is regular (a singular
    one let the elimination's rounding through: the dual point missed the constraint and the
    gap came out negative). One step of iterative refinement follows."""
    cdef Py_ssize_t i, r, s, k, l, sweep, n = pb.n, K = pb.K, K1 = pb.K - 1
    cdef Py_ssize_t na = pb.k + (1 if pb.fit_intercept else 0), N = na * K1
    cdef double* G = it.small
    cdef double* rhs = it.small + N * N
    cdef double* C = rhs + N
    cdef double* ac = C + N
    cdef const double* pi
    cdef double ar, a_s, mean, pnew
    for i in range(K * n):
        it.thetap[i] = it.theta[i]
    if na == 0:
        return True
    for r in range(N):
        C[r] = 0.0
    for sweep in range(2):
        for r in range(N * N + N):
            it.small[r] = 0.0
        for i in range(n):
            if pb.sw[i] == 0.0:
                continue
            pi = it.prob + i * K
            for r in range(na):
                ar = a_value(pb, i, r)
                for k in range(K1):
                    rhs[r * K1 + k] += ar * it.thetap[k * n + i]
                for s in range(na):
                    a_s = pb.sw[i] * ar * a_value(pb, i, s)
                    for k in range(K1):
                        for l in range(K1):
                            G[(r * K1 + k) + (s * K1 + l) * N] += a_s * pi[k] * (
                                (1.0 if k == l else 0.0) - pi[l])
        if not solve_small(G, rhs, N):
            return False
        for r in range(N):
            C[r] += rhs[r]
        for i in range(n):
            if pb.sw[i] == 0.0:
                continue
            pi = it.prob + i * K
            mean = 0.0
            for k in range(K):
                ac[k] = 0.0
                if k < K1:
                    for r in range(na):
                        ac[k] += a_value(pb, i, r) * C[r * K1 + k]
                mean += pi[k] * ac[k]
            for k in range(K):
                pnew = pi[k] * (1.0 + ac[k] - mean)
                if pnew < -ROUND_SLACK:
                    return False
                it.thetap[k * n + i] = it.theta[k * n + i] - pb.sw[i] * (pnew - pi[k])
    for k in range(K):
        if not verified_orthogonal(pb, it.theta + k * n, it.thetap + k * n, na):
            return False
    return True


cdef double multinomial_dual_gap(const Problem* pb, Iterate* it, const Py_ssize_t* feats,
                                 Py_ssize_t m, bint feasible, double* scale) noexcept nogil:
    """P(W, b) - D(t thetap) over feats (NULL: all), given q = thetap X (K, p); the dual's
    loss part is sum_i sw_i Ent(Y_i - t thetap_i / sw_i), Ent the Shannon entropy."""
    cdef Py_ssize_t i, jj, j, k, K = pb.K, n = pb.n, p = pb.p
    cdef Py_ssize_t count = p if feats == NULL else m
    cdef double t = 1.0, pen = 0.0, conj = 0.0, ent = 0.0, pk
    scale[0] = 1.0
    if not feasible:
        return INFINITY
    for k in range(K):
        for jj in range(count):
            j = jj if feats == NULL else feats[jj]
            if it.w[k * p + j] != 0.0:
                pen += penalty_value(l1_of(pb, j), l2_of(pb, j), it.w[k * p + j])
            if not pb.free_[j]:
                t = constraint_scale(t, l1_of(pb, j), l2_of(pb, j), pb.lower[j], pb.upper[j],
                                     it.q[k * p + j])
    for k in range(K):
        for jj in range(count):
            j = jj if feats == NULL else feats[jj]
            if not pb.free_[j] and has_conjugate(pb, j):
                conj += penalty_conjugate(l1_of(pb, j), l2_of(pb, j), pb.lower[j], pb.upper[j],
                                          t * it.q[k * p + j])
    for i in range(n):
        if pb.sw[i] == 0.0:
            continue
        for k in range(K):
            pk = (1.0 if pb.label[i] == k else 0.0) - t * it.thetap[k * n + i] / pb.sw[i]
            if pk > 0.0:
                ent -= pb.sw[i] * pk * log(pk)
    scale[0] = t
    return (it.loss + pen) - (ent - conj - t * offset_term(pb, it.thetap))


cdef int multinomial_line_search(const Problem* pb, Iterate* it, Py_ssize_t k,
                                 const Py_ssize_t* ws, Py_ssize_t m, const double* wnew,
                                 double off, double db, double predicted) noexcept nogil:
    """binary_line_search for class k's step (the other classes fixed)."""
    cdef Py_ssize_t i, tries, K = pb.K
    cdef double step = 1.0, old_pen, new_obj
    cdef double* wk = it.w + k * pb.p
    if not predicted < 0.0 and not (db != 0.0 or moved(ws, m, wk, wnew)):
        return 1
    old_pen = step_penalty(pb, ws, m, wk, wnew, 0.0)
    for tries in range(MAX_HALVINGS):
        new_obj = (multinomial_loss_along(pb, it, k, off, step)
                   + step_penalty(pb, ws, m, wk, wnew, step))
        if armijo_holds(new_obj, it.loss + old_pen, step, predicted):
            apply_step(pb, ws, m, wk, wnew, step)
            it.b[k] += step * db
            for i in range(pb.n):
                it.z[i * K + k] += step * (it.u[i] + off)
            it.loss = multinomial_eval(pb, it)
            return 0
        step *= 0.5
    return 1


cdef double penalty_slope(const double* t, Py_ssize_t K, double a, double c, double wsum,
                          double s, bint right) noexcept nogil:
    """A one-sided derivative in s of f(s) = sum_k a |s - t_k| + c (s - t_k)^2 / 2 (the
    coefficients of one feature over the classes, w_k = -t_k, shifted by s; wsum = sum_k w_k)."""
    cdef Py_ssize_t k
    cdef double g = c * (wsum + K * s)
    for k in range(K):
        if s > t[k] or (right and s == t[k]):
            g += a
        else:
            g -= a
    return g


cdef double class_shift(const double* w, Py_ssize_t stride, Py_ssize_t K, double a, double c,
                        double lo, double hi, double* t) noexcept nogil:
    """The s minimizing sum_k a |w_k + s| + c (w_k + s)^2 / 2 subject to lo <= w_k + s <= hi,
    for w_k = w[k * stride]; 0 when s = 0 is a minimizer. t: scratch (K).

    The multinomial loss only sees differences between classes, so moving one feature's K
    coefficients by a common s leaves it unchanged: that direction is the penalty's alone,
    and the class-by-class Newton steps, each paying the loss's curvature to move one
    coefficient, crawl along it (hundreds of epochs at small alpha). Solved exactly here: f is
    convex and piecewise quadratic with breakpoints t_k = -w_k, so its minimizer is a
    breakpoint where the one-sided slopes change sign or the stationary point of one piece,
    and the box's minimizer is that point clipped to [lo - min_k w_k, hi - max_k w_k]."""
    cdef Py_ssize_t k, r, l
    cdef double wsum = 0.0, wmin = INFINITY, wmax = -INFINITY, s, tmp, left, right
    if a == 0.0 and c == 0.0:
        return 0.0
    for k in range(K):
        t[k] = -w[k * stride]
        wsum -= t[k]
        wmin = min(wmin, -t[k])
        wmax = max(wmax, -t[k])
    s = 0.0
    if not (penalty_slope(t, K, a, c, wsum, 0.0, False) <= 0.0
            <= penalty_slope(t, K, a, c, wsum, 0.0, True)):
        for k in range(1, K):                   # insertion sort: K is small
            tmp = t[k]
            l = k - 1
            while l >= 0 and t[l] > tmp:
                t[l + 1] = t[l]
                l -= 1
            t[l + 1] = tmp
        for r in range(K + 1):
            # the piece (t[r-1], t[r]), where r of the K terms have w_k + s > 0
            if c > 0.0:
                s = -(a * (2 * r - K) / c + wsum) / K
                left = t[r - 1] if r > 0 else -INFINITY
                right = t[r] if r < K else INFINITY
                if left < s < right:
                    break
            if r == K:
                s = 0.0                         # unreachable for a convex f with a, c >= 0
                break
            s = t[r]
            if (penalty_slope(t, K, a, c, wsum, s, False) <= 0.0
                    <= penalty_slope(t, K, a, c, wsum, s, True)):
                break
    return min(max(s, lo - wmin), hi - wmax)


cdef void shift_classes(const Problem* pb, Iterate* it, const Py_ssize_t* ws,
                        Py_ssize_t m) noexcept nogil:
    """Move each working-set feature's K coefficients by their best common shift
    (class_shift): the penalty decreases and nothing else changes. z_ik would move by
    s_j x_ij in every class k, a shift common to the classes that the softmax, the loss, the
    dual point and every quantity read from z ignore, so z is left as it is (adding s_j x_ij
    to it only rounded it: by eps |s_j x_ij|, which a column with a large mean makes larger
    than the classes' differences)."""
    cdef Py_ssize_t jj, j, k, p = pb.p, K = pb.K
    cdef double s
    for jj in range(m):
        j = ws[jj]
        if pb.free_[j]:
            continue
        s = class_shift(it.w + j, p, K, l1_of(pb, j), l2_of(pb, j), pb.lower[j], pb.upper[j],
                        it.small)
        if s == 0.0:
            continue
        for k in range(K):
            it.w[k * p + j] = min(max(it.w[k * p + j] + s, pb.lower[j]), pb.upper[j])


# --------------------------------------------------------------------------- both losses


cdef inline Py_ssize_t n_classes(const Problem* pb) noexcept nogil:
    """Coefficient rows: 1 (binary) or K."""
    return 1 if pb.K == 1 else pb.K


cdef double gap_at(const Problem* pb, Iterate* it, const Py_ssize_t* feats, Py_ssize_t m,
                   bint feasible, double* scale) noexcept nogil:
    """The duality gap, or infinity where it is no certificate: below zero beyond rounding
    (weak duality says it cannot be; a dual point off its constraints, e.g. where no minimizer
    exists, would make it so). Rounding is measured on 1 + |loss| + max_k |b_k|: the linear
    predictor carries the intercept's rounding (large with large-mean columns)."""
    cdef double gap, size = fabs(it.loss) + 1.0
    cdef Py_ssize_t k
    if pb.K == 1:
        gap = binary_dual_gap(pb, it, feats, m, feasible, scale)
    else:
        gap = multinomial_dual_gap(pb, it, feats, m, feasible, scale)
    for k in range(n_classes(pb)):
        size = max(size, fabs(it.loss) + 1.0 + fabs(it.b[k]))
    if gap < -NEGATIVE_SLACK * size:
        return INFINITY
    return gap + scale[0] * dropped_terms(pb, it)


cdef double dropped_terms(const Problem* pb, const Iterate* it) noexcept nogil:
    """sum over classes k and free columns j (the columns z_r of Z) of |z_r.thetap_k| |w_kj|:
    the terms -w_kj z_r.thetap_k of P - D that the gap drops by taking Z^T thetap = 0, which
    holds only to rounding (verified_orthogonal). Added to the gap, they keep it an upper
    bound when a free coefficient is large (a column of tiny scale, a diverging coefficient).
    The intercept's term is not needed: sum_i thetap_i = 0 is exact up to the rounding of
    thetap itself, and the kernel's predictor carries the intercept with the columns' centers
    folded in (small), not the raw b."""
    cdef Py_ssize_t i, j, k, r, n = pb.n, first = 1 if pb.fit_intercept else 0
    cdef double total = 0.0, dot, c
    cdef const double* th
    if pb.k == 0:
        return 0.0
    for k in range(n_classes(pb)):
        th = it.thetap + k * n
        r = first
        for j in range(pb.p):
            if not pb.free_[j]:
                continue
            c = it.w[k * pb.p + j]
            if c != 0.0:
                dot = 0.0
                for i in range(n):
                    dot += a_value(pb, i, r) * th[i]
                total += fabs(dot) * fabs(c)
            r += 1
    return total


cdef bint project(const Problem* pb, Iterate* it) noexcept nogil:
    if pb.K == 1:
        return binary_project(pb, it)
    return multinomial_project(pb, it)


cdef int newton_round(const floating* s_data, const index_t* s_idx, const index_t* s_ptr,
                      bint gathered, const Problem* pb, Iterate* it, const Py_ssize_t* ws,
                      Py_ssize_t m, double* wnew, double* stats, Py_ssize_t* epochs,
                      Py_ssize_t max_iter) noexcept nogil:
    """One proximal Newton step (binary) or one cycle of partial Newton steps over the classes
    (multinomial). Returns 1 when no step could decrease P, else 0."""
    cdef Py_ssize_t k, i, n = pb.n, K = pb.K
    cdef double off, db, predicted
    cdef int stalled = 1
    if K == 1:
        predicted = newton_direction(s_data, s_idx, s_ptr, gathered, pb, ws, m, it.w, it.theta,
                                     it.d, it.u, wnew, stats, &off, &db, epochs, max_iter,
                                     CD_DECREASE)
        return binary_line_search(pb, it, ws, m, wnew, off, db, predicted)
    for k in range(K):
        for i in range(n):
            it.d[i] = pb.sw[i] * it.prob[i * K + k] * (1.0 - it.prob[i * K + k])
        predicted = newton_direction(s_data, s_idx, s_ptr, gathered, pb, ws, m, it.w + k * pb.p,
                                     it.theta + k * n, it.d, it.u, wnew, stats, &off, &db,
                                     epochs, max_iter, CD_DECREASE_CLASS)
        if multinomial_line_search(pb, it, k, ws, m, wnew, off, db, predicted) == 0:
            stalled = 0
        if epochs[0] >= max_iter:
            break
    shift_classes(pb, it, ws, m)
    return stalled


cdef int solve(Layout layout, const floating* data, const index_t* indices,
               const index_t* indptr, const Problem* pb, Iterate* it, double tol_abs,
               Py_ssize_t max_iter, bint screen, double strong_ratio, unsigned char* ever,
               double* gap_out, Py_ssize_t* epochs_out, Py_ssize_t* passes_out) noexcept nogil:
    """The outer working-set loop around newton_round. Returns 0, -1 (out of memory) or -2
    (interrupted: see interrupt.pxd).

    strong_ratio = alpha_prev / alpha > 0 (a path) starts with the sequential strong set
    instead of a full pass: the features with |q_j| >= a_j (2 - strong_ratio) for the q
    of the previous alpha's last full pass (max over classes), those ever nonzero (ever, kept
    up to date here) or nonzero now, and those that bounds or a zero factor keep in. That
    set is solved to a fraction of tol first; the full pass that follows either certifies the
    solution or brings in the violators (the KKT check of the strong rule).
    """
    cdef Py_ssize_t n = pb.n, p = pb.p, R = n_classes(pb)
    cdef Py_ssize_t i, j, jj, k, m = 0, ws_size = 0, n_alive = p, n_active, epochs = 0
    cdef double prev_gap = INFINITY
    cdef Py_ssize_t capacity = 0, round_start
    cdef double gap = INFINITY, inner_gap, t, radius, qj, theta_norm, target, thr
    cdef bint feasible, active, stalled = False, gathered = layout == CSR, first = True
    cdef bint sel
    cdef int status = 0
    cdef const floating* s_data = data
    cdef const index_t* s_idx = indices
    cdef const index_t* s_ptr = indptr

    cdef unsigned char* alive = <unsigned char*>malloc(p * sizeof(unsigned char))
    cdef unsigned char* in_ws = <unsigned char*>calloc(p, sizeof(unsigned char))
    cdef Ranked* ranked = <Ranked*>malloc(p * sizeof(Ranked))
    cdef Py_ssize_t* ws = <Py_ssize_t*>malloc(p * sizeof(Py_ssize_t))
    cdef Py_ssize_t* ws_pos = <Py_ssize_t*>malloc(p * sizeof(Py_ssize_t))
    cdef double* wnew = <double*>malloc(p * sizeof(double))
    cdef double* stats = <double*>malloc(3 * p * sizeof(double))
    cdef floating* g_data = NULL
    cdef index_t* g_rows = NULL
    cdef index_t* g_ptr = <index_t*>malloc((p + 1) * sizeof(index_t))
    if (alive == NULL or in_ws == NULL or ranked == NULL or ws == NULL or ws_pos == NULL
            or wnew == NULL or stats == NULL or g_ptr == NULL):
        status = -1
    else:
        for j in range(p):
            alive[j] = pb.norm[j] > 0.0 or pb.free_[j]

    while status == 0:
        if first and strong_ratio > 0.0:
            first = False
            m = 0
            for j in range(p):
                if not alive[j]:
                    continue
                sel = (ever[j] or pb.free_[j] or pb.lower[j] > 0.0 or pb.upper[j] < 0.0)
                thr = l1_of(pb, j) * (2.0 - strong_ratio)
                for k in range(R):
                    if sel:
                        break
                    sel = it.w[k * p + j] != 0.0 or fabs(it.q[k * p + j]) >= thr
                if sel:
                    ws[m] = j
                    m += 1
            ws_size = m
            target = INNER_FRACTION * tol_abs
            if m == 0:
                continue
        else:
            first = False
            feasible = project(pb, it)
            for k in range(R):
                centered_xt_dot(layout, data, indices, indptr, n, p, pb.center,
                                it.thetap + k * n, it.q + k * p, pb.n_threads)
            passes_out[0] += 1
            gap = gap_at(pb, it, NULL, 0, feasible, &t)
            if gap <= tol_abs or epochs >= max_iter or (stalled and m >= n_alive):
                break

            # Gap-safe rule: the dual optimum lies within radius of t*thetap (the dual is
            # mu-strongly concave, mu = 4/max_w binary, 1/max_w multinomial); the extra term
            # covers rounding in the dot products.
            theta_norm = 0.0
            for i in range(R * n):
                theta_norm += it.thetap[i] * it.thetap[i]
            theta_norm = t * sqrt(theta_norm)
            radius = sqrt(2.0 * gap * pb.max_w / (4.0 if pb.K == 1 else 1.0))
            radius += (n + 1) * 1e-15 * theta_norm
            n_alive = 0
            n_active = 0
            for j in range(p):
                if not alive[j]:
                    continue
                if pb.lower[j] == 0.0 and pb.upper[j] == 0.0:
                    alive[j] = 0          # pinned at 0 by both bounds: never moves
                    continue
                qj = 0.0
                active = pb.free_[j] or pb.lower[j] > 0.0 or pb.upper[j] < 0.0
                for k in range(R):
                    qj = max(qj, one_sided(pb, j, t * it.q[k * p + j]))
                    active = active or it.w[k * p + j] != 0.0
                if (screen and not active and l1_of(pb, j) > 0.0
                        and qj + radius * pb.norm[j] < l1_of(pb, j)):
                    alive[j] = 0
                    continue
                ranked[n_alive].idx = j
                if active:
                    ranked[n_alive].key = -INFINITY
                    n_active += 1
                else:
                    ranked[n_alive].key = (l1_of(pb, j) - qj) / pb.norm[j]
                n_alive += 1

            if gap > 0.99 * prev_gap:
                ws_size *= 2     # the last working set did not help: look wider
            prev_gap = gap
            ws_size = max(ws_size, 2 * n_active, WS_START)
            if ws_size > n_alive:
                ws_size = n_alive
            select_smallest(ranked, n_alive, ws_size)
            for jj in range(m):
                in_ws[ws[jj]] = 0
            m = ws_size
            for jj in range(m):
                ws[jj] = ranked[jj].idx
            target = max(INNER_FRACTION * gap, tol_abs)
        sort_indices(ws, m)
        for jj in range(m):
            ws_pos[ws[jj]] = jj
            in_ws[ws[jj]] = 1
        if gathered:
            if gather_columns(data, indices, indptr, n, in_ws, ws_pos, m, &g_data, &g_rows,
                             g_ptr, &capacity) != 0:
                status = -1
                break
            s_data = g_data
            s_idx = g_rows
            s_ptr = g_ptr

        while True:
            round_start = epochs
            stalled = newton_round(s_data, s_idx, s_ptr, gathered, pb, it, ws, m, wnew, stats,
                                   &epochs, max_iter)
            if interrupted(m * (epochs - round_start + 1)):
                status = -2
                break
            if stalled or epochs >= max_iter:
                break
            feasible = project(pb, it)
            for k in range(R):
                for jj in range(m):
                    it.q[k * p + ws[jj]] = theta_dot(s_data, s_idx, s_ptr, pb,
                                                     jj if gathered else ws[jj], ws[jj],
                                                     it.thetap + k * n)
            inner_gap = gap_at(pb, it, ws, m, feasible, &t)
            if inner_gap <= target:
                break
        for jj in range(m):
            for k in range(R):
                if it.w[k * p + ws[jj]] != 0.0:
                    ever[ws[jj]] = 1

    free(alive)
    free(in_ws)
    free(ranked)
    free(ws)
    free(ws_pos)
    free(wnew)
    free(stats)
    free(g_data)
    free(g_rows)
    free(g_ptr)
    gap_out[0] = gap
    epochs_out[0] = epochs
    return status


cdef class _Spec:
    """Everything but X, as validated arrays (see logistic_coordinate_descent)."""
    cdef const double[::1] y, soft, sw, factor, ridge, offset, lower, upper
    cdef const Py_ssize_t[::1] label
    cdef const unsigned char[::1] free_
    cdef const double[::1, :] Z
    cdef double[::1] w, b, norm, center, z, q
    cdef unsigned char[::1] ever
    cdef Py_ssize_t K, max_iter
    cdef bint fit_intercept, screen, stats_ready, z_ready
    cdef double tol_abs, alpha_l1, alpha_l2, strong_ratio
    cdef int n_threads


cdef int large_mean_centers(Layout layout, const index_t* indices, const index_t* indptr,
                            Py_ssize_t n, Py_ssize_t p, const double* mean, const double* norm,
                            double* center) noexcept nogil:
    """center_j = mean_j for the full columns (every row stored) whose mean exceeds LARGE_MEAN
    times their spread norm_j / sqrt(n); the others keep 0. Returns -1 out of memory."""
    cdef Py_ssize_t i, j, k
    cdef Py_ssize_t* count = NULL
    if layout == CSR:
        count = <Py_ssize_t*>calloc(p, sizeof(Py_ssize_t))
        if count == NULL:
            return -1
        for i in range(n):
            for k in range(indptr[i], indptr[i + 1]):
                count[indices[k]] += 1
    for j in range(p):
        if norm[j] > 0.0 and fabs(mean[j]) * sqrt(<double>n) > LARGE_MEAN * norm[j]:
            if (layout == DENSE or (layout == CSC and indptr[j + 1] - indptr[j] == n)
                    or (layout == CSR and count[j] == n)):
                center[j] = mean[j]
    free(count)
    return 0


cdef tuple _run(Layout layout, const floating* data, const index_t* indices,
                const index_t* indptr, Py_ssize_t n, Py_ssize_t p, _Spec spec):
    cdef Problem pb
    cdef Iterate it
    cdef Py_ssize_t i, j, k, K = spec.K, R = 1 if spec.K == 1 else spec.K
    cdef Py_ssize_t kz = spec.Z.shape[1], na = kz + (1 if spec.fit_intercept else 0)
    cdef Py_ssize_t N = na * max(K, 1), epochs = 0, passes = 0
    cdef double gap = 0.0
    cdef int status
    cdef double[::1] m1w, m2w, m1, m2
    cdef unsigned char[::1] varies
    cdef double[::1] norm = spec.norm, center = spec.center
    cdef bint any_center = False
    cdef double[::1] theta = np.empty(R * n), thetap = np.empty(R * n)
    cdef double[::1] prob = np.empty(R * n), d = np.empty(n), u = np.empty(n)
    cdef double[::1] small = np.empty(N * N + 2 * N + K + 1)
    cdef double[::1] col

    if not spec.stats_ready:
        m1w, m2w, m1, m2 = np.empty(p), np.empty(p), np.empty(p), np.empty(p)
        varies = np.empty(p, dtype=np.uint8)
        with nogil:
            if spec.fit_intercept:
                # ||x_j - mean_j|| from shifted sums (exact for columns with large means)
                status = centered_moments(layout, data, indices, indptr, n, p, NULL, &m1w[0],
                                          &m2w[0], &m2[0], &varies[0])
                for j in range(p):
                    norm[j] = sqrt(m2[j]) if varies[j] else 0.0
                    center[j] = 0.0
                if status == 0:
                    status = large_mean_centers(layout, indices, indptr, n, p, &m1w[0],
                                                &norm[0], &center[0])
            else:
                status = 0
                column_moments(layout, data, indices, indptr, n, p, NULL, &m1w[0], &m2w[0],
                               &m1[0], &m2[0])
                for j in range(p):
                    norm[j] = sqrt(m2[j])
                    center[j] = 0.0
        if status != 0:
            raise MemoryError("l1core: out of memory computing column statistics")
        if not np.all(np.isfinite(spec.norm)):
            bad = np.flatnonzero(~np.isfinite(spec.norm))
            raise ValueError(
                f"X has {bad.size} column(s) (first: {bad[0]}) whose sum of squares overflows "
                "float64 (values near 1e154 or larger); rescale them, e.g. divide each column "
                "by its largest absolute value or standardize X.")
    pb.n = n
    pb.p = p
    pb.K = K
    pb.y = &spec.y[0] if K == 1 else NULL
    pb.t = &spec.soft[0] if spec.soft is not None else NULL
    pb.label = &spec.label[0] if K > 1 else NULL
    pb.sw = &spec.sw[0]
    pb.max_w = max(spec.sw)
    pb.alpha_l1 = spec.alpha_l1
    pb.alpha_l2 = spec.alpha_l2
    pb.factor = &spec.factor[0]
    pb.ridge = &spec.ridge[0]
    pb.offset = &spec.offset[0] if spec.offset is not None else NULL
    pb.lower = &spec.lower[0]
    pb.upper = &spec.upper[0]
    pb.free_ = &spec.free_[0]
    pb.k = kz
    pb.Z = &spec.Z[0, 0] if kz > 0 else NULL
    pb.fit_intercept = spec.fit_intercept
    pb.norm = &norm[0]
    pb.n_threads = spec.n_threads
    for j in range(p):
        any_center = any_center or center[j] != 0.0
    pb.center = &center[0] if any_center else NULL
    it.w = &spec.w[0]
    it.b = &spec.b[0]
    it.z = &spec.z[0]
    it.prob = &prob[0]
    it.theta = &theta[0]
    it.thetap = &thetap[0]
    it.d = &d[0]
    it.q = &spec.q[0]
    it.u = &u[0]
    it.small = &small[0]

    if not spec.z_ready:
        col = np.empty(n)
        with nogil:
            # z = X W^T + b, one class at a time through the shared column primitive
            for k in range(R):
                for i in range(n):
                    col[i] = 0.0
                x_dot_into(layout, data, indices, indptr, n, p, it.w + k * p, &col[0])
                for i in range(n):
                    it.z[i * R + k] = it.b[k] - col[i]
                    if pb.offset != NULL:
                        it.z[i * R + k] += pb.offset[i * R + k]
    stop = interrupt_begin()
    with nogil:
        it.loss = binary_eval(&pb, &it) if K == 1 else multinomial_eval(&pb, &it)
        status = solve(layout, data, indices, indptr, &pb, &it, spec.tol_abs, spec.max_iter,
                       spec.screen, spec.strong_ratio, &spec.ever[0], &gap, &epochs, &passes)
    interrupt_end(stop)
    if status != 0:
        raise MemoryError("l1core: out of memory in the logistic kernel")
    return gap, epochs, passes


def _run_dense(const floating[::1, :] X, _Spec spec):
    return _run(DENSE, &X[0, 0], <cnp.int32_t*>NULL, <cnp.int32_t*>NULL,
                X.shape[0], X.shape[1], spec)


def _run_sparse(const floating[::1] data, const index_t[::1] indices,
                const index_t[::1] indptr, bint csr, Py_ssize_t n, Py_ssize_t p, _Spec spec):
    cdef const floating* dp = &data[0] if data.shape[0] > 0 else NULL
    cdef const index_t* ix = &indices[0] if indices.shape[0] > 0 else NULL
    return _run(CSR if csr else CSC, dp, ix, &indptr[0], n, p, spec)


def logistic_coordinate_descent(X, y, w, b, *, n_classes, sample_weight, alpha, l1_ratio,
                                penalty_factor, lower, upper, free, Z, fit_intercept, gap_tol,
                                max_iter, norm, center, stats_ready, z, z_ready, q, ever,
                                strong_ratio=0.0, screen=True, ridge_factor=None, offset=None,
                                n_threads=1, soft_labels=None):
    """Solve the penalized logistic (n_classes=1, y float64 labels +-1) or multinomial
    (n_classes=K >= 3, y intp class indices in [0, K)) problem of the module docstring in place
    of w (float64, (p,) or C-ordered (K, p) raveled) and b (float64, (1,) or (K,)).

    X: Fortran-ordered float32/float64 ndarray, or scipy CSC/CSR with int32/int64 indices, read
    in place. sample_weight: float64 (n,) summing to 1; a_j = alpha l1_ratio v_j and
    c_j = alpha (1 - l1_ratio) v_j for the penalty factors v = penalty_factor (p,); lower,
    upper: (p,); free: uint8 (p,) unpenalized columns, given densely in Z (n, k) float64
    Fortran. Stops when the duality gap <= gap_tol or after max_iter epochs.

    State kept by the caller between solves on the same X (float64 unless said):
    norm (p,) the column norms used by screening and center (p,) the means of the full columns
    with a large mean (0 elsewhere; the dual point's products are read centered), computed
    here unless stats_ready;
    z (n * n_classes,) the linear predictor X W^T + b (n, K) C-ordered, recomputed from w and b
    unless z_ready (then it must match them) and updated in place; q (n_classes * p,) receives
    X^T theta of the last full pass, which strong_ratio = alpha_prev / alpha > 0 reads to start
    from the sequential strong set; ever (p,) uint8 marks the features ever nonzero (updated).

    ridge_factor (p,) or None: the ridge part's own factors, c_j = alpha (1 - l1_ratio)
    ridge_j (None: v). offset (n * n_classes,) or None: a known term of the linear predictor
    (n, K) C-ordered, z = X W^T + b + offset (glmnet's offset); z then always holds it (z_ready
    means z matches w, b AND the offset) and the dual gets -thetap.offset.
    n_threads: threads of the full passes over dense or CSC X (by columns: the same floats
    for every thread count).

    soft_labels (n,) float64 in [0, 1] or None (binary only): soft labels t_i replacing the
    labels y in the loss -[t log sigma(z) + (1 - t) log(1 - sigma(z))] (gradient sigma(z) - t);
    the dual's entropy is then H(t_i - theta_i / sw_i) (the conjugate of log(1 + e^z) - t z
    is the negative entropy shifted by t), the dual point theta_i = sw_i (t_i - sigma(z_i))
    stays in its domain under the same projections and scalings (convex combinations of t_i
    and sigma(z_i)). t_i in {0, 1} gives the labels' numbers exactly.

    Returns (gap, epochs, full_passes). Releases the GIL.
    """
    cdef _Spec spec = _Spec()
    spec.K = n_classes
    spec.ridge = penalty_factor if ridge_factor is None else ridge_factor
    if spec.ridge.shape[0] != penalty_factor.shape[0]:
        raise ValueError("ridge_factor must have the length of penalty_factor")
    if offset is not None:
        spec.offset = offset
        if spec.offset.shape[0] != z.shape[0]:
            raise ValueError("offset must have the length of z (n * n_classes)")
    if n_classes == 1:
        spec.y = y
        if soft_labels is not None:
            spec.soft = soft_labels
            if spec.soft.shape[0] != spec.y.shape[0]:
                raise ValueError("soft_labels must have the length of y")
    else:
        if soft_labels is not None:
            raise ValueError("soft_labels apply to the binary model only")
        spec.label = y
    spec.sw = sample_weight
    spec.alpha_l1 = alpha * l1_ratio
    spec.alpha_l2 = alpha * (1.0 - l1_ratio)
    spec.factor = penalty_factor
    spec.lower = lower
    spec.upper = upper
    spec.free_ = free
    spec.Z = Z
    spec.w = w
    spec.b = b
    spec.norm = norm
    spec.center = center
    if spec.center.shape[0] != spec.norm.shape[0]:
        raise ValueError("center must have the length of norm")
    spec.stats_ready = stats_ready
    spec.z = z
    spec.z_ready = z_ready
    spec.q = q
    spec.ever = ever
    spec.strong_ratio = strong_ratio
    spec.fit_intercept = fit_intercept
    spec.screen = screen
    spec.tol_abs = gap_tol
    spec.max_iter = max_iter
    if n_threads < 1:
        raise ValueError("n_threads must be >= 1")
    spec.n_threads = n_threads
    if hasattr(X, "format") and X.format in ("csr", "csc"):
        n, p = X.shape
        return _run_sparse(X.data, X.indices, X.indptr, X.format == "csr", n, p, spec)
    return _run_dense(X, spec)
