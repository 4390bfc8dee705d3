"""Coefficients between knots: the LARS-Lasso solution is linear in alpha between them."""

from __future__ import annotations

import numpy as np

from .._typing import ArrayLike

__all__ = ["coef_at_alpha"]


def coef_at_alpha(alphas: ArrayLike, coefs: np.ndarray, alpha: ArrayLike) -> np.ndarray:
    """Coefficients at ``alpha`` (a number or an array) on a path with knots ``alphas``
    (decreasing) and ``coefs`` (n_features, n_knots): for ``alphas[k] >= alpha >= alphas[k+1]``

        w(alpha) = w_k + (alphas[k] - alpha) / (alphas[k] - alphas[k+1]) * (w_{k+1} - w_k),

    ``coefs[:, 0]`` above the first knot and ``coefs[:, -1]`` below the last.
    Returns (n_features,) for a number, (n_features, len(alpha)) for an array.

    Examples
    --------
    >>> import numpy as np
    >>> from l1core.lars import coef_at_alpha
    >>> coef_at_alpha(np.array([2.0, 1.0, 0.0]), np.array([[0.0, 1.0, 3.0]]), 0.5)
    array([2.])
    """
    alphas = np.asarray(alphas, dtype=np.float64)
    scalar = np.ndim(alpha) == 0
    a = np.atleast_1d(np.asarray(alpha, dtype=np.float64))
    if not np.all(np.isfinite(a)):
        raise ValueError(f"alpha must be finite, got {alpha!r}.")
    # descending knots: k = the last knot with alphas[k] >= a
    k = np.searchsorted(-alphas, -a, side="right") - 1
    k = np.clip(k, 0, len(alphas) - 1)
    nxt = np.minimum(k + 1, len(alphas) - 1)
    span = alphas[k] - alphas[nxt]
    with np.errstate(divide="ignore", invalid="ignore"):
        t = np.where(span > 0, (alphas[k] - a) / np.where(span > 0, span, 1.0), 0.0)
    t = np.clip(t, 0.0, 1.0)
    out = coefs[:, k] + t * (coefs[:, nxt] - coefs[:, k])
    return out[:, 0] if scalar else out
