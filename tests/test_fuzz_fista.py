"""Fuzz suite, proximal gradient (issues 9 and 14): Lasso / ElasticNet(solver="fista") on random
problems over every storage (and X as a LinearOperator), dtype, sample weights with zeros,
penalty factors, intercept,
l1_ratio and extreme scales (unpenalized features: the dual point projected off their columns). Whatever FISTA reaches within its iterations, its dual_gap_ must
certify it against the independent FISTA optimum of tests/_apg.py (tests/_fuzz.py's property),
and a fit that stops above the tolerance must say so (ConvergenceWarning)."""

from dataclasses import replace

import numpy as np
from hypothesis import given
from hypothesis import strategies as st
from scipy.sparse.linalg import aslinearoperator

import _fuzz as fz
from _fuzz import cases, certify, fuzz_settings, make, run

from l1core import ElasticNet, Lasso

FISTA_CASES = dict(bounds="none", penalty=("none", "positive", "zeros"),
                   warm="cold",
                   selection="cyclic", tol=(1e-4, 1e-8))


@fuzz_settings(30)
@given(cases(**FISTA_CASES), st.booleans())
def test_fista_fit_certified(case, as_operator):
    pb = make(case)
    X = aslinearoperator(pb.X) if as_operator else pb.X
    kw = dict(alpha=pb.alpha, fit_intercept=case.fit_intercept, tol=case.tol, max_iter=3000,
              penalty_factor=pb.options["penalty_factor"], solver="fista")
    model = Lasso(**kw) if case.l1_ratio == 1.0 else ElasticNet(l1_ratio=case.l1_ratio, **kw)
    saved = fz.snapshot(*fz.user_arrays(pb))
    model, warned = run(model.fit, X, pb.y, sample_weight=pb.sample_weight)
    fz.assert_unmodified(saved, *fz.user_arrays(pb))
    if not as_operator:
        assert model.coef_.dtype == np.dtype(case.dtype)
    verdict = certify(pb, model.coef_, model.intercept_, model.dual_gap_)
    sw = pb.s / pb.s.sum()
    null = float(sw @ (pb.y - (sw @ pb.y if case.fit_intercept else 0.0)) ** 2)
    if np.isfinite(verdict.gap) and verdict.gap > case.tol * null * (1 + 1e-9) + verdict.slack:
        assert warned, f"gap {verdict.gap:.3e} above tol without a ConvergenceWarning"
