"""Fuzz suite, LARS (issues 9 and 14): LassoLars at a drawn alpha and the knots of
lars_path(method="lasso") are Lasso solutions, on random problems over dense / CSC / CSR,
intercept, positive, column scales and means. LARS returns no duality gap: its solutions are
exact up to rounding, so P(coef) - P_ref must be within rounding of the independent FISTA
optimum of tests/_apg.py (started at the solution under test), and the KKT conditions hold
at every knot.

Found by this suite and fixed: with positive=True, once no inactive column could reach the
active correlation (all below it), the knot's alpha was taken from the largest inactive
correlation instead of the active level (as scikit-learn does), so the last segment ended at
a wrong alpha and LassoLars below the last entry returned non-optimal coefficients (relative
excess 1.6e-4); test_positive_lasso_lars_below_the_last_entry keeps the reproducer. Also
found and fixed once positive was drawn: the knots' accuracy with columns of norm ~1e-7 (the
tie-breaking rounding of X^T u was absolute) and a leaving coefficient's rounding below its
bound 0 (the two tests at the end).
"""

import warnings

import numpy as np
import pytest
from hypothesis import assume, given

import _apg
import _fuzz as fz
from _fuzz import Case, cases, fuzz_settings, make

from l1core import LassoLars, lars_path

LARS_CASES = dict(weights="none", penalty="none", bounds=("none", "positive"), l1_ratio=1.0,
                  selection="cyclic", warm="cold", dtype="float64",
                  scale=("none", "none", "columns", "mean"))


def null_objective(pb):
    y = pb.y - (pb.y.mean() if pb.case.fit_intercept else 0.0)
    return 0.5 * float(np.mean(y * y))


def excess(pb, coef, intercept):
    """(P(coef) - P_ref - rounding) / P(0): the relative suboptimality against the FISTA
    optimum beyond the rounding of P's evaluation (tests/_fuzz.py's bound: large column
    means make the intercept, and the predictor's cancellation, large)."""
    W = np.asarray(coef, dtype=np.float64)
    ref = _apg.solve("squared", pb.Xd, pb.y, a=pb.a, c=pb.c, lower=pb.lo, upper=pb.hi,
                     fit_intercept=pb.case.fit_intercept, W0=W, b0=np.atleast_1d(intercept))
    gap = fz.objective(pb, W, intercept) - ref.objective - fz.rounding(pb, W, intercept)
    return gap / max(null_objective(pb), 1e-300)


@fuzz_settings(40)
@given(cases(**LARS_CASES))
def test_lasso_lars_is_the_lasso_solution(case):
    pb = make(case)
    saved = fz.snapshot(pb.X, pb.y)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        model = LassoLars(alpha=pb.alpha, fit_intercept=case.fit_intercept,
                          positive=case.bounds == "positive").fit(pb.X, pb.y)
    # a degenerate (collinear) column or an early stop is reported; its fit is not the claim
    assume(not caught)
    fz.assert_unmodified(saved, pb.X, pb.y)
    coef = np.asarray(model.coef_, dtype=np.float64)
    assert np.all(coef >= pb.lo)
    assert excess(pb, coef, model.intercept_) <= 1e-9


@fuzz_settings(20)
@given(cases(**dict(LARS_CASES, fit_intercept=False, scale=("none", "columns"))))
def test_lasso_path_knots_satisfy_kkt(case):
    """At each knot alpha_k: |x_j.r| / n <= alpha_k, with equality and the sign of w_j on the
    support (one-sided for positive)."""
    pb = make(case)
    positive = case.bounds == "positive"
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        alphas, _, coefs = lars_path(pb.Xd, pb.y, method="lasso", positive=positive)
    assume(not caught)
    n = pb.Xd.shape[0]
    scale = np.abs(pb.Xd).T @ np.abs(pb.y) / n
    for k, alpha in enumerate(alphas):
        w = coefs[:, k]
        corr = pb.Xd.T @ (pb.y - pb.Xd @ w) / n
        slack = 1e-9 * scale + 1e-12 * np.max(scale)
        # a coefficient leaving at a knot keeps rounding (~1e-24) of either sign: zero
        tiny = 1e-10 * np.max(np.abs(w), initial=0.0)
        on = np.abs(w) > tiny
        assert np.all(np.abs(corr[on] - alpha * np.sign(w[on])) <= slack[on])
        if positive:
            assert np.all(w >= -tiny) and np.all(corr <= alpha + slack)
        else:
            assert np.all(np.abs(corr) <= alpha + slack)


def test_positive_lasso_lars_below_the_last_entry():
    pb = make(Case(loss="squared", seed=33, n=40, p=8, storage="csr", dtype="float64",
                   index_dtype="int32", weights="none", penalty="none", bounds="positive",
                   fit_intercept=True, l1_ratio=1.0, alpha_frac=0.02, scale="none",
                   selection="cyclic", warm="cold", tol=1e-8, n_classes=1, ovr=False))
    model = LassoLars(alpha=pb.alpha, positive=True).fit(pb.X, pb.y)
    assert excess(pb, model.coef_, model.intercept_) <= 1e-9


@pytest.mark.parametrize("scale", [1e-8, 1e-4, 1.0, 1e6])
def test_lasso_lars_at_any_scale_of_y(scale):
    """The path's knot equality tolerance is relative to alpha_max: an absolute float32 eps
    (scikit-learn's) ended the path at its first knot whenever alpha_max < 1.2e-7, so a
    column or y scaled 1e-8 gave coef 0 (found by this suite: relative excess 5%)."""
    rng = np.random.default_rng(0)
    X = rng.standard_normal((30, 6))
    y = scale * (X[:, :3] @ [1.0, -2.0, 0.5] + 0.1 * rng.standard_normal(30))
    alpha_max = np.max(np.abs(X.T @ (y - y.mean()))) / 30
    model = LassoLars(alpha=0.1 * alpha_max).fit(X, y)
    from l1core import Lasso
    cd = Lasso(alpha=0.1 * alpha_max, tol=1e-14).fit(X, y)
    np.testing.assert_allclose(model.coef_, cd.coef_, rtol=1e-7, atol=1e-9 * scale)


@pytest.mark.parametrize("scale", [1e-9, 1e-5, 1e5])
def test_lasso_lars_at_any_scale_of_x(scale):
    """Columns of norm below 1e-7 enter (the collinearity pivot test is relative to the
    column's norm; an absolute floor dropped them as degenerate)."""
    rng = np.random.default_rng(1)
    X = rng.standard_normal((30, 6))
    y = X[:, :3] @ [1.0, -2.0, 0.5] + 0.1 * rng.standard_normal(30)
    X = scale * X
    alpha_max = np.max(np.abs((X - X.mean(0)).T @ (y - y.mean()))) / 30
    model = LassoLars(alpha=0.1 * alpha_max).fit(X, y)
    from l1core import Lasso
    cd = Lasso(alpha=0.1 * alpha_max, tol=1e-14).fit(X, y)
    np.testing.assert_allclose(model.coef_ * scale, cd.coef_ * scale, rtol=1e-7, atol=1e-9)


def _case(**kw):
    base = dict(loss="squared", n=8, p=4, storage="dense_f", dtype="float64",
                index_dtype="int32", weights="none", penalty="none", bounds="positive",
                fit_intercept=False, l1_ratio=1.0, alpha_frac=0.1, scale="columns",
                selection="cyclic", warm="cold", tol=1e-4, n_classes=1, ovr=False)
    base.update(kw)
    return Case(**base)


@pytest.mark.parametrize("positive", [False, True])
def test_knots_exact_with_columns_of_norm_1e7(positive):
    """Found by this suite: a = X^T u was rounded to 15 absolute decimals (scikit-learn's
    tie-breaking), a relative error of 1e-8 for columns of norm ~1e-7, so an entering column's
    correlation missed its knot's alpha by 2e-9 relative; now 15 decimals relative to AA."""
    pb = make(_case(seed=193))
    n = pb.Xd.shape[0]
    alphas, _, coefs = lars_path(pb.Xd, pb.y, method="lasso", positive=positive)
    for k, alpha in enumerate(alphas[:-1]):
        corr = pb.Xd.T @ (pb.y - pb.Xd @ coefs[:, k]) / n
        on = coefs[:, k] != 0
        bound = corr if positive else np.abs(corr)
        assert np.all(bound <= alpha * (1 + 1e-12))
        assert np.all(np.abs(corr[on] - alpha * np.sign(coefs[on, k])) <= 1e-12 * alpha)


def test_positive_lasso_lars_drops_to_exact_zero():
    """Found by this suite: a coefficient leaving the positive path kept rounding of either
    sign (-2.5e-17), below its bound 0; it is now set to zero where it leaves."""
    pb = make(_case(seed=14221, n=15, p=30, fit_intercept=True, alpha_frac=0.02,
                    scale="mean", tol=1e-12))
    model = LassoLars(alpha=pb.alpha, positive=True).fit(pb.X, pb.y)
    assert np.all(model.coef_ >= 0) and np.all(model.coef_path_ >= 0)
    assert excess(pb, model.coef_, model.intercept_) <= 1e-9
