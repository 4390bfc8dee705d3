"""glmnet's dfmax / pmax: the path stops early, the points it keeps are those of the full
path (and certified), the limits are met as glmnet defines them, and the CV estimators use
the cut grid."""

import numpy as np
import pytest

import _reference as ref
from conftest import make_regression, to_storage
from l1core import (LassoCV, ElasticNetCV, SparseLogisticRegressionCV, enet_path, lasso_path,
                    logistic_path)


def data(seed=0, n=60, p=40):
    Xd, y, _ = make_regression(seed, n, p, density=0.6, n_informative=12)
    return Xd, y


def cumulative_ever(coefs):
    """Number of features nonzero in at least one of the first k columns, for each k."""
    nz = np.asarray(coefs != 0)
    return np.array([np.count_nonzero(nz[:, :k + 1].any(axis=1)) for k in range(nz.shape[1])])


@pytest.mark.parametrize("storage", ["dense", "csc", "csr"])
@pytest.mark.parametrize("l1_ratio", [1.0, 0.7])
def test_dfmax_stops_after_the_first_alpha_above_it(storage, l1_ratio):
    Xd, y = data()
    X = to_storage(Xd, storage)
    kw = dict(l1_ratio=l1_ratio, n_alphas=40, fit_intercept=True, tol=1e-10,
              max_iter=100_000, return_intercept=True)
    full = enet_path(X, y, **kw)
    nnz = np.count_nonzero(full.coefs, axis=0)
    dfmax = 5
    first_above = int(np.argmax(nnz > dfmax))
    assert nnz[first_above] > dfmax and first_above > 0
    cut = enet_path(X, y, dfmax=dfmax, **kw)
    assert len(cut.alphas) == first_above + 1          # glmnet keeps the first model above
    np.testing.assert_allclose(cut.alphas, full.alphas[:first_above + 1], rtol=1e-12)
    np.testing.assert_allclose(cut.coefs, full.coefs[:, :first_above + 1], atol=1e-7)
    assert np.all(np.count_nonzero(cut.coefs[:, :-1], axis=0) <= dfmax)
    assert cut.dual_gaps.shape == cut.intercepts.shape == cut.n_nonzero.shape == (first_above + 1,)
    for k, alpha in enumerate(cut.alphas):
        pb = ref.make_problem(Xd, y, alpha=alpha, l1_ratio=l1_ratio)
        assert ref.duality_gap(pb, cut.coefs[:, k], cut.intercepts[k]) <= pb.gap_tol(1e-10) * 1.01


@pytest.mark.parametrize("storage", ["dense", "csr"])
@pytest.mark.parametrize("sparse_coefs", [False, True])
def test_pmax_drops_the_alpha_that_exceeds_it(storage, sparse_coefs):
    Xd, y = data(1)
    X = to_storage(Xd, storage)
    kw = dict(n_alphas=40, fit_intercept=True, tol=1e-10, max_iter=100_000)
    full = lasso_path(X, y, **kw)
    ever = cumulative_ever(full.coefs)
    pmax = 7
    first_above = int(np.argmax(ever > pmax))
    assert ever[first_above] > pmax
    cut = lasso_path(X, y, pmax=pmax, sparse_coefs=sparse_coefs, **kw)
    coefs = cut.coefs.toarray() if sparse_coefs else cut.coefs
    assert len(cut.alphas) == first_above
    assert coefs.shape == (Xd.shape[1], first_above)
    np.testing.assert_allclose(coefs, full.coefs[:, :first_above], atol=1e-7)
    assert cumulative_ever(coefs)[-1] <= pmax


def test_limits_that_never_bind_change_nothing():
    Xd, y = data(2)
    full = lasso_path(Xd, y, n_alphas=20)
    same = lasso_path(Xd, y, n_alphas=20, dfmax=Xd.shape[1], pmax=Xd.shape[1])
    np.testing.assert_allclose(full.alphas, same.alphas, rtol=1e-12)
    np.testing.assert_allclose(full.coefs, same.coefs, rtol=1e-10, atol=1e-12)


def test_pmax_zero_keeps_nothing_past_the_empty_model():
    Xd, y = data(3)
    cut = lasso_path(Xd, y, n_alphas=20, pmax=0)
    assert len(cut.alphas) >= 1 and np.all(cut.coefs == 0)    # alpha_max: w = 0 exactly


@pytest.mark.parametrize("multinomial", [False, True])
def test_logistic_path_dfmax_and_pmax(multinomial):
    Xd, y = data(4)
    labels = np.digitize(y, np.quantile(y, [1 / 3, 2 / 3])) if multinomial else (y > np.median(y))
    kw = dict(n_alphas=30, tol=1e-8, max_iter=10_000, multinomial=multinomial)
    full = logistic_path(Xd, labels, **kw)
    C = full.coefs if not multinomial else np.abs(full.coefs).sum(axis=0)
    nnz = np.count_nonzero(C, axis=0)
    ever = cumulative_ever(C)
    k_df = int(np.argmax(nnz > 4))
    k_p = int(np.argmax(ever > 6))
    cut_df = logistic_path(Xd, labels, dfmax=4, **kw)
    cut_p = logistic_path(Xd, labels, pmax=6, **kw)
    assert len(cut_df.alphas) == k_df + 1
    assert len(cut_p.alphas) == k_p
    np.testing.assert_allclose(cut_p.alphas, full.alphas[:k_p], rtol=1e-12)
    np.testing.assert_allclose(cut_df.coefs, full.coefs[..., :k_df + 1], atol=1e-6)
    assert cut_df.intercepts.shape[-1] == k_df + 1


def test_cv_grids_are_cut_where_the_full_data_path_stops():
    Xd, y = data(5, n=80)
    for model, path in ((LassoCV(dfmax=6, n_alphas=30, cv=3),
                         lasso_path(Xd, y, n_alphas=30, fit_intercept=True, dfmax=6)),
                        (ElasticNetCV(l1_ratio=0.8, pmax=6, n_alphas=30, cv=3),
                         enet_path(Xd, y, l1_ratio=0.8, n_alphas=30, fit_intercept=True,
                                   pmax=6))):
        model.fit(Xd, y)
        np.testing.assert_allclose(model.alphas_, path.alphas, rtol=1e-12)
        assert model.mse_path_.shape == (len(path.alphas), 3)
        assert model.alpha_ >= path.alphas[-1]


def test_logistic_cv_grid_is_cut():
    Xd, y = data(6, n=90)
    labels = y > np.median(y)
    model = SparseLogisticRegressionCV(pmax=5, n_alphas=30, cv=3).fit(Xd, labels)
    full = SparseLogisticRegressionCV(n_alphas=30, cv=3).fit(Xd, labels)
    k = len(model.alphas_)
    assert 1 <= k < 30
    np.testing.assert_allclose(model.alphas_, full.alphas_[:k], rtol=1e-12)
    assert model.scores_path_.shape == (k, 3)


@pytest.mark.parametrize("value, error", [(-1, ValueError), (2.5, TypeError),
                                          (True, TypeError), ("3", TypeError)])
@pytest.mark.parametrize("name", ["dfmax", "pmax"])
def test_bad_limits_are_refused(name, value, error):
    Xd, y = data(7, n=20, p=5)
    with pytest.raises(error, match=name):
        lasso_path(Xd, y, **{name: value})
    with pytest.raises(error, match=name):
        LassoCV(cv=2, **{name: value}).fit(Xd, y)
