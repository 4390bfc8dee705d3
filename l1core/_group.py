"""Estimators ``SparseGroupLasso`` and ``GroupLasso`` with scikit-learn's API.

Both minimize (see :mod:`l1core._group_solver`)

    1/(2S) sum_i s_i (y_i - x_i.w - b)^2
        + alpha sum_g w_g (l1_ratio ||w_g||_1 + (1 - l1_ratio) ||w_g||_2) + gamma/2 ||w||^2

(the ridge on the penalized groups only), group weights w_g defaulting to sqrt(|g|).
``groups``: a group size, a label per feature, or a list of disjoint index arrays (features
in no group get coefficient 0); see :mod:`l1core._groups`.
"""

from __future__ import annotations


from ._estimator_base import BaseEstimator, RegressorMixin
from ._group_path import group_lasso_path
from ._group_solver import GroupProblem
from ._linear_model import ElasticNet
from ._typing import ArrayLike, GroupSpec, MatrixLike, Self

__all__ = ["SparseGroupLasso", "GroupLasso", "keep_init_arguments"]


def keep_init_arguments(estimator, arguments):
    """Store an ``__init__``'s arguments (its ``locals()``) unchanged as attributes of the
    same names, as scikit-learn requires of parameters."""
    for name, value in arguments.items():
        if name not in ("self", "__class__"):
            setattr(estimator, name, value)


class SparseGroupLasso(RegressorMixin, BaseEstimator):
    """Sparse Group Lasso (Simon et al. 2013) by block coordinate descent, gap-certified.

    Parameters
    ----------
    alpha : float, default=1.0
    l1_ratio : float in [0, 1], default=0.5
        1 is the Lasso, 0 the Group Lasso.
    groups : int, labels (n_features,), list of index arrays, or None (singletons)
    weights : array (n_groups,), float or None
        Group weights w_g >= 0 (None: sqrt of the group sizes; 0: unpenalized group).
    gamma : float, default=0.0
        Ridge ``gamma/2 ||w_g||^2`` on the penalized groups (the group elastic net).
    fit_intercept, max_iter, tol, warm_start, positive : as for :class:`l1core.Lasso`
    screening : bool, default=True
        Gap-safe elimination of groups (same answer, less work).

    Attributes
    ----------
    coef_ (n_features,) in X's dtype, intercept_, dual_gap_ (certificate of the objective
    above), n_iter_ (epochs), n_features_in_.

    Examples
    --------
    >>> import numpy as np
    >>> from l1core import SparseGroupLasso
    >>> rng = np.random.default_rng(0)
    >>> X = rng.standard_normal((100, 12))                # 4 groups of 3 columns
    >>> y = X[:, :3] @ [1.0, 2.0, 0.0] + 0.1 * rng.standard_normal(100)
    >>> model = SparseGroupLasso(alpha=0.05, l1_ratio=0.5, groups=3).fit(X, y)
    >>> np.flatnonzero(model.coef_)                   # in the first group, not every feature
    array([0, 1])
    """

    def __init__(self, alpha: float = 1.0, *, l1_ratio: float = 0.5, groups: GroupSpec = None,
                 weights: float | ArrayLike | None = None, gamma: float = 0.0,
                 fit_intercept: bool = True, max_iter: int = 1000, tol: float = 1e-4,
                 warm_start: bool = False, positive: bool = False, screening: bool = True) -> None:
        keep_init_arguments(self, locals())

    def _effective_l1_ratio(self):
        return self.l1_ratio

    def fit(self, X: MatrixLike, y: ArrayLike, sample_weight: ArrayLike | None = None) -> Self:
        """Fit on X (dense, CSC or CSR; read in place unless dense C-ordered), y (n,)."""
        problem = GroupProblem(X, y, groups=self.groups, weights=self.weights,
                               l1_ratio=self._effective_l1_ratio(), gamma=self.gamma,
                               sample_weight=sample_weight, positive=self.positive,
                               fit_intercept=self.fit_intercept)
        w = None
        if self.warm_start and getattr(self, "coef_", None) is not None:
            if self.coef_.shape == (problem.n_features,):
                w = self.coef_
        result = problem.solve(self.alpha, w=w, tol=self.tol, max_iter=self.max_iter,
                               screening=self.screening)
        self.coef_ = result.coef
        self.intercept_ = result.intercept
        self.dual_gap_ = result.dual_gap
        self.n_iter_ = result.n_iter
        self.n_features_in_ = problem.n_features
        return self

    # the one linear prediction, shared with the Lasso family
    _decision_function = ElasticNet._decision_function
    predict = ElasticNet.predict

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.input_tags.sparse = True
        return tags

    path = staticmethod(group_lasso_path)


class GroupLasso(SparseGroupLasso):
    """Group Lasso (Yuan & Lin 2006): :class:`SparseGroupLasso` with ``l1_ratio=0``,
    ``alpha sum_g w_g ||w_g||_2``.

    Examples
    --------
    >>> import numpy as np
    >>> from l1core import GroupLasso
    >>> rng = np.random.default_rng(0)
    >>> X = rng.standard_normal((100, 12))
    >>> y = X[:, :3] @ [1.0, 2.0, 0.0] + 0.1 * rng.standard_normal(100)
    >>> model = GroupLasso(alpha=0.05, groups=[0, 0, 0, 1, 1, 1, 2, 2, 2, 3, 3, 3]).fit(X, y)
    >>> np.flatnonzero(model.coef_)                   # the whole first group
    array([0, 1, 2])
    """

    def __init__(self, alpha: float = 1.0, *, groups: GroupSpec = None,
                 weights: float | ArrayLike | None = None, gamma: float = 0.0,
                 fit_intercept: bool = True, max_iter: int = 1000, tol: float = 1e-4,
                 warm_start: bool = False, positive: bool = False, screening: bool = True) -> None:
        super().__init__(alpha=alpha, l1_ratio=0.0, groups=groups, weights=weights,
                         gamma=gamma, fit_intercept=fit_intercept, max_iter=max_iter, tol=tol,
                         warm_start=warm_start, positive=positive, screening=screening)
        del self.l1_ratio

    def _effective_l1_ratio(self):
        return 0.0
