"""Input validation: the one place where l1core checks what the user passes.

Policy
------
* **Validate once.** Public entry points (``fit``, path functions) call these functions; the
  internals they feed (paths, cross-validation, kernels) trust the validated arrays and never
  re-check or re-copy them.
* **The user's arrays are never modified**, not even "harmlessly" (no in-place
  ``sum_duplicates``/``sort_indices`` on a sparse matrix, no dtype change in place).
* **Copies happen only when needed**, and the kernels never write into ``X``, ``y`` or
  ``sample_weight``, so returning the caller's own memory is safe:

  - dense ``X``: returned Fortran-ordered (``np.asfortranarray``). Fortran-contiguous
    float32/float64 input is returned without a copy; C-ordered or non-contiguous input, and
    input of another dtype, is copied once.
  - sparse ``X``: CSC and CSR with float32/float64 data and int32/int64 index arrays of one
    dtype are returned as is (same object). Other formats (COO, LIL, DOK, BSR, DIA) are
    converted to CSC, integer/bool data to float64, mismatched or non-int32/int64 index
    arrays to int64, and a matrix with duplicate or unsorted indices to its canonical form
    (duplicates summed): each of these is a copy.
  - ``y`` and ``sample_weight``: 1-D C-contiguous arrays of X's dtype, copied only when the
    input is not already one.
  - ``penalty_factor``, bounds and ``coef_init`` (length ``n_features``): always new arrays,
    which the caller may write into.

* **dtypes.** float32 stays float32 and float64 stays float64 (never upcast); float16 becomes
  float32; bool and integer data become float64. Object arrays holding numbers (e.g. a mixed
  pandas DataFrame) are converted to float64.
* **Errors.** ``TypeError`` for the wrong kind of value (non-numeric data, a string where a
  number is expected), ``ValueError`` for a wrong value or shape. Every message names the
  argument and shows the offending value or shape. Complex data raises an error that is both a
  ``TypeError`` and a ``ValueError`` (scikit-learn's estimator checks expect ``ValueError``).
"""

import numbers
import sys
import warnings

import numpy as np
import scipy.sparse as sp

from ._design_ops import check_compressed_indices

__all__ = [
    "DataConversionWarning",
    "check_design",
    "check_trusted_design",
    "check_target",
    "check_targets",
    "is_multi_output",
    "check_sample_weight",
    "check_penalty_factor",
    "check_bounds",
    "check_alpha",
    "check_l1_ratio",
    "check_tol",
    "check_max_iter",
    "check_selection",
    "check_random_state",
    "check_coef_init",
]


class DataConversionWarning(UserWarning):
    """Warning: input data was converted in a way the user may not expect.

    Raised when a column vector ``y`` of shape ``(n_samples, 1)`` is raveled.
    """


class _ComplexDataError(TypeError, ValueError):
    """Complex input: a ``TypeError`` and, for scikit-learn's checks, a ``ValueError``."""


_SKLEARN_FLAVOURED = {}


def _with_sklearn_base(cls):
    """``cls``, or a subclass of it and of scikit-learn's class of the same name.

    When scikit-learn is already imported (never imports it), return a cached subclass of
    ``cls`` and of ``sklearn.exceptions.<cls.__name__>``, so that code catching or filtering
    scikit-learn's ``NotFittedError`` / ``DataConversionWarning`` also sees ours. Instances
    pickle as plain ``cls`` (the subclass cannot be looked up by name).
    """
    sk_cls = getattr(sys.modules.get("sklearn.exceptions"), cls.__name__, None)
    if not isinstance(sk_cls, type) or issubclass(cls, sk_cls):
        return cls
    if cls not in _SKLEARN_FLAVOURED:
        _SKLEARN_FLAVOURED[cls] = type(
            cls.__name__,
            (cls, sk_cls),
            {
                "__module__": cls.__module__,
                "__doc__": cls.__doc__,
                "__reduce__": lambda self: (cls, self.args),
            },
        )
    return _SKLEARN_FLAVOURED[cls]


# --------------------------------------------------------------------------- array helpers


def _shape_str(arr):
    return "a scalar" if np.ndim(arr) == 0 else f"shape {np.shape(arr)}"


def _complex_error(name, dtype):
    return _ComplexDataError(
        f"Complex data not supported: {name} has dtype {dtype}; l1core needs real numbers."
    )


def _as_numeric_array(value, name):
    """``np.asarray(value)`` with a real numeric dtype (bool, int, uint or float).

    Object arrays of numbers are converted to float64; strings, objects that are not numbers
    and complex numbers raise.
    """
    try:
        arr = np.asarray(value)
    except (TypeError, ValueError) as exc:  # e.g. ragged nested lists
        raise ValueError(f"{name} could not be converted to an array: {exc}") from None
    kind = arr.dtype.kind
    if kind == "O":
        try:
            return arr.astype(np.float64)
        except (TypeError, ValueError) as exc:
            msg = f"{name} must be numeric; converting it to float failed: {exc}"
            raise TypeError(msg) from None
    if kind == "c":
        raise _complex_error(name, arr.dtype)
    if kind not in "biuf":
        raise TypeError(f"{name} must be numeric, got an array of dtype {arr.dtype}.")
    return arr


def _float_dtype(dtype):
    """The floating dtype the solvers use for data of ``dtype`` (a real numeric dtype)."""
    if dtype.kind == "f" and dtype.itemsize <= 4:
        return np.dtype(np.float32)  # float16 and float32
    return np.dtype(np.float64)  # bool, int, uint, float64 (and longdouble)


def _check_finite(arr, name):
    """Raise ``ValueError`` naming ``name`` if the float array ``arr`` has NaN or infinity."""
    with np.errstate(over="ignore", invalid="ignore"):
        if np.isfinite(np.sum(arr)):  # fast path; an overflowing sum falls through
            return
    if np.isnan(arr).any():
        raise ValueError(f"Input {name} contains NaN.")
    if np.isinf(arr).any():
        raise ValueError(f"Input {name} contains infinity.")


def _check_nonempty_2d(shape, name):
    for count, what in zip(shape, ("sample(s)", "feature(s)")):
        if count < 1:
            raise ValueError(
                f"{name} has 0 {what} (shape={tuple(shape)}) while a minimum of 1 is required."
            )


def _as_float_vector(value, length, name, dtype=np.float64, *, copy=False, finite=True):
    """A 1-D C-contiguous ``dtype`` array of ``length``; a scalar is broadcast (new array).

    ``copy=False`` copies only if needed; ``finite=True`` rejects NaN/inf, else only NaN.
    """
    arr = _as_numeric_array(value, name)
    if arr.ndim == 0:
        arr = np.full(length, arr, dtype=dtype)
    elif arr.ndim == 1 and arr.shape[0] == length:
        arr = np.array(arr, dtype=dtype, order="C", copy=True if copy else None)
    else:
        raise ValueError(
            f"{name} must be a scalar or a 1-D array of length {length}, got {_shape_str(arr)}."
        )
    if finite:
        _check_finite(arr, name)
    elif np.isnan(arr).any():
        raise ValueError(f"Input {name} contains NaN.")
    return arr


# --------------------------------------------------------------------------- X, y, weights


def check_design(X, *, name="X"):
    """Validate a design matrix; return ``(X_checked, storage)``.

    ``storage`` is ``"dense"`` (a Fortran-ordered float32/float64 ndarray), ``"csc"`` or
    ``"csr"``. See the module docstring for when ``X`` is copied; it is never modified.
    """
    if sp.issparse(X):
        X = _check_sparse(X, name)
        return X, X.format
    X = _as_numeric_array(X, name)
    if X.ndim != 2:
        if X.ndim == 1:
            raise ValueError(
                f"Expected 2D array for {name}, got 1D array of shape {X.shape} instead. "
                f"Reshape your data either using {name}.reshape(-1, 1) if it has a single "
                f"feature or {name}.reshape(1, -1) if it contains a single sample."
            )
        got = f"scalar {X.item()!r}" if X.ndim == 0 else f"{X.ndim}D array of shape {X.shape}"
        raise ValueError(f"Expected 2D array for {name}, got {got} instead.")
    _check_nonempty_2d(X.shape, name)
    X = np.asfortranarray(X, dtype=_float_dtype(X.dtype))
    _check_finite(X, name)
    return X, "dense"


def _check_sparse(X, name):
    if X.ndim != 2:
        raise ValueError(f"Expected 2D sparse {name}, got {X.ndim}D of shape {X.shape}.")
    _check_nonempty_2d(X.shape, name)
    kind = X.dtype.kind
    if kind == "c":
        raise _complex_error(name, X.dtype)
    if kind not in "biuf":
        raise TypeError(f"{name} must be numeric, got a sparse matrix of dtype {X.dtype}.")
    if X.format not in ("csc", "csr"):
        X = X.tocsc()  # a new matrix: the user's is untouched
    dtype = _float_dtype(X.dtype)
    if X.dtype != dtype:
        X = X.astype(dtype)  # a copy
    _check_compressed_structure(X, name)
    index_dtype = X.indices.dtype
    if not (
        index_dtype == X.indptr.dtype
        and index_dtype in (np.int32, np.int64)
        and X.data.flags.c_contiguous
        and X.indices.flags.c_contiguous
        and X.indptr.flags.c_contiguous
    ):
        X = _rebuild_compressed(X)
    if not X.has_canonical_format:
        # duplicate entries must be summed before the kernels square column values; scipy
        # only tells sorted-and-unique from the rest, so unsorted input is copied too
        X = X.copy()
        X.sum_duplicates()
    _check_finite(X.data[: X.indptr[-1]], name)
    return X


def _check_compressed_structure(X, name):
    """Check what a kernel looping over ``indptr[j]:indptr[j+1]`` relies on.

    Unsorted or duplicate indices are handled by the caller (a canonical copy).
    """
    n_major, n_minor = X.shape if X.format == "csr" else X.shape[::-1]
    indptr, indices = X.indptr, X.indices
    problem = None
    if indptr.dtype.kind not in "iu" or indices.dtype.kind not in "iu":
        problem = f"index arrays must be integers, got {indptr.dtype} and {indices.dtype}"
    elif indptr.ndim != 1 or indptr.shape[0] != n_major + 1:
        problem = f"indptr has shape {indptr.shape}, expected ({n_major + 1},)"
    elif indptr[0] != 0 or np.any(np.diff(indptr) < 0):
        problem = "indptr must start at 0 and be non-decreasing"
    elif indptr[-1] > min(indices.shape[0], X.data.shape[0]):
        problem = (
            f"indptr[-1] = {indptr[-1]} exceeds the length of indices ({indices.shape[0]}) "
            f"or data ({X.data.shape[0]})"
        )
    elif indptr[-1] > 0:
        used = indices[: indptr[-1]]
        if used.min() < 0 or used.max() >= n_minor:
            problem = f"indices must lie in [0, {n_minor})"
    if problem is not None:
        raise ValueError(f"{name} is not a valid {X.format.upper()} matrix: {problem}.")


def check_trusted_design(X, *, name="X"):
    """The guard of ``check_input=False``: X is trusted to be ``check_design``'s output, so it
    is neither copied nor scanned for NaN, but a kernel must never read outside it. Raises
    ValueError unless X is a 2-D float32/float64 ndarray (the kernels that need Fortran
    order say so themselves) or a CSC/CSR matrix of float32/float64 data whose index arrays
    pass the compiled O(nnz) bounds check (``indptr`` of length n_major + 1, starting at 0,
    non-decreasing, within the stored entries; indices in range and strictly increasing
    within each row or column)."""
    fix = "pass check_input=True (or X from check_design)"
    if sp.issparse(X):
        if X.format not in ("csc", "csr") or X.dtype not in (np.float32, np.float64):
            raise ValueError(f"With check_input=False, {name} must be CSC or CSR with float32 "
                             f"or float64 data, got {X.format} of dtype {X.dtype}: {fix}.")
        check_compressed_indices(X, name)
        return X
    if not (isinstance(X, np.ndarray) and X.ndim == 2 and X.dtype in (np.float32, np.float64)):
        got = (f"{X.ndim}-D ndarray of dtype {X.dtype}" if isinstance(X, np.ndarray)
               else type(X).__name__)
        raise ValueError(f"With check_input=False, {name} must be a 2-D float32 or float64 "
                         f"ndarray or a CSC/CSR matrix, got a {got}: {fix}.")
    return X


def _rebuild_compressed(X):
    """A new CSC/CSR of the same type with contiguous int64 index arrays; data not copied."""
    nnz = X.indptr[-1]
    data = np.ascontiguousarray(X.data[:nnz])
    indices = np.ascontiguousarray(X.indices[:nnz], dtype=np.int64)
    indptr = np.ascontiguousarray(X.indptr, dtype=np.int64)
    new = type(X)((data, indices, indptr), shape=X.shape, copy=False)
    new.indices, new.indptr = indices, indptr  # scipy may have downcast them to int32
    return new


def check_target(y, n_samples, dtype, *, name="y"):
    """Validate the target: a 1-D C-contiguous array of ``dtype`` and length ``n_samples``.

    A column vector of shape ``(n_samples, 1)`` is raveled with a ``DataConversionWarning``
    (as scikit-learn does). Copies only if needed; ``y`` is never modified. A ``y`` whose
    sum of squares overflows (the squared loss and its stopping rule need it) is refused.
    """
    arr = _check_target(y, n_samples, dtype, name, warn_column=True)
    with np.errstate(over="ignore"):
        squares = np.dot(arr, arr)
    if not np.isfinite(squares):
        raise ValueError(f"{name} is too large: the sum of its squares overflows float64 "
                         f"(max |{name}| = {np.max(np.abs(arr)):.3g}); rescale {name}.")
    return arr


def _check_target(y, n_samples, dtype, name, warn_column):
    if y is None:
        raise ValueError(
            f"This estimator requires {name} to be passed, but the target {name} is None."
        )
    if sp.issparse(y):
        raise TypeError(f"{name} must be a dense 1-D array, got a sparse matrix.")
    arr = _as_numeric_array(y, name)
    if arr.ndim == 2 and arr.shape[1] == 1:
        if warn_column:
            warnings.warn(
                f"A column-vector {name} was passed when a 1d array was expected. Please "
                f"change the shape of {name} to (n_samples,), for example using ravel().",
                _with_sklearn_base(DataConversionWarning),
                stacklevel=4,
            )
        arr = arr[:, 0]
    elif arr.ndim == 2:
        raise ValueError(
            f"{name} has shape {arr.shape}: multi-output targets are not supported; "
            f"{name} must be 1-D of length n_samples."
        )
    elif arr.ndim != 1:
        raise ValueError(f"{name} must be a 1-D array, got {_shape_str(arr)}.")
    if arr.shape[0] == 0:
        raise ValueError(f"{name} is empty (shape {arr.shape}).")
    if arr.shape[0] != n_samples:
        raise ValueError(
            f"{name} has {arr.shape[0]} samples but X has {n_samples} samples; "
            "they must have the same length."
        )
    arr = np.ascontiguousarray(arr, dtype=dtype)
    _check_finite(arr, name)
    return arr


def is_multi_output(y):
    """Whether ``y`` is a dense 2-D target with more than one column (NumPy's
    ``__array_function__`` not called: array-likes that refuse it pass)."""
    if y is None or sp.issparse(y):
        return False
    arr = np.asarray(y)
    return arr.ndim == 2 and arr.shape[1] > 1


def check_targets(Y, n_samples, *, name="y"):
    """Validate a multi-output target: an (n_samples, n_targets) float64 array, Fortran-ordered
    (each target's column contiguous; copied only if needed, never modified). A 1-D ``Y`` is
    refused (use :func:`check_target`); NaN/infinity, an empty ``Y``, the wrong number of rows
    and a sum of squares that overflows raise ValueError."""
    if Y is None:
        raise ValueError(f"This estimator requires {name} to be passed, but the target {name} "
                         "is None.")
    if sp.issparse(Y):
        raise TypeError(f"{name} must be a dense 2-D array, got a sparse matrix.")
    arr = _as_numeric_array(Y, name)
    if arr.ndim != 2:
        raise ValueError(f"{name} must be 2-D of shape (n_samples, n_targets), got "
                         f"{_shape_str(arr)}.")
    if arr.shape[0] != n_samples:
        raise ValueError(f"{name} has {arr.shape[0]} samples but X has {n_samples} samples; "
                         "they must have the same length.")
    if arr.shape[1] == 0 or arr.shape[0] == 0:
        raise ValueError(f"{name} is empty (shape {arr.shape}).")
    arr = np.asfortranarray(arr, dtype=np.float64)
    _check_finite(arr, name)
    with np.errstate(over="ignore"):
        squares = np.einsum("ij,ij->", arr, arr)
    if not np.isfinite(squares):
        raise ValueError(f"{name} is too large: the sum of its squares overflows float64; "
                         f"rescale {name}.")
    return arr


def check_sample_weight(sample_weight, n_samples, dtype):
    """Validate sample weights: 1-D ``dtype`` array of ``n_samples`` finite non-negative
    weights with a positive sum. ``None`` means ones, a scalar is broadcast."""
    name = "sample_weight"
    if sample_weight is None:
        return np.ones(n_samples, dtype=dtype)
    sw = _as_float_vector(sample_weight, n_samples, name, dtype)
    if (sw < 0).any():
        j = int(np.argmax(sw < 0))
        raise ValueError(f"{name} must be non-negative, got {name}[{j}] = {sw[j]}.")
    if not sw.sum() > 0:
        raise ValueError(f"{name}: all weights are zero; at least one weight must be positive.")
    return sw


# --------------------------------------------------------------------------- per-feature arrays


def check_penalty_factor(penalty_factor, n_features):
    """Validate per-feature penalty factors: a new float64 array of ``n_features`` finite
    non-negative values (0 = unpenalized). ``None`` means ones, a scalar is broadcast."""
    name = "penalty_factor"
    if penalty_factor is None:
        return np.ones(n_features)
    pf = _as_float_vector(penalty_factor, n_features, name, copy=True)
    if (pf < 0).any():
        j = int(np.argmax(pf < 0))
        raise ValueError(f"{name} must be non-negative, got {name}[{j}] = {pf[j]}.")
    return pf


def check_bounds(lower_bounds, upper_bounds, positive, n_features):
    """Validate coefficient bounds; return new float64 arrays ``(lower, upper)``.

    ``None`` means -inf / +inf; scalars are broadcast. ``positive=True`` raises the lower
    bounds to 0. Requires ``lower <= upper`` everywhere, ``lower < +inf`` and ``upper > -inf``.
    """
    if not isinstance(positive, (bool, np.bool_)):
        raise TypeError(f"positive must be True or False, got {positive!r}.")
    bounds = []
    for value, name, default, forbidden in (
        (lower_bounds, "lower_bounds", -np.inf, np.inf),
        (upper_bounds, "upper_bounds", np.inf, -np.inf),
    ):
        if value is None:
            bounds.append(np.full(n_features, default))
            continue
        arr = _as_float_vector(value, n_features, name, copy=True, finite=False)
        if (arr == forbidden).any():
            j = int(np.argmax(arr == forbidden))
            raise ValueError(f"{name}[{j}] = {arr[j]} is not allowed.")
        bounds.append(arr)
    lower, upper = bounds
    if positive:
        np.maximum(lower, 0.0, out=lower)
    if (lower > upper).any():
        j = int(np.argmax(lower > upper))
        extra = " (positive=True sets lower_bounds >= 0)" if positive else ""
        raise ValueError(
            f"lower_bounds must not exceed upper_bounds, got lower_bounds[{j}] = {lower[j]} > "
            f"upper_bounds[{j}] = {upper[j]}{extra}."
        )
    return lower, upper


def check_coef_init(coef, n_features, dtype):
    """Validate initial coefficients: a NEW 1-D ``dtype`` array of ``n_features`` finite
    values (the solver writes into it)."""
    name = "coef_init"
    arr = _as_numeric_array(coef, name)
    if arr.ndim != 1 or arr.shape[0] != n_features:
        raise ValueError(
            f"{name} must be a 1-D array of length n_features={n_features}, "
            f"got {_shape_str(arr)}."
        )
    arr = np.array(arr, dtype=dtype, order="C", copy=True)
    _check_finite(arr, name)
    return arr


# --------------------------------------------------------------------------- scalar parameters


def _check_real(value, name, low, high=None):
    """A finite Python float in ``[low, high]`` from a real number (not bool, not str)."""
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, numbers.Real):
        kind = type(value).__name__
        raise TypeError(f"{name} must be a real number, got {value!r} of type {kind}.")
    value = float(value)
    if not np.isfinite(value):
        raise ValueError(f"{name} must be finite, got {value}.")
    if value < low or (high is not None and value > high):
        allowed = f">= {low}" if high is None else f"in [{low}, {high}]"
        raise ValueError(f"{name} must be {allowed}, got {value}.")
    return value


def check_alpha(alpha, name="alpha"):
    """Regularization strength: a finite real number >= 0."""
    return _check_real(alpha, name, low=0.0)


def check_l1_ratio(l1_ratio):
    """Elastic-net mixing parameter: a real number in [0, 1]."""
    return _check_real(l1_ratio, "l1_ratio", low=0.0, high=1.0)


def check_tol(tol):
    """Stopping tolerance: a finite real number >= 0."""
    return _check_real(tol, "tol", low=0.0)


def check_max_iter(max_iter):
    """Maximum number of epochs: an integer >= 1 (numpy integers accepted; bools and floats,
    even integral ones such as 10.0, are not)."""
    if isinstance(max_iter, (bool, np.bool_)) or not isinstance(max_iter, numbers.Integral):
        raise TypeError(
            f"max_iter must be an integer, got {max_iter!r} of type {type(max_iter).__name__}."
        )
    if max_iter < 1:
        raise ValueError(f"max_iter must be >= 1, got {max_iter}.")
    return int(max_iter)


def check_selection(selection):
    """Coordinate selection rule: ``"cyclic"`` or ``"random"``."""
    if not isinstance(selection, str) or selection not in ("cyclic", "random"):
        raise ValueError(f"selection must be 'cyclic' or 'random', got {selection!r}.")
    return selection


def check_solver(solver):
    """The estimators' solver: ``"cd"`` (coordinate descent) or ``"fista"``."""
    if not isinstance(solver, str) or solver not in ("cd", "fista"):
        raise ValueError(f"solver must be 'cd' or 'fista', got {solver!r}.")
    return solver


def check_random_state(random_state):
    """A ``np.random.Generator`` from ``None``, an int seed, a Generator or a RandomState.

    - ``None``: a Generator seeded from NumPy's global random state, so that
      ``np.random.seed`` makes results reproducible (as it does for scikit-learn).
    - int: ``np.random.default_rng(seed)``, the same stream for the same seed.
    - Generator: returned as is (its state is shared and advanced).
    - RandomState: a Generator seeded by one draw from it (advances it).
    """
    if random_state is None:
        return np.random.default_rng(np.random.randint(0, 2**63 - 1, dtype=np.int64))
    if isinstance(random_state, np.random.Generator):
        return random_state
    if isinstance(random_state, np.random.RandomState):
        return np.random.default_rng(random_state.randint(0, 2**63 - 1, dtype=np.int64))
    is_bool = isinstance(random_state, (bool, np.bool_))
    if isinstance(random_state, numbers.Integral) and not is_bool:
        if random_state < 0:
            raise ValueError(f"random_state must be a non-negative integer, got {random_state}.")
        return np.random.default_rng(int(random_state))
    raise TypeError(
        "random_state must be None, an int, a numpy.random.Generator or a "
        f"numpy.random.RandomState, got {random_state!r}."
    )


# --------------------------------------------------------------------------- glmnet's options


def check_model_size_limit(value, name):
    """``dfmax`` / ``pmax``: None (no limit) or an integer >= 0 (bools and floats refused)."""
    if value is None:
        return None
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, numbers.Integral):
        raise TypeError(f"{name} must be None or an integer >= 0, got {value!r}.")
    if value < 0:
        raise ValueError(f"{name} must be >= 0, got {value}.")
    return int(value)


def check_offset(offset, n_samples):
    """glmnet's ``offset``: None, or a finite float64 vector of length ``n_samples`` (a scalar
    is broadcast). Never the user's array itself when it would be written: callers only read."""
    if offset is None:
        return None
    return _as_float_vector(offset, n_samples, "offset")


# --------------------------------------------------------------------------- variants' options


def check_positive(value, name):
    """A finite real number > 0 (the adaptive Lasso's ``gamma``)."""
    value = _check_real(value, name, low=0.0)
    if value == 0.0:
        raise ValueError(f"{name} must be > 0, got 0.0.")
    return value


def check_nonnegative(value, name):
    """A finite real number >= 0 (``weight_eps``, the prior Lasso's ``eta``)."""
    return _check_real(value, name, low=0.0)


def check_count(value, name):
    """An integer >= 0 (``n_reweight``; bools and floats refused)."""
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, numbers.Integral):
        raise TypeError(f"{name} must be an integer >= 0, got {value!r}.")
    if value < 0:
        raise ValueError(f"{name} must be >= 0, got {value}.")
    return int(value)


def check_float_vector(value, length, name):
    """A finite float64 vector of ``length`` values (a scalar is broadcast), never the
    user's array itself when it would be written: callers only read."""
    return _as_float_vector(value, length, name)


def check_feature_set(features, n_features, name):
    """Feature indices (integers in [-p, p) or a boolean mask of length p) as a sorted array
    of distinct non-negative indices (possibly empty)."""
    arr = np.asarray(features)
    if arr.dtype == bool:
        if arr.shape != (n_features,):
            raise ValueError(f"A boolean {name} mask must have shape ({n_features},), got "
                             f"{arr.shape}.")
        return np.flatnonzero(arr)
    arr = np.atleast_1d(arr)
    if arr.ndim != 1 or (arr.size and arr.dtype.kind not in "iu"):
        raise ValueError(f"{name} must be a 1-D array of feature indices or a boolean mask, "
                         f"got {features!r}.")
    arr = arr.astype(np.intp)
    if arr.size and (arr.min() < -n_features or arr.max() >= n_features):
        raise ValueError(f"{name} must hold indices in [0, {n_features}), got values in "
                         f"[{arr.min()}, {arr.max()}].")
    return np.unique(np.where(arr < 0, arr + n_features, arr))
