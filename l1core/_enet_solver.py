"""One Elastic Net solve: validated input in, certified solution out.

Minimizes, for sample weights ``s_i >= 0`` (``S = sum_i s_i``) and penalty factors ``v_j >= 0``,

    P(w, b) = 1/(2S) sum_i s_i (y_i - x_i.w - b)^2
              + alpha sum_j v_j (l1_ratio |w_j| + (1 - l1_ratio)/2 w_j^2),
    subject to lower_j <= w_j <= upper_j,

by the compiled kernel ``l1core._enet_cd`` (coordinate descent, working sets, gap-safe
screening), and stops when the duality gap ``<= tol * sum_i s_i (y_i - ybar)^2 / S``: the
contract of design.md section 2, scikit-learn's objective and stopping rule.
"""

import warnings
from dataclasses import dataclass

import numpy as np
import scipy.sparse as sp

from . import _validation as v
from ._enet_cd import enet_coordinate_descent
from ._estimator_base import ConvergenceWarning

__all__ = ["EnetSolution", "enet_solve"]

# Unpenalized columns are kept out of the dual constraint by projecting the residual off them,
# which needs them as a dense (n, k) block: beyond this many values the projection is skipped
# and the gap can certify only a fit whose unpenalized directions are exact.
_MAX_PROJECTED_VALUES = 20_000_000


@dataclass
class EnetSolution:
    """Result of :func:`enet_solve`.

    coef: (n_features,) in X's dtype; intercept: float; dual_gap: P(w, b) - D(theta) on the
    normalized objective above (an upper bound on the suboptimality); n_iter: epochs run;
    gap_tol: the gap the stopping rule asked for; converged: dual_gap <= gap_tol.
    """

    coef: np.ndarray
    intercept: float
    dual_gap: float
    n_iter: int
    gap_tol: float
    converged: bool


def enet_solve(X, y, *, alpha, l1_ratio=1.0, sample_weight=None, penalty_factor=None,
               lower_bounds=None, upper_bounds=None, positive=False, fit_intercept=True,
               tol=1e-4, max_iter=1000, selection="cyclic", random_state=None, coef_init=None,
               screening=True, warn=True, check_input=True):
    """Fit one Elastic Net; see the module docstring for the objective.

    X (dense, CSC or CSR) is validated once and then read in place: Fortran-ordered dense
    float32/float64 input, CSC and CSR are not copied (C-ordered dense input is copied once
    into Fortran order). The user's arrays are never modified. ``check_input=False`` trusts X to
    be the output of ``check_design`` already (the estimators' and path's fast path); the other
    arguments are always checked. Returns an :class:`EnetSolution`.
    """
    if check_input:
        X, _ = v.check_design(X)
    n, p = X.shape
    y = v.check_target(y, n, np.float64)
    s = v.check_sample_weight(sample_weight, n, np.float64)
    alpha = v.check_alpha(alpha)
    l1_ratio = v.check_l1_ratio(l1_ratio)
    factor = v.check_penalty_factor(penalty_factor, p)
    lower, upper = v.check_bounds(lower_bounds, upper_bounds, positive, p)
    tol = v.check_tol(tol)
    max_iter = v.check_max_iter(max_iter)
    random = v.check_selection(selection) == "random"
    seed = int(v.check_random_state(random_state).integers(2**63)) if random else 0
    if coef_init is None:
        w = np.zeros(p)
    else:
        w = v.check_coef_init(coef_init, p, np.float64)
    np.clip(w, lower, upper, out=w)

    sw = None if np.all(s == s[0]) else s / s.sum()
    l1 = alpha * l1_ratio * factor
    l2 = alpha * (1.0 - l1_ratio) * factor
    free = (l1 == 0.0) & (l2 == 0.0)
    if alpha == 0.0 and warn:
        warnings.warn("With alpha=0 the problem is ordinary least squares; coordinate descent "
                      "converges slowly on it and the fit may not be unique.", UserWarning,
                      stacklevel=3)
    Z, Ginv, free = _unpenalized_projection(X, free, sw, fit_intercept)

    intercept, gap, n_iter, gap_tol = enet_coordinate_descent(
        X, y, w, sample_weight=sw, l1=l1, l2=l2, lower=lower, upper=upper, free=free, Z=Z,
        Ginv=Ginv, fit_intercept=bool(fit_intercept), tol=tol, max_iter=max_iter,
        random=random, seed=seed, screen=bool(screening))
    converged = gap <= gap_tol
    if warn and not converged:
        warnings.warn(f"Objective did not converge after {n_iter} epochs (max_iter={max_iter}): "
                      f"duality gap {gap:.3e} > tolerance {gap_tol:.3e}. Increase max_iter, "
                      f"loosen tol or raise alpha.", ConvergenceWarning, stacklevel=3)
    return EnetSolution(coef=w.astype(X.dtype, copy=False), intercept=float(intercept),
                        dual_gap=float(gap), n_iter=int(n_iter), gap_tol=float(gap_tol),
                        converged=bool(converged))


def _unpenalized_projection(X, free, sw, fit_intercept):
    """Dense weighted-centered unpenalized columns Z and the pseudo-inverse of Z^T diag(sw) Z.

    Returns (Z, Ginv, free) with Z of shape (n, k), k = free.sum(); free is cleared when the
    block would be too large to hold (see _MAX_PROJECTED_VALUES).
    """
    n = X.shape[0]
    idx = np.flatnonzero(free)
    if idx.size == 0 or idx.size * n > _MAX_PROJECTED_VALUES:
        free = np.zeros(X.shape[1], dtype=np.uint8)
        return np.zeros((n, 0), order="F"), np.zeros((0, 0), order="F"), free
    cols = X[:, idx]
    Z = np.asfortranarray(cols.toarray() if sp.issparse(cols) else cols, dtype=np.float64)
    weights = np.full(n, 1.0 / n) if sw is None else sw
    if fit_intercept:
        Z -= weights @ Z
    G = Z.T @ (weights[:, None] * Z)
    Ginv = np.asfortranarray(np.linalg.pinv(G, hermitian=True))
    return Z, Ginv, free.astype(np.uint8)
