"""The sparse-group logistic problem: validated input in, certified solution out.

Minimizes, for labels ``y_i = +-1``, sample weights ``s_i >= 0`` (``S = sum_i s_i``) and
groups g with weights w_g > 0,

    P(w, b) = 1/S sum_i s_i log(1 + exp(-y_i (x_i.w + b)))
              + alpha sum_g w_g (l1_ratio ||w_g||_1 + (1 - l1_ratio) ||w_g||_2)

by the compiled group engine (``l1core._group_cd.group_cd`` with its logistic datafit: block
proximal gradient steps with the block Lipschitz bound lambda_max(X_g^T diag(sw) X_g) / 4,
Newton steps on the intercept, working sets of groups, gap-safe group screening), stopping
when the duality gap ``<= tol * P_null``, ``P_null`` the objective of the best
intercept-only model (design.md). The dual point is theta = sw y sigma(-y z), made to sum to
zero (intercept) and scaled into the Sparse-Group dual constraints; the datafit's part of
the dual is sum_i sw_i H(y_i theta_i / sw_i), H the binary entropy. ``l1_ratio=1`` with
singleton groups is :class:`l1core.SparseLogisticRegression`'s L1 problem.
"""

import numpy as np

from .. import _validation as v
from .._column_store import column_store
from .._design_ops import xt_dot
from .._enet_cd import raise_overflowing_columns
from .._enet_solver import warn_not_converged
from .._group_cd import column_stats, dual_norms, group_cd
from .._group_solver import GroupSolution
from .._groups import group_weights, parse_groups

__all__ = ["GroupLogisticProblem", "null_intercept"]


def null_intercept(y, sw, fit_intercept):
    """(b0, P_null): the best intercept-only model, b0 = log(p / (1 - p)), p the weighted
    share of y = +1, and its loss, the binary entropy H(p) in nats (log 2 without an
    intercept, b0 = 0)."""
    if not fit_intercept:
        return 0.0, float(np.log(2.0))
    p = float(sw[y > 0].sum())
    if p <= 0.0 or p >= 1.0:
        raise ValueError("y must hold both classes among the samples of positive weight.")
    return float(np.log(p / (1.0 - p))), float(-p * np.log(p) - (1 - p) * np.log1p(-p))


class GroupLogisticProblem:
    """A validated group logistic problem on fixed data, solvable at any alpha.

    X (dense, CSC or CSR, float32/float64) is read in place as ``check_design`` returns it
    (C-ordered dense input is copied once into Fortran order; a CSR matrix becomes its CSC copy
    when that fits ``csr_copy_budget``); the user's arrays are never modified. y: labels
    +-1 (any two values: the larger is +1).
    """

    def __init__(self, X, y, *, groups=None, weights=None, l1_ratio=0.0, sample_weight=None,
                 fit_intercept=True, check_input=True):
        X = v.check_design(X)[0] if check_input else v.check_trusted_design(X)
        n, p = X.shape
        self.X = X = column_store(X)     # CSR: its CSC copy within the budget (_config)
        y = v.check_target(y, n, np.float64)
        classes = np.unique(y)
        if classes.shape[0] != 2:
            raise ValueError(f"y must hold exactly two classes, got {classes.shape[0]}.")
        self.y = np.where(y == classes[1], 1.0, -1.0)
        s = v.check_sample_weight(sample_weight, n, np.float64)
        self.n_samples_weight = float(s.sum())     # S
        self.sw = s / s.sum()
        self.l1_ratio = v.check_l1_ratio(l1_ratio)
        self.fit_intercept = bool(fit_intercept)
        self.ptr, self.feat = parse_groups(groups, p)
        self.weights = group_weights(weights, self.ptr)
        if np.any(self.weights == 0.0):
            raise ValueError("the logistic group model needs positive group weights "
                             "(unpenalized groups are not supported).")
        self.b0, self.p_null = null_intercept(self.y, self.sw, self.fit_intercept)
        _, self.cnorm = column_stats(X, self.sw, False)      # uncentered: b is a variable
        if not np.all(np.isfinite(self.cnorm)):
            raise_overflowing_columns(self.cnorm, self.cnorm)
        self._uncovered = np.ones(p, bool)         # features in no group: held at 0
        self._uncovered[self.feat] = False

    @property
    def n_features(self):
        return self.X.shape[1]

    def _penalty_weights(self, alpha):
        scale = alpha * self.weights
        return scale * self.l1_ratio, scale * (1.0 - self.l1_ratio)

    def alpha_max(self):
        """The smallest alpha with w = 0 optimal (exact): the largest Sparse-Group dual norm
        of X_g^T theta0, theta0 = sw y sigma(-y b0) the dual point of the null model."""
        theta = self.sw * self.y / (1.0 + np.exp(self.y * self.b0))
        a, c = self._penalty_weights(1.0)
        return float(dual_norms(xt_dot(self.X, theta), self.ptr, self.feat, a, c,
                                False).max())

    def solve(self, alpha, *, w=None, intercept=None, tol=1e-4, max_iter=1000,
              screening=True, warn=True):
        """Solve at alpha from (w, intercept) (None: zeros and the null model's intercept;
        not modified). Returns a :class:`l1core._group_solver.GroupSolution`."""
        alpha = v.check_alpha(alpha)
        tol = v.check_tol(tol)
        max_iter = v.check_max_iter(max_iter)
        p = self.n_features
        w = np.zeros(p) if w is None else np.array(w, dtype=np.float64).reshape(p)
        w[self._uncovered] = 0.0
        b0 = self.b0 if intercept is None or not self.fit_intercept else float(intercept)
        b = np.array([b0])
        a, c = self._penalty_weights(alpha)
        G = self.ptr.shape[0] - 1
        gap_tol = tol * self.p_null
        gap, epochs, _, screened = group_cd(
            self.X, self.y, w, sw=self.sw, xbar=np.zeros(p), cnorm=self.cnorm, ptr=self.ptr,
            feat=self.feat, a=a, c=c, gam=np.zeros(G), free=np.zeros(G, np.uint8),
            positive=False, Z=np.zeros((self.X.shape[0], 0), order="F"),
            Ginv=np.zeros((0, 0), order="F"), tol_abs=gap_tol, max_iter=max_iter,
            screen=screening, intercept=b, fit_intercept=self.fit_intercept)
        converged = gap <= gap_tol
        if warn and not converged:
            warn_not_converged(epochs, max_iter, gap, gap_tol, stacklevel=3)
        return GroupSolution(coef=w.astype(self.X.dtype), intercept=float(b[0]),
                             dual_gap=float(gap), n_iter=int(epochs), gap_tol=gap_tol,
                             converged=bool(converged), n_screened=int(screened))
