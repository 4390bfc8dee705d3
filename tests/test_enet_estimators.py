"""Semantics of the Elastic Net contract and the behaviour of the Lasso/ElasticNet estimators.

Sample weights, penalty factors, degenerate columns, alpha_max, bounds, warm starts,
convergence warnings, input immutability, dtypes and layouts; then the scikit-learn estimator
API (predict/score, clone, pickle, Pipeline + GridSearchCV, params, errors).
"""

import copy
import pickle
import re
import warnings

import numpy as np
import pytest
import scipy.sparse as sp

import _reference as ref
from conftest import (check_certified, make_regression, problem_of, solve_quiet,
                      to_storage)
from l1core import ConvergenceWarning, ElasticNet, Lasso, NotFittedError, enet_solve

STORAGES = ["dense", "dense_c", "csc", "csr", "csr_array"]
TIGHT = dict(tol=1e-15, max_iter=100_000)


def data(seed=0, n=60, p=8, density=None, shift=1.0):
    X, y, _ = make_regression(seed, n, p, density=density, shift=shift)
    return X, y


def fit(est, X, y, **kw):
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        est.fit(X, y, **kw)
    return est, caught


def convergence_warnings(caught):
    return [w for w in caught if issubclass(w.category, ConvergenceWarning)]


def assert_same_model(a, b, rtol=1e-7):
    """Two tight solutions of the same strongly convex problem."""
    scale = max(np.max(np.abs(b.coef_)), 1.0)
    np.testing.assert_allclose(a.coef_, b.coef_, rtol=0, atol=rtol * scale)
    assert a.intercept_ == pytest.approx(b.intercept_, rel=rtol, abs=rtol * scale)


# ------------------------------------------------------------------ sample weights


@pytest.mark.parametrize("storage", ["dense", "csc", "csr"])
@pytest.mark.parametrize("l1_ratio", [1.0, 0.5])
def test_zero_weight_equals_dropping_the_row(storage, l1_ratio):
    Xd, y = data(1, density=None if storage == "dense" else 0.6)
    rng = np.random.default_rng(1)
    s = rng.uniform(0.5, 2.0, size=y.size)
    drop = rng.choice(y.size, size=12, replace=False)
    s[drop] = 0.0
    keep = np.setdiff1d(np.arange(y.size), drop)
    y_mod = y.copy()
    y_mod[drop] = 1e3  # the dropped rows' values must not matter at all
    alpha = 0.1
    a, _ = fit(ElasticNet(alpha=alpha, l1_ratio=l1_ratio, **TIGHT), to_storage(Xd, storage),
               y_mod, sample_weight=s)
    b, _ = fit(ElasticNet(alpha=alpha, l1_ratio=l1_ratio, **TIGHT),
               to_storage(Xd[keep], storage), y[keep], sample_weight=s[keep])
    assert_same_model(a, b)
    assert np.count_nonzero(a.coef_) >= 2


@pytest.mark.parametrize("storage", ["dense", "csc", "csr"])
def test_integer_weight_equals_duplicating_rows(storage):
    Xd, y = data(2, density=None if storage == "dense" else 0.6)
    s = np.random.default_rng(2).integers(1, 4, size=y.size)
    rows = np.repeat(np.arange(y.size), s)
    a, _ = fit(Lasso(alpha=0.05, **TIGHT), to_storage(Xd, storage), y, sample_weight=s)
    b, _ = fit(Lasso(alpha=0.05, **TIGHT), to_storage(Xd[rows], storage), y[rows])
    assert_same_model(a, b)
    # and they differ from the unweighted fit (the weights are used)
    c, _ = fit(Lasso(alpha=0.05, **TIGHT), to_storage(Xd, storage), y)
    assert np.max(np.abs(c.coef_ - a.coef_)) > 1e-4


@pytest.mark.parametrize("storage", ["dense", "csr"])
@pytest.mark.parametrize("const", [1e-3, 7.0, 1e6])
def test_scaling_all_weights_changes_nothing(storage, const):
    Xd, y = data(3, density=None if storage == "dense" else 0.6)
    s = np.random.default_rng(3).uniform(0.1, 2.0, size=y.size)
    X = to_storage(Xd, storage)
    a, _ = fit(ElasticNet(alpha=0.05, l1_ratio=0.7, tol=1e-10), X, y, sample_weight=s)
    b, _ = fit(ElasticNet(alpha=0.05, l1_ratio=0.7, tol=1e-10), X, y,
               sample_weight=s * const)
    np.testing.assert_allclose(b.coef_, a.coef_, rtol=1e-9, atol=1e-12)
    assert b.intercept_ == pytest.approx(a.intercept_, rel=1e-9)
    assert b.dual_gap_ == pytest.approx(a.dual_gap_, rel=1e-6, abs=1e-14)
    # all-equal weights are exactly no weights
    c, _ = fit(ElasticNet(alpha=0.05, l1_ratio=0.7, tol=1e-10), X, y,
               sample_weight=np.full(y.size, const))
    d, _ = fit(ElasticNet(alpha=0.05, l1_ratio=0.7, tol=1e-10), X, y)
    np.testing.assert_allclose(c.coef_, d.coef_, rtol=1e-12, atol=1e-14)


# ------------------------------------------------------------------ penalty factors


@pytest.mark.parametrize("storage", ["dense", "csc", "csr"])
@pytest.mark.parametrize("weighted", [False, True])
def test_unpenalized_column_is_ols_when_the_others_are_zero(storage, weighted):
    Xd, y = data(4, density=None if storage == "dense" else 0.7)
    s = np.random.default_rng(4).uniform(0.2, 2.0, size=y.size) if weighted else None
    j = 3
    pf = np.ones(Xd.shape[1])
    pf[j] = 0.0
    # alpha far above alpha_max: every penalized coefficient is zero
    est, caught = fit(Lasso(alpha=1e4, penalty_factor=pf, tol=1e-12),
                      to_storage(Xd, storage), y, sample_weight=s)
    assert not convergence_warnings(caught)
    others = np.delete(est.coef_, j)
    assert np.all(others == 0.0)
    # weighted OLS of y on [x_j, 1]
    sw = np.ones(y.size) if s is None else s
    A = np.c_[Xd[:, j], np.ones(y.size)]
    beta = np.linalg.lstsq(A * np.sqrt(sw)[:, None], y * np.sqrt(sw), rcond=None)[0]
    assert est.coef_[j] == pytest.approx(beta[0], rel=1e-6)
    assert est.intercept_ == pytest.approx(beta[1], rel=1e-6, abs=1e-6)


@pytest.mark.parametrize("l1_ratio", [1.0, 0.5])
def test_unpenalized_columns_have_zero_gradient(l1_ratio):
    Xd, y = data(5, p=12)
    pf = np.random.default_rng(5).uniform(0.5, 2.0, size=12)
    pf[[0, 7]] = 0.0
    y = y - 3.0 * Xd[:, 0]  # make the unpenalized coefficient large
    est, _ = fit(ElasticNet(alpha=0.3, l1_ratio=l1_ratio, penalty_factor=pf, tol=1e-14),
                 Xd, y)
    pb = ref.make_problem(Xd, y, alpha=0.3, l1_ratio=l1_ratio, penalty_factor=pf)
    gap = check_certified(pb, est.coef_, est.intercept_, tol=1e-14,
                          reported_gap=est.dual_gap_)
    r = y - Xd @ est.coef_ - est.intercept_
    grad = Xd.T @ r / y.size
    # P - P* <= gap bounds the gradient of an unconstrained coordinate by sqrt(2 H_j gap)
    H = np.var(Xd, axis=0)
    bound = np.sqrt(2 * H * max(gap, 1e-15 * np.var(y))) + 1e-12
    assert np.all(np.abs(grad[[0, 7]]) <= bound[[0, 7]])
    assert est.coef_[0] < -1.0
    assert np.max(np.abs(grad[pf > 0])) > 100 * np.max(bound)  # the others are shrunk
    # a larger factor shrinks harder
    pf2 = pf.copy()
    k = int(np.argmax(np.abs(est.coef_) * (pf > 0)))
    pf2[k] *= 3.0
    est2, _ = fit(ElasticNet(alpha=0.3, l1_ratio=l1_ratio, penalty_factor=pf2, tol=1e-12),
                  Xd, y)
    assert abs(est2.coef_[k]) < abs(est.coef_[k])




@pytest.mark.parametrize("kind", ["positive", "upper"])
def test_unpenalized_column_at_bound(kind):
    X, y = data(6, n=30, p=6)
    y = y - 5.0 * X[:, 0]  # the unconstrained coefficient 0 is about -5
    pf = np.ones(6)
    pf[0] = 0.0
    kw = dict(alpha=0.5, penalty_factor=pf, tol=1e-10, max_iter=500)
    if kind == "positive":
        kw["positive"] = True
    else:
        kw["upper_bounds"] = np.r_[-8.0, np.full(5, np.inf)]
    est, caught = fit(Lasso(**kw), X, y)
    pb = problem_of(dict(X=X, y=y, alpha=0.5, penalty_factor=pf,
                         positive=kw.get("positive", False),
                         upper_bounds=kw.get("upper_bounds")))
    assert est.coef_[0] == (0.0 if kind == "positive" else -8.0)  # the bound is active
    assert ref.kkt_violation(pb, est.coef_, est.intercept_).max() < 1e-8  # optimal ...
    assert not convergence_warnings(caught)  # ... but not certified
    assert est.dual_gap_ <= 1e-10 * np.var(y)


# ------------------------------------------------------------------ degenerate columns


@pytest.mark.parametrize("storage", ["dense", "csc", "csr"])
@pytest.mark.parametrize("fit_intercept", [True, False])
def test_zero_variance_and_all_zero_columns(storage, fit_intercept):
    X, y = data(7, n=40, p=6, shift=0.0 if not fit_intercept else 1.0)
    X[:, 1] = 0.0
    X[:, 4] = 2.5  # constant: zero variance once centred
    est, caught = fit(Lasso(alpha=0.05, fit_intercept=fit_intercept, tol=1e-10),
                      to_storage(X, storage), y)
    assert np.all(np.isfinite(est.coef_)) and np.isfinite(est.intercept_)
    assert est.coef_[1] == 0.0
    if fit_intercept:
        assert est.coef_[4] == 0.0
        assert not convergence_warnings(caught)
        pb = ref.make_problem(X, y, alpha=0.05)
        check_certified(pb, est.coef_, est.intercept_, tol=1e-10, reported_gap=est.dual_gap_)
    else:
        # without an intercept the constant column is a genuine feature (it acts as one)
        pb = ref.make_problem(X, y, alpha=0.05, fit_intercept=False)
        check_certified(pb, est.coef_, 0.0, tol=1e-10, reported_gap=est.dual_gap_)
        assert not convergence_warnings(caught)
    assert np.all(np.isfinite(est.predict(to_storage(X, storage))))


@pytest.mark.parametrize("storage", ["dense", "csr"])
def test_degenerate_columns_with_penalty_factor_zero_and_bounds(storage):
    X, y = data(8, n=40, p=6)
    X[:, 1] = 0.0
    X[:, 2] = -1.5
    pf = np.ones(6)
    pf[[1, 2]] = 0.0  # unpenalized degenerate columns: singular projection block
    lower = np.r_[-np.inf, -np.inf, -np.inf, 0.5, -np.inf, -np.inf]
    est, caught = fit(Lasso(alpha=0.05, penalty_factor=pf, lower_bounds=lower, tol=1e-10),
                      to_storage(X, storage), y)
    assert not convergence_warnings(caught)
    assert np.all(np.isfinite(est.coef_))
    assert est.coef_[1] == 0.0 and est.coef_[2] == 0.0
    assert est.coef_[3] >= 0.5
    pb = ref.make_problem(X, y, alpha=0.05, penalty_factor=pf, lower_bounds=lower)
    check_certified(pb, est.coef_, est.intercept_, tol=1e-10, reported_gap=est.dual_gap_)


def test_constant_column_with_box_excluding_zero():
    """A zero-variance column cannot change the fit, so its coefficient sits at the
    minimum of its penalty over the box: the bound nearest 0; the intercept compensates."""
    X, y = data(9, n=40, p=5)
    X[:, 2] = 4.0
    lower = np.r_[-np.inf, -np.inf, 0.5, -np.inf, -np.inf]
    est, _ = fit(Lasso(alpha=0.05, lower_bounds=lower, tol=1e-12), X, y)
    free, _ = fit(Lasso(alpha=0.05, tol=1e-12), np.delete(X, 2, axis=1), y)
    assert est.coef_[2] == 0.5
    np.testing.assert_allclose(np.delete(est.coef_, 2), free.coef_, atol=1e-9)
    np.testing.assert_allclose(est.predict(X), free.predict(np.delete(X, 2, axis=1)),
                               atol=1e-9)


# ------------------------------------------------------------------ alpha_max, bounds


@pytest.mark.parametrize("storage", ["dense", "csc", "csr"])
@pytest.mark.parametrize("l1_ratio", [1.0, 0.5])
@pytest.mark.parametrize("weighted", [False, True])
def test_alpha_max(storage, l1_ratio, weighted):
    Xd, y = data(10, density=None if storage == "dense" else 0.6)
    rng = np.random.default_rng(10)
    s = rng.uniform(0, 2, size=y.size) if weighted else None
    pf = rng.uniform(0.5, 2.0, size=Xd.shape[1])
    s_ = np.ones(y.size) if s is None else s
    ybar = s_ @ y / s_.sum()
    xbar = s_ @ Xd / s_.sum()
    amax = np.max(np.abs((Xd - xbar).T @ (s_ * (y - ybar))) / (s_.sum() * pf * l1_ratio))
    X = to_storage(Xd, storage)
    for alpha in (amax, amax * 1.0001, 10 * amax):
        est, _ = fit(ElasticNet(alpha=alpha, l1_ratio=l1_ratio, penalty_factor=pf), X, y,
                     sample_weight=s)
        assert np.all(est.coef_ == 0.0)
        assert est.intercept_ == pytest.approx(ybar, rel=1e-12)
        assert est.n_iter_ == 0
    est, _ = fit(ElasticNet(alpha=amax * (1 - 1e-4), l1_ratio=l1_ratio, penalty_factor=pf,
                            tol=1e-12), X, y, sample_weight=s)
    assert np.count_nonzero(est.coef_) == 1


@pytest.mark.parametrize("storage", ["dense", "csc", "csr"])
def test_lower_bound_above_zero_is_enforced(storage):
    Xd, y, w_true = make_regression(11, 60, 8, density=None if storage == "dense" else 0.6)
    lower = np.full(8, -np.inf)
    upper = np.full(8, np.inf)
    j_neg = int(np.argmin(w_true))  # truly negative: forced up to its bound
    lower[j_neg] = 0.25
    j_pos = int(np.argmax(w_true))  # truly large positive: capped
    upper[j_pos] = 0.5
    est, _ = fit(Lasso(alpha=0.01, lower_bounds=lower, upper_bounds=upper, tol=1e-12),
                 to_storage(Xd, storage), y)
    assert est.coef_[j_neg] == 0.25
    assert est.coef_[j_pos] == 0.5
    assert np.all(est.coef_ >= lower) and np.all(est.coef_ <= upper)
    pb = ref.make_problem(Xd, y, alpha=0.01, lower_bounds=lower, upper_bounds=upper)
    check_certified(pb, est.coef_, est.intercept_, tol=1e-12, reported_gap=est.dual_gap_)
    pos, _ = fit(Lasso(alpha=0.01, positive=True), to_storage(Xd, storage), y)
    assert np.all(pos.coef_ >= 0) and pos.coef_[j_neg] == 0.0


def test_float32_coef_respects_bounds():
    X, y = data(12, n=40, p=6)
    # [0.7, 0.75] and [0.7, inf): bounds float32 cannot represent, binding at the solution
    lower = np.r_[np.full(4, -np.inf), 0.7, 0.7]
    upper = np.r_[np.full(4, np.inf), 0.75, np.inf]
    est = Lasso(alpha=0.01, lower_bounds=lower, upper_bounds=upper).fit(
        X.astype(np.float32), y)
    assert est.coef_.dtype == np.float32
    assert np.all(est.coef_ >= lower) and np.all(est.coef_ <= upper), est.coef_


# ------------------------------------------------------------------ warm start, coef_init


@pytest.mark.parametrize("storage", ["dense", "csr"])
def test_warm_start_at_same_alpha_converges_immediately(storage):
    Xd, y = data(13, n=80, p=40, density=None if storage == "dense" else 0.5)
    X = to_storage(Xd, storage)
    est = ElasticNet(alpha=0.05, l1_ratio=0.8, warm_start=True, tol=1e-8)
    fit(est, X, y)
    cold_iter = est.n_iter_
    first = est.coef_.copy()
    assert cold_iter >= 5
    fit(est, X, y)
    assert est.n_iter_ <= 1
    np.testing.assert_allclose(est.coef_, first, atol=1e-6 * np.abs(first).max())
    # without warm_start the refit starts over
    cold = ElasticNet(alpha=0.05, l1_ratio=0.8, tol=1e-8)
    fit(cold, X, y)
    fit(cold, X, y)
    assert cold.n_iter_ == cold_iter
    # warm start at a nearby alpha needs fewer epochs than a cold start there
    est.set_params(alpha=0.045)
    fit(est, X, y)
    cold.set_params(alpha=0.045)
    fit(cold, X, y)
    assert est.n_iter_ < cold.n_iter_


def test_coef_init_is_honored_and_not_modified():
    X, y = data(14, n=60, p=20)
    sol = enet_solve(X, y, alpha=0.05, tol=1e-12)
    init = sol.coef.copy()
    again = enet_solve(X, y, alpha=0.05, tol=1e-12, coef_init=init)
    assert again.n_iter == 0
    np.testing.assert_array_equal(again.coef, sol.coef)
    np.testing.assert_array_equal(init, sol.coef)  # not written into
    # one epoch from a far start differs from one epoch from zero
    far = np.full(20, 3.0)
    a, _ = solve_quiet(enet_solve, X=X, y=y, alpha=0.05, max_iter=1, coef_init=far)
    b, _ = solve_quiet(enet_solve, X=X, y=y, alpha=0.05, max_iter=1)
    assert not np.allclose(a.coef, b.coef)
    np.testing.assert_array_equal(far, 3.0)
    # a start outside the bounds is clipped into them
    c = enet_solve(X, y, alpha=0.05, tol=1e-12, positive=True, coef_init=-far)
    assert np.all(c.coef >= 0)


def test_convergence_warning_states_the_gap():
    X, y = data(15, n=100, p=200)
    with pytest.warns(ConvergenceWarning) as record:
        est = Lasso(alpha=1e-3, max_iter=1, tol=1e-10).fit(X, y)
    msg = str(record[0].message)
    assert f"{est.dual_gap_:.3e}" in msg
    assert "max_iter=1" in msg
    assert est.n_iter_ == 1
    gap_tol = 1e-10 * np.var(y)
    assert est.dual_gap_ > gap_tol
    # the reported gap is the gap at the returned (unconverged) point
    pb = ref.make_problem(X, y, alpha=1e-3)
    assert est.dual_gap_ == pytest.approx(ref.duality_gap(pb, est.coef_, est.intercept_),
                                          rel=1e-6)
    # the same warning class from enet_solve; warn=False silences it
    with pytest.warns(ConvergenceWarning, match=re.escape("duality gap")):
        enet_solve(X, y, alpha=1e-3, max_iter=1, tol=1e-10)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        sol = enet_solve(X, y, alpha=1e-3, max_iter=1, tol=1e-10, warn=False)
    assert not sol.converged and sol.dual_gap > sol.gap_tol


@pytest.mark.parametrize("max_iter", [1, 2, 3, 7, 50])
def test_n_iter_never_exceeds_max_iter(max_iter):
    X, y = data(16, n=50, p=120)
    for selection in ("cyclic", "random"):
        est, _ = fit(ElasticNet(alpha=1e-3, l1_ratio=0.9, max_iter=max_iter, tol=1e-14,
                                selection=selection, random_state=0), X, y)
        assert 1 <= est.n_iter_ <= max_iter


# ------------------------------------------------------------------ inputs, dtypes, layouts


def _deep_equal(a, b):
    assert type(a) is type(b)
    if sp.issparse(a):
        assert a.format == b.format and a.dtype == b.dtype
        for attr in ("data", "indices", "indptr"):
            np.testing.assert_array_equal(getattr(a, attr), getattr(b, attr))
            assert getattr(a, attr).dtype == getattr(b, attr).dtype
    else:
        np.testing.assert_array_equal(a, b)
        assert a.dtype == b.dtype and a.flags.f_contiguous == b.flags.f_contiguous


@pytest.mark.parametrize("storage", STORAGES + ["csc_array"])
@pytest.mark.parametrize("dtype", [np.float64, np.float32])
def test_user_inputs_are_never_modified(storage, dtype):
    Xd, y = data(17, n=40, p=12, density=None if storage.startswith("dense") else 0.6)
    X = to_storage(Xd, storage, dtype, np.int64 if storage == "csc" else np.int32)
    if sp.issparse(X):
        X.has_sorted_indices = False  # tempt an in-place sort
    s = np.random.default_rng(17).uniform(0, 2, size=y.size)
    pf = np.r_[0.0, np.ones(11)]
    lower = np.r_[np.full(6, -np.inf), np.full(6, -1.0)]
    upper = np.full(12, 2.0)
    init = np.full(12, 0.1)
    args = dict(X=X, y=y, s=s, pf=pf, lower=lower, upper=upper, init=init)
    before = copy.deepcopy(args)
    est = ElasticNet(alpha=0.05, l1_ratio=0.5, penalty_factor=pf, lower_bounds=lower,
                     upper_bounds=upper, warm_start=True)
    fit(est, X, y, sample_weight=s)
    fit(est, X, y, sample_weight=s)  # warm start reads coef_
    est.predict(X)
    est.score(X, y, sample_weight=s)
    solve_quiet(enet_solve, X=X, y=y, alpha=0.05, sample_weight=s, penalty_factor=pf,
                lower_bounds=lower, upper_bounds=upper, coef_init=init)
    for key in args:
        _deep_equal(args[key], before[key])
    assert est.penalty_factor is pf and est.lower_bounds is lower  # params stored as given


@pytest.mark.parametrize("storage", STORAGES)
def test_float32_in_float32_out(storage):
    Xd, y = data(18, n=60, p=10, density=None if storage.startswith("dense") else 0.6)
    X32 = to_storage(Xd, storage, np.float32)
    est, _ = fit(ElasticNet(alpha=0.05, tol=1e-10), X32, y)
    assert est.coef_.dtype == np.float32
    assert est.predict(X32).dtype in (np.float32, np.float64)
    assert isinstance(est.intercept_, float)
    est64, _ = fit(ElasticNet(alpha=0.05, tol=1e-10), to_storage(Xd, storage, np.float64), y)
    assert est64.coef_.dtype == np.float64
    Xr = to_storage(Xd.astype(np.float32), storage, np.float64)  # same values in float64
    estr, _ = fit(ElasticNet(alpha=0.05, tol=1e-10), Xr, y)
    np.testing.assert_allclose(est.coef_, estr.coef_, rtol=1e-5, atol=1e-5)


@pytest.mark.parametrize("selection", ["cyclic", "random"])
def test_fortran_and_c_order_give_identical_results(selection):
    X, y = data(19, n=50, p=30)
    s = np.random.default_rng(19).uniform(0, 2, size=y.size)
    kw = dict(alpha=0.02, l1_ratio=0.6, selection=selection, random_state=3, tol=1e-8)
    a, _ = fit(ElasticNet(**kw), np.asfortranarray(X), y, sample_weight=s)
    b, _ = fit(ElasticNet(**kw), np.ascontiguousarray(X), y, sample_weight=s)
    c, _ = fit(ElasticNet(**kw), X[:, ::-1][:, ::-1], y, sample_weight=s)  # non-contiguous
    for other in (b, c):
        np.testing.assert_array_equal(a.coef_, other.coef_)
        assert a.intercept_ == other.intercept_ and a.n_iter_ == other.n_iter_
        assert a.dual_gap_ == other.dual_gap_


def test_wide_problem():
    rng = np.random.default_rng(20)
    n, p = 50, 2000
    X = rng.standard_normal((n, p))
    w = np.zeros(p)
    w[rng.choice(p, 5, replace=False)] = rng.uniform(2, 4, 5)
    y = X @ w + 0.1 * rng.standard_normal(n)
    for storage in ("dense", "csc", "csr"):
        alpha = 0.05 * ref.alpha_max(X, y)
        est, caught = fit(Lasso(alpha=alpha, tol=1e-8, max_iter=10_000),
                          to_storage(X, storage), y)
        assert not convergence_warnings(caught)
        assert 0 < np.count_nonzero(est.coef_) <= n
        pb = ref.make_problem(X, y, alpha=alpha)
        check_certified(pb, est.coef_, est.intercept_, tol=1e-8, reported_gap=est.dual_gap_)


def test_tall_problem():
    rng = np.random.default_rng(21)
    n, p = 2000, 20
    X = rng.standard_normal((n, p)) + 2.0
    y = X @ rng.standard_normal(p) + rng.standard_normal(n) - 5.0
    s = rng.uniform(0, 2, size=n)
    for storage in ("dense", "csr"):
        est, caught = fit(ElasticNet(alpha=0.01, l1_ratio=0.5, tol=1e-10),
                          to_storage(X, storage), y, sample_weight=s)
        assert not convergence_warnings(caught)
        pb = ref.make_problem(X, y, alpha=0.01, l1_ratio=0.5, sample_weight=s)
        check_certified(pb, est.coef_, est.intercept_, tol=1e-10, reported_gap=est.dual_gap_)
        assert est.score(X, y) > 0.9


def test_alpha_zero_is_least_squares_with_a_warning():
    X, y = data(22, n=60, p=5)
    with pytest.warns(UserWarning, match="least squares"):
        est = Lasso(alpha=0.0, tol=1e-14, max_iter=100_000).fit(X, y)
    beta = np.linalg.lstsq(np.c_[X, np.ones(y.size)], y, rcond=None)[0]
    pb = ref.make_problem(X, y, alpha=0.0)
    gap = ref.duality_gap(pb, est.coef_, est.intercept_)
    assert gap == pytest.approx(est.dual_gap_, rel=1e-6, abs=1e-13)
    assert gap <= pb.gap_tol(1e-14) + 1e-13
    assert ref.primal(pb, est.coef_, est.intercept_) - ref.primal(pb, beta[:-1]) <= gap + 1e-13
    # strong convexity turns the certified gap into a distance to the OLS solution
    dist = np.sqrt(2 * (gap + 1e-13) / ref.strong_convexity(pb))
    assert np.linalg.norm(est.coef_ - beta[:-1]) <= dist < 1e-4


# ------------------------------------------------------------------ estimator API


@pytest.fixture
def fitted():
    X, y = data(30, n=50, p=7)
    return X, y, ElasticNet(alpha=0.05, l1_ratio=0.5).fit(X, y)


@pytest.mark.parametrize("storage", ["dense", "csr", "csc"])
def test_predict_and_score_consistent_with_coef(fitted, storage):
    X, y, est = fitted
    from sklearn.metrics import r2_score

    Xs = to_storage(X, storage)
    pred = est.predict(Xs)
    assert pred.shape == (y.size,)
    np.testing.assert_allclose(pred, X @ est.coef_ + est.intercept_, rtol=1e-13, atol=1e-12)
    assert est.score(Xs, y) == pytest.approx(r2_score(y, pred), rel=1e-12)
    s = np.random.default_rng(0).uniform(0, 2, size=y.size)
    assert est.score(Xs, y, sample_weight=s) == pytest.approx(
        r2_score(y, pred, sample_weight=s), rel=1e-12)
    assert est.score(Xs, y) < 1.0


def test_sparse_coef_matches_coef(fitted):
    _, _, est = fitted
    S = est.sparse_coef_
    assert sp.issparse(S) and S.shape == (1, est.coef_.size)
    np.testing.assert_array_equal(S.toarray().ravel(), est.coef_)
    assert S.nnz == np.count_nonzero(est.coef_)


def test_clone_pickle_params(fitted):
    from sklearn.base import clone

    X, y, est = fitted
    c = clone(est)
    assert c.get_params() == est.get_params() and not hasattr(c, "coef_")
    np.testing.assert_array_equal(c.fit(X, y).predict(X), est.predict(X))
    back = pickle.loads(pickle.dumps(est))
    np.testing.assert_array_equal(back.predict(X), est.predict(X))
    np.testing.assert_array_equal(back.coef_, est.coef_)
    assert back.n_iter_ == est.n_iter_ and back.dual_gap_ == est.dual_gap_

    params = est.get_params()
    assert params["alpha"] == 0.05 and params["l1_ratio"] == 0.5
    expected = {"alpha", "l1_ratio", "fit_intercept", "max_iter", "tol", "warm_start",
                "positive", "selection", "random_state", "penalty_factor", "lower_bounds",
                "upper_bounds", "precompute", "copy_X", "verbose", "standardize", "n_jobs",
                "solver"}
    assert set(params) == expected
    assert est.set_params(alpha=0.2, l1_ratio=0.9) is est
    assert est.alpha == 0.2 and est.l1_ratio == 0.9
    est.fit(X, y)
    assert np.count_nonzero(est.coef_) <= np.count_nonzero(clone(est).set_params(
        alpha=0.05).fit(X, y).coef_)
    with pytest.raises(ValueError, match="nope"):
        est.set_params(nope=1)


def test_lasso_has_no_l1_ratio():
    X, y = data(31, n=40, p=5)
    las = Lasso(alpha=0.1)
    assert "l1_ratio" not in las.get_params()
    assert not hasattr(las, "l1_ratio")
    with pytest.raises(TypeError):
        Lasso(alpha=0.1, l1_ratio=0.5)
    with pytest.raises(ValueError, match="l1_ratio"):
        las.set_params(l1_ratio=0.5)
    assert "l1_ratio" not in repr(las)
    # and it is the l1_ratio=1 elastic net
    a = Lasso(alpha=0.1, tol=1e-12).fit(X, y)
    b = ElasticNet(alpha=0.1, l1_ratio=1.0, tol=1e-12).fit(X, y)
    np.testing.assert_array_equal(a.coef_, b.coef_)
    from sklearn.base import clone

    assert "l1_ratio" not in clone(las).get_params()


def test_pipeline_grid_search():
    from sklearn.model_selection import GridSearchCV
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import StandardScaler

    X, y = data(32, n=120, p=15)
    pipe = make_pipeline(StandardScaler(), Lasso(tol=1e-8))
    alphas = [1e-3, 1e-2, 1e-1, 1.0, 10.0]
    gs = GridSearchCV(pipe, {"lasso__alpha": alphas}, cv=3).fit(X, y)
    assert gs.best_params_["lasso__alpha"] in alphas
    assert gs.best_params_["lasso__alpha"] < 10.0  # alpha=10 zeroes everything: worst
    assert np.argmin(gs.cv_results_["mean_test_score"]) == alphas.index(10.0)
    best = gs.best_estimator_[-1]
    assert best.alpha == gs.best_params_["lasso__alpha"]
    np.testing.assert_allclose(gs.predict(X), gs.best_estimator_.predict(X))
    assert gs.score(X, y) > 0.8


def test_refit_with_different_n_features_and_wrong_predict_shape():
    X, y = data(33, n=40, p=8)
    for warm in (False, True):
        est = Lasso(alpha=0.05, warm_start=warm).fit(X, y)
        assert est.coef_.shape == (8,) and est.n_features_in_ == 8
        est.fit(X[:, :5], y)
        assert est.coef_.shape == (5,) and est.n_features_in_ == 5
        with pytest.raises(ValueError, match="5"):
            est.predict(X)
        with pytest.raises(ValueError):
            est.predict(sp.csr_matrix(X[:, :4]))
        assert est.predict(X[:, :5]).shape == (40,)


def test_not_fitted_errors():
    import sklearn.exceptions

    X, y = data(34, n=10, p=3)
    for est in (Lasso(), ElasticNet()):
        for call in (lambda: est.predict(X), lambda: est.sparse_coef_,
                     lambda: est.score(X, y)):
            with pytest.raises(NotFittedError):
                call()
            with pytest.raises(sklearn.exceptions.NotFittedError):
                call()


# ------------------------------------------------------------------ errors surface from fit

GOOD_X, GOOD_Y = data(35, n=10, p=3)


def _bad(arr, i, value):
    arr = np.array(arr, dtype=float)
    arr.flat[i] = value
    return arr


BAD_INPUTS = [
    ("nan-X", dict(X=_bad(GOOD_X, 4, np.nan)), ValueError, "X"),
    ("inf-X", dict(X=_bad(GOOD_X, 4, np.inf)), ValueError, "X"),
    ("nan-X-csr", dict(X=sp.csr_matrix(_bad(GOOD_X, 4, np.nan))), ValueError, "X"),
    ("nan-y", dict(y=_bad(GOOD_Y, 2, np.nan)), ValueError, "y"),
    ("inf-y", dict(y=_bad(GOOD_Y, 2, -np.inf)), ValueError, "y"),
    ("nan-weight", dict(sample_weight=_bad(np.ones(10), 1, np.nan)), ValueError,
     "sample_weight"),
    ("inf-weight", dict(sample_weight=_bad(np.ones(10), 1, np.inf)), ValueError,
     "sample_weight"),
    ("neg-weight", dict(sample_weight=_bad(np.ones(10), 1, -1.0)), ValueError,
     "sample_weight"),
    ("zero-weights", dict(sample_weight=np.zeros(10)), ValueError, "sample_weight"),
    ("short-y", dict(y=GOOD_Y[:-1]), ValueError, "y"),
    ("long-weight", dict(sample_weight=np.ones(11)), ValueError, "sample_weight"),
    ("neg-alpha", dict(params=dict(alpha=-0.1)), ValueError, "alpha"),
    ("nan-alpha", dict(params=dict(alpha=np.nan)), ValueError, "alpha"),
    ("str-alpha", dict(params=dict(alpha="1")), TypeError, "alpha"),
    ("neg-pf", dict(params=dict(penalty_factor=[1.0, -1.0, 1.0])), ValueError,
     "penalty_factor"),
    ("short-pf", dict(params=dict(penalty_factor=[1.0, 1.0])), ValueError, "penalty_factor"),
    ("l1r-high", dict(params=dict(l1_ratio=1.5), enet=True), ValueError, "l1_ratio"),
    ("l1r-neg", dict(params=dict(l1_ratio=-0.1), enet=True), ValueError, "l1_ratio"),
    ("lower>upper", dict(params=dict(lower_bounds=1.0, upper_bounds=0.5)), ValueError,
     "lower_bounds"),
    ("positive-vs-upper", dict(params=dict(positive=True, upper_bounds=-1.0)), ValueError,
     "lower_bounds"),
    ("neg-tol", dict(params=dict(tol=-1e-4)), ValueError, "tol"),
    ("zero-max_iter", dict(params=dict(max_iter=0)), ValueError, "max_iter"),
    ("float-max_iter", dict(params=dict(max_iter=10.0)), TypeError, "max_iter"),
    ("bad-selection", dict(params=dict(selection="shuffle")), ValueError, "selection"),
    ("3d-X", dict(X=np.ones((10, 3, 2))), ValueError, "X"),
    ("1d-X", dict(X=np.ones(10)), ValueError, "X"),
    ("empty-X", dict(X=np.ones((0, 3)), y=np.ones(0)), ValueError, "X"),
    ("no-features", dict(X=np.ones((10, 0))), ValueError, "X"),
    ("string-X", dict(X=np.array([["a", "b", "c"]] * 10)), TypeError, "X"),
    ("string-y", dict(y=np.array(["a"] * 10)), TypeError, "y"),
    ("complex-X", dict(X=GOOD_X.astype(complex)), ValueError, "X"),
    ("3d-y", dict(y=np.ones((10, 2, 2))), ValueError, "y"),  # 2-D y: test_multioutput
]


@pytest.mark.parametrize("case", [pytest.param(c[1:], id=c[0]) for c in BAD_INPUTS])
def test_bad_input_errors_surface_from_fit(case):
    kw, exc, name = case
    X = kw.get("X", GOOD_X)
    y = kw.get("y", GOOD_Y)
    cls = ElasticNet if kw.get("enet") else Lasso
    est = cls(**kw.get("params", {}))
    with pytest.raises(exc) as info:
        est.fit(X, y, sample_weight=kw.get("sample_weight"))
    assert re.search(rf"\b{re.escape(name)}\b", str(info.value)), str(info.value)
    assert not hasattr(est, "coef_")  # nothing half-fitted


def test_good_input_fits():
    """The base case of the table above is valid (so each error comes from its change)."""
    est = Lasso(alpha=0.1).fit(GOOD_X, GOOD_Y, sample_weight=np.ones(10))
    assert est.coef_.shape == (3,)
    ElasticNet(alpha=0.1, l1_ratio=0.5).fit(GOOD_X, GOOD_Y)


# ------------------------------------------------------------------ shift invariance


def _shifted_fit(offset, storage="dense", tol=1e-8):
    rng = np.random.default_rng(40)
    X = rng.standard_normal((100, 5))
    y = X @ np.array([1.0, 2.0, 0.0, 0.0, -1.0]) + 0.1 * rng.standard_normal(100)
    Xs = X.copy()
    Xs[:, 1] += offset
    base, _ = fit(Lasso(alpha=0.01, tol=1e-12), to_storage(X, storage), y)
    est, caught = fit(Lasso(alpha=0.01, tol=tol), to_storage(Xs, storage), y)
    return base, est, caught


@pytest.mark.parametrize("storage", ["dense", "csr"])
@pytest.mark.parametrize("offset", [-50.0, 1e3])
def test_intercept_model_is_invariant_to_column_shifts(storage, offset):
    """With an intercept, adding a constant to a column changes only the intercept."""
    base, est, caught = _shifted_fit(offset, storage)
    assert not convergence_warnings(caught)
    np.testing.assert_allclose(est.coef_, base.coef_, atol=1e-6)
    assert est.intercept_ == pytest.approx(base.intercept_ - offset * base.coef_[1],
                                           abs=1e-6 * abs(offset) + 1e-6)


@pytest.mark.parametrize("offset,tol", [(1e5, 1e-8), (1e7, 1e-4)])
def test_large_column_offset(offset, tol):
    base, est, caught = _shifted_fit(offset, tol=tol)
    assert est.coef_[1] != 0.0
    assert not convergence_warnings(caught)
    np.testing.assert_allclose(est.coef_, base.coef_, atol=1e-2 if tol > 1e-6 else 1e-5)


# ------------------------------------------------------------------ closed forms, structure


@pytest.mark.parametrize("storage", ["dense", "csc", "csr"])
@pytest.mark.parametrize("fit_intercept", [True, False])
def test_l1_ratio_zero_is_weighted_ridge(storage, fit_intercept):
    """l1_ratio=0: the closed form (X~^T W X~ + alpha diag(v)) w = X~^T W y~ (W = s/S)."""
    Xd, y = data(41, n=50, p=8, density=None if storage == "dense" else 0.6)
    rng = np.random.default_rng(41)
    s = rng.uniform(0, 2, size=y.size)
    v = rng.uniform(0.5, 2.0, size=8)
    alpha = 0.3
    est, caught = fit(ElasticNet(alpha=alpha, l1_ratio=0.0, penalty_factor=v,
                                 fit_intercept=fit_intercept, tol=1e-14, max_iter=100_000),
                      to_storage(Xd, storage), y, sample_weight=s)
    sw = s / s.sum()
    xbar = sw @ Xd if fit_intercept else np.zeros(8)
    ybar = sw @ y if fit_intercept else 0.0
    Xc = Xd - xbar
    w = np.linalg.solve(Xc.T @ (sw[:, None] * Xc) + alpha * np.diag(v), Xc.T @ (sw * (y - ybar)))
    # the certified gap bounds the distance: mu/2 ||w - w*||^2 <= gap, mu >= alpha min v
    pb = ref.make_problem(Xd, y, alpha=alpha, l1_ratio=0.0, penalty_factor=v,
                          sample_weight=s, fit_intercept=fit_intercept)
    gap = ref.duality_gap(pb, est.coef_, est.intercept_)
    dist = np.sqrt(2 * max(gap, 1e-16) / ref.strong_convexity(pb))
    assert dist < 1e-5
    assert np.linalg.norm(est.coef_ - w) <= dist
    assert est.intercept_ == pytest.approx(ybar - xbar @ w, abs=dist * np.abs(xbar).sum() + 1e-12)
    assert np.all(est.coef_ != 0.0)


def test_duplicated_column_splits_the_coefficient():
    """Lasso with a column repeated: non-unique solutions, but certified, with the same
    objective and the same total coefficient as the single column."""
    X, y = data(42, n=60, p=6)
    X2 = np.c_[X, X[:, 2]]
    one, _ = fit(Lasso(alpha=0.05, tol=1e-13), X, y)
    two, caught = fit(Lasso(alpha=0.05, tol=1e-13), X2, y)
    assert not convergence_warnings(caught)
    pb1 = ref.make_problem(X, y, alpha=0.05)
    pb2 = ref.make_problem(X2, y, alpha=0.05)
    check_certified(pb2, two.coef_, two.intercept_, tol=1e-13, reported_gap=two.dual_gap_)
    assert ref.primal(pb2, two.coef_, two.intercept_) == pytest.approx(
        ref.primal(pb1, one.coef_, one.intercept_), rel=1e-10)
    assert two.coef_[2] + two.coef_[6] == pytest.approx(one.coef_[2], rel=1e-5)
    assert np.sign(two.coef_[2]) * np.sign(two.coef_[6]) >= 0


def test_concurrent_fits_are_independent():
    """The kernel releases the GIL: fits in threads give the sequential results exactly."""
    from concurrent.futures import ThreadPoolExecutor

    problems = []
    for seed in range(8):
        Xd, y = data(50 + seed, n=200, p=60, density=0.5 if seed % 2 else None)
        X = to_storage(Xd, ("dense", "csr", "csc")[seed % 3])
        problems.append((X, y, dict(alpha=0.02, l1_ratio=0.7, selection="random",
                                    random_state=seed)))
    seq = [ElasticNet(**kw).fit(X, y).coef_ for X, y, kw in problems]
    with ThreadPoolExecutor(4) as pool:
        par = list(pool.map(lambda a: ElasticNet(**a[2]).fit(a[0], a[1]).coef_, problems * 2))
    for k, coef in enumerate(par):
        np.testing.assert_array_equal(coef, seq[k % len(seq)])


def test_random_state_forms():
    X, y = data(43, n=50, p=40)
    kw = dict(alpha=0.01, selection="random", tol=1e-3)
    np.random.seed(0)
    a = Lasso(**kw).fit(X, y).coef_
    np.random.seed(0)
    b = Lasso(**kw).fit(X, y).coef_
    np.testing.assert_array_equal(a, b)  # None follows numpy's global seed
    c = Lasso(**kw, random_state=np.random.RandomState(5)).fit(X, y).coef_
    d = Lasso(**kw, random_state=np.random.RandomState(5)).fit(X, y).coef_
    np.testing.assert_array_equal(c, d)
    e = Lasso(**kw, random_state=np.random.default_rng(5)).fit(X, y).coef_
    f = Lasso(**kw, random_state=np.random.default_rng(5)).fit(X, y).coef_
    np.testing.assert_array_equal(e, f)
    runs = {tuple(Lasso(**kw, random_state=s).fit(X, y).coef_) for s in range(5)}
    assert len(runs) > 1  # the seed matters at a loose tol


@pytest.mark.parametrize("Est", [Lasso, ElasticNet])
def test_sklearn_check_estimator(Est):
    from sklearn.utils.estimator_checks import check_estimator

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        results = check_estimator(Est(), on_fail=None)
    failed = [(r["check_name"], str(r["exception"])[:200]) for r in results
              if r["status"] == "failed"]
    assert not failed
    assert len(results) > 30
