"""``AdaptiveLassoCV``: the adaptive Lasso with alpha and gamma chosen by cross-validation.

Each fold fits its own ``b_init`` on its training rows (``initial_coef(..., train)``), so the
weights never see the held-out rows (Zou's weights computed once on all the data would leak
them and bias the choice towards small alphas), then one warm-started weighted Lasso path per
gamma; the held-out mean squared errors choose (gamma, alpha) as LassoCV chooses alpha.
"""

from __future__ import annotations

import numpy as np

from .. import _validation as v
from .._cv import path_fold_errors
from .._path import enet_path
from .._typing import Any, ArrayLike, Literal, MatrixLike, Seed, Self, Sequence, Splits
from ._cv_grid import GridCV, lasso_alpha_max
from ._initial import (InitSpec, adaptive_weights, check_init, check_init_alpha, initial_coef,
                       penalty_arrays)
from .adaptive import AdaptiveLasso

__all__ = ["AdaptiveLassoCV"]


def _adaptive_fold(X, y, sw, unweighted, train, test, grids, init, init_alpha, gammas, eps,
                   params):
    """Held-out errors (n_gammas, n_alphas) of one fold: ``b_init`` on ``train``, then a
    weighted Lasso path per gamma."""
    b_init = initial_coef(init, X, y, sw, train, fit_intercept=params["fit_intercept"],
                          loss="squared", unweighted=unweighted, init_alpha=init_alpha)
    errors, not_converged = [], 0
    for gamma, grid in zip(gammas, grids):
        factor, lower, upper = penalty_arrays(adaptive_weights(b_init, gamma, eps))
        err, count, _ = path_fold_errors(
            X, enet_path, y, sw, unweighted,
            dict(params, alphas=grid, l1_ratio=1.0, penalty_factor=factor,
                 lower_bounds=lower, upper_bounds=upper), train, test)
        errors.append(err)
        not_converged += count
    return np.array(errors), not_converged


class AdaptiveLassoCV(GridCV):
    """Adaptive Lasso with ``alpha`` and ``gamma`` chosen by K-fold cross-validation.

    For every fold: ``b_init`` from the training rows only, then for each ``gamma`` the
    weighted Lasso path (weights ``1 / (|b_init_j| + weight_eps)^gamma``) on a grid of
    alphas shared by the folds (from the full data's ``alpha_max`` at that gamma), scored by
    the held-out mean squared error. The final model is :class:`l1core.AdaptiveLasso` refit
    on all data at (``alpha_``, ``gamma_``) with the full data's ``b_init``.

    Parameters
    ----------
    gammas : sequence of float > 0, default=(0.5, 1.0, 2.0)
        The exponents searched.
    init, init_alpha, weight_eps
        As for :class:`l1core.AdaptiveLasso` (an estimator is cloned and fitted per fold; the
        ridge's GCV runs per fold too: its O(min(n, p)^3) eigendecomposition dominates the
        cost when min(n, p) is large, where a fixed ``init_alpha`` (LSQR) is cheap).
    eps, n_alphas, alphas, fit_intercept, max_iter, tol, cv, shuffle, random_state,
    refit_alpha, n_jobs, executor
        As for :class:`l1core.LassoCV`; with ``refit_alpha="1se"`` the largest alpha within
        one standard error of the best, at the best gamma.

    Attributes
    ----------
    alpha_, alpha_min_, alpha_1se_ : float, as for :class:`l1core.LassoCV`
    gamma_ : float, the chosen gamma
    alphas_ : ndarray (n_gammas, n_alphas), the grid of each gamma
    mse_path_ : ndarray (n_gammas, n_alphas, n_folds)
    cv_mean_, cv_std_ : ndarray (n_gammas, n_alphas)
    coef_, intercept_, dual_gap_, n_iter_, weights_, init_coef_, n_features_in_
        Of the refit :class:`l1core.AdaptiveLasso`.

    Examples
    --------
    >>> import numpy as np
    >>> from l1core import AdaptiveLassoCV
    >>> from l1core.datasets import load_diabetes
    >>> X, y, names = load_diabetes()
    >>> cv = AdaptiveLassoCV(n_alphas=20, refit_alpha="1se").fit(X, y)
    >>> cv.gamma_, [names[j] for j in np.flatnonzero(cv.coef_)]
    (0.5, ['sex', 'bmi', 'bp', 's1', 's4', 's5'])
    """

    def __init__(self, *, gammas: Sequence[float] = (0.5, 1.0, 2.0), init: InitSpec = "ridge",
                 init_alpha: float | None = None, weight_eps: float = 0.0, eps: float = 1e-3,
                 n_alphas: int = 100,
                 alphas: ArrayLike | None = None, fit_intercept: bool = True,
                 max_iter: int = 1000, tol: float = 1e-4, cv: Splits = None,
                 shuffle: bool = False, random_state: Seed = None,
                 refit_alpha: Literal["min", "1se"] = "min", n_jobs: int | None = None,
                 executor: Any = None) -> None:
        self._keep_params(locals())

    def fit(self, X: MatrixLike, y: ArrayLike, sample_weight: ArrayLike | None = None) -> Self:
        """Cross-validate (gamma, alpha), then refit on all data. X is read in place."""
        X, y, sw, tol, max_iter = self._check_cv_input(X, y, sample_weight)
        unweighted = sample_weight is None
        gammas = [v.check_positive(g, "gammas") for g in np.atleast_1d(self.gammas)]
        eps = v.check_nonnegative(self.weight_eps, "weight_eps")
        init = check_init(self.init, X.shape[1], "squared")
        init_alpha = check_init_alpha(self.init_alpha)
        fit_intercept = bool(self.fit_intercept)
        b_init = initial_coef(init, X, y, sw, None, fit_intercept=fit_intercept,
                              loss="squared", unweighted=unweighted, init_alpha=init_alpha)

        def alpha_max(gamma):
            factor, lower, upper = penalty_arrays(adaptive_weights(b_init, gamma, eps))
            return lasso_alpha_max(X, y, sw, factor, lower, upper, fit_intercept)

        params = dict(fit_intercept=fit_intercept, tol=tol, max_iter=max_iter)
        self._search("gamma", gammas, alpha_max, _adaptive_fold, X, y, sw, unweighted,
                     (init, init_alpha, gammas, eps, params))
        model = AdaptiveLasso(alpha=self.alpha_, gamma=self.gamma_, init=b_init,
                              weight_eps=eps, fit_intercept=fit_intercept, max_iter=max_iter,
                              tol=tol).fit(X, y, sample_weight=None if unweighted else sw)
        self._keep_refit(model, X.shape[1])
        self.weights_, self.init_coef_ = model.weights_, model.init_coef_
        return self
