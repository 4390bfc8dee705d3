"""Separable proximal operators: L1 (soft-thresholding), elastic net, box and positive
projection, with their penalty values and dual norms.

    prox_{f}(x) = argmin_u 1/2 ||u - x||^2 + f(u)

- L1, ``f(u) = sum_i t_i |u_i|``: ``sign(x) max(|x| - t, 0)``; dual norm ``max_i |q_i| / t_i``.
- elastic net, ``f(u) = sum_i l1_i |u_i| + l2/2 ||u||^2``: ``soft(x, l1) / (1 + l2)``.
- box, ``f`` the indicator of ``lower <= u <= upper``: ``clip(x, lower, upper)``.

Thresholds are a scalar or an array broadcasting to x's shape (one per coordinate).
"""

from __future__ import annotations

import numpy as np

from .._typing import Any, ArrayLike
from . import _backend as b

__all__ = ["prox_l1", "prox_elastic_net", "project_box", "project_positive", "l1_norm",
           "l1_dual_norm", "elastic_net_value", "elastic_net_conjugate"]


def prox_l1(x: Any, threshold: ArrayLike, *, out: Any = None) -> Any:
    """Soft-thresholding ``sign(x) max(|x| - threshold, 0)``: the prox of
    ``sum_i t_i |u_i|``, t a scalar or one threshold per coordinate (broadcasting to x).

    NumPy input (float32 or float64, any shape) runs on the compiled kernel; other array-API
    arrays on their own namespace (same dtype and device). ``out=x`` works in place; x is
    never modified otherwise.

    Examples
    --------
    >>> import numpy as np
    >>> from l1core.prox import prox_l1
    >>> prox_l1(np.array([-3.0, 0.5, 2.0]), 1.0)
    array([-2.,  0.,  1.])
    >>> prox_l1(np.array([-3.0, 0.5, 2.0]), [0.0, 0.0, 3.0])
    array([-3. ,  0.5,  0. ])
    """
    return _soft(x, threshold, 1.0, out)


def prox_elastic_net(x: Any, l1: ArrayLike, l2: float, *, out: Any = None) -> Any:
    """The prox of ``sum_i l1_i |u_i| + l2/2 ||u||^2``: ``soft(x, l1) / (1 + l2)``
    (l1 a scalar or per coordinate, l2 >= 0 a scalar).

    Examples
    --------
    >>> import numpy as np
    >>> from l1core.prox import prox_elastic_net
    >>> prox_elastic_net(np.array([-3.0, 0.5, 2.0]), 1.0, 1.0)
    array([-1. ,  0. ,  0.5])
    >>> float(prox_elastic_net(np.array([4.0]), 0.0, 3.0)[0])   # ridge alone: x / (1 + l2)
    1.0
    """
    from .._validation import check_alpha
    return _soft(x, l1, 1.0 / (1.0 + check_alpha(l2, "l2")), out)


def _soft(x, threshold, scale, out):
    xp, is_numpy = b.namespace(x)
    if is_numpy:
        x = b.numpy_input(x)
        t = b.check_threshold(threshold, x.shape)
        out, buf = b.numpy_output(x, out)
        b.kernels.soft_threshold(b.contiguous(x), t, buf, scale)
        return b.finish(out, buf)
    b.xp_check(xp, x)
    t = b.xp_threshold(xp, x, threshold)
    magnitude = xp.abs(x) - t
    magnitude = xp.where(magnitude > 0, magnitude, xp.zeros_like(magnitude))
    result = xp.sign(x) * magnitude
    if scale != 1.0:
        result = result * scale
    return b.xp_finish(xp, x, result, out)


def project_box(x: Any, lower: ArrayLike = -np.inf, upper: ArrayLike = np.inf, *,
                out: Any = None) -> Any:
    """The Euclidean projection onto ``{lower <= u <= upper}`` (bounds scalars or
    broadcasting to x, ``lower <= upper``): ``clip(x, lower, upper)``.

    Examples
    --------
    >>> import numpy as np
    >>> from l1core.prox import project_box
    >>> project_box(np.array([-2.0, 0.5, 3.0]), 0.0, 1.0)
    array([0. , 0.5, 1. ])
    >>> project_box(np.array([-2.0, 0.5, 3.0]), upper=[1.0, 0.0, 5.0])
    array([-2.,  0.,  3.])
    """
    xp, is_numpy = b.namespace(x)
    lo = np.asarray(b.to_numpy(lower) if not is_numpy and hasattr(lower, "shape") else lower,
                    dtype=np.float64)
    hi = np.asarray(b.to_numpy(upper) if not is_numpy and hasattr(upper, "shape") else upper,
                    dtype=np.float64)
    if np.isnan(lo).any() or np.isnan(hi).any() or np.any(lo > hi):
        raise ValueError("project_box needs lower <= upper (and no NaN bounds).")
    if is_numpy:
        x = b.numpy_input(x)
        out, _ = b.numpy_output(x, out)
        return np.clip(x, lo.astype(x.dtype), hi.astype(x.dtype), out=out)
    b.xp_check(xp, x)
    result = x
    if np.any(lo > -np.inf):
        result = xp.where(result < _xp_bound(xp, x, lo), _xp_bound(xp, x, lo), result)
    if np.any(hi < np.inf):
        result = xp.where(result > _xp_bound(xp, x, hi), _xp_bound(xp, x, hi), result)
    return b.xp_finish(xp, x, result if result is not x else xp.asarray(x, copy=True), out)


def _xp_bound(xp, x, bound):
    full = np.broadcast_to(bound, tuple(x.shape))
    return xp.asarray(np.ascontiguousarray(full), dtype=x.dtype, device=x.device)


def project_positive(x: Any, *, out: Any = None) -> Any:
    """The projection onto the non-negative orthant, ``max(x, 0)``.

    Examples
    --------
    >>> import numpy as np
    >>> from l1core.prox import project_positive
    >>> project_positive(np.array([-1.0, 2.0]))
    array([0., 2.])
    >>> project_positive(np.array([[-1.0], [3.0]])).ravel()
    array([0., 3.])
    """
    return project_box(x, 0.0, np.inf, out=out)


def l1_norm(x: Any, threshold: ArrayLike = 1.0) -> float:
    """The L1 penalty ``sum_i t_i |x_i|`` (a float).

    Examples
    --------
    >>> import numpy as np
    >>> from l1core.prox import l1_norm
    >>> l1_norm(np.array([-3.0, 0.5]), 2.0)
    7.0
    >>> l1_norm(np.array([-3.0, 0.5]), [0.0, 1.0])
    0.5
    """
    x = _host(x)
    t = b.check_threshold(threshold, x.shape).reshape(-1)
    return float(np.sum(t * np.abs(x.reshape(-1))))


def l1_dual_norm(q: Any, threshold: ArrayLike = 1.0) -> float:
    """The dual norm of ``sum_i t_i |u_i|``: ``max_i |q_i| / t_i`` (inf where t_i = 0 and
    q_i != 0). ``q`` is dual-feasible (the penalty's conjugate is 0 at q) iff it is <= 1.

    Examples
    --------
    >>> import numpy as np
    >>> from l1core.prox import l1_dual_norm
    >>> l1_dual_norm(np.array([-3.0, 0.5]), 2.0)
    1.5
    >>> l1_dual_norm(np.array([0.0, 0.5]), [0.0, 1.0])
    0.5
    """
    q = np.abs(_host(q).reshape(-1))
    t = np.broadcast_to(b.check_threshold(threshold, q.shape), q.shape)
    with np.errstate(divide="ignore", invalid="ignore"):
        ratio = np.where(q == 0, 0.0, q / t)
    return float(ratio.max(initial=0.0))


def elastic_net_value(x: Any, l1: ArrayLike, l2: float) -> float:
    """The elastic-net penalty ``sum_i l1_i |x_i| + l2/2 ||x||^2``.

    Examples
    --------
    >>> import numpy as np
    >>> from l1core.prox import elastic_net_value
    >>> elastic_net_value(np.array([1.0, -2.0]), 1.0, 2.0)
    8.0
    >>> elastic_net_value(np.array([1.0, -2.0]), 0.0, 0.0)
    0.0
    """
    x = _host(x)
    return l1_norm(x, l1) + 0.5 * float(l2) * float(np.sum(np.square(x, dtype=np.float64)))


def elastic_net_conjugate(q: Any, l1: ArrayLike, l2: float) -> float:
    """The conjugate ``sum_i max(|q_i| - l1_i, 0)^2 / (2 l2)`` of the elastic net (l2 > 0;
    with l2 = 0 it is the indicator of ``|q_i| <= l1_i``: 0 or inf).

    Examples
    --------
    >>> import numpy as np
    >>> from l1core.prox import elastic_net_conjugate
    >>> elastic_net_conjugate(np.array([3.0, 0.5]), 1.0, 2.0)
    1.0
    >>> elastic_net_conjugate(np.array([3.0, 0.5]), 1.0, 0.0)
    inf
    """
    q = np.abs(_host(q).reshape(-1)).astype(np.float64)
    t = np.broadcast_to(b.check_threshold(l1, q.shape), q.shape)
    excess = np.maximum(q - t, 0.0)
    if l2 <= 0:
        return float(np.inf) if np.any(excess > 0) else 0.0
    return float(np.sum(excess * excess) / (2.0 * l2))


def _host(x):
    """A NumPy view/copy of any array (penalty values are reductions to a float)."""
    _, is_numpy = b.namespace(x)
    return np.asarray(x) if is_numpy else b.to_numpy(x)
