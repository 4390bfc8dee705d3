"""Each proximal operator equals its definition argmin_u 1/2 ||u - x||^2 + f(u): checked by
optimality conditions (the subdifferential contains 0), against scipy.optimize minimizers,
and (TV) against the dual box-constrained least-squares problem solved by scipy."""

import numpy as np
import pytest
from scipy.optimize import lsq_linear, minimize_scalar

from l1core import prox as P

RNG = np.random.default_rng(0)


def _objective(f, x):
    return lambda u: 0.5 * np.sum((u - x) ** 2) + f(u)


# ------------------------------------------------------------------ separable operators


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_prox_l1_is_the_coordinatewise_argmin(dtype):
    x = RNG.standard_normal(50).astype(dtype) * 2
    t = RNG.uniform(0, 1.5, 50)
    u = P.prox_l1(x, t)
    assert u.dtype == dtype
    for i in range(0, 50, 7):
        ref = minimize_scalar(lambda v: 0.5 * (v - x[i]) ** 2 + t[i] * abs(v),
                              bounds=(-10, 10), method="bounded",
                              options={"xatol": 1e-10}).x
        assert abs(u[i] - ref) < 1e-6
    # the subdifferential condition, exactly
    x64 = x.astype(np.float64)
    nz = u != 0
    tol = 1e-6 if dtype == np.float32 else 1e-13
    np.testing.assert_allclose(u[nz], x64[nz] - t[nz] * np.sign(u[nz]), atol=tol)
    assert np.all(np.abs(x64[~nz]) <= t[~nz] + tol)


def test_prox_l1_scalar_threshold_any_shape_and_in_place():
    x = RNG.standard_normal((4, 3, 2))
    expected = np.sign(x) * np.maximum(np.abs(x) - 0.3, 0)
    keep = x.copy()
    np.testing.assert_array_equal(P.prox_l1(x, 0.3), expected)
    np.testing.assert_array_equal(x, keep)                 # not modified
    y = P.prox_l1(x, 0.3, out=x)
    assert y is x
    np.testing.assert_array_equal(x, expected)


def test_prox_non_contiguous_input_and_out():
    base = RNG.standard_normal((6, 8))
    view = base[:, ::2]
    expected = np.sign(view) * np.maximum(np.abs(view) - 0.5, 0)
    np.testing.assert_array_equal(P.prox_l1(view, 0.5), expected)
    P.prox_l1(view, 0.5, out=view)                         # writes through the view
    np.testing.assert_array_equal(base[:, ::2], expected)


def test_prox_elastic_net_definition():
    x = RNG.standard_normal(30) * 3
    u = P.prox_elastic_net(x, 0.7, 2.0)
    for i in range(30):
        ref = minimize_scalar(lambda v: 0.5 * (v - x[i]) ** 2 + 0.7 * abs(v) + v * v,
                              bounds=(-10, 10), method="bounded",
                              options={"xatol": 1e-11}).x
        assert abs(u[i] - ref) < 1e-6
    assert P.elastic_net_value(u, 0.7, 2.0) == pytest.approx(
        0.7 * np.abs(u).sum() + np.sum(u * u))


def test_box_and_positive_projections():
    x = RNG.standard_normal(20) * 3
    lo, hi = -np.abs(RNG.standard_normal(20)), np.abs(RNG.standard_normal(20))
    np.testing.assert_array_equal(P.project_box(x, lo, hi), np.minimum(np.maximum(x, lo), hi))
    np.testing.assert_array_equal(P.project_positive(x), np.maximum(x, 0))
    with pytest.raises(ValueError, match="lower <= upper"):
        P.project_box(x, 1.0, 0.0)


@pytest.mark.parametrize("bad, error", [(np.array([np.nan]), ValueError),
                                        (np.array(["a"]), TypeError),
                                        (np.array([1 + 1j]), TypeError)])
def test_bad_input_raises(bad, error):
    with pytest.raises(error):
        P.prox_l1(bad, 1.0)


def test_bad_thresholds_and_out_raise():
    x = np.ones(3)
    with pytest.raises(ValueError, match=">= 0"):
        P.prox_l1(x, -1.0)
    with pytest.raises(ValueError, match="broadcast"):
        P.prox_l1(x, [1.0, 2.0])
    with pytest.raises(ValueError, match="out"):
        P.prox_l1(x, 1.0, out=np.ones(3, dtype=np.float32))
    with pytest.raises(ValueError, match="lam"):
        P.prox_tv1d(x, -1.0)
    with pytest.raises(ValueError):
        P.prox_group_l2(x, 1.0, groups=[[0, 5]])
    with pytest.raises(ValueError, match="1-D"):
        P.prox_group_l2(np.ones((2, 2)), 1.0)
    with pytest.raises(ValueError, match="ndim >= 2"):
        P.prox_l21(x, 1.0)


def test_integer_input_becomes_float64():
    assert P.prox_l1(np.array([3, -1]), 1).tolist() == [2.0, 0.0]


# ------------------------------------------------------------------ group operators


def _check_sparse_group_kkt(u, x, l1, t, groups, tol):
    """0 in u - x + l1 d|u| + t_g d||u_g||, group by group (complete conditions)."""
    for g, idx in enumerate(groups):
        ug, xg = u[idx], x[idx]
        if np.linalg.norm(ug) == 0:
            soft = np.sign(xg) * np.maximum(np.abs(xg) - l1, 0)
            assert np.linalg.norm(soft) <= t[g] + tol
            continue
        nz = ug != 0
        residual = ug - xg + l1 * np.sign(ug) + t[g] * ug / np.linalg.norm(ug)
        assert np.max(np.abs(residual[nz])) <= tol
        assert np.all(np.abs(xg[~nz]) <= l1 + tol)


@pytest.mark.parametrize("l1", [0.0, 0.4])
def test_group_and_sparse_group_prox_optimality(l1):
    x = RNG.standard_normal(40) * 2
    groups = [np.arange(0, 5), np.arange(5, 17), np.array([30, 17, 22]), np.arange(23, 30),
              np.arange(31, 40)]                           # feature 18..21 in no group
    t = np.array([0.5, 3.0, 1.0, 8.0, 0.0])
    u = (P.prox_group_l2(x, t, groups) if l1 == 0 else P.prox_sparse_group(x, l1, t, groups))
    _check_sparse_group_kkt(u, x, l1, t, groups, 1e-12)
    outside = np.array([18, 19, 20, 21])
    # the group term does not see them; the l1 term (on every coordinate) does
    np.testing.assert_array_equal(u[outside], P.prox_l1(x[outside], l1))
    assert np.all(u[23:30] == 0)                           # a group killed


def test_group_prox_labels_and_float32():
    x = RNG.standard_normal(12).astype(np.float32)
    labels = np.repeat(["b", "a", "c"], 4)
    u = P.prox_group_l2(x, [0.5, 1.0, 2.0], labels)        # groups ordered a, b, c
    groups = [np.arange(4, 8), np.arange(0, 4), np.arange(8, 12)]
    assert u.dtype == np.float32
    _check_sparse_group_kkt(u.astype(np.float64), x.astype(np.float64), 0.0,
                            np.array([0.5, 1.0, 2.0]), groups, 1e-5)


def test_l21_rows_and_channels():
    W = RNG.standard_normal((5, 3, 2))
    t = np.array([0.1, 10.0, 1.0, 0.0, 2.0])
    U = P.prox_l21(W, t)
    flat = P.prox_group_l2(W.reshape(-1), t, groups=6)
    np.testing.assert_allclose(U.reshape(-1), flat, rtol=1e-14, atol=1e-15)
    assert np.all(U[1] == 0)
    assert P.l21_norm(W, t) == pytest.approx(np.sum(t * np.linalg.norm(W.reshape(5, -1),
                                                                        axis=1)))


def test_group_values_and_dual_norms():
    q = RNG.standard_normal(9)
    norms = np.linalg.norm(q.reshape(3, 3), axis=1)
    t = np.array([1.0, 2.0, 3.0])
    assert P.group_l2_norm(q, t, 3) == pytest.approx(np.sum(t * norms))
    assert P.group_dual_norm(q, t, 3) == pytest.approx(np.max(norms / t))
    assert P.l1_dual_norm(q, 2.0) == pytest.approx(np.max(np.abs(q)) / 2)
    assert P.l1_norm(q, 2.0) == pytest.approx(2 * np.abs(q).sum())


@pytest.mark.parametrize("l1, t", [(0.3, 1.0), (1.0, 0.2), (0.0, 1.0), (2.0, 0.0)])
def test_sparse_group_dual_norm_is_the_root(l1, t):
    """r = the dual norm: ||soft(q_g / r, l1)|| <= t for all g with equality at the worst
    group (the constraint set of the penalty's conjugate, scaled)."""
    q = RNG.standard_normal(12) * 3
    r = P.sparse_group_dual_norm(q, l1, t, groups=4)

    def excess(r, g):
        v = q[4 * g:4 * g + 4] / r
        if t == 0:
            return np.max(np.abs(v)) - l1
        return np.linalg.norm(np.sign(v) * np.maximum(np.abs(v) - l1, 0)) - t

    worst = max(excess(r, g) for g in range(3))
    assert abs(worst) < 1e-12
    assert all(excess(r * (1 + 1e-9), g) < 0 for g in range(3))


# ------------------------------------------------------------------ total variation


def _tv_reference(y, lam):
    """The dual: z = argmin ||y - D^T z||^2 over |z| <= lam (bounded least squares, BVLS,
    exact active set), u = y - D^T z."""
    n = y.size
    if n == 1 or lam == 0:
        return y.copy()
    D = np.diff(np.eye(n), axis=0)                   # (n-1, n) forward differences
    z = lsq_linear(D.T, y, bounds=(-lam, lam), method="bvls", tol=1e-15).x
    return y - D.T @ z


@pytest.mark.parametrize("y", [
    np.array([2.5]), np.array([0.0, 1.0]), np.array([1.0, 0.0]), np.full(7, 3.0),
    np.tile([1.0, -1.0], 10), np.array([0.0, 3.0, 3.0, 0.0, 1.0, 5.0]),
    np.cumsum(np.random.default_rng(1).standard_normal(60)),
    np.repeat([0.0, 4.0, -1.0, 2.0], 15) + np.random.default_rng(2).standard_normal(60)])
@pytest.mark.parametrize("lam", [0.0, 0.3, 1.0, 50.0])
def test_tv_matches_the_qp_reference(y, lam):
    u = P.prox_tv1d(y, lam)
    ref = _tv_reference(y, lam)
    np.testing.assert_allclose(u, ref, atol=1e-9 * (1 + np.abs(y).max()))
    obj = _objective(lambda v: lam * P.tv1d_norm(v), y)
    assert obj(u) <= obj(ref) + 1e-10


def test_tv_float32_in_place_and_large_lam_gives_the_mean():
    y = np.cumsum(RNG.standard_normal(500)).astype(np.float32)
    u32 = P.prox_tv1d(y, 2.0)
    u64 = P.prox_tv1d(y.astype(np.float64), 2.0)
    assert u32.dtype == np.float32
    np.testing.assert_allclose(u32, u64, atol=1e-3 * np.abs(u64).max())
    y2 = y.astype(np.float64)
    P.prox_tv1d(y2, 2.0, out=y2)
    np.testing.assert_array_equal(y2, u64)
    mean = P.prox_tv1d(y.astype(np.float64), 1e9)
    np.testing.assert_allclose(mean, np.full(500, y.astype(np.float64).mean()), rtol=1e-10)


def test_tv_dual_norm():
    y = RNG.standard_normal(30)
    u = P.prox_tv1d(y, 0.7)
    # y - u = D^T z with |z| <= lam: the dual norm of y - u is lam (an edge is active)
    assert P.tv1d_dual_norm(y - u) == pytest.approx(0.7, abs=1e-12)
    assert P.tv1d_dual_norm(np.ones(3)) == np.inf
