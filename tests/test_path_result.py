"""PathResult (what the path functions return) and the path kept by the CV estimators.

Every value is recomputed in NumPy: the deviance explained from the residuals (weights,
intercept), coef_at on the grid = coefs[:, k], predict = X @ coef + intercept, summary's Df =
the nonzeros.
"""

import pickle

import numpy as np
import pytest
import scipy.sparse as sp
from scipy.special import logsumexp

from conftest import make_regression, to_storage
from l1core import (ElasticNetCV, LassoCV, PathResult, SparseLogisticRegressionCV, enet_path,
                    lasso_path, logistic_path)


def _dense(coefs):
    return coefs.toarray() if sp.issparse(coefs) else np.asarray(coefs)


def _squared_deviance_ratio(X, y, coefs, intercepts, sw, fit_intercept):
    res = y[:, None] - X @ coefs - intercepts
    ybar = sw @ y / sw.sum() if fit_intercept else 0.0
    return 1.0 - (sw @ res**2) / (sw @ (y - ybar) ** 2)


def _binary(seed, n=80, p=10):
    rng = np.random.default_rng(seed)
    X = rng.standard_normal((n, p))
    y = (X[:, 0] - 2 * X[:, 1] + rng.standard_normal(n) > 0).astype(int)
    return X, y


# --------------------------------------------------------------------------- the tuple


def test_path_result_unpacks_exactly_as_scikit_learns_tuple():
    X, y, _ = make_regression(0)
    result = lasso_path(X, y, n_alphas=6)
    assert isinstance(result, tuple) and isinstance(result, PathResult) and len(result) == 3
    alphas, coefs, gaps = result
    assert coefs.shape == (12, 6) and alphas is result.alphas and gaps is result.dual_gaps
    assert len(enet_path(X, y, n_alphas=6, return_n_iter=True)) == 4
    assert len(enet_path(X, y, n_alphas=6, return_n_iter=True, return_intercept=True)) == 5
    _, _, _, intercepts = enet_path(X, y, n_alphas=6, return_intercept=True,
                                    fit_intercept=True)
    assert intercepts.shape == (6,)
    assert len(logistic_path(*_binary(1), n_alphas=4)) == 5
    back = pickle.loads(pickle.dumps(result))
    assert type(back) is PathResult and len(back) == 3
    np.testing.assert_array_equal(back.n_nonzero, result.n_nonzero)
    np.testing.assert_array_equal(back.deviance_explained, result.deviance_explained)
    assert repr(result).startswith("PathResult(n_alphas=6")


@pytest.mark.parametrize("storage", ["dense", "csc", "csr"])
@pytest.mark.parametrize("precompute", [False, True])
@pytest.mark.parametrize("weighted", [False, True])
@pytest.mark.parametrize("fit_intercept", [False, True])
def test_deviance_explained_is_recomputed_from_the_residuals(storage, precompute, weighted,
                                                              fit_intercept):
    X, y, _ = make_regression(2, n=50, p=15, density=0.6)
    rng = np.random.default_rng(3)
    sw = rng.integers(0, 3, size=50).astype(float) if weighted else np.ones(50)
    result = enet_path(to_storage(X, storage), y, l1_ratio=0.7, n_alphas=8, tol=1e-10,
                       sample_weight=sw if weighted else None, fit_intercept=fit_intercept,
                       precompute=precompute, return_intercept=True)
    expected = _squared_deviance_ratio(X, y, result.coefs, result.intercepts, sw,
                                       fit_intercept)
    np.testing.assert_allclose(result.deviance_explained, expected, rtol=0, atol=1e-9)
    assert result.deviance_explained[0] == pytest.approx(0.0, abs=1e-12)   # alpha_max: null
    assert np.all(np.diff(result.deviance_explained) >= -1e-9)


@pytest.mark.parametrize("fit_intercept", [False, True])
def test_logistic_deviance_explained_binary_and_multinomial(fit_intercept):
    X, y = _binary(4)
    sw = np.random.default_rng(5).uniform(0.5, 2.0, size=y.size)
    s = sw / sw.sum()
    result = logistic_path(X, y, n_alphas=6, eps=1e-2, tol=1e-10, sample_weight=sw,
                           fit_intercept=fit_intercept)
    z = X @ result.coefs + result.intercepts
    loss = s @ np.logaddexp(0.0, -np.where(y == 1, 1.0, -1.0)[:, None] * z)
    frac = s @ y
    null = (-(frac * np.log(frac) + (1 - frac) * np.log(1 - frac)) if fit_intercept
            else np.log(2.0))
    np.testing.assert_allclose(result.deviance_explained, 1.0 - loss / null, atol=1e-9)

    codes = np.digitize(X[:, 0] - X[:, 2], [-0.5, 0.5])
    multi = logistic_path(X, codes, n_alphas=5, eps=1e-2, tol=1e-10, multinomial=True,
                          fit_intercept=fit_intercept)
    Z = np.einsum("ij,kja->iak", X, multi.coefs) + multi.intercepts.T[None]
    loss = np.mean(logsumexp(Z, axis=2) - Z[np.arange(y.size), :, codes], axis=0)
    f = np.bincount(codes) / codes.size
    null = -f @ np.log(f) if fit_intercept else np.log(3.0)
    np.testing.assert_allclose(multi.deviance_explained, 1.0 - loss / null, atol=1e-9)
    np.testing.assert_array_equal(
        multi.n_nonzero, np.count_nonzero(np.any(multi.coefs != 0, axis=0), axis=0))


# --------------------------------------------------------------------------- per alpha


@pytest.mark.parametrize("sparse_coefs", [False, True])
def test_summary_coef_at_and_predict_match_numpy(sparse_coefs):
    X, y, _ = make_regression(6, n=40, p=20)
    result = enet_path(X, y, l1_ratio=0.9, n_alphas=7, fit_intercept=True,
                       sparse_coefs=sparse_coefs)
    coefs, b = _dense(result.coefs), result.intercepts
    nonzeros = np.count_nonzero(coefs, axis=0)
    np.testing.assert_array_equal(result.n_nonzero, nonzeros)
    rows = result.summary().splitlines()
    assert rows[0].split() == ["Df", "%Dev", "Lambda"] and len(rows) == 8
    for k, row in enumerate(rows[1:]):
        index, df, dev, alpha = row.split()
        assert int(index) == k + 1 and int(df) == nonzeros[k]
        assert float(dev) == pytest.approx(100 * result.deviance_explained[k], abs=0.006)
        assert float(alpha) == pytest.approx(result.alphas[k], rel=1e-4)
    for k in (0, 3, 6):
        np.testing.assert_array_equal(result.coef_at(result.alphas[k]), coefs[:, k])
        assert result.intercept_at(result.alphas[k]) == b[k]
    np.testing.assert_allclose(result.predict(X), X @ coefs + b, rtol=1e-12, atol=1e-12)
    np.testing.assert_allclose(result.predict(X, alpha=result.alphas[4]),
                               X @ coefs[:, 4] + b[4], rtol=1e-12, atol=1e-12)


def test_coef_at_between_grid_values_interpolates_linearly_in_alpha():
    X, y, _ = make_regression(7)
    result = lasso_path(X, y, n_alphas=5, fit_intercept=True)
    a0, a1 = result.alphas[1], result.alphas[2]
    alpha = 0.25 * a0 + 0.75 * a1
    coefs = result.coefs
    np.testing.assert_allclose(result.coef_at(alpha), 0.25 * coefs[:, 1] + 0.75 * coefs[:, 2],
                               rtol=1e-12, atol=1e-15)
    b = result.intercepts
    np.testing.assert_allclose(result.predict(X, alpha=alpha),
                               X @ result.coef_at(alpha) + 0.25 * b[1] + 0.75 * b[2],
                               rtol=1e-12, atol=1e-12)
    for outside in (2 * result.alphas[0], 0.5 * result.alphas[-1]):
        with pytest.raises(ValueError, match="outside the path's grid"):
            result.coef_at(outside)
    with pytest.raises(ValueError, match="features"):
        result.predict(X[:, :5])


@pytest.mark.parametrize("storage", ["dense_c", "csr", "csc"])
def test_predict_reads_float32_X_in_place(storage):
    X, y, _ = make_regression(8, n=60, p=30, density=0.5, dtype=np.float32)
    M = to_storage(X, storage, dtype=np.float32)
    result = lasso_path(M, y, n_alphas=6, fit_intercept=True)
    expected = X @ _dense(result.coefs).astype(np.float64) + result.intercepts
    got = result.predict(M)
    assert got.dtype == np.float64
    np.testing.assert_allclose(got, expected, rtol=1e-6, atol=1e-6)


def test_multinomial_coef_at_and_predict():
    X, _ = _binary(9)
    codes = np.digitize(X[:, 0] - X[:, 2], [-0.5, 0.5])
    dense = logistic_path(X, codes, n_alphas=4, eps=1e-2, multinomial=True)
    sparse = logistic_path(X, codes, n_alphas=4, eps=1e-2, multinomial=True,
                           sparse_coefs=True)
    for result in (dense, sparse):
        np.testing.assert_array_equal(result.coef_at(dense.alphas[2]), dense.coefs[:, :, 2])
        scores = result.predict(X)
        assert scores.shape == (X.shape[0], 3, 4)
        expected = np.einsum("ij,kja->ika", X, dense.coefs) + dense.intercepts[None]
        np.testing.assert_allclose(scores, expected, rtol=1e-12, atol=1e-12)
        np.testing.assert_allclose(result.predict(X, alpha=dense.alphas[1]),
                                   expected[:, :, 1], rtol=1e-12, atol=1e-12)


# --------------------------------------------------------------------------- CV keeps it


@pytest.mark.parametrize("storage", ["dense", "csr"])
def test_lasso_cv_keeps_the_full_data_path(storage):
    X, y, _ = make_regression(10, n=60, p=25)
    M = to_storage(X, storage)
    cv = LassoCV(cv=3, n_alphas=12, tol=1e-10).fit(M, y)
    path = cv.path_
    assert sp.issparse(path.coefs) and path.coefs.shape == (25, 12)
    np.testing.assert_array_equal(path.alphas, cv.alphas_)
    reference = lasso_path(X, y, alphas=cv.alphas_, fit_intercept=True, tol=1e-10,
                           return_intercept=True)
    np.testing.assert_allclose(path.coefs.toarray(), reference.coefs, rtol=0, atol=1e-6)
    k_min = int(np.flatnonzero(cv.alphas_ == cv.alpha_min_)[0])
    k_1se = int(np.flatnonzero(cv.alphas_ == cv.alpha_1se_)[0])
    coefs = path.coefs.toarray()
    np.testing.assert_array_equal(cv.coef_at("min"), coefs[:, k_min])
    np.testing.assert_array_equal(cv.coef_at("1se"), coefs[:, k_1se])
    np.testing.assert_allclose(cv.coef_at("min"), cv.coef_, rtol=0, atol=1e-6)  # the refit
    np.testing.assert_allclose(cv.predict(M, alpha="1se"),
                               X @ coefs[:, k_1se] + path.intercepts[k_1se], rtol=1e-12,
                               atol=1e-12)
    mid = 0.5 * (cv.alphas_[3] + cv.alphas_[4])
    np.testing.assert_allclose(cv.predict(M, alpha=mid),
                               X @ cv.coef_at(mid) + path.intercept_at(mid), rtol=1e-12,
                               atol=1e-12)
    np.testing.assert_allclose(cv.predict(M), X @ cv.coef_ + cv.intercept_, rtol=1e-12)
    with pytest.raises(ValueError, match="'min' or '1se'"):
        cv.predict(M, alpha="best")
    off = LassoCV(cv=3, n_alphas=12, keep_path=False).fit(M, y)
    assert off.path_ is None
    with pytest.raises(ValueError, match="keep_path=False"):
        off.coef_at("min")
    np.testing.assert_array_equal(off.coef_, LassoCV(cv=3, n_alphas=12).fit(M, y).coef_)


def test_elastic_net_cv_path_is_at_the_chosen_l1_ratio():
    X, y, _ = make_regression(11, n=60, p=20)
    cv = ElasticNetCV(l1_ratio=[0.3, 0.9], cv=3, n_alphas=8).fit(X, y)
    i = [0.3, 0.9].index(cv.l1_ratio_)
    np.testing.assert_array_equal(cv.path_.alphas, cv.alphas_[i])
    reference = enet_path(X, y, l1_ratio=cv.l1_ratio_, alphas=cv.alphas_[i],
                          fit_intercept=True)
    np.testing.assert_allclose(cv.path_.coefs.toarray(), reference.coefs, atol=1e-5)


@pytest.mark.parametrize("multi_class", ["auto", "ovr"])
def test_logistic_cv_keeps_the_full_data_path(multi_class):
    X, y = _binary(12, n=90)
    if multi_class == "ovr":
        y = np.digitize(X[:, 0] - X[:, 2], [-0.5, 0.5])
    cv = SparseLogisticRegressionCV(cv=3, n_alphas=6, eps=1e-2, tol=1e-8,
                                    multi_class=multi_class).fit(X, y)
    coef = cv.coef_at("min")
    np.testing.assert_allclose(coef.reshape(cv.coef_.shape), cv.coef_, atol=1e-4)
    if multi_class == "ovr":
        intercepts = np.array([path.intercept_at(cv.alpha_1se_) for path in cv.path_])
    else:
        intercepts = cv.path_.intercept_at(cv.alpha_1se_)
    scores = X @ cv.coef_at("1se").T + intercepts
    np.testing.assert_allclose(cv.decision_function(X, alpha="1se"), scores, rtol=1e-12,
                               atol=1e-12)
    labels = cv.predict(X, alpha="1se")
    expected = (cv.classes_[(scores > 0).astype(int)] if scores.ndim == 1
                else cv.classes_[np.argmax(scores, axis=1)])
    np.testing.assert_array_equal(labels, expected)
    proba = cv.predict_proba(X, alpha="min")
    np.testing.assert_allclose(proba.sum(axis=1), 1.0)
    np.testing.assert_allclose(proba, cv.predict_proba(X), atol=1e-3)
