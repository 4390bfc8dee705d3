"""The column-centered design ``X_c = X - 1 xbar^T`` (weighted means) without forming it.

Implicit centering, ``X_c^T r = X^T r - xbar (1^T r)`` and ``X_c^T W X_c = X^T W X - S xbar
xbar^T``, cancels catastrophically for a column whose mean is large next to its spread
(timestamps, prices, counts near a large level): the rounding is about ``eps (|xbar_j| /
sd_j)^2`` relative, so a column ``1e8 + z`` gave a ridge solution off by 30 and a least-squares
fit refused as rank deficient. Such columns (``|xbar_j| > LARGE_MEAN * sd_j``) are centered
explicitly: **a dense copy of those columns only** (n values each), the others stay implicit
and X is read in place. A sparse column can have that ratio only when fewer than one row in
``LARGE_MEAN^2`` is zero (with f the weighted share of its nonzero rows, ``(xbar/sd)^2 <=
f / (1 - f)``), so only such nearly dense columns are examined, densified one block at a time.
When any column is explicit, the remaining ones are a column subset of X (a copy of them:
one more copy of X's values, made only then).
"""

from __future__ import annotations

import numpy as np
import scipy.sparse as sp

__all__ = ["CenteredDesign", "LARGE_MEAN"]

LARGE_MEAN = 100.0           # |mean| / sd above which a column is centered explicitly
_BLOCK_VALUES = 1 << 22      # values per temporary block (32 MB of float64)


def _dense(M):
    return M.toarray() if sp.issparse(M) else np.asarray(M)


def _column_blocks(p, n):
    step = max(1, _BLOCK_VALUES // max(n, 1))
    for start in range(0, p, step):
        yield np.arange(start, min(start + step, p))


class CenteredDesign:
    """``X_c`` for the sample weights ``sw`` (``S = sum sw``); ``fit_intercept=False``: no
    centering (``xbar = 0``). ``explicit``: the indices of the explicitly centered columns."""

    def __init__(self, X, sw, fit_intercept):
        n, p = X.shape
        self.shape = (n, p)
        self.S = float(sw.sum())
        self.xbar = np.asarray(sw @ X).ravel() / self.S if fit_intercept else np.zeros(p)
        self.explicit = self._large_mean_columns(X, sw) if fit_intercept else np.zeros(0, int)
        if self.explicit.size:
            self.implicit = np.setdiff1d(np.arange(p), self.explicit)
            self.X = X[:, self.implicit]
            self.D = _dense(X[:, self.explicit]) - self.xbar[self.explicit]
        else:
            self.implicit = np.arange(p)
            self.X, self.D = X, np.zeros((n, 0))
        self.xg = self.xbar[self.implicit]

    def _large_mean_columns(self, X, sw):
        n, p = X.shape
        if sp.issparse(X):
            # weighted share of each column's nonzero rows: only nearly dense columns qualify
            Xc = X.tocsc() if X.format != "csc" else X
            counts = np.diff(Xc.indptr)
            weight_nz = np.zeros(p)
            live = counts > 0
            weight_nz[live] = np.add.reduceat(sw[Xc.indices], Xc.indptr[:-1][live])
            zero_share = np.maximum(self.S - weight_nz, 0.0) / self.S
            candidates = np.flatnonzero(zero_share * LARGE_MEAN**2 < 1.0)
        else:
            candidates = np.arange(p)
        found = []
        for block in _column_blocks(candidates.size, n):
            cols = candidates[block]
            C = _dense(X[:, cols]) - self.xbar[cols]
            sd = np.sqrt(sw @ (C * C) / self.S)
            found.append(cols[np.abs(self.xbar[cols]) > LARGE_MEAN * sd])
        return np.concatenate(found) if found else np.zeros(0, int)

    def matvec(self, b):
        """``X_c b`` (n values)."""
        out = np.asarray(self.X @ b[self.implicit]).ravel() - self.xg @ b[self.implicit]
        return out + self.D @ b[self.explicit]

    def rmatvec(self, r):
        """``X_c^T r`` (p values)."""
        out = np.empty(self.shape[1])
        out[self.implicit] = np.asarray(self.X.T @ r).ravel() - self.xg * r.sum()
        out[self.explicit] = self.D.T @ r
        return out

    def gram(self, sw):
        """``X_c^T diag(sw) X_c`` (p x p, dense)."""
        g, e = self.implicit, self.explicit
        weighted = (sp.diags(sw) @ self.X) if sp.issparse(self.X) else sw[:, None] * self.X
        G = np.empty((self.shape[1], self.shape[1]))
        G[np.ix_(g, g)] = _dense(self.X.T @ weighted) - self.S * np.outer(self.xg, self.xg)
        if e.size:
            WD = sw[:, None] * self.D
            cross = np.asarray(self.X.T @ WD) - np.outer(self.xg, WD.sum(axis=0))
            G[np.ix_(g, e)] = cross
            G[np.ix_(e, g)] = cross.T
            G[np.ix_(e, e)] = self.D.T @ WD
        return G

    def row_gram(self, rows):
        """``X_c[rows] X_c[rows]^T`` (dense, unweighted)."""
        Xm = np.asarray(self.X @ self.xg).ravel()[rows]
        K = _dense(self.X @ self.X.T)[np.ix_(rows, rows)]
        K += self.xg @ self.xg - Xm[:, None] - Xm[None, :]
        Dr = self.D[rows]
        return K + Dr @ Dr.T
