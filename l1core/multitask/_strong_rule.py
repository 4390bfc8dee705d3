"""The sequential strong rule (Tibshirani et al. 2012) for the multi-task path, with its KKT
check, so that each solve's full passes read only the candidate rows.

At ``alpha`` after ``previous_alpha``, row j is a candidate when

    ||q_j(previous)|| >= l1_ratio v_j (2 alpha - previous_alpha),

q_j = X~_j^T theta the previous solution's dual correlations
(:meth:`MultiTaskProblem.correlations`), or when it is nonzero in the start or unpenalized.
The engine solves over the candidates, the other rows held at zero; one pass over X then
checks every other row's dual constraint ``||q_j|| <= alpha l1_ratio v_j`` and re-solves with
the violators added until none is left. The restricted gap then IS the full problem's gap:
the dropped rows are zero (no penalty) and inside their constraint at the unscaled dual
point, so neither the primal nor the dual changes (their conjugates vanish, the dual
scaling factor t <= 1 is set by the candidates).
"""

from __future__ import annotations

import numpy as np

__all__ = ["strong_rule_solve"]


def strong_rule_solve(problem, alpha, W, q, previous_alpha, **solve_options):
    """Solve ``problem`` at ``alpha`` from W ((T, p) or None) restricted to the strong set
    built from ``q`` ((p, T) correlations at ``previous_alpha``), KKT-checked. Returns
    (solution, q at the solution); ``solution.n_iter`` sums the epochs of the solves."""
    c = problem.l1_ratio * problem.factor
    if problem.l1_ratio == 0.0:
        solution = problem.solve(alpha, W=W, **solve_options)
        return solution, problem.correlations(solution.residual)
    keep = np.linalg.norm(q, axis=1) >= c * (2.0 * alpha - previous_alpha)
    keep |= problem.factor == 0.0
    if W is not None:
        keep |= np.any(W != 0, axis=0)
    epochs = 0
    while True:
        solution = problem.solve(alpha, W=W, rows=np.flatnonzero(keep), **solve_options)
        epochs += solution.n_iter
        q = problem.correlations(solution.residual)
        violators = ~keep & (np.linalg.norm(q, axis=1) > alpha * c)
        if not violators.any():
            break
        keep |= violators
        W = solution.coef
    solution.n_iter = epochs
    return solution, q
