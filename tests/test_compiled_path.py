"""The compiled Gram-form path (``enet_gram_path``, taken by enet_path for dense tall X
without progress output or dfmax/pmax) gives the per-alpha driver's answers, certified
against the NumPy reference at every alpha."""

import numpy as np
import pytest

import _reference as ref
from conftest import check_certified
from l1core import enet_path, lasso_path
from l1core._enet_solver import EnetProblem
from l1core.datasets import load_diabetes


def problem(seed, n=300, p=12):
    rng = np.random.default_rng(seed)
    X = rng.standard_normal((n, p)) @ np.diag(rng.uniform(0.5, 3.0, p)) + rng.uniform(-2, 2, p)
    X[:, 1] = X[:, 0] + 0.1 * rng.standard_normal(n)        # correlated pair
    y = X[:, :4] @ np.array([2.0, -1.5, 0.0, 1.0]) + rng.standard_normal(n)
    return np.asfortranarray(X), y, rng


def per_alpha(monkeypatch, *args, **kwargs):
    """The same path from the per-alpha Python driver."""
    with monkeypatch.context() as m:
        m.setattr(EnetProblem, "compiled_path_applies", lambda self, alphas: False)
        return enet_path(*args, **kwargs)


def spy_compiled(monkeypatch):
    calls = []
    original = EnetProblem.gram_path

    def spy(self, *a, **k):
        calls.append(1)
        return original(self, *a, **k)

    monkeypatch.setattr(EnetProblem, "gram_path", spy)
    return calls


OPTIONS = {
    "lasso": dict(l1_ratio=1.0),
    "enet": dict(l1_ratio=0.4),
    "weights_factors": dict(l1_ratio=0.8, sample_weight="w", penalty_factor="v"),
    "positive": dict(l1_ratio=1.0, positive=True),
    "no_intercept": dict(l1_ratio=0.7, fit_intercept=False),
    "bounds": dict(l1_ratio=1.0, lower_bounds=-0.5, upper_bounds=1.2),
}


@pytest.mark.parametrize("name", sorted(OPTIONS))
@pytest.mark.parametrize("seed", [0, 1])
def test_compiled_path_equals_per_alpha_driver_and_is_certified(monkeypatch, name, seed):
    X, y, rng = problem(seed)
    kw = dict(OPTIONS[name])
    kw.setdefault("fit_intercept", True)
    if kw.get("sample_weight") == "w":
        kw["sample_weight"] = rng.uniform(0, 2, X.shape[0])
        kw["penalty_factor"] = np.r_[0.0, rng.uniform(0.5, 2, X.shape[1] - 1)]
    tol = 1e-10
    calls = spy_compiled(monkeypatch)
    fast = enet_path(X, y, n_alphas=30, tol=tol, return_n_iter=True, return_intercept=True,
                     **kw)
    assert calls, "the compiled path was not taken"
    slow = per_alpha(monkeypatch, X, y, n_alphas=30, tol=tol, return_n_iter=True,
                     return_intercept=True, **kw)
    np.testing.assert_array_equal(fast.alphas, slow.alphas)
    scale = np.abs(slow.coefs).max()
    np.testing.assert_allclose(fast.coefs, slow.coefs, rtol=1e-7, atol=1e-7 * scale)
    np.testing.assert_allclose(fast.intercepts, slow.intercepts, rtol=1e-7, atol=1e-7)
    np.testing.assert_allclose(fast.deviance_explained, slow.deviance_explained, atol=1e-9)
    assert np.abs(fast.n_iters - slow.n_iters).max() <= 1       # the same algorithm
    l1_ratio = kw.pop("l1_ratio")
    fit_intercept = kw["fit_intercept"]
    for k in range(0, 30, 5):
        pb = ref.make_problem(X, y, alpha=fast.alphas[k], l1_ratio=l1_ratio, **kw)
        check_certified(pb, fast.coefs[:, k], fast.intercepts[k] if fit_intercept else 0.0,
                        tol=tol, reported_gap=fast.dual_gaps[k])


def test_diabetes_path_float32_sparse_coefs_and_random(monkeypatch):
    X, y, _ = load_diabetes()
    calls = spy_compiled(monkeypatch)
    fast = lasso_path(np.asfortranarray(X, dtype=np.float32), y.astype(np.float32), tol=1e-6)
    slow = per_alpha(monkeypatch, np.asfortranarray(X, dtype=np.float32),
                     y.astype(np.float32), l1_ratio=1.0, tol=1e-6)
    assert calls and fast.coefs.dtype == np.float32
    np.testing.assert_allclose(fast.coefs, slow.coefs, rtol=1e-5, atol=1e-3)
    sparse = lasso_path(X, y, sparse_coefs=True)
    dense = lasso_path(X, y)
    np.testing.assert_array_equal(sparse.coefs.toarray(), dense.coefs)
    assert sparse.coefs.nnz == np.count_nonzero(dense.coefs)
    rand = lasso_path(X, y, selection="random", random_state=0, tol=1e-10)
    np.testing.assert_allclose(rand.coefs, lasso_path(X, y, tol=1e-10).coefs, rtol=1e-6,
                               atol=1e-4)
    again = lasso_path(X, y, selection="random", random_state=0, tol=1e-10)
    np.testing.assert_array_equal(rand.coefs, again.coefs)


def test_what_the_compiled_path_does_not_take(monkeypatch):
    X, y, _ = problem(3)
    calls = spy_compiled(monkeypatch)
    enet_path(X, y, n_alphas=5, dfmax=3)                       # per-alpha limits
    enet_path(X, y, alphas=[1.0, 0.5, 0.0])                    # alpha = 0: all free
    enet_path(X, y, n_alphas=5, penalty_factor=np.r_[0.0, np.ones(11)], lower_bounds=0.0)
    enet_path(X, y, n_alphas=5, precompute=False)               # no Gram form
    assert not calls
    enet_path(X, y, n_alphas=5)
    assert calls


def test_compiled_path_warns_when_short_of_tol(monkeypatch):
    X, y, _ = problem(4)
    calls = spy_compiled(monkeypatch)
    with pytest.warns(Warning, match="did not converge|duality gap"):
        enet_path(X, y, n_alphas=10, tol=1e-14, max_iter=1, l1_ratio=0.5)
    assert calls
