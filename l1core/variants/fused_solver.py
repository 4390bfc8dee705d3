"""FISTA for the Fused Lasso, certified by a duality gap.

    P(w, b) = 1/(2S) sum_i s_i (y_i - x_i.w - b)^2 + a ||w||_1 + c TV(w)

(``a = alpha l1_ratio``, ``c = alpha (1 - l1_ratio)``, l1core.variants.fused_penalty). The
intercept is eliminated exactly: ``b*(w) = ybar - xbar.w`` (weighted means), which leaves the
centered problem in w with ``Xc = X - 1 xbar^T``, applied as ``X v - xbar.v`` and ``X^T u -
xbar sum(u)``: X is never centered, copied or densified. FISTA (Beck & Teboulle 2009) with the
exact fused prox, backtracking on L, Nesterov momentum on w and on ``Xc w`` (one ``X @ v`` and
one ``X^T u`` per iteration) and function restart (O'Donoghue & Candes 2015).

The certificate (design.md section 2): with r the residual at (w, b*(w)), theta = s r / S sums
to zero and ``D(t theta) = t A - t^2 B / 2`` (``A = theta.yc``, ``B = S sum_i theta_i^2 /
s_i``) is a lower bound on min P whenever ``t Xc^T theta`` is in the dual ball ``B_Omega``, i.e.
``t <= 1 / N(Xc^T theta)`` (N the fused dual norm). The solver takes the best such t,
``clip(A / B, 0, 1 / N)``, so ``gap = P - D`` is a true upper bound on ``P(w) - min P``.
With ``a = 0`` (pure TV) the dual ball needs ``sum_k (Xc^T theta)_k = 0``: theta is first
projected orthogonally to ``v = Xc 1`` (on the rows of positive weight, centered there), which
keeps its zero sum and its zeros. Stop when ``gap <= tol * sum_i s_i (y_i - ybar)^2 / S``
(scikit-learn's rule, as l1core's Lasso).

Float32 X stays float32: its products run in float32 (iterates cast to X's dtype for the
product, results in float64), so the certificate holds to float32 rounding of ``X @ v``.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from .._products import times, transpose_times
from .fused_penalty import FusedPenalty, fused_dual_norm

__all__ = ["FusedProblem", "FusedSolution"]


@dataclass
class FusedSolution:
    """One solve: ``coef`` (float64), ``intercept``, ``dual_gap``, ``n_iter``, whether the
    gap met ``gap_tol``, and ``deviance`` ``sum_i s_i r_i^2 / S`` at the solution."""

    coef: np.ndarray
    intercept: float
    dual_gap: float
    n_iter: int
    converged: bool
    gap_tol: float
    deviance: float


class FusedProblem:
    """The data of a (weighted) Fused Lasso: centered products, Lipschitz constant, gap."""

    def __init__(self, X, y, sample_weight, fit_intercept):
        self.X = X
        self.n, self.p = X.shape
        self.S = float(sample_weight.sum())
        self.sw = np.asarray(sample_weight, dtype=np.float64)
        self.wS = self.sw / self.S
        self.positive = self.sw > 0
        self.fit_intercept = bool(fit_intercept)
        self.ybar = float(self.wS @ y) if self.fit_intercept else 0.0
        self.yc = np.asarray(y, dtype=np.float64) - self.ybar
        self.xbar = (self._xt(self.wS) if self.fit_intercept else np.zeros(self.p))
        self.null_deviance = float(self.wS @ (self.yc * self.yc))
        self.L = None
        self._tv_direction = None

    # -- the centered design
    # float32 X is read in its own dtype with double accumulation (l1core._products): a
    # float32 product of a column of large mean lost the centered value (alpha_max and the
    # gap's dual norm off by ~1%: w = 0 certified below alpha_max)
    def _xt(self, u):
        return transpose_times(self.X, u)

    def matvec(self, w):
        """``Xc w``."""
        w = np.asarray(w, dtype=np.float64)
        z = times(self.X, w)
        return z - self.xbar @ w if self.fit_intercept else z

    def rmatvec(self, u):
        """``Xc^T u``."""
        q = self._xt(u)
        return q - self.xbar * u.sum() if self.fit_intercept else q

    def lipschitz(self, n_iter=30):
        """The largest eigenvalue of ``Xc^T diag(s / S) Xc`` by power iteration (a lower
        estimate; backtracking raises it when needed)."""
        if self.L is None:
            u = np.random.default_rng(0).standard_normal(self.p)
            L = 0.0
            for _ in range(n_iter):
                norm = np.linalg.norm(u)
                if norm == 0.0:
                    break
                u = self.rmatvec(self.wS * self.matvec(u / norm))
                L = float(np.linalg.norm(u))
            self.L = max(L, 1e-12 * (1.0 + self.null_deviance))
        return self.L

    def alpha_max(self, l1_ratio):
        """The smallest alpha at which w = 0 is optimal: ``N_1(Xc^T (s yc / S))`` for the
        penalty at alpha = 1 (needs l1_ratio > 0; pure TV has no finite one)."""
        if l1_ratio == 0.0:
            raise ValueError("l1_ratio=0 (pure TV) has no finite alpha_max: pass alphas "
                             "explicitly.")
        return fused_dual_norm(self.rmatvec(self.wS * self.yc), l1_ratio, 1.0 - l1_ratio)

    # -- the certificate
    def _tv_projection(self):
        """``(v, Xc^T v)``: ``v = Xc 1`` on the rows of positive weight (centered there
        when an intercept is fitted), 0 elsewhere; None if v = 0."""
        if self._tv_direction is None:
            v = np.where(self.positive, self.matvec(np.ones(self.p)), 0.0)
            if self.fit_intercept:
                v[self.positive] -= v[self.positive].mean()
            vv = float(v @ v)
            self._tv_direction = (v / math.sqrt(vv), self.rmatvec(v) / math.sqrt(vv)) \
                if vv > 0 else (None, None)
        return self._tv_direction

    def gap(self, w, z, pen):
        """``(P, gap)`` at w, whose centered predictor is ``z = Xc w``."""
        r = self.yc - z
        primal = 0.5 * float(self.wS @ (r * r)) + pen.value(w)
        theta = self.wS * r
        q = self.rmatvec(theta)
        if pen.a > 0.0:
            norm = fused_dual_norm(q, pen.a, pen.c)
        else:
            v, xtv = self._tv_projection()
            if v is not None:
                k = float(theta @ v)
                theta, q = theta - k * v, q - k * xtv
            # inf unless sum q = 0 (TV is blind to constants): a dual point left off the
            # constants' direction (v lost, or none) certifies nothing rather than a lie
            norm = fused_dual_norm(q, 0.0, pen.c)
        A = float(theta @ self.yc)
        B = self.S * float(np.sum(theta[self.positive] ** 2 / self.sw[self.positive]))
        t = A / B if B > 0 else 0.0
        if norm > 0:
            t = min(t, 1.0 / norm)
        t = max(t, 0.0)
        return primal, primal - (t * A - 0.5 * t * t * B)

    def intercept(self, w):
        return self.ybar - float(self.xbar @ w) if self.fit_intercept else 0.0

    # -- the solver
    def solve(self, alpha, l1_ratio, w=None, *, tol=1e-4, max_iter=10_000, gap_every=10):
        """FISTA from ``w`` (a warm start; zeros if None) until the gap meets ``tol``."""
        pen = FusedPenalty(alpha, l1_ratio)
        gap_tol = tol * self.null_deviance
        x = np.zeros(self.p) if w is None else np.array(w, dtype=np.float64)
        zx = self.matvec(x)
        rx = self.yc - zx
        obj_x = 0.5 * float(self.wS @ (rx * rx)) + pen.value(x)
        L = self.lipschitz()
        slack = 10.0 * float(np.finfo(self.X.dtype).eps)    # the rounding of X @ v
        y, zy, t = x, zx, 1.0
        gap, n_iter = math.inf, 0
        _, gap = self.gap(x, zx, pen)
        while gap > gap_tol and n_iter < max_iter:
            n_iter += 1
            g = -self.rmatvec(self.wS * (self.yc - zy))
            while True:                                          # backtracking on L
                x_new = pen.prox(y - g / L, 1.0 / L)
                # dz = Xc d from d itself: the difference of two products of large-mean
                # columns carries their cancellation (eps |xbar| |w|, not eps |d|), which near
                # the optimum failed the test below and doubled L without end
                d = x_new - y
                dz = self.matvec(d)
                z_new = zy + dz
                # f quadratic: f(x+) - f(y) - g.d = 1/2 sum (s/S) dz^2 exactly, computed
                # without the cancellation of f(x+) - f(y) (which near the optimum would
                # raise L forever)
                curvature = float(self.wS @ (dz * dz))
                if curvature <= L * float(d @ d) * (1.0 + slack) or not math.isfinite(L):
                    break
                L *= 2.0
            r_new = self.yc - z_new
            f_new = 0.5 * float(self.wS @ (r_new * r_new))
            obj_new = f_new + pen.value(x_new)
            if obj_new > obj_x:                                  # function restart
                t, y, zy = 1.0, x_new, z_new
            else:
                t_new = 0.5 * (1.0 + math.sqrt(1.0 + 4.0 * t * t))
                beta = (t - 1.0) / t_new
                y = x_new + beta * (x_new - x)
                zy = z_new + beta * (z_new - zx)
                t = t_new
            x, zx, obj_x = x_new, z_new, obj_new
            if n_iter % gap_every == 0 or n_iter == max_iter:
                # the steps update z by products of d: recompute it exactly for the gap
                zx = self.matvec(x)
                zy = zx if y is x else self.matvec(y)
                _, gap = self.gap(x, zx, pen)
        self.L = L
        r = self.yc - zx
        return FusedSolution(coef=x, intercept=self.intercept(x), dual_gap=float(gap),
                             n_iter=n_iter, converged=bool(gap <= gap_tol), gap_tol=gap_tol,
                             deviance=float(self.wS @ (r * r)))
