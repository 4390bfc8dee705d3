"""Regularization paths: every point certified on the full problem, screening and the strong
rule never change the answer, and the path matches scikit-learn's."""

import warnings

import numpy as np
import pytest
import scipy.sparse as sp
from sklearn import linear_model as sk

import _reference as ref
from conftest import make_regression, to_storage
from l1core import ConvergenceWarning, alpha_grid, enet_path, lasso_path


def data(seed=0, n=60, p=150, density=None):
    Xd, y, _ = make_regression(seed, n, p, density=density)
    return Xd, y


def certify_path(Xd, y, alphas, coefs, intercepts, tol, **problem):
    """Each point's duality gap, recomputed in NumPy on the FULL problem, meets tol."""
    for k, alpha in enumerate(alphas):
        pb = ref.make_problem(Xd, y, alpha=alpha, **problem)
        gap = ref.duality_gap(pb, np.asarray(coefs[:, k], dtype=np.float64), intercepts[k])
        assert gap <= pb.gap_tol(tol) * 1.001 + 1e-15, (k, alpha, gap, pb.gap_tol(tol))


@pytest.mark.parametrize("storage", ["dense", "csc", "csr"])
@pytest.mark.parametrize("l1_ratio", [1.0, 0.5])
def test_path_matches_sklearn_enet_path(storage, l1_ratio):
    Xd, y = data(1, n=50, p=80, density=0.5 if storage != "dense" else None)
    Xc, yc = Xd - Xd.mean(axis=0), y - y.mean()   # scikit-learn's path fits no intercept
    ours = enet_path(to_storage(Xc, storage), yc, l1_ratio=l1_ratio, n_alphas=30, tol=1e-12,
                     max_iter=100_000)
    theirs = sk.enet_path(Xc, yc, l1_ratio=l1_ratio, n_alphas=30, tol=1e-12, max_iter=100_000)
    np.testing.assert_allclose(ours[0], theirs[0], rtol=1e-12)     # the same grid
    np.testing.assert_allclose(ours[1], theirs[1], atol=2e-5)
    # and ours is at least as good at every alpha
    for k, alpha in enumerate(ours[0]):
        pb = ref.make_problem(Xc, yc, alpha=alpha, l1_ratio=l1_ratio, fit_intercept=False)
        assert ref.primal(pb, ours[1][:, k], 0.0) <= ref.primal(pb, theirs[1][:, k], 0.0) + 1e-10


@pytest.mark.parametrize("storage", ["dense", "csc", "csr"])
@pytest.mark.parametrize("fit_intercept", [True, False])
def test_every_point_is_certified_on_the_full_problem(storage, fit_intercept):
    Xd, y = data(2, n=70, p=300, density=0.3)
    alphas, coefs, gaps, n_iters, intercepts = lasso_path(
        to_storage(Xd, storage), y, fit_intercept=fit_intercept, tol=1e-8, eps=1e-3,
        return_n_iter=True, return_intercept=True)
    assert np.all(np.diff(alphas) < 0) and len(alphas) == 100
    assert np.all(coefs[:, 0] == 0)                                # alpha_max: all zero
    assert np.count_nonzero(coefs[:, -1]) > 5
    certify_path(Xd, y, alphas, coefs, intercepts, 1e-8, fit_intercept=fit_intercept)
    assert np.all(n_iters >= 0) and np.all(gaps >= -1e-12)


@pytest.mark.parametrize("storage", ["dense", "csc", "csr"])
@pytest.mark.parametrize("tol", [1e-4, 1e-7])
def test_correlated_wide_path_on_a_cv_fold_is_certified(storage, tol):
    """p >> n with AR(1)-correlated columns, trained on a fold (zero weight on held-out rows,
    which dense X skips in place): the lazy full passes (bounds from earlier passes' dual
    points) and the path predictor never leave a point uncertified."""
    rng = np.random.default_rng(11)
    n, p = 60, 600
    Xd = np.empty((n, p))
    Xd[:, 0] = rng.standard_normal(n)
    for j in range(1, p):
        Xd[:, j] = 0.6 * Xd[:, j - 1] + 0.8 * rng.standard_normal(n)
    y = Xd[:, ::40] @ rng.standard_normal(15) + 0.3 * rng.standard_normal(n)
    s = np.ones(n)
    s[12:24] = 0.0
    alphas, coefs, gaps, intercepts = lasso_path(
        to_storage(Xd, storage), y, sample_weight=s, fit_intercept=True, tol=tol,
        eps=1e-2, n_alphas=150, return_intercept=True, max_iter=100_000)
    assert np.count_nonzero(coefs[:, -1]) > 20
    certify_path(Xd, y, alphas, coefs, intercepts, tol, sample_weight=s, fit_intercept=True)


@pytest.mark.parametrize("storage", ["dense", "csc", "csr"])
@pytest.mark.parametrize("fit_intercept", [True, False])
def test_path_with_many_columns_without_variance_is_certified(storage, fit_intercept):
    """Most columns empty or constant (text-like data): the kernel works on the others only;
    constant columns held off zero by their bounds still count in the objective."""
    Xd, y = data(5, n=50, p=400, density=0.2)
    rng = np.random.default_rng(5)
    dead = rng.choice(400, 300, replace=False)
    Xd[:, dead[:200]] = 0.0
    Xd[:, dead[200:]] = rng.uniform(1, 3, size=100)           # constant columns
    lower = np.full(400, -np.inf)
    lower[dead[200:220]] = 0.5                                 # kept off zero by a bound
    lower[dead[:10]] = 0.25
    alphas, coefs, gaps, intercepts = lasso_path(
        to_storage(Xd, storage), y, fit_intercept=fit_intercept, lower_bounds=lower, tol=1e-8,
        eps=1e-2, n_alphas=40, return_intercept=True, max_iter=100_000)
    assert np.all(coefs[dead[:10], :] == 0.25)
    assert np.count_nonzero(coefs[:, -1]) > 40
    certify_path(Xd, y, alphas, coefs, intercepts, 1e-8, fit_intercept=fit_intercept,
                 lower_bounds=lower)


@pytest.mark.parametrize("storage", ["dense", "csr"])
def test_screening_and_strong_rule_do_not_change_the_path(storage):
    Xd, y = data(3, n=60, p=400, density=0.3)
    X = to_storage(Xd, storage)
    kw = dict(l1_ratio=0.8, fit_intercept=True, tol=1e-12, max_iter=100_000, n_alphas=40,
              return_intercept=True)
    full = enet_path(X, y, screening=False, strong_rule=False, **kw)
    for screening, strong in [(True, True), (True, False), (False, True)]:
        out = enet_path(X, y, screening=screening, strong_rule=strong, **kw)
        np.testing.assert_array_equal(out[0], full[0])
        for k, alpha in enumerate(out[0]):
            # p >> n: the coefficients are weakly determined, the objective and fit are not
            pb = ref.make_problem(Xd, y, alpha=alpha, l1_ratio=0.8)
            p_out = ref.primal(pb, out[1][:, k], out[3][k])
            p_full = ref.primal(pb, full[1][:, k], full[3][k])
            assert abs(p_out - p_full) <= pb.gap_tol(1e-12) * 2 + 1e-14
            np.testing.assert_allclose(Xd @ out[1][:, k] + out[3][k],
                                       Xd @ full[1][:, k] + full[3][k], atol=1e-4)


def test_weights_penalty_factors_and_bounds_along_the_path():
    Xd, y = data(4, n=80, p=60)
    rng = np.random.default_rng(4)
    s = rng.uniform(0, 2, 80)
    s[:5] = 0.0
    pf = rng.uniform(0.5, 2.0, 60)
    pf[:2] = 0.0                                # unpenalized: nonzero at alpha_max already
    lower = np.full(60, -np.inf)
    lower[10:20] = 0.0
    kw = dict(sample_weight=s, penalty_factor=pf, lower_bounds=lower, fit_intercept=True)
    alphas, coefs, _, intercepts = enet_path(Xd, y, l1_ratio=0.9, tol=1e-9, n_alphas=25,
                                             return_intercept=True, **kw)
    assert np.all(coefs[2:, 0] == 0) and np.any(coefs[:2, 0] != 0)
    assert np.all(coefs[10:20] >= 0)
    # alpha_max is exact: a little below it, something enters
    below = enet_path(Xd, y, l1_ratio=0.9, tol=1e-9, alphas=[alphas[0] * 0.99], **kw)[1]
    assert np.count_nonzero(below[2:, 0]) >= 1
    certify_path(Xd, y, alphas[::6], coefs[:, ::6], intercepts[::6], 1e-9, l1_ratio=0.9,
                 sample_weight=s, penalty_factor=pf, lower_bounds=lower)


def test_user_alphas_any_order_sparse_coefs_and_float32():
    Xd, y = data(5, n=40, p=120, density=0.4)
    grid = alpha_grid(0.5, n_alphas=7, eps=0.01)
    shuffled = grid[[3, 0, 6, 1, 5, 2, 4]]
    a1, c1, g1 = lasso_path(sp.csr_matrix(Xd), y, alphas=shuffled, tol=1e-10)
    np.testing.assert_array_equal(a1, grid)
    a2, c2, _ = lasso_path(sp.csr_matrix(Xd), y, alphas=grid, tol=1e-10, sparse_coefs=True)
    assert sp.issparse(c2) and c2.shape == c1.shape
    np.testing.assert_array_equal(c2.toarray(), c1)
    a3, c3, _ = lasso_path(sp.csr_matrix(Xd.astype(np.float32)), y, alphas=grid, tol=1e-10)
    assert c3.dtype == np.float32
    np.testing.assert_allclose(c3, c1, atol=1e-4 * np.abs(c1).max())


def test_path_errors_and_convergence_warning():
    Xd, y = data(6, n=30, p=20)
    with pytest.raises(ValueError, match="l1_ratio"):
        enet_path(Xd, y, l1_ratio=0.0)
    with pytest.raises(ValueError, match="n_alphas"):
        lasso_path(Xd, y, n_alphas=0)
    with pytest.raises(ValueError, match="alphas"):
        lasso_path(Xd, y, alphas=[0.1, -1.0])
    with pytest.raises(ValueError, match="alphas"):
        lasso_path(Xd, y, alphas=[])
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        lasso_path(Xd, y, n_alphas=5, eps=1e-4, tol=1e-14, max_iter=2, precompute=False)
    assert any(issubclass(w.category, ConvergenceWarning) and "alpha=" in str(w.message)
               for w in caught)


def test_sklearn_compatible_keywords_are_accepted():
    """Drop-in calls written for scikit-learn's lasso_path / Lasso / LassoCV work."""
    from l1core import Lasso, LassoCV
    Xd, y = data(7, n=40, p=30)
    Xc, yc = Xd - Xd.mean(axis=0), y - y.mean()
    ours = lasso_path(Xc, yc, n_alphas=5, Xy=Xc.T @ yc, copy_X=False, verbose=False,
                      precompute=False)
    theirs = sk.lasso_path(Xc, yc, n_alphas=5, Xy=Xc.T @ yc, copy_X=False)
    np.testing.assert_allclose(ours[0], theirs[0], rtol=1e-12)
    Lasso(alpha=0.1, copy_X=False, precompute=False).fit(Xd, y)
    cv = LassoCV(cv=3, n_alphas=5, copy_X=False, verbose=False, precompute=False).fit(Xd, y)
    assert cv.alpha_ in cv.alphas_


@pytest.mark.parametrize("selection", ["cyclic", "random"])
def test_warm_solve_after_an_interrupted_one_is_certified(selection):
    """A solve stopped by max_iter in the middle of its sweeps (on dense X: sweeps over the
    nonzero coefficients' Gram block, the residual catching up later) hands the next warm
    solve a residual consistent with its coefficients, with unpenalized columns, weights and
    bounds in play."""
    from l1core._enet_solver import EnetProblem

    Xd, y = data(6, n=80, p=300)
    rng = np.random.default_rng(6)
    s = rng.uniform(0.5, 2.0, size=80)
    factor = np.ones(300)
    factor[:3] = 0.0
    lower = np.full(300, -np.inf)
    lower[3:40] = 0.0
    kw = dict(sample_weight=s, penalty_factor=factor, lower_bounds=lower, l1_ratio=0.9)
    problem = EnetProblem(Xd, y, **kw)
    alpha = problem.alpha_max() / 30
    random = selection == "random"
    w = np.zeros(300)
    for max_iter in range(1, 13):
        w, *_ = problem.solve(alpha, w=w, tol=1e-12, max_iter=max_iter, warm=max_iter > 1,
                              random=random, seed=max_iter)
    w, intercept, gap, epochs, gap_tol = problem.solve(alpha, w=w, tol=1e-10, max_iter=100_000,
                                                      warm=True, random=random)
    assert gap <= gap_tol
    pb = ref.make_problem(Xd, y, alpha=alpha, fit_intercept=True, **kw)
    assert ref.duality_gap(pb, w, intercept) <= pb.gap_tol(1e-10) * 1.001 + 1e-15
    assert np.count_nonzero(w[3:]) > 10
