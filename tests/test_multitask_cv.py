"""MultiTaskLassoCV / MultiTaskElasticNetCV: equal to scikit-learn's on the same folds (grid,
mse_path_, chosen alpha, coefficients), the refit certified by a NumPy duality gap and row KKT
conditions, each fold's error recomputed from an independent weighted fit, storages equal,
one task is LassoCV, the one-standard-error choice, check_estimator, bad input."""

import numpy as np
import pytest
import scipy.sparse as sp

from _sklearn_checks import assert_check_estimator_passes
from conftest import STORAGES, to_storage
from l1core import (LassoCV, MultiTaskElasticNet, MultiTaskElasticNetCV, MultiTaskLasso,
                    MultiTaskLassoCV)
from test_multitask import _data, reference_gap

sklm = pytest.importorskip("sklearn.linear_model")
KFold = pytest.importorskip("sklearn.model_selection").KFold


def _problem(seed=0, n=60, p=25, T=3):
    return _data(seed, n=n, p=p, T=T, density=1.0)


@pytest.mark.parametrize("Ours, Ref, kw", [
    (MultiTaskLassoCV, "MultiTaskLassoCV", {}),
    (MultiTaskElasticNetCV, "MultiTaskElasticNetCV", {"l1_ratio": [0.4, 0.9]})])
def test_equals_sklearn_on_the_same_folds(Ours, Ref, kw):
    X, Y = _problem()
    folds = KFold(4, shuffle=True, random_state=0)
    # tol=1e-14: at 1e-12 the Elastic Net (curvature alpha (1 - l1_ratio)) is 1e-6 off
    ours = Ours(alphas=12, eps=1e-2, cv=folds, tol=1e-14, max_iter=100_000, **kw).fit(X, Y)
    ref = getattr(sklm, Ref)(alphas=12, eps=1e-2, cv=folds, tol=1e-12, max_iter=100_000,
                             **kw).fit(X, Y)
    np.testing.assert_allclose(ours.alphas_, ref.alphas_, rtol=1e-12)
    assert ours.mse_path_.shape == ref.mse_path_.shape
    np.testing.assert_allclose(ours.mse_path_, ref.mse_path_, rtol=1e-7)
    # the same grid point (the grids agree to rounding)
    assert ours.alpha_ == pytest.approx(ref.alpha_, rel=1e-12, abs=0)
    if kw:
        assert ours.l1_ratio_ == ref.l1_ratio_
    np.testing.assert_allclose(ours.coef_, ref.coef_, rtol=0, atol=1e-8)
    np.testing.assert_allclose(ours.intercept_, ref.intercept_, rtol=0, atol=1e-8)


@pytest.mark.parametrize("storage", STORAGES)
def test_refit_certified_and_storages_agree(storage):
    X, Y = _problem(1)
    s = np.random.default_rng(0).uniform(0.5, 2.0, X.shape[0])
    dense = MultiTaskElasticNetCV(l1_ratio=0.7, n_alphas=10, cv=3, tol=1e-10).fit(
        X, Y, sample_weight=s)
    cv = MultiTaskElasticNetCV(l1_ratio=0.7, n_alphas=10, cv=3, tol=1e-10).fit(
        to_storage(X, storage), Y, sample_weight=s)
    P, gap, viol = reference_gap(X, Y, cv.coef_, cv.intercept_, cv.alpha_, 0.7, s, True)
    sw = s / s.sum()
    gap_tol = 1e-10 * float(sw @ ((Y - sw @ Y) ** 2).sum(1))
    assert -1e-13 <= gap <= gap_tol + 1e-14
    assert abs(gap - cv.dual_gap_) <= 1e-6 * gap + 1e-13
    assert np.max(viol) <= 1e-4 * cv.alpha_
    assert 0 < np.count_nonzero(np.linalg.norm(cv.coef_, axis=0)) < X.shape[1]
    np.testing.assert_allclose(cv.mse_path_, dense.mse_path_, rtol=1e-9)
    assert cv.alpha_ == dense.alpha_
    np.testing.assert_allclose(cv.coef_, dense.coef_, rtol=0, atol=1e-9)


@pytest.mark.filterwarnings("ignore::l1core.AlphaGridEdgeWarning")
def test_fold_errors_are_weighted_test_mse_of_independent_fits():
    """mse_path_[k, f]: sum_i w_i ||y_i - W x_i - b||^2 / (T sum_i w_i) over fold f's test
    rows, W the weighted fit on its training rows alone (a separate estimator)."""
    X, Y = _problem(2, n=45)
    s = np.random.default_rng(1).uniform(0.2, 3.0, X.shape[0])
    folds = list(KFold(3).split(X))
    cv = MultiTaskLassoCV(n_alphas=6, eps=0.05, cv=folds, tol=1e-12).fit(X, Y, sample_weight=s)
    T = Y.shape[1]
    for f, (train, test) in enumerate(folds):
        for k, alpha in enumerate(cv.alphas_):
            fit = MultiTaskLasso(alpha=alpha, tol=1e-12).fit(X[train], Y[train],
                                                              sample_weight=s[train])
            R = Y[test] - fit.predict(X[test])
            expected = s[test] @ (R ** 2).sum(1) / (T * s[test].sum())
            assert abs(cv.mse_path_[k, f] - expected) <= 1e-9 * expected


def test_one_task_is_lasso_cv():
    X, Y = _data(3, n=50, p=20, T=1)
    mt = MultiTaskLassoCV(n_alphas=15, cv=5, tol=1e-12).fit(X, Y)
    lasso = LassoCV(n_alphas=15, cv=5, tol=1e-12).fit(X, Y[:, 0])
    np.testing.assert_allclose(mt.alphas_, lasso.alphas_, rtol=1e-12)
    np.testing.assert_allclose(mt.mse_path_, lasso.mse_path_, rtol=1e-8)
    assert mt.alpha_ == lasso.alpha_ and mt.alpha_1se_ == lasso.alpha_1se_
    np.testing.assert_allclose(mt.coef_[0], lasso.coef_, rtol=0, atol=1e-9)


def test_one_standard_error_choice_and_path():
    X, Y = _problem(4, n=80)
    cv = MultiTaskLassoCV(n_alphas=20, cv=5, refit_alpha="1se").fit(X, Y)
    mean, std = cv.mse_path_.mean(1), cv.mse_path_.std(1, ddof=1)
    k_min = int(np.argmin(mean))
    k_1se = int(np.flatnonzero(mean <= mean[k_min] + std[k_min] / np.sqrt(5))[0])
    assert cv.alpha_min_ == cv.alphas_[k_min] and cv.alpha_1se_ == cv.alphas_[k_1se]
    assert cv.alpha_ == cv.alpha_1se_ > cv.alpha_min_
    np.testing.assert_allclose(cv.cv_mean_, mean, rtol=1e-12)
    W = cv.coef_at("1se")
    np.testing.assert_allclose(W, cv.coef_, rtol=0, atol=1e-3)
    np.testing.assert_allclose(cv.predict(X[:4], alpha="1se"), X[:4] @ W.T
                               + cv.path_.intercepts[:, k_1se], atol=1e-10)
    assert cv.predict(X[:4]).shape == (4, Y.shape[1])


def test_threads_give_the_same_answer_and_inputs_untouched():
    X, Y = _problem(5)
    Xs = sp.csr_matrix(X)
    X0, Y0 = X.copy(), Y.copy()
    one = MultiTaskElasticNetCV(l1_ratio=[0.5, 1.0], n_alphas=8, cv=3, n_jobs=1).fit(Xs, Y)
    two = MultiTaskElasticNetCV(l1_ratio=[0.5, 1.0], n_alphas=8, cv=3, n_jobs=2).fit(Xs, Y)
    np.testing.assert_array_equal(one.mse_path_, two.mse_path_)
    np.testing.assert_array_equal(one.coef_, two.coef_)
    assert one.alphas_.shape == (2, 8) and one.mse_path_.shape == (2, 8, 3)
    np.testing.assert_array_equal(X, X0)
    np.testing.assert_array_equal(Y, Y0)


def test_float32_follows_float64():
    X, Y = _problem(6)
    m64 = MultiTaskLassoCV(n_alphas=8, cv=3, tol=1e-8).fit(X, Y)
    m32 = MultiTaskLassoCV(n_alphas=8, cv=3, tol=1e-8).fit(X.astype(np.float32), Y)
    assert m32.coef_.dtype == np.float32
    np.testing.assert_allclose(m32.mse_path_, m64.mse_path_, rtol=1e-4)
    np.testing.assert_allclose(m32.coef_, m64.coef_, rtol=0, atol=1e-4)


def test_bad_input():
    X, Y = _problem(7, n=30)
    with pytest.raises(ValueError, match="mono-task"):
        MultiTaskLassoCV(cv=3).fit(X, Y[:, 0])
    Y_nan = Y.copy()
    Y_nan[1, 1] = np.nan
    with pytest.raises(ValueError, match="NaN"):
        MultiTaskLassoCV(cv=3).fit(X, Y_nan)
    with pytest.raises(ValueError, match="samples"):
        MultiTaskLassoCV(cv=3).fit(X, Y[:-1])
    with pytest.raises(ValueError, match="refit_alpha"):
        MultiTaskLassoCV(refit_alpha="best").fit(X, Y)
    with pytest.raises(ValueError, match="selection"):
        MultiTaskLassoCV(selection="random").fit(X, Y)
    with pytest.raises(ValueError, match="alpha_max"):
        MultiTaskElasticNetCV(l1_ratio=0.0).fit(X, Y)
    with pytest.raises(ValueError, match="l1_ratio"):
        MultiTaskElasticNetCV(l1_ratio=1.5).fit(X, Y)
    with pytest.raises(ValueError, match="cv"):
        MultiTaskLassoCV(cv=1).fit(X, Y)
    with pytest.raises(ValueError, match="sample_weight|weight"):
        MultiTaskLassoCV(cv=3).fit(X, Y, sample_weight=-np.ones(30))


@pytest.mark.parametrize("est", [MultiTaskLassoCV(cv=3, n_alphas=5),
                                 MultiTaskElasticNetCV(cv=3, n_alphas=5)],
                         ids=lambda e: type(e).__name__)
def test_check_estimator(est):
    assert_check_estimator_passes(est)
