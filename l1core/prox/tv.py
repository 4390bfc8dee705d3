"""1-D total variation: ``TV(u) = sum_i |u_{i+1} - u_i|``, its prox (denoising) and dual
norm.

    prox_{lam TV}(y) = argmin_u 1/2 ||u - y||^2 + lam sum_i |u_{i+1} - u_i|

solved exactly by Condat (2013)'s direct algorithm (compiled; O(n) in practice, O(n^2) worst
case, no iterations or tolerance). Its dual: u = y - D^T z with z the minimizer of
``||y - D^T z||^2`` over ``|z_i| <= lam`` (D the forward difference).
"""

from __future__ import annotations

import numpy as np

from .._typing import Any
from .._validation import check_alpha
from . import _backend as b
from .elementwise import _host

__all__ = ["prox_tv1d", "tv1d_norm", "tv1d_dual_norm"]


def prox_tv1d(x: Any, lam: float, *, out: Any = None) -> Any:
    """The prox of ``lam * sum_i |u_{i+1} - u_i|`` at a 1-D array x (float32 or float64),
    by Condat's direct algorithm. ``out=x`` works in place.

    NumPy input runs on the compiled kernel without a copy (a non-contiguous x is copied
    once). Other array-API arrays are converted to NumPy (DLPack, or a host copy), solved
    there and converted back to their namespace, dtype and device: Condat's algorithm is a
    sequential scan with no array-API formulation.

    Examples
    --------
    >>> import numpy as np
    >>> from l1core.prox import prox_tv1d
    >>> prox_tv1d(np.array([0.0, 3.0, 3.0, 0.0, 1.0, 5.0]), 1.0)
    array([1. , 2. , 2. , 1.5, 1.5, 4. ])
    >>> prox_tv1d(np.array([1.0, 2.0, 3.0]), 10.0)     # a large lam: the mean
    array([2., 2., 2.])
    """
    lam = check_alpha(lam, "lam")
    xp, is_numpy = b.namespace(x)
    if not is_numpy:
        b.xp_check(xp, x)
        if x.ndim != 1:
            raise ValueError(f"prox_tv1d needs a 1-D array, got shape {tuple(x.shape)}.")
        result = b.from_numpy(xp, prox_tv1d(np.array(b.to_numpy(x)), lam), x)
        return b.xp_finish(xp, x, result, out)
    x = b.numpy_input(x)
    if x.ndim != 1:
        raise ValueError(f"prox_tv1d needs a 1-D array, got shape {x.shape}.")
    out, buf = b.numpy_output(x, out)
    b.kernels.tv1d(b.contiguous(x), lam, buf)
    return b.finish(out, buf)


def tv1d_norm(x: Any) -> float:
    """``sum_i |x_{i+1} - x_i|``.

    Examples
    --------
    >>> import numpy as np
    >>> from l1core.prox import tv1d_norm
    >>> tv1d_norm(np.array([0.0, 3.0, 1.0]))
    5.0
    >>> tv1d_norm(np.array([2.0]))
    0.0
    """
    return float(np.sum(np.abs(np.diff(_host(x).astype(np.float64)))))


def tv1d_dual_norm(q: Any) -> float:
    """The dual norm of TV at q: ``max_k |sum_{i<=k} q_i|`` if ``sum_i q_i = 0`` (TV is
    blind to constants), else inf. (q = D^T z with |z| <= r iff the norm is <= r.)

    Examples
    --------
    >>> import numpy as np
    >>> from l1core.prox import tv1d_dual_norm
    >>> tv1d_dual_norm(np.array([1.0, -3.0, 2.0]))
    2.0
    >>> tv1d_dual_norm(np.array([1.0, 1.0]))
    inf
    """
    c = np.cumsum(_host(q).astype(np.float64))
    scale = np.sum(np.abs(c)) + 1.0
    if c.size and abs(c[-1]) > 1e-12 * scale:
        return float(np.inf)
    return float(np.max(np.abs(c[:-1]), initial=0.0))
