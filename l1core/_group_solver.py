"""Sparse-group elastic net solves (squared loss): validated input in, certified solution out.

Minimizes, for sample weights ``s_i >= 0`` (``S = sum_i s_i``) and groups g with weights w_g,

    P(w, b) = 1/(2S) sum_i s_i (y_i - x_i.w - b)^2
              + alpha sum_g w_g (l1_ratio ||w_g||_1 + (1 - l1_ratio) ||w_g||_2)
              + gamma/2 sum_{g: w_g > 0} ||w_g||^2          [w >= 0 if positive]

by the compiled engine ``l1core._group_cd`` (block coordinate descent, working sets of groups,
gap-safe group screening), stopping when the duality gap ``<= tol * sum_i s_i (y_i - ybar)^2 / S``
(design.md). ``l1_ratio=0`` is the Group Lasso, ``l1_ratio=1`` the Lasso; w_g = 0 leaves a group
unpenalized (and unshrunk by gamma).
"""

from dataclasses import dataclass

import numpy as np
import scipy.sparse as sp

from . import _validation as v
from ._column_store import column_store
from ._design_ops import xt_dot
from ._enet_solver import _project, warn_not_converged
from ._enet_cd import raise_overflowing_columns
from ._group_cd import column_stats, dual_norms, group_cd
from ._groups import group_weights, parse_groups
from ._target_stats import centered_target, off_unpenalized

__all__ = ["GroupProblem", "GroupSolution"]


@dataclass
class GroupSolution:
    """coef (n_features,) in X's dtype; intercept; dual_gap (certificate on the objective
    above); n_iter (epochs); gap_tol; converged; n_screened (groups removed by screening)."""

    coef: np.ndarray
    intercept: float
    dual_gap: float
    n_iter: int
    gap_tol: float
    converged: bool
    n_screened: int


class GroupProblem:
    """A validated group problem on fixed data, solvable at any alpha (a path pays once).

    X (dense, CSC or CSR, float32/float64) is read in place as ``check_design`` returns it
    (C-ordered dense input is copied once into Fortran order; a CSR matrix becomes its CSC copy
    when that fits ``csr_copy_budget``, l1core._column_store); the user's arrays are never
    modified. The unpenalized groups' columns are copied into a dense (n, k) block to keep the
    dual point orthogonal to them.
    """

    def __init__(self, X, y, *, groups=None, weights=None, l1_ratio=0.0, gamma=0.0,
                 sample_weight=None, positive=False, fit_intercept=True, check_input=True):
        X = v.check_design(X)[0] if check_input else v.check_trusted_design(X)
        n, p = X.shape
        self.X = X = column_store(X)     # CSR: its CSC copy within the budget (_config)
        self.y = v.check_target(y, n, np.float64)
        s = v.check_sample_weight(sample_weight, n, np.float64)
        self.sw = s / s.sum()
        self.l1_ratio = v.check_l1_ratio(l1_ratio)
        self.gamma = v.check_alpha(gamma, "gamma")
        if not isinstance(positive, (bool, np.bool_)):
            raise TypeError(f"positive must be True or False, got {positive!r}.")
        self.positive = bool(positive)
        self.fit_intercept = bool(fit_intercept)
        self.ptr, self.feat = parse_groups(groups, p)
        self.weights = group_weights(weights, self.ptr)
        self.free = (self.weights == 0.0).astype(np.uint8)
        self.xbar, self.cnorm = column_stats(X, self.sw, self.fit_intercept)
        if not np.all(np.isfinite(self.cnorm)):
            raise_overflowing_columns(self.cnorm, self.cnorm)
        self.center = _full_column_centers(X, self.xbar, self.fit_intercept)
        self._uncovered = np.ones(p, bool)         # features in no group: held at 0
        self._uncovered[self.feat] = False
        self.ybar, self.ytil = centered_target(self.y, self.sw, self.fit_intercept)
        free_features = np.zeros(p, bool)
        for g in np.flatnonzero(self.free):
            free_features[self.feat[self.ptr[g]:self.ptr[g + 1]]] = True
        self.Z, self.Ginv, kept = _project(X, free_features, self.sw, self.fit_intercept)
        if free_features.any() and not kept.any():
            raise ValueError("the unpenalized groups hold too many values to keep the dual "
                             "point orthogonal to them; penalize some of them.")

    @property
    def n_features(self):
        return self.X.shape[1]

    def alpha_max(self):
        """The smallest alpha with w = 0 optimal (exact): the largest Sparse-Group dual norm
        of x~_g . (sw r0) over the penalized groups (weights w_g l1_ratio and w_g (1 -
        l1_ratio)), r0 the residual of the intercept and the unpenalized groups' weighted
        least squares fit; one-sided with positive=True."""
        theta = self.sw * off_unpenalized(self.ytil, self.Z, self.Ginv, self.sw)
        q = xt_dot(self.X, theta) - self.xbar * theta.sum()
        norms = dual_norms(q, self.ptr, self.feat, self.weights * self.l1_ratio,
                           self.weights * (1.0 - self.l1_ratio), self.positive)
        penalized = self.weights > 0
        return float(norms[penalized].max()) if penalized.any() else 0.0

    def solve(self, alpha, *, w=None, tol=1e-4, max_iter=1000, screening=True, warn=True,
              residual=None):
        """Solve at alpha from w (float64, or None for zeros; not modified). Returns a
        :class:`GroupSolution`. ``residual``: None or a float64 (n,) array receiving the
        kernel's final residual y - ybar - X~ w (the path's deviance, without a pass)."""
        alpha = v.check_alpha(alpha)
        tol = v.check_tol(tol)
        max_iter = v.check_max_iter(max_iter)
        w = np.zeros(self.n_features) if w is None else np.array(w, dtype=np.float64)
        w[self._uncovered] = 0.0
        if self.positive:
            np.maximum(w, 0.0, out=w)
        scale = alpha * self.weights
        gap_tol = tol * float(self.sw @ self.ytil ** 2)
        gap, epochs, _, screened = group_cd(
            self.X, self.ytil, w, sw=self.sw, xbar=self.xbar, cnorm=self.cnorm, ptr=self.ptr,
            feat=self.feat, a=scale * self.l1_ratio, c=scale * (1.0 - self.l1_ratio),
            gam=np.where(self.weights > 0, self.gamma, 0.0), free=self.free,
            positive=self.positive, Z=self.Z, Ginv=self.Ginv, tol_abs=gap_tol,
            max_iter=max_iter, screen=screening, center=self.center, residual=residual)
        converged = gap <= gap_tol
        if warn and not converged:
            warn_not_converged(epochs, max_iter, gap, gap_tol, stacklevel=3)
        coef = w.astype(self.X.dtype)
        # the intercept of the coefficients as returned (float32: rounded), so that a column
        # of large mean does not turn their rounding into an offset of the predictions
        intercept = (self.ybar - float(self.xbar @ coef.astype(np.float64))
                     if self.fit_intercept else 0.0)
        return GroupSolution(coef=coef, intercept=intercept,
                             dual_gap=float(gap), n_iter=int(epochs), gap_tol=gap_tol,
                             converged=bool(converged), n_screened=int(screened))


def _full_column_centers(X, xbar, fit_intercept):
    """xbar_j for the columns storing every row (all of dense X), which the kernel keeps
    centered in its residual (no digits lost to a large mean), else 0 (O(nnz) for CSR)."""
    if not fit_intercept:
        return np.zeros_like(xbar)
    n, p = X.shape
    if not sp.issparse(X):
        return xbar.copy()
    counts = (np.diff(X.indptr) if X.format == "csc"
              else np.bincount(X.indices, minlength=p))
    return np.where(counts == n, xbar, 0.0)
