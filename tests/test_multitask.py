"""MultiTaskLasso / MultiTaskElasticNet on the group engine: certified by a NumPy duality gap
and row KKT conditions, equal across storages, T = 1 is the Lasso, and equal to
scikit-learn's (and celer's, if installed) multi-task estimators at tight tolerance.

NumPy reference (normalized by S, sw = s / S, X~ and Y~ centered by the weighted means when an
intercept is fitted; c_j = alpha l1_ratio v_j, g_j = alpha (1 - l1_ratio) v_j):

    P(W) = 1/2 sum_i sw_i ||y~_i - W x~_i||^2 + sum_j c_j ||W_j|| + g_j/2 ||W_j||^2
    theta = t sw R  (R the residual),  q_j = X~_j^T theta (a T-vector)
    D(theta) = <theta, Y~> - 1/2 sum_i ||theta_i||^2 / sw_i - sum_j h_j*(q_j),
    h_j*(q) = max(||q|| - c_j, 0)^2 / (2 g_j)  (g_j > 0),  else 0 with t making ||q_j|| <= c_j.
"""

import warnings

import numpy as np
import pytest
import scipy.sparse as sp

from conftest import STORAGES, to_storage
from l1core import GroupLasso, Lasso, MultiTaskElasticNet, MultiTaskLasso
from l1core.multitask import MultiTaskProblem


def _data(seed=0, n=70, p=30, T=4, density=0.6, shift=2.0):
    rng = np.random.default_rng(seed)
    X = rng.standard_normal((n, p)) + 0.5
    X[rng.random((n, p)) > density] = 0.0
    W = np.zeros((T, p))
    W[:, :5] = rng.standard_normal((T, 5))
    Y = X @ W.T + 0.5 * rng.standard_normal((n, T)) + shift * np.arange(T)
    return X, Y


def _centered(X, Y, sw, fit_intercept):
    if not fit_intercept:
        return X, Y
    return X - sw @ X, Y - sw @ Y


def reference_gap(X, Y, W, b, alpha, l1_ratio, s, fit_intercept, v=None):
    """(P, gap, kkt_violation per row) from NumPy only (penalized rows, v > 0)."""
    sw = s / s.sum()
    p = X.shape[1]
    v = np.ones(p) if v is None else v
    c, g = alpha * l1_ratio * v, alpha * (1 - l1_ratio) * v
    R = Y - X @ W.T - b
    Xc, Yc = _centered(X, Y, sw, fit_intercept)
    norms = np.linalg.norm(W, axis=0)
    P = 0.5 * sw @ (R ** 2).sum(1) + c @ norms + 0.5 * g @ norms ** 2
    Rc = Yc - Xc @ W.T                      # the residual with the best intercept
    theta = sw[:, None] * Rc
    q = Xc.T @ theta                        # (p, T)
    qn = np.linalg.norm(q, axis=1)
    if np.all(g == 0):
        t = min(1.0, np.min(c / np.maximum(qn, 1e-300)))
        conj = 0.0
    else:
        t = 1.0
        conj = np.sum(np.maximum(qn - c, 0) ** 2 / (2 * g))
    theta = t * theta
    D = np.sum(theta * Yc) - 0.5 * np.sum(theta ** 2 / sw[:, None]) - conj
    # row KKT: grad_j = X~_j^T (sw R) - g_j W_j; nonzero rows: grad_j = c_j W_j / ||W_j||
    grad = q.T - g * W                      # (T, p), q before scaling
    viol = np.where(norms > 0,
                    np.linalg.norm(grad - c * W / np.where(norms > 0, norms, 1), axis=0),
                    np.maximum(np.linalg.norm(grad, axis=0) - c, 0))
    return P, P - D, viol


@pytest.mark.parametrize("fit_intercept", [True, False])
@pytest.mark.parametrize("Est, l1_ratio", [(MultiTaskLasso, 1.0), (MultiTaskElasticNet, 0.6)])
def test_certified_and_storages_agree(Est, l1_ratio, fit_intercept):
    X, Y = _data()
    s = np.random.default_rng(3).uniform(0.2, 3.0, X.shape[0])
    kw = {} if Est is MultiTaskLasso else {"l1_ratio": l1_ratio}
    alpha = 0.15
    fits = {}
    for storage in STORAGES:
        m = Est(alpha=alpha, tol=1e-10, fit_intercept=fit_intercept, **kw).fit(
            to_storage(X, storage), Y, sample_weight=s)
        fits[storage] = m
        P, gap, viol = reference_gap(X, Y, m.coef_, m.intercept_, alpha, l1_ratio, s,
                                     fit_intercept)
        sw = s / s.sum()
        Yc = Y - sw @ Y if fit_intercept else Y
        gap_tol = 1e-10 * float(sw @ (Yc ** 2).sum(1))
        assert -1e-13 <= gap <= gap_tol + 1e-14, (storage, gap, gap_tol)
        assert abs(gap - m.dual_gap_) <= 1e-6 * gap + 1e-13
        assert np.max(viol) <= 1e-4 * alpha
        assert 0 < np.count_nonzero(np.linalg.norm(m.coef_, axis=0)) < X.shape[1]
    for storage in ("csc", "csr"):
        np.testing.assert_allclose(fits[storage].coef_, fits["dense"].coef_, rtol=0, atol=1e-9)
        np.testing.assert_allclose(fits[storage].intercept_, fits["dense"].intercept_,
                                   rtol=0, atol=1e-9)


@pytest.mark.parametrize("Est, kw", [("MultiTaskLasso", {}),
                                     ("MultiTaskElasticNet", {"l1_ratio": 0.3})])
def test_matches_sklearn(Est, kw):
    sklm = pytest.importorskip("sklearn.linear_model")
    X, Y = _data(1, density=1.0)
    ours = {"MultiTaskLasso": MultiTaskLasso, "MultiTaskElasticNet": MultiTaskElasticNet}[Est]
    m = ours(alpha=0.1, tol=1e-12, **kw).fit(X, Y)
    r = getattr(sklm, Est)(alpha=0.1, tol=1e-12, max_iter=100_000, **kw).fit(X, Y)
    l1_ratio = kw.get("l1_ratio", 1.0)
    s = np.ones(X.shape[0])
    P_ours, gap, _ = reference_gap(X, Y, m.coef_, m.intercept_, 0.1, l1_ratio, s, True)
    P_ref, _, _ = reference_gap(X, Y, r.coef_, r.intercept_, 0.1, l1_ratio, s, True)
    assert P_ours - P_ref <= gap + 1e-14
    assert P_ref - P_ours <= 1e-11 * abs(P_ref)
    # strong convexity bounds the distance to the optimum by sqrt(2 gap / mu)
    np.testing.assert_allclose(m.coef_, r.coef_, rtol=0, atol=1e-8 if l1_ratio == 1 else 1e-6)
    np.testing.assert_allclose(m.intercept_, r.intercept_, rtol=0,
                               atol=1e-7 if l1_ratio == 1 else 1e-5)


def test_matches_celer():
    """celer's low-level multi-task Lasso path (its estimator class calls a scikit-learn API
    removed in scikit-learn 1.7), which fits no intercept."""
    homotopy = pytest.importorskip("celer.homotopy")
    X, Y = _data(2, density=1.0)
    X, Y = np.asfortranarray(X - X.mean(0)), np.asfortranarray(Y - Y.mean(0))
    m = MultiTaskLasso(alpha=0.08, tol=1e-12, fit_intercept=False).fit(X, Y)
    _, coefs, _ = homotopy.mtl_path(X, Y, alphas=np.array([0.08]), tol=1e-12,
                                    max_epochs=100_000, max_iter=200)
    W = coefs[..., 0]                                    # (T, p)
    s = np.ones(X.shape[0])
    P_ours, gap, _ = reference_gap(X, Y, m.coef_, 0.0, 0.08, 1.0, s, False)
    P_ref, _, _ = reference_gap(X, Y, W, 0.0, 0.08, 1.0, s, False)
    assert P_ours - P_ref <= gap + 1e-14
    np.testing.assert_allclose(m.coef_, W, rtol=0, atol=1e-8)


@pytest.mark.parametrize("storage", STORAGES)
def test_single_task_is_the_lasso_and_size_one_groups(storage):
    X, Y = _data(4, T=1)
    Xs = to_storage(X, storage)
    m = MultiTaskLasso(alpha=0.05, tol=1e-12).fit(Xs, Y)
    lasso = Lasso(alpha=0.05, tol=1e-12).fit(Xs, Y[:, 0])
    groups = GroupLasso(alpha=0.05, groups=1, tol=1e-12).fit(Xs, Y[:, 0])
    np.testing.assert_allclose(m.coef_[0], lasso.coef_, rtol=0, atol=1e-10)
    np.testing.assert_allclose(m.coef_[0], groups.coef_, rtol=0, atol=1e-10)
    assert abs(m.intercept_[0] - lasso.intercept_) <= 1e-10


def test_float32():
    X, Y = _data(5)
    m64 = MultiTaskElasticNet(alpha=0.1, tol=1e-8).fit(X, Y)
    for storage in STORAGES:
        m32 = MultiTaskElasticNet(alpha=0.1, tol=1e-8).fit(to_storage(X, storage, np.float32), Y)
        assert m32.coef_.dtype == np.float32
        np.testing.assert_allclose(m32.coef_, m64.coef_, rtol=0, atol=2e-5)


def test_integer_weights_are_repeated_rows():
    X, Y = _data(6, n=40)
    counts = np.random.default_rng(0).integers(0, 4, X.shape[0])
    counts[0] = 1
    weighted = MultiTaskLasso(alpha=0.1, tol=1e-12).fit(X, Y, sample_weight=counts)
    rows = np.repeat(np.arange(X.shape[0]), counts)
    repeated = MultiTaskLasso(alpha=0.1, tol=1e-12).fit(X[rows], Y[rows])
    np.testing.assert_allclose(weighted.coef_, repeated.coef_, rtol=0, atol=1e-9)
    np.testing.assert_allclose(weighted.intercept_, repeated.intercept_, rtol=0, atol=1e-9)


def test_penalty_factors_and_unpenalized_rows():
    X, Y = _data(7)
    p = X.shape[1]
    v = np.random.default_rng(1).uniform(0.5, 2.0, p)
    v[[3, 10]] = 0.0                                    # two unpenalized rows
    alpha = 0.3
    m = MultiTaskLasso(alpha=alpha, tol=1e-12, penalty_factor=v).fit(X, Y)
    sw = np.full(X.shape[0], 1 / X.shape[0])
    Xc, Yc = X - X.mean(0), Y - Y.mean(0)
    grad = (Xc.T @ (sw[:, None] * (Yc - Xc @ m.coef_.T))).T       # (T, p)
    norms = np.linalg.norm(m.coef_, axis=0)
    assert np.all(norms[[3, 10]] > 0)
    assert np.max(np.abs(grad[:, [3, 10]])) <= 1e-7
    pen = v > 0
    zero = pen & (norms == 0)
    assert np.all(np.linalg.norm(grad[:, zero], axis=0) <= alpha * v[zero] * (1 + 1e-6))
    nz = pen & (norms > 0)
    np.testing.assert_allclose(grad[:, nz], alpha * v[nz] * m.coef_[:, nz] / norms[nz],
                               atol=1e-6)
    assert m.dual_gap_ <= 1e-12 * float(sw @ (Yc ** 2).sum(1)) + 1e-15


def test_alpha_max_and_warm_start():
    X, Y = _data(8)
    problem = MultiTaskProblem(X, Y)
    amax = problem.alpha_max()
    assert np.all(MultiTaskLasso(alpha=amax, tol=1e-10).fit(X, Y).coef_ == 0)
    assert np.any(MultiTaskLasso(alpha=0.99 * amax, tol=1e-10).fit(X, Y).coef_ != 0)
    warm = MultiTaskLasso(alpha=0.1, tol=1e-10, warm_start=True).fit(X, Y)
    first = warm.n_iter_
    warm.fit(X, Y)
    assert warm.n_iter_ <= first


def test_screening_same_answer_and_arrays_untouched():
    X, Y = _data(9)
    Xc, Yc = X.copy(), Y.copy()
    a = MultiTaskLasso(alpha=0.2, tol=1e-11).fit(sp.csr_matrix(X), Y)
    b = MultiTaskLasso(alpha=0.2, tol=1e-11, screening=False).fit(sp.csr_matrix(X), Y)
    assert a.n_screened_ > 0 and b.n_screened_ == 0
    np.testing.assert_allclose(a.coef_, b.coef_, rtol=0, atol=1e-8)
    np.testing.assert_array_equal(X, Xc)
    np.testing.assert_array_equal(Y, Yc)


def test_bad_input():
    X, Y = _data(10)
    Y_nan = Y.copy()
    Y_nan[2, 1] = np.nan
    with pytest.raises(ValueError, match="NaN"):
        MultiTaskLasso().fit(X, Y_nan)
    with pytest.raises(ValueError, match="samples"):
        MultiTaskLasso().fit(X, Y[:-2])
    with pytest.raises(ValueError, match="mono-task"):
        MultiTaskLasso().fit(X, Y[:, 0])
    with pytest.raises(ValueError, match="selection"):
        MultiTaskLasso(selection="random").fit(X, Y)
    with pytest.raises(ValueError, match="alpha"):
        MultiTaskLasso(alpha=-1.0).fit(X, Y)
    X_inf = X.copy()
    X_inf[0, 0] = np.inf
    with pytest.raises(ValueError, match="infinity"):
        MultiTaskElasticNet().fit(X_inf, Y)


def test_not_converged_warns():
    from l1core import ConvergenceWarning
    X, Y = _data(11)
    with pytest.warns(ConvergenceWarning, match="did not converge"):
        MultiTaskLasso(alpha=0.01, tol=1e-14, max_iter=2).fit(X, Y)


# check_estimator: tests/test_sklearn_dropin.py (PUBLIC_ESTIMATORS)


@pytest.mark.parametrize("storage", STORAGES)
def test_multitask_path_certified_and_equal_to_fits(storage):
    from l1core import multitask_path
    X, Y = _data(12)
    Xs = to_storage(X, storage)
    path = multitask_path(Xs, Y, l1_ratio=0.8, n_alphas=6, eps=1e-2, fit_intercept=True,
                          tol=1e-10, return_n_iter=True, return_intercept=True)
    alphas, coefs, gaps, n_iters, intercepts = path
    T, p = Y.shape[1], X.shape[1]
    assert coefs.shape == (T, p, 6) and intercepts.shape == (T, 6)
    assert np.all(coefs[:, :, 0] == 0) and path.n_nonzero[0] == 0
    s = np.ones(X.shape[0])
    for k, alpha in enumerate(alphas):
        P, gap, viol = reference_gap(X, Y, coefs[:, :, k], intercepts[:, k], alpha, 0.8, s,
                                     True)
        assert -1e-13 <= gap <= 1e-10 * np.sum((Y - Y.mean(0)) ** 2) / X.shape[0] + 1e-14
        assert np.max(viol) <= 1e-4 * alpha
        fit = MultiTaskElasticNet(alpha=alpha, l1_ratio=0.8, tol=1e-10).fit(Xs, Y)
        P_fit, gap_fit, _ = reference_gap(X, Y, fit.coef_, fit.intercept_, alpha, 0.8, s, True)
        # each is within its own gap of the optimum, so of the other
        assert P - P_fit <= gap_fit + 1e-13 and P_fit - P <= gap + 1e-13
        np.testing.assert_allclose(coefs[:, :, k], fit.coef_, rtol=0, atol=1e-4)
    np.testing.assert_array_equal(path.n_nonzero,
                                  np.count_nonzero(np.abs(coefs).sum(0), axis=0))
    R = Y[:, :, None] - np.einsum("ij,tjk->itk", X, coefs) - intercepts[None]
    dev = (R ** 2).sum((0, 1)) / np.sum((Y - Y.mean(0)) ** 2)
    np.testing.assert_allclose(path.deviance_explained, 1 - dev, atol=1e-10)
    np.testing.assert_allclose(path.predict(X), Y[:, :, None] - R, atol=1e-9)


@pytest.mark.parametrize("storage", STORAGES)
def test_strong_rule_path_certified_and_equal_to_full_solves(storage, monkeypatch):
    """The path's solves read strong sets smaller than p; every solution's NumPy gap is within
    tol and equals the reported gap, and the path equals the one whose solves read every
    row."""
    from l1core import multitask_path
    X, Y = _data(13, n=50, p=60)
    v = np.ones(X.shape[1])
    v[7] = 0.0                                            # an unpenalized row
    calls = []
    original = MultiTaskProblem.solve
    monkeypatch.setattr(MultiTaskProblem, "solve",
                        lambda self, *a, **k: calls.append(k.get("rows")) or original(
                            self, *a, **k))
    kw = dict(l1_ratio=0.9, n_alphas=12, eps=5e-2, fit_intercept=True, tol=1e-10,
              return_intercept=True)
    fast = multitask_path(to_storage(X, storage), Y, **kw)
    assert len(calls) >= 12 and all(rows.size < X.shape[1] for rows in calls)
    full = multitask_path(to_storage(X, storage), Y, strong_rule=False, **kw)
    # with an unpenalized row (always in the strong set): the same path as every-row solves
    np.testing.assert_allclose(
        multitask_path(to_storage(X, storage), Y, penalty_factor=v, **kw).coefs,
        multitask_path(to_storage(X, storage), Y, penalty_factor=v, strong_rule=False,
                       **kw).coefs, rtol=0, atol=1e-6)
    s = np.ones(X.shape[0])
    for k, alpha in enumerate(fast.alphas):
        _, gap, viol = reference_gap(X, Y, fast.coefs[:, :, k], fast.intercepts[:, k], alpha,
                                     0.9, s, True)
        assert abs(gap - fast.dual_gaps[k]) <= 1e-6 * gap + 1e-13
        assert gap <= 1e-10 * np.sum((Y - Y.mean(0)) ** 2) / X.shape[0] + 1e-14
        assert np.max(viol) <= 1e-4 * alpha
    np.testing.assert_allclose(fast.coefs, full.coefs, rtol=0, atol=1e-6)


@pytest.mark.parametrize("l1_ratio", [1.0, 0.5])
def test_kkt_check_adds_every_row_the_strong_set_missed(l1_ratio):
    """An empty strong set (q = 0): the KKT check must add the support's rows, re-solve,
    and end at the full problem's certified solution."""
    from l1core.multitask._strong_rule import strong_rule_solve
    X, Y = _data(14)
    problem = MultiTaskProblem(X, Y, l1_ratio=l1_ratio)
    alpha = 0.1
    solution, q = strong_rule_solve(problem, alpha, None, np.zeros((X.shape[1], Y.shape[1])),
                                    alpha, tol=1e-10)
    full = MultiTaskElasticNet(alpha=alpha, l1_ratio=l1_ratio, tol=1e-10).fit(X, Y)
    assert np.count_nonzero(np.linalg.norm(full.coef_, axis=0)) > 3
    _, gap, viol = reference_gap(X, Y, solution.coef, solution.intercept, alpha, l1_ratio,
                                 np.ones(X.shape[0]), True)
    assert abs(gap - solution.dual_gap) <= 1e-6 * gap + 1e-13 and solution.converged
    assert np.max(viol) <= 1e-4 * alpha
    np.testing.assert_allclose(solution.coef, full.coef_, rtol=0, atol=1e-6)
    np.testing.assert_allclose(q, problem.correlations(problem.residual_of(solution.coef)),
                               rtol=0, atol=1e-12)
