"""Cross-validated multi-task estimators: :class:`MultiTaskElasticNetCV`, :class:`MultiTaskLassoCV`.

``fit`` runs the squared-loss cross-validation of :class:`l1core._cv.RegressionCV` (the steps
:class:`l1core.ElasticNetCV` runs: one grid per l1_ratio on the full data from the exact
``alpha_max``, folds solved on the FULL X with zero weight off the training rows at
:func:`l1core._cv.fold_tol`, threads or an executor, minimum and one-standard-error choice,
refit on all data). Only the fold's scoring differs: a fold's error at alpha is the mean
over the test rows AND the tasks of the squared residual, scikit-learn's ``mse_path_`` of
``MultiTaskElasticNetCV``; the fold keeps one (T, p) solution at a time, never its path.
"""

from __future__ import annotations

import warnings

import numpy as np
import scipy.sparse as sp

from .. import _validation as v
from .._cv import RegressionCV, fold_tol
from .._group import keep_init_arguments
from .._parallel import check_executor, effective_n_jobs
from .._path_result import predict_rows
from .._typing import (AlphaChoice, Any, ArrayLike, Literal, MatrixLike, Seed, Self, Sequence,
                      Splits, Verbose)
from .._warnings import NumericalWarning
from ._estimators import MultiTaskElasticNet, check_cyclic
from ._path import multitask_path, warm_started_solves
from ._problem import MultiTaskProblem, check_tasks

__all__ = ["MultiTaskElasticNetCV", "MultiTaskLassoCV", "multitask_fold_errors"]


def multitask_fold_errors(X, path, Y, sw, unweighted, params, train, test, gammas=None):
    """:func:`l1core._cv.path_fold_errors` for an (n, T) ``Y``: the fold's test errors
    (n_alphas,) ``sum_i w_i ||y_i - W x_i - b||^2 / (T sum_i w_i)`` over the test rows i
    (``w_i``: multiplicity, times ``sw_i`` when weighted), the number of alphas stopped at
    max_iter short of ``params["tol"]``, and the (alphas, gaps, epochs, seconds) trace.

    The path is solved on the full X with weights ``sw * (times in train)`` at
    :func:`fold_tol`; each solution is scored on the test rows (reading only its support's
    columns) and dropped. ``path`` is the caller's (:func:`multitask_path`), unused: the
    solves are its loop (:func:`warm_started_solves`). ``gammas`` (relaxed fits) is refused.
    """
    if gammas is not None:
        raise ValueError("relaxed fits are not available for the multi-task estimators.")
    n = X.shape[0]
    fold_sw = sw * np.bincount(train, minlength=n)
    problem = MultiTaskProblem(X, Y, l1_ratio=params["l1_ratio"], sample_weight=fold_sw,
                               penalty_factor=params["penalty_factor"],
                               fit_intercept=params["fit_intercept"], check_input=False)
    rows, count = np.unique(test, return_counts=True)
    weight = count.astype(np.float64) if unweighted else count * sw[rows]
    total = weight.sum() * problem.n_tasks
    if not total > 0:
        raise ValueError("A test fold has only zero sample weights: its error is undefined.")
    alphas = params["alphas"]
    errors, gaps, epochs, seconds = (np.empty(len(alphas)) for _ in range(4))
    not_converged = 0
    for k, solution, elapsed in warm_started_solves(
            problem, alphas, tol=fold_tol(params["tol"]), max_iter=params["max_iter"],
            screening=params["screening"], warn=False):
        residual = predict_rows(X, rows, sp.csc_matrix(solution.coef.T), solution.intercept)
        residual -= Y[rows]
        errors[k] = weight @ np.einsum("it,it->i", residual, residual) / total
        gaps[k], epochs[k], seconds[k] = solution.dual_gap, solution.n_iter, elapsed
        not_converged += bool(solution.dual_gap > problem.gap_tol(params["tol"]))
    if not np.all(np.isfinite(gaps)):
        warnings.warn(f"{np.count_nonzero(~np.isfinite(gaps))} fold solves ended with a "
                      "non-finite duality gap: the cross-validation errors are not reliable. "
                      "Check the scale of X and y.", NumericalWarning, stacklevel=2)
    return errors, not_converged, (alphas, gaps, epochs, seconds)


class MultiTaskElasticNetCV(RegressionCV):
    """Multi-task Elastic Net with alpha (and l1_ratio) chosen by cross-validation.

    Minimizes, for each candidate ``(alpha, l1_ratio)`` and each training fold, the objective
    of :class:`l1core.MultiTaskElasticNet`

        1/(2S) sum_i s_i ||y_i - W x_i - b||^2 + alpha l1_ratio sum_j v_j ||W_:j||_2
                                               + alpha (1 - l1_ratio)/2 sum_j v_j ||W_:j||^2,

    scores it by the held-out mean squared error (over the test rows and the tasks, weighted
    by ``sample_weight``), and refits on all data at the chosen values. With unit weights
    and the same folds, ``alpha_``, ``alphas_`` and ``mse_path_`` are those of
    scikit-learn's ``MultiTaskElasticNetCV`` (up to ``tol``).

    Parameters
    ----------
    l1_ratio : float or list of float in (0, 1], default=0.5
        Weight of the L2,1 term (1 = :class:`MultiTaskLassoCV`); a list is searched over.
    eps, n_alphas, alphas, cv, n_jobs, random_state, shuffle, refit_alpha, executor,
    verbose, keep_path
        As for :class:`l1core.ElasticNetCV` (``random_state`` seeds the shuffle only).
    fit_intercept, max_iter, tol, penalty_factor, screening
        As for :class:`l1core.MultiTaskElasticNet`; used by every fold and by the refit.
    copy_X, selection : accepted for scikit-learn compatibility (X is never modified; only
        ``selection="cyclic"`` is taken, see :class:`l1core.MultiTaskElasticNet`).

    Attributes
    ----------
    alpha_, alpha_min_, alpha_1se_, l1_ratio_, alphas_, mse_path_, cv_mean_, cv_std_
        As for :class:`l1core.ElasticNetCV`: ``mse_path_`` is (n_alphas, n_folds), or
        (n_l1_ratio, n_alphas, n_folds) for a list of l1_ratio.
    coef_ : (n_tasks, n_features), intercept_ : (n_tasks,), dual_gap_, n_iter_,
    n_features_in_
        Of the refit :class:`l1core.MultiTaskElasticNet`.
    path_ : :class:`l1core.PathResult` or None
        The full-data :func:`l1core.multitask_path` at ``l1_ratio_`` on the grid
        (``keep_path``; its coefs are dense (n_tasks, n_features, n_alphas)).

    Examples
    --------
    >>> import numpy as np
    >>> from l1core import MultiTaskElasticNetCV
    >>> rng = np.random.default_rng(0)
    >>> X = rng.standard_normal((80, 10))
    >>> Y = X[:, :2] @ rng.standard_normal((2, 3)) + 0.3 * rng.standard_normal((80, 3))
    >>> cv = MultiTaskElasticNetCV(l1_ratio=[0.5, 1.0], n_alphas=20, cv=4).fit(X, Y)
    >>> cv.mse_path_.shape, cv.coef_.shape            # (n_l1_ratio, n_alphas, n_folds)
    ((2, 20, 4), (3, 10))
    >>> np.flatnonzero(np.abs(cv.coef_at("1se")).sum(axis=0) > 0.05).tolist()
    [0, 1]
    """

    def __init__(self, *, l1_ratio: float | Sequence[float] = 0.5, eps: float = 1e-3,
                 n_alphas: int = 100, alphas: ArrayLike | int | None = None,
                 fit_intercept: bool = True, max_iter: int = 1000, tol: float = 1e-4,
                 cv: Splits = None, copy_X: bool = True, verbose: Verbose = False,
                 n_jobs: int | None = None, random_state: Seed = None,
                 selection: Literal["cyclic", "random"] = "cyclic", shuffle: bool = False,
                 refit_alpha: Literal["min", "1se"] = "min", executor: Any = None,
                 keep_path: bool = True, penalty_factor: ArrayLike | None = None,
                 screening: bool = True) -> None:
        keep_init_arguments(self, locals())

    path = staticmethod(multitask_path)

    def _check_fit_input(self, X, y, sample_weight):
        """(X, Y, sw, unweighted, tol, max_iter) validated once, the CV options checked."""
        if self.refit_alpha not in ("min", "1se"):
            raise ValueError(f"refit_alpha must be 'min' or '1se', got {self.refit_alpha!r}.")
        check_cyclic(self.selection)
        X, _ = v.check_design(X)
        n = X.shape[0]
        Y = check_tasks(y, n)
        check_executor(self.executor)
        if self.executor is None:
            effective_n_jobs(self.n_jobs)
        return (X, Y, v.check_sample_weight(sample_weight, n, np.float64), sample_weight is None,
                v.check_tol(self.tol), v.check_max_iter(self.max_iter))

    def _run_tasks(self, fn, X, tasks, labels, units_per_task):
        # RegressionCV scores a 1-D y (path_fold_errors); the folds here score (n, T) Y
        return super()._run_tasks(multitask_fold_errors, X, tasks, labels, units_per_task)

    def fit(self, X: MatrixLike, y: ArrayLike, sample_weight: ArrayLike | None = None,
            groups: ArrayLike | None = None) -> Self:
        """Fit the models of every fold and refit on all data at the chosen alpha.

        X: array-like or scipy sparse (n_samples, n_features), validated once and read in
        place; y: (n_samples, n_tasks); sample_weight: (n_samples,) non-negative or None,
        used in training and to weight each fold's test error; groups: (n_samples,) sample
        group labels for the splitter's ``split(X, y, groups)``, or None.
        """
        l1_ratios = self._l1_ratios()
        X, Y, sw, unweighted, tol, max_iter = self._check_fit_input(X, y, sample_weight)
        penalty_factor = v.check_penalty_factor(self.penalty_factor, X.shape[1])
        model_params = dict(fit_intercept=bool(self.fit_intercept), tol=tol,
                            max_iter=max_iter, penalty_factor=penalty_factor,
                            screening=self.screening)

        def alpha_max(l1_ratio):
            if l1_ratio == 0.0:
                raise ValueError("l1_ratio=0 has no finite alpha_max: pass alphas "
                                 "explicitly.")
            return MultiTaskProblem(X, Y, l1_ratio=l1_ratio, sample_weight=sw,
                                    penalty_factor=penalty_factor, check_input=False,
                                    fit_intercept=model_params["fit_intercept"]).alpha_max()

        grids, auto = self._grids(alpha_max, l1_ratios)
        best, progress = self._cross_validate(multitask_path, X, Y, sw, unweighted, groups,
                                              grids, auto, l1_ratios, lambda _: model_params)
        self.path_ = None
        if self.keep_path:
            self.path_ = multitask_path(
                X, Y, l1_ratio=self.l1_ratio_, alphas=grids[best],
                sample_weight=None if unweighted else sw, return_n_iter=True,
                return_intercept=True, check_input=False, warn=False, **model_params)
        progress.close()
        model = MultiTaskElasticNet(alpha=self.alpha_, l1_ratio=self.l1_ratio_, **model_params)
        model.fit(X, Y, sample_weight=None if unweighted else sw)
        self._keep_refit(model, X.shape[1])
        return self

    def predict(self, X: MatrixLike, alpha: AlphaChoice | None = None) -> np.ndarray:
        """``X @ coef_.T + intercept_`` (n_samples, n_tasks); ``alpha`` ("min", "1se" or a
        float): with the full-data path ``path_`` at that alpha instead (see
        :meth:`coef_at`)."""
        if alpha is None:
            return MultiTaskElasticNet.predict(self, X)
        return self._kept_path().predict(X, alpha=self._path_alpha(alpha))

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.target_tags.multi_output = True
        tags.target_tags.single_output = False
        return tags


class MultiTaskLassoCV(MultiTaskElasticNetCV):
    """Multi-task Lasso with alpha chosen by cross-validation: :class:`MultiTaskElasticNetCV`
    with ``l1_ratio=1``. Parameters and attributes are those of
    :class:`MultiTaskElasticNetCV` without ``l1_ratio`` / ``l1_ratio_``; ``alphas_`` has
    shape (n_alphas,) and ``mse_path_`` (n_alphas, n_folds), as scikit-learn's
    ``MultiTaskLassoCV``.

    Examples
    --------
    >>> import numpy as np
    >>> from l1core import MultiTaskLassoCV
    >>> rng = np.random.default_rng(0)
    >>> X = rng.standard_normal((80, 10))
    >>> Y = X[:, :2] @ rng.standard_normal((2, 3)) + 0.3 * rng.standard_normal((80, 3))
    >>> cv = MultiTaskLassoCV(n_alphas=20, cv=4).fit(X, Y)
    >>> cv.mse_path_.shape, np.flatnonzero(np.any(cv.coef_at("1se") != 0, axis=0)).tolist()
    ((20, 4), [0, 1])
    >>> cv.predict(X[:2]).shape
    (2, 3)
    """

    def __init__(self, *, eps: float = 1e-3, n_alphas: int = 100,
                 alphas: ArrayLike | int | None = None, fit_intercept: bool = True,
                 max_iter: int = 1000, tol: float = 1e-4, cv: Splits = None,
                 copy_X: bool = True, verbose: Verbose = False, n_jobs: int | None = None,
                 random_state: Seed = None, selection: Literal["cyclic", "random"] = "cyclic",
                 shuffle: bool = False, refit_alpha: Literal["min", "1se"] = "min",
                 executor: Any = None, keep_path: bool = True,
                 penalty_factor: ArrayLike | None = None, screening: bool = True) -> None:
        keep_init_arguments(self, locals())

    def _l1_ratios(self):
        return [1.0]

    def fit(self, X: MatrixLike, y: ArrayLike, sample_weight: ArrayLike | None = None,
            groups: ArrayLike | None = None) -> Self:
        super().fit(X, y, sample_weight=sample_weight, groups=groups)
        del self.l1_ratio_
        return self

    fit.__doc__ = MultiTaskElasticNetCV.fit.__doc__
