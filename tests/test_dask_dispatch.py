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
    with pytest.raises(ValueError, match="bounds"):
        l1core.Lasso(alpha=1.0, positive=True).fit(Xd, yd)
    with pytest.raises(ValueError, match="offset"):
        l1core.Lasso(alpha=1.0).fit(Xd, yd, offset=np.zeros(442))
