"""glmnet's relaxed Lasso: the refit on each support is weighted least squares (its normal
equations recomputed in NumPy), gamma = 1 is the Lasso, gamma = 0 the refit, blends in
between; LassoCV / ElasticNetCV choose (alpha, gamma) together."""

import pickle

import numpy as np
import pytest

from conftest import to_storage
from l1core import ElasticNetCV, Lasso, LassoCV, enet_path, lasso_path


def data(seed=0, n=80, p=40):
    rng = np.random.default_rng(seed)
    X = rng.standard_normal((n, p)) * rng.uniform(0.5, 3, p) + rng.uniform(-2, 2, p)
    X[rng.random((n, p)) > 0.7] = 0.0
    y = X[:, :5] @ np.array([3.0, -2.0, 2.5, 1.5, -3.0]) + rng.standard_normal(n) + 4.0
    return X, y, rng.uniform(0.3, 2.0, n)


def ols_on(Xd, y, s, support, fit_intercept):
    """Weighted least squares on the support columns (plus a column of ones), in NumPy."""
    A = Xd[:, support]
    if fit_intercept:
        A = np.column_stack([np.ones(len(y)), A])
    root = np.sqrt(s)
    sol = np.linalg.lstsq(A * root[:, None], y * root, rcond=None)[0]
    return (sol[1:], sol[0]) if fit_intercept else (sol, 0.0)


@pytest.mark.parametrize("storage", ["dense", "csc", "csr"])
@pytest.mark.parametrize("fit_intercept", [True, False])
def test_refit_is_least_squares_on_the_support(storage, fit_intercept):
    Xd, y, s = data()
    path = enet_path(to_storage(Xd, storage), y, l1_ratio=0.9, n_alphas=12, sample_weight=s,
                     fit_intercept=fit_intercept, relax=True, return_intercept=True)
    refit = path.relaxed(0.0)
    R = refit.coefs.toarray()
    for k in range(len(path.alphas)):
        support = np.flatnonzero(path.coefs[:, k])
        assert set(np.flatnonzero(R[:, k])) <= set(support)
        beta, b = R[support, k], refit.intercepts[k]
        residual = y - Xd[:, support] @ beta - b
        # the normal equations of min sum_i s_i (y_i - x_iS.beta - b)^2
        scale = np.linalg.norm(s * y) * np.linalg.norm(Xd, axis=0).max() + 1.0
        assert np.max(np.abs(Xd[:, support].T @ (s * residual)), initial=0) <= 1e-10 * scale
        if fit_intercept:
            assert abs(s @ residual) <= 1e-10 * np.abs(s @ y)
        beta_np, b_np = ols_on(Xd, y, s, support, fit_intercept)
        np.testing.assert_allclose(beta, beta_np, rtol=1e-8, atol=1e-10)
        assert b == pytest.approx(b_np, rel=1e-8, abs=1e-10)


def test_gamma_one_is_the_lasso_and_blends_are_linear():
    Xd, y, s = data(1)
    path = lasso_path(Xd, y, n_alphas=10, fit_intercept=True, relax=True,
                      return_intercept=True, sample_weight=s)
    np.testing.assert_array_equal(path.relaxed(1.0).coefs.toarray(), path.coefs)
    np.testing.assert_array_equal(path.relaxed(1.0).intercepts, path.intercepts)
    half = path.relaxed(0.5).coefs.toarray()
    np.testing.assert_allclose(half, 0.5 * path.coefs + 0.5 * path.relaxed(0.0).coefs.toarray())
    # the deviance explained of a blend, recomputed in NumPy
    sw = s / s.sum()
    null = sw @ (y - sw @ y) ** 2
    blended = path.relaxed(0.3)
    for k in range(len(path.alphas)):
        r = y - Xd @ blended.coefs[:, [k]].toarray().ravel() - blended.intercepts[k]
        assert blended.deviance_explained[k] == pytest.approx(1 - (sw @ r**2) / null, abs=1e-10)
    # the relaxed fit explains at least as much as the Lasso on the same support
    assert np.all(path.relaxed(0.0).deviance_explained >= path.deviance_explained - 1e-12)
    again = pickle.loads(pickle.dumps(path))
    np.testing.assert_array_equal(again.relaxed(0.25).coefs.toarray(),
                                  path.relaxed(0.25).coefs.toarray())


def test_a_path_without_relax_has_no_relaxed_fit():
    Xd, y, _ = data(2)
    with pytest.raises(ValueError, match="relax=True"):
        lasso_path(Xd, y, n_alphas=3).relaxed(0.5)
    with pytest.raises(ValueError, match="gamma"):
        lasso_path(Xd, y, n_alphas=3, relax=True).relaxed(1.5)


def test_relax_refuses_bounds():
    Xd, y, _ = data(3)
    with pytest.raises(ValueError, match="bounds"):
        lasso_path(Xd, y, relax=True, positive=True)
    with pytest.raises(ValueError, match="bounds"):
        LassoCV(relax=True, upper_bounds=1.0, cv=2).fit(Xd, y)


@pytest.mark.parametrize("storage", ["dense", "csr"])
def test_lasso_cv_chooses_alpha_and_gamma_together(storage):
    Xd, y, s = data(4, n=100)
    X = to_storage(Xd, storage)
    gammas = (0.0, 0.5, 1.0)
    cv = LassoCV(relax=True, gammas=gammas, cv=4, n_alphas=30).fit(X, y, sample_weight=s)
    assert cv.mse_path_.shape == (3, 30, 4) and cv.cv_mean_.shape == (3, 30)
    g, k = np.unravel_index(np.argmin(cv.cv_mean_), cv.cv_mean_.shape)
    assert cv.gamma_min_ == gammas[g] and cv.alpha_min_ == cv.alphas_[k]
    assert (cv.alpha_, cv.gamma_) == (cv.alpha_min_, cv.gamma_min_)
    # the final model: the blend of the Lasso at alpha_ and the refit on its support
    lasso = Lasso(alpha=cv.alpha_, tol=cv.tol).fit(X, y, sample_weight=s)
    np.testing.assert_allclose(cv.penalized_coef_, lasso.coef_, atol=1e-10)
    support = np.flatnonzero(lasso.coef_)
    beta, b = ols_on(Xd, y, s, support, True)
    expected = cv.gamma_ * lasso.coef_
    expected[support] += (1 - cv.gamma_) * beta
    np.testing.assert_allclose(cv.coef_, expected, rtol=1e-8, atol=1e-10)
    assert cv.intercept_ == pytest.approx(cv.gamma_ * lasso.intercept_ + (1 - cv.gamma_) * b)
    # 1se: within one standard error of the minimum, the largest alpha, then largest gamma
    threshold = cv.cv_mean_[g, k] + cv.cv_std_[g, k] / 2.0
    ok = cv.cv_mean_ <= threshold
    k1 = np.flatnonzero(ok.any(axis=0))[0]
    assert cv.alpha_1se_ == cv.alphas_[k1] and cv.gamma_1se_ == gammas[np.flatnonzero(ok[:, k1])[-1]]
    np.testing.assert_allclose(cv.coef_at("min"), cv.coef_, atol=1e-6)
    np.testing.assert_allclose(cv.predict(X, alpha="min"), cv.predict(X), atol=1e-5)


def test_relax_with_gamma_one_only_is_the_lasso_cv():
    Xd, y, _ = data(5)
    plain = LassoCV(cv=3, n_alphas=20).fit(Xd, y)
    relaxed = LassoCV(cv=3, n_alphas=20, relax=True, gammas=[1.0]).fit(Xd, y)
    assert relaxed.alpha_ == plain.alpha_ and relaxed.gamma_ == 1.0
    np.testing.assert_allclose(relaxed.mse_path_[0], plain.mse_path_, rtol=1e-12)
    np.testing.assert_allclose(relaxed.coef_, plain.coef_, rtol=1e-12, atol=1e-14)


def test_relaxed_elastic_net_cv_and_refit_without_relax():
    Xd, y, _ = data(6)
    cv = ElasticNetCV(l1_ratio=[0.5, 1.0], relax=True, cv=3, n_alphas=15,
                      refit_alpha="1se").fit(Xd, y)
    assert cv.mse_path_.shape == (2, 5, 15, 3)
    assert (cv.alpha_, cv.gamma_) == (cv.alpha_1se_, cv.gamma_1se_)
    # relaxed Lasso on this sparse signal: the refit beats the shrunk fit
    assert cv.gamma_min_ < 1.0
    cv.set_params(relax=False).fit(Xd, y)
    assert not hasattr(cv, "gamma_") and cv.mse_path_.shape == (2, 15, 3)
