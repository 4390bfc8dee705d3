"""Cost of the Ctrl-C check in the kernels (src/interrupt.pxd).

The check runs once per epoch; it matters most where epochs are cheapest: a small working set
on few samples, many epochs (``tiny``), and fits dominated by full sweeps (``wide``, the Gram
form ``tall``, the logistic ``logit``). Compare two commits with ``asv continuous main HEAD
-b Interrupt``, or run this file as a script under two builds:

    python benchmarks/benchmarks/bench_interrupt.py

which prints the best of ``REPEATS`` timings of each case.
"""

import time

import numpy as np

from l1core import Lasso, SparseLogisticRegression

REPEATS = 7


def _problems():
    rng = np.random.default_rng(0)
    out = {}
    # tiny epochs: 30 samples, 8 correlated features, tight tol: thousands of epochs
    X = rng.standard_normal((30, 1)) + 0.05 * rng.standard_normal((30, 8))
    out["tiny"] = (np.asfortranarray(X), X @ np.arange(1.0, 9.0), 1e-4, dict(tol=1e-14))
    X = rng.standard_normal((200, 5000))
    y = X[:, :20] @ rng.standard_normal(20) + 0.5 * rng.standard_normal(200)
    out["wide"] = (np.asfortranarray(X), y, 0.02, dict(tol=1e-8))
    X = rng.standard_normal((20000, 50))
    y = X[:, :10] @ rng.standard_normal(10) + rng.standard_normal(20000)
    out["tall"] = (np.asfortranarray(X), y, 1e-3, dict(tol=1e-10, precompute=True))
    X = rng.standard_normal((500, 2000))
    label = (X[:, :10].sum(axis=1) + rng.standard_normal(500) > 0).astype(int)
    out["logit"] = (np.asfortranarray(X), label, 2e-3, dict(tol=1e-8))
    return out


def _fit(name, X, y, alpha, kw):
    if name == "logit":
        return SparseLogisticRegression(alpha=alpha, max_iter=100_000, **kw).fit(X, y)
    return Lasso(alpha=alpha, max_iter=1_000_000, **kw).fit(X, y)


class InterruptCheckSuite:
    params = ["tiny", "wide", "tall", "logit"]
    param_names = ["problem"]

    def setup(self, name):
        self.problem = _problems()[name]

    def time_fit(self, name):
        _fit(name, *self.problem)

    def track_epochs(self, name):
        return int(np.max(_fit(name, *self.problem).n_iter_))


if __name__ == "__main__":
    for name, problem in _problems().items():
        best = np.inf
        for _ in range(REPEATS):
            start = time.perf_counter()
            model = _fit(name, *problem)
            best = min(best, time.perf_counter() - start)
        print(f"{name:6s} {best * 1e3:9.2f} ms  epochs {int(np.max(model.n_iter_))}")
