"""glmnet's ``standardize`` on row partitions (``l1core._standardize``'s contract): the
penalty applies to ``u_j = d_j w_j``, i.e. per-feature terms ``a_j = alpha l1_ratio v_j d_j``
and ``c_j = alpha (1 - l1_ratio) v_j d_j^2`` on the original coefficients, so the certificate
of the original-scale problem is the standardized problem's gap. ``d_j`` is the weighted
standard deviation (1/S divisor, centered when an intercept is fitted) computed by two
map-reduces (means, then squared deviations: no cancellation for large means); a column
constant up to 64 ulps of its mean is pinned at 0 (bounds [0, 0]). The subproblems on the
gathered (full-length) columns run the in-memory solver with ``standardize=True``, which
computes the same scales from the same columns.
"""

import numpy as np

from . import _blocks

__all__ = ["column_scales", "standardize_loss"]


def column_scales(parts, fit_intercept):
    """(d, constant) of the module docstring (d_j = 1 where constant)."""
    (S, xs), _ = parts.reduce(_blocks.weighted_column_sums, parts.X_blocks, parts.s_blocks)
    S = float(S[0])
    xbar = xs / S if fit_intercept else np.zeros(parts.n_features)
    squares, _ = parts.reduce(_blocks.centered_squares, parts.X_blocks, parts.s_blocks,
                              broadcast=(xbar,))
    d = np.sqrt(np.maximum(squares, 0.0) / S)
    constant = ~(d > 64 * np.finfo(np.float64).eps * np.abs(xbar))
    d[constant] = 1.0
    return d, constant


def standardize_loss(loss):
    """Turn ``loss`` (squared or binary logistic, no unpenalized feature) into its
    standardized problem, in place."""
    if np.any(loss.factor == 0.0):
        raise ValueError("standardize=True with unpenalized features (penalty_factor == 0) "
                         "is not supported on Dask arrays yet.")
    d, constant = column_scales(loss.parts, loss.fit_intercept)
    loss.solver_factor = loss.factor
    loss.factor = loss.factor * d
    loss.ridge_factor = loss.solver_factor * d * d
    loss.solver_options["standardize"] = True
    if constant.any():
        p = d.shape[0]
        lower, upper = loss.bounds
        lower = np.full(p, -np.inf) if lower is None else lower.copy()
        upper = np.full(p, np.inf) if upper is None else upper.copy()
        lower[constant] = upper[constant] = 0.0
        loss.bounds = (lower, upper)
    return loss
