"""The multi-task Elastic Net as a group problem on the group engine (``l1core._group_cd``).

Minimizes, for Y (n, T), W (T, p), b (T,), sample weights s_i (S = sum_i s_i) and penalty
factors v_j >= 0 (0: unpenalized row),

    P(W, b) = 1/(2S) sum_i s_i ||y_i - W x_i - b||^2
              + alpha l1_ratio sum_j v_j ||W_:j||_2 + alpha (1 - l1_ratio)/2 sum_j v_j ||W_:j||^2,

scikit-learn's ``MultiTaskElasticNet`` objective for unit weights and factors. It is exactly a
group Lasso on the block-diagonal design diag(X, ..., X) (never formed) with response vec(Y):
coefficient k = t p + j multiplies column j against residual slot t, and the block of feature
j holds its T coefficients {j, p + j, ..., (T-1) p + j}. The engine's loss
1/2 sum_t sum_i sw_i r_it^2 with sw = s / S is the loss above, so no rescaling of alpha:
block penalty a = 0, c_j = alpha l1_ratio v_j, gam_j = alpha (1 - l1_ratio) v_j. The rows'
coefficients touch disjoint slots, so a row's block Hessian is H_j I (H_j = ||x~_j||^2 in the
sw metric) and each block step is the exact row minimization.

Stopping rule (scikit-learn's): gap <= tol * sum_i sw_i ||y_i - ybar||^2.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import scipy.sparse as sp

from .. import _validation as v
from .._design_ops import xt_dot
from .._enet_cd import raise_overflowing_columns
from .._enet_solver import _project, warn_not_converged
from .._group_cd import column_stats, group_cd
from .._group_solver import _full_column_centers
from .._target_stats import off_unpenalized

__all__ = ["MultiTaskProblem", "MultiTaskSolution", "check_tasks"]

# X^T theta through BLAS from n p T = 2^24 multiply-adds: measured on 2 busy cores, a
# threaded BLAS took 17 ms for 100 x 2000 x 10 (0.7 ms compiled, 0.2 ms one BLAS thread),
# and 37 ms against 82 ms compiled for 300 x 10000 x 40.
_BLAS_MIN_PRODUCT = 1 << 24


def check_tasks(Y, n_samples):
    """``Y`` as an (n_samples, n_tasks) Fortran float64 array (``check_targets``), a 1-D
    ``Y`` refused with the advice to use the mono-task estimators."""
    if Y is not None and not sp.issparse(Y) and np.asarray(Y).ndim == 1:
        raise ValueError("For mono-task outputs, use ElasticNet / Lasso: the multi-task "
                         "estimators take y of shape (n_samples, n_tasks).")
    return v.check_targets(Y, n_samples)


@dataclass
class MultiTaskSolution:
    """coef (n_tasks, n_features) in X's dtype; intercept (n_tasks,); dual_gap (certificate on
    the objective of the module docstring); n_iter (epochs); gap_tol; converged; n_screened
    (rows removed by gap-safe screening); residual (n, T) Y~ - X~ W^T."""

    coef: np.ndarray
    intercept: np.ndarray
    dual_gap: float
    n_iter: int
    gap_tol: float
    converged: bool
    n_screened: int
    residual: np.ndarray | None = None


class MultiTaskProblem:
    """A validated multi-task problem on fixed data, solvable at any alpha (a path pays once).

    X (dense, CSC or CSR, float32/float64) is read in place as ``check_design`` returns it
    (C-ordered dense input is copied once into Fortran order); Y is copied once, centered, into
    an (n, T) Fortran float64 array. The user's arrays are never modified. The unpenalized
    rows' columns (penalty factor 0) are copied into a dense (n, k) block to keep the dual
    point orthogonal to them.
    """

    def __init__(self, X, Y, *, l1_ratio=1.0, sample_weight=None, penalty_factor=None,
                 fit_intercept=True, check_input=True):
        X = v.check_design(X)[0] if check_input else v.check_trusted_design(X)
        n, p = X.shape
        self.X = X
        self.Y = check_tasks(Y, n)
        self.n_tasks = self.Y.shape[1]
        s = v.check_sample_weight(sample_weight, n, np.float64)
        self.sw = s / s.sum()
        self.l1_ratio = v.check_l1_ratio(l1_ratio)
        self.factor = np.broadcast_to(v.check_penalty_factor(penalty_factor, p), p).copy()
        self.fit_intercept = bool(fit_intercept)
        self.xbar, self.cnorm = column_stats(X, self.sw, self.fit_intercept)
        if not np.all(np.isfinite(self.cnorm)):
            raise_overflowing_columns(self.cnorm, self.cnorm)
        self.center = _full_column_centers(X, self.xbar, self.fit_intercept)
        self.ybar = self.sw @ self.Y if self.fit_intercept else np.zeros(self.n_tasks)
        self.Ytil = np.asfortranarray(self.Y - self.ybar)
        T = self.n_tasks
        self.ptr = np.arange(0, p * T + 1, T, dtype=np.intp)
        self.feat = (np.arange(T)[None, :] * p + np.arange(p)[:, None]).ravel().astype(np.intp)
        self.free = (self.factor == 0.0).astype(np.uint8)
        self.Z, self.Ginv, kept = _project(X, self.factor == 0.0, self.sw, self.fit_intercept)
        if self.free.any() and not kept.any():
            raise ValueError("the unpenalized rows hold too many values to keep the dual point "
                             "orthogonal to them; penalize some of them.")

    @property
    def n_features(self):
        return self.X.shape[1]

    def off_unpenalized(self, R):
        """(n, T): R off the unpenalized columns' weighted least squares fit, per task."""
        if not self.Z.shape[1]:
            return R
        return np.column_stack([off_unpenalized(R[:, t], self.Z, self.Ginv, self.sw)
                                for t in range(self.n_tasks)])

    def alpha_max(self):
        """The smallest alpha with W = 0 optimal (exact): max_j ||X~_j^T (sw R0)||_2 /
        (l1_ratio v_j) over the penalized rows, R0 the residual of the intercept and the
        unpenalized columns. Needs l1_ratio > 0."""
        penalized = self.factor > 0
        if not penalized.any() or self.l1_ratio == 0.0:
            return 0.0
        norms = np.linalg.norm(self.correlations(self.Ytil)[penalized], axis=1)
        return float(np.max(norms / (self.l1_ratio * self.factor[penalized])))

    def residual_of(self, W):
        """(n, T) Y~ - X~ W^T from W's nonzero rows only (Y~ for W None)."""
        R = self.Ytil.copy()
        rows = np.array([], dtype=np.intp) if W is None else np.flatnonzero(np.any(W != 0, 0))
        if rows.size:
            Ws = np.asarray(W, dtype=np.float64)[:, rows]
            R -= np.asarray(self.X[:, rows] @ Ws.T) - self.xbar[rows] @ Ws.T
        return R

    def gap_tol(self, tol):
        return tol * float(self.sw @ np.einsum("it,it->i", self.Ytil, self.Ytil))

    def solve(self, alpha, *, W=None, tol=1e-4, max_iter=1000, screening=True, warn=True,
              rows=None):
        """Solve at alpha from W ((n_tasks, n_features) or None for zeros; not modified).
        ``rows``: solve over these rows only, the others held at zero (they must be zero in
        W; the gap then certifies the restricted problem, see :meth:`correlations`).
        Returns a :class:`MultiTaskSolution` (``residual``: Y~ - X~ W^T, (n, T))."""
        alpha = v.check_alpha(alpha)
        tol = v.check_tol(tol)
        max_iter = v.check_max_iter(max_iter)
        T, p, n = self.n_tasks, self.n_features, self.X.shape[0]
        w = np.zeros(T * p) if W is None else np.array(W, dtype=np.float64).ravel()
        if rows is None:
            rows, ptr, feat = slice(None), self.ptr, self.feat
        else:
            ptr = self.ptr[:len(rows) + 1]
            feat = (np.arange(T)[None, :] * p + rows[:, None]).ravel().astype(np.intp)
        factor = self.factor[rows]
        gap_tol = self.gap_tol(tol)
        residual = np.empty(n * T)
        gap, epochs, _, screened = group_cd(
            self.X, self.Ytil, w, sw=self.sw, xbar=self.xbar, cnorm=self.cnorm, ptr=ptr,
            feat=feat, a=np.zeros(len(factor)), c=alpha * self.l1_ratio * factor,
            gam=alpha * (1.0 - self.l1_ratio) * factor, free=self.free[rows], positive=False,
            Z=self.Z, Ginv=self.Ginv, tol_abs=gap_tol, max_iter=max_iter, screen=screening,
            center=self.center, residual=residual)
        converged = gap <= gap_tol
        if warn and not converged:
            warn_not_converged(epochs, max_iter, gap, gap_tol, stacklevel=3)
        W = w.reshape(T, p).astype(self.X.dtype)
        # the intercepts of the coefficients as returned (float32: rounded; see
        # l1core._group_solver)
        intercept = (self.ybar - W.astype(np.float64) @ self.xbar if self.fit_intercept
                     else np.zeros(T))
        return MultiTaskSolution(coef=W, intercept=intercept,
                                 dual_gap=float(gap), n_iter=int(epochs), gap_tol=gap_tol,
                                 converged=bool(converged), n_screened=int(screened),
                                 residual=residual.reshape(T, n).T)

    def correlations(self, residual):
        """(p, T) q_j = X~_j^T theta, theta = sw R^ (R^ the residual (n, T) off the unpenalized
        columns): row j is in its dual constraint when ||q_j|| <= alpha l1_ratio v_j. One
        pass over X: BLAS for large float64 dense X, else ``xt_dot`` in X's dtype."""
        theta = self.sw[:, None] * self.off_unpenalized(residual)
        n, p = self.X.shape
        if not sp.issparse(self.X) and self.X.dtype == np.float64 and n * p * self.n_tasks \
                >= _BLAS_MIN_PRODUCT:
            q = self.X.T @ theta
        else:
            q = xt_dot(self.X, theta)
        return q - np.outer(self.xbar, theta.sum(axis=0))
