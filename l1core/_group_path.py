"""``group_lasso_path``: the sparse-group elastic net along a grid of alphas, warm-started."""

from __future__ import annotations

import numpy as np

from ._group_solver import GroupProblem
from ._path import alpha_grid
from ._typing import ArrayLike, GroupSpec, MatrixLike

__all__ = ["group_lasso_path"]


def group_lasso_path(X: MatrixLike, y: ArrayLike, *, groups: GroupSpec = None,
                     l1_ratio: float = 0.0, weights: float | ArrayLike | None = None,
                     gamma: float = 0.0, eps: float = 1e-3, n_alphas: int = 100,
                     alphas: ArrayLike | None = None, sample_weight: ArrayLike | None = None,
                     positive: bool = False, fit_intercept: bool = True, tol: float = 1e-4,
                     max_iter: int = 1000, screening: bool = True,
                     return_intercept: bool = False) -> tuple:
    """Solve at each alpha (default: ``n_alphas`` log-spaced from the exact alpha_max down to
    ``eps * alpha_max``), each solve warm-started from the previous one and certified.

    Returns ``(alphas, coefs (n_features, n_alphas), dual_gaps, n_iters)`` and, with
    ``return_intercept=True``, the intercepts too. X is validated once and read in place.

    Examples
    --------
    >>> import numpy as np
    >>> from l1core import group_lasso_path
    >>> rng = np.random.default_rng(0)
    >>> X = rng.standard_normal((100, 12))
    >>> y = X[:, :3] @ [1.0, 2.0, 0.0] + 0.1 * rng.standard_normal(100)
    >>> alphas, coefs, gaps, n_iters = group_lasso_path(X, y, groups=3, n_alphas=5)
    >>> [np.flatnonzero(coefs[:, k].reshape(4, 3).any(axis=1)).tolist() for k in range(5)]
    [[], [0], [0], [0, 1, 3], [0, 1, 2, 3]]
    """
    problem = GroupProblem(X, y, groups=groups, weights=weights, l1_ratio=l1_ratio,
                           gamma=gamma, sample_weight=sample_weight, positive=positive,
                           fit_intercept=fit_intercept)
    if alphas is None:
        alphas = alpha_grid(problem.alpha_max(), n_alphas=n_alphas, eps=eps)
    alphas = np.sort(np.asarray(alphas, dtype=np.float64).ravel())[::-1]
    coefs = np.zeros((problem.n_features, alphas.size), dtype=problem.X.dtype)
    gaps, n_iters, intercepts = (np.zeros(alphas.size), np.zeros(alphas.size, int),
                                 np.zeros(alphas.size))
    w = None
    for k, alpha in enumerate(alphas):
        sol = problem.solve(alpha, w=w, tol=tol, max_iter=max_iter, screening=screening)
        coefs[:, k], gaps[k], n_iters[k], intercepts[k] = (sol.coef, sol.dual_gap, sol.n_iter,
                                                           sol.intercept)
        w = sol.coef
    out = (alphas, coefs, gaps, n_iters)
    return out + (intercepts,) if return_intercept else out
