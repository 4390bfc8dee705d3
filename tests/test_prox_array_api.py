"""Every operator on array_api_strict arrays gives the NumPy (compiled) result, keeps the
dtype and the namespace, and honours out=."""

import numpy as np
import pytest

from l1core import prox as P

xp = pytest.importorskip("array_api_strict")

RNG = np.random.default_rng(3)
GROUPS = [np.array([0, 3, 5]), np.arange(6, 10), np.array([1, 2])]      # 4 in no group

OPERATORS = {
    "l1": lambda a: P.prox_l1(a, 0.4),
    "l1_per_coordinate": lambda a: P.prox_l1(a, np.linspace(0, 1, 10)),
    "elastic_net": lambda a: P.prox_elastic_net(a, 0.3, 0.5),
    "box": lambda a: P.project_box(a, -0.5, np.linspace(0, 1, 10)),
    "positive": lambda a: P.project_positive(a),
    "group": lambda a: P.prox_group_l2(a, [0.5, 1.0, 3.0], GROUPS),
    "group_size": lambda a: P.prox_group_l2(a, 1.0, 3),
    "sparse_group": lambda a: P.prox_sparse_group(a, 0.2, 0.8, GROUPS),
    "tv": lambda a: P.prox_tv1d(a, 0.5),
}


@pytest.mark.parametrize("dtype", ["float32", "float64"])
@pytest.mark.parametrize("name", sorted(OPERATORS))
def test_array_api_equals_numpy(name, dtype):
    x = (RNG.standard_normal(10) * 2).astype(dtype)
    expected = OPERATORS[name](x)
    a = xp.asarray(x)
    got = OPERATORS[name](a)
    assert isinstance(got, type(a)) and got.dtype == a.dtype
    tol = 1e-6 if dtype == "float32" else 1e-14
    np.testing.assert_allclose(np.asarray(got), expected, rtol=tol, atol=tol)
    np.testing.assert_array_equal(np.asarray(a), x)           # input untouched


def test_array_api_out_in_place_and_l21():
    x = RNG.standard_normal((4, 3))
    a = xp.asarray(x.copy())
    P.prox_l1(a, 0.5, out=a)
    np.testing.assert_array_equal(np.asarray(a), P.prox_l1(x, 0.5))
    b = xp.asarray(x)
    np.testing.assert_allclose(np.asarray(P.prox_l21(b, [0.1, 5.0, 1.0, 0.0])),
                               P.prox_l21(x, [0.1, 5.0, 1.0, 0.0]), rtol=1e-14)


def test_array_api_values_and_bad_input():
    x = RNG.standard_normal(9)
    a = xp.asarray(x)
    assert P.l1_norm(a, 2.0) == pytest.approx(P.l1_norm(x, 2.0))
    assert P.group_dual_norm(a, 1.0, 3) == pytest.approx(P.group_dual_norm(x, 1.0, 3))
    with pytest.raises(ValueError, match="NaN"):
        P.prox_l1(xp.asarray([1.0, float("nan")]), 1.0)
    with pytest.raises(TypeError, match="floating"):
        P.prox_l1(xp.asarray([1, 2]), 1.0)
