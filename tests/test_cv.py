"""LassoCV / ElasticNetCV: agreement with scikit-learn on the same folds, fold semantics
(zero weights = dropped rows), the one-standard-error rule, determinism across threads and
executors (Dask), estimator API, errors. Seeded and small: the whole file runs in seconds."""

import warnings
from concurrent.futures import Future, ThreadPoolExecutor

import numpy as np
import pytest
import scipy.sparse as sp

from l1core import ConvergenceWarning, ElasticNet, ElasticNetCV, Lasso, LassoCV, enet_path
from l1core._cv import _fold_errors
from l1core.datasets import load_diabetes

sk_lm = pytest.importorskip("sklearn.linear_model")
sk_ms = pytest.importorskip("sklearn.model_selection")
KFold = sk_ms.KFold

TIGHT = dict(tol=1e-10, max_iter=100_000)


def assert_same_alpha(ours, ref):
    """Same grid point (the grids agree to rounding: alpha_max is summed in another order)."""
    np.testing.assert_allclose(ours.alpha_, ref.alpha_, rtol=1e-12)
    grid, ref_grid = np.ravel(ours.alphas_), np.ravel(ref.alphas_)
    assert np.flatnonzero(grid == ours.alpha_).tolist() == \
        np.flatnonzero(ref_grid == ref.alpha_).tolist()


def assert_refit_certified(ours, ref, X, y, sample_weight=None):
    """Our final model is within its duality gap of optimal, and at least as good as
    scikit-learn's (up to that gap): the certificate, since at tol the coefficients of an
    ill-conditioned problem (diabetes) may differ in the 5th digit."""
    alpha, r = ours.alpha_, getattr(ours, "l1_ratio_", 1.0)
    s = np.ones(len(y)) if sample_weight is None else sample_weight

    def objective(w, b):
        res = y - np.asarray(X @ w).ravel() - b
        return s @ res**2 / (2 * s.sum()) + alpha * (r * np.abs(w).sum() + (1 - r) / 2 * w @ w)

    ours_p, ref_p = objective(ours.coef_, ours.intercept_), objective(ref.coef_, ref.intercept_)
    assert ours_p - ref_p <= ours.dual_gap_ + 1e-12 * abs(ref_p)
    scale = np.abs(ref.coef_).max()
    np.testing.assert_allclose(ours.coef_, ref.coef_, atol=1e-4 * scale)


def make_data(seed, n=60, p=30, density=None, n_informative=5, noise=1.0, fmt="dense"):
    rng = np.random.default_rng(seed)
    X = rng.standard_normal((n, p)) + rng.uniform(-1, 1, size=p)
    if density is not None:
        X *= rng.uniform(size=(n, p)) < density
    w = np.zeros(p)
    w[rng.choice(p, n_informative, replace=False)] = rng.uniform(1, 3, n_informative)
    y = X @ w + noise * rng.standard_normal(n) + 3.0
    if fmt == "csr":
        X = sp.csr_matrix(X)
    elif fmt == "csc":
        X = sp.csc_matrix(X)
    else:
        X = np.asfortranarray(X)
    return X, y


def diabetes():
    X, y, _ = load_diabetes()
    return X, y


DATASETS = {
    "diabetes": diabetes,
    "wide": lambda: make_data(1, n=50, p=120),
    "tall": lambda: make_data(2, n=150, p=20, noise=3.0),
    "csr": lambda: make_data(3, n=90, p=60, density=0.15, fmt="csr"),
    "csc": lambda: make_data(4, n=90, p=60, density=0.15, fmt="csc"),
}


# --------------------------------------------------------------------------- scikit-learn


@pytest.mark.parametrize("name", sorted(DATASETS))
@pytest.mark.parametrize("cv", [KFold(5), KFold(3, shuffle=True, random_state=7)],
                         ids=["kfold5", "shuffled3"])
def test_lassocv_matches_sklearn(name, cv):
    X, y = DATASETS[name]()
    ours = LassoCV(cv=cv, **TIGHT).fit(X, y)
    ref = sk_lm.LassoCV(cv=cv, **TIGHT).fit(X, y)
    assert_same_alpha(ours, ref)
    np.testing.assert_allclose(ours.alphas_, ref.alphas_, rtol=1e-12)
    assert ours.mse_path_.shape == ref.mse_path_.shape
    np.testing.assert_allclose(ours.mse_path_, ref.mse_path_, rtol=1e-5)
    assert_refit_certified(ours, ref, X, y)
    assert not hasattr(ours, "l1_ratio_")


@pytest.mark.parametrize("name", ["wide", "csr"])
def test_sklearn_options(name):
    """No intercept, explicit alphas, weights: same mse_path_ and alpha_ as scikit-learn."""
    X, y = DATASETS[name]()
    rng = np.random.default_rng(5)
    cv = KFold(4)
    ours = LassoCV(cv=cv, fit_intercept=False, n_alphas=30, **TIGHT).fit(X, y)
    ref = sk_lm.LassoCV(cv=cv, fit_intercept=False, alphas=30, **TIGHT).fit(X, y)
    assert_same_alpha(ours, ref)
    assert ours.intercept_ == 0.0
    np.testing.assert_allclose(ours.mse_path_, ref.mse_path_, rtol=1e-5)

    alphas = rng.uniform(0.01, 1.0, size=12)
    ours = LassoCV(cv=cv, alphas=alphas, **TIGHT).fit(X, y)
    ref = sk_lm.LassoCV(cv=cv, alphas=alphas, **TIGHT).fit(X, y)
    np.testing.assert_array_equal(ours.alphas_, ref.alphas_)
    np.testing.assert_allclose(ours.mse_path_, ref.mse_path_, rtol=1e-5)
    assert_same_alpha(ours, ref)

    sw = rng.uniform(0.2, 3.0, size=y.shape[0])
    ours = LassoCV(cv=cv, n_alphas=30, **TIGHT).fit(X, y, sample_weight=sw)
    ref = sk_lm.LassoCV(cv=cv, alphas=30, **TIGHT).fit(X, y, sample_weight=sw)
    np.testing.assert_allclose(ours.alphas_, ref.alphas_, rtol=1e-12)
    np.testing.assert_allclose(ours.mse_path_, ref.mse_path_, rtol=1e-5)
    assert_same_alpha(ours, ref)
    assert_refit_certified(ours, ref, X, y, sw)


def test_positive_grid_matches_sklearn():
    rng = np.random.default_rng(0)
    X = rng.standard_normal((60, 30))
    y = -3 * X[:, 0] + X[:, 1] + rng.standard_normal(60)
    ours = LassoCV(cv=KFold(3), positive=True, n_alphas=10, **TIGHT).fit(X, y)
    ref = sk_lm.LassoCV(cv=KFold(3), positive=True, alphas=10, **TIGHT).fit(X, y)
    np.testing.assert_allclose(ours.alphas_, ref.alphas_, rtol=1e-12)
    np.testing.assert_allclose(ours.mse_path_, ref.mse_path_, rtol=1e-5)


@pytest.mark.parametrize("l1_ratio", [0.5, [0.5], [0.2, 0.7, 1.0]])
@pytest.mark.parametrize("explicit", [False, True])
def test_enetcv_matches_sklearn_shapes_and_choice(l1_ratio, explicit):
    X, y = diabetes()
    cv = KFold(4)
    kw = dict(alphas=np.geomspace(1.0, 1e-3, 15)) if explicit else dict(n_alphas=20)
    ref_kw = dict(alphas=kw["alphas"]) if explicit else dict(alphas=20)
    ours = ElasticNetCV(l1_ratio=l1_ratio, cv=cv, **kw, **TIGHT).fit(X, y)
    ref = sk_lm.ElasticNetCV(l1_ratio=l1_ratio, cv=cv, **ref_kw, **TIGHT).fit(X, y)
    assert ours.alphas_.shape == ref.alphas_.shape
    assert ours.mse_path_.shape == ref.mse_path_.shape
    np.testing.assert_allclose(ours.alphas_, ref.alphas_, rtol=1e-12)
    np.testing.assert_allclose(ours.mse_path_, ref.mse_path_, rtol=1e-5)
    assert ours.l1_ratio_ == ref.l1_ratio_
    assert_same_alpha(ours, ref)
    assert_refit_certified(ours, ref, X, y)


def test_int_cv_is_kfold_and_shuffle_matches_sklearn():
    X, y = DATASETS["tall"]()
    a = LassoCV(cv=4, n_alphas=20).fit(X, y)
    b = LassoCV(cv=KFold(4), n_alphas=20).fit(X, y)
    np.testing.assert_array_equal(a.mse_path_, b.mse_path_)
    a = LassoCV(cv=4, shuffle=True, random_state=3, n_alphas=20).fit(X, y)
    b = LassoCV(cv=KFold(4, shuffle=True, random_state=3), n_alphas=20).fit(X, y)
    np.testing.assert_array_equal(a.mse_path_, b.mse_path_)
    c = LassoCV(cv=4, shuffle=True, random_state=4, n_alphas=20).fit(X, y)
    assert not np.array_equal(a.mse_path_, c.mse_path_)


def test_iterable_and_mask_folds():
    X, y = DATASETS["tall"]()
    folds = list(KFold(3).split(X))
    masks = [(np.isin(np.arange(len(y)), tr), np.isin(np.arange(len(y)), te))
             for tr, te in folds]
    ref = LassoCV(cv=KFold(3), n_alphas=15).fit(X, y)
    for cv in (folds, iter(folds), masks):
        got = LassoCV(cv=cv, n_alphas=15).fit(X, y)
        np.testing.assert_array_equal(got.mse_path_, ref.mse_path_)


# --------------------------------------------------------------------------- folds and weights


@pytest.mark.parametrize("fmt", ["dense", "csr", "csc"])
def test_zero_weight_fold_equals_dropped_rows(fmt):
    """One task on the full X with zero weights off the training set = a path on X[train]."""
    X, y = make_data(8, n=70, p=25, density=0.5, fmt=fmt)
    rng = np.random.default_rng(0)
    sw = rng.uniform(0.5, 2.0, size=70)
    train, test = np.arange(0, 50), np.arange(50, 70)
    alphas = np.geomspace(0.5, 5e-3, 12)
    params = dict(fit_intercept=True, tol=1e-12, max_iter=100_000, selection="cyclic",
                  penalty_factor=None, lower_bounds=None, upper_bounds=None)
    got, not_converged, _ = _fold_errors(X, y, sw, False, params, train, test, alphas, 0.8, None)
    assert not_converged == 0
    _, coefs, _, b = enet_path(X[train], y[train], l1_ratio=0.8, alphas=alphas,
                               sample_weight=sw[train], fit_intercept=True, tol=1e-12,
                               max_iter=100_000, return_intercept=True)
    Xt = X[test].toarray() if sp.issparse(X) else X[test]
    expected = np.average((Xt @ coefs + b - y[test, None]) ** 2, weights=sw[test], axis=0)
    np.testing.assert_allclose(got, expected, rtol=1e-9)


def test_cv_with_zero_weight_rows_equals_dropping_them():
    X, y = make_data(9, n=80, p=20)
    rng = np.random.default_rng(1)
    sw = rng.uniform(0.5, 2.0, size=80)
    sw[rng.choice(80, 15, replace=False)] = 0.0
    keep = np.flatnonzero(sw > 0)
    new_index = np.full(80, -1)
    new_index[keep] = np.arange(keep.size)
    folds = list(KFold(4).split(X))
    dropped_folds = [(new_index[tr][new_index[tr] >= 0], new_index[te][new_index[te] >= 0])
                     for tr, te in folds]
    a = LassoCV(cv=folds, n_alphas=25, tol=1e-12, max_iter=100_000).fit(X, y, sw)
    b = LassoCV(cv=dropped_folds, n_alphas=25, tol=1e-12, max_iter=100_000).fit(
        X[keep], y[keep], sw[keep])
    np.testing.assert_allclose(a.alphas_, b.alphas_, rtol=1e-12)
    np.testing.assert_allclose(a.mse_path_, b.mse_path_, rtol=1e-8)
    assert a.alpha_ == pytest.approx(b.alpha_, rel=1e-12)  # same grid point, its rounding may differ
    np.testing.assert_allclose(a.coef_, b.coef_, atol=1e-8)


def test_repeated_train_indices_count_as_weights():
    X, y = make_data(10, n=40, p=10)
    train, test = np.arange(30), np.arange(30, 40)
    boot = np.concatenate([train, train[:10]])
    sw = np.ones(40)
    sw[:10] = 2.0
    alphas = np.geomspace(1.0, 1e-3, 10)   # the automatic grid would see sw in b only
    a = LassoCV(cv=[(boot, test)], alphas=alphas, tol=1e-12).fit(X, y)
    b = LassoCV(cv=[(train, test)], alphas=alphas, tol=1e-12).fit(X, y, sample_weight=sw)
    # same fold models; test errors are unweighted in a, weighted by sw[test] = 1 in b
    np.testing.assert_allclose(a.mse_path_, b.mse_path_, rtol=1e-8)


# --------------------------------------------------------------------------- choice of alpha


def test_one_standard_error_rule():
    X, y = make_data(11, n=80, p=60, n_informative=4, noise=2.0)
    m = LassoCV(cv=5, n_alphas=40).fit(X, y)
    mean = m.mse_path_.mean(axis=1)
    se = m.mse_path_.std(axis=1, ddof=1) / np.sqrt(5)
    np.testing.assert_allclose(m.cv_mean_, mean)
    np.testing.assert_allclose(m.cv_std_ / np.sqrt(5), se)
    k = int(np.argmin(mean))
    assert m.alpha_ == m.alpha_min_ == m.alphas_[k]
    expected_1se = m.alphas_[mean <= mean[k] + se[k]].max()
    assert m.alpha_1se_ == expected_1se
    assert m.alpha_1se_ >= m.alpha_

    s = LassoCV(cv=5, n_alphas=40, refit_alpha="1se").fit(X, y)
    assert s.alpha_ == s.alpha_1se_ == m.alpha_1se_ and s.alpha_min_ == m.alpha_min_
    assert s.alpha_1se_ > s.alpha_min_
    assert np.count_nonzero(s.coef_) < np.count_nonzero(m.coef_)
    ref = Lasso(alpha=s.alpha_, tol=1e-4).fit(X, y)
    np.testing.assert_allclose(s.coef_, ref.coef_, atol=1e-6)


def test_ties_choose_largest_alpha():
    X, y = make_data(12, n=30, p=5)
    y = np.full(30, 2.0)          # every alpha gives the constant model: all errors tie
    m = LassoCV(cv=3, alphas=[0.1, 1.0, 10.0]).fit(X, y)
    assert m.alpha_ == 10.0 and m.alpha_1se_ == 10.0


def test_enet_1se_uses_best_l1_ratio():
    X, y = make_data(13, n=60, p=40)
    m = ElasticNetCV(l1_ratio=[0.3, 0.9], cv=4, n_alphas=20).fit(X, y)
    i = [0.3, 0.9].index(m.l1_ratio_)
    assert m.cv_mean_.shape == (2, 20) and m.cv_std_.shape == (2, 20)
    assert m.alpha_ == m.alphas_[i][np.argmin(m.cv_mean_[i])]
    assert m.alpha_1se_ in m.alphas_[i] and m.alpha_1se_ >= m.alpha_


# --------------------------------------------------------------------------- parallel


@pytest.mark.parametrize("fmt", ["dense", "csr", "tall"])
def test_threads_agree_bitwise_with_serial(fmt):
    if fmt == "tall":   # n >> p: the paths may solve from the Gram matrix (BLAS-built)
        X, y = make_data(14, n=300, p=15)
    else:
        X, y = make_data(14, n=80, p=50, density=0.4, fmt=fmt)
    kw = dict(l1_ratio=[0.4, 1.0], cv=4, n_alphas=20)
    serial = ElasticNetCV(**kw).fit(X, y)
    for n_jobs in (2, 3, -1):
        threaded = ElasticNetCV(n_jobs=n_jobs, **kw).fit(X, y)
        np.testing.assert_array_equal(threaded.mse_path_, serial.mse_path_)
        np.testing.assert_array_equal(threaded.coef_, serial.coef_)
    with ThreadPoolExecutor(2) as pool:
        ex = ElasticNetCV(executor=pool, **kw).fit(X, y)
    np.testing.assert_array_equal(ex.mse_path_, serial.mse_path_)
    r1 = LassoCV(cv=3, n_alphas=10, selection="random", random_state=0).fit(X, y)
    r2 = LassoCV(cv=3, n_alphas=10, selection="random", random_state=0, n_jobs=2).fit(X, y)
    np.testing.assert_array_equal(r1.mse_path_, r2.mse_path_)
    np.testing.assert_array_equal(r1.coef_, r2.coef_)


class RecordingExecutor:
    """Runs tasks inline and records what they were given; ``scatter`` counts calls."""

    def __init__(self, with_scatter):
        self.args = []
        self.scattered = []
        if with_scatter:
            self.scatter = self._scatter

    def _scatter(self, data, broadcast=False):
        assert broadcast
        self.scattered.append(data)
        return data

    def submit(self, fn, *args):
        self.args.append(args)
        future = Future()
        future.set_result(fn(*args))
        return future


@pytest.mark.parametrize("fmt", ["dense", "csr", "csc"])
def test_folds_share_the_callers_X(fmt):
    """No fold copies X: every task gets the caller's X object (Fortran float64 / CSR /
    CSC), scattered once when the executor can scatter."""
    X, y = make_data(15, n=40, p=12, density=0.5, fmt=fmt)
    for with_scatter in (False, True):
        ex = RecordingExecutor(with_scatter)
        LassoCV(cv=4, n_alphas=5, executor=ex).fit(X, y)
        assert len(ex.args) == 4 and all(args[0] is X for args in ex.args)
        assert ex.scattered == ([X] if with_scatter else [])


def test_dask_agrees_with_serial():
    distributed = pytest.importorskip("distributed")
    X, y = make_data(16, n=80, p=50, density=0.4, fmt="csr")
    kw = dict(l1_ratio=[0.5, 1.0], cv=3, n_alphas=15)
    serial = ElasticNetCV(**kw).fit(X, y)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # Dask's own start-up warnings (ports, dashboard)
        cluster = distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=False,
                                           dashboard_address=None)
    with cluster, distributed.Client(cluster) as client:
        dask_fit = ElasticNetCV(executor=client, **kw).fit(X, y)
        Xd = X.toarray()
        dense_serial = LassoCV(cv=3, n_alphas=10).fit(Xd, y)
        dense_dask = LassoCV(cv=3, n_alphas=10, executor=client).fit(Xd, y)
    np.testing.assert_array_equal(dask_fit.mse_path_, serial.mse_path_)
    np.testing.assert_array_equal(dask_fit.coef_, serial.coef_)
    assert dask_fit.alpha_ == serial.alpha_
    np.testing.assert_array_equal(dense_dask.mse_path_, dense_serial.mse_path_)


# --------------------------------------------------------------------------- estimator API


def test_predict_score_dense_and_sparse():
    X, y = make_data(17, n=60, p=20, density=0.5)
    m = LassoCV(cv=3, n_alphas=20, tol=1e-12).fit(sp.csr_matrix(X), y)
    expected = X @ m.coef_ + m.intercept_
    for Xp in (X, np.ascontiguousarray(X), sp.csr_matrix(X), sp.csc_matrix(X)):
        np.testing.assert_allclose(m.predict(Xp), expected, rtol=1e-12, atol=1e-12)
    assert 0.5 < m.score(X, y) <= 1.0
    with pytest.raises(ValueError, match="features"):
        m.predict(X[:, :5])
    # dense tall X is solved from its Gram matrix, sparse X directly: equal at tight tol
    dense = LassoCV(cv=3, n_alphas=20, tol=1e-12).fit(X, y)
    np.testing.assert_allclose(dense.mse_path_, m.mse_path_, rtol=1e-6)


def test_float32_preserved():
    X, y = make_data(18, n=50, p=15)
    m = ElasticNetCV(cv=3, n_alphas=10).fit(X.astype(np.float32), y)
    assert m.coef_.dtype == np.float32
    assert m.mse_path_.dtype == np.float64
    ms = LassoCV(cv=3, n_alphas=10).fit(sp.csr_matrix(X.astype(np.float32)), y)
    assert ms.coef_.dtype == np.float32


def test_penalty_factor_and_bounds():
    X, y = make_data(19, n=60, p=10)
    pf = np.ones(10)
    pf[0] = 0.0
    m = LassoCV(cv=3, n_alphas=10, penalty_factor=pf, refit_alpha="1se",
                lower_bounds=-0.5, upper_bounds=2.0).fit(X, y)
    assert m.coef_[0] != 0.0
    assert np.all(m.coef_ >= -0.5 - 1e-12) and np.all(m.coef_ <= 2.0 + 1e-12)
    ref = ElasticNet(alpha=m.alpha_, l1_ratio=1.0, penalty_factor=pf, lower_bounds=-0.5,
                     upper_bounds=2.0).fit(X, y)
    np.testing.assert_allclose(m.coef_, ref.coef_, atol=1e-6)
    p = LassoCV(cv=3, n_alphas=10, positive=True).fit(X, y)
    assert np.all(p.coef_ >= 0)


def test_get_params_clone_gridsearch():
    base = pytest.importorskip("sklearn.base")
    est = ElasticNetCV(l1_ratio=[0.5, 1.0], cv=3, n_alphas=10, refit_alpha="1se")
    params = est.get_params()
    for name in ("l1_ratio", "eps", "n_alphas", "alphas", "fit_intercept", "max_iter", "tol",
                 "cv", "n_jobs", "positive", "random_state", "selection", "penalty_factor",
                 "lower_bounds", "upper_bounds", "shuffle", "refit_alpha", "executor"):
        assert name in params
    assert "l1_ratio" not in LassoCV().get_params()
    assert "refit_alpha='1se'" in repr(est)
    with ThreadPoolExecutor(1) as pool:
        c = base.clone(LassoCV(cv=3, executor=pool))
        assert c.executor is pool
    X, y = make_data(20, n=60, p=8)
    search = sk_ms.GridSearchCV(LassoCV(cv=3, n_alphas=10), {"eps": [1e-2, 1e-3]}, cv=2)
    search.fit(X, y)
    assert search.best_estimator_.alpha_ > 0
    assert base.is_regressor(LassoCV())


@pytest.mark.parametrize("kwargs, match", [
    (dict(cv=1), "at least 2"),
    (dict(cv=0), "at least 2"),
    (dict(cv=100), "greater than the number of samples"),
    (dict(refit_alpha="max"), "refit_alpha"),
    (dict(l1_ratio=1.5), "l1_ratio"),
    (dict(l1_ratio=[0.5, -0.1]), "l1_ratio"),
    (dict(l1_ratio=0.0), "l1_ratio=0"),
    (dict(n_jobs=0), "n_jobs"),
    (dict(cv=KFold(3), shuffle=True), "shuffle"),
    (dict(cv="five"), "cv must"),
    (dict(cv=[(np.arange(5), np.array([], dtype=int))]), "empty"),
    (dict(cv=[(np.arange(5), np.array([99]))]), "lie in"),
    (dict(eps=0.0), "eps"),
    (dict(n_alphas=0), "n_alphas"),
])
def test_errors(kwargs, match):
    X, y = make_data(21, n=30, p=5)
    with pytest.raises(ValueError, match=match):
        ElasticNetCV(**kwargs).fit(X, y)


def test_executor_without_submit_is_a_type_error():
    X, y = make_data(22, n=30, p=5)
    with pytest.raises(TypeError, match="submit"):
        LassoCV(executor=object()).fit(X, y)


def test_zero_weight_test_fold_is_an_error():
    X, y = make_data(23, n=30, p=5)
    sw = np.ones(30)
    sw[20:] = 0.0
    with pytest.raises(ValueError, match="zero sample weights"):
        LassoCV(cv=[(np.arange(20), np.arange(20, 30))]).fit(X, y, sample_weight=sw)


@pytest.mark.parametrize("Est", [LassoCV, ElasticNetCV])
def test_sklearn_check_estimator(Est):
    """All of scikit-learn's estimator checks but the declared ones
    (``expected_failed_checks``; the defaults: test_sklearn_dropin.py). tol is tight
    because the sample-weight equivalence checks compare predictions at rtol 1e-7: then
    LassoCV passes them, ElasticNetCV stays ill-conditioned on the check's data (its
    mse_path_ agree to 1e-12; test_cv_with_zero_weight_rows_equals_dropping_them covers
    the CV semantics)."""
    from sklearn.utils.estimator_checks import check_estimator

    from l1core._estimator_base import expected_failed_checks

    est = Est(cv=3, n_alphas=5, tol=1e-12, max_iter=10**5)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        results = check_estimator(est, on_fail=None,
                                  expected_failed_checks=expected_failed_checks(est))
    failed = [(r["check_name"], str(r["exception"])[:200]) for r in results
              if r["status"] == "failed"]
    assert not failed
    assert len(results) > 30
    if Est is LassoCV:
        assert all(r["status"] == "passed" for r in results
                   if r["check_name"].startswith("check_sample_weight_equivalence"))


def test_one_convergence_warning_per_fit_not_per_fold():
    X, y = make_data(9, n=60, p=40)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        LassoCV(cv=3, n_alphas=10, eps=1e-4, tol=1e-14, max_iter=2, n_jobs=2).fit(X, y)
    messages = [str(w.message) for w in caught if issubclass(w.category, ConvergenceWarning)]
    fold_warnings = [m for m in messages if "(fold, alpha) fits" in m]
    assert len(fold_warnings) == 1 and "max_iter=2" in fold_warnings[0]
    assert not any("at alpha=" in m for m in messages)     # no per-alpha warnings from folds


def test_alpha_max_ignores_what_unpenalized_columns_explain():
    rng = np.random.default_rng(5)
    X = rng.standard_normal((80, 10))
    y = 4.0 * X[:, 0] + 0.5 * X[:, 1] + 0.1 * rng.standard_normal(80)
    pf = np.r_[0.0, np.ones(9)]
    cv = LassoCV(cv=3, n_alphas=20, penalty_factor=pf, tol=1e-10).fit(X, y)
    _, coefs, _ = enet_path(X, y, l1_ratio=1.0, alphas=cv.alphas_, penalty_factor=pf,
                            fit_intercept=True, tol=1e-10)
    # nothing penalized at alpha_max (up to rounding: the kernel's correlation and alpha_max
    # are summed in different orders, so an ulp above the threshold leaves ~1e-16)
    assert np.max(np.abs(coefs[1:, 0])) <= 1e-12 * abs(coefs[0, 0])
    assert np.any(coefs[1:, 1] != 0)                        # ... but just below it
