"""Squared-loss Elastic Net by coordinate descent on the Gram matrix (glmnet's covariance mode).

For tall data (n >> p) the whole problem lives in p x p numbers: with weights sw (sum 1),
implicitly centered columns x~_j and target y~,

    G = X~^T diag(sw) X~,   c = X~^T diag(sw) y~,   yy = y~^T diag(sw) y~,

the gradient of the loss is -(c - G w) = -g, a coordinate step on w_j costs O(p) (g -= delta
G[:, j]) instead of O(n), and the duality gap of design.md section 2 needs no pass over X:

    sum_i sw_i r_i^2 = yy - w.c - w.g,   sum_i sw_i r_i y~_i = yy - w.c,   x~_j.(sw r) = g_j.

Unpenalized columns U enter the dual point through the projection of r off them, which in
Gram terms is g - G[:, U] G_UU^+ g_U (and the matching corrections of the two sums above).
"""

from libc.stdlib cimport malloc, free
from libc.string cimport memcpy
from libc.math cimport fabs, INFINITY
from libc.stdint cimport uint64_t
import numpy as np

from kernel_ops cimport penalty_value, prox_step, penalty_conjugate, constraint_scale
from anderson cimport anderson_coefficients
from interrupt cimport interrupted, interrupt_begin, interrupt_end
from cpython.time cimport perf_counter

DEF ANDERSON_K = 5
# As in _enet_cd: the dual point's orthogonality to the unpenalized columns relative to its
# terms, and the most negative gap taken as rounding (below it: no certificate, gap inf).
DEF ORTH_SLACK = 1e-10
DEF NEGATIVE_SLACK = 1e-11


cdef struct GramProblem:
    Py_ssize_t p
    const double* G            # (p, p), symmetric
    const double* c            # (p,)
    double yy
    const double* factor       # v_j
    const double* ridge        # ridge factors: c_j = alpha_l2 ridge_j (v_j unless given)
    double alpha_l1, alpha_l2
    const double* lower
    const double* upper
    const unsigned char* free_
    Py_ssize_t k               # projected (unpenalized) columns
    const Py_ssize_t* proj_idx # (k,)
    const double* Ginv         # (k, k) pseudo-inverse of G_UU


cdef inline double l1_of(const GramProblem* pb, Py_ssize_t j) noexcept nogil:
    return pb.alpha_l1 * pb.factor[j]


cdef inline double l2_of(const GramProblem* pb, Py_ssize_t j) noexcept nogil:
    return pb.alpha_l2 * pb.ridge[j]


cdef double primal(const GramProblem* pb, const double* w, const double* g) noexcept nogil:
    cdef Py_ssize_t j
    cdef double wc = 0.0, wg = 0.0, pen = 0.0
    for j in range(pb.p):
        if w[j] != 0.0:
            wc += w[j] * pb.c[j]
            wg += w[j] * g[j]
            pen += penalty_value(l1_of(pb, j), l2_of(pb, j), w[j])
    return 0.5 * (pb.yy - wc - wg) + pen


cdef double gram_gap(const GramProblem* pb, const double* w, const double* g, double* q,
                     double* z) noexcept nogil:
    """P(w) - D(t theta), theta = sw * (projected residual), q = x~.theta filled (p,)."""
    cdef Py_ssize_t j, u, p = pb.p
    cdef double wc = 0.0, wg = 0.0, pen = 0.0, rr, rr_hat, ry, t = 1.0, conj = 0.0
    cdef double primal, dual
    for j in range(p):
        q[j] = g[j]
        if w[j] != 0.0:
            wc += w[j] * pb.c[j]
            wg += w[j] * g[j]
            pen += penalty_value(l1_of(pb, j), l2_of(pb, j), w[j])
    rr = pb.yy - wc - wg        # sum sw r^2: the primal's
    rr_hat = rr                 # sum sw rhat^2 and sum sw rhat y~: the dual point's
    ry = pb.yy - wc
    if pb.k > 0:
        # z = G_UU^+ g_U, refined once; q -= G[:, U] z; rr_hat -= g_U.z; ry -= c_U.z
        projected_coefficients(pb, g, z)
        for u in range(pb.k):
            rr_hat -= g[pb.proj_idx[u]] * z[u]
            ry -= pb.c[pb.proj_idx[u]] * z[u]
            for j in range(p):
                q[j] -= pb.G[j + pb.proj_idx[u] * p] * z[u]
        if not verified_orthogonal(pb, g, z, q):
            return INFINITY
    for j in range(p):
        if not pb.free_[j]:
            t = constraint_scale(t, l1_of(pb, j), l2_of(pb, j), pb.lower[j], pb.upper[j], q[j])
    for j in range(p):
        if not pb.free_[j]:
            conj += penalty_conjugate(l1_of(pb, j), l2_of(pb, j), pb.lower[j], pb.upper[j],
                                      t * q[j])
    primal = 0.5 * rr + pen
    dual = t * ry - 0.5 * t * t * rr_hat - conj
    if primal - dual < -NEGATIVE_SLACK * (fabs(primal) + fabs(t * ry) + fabs(t * t * rr_hat)
                                          + conj):
        return INFINITY      # theta was not feasible: no certificate
    return primal - dual


cdef void projected_coefficients(const GramProblem* pb, const double* g, double* z) noexcept nogil:
    """z = G_UU^+ g_U with one step of iterative refinement (z += G_UU^+ (g_U - G_UU z));
    z holds 2k values (the second half is scratch)."""
    cdef Py_ssize_t u, v, k = pb.k, p = pb.p
    cdef double s
    cdef double* e = z + k
    for u in range(k):
        s = 0.0
        for v in range(k):
            s += pb.Ginv[u + v * k] * g[pb.proj_idx[v]]
        z[u] = s
    for u in range(k):
        s = g[pb.proj_idx[u]]
        for v in range(k):
            s -= pb.G[pb.proj_idx[u] + pb.proj_idx[v] * p] * z[v]
        e[u] = s
    for u in range(k):
        s = 0.0
        for v in range(k):
            s += pb.Ginv[u + v * k] * e[v]
        z[u] += s


cdef bint verified_orthogonal(const GramProblem* pb, const double* g, const double* z,
                              const double* q) noexcept nogil:
    """Whether q_j = g_j - G[j, U] z vanishes up to rounding on the unpenalized columns:
    |q_j| <= ORTH_SLACK (|g_j| + sum_u |G[j, U_u] z_u|)."""
    cdef Py_ssize_t u, j, jj, p = pb.p
    cdef double size
    for jj in range(pb.k):
        j = pb.proj_idx[jj]
        size = fabs(g[j])
        for u in range(pb.k):
            size += fabs(pb.G[j + pb.proj_idx[u] * p] * z[u])
        if not fabs(q[j]) <= ORTH_SLACK * size:
            return False
    return True


cdef inline void move(const GramProblem* pb, double* w, double* g, Py_ssize_t j,
                      double new) noexcept nogil:
    cdef Py_ssize_t i
    cdef double delta = new - w[j]
    cdef const double* col = pb.G + j * pb.p
    for i in range(pb.p):
        g[i] -= delta * col[i]
    w[j] = new


cdef inline uint64_t next_random(uint64_t* state) noexcept nogil:
    cdef uint64_t x = state[0]
    x ^= x >> 12
    x ^= x << 25
    x ^= x >> 27
    state[0] = x
    return x * <uint64_t>2685821657736338717ULL


cdef int gram_solve(const GramProblem* pb, double* w, double* g, const unsigned char* alive,
                    double tol_abs, Py_ssize_t max_iter, bint random_order, uint64_t seed,
                    double* gap_out, Py_ssize_t* epochs_out) noexcept nogil:
    cdef Py_ssize_t p = pb.p, j, jj, kk, m = 0, epochs = 0, n_hist = 0
    cdef double gap = INFINITY, new, before, wacc, c[ANDERSON_K]
    cdef uint64_t rng = seed * <uint64_t>0x9E3779B97F4A7C15ULL + <uint64_t>1
    cdef bint inside
    cdef Py_ssize_t* order = <Py_ssize_t*>malloc(p * sizeof(Py_ssize_t))
    cdef double* q = <double*>malloc(p * sizeof(double))
    cdef double* z = <double*>malloc((2 * pb.k + 1) * sizeof(double))
    cdef double* hist = <double*>malloc((ANDERSON_K + 1) * p * sizeof(double))
    cdef double* w_acc = <double*>malloc(2 * p * sizeof(double))
    cdef double* g_acc = w_acc + p
    if order == NULL or q == NULL or z == NULL or hist == NULL or w_acc == NULL:
        free(order)
        free(q)
        free(z)
        free(hist)
        free(w_acc)
        return -1
    for j in range(p):
        if alive[j]:
            order[m] = j
            m += 1
    while True:
        gap = gram_gap(pb, w, g, q, z)
        if gap <= tol_abs or epochs >= max_iter:
            break
        if random_order:
            for jj in range(m - 1, 0, -1):
                kk = <Py_ssize_t>(next_random(&rng) % <uint64_t>(jj + 1))
                order[jj], order[kk] = order[kk], order[jj]
        for jj in range(m):
            j = order[jj]
            new = prox_step(pb.G[j + j * p] * w[j] + g[j], pb.G[j + j * p], l1_of(pb, j),
                            l2_of(pb, j), pb.lower[j], pb.upper[j])
            if new != w[j]:
                move(pb, w, g, j, new)
        epochs += 1
        if interrupted(m):
            break
        # Anderson extrapolation of the last iterates, kept only if it lowers the objective
        memcpy(hist + n_hist * p, w, p * sizeof(double))
        n_hist += 1
        if n_hist == ANDERSON_K + 1:
            n_hist = 0
            if anderson_coefficients(hist, p, ANDERSON_K, c):
                inside = True
                for j in range(p):
                    if not alive[j]:
                        w_acc[j] = w[j]     # never moves; sum(c) = 1 only up to rounding
                        continue
                    wacc = 0.0
                    for kk in range(ANDERSON_K):
                        wacc += c[kk] * hist[(kk + 1) * p + j]
                    w_acc[j] = wacc
                    if wacc < pb.lower[j] or wacc > pb.upper[j]:
                        inside = False
                        break
                if inside:
                    memcpy(g_acc, g, p * sizeof(double))
                    for j in range(p):
                        if w_acc[j] != w[j]:
                            for kk in range(p):
                                g_acc[kk] -= (w_acc[j] - w[j]) * pb.G[kk + j * p]
                    if primal(pb, w_acc, g_acc) < primal(pb, w, g):
                        memcpy(w, w_acc, p * sizeof(double))
                        memcpy(g, g_acc, p * sizeof(double))
    free(order)
    free(q)
    free(z)
    free(hist)
    free(w_acc)
    gap_out[0] = gap
    epochs_out[0] = epochs
    return 0


cdef void set_problem(GramProblem* pb, const double[::1, :] G, const double[::1] c, double yy,
                      const double[::1] factor, const double[::1] ridge,
                      const double[::1] lower, const double[::1] upper,
                      const unsigned char[::1] free, const Py_ssize_t[::1] proj_idx,
                      const double[::1, :] Ginv):
    """pb's data pointers (every field but the alpha terms) from the validated arrays."""
    pb.p = G.shape[0]
    pb.G = &G[0, 0]
    pb.c = &c[0]
    pb.yy = yy
    pb.factor = &factor[0]
    pb.ridge = &ridge[0]
    pb.lower = &lower[0]
    pb.upper = &upper[0]
    pb.free_ = &free[0]
    pb.k = proj_idx.shape[0]
    pb.proj_idx = &proj_idx[0] if pb.k > 0 else NULL
    pb.Ginv = &Ginv[0, 0] if pb.k > 0 else NULL


cdef void gradient_at(const GramProblem* pb, const double* w, double* g) noexcept nogil:
    """g = c - G w, reading only the columns of G where w is nonzero."""
    cdef Py_ssize_t j, i, p = pb.p
    for j in range(p):
        g[j] = pb.c[j]
    for j in range(p):
        if w[j] != 0.0:
            for i in range(p):
                g[i] -= w[j] * pb.G[i + j * p]


def enet_gram_cd(const double[::1, :] G, const double[::1] c, double yy, double[::1] w, *,
                 double alpha, double l1_ratio, const double[::1] penalty_factor,
                 const double[::1] lower, const double[::1] upper,
                 const unsigned char[::1] free, const Py_ssize_t[::1] proj_idx,
                 const double[::1, :] Ginv, double tol_abs, Py_ssize_t max_iter, bint random,
                 uint64_t seed, const double[::1] ridge_factor=None):
    """Solve the Elastic Net of the module docstring from its Gram form, in place of w.

    G (p, p) Fortran, c (p,), yy: the weighted centered second moments; w (p,) the start point,
    overwritten with the solution; penalty_factor, lower, upper (p,); free (p,) uint8 marks the
    unpenalized columns projected out of the dual point, proj_idx (k,) their indices and Ginv
    (k, k) the pseudo-inverse of G[U, U]. A gap that cannot certify (the projection off U
    inexact, or below -rounding) is reported as inf and the solve goes on. Columns with G_jj = 0 are left where they are (the
    caller places them at their penalty's minimum). Stops when the gap <= tol_abs or after
    max_iter epochs. ridge_factor (p,) or None: the ridge part's own factors (None: v).
    Returns (gap, epochs). Releases the GIL.
    """
    cdef Py_ssize_t p = G.shape[0], j, jj
    cdef GramProblem pb
    cdef double gap = 0.0
    cdef Py_ssize_t epochs = 0
    cdef int status
    cdef double[::1] g = np.empty(p)
    cdef unsigned char[::1] alive = np.empty(p, dtype=np.uint8)
    if ridge_factor is None:
        ridge_factor = penalty_factor
    if ridge_factor.shape[0] != p:
        raise ValueError("ridge_factor must have length p")
    set_problem(&pb, G, c, yy, penalty_factor, ridge_factor, lower, upper, free, proj_idx, Ginv)
    pb.alpha_l1 = alpha * l1_ratio
    pb.alpha_l2 = alpha * (1.0 - l1_ratio)
    stop = interrupt_begin()
    with nogil:
        for j in range(p):
            alive[j] = G[j, j] > 0.0
        gradient_at(&pb, &w[0], &g[0])
        status = gram_solve(&pb, &w[0], &g[0], &alive[0], tol_abs, max_iter, random, seed,
                            &gap, &epochs)
    interrupt_end(stop)
    if status != 0:
        raise MemoryError("l1core: out of memory in the Gram coordinate descent kernel")
    return gap, epochs


cdef bint extrapolate(const GramProblem* pb, double* w, const double* w_prev,
                      double step) noexcept nogil:
    """w += (w - w_prev) step on the nonzero coefficients (the path's linear prediction of
    the next solution: the Lasso path is piecewise linear in alpha), a coefficient that would
    change sign set to zero, bounds kept. Returns whether w moved."""
    cdef Py_ssize_t j
    cdef double target
    cdef bint moved = False
    for j in range(pb.p):
        if w[j] == 0.0:
            continue
        target = w[j] + (w[j] - w_prev[j]) * step
        if (target > 0.0) != (w[j] > 0.0):
            target = 0.0
        target = min(max(target, pb.lower[j]), pb.upper[j])
        moved = moved or target != w[j]
        w[j] = target
    return moved


def enet_gram_path(const double[::1, :] G, const double[::1] c, double yy,
                   const double[::1] alphas, double[::1] w, double[::1, :] W, *,
                   double l1_ratio, const double[::1] penalty_factor,
                   const double[::1] lower, const double[::1] upper,
                   const unsigned char[::1] free, const Py_ssize_t[::1] proj_idx,
                   const double[::1, :] Ginv, double tol_abs, Py_ssize_t max_iter,
                   const uint64_t[::1] seeds, bint random, const double[::1] ridge_factor,
                   double[::1] gaps, Py_ssize_t[::1] epochs, double[::1] rss,
                   double[::1] seconds):
    """The whole path of the Gram-form Elastic Net in compiled code: for each alphas[k] > 0
    (decreasing) a warm-started gram_solve from the previous solution, moved first by the
    path's linear extrapolation (as l1core._path._PathPredictor does in Python for the
    per-alpha driver), the solution stored in W[:, k] (p, n_alphas), its gap, epochs,
    sum_i sw_i r_i^2 = yy - w.c - w.g and wall seconds. The other arguments as enet_gram_cd
    (one projection for every alpha > 0; seeds[k] the random order's seed at alphas[k]).
    w: the start (p,), left at the last solution. Returns the number of alphas solved (fewer
    only when interrupted: interrupt_end then raises). Releases the GIL."""
    cdef Py_ssize_t p = G.shape[0], n_alphas = alphas.shape[0], j, jj, k, solved = 0
    cdef GramProblem pb
    cdef double gap = 0.0, started, wc, wg
    cdef Py_ssize_t n_iter = 0
    cdef int status = 0
    cdef double[::1] g = np.empty(p), w_prev = np.zeros(p)
    cdef unsigned char[::1] alive = np.empty(p, dtype=np.uint8)
    if W.shape[0] != p or W.shape[1] < n_alphas or ridge_factor.shape[0] != p:
        raise ValueError("enet_gram_path: W must be (p, n_alphas), ridge_factor (p,)")
    if (gaps.shape[0] < n_alphas or rss.shape[0] < n_alphas or seconds.shape[0] < n_alphas
            or epochs.shape[0] < n_alphas or seeds.shape[0] < n_alphas):
        raise ValueError("enet_gram_path: outputs must hold n_alphas values")
    set_problem(&pb, G, c, yy, penalty_factor, ridge_factor, lower, upper, free, proj_idx, Ginv)
    stop = interrupt_begin()
    with nogil:
        for j in range(p):
            alive[j] = G[j, j] > 0.0
        for k in range(n_alphas):
            started = perf_counter()
            pb.alpha_l1 = alphas[k] * l1_ratio
            pb.alpha_l2 = alphas[k] * (1.0 - l1_ratio)
            if k == 0 or (k >= 2 and alphas[k - 1] != alphas[k - 2]
                          and extrapolate(&pb, &w[0], &w_prev[0],
                                          (alphas[k] - alphas[k - 1])
                                          / (alphas[k - 1] - alphas[k - 2]))):
                gradient_at(&pb, &w[0], &g[0])
            status = gram_solve(&pb, &w[0], &g[0], &alive[0], tol_abs, max_iter, random,
                                seeds[k], &gap, &n_iter)
            if status != 0 or interrupted(0):
                break
            wc = 0.0
            wg = 0.0
            for j in range(p):
                W[j, k] = w[j]
                if w[j] != 0.0:
                    wc += w[j] * c[j]
                    wg += w[j] * g[j]
            if k >= 1:
                for j in range(p):
                    w_prev[j] = W[j, k - 1]
            gaps[k] = gap
            epochs[k] = n_iter
            rss[k] = max(yy - wc - wg, 0.0)
            seconds[k] = perf_counter() - started
            solved = k + 1
    interrupt_end(stop)
    if status != 0:
        raise MemoryError("l1core: out of memory in the Gram coordinate descent kernel")
    return solved
