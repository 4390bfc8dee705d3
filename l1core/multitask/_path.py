"""``multitask_path``: the multi-task Elastic Net on a decreasing grid of alphas, each solve
warm-started from the previous one on the same :class:`MultiTaskProblem` (validation, column
statistics and the projection paid once; gap-safe screening inside each solve)."""

from __future__ import annotations

import time

import numpy as np

from .. import _validation as v
from .._path import path_alphas
from .._path_result import PathResult, explained
from .._typing import ArrayLike, MatrixLike
from ._problem import MultiTaskProblem
from ._strong_rule import strong_rule_solve

__all__ = ["multitask_path", "warm_started_solves"]


def multitask_path(X: MatrixLike, Y: ArrayLike, *, l1_ratio: float = 1.0, eps: float = 1e-3,
                   n_alphas: int = 100, alphas: ArrayLike | int | None = None,
                   sample_weight: ArrayLike | None = None,
                   penalty_factor: ArrayLike | None = None, fit_intercept: bool = False,
                   tol: float = 1e-4, max_iter: int = 1000, screening: bool = True,
                   coef_init: ArrayLike | None = None, return_n_iter: bool = False,
                   return_intercept: bool = False, warn: bool = True,
                   check_input: bool = True, strong_rule: bool = True) -> PathResult:
    """Multi-task Elastic Net solutions along a path of alphas (scikit-learn's ``enet_path``
    with a 2-D Y), objective of :mod:`l1core.multitask._problem`.

    Like scikit-learn's path the default fits no intercept. The default grid runs from the
    exact alpha_max (smallest alpha with W = 0) down to ``eps * alpha_max``; ``alphas`` as in
    :func:`l1core.enet_path`. ``strong_rule``: each solve's full passes read only the
    sequential strong rule's candidate rows, then one pass checks the others' KKT
    conditions (same certificate; False: every solve reads every row).

    Returns a :class:`l1core.PathResult`: ``alphas`` (n_alphas,), ``coefs`` (n_tasks,
    n_features, n_alphas) in X's dtype (scikit-learn's shape), ``dual_gaps`` (n_alphas,),
    then ``n_iters`` and ``intercepts`` (n_tasks, n_alphas) if asked; ``n_nonzero`` counts
    the rows nonzero in any task, ``coef_at(alpha)`` is (n_tasks, n_features), ``predict``
    gives (n_samples, n_tasks, n_alphas) (the path's ``n_classes`` holds n_tasks).

    Examples
    --------
    >>> import numpy as np
    >>> from l1core.multitask import multitask_path
    >>> rng = np.random.default_rng(0)
    >>> X = rng.standard_normal((50, 6))
    >>> Y = X[:, :2] @ rng.standard_normal((2, 3)) + 0.1 * rng.standard_normal((50, 3))
    >>> path = multitask_path(X, Y, n_alphas=4, fit_intercept=True)
    >>> path.coefs.shape, path.n_nonzero[:2].tolist()   # rows in the model
    ((3, 6, 4), [0, 2])
    """
    if warn is not True and warn is not False:
        raise TypeError(f"warn must be True or False, got {warn!r}.")
    problem = MultiTaskProblem(X, Y, l1_ratio=l1_ratio, sample_weight=sample_weight,
                               penalty_factor=penalty_factor, fit_intercept=fit_intercept,
                               check_input=check_input)
    alphas = path_alphas(alphas, problem.l1_ratio, problem.alpha_max, n_alphas, eps)
    T, p, n = problem.n_tasks, problem.n_features, len(alphas)
    W = None if coef_init is None else np.asarray(coef_init, dtype=np.float64)
    if W is not None and W.shape != (T, p):
        raise ValueError(f"coef_init must have shape (n_tasks, n_features) = {(T, p)}, got "
                         f"{W.shape}.")
    coefs = np.empty((T, p, n), dtype=problem.X.dtype)
    intercepts = np.empty((T, n))
    gaps, seconds, deviance = np.empty(n), np.empty(n), np.empty(n)
    n_iters = np.empty(n, dtype=np.int64)
    for k, solution, elapsed in warm_started_solves(problem, alphas, W, tol=tol,
                                                    max_iter=max_iter, screening=screening,
                                                    warn=warn, strong_rule=strong_rule):
        seconds[k] = elapsed
        coefs[:, :, k] = solution.coef
        intercepts[:, k] = solution.intercept
        gaps[k], n_iters[k] = solution.dual_gap, solution.n_iter
        R = solution.residual
        deviance[k] = float(problem.sw @ np.einsum("it,it->i", R, R))
    returned = (("alphas", "coefs", "dual_gaps") + ("n_iters",) * bool(return_n_iter)
                + ("intercepts",) * bool(return_intercept))
    null = float(problem.sw @ np.einsum("it,it->i", problem.Ytil, problem.Ytil))
    return PathResult(returned, alphas=alphas, coefs=coefs, dual_gaps=gaps, n_iters=n_iters,
                      intercepts=intercepts, seconds=seconds,
                      deviance_explained=explained(deviance, null), n_classes=T)


def warm_started_solves(problem, alphas, W=None, *, strong_rule=True, **solve_options):
    """Yield ``(k, solution, seconds)`` for each ``alphas[k]`` in order, each solve of
    :meth:`MultiTaskProblem.solve` warm-started from the previous solution (the one path loop
    of the family: :func:`multitask_path` stores the solutions, the cross-validation folds
    score them and keep none). ``strong_rule``: each solve reads only the sequential strong
    rule's candidate rows, KKT-checked (``l1core.multitask._strong_rule``)."""
    q, previous = None, None
    for k, alpha in enumerate(alphas):
        start = time.perf_counter()
        if not strong_rule:
            solution = problem.solve(alpha, W=W, **solve_options)
        else:
            if q is None:
                q = problem.correlations(problem.residual_of(W))
                previous = alpha
            solution, q = strong_rule_solve(problem, alpha, W, q, previous, **solve_options)
            previous = alpha
        W = solution.coef
        yield k, solution, time.perf_counter() - start
