#!/usr/bin/env python
"""Scale check: a Lasso path and a single fit on a float32 CSR matrix of 10^8 values.

    python benchmarks/scale.py                    # 10^8 values (about 0.8 GB of X, ~1 GB RSS)
    python benchmarks/scale.py --nnz 1e7          # a tenth of it, in seconds
    python benchmarks/scale.py --nnz 1e7 --storage csc --n-alphas 20

X comes from ``benchmarks/benchmarks/data.py:scale_csr``: ``nnz / 100`` rows, 100 values per
row spread over ``--n-features`` columns (default 100,000), float32 values with int32
indices, built in place chunk by chunk (10^8 values take about 15 s and no temporary beyond
one chunk). Then, each call timed alone:

- **path**: ``lasso_path`` with an intercept, ``--n-alphas`` alphas (default 10) from
  alpha_max down to alpha_max * ``--eps`` (default 0.1), ``tol`` 1e-4;
- **fit**: one ``Lasso`` at the path's last alpha (alpha_max / 10 by default).

Printed per call: wall time, peak resident memory of the process during the call (VmHWM,
reset before it; it holds X, the interpreter and whatever the call allocates), peak RSS / X
bytes, and the call's own share, (peak RSS - RSS before the call) / X bytes: about 0.05
without copies of X, 1 or more with a float64 copy of float32 X. Also the number of nonzero
coefficients and the largest duality gap. Linux only for the memory columns.
"""

import argparse
import gc
import os
import sys
import time
import warnings

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
if HERE not in sys.path:
    sys.path.insert(0, HERE)

from benchmarks.data import scale_csr  # noqa: E402
from benchmarks.memory import peak_rss, x_bytes  # noqa: E402


def _gb(b):
    return "n/a" if b is None else f"{b / 1e9:.3f} GB"


def _ratio(b, xb):
    return "n/a" if b is None else f"{b / xb:.2f}"


def measure(name, call, xb):
    """Run ``call`` once; print and return its time and memory (see the module docstring)."""
    gc.collect()
    result, seconds, peak, before = peak_rss(call)
    own = None if peak is None else peak - before
    print(f"{name:5s} time {seconds:8.2f} s   peak RSS {_gb(peak)}   peak RSS / X "
          f"{_ratio(peak, xb)}   (call's own: {_gb(own)} = {_ratio(own, xb)} x X)",
          flush=True)
    return result, dict(seconds=seconds, peak=peak, before=before)


def run(nnz, *, n_features=100_000, storage="csr", n_alphas=10, eps=0.1, tol=1e-4,
        do_path=True, do_fit=True):
    """Build X and measure the path and the fit; returns the measurements."""
    import l1core
    from l1core import Lasso, lasso_path

    l1core.set_config(csr_copy_budget=0)     # X in place: the memory of the CSR kernels
    t0 = time.perf_counter()
    X, y, _ = scale_csr(nnz, n_features=n_features)
    if storage == "csc":
        X = X.tocsc()
    xb = x_bytes(X)
    print(f"X: {storage.upper()} float32 {X.shape[0]:,} x {X.shape[1]:,}, {X.nnz:,} values, "
          f"{_gb(xb)} (built in {time.perf_counter() - t0:.1f} s)", flush=True)
    out = {"X_bytes": xb}
    warnings.simplefilter("ignore")          # ConvergenceWarning at the smallest alphas
    alphas = None
    if do_path:
        (alphas, coefs, gaps), out["path"] = measure(
            "path", lambda: lasso_path(X, y, n_alphas=n_alphas, eps=eps, tol=tol,
                                       fit_intercept=True), xb)
        print(f"      {n_alphas} alphas {alphas[0]:.4g} .. {alphas[-1]:.4g}, nonzeros at the "
              f"last {np.count_nonzero(coefs[:, -1])}, max gap {np.max(gaps):.2e}",
              flush=True)
        del coefs
    if do_fit:
        if alphas is None:
            alphas = lasso_path(X, y, n_alphas=2, eps=eps, tol=tol, fit_intercept=True)[0]
        model, out["fit"] = measure("fit", lambda: Lasso(alpha=alphas[-1], tol=tol).fit(X, y),
                                    xb)
        print(f"      alpha {alphas[-1]:.4g}, nonzeros {np.count_nonzero(model.coef_)}, "
              f"gap {model.dual_gap_:.2e}, epochs {model.n_iter_}", flush=True)
    return out


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--nnz", type=float, default=1e8, help="values in X (default 1e8)")
    parser.add_argument("--n-features", type=int, default=100_000)
    parser.add_argument("--storage", choices=["csr", "csc"], default="csr")
    parser.add_argument("--n-alphas", type=int, default=10)
    parser.add_argument("--eps", type=float, default=0.1)
    parser.add_argument("--tol", type=float, default=1e-4)
    parser.add_argument("--only", choices=["path", "fit"], help="run one of the two calls")
    args = parser.parse_args(argv)
    run(int(args.nnz), n_features=args.n_features, storage=args.storage,
        n_alphas=args.n_alphas, eps=args.eps, tol=args.tol, do_path=args.only != "fit",
        do_fit=args.only != "path")


if __name__ == "__main__":
    main()
