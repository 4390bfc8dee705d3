"""Fuzz suite, group logistic family (issue 9): GroupLogisticRegression, its problem solved
from a start, and group_logistic_path on random binary problems over every storage, dtype,
index dtype, group layout (sizes 1..k as a size, labels or index arrays, some features in no
group; positive group weights, default or random), l1_ratio in [0, 1], sample weights with
zeros, intercept, warm starts and scales.

The objective (l1core.group_logistic._problem), labels y_i = +-1:

    P(w, b) = 1/S sum_i s_i log(1 + exp(-y_i (x_i.w + b)))
              + alpha sum_g w_g (l1_ratio ||w_g||_1 + (1 - l1_ratio) ||w_g||_2)

Each dual_gap_ must certify its fit against the independent optimum of tests/_apg.py (FISTA
with the exact sparse-group prox, in well-conditioned coordinates, started at the solution
under test): P(coef) - P_ref <= dual_gap + rounding and dual_gap >= -rounding
(tests/_fuzz.py's property); coefficients of features in no group are 0; the user's arrays
are unmodified.
"""

from dataclasses import dataclass, replace

import numpy as np
from hypothesis import assume, given
from hypothesis import strategies as st

import _apg
import _fuzz as fz
from _fuzz import cases, fuzz_settings, make, run
from _group_logistic_reference import fista, objective
from _group_reference import penalty
from test_fuzz_group import Layout, _blocks

from l1core import GroupLogisticRegression, group_logistic_path
from l1core.group_logistic import GroupLogisticProblem

GL_CASES = dict(n_classes=2, ovr=False, penalty="none", bounds="none",
                l1_ratio=(0.0, 0.0, 0.3, 0.5, 0.9, 1.0),
                scale=("none", "none", "mean", "columns"))


# the group suite's layouts, without the ridge and with positive weights only (the logistic
# model needs them > 0)
layouts = st.builds(Layout, seed=st.integers(0, 2**16), max_size=st.sampled_from((1, 2, 3, 5)),
                    form=st.sampled_from(("size", "labels", "index")),
                    weights=st.sampled_from(("default", "random")), gamma_frac=st.just(0.0))


@dataclass
class GLDraw:
    """A drawn problem: the estimator's arguments and the reference's view (``blocks`` in
    the estimator's group order, weights ``gw``, ``lo``/``hi`` 0 for features in no group)."""

    pb: object
    groups: object
    weights: object
    blocks: list
    gw: np.ndarray
    alpha: float
    lo: np.ndarray
    hi: np.ndarray

    @property
    def l1_ratio(self):
        return self.pb.case.l1_ratio

    @property
    def ypm(self):
        return np.where(self.pb.y > 0, 1.0, -1.0)

    def options(self):
        return dict(groups=self.groups, weights=self.weights, l1_ratio=self.l1_ratio,
                    fit_intercept=self.pb.case.fit_intercept)


def make_group_logistic(case, layout):
    pb = make(case)
    n, p = pb.Xd.shape
    rng = np.random.default_rng(layout.seed)
    groups, parts = _blocks(layout, p, rng)
    weights, gw = None, np.sqrt([idx.size for idx in parts])
    if layout.weights == "random":
        gw = rng.uniform(0.5, 2.0, size=len(parts))
        weights = gw.copy()
    covered = np.zeros(p, bool)
    covered[np.concatenate(parts)] = True
    lo, hi = np.where(covered, -np.inf, 0.0), np.where(covered, np.inf, 0.0)
    d = GLDraw(pb=pb, groups=groups, weights=weights, blocks=parts, gw=gw, alpha=1.0,
               lo=lo, hi=hi)
    amax = GroupLogisticProblem(pb.Xd, pb.y, sample_weight=pb.s, **d.options()).alpha_max()
    return replace(d, alpha=case.alpha_frac * (amax if amax > 0 else 1.0))


def user_arrays(d):
    """The user's arrays: X, y, sample weights, group weights and the groups' labels or index
    arrays."""
    groups = list(d.groups) if isinstance(d.groups, list) else (
        [d.groups] if isinstance(d.groups, np.ndarray) else [])
    return fz.user_arrays(d.pb) + (d.weights,) + tuple(groups)


def both_classes_weighted(case):
    """The model needs both classes among the samples of positive weight (else: a
    ValueError, tested in tests/test_group_logistic.py)."""
    pb = make(case)
    return len(np.unique(pb.y[pb.s > 0])) == 2


def certify_group_logistic(d, coef, intercept, gap, alpha=None):
    """The certificate of one solution (module docstring); returns P(coef) - P_ref."""
    pb, alpha = d.pb, d.alpha if alpha is None else float(alpha)
    w = np.asarray(coef).astype(np.float64).ravel()
    b = float(np.ravel(intercept)[0])
    assert np.all(np.isfinite(w)) and np.isfinite(b) and not np.isnan(gap), f"gap {gap}"
    assert np.all(w >= d.lo) and np.all(w <= d.hi), "features in no group got coefficients"
    if not pb.case.fit_intercept:
        assert b == 0.0
    value = objective(pb.Xd, d.ypm, w, b, pb.s, d.blocks, d.gw, alpha, d.l1_ratio)
    feature_gw = fz.group_feature_weights(d.blocks, d.gw, w.size)
    ref = _apg.solve("logistic", pb.Xd, pb.y, sample_weight=pb.s,
                     a=alpha * d.l1_ratio * feature_gw, c=0.0, lower=d.lo, upper=d.hi,
                     fit_intercept=pb.case.fit_intercept, W0=w, b0=b, groups=d.blocks,
                     group_c=alpha * (1.0 - d.l1_ratio) * d.gw)
    return fz.assert_group_certificate(
        pb, w, b, gap, value, ref.objective,
        penalty(w, d.blocks, d.gw, alpha, d.l1_ratio, 0.0))


def fit(d):
    """One fit as the case asks (cold, warm-started refit, or the problem solved from a
    start): (coef, intercept, dual_gap)."""
    pb, case = d.pb, d.pb.case
    if case.warm == "coef_init":
        rng = np.random.default_rng(case.seed)
        start = rng.standard_normal(pb.Xd.shape[1]) / np.maximum(np.abs(pb.Xd).max(axis=0),
                                                                  1e-300)
        problem = GroupLogisticProblem(pb.X, pb.y, sample_weight=pb.sample_weight,
                                       **d.options())
        sol, _ = run(problem.solve, d.alpha, w=start, intercept=float(rng.uniform(-1, 1)),
                     tol=case.tol, max_iter=2000)
        assert sol.coef.dtype == np.dtype(case.dtype)
        return sol.coef, sol.intercept, sol.dual_gap
    model = GroupLogisticRegression(tol=case.tol, max_iter=2000,
                                    warm_start=case.warm == "warm_start", **d.options())
    model, _ = fz.fit_as_drawn(model, pb, d.alpha)
    assert model.coef_.shape == (1, pb.Xd.shape[1])
    return model.coef_[0], model.intercept_[0], model.dual_gap_


@fuzz_settings(25)
@given(cases("logistic", **GL_CASES), layouts)
def test_group_logistic_fit_certified(case, layout):
    assume(both_classes_weighted(case))
    d = make_group_logistic(case, layout)
    saved = fz.snapshot(*user_arrays(d))
    certify_group_logistic(d, *fit(d))
    fz.assert_unmodified(saved, *user_arrays(d))


@fuzz_settings(6)
@given(cases("logistic", **dict(GL_CASES, warm="cold")), layouts)
def test_group_logistic_path_certified(case, layout):
    assume(both_classes_weighted(case))
    d = make_group_logistic(case, layout)
    saved = fz.snapshot(*user_arrays(d))
    (alphas, coefs, gaps, _, intercepts), _ = run(
        group_logistic_path, d.pb.X, d.pb.y, n_alphas=4, eps=1e-2,
        sample_weight=d.pb.sample_weight, tol=case.tol, max_iter=2000, return_intercept=True,
        **d.options())
    fz.assert_unmodified(saved, *user_arrays(d))
    assert coefs.dtype == np.dtype(case.dtype) and np.all(np.diff(alphas) < 0)
    for k, alpha in enumerate(alphas):
        certify_group_logistic(d, coefs[:, k], intercepts[k], gaps[k], alpha=alpha)


@fuzz_settings(3)
@given(cases("logistic", **dict(GL_CASES, warm="cold", storage="dense_f", weights="none",
                                scale="none", alpha_frac=(0.5, 0.1), n=(25, 40))), layouts)
def test_apg_group_logistic_meets_plain_fista(case, layout):
    """The reference of this file (tests/_apg.py's group prox with the logistic loss, in
    rescaled coordinates) reaches the objective of the plain FISTA of
    tests/_group_logistic_reference.py (no rescaling): the reference is not stuck above."""
    d = make_group_logistic(case, layout)
    pb = d.pb
    order = np.concatenate(d.blocks)
    sizes = np.cumsum([0] + [idx.size for idx in d.blocks])
    local = [np.arange(sizes[g], sizes[g + 1]) for g in range(len(d.blocks))]
    w_local, b_plain = fista(pb.Xd[:, order], d.ypm, pb.s, local, d.gw, d.alpha, d.l1_ratio,
                             fit_intercept=case.fit_intercept, n_iter=5000)
    w = np.zeros(pb.Xd.shape[1])
    w[order] = w_local
    plain = objective(pb.Xd, d.ypm, w, b_plain, pb.s, d.blocks, d.gw, d.alpha, d.l1_ratio)
    feature_gw = fz.group_feature_weights(d.blocks, d.gw, w.size)
    ref = _apg.solve("logistic", pb.Xd, pb.y, sample_weight=pb.s,
                     a=d.alpha * d.l1_ratio * feature_gw, c=0.0, lower=d.lo, upper=d.hi,
                     fit_intercept=case.fit_intercept, groups=d.blocks,
                     group_c=d.alpha * (1.0 - d.l1_ratio) * d.gw)
    assert ref.converged
    assert ref.objective <= plain + 1e-12, (ref.objective, plain)     # not stuck above
    assert plain - ref.objective <= 1e-7, (ref.objective, plain)      # the same problem
