"""The adaptive Lasso (l1core.variants.adaptive): weights, certificate, Zou's example.

Every weighted solve is checked against the NumPy reference of design.md section 2
(``_reference``: the weighted Lasso's primal, dual point and gap, KKT) and against
scikit-learn's Lasso on the rescaled design ``X_j / v_j`` (the same problem in ``b_j v_j``).
"""

import warnings

import numpy as np
import pytest
import scipy.sparse as sp

import _reference as ref
from _sklearn_checks import assert_check_estimator_passes
from conftest import make_regression, to_storage
from l1core import lasso_path
from l1core.variants import (AdaptiveElasticNet, AdaptiveLasso, AdaptiveLassoCV,
                             AdaptiveLogisticRegression)
from l1core.variants._initial import adaptive_weights, initial_coef, penalty_arrays
from l1core.variants._ridge import least_squares_coef, ridge_coef


def _zou_design(seed, n=300, sigma=3.0):
    """Zou (2006), section 2 (the Lasso's inconsistency example): p = 4, corr(x_j, x_k) =
    -0.39 among the first three, 0.23 with the fourth, beta = (5.6, 5.6, 5.6, 0)."""
    C = np.full((4, 4), -0.39)
    C[:, 3] = C[3, :] = 0.23
    np.fill_diagonal(C, 1.0)
    rng = np.random.default_rng(seed)
    X = rng.standard_normal((n, 4)) @ np.linalg.cholesky(C).T
    beta = np.array([5.6, 5.6, 5.6, 0.0])
    return X, X @ beta + sigma * rng.standard_normal(n), beta


def _path_finds(coefs, support):
    return any(np.array_equal(coefs[:, k] != 0, support) for k in range(coefs.shape[1]))


def test_zou_example_adaptive_path_recovers_support_where_lasso_fails():
    """Zou's example violates the irrepresentable condition: the Lasso path contains the true
    support with probability bounded away from 1 however large n is. Measured over 100
    seeds (n=300, sigma=3, 100 alphas down to 1e-4 alpha_max): Lasso path 45/100, adaptive
    Lasso path (gamma=1, OLS init) 100/100 (n=100: 55 vs 98; n=1000: 44 vs 100)."""
    hits = {"lasso": 0, "adaptive": 0}
    for seed in range(100):
        X, y, beta = _zou_design(seed)
        support = beta != 0
        coefs = lasso_path(X, y, fit_intercept=True, eps=1e-4).coefs
        hits["lasso"] += _path_finds(coefs, support)
        weights = adaptive_weights(least_squares_coef(X, y, np.ones(len(y)), True), 1.0, 0.0)
        coefs = lasso_path(X, y, fit_intercept=True, eps=1e-4, penalty_factor=weights).coefs
        hits["adaptive"] += _path_finds(coefs, support)
    assert hits["adaptive"] >= 95
    assert hits["lasso"] <= 65
    # and one estimator on that path selects exactly the support at a moderate alpha
    X, y, beta = _zou_design(0)
    model = AdaptiveLasso(alpha=0.5, init="ols").fit(X, y)
    np.testing.assert_array_equal(model.coef_ != 0, beta != 0)


@pytest.mark.parametrize("storage", ["dense", "csc", "csr"])
@pytest.mark.parametrize("weighted", [False, True])
def test_weighted_lasso_certificate_recomputed(storage, weighted):
    X, y, _ = make_regression(3, n=50, p=15, density=0.6)
    sw = np.random.default_rng(1).uniform(0.2, 2.0, 50) if weighted else None
    init = np.linspace(-2, 2, 15)
    init[[3, 7]] = 0.0                                     # infinite weights: excluded
    model = AdaptiveLasso(alpha=0.05, init=init, gamma=1.5, tol=1e-10).fit(
        to_storage(X, storage), y, sample_weight=sw)
    assert np.all(model.coef_[[3, 7]] == 0) and np.isinf(model.weights_[[3, 7]]).all()
    factor, lower, upper = penalty_arrays(model.weights_)
    pb = ref.make_problem(X, y, alpha=0.05, sample_weight=sw, penalty_factor=factor,
                          lower_bounds=lower, upper_bounds=upper)
    gap = ref.duality_gap(pb, model.coef_, model.intercept_)
    assert -1e-12 <= gap <= pb.gap_tol(1e-10) + 1e-14
    assert model.dual_gap_ >= gap - 1e-12
    assert np.max(ref.kkt_violation(pb, model.coef_, model.intercept_)) < 1e-5
    np.testing.assert_allclose(model.weights_[factor != 1.0],
                               np.abs(init[factor != 1.0]) ** -1.5)


def test_matches_sklearn_lasso_on_rescaled_columns():
    from sklearn.linear_model import Lasso as SkLasso

    X, y, _ = make_regression(5, n=60, p=10)
    model = AdaptiveLasso(alpha=0.02, tol=1e-12, max_iter=100_000).fit(X, y)
    keep = np.isfinite(model.weights_)
    sk = SkLasso(alpha=0.02, tol=1e-12, max_iter=100_000).fit(X[:, keep] / model.weights_[keep],
                                                              y)
    np.testing.assert_allclose(model.coef_[keep], sk.coef_ / model.weights_[keep],
                               rtol=1e-7, atol=1e-9)
    assert abs(model.intercept_ - sk.intercept_) < 1e-7


def test_float32_matches_float64():
    X, y, _ = make_regression(6, n=50, p=12)
    m64 = AdaptiveLasso(alpha=0.05, tol=1e-8).fit(X, y)
    m32 = AdaptiveLasso(alpha=0.05, tol=1e-8).fit(X.astype(np.float32), y)
    assert m32.coef_.dtype == np.float32
    np.testing.assert_allclose(m32.coef_, m64.coef_, atol=2e-3 * np.abs(m64.coef_).max())


@pytest.mark.parametrize("storage", ["dense", "csr"])
@pytest.mark.parametrize("shape", [(40, 10), (15, 30)])
def test_ridge_init_matches_sklearn_ridge(storage, shape):
    from sklearn.linear_model import Ridge

    n, p = shape
    rng = np.random.default_rng(2)
    X = rng.standard_normal((n, p)) + 1.0
    y = X[:, 0] - 2 * X[:, 1] + rng.standard_normal(n)
    sw = rng.uniform(0.5, 2.0, n)
    coef, _ = ridge_coef(to_storage(X, storage), y, sw, True, lam=0.7)
    sk = Ridge(alpha=0.7, solver="svd").fit(X, y, sample_weight=sw)
    np.testing.assert_allclose(coef, sk.coef_, rtol=1e-8, atol=1e-10)
    # zero weights are dropped rows exactly (what the CV folds rely on)
    train = np.arange(n) % 3 != 0
    fold, lam = ridge_coef(X, y, sw * train, True)
    alone, lam_alone = ridge_coef(X[train], y[train], sw[train], True)
    assert lam == pytest.approx(lam_alone, rel=1e-10)
    np.testing.assert_allclose(fold, alone, rtol=1e-8, atol=1e-10)


def test_ols_init_is_least_squares_and_refused_when_wide():
    X, y, _ = make_regression(7, n=30, p=5)
    ls = np.linalg.lstsq(np.column_stack([X, np.ones(30)]), y, rcond=None)[0][:5]
    np.testing.assert_allclose(least_squares_coef(X, y, np.ones(30), True), ls, rtol=1e-9)
    Xw, yw, _ = make_regression(7, n=20, p=30)
    with pytest.raises(ValueError, match="fewer features than samples"):
        AdaptiveLasso(init="ols").fit(Xw, yw)
    with pytest.raises(ValueError, match="rank deficient"):
        AdaptiveLasso(init="ols").fit(np.column_stack([X, X[:, 0]]), y)
    AdaptiveLasso().fit(Xw, yw)                  # the default ridge is defined for p > n


def test_reweighting_is_repeated_weighted_lasso():
    """Candes, Wakin & Boyd (2008): round k+1 is the weighted Lasso with weights from round
    k's solution."""
    X, y, _ = make_regression(8, n=50, p=12)
    kw = dict(alpha=0.05, weight_eps=0.1, tol=1e-10)
    one = AdaptiveLasso(**kw).fit(X, y)
    two = AdaptiveLasso(n_reweight=1, **kw).fit(X, y)
    manual = AdaptiveLasso(init=one.coef_.astype(np.float64), **kw).fit(X, y)
    np.testing.assert_allclose(two.coef_, manual.coef_, atol=1e-7)
    np.testing.assert_allclose(two.weights_, (np.abs(one.coef_) + 0.1) ** -1.0, rtol=1e-6)
    assert np.isfinite(two.weights_).all()      # eps > 0 keeps every feature


def test_elastic_net_and_logistic_counterparts_certified():
    from _logistic_reference import binary_gap

    X, y, _ = make_regression(9, n=60, p=10)
    enet = AdaptiveElasticNet(alpha=0.05, l1_ratio=0.5, tol=1e-10).fit(X, y)
    factor, lower, upper = penalty_arrays(enet.weights_)
    pb = ref.make_problem(X, y, alpha=0.05, l1_ratio=0.5, penalty_factor=factor,
                          lower_bounds=lower, upper_bounds=upper)
    assert -1e-12 <= ref.duality_gap(pb, enet.coef_, enet.intercept_) <= pb.gap_tol(1e-9)

    labels = (y > np.median(y)).astype(int)
    init = np.linspace(-1, 1, 10)
    init[2] = 0.0
    clf = AdaptiveLogisticRegression(alpha=0.01, init=init, tol=1e-10).fit(X, labels)
    assert clf.coef_[0, 2] == 0
    factor, lower, upper = penalty_arrays(clf.weights_)
    gap, _ = binary_gap(X, labels.astype(float), clf.coef_[0], clf.intercept_[0],
                        np.ones(60), 0.01 * factor, 0.0 * factor, lower, upper)
    assert -1e-12 <= gap <= 1e-8
    assert clf.dual_gap_ >= gap - 1e-12


class _SpyRidge:
    """An init estimator recording the rows (their first column, a row id) it is fitted on."""

    fitted_rows = []

    def __init__(self, alpha=1.0):
        self.alpha = alpha

    def get_params(self, deep=False):
        return {"alpha": self.alpha}

    def fit(self, X, y, sample_weight=None):
        _SpyRidge.fitted_rows.append(np.asarray(X)[:, 0].astype(int))
        self.coef_ = ridge_coef(np.asarray(X)[:, 1:], y, np.ones(len(y)), True,
                                self.alpha)[0]
        self.coef_ = np.concatenate([[0.0], self.coef_])       # the id column: excluded
        return self


def test_cv_folds_never_see_held_out_rows():
    X, y, _ = make_regression(10, n=45, p=8)
    ids = np.arange(45.0)
    Xid = np.column_stack([ids, X])
    _SpyRidge.fitted_rows.clear()
    cv = AdaptiveLassoCV(init=_SpyRidge(), cv=3, n_alphas=8).fit(Xid, y)
    folds = [np.arange(k * 15, (k + 1) * 15) for k in range(3)]
    full, *fold_rows = _SpyRidge.fitted_rows
    np.testing.assert_array_equal(full, ids)                   # the refit's b_init
    assert len(fold_rows) == 3
    for rows, test in zip(fold_rows, folds):
        assert np.intersect1d(rows, test).size == 0
        np.testing.assert_array_equal(np.sort(rows), np.setdiff1d(ids, test))
    assert cv.coef_[0] == 0 and np.isinf(cv.weights_[0])


def test_cv_fold_errors_are_those_of_the_fold_alone():
    """mse_path_ of fold k: ridge b_init on the training rows, the weighted path there, the
    held-out error; the built-in init reads the fold through weights, never the test rows."""
    X, y, _ = make_regression(11, n=60, p=10)
    cv = AdaptiveLassoCV(gammas=[1.0, 2.0], cv=3, n_alphas=10, tol=1e-10).fit(X, y)
    test = np.arange(20, 40)
    train = np.setdiff1d(np.arange(60), test)
    for g, gamma in enumerate([1.0, 2.0]):
        b = ridge_coef(X[train], y[train], np.ones(40), True)[0]
        path = lasso_path(X[train], y[train], alphas=cv.alphas_[g], fit_intercept=True,
                          penalty_factor=adaptive_weights(b, gamma, 0.0), tol=1e-12,
                          return_intercept=True)
        pred = X[test] @ path.coefs + path.intercepts
        mse = np.mean((pred - y[test, None]) ** 2, axis=0)
        np.testing.assert_allclose(cv.mse_path_[g, :, 1], mse, rtol=1e-6)
    assert cv.gamma_ in (1.0, 2.0)
    assert cv.alpha_1se_ >= cv.alpha_min_
    assert cv.mse_path_.shape == (2, 10, 3) and cv.alphas_.shape == (2, 10)
    one_se = AdaptiveLassoCV(gammas=[1.0, 2.0], cv=3, n_alphas=10, refit_alpha="1se").fit(X, y)
    assert one_se.alpha_ == one_se.alpha_1se_
    assert np.count_nonzero(one_se.coef_) <= np.count_nonzero(cv.coef_)


@pytest.mark.parametrize("params, error", [
    (dict(gamma=0.0), ValueError), (dict(gamma="a"), TypeError),
    (dict(weight_eps=-1.0), ValueError), (dict(n_reweight=1.5), TypeError),
    (dict(n_reweight=-1), ValueError), (dict(init="lasso"), ValueError),
    (dict(init=np.ones(3)), ValueError), (dict(init=np.full(5, np.nan)), ValueError)])
def test_bad_parameters_raise(params, error):
    X, y, _ = make_regression(12, n=20, p=5)
    with pytest.raises(error):
        AdaptiveLasso(**params).fit(X, y)


def test_user_arrays_not_modified():
    X, y, _ = make_regression(13, n=30, p=6)
    init = np.ones(6)
    copies = X.copy(), y.copy(), init.copy()
    AdaptiveLasso(init=init, n_reweight=1).fit(X, y)
    AdaptiveLassoCV(cv=3, n_alphas=5).fit(X, y)
    for a, b in zip((X, y, init), copies):
        np.testing.assert_array_equal(a, b)


def test_initial_coef_of_multiclass_takes_largest_class_coefficient():
    X, y, _ = make_regression(14, n=90, p=6)
    labels = np.digitize(y, np.quantile(y, [1 / 3, 2 / 3]))
    b = initial_coef("ridge", X, labels, np.ones(90), None, fit_intercept=True,
                     loss="logistic")
    from l1core import SparseLogisticRegression
    W = SparseLogisticRegression(l1_ratio=0.0).fit(X, labels).coef_
    np.testing.assert_allclose(b, np.abs(W).max(axis=0))
    AdaptiveLogisticRegression(alpha=0.01).fit(X, labels).predict_proba(X[:2])


ESTIMATORS = [AdaptiveLasso(), AdaptiveElasticNet(), AdaptiveLogisticRegression(),
              AdaptiveLassoCV(cv=3, n_alphas=5, gammas=(1.0,))]


@pytest.mark.parametrize("est", ESTIMATORS, ids=lambda e: type(e).__name__)
def test_check_estimator(est):
    assert_check_estimator_passes(est)


@pytest.mark.parametrize("storage", ["dense", "csc"])
@pytest.mark.parametrize("shape", [(40, 10), (15, 30)])
def test_fixed_init_alpha_ridge_by_lsqr_matches_sklearn(storage, shape):
    from sklearn.linear_model import Ridge

    from l1core.variants._ridge import ridge_coef_iterative

    n, p = shape
    rng = np.random.default_rng(3)
    X = rng.standard_normal((n, p)) + 1.0
    y = X[:, 0] - X[:, 2] + rng.standard_normal(n)
    sw = rng.uniform(0.5, 2.0, n)
    coef = ridge_coef_iterative(to_storage(X, storage), y, sw, True, 0.7)
    sk = Ridge(alpha=0.7, solver="svd").fit(X, y, sample_weight=sw)
    np.testing.assert_allclose(coef, sk.coef_, rtol=1e-7, atol=1e-9)
    model = AdaptiveLasso(alpha=0.05, init_alpha=0.7).fit(X, y, sample_weight=sw)
    np.testing.assert_allclose(model.init_coef_, sk.coef_, rtol=1e-7, atol=1e-9)
    cv = AdaptiveLassoCV(init_alpha=0.7, cv=3, n_alphas=5, gammas=(1.0,)).fit(X, y)
    assert cv.gamma_ == 1.0
    with pytest.raises(ValueError):
        AdaptiveLasso(init_alpha=0.0).fit(X, y)
