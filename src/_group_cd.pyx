"""Squared loss with the sparse-group elastic net, by block coordinate descent on the engine
of engine.pxd (storage x datafit x block penalty, one outer loop).

Solves, with weights sw_i = s_i / S (sum 1) and blocks g (disjoint feature sets),

    P(w, b) = 1/2 sum_i sw_i (y_i - x_i.w - b)^2
              + sum_g a_g ||w_g||_1 + c_g ||w_g||_2 + gam_g / 2 ||w_g||^2  [w >= 0 if positive].

The intercept is eliminated: columns are centered implicitly (x~_j = x_j - xbar_j) and the
residual rt = y - ybar - X~ w is kept as a vector r plus a scalar offset o (glmnet's trick),
so a block update reads and writes only the block's nonzeros. Full columns (dense X, or a
sparse column storing every row) enter r centered instead, (x_j - xbar_j) through
col_centered_* (``center_j = xbar_j``, ``oxbar_j = 0``): a column with a large mean and a
small spread (a timestamp) loses no digits to x_j . r - xbar_j sum r. The others go through
the offset (``center_j = 0``, ``oxbar_j = xbar_j``).

Outer loop: one full pass builds theta = t sw rhat (rhat = rt projected off the
unpenalized columns, t in (0, 1] the largest factor keeping every block with gam = 0 inside
its Sparse-Group dual constraint) and the gap P - D(theta); gap-safe screening removes
blocks proven zero; the remaining blocks are ranked by their dual norm and the working set
(the support, the unpenalized blocks and the most violating blocks, at least doubling) is
solved by block coordinate descent until its own gap is below a fraction of the outer gap.
A block step is one proximal gradient step on the block with step 1 / L_g, L_g the largest
eigenvalue of X~_g^T diag(sw) X~_g (power iteration, capped by the trace; exactly H_j for a
single feature, where the step is the exact coordinate minimization of the Lasso). CSR input
is read row-wise by the full passes; the working set's columns are gathered into a CSC store.
"""

from libc.stdlib cimport free, malloc, realloc
from libc.string cimport memcpy
from libc.math cimport fabs, sqrt, exp, log, log1p, INFINITY
cimport numpy as cnp
import numpy as np

from column_ops cimport (floating, index_t, Layout, DENSE, CSC, CSR, col_wdot, col_axpy,
                         col_centered_wdot, col_centered_axpy, col_centered_multi_wdot,
                         col_centered_multi_axpy,
                         xt_dot, column_moments, centered_moments,
                         gather_columns)
from kernel_ops cimport Ranked, select_smallest, sort_indices
from block_penalty cimport (block_value, block_prox, block_scale, block_conjugate,
                            block_screened)
from engine cimport Blocks
from anderson cimport anderson_coefficients
from interrupt cimport interrupted, interrupt_begin, interrupt_end

cnp.import_array()

# Working-set schedule (celer's): at least WS_START blocks and twice the support, the inner
# solve stops at INNER_FRACTION of the outer gap, its gap checked every GAP_EVERY epochs.
DEF WS_START = 10
DEF INNER_FRACTION = 0.3
DEF GAP_EVERY = 5
DEF POWER_ITERATIONS = 100
# Anderson acceleration combines the last ANDERSON_K epochs' iterates of the working set.
DEF ANDERSON_K = 5
# Logistic loss: Newton steps on the intercept before each full pass (one per inner epoch).
DEF INTERCEPT_STEPS = 3


cdef struct Sq:
    # the squared-loss datafit on the kernel's rows, for T responses (slots) at once
    Py_ssize_t n, p          # rows, columns of X
    Py_ssize_t T             # residual slots: coefficient k reads column col_of(k) against
                             # slot slot_of(k) (k = slot * p + column); 1: one response
    const double* y          # y - ybar, (n, T) Fortran
    const double* sw         # sums to 1
    const double* xbar       # weighted column means (0 without intercept)
    const double* center     # xbar_j for the full columns (centered in r), else 0
    const double* oxbar      # xbar_j - center_j: the part carried by the offset o
    bint any_center          # some center_j != 0
    const double* cnorm      # sqrt(H_j), H_j = sum_i sw_i x~_ij^2
    Py_ssize_t k             # unpenalized columns kept out of the dual: Z (n, k), Ginv (k, k)
    const double* Z
    const double* Ginv


cdef struct Logit:
    # the binary logistic loss sum_i sw_i log(1 + exp(-y_i z_i)), z = X w + b = b - r: the
    # engine's residual slot holds r = -X w (a zero target; the columns are not centered,
    # center = oxbar = xbar = 0, the intercept b being a variable of its own). The first
    # fields are Sq's, which the storage-level engine code reads for either datafit.
    Py_ssize_t n, p
    Py_ssize_t T             # 1
    const double* y          # labels +-1
    const double* sw         # sums to 1
    const double* xbar       # zeros
    const double* center     # zeros
    const double* oxbar      # zeros
    bint any_center          # False
    const double* cnorm      # sqrt(sum_i sw_i x_ij^2)
    Py_ssize_t k             # 0: no unpenalized columns
    const double* Z
    const double* Ginv
    bint fit_intercept
    double* b                # (1) the intercept
    double* g                # (n) sw_i y_i sigma(-y_i z_i) at the current point: minus the
                             # loss's gradient in z, kept up to date on the rows that move


# The engine's datafit, a compile-time choice: every function taking a Datafit is generated
# once per loss, the loss-specific lines behind `if Datafit is Logit` (no runtime dispatch).
ctypedef fused Datafit:
    Sq
    Logit


cdef struct State:
    double* w                # p * T coefficients (coefficient k = slot * p + column)
    double* r                # rt = r + o, (n, T) Fortran: slot t at r + t * n
    double* o                # (T) per-slot offsets
    double* tsum             # (T) scratch: per-slot sums of theta
    double* rhat
    double* theta
    double* q                # x~_j . theta (before scaling)
    double* L                # block Lipschitz constants (< 0: not yet computed)
    double* u                # scratch (projection)
    double* uz               # n zeros, kept zero between uses (block Lipschitz constants)
    double* proj             # k scratch
    double* zbuf             # 3 * max block size scratch
    Py_ssize_t* colmap       # column of X -> column of the store read by the inner solve
    Py_ssize_t* ws_pos       # CSR: column of X -> working-set column, -1 elsewhere
    unsigned char* alive     # block not (yet) screened out
    Py_ssize_t* glist        # scratch list of blocks
    Py_ssize_t* ws
    Ranked* ranked


cdef struct History:
    # the working set's last ANDERSON_K + 1 epoch iterates, for Anderson extrapolation
    Py_ssize_t m             # features of the working set (feat[:m])
    Py_ssize_t count         # iterates recorded (rows of hist)
    Py_ssize_t capacity
    Py_ssize_t* feat
    double* hist             # (ANDERSON_K + 1, m)
    double* trial            # (m) a candidate point
    double* r_saved          # (n T + T): the residual and the offsets


# ----------------------------------------------------------------------------- slots

cdef inline Py_ssize_t col_of(const Datafit* sq, Py_ssize_t k) noexcept nogil:
    """The column of X that coefficient k multiplies."""
    return k if sq.T == 1 else k % sq.p


cdef inline Py_ssize_t slot_of(const Datafit* sq, Py_ssize_t k) noexcept nogil:
    """The residual slot (response) that coefficient k acts on."""
    return 0 if sq.T == 1 else k // sq.p


# ----------------------------------------------------------------------------- datafit

cdef inline double sigmoid_neg(double m) noexcept nogil:
    """sigma(-m) = 1 / (1 + exp(m)), without overflow."""
    cdef double e
    if m > 0.0:
        e = exp(-m)
        return e / (1.0 + e)
    return 1.0 / (1.0 + exp(m))


cdef inline double log1p_exp_neg(double m) noexcept nogil:
    """log(1 + exp(-m)), without overflow."""
    if m > 0.0:
        return log1p(exp(-m))
    return -m + log1p(exp(m))


cdef inline double entropy(double u) noexcept nogil:
    """Binary entropy in nats, H(0) = H(1) = 0 (u clipped into [0, 1])."""
    if u <= 0.0 or u >= 1.0:
        return 0.0
    return -u * log(u) - (1.0 - u) * log1p(-u)


cdef inline void lg_refresh_row(const Logit* lg, const State* st, Py_ssize_t i) noexcept nogil:
    """g_i = sw_i y_i sigma(-y_i z_i), z_i = b - r_i."""
    lg.g[i] = lg.sw[i] * lg.y[i] * sigmoid_neg(lg.y[i] * (lg.b[0] - st.r[i]))


cdef inline void lg_refresh_all(const Logit* lg, const State* st) noexcept nogil:
    cdef Py_ssize_t i
    for i in range(lg.n):
        lg_refresh_row(lg, st, i)


cdef inline void lg_refresh_column(const index_t* si, const index_t* sp, const Logit* lg,
                                   const State* st, Py_ssize_t col) noexcept nogil:
    """g on the rows of column col of the column store (every row for dense storage)."""
    cdef Py_ssize_t k
    if sp == NULL:
        lg_refresh_all(lg, st)
        return
    for k in range(sp[col], sp[col + 1]):
        lg_refresh_row(lg, st, si[k])


cdef double lg_loss_at(const Logit* lg, const State* st, double b) noexcept nogil:
    """sum_i sw_i log(1 + exp(-y_i (b - r_i)))."""
    cdef Py_ssize_t i
    cdef double s = 0.0
    for i in range(lg.n):
        if lg.sw[i] > 0.0:
            s += lg.sw[i] * log1p_exp_neg(lg.y[i] * (b - st.r[i]))
    return s


cdef void lg_intercept_step(const Logit* lg, State* st) noexcept nogil:
    """One Newton step on the intercept, halved until the loss does not increase:
    b += sum_i g_i / sum_i sw_i p_i (1 - p_i), p_i = sigma(-y_i z_i) = y_i g_i / sw_i."""
    cdef Py_ssize_t i, tries
    cdef double grad = 0.0, hess = 0.0, u, step, before
    if not lg.fit_intercept:
        return
    for i in range(lg.n):
        if lg.sw[i] > 0.0:
            grad += lg.g[i]
            u = lg.y[i] * lg.g[i] / lg.sw[i]
            hess += lg.sw[i] * u * (1.0 - u)
    if grad == 0.0 or not hess > 0.0:
        return
    step = grad / hess
    before = lg_loss_at(lg, st, lg.b[0])
    for tries in range(40):
        if lg_loss_at(lg, st, lg.b[0] + step) <= before:
            lg.b[0] += step
            lg_refresh_all(lg, st)
            return
        step *= 0.5


cdef void df_dual_point(const Datafit* sq, State* st) noexcept nogil:
    """Squared loss, per slot: rhat = rt projected off the unpenalized columns (in the sw
    metric); theta = sw rhat. Logistic: theta = g (recomputed), with an intercept made to sum
    to zero by scaling the larger class's part down to the smaller's (every y_i theta_i /
    sw_i stays in [0, 1], the entropy's domain)."""
    cdef Py_ssize_t i, a, b, n = sq.n, k = sq.k, t
    cdef double s, pos = 0.0, neg = 0.0, f
    cdef double* rhat
    if Datafit is Logit:
        lg_refresh_all(sq, st)
        for i in range(n):
            st.theta[i] = sq.g[i]
            if sq.g[i] > 0.0:
                pos += sq.g[i]
            else:
                neg -= sq.g[i]
        if sq.fit_intercept and pos != neg:
            f = neg / pos if pos > neg else pos / neg
            for i in range(n):
                if (st.theta[i] > 0.0) == (pos > neg):
                    st.theta[i] *= f
        return
    for t in range(sq.T):
        rhat = st.rhat + t * n
        for i in range(n):
            rhat[i] = st.r[t * n + i] + st.o[t]
        if k > 0:
            for a in range(k):
                s = 0.0
                for i in range(n):
                    s += sq.Z[a * n + i] * sq.sw[i] * rhat[i]
                st.u[a] = s
            for a in range(k):
                s = 0.0
                for b in range(k):
                    s += sq.Ginv[b * k + a] * st.u[b]
                st.proj[a] = s
            for a in range(k):
                for i in range(n):
                    rhat[i] -= sq.Z[a * n + i] * st.proj[a]
        for i in range(n):
            st.theta[t * n + i] = sq.sw[i] * rhat[i]


cdef double df_primal_loss(const Datafit* sq, const State* st) noexcept nogil:
    """Squared: 1/2 sum_t sum_i sw_i rt_it^2. Logistic: sum_i sw_i log(1 + exp(-y_i z_i))."""
    cdef Py_ssize_t i, t
    cdef double s = 0.0, v
    if Datafit is Logit:
        return lg_loss_at(sq, st, sq.b[0])
    for t in range(sq.T):
        for i in range(sq.n):
            v = st.r[t * sq.n + i] + st.o[t]
            s += sq.sw[i] * v * v
    return 0.5 * s


cdef double df_dual_loss(const Datafit* sq, const State* st, double t) noexcept nogil:
    """The datafit's part of D at t theta. Squared: sum theta_i y_i - sum theta_i^2 / (2 sw_i)
    at theta = t sw rhat (over every slot). Logistic: sum_i sw_i H(t y_i theta_i / sw_i),
    H the binary entropy (the negative of the loss's conjugate)."""
    cdef Py_ssize_t i
    cdef double ty = 0.0, rr = 0.0
    if Datafit is Logit:
        for i in range(sq.n):
            if sq.sw[i] > 0.0:
                ty += sq.sw[i] * entropy(t * sq.y[i] * st.theta[i] / sq.sw[i])
        return ty
    for i in range(sq.n * sq.T):
        ty += st.theta[i] * sq.y[i]
        rr += st.theta[i] * st.rhat[i]
    return t * ty - 0.5 * t * t * rr


cdef inline double df_curvature(const Datafit* sq) noexcept nogil:
    """The loss's largest curvature per unit of sum_i sw_i (dz_i)^2: 1 (squared), 1/4
    (logistic: sigma (1 - sigma) <= 1/4), which turns the block's Gram eigenvalue into its
    Lipschitz constant."""
    if Datafit is Logit:
        return 0.25
    return 1.0


cdef inline double df_strong_concavity(const Datafit* sq) noexcept nogil:
    """mu with D mu-strongly concave in the metric sum_i theta_i^2 / sw_i: 1 (squared), 4
    (logistic: -H'' >= 4): the dual optimum lies within sqrt(2 gap / mu) of a feasible
    point."""
    if Datafit is Logit:
        return 4.0
    return 1.0


cdef inline double df_block_corr(const floating* sd, const index_t* si, const index_t* sp,
                                 const Datafit* sq, const State* st, Py_ssize_t j) noexcept nogil:
    """Minus the loss's gradient in coefficient j (column c, slot s). Squared: x~_c . (sw
    rt_s) (sum sw rt = 0 makes the offset exact). Logistic: x_c . g."""
    cdef Py_ssize_t c = col_of(sq, j), t = slot_of(sq, j)
    if Datafit is Logit:
        return col_wdot(sd, si, sp, sq.n, st.colmap[c], NULL, sq.g)
    return (col_centered_wdot(sd, si, sp, sq.n, st.colmap[c], sq.center[c], sq.sw,
                              st.r + t * sq.n)
            + st.o[t] * sq.oxbar[c])


cdef inline void df_shift(const floating* sd, const index_t* si, const index_t* sp,
                          const Datafit* sq, State* st, Py_ssize_t j, double d) noexcept nogil:
    """rt_s -= d x~_c for coefficient j (column c, slot s): the residual only."""
    cdef Py_ssize_t c = col_of(sq, j), t = slot_of(sq, j)
    col_centered_axpy(sd, si, sp, sq.n, st.colmap[c], sq.center[c], -d, st.r + t * sq.n)
    st.o[t] += d * sq.oxbar[c]


cdef inline void df_block_move(const floating* sd, const index_t* si, const index_t* sp,
                               const Datafit* sq, State* st, Py_ssize_t j, double d) noexcept nogil:
    """Coefficient j moves by d: the residual, and for the logistic loss g on the column's
    rows."""
    df_shift(sd, si, sp, sq, st, j, d)
    if Datafit is Logit:
        lg_refresh_column(si, sp, sq, st, st.colmap[col_of(sq, j)])


# ----------------------------------------------------------------------------- blocks

cdef double block_lipschitz(const floating* sd, const index_t* si, const index_t* sp,
                            const Datafit* sq, State* st, const Blocks* bl,
                            Py_ssize_t g) noexcept nogil:
    """Largest eigenvalue of H = X~_g^T diag(sw) X~_g, times 1.05 and capped by its trace
    (any step below 2 / lambda_max converges). H (m x m) is formed exactly, one column at a
    time: u = x_l - center_l scattered into a zero buffer, H_kl = (x_k - center_k)^T diag(sw)
    u - oxbar_k oxbar_l (sw sums to 1 and xbar is its weighted mean, 0 without an intercept:
    a centered factor makes the correction vanish), u cleared again on the
    same rows (x + (-x) is exactly 0). Cost O(m * nnz(X_g)) for sparse X, O(m^2 n) dense:
    no O(n) work per block for sparse X. Then power iteration on the small H.

    Coefficients in different residual slots touch disjoint residuals: their entry of H is
    0. When every coefficient of the block has its own slot (a multi-task row: one column,
    T slots), H is diagonal and lambda_max = max_k H_kk is returned exactly."""
    cdef Py_ssize_t kk, ll, j, jl, cj, cl, start = bl.ptr[g], m = bl.ptr[g + 1] - bl.ptr[g], it
    cdef double trace = 0.0, lam = 0.0, lam_new, norm, s, diag_max = 0.0
    cdef double* v = st.zbuf
    cdef double* wv = st.zbuf + m
    cdef double* H
    cdef bint diagonal = sq.T > 1
    for kk in range(m):
        j = bl.feat[start + kk]
        cj = col_of(sq, j)
        trace += sq.cnorm[cj] * sq.cnorm[cj]
        diag_max = max(diag_max, sq.cnorm[cj] * sq.cnorm[cj])
        for ll in range(kk):
            if diagonal and slot_of(sq, bl.feat[start + ll]) == slot_of(sq, j):
                diagonal = False
    if m == 1 or trace == 0.0:
        return trace
    if diagonal:
        return diag_max
    H = <double*>malloc(m * m * sizeof(double))
    if H == NULL:
        return trace                       # the trace bounds lambda_max: a safe step
    for ll in range(m):
        jl = bl.feat[start + ll]
        cl = col_of(sq, jl)
        col_centered_axpy(sd, si, sp, sq.n, st.colmap[cl], sq.center[cl], 1.0, st.uz)
        for kk in range(ll, m):
            j = bl.feat[start + kk]
            cj = col_of(sq, j)
            if slot_of(sq, j) != slot_of(sq, jl):
                H[kk * m + ll] = 0.0
            else:
                H[kk * m + ll] = (col_centered_wdot(sd, si, sp, sq.n, st.colmap[cj],
                                                    sq.center[cj], sq.sw, st.uz)
                                  - sq.oxbar[cj] * sq.oxbar[cl])
            H[ll * m + kk] = H[kk * m + ll]
        col_centered_axpy(sd, si, sp, sq.n, st.colmap[cl], sq.center[cl], -1.0, st.uz)
    for kk in range(m):
        v[kk] = (1.0 + 0.01 * kk) / sqrt(<double>m)
    for it in range(POWER_ITERATIONS):
        lam_new = 0.0
        norm = 0.0
        for kk in range(m):
            s = 0.0
            for ll in range(m):
                s += H[kk * m + ll] * v[ll]
            wv[kk] = s
        for kk in range(m):
            lam_new += v[kk] * wv[kk]
            norm += wv[kk] * wv[kk]
        norm = sqrt(norm)
        if norm == 0.0:
            break
        for kk in range(m):
            v[kk] = wv[kk] / norm
        if fabs(lam_new - lam) <= 1e-8 * lam_new:
            lam = lam_new
            break
        lam = lam_new
    free(H)
    return min(trace, 1.05 * lam)


cdef void block_step(const floating* sd, const index_t* si, const index_t* sp, const Datafit* sq,
                     State* st, const Blocks* bl, Py_ssize_t g) noexcept nogil:
    """One proximal gradient step on block g: w_g <- prox_{h/L}(w_g - grad_g / L), L the
    block's Lipschitz constant (a majorization: the objective never increases), the gradient
    -X~_g^T (sw rt) (squared) or -X_g^T g (logistic). A multi-task row (bl.row) reads its column once for its T gradients and once for the
    T residual updates."""
    cdef Py_ssize_t kk, j, c, start = bl.ptr[g], m = bl.ptr[g + 1] - bl.ptr[g]
    cdef double L = st.L[g], d
    cdef double* z = st.zbuf
    cdef double* gr = st.zbuf + m
    cdef bint moved = False
    if bl.row != NULL and bl.row[g]:
        c = col_of(sq, bl.feat[start])
        col_centered_multi_wdot(sd, si, sp, sq.n, st.colmap[c], sq.center[c], sq.sw, st.r,
                                m, gr)
        for kk in range(m):
            z[kk] = st.w[bl.feat[start + kk]] + (gr[kk] + st.o[kk] * sq.oxbar[c]) / L
        block_prox(z, m, L, bl.a[g], bl.c[g], bl.gam[g], bl.positive)
        for kk in range(m):
            j = bl.feat[start + kk]
            d = z[kk] - st.w[j]
            gr[kk] = -d
            if d != 0.0:
                moved = True
                st.o[kk] += d * sq.oxbar[c]
                st.w[j] = z[kk]
        if moved:
            col_centered_multi_axpy(sd, si, sp, sq.n, st.colmap[c], sq.center[c], gr, st.r, m)
        return
    for kk in range(m):
        j = bl.feat[start + kk]
        z[kk] = st.w[j] + df_block_corr(sd, si, sp, sq, st, j) / L
    block_prox(z, m, L, bl.a[g], bl.c[g], bl.gam[g], bl.positive)
    for kk in range(m):
        j = bl.feat[start + kk]
        d = z[kk] - st.w[j]
        if d != 0.0:
            df_shift(sd, si, sp, sq, st, j, d)
            st.w[j] = z[kk]
            moved = True
            if Datafit is Logit:
                if sp != NULL:
                    lg_refresh_column(si, sp, sq, st, st.colmap[j])
    if Datafit is Logit:
        if moved and sp == NULL:
            lg_refresh_all(sq, st)      # dense: once for the block, not once per column


cdef inline double* block_q(const State* st, const Blocks* bl, Py_ssize_t g, double t,
                            double* out) noexcept nogil:
    """t q_g gathered into out."""
    cdef Py_ssize_t kk
    for kk in range(bl.ptr[g], bl.ptr[g + 1]):
        out[kk - bl.ptr[g]] = t * st.q[bl.feat[kk]]
    return out


cdef inline double scale_of(const State* st, const Blocks* bl, Py_ssize_t g, Py_ssize_t m,
                            double* qb, double* work) noexcept nogil:
    """block_scale of q_g; a multi-task row without an l1 part takes c / ||q_g|| directly
    (block_scale's sort is only needed when a > 0)."""
    cdef Py_ssize_t kk
    cdef double s = 0.0, v
    if bl.row != NULL and bl.row[g] and bl.a[g] == 0.0 and not bl.positive:
        for kk in range(bl.ptr[g], bl.ptr[g + 1]):
            v = st.q[bl.feat[kk]]
            s += v * v
        return bl.c[g] / sqrt(s) if s > 0.0 else INFINITY
    return block_scale(block_q(st, bl, g, 1.0, qb), m, bl.a[g], bl.c[g], bl.positive, work)


cdef inline bint block_nonzero(const State* st, const Blocks* bl, Py_ssize_t g) noexcept nogil:
    cdef Py_ssize_t kk
    for kk in range(bl.ptr[g], bl.ptr[g + 1]):
        if st.w[bl.feat[kk]] != 0.0:
            return True
    return False


cdef inline bint constrained(const Blocks* bl, Py_ssize_t g) noexcept nogil:
    """Whether block g's conjugate is an indicator (its dual constraint must be enforced)."""
    return not bl.free_[g] and bl.gam[g] == 0.0


# ----------------------------------------------------------------------------- gap

cdef void corr_from_store(const floating* sd, const index_t* si, const index_t* sp,
                          const Datafit* sq, State* st, const Blocks* bl, const Py_ssize_t* groups,
                          Py_ssize_t count) noexcept nogil:
    """q_j = x~_c . theta_s for the coefficients j (column c, slot s) of the listed blocks,
    from a column store (a multi-task row reads its column T times in a row: from cache)."""
    cdef Py_ssize_t i, gg, kk, j, c, t
    for t in range(sq.T):
        st.tsum[t] = 0.0
        for i in range(sq.n):
            st.tsum[t] += st.theta[t * sq.n + i]
    for gg in range(count):
        if bl.row != NULL and bl.row[groups[gg]]:
            # a multi-task row: its column read once for the T slots
            c = col_of(sq, bl.feat[bl.ptr[groups[gg]]])
            col_centered_multi_wdot(sd, si, sp, sq.n, st.colmap[c], sq.center[c], NULL,
                                    st.theta, sq.T, st.zbuf)
            for t in range(sq.T):
                st.q[bl.feat[bl.ptr[groups[gg]] + t]] = st.zbuf[t] - sq.oxbar[c] * st.tsum[t]
            continue
        for kk in range(bl.ptr[groups[gg]], bl.ptr[groups[gg] + 1]):
            j = bl.feat[kk]
            c = col_of(sq, j)
            t = slot_of(sq, j)
            st.q[j] = (col_centered_wdot(sd, si, sp, sq.n, st.colmap[c], sq.center[c], NULL,
                                         st.theta + t * sq.n) - sq.oxbar[c] * st.tsum[t])


cdef double blocks_penalty(const State* st, const Blocks* bl, const Py_ssize_t* groups,
                           Py_ssize_t count, double* work) noexcept nogil:
    """sum over the listed blocks of their penalty value at w (work: max block size)."""
    cdef Py_ssize_t gg, g, kk, m
    cdef double s = 0.0
    for gg in range(count):
        g = groups[gg]
        m = bl.ptr[g + 1] - bl.ptr[g]
        for kk in range(m):
            work[kk] = st.w[bl.feat[bl.ptr[g] + kk]]
        s += block_value(work, m, bl.a[g], bl.c[g], bl.gam[g])
    return s


cdef double gap_of(const Datafit* sq, State* st, const Blocks* bl, const Py_ssize_t* groups,
                   Py_ssize_t count, double* t_out) noexcept nogil:
    """P - D(t theta) over the listed blocks (which hold every nonzero coefficient), t the
    largest factor in (0, 1] keeping the constrained blocks feasible; st.q holds their
    x~_j . theta."""
    cdef Py_ssize_t gg, g, m
    cdef double t = 1.0, primal, dual, s
    cdef double* qb = st.zbuf
    cdef double* work = st.zbuf + bl.max_size
    for gg in range(count):
        g = groups[gg]
        if constrained(bl, g):
            m = bl.ptr[g + 1] - bl.ptr[g]
            s = scale_of(st, bl, g, m, qb, work)
            if s < t:
                t = s
    primal = df_primal_loss(sq, st) + blocks_penalty(st, bl, groups, count, work)
    dual = df_dual_loss(sq, st, t)
    for gg in range(count):
        g = groups[gg]
        m = bl.ptr[g + 1] - bl.ptr[g]
        if bl.gam[g] > 0.0:
            dual -= block_conjugate(block_q(st, bl, g, t, qb), m, bl.a[g], bl.c[g], bl.gam[g],
                                    bl.positive)
    t_out[0] = t
    return primal - dual


# ----------------------------------------------------------------------------- acceleration

cdef int history_of(const State* st, const Blocks* bl, History* h, const Py_ssize_t* groups,
                    Py_ssize_t count) noexcept nogil:
    """Start an empty history over the features of the listed blocks (-1: out of memory)."""
    cdef Py_ssize_t gg, kk, m = 0
    cdef void* grown
    for gg in range(count):
        m += bl.ptr[groups[gg] + 1] - bl.ptr[groups[gg]]
    if m > h.capacity:
        grown = realloc(h.feat, m * sizeof(Py_ssize_t))
        if grown == NULL:
            return -1
        h.feat = <Py_ssize_t*>grown
        grown = realloc(h.trial, m * sizeof(double))
        if grown == NULL:
            return -1
        h.trial = <double*>grown
        grown = realloc(h.hist, (ANDERSON_K + 1) * m * sizeof(double))
        if grown == NULL:
            return -1
        h.hist = <double*>grown
        h.capacity = m
    m = 0
    for gg in range(count):
        for kk in range(bl.ptr[groups[gg]], bl.ptr[groups[gg] + 1]):
            h.feat[m] = bl.feat[kk]
            m += 1
    h.m = m
    h.count = 0
    return 0


cdef double working_set_primal(const Datafit* sq, const State* st, const Blocks* bl,
                               const Py_ssize_t* groups, Py_ssize_t count) noexcept nogil:
    """The loss plus the listed blocks' penalties (the other blocks do not move)."""
    return df_primal_loss(sq, st) + blocks_penalty(st, bl, groups, count, st.zbuf)


cdef void move_to(const floating* sd, const index_t* si, const index_t* sp, const Datafit* sq,
                  State* st, const History* h, const double* target) noexcept nogil:
    """w <- target on the history's features, the residual following by an axpy per column."""
    cdef Py_ssize_t i, j
    for i in range(h.m):
        j = h.feat[i]
        if target[i] != st.w[j]:
            df_block_move(sd, si, sp, sq, st, j, target[i] - st.w[j])
            st.w[j] = target[i]


cdef bint try_anderson(const floating* sd, const index_t* si, const index_t* sp, const Datafit* sq,
                       State* st, const Blocks* bl, History* h, const Py_ssize_t* groups,
                       Py_ssize_t count, double before) noexcept nogil:
    """Move to the Anderson extrapolation of the history if it is feasible and lowers the
    objective (True); otherwise restore the point exactly (saved residual)."""
    cdef double c[ANDERSON_K]
    cdef Py_ssize_t i, k, m = h.m, nr = sq.n * sq.T
    if not anderson_coefficients(h.hist, m, ANDERSON_K, c):
        return False
    for i in range(m):
        wacc = 0.0
        for k in range(ANDERSON_K):
            wacc += c[k] * h.hist[(k + 1) * m + i]
        if bl.positive and wacc < 0.0:
            return False
        h.trial[i] = wacc
    memcpy(h.r_saved, st.r, nr * sizeof(double))
    memcpy(h.r_saved + nr, st.o, sq.T * sizeof(double))
    move_to(sd, si, sp, sq, st, h, h.trial)
    if working_set_primal(sq, st, bl, groups, count) < before:
        return True
    memcpy(st.r, h.r_saved, nr * sizeof(double))
    memcpy(st.o, h.r_saved + nr, sq.T * sizeof(double))
    for i in range(m):
        st.w[h.feat[i]] = h.hist[ANDERSON_K * m + i]
    if Datafit is Logit:
        lg_refresh_all(sq, st)
    return False


cdef bint try_drift(const floating* sd, const index_t* si, const index_t* sp, const Datafit* sq,
                    State* st, const Blocks* bl, History* h, const Py_ssize_t* groups,
                    Py_ssize_t count, double before) noexcept nogil:
    """Line search along the history's net move d = x_K - x_0: w = x_K + s d for s = 1, 2,
    4, ... while the objective decreases, keeping the best. Block CD crawls at a constant
    speed along a nearly flat direction (columns collinear across groups, whose split only
    the group norms decide); Anderson's affine combinations cannot leave the span of the
    iterates' differences there, a doubling step reaches the far end in log steps."""
    cdef Py_ssize_t i, m = h.m, tries
    cdef double s = 1.0, best_s = 0.0, best = before, value, v
    cdef const double* last = h.hist + ANDERSON_K * m
    for tries in range(30):
        for i in range(m):
            v = last[i] + s * (last[i] - h.hist[i])
            if bl.positive and v < 0.0:
                v = 0.0
            h.trial[i] = v
        move_to(sd, si, sp, sq, st, h, h.trial)
        value = working_set_primal(sq, st, bl, groups, count)
        if not value < best:
            break
        best = value
        best_s = s
        s *= 2.0
    for i in range(m):
        v = last[i] + best_s * (last[i] - h.hist[i])
        if bl.positive and v < 0.0:
            v = 0.0
        h.trial[i] = v
    move_to(sd, si, sp, sq, st, h, h.trial)
    return best_s > 0.0


cdef void record_iterate(const floating* sd, const index_t* si, const index_t* sp, const Datafit* sq,
                         State* st, const Blocks* bl, History* h, const Py_ssize_t* groups,
                         Py_ssize_t count) noexcept nogil:
    """Append w over the working set to the history; with ANDERSON_K + 1 iterates, jump to
    their Anderson extrapolation when it lowers the objective, else along their drift."""
    cdef Py_ssize_t i, m = h.m
    cdef double before
    for i in range(m):
        h.hist[h.count * m + i] = st.w[h.feat[i]]
    h.count += 1
    if h.count < ANDERSON_K + 1:
        return
    h.count = 0
    before = working_set_primal(sq, st, bl, groups, count)
    if not try_anderson(sd, si, sp, sq, st, bl, h, groups, count, before):
        try_drift(sd, si, sp, sq, st, bl, h, groups, count, before)


# ----------------------------------------------------------------------------- outer loop

cdef Py_ssize_t choose_working_set(const State* st, const Blocks* bl, Py_ssize_t n_alive,
                                   Py_ssize_t previous) noexcept nogil:
    """Rank the alive blocks (st.glist) and put the working set in st.ws (sorted): the
    support and unpenalized blocks, then the smallest dual-constraint scales (the largest
    dual norms), max(WS_START, 2 |support|) blocks and at least twice the previous set."""
    cdef Py_ssize_t gg, g, m, n_support = 0, size
    cdef double* qb = st.zbuf
    cdef double* work = st.zbuf + bl.max_size
    for gg in range(n_alive):
        g = st.glist[gg]
        st.ranked[gg].idx = g
        if bl.free_[g] or block_nonzero(st, bl, g):
            st.ranked[gg].key = -INFINITY
            n_support += 1
        else:
            m = bl.ptr[g + 1] - bl.ptr[g]
            st.ranked[gg].key = scale_of(st, bl, g, m, qb, work)
    size = max(WS_START, 2 * n_support)
    if size <= previous:
        size = 2 * previous
    size = min(size, n_alive)
    select_smallest(st.ranked, n_alive, size)
    for gg in range(size):
        st.ws[gg] = st.ranked[gg].idx
    sort_indices(st.ws, size)
    return size


cdef Py_ssize_t screen_blocks(const Datafit* sq, const State* st, const Blocks* bl,
                              Py_ssize_t n_alive, double t, double gap,
                              const double* cnorm) noexcept nogil:
    """Gap-safe elimination of the alive zero blocks of st.glist (compacted in place);
    returns how many stay alive. The dual optimum lies within sqrt(2 gap) of t theta in the
    metric sum_i theta_i^2 / sw_i (summed over the slots), where a coefficient's column has
    norm sqrt(H_j)."""
    cdef Py_ssize_t gg, g, kk, m, kept = 0
    cdef double radius = sqrt(2.0 * max(gap, 0.0) / df_strong_concavity(sq))
    cdef double* qb = st.zbuf
    cdef double* norms = st.zbuf + bl.max_size
    for gg in range(n_alive):
        g = st.glist[gg]
        m = bl.ptr[g + 1] - bl.ptr[g]
        if not bl.free_[g] and not block_nonzero(st, bl, g):
            for kk in range(m):
                norms[kk] = cnorm[col_of(sq, bl.feat[bl.ptr[g] + kk])]
            if block_screened(block_q(st, bl, g, t, qb), norms, m, bl.a[g], bl.c[g],
                              bl.positive, radius):
                st.alive[g] = 0
                continue
        st.glist[kept] = g
        kept += 1
    return kept


cdef void csr_centered_xt(const floating* data, const index_t* indices,
                          const index_t* indptr, const Datafit* sq, const double* theta,
                          double* q) noexcept nogil:
    """q_{s p + j} = sum_i (x_ij - center_j) theta_{i s} over CSR X, row by row, every slot
    s from one read of each row: exact for the full columns (sum_i x_ij theta_i - xbar_j
    sum_i theta_i would cancel for a large mean)."""
    cdef Py_ssize_t i, k, j, s
    cdef double t, x
    for j in range(sq.p * sq.T):
        q[j] = 0.0
    for i in range(sq.n):
        if sq.T == 1:
            t = theta[i]
            for k in range(indptr[i], indptr[i + 1]):
                j = indices[k]
                q[j] += (data[k] - sq.center[j]) * t
        else:
            for k in range(indptr[i], indptr[i + 1]):
                j = indices[k]
                x = data[k] - sq.center[j]
                for s in range(sq.T):
                    q[s * sq.p + j] += x * theta[s * sq.n + i]


cdef void refresh_residual(Layout layout, const floating* data, const index_t* indices,
                           const index_t* indptr, const Datafit* sq, State* st) noexcept nogil:
    """rt = r + o recomputed from w, per slot t: r_t = y_t - sum_j w_tj (x_j - center_j)
    (column by column for dense and CSC, row by row for CSR), o_t = oxbar . w_t."""
    cdef Py_ssize_t i, j, k, t, n = sq.n
    cdef double s
    cdef const double* w
    for i in range(n * sq.T):
        st.r[i] = 0.0 if Datafit is Logit else sq.y[i]
    for t in range(sq.T):
        w = st.w + t * sq.p
        if layout == CSR:
            for i in range(n):
                s = 0.0
                for k in range(indptr[i], indptr[i + 1]):
                    j = indices[k]
                    s += (data[k] - sq.center[j]) * w[j]
                st.r[t * n + i] -= s
        else:
            for j in range(sq.p):
                if w[j] != 0.0:
                    col_centered_axpy(data, indices, indptr, n, j, sq.center[j], -w[j],
                                      st.r + t * n)
        st.o[t] = 0.0
        for j in range(sq.p):
            st.o[t] += sq.oxbar[j] * w[j]
    if Datafit is Logit:
        lg_refresh_all(sq, st)


cdef int solve(Layout layout, const floating* data, const index_t* indices,
               const index_t* indptr, const Datafit* sq, State* st, const Blocks* bl,
               double tol_abs, Py_ssize_t max_iter, bint screen, double* gap_out,
               Py_ssize_t* epochs_out, Py_ssize_t* passes_out) noexcept nogil:
    cdef Py_ssize_t i, j, g, gg, kk, n_alive, ws_size = 0, epochs = 0, passes = 0, ep, m_ws
    cdef Py_ssize_t t_slot
    cdef double gap = INFINITY, t, ws_gap, theta_sum, inner_tol
    cdef const floating* sd = data
    cdef const index_t* si = indices
    cdef const index_t* sp = indptr
    cdef floating* g_data = NULL
    cdef index_t* g_rows = NULL
    cdef index_t* g_ptr = NULL
    cdef Py_ssize_t capacity = 0
    cdef int status = 0
    cdef bint refreshed = False
    cdef double previous_gap = INFINITY
    cdef History h
    h.capacity = 0
    h.feat = NULL
    h.hist = NULL
    h.trial = NULL
    h.r_saved = <double*>malloc((sq.n + 1) * sq.T * sizeof(double))
    if h.r_saved == NULL:
        return -1
    if layout == CSR:
        g_ptr = <index_t*>malloc((sq.p + 1) * sizeof(index_t))
        if g_ptr == NULL:
            return -1
    else:
        for j in range(sq.p):
            st.colmap[j] = j
    while True:
        if Datafit is Logit:
            # the intercept has no block: Newton steps on it before each full pass
            for ep in range(INTERCEPT_STEPS):
                lg_intercept_step(sq, st)
        # full pass: dual point, correlations of the alive blocks, gap
        n_alive = 0
        for g in range(bl.count):
            if st.alive[g]:
                st.glist[n_alive] = g
                n_alive += 1
        df_dual_point(sq, st)
        if layout == CSR:
            if sq.any_center or sq.T > 1:
                csr_centered_xt(data, indices, indptr, sq, st.theta, st.q)
            else:
                xt_dot(layout, data, indices, indptr, sq.n, sq.p, st.theta, st.q)
            for t_slot in range(sq.T):
                theta_sum = 0.0
                for i in range(sq.n):
                    theta_sum += st.theta[t_slot * sq.n + i]
                for j in range(sq.p):
                    st.q[t_slot * sq.p + j] -= sq.oxbar[j] * theta_sum
        else:
            corr_from_store(data, indices, indptr, sq, st, bl, st.glist, n_alive)
        passes += 1
        gap = gap_of(sq, st, bl, st.glist, n_alive, &t)
        if gap <= tol_abs and not refreshed:
            # before certifying, the residual from scratch: the updated one keeps absolute
            # rounding of the size of the start's X w (a far start to a tiny solution)
            refresh_residual(layout, data, indices, indptr, sq, st)
            refreshed = True
            continue
        if gap <= tol_abs or epochs >= max_iter:
            break
        if gap > 0.5 * previous_gap:
            # a stalled outer step: drift in the residual can hold the gap up
            refresh_residual(layout, data, indices, indptr, sq, st)
        previous_gap = gap
        if screen:
            n_alive = screen_blocks(sq, st, bl, n_alive, t, gap, sq.cnorm)
        if n_alive == 0:
            if Datafit is Logit:
                epochs += 1      # only the intercept is left to move: the loop's steps
                continue
            break            # every block screened out: nothing left to move
        ws_size = choose_working_set(st, bl, n_alive, ws_size)
        if layout == CSR:
            m_ws = 0
            for gg in range(ws_size):
                g = st.ws[gg]
                for kk in range(bl.ptr[g], bl.ptr[g + 1]):
                    j = col_of(sq, bl.feat[kk])
                    if st.ws_pos[j] < 0:         # a column shared by several slots: once
                        st.ws_pos[j] = m_ws
                        st.colmap[j] = m_ws
                        m_ws += 1
            if gather_columns(data, indices, indptr, sq.n, NULL, st.ws_pos, m_ws, &g_data,
                              &g_rows, g_ptr, &capacity) != 0:
                status = -1
                break
            for gg in range(ws_size):
                g = st.ws[gg]
                for kk in range(bl.ptr[g], bl.ptr[g + 1]):
                    st.ws_pos[col_of(sq, bl.feat[kk])] = -1
            sd = g_data
            si = g_rows
            sp = g_ptr
        for gg in range(ws_size):
            g = st.ws[gg]
            if st.L[g] < 0.0:
                st.L[g] = block_lipschitz(sd, si, sp, sq, st, bl, g) * df_curvature(sq)
        if history_of(st, bl, &h, st.ws, ws_size) != 0:
            status = -1
            break
        # inner solve: block CD over the working set to a fraction of the outer gap (or the
        # target itself: below it only the full pass can tell whether the solve is done)
        inner_tol = max(INNER_FRACTION * gap, tol_abs)
        ep = 0
        while epochs < max_iter:
            for gg in range(ws_size):
                g = st.ws[gg]
                if st.L[g] > 0.0:
                    block_step(sd, si, sp, sq, st, bl, g)
            if Datafit is Logit:
                lg_intercept_step(sq, st)
            epochs += 1
            ep += 1
            if interrupted(ws_size):
                status = -2
                break
            record_iterate(sd, si, sp, sq, st, bl, &h, st.ws, ws_size)
            if ep % GAP_EVERY == 0:
                df_dual_point(sq, st)
                corr_from_store(sd, si, sp, sq, st, bl, st.ws, ws_size)
                ws_gap = gap_of(sq, st, bl, st.ws, ws_size, &t)
                if ws_gap <= inner_tol:
                    break
        if status != 0:
            break
    free(g_data)
    free(g_rows)
    free(g_ptr)
    free(h.feat)
    free(h.hist)
    free(h.trial)
    free(h.r_saved)
    gap_out[0] = gap
    epochs_out[0] = epochs
    passes_out[0] = passes
    return status


# ----------------------------------------------------------------------------- bindings

cdef class _Spec:
    cdef const double[::1] y, sw, xbar, center, oxbar, cnorm, a, c, gam
    cdef const Py_ssize_t[::1] ptr, feat
    cdef const unsigned char[::1] free_
    cdef const double[::1, :] Z, Ginv
    cdef double[::1] w
    cdef bint positive, screen
    cdef object residual             # None, or (n T,) float64 receiving y~ - X~ w at the end
    cdef double tol_abs
    cdef Py_ssize_t max_iter, max_size, T
    cdef bint logistic, fit_intercept
    cdef double[::1] b                 # logistic: (1,) the intercept, in and out


cdef tuple _run(Layout layout, const floating* data, const index_t* indices,
                const index_t* indptr, Py_ssize_t n, Py_ssize_t p, _Spec spec):
    cdef Sq sq
    cdef Logit lg
    cdef State st
    cdef Blocks bl
    cdef Py_ssize_t G = spec.ptr.shape[0] - 1, k = spec.Z.shape[1], g, j, kk, T = spec.T
    cdef double gap = 0.0
    cdef Py_ssize_t epochs = 0, passes = 0
    cdef int status
    cdef double[::1] r = np.empty(n * T), rhat = np.empty(n * T), theta = np.empty(n * T)
    cdef double[::1] o = np.zeros(T), tsum = np.zeros(T)
    cdef double[::1] u = np.empty(max(n, k, 1)), proj = np.empty(max(k, 1))
    cdef double[::1] uz = np.zeros(max(n, 1))
    cdef double[::1] q = np.zeros(p * T), L = np.full(max(G, 1), -1.0)
    cdef double[::1] zbuf = np.empty(3 * max(spec.max_size, 1))
    cdef Py_ssize_t[::1] colmap = np.zeros(p, dtype=np.intp)
    cdef Py_ssize_t[::1] ws_pos = np.full(p, -1, dtype=np.intp)
    cdef Py_ssize_t[::1] glist = np.empty(max(G, 1), dtype=np.intp)
    cdef Py_ssize_t[::1] ws = np.empty(max(G, 1), dtype=np.intp)
    cdef unsigned char[::1] alive = np.ones(max(G, 1), dtype=np.uint8)
    cdef unsigned char[::1] ranked = np.empty(max(G, 1) * sizeof(Ranked), dtype=np.uint8)
    cdef double[::1] w = spec.w
    cdef unsigned char[::1] row = _multitask_rows(spec.ptr, spec.feat, p, T)
    cdef double[::1] g_buf = np.zeros(max(n, 1))

    sq.n = n
    sq.p = p
    sq.T = T
    sq.y = &spec.y[0]
    sq.sw = &spec.sw[0]
    sq.xbar = &spec.xbar[0]
    sq.center = &spec.center[0]
    sq.oxbar = &spec.oxbar[0]
    sq.any_center = bool(np.any(np.asarray(spec.center) != 0.0))
    sq.cnorm = &spec.cnorm[0]
    sq.k = k
    sq.Z = &spec.Z[0, 0] if k > 0 else NULL
    sq.Ginv = &spec.Ginv[0, 0] if k > 0 else NULL
    bl.count = G
    bl.ptr = &spec.ptr[0]
    bl.feat = &spec.feat[0] if spec.feat.shape[0] > 0 else NULL
    bl.a = &spec.a[0] if G > 0 else NULL
    bl.c = &spec.c[0] if G > 0 else NULL
    bl.gam = &spec.gam[0] if G > 0 else NULL
    bl.free_ = &spec.free_[0] if G > 0 else NULL
    bl.positive = spec.positive
    bl.max_size = max(spec.max_size, 1)
    bl.row = &row[0] if T > 1 else NULL
    st.w = &w[0]
    st.r = &r[0]
    st.o = &o[0]
    st.tsum = &tsum[0]
    st.rhat = &rhat[0]
    st.theta = &theta[0]
    st.q = &q[0]
    st.L = &L[0]
    st.u = &u[0]
    st.uz = &uz[0]
    st.proj = &proj[0]
    st.zbuf = &zbuf[0]
    st.colmap = &colmap[0]
    st.ws_pos = &ws_pos[0]
    st.alive = &alive[0]
    st.glist = &glist[0]
    st.ws = &ws[0]
    st.ranked = <Ranked*>&ranked[0]
    # constant (or empty) columns do not enter the loss: their coefficients are held at zero
    # (zero lowers every block norm), and blocks made only of them are not alive
    for g in range(G):
        alive[g] = 0
        for kk in range(spec.ptr[g], spec.ptr[g + 1]):
            if spec.cnorm[spec.feat[kk] % p] > 0.0:
                alive[g] = 1
            else:
                w[spec.feat[kk]] = 0.0
        if not alive[g]:
            L[g] = 0.0
            for kk in range(spec.ptr[g], spec.ptr[g + 1]):
                w[spec.feat[kk]] = 0.0
    if spec.logistic:
        _logit_of(&sq, &lg, spec.fit_intercept, &spec.b[0], &g_buf[0])
    stop = interrupt_begin()
    with nogil:
        if spec.logistic:
            refresh_residual(layout, data, indices, indptr, &lg, &st)
            status = solve(layout, data, indices, indptr, &lg, &st, &bl, spec.tol_abs,
                           spec.max_iter, spec.screen, &gap, &epochs, &passes)
        else:
            refresh_residual(layout, data, indices, indptr, &sq, &st)
            status = solve(layout, data, indices, indptr, &sq, &st, &bl, spec.tol_abs,
                           spec.max_iter, spec.screen, &gap, &epochs, &passes)
    interrupt_end(stop)
    if status == -1:
        raise MemoryError("l1core: out of memory in the group kernel")
    if spec.residual is not None:
        np.add(np.asarray(r).reshape(T, n), np.asarray(o)[:, None],
               out=spec.residual.reshape(T, n))
    return gap, epochs, passes, int(G - np.sum(alive[:G]))


cdef void _logit_of(const Sq* sq, Logit* lg, bint fit_intercept, double* b,
                    double* g) noexcept:
    """The logistic datafit on the rows, labels and column statistics of sq."""
    lg.n = sq.n
    lg.p = sq.p
    lg.T = 1
    lg.y = sq.y
    lg.sw = sq.sw
    lg.xbar = sq.xbar
    lg.center = sq.center
    lg.oxbar = sq.oxbar
    lg.any_center = False
    lg.cnorm = sq.cnorm
    lg.k = 0
    lg.Z = NULL
    lg.Ginv = NULL
    lg.fit_intercept = fit_intercept
    lg.b = b
    lg.g = g


def _multitask_rows(ptr, feat, Py_ssize_t p, Py_ssize_t T):
    """Per block, 1 where it is a multi-task row: T coefficients t p + j (t = 0..T-1) of
    one column j, in slot order (their steps and passes take bl.row's one-read path)."""
    ptr, feat = np.asarray(ptr), np.asarray(feat)
    G = ptr.shape[0] - 1
    out = np.zeros(max(G, 1), dtype=np.uint8)
    if T > 1 and G > 0 and np.all(np.diff(ptr) == T):
        F = feat.reshape(G, T)
        out[:G] = np.all(F == F[:, :1] + np.arange(T) * p, axis=1) & (F[:, 0] < p)
    return out


def _run_dense(const floating[::1, :] X, _Spec spec):
    return _run(DENSE, &X[0, 0], <cnp.int32_t*>NULL, <cnp.int32_t*>NULL, X.shape[0],
                X.shape[1], spec)


def _run_sparse(const floating[::1] data, const index_t[::1] indices,
                const index_t[::1] indptr, bint csr, Py_ssize_t n, Py_ssize_t p, _Spec spec):
    cdef const floating* d = &data[0] if data.shape[0] > 0 else NULL
    cdef const index_t* ix = &indices[0] if indices.shape[0] > 0 else NULL
    return _run(CSR if csr else CSC, d, ix, &indptr[0], n, p, spec)


def group_cd(X, y, w, *, sw, xbar, cnorm, ptr, feat, a, c, gam, free, positive, Z, Ginv,
             tol_abs, max_iter, screen=True, center=None, residual=None, intercept=None,
             fit_intercept=False):
    """Solve the problem of the module docstring in place of w (float64 (p,), the start).

    Several responses (slots): y of shape (n, T) gives T residual slots; w then holds p T
    coefficients, coefficient k = t p + j multiplying column j against slot t (w is W of
    shape (T, p), C-ordered), and blocks are sets of these indices. The loss is summed over
    the slots: 1/2 sum_t sum_i sw_i (y_it - x~_i . w_t)^2. A multi-task row j is the block
    {j, p + j, ..., (T - 1) p + j}. T = 1 is the single-response engine, bit for bit.

    X: Fortran-ordered float32/float64 ndarray or CSC/CSR with int32/int64 indices, read in
    place. y: (n,) y - ybar; sw: (n,) weights summing to 1; xbar, cnorm: (p,) column means
    and sqrt(H_j) (column_stats). Blocks: ptr (G+1,), feat (intp); a, c, gam (G,) float64 and
    free (G,) uint8. Z (n, k), Ginv (k, k) Fortran: the weighted-centered unpenalized
    columns and the pseudo-inverse of their Gram matrix. Stops when the gap <= tol_abs or
    after max_iter epochs. Returns (gap, epochs, full_passes, blocks_screened); releases the
    GIL. center: (p,) xbar_j for the columns the kernel centers in its residual (full
    columns, see the module docstring), else 0; None: all 0 (every column by the offset).
    residual: None or a float64 (n T,) array that receives the final y - X~ w (y as passed,
    slot after slot).

    intercept: None (the squared loss above) or a float64 (1,) array: the binary logistic
    loss sum_i sw_i log(1 + exp(-y_i (x_i.w + b))) instead, y the labels +-1 (one slot), b
    the intercept started from and written back to intercept[0]; xbar must be 0 (columns
    uncentered: cnorm_j = sqrt(sum_i sw_i x_ij^2)), no unpenalized blocks (Z with 0
    columns); b moves (Newton steps) when fit_intercept, and the dual point then sums to 0.
    """
    cdef _Spec spec = _Spec()
    y = np.asarray(y)
    spec.T = y.shape[1] if y.ndim == 2 else 1
    if y.ndim == 2:
        y = y.ravel(order="F")
    if np.shape(w) != (X.shape[1] * spec.T,):
        raise ValueError(f"w must have n_features * n_slots = {X.shape[1] * spec.T} values, "
                         f"got shape {np.shape(w)}.")
    spec.y = y
    spec.sw = sw
    spec.xbar = xbar
    center = np.zeros_like(xbar) if center is None else np.ascontiguousarray(center, np.float64)
    spec.center = center
    spec.oxbar = np.ascontiguousarray(xbar - center)
    spec.cnorm = cnorm
    spec.ptr = ptr
    spec.feat = feat
    spec.a = a
    spec.c = c
    spec.gam = gam
    spec.free_ = free
    spec.positive = positive
    spec.Z = Z
    spec.Ginv = Ginv
    spec.w = w
    spec.tol_abs = tol_abs
    spec.max_iter = max_iter
    spec.screen = screen
    spec.residual = residual
    spec.logistic = intercept is not None
    spec.fit_intercept = False
    spec.b = np.zeros(1)
    if spec.logistic:
        if spec.T != 1 or residual is not None or Z.shape[1] > 0 or np.any(xbar != 0.0):
            raise ValueError("the logistic datafit takes one label vector, uncentered "
                             "columns and no unpenalized blocks")
        spec.b = intercept
        spec.fit_intercept = fit_intercept
    spec.max_size = int(np.max(np.diff(ptr))) if len(ptr) > 1 else 1
    if hasattr(X, "format") and X.format in ("csr", "csc"):
        n, p = X.shape
        return _run_sparse(X.data, X.indices, X.indptr, X.format == "csr", n, p, spec)
    return _run_dense(X, spec)


cdef int _stats(Layout layout, const floating* data, const index_t* indices,
                const index_t* indptr, Py_ssize_t n, Py_ssize_t p, const double* sw,
                bint centered, double* xbar, double* cnorm, double* m1,
                double* m2) noexcept nogil:
    """cnorm_j = sqrt(H_j). Centered: ``centered_moments`` (sums of x - K_j, K_j the
    column's first value: no digits lost to a large mean; E[x^2] - xbar^2 lost them all at
    mean/spread ~1e7 and took such columns for constants); a column holding one value gets
    0. Returns 0, or -1 when out of memory."""
    cdef Py_ssize_t j
    cdef unsigned char* varies
    if not centered:
        column_moments(layout, data, indices, indptr, n, p, sw, xbar, cnorm, m1, m2)
        for j in range(p):
            xbar[j] = 0.0
            cnorm[j] = sqrt(max(cnorm[j], 0.0))
        return 0
    varies = <unsigned char*>malloc(max(p, 1))
    if varies == NULL:
        return -1
    if centered_moments(layout, data, indices, indptr if layout != DENSE else NULL, n, p, sw,
                        xbar, cnorm, m1, varies) != 0:
        free(varies)
        return -1
    for j in range(p):
        cnorm[j] = sqrt(cnorm[j]) if varies[j] and cnorm[j] > 0.0 else 0.0
    free(varies)
    return 0


def column_stats(X, const double[::1] sw, bint fit_intercept):
    """(xbar, cnorm): weighted column means (0 without intercept) and sqrt(H_j),
    H_j = sum_i sw_i (x_ij - xbar_j)^2, in one pass over X (sw sums to 1)."""
    p = X.shape[1]
    xbar, cnorm, m1, m2 = np.zeros(p), np.zeros(p), np.zeros(p), np.zeros(p)
    _stats_any(X, sw, fit_intercept, xbar, cnorm, m1, m2)
    return xbar, cnorm


def _stats_any(X, sw, fit_intercept, double[::1] xbar, double[::1] cnorm, double[::1] m1,
               double[::1] m2):
    if hasattr(X, "format") and X.format in ("csr", "csc"):
        _stats_sparse(X.data, X.indices, X.indptr, X.format == "csr", X.shape[0], sw,
                      fit_intercept, xbar, cnorm, m1, m2)
    else:
        _stats_dense(X, sw, fit_intercept, xbar, cnorm, m1, m2)


def _stats_dense(const floating[::1, :] X, const double[::1] sw, bint c, double[::1] xbar,
                 double[::1] cnorm, double[::1] m1, double[::1] m2):
    cdef int status
    with nogil:
        status = _stats(DENSE, &X[0, 0], <cnp.int32_t*>NULL, <cnp.int32_t*>NULL, X.shape[0],
                        X.shape[1], &sw[0], c, &xbar[0], &cnorm[0], &m1[0], &m2[0])
    if status != 0:
        raise MemoryError("l1core: out of memory in the column statistics")


def _stats_sparse(const floating[::1] data, const index_t[::1] indices,
                  const index_t[::1] indptr, bint csr, Py_ssize_t n, const double[::1] sw,
                  bint c, double[::1] xbar, double[::1] cnorm, double[::1] m1,
                  double[::1] m2):
    cdef const floating* d = &data[0] if data.shape[0] > 0 else NULL
    cdef const index_t* ix = &indices[0] if indices.shape[0] > 0 else NULL
    cdef int status
    with nogil:
        status = _stats(CSR if csr else CSC, d, ix, &indptr[0], n, xbar.shape[0], &sw[0], c,
                        &xbar[0], &cnorm[0], &m1[0], &m2[0])
    if status != 0:
        raise MemoryError("l1core: out of memory in the column statistics")


def dual_norms(const double[::1] q, const Py_ssize_t[::1] ptr, const Py_ssize_t[::1] feat,
               const double[::1] a, const double[::1] c, bint positive):
    """Per block g the Sparse-Group dual norm of q_g for the constraint ||S_a(u)|| <= c
    (1 / block_scale; 0 for q_g = 0): exact alpha_max is its maximum for a, c at alpha 1."""
    cdef Py_ssize_t G = ptr.shape[0] - 1, g, kk, m
    cdef double[::1] out = np.zeros(G)
    cdef double[::1] buf = np.empty(max(int(np.max(np.diff(ptr))) if G > 0 else 1, 1) * 2)
    cdef double s
    for g in range(G):
        m = ptr[g + 1] - ptr[g]
        for kk in range(m):
            buf[kk] = q[feat[ptr[g] + kk]]
        s = block_scale(&buf[0], m, a[g], c[g], positive, &buf[0] + m)
        out[g] = 0.0 if s == INFINITY else 1.0 / s
    return np.asarray(out)
