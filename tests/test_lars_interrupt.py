"""Ctrl-C stops a long LARS path (the compiled loop polls for signals), and the process stays
usable."""

import _thread
import threading
import time

import numpy as np
import pytest

from l1core import lars_path, lars_path_gram


def test_ctrl_c_stops_a_long_lars_path():
    p = 3000      # an equicorrelated Gram: every column enters, O(p^3) work (minutes)
    G = np.full((p, p), 0.5) + 0.5 * np.eye(p)
    Xy = np.random.default_rng(0).standard_normal(p)
    timer = threading.Timer(0.5, _thread.interrupt_main)
    start = time.perf_counter()
    timer.start()
    try:
        with pytest.raises(KeyboardInterrupt):
            lars_path_gram(Xy, G, n_samples=p, method="lasso", max_iter=np.inf)
            time.sleep(1.0)
            pytest.fail("the path finished before the interrupt")
    finally:
        timer.cancel()
    assert time.perf_counter() - start < 10.0
    X = np.random.default_rng(1).standard_normal((20, 5))
    alphas, active, coefs = lars_path(X, X[:, 0], method="lasso")
    assert active[0] == 0 and abs(alphas[-1]) < 1e-12
