"""lars_path against scikit-learn's in one process: medians of repeated runs, the same knots.

    python benchmarks/compare_lars.py        (run from outside the source tree's root)
"""

import time
import warnings

import numpy as np
from sklearn.datasets import load_diabetes
from sklearn.linear_model import lars_path as sk_lars_path

from l1core import lars_path


def median_time(fn, repeat):
    times = []
    for _ in range(repeat):
        t = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t)
    return float(np.median(times))


def main():
    X, y = load_diabetes(return_X_y=True)
    rng = np.random.default_rng(0)
    Xw = np.asfortranarray(rng.standard_normal((500, 5000)))
    yw = Xw[:, :20] @ rng.standard_normal(20) + 0.5 * rng.standard_normal(500)
    cases = [("diabetes 442 x 10", X, y, 200), ("dense 500 x 5000", Xw, yw, 5)]
    warnings.simplefilter("ignore")
    for label, A, b, repeat in cases:
        for method in ("lar", "lasso"):
            ours = lars_path(A, b, method=method)
            ref = sk_lars_path(A, b, method=method)
            k = min(len(ours[0]), len(ref[0]))
            same = np.max(np.abs(ours[0][:k] - ref[0][:k])) / ref[0][0]
            t_ours = median_time(lambda: lars_path(A, b, method=method), repeat)
            t_ref = median_time(lambda: sk_lars_path(A, b, method=method), repeat)
            print(f"{label:18s} {method:5s} knots {len(ours[0]):4d}/{len(ref[0]):4d} "
                  f"max alpha diff {same:.1e}  l1core {t_ours * 1e3:8.2f} ms  "
                  f"scikit-learn {t_ref * 1e3:8.2f} ms  speed-up x{t_ref / t_ours:.1f}")


if __name__ == "__main__":
    main()
