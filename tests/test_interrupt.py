"""Ctrl-C stops long fits, paths and cross-validations (issue 10).

Each test starts a job that would run for minutes (correlated columns, tol=1e-300 and a huge
max_iter: coordinate descent crawls and never meets the tolerance), interrupts the main thread
from a timer thread as Ctrl-C does, and asserts the KeyboardInterrupt arrives within a few
seconds. The process stays usable: a normal fit afterwards is certified by a NumPy duality gap.
"""

import _thread
import threading
import time

import numpy as np
import pytest
import scipy.sparse as sp

import l1core
from _reference import duality_gap, make_problem
from conftest import make_regression

DELAY = 0.5          # seconds before the simulated Ctrl-C
BOUND = 10.0         # the interrupt must arrive this soon (the jobs run for minutes)
ENDLESS = dict(tol=1e-300, max_iter=10**9)


def _slow_problem(n=200, p=400, seed=0):
    """Columns sharing one strong factor: coordinate descent converges very slowly."""
    rng = np.random.default_rng(seed)
    X = rng.standard_normal((n, 1)) + 0.01 * rng.standard_normal((n, p))
    y = X[:, :10].sum(axis=1) + 0.1 * rng.standard_normal(n)
    return np.asfortranarray(X), y


def _interrupted_after(job):
    """Run ``job`` with a Ctrl-C after DELAY seconds; return the seconds it took to stop."""
    timer = threading.Timer(DELAY, _thread.interrupt_main)
    start = time.perf_counter()
    timer.start()
    try:
        with pytest.raises(KeyboardInterrupt):
            job()
            # the job ended before the interrupt: let it arrive here, and fail
            time.sleep(2 * DELAY)
            pytest.fail("the job finished before the interrupt")
    finally:
        timer.cancel()
    return time.perf_counter() - start


def _assert_usable():
    """After an interrupt the library still fits, to a certified answer."""
    X, y, _ = make_regression(3, n=40, p=12)
    model = l1core.Lasso(alpha=0.1, tol=1e-10).fit(X, y)
    pb = make_problem(X, y, alpha=0.1)
    gap = duality_gap(pb, model.coef_, model.intercept_)
    assert model.dual_gap_ >= gap - 1e-12
    assert gap <= 1e-10 * float(pb.sw @ (pb.y - pb.ybar) ** 2) + 1e-12


def _lasso_fit(precompute):
    X, y = _slow_problem()
    return lambda: l1core.Lasso(alpha=1e-4, precompute=precompute, **ENDLESS).fit(X, y)


def _sparse_fit():
    X, y = _slow_problem()
    return lambda: l1core.Lasso(alpha=1e-4, **ENDLESS).fit(sp.csc_array(X), y)


def _logistic_fit():
    X, y = _slow_problem()
    labels = (y > np.median(y)).astype(int)
    return lambda: l1core.SparseLogisticRegression(alpha=1e-5, **ENDLESS).fit(X, labels)


def _path():
    X, y = _slow_problem()
    return lambda: l1core.lasso_path(X, y, eps=1e-5, n_alphas=20, **ENDLESS)


def _gram_path():
    X, y = _slow_problem(n=600, p=150)      # tall: the compiled Gram-form path
    return lambda: l1core.lasso_path(X, y, eps=1e-5, n_alphas=20, **ENDLESS)


def _group_fit():
    X, y = _slow_problem()
    return lambda: l1core.GroupLasso(groups=4, alpha=1e-4, **ENDLESS).fit(X, y)


def _multitask_fit():
    X, y = _slow_problem()
    Y = np.column_stack([y, y[::-1]])
    return lambda: l1core.MultiTaskLasso(alpha=1e-4, **ENDLESS).fit(X, Y)


def _lasso_cv(n_jobs):
    X, y = _slow_problem()
    return lambda: l1core.LassoCV(eps=1e-5, n_alphas=20, cv=3, n_jobs=n_jobs,
                                  **ENDLESS).fit(X, y)


def _enet_cv_threads():
    X, y = _slow_problem()
    return lambda: l1core.ElasticNetCV(l1_ratio=[0.5, 0.9], eps=1e-5, n_alphas=20, cv=3,
                                       n_jobs=2, **ENDLESS).fit(X, y)


def _logistic_cv_threads():
    X, y = _slow_problem()
    labels = (y > np.median(y)).astype(int)
    return lambda: l1core.SparseLogisticRegressionCV(eps=1e-5, n_alphas=20, cv=3, n_jobs=2,
                                                     **ENDLESS).fit(X, labels)


@pytest.mark.parametrize("make_job", [
    pytest.param(lambda: _lasso_fit(False), id="lasso-dense"),
    pytest.param(lambda: _lasso_fit(True), id="lasso-gram"),
    pytest.param(_sparse_fit, id="lasso-csc"),
    pytest.param(_logistic_fit, id="logistic"),
    pytest.param(_path, id="lasso_path"),
    pytest.param(_gram_path, id="lasso_path-gram"),
    pytest.param(_group_fit, id="GroupLasso"),
    pytest.param(_multitask_fit, id="MultiTaskLasso"),
    pytest.param(lambda: _lasso_cv(None), id="LassoCV"),
    pytest.param(lambda: _lasso_cv(2), id="LassoCV-threads"),
    pytest.param(_enet_cv_threads, id="ElasticNetCV-threads"),
    pytest.param(_logistic_cv_threads, id="SparseLogisticRegressionCV-threads"),
])
def test_ctrl_c_stops_the_job_and_leaves_the_process_usable(make_job):
    job = make_job()
    assert _interrupted_after(job) < BOUND
    # no worker thread is left running a kernel
    assert not [t for t in threading.enumerate() if t.name.startswith("l1core")]
    _assert_usable()


def test_interrupted_threads_stop_with_a_user_thread_pool():
    from concurrent.futures import ThreadPoolExecutor

    X, y = _slow_problem()
    with ThreadPoolExecutor(2) as pool:
        model = l1core.LassoCV(eps=1e-5, n_alphas=20, cv=3, executor=pool, **ENDLESS)
        assert _interrupted_after(lambda: model.fit(X, y)) < BOUND
        # the pool's threads stopped their kernels: a quick task runs at once
        start = time.perf_counter()
        assert pool.submit(lambda: 1).result(timeout=BOUND) == 1
        assert time.perf_counter() - start < BOUND
    _assert_usable()
