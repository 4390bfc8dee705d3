"""The squared loss on row partitions: statistics, alpha_max, the certified gap of a full
pass and the working-set subproblem (l1core's in-memory ``enet_solve``).

    P(w, b) = 1/(2S) sum_i s_i (y_i - x_i.w - b)^2 + sum_j a_j |w_j| + c_j w_j^2 / 2

Dual point ``theta = t s r' / S``, r' the residual projected off [1, X_U] (intercept and
unpenalized columns, :class:`~l1core.distributed._dual.Projection`) and t the scaling into the
Lasso constraints; ``D = t/S sum s r' y - t^2/(2S) sum s r'^2 - sum_j h_j*(t q_j)``,
``q = X^T (s r') / S``. Stopping rule ``gap <= tol * sum s (y - ybar)^2 / S`` as in memory.
"""

from dataclasses import dataclass

import numpy as np

from .. import _validation as v
from .._enet_solver import enet_solve
from . import _blocks
from ._dual import Projection, dual_scale_and_conjugate, penalty_value, penalty_weights

__all__ = ["Certificate", "SquaredLoss", "bounds_of"]


@dataclass
class Certificate:
    """One full pass: the duality gap, its primal value and loss part (``data_fit``),
    X^T theta (unscaled, for ranking) and the bytes the tasks returned."""

    gap: float
    primal: float
    data_fit: float
    q: np.ndarray
    bytes: int


def bounds_of(bounds, W):
    """The in-memory solvers' bound arguments for the working set W (none if unbounded)."""
    lower, upper = bounds
    return {} if lower is None else {"lower_bounds": lower[W], "upper_bounds": upper[W]}


class SquaredLoss:
    """Least squares on a :class:`~l1core.distributed._partitions.RowPartitions`.

    Gathers y and the sample weights on the driver once (n-vectors: the subproblem's rows),
    then one statistics pass over X."""

    def __init__(self, parts, *, factor, l1_ratio, fit_intercept, solver_options=None,
                 bounds=(None, None)):
        self.parts = parts
        self.bounds = bounds
        self.ridge_factor = None         # the L2 part's factors if not factor's (standardize)
        self.solver_factor = factor      # the subproblems' penalty_factor
        self.factor = factor
        self.l1_ratio = l1_ratio
        self.fit_intercept = fit_intercept
        self.solver_options = dict(solver_options or {})
        n = parts.n_samples
        self.y = v.check_target(parts.y.compute(), n, np.float64)
        s = parts.sample_weight
        self.sw = None if s is None else v.check_sample_weight(s.compute(), n, np.float64)
        self.setup_bytes = self.y.nbytes + (0 if self.sw is None else self.sw.nbytes)
        self.t_blocks = parts.y_blocks
        self.unpenalized = np.flatnonzero(factor == 0.0)
        self.penalized = factor > 0.0
        self.statistics()

    @property
    def n_features(self):
        return self.parts.n_features

    def statistics(self):
        parts = self.parts
        st, moved = parts.reduce(_blocks.block_statistics, parts.X_blocks, self.t_blocks,
                                 parts.s_blocks, broadcast=(self.unpenalized,))
        self.setup_bytes += moved
        self.stats = st
        self.S = float(st["S"])
        self.projection = Projection(st, self.unpenalized, self.fit_intercept)
        self.Aty = self.projection.At_s(st["xst"], float(st["st"]))
        s = np.ones_like(self.y) if self.sw is None else self.sw
        ybar = float(s @ self.y) / self.S if self.fit_intercept else 0.0
        self.start_intercept = ybar
        self.scale = float(s @ (self.y - ybar) ** 2) / self.S
        self.null_fit = 0.5 * self.scale          # the loss of the intercept-only model

    def null_correlations(self):
        """X^T theta / S at the null model (w = 0 on penalized features), the projection of y."""
        st = self.stats
        g, _, _ = self.projection.project(st["xst"].copy(), float(st["st"]), 0.0, 0.0,
                                          self.Aty)
        return g / self.S

    def certificate(self, w, b, alpha):
        parts = self.parts
        (g, sums), moved = parts.reduce(_blocks.squared_pass, parts.X_blocks, parts.y_blocks,
                                        parts.s_blocks, broadcast=(w, float(b)))
        a, c = penalty_weights(alpha, self.l1_ratio, self.factor, self.ridge_factor)
        data_fit = sums[1] / (2.0 * self.S)
        primal = data_fit + penalty_value(w, a, c)
        g, srr, sry = self.projection.project(g, *sums, self.Aty)
        q = g / self.S
        t, conj = dual_scale_and_conjugate(q, a, c, self.penalized, *self.bounds)
        dual = t * sry / self.S - t * t * srr / (2.0 * self.S) - conj
        return Certificate(gap=float(primal - dual), primal=float(primal),
                           data_fit=float(data_fit), q=q, bytes=moved)

    def subproblem(self, XW, W, wW, b, alpha, tol, max_iter):
        """The in-memory solve on the gathered columns, warm-started: (w_W, b, epochs)."""
        sol = enet_solve(XW, self.y, alpha=alpha, l1_ratio=self.l1_ratio,
                         sample_weight=self.sw, penalty_factor=self.solver_factor[W],
                         fit_intercept=self.fit_intercept, tol=tol, max_iter=max_iter,
                         coef_init=wW, warn=False, **bounds_of(self.bounds, W),
                         **self.solver_options)
        return sol.coef.astype(np.float64), sol.intercept, sol.n_iter
