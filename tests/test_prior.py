"""The prior Lasso (l1core.variants.prior): the blended objective, its certificate, CV.

Jiang, He & Zhang (2016)'s objective (data fit + eta times the fit to the prior's
predictions + (1 + eta) alpha ||w||_1) is solved by cvxpy (Clarabel, test-only) and compared
with the Lasso on the blended response; the gap is recomputed in NumPy on that Lasso.
"""

import warnings

import numpy as np
import pytest

import _reference as ref
from _sklearn_checks import assert_check_estimator_passes
from conftest import make_regression, to_storage
from l1core import Lasso, LassoCV, lasso_path
from l1core.variants import PriorLasso, PriorLassoCV
from l1core.variants._ridge import least_squares_coef


@pytest.mark.parametrize("storage", ["dense", "csc", "csr"])
def test_eta_zero_is_the_lasso_exactly(storage):
    X, y, _ = make_regression(1, n=40, p=12, density=0.7)
    Xs = to_storage(X, storage)
    lasso = Lasso(alpha=0.05).fit(Xs, y)
    for prior in (dict(prior_features=[0, 1]), dict()):
        model = PriorLasso(alpha=0.05, eta=0.0, **prior).fit(Xs, y)
        np.testing.assert_array_equal(model.coef_, lasso.coef_)
        assert model.intercept_ == lasso.intercept_ and model.dual_gap_ == lasso.dual_gap_
    model = PriorLasso(alpha=0.05, eta=0.0).fit(Xs, y, y_prior=np.zeros(40))
    np.testing.assert_array_equal(model.coef_, lasso.coef_)


def test_blended_objective_matches_cvxpy():
    cp = pytest.importorskip("cvxpy")
    X, y, _ = make_regression(2, n=50, p=15)
    rng = np.random.default_rng(0)
    y_prior = y + rng.standard_normal(50)
    sw = rng.uniform(0.5, 2.0, 50)
    alpha, eta = 0.05, 0.7
    model = PriorLasso(alpha=alpha, eta=eta, tol=1e-14, max_iter=100_000).fit(
        X, y, sample_weight=sw, y_prior=y_prior)
    w, b = cp.Variable(15), cp.Variable()
    S = sw.sum()
    fit = cp.sum(cp.multiply(sw, cp.square(y - X @ w - b))) / (2 * S)
    prior_fit = cp.sum(cp.multiply(sw, cp.square(y_prior - X @ w - b))) / (2 * S)
    problem = cp.Problem(cp.Minimize(fit + eta * prior_fit + (1 + eta) * alpha * cp.norm1(w)))
    problem.solve(solver=cp.CLARABEL, tol_gap_abs=1e-12, tol_gap_rel=1e-12,
                  tol_feas=1e-12)
    np.testing.assert_allclose(model.coef_, w.value, atol=1e-6)
    assert abs(model.intercept_ - b.value) < 1e-6
    # Jiang's objective = (1 + eta) * ours + constant: our optimum, mapped, is cvxpy's value
    def ours(coef, icpt):
        y_eta = (y + eta * y_prior) / (1 + eta)
        return sw @ (y_eta - X @ coef - icpt) ** 2 / (2 * S) + alpha * np.abs(coef).sum()
    const = eta / (1 + eta) * sw @ (y - y_prior) ** 2 / (2 * S)
    assert (1 + eta) * ours(model.coef_, model.intercept_) + const <= problem.value + 1e-8
    # the certificate of the blended Lasso, recomputed
    pb = ref.make_problem(X, (y + eta * y_prior) / (1 + eta), alpha=alpha, sample_weight=sw)
    gap = ref.duality_gap(pb, model.coef_, model.intercept_)
    assert -1e-13 <= gap <= 1e-12 and model.dual_gap_ >= gap - 1e-13


@pytest.mark.parametrize("storage", ["dense", "csr"])
def test_prior_features_give_least_squares_predictions(storage):
    X, y, _ = make_regression(3, n=40, p=12, density=0.8)
    F = [1, 4, 6]
    model = PriorLasso(alpha=0.1, eta=2.0, prior_features=F, tol=1e-10).fit(
        to_storage(X, storage), y)
    A = np.column_stack([X[:, F], np.ones(40)])
    np.testing.assert_allclose(model.prior_, A @ np.linalg.lstsq(A, y, rcond=None)[0],
                               rtol=1e-9, atol=1e-9)
    pb = ref.make_problem(X, (y + 2.0 * model.prior_) / 3.0, alpha=0.1)
    assert -1e-13 <= ref.duality_gap(pb, model.coef_, model.intercept_) <= pb.gap_tol(1e-10)
    mask = np.zeros(12, bool)
    mask[F] = True
    same = PriorLasso(alpha=0.1, eta=2.0, prior_features=mask, tol=1e-10).fit(X, y)
    np.testing.assert_allclose(same.coef_, model.coef_, atol=1e-8)


def test_cv_refits_the_prior_model_inside_each_fold():
    """mse_path_ of fold k is recomputed from the fold alone: the prior model on its training
    rows, the blended path there, the error against y on the held-out rows."""
    X, y, _ = make_regression(4, n=60, p=10)
    F = [0, 1]
    cv = PriorLassoCV(prior_features=F, etas=[0.0, 1.0], cv=3, n_alphas=8, tol=1e-10).fit(X, y)
    test = np.arange(40, 60)
    train = np.arange(40)
    A = np.column_stack([X[train][:, F], np.ones(40)])
    y_prior = A @ np.linalg.lstsq(A, y[train], rcond=None)[0]
    for e, eta in enumerate([0.0, 1.0]):
        target = (y[train] + eta * y_prior) / (1 + eta)
        path = lasso_path(X[train], target, alphas=cv.alphas_[e], fit_intercept=True,
                          tol=1e-12, return_intercept=True)
        mse = np.mean((X[test] @ path.coefs + path.intercepts - y[test, None]) ** 2, axis=0)
        np.testing.assert_allclose(cv.mse_path_[e, :, 2], mse, rtol=1e-6)
    assert cv.eta_ in (0.0, 1.0) and cv.alpha_1se_ >= cv.alpha_min_
    with pytest.raises(ValueError, match="disjoint"):
        PriorLassoCV(prior_features=F, cv=[(np.arange(30), np.arange(20, 60))] * 2).fit(X, y)


def _sparse_design(seed, n=50, p=100, k=10, rho=0.3, n_test=500):
    rng = np.random.default_rng(seed)

    def draw(m):
        return np.sqrt(1 - rho) * rng.standard_normal((m, p)) + np.sqrt(rho) * \
            rng.standard_normal((m, 1))
    X, Xt = draw(n), draw(n_test)
    beta = np.zeros(p)
    beta[:k] = rng.choice([-1, 1], k) * rng.uniform(0.5, 1.5, k)
    return X, X @ beta + rng.standard_normal(n), beta, Xt, Xt @ beta


def test_correct_prior_helps_and_wrong_prior_does_no_harm_with_cv():
    """12 seeds, n=50, p=100, 10 true features (equicorrelated 0.3), 3-fold CV, 20 alphas.
    Measured (mean true positives, false positives, test MSE): LassoCV 9.25 / 16.1 / 2.24;
    PriorLassoCV with the true support as prior 10.0 / 23.2 / 0.54; with 10 null features as
    prior 9.33 / 20.8 / 2.28 (eta chosen by CV: mostly 0 or small)."""
    stats = {"lasso": [], "good": [], "wrong": []}
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        for seed in range(12):
            X, y, beta, Xt, yt = _sparse_design(seed)
            fits = {"lasso": LassoCV(n_alphas=20, cv=3).fit(X, y),
                    "good": PriorLassoCV(prior_features=np.arange(10), n_alphas=20,
                                         cv=3).fit(X, y),
                    "wrong": PriorLassoCV(prior_features=np.arange(50, 60), n_alphas=20,
                                          cv=3).fit(X, y)}
            for name, m in fits.items():
                chosen = m.coef_ != 0
                stats[name].append([(chosen & (beta != 0)).sum(),
                                    np.mean((m.predict(Xt) - yt) ** 2)])
    mean = {k: np.mean(v, axis=0) for k, v in stats.items()}
    assert mean["good"][0] >= mean["lasso"][0] + 0.5          # finds more true features
    assert mean["good"][1] <= 0.5 * mean["lasso"][1]          # predicts far better
    assert mean["wrong"][1] <= 1.15 * mean["lasso"][1]        # a wrong prior: no harm
    assert mean["wrong"][0] >= mean["lasso"][0] - 0.5


@pytest.mark.parametrize("params, fit, error", [
    (dict(eta=-1.0), {}, ValueError), (dict(eta="x"), {}, TypeError),
    (dict(prior_features=[99]), {}, ValueError),
    (dict(prior_features=[0.5]), {}, ValueError),
    (dict(prior_features=[0]), dict(y_prior=np.zeros(20)), ValueError),
    (dict(), dict(y_prior=np.zeros(3)), ValueError),
    (dict(), dict(y_prior=np.full(20, np.nan)), ValueError)])
def test_bad_input_raises(params, fit, error):
    X, y, _ = make_regression(5, n=20, p=5)
    with pytest.raises(error):
        PriorLasso(**params).fit(X, y, **fit)


def test_user_arrays_not_modified():
    X, y, _ = make_regression(6, n=30, p=6)
    y_prior = y + 1.0
    copies = X.copy(), y.copy(), y_prior.copy()
    PriorLasso(alpha=0.1).fit(X, y, y_prior=y_prior)
    PriorLassoCV(cv=3, n_alphas=5).fit(X, y, y_prior=y_prior)
    PriorLassoCV(cv=3, n_alphas=5, prior_features=[0]).fit(X, y)
    for a, b in zip((X, y, y_prior), copies):
        np.testing.assert_array_equal(a, b)


ESTIMATORS = [PriorLasso(), PriorLasso(prior_features=[0]),
              PriorLassoCV(cv=3, n_alphas=5, etas=(0.0, 1.0), prior_features=[0])]


@pytest.mark.parametrize("est", ESTIMATORS, ids=lambda e: repr(e)[:40])
def test_check_estimator(est):
    assert_check_estimator_passes(est)
