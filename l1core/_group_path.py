"""``group_lasso_path``: the sparse-group elastic net along a grid of alphas, warm-started."""

from __future__ import annotations

import time

import numpy as np
import scipy.sparse as sp

from ._group_solver import GroupProblem
from ._parallel import interrupt_context
from ._path import path_alphas
from ._path_result import PathResult, explained
from ._progress import Progress, solve_text
from ._typing import ArrayLike, GroupSpec, MatrixLike, Verbose

__all__ = ["group_lasso_path"]


def group_lasso_path(X: MatrixLike, y: ArrayLike, *, groups: GroupSpec = None,
                     l1_ratio: float = 0.0, weights: float | ArrayLike | None = None,
                     gamma: float = 0.0, eps: float = 1e-3, n_alphas: int = 100,
                     alphas: ArrayLike | None = None, sample_weight: ArrayLike | None = None,
                     positive: bool = False, fit_intercept: bool = True, tol: float = 1e-4,
                     max_iter: int = 1000, screening: bool = True,
                     return_intercept: bool = False, sparse_coefs: bool = False,
                     warn: bool = True, check_input: bool = True,
                     verbose: Verbose = False) -> PathResult:
    """Solve at each alpha (default: ``n_alphas`` log-spaced from the exact alpha_max down to
    ``eps * alpha_max``; an int ``alphas`` is ``n_alphas``), each solve warm-started from the
    previous one and certified.

    Returns a :class:`l1core.PathResult` unpacking as ``(alphas, coefs (n_features,
    n_alphas), dual_gaps, n_iters)`` and, with ``return_intercept=True``, the intercepts too.
    Its ``n_nonzero`` counts nonzero coefficients, ``n_groups_nonzero`` nonzero groups;
    ``deviance_explained`` is ``1 - sum_i s_i r_i^2 / sum_i s_i (y_i - ybar)^2`` (r the
    kernel's final residual y - X w - b: no pass over X).

    X is validated once and read in place (``check_input=False``: X must already be as
    ``check_design`` returns it). ``sparse_coefs``: coefs as a scipy.sparse CSC array.
    ``warn=False`` raises no ConvergenceWarning (the caller compares dual_gaps with its
    tolerance). ``verbose``: progress on stderr, one line per alpha (as :func:`enet_path`).
    Between two alphas the path stops (KeyboardInterrupt) when the task group it runs in
    (cross-validation threads) was interrupted.

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
                           fit_intercept=fit_intercept, check_input=check_input)
    # l1_ratio=1 for path_alphas: the group alpha_max is finite at every l1_ratio
    alphas = path_alphas(alphas, 1.0, problem.alpha_max, n_alphas, eps)
    n, p = problem.X.shape
    k_alphas = alphas.size
    supports = []
    coefs = None if sparse_coefs else np.zeros((p, k_alphas), dtype=problem.X.dtype)
    gaps, seconds, deviance = np.zeros(k_alphas), np.zeros(k_alphas), np.zeros(k_alphas)
    n_iters, intercepts = np.zeros(k_alphas, np.int64), np.zeros(k_alphas)
    progress = verbose if isinstance(verbose, Progress) else Progress(verbose, k_alphas)
    stop, _ = interrupt_context()
    residual = np.empty(n)
    w = None
    for k, alpha in enumerate(alphas):
        if stop is not None and stop[0]:
            raise KeyboardInterrupt
        start = time.perf_counter()
        sol = problem.solve(alpha, w=w, tol=tol, max_iter=max_iter, screening=screening,
                            warn=warn, residual=residual)
        seconds[k] = time.perf_counter() - start
        support = np.flatnonzero(sol.coef)
        if sparse_coefs:
            supports.append((support, sol.coef[support]))
        else:
            coefs[:, k] = sol.coef
        gaps[k], n_iters[k], intercepts[k] = sol.dual_gap, sol.n_iter, sol.intercept
        deviance[k] = problem.sw @ (residual * residual)     # the kernel's y - Xw - b
        progress.step(solve_text(alpha, sol.dual_gap, sol.n_iter, seconds[k]))
        w = sol.coef
    if sparse_coefs:
        indptr = np.concatenate([[0], np.cumsum([s.size for s, _ in supports])])
        coefs = sp.csc_array((np.concatenate([c for _, c in supports]).astype(problem.X.dtype),
                              np.concatenate([s for s, _ in supports]), indptr),
                             shape=(p, k_alphas))
    returned = ("alphas", "coefs", "dual_gaps", "n_iters") + ("intercepts",) * bool(
        return_intercept)
    return PathResult(returned, alphas=alphas, coefs=coefs, dual_gaps=gaps, n_iters=n_iters,
                      intercepts=intercepts, seconds=seconds,
                      deviance_explained=explained(deviance, problem.sw @ problem.ytil ** 2),
                      groups=(problem.ptr, problem.feat))
