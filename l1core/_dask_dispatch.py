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
    not have, set away from its default, raises ValueError; those it cannot honour (bounds,
    ``standardize``) raise there."""
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
    for attr, value in vars(model).items():
        if attr.endswith("_") and not attr.startswith("_"):
            setattr(estimator, attr, value)
    return estimator


def predict_on_partitions(estimator, X):
    """The decision values X coef_ + intercept_ as a Dask array (binary logistic: the
    distributed classifier's ``decision_function``)."""
    from .distributed._estimators import decision

    return decision(estimator, X)


def _same(a, b):
    try:
        return bool(a == b) if not hasattr(a, "shape") else a is b
    except (TypeError, ValueError):
        return a is b
