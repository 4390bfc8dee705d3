"""Group proximal operators: group soft-thresholding, row-wise L2,1, sparse group.

For groups g of coordinates (``groups=`` as in l1core/_groups.py: a group size, a label per
coordinate, a list of disjoint index arrays, or None for singletons) and thresholds t_g:

- group, ``f(u) = sum_g t_g ||u_g||_2``: ``prox(x)_g = max(1 - t_g / ||x_g||, 0) x_g``;
  coordinates in no group are returned unchanged (f does not see them). Dual norm
  ``max_g ||q_g|| / t_g``.
- L2,1 of an array with ndim >= 2, ``f(U) = sum_i t_i ||U[i, ...]||_2``: the group prox
  with the slices along the first axis as groups (rows of a matrix; output channels of a
  convolution kernel stored (out, in, h, w)).
- sparse group, ``f(u) = sum_i l1 |u_i| + sum_g t_g ||u_g||_2``: soft-threshold at l1,
  then group-shrink (the prox of the sum is this composition: Simon et al. 2013; the block
  penalty of src/block_penalty.pxd). Dual norm: the Sparse-Group norm of Ndiaye et al.
  2016, computed exactly by the compiled root find.
"""

from __future__ import annotations

import numpy as np

from .._groups import parse_groups
from .._typing import Any, ArrayLike, GroupSpec
from . import _backend as b
from .elementwise import _host, prox_l1

__all__ = ["prox_group_l2", "prox_l21", "prox_sparse_group", "group_l2_norm",
           "group_dual_norm", "sparse_group_dual_norm", "l21_norm"]


def prox_group_l2(x: Any, threshold: ArrayLike, groups: GroupSpec = None, *,
                  out: Any = None) -> Any:
    """Group soft-thresholding of a 1-D array: each group's norm shrunk by its threshold.

    ``threshold`` is a scalar or one value per group (groups as parsed by
    ``l1core._groups.parse_groups``, ordered as it orders them). NumPy input runs on the
    compiled kernel; other array-API arrays on their namespace (one gather of the groups,
    padded to the longest group, so memory ``n_groups x max group size``).

    Examples
    --------
    >>> import numpy as np
    >>> from l1core.prox import prox_group_l2
    >>> prox_group_l2(np.array([3.0, 4.0, 0.1, 0.1]), 1.0, groups=2)
    array([2.4, 3.2, 0. , 0. ])
    >>> prox_group_l2(np.array([3.0, 4.0, 1.0]), [5.0], groups=[[0, 1]])   # 2 in no group
    array([0., 0., 1.])
    """
    return _group_prox(x, None, threshold, groups, out)


def prox_sparse_group(x: Any, l1: ArrayLike, threshold: ArrayLike, groups: GroupSpec = None,
                      *, out: Any = None) -> Any:
    """The sparse-group prox: soft-threshold at ``l1`` (scalar or per coordinate), then
    shrink each group's norm by its ``threshold`` (scalar or per group).

    Examples
    --------
    >>> import numpy as np
    >>> from l1core.prox import prox_sparse_group
    >>> prox_sparse_group(np.array([4.0, 5.0, 0.5, 1.5]), 1.0, 2.5, groups=2)
    array([1.5, 2. , 0. , 0. ])
    >>> prox_sparse_group(np.array([4.0, -1.0]), 0.0, 0.0, groups=2)
    array([ 4., -1.])
    """
    return _group_prox(x, l1, threshold, groups, out)


def _group_prox(x, l1, threshold, groups, out):
    xp, is_numpy = b.namespace(x)
    if (getattr(x, "ndim", 1) if not is_numpy else np.ndim(x)) != 1:
        raise ValueError("group prox needs a 1-D array (use prox_l21 for the rows of a "
                         "2-D array).")
    n = int(x.shape[0]) if not is_numpy else int(np.shape(x)[0])
    ptr, feat = parse_groups(groups, n)
    t = b.check_threshold(threshold, (ptr.size - 1,))
    t = np.broadcast_to(t, (ptr.size - 1,)).copy()
    if is_numpy:
        x = b.numpy_input(x)
        if l1 is None:
            out, _ = b.numpy_output(x, out)
            if out is not x:
                out[...] = x
        else:
            out = prox_l1(x, l1, out=out)
        if out.flags.c_contiguous:
            b.kernels.group_shrink(out.reshape(-1), ptr, feat, t)
            return out
        buf = np.ascontiguousarray(out)
        b.kernels.group_shrink(buf, ptr, feat, t)
        out[...] = buf
        return out
    b.xp_check(xp, x)
    z = x if l1 is None else prox_l1(x, l1)
    scale = _xp_group_scale(xp, z, ptr, feat, t)
    return b.xp_finish(xp, x, z * scale, out)


def _xp_group_scale(xp, z, ptr, feat, t):
    """Per-coordinate factors max(1 - t_g / ||z_g||, 0) (1 outside every group), by one
    gather of z into an (n_groups, longest) table padded with a zero."""
    n, n_groups = int(z.shape[0]), ptr.size - 1
    sizes = np.diff(ptr)
    longest = int(sizes.max(initial=1))
    table = np.full((n_groups, longest), n, dtype=np.int64)      # index n: the zero pad
    member = np.arange(feat.size) - np.repeat(ptr[:-1], sizes)
    table[np.repeat(np.arange(n_groups), sizes), member] = feat
    group_of = np.full(n, n_groups, dtype=np.int64)            # n_groups: "no group"
    group_of[feat] = np.repeat(np.arange(n_groups), sizes)
    dev = z.device
    padded = xp.concat([z, xp.zeros((1,), dtype=z.dtype, device=dev)])
    gathered = xp.reshape(xp.take(padded, xp.asarray(table.reshape(-1), device=dev)),
                          (n_groups, longest))
    norms = xp.sqrt(xp.sum(gathered * gathered, axis=1))
    factor = _xp_shrink_factor(xp, norms, xp.asarray(t, dtype=z.dtype, device=dev))
    factor = xp.concat([factor, xp.ones((1,), dtype=z.dtype, device=dev)])
    return xp.take(factor, xp.asarray(group_of, device=dev))


def _xp_shrink_factor(xp, norms, t):
    """max(1 - t / norm, 0), 0 where norm = 0 (1 where t = 0)."""
    safe = xp.where(norms > 0, norms, xp.ones_like(norms))
    factor = 1 - t / safe
    factor = xp.where(factor > 0, factor, xp.zeros_like(factor))
    return xp.where(t == 0, xp.ones_like(factor), factor)


def prox_l21(x: Any, threshold: ArrayLike, *, out: Any = None) -> Any:
    """Row-wise group soft-thresholding (the prox of ``sum_i t_i ||x[i, ...]||_2``) of an
    array with ndim >= 2: each slice along the first axis is a group (rows of a matrix,
    output channels of an (out, in, h, w) kernel). ``threshold``: a scalar or one per row.

    Examples
    --------
    >>> import numpy as np
    >>> from l1core.prox import prox_l21
    >>> prox_l21(np.array([[3.0, 4.0], [0.3, 0.4]]), 1.0)
    array([[2.4, 3.2],
           [0. , 0. ]])
    >>> prox_l21(np.ones((2, 1, 2)), [0.0, 2.0])[:, 0]
    array([[1., 1.],
           [0., 0.]])
    """
    xp, is_numpy = b.namespace(x)
    shape = tuple(np.shape(x) if is_numpy else x.shape)
    if len(shape) < 2:
        raise ValueError(f"prox_l21 needs an array with ndim >= 2, got shape {shape}.")
    t = b.check_threshold(threshold, (shape[0],))
    if is_numpy:
        x = b.numpy_input(x)
        out, buf = b.numpy_output(x, out)
        rows = x.reshape(shape[0], -1)
        b.kernels.row_shrink(np.ascontiguousarray(rows), t, buf.reshape(shape[0], -1))
        return b.finish(out, buf)
    b.xp_check(xp, x)
    rows = xp.reshape(x, (shape[0], -1))
    norms = xp.sqrt(xp.sum(rows * rows, axis=1))
    tt = xp.asarray(np.broadcast_to(t, (shape[0],)).copy(), dtype=x.dtype, device=x.device)
    factor = _xp_shrink_factor(xp, norms, tt)
    factor = xp.where(norms > 0, factor, xp.zeros_like(factor))
    result = xp.reshape(rows * factor[:, None], shape)
    return b.xp_finish(xp, x, result, out)


def group_l2_norm(x: Any, threshold: ArrayLike = 1.0, groups: GroupSpec = None) -> float:
    """The group penalty ``sum_g t_g ||x_g||_2``.

    Examples
    --------
    >>> import numpy as np
    >>> from l1core.prox import group_l2_norm
    >>> group_l2_norm(np.array([3.0, 4.0, 1.0, 0.0]), 2.0, groups=2)
    12.0
    >>> group_l2_norm(np.array([3.0, 4.0]), 1.0)      # singletons: the L1 norm
    7.0
    """
    norms, t = _group_norms(x, threshold, groups)
    return float(np.sum(t * norms))


def group_dual_norm(q: Any, threshold: ArrayLike = 1.0, groups: GroupSpec = None) -> float:
    """The dual norm of the group penalty: ``max_g ||q_g|| / t_g`` (inf where t_g = 0 and
    q_g != 0; coordinates in no group must have q = 0, else inf).

    Examples
    --------
    >>> import numpy as np
    >>> from l1core.prox import group_dual_norm
    >>> group_dual_norm(np.array([3.0, 4.0, 1.0, 0.0]), 2.0, groups=2)
    2.5
    >>> group_dual_norm(np.array([3.0, 4.0, 1.0]), 1.0, groups=[[0, 1]])
    inf
    """
    qh = _host(q).reshape(-1)
    norms, t = _group_norms(qh, threshold, groups)
    outside = np.ones(qh.size, dtype=bool)
    outside[parse_groups(groups, qh.size)[1]] = False
    if np.any(qh[outside] != 0):
        return float(np.inf)
    with np.errstate(divide="ignore", invalid="ignore"):
        ratio = np.where(norms == 0, 0.0, norms / t)
    return float(ratio.max(initial=0.0))


def _group_norms(x, threshold, groups):
    x = _host(x).reshape(-1).astype(np.float64)
    ptr, feat = parse_groups(groups, x.size)
    t = np.broadcast_to(b.check_threshold(threshold, (ptr.size - 1,)), (ptr.size - 1,))
    squares = np.add.reduceat(np.square(x[feat]), ptr[:-1]) if feat.size else np.zeros(0)
    return np.sqrt(squares), t


def sparse_group_dual_norm(q: Any, l1: float, threshold: ArrayLike,
                           groups: GroupSpec = None) -> float:
    """The dual norm of ``l1 ||u||_1 + sum_g t_g ||u_g||_2``: the smallest r with
    ``||soft(q_g / r, l1)||_2 <= t_g`` for every group (exact, Ndiaye et al. 2016).

    Examples
    --------
    >>> import numpy as np
    >>> from l1core.prox import sparse_group_dual_norm
    >>> sparse_group_dual_norm(np.array([3.0, 4.0]), 0.0, 2.5, groups=2)   # group norm
    2.0
    >>> sparse_group_dual_norm(np.array([3.0, 4.0]), 2.0, 0.0, groups=2)   # L1 dual norm
    2.0
    """
    qh = _host(q).reshape(-1).astype(np.float64)
    ptr, feat = parse_groups(groups, qh.size)
    n_groups = ptr.size - 1
    c = np.ascontiguousarray(np.broadcast_to(b.check_threshold(threshold, (n_groups,)),
                                             (n_groups,)))
    a = np.full(n_groups, float(b.check_threshold(l1, (1,))[0]))
    if np.any((a == 0) & (c == 0)):
        norms, _ = _group_norms(qh, 1.0, groups)
        if np.any(norms[(a == 0) & (c == 0)] > 0):
            return float(np.inf)
        a[(a == 0) & (c == 0)] = 1.0            # q_g = 0 there: any a gives 0
    return float(b.kernels.sparse_group_dual_norm(np.ascontiguousarray(qh), ptr, feat, a, c))


def l21_norm(x: Any, threshold: ArrayLike = 1.0) -> float:
    """``sum_i t_i ||x[i, ...]||_2`` for an array with ndim >= 2.

    Examples
    --------
    >>> import numpy as np
    >>> from l1core.prox import l21_norm
    >>> l21_norm(np.array([[3.0, 4.0], [0.0, 1.0]]))
    6.0
    >>> l21_norm(np.array([[3.0, 4.0], [0.0, 1.0]]), [0.0, 2.0])
    2.0
    """
    x = _host(x).astype(np.float64)
    if x.ndim < 2:
        raise ValueError(f"l21_norm needs an array with ndim >= 2, got shape {x.shape}.")
    norms = np.sqrt(np.sum(np.square(x.reshape(x.shape[0], -1)), axis=1))
    t = np.broadcast_to(b.check_threshold(threshold, (x.shape[0],)), (x.shape[0],))
    return float(np.sum(t * norms))
