"""Weighted ridge regression (and least squares) by one eigendecomposition, alpha by GCV.

The initial estimators of the adaptive Lasso and the prior models of the prior Lasso. With
sample weights ``s`` (``S = sum s``), ``D = diag(sqrt(s))``, ``X_c = X - 1 xbar^T`` (weighted
column means, only with an intercept) and ``z = D (y - ybar)``, ridge minimizes

    ||z - D X_c b||^2 + lam ||b||^2.

With ``A = D X_c`` the solution is read off the eigendecomposition of the smaller Gram
matrix: ``A^T A = V diag(e) V^T`` (p <= n: ``b = V diag(1/(e + lam)) V^T A^T z``) or
``A A^T = U diag(e) U^T`` (n < p: ``b = A^T U diag(1/(e + lam)) U^T z``). Both are formed
from products of X (sparse X stays sparse; the Gram matrix is dense, min(n, p)^2 values;
columns of large mean are centered explicitly, ``l1core.variants._centered``),
and every lam of a grid then costs O(min(n, p)^2). lam is chosen by generalized
cross-validation, ``GCV(lam) = RSS(lam) / (1 - df(lam) / n)^2``, ``df = sum e / (e + lam)``,
n the number of rows of positive weight. Rows of zero weight are ignored exactly (they are
zero rows of A): cross-validation folds pass their training rows as weights.
"""

from __future__ import annotations

import numpy as np
import scipy.linalg

from ._centered import CenteredDesign

__all__ = ["ridge_coef", "ridge_coef_iterative", "least_squares_coef"]

_GCV_GRID = np.logspace(-6, 1, 36)        # lam / largest eigenvalue


class _Spectrum:
    """The eigendecomposition of the centered weighted Gram matrix of (X, y, s)."""

    def __init__(self, X, y, sw, fit_intercept):
        n, p = X.shape
        S = sw.sum()
        self.n_rows = int(np.count_nonzero(sw))
        self.Xc = CenteredDesign(X, sw, fit_intercept)
        ybar = sw @ y / S if fit_intercept else 0.0
        self.root = np.sqrt(sw)
        self.z = self.root * (y - ybar)
        self.primal = p <= n
        if self.primal:                                       # A^T A, p x p
            self.G = self.Xc.gram(sw)
            self.c = self.Xc.rmatvec(self.root * self.z)
            self.e, self.V = _eigh((self.G + self.G.T) / 2)
            self.d = self.V.T @ self.c
        else:                                 # A A^T on the rows of positive weight
            self.rows = np.flatnonzero(sw > 0)
            K = self.Xc.row_gram(self.rows)
            root = self.root[self.rows]
            K *= root[:, None] * root[None, :]
            self.e, self.U = _eigh((K + K.T) / 2)
            self.d = self.U.T @ self.z[self.rows]
        np.maximum(self.e, 0.0, out=self.e)

    def coef(self, lam):
        if self.primal:
            return self.V @ (self.d / (self.e + lam))
        a = np.zeros_like(self.root)                               # D a
        a[self.rows] = self.root[self.rows] * (self.U @ (self.d / (self.e + lam)))
        return self.Xc.rmatvec(a)

    def least_squares(self, rcond=1e-10):
        """The least-squares coefficients (primal only), or None where A^T A is rank
        deficient. Both are judged and solved on A^T A's correlation form (unit diagonal,
        A's columns scaled to unit norm) so that the columns' units do not matter: the raw
        eigenvalues of columns scaled 1e-6 and 1e6 span 1e24 for a well-posed problem."""
        d = np.sqrt(np.diag(self.G))
        if not np.all(d > 0):
            return None
        e, V = _eigh(self.G / np.outer(d, d))
        if not e.min() > rcond * e.max():
            return None
        return (V @ ((V.T @ (self.c / d)) / e)) / d

    def gcv(self, lam):
        shrink = lam / (self.e + lam)
        if self.primal:     # RSS = ||z||^2 - ||U^T z||^2 + sum shrink^2 (U^T z)^2
            proj = np.where(self.e > 0, self.d**2 / np.where(self.e > 0, self.e, 1.0), 0.0)
            rss = max(self.z @ self.z - proj.sum(), 0.0) + np.sum(shrink**2 * proj)
        else:
            rss = np.sum((shrink * self.d) ** 2)
        df = np.sum(self.e / (self.e + lam))
        return rss / max(1.0 - df / self.n_rows, 1e-12) ** 2


def _eigh(M):
    """Eigenvalues and vectors of a symmetric matrix (LAPACK's divide and conquer)."""
    return scipy.linalg.eigh(M, driver="evd", check_finite=False)


def ridge_coef(X, y, sw, fit_intercept, lam=None):
    """(coefficients, lam) of weighted ridge; ``lam=None`` chooses it by GCV on a log grid
    of 36 values from 1e-6 to 10 times the largest eigenvalue of ``A^T A``."""
    spec = _Spectrum(X, y, sw, fit_intercept)
    if lam is None:
        top = max(spec.e.max(), np.finfo(np.float64).tiny)
        grid = _GCV_GRID * top
        lam = float(grid[int(np.argmin([spec.gcv(g) for g in grid]))])
    return spec.coef(lam), lam


def ridge_coef_iterative(X, y, sw, fit_intercept, lam):
    """Weighted ridge at a given ``lam > 0`` (scikit-learn's ``Ridge(alpha=lam)`` with these
    weights) by LSQR on ``A = D X_c`` as an operator: O(nnz(X)) per iteration and no Gram
    matrix, for designs whose min(n, p)^3 eigendecomposition is too dear."""
    from scipy.sparse.linalg import LinearOperator, lsqr

    n, p = X.shape
    S = sw.sum()
    Xc = CenteredDesign(X, sw, fit_intercept)
    ybar = sw @ y / S if fit_intercept else 0.0
    root = np.sqrt(sw)
    A = LinearOperator((n, p), dtype=np.float64, matvec=lambda b: root * Xc.matvec(b),
                       rmatvec=lambda r: Xc.rmatvec(root * r))
    return lsqr(A, root * (y - ybar), damp=float(np.sqrt(lam)), atol=1e-12, btol=1e-12,
                iter_lim=20 * min(n, p) + 100)[0]


def least_squares_coef(X, y, sw, fit_intercept):
    """Weighted least-squares coefficients; ValueError unless the centered design has full
    column rank (p < the number of rows of positive weight, and no collinear columns)."""
    n_rows = int(np.count_nonzero(sw))
    p = X.shape[1]
    if p >= n_rows - bool(fit_intercept) + 1:
        raise ValueError(f"init='ols' needs fewer features than samples ({p} features, "
                         f"{n_rows} samples of positive weight): least squares has no unique "
                         "solution. Use init='ridge' (the default) or 'lasso_cv'.")
    coef = _Spectrum(X, y, sw, fit_intercept).least_squares()
    if coef is None:
        raise ValueError("init='ols': the design is (numerically) rank deficient (collinear "
                         "or constant columns). Use init='ridge' (the default) or "
                         "'lasso_cv'.")
    return coef
