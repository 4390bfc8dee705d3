"""``lars_path``: the LARS / LARS-Lasso path, knot by knot, with scikit-learn's signature.

The compiled loop is in ``src/_lars.pyx``; this file validates the input once and turns the
kernel's events into warnings.
"""

from __future__ import annotations

import numbers
import warnings

import numpy as np
import scipy.sparse as sp

from .._typing import Any, ArrayLike, Literal, MatrixLike

from .._estimator_base import convergence_warning
from .._validation import check_design, check_target
try:
    from .._lars import lars_kernel
except ModuleNotFoundError as _exc:       # the kernel was not built: say how to build it
    from .. import _unbuilt
    raise _unbuilt(_exc) from None

__all__ = ["lars_path", "lars_path_gram"]


def _check_method(method, positive):
    if method not in ("lar", "lasso"):
        raise ValueError(f"method must be 'lar' or 'lasso', got {method!r}.")
    if method == "lar" and positive:
        raise ValueError("Positive constraint not supported for 'lar' coding method.")


def _check_count(max_iter):
    """max_iter as a machine integer (np.inf: no limit)."""
    if isinstance(max_iter, (bool, np.bool_)):
        raise TypeError(f"max_iter must be an integer or np.inf, got {max_iter!r}.")
    if isinstance(max_iter, numbers.Real) and max_iter == np.inf:
        return np.iinfo(np.intp).max
    if not isinstance(max_iter, numbers.Integral):
        raise TypeError(f"max_iter must be an integer or np.inf, got {max_iter!r}.")
    if max_iter < 0:
        raise ValueError(f"max_iter must be >= 0, got {max_iter}.")
    return int(max_iter)


def _check_nonneg(value, name, strict=False):
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, numbers.Real):
        raise TypeError(f"{name} must be a real number, got {value!r}.")
    value = float(value)
    if not np.isfinite(value) or value < 0 or (strict and value == 0):
        raise ValueError(f"{name} must be {'> 0' if strict else '>= 0'} and finite, "
                         f"got {value!r}.")
    return value


def _check_gram(Gram, n_features):
    G = np.asarray(Gram)
    if G.ndim != 2 or G.shape != (n_features, n_features):
        raise ValueError(f"The shapes of the inputs Gram and Xy do not match: Gram has shape "
                         f"{G.shape}, expected ({n_features}, {n_features}).")
    if G.dtype.kind not in "biuf":
        raise TypeError(f"Gram must be numeric, got dtype {G.dtype}.")
    if not (G.flags.c_contiguous or G.flags.f_contiguous) or G.dtype != np.float64:
        G = np.ascontiguousarray(G, dtype=np.float64)   # the kernel reads doubles in place
    if not np.all(np.isfinite(G)):
        raise ValueError("Gram contains NaN or infinity.")
    return G


def _warn_events(events):
    """scikit-learn's two warnings, once per path."""
    if events["degenerate"]:
        it, alpha, n_active, pivot = events["first_degenerate"]
        warnings.warn(
            f"Regressors in active set degenerate. Dropping a regressor, after {it} "
            f"iterations, i.e. alpha={alpha:.3e}, with an active set of {n_active} "
            f"regressors, and the smallest cholesky pivot element being {pivot:.3e}"
            + (f" ({events['degenerate']} columns skipped in all)."
               if events["degenerate"] > 1 else ".")
            + " Reduce max_iter or increase eps parameters.",
            convergence_warning(), stacklevel=3)
    if events["early_stop"]:
        it, alpha, prev, n_active = events["early"]
        warnings.warn(
            "Early stopping the lars path, as the residues are small and the current value "
            f"of alpha is no longer well controlled. {it} iterations, alpha={alpha:.3e}, "
            f"previous alpha={prev:.3e}, with an active set of {n_active} regressors.",
            convergence_warning(), stacklevel=3)


def run_lars(X, storage, y, *, xbar=None, xq=None, Xy=None, Gram=None, n_samples=None, max_iter=500,
             alpha_min=0.0, method="lar", eps=np.finfo(float).eps, return_path=True,
             positive=False, dtype=np.float64, max_active=None):
    """The path on validated input (``check_design`` output, float64 ``y``; ``xbar`` the
    column means when sparse X is centered implicitly, as x_j - xbar_j xq (``xq`` None:
    ones), ``y`` then centered). Returns
    (alphas, active, coefs (n_features, n_knots) or (n_features,), n_iter). The path stops
    when ``max_active`` columns are active (default: n_samples, the largest rank of X)."""
    if max_active is None:
        max_active = y.shape[0] if X is not None else np.iinfo(np.intp).max
    if Gram is not None:
        p = Gram.shape[0]
        cov = (np.array(Xy, dtype=np.float64) if Xy is not None
               else np.asarray(X.T @ y, dtype=np.float64).ravel())
        xy = cov.copy()
        n_samples = y.shape[0] if n_samples is None else n_samples
        alphas, active, coefs, n_iter, events = lars_kernel(
            Gram, "gram", np.zeros(0) if y is None else y, cov, xy=xy, n_samples=n_samples,
            max_iter=max_iter, max_active=max_active, alpha_min=alpha_min, eps=eps,
            lasso=method == "lasso", positive=positive, return_path=return_path)
    else:
        if Xy is not None:
            cov = np.array(Xy, dtype=np.float64)
        else:
            cov = np.asarray(X.T @ y, dtype=np.float64).ravel()
            if xbar is not None:
                cov -= xbar * (y.sum() if xq is None else xq @ y)
        alphas, active, coefs, n_iter, events = lars_kernel(
            X, storage, y, cov, xbar=xbar, xq=xq, n_samples=y.shape[0] if n_samples is None
            else n_samples, max_iter=max_iter, max_active=max_active, alpha_min=alpha_min, eps=eps,
            lasso=method == "lasso", positive=positive, return_path=return_path)
    _warn_events(events)
    coefs = coefs.T.astype(dtype, copy=False)
    return alphas.astype(dtype, copy=False), active, coefs, n_iter


def lars_path(X: MatrixLike | None, y: ArrayLike | None, Xy: ArrayLike | None = None, *,
              Gram: ArrayLike | str | bool | None = None, max_iter: int | float = 500,
              alpha_min: float = 0, method: Literal["lar", "lasso"] = "lar",
              copy_X: bool = True, eps: float = np.finfo(float).eps, copy_Gram: bool = True,
              verbose: int | bool = 0, return_path: bool = True, return_n_iter: bool = False,
              positive: bool = False) -> tuple[Any, ...]:
    """The Least Angle Regression (``method="lar"``) or Lasso (``"lasso"``) path, every knot
    exact (Efron, Hastie, Johnstone & Tibshirani 2004).

    For the Lasso, the knots are the alphas where the active set changes, for the objective
    ``1/(2 n_samples) ||y - X w||^2 + alpha ||w||_1``; between knots the solution is linear
    in alpha. ``alphas[k] = max_j |x_j . r_k| / n_samples`` at knot k. Signature, return
    values and decisions (ties, collinear columns) are scikit-learn's ``lars_path``.

    Parameters
    ----------
    X : array-like or sparse matrix (CSC/CSR) of shape (n_samples, n_features), or None
        Read in place, never modified (``copy_X`` is accepted and ignored: the kernel keeps
        a permutation instead of swapping columns). Dense input that is not
        Fortran-ordered float32/float64 is copied once (``check_design``). Sparse X is
        never densified. No intercept: center X and y first (the estimators do).
    y : array-like of shape (n_samples,)
    Xy : array-like of shape (n_features,), default=None
        ``X.T @ y`` if known.
    Gram : None, "auto", True or array of shape (n_features, n_features), default=None
        Precomputed ``X.T @ X`` ("auto": computed when n_samples > n_features, dense X).
    max_iter : int or np.inf, default=500
    alpha_min : float, default=0
        The path stops at this alpha (the last knot interpolated to it).
    method : {"lar", "lasso"}, default="lar"
    eps : float, default=machine epsilon
        Floor of the Cholesky pivots.
    return_path : bool, default=True
        False: only the last knot.
    return_n_iter : bool, default=False
    positive : bool, default=False
        Coefficients >= 0 (method "lasso" only). Once every inactive correlation lies below
        the active one, no column enters and the last segment runs on to alpha = 0 (or
        ``alpha_min``): its knot is the positive Lasso's, where scikit-learn's stops at the
        largest inactive correlation and returns coefficients that are not optimal.
    copy_Gram, verbose : accepted for compatibility (Gram is never modified; no output).

    Returns
    -------
    alphas : ndarray of shape (n_knots,) (return_path=False: shape (1,))
    active : list of int
        The active features at the end of the path, in order of entry.
    coefs : ndarray of shape (n_features, n_knots) (return_path=False: (n_features,))
    n_iter : int
        Only with ``return_n_iter=True``.

    Examples
    --------
    >>> from l1core import lars_path
    >>> from l1core.datasets import load_diabetes
    >>> X, y, names = load_diabetes()
    >>> alphas, active, coefs = lars_path(X, y - y.mean(), method="lasso")
    >>> [names[j] for j in active[:3]]
    ['bmi', 's5', 'bp']
    >>> coefs.shape[0], bool(alphas[0] > alphas[1] > alphas[2])
    (10, True)
    """
    _check_method(method, positive)
    max_iter = _check_count(max_iter)
    alpha_min = _check_nonneg(alpha_min, "alpha_min")
    eps = _check_nonneg(eps, "eps", strict=True)
    if X is None:
        if Gram is None or isinstance(Gram, str) or Gram is True or Gram is False:
            raise ValueError("X and Gram cannot both be unspecified.")
        storage, dtype = None, np.float64
    else:
        X, storage = check_design(X)
        dtype = X.dtype
    if isinstance(Gram, str):
        if Gram != "auto":
            raise ValueError(f"Gram must be None, 'auto', a boolean or an array, got {Gram!r}.")
        Gram = (X.T @ X if storage == "dense" and X.shape[0] > X.shape[1] else None)
    elif Gram is True:
        Gram = X.T @ X
        Gram = Gram.toarray() if sp.issparse(Gram) else Gram
    elif Gram is False:
        Gram = None
    n_features = X.shape[1] if X is not None else np.asarray(Gram).shape[0]
    if Gram is not None:
        Gram = _check_gram(Gram, n_features)
    if y is None:
        if X is not None or Xy is None:
            raise ValueError("y is required unless Gram and Xy are given.")
        y64 = None
    else:
        y64 = check_target(y, X.shape[0] if X is not None else np.asarray(y).shape[0],
                           np.float64)
    if Xy is not None:
        Xy = np.asarray(Xy, dtype=np.float64).ravel()
        if Xy.shape != (n_features,) or not np.all(np.isfinite(Xy)):
            raise ValueError(f"Xy must hold {n_features} finite numbers, got shape {Xy.shape}.")
    alphas, active, coefs, n_iter = run_lars(
        X, storage, y64, Xy=Xy, Gram=Gram, max_iter=max_iter, alpha_min=alpha_min,
        method=method, eps=eps, return_path=return_path, positive=positive, dtype=dtype)
    return (alphas, active, coefs, n_iter) if return_n_iter else (alphas, active, coefs)


def lars_path_gram(Xy: ArrayLike, Gram: ArrayLike, *, n_samples: int | float,
                   max_iter: int | float = 500, alpha_min: float = 0,
                   method: Literal["lar", "lasso"] = "lar", copy_X: bool = True,
                   eps: float = np.finfo(float).eps, copy_Gram: bool = True,
                   verbose: int | bool = 0, return_path: bool = True,
                   return_n_iter: bool = False, positive: bool = False) -> tuple[Any, ...]:
    """:func:`lars_path` in the sufficient-statistics mode: from ``Xy = X.T @ y`` and
    ``Gram = X.T @ X`` only (``n_samples`` scales the alphas), as scikit-learn's.

    Examples
    --------
    >>> import numpy as np
    >>> from l1core import lars_path_gram
    >>> X = np.array([[1.0, 0.0], [0.0, 2.0], [1.0, 1.0]]); y = np.array([1.0, 2.0, 2.0])
    >>> alphas, active, coefs = lars_path_gram(X.T @ y, X.T @ X, n_samples=3)
    >>> active, np.round(alphas, 4).tolist()
    ([1, 0], [2.0, 0.75, 0.0])
    """
    _check_method(method, positive)
    n_samples = _check_nonneg(n_samples, "n_samples", strict=True)
    Gram = _check_gram(Gram, np.asarray(Gram).shape[0])
    Xy = np.asarray(Xy, dtype=np.float64).ravel()
    if Xy.shape != (Gram.shape[0],) or not np.all(np.isfinite(Xy)):
        raise ValueError(f"Xy must hold {Gram.shape[0]} finite numbers, got shape {Xy.shape}.")
    alphas, active, coefs, n_iter = run_lars(
        None, None, None, Xy=Xy, Gram=Gram, n_samples=n_samples,
        max_iter=_check_count(max_iter), alpha_min=_check_nonneg(alpha_min, "alpha_min"),
        method=method, eps=_check_nonneg(eps, "eps", strict=True), return_path=return_path,
        positive=positive)
    return (alphas, active, coefs, n_iter) if return_n_iter else (alphas, active, coefs)
