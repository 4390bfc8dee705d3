"""The binary logistic loss on row partitions: statistics, alpha_max, the certified gap of a
full pass and the working-set subproblem (l1core's in-memory ``logistic_solve``).

    P(w, b) = 1/S sum_i s_i log(1 + exp(-y_i z_i)) + sum_j a_j |w_j| + c_j w_j^2 / 2,
    z = X w + b, y_i = +-1.

Dual point as in memory: ``theta_i = s_i y_i u_i / S``, ``u = sigma(-y z)``; with an intercept
the larger class's part is scaled down to the smaller's (then ``sum theta = 0`` and every
``y_i theta_i S / s_i`` stays in [0, 1]); then the scaling t into the Lasso constraints.
``D = 1/S sum_i s_i H(t f_i u_i) - sum_j h_j*(t q_j)``, H the binary entropy, f_i the class
factor. The full pass keeps z on the workers (``RowPartitions.keep``) for the entropy pass,
which needs the factors known only after the first reduction. Stopping rule
``gap <= tol * P_null`` (the best intercept-only objective), as in memory.
"""

import math

import numpy as np

from .. import _validation as v
from .._logistic_solver import logistic_solve
from . import _blocks
from ._dual import dual_scale_and_conjugate, penalty_value, penalty_weights
from ._squared import Certificate, bounds_of

__all__ = ["LogisticLoss", "label_codes"]


def _entropy(p):
    return 0.0 if p <= 0.0 or p >= 1.0 else -(p * math.log(p) + (1 - p) * math.log1p(-p))


def label_codes(parts):
    """(classes, codes, sample_weight): y gathered on the driver (an n-vector, once) as its
    sorted labels and the class index of each row, and the validated weights (or None)."""
    labels = np.asarray(parts.y.compute())
    if labels.dtype.kind == "f" and np.any(labels != np.round(labels)):
        raise ValueError("Unknown label type: continuous. A classifier needs discrete "
                         "labels.")
    classes, codes = np.unique(labels, return_inverse=True)
    if classes.shape[0] < 2:
        raise ValueError(f"The distributed logistic regression needs at least two classes "
                         f"in y, got {classes.shape[0]} class(es).")
    s = parts.sample_weight
    sample_weight = None if s is None else v.check_sample_weight(s.compute(),
                                                                  parts.n_samples, np.float64)
    return classes, codes.astype(np.intp).ravel(), sample_weight


class ClassificationLoss:
    """What the binary and the multinomial losses on partitions share: the partitions, the
    penalty's configuration, the labels (``classes``, ``codes``) and weights ``sw`` on the
    driver."""

    def _setup(self, parts, factor, l1_ratio, fit_intercept, classes, codes, sample_weight):
        if np.any(factor == 0.0):
            raise ValueError("The distributed logistic regression does not support "
                             "unpenalized features (penalty_factor == 0) yet.")
        self.parts = parts
        self.factor = factor
        self.l1_ratio = l1_ratio
        self.fit_intercept = fit_intercept
        self.classes = classes
        self.codes = codes.astype(np.intp)
        self.penalized = factor > 0.0
        self.unpenalized = np.zeros(0, dtype=np.intp)
        self.sw = sample_weight
        self.bounds = (None, None)
        self.ridge_factor = None         # the L2 part's factors if not factor's (standardize)
        self.solver_factor = factor      # the subproblems' penalty_factor

    @property
    def n_features(self):
        return self.parts.n_features


class LogisticLoss(ClassificationLoss):
    """Binary logistic loss on a :class:`~l1core.distributed._partitions.RowPartitions`
    whose y holds two labels. Gathers y and the sample weights on the driver once (the
    subproblem's rows): ``classes`` the sorted labels (the second one is +1), ``codes`` y as
    0/1 codes, ``sw`` the validated weights or None."""

    def __init__(self, parts, *, factor, l1_ratio, fit_intercept, solver_options=None,
                 labels=None, bounds=(None, None)):
        classes, codes, sample_weight = label_codes(parts) if labels is None else labels
        if classes.shape[0] != 2:
            raise ValueError(f"The distributed logistic regression needs exactly two classes "
                             f"in y, got {classes.shape[0]} class(es).")
        s = parts.sample_weight
        self._setup(parts, factor, l1_ratio, fit_intercept, classes, codes, sample_weight)
        self.bounds = bounds
        self.solver_options = dict(solver_options or {})
        self.t_blocks = list((parts.y == classes[1]).astype(np.float64).to_delayed().ravel())
        st, moved = parts.reduce(_blocks.block_statistics, parts.X_blocks, self.t_blocks,
                                 parts.s_blocks, broadcast=(np.zeros(0, dtype=np.intp),))
        self.setup_bytes = moved + codes.nbytes + (0 if s is None else sample_weight.nbytes)
        self.stats = st
        self.S = float(st["S"])
        self.pbar = float(st["st"]) / self.S
        self.start_intercept = (math.log(self.pbar / (1.0 - self.pbar))
                                if fit_intercept and 0.0 < self.pbar < 1.0 else 0.0)
        self.scale = _entropy(self.pbar) if fit_intercept else math.log(2.0)
        self.null_fit = self.scale

    def null_correlations(self):
        """X^T theta / S... at the intercept-only model: ((1 - p) X^T s_+ - p X^T s_-) / S."""
        st = self.stats
        u_pos = 1.0 / (1.0 + math.exp(self.start_intercept))      # sigma(-b)
        u_neg = 1.0 - u_pos
        return (u_pos * st["xst"] - u_neg * (st["xs"] - st["xst"])) / self.S

    def certificate(self, w, b, alpha):
        parts = self.parts
        z = parts.keep(_blocks.block_predict, parts.X_blocks, broadcast=(w, float(b)))
        (G, sums), moved = parts.reduce(_blocks.logistic_pass, parts.X_blocks, z,
                                        self.t_blocks, parts.s_blocks)
        pos, neg, loss = sums
        f_pos = f_neg = 1.0
        if self.fit_intercept:
            if pos > neg:
                f_pos = neg / pos
            elif neg > pos:
                f_neg = pos / neg
        q = (f_pos * G[:, 0] - f_neg * G[:, 1]) / self.S
        a, c = penalty_weights(alpha, self.l1_ratio, self.factor, self.ridge_factor)
        t, conj = dual_scale_and_conjugate(q, a, c, self.penalized, *self.bounds)
        ent, moved_ent = parts.reduce(_blocks.logistic_entropy, z, self.t_blocks,
                                      parts.s_blocks, broadcast=(t * f_pos, t * f_neg))
        data_fit = loss / self.S
        primal = data_fit + penalty_value(w, a, c)
        dual = float(ent) / self.S - conj
        return Certificate(gap=float(primal - dual), primal=float(primal),
                           data_fit=float(data_fit), q=q, bytes=moved + moved_ent)

    def subproblem(self, XW, W, wW, b, alpha, tol, max_iter):
        sol = logistic_solve(XW, self.codes, alpha=alpha, l1_ratio=self.l1_ratio,
                             sample_weight=self.sw, penalty_factor=self.solver_factor[W],
                             fit_intercept=self.fit_intercept, tol=tol, max_iter=max_iter,
                             coef_init=wW, intercept_init=b, warn=False,
                             **bounds_of(self.bounds, W), **self.solver_options)
        return (np.asarray(sol.coef, dtype=np.float64).ravel(), float(np.ravel(sol.intercept)[0]),
                sol.n_iter)
