"""The multinomial (softmax) loss on row partitions: K >= 3 classes, one coefficient row and
one intercept per class, the certified gap of a full pass and the working-set subproblem
(l1core's in-memory ``logistic_solve`` with ``n_classes=K``).

    P(W, b) = 1/S sum_i s_i (logsumexp_k z_ik - z_{i, y_i}) + sum_{k, j} h_j(W_kj),
    z_i = W x_i + b.

Dual point as in memory (``src/_logistic_cd.pyx``): ``theta_ik = s_i (Y_ik - p'_ik) / S``,
where, with an intercept, p' are the probabilities moved by one Newton step ``c`` of the
intercept-only problem, ``p'_ik = p_ik (1 + c_k - p_i.c)``, ``G c = sum_i s_i (Y_i - p_i)``,
``G = sum_i s_i (diag p_i - p_i p_i^T)``; p' is affine in c, so ``sum_i theta_ik = 0``
exactly and every row still sums to 1 (a p' < 0, far from the optimum, makes the gap
infinite: the loop goes on). Then the scaling t into the Lasso constraints, entrywise over
(k, j), and ``D = 1/S sum_i s_i Ent((1 - t) Y_i + t p'_i) - sum_{k,j} h_j*(t q_kj)``.
A full pass: z kept on the workers, the K x K curvature reduced from z alone (no pass over
X), ``X^T theta`` (the one pass over X besides z = X W^T + b), the entropy from z alone.
"""

import numpy as np

from .._logistic_solver import logistic_solve, null_objective
from . import _blocks
from ._dual import dual_scale_and_conjugate, penalty_value, penalty_weights
from ._logistic_loss import ClassificationLoss
from ._squared import Certificate

__all__ = ["MultinomialLoss"]

_ROUND_SLACK = 1e-12        # p' below -slack: the Newton-moved point left the simplex


class MultinomialLoss(ClassificationLoss):
    """Multinomial loss on a :class:`~l1core.distributed._partitions.RowPartitions` whose
    y holds ``classes`` (K >= 3, sorted); y and the sample weights gathered on the driver
    once (the subproblem's rows). Coefficients (K, p), intercepts (K,)."""

    def __init__(self, parts, classes, codes, *, factor, l1_ratio, fit_intercept,
                 sample_weight=None):
        self._setup(parts, factor, l1_ratio, fit_intercept, classes, codes, sample_weight)
        self.K = K = classes.shape[0]
        self.c_blocks = list(parts.y.map_blocks(_blocks.class_codes, classes=classes,
                                                dtype=np.intp)
                             .to_delayed().ravel())
        st, moved = parts.reduce(_blocks.block_statistics, parts.X_blocks, self.c_blocks,
                                 parts.s_blocks, broadcast=(np.zeros(0, dtype=np.intp),))
        self.S = float(st["S"])
        s = np.ones(parts.n_samples) if sample_weight is None else sample_weight
        self.scale, self.start_intercept = null_objective(codes, s / s.sum(), K,
                                                          fit_intercept)
        self.null_fit = self.scale
        self.setup_bytes = moved + codes.nbytes + (0 if sample_weight is None
                                                    else sample_weight.nbytes)

    @property
    def coef_shape(self):
        return (self.K, self.parts.n_features)

    def certificate(self, W, b, alpha):
        parts = self.parts
        z = parts.keep(_blocks.block_predict, parts.X_blocks,
                       broadcast=(np.ascontiguousarray(W.T), np.asarray(b, dtype=np.float64)))
        (loss, G, r), moved = parts.reduce(_blocks.multinomial_curvature, z, self.c_blocks,
                                           parts.s_blocks)
        cvec = np.zeros(self.K)
        if self.fit_intercept:     # the last class fixed: G is singular along (1, ..., 1)
            cvec[:-1] = np.linalg.solve(G[:-1, :-1], r[:-1])
        (XtT, outside), moved_x = parts.reduce(_blocks.multinomial_pass, parts.X_blocks, z,
                                               self.c_blocks, parts.s_blocks,
                                               broadcast=(cvec, _ROUND_SLACK))
        q = XtT.T / self.S                                    # (K, p)
        a, c = penalty_weights(alpha, self.l1_ratio, self.factor)
        data_fit = float(loss[0]) / self.S
        primal = data_fit + penalty_value(W.ravel(), np.tile(a, self.K), np.tile(c, self.K))
        gap = np.inf
        moved_ent = 0
        if outside[0] == 0:
            t, conj = dual_scale_and_conjugate(q.ravel(), np.tile(a, self.K),
                                               np.tile(c, self.K), np.tile(self.penalized,
                                                                           self.K))
            ent, moved_ent = parts.reduce(_blocks.multinomial_entropy, z, self.c_blocks,
                                          parts.s_blocks, broadcast=(cvec, t))
            gap = float(primal - (float(ent) / self.S - conj))
        return Certificate(gap=gap, primal=float(primal), data_fit=data_fit, q=q,
                           bytes=moved + moved_x + moved_ent)

    def subproblem(self, XW, W, wW, b, alpha, tol, max_iter):
        sol = logistic_solve(XW, self.codes, alpha=alpha, l1_ratio=self.l1_ratio,
                             sample_weight=self.sw, penalty_factor=self.factor[W],
                             fit_intercept=self.fit_intercept, tol=tol, max_iter=max_iter,
                             coef_init=wW, intercept_init=b, n_classes=self.K, warn=False)
        return (np.asarray(sol.coef, dtype=np.float64),
                np.asarray(sol.intercept, dtype=np.float64), sol.n_iter)
