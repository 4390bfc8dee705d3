"""prox_tv2d (2-D anisotropic total variation, l1core.prox.tv2d): its certificate against
cvxpy's optimum (Clarabel), the gap recomputed in NumPy from the solution alone, the limits
(lam = 0, a huge lam, one row or column, one direction only), dtypes, array-API input,
the user's array untouched, bad input."""

import numpy as np
import pytest

from l1core.prox import prox_tv1d, prox_tv2d, tv2d_norm


def image(m=12, n=15, seed=0, noise=0.4):
    rng = np.random.default_rng(seed)
    clean = np.zeros((m, n))
    clean[m // 4: 3 * m // 4, n // 3: 2 * n // 3] = 2.0
    clean[:, : n // 4] -= 1.0
    return clean + noise * rng.standard_normal((m, n))


def objective(u, y, lr, lc):
    return (0.5 * np.sum((u - y) ** 2) + lr * np.abs(np.diff(u, axis=1)).sum()
            + lc * np.abs(np.diff(u, axis=0)).sum())


def cvxpy_tv2d(y, lr, lc, l1=0.0):
    cp = pytest.importorskip("cvxpy")
    u = cp.Variable(y.shape)
    obj = (0.5 * cp.sum_squares(u - y) + lr * cp.sum(cp.abs(u[:, 1:] - u[:, :-1]))
           + lc * cp.sum(cp.abs(u[1:, :] - u[:-1, :])) + l1 * cp.sum(cp.abs(u)))
    cp.Problem(cp.Minimize(obj)).solve(solver="CLARABEL", tol_gap_abs=1e-12, tol_gap_rel=1e-12,
                                       tol_feas=1e-12, max_iter=500)
    return u.value


@pytest.mark.parametrize("lam", [0.05, 0.4, (0.8, 0.2), 3.0])
@pytest.mark.parametrize("seed", [0, 1])
def test_certified_against_cvxpy(lam, seed):
    y = image(seed=seed)
    lr, lc = (lam, lam) if np.ndim(lam) == 0 else lam
    res = prox_tv2d(y, lam, tol=1e-10, return_info=True)
    ref = cvxpy_tv2d(y, lr, lc)
    p_ours, p_ref = objective(res.solution, y, lr, lc), objective(ref, y, lr, lc)
    scale = 0.5 * np.sum((y - y.mean()) ** 2)
    assert res.objective == pytest.approx(p_ours, rel=1e-12)
    assert res.dual_gap <= 1e-10 * scale
    assert p_ours - p_ref <= res.dual_gap + 1e-12 * scale        # the certificate holds
    assert p_ref - p_ours <= 1e-8 * scale                        # and cvxpy is no better
    # strongly convex (1): ||u - u*||^2 <= 2 gap
    np.testing.assert_allclose(res.solution, ref, atol=1e-5)


@pytest.mark.parametrize("lam, l1", [(0.3, 0.2), (0.1, 1.0), ((0.5, 0.1), 0.05)])
def test_with_an_l1_part_certified_against_cvxpy(lam, l1):
    """The 2-D Fused Lasso signal approximator: + l1 ||u||_1, soft-thresholding of the TV
    prox (exact on any graph), the gap certifying the whole objective."""
    y = image(seed=7)
    lr, lc = (lam, lam) if np.ndim(lam) == 0 else lam
    res = prox_tv2d(y, lam, l1=l1, tol=1e-12, return_info=True)
    ref = cvxpy_tv2d(y, lr, lc, l1)
    p_ours = objective(res.solution, y, lr, lc) + l1 * np.abs(res.solution).sum()
    p_ref = objective(ref, y, lr, lc) + l1 * np.abs(ref).sum()
    scale = 0.5 * np.sum(y * y)
    assert res.objective == pytest.approx(p_ours, rel=1e-12)
    assert res.dual_gap <= 1e-12 * scale
    assert p_ours - p_ref <= res.dual_gap + 1e-12 * scale
    assert p_ref - p_ours <= 1e-8 * scale
    np.testing.assert_allclose(res.solution, ref, atol=1e-5)
    # limits: no TV is soft-thresholding; a huge l1 gives zero
    np.testing.assert_allclose(prox_tv2d(y, 0.0, l1=l1),
                               np.sign(y) * np.maximum(np.abs(y) - l1, 0.0), atol=1e-15)
    assert np.all(prox_tv2d(y, lam, l1=1e3) == 0.0)


def kkt_holds(y, u, lr, lc, zero=1e-7, slack=1e-7):
    """Whether y - u = D_r^T z_r + D_c^T z_c for some z with z = lam sign(difference) where
    u's difference is nonzero and |z| <= lam where it is zero (the subdifferential of 2-D
    TV): an LP feasibility problem in z (scipy's HiGHS), independent of the solver."""
    import scipy.sparse as sp
    from scipy.optimize import linprog

    m, n = y.shape
    idx = np.arange(m * n).reshape(m, n)

    def difference(a, b):               # rows: u[b] - u[a]
        k = a.size
        return sp.csr_matrix((np.r_[-np.ones(k), np.ones(k)],
                              (np.r_[np.arange(k), np.arange(k)], np.r_[a, b])),
                             shape=(k, m * n))

    Dr = difference(idx[:, :-1].ravel(), idx[:, 1:].ravel())
    Dc = difference(idx[:-1, :].ravel(), idx[1:, :].ravel())
    D = sp.vstack([Dr, Dc]).tocsr()
    lam = np.r_[np.full(Dr.shape[0], lr), np.full(Dc.shape[0], lc)]
    d = D @ u.ravel()
    on = np.abs(d) > zero
    lo = np.where(on, lam * np.sign(d) - slack, -lam - slack)
    hi = np.where(on, lam * np.sign(d) + slack, lam + slack)
    r = (y - u).ravel()
    A = sp.vstack([D.T, -D.T]).tocsr()
    res = linprog(np.zeros(D.shape[0]), A_ub=A, b_ub=np.r_[r + slack, -r + slack],
                  bounds=list(zip(lo, hi)), method="highs")
    return res.status == 0


@pytest.mark.parametrize("lam", [0.1, 0.3, (0.6, 0.15)])
def test_kkt_conditions_hold(lam):
    y = image(14, 17, seed=3)
    lr, lc = (lam, lam) if np.ndim(lam) == 0 else lam
    u = prox_tv2d(y, lam, tol=1e-14, max_iter=20000)
    assert kkt_holds(y, u, lr, lc)
    wrong = u.copy()
    wrong[3, 4] += 1e-3                    # a perturbed solution is caught
    assert not kkt_holds(y, wrong, lr, lc)


def test_limits():
    y = image()
    np.testing.assert_array_equal(prox_tv2d(y, 0.0), y)
    flat = prox_tv2d(y, 1e6)
    np.testing.assert_allclose(flat, np.full_like(y, y.mean()), atol=1e-9)
    row = y[:1]
    np.testing.assert_allclose(prox_tv2d(row, 0.7)[0], prox_tv1d(row[0], 0.7), atol=1e-14)
    col = y[:, :1]
    np.testing.assert_allclose(prox_tv2d(col, 0.7)[:, 0], prox_tv1d(col[:, 0], 0.7),
                               atol=1e-14)
    rows_only = prox_tv2d(y, (0.7, 0.0))
    np.testing.assert_allclose(rows_only, np.stack([prox_tv1d(r, 0.7) for r in y]),
                               atol=1e-14)
    cols_only = prox_tv2d(y, (0.0, 0.7))
    np.testing.assert_allclose(cols_only, np.stack([prox_tv1d(c, 0.7) for c in y.T]).T,
                               atol=1e-14)


def test_dtypes_layouts_and_user_array():
    y = image(16, 9, seed=4)
    saved = y.copy()
    u64 = prox_tv2d(y, 0.3, tol=1e-12)
    np.testing.assert_array_equal(y, saved)
    u32 = prox_tv2d(y.astype(np.float32), 0.3, tol=1e-12)
    assert u32.dtype == np.float32
    np.testing.assert_allclose(u32, u64, atol=1e-5)
    np.testing.assert_allclose(prox_tv2d(np.asfortranarray(y), 0.3, tol=1e-12), u64,
                               atol=1e-12)
    assert tv2d_norm(u64, 0.3) == pytest.approx(
        0.3 * (np.abs(np.diff(u64, axis=1)).sum() + np.abs(np.diff(u64, axis=0)).sum()))


def test_array_api_input():
    xp = pytest.importorskip("array_api_strict")
    y = image(10, 11, seed=5)
    out = prox_tv2d(xp.asarray(y), 0.3, tol=1e-12)
    assert type(out) is type(xp.asarray(y)) and out.dtype == xp.float64
    np.testing.assert_allclose(np.asarray(out), prox_tv2d(y, 0.3, tol=1e-12), atol=1e-12)


@pytest.mark.parametrize("bad, match", [
    (dict(x=np.zeros(5)), "2-D"), (dict(lam=-1.0), "lam"), (dict(lam=(1.0, 2.0, 3.0)), "pair"),
    (dict(x=np.array([[1.0, np.nan]])), "NaN"), (dict(tol=-1.0), "tol"),
    (dict(max_iter=0), "positive"), (dict(l1=-1.0), "l1")])
def test_bad_input(bad, match):
    kw = dict(x=image(), lam=0.5)
    kw.update(bad)
    with pytest.raises(ValueError, match=match):
        prox_tv2d(kw.pop("x"), kw.pop("lam"), **kw)


def test_reports_an_honest_gap_when_stopped_early():
    y = image(30, 30, seed=6)
    early = prox_tv2d(y, 0.5, tol=0.0, max_iter=3, gap_every=1, return_info=True)
    ref = prox_tv2d(y, 0.5, tol=1e-13, return_info=True)
    assert early.n_iter == 3
    assert early.objective - ref.objective <= early.dual_gap + 1e-12
    assert early.dual_gap > ref.dual_gap
