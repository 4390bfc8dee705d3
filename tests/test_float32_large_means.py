"""float32 X with columns of large mean (timestamps, prices): the intercept is that of the
coefficients as returned, rounded to float32, so the rounding of a coefficient times a column
mean of 1e6 does not become an offset of every prediction. Found by the Fused Lasso fuzz
suite (tests/test_fuzz_fused.py) and then in every solver that returns float32 coefficients:
the predictions of a float32 fit were 0.04 (Lasso), 0.015 (group, multi-task) and 0.1
(logistic decision function) away from the float64 fit's on the same values; now ~1e-7."""

import warnings

import numpy as np
import pytest
import scipy.sparse as sp

from l1core import (ElasticNet, FusedLasso, GroupLasso, Lasso, SparseLogisticRegression,
                    enet_path, fused_lasso_path)
from l1core.group_logistic import GroupLogisticRegression
from l1core.multitask import MultiTaskLasso

STORAGES = {"dense": np.asfortranarray, "csc": sp.csc_matrix, "csr": sp.csr_matrix}


@pytest.fixture(scope="module")
def data():
    rng = np.random.default_rng(0)
    n, p = 60, 6
    Z = rng.standard_normal((n, p))
    X = Z.copy()
    X[:, 0] += 1e6
    X[:, 3] -= 3e5
    X32 = X.astype(np.float32)
    y = Z[:, :3] @ [1.0, -1.0, 0.5] + 0.3 * rng.standard_normal(n)
    Y = np.column_stack([y, y + 0.1 * rng.standard_normal(n)])
    return X32, X32.astype(np.float64), y, Y, (y > 0).astype(int)


def predictions(model, Xd):
    coef = np.atleast_2d(np.asarray(model.coef_, dtype=np.float64))
    return Xd @ coef.T + np.ravel(model.intercept_)


REGRESSORS = {
    "lasso": lambda: Lasso(alpha=0.01, tol=1e-12),
    "enet": lambda: ElasticNet(alpha=0.01, l1_ratio=0.5, tol=1e-12),
    "group": lambda: GroupLasso(alpha=0.01, groups=2, tol=1e-12),
    "fused": lambda: FusedLasso(alpha=0.01, l1_ratio=0.5, tol=1e-12),
}
CLASSIFIERS = {
    "logistic": lambda: SparseLogisticRegression(alpha=0.01, tol=1e-12),
    "group_logistic": lambda: GroupLogisticRegression(alpha=0.01, groups=2, tol=1e-12),
}


@pytest.mark.parametrize("storage", list(STORAGES))
@pytest.mark.parametrize("name", list(REGRESSORS) + ["multitask"] + list(CLASSIFIERS))
def test_float32_predictions_match_float64(data, storage, name):
    X32, Xd, y, Y, labels = data
    fmt = STORAGES[storage]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")              # the ill-conditioned float32 design
        if name == "multitask":
            m32 = MultiTaskLasso(alpha=0.01, tol=1e-12).fit(fmt(X32), Y)
            m64 = MultiTaskLasso(alpha=0.01, tol=1e-12).fit(fmt(Xd), Y)
        elif name in CLASSIFIERS:
            m32 = CLASSIFIERS[name]().fit(fmt(X32), labels)
            m64 = CLASSIFIERS[name]().fit(fmt(Xd), labels)
        else:
            m32 = REGRESSORS[name]().fit(fmt(X32), y)
            m64 = REGRESSORS[name]().fit(fmt(Xd), y)
    # FusedLasso documents coef_ float64 (its path keeps X's dtype: tested below)
    assert np.asarray(m32.coef_).dtype == (np.float64 if name == "fused" else np.float32)
    np.testing.assert_allclose(predictions(m32, Xd), predictions(m64, Xd), atol=1e-5)


@pytest.mark.parametrize("storage", list(STORAGES))
def test_float32_paths_intercepts(data, storage):
    X32, Xd, y, _, labels = data
    fmt = STORAGES[storage]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        for sparse_coefs in (False, True):
            p32 = enet_path(fmt(X32), y, l1_ratio=0.8, n_alphas=5, tol=1e-12,
                            fit_intercept=True, return_intercept=True,
                            sparse_coefs=sparse_coefs)
            p64 = enet_path(fmt(Xd), y, l1_ratio=0.8, n_alphas=5, tol=1e-12,
                            fit_intercept=True, return_intercept=True)
            c32 = p32.coefs.toarray() if sp.issparse(p32.coefs) else p32.coefs
            np.testing.assert_allclose(Xd @ c32.astype(np.float64) + p32.intercepts,
                                       Xd @ p64.coefs + p64.intercepts, atol=1e-5)
        f32 = fused_lasso_path(fmt(X32), y, l1_ratio=0.5, alphas=[0.01, 0.001], tol=1e-12,
                               fit_intercept=True, return_intercept=True)
        f64 = fused_lasso_path(fmt(Xd), y, l1_ratio=0.5, alphas=[0.01, 0.001], tol=1e-12,
                               fit_intercept=True, return_intercept=True)
        assert f32.coefs.dtype == np.float32
        np.testing.assert_allclose(Xd @ f32.coefs.astype(np.float64) + f32.intercepts,
                                   Xd @ f64.coefs + f64.intercepts, atol=1e-5)
