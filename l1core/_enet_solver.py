"""Elastic Net solves: validated input in, certified solution out.

Minimizes, for sample weights ``s_i >= 0`` (``S = sum_i s_i``) and penalty factors ``v_j >= 0``,

    P(w, b) = 1/(2S) sum_i s_i (y_i - x_i.w - b)^2
              + alpha sum_j v_j (l1_ratio |w_j| + (1 - l1_ratio)/2 w_j^2),
    subject to lower_j <= w_j <= upper_j,

by the compiled kernel ``l1core._enet_cd`` (coordinate descent, working sets, gap-safe
screening), and stops when the duality gap ``<= tol * sum_i s_i (y_i - ybar)^2 / S``: the
contract of design.md section 2, scikit-learn's objective and stopping rule.

:class:`EnetProblem` holds everything that does not depend on ``alpha`` (validated arrays,
column statistics, the projection off unpenalized columns), so that a path or a
cross-validation fold pays for it once; :func:`enet_solve` is one problem, one alpha.
"""

from __future__ import annotations

import copy
import math
import warnings
from dataclasses import dataclass

import numpy as np
import scipy.linalg
import scipy.sparse as sp

from . import _validation as v
from ._column_store import column_store
from ._config import kernel_threads
from ._design_ops import xt_dot
from ._enet_cd import (enet_coordinate_descent, enet_gram_cache, enet_scratch,
                       raise_overflowing_columns)
from ._enet_gram import enet_gram_cd, enet_gram_path
from ._estimator_base import convergence_warning
from ._standardize import standardized_penalty
from ._target_stats import centered_target, off_unpenalized
from ._warnings import NumericalWarning
from ._typing import ArrayLike, Literal, MatrixLike, Seed

__all__ = ["EnetProblem", "EnetSolution", "enet_solve"]

# Unpenalized columns are kept out of the dual constraint by projecting the residual off them,
# which needs them as a dense (n, k) block: beyond this many values the projection is skipped
# and the gap can certify only a fit whose unpenalized directions are exact.
_MAX_PROJECTED_VALUES = 20_000_000
# Unpenalized columns whose scaled residual off the others is below this are dependent.
_RANK_RCOND = 1e-12
# Features whose Gram entries a dense problem may keep (a capacity^2 block of doubles).
_GRAM_CACHE_FEATURES = 1024
# Epochs per round when unpenalized coefficients have bounds (see EnetProblem.solve).
_ROUND_EPOCHS = 50


@dataclass
class EnetSolution:
    """Result of one solve.

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


class EnetProblem:
    """A validated Elastic Net problem on fixed data, solvable at any alpha.

    X (dense, CSC or CSR) is validated once and then read in place: Fortran-ordered dense
    float32/float64 input, CSC and CSR are not copied (C-ordered dense input is copied once
    into Fortran order). The user's arrays are never modified. ``check_input=False`` trusts X
    to be the output of ``check_design`` already (only its kind, dtype and sparse index
    bounds are checked, in O(nnz): ``check_trusted_design``); the other arguments are always
    checked.

    ``precompute``: True solves from the Gram matrix X~^T diag(sw) X~ (p x p, built once in
    row blocks of X: glmnet's covariance mode, O(p) per coordinate step instead of O(n));
    False works on X itself; "auto" (default) takes the Gram form for dense tall X when its
    cost, one n p^2 product, is repaid over the ``n_solves`` alphas expected (a path: many).
    A (p, p) array is the user's Gram matrix, as scikit-learn takes it: ``X_c^T diag(s') X_c``
    with ``s' = s n / S`` (the weights scaled to sum to n; X^T X for unit weights) and X_c
    centered by the weighted column means when an intercept is fitted. It is used (copied
    once, scaled by 1/n) after cheap checks: its shape, symmetry and two entries against X.
    If an intercept is fitted and X is not centered, it does not describe the centered
    problem: a UserWarning says so and the Gram matrix is computed from X (scikit-learn does
    the same). Sparse X never takes the Gram form (True or an array solve from X, as
    scikit-learn's sparse solver does).

    ``standardize=True`` (glmnet's ``standardize``): the penalty applies to the coefficients
    of the columns scaled to unit weighted standard deviation, through per-feature penalty
    and ridge factors (``l1core._standardize``; X is not scaled or copied).
    """

    def __init__(self, X, y, *, l1_ratio=1.0, sample_weight=None, penalty_factor=None,
                 lower_bounds=None, upper_bounds=None, positive=False, fit_intercept=True,
                 precompute="auto", n_solves=1, check_input=True, standardize=False):
        if check_input:
            X, _ = v.check_design(X)
        else:
            v.check_trusted_design(X)
        self.X = X = column_store(X)     # CSR: its CSC copy within the budget (_config)
        n, p = X.shape
        self.y = v.check_target(y, n, np.float64)
        s = v.check_sample_weight(sample_weight, n, np.float64)
        self.l1_ratio = v.check_l1_ratio(l1_ratio)
        # per-feature values that are all alike are kept as one value (the kernel broadcasts
        # them): on a million columns each p-length array is 8 MB of working memory
        factor = v.check_penalty_factor(penalty_factor, p)
        lower, upper = v.check_bounds(lower_bounds, upper_bounds, positive, p)
        # glmnet's standardize: the penalty of unit-variance columns, in place on X
        # (l1core._standardize): its own ridge factors, constant columns pinned at 0
        self.standardize = bool(standardize)
        ridge = None
        if self.standardize:
            factor, ridge, lower, upper = standardized_penalty(
                X, s / s.sum(), fit_intercept, factor, lower, upper, self.l1_ratio)
        self.penalty_factor = _compact(factor)
        self.ridge_factor = ridge
        if ridge is not None and (self.penalty_factor.size > 1 or _compact(ridge).size > 1):
            self.penalty_factor = factor            # the kernel steps both alike
        elif ridge is not None:
            self.ridge_factor = ridge[:1].copy()
        if _compact(lower).size == 1 and _compact(upper).size == 1:
            lower, upper = lower[:1].copy(), upper[:1].copy()
        self.lower, self.upper = lower, upper
        self.fit_intercept = bool(fit_intercept)
        self.sw = None if np.all(s == s[0]) else s / s.sum()
        self.weights = np.full(n, 1.0 / n) if self.sw is None else self.sw
        # The kernel's rows: on dense X, those of nonzero weight (a cross-validation fold's
        # training rows), read in place as runs of X's rows; sparse X keeps every row and
        # zero weights (its columns hold few values of the held-out rows anyway).
        self.kernel_rows = None
        kernel_y, kernel_s = self.y, s
        if not sp.issparse(X) and np.any(s == 0.0):
            kept = np.flatnonzero(s > 0.0)
            self.kernel_rows = kept
            self.row_runs = _row_runs(kept)
            kernel_y, kernel_s = self.y[kept], s[kept]
        self.kernel_y = kernel_y
        self.kernel_sw = None if np.all(kernel_s == kernel_s[0]) else kernel_s / kernel_s.sum()
        n_kernel = kernel_y.shape[0]
        # xbar, H, norm and the columns with H > 0 (kernel fills)
        self.stats = (np.zeros(p), np.zeros(p), np.zeros(p), np.zeros(p, dtype=np.intp),
                      np.zeros(1, dtype=np.int64))
        self.stats_ready = False
        self.q = np.zeros(p)
        # r + offset = y - ybar - X~ w on the kernel's rows (kernel fills)
        self.residual = (np.zeros(n_kernel), np.zeros(1))
        # features ever nonzero: marks and list (the kernel adds to both)
        self.ever_active = np.zeros(p, dtype=np.uint8)
        self._ever = (self.ever_active, np.zeros(p, dtype=np.intp), np.zeros(1, dtype=np.int64))
        # the last two exact full passes' dual points and correlations (kernel fills, then
        # reuses)
        self.center = (np.zeros((2, n_kernel)), np.zeros((2, p)), np.zeros(2, dtype=np.uint8))
        self._scratch = enet_scratch(p)
        # dense X: Gram entries of recently active features, for sweeps over the nonzero
        # coefficients (at most _GRAM_CACHE_FEATURES of them, and fewer than the rows)
        capacity = min(p, n_kernel, _GRAM_CACHE_FEATURES)
        self._gram_cache = (enet_gram_cache(p, capacity)
                            if not sp.issparse(X) and capacity > 1 else None)
        self._bounded_unpenalized = ((self.penalty_factor == 0.0)
                                     & (np.isfinite(self.lower) | np.isfinite(self.upper)))
        self._projection = {}
        self.use_gram = _choose_gram(precompute, X, n_solves)
        self._user_gram = _checked_user_gram(precompute, p) if self.use_gram else None
        self._gram = None

    def with_target(self, y):
        """This problem with another target ``y`` (n_samples,), validated, for a multi-output
        fit: X, the sample weights, the penalty, the projection off the unpenalized columns,
        the column statistics (once a solve has filled them) and the Gram matrix G are shared,
        not recomputed; the target's own state (residual, dual points, ever-active set,
        scratch, the Gram form's X~^T sw y~) is new. Neither problem modifies what they share,
        so both may be solved at the same time on different threads."""
        other = copy.copy(self)
        p = self.n_features
        other.y = v.check_target(y, self.X.shape[0], np.float64)
        other.kernel_y = other.y if self.kernel_rows is None else other.y[self.kernel_rows]
        n_kernel = other.kernel_y.shape[0]
        other.q = np.zeros(p)
        other.residual = (np.zeros(n_kernel), np.zeros(1))
        other.ever_active = np.zeros(p, dtype=np.uint8)
        other._ever = (other.ever_active, np.zeros(p, dtype=np.intp),
                       np.zeros(1, dtype=np.int64))
        other.center = (np.zeros((2, n_kernel)), np.zeros((2, p)), np.zeros(2, dtype=np.uint8))
        other._scratch = (enet_scratch(p, max(int(self.stats[4][0]), 1)) if self.stats_ready
                          else enet_scratch(p))
        if self._gram_cache is not None:
            other._gram_cache = enet_gram_cache(p, min(p, n_kernel, _GRAM_CACHE_FEATURES))
        if self._gram is not None:
            G, _, _, xbar, _, constant = self._gram
            other._gram = (G,) + _gram_target_moments(self.X, other.y, self.weights,
                                                      self.fit_intercept, xbar, constant)
        return other

    @property
    def n_features(self):
        return self.X.shape[1]

    def cast(self, w, features=slice(None)):
        """w (the coefficients of ``features``) in X's dtype, rounded toward the inside of
        the bounds: a float32 coefficient never crosses a bound float32 cannot represent."""
        out = w.astype(self.X.dtype)
        if out.dtype != w.dtype:
            lower, upper = _per_feature(self.lower, features), _per_feature(self.upper, features)
            below, above = out < lower, out > upper
            out[below] = np.nextafter(out[below], np.inf)
            out[above] = np.nextafter(out[above], -np.inf)
        return out

    def cast_intercept(self, intercept, w, cast, features=slice(None)):
        """The intercept of the coefficients as returned, ``cast`` (``w[features]`` in X's
        dtype): with an intercept b = ybar - xbar.w, so rounding w to float32 moves every
        prediction by xbar.(w - cast), which b absorbs here (a float32 column of mean 1e6
        turned the rounding into an offset of 0.04 on the predictions)."""
        if not self.fit_intercept or cast.dtype == w.dtype:
            return intercept
        if getattr(self, "_xbar_cache", None) is None:
            self._xbar_cache = xt_dot(self.X, self.weights)      # X read in its dtype
        return float(intercept) + float(self._xbar_cache[features] @ (
            w[features] - cast.astype(np.float64)))

    def support(self, w):
        """np.flatnonzero(w) for a solution of this problem, read from the kernel's list of
        the features ever nonzero (a path's few) instead of all p."""
        if self.use_gram:
            return np.flatnonzero(w)      # the Gram kernel keeps no list
        candidates = self._ever[1][:self._ever[2][0]]
        return np.sort(candidates[w[candidates] != 0.0])

    def centered_target(self):
        """y - ybar (weighted mean when an intercept is fitted)."""
        return centered_target(self.y, self.weights, self.fit_intercept)[1]

    def alpha_max(self):
        """Smallest alpha at which w = 0 is optimal: max_j |x_j . (sw * (y - ybar))| /
        (v_j l1_ratio) over the penalized features (centering x_j changes nothing: the
        weighted residual sums to zero), one-sided for a bound at zero (positive=True counts
        only positive correlations), ignoring features pinned at zero or kept off it by their
        bounds. The residual is that of the unpenalized columns' weighted least squares fit
        (glmnet): they are in the model at every alpha. Needs l1_ratio > 0. X^T v is
        accumulated in float64 from X in its own dtype (no float64 copy of float32 X)."""
        Z, Ginv, _ = self.projection(1.0)       # weighted-centered unpenalized columns
        r = off_unpenalized(self.centered_target(), Z, Ginv, self.weights)
        corr = xt_dot(self.X, self.weights * r)
        up_only = (self.lower == 0.0) & (self.upper > 0.0)
        down_only = (self.upper == 0.0) & (self.lower < 0.0)
        corr = np.where(up_only, np.maximum(corr, 0.0),
                        np.where(down_only, np.maximum(-corr, 0.0), np.abs(corr)))
        scale = self.penalty_factor * self.l1_ratio
        eligible = np.broadcast_to((scale > 0) & (self.lower <= 0.0) & (self.upper >= 0.0)
                                   & (self.lower < self.upper), corr.shape)
        scale = np.broadcast_to(scale, corr.shape)
        if not np.any(eligible):
            return 0.0
        return float(np.max(corr[eligible] / scale[eligible]))

    def projection(self, alpha, pinned=None):
        """(Z, Ginv, free) for the columns unpenalized at this alpha (see _project), less the
        ``pinned`` ones (unpenalized coefficients held at a bound: their dual constraint is
        one-sided, x~_j.theta may not vanish there)."""
        return self._projection_entry(alpha, pinned)[:3]

    def _kernel_projection(self, alpha, pinned):
        """(Z, Ginv, free) of :meth:`projection` with Z on the kernel's rows only."""
        Z, Ginv, free, Z_kernel = self._projection_entry(alpha, pinned)
        return Z_kernel, Ginv, free

    def _projection_entry(self, alpha, pinned):
        key = (alpha == 0.0, None if pinned is None else pinned.tobytes())
        if key not in self._projection:
            free = np.ones(self.n_features, bool) if alpha == 0.0 else np.broadcast_to(
                self.penalty_factor == 0, self.n_features).copy()
            if pinned is not None:
                free &= ~pinned
            Z, Ginv, free = _project(self.X, free, self.weights, self.fit_intercept)
            Z_kernel = Z if self.kernel_rows is None else np.asfortranarray(Z[self.kernel_rows])
            self._projection = {key: (Z, Ginv, free, Z_kernel)}
        return self._projection[key]

    def solve(self, alpha, *, w=None, tol=1e-4, max_iter=1000, random=False, seed=0,
              screening=True, warm=False, strong_ratio=0.0):
        """Solve at ``alpha`` starting from ``w`` (float64, overwritten with the solution).

        Returns (w, intercept, gap, epochs, gap_tol); ``self.q`` then holds x~_j . theta at
        the last full pass (minus the gradient of the loss). A path passes ``warm=True`` when
        ``w`` is the array the previous solve returned, untouched: its residual is reused
        instead of recomputed; and ``strong_ratio = alpha_prev / alpha`` to begin with the
        sequential strong set (computed in the kernel from ``self.q`` and
        ``self.ever_active``).
        """
        p = self.n_features
        if w is None:
            w = np.zeros(p)
            warm = False
        if not warm:
            np.clip(w, self.lower, self.upper, out=w)
        pinned = None
        epochs = 0
        # An unpenalized coefficient held at a bound keeps the projected dual point infeasible
        # (its constraint is one-sided there): where such bounds exist, solve in rounds and
        # release the coefficients found at a bound from the projection between rounds.
        bounded_free = self._bounded_unpenalized if alpha > 0 else (
            np.isfinite(self.lower) | np.isfinite(self.upper))
        round_epochs = _ROUND_EPOCHS if bounded_free.any() else max_iter
        while True:
            if self.use_gram:
                intercept, gap, n_iter, gap_tol = self._solve_gram(
                    alpha, w, pinned, tol, min(round_epochs, max_iter - epochs), random, seed)
                self.last_full_passes = 0
            else:
                Z, Ginv, free = self._kernel_projection(alpha, pinned)
                intercept, gap, n_iter, gap_tol, self.last_full_passes = (
                    enet_coordinate_descent(
                        self.X, self.kernel_y, w, sample_weight=self.kernel_sw, alpha=alpha,
                        l1_ratio=self.l1_ratio, penalty_factor=self.penalty_factor,
                        lower=self.lower, upper=self.upper, free=free, Z=Z, Ginv=Ginv,
                        fit_intercept=self.fit_intercept, tol=tol,
                        max_iter=min(round_epochs, max_iter - epochs), random=random,
                        seed=seed, stats=self.stats, stats_ready=self.stats_ready,
                        q_out=self.q, residual=self.residual, residual_ready=warm,
                        ever=self._ever, center=self.center, strong_ratio=strong_ratio,
                        screen=screening, scratch=self._scratch, gram_cache=self._gram_cache,
                        rows=None if self.kernel_rows is None else self.row_runs,
                        ridge_factor=self.ridge_factor, n_threads=kernel_threads()))
            if not (self.stats_ready or self.use_gram) and self.stats[4][0] < p:
                # the working arrays need only hold the columns with variance
                self._scratch = enet_scratch(p, max(int(self.stats[4][0]), 1))
            self.stats_ready = warm = True
            epochs += n_iter
            if gap <= gap_tol or epochs >= max_iter:
                break
            at_bound = bounded_free & ((w <= self.lower) | (w >= self.upper))
            if pinned is not None:
                at_bound |= pinned
            if pinned is None and not at_bound.any():
                round_epochs = max_iter   # nothing pinned: no reason to stop again
            pinned = at_bound
        return w, intercept, gap, epochs, gap_tol

    def _solve_gram(self, alpha, w, pinned, tol, max_iter, random, seed):
        """One call of the Gram kernel; returns (intercept, gap, epochs, gap_tol)."""
        free, idx, Ginv = self._gram_projection(alpha, w, pinned)
        G, c, yy, xbar, ybar, _ = self._gram
        lower, upper, factor, ridge = self._gram_factors
        gap_tol = tol * yy
        gap, epochs = enet_gram_cd(
            G, c, yy, w, alpha=alpha, l1_ratio=self.l1_ratio,
            penalty_factor=factor, lower=lower, upper=upper,
            free=free, proj_idx=idx, Ginv=Ginv,
            tol_abs=gap_tol, max_iter=max_iter, random=random, seed=seed, ridge_factor=ridge)
        intercept = ybar - xbar @ w if self.fit_intercept else 0.0
        return intercept, gap, epochs, gap_tol

    def _gram_projection(self, alpha, w, pinned=None):
        """The Gram form (built on first use) and, at ``alpha``, the unpenalized columns
        projected out of the dual point: (free uint8 (p,), their indices, the pseudo-inverse
        of their Gram block); w's constant columns placed at their penalty's minimum."""
        if self._gram is None:
            self._gram = _gram_moments(self.X, self.y, self.weights, self.fit_intercept,
                                       user_gram=self._user_gram)
            p = self.n_features
            # per-feature arrays for the Gram kernel, made once for every alpha of a path
            self._gram_factors = tuple(
                None if a is None else np.broadcast_to(a, p).copy()
                for a in (self.lower, self.upper, self.penalty_factor, self.ridge_factor))
        G, _, _, _, _, constant = self._gram
        p = self.n_features
        lower, upper, factor, _ = self._gram_factors
        w[constant] = np.clip(0.0, lower[constant], upper[constant])
        free = np.ones(p, bool) if alpha == 0.0 else factor == 0
        if pinned is not None:
            free &= ~pinned
        free &= ~constant
        idx = np.flatnonzero(free)
        Ginv = _scaled_pinv(G[np.ix_(idx, idx)]) if idx.size else np.zeros((0, 0), order="F")
        return free.astype(np.uint8), idx.astype(np.intp), Ginv

    def compiled_path_applies(self, alphas):
        """Whether :meth:`gram_path` can solve the whole path at ``alphas``: the Gram form,
        every alpha > 0 (one projection for all) and no unpenalized coefficient with a bound
        (those are solved in rounds, see :meth:`solve`)."""
        return (self.use_gram and len(alphas) > 0 and bool(np.all(np.asarray(alphas) > 0))
                and not self._bounded_unpenalized.any())

    def gram_path(self, alphas, w, *, tol, max_iter, random, seeds):
        """Solve at every alpha of a path in compiled code (``enet_gram_path``), warm-started
        from ``w`` (overwritten with the last solution). Returns (W (p, n) float64, gaps,
        epochs, deviance sum_i sw_i r_i^2 / sum_i sw_i, seconds, intercepts, gap_tol), the
        arrays cut to the alphas solved (all, unless interrupted: then KeyboardInterrupt)."""
        alphas = np.ascontiguousarray(alphas, dtype=np.float64)
        n = alphas.size
        free, idx, Ginv = self._gram_projection(alphas[0], w)
        G, c, yy, xbar, ybar, _ = self._gram
        lower, upper, factor, ridge = self._gram_factors
        W = np.zeros((self.n_features, n), order="F")
        gaps, rss, seconds = np.empty(n), np.empty(n), np.empty(n)
        epochs = np.empty(n, dtype=np.intp)
        gap_tol = tol * yy
        enet_gram_path(G, c, yy, alphas, w, W, l1_ratio=self.l1_ratio, penalty_factor=factor,
                       lower=lower, upper=upper, free=free, proj_idx=idx, Ginv=Ginv,
                       tol_abs=gap_tol, max_iter=max_iter,
                       seeds=np.ascontiguousarray(seeds, dtype=np.uint64), random=random,
                       ridge_factor=factor if ridge is None else ridge, gaps=gaps,
                       epochs=epochs, rss=rss, seconds=seconds)
        self.stats_ready = True
        intercepts = ybar - xbar @ W if self.fit_intercept else np.zeros(n)
        return W, gaps, epochs, rss, seconds, intercepts, gap_tol


def _row_runs(rows):
    """Increasing row indices as runs [start_0, stop_0, start_1, stop_1, ...] (intp)."""
    breaks = np.flatnonzero(np.diff(rows) != 1) + 1
    starts = rows[np.concatenate(([0], breaks))]
    stops = rows[np.concatenate((breaks - 1, [rows.size - 1]))] + 1
    return np.ascontiguousarray(np.column_stack((starts, stops)).ravel(), dtype=np.intp)


def _compact(values):
    """``values`` as one element when all are equal (broadcast by every consumer)."""
    return values[:1].copy() if np.all(values == values[0]) else values


def _per_feature(values, features):
    """``values[features]`` for a per-feature array that may be compacted to one value."""
    return values if values.size == 1 else values[features]


# Rows per block when the Gram matrix is accumulated (bounds the temporary copies).
_GRAM_BLOCK_VALUES = 1 << 22
# Largest p for which the p x p Gram matrix is considered.
_GRAM_MAX_FEATURES = 4000


def _is_gram_array(precompute):
    """Whether ``precompute`` is a user's Gram matrix (array-like, not a flag)."""
    return not isinstance(precompute, (str, bool, np.bool_)) and np.ndim(precompute) > 0


def _choose_gram(precompute, X, n_solves):
    """Whether to solve from the Gram matrix (see EnetProblem)."""
    if precompute is False:
        return False
    if precompute is True or _is_gram_array(precompute):
        return not sp.issparse(X)      # the Gram form is dense-only
    if not isinstance(precompute, str) or precompute != "auto":
        raise ValueError(f"precompute must be True, False, 'auto' or a (p, p) Gram matrix, got "
                         f"{precompute!r}.")
    n, p = X.shape
    if sp.issparse(X) or n < 2 * p or p > _GRAM_MAX_FEATURES:
        return False
    # one n p^2 BLAS product (~15x faster per flop than coordinate descent) against about
    # five passes of n p per solve
    return p < 75 * max(int(n_solves), 1)


def _checked_user_gram(precompute, n_features):
    """The user's Gram matrix as a float64 array after the O(p^2) checks (None for a flag)."""
    if not _is_gram_array(precompute):
        return None
    G = np.asarray(precompute)
    if G.shape != (n_features, n_features):
        raise ValueError(f"precompute as a Gram matrix must have shape ({n_features}, "
                         f"{n_features}) (n_features squared), got {G.shape}.")
    if G.dtype.kind not in "fiu":
        raise ValueError(f"precompute as a Gram matrix must be numeric, got {G.dtype}.")
    G = G.astype(np.float64, copy=False)
    if not np.all(np.isfinite(G)):
        raise ValueError("precompute (the Gram matrix) contains NaN or infinity.")
    if not np.allclose(G, G.T, rtol=1e-7, atol=1e-10 * np.max(np.abs(np.diag(G)), initial=0)):
        raise ValueError("precompute (the Gram matrix) is not symmetric.")
    return G


def _user_gram_matches(G_user, X, weights, xbar):
    """A spot check of a user's Gram matrix, as scikit-learn's: entries (i, i) and (i, i+1),
    i = p // 2, against n * sum_k sw_k x~_ki x~_kj (sw summing to 1, so s' = n sw)."""
    n, p = X.shape
    i, j = p // 2, min(p // 2 + 1, p - 1)
    cols = np.asarray(X[:, [i, j]], dtype=np.float64) - xbar[[i, j]]
    expected = n * np.array([weights @ (cols[:, 0] * cols[:, 0]),
                             weights @ (cols[:, 0] * cols[:, 1])])
    rtol = 1e-4 if X.dtype == np.float32 else 1e-7
    actual = np.array([G_user[i, i], G_user[i, j]])
    if not np.allclose(actual, expected, rtol=rtol, atol=1e-5):
        raise ValueError(f"The Gram matrix passed as precompute does not match X: entries "
                         f"[{i}, {i}], [{i}, {j}] are {actual.tolist()}, X gives "
                         f"{expected.tolist()}. It must be X_c^T diag(s') X_c with X_c centered "
                         "when fit_intercept=True and s' the sample weights scaled to sum to "
                         "n_samples (X^T X for unit weights), as scikit-learn expects.")


def _gram_moments(X, y, weights, fit_intercept, user_gram=None):
    """G = X~^T diag(sw) X~, c = X~^T diag(sw) y~, yy = y~^T diag(sw) y~, the means, and
    the constant columns (zeroed in G). X~ is centered block by block (no cancellation for
    columns with large means, no full copy of X). ``user_gram``: the user's Gram matrix (see
    EnetProblem), which replaces the n p^2 product by n p work when it applies. Raises
    ValueError, as the kernel does, when a column's sum of squares overflows."""
    n, p = X.shape
    xbar = xt_dot(X, weights) if fit_intercept else np.zeros(p)   # X read in its dtype
    ybar = weights @ y if fit_intercept else 0.0
    ytil = y - ybar
    if user_gram is not None and fit_intercept and not np.allclose(xbar, 0.0):
        warnings.warn("Gram matrix was provided but X was centered to fit intercept: "
                      "recomputing Gram matrix.", UserWarning, stacklevel=5)
        user_gram = None
    if user_gram is not None:
        _user_gram_matches(user_gram, X, weights, xbar)
        G = np.multiply(user_gram, 1.0 / n, order="F")       # a copy: zeroed below
        # X~^T sw y~ = X^T sw y~ - xbar (sw . y~), and sw . y~ = 0 with an intercept
        c = xt_dot(X, weights * ytil)
        has_value = np.diag(G) != 0.0        # no intercept: G_jj = sum_i sw_i x_ij^2
    else:
        G = np.zeros((p, p), order="F")
        c = np.zeros(p)
        has_value = np.zeros(p, dtype=bool)
        step = max(1, _GRAM_BLOCK_VALUES // p)
        with np.errstate(over="ignore", invalid="ignore"):  # checked on G's diagonal below
            for start in range(0, n, step):
                rows = slice(start, min(start + step, n))
                block = np.subtract(X[rows], xbar)    # one float64 block, X's rows read in place
                weighted = block * weights[rows, np.newaxis]
                G += block.T @ weighted
                c += weighted.T @ ytil[rows]
                if not fit_intercept:
                    has_value |= np.any(block != 0, axis=0)
    yy = float(weights @ (ytil * ytil))
    constant = np.ptp(X, axis=0) == 0 if fit_intercept else ~has_value
    G[constant, :] = 0.0
    G[:, constant] = 0.0
    c[constant] = 0.0
    if not np.all(np.isfinite(np.diag(G))):
        raise_overflowing_columns(np.diag(G), np.diag(G))
    return G, c, yy, xbar, ybar, constant


def _gram_target_moments(X, y, weights, fit_intercept, xbar, constant):
    """(c, yy, xbar, ybar, constant) of :func:`_gram_moments` for another target y, the
    Gram matrix kept: c = X~^T diag(sw) y~ = X^T (sw y~) (sw y~ sums to 0 with an
    intercept, and xbar = 0 without), yy = y~^T diag(sw) y~; one pass over X."""
    ybar = weights @ y if fit_intercept else 0.0
    ytil = y - ybar
    c = xt_dot(X, weights * ytil)
    c[constant] = 0.0
    return c, float(weights @ (ytil * ytil)), xbar, ybar, constant


def enet_solve(X: MatrixLike, y: ArrayLike, *, alpha: float, l1_ratio: float = 1.0,
               sample_weight: ArrayLike | None = None, penalty_factor: ArrayLike | None = None,
               lower_bounds: float | ArrayLike | None = None,
               upper_bounds: float | ArrayLike | None = None, positive: bool = False,
               fit_intercept: bool = True, tol: float = 1e-4, max_iter: int = 1000,
               selection: Literal["cyclic", "random"] = "cyclic", random_state: Seed = None,
               coef_init: ArrayLike | None = None, screening: bool = True,
               precompute: bool | Literal["auto"] | ArrayLike = "auto", warn: bool = True,
               check_input: bool = True, standardize: bool = False) -> EnetSolution:
    """Fit one Elastic Net; see the module docstring for the objective and
    :class:`EnetProblem` for when X is copied (``standardize``: ``l1core._standardize``).
    Returns an :class:`EnetSolution`.

    Examples
    --------
    >>> import numpy as np
    >>> from l1core.datasets import load_diabetes
    >>> X, y, names = load_diabetes()
    >>> from l1core import enet_solve
    >>> solution = enet_solve(X, y, alpha=1.0)
    >>> np.flatnonzero(solution.coef), solution.converged
    (array([2, 3, 8]), True)
    >>> bool(solution.dual_gap <= solution.gap_tol)
    True
    """
    problem = EnetProblem(X, y, l1_ratio=l1_ratio, standardize=standardize,
                          sample_weight=sample_weight,
                          penalty_factor=penalty_factor, lower_bounds=lower_bounds,
                          upper_bounds=upper_bounds, positive=positive,
                          fit_intercept=fit_intercept, precompute=precompute,
                          check_input=check_input)
    options = solve_options(alpha, tol, max_iter, selection, random_state, screening, warn)
    w = None if coef_init is None else v.check_coef_init(coef_init, problem.n_features,
                                                         np.float64)
    return solve_checked(problem, w, options, stacklevel=4)


def solve_options(alpha, tol, max_iter, selection, random_state, screening, warn):
    """The checked per-solve options of :func:`enet_solve`, as a dict for
    :func:`solve_checked` (warns once for alpha = 0)."""
    alpha = v.check_alpha(alpha)
    random = v.check_selection(selection) == "random"
    seed = int(v.check_random_state(random_state).integers(2**63)) if random else 0
    if alpha == 0.0 and warn:
        warnings.warn("With alpha=0 the problem is ordinary least squares; coordinate descent "
                      "converges slowly on it and the fit may not be unique.", UserWarning,
                      stacklevel=3)
    return dict(alpha=alpha, tol=v.check_tol(tol), max_iter=v.check_max_iter(max_iter),
                random=random, seed=seed, screening=screening, warn=warn)


def solve_checked(problem, w, options, stacklevel=3):
    """One solve of ``problem`` from ``w`` (None or checked float64) with checked options;
    returns an :class:`EnetSolution`."""
    max_iter = options["max_iter"]
    w, intercept, gap, n_iter, gap_tol = problem.solve(
        options["alpha"], w=w, tol=options["tol"], max_iter=max_iter,
        random=options["random"], seed=options["seed"], screening=options["screening"])
    converged = gap <= gap_tol
    if options["warn"]:
        warn_unfinished(w, intercept, n_iter, max_iter, gap, gap_tol, stacklevel=stacklevel)
    coef = problem.cast(w)
    intercept = problem.cast_intercept(intercept, w, coef)
    return EnetSolution(coef=coef, intercept=float(intercept),
                        dual_gap=float(gap), n_iter=int(n_iter), gap_tol=float(gap_tol),
                        converged=bool(converged))


def warn_unfinished(w, intercept, n_iter, max_iter, gap, gap_tol, stacklevel=2, where="",
                    alpha=None):
    """After a solve: a NumericalWarning when its gap, coefficients ``w`` or intercept are not
    finite (a NaN gap compares as converged), else the ConvergenceWarning when max_iter
    stopped it short of tol. Returns whether it warned. ``alpha``: the message names it
    (along a path; formatted only when a warning is raised)."""
    finite = math.isfinite(gap) or gap == math.inf
    if finite and gap <= gap_tol and math.isfinite(intercept) and np.isfinite(w.sum()):
        return False                                  # the common case, cheaply
    if alpha is not None:
        where = f" at alpha={alpha:.4g}"
    if not finite or not (math.isfinite(intercept) and np.all(np.isfinite(w))):
        warnings.warn(f"The solve{where} ended with non-finite values (duality gap {gap}, "
                      f"{np.count_nonzero(~np.isfinite(w))} non-finite coefficients, intercept "
                      f"{intercept}): the result is not certified. Check the scale of X and y.",
                      NumericalWarning, stacklevel=stacklevel + 1)
        return True
    if gap > gap_tol:
        warn_not_converged(n_iter, max_iter, gap, gap_tol, stacklevel + 1, where)
        return True
    return False


def warn_not_converged(n_iter, max_iter, gap, gap_tol, stacklevel=2, where=""):
    """The ConvergenceWarning every solver raises when max_iter stops it short of tol (an
    infinite gap: no dual point could certify the iterate, which the message says)."""
    why = "" if gap < np.inf else (
        " (no certificate: the dual point could not be made feasible, e.g. orthogonal to the "
        "unpenalized columns, to rounding)")
    warnings.warn(f"Objective did not converge{where} after {n_iter} epochs (max_iter="
                  f"{max_iter}): duality gap {gap:.3e} > tolerance {gap_tol:.3e}{why}. Increase "
                  f"max_iter, loosen tol or raise alpha.", convergence_warning(),
                  stacklevel=stacklevel + 1)


def _scaled_pinv(G):
    """Pseudo-inverse of a symmetric positive semidefinite G, invariant to the scales of its
    columns: D^-1 pinv(D^-1 G D^-1) D^-1 with D = sqrt(diag G), eigenvalues below
    _RANK_RCOND of the largest dropped (they are rounding: eigh is exact to eps of the largest)."""
    d = np.sqrt(np.diag(G))
    d = np.where(d > 0.0, d, 1.0)
    lam, V = np.linalg.eigh(G / d[:, None] / d[None, :])
    keep = lam > _RANK_RCOND * max(lam[-1], np.finfo(float).tiny)
    V = V[:, keep] / d[:, None]
    return np.asfortranarray((V / lam[keep]) @ V.T)


def _project(X, free, weights, fit_intercept):
    """The unpenalized columns as a basis B of their span, orthonormal for the weights, and
    Ginv = (B^T diag(sw) B)^-1 (the identity up to rounding): the projection off them is
    r - B Ginv B^T (sw * r), whatever their scales (``Ginv`` keeps the kernels' form).

    Returns (B, Ginv, free) with B of shape (n, k); free is cleared when the block would be
    too large to hold (see _MAX_PROJECTED_VALUES). The weighted-centered columns are scaled to
    unit weighted norm and factored by a column-pivoted QR of diag(sqrt(sw)) Z (columns
    scaled over 1e-8..1e8 or with large means keep their directions, where a pseudo-inverse
    of the Gram Z^T diag(sw) Z cut them off); columns dependent on the others up to
    _RANK_RCOND are dropped from B (they stay unpenalized: they lie in its span). Rows of
    weight zero have B = 0 (the dual point vanishes there). Makes the dense (n, k) copy.
    """
    n = X.shape[0]
    idx = np.flatnonzero(free)
    if idx.size == 0 or idx.size * n > _MAX_PROJECTED_VALUES:
        return (np.zeros((n, 0), order="F"), np.zeros((0, 0), order="F"),
                np.zeros(X.shape[1], dtype=np.uint8))
    cols = X[:, idx]
    Z = np.array(cols.toarray() if sp.issparse(cols) else cols, dtype=np.float64, order="F")
    if fit_intercept:
        Z -= weights @ Z
    root = np.sqrt(weights)
    A = root[:, None] * Z
    norms = np.linalg.norm(A, axis=0)
    A /= np.where(norms > 0.0, norms, 1.0)
    Q, R, _ = scipy.linalg.qr(A, mode="economic", pivoting=True)
    diag = np.abs(np.diag(R))
    rank = int(np.count_nonzero(diag > _RANK_RCOND * max(diag[0], np.finfo(float).tiny)))
    B = np.zeros((n, rank), order="F")
    kept = root > 0.0
    B[kept] = Q[kept, :rank] / root[kept, None]
    Ginv = np.asfortranarray(np.linalg.inv(B.T @ (weights[:, None] * B))) if rank else (
        np.zeros((0, 0), order="F"))
    return B, Ginv, free.astype(np.uint8)
