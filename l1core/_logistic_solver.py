"""One penalized logistic (or multinomial) solve: validated input in, certified solution out.

Minimizes, for labels ``y_i`` in {-1, +1}, sample weights ``s_i >= 0`` (``S = sum_i s_i``) and
penalty factors ``v_j >= 0``,

    P(w, b) = 1/S sum_i s_i log(1 + exp(-y_i (x_i.w + b)))
              + alpha sum_j v_j (l1_ratio |w_j| + (1 - l1_ratio)/2 w_j^2),
    subject to lower_j <= w_j <= upper_j,

(design.md section 2) or, for K >= 3 classes, the multinomial loss
``1/S sum_i s_i (logsumexp_k(z_ik) - z_{i, y_i})`` with ``z_i = W x_i + b`` (W of shape (K, p),
the penalty applied to every entry), by the compiled kernel ``l1core._logistic_cd`` (proximal
Newton, working sets, gap-safe screening). Both stop when the duality gap
``<= tol * P_null``, ``P_null`` the objective of the best intercept-only model.
"""

import warnings
from dataclasses import dataclass

import numpy as np
import scipy.sparse as sp

from . import _validation as v
from ._estimator_base import ConvergenceWarning
from ._logistic_cd import logistic_coordinate_descent

__all__ = ["LogisticSolution", "logistic_solve", "null_objective"]

# Unpenalized columns are kept out of the dual constraints through a dense (n, k) block.
_MAX_PROJECTED_VALUES = 20_000_000


@dataclass
class LogisticSolution:
    """Result of :func:`logistic_solve`.

    coef: (p,) binary or (K, p) multinomial, in X's dtype; intercept: float or (K,) array;
    dual_gap: P - D(theta), an upper bound on the suboptimality of the objective above;
    n_iter: epochs; gap_tol: tol * P_null; converged: dual_gap <= gap_tol.
    """

    coef: np.ndarray
    intercept: object
    dual_gap: float
    n_iter: int
    gap_tol: float
    converged: bool


def _class_fractions(codes, sw, n_classes):
    return np.bincount(codes, weights=sw, minlength=n_classes)


def null_objective(codes, sw, n_classes, fit_intercept):
    """(P_null, intercept of the best intercept-only model) for class codes in [0, K) and
    normalized weights sw: the entropy of the weighted class frequencies with an intercept,
    log K (log 2 binary) without. Binary: classes 0/1 map to labels -1/+1 and the intercept is
    a scalar log-odds; multinomial: log-frequencies centered to sum to zero."""
    K = max(n_classes, 2)
    if not fit_intercept:
        return float(np.log(K)), (0.0 if n_classes == 2 else np.zeros(K))
    f = _class_fractions(codes, sw, K)
    with np.errstate(divide="ignore"):
        logf = np.log(f)
    p_null = float(-np.sum(f[f > 0] * logf[f > 0]))
    if n_classes == 2:
        b0 = float(logf[1] - logf[0]) if np.all(f > 0) else 0.0
        return p_null, b0
    b0 = np.where(f > 0, logf, 0.0)
    return p_null, b0 - b0.mean()


def logistic_solve(X, y, *, alpha, l1_ratio=1.0, sample_weight=None, penalty_factor=None,
                   lower_bounds=None, upper_bounds=None, fit_intercept=True, tol=1e-4,
                   max_iter=1000, coef_init=None, intercept_init=None, n_classes=2,
                   screening=True, warn=True, check_input=True):
    """Fit one penalized logistic regression; see the module docstring for the objective.

    ``y`` holds class codes in ``[0, n_classes)`` (``n_classes=2``: code 1 is the positive
    label +1). ``n_classes >= 3`` fits the multinomial model. X (dense, CSC or CSR) is
    validated once and then read in place (``check_input=False`` trusts it to be the output of
    ``check_design``). ``coef_init`` ((p,) or (K, p)) and ``intercept_init`` warm-start the
    solver. Returns a :class:`LogisticSolution`.
    """
    if check_input:
        X, _ = v.check_design(X)
    n, p = X.shape
    codes = np.asarray(y)
    if codes.shape != (n,) or codes.dtype.kind not in "iu":
        raise ValueError(f"y must hold integer class codes of shape ({n},), got "
                         f"{codes.dtype} of shape {codes.shape}.")
    if not isinstance(n_classes, (int, np.integer)) or n_classes < 2:
        raise ValueError(f"n_classes must be an integer >= 2, got {n_classes!r}.")
    if codes.min() < 0 or codes.max() >= n_classes:
        raise ValueError(f"y must hold class codes in [0, {n_classes}).")
    s = v.check_sample_weight(sample_weight, n, np.float64)
    alpha = v.check_alpha(alpha)
    l1_ratio = v.check_l1_ratio(l1_ratio)
    factor = v.check_penalty_factor(penalty_factor, p)
    lower, upper = v.check_bounds(lower_bounds, upper_bounds, False, p)
    tol = v.check_tol(tol)
    max_iter = v.check_max_iter(max_iter)
    multinomial = n_classes > 2
    R = n_classes if multinomial else 1

    sw = s / s.sum()
    p_null, b_null = null_objective(codes, sw, n_classes, fit_intercept)
    if coef_init is None:
        w = np.zeros((R, p))
    else:
        w = np.array(coef_init, dtype=np.float64, copy=True).reshape(R, p)
        if not np.all(np.isfinite(w)):
            raise ValueError("coef_init contains NaN or infinity.")
    np.clip(w, lower, upper, out=w)
    if not fit_intercept:
        b = np.zeros(R)
    elif intercept_init is not None:
        b = np.array(intercept_init, dtype=np.float64, copy=True).reshape(R)
    else:
        b = np.array(b_null, dtype=np.float64).reshape(R)
    l1 = alpha * l1_ratio * factor
    l2 = alpha * (1.0 - l1_ratio) * factor
    free = ((l1 == 0.0) & (l2 == 0.0)).astype(np.uint8)
    idx = np.flatnonzero(free)
    if idx.size * n > _MAX_PROJECTED_VALUES:
        raise ValueError(f"{idx.size} unpenalized columns are too many to certify (at most "
                         f"{_MAX_PROJECTED_VALUES // n}).")
    cols = X[:, idx]
    Z = np.asfortranarray(cols.toarray() if sp.issparse(cols) else cols, dtype=np.float64)
    labels = codes.astype(np.intp) if multinomial else np.where(codes == 1, 1.0, -1.0)
    gap_tol = tol * p_null
    wflat = w.reshape(-1)
    gap, n_iter = logistic_coordinate_descent(
        X, labels, wflat, b, n_classes=R, sample_weight=sw, l1=l1, l2=l2, lower=lower,
        upper=upper, free=free, Z=Z, fit_intercept=bool(fit_intercept), gap_tol=gap_tol,
        max_iter=max_iter, screen=bool(screening))
    converged = gap <= gap_tol
    if warn and not converged:
        warnings.warn(f"Logistic solver did not converge after {n_iter} epochs "
                      f"(max_iter={max_iter}): duality gap {gap:.3e} > tolerance "
                      f"{gap_tol:.3e}. Increase max_iter, loosen tol or raise alpha.",
                      ConvergenceWarning, stacklevel=3)
    if multinomial:
        if fit_intercept:
            b -= b.mean()  # the softmax is invariant to a common shift
        coef, intercept = w.astype(X.dtype, copy=False), b
    else:
        coef, intercept = wflat.astype(X.dtype, copy=False), float(b[0])
    return LogisticSolution(coef=coef, intercept=intercept, dual_gap=float(gap),
                            n_iter=int(n_iter), gap_tol=float(gap_tol),
                            converged=bool(converged))
