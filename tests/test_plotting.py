"""Plots: rendered to PNG with the Agg backend; the artists (lines, bars, axis scales and
labels) are checked against the path, CV and model they draw."""

import subprocess
import sys

import numpy as np
import pytest
import scipy.sparse as sp

matplotlib = pytest.importorskip("matplotlib")
matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402

from l1core import (ElasticNetCV, LassoCV, SparseLogisticRegression,  # noqa: E402
                    SparseLogisticRegressionCV, lasso_path, logistic_path)
from l1core.datasets import load_diabetes  # noqa: E402
from l1core.plotting import plot_coef, plot_cv, plot_path  # noqa: E402

PNG = b"\x89PNG\r\n\x1a\n"


@pytest.fixture(autouse=True)
def _close_figures():
    yield
    plt.close("all")


def _render(ax, tmp_path):
    path = tmp_path / "plot.png"
    ax.figure.savefig(path)
    assert path.read_bytes()[:8] == PNG
    return path


def _top_axis(ax):
    tops = [child for child in ax.child_axes]
    assert len(tops) == 1
    return tops[0]


def test_plot_path_lines_scale_and_nonzero_axis(tmp_path):
    X, y, names = load_diabetes()
    path = lasso_path(X, y, n_alphas=30, fit_intercept=True)
    alphas, coefs = path[0], path[1]
    ax = plot_path(path, feature_names=names)
    _render(ax, tmp_path)
    active = np.any(coefs != 0, axis=1)
    curves = [line for line in ax.lines if len(line.get_xdata()) == alphas.size]
    assert len(curves) == active.sum() == 10
    for line, j in zip(curves, np.flatnonzero(active)):
        np.testing.assert_allclose(line.get_ydata(), coefs[j], rtol=1e-15)
        assert line.get_label() == names[j]
    assert ax.get_xscale() == "log" and ax.get_xlim()[0] > ax.get_xlim()[1]
    assert ax.get_xlabel() == "alpha (log scale)" and ax.get_ylabel() == "coefficient"
    top = _top_axis(ax)
    labels = [int(t.get_text()) for t in top.get_xticklabels()]
    nonzero = np.count_nonzero(coefs, axis=0)
    ticks = top.get_xticks()
    assert labels == [nonzero[np.argmin(np.abs(alphas - t))] for t in ticks]
    assert labels[0] == 0 and labels[-1] == nonzero[-1]


def test_plot_path_sparse_and_multinomial_coefs(tmp_path):
    rng = np.random.default_rng(0)
    X = rng.standard_normal((90, 6))
    y = np.argmax(X[:, :3] + 0.5 * rng.standard_normal((90, 3)), axis=1)
    alphas, coefs, *_ = logistic_path(X, y, multinomial=True, n_alphas=8, eps=1e-2)
    fig, ax = plt.subplots()
    assert plot_path(alphas, coefs, ax=ax) is ax
    _render(ax, tmp_path)
    lines = coefs.reshape(-1, alphas.size)
    assert len([line for line in ax.lines if len(line.get_xdata()) == 8]) == \
        np.any(lines != 0, axis=1).sum()
    binary = (y == 0).astype(int)
    alphas, coefs, *_ = logistic_path(X, binary, n_alphas=8, eps=1e-2, sparse_coefs=True)
    assert sp.issparse(coefs)
    ax = plot_path((alphas, coefs))
    assert len([line for line in ax.lines if len(line.get_xdata()) == 8]) == \
        np.count_nonzero(np.any(coefs.toarray() != 0, axis=1))
    with pytest.raises(ValueError, match="plot_path needs"):
        plot_path(alphas, np.zeros((3, 5)))


def _cv_lines(ax):
    """(the errorbar's mean line, the vertical lines' x positions)."""
    container = ax.containers[0]
    mean_line = container.lines[0]
    vertical = [line.get_xdata()[0] for line in ax.lines if line is not mean_line]
    return container, mean_line, vertical


def test_plot_cv_lasso_curve_error_bars_and_lines(tmp_path):
    X, y, _ = load_diabetes()
    cv = LassoCV(cv=4, n_alphas=20).fit(X, y)
    ax = plot_cv(cv)
    _render(ax, tmp_path)
    container, mean_line, vertical = _cv_lines(ax)
    np.testing.assert_allclose(mean_line.get_xdata(), cv.alphas_, rtol=1e-15)
    np.testing.assert_allclose(mean_line.get_ydata(), cv.mse_path_.mean(axis=1), rtol=1e-12)
    se = cv.mse_path_.std(axis=1, ddof=1) / 2.0
    segments = container.lines[2][0].get_segments()
    np.testing.assert_allclose([s[1, 1] - s[0, 1] for s in segments], 2 * se, rtol=1e-9)
    np.testing.assert_allclose(vertical, [cv.alpha_min_, cv.alpha_1se_], rtol=1e-15)
    assert ax.get_xscale() == "log" and ax.get_ylabel() == "mean squared error"
    assert {t.get_text() for t in ax.get_legend().get_texts()} == {
        "alpha_min", "alpha_1se", "mean over 4 folds +- 1 s.e."}


def test_plot_cv_elastic_net_several_l1_ratios_uses_the_chosen_one():
    X, y, _ = load_diabetes()
    cv = ElasticNetCV(l1_ratio=[0.2, 0.9], cv=3, n_alphas=10, eps=1e-4).fit(X, y)
    i = [0.2, 0.9].index(cv.l1_ratio_)
    _, mean_line, _ = _cv_lines(plot_cv(cv))
    np.testing.assert_allclose(mean_line.get_xdata(), cv.alphas_[i], rtol=1e-15)
    np.testing.assert_allclose(mean_line.get_ydata(), cv.mse_path_[i].mean(axis=1),
                               rtol=1e-12)


@pytest.mark.parametrize("scoring,label", [("log_loss", "log loss"), ("accuracy", "accuracy")])
def test_plot_cv_logistic(tmp_path, scoring, label):
    X, y, _ = load_diabetes()
    cv = SparseLogisticRegressionCV(cv=3, n_alphas=8, eps=1e-2, scoring=scoring)
    cv.fit(X, y > 140)
    ax = plot_cv(cv)
    _render(ax, tmp_path)
    _, mean_line, vertical = _cv_lines(ax)
    np.testing.assert_allclose(mean_line.get_ydata(), cv.scores_path_.mean(axis=1),
                               rtol=1e-12)
    np.testing.assert_allclose(vertical, [cv.alpha_min_, cv.alpha_1se_], rtol=1e-15)
    assert ax.get_ylabel() == label


def test_plot_cv_needs_a_cv_estimator():
    with pytest.raises(TypeError, match="cross-validated"):
        plot_cv(SparseLogisticRegression())


def test_plot_coef_bars(tmp_path):
    X, y, names = load_diabetes()
    model = LassoCV(cv=3, n_alphas=10).fit(X, y)
    model.coef_[1] = 0.0
    ax = plot_coef(model, feature_names=names)
    _render(ax, tmp_path)
    nonzero = np.flatnonzero(model.coef_)
    assert len(ax.patches) == nonzero.size
    np.testing.assert_allclose([bar.get_width() for bar in ax.patches], model.coef_[nonzero],
                               rtol=1e-15)
    assert [t.get_text() for t in ax.get_yticklabels()] == [names[j] for j in nonzero]
    assert ax.get_xlabel() == "coefficient"
    multi = SparseLogisticRegression(alpha=0.01).fit(X, np.digitize(y, [100, 200]))
    ax = plot_coef(multi)
    columns = np.flatnonzero(np.any(multi.coef_ != 0, axis=0))
    assert len(ax.patches) == 3 * columns.size
    assert [t.get_text() for t in ax.get_yticklabels()] == [f"x{j + 1}" for j in columns]
    with pytest.raises(ValueError, match="feature names"):
        plot_coef(model, feature_names=["a"])


def test_matplotlib_is_imported_only_when_plotting_and_missing_names_the_extra():
    code = ("import sys\n"
            "import l1core.plotting as plotting\n"
            "assert 'matplotlib' not in sys.modules\n"
            "sys.modules['matplotlib'] = None\n"
            "sys.modules['matplotlib.pyplot'] = None\n"
            "try:\n"
            "    plotting.plot_path([1.0, 0.1], [[0.0, 1.0]])\n"
            "except ImportError as exc:\n"
            "    print(exc)\n")
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          timeout=120)
    assert proc.returncode == 0, proc.stderr
    assert 'pip install "l1core[plot]"' in proc.stdout


def _top_labels(ax, alphas):
    """(the top axis' labels as ints, the grid index of each tick)."""
    top = _top_axis(ax)
    labels = [int(t.get_text()) for t in top.get_xticklabels()]
    return labels, [int(np.argmin(np.abs(alphas - t))) for t in top.get_xticks()]


def test_plot_cv_top_axis_counts_the_full_data_paths_nonzeros():
    X, y, _ = load_diabetes()
    cv = LassoCV(cv=3, n_alphas=20).fit(X, y)
    ax = plot_cv(cv, n_top_ticks=5)
    labels, index = _top_labels(ax, cv.path_.alphas)
    nonzero = np.count_nonzero(cv.path_.coefs.toarray(), axis=0)
    assert len(labels) == 5 and index[0] == 0 and index[-1] == 19
    assert labels == [nonzero[k] for k in index]
    assert labels[0] == 0 and labels[-1] == 10
    assert _top_axis(ax).get_xlabel() == "nonzero coefficients"
    assert not plot_cv(LassoCV(cv=3, n_alphas=5, keep_path=False).fit(X, y)).child_axes


def test_plot_cv_top_axis_one_vs_rest_counts_features_nonzero_in_any_class():
    X, y, _ = load_diabetes()
    codes = np.digitize(y, [100, 200])
    cv = SparseLogisticRegressionCV(cv=3, n_alphas=6, eps=1e-2, multi_class="ovr")
    cv.fit(X, codes)
    labels, index = _top_labels(plot_cv(cv), cv.path_[0].alphas)
    dense = np.stack([p.coefs.toarray() for p in cv.path_])      # (K, p, n_alphas)
    nonzero = np.count_nonzero(np.any(dense != 0, axis=0), axis=0)
    assert labels == [nonzero[k] for k in index] and max(labels) > 0
