"""Fuzz suite, group family (issues 9 and 11): SparseGroupLasso, GroupLasso, the solver from
a start, group_lasso_path and the group CV estimators on random problems over every storage,
dtype, index dtype, group layout (sizes 1..k, given as a size, labels or index arrays, some
features in no group, unpenalized groups of weight 0), l1_ratio in [0, 1], the ridge gamma,
sample weights with zeros, positive, intercept, warm starts and scales. Each dual_gap_ must
certify its fit against the independent group FISTA optimum of tests/_apg.py, started at the
solution under test: P(coef) - P_ref <= dual_gap + rounding (tests/_fuzz.py's property)."""

from dataclasses import dataclass, replace

import numpy as np
import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

import _apg
import _fuzz as fz
from _fuzz import cases, fuzz_settings, make, run
from _group_reference import blocks, duality_gap, objective, penalty

from l1core import (GroupLasso, GroupLassoCV, SparseGroupLasso, SparseGroupLassoCV,
                    group_lasso_path)
from l1core._group_solver import GroupProblem

GROUP_CASES = dict(penalty="none", bounds=("none", "positive"),
                   l1_ratio=(0.0, 0.0, 0.3, 0.5, 0.9, 1.0),
                   scale=("none", "none", "mean", "y", "columns"))


@dataclass(frozen=True)
class Layout:
    """How the features are grouped: groups of 1..max_size features in random order, passed
    as ``form`` ("size": consecutive groups of max_size, "labels", "index": index arrays, one
    feature possibly left out), ``weights`` ("default" sqrt(|g|), "random", "zeros": one
    group unpenalized) and the ridge ``gamma = gamma_frac * alpha``."""

    seed: int
    max_size: int
    form: str
    weights: str
    gamma_frac: float


layouts = st.builds(Layout, seed=st.integers(0, 2**16), max_size=st.sampled_from((1, 2, 3, 5)),
                    form=st.sampled_from(("size", "labels", "index")),
                    weights=st.sampled_from(("default", "random", "zeros")),
                    gamma_frac=st.sampled_from((0.0, 0.0, 0.1, 1.0)))


@dataclass
class GroupDraw:
    """A drawn group problem: the estimators' arguments (``groups``, ``weights``, ``gamma``,
    ``positive``) and the reference's view (``blocks`` index arrays in the estimator's group
    order, their weights ``gw``, ``lo``/``hi`` with 0 for the features in no group)."""

    pb: object
    groups: object
    weights: object
    blocks: list
    gw: np.ndarray
    gamma: float
    positive: bool
    alpha: float
    lo: np.ndarray
    hi: np.ndarray

    @property
    def l1_ratio(self):
        return self.pb.case.l1_ratio

    def options(self):
        return dict(groups=self.groups, weights=self.weights, gamma=self.gamma,
                    positive=self.positive, fit_intercept=self.pb.case.fit_intercept)


def _blocks(layout, p, rng):
    """(groups argument, blocks) for the layout."""
    if layout.form == "size":
        return layout.max_size, [np.arange(s, min(s + layout.max_size, p))
                                 for s in range(0, p, layout.max_size)]
    order = rng.permutation(p)
    cuts, start = [], 0
    while start < p:
        size = int(rng.integers(1, layout.max_size + 1))
        cuts.append(np.sort(order[start:start + size]))
        start += size
    if layout.form == "labels":
        labels = np.empty(p, dtype=np.intp)
        for g, idx in enumerate(cuts):
            labels[idx] = g
        return labels, cuts
    if len(cuts) > 1 and rng.uniform() < 0.5:
        cuts = cuts[:-1]                               # the last group's features: in none
    return [idx.astype(np.int64) for idx in cuts], cuts


def make_group(case, layout):
    pb = make(case)
    n, p = pb.Xd.shape
    rng = np.random.default_rng(layout.seed)
    groups, parts = _blocks(layout, p, rng)
    G = len(parts)
    weights, gw = None, np.sqrt([idx.size for idx in parts])
    if layout.weights != "default":
        gw = rng.uniform(0.5, 2.0, size=G)
        if layout.weights == "zeros" and G > 1:
            g = int(rng.integers(G))
            if parts[g].size <= n // 3:               # few unpenalized values
                gw[g] = 0.0
        weights = gw.copy()
    positive = case.bounds == "positive"
    covered = np.zeros(p, bool)
    covered[np.concatenate(parts)] = True
    lo = np.where(covered, 0.0 if positive else -np.inf, 0.0)
    hi = np.where(covered, np.inf, 0.0)
    draw = GroupDraw(pb=pb, groups=groups, weights=weights, blocks=parts, gw=gw, gamma=0.0,
                     positive=positive, alpha=1.0, lo=lo, hi=hi)
    amax = GroupProblem(pb.Xd, pb.y, l1_ratio=case.l1_ratio, sample_weight=pb.s,
                        **draw.options()).alpha_max()
    alpha = case.alpha_frac * (amax if amax > 0 else 1.0)
    return replace(draw, alpha=alpha, gamma=layout.gamma_frac * alpha)




def known_defect(d):
    """The reason a draw meets a known open kernel defect (its draws are skipped here and
    the defect is the strict xfail below), or None."""
    return None


def test_large_column_means_certified():
    """Columns with mean 1e7 times their spread: column statistics by shifted sums and full
    columns centered in the kernel's residual (E[x^2] - xbar^2 took them for constants: an
    all-zero model certified by dual_gap_ = 0.0)."""
    from l1core import Lasso

    rng = np.random.default_rng(0)
    X = 1e7 + rng.standard_normal((20, 3))
    y = (X - X.mean(0)) @ [1.0, -1.0, 0.5] + 0.1 * rng.standard_normal(20)
    model = GroupLasso(alpha=0.01, groups=1).fit(X, y)
    lasso = Lasso(alpha=0.01, tol=1e-12).fit(X, y)     # groups of one: the same problem
    excess = (0.5 * np.mean((y - model.predict(X)) ** 2) + 0.01 * np.abs(model.coef_).sum()
              - 0.5 * np.mean((y - lasso.predict(X)) ** 2) - 0.01 * np.abs(lasso.coef_).sum())
    assert excess <= model.dual_gap_ + 1e-12


def test_gap_from_a_far_start_is_exact():
    """From a start far larger than the solution (y scaled by 1e-6, the start O(1)) the
    updated residual keeps the start's rounding, ~eps |X w0|: the kernel recomputes it before
    certifying (the gap was -2.3e-23 against 9e-28 in NumPy before)."""
    rng = np.random.default_rng(0)
    X = rng.standard_normal((25, 8))
    y = 1e-6 * (X[:, :2] @ [1.0, 2.0] + 0.5 * rng.standard_normal(25) + 2)
    problem = GroupProblem(X, y, groups=2, weights=[0, 1, 1, 1], l1_ratio=1.0)
    alpha = 2 * problem.alpha_max()
    sol = problem.solve(alpha, w=rng.standard_normal(8), tol=1e-12)
    gap = duality_gap(X, y, sol.coef, sol.intercept, np.ones(25),
                      blocks(problem.ptr, problem.feat), problem.weights, alpha, 1.0)
    assert abs(sol.dual_gap - gap) <= 1e-12 * 0.5 * np.var(y)


def certify_group(d, coef, intercept, gap, alpha=None):
    """The certificate of one solution (see the module docstring); returns the excess."""
    pb, alpha = d.pb, d.alpha if alpha is None else float(alpha)
    coef = np.asarray(coef)
    w = coef.astype(np.float64)
    b = float(intercept)
    assert np.all(np.isfinite(w)) and np.isfinite(b) and not np.isnan(gap), f"gap {gap}"
    assert np.all(w >= d.lo) and np.all(w <= d.hi), "bounds or uncovered features violated"
    if not pb.case.fit_intercept:
        assert b == 0.0
    args = (pb.s, d.blocks, d.gw, alpha, d.l1_ratio)
    value = objective(pb.Xd, pb.y, w, b, *args, gamma=d.gamma)
    feature_gw = fz.group_feature_weights(d.blocks, d.gw, w.size)
    ref = _apg.solve("squared", pb.Xd, pb.y, sample_weight=pb.s,
                     a=alpha * d.l1_ratio * feature_gw,
                     c=np.where(feature_gw > 0, d.gamma, 0.0), lower=d.lo, upper=d.hi,
                     fit_intercept=pb.case.fit_intercept, W0=w, b0=b, groups=d.blocks,
                     group_c=alpha * (1.0 - d.l1_ratio) * d.gw)
    return fz.assert_group_certificate(
        pb, w, b, gap, value, ref.objective,
        penalty(w, d.blocks, d.gw, alpha, d.l1_ratio, d.gamma))


def fit(d):
    """One fit as the case asks (cold, warm-started refit, or the solver from a start):
    (coef, intercept, dual_gap)."""
    pb, case = d.pb, d.pb.case
    if case.warm == "coef_init":
        start = np.random.default_rng(case.seed).standard_normal(pb.Xd.shape[1])
        start = np.clip(start / np.maximum(np.abs(pb.Xd).max(axis=0), 1e-300), d.lo, d.hi)
        problem = GroupProblem(pb.X, pb.y, l1_ratio=d.l1_ratio, sample_weight=pb.sample_weight,
                               **d.options())
        sol, _ = run(problem.solve, d.alpha, w=start, tol=case.tol, max_iter=2000)
        return sol.coef, sol.intercept, sol.dual_gap
    kw = dict(d.options(), tol=case.tol, max_iter=2000, warm_start=case.warm == "warm_start")
    model = GroupLasso(**kw) if d.l1_ratio == 0.0 else SparseGroupLasso(l1_ratio=d.l1_ratio,
                                                                        **kw)
    model, _ = fz.fit_as_drawn(model, pb, d.alpha)
    return model.coef_, model.intercept_, model.dual_gap_


@fuzz_settings(40)
@given(cases(**GROUP_CASES), layouts)
def test_group_fit_certified(case, layout):
    d = make_group(case, layout)
    assume(known_defect(d) is None)
    saved = fz.snapshot(*fz.user_arrays(d.pb))
    certify_group(d, *fit(d))
    fz.assert_unmodified(saved, *fz.user_arrays(d.pb))


@fuzz_settings(10)
@given(cases(**dict(GROUP_CASES, warm="cold")), layouts)
def test_group_path_certified(case, layout):
    d = make_group(case, layout)
    assume(known_defect(d) is None)
    (alphas, coefs, gaps, _, intercepts), _ = run(
        group_lasso_path, d.pb.X, d.pb.y, l1_ratio=d.l1_ratio, n_alphas=4, eps=1e-2,
        sample_weight=d.pb.sample_weight, tol=case.tol, max_iter=2000, return_intercept=True,
        **d.options())
    assert coefs.dtype == np.dtype(case.dtype) and np.all(np.diff(alphas) < 0)
    for k, alpha in enumerate(alphas):
        certify_group(d, coefs[:, k], intercepts[k], gaps[k], alpha=alpha)


@fuzz_settings(4)
@given(cases(**dict(GROUP_CASES, warm="cold", tol=(1e-4, 1e-8), n=(30, 40))), layouts)
def test_group_cv_refit_certified(case, layout):
    d = make_group(case, layout)
    assume(known_defect(d) is None)
    kw = dict(d.options(), cv=3, n_alphas=4, eps=1e-2, tol=case.tol, max_iter=2000)
    model = (GroupLassoCV(**kw) if d.l1_ratio == 0.0 else
             SparseGroupLassoCV(l1_ratio=[d.l1_ratio], **kw))
    model, _ = run(model.fit, d.pb.X, d.pb.y, sample_weight=d.pb.sample_weight)
    assert np.any(np.isclose(model.alphas_, model.alpha_, rtol=1e-12, atol=0))
    certify_group(d, model.coef_, model.intercept_, model.dual_gap_, alpha=model.alpha_)


@fuzz_settings(6)
@given(cases(**dict(GROUP_CASES, warm="cold", tol=1e-12, storage="dense_f", weights="none",
                    scale="none")), layouts)
def test_group_reference_meets_fista_of_group_reference(case, layout):
    """The group prox of tests/_apg.py agrees with the plain FISTA of
    tests/_group_reference.py (no rescaling there): both reach the same objective."""
    from _group_reference import fista

    d = make_group(case, layout)
    pb = d.pb
    w_plain, b_plain = fista(pb.Xd[:, np.concatenate(d.blocks)], pb.y, pb.s,
                             _renumbered(d.blocks), d.gw, d.alpha, d.l1_ratio, gamma=d.gamma,
                             positive=d.positive, fit_intercept=case.fit_intercept)
    w = np.zeros(pb.Xd.shape[1])
    w[np.concatenate(d.blocks)] = w_plain
    excess = certify_group(d, w, b_plain, 1e-9)
    assert excess >= -1e-9 * max(1.0, np.var(pb.y))


def _renumbered(parts):
    """The blocks as positions in ``concatenate(blocks)``."""
    sizes = np.cumsum([0] + [idx.size for idx in parts])
    return [np.arange(sizes[g], sizes[g + 1]) for g in range(len(parts))]
