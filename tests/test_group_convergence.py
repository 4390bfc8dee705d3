"""The sparse-group lasso path with an intercept on sparse Zipf-like data reaches its tolerance
(issue 11: the inner solve used to wait at max_iter for a fraction of an outer gap that was
already near the target), with the certificate recomputed in NumPy."""

import numpy as np
import pytest
import scipy.sparse as sp

from _group_reference import blocks, duality_gap
from l1core import config_context, group_lasso_path
from l1core._groups import group_weights, parse_groups

GROUP_SIZE = 5


def zipf_problem(n=400, p=4000, tokens_per_row=40, exponent=1.1, seed=0):
    """Text-like CSC: Zipf column frequencies, rows scaled to unit norm, a sparse target."""
    rng = np.random.default_rng(seed)
    cdf = np.cumsum(np.arange(1, p + 1, dtype=float) ** -exponent)
    cdf /= cdf[-1]
    rows = np.repeat(np.arange(n), rng.poisson(tokens_per_row, n))
    cols = rng.permutation(p)[np.minimum(np.searchsorted(cdf, rng.random(rows.size)), p - 1)]
    X = sp.csr_matrix((np.ones(rows.size), (rows, cols)), shape=(n, p))
    norms = np.sqrt(np.asarray(X.multiply(X).sum(axis=1)).ravel())
    X = sp.diags(1.0 / np.maximum(norms, 1e-12)) @ X
    beta = np.zeros(p)
    beta[rng.choice(p, 20, replace=False)] = rng.standard_normal(20)
    y = X @ beta * 10 + 0.3 * rng.standard_normal(n)
    return sp.csc_matrix(X), y


@pytest.mark.parametrize("storage", [
    "csc",
    "csr-copied",       # CSR within csr_copy_budget: solved from its CSC copy (column_store)
    pytest.param("csr", marks=pytest.mark.xfail(
        strict=True, reason="issue 11, open: one alpha of this path still creeps at max_iter "
        "(block CD along a direction nearly flat across groups)"))])
def test_sparse_group_path_with_intercept_converges(storage):
    X, y = zipf_problem()
    X = X.asformat(storage.split("-")[0])
    max_iter, tol = 2000, 1e-6
    # the suite's conftest sets csr_copy_budget=0 (the CSR kernel); "csr-copied" lifts it
    with config_context(csr_copy_budget="auto" if storage == "csr-copied" else 0):
        alphas, coefs, gaps, n_iter, intercepts = group_lasso_path(
            X, y, groups=GROUP_SIZE, l1_ratio=0.5, n_alphas=50, eps=1e-2, tol=tol,
            max_iter=max_iter, return_intercept=True)
    assert n_iter.max() < max_iter
    ptr, feat = parse_groups(GROUP_SIZE, X.shape[1])
    groups, gw, s = blocks(ptr, feat), group_weights(None, ptr), np.ones(len(y))
    gap_tol = tol * np.mean((y - y.mean()) ** 2)
    for k in range(0, alphas.size, 7):
        gap = duality_gap(X, y, coefs[:, k].astype(float), intercepts[k], s, groups, gw,
                          alphas[k], 0.5)
        assert gap <= gap_tol * (1 + 1e-6) + 1e-15
        assert gaps[k] <= gap_tol
