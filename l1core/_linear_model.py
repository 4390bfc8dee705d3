"""Estimators ``ElasticNet`` and ``Lasso`` with scikit-learn's API.

Both minimize (design.md section 2)

    1/(2S) sum_i s_i (y_i - x_i.w - b)^2 + alpha sum_j v_j (l1_ratio |w_j| + (1-l1_ratio)/2 w_j^2)

subject to ``lower_bounds <= w <= upper_bounds``, with sample weights ``s`` and penalty factors
``v`` (0 leaves a coefficient unpenalized). With unit weights and factors this is exactly
scikit-learn's ``ElasticNet``/``Lasso`` objective, so the same ``alpha`` gives the same model.
All the numerical work happens in :func:`l1core._enet_solver.enet_solve`.
"""

from __future__ import annotations

import time

import numpy as np
import scipy.sparse as sp

from ._dask_dispatch import fit_on_partitions, is_dask_array, predict_on_partitions
from ._enet_solver import enet_solve
from ._multioutput import enet_solve_targets
from ._estimator_base import BaseEstimator, RegressorMixin, check_is_fitted
from ._fista_fit import fit_by_fista, is_operator
from ._path import enet_path, lasso_path, report_solve
from . import _validation as v
from ._offset import add_offset
from ._validation import check_design
from ._typing import ArrayLike, Literal, MatrixLike, Seed, Self, Verbose

__all__ = ["ElasticNet", "Lasso"]


class ElasticNet(RegressorMixin, BaseEstimator):
    """Linear regression with combined L1 and L2 penalties, solved by coordinate descent.

    Parameters
    ----------
    alpha : float, default=1.0
        Overall penalty strength (>= 0).
    l1_ratio : float, default=0.5
        Mix of the penalties: 1 is the Lasso, 0 ridge.
    fit_intercept : bool, default=True
        Fit an unpenalized intercept. Sparse X is never centered or densified.
    max_iter : int, default=1000
        Maximum number of epochs (passes over the features being optimized).
    tol : float, default=1e-4
        Stop when the duality gap is at most ``tol * sum_i s_i (y_i - ybar)^2 / S``
        (scikit-learn's rule).
    warm_start : bool, default=False
        Start from the previous ``coef_`` when refitting.
    positive : bool, default=False
        Constrain the coefficients to be >= 0 (combined with ``lower_bounds``).
    selection : {"cyclic", "random"}, default="cyclic"
        Coordinate order; "random" draws a fresh permutation each epoch from ``random_state``.
    random_state : int, Generator, RandomState or None, default=None
        Seed for ``selection="random"``.
    penalty_factor : array of shape (n_features,) or None
        Per-feature multipliers ``v_j >= 0`` of the penalty (glmnet's ``penalty.factor``).
    lower_bounds, upper_bounds : float, array of shape (n_features,) or None
        Box constraints on the coefficients (glmnet's ``lower.limits``/``upper.limits``).
    precompute : bool, "auto" or array of shape (n_features, n_features), default="auto"
        Solve from the Gram matrix ``X^T X`` (glmnet's covariance mode): pays off on tall
        data. "auto" uses it for dense X with n_samples >= 2 n_features and few features.
        An array is the Gram matrix itself, as scikit-learn takes it: ``X_c^T diag(s') X_c``,
        X_c centered by the (weighted) column means when ``fit_intercept``, ``s'`` the
        sample weights scaled to sum to n_samples (plain ``X.T @ X`` for unit weights and
        centered or intercept-free X); it is checked (shape, symmetry, two entries) and
        copied once. For an intercept with uncentered X it is recomputed, with a warning,
        as scikit-learn does. Sparse X always solves from X itself (True and an array are
        accepted and not used, as in scikit-learn: the Gram form is dense-only).
    copy_X : bool, default=True
        Accepted for scikit-learn compatibility: l1core never modifies X (it is read in
        place, or copied once when its layout requires it), so this has no effect.
    verbose : bool, int or str, default=False
        If true, ``fit`` prints one line on stderr: alpha, duality gap, epochs and seconds
        (a str is the line's prefix).
    standardize : bool, default=False
        glmnet's ``standardize`` (glmnet's default is True; False is scikit-learn's): the
        penalty applies to the coefficients of the columns scaled to unit weighted standard
        deviation ``d_j = sqrt(sum_i s_i (x_ij - xbar_j)^2 / S)`` (xbar_j = 0 without an
        intercept); ``coef_`` is on the original scale, constant columns get 0, bounds
        apply to ``coef_``. X is not scaled or copied: the kernel takes per-feature penalty
        factors ``v_j d_j`` and ridge factors ``v_j d_j^2`` (``l1core._standardize``).
    n_jobs : int or None, default=None
        Threads over the targets of a 2-D y (None: one). A 2-D y (n_samples, n_targets) is
        fitted as one independent problem per column, as scikit-learn does, sharing X's
        validation and column statistics (no copy of X per target).
    solver : {"cd", "fista"}, default="cd"
        "cd": coordinate descent (the compiled kernels). "fista": the accelerated proximal
        gradient of :func:`l1core.fista` on the same objective and stopping rule, which only
        multiplies by X and X^T: X may then be a ``scipy.sparse.linalg.LinearOperator``
        (``predict`` takes one too), with sample weights. It does not support bounds,
        ``positive``, ``standardize`` or a 2-D y (refused); ``n_iter_`` counts FISTA
        iterations; unpenalized features (``penalty_factor`` 0) are certified by projecting
        the dual point off their columns (formed once: k products). ``l1core._fista_fit``.

    Attributes
    ----------
    coef_ : ndarray of shape (n_features,), in X's floating dtype ((n_targets, n_features)
        for a 2-D y of several columns; see ``n_jobs``)
    intercept_ : float ((n_targets,) for a 2-D y, (1,) for a single column, as scikit-learn)
    n_iter_ : int, epochs run (a list per target for a 2-D y)
    dual_gap_ : float, duality gap at the solution on the objective above (divided by S),
        an upper bound on ``P(coef_, intercept_) - min P``; with ``standardize=True``, of
        the standardized problem (the objective of ``X diag(1/d)`` at ``d * coef_``, the
        same number)
    sparse_coef_ : scipy.sparse CSR matrix of shape (1, n_features)
    n_features_in_ : int

    Examples
    --------
    >>> import numpy as np
    >>> from l1core.datasets import load_diabetes
    >>> X, y, names = load_diabetes()
    >>> from l1core import ElasticNet
    >>> model = ElasticNet(alpha=0.01, l1_ratio=0.7).fit(X, y)
    >>> int(np.count_nonzero(model.coef_)), round(model.score(X, y), 2)
    (10, 0.43)
    >>> bool(model.dual_gap_ <= model.tol * y.var())     # the certified stopping rule
    True
    """

    def __init__(self, alpha: float = 1.0, *, l1_ratio: float = 0.5, fit_intercept: bool = True,
                 max_iter: int = 1000, tol: float = 1e-4, warm_start: bool = False,
                 positive: bool = False, selection: Literal["cyclic", "random"] = "cyclic",
                 random_state: Seed = None, penalty_factor: ArrayLike | None = None,
                 lower_bounds: float | ArrayLike | None = None,
                 upper_bounds: float | ArrayLike | None = None,
                 precompute: bool | Literal["auto"] | ArrayLike = "auto", copy_X: bool = True,
                 verbose: Verbose = False, standardize: bool = False,
                 n_jobs: int | None = None, solver: Literal["cd", "fista"] = "cd") -> None:
        self.alpha = alpha
        self.l1_ratio = l1_ratio
        self.fit_intercept = fit_intercept
        self.max_iter = max_iter
        self.tol = tol
        self.warm_start = warm_start
        self.positive = positive
        self.selection = selection
        self.random_state = random_state
        self.penalty_factor = penalty_factor
        self.lower_bounds = lower_bounds
        self.upper_bounds = upper_bounds
        self.precompute = precompute
        self.copy_X = copy_X
        self.verbose = verbose
        self.standardize = standardize
        self.n_jobs = n_jobs
        self.solver = solver

    def _effective_l1_ratio(self):
        return self.l1_ratio

    path = staticmethod(enet_path)

    def fit(self, X: MatrixLike, y: ArrayLike, sample_weight: ArrayLike | None = None,
            check_input: bool = True, offset: ArrayLike | None = None) -> Self:
        """Fit the model. X: array-like or scipy sparse (n_samples, n_features); y: (n_samples,);
        sample_weight: (n_samples,) non-negative or None. X is copied only when it is dense and
        not Fortran-ordered (once, into Fortran order) or of a non-floating dtype.

        ``check_input=False`` (scikit-learn's) skips the validation of X (its values are not
        checked for NaN or infinity, nothing is converted): X must already be a
        Fortran-ordered float32/float64 ndarray or a CSC/CSR matrix of those dtypes, which is
        checked (O(1)). y and sample_weight are always checked.

        ``offset``: (n_samples,) or None, glmnet's offset: a known term of the linear
        predictor, the model being ``X w + b + offset``. For the squared loss this is the fit
        of ``y - offset`` (exact); ``dual_gap_`` certifies that problem. ``predict`` adds it
        only when given ``offset`` again.

        A ``dask.array.Array`` X (rows partitioned, dense or scipy.sparse chunks) with y and
        sample_weight chunked alike is fitted where its partitions lie, by
        :mod:`l1core.distributed` (X is never gathered; ``offset`` is not supported there)."""
        # getattr: models pickled before the option existed solve by coordinate descent
        if v.check_solver(getattr(self, "solver", "cd")) == "fista":
            if is_dask_array(X):
                raise ValueError("solver='fista' does not support a Dask array X.")
            return fit_by_fista(self, X, y, sample_weight, offset)
        if is_dask_array(X):
            if offset is not None:
                raise ValueError("offset is not supported with a Dask array X.")
            return fit_on_partitions(self, X, y, sample_weight)
        start = time.perf_counter()
        X = check_design(X)[0] if check_input else _trusted_design(X)
        offset = v.check_offset(offset, X.shape[0])
        if y is not None and not sp.issparse(y) and np.asarray(y).ndim == 2:
            return self._fit_targets(X, np.asarray(y), sample_weight, offset, start)
        if offset is not None:
            y = v.check_target(y, X.shape[0], np.float64) - offset
        coef_init = None
        if self.warm_start and getattr(self, "coef_", None) is not None:
            if self.coef_.shape == (X.shape[1],):
                coef_init = self.coef_
        result = enet_solve(
            X, y, alpha=self.alpha, l1_ratio=self._effective_l1_ratio(),
            sample_weight=sample_weight, penalty_factor=self.penalty_factor,
            lower_bounds=self.lower_bounds, upper_bounds=self.upper_bounds,
            positive=self.positive, fit_intercept=self.fit_intercept, tol=self.tol,
            max_iter=self.max_iter, selection=self.selection, random_state=self.random_state,
            coef_init=coef_init, precompute=self.precompute, check_input=False,
            standardize=self.standardize)
        self.coef_ = result.coef
        self.intercept_ = result.intercept if self.fit_intercept else 0.0
        self.n_iter_ = result.n_iter
        self.dual_gap_ = result.dual_gap
        self.n_features_in_ = X.shape[1]
        if self.verbose:
            report_solve(self.verbose, self.alpha, result.dual_gap, result.n_iter,
                         time.perf_counter() - start)
        return self

    def _fit_targets(self, X, Y, sample_weight, offset, start):
        """``fit`` for a 2-D Y (n_samples, n_targets): one problem per column sharing X's
        validation and column statistics (``l1core._multioutput``), as scikit-learn does:
        coef_ (n_targets, n_features), intercept_, dual_gap_ (n_targets,), n_iter_ a list;
        a single column gives coef_ (n_features,), intercept_ (1,), a float dual_gap_."""
        Y = v.check_targets(Y, X.shape[0])
        if offset is not None:
            Y = Y - offset[:, np.newaxis]
        coef_init = None
        if self.warm_start and getattr(self, "coef_", None) is not None:
            if np.shape(self.coef_) == (Y.shape[1], X.shape[1]):
                coef_init = self.coef_
            elif Y.shape[1] == 1 and np.shape(self.coef_) == (X.shape[1],):
                coef_init = self.coef_[np.newaxis]
        solutions = enet_solve_targets(
            X, Y, alpha=self.alpha, l1_ratio=self._effective_l1_ratio(),
            sample_weight=sample_weight, penalty_factor=self.penalty_factor,
            lower_bounds=self.lower_bounds, upper_bounds=self.upper_bounds,
            positive=self.positive, fit_intercept=self.fit_intercept, tol=self.tol,
            max_iter=self.max_iter, selection=self.selection, random_state=self.random_state,
            coef_init=coef_init, precompute=self.precompute, check_input=False,
            standardize=self.standardize, n_jobs=self.n_jobs)
        self.coef_ = np.array([s.coef for s in solutions])
        self.intercept_ = (np.array([s.intercept for s in solutions]) if self.fit_intercept
                           else np.zeros(len(solutions)))
        self.dual_gap_ = np.array([s.dual_gap for s in solutions])
        self.n_iter_ = [s.n_iter for s in solutions]
        if len(solutions) == 1:
            self.coef_, self.dual_gap_, self.n_iter_ = (self.coef_[0], self.dual_gap_[0],
                                                        self.n_iter_[0])
        self.n_features_in_ = X.shape[1]
        if self.verbose:
            report_solve(self.verbose, self.alpha, float(np.max(self.dual_gap_)),
                         int(np.sum(self.n_iter_)), time.perf_counter() - start)
        return self

    @property
    def sparse_coef_(self):
        """``coef_`` as a CSR matrix of shape (1, n_features) ((n_targets, n_features) for a
        multi-output fit)."""
        check_is_fitted(self)
        return sp.csr_matrix(np.atleast_2d(self.coef_))

    def _decision_function(self, X):
        check_is_fitted(self)
        if is_dask_array(X) and np.ndim(self.coef_) == 1:
            return predict_on_partitions(self, X)       # a Dask array, computed lazily
        if is_operator(X) and np.ndim(self.coef_) == 1:
            if X.shape[1] != self.n_features_in_:
                raise ValueError(f"X has {X.shape[1]} features, but {type(self).__name__} "
                                 f"is expecting {self.n_features_in_} features as input.")
            return np.asarray(X.matvec(np.asarray(self.coef_, dtype=np.float64))).ravel() \
                + self.intercept_
        X, _ = check_design(X)
        if X.shape[1] != self.n_features_in_:
            raise ValueError(f"X has {X.shape[1]} features, but {type(self).__name__} is "
                             f"expecting {self.n_features_in_} features as input.")
        if np.ndim(self.coef_) == 2:                  # multi-output: (n_samples, n_targets)
            return np.asarray(X @ self.coef_.T) + self.intercept_
        return np.asarray(X @ self.coef_).ravel() + self.intercept_

    def predict(self, X: MatrixLike, offset: ArrayLike | None = None) -> np.ndarray:
        """Predicted values ``X @ coef_ + intercept_`` (``+ offset`` if given: glmnet's
        ``newoffset``), shape (n_samples,); a Dask array for a Dask X."""
        return add_offset(self._decision_function(X), offset)

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.input_tags.sparse = True
        tags.target_tags.multi_output = True
        return tags


def _trusted_design(X):
    """X as given (``check_input=False``), if its layout is one the kernels read in place."""
    if sp.issparse(X):
        ok = X.format in ("csc", "csr") and X.ndim == 2
    else:
        ok = isinstance(X, np.ndarray) and X.ndim == 2 and X.flags.f_contiguous
    if not ok or X.dtype not in (np.float32, np.float64):
        raise ValueError("check_input=False needs X as a Fortran-ordered float32/float64 "
                         "ndarray or a float32/float64 CSC/CSR matrix; got "
                         f"{type(X).__name__} of dtype {getattr(X, 'dtype', None)}. Pass "
                         "check_input=True to convert it.")
    return X


class Lasso(ElasticNet):
    """Linear regression with an L1 penalty: :class:`ElasticNet` with ``l1_ratio=1``.

    Minimizes ``1/(2S) sum_i s_i (y_i - x_i.w - b)^2 + alpha sum_j v_j |w_j|`` subject to the
    bounds. Parameters and attributes are those of :class:`ElasticNet` without ``l1_ratio``.

    Examples
    --------
    >>> import numpy as np
    >>> from l1core.datasets import load_diabetes
    >>> X, y, names = load_diabetes()
    >>> from l1core import Lasso
    >>> model = Lasso(alpha=1.0).fit(X, y)
    >>> [names[j] for j in np.flatnonzero(model.coef_)]
    ['bmi', 'bp', 's5']
    >>> round(model.intercept_, 2), round(model.score(X, y), 2)
    (152.13, 0.36)
    """

    def __init__(self, alpha: float = 1.0, *, fit_intercept: bool = True, max_iter: int = 1000,
                 tol: float = 1e-4, warm_start: bool = False, positive: bool = False,
                 selection: Literal["cyclic", "random"] = "cyclic", random_state: Seed = None,
                 penalty_factor: ArrayLike | None = None,
                 lower_bounds: float | ArrayLike | None = None,
                 upper_bounds: float | ArrayLike | None = None,
                 precompute: bool | Literal["auto"] | ArrayLike = "auto", copy_X: bool = True,
                 verbose: Verbose = False, standardize: bool = False,
                 n_jobs: int | None = None, solver: Literal["cd", "fista"] = "cd") -> None:
        super().__init__(alpha=alpha, l1_ratio=1.0, standardize=standardize, n_jobs=n_jobs,
                         solver=solver,
                         fit_intercept=fit_intercept,
                         max_iter=max_iter, tol=tol, warm_start=warm_start, positive=positive,
                         selection=selection, random_state=random_state,
                         penalty_factor=penalty_factor, lower_bounds=lower_bounds,
                         upper_bounds=upper_bounds, precompute=precompute, copy_X=copy_X,
                         verbose=verbose)
        del self.l1_ratio

    path = staticmethod(lasso_path)

    def _effective_l1_ratio(self):
        return 1.0
