"""``MultiTaskElasticNet`` and ``MultiTaskLasso`` with scikit-learn's API, on the group engine.

Both minimize (:mod:`l1core.multitask._problem`)

    1/(2S) sum_i s_i ||y_i - W x_i - b||^2 + alpha l1_ratio sum_j v_j ||W_:j||_2
                                           + alpha (1 - l1_ratio)/2 sum_j v_j ||W_:j||^2,

scikit-learn's objective for unit sample weights s and penalty factors v: a feature is in the
model for every task or for none.
"""

from __future__ import annotations

import numpy as np
import scipy.sparse as sp

from .._estimator_base import BaseEstimator, RegressorMixin, check_is_fitted
from .._group import keep_init_arguments
from .._typing import ArrayLike, Literal, MatrixLike, Seed, Self
from .._validation import check_design
from ._problem import MultiTaskProblem

__all__ = ["MultiTaskElasticNet", "MultiTaskLasso", "check_cyclic"]


def check_cyclic(selection):
    """Refuse any ``selection`` but "cyclic": the block engine visits rows in order."""
    if selection != "cyclic":
        if selection == "random":
            raise ValueError("selection='random' is not available for the multi-task "
                             "estimators (the block engine visits rows in order); use "
                             "'cyclic'.")
        raise ValueError(f"selection must be 'cyclic' or 'random', got {selection!r}.")


class MultiTaskElasticNet(RegressorMixin, BaseEstimator):
    """Multi-task Elastic Net (L2,1 + ridge on the rows of W), gap-certified, sparse X welcome.

    Parameters
    ----------
    alpha : float, default=1.0
    l1_ratio : float in [0, 1], default=0.5
        Weight of the L2,1 (row-sparsity) term; 1 is :class:`MultiTaskLasso`.
    fit_intercept : bool, default=True
        One unpenalized intercept per task (sparse X is never centered or densified).
    max_iter : int, default=1000
        Maximum number of epochs (passes over the rows being optimized).
    tol : float, default=1e-4
        Stop when the duality gap is at most ``tol * sum_i s_i ||y_i - ybar||^2 / S``
        (scikit-learn's rule).
    warm_start : bool, default=False
        Start from the previous ``coef_`` when refitting.
    penalty_factor : array (n_features,) or None
        Per-row multipliers v_j >= 0 of both penalty terms (0: unpenalized row).
    screening : bool, default=True
        Gap-safe elimination of rows proven zero (same answer, less work).
    copy_X : bool, default=True
        Accepted for scikit-learn compatibility: X is never modified (no effect).
    random_state, selection : accepted for scikit-learn compatibility; the block engine
        visits the rows of its working sets in order: only ``selection="cyclic"`` is taken.

    Attributes
    ----------
    coef_ : (n_tasks, n_features) in X's dtype
    intercept_ : (n_tasks,)
    dual_gap_ : float, duality gap of the objective above (divided by S): an upper bound
        on ``P(coef_, intercept_) - min P``
    n_iter_ : int, epochs run
    n_screened_ : int, rows removed by gap-safe screening
    n_features_in_ : int

    Examples
    --------
    >>> import numpy as np
    >>> from l1core import MultiTaskElasticNet
    >>> rng = np.random.default_rng(0)
    >>> X = rng.standard_normal((60, 8))
    >>> Y = X[:, :2] @ rng.standard_normal((2, 3)) + 0.1 * rng.standard_normal((60, 3))
    >>> model = MultiTaskElasticNet(alpha=0.1, l1_ratio=0.7).fit(X, Y)
    >>> model.coef_.shape, np.flatnonzero(np.abs(model.coef_).sum(axis=0) > 0.05).tolist()
    ((3, 8), [0, 1])
    >>> bool(model.dual_gap_ <= model.tol * ((Y - Y.mean(0)) ** 2).sum(1).mean())
    True
    """

    def __init__(self, alpha: float = 1.0, *, l1_ratio: float = 0.5, fit_intercept: bool = True,
                 copy_X: bool = True, max_iter: int = 1000, tol: float = 1e-4,
                 warm_start: bool = False, random_state: Seed = None,
                 selection: Literal["cyclic", "random"] = "cyclic",
                 penalty_factor: ArrayLike | None = None, screening: bool = True) -> None:
        keep_init_arguments(self, locals())

    def _effective_l1_ratio(self):
        return self.l1_ratio

    def fit(self, X: MatrixLike, y: ArrayLike, sample_weight: ArrayLike | None = None) -> Self:
        """Fit on X (n_samples, n_features; dense, CSC or CSR, read in place) and y
        (n_samples, n_tasks); sample_weight (n_samples,) non-negative or None."""
        check_cyclic(self.selection)
        problem = MultiTaskProblem(X, y, l1_ratio=self._effective_l1_ratio(),
                                   sample_weight=sample_weight,
                                   penalty_factor=self.penalty_factor,
                                   fit_intercept=self.fit_intercept)
        W = None
        if self.warm_start and getattr(self, "coef_", None) is not None:
            if self.coef_.shape == (problem.n_tasks, problem.n_features):
                W = self.coef_
        solution = problem.solve(self.alpha, W=W, tol=self.tol, max_iter=self.max_iter,
                                 screening=self.screening)
        self.coef_ = solution.coef
        self.intercept_ = solution.intercept
        self.dual_gap_ = solution.dual_gap
        self.n_iter_ = solution.n_iter
        self.n_screened_ = solution.n_screened
        self.n_features_in_ = problem.n_features
        return self

    @property
    def sparse_coef_(self):
        """``coef_`` as an (n_tasks, n_features) CSR matrix."""
        check_is_fitted(self)
        return sp.csr_matrix(self.coef_)

    def predict(self, X: MatrixLike) -> np.ndarray:
        """``X @ coef_.T + intercept_``, shape (n_samples, n_tasks)."""
        check_is_fitted(self)
        X, _ = check_design(X)
        if X.shape[1] != self.n_features_in_:
            raise ValueError(f"X has {X.shape[1]} features, but {type(self).__name__} is "
                             f"expecting {self.n_features_in_} features as input.")
        return np.asarray(X @ self.coef_.T) + self.intercept_

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.input_tags.sparse = True
        tags.target_tags.multi_output = True
        tags.target_tags.single_output = False
        return tags


class MultiTaskLasso(MultiTaskElasticNet):
    """Multi-task Lasso: :class:`MultiTaskElasticNet` with ``l1_ratio=1``,
    ``1/(2S) sum_i s_i ||y_i - W x_i - b||^2 + alpha sum_j v_j ||W_:j||_2``.

    Parameters and attributes are those of :class:`MultiTaskElasticNet` without ``l1_ratio``.

    Examples
    --------
    >>> import numpy as np
    >>> from l1core import MultiTaskLasso
    >>> rng = np.random.default_rng(0)
    >>> X = rng.standard_normal((60, 8))
    >>> Y = X[:, :2] @ rng.standard_normal((2, 3)) + 0.1 * rng.standard_normal((60, 3))
    >>> model = MultiTaskLasso(alpha=0.1).fit(X, Y)
    >>> np.flatnonzero(np.any(model.coef_ != 0, axis=0)).tolist()   # shared support
    [0, 1]
    >>> model.predict(X[:2]).shape
    (2, 3)
    """

    def __init__(self, alpha: float = 1.0, *, fit_intercept: bool = True, copy_X: bool = True,
                 max_iter: int = 1000, tol: float = 1e-4, warm_start: bool = False,
                 random_state: Seed = None, selection: Literal["cyclic", "random"] = "cyclic",
                 penalty_factor: ArrayLike | None = None, screening: bool = True) -> None:
        keep_init_arguments(self, locals())

    def _effective_l1_ratio(self):
        return 1.0
