"""Sparse-group elastic net: certified optimality against NumPy references, every storage."""

import numpy as np
import pytest
import scipy.sparse as sp

from conftest import STORAGES, to_storage
from _group_reference import blocks, dual_norm, duality_gap, fista, kkt_violation, objective
from l1core import GroupLasso, Lasso, SparseGroupLasso, group_lasso_path
from l1core._group_solver import GroupProblem
from l1core._groups import group_weights, parse_groups


@pytest.fixture
def data():
    rng = np.random.default_rng(0)
    n, p = 50, 24
    X = rng.standard_normal((n, p)) + 0.5
    X[rng.random((n, p)) < 0.4] = 0.0          # sparse-ish, uncentered columns
    w = np.zeros(p)
    w[:3], w[8:10] = [2.0, -1.5, 1.0], [1.0, 0.7]
    y = X @ w + 0.3 * rng.standard_normal(n) + 1.0
    s = rng.uniform(0.5, 2.0, n)
    return X, y, s


OPTIONS = {
    "group_lasso": dict(l1_ratio=0.0),
    "sparse_group": dict(l1_ratio=0.5),
    "weighted_positive": dict(l1_ratio=0.3, positive=True, sample_weight=True),
    "ridge": dict(l1_ratio=0.5, gamma=0.05, sample_weight=True),
    "unpenalized_group": dict(l1_ratio=0.4, weights=[0.0, 1.0, 2.0, 1.0, 1.5, 1.0]),
    "no_intercept": dict(l1_ratio=0.6, fit_intercept=False),
}


@pytest.mark.parametrize("storage", STORAGES)
@pytest.mark.parametrize("option", sorted(OPTIONS))
def test_certified_against_fista(data, storage, option):
    X, y, s = data
    opts = dict(OPTIONS[option])
    sw = s if opts.pop("sample_weight", False) else np.ones(len(y))
    l1_ratio, gamma = opts.pop("l1_ratio"), opts.pop("gamma", 0.0)
    positive, fit_intercept = opts.pop("positive", False), opts.pop("fit_intercept", True)
    weights = opts.pop("weights", None)
    ptr, feat = parse_groups(4, X.shape[1])
    groups, gw = blocks(ptr, feat), group_weights(weights, ptr)
    problem = GroupProblem(to_storage(X, storage), y, groups=4, weights=weights,
                           l1_ratio=l1_ratio, gamma=gamma, sample_weight=sw,
                           positive=positive, fit_intercept=fit_intercept)
    alpha = 0.2 * problem.alpha_max()
    sol = problem.solve(alpha, tol=1e-12, max_iter=100000)
    args = (sw, groups, gw, alpha, l1_ratio)
    w_ref, b_ref = fista(X, y, *args, gamma=gamma, positive=positive,
                         fit_intercept=fit_intercept)
    w, b = sol.coef, sol.intercept
    p_sol = objective(X, y, w, b, *args, gamma=gamma)
    p_ref = objective(X, y, w_ref, b_ref, *args, gamma=gamma)
    gap = duality_gap(X, y, w, b, *args, gamma=gamma, positive=positive,
                      fit_intercept=fit_intercept)
    assert sol.converged
    assert np.count_nonzero(w) > 0
    assert gap == pytest.approx(sol.dual_gap, abs=1e-10)
    assert p_sol - p_ref <= sol.dual_gap + 1e-12
    assert gap <= 1e-10
    np.testing.assert_allclose(w, w_ref, atol=1e-6)
    assert kkt_violation(X, y, w, b, *args, gamma=gamma, positive=positive) < 1e-6
    if positive:
        assert w.min() >= 0


@pytest.mark.parametrize("l1_ratio", [0.0, 0.5, 1.0])
def test_storages_agree(data, l1_ratio):
    X, y, s = data
    coefs = [SparseGroupLasso(alpha=0.05, l1_ratio=l1_ratio, groups=3, tol=1e-14,
                              max_iter=100000).fit(to_storage(X, st), y, sample_weight=s)
             for st in STORAGES]
    for m in coefs[1:]:
        np.testing.assert_allclose(m.coef_, coefs[0].coef_, atol=1e-10)
        assert m.intercept_ == pytest.approx(coefs[0].intercept_, abs=1e-10)


@pytest.mark.parametrize("storage", STORAGES)
def test_singletons_reproduce_lasso(data, storage):
    X, y, s = data
    Xs = to_storage(X, storage)
    lasso = Lasso(alpha=0.05, tol=1e-15, max_iter=100000).fit(Xs, y, sample_weight=s)
    group = SparseGroupLasso(alpha=0.05, l1_ratio=1.0, groups=None, tol=1e-15,
                             max_iter=100000).fit(Xs, y, sample_weight=s)
    glasso = GroupLasso(alpha=0.05, groups=1, tol=1e-15, max_iter=100000).fit(
        Xs, y, sample_weight=s)
    for m in (group, glasso):
        np.testing.assert_allclose(m.coef_, lasso.coef_, atol=1e-10)
        assert m.intercept_ == pytest.approx(lasso.intercept_, abs=1e-10)


def test_l1_ratio_one_is_the_lasso(data):
    X, y, _ = data
    lasso = Lasso(alpha=0.05, tol=1e-15, max_iter=100000).fit(X, y)
    sgl = SparseGroupLasso(alpha=0.05, l1_ratio=1.0, groups=4, weights=1.0, tol=1e-15,
                           max_iter=100000).fit(X, y)
    np.testing.assert_allclose(sgl.coef_, lasso.coef_, atol=1e-10)


def test_l1_ratio_zero_is_group_lasso(data):
    X, y, _ = data
    a = GroupLasso(alpha=0.1, groups=4, tol=1e-12).fit(X, y)
    b = SparseGroupLasso(alpha=0.1, l1_ratio=0.0, groups=4, tol=1e-12).fit(X, y)
    np.testing.assert_allclose(a.coef_, b.coef_, atol=1e-12)
    nz = [np.count_nonzero(a.coef_[g:g + 4]) for g in range(0, 24, 4)]
    assert all(k in (0, 4) for k in nz) and max(nz) == 4       # whole groups in or out


@pytest.mark.parametrize("storage", STORAGES)
def test_float32_matches_float64(data, storage):
    X, y, _ = data
    m64 = SparseGroupLasso(alpha=0.05, groups=4, tol=1e-10).fit(to_storage(X, storage), y)
    X32 = to_storage(X, storage, np.float32)
    m32 = SparseGroupLasso(alpha=0.05, groups=4, tol=1e-10).fit(X32, y)
    assert m32.coef_.dtype == np.float32
    np.testing.assert_allclose(m32.coef_, m64.coef_, atol=1e-4)


@pytest.mark.parametrize("storage", STORAGES)
def test_screening_same_answer_and_screens(storage):
    rng = np.random.default_rng(1)
    X = rng.standard_normal((80, 300))
    y = X[:, :5] @ np.ones(5) + 0.1 * rng.standard_normal(80)
    problem = GroupProblem(to_storage(X, storage), y, groups=5, l1_ratio=0.5)
    alpha = 0.3 * problem.alpha_max()
    on = problem.solve(alpha, tol=1e-12, screening=True)
    off = problem.solve(alpha, tol=1e-12, screening=False)
    assert on.n_screened > 0 and off.n_screened == 0
    np.testing.assert_allclose(on.coef, off.coef, atol=1e-8)


@pytest.mark.parametrize("options", [dict(l1_ratio=0.0), dict(l1_ratio=0.5, positive=True),
                                     dict(l1_ratio=0.7, weights=[0, 1, 1, 2, 1, 1])])
def test_alpha_max_is_exact(data, options):
    X, y, s = data
    problem = GroupProblem(X, y, groups=4, sample_weight=s, **options)
    alpha_max = problem.alpha_max()
    gw = group_weights(options.get("weights"), problem.ptr)
    groups = blocks(problem.ptr, problem.feat)
    # NumPy: the weighted least squares fit of the intercept and the unpenalized groups,
    # then the largest dual norm of the penalized groups' correlations
    sw = s / s.sum()
    B = np.column_stack([np.ones(len(y))] + [X[:, groups[g]] for g in range(6) if gw[g] == 0])
    r = y - B @ np.linalg.lstsq(np.sqrt(sw)[:, None] * B, np.sqrt(sw) * y, rcond=None)[0]
    q = X.T @ (sw * r)
    l1 = options["l1_ratio"]
    want = max(dual_norm(q[groups[g]], gw[g] * l1, gw[g] * (1 - l1), options.get("positive", False))
               for g in range(6) if gw[g] > 0)
    assert alpha_max == pytest.approx(want, rel=1e-10)
    penalized = np.repeat(gw > 0, 4)
    at = problem.solve(alpha_max * 1.001, tol=1e-12)
    below = problem.solve(alpha_max * 0.999, tol=1e-12)
    assert not np.any(at.coef[penalized])
    assert np.any(below.coef[penalized])


def test_path_warm_starts_match_single_fits(data):
    X, y, _ = data
    alphas, coefs, gaps, n_iters, b = group_lasso_path(
        sp.csc_matrix(X), y, groups=4, l1_ratio=0.5, n_alphas=8, eps=1e-2, tol=1e-12,
        return_intercept=True)
    assert np.all(np.diff(alphas) < 0) and not np.any(coefs[:, 0])
    for k in (2, 7):
        single = SparseGroupLasso(alpha=alphas[k], l1_ratio=0.5, groups=4, tol=1e-12).fit(X, y)
        np.testing.assert_allclose(coefs[:, k], single.coef_, atol=1e-8)
        assert b[k] == pytest.approx(single.intercept_, abs=1e-8)
    assert np.all(gaps <= 1e-12 * np.var(y) * 1.0001)


def test_user_arrays_untouched(data):
    X, y, s = data
    Xf, Xc = np.asfortranarray(X), sp.csr_matrix(X)
    copies = (Xf.copy(), Xc.data.copy(), y.copy(), s.copy())
    groups = [np.arange(0, 4), np.arange(10, 20)]
    g_copy = [g.copy() for g in groups]
    for Xs in (Xf, Xc):
        SparseGroupLasso(alpha=0.05, groups=groups).fit(Xs, y, sample_weight=s)
    for a, b in zip(copies, (Xf, Xc.data, y, s)):
        np.testing.assert_array_equal(a, b)
    for a, b in zip(g_copy, groups):
        np.testing.assert_array_equal(a, b)


@pytest.mark.parametrize("storage", STORAGES)
def test_start_on_an_empty_column_is_dropped(storage):
    """An empty column shares a group with live ones; a start with a huge coefficient on it
    (its loss gradient is zero, only the penalty would shrink it) is certified once that
    coefficient is zeroed, which lowers every block norm (it gave inf coefficients and a NaN
    gap before)."""
    rng = np.random.default_rng(3)
    X = rng.standard_normal((30, 9))
    X[:, 4] = 0.0
    y = X[:, :3] @ [1.0, -2.0, 0.5] + 0.1 * rng.standard_normal(30)
    problem = GroupProblem(to_storage(X, storage), y, groups=3, l1_ratio=0.0,
                           fit_intercept=False)
    alpha = 0.1 * problem.alpha_max()
    start = np.zeros(9)
    start[4] = 1e298
    sol = problem.solve(alpha, w=start, tol=1e-10, max_iter=10_000)
    assert sol.coef[4] == 0.0 and np.all(np.isfinite(sol.coef))
    ptr, feat = parse_groups(3, 9)
    gap = duality_gap(X, y, sol.coef, 0.0, np.ones(30), blocks(ptr, feat),
                      group_weights(None, ptr), alpha, 0.0, fit_intercept=False)
    assert 0.0 <= gap <= 1e-10 * np.mean(y**2) + 1e-14


@pytest.mark.parametrize("storage", STORAGES)
def test_timestamp_like_columns_fit_as_centered(storage):
    """Columns 1.7e9 + 10 z (timestamps) with an intercept: the fit equals the fit of the
    explicitly centered columns, from every storage (sums of x - K_j for the statistics, full
    columns centered in the residual; before, x . r - xbar sum r lost every digit)."""
    rng = np.random.default_rng(5)
    z = rng.standard_normal((300, 6))
    X = 1.7e9 + 10.0 * z
    y = z @ [1.0, 2.0, 0.0, 0.0, -1.0, 0.5] + 0.1 * rng.standard_normal(300)
    kw = dict(alpha=0.05, l1_ratio=0.5, groups=2, tol=1e-10, max_iter=10_000)
    model = SparseGroupLasso(**kw).fit(to_storage(X, storage), y)
    centered = SparseGroupLasso(**kw).fit(X - X.mean(axis=0), y)
    np.testing.assert_allclose(model.coef_, centered.coef_, rtol=1e-6, atol=1e-8)
    assert model.n_iter_ < 10_000 and model.score(X, y) > 0.99
    # the certificate is never negative (CSR's residual and full pass are centered row-wise)
    assert 0.0 <= model.dual_gap_ <= 1e-10 * np.var(y)
