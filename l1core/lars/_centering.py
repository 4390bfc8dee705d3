"""The centered (and weighted) problem the LARS estimators solve.

With sample weights s (sum S; ones by default) and an intercept, the problem
``1/(2S) sum_i s_i (y_i - x_i.w - b)^2 + alpha ||w||_1`` is the plain Lasso of

    X~ = diag(sqrt(s)) (X - 1 xbar^T),   y~ = sqrt(s) (y - ybar),   n_samples = S

(xbar, ybar the weighted means; b = ybar - xbar.w). Dense X is transformed in one copy (as
scikit-learn's ``copy_X=True``: the Gram and correlations then lose no digits to large
column means). Sparse X is never densified or centered: its rows are scaled in a copy of the
stored values only when weights are given, and the kernel reads x~_j = z_j - xbar_j sqrt(s)
implicitly (``xbar``, ``q``).
"""

from typing import NamedTuple

import numpy as np
import scipy.sparse as sp

__all__ = ["Centered", "center_problem", "centered_gram"]


class Centered(NamedTuple):
    X: object            # the design the kernel reads
    xbar: object         # column means for the kernel's implicit centering, or None
    q: object            # sqrt(weights) for that centering (None: ones)
    y: np.ndarray        # y~
    x_offset: np.ndarray
    y_offset: float
    n_samples: float     # S
    max_active: int      # the rank bound: positive weights, minus one with an intercept


def center_problem(X, storage, y, fit_intercept, sample_weight=None):
    """The transformed problem (see the module docstring) as a :class:`Centered`."""
    n, p = X.shape
    y = np.asarray(y, dtype=np.float64)
    sw = None if sample_weight is None else np.asarray(sample_weight, dtype=np.float64)
    S = float(n if sw is None else sw.sum())
    rank = int(n if sw is None else np.count_nonzero(sw)) - int(bool(fit_intercept))
    q = None if sw is None else np.sqrt(sw)
    if fit_intercept:
        y_offset = float(np.mean(y) if sw is None else sw @ y / S)
        if storage == "dense":
            x_offset = (X.mean(axis=0, dtype=np.float64) if sw is None
                        else (sw @ X) / S)
        else:
            x_offset = np.asarray((X.sum(axis=0) if sw is None else X.T @ sw),
                                  dtype=np.float64).ravel() / S
    else:
        y_offset, x_offset = 0.0, np.zeros(p)
    yc = y - y_offset if q is None else q * (y - y_offset)
    if storage == "dense":
        if fit_intercept or q is not None:
            Xc = X - x_offset.astype(X.dtype)
            Xc = np.asfortranarray(Xc if q is None else q.astype(X.dtype)[:, None] * Xc)
        else:
            Xc = X
        return Centered(Xc, None, None, yc, x_offset, y_offset, S, rank)
    Z = X
    if q is not None:   # a copy of the stored values, rows scaled; structure kept
        Z = (sp.csr_matrix(X) if storage == "csr" else sp.csc_matrix(X)).copy()
        rows = (np.repeat(np.arange(n), np.diff(Z.indptr)) if storage == "csr"
                else Z.indices[: Z.indptr[-1]])
        Z.data = Z.data[: Z.indptr[-1]] * q[rows].astype(Z.dtype)
    return Centered(Z, x_offset if fit_intercept else None, q, yc, x_offset, y_offset, S, rank)


def centered_gram(X, xbar, n_samples):
    """X~^T X~ as a dense float64 (p, p) array (sparse X: Z^T Z - S xbar xbar^T)."""
    if sp.issparse(X):
        G = np.asarray((X.T @ X).toarray(), dtype=np.float64)
        if xbar is not None:
            G -= n_samples * np.outer(xbar, xbar)
        return G
    return np.asarray(X.T @ X, dtype=np.float64)
