"""``LassoLarsIC``: the LARS-Lasso knot that minimizes AIC or BIC."""

from __future__ import annotations

import numpy as np

from .._typing import ArrayLike, Literal, MatrixLike, Self
from ._centering import center_problem, centered_gram
from ._estimators import LassoLars
from ._path import _check_count, _check_nonneg

__all__ = ["LassoLarsIC"]


def noise_variance(Xc, xbar, yc, positive, fit_intercept):
    """scikit-learn's estimate: RSS / (n - p - fit_intercept) of the (non-negative) least
    squares fit of the centered problem, solved on its Gram (p <= n here, so small)."""
    n, p = Xc.shape
    if n <= p + fit_intercept:
        raise ValueError(
            "You are using LassoLarsIC in the case where the number of samples is smaller "
            f"than the number of features (n_samples={n}, n_features={p}, fit_intercept="
            f"{bool(fit_intercept)}). In this setting, getting a good estimate for the "
            "variance of the noise is not possible. Provide an estimate of the noise "
            "variance in the constructor.")
    G = centered_gram(Xc, xbar, n)
    c = np.asarray(Xc.T @ yc, dtype=np.float64).ravel()
    if xbar is not None:
        c -= xbar * yc.sum()
    if positive:
        # min ||X w - y||^2 over w >= 0 <=> min ||R w - R^-T c|| with G = R^T R
        _, s, vt = np.linalg.svd(G, hermitian=True)
        R = np.sqrt(np.maximum(s, 0))[:, None] * vt
        b = (vt @ c) / np.where(s > s.max() * 1e-14, np.sqrt(np.maximum(s, 1e-300)), np.inf)
        from scipy.optimize import nnls   # lazy: only this estimate needs it

        w = nnls(R, b)[0]
    else:
        w = np.linalg.lstsq(G, c, rcond=None)[0]
    rss = yc @ yc - 2 * w @ c + w @ G @ w
    return max(rss, 0.0) / (n - p - fit_intercept)


class LassoLarsIC(LassoLars):
    """The Lasso at the knot of the LARS path minimizing an information criterion
    (scikit-learn's ``LassoLarsIC``):

        criterion_k = n log(2 pi sigma^2) + RSS_k / sigma^2 + factor * df_k,

    factor 2 (AIC) or log(n) (BIC), df_k the number of nonzero coefficients at knot k (an
    unbiased estimate of the degrees of freedom of the Lasso: Zou, Hastie & Tibshirani
    2007), sigma^2 ``noise_variance`` or the least squares estimate (n > p + fit_intercept).

    Attributes: ``alpha_``, ``alphas_``, ``coef_path_``, ``coef_``, ``intercept_``,
    ``criterion_``, ``noise_variance_``, ``n_iter_``.

    Examples
    --------
    >>> from l1core import LassoLarsIC
    >>> from l1core.datasets import load_diabetes
    >>> X, y, names = load_diabetes()
    >>> model = LassoLarsIC(criterion="bic").fit(X, y)
    >>> sorted(names[j] for j in model.active_)[:3], round(float(model.alpha_), 3)
    (['age', 'bmi', 'bp'], 0.045)
    """

    def __init__(self, criterion: Literal["aic", "bic"] = "aic", *, fit_intercept: bool = True,
                 verbose: bool | int = False, precompute: bool | str | ArrayLike = "auto",
                 max_iter: int = 500, eps: float = np.finfo(float).eps, copy_X: bool = True,
                 positive: bool = False, noise_variance: float | None = None) -> None:
        self.criterion = criterion
        self.fit_intercept = fit_intercept
        self.verbose = verbose
        self.precompute = precompute
        self.max_iter = max_iter
        self.eps = eps
        self.copy_X = copy_X
        self.positive = positive
        self.noise_variance = noise_variance

    alpha = 0.0
    jitter = None
    random_state = None
    fit_path = True

    def fit(self, X: MatrixLike, y: ArrayLike, copy_X: bool | None = None) -> Self:
        """Fit the whole path, then pick the knot of smallest criterion."""
        if self.criterion not in ("aic", "bic"):
            raise ValueError(f"criterion should be either bic or aic, got {self.criterion!r}")
        X, storage, y = self._validated(X, y)
        self._path(X, storage, y, max_iter=_check_count(self.max_iter), alpha_min=0.0,
                   positive=bool(self.positive))
        n = X.shape[0]
        factor = 2.0 if self.criterion == "aic" else np.log(n)
        c = center_problem(X, storage, y, self.fit_intercept)
        Xc, xbar, yc = c.X, c.xbar, c.y
        pred = np.asarray(Xc @ self.coef_path_)
        if xbar is not None:
            pred = pred - xbar @ self.coef_path_
        rss = np.sum((yc[:, None] - pred) ** 2, axis=0)
        df = np.sum(np.abs(self.coef_path_) > np.finfo(self.coef_path_.dtype).eps, axis=0)
        if self.noise_variance is None:
            self.noise_variance_ = noise_variance(Xc, xbar, yc, bool(self.positive),
                                                  bool(self.fit_intercept))
        else:
            self.noise_variance_ = _check_nonneg(self.noise_variance, "noise_variance", True)
        self.criterion_ = (n * np.log(2 * np.pi * self.noise_variance_)
                           + rss / self.noise_variance_ + factor * df)
        best = int(np.argmin(self.criterion_))
        self.alpha_ = self.alphas_[best]
        self.coef_ = self.coef_path_[:, best].copy()
        self._set_intercept()
        return self
