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

import warnings

import numpy as np
import scipy.sparse as sp

from . import _validation as v
from ._estimator_base import BaseEstimator, ClassifierMixin, check_is_fitted
from ._logistic_solver import logistic_solve
from ._validation import DataConversionWarning, _with_sklearn_base, check_design

__all__ = ["SparseLogisticRegression", "logistic_path"]


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
    alpha : float, default=1.0
        Penalty strength (>= 0); scikit-learn's ``C`` is ``1 / (alpha * n_samples)``.
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

    Attributes
    ----------
    classes_ : ndarray of shape (n_classes,)
    coef_ : ndarray of shape (1, n_features) for two classes, else (n_classes, n_features),
        in X's floating dtype
    intercept_ : ndarray of shape (1,) or (n_classes,)
    n_iter_ : ndarray of shape (1,) (binary, multinomial) or (n_classes,) (ovr), epochs run
    dual_gap_ : ndarray of the same shape, the duality gap of each solve (an upper bound on
        its objective's suboptimality)
    n_features_in_ : int
    """

    def __init__(self, alpha=1.0, *, l1_ratio=1.0, fit_intercept=True, tol=1e-4,
                 max_iter=1000, penalty_factor=None, lower_bounds=None, upper_bounds=None,
                 class_weight=None, warm_start=False, multi_class="auto", random_state=None):
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

    def fit(self, X, y, sample_weight=None):
        """Fit the model. X: array-like or scipy sparse (n_samples, n_features); y: labels of
        any type (n_samples,); sample_weight: (n_samples,) non-negative or None."""
        if self.multi_class not in ("auto", "multinomial", "ovr"):
            raise ValueError(f"multi_class must be 'auto', 'multinomial' or 'ovr', got "
                             f"{self.multi_class!r}.")
        X, _ = check_design(X)
        n, p = X.shape
        classes, codes = _encode_labels(y, n)
        K = classes.shape[0]
        s = v.check_sample_weight(sample_weight, n, np.float64)
        s = s * _class_weight_factors(self.class_weight, classes, codes)[codes]
        if not s.sum() > 0:
            raise ValueError("The sample weights times the class weights are all zero.")
        mode = "binary" if K == 2 else ("ovr" if self.multi_class == "ovr" else "multinomial")
        rows = 1 if K == 2 else K
        coef_init = intercept_init = None
        if (self.warm_start and getattr(self, "coef_", None) is not None
                and self.coef_.shape == (rows, p)):
            coef_init, intercept_init = self.coef_, self.intercept_
        kwargs = dict(alpha=self.alpha, l1_ratio=self.l1_ratio, sample_weight=s,
                      penalty_factor=self.penalty_factor, lower_bounds=self.lower_bounds,
                      upper_bounds=self.upper_bounds, fit_intercept=self.fit_intercept,
                      tol=self.tol, max_iter=self.max_iter, check_input=False)
        if mode == "multinomial":
            results = [logistic_solve(X, codes, n_classes=K, coef_init=coef_init,
                                      intercept_init=intercept_init, **kwargs)]
            coef = results[0].coef
            intercept = np.asarray(results[0].intercept, dtype=np.float64)
        else:
            targets = [1] if mode == "binary" else range(K)
            results = []
            for r, k in enumerate(targets):
                results.append(logistic_solve(
                    X, (codes == k).astype(np.intp), n_classes=2,
                    coef_init=None if coef_init is None else coef_init[r],
                    intercept_init=None if intercept_init is None else intercept_init[r],
                    **kwargs))
            coef = np.stack([res.coef for res in results])
            intercept = np.array([res.intercept for res in results])
        self.classes_ = classes
        self.coef_ = coef
        self.intercept_ = intercept if self.fit_intercept else np.zeros(rows)
        self.n_iter_ = np.array([res.n_iter for res in results])
        self.dual_gap_ = np.array([res.dual_gap for res in results])
        self._mode = mode
        self.n_features_in_ = p
        return self

    def decision_function(self, X):
        """Scores ``X @ coef_.T + intercept_``: shape (n_samples,) for two classes (positive
        means ``classes_[1]``), else (n_samples, n_classes)."""
        check_is_fitted(self)
        X, _ = check_design(X)
        if X.shape[1] != self.n_features_in_:
            raise ValueError(f"X has {X.shape[1]} features, but {type(self).__name__} is "
                             f"expecting {self.n_features_in_} features as input.")
        scores = np.asarray(X @ self.coef_.T, dtype=np.float64) + self.intercept_
        return scores[:, 0] if scores.shape[1] == 1 else scores

    def predict_proba(self, X):
        """Class probabilities, shape (n_samples, n_classes), rows summing to 1 (ovr: the
        per-class sigmoids normalized, as scikit-learn does)."""
        scores = self.decision_function(X)
        if scores.ndim == 1:
            pos = _sigmoid(scores)
            return np.column_stack([1.0 - pos, pos])
        if self._mode == "ovr":
            prob = _sigmoid(scores)
            return prob / prob.sum(axis=1, keepdims=True)
        scores = scores - scores.max(axis=1, keepdims=True)
        prob = np.exp(scores)
        return prob / prob.sum(axis=1, keepdims=True)

    def predict_log_proba(self, X):
        """Logarithm of :meth:`predict_proba`."""
        with np.errstate(divide="ignore"):
            return np.log(self.predict_proba(X))

    def predict(self, X):
        """Predicted class labels (from ``classes_``)."""
        scores = self.decision_function(X)
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


def _sigmoid(t):
    return 0.5 * (1.0 + np.tanh(0.5 * t))


def logistic_alpha_max(X, codes, *, l1_ratio=1.0, sample_weight=None, penalty_factor=None,
                       fit_intercept=True, n_classes=2, offset=None):
    """The smallest alpha whose solution is w = 0 (no bounds): with the best intercept-only
    model p = pbar, ``max_j |x_j . (sw (y01 - pbar))| / (v_j l1_ratio)`` over the penalized
    columns (sw the normalized weights; x_j need not be centered as the vector sums to zero).

    ``n_classes >= 3`` (codes in ``[0, n_classes)``): the multinomial model's, the same maximum
    over every class k of ``|x_j . (sw (1[y = k] - pbar_k))|``, ``pbar_k`` the weighted class
    frequency with an intercept and ``1 / n_classes`` without.

    ``offset``: the decision values, (n,) or (n, n_classes), of the fitted unpenalized part
    (intercept and unpenalized columns); the probabilities they give replace pbar (glmnet's
    alpha_max with unpenalized columns). None: the intercept-only model above."""
    s = v.check_sample_weight(sample_weight, X.shape[0], np.float64)
    sw = s / s.sum()
    factor = v.check_penalty_factor(penalty_factor, X.shape[1])
    if n_classes > 2:
        Y = np.equal.outer(codes, np.arange(n_classes)).astype(np.float64)
        if offset is not None:
            Z = np.asarray(offset, dtype=np.float64)
            pbar = np.exp(Z - Z.max(axis=1, keepdims=True))
            pbar /= pbar.sum(axis=1, keepdims=True)
        else:
            pbar = sw @ Y if fit_intercept else np.full(n_classes, 1.0 / n_classes)
        grad = np.abs(np.asarray(X.T @ (sw[:, np.newaxis] * (Y - pbar)))).max(axis=1)
    else:
        y01 = (codes == 1).astype(np.float64)
        if offset is not None:
            pbar = _sigmoid(np.asarray(offset, dtype=np.float64))
        else:
            pbar = float(sw @ y01) if fit_intercept else 0.5
        grad = np.abs(np.asarray(X.T @ (sw * (y01 - pbar))).ravel())
    pen = factor > 0
    if not np.any(pen) or l1_ratio <= 0:
        raise ValueError("alpha_max is infinite without an L1-penalized column "
                         "(l1_ratio > 0 and some penalty_factor > 0); pass alphas.")
    return float(np.max(grad[pen] / factor[pen]) / l1_ratio)


def logistic_path(X, y, *, alphas=None, n_alphas=100, eps=1e-3, l1_ratio=1.0,
                  sample_weight=None, penalty_factor=None, lower_bounds=None,
                  upper_bounds=None, fit_intercept=True, tol=1e-4, max_iter=1000,
                  multinomial=False, sparse_coefs=False, warn=True, check_input=True):
    """Solutions of the penalized logistic regression along a grid of alphas.

    The default grid is ``n_alphas`` values log-spaced from ``alpha_max`` (exact: the smallest
    alpha with all penalized coefficients zero, see :func:`logistic_alpha_max`) down to
    ``eps * alpha_max``; each solve is warm-started from the previous one. Without
    ``multinomial``, ``y`` must have exactly two classes (the positive class is
    ``np.unique(y)[1]``); ``multinomial=True`` fits the multinomial (softmax) model of
    :class:`SparseLogisticRegression` to three or more classes (``np.unique(y)`` order).

    Returns ``(alphas, coefs, dual_gaps, n_iters, intercepts)``: alphas (n_alphas,)
    decreasing; binary: coefs (n_features, n_alphas) and intercepts (n_alphas,); multinomial:
    coefs (n_classes, n_features, n_alphas) and intercepts (n_classes, n_alphas); dual_gaps
    and n_iters (n_alphas,). ``sparse_coefs=True`` returns coefs as a scipy.sparse CSC matrix
    (it holds only the nonzeros, which dominate the memory of a path on wide data): binary
    (n_features, n_alphas); multinomial (n_features, n_alphas * n_classes) whose column
    ``a * n_classes + k`` is class k at ``alphas[a]``. ``warn=False`` raises no
    ConvergenceWarning (the caller compares dual_gaps with its tolerance).
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
    if alphas is None:
        amax = logistic_alpha_max(X, codes, l1_ratio=v.check_l1_ratio(l1_ratio),
                                  sample_weight=sample_weight, penalty_factor=penalty_factor,
                                  fit_intercept=fit_intercept, n_classes=K)
        alphas = np.geomspace(amax, amax * eps, int(n_alphas))
    else:
        alphas = np.sort(np.asarray(alphas, dtype=np.float64).ravel())[::-1]
    p, n_a = X.shape[1], alphas.shape[0]
    R = K if multinomial else 1
    coefs = None if sparse_coefs else np.zeros((R, p, n_a), dtype=X.dtype)
    nz_rows, nz_values, counts = [], [], [0]
    gaps = np.zeros(n_a)
    n_iters = np.zeros(n_a, dtype=np.intp)
    intercepts = np.zeros((R, n_a))
    coef = intercept = None
    for k, alpha in enumerate(alphas):
        res = logistic_solve(X, codes, alpha=alpha, l1_ratio=l1_ratio,
                             sample_weight=sample_weight, penalty_factor=penalty_factor,
                             lower_bounds=lower_bounds, upper_bounds=upper_bounds,
                             fit_intercept=fit_intercept, tol=tol, max_iter=max_iter,
                             coef_init=coef, intercept_init=intercept, n_classes=R if
                             multinomial else 2, warn=warn, check_input=False)
        coef, intercept = res.coef, res.intercept
        if sparse_coefs:
            for row in coef.reshape(R, p):
                nz = np.flatnonzero(row)
                nz_rows.append(nz)
                nz_values.append(row[nz])
                counts.append(nz.size)
        else:
            coefs[:, :, k] = coef.reshape(R, p)
        gaps[k], n_iters[k], intercepts[:, k] = res.dual_gap, res.n_iter, intercept
    if sparse_coefs:
        coefs = sp.csc_matrix((np.concatenate(nz_values).astype(X.dtype, copy=False),
                               np.concatenate(nz_rows), np.cumsum(counts)),
                              shape=(p, n_a * R))
    elif not multinomial:
        coefs = coefs[0]
    return alphas, coefs, gaps, n_iters, intercepts if multinomial else intercepts[0]
