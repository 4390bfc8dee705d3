"""Logistic fits with one-sided bounds converge (issue 9, silent stalls; issue 11, the
logistic kernel's ranking). With lower = 0 a feature at zero whose correlation is far below
-a_j is not a violator, yet the kernel ranked features by |q_j|: such features filled the
working set, which never grew, and the fit stalled at a fixed gap whatever max_iter
(5.6e-4 after 100,000 epochs on the problem below). The ranking is now one-sided at a bound
at zero (as the Elastic Net's), and the working set doubles when a round does not lower the
gap. The optimum is checked against L-BFGS-B: with lower >= 0 the L1 term is linear, so the
problem is smooth with box constraints."""

import warnings

import numpy as np
import pytest
from scipy.optimize import minimize

import _logistic_reference as lref
from _distributed_data import sparse_regression

from l1core import ConvergenceWarning, SparseLogisticRegression

ALPHA = 0.01
TOL = 1e-8


def lbfgs_optimum(X, labels, a, lower, upper):
    """min P over the box by L-BFGS-B (P smooth there: sign(w) fixed by the box)."""
    n, p = X.shape
    sign = np.where(upper <= 0, -1.0, 1.0)

    def objective(v):
        z = X @ v[:p] + v[p]
        grad_z = (0.5 * (1 + np.tanh(0.5 * z)) - labels) / n
        return (np.mean(np.logaddexp(0, z) - labels * z) + (a * sign) @ v[:p],
                np.r_[X.T @ grad_z + a * sign, grad_z.sum()])

    opt = minimize(objective, np.zeros(p + 1), jac=True, method="L-BFGS-B",
                   bounds=list(zip(lower, upper)) + [(None, None)],
                   options={"ftol": 1e-15, "gtol": 1e-12, "maxiter": 20_000})
    return lref.binary_primal(X, labels, opt.x[:p], opt.x[p], np.ones(n), a, np.zeros(p))


@pytest.mark.parametrize("seed", [4, 0, 7])
@pytest.mark.parametrize("box", ["[0, 0.5]", "[0, 0.3]", "[-0.5, 0]", "[0, inf)"])
def test_one_sided_box_converges_to_the_optimum(seed, box):
    X, y = sparse_regression(seed=seed)
    labels = (y > np.median(y)).astype(int)
    n, p = X.shape
    lo, hi = {"[0, 0.5]": (0.0, 0.5), "[0, 0.3]": (0.0, 0.3), "[-0.5, 0]": (-0.5, 0.0),
              "[0, inf)": (0.0, np.inf)}[box]
    lower, upper = np.full(p, lo), np.full(p, hi)
    with warnings.catch_warnings():
        warnings.simplefilter("error", ConvergenceWarning)
        model = SparseLogisticRegression(alpha=ALPHA, tol=TOL, max_iter=400,
                                         lower_bounds=lower, upper_bounds=upper).fit(X, labels)
    a = np.full(p, ALPHA)
    w, b = model.coef_[0].astype(np.float64), float(model.intercept_[0])
    assert np.all(w >= lower) and np.all(w <= upper)
    gap, primal = lref.binary_gap(X, labels, w, b, np.ones(n), a, np.zeros(p), lower, upper)
    assert gap == pytest.approx(model.dual_gap_, rel=1e-5, abs=1e-12)
    pbar = labels.mean()
    assert model.dual_gap_ <= TOL * -(pbar * np.log(pbar) + (1 - pbar) * np.log1p(-pbar))
    best = lbfgs_optimum(X, labels, a, lower, upper)
    assert primal - best <= model.dual_gap_ + 1e-12
    assert best - primal <= 1e-10               # the reference finds nothing better


def test_multinomial_nonnegative_converges():
    """The multinomial kernel shares the ranking: lower = 0 on every class."""
    X, y = sparse_regression(seed=4)
    labels = np.digitize(y, np.quantile(y, [1 / 3, 2 / 3]))
    with warnings.catch_warnings():
        warnings.simplefilter("error", ConvergenceWarning)
        model = SparseLogisticRegression(alpha=ALPHA, tol=1e-6, max_iter=3000,
                                         lower_bounds=0.0).fit(X, labels)
    assert np.all(model.coef_ >= 0) and model.dual_gap_ >= 0
