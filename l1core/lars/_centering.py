"""The centered problem the LARS estimators solve: X and y centered when an intercept is fitted.

Dense X is centered explicitly (one copy, as scikit-learn's ``copy_X=True``: the Gram and
the correlations then lose no digits to large column means); sparse X is never densified or
centered: its column means go to the kernel, which reads x_j - xbar_j implicitly.
"""

import numpy as np
import scipy.sparse as sp

__all__ = ["center_problem", "centered_gram"]


def center_problem(X, storage, y, fit_intercept):
    """(X_used, xbar_for_kernel or None, y_centered, X_offset, y_offset)."""
    n, p = X.shape
    if not fit_intercept:
        return X, None, np.asarray(y, dtype=np.float64), np.zeros(p), 0.0
    y_offset = float(np.mean(y))
    yc = np.asarray(y, dtype=np.float64) - y_offset
    if storage == "dense":
        x_offset = X.mean(axis=0, dtype=np.float64)
        Xc = np.asfortranarray(X - x_offset.astype(X.dtype))     # the copy: see module doc
        return Xc, None, yc, x_offset, y_offset
    x_offset = np.asarray(X.sum(axis=0), dtype=np.float64).ravel() / n
    return X, x_offset, yc, x_offset, y_offset


def centered_gram(X, xbar):
    """X~^T X~ as a dense float64 (p, p) array (sparse X: X^T X - n xbar xbar^T)."""
    if sp.issparse(X):
        G = np.asarray((X.T @ X).toarray(), dtype=np.float64)
        if xbar is not None:
            G -= X.shape[0] * np.outer(xbar, xbar)
        return G
    return np.asarray(X.T @ X, dtype=np.float64)
