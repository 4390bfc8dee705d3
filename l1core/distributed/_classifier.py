"""The sparse logistic regression (binary or multinomial) on a row-partitioned Dask array."""

from __future__ import annotations

import dask.array as da
import numpy as np

from .. import _validation as v
from .._estimator_base import BaseEstimator, ClassifierMixin, check_is_fitted
from .._typing import Any, ArrayLike, Literal, Seed, Self, Verbose
from ._estimators import (_WEIGHT_EQUIVALENCE, SparseInputTags, _check_options, _store,
                          checked_bounds, decision)
from ._logistic_loss import LogisticLoss, label_codes
from ._multinomial_loss import MultinomialLoss
from ._blocks import softmax
from ._partitions import RowPartitions
from ._standardize import standardize_loss
from ._working_set import working_set_solve

__all__ = ["SparseLogisticRegression"]


class SparseLogisticRegression(SparseInputTags, ClassifierMixin, BaseEstimator):
    """L1 (and L2) penalized logistic regression, binary or multinomial, on a row-partitioned
    Dask array, certified by the duality gap.

    Objective, parameters and stopping rule (``gap <= tol * P_null``) of
    :class:`l1core.SparseLogisticRegression` (``alpha=None``: ``1 / S``, scikit-learn's
    ``C=1``); solved like :class:`l1core.distributed.ElasticNet` (distributed full passes,
    the working set solved on the driver by the in-memory logistic solver). y and the
    sample weights are gathered on the driver once. Three or more classes fit the
    multinomial (softmax) model of the in-memory estimator
    (``l1core.distributed._multinomial_loss``).

    Bounds as for :class:`l1core.distributed.ElasticNet` (allowing 0), binary only.
    Not yet supported on partitions (ValueError): ``multi_class="ovr"`` with three or more
    classes, ``class_weight``, bounds or ``standardize=True`` with three or more classes,
    unpenalized features (``penalty_factor == 0``).

    Attributes: ``classes_``, ``coef_`` (1, p) binary or (K, p) multinomial,
    ``intercept_`` (1,) or (K,), ``dual_gap_``, ``n_iter_``, ``n_outer_iter_``, ``history_``
    (see :class:`ElasticNet`).

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
    >>> three = da.from_array(np.digitize(y, [100, 200]), chunks=100)   # multinomial
    >>> SparseLogisticRegression().fit(Xd, three).predict_proba(Xd).shape
    (442, 3)
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
        "check_class_weight_classifiers": "class_weight is not supported on Dask arrays yet"}

    def fit(self, X: Any, y: Any, sample_weight: Any = None) -> Self:
        """Fit on row partitions (y: two labels of any type); returns self."""
        if self.class_weight is not None:
            raise ValueError("class_weight is not supported on Dask arrays yet.")
        if self.multi_class not in ("auto", "multinomial", "ovr"):
            raise ValueError(f"multi_class must be 'auto', 'multinomial' or 'ovr', got "
                             f"{self.multi_class!r}.")
        parts = RowPartitions(X, y, sample_weight, persist=self.persist)
        p = parts.n_features
        factor = v.check_penalty_factor(self.penalty_factor, p)
        options = dict(factor=factor, l1_ratio=v.check_l1_ratio(self.l1_ratio),
                       fit_intercept=bool(self.fit_intercept))
        classes, codes, weights = label_codes(parts)
        bounds = checked_bounds(self, factor, multinomial=classes.shape[0] > 2)
        if classes.shape[0] == 2:
            loss = LogisticLoss(parts, labels=(classes, codes, weights), bounds=bounds,
                                **options)
            mode = "binary"
            if self.standardize:
                standardize_loss(loss)
        elif self.standardize:
            raise ValueError("standardize=True is not supported on Dask arrays for three "
                             "or more classes yet.")
        elif self.multi_class == "ovr":
            raise ValueError(f"multi_class='ovr' is not supported on Dask arrays yet (y has "
                             f"{classes.shape[0]} classes); use 'multinomial'.")
        else:
            loss = MultinomialLoss(parts, classes, codes, sample_weight=weights, **options)
            mode = "multinomial"
        rows = 1 if mode == "binary" else classes.shape[0]
        est_alpha = self.alpha
        if est_alpha is None:
            self.alpha = 1.0 / loss.S                               # C = 1
        try:
            alpha, l1_ratio, tol, max_iter, max_outer = _check_options(self)
        finally:
            self.alpha = est_alpha
        w0 = b0 = None
        if self.warm_start and getattr(self, "coef_", None) is not None \
                and self.coef_.shape == (rows, p):
            w0 = np.asarray(self.coef_, dtype=np.float64).reshape(getattr(loss, "coef_shape", (p,)))
            b0 = np.asarray(self.intercept_, dtype=np.float64).reshape(
                np.shape(loss.start_intercept))
        solution = working_set_solve(loss, alpha, tol=tol, max_iter=max_iter,
                                     max_outer=max_outer, coef_init=w0, intercept_init=b0,
                                     verbose=self.verbose)
        _store(self, solution, parts, parts.dtype, "Distributed SparseLogisticRegression")
        self.classes_ = loss.classes
        self.coef_ = self.coef_.reshape(rows, p)
        self.intercept_ = np.asarray(solution.intercept, dtype=np.float64).reshape(rows)
        if mode == "multinomial" and self.fit_intercept:
            self.intercept_ = self.intercept_ - self.intercept_.mean()
        self.n_iter_ = np.array([max(self.n_iter_, 1)])
        self._mode = mode
        self.setup_bytes_ = loss.setup_bytes
        return self

    def _linear(self):
        """A view with the coefficients :func:`decision` reads: (p,) binary, (K, p)."""
        view = _Linear()
        binary = self.coef_.shape[0] == 1
        view.coef_ = self.coef_[0] if binary else self.coef_
        view.intercept_ = float(self.intercept_[0]) if binary else self.intercept_
        view.n_features_in_ = self.n_features_in_
        return view

    def decision_function(self, X: Any) -> Any:
        """Scores X coef_^T + intercept_: (n,) for two classes (positive: ``classes_[1]``),
        else (n, K); Dask in, Dask out."""
        check_is_fitted(self)
        return decision(self._linear(), X)

    def predict_proba(self, X: Any) -> Any:
        """(n, K) probabilities of ``classes_`` (binary: the sigmoid; multinomial: the
        softmax; one-vs-rest fits from memory: the sigmoids normalized)."""
        z = self.decision_function(X)
        lazy = isinstance(z, da.Array)
        if z.ndim == 2:
            rows = _ovr_probabilities if getattr(self, "_mode", None) == "ovr" else softmax
            return z.map_blocks(rows, dtype=np.float64) if lazy else rows(z)
        p1 = 0.5 * (1.0 + (da.tanh(0.5 * z) if lazy else np.tanh(0.5 * z)))
        stack = da.stack if lazy else np.stack
        return stack([1.0 - p1, p1], axis=1)

    def predict(self, X: Any) -> Any:
        """Predicted labels (from ``classes_``)."""
        z = self.decision_function(X)
        if isinstance(z, da.Array):
            if z.ndim == 2:
                return z.map_blocks(lambda zk: self.classes_[np.argmax(zk, axis=1)],
                                    drop_axis=1, dtype=self.classes_.dtype)
            return z.map_blocks(lambda zk: self.classes_[(zk > 0).astype(np.intp)],
                                dtype=self.classes_.dtype)
        if z.ndim == 2:
            return self.classes_[np.argmax(z, axis=1)]
        return self.classes_[(z > 0).astype(np.intp)]


def _ovr_probabilities(zk):
    """One-vs-rest scores to probabilities: the sigmoids normalized (scikit-learn's)."""
    prob = 0.5 * (1.0 + np.tanh(0.5 * zk))
    return prob / prob.sum(axis=1, keepdims=True)


class _Linear:
    """coef_ ((p,) or (K, p)), intercept_ and n_features_in_ of a fitted model."""
