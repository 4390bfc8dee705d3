"""The prior Lasso for the logistic loss: soft labels in the logistic kernel.

The kernel's soft-label objective is solved by cvxpy (Clarabel, exponential cones; test-only)
and its duality gap recomputed in NumPy with the shifted entropy
``D(theta) = sum_i sw_i H(t_i - theta_i / sw_i) - sum_j h_j*(x_j.theta)``.
"""

import numpy as np
import pytest
from scipy.special import expit, xlogy

from _sklearn_checks import assert_check_estimator_passes
from conftest import make_regression, to_storage
from l1core import SparseLogisticRegression
from l1core._logistic_solver import LogisticProblem, solve_once
from l1core.variants import PriorLogisticRegression


def _data(seed, n=60, p=12):
    X, y, _ = make_regression(seed, n=n, p=p)
    labels = (y > np.median(y)).astype(int)
    t = np.clip(0.6 * labels + 0.2 + 0.15 * np.random.default_rng(seed).standard_normal(n),
                0, 1)
    return X, labels, t


def _soft_loss(t, z):
    return -(t * -np.logaddexp(0, -z) + (1 - t) * -np.logaddexp(0, z))


def numpy_soft_gap(X, t, w, b, sw, alpha):
    """P(w, b) - D(theta) for the L1 soft-label problem: theta = sw (t - sigma(z)), made to sum
    to zero by scaling its larger-signed part, then scaled into |X^T theta| <= alpha."""
    sw = sw / sw.sum()
    z = X @ w + b
    primal = sw @ _soft_loss(t, z) + alpha * np.abs(w).sum()
    theta = sw * (t - expit(z))
    pos, neg = theta[theta > 0].sum(), -theta[theta < 0].sum()
    theta = np.where(theta > 0, theta * min(1, neg / pos), theta * min(1, pos / neg))
    theta *= min(1.0, alpha / np.abs(X.T @ theta).max())
    u = t - theta / sw
    assert np.all((u >= -1e-12) & (u <= 1 + 1e-12))
    u = np.clip(u, 0, 1)
    return primal - sw @ -(xlogy(u, u) + xlogy(1 - u, 1 - u)), primal


@pytest.mark.parametrize("storage", ["dense", "csc", "csr"])
def test_eta_zero_is_the_sparse_logistic_regression_exactly(storage):
    X, labels, _ = _data(1)
    Xs = to_storage(X, storage)
    plain = SparseLogisticRegression(alpha=0.01).fit(Xs, labels)
    prior = PriorLogisticRegression(alpha=0.01, eta=0.0, prior_features=[0, 1]).fit(Xs, labels)
    np.testing.assert_array_equal(prior.coef_, plain.coef_)
    np.testing.assert_array_equal(prior.intercept_, plain.intercept_)
    assert prior.dual_gap_ == plain.dual_gap_


@pytest.mark.parametrize("storage", ["dense", "csr"])
def test_soft_labels_match_cvxpy_and_numpy_gap(storage):
    cp = pytest.importorskip("cvxpy")
    X, labels, t = _data(2)
    sw = np.random.default_rng(3).uniform(0.5, 2.0, 60)
    alpha = 0.01
    pb = LogisticProblem(to_storage(X, storage), labels, sample_weight=sw, soft_labels=t)
    sol = solve_once(pb, alpha, tol=1e-12, max_iter=10_000)
    gap, primal = numpy_soft_gap(X, t, sol.coef, sol.intercept, sw, alpha)
    assert -1e-13 <= gap <= 1e-11 and sol.dual_gap >= gap - 1e-13
    w, b = cp.Variable(12), cp.Variable()
    z = X @ w + b
    swn = sw / sw.sum()
    loss = cp.sum(cp.multiply(swn, cp.logistic(z) - cp.multiply(t, z)))
    problem = cp.Problem(cp.Minimize(loss + alpha * cp.norm1(w)))
    problem.solve(solver=cp.CLARABEL, tol_gap_abs=1e-11, tol_gap_rel=1e-11, tol_feas=1e-11)
    np.testing.assert_allclose(sol.coef, w.value, atol=2e-5)
    ours = swn @ (np.logaddexp(0, X @ sol.coef + sol.intercept)
                  - t * (X @ sol.coef + sol.intercept)) + alpha * np.abs(sol.coef).sum()
    assert ours <= problem.value + 1e-9                  # at least as good as cvxpy
    assert primal - ours == pytest.approx(0.0, abs=1e-12)   # l(t, z) = log(1+e^z) - t z


def test_jiang_objective_is_the_soft_label_objective():
    """l(y, z) + eta l(p, z) = (1 + eta) l((y + eta p)/(1 + eta), z): the blend is exact."""
    rng = np.random.default_rng(4)
    y, p, z = rng.integers(0, 2, 50), rng.uniform(size=50), 3 * rng.standard_normal(50)
    eta = 0.8
    t = (y + eta * p) / (1 + eta)
    np.testing.assert_allclose(_soft_loss(y, z) + eta * _soft_loss(p, z),
                               (1 + eta) * _soft_loss(t, z), rtol=1e-12)


def test_prior_features_prior_model_and_certificate():
    X, labels, _ = _data(5)
    clf = PriorLogisticRegression(alpha=0.01, eta=1.0, prior_features=[0, 2], tol=1e-12).fit(
        X, labels)
    ref = SparseLogisticRegression(l1_ratio=0.0).fit(X[:, [0, 2]], labels)
    np.testing.assert_allclose(clf.prior_, ref.predict_proba(X[:, [0, 2]])[:, 1], rtol=1e-12)
    t = (labels + clf.prior_) / 2
    gap, _ = numpy_soft_gap(X, t, clf.coef_[0], clf.intercept_[0], np.ones(60), 0.01)
    assert -1e-13 <= gap <= 1e-11
    proba = clf.predict_proba(X[:3])
    np.testing.assert_allclose(proba.sum(axis=1), 1.0)
    m32 = PriorLogisticRegression(alpha=0.01, eta=1.0, prior_features=[0, 2], tol=1e-10).fit(
        X.astype(np.float32), labels)
    assert m32.coef_.dtype == np.float32
    np.testing.assert_allclose(m32.coef_, clf.coef_, atol=1e-3 * np.abs(clf.coef_).max())


@pytest.mark.parametrize("params, fit, error", [
    (dict(eta=-0.5), {}, ValueError),
    (dict(prior_features=[0]), dict(p_prior=np.full(30, 0.5)), ValueError),
    (dict(), dict(p_prior=np.full(30, 1.5)), ValueError),
    (dict(), dict(p_prior=np.full(29, 0.5)), ValueError)])
def test_bad_input_raises(params, fit, error):
    X, labels, _ = _data(6, n=30, p=5)
    with pytest.raises(error):
        PriorLogisticRegression(**params).fit(X, labels, **fit)


def test_soft_labels_refused_where_unsupported():
    X, labels, t = _data(7, n=30, p=5)
    with pytest.raises(ValueError, match="Only binary"):
        PriorLogisticRegression().fit(X, np.arange(30) % 3)
    with pytest.raises(ValueError, match="unpenalized"):
        LogisticProblem(X, labels, soft_labels=t, penalty_factor=[0, 1, 1, 1, 1])
    with pytest.raises(ValueError, match=r"\[0, 1\]"):
        LogisticProblem(X, labels, soft_labels=t + 1)


def test_check_estimator():
    assert_check_estimator_passes(PriorLogisticRegression())
    assert_check_estimator_passes(PriorLogisticRegression(prior_features=[0]))
