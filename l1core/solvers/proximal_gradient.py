"""FISTA / ISTA: proximal gradient descent on P(w) = f(w) + h(w), f smooth, h with a prox.

One iteration from the extrapolated point y (Beck & Teboulle 2009):

    x+ = prox_{h / L}(y - grad f(y) / L),   L raised (x2) until
         f(x+) <= f(y) + grad f(y).(x+ - y) + L/2 ||x+ - y||^2     (backtracking)
    t+ = (1 + sqrt(1 + 4 t^2)) / 2,  y+ = x+ + (t - 1)/t+ (x+ - x)   (Nesterov momentum)

with adaptive restart (O'Donoghue & Candes 2015): momentum is reset (t = 1, y = x+) when
P(x+) > P(x) ("function") or when (y - x+).(x+ - x) > 0 ("gradient"). ISTA is the same with
no momentum. For a linear model the intercept b is one more, unpenalized, coordinate and
z = X y + b is extrapolated like y, so an iteration costs one ``X @ v`` and one ``X^T u``.

Stopping: the duality gap of design.md (dual point from the residual at the best intercept
for the current w, scaled into the penalty's dual constraint) when the loss is given as
(X, y, name) and the penalty has a conjugate (L1, elastic net, group, sparse group): stop
when gap <= tol * sum s (y - ybar)^2 / S (squared) or tol * P_null (logistic). Otherwise
stop when the prox-gradient mapping ``||L (x+ - y)||`` is <= tol times its first value.
"""

from __future__ import annotations

import math
import warnings
from dataclasses import dataclass, field

import numpy as np

from .._estimator_base import convergence_warning
from .._typing import Any, ArrayLike, Literal, MatrixLike
from .._validation import check_max_iter, check_tol
from .losses import LinearLoss

__all__ = ["fista", "ista", "FistaResult"]

_RESTARTS = ("function", "gradient", None)


@dataclass
class FistaResult:
    """The result of :func:`fista`: ``coef``; ``intercept`` (0.0 without one); ``dual_gap``
    (certificate ``P(coef) - min P <= dual_gap``, None when the penalty has no conjugate or
    the loss is a callable); ``n_iter``; ``objective`` (P per iteration); ``converged``;
    ``lipschitz`` (the final step is 1 / lipschitz); ``mapping_norm`` (last prox-gradient
    mapping norm).

    Examples
    --------
    >>> import numpy as np
    >>> from l1core import fista
    >>> from l1core.prox import L1Penalty
    >>> res = fista(np.eye(3), np.array([2.0, 0.5, -1.0]), L1Penalty(1 / 3))
    >>> res.coef.round(6).tolist(), res.converged
    ([1.0, 0.0, 0.0], True)
    """

    coef: np.ndarray
    intercept: float
    dual_gap: float | None
    n_iter: int
    objective: np.ndarray = field(repr=False)
    converged: bool
    lipschitz: float
    mapping_norm: float


def fista(X: MatrixLike | Any = None, y: ArrayLike | None = None, penalty: Any = None, *,
          loss: Literal["squared", "logistic"] = "squared", fit_intercept: bool = False,
          sample_weight: ArrayLike | None = None,
          value_and_grad: Any = None, coef_init: ArrayLike | None = None,
          lipschitz: float | None = None, tol: float = 1e-4, max_iter: int = 10_000,
          restart: Literal["function", "gradient"] | None = "function",
          accelerated: bool = True, gap_every: int = 10) -> FistaResult:
    """Minimize ``F(X w + b) + penalty(w)`` (or ``f(w) + penalty(w)``) by FISTA.

    Parameters
    ----------
    X, y : the data of a linear model: X dense, scipy.sparse or a
        ``scipy.sparse.linalg.LinearOperator`` (used only through products, never copied);
        y the target (squared) or two-class labels (logistic, the larger one is +1).
    penalty : an object with ``value(w)``, ``prox(z, step)`` and ``dual(q)``, such as
        :class:`l1core.prox.L1Penalty`, ``ElasticNetPenalty``, ``GroupPenalty``,
        ``SparseGroupPenalty``, ``TVPenalty``, ``BoxConstraint``.
    loss : "squared" ``1/(2S) sum_i s_i (y_i - z_i)^2`` or "logistic" ``1/S sum_i s_i
        log(1 + e^{-y_i z_i})`` (s the sample weights, S their sum; unit weights: S = n).
    sample_weight : (n_samples,) non-negative weights or None (X, y only).
    fit_intercept : fit an unpenalized intercept b (default False, as ``lasso_path``).
    value_and_grad : instead of (X, y): a callable ``w -> (f(w), grad f(w))``;
        ``coef_init`` then gives the shape and start.
    lipschitz : initial estimate of grad f's Lipschitz constant (default: a power
        iteration for (X, y); for a callable, from the gradient's change near the start).
        Backtracking raises it as needed.
    tol, max_iter : stopping tolerance (module docstring) and iteration limit; reaching
        max_iter raises l1core's ConvergenceWarning.
    restart : adaptive restart "function", "gradient" or None.
    accelerated : False gives ISTA (no momentum).
    gap_every : iterations between duality-gap evaluations (each costs one X @ v and
        one X^T u).

    Examples
    --------
    >>> import numpy as np
    >>> from l1core import Lasso, fista
    >>> from l1core.prox import L1Penalty
    >>> rng = np.random.default_rng(0)
    >>> X = rng.standard_normal((50, 20)); y = X[:, 0] - 2 * X[:, 1]
    >>> res = fista(X, y, L1Penalty(0.1), fit_intercept=True, tol=1e-8)
    >>> np.flatnonzero(res.coef).tolist(), bool(res.dual_gap < 1e-6)
    ([0, 1], True)
    >>> lasso = Lasso(alpha=0.1, tol=1e-10).fit(X, y)
    >>> bool(np.allclose(res.coef, lasso.coef_, atol=1e-4))
    True
    """
    if penalty is None or not all(hasattr(penalty, m) for m in ("value", "prox")):
        raise TypeError("penalty must be an object with value(w) and prox(z, step), such as "
                        "l1core.prox.L1Penalty(alpha).")
    if restart not in _RESTARTS:
        raise ValueError(f"restart must be one of {_RESTARTS}, got {restart!r}.")
    tol, max_iter = check_tol(tol), check_max_iter(max_iter)
    if value_and_grad is not None:
        if sample_weight is not None:
            raise ValueError("sample_weight applies to (X, y), not to value_and_grad.")
        if X is not None or y is not None:
            raise ValueError("pass either (X, y) or value_and_grad, not both.")
        problem = _CallableProblem(value_and_grad, coef_init)
    else:
        if X is None or y is None:
            raise ValueError("fista needs (X, y) or value_and_grad.")
        problem = _LinearProblem(LinearLoss(X, y, loss, fit_intercept, sample_weight),
                                 coef_init)
    return _run(problem, penalty, lipschitz, tol, max_iter, restart, bool(accelerated),
                max(1, int(gap_every)))


def ista(X: MatrixLike | Any = None, y: ArrayLike | None = None, penalty: Any = None,
         **options: Any) -> FistaResult:
    """:func:`fista` without momentum (proximal gradient descent); same options.

    Examples
    --------
    >>> import numpy as np
    >>> from l1core import ista
    >>> from l1core.prox import L1Penalty
    >>> res = ista(np.eye(2), np.array([3.0, 0.1]), L1Penalty(0.5))
    >>> res.coef.round(6).tolist()
    [2.0, 0.0]
    """
    return fista(X, y, penalty, accelerated=False, **options)


class _LinearProblem:
    """The iterate (w, b) of a linear model, its predictor z = X w + b, and the gap."""

    def __init__(self, data, coef_init):
        self.data = data
        w = (np.zeros(data.p) if coef_init is None
             else np.array(coef_init, dtype=np.float64).reshape(-1))
        if w.shape != (data.p,):
            raise ValueError(f"coef_init must have shape ({data.p},), got {w.shape}.")
        self.start = (w, 0.0)
        self.gap_tol = None

    def predictor(self, w, b):
        return self.data.matvec(w) + b

    def value(self, z):
        return self.data.value(z)

    def gradient(self, z):
        gz = self.data.grad_z(z)
        return self.data.rmatvec(gz), (float(gz.sum()) if self.data.fit_intercept else 0.0)

    def lipschitz(self):
        return self.data.lipschitz_estimate()

    def gap(self, w, b, penalty):
        """(P, gap, b*) at (w, b*(w)); gap None when the penalty has no conjugate."""
        d = self.data
        xw = d.matvec(w)
        b = d.best_intercept(xw, b) if d.fit_intercept else 0.0
        z = xw + b
        primal = d.value(z) + penalty.value(w)
        dual = getattr(penalty, "dual", lambda q: None)
        theta = -d.grad_z(z)
        free = self._free(penalty)
        if free.size and d.loss == "squared":
            theta, q = self._project_free(theta, free)
            if q is None:
                return primal, None, b
        else:
            if d.fit_intercept:
                theta = d.center_dual(theta)
            q = d.rmatvec(theta)
        scaled = dual(q)
        if scaled is None:
            return primal, None, b
        s, conjugate = scaled
        return primal, primal - (d.dual_value(s * theta) - conjugate), b

    def gap_scale(self):
        return self.data.gap_scale()

    def _free(self, penalty):
        find = getattr(penalty, "unpenalized", None)
        return np.zeros(0, dtype=np.intp) if find is None else find(self.data.p)

    def _project_free(self, theta, free):
        """(theta', X^T theta') with X_free^T theta' = 0 exactly enough to certify: theta =
        sw r, and r' the weighted residual of r on [1 (with an intercept), X_free] (the
        unpenalized columns' constraint is an equality). theta' stays 0 on the rows of zero
        weight and sums to 0. The free columns are formed once (k products for an
        operator)."""
        d = self.data
        if getattr(self, "_Z", None) is None or self._Z_free.shape != free.shape or \
                np.any(self._Z_free != free):
            eye = np.zeros(d.p)
            cols = []
            for j in free:
                eye[j] = 1.0
                cols.append(d.matvec(eye))
                eye[j] = 0.0
            if d.fit_intercept:
                cols.append(np.ones(d.n))
            self._Z, self._Z_free = np.column_stack(cols), free.copy()
        Z, sw = self._Z, d.sw
        root = np.sqrt(sw)
        A = Z * root[:, None]
        norms = np.linalg.norm(A, axis=0)
        A = A[:, norms > 0] / norms[norms > 0]      # unit columns: their units do not matter
        r = np.divide(theta, sw, out=np.zeros_like(theta), where=sw > 0)
        beta = np.linalg.lstsq(A, root * r, rcond=1e-13)[0]
        theta = sw * r - root * (A @ beta)
        q = d.rmatvec(theta)
        # X_free^T theta is zero but for rounding, which is set to 0 (the conjugate of a free
        # feature is the indicator of {0}); beyond rounding, no certificate (None)
        size = np.linalg.norm(Z[:, :free.size], axis=0) * np.linalg.norm(theta)
        if np.any(np.abs(q[free]) > 1e-9 * size):
            return theta, None
        q[free] = 0.0
        return theta, q


class _CallableProblem:
    """f given as w -> (value, gradient); the 'predictor' is w itself."""

    def __init__(self, value_and_grad, coef_init):
        if coef_init is None:
            raise ValueError("value_and_grad needs coef_init (the start and the shape).")
        self.fun = value_and_grad
        self.start = (np.array(coef_init, dtype=np.float64), 0.0)
        self._last = None

    def predictor(self, w, b):
        return w

    def _eval(self, w):
        if self._last is None or self._last[0] is not w:
            f, g = self.fun(w)
            self._last = (w, float(f), np.asarray(g, dtype=np.float64).reshape(w.shape))
        return self._last

    def value(self, w):
        return self._eval(w)[1]

    def gradient(self, w):
        return self._eval(w)[2], 0.0

    def lipschitz(self):
        w0 = self.start[0]
        g0 = self.gradient(w0)[0]
        step = 1e-3 * (1.0 + np.linalg.norm(w0)) / max(np.linalg.norm(g0), 1e-300)
        w1 = w0 - step * g0
        change = np.linalg.norm(self.gradient(w1)[0] - g0)
        return max(change / max(np.linalg.norm(w1 - w0), 1e-300), 1e-12)

    def gap(self, w, b, penalty):
        return self.value(w) + penalty.value(w), None, b

    def gap_scale(self):
        return None


def _run(problem, penalty, L, tol, max_iter, restart, accelerated, gap_every):
    x, bx = problem.start
    x = np.array(x, dtype=np.float64)
    L = float(L) if L is not None else problem.lipschitz()
    if not (L > 0 and math.isfinite(L)):
        raise ValueError(f"lipschitz must be a finite number > 0, got {L}.")
    zx = problem.predictor(x, bx)
    obj_x = problem.value(zx) + penalty.value(x)
    y, by, zy, t = x, bx, zx, 1.0
    history, gap, mapping0, mapping = [obj_x], None, None, np.inf
    scale = scale0 = problem.gap_scale()
    converged = False
    n_iter = 0
    for n_iter in range(1, max_iter + 1):
        f_y = problem.value(zy)
        g, gb = problem.gradient(zy)
        while True:                                              # backtracking on L
            x_new = np.asarray(penalty.prox(y - g / L, 1.0 / L), dtype=np.float64)
            b_new = by - gb / L
            z_new = problem.predictor(x_new, b_new)
            f_new = problem.value(z_new)
            d, db = x_new - y, b_new - by
            model = f_y + float(np.vdot(g, d)) + gb * db + 0.5 * L * (np.vdot(d, d) + db * db)
            if f_new <= model + 1e-12 * abs(f_y) or not math.isfinite(L):
                break
            L *= 2.0
        mapping = L * math.sqrt(float(np.vdot(d, d)) + db * db)
        mapping0 = mapping if mapping0 is None else mapping0
        obj_new = f_new + penalty.value(x_new)
        history.append(obj_new)
        if not accelerated:
            reset = True
        elif restart == "function":
            reset = obj_new > obj_x
        elif restart == "gradient":
            reset = float(np.vdot(y - x_new, x_new - x)) + (by - b_new) * (b_new - bx) > 0
        else:
            reset = False
        if reset:
            t, y, by, zy = 1.0, x_new, b_new, z_new
        else:
            t_new = 0.5 * (1.0 + math.sqrt(1.0 + 4.0 * t * t))
            beta = (t - 1.0) / t_new
            y = x_new + beta * (x_new - x)
            by = b_new + beta * (b_new - bx)
            zy = z_new + beta * (z_new - zx)
            t = t_new
        x, bx, zx, obj_x = x_new, b_new, z_new, obj_new
        if scale is not None and n_iter % gap_every == 0:
            _, gap, _ = problem.gap(x, bx, penalty)
            if gap is not None and gap <= tol * scale:
                converged = True
                break
            if gap is None:
                scale = None                 # no conjugate: the mapping rule from now on
        if scale is None and mapping <= tol * mapping0:
            converged = True
            break
    primal, gap, bx = problem.gap(x, bx, penalty)
    if scale0 is not None and gap is not None:
        # a finite gap is the verdict, also after the mapping rule stopped the run (a dual
        # point that could not be certified mid-run)
        scale = scale0
        converged = gap <= tol * scale
    if not converged:
        warnings.warn(f"fista did not converge in {max_iter} iterations: "
                      + (f"duality gap {gap:.3g} > tol * scale {tol * scale:.3g}."
                         if gap is not None and scale is not None
                         else f"mapping norm {mapping:.3g} > {tol:g} x its first value."),
                      convergence_warning(), stacklevel=3)
    return FistaResult(coef=x, intercept=float(bx), dual_gap=gap, n_iter=n_iter,
                       objective=np.asarray(history), converged=bool(converged),
                       lipschitz=L, mapping_norm=float(mapping))
