"""The adaptive Lasso (Zou 2006) and its Elastic Net and logistic counterparts.

Given an initial estimate ``b_init`` (``l1core.variants._initial``), the adaptive Lasso solves
the weighted Lasso

    min_{w, b}  1/(2S) sum_i s_i (y_i - x_i.w - b)^2 + alpha sum_j v_j |w_j|,
    v_j = 1 / (|b_init_j| + weight_eps)^gamma,

(the Elastic Net and logistic versions weight their whole penalty the same way: glmnet's
penalty factors), features with an infinite weight fixed at zero. ``n_reweight > 0`` repeats
the step with ``b_init`` the last solution, warm-started: the iteratively reweighted L1 of
Candes, Wakin & Boyd (2008) (with ``weight_eps > 0``; with 0, the multi-step adaptive Lasso
of Buhlmann & Meier 2008). ``coef_`` is on the user's scale (X is not rescaled: the weights
are penalty factors) and ``dual_gap_`` certifies the last weighted problem, whose factors are
``weights_``.
"""

from __future__ import annotations

import numpy as np

from .. import _validation as v
from .._linear_model import ElasticNet
from .._logistic import SparseLogisticRegression, _encode_labels
from .._typing import ArrayLike, Literal, MatrixLike, Seed, Self
from ._initial import (InitSpec, adaptive_weights, check_init, check_init_alpha, initial_coef,
                       penalty_arrays)

__all__ = ["AdaptiveElasticNet", "AdaptiveLasso", "AdaptiveLogisticRegression"]

_PARAMETERS = """gamma : float > 0, default=1.0
        Exponent of the weights ``v_j = 1 / (|b_init_j| + weight_eps)^gamma``.
    init : {"ridge", "ols", "lasso_cv", "enet_cv"}, estimator or array, default="ridge"
        The initial estimate ``b_init``: weighted ridge with its penalty chosen by
        generalized cross-validation (closed form from one eigendecomposition of the
        min(n, p) Gram matrix; near least squares when n >> p, and defined for p > n),
        least squares ("ols": refused unless p < n and the design has full rank), a
        5-fold cross-validated Lasso / Elastic Net (l1_ratio 0.5) (their zeros are excluded
        for good), an unfitted estimator with scikit-learn's API (cloned, fitted on the
        training rows, ``coef_`` read), or the coefficients themselves. The default is ridge
        for every shape: it exists when p > n, never excludes a feature the first stage
        missed (a Lasso's zeros are final), and costs one eigendecomposition, not a
        cross-validation.
    init_alpha : float > 0 or None, default=None
        The ridge penalty of init="ridge" (scikit-learn's ``Ridge(alpha=)`` with the same
        weights; logistic: the l2 logistic alpha). None chooses it by GCV (squared loss; one
        eigendecomposition, O(min(n, p)^3)); a value solves the ridge by LSQR instead
        (O(nnz(X)) per iteration: the choice for large min(n, p)).
    weight_eps : float >= 0, default=0.0
        Added to ``|b_init_j|``: 0 excludes the features with ``b_init_j = 0`` (Zou); > 0
        keeps every feature (Candes et al.'s epsilon).
    n_reweight : int >= 0, default=0
        Extra reweighting rounds, each with ``b_init`` the previous solution."""


class _AdaptiveSteps:
    """The adaptive fit shared by the estimators: weights from ``b_init``, then
    ``1 + n_reweight`` weighted solves by ``self._solver(factor, lower, upper)``."""

    _loss = "squared"

    def _check_adaptive(self, p):
        gamma = v.check_positive(self.gamma, "gamma")
        eps = v.check_nonnegative(self.weight_eps, "weight_eps")
        rounds = v.check_count(self.n_reweight, "n_reweight")
        return gamma, eps, rounds, check_init(self.init, p, self._loss)

    def _init_alpha(self):
        return check_init_alpha(self.init_alpha)

    def _fit_adaptive(self, X, y, sw, unweighted, fit_target=None):
        """Fit on validated X; ``fit_target`` is what the solver's ``fit`` takes as y (the
        labels for the logistic loss). Returns the last fitted solver."""
        gamma, eps, rounds, init = self._check_adaptive(X.shape[1])
        target = y if fit_target is None else fit_target
        b_init = initial_coef(init, X, target, sw, None, fit_intercept=self.fit_intercept,
                              loss=self._loss, unweighted=unweighted,
                              init_alpha=self._init_alpha())
        self.init_coef_ = np.array(b_init, dtype=np.float64)
        model, self._epochs = None, 0
        for _ in range(1 + rounds):
            weights = adaptive_weights(b_init, gamma, eps)
            factor, lower, upper = penalty_arrays(weights)
            if model is None:
                model = self._solver(factor, lower, upper)
            else:
                model.set_params(penalty_factor=factor, lower_bounds=lower, upper_bounds=upper)
            model.fit(X, target, sample_weight=None if unweighted else sw)
            self._epochs += int(np.sum(model.n_iter_))
            b_init = np.atleast_2d(model.coef_)
            b_init = np.abs(b_init).max(axis=0)
        self.weights_ = weights
        return model


class AdaptiveElasticNet(_AdaptiveSteps, ElasticNet):
    __doc__ = f"""Adaptive Elastic Net: :class:`l1core.ElasticNet` with adaptive penalty factors.

    Minimizes ``1/(2S) sum_i s_i (y_i - x_i.w - b)^2 + alpha sum_j v_j (l1_ratio |w_j| +
    (1 - l1_ratio)/2 w_j^2)``, ``v_j = 1 / (|b_init_j| + weight_eps)^gamma`` (infinite:
    ``w_j = 0``). The factors weight the whole penalty (glmnet's penalty factors; Zou & Zhang
    2009 weight only its l1 part). Module ``l1core.variants.adaptive`` has the details.

    Parameters
    ----------
    alpha, l1_ratio, fit_intercept, max_iter, tol, precompute
        As for :class:`l1core.ElasticNet`.
    {_PARAMETERS}

    Attributes
    ----------
    coef_, intercept_, dual_gap_, n_features_in_
        As for :class:`l1core.ElasticNet`, of the last weighted solve: ``dual_gap_``
        certifies the weighted problem with factors ``weights_``.
    n_iter_ : int, epochs of all the weighted solves (at least 1)
    weights_ : ndarray (n_features,), the factors ``v_j`` of the last solve (inf: excluded)
    init_coef_ : ndarray (n_features,), the first ``b_init``

    Examples
    --------
    >>> import numpy as np
    >>> from l1core import AdaptiveElasticNet
    >>> from l1core.datasets import load_diabetes
    >>> X, y, names = load_diabetes()
    >>> model = AdaptiveElasticNet(alpha=300.0, l1_ratio=0.9).fit(X, y)
    >>> [names[j] for j in np.flatnonzero(model.coef_)]
    ['bmi', 'bp', 's1', 's5']
    """

    def __init__(self, alpha: float = 1.0, *, l1_ratio: float = 0.5, gamma: float = 1.0,
                 init: InitSpec = "ridge", init_alpha: float | None = None,
                 weight_eps: float = 0.0, n_reweight: int = 0,
                 fit_intercept: bool = True, max_iter: int = 1000, tol: float = 1e-4,
                 precompute: bool | Literal["auto"] | ArrayLike = "auto") -> None:
        self.alpha = alpha
        self.l1_ratio = l1_ratio
        self.gamma = gamma
        self.init = init
        self.init_alpha = init_alpha
        self.weight_eps = weight_eps
        self.n_reweight = n_reweight
        self.fit_intercept = fit_intercept
        self.max_iter = max_iter
        self.tol = tol
        self.precompute = precompute

    def _solver(self, factor, lower, upper):
        return ElasticNet(alpha=self.alpha, l1_ratio=self._effective_l1_ratio(),
                          fit_intercept=self.fit_intercept, max_iter=self.max_iter,
                          tol=self.tol, precompute=self.precompute, warm_start=True,
                          penalty_factor=factor, lower_bounds=lower, upper_bounds=upper)

    def fit(self, X: MatrixLike, y: ArrayLike, sample_weight: ArrayLike | None = None) -> Self:
        """Fit ``b_init``, then the weighted model(s). X is read in place (see
        :meth:`l1core.ElasticNet.fit`); a user's init estimator gets a copy of its rows."""
        X, _ = v.check_design(X)
        y = v.check_target(y, X.shape[0], np.float64)
        sw = v.check_sample_weight(sample_weight, X.shape[0], np.float64)
        model = self._fit_adaptive(X, y, sw, sample_weight is None)
        self.coef_ = model.coef_
        self.intercept_ = model.intercept_
        self.n_iter_ = max(self.__dict__.pop("_epochs"), 1)     # epochs of all the rounds
        self.dual_gap_ = model.dual_gap_
        self.n_features_in_ = X.shape[1]
        return self


    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.target_tags.multi_output = False          # one weight vector: one target
        return tags


class AdaptiveLasso(AdaptiveElasticNet):
    __doc__ = f"""The adaptive Lasso of Zou (2006): a Lasso with penalty factors from ``b_init``.

    Minimizes ``1/(2S) sum_i s_i (y_i - x_i.w - b)^2 + alpha sum_j v_j |w_j|`` with
    ``v_j = 1 / (|b_init_j| + weight_eps)^gamma`` (infinite: ``w_j = 0``). With a
    root-n-consistent ``b_init`` and a suitable alpha it selects the true support with
    probability tending to one where the Lasso cannot (Zou's oracle property).

    Parameters
    ----------
    alpha, fit_intercept, max_iter, tol, precompute
        As for :class:`l1core.Lasso`.
    {_PARAMETERS}

    Attributes
    ----------
    coef_, intercept_, dual_gap_, n_features_in_
        As for :class:`l1core.Lasso`, of the last weighted solve (coefficients on the user's
        scale; ``dual_gap_`` certifies the Lasso with factors ``weights_``).
    n_iter_ : int, epochs of all the weighted solves (at least 1)
    weights_ : ndarray (n_features,), the factors ``v_j`` of the last solve (inf: excluded)
    init_coef_ : ndarray (n_features,), the first ``b_init``

    Examples
    --------
    >>> import numpy as np
    >>> from l1core import AdaptiveLasso
    >>> from l1core.datasets import load_diabetes
    >>> X, y, names = load_diabetes()
    >>> model = AdaptiveLasso(alpha=100.0).fit(X, y)    # weights ~ 1/|b_init| ~ 1/500
    >>> [names[j] for j in np.flatnonzero(model.coef_)]
    ['bmi', 'bp', 's1', 's5']
    >>> bool(model.dual_gap_ <= model.tol * y.var())
    True
    """

    def __init__(self, alpha: float = 1.0, *, gamma: float = 1.0, init: InitSpec = "ridge",
                 init_alpha: float | None = None, weight_eps: float = 0.0,
                 n_reweight: int = 0, fit_intercept: bool = True, max_iter: int = 1000,
                 tol: float = 1e-4,
                 precompute: bool | Literal["auto"] | ArrayLike = "auto") -> None:
        super().__init__(alpha=alpha, l1_ratio=1.0, gamma=gamma, init=init,
                         init_alpha=init_alpha,
                         weight_eps=weight_eps, n_reweight=n_reweight,
                         fit_intercept=fit_intercept, max_iter=max_iter, tol=tol,
                         precompute=precompute)
        del self.l1_ratio

    def _effective_l1_ratio(self):
        return 1.0


class AdaptiveLogisticRegression(_AdaptiveSteps, SparseLogisticRegression):
    __doc__ = f"""Adaptive sparse logistic regression: :class:`l1core.SparseLogisticRegression`
    with adaptive penalty factors.

    Minimizes the logistic loss of :class:`l1core.SparseLogisticRegression` plus
    ``alpha sum_j v_j (l1_ratio |w_j| + (1 - l1_ratio)/2 w_j^2)``, ``v_j = 1 / (|b_init_j|
    + weight_eps)^gamma`` (infinite: ``w_j = 0`` for every class). With several classes
    ``b_init_j`` is the largest ``|coefficient|`` of feature j over the classes.

    Parameters
    ----------
    alpha, l1_ratio, fit_intercept, tol, max_iter, multi_class
        As for :class:`l1core.SparseLogisticRegression` (alpha None: ``1/S``).
    gamma, init_alpha, weight_eps, n_reweight
        As for :class:`l1core.AdaptiveLasso`.
    init : {{"ridge", "lasso_cv", "enet_cv"}}, estimator or array, default="ridge"
        ``b_init``: l2-penalized logistic regression at scikit-learn's default ``C=1``
        (alpha = 1/S), a 5-fold cross-validated L1 / Elastic-Net logistic regression, an
        unfitted estimator (cloned, fitted on the rows, ``coef_`` read) or an array.

    Attributes
    ----------
    classes_, coef_, intercept_, n_iter_, dual_gap_, n_features_in_
        As for :class:`l1core.SparseLogisticRegression`, of the last weighted solve.
    weights_, init_coef_
        As for :class:`l1core.AdaptiveLasso`.

    Examples
    --------
    >>> import numpy as np
    >>> from l1core import AdaptiveLogisticRegression
    >>> from l1core.datasets import load_diabetes
    >>> X, y, names = load_diabetes()
    >>> clf = AdaptiveLogisticRegression(alpha=0.01).fit(X, y > 140)
    >>> [names[j] for j in np.flatnonzero(clf.coef_)]
    ['bmi', 'bp', 's5']
    """

    _loss = "logistic"

    def __init__(self, alpha: float | None = None, *, l1_ratio: float = 1.0,
                 gamma: float = 1.0, init: InitSpec = "ridge", init_alpha: float | None = None,
                 weight_eps: float = 0.0,
                 n_reweight: int = 0, fit_intercept: bool = True, tol: float = 1e-4,
                 max_iter: int = 1000,
                 multi_class: Literal["auto", "multinomial", "ovr"] = "auto",
                 random_state: Seed = None) -> None:
        self.alpha = alpha
        self.l1_ratio = l1_ratio
        self.gamma = gamma
        self.init = init
        self.init_alpha = init_alpha
        self.weight_eps = weight_eps
        self.n_reweight = n_reweight
        self.fit_intercept = fit_intercept
        self.tol = tol
        self.max_iter = max_iter
        self.multi_class = multi_class
        self.random_state = random_state

    def _solver(self, factor, lower, upper):
        return SparseLogisticRegression(
            alpha=self.alpha, l1_ratio=self.l1_ratio, fit_intercept=self.fit_intercept,
            tol=self.tol, max_iter=self.max_iter, multi_class=self.multi_class,
            warm_start=True, penalty_factor=factor, lower_bounds=lower, upper_bounds=upper)

    def fit(self, X: MatrixLike, y: ArrayLike, sample_weight: ArrayLike | None = None) -> Self:
        """Fit ``b_init``, then the weighted model(s); y: labels of any type."""
        X, _ = v.check_design(X)
        _encode_labels(y, X.shape[0])                        # the label checks, early
        sw = v.check_sample_weight(sample_weight, X.shape[0], np.float64)
        model = self._fit_adaptive(X, None, sw, sample_weight is None,
                                   fit_target=np.asarray(y))
        for name in ("classes_", "coef_", "intercept_", "n_iter_", "dual_gap_", "_mode",
                     "n_features_in_"):
            setattr(self, name, getattr(model, name))
        epochs = self.__dict__.pop("_epochs")
        if self.n_iter_.size == 1:
            self.n_iter_ = np.array([max(epochs, 1)])          # epochs of all the rounds
        return self
