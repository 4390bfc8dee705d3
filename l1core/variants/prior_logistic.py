"""The prior Lasso of Jiang, He & Zhang (2016) for the logistic loss: soft labels.

With binary labels ``y_i`` in {0, 1}, prior probabilities ``p_i`` (from prior predictions or
a prior model on the features believed relevant) and ``l(t, z) = -[t log sigma(z) + (1 - t)
log(1 - sigma(z))]``, Jiang et al. minimize ``1/S sum_i s_i [l(y_i, z_i) + eta l(p_i, z_i)]
+ lambda ||w||_1``. The cross-entropy is linear in its label, so this is exactly

    (1 + eta) [ 1/S sum_i s_i l(t_i, z_i) + lambda/(1 + eta) ||w||_1 ],
    t = (y + eta p) / (1 + eta) in [0, 1]:

a sparse logistic regression on the soft labels t at ``alpha = lambda / (1 + eta)``, solved
by l1core's logistic kernel with soft labels (``soft_labels=``: no stacked copy of X). Its
dual is ``sum_i sw_i H(t_i - theta_i / sw_i) - sum_j h_j*(x_j.theta)`` (H the binary entropy:
the conjugate of ``log(1 + e^z) - t z`` is the negative entropy shifted by t), at the point
``theta_i = sw_i (t_i - sigma(z_i))``; ``dual_gap_`` certifies the soft-label objective.
"""

from __future__ import annotations

import numpy as np

from .. import _validation as v
from .._logistic import SparseLogisticRegression, _encode_labels
from .._logistic_solver import LogisticProblem, solve_once
from .._typing import ArrayLike, MatrixLike, Self
from .prior import blend, resolve_prior

__all__ = ["PriorLogisticRegression"]


class PriorLogisticRegression(SparseLogisticRegression):
    """The prior Lasso for two classes: sparse logistic regression on soft labels.

    Minimizes ``1/S sum_i s_i l(t_i, x_i.w + b) + alpha sum_j (l1_ratio |w_j| + (1 -
    l1_ratio)/2 w_j^2)`` with ``t = (y + eta p_prior) / (1 + eta)`` (y in {0, 1} for
    ``classes_[0]``, ``classes_[1]``) and the cross-entropy ``l`` (derivation:
    ``l1core.variants.prior_logistic``).

    Parameters
    ----------
    alpha : float or None, default=None
        Penalty (None: 1/S, scikit-learn's C=1, as :class:`l1core.SparseLogisticRegression`).
    eta : float >= 0, default=1.0
        Weight of the prior: 0 is the sparse logistic regression on y exactly.
    prior_features : array of int, boolean mask or None, default=None
        Features believed relevant: the prior probabilities are those of an l2-penalized
        logistic regression (C=1) on them (their columns copied, dense). None: the prior is
        ``fit(..., p_prior=)``; neither: no prior.
    l1_ratio, fit_intercept, tol, max_iter
        As for :class:`l1core.SparseLogisticRegression`.

    Attributes
    ----------
    classes_, coef_, intercept_, n_iter_, dual_gap_, n_features_in_
        As for :class:`l1core.SparseLogisticRegression` (``dual_gap_`` of the soft-label
        objective).
    prior_ : ndarray (n_samples,), the prior probabilities of ``classes_[1]`` (or None)

    Examples
    --------
    >>> import numpy as np
    >>> from l1core import PriorLogisticRegression
    >>> from l1core.datasets import load_diabetes
    >>> X, y, names = load_diabetes()
    >>> clf = PriorLogisticRegression(alpha=0.005, eta=1.0, prior_features=[2, 3]).fit(
    ...     X, y > 140)
    >>> [names[j] for j in np.flatnonzero(clf.coef_)]
    ['bmi', 's5']
    """

    def __init__(self, alpha: float | None = None, *, eta: float = 1.0,
                 prior_features: ArrayLike | None = None, l1_ratio: float = 1.0,
                 fit_intercept: bool = True, tol: float = 1e-4, max_iter: int = 1000) -> None:
        self.alpha = alpha
        self.eta = eta
        self.prior_features = prior_features
        self.l1_ratio = l1_ratio
        self.fit_intercept = fit_intercept
        self.tol = tol
        self.max_iter = max_iter

    def _prior(self, X, codes, sw, p_prior):
        def check_given(given):
            p = v.check_float_vector(given, X.shape[0], "p_prior")
            if np.any((p < 0) | (p > 1)):
                raise ValueError("p_prior must hold probabilities in [0, 1].")
            return p

        def fit_on_columns(XF):
            model = SparseLogisticRegression(l1_ratio=0.0, fit_intercept=self.fit_intercept)
            return model.fit(XF, codes, sample_weight=sw).predict_proba(XF)[:, 1]

        return resolve_prior(X, self.prior_features, p_prior, "p_prior", check_given,
                             fit_on_columns)

    def fit(self, X: MatrixLike, y: ArrayLike, sample_weight: ArrayLike | None = None,
            p_prior: ArrayLike | None = None) -> Self:
        """Fit the prior model (``prior_features``) or take ``p_prior`` (n_samples,)
        probabilities of ``classes_[1]``, then the logistic model on the soft labels."""
        X, _ = v.check_design(X)
        classes, codes = _encode_labels(y, X.shape[0])
        if classes.shape[0] != 2:
            raise ValueError(f"Only binary classification is supported (soft labels need two "
                             f"classes); y has {classes.shape[0]}.")
        sw = v.check_sample_weight(sample_weight, X.shape[0], np.float64)
        eta = v.check_nonnegative(self.eta, "eta")
        self.prior_ = self._prior(X, codes, sw, p_prior)
        hard = codes.astype(np.float64)
        soft = hard if self.prior_ is None else blend(hard, self.prior_, eta)
        problem = LogisticProblem(X, codes, l1_ratio=self.l1_ratio, sample_weight=sw,
                                  fit_intercept=self.fit_intercept, check_input=False,
                                  soft_labels=soft)
        alpha = 1.0 / sw.sum() if self.alpha is None else self.alpha
        result = solve_once(problem, alpha, tol=self.tol, max_iter=self.max_iter)
        self.classes_ = classes
        self.coef_ = result.coef[np.newaxis, :]
        self.intercept_ = np.array([result.intercept if self.fit_intercept else 0.0])
        self.n_iter_ = np.array([max(result.n_iter, 1)])
        self.dual_gap_ = float(result.dual_gap)
        self._mode = "binary"
        self.n_features_in_ = X.shape[1]
        return self

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.classifier_tags.multi_class = False       # soft labels: two classes only
        return tags
