"""Cross-validation over (hyper-parameter, alpha) for the variants' CV estimators.

A variant's CV estimator has one extra parameter (the adaptive Lasso's ``gamma``, the prior
Lasso's ``eta``) whose values each get their own alpha grid (from the full data's
``alpha_max`` at that value, as LassoCV's grid is the full data's). Each fold runs one task
``fold_fn(X, y, sw, unweighted, train, test, grids, *args)`` returning the held-out mean
squared errors (n_values, n_alphas) and a count of unconverged solves: whatever the variant
fits before its Lasso (an initial estimate, a prior model) it fits inside that task on the
training rows only. The pair is chosen by l1core's shared rule (``CrossValidationSteps._choose``:
smallest mean error, then glmnet's one standard error at the chosen value), and the final
model is refit on all the data by the caller.
"""

from __future__ import annotations

import warnings

import numpy as np

from .. import _validation as v
from .._cv import _check_folds, CrossValidationSteps
from .._enet_solver import EnetProblem
from .._estimator_base import BaseEstimator, RegressorMixin, convergence_warning
from .._linear_model import ElasticNet
from .._parallel import check_executor, effective_n_jobs, map_shared
from .._typing import MatrixLike

__all__ = ["GridCV", "lasso_alpha_max"]


def lasso_alpha_max(X, y, sw, factor, lower, upper, fit_intercept):
    """The smallest alpha with w = 0 optimal for the weighted Lasso (l1core's exact one)."""
    return EnetProblem(X, y, l1_ratio=1.0, sample_weight=sw, penalty_factor=factor,
                       lower_bounds=lower, upper_bounds=upper, fit_intercept=fit_intercept,
                       check_input=False).alpha_max()


class GridCV(CrossValidationSteps, RegressorMixin, BaseEstimator):
    """The steps of :class:`AdaptiveLassoCV` and :class:`PriorLassoCV`."""

    _expected_failed_checks = CrossValidationSteps._expected_failed_checks

    def _keep_params(self, params):
        """Store the ``__init__`` arguments ``params`` (its ``locals()``) as attributes."""
        for name, value in params.items():
            if name not in ("self", "__class__"):
                setattr(self, name, value)

    def _check_cv_input(self, X, y, sample_weight):
        if self.refit_alpha not in ("min", "1se"):
            raise ValueError(f"refit_alpha must be 'min' or '1se', got {self.refit_alpha!r}.")
        X, _ = v.check_design(X)
        y = v.check_target(y, X.shape[0], np.float64)
        sw = v.check_sample_weight(sample_weight, X.shape[0], np.float64)
        check_executor(self.executor)
        if self.executor is None:
            effective_n_jobs(self.n_jobs)
        return X, y, sw, v.check_tol(self.tol), v.check_max_iter(self.max_iter)

    def _search(self, name, values, alpha_max, fold_fn, X, y, sw, unweighted, args):
        """Grids, fold tasks and the choice; sets ``alpha_min_``, ``alpha_1se_``,
        ``alpha_``, ``<name>_``, ``alphas_`` (n_values, n_alphas), ``mse_path_`` (n_values,
        n_alphas, n_folds), ``cv_mean_`` / ``cv_std_`` (n_values, n_alphas)."""
        folds = _check_folds(self._splits(X, y), X.shape[0], sw)
        grids, _ = self._grids(lambda value: alpha_max(value), values)
        tasks = [(y, sw, unweighted, train, test, grids, *args) for train, test in folds]
        results = map_shared(fold_fn, X, tasks, n_jobs=self.n_jobs, executor=self.executor)
        not_converged = sum(count for _, count in results)
        if not_converged:
            warnings.warn(f"{not_converged} (fold, {name}, alpha) fits stopped at max_iter="
                          f"{self.max_iter} before reaching tol={self.tol}.",
                          convergence_warning(), stacklevel=3)
        mse = np.moveaxis(np.array([err for err, _ in results]), 0, 1)  # (n_v, n_folds, n_a)
        self._choose(mse, grids, values, stacklevel=4)
        if len(values) == 1:
            self.cv_mean_, self.cv_std_ = self.cv_mean_[None], self.cv_std_[None]
        setattr(self, name + "_", self.__dict__.pop("l1_ratio_"))
        self.mse_path_ = np.moveaxis(mse, 2, 1)
        self.alphas_ = np.asarray(grids)
        self.path_ = None

    def _keep_refit(self, model, n_features):
        for attr in ("coef_", "intercept_", "dual_gap_", "n_iter_"):
            setattr(self, attr, getattr(model, attr))
        self.n_features_in_ = n_features

    def predict(self, X: MatrixLike) -> np.ndarray:
        """Predicted values ``X @ coef_ + intercept_`` of the refit model."""
        return ElasticNet._decision_function(self, X)

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.input_tags.sparse = True
        return tags
