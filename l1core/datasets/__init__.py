"""Small data sets shipped with l1core.

Only NumPy and the standard library are used here, so loading a data set never
needs pandas or scikit-learn.
"""

import gzip
from importlib import resources

import numpy as np

__all__ = ["load_diabetes", "DIABETES_FEATURE_NAMES"]

DIABETES_FEATURE_NAMES = (
    "age", "sex", "bmi", "bp", "s1", "s2", "s3", "s4", "s5", "s6",
)


def _load_gz_table(name):
    """Read a whitespace-separated gzip-compressed text table from ./data."""
    resource = resources.files(__name__).joinpath("data", name)
    with resource.open("rb") as raw, gzip.open(raw, "rt", encoding="utf-8") as text:
        return np.loadtxt(text, dtype=np.float64)


def load_diabetes(scaled: bool = True) -> tuple[np.ndarray, np.ndarray, list[str]]:
    """Load the diabetes data of Efron, Hastie, Johnstone and Tibshirani (2004).

    442 diabetes patients, 10 baseline variables (age, sex, body mass index
    ``bmi``, average blood pressure ``bp`` and six blood serum measurements
    ``s1`` ... ``s6``), and a quantitative measure of disease progression one
    year after baseline as the target.

    Parameters
    ----------
    scaled : bool, default=True
        If True, every column of ``X`` is centered and scaled to unit
        Euclidean norm, as in the LARS paper and in scikit-learn's
        ``load_diabetes(scaled=True)``. If False, the raw, unstandardized
        measurements are returned (``sex`` is coded 1/2). ``y`` is never
        transformed.

    Returns
    -------
    X : ndarray of shape (442, 10), dtype float64
    y : ndarray of shape (442,), dtype float64
    feature_names : list of str
        ``["age", "sex", "bmi", "bp", "s1", "s2", "s3", "s4", "s5", "s6"]``.

    References
    ----------
    B. Efron, T. Hastie, I. Johnstone and R. Tibshirani (2004),
    "Least Angle Regression", Annals of Statistics 32(2), 407-499.
    https://doi.org/10.1214/009053604000000067

    The files are the ones distributed with scikit-learn
    (``sklearn/datasets/data/diabetes_data_raw.csv.gz`` and
    ``diabetes_target.csv.gz``, BSD-3-Clause).

    Examples
    --------
    >>> from l1core.datasets import load_diabetes
    >>> X, y, names = load_diabetes()
    >>> X.shape, y.shape
    ((442, 10), (442,))
    """
    X = _load_gz_table("diabetes_data_raw.csv.gz")
    y = _load_gz_table("diabetes_target.csv.gz")
    if scaled:
        X = X - X.mean(axis=0)
        X /= np.sqrt((X * X).sum(axis=0))
    return np.ascontiguousarray(X), np.ascontiguousarray(y), list(DIABETES_FEATURE_NAMES)
