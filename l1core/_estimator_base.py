"""Estimator base classes compatible with scikit-learn, without depending on it.

``BaseEstimator`` gives ``get_params``/``set_params`` (parameters are the arguments of
``__init__``, stored unchanged as attributes of the same name, as scikit-learn requires),
a ``repr`` showing the non-default parameters, pickling, and ``__sklearn_tags__``, so that
``sklearn.base.clone``, ``Pipeline``, ``GridSearchCV`` and ``is_regressor`` work. scikit-learn
is imported only inside ``__sklearn_tags__``, which only scikit-learn calls.

Subclasses put mixins on the left: ``class Lasso(RegressorMixin, BaseEstimator)``. To change a
tag, override ``__sklearn_tags__`` and call ``super()`` (no scikit-learn import needed)::

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.input_tags.sparse = True
        return tags
"""

import inspect
import warnings
from collections import defaultdict

import numpy as np

from ._validation import (_check_target, _with_sklearn_base, check_sample_weight,
                          check_targets)

__all__ = [
    "BaseEstimator",
    "RegressorMixin",
    "ClassifierMixin",
    "NotFittedError",
    "ConvergenceWarning",
    "check_is_fitted",
    "expected_failed_checks",
]


class NotFittedError(ValueError, AttributeError):
    """Raised when a method needing a fitted estimator is called before ``fit``.

    When scikit-learn is imported, the raised error is also an instance of
    ``sklearn.exceptions.NotFittedError``.
    """


class ConvergenceWarning(UserWarning):
    """The solver stopped at ``max_iter`` before reaching the requested duality gap.

    A ``UserWarning``. When scikit-learn is already imported, the warning raised is an instance
    of a subclass of this class and of ``sklearn.exceptions.ConvergenceWarning`` (see
    :func:`convergence_warning`), so code that filters or expects scikit-learn's warning sees this
    one, without l1core importing scikit-learn.
    """


def convergence_warning():
    """The category to warn with: :class:`ConvergenceWarning`, flavoured with scikit-learn's
    when scikit-learn is imported (a filter on its category can only exist then)."""
    return _with_sklearn_base(ConvergenceWarning)


def expected_failed_checks(estimator):
    """The scikit-learn estimator checks ``estimator`` is expected to fail: {check name:
    reason}. scikit-learn >= 1.6 takes them from the caller, not from tags::

        check_estimator(est, expected_failed_checks=expected_failed_checks(est))
        @parametrize_with_checks([est], expected_failed_checks=expected_failed_checks)

    Each estimator class declares its own in ``_expected_failed_checks`` (none by default).
    """
    return dict(getattr(estimator, "_expected_failed_checks", {}))


def check_is_fitted(estimator, attribute="coef_"):
    """Raise ``NotFittedError`` unless ``estimator`` has ``attribute`` (a name or a list of
    names, all required)."""
    if isinstance(estimator, type):
        raise TypeError(f"{estimator.__name__} is a class, not an estimator instance.")
    names = [attribute] if isinstance(attribute, str) else list(attribute)
    if not all(hasattr(estimator, name) for name in names):
        raise _with_sklearn_base(NotFittedError)(
            f"This {type(estimator).__name__} instance is not fitted yet. Call 'fit' with "
            "appropriate arguments before using this estimator."
        )


def _is_default(value, default):
    if value is default:
        return True
    if isinstance(value, np.ndarray) or isinstance(default, np.ndarray):
        return False
    if isinstance(value, float) and isinstance(default, float):
        if np.isnan(value) and np.isnan(default):
            return True
    try:
        equal = value == default
    except Exception:
        return False
    return isinstance(equal, (bool, np.bool_)) and bool(equal) and type(value) is type(default)


def _short_repr(value):
    if isinstance(value, np.ndarray):
        with np.printoptions(threshold=6, edgeitems=2, precision=4):
            return repr(value)
    return repr(value)


class BaseEstimator:
    """Base class: parameter handling, repr and scikit-learn tags."""

    @classmethod
    def _get_param_names(cls):
        """Names of the ``__init__`` arguments, sorted (excluding ``self`` and ``**kwargs``)."""
        init = cls.__init__
        if init is object.__init__:
            return []
        params = inspect.signature(init).parameters.values()
        names = []
        for p in params:
            if p.name == "self" or p.kind == p.VAR_KEYWORD:
                continue
            if p.kind == p.VAR_POSITIONAL:
                raise RuntimeError(
                    f"{cls.__name__}.__init__ must not take *args: estimator parameters are "
                    "explicit keyword arguments."
                )
            names.append(p.name)
        return sorted(names)

    def get_params(self, deep=True):
        """Parameters of this estimator (``deep=True``: with nested ``a__b`` parameters of
        parameters that are estimators)."""
        out = {}
        for name in self._get_param_names():
            value = getattr(self, name)
            if deep and hasattr(value, "get_params") and not isinstance(value, type):
                out.update((f"{name}__{k}", v) for k, v in value.get_params().items())
            out[name] = value
        return out

    def set_params(self, **params):
        """Set parameters (nested ones as ``a__b``); return ``self``. Values are not validated
        here: ``fit`` does."""
        if not params:
            return self
        valid = self.get_params(deep=True)
        nested = defaultdict(dict)
        for key, value in params.items():
            name, delim, sub_key = key.partition("__")
            if name not in valid:
                raise ValueError(
                    f"Invalid parameter {name!r} for estimator {type(self).__name__}. "
                    f"Valid parameters are: {self._get_param_names()!r}."
                )
            if delim:
                nested[name][sub_key] = value
            else:
                setattr(self, name, value)
                valid[name] = value
        for name, sub_params in nested.items():
            valid[name].set_params(**sub_params)
        return self

    def __repr__(self):
        defaults = {
            name: p.default
            for name, p in inspect.signature(type(self).__init__).parameters.items()
        }
        shown = [
            f"{name}={_short_repr(value)}"
            for name, value in self.get_params(deep=False).items()
            if not _is_default(value, defaults.get(name, inspect.Parameter.empty))
        ]
        return f"{type(self).__name__}({', '.join(shown)})"

    def __sklearn_tags__(self):
        try:
            from sklearn.utils import Tags, TargetTags
        except ImportError as exc:  # pragma: no cover - sklearn >= 1.6 calls this method
            raise ImportError(
                "__sklearn_tags__ needs scikit-learn >= 1.6 (it is called by scikit-learn only)."
            ) from exc
        return Tags(estimator_type=None, target_tags=TargetTags(required=False))


class RegressorMixin:
    """Mixin for regressors: ``score`` is R^2; scikit-learn sees a regressor."""

    _estimator_type = "regressor"

    def __sklearn_tags__(self):
        from sklearn.utils import RegressorTags

        tags = super().__sklearn_tags__()
        tags.estimator_type = "regressor"
        tags.regressor_tags = RegressorTags()
        tags.target_tags.required = True
        return tags

    def score(self, X, y, sample_weight=None):
        """Coefficient of determination R^2 of ``self.predict(X)`` against ``y``.

        ``1 - u / v`` with ``u = sum_i w_i (y_i - pred_i)^2`` and ``v = sum_i w_i (y_i -
        ybar)^2``, ``ybar`` the weighted mean of ``y``: scikit-learn's ``r2_score``,
        including its conventions: 1.0 for perfect predictions, 0.0 for imperfect ones of a
        constant ``y``, NaN (with a warning) for fewer than two samples.
        """
        y_pred = np.asarray(self.predict(X), dtype=np.float64)
        if y_pred.ndim == 2 and y_pred.shape[1] > 1:     # multi-output: the mean R^2
            Y = check_targets(y, y_pred.shape[0])
            w = check_sample_weight(sample_weight, y_pred.shape[0], np.float64)
            return float(np.mean([_r2(Y[:, t], y_pred[:, t], w) for t in range(Y.shape[1])]))
        y_pred = y_pred.ravel()
        n = y_pred.shape[0]
        y = _check_target(y, n, np.float64, "y", warn_column=False)
        w = check_sample_weight(sample_weight, n, np.float64)
        return _r2(y, y_pred, w)


def _r2(y, y_pred, w):
    if y.shape[0] < 2:
        warnings.warn("R^2 score is not well-defined with less than two samples.", stacklevel=3)
        return float("nan")
    numerator = np.sum(w * (y - y_pred) ** 2)
    denominator = np.sum(w * (y - np.average(y, weights=w)) ** 2)
    if numerator == 0:
        return 1.0
    if denominator == 0:
        return 0.0
    return float(1.0 - numerator / denominator)


class ClassifierMixin:
    """Mixin for classifiers: ``score`` is the (weighted) accuracy; scikit-learn sees a
    classifier. The estimator provides ``predict`` and ``classes_``."""

    _estimator_type = "classifier"

    def __sklearn_tags__(self):
        from sklearn.utils import ClassifierTags

        tags = super().__sklearn_tags__()
        tags.estimator_type = "classifier"
        tags.classifier_tags = ClassifierTags()
        tags.target_tags.required = True
        return tags

    def score(self, X, y, sample_weight=None):
        """Mean accuracy of ``self.predict(X)`` against ``y`` (weighted by sample_weight)."""
        y_pred = np.asarray(self.predict(X))
        y = np.asarray(y)
        if y.ndim == 2 and y.shape[1] == 1:
            y = y[:, 0]
        if y.shape != y_pred.shape:
            raise ValueError(f"y has shape {y.shape}, expected {y_pred.shape}.")
        w = check_sample_weight(sample_weight, y.shape[0], np.float64)
        return float(np.average(y_pred == y, weights=w))
