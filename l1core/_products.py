"""``X @ w`` and ``X^T u`` in float64 for the Python-level solvers (FISTA, the fused solver),
reading X in its own dtype: NumPy and scipy multiply a float32 X by a float64 vector by first
making a float64 copy of X (twice its memory, at every product); ``xt_dot`` reads float32 X
as it is and accumulates in double (``X @ w`` as ``(X^T)^T w``: X^T is a free view). float64
X goes through NumPy / scipy (BLAS), no copy either way."""

import numpy as np

from ._design_ops import xt_dot

__all__ = ["times", "transpose_times"]


def times(X, w):
    """``X @ w`` (n,) in float64, X a float32/float64 ndarray or CSC/CSR matrix."""
    w = np.asarray(w, dtype=np.float64)
    if X.dtype == np.float32:
        return xt_dot(X.T, w)
    return np.asarray(X @ w, dtype=np.float64).reshape(-1)


def transpose_times(X, u):
    """``X^T @ u`` (p,) in float64."""
    u = np.asarray(u, dtype=np.float64)
    if X.dtype == np.float32:
        return xt_dot(X, u)
    return np.asarray(X.T @ u, dtype=np.float64).reshape(-1)
