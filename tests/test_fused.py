"""The Fused Lasso (issue 15 item 1): the signal approximator against its definition, the
fused dual norm against a linear program, FusedLasso and its certificate against cvxpy,
l1_ratio=1 against l1core's Lasso, storage / dtype / weight equivalences, the path, the CV,
scikit-learn's checks, bad input and Ctrl-C."""

import warnings

import numpy as np
import pytest
import scipy.sparse as sp

import l1core
from l1core import FusedLasso, FusedLassoCV, fused_lasso_path, fused_lasso_signal
from l1core.variants.fused_penalty import FusedPenalty, fused_dual_norm
from _fused_reference import cvxpy_fused, dual_norm_lp, kkt_holds, objective
from _sklearn_checks import assert_check_estimator_passes
from conftest import to_storage


def _blocks(seed, n=60, p=30, noise=0.3, dtype=np.float64):
    """A regression with a piecewise-constant coefficient vector."""
    rng = np.random.default_rng(seed)
    X = rng.standard_normal((n, p))
    w = np.zeros(p)
    w[p // 5: 2 * p // 5] = 1.5
    w[3 * p // 5: 4 * p // 5] = -1.0
    y = X @ w + 2.0 + noise * rng.standard_normal(n)
    return np.asfortranarray(X, dtype=dtype), y.astype(dtype)


def _signal(seed, n=200):
    rng = np.random.default_rng(seed)
    steps = np.repeat(rng.standard_normal(10) * 2, n // 10)
    return steps + 0.5 * rng.standard_normal(n)


# --------------------------------------------------------------------------- the signal


@pytest.mark.parametrize("l1_ratio", [0.0, 0.3, 0.7, 1.0])
@pytest.mark.parametrize("alpha", [1e-3, 1e-2, 0.1])
def test_signal_kkt(alpha, l1_ratio):
    """The exact signal approximator satisfies the 1-D KKT conditions (an LP in the TV
    dual variable, independent of Condat's algorithm and of the composition)."""
    y = _signal(0, n=120)
    n = y.size
    b = fused_lasso_signal(y, alpha, l1_ratio)
    assert kkt_holds(b, y - b, n * alpha * l1_ratio, n * alpha * (1 - l1_ratio))
    # and a perturbed point does not satisfy them: the check can fail
    assert not kkt_holds(b + 1e-3 * np.sin(np.arange(n)), y - b, n * alpha * l1_ratio,
                         n * alpha * (1 - l1_ratio))


@pytest.mark.parametrize("l1_ratio", [0.2, 0.8])
def test_signal_matches_cvxpy_and_fused_lasso(l1_ratio):
    pytest.importorskip("cvxpy")
    y = _signal(1, n=80)
    alpha = 0.02
    b = fused_lasso_signal(y, alpha, l1_ratio)
    I = np.eye(y.size)
    ref, _ = cvxpy_fused(I, y, alpha, l1_ratio, fit_intercept=False)
    p_ours, p_ref = (objective(I, y, w, 0.0, alpha, l1_ratio) for w in (b, ref))
    assert p_ours <= p_ref + 1e-12
    np.testing.assert_allclose(b, ref, atol=1e-6)
    model = FusedLasso(alpha=alpha, l1_ratio=l1_ratio, fit_intercept=False,
                       tol=1e-12).fit(I, y)               # X = identity: the same
    np.testing.assert_allclose(model.coef_, b, atol=1e-7)


def test_signal_dtype_out_and_input_untouched():
    y = _signal(2, n=50)
    keep = y.copy()
    b64 = fused_lasso_signal(y, 0.01, 0.5)
    np.testing.assert_array_equal(y, keep)
    b32 = fused_lasso_signal(y.astype(np.float32), 0.01, 0.5)
    assert b32.dtype == np.float32
    np.testing.assert_allclose(b32, b64, atol=1e-5)
    out = y.copy()
    assert fused_lasso_signal(out, 0.01, 0.5, out=out) is out
    np.testing.assert_array_equal(out, b64)


def test_signal_bad_input():
    with pytest.raises(ValueError):
        fused_lasso_signal(np.ones((3, 3)), 0.1)
    with pytest.raises(ValueError):
        fused_lasso_signal(np.array([1.0, np.nan]), 0.1)
    with pytest.raises(ValueError):
        fused_lasso_signal(np.ones(3), -1.0)
    with pytest.raises(ValueError):
        fused_lasso_signal(np.ones(3), 0.1, l1_ratio=1.5)
    with pytest.raises(TypeError):
        fused_lasso_signal(np.array(["a", "b"]), 0.1)


# --------------------------------------------------------------------------- the dual norm


@pytest.mark.parametrize("a,c", [(1.0, 0.0), (1.0, 0.5), (0.1, 1.0), (0.01, 3.0), (2.0, 1e-3)])
def test_dual_norm_equals_linear_program(a, c):
    rng = np.random.default_rng(3)
    for _ in range(3):
        q = rng.standard_normal(25) * rng.uniform(0.1, 10)
        np.testing.assert_allclose(fused_dual_norm(q, a, c), dual_norm_lp(q, a, c), rtol=1e-9)


def test_dual_norm_pure_tv_and_edge_cases():
    rng = np.random.default_rng(4)
    q = rng.standard_normal(20)
    assert fused_dual_norm(q, 0.0, 1.0) == np.inf            # TV is blind to constants
    q -= q.mean()
    np.testing.assert_allclose(fused_dual_norm(q, 0.0, 2.0), dual_norm_lp(q, 0.0, 2.0),
                               rtol=1e-9)
    assert fused_dual_norm(np.zeros(5), 1.0, 1.0) == 0.0
    assert fused_dual_norm(np.array([3.0]), 2.0, 1.0) == 1.5
    pen = FusedPenalty(2.0, 0.25)
    s, _ = pen.dual(q * 100)
    assert fused_dual_norm(s * q * 100, pen.a, pen.c) <= 1.0 + 1e-12


# --------------------------------------------------------------------------- regression


CASES = [(0.05, 0.5, True, None), (0.02, 0.1, True, "int"), (0.1, 0.9, False, None),
         (0.03, 0.0, True, "float"), (0.05, 0.0, False, None)]


def _weights(kind, n):
    rng = np.random.default_rng(5)
    if kind is None:
        return None
    if kind == "int":
        return rng.integers(0, 4, n).astype(np.float64)
    return rng.uniform(0.1, 3.0, n)


@pytest.mark.parametrize("alpha,l1_ratio,fit_intercept,weights", CASES)
def test_fused_lasso_matches_cvxpy(alpha, l1_ratio, fit_intercept, weights):
    pytest.importorskip("cvxpy")
    X, y = _blocks(6)
    sw = _weights(weights, X.shape[0])
    w_ref, b_ref = cvxpy_fused(X, y, alpha, l1_ratio, sw, fit_intercept)
    p_ref = objective(X, y, w_ref, b_ref, alpha, l1_ratio, sw)
    model = FusedLasso(alpha=alpha, l1_ratio=l1_ratio, fit_intercept=fit_intercept,
                       tol=1e-13, max_iter=200_000).fit(X, y, sample_weight=sw)
    p_ours = objective(X, y, model.coef_, model.intercept_, alpha, l1_ratio, sw)
    assert p_ours - p_ref <= model.dual_gap_ + 1e-13          # the gap bounds it
    assert abs(p_ours - p_ref) <= 1e-10 * p_ref
    np.testing.assert_allclose(model.coef_, w_ref, atol=1e-6)
    np.testing.assert_allclose(model.intercept_, b_ref, atol=1e-6)


@pytest.mark.parametrize("alpha,l1_ratio,fit_intercept,weights", CASES)
def test_gap_bounds_suboptimality_at_loose_tol(alpha, l1_ratio, fit_intercept, weights):
    """At a loose tol the solution is far from optimal: its reported gap must still bound
    P(w) - P*, with P* from cvxpy; and the gap recomputed in NumPy (the dual point s r / S
    scaled by the LP dual norm) equals the reported one."""
    pytest.importorskip("cvxpy")
    X, y = _blocks(7)
    sw = _weights(weights, X.shape[0])
    w_ref, b_ref = cvxpy_fused(X, y, alpha, l1_ratio, sw, fit_intercept)
    p_ref = objective(X, y, w_ref, b_ref, alpha, l1_ratio, sw)
    for max_iter in (3, 10, 30):
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            model = FusedLasso(alpha=alpha, l1_ratio=l1_ratio, fit_intercept=fit_intercept,
                               tol=1e-12, max_iter=max_iter).fit(X, y, sample_weight=sw)
        p_ours = objective(X, y, model.coef_, model.intercept_, alpha, l1_ratio, sw)
        assert p_ref - 1e-12 <= p_ours <= p_ref + model.dual_gap_ + 1e-12
        assert model.dual_gap_ == pytest.approx(
            _numpy_gap(X, y, model.coef_, model.intercept_, alpha, l1_ratio, sw,
                       fit_intercept), rel=1e-6, abs=1e-12)


def _numpy_gap(X, y, w, b, alpha, l1_ratio, sw, fit_intercept):
    n, p = X.shape
    sw = np.ones(n) if sw is None else sw
    S = sw.sum()
    a, c = alpha * l1_ratio, alpha * (1 - l1_ratio)
    r = y - X @ w - b
    theta = sw * r / S
    if fit_intercept:
        assert abs(theta.sum()) < 1e-10
    if a == 0:                                  # project out X 1 (TV is blind to constants)
        v = np.where(sw > 0, X @ np.ones(p), 0.0)
        if fit_intercept:
            v[sw > 0] -= v[sw > 0].mean()
        theta = theta - (theta @ v) / (v @ v) * v
    q = X.T @ theta
    norm = dual_norm_lp(q, a, c)
    yc = y - (sw @ y / S if fit_intercept else 0.0)
    A = theta @ yc
    B = S * np.sum(theta[sw > 0] ** 2 / sw[sw > 0])
    t = max(min(A / B, 1 / norm), 0.0)
    primal = objective(X, y, w, b, alpha, l1_ratio, sw)
    return primal - (t * A - t * t * B / 2)


def test_l1_ratio_one_is_the_lasso():
    X, y = _blocks(8)
    fused = FusedLasso(alpha=0.05, l1_ratio=1.0, tol=1e-12, max_iter=100_000).fit(X, y)
    lasso = l1core.Lasso(alpha=0.05, tol=1e-12, max_iter=100_000).fit(X, y)
    np.testing.assert_allclose(fused.coef_, lasso.coef_, atol=1e-7)
    np.testing.assert_allclose(fused.intercept_, lasso.intercept_, atol=1e-7)


@pytest.mark.parametrize("storage", ["csc", "csr"])
def test_dense_equals_sparse(storage):
    X, y = _blocks(9)
    X[np.abs(X) < 0.8] = 0.0
    sw = _weights("float", X.shape[0])
    dense = FusedLasso(alpha=0.03, l1_ratio=0.4, tol=1e-12).fit(X, y, sample_weight=sw)
    Xs = to_storage(X, storage)
    keep = Xs.copy()
    sparse = FusedLasso(alpha=0.03, l1_ratio=0.4, tol=1e-12).fit(Xs, y, sample_weight=sw)
    np.testing.assert_allclose(sparse.coef_, dense.coef_, atol=1e-8)
    np.testing.assert_allclose(sparse.intercept_, dense.intercept_, atol=1e-8)
    assert (Xs != keep).nnz == 0                                  # never modified
    np.testing.assert_allclose(sparse.predict(Xs), dense.predict(X), atol=1e-8)


@pytest.mark.parametrize("storage", ["dense", "csc"])
def test_float32_matches_float64(storage):
    X, y = _blocks(10)
    m64 = FusedLasso(alpha=0.05, l1_ratio=0.5, tol=1e-10).fit(to_storage(X, storage), y)
    X32 = to_storage(X, storage, np.float32)
    m32 = FusedLasso(alpha=0.05, l1_ratio=0.5, tol=1e-5).fit(X32, y.astype(np.float32))
    scale = np.abs(m64.coef_).max()
    np.testing.assert_allclose(m32.coef_, m64.coef_, atol=2e-3 * scale)
    np.testing.assert_allclose(m32.intercept_, m64.intercept_, atol=2e-3 * abs(y).max())


def test_integer_weights_equal_repeated_rows():
    X, y = _blocks(11)
    sw = np.random.default_rng(12).integers(0, 3, X.shape[0])
    weighted = FusedLasso(alpha=0.04, l1_ratio=0.3, tol=1e-12).fit(X, y, sample_weight=sw)
    rows = np.repeat(np.arange(X.shape[0]), sw)
    repeated = FusedLasso(alpha=0.04, l1_ratio=0.3, tol=1e-12).fit(X[rows], y[rows])
    np.testing.assert_allclose(weighted.coef_, repeated.coef_, atol=1e-7)
    np.testing.assert_allclose(weighted.intercept_, repeated.intercept_, atol=1e-7)


def test_warm_start_and_convergence_warning():
    X, y = _blocks(13)
    model = FusedLasso(alpha=0.03, l1_ratio=0.5, tol=1e-10, warm_start=True).fit(X, y)
    first = model.n_iter_
    model.fit(X, y)
    assert first > 10 and model.n_iter_ == 0          # already certified at the start
    with pytest.warns(l1core.ConvergenceWarning, match="duality gap"):
        FusedLasso(alpha=0.03, l1_ratio=0.5, tol=1e-12, max_iter=2).fit(X, y)


def test_inputs_not_modified_and_bad_input():
    X, y = _blocks(14)
    X_keep, y_keep = X.copy(), y.copy()
    sw = np.ones(X.shape[0]); sw_keep = sw.copy()
    FusedLasso(alpha=0.05).fit(X, y, sample_weight=sw)
    np.testing.assert_array_equal(X, X_keep)
    np.testing.assert_array_equal(y, y_keep)
    np.testing.assert_array_equal(sw, sw_keep)
    for bad in (dict(alpha=-1.0), dict(alpha=0.0), dict(l1_ratio=1.5), dict(tol=-1.0),
                dict(max_iter=0), dict(alpha="a")):
        with pytest.raises((ValueError, TypeError)):
            FusedLasso(**bad).fit(X, y)
    Xn = X.copy(); Xn[0, 0] = np.nan
    with pytest.raises(ValueError):
        FusedLasso().fit(Xn, y)
    with pytest.raises(ValueError):
        FusedLasso().fit(X, y[:-1])
    with pytest.raises(ValueError):
        FusedLasso().fit(X, y, sample_weight=-sw)
    with pytest.raises(ValueError, match="alphas explicitly"):
        fused_lasso_path(X, y, l1_ratio=0.0)
    with pytest.raises(ValueError):
        fused_lasso_path(X, y, alphas=[0.1, 0.0])
    model = FusedLasso(alpha=0.05).fit(X, y)
    with pytest.raises(ValueError, match="features"):
        model.predict(X[:, :5])


# --------------------------------------------------------------------------- path and CV


def test_path_alpha_max_warm_starts_and_certificates():
    X, y = _blocks(15)
    path = fused_lasso_path(X, y, l1_ratio=0.5, n_alphas=8, fit_intercept=True, tol=1e-10,
                            return_n_iter=True, return_intercept=True)
    assert np.all(path.coefs[:, 0] == 0) and path.n_nonzero[1] > 0
    just_below = fused_lasso_path(X, y, l1_ratio=0.5, alphas=[path.alphas[0] * 0.999],
                                  fit_intercept=True, tol=1e-12)
    assert np.any(just_below.coefs[:, 0] != 0)                    # alpha_max is tight
    yc = y - y.mean()
    assert np.all(path.dual_gaps <= 1e-10 * np.mean(yc ** 2))
    for k in (2, 6):
        single = FusedLasso(alpha=path.alphas[k], l1_ratio=0.5, tol=1e-12).fit(X, y)
        np.testing.assert_allclose(path.coefs[:, k], single.coef_, atol=1e-5)
        np.testing.assert_allclose(path.intercepts[k], single.intercept_, atol=1e-5)
    assert np.all(np.diff(path.deviance_explained) >= -1e-8)


def test_fused_lasso_cv_choice_and_refit():
    X, y = _blocks(16, n=60, p=20)
    cv = FusedLassoCV(l1_ratio=[0.3, 0.9], n_alphas=8, cv=3, tol=1e-6).fit(X, y)
    assert cv.mse_path_.shape == (2, 8, 3) and cv.alphas_.shape == (2, 8)
    i, k = np.unravel_index(np.argmin(cv.cv_mean_), cv.cv_mean_.shape)
    assert cv.l1_ratio_ == [0.3, 0.9][i] and cv.alpha_ == cv.alphas_[i, k]
    refit = FusedLasso(alpha=cv.alpha_, l1_ratio=cv.l1_ratio_, tol=1e-6).fit(X, y)
    np.testing.assert_allclose(cv.coef_, refit.coef_, atol=1e-10)
    one_se = FusedLassoCV(l1_ratio=0.3, n_alphas=8, cv=3, refit_alpha="1se",
                          tol=1e-10).fit(X, y)
    assert one_se.alpha_ == one_se.alpha_1se_ >= one_se.alpha_min_
    # the fold errors are those of a path fitted on the training rows only
    folds = list(FusedLassoCV(cv=3)._splits(X, y))
    train, test = folds[0]
    fold_path = fused_lasso_path(X[train], y[train], l1_ratio=0.3, alphas=one_se.alphas_[0],
                                 fit_intercept=True, tol=1e-11, return_intercept=True)
    pred = X[test] @ fold_path.coefs + fold_path.intercepts
    mse = np.mean((pred - y[test, None]) ** 2, axis=0)
    np.testing.assert_allclose(one_se.mse_path_[0, :, 0], mse, rtol=1e-6)


@pytest.mark.parametrize("est", [FusedLasso(alpha=0.1), FusedLassoCV(n_alphas=5, cv=3)],
                         ids=lambda e: type(e).__name__)
def test_check_estimator(est):
    assert_check_estimator_passes(est)


def test_ctrl_c_stops_a_long_fit():
    from test_interrupt import _assert_usable, _interrupted_after

    rng = np.random.default_rng(17)
    X = np.asfortranarray(rng.standard_normal((300, 1)) + 0.01 * rng.standard_normal((300, 800)))
    y = X[:, :50].sum(axis=1)
    seconds = _interrupted_after(lambda: FusedLasso(alpha=1e-6, l1_ratio=0.5, tol=1e-300,
                                                    max_iter=10**9).fit(X, y))
    assert seconds < 10.0
    _assert_usable()
