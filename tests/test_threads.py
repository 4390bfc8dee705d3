"""Threads inside one fit (``l1core.set_config(n_threads=...)``): the full passes over dense
and CSC X split by columns, each column summed by one thread, so every thread count gives
the same floats; cross-validation's own worker threads run their kernels on one thread."""

import numpy as np
import pytest
import scipy.sparse as sp

import l1core
from l1core import (ElasticNetCV, Lasso, SparseLogisticRegression, config_context, enet_path,
                    get_config)
from l1core._config import kernel_threads
from conftest import to_storage


def problem(seed=0, n=150, p=400):
    rng = np.random.default_rng(seed)
    X = rng.standard_normal((n, p))
    X[rng.uniform(size=X.shape) < 0.6] = 0.0
    w = np.zeros(p)
    w[:10] = rng.standard_normal(10) * 2
    y = X @ w + 0.5 * rng.standard_normal(n)
    return X, y


@pytest.mark.parametrize("storage", ["dense", "csc"])
def test_thread_counts_give_the_same_floats(storage):
    X, y = problem()
    X = to_storage(X, storage)
    labels = (y > np.median(y)).astype(int)
    runs = {}
    for threads in (1, 2, 3):
        with config_context(n_threads=threads):
            runs[threads] = (
                Lasso(alpha=0.02, tol=1e-10, precompute=False).fit(X, y).coef_,
                enet_path(X, y, l1_ratio=0.7, n_alphas=15, tol=1e-10, precompute=False)[1],
                SparseLogisticRegression(alpha=0.01, tol=1e-10).fit(X, labels).coef_)
    for threads in (2, 3):
        for one, many in zip(runs[1], runs[threads]):
            np.testing.assert_array_equal(one, many)


def test_setting_reaches_the_kernels(monkeypatch):
    import l1core._enet_solver as enet_solver
    import l1core._logistic_solver as logistic_solver

    seen = []
    for module, name in ((enet_solver, "enet_coordinate_descent"),
                         (logistic_solver, "logistic_coordinate_descent")):
        kernel = getattr(module, name)

        def spy(*args, _kernel=kernel, **kwargs):
            seen.append(kwargs["n_threads"])
            return _kernel(*args, **kwargs)

        monkeypatch.setattr(module, name, spy)
    X, y = problem(1)
    with config_context(n_threads=2):
        Lasso(alpha=0.05, precompute=False).fit(X, y)
        SparseLogisticRegression(alpha=0.05).fit(X, (y > 0).astype(int))
    assert seen and set(seen) == {2}
    seen.clear()
    Lasso(alpha=0.05, precompute=False).fit(X, y)
    assert set(seen) == {get_config()["n_threads"]} == {1}


def test_cross_validation_workers_use_one_thread_each(monkeypatch):
    import l1core._enet_solver as enet_solver

    seen = []
    kernel = enet_solver.enet_coordinate_descent

    def spy(*args, **kwargs):
        seen.append(kwargs["n_threads"])
        return kernel(*args, **kwargs)

    monkeypatch.setattr(enet_solver, "enet_coordinate_descent", spy)
    X, y = problem(2)
    with config_context(n_threads=2):
        ElasticNetCV(cv=3, n_alphas=5, n_jobs=2, precompute=False).fit(X, y)
        folds = list(seen)
        seen.clear()
        ElasticNetCV(cv=3, n_alphas=5, n_jobs=1, precompute=False).fit(X, y)
    assert 1 in folds                   # the folds on CV's two worker threads
    assert set(seen) == {2}             # folds run one after another: the fit's threads


def test_auto_and_bad_values():
    with config_context(n_threads="auto"):
        assert kernel_threads() >= 1
    for bad in (0, -1, 1.5, True, "many"):
        with pytest.raises(ValueError, match="n_threads"):
            l1core.set_config(n_threads=bad)
