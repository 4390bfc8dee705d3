#!/usr/bin/env python
"""Epochs with and without bounds on a random set of small problems (issue 9: the multinomial
loss with bounds took ~1,600 epochs on a 60 x 5 problem). Prints, per loss, the median and
maximum epochs over the set, bounded and unbounded, and the largest bounded/unbounded ratio.

    python benchmarks/bounded_epochs.py [--seeds 30] [--losses multinomial,binary,squared]

Each problem: n in [30, 200], p in [3, 20], standard normal X scaled per column, storage
dense / CSR / CSC, float64 / float32, intercept on or off, sample weights or not,
alpha = alpha_max * logU(0.002, 0.1); bounds +-0.5 (or [0, inf)) on about half the features.
Deterministic in the seed; run it under two builds to compare kernels.
"""

import argparse
import warnings

import numpy as np
import scipy.sparse as sp

from l1core import ElasticNet, SparseLogisticRegression


def problem(seed):
    rng = np.random.default_rng(seed)
    n, p = int(rng.integers(30, 201)), int(rng.integers(3, 21))
    X = rng.standard_normal((n, p)) * rng.uniform(0.5, 2.0, size=p)
    storage = ("dense", "csr", "csc")[seed % 3]
    dtype = np.float32 if rng.uniform() < 0.3 else np.float64
    Xs = X.astype(dtype)
    if storage != "dense":
        Xs = getattr(sp, storage + "_matrix")(Xs)
    lo, hi = np.full(p, -np.inf), np.full(p, np.inf)
    pick = rng.uniform(size=p) < 0.5
    pick[0] = True
    nonneg = pick & (rng.uniform(size=p) < 0.25)
    lo[pick], hi[pick] = -0.5, 0.5
    lo[nonneg], hi[nonneg] = 0.0, np.inf
    weights = rng.uniform(0.2, 2.0, size=n) if rng.uniform() < 0.4 else None
    return dict(rng=rng, X=X, Xs=Xs, lo=lo, hi=hi, weights=weights,
                fit_intercept=bool(rng.uniform() < 0.7), scale=float(np.exp(rng.uniform(np.log(0.002), np.log(0.1)))),
                l1_ratio=float(rng.choice([1.0, 0.8])))


def estimator(loss, pb, bounds):
    kw = dict(lower_bounds=pb["lo"], upper_bounds=pb["hi"]) if bounds else {}
    if loss == "squared":
        return ElasticNet(l1_ratio=pb["l1_ratio"], fit_intercept=pb["fit_intercept"],
                          tol=1e-4, max_iter=100_000, **kw)
    return SparseLogisticRegression(l1_ratio=pb["l1_ratio"], fit_intercept=pb["fit_intercept"],
                                    tol=1e-4, max_iter=100_000, **kw)


def target(loss, pb):
    rng, X = pb["rng"], pb["X"]
    signal = 2.0 * X[:, :3] @ rng.standard_normal(3)
    if loss == "squared":
        return signal + rng.standard_normal(len(X))
    if loss == "binary":
        return (signal + rng.standard_normal(len(X)) > 0).astype(int)
    K = int(rng.integers(3, 6))
    return np.argmax(2.0 * X[:, np.arange(K) % X.shape[1]] + rng.standard_normal((len(X), K)),
                     axis=1)


def alpha_max(loss, pb, y):
    """sklearn-style alpha_max of the unbounded problem (max_j |x_j.(y - ybar)| / n)."""
    X = pb["X"] - (pb["X"].mean(axis=0) if pb["fit_intercept"] else 0.0)
    Y = np.eye(int(y.max()) + 1)[y] if loss != "squared" else y[:, None]
    Y = Y - (Y.mean(axis=0) if pb["fit_intercept"] else 0.0)
    return float(np.abs(X.T @ Y).max() / len(X) / pb["l1_ratio"])


def epochs(loss, seed):
    pb = problem(seed)
    y = target(loss, pb)
    alpha = pb["scale"] * alpha_max(loss, pb, y)
    out = []
    for bounds in (False, True):
        model = estimator(loss, pb, bounds).set_params(alpha=alpha)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            model.fit(pb["Xs"], y, sample_weight=pb["weights"])
        out.append(int(np.max(model.n_iter_)))
    return out


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--seeds", type=int, default=30)
    ap.add_argument("--losses", default="multinomial,binary,squared")
    ap.add_argument("--verbose", action="store_true")
    args = ap.parse_args()
    print("| loss | unbounded median | unbounded max | bounded median | bounded max "
          "| max bounded/unbounded |")
    print("|---|---|---|---|---|---|")
    for loss in args.losses.split(","):
        e = np.array([epochs(loss, seed) for seed in range(args.seeds)])
        ratio = e[:, 1] / np.maximum(e[:, 0], 1)
        if args.verbose:
            print(loss, e.tolist())
        print(f"| {loss} | {np.median(e[:, 0]):.0f} | {e[:, 0].max()} | {np.median(e[:, 1]):.0f}"
              f" | {e[:, 1].max()} | {ratio.max():.1f} |")


if __name__ == "__main__":
    main()
