"""Fuzz suite, squared loss (issue 9): Lasso, ElasticNet, enet_solve, enet_path and the CV
estimators on random problems over every storage, dtype, index dtype, weights with zeros,
penalty factors with zeros, bounds, intercept, selection, warm starts, l1_ratio and extreme
scales. Each fit's dual_gap_ must certify it against the independent FISTA optimum of
tests/_apg.py (see tests/_fuzz.py for the property and the rounding bound)."""


import numpy as np
import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

import _apg
import _fuzz as fz
import _reference as ref
from _fuzz import cases, certify, fuzz_settings, make, run

from l1core import ElasticNet, ElasticNetCV, Lasso, LassoCV, enet_path, enet_solve


def known_defect(case):
    """The reason a draw meets a known open defect (its property is an xfail), or None.
    None is open: negative gaps with unpenalized columns (found by this suite: -0.22 on
    Case(seed=5160, n=8, p=30, weights='int', scale='columns')) are fixed; the hook stays."""
    return None


def model_of(pb, cv=False, **extra):
    """The estimator for the problem: Lasso(CV) for l1_ratio = 1, else ElasticNet(CV)."""
    lasso = pb.case.l1_ratio == 1.0
    kw = dict(pb.options, tol=pb.case.tol, max_iter=2000, **extra)
    if cv:
        kw.update(cv=3, n_alphas=4, eps=1e-2)
        return LassoCV(**kw) if lasso else ElasticNetCV(l1_ratio=[pb.case.l1_ratio], **kw)
    return Lasso(alpha=pb.alpha, **kw) if lasso else ElasticNet(
        alpha=pb.alpha, l1_ratio=pb.case.l1_ratio, **kw)


def stopping_threshold(pb, tol):
    """tol * sum_i s_i (y_i - ybar)^2 / S: above it, a ConvergenceWarning is due."""
    sw = pb.s / pb.s.sum()
    ybar = float(sw @ pb.y) if pb.case.fit_intercept else 0.0
    return tol * float(sw @ (pb.y - ybar) ** 2)


def fit(pb):
    """One fit as the case asks (cold, warm-started refit, or enet_solve from coef_init):
    (coef, intercept, dual_gap, convergence warnings)."""
    if pb.case.warm == "coef_init":
        start = np.random.default_rng(pb.case.seed).standard_normal(pb.Xd.shape[1])
        start = np.clip(start / np.maximum(np.abs(pb.Xd).max(axis=0), 1e-300), pb.lo, pb.hi)
        res, warned = run(enet_solve, pb.X, pb.y, alpha=pb.alpha, l1_ratio=pb.case.l1_ratio,
                          sample_weight=pb.sample_weight, tol=pb.case.tol, max_iter=2000,
                          coef_init=start, **pb.options)
        return res.coef, res.intercept, res.dual_gap, warned
    model = model_of(pb, warm_start=pb.case.warm == "warm_start")
    if pb.case.warm == "warm_start":
        run(model.set_params(alpha=3.0 * pb.alpha).fit, pb.X, pb.y,
            sample_weight=pb.sample_weight)
        model.set_params(alpha=pb.alpha)
    model, warned = run(model.fit, pb.X, pb.y, sample_weight=pb.sample_weight)
    assert model.coef_.dtype == np.dtype(pb.case.dtype)
    return model.coef_, model.intercept_, model.dual_gap_, warned


@fuzz_settings(60)
@given(cases())
def test_fit_certified(case):
    assume(known_defect(case) is None)
    pb = make(case)
    saved = fz.snapshot(*fz.user_arrays(pb))
    coef, intercept, gap, warned = fit(pb)
    fz.assert_unmodified(saved, *fz.user_arrays(pb))
    verdict = certify(pb, coef, intercept, gap)
    if verdict.gap > stopping_threshold(pb, case.tol) * (1 + 1e-9) + verdict.slack:
        assert warned, f"gap {verdict.gap:.3e} above tol without a ConvergenceWarning"


@fuzz_settings(8)
@given(cases(penalty="zeros", weights=("random", "int"), scale=("columns", "mean")))
def test_unpenalized_columns_at_extreme_scales_certified(case):
    """Once negative gaps: unpenalized columns with scales far apart or large means."""
    pb = make(case)
    coef, intercept, gap, _ = fit(pb)
    certify(pb, coef, intercept, gap)


@fuzz_settings(20)
@given(cases())
def test_path_certified(case):
    assume(known_defect(case) is None)
    pb = make(case)
    saved = fz.snapshot(*fz.user_arrays(pb))
    start = None
    if case.warm == "coef_init":
        start = np.clip(np.zeros(case.p), pb.lo, pb.hi)
    (alphas, coefs, gaps, intercepts), _ = run(
        enet_path, pb.X, pb.y, l1_ratio=case.l1_ratio, n_alphas=4, eps=1e-2,
        sample_weight=pb.sample_weight, tol=case.tol, max_iter=2000, coef_init=start,
        return_intercept=True, **pb.options)
    fz.assert_unmodified(saved, *fz.user_arrays(pb))
    assert coefs.dtype == np.dtype(case.dtype)
    assert np.all(np.diff(alphas) <= 0)
    for k, alpha in enumerate(alphas):
        certify(pb, coefs[:, k], intercepts[k], gaps[k], alpha=alpha)


@fuzz_settings(20)
@given(cases(storage="dense_f", tol=1e-12, warm="cold"), st.sampled_from(("int32", "int64")))
def test_storages_agree(case, index_dtype):
    """Dense, CSC and CSR give the same solution: each is certified, and where P is
    mu-strongly convex, ||w1 - w2|| <= sum_k sqrt(2 (gap_k + rounding) / mu)."""
    assume(known_defect(case) is None)
    pb = make(case)
    fits = []
    for storage in ("dense_f", "csc", "csr"):
        other = fz.with_storage(pb, storage, index_dtype)
        coef, intercept, gap, _ = fit(other)
        fits.append((coef, certify(other, coef, intercept, gap)))
    prob = ref.Problem(X=pb.Xd, y=pb.y, s=pb.s, alpha=pb.alpha, l1_ratio=case.l1_ratio,
                       v=pb.v, lower=pb.lo, upper=pb.hi, fit_intercept=case.fit_intercept)
    mu = ref.strong_convexity(prob)
    Xc = pb.Xd - prob.xbar
    top = np.linalg.eigvalsh(Xc.T @ (prob.sw[:, None] * Xc))[-1] + prob.c.max()
    if mu <= 1e-6 * top:
        return
    fz.assert_same_solution(fits, mu)


@fuzz_settings(8)
@given(cases(tol=(1e-4, 1e-8), warm="cold", n=(30, 40)))
def test_cv_refit_certified(case):
    assume(known_defect(case) is None)
    pb = make(case)
    saved = fz.snapshot(*fz.user_arrays(pb))
    model, _ = run(model_of(pb, cv=True).fit, pb.X, pb.y, sample_weight=pb.sample_weight)
    fz.assert_unmodified(saved, *fz.user_arrays(pb))
    assert np.any(np.isclose(model.alphas_, model.alpha_, rtol=1e-12, atol=0))
    certify(pb, model.coef_, model.intercept_, model.dual_gap_, alpha=model.alpha_)


@fuzz_settings(10)
@given(cases(scale=("none", "columns", "mean", "y"), penalty=("none", "positive")))
def test_reference_meets_its_dual(case):
    """The reference itself converges from zero: its objective is within 1e-6 (relative) of
    the NumPy dual bound D(theta) <= P* of tests/_reference.py (no unpenalized columns
    there). The dual point built from a near-optimal residual is off by O(sqrt(P - P*)):
    the objective itself agrees with tight solves to ~1e-16."""
    pb = make(case)
    prob = ref.Problem(X=pb.Xd, y=pb.y, s=pb.s, alpha=pb.alpha, l1_ratio=case.l1_ratio,
                       v=pb.v, lower=pb.lo, upper=pb.hi, fit_intercept=case.fit_intercept)
    sol = _apg.solve("squared", pb.Xd, pb.y, sample_weight=pb.s, a=pb.a, c=pb.c, lower=pb.lo,
                     upper=pb.hi, fit_intercept=case.fit_intercept)
    theta, _, q = ref.dual_point(prob, sol.W[0], sol.b[0])
    lower_bound = ref.dual(prob, theta, q)
    null = 0.5 * float(prob.sw @ (pb.y - prob.ybar) ** 2)
    assert sol.objective - lower_bound <= 1e-6 * null + fz.rounding(pb, sol.W, sol.b)
