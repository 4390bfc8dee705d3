"""``SparseLogisticRegression`` and ``logistic_path``: penalized logistic regression with
scikit-learn's classifier API.

Binary problems (and each one-vs-rest problem) minimize (design.md section 2)

    1/S sum_i s_i log(1 + exp(-y_i (x_i.w + b)))
        + alpha sum_j v_j (l1_ratio |w_j| + (1 - l1_ratio)/2 w_j^2)

with labels y_i = +-1, subject to ``lower_bounds <= w <= upper_bounds``; more than two classes
use, by default, the multinomial loss ``1/S sum_i s_i (logsumexp_k z_ik - z_{i, y_i})``,
``z_i = W x_i + b``, with the same penalty on every entry of W (glmnet's
family="multinomial"). With unit weights this is scikit-learn's ``LogisticRegression`` with
``C = 1 / (alpha n)``. All numerical work happens in :func:`l1core._logistic_solver.
logistic_solve`.
"""

from __future__ import annotations

import time
import warnings

import numpy as np
import scipy.sparse as sp

from . import _validation as v
from ._column_store import column_store
from ._dask_dispatch import fit_on_partitions, is_dask_array, predict_on_partitions
from ._estimator_base import BaseEstimator, ClassifierMixin, check_is_fitted
from ._logistic_solver import LogisticProblem, alpha_max_of, cast_inside, solve_once
from ._estimator_base import convergence_warning
from ._path import path_alphas, report_solve
from ._offset import add_offset
from ._path_limits import DROP_AND_STOP, KEEP, KEEP_AND_STOP, PathLimits
from ._path_result import PathResult, explained, logistic_loss
from ._progress import Progress, solve_text
from ._validation import DataConversionWarning, _with_sklearn_base, check_design
from ._typing import ArrayLike, Literal, MatrixLike, Seed, Self, Verbose

__all__ = ["SparseLogisticRegression", "logistic_path"]


def prepare_classification(estimator, X, y, sample_weight):
    """What every logistic estimator's fit starts with: checks multi_class, validates X
    (read in place), encodes the labels and combines the sample and class weights.

    Returns (X, classes, codes, sample_weight, weight, mode): codes the class index of each
    row, weight = sample_weight times its class's weight (all-zero is an error) and mode
    "binary", "ovr" or "multinomial"."""
    if estimator.multi_class not in ("auto", "multinomial", "ovr"):
        raise ValueError(f"multi_class must be 'auto', 'multinomial' or 'ovr', got "
                         f"{estimator.multi_class!r}.")
    X, _ = check_design(X)
    n = X.shape[0]
    classes, codes = _encode_labels(y, n)
    K = classes.shape[0]
    s = v.check_sample_weight(sample_weight, n, np.float64)
    weight = s * _class_weight_factors(estimator.class_weight, classes, codes)[codes]
    if not weight.sum() > 0:
        raise ValueError("The sample weights times the class weights are all zero.")
    mode = "binary" if K == 2 else ("ovr" if estimator.multi_class == "ovr" else "multinomial")
    return X, classes, codes, s, weight, mode


def _encode_labels(y, n_samples):
    """(classes, codes) of any 1-D label array of length n_samples (np.unique order)."""
    if y is None:
        raise ValueError("This estimator requires y to be passed, but the target y is None.")
    if sp.issparse(y):
        raise TypeError("y must be a dense 1-D array, got a sparse matrix.")
    y = np.asarray(y)
    if y.ndim == 2 and y.shape[1] == 1:
        warnings.warn("A column-vector y was passed when a 1d array was expected. Please "
                      "change the shape of y to (n_samples,), for example using ravel().",
                      _with_sklearn_base(DataConversionWarning), stacklevel=3)
        y = y[:, 0]
    if y.ndim != 1:
        raise ValueError(f"y must be a 1-D array of labels, got shape {y.shape}.")
    if y.shape[0] != n_samples:
        raise ValueError(f"y has {y.shape[0]} samples but X has {n_samples} samples; they "
                         "must have the same length.")
    if y.dtype.kind == "f" and not np.all(np.isfinite(y)):
        raise ValueError("Input y contains NaN or infinity.")
    if y.dtype.kind == "c":
        raise ValueError("Complex labels are not supported.")
    if y.dtype.kind == "f" and np.any(y != np.round(y)):
        raise ValueError("Unknown label type: continuous. Maybe you are trying to fit a "
                         "classifier, which expects discrete classes on a regression target "
                         "with continuous values.")
    classes, codes = np.unique(y, return_inverse=True)
    if classes.shape[0] < 2:
        raise ValueError(f"This solver needs samples of at least 2 classes in the data, but "
                         f"the data contains only one class: {classes[0]!r}.")
    return classes, codes.reshape(-1)


def _class_weight_factors(class_weight, classes, codes):
    """Per-class multipliers of the sample weights (scikit-learn's class_weight semantics:
    "balanced" is n_samples / (n_classes * count), a dict maps labels to weights, others 1)."""
    K = classes.shape[0]
    if class_weight is None:
        return np.ones(K)
    if isinstance(class_weight, str):
        if class_weight != "balanced":
            raise ValueError(f"class_weight must be None, 'balanced' or a dict, got "
                             f"{class_weight!r}.")
        counts = np.bincount(codes, minlength=K)
        return codes.shape[0] / (K * counts.astype(np.float64))
    if not isinstance(class_weight, dict):
        raise TypeError(f"class_weight must be None, 'balanced' or a dict, got "
                        f"{type(class_weight).__name__}.")
    factors = np.ones(K)
    index = {c: k for k, c in enumerate(classes.tolist())}
    for label, weight in class_weight.items():
        if label not in index:
            raise ValueError(f"class_weight has the label {label!r}, which is not in the "
                             f"classes {classes.tolist()!r}.")
        factors[index[label]] = v.check_alpha(weight, name=f"class_weight[{label!r}]")
    return factors


class SparseLogisticRegression(ClassifierMixin, BaseEstimator):
    """Logistic regression with L1 (and L2) penalties, certified by the duality gap.

    Parameters
    ----------
    alpha : float or None, default=None
        Penalty strength (>= 0); scikit-learn's ``C`` is ``1 / (alpha * S)``, S the sum of
        the sample weights times the class weights (n_samples for unit weights), since its
        objective sums the losses where this one averages them. None is ``1 / S``:
        scikit-learn's default ``C=1`` (``LogisticRegression(penalty="l1", C=1)`` for
        ``l1_ratio=1``), a mild penalty that grows weaker, relative to the data, as S grows.
    l1_ratio : float, default=1.0
        Mix of the penalties: 1 is the L1 penalty, 0 ridge.
    fit_intercept : bool, default=True
        Fit an unpenalized intercept (one per class for the multinomial model).
    tol : float, default=1e-4
        Stop when the duality gap is at most ``tol * P_null``, ``P_null`` the objective of the
        best intercept-only model.
    max_iter : int, default=1000
        Maximum number of coordinate-descent epochs (passes over the working set).
    penalty_factor : array of shape (n_features,) or None
        Per-feature multipliers ``v_j >= 0`` of the penalty (0: unpenalized).
    lower_bounds, upper_bounds : float, array of shape (n_features,) or None
        Box constraints on the coefficients (of every class).
    class_weight : dict, "balanced" or None
        Multiplies the sample weights by a per-class factor (scikit-learn's semantics).
    warm_start : bool, default=False
        Start from the previous ``coef_``/``intercept_`` when their shapes match.
    multi_class : {"auto", "multinomial", "ovr"}, default="auto"
        For more than two classes: "multinomial" (softmax loss, the "auto" choice) or "ovr"
        (one binary problem per class, probabilities normalized). Two classes always fit the
        binary model.
    random_state : ignored
        Accepted for compatibility with scikit-learn's signature; the solver is
        deterministic.
    verbose : bool, int or str, default=False
        If true, ``fit`` prints one line per solve (one-vs-rest: per class) on stderr:
        alpha, duality gap, epochs and seconds (a str is the line's prefix).
    standardize : bool, default=False
        glmnet's ``standardize`` (glmnet's default is True): the penalty applies to the
        coefficients of the columns scaled to unit weighted standard deviation (as
        :class:`l1core.ElasticNet`; weights: the sample times the class weights), ``coef_``
        on the original scale, constant columns 0, no copy of X; ``dual_gap_`` is the
        standardized problem's (the same number, ``l1core._standardize``).

    Attributes
    ----------
    classes_ : ndarray of shape (n_classes,)
    coef_ : ndarray of shape (1, n_features) for two classes, else (n_classes, n_features),
        in X's floating dtype
    intercept_ : ndarray of shape (1,) or (n_classes,)
    n_iter_ : ndarray of shape (1,) (binary, multinomial) or (n_classes,) (ovr), epochs run,
        at least 1 (a start already optimal, as w = 0 for alpha >= alpha_max, counts the
        pass that certified it)
    dual_gap_ : float for two classes and the multinomial model (one solve), ndarray of shape
        (n_classes,) for one-vs-rest (one gap per class's binary problem): the duality gap
        of each solve, an upper bound on its objective's suboptimality
    n_features_in_ : int

    Examples
    --------
    >>> import numpy as np
    >>> from l1core.datasets import load_diabetes
    >>> X, y, names = load_diabetes()
    >>> from l1core import SparseLogisticRegression
    >>> labels = np.where(y > 140, "high", "low")
    >>> clf = SparseLogisticRegression().fit(X, labels)   # alpha = 1/n_samples (C=1)
    >>> clf.classes_, [names[j] for j in np.flatnonzero(clf.coef_)]
    (array(['high', 'low'], dtype='<U4'), ['bmi', 'bp', 's3', 's5'])
    >>> clf.predict(X[:2]), clf.predict_proba(X[:2]).round(1)   # columns: clf.classes_
    (array(['high', 'low'], dtype='<U4'), array([[0.8, 0.2],
           [0.2, 0.8]]))
    """

    # The weighted and the repeated fits are both certified within tol of the same optimum,
    # so at tol=1e-4 their probabilities differ by ~1e-5 (rounding changes the proximal
    # Newton steps); at tol=1e-12 they agree to ~1e-13 (tests/test_sklearn_dropin.py).
    _expected_failed_checks = {
        f"check_sample_weight_equivalence_on_{kind}_data": (
            "the weighted and the repeated fits stop at different points within tol of the "
            "optimum (tol=1e-4: probabilities ~1e-5 apart); they agree at tol=1e-12")
        for kind in ("dense", "sparse")}

    def __init__(self, alpha: float | None = None, *, l1_ratio: float = 1.0,
                 fit_intercept: bool = True, tol: float = 1e-4, max_iter: int = 1000,
                 penalty_factor: ArrayLike | None = None,
                 lower_bounds: float | ArrayLike | None = None,
                 upper_bounds: float | ArrayLike | None = None,
                 class_weight: dict | Literal["balanced"] | None = None, warm_start: bool = False,
                 multi_class: Literal["auto", "multinomial", "ovr"] = "auto",
                 random_state: Seed = None, verbose: Verbose = False,
                 standardize: bool = False) -> None:
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

    def fit(self, X: MatrixLike, y: ArrayLike, sample_weight: ArrayLike | None = None,
            offset: ArrayLike | None = None) -> Self:
        """Fit the model. X: array-like or scipy sparse (n_samples, n_features); y: labels of
        any type (n_samples,); sample_weight: (n_samples,) non-negative or None; offset:
        (n_samples,) or None, glmnet's offset (two classes only): a known term of the linear
        predictor, the model being ``sigmoid(X w + b + offset)``; ``dual_gap_`` certifies
        that problem, and the predictions add it only when given ``offset`` again.

        A ``dask.array.Array`` X (rows partitioned, dense or scipy.sparse chunks) with y and
        sample_weight chunked alike is fitted where its partitions lie, by
        :mod:`l1core.distributed` (options it lacks, and ``offset``, raise ValueError); the
        prediction methods then return Dask arrays for a Dask X."""
        if is_dask_array(X):
            if offset is not None:
                raise ValueError("offset is not supported with a Dask array X.")
            return fit_on_partitions(self, X, y, sample_weight)
        X, classes, codes, _, s, mode = prepare_classification(self, X, y, sample_weight)
        n, p = X.shape
        offset = v.check_offset(offset, n)
        if offset is not None and mode != "binary":
            raise ValueError(f"offset is supported for two classes only; y has "
                             f"{classes.shape[0]}.")
        K = classes.shape[0]
        rows = 1 if K == 2 else K
        coef_init = intercept_init = None
        if (self.warm_start and getattr(self, "coef_", None) is not None
                and self.coef_.shape == (rows, p)):
            coef_init, intercept_init = self.coef_, self.intercept_
        kwargs = dict(l1_ratio=self.l1_ratio, sample_weight=s,
                      penalty_factor=self.penalty_factor, lower_bounds=self.lower_bounds,
                      upper_bounds=self.upper_bounds, fit_intercept=self.fit_intercept,
                      check_input=False, standardize=self.standardize)
        if offset is not None:
            kwargs["offset"] = offset
        solve = dict(tol=self.tol, max_iter=self.max_iter)
        alpha = 1.0 / s.sum() if self.alpha is None else self.alpha      # C = 1
        start = time.perf_counter()
        if mode == "multinomial":
            problem = LogisticProblem(X, codes, n_classes=K, **kwargs)
            results = [solve_once(problem, alpha, coef_init=coef_init,
                                  intercept_init=intercept_init, **solve)]
            self._report(alpha, results[-1], start)
            coef = results[0].coef
            intercept = np.asarray(results[0].intercept, dtype=np.float64)
        else:
            targets = [1] if mode == "binary" else range(K)
            results = []
            stats = None        # column statistics: the same for every one-vs-rest problem
            X = column_store(X)  # one CSC copy of a CSR X for all of them (l1core._config)
            for r, k in enumerate(targets):
                problem = LogisticProblem(X, (codes == k).astype(np.intp), n_classes=2,
                                          column_stats=stats, **kwargs)
                results.append(solve_once(
                    problem, alpha,
                    coef_init=None if coef_init is None else coef_init[r],
                    intercept_init=None if intercept_init is None else intercept_init[r],
                    **solve))
                start = self._report(alpha, results[-1], start)
                stats = problem.column_stats
            coef = np.stack([res.coef for res in results])
            intercept = np.array([res.intercept for res in results])
        self.classes_ = classes
        self.coef_ = coef
        self.intercept_ = intercept if self.fit_intercept else np.zeros(rows)
        self.n_iter_ = np.array([max(res.n_iter, 1) for res in results])
        gaps = np.array([res.dual_gap for res in results], dtype=np.float64)
        self.dual_gap_ = gaps if mode == "ovr" else float(gaps[0])
        self._mode = mode
        self.n_features_in_ = p
        return self

    def _report(self, alpha, result, start):
        """The ``verbose`` line of a solve begun at ``start``; returns the time now."""
        now = time.perf_counter()
        if self.verbose:
            report_solve(self.verbose, alpha, result.dual_gap, result.n_iter, now - start)
        return now

    def decision_function(self, X: MatrixLike, offset: ArrayLike | None = None) -> np.ndarray:
        """Scores ``X @ coef_.T + intercept_`` (``+ offset``, two classes, if given: glmnet's
        ``newoffset``): shape (n_samples,) for two classes (positive means ``classes_[1]``),
        else (n_samples, n_classes)."""
        if is_dask_array(X):
            return predict_on_partitions(self, X, offset, method="decision_function")
        check_is_fitted(self)
        X, _ = check_design(X)
        if X.shape[1] != self.n_features_in_:
            raise ValueError(f"X has {X.shape[1]} features, but {type(self).__name__} is "
                             f"expecting {self.n_features_in_} features as input.")
        scores = np.asarray(X @ self.coef_.T, dtype=np.float64) + self.intercept_
        if offset is not None and scores.shape[1] != 1:
            raise ValueError("offset is supported for two classes only.")
        return add_offset(scores[:, 0], offset) if scores.shape[1] == 1 else scores

    def predict_proba(self, X: MatrixLike, offset: ArrayLike | None = None) -> np.ndarray:
        """Class probabilities, shape (n_samples, n_classes), rows summing to 1 (ovr: the
        per-class sigmoids normalized, as scikit-learn does); ``offset`` as in
        :meth:`decision_function`."""
        if is_dask_array(X):
            return predict_on_partitions(self, X, offset, method="predict_proba")
        return self._probabilities(self.decision_function(X, offset=offset))

    def _probabilities(self, scores):
        """Class probabilities of decision_function's scores."""
        if scores.ndim == 1:
            pos = _sigmoid(scores)
            return np.column_stack([1.0 - pos, pos])
        if fitted_mode(self) == "ovr":
            prob = _sigmoid(scores)
            return prob / prob.sum(axis=1, keepdims=True)
        scores = scores - scores.max(axis=1, keepdims=True)
        prob = np.exp(scores)
        return prob / prob.sum(axis=1, keepdims=True)

    def predict_log_proba(self, X: MatrixLike, offset: ArrayLike | None = None) -> np.ndarray:
        """Logarithm of :meth:`predict_proba`."""
        with np.errstate(divide="ignore"):
            return np.log(self.predict_proba(X, offset=offset))

    def predict(self, X: MatrixLike, offset: ArrayLike | None = None) -> np.ndarray:
        """Predicted class labels (from ``classes_``); ``offset`` as in
        :meth:`decision_function`."""
        if is_dask_array(X):
            return predict_on_partitions(self, X, offset, method="predict")
        return self._labels(self.decision_function(X, offset=offset))

    def _labels(self, scores):
        """Class labels of decision_function's scores."""
        if scores.ndim == 1:
            return self.classes_[(scores > 0).astype(np.intp)]
        return self.classes_[np.argmax(scores, axis=1)]

    @property
    def sparse_coef_(self):
        """``coef_`` as a CSR matrix."""
        check_is_fitted(self)
        return sp.csr_matrix(self.coef_)

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.input_tags.sparse = True
        return tags


def fitted_mode(model):
    """"binary", "ovr" or "multinomial" for a fitted model: ``_mode``, or for a model
    pickled before it existed, derived from the public fitted attributes (``dual_gap_`` is
    one value per class only for one-vs-rest)."""
    mode = getattr(model, "_mode", None)
    if mode is not None:
        return mode
    if len(model.classes_) == 2:
        return "binary"
    if not hasattr(model, "dual_gap_"):
        raise AttributeError(f"This fitted {type(model).__name__} lacks dual_gap_ and _mode; "
                             "it cannot tell one-vs-rest from multinomial. Refit it.")
    return "ovr" if np.ndim(model.dual_gap_) == 1 else "multinomial"


def _sigmoid(t):
    return 0.5 * (1.0 + np.tanh(0.5 * t))


def logistic_alpha_max(X, codes, *, l1_ratio=1.0, sample_weight=None, penalty_factor=None,
                       lower_bounds=None, upper_bounds=None, fit_intercept=True, n_classes=2,
                       offset=None):
    """The smallest alpha whose solution has every penalized coefficient zero: with the best
    intercept-only model p = pbar, ``max_j |x_j . (sw (y01 - pbar))| / (v_j l1_ratio)`` over
    the penalized columns (sw the normalized weights; x_j need not be centered as the vector
    sums to zero).

    ``n_classes >= 3`` (codes in ``[0, n_classes)``): the multinomial model's, the same maximum
    over every class k of ``|x_j . (sw (1[y = k] - pbar_k))|``, ``pbar_k`` the weighted class
    frequency with an intercept and ``1 / n_classes`` without.

    Bounds (as for the estimator): a coefficient with a lower bound of 0 can only grow, so its
    column counts only positive correlations (an upper bound of 0: only negative ones), as
    the squared loss's ``EnetProblem.alpha_max`` (``positive=True``); features pinned at zero
    or kept off it by their bounds are ignored (0 if no feature is left).

    ``offset``: the decision values, (n,) or (n, n_classes), of the fitted unpenalized part
    (intercept and unpenalized columns); the probabilities they give replace pbar (glmnet's
    alpha_max with unpenalized columns). None: the intercept-only model above. X is validated
    by check_design (valid float32/float64 CSC, CSR or Fortran-ordered input is not copied)."""
    X, _ = check_design(X)
    n, p = X.shape
    s = v.check_sample_weight(sample_weight, n, np.float64)
    factor = v.check_penalty_factor(penalty_factor, p)
    lower, upper = v.check_bounds(lower_bounds, upper_bounds, False, p)
    return alpha_max_of(X, np.asarray(codes), s / s.sum(), factor, l1_ratio, lower, upper,
                        n_classes, fit_intercept, offset)


def logistic_path(X: MatrixLike, y: ArrayLike, *, alphas: ArrayLike | int | None = None,
                  n_alphas: int = 100, eps: float = 1e-3, l1_ratio: float = 1.0,
                  sample_weight: ArrayLike | None = None, penalty_factor: ArrayLike | None = None,
                  lower_bounds: float | ArrayLike | None = None,
                  upper_bounds: float | ArrayLike | None = None, fit_intercept: bool = True,
                  tol: float = 1e-4, max_iter: int = 1000, multinomial: bool = False,
                  sparse_coefs: bool = False, strong_rule: bool = True, screening: bool = True,
                  warn: bool = True, check_input: bool = True,
                  column_stats: tuple | None = None, verbose: Verbose = False,
                  dfmax: int | None = None, pmax: int | None = None,
                  offset: ArrayLike | None = None, standardize: bool = False) -> PathResult:
    """Solutions of the penalized logistic regression along a grid of alphas.

    The default grid is ``n_alphas`` values log-spaced from ``alpha_max`` (exact: the smallest
    alpha with all penalized coefficients zero, see :func:`logistic_alpha_max`; with
    unpenalized columns, those and the intercept are fitted first, as glmnet does) down to
    ``eps * alpha_max``. Without ``multinomial``, ``y`` must have exactly two classes (the
    positive class is ``np.unique(y)[1]``); ``multinomial=True`` fits the multinomial
    (softmax) model of :class:`SparseLogisticRegression` to three or more classes
    (``np.unique(y)`` order).

    One :class:`l1core._logistic_solver.LogisticProblem` serves the whole path: X is
    validated and its column statistics computed once; each alpha is warm-started from the
    previous solution and its linear predictor (no pass over X) and, with ``strong_rule``,
    begins from the sequential strong set (Tibshirani et al. 2012): feature j enters the
    first working set only if ``max_k |x_j . theta_k(alpha_prev)| >= v_j l1_ratio
    (2 alpha - alpha_prev)`` or it was ever nonzero on the path. The full pass that ends
    each solve certifies the full problem (the KKT check of the rule), so every point meets
    ``tol`` whatever the rule or the screening keep out.

    Returns ``(alphas, coefs, dual_gaps, n_iters, intercepts)``: alphas (n_alphas,)
    decreasing; binary: coefs (n_features, n_alphas) Fortran-ordered and intercepts
    (n_alphas,); multinomial: coefs (n_classes, n_features, n_alphas) and intercepts
    (n_classes, n_alphas); dual_gaps and n_iters (n_alphas,). ``sparse_coefs=True`` returns
    coefs as a scipy.sparse CSC matrix (it holds only the nonzeros, which dominate the memory
    of a path on wide data): binary (n_features, n_alphas); multinomial (n_features,
    n_alphas * n_classes) whose column ``a * n_classes + k`` is class k at ``alphas[a]``.
    ``warn=False`` raises no ConvergenceWarning (the caller compares dual_gaps with its
    tolerance). ``column_stats``: the ``column_stats`` of a ``LogisticProblem`` on the same X and
    ``fit_intercept`` (not recomputed).
    ``verbose``: if true, progress on stderr as for :func:`l1core.enet_path` (one line per
    alpha: alpha, duality gap, epochs, seconds, then the progress; a str is the lines'
    prefix). The result is a :class:`l1core.PathResult` (the tuple above, with the nonzeros
    and the deviance explained per alpha, ``coef_at``, ``predict`` giving decision values).
    ``dfmax``, ``pmax``: glmnet's limits on the model size, as for :func:`l1core.enet_path`
    (``l1core._path_limits``; a feature counts once if nonzero in any class): the path may
    hold fewer alphas than asked for. ``offset`` (n_samples,): glmnet's offset (binary), a
    known term of the linear predictor (``l1core._offset``); alpha_max and the null model
    include it, ``predict`` of the result does not. ``standardize``: glmnet's (see
    :class:`SparseLogisticRegression`; the default grid is the standardized problem's).

    Examples
    --------
    >>> import numpy as np
    >>> from l1core.datasets import load_diabetes
    >>> X, y, names = load_diabetes()
    >>> from l1core import logistic_path
    >>> path = logistic_path(X, y > 140, n_alphas=5, eps=1e-2)
    >>> path.n_nonzero                               # features in the model at each alpha
    array([0, 4, 5, 6, 8])
    >>> alphas, coefs, gaps, n_iters, intercepts = path
    >>> coefs.shape
    (10, 5)
    """
    if check_input:
        X, _ = check_design(X)
    classes, codes = _encode_labels(y, X.shape[0])
    K = classes.shape[0]
    if not multinomial and K != 2:
        raise ValueError(f"logistic_path is binary only unless multinomial=True; y has {K} "
                         "classes.")
    if multinomial and K < 3:
        raise ValueError(f"multinomial=True needs at least 3 classes, y has {K}; two classes "
                         "fit the binary model.")
    problem = LogisticProblem(X, codes, n_classes=K, l1_ratio=l1_ratio,
                              sample_weight=sample_weight, penalty_factor=penalty_factor,
                              lower_bounds=lower_bounds, upper_bounds=upper_bounds,
                              fit_intercept=fit_intercept, column_stats=column_stats,
                              check_input=False, offset=offset, standardize=standardize)
    tol = v.check_tol(tol)
    max_iter = v.check_max_iter(max_iter)
    alphas = path_alphas(alphas, problem.l1_ratio,
                         lambda: problem.alpha_max(offset=problem.unpenalized_offset()),
                         n_alphas, eps)
    p, n_a, R = X.shape[1], alphas.shape[0], problem.R
    if sparse_coefs:
        nz_rows, nz_values, counts = [], [], [0]
    else:
        # zeros from the allocator (pages mapped on first touch), and each alpha writes only
        # the features ever active on the path, which hold its whole support
        coefs = np.zeros((R, p, n_a), dtype=X.dtype, order="F")
    gaps = np.empty(n_a)
    n_iters = np.empty(n_a, dtype=np.intp)
    intercepts = np.empty((R, n_a))
    seconds = np.empty(n_a)
    deviance = np.empty(n_a)
    progress = verbose if isinstance(verbose, Progress) else Progress(verbose, n_a)
    w, b = problem.start()
    W = w.reshape(R, p)
    problem.ever_active[:] = np.any(W != 0.0, axis=0)     # bounds may keep some off zero
    limits = PathLimits(dfmax, pmax, p)
    n_solved = n_a
    for k, alpha in enumerate(alphas):
        start = time.perf_counter()
        ratio = alphas[k - 1] / alpha if strong_rule and k > 0 and alpha > 0 else 0.0
        gaps[k], n_iters[k], gap_tol = problem.solve(
            alpha, w, b, tol=tol, max_iter=max_iter, screening=screening, warm=k > 0,
            strong_ratio=ratio)
        # the support lies among the features ever active on the path (O(support) work)
        ever = np.flatnonzero(problem.ever_active)
        verdict = (limits.verdict(ever[np.any(W[:, ever] != 0.0, axis=0)]) if limits.active
                   else KEEP)
        if verdict == DROP_AND_STOP:
            n_solved = k
            break
        seconds[k] = time.perf_counter() - start
        deviance[k] = logistic_loss(problem)
        progress.step(solve_text(alpha, gaps[k], n_iters[k], seconds[k]))
        if warn and gaps[k] > gap_tol:
            warnings.warn(f"Logistic solver did not converge at alpha={alpha:.4g} after "
                          f"{n_iters[k]} epochs (max_iter={max_iter}): duality gap "
                          f"{gaps[k]:.3e} > tolerance {gap_tol:.3e}. Increase max_iter, "
                          "loosen tol or raise alpha.", convergence_warning(), stacklevel=2)
        W_ever = cast_inside(W[:, ever], X.dtype, problem.lower[ever], problem.upper[ever])
        if sparse_coefs:
            for row in W_ever:
                keep = row != 0.0
                nz_rows.append(ever[keep])
                nz_values.append(row[keep])
                counts.append(np.count_nonzero(keep))
        else:
            coefs[:, ever, k] = W_ever
        intercepts[:, k] = b - b.mean() if multinomial and problem.fit_intercept else b
        if verdict == KEEP_AND_STOP:
            n_solved = k + 1
            break
    if n_solved < n_a:
        alphas, gaps, n_iters, seconds, deviance = (
            a[:n_solved] for a in (alphas, gaps, n_iters, seconds, deviance))
        intercepts = intercepts[:, :n_solved]
        n_a = n_solved
        if not sparse_coefs:
            coefs = coefs[:, :, :n_a]
    if sparse_coefs:
        coefs = sp.csc_matrix((np.concatenate(nz_values).astype(X.dtype, copy=False),
                               np.concatenate(nz_rows), np.cumsum(counts)),
                              shape=(p, n_a * R))
    elif not multinomial:
        coefs = coefs[0]                                 # (p, n_alphas), Fortran-ordered
    return PathResult(_FIELDS, alphas=alphas, coefs=coefs, dual_gaps=gaps, n_iters=n_iters,
                      intercepts=intercepts if multinomial else intercepts[0],
                      seconds=seconds, deviance_explained=explained(deviance, problem.p_null),
                      n_classes=K if multinomial else None)


_FIELDS = ("alphas", "coefs", "dual_gaps", "n_iters", "intercepts")
