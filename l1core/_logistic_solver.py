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

:class:`LogisticProblem` holds everything that does not depend on ``alpha`` (validated arrays,
labels and weights, column statistics, the linear predictor of the last solution, the
correlations of the last full pass and the features ever active), so that a path or a
cross-validation fold pays for it once and warm-starts without a pass over X;
:func:`logistic_solve` is one problem, one alpha.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass

import numpy as np
import scipy.sparse as sp

from . import _validation as v
from ._column_store import column_store
from ._config import kernel_threads
from ._design_ops import xt_dot
from ._estimator_base import convergence_warning
from ._logistic_cd import logistic_coordinate_descent
from ._offset import binary_null_model
from ._standardize import standardized_penalty
from ._typing import ArrayLike, MatrixLike

__all__ = ["LogisticProblem", "LogisticSolution", "logistic_solve", "null_objective"]

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


class LogisticProblem:
    """A validated penalized logistic (or multinomial) problem on fixed data, solvable at any
    alpha.

    ``codes`` holds class codes in ``[0, n_classes)`` (``n_classes=2``: code 1 is the positive
    label +1; ``n_classes >= 3`` the multinomial model). X (dense, CSC or CSR) is validated
    once and then read in place (``check_input=False`` trusts it to be the output of
    ``check_design``, checking only its kind, dtype and sparse index bounds in O(nnz):
    ``check_trusted_design``). ``column_stats``: the ``column_stats`` of another
    problem on the same X with the same ``fit_intercept`` (they depend on neither labels nor
    weights), shared instead of recomputed.

    ``offset`` (n,): glmnet's offset (binary, ``l1core._offset``); ``standardize``: glmnet's
    standardization (``l1core._standardize``: penalty and ridge factors, no copy of X).
    ``soft_labels`` (n,) in [0, 1] (binary, no offset, every column penalized): the loss
    ``-[t log sigma(z) + (1 - t) log(1 - sigma(z))]`` with ``t`` in place of the labels of
    ``codes`` (which then only size the problem); P_null is the entropy of the weighted mean
    of t (the prior Lasso's blended labels: ``l1core.variants.prior_logistic``).

    State carried between solves (filled by the kernel): ``column_stats = (norm, center)``, the
    column norms (screening) and the centers of the full columns with a large mean (the
    kernel's products with the dual point read those columns centered, exactly),
    ``z`` the linear predictor of the last solution, ``q`` X^T theta of the last full pass (the
    sequential strong rule reads it) and ``ever_active``.
    """

    def __init__(self, X, codes, *, n_classes=2, l1_ratio=1.0, sample_weight=None,
                 penalty_factor=None, lower_bounds=None, upper_bounds=None, fit_intercept=True,
                 column_stats=None, check_input=True, offset=None, standardize=False,
                 soft_labels=None):
        if check_input:
            X, _ = v.check_design(X)
        else:
            v.check_trusted_design(X)
        self.X = X = column_store(X)     # CSR: its CSC copy within the budget (_config)
        n, p = X.shape
        codes = np.asarray(codes)
        if codes.shape != (n,) or codes.dtype.kind not in "iu":
            raise ValueError(f"y must hold integer class codes of shape ({n},), got "
                             f"{codes.dtype} of shape {codes.shape}.")
        if (isinstance(n_classes, (bool, np.bool_))
                or not isinstance(n_classes, (int, np.integer)) or n_classes < 2):
            raise ValueError(f"n_classes must be an integer >= 2, got {n_classes!r}.")
        if codes.min() < 0 or codes.max() >= n_classes:
            raise ValueError(f"y must hold class codes in [0, {n_classes}).")
        self.codes = codes
        self.n_classes = int(n_classes)
        self.multinomial = n_classes > 2
        self.R = R = self.n_classes if self.multinomial else 1
        s = v.check_sample_weight(sample_weight, n, np.float64)
        self.l1_ratio = v.check_l1_ratio(l1_ratio)
        self.penalty_factor = v.check_penalty_factor(penalty_factor, p)
        self.lower, self.upper = v.check_bounds(lower_bounds, upper_bounds, False, p)
        self.fit_intercept = bool(fit_intercept)
        self.sw = s / s.sum()
        # glmnet's standardize (l1core._standardize): the ridge part's own factors
        self.ridge_factor = None
        if standardize:
            self.penalty_factor, self.ridge_factor, self.lower, self.upper = (
                standardized_penalty(X, self.sw, self.fit_intercept, self.penalty_factor,
                                     self.lower, self.upper, self.l1_ratio))
        self.offset = v.check_offset(offset, n)
        if self.offset is not None and self.multinomial:
            raise ValueError("offset is supported for the binary logistic model (and the "
                             "squared loss), not the multinomial one.")
        self.soft = _check_soft_labels(soft_labels, n, self)
        if self.soft is not None:
            self.p_null, self.b_null = soft_null_objective(self.soft, self.sw,
                                                           self.fit_intercept)
        elif self.offset is None:
            self.p_null, self.b_null = null_objective(codes, self.sw, self.n_classes,
                                                      self.fit_intercept)
        else:
            self.p_null, self.b_null = binary_null_model(
                (codes == 1).astype(np.float64), self.sw, self.offset, self.fit_intercept)
        self.labels = (codes.astype(np.intp) if self.multinomial
                       else np.where(codes == 1, 1.0, -1.0))
        if column_stats is not None:
            self.column_stats, self.stats_ready = column_stats, True
        else:
            self.column_stats, self.stats_ready = (np.zeros(p), np.zeros(p)), False
        self.z = np.zeros(R * n)
        self.q = np.zeros(R * p)
        self.ever_active = np.zeros(p, dtype=np.uint8)
        self._projection = {}
        self.last_full_passes = 0

    @property
    def n_features(self):
        return self.X.shape[1]

    def projection(self, alpha):
        """(free, Z): uint8 (p,) marks of the columns unpenalized at this alpha (all at
        alpha = 0) and those columns as a dense float64 Fortran block (n, k), centered at
        their sw-means when an intercept is fitted (the same span with the intercept's column,
        and a well-conditioned one: the kernel projects the dual point off [1, Z] and checks
        Z^T theta = 0 to a tolerance relative to sum_i |z_i theta_i|, which a raw column of
        large mean makes as loose as its mean; a gap of -4.9e-9 was reported as a certificate
        for a column of mean 3.5e4 and spread 0.3)."""
        key = alpha == 0.0
        if key not in self._projection:
            n, p = self.X.shape
            free = np.ones(p, bool) if key else self.penalty_factor == 0.0
            idx = np.flatnonzero(free)
            if idx.size * n > _MAX_PROJECTED_VALUES:
                raise ValueError(f"{idx.size} unpenalized columns are too many to certify (at "
                                 f"most {_MAX_PROJECTED_VALUES // n}).")
            if idx.size:
                cols = self.X[:, idx]
                Z = np.asfortranarray(cols.toarray() if sp.issparse(cols) else cols,
                                      dtype=np.float64)
                if self.fit_intercept:
                    Z -= (self.sw @ Z) / self.sw.sum()
            else:
                Z = np.zeros((n, 0), order="F")
            self._projection[key] = (free.astype(np.uint8), Z)
        return self._projection[key]

    def start(self, coef_init=None, intercept_init=None):
        """The starting point (w (R * p,) float64, b (R,) float64): zeros and the best
        intercept-only model, or the given values (copied, w clipped to the bounds)."""
        R, p = self.R, self.n_features
        if coef_init is None:
            w = np.zeros(R * p)
        else:
            w = np.array(coef_init, dtype=np.float64, copy=True).reshape(R * p)
            if not np.all(np.isfinite(w)):
                raise ValueError("coef_init contains NaN or infinity.")
        W = w.reshape(R, p)
        np.clip(W, self.lower, self.upper, out=W)
        if not self.fit_intercept:
            b = np.zeros(R)
        elif intercept_init is not None:
            b = np.array(intercept_init, dtype=np.float64, copy=True).reshape(R)
        else:
            b = np.array(self.b_null, dtype=np.float64).reshape(R)
        return w, b

    def unpenalized_offset(self):
        """Decision values, (n,) or (n, K), of the model with the intercept and the
        unpenalized columns only (solved tightly on a copy of those few columns), or None
        when every column is penalized."""
        decision = unpenalized_decision(self.X, self.codes, self.sw,
                                        self.penalty_factor == 0.0, self.lower, self.upper,
                                        self.n_classes, self.fit_intercept, self.offset)
        if decision is None and self.offset is not None:
            return self.offset + self.b_null        # the intercept-only model with the offset
        return decision

    def alpha_max(self, offset=None):
        """The smallest alpha at which every penalized coefficient is zero (see
        :func:`alpha_max_of`); ``offset`` as there (None: the intercept-only model)."""
        return alpha_max_of(self.X, self.codes, self.sw, self.penalty_factor, self.l1_ratio,
                            self.lower, self.upper, self.n_classes, self.fit_intercept, offset,
                            soft=self.soft)

    def solve(self, alpha, w, b, *, tol=1e-4, max_iter=1000, screening=True, warm=False,
              strong_ratio=0.0):
        """Solve at ``alpha`` from (w, b) (as :meth:`start` returns them; overwritten with the
        solution). ``warm=True`` when they are what the previous solve left, untouched: its
        linear predictor is reused instead of recomputed by a pass over X; ``strong_ratio =
        alpha_prev / alpha`` then starts from the sequential strong set. Returns
        (gap, epochs, gap_tol)."""
        free, Z = self.projection(alpha)
        gap_tol = tol * self.p_null
        gap, n_iter, self.last_full_passes = logistic_coordinate_descent(
            self.X, self.labels, w, b, n_classes=self.R, sample_weight=self.sw, alpha=alpha,
            l1_ratio=self.l1_ratio, penalty_factor=self.penalty_factor, lower=self.lower,
            upper=self.upper, free=free, Z=Z, fit_intercept=self.fit_intercept,
            gap_tol=gap_tol, max_iter=max_iter, norm=self.column_stats[0],
            center=self.column_stats[1], stats_ready=self.stats_ready,
            z=self.z, z_ready=bool(warm), q=self.q, ever=self.ever_active,
            strong_ratio=float(strong_ratio) if warm else 0.0, screen=bool(screening),
            ridge_factor=self.ridge_factor, offset=self.offset, n_threads=kernel_threads(),
            soft_labels=self.soft)
        self.stats_ready = True
        return float(gap), int(n_iter), float(gap_tol)

    def result(self, w, b):
        """(coef, intercept) of a solution: coef (p,) or (K, p) in X's dtype (a copy,
        rounded inside the bounds: cast_inside), intercept a float or (K,) array (multinomial: centered, the softmax
        being invariant to a common shift)."""
        coef = cast_inside(w.reshape(self.R, -1), self.X.dtype, self.lower, self.upper)
        if self.fit_intercept and coef.dtype != w.dtype:
            # the intercepts absorb the mean shift xbar.(w - coef) of the rounded (float32)
            # coefficients: a column of mean 1e6 turned the rounding into an offset of the
            # decision function of 0.1
            if getattr(self, "_xbar_cache", None) is None:
                self._xbar_cache = xt_dot(self.X, self.sw)          # X read in its dtype
            b = b + (w.reshape(self.R, -1) - coef.astype(np.float64)) @ self._xbar_cache
        if self.multinomial:
            intercept = b - b.mean() if self.fit_intercept else b.copy()
            return coef, intercept
        return coef[0], float(b[0])


def _check_soft_labels(soft_labels, n, problem):
    """Soft labels as a float64 (n,) array in [0, 1], or None; refused where the problem
    needs hard labels (multinomial, offset, unpenalized columns)."""
    if soft_labels is None:
        return None
    if problem.multinomial or problem.offset is not None:
        raise ValueError("soft_labels apply to the binary model without offset only.")
    if np.any(problem.penalty_factor == 0.0):
        raise ValueError("soft_labels with unpenalized columns (penalty_factor 0) are not "
                         "supported.")
    t = v.check_float_vector(soft_labels, n, "soft_labels")
    if np.any((t < 0.0) | (t > 1.0)):
        raise ValueError("soft_labels must lie in [0, 1].")
    return t


def soft_null_objective(t, sw, fit_intercept):
    """(P_null, intercept) of the best intercept-only model for soft labels t: the binary
    entropy of their weighted mean pbar at b = logit(pbar) (log 2 at b = 0 without one)."""
    if not fit_intercept:
        return float(np.log(2.0)), 0.0
    pbar = float(np.clip(sw @ t, 0.0, 1.0))
    if pbar <= 0.0 or pbar >= 1.0:
        return 0.0, 0.0
    return float(-pbar * np.log(pbar) - (1 - pbar) * np.log1p(-pbar)), float(
        np.log(pbar) - np.log1p(-pbar))


def cast_inside(W, dtype, lower, upper):
    """A copy of W (rows of p coefficients) in dtype, rounded toward the inside of the bounds
    (lower, upper) (p,): a float32 coefficient never crosses a bound float32 cannot represent
    (as the Elastic Net's EnetProblem.cast)."""
    out = W.astype(dtype, copy=True)
    if out.dtype != W.dtype:
        below, above = out < lower, out > upper
        out[below] = np.nextafter(out[below], np.inf)
        out[above] = np.nextafter(out[above], -np.inf)
    return out


def logistic_solve(X: MatrixLike, y: ArrayLike, *, alpha: float, l1_ratio: float = 1.0,
                   sample_weight: ArrayLike | None = None, penalty_factor: ArrayLike | None = None,
                   lower_bounds: float | ArrayLike | None = None,
                   upper_bounds: float | ArrayLike | None = None, fit_intercept: bool = True,
                   tol: float = 1e-4, max_iter: int = 1000, coef_init: ArrayLike | None = None,
                   intercept_init: float | ArrayLike | None = None, n_classes: int = 2,
                   screening: bool = True, warn: bool = True,
                   check_input: bool = True, offset: ArrayLike | None = None,
                   standardize: bool = False) -> LogisticSolution:
    """Fit one penalized logistic regression; see the module docstring for the objective.

    ``y`` holds class codes in ``[0, n_classes)`` (``n_classes=2``: code 1 is the positive
    label +1). ``n_classes >= 3`` fits the multinomial model. X (dense, CSC or CSR) is
    validated once and then read in place (``check_input=False`` trusts it to be the output of
    ``check_design``). ``coef_init`` ((p,) or (K, p)) and ``intercept_init`` warm-start the
    solver. ``offset`` (n,): glmnet's offset, a known term of the linear predictor (binary;
    see ``l1core._offset``). Returns a :class:`LogisticSolution`.

    Examples
    --------
    >>> import numpy as np
    >>> from l1core.datasets import load_diabetes
    >>> X, y, names = load_diabetes()
    >>> from l1core import logistic_solve
    >>> solution = logistic_solve(X, (y > 140).astype(int), alpha=0.01)
    >>> np.flatnonzero(solution.coef), solution.converged
    (array([2, 8]), True)
    """
    problem = LogisticProblem(X, y, n_classes=n_classes, l1_ratio=l1_ratio, offset=offset,
                              standardize=standardize,
                              sample_weight=sample_weight, penalty_factor=penalty_factor,
                              lower_bounds=lower_bounds, upper_bounds=upper_bounds,
                              fit_intercept=fit_intercept, check_input=check_input)
    return solve_once(problem, alpha, tol=tol, max_iter=max_iter, coef_init=coef_init,
                      intercept_init=intercept_init, screening=screening, warn=warn,
                      stacklevel=4)


def solve_once(problem, alpha, *, tol=1e-4, max_iter=1000, coef_init=None,
               intercept_init=None, screening=True, warn=True, stacklevel=3):
    """One cold (or user-warm-started) solve of a :class:`LogisticProblem`, checked
    arguments in, :class:`LogisticSolution` out."""
    alpha = v.check_alpha(alpha)
    tol = v.check_tol(tol)
    max_iter = v.check_max_iter(max_iter)
    w, b = problem.start(coef_init, intercept_init)
    gap, n_iter, gap_tol = problem.solve(alpha, w, b, tol=tol, max_iter=max_iter,
                                         screening=screening)
    converged = gap <= gap_tol
    if warn and not converged and not warn_if_no_minimizer(problem, alpha, stacklevel + 1):
        warnings.warn(f"Logistic solver did not converge after {n_iter} epochs "
                      f"(max_iter={max_iter}): duality gap {gap:.3e} > tolerance "
                      f"{gap_tol:.3e}. Increase max_iter, loosen tol or raise alpha.",
                      convergence_warning(), stacklevel=stacklevel)
    coef, intercept = problem.result(w, b)
    return LogisticSolution(coef=coef, intercept=intercept, dual_gap=gap, n_iter=n_iter,
                            gap_tol=gap_tol, converged=bool(converged))


def separating_direction(A, codes, sw, n_classes):
    """A direction D (na,) or (na, K) of the unpenalized model z = A D along which every
    sample's margin is >= 0 and their sum is 1 (binary: y_i a_i.D; multinomial:
    (AD)_{i, y_i} - (AD)_{ik}, k != y_i), or None. If one exists, the loss decreases
    strictly and without end along it: the penalized objective has no minimizer. One
    linear program (scipy's HiGHS)."""
    from scipy.optimize import linprog

    keep = sw > 0
    A, codes = A[keep], codes[keep]
    n, na = A.shape
    if n_classes == 2:
        M = np.where(codes == 1, 1.0, -1.0)[:, None] * A            # margins M d
    else:
        K = n_classes
        rows = []
        for k in range(K):
            off = codes != k
            E = np.zeros((off.sum(), na, K))
            E[np.arange(off.sum()), :, codes[off]] = A[off]
            E[:, :, k] -= A[off]
            rows.append(E.reshape(off.sum(), na * K))
        M = np.vstack(rows)
    res = linprog(np.zeros(M.shape[1]), A_ub=-M, b_ub=np.zeros(M.shape[0]),
                  A_eq=M.sum(axis=0)[None, :], b_eq=[1.0],
                  bounds=[(None, None)] * M.shape[1], method="highs")
    return res.x if res.status == 0 else None


def warn_if_no_minimizer(problem, alpha, stacklevel):
    """Warn, and return True, when the intercept and the unpenalized unbounded columns
    separate the classes (see :func:`separating_direction`): the objective has no minimum,
    the coefficients diverge and no duality gap can certify them."""
    free, Z = problem.projection(alpha)
    free = free.astype(bool)
    unbounded = np.isinf(problem.lower[free]) & np.isinf(problem.upper[free])
    if not unbounded.any():
        return False          # the intercept alone separates nothing (every class has weight)
    cols = [Z[:, unbounded]]
    if problem.fit_intercept:
        cols.insert(0, np.ones((Z.shape[0], 1)))
    if separating_direction(np.hstack(cols), problem.codes, problem.sw,
                            problem.n_classes) is None:
        return False
    warnings.warn("The penalized logistic objective has no minimizer: the intercept and the "
                  "unpenalized columns separate the classes, so the loss decreases without end "
                  "as their coefficients grow. The coefficients returned diverge and carry no "
                  "certificate (dual_gap is infinite). Penalize those columns (penalty_factor "
                  "> 0), bound them, or remove the separating features.",
                  convergence_warning(), stacklevel=stacklevel)
    return True


def _sigmoid(t):
    return 0.5 * (1.0 + np.tanh(0.5 * t))


def unpenalized_decision(X, codes, sw, free, lower, upper, n_classes, fit_intercept,
                         offset=None):
    """Decision values, (n,) or (n, n_classes), of the model with the intercept and the
    unpenalized columns ``free`` (boolean (p,)) only, solved tightly on a copy of those few
    columns (``offset`` included, binary); None when there are none."""
    idx = np.flatnonzero(free)
    if idx.size == 0:
        return None
    cols = X[:, idx]
    res = logistic_solve(cols, codes, alpha=0.0, sample_weight=sw, lower_bounds=lower[idx],
                         upper_bounds=upper[idx], fit_intercept=fit_intercept,
                         n_classes=n_classes, tol=1e-10, max_iter=10_000, offset=offset)
    decision = np.asarray(cols @ res.coef.T, dtype=np.float64) + res.intercept
    return decision if offset is None else decision + offset


def alpha_max_of(X, codes, sw, factor, l1_ratio, lower, upper, n_classes, fit_intercept,
                 offset=None, soft=None):
    """The smallest alpha whose solution has every penalized coefficient zero: with the
    probabilities P of the unpenalized model (``offset``: its decision values, (n,) or
    (n, n_classes); None: the best intercept-only model, pbar), the largest over the penalized
    columns of ``x_j . (sw (Y_k - P_k)) / (v_j l1_ratio)`` over the classes k (binary: the
    positive class), in absolute value, or one-sided for a bound at zero (lower_j = 0 counts
    only positive correlations, upper_j = 0 only negative ones), ignoring the features pinned
    at zero or kept off it by their bounds (x_j need not be centered: the vector sums to zero
    with an intercept). 0 when no feature qualifies; needs l1_ratio > 0. X (as check_design
    returns it) is read in its own dtype, the products accumulated in float64. ``soft``:
    binary soft labels in [0, 1] in place of the positive class's indicator."""
    if n_classes > 2:
        Y = np.equal.outer(codes, np.arange(n_classes)).astype(np.float64)
        if offset is not None:
            Zo = np.asarray(offset, dtype=np.float64)
            P = np.exp(Zo - Zo.max(axis=1, keepdims=True))
            P /= P.sum(axis=1, keepdims=True)
        else:
            P = sw @ Y if fit_intercept else np.full(n_classes, 1.0 / n_classes)
        corr = xt_dot(X, sw[:, np.newaxis] * (Y - P))                    # (p, K)
    else:
        y01 = (codes == 1).astype(np.float64) if soft is None else soft
        if offset is not None:
            P = _sigmoid(np.asarray(offset, dtype=np.float64))
        else:
            P = float(sw @ y01) if fit_intercept else 0.5
        corr = xt_dot(X, sw * (y01 - P)).reshape(-1, 1)
    up_only = ((lower == 0.0) & (upper > 0.0))[:, np.newaxis]
    down_only = ((upper == 0.0) & (lower < 0.0))[:, np.newaxis]
    corr = np.where(up_only, np.maximum(corr, 0.0),
                    np.where(down_only, np.maximum(-corr, 0.0), np.abs(corr))).max(axis=1)
    pen = factor > 0
    if not np.any(pen) or l1_ratio <= 0:
        raise ValueError("alpha_max is infinite without an L1-penalized column "
                         "(l1_ratio > 0 and some penalty_factor > 0); pass alphas.")
    eligible = pen & (lower <= 0.0) & (upper >= 0.0) & (lower < upper)
    if not np.any(eligible):
        return 0.0
    return float(np.max(corr[eligible] / factor[eligible]) / l1_ratio)
