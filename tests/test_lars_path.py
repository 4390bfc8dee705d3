"""lars_path: knots equal scikit-learn's; every Lasso knot certified by the KKT conditions and
by l1core's coordinate descent; dense = CSC = CSR; float32 ~ float64; degenerate inputs."""

import warnings

import numpy as np
import pytest
import scipy.sparse as sp

sklm = pytest.importorskip("sklearn.linear_model")
from sklearn.datasets import load_diabetes  # noqa: E402

from l1core import Lasso, lars_path, lars_path_gram  # noqa: E402


def _diabetes():
    X, y = load_diabetes(return_X_y=True)
    return X, y


def _random(n, p, seed, sparsity=0.0):
    rng = np.random.default_rng(seed)
    X = rng.standard_normal((n, p))
    if sparsity:
        X[rng.random(X.shape) < sparsity] = 0.0
    w = np.zeros(p)
    w[:5] = [3.0, -2.0, 1.5, 1.0, -1.0]
    return X, X @ w + 0.5 * rng.standard_normal(n)


def _same_path(ours, theirs, n_knots=None):
    a1, act1, c1 = ours
    a2, act2, c2 = theirs
    k = n_knots or len(a2)
    assert len(a1) >= k
    np.testing.assert_allclose(a1[:k], a2[:k], rtol=0, atol=1e-10 * a2[0])
    np.testing.assert_allclose(c1[:, :k], c2[:, :k], rtol=0, atol=1e-10 * max(1, np.abs(c2).max()))
    if n_knots is None:
        assert len(a1) == len(a2)
        assert list(act1) == [int(j) for j in act2]


def _kkt_violation(X, y, alpha, w, positive=False):
    """max over j of the distance of x_j.r/n to alpha times the subdifferential of |w_j|."""
    g = X.T @ (y - X @ w) / X.shape[0]
    on = w != 0
    bad = np.abs(g[on] - alpha * np.sign(w[on]))
    off = g[~on] - alpha if positive else np.abs(g[~on]) - alpha
    return max(bad.max(initial=0.0), off.max(initial=0.0))


@pytest.mark.parametrize("method", ["lar", "lasso"])
@pytest.mark.parametrize("gram", [False, True])
def test_diabetes_equals_sklearn(method, gram):
    X, y = _diabetes()
    G = X.T @ X if gram else None
    _same_path(lars_path(X, y, Gram=G, method=method), sklm.lars_path(X, y, method=method))


@pytest.mark.parametrize("shape,positive", [((80, 20), False), ((80, 20), True),
                                            ((30, 80), False), ((30, 80), True)])
def test_random_lasso_equals_sklearn(shape, positive):
    X, y = _random(*shape, seed=shape[1])
    ours = lars_path(X, y, method="lasso", positive=positive)
    theirs = sklm.lars_path(X, y, method="lasso", positive=positive)
    if not positive:
        _same_path(ours, theirs)
    else:
        # scikit-learn's positive path ends its last segment at a wrong alpha (the largest
        # inactive correlation, below the active level): the same knots up to there, and
        # the last knot certified by the KKT conditions instead
        _same_path(ours, theirs, n_knots=len(theirs[0]) - 1)
        alphas, _, coefs = ours
        for k in range(len(alphas)):
            assert _kkt_violation(X, y, alphas[k], coefs[:, k], True) < 1e-10 * alphas[0]
    assert len(ours[1]) <= min(shape)


def test_positive_path_ends_at_the_active_level():
    """Once every inactive correlation lies below the active columns' (they may all be
    negative), no column enters: the segment runs on to alpha = 0 (the active least-squares
    fit) or alpha_min, and the coefficients there are the positive Lasso's (scikit-learn
    interpolates to a wrong alpha here)."""
    X, y = _random(80, 20, seed=20)
    X, y = X - X.mean(0), y - y.mean()
    alphas, _, coefs = lars_path(X, y, method="lasso", positive=True)
    g = X.T @ (y - X @ coefs[:, -1]) / len(y)
    assert alphas[-1] == 0.0 and np.abs(g[coefs[:, -1] > 0]).max() < 1e-10 * alphas[0]
    theirs = sklm.lars_path(X, y, method="lasso", positive=True)[2][:, -1]
    g_theirs = X.T @ (y - X @ theirs) / len(y)
    assert np.abs(g_theirs[theirs > 0]).max() > 1e-3 * alphas[0]   # the defect this fixes
    a_min = 0.5 * alphas[-2]
    a, _, c = lars_path(X, y, method="lasso", positive=True, alpha_min=a_min)
    cd = Lasso(alpha=a_min, fit_intercept=False, positive=True, tol=1e-14,
               max_iter=100000).fit(X, y)
    assert a[-1] == a_min
    np.testing.assert_allclose(c[:, -1], cd.coef_, atol=1e-8 * np.abs(cd.coef_).max())


def test_lar_n_less_than_p_stops_at_n_active():
    X, y = _random(30, 80, seed=3)
    alphas, active, coefs = lars_path(X, y, method="lar")
    assert len(active) == 30
    assert np.count_nonzero(coefs[:, -1]) == 30
    ref = sklm.lars_path(X, y, method="lar")
    # scikit-learn runs on past n active columns (its alphas then grow): compare the knots
    # up to the n-th entry
    _same_path((alphas, active, coefs), ref, n_knots=len(alphas))


def test_lasso_path_has_a_drop_and_kkt_at_every_knot():
    X, y = _diabetes()
    X = X - X.mean(0)
    y = y - y.mean()
    alphas, active, coefs = lars_path(X, y, method="lasso")
    nz = coefs != 0
    assert np.any(nz[:, :-1] & ~nz[:, 1:]), "no variable left the active set"
    for k in range(len(alphas)):
        assert _kkt_violation(X, y, alphas[k], coefs[:, k]) < 1e-9 * alphas[0]


@pytest.mark.parametrize("positive", [False, True])
def test_knots_equal_coordinate_descent(positive):
    X, y = _random(60, 25, seed=7)
    alphas, _, coefs = lars_path(X, y, method="lasso", positive=positive)
    for k in range(1, len(alphas) - 1, 3):
        cd = Lasso(alpha=alphas[k], fit_intercept=False, tol=1e-14, max_iter=100000,
                   positive=positive).fit(X, y)
        np.testing.assert_allclose(coefs[:, k], cd.coef_, atol=1e-7)
        assert _kkt_violation(X, y, alphas[k], coefs[:, k], positive) < 1e-10 * alphas[0]


@pytest.mark.parametrize("fmt", ["csc", "csr"])
@pytest.mark.parametrize("method", ["lar", "lasso"])
def test_sparse_equals_dense(fmt, method):
    X, y = _random(50, 40, seed=11, sparsity=0.7)
    dense = lars_path(X, y, method=method)
    _same_path(lars_path(sp.csr_matrix(X) if fmt == "csr" else sp.csc_matrix(X), y,
                         method=method), dense)


def test_float32_close_to_float64():
    X, y = _random(60, 15, seed=5)
    a64, act64, c64 = lars_path(X, y, method="lasso")
    a32, act32, c32 = lars_path(X.astype(np.float32), y, method="lasso")
    assert a32.dtype == np.float32 and c32.dtype == np.float32
    assert act32 == act64
    np.testing.assert_allclose(a32, a64, rtol=1e-5, atol=1e-6 * a64[0])
    np.testing.assert_allclose(c32, c64, atol=1e-4 * np.abs(c64).max())


def test_alpha_min_interpolates_and_return_path_false():
    X, y = _diabetes()
    alphas, _, coefs = lars_path(X, y, method="lasso", alpha_min=0.5)
    ref = sklm.lars_path(X, y, method="lasso", alpha_min=0.5)
    _same_path((alphas, _, coefs), ref)
    assert alphas[-1] == 0.5
    a, act, c = lars_path(X, y, method="lasso", alpha_min=0.5, return_path=False)
    np.testing.assert_allclose(c, coefs[:, -1], atol=1e-10 * np.abs(coefs).max())
    assert a.shape == (1,) and a[0] == 0.5


def test_gram_only_equals_sklearn():
    X, y = _random(40, 12, seed=2)
    ours = lars_path_gram(X.T @ y, X.T @ X, n_samples=40, method="lasso")
    _same_path(ours, sklm.lars_path_gram(X.T @ y, X.T @ X, n_samples=40, method="lasso"))


def test_duplicate_column_is_skipped_with_a_warning():
    X, y = _random(50, 8, seed=0)
    warned = 0
    for scale in (-1.0, 1.0, 2.0):             # column 0 duplicated (scaled) as column 1
        Xd = np.column_stack([X[:, :1], scale * X])
        with warnings.catch_warnings(record=True) as w:
            warnings.simplefilter("always")
            alphas, active, coefs = lars_path(Xd, y, method="lasso")
        warned += any("degenerate" in str(m.message) for m in w)
        assert not (0 in active and 1 in active)
        for k in range(len(alphas)):
            assert _kkt_violation(Xd, y, alphas[k], coefs[:, k]) < 1e-8 * alphas[0]
    assert warned


def test_zero_column_ties_and_zero_target():
    X, y = _random(40, 6, seed=9)
    X[:, 2] = 0.0
    alphas, active, coefs = lars_path(X, y, method="lasso")
    assert 2 not in active and np.all(coefs[2] == 0)
    _same_path((alphas, active, coefs), sklm.lars_path(X, y, method="lasso"))
    # two identical correlations: the first column wins, as in scikit-learn
    Xt = np.array([[1.0, 1.0, 0.0], [1.0, -1.0, 1.0], [0.0, 0.0, 1.0]])
    yt = np.array([1.0, 0.0, 0.5])
    assert lars_path(Xt, yt)[1] == [int(j) for j in sklm.lars_path(Xt, yt)[1]]
    a0, act0, c0 = lars_path(X, np.zeros(40), method="lasso")
    assert act0 == [] and np.all(a0 == 0) and np.all(c0 == 0)


def test_inputs_not_modified_and_bad_input():
    X, y = _random(30, 10, seed=1)
    Xc, yc = X.copy(), y.copy()
    Xs = sp.csr_matrix(X)
    lars_path(X, y, method="lasso")
    lars_path(Xs, y, method="lasso")
    assert np.array_equal(X, Xc) and np.array_equal(y, yc)
    assert np.array_equal(Xs.toarray(), Xc)
    with pytest.raises(ValueError, match="Positive"):
        lars_path(X, y, method="lar", positive=True)
    with pytest.raises(ValueError, match="method"):
        lars_path(X, y, method="lars")
    with pytest.raises(ValueError):
        lars_path(X, y[:-1])
    Xn = X.copy()
    Xn[0, 0] = np.nan
    with pytest.raises(ValueError):
        lars_path(Xn, y)
    with pytest.raises(ValueError):
        lars_path(X, y, alpha_min=-1.0)
    with pytest.raises(ValueError, match="Gram"):
        lars_path(X, y, Gram=np.eye(3))
    with pytest.raises(ValueError, match="both"):
        lars_path(None, y)
    with pytest.raises(TypeError):
        lars_path(X, y, max_iter=2.5)
