"""The binary sparse logistic regression on a row-partitioned Dask array."""

from __future__ import annotations

import dask.array as da
import numpy as np

from .. import _validation as v
from .._estimator_base import BaseEstimator, ClassifierMixin, check_is_fitted
from .._typing import Any, ArrayLike, Literal, Seed, Self, Verbose
from ._estimators import (_WEIGHT_EQUIVALENCE, SparseInputTags, _check_options, _store,
                          _unsupported, decision)
from ._logistic_loss import LogisticLoss
from ._partitions import RowPartitions
from ._working_set import working_set_solve

__all__ = ["SparseLogisticRegression"]


# scikit-learn's checks that fit three or more classes (the distributed model is binary)
_MULTICLASS_CHECKS = (
    "check_fit_score_takes_y", "check_estimators_overwrite_params",
    "check_dont_overwrite_parameters", "check_estimators_fit_returns_self",
    "check_readonly_memmap_input", "check_n_features_in_after_fitting",
    "check_positive_only_tag_during_fit", "check_sample_weights_list", "check_dtype_object",
    "check_estimator_sparse_tag", "check_estimator_sparse_array",
    "check_estimator_sparse_matrix", "check_f_contiguous_array_estimator",
    "check_classifiers_classes", "check_classifiers_train", "check_supervised_y_2d",
    "check_non_transformer_estimators_n_iter", "check_methods_sample_order_invariance",
    "check_methods_subset_invariance", "check_dict_unchanged", "check_fit2d_predict1d",
    "check_estimators_dtypes", "check_pipeline_consistency", "check_fit_idempotent",
    "check_fit_check_is_fitted", "check_n_features_in", "check_estimators_pickle",
    "check_estimators_nan_inf", "check_classifier_data_not_an_array",
    "check_classifiers_one_label_sample_weights", "check_decision_proba_consistency",
    "check_classifiers_multilabel_output_format_predict")


class SparseLogisticRegression(SparseInputTags, ClassifierMixin, BaseEstimator):
    """Binary L1 (and L2) penalized logistic regression on a row-partitioned Dask array,
    certified by the duality gap.

    Objective, parameters and stopping rule (``gap <= tol * P_null``) of
    :class:`l1core.SparseLogisticRegression` (``alpha=None``: ``1 / S``, scikit-learn's
    ``C=1``); solved like :class:`l1core.distributed.ElasticNet` (distributed full passes,
    the working set solved on the driver by the in-memory logistic solver). y (two labels)
    and the sample weights are gathered on the driver once.

    Not yet supported on partitions (ValueError): more than two classes, ``class_weight``,
    coefficient bounds, unpenalized features (``penalty_factor == 0``), ``standardize=True``.

    Attributes: ``classes_``, ``coef_`` (1, p), ``intercept_`` (1,), ``dual_gap_``,
    ``n_iter_``, ``n_outer_iter_``, ``history_`` (see :class:`ElasticNet`).

    Examples
    --------
    >>> import numpy as np, dask.array as da
    >>> from l1core.datasets import load_diabetes
    >>> from l1core.distributed import SparseLogisticRegression
    >>> X, y, names = load_diabetes()
    >>> Xd = da.from_array(X, chunks=(100, 10))
    >>> labels = da.from_array(np.where(y > 140, "high", "low"), chunks=100)
    >>> clf = SparseLogisticRegression().fit(Xd, labels)
    >>> clf.classes_.tolist(), [names[j] for j in np.flatnonzero(clf.coef_)]
    (['high', 'low'], ['bmi', 'bp', 's3', 's5'])
    >>> clf.predict(Xd[:2]).compute().tolist()
    ['high', 'low']
    """

    def __init__(self, alpha: float | None = None, *, l1_ratio: float = 1.0,
                 fit_intercept: bool = True, tol: float = 1e-4, max_iter: int = 1000,
                 penalty_factor: ArrayLike | None = None, lower_bounds: Any = None,
                 upper_bounds: Any = None, class_weight: Any = None, warm_start: bool = False,
                 multi_class: Literal["auto", "multinomial", "ovr"] = "auto",
                 random_state: Seed = None, verbose: Verbose = False,
                 standardize: bool = False, max_outer_iter: int = 50,
                 persist: bool = True) -> None:
        self.alpha = alpha
        self.l1_ratio = l1_ratio
        self.fit_intercept = fit_intercept
        self.tol = tol
        self.max_iter = max_iter
        self.penalty_factor = penalty_factor
        self.lower_bounds = lower_bounds
        self.upper_bounds = upper_bounds
        self.class_weight = class_weight
        self.warm_start = warm_start
        self.multi_class = multi_class
        self.random_state = random_state
        self.verbose = verbose
        self.standardize = standardize
        self.max_outer_iter = max_outer_iter
        self.persist = persist

    positive = False
    _expected_failed_checks = {
        **_WEIGHT_EQUIVALENCE,
        **{name: "binary only: the check fits three or more classes"
           for name in _MULTICLASS_CHECKS},
        "check_class_weight_classifiers": "class_weight is not supported on Dask arrays yet"}

    def fit(self, X: Any, y: Any, sample_weight: Any = None) -> Self:
        """Fit on row partitions (y: two labels of any type); returns self."""
        _unsupported(self)
        if self.class_weight is not None:
            raise ValueError("class_weight is not supported on Dask arrays yet.")
        parts = RowPartitions(X, y, sample_weight, persist=self.persist)
        p = parts.n_features
        factor = v.check_penalty_factor(self.penalty_factor, p)
        loss = LogisticLoss(parts, factor=factor, l1_ratio=v.check_l1_ratio(self.l1_ratio),
                            fit_intercept=bool(self.fit_intercept))
        est_alpha = self.alpha
        if est_alpha is None:
            self.alpha = 1.0 / loss.S                               # C = 1
        try:
            alpha, l1_ratio, tol, max_iter, max_outer = _check_options(self)
        finally:
            self.alpha = est_alpha
        w0 = b0 = None
        if self.warm_start and getattr(self, "coef_", None) is not None \
                and self.coef_.shape == (1, p):
            w0, b0 = np.asarray(self.coef_[0], dtype=np.float64), float(self.intercept_[0])
        solution = working_set_solve(loss, alpha, tol=tol, max_iter=max_iter,
                                     max_outer=max_outer, coef_init=w0, intercept_init=b0,
                                     verbose=self.verbose)
        _store(self, solution, parts, parts.dtype, "Distributed SparseLogisticRegression")
        self.classes_ = loss.classes
        self.coef_ = self.coef_[None, :]
        self.intercept_ = np.array([self.intercept_])
        self.n_iter_ = np.array([max(self.n_iter_, 1)])
        self.setup_bytes_ = loss.setup_bytes
        return self

    def _linear(self):
        """A view with the (p,) coefficients :func:`decision` reads."""
        view = _Linear()
        view.coef_, view.intercept_ = self.coef_[0], float(self.intercept_[0])
        view.n_features_in_ = self.n_features_in_
        return view

    def decision_function(self, X: Any) -> Any:
        """Scores X coef_ + intercept_ (positive: ``classes_[1]``); Dask in, Dask out."""
        check_is_fitted(self)
        return decision(self._linear(), X)

    def predict_proba(self, X: Any) -> Any:
        """(n, 2) probabilities of ``classes_``."""
        z = self.decision_function(X)
        p1 = 0.5 * (1.0 + (da.tanh(0.5 * z) if isinstance(z, da.Array) else np.tanh(0.5 * z)))
        stack = da.stack if isinstance(z, da.Array) else np.stack
        return stack([1.0 - p1, p1], axis=1)

    def predict(self, X: Any) -> Any:
        """Predicted labels (from ``classes_``)."""
        z = self.decision_function(X)
        if isinstance(z, da.Array):
            return z.map_blocks(lambda zk: self.classes_[(zk > 0).astype(np.intp)],
                                dtype=self.classes_.dtype)
        return self.classes_[(z > 0).astype(np.intp)]


class _Linear:
    """coef_ (p,), intercept_ and n_features_in_ of a fitted binary model."""
