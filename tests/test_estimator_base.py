"""Tests for l1core._estimator_base with tiny estimators defined here.

``LeastSquares`` is a weighted ridge solved in closed form; it validates its input with
``l1core._validation`` like the real estimators, so scikit-learn's ``check_estimator`` on it
checks the base classes and the validation together.
"""

import pickle
import warnings

import numpy as np
import pytest

from l1core._estimator_base import (
    BaseEstimator,
    ConvergenceWarning,
    NotFittedError,
    RegressorMixin,
    check_is_fitted,
)
from l1core._validation import check_alpha, check_design, check_sample_weight, check_target


class LeastSquares(RegressorMixin, BaseEstimator):
    def __init__(self, alpha=1.0, fit_intercept=True, note=None):
        self.alpha = alpha
        self.fit_intercept = fit_intercept
        self.note = note

    def fit(self, X, y, sample_weight=None):
        X, storage = check_design(X)
        y = check_target(y, X.shape[0], X.dtype)
        sw = check_sample_weight(sample_weight, X.shape[0], X.dtype)
        alpha = check_alpha(self.alpha)
        X = X.toarray() if storage != "dense" else np.asarray(X)
        A = np.column_stack([X, np.ones(X.shape[0])]) if self.fit_intercept else X
        penalty = alpha * np.eye(A.shape[1])
        if self.fit_intercept:
            penalty[-1, -1] = 0.0
        coef = np.linalg.solve(A.T @ (sw[:, None] * A) + penalty, A.T @ (sw * y))
        self.coef_ = coef[: X.shape[1]]
        self.intercept_ = coef[-1] if self.fit_intercept else 0.0
        self.n_features_in_ = X.shape[1]
        return self

    def predict(self, X):
        check_is_fitted(self)
        X, _ = check_design(X)
        if X.shape[1] != self.n_features_in_:
            raise ValueError(
                f"X has {X.shape[1]} features, but {type(self).__name__} is expecting "
                f"{self.n_features_in_} features as input"
            )
        return np.asarray(X @ self.coef_).ravel() + self.intercept_

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.input_tags.sparse = True
        return tags


class Wrapper(BaseEstimator):
    """Not a regressor; holds a nested estimator."""

    def __init__(self, estimator=None, scale=1.0, weights=np.array([1.0, 2.0])):
        self.estimator = estimator
        self.scale = scale
        self.weights = weights


class NoInit(BaseEstimator):
    pass


@pytest.fixture
def data():
    rng = np.random.default_rng(0)
    X = rng.standard_normal((40, 3))
    y = X @ np.array([1.0, -2.0, 0.5]) + 0.3 + 0.1 * rng.standard_normal(40)
    return X, y, rng.uniform(0.1, 2.0, 40)


# ---------------------------------------- params


def test_get_params_shallow_and_deep():
    est = Wrapper(estimator=LeastSquares(alpha=2.0), scale=3.0)
    shallow = est.get_params(deep=False)
    assert list(shallow) == ["estimator", "scale", "weights"]
    assert shallow["estimator"] is est.estimator and shallow["scale"] == 3.0
    deep = est.get_params()
    assert deep["estimator__alpha"] == 2.0 and deep["estimator__fit_intercept"] is True
    assert deep["estimator__note"] is None and deep["estimator"] is est.estimator
    assert NoInit().get_params() == {}


def test_set_params_round_trip_and_nested():
    est = LeastSquares()
    assert est.set_params(alpha=0.5, note="x") is est
    assert est.get_params() == {"alpha": 0.5, "fit_intercept": True, "note": "x"}
    assert LeastSquares(**est.get_params()).get_params() == est.get_params()
    assert est.set_params() is est
    outer = Wrapper(estimator=LeastSquares())
    outer.set_params(estimator__alpha=3.0, scale=2.0)
    assert outer.estimator.alpha == 3.0 and outer.scale == 2.0
    # replacing the nested estimator and setting its params in one call
    outer.set_params(estimator=LeastSquares(), estimator__fit_intercept=False)
    assert outer.estimator.fit_intercept is False and outer.estimator.alpha == 1.0


def test_set_params_invalid_key_lists_valid_ones():
    msg = (
        r"Invalid parameter 'alpah' for estimator LeastSquares\. "
        r"Valid parameters are: \['alpha', 'fit_intercept', 'note'\]"
    )
    with pytest.raises(ValueError, match=msg):
        LeastSquares().set_params(alpah=1.0)
    with pytest.raises(ValueError, match="Invalid parameter 'nope'"):
        Wrapper(estimator=LeastSquares()).set_params(estimator__nope=1)


def test_set_params_does_not_validate_values():
    est = LeastSquares().set_params(alpha="not a number")
    assert est.alpha == "not a number"


def test_varargs_init_is_rejected():
    class Bad(BaseEstimator):
        def __init__(self, *args):
            self.args = args

    with pytest.raises(RuntimeError, match=r"must not take \*args"):
        Bad().get_params()


def test_repr_shows_non_default_params():
    assert repr(LeastSquares()) == "LeastSquares()"
    assert repr(LeastSquares(alpha=0.5, note="hi")) == "LeastSquares(alpha=0.5, note='hi')"
    assert repr(LeastSquares(alpha=1.0, fit_intercept=True)) == "LeastSquares()"
    assert repr(LeastSquares(alpha=np.float64(1.0))) == "LeastSquares(alpha=np.float64(1.0))"
    nested = Wrapper(estimator=LeastSquares(fit_intercept=False), weights=np.arange(100.0))
    text = repr(nested)
    assert text.startswith("Wrapper(estimator=LeastSquares(fit_intercept=False), weights=array(")
    assert "..." in text and len(text) < 150
    assert repr(Wrapper(scale=float("nan"))) == "Wrapper(scale=nan)"
    assert repr(NoInit()) == "NoInit()"


def test_pickle_fitted_and_unfitted(data):
    X, y, _ = data
    est = LeastSquares(alpha=0.1).fit(X, y)
    restored = pickle.loads(pickle.dumps(est))
    assert type(restored) is LeastSquares and restored.get_params() == est.get_params()
    np.testing.assert_array_equal(restored.coef_, est.coef_)
    np.testing.assert_array_equal(restored.predict(X), est.predict(X))
    unfitted = pickle.loads(pickle.dumps(Wrapper(estimator=LeastSquares(alpha=3.0))))
    assert unfitted.estimator.alpha == 3.0


# ---------------------------------------- fitted checks, warnings


def test_check_is_fitted(data):
    X, y, _ = data
    est = LeastSquares()
    with pytest.raises(NotFittedError, match="This LeastSquares instance is not fitted yet"):
        check_is_fitted(est)
    with pytest.raises(ValueError):
        est.predict(X)
    with pytest.raises(AttributeError):
        est.predict(X)
    est.fit(X, y)
    check_is_fitted(est)
    check_is_fitted(est, ["coef_", "intercept_"])
    with pytest.raises(NotFittedError):
        check_is_fitted(est, ["coef_", "gap_"])
    with pytest.raises(TypeError, match="is a class"):
        check_is_fitted(LeastSquares)


def test_not_fitted_error_is_sklearns_when_sklearn_is_loaded():
    exceptions = pytest.importorskip("sklearn.exceptions")
    with pytest.raises(exceptions.NotFittedError) as info:
        check_is_fitted(LeastSquares())
    assert isinstance(info.value, NotFittedError)
    restored = pickle.loads(pickle.dumps(info.value))  # e.g. sent back from a joblib worker
    assert type(restored) is NotFittedError and restored.args == info.value.args


def test_convergence_warning_is_a_user_warning():
    assert issubclass(ConvergenceWarning, UserWarning)
    with pytest.warns(ConvergenceWarning, match="gap"):
        warnings.warn("duality gap 1e-3 > tol", ConvergenceWarning)


# ---------------------------------------- score (R^2)


def _sk_r2(y, pred, sample_weight=None):
    metrics = pytest.importorskip("sklearn.metrics")
    return metrics.r2_score(y, pred, sample_weight=sample_weight)


def test_score_matches_sklearn_r2(data):
    X, y, sw = data
    est = LeastSquares(alpha=5.0).fit(X, y)
    Xt, yt = X[::2] + 0.3, y[::2]
    pred = est.predict(Xt)
    assert est.score(Xt, yt) == pytest.approx(_sk_r2(yt, pred), rel=1e-12)
    assert est.score(Xt, yt, sample_weight=sw[::2]) == pytest.approx(
        _sk_r2(yt, pred, sw[::2]), rel=1e-12
    )
    assert est.score(Xt, yt.tolist(), sample_weight=list(sw[::2])) == pytest.approx(
        _sk_r2(yt, pred, sw[::2]), rel=1e-12
    )
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # a column vector y is fine for scoring
        assert est.score(Xt, yt[:, None]) == pytest.approx(_sk_r2(yt, pred), rel=1e-12)


class Constant(RegressorMixin, BaseEstimator):
    def __init__(self, value=0.0):
        self.value = value

    def predict(self, X):
        return np.full(len(X), self.value)


@pytest.mark.parametrize(
    "y, value, sample_weight",
    [
        ([2.0, 2.0, 2.0], 2.0, None),  # constant y, perfect: 1.0
        ([2.0, 2.0, 2.0], 1.0, None),  # constant y, imperfect: 0.0
        ([1.0, 2.0, 3.0], 2.0, None),  # predicting the mean: 0.0
        ([1.0, 2.0, 3.0], 2.0, [1.0, 0.0, 3.0]),
        ([1.0, 2.0, 3.0], 7.0, [1.0, 2.0, 3.0]),  # negative R^2
        ([1.0, 5.0, 3.0], 5.0, [0.0, 1.0, 0.0]),  # only one weighted sample, perfect
        ([1.0, 5.0, 3.0], 4.0, [0.0, 1.0, 0.0]),  # weighted-constant y, imperfect
    ],
)
def test_score_edge_cases_match_sklearn(y, value, sample_weight):
    X = np.zeros((len(y), 1))
    got = Constant(value).score(X, y, sample_weight=sample_weight)
    assert got == pytest.approx(_sk_r2(y, np.full(len(y), value), sample_weight), abs=1e-15)


def test_score_with_one_sample_is_nan_with_warning():
    with pytest.warns(UserWarning, match="not well-defined with less than two samples"):
        assert np.isnan(Constant(1.0).score(np.zeros((1, 1)), [1.0]))


def test_score_validates_y_and_weights():
    X = np.zeros((3, 1))
    with pytest.raises(ValueError, match="y has 2 samples but X has 3"):
        Constant().score(X, [1.0, 2.0])
    with pytest.raises(ValueError, match="y contains NaN"):
        Constant().score(X, [1.0, np.nan, 2.0])
    with pytest.raises(ValueError, match="sample_weight"):
        Constant().score(X, [1.0, 2.0, 3.0], sample_weight=[1.0, 1.0])


# ---------------------------------------- scikit-learn interplay


def test_sklearn_clone():
    base = pytest.importorskip("sklearn.base")
    est = Wrapper(estimator=LeastSquares(alpha=0.5), scale=2.0)
    cloned = base.clone(est)
    assert cloned is not est and cloned.estimator is not est.estimator
    assert cloned.get_params(deep=False)["scale"] == 2.0
    assert cloned.estimator.get_params() == est.estimator.get_params()


def test_sklearn_clone_drops_fitted_state(data):
    base = pytest.importorskip("sklearn.base")
    X, y, _ = data
    est = LeastSquares(alpha=0.5).fit(X, y)
    cloned = base.clone(est)
    assert cloned.get_params() == est.get_params() and not hasattr(cloned, "coef_")


def test_sklearn_tags_and_is_regressor():
    base = pytest.importorskip("sklearn.base")
    from sklearn.utils import get_tags

    assert base.is_regressor(LeastSquares()) and LeastSquares._estimator_type == "regressor"
    assert not base.is_regressor(Wrapper())
    tags = get_tags(LeastSquares())
    assert tags.estimator_type == "regressor" and tags.regressor_tags is not None
    assert tags.target_tags.required and tags.input_tags.sparse
    plain = get_tags(Wrapper())
    assert plain.estimator_type is None and not plain.target_tags.required
    assert not plain.input_tags.sparse


def test_sklearn_pipeline_and_cross_validation(data):
    pytest.importorskip("sklearn")
    from sklearn.model_selection import cross_val_score
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import StandardScaler

    X, y, _ = data
    pipe = make_pipeline(StandardScaler(), LeastSquares(alpha=0.1)).fit(X, y)
    assert pipe.score(X, y) > 0.9
    pipe.set_params(leastsquares__alpha=2.0)
    assert pipe[-1].alpha == 2.0
    scores = cross_val_score(LeastSquares(), X, y, cv=4)
    assert scores.shape == (4,) and np.all(scores > 0.9)


def test_sklearn_grid_search(data):
    pytest.importorskip("sklearn")
    from sklearn.model_selection import GridSearchCV

    X, y, _ = data
    grid = GridSearchCV(LeastSquares(), {"alpha": [1e-8, 1.0, 1e6]}, cv=4).fit(X, y)
    assert grid.best_params_["alpha"] in (1e-8, 1.0)
    assert len(grid.cv_results_["params"]) == 3
    assert grid.cv_results_["mean_test_score"][2] < 0.5  # huge alpha: coefficients ~ 0
    assert isinstance(grid.best_estimator_, LeastSquares)
    assert grid.best_estimator_.alpha == grid.best_params_["alpha"]


def test_sklearn_check_estimator_passes():
    pytest.importorskip("sklearn")
    from sklearn.utils.estimator_checks import check_estimator

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # "does not inherit from sklearn.base.BaseEstimator"
        results = check_estimator(LeastSquares(), on_fail=None)
    failed = [(r["check_name"], r["exception"]) for r in results if r["status"] == "failed"]
    assert not failed
