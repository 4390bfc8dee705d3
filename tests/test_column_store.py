"""A CSR design matrix is solved from its CSC copy when the copy fits ``csr_copy_budget``
(l1core._config), in place otherwise; the answers agree and the user's matrix is untouched.

conftest.py sets the budget to 0 for the rest of the suite (so its CSR cases run the CSR
kernels); these tests set it themselves."""

import numpy as np
import pytest
import scipy.sparse as sp

import l1core
from l1core import (ElasticNetCV, Lasso, SparseLogisticRegression, config_context, enet_path,
                    get_config, set_config)
from l1core._column_store import column_store, csc_copy_bytes
from l1core._enet_solver import EnetProblem
from l1core._logistic_solver import LogisticProblem


def sparse_problem(seed=0, n=120, p=300, density=0.05, index_dtype=np.int32):
    rng = np.random.default_rng(seed)
    X = sp.random_array((n, p), density=density, format="csr", rng=rng,
                        data_sampler=rng.standard_normal)
    X.indices = X.indices.astype(index_dtype)
    X.indptr = X.indptr.astype(index_dtype)
    w = np.zeros(p)
    w[:8] = rng.standard_normal(8) * 3
    y = X @ w + 0.1 * rng.standard_normal(n)
    return X, y


def snapshot(X):
    return X.data.copy(), X.indices.copy(), X.indptr.copy()


@pytest.mark.parametrize("index_dtype", [np.int32, np.int64])
@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_copy_within_budget_is_the_canonical_csc_of_x(dtype, index_dtype):
    X, _ = sparse_problem(index_dtype=index_dtype)
    X = X.astype(dtype)
    before = snapshot(X)
    with config_context(csr_copy_budget="auto"):
        C = column_store(X)
    assert C.format == "csc" and C.dtype == dtype and C.has_canonical_format
    np.testing.assert_array_equal(C.toarray(), X.toarray())
    for old, new in zip(before, snapshot(X)):
        np.testing.assert_array_equal(old, new)
    assert X.format == "csr"


def test_budget_decides_and_zero_keeps_csr():
    X, _ = sparse_problem()
    size = csc_copy_bytes(X)
    assert size == X.nnz * 12 + (X.shape[1] + 1) * 4
    with config_context(csr_copy_budget=size):
        assert column_store(X).format == "csc"
    with config_context(csr_copy_budget=size - 1):
        assert column_store(X) is X
    with config_context(csr_copy_budget=0):
        assert column_store(X) is X
    dense = np.asfortranarray(X.toarray())
    assert column_store(dense) is dense
    C = X.tocsc()
    assert column_store(C) is C


def test_problems_hold_the_copy_by_default():
    X, y = sparse_problem()
    with config_context(csr_copy_budget="auto"):
        assert EnetProblem(X, y).X.format == "csc"
        assert LogisticProblem(X, (y > 0).astype(np.intp)).X.format == "csc"
    with config_context(csr_copy_budget=0):
        assert EnetProblem(X, y).X.format == "csr"


def test_fits_from_the_copy_equal_the_csc_fits_and_the_in_place_csr_fits():
    X, y = sparse_problem(1)
    labels = (y > np.median(y)).astype(int)
    C = X.tocsc()
    with config_context(csr_copy_budget="auto"):
        lasso = Lasso(alpha=0.05, tol=1e-10).fit(X, y)
        logit = SparseLogisticRegression(alpha=0.02, tol=1e-10).fit(X, labels)
        path = enet_path(X, y, n_alphas=10, tol=1e-10)
    # the same kernel on the same arrays: the same floats
    np.testing.assert_array_equal(lasso.coef_, Lasso(alpha=0.05, tol=1e-10).fit(C, y).coef_)
    np.testing.assert_array_equal(
        logit.coef_, SparseLogisticRegression(alpha=0.02, tol=1e-10).fit(C, labels).coef_)
    with config_context(csr_copy_budget=0):
        in_place = Lasso(alpha=0.05, tol=1e-10).fit(X, y)
        path_csr = enet_path(X, y, n_alphas=10, tol=1e-10)
    np.testing.assert_allclose(lasso.coef_, in_place.coef_, rtol=1e-7, atol=1e-9)
    np.testing.assert_allclose(path.coefs, path_csr.coefs, rtol=1e-6, atol=1e-8)


def test_cross_validation_threads_see_the_setting(monkeypatch):
    """The folds' problems, built on CV's worker threads, follow the caller's setting."""
    import l1core._enet_solver as enet_solver

    seen = []

    def spy(X):
        out = column_store(X)
        seen.append((X.format, out.format))
        return out

    monkeypatch.setattr(enet_solver, "column_store", spy)
    X, y = sparse_problem(2)
    y = y + np.random.default_rng(3).standard_normal(y.size)     # an inner optimal alpha
    fits = {}
    for budget in ("auto", 0):
        seen.clear()
        with config_context(csr_copy_budget=budget):
            fits[budget] = ElasticNetCV(l1_ratio=0.5, cv=3, n_alphas=8, n_jobs=2, eps=1e-4,
                                        tol=1e-9).fit(X, y)
        assert len(seen) >= 4 and {f for f, _ in seen} == {"csr"}      # 3 folds and the refit
        assert {out for _, out in seen} == ({"csc"} if budget == "auto" else {"csr"})
    assert fits["auto"].alpha_ == pytest.approx(fits[0].alpha_)
    np.testing.assert_allclose(fits["auto"].mse_path_, fits[0].mse_path_, rtol=1e-6)


def test_settings_are_validated_and_restored():
    start = get_config()
    for bad in (-1, "big", True, float("nan")):
        with pytest.raises(ValueError, match="csr_copy_budget"):
            set_config(csr_copy_budget=bad)
    assert get_config() == start
    with pytest.raises(RuntimeError):
        with config_context(csr_copy_budget=123):
            assert l1core.get_config()["csr_copy_budget"] == 123
            raise RuntimeError
    assert get_config() == start
