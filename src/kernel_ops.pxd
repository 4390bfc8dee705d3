# Loss-independent helpers shared by the kernels: the separable penalty of design.md section 2
#     h(w) = a |w| + c w^2 / 2 + [lo <= w <= hi]
# (its value, proximal coordinate step and convex conjugate) and the ranking of features for
# working sets. Scalars in, scalars out: no storage, no problem structs.

from libc.math cimport fabs, INFINITY


cdef inline double clip(double x, double lo, double hi) noexcept nogil:
    if x < lo:
        return lo
    if x > hi:
        return hi
    return x


cdef inline double penalty_value(double a, double c, double w) noexcept nogil:
    return a * fabs(w) + 0.5 * c * w * w


cdef inline double prox_step(double zeta, double hess, double a, double c, double lo,
                             double hi) noexcept nogil:
    """argmin_w hess/2 w^2 - zeta w + h(w): soft-threshold, shrink, clip (hess + c > 0)."""
    cdef double w
    if zeta > a:
        w = (zeta - a) / (hess + c)
    elif zeta < -a:
        w = (zeta + a) / (hess + c)
    else:
        w = 0.0
    return clip(w, lo, hi)


cdef inline double penalty_conjugate(double a, double c, double lo, double hi,
                                     double q) noexcept nogil:
    """h*(q) = sup_w q w - h(w), for a q that satisfies any infinite side of the constraint
    (|q| <= a on an unbounded side when c = 0: the caller scales the dual point so)."""
    cdef double wstar
    if c > 0.0:
        wstar = prox_step(q, 0.0, a, c, lo, hi)
        return q * wstar - a * fabs(wstar) - 0.5 * c * wstar * wstar
    if q > a and hi < INFINITY:
        wstar = hi
    elif q < -a and lo > -INFINITY:
        wstar = lo
    else:
        wstar = clip(0.0, lo, hi)
    return q * wstar - a * fabs(wstar)


cdef inline double constraint_scale(double t, double a, double c, double lo, double hi,
                                    double q) noexcept nogil:
    """min(t, largest s with s*q inside the infinite sides of h*'s domain)."""
    if c > 0.0:
        return t
    if q > a and hi == INFINITY:
        return min(t, a / q)
    if q < -a and lo == -INFINITY:
        return min(t, -a / q)
    return t


cdef struct Ranked:
    double key
    Py_ssize_t idx


cdef inline void select_smallest(Ranked* a, Py_ssize_t n, Py_ssize_t m) noexcept nogil:
    """Partition a so that its m smallest keys (ties: smaller idx) come first (quickselect)."""
    cdef Py_ssize_t lo = 0, hi = n - 1, i, j, mid
    cdef Ranked pivot, tmp
    if m <= 0 or m >= n:
        return
    while lo < hi:
        mid = lo + (hi - lo) // 2
        pivot = a[mid]
        i = lo
        j = hi
        while i <= j:
            while a[i].key < pivot.key or (a[i].key == pivot.key and a[i].idx < pivot.idx):
                i += 1
            while a[j].key > pivot.key or (a[j].key == pivot.key and a[j].idx > pivot.idx):
                j -= 1
            if i <= j:
                tmp = a[i]
                a[i] = a[j]
                a[j] = tmp
                i += 1
                j -= 1
        if m - 1 <= j:
            hi = j
        elif m - 1 >= i:
            lo = i
        else:
            return


cdef extern from "stdlib.h":
    void qsort(void* base, size_t nmemb, size_t size,
               int (*compar)(const void*, const void*) noexcept nogil) nogil


cdef inline int _compare_index(const void* x, const void* y) noexcept nogil:
    cdef Py_ssize_t u = (<const Py_ssize_t*>x)[0], v = (<const Py_ssize_t*>y)[0]
    return (u > v) - (u < v)


cdef inline void sort_indices(Py_ssize_t* idx, Py_ssize_t m) noexcept nogil:
    qsort(idx, m, sizeof(Py_ssize_t), _compare_index)
