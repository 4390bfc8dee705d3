"""GroupLogisticRegression (the logistic datafit on the group engine): the certificate, the
group KKT conditions and the objective recomputed in NumPy; a NumPy FISTA reference, l1core's
SparseLogisticRegression (singleton groups) and skglm's LogisticGroup (when installed) agree;
dense = CSC = CSR, float32, sample weights, scikit-learn's checks and bad input."""

import numpy as np
import pytest
import scipy.sparse as sp

from _group_logistic_reference import duality_gap, fista, kkt_violation, objective
from _group_reference import blocks
from _sklearn_checks import assert_check_estimator_passes
from l1core import GroupLogisticRegression, SparseLogisticRegression, config_context
from l1core.group_logistic import GroupLogisticProblem

TIGHT = dict(tol=1e-12, max_iter=100000)


def make_problem(n=150, p=18, seed=0, intercept=0.7):
    rng = np.random.default_rng(seed)
    X = rng.standard_normal((n, p)) * rng.uniform(0.5, 2.0, p)
    beta = np.zeros(p)
    beta[:5] = 1.5 * rng.standard_normal(5)
    y = np.where(X @ beta + intercept + rng.standard_normal(n) > 0, 1.0, -1.0)
    return X, y


def fitted(X, y, l1_ratio=0.0, groups=3, s=None, fit_intercept=True, fraction=0.1):
    problem = GroupLogisticProblem(X, y, groups=groups, l1_ratio=l1_ratio, sample_weight=s,
                                   fit_intercept=fit_intercept)
    alpha = fraction * problem.alpha_max()
    return problem, alpha, problem.solve(alpha, **TIGHT)


@pytest.mark.parametrize("l1_ratio", [0.0, 0.5, 1.0])
@pytest.mark.parametrize("fit_intercept", [True, False])
def test_certificate_and_kkt_recomputed_in_numpy(l1_ratio, fit_intercept):
    X, y = make_problem()
    s = np.random.default_rng(1).uniform(0.2, 2.0, len(y))
    problem, alpha, sol = fitted(X, y, l1_ratio, s=s, fit_intercept=fit_intercept)
    groups = blocks(problem.ptr, problem.feat)
    w, b = sol.coef, sol.intercept
    assert sol.converged and 0 < np.count_nonzero(w) < X.shape[1]
    gap = duality_gap(X, y, w, b, s, groups, problem.weights, alpha, l1_ratio, fit_intercept)
    assert -1e-13 <= gap <= 1e-10
    assert sol.dual_gap == pytest.approx(gap, abs=1e-11)        # the same certificate
    assert kkt_violation(X, y, w, b, s, groups, problem.weights, alpha, l1_ratio,
                         fit_intercept) < 1e-6
    if not fit_intercept:
        assert b == 0.0


@pytest.mark.parametrize("l1_ratio", [0.0, 0.5])
def test_matches_numpy_fista(l1_ratio):
    X, y = make_problem(n=100, p=12, seed=2)
    s = np.ones(len(y))
    problem, alpha, sol = fitted(X, y, l1_ratio, fraction=0.2)
    groups = blocks(problem.ptr, problem.feat)
    w_ref, b_ref = fista(X, y, s, groups, problem.weights, alpha, l1_ratio)
    ref = objective(X, y, w_ref, b_ref, s, groups, problem.weights, alpha, l1_ratio)
    ours = objective(X, y, sol.coef, sol.intercept, s, groups, problem.weights, alpha, l1_ratio)
    assert ours - ref <= sol.dual_gap + 1e-14          # the gap bounds the suboptimality
    np.testing.assert_allclose(sol.coef, w_ref, rtol=0, atol=1e-7)
    assert sol.intercept == pytest.approx(b_ref, abs=1e-7)


@pytest.mark.parametrize("fit_intercept", [True, False])
def test_singleton_groups_reproduce_sparse_logistic_regression(fit_intercept):
    X, y = make_problem(seed=3)
    problem, alpha, sol = fitted(X, y, l1_ratio=1.0, groups=None, fit_intercept=fit_intercept)
    ref = SparseLogisticRegression(alpha=alpha, fit_intercept=fit_intercept, tol=1e-13,
                                   max_iter=100000).fit(X, y)
    np.testing.assert_allclose(sol.coef, ref.coef_[0], rtol=0, atol=1e-8)
    assert sol.intercept == pytest.approx(ref.intercept_[0], abs=1e-8)
    est = GroupLogisticRegression(alpha=alpha, l1_ratio=1.0, fit_intercept=fit_intercept,
                                  tol=1e-12, max_iter=100000).fit(X, y)
    np.testing.assert_allclose(est.predict_proba(X), ref.predict_proba(X), rtol=0, atol=1e-8)


def test_default_alpha_is_sparse_logistic_regressions():
    X, y = make_problem(seed=4)
    ours = GroupLogisticRegression(l1_ratio=1.0, tol=1e-12, max_iter=100000).fit(X, y)
    ref = SparseLogisticRegression(tol=1e-13, max_iter=100000).fit(X, y)
    np.testing.assert_allclose(ours.coef_, ref.coef_, rtol=0, atol=1e-8)


def test_matches_skglm_logistic_group():
    pytest.importorskip("skglm")
    from skglm.datafits import LogisticGroup
    from skglm.penalties import WeightedGroupL2
    from skglm.solvers import GroupBCD

    X, y = make_problem(n=120, p=12, seed=5)
    problem, alpha, sol = fitted(X, y, l1_ratio=0.0)
    ptr, feat = problem.ptr.astype(np.int32), problem.feat.astype(np.int32)
    solver = GroupBCD(max_iter=1000, tol=1e-12, fit_intercept=True)
    w = solver.solve(X, y, LogisticGroup(ptr, feat),
                     WeightedGroupL2(alpha, problem.weights, ptr, feat))[0]
    np.testing.assert_allclose(sol.coef, w[:-1], rtol=0, atol=1e-8)
    assert sol.intercept == pytest.approx(w[-1], abs=1e-8)


@pytest.mark.parametrize("dtype", [np.float64, np.float32])
def test_dense_csc_csr_agree(dtype):
    X, y = make_problem(seed=6)
    X[np.abs(X) < 0.8] = 0.0
    X = X.astype(dtype)
    sols = {}
    for name, Xs, budget in [("dense", X, 0), ("csc", sp.csc_matrix(X), 0),
                             ("csr", sp.csr_matrix(X), 0), ("csr copied", sp.csr_matrix(X),
                                                            "auto")]:
        with config_context(csr_copy_budget=budget):
            problem, alpha, sols[name] = fitted(Xs, y, l1_ratio=0.5)
    assert sols["dense"].coef.dtype == dtype
    for name in ("csc", "csr", "csr copied"):
        np.testing.assert_allclose(sols[name].coef, sols["dense"].coef, rtol=0, atol=1e-9)
        assert sols[name].intercept == pytest.approx(sols["dense"].intercept, abs=1e-9)


def test_float32_matches_float64_to_its_precision():
    X, y = make_problem(seed=7)
    X32 = X.astype(np.float32)
    _, _, s64 = fitted(X32.astype(np.float64), y)
    _, _, s32 = fitted(X32, y)
    _, _, s_orig = fitted(X, y)
    np.testing.assert_allclose(s32.coef, s64.coef, rtol=0, atol=1e-6)   # same data: equal
    np.testing.assert_allclose(s32.coef, s_orig.coef, rtol=0, atol=1e-4)  # rounded data


def test_integer_sample_weights_equal_repeated_rows():
    X, y = make_problem(n=80, seed=8)
    counts = np.random.default_rng(8).integers(0, 4, len(y))
    counts[:2] = [1, 1]
    rep = np.repeat(np.arange(len(y)), counts)
    est = dict(alpha=0.02, groups=3, l1_ratio=0.3, tol=1e-12, max_iter=100000)
    a = GroupLogisticRegression(**est).fit(X, y, sample_weight=counts)
    b = GroupLogisticRegression(**est).fit(X[rep], y[rep])
    np.testing.assert_allclose(a.coef_, b.coef_, rtol=0, atol=1e-8)
    np.testing.assert_allclose(a.intercept_, b.intercept_, rtol=0, atol=1e-8)


def test_alpha_max_is_exact():
    X, y = make_problem(seed=9)
    problem = GroupLogisticProblem(X, y, groups=3, l1_ratio=0.5)
    at = problem.solve(problem.alpha_max() * (1 + 1e-9), **TIGHT)
    below = problem.solve(problem.alpha_max() * (1 - 1e-3), **TIGHT)
    assert not at.coef.any() and at.intercept == pytest.approx(problem.b0, abs=1e-10)
    p = np.mean(y > 0)
    assert problem.b0 == pytest.approx(np.log(p / (1 - p)))
    assert below.coef.any()


def test_screening_changes_nothing_and_labels_are_any_two_values():
    X, y = make_problem(seed=10)
    labels = np.where(y > 0, "yes", "no")
    on = GroupLogisticRegression(alpha=0.02, groups=2, tol=1e-12, max_iter=100000).fit(X, labels)
    off = GroupLogisticRegression(alpha=0.02, groups=2, tol=1e-12, max_iter=100000,
                                  screening=False).fit(X, labels)
    np.testing.assert_allclose(on.coef_, off.coef_, rtol=0, atol=1e-9)
    assert on.classes_.tolist() == ["no", "yes"]
    assert np.mean(on.predict(X) == labels) > 0.8
    proba = on.predict_proba(X)
    np.testing.assert_allclose(proba[:, 1], 1 / (1 + np.exp(-on.decision_function(X))))


def test_warm_start_and_convergence_warning():
    from l1core import ConvergenceWarning

    X, y = make_problem(seed=11)
    est = GroupLogisticRegression(alpha=0.01, groups=3, tol=1e-12, max_iter=2)
    with pytest.warns(ConvergenceWarning, match="duality gap"):
        est.fit(X, y)
    est.set_params(max_iter=100000, warm_start=True).fit(X, y)
    cold = GroupLogisticRegression(alpha=0.01, groups=3, tol=1e-12, max_iter=100000).fit(X, y)
    np.testing.assert_allclose(est.coef_, cold.coef_, rtol=0, atol=1e-8)
    assert est.n_iter_[0] <= cold.n_iter_[0]


def test_user_arrays_are_not_modified():
    X, y = make_problem(seed=12)
    Xc, s = sp.csr_matrix(X), np.ones(len(y))
    before = (Xc.data.copy(), y.copy(), s.copy())
    GroupLogisticRegression(alpha=0.01, groups=3).fit(Xc, y, sample_weight=s)
    for a, b in zip(before, (Xc.data, y, s)):
        np.testing.assert_array_equal(a, b)


@pytest.mark.parametrize("change, error, match", [
    (dict(y="three"), ValueError, "binary"),
    (dict(weights=0.0), ValueError, "positive group weights"),
    (dict(alpha=-1.0), ValueError, "alpha"),
    (dict(l1_ratio=2.0), ValueError, "l1_ratio"),
    (dict(X="nan"), ValueError, "NaN"),
    (dict(sample_weight="negative"), ValueError, "negative"),
])
def test_bad_input_raises(change, error, match):
    X, y = make_problem(n=30, p=6, seed=13)
    s = None
    if change.pop("y", None):
        y = np.arange(30) % 3
    if change.pop("X", None):
        X[0, 0] = np.nan
    if change.pop("sample_weight", None):
        s = -np.ones(30)
    weights = change.pop("weights", None)
    if weights is not None:
        change["weights"] = np.array([weights, 1.0, 1.0])
    est = GroupLogisticRegression(groups=2, **{"alpha": 0.01, **change})
    with pytest.raises(error, match=match):
        est.fit(X, y, sample_weight=s)


def test_sklearn_check_estimator():
    pytest.importorskip("sklearn")
    assert_check_estimator_passes(GroupLogisticRegression(groups=None))


def test_path_is_warm_started_and_certified_at_every_alpha():
    from l1core import group_logistic_path

    X, y = make_problem(seed=14)
    s = np.ones(len(y))
    alphas, coefs, gaps, n_iters, intercepts = group_logistic_path(
        X, y, groups=3, l1_ratio=0.5, n_alphas=6, eps=0.05, tol=1e-10, max_iter=100000,
        return_intercept=True)
    problem = GroupLogisticProblem(X, y, groups=3, l1_ratio=0.5)
    assert alphas[0] == pytest.approx(problem.alpha_max()) and not coefs[:, 0].any()
    groups = blocks(problem.ptr, problem.feat)
    for k, alpha in enumerate(alphas):
        gap = duality_gap(X, y, coefs[:, k], intercepts[k], s, groups, problem.weights,
                          alpha, 0.5)
        assert gap <= 1e-10 * problem.p_null * (1 + 1e-6) + 1e-15
        cold = problem.solve(alpha, tol=1e-12, max_iter=100000)
        np.testing.assert_allclose(coefs[:, k], cold.coef, rtol=0, atol=1e-6)
    dev = group_logistic_path(X, y, groups=3, l1_ratio=0.5, n_alphas=6, eps=0.05,
                              tol=1e-10).deviance_explained
    assert dev[0] == pytest.approx(0.0, abs=1e-9) and np.all(np.diff(dev) > 0)
