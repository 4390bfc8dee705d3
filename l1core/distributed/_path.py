"""alpha_max, the default alpha grid and warm-started paths on row partitions.

``alpha_max`` is computed from the statistics pass (no extra pass over X): the largest
``|x_j . theta_0| / (v_j l1_ratio)`` at the null model (intercept and unpenalized features
only), exactly as in memory. A path solves the grid from ``alpha_max`` down, each alpha
warm-started from the previous solution, its first working set seeded by the sequential
strong rule (Tibshirani et al. 2012: keep j if ``|x_j . theta| >= (2 alpha_k - alpha_{k-1})
v_j l1_ratio`` at the previous solution); each alpha is certified on the whole problem. One
statistics pass and one column cache serve the whole path.
"""

from __future__ import annotations

import time

import numpy as np

from .. import _validation as v
from .._path import alpha_grid
from .._path_result import PathResult
from .._typing import Any, ArrayLike, Verbose
from ._estimators import warn_unconverged
from ._logistic_loss import LogisticLoss
from ._partitions import RowPartitions
from ._squared import SquaredLoss
from ._working_set import working_set_solve

__all__ = ["enet_path", "lasso_path", "logistic_path", "loss_alpha_max"]

_RETURNED = ("alphas", "coefs", "dual_gaps", "n_iters", "intercepts")


def loss_alpha_max(loss):
    """The smallest alpha whose solution has every penalized coefficient at zero."""
    if loss.l1_ratio == 0.0:
        raise ValueError("alpha_max is infinite for l1_ratio=0 (ridge): pass alphas.")
    q = np.abs(loss.null_correlations())
    pen = loss.penalized
    if not pen.any():
        return 0.0
    return float(np.max(q[pen] / (loss.factor[pen] * loss.l1_ratio)))


def _alphas(loss, alphas, n_alphas, eps):
    if alphas is None or isinstance(alphas, (int, np.integer)):
        n = n_alphas if alphas is None else int(alphas)
        return alpha_grid(loss_alpha_max(loss), n_alphas=n, eps=eps)
    alphas = np.sort(np.asarray(alphas, dtype=np.float64))[::-1]
    for a in alphas:
        v.check_alpha(a)
    return alphas


def solve_path(loss, alphas, *, tol, max_iter, max_outer, strong_rule=True, verbose=False):
    """Every alpha of ``alphas`` (decreasing), warm-started: a :class:`PathResult` (coefs
    dense (p, n_alphas))."""
    p = loss.n_features
    coefs = np.zeros((p, alphas.size))
    gaps, n_iters, intercepts, seconds, fits = (np.zeros(alphas.size) for _ in range(5))
    w, b, q, previous = None, None, None, None
    for k, alpha in enumerate(alphas):
        start = time.perf_counter()
        keep = None
        if strong_rule and q is not None:
            threshold = (2.0 * alpha - previous) * loss.factor * loss.l1_ratio
            keep = np.flatnonzero(loss.penalized & (np.abs(q) >= threshold))
        sol = working_set_solve(loss, alpha, tol=tol, max_iter=max_iter, max_outer=max_outer,
                                coef_init=w, intercept_init=b, verbose=verbose, keep=keep)
        warn_unconverged(sol, f"Distributed path at alpha={alpha:.4g}", stacklevel=4)
        w, b, q, previous = sol.coef, sol.intercept, sol.q, alpha
        coefs[:, k], intercepts[k], gaps[k], n_iters[k] = w, b, sol.dual_gap, sol.n_iter
        fits[k] = sol.data_fit
        seconds[k] = time.perf_counter() - start
    null = loss.null_fit
    explained = 1.0 - fits / null if null > 0 else np.zeros(alphas.size)
    return PathResult(_RETURNED, alphas=alphas, coefs=coefs, dual_gaps=gaps,
                      n_iters=n_iters.astype(int), intercepts=intercepts, seconds=seconds,
                      deviance_explained=explained)


def enet_path(X: Any, y: Any, *, l1_ratio: float = 0.5, eps: float = 1e-3,
              n_alphas: int = 100, alphas: ArrayLike | int | None = None,
              fit_intercept: bool = True, sample_weight: Any = None,
              penalty_factor: ArrayLike | None = None, tol: float = 1e-4,
              max_iter: int = 1000, max_outer_iter: int = 50, strong_rule: bool = True,
              verbose: Verbose = False) -> PathResult:
    """The Elastic Net path on row partitions (X a Dask array; see
    :class:`l1core.distributed.ElasticNet`): a :class:`l1core.PathResult` unpacking as
    ``(alphas, coefs, dual_gaps, n_iters, intercepts)``, ``alphas`` by default the grid of
    ``n_alphas`` values from the distributed ``alpha_max`` down to ``eps * alpha_max``.

    Examples
    --------
    >>> import dask.array as da
    >>> from l1core.datasets import load_diabetes
    >>> from l1core.distributed import lasso_path
    >>> X, y, names = load_diabetes()
    >>> path = lasso_path(da.from_array(X, chunks=(150, 10)), da.from_array(y, chunks=150),
    ...                   n_alphas=5)
    >>> path.n_nonzero, path.alphas.round(2)
    (array([ 0,  4,  7,  9, 10]), array([2.15, 0.38, 0.07, 0.01, 0.  ]))
    """
    parts = RowPartitions(X, y, sample_weight)
    factor = v.check_penalty_factor(penalty_factor, parts.n_features)
    loss = SquaredLoss(parts, factor=factor, l1_ratio=v.check_l1_ratio(l1_ratio),
                       fit_intercept=bool(fit_intercept))
    return solve_path(loss, _alphas(loss, alphas, n_alphas, eps), tol=v.check_tol(tol),
                      max_iter=v.check_max_iter(max_iter),
                      max_outer=v.check_max_iter(max_outer_iter), strong_rule=strong_rule,
                      verbose=verbose)


def lasso_path(X: Any, y: Any, **kwargs: Any) -> PathResult:
    """:func:`enet_path` with ``l1_ratio=1``.

    Examples
    --------
    >>> import dask.array as da
    >>> from l1core.datasets import load_diabetes
    >>> from l1core.distributed import lasso_path
    >>> X, y, names = load_diabetes()
    >>> path = lasso_path(da.from_array(X, chunks=(150, 10)), da.from_array(y, chunks=150),
    ...                   n_alphas=3)
    >>> bool((path.dual_gaps <= 1e-4 * y.var()).all())
    True
    """
    return enet_path(X, y, l1_ratio=1.0, **kwargs)


def logistic_path(X: Any, y: Any, *, l1_ratio: float = 1.0, eps: float = 1e-3,
                  n_alphas: int = 100, alphas: ArrayLike | int | None = None,
                  fit_intercept: bool = True, sample_weight: Any = None,
                  penalty_factor: ArrayLike | None = None, tol: float = 1e-4,
                  max_iter: int = 1000, max_outer_iter: int = 50, strong_rule: bool = True,
                  verbose: Verbose = False) -> PathResult:
    """The binary sparse logistic path on row partitions (y: two labels; the second sorted
    label is +1), as :func:`enet_path`.

    Examples
    --------
    >>> import numpy as np, dask.array as da
    >>> from l1core.datasets import load_diabetes
    >>> from l1core.distributed import logistic_path
    >>> X, y, names = load_diabetes()
    >>> path = logistic_path(da.from_array(X, chunks=(150, 10)),
    ...                      da.from_array((y > 140).astype(int), chunks=150), n_alphas=4)
    >>> path.n_nonzero
    array([ 0,  5,  8, 10])
    """
    parts = RowPartitions(X, y, sample_weight)
    loss = LogisticLoss(parts, factor=v.check_penalty_factor(penalty_factor, parts.n_features),
                        l1_ratio=v.check_l1_ratio(l1_ratio), fit_intercept=bool(fit_intercept))
    return solve_path(loss, _alphas(loss, alphas, n_alphas, eps), tol=v.check_tol(tol),
                      max_iter=v.check_max_iter(max_iter),
                      max_outer=v.check_max_iter(max_outer_iter), strong_rule=strong_rule,
                      verbose=verbose)
