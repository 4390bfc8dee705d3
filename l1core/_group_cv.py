"""Cross-validated group estimators: :class:`SparseGroupLassoCV` and :class:`GroupLassoCV`.

``fit`` runs the squared-loss cross-validation of :class:`l1core._cv.RegressionCV` (the steps
:class:`l1core.ElasticNetCV` runs) with :func:`l1core.group_lasso_path` as the path:

1. X is validated once and read in place afterwards (``check_input=False`` below).
2. One decreasing grid per ``l1_ratio`` on the full data, from the exact group ``alpha_max``
   (the largest Sparse-Group dual norm over the penalized groups, after the intercept and the
   unpenalized groups are fitted: :meth:`l1core._group_solver.GroupProblem.alpha_max`) down
   to ``eps * alpha_max``.
3. Each (l1_ratio, fold) task runs the group path on the FULL X with zero weight off the
   training rows (no fold copies X), at :func:`l1core._cv.fold_tol`, on threads
   (``n_jobs``) or an executor, stopped by Ctrl-C between alphas.
4. Held-out mean squared errors, the minimum and glmnet's one-standard-error choice, the
   refit on all data by :class:`l1core.SparseGroupLasso` and the full-data path ``path_``.

Two meanings of "groups": the FEATURE grouping of the penalty is the ``__init__`` parameter
``groups`` (as for :class:`l1core.GroupLasso`); ``fit(X, y, sample_weight, groups)`` takes
the SAMPLE groups of a group-aware splitter (``cv=GroupKFold(...)``), as
:meth:`l1core.LassoCV.fit` and scikit-learn's routing do.
"""

from __future__ import annotations

from ._cv import RegressionCV
from ._group import SparseGroupLasso, keep_init_arguments
from ._group_path import group_lasso_path
from ._group_solver import GroupProblem
from ._typing import Any, ArrayLike, GroupSpec, MatrixLike, Seed, Self, Sequence, Splits, Verbose

__all__ = ["SparseGroupLassoCV", "GroupLassoCV"]


class SparseGroupLassoCV(RegressionCV):
    """Sparse Group Lasso with alpha (and l1_ratio) chosen by cross-validation.

    Minimizes, for each candidate ``(alpha, l1_ratio)`` and each training fold, the objective
    of :class:`l1core.SparseGroupLasso`

        1/(2S) sum_i s_i (y_i - x_i.w - b)^2
            + alpha sum_g w_g (l1_ratio ||w_g||_1 + (1 - l1_ratio) ||w_g||_2) + gamma/2 ||w||^2,

    scores it by the (weighted) mean squared error on the held-out fold, and refits on all
    data at the chosen values.

    Parameters
    ----------
    l1_ratio : float or list of float in [0, 1], default=0.5
        1 is the Lasso, 0 the Group Lasso. A list is searched over, together with alpha.
    groups : int, labels (n_features,), list of index arrays, or None (singletons)
        The feature groups of the penalty (see :class:`l1core.SparseGroupLasso`). Not the
        ``groups`` argument of :meth:`fit`, which holds sample groups for the splitter.
    weights, gamma, fit_intercept, max_iter, tol, positive, screening
        As for :class:`l1core.SparseGroupLasso`; used by every fold and by the refit.
    eps, n_alphas, alphas, cv, n_jobs, random_state, shuffle, refit_alpha, executor,
    verbose, keep_path
        As for :class:`l1core.ElasticNetCV` (``random_state`` seeds the shuffle only).

    Attributes
    ----------
    alpha_, alpha_min_, alpha_1se_, l1_ratio_, alphas_, mse_path_, cv_mean_, cv_std_,
    coef_, intercept_, dual_gap_, n_iter_, n_features_in_
        As for :class:`l1core.ElasticNetCV`.
    path_ : :class:`l1core.PathResult` or None
        The full-data group path at ``l1_ratio_`` (``keep_path``): ``n_nonzero`` counts
        coefficients, ``n_groups_nonzero`` groups.

    Examples
    --------
    >>> import numpy as np
    >>> from l1core import SparseGroupLassoCV
    >>> rng = np.random.default_rng(0)
    >>> X = rng.standard_normal((120, 12))
    >>> y = X[:, :3] @ [1.0, 2.0, -1.0] + 0.5 * rng.standard_normal(120)
    >>> cv = SparseGroupLassoCV(groups=3, l1_ratio=[0.2, 0.8], cv=5).fit(X, y)
    >>> cv.l1_ratio_, cv.mse_path_.shape          # (n_l1_ratio, n_alphas, n_folds)
    (0.8, (2, 100, 5))
    >>> np.unique(np.flatnonzero(cv.coef_at("1se")) // 3)   # groups in the 1-SE model
    array([0])
    """

    def __init__(self, *, l1_ratio: float | Sequence[float] = 0.5, groups: GroupSpec = None,
                 weights: float | ArrayLike | None = None, gamma: float = 0.0,
                 eps: float = 1e-3, n_alphas: int = 100, alphas: ArrayLike | int | None = None,
                 fit_intercept: bool = True, max_iter: int = 1000, tol: float = 1e-4,
                 cv: Splits = None, n_jobs: int | None = None, positive: bool = False,
                 random_state: Seed = None, shuffle: bool = False, refit_alpha: str = "min",
                 executor: Any = None, verbose: Verbose = False, keep_path: bool = True,
                 screening: bool = True) -> None:
        keep_init_arguments(self, locals())

    path = staticmethod(group_lasso_path)

    def fit(self, X: MatrixLike, y: ArrayLike, sample_weight: ArrayLike | None = None,
            groups: ArrayLike | None = None) -> Self:
        """Fit the models of every fold and refit on all data at the chosen alpha.

        X: array-like or scipy sparse (n_samples, n_features), validated once and read in
        place; y: (n_samples,); sample_weight: (n_samples,) non-negative or None, used in
        training and to weight each fold's test error; groups: (n_samples,) SAMPLE group
        labels passed to the splitter's ``split(X, y, groups)`` (``cv=GroupKFold(...)``), or
        None. The feature groups are the ``groups`` parameter of the estimator.
        """
        l1_ratios = self._l1_ratios()
        X, y, sw, unweighted, tol, max_iter = self._check_fit_input(X, y, sample_weight)
        params = dict(groups=self.groups, weights=self.weights, gamma=self.gamma,
                      positive=self.positive, fit_intercept=bool(self.fit_intercept),
                      tol=tol, max_iter=max_iter, screening=self.screening)
        problem_params = {k: params[k] for k in ("groups", "weights", "gamma", "positive",
                                                 "fit_intercept")}

        def alpha_max(l1_ratio):
            return GroupProblem(X, y, l1_ratio=l1_ratio, sample_weight=sw, check_input=False,
                                **problem_params).alpha_max()

        grids, auto = self._grids(alpha_max, l1_ratios)
        best, progress = self._cross_validate(group_lasso_path, X, y, sw, unweighted, groups,
                                              grids, auto, l1_ratios, lambda _: params)
        self.path_ = None
        if self.keep_path:
            self.path_ = group_lasso_path(
                X, y, l1_ratio=self.l1_ratio_, alphas=grids[best],
                sample_weight=None if unweighted else sw, return_intercept=True,
                sparse_coefs=True, check_input=False, warn=False, verbose=progress, **params)
        progress.close()
        model = SparseGroupLasso(alpha=self.alpha_, l1_ratio=self.l1_ratio_,
                                 **dict(params, tol=tol))
        model.fit(X, y, sample_weight=None if unweighted else sw)
        self._keep_refit(model, X.shape[1])
        return self


class GroupLassoCV(SparseGroupLassoCV):
    """Group Lasso with alpha chosen by cross-validation: :class:`SparseGroupLassoCV` with
    ``l1_ratio=0``. Parameters and attributes are those of :class:`SparseGroupLassoCV`
    without ``l1_ratio``/``l1_ratio_``.

    Examples
    --------
    >>> import numpy as np
    >>> from l1core import GroupLassoCV
    >>> rng = np.random.default_rng(0)
    >>> X = rng.standard_normal((120, 12))
    >>> y = X[:, :3] @ [1.0, 2.0, -1.0] + 0.5 * rng.standard_normal(120)
    >>> cv = GroupLassoCV(groups=3, cv=5).fit(X, y)
    >>> cv.mse_path_.shape, np.unique(np.flatnonzero(cv.coef_at("1se")) // 3)
    ((100, 5), array([0]))
    """

    def __init__(self, *, groups: GroupSpec = None, weights: float | ArrayLike | None = None,
                 gamma: float = 0.0, eps: float = 1e-3, n_alphas: int = 100,
                 alphas: ArrayLike | int | None = None, fit_intercept: bool = True,
                 max_iter: int = 1000, tol: float = 1e-4, cv: Splits = None,
                 n_jobs: int | None = None, positive: bool = False, random_state: Seed = None,
                 shuffle: bool = False, refit_alpha: str = "min", executor: Any = None,
                 verbose: Verbose = False, keep_path: bool = True,
                 screening: bool = True) -> None:
        super().__init__(l1_ratio=0.0, groups=groups, weights=weights, gamma=gamma, eps=eps,
                         n_alphas=n_alphas, alphas=alphas, fit_intercept=fit_intercept,
                         max_iter=max_iter, tol=tol, cv=cv, n_jobs=n_jobs, positive=positive,
                         random_state=random_state, shuffle=shuffle, refit_alpha=refit_alpha,
                         executor=executor, verbose=verbose, keep_path=keep_path,
                         screening=screening)
        del self.l1_ratio

    def _l1_ratios(self):
        return [0.0]

    def fit(self, X: MatrixLike, y: ArrayLike, sample_weight: ArrayLike | None = None,
            groups: ArrayLike | None = None) -> Self:
        super().fit(X, y, sample_weight=sample_weight, groups=groups)
        del self.l1_ratio_
        return self

    fit.__doc__ = SparseGroupLassoCV.fit.__doc__
