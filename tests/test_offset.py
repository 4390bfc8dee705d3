"""glmnet's offset: a known term of the linear predictor. Squared loss: exactly the fit of
y - offset. Logistic: the solution is optimal for the loss at X w + b + offset (gap and KKT
recomputed in NumPy with the offset), equals fixing a coefficient of an extra column, and
predictions add the offset only when given it."""

import numpy as np
import pytest
from scipy.special import expit, xlogy

import _reference as ref
from conftest import make_regression, to_storage
from l1core import (ElasticNet, ElasticNetCV, Lasso, LassoCV, SparseLogisticRegression,
                    SparseLogisticRegressionCV, enet_path, lasso_path, logistic_path)


def regression(seed=0, n=60, p=25):
    Xd, y, _ = make_regression(seed, n, p, density=0.6)
    offset = np.random.default_rng(seed + 100).standard_normal(n)
    return Xd, y, offset


def classification(seed=0, n=120, p=20):
    rng = np.random.default_rng(seed)
    Xd = rng.standard_normal((n, p))
    offset = 1.5 * rng.standard_normal(n)
    y = (Xd[:, :3].sum(axis=1) + offset + rng.standard_normal(n) > 0.3).astype(int)
    return Xd, y, offset


# --------------------------------------------------------------------------- squared loss


@pytest.mark.parametrize("storage", ["dense", "csc", "csr"])
@pytest.mark.parametrize("Model, kw", [(Lasso, dict(alpha=0.05)),
                                       (ElasticNet, dict(alpha=0.05, l1_ratio=0.6))])
def test_squared_offset_is_the_fit_of_y_minus_offset(storage, Model, kw):
    Xd, y, offset = regression()
    X = to_storage(Xd, storage)
    sw = np.random.default_rng(3).uniform(0.5, 2, Xd.shape[0])
    y_before, offset_before = y.copy(), offset.copy()
    model = Model(tol=1e-10, max_iter=100_000, **kw).fit(X, y, sample_weight=sw, offset=offset)
    shifted = Model(tol=1e-10, max_iter=100_000, **kw).fit(X, y - offset, sample_weight=sw)
    np.testing.assert_allclose(model.coef_, shifted.coef_, rtol=1e-12, atol=1e-14)
    assert model.intercept_ == pytest.approx(shifted.intercept_, rel=1e-12)
    np.testing.assert_array_equal(y, y_before)
    np.testing.assert_array_equal(offset, offset_before)
    # optimality of the problem with the offset, recomputed in NumPy
    pb = ref.make_problem(Xd, y - offset, alpha=kw["alpha"], l1_ratio=kw.get("l1_ratio", 1.0),
                          sample_weight=sw)
    assert ref.duality_gap(pb, model.coef_, model.intercept_) <= pb.gap_tol(1e-10) * 1.01
    assert np.max(ref.kkt_violation(pb, model.coef_, model.intercept_)) < 1e-4
    # predict adds the offset only when asked
    np.testing.assert_allclose(model.predict(X), shifted.predict(X))
    np.testing.assert_allclose(model.predict(X, offset=offset), shifted.predict(X) + offset)


def test_squared_path_and_cv_with_offset():
    Xd, y, offset = regression(1)
    path = lasso_path(Xd, y, offset=offset, n_alphas=10, fit_intercept=True)
    shifted = lasso_path(Xd, y - offset, n_alphas=10, fit_intercept=True)
    np.testing.assert_allclose(path.alphas, shifted.alphas)
    np.testing.assert_allclose(path.coefs, shifted.coefs, atol=1e-12)
    cv = LassoCV(cv=3, n_alphas=15).fit(Xd, y, offset=offset)
    ref_cv = LassoCV(cv=3, n_alphas=15).fit(Xd, y - offset)
    np.testing.assert_allclose(cv.mse_path_, ref_cv.mse_path_, rtol=1e-10)
    assert cv.alpha_ == ref_cv.alpha_
    np.testing.assert_allclose(cv.predict(Xd, offset=offset), ref_cv.predict(Xd) + offset)
    np.testing.assert_allclose(cv.predict(Xd, alpha="1se", offset=offset),
                               ref_cv.predict(Xd, alpha="1se") + offset)
    enet = ElasticNetCV(l1_ratio=[0.5, 1.0], cv=3, n_alphas=10).fit(Xd, y, offset=offset)
    assert enet.mse_path_.shape == (2, 10, 3)


def test_bad_offsets_are_refused():
    Xd, y, offset = regression(2)
    for bad in (offset[:-1], np.full(len(y), np.nan), np.ones((len(y), 2))):
        with pytest.raises(ValueError, match="offset"):
            Lasso(alpha=0.1).fit(Xd, y, offset=bad)
        with pytest.raises(ValueError, match="offset"):
            enet_path(Xd, y, offset=bad)
    yc = (y > np.median(y)).astype(int)
    with pytest.raises(ValueError, match="offset"):
        SparseLogisticRegression(alpha=0.1).fit(Xd, yc, offset=offset[:-1])
    with pytest.raises(ValueError, match="two classes"):
        SparseLogisticRegression(alpha=0.1).fit(Xd, np.arange(len(y)) % 3, offset=offset)


# --------------------------------------------------------------------------- logistic loss


def logistic_certificate(Xd, y01, w, b, s, offset, a):
    """(gap, kkt, intercept gradient) of the Lasso-penalized logistic problem at X w + b +
    offset, in NumPy: theta the natural dual point scaled by classes to sum to zero, then
    into the constraints; the offset adds -theta.offset to the dual."""
    sw = s / s.sum()
    yy = 2.0 * y01 - 1
    z = Xd @ w + b + offset
    primal = float(sw @ np.logaddexp(0, -yy * z)) + float(a @ np.abs(w))
    theta = sw * yy * expit(-yy * z)
    grad_b = float(theta.sum())
    pos, neg = theta[theta > 0].sum(), -theta[theta < 0].sum()
    theta = np.where(theta > 0, theta * min(1, neg / pos), theta * min(1, pos / neg))
    q = Xd.T @ theta
    t = min(1.0, float(np.min(a / np.maximum(np.abs(q), 1e-300))))
    sp_ = np.clip(t * yy * theta / sw, 0, 1)
    dual = float(sw @ -(xlogy(sp_, sp_) + xlogy(1 - sp_, 1 - sp_))) - t * float(theta @ offset)
    g = Xd.T @ (sw * yy * expit(-yy * z))
    kkt = np.where(w != 0, np.abs(g - a * np.sign(w)), np.maximum(np.abs(g) - a, 0))
    return primal - dual, float(kkt.max()), grad_b


@pytest.mark.parametrize("storage", ["dense", "csc", "csr"])
@pytest.mark.parametrize("dtype", [np.float64, np.float32])
def test_logistic_offset_is_certified(storage, dtype):
    Xd, y, offset = classification()
    Xd = Xd.astype(dtype).astype(np.float64)
    X = to_storage(Xd, storage, dtype=dtype)
    s = np.random.default_rng(5).uniform(0.5, 2, len(y))
    alpha = 0.02
    model = SparseLogisticRegression(alpha=alpha, tol=1e-10, max_iter=10_000).fit(
        X, y, sample_weight=s, offset=offset)
    gap, kkt, grad_b = logistic_certificate(Xd, y, model.coef_[0].astype(np.float64),
                                            model.intercept_[0], s, offset,
                                            np.full(Xd.shape[1], alpha))
    tight = 1e-6 if dtype == np.float32 else 1e-9
    assert model.dual_gap_ <= 1e-9 and gap <= tight, (model.dual_gap_, gap)
    assert kkt < (1e-3 if dtype == np.float32 else 1e-6) and abs(grad_b) < 1e-6
    # the offset moved the answer (a test that cannot fail otherwise)
    plain = SparseLogisticRegression(alpha=alpha, tol=1e-10).fit(X, y, sample_weight=s)
    assert np.max(np.abs(plain.coef_ - model.coef_)) > 1e-2
    gap_plain, _, _ = logistic_certificate(Xd, y, plain.coef_[0].astype(np.float64),
                                           plain.intercept_[0], s, offset,
                                           np.full(Xd.shape[1], alpha))
    assert gap_plain > 1e-4


def test_logistic_offset_equals_a_fixed_coefficient_of_an_extra_column():
    Xd, y, _ = classification(1)
    u = np.random.default_rng(7).standard_normal(len(y))
    beta = 0.8
    y = ((Xd[:, :3].sum(axis=1) + beta * u + np.random.default_rng(8).standard_normal(len(y)))
         > 0).astype(int)
    with_offset = SparseLogisticRegression(alpha=0.02, tol=1e-12, max_iter=10_000).fit(
        Xd, y, offset=beta * u)
    p = Xd.shape[1]
    fixed = SparseLogisticRegression(
        alpha=0.02, tol=1e-12, max_iter=100_000, penalty_factor=np.r_[np.ones(p), 0.0],
        lower_bounds=np.r_[np.full(p, -np.inf), beta],
        upper_bounds=np.r_[np.full(p, np.inf), beta])
    with pytest.warns(Warning):          # that formulation has no certificate (fixed column)
        fixed.fit(np.column_stack([Xd, u]), y)
    np.testing.assert_allclose(with_offset.coef_[0], fixed.coef_[0, :p], atol=1e-7)
    assert with_offset.intercept_[0] == pytest.approx(fixed.intercept_[0], abs=1e-7)
    z = Xd @ with_offset.coef_[0] + with_offset.intercept_[0]
    np.testing.assert_allclose(with_offset.decision_function(Xd), z)
    np.testing.assert_allclose(with_offset.decision_function(Xd, offset=beta * u), z + beta * u)
    np.testing.assert_allclose(with_offset.predict_proba(Xd, offset=beta * u)[:, 1],
                               expit(z + beta * u))


def test_logistic_path_with_offset_starts_at_its_alpha_max():
    Xd, y, offset = classification(2)
    path = logistic_path(Xd, y, offset=offset, n_alphas=8, tol=1e-10, max_iter=10_000)
    assert np.all(path.coefs[:, 0] == 0)
    assert np.count_nonzero(path.coefs[:, 1]) >= 1      # alpha_max is exact with the offset
    for k, alpha in enumerate(path.alphas):
        gap, kkt, _ = logistic_certificate(Xd, y, path.coefs[:, k], path.intercepts[k],
                                           np.ones(len(y)), offset, np.full(Xd.shape[1], alpha))
        assert gap <= 1e-8 and kkt < 1e-5, (k, gap, kkt)


def test_logistic_cv_with_offset():
    Xd, y, offset = classification(3, n=150)
    cv = SparseLogisticRegressionCV(cv=3, n_alphas=12).fit(Xd, y, offset=offset)
    plain = SparseLogisticRegressionCV(cv=3, n_alphas=12).fit(Xd, y)
    assert cv.scores_path_.shape == (12, 3)
    # the offset is known signal: held-out log-loss with it is better
    assert cv.cv_mean_.min() < plain.cv_mean_.min()
    refit = SparseLogisticRegression(alpha=cv.alpha_, tol=cv.tol).fit(Xd, y, offset=offset)
    np.testing.assert_allclose(cv.coef_, refit.coef_, atol=1e-8)
    np.testing.assert_allclose(cv.decision_function(Xd, offset=offset),
                               refit.decision_function(Xd, offset=offset), atol=1e-8)
    np.testing.assert_allclose(cv.predict_proba(Xd, alpha="min", offset=offset)[:, 1],
                               expit(cv.decision_function(Xd, alpha="min") + offset))
