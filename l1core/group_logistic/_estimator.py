"""``GroupLogisticRegression``: binary logistic regression with the sparse-group penalty, with
scikit-learn's classifier API (the problem: :mod:`l1core.group_logistic._problem`).

A class of its own rather than a ``groups=`` option of :class:`l1core.SparseLogisticRegression`:
that estimator's bounds, multinomial and one-vs-rest models, offsets and class weights run on
the scalar logistic kernel, none of which the group engine has; an option would have to
refuse most combinations. Prediction is shared with it (the same binary fitted attributes).
"""

from __future__ import annotations

import numpy as np

from .._estimator_base import BaseEstimator, ClassifierMixin
from .._group import keep_init_arguments
from .._logistic import SparseLogisticRegression, _encode_labels
from .._typing import ArrayLike, GroupSpec, MatrixLike, Self
from .._validation import check_design
from ._problem import GroupLogisticProblem

__all__ = ["GroupLogisticRegression"]


class GroupLogisticRegression(ClassifierMixin, BaseEstimator):
    """Binary logistic regression with the Sparse Group Lasso penalty, gap-certified:

        1/S sum_i s_i log(1 + exp(-y_i (x_i.w + b)))
            + alpha sum_g w_g (l1_ratio ||w_g||_1 + (1 - l1_ratio) ||w_g||_2)

    (y_i = +1 for ``classes_[1]``, -1 for ``classes_[0]``), by block coordinate descent on
    the group engine (working sets and gap-safe screening of groups).

    Parameters
    ----------
    alpha : float or None, default=None
        Penalty strength (>= 0); None is ``1 / S`` (S the sum of the sample weights), the
        default of :class:`l1core.SparseLogisticRegression` (scikit-learn's ``C=1``).
    l1_ratio : float in [0, 1], default=0.0
        0 is the Group Lasso, 1 the L1 penalty (singleton groups: the sparse logistic model).
    groups : int, labels (n_features,), list of index arrays, or None (singletons)
        As for :class:`l1core.GroupLasso`; features in no group get coefficient 0.
    weights : array (n_groups,) of floats > 0, or None
        Group weights w_g (None: sqrt of the group sizes).
    fit_intercept : bool, default=True
    tol : float, default=1e-4
        Stop when the duality gap is at most ``tol * P_null``, ``P_null`` the objective of
        the best intercept-only model.
    max_iter : int, default=1000
        Maximum number of epochs (passes over the working set).
    warm_start : bool, default=False
    screening : bool, default=True
        Gap-safe elimination of groups (same answer, less work).

    Attributes
    ----------
    classes_ (2,), coef_ (1, n_features) in X's dtype, intercept_ (1,), dual_gap_ (float,
    certificate of the objective above), n_iter_ (1,) epochs, n_features_in_.

    Examples
    --------
    >>> import numpy as np
    >>> from l1core import GroupLogisticRegression
    >>> rng = np.random.default_rng(0)
    >>> X = rng.standard_normal((200, 12))                # 4 groups of 3 columns
    >>> y = (X[:, :3] @ [2.0, -2.0, 1.0] + 0.5 * rng.standard_normal(200) > 0).astype(int)
    >>> clf = GroupLogisticRegression(alpha=0.05, groups=3).fit(X, y)
    >>> np.flatnonzero(clf.coef_[0])                 # the first group, whole
    array([0, 1, 2])
    >>> clf.predict_proba(X[:2]).round(1)            # columns: clf.classes_
    array([[0.3, 0.7],
           [1. , 0. ]])
    """

    _mode = "binary"

    def __init__(self, alpha: float | None = None, *, l1_ratio: float = 0.0,
                 groups: GroupSpec = None, weights: float | ArrayLike | None = None,
                 fit_intercept: bool = True, tol: float = 1e-4, max_iter: int = 1000,
                 warm_start: bool = False, screening: bool = True) -> None:
        keep_init_arguments(self, locals())

    def fit(self, X: MatrixLike, y: ArrayLike, sample_weight: ArrayLike | None = None) -> Self:
        """Fit on X (dense, CSC or CSR; read in place unless dense C-ordered), y (n,) labels
        of two classes."""
        X, _ = check_design(X)
        classes, codes = _encode_labels(y, X.shape[0])
        if classes.shape[0] != 2:
            raise ValueError(f"Only binary classification is supported. y has "
                             f"{classes.shape[0]} classes (GroupLogisticRegression is binary).")
        problem = GroupLogisticProblem(X, codes, groups=self.groups, weights=self.weights,
                                       l1_ratio=self.l1_ratio, sample_weight=sample_weight,
                                       fit_intercept=self.fit_intercept, check_input=False)
        w = b = None
        if self.warm_start and getattr(self, "coef_", None) is not None:
            if self.coef_.shape == (1, problem.n_features):
                w, b = self.coef_[0], self.intercept_[0]
        n_weight = problem.n_samples_weight
        alpha = 1.0 / n_weight if self.alpha is None else self.alpha
        result = problem.solve(alpha, w=w, intercept=b, tol=self.tol, max_iter=self.max_iter,
                               screening=self.screening)
        self.classes_ = classes
        self.coef_ = result.coef[None, :]
        self.intercept_ = np.array([result.intercept if self.fit_intercept else 0.0])
        self.dual_gap_ = result.dual_gap
        self.n_iter_ = np.array([max(result.n_iter, 1)])
        self.n_features_in_ = problem.n_features
        return self

    # prediction: SparseLogisticRegression's binary model, the same fitted attributes
    decision_function = SparseLogisticRegression.decision_function
    predict_proba = SparseLogisticRegression.predict_proba
    predict_log_proba = SparseLogisticRegression.predict_log_proba
    predict = SparseLogisticRegression.predict
    _probabilities = SparseLogisticRegression._probabilities
    _labels = SparseLogisticRegression._labels
    sparse_coef_ = SparseLogisticRegression.sparse_coef_

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.input_tags.sparse = True
        tags.classifier_tags.multi_class = False
        return tags
