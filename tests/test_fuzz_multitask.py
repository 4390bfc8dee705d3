"""Fuzz suite, several responses (issues 9 and 12): MultiTaskLasso / MultiTaskElasticNet, the
multi-task solver from a start, multitask_path, and Lasso / ElasticNet with a 2-D y, on
random problems over every storage, dtype, index dtype, weights with zeros, penalty factors
with zeros, intercept, warm starts, l1_ratio, the number of tasks and extreme scales.

The multi-task objective (l1core.multitask._problem)

    P(W, b) = 1/(2S) sum_i s_i ||y_i - W x_i - b||^2 + alpha sum_j v_j (l1_ratio ||W_:j||_2
              + (1 - l1_ratio)/2 ||W_:j||^2)

is T times a group elastic net on the block-diagonal design diag(X, ..., X) with response
vec(Y), the sample weights repeated T times (normalized over n T rows), one group per feature
holding its T coefficients, and one unpenalized indicator column per task for the intercepts.
The independent reference is the group FISTA of tests/_apg.py on that stacked problem,
started at the solution under test: P(coef) - P_ref <= dual_gap + rounding.
"""

from dataclasses import replace

import numpy as np
from hypothesis import given
from hypothesis import strategies as st

import _apg
import _fuzz as fz
from _fuzz import cases, certify, fuzz_settings, make, run

from l1core import ElasticNet, Lasso
from l1core.multitask import MultiTaskElasticNet, MultiTaskLasso, multitask_path
from l1core.multitask._problem import MultiTaskProblem

MT_CASES = dict(bounds="none", selection="cyclic", scale=("none", "none", "columns", "mean"),
                l1_ratio=(1.0, 1.0, 0.9, 0.5, 0.1))
TASKS = st.sampled_from((1, 2, 3, 5))


def targets(pb, T):
    """(n, T) responses sharing the drawn problem's support: task t is the problem's y plus
    its own mixture of the same columns and noise (cast to the case's dtype exactly)."""
    rng = np.random.default_rng(pb.case.seed + 7919 * T)
    n, p = pb.Xd.shape
    Xc = pb.Xd - pb.Xd.mean(axis=0)
    scale = np.maximum(np.abs(Xc).max(axis=0), 1e-300)
    support = rng.uniform(size=p) < 0.4
    B = rng.standard_normal((p, T)) * support[:, None] / scale[:, None]
    Y = pb.y[:, None] + Xc @ B * np.std(pb.y) + 0.3 * np.std(pb.y) * rng.standard_normal((n, T))
    Y[:, 0] = pb.y
    return Y.astype(pb.case.dtype).astype(np.float64)


def objective(pb, Y, W, b, alpha):
    """P(W, b) in float64 on the user's data."""
    sw = pb.s / pb.s.sum()
    R = Y - pb.Xd @ W.T - b
    return 0.5 * float(sw @ np.sum(R * R, axis=1)) + penalty(pb, W, alpha)


def penalty(pb, W, alpha):
    rows = np.linalg.norm(W, axis=0)
    l1 = pb.case.l1_ratio
    return alpha * float(pb.v @ (l1 * rows + 0.5 * (1.0 - l1) * rows**2))


def reference_objective(pb, Y, W, b, alpha):
    """min P by the group FISTA of tests/_apg.py on the stacked problem, started at (W, b)."""
    n, p = pb.Xd.shape
    T = Y.shape[1]
    Xs = np.kron(np.eye(T), pb.Xd)                       # (nT, Tp): coefficient t p + j
    cols = [Xs]
    if pb.case.fit_intercept:
        cols.append(np.kron(np.eye(T), np.ones((n, 1))))  # one indicator column per task
    A = np.hstack(cols)
    k = A.shape[1]
    groups = [np.arange(T) * p + j for j in range(p)]
    l1 = pb.case.l1_ratio
    # P = T (F_stacked + penalty / T): the stacked loss normalizes by n T rows
    c = np.zeros(k)
    c[:T * p] = np.tile(alpha * (1.0 - l1) * pb.v, T) / T
    start = W.ravel()
    if pb.case.fit_intercept:
        start = np.concatenate([start, np.asarray(b, dtype=np.float64)])
    ref = _apg.solve("squared", A, Y.T.ravel(), sample_weight=np.tile(pb.s, T), a=0.0, c=c,
                     fit_intercept=False, W0=start, groups=groups,
                     group_c=alpha * l1 * pb.v / T)
    return T * ref.objective


def slack(pb, Y, W, b, alpha):
    """The rounding between P(coef) here and the kernel's gap (tests/_fuzz.py's bound, per
    task): the float32 cast of the coefficients and the float64 linear predictor through the
    loss's slope, plus 1e-12 of the null objective."""
    rel = (fz.EPS32 if pb.case.dtype == "float32" else 0.0) + 1e-13
    sw = pb.s / pb.s.sum()
    delta = rel * (np.abs(pb.Xd) @ np.abs(W).T + np.abs(b))
    R = np.abs(Y - pb.Xd @ W.T - b)
    Yc = Y - (sw @ Y if pb.case.fit_intercept else 0.0)
    null = 0.5 * float(sw @ np.sum(Yc * Yc, axis=1))
    return (float(sw @ np.sum(R * delta + 0.5 * delta**2, axis=1)) + rel * penalty(pb, W, alpha)
            + 1e-12 * null)


def certify_multitask(pb, Y, W, b, gap, alpha):
    """Assert the certificate of one multi-task solution; returns P(coef) - P_ref."""
    W = np.asarray(W, dtype=np.float64)
    b = np.atleast_1d(np.asarray(b, dtype=np.float64))
    assert W.shape == (Y.shape[1], pb.Xd.shape[1])
    assert np.all(np.isfinite(W)) and np.all(np.isfinite(b)) and not np.isnan(gap), gap
    if not pb.case.fit_intercept:
        assert np.all(b == 0.0)
    bound = slack(pb, Y, W, b, alpha)
    assert gap >= -bound, f"negative duality gap {gap:.3e} (rounding {bound:.1e})"
    excess = objective(pb, Y, W, b, alpha) - reference_objective(pb, Y, W, b, alpha)
    assert excess <= gap + bound, (
        f"the certificate lies: P(coef) - P_ref = {excess:.3e} > dual_gap {gap:.3e} + "
        f"rounding {bound:.1e}")
    return excess


def multitask_alpha(pb, Y):
    """The drawn fraction of the problem's exact alpha_max (1 if alpha_max is 0)."""
    amax = MultiTaskProblem(pb.Xd, Y, l1_ratio=pb.case.l1_ratio, sample_weight=pb.s,
                            penalty_factor=pb.options["penalty_factor"],
                            fit_intercept=pb.case.fit_intercept).alpha_max
    amax = amax() if callable(amax) else amax
    return pb.case.alpha_frac * (amax if amax > 0 else 1.0)


def model_of(pb, alpha, **extra):
    kw = dict(fit_intercept=pb.case.fit_intercept, tol=pb.case.tol, max_iter=3000,
              penalty_factor=pb.options["penalty_factor"], **extra)
    if pb.case.l1_ratio == 1.0:
        return MultiTaskLasso(alpha=alpha, **kw)
    return MultiTaskElasticNet(alpha=alpha, l1_ratio=pb.case.l1_ratio, **kw)


@fuzz_settings(40)
@given(cases(**MT_CASES), TASKS)
def test_multitask_fit_certified(case, T):
    pb = make(case)
    Y = targets(pb, T)
    Yu = Y.astype(case.dtype)
    alpha = multitask_alpha(pb, Y)
    saved = fz.snapshot(pb.X, Yu, pb.sample_weight, pb.options["penalty_factor"])
    if case.warm == "coef_init":
        problem = MultiTaskProblem(pb.X, Yu, l1_ratio=case.l1_ratio,
                                   sample_weight=pb.sample_weight,
                                   penalty_factor=pb.options["penalty_factor"],
                                   fit_intercept=case.fit_intercept)
        rng = np.random.default_rng(case.seed)
        start = rng.standard_normal((T, pb.Xd.shape[1])) / np.maximum(
            np.abs(pb.Xd).max(axis=0), 1e-300)
        sol, _ = run(problem.solve, alpha, W=start, tol=case.tol, max_iter=3000)
        W, b, gap = sol.coef, sol.intercept, sol.dual_gap
    else:
        model = model_of(pb, alpha, warm_start=case.warm == "warm_start")
        if case.warm == "warm_start":
            run(model.set_params(alpha=3.0 * alpha).fit, pb.X, Yu,
                sample_weight=pb.sample_weight)
            model.set_params(alpha=alpha)
        model, _ = run(model.fit, pb.X, Yu, sample_weight=pb.sample_weight)
        assert model.coef_.dtype == np.dtype(case.dtype)
        W, b, gap = model.coef_, model.intercept_, model.dual_gap_
    fz.assert_unmodified(saved, pb.X, Yu, pb.sample_weight, pb.options["penalty_factor"])
    certify_multitask(pb, Y, W, b, gap, alpha)


@fuzz_settings(10)
@given(cases(**MT_CASES, tol=(1e-8, 1e-12)), TASKS)
def test_multitask_path_certified(case, T):
    pb = make(case)
    Y = targets(pb, T)
    path, _ = run(multitask_path, pb.X, Y.astype(case.dtype), l1_ratio=case.l1_ratio,
                  n_alphas=4, eps=0.05, sample_weight=pb.sample_weight,
                  penalty_factor=pb.options["penalty_factor"],
                  fit_intercept=case.fit_intercept, tol=case.tol, max_iter=3000,
                  return_intercept=True)
    for k, alpha in enumerate(path.alphas):
        certify_multitask(pb, Y, path.coefs[:, :, k], path.intercepts[:, k],
                          path.dual_gaps[k], alpha)


@fuzz_settings(20)
@given(cases(bounds=("none", "positive", "box"), scale=("none", "columns", "mean", "y")),
       st.sampled_from((2, 3)))
def test_two_dimensional_y_certified_per_target(case, T):
    """Lasso / ElasticNet with a 2-D y: each target's fit is its own problem, and its entry of
    dual_gap_ certifies it (tests/_fuzz.py's property with that target)."""
    pb = make(case)
    Y = targets(pb, T)
    kw = dict(pb.options, tol=case.tol, max_iter=2000)
    model = (Lasso(alpha=pb.alpha, **kw) if case.l1_ratio == 1.0 else
             ElasticNet(alpha=pb.alpha, l1_ratio=case.l1_ratio, **kw))
    model, _ = run(model.fit, pb.X, Y.astype(case.dtype), sample_weight=pb.sample_weight)
    assert model.coef_.shape == (T, pb.Xd.shape[1]) and np.shape(model.dual_gap_) == (T,)
    for t in range(T):
        certify(replace(pb, y=Y[:, t]), model.coef_[t], model.intercept_[t],
                model.dual_gap_[t], target=Y[:, t])
