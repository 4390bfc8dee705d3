"""Where a prox runs: NumPy arrays on the compiled kernels, any other array-API array on its
own namespace (pure array-API operations, keeping its dtype and device).

The namespace is ``x.__array_namespace__()``, or, for arrays without it (PyTorch tensors),
``array_api_compat.array_namespace(x)`` when array-api-compat is installed. Lists and Python
scalars are NumPy input. Nothing here imports torch, cupy or array-api-compat eagerly.
"""

import numpy as np

from .. import _validation as v

try:
    from .. import _prox as kernels  # noqa: F401 (re-exported to the operator modules)
except ModuleNotFoundError as _exc:     # an unbuilt source tree: say what to do
    from .. import _unbuilt
    raise _unbuilt(_exc) from None

__all__ = ["namespace", "numpy_input", "numpy_output", "finish", "check_threshold",
           "xp_threshold", "xp_finish", "to_numpy", "from_numpy"]


def namespace(x):
    """``(xp, True)`` for NumPy input (ndarrays, lists, scalars), ``(xp, False)`` for any
    other array of the array API standard."""
    if isinstance(x, (np.ndarray, np.generic, list, tuple, int, float)):
        return np, True
    if hasattr(x, "__array_namespace__"):
        return x.__array_namespace__(), False
    try:
        import array_api_compat
    except ImportError:
        return np, True
    try:
        xp = array_api_compat.array_namespace(x)
    except TypeError:
        return np, True
    return (np, True) if array_api_compat.is_numpy_namespace(xp) else (xp, False)


def numpy_input(x, name="x"):
    """A finite float32/float64 ndarray of ``x`` (int and bool input become float64: a copy)."""
    arr = v._as_numeric_array(x, name)
    arr = arr.astype(v._float_dtype(arr.dtype), copy=False)
    v._check_finite(arr, name)
    return arr


def numpy_output(x, out, name="out"):
    """``(out, buffer)``: the array to return and a C-contiguous 1-D buffer of x's size the
    kernel writes (out itself, raveled, when contiguous; else a new array copied back by
    :func:`finish`)."""
    if out is None:
        out = np.empty_like(x, order="C")
    elif not isinstance(out, np.ndarray) or out.shape != x.shape or out.dtype != x.dtype:
        raise ValueError(f"{name} must be an ndarray of shape {x.shape} and dtype {x.dtype}, "
                         f"got {getattr(out, 'shape', type(out).__name__)} / "
                         f"{getattr(out, 'dtype', None)}.")
    if out.flags.c_contiguous:
        return out, out.reshape(-1)
    return out, np.empty(x.size, dtype=x.dtype)


def finish(out, buffer):
    """Copy the kernel's buffer into ``out`` when it is not out's own memory."""
    if not np.shares_memory(out, buffer):
        out[...] = buffer.reshape(out.shape)
    return out


def contiguous(x):
    """x raveled, C-contiguous (a copy only when x is not C-contiguous)."""
    return np.ascontiguousarray(x).reshape(-1)


def check_threshold(t, shape, name="threshold"):
    """A float64 C-contiguous threshold of length 1 (a scalar) or prod(shape) (broadcast to
    ``shape``), finite and >= 0."""
    arr = v._as_numeric_array(t, name).astype(np.float64)
    if arr.ndim == 0:
        arr = arr.reshape(1)
    else:
        try:
            arr = np.ascontiguousarray(np.broadcast_to(arr, shape)).reshape(-1)
        except ValueError:
            raise ValueError(f"{name} of shape {arr.shape} does not broadcast to {shape}.") \
                from None
    v._check_finite(arr, name)
    if np.any(arr < 0):
        raise ValueError(f"{name} must be >= 0.")
    return arr


def xp_check(xp, x, name="x"):
    """Refuse non-real-floating or non-finite arrays of a non-NumPy namespace."""
    if not xp.isdtype(x.dtype, "real floating"):
        raise TypeError(f"{name} must have a real floating dtype, got {x.dtype}.")
    if not bool(xp.all(xp.isfinite(x))):
        raise ValueError(f"Input {name} contains NaN or infinity.")


def xp_threshold(xp, x, t, shape=None, name="threshold"):
    """The threshold as a Python float or an array of x's namespace, dtype and device,
    checked (>= 0, finite) in NumPy."""
    if hasattr(t, "__array_namespace__") or type(t).__module__.startswith("torch"):
        host = to_numpy(t)
    else:
        host = t
    arr = check_threshold(host, shape if shape is not None else tuple(x.shape), name)
    if arr.size == 1:
        return float(arr[0])
    target = shape if shape is not None else tuple(x.shape)
    return xp.asarray(arr.reshape(target), dtype=x.dtype, device=x.device)


def xp_finish(xp, x, result, out, name="out"):
    """``result``, written into ``out`` when given (array-API arrays have no ``out=``)."""
    if out is None:
        return result
    if tuple(out.shape) != tuple(x.shape) or out.dtype != x.dtype:
        raise ValueError(f"{name} must have the shape {tuple(x.shape)} and dtype {x.dtype} "
                         f"of x, got {tuple(out.shape)} / {out.dtype}.")
    out[...] = result
    return out


def to_numpy(x):
    """A NumPy copy or view of an array-API array (DLPack, else ``np.asarray``; a tensor on
    an accelerator is first moved to the host)."""
    try:
        return np.from_dlpack(x)
    except (TypeError, RuntimeError, BufferError, AttributeError):
        pass
    if hasattr(x, "cpu"):
        x = x.cpu()
    if hasattr(x, "get"):          # cupy
        return x.get()
    return np.asarray(x)


def from_numpy(xp, arr, like):
    """``arr`` as an array of ``like``'s namespace, dtype and device."""
    return xp.asarray(arr, dtype=like.dtype, device=like.device)
