"""Compiled proximal operators on contiguous NumPy buffers (float32 or float64), GIL released.

Each is a single pass (or two: a norm, then a scaling) over the data; l1core/prox/ validates,
broadcasts and dispatches, and computes in float64 only where a sum is accumulated.

- ``soft_threshold``: out_i = scale * sign(x_i) max(|x_i| - t_i, 0) (t scalar or per entry);
  scale = 1 / (1 + l2) is the elastic-net prox.
- ``group_shrink``: out_g <- max(1 - t_g / ||out_g||, 0) out_g for blocks given as
  ``(ptr, feat)`` (l1core/_groups.py), in place on ``out``.
- ``row_shrink``: the same on the rows of a C-contiguous 2-D array (the L2,1 prox).
- ``sparse_group_dual_norm``: max_g of the Sparse-Group dual norm of each block
  (block_scale of block_penalty.pxd, the exact root find of Ndiaye et al. 2016).
- ``tv1d``: the prox of lam * sum_i |x_{i+1} - x_i| by Condat (2013)'s direct algorithm,
  O(n) in practice, exact (no iteration, no tolerance). In place (out = y) is allowed: the
  algorithm writes out[k] only after its last read of y[k]. ``tv1d_rows``: the same on every
  row of a C-contiguous float64 2-D array (the blocks of the 2-D TV prox).
"""

from libc.math cimport copysign, fabs, fmax, sqrt
from libc.stdlib cimport free, malloc

from column_ops cimport floating
from block_penalty cimport block_scale


def soft_threshold(const floating[::1] x, const double[::1] t, floating[::1] out, double scale):
    """Branch-free (random signs would defeat branch prediction); t of length 1 or n.
    "+ 0.0" turns the -0 of copysign into +0."""
    cdef Py_ssize_t i, n = x.shape[0]
    cdef double ti = t[0], v
    with nogil:
        if t.shape[0] == 1:
            for i in range(n):
                v = fabs(x[i]) - ti
                out[i] = <floating>(copysign(fmax(v, 0.0) * scale, x[i]) + 0.0)
        else:
            for i in range(n):
                v = fabs(x[i]) - t[i]
                out[i] = <floating>(copysign(fmax(v, 0.0) * scale, x[i]) + 0.0)


def group_shrink(floating[::1] out, const Py_ssize_t[::1] ptr, const Py_ssize_t[::1] feat,
                 const double[::1] t):
    cdef Py_ssize_t g, k, n_groups = ptr.shape[0] - 1
    cdef double norm2, shrink
    with nogil:
        for g in range(n_groups):
            norm2 = 0.0
            for k in range(ptr[g], ptr[g + 1]):
                norm2 += <double>out[feat[k]] * out[feat[k]]
            if norm2 == 0.0 or t[g] == 0.0:
                continue
            shrink = 1.0 - t[g] / sqrt(norm2)
            if shrink < 0.0:
                shrink = 0.0
            for k in range(ptr[g], ptr[g + 1]):
                out[feat[k]] = <floating>(out[feat[k]] * shrink)


def row_shrink(const floating[:, ::1] x, const double[::1] t, floating[:, ::1] out):
    cdef Py_ssize_t i, j, n = x.shape[0], m = x.shape[1]
    cdef bint scalar = t.shape[0] == 1
    cdef double norm2, shrink, ti = t[0]
    with nogil:
        for i in range(n):
            if not scalar:
                ti = t[i]
            norm2 = 0.0
            for j in range(m):
                norm2 += <double>x[i, j] * x[i, j]
            shrink = 1.0 - ti / sqrt(norm2) if norm2 > 0.0 else 0.0
            if shrink < 0.0:
                shrink = 0.0
            for j in range(m):
                out[i, j] = <floating>(x[i, j] * shrink)


def sparse_group_dual_norm(const double[::1] q, const Py_ssize_t[::1] ptr,
                           const Py_ssize_t[::1] feat, const double[::1] a,
                           const double[::1] c):
    """max_g 1 / s_g, s_g the largest s with ||S_{a_g}(s q_g)||_2 <= c_g (0 for q = 0)."""
    cdef Py_ssize_t g, k, m, n_groups = ptr.shape[0] - 1, longest = 1
    cdef double worst = 0.0, s
    cdef double* block
    cdef double* work
    for g in range(n_groups):
        longest = max(longest, ptr[g + 1] - ptr[g])
    block = <double*>malloc(2 * longest * sizeof(double))
    if block == NULL:
        raise MemoryError()
    work = block + longest
    with nogil:
        for g in range(n_groups):
            m = ptr[g + 1] - ptr[g]
            for k in range(m):
                block[k] = q[feat[ptr[g] + k]]
            s = block_scale(block, m, a[g], c[g], False, work)
            if 1.0 / s > worst:
                worst = 1.0 / s
    free(block)
    return worst


def tv1d(const floating[::1] y, double lam, floating[::1] out):
    """out <- prox of lam TV at y (out may be y)."""
    if y.shape[0] > 0:
        with nogil:
            _condat(&y[0], y.shape[0], lam, &out[0])


def tv1d_rows(const double[:, ::1] y, double lam, double[:, ::1] out):
    """out[i] <- prox of lam TV at the row y[i], every row (out may be y)."""
    cdef Py_ssize_t i, m = y.shape[0], n = y.shape[1]
    if n > 0:
        with nogil:
            for i in range(m):
                _condat(&y[i, 0], n, lam, &out[i, 0])


cdef void _condat(const floating* y, Py_ssize_t n, double lam, floating* out) noexcept nogil:
    """Condat's algorithm (the paper's pseudo-code, his reference C code's variable names):
    the current segment starts at k0, [vmin, vmax] bounds its value, umin / umax are the
    dual variable's running bounds, kminus / kplus the last positions where they were
    attained."""
    cdef Py_ssize_t k = 0, k0 = 0, kplus = 0, kminus = 0
    cdef double umin, umax, vmin, vmax, twolam = 2.0 * lam, minlam = -lam
    if True:
        umin = lam
        umax = minlam
        vmin = y[0] - lam
        vmax = y[0] + lam
        while True:
            while k == n - 1:                       # the right boundary
                if umin < 0.0:                      # vmin too high: negative jump
                    while True:
                        out[k0] = <floating>vmin
                        k0 += 1
                        if k0 > kminus:
                            break
                    k = kminus = k0
                    vmin = y[k0]
                    umin = lam
                    umax = vmin + umin - vmax
                elif umax > 0.0:                    # vmax too low: positive jump
                    while True:
                        out[k0] = <floating>vmax
                        k0 += 1
                        if k0 > kplus:
                            break
                    k = kplus = k0
                    vmax = y[k0]
                    umax = minlam
                    umin = vmax + umax - vmin
                else:
                    vmin += umin / (k - k0 + 1)
                    while k0 <= k:
                        out[k0] = <floating>vmin
                        k0 += 1
                    return
            umin += y[k + 1] - vmin
            if umin < minlam:                       # negative jump
                while True:
                    out[k0] = <floating>vmin
                    k0 += 1
                    if k0 > kminus:
                        break
                k = kplus = kminus = k0
                vmin = y[k0]
                vmax = vmin + twolam
                umin = lam
                umax = minlam
                continue
            umax += y[k + 1] - vmax
            if umax > lam:                          # positive jump
                while True:
                    out[k0] = <floating>vmax
                    k0 += 1
                    if k0 > kplus:
                        break
                k = kplus = kminus = k0
                vmax = y[k0]
                vmin = vmax - twolam
                umin = lam
                umax = minlam
                continue
            k += 1                                  # no jump: extend the segment
            if umin >= lam:
                kminus = k
                vmin += (umin - lam) / (kminus - k0 + 1)
                umin = lam
            if umax <= minlam:
                kplus = k
                vmax += (umax + lam) / (kplus - k0 + 1)
                umax = minlam


def fused_prox(const floating[::1] y, double tv_lam, double l1_lam, floating[::1] out):
    """out <- the prox of ``l1_lam ||u||_1 + tv_lam TV(u)`` at y (out may be y): Condat's TV
    prox, then soft-thresholding by l1_lam, which is exact for the composite penalty
    (Friedman, Hastie, Hoefling & Tibshirani 2007, Proposition 1)."""
    cdef Py_ssize_t i, n = y.shape[0]
    cdef double v
    if n == 0:
        return
    with nogil:
        _condat(&y[0], n, tv_lam, &out[0])
        if l1_lam > 0.0:
            for i in range(n):
                v = fabs(out[i]) - l1_lam
                out[i] = <floating>(copysign(fmax(v, 0.0), out[i]) + 0.0)


cdef bint _fused_feasible(const double* Q, Py_ssize_t n, double a, double c) noexcept nogil:
    """Whether q (given by its cumulative sums Q) is u + D^T z with |u_k| <= a, |z_k| <= c.
    Summed up to k, u's partial sums U_k = Q_k + z_{k+1} must stay in [Q_k - c, Q_k + c]
    (k < n - 1), end at U_{n-1} = Q_{n-1}, and move by at most a per step: the reachable
    interval [lo, hi] of U_k is propagated forward. ``slack`` absorbs the rounding of the
    sums (a few ulps of their scale)."""
    cdef Py_ssize_t k
    cdef double lo = 0.0, hi = 0.0, slack = 1e-13 * (a + c + fabs(Q[n - 1]))
    for k in range(n - 1):
        lo = fmax(lo - a, Q[k] - c)
        hi = hi + a if hi + a < Q[k] + c else Q[k] + c
        if lo > hi + slack:
            return False
    return lo - a - slack <= Q[n - 1] <= hi + a + slack


def fused_dual_norm(const double[::1] q, double a, double c):
    """The gauge ``min {t >= 0 : q in t B}``, ``B = {u + D^T z : |u|_inf <= a, |z|_inf <=
    c}`` the unit ball of the fused penalty's dual (a > 0, c >= 0), by bisection on t of
    the O(n) feasibility test (geometric, to a relative 1e-12): returns the bracket's
    feasible end, so q / t is in B (up to the test's rounding slack).
    Bracket: |q_k| <= t (a + 2c) is necessary, ||q||_inf <= t a sufficient."""
    cdef Py_ssize_t k, n = q.shape[0], it
    cdef double qmax = 0.0, lo, hi, mid
    cdef double* Q
    if n == 0:
        return 0.0
    Q = <double*>malloc(n * sizeof(double))
    if Q == NULL:
        raise MemoryError()
    with nogil:
        Q[0] = q[0]
        qmax = fabs(q[0])
        for k in range(1, n):
            Q[k] = Q[k - 1] + q[k]
            qmax = fmax(qmax, fabs(q[k]))
        hi = qmax / a
        lo = qmax / (a + 2.0 * c)
        if qmax == 0.0 or c == 0.0:
            lo = hi
        elif _fused_feasible(Q, n, lo * a, lo * c):
            hi = lo
        for it in range(200):
            if hi <= lo * (1.0 + 1e-12):
                break
            mid = sqrt(lo * hi)
            if _fused_feasible(Q, n, mid * a, mid * c):
                hi = mid
            else:
                lo = mid
    free(Q)
    return hi
