"""``PriorLassoCV``: the prior Lasso with eta and alpha chosen by cross-validation.

Each fold refits the prior model (``prior_features``) on its training rows only, blends its
training rows' responses, and solves one Lasso path per eta on the full X with zero weight
off the fold. The held-out rows are scored against the real y, never the blend: the fold's
target is the blend on the training rows and y on the held-out rows (which have weight zero
in the fit). eta = 0 is always worth including: with a wrong prior CV can fall back to the
plain Lasso.
"""

from __future__ import annotations

import numpy as np

from .. import _validation as v
from .._cv import path_fold_errors
from .._path import enet_path
from .._typing import Any, ArrayLike, Literal, MatrixLike, Seed, Self, Sequence, Splits
from ._cv_grid import GridCV, lasso_alpha_max
from .prior import PriorLasso, blend, prior_columns, prior_predictions

__all__ = ["PriorLassoCV"]


def _prior_fold(X, y, sw, unweighted, train, test, grids, XF, y_prior, etas, params):
    """Held-out errors (n_etas, n_alphas) of one fold (prior model on ``train`` if ``XF``)."""
    if np.intersect1d(train, test).size:
        raise ValueError("PriorLassoCV needs disjoint training and test rows in every fold.")
    if XF is not None:
        fold_sw = sw * np.bincount(train, minlength=X.shape[0])
        y_prior = prior_predictions(XF, y, fold_sw, params["fit_intercept"])
    errors, not_converged = [], 0
    for eta, grid in zip(etas, grids):
        target = y.copy() if y_prior is None else blend(y, y_prior, eta).copy()
        target[test] = y[test]
        err, count, _ = path_fold_errors(X, enet_path, target, sw, unweighted,
                                         dict(params, alphas=grid, l1_ratio=1.0), train, test)
        errors.append(err)
        not_converged += count
    return np.array(errors), not_converged


class PriorLassoCV(GridCV):
    """Prior Lasso with ``eta`` and ``alpha`` chosen by K-fold cross-validation.

    For every fold and eta: the prior model refit on the training rows (``prior_features``)
    or the given ``y_prior``, the Lasso path on the blended training responses on a grid
    shared by the folds (the full data's ``alpha_max`` at that eta), scored by the held-out
    mean squared error against y. The final model is :class:`l1core.PriorLasso` refit on all
    data at (``alpha_``, ``eta_``).

    Parameters
    ----------
    etas : sequence of float >= 0, default=(0, 0.1, 0.3, 1, 3, 10)
        The prior weights searched (0: the plain Lasso).
    prior_features : array of int, boolean mask or None
        As for :class:`l1core.PriorLasso`.
    eps, n_alphas, alphas, fit_intercept, max_iter, tol, cv, shuffle, random_state,
    refit_alpha, n_jobs, executor
        As for :class:`l1core.LassoCV` (the one-standard-error alpha at the best eta).

    Attributes
    ----------
    alpha_, alpha_min_, alpha_1se_ : float, as for :class:`l1core.LassoCV`
    eta_ : float, the chosen eta
    alphas_ : ndarray (n_etas, n_alphas)
    mse_path_ : ndarray (n_etas, n_alphas, n_folds)
    cv_mean_, cv_std_ : ndarray (n_etas, n_alphas)
    coef_, intercept_, dual_gap_, n_iter_, prior_, n_features_in_
        Of the refit :class:`l1core.PriorLasso`.

    Examples
    --------
    >>> import numpy as np
    >>> from l1core import PriorLassoCV
    >>> from l1core.datasets import load_diabetes
    >>> X, y, names = load_diabetes()
    >>> cv = PriorLassoCV(prior_features=[2, 3, 8], n_alphas=20, refit_alpha="1se").fit(X, y)
    >>> cv.eta_, [names[j] for j in np.flatnonzero(cv.coef_)]
    (0.3, ['sex', 'bmi', 'bp', 's1', 's3', 's5', 's6'])
    """

    def __init__(self, *, etas: Sequence[float] = (0.0, 0.1, 0.3, 1.0, 3.0, 10.0),
                 prior_features: ArrayLike | None = None, eps: float = 1e-3,
                 n_alphas: int = 100, alphas: ArrayLike | None = None,
                 fit_intercept: bool = True, max_iter: int = 1000, tol: float = 1e-4,
                 cv: Splits = None, shuffle: bool = False, random_state: Seed = None,
                 refit_alpha: Literal["min", "1se"] = "min", n_jobs: int | None = None,
                 executor: Any = None) -> None:
        self._keep_params(locals())

    def fit(self, X: MatrixLike, y: ArrayLike, sample_weight: ArrayLike | None = None,
            y_prior: ArrayLike | None = None) -> Self:
        """Cross-validate (eta, alpha), then refit on all data. X is read in place (the
        prior features' columns are copied once)."""
        X, y, sw, tol, max_iter = self._check_cv_input(X, y, sample_weight)
        unweighted = sample_weight is None
        etas = [v.check_nonnegative(e, "etas") for e in np.atleast_1d(self.etas)]
        fit_intercept = bool(self.fit_intercept)
        refit = PriorLasso(eta=0.0, prior_features=self.prior_features,
                           fit_intercept=fit_intercept, max_iter=max_iter, tol=tol)
        full_prior = refit._prior(X, y, sw, y_prior)
        XF = None
        if self.prior_features is not None:
            XF = prior_columns(X, v.check_feature_set(self.prior_features, X.shape[1],
                                                      "prior_features"))
            y_prior = None
        elif y_prior is not None:
            y_prior = full_prior

        if full_prior is None:
            etas = [0.0]                          # no prior: every eta is the Lasso

        def alpha_max(eta):
            target = y if full_prior is None else blend(y, full_prior, eta)
            return lasso_alpha_max(X, target, sw, None, None, None, fit_intercept)

        params = dict(fit_intercept=fit_intercept, tol=tol, max_iter=max_iter)
        self._search("eta", etas, alpha_max, _prior_fold, X, y, sw, unweighted,
                     (XF, y_prior, etas, params))
        refit.set_params(alpha=self.alpha_, eta=self.eta_)
        refit.fit(X, y, sample_weight=None if unweighted else sw,
                  y_prior=None if self.prior_features is not None else y_prior)
        self._keep_refit(refit, X.shape[1])
        self.prior_ = refit.prior_
        return self
