"""Column statistics and implicit centering on extreme inputs (issue 9, defects 2 and 3).

1. A column whose sum of squares overflows float64 cannot be stepped by coordinate descent:
   every storage and both losses refuse it with the same ValueError (it used to be dropped
   silently from sparse X: a zero model certified by a gap of 0).
2. A column with a large mean and a small spread (timestamps, prices) is an ordinary feature.
   Shifting a column by a constant changes nothing but the intercept, so the fit must match
   the unshifted one, and it is certified by the duality gap recomputed in NumPy on the
   explicitly centered data (where the shift cannot cancel).
"""

import warnings

import numpy as np
import pytest
import scipy.sparse as sp
from scipy.special import expit

import _logistic_reference as lref
import _reference as ref
from conftest import STORAGES, check_certified, solve_kwargs, to_storage

from l1core import AlphaGridEdgeWarning, ElasticNet, Lasso, LassoCV, SparseLogisticRegression
from l1core._enet_solver import enet_solve

RATIOS = (1e3, 1e6, 1.7e8, 1e9, 1e11)   # mean / std of the shifted column (1.7e8: timestamps)
SPREAD = 10.0


def shifted_problem(ratio, seed=0, n=200, p=8):
    """(X0, X, y, y01): X0 sparse-ish with column 0 = SPREAD * z (no zeros), X the same with
    column 0 shifted to mean ratio * SPREAD; y a regression and y01 a classification target."""
    rng = np.random.default_rng(seed)
    X0 = rng.standard_normal((n, p))
    X0[rng.uniform(size=(n, p)) < 0.5] = 0.0
    X0[:, 0] = SPREAD * rng.standard_normal(n)
    y = 0.05 * X0[:, 0] + X0[:, 1] - 2.0 * X0[:, 2] + 0.1 * rng.standard_normal(n)
    y01 = (0.1 * X0[:, 0] + X0[:, 1] + 0.5 * rng.standard_normal(n) > 0).astype(np.float64)
    X = X0.copy()
    X[:, 0] += ratio * SPREAD
    return X0, X, y, y01


def fit_quiet(model, X, y):
    with warnings.catch_warnings():
        warnings.simplefilter("error")   # no ConvergenceWarning, no overflow warning
        # (the short grids here may end at the best alpha: not a numerical matter)
        warnings.simplefilter("ignore", AlphaGridEdgeWarning)
        return model.fit(X, y)


# --------------------------------------------------------------------------- overflow


def overflowing_inputs():
    rng = np.random.default_rng(3)
    X = rng.standard_normal((60, 6))
    X[rng.uniform(size=X.shape) < 0.4] = 0.0
    half = X.copy()
    half[:, ::2] *= 1e160
    near = 1e156 * (1.0 + 0.1 * rng.standard_normal((60, 6)))
    y = X[:, 1] - X[:, 3] + 0.1 * rng.standard_normal(60)
    return {"half_1e160": half, "all_near_1e156": near}, y


@pytest.mark.parametrize("kind", ["half_1e160", "all_near_1e156"])
@pytest.mark.parametrize("storage", STORAGES)
@pytest.mark.parametrize("estimator", ["lasso", "lasso_no_gram", "enet", "lasso_no_intercept",
                                       "logistic"])
def test_overflowing_column_is_refused(kind, storage, estimator):
    inputs, y = overflowing_inputs()
    X = to_storage(inputs[kind], storage)
    model = {
        "lasso": Lasso(alpha=0.01),
        "lasso_no_gram": Lasso(alpha=0.01, precompute=False),
        "enet": ElasticNet(alpha=0.01, l1_ratio=0.5),
        "lasso_no_intercept": Lasso(alpha=0.01, fit_intercept=False),
        "logistic": SparseLogisticRegression(alpha=0.01),
    }[estimator]
    target = (y > 0).astype(float) if estimator == "logistic" else y
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        with pytest.raises(ValueError, match="sum of squares overflows float64"):
            model.fit(X, target)


@pytest.mark.parametrize("storage", STORAGES)
def test_huge_but_representable_columns_are_fitted(storage):
    """Values near 1e150 (squares near 1e300, still finite): X and y scaled by 1e150 and
    alpha by 1e300 give the same coefficients."""
    inputs, y = overflowing_inputs()
    X = inputs["half_1e160"] / 1e160
    base = Lasso(alpha=0.01, tol=1e-10).fit(X, y)
    big = fit_quiet(Lasso(alpha=0.01 * 1e300, tol=1e-10), to_storage(X * 1e150, storage),
                    y * 1e150)
    np.testing.assert_allclose(big.coef_, base.coef_, rtol=1e-7, atol=1e-9)
    assert big.intercept_ == pytest.approx(base.intercept_ * 1e150, rel=1e-7, abs=1e140)


# --------------------------------------------------------------------------- large means


def centered_problem(X, y, alpha):
    """The reference problem on X centered in float64 (the same objective with an intercept)."""
    return ref.make_problem(X - X.mean(axis=0), y, alpha=alpha)


@pytest.mark.parametrize("ratio", RATIOS)
@pytest.mark.parametrize("storage", STORAGES)
def test_lasso_large_mean_column_matches_unshifted_fit(ratio, storage):
    X0, X, y, _ = shifted_problem(ratio)
    alpha, tol = 0.01, 1e-8
    base = Lasso(alpha=alpha, tol=tol).fit(X0, y)
    model = fit_quiet(Lasso(alpha=alpha, tol=tol), to_storage(X, storage), y)
    pb = centered_problem(X, y, alpha)
    check_certified(pb, model.coef_, ref.best_intercept(pb, model.coef_), tol=tol,
                    reported_gap=model.dual_gap_, check_reported=ratio < 1e9)
    # with ratio 1e11 the centered values carry ~5 digits
    rtol = max(1e-6, 1e-15 * ratio)
    np.testing.assert_allclose(model.coef_, base.coef_, rtol=rtol, atol=rtol)
    assert model.score(X, y) == pytest.approx(base.score(X0, y), abs=1e3 * rtol)


@pytest.mark.parametrize("ratio", [1e3, 1e5])
@pytest.mark.parametrize("storage", STORAGES)
def test_lasso_large_mean_column_float32(ratio, storage):
    """float32 data (the values as stored are the problem): sparse agrees with dense and the
    fit is certified on the stored values."""
    _, X, y, _ = shifted_problem(ratio)
    X32 = X.astype(np.float32)
    alpha, tol = 0.01, 1e-6
    dense = fit_quiet(Lasso(alpha=alpha, tol=tol), to_storage(X32, "dense", np.float32), y)
    model = fit_quiet(Lasso(alpha=alpha, tol=tol), to_storage(X32, storage, np.float32), y)
    X64 = X32.astype(np.float64)
    pb = centered_problem(X64, y, alpha)
    check_certified(pb, model.coef_, ref.best_intercept(pb, model.coef_), tol=tol,
                    float32=True, check_reported=False)
    np.testing.assert_allclose(model.coef_, dense.coef_, rtol=1e-3, atol=1e-4)


@pytest.mark.parametrize("storage", ["csc", "csr"])
def test_lasso_cv_large_mean_column_matches_dense(storage):
    _, X, y, _ = shifted_problem(1.7e8, seed=1)
    dense = fit_quiet(LassoCV(cv=3, n_alphas=20, tol=1e-8), X, y)
    model = fit_quiet(LassoCV(cv=3, n_alphas=20, tol=1e-8), to_storage(X, storage), y)
    assert model.alpha_ == pytest.approx(dense.alpha_, rel=1e-6)  # alpha_max: 1e-16 * ratio
    np.testing.assert_allclose(model.mse_path_, dense.mse_path_, rtol=1e-4)
    assert model.score(X, y) == pytest.approx(dense.score(X, y), abs=1e-6)
    assert model.score(X, y) > 0.99


def test_sparse_column_with_large_mean_and_zeros():
    """A count-like column (mean 1e6, spread 1) with a few implicit zeros: its variance comes
    mostly from the zeros; sparse must agree with dense."""
    rng = np.random.default_rng(5)
    n = 400
    X = rng.standard_normal((n, 5))
    X[rng.uniform(size=X.shape) < 0.5] = 0.0
    X[:, 0] = 1e6 + rng.standard_normal(n)
    X[rng.choice(n, 3, replace=False), 0] = 0.0
    y = 2e-6 * X[:, 0] + X[:, 1] + 0.1 * rng.standard_normal(n)
    alpha, tol = 1e-3, 1e-8
    dense = fit_quiet(Lasso(alpha=alpha, tol=tol), X, y)
    for storage in ("csc", "csr"):
        model = fit_quiet(Lasso(alpha=alpha, tol=tol), to_storage(X, storage), y)
        pb = centered_problem(X, y, alpha)
        check_certified(pb, model.coef_, ref.best_intercept(pb, model.coef_), tol=tol,
                        reported_gap=model.dual_gap_)
        np.testing.assert_allclose(model.coef_, dense.coef_, rtol=1e-6, atol=1e-12)


def logistic_gap(X, y01, coef, intercept, alpha):
    """NumPy duality gap on the explicitly centered X (intercept moved to match)."""
    xbar = X.mean(axis=0)
    p = X.shape[1]
    a, c = lref.penalty_terms(alpha, 1.0, p)
    inf = np.full(p, np.inf)
    gap, _ = lref.binary_gap(X - xbar, y01, coef, intercept + xbar @ coef, np.ones(len(y01)),
                             a, c, -inf, inf)
    return gap


@pytest.mark.parametrize("ratio", RATIOS)
@pytest.mark.parametrize("storage", STORAGES)
def test_logistic_large_mean_column_matches_unshifted_fit(ratio, storage):
    X0, X, _, y01 = shifted_problem(ratio)
    alpha, tol = 0.005, 1e-8
    base = SparseLogisticRegression(alpha=alpha, tol=tol).fit(X0, y01)
    model = fit_quiet(SparseLogisticRegression(alpha=alpha, tol=tol), to_storage(X, storage),
                      y01)
    coef = model.coef_.ravel()
    intercept = float(np.ravel(model.intercept_)[0])
    pbar = y01.mean()
    p_null = -(pbar * np.log(pbar) + (1 - pbar) * np.log(1 - pbar))
    # the centered data (and the kernel's linear predictor) carry ~16 - log10(ratio) digits
    slack = 1e-15 * ratio * 10
    assert logistic_gap(X, y01, coef, intercept, alpha) <= tol * p_null + slack
    rtol = max(1e-5, 1e-15 * ratio * 10)
    np.testing.assert_allclose(coef, base.coef_.ravel(), rtol=rtol, atol=rtol)
    z = (X - X.mean(axis=0)) @ coef + intercept + X.mean(axis=0) @ coef
    z0 = X0 @ base.coef_.ravel() + float(np.ravel(base.intercept_)[0])
    np.testing.assert_allclose(expit(z), expit(z0), atol=1e3 * rtol)



@pytest.mark.parametrize("ratio", RATIOS + (1e12,))
@pytest.mark.parametrize("storage", STORAGES)
@pytest.mark.parametrize("multinomial", [False, True])
def test_logistic_large_mean_gap_is_a_certificate(ratio, storage, multinomial):
    """The reported dual_gap_ is never negative beyond rounding: the kernel's products with the
    dual point read a full large-mean column centered (x_j.theta, theta summing to zero, lost
    log10(ratio) digits: gaps of -1e-6 at ratio 1e11 and -2e-3 at 1e13 were reported), and
    the multinomial fit converges as fast as on the unshifted column."""
    X0, X, _, y01 = shifted_problem(ratio, seed=4)
    y = y01.copy()
    alpha = 0.005
    if multinomial:
        y[X0[:, 3] > 0.5] = 2.0
        alpha = 0.03
    model = fit_quiet(SparseLogisticRegression(alpha=alpha, tol=1e-10), to_storage(X, storage), y)
    assert model.dual_gap_ >= -1e-12
    base = SparseLogisticRegression(alpha=alpha, tol=1e-10).fit(X0, y)
    if multinomial:   # the common class shift moved z by s x_ij: 5000 epochs at ratio 1e11
        assert model.n_iter_[0] <= 1.2 * base.n_iter_[0]
    # the data themselves carry 16 - log10(ratio) digits of the centered column
    rtol = max(1e-5, 1e-15 * ratio * 10)
    np.testing.assert_allclose(model.coef_, base.coef_, rtol=rtol, atol=rtol)


# --------------------------------------------------------------------------- empty columns


@pytest.mark.parametrize("seed", [31, 7, 123])
def test_empty_csr_columns_are_not_refused(seed):
    """Was a bug: the CSR column statistics read an uninitialised shift for columns with no
    stored value, so a problem with empty columns could be refused as 'overflowing' (or get
    garbage statistics) depending on what malloc returned (seed 31 failed every call).
    Every call must give the dense fit."""
    kw = solve_kwargs(seed, n=5, p=31, storage="csr", weights="random", selection="random",
                      alpha_frac=0.1, density=0.5)
    sols = []
    for size in range(4 * 31 * 8 - 80, 4 * 31 * 8 + 16, 8):
        # leave freed heap blocks of about the kernel's buffer size holding huge doubles
        # (0x7f7f... is 1.4e306), where the next malloc of that size is likely to land
        junk = [b"\x7f" * size for _ in range(4)]
        del junk
        sols.append(enet_solve(**kw, tol=1e-10))
    dense = enet_solve(**dict(kw, X=kw["X"].toarray()), tol=1e-10)
    for sol in sols:
        np.testing.assert_allclose(sol.coef, dense.coef, rtol=1e-6, atol=1e-9)
        assert sol.intercept == pytest.approx(dense.intercept, rel=1e-6, abs=1e-9)
