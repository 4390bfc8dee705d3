"""The in-memory estimators' door to the partitions: ``l1core.Lasso().fit(X_dask, y_dask)``
fits where the row partitions lie, through the estimator of the same name in
``l1core.distributed``, and ``predict`` on a Dask array returns a Dask array.

Dask is imported only when the input is a Dask collection (it is an optional extra): this
module lives outside ``l1core.distributed``, whose import needs Dask."""


def is_dask_array(X):
    """Whether X is a ``dask.array.Array`` (checked without importing Dask)."""
    return type(X).__module__.split(".")[0] == "dask" and hasattr(X, "chunks")


def fit_on_partitions(estimator, X, y, sample_weight=None):
    """Fit ``estimator`` (an l1core Lasso, ElasticNet or SparseLogisticRegression) on Dask
    arrays by its distributed counterpart, with the same parameters; its fitted attributes
    are copied onto ``estimator``, which is returned. A parameter the distributed solver does
    not have, set away from its default, raises ValueError; those it cannot honour yet
    (bounds excluding 0, ``class_weight``, one-vs-rest, bounds or standardize with three or
    more classes) raise there."""
    from .distributed import ElasticNet, Lasso, SparseLogisticRegression

    kinds = {"Lasso": Lasso, "ElasticNet": ElasticNet,
             "SparseLogisticRegression": SparseLogisticRegression}
    name = type(estimator).__name__
    if name not in kinds:
        raise TypeError(f"{name} does not fit Dask arrays; use it on in-memory data.")
    target = kinds[name]
    accepted = set(target._get_param_names())
    params = estimator.get_params(deep=False)
    defaults = type(estimator)().get_params(deep=False)
    refused = sorted(k for k in params if k not in accepted
                     and not _same(params[k], defaults.get(k)))
    if refused:
        raise ValueError(f"{name} on a Dask array does not support {', '.join(refused)} "
                         "(l1core.distributed solves without them).")
    model = target(**{k: v for k, v in params.items() if k in accepted})
    if getattr(estimator, "warm_start", False) and hasattr(estimator, "coef_"):
        for attr in ("coef_", "intercept_"):
            setattr(model, attr, getattr(estimator, attr))
    model.fit(X, y, sample_weight=sample_weight)
    for attr, value in _fitted(model).items():
        setattr(estimator, attr, value)
    if hasattr(model, "_mode"):
        estimator._mode = model._mode           # the in-memory classifier's fitted_mode
    return estimator


def predict_on_partitions(estimator, X, offset=None, method=None):
    """A fitted in-memory estimator's predictions on a Dask X, as a Dask array: regressors
    (``method=None``) the decision values X coef_ + intercept_; a SparseLogisticRegression
    the result of its ``method`` ("decision_function", "predict_proba", "predict"), computed
    by the distributed classifier holding the same fitted attributes. ``offset`` is refused."""
    if offset is not None:
        raise ValueError("offset is not supported with a Dask array X.")
    if method is None:
        from .distributed._estimators import decision

        return decision(estimator, X)
    from .distributed import SparseLogisticRegression

    model = SparseLogisticRegression()
    for attr, value in _fitted(estimator).items():
        setattr(model, attr, value)
    model._mode = getattr(estimator, "_mode", None)
    return getattr(model, method)(X)


def _fitted(model):
    """The public fitted attributes (names ending in ``_``) of ``model``."""
    return {attr: value for attr, value in vars(model).items()
            if attr.endswith("_") and not attr.startswith("_")}


def _same(a, b):
    try:
        return bool(a == b) if not hasattr(a, "shape") else a is b
    except (TypeError, ValueError):
        return a is b
