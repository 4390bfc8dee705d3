"""``group_logistic_path``: the sparse-group logistic model along a grid of alphas,
warm-started (coefficients and intercept), each solve certified by its duality gap."""

from __future__ import annotations

import time

import numpy as np

from .._path import path_alphas
from .._path_result import PathResult, explained
from .._typing import ArrayLike, GroupSpec, MatrixLike
from ._problem import GroupLogisticProblem

__all__ = ["group_logistic_path"]


def group_logistic_path(X: MatrixLike, y: ArrayLike, *, groups: GroupSpec = None,
                        l1_ratio: float = 0.0, weights: float | ArrayLike | None = None,
                        eps: float = 1e-3, n_alphas: int = 100, alphas: ArrayLike | None = None,
                        sample_weight: ArrayLike | None = None, fit_intercept: bool = True,
                        tol: float = 1e-4, max_iter: int = 1000, screening: bool = True,
                        return_intercept: bool = False, warn: bool = True) -> PathResult:
    """Solve :class:`l1core.GroupLogisticRegression`'s problem at each alpha (default:
    ``n_alphas`` log-spaced from the exact alpha_max down to ``eps * alpha_max``), each solve
    warm-started from the previous one. y: labels of two classes (``np.unique(y)[1]`` is the
    positive one).

    Returns a :class:`l1core.PathResult` unpacking as ``(alphas, coefs (n_features,
    n_alphas), dual_gaps, n_iters)`` (and the intercepts with ``return_intercept=True``);
    ``deviance_explained`` is ``1 - loss / P_null`` (one product X w per alpha).

    Examples
    --------
    >>> import numpy as np
    >>> from l1core import group_logistic_path
    >>> rng = np.random.default_rng(0)
    >>> X = rng.standard_normal((200, 12))
    >>> y = (X[:, :3] @ [2.0, -2.0, 1.0] + 0.5 * rng.standard_normal(200) > 0).astype(int)
    >>> alphas, coefs, gaps, n_iters = group_logistic_path(X, y, groups=3, n_alphas=4)
    >>> [np.flatnonzero(coefs[:, k].reshape(4, 3).any(axis=1)).tolist() for k in range(4)]
    [[], [0], [0, 1, 2, 3], [0, 1, 2, 3]]
    """
    problem = GroupLogisticProblem(X, y, groups=groups, weights=weights, l1_ratio=l1_ratio,
                                   sample_weight=sample_weight, fit_intercept=fit_intercept)
    # l1_ratio=1 for path_alphas: the group alpha_max is finite at every l1_ratio
    alphas = path_alphas(alphas, 1.0, problem.alpha_max, n_alphas, eps)
    k_alphas = alphas.size
    coefs = np.zeros((problem.n_features, k_alphas), dtype=problem.X.dtype)
    gaps, seconds, loss = np.zeros(k_alphas), np.zeros(k_alphas), np.zeros(k_alphas)
    n_iters, intercepts = np.zeros(k_alphas, np.int64), np.zeros(k_alphas)
    w = b = None
    for k, alpha in enumerate(alphas):
        start = time.perf_counter()
        sol = problem.solve(alpha, w=w, intercept=b, tol=tol, max_iter=max_iter,
                            screening=screening, warn=warn)
        seconds[k] = time.perf_counter() - start
        coefs[:, k] = sol.coef
        gaps[k], n_iters[k], intercepts[k] = sol.dual_gap, sol.n_iter, sol.intercept
        z = np.asarray(problem.X @ sol.coef.astype(np.float64)).ravel() + sol.intercept
        loss[k] = problem.sw @ np.logaddexp(0.0, -problem.y * z)
        w, b = sol.coef, sol.intercept
    returned = ("alphas", "coefs", "dual_gaps", "n_iters") + ("intercepts",) * bool(
        return_intercept)
    return PathResult(returned, alphas=alphas, coefs=coefs, dual_gaps=gaps, n_iters=n_iters,
                      intercepts=intercepts, seconds=seconds,
                      deviance_explained=explained(loss, problem.p_null),
                      groups=(problem.ptr, problem.feat))
