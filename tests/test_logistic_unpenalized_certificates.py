"""Logistic certificates with unpenalized columns (issue 9), two draws of the long fuzz run
(``L1CORE_FUZZ=20``) that reported negative gaps beyond rounding as certificates:

- a binary (one-vs-rest) fit with one unpenalized column of mean 3.5e4 and spread 0.3: the
  kernel projects the dual point off [1, Z] and accepts Z^T theta = 0 up to a tolerance
  relative to sum_i |z_i theta_i|, which the raw column's mean made 1e5 times too loose
  (gap -4.9e-9 at an optimal fit). Z is now centered at its weighted mean (same span with
  the intercept);
- the same looseness with columns scaled 1e-8..1e8 (multinomial, gap -1.7e-11);
- with Z centered alone, a multinomial fit whose unpenalized column of scale 1e-6 takes
  coefficients ~1e7 (the loss decreases along it) passed the tighter test, and the terms
  -w_j z_j.theta dropped with Z^T theta = 0 made its gap -1.3e-10. They are now bounded,
  |z_j.theta| |w_j|, and added to the gap.

Each draw is certified as the fuzz suite does (tests/_fuzz.py: P(coef) - P_ref <= gap +
rounding and gap >= -rounding, P_ref from the independent FISTA of tests/_apg.py).
"""

import numpy as np
import pytest

import _fuzz as fz
from _fuzz import Case

import test_fuzz_logistic as fuzz_logistic

DRAWS = {
    "large-mean unpenalized column (ovr)": Case(
        loss="logistic", seed=17916, n=8, p=1, storage="csr_array", dtype="float64",
        index_dtype="int64", weights="none", penalty="zeros", bounds="positive",
        fit_intercept=True, l1_ratio=1.0, alpha_frac=0.1, scale="mean", selection="cyclic",
        warm="cold", tol=1e-4, n_classes=3, ovr=True),
    "columns scaled 1e-8..1e8 (multinomial)": Case(
        loss="multinomial", seed=6291, n=15, p=15, storage="dense_f", dtype="float64",
        index_dtype="int64", weights="random", penalty="zeros", bounds="none",
        fit_intercept=True, l1_ratio=0.9, alpha_frac=2.0, scale="columns",
        selection="cyclic", warm="cold", tol=1e-8, n_classes=3, ovr=False),
    "diverging unpenalized coefficient (multinomial)": Case(
        loss="multinomial", seed=45, n=8, p=4, storage="csr_array", dtype="float64",
        index_dtype="int64", weights="int", penalty="zeros", bounds="positive",
        fit_intercept=True, l1_ratio=1.0, alpha_frac=0.5, scale="columns",
        selection="random", warm="warm_start", tol=1e-12, n_classes=4, ovr=False),
}


@pytest.mark.parametrize("name", list(DRAWS))
def test_fuzz_draw_is_certified(name):
    pb = fz.make(DRAWS[name])
    for coef, intercept, gap, loss, target in fuzz_logistic.fit(pb):
        fz.certify(pb, coef, intercept, gap, loss=loss, target=target)
