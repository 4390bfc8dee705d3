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
