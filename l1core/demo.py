"""Demonstration: which diabetes features does the Lasso select?

Run it with::

    python -m l1core.demo

It loads the diabetes data of Efron, Hastie, Johnstone and Tibshirani (2004),
computes ``alpha_max`` (the smallest ``alpha`` for which every coefficient is
zero) and fits :class:`l1core.Lasso` at a few fractions of it. For each fit it
prints the selected features with their coefficients, the certified duality
gap and the number of epochs the solver needed.
"""

import sys

import numpy as np

from l1core import Lasso
from l1core.datasets import load_diabetes

FRACTIONS = (0.5, 0.1, 0.01)


def alpha_max(X, y):
    """Smallest alpha for which the Lasso (with intercept) has ``coef_ == 0``."""
    return float(np.max(np.abs(X.T @ (y - y.mean()))) / X.shape[0])


def run(fractions=FRACTIONS, tol=1e-8, out=None):
    """Fit the Lasso path points, print a report to ``out``; return the models."""
    out = sys.stdout if out is None else out
    X, y, names = load_diabetes(scaled=True)
    n_samples, n_features = X.shape
    a_max = alpha_max(X, y)
    tss = float(np.sum((y - y.mean()) ** 2))

    print("l1core demo: Lasso on the diabetes data "
          "(Efron, Hastie, Johnstone & Tibshirani 2004)", file=out)
    print(f"{n_samples} patients, {n_features} features "
          f"({', '.join(names)}); target: disease progression", file=out)
    print(f"alpha_max = max|X^T (y - ybar)| / n = {a_max:.6g}", file=out)

    models = []
    for frac in fractions:
        alpha = frac * a_max
        model = Lasso(alpha=alpha, tol=tol).fit(X, y)
        coef = np.asarray(model.coef_, dtype=np.float64).ravel()
        selected = np.flatnonzero(coef)
        resid = y - (X @ coef + model.intercept_)
        r2 = 1.0 - float(resid @ resid) / tss

        print(file=out)
        print(f"alpha = {frac:g} * alpha_max = {alpha:.6g}", file=out)
        print(f"  {selected.size} of {n_features} features selected:", file=out)
        for j in selected:
            print(f"    {names[j]:<4s} {coef[j]:+12.4f}", file=out)
        print(f"  intercept {float(model.intercept_):.4f}, R^2 {r2:.4f}", file=out)
        print(f"  duality gap {float(model.dual_gap_):.3e} "
              f"(certificate: objective within this of the optimum), "
              f"epochs {int(model.n_iter_)}", file=out)
        models.append((alpha, model))
    return models


def main():
    run()
    return 0


if __name__ == "__main__":
    sys.exit(main())
