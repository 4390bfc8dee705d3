"""The Gram (covariance) form of the Elastic Net solver: precompute=True agrees with the
direct form and is certified by the same NumPy gap, for every option it supports."""

import numpy as np
import pytest

import _reference as ref
from conftest import check_certified, problem_of, solve_kwargs, solve_quiet
from l1core import ElasticNet, Lasso, enet_path, enet_solve
from l1core._enet_solver import EnetProblem

CASES = [
    dict(),
    dict(weights="random"),
    dict(weights="int", fit_intercept=False),
    dict(penalty="zeros"),
    dict(penalty="random", bounds="box"),
    dict(bounds="positive", l1_ratio=0.5),
    dict(l1_ratio=0.1, selection="random"),
]


@pytest.mark.parametrize("case", CASES, ids=[str(c) for c in CASES])
@pytest.mark.parametrize("seed", [0, 1, 2])
def test_gram_matches_direct_and_is_certified(case, seed):
    kw = solve_kwargs(seed, n=120, p=15, **case)
    gram, caught = solve_quiet(enet_solve, **kw, tol=1e-12, max_iter=20_000, precompute=True)
    direct, _ = solve_quiet(enet_solve, **kw, tol=1e-12, max_iter=20_000, precompute=False)
    assert gram.converged and direct.converged
    check_certified(problem_of(kw), gram.coef, gram.intercept, tol=1e-12,
                    reported_gap=gram.dual_gap)
    # both within gap 1e-12 * var(y) of the optimum: coefficients agree to sqrt(gap / mu)
    np.testing.assert_allclose(gram.coef, direct.coef, atol=1e-5)
    assert gram.intercept == pytest.approx(direct.intercept, abs=1e-5)


def test_auto_chooses_gram_for_tall_dense_only():
    rng = np.random.default_rng(0)
    tall, wide = rng.standard_normal((400, 20)), rng.standard_normal((20, 400))
    y400, y20 = rng.standard_normal(400), rng.standard_normal(20)
    assert EnetProblem(tall, y400).use_gram
    assert not EnetProblem(wide, y20).use_gram
    import scipy.sparse as sp
    assert not EnetProblem(sp.csr_matrix(tall), y400).use_gram
    # sparse X accepts precompute=True (as scikit-learn does) and solves from X itself
    assert not EnetProblem(sp.csr_matrix(tall), y400, precompute=True).use_gram
    with pytest.raises(ValueError, match="precompute"):
        EnetProblem(tall, y400, precompute="yes")


def test_gram_path_matches_direct_path():
    rng = np.random.default_rng(3)
    X = rng.standard_normal((500, 30))
    X[:, 1:] += 0.8 * X[:, :-1]          # correlated columns: CD converges slowly
    y = X[:, :6] @ rng.standard_normal(6) + 0.3 * rng.standard_normal(500)
    a1, c1, g1, i1 = enet_path(X, y, l1_ratio=0.8, fit_intercept=True, tol=1e-10,
                               precompute=True, return_intercept=True)
    a2, c2, g2, i2 = enet_path(X, y, l1_ratio=0.8, fit_intercept=True, tol=1e-10,
                               precompute=False, return_intercept=True)
    # alpha_max from the Gram moments or from X: equal up to the BLAS kernel's rounding
    np.testing.assert_allclose(a1, a2, rtol=1e-12)
    np.testing.assert_allclose(c1, c2, atol=1e-4)   # ill-conditioned: sqrt(gap / mu)
    np.testing.assert_allclose(i1, i2, atol=1e-4)
    for k in range(0, len(a1), 9):
        pb = ref.make_problem(X, y, alpha=a1[k], l1_ratio=0.8)
        assert ref.duality_gap(pb, c1[:, k], i1[k]) <= 1e-10 * np.var(y) * 1.01 + 1e-15


def test_gram_large_column_mean_and_constant_columns():
    rng = np.random.default_rng(4)
    X = rng.standard_normal((300, 8))
    y = X @ np.r_[1.0, 2.0, 0, 0, -1.0, 0, 0, 0] + 0.1 * rng.standard_normal(300)
    shifted = X.copy()
    shifted[:, 1] += 1e7                 # centering blockwise keeps this exact
    shifted[:, 6] = 3.0                  # constant
    shifted[:, 7] = 0.0                  # all zero
    base = Lasso(alpha=0.01, precompute=True).fit(X[:, :6], y)
    est = Lasso(alpha=0.01, precompute=True, tol=1e-8).fit(shifted, y)
    np.testing.assert_allclose(est.coef_[:6], base.coef_, atol=1e-4)
    assert est.coef_[6] == 0.0 and est.coef_[7] == 0.0
    pos = ElasticNet(alpha=0.01, lower_bounds=np.r_[np.zeros(6), 0.5, -np.inf],
                     precompute=True).fit(shifted, y)
    assert pos.coef_[6] == 0.5          # a constant column rests at its penalty's minimum


def test_gram_unpenalized_at_bound_is_certified():
    rng = np.random.default_rng(0)
    X = rng.standard_normal((60, 6))
    y = -5.0 * X[:, 0] + X[:, 1] + rng.standard_normal(60)
    pf = np.r_[0.0, np.ones(5)]
    est = Lasso(alpha=0.5, penalty_factor=pf, positive=True, tol=1e-10, max_iter=2000,
                precompute=True).fit(X, y)
    pb = ref.make_problem(X, y, alpha=0.5, penalty_factor=pf, positive=True)
    assert est.coef_[0] == 0.0           # the bound is active (unconstrained: about -5)
    # the reference projects every unpenalized column out of its dual point, invalid at an
    # active bound: check optimality by KKT and the solver's own certificate
    assert ref.kkt_violation(pb, est.coef_, est.intercept_).max() < 1e-8
    assert est.dual_gap_ <= 1e-10 * np.var(y)
