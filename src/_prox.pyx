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
  algorithm writes out[k] only after its last read of y[k].
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
