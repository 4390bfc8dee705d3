"""Cross-validated sparse logistic regression: :class:`SparseLogisticRegressionCV`.

``fit`` runs the steps shared with :class:`l1core.ElasticNetCV` (``l1core._cv``: the mixin
``CrossValidationSteps`` and the fold, parallel and selection helpers):

1. X is validated once and read in place afterwards; labels are encoded in ``np.unique``
   order; the training weights are ``sample_weight * class_weight[y]``, the class weights
   computed once on the full data (scikit-learn's ``LogisticRegressionCV`` does the same).
2. The alpha grid is computed once per ``l1_ratio`` on the full data: from the exact
   ``alpha_max`` of the model being fitted (binary, multinomial, or the largest of the
   one-vs-rest problems'), with the intercept, the weights and the penalty factors, down to
   ``eps * alpha_max``.
3. Folds: stratified K-fold for an integer ``cv`` (scikit-learn's ``StratifiedKFold``,
   sample for sample). Each (l1_ratio, fold) task runs :func:`l1core.logistic_path` on the
   FULL X with weights ``s_i * (times i is in the training set)``: zero on the held-out rows,
   which the solver treats exactly as dropped rows, so no fold copies X. The path is
   warm-started along the grid and kept as sparse coefficients.
4. Test scores: decision values of the test rows computed from the columns in the path's
   support only (``_cv._predict_rows``), scored by ``scoring`` with the weights
   ``sample_weight[test]`` (class weights act on training only, as in scikit-learn's scorers).
5. The mean over folds picks ``alpha_min_``; ``alpha_1se_`` is glmnet's one-standard-error
   choice (``_cv``'s rule); the final model is refit on all data by
   :class:`l1core.SparseLogisticRegression`.
"""

from __future__ import annotations

import numbers
import warnings

import numpy as np
import scipy.sparse as sp
from scipy.special import logsumexp

from . import _validation as v
from ._cv import CrossValidationSteps, _check_folds, _predict_rows, fold_tol
from ._estimator_base import convergence_warning
from ._logistic import (SparseLogisticRegression, logistic_alpha_max, logistic_path,
                        prepare_classification)
from ._offset import add_offset, binary_null_model
from ._standardize import standardized_penalty
from ._logistic_solver import null_objective, unpenalized_decision as _unpenalized_decision
from ._parallel import check_executor, effective_n_jobs
from ._path import _check_n_alphas, alpha_grid, grid_request
from ._typing import (AlphaChoice, Any, ArrayLike, Literal, MatrixLike, Seed, Self, Sequence,
                      Splits, Verbose)

__all__ = ["SparseLogisticRegressionCV"]

_SCORINGS = ("log_loss", "accuracy", "roc_auc")
# Per-sample log loss cap: probabilities clipped at machine epsilon, as scikit-learn's log_loss.
_MAX_LOG_LOSS = -np.log(np.finfo(np.float64).eps)


class SparseLogisticRegressionCV(CrossValidationSteps, SparseLogisticRegression):
    """Sparse logistic regression with alpha (and l1_ratio) chosen by cross-validation.

    For each candidate ``(alpha, l1_ratio)`` and each training fold, minimizes the objective of
    :class:`l1core.SparseLogisticRegression` (binary, multinomial or one-vs-rest; sample and
    class weights, penalty factors, bounds), scores the held-out fold, and refits on all data
    at the chosen values. The grid and the choice follow glmnet's ``cv.glmnet``
    (``type.measure="deviance"`` is ``scoring="log_loss"``).

    Parameters
    ----------
    alphas : array-like, int or None, default=None
        Explicit alphas (any order; used decreasing, shared by every l1_ratio). An int is the
        number of alphas of the automatic grid (as ``n_alphas``).
    n_alphas : int, default=100
        Number of alphas on the automatic grid (per l1_ratio).
    eps : float or "auto", default="auto"
        Length of the automatic grid: ``alpha_min / alpha_max = eps``. "auto" is glmnet's
        ``lambda.min.ratio``: 1e-2 when n_samples < n_features (the unpenalized fit would
        separate the classes, and small alphas only cost time), else 1e-4.
    l1_ratio : float or list of float in (0, 1], default=1.0
        Mix of the penalties (1 = L1). A list is searched over, together with alpha.
    fit_intercept, tol, max_iter, penalty_factor, lower_bounds, upper_bounds, class_weight,
    multi_class
        As for :class:`l1core.SparseLogisticRegression`; used by every fold and by the refit.
        With ``multi_class="ovr"`` one alpha is chosen for all the one-vs-rest problems (their
        normalized probabilities are scored together), unlike scikit-learn's per-class ``C_``.
    cv : int, cross-validation splitter or iterable, default=None
        None: 5 folds. An int K >= 2: stratified K-fold exactly like scikit-learn's
        ``StratifiedKFold(K, shuffle=shuffle, random_state=random_state)``. An object with
        ``split(X, y)`` or an iterable of ``(train, test)`` index arrays or boolean masks (as
        for :class:`l1core.ElasticNetCV`). Every training fold must contain every class.
    scoring : {"log_loss", "accuracy", "roc_auc"}, default="log_loss"
        The test score: the mean log loss (cross-entropy; lower is better; each sample's loss
        capped at ``-log(machine eps)`` like scikit-learn's ``log_loss``), the fraction of
        correct predictions (higher is better), or the area under the ROC curve (higher is
        better; with more than two classes the unweighted mean of the one-vs-rest AUCs of the
        predicted probabilities over the classes present in both forms in the test fold,
        scikit-learn's ``roc_auc_score(multi_class="ovr", average="macro")``). Each is weighted
        by ``sample_weight[test]``.
    refit_alpha : {"min", "1se"}, default="min"
        The alpha of the final model: ``alpha_min_`` (best mean score) or ``alpha_1se_``.
    n_jobs, executor
        Run the (l1_ratio, fold) tasks on threads sharing X, or on an executor (see
        :class:`l1core.ElasticNetCV`). Results do not depend on them (bitwise).
    random_state : int, RandomState, Generator or None, default=None
        Seeds the fold shuffling (``shuffle=True``).
    shuffle : bool, default=False
        Shuffle each class's fold assignment (an integer ``cv`` only).
    verbose : bool or int, default=False
        If true, progress on stderr as for :class:`l1core.ElasticNetCV` (reported as each
        task finishes: a bar on a terminal, else one line per (l1_ratio, fold, alpha) path
        solve with the time elapsed and left), and one line per refit solve.
    keep_path : bool, default=True
        Also solve the path of all the data at ``l1_ratio_`` and keep it as ``path_`` (see
        :class:`l1core.ElasticNetCV`): ``coef_at``, ``decision_function``, ``predict`` and
        ``predict_proba`` take ``alpha=`` ("min", "1se" or a float) to read it.
    dfmax, pmax : int or None, default=None
        glmnet's limits on the model size, as for :class:`l1core.ElasticNetCV` (the grid cut
        where the full-data path stops; one-vs-rest: the shortest class path).
    standardize : bool, default=False
        glmnet's (see :class:`l1core.SparseLogisticRegression`); each fold standardizes by
        its training rows' weighted scales, as cv.glmnet's fits do.

    Attributes
    ----------
    classes_ : ndarray of shape (n_classes,)
    alpha_ : float
        The alpha of the final model (``alpha_min_`` or ``alpha_1se_``).
    alpha_min_ : float
        The alpha with the best mean score (ties: the largest such alpha).
    alpha_1se_ : float
        The largest alpha whose mean score is within one standard error
        (``std(ddof=1) / sqrt(n_folds)``) of the best, at ``l1_ratio_`` (glmnet's
        ``lambda.1se``): ``alpha_1se_ >= alpha_min_``, and sparser.
    l1_ratio_ : float
    alphas_ : ndarray of shape (n_alphas,) or (n_l1_ratio, n_alphas)
        The decreasing grid; 2-D only for the automatic grid and several l1_ratios.
    scores_path_ : ndarray of shape (n_alphas, n_folds) or (n_l1_ratio, n_alphas, n_folds)
        The test score of each fold, in ``scoring``'s own orientation (see ``scoring``).
    cv_mean_, cv_std_ : ndarray of shape (n_alphas,) or (n_l1_ratio, n_alphas)
        Mean and standard deviation (ddof=1) of the fold scores.
    coef_, intercept_, n_iter_, dual_gap_, n_features_in_
        Of the final model, as for :class:`l1core.SparseLogisticRegression`.
    path_ : :class:`l1core.PathResult`, list of them (one-vs-rest: one per class) or None
        The full-data path at ``l1_ratio_`` (``keep_path``), coefficients sparse.

    Examples
    --------
    >>> import numpy as np
    >>> from l1core.datasets import load_diabetes
    >>> X, y, names = load_diabetes()
    >>> from l1core import SparseLogisticRegressionCV
    >>> cv = SparseLogisticRegressionCV(cv=5, n_alphas=20).fit(X, y > 140)   # log loss
    >>> bool(cv.alpha_1se_ > cv.alpha_min_ == cv.alpha_)
    True
    >>> [names[j] for j in np.flatnonzero(cv.coef_at("1se"))]
    ['bmi', 'bp', 's3', 's5']
    """

    def __init__(self, *, alphas: ArrayLike | int | None = None, n_alphas: int = 100,
                 eps: float | Literal["auto"] = "auto", l1_ratio: float | Sequence[float] = 1.0,
                 fit_intercept: bool = True, cv: Splits = None,
                 scoring: Literal["log_loss", "accuracy", "roc_auc"] = "log_loss",
                 tol: float = 1e-4, max_iter: int = 1000, penalty_factor: ArrayLike | None = None,
                 lower_bounds: float | ArrayLike | None = None,
                 upper_bounds: float | ArrayLike | None = None,
                 class_weight: dict | Literal["balanced"] | None = None,
                 multi_class: Literal["auto", "multinomial", "ovr"] = "auto",
                 refit_alpha: Literal["min", "1se"] = "min", n_jobs: int | None = None,
                 executor: Any = None, random_state: Seed = None, shuffle: bool = False,
                 verbose: Verbose = False, keep_path: bool = True, dfmax: int | None = None,
                 pmax: int | None = None, standardize: bool = False) -> None:
        self.alphas = alphas
        self.n_alphas = n_alphas
        self.eps = eps
        self.l1_ratio = l1_ratio
        self.fit_intercept = fit_intercept
        self.cv = cv
        self.scoring = scoring
        self.tol = tol
        self.max_iter = max_iter
        self.penalty_factor = penalty_factor
        self.lower_bounds = lower_bounds
        self.upper_bounds = upper_bounds
        self.class_weight = class_weight
        self.multi_class = multi_class
        self.refit_alpha = refit_alpha
        self.n_jobs = n_jobs
        self.executor = executor
        self.random_state = random_state
        self.shuffle = shuffle
        self.verbose = verbose
        self.keep_path = keep_path
        self.dfmax = dfmax
        self.pmax = pmax
        self.standardize = standardize

    def fit(self, X: MatrixLike, y: ArrayLike, sample_weight: ArrayLike | None = None,
            groups: ArrayLike | None = None, offset: ArrayLike | None = None) -> Self:
        """Fit the path of every fold, choose alpha (and l1_ratio), refit on all data.

        X: array-like or scipy sparse (n_samples, n_features), validated once and read in
        place; y: labels of any type (n_samples,); sample_weight: (n_samples,) non-negative or
        None, used in training (times the class weights) and to weight each test score;
        groups: (n_samples,) group labels for a splitter's ``split(X, y, groups)``, or None;
        offset: (n_samples,) glmnet's offset (two classes; see
        :meth:`l1core.SparseLogisticRegression.fit`), split with the folds: each fold trains
        with it and scores ``X w + b + offset`` on its test rows.
        """
        if self.refit_alpha not in ("min", "1se"):
            raise ValueError(f"refit_alpha must be 'min' or '1se', got {self.refit_alpha!r}.")
        if not isinstance(self.scoring, str) or self.scoring not in _SCORINGS:
            raise ValueError(f"scoring must be one of {', '.join(map(repr, _SCORINGS))}, got "
                             f"{self.scoring!r}.")
        l1_ratios = self._l1_ratios()
        X, classes, codes, test_weight, sw, mode = prepare_classification(
            self, X, y, sample_weight)
        n, p = X.shape
        K = classes.shape[0]
        offset = v.check_offset(offset, n)
        if offset is not None and mode != "binary":
            raise ValueError(f"offset is supported for two classes only; y has {K}.")
        factor = v.check_penalty_factor(self.penalty_factor, p)
        lower, upper = v.check_bounds(self.lower_bounds, self.upper_bounds, False, p)
        tol = v.check_tol(self.tol)
        max_iter = v.check_max_iter(self.max_iter)
        check_executor(self.executor)
        if self.executor is None:
            effective_n_jobs(self.n_jobs)
        grids, auto = self._alpha_grids(X, codes, sw, factor, lower, upper, l1_ratios, mode, K,
                                        offset)
        grids = self._limited_grids(grids, l1_ratios, lambda grid, l1_ratio, **limits: min(
            (logistic_path(X, target, multinomial=mode == "multinomial", alphas=grid,
                           l1_ratio=l1_ratio, sample_weight=sw, penalty_factor=factor,
                           lower_bounds=lower, upper_bounds=upper,
                           fit_intercept=self.fit_intercept, tol=tol, max_iter=max_iter,
                           sparse_coefs=True, warn=False, check_input=False, offset=offset,
                           standardize=self.standardize, **limits)
             for target in _cv_targets(codes, mode, K)), key=lambda path: len(path.alphas)))
        folds = _check_folds(self._splits(X, classes[codes], codes, groups), n, sw)
        for k, (train, _) in enumerate(folds):
            present = np.bincount(codes[train], weights=sw[train], minlength=K) > 0
            if not np.all(present):
                raise ValueError(f"Fold {k}: the training set has no sample (of nonzero "
                                 f"weight) of class {classes[np.argmin(present)]!r}; use "
                                 "stratified folds (an int cv) or fewer folds.")

        params = dict(fit_intercept=bool(self.fit_intercept), tol=tol, max_iter=max_iter,
                      penalty_factor=None if np.all(factor == 1.0) else factor,
                      lower_bounds=None if np.all(lower == -np.inf) else lower,
                      upper_bounds=None if np.all(upper == np.inf) else upper, offset=offset,
                      standardize=bool(self.standardize))
        tasks = [(codes, sw, test_weight, params, train, test, grids[i], l1_ratio, mode, K,
                  self.scoring)
                 for i, l1_ratio in enumerate(l1_ratios) for k, (train, test) in enumerate(folds)]
        labels = [self._task_label(l1_ratio, k)
                  for l1_ratio in l1_ratios for k in range(len(folds))]
        problems = K if mode == "ovr" else 1
        results, progress = self._run_tasks(_fold_scores, X, tasks, labels,
                                            len(grids[0]) * problems)
        not_converged = sum(count for _, count, _ in results)
        if not_converged:
            fits = len(results) * len(grids[0]) * (K if mode == "ovr" else 1)
            what = "(fold, alpha, class)" if mode == "ovr" else "(fold, alpha)"
            warnings.warn(f"{not_converged} of {fits} {what} fits stopped at "
                          f"max_iter={self.max_iter} before reaching tol={self.tol}; increase "
                          "max_iter or loosen tol.", convergence_warning(), stacklevel=2)
        scores = np.reshape(np.asarray([s for s, _, _ in results], dtype=np.float64),
                            (len(l1_ratios), len(folds), -1))        # (n_l1, n_folds, n_alphas)
        sign = 1.0 if self.scoring == "log_loss" else -1.0           # as a loss: lower is better
        best = self._choose(sign * scores, grids, l1_ratios)
        self.cv_mean_ = sign * self.cv_mean_
        paths = np.moveaxis(scores, 2, 1)                            # (n_l1, n_alphas, n_folds)
        self.scores_path_ = paths[0] if len(l1_ratios) == 1 else paths
        self.alphas_ = np.asarray(grids) if auto and len(l1_ratios) > 1 else grids[0].copy()

        model = SparseLogisticRegression(
            alpha=self.alpha_, l1_ratio=self.l1_ratio_, fit_intercept=self.fit_intercept,
            tol=tol, max_iter=max_iter, penalty_factor=self.penalty_factor,
            lower_bounds=self.lower_bounds, upper_bounds=self.upper_bounds,
            class_weight=self.class_weight, multi_class=self.multi_class,
            verbose=f"[{type(self).__name__} refit] " if self.verbose else False,
            standardize=self.standardize)
        self.path_ = None
        if self.keep_path:
            kw = dict(alphas=grids[best], l1_ratio=self.l1_ratio_, sample_weight=sw,
                      sparse_coefs=True, warn=False, check_input=False, verbose=progress,
                      **params)
            if mode == "ovr":
                self.path_ = [logistic_path(X, (codes == k).astype(np.intp), **kw)
                              for k in range(K)]
            else:
                self.path_ = logistic_path(X, codes, multinomial=mode == "multinomial", **kw)
        progress.close()
        model.fit(X, classes[codes], sample_weight=sample_weight, offset=offset)
        for name in ("classes_", "coef_", "intercept_", "n_iter_", "dual_gap_", "_mode",
                     "n_features_in_"):
            setattr(self, name, getattr(model, name))
        return self

    def coef_at(self, alpha: AlphaChoice) -> np.ndarray:
        """Coefficients of the full-data path at ``alpha`` ("min", "1se" or a float, see
        :meth:`l1core.ElasticNetCV.coef_at`): (n_features,) binary, else (n_classes,
        n_features)."""
        path, alpha = self._kept_path(), self._path_alpha(alpha)
        if isinstance(path, list):
            return np.stack([one.coef_at(alpha) for one in path])
        return path.coef_at(alpha)

    def decision_function(self, X: MatrixLike, alpha: AlphaChoice | None = None,
                          offset: ArrayLike | None = None) -> np.ndarray:
        """Scores of the refit model (``alpha=None``) or of the full-data path at ``alpha``
        ("min", "1se" or a float; X read in place, only the support's columns), ``+ offset``
        (two classes) if given."""
        if alpha is None:
            return super().decision_function(X, offset=offset)
        path, alpha = self._kept_path(), self._path_alpha(alpha)
        if isinstance(path, list):
            if offset is not None:
                raise ValueError("offset is supported for two classes only.")
            return np.column_stack([one.predict(X, alpha=alpha) for one in path])
        return add_offset(path.predict(X, alpha=alpha), offset)

    def predict_proba(self, X: MatrixLike, alpha: AlphaChoice | None = None,
                      offset: ArrayLike | None = None) -> np.ndarray:
        """Class probabilities (see :meth:`decision_function` for ``alpha`` and ``offset``)."""
        return self._probabilities(self.decision_function(X, alpha=alpha, offset=offset))

    def predict(self, X: MatrixLike, alpha: AlphaChoice | None = None,
                offset: ArrayLike | None = None) -> np.ndarray:
        """Class labels (see :meth:`decision_function` for ``alpha`` and ``offset``)."""
        return self._labels(self.decision_function(X, alpha=alpha, offset=offset))

    def _alpha_grids(self, X, codes, sw, factor, lower, upper, l1_ratios, mode, n_classes,
                     offset=None):
        """One decreasing grid per l1_ratio, and whether it is the automatic grid. alpha_max
        is exact: the unpenalized columns (penalty_factor 0) are fitted first, as glmnet does."""
        alphas, n_alphas = grid_request(self.alphas, self.n_alphas)
        if alphas is not None:                                   # explicit grid: _cv's checks
            return super()._alpha_grids(X, None, sw, factor, None, None, l1_ratios)
        n_alphas = _check_n_alphas(n_alphas)
        if isinstance(self.eps, str) and self.eps == "auto":
            eps = 1e-2 if X.shape[0] < X.shape[1] else 1e-4
        else:
            eps = v.check_alpha(self.eps, "eps")
            if eps == 0.0:
                raise ValueError("eps must be > 0 or 'auto', got 0.0.")
        free = factor == 0.0
        s = sw / sw.sum()
        if self.standardize:            # alpha_max of the standardized problem
            factor, _, lower, upper = standardized_penalty(X, s, self.fit_intercept, factor,
                                                           lower, upper, 1.0)

        def alpha_max(target, K):
            decision = _unpenalized_decision(X, target, s, free, lower, upper, K,
                                             self.fit_intercept, offset)
            if decision is None and offset is not None:      # binary, intercept only
                decision = offset + binary_null_model(target.astype(np.float64), s, offset,
                                                      self.fit_intercept)[1]
            return logistic_alpha_max(X, target, l1_ratio=1.0, sample_weight=sw,
                                      penalty_factor=factor, lower_bounds=lower,
                                      upper_bounds=upper, fit_intercept=self.fit_intercept,
                                      n_classes=K, offset=decision)

        if mode == "ovr":
            amax = max(alpha_max((codes == k).astype(np.intp), 2) for k in range(n_classes))
        else:
            amax = alpha_max(codes, n_classes)
        grids = []
        for l1_ratio in l1_ratios:
            if l1_ratio == 0.0:
                raise ValueError("l1_ratio=0 has no finite alpha_max: pass alphas explicitly.")
            grids.append(alpha_grid(amax / l1_ratio, n_alphas=n_alphas, eps=eps))
        return grids, True

    def _splits(self, X, labels, codes, groups=None):
        """Stratified K-fold for an int cv; anything else (and every error) as in _cv."""
        cv = 5 if self.cv is None else self.cv
        if _is_int(cv) and cv >= 2 and isinstance(self.shuffle, (bool, np.bool_)):
            return _stratified_kfold(codes, int(cv), bool(self.shuffle), self.random_state)
        return super()._splits(X, labels, groups)



def _cv_targets(codes, mode, n_classes):
    """The class codes of each problem solved: one per class for one-vs-rest, else codes."""
    if mode == "ovr":
        return [(codes == k).astype(np.intp) for k in range(n_classes)]
    return [codes]


def _is_int(value):
    return isinstance(value, numbers.Integral) and not isinstance(value, (bool, np.bool_))


# --------------------------------------------------------------------------- folds


def _stratified_kfold(codes, k, shuffle, random_state):
    """scikit-learn's ``StratifiedKFold(k, shuffle=shuffle, random_state=random_state)
    .split``, sample for sample: classes in order of first appearance, each class's samples
    dealt to the folds in contiguous blocks whose sizes come from a round robin over the
    sorted labels, the block labels shuffled per class when ``shuffle``."""
    n = codes.shape[0]
    _, first = np.unique(codes, return_index=True)
    order = np.argsort(first, kind="stable")                 # classes by first appearance
    encoded = np.argsort(order)[codes]
    counts = np.bincount(encoded)
    if np.all(k > counts):
        raise ValueError(f"cv={k} folds cannot be more than the number of members in each "
                         "class.")
    if k > counts.min():
        warnings.warn(f"The least populated class in y has only {counts.min()} members, "
                      f"which is less than cv={k}.", UserWarning, stacklevel=4)
    rng = _legacy_rng(random_state) if shuffle else None
    y_order = np.sort(encoded)
    allocation = np.array([np.bincount(y_order[i::k], minlength=counts.size)
                           for i in range(k)])
    test_folds = np.empty(n, dtype=np.intp)
    for c in range(counts.size):
        folds_for_class = np.repeat(np.arange(k), allocation[:, c])
        if shuffle:
            rng.shuffle(folds_for_class)
        test_folds[encoded == c] = folds_for_class
    return [(np.flatnonzero(test_folds != i), np.flatnonzero(test_folds == i))
            for i in range(k)]


def _legacy_rng(random_state):
    """What scikit-learn's ``check_random_state`` gives a splitter: the global RandomState
    for None, a RandomState for an int, a RandomState or Generator as is."""
    if random_state is None:
        return np.random.mtrand._rand
    if isinstance(random_state, (np.random.RandomState, np.random.Generator)):
        return random_state
    if _is_int(random_state):
        return np.random.RandomState(int(random_state))
    v.check_random_state(random_state)                        # raises the usual error
    raise TypeError(f"random_state cannot seed the fold shuffling: {random_state!r}.")


# --------------------------------------------------------------------------- one task


def _fold_scores(X, codes, sw, test_weight, params, train, test, alphas, l1_ratio, mode,
                 n_classes, scoring):
    """Test scores (n_alphas,) of the path fitted on one fold, and how many (alpha, problem)
    fits stopped at max_iter short of tol (warned about once, by the caller).

    The path runs on the full X with zero weight outside ``train`` (multiplicities as
    weights); nothing is written into X, codes or the weights. The path's coefficients stay
    sparse: ``_predict_rows`` reads only the test rows of their support.
    """
    n = X.shape[0]
    fold_sw = sw * np.bincount(train, minlength=n)
    fold_w = fold_sw / fold_sw.sum()
    kw = dict(alphas=alphas, l1_ratio=l1_ratio, sample_weight=fold_sw, sparse_coefs=True,
              warn=False, check_input=False, **dict(params, tol=fold_tol(params["tol"])))
    tol, fit_intercept = params["tol"], params["fit_intercept"]
    if mode == "ovr":
        coefs, intercepts, not_converged, paths = [], [], 0, []
        for k in range(n_classes):
            target = (codes == k).astype(np.intp)
            paths.append(logistic_path(X, target, **kw))
            _, coef, gaps, _, intercept = paths[-1]
            p_null = null_objective(target, fold_w, 2, fit_intercept)[0]
            not_converged += int(np.sum(gaps > tol * p_null))
            coefs.append(coef)
            intercepts.append(intercept)
        coefs = sp.hstack(coefs, format="csc")                      # column k * n_alphas + a
        intercepts = np.concatenate(intercepts)
    else:
        multinomial = mode == "multinomial"
        paths = [logistic_path(X, codes, multinomial=multinomial, **kw)]
        _, coefs, gaps, _, intercepts = paths[0]
        p_null = null_objective(codes, fold_w, n_classes, fit_intercept)[0]
        not_converged = int(np.sum(gaps > tol * p_null))
        if multinomial:
            intercepts = intercepts.T.ravel()                       # column a * K + k
    rows, count = np.unique(test, return_counts=True)
    Z = _predict_rows(X, rows, coefs, intercepts)
    if params.get("offset") is not None:            # binary: Z is (m, n_alphas)
        Z += params["offset"][rows, np.newaxis]
    trace = tuple(np.concatenate([getattr(path, name) for path in paths])
                  for name in ("alphas", "dual_gaps", "n_iters", "seconds"))
    m, A = rows.size, alphas.shape[0]
    if mode == "multinomial":
        Z = Z.reshape(m, A, n_classes)
    elif mode == "ovr":
        Z = Z.reshape(m, n_classes, A).transpose(0, 2, 1)
    score = _score(scoring, Z, codes[rows], count * test_weight[rows], mode)
    return score, not_converged, trace


def _score(scoring, Z, y, weight, mode):
    """Weighted test score (n_alphas,) of decision values Z: (m, n_alphas) binary (positive
    means class 1), (m, n_alphas, K) multinomial scores or one-vs-rest margins."""
    total = weight.sum()
    if not total > 0:
        raise ValueError("A test fold has only zero sample weights: its score is undefined.")
    if mode == "binary":
        pos = (y == 1)[:, np.newaxis]
        if scoring == "log_loss":
            losses = np.logaddexp(0.0, np.where(pos, -Z, Z))
        elif scoring == "accuracy":
            return weight @ ((Z > 0) == pos) / total
        else:
            return np.array([_weighted_auc(z, pos[:, 0], weight) for z in Z.T])
    else:
        if mode == "multinomial":
            logp = Z - logsumexp(Z, axis=2, keepdims=True)
        else:                                      # normalized sigmoids, as predict_proba
            logsig = -np.logaddexp(0.0, -Z)
            logp = logsig - logsumexp(logsig, axis=2, keepdims=True)
        if scoring == "log_loss":
            losses = -logp[np.arange(y.size), :, y]
        elif scoring == "accuracy":
            return weight @ (np.argmax(Z, axis=2) == y[:, np.newaxis]) / total
        else:
            return _macro_auc(np.exp(logp), y, weight)
    return weight @ np.minimum(losses, _MAX_LOG_LOSS) / total


def _weighted_auc(score, positive, weight):
    """Area under the ROC curve with sample weights (ties count one half): the weighted
    Mann-Whitney statistic, what scikit-learn's ``roc_auc_score`` computes."""
    wp, wn = weight * positive, weight * ~positive
    total = wp.sum() * wn.sum()
    if not total > 0:
        raise ValueError("roc_auc is undefined on a test fold holding one class only; use "
                         "stratified folds or another scoring.")
    values, inverse = np.unique(score, return_inverse=True)
    pos = np.bincount(inverse, weights=wp, minlength=values.size)
    neg = np.bincount(inverse, weights=wn, minlength=values.size)
    below = np.cumsum(neg) - neg
    return float(pos @ (below + 0.5 * neg) / total)


def _macro_auc(prob, y, weight):
    """Unweighted mean over classes of the one-vs-rest AUCs of prob (m, n_alphas, K), over
    the classes with positive and negative test samples (of nonzero weight)."""
    K = prob.shape[2]
    present = np.bincount(y, weights=weight, minlength=K) > 0
    usable = [k for k in range(K) if present[k] and np.any(present[np.arange(K) != k])]
    if not usable:
        raise ValueError("roc_auc is undefined on a test fold holding one class only.")
    aucs = [[_weighted_auc(prob[:, a, k], y == k, weight) for a in range(prob.shape[1])]
            for k in usable]
    return np.mean(aucs, axis=0)
