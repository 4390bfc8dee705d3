"""``solver="fista"`` for :class:`l1core.ElasticNet` and :class:`l1core.Lasso`: the same
objective and stopping rule (design.md section 2: ``dual_gap_ <= tol * sum (y - ybar)^2 / n``)
solved by :func:`l1core.fista`, which only needs the products ``X @ v`` and ``X^T u``. That is
what serves a design known only as an operator (``scipy.sparse.linalg.LinearOperator``: a
transform, a convolution, a product of factors), which coordinate descent cannot read.

X is used as given (an operator, or a validated array or sparse matrix, never copied for the
solve). Options the proximal solver does not carry (bounds, ``positive``, ``standardize``, a
2-D y) are refused with a clear error rather than ignored.
"""

from __future__ import annotations

import time

import numpy as np
import scipy.sparse as sp
from scipy.sparse.linalg import LinearOperator

from . import _validation as v
from ._path import report_solve
from .prox.penalties import ElasticNetPenalty
from .solvers.proximal_gradient import fista

__all__ = ["fit_by_fista", "is_operator"]


def is_operator(X):
    return isinstance(X, LinearOperator)


def _refuse_unsupported(est, y, sample_weight):
    given = [name for name, unsupported in (
        ("lower_bounds / upper_bounds", est.lower_bounds is not None
         or est.upper_bounds is not None),
        ("positive=True", bool(est.positive)), ("standardize=True", bool(est.standardize)),
        ("a 2-D y", not sp.issparse(y) and np.ndim(y) == 2))
        if unsupported]
    if given:
        raise ValueError(f"solver='fista' does not support {', '.join(given)}: use "
                         "solver='cd' (the default).")


def fit_by_fista(est, X, y, sample_weight, offset):
    """Fit ``est`` (an ElasticNet or Lasso with ``solver="fista"``) by FISTA; returns est."""
    start = time.perf_counter()
    _refuse_unsupported(est, y, sample_weight)
    if is_operator(X):
        if len(X.shape) != 2 or min(X.shape) < 1:
            raise ValueError(f"X as a LinearOperator must be 2-D and non-empty, got shape "
                             f"{X.shape}.")
        dtype = np.float32 if np.dtype(X.dtype) == np.float32 else np.float64
    else:
        X = v.check_design(X)[0]
        dtype = X.dtype
    n, p = X.shape
    y = v.check_target(y, n, np.float64)
    offset = v.check_offset(offset, n)
    if offset is not None:
        y = y - offset
    alpha = v.check_alpha(est.alpha)
    l1_ratio = v.check_l1_ratio(est._effective_l1_ratio())
    factor = (None if est.penalty_factor is None
              else v.check_penalty_factor(est.penalty_factor, p))
    coef_init = None
    if est.warm_start and getattr(est, "coef_", None) is not None and np.shape(est.coef_) == (p,):
        coef_init = np.asarray(est.coef_, dtype=np.float64)
    res = fista(X, y, ElasticNetPenalty(alpha, l1_ratio, weights=factor),
                fit_intercept=bool(est.fit_intercept), sample_weight=sample_weight,
                coef_init=coef_init,
                tol=v.check_tol(est.tol), max_iter=v.check_max_iter(est.max_iter))
    est.coef_ = res.coef.astype(dtype, copy=False)
    est.intercept_ = float(res.intercept) if est.fit_intercept else 0.0
    est.n_iter_ = int(res.n_iter)
    est.dual_gap_ = float(res.dual_gap) if res.dual_gap is not None else float("inf")
    est.n_features_in_ = p
    if est.verbose:
        report_solve(est.verbose, alpha, est.dual_gap_, est.n_iter_,
                     time.perf_counter() - start)
    return est
