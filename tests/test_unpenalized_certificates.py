"""Squared-loss certificates with unpenalized columns (penalty factor 0): the duality gap is
never negative and bounds the suboptimality, whatever the columns' scales and means.

The defect (found by the fuzz suite, branch ``fuzz``): the dual point was projected off the
unpenalized columns with a pseudo-inverse of their Gram Z^T diag(sw) Z, whose relative
cut-off dropped the directions of columns scaled 1e-8 (next to columns scaled 1e8) or made
inexact by large means; theta was not orthogonal to them, their infinite conjugate was
taken as zero and the gap came out negative (-0.22, -0.012), stopping the solve far from the
optimum. Property checked (tests/_fuzz.py on the fuzz branch):

    dual_gap >= -rounding   and   P(coef) - P_ref <= dual_gap + rounding,

P_ref from tests/_apg.py (FISTA in well-conditioned coordinates, started at the solution).
"""

import warnings

import numpy as np
import pytest

import _apg
import _reference as ref
from conftest import random_penalty_factor, random_sample_weight, to_storage

import l1core._enet_solver as enet_solver
from l1core import ConvergenceWarning, ElasticNet, Lasso, enet_path, enet_solve

EPS32 = float(np.finfo(np.float32).eps)


def make_case(seed, n, p, *, scale, weights, fit_intercept, dtype="float64", l1_ratio=1.0,
              alpha_frac=0.1):
    """A random problem as the fuzz suite draws it (tests/_fuzz.py: _design, _target, make),
    with unpenalized columns: (Xd exact float64, y, s, penalty factors, alpha)."""
    rng = np.random.default_rng(seed)
    X = rng.standard_normal((n, p)) + rng.uniform(-1, 1, size=p)
    X *= rng.uniform(size=(n, p)) < 0.9
    scales = np.ones(p)
    if scale == "columns":
        scales = 10.0 ** rng.uniform(-8, 8, size=p)
        X *= scales
    elif scale == "mean":
        shifted = rng.uniform(size=p) < 0.5
        X[:, shifted] += (10.0 ** rng.uniform(2, 9, size=p) * rng.choice([-1, 1], size=p))[
            shifted]
    Xd = X.astype(dtype).astype(np.float64)
    w = np.zeros(p)
    idx = rng.choice(p, size=min(p, 4), replace=False)
    w[idx] = rng.uniform(1, 3, size=idx.size) * rng.choice([-1, 1], size=idx.size) / scales[idx]
    y = (Xd - Xd.mean(axis=0)) @ w + 0.5 * rng.standard_normal(n) + 2.0
    y = y.astype(dtype).astype(np.float64)
    s = random_sample_weight(rng, n, weights)
    if s is not None:
        s = s.astype(dtype).astype(np.float64)
    pf = random_penalty_factor(rng, p, "zeros")
    sw = np.ones(n) / n if s is None else s / s.sum()
    Xc = Xd - sw @ Xd if fit_intercept else Xd
    pen = pf > 0
    corr = np.abs(Xc.T @ (sw * (y - (sw @ y if fit_intercept else 0.0))))
    amax = float(np.max(corr[pen] / (pf[pen] * l1_ratio))) if np.any(corr[pen] > 0) else 1.0
    return Xd, y, s, pf, alpha_frac * amax


def rounding(Xd, y, s, w, b, a, c, fit_intercept, float32):
    """The rounding that separates P(coef) recomputed here from the kernel's gap (the fuzz
    suite's bound): the float32 cast of coef, 1e-13 of sum_j |x_ij w_j| + |b| in X w + b
    (where large means cancel) through the slope |r_i|, plus 1e-12 of the null objective."""
    rel = (EPS32 if float32 else 0.0) + 1e-13
    sw = s / s.sum()
    delta = rel * (np.abs(Xd) @ np.abs(w) + abs(b))
    r = np.abs(y - Xd @ w - b)
    null = 0.5 * float(sw @ (y - (sw @ y if fit_intercept else 0.0)) ** 2)
    loss = float(sw @ (r * delta + 0.5 * delta**2))
    return loss + rel * float(np.sum(a * np.abs(w) + c * w**2)) + 1e-12 * null


def certify(Xd, y, s, pf, alpha, l1_ratio, fit_intercept, coef, intercept, gap, float32):
    """Assert gap >= -rounding and P(coef) - P_ref <= gap + rounding; returns the excess."""
    n, p = Xd.shape
    s = np.ones(n) if s is None else s
    w = np.asarray(coef, dtype=np.float64)
    b = float(intercept)
    assert np.all(np.isfinite(w)) and np.isfinite(b) and not np.isnan(gap)
    a, c = alpha * l1_ratio * pf, alpha * (1.0 - l1_ratio) * pf
    pb = ref.Problem(X=Xd, y=y, s=s, alpha=alpha, l1_ratio=l1_ratio, v=pf,
                     lower=np.full(p, -np.inf), upper=np.full(p, np.inf),
                     fit_intercept=fit_intercept)
    best = _apg.solve("squared", Xd, y, sample_weight=s, a=a, c=c,
                      fit_intercept=fit_intercept, W0=w, b0=np.array([b]))
    slack = rounding(Xd, y, s, w, b, a, c, fit_intercept, float32)
    excess = ref.primal(pb, w, b) - best.objective
    assert gap >= -slack, f"negative duality gap {gap:.3e} (rounding {slack:.1e})"
    assert excess <= gap + slack, (
        f"the certificate lies: P(coef) - P_ref = {excess:.3e} > dual_gap {gap:.3e} "
        f"+ rounding {slack:.1e}")
    return excess


def fit_quiet(fn, *args, **kw):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        return fn(*args, **kw)


# The fuzz suite's two draws (Case(seed=5160, n=8, p=30, l1_ratio=0.9, weights='int',
# scale='columns') and Case(seed=5788, n=15, p=15, scale='mean', fit_intercept=False)).
FUZZ_CASES = {
    "columns": dict(seed=5160, n=8, p=30, scale="columns", weights="int", fit_intercept=True,
                    l1_ratio=0.9),
    "mean": dict(seed=5788, n=15, p=15, scale="mean", weights="int", fit_intercept=False,
                 l1_ratio=1.0),
}


@pytest.mark.parametrize("name", sorted(FUZZ_CASES))
@pytest.mark.parametrize("storage", ["dense_f", "csc", "csr"])
@pytest.mark.parametrize("dtype", ["float64", "float32"])
@pytest.mark.parametrize("alpha_frac", [0.5, 0.1, 0.02])
def test_fuzz_cases_certified(name, storage, dtype, alpha_frac):
    case = dict(FUZZ_CASES[name])
    l1_ratio, fit_intercept = case.pop("l1_ratio"), case["fit_intercept"]
    Xd, y, s, pf, alpha = make_case(**case, dtype=dtype, l1_ratio=l1_ratio,
                                    alpha_frac=alpha_frac)
    X = to_storage(Xd, storage, np.dtype(dtype))
    est = (Lasso(alpha=alpha) if l1_ratio == 1.0 else ElasticNet(alpha=alpha,
                                                                 l1_ratio=l1_ratio))
    est.set_params(penalty_factor=pf, fit_intercept=fit_intercept, tol=1e-4, max_iter=2000)
    fit_quiet(est.fit, X, y, sample_weight=s)
    certify(Xd, y, s, pf, alpha, l1_ratio, fit_intercept, est.coef_, est.intercept_,
            est.dual_gap_, dtype == "float32")


@pytest.mark.parametrize("name", sorted(FUZZ_CASES))
def test_fuzz_cases_path_certified(name):
    case = dict(FUZZ_CASES[name])
    l1_ratio, fit_intercept = case.pop("l1_ratio"), case["fit_intercept"]
    Xd, y, s, pf, _ = make_case(**case, l1_ratio=l1_ratio)
    alphas, coefs, gaps, intercepts = fit_quiet(
        enet_path, Xd, y, l1_ratio=l1_ratio, n_alphas=4, eps=1e-2, sample_weight=s,
        penalty_factor=pf, fit_intercept=fit_intercept, tol=1e-8, max_iter=2000,
        return_intercept=True)
    for k, alpha in enumerate(alphas):
        certify(Xd, y, s, pf, alpha, l1_ratio, fit_intercept, coefs[:, k], intercepts[k],
                gaps[k], False)


def random_setting(seed):
    """The options of random problem ``seed``: every scale, weights with zeros, intercept
    on and off, each storage and dtype, the Gram solver on some dense draws."""
    rng = np.random.default_rng(1000 + seed)
    storage = ("dense_f", "csc", "csr")[seed % 3]
    return dict(
        n=int(rng.choice([8, 15, 30])), p=int(rng.choice([4, 10, 30])),
        scale=("columns", "mean", "none")[seed % 3 if seed % 5 else 0],
        weights=("random", "int", "none")[(seed // 3) % 3],
        fit_intercept=bool(seed % 2), dtype=("float64", "float32")[(seed // 2) % 2],
        l1_ratio=float(rng.choice([1.0, 0.9, 0.5])),
        alpha_frac=float(rng.choice([0.5, 0.1, 0.02])), storage=storage,
        precompute=storage == "dense_f" and seed % 4 == 0, tol=float(rng.choice([1e-4, 1e-8])))


@pytest.mark.parametrize("seed", range(100))
def test_random_unpenalized_certified(seed):
    opt = random_setting(seed)
    storage, precompute, tol = opt.pop("storage"), opt.pop("precompute"), opt.pop("tol")
    Xd, y, s, pf, alpha = make_case(seed, **opt)
    X = to_storage(Xd, storage, np.dtype(opt["dtype"]))
    res = fit_quiet(enet_solve, X, y, alpha=alpha, l1_ratio=opt["l1_ratio"], sample_weight=s,
                    penalty_factor=pf, fit_intercept=opt["fit_intercept"], tol=tol,
                    max_iter=5000, precompute=precompute)
    certify(Xd, y, s, pf, alpha, opt["l1_ratio"], opt["fit_intercept"], res.coef,
            res.intercept, res.dual_gap, opt["dtype"] == "float32")


@pytest.mark.parametrize("precompute, max_iter", [(False, 50), (True, 2)])
def test_uncertifiable_projection_reports_inf(monkeypatch, precompute, max_iter):
    """A dual point that is not orthogonal to the unpenalized columns is no certificate: the
    gap is inf (never negative), the solve does not stop on it, and the ConvergenceWarning
    says why. The projection is broken on purpose: off a random direction instead of the
    unpenalized columns (CD on X), or none at all (Gram, which projects its gradient: that
    vanishes on the unpenalized columns only at the optimum, hence few epochs)."""
    real_project = enet_solver._project

    def broken_project(X, free, weights, fit_intercept):
        Z, Ginv, kept = real_project(X, free, weights, fit_intercept)
        Z = np.asfortranarray(np.random.default_rng(0).standard_normal(Z.shape))
        return Z, np.asfortranarray(np.linalg.inv(Z.T @ (weights[:, None] * Z))), kept

    monkeypatch.setattr(enet_solver, "_project", broken_project)
    monkeypatch.setattr(enet_solver, "_scaled_pinv", lambda G: np.zeros_like(G, order="F"))
    Xd, y, s, pf, alpha = make_case(3, 30, 10, scale="none", weights="none",
                                    fit_intercept=True)
    with pytest.warns(ConvergenceWarning, match="no certificate"):
        res = enet_solve(Xd, y, alpha=alpha, penalty_factor=pf, fit_intercept=True,
                         max_iter=max_iter, precompute=precompute)
    assert res.dual_gap == np.inf and not res.converged
    assert res.n_iter == max_iter
