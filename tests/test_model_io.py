"""Portable model files: every estimator survives save_model/load_model with its parameters,
its fitted attributes and its predictions; the files hold no pickle; bad files are refused."""

import io
import json
import warnings
import zipfile
from concurrent.futures import ThreadPoolExecutor

import numpy as np
import pytest
import scipy.sparse as sp

import l1core
from l1core import (ElasticNet, ElasticNetCV, Lasso, LassoCV, SparseLogisticRegression,
                    SparseLogisticRegressionCV, load_model, save_model)


def _data(seed=0, n=60, p=8, classes=None):
    rng = np.random.default_rng(seed)
    X = rng.standard_normal((n, p))
    z = X[:, 0] - 2 * X[:, 1] + 0.3 * rng.standard_normal(n)
    if classes is None:
        return X, z
    cuts = np.quantile(z, np.linspace(0, 1, len(classes) + 1)[1:-1])
    return X, np.asarray(classes)[np.searchsorted(cuts, z)]


MODELS = [
    ("lasso", lambda: Lasso(alpha=0.05, penalty_factor=np.r_[0.0, np.ones(7)]), None),
    ("enet", lambda: ElasticNet(alpha=0.05, l1_ratio=0.3, lower_bounds=-1.0), None),
    ("lassocv", lambda: LassoCV(cv=3, n_alphas=10), None),
    ("enetcv", lambda: ElasticNetCV(l1_ratio=[0.5, 1.0], cv=3, n_alphas=8), None),
    ("logistic", lambda: SparseLogisticRegression(alpha=0.01, class_weight={"ham": 2.0}),
     ["ham", "spam"]),
    ("multinomial", lambda: SparseLogisticRegression(alpha=0.01), [0, 1, 2]),
    ("ovr", lambda: SparseLogisticRegression(alpha=0.01, multi_class="ovr",
                                             class_weight={0: 1.0, 2: 3.0}), [0, 1, 2]),
    ("logisticcv", lambda: SparseLogisticRegressionCV(cv=3, n_alphas=6, l1_ratio=[0.5, 1.0]),
     [-1.0, 1.0]),
]


def _assert_same_value(a, b):
    if isinstance(a, np.ndarray) or isinstance(a, np.generic):
        assert type(a) is type(b) and a.dtype == b.dtype and np.shape(a) == np.shape(b)
        np.testing.assert_array_equal(a, b)      # stored bytes, not a computed result
    elif sp.issparse(a):
        assert type(a) is type(b) and a.dtype == b.dtype and a.shape == b.shape
        np.testing.assert_array_equal(a.toarray(), b.toarray())
    elif isinstance(a, dict):
        assert a.keys() == b.keys()
        for k in a:
            _assert_same_value(a[k], b[k])
    elif isinstance(a, (list, tuple)):
        assert type(a) is type(b) and len(a) == len(b)
        for x, y in zip(a, b):
            _assert_same_value(x, y)
    else:
        assert type(a) is type(b) and a == b


@pytest.mark.parametrize("name,make,classes", MODELS, ids=[m[0] for m in MODELS])
def test_round_trip_keeps_params_attributes_and_predictions(tmp_path, name, make, classes):
    X, y = _data(classes=classes)
    model = make().fit(X, y)
    path = tmp_path / "model.npz"
    save_model(model, path)
    loaded = load_model(path)
    assert type(loaded) is type(model)
    _assert_same_value(model.get_params(deep=False), loaded.get_params(deep=False))
    state = {k: v for k, v in vars(model).items() if k.endswith("_") or k == "_mode"}
    assert state and state.keys() <= vars(loaded).keys()
    for key, value in state.items():
        _assert_same_value(value, getattr(loaded, key))
    np.testing.assert_array_equal(loaded.predict(X), model.predict(X))
    if classes is not None:
        np.testing.assert_allclose(loaded.predict_proba(X), model.predict_proba(X),
                                   rtol=0, atol=0)


def test_file_holds_no_pickle_and_reads_with_allow_pickle_false(tmp_path):
    X, y = _data(classes=["a", "b"])
    path = tmp_path / "m.npz"
    save_model(SparseLogisticRegression(alpha=0.01).fit(X, y), str(path))
    assert path.exists() and not (tmp_path / "m.npz.npz").exists()
    with zipfile.ZipFile(path) as z:
        assert all(name.endswith(".npy") for name in z.namelist())
    with np.load(path, allow_pickle=False) as f:
        meta = json.loads(str(f["__l1core__"]))
        assert all(not f[k].dtype.hasobject for k in f.files)
    assert meta["format"] == "l1core-model" and meta["class"] == "SparseLogisticRegression"
    assert meta["params"]["alpha"] == 0.01 and meta["skipped"] == []


def test_unfitted_model_and_file_objects(tmp_path):
    buffer = io.BytesIO()
    save_model(ElasticNet(alpha=0.3, l1_ratio=0.2, precompute=False), buffer)
    buffer.seek(0)
    loaded = load_model(buffer)
    assert loaded.get_params() == ElasticNet(alpha=0.3, l1_ratio=0.2,
                                             precompute=False).get_params()
    assert not hasattr(loaded, "coef_")


def test_objects_that_need_pickle_are_skipped_with_a_warning(tmp_path):
    X, y = _data()
    with ThreadPoolExecutor(1) as executor:
        model = LassoCV(cv=3, n_alphas=5, executor=executor,
                        random_state=np.random.default_rng(0)).fit(X, y)
    model.extra_ = object()
    with pytest.warns(UserWarning, match="executor.*random_state.*extra_"):
        skipped = save_model(model, tmp_path / "m.npz")
    assert len(skipped) == 3
    loaded = load_model(tmp_path / "m.npz")
    assert loaded.executor is None and loaded.random_state is None
    assert not hasattr(loaded, "extra_")
    np.testing.assert_array_equal(loaded.predict(X), model.predict(X))


def test_special_values_round_trip(tmp_path):
    model = Lasso(alpha=0.1, upper_bounds=np.inf, lower_bounds=-np.inf, verbose="[x] ")
    model.sparse_attr_ = sp.csr_matrix(np.eye(3))
    model.nan_ = float("nan")
    model.f32_ = np.float32(1.5)
    model.pair_ = (1, "a")
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        save_model(model, tmp_path / "m.npz")
    loaded = load_model(tmp_path / "m.npz")
    assert loaded.upper_bounds == np.inf and loaded.lower_bounds == -np.inf
    assert loaded.verbose == "[x] " and np.isnan(loaded.nan_)
    assert isinstance(loaded.f32_, np.float32) and loaded.pair_ == (1, "a")
    assert sp.issparse(loaded.sparse_attr_) and loaded.sparse_attr_.format == "csr"
    np.testing.assert_array_equal(loaded.sparse_attr_.toarray(), np.eye(3))


def test_only_l1core_estimators_are_saved(tmp_path):
    class Other(Lasso):
        pass

    with pytest.raises(TypeError, match="l1core estimators only"):
        save_model(Other(), tmp_path / "m.npz")


def _npz(path, **arrays):
    with open(path, "wb") as f:
        np.savez(f, **arrays)
    return path


@pytest.mark.parametrize("case", ["text", "plain_npz", "not_json", "other_format", "future",
                                  "unknown_class", "bad_param"])
def test_bad_files_raise_value_error(tmp_path, case):
    path = tmp_path / "bad.npz"
    meta = {"format": "l1core-model", "version": 1, "class": "Lasso", "params": {},
            "attributes": {}, "skipped": []}
    if case == "text":
        path.write_text("1 1:0.5\n")
    elif case == "plain_npz":
        _npz(path, X=np.zeros(3))
    elif case == "not_json":
        _npz(path, __l1core__=np.array("{"))
    else:
        if case == "other_format":
            meta["format"] = "something"
        elif case == "future":
            meta["version"] = 99
        elif case == "unknown_class":
            meta["class"] = "os.system"
        else:
            meta["params"] = {"no_such_param": 1}
        _npz(path, __l1core__=np.array(json.dumps(meta)))
    with pytest.raises(ValueError, match="bad.npz"):
        load_model(path)


def test_missing_file_raises_file_not_found(tmp_path):
    with pytest.raises(FileNotFoundError):
        load_model(tmp_path / "none.npz")


def test_exported():
    assert l1core.save_model is save_model and l1core.load_model is load_model


class _Result(tuple):
    """Stands in for an l1core result object: a tuple subclass with attributes."""

    @property
    def alphas(self):
        return self[0]


def test_l1core_tuple_subclasses_round_trip(tmp_path, monkeypatch):
    import l1core._path

    monkeypatch.setattr(_Result, "__module__", "l1core._path")
    monkeypatch.setattr(l1core._path, "_Result", _Result, raising=False)
    model = Lasso()
    model.path_ = _Result((np.array([1.0, 0.5]), sp.csc_array(np.eye(2))))
    model.path_.note = "kept"
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        save_model(model, tmp_path / "m.npz")
    loaded = load_model(tmp_path / "m.npz").path_
    assert type(loaded) is _Result and loaded.note == "kept"
    np.testing.assert_array_equal(loaded.alphas, [1.0, 0.5])
    assert isinstance(loaded[1], sp.csc_array)
    monkeypatch.delattr(l1core._path, "_Result")
    assert type(load_model(tmp_path / "m.npz").path_) is tuple   # class gone: its items
