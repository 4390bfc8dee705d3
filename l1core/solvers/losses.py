"""Smooth data-fit terms of a linear model for the proximal-gradient solvers, with the dual
point and dual value of design.md section 2 (sample weights s_i, S = sum s_i; unit weights:
S = n).

    squared   F(z) = 1/(2S) sum_i s_i (y_i - z_i)^2,          theta_i = s_i (y_i - z_i) / S
    logistic  F(z) = 1/S sum_i s_i log(1 + e^{-y_i z_i}),      theta_i = s_i y_i sigma(-y_i z_i) / S

with z = X w + b. For any theta (summing to 0 when an intercept is fitted, and 0 on the rows
of zero weight) and a penalty h, ``D(theta) = -F*(-theta) - h*(X^T theta) <= min P``:

    squared   -F*(-theta) = theta.y - S/2 sum_i theta_i^2 / s_i
    logistic  -F*(-theta) = sum_i s_i / S H(S theta_i y_i / s_i),  H the binary entropy (nats)

X is a dense array, a scipy.sparse matrix or a ``scipy.sparse.linalg.LinearOperator``; it is
only used through ``X @ v`` and ``X^T u`` (``rmatvec`` for an operator) and never copied (a
float32 array or matrix is read in its dtype, the products accumulated in double).
"""

import numpy as np
import scipy.sparse as sp
from scipy.sparse.linalg import LinearOperator
from scipy.special import expit, xlogy

from .. import _validation as v
from .._products import times, transpose_times

__all__ = ["LinearLoss"]

_LOSSES = ("squared", "logistic")


class LinearLoss:
    """F(X w + b) for ``loss`` in {"squared", "logistic"}: value, gradient, Lipschitz
    estimate, best intercept and dual terms."""

    def __init__(self, X, y, loss, fit_intercept, sample_weight=None):
        if loss not in _LOSSES:
            raise ValueError(f"loss must be one of {_LOSSES} (or pass value_and_grad), "
                             f"got {loss!r}.")
        self.X = _check_operator(X)
        self.n, self.p = self.X.shape
        self.loss, self.fit_intercept = loss, bool(fit_intercept)
        self.y = (v.check_target(y, self.n, np.float64) if loss == "squared"
                  else _signed_labels(y, self.n))
        s = v.check_sample_weight(sample_weight, self.n, np.float64)
        self.sw = s / s.sum()                      # s_i / S
        self.keep = self.sw > 0

    def matvec(self, w):
        if isinstance(self.X, LinearOperator):
            return np.asarray(self.X.matvec(w), dtype=np.float64).reshape(-1)
        return times(self.X, w)

    def rmatvec(self, u):
        if isinstance(self.X, LinearOperator):
            return np.asarray(self.X.rmatvec(u), dtype=np.float64).reshape(-1)
        return transpose_times(self.X, u)

    def value(self, z):
        if self.loss == "squared":
            r = self.y - z
            return 0.5 * float(self.sw @ (r * r))
        return float(self.sw @ np.logaddexp(0.0, -self.y * z))

    def grad_z(self, z):
        """dF/dz = -theta(z)."""
        if self.loss == "squared":
            return self.sw * (z - self.y)
        return -self.sw * self.y * expit(-self.y * z)

    def curvature(self):
        """Bound of F's second derivative in z: max s_i / S (squared), a quarter of it
        (logistic)."""
        return (1.0 if self.loss == "squared" else 0.25) * float(self.sw.max())

    def lipschitz_estimate(self, n_iter=20):
        """c ||[X, 1]^T diag(s / S) [X, 1]||_2 (c = 1 squared, 1/4 logistic) by power
        iteration (a lower estimate: the solver's backtracking raises it when needed)."""
        u = np.random.default_rng(0).standard_normal(self.p)
        b = 1.0 if self.fit_intercept else 0.0
        sigma2 = 0.0
        for _ in range(n_iter):
            norm = np.sqrt(u @ u + b * b)
            if norm == 0:
                break
            u, b = u / norm, b / norm
            z = self.sw * (self.matvec(u) + b)
            u, b = self.rmatvec(z), (float(z.sum()) if self.fit_intercept else 0.0)
            sigma2 = np.sqrt(u @ u + b * b)
        return (1.0 if self.loss == "squared" else 0.25) * max(sigma2, 1e-300)

    def best_intercept(self, xw, b):
        """argmin_b F(xw + b): the weighted mean residual (squared), Newton's method
        (logistic)."""
        if self.loss == "squared":
            return float(self.sw @ (self.y - xw))
        for _ in range(50):
            p = expit(-self.y * (xw + b))
            g = -float(self.sw @ (self.y * p))
            h = float(self.sw @ (p * (1 - p)))
            if h <= 0:
                break
            step = g / h
            b -= step
            if abs(step) <= 1e-15 * (1 + abs(b)):
                break
        return b

    def center_dual(self, theta):
        """theta with sum 0 (the intercept's constraint), zero on the rows of zero weight:
        its sum removed in proportion to the weights."""
        return theta - self.sw * float(theta.sum())

    def dual_value(self, theta):
        k, sw = self.keep, self.sw[self.keep]
        if np.any(theta[~k] != 0.0):
            return -np.inf                         # outside the conjugate's domain
        if self.loss == "squared":
            return float(theta @ self.y) - 0.5 * float(np.sum(theta[k] ** 2 / sw))
        prob = np.clip(theta[k] * self.y[k] / sw, 0.0, 1.0)
        return -float(sw @ (xlogy(prob, prob) + xlogy(1 - prob, 1 - prob)))

    def gap_scale(self):
        """The stopping rule's scale: sum s (y - ybar)^2 / S (squared), P_null (logistic)."""
        if self.loss == "squared":
            c = self.y - (float(self.sw @ self.y) if self.fit_intercept else 0.0)
            return float(self.sw @ (c * c))
        if not self.fit_intercept:
            return float(np.log(2.0))
        return self.value(np.full(self.n, self.best_intercept(np.zeros(self.n), 0.0)))


def _check_operator(X):
    if isinstance(X, LinearOperator):
        if len(X.shape) != 2:
            raise ValueError("X as a LinearOperator must be 2-D.")
        return X
    if sp.issparse(X):
        return v.check_design(X)[0]
    arr = v._as_numeric_array(X, "X")
    if arr.ndim != 2:
        raise ValueError(f"X must be 2-D (or a LinearOperator), got shape {arr.shape}.")
    arr = arr.astype(v._float_dtype(arr.dtype), copy=False)
    v._check_finite(arr, "X")
    return arr


def _signed_labels(y, n):
    """Two classes mapped to -1, +1 (the larger label is +1, as scikit-learn)."""
    arr = np.asarray(y)
    if arr.shape != (n,):
        raise ValueError(f"y must have shape ({n},), got {arr.shape}.")
    classes = np.unique(arr)
    if classes.size != 2:
        raise ValueError(f"loss='logistic' needs exactly 2 classes in y, got {classes.size}.")
    return np.where(arr == classes[1], 1.0, -1.0)
