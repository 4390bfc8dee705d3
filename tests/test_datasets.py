import numpy as np
import pytest

from l1core.datasets import load_diabetes

NAMES = ["age", "sex", "bmi", "bp", "s1", "s2", "s3", "s4", "s5", "s6"]


@pytest.mark.parametrize("scaled", [True, False])
def test_diabetes_shapes_and_dtypes(scaled):
    X, y, names = load_diabetes(scaled=scaled)
    assert X.shape == (442, 10)
    assert y.shape == (442,)
    assert X.dtype == np.float64 and y.dtype == np.float64
    assert names == NAMES
    assert np.all(np.isfinite(X)) and np.all(np.isfinite(y))


def test_diabetes_scaled_columns_centered_unit_norm():
    X, _, _ = load_diabetes(scaled=True)
    np.testing.assert_allclose(X.mean(axis=0), 0.0, atol=1e-15)
    np.testing.assert_allclose(np.linalg.norm(X, axis=0), 1.0, rtol=1e-14)


def test_diabetes_raw_values():
    # First row and target values of the LARS paper's table (Efron et al. 2004).
    X, y, _ = load_diabetes(scaled=False)
    np.testing.assert_array_equal(
        X[0], [59, 2, 32.1, 101.0, 157, 93.2, 38.0, 4.0, 4.8598, 87]
    )
    np.testing.assert_array_equal(y[:3], [151.0, 75.0, 141.0])
    assert set(np.unique(X[:, 1])) == {1.0, 2.0}


def test_diabetes_returns_fresh_arrays():
    X1, y1, n1 = load_diabetes()
    X1[:] = 0.0
    y1[:] = 0.0
    n1.append("x")
    X2, y2, n2 = load_diabetes()
    assert np.abs(X2).sum() > 0 and np.abs(y2).sum() > 0
    assert n2 == NAMES


@pytest.mark.parametrize("scaled", [True, False])
def test_diabetes_matches_scikit_learn(scaled):
    sk_datasets = pytest.importorskip("sklearn.datasets")
    X, y, names = load_diabetes(scaled=scaled)
    bunch = sk_datasets.load_diabetes(scaled=scaled)
    np.testing.assert_allclose(X, bunch.data, rtol=0, atol=1e-12)
    np.testing.assert_array_equal(y, bunch.target)
    assert names == list(bunch.feature_names)
