"""Multi-output Elastic Net: a 2-D target Y (n_samples, n_targets) fitted as T independent
problems (scikit-learn's ``Lasso``/``ElasticNet`` on 2-D y), one per column of Y,

    for each t:  min_{w_t, b_t}  1/(2S) sum_i s_i (Y_it - x_i.w_t - b_t)^2 + alpha pen(w_t),

sharing everything that does not depend on the target: X is validated once and read in place
(no copy per target), and the column statistics, the penalty, the projection off the
unpenalized columns and the Gram matrix are computed once (``EnetProblem.with_target``).
The targets are then solved one by one, or on ``n_jobs`` threads (the kernel releases the GIL).
For the multi-task problem, where the rows of W share one support, see
``l1core.multitask``.
"""

from __future__ import annotations

import numpy as np

from . import _validation as v
from ._enet_solver import EnetProblem, solve_checked, solve_options
from ._parallel import map_shared

__all__ = ["enet_solve_targets"]


def enet_solve_targets(X, Y, *, alpha, l1_ratio=1.0, sample_weight=None, penalty_factor=None,
                       lower_bounds=None, upper_bounds=None, positive=False,
                       fit_intercept=True, tol=1e-4, max_iter=1000, selection="cyclic",
                       random_state=None, coef_init=None, screening=True, precompute="auto",
                       warn=True, check_input=True, standardize=False, n_jobs=None):
    """Fit one Elastic Net per column of ``Y`` (n_samples, n_targets): a list of
    ``EnetSolution``, one per target. ``coef_init``: None or (n_targets, n_features). The
    other arguments are those of :func:`l1core.enet_solve`, alike for every target
    (``selection="random"`` draws the same permutations for each). X is not copied (beyond
    what ``check_design`` does once).
    """
    X = v.check_design(X)[0] if check_input else v.check_trusted_design(X)
    Y = v.check_targets(Y, X.shape[0])
    n_targets = Y.shape[1]
    options = solve_options(alpha, tol, max_iter, selection, random_state, screening, warn)
    if coef_init is not None:
        coef_init = np.asarray(coef_init)
        if coef_init.shape != (n_targets, X.shape[1]):
            raise ValueError(f"coef_init must have shape (n_targets, n_features) = "
                             f"{(n_targets, X.shape[1])}, got {coef_init.shape}.")
    starts = [None if coef_init is None else v.check_coef_init(coef_init[t], X.shape[1],
                                                               np.float64)
              for t in range(n_targets)]
    first = EnetProblem(X, Y[:, 0], l1_ratio=l1_ratio, standardize=standardize,
                        sample_weight=sample_weight, penalty_factor=penalty_factor,
                        lower_bounds=lower_bounds, upper_bounds=upper_bounds,
                        positive=positive, fit_intercept=fit_intercept,
                        precompute=precompute, n_solves=n_targets, check_input=False)
    # the first solve fills the column statistics that the other targets then share
    solutions = [solve_checked(first, starts[0], options, stacklevel=3)]
    tasks = [(t,) for t in range(1, n_targets)]
    solutions += map_shared(_solve_target, (first, Y, starts, options), tasks, n_jobs=n_jobs)
    return solutions


def _solve_target(shared, t):
    first, Y, starts, options = shared
    return solve_checked(first.with_target(Y[:, t]), starts[t], options, stacklevel=4)
