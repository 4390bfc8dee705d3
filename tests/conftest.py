"""Shared, seeded problem generators and solution checks for the Elastic Net tests.

Everything random is drawn from ``np.random.default_rng(seed)`` with an explicit seed, so a
failing case is reproduced by its test id. The NumPy reference of design.md section 2 lives in
``tests/_reference.py``.
"""

import os
import sys
import warnings

import numpy as np
import pytest
import scipy.sparse as sp

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))  # for `import _reference`

import _reference as ref  # noqa: E402

import l1core  # noqa: E402

# The suite's CSR cases test the CSR kernels themselves: no CSC copy of a CSR X (users get one
# by default within a memory budget; tests/test_column_store.py tests that default).
l1core.set_config(csr_copy_budget=0)

STORAGES = ("dense", "csc", "csr")


@pytest.fixture
def rng():
    return np.random.default_rng(0)


# --------------------------------------------------------------------------- data


def to_storage(X, storage, dtype=np.float64, index_dtype=np.int32):
    """``X`` (dense ndarray) as ``storage``:

    "dense"/"dense_f" (Fortran), "dense_c", "csc", "csr", "csc_array", "csr_array";
    sparse index arrays of ``index_dtype``. A new object: X is not modified.
    """
    X = np.asarray(X)
    if storage in ("dense", "dense_f"):
        return np.asfortranarray(X, dtype=dtype)
    if storage == "dense_c":
        return np.ascontiguousarray(X, dtype=dtype)
    fmt, _, kind = storage.partition("_")
    M = sp.csc_matrix(X.astype(dtype)) if fmt == "csc" else sp.csr_matrix(X.astype(dtype))
    M.indices = M.indices.astype(index_dtype)
    M.indptr = M.indptr.astype(index_dtype)
    if kind == "array":
        M = (sp.csc_array if fmt == "csc" else sp.csr_array)(M)
        M.indices = M.indices.astype(index_dtype)
        M.indptr = M.indptr.astype(index_dtype)
    assert M.indices.dtype == index_dtype and M.indptr.dtype == index_dtype
    return M


def make_regression(seed, n=40, p=12, *, density=None, n_informative=4, noise=0.5,
                    shift=1.0, dtype=np.float64):
    """Seeded (X, y, w_true) with X dense (values exactly representable in ``dtype``).

    ``density`` < 1 zeroes entries (so the sparse storages have real structure); ``shift``
    gives the columns and y non-zero means (the intercept matters).
    """
    rng = np.random.default_rng(seed)
    X = rng.standard_normal((n, p)) + shift * rng.uniform(-1, 1, size=p)
    if density is not None:
        X *= rng.uniform(size=(n, p)) < density
    X = X.astype(dtype).astype(np.float64)
    w = np.zeros(p)
    idx = rng.choice(p, size=min(n_informative, p), replace=False)
    w[idx] = rng.uniform(1, 3, size=idx.size) * rng.choice([-1, 1], size=idx.size)
    y = X @ w + noise * rng.standard_normal(n) + shift * 2.0
    return X, y, w


def random_sample_weight(rng, n, kind):
    """None, all ones, positive reals with ~15% zeros, or small integers (some zero)."""
    if kind == "none":
        return None
    if kind == "unit":
        return np.ones(n)
    if kind == "random":
        s = rng.uniform(0.2, 3.0, size=n)
        s[rng.uniform(size=n) < 0.15] = 0.0
        s[0] = 1.0  # keep a positive sum
        return s
    if kind == "int":
        s = rng.integers(0, 4, size=n).astype(np.float64)
        s[0] = 1.0
        return s
    raise ValueError(kind)


def random_penalty_factor(rng, p, kind):
    """None, positive factors, or factors with a few zeros (unpenalized columns)."""
    if kind == "none":
        return None
    pf = rng.uniform(0.5, 2.0, size=p)
    if kind == "zeros":
        pf[rng.choice(p, size=max(1, p // 6), replace=False)] = 0.0
    return pf


def random_bounds(rng, p, kind):
    """(lower, upper, positive): no bounds, positive=True, or a general box in which some
    coordinates have boxes that exclude 0 (lower > 0 or upper < 0) and some are one-sided."""
    if kind == "none":
        return None, None, False
    if kind == "positive":
        return None, None, True
    if kind == "box":
        lower = np.full(p, -np.inf)
        upper = np.full(p, np.inf)
        js = rng.permutation(p)
        k = max(1, p // 6)
        lower[js[:k]] = -rng.uniform(0.05, 0.5, size=k)  # tight two-sided boxes around 0
        upper[js[:k]] = rng.uniform(0.05, 0.5, size=k)
        lower[js[k:2 * k]] = rng.uniform(0.1, 0.5, size=k)  # box excluding 0 (above)
        upper[js[k:2 * k]] = lower[js[k:2 * k]] + rng.uniform(0.1, 1.0, size=k)
        upper[js[2 * k:3 * k]] = -rng.uniform(0.1, 0.5, size=k)  # one-sided, excludes 0
        lower[js[3 * k:4 * k]] = 0.0  # one-sided at 0
        return lower, upper, False
    raise ValueError(kind)


def solve_kwargs(seed, *, n=40, p=12, storage="dense", dtype=np.float64, fit_intercept=True,
                 weights="none", penalty="none", bounds="none", l1_ratio=1.0,
                 selection="cyclic", alpha_frac=0.1, density=None, index_dtype=np.int32):
    """Arguments of ``enet_solve`` for a seeded random problem, with X in ``storage``.

    alpha is ``alpha_frac`` times alpha_max (computed on the penalized columns), so the
    solution has a few non-zeros.
    """
    rng = np.random.default_rng(seed)
    if density is None and storage not in ("dense", "dense_f", "dense_c"):
        density = 0.4
    Xd, y, _ = make_regression(seed, n, p, density=density, dtype=dtype)
    s = random_sample_weight(rng, n, weights)
    pf = random_penalty_factor(rng, p, penalty)
    lower, upper, positive = random_bounds(rng, p, bounds)
    if pf is not None and np.any(pf == 0):
        # Unpenalized columns stay unbounded here (see test_unpenalized_column_at_bound).
        free = pf == 0
        if lower is not None:
            lower[free], upper[free] = -np.inf, np.inf
        assert not positive
    amax = ref.alpha_max(Xd, y, l1_ratio=max(l1_ratio, 1e-3), sample_weight=s,
                         penalty_factor=pf, fit_intercept=fit_intercept)
    return dict(
        X=to_storage(Xd, storage, dtype, index_dtype), y=y, alpha=alpha_frac * amax,
        l1_ratio=l1_ratio, sample_weight=s, penalty_factor=pf, lower_bounds=lower,
        upper_bounds=upper, positive=positive, fit_intercept=fit_intercept,
        selection=selection, random_state=seed if selection == "random" else None,
    )


def problem_of(kw):
    """The reference :class:`_reference.Problem` of ``enet_solve`` keyword arguments."""
    return ref.make_problem(
        kw["X"], kw["y"], alpha=kw["alpha"], l1_ratio=kw.get("l1_ratio", 1.0),
        sample_weight=kw.get("sample_weight"), penalty_factor=kw.get("penalty_factor"),
        lower_bounds=kw.get("lower_bounds"), upper_bounds=kw.get("upper_bounds"),
        positive=kw.get("positive", False), fit_intercept=kw.get("fit_intercept", True))


def solve_quiet(solve, **kw):
    """Call ``solve(**kw)`` and return (result, list of warnings raised)."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        out = solve(**kw)
    return out, caught


# --------------------------------------------------------------------------- certification


def check_certified(pb, coef, intercept, *, tol, reported_gap=None, float32=False,
                    check_reported=True):
    """Assert that (coef, intercept) is certified optimal for ``pb`` to the stopping rule.

    1. bounds hold exactly;
    2. the intercept is the optimal one for coef (weighted residual sums to ~0);
    3. the NumPy duality gap at the solution is <= tol * weighted variance of y (+ slack
       for float32, whose coefficients are rounded after the solve);
    4. the reported gap agrees with the recomputed one (check_reported);
    5. coordinate-wise optimality certified by the gap: no single-coordinate move decreases
       P by more than the gap, and each KKT residual is within the bound the gap implies.
    Returns the recomputed gap.
    """
    coef = np.asarray(coef, dtype=np.float64)
    scale = float(pb.sw @ (pb.y - pb.ybar) ** 2) + float(pb.sw @ pb.y**2) * 1e-3
    slack = (1e-6 if float32 else 1e-11) * scale
    assert np.all(np.isfinite(coef)) and np.isfinite(intercept)
    # float32 coefficients are rounded after the solve: allow one float32 rounding here
    # (exact bounds for float32 are test_float32_coef_respects_bounds)
    bt = 6e-8 * np.abs(coef) if float32 else 0.0
    assert np.all(coef >= pb.lower - bt) and np.all(coef <= pb.upper + bt), "bounds violated"
    coef = np.clip(coef, pb.lower, pb.upper)
    if pb.fit_intercept:
        assert abs(ref.intercept_residual(pb, coef, intercept)) <= (
            (1e-5 if float32 else 1e-9) * np.sqrt(scale) + 1e-12), "intercept not optimal"
    else:
        assert intercept == 0.0
    gap = ref.duality_gap(pb, coef, intercept)
    gap_tol = pb.gap_tol(tol)
    assert gap >= -slack, f"negative gap {gap}: the reference dual point is wrong"
    assert gap <= gap_tol * (1 + 1e-9) + slack, f"gap {gap:.3e} > tolerance {gap_tol:.3e}"
    if check_reported and reported_gap is not None:
        assert abs(reported_gap - gap) <= 1e-6 * abs(gap) + 1e-3 * gap_tol + slack, (
            f"reported gap {reported_gap:.6e} != recomputed {gap:.6e}")
    bound = max(gap, 0.0) + slack
    decrease, viol, allowed = coordinate_certificate(pb, coef, intercept, bound)
    assert np.all(decrease <= bound * (1 + 1e-9) + slack), (
        f"a coordinate step decreases P by {decrease.max():.3e} > gap {bound:.3e}")
    assert np.all(viol <= allowed), (
        f"KKT violation {viol[np.argmax(viol - allowed)]:.3e} above "
        f"{allowed[np.argmax(viol - allowed)]:.3e}")
    return gap


def coordinate_certificate(pb, w, b, gap):
    """Per coordinate j: the exact decrease of P(w + d e_j, best b) over d (a 1-D convex
    problem solved in closed form), the KKT violation (distance of 0 from the subdifferential)
    and the violation the gap allows:  max(sqrt(2 L_j gap), 2 gap / dist_j) (L_j the
    coordinate curvature, dist_j the distance to the next kink or bound in the descent
    direction), plus rounding slack."""
    X = pb.X
    sw = pb.sw
    Xc = X - pb.xbar
    H = sw @ Xc**2
    r = pb.y - X @ w - b
    if pb.fit_intercept:
        r = r - sw @ r
    g = -(Xc.T @ (sw * r))
    a, c, lo, up = pb.a, pb.c, pb.lower, pb.upper
    p = w.size
    decrease = np.zeros(p)
    viol = np.zeros(p)
    allowed = np.zeros(p)
    gscale = np.sqrt(H * float(sw @ r**2)) + np.abs(g)
    for j in range(p):
        L = H[j] + c[j]
        if L <= 0:
            continue

        def phi(x, j=j):
            d = x - w[j]
            return g[j] * d + 0.5 * H[j] * d * d + a[j] * abs(x) + 0.5 * c[j] * x * x

        z = H[j] * w[j] - g[j]
        x = np.sign(z) * max(abs(z) - a[j], 0.0) / L
        x = min(max(x, lo[j]), up[j])
        decrease[j] = max(phi(w[j]) - phi(x), 0.0)
        sgn = np.sign(w[j])
        dplus = g[j] + c[j] * w[j] + a[j] * (sgn if w[j] != 0 else 1.0)
        dminus = g[j] + c[j] * w[j] + a[j] * (sgn if w[j] != 0 else -1.0)
        vp = max(-dplus, 0.0) if w[j] < up[j] else 0.0
        vm = max(dminus, 0.0) if w[j] > lo[j] else 0.0
        if vp >= vm:
            viol[j] = vp
            dist = min(up[j] - w[j], -w[j] if w[j] < 0 else np.inf)
        else:
            viol[j] = vm
            dist = min(w[j] - lo[j], w[j] if w[j] > 0 else np.inf)
        allowed[j] = max(np.sqrt(2 * L * gap), 2 * gap / dist if dist > 0 else np.inf)
        allowed[j] = allowed[j] * (1 + 1e-6) + 1e-9 * gscale[j] + 1e-13
    return decrease, viol, allowed


def objective(pb, coef, intercept=None):
    return ref.primal(pb, coef, intercept)
