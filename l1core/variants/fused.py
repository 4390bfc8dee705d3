"""The Fused Lasso (Tibshirani, Saunders, Rosset, Zhu & Knight 2005) for ordered features:

    1/(2S) sum_i s_i (y_i - x_i.w - b)^2 + alpha (l1_ratio ||w||_1 + (1 - l1_ratio) TV(w)),

``TV(w) = sum_j |w_j - w_{j-1}|`` (parametrization: l1core.variants.fused_penalty). The path
and the estimator solve it by FISTA with the exact fused prox, warm-started from alpha to
alpha, each solve stopped by a duality gap that bounds its suboptimality
(l1core.variants.fused_solver).
"""

from __future__ import annotations

import time
import warnings

import numpy as np
import scipy.sparse as sp

from .. import _validation as v
from .._estimator_base import BaseEstimator, RegressorMixin, convergence_warning
from .._linear_model import ElasticNet
from .._path import _check_n_alphas, alpha_grid
from .._path_result import PathResult, explained
from .._typing import ArrayLike, MatrixLike, Self
from .fused_solver import FusedProblem

__all__ = ["FusedLasso", "fused_lasso_path"]


def _checked(X, y, sample_weight, check_input):
    """(X, y, sw) validated once (or, check_input=False, only guarded)."""
    X = v.check_design(X)[0] if check_input else v.check_trusted_design(X)
    y = v.check_target(y, X.shape[0], np.float64)
    return X, y, v.check_sample_weight(sample_weight, X.shape[0], np.float64)


def _warn_unfinished(solution, alpha, max_iter):
    warnings.warn(f"FusedLasso (alpha={alpha:.6g}) did not converge in {max_iter} iterations: "
                  f"duality gap {solution.dual_gap:.3g} > tol * sum s (y - ybar)^2 / S = "
                  f"{solution.gap_tol:.3g}. Raise max_iter or tol.", convergence_warning(),
                  stacklevel=4)


def fused_lasso_path(X: MatrixLike, y: ArrayLike, *, l1_ratio: float = 0.5, eps: float = 1e-3,
                     n_alphas: int = 100, alphas: ArrayLike | None = None,
                     coef_init: ArrayLike | None = None, fit_intercept: bool = False,
                     sample_weight: ArrayLike | None = None, tol: float = 1e-4,
                     max_iter: int = 10_000, return_n_iter: bool = False,
                     return_intercept: bool = False, sparse_coefs: bool = False,
                     check_input: bool = True, warn: bool = True) -> PathResult:
    """The Fused Lasso along a decreasing alpha grid, each solve warm-started from the last.

    Parameters
    ----------
    X : (n_samples, n_features) dense, CSC or CSR, float32 or float64; read in place (never
        copied, centered or densified; see :func:`l1core.lasso_path` for input copies).
    y : (n_samples,)
    l1_ratio : float in [0, 1], default 0.5
        The mix ``l1_ratio ||w||_1 + (1 - l1_ratio) TV(w)``; 1 is the Lasso, 0 pure TV
        (which needs explicit ``alphas``).
    eps, n_alphas, alphas : the grid, as :func:`l1core.lasso_path` (``alpha_max`` the
        smallest alpha with w = 0 optimal: the fused dual norm of ``X^T (s yc) / S``).
    coef_init : start of the first solve (default zeros).
    fit_intercept : default False (as scikit-learn's ``lasso_path``).
    sample_weight : (n_samples,) >= 0, default ones.
    tol, max_iter : each solve stops when its duality gap is ``<= tol * sum_i s_i (y_i -
        ybar)^2 / S``; max_iter counts FISTA iterations. Unmet: a ConvergenceWarning
        (``warn``).
    return_n_iter, return_intercept, sparse_coefs, check_input : as :func:`l1core.lasso_path`.

    Returns
    -------
    :class:`l1core.PathResult` ``(alphas, coefs, dual_gaps[, n_iters][, intercepts])``;
    coefs (n_features, n_alphas) in X's dtype.

    Examples
    --------
    >>> import numpy as np
    >>> from l1core import fused_lasso_path
    >>> rng = np.random.default_rng(0)
    >>> X = rng.standard_normal((60, 12)); w = np.r_[np.zeros(4), np.ones(4), np.zeros(4)]
    >>> path = fused_lasso_path(X, X @ w, l1_ratio=0.5, n_alphas=5, tol=1e-8)
    >>> path.n_nonzero.tolist()
    [0, 4, 4, 4, 4]
    >>> bool(np.all(path.dual_gaps <= 1e-8 * np.sum((X @ w) ** 2) / 60))
    True
    """
    X, y, sw = _checked(X, y, sample_weight, check_input)
    l1_ratio = v.check_l1_ratio(l1_ratio)
    tol, max_iter = v.check_tol(tol), v.check_max_iter(max_iter)
    problem = FusedProblem(X, y, sw, fit_intercept)
    if alphas is None:
        eps = v.check_alpha(eps, "eps")
        grid = alpha_grid(problem.alpha_max(l1_ratio), n_alphas=_check_n_alphas(n_alphas),
                          eps=eps)
    else:
        values = np.atleast_1d(np.asarray(alphas, dtype=np.float64))
        if values.ndim != 1 or values.size == 0:
            raise ValueError(f"alphas must be a non-empty 1-D list of floats, got {alphas!r}.")
        grid = np.sort([v.check_alpha(a, "alphas") for a in values])[::-1]
    if grid[-1] <= 0.0:
        raise ValueError("alphas must be > 0 (alpha = 0 is least squares: no certificate).")
    w = None if coef_init is None else v.check_coef_init(coef_init, X.shape[1], np.float64)
    if w is not None and np.any(np.abs(w) > np.finfo(X.dtype).max):
        raise ValueError(f"coef_init holds values beyond the range of X's dtype {X.dtype} "
                         "(the coefficients are returned in it).")
    k_alphas = grid.size
    coefs = np.empty((X.shape[1], k_alphas), dtype=X.dtype, order="F")
    gaps, seconds, deviance, intercepts = (np.empty(k_alphas) for _ in range(4))
    n_iters = np.empty(k_alphas, dtype=np.int64)
    for k, alpha in enumerate(grid):
        start = time.perf_counter()
        sol = problem.solve(alpha, l1_ratio, w, tol=tol, max_iter=max_iter)
        w = sol.coef
        if warn and not sol.converged:
            _warn_unfinished(sol, alpha, max_iter)
        coefs[:, k] = w
        # the intercept of the coefficients as returned (float32 X: rounded), so that a
        # column of large mean does not turn their rounding into an offset of the predictions
        gaps[k], n_iters[k] = sol.dual_gap, sol.n_iter
        intercepts[k] = problem.intercept(np.asarray(coefs[:, k], dtype=np.float64))
        deviance[k], seconds[k] = sol.deviance, time.perf_counter() - start
    if sparse_coefs:
        coefs = sp.csc_array(coefs)
        coefs.eliminate_zeros()
    returned = (("alphas", "coefs", "dual_gaps") + ("n_iters",) * bool(return_n_iter)
                + ("intercepts",) * bool(return_intercept))
    return PathResult(returned, alphas=grid, coefs=coefs, dual_gaps=gaps, n_iters=n_iters,
                      intercepts=intercepts, seconds=seconds,
                      deviance_explained=explained(deviance, problem.null_deviance))


class FusedLasso(RegressorMixin, BaseEstimator):
    """The Fused Lasso: a Lasso plus a total-variation penalty on neighbouring coefficients,
    for features with an order (positions along a genome, a spectrum, time lags).

    Minimizes ``1/(2S) sum_i s_i (y_i - x_i.w - b)^2 + alpha (l1_ratio ||w||_1 +
    (1 - l1_ratio) sum_j |w_j - w_{j-1}|)`` by FISTA with the exact fused prox, stopped by a
    duality gap (``dual_gap_`` bounds ``P(coef_) - min P``). ``l1_ratio=1`` is
    :class:`l1core.Lasso`. The literature's ``lambda_1, lambda_2`` (loss ``1/2 ||y - Xw||^2``)
    are ``n alpha l1_ratio`` and ``n alpha (1 - l1_ratio)``.

    Parameters
    ----------
    alpha : float > 0, default=1.0
    l1_ratio : float in [0, 1], default=0.5
    fit_intercept : bool, default=True
    max_iter : int, default=10000 (FISTA iterations)
    tol : float, default=1e-4 (gap <= tol * sum_i s_i (y_i - ybar)^2 / S, as the Lasso)
    warm_start : bool, default=False; reuse ``coef_`` of the last fit as the start.

    Attributes
    ----------
    coef_ : ndarray (n_features,), float64
    intercept_ : float
    dual_gap_ : float, the certificate
    n_iter_ : int
    n_features_in_ : int

    Examples
    --------
    >>> import numpy as np
    >>> from l1core import FusedLasso
    >>> rng = np.random.default_rng(0)
    >>> X = rng.standard_normal((100, 20))
    >>> w = np.r_[np.zeros(5), 2 * np.ones(5), np.zeros(10)]
    >>> y = X @ w + 0.1 * rng.standard_normal(100)
    >>> model = FusedLasso(alpha=0.05, l1_ratio=0.3, tol=1e-8).fit(X, y)
    >>> model.coef_.round(1).tolist()[3:12]
    [0.0, 0.0, 2.0, 2.0, 2.0, 2.0, 2.0, 0.0, 0.0]
    >>> bool(model.dual_gap_ < 1e-8 * np.var(y))
    True
    """

    def __init__(self, alpha: float = 1.0, *, l1_ratio: float = 0.5, fit_intercept: bool = True,
                 max_iter: int = 10_000, tol: float = 1e-4, warm_start: bool = False) -> None:
        self.alpha = alpha
        self.l1_ratio = l1_ratio
        self.fit_intercept = fit_intercept
        self.max_iter = max_iter
        self.tol = tol
        self.warm_start = warm_start

    def fit(self, X: MatrixLike, y: ArrayLike, sample_weight: ArrayLike | None = None) -> Self:
        """Fit on X (dense, CSC or CSR; read in place, see :func:`fused_lasso_path`)."""
        alpha = v.check_alpha(self.alpha)
        if alpha == 0.0:
            raise ValueError("alpha must be > 0 for FusedLasso (alpha = 0 is least squares).")
        X, y, sw = _checked(X, y, sample_weight, True)
        start = None
        if self.warm_start and getattr(self, "coef_", None) is not None \
                and np.shape(self.coef_) == (X.shape[1],):
            start = self.coef_
        path = fused_lasso_path(X, y, l1_ratio=self.l1_ratio, alphas=[alpha], coef_init=start,
                                fit_intercept=self.fit_intercept, sample_weight=sw,
                                tol=self.tol, max_iter=self.max_iter, return_n_iter=True,
                                return_intercept=True, check_input=False)
        self.coef_ = np.asarray(path.coefs[:, 0], dtype=np.float64)
        self.intercept_ = float(path.intercepts[0])
        self.dual_gap_ = float(path.dual_gaps[0])
        self.n_iter_ = int(path.n_iters[0])
        self.n_features_in_ = X.shape[1]
        return self

    def predict(self, X: MatrixLike) -> np.ndarray:
        """``X @ coef_ + intercept_``."""
        return ElasticNet._decision_function(self, X)

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.input_tags.sparse = True
        return tags
