"""``Lars`` and ``LassoLars``: the estimators of one LARS path, with scikit-learn's API."""

from __future__ import annotations

import numbers

import numpy as np

from .._typing import ArrayLike, MatrixLike, Seed, Self
from .._estimator_base import BaseEstimator, RegressorMixin, check_is_fitted
from .._validation import check_design, check_sample_weight, check_target
from ._centering import center_problem, centered_gram
from ._interpolate import coef_at_alpha
from ._path import _check_count, _check_nonneg, run_lars

__all__ = ["Lars", "LassoLars"]


class _LarsBase(RegressorMixin, BaseEstimator):
    """Fit one LARS path on the centered problem; predict, interpolate between knots."""

    method = "lar"

    def _validated(self, X, y):
        X, storage = check_design(X)
        y = check_target(y, X.shape[0], np.float64)
        return X, storage, y

    @staticmethod
    def _weights(sample_weight, X):
        """Validated weights, or None for unit weights (the unweighted problem)."""
        if sample_weight is None:
            return None
        return check_sample_weight(sample_weight, X.shape[0], np.float64)

    def _gram(self, Xc, xbar, storage, n_samples):
        pre = self.precompute
        if isinstance(pre, str):
            if pre != "auto":
                raise ValueError(f"precompute must be 'auto', a boolean or an array, got {pre!r}.")
            pre = storage == "dense" and Xc.shape[0] > Xc.shape[1]
        if hasattr(pre, "__array__"):
            return np.ascontiguousarray(pre, dtype=np.float64)
        if not isinstance(pre, (bool, np.bool_)):
            raise TypeError(f"precompute must be 'auto', a boolean or an array, got {pre!r}.")
        return centered_gram(Xc, xbar, n_samples) if pre else None

    def _path(self, X, storage, y, *, max_iter, alpha_min, positive, return_path=True,
              sample_weight=None):
        """The path of the centered (weighted) problem; sets the fitted attributes."""
        c = center_problem(X, storage, y, self.fit_intercept, sample_weight)
        Xc, xbar, yc = c.X, c.xbar, c.y
        Gram = self._gram(Xc, xbar, storage, c.n_samples)
        if Gram is not None and Gram.shape != (X.shape[1], X.shape[1]):
            raise ValueError(f"precompute has shape {Gram.shape}, expected "
                             f"({X.shape[1]}, {X.shape[1]}).")
        cov = None
        if Gram is not None:
            cov = np.asarray(Xc.T @ yc, dtype=np.float64).ravel()
            if xbar is not None:
                cov -= xbar * (yc.sum() if c.q is None else c.q @ yc)
        alphas, active, coefs, n_iter = run_lars(
            Xc, storage, yc, xbar=xbar, xq=c.q, Xy=cov, Gram=Gram, n_samples=c.n_samples,
            max_iter=max_iter,
            alpha_min=alpha_min, method=self.method, eps=_check_nonneg(self.eps, "eps", True),
            return_path=return_path, positive=positive,
            max_active=c.max_active)
        self.alphas_ = alphas
        self.n_iter_ = n_iter
        self.n_features_in_ = X.shape[1]
        self._x_offset, self._y_offset = c.x_offset, c.y_offset
        if return_path:
            self.active_ = active
            self.coef_path_ = coefs
            self.coef_ = coefs[:, -1].copy()
        else:
            self.coef_ = coefs
        self._set_intercept()
        return self

    def _set_intercept(self):
        self.intercept_ = (float(self._y_offset - self._x_offset @ self.coef_)
                           if self.fit_intercept else 0.0)

    def _jittered(self, y):
        if self.jitter is None:
            return y
        rng = _sklearn_like_rng(self.random_state)
        return y + rng.uniform(high=_check_nonneg(self.jitter, "jitter"), size=len(y))

    def predict(self, X: MatrixLike) -> np.ndarray:
        """``X @ coef_ + intercept_``."""
        check_is_fitted(self)
        X, _ = check_design(X)
        if X.shape[1] != self.n_features_in_:
            raise ValueError(f"X has {X.shape[1]} features, but {type(self).__name__} is "
                             f"expecting {self.n_features_in_} features as input.")
        return np.asarray(X @ self.coef_, dtype=np.float64).ravel() + self.intercept_

    def coef_at(self, alpha: ArrayLike) -> np.ndarray:
        """Coefficients at any ``alpha`` (number or array), linear between the knots of
        ``coef_path_`` (exact for the Lasso path). Needs ``fit_path=True``."""
        check_is_fitted(self, "coef_path_")
        return coef_at_alpha(self.alphas_, self.coef_path_, alpha)

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.input_tags.sparse = True
        return tags


def _sklearn_like_rng(random_state):
    """A RandomState drawing as scikit-learn's ``check_random_state`` would."""
    if random_state is None or random_state is np.random:
        return np.random.mtrand._rand
    if isinstance(random_state, numbers.Integral) and not isinstance(random_state, bool):
        return np.random.RandomState(int(random_state))
    if isinstance(random_state, np.random.RandomState):
        return random_state
    raise ValueError(f"random_state must be None, an int or a RandomState, got {random_state!r}.")


class Lars(_LarsBase):
    """Least Angle Regression (Efron et al. 2004): ``n_nonzero_coefs`` steps of the LARS path.

    scikit-learn's ``Lars`` (parameters and attributes), on dense, CSC or CSR X (sparse X is
    centered implicitly, never densified; dense X with an intercept is centered in a copy).
    ``fit`` takes ``sample_weight`` (the loss 1/(2S) sum_i s_i r_i^2, alphas scaled by S).

    Attributes
    ----------
    alphas_ : ndarray (n_knots,)
        ``max_j |x~_j . r| / n_samples`` at each knot.
    active_ : list of int
        Active features at the end of the path, in order of entry.
    coef_path_ : ndarray (n_features, n_knots)
    coef_ : ndarray (n_features,)
    intercept_ : float
    n_iter_ : int

    Examples
    --------
    >>> from l1core import Lars
    >>> from l1core.datasets import load_diabetes
    >>> X, y, names = load_diabetes()
    >>> model = Lars(n_nonzero_coefs=3).fit(X, y)
    >>> [names[j] for j in model.active_]
    ['bmi', 's5', 'bp']
    """

    method = "lar"

    def __init__(self, *, fit_intercept: bool = True, verbose: bool | int = False,
                 precompute: bool | str | ArrayLike = "auto", n_nonzero_coefs: int = 500,
                 eps: float = np.finfo(float).eps, copy_X: bool = True, fit_path: bool = True,
                 jitter: float | None = None, random_state: Seed = None) -> None:
        self.fit_intercept = fit_intercept
        self.verbose = verbose
        self.precompute = precompute
        self.n_nonzero_coefs = n_nonzero_coefs
        self.eps = eps
        self.copy_X = copy_X
        self.fit_path = fit_path
        self.jitter = jitter
        self.random_state = random_state

    def fit(self, X: MatrixLike, y: ArrayLike, Xy: ArrayLike | None = None,
            sample_weight: ArrayLike | None = None) -> Self:
        """Fit the path on (X, y). ``Xy`` is accepted for compatibility and recomputed.
        ``sample_weight``: the loss becomes 1/(2S) sum_i s_i (y_i - x_i.w - b)^2 (S = sum s):
        the path of sqrt(s)-scaled rows (dense: in the centering copy; sparse: a copy of the
        stored values)."""
        X, storage, y = self._validated(X, y)
        return self._path(X, storage, self._jittered(y),
                          max_iter=_check_count(self.n_nonzero_coefs), alpha_min=0.0,
                          positive=False, return_path=bool(self.fit_path),
                          sample_weight=self._weights(sample_weight, X))


class LassoLars(_LarsBase):
    """The Lasso by LARS: the exact path down to ``alpha``, whose last knot is the solution of

        1/(2 n_samples) ||y - X w - b||^2 + alpha ||w||_1.

    scikit-learn's ``LassoLars`` (parameters and attributes, see :class:`Lars`); dense, CSC
    or CSR X; sample weights as in :class:`Lars`. ``coef_at(alpha)`` gives the solution at
    any larger alpha.

    Examples
    --------
    >>> import numpy as np
    >>> from l1core import LassoLars
    >>> from l1core.datasets import load_diabetes
    >>> X, y, names = load_diabetes()
    >>> model = LassoLars(alpha=1.0).fit(X, y)
    >>> [names[j] for j in np.flatnonzero(model.coef_)]
    ['bmi', 'bp', 's5']
    """

    method = "lasso"

    def __init__(self, alpha: float = 1.0, *, fit_intercept: bool = True,
                 verbose: bool | int = False, precompute: bool | str | ArrayLike = "auto",
                 max_iter: int = 500, eps: float = np.finfo(float).eps, copy_X: bool = True,
                 fit_path: bool = True, positive: bool = False, jitter: float | None = None,
                 random_state: Seed = None) -> None:
        self.alpha = alpha
        self.fit_intercept = fit_intercept
        self.verbose = verbose
        self.precompute = precompute
        self.max_iter = max_iter
        self.eps = eps
        self.copy_X = copy_X
        self.fit_path = fit_path
        self.positive = positive
        self.jitter = jitter
        self.random_state = random_state

    def fit(self, X: MatrixLike, y: ArrayLike, Xy: ArrayLike | None = None,
            sample_weight: ArrayLike | None = None) -> Self:
        """Fit the path from alpha_max down to ``alpha``. ``Xy`` is accepted for
        compatibility and recomputed. ``sample_weight`` as in :meth:`Lars.fit`."""
        X, storage, y = self._validated(X, y)
        return self._path(X, storage, self._jittered(y), max_iter=_check_count(self.max_iter),
                          alpha_min=_check_nonneg(self.alpha, "alpha"),
                          positive=bool(self.positive), return_path=bool(self.fit_path),
                          sample_weight=self._weights(sample_weight, X))
