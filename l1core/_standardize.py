"""glmnet's ``standardize``: penalize the coefficients of unit-variance columns, return them
on the original scale, without a scaled copy of X.

With column scales ``d_j`` (below), the standardized problem penalizes ``u_j = d_j w_j``:

    P~(u, b) = F(X~ u + b) + alpha sum_j v_j (l1_ratio |u_j| + (1 - l1_ratio)/2 u_j^2),

``X~ = X diag(1/d)``. Substituting ``u = d w`` gives the same objective in the original
coefficients with the per-feature penalty terms

    a_j = alpha l1_ratio v_j d_j,    c_j = alpha (1 - l1_ratio) v_j d_j^2,

so the kernels solve it in place on X: ``penalty_factor`` ``v_j d_j`` (the L1 part) and
``ridge_factor`` ``v_j d_j^2`` (the ridge part). Bounds apply to the returned (original-scale)
coefficients, as glmnet's ``lower.limits``/``upper.limits`` do. P~(d w) = P(w) term by term,
so the duality gap of the solve is exactly that of the standardized problem: ``dual_gap_``
certifies ``P~(u) - min P~``, and so ``P(w) - min P``, with the same stopping rule.

The scales are glmnet's: the weighted standard deviation with the 1/S divisor,

    d_j = sqrt(sum_i s_i (x_ij - xbar_j)^2 / S),

``xbar_j`` the weighted mean when an intercept is fitted, 0 without (glmnet's ``intercept=
FALSE`` scales by the root mean square). A column with ``d_j`` zero, or below 64 ulps of its
mean (constant up to rounding), is pinned at 0 (its bounds become [0, 0]), as glmnet drops
constant columns.
"""

import numpy as np
import scipy.sparse as sp

from ._design_ops import xt_dot

__all__ = ["column_scales", "standardized_penalty"]

# Values per block of the scale computation (bounds its temporaries).
_BLOCK_VALUES = 1 << 16


def column_scales(X, weights, fit_intercept):
    """(d, constant): the scales ``d_j`` of the module docstring for normalized weights
    (summing to 1) and the boolean mask of the constant columns (their ``d_j`` set to 1).

    Two passes (mean, then squared deviations: no cancellation for large means). X is read in
    place, never copied: dense X in blocks of columns, sparse X in blocks of its compressed
    axis (columns of CSC, rows of CSR), each block's temporaries at most ``_BLOCK_VALUES``
    float64 values."""
    n, p = X.shape
    xbar = np.asarray(xt_dot(X, weights), dtype=np.float64) if fit_intercept else np.zeros(p)
    var = np.zeros(p)
    if sp.issparse(X):
        stored = np.zeros(p)              # sum of the weights of each column's stored rows
        for major, data, minor in _compressed_blocks(X):
            if X.format == "csc":
                cols, w = major, weights[minor]
            else:
                cols, w = minor, weights[major]
            dev = data - xbar[cols]
            var += np.bincount(cols, weights=w * dev * dev, minlength=p)
            stored += np.bincount(cols, weights=w, minlength=p)
        var += xbar * xbar * np.maximum(1.0 - stored, 0.0)   # the unstored zeros: -xbar_j
    else:
        step = max(1, _BLOCK_VALUES // max(n, 1))
        for start in range(0, p, step):
            block = slice(start, min(start + step, p))
            dev = np.subtract(X[:, block], xbar[block], dtype=np.float64)
            var[block] = weights @ (dev * dev)
    d = np.sqrt(var)
    constant = ~(d > 64 * np.finfo(np.float64).eps * np.abs(xbar))
    d[constant] = 1.0
    return d, constant


def _compressed_blocks(X):
    """(major index of each value, values, minor indices) of a CSC/CSR matrix, in blocks of
    consecutive major slices holding about ``_BLOCK_VALUES`` values (views of X's arrays,
    except the major indices)."""
    indptr = X.indptr
    n_major = indptr.shape[0] - 1
    start = 0
    while start < n_major:
        stop = int(np.searchsorted(indptr, indptr[start] + _BLOCK_VALUES, side="right")) - 1
        stop = min(max(stop, start + 1), n_major)
        lo, hi = indptr[start], indptr[stop]
        major = np.repeat(np.arange(start, stop), np.diff(indptr[start:stop + 1]))
        yield major, X.data[lo:hi], X.indices[lo:hi]
        start = stop


def standardized_penalty(X, weights, fit_intercept, penalty_factor, lower, upper, l1_ratio):
    """(penalty_factor, ridge_factor, lower, upper) of the standardized problem solved on X:
    ``v d``, ``v d^2`` (None for the Lasso, whose ridge part is zero) and the bounds with the
    constant columns pinned at 0. New arrays of length p; the inputs are not modified."""
    p = X.shape[1]
    d, constant = column_scales(X, weights, fit_intercept)
    v = np.broadcast_to(penalty_factor, p)
    factor = v * d
    ridge = v * d * d if l1_ratio < 1.0 else None
    lower = np.array(np.broadcast_to(lower, p), dtype=np.float64)
    upper = np.array(np.broadcast_to(upper, p), dtype=np.float64)
    lower[constant] = 0.0
    upper[constant] = 0.0
    return factor, ridge, lower, upper
