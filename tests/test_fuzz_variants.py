"""Fuzz suite, Lasso variants (issue 9): AdaptiveLasso, AdaptiveElasticNet,
AdaptiveLogisticRegression and PriorLasso on random problems over every storage, dtype, index
dtype, sample weights with zeros, intercept, l1_ratio and scales, with drawn gamma,
weight_eps, n_reweight, initial estimates (ridge, least squares, a given array with zeros)
and priors (features, or given predictions, eta).

Each variant solves a weighted problem that its attributes define, and its ``dual_gap_``
must certify that problem against the independent FISTA optimum of tests/_apg.py
(tests/_fuzz.py's property):

- adaptive: penalty factors ``weights_``; an infinite weight fixes the feature at 0
  (bounds 0 <= w_j <= 0 in the reference); with ``n_reweight = 0`` and an array ``init``,
  ``weights_`` is recomputed here as 1 / (|b_init| + weight_eps)^gamma;
- prior: the Lasso on the blended response (y + eta prior_) / (1 + eta), with ``prior_``
  the given predictions (checked) or the least-squares fit on the prior features.
"""

from dataclasses import replace

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

import _fuzz as fz
from _fuzz import cases, certify, fuzz_settings, make, run

from l1core import (AdaptiveElasticNet, AdaptiveLasso, AdaptiveLogisticRegression,
                    PriorLasso)

VARIANT_CASES = dict(penalty="none", bounds="none", warm="cold", selection="cyclic")


def adaptive_problem(pb, weights):
    """The weighted problem an adaptive fit certifies: factors ``weights`` (finite), the
    features of infinite weight fixed at zero."""
    weights = np.asarray(weights, dtype=np.float64)
    assert weights.shape == (pb.Xd.shape[1],) and np.all(weights > 0)
    out = ~np.isfinite(weights)
    v = np.where(out, 1.0, weights)
    lo, hi = pb.lo.copy(), pb.hi.copy()
    lo[out] = 0.0
    hi[out] = 0.0
    return replace(pb, v=v, lo=lo, hi=hi)


def full_column_rank(pb):
    """Whether the centered design on the rows of positive weight has full column rank,
    judged on unit-norm columns (a float32 column near 1e9 can be constant)."""
    keep = pb.s > 0
    X = pb.Xd[keep]
    if pb.case.fit_intercept:
        X = X - (pb.s[keep] @ X) / pb.s[keep].sum()
    norms = np.linalg.norm(X, axis=0)
    if X.shape[0] < X.shape[1] or not np.all(norms > 0):
        return False
    sv = np.linalg.svd(X / norms, compute_uv=False)
    return bool(sv.min() > 1e-5 * sv.max())


def init_of(pb, kind):
    """The ``init`` argument: a method name, or an array with a third of its entries zero."""
    if kind != "array":
        return kind
    rng = np.random.default_rng(pb.case.seed + 1)
    p = pb.Xd.shape[1]
    b = rng.standard_normal(p) / np.maximum(np.abs(pb.Xd).max(axis=0), 1e-300)
    b[rng.uniform(size=p) < 1 / 3] = 0.0
    return b


options = st.fixed_dictionaries(dict(
    gamma=st.sampled_from((0.5, 1.0, 2.0)),
    init=st.sampled_from(("ridge", "ridge", "ols", "array")),
    weight_eps=st.sampled_from((0.0, 0.0, 1e-3, 1.0)),
    n_reweight=st.sampled_from((0, 0, 1, 2))))


def check_adaptive(pb, model, opts, init, loss="squared"):
    coef = np.atleast_2d(model.coef_)
    assert coef.dtype == np.dtype(pb.case.dtype)
    if isinstance(init, np.ndarray) and opts["n_reweight"] == 0:
        with np.errstate(divide="ignore", over="ignore"):
            expected = 1.0 / (np.abs(init) + opts["weight_eps"]) ** opts["gamma"]
        expected[~np.isfinite(expected)] = np.inf
        np.testing.assert_allclose(model.weights_, expected, rtol=1e-12)
    weighted = adaptive_problem(pb, model.weights_)
    assert np.all(coef[:, ~np.isfinite(model.weights_)] == 0)
    certify(weighted, coef[0], np.atleast_1d(model.intercept_)[0],
            float(np.ravel(model.dual_gap_)[0]), loss=loss)


@fuzz_settings(30)
@given(cases(**VARIANT_CASES), options)
def test_adaptive_lasso_and_enet_certified(case, opts):
    pb = make(case)
    if opts["init"] == "ols" and case.p + 1 >= case.n:
        opts = dict(opts, init="ridge")          # least squares is refused when p >= n
    init = init_of(pb, opts["init"])
    kw = dict(opts, init=init, fit_intercept=case.fit_intercept, tol=case.tol, max_iter=2000)
    model = (AdaptiveLasso(alpha=pb.alpha, **kw) if case.l1_ratio == 1.0 else
             AdaptiveElasticNet(alpha=pb.alpha, l1_ratio=case.l1_ratio, **kw))
    if opts["init"] == "ols" and not full_column_rank(pb):
        with pytest.raises(ValueError, match="rank deficient|fewer features than samples"):
            model.fit(pb.X, pb.y, sample_weight=pb.sample_weight)
        return
    saved = fz.snapshot(*fz.user_arrays(pb))
    model, _ = run(model.fit, pb.X, pb.y, sample_weight=pb.sample_weight)
    fz.assert_unmodified(saved, *fz.user_arrays(pb))
    check_adaptive(pb, model, opts, init)


@fuzz_settings(15)
@given(cases("logistic", n_classes=2, **VARIANT_CASES), options)
def test_adaptive_logistic_certified(case, opts):
    pb = make(case)
    if opts["init"] == "ols":
        opts = dict(opts, init="array")          # no least squares for the logistic loss
    init = init_of(pb, opts["init"])
    model = AdaptiveLogisticRegression(alpha=pb.alpha, l1_ratio=case.l1_ratio, init=init,
                                       gamma=opts["gamma"], weight_eps=opts["weight_eps"],
                                       n_reweight=opts["n_reweight"],
                                       fit_intercept=case.fit_intercept, tol=case.tol,
                                       max_iter=2000)
    saved = fz.snapshot(*fz.user_arrays(pb))
    model, _ = run(model.fit, pb.X, pb.y, sample_weight=pb.sample_weight)
    fz.assert_unmodified(saved, *fz.user_arrays(pb))
    check_adaptive(pb, model, opts, init, loss="logistic")


@fuzz_settings(25)
@given(cases(**dict(VARIANT_CASES, penalty=("none", "positive", "zeros"), l1_ratio=1.0)),
       st.sampled_from((0.0, 0.5, 2.0)), st.sampled_from(("features", "given")))
def test_prior_lasso_certified(case, eta, prior):
    pb = make(case)
    rng = np.random.default_rng(case.seed + 2)
    n, p = pb.Xd.shape
    model = PriorLasso(alpha=pb.alpha, eta=eta, fit_intercept=case.fit_intercept, tol=case.tol,
                       max_iter=2000, penalty_factor=pb.options["penalty_factor"])
    given_prior = None
    if prior == "features":
        k = max(1, min(p // 3, n // 2 - 1))
        model.set_params(prior_features=np.sort(rng.choice(p, size=k, replace=False)))
    else:
        given_prior = pb.y + np.std(pb.y) * rng.standard_normal(n)
    saved = fz.snapshot(*fz.user_arrays(pb), given_prior)
    model, _ = run(model.fit, pb.X, pb.y, sample_weight=pb.sample_weight, y_prior=given_prior)
    fz.assert_unmodified(saved, *fz.user_arrays(pb), given_prior)
    assert model.coef_.dtype == np.dtype(case.dtype)
    if given_prior is not None:
        np.testing.assert_array_equal(model.prior_, given_prior)
    target = (pb.y + eta * model.prior_) / (1.0 + eta)
    certify(pb, model.coef_, model.intercept_, model.dual_gap_, target=target)
