"""Penalties as objects for the proximal-gradient solvers (:func:`l1core.fista`).

A penalty h on a coefficient vector w exposes

- ``value(w)``: h(w);
- ``prox(z, step)``: ``argmin_w 1/(2 step) ||w - z||^2 + h(w)`` (a new array);
- ``dual(q)``: for the duality gap, ``(s, h*(s q))`` with s in (0, 1] the largest factor
  making ``h*(s q)`` finite (s = min(1, 1 / dual norm) for a norm, whose conjugate is then
  0; s = 1 for the elastic net), or None when the penalty has no usable conjugate (then
  the solver stops on the prox-gradient mapping).

Weights follow the estimators': ``L1Penalty``/``ElasticNetPenalty`` are the Lasso /
ElasticNet penalties of design.md (per-feature factors v_j), ``SparseGroupPenalty`` is
``l1core.SparseGroupLasso``'s ``alpha sum_g w_g (l1_ratio ||w_g||_1 + (1 - l1_ratio)
||w_g||_2)`` with ``w_g = sqrt(|g|)`` by default.
"""

from __future__ import annotations

import numpy as np

from .._groups import group_weights, parse_groups
from .._typing import ArrayLike, GroupSpec
from .._validation import check_alpha, check_l1_ratio
from . import _backend as b
from .elementwise import project_box, prox_l1
from .group import prox_sparse_group
from .tv import prox_tv1d, tv1d_norm

__all__ = ["L1Penalty", "ElasticNetPenalty", "GroupPenalty", "SparseGroupPenalty",
           "BoxConstraint", "TVPenalty"]


def _factors(weights, alpha):
    if weights is None:
        return np.float64(alpha)
    w = np.asarray(weights, dtype=np.float64)
    if w.ndim != 1 or not np.all(np.isfinite(w)) or np.any(w < 0):
        raise ValueError("weights must be a 1-D array of finite values >= 0.")
    return alpha * w


class ElasticNetPenalty:
    """``alpha sum_j v_j (l1_ratio |w_j| + (1 - l1_ratio)/2 w_j^2)`` (scikit-learn's
    ElasticNet penalty; v the per-feature ``weights``, default 1).

    Examples
    --------
    >>> import numpy as np
    >>> from l1core.prox import ElasticNetPenalty
    >>> pen = ElasticNetPenalty(1.0, l1_ratio=0.5)
    >>> pen.value(np.array([2.0, -1.0]))
    2.75
    >>> pen.prox(np.array([2.0, -0.2]), 1.0)
    array([1., 0.])
    """

    def __init__(self, alpha: float, l1_ratio: float = 0.5, weights: ArrayLike | None = None):
        self.alpha = check_alpha(alpha)
        self.l1_ratio = check_l1_ratio(l1_ratio)
        self.v = _factors(weights, 1.0)
        self.a = self.alpha * self.l1_ratio * self.v
        self.c = self.alpha * (1.0 - self.l1_ratio) * self.v

    def value(self, w):
        w = np.asarray(w, dtype=np.float64)
        return float(np.sum(self.a * np.abs(w)) + 0.5 * np.sum(self.c * w * w))

    def prox(self, z, step):
        shrunk = prox_l1(z, step * self.a)
        return shrunk / (1.0 + step * self.c)

    def unpenalized(self, p):
        """The features the penalty leaves free (factor 0): their X^T theta must be 0."""
        free = (np.broadcast_to(self.a, (p,)) == 0) & (np.broadcast_to(self.c, (p,)) == 0)
        return np.flatnonzero(free)

    def dual(self, q):
        excess = np.maximum(np.abs(q) - self.a, 0.0)
        c = np.broadcast_to(self.c, q.shape)
        if np.all(c > 0):
            return 1.0, float(np.sum(excess * excess / (2.0 * c)))
        a = np.broadcast_to(self.a, q.shape)
        if np.any((c == 0) & (a == 0) & (q != 0)):
            return None                           # an unpenalized feature: no scaling helps
        hard = (c == 0) & (a > 0)                  # the free features (q = 0) impose nothing
        with np.errstate(divide="ignore"):
            s = min(1.0, float(np.min(a[hard] / np.maximum(np.abs(q[hard]), 1e-300),
                                      initial=np.inf)))
        excess = np.maximum(s * np.abs(q) - a, 0.0)
        soft = c > 0
        return s, float(np.sum(excess[soft] ** 2 / (2.0 * c[soft])))


class L1Penalty(ElasticNetPenalty):
    """``alpha sum_j v_j |w_j|`` (the Lasso; v the per-feature ``weights``, default 1).

    Examples
    --------
    >>> import numpy as np
    >>> from l1core.prox import L1Penalty
    >>> L1Penalty(0.5).value(np.array([2.0, -1.0]))
    1.5
    >>> L1Penalty(0.5).prox(np.array([2.0, -0.2]), 2.0)
    array([1., 0.])
    """

    def __init__(self, alpha: float, weights: ArrayLike | None = None):
        super().__init__(alpha, 1.0, weights)


class SparseGroupPenalty:
    """``alpha sum_g w_g (l1_ratio ||w_g||_1 + (1 - l1_ratio) ||w_g||_2)``, groups as in
    l1core/_groups.py, ``weights`` w_g (default sqrt(|g|)). Features in no group, or groups
    of weight 0, are unpenalized (then ``dual`` is None).

    Examples
    --------
    >>> import numpy as np
    >>> from l1core.prox import SparseGroupPenalty
    >>> pen = SparseGroupPenalty(1.0, l1_ratio=0.5, groups=2, weights=[2.0])
    >>> pen.value(np.array([3.0, 4.0]))
    12.0
    >>> pen.prox(np.array([3.0, 4.0]), 1.0).round(3)
    array([1.445, 2.168])
    """

    def __init__(self, alpha: float, l1_ratio: float = 0.5, groups: GroupSpec = None,
                 weights: ArrayLike | None = None):
        self.alpha = check_alpha(alpha)
        self.l1_ratio = check_l1_ratio(l1_ratio)
        self.groups, self.weights = groups, weights
        self._n = None

    def _blocks(self, n):
        if self._n != n:
            self.ptr, self.feat = parse_groups(self.groups, n)
            wg = group_weights(self.weights, self.ptr)
            self.a_g = self.alpha * self.l1_ratio * wg
            self.c_g = self.alpha * (1.0 - self.l1_ratio) * wg
            self.a_feat = np.zeros(n)
            self.a_feat[self.feat] = np.repeat(self.a_g, np.diff(self.ptr))
            self.covered = self.feat.size == n and bool(np.all(wg > 0))
            self._n = n
        return self.ptr, self.feat

    def value(self, w):
        w = np.asarray(w, dtype=np.float64)
        ptr, feat = self._blocks(w.size)
        parts = w[feat]
        l2 = np.sqrt(np.add.reduceat(parts * parts, ptr[:-1])) if feat.size else 0.0
        return float(np.sum(self.a_feat * np.abs(w)) + np.sum(self.c_g * l2))

    def prox(self, z, step):
        self._blocks(np.shape(z)[0])
        return prox_sparse_group(z, step * self.a_feat, step * self.c_g, self.groups)

    def dual(self, q):
        ptr, feat = self._blocks(q.size)
        if not self.covered:
            return None
        norm = b.kernels.sparse_group_dual_norm(np.ascontiguousarray(q, dtype=np.float64),
                                                ptr, feat, self.a_g, self.c_g)
        return (1.0 if norm <= 1.0 else 1.0 / norm), 0.0


class GroupPenalty(SparseGroupPenalty):
    """``alpha sum_g w_g ||w_g||_2`` (l1core.GroupLasso's penalty; w_g default sqrt(|g|)).

    Examples
    --------
    >>> import numpy as np
    >>> from l1core.prox import GroupPenalty
    >>> GroupPenalty(1.0, groups=2).value(np.array([3.0, 4.0])).__round__(4)
    7.0711
    >>> GroupPenalty(1.0, groups=2, weights=[1.0]).prox(np.array([3.0, 4.0]), 1.0)
    array([2.4, 3.2])
    """

    def __init__(self, alpha: float, groups: GroupSpec = None,
                 weights: ArrayLike | None = None):
        super().__init__(alpha, 0.0, groups, weights)


class BoxConstraint:
    """The indicator of ``lower <= w <= upper`` (value 0 inside, inf outside); prox: clip.

    Examples
    --------
    >>> import numpy as np
    >>> from l1core.prox import BoxConstraint
    >>> BoxConstraint(0.0, 1.0).prox(np.array([-1.0, 0.5, 2.0]), 1.0)
    array([0. , 0.5, 1. ])
    >>> BoxConstraint(0.0).value(np.array([-1.0]))
    inf
    """

    def __init__(self, lower: ArrayLike = 0.0, upper: ArrayLike = np.inf):
        self.lower, self.upper = lower, upper

    def value(self, w):
        w = np.asarray(w)
        inside = np.all(w >= self.lower) and np.all(w <= self.upper)
        return 0.0 if inside else float(np.inf)

    def prox(self, z, step):
        return project_box(z, self.lower, self.upper)

    def dual(self, q):
        return None


class TVPenalty:
    """``alpha sum_i |w_{i+1} - w_i|`` (1-D total variation; prox by Condat's algorithm).

    Examples
    --------
    >>> import numpy as np
    >>> from l1core.prox import TVPenalty
    >>> TVPenalty(2.0).value(np.array([0.0, 1.0, 3.0]))
    6.0
    >>> TVPenalty(1.0).prox(np.array([0.0, 4.0]), 1.0)
    array([1., 3.])
    """

    def __init__(self, alpha: float):
        self.alpha = check_alpha(alpha)

    def value(self, w):
        return self.alpha * tv1d_norm(w)

    def prox(self, z, step):
        return prox_tv1d(z, step * self.alpha)

    def dual(self, q):
        return None
