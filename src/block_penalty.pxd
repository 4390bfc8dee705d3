# The block penalty of the engine: the sparse-group elastic net on one block b (m values)
#     h(b) = a ||b||_1 + c ||b||_2 + gam/2 ||b||^2 + [b >= 0 if positive]
# (a = alpha w_g l1_ratio, c = alpha w_g (1 - l1_ratio), gam the ridge; a = c = gam = 0 is an
# unpenalized block). Its value, prox, dual constraint (the Sparse-Group dual norm of Ndiaye
# et al. 2016, solved exactly), conjugate and gap-safe screening test. Blocks arrive as small
# contiguous double buffers: no storage, no problem structs. A block of size 1 with c = 0 is
# the scalar Lasso / Elastic Net penalty of kernel_ops.pxd.

from libc.math cimport fabs, sqrt, INFINITY

cdef extern from "stdlib.h":
    void qsort(void* base, size_t nmemb, size_t size,
               int (*compar)(const void*, const void*) noexcept nogil) nogil


cdef inline int _descending(const void* x, const void* y) noexcept nogil:
    cdef double u = (<const double*>x)[0], v = (<const double*>y)[0]
    return (u < v) - (u > v)


cdef inline double block_value(const double* b, Py_ssize_t m, double a, double c,
                               double gam) noexcept nogil:
    """h(b) without the indicator."""
    cdef Py_ssize_t k
    cdef double l1 = 0.0, l2 = 0.0
    for k in range(m):
        l1 += fabs(b[k])
        l2 += b[k] * b[k]
    return a * l1 + c * sqrt(l2) + 0.5 * gam * l2


cdef inline double soft_norm(const double* q, Py_ssize_t m, double a, bint positive) noexcept nogil:
    """||S_a(q)||_2, S_a the soft threshold (one-sided, max(q - a, 0), when positive)."""
    cdef Py_ssize_t k
    cdef double s = 0.0, v
    for k in range(m):
        v = q[k] if positive else fabs(q[k])
        if v > a:
            s += (v - a) * (v - a)
    return sqrt(s)


cdef inline void block_prox(double* z, Py_ssize_t m, double L, double a, double c, double gam,
                            bint positive) noexcept nogil:
    """z <- argmin_b L/2 ||b - z||^2 + h(b): scale by L/(L+gam), soft-threshold at
    a/(L+gam), then shrink the block's norm by c/(L+gam) (L + gam > 0)."""
    cdef Py_ssize_t k
    cdef double step = 1.0 / (L + gam), v, norm2 = 0.0, shrink
    for k in range(m):
        v = z[k] * L * step
        if positive:
            v = v - a * step if v > a * step else 0.0
        elif v > a * step:
            v -= a * step
        elif v < -a * step:
            v += a * step
        else:
            v = 0.0
        z[k] = v
        norm2 += v * v
    if c > 0.0 and norm2 > 0.0:
        shrink = 1.0 - c * step / sqrt(norm2)
        if shrink < 0.0:
            shrink = 0.0
        for k in range(m):
            z[k] *= shrink


cdef inline double block_scale(const double* q, Py_ssize_t m, double a, double c,
                               bint positive, double* work) noexcept nogil:
    """The largest s > 0 with s*q in the dual constraint {||S_a(u)||_2 <= c} (INFINITY for
    q = 0): 1/s is the block's Sparse-Group dual norm of q. work holds m doubles.

    ||S_a(s q)||^2 = sum_{s v_i > a} (s v_i - a)^2 (v = |q|, or q+ when positive) grows with
    s; with v sorted descending and the k largest active it is s^2 A_k - 2 s a B_k + k a^2
    (A_k, B_k the sums of v_i^2 and v_i), so the root is the larger root of the quadratic on
    the first piece that holds it: an exact 1-D root find (Ndiaye et al. 2016)."""
    cdef Py_ssize_t k, n_pos = 0
    cdef double A = 0.0, B = 0.0, v, s, disc
    for k in range(m):
        v = q[k] if positive else fabs(q[k])
        if v > 0.0:
            work[n_pos] = v
            n_pos += 1
    if n_pos == 0:
        return INFINITY
    qsort(work, n_pos, sizeof(double), _descending)
    if a == 0.0:
        for k in range(n_pos):
            A += work[k] * work[k]
        return c / sqrt(A)
    if c == 0.0:
        return a / work[0]
    for k in range(n_pos):
        A += work[k] * work[k]
        B += work[k]
        disc = a * a * B * B - A * ((k + 1) * a * a - c * c)
        s = (a * B + sqrt(max(disc, 0.0))) / A
        if k + 1 == n_pos or s * work[k + 1] <= a:
            return s
    return INFINITY  # not reached


cdef inline double block_conjugate(const double* q, Py_ssize_t m, double a, double c,
                                   double gam, bint positive) noexcept nogil:
    """h*(q) = max(||S_a(q)|| - c, 0)^2 / (2 gam) for gam > 0; with gam = 0 the caller keeps q
    inside the constraint (block_scale), where h* = 0."""
    cdef double excess
    if gam <= 0.0:
        return 0.0
    excess = soft_norm(q, m, a, positive) - c
    return excess * excess / (2.0 * gam) if excess > 0.0 else 0.0


cdef inline bint block_screened(const double* q, const double* col_norm, Py_ssize_t m,
                                double a, double c, bint positive, double radius) noexcept nogil:
    """Gap-safe test: True when b = 0 at every optimum, given q = X_g^T theta for a feasible
    theta within radius of the dual optimum and col_norm_j >= the columns' norms in the
    metric of that radius. Block test: ||S_a(q)|| + radius ||X_g||_F < c (S_a is
    1-Lipschitz); feature test: every |q_j| + radius ||x_j|| < a."""
    cdef Py_ssize_t k
    cdef double fro = 0.0, v
    cdef bint all_out = a > 0.0
    for k in range(m):
        fro += col_norm[k] * col_norm[k]
        v = q[k] if positive else fabs(q[k])
        if v + radius * col_norm[k] >= a:
            all_out = False
    if all_out:
        return True
    return c > 0.0 and soft_norm(q, m, a, positive) + radius * sqrt(fro) < c
