"""The fuzz suite's machinery (tests/test_fuzz_*.py): hypothesis settings, random problems
over every input form and option, and the properties every fit must have.

The property (design.md section 2): the reported duality gap is a certificate,

    0 - rounding  <=  P(coef) - P*  <=  dual_gap + rounding,   and   dual_gap >= -rounding,

with P* from an independent reference (tests/_apg.py: FISTA in NumPy, started at the
solution under test, so that any descent it finds beyond the gap disproves the certificate).
P(coef) is recomputed in float64 from the user's data (tests/_reference.py and
tests/_logistic_reference.py); "rounding" is bounded from the sizes of the terms (see
:func:`rounding`), not tuned. Besides: coefficients within their bounds, the user's arrays
unmodified.

Example counts: each property declares its CI count; ``L1CORE_FUZZ=release`` multiplies them
by :data:`RELEASE_FACTOR` (an integer value multiplies them by itself). Runs are
deterministic (``derandomize=True``, no example database) and report the first failing draw
as drawn (no shrinking: each step would rerun the reference solver).
"""

import os
import warnings
from dataclasses import dataclass, replace

import numpy as np
import scipy.sparse as sp
from hypothesis import HealthCheck, Phase, settings
from hypothesis import strategies as st

import _apg
import _logistic_reference as lref
import _reference as ref
from l1core import ConvergenceWarning

from conftest import random_bounds, random_penalty_factor, random_sample_weight, to_storage

RELEASE_FACTOR = 40
STORAGES = ("dense_f", "dense_c", "csc", "csr", "csc_array", "csr_array")
EPS32 = float(np.finfo(np.float32).eps)


def example_factor():
    """How many times the CI example counts to run (from ``L1CORE_FUZZ``)."""
    value = os.environ.get("L1CORE_FUZZ", "ci").strip().lower()
    if value in ("", "ci"):
        return 1
    if value == "release":
        return RELEASE_FACTOR
    return max(int(value), 1)


def fuzz_settings(ci_examples):
    """hypothesis settings for a property drawn ``ci_examples`` times in CI."""
    return settings(max_examples=ci_examples * example_factor(), derandomize=True,
                    deadline=None, database=None, print_blob=False,
                    phases=(Phase.explicit, Phase.generate), report_multiple_bugs=False,
                    suppress_health_check=list(HealthCheck))


# --------------------------------------------------------------------------- problems


@dataclass(frozen=True)
class Case:
    """Every choice that defines one random problem (its data come from ``seed``)."""

    loss: str                 # "squared", "logistic" (binary or ovr) or "multinomial"
    seed: int
    n: int
    p: int
    storage: str              # one of STORAGES
    dtype: str                # "float64" or "float32"
    index_dtype: str          # "int32" or "int64" (sparse storages)
    weights: str              # "none", "random" (~15% zeros) or "int" (some zeros)
    penalty: str              # "none", "positive" or "zeros" (unpenalized columns)
    bounds: str               # "none", "positive" or "box" (some boxes exclude 0)
    fit_intercept: bool
    l1_ratio: float
    alpha_frac: float         # alpha / alpha_max
    scale: str                # "none", "columns" (1e-8..1e8), "y" (1e+-6), "mean" (large)
    selection: str            # "cyclic" or "random" (squared loss)
    warm: str                 # "cold", "warm_start" (refit) or "coef_init"
    tol: float
    n_classes: int            # 1 (squared), 2, 3 or 4
    ovr: bool                 # one-vs-rest for n_classes > 2


def cases(loss="squared", **fixed):
    """A strategy of :class:`Case` for ``loss``; keyword arguments fix fields (a value, or a
    tuple of values to choose from)."""
    choices = dict(
        seed=st.integers(0, 2**16), n=(8, 15, 25, 40), p=(1, 4, 8, 15, 30),
        storage=STORAGES, dtype=("float64", "float32"), index_dtype=("int32", "int64"),
        weights=("none", "random", "int"), penalty=("none", "positive", "zeros"),
        bounds=("none", "positive", "box"), fit_intercept=(True, False),
        l1_ratio=(1.0, 1.0, 0.9, 0.5, 0.1), alpha_frac=(2.0, 0.5, 0.1, 0.02),
        scale=("none", "none", "columns", "mean") + (("y",) if loss == "squared" else ()),
        selection=("cyclic", "random"), warm=("cold", "warm_start", "coef_init"),
        tol=(1e-4, 1e-8, 1e-12),
        n_classes=(1,) if loss == "squared" else ((2,) if loss == "logistic" else (3, 4)),
        ovr=(False,))
    if loss == "logistic":
        choices["n_classes"] = (2, 2, 3)
        choices["ovr"] = (True,)
    choices.update(fixed)
    fields = {k: (v if isinstance(v, st.SearchStrategy)
                  else st.sampled_from(v if isinstance(v, tuple) else (v,)))
              for k, v in choices.items()}
    return st.builds(Case, loss=st.just(loss), **fields)


@dataclass
class Problem:
    """A drawn problem: ``X`` as the user passes it, ``Xd`` its exact values (float64 dense),
    the target (``y``: floats or class labels), the options as arguments (``options``: the
    estimators' keywords) and the contract's per-feature terms: penalty factors ``v`` (so
    a = alpha l1_ratio v, c = alpha (1 - l1_ratio) v) and bounds ``lo``, ``hi``."""

    case: Case
    X: object
    Xd: np.ndarray
    y: np.ndarray
    sample_weight: object
    options: dict
    alpha: float
    v: np.ndarray
    lo: np.ndarray
    hi: np.ndarray

    @property
    def a(self):
        return self.alpha * self.case.l1_ratio * self.v

    @property
    def c(self):
        return self.alpha * (1.0 - self.case.l1_ratio) * self.v

    @property
    def s(self):
        n = self.Xd.shape[0]
        return np.ones(n) if self.sample_weight is None else np.asarray(self.sample_weight,
                                                                       dtype=np.float64)


def _design(case, rng):
    """(Xd, column scales) with X's values exactly representable in the case's dtype."""
    n, p = case.n, case.p
    X = rng.standard_normal((n, p)) + rng.uniform(-1, 1, size=p)
    sparse = case.storage.startswith("cs")
    X *= rng.uniform(size=(n, p)) < (0.5 if sparse else 0.9)
    scales = np.ones(p)
    if case.scale == "columns":
        scales = 10.0 ** rng.uniform(-8, 8, size=p)
        X *= scales
    elif case.scale == "mean":
        shifted = rng.uniform(size=p) < 0.5
        X[:, shifted] += (10.0 ** rng.uniform(2, 9, size=p) * rng.choice([-1, 1], size=p))[
            shifted]
    return X.astype(case.dtype).astype(np.float64), scales


def _target(case, rng, Xd, scales):
    n, p = Xd.shape
    w = np.zeros(p)
    k = min(p, 4)
    idx = rng.choice(p, size=k, replace=False)
    w[idx] = rng.uniform(1, 3, size=k) * rng.choice([-1, 1], size=k) / scales[idx]
    Xc = Xd - Xd.mean(axis=0)    # large means do not flood the target
    z = Xc @ w
    if case.loss == "squared":
        y = z + 0.5 * rng.standard_normal(n) + 2.0
        if case.scale == "y":
            y *= 10.0 ** rng.choice([-6, 6])
        return y.astype(case.dtype).astype(np.float64)
    K = case.n_classes
    if K == 2:
        labels = (z + rng.logistic(size=n) > 0).astype(np.intp)
    else:
        W = rng.standard_normal((K, p)) / scales * (rng.uniform(size=(K, p)) < 0.5)
        labels = np.argmax(Xc @ W.T + rng.gumbel(size=(n, K)), axis=1)
    labels[rng.choice(n, size=K, replace=False)] = np.arange(K)   # every class is present
    return labels


def _alpha_max(case, Xd, y, s, v, l1_ratio):
    """max_j |x~_j . grad_z F(null model)| / (v_j l1_ratio) over penalized j: the alpha above
    which the penalized coefficients vanish (bounds aside; the draw's scale only)."""
    sw = s / s.sum()
    Xc = Xd - sw @ Xd if case.fit_intercept else Xd
    if case.loss == "squared":
        G = (sw * (y - (sw @ y if case.fit_intercept else 0.0)))[:, None]
    else:
        Y = np.eye(max(case.n_classes, 2))[y]
        G = sw[:, None] * (Y - (sw @ Y if case.fit_intercept else 0.5))
    corr = np.abs(Xc.T @ G).max(axis=1)
    pen = v > 0
    if not pen.any() or not np.any(corr[pen] > 0):
        return 1.0
    return float(np.max(corr[pen] / (v[pen] * max(l1_ratio, 1e-3))))


def make(case):
    """The :class:`Problem` of a :class:`Case`."""
    rng = np.random.default_rng(case.seed)
    Xd, scales = _design(case, rng)
    y = _target(case, rng, Xd, scales)
    n, p = Xd.shape
    s = random_sample_weight(rng, n, case.weights)
    if s is not None:
        s = s.astype(case.dtype).astype(np.float64)
    pf = random_penalty_factor(rng, p, "zeros" if case.penalty == "zeros" else (
        "positive" if case.penalty == "positive" else "none"))
    lower, upper, positive = random_bounds(rng, p, case.bounds)
    if lower is not None:       # bounds in the units of the scaled coefficients
        unit = 1.0 / scales
        if case.loss == "squared" and case.scale == "y":
            unit = unit * np.abs(y).mean()
        lower, upper = lower * unit, upper * unit
    v = np.ones(p) if pf is None else pf
    amax = _alpha_max(case, Xd, y, np.ones(n) if s is None else s, v, case.l1_ratio)
    alpha = case.alpha_frac * amax
    lo = np.full(p, -np.inf) if lower is None else lower.copy()
    hi = np.full(p, np.inf) if upper is None else upper.copy()
    if positive:
        lo = np.maximum(lo, 0.0)
    options = dict(penalty_factor=pf, lower_bounds=lower, upper_bounds=upper,
                   fit_intercept=case.fit_intercept)
    if case.loss == "squared":
        options.update(positive=positive, selection=case.selection,
                       random_state=case.seed % 1000 if case.selection == "random" else None)
    elif positive:
        options["lower_bounds"] = lo.copy()
    X = to_storage(Xd, case.storage, np.dtype(case.dtype), np.dtype(case.index_dtype))
    return Problem(case=case, X=X, Xd=Xd, y=y, sample_weight=s, options=options, alpha=alpha,
                   v=v, lo=lo, hi=hi)


def with_storage(pb, storage, index_dtype=None):
    """The same problem with X in another storage."""
    case = replace(pb.case, storage=storage, index_dtype=index_dtype or pb.case.index_dtype)
    X = to_storage(pb.Xd, storage, np.dtype(case.dtype), np.dtype(case.index_dtype))
    return replace(pb, case=case, X=X)


# --------------------------------------------------------------------------- user arrays


def snapshot(*arrays):
    """Copies of the user's arrays (sparse: data, indices, indptr) to compare after a fit."""
    out = []
    for arr in arrays:
        if arr is None:
            out.append(None)
        elif sp.issparse(arr):
            out.append((type(arr), arr.data.copy(), arr.indices.copy(), arr.indptr.copy()))
        else:
            out.append((type(arr), np.array(arr, copy=True), np.asarray(arr).flags.f_contiguous))
    return out


def assert_unmodified(saved, *arrays):
    for before, arr in zip(saved, arrays):
        if before is None:
            assert arr is None
            continue
        assert type(arr) is before[0]
        if sp.issparse(arr):
            for old, new in zip(before[1:], (arr.data, arr.indices, arr.indptr)):
                assert new.dtype == old.dtype and np.array_equal(new, old), "user array modified"
        else:
            new = np.asarray(arr)
            assert new.dtype == before[1].dtype and np.array_equal(new, before[1]), (
                "user array modified")
            assert new.flags.f_contiguous == before[2]


def user_arrays(pb):
    o = pb.options
    return (pb.X, pb.y, pb.sample_weight, o.get("penalty_factor"), o.get("lower_bounds"),
            o.get("upper_bounds"))


# --------------------------------------------------------------------------- certificate


def _codes(y):
    return np.unique(y, return_inverse=True)[1].reshape(-1)


def objective(pb, W, b, loss=None, target=None):
    """P(W, b) in float64 on the user's data (the reference modules' formulas)."""
    loss = loss or pb.case.loss
    target = pb.y if target is None else target
    W = np.asarray(W, dtype=np.float64)
    if loss == "squared":
        prob = ref.Problem(X=pb.Xd, y=target, s=pb.s, alpha=pb.alpha, l1_ratio=pb.case.l1_ratio,
                           v=pb.v, lower=pb.lo, upper=pb.hi, fit_intercept=pb.case.fit_intercept)
        return ref.primal(prob, W.ravel(), float(np.ravel(b)[0]))
    if loss == "logistic":
        return lref.binary_primal(pb.Xd, target, W.ravel(), float(np.ravel(b)[0]), pb.s,
                                  pb.a, pb.c)
    return lref.multinomial_primal(pb.Xd, _codes(target), W, np.asarray(b, float), pb.s,
                                   pb.a, pb.c)


def rounding(pb, W, b, loss=None, target=None):
    """A bound on the rounding that separates P(coef) computed here from the gap the kernel
    certified: the coefficients' cast to float32 (half an ulp, relative 6e-8), the float64
    evaluation of the linear predictor (X w + b: relative 1e-13 of sum_j |x_ij w_j| + |b|,
    which is where large column means cancel), each propagated through the loss's slope
    (squared: |r_i|, logistic <= 1, multinomial <= 2) and curvature, plus 1e-12 of the null
    objective for the sums over samples in the kernel's gap."""
    loss = loss or pb.case.loss
    target = pb.y if target is None else target
    W = np.atleast_2d(np.asarray(W, dtype=np.float64))
    b = np.atleast_1d(np.asarray(b, dtype=np.float64))
    rel = (EPS32 if pb.case.dtype == "float32" else 0.0) + 1e-13
    size = np.abs(pb.Xd) @ np.abs(W).T + np.abs(b)          # (n, K)
    delta = rel * size
    sw = pb.s / pb.s.sum()
    if loss == "squared":
        r = np.abs(target - pb.Xd @ W[0] - b[0])
        null = 0.5 * float(sw @ (target - (sw @ target if pb.case.fit_intercept else 0)) ** 2)
        slope, curv = r[:, None], 1.0
    else:
        K = W.shape[0] if loss == "multinomial" else 2
        null = np.log(K)
        slope, curv = (1.0 if loss == "logistic" else 2.0), 0.5
    loss_part = float(sw @ np.sum(slope * delta + 0.5 * curv * delta**2, axis=1))
    pen = float(np.sum(pb.a * np.abs(W) + pb.c * W**2))
    return loss_part + rel * pen + 1e-12 * null


@dataclass
class Verdict:
    """What :func:`certify` measured (shown on failure)."""

    objective: float          # P(coef)
    reference: float          # P of the reference (<= P(coef) up to rounding)
    gap: float
    slack: float

    @property
    def excess(self):
        return self.objective - self.reference


def certify(pb, coef, intercept, gap, *, loss=None, target=None, alpha=None):
    """Assert the certificate for one solution: finite, within the bounds, gap >= -rounding
    and P(coef) - P_ref <= gap + rounding (a gap of +inf certifies nothing, honestly). ``loss``/``target`` select a one-vs-rest class's
    binary problem, ``alpha`` another alpha than the problem's (a path point, a CV refit)."""
    if alpha is not None:
        pb = replace(pb, alpha=float(alpha))
    loss = loss or pb.case.loss
    target = pb.y if target is None else target
    W = np.atleast_2d(np.asarray(coef))
    b = np.atleast_1d(np.asarray(intercept, dtype=np.float64))
    assert np.all(np.isfinite(W)) and np.all(np.isfinite(b)) and not np.isnan(gap), (
        f"non-finite result: gap {gap}")
    assert np.all(W >= pb.lo) and np.all(W <= pb.hi), (
        f"bounds violated by {max(np.max(pb.lo - W), np.max(W - pb.hi)):.3e}")
    if not pb.case.fit_intercept:
        assert np.all(b == 0.0)
    K = pb.case.n_classes if loss == "multinomial" else None
    codes = _codes(target) if loss == "multinomial" else target
    reference = _apg.solve(loss, pb.Xd, codes, sample_weight=pb.s, a=pb.a, c=pb.c,
                           lower=pb.lo, upper=pb.hi, fit_intercept=pb.case.fit_intercept,
                           n_classes=K, W0=W.astype(np.float64), b0=b)
    verdict = Verdict(objective=objective(pb, W, b, loss, target),
                      reference=reference.objective, gap=float(gap),
                      slack=rounding(pb, W, b, loss, target))
    assert verdict.gap >= -verdict.slack, f"negative duality gap: {verdict}"
    assert verdict.excess <= verdict.gap + verdict.slack, (
        f"the certificate lies: P(coef) - P_ref = {verdict.excess:.3e} > dual_gap "
        f"{verdict.gap:.3e} + rounding {verdict.slack:.1e} ({verdict})")
    return verdict


def assert_same_solution(fits, mu):
    """Certified fits of one mu-strongly convex problem are close: P(w) - P* >= mu/2 ||w - w*||^2,
    so ||w_1 - w_k|| <= sqrt(2 (gap_1 + rounding) / mu) + sqrt(2 (gap_k + rounding) / mu).
    ``fits``: (coef, Verdict) pairs."""
    radius = [np.sqrt(2.0 * max(v.gap + v.slack, 0.0) / mu) for _, v in fits]
    first = np.asarray(fits[0][0], dtype=np.float64)
    for (w, _), r in zip(fits[1:], radius[1:]):
        w = np.asarray(w, dtype=np.float64)
        dist = np.linalg.norm(w - first)
        assert dist <= (radius[0] + r) * (1 + 1e-6) + 1e-12 * np.linalg.norm(w), (
            f"storages disagree: ||w1 - w2|| = {dist:.3e} > {radius[0] + r:.3e}")


def fit_as_drawn(model, pb, alpha):
    """``model`` (alpha unset) fitted on the problem as its case asks: cold, or
    (``warm="warm_start"``) refitted at alpha after a fit at 3 alpha. Returns (model, the
    last fit's ConvergenceWarnings)."""
    if pb.case.warm == "warm_start":
        run(model.set_params(alpha=3.0 * alpha).fit, pb.X, pb.y,
            sample_weight=pb.sample_weight)
    model.set_params(alpha=alpha)
    model, warned = run(model.fit, pb.X, pb.y, sample_weight=pb.sample_weight)
    assert model.coef_.dtype == np.dtype(pb.case.dtype)
    return model, warned


def run(fn, *args, **kw):
    """fn(*args, **kw) and the ConvergenceWarnings it raised; an overflow or invalid-value
    warning (RuntimeWarning) fails the property."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        out = fn(*args, **kw)
    bad = [w for w in caught if issubclass(w.category, RuntimeWarning)]
    assert not bad, f"RuntimeWarning: {bad[0].message}"
    return out, [w for w in caught if issubclass(w.category, ConvergenceWarning)]


def group_feature_weights(blocks, gw, p):
    """(p,) each feature's group weight (0 for the features in no group)."""
    out = np.zeros(p)
    for idx, g in zip(blocks, gw):
        out[idx] = g
    return out


def assert_group_certificate(pb, w, b, gap, value, reference, penalty_value):
    """The certificate of a group-penalized fit: gap >= -rounding and P(coef) - P_ref <= gap
    + rounding, the rounding of tests/_fuzz.py's loss part plus that of the penalty's value
    (relative 1e-13, or float32's eps). Returns P(coef) - P_ref."""
    rel = (EPS32 if pb.case.dtype == "float32" else 0.0) + 1e-13
    slack = rounding(replace(pb, alpha=0.0), w, b) + rel * penalty_value
    assert gap >= -slack, f"negative duality gap {gap:.3e} (rounding {slack:.1e})"
    excess = value - reference
    assert excess <= gap + slack, (
        f"the certificate lies: P(coef) - P_ref = {excess:.3e} > dual_gap {gap:.3e} + "
        f"rounding {slack:.1e}")
    return excess
