"""Initial estimators of the adaptive Lasso and the adaptive weights they give.

``initial_coef`` fits ``b_init`` on the rows of positive weight only: the built-in methods
read X in place with the held-out rows at weight zero (which every l1core solver treats
exactly as dropped rows); a user's estimator is fitted on a copy of the training rows
``X[train]`` (it may not honour zero weights). Cross-validation calls it once per training
fold, so the weights never see the held-out rows.

Adaptive weights (Zou 2006; with ``eps > 0`` the reweighting of Candes, Wakin & Boyd 2008):
``v_j = 1 / (|b_j| + eps)^gamma``. A feature with ``|b_j| + eps = 0`` (or an overflowing
weight) has an infinite weight: it is excluded by the bounds ``0 <= w_j <= 0`` with a unit
factor, so no infinity reaches the kernel and the duality gap stays that of the weighted
problem (the conjugate of the indicator of {0} is 0).
"""

from __future__ import annotations

import numbers
from typing import Any, Union

import numpy as np

from .. import _validation as v
from .._typing import ArrayLike
from ._ridge import least_squares_coef, ridge_coef, ridge_coef_iterative

#: ``init``: a method name, an unfitted estimator or the coefficients
InitSpec = Union[str, ArrayLike, Any]

__all__ = ["InitSpec", "INITS", "check_init", "check_init_alpha", "initial_coef",
           "adaptive_weights", "penalty_arrays"]

INITS = {"squared": ("ridge", "ols", "lasso_cv", "enet_cv"),
         "logistic": ("ridge", "lasso_cv", "enet_cv")}


def check_init_alpha(init_alpha):
    """``init_alpha``: None or a finite real > 0."""
    return None if init_alpha is None else v.check_positive(init_alpha, "init_alpha")


def check_init(init, n_features, loss):
    """``init`` checked: a method name of ``INITS[loss]``, an unfitted estimator (with
    ``fit`` and ``get_params``; its fitted ``coef_`` is read) or an array (n_features,)."""
    if isinstance(init, str):
        if init not in INITS[loss]:
            raise ValueError(f"init must be one of {INITS[loss]}, an estimator or an array of "
                             f"shape (n_features,), got {init!r}.")
        return init
    if callable(getattr(init, "fit", None)):
        if not callable(getattr(init, "get_params", None)):
            raise TypeError("An init estimator must have get_params (scikit-learn's API).")
        return init
    arr = np.asarray(init, dtype=np.float64) if not isinstance(init, numbers.Number) else None
    if arr is None or arr.shape != (n_features,) or not np.all(np.isfinite(arr)):
        raise ValueError(f"An init array must hold {n_features} finite values (one per "
                         f"feature), got {init!r}.")
    return arr


def initial_coef(init, X, y, sw, train, *, fit_intercept, loss, unweighted=False,
                 random_state=None, init_alpha=None):
    """``b_init`` (n_features,) fitted on the rows ``train`` (None: all rows) with sample
    weights ``sw`` (a user's estimator gets them unless ``unweighted``: the user passed
    none); for several classes, the largest |coefficient| over the classes. ``init_alpha``:
    the ridge penalty of init="ridge" (None: chosen by GCV for the squared loss, 1/S for the
    logistic loss)."""
    if isinstance(init, np.ndarray):
        return init
    fold_sw = sw if train is None else sw * np.bincount(train, minlength=X.shape[0])
    if isinstance(init, str):
        coef = _builtin(init, X, y, fold_sw, fit_intercept, loss, random_state, init_alpha)
    else:
        model = type(init)(**init.get_params(deep=False))
        Xt, yt, st = (X, y, sw) if train is None else (X[train], y[train], sw[train])
        model.fit(Xt, yt, **({} if unweighted else {"sample_weight": st}))
        coef = np.asarray(model.coef_, dtype=np.float64)
    coef = np.atleast_2d(coef)
    return np.abs(coef).max(axis=0) if coef.shape[0] > 1 else coef[0]


def _builtin(init, X, y, sw, fit_intercept, loss, random_state, init_alpha):
    from .. import (ElasticNetCV, LassoCV, SparseLogisticRegression,
                    SparseLogisticRegressionCV)
    if loss == "squared":
        if init == "ridge" and init_alpha is not None:
            return ridge_coef_iterative(X, y, sw, fit_intercept, init_alpha)
        if init == "ridge":
            return ridge_coef(X, y, sw, fit_intercept)[0]
        if init == "ols":
            return least_squares_coef(X, y, sw, fit_intercept)
        cls = LassoCV if init == "lasso_cv" else ElasticNetCV
        return cls(cv=5, keep_path=False, fit_intercept=fit_intercept, n_alphas=50,
                   random_state=random_state).fit(X, y, sample_weight=sw).coef_
    if init == "ridge":                        # scikit-learn's default C=1, l2 penalty
        model = SparseLogisticRegression(alpha=init_alpha, l1_ratio=0.0,
                                         fit_intercept=fit_intercept)
    else:
        model = SparseLogisticRegressionCV(cv=5, keep_path=False, fit_intercept=fit_intercept,
                                           n_alphas=30, l1_ratio=1.0 if init == "lasso_cv"
                                           else 0.5)
    return model.fit(X, y, sample_weight=sw).coef_


def adaptive_weights(coef, gamma, eps):
    """``1 / (|coef| + eps)^gamma``, inf where that overflows or ``|coef| + eps = 0``."""
    base = np.abs(np.asarray(coef, dtype=np.float64)) + eps
    with np.errstate(divide="ignore", over="ignore"):
        weights = base ** -gamma
    weights[~np.isfinite(weights)] = np.inf
    return weights


def penalty_arrays(weights):
    """(penalty_factor, lower_bounds, upper_bounds) for the solvers: the finite weights as
    factors; excluded features (inf) a factor 1 and the bounds [0, 0]."""
    excluded = ~np.isfinite(weights)
    factor = np.where(excluded, 1.0, weights)
    lower = np.where(excluded, 0.0, -np.inf)
    upper = np.where(excluded, 0.0, np.inf)
    return factor, lower, upper
