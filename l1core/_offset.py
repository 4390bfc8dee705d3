"""glmnet's ``offset``: a known per-sample term added to the linear predictor,

    z_i = x_i.w + b + o_i,

fitted around (``fit(X, y, offset=o)``), never predicted unless asked
(``predict(X, offset=o)``), as glmnet's ``predict(fit, newx, newoffset=)``.

- Squared loss: ``1/(2S) sum_i s_i (y_i - o_i - x_i.w - b)^2`` is the problem of ``y - o``,
  solved exactly as such (and certified as such: the gap is that problem's).
- Logistic loss: the kernel starts its linear predictor from ``o`` and keeps it there; its
  dual gets the term ``-theta.o`` (the conjugate of ``F(. + o)`` is ``F*(u) - u.o``).
"""

import numpy as np

from . import _validation as v

__all__ = ["add_offset"]


def add_offset(predicted, offset):
    """``predicted + offset`` (offset checked against its length), or ``predicted``."""
    if offset is None:
        return predicted
    return predicted + v.check_offset(offset, predicted.shape[0])


def binary_null_model(y01, sw, offset, fit_intercept):
    """(P_null, b): the best intercept-only logistic model with a known ``offset``,
    ``b = argmin sum_i sw_i log(1 + exp(-y_i (b + o_i)))`` (labels y = 2 y01 - 1, weights sw
    summing to 1), and its objective. b solves ``sum_i sw_i (sigma(b + o_i) - y01_i) = 0``, a
    increasing function of b (bracketed, then Brent's method to 1e-14); b = 0 without an
    intercept or when one class has no weight (the infimum is then not attained: the
    tolerance still uses the objective at b = 0)."""
    from scipy.optimize import brentq
    from scipy.special import expit

    labels = 2.0 * y01 - 1.0
    b = 0.0
    positive = float(sw @ y01)
    if fit_intercept and 0.0 < positive < 1.0:
        def slope(t):
            return float(sw @ (expit(t + offset) - y01))

        low, high = -1.0, 1.0
        while slope(low) > 0.0:
            low *= 2.0
        while slope(high) < 0.0:
            high *= 2.0
        b = brentq(slope, low, high, xtol=1e-14, rtol=4 * np.finfo(float).eps)
    return float(sw @ np.logaddexp(0.0, -labels * (b + offset))), b
