"""glmnet's relaxed Lasso (``relax=True``): refit without penalty on each solution's support,
then blend,

    coef(gamma) = gamma * coef_penalized + (1 - gamma) * coef_relaxed,   0 <= gamma <= 1,

(the intercepts alike): gamma = 1 is the Lasso / Elastic Net, gamma = 0 the least-squares
refit on its support (Meinshausen 2007; Hastie, Tibshirani, Tibshirani 2020), which removes the
shrinkage of the selected coefficients.

The refit on a support S solves the weighted least squares problem

    min_{beta, b} sum_i s_i (y_i - x_iS . beta - b)^2

(b only with an intercept) on the columns of S gathered densely from the rows of nonzero weight
(``|rows| x |S|`` values, never a copy of all of X), by a pivoted least-squares solve of the
weighted, centered block: its normal equations ``A_S^T diag(s) (y - A_S beta - b) = 0`` hold
to rounding. When ``|S|`` exceeds the rows (or the block is rank deficient) the minimum-norm
solution is taken, as ``lstsq`` gives it. Bounds are not supported (a bounded refit is no
longer least squares): the callers refuse them.
"""

import numpy as np
import scipy.linalg
import scipy.sparse as sp

from . import _validation as v

__all__ = ["check_gammas", "relaxed_refits", "blend"]

DEFAULT_GAMMAS = (0.0, 0.25, 0.5, 0.75, 1.0)


def check_gammas(gammas):
    """glmnet's ``gamma``: a non-empty 1-D sequence of values in [0, 1] (sorted, unique)."""
    values = np.unique(np.asarray([v._check_real(g, "gammas", low=0.0, high=1.0)
                                   for g in np.atleast_1d(np.asarray(gammas, dtype=object))],
                                  dtype=np.float64))
    if values.size == 0:
        raise ValueError("gammas must hold at least one value in [0, 1].")
    return values


def check_relax_allowed(lower_bounds, upper_bounds, positive=False):
    """Refuse the user's bounds with ``relax=True`` (the refit is unbounded least squares);
    None is no bound."""
    bounded = bool(positive) or any(
        bound is not None and np.any(np.isfinite(np.asarray(bound, dtype=float)))
        for bound in (lower_bounds, upper_bounds))
    if bounded:
        raise ValueError("relax=True does not support bounds (lower_bounds, upper_bounds, "
                         "positive): the relaxed fit is unbounded least squares.")


def _gather(X, rows, support):
    """``X[rows][:, support]`` as a dense float64 Fortran block (only those values)."""
    if sp.issparse(X):
        block = X[:, support] if X.format == "csc" else X[rows]
        block = block[rows] if X.format == "csc" else block[:, support]
        return np.asfortranarray(block.toarray(), dtype=np.float64)
    return np.asfortranarray(X[np.ix_(rows, support)], dtype=np.float64)


def least_squares_on(X, y, weights, rows, support, fit_intercept):
    """(beta (|S|,), b, A, ybar-free residual helpers): the weighted least-squares refit on
    ``support`` over ``rows`` (weights > 0, normalized to sum 1 on them). Returns
    (beta, intercept, A) with A the gathered block (for the callers' residuals)."""
    A = _gather(X, rows, support)
    w = weights[rows]
    yr = y[rows]
    xbar = w @ A if fit_intercept else np.zeros(support.size)
    ybar = float(w @ yr) if fit_intercept else 0.0
    root = np.sqrt(w)
    if support.size == 0:
        return np.zeros(0), ybar, A
    Ac = (A - xbar) * root[:, None]
    beta = scipy.linalg.lstsq(Ac, (yr - ybar) * root, cond=None,
                              lapack_driver="gelsy")[0]
    return beta, ybar - float(xbar @ beta), A


def relaxed_refits(X, y, sample_weight, coefs, intercepts, fit_intercept):
    """The relaxed fit of every solution of a path: its least-squares refit on the support.

    X: as validated (dense Fortran, CSC, CSR); y (n,) float64 (already shifted by any offset);
    sample_weight (n,) float64 or None; coefs (p, n_alphas) dense or sparse, intercepts
    (n_alphas,). A support shared by consecutive alphas is refit once.

    Returns (relaxed coefs as CSC (p, n_alphas) float64, relaxed intercepts (n_alphas,),
    stats): stats (3, n_alphas) hold, per alpha, sum_i sw_i r_i^2 of the penalized and of the
    relaxed fit and sum_i sw_i r_i r'_i (sw normalized), from which the deviance of any blend
    follows: dev(gamma) = g^2 dev_p + (1-g)^2 dev_r + 2 g (1-g) cross."""
    n = X.shape[0]
    s = np.ones(n) if sample_weight is None else np.asarray(sample_weight, dtype=np.float64)
    rows = np.flatnonzero(s > 0)
    weights = s / s.sum()
    C = sp.csc_matrix(coefs)
    C.sort_indices()
    n_alphas = C.shape[1]
    data, indices, indptr = [], [], [0]
    relaxed_b = np.empty(n_alphas)
    stats = np.empty((3, n_alphas))
    previous = None
    for k in range(n_alphas):
        support = C.indices[C.indptr[k]:C.indptr[k + 1]].astype(np.intp)
        if previous is None or not np.array_equal(support, previous[0]):
            beta, b, A = least_squares_on(X, y, weights, rows, support, fit_intercept)
            residual = y[rows] - (A @ beta if support.size else 0.0) - b
            previous = (support, beta, b, A, residual)
        _, beta, b, A, residual = previous
        w_pen = np.asarray(C.data[C.indptr[k]:C.indptr[k + 1]], dtype=np.float64)
        r_pen = y[rows] - (A @ w_pen if support.size else 0.0) - float(intercepts[k])
        wr = weights[rows]
        stats[:, k] = (wr @ (r_pen * r_pen), wr @ (residual * residual), wr @ (r_pen * residual))
        data.append(beta)
        indices.append(support)
        indptr.append(indptr[-1] + support.size)
        relaxed_b[k] = b
    relaxed = sp.csc_matrix((np.concatenate(data) if data else np.zeros(0),
                             np.concatenate(indices) if indices else np.zeros(0, np.intp),
                             np.asarray(indptr)), shape=C.shape)
    return relaxed, relaxed_b, stats


def blend(gamma, penalized, relaxed):
    """``gamma * penalized + (1 - gamma) * relaxed`` (arrays or sparse matrices alike)."""
    return gamma * penalized + (1.0 - gamma) * relaxed


# --------------------------------------------------------------------------- cross-validation


def relaxed_fold_residuals(X, y, fold_sw, rows, coefs, intercepts, fit_intercept, gammas,
                           predict_rows):
    """Test residuals (n_gammas, len(rows), n_alphas) of a fold's path blended at each gamma:
    the refits use the fold's training weights ``fold_sw`` (zero outside training), the
    predictions (linear in gamma) are computed once for the penalized and once for the
    relaxed path (``predict_rows(X, rows, coefs, intercepts)``) and blended."""
    relaxed, relaxed_b, _ = relaxed_refits(X, y, fold_sw, coefs, intercepts, fit_intercept)
    penalized = predict_rows(X, rows, sp.csc_matrix(coefs), intercepts) - y[rows, np.newaxis]
    refit = predict_rows(X, rows, relaxed, relaxed_b) - y[rows, np.newaxis]
    return np.stack([blend(g, penalized, refit) for g in gammas])


def one_se_relaxed(mean, std, n_folds, k_min, g_min, grid, gammas):
    """(alpha_1se, gamma_1se) for the (n_gammas, n_alphas) mean test errors at one
    l1_ratio: among the (gamma, alpha) whose mean error is at most the minimum plus its
    standard error ``std[g_min, k_min] / sqrt(n_folds)``, the largest alpha (the sparsest
    model), then at that alpha the largest gamma (the most shrunk)."""
    threshold = mean[g_min, k_min] + std[g_min, k_min] / np.sqrt(n_folds)
    within = mean <= threshold
    k = int(np.flatnonzero(within.any(axis=0))[0])          # grid decreasing: largest alpha
    g = int(np.flatnonzero(within[:, k])[-1])                # gammas increasing: largest
    return float(grid[k]), float(gammas[g])


def relaxed_refit(model, X, y, sample_weight, gamma):
    """Blend a fitted ElasticNet ``model`` with its least-squares refit on its support, in
    place: ``coef_ = gamma coef_ + (1 - gamma) refit`` (intercept alike); the penalized fit
    is kept as ``penalized_coef_`` / ``penalized_intercept_``."""
    n = X.shape[0]
    s = np.ones(n) if sample_weight is None else np.asarray(sample_weight, dtype=np.float64)
    rows = np.flatnonzero(s > 0)
    support = np.flatnonzero(model.coef_)
    beta, b, _ = least_squares_on(X, y, s / s.sum(), rows, support, model.fit_intercept)
    refit = np.zeros(model.coef_.shape[0])
    refit[support] = beta
    model.penalized_coef_, model.penalized_intercept_ = model.coef_, model.intercept_
    model.coef_ = blend(gamma, model.coef_.astype(np.float64), refit).astype(model.coef_.dtype)
    model.intercept_ = float(blend(gamma, model.intercept_, b if model.fit_intercept else 0.0))
    return model
