"""Lasso / ElasticNet with solver="fista" (l1core._fista_fit): the same objective and stopping
rule as coordinate descent, certified by dual_gap_ against the CD optimum; X as a dense array,
CSC, CSR or a scipy LinearOperator (a design known only by its products); predict on an
operator; sample weights; options FISTA does not carry are refused; warm starts; old pickles
keep CD."""

import pickle

import numpy as np
import pytest
import scipy.sparse as sp
from scipy.sparse.linalg import LinearOperator, aslinearoperator

from l1core import ElasticNet, Lasso


def problem(n=80, p=200, seed=0):
    rng = np.random.default_rng(seed)
    X = rng.standard_normal((n, p)) + rng.uniform(-1, 1, p)
    w = np.zeros(p)
    w[:5] = [2.0, -1.5, 1.0, 0.5, -0.5]
    return X, X @ w + 0.2 * rng.standard_normal(n) + 3.0


def objective(X, y, w, b, alpha, l1_ratio, pf=None):
    pf = np.ones(X.shape[1]) if pf is None else pf
    r = y - X @ w - b
    return (0.5 * r @ r / len(y) + alpha * np.sum(pf * (l1_ratio * np.abs(w)
                                                     + 0.5 * (1 - l1_ratio) * w * w)))


def as_form(X, form):
    return {"dense": X, "csc": sp.csc_matrix(X), "csr": sp.csr_matrix(X),
            "operator": aslinearoperator(X)}[form]


@pytest.mark.parametrize("form", ["dense", "csc", "csr", "operator"])
@pytest.mark.parametrize("l1_ratio", [1.0, 0.5])
@pytest.mark.parametrize("fit_intercept", [True, False])
def test_certified_against_coordinate_descent(form, l1_ratio, fit_intercept):
    X, y = problem()
    alpha = 0.05
    pf = np.random.default_rng(1).uniform(0.5, 2.0, X.shape[1])
    kw = dict(alpha=alpha, fit_intercept=fit_intercept, tol=1e-9, penalty_factor=pf,
              max_iter=20000)
    model = (Lasso(**kw, solver="fista") if l1_ratio == 1 else
             ElasticNet(l1_ratio=l1_ratio, **kw, solver="fista")).fit(as_form(X, form), y)
    ref = (Lasso(**dict(kw, tol=1e-14)) if l1_ratio == 1 else
           ElasticNet(l1_ratio=l1_ratio, **dict(kw, tol=1e-14))).fit(X, y)
    p_fista = objective(X, y, model.coef_, model.intercept_, alpha, l1_ratio, pf)
    p_ref = objective(X, y, ref.coef_, ref.intercept_, alpha, l1_ratio, pf)
    null = np.sum((y - (y.mean() if fit_intercept else 0.0)) ** 2) / len(y)
    assert 0.0 <= model.dual_gap_ <= 1e-9 * null                 # the stopping rule
    assert p_fista - p_ref <= model.dual_gap_ + 1e-13 * null     # the certificate
    assert p_ref - p_fista <= ref.dual_gap_ + 1e-13 * null
    if not fit_intercept:
        assert model.intercept_ == 0.0
    np.testing.assert_allclose(model.predict(as_form(X, form)), ref.predict(X),
                               atol=1e-3 * np.std(y))
    assert model.score(as_form(X, form), y) == pytest.approx(ref.score(X, y), abs=1e-6)


def test_a_design_known_only_by_its_products():
    """A circular convolution (blur) as a LinearOperator: FISTA solves the Lasso
    deconvolution; coordinate descent on the explicit matrix gives the same optimum."""
    n = 128
    kernel = np.exp(-0.5 * (np.arange(-6, 7) / 2.0) ** 2)
    kernel /= kernel.sum()
    K = np.zeros(n)
    K[np.r_[np.arange(7), np.arange(n - 6, n)]] = kernel[np.r_[6:13, 0:6]]
    F = np.fft.rfft(K)

    def blur(v):
        return np.fft.irfft(np.fft.rfft(v) * F, n)

    def blur_t(u):
        return np.fft.irfft(np.fft.rfft(u) * np.conj(F), n)

    A = LinearOperator((n, n), matvec=blur, rmatvec=blur_t, dtype=np.float64)
    rng = np.random.default_rng(2)
    spikes = np.zeros(n)
    spikes[rng.choice(n, 6, replace=False)] = rng.uniform(1, 3, 6)
    y = blur(spikes) + 0.01 * rng.standard_normal(n)
    model = Lasso(alpha=1e-4, fit_intercept=False, solver="fista", tol=1e-10,
                  max_iter=50000).fit(A, y)
    dense = np.column_stack([blur(e) for e in np.eye(n)])
    ref = Lasso(alpha=1e-4, fit_intercept=False, tol=1e-14, max_iter=100000).fit(dense, y)
    p = objective(dense, y, model.coef_, 0.0, 1e-4, 1.0)
    p_ref = objective(dense, y, ref.coef_, 0.0, 1e-4, 1.0)
    assert p - p_ref <= model.dual_gap_ + 1e-14
    np.testing.assert_allclose(model.predict(A), dense @ model.coef_, atol=1e-12)
    assert set(np.flatnonzero(spikes)) <= set(np.flatnonzero(np.abs(model.coef_) > 0.1))


def test_warm_start_and_dtype():
    X, y = problem(seed=3)
    cold = Lasso(alpha=0.03, solver="fista", tol=1e-8).fit(X, y)
    warm = Lasso(alpha=0.03, solver="fista", tol=1e-8, warm_start=True)
    warm.fit(X, y)
    iters = warm.fit(X, y).n_iter_
    assert iters < cold.n_iter_
    m32 = Lasso(alpha=0.03, solver="fista", tol=1e-8).fit(X.astype(np.float32), y)
    assert m32.coef_.dtype == np.float32
    np.testing.assert_allclose(m32.coef_, cold.coef_, atol=1e-4 * np.abs(cold.coef_).max())


@pytest.mark.parametrize("form", ["dense", "csr", "operator"])
@pytest.mark.parametrize("fit_intercept", [True, False])
def test_sample_weights_certified_against_coordinate_descent(form, fit_intercept):
    """Weights with zeros: the weighted objective 1/(2S) sum s (y - Xw - b)^2 + penalty,
    the zero-weight rows ignored exactly (their dual point entries are 0)."""
    X, y = problem(seed=5)
    s = np.random.default_rng(6).uniform(0.0, 3.0, len(y))
    s[::7] = 0.0
    kw = dict(alpha=0.03, fit_intercept=fit_intercept, max_iter=20000)
    model = Lasso(**kw, tol=1e-9, solver="fista").fit(as_form(X, form), y, sample_weight=s)
    ref = Lasso(**kw, tol=1e-14).fit(X, y, sample_weight=s)

    def P(w, b):
        r = y - X @ w - b
        return 0.5 * s @ (r * r) / s.sum() + 0.03 * np.abs(w).sum()

    ybar = s @ y / s.sum() if fit_intercept else 0.0
    null = s @ (y - ybar) ** 2 / s.sum()
    assert 0.0 <= model.dual_gap_ <= 1e-9 * null
    assert P(model.coef_, model.intercept_) - P(ref.coef_, ref.intercept_) <= (
        model.dual_gap_ + 1e-13 * null)
    dropped = s > 0
    alone = Lasso(**kw, tol=1e-9, solver="fista").fit(X[dropped], y[dropped],
                                                       sample_weight=s[dropped])
    np.testing.assert_allclose(alone.coef_, model.coef_, atol=1e-4 * np.abs(ref.coef_).max())


@pytest.mark.parametrize("form", ["dense", "operator"])
@pytest.mark.parametrize("l1_ratio", [1.0, 0.5])
def test_unpenalized_features_certified(form, l1_ratio):
    """penalty_factor 0: the dual point is projected off those columns (and the intercept),
    so dual_gap_ is a finite certificate (it was inf) and meets the stopping rule."""
    X, y = problem(seed=8)
    pf = np.ones(X.shape[1])
    pf[[0, 5, 9]] = 0.0
    s = np.random.default_rng(9).uniform(0.0, 2.0, len(y))
    s[::5] = 0.0
    kw = dict(alpha=0.05, penalty_factor=pf, max_iter=20000)
    Est = Lasso if l1_ratio == 1.0 else (lambda **k: ElasticNet(l1_ratio=l1_ratio, **k))
    model = Est(**kw, tol=1e-10, solver="fista").fit(as_form(X, form), y, sample_weight=s)
    ref = Est(**kw, tol=1e-14).fit(X, y, sample_weight=s)

    def P(w, b):
        r = y - X @ w - b
        return 0.5 * s @ (r * r) / s.sum() + 0.05 * np.sum(
            pf * (l1_ratio * np.abs(w) + 0.5 * (1 - l1_ratio) * w * w))

    null = s @ (y - s @ y / s.sum()) ** 2 / s.sum()
    assert np.isfinite(model.dual_gap_) and 0.0 <= model.dual_gap_ <= 1e-10 * null
    assert P(model.coef_, model.intercept_) - P(ref.coef_, ref.intercept_) <= (
        model.dual_gap_ + 1e-13 * null)


@pytest.mark.parametrize("kw, match", [
    (dict(positive=True), "positive"), (dict(lower_bounds=0.0), "bounds"),
    (dict(standardize=True), "standardize")])
def test_unsupported_options_refused(kw, match):
    X, y = problem()
    with pytest.raises(ValueError, match=match):
        Lasso(solver="fista", **kw).fit(X, y)


def test_bad_solver_and_2d_target_and_operator_shape():
    X, y = problem()
    with pytest.raises(ValueError, match="solver must be"):
        Lasso(solver="lbfgs").fit(X, y)
    with pytest.raises(ValueError, match="2-D y"):
        Lasso(solver="fista").fit(X, np.column_stack([y, y]))
    model = Lasso(alpha=0.05, solver="fista").fit(aslinearoperator(X), y)
    with pytest.raises(ValueError, match="features"):
        model.predict(aslinearoperator(X[:, :10]))


def test_old_pickles_without_solver_use_coordinate_descent():
    X, y = problem()
    model = Lasso(alpha=0.05)
    state = model.__getstate__() if hasattr(model, "__getstate__") else dict(model.__dict__)
    state = dict(state)
    state.pop("solver")
    old = Lasso.__new__(Lasso)
    old.__setstate__(state) if hasattr(old, "__setstate__") else old.__dict__.update(state)
    old = pickle.loads(pickle.dumps(old))
    ref = Lasso(alpha=0.05).fit(X, y)
    np.testing.assert_array_equal(old.fit(X, y).coef_, ref.coef_)
    assert Lasso(solver="fista").get_params()["solver"] == "fista"
