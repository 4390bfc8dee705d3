"""Certified optimality of ``enet_solve`` on many small random problems.

For every returned solution the duality gap of design.md section 2 is recomputed in NumPy
(tests/_reference.py) from a dual-feasible point built from the residual, and must meet the
stopping rule; the kernel's reported gap must agree with it; the coordinate-wise optimality
(KKT) conditions must hold to the accuracy the gap guarantees; the intercept must be optimal.
Then: storages, index and dtypes, selection rules agree with each other.
"""

import itertools

import numpy as np
import pytest
import scipy.sparse as sp
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import _reference as ref
from conftest import (check_certified, make_regression, problem_of, solve_kwargs,
                      solve_quiet, to_storage)
from l1core import ConvergenceWarning, enet_solve

TOL = 1e-6


# ------------------------------------------------------------------ the reference itself


def test_reference_gap_bounds_suboptimality():
    """The reference gap is >= P(w) - P* at arbitrary points (here P* from a 1e-14 solve),
    is ~0 at the optimum, and the reference dual is <= P* for scaled dual points."""
    kw = solve_kwargs(1, weights="random", penalty="zeros", l1_ratio=0.5)
    pb = problem_of(kw)
    sol = enet_solve(**kw, tol=1e-14, max_iter=100_000)
    pstar = ref.primal(pb, sol.coef, sol.intercept)
    assert ref.duality_gap(pb, sol.coef, sol.intercept) < 1e-12
    rng = np.random.default_rng(0)
    for _ in range(20):
        w = sol.coef + rng.normal(scale=0.3, size=sol.coef.size) * (rng.uniform(size=12) < .5)
        gap = ref.duality_gap(pb, w)
        assert ref.primal(pb, w) - pstar <= gap + 1e-12
        theta, _, q = ref.dual_point(pb, w)
        assert ref.dual(pb, theta, q) <= pstar + 1e-12


def test_reference_conjugate_matches_brute_force():
    rng = np.random.default_rng(3)
    grid = np.linspace(-20, 20, 400_001)
    for _ in range(60):
        a, c = rng.uniform(0, 2), rng.choice([0.0, rng.uniform(0.1, 2)])
        lo, up = np.sort(rng.uniform(-3, 3, size=2))
        if rng.uniform() < 0.3:
            lo, up = abs(lo), abs(up) + abs(lo)
        q = rng.uniform(-5, 5)
        ws = grid[(grid >= lo) & (grid <= up)]
        brute = np.max(q * ws - a * np.abs(ws) - 0.5 * c * ws**2)
        assert ref.conjugate(q, a, c, lo, up) == pytest.approx(brute, abs=1e-3)
    assert ref.conjugate(3.0, 1.0, 0.0, 0.0, np.inf) == np.inf
    assert ref.conjugate(-3.0, 1.0, 0.0, 0.0, np.inf) == 0.0
    assert ref.conjugate(0.5, 1.0, 0.0, -np.inf, np.inf) == 0.0


@pytest.mark.parametrize("bounds,l1_ratio", [("none", 1.0), ("box", 0.5), ("positive", 0.1)])
def test_certification_rejects_perturbed_solutions(bounds, l1_ratio):
    """check_certified is not vacuous: it accepts a tight solution and rejects it after a
    small move of one coordinate, of the intercept, or out of the box."""
    kw = solve_kwargs(3, weights="random", bounds=bounds, penalty="random", l1_ratio=l1_ratio,
                      alpha_frac=0.05)
    pb = problem_of(kw)
    sol = enet_solve(**kw, tol=1e-12, max_iter=100_000)
    check_certified(pb, sol.coef, sol.intercept, tol=1e-6, reported_gap=sol.dual_gap)
    j = int(np.argmax(np.abs(sol.coef)))
    for delta in (1e-2, -1e-2):
        w = sol.coef.copy()
        w[j] += delta
        w = np.clip(w, pb.lower, pb.upper)
        if np.array_equal(w, sol.coef):
            continue
        with pytest.raises(AssertionError):
            check_certified(pb, w, ref.best_intercept(pb, w), tol=1e-6)
    with pytest.raises(AssertionError, match="intercept"):
        check_certified(pb, sol.coef, sol.intercept + 1e-3, tol=1e-6)
    with pytest.raises(AssertionError, match="reported gap"):
        check_certified(pb, sol.coef, sol.intercept, tol=1e-6,
                        reported_gap=sol.dual_gap + 1e-3 * pb.gap_tol(1.0))
    if bounds != "none":
        w = sol.coef.copy()
        k = int(np.argmax(np.isfinite(pb.lower)))
        w[k] = pb.lower[k] - 1e-9
        with pytest.raises(AssertionError, match="bounds"):
            check_certified(pb, w, ref.best_intercept(pb, w), tol=1e-6)


# ------------------------------------------------------------------ the sweep

# Every storage x dtype x intercept x l1_ratio, each crossed with a seeded draw of the other
# options, so that every option value meets every storage.
_OPTIONS = list(itertools.product(("none", "random", "int"),
                                  ("none", "positive", "box", "zeros"),
                                  ("cyclic", "random")))


def _sweep_cases():
    cases = []
    k = 0
    for storage, dtype, fit_intercept, l1_ratio in itertools.product(
            ("dense", "csc", "csr"), (np.float64, np.float32), (True, False), (1.0, 0.5, 0.1)):
        for rep in range(2):
            weights, pb_kind, selection = _OPTIONS[(7 * k + 5 * rep) % len(_OPTIONS)]
            k += 1
            cases.append(pytest.param(
                dict(seed=k, storage=storage, dtype=dtype, fit_intercept=fit_intercept,
                     l1_ratio=l1_ratio, weights=weights, selection=selection,
                     penalty="zeros" if pb_kind == "zeros" else "random",
                     bounds=pb_kind if pb_kind != "zeros" else "none",
                     alpha_frac=(0.3, 0.05, 0.01)[k % 3]),
                id=f"{storage}-{np.dtype(dtype).name}-icpt{int(fit_intercept)}-l1r{l1_ratio}"
                   f"-w_{weights}-{pb_kind}-{selection}-{k}"))
    return cases


SWEEP = _sweep_cases()


def _fit(case, tol=TOL, **extra):
    kw = solve_kwargs(**case)
    sol, caught = solve_quiet(enet_solve, **kw, tol=tol, max_iter=20_000, **extra)
    return kw, sol, caught


def _check_case(case):
    kw, sol, caught = _fit(case)
    pb = problem_of(kw)
    assert sol.coef.dtype == case["dtype"]
    check_certified(pb, sol.coef, sol.intercept, tol=TOL, reported_gap=sol.dual_gap,
                    float32=case["dtype"] == np.float32)
    assert sol.gap_tol == pytest.approx(pb.gap_tol(TOL), rel=1e-12)
    assert 0 <= sol.n_iter <= 20_000
    assert sol.converged and sol.dual_gap <= sol.gap_tol
    assert not [w for w in caught if issubclass(w.category, ConvergenceWarning)]


@pytest.mark.parametrize("case", SWEEP)
def test_solution_certified(case):
    _check_case(case)


def test_no_intercept_regression():
    """Was a bug (fixed in 3d5c8ce): without an intercept the kernel re-centred the residual,
    so the gap never closed and, with p > 10, features were left out of the working set."""
    rng = np.random.default_rng(0)
    X = rng.standard_normal((50, 30)) + 1.0
    y = X[:, :5] @ np.ones(5) + rng.standard_normal(50)
    sol, caught = solve_quiet(enet_solve, X=X, y=y, alpha=0.1, fit_intercept=False)
    pb = problem_of(dict(X=X, y=y, alpha=0.1, fit_intercept=False))
    check_certified(pb, sol.coef, sol.intercept, tol=1e-4, reported_gap=sol.dual_gap)
    assert sol.converged and not caught


def _hypothesis_case(seed, n, p, storage, l1_ratio, weights, kinds, selection, alpha_frac,
                     tol, fit_intercept):
    penalty, bounds = kinds.split("-")
    kw = solve_kwargs(seed, n=n, p=p, storage=storage, fit_intercept=fit_intercept,
                      l1_ratio=l1_ratio, weights=weights, penalty=penalty, bounds=bounds,
                      selection=selection, alpha_frac=alpha_frac,
                      density=0.5 if storage != "dense" else None)
    pb = problem_of(kw)
    if pb.gap_tol(1.0) <= 1e-300:
        return None  # y constant: every point meets the (zero) tolerance trivially
    sol, caught = solve_quiet(enet_solve, **kw, tol=tol, max_iter=50_000)
    check_certified(pb, sol.coef, sol.intercept, tol=tol, reported_gap=sol.dual_gap)
    assert sol.converged
    return sol


_COMMON = dict(
    seed=st.integers(0, 2**31 - 1), n=st.integers(1, 30),
    storage=st.sampled_from(["dense", "csc", "csr"]),
    l1_ratio=st.sampled_from([1.0, 0.5, 0.1, 0.0]),
    weights=st.sampled_from(["none", "unit", "random", "int"]),
    selection=st.sampled_from(["cyclic", "random"]),
    alpha_frac=st.sampled_from([2.0, 1.0, 0.5, 0.1, 0.01]),
    tol=st.sampled_from([1e-4, 1e-8]),
    fit_intercept=st.booleans())


@given(p=st.integers(1, 40), kinds=st.sampled_from(["none-none", "random-none", "zeros-none"]),
       **_COMMON)
@settings(max_examples=300, deadline=None, derandomize=True,
          suppress_health_check=[HealthCheck.too_slow])
def test_certified_hypothesis_unbounded(**case):
    _hypothesis_case(**case)


@given(p=st.integers(1, 40), kinds=st.sampled_from(["random-positive", "random-box",
                                                    "none-box"]), **_COMMON)
@settings(max_examples=250, deadline=None, derandomize=True,
          suppress_health_check=[HealthCheck.too_slow])
def test_certified_hypothesis_bounded(**case):
    _hypothesis_case(**case)


def test_positive_lasso_regression():
    """Was a bug (fixed in 3d5c8ce): the working set ranked bounded features by |q_j|, so
    with positive=True and p > 10 the solver could stall at a non-optimal point."""
    rng = np.random.default_rng(1)
    X = rng.standard_normal((40, 30))
    y = X[:, :3] @ np.array([1.0, -2.0, 1.5]) + 0.5 * rng.standard_normal(40)
    sol, caught = solve_quiet(enet_solve, X=X, y=y, alpha=0.05, positive=True)
    pb = problem_of(dict(X=X, y=y, alpha=0.05, positive=True))
    check_certified(pb, sol.coef, sol.intercept, tol=1e-4, reported_gap=sol.dual_gap)
    assert sol.converged and not caught


@pytest.mark.parametrize("bounds", ["positive", "box"])
@pytest.mark.parametrize("fit_intercept", [True, False])
def test_bounded_problems_with_many_features(bounds, fit_intercept):
    for seed in range(8):
        for l1_ratio in (1.0, 0.5, 0.1):
            kw = solve_kwargs(seed, n=40, p=30, bounds=bounds, penalty="random",
                              l1_ratio=l1_ratio, alpha_frac=0.05, fit_intercept=fit_intercept)
            sol, caught = solve_quiet(enet_solve, **kw, tol=1e-8, max_iter=5000)
            check_certified(problem_of(kw), sol.coef, sol.intercept, tol=1e-8,
                            reported_gap=sol.dual_gap)
            assert sol.converged and not caught


# ------------------------------------------------------------------ storages and dtypes agree


def _tight(kw, **extra):
    sol, caught = solve_quiet(enet_solve, **kw, tol=1e-14, max_iter=100_000, **extra)
    return sol


@pytest.mark.parametrize("seed", range(6))
@pytest.mark.parametrize("weights,penalty,bounds,l1_ratio,fit_intercept", [
    ("none", "none", "none", 1.0, True),
    ("random", "random", "box", 0.5, True),
    ("int", "zeros", "none", 1.0, True),
    ("random", "none", "positive", 0.1, True),
    ("none", "random", "box", 1.0, False),
    ("random", "zeros", "none", 0.5, False),
])
def test_storages_agree(seed, weights, penalty, bounds, l1_ratio, fit_intercept):
    base = dict(seed=seed, weights=weights, penalty=penalty, bounds=bounds, l1_ratio=l1_ratio,
                fit_intercept=fit_intercept, density=0.5, alpha_frac=0.05, n=60, p=40)
    kw = solve_kwargs(**base, storage="dense")
    Xd = kw["X"]
    ref_sol = _tight(kw)
    assert ref_sol.coef.dtype == np.float64
    pb = problem_of(kw)
    check_certified(pb, ref_sol.coef, ref_sol.intercept, tol=1e-14, reported_gap=None)
    mu = ref.strong_convexity(pb)
    for storage, idx in [("dense_c", np.int32), ("csc", np.int32), ("csc", np.int64),
                         ("csr", np.int32), ("csr", np.int64), ("csr_array", np.int32),
                         ("csc_array", np.int64)]:
        kw["X"] = to_storage(Xd, storage, np.float64, idx)
        sol = _tight(kw)
        # Both solutions are certified to gaps ~1e-14 var(y) and P - P* >= mu/2 ||w - w*||^2
        # bounds their distance (the storages round differently, and dense X with zero
        # weights drops those rows while sparse X keeps them at weight zero).
        dist = sum(np.sqrt(2 * max(s.dual_gap, 1e-16) / mu) for s in (sol, ref_sol))
        np.testing.assert_allclose(sol.coef, ref_sol.coef, rtol=0, atol=dist,
                                   err_msg=f"{storage} {np.dtype(idx).name}")
        # b = ybar - xbar.w
        assert abs(sol.intercept - ref_sol.intercept) <= np.linalg.norm(pb.xbar) * dist + 1e-12
        assert sol.coef.dtype == np.float64


@pytest.mark.parametrize("storage", ["dense", "csc", "csr"])
@pytest.mark.parametrize("seed", range(4))
def test_float32_agrees_with_float64(storage, seed):
    kw64 = solve_kwargs(seed, n=80, p=10, storage=storage, dtype=np.float32,
                        weights="random", l1_ratio=0.5 if seed % 2 else 1.0, alpha_frac=0.05)
    # same (float32-representable) values, stored as float64
    kw32 = dict(kw64)
    X32 = kw64["X"]
    kw64["X"] = X32.astype(np.float64)
    s64 = _tight(kw64)
    s32 = _tight(kw32)
    assert s32.coef.dtype == np.float32
    scale = np.max(np.abs(s64.coef))
    np.testing.assert_allclose(s32.coef, s64.coef, rtol=1e-4, atol=1e-4 * scale)
    assert s32.intercept == pytest.approx(s64.intercept, rel=1e-4, abs=1e-4)


@pytest.mark.parametrize("storage", ["dense", "csc", "csr"])
@pytest.mark.parametrize("seed", range(3))
def test_cyclic_and_random_agree_and_random_is_reproducible(storage, seed):
    kw = solve_kwargs(seed, n=50, p=30, storage=storage, fit_intercept=seed != 1,
                      weights="random", penalty="random", bounds="box" if seed == 2 else "none",
                      l1_ratio=0.5 if seed else 1.0, alpha_frac=0.02)
    kw.pop("selection"), kw.pop("random_state")
    cyc = _tight(kw, selection="cyclic")
    r1 = _tight(kw, selection="random", random_state=42)
    r2 = _tight(kw, selection="random", random_state=42)
    assert cyc.converged and r1.converged
    # Both are certified to gaps ~1e-14; P - P* >= mu/2 ||w - w*||^2 bounds their distance.
    pb = problem_of(kw)
    dist = np.sqrt(2 * max(cyc.dual_gap, 1e-16) / ref.strong_convexity(pb)) + np.sqrt(
        2 * max(r1.dual_gap, 1e-16) / ref.strong_convexity(pb))
    assert dist < 1e-5
    assert np.linalg.norm(r1.coef - cyc.coef) <= dist
    assert r1.intercept == pytest.approx(cyc.intercept, abs=dist * np.abs(pb.xbar).sum() + 1e-12)
    # exact reproducibility
    np.testing.assert_array_equal(r1.coef, r2.coef)
    assert (r1.intercept, r1.dual_gap, r1.n_iter) == (r2.intercept, r2.dual_gap, r2.n_iter)
    # at a loose tolerance, different seeds stop at different points (the seed is used)
    loose = dict(kw, tol=1e-2, max_iter=1000)
    runs = {tuple(enet_solve(**loose, selection="random", random_state=rs).coef)
            for rs in range(6)}
    assert len(runs) > 1


def test_screening_does_not_change_the_solution():
    kw = solve_kwargs(5, n=40, p=200, weights="random", penalty="random", alpha_frac=0.1)
    a = _tight(kw, screening=True)
    b = _tight(kw, screening=False)
    np.testing.assert_allclose(a.coef, b.coef, atol=1e-10)
    check_certified(problem_of(kw), a.coef, a.intercept, tol=1e-14, reported_gap=a.dual_gap)


def _split_entries(Xd, k, fmt):
    """A CSR/CSC matrix equal to Xd whose every stored value is split into k duplicate
    entries (non-canonical format: scipy allows it and l1core's validation accepts it)."""
    M = sp.coo_matrix(Xd)
    rows, cols = np.tile(M.row, k), np.tile(M.col, k)
    data = np.tile(M.data / k, k)
    major, minor = (rows, cols) if fmt == "csr" else (cols, rows)
    order = np.argsort(major, kind="stable")
    n_major = Xd.shape[0] if fmt == "csr" else Xd.shape[1]
    indptr = np.r_[0, np.cumsum(np.bincount(major, minlength=n_major))]
    cls = sp.csr_matrix if fmt == "csr" else sp.csc_matrix
    B = cls((data[order], minor[order].astype(np.int32), indptr.astype(np.int32)),
            shape=Xd.shape)
    assert not B.has_canonical_format and B.nnz == k * M.nnz
    np.testing.assert_allclose(B.toarray(), Xd, rtol=1e-15)
    return B


@pytest.mark.parametrize("fmt", ["csr", "csc"])
def test_unsorted_sparse_indices_agree_with_dense(fmt):
    Xd, y, _ = make_regression(40, 40, 12, density=0.5)
    B = to_storage(Xd, fmt)
    rng = np.random.default_rng(0)
    for k in range(B.indptr.size - 1):
        s, e = B.indptr[k], B.indptr[k + 1]
        perm = rng.permutation(e - s) + s
        B.indices[s:e], B.data[s:e] = B.indices[perm], B.data[perm]
    B.has_sorted_indices = False
    np.testing.assert_array_equal(B.toarray(), Xd)
    a = _tight(dict(X=B, y=y, alpha=0.05))
    b = _tight(dict(X=Xd, y=y, alpha=0.05))
    np.testing.assert_allclose(a.coef, b.coef, atol=1e-10)


@pytest.mark.parametrize("fmt", ["csr", "csc"])
@pytest.mark.parametrize("k", [4, 10])
def test_duplicate_sparse_entries_agree_with_dense(fmt, k):
    Xd, y, _ = make_regression(0, 40, 6, density=0.5)
    B = _split_entries(Xd, k, fmt)
    a, caught = solve_quiet(enet_solve, X=B, y=y, alpha=0.05, tol=1e-8)
    b = enet_solve(Xd, y, alpha=0.05, tol=1e-8)
    assert a.converged and not caught
    np.testing.assert_allclose(a.coef, b.coef, atol=1e-6)


@pytest.mark.parametrize("fmt", ["csr", "csc"])
def test_non_canonical_sparse_input_is_not_modified(fmt):
    """Validation must not sum duplicates or sort indices in the user's matrix."""
    import copy

    Xd, y, _ = make_regression(1, 30, 5, density=0.5)
    B = _split_entries(Xd, 2, fmt)
    B.indices[: B.indptr[1]] = B.indices[: B.indptr[1]][::-1].copy()  # and unsorted
    B.data[: B.indptr[1]] = B.data[: B.indptr[1]][::-1].copy()
    B.has_sorted_indices = False
    before = copy.deepcopy(B)
    solve_quiet(enet_solve, X=B, y=y, alpha=0.05)
    for attr in ("data", "indices", "indptr"):
        np.testing.assert_array_equal(getattr(B, attr), getattr(before, attr))
    assert B.nnz == before.nnz and not B.has_canonical_format


# ------------------------------------------------------------------ dense rows of zero weight


@pytest.mark.parametrize("pattern", ["first", "last", "block", "scattered", "alternate",
                                     "two_kept"])
@pytest.mark.parametrize("weights", ["unit", "random"])
@pytest.mark.parametrize("fit_intercept", [True, False])
def test_dense_zero_weight_rows_are_skipped_in_place(pattern, weights, fit_intercept):
    """Dense X with zero-weight rows (a CV fold) is read in place over runs of its kept rows:
    the solution is certified on the weighted problem and equals the fit on X[kept]."""
    n = 50
    kw = solve_kwargs(3, n=n, p=30, storage="dense", weights="none", penalty="zeros",
                      l1_ratio=0.7, fit_intercept=fit_intercept, alpha_frac=0.05)
    rng = np.random.default_rng(7)
    s = np.ones(n) if weights == "unit" else rng.uniform(0.3, 2.0, size=n)
    drop = {"first": np.arange(10), "last": np.arange(n - 10, n),
            "block": np.arange(20, 30), "scattered": rng.choice(n, 17, replace=False),
            "alternate": np.arange(0, n, 2), "two_kept": np.arange(2, n)}[pattern]
    s[drop] = 0.0
    kept = np.flatnonzero(s)
    kw["sample_weight"] = s
    y = kw["y"].copy()
    kw["y"] = y.copy()
    kw["y"][drop] = 1e6          # held-out targets must not matter
    sol = _tight(kw)
    pb = problem_of(kw)
    check_certified(pb, sol.coef, sol.intercept, tol=1e-14, reported_gap=sol.dual_gap)
    sub = dict(kw, X=kw["X"][kept], y=y[kept], sample_weight=s[kept])
    sub_sol = _tight(sub)
    # the same objective (both within their gaps of the optimum) ...
    p_sub = ref.primal(problem_of(sub), sub_sol.coef, sub_sol.intercept)
    assert abs(ref.primal(pb, sol.coef, sol.intercept) - p_sub) <= (
        sol.dual_gap + sub_sol.dual_gap + 1e-14 * abs(p_sub))
    # ... and, where the optimum is unique (strongly convex), the same coefficients
    mu = ref.strong_convexity(problem_of(sub))
    if mu > 1e-6:
        dist = sum(np.sqrt(2 * max(t.dual_gap, 1e-16) / mu) for t in (sol, sub_sol))
        np.testing.assert_allclose(sol.coef, sub_sol.coef, rtol=0, atol=dist + 1e-12)
