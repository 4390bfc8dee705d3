"""Cross-validated Elastic Net and Lasso: :class:`ElasticNetCV`, :class:`LassoCV`, and the
squared-loss steps they share with the group CV estimators (:class:`RegressionCV`,
:func:`path_fold_errors`; ``l1core._group_cv``).

How ``fit`` runs:

1. X is validated once (``check_design``: Fortran-ordered dense, CSC and CSR are read in
   place, never densified), then every internal call passes ``check_input=False``.
2. The alpha grid is computed once per ``l1_ratio`` on the full data (``alpha_max`` with the
   intercept, sample weights and penalty factors, as scikit-learn computes it on the full
   data) and shared by all folds, in decreasing order.
3. Each (l1_ratio, fold) task runs :func:`l1core.enet_path` on the FULL X with sample weights
   ``s_i * (number of times i is in the training set)``: zero on the held-out rows, which
   the solver treats exactly as dropped rows. No fold copies X.
4. Test errors: the (weighted) mean squared error of each fold at each alpha, as
   scikit-learn computes ``mse_path_`` (weights ``sample_weight[test]``; the unweighted
   mean over folds selects alpha).
5. ``alpha_min_`` minimizes the mean error (ties: the largest alpha); ``alpha_1se_`` is
   glmnet's one-standard-error choice; the final model is refit on all data at the alpha
   chosen by ``refit_alpha`` with :class:`l1core.ElasticNet`.
"""

from __future__ import annotations

import numbers
import warnings

import numpy as np

from . import _validation as v
from ._enet_solver import EnetProblem, _is_gram_array
from ._estimator_base import BaseEstimator, RegressorMixin, convergence_warning, check_is_fitted
from ._linear_model import ElasticNet
from ._parallel import check_executor, effective_n_jobs, map_shared
from ._warnings import AlphaGridEdgeWarning, NumericalWarning
from ._path import _check_n_alphas, alpha_grid, enet_path, grid_request, lasso_path
from ._path_result import predict_rows as _predict_rows
from ._offset import add_offset
from ._relax import (DEFAULT_GAMMAS, check_gammas, check_relax_allowed, one_se_relaxed,
                     relaxed_fold_residuals, relaxed_refit)
from ._progress import Progress
from ._typing import (AlphaChoice, Any, ArrayLike, Literal, MatrixLike, Seed, Self, Sequence,
                      Splits, Verbose)

__all__ = ["CrossValidationSteps", "RegressionCV", "ElasticNetCV", "LassoCV",
           "path_fold_errors"]


class CrossValidationSteps:
    """The steps every cross-validated estimator of l1core shares: the l1_ratio list, the alpha
    grids, the folds, the choice of alpha (minimum and one standard error) and cloning with a
    shared executor. Mixed into :class:`RegressionCV` (the squared-loss estimators:
    :class:`ElasticNetCV`, the group CV estimators) and the logistic CV estimator, whose
    ``fit`` calls them; a subclass may override a step and call this one for the rest."""

    # The check's test folds repeat its 15 training rows (30 features): the mean error falls
    # down to the grid's last alpha. There the Elastic Net's l2 curvature is ~1e-4, so even at
    # tol=1e-12 two certified refits differ by ~1e-5; LassoCV passes at tol=1e-12 (test_cv).
    _expected_failed_checks = {
        f"check_sample_weight_equivalence_on_{kind}_data": (
            "cross-validation on the check's data picks the smallest alpha of the grid, where "
            "the refit stops at max_iter: the weighted and the repeated fits agree to the "
            "solver's tolerance, not to the check's rtol=1e-7")
        for kind in ("dense", "sparse")}

    def _l1_ratios(self):
        values = np.atleast_1d(np.asarray(self.l1_ratio, dtype=object))
        if values.ndim != 1 or values.size == 0:
            raise ValueError(f"l1_ratio must be a float or a non-empty list of floats, got "
                             f"{self.l1_ratio!r}.")
        return [v.check_l1_ratio(r) for r in values]

    def _alpha_grids(self, X, y, sw, penalty_factor, lower, upper, l1_ratios):
        """One decreasing grid per l1_ratio, and whether it is the automatic grid."""
        def alpha_max(l1_ratio):
            if l1_ratio == 0.0:
                raise ValueError("l1_ratio=0 has no finite alpha_max: pass alphas "
                                 "explicitly.")
            return EnetProblem(X, y, l1_ratio=l1_ratio, sample_weight=sw,
                               penalty_factor=penalty_factor, lower_bounds=lower,
                               upper_bounds=upper, fit_intercept=self.fit_intercept,
                               check_input=False,
                               standardize=bool(getattr(self, "standardize", False))).alpha_max()

        return self._grids(alpha_max, l1_ratios)

    def _grids(self, alpha_max, l1_ratios):
        """One decreasing grid per l1_ratio (``alpha_max(l1_ratio)`` down to ``eps`` times
        it, called only for the automatic grid), and whether it is the automatic grid."""
        alphas, n_alphas = grid_request(self.alphas, self.n_alphas)
        if alphas is None:
            n_alphas = _check_n_alphas(n_alphas)
            eps = v.check_alpha(self.eps, "eps")
            if eps == 0.0:
                raise ValueError("eps must be > 0, got 0.0.")
            return [alpha_grid(alpha_max(r), n_alphas=n_alphas, eps=eps)
                    for r in l1_ratios], True
        values = np.atleast_1d(np.asarray(alphas, dtype=object))
        if values.ndim != 1 or values.size == 0:
            raise ValueError(f"alphas must be a non-empty 1-D list of floats, got {alphas!r}.")
        grid = np.sort(np.array([v.check_alpha(a, "alphas") for a in values]))[::-1]
        return [grid] * len(l1_ratios), False

    def _limited_grids(self, grids, l1_ratios, full_path):
        """The grids cut by ``dfmax`` / ``pmax``: where ``full_path(grid, l1_ratio, dfmax=,
        pmax=)`` (the full-data path with those limits) stops, every grid at the shortest
        such length (at least one alpha: the first solution is always kept or is the
        limit's whole path)."""
        limits = dict(dfmax=v.check_model_size_limit(self.dfmax, "dfmax"),
                      pmax=v.check_model_size_limit(self.pmax, "pmax"))
        if limits["dfmax"] is None and limits["pmax"] is None:
            return grids
        length = min(len(full_path(grid, l1_ratio, **limits).alphas)
                     for grid, l1_ratio in zip(grids, l1_ratios))
        return [grid[:max(length, 1)] for grid in grids]

    def _splits(self, X, y, groups=None):
        """The (train, test) folds; ``groups`` goes to a splitter's ``split`` (GroupKFold and
        the like need it; an int cv and an iterable ignore it, as KFold does)."""
        cv = 5 if self.cv is None else self.cv
        if not isinstance(self.shuffle, (bool, np.bool_)):
            raise TypeError(f"shuffle must be True or False, got {self.shuffle!r}.")
        if isinstance(cv, numbers.Integral) and not isinstance(cv, (bool, np.bool_)):
            if cv < 2:
                raise ValueError(f"cv must be at least 2 folds, got cv={cv}.")
            return _kfold(X.shape[0], int(cv), self.shuffle, self.random_state)
        if self.shuffle:
            raise ValueError("shuffle=True applies to an integer cv only; configure the "
                             "splitter passed as cv instead.")
        if callable(getattr(cv, "split", None)) and not isinstance(cv, str):
            return list(cv.split(X, y, groups))
        try:
            if isinstance(cv, (str, bytes)):
                raise TypeError
            return list(cv)
        except TypeError:
            raise ValueError(f"cv must be None, an int, an object with split(X, y) or an "
                             f"iterable of (train, test) pairs, got {cv!r}.") from None

    def _task_label(self, l1_ratio, fold):
        return f"[{type(self).__name__} l1_ratio={l1_ratio:g} fold {fold}]"

    def _run_tasks(self, fn, X, tasks, labels, units_per_task):
        """``map_shared(fn, X, tasks)`` with the progress of the fit (``verbose``): each
        task's path is reported from this thread as the task finishes (its result ends with
        the path's (alphas, gaps, epochs, seconds)). The progress also counts the full-data
        path (``keep_path``); returns (results, progress)."""
        progress = Progress(self.verbose, units_per_task * (len(tasks) + bool(self.keep_path)))

        def report(index, result):
            progress.path_done(labels[index], *result[-1])

        results = map_shared(fn, X, tasks, n_jobs=self.n_jobs, executor=self.executor,
                             on_result=report if progress.enabled else None)
        progress.label = f"[{type(self).__name__} full data]"
        return results, progress

    def _path_alpha(self, alpha):
        """``alpha`` as a number: "min" is ``alpha_min_``, "1se" ``alpha_1se_``."""
        if isinstance(alpha, str):
            if alpha not in ("min", "1se"):
                raise ValueError(f"alpha must be a float, 'min' or '1se', got {alpha!r}.")
            return self.alpha_min_ if alpha == "min" else self.alpha_1se_
        return alpha

    def _kept_path(self):
        check_is_fitted(self)
        if self.path_ is None:
            raise ValueError(f"This {type(self).__name__} was fitted with keep_path=False: "
                             "no path to read; fit with keep_path=True.")
        return self.path_

    def coef_at(self, alpha: AlphaChoice, gamma: float | None = None) -> np.ndarray:
        """Coefficients of the full-data path (``path_``) at ``alpha``: "min"
        (``alpha_min_``), "1se" (``alpha_1se_``; glmnet's ``coef(cv, s="lambda.1se")``),
        both on the grid, or a float (interpolated between grid values, see
        :meth:`l1core.PathResult.coef_at`). ``gamma`` (``relax=True`` fits): the blend of
        ``path_.relaxed(gamma)``; None: ``gamma_min_`` / ``gamma_1se_`` with "min" / "1se",
        else 1 (the penalized path).

        Examples
        --------
        >>> import numpy as np
        >>> from l1core.datasets import load_diabetes
        >>> X, y, names = load_diabetes()
        >>> from l1core import LassoCV
        >>> cv = LassoCV(cv=5, n_alphas=20).fit(X, y)
        >>> np.flatnonzero(cv.coef_at("1se")), np.flatnonzero(cv.coef_at(1.0))
        (array([1, 2, 3, 6, 8, 9]), array([2, 3, 8]))
        """
        return self._gamma_path(alpha, gamma).coef_at(self._path_alpha(alpha))

    def _gamma_path(self, alpha, gamma):
        """``path_``, or its relaxed blend at ``gamma`` (see :meth:`coef_at`)."""
        path = self._kept_path()
        if gamma is None and getattr(self, "gamma_min_", None) is not None and isinstance(
                alpha, str):
            gamma = self.gamma_min_ if alpha == "min" else self.gamma_1se_
        return path if gamma is None or gamma == 1.0 else path.relaxed(gamma)

    def _choose(self, mse, grids, l1_ratios, stacklevel=3):
        n_folds = mse.shape[1]
        mean = mse.mean(axis=1)                                     # (n_l1, n_alphas)
        std = mse.std(axis=1, ddof=1) if n_folds > 1 else np.zeros_like(mean)
        best, i_best, k_best = np.inf, 0, 0
        for i, row in enumerate(mean):
            k = int(np.argmin(row))                                 # first = largest alpha
            if row[k] < best:
                best, i_best, k_best = row[k], i, k
        grid, row = grids[i_best], mean[i_best]
        threshold = row[k_best] + std[i_best, k_best] / np.sqrt(n_folds)
        k_1se = int(np.flatnonzero(row <= threshold)[0])           # grid is decreasing
        if k_best == len(grid) - 1 and len(grid) > 1:
            warnings.warn(f"The chosen alpha={grid[k_best]:.6g} is the smallest of the grid: "
                          "the best alpha may be smaller. Extend the grid: a smaller eps "
                          "(with more n_alphas) or explicit alphas.", AlphaGridEdgeWarning,
                          stacklevel=stacklevel)
        self.alpha_min_ = float(grid[k_best])
        self.alpha_1se_ = float(grid[min(k_1se, k_best)])
        self.alpha_ = self.alpha_1se_ if self.refit_alpha == "1se" else self.alpha_min_
        self.l1_ratio_ = float(l1_ratios[i_best])
        self.cv_mean_ = mean[0] if len(l1_ratios) == 1 else mean
        self.cv_std_ = std[0] if len(l1_ratios) == 1 else std
        return i_best

    def _choose_relaxed(self, errors, grids, l1_ratios, gammas, n_folds):
        """:meth:`_choose` over the (l1_ratio, gamma) pairs of a relaxed fit, then glmnet's
        one-standard-error pair (``l1core._relax.one_se_relaxed``); returns the best
        l1_ratio's index and sets ``gamma_``, ``gamma_min_``, ``gamma_1se_``, the gamma axis
        of ``mse_path_``, ``cv_mean_`` and ``cv_std_``."""
        n_l1, n_g = len(l1_ratios), len(gammas)
        mse = np.reshape(np.asarray(errors, dtype=np.float64), (n_l1, n_folds, n_g, -1))
        mse = np.moveaxis(mse, 2, 1)                         # (n_l1, n_gammas, n_folds, n_a)
        row = self._choose(mse.reshape(n_l1 * n_g, n_folds, -1),
                           [grid for grid in grids for _ in gammas],
                           [r for r in l1_ratios for _ in gammas])
        i_best, g_min = divmod(row, n_g)
        mean = self.cv_mean_.reshape(n_l1, n_g, -1)
        std = self.cv_std_.reshape(n_l1, n_g, -1)
        k_min = int(np.flatnonzero(grids[i_best] == self.alpha_min_)[0])
        self.alpha_1se_, self.gamma_1se_ = one_se_relaxed(
            mean[i_best], std[i_best], n_folds, k_min, g_min, grids[i_best], gammas)
        self.gamma_min_ = float(gammas[g_min])
        one_se = self.refit_alpha == "1se"
        self.alpha_ = self.alpha_1se_ if one_se else self.alpha_min_
        self.gamma_ = self.gamma_1se_ if one_se else self.gamma_min_
        squeeze = (lambda a: a[0]) if n_l1 == 1 else (lambda a: a)
        self.cv_mean_, self.cv_std_ = squeeze(mean), squeeze(std)
        self.mse_path_ = squeeze(np.moveaxis(mse, 3, 2))     # (..., n_gammas, n_a, n_folds)
        return i_best

    def __getstate__(self):
        """The pickled state, without ``executor``: a pool or a cluster client belongs to
        this process (and most cannot be pickled); it is restored as None."""
        state = super().__getstate__() if hasattr(super(), "__getstate__") else dict(
            self.__dict__)
        if state.get("executor") is not None:
            state = dict(state, executor=None)
        return state

    def __sklearn_clone__(self):
        """A clone sharing ``executor`` (a resource, which scikit-learn would deep-copy)."""
        from sklearn.base import clone

        params = self.get_params(deep=False)
        executor = params.pop("executor")
        params = {name: clone(value, safe=False) for name, value in params.items()}
        return type(self)(executor=executor, **params)


class RegressionCV(CrossValidationSteps, RegressorMixin, BaseEstimator):
    """The squared-loss cross-validation shared by :class:`ElasticNetCV` and the group CV
    estimators (``l1core._group_cv``): checks, fold tasks running a path function on the
    full X with zero weight off the training rows (:func:`path_fold_errors`), the held-out
    errors, the choice of alpha, the refit's attributes and predictions. A subclass's ``fit``
    validates its own options, builds the grids and calls :meth:`_cross_validate`, then
    refits (:meth:`_keep_refit`)."""

    def _check_fit_input(self, X, y, sample_weight):
        """(X, y, sw, unweighted, tol, max_iter) validated once, and the CV options checked."""
        if self.refit_alpha not in ("min", "1se"):
            raise ValueError(f"refit_alpha must be 'min' or '1se', got {self.refit_alpha!r}.")
        X, _ = v.check_design(X)
        n = X.shape[0]
        if v.is_multi_output(y):
            # scikit-learn's LassoCV / ElasticNetCV refuse a 2-D y the same way
            raise ValueError(f"For multi-task outputs, use MultiTask{type(self).__name__}: "
                             f"{type(self).__name__} takes a 1-D y (cross-validate each "
                             "target separately, or fit l1core.MultiTaskLasso / "
                             "MultiTaskElasticNet).")
        y = v.check_target(y, n, np.float64)
        sw = v.check_sample_weight(sample_weight, n, np.float64)
        tol = v.check_tol(self.tol)
        max_iter = v.check_max_iter(self.max_iter)
        check_executor(self.executor)
        if self.executor is None:
            effective_n_jobs(self.n_jobs)
        return X, y, sw, sample_weight is None, tol, max_iter

    def _cross_validate(self, path, X, y, sw, unweighted, groups, grids, auto, l1_ratios,
                        task_params, gammas=None):
        """Run ``path`` on every (l1_ratio, fold), then choose: sets ``alpha_min_``,
        ``alpha_1se_``, ``alpha_``, ``l1_ratio_``, ``cv_mean_``, ``cv_std_``, ``mse_path_``,
        ``alphas_`` (and the ``gamma_*`` attributes with ``gammas``: relaxed fits, see
        ``l1core._relax``). ``task_params(l1_ratio)``: the path's keywords for one task
        (called in task order). Returns (index of the chosen l1_ratio, progress)."""
        folds = _check_folds(self._splits(X, y, groups), X.shape[0], sw)
        tasks, labels = [], []
        for i, l1_ratio in enumerate(l1_ratios):
            for k, (train, test) in enumerate(folds):
                params = dict(task_params(l1_ratio), alphas=grids[i], l1_ratio=l1_ratio)
                tasks.append((path, y, sw, unweighted, params, train, test, gammas))
                labels.append(self._task_label(l1_ratio, k))
        results, progress = self._run_tasks(path_fold_errors, X, tasks, labels, len(grids[0]))
        not_converged = sum(count for _, count, _ in results)
        if not_converged:
            warnings.warn(f"{not_converged} of {len(results) * len(grids[0])} (fold, alpha) "
                          f"fits stopped at max_iter={self.max_iter} before reaching "
                          f"tol={self.tol}; increase max_iter or loosen tol.",
                          convergence_warning(), stacklevel=3)
        errors = [err for err, _, _ in results]
        if gammas is None:
            for name in ("gamma_", "gamma_min_", "gamma_1se_", "penalized_coef_",
                         "penalized_intercept_"):
                self.__dict__.pop(name, None)            # from an earlier relaxed fit
            mse = np.reshape(np.asarray(errors, dtype=np.float64),
                             (len(l1_ratios), len(folds), -1))      # (n_l1, n_folds, n_alphas)
            best = self._choose(mse, grids, l1_ratios, stacklevel=4)
            self.mse_path_ = np.squeeze(np.moveaxis(mse, 2, 1))
        else:
            best = self._choose_relaxed(errors, grids, l1_ratios, gammas, len(folds))
        self.alphas_ = np.asarray(grids) if auto and len(l1_ratios) > 1 else grids[0].copy()
        return best, progress

    def _keep_refit(self, model, n_features):
        """The final model's attributes, copied from the fitted ``model``."""
        self.coef_ = model.coef_
        self.intercept_ = model.intercept_
        self.dual_gap_ = model.dual_gap_
        self.n_iter_ = model.n_iter_
        self.n_features_in_ = n_features

    def predict(self, X: MatrixLike, alpha: AlphaChoice | None = None,
                offset: ArrayLike | None = None, gamma: float | None = None) -> np.ndarray:
        """Predicted values ``X @ coef_ + intercept_`` (``+ offset`` if given), shape
        (n_samples,); ``gamma`` with ``alpha`` as in :meth:`coef_at`.

        ``alpha``: None predicts with the refit model; "min", "1se" or a float with the
        full-data path ``path_`` at that alpha (see :meth:`coef_at`), reading only the
        support's columns of X in X's dtype (``PathResult.predict``)."""
        if alpha is not None:
            predicted = self._gamma_path(alpha, gamma).predict(X, alpha=self._path_alpha(alpha))
        else:
            predicted = ElasticNet._decision_function(self, X)     # the one linear prediction
        return add_offset(predicted, offset)

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.input_tags.sparse = True
        return tags


class ElasticNetCV(RegressionCV):
    """Elastic Net with alpha (and l1_ratio) chosen by cross-validation.

    Minimizes, for each candidate ``(alpha, l1_ratio)`` and each training fold, the objective
    of :class:`l1core.ElasticNet` (weights ``s``, penalty factors ``v``, bounds), scores it by
    the mean squared error on the held-out fold, and refits on all data at the chosen values.
    With unit weights and factors and the same folds, ``alpha_``, ``alphas_`` and
    ``mse_path_`` are those of scikit-learn's ``ElasticNetCV`` (up to ``tol``).

    Parameters
    ----------
    l1_ratio : float or list of float in [0, 1], default=0.5
        Mix of the penalties (1 = Lasso). A list is searched over, together with alpha.
    eps : float, default=1e-3
        Length of the automatic grid: ``alpha_min / alpha_max = eps``.
    n_alphas : int, default=100
        Number of alphas on the automatic grid (per l1_ratio).
    alphas : array-like, int or None, default=None
        Explicit alphas (any order; used decreasing, shared by every l1_ratio). An int is
        scikit-learn >= 1.7's spelling of ``n_alphas``.
    fit_intercept, max_iter, tol, positive, selection, penalty_factor, lower_bounds,
    upper_bounds
        As for :class:`l1core.ElasticNet`; used by every fold and by the final refit.
    cv : int, cross-validation splitter or iterable, default=None
        None: 5-fold. An int K >= 2: K contiguous folds like scikit-learn's ``KFold`` (shuffled
        first when ``shuffle=True``). An object with ``split(X, y)`` (any scikit-learn
        splitter), or an iterable of ``(train, test)`` index arrays or boolean masks.
        Indices repeated in a training set count as sample weights (as a copy would).
    n_jobs : int or None, default=None
        Threads running the (l1_ratio, fold) tasks; they share X (the kernel releases the
        GIL). None: 1, -1: all CPUs. Results do not depend on n_jobs (bitwise).
    random_state : int, Generator, RandomState or None, default=None
        Seeds the fold shuffling (``shuffle=True``; an int shuffles exactly like
        scikit-learn's ``KFold(shuffle=True, random_state=int)``) and
        ``selection="random"``.
    shuffle : bool, default=False
        Shuffle the samples before cutting ``cv`` (an int) into folds.
    refit_alpha : {"min", "1se"}, default="min"
        The alpha of the final model: ``alpha_min_`` (smallest mean error) or ``alpha_1se_``
        (glmnet's ``lambda.1se``: sparser, within one standard error of the best).
    executor : object with ``submit(fn, *args)`` or None, default=None
        Runs the tasks instead of threads: a ``concurrent.futures.Executor`` or a
        ``dask.distributed.Client`` (X is scattered to the workers once with
        ``scatter(X, broadcast=True)`` when the executor has ``scatter``). Takes precedence
        over n_jobs. Not copied by ``sklearn.base.clone`` (the clone shares it), nor
        pickled: a pickled model (fitted or not) comes back with ``executor=None``.
    precompute : bool, "auto" or array, default="auto"
        As for :class:`l1core.ElasticNet`. A Gram matrix (array) describes all the data: the
        final refit uses it, the folds (other rows, other weights) build their own.
    copy_X : bool, default=True
        Accepted for scikit-learn compatibility; X is never modified.
    verbose : bool or int, default=False
        If true, progress on stderr, reported as each (l1_ratio, fold) task finishes (from
        the main thread, whatever ``n_jobs``): a bar rewritten in place on a terminal, else
        one line per (l1_ratio, fold, alpha) solve and per alpha of the full-data path
        (alpha, duality gap, epochs, seconds, prefixed by the task, then the alphas done, the
        time elapsed and an estimate of the time left), and one for the refit.
    keep_path : bool, default=True
        Also solve the path of all the data at ``l1_ratio_`` on the grid (warm-started, its
        coefficients sparse) and keep it as ``path_``: ``coef_at(alpha)`` and
        ``predict(X, alpha=...)`` read it. Costs about one more fold.
    dfmax, pmax : int or None, default=None
        glmnet's limits on the model size (see :func:`l1core.enet_path`): each grid is cut
        where the full-data path at its l1_ratio stops (one more path per l1_ratio), all
        grids to the shortest of them; the folds then solve the cut grid, as cv.glmnet
        does with the full-data fit's lambdas.
    standardize : bool, default=False
        glmnet's ``standardize`` (see :class:`l1core.ElasticNet`; glmnet's default is
        True): the grid is the standardized problem's, each fold standardizes by its
        training rows' weighted scales (as cv.glmnet's fits do), the refit by all rows'.
    relax : bool, default=False
        glmnet's relaxed fit (``l1core._relax``; bounds refused): every fold's path is also
        refit by least squares on each support and scored at each ``gammas`` blend
        ``gamma * penalized + (1 - gamma) * refit``; (alpha, gamma) is chosen together:
        ``gamma_min_`` with ``alpha_min_`` at the smallest mean error, ``alpha_1se_`` /
        ``gamma_1se_`` the largest alpha, then largest gamma, within one standard error of
        it. The final model is the blend at (``alpha_``, ``gamma_``), its penalized part in
        ``penalized_coef_`` / ``penalized_intercept_`` (``dual_gap_`` is that part's);
        ``mse_path_`` and ``cv_mean_`` / ``cv_std_`` gain a gamma axis before the alpha axis;
        ``path_`` is solved with ``relax=True`` (``path_.relaxed(gamma)``).
    gammas : sequence of float in [0, 1], default=(0, 0.25, 0.5, 0.75, 1)
        glmnet's ``gamma`` values searched with ``relax=True``.

    Attributes
    ----------
    alpha_ : float
        The alpha of the final model (``alpha_min_`` or ``alpha_1se_``, see ``refit_alpha``).
    alpha_min_ : float
        The alpha with the smallest mean test error (ties: the largest such alpha).
    alpha_1se_ : float
        The largest alpha whose mean test error is at most the smallest mean error plus its
        standard error ``std(ddof=1) / sqrt(n_folds)`` across folds (glmnet's rule), at
        ``l1_ratio_``; ``alpha_1se_ >= alpha_min_``.
    l1_ratio_ : float
        The l1_ratio with the smallest mean test error (ElasticNetCV only).
    alphas_ : ndarray of shape (n_alphas,) or (n_l1_ratio, n_alphas)
        The grid; 2-D only for an automatic grid and a list of several l1_ratios
        (scikit-learn's shapes).
    mse_path_ : ndarray of shape (n_alphas, n_folds) or (n_l1_ratio, n_alphas, n_folds)
        Test mean squared error of each fold (weighted by ``sample_weight[test]``).
    cv_mean_, cv_std_ : ndarray of shape (n_alphas,) or (n_l1_ratio, n_alphas)
        Mean and standard deviation (ddof=1; 0 for one fold) of the test errors over folds.
    coef_ : ndarray of shape (n_features,), in X's floating dtype
    intercept_ : float
    dual_gap_ : float, duality gap of the final model
    n_iter_ : int, epochs of the final model
    n_features_in_ : int
    path_ : :class:`l1core.PathResult` or None
        The full-data path at ``l1_ratio_`` (``keep_path``; coefficients sparse CSC,
        intercepts, gaps, nonzeros, deviance explained, ``summary()``). Not certified by a
        ConvergenceWarning: compare its ``dual_gaps`` with the tolerance.

    Notes
    -----
    Memory: folds never copy X. Test predictions read only the test rows of the columns that
    are nonzero somewhere on the fold's path (the support S): dense X copies the block
    ``X[test][:, S]`` 65536 values at a time (upcast to float64 for float32 X) and multiplies
    it by the path's coefficients with BLAS; CSR and CSC X are read in place (the test rows
    of CSR, the S columns of CSC) by a compiled product in X's dtype with float64 sums. That
    is cheaper than ``X @ C`` with C the sparse path coefficients, which would read every row
    (n_folds times the work) and could not use BLAS. Each task holds its fold's path
    coefficients as a sparse ``n_features x n_alphas`` matrix (``enet_path(sparse_coefs=True)``)
    until its errors are computed.

    Examples
    --------
    >>> from l1core.datasets import load_diabetes
    >>> X, y, names = load_diabetes()
    >>> from l1core import ElasticNetCV
    >>> cv = ElasticNetCV(l1_ratio=[0.5, 1.0], cv=5).fit(X, y)
    >>> cv.l1_ratio_, round(cv.alpha_, 4), cv.mse_path_.shape    # (n_l1_ratio, n_alphas, n_folds)
    (1.0, 0.0038, (2, 100, 5))
    """

    def __init__(self, *, l1_ratio: float | Sequence[float] = 0.5, eps: float = 1e-3,
                 n_alphas: int = 100, alphas: ArrayLike | int | None = None,
                 fit_intercept: bool = True, max_iter: int = 1000, tol: float = 1e-4,
                 cv: Splits = None, n_jobs: int | None = None, positive: bool = False,
                 random_state: Seed = None, selection: Literal["cyclic", "random"] = "cyclic",
                 penalty_factor: ArrayLike | None = None,
                 lower_bounds: float | ArrayLike | None = None,
                 upper_bounds: float | ArrayLike | None = None, shuffle: bool = False,
                 refit_alpha: Literal["min", "1se"] = "min", executor: Any = None,
                 precompute: bool | Literal["auto"] | ArrayLike = "auto", copy_X: bool = True,
                 verbose: Verbose = False, keep_path: bool = True, dfmax: int | None = None,
                 pmax: int | None = None, standardize: bool = False, relax: bool = False,
                 gammas: Sequence[float] = DEFAULT_GAMMAS) -> None:
        self.l1_ratio = l1_ratio
        self.eps = eps
        self.n_alphas = n_alphas
        self.alphas = alphas
        self.fit_intercept = fit_intercept
        self.max_iter = max_iter
        self.tol = tol
        self.cv = cv
        self.n_jobs = n_jobs
        self.positive = positive
        self.random_state = random_state
        self.selection = selection
        self.penalty_factor = penalty_factor
        self.lower_bounds = lower_bounds
        self.upper_bounds = upper_bounds
        self.shuffle = shuffle
        self.refit_alpha = refit_alpha
        self.executor = executor
        self.precompute = precompute
        self.copy_X = copy_X
        self.verbose = verbose
        self.keep_path = keep_path
        self.dfmax = dfmax
        self.pmax = pmax
        self.standardize = standardize
        self.relax = relax
        self.gammas = gammas

    path = staticmethod(enet_path)

    def fit(self, X: MatrixLike, y: ArrayLike, sample_weight: ArrayLike | None = None,
            groups: ArrayLike | None = None, offset: ArrayLike | None = None) -> Self:
        """Fit the models of every fold and refit on all data at the chosen alpha.

        X: array-like or scipy sparse (n_samples, n_features), validated once and read in
        place (see the class notes for the test-row copies); y: (n_samples,);
        sample_weight: (n_samples,) non-negative or None, used in training and to weight
        each fold's test error; groups: (n_samples,) group labels passed to the splitter's
        ``split(X, y, groups)`` (``cv=GroupKFold(...)``), or None; offset: (n_samples,)
        glmnet's offset (see :meth:`l1core.ElasticNet.fit`), split with the folds: for the
        squared loss every fold, the path and the refit solve ``y - offset`` (exact), and
        the test errors compare ``X w + b + offset`` with y.
        """
        l1_ratios = self._l1_ratios()
        gammas = None
        if self.relax:
            check_relax_allowed(self.lower_bounds, self.upper_bounds, self.positive)
            gammas = check_gammas(self.gammas)
        X, y, sw, unweighted, tol, max_iter = self._check_fit_input(X, y, sample_weight)
        n, p = X.shape
        offset = v.check_offset(offset, n)
        if offset is not None:
            y = y - offset
        penalty_factor = v.check_penalty_factor(self.penalty_factor, p)
        lower, upper = v.check_bounds(self.lower_bounds, self.upper_bounds, self.positive, p)
        random = v.check_selection(self.selection) == "random"
        grids, auto = self._alpha_grids(X, y, sw, penalty_factor, lower, upper, l1_ratios)
        grids = self._limited_grids(grids, l1_ratios, lambda grid, l1_ratio, **limits: enet_path(
            X, y, l1_ratio=l1_ratio, alphas=grid, sample_weight=None if unweighted else sw,
            fit_intercept=bool(self.fit_intercept), penalty_factor=penalty_factor,
            lower_bounds=lower, upper_bounds=upper, tol=tol, max_iter=max_iter,
            precompute=False if _is_gram_array(self.precompute) else self.precompute,
            check_input=False, warn=False, standardize=bool(self.standardize), **limits))

        rng = v.check_random_state(self.random_state) if random else None
        # a user's Gram matrix describes all the data, not a fold: folds build their own
        fold_precompute = True if _is_gram_array(self.precompute) else self.precompute
        params = dict(fit_intercept=bool(self.fit_intercept), tol=tol, max_iter=max_iter,
                      selection=self.selection, precompute=fold_precompute,
                      # defaults as None: less to send per task
                      penalty_factor=None if np.all(penalty_factor == 1.0) else penalty_factor,
                      lower_bounds=None if np.all(lower == -np.inf) else lower,
                      upper_bounds=None if np.all(upper == np.inf) else upper,
                      standardize=bool(self.standardize))

        def task_params(l1_ratio):
            return dict(params, random_state=int(rng.integers(2**63)) if random else None)

        best, progress = self._cross_validate(enet_path, X, y, sw, unweighted, groups, grids,
                                              auto, l1_ratios, task_params, gammas)

        model = ElasticNet(
            alpha=self.alpha_, l1_ratio=self.l1_ratio_, fit_intercept=self.fit_intercept,
            max_iter=max_iter, tol=tol, positive=False, selection=self.selection,
            random_state=int(rng.integers(2**63)) if random else None,
            penalty_factor=penalty_factor, lower_bounds=lower, upper_bounds=upper,
            precompute=self.precompute, standardize=self.standardize,
            verbose=f"[{type(self).__name__} refit] " if self.verbose else False)
        self.path_ = None
        if self.keep_path:
            self.path_ = enet_path(
                X, y, l1_ratio=self.l1_ratio_, alphas=grids[best],
                sample_weight=None if unweighted else sw,
                random_state=int(rng.integers(2**63)) if random else None, return_n_iter=True,
                return_intercept=True, sparse_coefs=True, check_input=False, warn=False,
                verbose=progress, relax=gammas is not None, **params)
        progress.close()
        model.fit(X, y, sample_weight=None if unweighted else sw)
        if gammas is not None:
            relaxed_refit(model, X, y, None if unweighted else sw, self.gamma_)
            self.penalized_coef_ = model.penalized_coef_
            self.penalized_intercept_ = model.penalized_intercept_
        self._keep_refit(model, p)
        return self


class LassoCV(ElasticNetCV):
    """Lasso with alpha chosen by cross-validation: :class:`ElasticNetCV` with
    ``l1_ratio=1``. Parameters and attributes are those of :class:`ElasticNetCV` without
    ``l1_ratio``/``l1_ratio_``; ``alphas_`` has shape (n_alphas,) and ``mse_path_``
    (n_alphas, n_folds).

    Examples
    --------
    >>> import numpy as np
    >>> from l1core.datasets import load_diabetes
    >>> X, y, names = load_diabetes()
    >>> from l1core import LassoCV
    >>> cv = LassoCV(cv=5).fit(X, y)
    >>> round(cv.alpha_min_, 4), round(cv.alpha_1se_, 4)        # glmnet's lambda.min, lambda.1se
    (0.0038, 0.1868)
    >>> [names[j] for j in np.flatnonzero(cv.coef_at("1se"))]  # coef(cv, s="lambda.1se")
    ['sex', 'bmi', 'bp', 's3', 's5', 's6']
    >>> cv.predict(X[:3], alpha="1se").round()
    array([201.,  79., 176.])
    """

    def __init__(self, *, eps: float = 1e-3, n_alphas: int = 100,
                 alphas: ArrayLike | int | None = None, fit_intercept: bool = True,
                 max_iter: int = 1000, tol: float = 1e-4, cv: Splits = None,
                 n_jobs: int | None = None, positive: bool = False, random_state: Seed = None,
                 selection: Literal["cyclic", "random"] = "cyclic",
                 penalty_factor: ArrayLike | None = None,
                 lower_bounds: float | ArrayLike | None = None,
                 upper_bounds: float | ArrayLike | None = None, shuffle: bool = False,
                 refit_alpha: Literal["min", "1se"] = "min", executor: Any = None,
                 precompute: bool | Literal["auto"] | ArrayLike = "auto", copy_X: bool = True,
                 verbose: Verbose = False, keep_path: bool = True, dfmax: int | None = None,
                 pmax: int | None = None, standardize: bool = False, relax: bool = False,
                 gammas: Sequence[float] = DEFAULT_GAMMAS) -> None:
        super().__init__(l1_ratio=1.0, standardize=standardize, eps=eps, n_alphas=n_alphas,
                         alphas=alphas, relax=relax, gammas=gammas,
                         fit_intercept=fit_intercept, max_iter=max_iter, tol=tol, cv=cv,
                         n_jobs=n_jobs, positive=positive, random_state=random_state,
                         selection=selection, penalty_factor=penalty_factor,
                         lower_bounds=lower_bounds, upper_bounds=upper_bounds,
                         shuffle=shuffle, refit_alpha=refit_alpha, executor=executor,
                         precompute=precompute, copy_X=copy_X, verbose=verbose,
                         keep_path=keep_path, dfmax=dfmax, pmax=pmax)
        del self.l1_ratio

    path = staticmethod(lasso_path)

    def _l1_ratios(self):
        return [1.0]

    def fit(self, X: MatrixLike, y: ArrayLike, sample_weight: ArrayLike | None = None,
            groups: ArrayLike | None = None, offset: ArrayLike | None = None) -> Self:
        super().fit(X, y, sample_weight=sample_weight, groups=groups, offset=offset)
        del self.l1_ratio_
        return self

    fit.__doc__ = ElasticNetCV.fit.__doc__


# --------------------------------------------------------------------------- folds


def _kfold(n, k, shuffle, random_state):
    """scikit-learn's ``KFold(k, shuffle, random_state).split``: contiguous test blocks, the
    first ``n % k`` one sample larger; shuffled first (an int seed shuffles like
    scikit-learn's ``check_random_state(seed).shuffle``)."""
    if k > n:
        raise ValueError(f"Cannot have number of splits cv={k} greater than the number of "
                         f"samples: n_samples={n}.")
    indices = np.arange(n)
    if shuffle:
        if random_state is None:
            np.random.shuffle(indices)
        elif isinstance(random_state, (np.random.RandomState, np.random.Generator)):
            random_state.shuffle(indices)
        elif isinstance(random_state, numbers.Integral) and \
                not isinstance(random_state, (bool, np.bool_)):
            np.random.RandomState(int(random_state)).shuffle(indices)
        else:
            v.check_random_state(random_state)                     # raises the usual error
    sizes = np.full(k, n // k)
    sizes[: n % k] += 1
    folds, start = [], 0
    for size in sizes:
        test = indices[start:start + size]
        mask = np.ones(n, dtype=bool)
        mask[test] = False
        folds.append((np.flatnonzero(mask), test))
        start += size
    return folds


def _as_indices(index, n, what):
    arr = np.asarray(index)
    if arr.dtype == bool:
        if arr.shape != (n,):
            raise ValueError(f"A boolean {what} mask must have shape ({n},), got {arr.shape}.")
        return np.flatnonzero(arr)
    if arr.ndim != 1 or (arr.size and arr.dtype.kind not in "iu"):
        raise ValueError(f"{what} indices must be a 1-D array of integers or a boolean mask.")
    arr = arr.astype(np.intp)
    if arr.size and (arr.min() < -n or arr.max() >= n):
        raise ValueError(f"{what} indices must lie in [0, {n}), got values in "
                         f"[{arr.min()}, {arr.max()}].")
    return np.where(arr < 0, arr + n, arr)


def _check_folds(splits, n, sw):
    folds = []
    for k, split in enumerate(splits):
        try:
            train, test = split
        except (TypeError, ValueError):
            raise ValueError("cv must yield (train, test) pairs.") from None
        train, test = _as_indices(train, n, "train"), _as_indices(test, n, "test")
        if test.size == 0 or train.size == 0:
            raise ValueError(f"Fold {k} has an empty training or test set.")
        if not sw[train].sum() > 0:
            raise ValueError(f"Fold {k}: all training sample weights are zero.")
        folds.append((train, test))
    if not folds:
        raise ValueError("cv produced no folds.")
    return folds


# --------------------------------------------------------------------------- one task


def fold_tol(tol):
    """The tolerance of the fold paths for the user's ``tol``: 10 times tighter, down to
    1e-8 (never looser than ``tol``).

    The choice of alpha compares held-out errors of neighbouring alphas, which at small
    alphas of p >> n problems differ by less than what a solution at gap ``tol * ||y||^2``
    moves them: its coefficients are off by ~sqrt(gap / curvature), and the curvature along
    the support is small there. Measured (benchmarks: LassoCV, 5 folds, default grid): at
    ``tol`` itself 2 of 11 random p >> n problems choose another alpha than exact (tol=1e-12)
    solutions do; at tol / 10 none does, for no measurable extra time (200 x 5000: 0.63 s
    either way; tol / 100 costs 1.6-2x). The refit on all data uses ``tol`` itself, and
    max_iter warnings are counted against ``tol``.
    """
    return min(tol, max(tol * 1e-1, 1e-8))


def _fold_errors(X, y, sw, unweighted, params, train, test, alphas, l1_ratio, seed,
                 gammas=None):
    """:func:`path_fold_errors` of :func:`l1core.enet_path` at ``l1_ratio``, on ``alphas``,
    seeded by ``seed`` (``selection="random"``)."""
    return path_fold_errors(X, enet_path, y, sw, unweighted,
                            dict(params, alphas=alphas, l1_ratio=l1_ratio, random_state=seed),
                            train, test, gammas)


def path_fold_errors(X, path, y, sw, unweighted, params, train, test, gammas=None):
    """Test mean squared errors (n_alphas,) of the path fitted on one fold, and how many of
    its alphas stopped at max_iter short of tol (warned about once, by the caller).
    ``gammas``: relaxed fits (``l1core._relax``), the errors (n_gammas * n_alphas,) of each
    blend, gamma-major.

    ``path``: :func:`l1core.enet_path` or :func:`l1core.group_lasso_path`, called with
    ``params`` (which hold ``alphas``, ``tol`` and ``fit_intercept``; the fold solves at
    :func:`fold_tol`). X is the same object for all tasks (on Dask, one scattered copy per
    worker). The path is fitted on the full X with zero weight outside ``train``
    (multiplicities as weights); nothing is written into X, y or sw. ``unweighted``: the
    user passed no sample_weight. Also returns the path's (alphas, gaps, epochs, seconds),
    for the progress report.
    """
    n = X.shape[0]
    fold_sw = sw * np.bincount(train, minlength=n)
    fitted = path(X, y, sample_weight=fold_sw, return_intercept=True, sparse_coefs=True,
                  check_input=False, warn=False, **dict(params, tol=fold_tol(params["tol"])))
    coefs, gaps, intercepts = fitted.coefs, fitted.dual_gaps, fitted.intercepts
    if not np.all(np.isfinite(gaps)):
        warnings.warn(f"{np.count_nonzero(~np.isfinite(gaps))} fold solves ended with a "
                      "non-finite duality gap: the cross-validation errors are not reliable. "
                      "Check the scale of X and y.", NumericalWarning, stacklevel=2)
    fold_y = y - (fold_sw @ y / fold_sw.sum() if params["fit_intercept"] else 0.0)
    not_converged = int(np.sum(gaps > params["tol"] * (fold_sw @ fold_y**2) / fold_sw.sum()))
    if not params["fit_intercept"]:
        intercepts = np.zeros_like(intercepts)
    rows, count = np.unique(test, return_counts=True)
    weight = count.astype(np.float64) if unweighted else count * sw[rows]
    total = weight.sum()
    if not total > 0:
        raise ValueError("A test fold has only zero sample weights: its error is undefined.")
    trace = (fitted.alphas, gaps, fitted.n_iters, fitted.seconds)
    if gammas is not None:
        residuals = relaxed_fold_residuals(X, y, fold_sw, rows, coefs, intercepts,
                                           params["fit_intercept"], gammas, _predict_rows)
        errors = np.einsum("i,gia->ga", weight, residuals * residuals) / total
        return errors.ravel(), not_converged, trace
    residual = _predict_rows(X, rows, coefs, intercepts)
    residual -= y[rows, np.newaxis]
    return (weight @ (residual * residual)) / total, not_converged, trace
