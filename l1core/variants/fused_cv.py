"""``FusedLassoCV``: the Fused Lasso with alpha (and l1_ratio) chosen by cross-validation.

l1core's shared CV machinery (``l1core.variants._cv_grid.GridCV``): one alpha grid per
l1_ratio from the full data's ``alpha_max``, each fold one :func:`fused_lasso_path` on the
full X with zero weight off the fold (``l1core._cv.path_fold_errors``: no row copies, the
fold paths at a tolerance 10x tighter), the smallest mean held-out error or glmnet's one
standard error, then a refit of :class:`FusedLasso` on all the data.
"""

from __future__ import annotations

import numpy as np

from .._cv import path_fold_errors
from .._typing import Any, ArrayLike, Literal, MatrixLike, Seed, Self, Sequence, Splits
from ._cv_grid import GridCV
from .fused import FusedLasso, fused_lasso_path
from .fused_solver import FusedProblem

__all__ = ["FusedLassoCV"]


def _fused_fold(X, y, sw, unweighted, train, test, grids, l1_ratios, params):
    """Held-out errors (n_l1_ratios, n_alphas) of one fold, and its unconverged solves."""
    errors, not_converged = [], 0
    for l1_ratio, grid in zip(l1_ratios, grids):
        err, count, _ = path_fold_errors(X, fused_lasso_path, y, sw, unweighted,
                                         dict(params, alphas=grid, l1_ratio=l1_ratio),
                                         train, test)
        errors.append(err)
        not_converged += count
    return np.array(errors), not_converged


class FusedLassoCV(GridCV):
    """Fused Lasso with ``alpha`` (and ``l1_ratio`` if several are given) chosen by K-fold
    cross-validation, then refit on all data.

    Parameters
    ----------
    l1_ratio : float or sequence of floats in (0, 1], default=0.5
        The mixes searched (0, pure TV, needs explicit ``alphas``).
    eps, n_alphas, alphas, fit_intercept, cv, shuffle, random_state, refit_alpha, n_jobs,
    executor
        As for :class:`l1core.LassoCV` (``refit_alpha="1se"``: glmnet's one-standard-error
        alpha).
    max_iter, tol : as for :class:`FusedLasso`.

    Attributes
    ----------
    alpha_, alpha_min_, alpha_1se_, l1_ratio_ : the choice
    alphas_ : ndarray (n_l1_ratios, n_alphas)
    mse_path_ : ndarray (n_l1_ratios, n_alphas, n_folds)
    cv_mean_, cv_std_ : ndarray (n_l1_ratios, n_alphas)
    coef_, intercept_, dual_gap_, n_iter_, n_features_in_ : of the refit FusedLasso

    Examples
    --------
    >>> import numpy as np
    >>> from l1core import FusedLassoCV
    >>> rng = np.random.default_rng(0)
    >>> X = rng.standard_normal((80, 15)); w = np.r_[np.zeros(5), np.ones(5), np.zeros(5)]
    >>> y = X @ w + 0.5 * rng.standard_normal(80)
    >>> cv = FusedLassoCV(l1_ratio=[0.2, 0.8], n_alphas=10, cv=3, refit_alpha="1se").fit(X, y)
    >>> cv.l1_ratio_, cv.coef_.round(1).tolist()           # one fused block
    (0.2, [0.0, 0.0, 0.0, 0.0, 0.0, 0.9, 0.9, 0.9, 0.9, 0.9, 0.0, 0.0, 0.0, 0.0, 0.0])
    """

    def __init__(self, *, l1_ratio: float | Sequence[float] = 0.5, eps: float = 1e-3,
                 n_alphas: int = 100, alphas: ArrayLike | None = None,
                 fit_intercept: bool = True, max_iter: int = 10_000, tol: float = 1e-4,
                 cv: Splits = None, shuffle: bool = False, random_state: Seed = None,
                 refit_alpha: Literal["min", "1se"] = "min", n_jobs: int | None = None,
                 executor: Any = None) -> None:
        self._keep_params(locals())

    def fit(self, X: MatrixLike, y: ArrayLike, sample_weight: ArrayLike | None = None) -> Self:
        """Cross-validate, then refit on all data. X is read in place."""
        X, y, sw, tol, max_iter = self._check_cv_input(X, y, sample_weight)
        unweighted = sample_weight is None
        l1_ratios = self._l1_ratios()
        fit_intercept = bool(self.fit_intercept)
        full = FusedProblem(X, y, sw, fit_intercept)
        params = dict(fit_intercept=fit_intercept, tol=tol, max_iter=max_iter)
        self._search("l1_ratio", l1_ratios, full.alpha_max, _fused_fold, X, y, sw, unweighted,
                     (l1_ratios, params))
        refit = FusedLasso(alpha=self.alpha_, l1_ratio=self.l1_ratio_,
                           fit_intercept=fit_intercept, max_iter=max_iter, tol=tol)
        refit.fit(X, y, sample_weight=None if unweighted else sw)
        self._keep_refit(refit, X.shape[1])
        return self
