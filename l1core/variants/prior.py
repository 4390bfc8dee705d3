"""The prior Lasso of Jiang, He & Zhang (2016), squared loss.

Prior knowledge comes as prior predictions ``y_prior`` (an array: another study's model,
an expert's score) or as a set F of features believed relevant, whose prior model is the
weighted least-squares fit of y on X_F with an intercept (ridge with its penalty chosen by
GCV when X_F has no full column rank). Jiang et al. minimize

    1/(2S) sum_i s_i (y_i - x_i.w - b)^2 + eta/(2S) sum_i s_i (y_prior_i - x_i.w - b)^2
        + lambda ||w||_1.

Completing the square (``u^2 + eta v^2 = (1 + eta) m^2 + eta/(1 + eta) (u - v)^2`` with
``m = (u + eta v)/(1 + eta)``, here ``u - v = y_i - y_prior_i`` does not depend on w):

    = (1 + eta) [ 1/(2S) sum_i s_i (y_eta_i - x_i.w - b)^2 + lambda/(1 + eta) ||w||_1 ]
        + eta/(2S (1 + eta)) sum_i s_i (y_i - y_prior_i)^2,
    y_eta = (y + eta y_prior) / (1 + eta),

so the minimizer is the Lasso's on the blended response ``y_eta`` at ``alpha = lambda / (1 +
eta)``: that is this estimator's objective and ``alpha``; its ``dual_gap_`` certifies it
(times ``1 + eta``, Jiang's objective at ``lambda = (1 + eta) alpha``). ``eta = 0`` is the
Lasso on y exactly; ``eta -> inf`` fits the prior's predictions.
"""

from __future__ import annotations

import numpy as np

from .. import _validation as v
from .._linear_model import ElasticNet, Lasso
from .._typing import ArrayLike, Literal, MatrixLike, Self
from ._ridge import least_squares_coef, ridge_coef

__all__ = ["PriorLasso", "blend", "prior_columns", "prior_predictions", "resolve_prior"]


def blend(y, y_prior, eta):
    """The pseudo-response ``(y + eta y_prior) / (1 + eta)`` (y itself when eta = 0)."""
    return y if eta == 0.0 else (y + eta * y_prior) / (1.0 + eta)


def prior_predictions(XF, y, sw, fit_intercept):
    """Fitted values (n,) of the prior model on the prior features' columns ``XF`` (dense,
    a copy of those columns): weighted least squares with an intercept, ridge (GCV) when
    that is not unique; only the rows of positive weight are fitted (CV: training rows)."""
    n, k = XF.shape
    S = sw.sum()
    ybar = sw @ y / S if fit_intercept else 0.0
    if k == 0:
        return np.full(n, ybar)
    try:
        coef = least_squares_coef(XF, y, sw, fit_intercept)
    except ValueError:
        coef = ridge_coef(XF, y, sw, fit_intercept)[0]
    xbar = sw @ XF / S if fit_intercept else np.zeros(k)
    return (XF - xbar) @ coef + ybar          # centered first: large means do not cancel


def resolve_prior(X, prior_features, given, name, check_given, fit_on_columns):
    """The prior of an estimator: ``check_given(given)`` (predictions passed to fit),
    ``fit_on_columns(XF)`` on the prior features' columns, or None (no prior); both at once
    is an error."""
    if prior_features is not None and given is not None:
        raise ValueError(f"Give the prior as prior_features or as {name}, not both.")
    if given is not None:
        return check_given(given)
    if prior_features is None:
        return None
    features = v.check_feature_set(prior_features, X.shape[1], "prior_features")
    return fit_on_columns(prior_columns(X, features))


def prior_columns(X, features):
    """The dense float64 copy of the prior features' columns of X (k columns, k small)."""
    cols = X[:, features]
    return np.asarray(cols.toarray() if hasattr(cols, "toarray") else cols, dtype=np.float64)


class PriorLasso(ElasticNet):
    """The prior Lasso (Jiang, He & Zhang 2016): a Lasso on the blended response.

    Minimizes ``1/(2S) sum_i s_i (y_eta_i - x_i.w - b)^2 + alpha ||w||_1`` with
    ``y_eta = (y + eta y_prior) / (1 + eta)``, which is Jiang et al.'s objective (data fit
    plus ``eta`` times the fit to the prior's predictions, penalty ``(1 + eta) alpha``)
    divided by ``1 + eta``, up to a constant (derivation: ``l1core.variants.prior``).

    Parameters
    ----------
    alpha : float, default=1.0
        Penalty of the blended Lasso (Jiang's lambda is ``(1 + eta) alpha``).
    eta : float >= 0, default=1.0
        Weight of the prior: 0 is the Lasso on y exactly.
    prior_features : array of int, boolean mask or None, default=None
        Features believed relevant: the prior predictions are the least-squares fit of y on
        them (ridge by GCV if that is not unique; their columns are copied, dense). None:
        the prior predictions are ``fit(..., y_prior=)``; neither: no prior (the Lasso).
    fit_intercept, max_iter, tol, precompute, penalty_factor
        As for :class:`l1core.Lasso` (also used by the prior model: its intercept).

    Attributes
    ----------
    coef_, intercept_, n_iter_, dual_gap_, n_features_in_
        As for :class:`l1core.Lasso`, on the blended response (``dual_gap_`` certifies the
        objective above).
    prior_ : ndarray (n_samples,), the prior predictions used (None without a prior)

    Examples
    --------
    >>> import numpy as np
    >>> from l1core import PriorLasso
    >>> from l1core.datasets import load_diabetes
    >>> X, y, names = load_diabetes()
    >>> plain = PriorLasso(alpha=1.0, eta=0.0).fit(X, y)
    >>> [names[j] for j in np.flatnonzero(plain.coef_)]      # eta = 0: the Lasso
    ['bmi', 'bp', 's5']
    >>> model = PriorLasso(alpha=1.0, eta=1.0, prior_features=[2, 3, 4]).fit(X, y)
    >>> [names[j] for j in np.flatnonzero(model.coef_)], round(float(model.prior_[0]), 1)
    (['bmi', 'bp', 's5'], 206.6)
    """

    def __init__(self, alpha: float = 1.0, *, eta: float = 1.0,
                 prior_features: ArrayLike | None = None, fit_intercept: bool = True,
                 max_iter: int = 1000, tol: float = 1e-4,
                 precompute: bool | Literal["auto"] | ArrayLike = "auto",
                 penalty_factor: ArrayLike | None = None) -> None:
        self.alpha = alpha
        self.eta = eta
        self.prior_features = prior_features
        self.fit_intercept = fit_intercept
        self.max_iter = max_iter
        self.tol = tol
        self.precompute = precompute
        self.penalty_factor = penalty_factor

    def _prior(self, X, y, sw, y_prior):
        """The prior predictions on all rows (fitted on the rows of positive weight)."""
        return resolve_prior(
            X, self.prior_features, y_prior, "y_prior",
            lambda given: v.check_float_vector(given, X.shape[0], "y_prior"),
            lambda XF: prior_predictions(XF, y, sw, bool(self.fit_intercept)))

    def fit(self, X: MatrixLike, y: ArrayLike, sample_weight: ArrayLike | None = None,
            y_prior: ArrayLike | None = None) -> Self:
        """Fit the prior model (``prior_features``) or take ``y_prior`` (n_samples,), then
        the Lasso on the blended response. X is read in place (the prior features' columns
        are copied)."""
        X, _ = v.check_design(X)
        y = v.check_target(y, X.shape[0], np.float64)
        sw = v.check_sample_weight(sample_weight, X.shape[0], np.float64)
        eta = v.check_nonnegative(self.eta, "eta")
        self.prior_ = self._prior(X, y, sw, y_prior)
        target = y if self.prior_ is None else blend(y, self.prior_, eta)
        model = Lasso(alpha=self.alpha, fit_intercept=self.fit_intercept,
                      max_iter=self.max_iter, tol=self.tol, precompute=self.precompute,
                      penalty_factor=self.penalty_factor).fit(
            X, target, sample_weight=sample_weight, check_input=False)
        for name in ("coef_", "intercept_", "n_iter_", "dual_gap_", "n_features_in_"):
            setattr(self, name, getattr(model, name))
        return self

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.target_tags.multi_output = False          # one blended response: one target
        return tags
