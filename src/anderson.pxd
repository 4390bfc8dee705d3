# Anderson acceleration of a fixed-point sequence (here: coordinate descent epochs).
#
# Given K+1 successive iterates x_0..x_K (rows of hist, each of length m), let
# U = [x_1 - x_0, ..., x_K - x_{K-1}] and z solve (U^T U) z = 1; then c = z / sum(z) and the
# extrapolated point sum_k c_k x_{k+1} is the affine combination of the last K iterates whose
# residual is smallest (Anderson 1965; used for CD by Bertrand & Massias, skglm). The caller
# accepts it only if it lowers the objective, so the safeguard keeps descent.

from libc.math cimport fabs, isfinite

DEF MAX_K = 8


cdef inline bint anderson_coefficients(const double* hist, Py_ssize_t m, Py_ssize_t K,
                                       double* c) noexcept nogil:
    """Fill c[0..K) with the extrapolation weights of the last K iterates; False if the
    system is degenerate (then the caller skips the extrapolation)."""
    cdef double G[MAX_K][MAX_K + 1]
    cdef Py_ssize_t i, k, l, row, piv
    cdef double s, ridge = 0.0, best, f, total
    if K > MAX_K or K < 1:
        return False
    for k in range(K):
        for l in range(k, K):
            s = 0.0
            for i in range(m):
                s += ((hist[(k + 1) * m + i] - hist[k * m + i])
                      * (hist[(l + 1) * m + i] - hist[l * m + i]))
            G[k][l] = s
            G[l][k] = s
        ridge += G[k][k]
    if not ridge > 0.0:
        return False
    ridge *= 1e-10 / K
    for k in range(K):
        G[k][k] += ridge
        G[k][K] = 1.0
    # Gaussian elimination with partial pivoting on the augmented K x (K+1) system
    for k in range(K):
        piv = k
        best = fabs(G[k][k])
        for row in range(k + 1, K):
            if fabs(G[row][k]) > best:
                best = fabs(G[row][k])
                piv = row
        if best == 0.0:
            return False
        if piv != k:
            for l in range(K + 1):
                G[k][l], G[piv][l] = G[piv][l], G[k][l]
        for row in range(k + 1, K):
            f = G[row][k] / G[k][k]
            for l in range(k, K + 1):
                G[row][l] -= f * G[k][l]
    total = 0.0
    for k in range(K - 1, -1, -1):
        s = G[k][K]
        for l in range(k + 1, K):
            s -= G[k][l] * c[l]
        c[k] = s / G[k][k]
        total += c[k]
    if not isfinite(total) or total == 0.0:
        return False
    for k in range(K):
        c[k] /= total
    return True
