"""Numerical failure is never silent (issue 9): a non-finite gap or coefficients warn with
NumericalWarning; a y whose squares overflow is refused with a clear ValueError."""

import warnings

import numpy as np
import pytest

import l1core
from l1core import _enet_solver
from conftest import make_regression


def _regression():
    X, y, _ = make_regression(0, n=30, p=8)
    return X, y


@pytest.mark.parametrize("fit", [
    pytest.param(lambda X, y: l1core.Lasso(alpha=0.1).fit(X, y), id="Lasso"),
    pytest.param(lambda X, y: l1core.ElasticNet(alpha=0.1).fit(X, y), id="ElasticNet"),
    pytest.param(lambda X, y: l1core.LassoCV(cv=3).fit(X, y), id="LassoCV"),
    pytest.param(lambda X, y: l1core.ElasticNetCV(cv=3).fit(X, y), id="ElasticNetCV"),
    pytest.param(lambda X, y: l1core.lasso_path(X, y), id="lasso_path"),
    pytest.param(lambda X, y: l1core.enet_path(X, y), id="enet_path"),
    pytest.param(lambda X, y: l1core.enet_solve(X, y, alpha=0.1), id="enet_solve"),
])
@pytest.mark.parametrize("scale", [1e160, 1e300])
def test_y_whose_squares_overflow_is_refused(fit, scale):
    X, y = _regression()
    with pytest.raises(ValueError, match="y is too large"):
        fit(X, y * scale)


def test_large_but_safe_y_still_fits():
    X, y = _regression()
    scale = 1e140
    model = l1core.Lasso(alpha=0.1 * scale).fit(X, y * scale)
    reference = l1core.Lasso(alpha=0.1).fit(X, y)
    np.testing.assert_allclose(model.coef_ / scale, reference.coef_, rtol=1e-6, atol=1e-8)


def _nan_gap_solve(monkeypatch, bad_coef=False):
    """Make every solve end as an overflow would: a NaN gap (optionally NaN coefficients)."""
    solve = _enet_solver.EnetProblem.solve

    def broken(self, *args, **kwargs):
        w, intercept, gap, epochs, gap_tol = solve(self, *args, **kwargs)
        if bad_coef:
            w[0] = np.inf
        return w, intercept, np.nan, epochs, gap_tol

    monkeypatch.setattr(_enet_solver.EnetProblem, "solve", broken)
    gram_path = _enet_solver.EnetProblem.gram_path

    def broken_path(self, *args, **kwargs):      # the compiled Gram-form path, alike
        W, gaps, *rest = gram_path(self, *args, **kwargs)
        if bad_coef:
            W[0] = np.inf
        return (W, np.full_like(gaps, np.nan), *rest)

    monkeypatch.setattr(_enet_solver.EnetProblem, "gram_path", broken_path)


@pytest.mark.filterwarnings("ignore:invalid value:RuntimeWarning")   # the path's predictor
@pytest.mark.parametrize("bad_coef", [False, True])
def test_nan_gap_along_a_path_warns(monkeypatch, bad_coef):
    X, y = _regression()
    _nan_gap_solve(monkeypatch, bad_coef)
    with pytest.warns(l1core.NumericalWarning, match="non-finite"):
        l1core.lasso_path(X, y, n_alphas=5)


@pytest.mark.parametrize("bad_coef", [False, True])
def test_nan_gap_of_a_fit_warns_numerically_not_about_convergence(monkeypatch, bad_coef):
    X, y = _regression()
    _nan_gap_solve(monkeypatch, bad_coef)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        l1core.Lasso(alpha=0.1).fit(X, y)
    kinds = {type(w.message) for w in caught}
    assert l1core.NumericalWarning in kinds
    assert not any(issubclass(k, l1core.ConvergenceWarning) for k in kinds)


def test_nan_gap_in_the_folds_warns(monkeypatch):
    X, y = _regression()
    _nan_gap_solve(monkeypatch)
    with pytest.warns(l1core.NumericalWarning):
        l1core.LassoCV(cv=3, n_alphas=5).fit(X, y)


def test_finite_solves_do_not_warn():
    X, y = _regression()
    with warnings.catch_warnings():
        warnings.simplefilter("error", l1core.NumericalWarning)
        l1core.lasso_path(X, y, n_alphas=5)
        l1core.Lasso(alpha=0.1).fit(X, y)
