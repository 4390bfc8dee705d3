"""glmnet's standardize: a fit with standardize=True is the fit of the explicitly
standardized X (NumPy-scaled) with its coefficients divided by the scales, for dense / CSC /
CSR, float32 / float64, with and without intercept and weights; its duality gap certifies
the standardized problem (recomputed in NumPy); constant columns get 0."""

import numpy as np
import pytest
import scipy.sparse as sp
from sklearn import linear_model as sk

import _reference as ref
from conftest import to_storage
from l1core import (ElasticNet, Lasso, LassoCV, ElasticNetCV, SparseLogisticRegression,
                    SparseLogisticRegressionCV, enet_path, lasso_path, logistic_path)
from l1core._standardize import column_scales


def data(seed=0, n=70, p=15, density=0.7):
    """Columns of very different scales and means, one constant, sparse structure."""
    rng = np.random.default_rng(seed)
    X = rng.standard_normal((n, p)) * rng.uniform(0.01, 50, p) + rng.uniform(-5, 5, p)
    X[rng.random((n, p)) > density] = 0.0
    X[:, 3] = 2.5                               # constant (a nonzero mean: intercept only)
    w = np.zeros(p)
    signal = [0, 1, 2, 4, 5]
    w[signal] = rng.standard_normal(5) / np.std(X[:, signal], axis=0)
    y = X @ w + rng.standard_normal(n) + 1.0
    return X, y, rng.uniform(0.2, 3.0, n)


def scales(X, s, fit_intercept):
    """glmnet's scales in NumPy: weighted sd, 1/S divisor (root mean square without
    intercept); 1 for constant columns."""
    sw = s / s.sum()
    xbar = sw @ X if fit_intercept else np.zeros(X.shape[1])
    d = np.sqrt(sw @ (X - xbar) ** 2)
    return np.where(d > 1e-12 * (1 + np.abs(xbar)), d, 1.0)


CASES = [(storage, dtype, fit_intercept, weighted)
         for storage in ("dense", "csc", "csr") for dtype in (np.float64, np.float32)
         for fit_intercept in (True, False) for weighted in (True, False)]


@pytest.mark.parametrize("storage, dtype, fit_intercept, weighted", CASES)
@pytest.mark.parametrize("l1_ratio", [1.0, 0.5])
def test_standardized_fit_is_the_fit_of_scaled_X(storage, dtype, fit_intercept, weighted,
                                                 l1_ratio):
    Xd, y, s = data()
    Xd = Xd.astype(dtype).astype(np.float64)
    s = s if weighted else np.ones(len(y))
    X = to_storage(Xd, storage, dtype=dtype)
    before = X.copy()
    d = scales(Xd, s, fit_intercept)
    alpha, tol = 0.05, 1e-12
    model = ElasticNet(alpha=alpha, l1_ratio=l1_ratio, standardize=True, tol=tol,
                       max_iter=100_000, fit_intercept=fit_intercept).fit(
        X, y, sample_weight=s if weighted else None)
    # the certificate: the standardized problem's gap at u = d * coef, in NumPy
    pb = ref.make_problem(Xd / d, y, alpha=alpha, l1_ratio=l1_ratio, sample_weight=s,
                          fit_intercept=fit_intercept)
    u = d * model.coef_.astype(np.float64)
    rounding = 1e-6 if dtype == np.float32 else 0.0
    assert ref.duality_gap(pb, u, model.intercept_) <= pb.gap_tol(tol) * 1.01 + rounding
    assert model.dual_gap_ <= pb.gap_tol(tol) * 1.01
    # the explicitly standardized fit (scikit-learn), coefficients rescaled
    theirs = sk.ElasticNet(alpha=alpha, l1_ratio=l1_ratio, tol=1e-14, max_iter=1_000_000,
                           fit_intercept=fit_intercept).fit(Xd / d, y, sample_weight=s)
    gap_bound = np.sqrt(2 * pb.gap_tol(tol) / max(alpha * (1 - l1_ratio), 1e-300))
    atol = 1e-4 if dtype == np.float32 else (1e-7 if l1_ratio == 1 else 2 * gap_bound + 1e-7)
    np.testing.assert_allclose(u, theirs.coef_, atol=atol)
    assert ref.primal(pb, u, model.intercept_) <= ref.primal(pb, theirs.coef_,
                                                             theirs.intercept_) + 1e-9
    if fit_intercept:
        assert model.coef_[3] == 0.0                 # the constant column
    assert model.coef_.dtype == dtype
    # X untouched
    if sp.issparse(X):
        np.testing.assert_array_equal(X.toarray(), before.toarray())
    else:
        np.testing.assert_array_equal(X, before)


def test_standardize_changes_the_answer_and_default_is_off():
    Xd, y, _ = data(1)
    plain = Lasso(alpha=0.1).fit(Xd, y)
    std = Lasso(alpha=0.1, standardize=True).fit(Xd, y)
    assert Lasso().standardize is False
    assert np.max(np.abs(plain.coef_ - std.coef_)) > 1e-3


def test_scales_match_numpy_for_every_storage():
    Xd, _, s = data(2)
    for fit_intercept in (True, False):
        expected = scales(Xd, s, fit_intercept)
        for storage in ("dense", "csc", "csr"):
            d, constant = column_scales(to_storage(Xd, storage), s / s.sum(), fit_intercept)
            np.testing.assert_allclose(d, expected, rtol=1e-12)
            assert constant[3] == fit_intercept


def test_bounds_apply_to_the_original_coefficients():
    Xd, y, _ = data(3)
    model = Lasso(alpha=0.01, standardize=True, positive=True, upper_bounds=0.5).fit(Xd, y)
    assert model.coef_.min() >= 0.0 and model.coef_.max() <= 0.5
    assert np.any(model.coef_ == 0.5) or np.any(model.coef_ > 0)


@pytest.mark.parametrize("storage", ["dense", "csc"])
def test_standardized_path_is_the_path_of_scaled_X(storage):
    Xd, y, s = data(4)
    d = scales(Xd, s, True)
    ours = enet_path(to_storage(Xd, storage), y, l1_ratio=0.8, standardize=True, n_alphas=15,
                     fit_intercept=True, sample_weight=s, tol=1e-12, max_iter=100_000,
                     return_intercept=True)
    theirs = enet_path(Xd / d, y, l1_ratio=0.8, n_alphas=15, fit_intercept=True,
                       sample_weight=s, tol=1e-12, max_iter=100_000, return_intercept=True)
    np.testing.assert_allclose(ours.alphas, theirs.alphas, rtol=1e-10)
    np.testing.assert_allclose(ours.coefs * d[:, None], theirs.coefs, atol=1e-5)
    np.testing.assert_allclose(ours.intercepts, theirs.intercepts, atol=1e-5)
    lasso = lasso_path(Xd, y, standardize=True, n_alphas=5, fit_intercept=True)
    assert np.all(lasso.coefs[3] == 0)


@pytest.mark.parametrize("storage", ["dense", "csr"])
@pytest.mark.parametrize("l1_ratio", [1.0, 0.6])
def test_standardized_logistic_is_the_fit_of_scaled_X(storage, l1_ratio):
    Xd, y, s = data(5, n=120)
    labels = (y > np.median(y)).astype(int)
    d = scales(Xd, s, True)
    kw = dict(alpha=0.02, l1_ratio=l1_ratio, tol=1e-12, max_iter=100_000)
    ours = SparseLogisticRegression(standardize=True, **kw).fit(
        to_storage(Xd, storage), labels, sample_weight=s)
    theirs = SparseLogisticRegression(**kw).fit(Xd / d, labels, sample_weight=s)
    np.testing.assert_allclose(ours.coef_[0] * d, theirs.coef_[0], atol=1e-6)
    np.testing.assert_allclose(ours.intercept_, theirs.intercept_, atol=1e-6)
    assert ours.coef_[0, 3] == 0.0
    path = logistic_path(Xd, labels, standardize=True, n_alphas=6, sample_weight=s)
    ref_path = logistic_path(Xd / d, labels, n_alphas=6, sample_weight=s)
    np.testing.assert_allclose(path.alphas, ref_path.alphas, rtol=1e-10)


def test_standardized_cv_refits_with_the_chosen_alpha():
    Xd, y, s = data(6, n=90)
    d = scales(Xd, s, True)
    cv = LassoCV(standardize=True, cv=3, n_alphas=20).fit(Xd, y, sample_weight=s)
    ref_cv = LassoCV(cv=3, n_alphas=20).fit(Xd / d, y, sample_weight=s)
    np.testing.assert_allclose(cv.alphas_, ref_cv.alphas_, rtol=1e-10)  # the same grid
    refit = Lasso(alpha=cv.alpha_, standardize=True).fit(Xd, y, sample_weight=s)
    np.testing.assert_allclose(cv.coef_, refit.coef_, atol=1e-10)
    enet = ElasticNetCV(l1_ratio=[0.5, 1.0], standardize=True, cv=3, n_alphas=10).fit(Xd, y)
    assert enet.coef_[3] == 0.0
    labels = y > np.median(y)
    lcv = SparseLogisticRegressionCV(standardize=True, cv=3, n_alphas=10).fit(Xd, labels)
    assert lcv.coef_[0, 3] == 0.0 and np.all(np.isfinite(lcv.scores_path_))
