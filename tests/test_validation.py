"""Tests for l1core._validation: every rule, for dense and sparse inputs.

After every call the user's input is compared with a copy taken before it: validation must
never modify what it is given.
"""

import copy
import pickle
import warnings

import numpy as np
import pytest
import scipy.sparse as sp

from l1core._validation import (
    DataConversionWarning,
    check_alpha,
    check_bounds,
    check_coef_init,
    check_design,
    check_l1_ratio,
    check_max_iter,
    check_penalty_factor,
    check_random_state,
    check_sample_weight,
    check_selection,
    check_target,
    check_tol,
)

N, P = 7, 5


@pytest.fixture
def rng():
    return np.random.default_rng(0)


def dense(rng, dtype=np.float64, order="C"):
    return np.asarray(rng.standard_normal((N, P)), dtype=dtype, order=order)


def sparse(rng, fmt="csr", dtype=np.float64, array=False):
    X = sp.random(N, P, density=0.4, format="csr", dtype=np.float64, random_state=42)
    X.data[:] = rng.standard_normal(X.nnz)
    X = X.astype(dtype).asformat(fmt)
    return sp.csr_array(X).asformat(fmt) if array else X


def call_unchanged(func, value, *args, **kwargs):
    """Call ``func(value, ...)`` and assert that ``value`` was not modified."""
    before = copy.deepcopy(value)
    try:
        return func(value, *args, **kwargs)
    finally:
        assert_same(value, before)


def assert_same(a, b):
    assert type(a) is type(b)
    if sp.issparse(a):
        assert a.format == b.format and a.dtype == b.dtype and a.shape == b.shape
        for attr in ("data", "indices", "indptr", "row", "col", "offsets"):
            if hasattr(a, attr):
                x, y = getattr(a, attr), getattr(b, attr)
                assert x.dtype == y.dtype
                np.testing.assert_array_equal(x, y)
        if a.format in ("lil", "dok"):
            np.testing.assert_array_equal(a.toarray(), b.toarray())
    elif isinstance(a, np.ndarray):
        assert a.dtype == b.dtype and a.shape == b.shape
        np.testing.assert_array_equal(a, b)
    else:
        assert a == b or (a != a and b != b)


# ---------------------------------------- check_design: dense


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_dense_fortran_float_is_not_copied(rng, dtype):
    X = dense(rng, dtype, order="F")
    out, storage = call_unchanged(check_design, X)
    assert storage == "dense"
    assert out is X


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_dense_c_order_is_copied_once_to_fortran_same_dtype(rng, dtype):
    X = dense(rng, dtype, order="C")
    out, storage = call_unchanged(check_design, X)
    assert storage == "dense" and out.dtype == dtype
    assert out.flags.f_contiguous and not np.shares_memory(out, X)
    np.testing.assert_array_equal(out, X)


def test_dense_non_contiguous_and_read_only(rng):
    X = dense(rng, order="F")[:, ::2]
    out, _ = call_unchanged(check_design, X)
    assert out.flags.f_contiguous
    np.testing.assert_array_equal(out, X)
    Y = dense(rng, order="F")
    Y.flags.writeable = False
    assert check_design(Y)[0] is Y


@pytest.mark.parametrize(
    "dtype, expected",
    [
        (np.bool_, np.float64),
        (np.int8, np.float64),
        (np.int32, np.float64),
        (np.int64, np.float64),
        (np.uint16, np.float64),
        (np.float16, np.float32),
        (np.float32, np.float32),
        (np.float64, np.float64),
    ],
)
def test_dense_dtype_rules(rng, dtype, expected):
    X = (dense(rng) * 3).astype(dtype)
    out, _ = call_unchanged(check_design, X)
    assert out.dtype == expected and out.flags.f_contiguous
    np.testing.assert_array_equal(out, X.astype(expected))


def test_dense_lists_and_object_arrays_of_numbers():
    out, storage = check_design([[1, 2.5], [3, 4]])
    assert storage == "dense" and out.dtype == np.float64 and out.flags.f_contiguous
    np.testing.assert_array_equal(out, [[1, 2.5], [3, 4]])
    obj = np.array([[1, 2.0], [3, 4]], dtype=object)
    out, _ = call_unchanged(check_design, obj)
    assert out.dtype == np.float64


def test_dense_pandas_dataframe(rng):
    pd = pytest.importorskip("pandas")
    df = pd.DataFrame(dense(rng, np.float32), columns=list("abcde"))
    out, _ = check_design(df)
    assert out.dtype == np.float32 and out.shape == (N, P)
    mixed = pd.DataFrame({"a": [1, 2, 3], "b": [0.5, 1.5, 2.5]})
    out, _ = check_design(mixed)
    assert out.dtype == np.float64
    np.testing.assert_array_equal(out, [[1, 0.5], [2, 1.5], [3, 2.5]])


@pytest.mark.parametrize(
    "X",
    [
        np.array([["a", "b"], ["c", "d"]]),
        [["a", 1.0]],
        np.array([[1.0, {"foo": "bar"}]], dtype=object),
        np.zeros((2, 2), dtype="datetime64[s]"),
    ],
)
def test_dense_non_numeric_is_type_error(X):
    with pytest.raises(TypeError, match="X must be numeric"):
        call_unchanged(check_design, X)


def test_dense_object_none_is_nan():
    with pytest.raises(ValueError, match="X contains NaN"):
        check_design(np.array([[1.0, None]], dtype=object))


def test_dense_object_with_dict_has_sklearn_message():
    X = np.array([[1.0, {"foo": "bar"}]], dtype=object)
    with pytest.raises(TypeError, match="argument must be .* string.* number"):
        check_design(X)


def test_dense_complex_is_type_and_value_error():
    X = np.ones((3, 2), dtype=complex)
    with pytest.raises(TypeError, match="Complex data not supported.*X"):
        check_design(X)
    with pytest.raises(ValueError, match="Complex data not supported"):
        check_design(X)


def test_dense_wrong_dimensions():
    with pytest.raises(ValueError, match=r"got 1D array .*Reshape your data.*X\.reshape"):
        call_unchanged(check_design, np.arange(3.0))
    with pytest.raises(ValueError, match="got 3D array"):
        check_design(np.zeros((2, 2, 2)))
    with pytest.raises(ValueError, match="got scalar"):
        check_design(3.0)
    with pytest.raises(ValueError, match="X could not be converted"):
        check_design([[1.0, 2.0], [3.0]])


def test_dense_empty():
    with pytest.raises(ValueError, match=r"X has 0 sample\(s\) \(shape=\(0, 3\)\)"):
        check_design(np.empty((0, 3)))
    msg = r"0 feature\(s\) \(shape=\(12, 0\)\) while a minimum of 1 is required."
    with pytest.raises(ValueError, match=msg):
        check_design(np.empty((12, 0)))


@pytest.mark.parametrize("order", ["C", "F"])
@pytest.mark.parametrize(
    "bad, word", [(np.nan, "NaN"), (np.inf, "infinity"), (-np.inf, "infinity")]
)
def test_dense_non_finite(rng, order, bad, word):
    X = dense(rng, order=order)
    X[3, 2] = bad
    with pytest.raises(ValueError, match=f"X_test contains {word}"):
        call_unchanged(check_design, X, name="X_test")


def test_dense_overflowing_sum_is_not_an_error():
    X = np.full((4, 3), 3e38, dtype=np.float32)  # sum overflows float32, values are finite
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        out, _ = check_design(X)
    assert out.dtype == np.float32


# ---------------------------------------- check_design: sparse

COMPRESSED = [
    ("csc", False),
    ("csr", False),
    ("csc", True),
    ("csr", True),
]


@pytest.mark.parametrize("fmt, array", COMPRESSED)
@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_sparse_compressed_float_is_returned_as_is(rng, fmt, array, dtype):
    X = sparse(rng, fmt, dtype, array)
    out, storage = call_unchanged(check_design, X)
    assert out is X and storage == fmt and out.dtype == dtype


@pytest.mark.parametrize("fmt", ["csc", "csr"])
def test_sparse_int64_indices_are_kept(rng, fmt):
    X = sparse(rng, fmt)
    X.indices = X.indices.astype(np.int64)
    X.indptr = X.indptr.astype(np.int64)
    out, storage = call_unchanged(check_design, X)
    assert out is X and storage == fmt and out.indices.dtype == np.int64


def test_sparse_mismatched_index_dtypes_become_int64(rng):
    X = sparse(rng, "csr", array=True)
    X.indices = X.indices.astype(np.int64)  # indptr stays int32
    out, storage = call_unchanged(check_design, X)
    assert storage == "csr" and out is not X and isinstance(out, sp.csr_array)
    assert out.indices.dtype == np.int64 and out.indptr.dtype == np.int64
    np.testing.assert_array_equal(out.toarray(), X.toarray())


@pytest.mark.parametrize(
    "convert",
    [sp.coo_matrix, sp.coo_array, sp.lil_matrix, sp.dok_matrix, sp.bsr_matrix, sp.dia_matrix],
)
@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_other_sparse_formats_become_csc(rng, convert, dtype):
    X = convert(sparse(rng, "csr", dtype))
    out, storage = call_unchanged(check_design, X)
    assert storage == "csc" and out.format == "csc" and out.dtype == dtype
    assert sp.issparse(out) and out is not X
    np.testing.assert_array_equal(out.toarray(), X.toarray())


def test_coo_int64_indices(rng):
    X = sp.coo_array(sparse(rng, "csr"))
    X.coords = tuple(c.astype(np.int64) for c in X.coords)
    out, storage = call_unchanged(check_design, X)
    assert storage == "csc"
    assert out.indices.dtype == out.indptr.dtype
    np.testing.assert_array_equal(out.toarray(), X.toarray())


@pytest.mark.parametrize(
    "dtype, expected",
    [
        (np.int64, np.float64),
        (np.int8, np.float64), (np.uint8, np.float64), (np.bool_, np.float64),
    ],
)
@pytest.mark.parametrize("fmt", ["csc", "csr", "coo"])
def test_sparse_dtype_conversion_copies(rng, dtype, expected, fmt):
    X = sp.random(N, P, density=0.5, format=fmt, random_state=1)
    X.data[:] = rng.integers(1, 5, X.nnz)
    X = X.astype(dtype)
    out, storage = call_unchanged(check_design, X)
    assert out.dtype == expected and storage in ("csc", "csr")
    assert not np.shares_memory(out.data, X.data)
    np.testing.assert_array_equal(out.toarray(), X.toarray().astype(expected))


def test_sparse_duplicates_and_unsorted_indices_are_canonicalized_on_a_copy():
    # column 0 holds a duplicated entry in row 1, column 1 has unsorted row indices
    data = np.array([1.0, 2.0, 3.0, 4.0])
    indices = np.array([1, 1, 2, 0], dtype=np.int32)
    indptr = np.array([0, 2, 4], dtype=np.int32)
    X = sp.csc_matrix((data, indices, indptr), shape=(3, 2))
    out, storage = call_unchanged(check_design, X)
    assert out is not X and storage == "csc"
    assert out.has_canonical_format and out.nnz == 3
    np.testing.assert_array_equal(out.toarray(), X.toarray())
    assert X.nnz == 4  # the user's matrix is not summed in place
    np.testing.assert_array_equal(X.indices, indices)


@pytest.mark.parametrize("fmt, array", COMPRESSED + [("coo", False), ("coo", True)])
@pytest.mark.parametrize("bad, word", [(np.nan, "NaN"), (np.inf, "infinity")])
def test_sparse_non_finite(rng, fmt, array, bad, word):
    X = sparse(rng, fmt, array=array)
    X.data[1] = bad
    with pytest.raises(ValueError, match=f"X contains {word}"):
        call_unchanged(check_design, X)


def test_sparse_invalid_structure():
    data = np.array([1.0, 2.0])
    bad_index = sp.csr_matrix((2, 3))
    bad_index.data, bad_index.indices = data, np.array([0, 5], dtype=np.int32)
    bad_index.indptr = np.array([0, 1, 2], dtype=np.int32)
    msg = r"X is not a valid CSR matrix: indices must lie in \[0, 3\)"
    with pytest.raises(ValueError, match=msg):
        call_unchanged(check_design, bad_index)
    bad_ptr = sp.csc_matrix((3, 2))
    bad_ptr.data, bad_ptr.indices = data, np.array([0, 1], dtype=np.int32)
    bad_ptr.indptr = np.array([0, 2, 1], dtype=np.int32)
    with pytest.raises(ValueError, match="not a valid CSC matrix: indptr must .*non-decreasing"):
        call_unchanged(check_design, bad_ptr)
    short = sp.csc_matrix((3, 2))
    short.data, short.indices = data, np.array([0, 1], dtype=np.int32)
    short.indptr = np.array([0, 2], dtype=np.int32)
    with pytest.raises(ValueError, match=r"indptr has shape \(2,\), expected \(3,\)"):
        check_design(short)


def test_sparse_shape_and_kind_errors():
    with pytest.raises(ValueError, match=r"X has 0 sample\(s\)"):
        check_design(sp.csr_matrix((0, 3)))
    with pytest.raises(ValueError, match=r"X has 0 feature\(s\)"):
        check_design(sp.csc_array((4, 0)))
    with pytest.raises(ValueError, match="Expected 2D sparse X"):
        check_design(sp.coo_array(np.arange(3.0)))
    with pytest.raises(TypeError, match="Complex data not supported"):
        check_design(sp.csr_matrix(np.eye(2, dtype=complex)))
    with pytest.raises(ValueError, match="Complex data not supported"):
        check_design(sp.csr_matrix(np.eye(2, dtype=complex)))


# ---------------------------------------- check_target


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_target_no_copy_when_already_right(rng, dtype):
    y = rng.standard_normal(N).astype(dtype)
    assert call_unchanged(check_target, y, N, dtype) is y


def test_target_conversions(rng):
    y = rng.standard_normal(N)
    out = call_unchanged(check_target, y, N, np.float32)
    assert out.dtype == np.float32 and out.flags.c_contiguous
    strided = np.repeat(y, 2)[::2]
    out = call_unchanged(check_target, strided, N, np.float64)
    assert out.flags.c_contiguous and not np.shares_memory(out, strided)
    np.testing.assert_array_equal(out, strided)
    for value in ([1, 2, 3], np.array([1, 0, 1], dtype=bool), np.array([1, 2, 3], dtype=object)):
        out = check_target(value, 3, np.float64)
        assert out.dtype == np.float64 and out.shape == (3,)


def test_target_column_vector_is_raveled_with_warning(rng):
    y = rng.standard_normal((N, 1))
    with pytest.warns(DataConversionWarning, match="A column-vector y was passed"):
        out = call_unchanged(check_target, y, N, np.float64)
    assert out.shape == (N,)
    np.testing.assert_array_equal(out, y[:, 0])


def test_target_shape_errors(rng):
    with pytest.raises(ValueError, match=r"y has shape \(7, 2\): multi-output targets are not"):
        check_target(np.zeros((N, 2)), N, np.float64)
    with pytest.raises(ValueError, match="y must be a 1-D array"):
        check_target(np.zeros((N, 1, 1)), N, np.float64)
    with pytest.raises(ValueError, match="y must be a 1-D array, got a scalar"):
        check_target(1.0, N, np.float64)
    with pytest.raises(ValueError, match="y has 6 samples but X has 7 samples"):
        check_target(np.zeros(6), N, np.float64)
    with pytest.raises(ValueError, match="y is empty"):
        check_target([], N, np.float64)
    with pytest.raises(ValueError, match="requires y to be passed, but the target y is None"):
        check_target(None, N, np.float64)


@pytest.mark.parametrize("bad, word", [(np.nan, "NaN"), (np.inf, "infinity")])
def test_target_non_finite(bad, word):
    y = np.ones(N)
    y[2] = bad
    with pytest.raises(ValueError, match=f"y contains {word}"):
        call_unchanged(check_target, y, N, np.float64)
    with pytest.raises(ValueError, match=f"y_val contains {word}"):
        check_target(y, N, np.float64, name="y_val")


def test_target_type_errors():
    with pytest.raises(TypeError, match="y must be numeric"):
        check_target(np.array(["a", "b"]), 2, np.float64)
    with pytest.raises(TypeError, match="y must be numeric"):
        check_target(np.array(["a", {}], dtype=object), 2, np.float64)
    with pytest.raises(TypeError, match="Complex data not supported"):
        check_target(np.ones(2, dtype=complex), 2, np.float64)
    with pytest.raises(TypeError, match="y must be a dense 1-D array"):
        check_target(sp.csr_matrix(np.ones((2, 1))), 2, np.float64)


# ---------------------------------------- check_sample_weight


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_sample_weight_defaults_and_scalars(dtype):
    out = check_sample_weight(None, N, dtype)
    assert out.dtype == dtype
    np.testing.assert_array_equal(out, np.ones(N))
    out = check_sample_weight(2.5, N, dtype)
    assert out.dtype == dtype and out.shape == (N,)
    np.testing.assert_array_equal(out, np.full(N, 2.5))


def test_sample_weight_arrays(rng):
    sw = rng.uniform(0, 2, N)
    assert call_unchanged(check_sample_weight, sw, N, np.float64) is sw
    out = call_unchanged(check_sample_weight, sw, N, np.float32)
    assert out.dtype == np.float32
    out = check_sample_weight([1, 0, 2, 0, 1, 1, 1], N, np.float64)
    assert out.dtype == np.float64
    sw[0] = 0.0  # zeros are allowed as long as one weight is positive
    check_sample_weight(sw, N, np.float64)


def test_sample_weight_errors():
    name = "sample_weight"
    msg = rf"{name} must be a scalar or a 1-D array of length 7, got shape \(6,\)"
    with pytest.raises(ValueError, match=msg):
        check_sample_weight(np.ones(6), N, np.float64)
    with pytest.raises(ValueError, match=rf"{name} must be .* got shape \(7, 1\)"):
        check_sample_weight(np.ones((N, 1)), N, np.float64)
    for bad, word in [(np.nan, "NaN"), (np.inf, "infinity")]:
        sw = np.ones(N)
        sw[3] = bad
        with pytest.raises(ValueError, match=f"{name} contains {word}"):
            call_unchanged(check_sample_weight, sw, N, np.float64)
    sw = np.ones(N)
    sw[4] = -1.0
    with pytest.raises(ValueError, match=rf"{name} must be non-negative, got {name}\[4\] = -1.0"):
        call_unchanged(check_sample_weight, sw, N, np.float64)
    with pytest.raises(ValueError, match=f"{name}: all weights are zero"):
        check_sample_weight(np.zeros(N), N, np.float64)
    with pytest.raises(ValueError, match=f"{name}: all weights are zero"):
        check_sample_weight(0.0, N, np.float64)
    with pytest.raises(TypeError, match=f"{name} must be numeric"):
        check_sample_weight(["a"] * N, N, np.float64)


# ---------------------------------------- per-feature arrays


def test_penalty_factor():
    np.testing.assert_array_equal(check_penalty_factor(None, P), np.ones(P))
    np.testing.assert_array_equal(check_penalty_factor(2, P), np.full(P, 2.0))
    pf = np.array([0.0, 1.0, 2.0, 0.5, 1.0])
    out = call_unchanged(check_penalty_factor, pf, P)
    assert out.dtype == np.float64 and not np.shares_memory(out, pf)
    np.testing.assert_array_equal(out, pf)
    out = check_penalty_factor([1, 0, 1, 0, 1], P)
    assert out.dtype == np.float64


@pytest.mark.parametrize(
    "value, match",
    [
        (np.ones(P + 1), r"penalty_factor must be a scalar or a 1-D array of length 5, got .*6"),
        (np.ones((P, 1)), r"penalty_factor must be .* got shape \(5, 1\)"),
        ([1, 1, np.nan, 1, 1], "penalty_factor contains NaN"),
        ([1, 1, np.inf, 1, 1], "penalty_factor contains infinity"),
        ([1, 1, 1, -0.5, 1], r"must be non-negative, got penalty_factor\[3\] = -0.5"),
        (-1.0, r"penalty_factor must be non-negative"),
    ],
)
def test_penalty_factor_errors(value, match):
    with pytest.raises(ValueError, match=match):
        call_unchanged(check_penalty_factor, value, P)


def test_bounds_defaults_and_broadcast():
    lower, upper = check_bounds(None, None, False, P)
    assert lower.dtype == upper.dtype == np.float64
    np.testing.assert_array_equal(lower, np.full(P, -np.inf))
    np.testing.assert_array_equal(upper, np.full(P, np.inf))
    lower, upper = check_bounds(-1, 2, False, P)
    np.testing.assert_array_equal(lower, np.full(P, -1.0))
    np.testing.assert_array_equal(upper, np.full(P, 2.0))


def test_bounds_arrays_are_copied_and_positive_applies():
    lo = np.array([-1.0, -np.inf, 0.5, -2.0, 0.0])
    hi = np.array([1.0, np.inf, 0.5, 3.0, np.inf])
    lower, upper = call_unchanged(lambda a: check_bounds(a, hi, False, P), lo)
    assert not np.shares_memory(lower, lo) and not np.shares_memory(upper, hi)
    np.testing.assert_array_equal(lower, lo)
    np.testing.assert_array_equal(upper, hi)
    lower, upper = call_unchanged(lambda a: check_bounds(a, hi, True, P), lo)
    np.testing.assert_array_equal(lower, [0.0, 0.0, 0.5, 0.0, 0.0])
    lower, upper = check_bounds(None, None, np.bool_(True), P)
    np.testing.assert_array_equal(lower, np.zeros(P))
    np.testing.assert_array_equal(upper, np.full(P, np.inf))
    np.testing.assert_array_equal(lo, [-1.0, -np.inf, 0.5, -2.0, 0.0])


@pytest.mark.parametrize(
    "lower, upper, positive, error, match",
    [
        ([0, 0, np.nan, 0, 0], None, False, ValueError, "lower_bounds contains NaN"),
        (None, [1, np.nan, 1, 1, 1], False, ValueError, "upper_bounds contains NaN"),
        ([0, 0, 0, np.inf, 0], None, False, ValueError, r"lower_bounds\[3\] = inf is not allowed"),
        (None, -np.inf, False, ValueError, r"upper_bounds\[0\] = -inf is not allowed"),
        ([0, 0, 2, 3, 0], 1, False, ValueError, r"lower_bounds\[2\] = 2.0 > upper_bounds\[2\] = 1.0"),
        (None, [1, 1, 1, -1, 1], True, ValueError, r"\[3\] = 0.0 > upper_bounds\[3\] = -1.0 \(positive="),
        (np.zeros(P + 1), None, False, ValueError, r"lower_bounds must be a scalar or a 1-D array"),
        (None, np.zeros((P, 2)), False, ValueError, r"upper_bounds must be .* got shape \(5, 2\)"),
        (None, None, 1, TypeError, "positive must be True or False"),
        (["a"] * P, None, False, TypeError, "lower_bounds must be numeric"),
    ],
)
def test_bounds_errors(lower, upper, positive, error, match):
    with pytest.raises(error, match=match):
        check_bounds(lower, upper, positive, P)


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_coef_init_is_a_new_array(dtype):
    coef = np.arange(P, dtype=dtype)
    out = call_unchanged(check_coef_init, coef, P, dtype)
    assert out.dtype == dtype and out.flags.c_contiguous and out.flags.writeable
    assert not np.shares_memory(out, coef)
    np.testing.assert_array_equal(out, coef)
    out = check_coef_init([0, 1, 2, 3, 4], P, dtype)
    assert out.dtype == dtype


@pytest.mark.parametrize(
    "value, error, match",
    [
        (np.zeros(P - 1), ValueError, r"coef_init must be a 1-D array of length n_features=5, got"),
        (np.zeros((1, P)), ValueError, r"coef_init must be .* got shape \(1, 5\)"),
        (0.0, ValueError, "coef_init must be .* got a scalar"),
        ([0, np.nan, 0, 0, 0], ValueError, "coef_init contains NaN"),
        ([0, 0, 0, -np.inf, 0], ValueError, "coef_init contains infinity"),
        (["a"] * P, TypeError, "coef_init must be numeric"),
    ],
)
def test_coef_init_errors(value, error, match):
    with pytest.raises(error, match=match):
        check_coef_init(value, P, np.float64)


# ---------------------------------------- scalar parameters


@pytest.mark.parametrize("value", [0, 0.0, 1, 2.5, np.float32(0.5), np.float64(3.0), np.int64(2)])
def test_alpha_accepts_non_negative_reals(value):
    out = check_alpha(value)
    assert type(out) is float and out == float(value)


@pytest.mark.parametrize(
    "value, error, match",
    [
        (-0.1, ValueError, r"alpha must be >= 0.0, got -0.1"),
        (np.nan, ValueError, "alpha must be finite, got nan"),
        (np.inf, ValueError, "alpha must be finite, got inf"),
        (True, TypeError, "alpha must be a real number, got True"),
        (np.bool_(False), TypeError, "alpha must be a real number"),
        ("1", TypeError, "alpha must be a real number, got '1' of type str"),
        (None, TypeError, "alpha must be a real number, got None"),
        (np.array([1.0]), TypeError, "alpha must be a real number"),
        (1 + 0j, TypeError, "alpha must be a real number"),
    ],
)
def test_alpha_errors(value, error, match):
    with pytest.raises(error, match=match):
        check_alpha(value)


def test_alpha_custom_name():
    with pytest.raises(ValueError, match="alpha_min must be >= 0.0, got -1.0"):
        check_alpha(-1, name="alpha_min")


def test_l1_ratio_and_tol():
    assert check_l1_ratio(0) == 0.0 and check_l1_ratio(1) == 1.0 and check_l1_ratio(0.3) == 0.3
    for bad in (-0.01, 1.01):
        with pytest.raises(ValueError, match=rf"l1_ratio must be in \[0.0, 1.0\], got {bad}"):
            check_l1_ratio(bad)
    with pytest.raises(TypeError, match="l1_ratio must be a real number"):
        check_l1_ratio("0.5")
    assert check_tol(0) == 0.0 and check_tol(1e-4) == 1e-4
    with pytest.raises(ValueError, match="tol must be >= 0.0, got -1e-05"):
        check_tol(-1e-5)
    with pytest.raises(ValueError, match="tol must be finite"):
        check_tol(np.inf)


def test_max_iter():
    assert check_max_iter(1) == 1
    out = check_max_iter(np.int64(50))
    assert out == 50 and type(out) is int
    with pytest.raises(ValueError, match="max_iter must be >= 1, got 0"):
        check_max_iter(0)
    for bad in (True, 10.5, 10.0, "10", None):
        with pytest.raises(TypeError, match="max_iter must be an integer"):
            check_max_iter(bad)


def test_selection():
    assert check_selection("cyclic") == "cyclic" and check_selection("random") == "random"
    for bad in ("Cyclic", "", None, 1, np.array(["cyclic", "random"])):
        with pytest.raises(ValueError, match="selection must be 'cyclic' or 'random', got"):
            check_selection(bad)


def test_random_state():
    assert isinstance(check_random_state(None), np.random.Generator)
    a, b = check_random_state(3), check_random_state(np.int64(3))
    np.testing.assert_array_equal(a.permutation(10), b.permutation(10))
    gen = np.random.default_rng(1)
    assert check_random_state(gen) is gen
    rs1, rs2 = np.random.RandomState(5), np.random.RandomState(5)
    g1, g2 = check_random_state(rs1), check_random_state(rs2)
    np.testing.assert_array_equal(g1.permutation(10), g2.permutation(10))
    # each call draws a new seed from the RandomState
    draws = [check_random_state(rs1).integers(1 << 30, size=4) for _ in range(2)]
    assert not np.array_equal(*draws)


def test_random_state_none_follows_numpy_global_seed():
    state = np.random.get_state()
    try:
        np.random.seed(0)
        first = check_random_state(None).permutation(20)
        np.random.seed(0)
        np.testing.assert_array_equal(check_random_state(None).permutation(20), first)
    finally:
        np.random.set_state(state)


@pytest.mark.parametrize(
    "value, error", [("0", TypeError), (1.5, TypeError), (True, TypeError), (-1, ValueError)]
)
def test_random_state_errors(value, error):
    with pytest.raises(error, match="random_state must be"):
        check_random_state(value)


# ---------------------------------------- scikit-learn interplay


def test_column_vector_warning_is_sklearn_data_conversion_warning_when_sklearn_loaded():
    exceptions = pytest.importorskip("sklearn.exceptions")
    with pytest.warns(exceptions.DataConversionWarning) as record:
        check_target(np.ones((3, 1)), 3, np.float64)
    assert isinstance(record[0].message, DataConversionWarning)
    # instances pickle as l1core's class
    restored = pickle.loads(pickle.dumps(record[0].message))
    assert type(restored) is DataConversionWarning
