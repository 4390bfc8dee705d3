"""``LassoLarsCV``: the LARS-Lasso path on each fold, the grid the union of the fold knots."""

from __future__ import annotations

import numbers
from concurrent.futures import ThreadPoolExecutor

import numpy as np

from .._cv import _kfold
from .._typing import ArrayLike, MatrixLike, Self, Splits
from ._centering import center_problem
from ._estimators import LassoLars
from ._path import _check_count, _check_nonneg, run_lars

__all__ = ["LassoLarsCV"]


def _splits(cv, n):
    if cv is None:
        cv = 5
    if isinstance(cv, numbers.Integral) and not isinstance(cv, bool):
        if cv < 2:
            raise ValueError(f"cv must be at least 2 folds, got cv={cv}.")
        return list(_kfold(n, int(cv), False, None))
    if hasattr(cv, "split"):
        return list(cv.split(np.zeros((n, 1))))
    return list(cv)


def _fold_residues(est, X, storage, y, train, test, max_iter):
    """(alphas, residues (n_knots, n_test)) of the path fitted on ``train``; X[train] is a
    copy of those rows (scikit-learn's folds copy them too)."""
    Xtr, Xte = X[train], X[test]
    c = center_problem(Xtr, storage, y[train], est.fit_intercept)
    alphas, _, coefs, _ = run_lars(
        c.X, storage, c.y, xbar=c.xbar, max_iter=max_iter, method="lasso",
        eps=_check_nonneg(est.eps, "eps", True), positive=bool(est.positive),
        max_active=c.max_active)
    pred = np.asarray(Xte @ coefs) - c.x_offset @ coefs
    return alphas, (pred - (y[test] - c.y_offset)[:, None]).T


class LassoLarsCV(LassoLars):
    """Cross-validated LARS-Lasso (scikit-learn's ``LassoLarsCV``): each fold's exact path,
    the mean squared test error on the union of the fold knots (linear between knots), and
    the refit of :class:`LassoLars` on all data at the best alpha.

    Attributes (besides those of :class:`LassoLars`): ``alpha_``, ``cv_alphas_``
    (increasing), ``mse_path_`` (n_cv_alphas, n_folds). ``n_jobs`` > 1 runs folds on threads
    (the kernel releases the GIL). Fold rows are copied (X[train]), as in scikit-learn.

    Examples
    --------
    >>> from l1core import LassoLarsCV
    >>> from l1core.datasets import load_diabetes
    >>> X, y, names = load_diabetes()
    >>> cv = LassoLarsCV(cv=5).fit(X, y)
    >>> round(float(cv.alpha_), 4), cv.mse_path_.shape[1]
    (0.0039, 5)
    """

    def __init__(self, *, fit_intercept: bool = True, verbose: bool | int = False,
                 max_iter: int = 500, precompute: bool | str = "auto", cv: Splits = None,
                 max_n_alphas: int = 1000, n_jobs: int | None = None,
                 eps: float = np.finfo(float).eps, copy_X: bool = True,
                 positive: bool = False) -> None:
        self.fit_intercept = fit_intercept
        self.verbose = verbose
        self.max_iter = max_iter
        self.precompute = precompute
        self.cv = cv
        self.max_n_alphas = max_n_alphas
        self.n_jobs = n_jobs
        self.eps = eps
        self.copy_X = copy_X
        self.positive = positive

    jitter = None
    random_state = None
    fit_path = True

    def fit(self, X: MatrixLike, y: ArrayLike) -> Self:
        """Cross-validate, then refit on all of (X, y) at ``alpha_``."""
        X, storage, y = self._validated(X, y)
        max_iter = _check_count(self.max_iter)
        if storage == "csc":
            X_rows = X.tocsr()           # row selection for the folds
            fold_storage = "csr"
        else:
            X_rows, fold_storage = X, storage
        splits = _splits(self.cv, X.shape[0])

        def one(split):
            return _fold_residues(self, X_rows, fold_storage, y, split[0], split[1], max_iter)

        n_jobs = self.n_jobs or 1
        if n_jobs == 1:
            paths = [one(s) for s in splits]
        else:
            with ThreadPoolExecutor(max_workers=n_jobs if n_jobs > 0 else None) as ex:
                paths = list(ex.map(one, splits))
        from scipy.interpolate import interp1d   # scikit-learn's interpolation (lazy import)

        all_alphas = np.unique(np.concatenate([a for a, _ in paths]))
        stride = int(max(1, int(len(all_alphas) / float(self.max_n_alphas))))
        all_alphas = all_alphas[::stride]
        mse = np.empty((len(all_alphas), len(paths)))
        for index, (alphas, residues) in enumerate(paths):
            alphas, residues = alphas[::-1], residues[::-1]
            if alphas[0] != 0:
                alphas = np.r_[0, alphas]
                residues = np.r_[residues[:1], residues]
            if alphas[-1] != all_alphas[-1]:
                alphas = np.r_[alphas, all_alphas[-1]]
                residues = np.r_[residues, residues[-1:]]
            this = interp1d(alphas, residues, axis=0)(all_alphas) ** 2
            mse[:, index] = np.mean(this, axis=-1)
        mask = np.all(np.isfinite(mse), axis=-1)
        all_alphas, mse = all_alphas[mask], mse[mask]
        best = all_alphas[int(np.argmin(mse.mean(axis=-1)))]
        self.alpha_ = best
        self.cv_alphas_ = all_alphas
        self.mse_path_ = mse
        self._path(X, storage, y, max_iter=max_iter, alpha_min=best,
                   positive=bool(self.positive))
        return self
