"""Estimators on row-partitioned Dask arrays: :class:`Lasso`, :class:`ElasticNet`,
:class:`SparseLogisticRegression`, with the parameters of the in-memory ones.

``fit(X, y, sample_weight=None)`` takes a ``dask.array.Array`` partitioned by rows (dense or
scipy.sparse CSR/CSC chunks; y and the weights as Dask vectors with the same row chunks, or
in-memory vectors, which are chunked alike); an in-memory X is one partition. It runs on the
current Dask scheduler (a ``dask.distributed.Client`` if one is active). ``predict`` returns a
Dask array for a Dask X (a NumPy array otherwise).
"""

from __future__ import annotations

import warnings

import dask.array as da
import numpy as np
import scipy.sparse as sp

from .. import _validation as v
from .._estimator_base import (BaseEstimator, ClassifierMixin, RegressorMixin,
                               check_is_fitted, convergence_warning)
from . import _blocks
from ._logistic_loss import LogisticLoss
from ._partitions import RowPartitions, as_dask_design
from ._squared import SquaredLoss
from ._standardize import standardize_loss
from .._typing import Any, ArrayLike, Literal, Seed, Self, Verbose
from ._working_set import working_set_solve

__all__ = ["ElasticNet", "Lasso"]


def checked_bounds(est, factor, multinomial=False):
    """(lower, upper) of ``est`` (None, None when unbounded). On partitions the working set
    starts from w = 0, so the bounds must allow 0 (ValueError otherwise), and bounded
    unpenalized features and the multinomial model with bounds are not supported yet."""
    if not est.positive and est.lower_bounds is None and est.upper_bounds is None:
        return None, None
    name = type(est).__name__
    if multinomial:
        raise ValueError(f"{name} on Dask arrays does not support coefficient bounds "
                         "(positive, lower_bounds, upper_bounds) for three or more classes "
                         "yet.")
    lower, upper = v.check_bounds(est.lower_bounds, est.upper_bounds, est.positive,
                                  factor.shape[0])
    if np.any(lower > 0.0) or np.any(upper < 0.0):
        raise ValueError(f"{name} on Dask arrays needs coefficient bounds that allow 0 "
                         "(lower_bounds <= 0 <= upper_bounds): the fit starts from w = 0.")
    if np.any((factor == 0.0) & (np.isfinite(lower) | np.isfinite(upper))):
        raise ValueError(f"{name} on Dask arrays does not support bounds on unpenalized "
                         "features (penalty_factor == 0) yet.")
    return lower, upper




def _check_options(est):
    """The validated (alpha, l1_ratio, tol, max_iter, max_outer_iter)."""
    alpha = v.check_alpha(est.alpha)
    l1_ratio = v.check_l1_ratio(est.l1_ratio)
    tol = v.check_tol(est.tol)
    max_iter = v.check_max_iter(est.max_iter)
    max_outer = v.check_max_iter(est.max_outer_iter)
    return alpha, l1_ratio, tol, max_iter, max_outer


def _warm(est, p):
    if est.warm_start and hasattr(est, "coef_") and np.shape(est.coef_) == (p,):
        return np.asarray(est.coef_, dtype=np.float64), float(est.intercept_)
    return None, None


def _store(est, solution, parts, dtype, what):
    est.coef_ = solution.coef.astype(dtype)
    est.intercept_ = (solution.intercept if np.ndim(solution.intercept)
                      else float(solution.intercept))
    est.dual_gap_ = solution.dual_gap
    est.n_iter_ = solution.n_iter
    est.n_outer_iter_ = solution.n_outer
    est.history_ = solution.history
    est.n_features_in_ = parts.n_features
    warn_unconverged(solution, what, stacklevel=4)


def warn_unconverged(solution, what, stacklevel):
    """The ConvergenceWarning of a solve that stopped short of its gap target."""
    if not solution.converged:
        warnings.warn(f"{what} did not converge after {solution.n_outer} full passes and "
                      f"{solution.n_iter} epochs: duality gap {solution.dual_gap:.3e} > "
                      f"tolerance {solution.gap_tol:.3e}. Increase max_iter / "
                      "max_outer_iter or loosen tol.", convergence_warning(),
                      stacklevel=stacklevel)


def decision(est, X):
    """X coef_ + intercept_: a Dask vector for a Dask X, else a NumPy vector (coef_ of shape
    (K, p), K >= 2: the (n, K) scores X coef_^T + intercept_)."""
    check_is_fitted(est)
    dask_input = isinstance(X, da.Array)
    Xd = as_dask_design(X)
    if Xd.shape[1] != est.n_features_in_:
        raise ValueError(f"X has {Xd.shape[1]} features, but {type(est).__name__} is "
                         f"expecting {est.n_features_in_} features as input.")
    w = np.asarray(est.coef_, dtype=np.float64)
    if w.ndim == 2:
        K = w.shape[0]
        z = Xd.map_blocks(_blocks.block_predict, np.ascontiguousarray(w.T),
                          np.asarray(est.intercept_, dtype=np.float64),
                          chunks=(Xd.chunks[0], (K,)), dtype=np.float64,
                          meta=np.zeros((0, 0)))
    else:
        z = Xd.map_blocks(_blocks.block_predict, w, est.intercept_, drop_axis=1,
                          dtype=np.float64, meta=np.zeros(0))
    return z if dask_input else z.compute()


class SparseInputTags:
    """scikit-learn sees estimators that take sparse X (in-memory X is one partition)."""

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.input_tags.sparse = True
        return tags


_WEIGHT_EQUIVALENCE = {
    f"check_sample_weight_equivalence_on_{kind}_data": (
        "the weighted and the repeated fits stop at different points within tol of the "
        "optimum (scikit-learn compares them at rtol=1e-7)") for kind in ("dense", "sparse")}


class ElasticNet(SparseInputTags, RegressorMixin, BaseEstimator):
    """Elastic Net on a row-partitioned Dask array, certified by the duality gap.

    The objective, the parameters and the stopping rule are those of
    :class:`l1core.ElasticNet` (``dual_gap_`` certifies the fit on the whole data, as in
    memory). Solved by a distributed working-set method: full passes over the partitions as
    a map-reduce (only p-vectors and scalars travel), the working set's columns gathered and
    solved on the driver by l1core's in-memory solver (``l1core.distributed._working_set``).
    y and the sample weights are gathered on the driver once (n-vectors); X never is.

    Coefficient bounds (``positive``, ``lower_bounds``, ``upper_bounds``) must allow 0 (the
    fit starts from w = 0) and leave unpenalized features free (ValueError otherwise); the
    dual point is scaled only into the infinite sides' constraints and the finite sides'
    conjugates are evaluated (``l1core.distributed._dual``).
    ``standardize=True`` as in memory (``l1core.distributed._standardize``: two extra
    map-reduces for the column scales); not with unpenalized features (ValueError).
    ``precompute``, ``selection`` and ``random_state`` apply to the subproblem solves.
    ``max_outer_iter``: the number of full passes allowed; ``persist``: keep X's blocks in
    the workers' memory for the fit (``dask.persist``; False recomputes them each pass).

    Attributes
    ----------
    coef_, intercept_, dual_gap_, n_iter_ (subproblem epochs), n_features_in_ as in memory;
    n_outer_iter_ : int, full passes over X;
    history_ : list of dict, per full pass: ``gap``, ``ws_size``, ``pass_bytes`` (bytes the
        pass's per-partition tasks returned), ``partial_bytes`` (bytes of the partial sums
        passed up the reduction trees, ``split_every=4`` partials per node),
        ``driver_bytes`` (bytes the driver received: one result per reduction) and
        ``column_bytes`` (bytes of the columns gathered then).

    Examples
    --------
    >>> import numpy as np, dask.array as da
    >>> from l1core.datasets import load_diabetes
    >>> from l1core.distributed import ElasticNet
    >>> X, y, names = load_diabetes()
    >>> Xd, yd = da.from_array(X, chunks=(100, 10)), da.from_array(y, chunks=100)
    >>> model = ElasticNet(alpha=0.01, l1_ratio=0.7).fit(Xd, yd)
    >>> int(np.count_nonzero(model.coef_)), bool(model.dual_gap_ <= model.tol * y.var())
    (10, True)
    >>> model.predict(Xd).compute().shape
    (442,)
    """

    _solver_name = "Distributed ElasticNet"
    _expected_failed_checks = _WEIGHT_EQUIVALENCE

    def __init__(self, alpha: float = 1.0, *, l1_ratio: float = 0.5,
                 fit_intercept: bool = True, max_iter: int = 1000, tol: float = 1e-4,
                 warm_start: bool = False, positive: bool = False,
                 selection: Literal["cyclic", "random"] = "cyclic", random_state: Seed = None,
                 penalty_factor: ArrayLike | None = None, lower_bounds: Any = None,
                 upper_bounds: Any = None, precompute: Any = "auto", copy_X: bool = True,
                 verbose: Verbose = False, standardize: bool = False,
                 max_outer_iter: int = 50, persist: bool = True) -> None:
        self.alpha = alpha
        self.l1_ratio = l1_ratio
        self.fit_intercept = fit_intercept
        self.max_iter = max_iter
        self.tol = tol
        self.warm_start = warm_start
        self.positive = positive
        self.selection = selection
        self.random_state = random_state
        self.penalty_factor = penalty_factor
        self.lower_bounds = lower_bounds
        self.upper_bounds = upper_bounds
        self.precompute = precompute
        self.copy_X = copy_X
        self.verbose = verbose
        self.standardize = standardize
        self.max_outer_iter = max_outer_iter
        self.persist = persist

    def fit(self, X: Any, y: Any, sample_weight: Any = None) -> Self:
        """Fit on row partitions (X, y, sample_weight: Dask arrays chunked alike by rows, or
        in-memory arrays); returns self."""
        alpha, l1_ratio, tol, max_iter, max_outer = _check_options(self)
        parts = RowPartitions(X, y, sample_weight, persist=self.persist)
        factor = v.check_penalty_factor(self.penalty_factor, parts.n_features)
        options = {"selection": v.check_selection(self.selection),
                   "random_state": self.random_state, "precompute": self.precompute}
        loss = SquaredLoss(parts, factor=factor, l1_ratio=l1_ratio,
                           fit_intercept=bool(self.fit_intercept), solver_options=options,
                           bounds=checked_bounds(self, factor))
        if self.standardize:
            standardize_loss(loss)
        w0, b0 = _warm(self, parts.n_features)
        solution = working_set_solve(loss, alpha, tol=tol, max_iter=max_iter,
                                     max_outer=max_outer, coef_init=w0, intercept_init=b0,
                                     verbose=self.verbose)
        _store(self, solution, parts, parts.dtype, self._solver_name)
        self.setup_bytes_ = loss.setup_bytes
        return self

    def predict(self, X: Any) -> Any:
        """X coef_ + intercept_ (a Dask array for a Dask X)."""
        return decision(self, X)

    @property
    def sparse_coef_(self):
        return sp.csr_matrix(self.coef_[None, :])


class Lasso(ElasticNet):
    """The Lasso (``l1_ratio=1``) on a row-partitioned Dask array; see :class:`ElasticNet`.

    Examples
    --------
    >>> import numpy as np, dask.array as da
    >>> from l1core.datasets import load_diabetes
    >>> from l1core.distributed import Lasso
    >>> X, y, names = load_diabetes()
    >>> Xd, yd = da.from_array(X, chunks=(100, 10)), da.from_array(y, chunks=100)
    >>> model = Lasso(alpha=1.0).fit(Xd, yd)
    >>> [names[j] for j in np.flatnonzero(model.coef_)]
    ['bmi', 'bp', 's5']
    """

    _solver_name = "Distributed Lasso"

    def __init__(self, alpha: float = 1.0, *, fit_intercept: bool = True,
                 max_iter: int = 1000, tol: float = 1e-4, warm_start: bool = False,
                 positive: bool = False, selection: Literal["cyclic", "random"] = "cyclic",
                 random_state: Seed = None, penalty_factor: ArrayLike | None = None,
                 lower_bounds: Any = None, upper_bounds: Any = None, precompute: Any = "auto",
                 copy_X: bool = True, verbose: Verbose = False, standardize: bool = False,
                 max_outer_iter: int = 50, persist: bool = True) -> None:
        super().__init__(alpha, l1_ratio=1.0, fit_intercept=fit_intercept, max_iter=max_iter,
                         tol=tol, warm_start=warm_start, positive=positive,
                         selection=selection, random_state=random_state,
                         penalty_factor=penalty_factor, lower_bounds=lower_bounds,
                         upper_bounds=upper_bounds, precompute=precompute, copy_X=copy_X,
                         verbose=verbose, standardize=standardize,
                         max_outer_iter=max_outer_iter, persist=persist)
        del self.l1_ratio

    l1_ratio = 1.0
