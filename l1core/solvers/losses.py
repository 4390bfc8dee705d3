"""Smooth data-fit terms of a linear model for the proximal-gradient solvers, with the dual
point and dual value of design.md section 2 (unit sample weights, S = n).

    squared   F(z) = 1/(2n) ||y - z||^2,           theta = (y - z) / n
    logistic  F(z) = 1/n sum_i log(1 + e^{-y_i z_i}),  theta_i = y_i sigma(-y_i z_i) / n

with z = X w + b. For any theta (summing to 0 when an intercept is fitted) and a penalty h,
``D(theta) = -F*(-theta) - h*(X^T theta) <= min P``:

    squared   -F*(-theta) = theta.y - n/2 ||theta||^2
    logistic  -F*(-theta) = 1/n sum_i H(n theta_i y_i),  H the binary entropy (nats)

X is a dense array, a scipy.sparse matrix or a ``scipy.sparse.linalg.LinearOperator``; it is
only used through ``X @ v`` and ``X^T u`` (``rmatvec`` for an operator) and never copied.
"""

import numpy as np
import scipy.sparse as sp
from scipy.sparse.linalg import LinearOperator
from scipy.special import expit, xlogy

from .. import _validation as v

__all__ = ["LinearLoss"]

_LOSSES = ("squared", "logistic")


class LinearLoss:
    """F(X w + b) for ``loss`` in {"squared", "logistic"}: value, gradient, Lipschitz
    estimate, best intercept and dual terms."""

    def __init__(self, X, y, loss, fit_intercept):
        if loss not in _LOSSES:
            raise ValueError(f"loss must be one of {_LOSSES} (or pass value_and_grad), "
                             f"got {loss!r}.")
        self.X = _check_operator(X)
        self.n, self.p = self.X.shape
        self.loss, self.fit_intercept = loss, bool(fit_intercept)
        self.y = (v.check_target(y, self.n, np.float64) if loss == "squared"
                  else _signed_labels(y, self.n))

    def matvec(self, w):
        return np.asarray(self.X.matvec(w) if isinstance(self.X, LinearOperator)
                          else self.X @ w, dtype=np.float64).reshape(-1)

    def rmatvec(self, u):
        return np.asarray(self.X.rmatvec(u) if isinstance(self.X, LinearOperator)
                          else self.X.T @ u, dtype=np.float64).reshape(-1)

    def value(self, z):
        if self.loss == "squared":
            r = self.y - z
            return 0.5 * float(r @ r) / self.n
        return float(np.mean(np.logaddexp(0.0, -self.y * z)))

    def grad_z(self, z):
        """dF/dz = -theta(z)."""
        if self.loss == "squared":
            return (z - self.y) / self.n
        return -self.y * expit(-self.y * z) / self.n

    def curvature(self):
        """Bound of F's second derivative in z: 1/n (squared), 1/(4n) (logistic)."""
        return (1.0 if self.loss == "squared" else 0.25) / self.n

    def lipschitz_estimate(self, n_iter=20):
        """curvature * ||[X, 1]||_2^2 by power iteration (a lower estimate: the solver's
        backtracking raises it when needed)."""
        u = np.random.default_rng(0).standard_normal(self.p)
        b = 1.0 if self.fit_intercept else 0.0
        sigma2 = 0.0
        for _ in range(n_iter):
            norm = np.sqrt(u @ u + b * b)
            if norm == 0:
                break
            u, b = u / norm, b / norm
            z = self.matvec(u) + b
            u, b = self.rmatvec(z), (float(z.sum()) if self.fit_intercept else 0.0)
            sigma2 = np.sqrt(u @ u + b * b)
        return self.curvature() * max(sigma2, 1e-300)

    def best_intercept(self, xw, b):
        """argmin_b F(xw + b): the mean residual (squared), Newton's method (logistic)."""
        if self.loss == "squared":
            return float(np.mean(self.y - xw))
        for _ in range(50):
            p = expit(-self.y * (xw + b))
            g = -float(np.sum(self.y * p))
            h = float(np.sum(p * (1 - p)))
            if h <= 0:
                break
            step = g / h
            b -= step
            if abs(step) <= 1e-15 * (1 + abs(b)):
                break
        return b

    def dual_value(self, theta):
        if self.loss == "squared":
            return float(theta @ self.y) - 0.5 * self.n * float(theta @ theta)
        prob = np.clip(self.n * theta * self.y, 0.0, 1.0)
        return -float(np.sum(xlogy(prob, prob) + xlogy(1 - prob, 1 - prob))) / self.n

    def gap_scale(self):
        """The stopping rule's scale: sum (y - ybar)^2 / n (squared), P_null (logistic)."""
        if self.loss == "squared":
            c = self.y - (self.y.mean() if self.fit_intercept else 0.0)
            return float(c @ c) / self.n
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
