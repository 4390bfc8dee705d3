"""No hidden copies of X: float32 X is read in its own dtype by every path, CV and fit.

NumPy reports its allocations to tracemalloc, so the peak traced memory of a call bounds
every array it allocated: a float64 copy of float32 X (what ``X.T @ float64_vector`` makes in
scipy and NumPy) alone is 2x X's values. The problems are a few MB, so O(n + p) work arrays
stay far below the bounds. Also: alpha_max and the X^T V primitive keep float64 accuracy on
float32 X.
"""

import tracemalloc

import numpy as np
import pytest
import scipy.sparse as sp

from l1core import (ElasticNet, Lasso, LassoCV, SparseLogisticRegression,
                    SparseLogisticRegressionCV, enet_path, lasso_path, logistic_path)
from l1core import _enet_solver
from l1core._design_ops import rows_dot, xt_dot
from l1core._enet_solver import EnetProblem
from l1core._logistic import logistic_alpha_max

import _reference as ref

# fraction of X's bytes a call may allocate on top of X: a float64 copy of the values of
# float32 X is 1.0 for dense X and about 1.0 for CSR/CSC with int32 indices; cross-validation
# predicts the test rows from X in place (dense: in small blocks)
BOUND = 0.3


def _nbytes(X):
    if sp.issparse(X):
        return X.data.nbytes + X.indices.nbytes + X.indptr.nbytes
    return X.nbytes


def _peak(call):
    tracemalloc.start()
    try:
        call()
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


@pytest.fixture(scope="module", params=["csr", "csc", "dense"])
def data(request):
    """float32 X of about 8 MB, a regression target and 2- and 3-class labels."""
    rng = np.random.default_rng(0)
    if request.param == "dense":
        n, p = 8000, 250
        X = np.asfortranarray(rng.standard_normal((n, p), dtype=np.float32))
    else:
        n, p, k = 5000, 2000, 200       # k values per row, one in each of k column bins
        cols = rng.integers(0, p // k, size=(n, k)) + np.arange(0, p, p // k)
        X = sp.csr_matrix((rng.standard_normal(n * k, dtype=np.float32), cols.ravel(),
                           np.arange(0, n * k + 1, k)), shape=(n, p))
        X = X.tocsc() if request.param == "csc" else X
    w = np.zeros(p)
    w[:10] = 1.0
    y = np.asarray(X @ w, dtype=np.float64).ravel() + 0.5 * rng.standard_normal(n)
    labels = np.digitize(y, np.quantile(y, [1 / 3, 2 / 3]))
    return X, y, (y > np.median(y)).astype(int), labels


# precompute=False: the dense Gram form holds p x p and bounded row blocks, not copies of X
CALLS = {
    "lasso_path": lambda X, y, c, m: lasso_path(X, y, n_alphas=5, eps=0.1, precompute=False),
    "enet_path": lambda X, y, c, m: enet_path(X, y, l1_ratio=0.5, n_alphas=5, eps=0.1,
                                              fit_intercept=True, precompute=False),
    "Lasso": lambda X, y, c, m: Lasso(alpha=0.1, precompute=False).fit(X, y),
    "ElasticNet": lambda X, y, c, m: ElasticNet(alpha=0.1, precompute=False).fit(X, y),
    "logistic_path": lambda X, y, c, m: logistic_path(X, c, n_alphas=5, eps=0.1),
    "logistic_fit": lambda X, y, c, m: SparseLogisticRegression(alpha=0.01).fit(X, c),
    "multinomial_fit": lambda X, y, c, m: SparseLogisticRegression(alpha=0.02).fit(X, m),
    "ovr_fit": lambda X, y, c, m: SparseLogisticRegression(alpha=0.02,
                                                           multi_class="ovr").fit(X, m),
}
# small eps: the supports are large, so are any copies of the test rows' support columns
CV_CALLS = {
    "LassoCV": lambda X, y, c, m: LassoCV(n_alphas=4, eps=1e-3, cv=3, max_iter=50,
                                          precompute=False).fit(X, y),
    "LogisticCV": lambda X, y, c, m: SparseLogisticRegressionCV(n_alphas=2, eps=0.01, cv=3,
                                                                max_iter=30).fit(X, c),
    "MultinomialCV": lambda X, y, c, m: SparseLogisticRegressionCV(n_alphas=2, eps=0.1, cv=3,
                                                                   max_iter=30).fit(X, m),
}


@pytest.mark.filterwarnings("ignore::l1core.ConvergenceWarning")
@pytest.mark.parametrize("name", sorted(CALLS))
def test_fits_and_paths_do_not_copy_float32_X(data, name):
    X, y, codes, labels = data
    peak = _peak(lambda: CALLS[name](X, y, codes, labels))
    assert peak < BOUND * _nbytes(X), f"{name}: peak {peak / _nbytes(X):.2f} x X"


@pytest.mark.filterwarnings("ignore::l1core.ConvergenceWarning")
@pytest.mark.parametrize("name", sorted(CV_CALLS))
def test_cross_validation_does_not_copy_float32_X(data, name):
    X, y, codes, labels = data
    peak = _peak(lambda: CV_CALLS[name](X, y, codes, labels))
    assert peak < BOUND * _nbytes(X), f"{name}: peak {peak / _nbytes(X):.2f} x X"


@pytest.mark.filterwarnings("ignore::l1core.ConvergenceWarning")
def test_predictions_along_the_kept_path_do_not_copy_float32_X(data):
    """predict for every alpha of a path, and the CV estimators' predict(X, alpha=...),
    read only the support's columns of X in X's dtype (dense: in blocks of rows)."""
    X, y, codes, _ = data
    cv = LassoCV(n_alphas=4, eps=1e-3, cv=3, max_iter=50, precompute=False).fit(X, y)
    logit = SparseLogisticRegressionCV(n_alphas=3, eps=0.01, cv=3, max_iter=30).fit(X, codes)
    assert cv.path_.n_nonzero.max() > 50
    calls = {"path.predict": lambda: cv.path_.predict(X),
             "LassoCV.predict(alpha)": lambda: cv.predict(X, alpha="1se"),
             "LogisticCV.decision_function(alpha)": lambda: logit.decision_function(
                 X, alpha=0.5 * (logit.alphas_[0] + logit.alphas_[1]))}
    for name, call in calls.items():
        peak = _peak(call)
        assert peak < BOUND * _nbytes(X), f"{name}: peak {peak / _nbytes(X):.2f} x X"


# --------------------------------------------------------------------------- accuracy


def _float32_problem(storage, seed=0, n=300, p=80):
    rng = np.random.default_rng(seed)
    X = rng.standard_normal((n, p)).astype(np.float32)
    X[rng.random((n, p)) < 0.7] = 0.0
    X += np.float32(3.0)                      # large means: centering matters
    y = X[:, :3].astype(np.float64) @ [1.0, -2.0, 0.5] + rng.standard_normal(n)
    M = {"dense": np.asfortranarray(X), "dense_c": np.ascontiguousarray(X),
         "csc": sp.csc_matrix(X), "csr": sp.csr_matrix(X)}[storage]
    return M, X.astype(np.float64), y, rng


@pytest.mark.parametrize("storage", ["dense", "dense_c", "csc", "csr"])
def test_xt_dot_of_float32_X_accumulates_in_float64(storage):
    M, X64, _, rng = _float32_problem(storage)
    v = rng.standard_normal(X64.shape[0])
    V = rng.standard_normal((X64.shape[0], 3))
    out = xt_dot(M, v)
    assert out.dtype == np.float64 and out.shape == (X64.shape[1],)
    np.testing.assert_allclose(out, X64.T @ v, rtol=1e-12, atol=1e-12)
    np.testing.assert_allclose(xt_dot(M, V), X64.T @ V, rtol=1e-12, atol=1e-12)


@pytest.mark.parametrize("storage", ["csc", "csr"])
def test_rows_dot_is_the_product_of_the_selected_block(storage):
    M, X64, _, rng = _float32_problem(storage)
    rows, support = np.array([0, 3, 4, 120, 299]), np.array([1, 2, 40, 79])
    W = rng.standard_normal((support.size, 6))
    out = np.ones((rows.size, 6))
    rows_dot(M, rows, support, W, out)
    np.testing.assert_allclose(out, 1.0 + X64[np.ix_(rows, support)] @ W, rtol=1e-12)
    with pytest.raises(ValueError, match="out of range"):
        rows_dot(M, np.array([0, 300]), support, W, np.zeros((2, 6)))


@pytest.mark.parametrize("storage", ["dense", "csc", "csr"])
def test_alpha_max_of_float32_X_matches_float64(storage):
    M, X64, y, rng = _float32_problem(storage)
    sw = rng.uniform(0.5, 2.0, y.size)
    expected = ref.alpha_max(X64, y, sample_weight=sw)
    got = EnetProblem(M, y, sample_weight=sw).alpha_max()
    assert got == pytest.approx(expected, rel=1e-10)
    assert lasso_path(M, y, n_alphas=2, sample_weight=sw,
                      fit_intercept=True)[0][0] == pytest.approx(expected, rel=1e-10)


@pytest.mark.parametrize("storage", ["dense", "csc", "csr"])
def test_logistic_alpha_max_of_float32_X_matches_float64(storage):
    M, X64, y, _ = _float32_problem(storage)
    codes = (y > np.median(y)).astype(int)
    pbar = codes.mean()
    expected = np.max(np.abs(X64.T @ (codes - pbar))) / y.size
    assert logistic_alpha_max(M, codes) == pytest.approx(expected, rel=1e-10)
    labels = np.digitize(y, np.quantile(y, [1 / 3, 2 / 3]))
    Y = np.equal.outer(labels, np.arange(3))
    expected3 = np.max(np.abs(X64.T @ (Y - Y.mean(axis=0)))) / y.size
    assert logistic_alpha_max(M, labels, n_classes=3) == pytest.approx(expected3, rel=1e-10)


@pytest.mark.parametrize("fit_intercept", [True, False])
def test_gram_form_reads_float32_X_in_row_blocks(monkeypatch, fit_intercept):
    """The Gram form (dense tall X) builds X~^T X~ from blocks of rows: with small blocks its
    temporaries are the p x p matrix (0.04x X here) and one block, never a float64 copy of X
    (the column means once were ``weights @ X``: 2x X) or a mask of X (``X != 0``: 0.25x)."""
    monkeypatch.setattr(_enet_solver, "_GRAM_BLOCK_VALUES", 1 << 14)
    rng = np.random.default_rng(1)
    n, p = 10_000, 200                        # X: 8 MB; X != 0 alone would be 2 MB
    X = np.asfortranarray(rng.standard_normal((n, p), dtype=np.float32))
    y = X[:, :5].astype(np.float64).sum(axis=1) + rng.standard_normal(n)
    peak = _peak(lambda: lasso_path(X, y, n_alphas=5, eps=0.1, precompute=True,
                                    fit_intercept=fit_intercept))
    assert peak < BOUND * X.nbytes, f"peak {peak / X.nbytes:.2f} x X"
