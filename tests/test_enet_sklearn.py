"""l1core against scikit-learn's Lasso/ElasticNet run to a tight tolerance.

With unit penalty factors the objective is scikit-learn's (design.md section 2), so the same
alpha must give the same model: coefficients agree, and our objective (recomputed in NumPy) is
never worse than scikit-learn's beyond rounding.
"""

import warnings

import numpy as np
import pytest
import scipy.sparse as sp

sklearn = pytest.importorskip("sklearn")
from sklearn import linear_model as sk  # noqa: E402

import _reference as ref  # noqa: E402
from conftest import solve_quiet, to_storage  # noqa: E402
from l1core import ConvergenceWarning, ElasticNet, Lasso, enet_solve  # noqa: E402
from l1core.datasets import load_diabetes  # noqa: E402

SK_TOL = 1e-15  # both solvers: the coefficients are then determined to ~1e-8


def _sk_fit(cls_kwargs, X, y, sample_weight=None, l1_ratio=1.0):
    cls = sk.Lasso if l1_ratio == 1.0 else sk.ElasticNet
    kwargs = dict(cls_kwargs, tol=SK_TOL, max_iter=1_000_000)
    if l1_ratio != 1.0:
        kwargs["l1_ratio"] = l1_ratio
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return cls(**kwargs).fit(X, y, sample_weight=sample_weight)


def _ours(cls_kwargs, X, y, sample_weight=None, l1_ratio=1.0, tol=SK_TOL):
    est = Lasso(**cls_kwargs) if l1_ratio == 1.0 else ElasticNet(l1_ratio=l1_ratio, **cls_kwargs)
    est.set_params(tol=tol, max_iter=100_000)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        est.fit(X, y, sample_weight=sample_weight)
    return est, caught


def well_conditioned(seed, n=120, p=20, density=None):
    """Standardized-ish design (well conditioned: coefficients are determined to ~1e-7 by a
    gap of 1e-12 * var(y)), sparse truth, noise."""
    rng = np.random.default_rng(seed)
    X = rng.standard_normal((n, p)) + rng.uniform(-1, 1, size=p)
    if density is not None:
        X *= rng.uniform(size=(n, p)) < density
    w = np.zeros(p)
    w[: min(5, p)] = rng.uniform(1, 3, size=min(5, p)) * rng.choice([-1, 1], size=min(5, p))
    y = X @ w + rng.standard_normal(n) + 3.0
    return X, y


def assert_matches_sklearn(pb, ours_coef, ours_icpt, sk_coef, sk_icpt, rtol=1e-6):
    scale = max(np.max(np.abs(sk_coef)), 1e-300)
    np.testing.assert_allclose(ours_coef, sk_coef, rtol=0, atol=rtol * scale + 1e-12)
    assert abs(ours_icpt - sk_icpt) <= rtol * (abs(sk_icpt) + scale) + 1e-12
    p_ours = ref.primal(pb, ours_coef, ours_icpt)
    p_sk = ref.primal(pb, sk_coef, sk_icpt)
    assert p_ours <= p_sk + 1e-10 * abs(p_sk), (p_ours, p_sk)
    # and both sit at the same minimum
    assert abs(p_ours - p_sk) <= 1e-9 * abs(p_sk)


CASES = [
    pytest.param(storage, l1_ratio, weighted, positive,
                 id=f"{storage}-l1r{l1_ratio}-{'sw' if weighted else 'nosw'}"
                    f"{'-pos' if positive else ''}")
    for storage in ("dense", "csc", "csr")
    for l1_ratio in (1.0, 0.5, 0.1)
    for weighted in (False, True)
    for positive in (False, True)
]


@pytest.mark.parametrize("storage,l1_ratio,weighted,positive", CASES)
@pytest.mark.parametrize("seed", [0, 1])
def test_matches_sklearn(storage, l1_ratio, weighted, positive, seed):
    Xd, y = well_conditioned(seed, p=20, density=None if storage == "dense" else 0.6)
    rng = np.random.default_rng(seed + 100)
    s = rng.uniform(0.2, 3.0, size=y.size) if weighted else None
    if weighted:
        s[rng.uniform(size=y.size) < 0.1] = 0.0
    amax = ref.alpha_max(Xd, y, l1_ratio=l1_ratio, sample_weight=s)
    alpha = (0.05, 0.1)[seed] * amax
    X = to_storage(Xd, storage)
    kwargs = dict(alpha=alpha, positive=positive)
    theirs = _sk_fit(kwargs, X, y, s, l1_ratio)
    ours, caught = _ours(kwargs, X, y, s, l1_ratio)
    assert not [w for w in caught if issubclass(w.category, ConvergenceWarning)]
    pb = ref.make_problem(Xd, y, alpha=alpha, l1_ratio=l1_ratio, sample_weight=s,
                          positive=positive)
    assert_matches_sklearn(pb, ours.coef_, ours.intercept_, theirs.coef_, theirs.intercept_)
    assert np.count_nonzero(ours.coef_) >= 1  # a non-trivial solution was compared


def test_reference_reproduces_sklearn_dual_gap():
    """Our NumPy gap at scikit-learn's (loosely converged) Lasso solution equals the gap
    scikit-learn reports: an independent check of tests/_reference.py."""
    Xd, y = well_conditioned(3, p=30)
    alpha = 0.05 * ref.alpha_max(Xd, y)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        theirs = sk.Lasso(alpha=alpha, tol=1e-3, max_iter=3).fit(Xd, y)
    pb = ref.make_problem(Xd, y, alpha=alpha)
    gap = ref.duality_gap(pb, theirs.coef_, theirs.intercept_)
    assert gap > 1e-6  # not converged: a meaningful comparison
    assert gap == pytest.approx(theirs.dual_gap_, rel=1e-8)


@pytest.mark.parametrize("storage", ["dense", "csc", "csr"])
@pytest.mark.parametrize("positive", [False, True])
def test_matches_sklearn_without_intercept(storage, positive):
    Xd, y = well_conditioned(4, p=30, density=None if storage == "dense" else 0.6)
    alpha = 0.05 * ref.alpha_max(Xd, y, fit_intercept=False)
    X = to_storage(Xd, storage)
    kwargs = dict(alpha=alpha, fit_intercept=False, positive=positive)
    theirs = _sk_fit(kwargs, X, y)
    ours, caught = _ours(kwargs, X, y)
    assert not [w for w in caught if issubclass(w.category, ConvergenceWarning)]
    assert ours.intercept_ == 0.0
    pb = ref.make_problem(Xd, y, alpha=alpha, fit_intercept=False, positive=positive)
    assert_matches_sklearn(pb, ours.coef_, 0.0, theirs.coef_, 0.0)


# ------------------------------------------------------------------ the diabetes data


@pytest.fixture(scope="module")
def diabetes():
    X, y, names = load_diabetes()
    assert X.shape == (442, 10)
    return X, y


DIABETES_FRACTIONS = [1.5, 1.0, 0.999, 0.5, 0.1, 0.01, 0.001]


@pytest.mark.parametrize("frac", DIABETES_FRACTIONS)
@pytest.mark.parametrize("l1_ratio", [1.0, 0.5])
def test_diabetes_path_matches_sklearn(diabetes, frac, l1_ratio):
    X, y = diabetes
    amax = np.max(np.abs(X.T @ (y - y.mean()))) / (y.size * l1_ratio)
    assert amax == pytest.approx(ref.alpha_max(X, y, l1_ratio=l1_ratio), rel=1e-12)
    alpha = frac * amax
    theirs = _sk_fit(dict(alpha=alpha), X, y, l1_ratio=l1_ratio)
    ours, caught = _ours(dict(alpha=alpha), X, y, l1_ratio=l1_ratio)
    assert not caught
    pb = ref.make_problem(X, y, alpha=alpha, l1_ratio=l1_ratio)
    if frac >= 1.0:
        assert np.all(ours.coef_ == 0.0)
        assert ours.intercept_ == pytest.approx(y.mean(), rel=1e-14)
        return
    assert_matches_sklearn(pb, ours.coef_, ours.intercept_, theirs.coef_, theirs.intercept_)
    gap = ref.duality_gap(pb, ours.coef_, ours.intercept_)
    rounding = 1e-14 * ref.primal(pb, ours.coef_, ours.intercept_)
    assert gap <= pb.gap_tol(SK_TOL) + rounding
    assert ours.dual_gap_ == pytest.approx(gap, rel=1e-3, abs=rounding)


@pytest.mark.parametrize("storage", ["csc", "csr"])
def test_diabetes_sparse_and_weighted_match_sklearn(diabetes, storage):
    X, y = diabetes
    rng = np.random.default_rng(0)
    s = rng.integers(0, 4, size=y.size).astype(float)
    amax = ref.alpha_max(X, y, sample_weight=s)
    for frac in (0.5, 0.05):
        alpha = frac * amax
        Xs = to_storage(X, storage)
        theirs = _sk_fit(dict(alpha=alpha), Xs, y, s)
        ours, caught = _ours(dict(alpha=alpha), Xs, y, s)
        assert not caught
        pb = ref.make_problem(X, y, alpha=alpha, sample_weight=s)
        assert_matches_sklearn(pb, ours.coef_, ours.intercept_, theirs.coef_,
                               theirs.intercept_)


def test_diabetes_alpha_max_boundary(diabetes):
    """At alpha_max all zero; just below, exactly the most correlated feature enters, with
    the sign of its correlation."""
    X, y = diabetes
    corr = X.T @ (y - y.mean()) / y.size
    amax = np.max(np.abs(corr))
    at = Lasso(alpha=amax, tol=1e-12).fit(X, y)
    assert np.all(at.coef_ == 0.0)
    below = Lasso(alpha=amax * (1 - 1e-3), tol=1e-12).fit(X, y)
    nz = np.flatnonzero(below.coef_)
    assert nz.tolist() == [int(np.argmax(np.abs(corr)))]
    assert np.sign(below.coef_[nz[0]]) == np.sign(corr[nz[0]])


def test_enet_solve_equals_estimator_on_diabetes(diabetes):
    X, y = diabetes
    alpha = 0.3
    sol, _ = solve_quiet(enet_solve, X=X, y=y, alpha=alpha, l1_ratio=0.7, tol=1e-10)
    est = ElasticNet(alpha=alpha, l1_ratio=0.7, tol=1e-10).fit(X, y)
    np.testing.assert_array_equal(sol.coef, est.coef_)
    assert sol.intercept == est.intercept_ and sol.n_iter == est.n_iter_
    assert sol.dual_gap == est.dual_gap_


def test_sparse_lasso_path_warm_started_matches_sklearn_lasso_path():
    """Our estimators with warm_start along scikit-learn's alpha grid reproduce lasso_path."""
    Xd, y = well_conditioned(7, n=100, p=15, density=0.5)
    X = sp.csc_matrix(Xd)
    # lasso_path does not fit an intercept: centre y and X (dense) for the comparison
    Xc = Xd - Xd.mean(axis=0)
    yc = y - y.mean()
    amax = np.max(np.abs(Xc.T @ yc)) / y.size
    alphas, coefs, _ = sk.lasso_path(Xc, yc, alphas=np.geomspace(amax, amax * 1e-3, 15),
                                     tol=SK_TOL, max_iter=1_000_000)
    est = Lasso(warm_start=True, tol=1e-12, max_iter=100_000)
    for k, alpha in enumerate(alphas):
        est.set_params(alpha=alpha).fit(X, y)
        pb = ref.make_problem(Xd, y, alpha=alpha)
        assert_matches_sklearn(pb, est.coef_, est.intercept_, coefs[:, k],
                               float(y.mean() - Xd.mean(axis=0) @ coefs[:, k]))
