"""FISTA / ISTA reach the coordinate-descent optimum of l1core's estimators, and their duality
gap certifies it: the objective and the gap are recomputed here in NumPy from the returned
coefficients (design.md section 2), independently of l1core.solvers."""

import warnings

import numpy as np
import pytest
import scipy.sparse as sp
from scipy.sparse.linalg import aslinearoperator
from scipy.special import expit, xlogy

from l1core import (ConvergenceWarning, ElasticNet, GroupLasso, Lasso, SparseGroupLasso,
                    SparseLogisticRegression, fista, ista)
from l1core.prox import (ElasticNetPenalty, GroupPenalty, L1Penalty, SparseGroupPenalty,
                         TVPenalty, prox_tv1d)


def _data(n=60, p=30, seed=0):
    rng = np.random.default_rng(seed)
    X = rng.standard_normal((n, p))
    X[rng.random((n, p)) < 0.5] = 0.0                    # sparse-friendly
    w = np.zeros(p)
    w[:5] = [3.0, -2.0, 1.5, 1.0, -1.0]
    return X, X @ w + 0.5 + 0.3 * rng.standard_normal(n)


def _squared_certificate(X, y, w, b, a, c, fit_intercept):
    """(P, gap) of 1/(2n)||y - Xw - b||^2 + sum a|w| + c/2 ||w||^2 in NumPy, the dual point
    the residual at the best intercept, scaled into |X^T theta| <= a when c = 0."""
    n = y.size
    b = np.mean(y - X @ w) if fit_intercept else 0.0
    r = y - X @ w - b
    P = 0.5 * r @ r / n + a * np.abs(w).sum() + 0.5 * c * w @ w
    theta = r / n
    q = X.T @ theta
    if c == 0:
        theta = theta * min(1.0, a / np.max(np.abs(q)))
        conj = 0.0
    else:
        conj = np.sum(np.maximum(np.abs(q) - a, 0) ** 2) / (2 * c)
    D = theta @ y - 0.5 * n * theta @ theta - conj
    return P, P - D


@pytest.mark.parametrize("storage", ["dense", "csc", "csr", "operator"])
def test_fista_lasso_reaches_cd_and_its_gap_certifies(storage):
    X, y = _data()
    alpha = 0.05
    ref = Lasso(alpha=alpha, tol=1e-12, max_iter=100_000).fit(X, y)
    Xs = {"dense": X, "csc": sp.csc_matrix(X), "csr": sp.csr_matrix(X),
          "operator": aslinearoperator(sp.csr_matrix(X))}[storage]
    res = fista(Xs, y, L1Penalty(alpha), fit_intercept=True, tol=1e-10)
    assert res.converged and res.dual_gap is not None
    P, gap = _squared_certificate(X, y, res.coef, res.intercept, alpha, 0.0, True)
    P_ref, _ = _squared_certificate(X, y, ref.coef_, ref.intercept_, alpha, 0.0, True)
    assert gap == pytest.approx(res.dual_gap, rel=1e-6, abs=1e-14)
    assert gap >= -1e-14
    assert P - P_ref <= gap + 1e-14                      # the certificate holds
    assert abs(P - P_ref) <= 1e-9 * P_ref
    np.testing.assert_allclose(res.coef, ref.coef_, atol=1e-5)
    assert res.intercept == pytest.approx(ref.intercept_, abs=1e-5)


@pytest.mark.parametrize("restart", ["function", "gradient", None])
def test_fista_elastic_net_reaches_cd(restart):
    X, y = _data(seed=1)
    alpha, l1_ratio = 0.1, 0.6
    ref = ElasticNet(alpha=alpha, l1_ratio=l1_ratio, tol=1e-12, fit_intercept=False).fit(X, y)
    res = fista(X, y, ElasticNetPenalty(alpha, l1_ratio), tol=1e-11, restart=restart)
    a, c = alpha * l1_ratio, alpha * (1 - l1_ratio)
    P, gap = _squared_certificate(X, y, res.coef, 0.0, a, c, False)
    P_ref, _ = _squared_certificate(X, y, ref.coef_, 0.0, a, c, False)
    assert res.converged
    assert gap == pytest.approx(res.dual_gap, rel=1e-6, abs=1e-15)
    assert P - P_ref <= gap + 1e-14 and abs(P - P_ref) <= 1e-9 * P_ref


def test_ista_reaches_the_same_optimum_more_slowly():
    X, y = _data(seed=2)
    fast = fista(X, y, L1Penalty(0.1), tol=1e-8)
    slow = ista(X, y, L1Penalty(0.1), tol=1e-8, max_iter=50_000)
    assert fast.converged and slow.converged
    assert abs(fast.objective[-1] - slow.objective[-1]) <= 1e-6 * fast.objective[-1]
    assert fast.n_iter < slow.n_iter


def test_fista_logistic_reaches_cd_and_its_gap_certifies():
    rng = np.random.default_rng(3)
    X = rng.standard_normal((80, 15))
    labels = (X[:, 0] - X[:, 1] + 0.5 * rng.standard_normal(80) > 0).astype(int)
    alpha = 0.02
    ref = SparseLogisticRegression(alpha=alpha, tol=1e-12, max_iter=10_000).fit(X, labels)
    res = fista(X, labels, L1Penalty(alpha), loss="logistic", fit_intercept=True, tol=1e-10)
    s = np.where(labels == 1, 1.0, -1.0)
    n = s.size

    def primal(w, b):
        return np.mean(np.logaddexp(0, -s * (X @ w + b))) + alpha * np.abs(w).sum()

    theta = s * expit(-s * (X @ res.coef + res.intercept)) / n
    assert abs(theta.sum()) < 1e-14                       # the best intercept
    theta *= min(1.0, alpha / np.max(np.abs(X.T @ theta)))
    prob = n * theta * s
    D = -np.sum(xlogy(prob, prob) + xlogy(1 - prob, 1 - prob)) / n
    P, P_ref = primal(res.coef, res.intercept), primal(ref.coef_.ravel(), ref.intercept_[0])
    assert res.converged
    assert P - D == pytest.approx(res.dual_gap, rel=1e-6, abs=1e-14)
    assert P - P_ref <= (P - D) + 1e-14 and abs(P - P_ref) <= 1e-9 * P_ref


@pytest.mark.parametrize("l1_ratio", [0.0, 0.4])
def test_fista_group_lassos_reach_cd(l1_ratio):
    X, y = _data(n=70, p=24, seed=4)
    alpha, groups = 0.05, 4
    if l1_ratio == 0:
        ref = GroupLasso(alpha=alpha, groups=groups, tol=1e-12).fit(X, y)
        penalty = GroupPenalty(alpha, groups=groups)
    else:
        ref = SparseGroupLasso(alpha=alpha, l1_ratio=l1_ratio, groups=groups,
                               tol=1e-12).fit(X, y)
        penalty = SparseGroupPenalty(alpha, l1_ratio, groups=groups)
    res = fista(X, y, penalty, fit_intercept=True, tol=1e-10)
    wg = np.sqrt(4.0)

    def primal(w, b):
        r = y - X @ w - b
        blocks = w.reshape(-1, 4)
        return (0.5 * r @ r / y.size + alpha * wg * (l1_ratio * np.abs(w).sum()
                + (1 - l1_ratio) * np.linalg.norm(blocks, axis=1).sum()))

    P, P_ref = primal(res.coef, res.intercept), primal(ref.coef_, ref.intercept_)
    assert res.converged and res.dual_gap is not None
    assert P - P_ref <= res.dual_gap + 1e-14
    assert abs(P - P_ref) <= 1e-9 * P_ref
    assert primal(res.coef, res.intercept) == pytest.approx(res.objective[-1], rel=1e-6)


def test_callable_loss_with_tv_penalty_stops_on_the_mapping():
    rng = np.random.default_rng(5)
    signal = np.repeat([0.0, 2.0, -1.0], 20) + 0.3 * rng.standard_normal(60)

    def value_and_grad(w):
        r = w - signal
        return 0.5 * r @ r, r

    res = fista(value_and_grad=value_and_grad, penalty=TVPenalty(0.8),
                coef_init=np.zeros(60), tol=1e-10)
    assert res.dual_gap is None and res.converged
    np.testing.assert_allclose(res.coef, prox_tv1d(signal, 0.8), atol=1e-7)


def test_float32_data_and_no_copy_of_the_input():
    X, y = _data(seed=6)
    X32, keep = X.astype(np.float32), X.astype(np.float32).copy()
    res = fista(X32, y, L1Penalty(0.1), tol=1e-8)
    np.testing.assert_array_equal(X32, keep)
    ref = fista(X32.astype(np.float64), y, L1Penalty(0.1), tol=1e-8)
    np.testing.assert_allclose(res.coef, ref.coef, atol=1e-5)


def test_non_convergence_warns_with_the_gap():
    X, y = _data(seed=7)
    with pytest.warns(ConvergenceWarning, match="duality gap"):
        res = fista(X, y, L1Penalty(0.01), tol=1e-14, max_iter=3)
    assert not res.converged and res.n_iter == 3


@pytest.mark.parametrize("kwargs, error", [
    (dict(penalty=None), TypeError),
    (dict(loss="hinge"), ValueError),
    (dict(restart="sometimes"), ValueError),
    (dict(coef_init=np.zeros(3)), ValueError),
    (dict(max_iter=0), ValueError),
    (dict(lipschitz=-1.0), ValueError)])
def test_bad_arguments_raise(kwargs, error):
    X, y = _data(seed=8)
    args = dict(penalty=L1Penalty(0.1)) | kwargs
    with pytest.raises(error):
        fista(X, y, **args)


def test_logistic_needs_two_classes():
    X, _ = _data()
    with pytest.raises(ValueError, match="2 classes"):
        fista(X, np.arange(60) % 3, L1Penalty(0.1), loss="logistic")
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        fista(X, np.arange(60) % 2, L1Penalty(0.1), loss="logistic", tol=1e-6)


def test_box_constraint_gives_scipy_nnls():
    from scipy.optimize import nnls

    from l1core.prox import BoxConstraint
    X, y = _data(n=50, p=10, seed=9)
    res = fista(X, y, BoxConstraint(0.0), tol=1e-12, max_iter=100_000)
    ref = nnls(X, y)[0]
    assert res.dual_gap is None and res.converged
    np.testing.assert_allclose(res.coef, ref, atol=1e-7)


def test_groups_not_covering_every_feature_stop_on_the_mapping():
    """Features in no group are unpenalized: no dual scaling exists, the mapping rule
    stops, and the optimality conditions hold (free features: zero gradient)."""
    X, y = _data(n=60, p=12, seed=10)
    groups = [np.arange(0, 4), np.arange(4, 8)]            # 8..11 free
    res = fista(X, y, GroupPenalty(0.3, groups=groups, weights=[1.0, 1.0]), tol=1e-12,
                max_iter=100_000)
    assert res.dual_gap is None and res.converged
    grad = X.T @ (X @ res.coef - y) / y.size
    np.testing.assert_allclose(grad[8:], 0, atol=1e-8)
    for idx in groups:
        w = res.coef[idx]
        if np.linalg.norm(w) > 0:
            np.testing.assert_allclose(grad[idx] + 0.3 * w / np.linalg.norm(w), 0, atol=1e-7)
        else:
            assert np.linalg.norm(grad[idx]) <= 0.3 + 1e-8
