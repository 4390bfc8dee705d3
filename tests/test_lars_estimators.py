"""Lars, LassoLars, LassoLarsCV, LassoLarsIC against scikit-learn's; sparse = dense;
coef_at between knots equals coordinate descent; scikit-learn's estimator checks."""

import numpy as np
import pytest
import scipy.sparse as sp

sklm = pytest.importorskip("sklearn.linear_model")
from sklearn.datasets import load_diabetes  # noqa: E402
from sklearn.utils.estimator_checks import check_estimator  # noqa: E402

from l1core import Lars, Lasso, LassoLars, LassoLarsCV, LassoLarsIC  # noqa: E402
from l1core._estimator_base import expected_failed_checks  # noqa: E402


@pytest.fixture(scope="module")
def data():
    X, y = load_diabetes(return_X_y=True)
    return 3 * X + 5, y          # non-centered columns: the intercept matters


FORMATS = [np.asarray, sp.csc_matrix, sp.csr_matrix]


def _close(a, b, scale=1.0):
    np.testing.assert_allclose(a, b, rtol=0, atol=1e-9 * max(scale, np.abs(b).max()))


@pytest.mark.parametrize("fmt", FORMATS)
def test_lars_and_lassolars_equal_sklearn(data, fmt):
    X, y = data
    for ours, theirs in [(Lars(n_nonzero_coefs=7), sklm.Lars(n_nonzero_coefs=7)),
                         (LassoLars(alpha=0.01), sklm.LassoLars(alpha=0.01))]:
        theirs.fit(X, y)
        ours.fit(fmt(X), y)
        assert ours.active_ == [int(j) for j in theirs.active_]
        _close(ours.alphas_, theirs.alphas_)
        _close(ours.coef_path_, theirs.coef_path_)
        _close(ours.coef_, theirs.coef_)
        assert abs(ours.intercept_ - theirs.intercept_) < 1e-8 * abs(theirs.intercept_)
        assert ours.n_iter_ == theirs.n_iter_
        _close(ours.predict(fmt(X)), theirs.predict(X))


@pytest.mark.parametrize("fmt", FORMATS)
def test_positive_lassolars_is_the_positive_lasso(data, fmt):
    """The knots equal scikit-learn's up to the last segment, which scikit-learn ends at a
    wrong alpha once every inactive correlation lies below the active level (its coef_ is
    then not the positive Lasso's); ours, on every knot and at alpha, equals coordinate
    descent's positive Lasso."""
    X, y = data
    ours = LassoLars(alpha=0.05, positive=True).fit(fmt(X), y)
    theirs = sklm.LassoLars(alpha=0.05, positive=True).fit(X, y)
    assert ours.active_ == [int(j) for j in theirs.active_]
    _close(ours.alphas_, theirs.alphas_)
    _close(ours.coef_path_[:, :-1], theirs.coef_path_[:, :-1])
    for alpha, coef in [(0.05, ours.coef_), (ours.alphas_[-2], ours.coef_path_[:, -2])]:
        cd = Lasso(alpha=alpha, positive=True, tol=1e-14, max_iter=100000).fit(X, y)
        _close(coef, cd.coef_)
    cd = Lasso(alpha=0.05, positive=True, tol=1e-14, max_iter=100000).fit(X, y)
    assert np.abs(theirs.coef_ - cd.coef_).max() > 1e-3 * np.abs(cd.coef_).max()


def test_lassolars_coef_at_equals_coordinate_descent(data):
    X, y = data
    model = LassoLars(alpha=0.0).fit(X, y)
    for alpha in (0.3, 0.05, 0.004):
        cd = Lasso(alpha=alpha, tol=1e-14, max_iter=100000).fit(X, y)
        np.testing.assert_allclose(model.coef_at(alpha), cd.coef_,
                                   atol=1e-6 * np.abs(cd.coef_).max())
    assert np.all(model.coef_at(1e6) == 0)
    assert model.coef_at(np.array([0.3, 0.05])).shape == (X.shape[1], 2)


@pytest.mark.parametrize("fmt", FORMATS)
def test_lassolarscv_equals_sklearn(data, fmt):
    X, y = data
    ours = LassoLarsCV(cv=4).fit(fmt(X), y)
    theirs = sklm.LassoLarsCV(cv=4).fit(X, y)
    _close(ours.cv_alphas_, theirs.cv_alphas_)
    np.testing.assert_allclose(ours.mse_path_, theirs.mse_path_, rtol=1e-9)
    assert abs(ours.alpha_ - theirs.alpha_) < 1e-10
    _close(ours.coef_, theirs.coef_)


@pytest.mark.parametrize("criterion", ["aic", "bic"])
@pytest.mark.parametrize("positive", [False, True])
@pytest.mark.parametrize("fmt", FORMATS)
def test_lassolarsic_equals_sklearn(data, criterion, positive, fmt):
    X, y = data
    ours = LassoLarsIC(criterion, positive=positive).fit(fmt(X), y)
    theirs = sklm.LassoLarsIC(criterion=criterion, positive=positive).fit(X, y)
    np.testing.assert_allclose(ours.noise_variance_, theirs.noise_variance_, rtol=1e-9)
    # positive: scikit-learn's last knot is not the positive Lasso's (see
    # test_positive_lassolars_is_the_positive_lasso), so its criterion there differs
    last = len(theirs.criterion_) - 1 if positive else None
    np.testing.assert_allclose(ours.criterion_[:last], theirs.criterion_[:last], rtol=1e-10)
    assert ours.alpha_ == ours.alphas_[np.argmin(ours.criterion_)]
    if ours.alpha_ == theirs.alpha_ and np.argmin(ours.criterion_) != last:
        _close(ours.coef_, theirs.coef_)
    if not positive:
        assert abs(ours.alpha_ - theirs.alpha_) < 1e-10
        _close(ours.coef_, theirs.coef_)
    # the criterion recomputed from its definition: df = number of nonzero coefficients
    n = X.shape[0]
    r = (y - y.mean())[:, None] - (X - X.mean(0)) @ ours.coef_path_
    df = np.count_nonzero(np.abs(ours.coef_path_) > np.finfo(float).eps, axis=0)
    factor = 2 if criterion == "aic" else np.log(n)
    expected = (n * np.log(2 * np.pi * ours.noise_variance_)
                + (r ** 2).sum(0) / ours.noise_variance_ + factor * df)
    np.testing.assert_allclose(ours.criterion_, expected, rtol=1e-10)


def test_bad_input():
    X = np.random.default_rng(0).standard_normal((10, 20))
    y = X[:, 0]
    with pytest.raises(ValueError, match="noise"):
        LassoLarsIC().fit(X, y)
    with pytest.raises(ValueError, match="criterion"):
        LassoLarsIC(criterion="cp").fit(X, y)
    with pytest.raises(ValueError):
        LassoLars(alpha=-1.0).fit(X, y)
    with pytest.raises(ValueError, match="non-negative"):
        LassoLars().fit(X, y, sample_weight=-np.ones(10))


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize("fit_intercept", [True, False])
def test_integer_weights_equal_repeated_rows(data, fmt, fit_intercept):
    X, y = data[0][:120], data[1][:120]
    w = np.random.default_rng(0).integers(0, 4, size=120)
    weighted = LassoLars(alpha=0.05, fit_intercept=fit_intercept).fit(fmt(X), y,
                                                                      sample_weight=w)
    rows = np.repeat(np.arange(120), w)
    repeated = LassoLars(alpha=0.05, fit_intercept=fit_intercept).fit(X[rows], y[rows])
    assert weighted.active_ == repeated.active_
    _close(weighted.alphas_, repeated.alphas_)
    _close(weighted.coef_path_, repeated.coef_path_)
    assert abs(weighted.intercept_ - repeated.intercept_) < 1e-8 * max(1, abs(repeated.intercept_))
    # the weighted Lasso of l1core's coordinate descent at an interior knot
    k = len(weighted.alphas_) // 2
    cd = Lasso(alpha=weighted.alphas_[k], fit_intercept=fit_intercept, tol=1e-14,
               max_iter=100000).fit(X, y, sample_weight=w)
    np.testing.assert_allclose(weighted.coef_path_[:, k], cd.coef_,
                               atol=1e-6 * np.abs(cd.coef_).max())


@pytest.mark.parametrize("est", [Lars(), LassoLars(alpha=0.1), LassoLarsCV(cv=3),
                                 LassoLarsIC()], ids=lambda e: type(e).__name__)
def test_check_estimator(est):
    check_estimator(est, expected_failed_checks=expected_failed_checks(est))
