"""``l1core.Lasso / ElasticNet / SparseLogisticRegression`` given a row-partitioned Dask
array fit it where it lies (l1core.distributed) and predict lazily; the in-memory fit of the
same data agrees within the certified gap."""

import numpy as np
import pytest

da = pytest.importorskip("dask.array")

import l1core
from _reference import duality_gap, make_problem
from l1core import distributed
from l1core.datasets import load_diabetes


def partitioned(chunks=(100, 10)):
    X, y, _ = load_diabetes()
    return X, y, da.from_array(X, chunks=chunks), da.from_array(y, chunks=chunks[0])


@pytest.mark.parametrize("make", [lambda: l1core.Lasso(alpha=0.5, tol=1e-8),
                                  lambda: l1core.ElasticNet(alpha=0.05, l1_ratio=0.6,
                                                            tol=1e-8)])
def test_fit_on_a_dask_array_is_the_distributed_fit_and_certified(make):
    X, y, Xd, yd = partitioned()
    model = make().fit(Xd, yd)
    kind = getattr(distributed, type(model).__name__)
    params = {k: v for k, v in make().get_params().items() if k in kind._get_param_names()}
    twin = kind(**params).fit(Xd, yd)
    np.testing.assert_array_equal(model.coef_, twin.coef_)
    assert model.dual_gap_ == twin.dual_gap_ and model.n_outer_iter_ == twin.n_outer_iter_
    pb = make_problem(X, y, alpha=model.alpha, l1_ratio=getattr(model, "l1_ratio", 1.0))
    gap = duality_gap(pb, model.coef_, model.intercept_)
    assert gap <= model.tol * float(pb.sw @ (pb.y - pb.ybar) ** 2) + 1e-12
    prediction = model.predict(Xd)
    assert isinstance(prediction, da.Array)
    np.testing.assert_allclose(prediction.compute(), X @ model.coef_ + model.intercept_,
                               rtol=1e-12, atol=1e-9)
    np.testing.assert_allclose(model.predict(X), prediction.compute(), rtol=1e-12, atol=1e-9)


def test_unsupported_options_are_refused_clearly():
    _, _, Xd, yd = partitioned()
    with pytest.raises(ValueError, match="allow 0"):
        l1core.Lasso(alpha=1.0, lower_bounds=1.0).fit(Xd, yd)
    with pytest.raises(ValueError, match="standardize"):
        l1core.Lasso(alpha=1.0, standardize=True, penalty_factor=np.r_[0.0, np.ones(9)]).fit(
            Xd, yd)
    with pytest.raises(ValueError, match="offset"):
        l1core.Lasso(alpha=1.0).fit(Xd, yd, offset=np.zeros(442))


@pytest.mark.parametrize("storage", ["dense", "csr"])
def test_logistic_fit_on_a_dask_array_equals_in_memory_within_gap(storage):
    """l1core.SparseLogisticRegression.fit(X_dask) is the distributed fit (same coef_ and
    gap), certified by the NumPy gap, within its gap of a 1e-12 in-memory fit; decision,
    probabilities and labels come back as Dask arrays equal to the in-memory ones."""
    import _logistic_reference as lref
    from _distributed_data import sparse_regression, to_dask, vector

    X, y = sparse_regression(seed=4)
    labels = np.where(y > np.median(y), "up", "down")
    y01 = (labels == "up").astype(float)
    n, p = X.shape
    s = np.random.default_rng(1).uniform(0.5, 1.5, n)
    Xd, yd, sd = to_dask(X, storage), vector(labels, n), vector(s, n)
    model = l1core.SparseLogisticRegression(alpha=0.02, tol=1e-9).fit(Xd, yd,
                                                                       sample_weight=sd)
    twin = distributed.SparseLogisticRegression(alpha=0.02, tol=1e-9).fit(
        Xd, yd, sample_weight=sd)
    np.testing.assert_array_equal(model.coef_, twin.coef_)
    assert model.dual_gap_ == twin.dual_gap_ and model.classes_.tolist() == ["down", "up"]
    a, c = lref.penalty_terms(0.02, 1.0, p)
    inf = np.full(p, np.inf)
    gap_np, primal = lref.binary_gap(X, y01, model.coef_[0], model.intercept_[0], s, a, c,
                                     -inf, inf)
    assert gap_np == pytest.approx(model.dual_gap_, rel=1e-5, abs=1e-13)
    pbar = (s / s.sum()) @ y01
    assert model.dual_gap_ <= 1e-9 * -(pbar * np.log(pbar) + (1 - pbar) * np.log1p(-pbar))
    best = l1core.SparseLogisticRegression(alpha=0.02, tol=1e-12, max_iter=100_000).fit(
        X, labels, sample_weight=s)
    assert primal - lref.binary_primal(X, y01, best.coef_[0], best.intercept_[0], s, a,
                                       c) <= model.dual_gap_ + 1e-12
    for method in ("decision_function", "predict_proba", "predict_log_proba", "predict"):
        lazy = getattr(model, method)(Xd)
        assert isinstance(lazy, da.Array), method
        expected = getattr(model, method)(X)
        if method == "predict":
            np.testing.assert_array_equal(lazy.compute(), expected)
            np.testing.assert_array_equal(lazy.compute(), best.predict(X))
        else:
            np.testing.assert_allclose(lazy.compute(), expected, rtol=1e-10, atol=1e-12)
    assert model.score(X, labels) == best.score(X, labels)


def test_logistic_on_a_dask_array_refuses_what_it_cannot_do():
    X, y, Xd, yd = partitioned()
    labels = da.from_array(np.where(y > 140, "high", "low"), chunks=100)
    with pytest.raises(ValueError, match="class_weight"):
        l1core.SparseLogisticRegression(class_weight="balanced").fit(Xd, labels)
    with pytest.raises(ValueError, match="offset"):
        l1core.SparseLogisticRegression().fit(Xd, labels, offset=np.zeros(442))
    model = l1core.SparseLogisticRegression().fit(Xd, labels)
    with pytest.raises(ValueError, match="offset"):
        model.predict(Xd, offset=np.zeros(442))
    with pytest.raises(ValueError, match="features"):
        model.predict(Xd[:, :5])


@pytest.mark.parametrize("multi_class", ["multinomial", "ovr"])
def test_in_memory_multiclass_fit_predicts_lazily_on_a_dask_array(multi_class):
    X, y, Xd, _ = partitioned()
    labels = np.digitize(y, [100, 200])
    model = l1core.SparseLogisticRegression(multi_class=multi_class).fit(X, labels)
    for method in ("decision_function", "predict_proba", "predict"):
        lazy = getattr(model, method)(Xd)
        assert isinstance(lazy, da.Array)
        np.testing.assert_allclose(lazy.compute(), getattr(model, method)(X), rtol=1e-10,
                                   atol=1e-12)
    np.testing.assert_allclose(model.predict_proba(Xd).sum(axis=1).compute(), 1.0)
