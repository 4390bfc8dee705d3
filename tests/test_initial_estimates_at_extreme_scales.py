"""The initial estimates of the adaptive Lasso and the prior models of the prior Lasso
(l1core.variants._ridge) stay accurate where implicit centering cancels: columns of large
mean and small spread (timestamps, prices) on every storage, for ridge by eigendecomposition,
ridge by LSQR, least squares and both Gram shapes (p <= n and p > n); least squares judges
rank on unit-norm columns, so columns in units 1e-6..1e6 are accepted and solved.

Found while writing tests/test_fuzz_variants.py: with a column 1e8 + z, the ridge initial
estimate was off by 30 (its Gram X^T W X - S xbar xbar^T cancelled), least squares was
refused as rank deficient, as it was for full-rank columns scaled 1e-6..1e6."""

import numpy as np
import pytest

from conftest import to_storage
from l1core import AdaptiveLasso, PriorLasso
from l1core.variants._ridge import least_squares_coef, ridge_coef, ridge_coef_iterative

sklm = pytest.importorskip("sklearn.linear_model")

STORAGES = ["dense", "csc", "csr"]


def problem(n, p, offset, seed=0):
    rng = np.random.default_rng(seed)
    Z = rng.standard_normal((n, p))
    y = Z[:, :4] @ np.array([1.0, -2.0, 0.5, 3.0]) + 0.1 * rng.standard_normal(n)
    X = Z.copy()
    X[:, 0] += offset                   # a timestamp-like column
    X[:, 3] += -offset / 3
    return X, y, rng.uniform(0.5, 2.0, n)


@pytest.mark.parametrize("storage", STORAGES)
@pytest.mark.parametrize("shape", [(50, 6), (20, 40)])
@pytest.mark.parametrize("offset", [1e6, 1e9])
def test_ridge_with_large_column_means_matches_sklearn(storage, shape, offset):
    X, y, sw = problem(*shape, offset)
    ref = sklm.Ridge(alpha=0.7, solver="svd").fit(X, y, sample_weight=sw).coef_
    M = to_storage(X, storage)
    scale = np.abs(ref).max()
    np.testing.assert_allclose(ridge_coef(M, y, sw, True, lam=0.7)[0], ref, atol=1e-9 * scale)
    np.testing.assert_allclose(ridge_coef_iterative(M, y, sw, True, 0.7), ref,
                               atol=1e-8 * scale)


@pytest.mark.parametrize("storage", STORAGES)
@pytest.mark.parametrize("offset", [0.0, 1e6, 1e9])
def test_least_squares_with_large_column_means(storage, offset):
    X, y, sw = problem(50, 6, offset)
    ref = sklm.LinearRegression().fit(X, y, sample_weight=sw).coef_
    coef = least_squares_coef(to_storage(X, storage), y, sw, True)
    np.testing.assert_allclose(coef, ref, atol=1e-9 * np.abs(ref).max())
    model = AdaptiveLasso(alpha=0.01, init="ols").fit(to_storage(X, storage), y,
                                                       sample_weight=sw)
    np.testing.assert_allclose(model.init_coef_, ref, atol=1e-9 * np.abs(ref).max())


@pytest.mark.parametrize("storage", STORAGES)
def test_least_squares_is_unit_free(storage):
    X, y, sw = problem(50, 5, 0.0)
    units = 10.0 ** np.array([-6.0, -3.0, 0.0, 3.0, 6.0])
    ref = sklm.LinearRegression().fit(X, y, sample_weight=sw).coef_
    coef = least_squares_coef(to_storage(X * units, storage), y, sw, True)
    np.testing.assert_allclose(coef * units, ref, rtol=1e-9, atol=1e-12)
    collinear = np.column_stack([X, 2.0 * X[:, 1]]) * np.append(units, 1.0)
    with pytest.raises(ValueError, match="rank deficient"):
        least_squares_coef(to_storage(collinear, storage), y, sw, True)


@pytest.mark.parametrize("storage", STORAGES)
def test_prior_from_features_with_large_means(storage):
    X, y, sw = problem(50, 8, 1e9)
    feats = [0, 1, 3]
    coef = sklm.LinearRegression().fit(X[:, feats], y, sample_weight=sw).coef_
    XF = X[:, feats]
    ref = (XF - sw @ XF / sw.sum()) @ coef + sw @ y / sw.sum()   # no cancellation
    model = PriorLasso(alpha=0.01, prior_features=feats).fit(to_storage(X, storage), y,
                                                             sample_weight=sw)
    np.testing.assert_allclose(model.prior_, ref, atol=1e-8 * np.abs(ref).max())
