"""GroupLassoCV / SparseGroupLassoCV (issue 11, item 3): the choice of alpha recomputed in
NumPy from fold paths, their gaps, the one-standard-error rule, storages, the Lasso limit,
sample groups for the splitter, and scikit-learn's estimator checks."""

import warnings

import numpy as np
import pytest

from conftest import STORAGES, to_storage
from _group_reference import blocks, duality_gap
from l1core import (AlphaGridEdgeWarning, GroupLasso, GroupLassoCV, LassoCV, SparseGroupLasso,
                    SparseGroupLassoCV, group_lasso_path)
from l1core._cv import _kfold, path_fold_errors
from l1core._estimator_base import expected_failed_checks
from l1core._groups import group_weights, parse_groups

TIGHT = dict(tol=1e-10, max_iter=100_000)


@pytest.fixture
def data():
    rng = np.random.default_rng(4)
    n, p = 60, 18
    X = rng.standard_normal((n, p)) + 0.3
    X[rng.random((n, p)) < 0.3] = 0.0
    w = np.zeros(p)
    w[:3], w[6:8] = [1.5, -1.0, 0.8], [0.6, 0.4]
    y = X @ w + 0.8 * rng.standard_normal(n) + 1.0
    return X, y


def heldout_mse(X, y, folds, alphas, **path_kw):
    """(n_folds, n_alphas) held-out MSE in NumPy of paths fitted on X[train] alone, and those
    paths."""
    errors, paths = [], []
    for train, test in folds:
        path = group_lasso_path(X[train], y[train], alphas=alphas, return_intercept=True,
                                **TIGHT, **path_kw)
        pred = X[test] @ path.coefs + path.intercepts
        errors.append(np.mean((pred - y[test, None]) ** 2, axis=0))
        paths.append(path)
    return np.array(errors), paths


@pytest.mark.parametrize("l1_ratio", [0.0, 0.5])
def test_alpha_is_argmin_of_recomputed_heldout_mse(data, l1_ratio):
    X, y = data
    folds = _kfold(X.shape[0], 4, False, None)
    m = SparseGroupLassoCV(l1_ratio=l1_ratio, groups=3, cv=folds, n_alphas=15, **TIGHT).fit(
        X, y)
    errors, paths = heldout_mse(X, y, folds, m.alphas_, groups=3, l1_ratio=l1_ratio)
    np.testing.assert_allclose(m.mse_path_, errors.T, rtol=1e-6)
    mean = errors.mean(axis=0)
    assert m.alpha_ == m.alpha_min_ == m.alphas_[np.argmin(mean)]
    # the fold paths are certified: their gaps recomputed in NumPy bound the reported ones
    ptr, feat = parse_groups(3, X.shape[1])
    for (train, _), path in zip(folds, paths):
        for k in (0, 5, 14):
            gap = duality_gap(X[train], y[train], path.coefs[:, k], path.intercepts[k],
                              np.ones(train.size), blocks(ptr, feat), group_weights(None, ptr),
                              path.alphas[k], l1_ratio)
            # the stopping rule's scale: the fold's own centered target
            scale = np.var(y[train])
            assert -1e-12 <= gap <= 1e-10 * scale + 1e-13
            assert abs(gap - path.dual_gaps[k]) <= 1e-10 * scale + 1e-13


def test_fold_task_on_zero_weights_is_the_path_on_the_training_rows(data):
    """What a CV task runs (the full X, zero weight off the training rows) is the path on
    X[train], recomputed in NumPy."""
    X, y = data
    train, test = np.arange(0, 45), np.arange(45, 60)
    alphas = np.geomspace(0.5, 5e-3, 8)
    params = dict(groups=3, l1_ratio=0.3, alphas=alphas, fit_intercept=True, **TIGHT)
    got, not_converged, _ = path_fold_errors(np.asfortranarray(X), group_lasso_path, y,
                                             np.ones(60), True, params, train, test)
    assert not_converged == 0
    errors, _ = heldout_mse(X, y, [(train, test)], alphas, groups=3, l1_ratio=0.3)
    np.testing.assert_allclose(got, errors[0], rtol=1e-7)


def test_one_standard_error_rule(data):
    X, y = data
    m = GroupLassoCV(groups=3, cv=5, n_alphas=20, refit_alpha="1se").fit(X, y)
    mean, std = m.mse_path_.mean(axis=1), m.mse_path_.std(axis=1, ddof=1)
    k_min = int(np.argmin(mean))
    k_1se = int(np.flatnonzero(mean <= mean[k_min] + std[k_min] / np.sqrt(5))[0])
    assert m.alpha_1se_ == m.alphas_[k_1se] >= m.alpha_min_ == m.alphas_[k_min]
    assert m.alpha_ == m.alpha_1se_
    np.testing.assert_allclose(m.coef_at("1se"), m.path_.coefs[:, k_1se].toarray().ravel())
    np.testing.assert_allclose(m.predict(X, alpha="1se"),
                               X @ m.coef_at("1se") + m.path_.intercepts[k_1se], rtol=1e-10)
    refit = GroupLasso(alpha=m.alpha_, groups=3).fit(X, y)
    np.testing.assert_allclose(m.coef_, refit.coef_, atol=1e-12)


def test_storages_agree(data):
    X, y = data
    fits = [SparseGroupLassoCV(l1_ratio=[0.3, 0.9], groups=3, cv=3, n_alphas=10, **TIGHT)
            .fit(to_storage(X, storage), y) for storage in STORAGES]
    for m in fits[1:]:
        assert m.alpha_ == fits[0].alpha_ and m.l1_ratio_ == fits[0].l1_ratio_
        np.testing.assert_allclose(m.alphas_, fits[0].alphas_, rtol=1e-12)
        np.testing.assert_allclose(m.mse_path_, fits[0].mse_path_, rtol=1e-7)
        np.testing.assert_allclose(m.coef_, fits[0].coef_, atol=1e-7)
    assert fits[0].alphas_.shape == (2, 10) and fits[0].mse_path_.shape == (2, 10, 3)


@pytest.mark.parametrize("storage", ["dense_f", "csr"])
def test_singletons_with_l1_ratio_one_choose_as_lasso_cv(data, storage):
    X, y = data
    X = to_storage(X, storage)
    group = SparseGroupLassoCV(l1_ratio=1.0, groups=1, cv=4, n_alphas=25, **TIGHT).fit(X, y)
    lasso = LassoCV(cv=4, n_alphas=25, **TIGHT).fit(X, y)
    np.testing.assert_allclose(group.alphas_, lasso.alphas_, rtol=1e-10)
    np.testing.assert_allclose(group.mse_path_, lasso.mse_path_, rtol=1e-6)
    assert group.alpha_ == lasso.alpha_ and group.alpha_1se_ == lasso.alpha_1se_
    np.testing.assert_allclose(group.coef_, lasso.coef_, atol=1e-8)


def test_sample_groups_go_to_the_splitter(data):
    """fit(groups=) holds SAMPLE groups for the splitter; the feature groups stay a
    parameter."""
    from sklearn.model_selection import GroupKFold

    X, y = data
    labels = np.repeat(np.arange(6), 10)
    splitter = GroupKFold(n_splits=3)
    m = GroupLassoCV(groups=3, cv=splitter, n_alphas=8).fit(X, y, groups=labels)
    same = GroupLassoCV(groups=3, cv=list(splitter.split(X, y, labels)), n_alphas=8).fit(X, y)
    np.testing.assert_array_equal(m.mse_path_, same.mse_path_)
    with pytest.raises(ValueError):
        GroupLassoCV(groups=3, cv=splitter, n_alphas=8).fit(X, y)      # no sample groups


def test_alpha_max_is_exact_and_the_grid_edge_warns(data):
    X, y = data
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", AlphaGridEdgeWarning)     # a short grid on purpose
        m = SparseGroupLassoCV(l1_ratio=0.4, groups=3, cv=3, n_alphas=6, eps=0.5).fit(X, y)
    path = m.path_
    assert path.n_nonzero[0] == 0 and path.n_groups_nonzero[1] > 0
    noiseless = X[:, :3] @ np.array([1.0, 2.0, 3.0])
    with pytest.warns(AlphaGridEdgeWarning):
        GroupLassoCV(groups=3, cv=3, n_alphas=5, eps=0.1).fit(X, noiseless)


def test_threads_verbose_and_weights(data, capsys):
    X, y = data
    s = np.random.default_rng(1).uniform(0.0, 2.0, X.shape[0])
    s[:5] = 0.0
    one = SparseGroupLassoCV(groups=3, cv=3, n_alphas=6).fit(X, y, sample_weight=s)
    two = SparseGroupLassoCV(groups=3, cv=3, n_alphas=6, n_jobs=2, verbose=1).fit(
        X, y, sample_weight=s)
    np.testing.assert_array_equal(one.mse_path_, two.mse_path_)
    err = capsys.readouterr().err
    assert "SparseGroupLassoCV" in err and "fold 2" in err
    with pytest.raises(ValueError, match="refit_alpha"):
        GroupLassoCV(refit_alpha="max").fit(X, y)


@pytest.mark.parametrize("est", [GroupLasso(alpha=0.01), SparseGroupLasso(alpha=0.01),
                                 GroupLassoCV(cv=3, n_alphas=5, tol=1e-12, max_iter=10**5),
                                 SparseGroupLassoCV(cv=3, n_alphas=5, tol=1e-12,
                                                    max_iter=10**5)],
                         ids=lambda est: type(est).__name__)
def test_sklearn_check_estimator(est):
    pytest.importorskip("sklearn")
    from sklearn.utils.estimator_checks import check_estimator

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        results = check_estimator(est, on_fail=None,
                                  expected_failed_checks=expected_failed_checks(est))
    failed = [(r["check_name"], str(r["exception"])[:300]) for r in results
              if r["status"] == "failed"]
    assert not failed
    assert len(results) > 30


@pytest.mark.parametrize("n_jobs", [None, 2])
def test_ctrl_c_stops_the_cross_validation(n_jobs):
    """A Ctrl-C stops a cross-validation of minutes within a few seconds, on the main thread
    and on the task threads (the group path checks its task group's stop flag between
    alphas; each solve here is capped at well under a second)."""
    import _thread
    import threading
    import time

    rng = np.random.default_rng(0)
    X = np.asfortranarray(rng.standard_normal((200, 1)) + 0.01 * rng.standard_normal((200, 400)))
    y = X[:, :10].sum(axis=1) + 0.1 * rng.standard_normal(200)
    model = SparseGroupLassoCV(groups=4, cv=3, n_alphas=2000, eps=1e-4, tol=1e-300,
                               max_iter=20_000, n_jobs=n_jobs)
    timer = threading.Timer(0.5, _thread.interrupt_main)
    start = time.perf_counter()
    timer.start()
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            with pytest.raises(KeyboardInterrupt):
                model.fit(X, y)
                time.sleep(1.0)
                pytest.fail("the cross-validation finished before the interrupt")
    finally:
        timer.cancel()
    assert time.perf_counter() - start < 10.0


def test_executor_pickle_and_clone(data):
    """An executor runs the fold tasks (the same errors as in this thread); a fitted model
    pickles without it and predicts the same; clone shares it."""
    import pickle
    from concurrent.futures import ThreadPoolExecutor

    from sklearn.base import clone

    X, y = data
    serial = SparseGroupLassoCV(groups=3, cv=3, n_alphas=6).fit(X, y)
    with ThreadPoolExecutor(2) as pool:
        model = SparseGroupLassoCV(groups=3, cv=3, n_alphas=6, executor=pool)
        assert clone(model).executor is pool
        model.fit(X, y)
    np.testing.assert_array_equal(model.mse_path_, serial.mse_path_)
    again = pickle.loads(pickle.dumps(model))
    assert again.executor is None
    np.testing.assert_array_equal(again.predict(X), model.predict(X))
    np.testing.assert_array_equal(again.predict(X, alpha="1se"), model.predict(X, alpha="1se"))
