"""Multi-output y for Lasso / ElasticNet: a 2-D y (n, T) is T independent problems.

Each target's solution is certified by the NumPy duality gap of its own problem, equals the
fit of that column alone, is the same for dense, CSC and CSR X and for threads, and matches
scikit-learn's Lasso on the same 2-D y. CV and path functions refuse a 2-D y (scikit-learn's
LassoCV does; its enet_path with 2-D y is the multi-task problem, not T problems).
"""

import warnings

import numpy as np
import pytest
import scipy.sparse as sp

import _reference as ref
from conftest import STORAGES, check_certified, to_storage
from l1core import ElasticNet, ElasticNetCV, Lasso, LassoCV, enet_path, lasso_path


def _data(seed=0, n=60, p=25, T=3):
    rng = np.random.default_rng(seed)
    X = rng.standard_normal((n, p))
    X[rng.random((n, p)) < 0.4] = 0.0
    W = np.zeros((p, T))
    W[:5] = rng.standard_normal((5, T))
    Y = X @ W + 0.3 * rng.standard_normal((n, T)) + np.arange(T)
    return X, Y


@pytest.mark.parametrize("storage", STORAGES)
@pytest.mark.parametrize("Est, kw", [(Lasso, {}), (ElasticNet, {"l1_ratio": 0.6})])
def test_equals_separate_fits_and_certified(storage, Est, kw):
    X, Y = _data()
    Xs = to_storage(X, storage)
    s = np.random.default_rng(1).uniform(0.5, 2.0, X.shape[0])
    model = Est(alpha=0.05, tol=1e-10, **kw).fit(Xs, Y, sample_weight=s)
    T = Y.shape[1]
    assert model.coef_.shape == (T, X.shape[1])
    assert model.intercept_.shape == (T,) and model.dual_gap_.shape == (T,)
    assert len(model.n_iter_) == T
    for t in range(T):
        one = Est(alpha=0.05, tol=1e-10, **kw).fit(Xs, Y[:, t], sample_weight=s)
        np.testing.assert_allclose(model.coef_[t], one.coef_, rtol=0, atol=1e-10)
        assert abs(model.intercept_[t] - one.intercept_) <= 1e-10
        pb = ref.make_problem(X, Y[:, t], alpha=0.05, l1_ratio=kw.get("l1_ratio", 1.0),
                              sample_weight=s)
        check_certified(pb, model.coef_[t], model.intercept_[t], tol=1e-10,
                        reported_gap=model.dual_gap_[t])
    pred = model.predict(Xs)
    np.testing.assert_allclose(pred, X @ model.coef_.T + model.intercept_, atol=1e-10)


def test_matches_sklearn_lasso_2d():
    sklearn = pytest.importorskip("sklearn.linear_model")
    X, Y = _data(2)
    ours = Lasso(alpha=0.03, tol=1e-12).fit(X, Y)
    theirs = sklearn.Lasso(alpha=0.03, tol=1e-12, max_iter=100_000).fit(X, Y)
    np.testing.assert_allclose(ours.coef_, theirs.coef_, rtol=0, atol=1e-8)
    np.testing.assert_allclose(ours.intercept_, theirs.intercept_, rtol=0, atol=1e-8)
    assert ours.score(X, Y) == pytest.approx(theirs.score(X, Y), abs=1e-10)


def test_single_column_as_sklearn():
    sklearn = pytest.importorskip("sklearn.linear_model")
    X, Y = _data(3, T=1)
    with warnings.catch_warnings():
        warnings.simplefilter("error")        # no DataConversionWarning, as scikit-learn
        ours = Lasso(alpha=0.05, tol=1e-12).fit(X, Y)
    theirs = sklearn.Lasso(alpha=0.05, tol=1e-12, max_iter=100_000).fit(X, Y)
    assert ours.coef_.shape == theirs.coef_.shape == (X.shape[1],)
    assert np.shape(ours.intercept_) == np.shape(theirs.intercept_) == (1,)
    assert np.shape(ours.dual_gap_) == () and isinstance(ours.n_iter_, int)
    assert ours.predict(X).shape == theirs.predict(X).shape == (X.shape[0],)
    np.testing.assert_allclose(ours.coef_, theirs.coef_, atol=1e-8)


@pytest.mark.parametrize("precompute", [True, False])
def test_threads_and_gram_give_the_same_fits(precompute):
    X, Y = _data(4, n=120, p=20, T=4)
    base = ElasticNet(alpha=0.02, tol=1e-11, precompute=precompute).fit(X, Y)
    threaded = ElasticNet(alpha=0.02, tol=1e-11, precompute=precompute, n_jobs=2).fit(X, Y)
    np.testing.assert_array_equal(base.coef_, threaded.coef_)
    for t in range(Y.shape[1]):
        one = ElasticNet(alpha=0.02, tol=1e-11, precompute=precompute).fit(X, Y[:, t])
        np.testing.assert_allclose(base.coef_[t], one.coef_, atol=1e-9)


def test_float32_and_warm_start():
    X, Y = _data(5)
    m32 = Lasso(alpha=0.05, tol=1e-8).fit(X.astype(np.float32), Y)
    m64 = Lasso(alpha=0.05, tol=1e-8).fit(X, Y)
    assert m32.coef_.dtype == np.float32
    np.testing.assert_allclose(m32.coef_, m64.coef_, atol=1e-4)
    warm = Lasso(alpha=0.05, tol=1e-8, warm_start=True).fit(X, Y)
    n_first = sum(warm.n_iter_)
    warm.fit(X, Y)
    assert sum(warm.n_iter_) <= n_first
    np.testing.assert_allclose(warm.coef_, m64.coef_, atol=1e-6)


def test_user_arrays_not_modified():
    X, Y = _data(6)
    Xc, Yc = X.copy(), Y.copy()
    Lasso(alpha=0.05).fit(sp.csc_matrix(X), Y)
    Lasso(alpha=0.05).fit(X, Y)
    np.testing.assert_array_equal(X, Xc)
    np.testing.assert_array_equal(Y, Yc)


def test_bad_2d_targets():
    X, Y = _data(7)
    Y_nan = Y.copy()
    Y_nan[3, 1] = np.nan
    with pytest.raises(ValueError, match="NaN"):
        Lasso().fit(X, Y_nan)
    with pytest.raises(ValueError, match="samples"):
        Lasso().fit(X, Y[:-1])
    with pytest.raises(ValueError, match="empty"):
        Lasso().fit(X, Y[:, :0])
    with pytest.raises(ValueError, match="For multi-task outputs, use MultiTaskLassoCV"):
        LassoCV(cv=3).fit(X, Y)
    with pytest.raises(ValueError, match="For multi-task outputs, use MultiTaskElasticNetCV"):
        ElasticNetCV(cv=3).fit(X, Y)
    for path in (lasso_path, enet_path):
        with pytest.raises(ValueError, match="multi-task"):
            path(X, Y)
