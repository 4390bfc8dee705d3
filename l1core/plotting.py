"""Plots of paths, cross-validation curves and coefficients (glmnet's ``plot`` methods).

matplotlib is imported only when a function is called (``pip install "l1core[plot]"``).
Each function draws on ``ax`` (a new figure's Axes when None) and returns the Axes.

- :func:`plot_path`: the coefficients along a regularization path against alpha (log scale,
  largest alpha on the left), the number of nonzeros on a top axis (``plot.glmnet``);
- :func:`plot_cv`: the mean test error over the folds with +- one standard error bars and
  the ``alpha_min_`` / ``alpha_1se_`` lines (``plot.cv.glmnet``);
- :func:`plot_coef`: a bar chart of a fitted model's nonzero coefficients.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
import scipy.sparse as sp

from ._typing import Any, ArrayLike, MatrixLike, Sequence

if TYPE_CHECKING:                                 # matplotlib is imported only when drawing
    from matplotlib.axes import Axes

__all__ = ["plot_path", "plot_cv", "plot_coef"]

_SCORE_LABELS = {"log_loss": "log loss", "accuracy": "accuracy", "roc_auc": "ROC AUC"}


def _pyplot():
    try:
        import matplotlib.pyplot as plt
    except ImportError as exc:
        raise ImportError('l1core\'s plots need matplotlib: pip install "l1core[plot]" (or '
                          'pip install matplotlib).') from exc
    return plt


def _axes(ax):
    return _pyplot().subplots()[1] if ax is None else ax


def plot_path(path: Sequence[Any] | ArrayLike, coefs: MatrixLike | None = None, *,
              ax: Axes | None = None, feature_names: Sequence[str] | None = None,
              n_top_ticks: int = 6) -> Axes:
    """Coefficient paths against alpha (log scale), one line per feature that is nonzero
    somewhere on the path, the number of nonzeros at a few alphas on the top axis.

    ``path``: what :func:`l1core.lasso_path`, :func:`l1core.enet_path` or
    :func:`l1core.logistic_path` return (a tuple starting ``(alphas, coefs, ...)``), or the
    alphas with ``coefs`` given separately. ``coefs``: (n_features, n_alphas), dense or
    sparse, or (n_classes, n_features, n_alphas) (multinomial: one line per class and
    feature). ``feature_names``: label the lines (a legend, up to 20 lines).

    Examples
    --------
    >>> import matplotlib
    >>> matplotlib.use("Agg")                         # draw off screen
    >>> from l1core.datasets import load_diabetes
    >>> X, y, names = load_diabetes()
    >>> from l1core import lasso_path
    >>> from l1core.plotting import plot_path
    >>> ax = plot_path(lasso_path(X, y, n_alphas=20, fit_intercept=True), feature_names=names)
    >>> ax.get_xscale(), len(ax.lines)                # 10 coefficient lines and the zero line
    ('log', 11)
    >>> ax.figure.savefig("path.png")                 # doctest: +SKIP
    """
    alphas = np.asarray(path[0] if coefs is None else path, dtype=np.float64)
    coefs = path[1] if coefs is None else coefs
    C = coefs.toarray() if sp.issparse(coefs) else np.asarray(coefs, dtype=np.float64)
    if alphas.ndim != 1 or C.shape[-1] != alphas.size or C.ndim not in (2, 3):
        raise ValueError(f"plot_path needs alphas (n_alphas,) and coefs (..., n_alphas); got "
                         f"{alphas.shape} and {C.shape}.")
    lines = C.reshape(-1, alphas.size)
    active = np.flatnonzero(np.any(lines != 0, axis=1))
    ax = _axes(ax)
    names = None
    if feature_names is not None:
        names = list(feature_names) * (lines.shape[0] // len(feature_names))
    for row in active:
        ax.plot(alphas, lines[row], label=None if names is None else str(names[row]))
    ax.axhline(0.0, color="0.7", linewidth=0.8, zorder=0)
    ax.set_xscale("log")
    ax.set_xlim(alphas.max(), alphas.min())          # decreasing alpha: the model grows
    ax.set_xlabel("alpha (log scale)")
    ax.set_ylabel("coefficient")
    nonzero = np.count_nonzero(C.reshape(-1, C.shape[-2], alphas.size).any(axis=0), axis=0)
    _nonzero_axis(ax, alphas, nonzero, n_top_ticks)
    if names is not None and 0 < active.size <= 20:
        ax.legend(fontsize="small")
    return ax


def _nonzero_axis(ax, alphas, nonzero, n_ticks):
    """A top axis labelled with ``nonzero[k]`` at ``alphas[k]`` for ``n_ticks`` evenly spaced
    grid indices k (first and last included); returns it."""
    top = ax.secondary_xaxis("top")
    ticks = np.unique(np.linspace(0, alphas.size - 1, min(n_ticks, alphas.size)).round()
                      .astype(int))
    top.set_xticks(alphas[ticks])
    top.set_xticklabels([str(nonzero[k]) for k in ticks])
    top.set_xlabel("nonzero coefficients")
    return top


def _path_nonzero(path):
    """(alphas, nonzeros per alpha) of a CV estimator's full-data ``path_`` (a PathResult,
    or one per class for one-vs-rest: a feature counts when nonzero in any class), or None
    without one (``keep_path=False``, scikit-learn's estimators)."""
    if path is None:
        return None
    paths = path if isinstance(path, list) else [path]
    alphas = np.asarray(paths[0].alphas, dtype=np.float64)
    if len(paths) == 1:
        return alphas, np.asarray(paths[0].n_nonzero)
    support = sum(sp.csc_matrix(sp.csc_matrix(p.coefs) != 0, dtype=np.int64) for p in paths)
    return alphas, np.diff(sp.csc_matrix(support).indptr)


def _cv_curve(cv):
    """(alphas, fold values (n_alphas, n_folds), y label) at the chosen l1_ratio."""
    if hasattr(cv, "mse_path_"):
        values, label = np.asarray(cv.mse_path_), "mean squared error"
    elif hasattr(cv, "scores_path_"):
        values = np.asarray(cv.scores_path_)
        label = _SCORE_LABELS.get(getattr(cv, "scoring", None), "score")
    else:
        raise TypeError(f"plot_cv needs a fitted cross-validated estimator (with mse_path_ "
                        f"or scores_path_), got {type(cv).__name__}.")
    alphas = np.asarray(cv.alphas_, dtype=np.float64)
    if values.ndim == 3:                              # several l1_ratios: the chosen one
        ratios = [float(r) for r in np.atleast_1d(cv.l1_ratio)]
        i = int(np.argmin(np.abs(np.asarray(ratios) - cv.l1_ratio_)))
        values = values[i]
        alphas = alphas[i] if alphas.ndim == 2 else alphas
    if values.ndim == 1:
        values = values[:, np.newaxis]
    return alphas, values, label


def plot_cv(cv: Any, *, ax: Axes | None = None, n_top_ticks: int = 6) -> Axes:
    """The cross-validation curve of a fitted :class:`l1core.LassoCV`,
    :class:`l1core.ElasticNetCV` or :class:`l1core.SparseLogisticRegressionCV`: the mean
    over the folds of ``mse_path_`` (or ``scores_path_``) against alpha (log scale), with
    error bars of one standard error ``std(ddof=1) / sqrt(n_folds)``, and vertical lines at
    ``alpha_min_`` (solid) and ``alpha_1se_`` (dashed), at the chosen ``l1_ratio_``. The top
    axis gives the number of nonzero coefficients of the full-data path ``path_`` at
    ``n_top_ticks`` alphas (``plot.cv.glmnet``'s ``nzero``; no top axis when the estimator
    kept no path). scikit-learn's ``LassoCV`` works too (a line at its ``alpha_``).

    Examples
    --------
    >>> import matplotlib
    >>> matplotlib.use("Agg")                         # draw off screen
    >>> from l1core.datasets import load_diabetes
    >>> X, y, names = load_diabetes()
    >>> from l1core import LassoCV
    >>> from l1core.plotting import plot_cv
    >>> ax = plot_cv(LassoCV(cv=5, n_alphas=20).fit(X, y))
    >>> ax.get_ylabel(), ax.child_axes[0].get_xlabel()
    ('mean squared error', 'nonzero coefficients')
    """
    alphas, values, label = _cv_curve(cv)
    n_folds = values.shape[1]
    mean = values.mean(axis=1)
    se = values.std(axis=1, ddof=1) / np.sqrt(n_folds) if n_folds > 1 else np.zeros_like(mean)
    ax = _axes(ax)
    ax.errorbar(alphas, mean, yerr=se, fmt="o", color="tab:red", ecolor="0.6",
                markersize=3, label=f"mean over {n_folds} folds +- 1 s.e.")
    ax.axvline(getattr(cv, "alpha_min_", cv.alpha_), color="k", linestyle="-",
               linewidth=1, label="alpha_min")
    if hasattr(cv, "alpha_1se_"):
        ax.axvline(cv.alpha_1se_, color="k", linestyle="--", linewidth=1, label="alpha_1se")
    ax.set_xscale("log")
    ax.set_xlim(alphas.max() * 1.1, alphas.min() / 1.1)
    ax.set_xlabel("alpha (log scale)")
    ax.set_ylabel(label)
    ax.legend(fontsize="small")
    kept = _path_nonzero(getattr(cv, "path_", None))
    if kept is not None:
        _nonzero_axis(ax, *kept, n_top_ticks)
    return ax


def plot_coef(model: Any, *, feature_names: Sequence[str] | None = None,
              ax: Axes | None = None) -> Axes:
    """Horizontal bars of the nonzero coefficients of a fitted model (one bar per feature,
    and per class for multi-class models). ``feature_names``: the bars' labels (default:
    the model's ``feature_names_in_``, else ``x1, x2, ...``).

    Examples
    --------
    >>> import matplotlib
    >>> matplotlib.use("Agg")                         # draw off screen
    >>> from l1core.datasets import load_diabetes
    >>> X, y, names = load_diabetes()
    >>> from l1core import Lasso
    >>> from l1core.plotting import plot_coef
    >>> ax = plot_coef(Lasso(alpha=1.0).fit(X, y), feature_names=names)
    >>> [label.get_text() for label in ax.get_yticklabels()]
    ['bmi', 'bp', 's5']
    """
    coef = np.asarray(model.coef_, dtype=np.float64)
    coef = coef[np.newaxis, :] if coef.ndim == 1 else coef
    if feature_names is None:
        feature_names = getattr(model, "feature_names_in_", None)
    if feature_names is None:
        feature_names = [f"x{j + 1}" for j in range(coef.shape[1])]
    if len(feature_names) != coef.shape[1]:
        raise ValueError(f"{len(feature_names)} feature names for {coef.shape[1]} "
                         "coefficients.")
    nonzero = np.flatnonzero(np.any(coef != 0, axis=0))
    ax = _axes(ax)
    K = coef.shape[0]
    height = 0.8 / K
    positions = np.arange(nonzero.size)
    classes = getattr(model, "classes_", None)
    for k in range(K):
        label = None if K == 1 or classes is None else f"class {classes[k]}"
        ax.barh(positions + (k - (K - 1) / 2) * height, coef[k, nonzero], height=height,
                label=label)
    ax.set_yticks(positions)
    ax.set_yticklabels([str(feature_names[j]) for j in nonzero])
    ax.invert_yaxis()                                 # first feature on top
    ax.axvline(0.0, color="0.5", linewidth=0.8)
    ax.set_xlabel("coefficient")
    ax.set_title(f"{type(model).__name__}: {nonzero.size} of {coef.shape[1]} features "
                 "nonzero")
    if K > 1 and classes is not None:
        ax.legend(fontsize="small")
    return ax
