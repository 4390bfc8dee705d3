"""Regularization paths: the Elastic Net solved on a decreasing grid of alphas.

Each alpha is warm-started from the previous solution and begins with the sequential strong
rule (Tibshirani et al. 2012): feature j enters the first working set only if

    |x~_j . (sw * r(alpha_prev))| >= v_j l1_ratio (2 alpha - alpha_prev),

or if it has ever been nonzero on the path. The kernel solves that set, then makes one full
pass whose duality gap covers every feature: the KKT check of the strong rule. A violator keeps
the gap open and is brought into the working set, so screening never changes the answer:
every returned point meets ``tol`` on the full problem. Gap-safe screening runs inside each
solve.
"""

from __future__ import annotations

import numbers
import sys
import time

import numpy as np
import scipy.sparse as sp

from . import _validation as v
from ._enet_solver import EnetProblem, warn_unfinished
from ._path_limits import DROP_AND_STOP, KEEP, KEEP_AND_STOP, PathLimits
from ._path_result import PathResult, explained, squared_deviance
from ._progress import Progress, solve_text
from ._relax import check_relax_allowed, relaxed_refits
from ._typing import Any, ArrayLike, Literal, MatrixLike, Seed, Verbose

__all__ = ["enet_path", "lasso_path", "alpha_grid"]


def alpha_grid(alpha_max: float, *, n_alphas: int = 100, eps: float = 1e-3) -> np.ndarray:
    """``n_alphas`` values log-spaced from ``alpha_max`` down to ``eps * alpha_max``
    (scikit-learn's and glmnet's default grid).

    Examples
    --------
    >>> from l1core import alpha_grid
    >>> alpha_grid(1.0, n_alphas=4, eps=1e-3)
    array([1.  , 0.1 , 0.01 , 0.001])
    """
    if alpha_max <= 0.0:
        alpha_max = np.finfo(np.float64).resolution
    if n_alphas == 1:
        return np.array([alpha_max])
    return np.geomspace(alpha_max, alpha_max * eps, num=n_alphas)


def enet_path(X: MatrixLike, y: ArrayLike, *, l1_ratio: float = 0.5, eps: float = 1e-3,
              n_alphas: int = 100, alphas: ArrayLike | int | None = None,
              coef_init: ArrayLike | None = None, fit_intercept: bool = False,
              sample_weight: ArrayLike | None = None, penalty_factor: ArrayLike | None = None,
              lower_bounds: float | ArrayLike | None = None,
              upper_bounds: float | ArrayLike | None = None, positive: bool = False,
              tol: float = 1e-4, max_iter: int = 1000,
              selection: Literal["cyclic", "random"] = "cyclic", random_state: Seed = None,
              screening: bool = True, strong_rule: bool = True, return_n_iter: bool = False,
              return_intercept: bool = False, sparse_coefs: bool = False,
              precompute: bool | Literal["auto"] | ArrayLike = "auto", warn: bool = True,
              check_input: bool = True, Xy: ArrayLike | None = None, copy_X: bool = True,
              verbose: Verbose = False, dfmax: int | None = None, pmax: int | None = None,
              offset: ArrayLike | None = None, standardize: bool = False,
              relax: bool = False) -> PathResult:
    """Elastic Net solutions along a path of alphas.

    Same signature and return values as scikit-learn's ``enet_path`` (with its keyword
    arguments ``tol``, ``max_iter``, ``selection``, ``random_state`` spelled out), plus sample
    weights, penalty factors, bounds and an optional unpenalized intercept. Like scikit-learn's,
    the default fits no intercept (``fit_intercept=False``: X and y are taken as given).

    Parameters
    ----------
    X : array-like or scipy sparse (CSC or CSR read in place), shape (n_samples, n_features)
    y : array-like of shape (n_samples,)
    l1_ratio : float in [0, 1]; the grid needs l1_ratio > 0.
    eps, n_alphas : the default grid runs from alpha_max (the smallest alpha giving w = 0,
        computed with the intercept, weights and penalty factors) down to eps * alpha_max.
    alphas : array-like, int or None; explicit alphas in any order (returned decreasing), or
        an int: the length of the default grid (scikit-learn >= 1.7's spelling of
        ``n_alphas``). A one-element list is one alpha.
    coef_init : start point for the first alpha.
    precompute : True, False or "auto": solve from the Gram matrix (dense tall X; "auto"
        decides by size, like scikit-learn's paths).
    Xy, copy_X : accepted for scikit-learn compatibility and ignored: alpha_max is computed
        exactly from X and y (with the intercept, weights and penalty factors) and X is never
        modified.
    verbose : bool, int or str; if true, progress on stderr (``l1core._progress``): a bar
        rewritten in place on a terminal, else one line per alpha: the alpha, duality gap,
        epochs and seconds of its solve, then the alphas done, the time elapsed and an
        estimate of the time left (a str is the lines' prefix).
    warn : False raises no ConvergenceWarning (the caller compares dual_gaps with its
        tolerance: cross-validation tasks on threads or remote workers report once).
    sparse_coefs : return coefs as a scipy.sparse CSC array instead of a dense one, whose
        n_features x n_alphas values dominate the memory of a path on wide data.
    dfmax, pmax : int or None; glmnet's limits on the model size (``l1core._path_limits``):
        the path stops after the first alpha with more than ``dfmax`` nonzeros (returned), or
        at the first alpha that brings the features ever nonzero above ``pmax`` (not
        returned). The result then holds fewer alphas than asked for.
    offset : (n_samples,) or None; glmnet's offset, a known term added to the linear
        predictor: the model is ``X w + b + offset``. For the squared loss that is the path of
        ``y - offset`` (exactly), and the dual gaps certify that problem; ``predict`` of the
        result does not add it.
    standardize : bool, default False (scikit-learn's; glmnet's default is True): penalize
        the coefficients of the columns scaled to unit weighted standard deviation (1/S
        divisor, as glmnet), returned on the original scale; constant columns get 0
        (``l1core._standardize``: X is not copied). The default grid is then the
        standardized problem's, and dual_gaps certify the standardized problem (equal to
        the original-scale objective with the per-feature penalties it implies).
    relax : bool, default False; glmnet's relaxed fit (``l1core._relax``): also refit each
        solution by unpenalized weighted least squares on its support (bounds refused);
        ``result.relaxed(gamma)`` is then the path of ``gamma * penalized + (1 - gamma) *
        relaxed`` (gamma = 1: this path; 0: the refits).

    Returns
    -------
    A :class:`l1core.PathResult`: the tuple below (scikit-learn's), whose attributes also
    hold every item, the nonzeros and the deviance explained per alpha, ``summary()``,
    ``coef_at(alpha)`` and ``predict(X, alpha=None)``.

    alphas : (n_alphas,) decreasing
    coefs : (n_features, n_alphas), in X's dtype (Fortran-ordered, or sparse)
    dual_gaps : (n_alphas,) duality gap of each solution (normalized objective)
    n_iters : (n_alphas,) epochs per alpha, if ``return_n_iter``
    intercepts : (n_alphas,), if ``return_intercept``

    Examples
    --------
    >>> from l1core.datasets import load_diabetes
    >>> X, y, names = load_diabetes()
    >>> from l1core import enet_path
    >>> path = enet_path(X, y, l1_ratio=0.5, n_alphas=5, fit_intercept=True)
    >>> path.alphas.round(4), path.n_nonzero
    (array([4.2961, 0.764 , 0.1359, 0.0242, 0.0043]), array([ 0,  9, 10, 10, 10]))
    >>> alphas, coefs, dual_gaps = path                # scikit-learn's tuple
    """
    if v.is_multi_output(y):
        raise ValueError("enet_path / lasso_path take a 1-D y: scikit-learn's enet_path with a "
                         "2-D y solves the multi-task problem (one support shared by the "
                         "targets), which l1core.MultiTaskLasso / MultiTaskElasticNet fit; for "
                         "independent targets, run the path per column of y.")
    if offset is not None:
        y = v.check_target(y, X.shape[0], np.float64) - v.check_offset(offset, X.shape[0])
    problem = EnetProblem(X, y, l1_ratio=l1_ratio, sample_weight=sample_weight,
                          penalty_factor=penalty_factor, lower_bounds=lower_bounds,
                          upper_bounds=upper_bounds, positive=positive,
                          fit_intercept=fit_intercept, precompute=precompute,
                          n_solves=_n_path_alphas(alphas, n_alphas),
                          check_input=check_input, standardize=standardize)
    tol = v.check_tol(tol)
    max_iter = v.check_max_iter(max_iter)
    random = v.check_selection(selection) == "random"
    rng = v.check_random_state(random_state) if random else None
    alphas = path_alphas(alphas, problem.l1_ratio, problem.alpha_max, n_alphas, eps)
    p = problem.n_features
    w = np.zeros(p) if coef_init is None else v.check_coef_init(coef_init, p, np.float64)

    n = len(alphas)
    gaps = np.empty(n)
    n_iters = np.empty(n, dtype=np.int64)
    intercepts = np.empty(n)
    seconds = np.empty(n)
    deviance = np.empty(n)
    progress = verbose if isinstance(verbose, Progress) else Progress(verbose, n)
    if sparse_coefs:
        rows, values, counts = [], [], []
    else:
        coefs = np.empty((p, n), dtype=problem.X.dtype, order="F")
    predictor = _PathPredictor(problem)
    limits = PathLimits(dfmax, pmax, p)
    n_solved = n
    compiled = (not (progress.enabled or limits.active)
                and problem.compiled_path_applies(alphas))
    if compiled:
        # the whole loop below, in compiled code (the Gram form: no Python per alpha)
        seeds = rng.integers(2**63, size=n) if random else np.zeros(n, dtype=np.uint64)
        W, gaps, n_iters, deviance, seconds, intercepts, gap_tol = problem.gram_path(
            alphas, w, tol=tol, max_iter=max_iter, random=random, seeds=seeds)
        if warn:
            for k in np.flatnonzero(~(gaps <= gap_tol) | ~np.isfinite(W.sum(axis=0))
                                    | ~np.isfinite(intercepts)):
                warn_unfinished(W[:, k], intercepts[k], n_iters[k], max_iter, gaps[k],
                                gap_tol, alpha=alphas[k])
        coefs = W if W.dtype == problem.X.dtype else np.asfortranarray(
            np.column_stack([problem.cast(W[:, k]) for k in range(n)]))
        intercepts = np.array([problem.cast_intercept(intercepts[k], W[:, k], coefs[:, k])
                               for k in range(n)])
    for k, alpha in enumerate(() if compiled else alphas):
        start = time.perf_counter()
        strong_ratio = alphas[k - 1] / alpha if strong_rule and k > 0 and alpha > 0 else 0.0
        seed = int(rng.integers(2**63)) if random else 0
        moved = predictor.move(w, alphas, k)
        w, intercept, gap, epochs, gap_tol = problem.solve(
            alpha, w=w, tol=tol, max_iter=max_iter, random=random, seed=seed,
            screening=screening, warm=k > 0 and not moved, strong_ratio=strong_ratio)
        verdict = limits.verdict(problem.support(w)) if limits.active else KEEP
        if verdict == DROP_AND_STOP:
            n_solved = k
            break
        seconds[k] = time.perf_counter() - start
        deviance[k] = squared_deviance(problem, w)
        progress.step(solve_text(alpha, gap, epochs, seconds[k]))
        if warn:
            warn_unfinished(w, intercept, epochs, max_iter, gap, gap_tol, alpha=alpha)
        if sparse_coefs:
            support = problem.support(w)
            rows.append(support)
            values.append(problem.cast(w[support], support))
            counts.append(support.size)
            intercept = problem.cast_intercept(intercept, w, values[-1], support)
        else:
            coefs[:, k] = problem.cast(w)
            intercept = problem.cast_intercept(intercept, w, coefs[:, k])
        gaps[k] = gap
        n_iters[k] = epochs
        intercepts[k] = intercept
        if verdict == KEEP_AND_STOP:
            n_solved = k + 1
            break
    if n_solved < n:
        alphas, gaps, n_iters, intercepts, seconds, deviance = (
            a[:n_solved] for a in (alphas, gaps, n_iters, intercepts, seconds, deviance))
        n = n_solved
        if not sparse_coefs:
            coefs = coefs[:, :n]
    if sparse_coefs and compiled:
        coefs = sp.csc_array(coefs)
        coefs.eliminate_zeros()
    elif sparse_coefs:
        indptr = np.concatenate([[0], np.cumsum(counts)])
        coefs = sp.csc_array((np.concatenate(values).astype(problem.X.dtype, copy=False),
                              np.concatenate(rows), indptr), shape=(p, n))
    returned = (("alphas", "coefs", "dual_gaps") + ("n_iters",) * bool(return_n_iter)
                + ("intercepts",) * bool(return_intercept))
    yc = problem.centered_target()
    result = PathResult(returned, alphas=alphas, coefs=coefs, dual_gaps=gaps, n_iters=n_iters,
                        intercepts=intercepts, seconds=seconds,
                        deviance_explained=explained(deviance, problem.weights @ (yc * yc)))
    if relax:
        check_relax_allowed(lower_bounds, upper_bounds, positive)
        result.attach_relaxed(*relaxed_refits(problem.X, problem.y, problem.weights, coefs,
                                              intercepts if fit_intercept else np.zeros(n),
                                              problem.fit_intercept),
                              null_deviance=problem.weights @ (yc * yc))
    return result


class _PathPredictor:
    """Starts each solve of a path from the linear extrapolation of the last two solutions.

    The Lasso path is piecewise linear in alpha (Efron et al. 2004, LARS), the Elastic Net's
    smooth between changes of support, so w(alpha_k) + (w(alpha_k) - w(alpha_{k-1}))
    (alpha_{k+1} - alpha_k) / (alpha_k - alpha_{k-1}) is usually much closer to
    w(alpha_{k+1}) than w(alpha_k) is. Only nonzero coefficients move, none changes sign
    (one that would is set to zero, where the path crosses) and bounds are kept; the solve
    that follows is unchanged, so this affects the number of epochs, never the answer.
    Dense X only: on sparse X the epochs are a small part of a path's cost and recomputing
    the moved residual (and the O(p) bookkeeping) costs more than it saves.
    """

    def __init__(self, problem):
        self.problem = problem
        self.enabled = not sp.issparse(problem.X)
        self.before = np.zeros(problem.n_features)    # the solution one alpha back
        self.before_support = np.zeros(0, dtype=np.intp)

    def move(self, w, alphas, k):
        """Replace w (the solution at alphas[k-1]) by the prediction at alphas[k]; True if
        it moved (then the solver must recompute its residual)."""
        if not self.enabled or k == 0:
            return False
        support = self.problem.support(w)
        current = w[support]
        moved = False
        if k >= 2 and alphas[k - 1] != alphas[k - 2] and support.size:
            step = (alphas[k] - alphas[k - 1]) / (alphas[k - 1] - alphas[k - 2])
            target = current + (current - self.before[support]) * step
            target[np.sign(target) != np.sign(current)] = 0.0
            lower, upper = self.problem.lower, self.problem.upper
            if lower.size > 1:
                lower, upper = lower[support], upper[support]
            np.clip(target, lower, upper, out=target)
            w[support] = target
            moved = True
        self.before[self.before_support] = 0.0
        self.before[support] = current
        self.before_support = support
        return moved


def report_solve(verbose, alpha, gap, epochs, seconds):
    """The ``verbose`` line of one solve, on stderr (a str ``verbose`` is its prefix)."""
    prefix = verbose if isinstance(verbose, str) else ""
    print(prefix + solve_text(alpha, gap, epochs, seconds), file=sys.stderr, flush=True)


def lasso_path(X: MatrixLike, y: ArrayLike, *, eps: float = 1e-3, n_alphas: int = 100,
               alphas: ArrayLike | int | None = None, **kwargs: Any) -> PathResult:
    """The Lasso path: :func:`enet_path` with ``l1_ratio=1`` (same arguments otherwise).

    Examples
    --------
    >>> import numpy as np
    >>> from l1core.datasets import load_diabetes
    >>> X, y, names = load_diabetes()
    >>> from l1core import lasso_path
    >>> path = lasso_path(X, y, n_alphas=5, fit_intercept=True, tol=1e-10)
    >>> print(path.summary())                         # glmnet's print(fit)
             Df    %Dev      Lambda
       1      0    0.00       2.148
       2      4   47.03     0.38198
       3      7   51.19    0.067927
       4      9   51.55    0.012079
       5     10   51.76    0.002148
    >>> np.flatnonzero(path.coef_at(path.alphas[1]))  # on the grid: the path's own
    array([2, 3, 6, 8])
    """
    return enet_path(X, y, l1_ratio=1.0, eps=eps, n_alphas=n_alphas, alphas=alphas, **kwargs)


def grid_request(alphas, n_alphas):
    """(alphas, n_alphas) with an int ``alphas`` read as the grid length: scikit-learn >= 1.7
    spells ``n_alphas=5`` as ``alphas=5`` (a bool is not an int here)."""
    if isinstance(alphas, numbers.Integral) and not isinstance(alphas, (bool, np.bool_)):
        return None, alphas
    return alphas, n_alphas


def _n_path_alphas(alphas, n_alphas):
    """How many alphas a path will solve (an estimate for the Gram choice; unchecked)."""
    alphas, n_alphas = grid_request(alphas, n_alphas)
    return n_alphas if alphas is None else np.size(alphas)


def path_alphas(alphas, l1_ratio, alpha_max, n_alphas, eps):
    """A path's alphas in decreasing order: the user's (checked, any order), or the default
    grid of ``n_alphas`` (or ``alphas`` if an int, see :func:`grid_request`) values from
    alpha_max() (a callable, evaluated only then) down to eps * alpha_max."""
    alphas, n_alphas = grid_request(alphas, n_alphas)
    if alphas is None:
        if l1_ratio == 0.0:
            raise ValueError("l1_ratio=0 has no finite alpha_max: pass alphas explicitly.")
        return alpha_grid(alpha_max(), n_alphas=_check_n_alphas(n_alphas),
                          eps=v.check_alpha(eps, "eps"))
    alphas = np.sort(np.asarray([v.check_alpha(a, "alphas") for a in np.atleast_1d(alphas)],
                                dtype=np.float64))[::-1]
    if alphas.size == 0:
        raise ValueError("alphas is empty.")
    return alphas


def _check_n_alphas(n_alphas):
    if isinstance(n_alphas, bool) or not isinstance(n_alphas, (int, np.integer)) or n_alphas < 1:
        raise ValueError(f"n_alphas must be a positive integer, got {n_alphas!r}.")
    return int(n_alphas)
