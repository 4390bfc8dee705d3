"""The result of a regularization path: a tuple that also knows its model.

:class:`PathResult` unpacks exactly as scikit-learn's path tuples (``alphas, coefs, gaps =
lasso_path(X, y)``; ``return_n_iter`` / ``return_intercept`` add their items) and carries the
whole path as attributes, with what glmnet's ``print(fit)``, ``coef(fit, s=)`` and
``predict(fit, newx, s=)`` give:

- ``n_nonzero[k]``: the features nonzero at ``alphas[k]`` (glmnet's ``Df``; multinomial: in
  any class; group paths: coefficients, not groups);
- ``n_groups_nonzero[k]`` (group paths): the groups with a nonzero coefficient;
- ``deviance_explained[k] = 1 - dev_k / dev_null`` (glmnet's ``%Dev`` / 100). Squared loss:
  ``dev = sum_i s_i (y_i - x_i.w - b)^2``, the null model the weighted mean of y (0 without
  an intercept). Logistic loss: ``dev = 2 sum_i s_i log(1 + exp(-y_i z_i))`` (multinomial:
  the cross-entropy), the null model the best intercept-only one (z = 0 without an
  intercept). Computed by the path from the solver's residual or linear predictor: O(n) per
  alpha, no pass over X.

Predictions read X in place: only the columns in the path's support, float32 X in its own
dtype (:func:`predict_rows`).
"""

from __future__ import annotations

import numpy as np
import scipy.sparse as sp
from scipy.special import logsumexp

from . import _validation as v
from ._design_ops import rows_dot
from ._typing import MatrixLike

__all__ = ["PathResult", "predict_rows"]

_FIELDS = ("alphas", "coefs", "dual_gaps", "n_iters", "intercepts")


class PathResult(tuple):
    """A path's ``(alphas, coefs, dual_gaps[, n_iters][, intercepts])`` tuple, with attributes.

    Attributes
    ----------
    alphas : (n_alphas,) decreasing
    coefs : (n_features, n_alphas) dense or sparse CSC; multinomial (n_classes, n_features,
        n_alphas) dense or sparse (n_features, n_alphas * n_classes), column ``a * K + k``
    dual_gaps, n_iters, seconds : (n_alphas,) duality gap, epochs and seconds of each solve
    intercepts : (n_alphas,), multinomial (n_classes, n_alphas)
    n_nonzero : (n_alphas,) int
    deviance_explained : (n_alphas,) in [0, 1] up to the solver's tolerance
    n_classes : None (squared loss, binary) or the number of classes (multinomial)
    n_groups_nonzero : (n_alphas,) int for group paths, else None
    groups : the ``(ptr, feat)`` blocks of a group path (``l1core._groups``), else None

    Examples
    --------
    >>> from l1core.datasets import load_diabetes
    >>> X, y, names = load_diabetes()
    >>> from l1core import lasso_path
    >>> path = lasso_path(X, y, n_alphas=5, fit_intercept=True, return_n_iter=True)
    >>> alphas, coefs, dual_gaps, n_iters = path      # unpacks as scikit-learn's tuple
    >>> path.n_nonzero, path.deviance_explained.round(2)
    (array([ 0,  4,  7,  9, 10]), array([0.  , 0.47, 0.51, 0.52, 0.52]))
    >>> path.predict(X[:2]).shape                     # every alpha
    (2, 5)
    >>> path.predict(X[:2], alpha=0.1).round()        # one alpha, between grid values
    array([203.,  73.])
    """

    def __new__(cls, returned, *, alphas, coefs, dual_gaps, n_iters, intercepts, seconds,
                deviance_explained, n_classes=None, groups=None):
        values = dict(alphas=alphas, coefs=coefs, dual_gaps=dual_gaps, n_iters=n_iters,
                      intercepts=intercepts)
        self = super().__new__(cls, tuple(values[name] for name in returned))
        self.__dict__.update(values, seconds=seconds, returned=tuple(returned),
                             deviance_explained=np.asarray(deviance_explained, np.float64),
                             n_classes=n_classes, groups=groups)
        return self

    def __reduce__(self):
        state = {name: self.__dict__[name] for name in
                 _FIELDS + ("seconds", "deviance_explained", "n_classes")}
        if self.groups is not None:
            state["groups"] = self.groups
        return _rebuild, (self.returned, state, self.__dict__.get("_relaxed"))

    # ------------------------------------------------------------------ relaxed fit

    def attach_relaxed(self, coefs, intercepts, stats, null_deviance):
        """Keep the relaxed refits of the path (``l1core._relax.relaxed_refits``)."""
        self.__dict__["_relaxed"] = (coefs, intercepts, stats, float(null_deviance))

    def relaxed(self, gamma):
        """glmnet's relaxed fit at ``gamma`` in [0, 1] (paths solved with ``relax=True``): a
        PathResult on the same alphas whose coefficients (sparse CSC) and intercepts are
        ``gamma * penalized + (1 - gamma) * refit`` (``l1core._relax``), with the deviance
        explained of that blend; dual_gaps, n_iters and seconds stay the penalized solves'."""
        from ._relax import blend
        if self.__dict__.get("_relaxed") is None:
            raise ValueError("This path has no relaxed fit: solve it with relax=True.")
        gamma = v._check_real(gamma, "gamma", low=0.0, high=1.0)
        coefs, intercepts, (dev_p, dev_r, cross), null = self._relaxed
        penalized = sp.csc_matrix(self.coefs)
        blended = sp.csc_matrix(blend(gamma, penalized, coefs)).astype(penalized.dtype)
        deviance = (gamma * gamma * dev_p + (1 - gamma) ** 2 * dev_r
                    + 2 * gamma * (1 - gamma) * cross)
        return PathResult(self.returned, alphas=self.alphas, coefs=blended,
                          dual_gaps=self.dual_gaps, n_iters=self.n_iters,
                          intercepts=blend(gamma, np.asarray(self.intercepts), intercepts),
                          seconds=self.seconds, deviance_explained=explained(deviance, null))

    def __repr__(self):
        n = self.alphas.shape[0]
        return (f"PathResult(n_alphas={n}, alphas=[{self.alphas[0]:.4g} .. "
                f"{self.alphas[-1]:.4g}], n_nonzero <= {int(self.n_nonzero.max())}, "
                f"%Dev <= {100 * float(np.max(self.deviance_explained)):.2f})")

    # ------------------------------------------------------------------ per alpha

    @property
    def _classes(self):
        return self.n_classes or 1

    @property
    def _matrix(self):
        """(coefficients as CSC (n_features, n_alphas * R), intercepts (n_alphas * R,)),
        column ``a * R + k`` class k at ``alphas[a]`` (R = 1 unless multinomial)."""
        cached = self.__dict__.get("_cache")
        if cached is None:
            coefs, R = self.coefs, self._classes
            if not sp.issparse(coefs) and R > 1:
                coefs = coefs.transpose(1, 2, 0).reshape(coefs.shape[1], -1)
            coefs = sp.csc_matrix(coefs)
            coefs.sort_indices()
            intercepts = np.asarray(self.intercepts, dtype=np.float64)
            intercepts = intercepts.T.ravel() if R > 1 else intercepts.ravel()
            cached = self.__dict__["_cache"] = (coefs, intercepts)
        return cached

    @property
    def n_nonzero(self):
        """Features nonzero at each alpha (glmnet's ``Df``; multinomial: in any class)."""
        coefs, _ = self._matrix
        R = self._classes
        if R == 1:
            return np.diff(coefs.indptr).astype(np.intp)
        return np.array([np.unique(coefs[:, a * R:(a + 1) * R].indices).size
                         for a in range(self.alphas.shape[0])], dtype=np.intp)

    @property
    def n_groups_nonzero(self) -> np.ndarray | None:
        """Groups with a nonzero coefficient at each alpha (group paths; None otherwise)."""
        if self.groups is None:
            return None
        ptr, feat = self.groups
        coefs, _ = self._matrix
        group_of = np.empty(coefs.shape[0], dtype=np.intp)    # features in no group stay 0
        group_of[feat] = np.repeat(np.arange(ptr.size - 1), np.diff(ptr))
        return np.array([np.unique(group_of[coefs.indices[start:stop]]).size
                         for start, stop in zip(coefs.indptr[:-1], coefs.indptr[1:])],
                        dtype=np.intp)

    def summary(self) -> str:
        """The path as text, one row per alpha, like glmnet's ``print(fit)``: ``Df`` (the
        nonzeros), for group paths ``Groups`` (the nonzero groups), ``%Dev`` (100 x deviance
        explained) and ``Lambda`` (alpha)."""
        groups = self.n_groups_nonzero
        extra = "" if groups is None else f" {'Groups':>6}"
        lines = [f"{'':>4} {'Df':>6}{extra} {'%Dev':>7} {'Lambda':>11}"]
        for k, (df, dev, alpha) in enumerate(zip(self.n_nonzero, self.deviance_explained,
                                                  self.alphas)):
            cell = "" if groups is None else f" {groups[k]:>6d}"
            lines.append(f"{k + 1:>4} {df:>6d}{cell} {100 * dev:>7.2f} {alpha:>11.5g}")
        return "\n".join(lines)

    # ------------------------------------------------------------------ one alpha

    def coef_at(self, alpha: float) -> np.ndarray:
        """Coefficients at ``alpha``: (n_features,), multinomial (n_classes, n_features), as
        a dense array in the path's dtype.

        On the grid (to a relative 1e-10) they are the path's own. Between two grid values
        they are interpolated linearly in alpha, as glmnet's ``coef(fit, s=)`` does
        (``lambda.interp``): exact for the Lasso where the support does not change between
        the two (its path is piecewise linear in alpha), an approximation otherwise. Outside
        the grid: ValueError (solve at that alpha instead)."""
        coef, _ = self._at(alpha)
        return coef

    def intercept_at(self, alpha: float) -> float | np.ndarray:
        """The intercept at ``alpha`` (a float; multinomial (n_classes,)), as coef_at."""
        _, intercept = self._at(alpha)
        return intercept

    def _weights(self, alpha):
        """[(grid index, weight)] combining to ``alpha`` (see coef_at)."""
        alpha = v.check_alpha(alpha)
        grid = self.alphas
        close = np.flatnonzero(np.abs(grid - alpha) <= 1e-10 * max(abs(alpha), 1e-300))
        if close.size:
            return [(int(close[0]), 1.0)]
        if not grid[-1] < alpha < grid[0]:
            raise ValueError(f"alpha={alpha:.6g} is outside the path's grid [{grid[-1]:.6g}, "
                             f"{grid[0]:.6g}]: solve at that alpha instead.")
        k = int(np.flatnonzero(grid > alpha)[-1])          # grid[k] > alpha > grid[k + 1]
        t = (grid[k] - alpha) / (grid[k] - grid[k + 1])
        return [(k, 1.0 - t), (k + 1, t)]

    def _at(self, alpha):
        coefs, intercepts = self._matrix
        R, p = self._classes, coefs.shape[0]
        coef = np.zeros((R, p), dtype=np.float64)
        intercept = np.zeros(R)
        for k, weight in self._weights(alpha):
            coef += weight * coefs[:, k * R:(k + 1) * R].toarray().T
            intercept += weight * intercepts[k * R:(k + 1) * R]
        coef = coef.astype(coefs.dtype, copy=False)
        if R == 1:
            return coef[0], float(intercept[0])
        return coef, intercept

    def predict(self, X: MatrixLike, alpha: float | None = None) -> np.ndarray:
        """Linear predictions ``X @ coef + intercept`` (glmnet's ``type="link"``; logistic:
        the decision values, multinomial the class scores).

        ``alpha`` None: every alpha, (n_samples, n_alphas), multinomial (n_samples,
        n_classes, n_alphas); a float: at that alpha (see :meth:`coef_at`), (n_samples,),
        multinomial (n_samples, n_classes). X (dense in any layout, CSC or CSR) is read in
        place; only the support's columns are read, in X's dtype (dense X: in blocks of
        rows, see :func:`predict_rows`)."""
        X = _prediction_design(X, self._matrix[0].shape[0])
        rows = np.arange(X.shape[0])
        coefs, intercepts = self._matrix
        R = self._classes
        if alpha is None:
            out = predict_rows(X, rows, coefs, intercepts)
            if R == 1:
                return out
            return out.reshape(X.shape[0], -1, R).transpose(0, 2, 1)
        columns = self._weights(alpha)
        W = sum(weight * coefs[:, k * R:(k + 1) * R] for k, weight in columns)
        b = sum(weight * intercepts[k * R:(k + 1) * R] for k, weight in columns)
        out = predict_rows(X, rows, sp.csc_matrix(W), b)
        return out[:, 0] if R == 1 else out


def _rebuild(returned, state, relaxed=None):
    result = PathResult(returned, **state)
    if relaxed is not None:
        result.__dict__["_relaxed"] = relaxed
    return result


def _prediction_design(X, n_features):
    """X checked for prediction: dense float32/float64 arrays in any layout and CSC/CSR are
    used in place (check_design would copy C-ordered X into Fortran order)."""
    if isinstance(X, np.ndarray) and X.ndim == 2 and X.dtype in (np.float32, np.float64):
        v._check_nonempty_2d(X.shape, "X")
        v._check_finite(X, "X")
    else:
        X, _ = v.check_design(X)
    if X.shape[1] != n_features:
        raise ValueError(f"X has {X.shape[1]} features, but the path has {n_features}.")
    return X


# Values per block of dense rows in predict_rows (bounds the float64 copies).
_PREDICT_BLOCK_VALUES = 1 << 16


def predict_rows(X, rows, coefs, intercepts):
    """``X[rows] @ coefs + intercepts`` (float64, (len(rows), n_columns)) for sparse CSC
    ``coefs`` (n_features, n_columns), reading only the columns in their support: dense X
    copies the block ``X[rows][:, S]`` 65536 values at a time (upcast to float64 for float32
    X) and multiplies it with BLAS; CSR and CSC X are read in place by a compiled product in
    X's dtype with float64 sums."""
    out = np.empty((rows.size, coefs.shape[1]))
    out[:] = intercepts
    support = np.unique(coefs.indices)
    if support.size == 0:
        return out
    W = coefs[support].toarray().astype(np.float64, copy=False)
    if not sp.issparse(X):
        # BLAS on blocks of rows: a float32 block is upcast first, so bound the blocks
        step = max(1, _PREDICT_BLOCK_VALUES // support.size)
        for start in range(0, rows.size, step):
            block = X[np.ix_(rows[start:start + step], support)]
            out[start:start + step] += block @ W
        return out
    return rows_dot(X, rows, support, W, out)    # reads X in place


# --------------------------------------------------------------------------- deviance


def squared_deviance(problem, w):
    """``sum_i s_i (y_i - x_i.w - b)^2 / S`` of the solution ``w`` of an EnetProblem just
    solved: from the kernel's residual (r + offset = y - Xw - b on its rows) or, in the Gram
    form, ``yy - 2 c.w + w.G.w`` on the support (the centered moments); O(n) or
    O(support^2), no pass over X."""
    if problem.use_gram:
        G, c, yy, _, _, _ = problem._gram
        support = np.flatnonzero(w)
        if 4 * support.size >= w.size:      # dense enough: the whole form, fewer calls
            return max(yy - 2.0 * (c @ w) + w @ (G @ w), 0.0)
        ws = w[support]
        return max(yy - 2.0 * c[support] @ ws + ws @ (G[np.ix_(support, support)] @ ws), 0.0)
    r, offset = problem.residual
    res = r + offset[0]
    weights = problem.kernel_sw
    return weights @ (res * res) if weights is not None else np.mean(res * res)


def explained(deviance, null_deviance):
    """``1 - deviance / null_deviance`` (0 when there is nothing to explain)."""
    deviance = np.asarray(deviance, dtype=np.float64)
    if not null_deviance > 0:
        return np.zeros_like(deviance)
    return 1.0 - deviance / null_deviance


def logistic_loss(problem):
    """The loss of a LogisticProblem just solved (its deviance / 2S), from its linear
    predictor ``z`` (binary: n values; multinomial: (n, K) C-ordered); O(n K)."""
    if problem.multinomial:
        Z = problem.z.reshape(-1, problem.n_classes)
        losses = logsumexp(Z, axis=1) - Z[np.arange(Z.shape[0]), problem.labels]
    else:
        losses = np.logaddexp(0.0, -problem.labels * problem.z)
    return problem.sw @ losses
