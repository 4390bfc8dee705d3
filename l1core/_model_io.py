"""Portable model files: ``save_model(model, path)`` and ``load_model(path)``.

A model file is a NumPy ``.npz`` archive (a zip of ``.npy`` arrays) holding no pickle:

- ``__l1core__``: a JSON string ``{"format": "l1core-model", "version": 1, "class": name,
  "params": {...}, "attributes": {...}, "skipped": [...]}``;
- one ``.npy`` entry per array, referenced from the JSON as ``{"__array__": key}``.

Values are encoded as JSON where they can be (None, bool, int, str, float: inf and NaN as
``{"__float__": "inf"}``, lists, dicts with string keys), as arrays otherwise (ndarrays,
NumPy scalars as 0-d arrays, so their dtype survives); dicts with other keys (a
``class_weight`` keyed by int labels) as a list of pairs, scipy sparse matrices as their
CSR arrays, tuples as their items (l1core's own tuple subclasses, such as path results,
with their class name and instance attributes: rebuilt only if the class is l1core's). Files are read with ``np.load(allow_pickle=False)``.

What cannot be stored this way is skipped and listed under ``skipped``: parameters that are
objects (an ``executor``, a ``cv`` splitter, a ``random_state`` Generator) are restored to
their defaults, attributes that are neither arrays nor plain values (an object array, a
result object) are absent from the loaded model. Such a model still predicts: its
prediction needs only ``coef_``, ``intercept_`` and (classifiers) ``classes_``.
"""

from __future__ import annotations

import json
import math
import numbers
import warnings
import zipfile

import numpy as np
import scipy.sparse as sp

from ._typing import Any, FileLike

__all__ = ["save_model", "load_model"]

FORMAT = "l1core-model"
VERSION = 1
_META = "__l1core__"


class _Unstorable(Exception):
    """A value the format cannot hold without pickle."""


def _estimator_classes():
    """The estimator classes a model file may name: l1core's public estimators only."""
    import l1core
    from ._estimator_base import BaseEstimator

    return {name: obj for name in l1core.__all__
            if isinstance(obj := getattr(l1core, name), type) and issubclass(obj, BaseEstimator)}


class _Encoder:
    """Turns a value into JSON, moving its arrays into ``self.arrays``."""

    def __init__(self):
        self.arrays = {}

    def _array(self, arr):
        arr = np.asarray(arr)
        if arr.dtype.hasobject:
            raise _Unstorable(f"an array of dtype {arr.dtype}")
        key = f"a{len(self.arrays)}"
        self.arrays[key] = arr
        return {"__array__": key}

    def encode(self, value):
        if value is None or isinstance(value, (bool, str)):
            return value
        if isinstance(value, np.generic) or isinstance(value, np.ndarray):
            return self._array(value)
        if isinstance(value, numbers.Integral):
            return int(value)
        if isinstance(value, float):
            return value if math.isfinite(value) else {"__float__": repr(value)}
        if sp.issparse(value):
            csr = sp.csr_array(value)
            return {"__sparse__": type(value).__name__, "shape": list(csr.shape),
                    "data": self._array(csr.data), "indices": self._array(csr.indices),
                    "indptr": self._array(csr.indptr)}
        if isinstance(value, list) or type(value) is tuple:
            items = [self.encode(v) for v in value]
            return items if isinstance(value, list) else {"__tuple__": items}
        if isinstance(value, tuple) and _l1core_class(type(value)):
            # a result object of l1core (a tuple subclass): its items and its attributes
            return {"__tuple__": [self.encode(v) for v in value],
                    "class": _l1core_class(type(value)),
                    "attributes": {k: self.encode(v)
                                   for k, v in getattr(value, "__dict__", {}).items()}}
        if type(value) is dict:
            if all(isinstance(k, str) and not k.startswith("__") for k in value):
                return {k: self.encode(v) for k, v in value.items()}
            return {"__pairs__": [[self.encode(k), self.encode(v)] for k, v in value.items()]}
        raise _Unstorable(type(value).__name__)


def _decode(value, arrays):
    if isinstance(value, list):
        return [_decode(v, arrays) for v in value]
    if not isinstance(value, dict):
        return value
    if "__array__" in value:
        arr = arrays[value["__array__"]]
        return arr[()] if arr.ndim == 0 else arr
    if "__float__" in value:
        return float(value["__float__"])
    if "__tuple__" in value:
        items = tuple(_decode(v, arrays) for v in value["__tuple__"])
        return _rebuild_tuple(value, items, arrays) if "class" in value else items
    if "__pairs__" in value:
        return {_key(_decode(k, arrays)): _decode(v, arrays) for k, v in value["__pairs__"]}
    if "__sparse__" in value:
        csr = sp.csr_array((_decode(value["data"], arrays), _decode(value["indices"], arrays),
                            _decode(value["indptr"], arrays)), shape=tuple(value["shape"]))
        kind = str(value["__sparse__"])               # e.g. "csc_array": format and class
        out = sp.csr_matrix(csr) if kind.endswith("matrix") else csr
        return out.asformat(kind[:3]) if kind[:3] in ("csr", "csc", "coo") else out
    return {k: _decode(v, arrays) for k, v in value.items()}


def _l1core_class(cls):
    """``module:qualname`` of a class defined in l1core, else None."""
    module = getattr(cls, "__module__", "")
    return f"{module}:{cls.__qualname__}" if module.split(".")[0] == "l1core" else None


def _rebuild_tuple(value, items, arrays):
    """An l1core tuple subclass back from its items (``tuple.__new__``: no constructor
    logic runs) and its instance attributes; a plain tuple if the class is gone."""
    import importlib

    module, _, name = str(value["class"]).partition(":")
    if module.split(".")[0] != "l1core":
        return items
    try:
        cls = importlib.import_module(module)
        for part in name.split("."):
            cls = getattr(cls, part)
    except (ImportError, AttributeError):
        return items
    if not (isinstance(cls, type) and issubclass(cls, tuple)):
        return items
    out = tuple.__new__(cls, items)
    for key, attr in value.get("attributes", {}).items():
        setattr(out, key, _decode(attr, arrays))
    return out


def _key(k):
    """A dict key back from an array (a 0-d array decodes to a NumPy scalar, hashable)."""
    return k.item() if isinstance(k, np.generic) else k


def _fitted_attributes(model, params):
    """The instance attributes that are not parameters: the fitted state (``coef_``, ...,
    and private ones such as the logistic ``_mode``)."""
    return {k: v for k, v in vars(model).items() if k not in params and not k.startswith("__")}


def save_model(model: Any, path: FileLike) -> list[str]:
    """Write a fitted (or unfitted) l1core estimator to ``path`` as a portable ``.npz`` file
    (arrays plus a JSON description; no pickle). Values the format cannot hold are skipped,
    with a ``UserWarning`` naming them (see the module docstring). ``path``: a file name
    (written as given, no extension added) or a binary file object. Returns the list of
    skipped names.

    Examples
    --------
    >>> import numpy as np
    >>> from l1core.datasets import load_diabetes
    >>> X, y, names = load_diabetes()
    >>> import io
    >>> from l1core import Lasso, load_model, save_model
    >>> model = Lasso(alpha=1.0).fit(X, y)
    >>> file = io.BytesIO()                           # or a file name
    >>> save_model(model, file)                       # returns what it could not store
    []
    >>> again = load_model(io.BytesIO(file.getvalue()))
    >>> again, bool(np.array_equal(again.coef_, model.coef_))
    (Lasso(), True)
    """
    classes = _estimator_classes()
    name = type(model).__name__
    if classes.get(name) is not type(model):
        raise TypeError(f"save_model stores l1core estimators only, got {name}.")
    encoder = _Encoder()
    skipped = []
    params = model.get_params(deep=False)

    def encode_all(values, what):
        out = {}
        for key, value in values.items():
            try:
                out[key] = encoder.encode(value)
            except _Unstorable as exc:
                skipped.append(f"{what} {key} ({exc})")
        return out

    meta = {"format": FORMAT, "version": VERSION, "class": name,
            "params": encode_all(params, "parameter"),
            "attributes": encode_all(_fitted_attributes(model, params), "attribute")}
    meta["skipped"] = skipped
    if skipped:
        warnings.warn(f"save_model: not stored (no pickle): {', '.join(skipped)}.",
                      UserWarning, stacklevel=2)
    arrays = dict(encoder.arrays)
    arrays[_META] = np.array(json.dumps(meta))
    if isinstance(path, (str, bytes)) or hasattr(path, "__fspath__"):
        with open(path, "wb") as f:
            np.savez_compressed(f, **arrays)
    else:
        np.savez_compressed(path, **arrays)
    return skipped


def load_model(path: FileLike) -> Any:
    """Read a model written by :func:`save_model`: a new estimator of the stored class with
    the stored parameters and fitted attributes. Raises ``ValueError`` for a file that is not
    an l1core model file (or comes from a newer format version).

    Examples
    --------
    >>> import numpy as np
    >>> from l1core.datasets import load_diabetes
    >>> X, y, names = load_diabetes()
    >>> import io
    >>> from l1core import LassoCV, load_model, save_model
    >>> cv = LassoCV(cv=3, n_alphas=10).fit(X, y)
    >>> file = io.BytesIO()
    >>> _ = save_model(cv, file)
    >>> again = load_model(io.BytesIO(file.getvalue()))
    >>> bool(np.allclose(again.predict(X, alpha="1se"), cv.predict(X, alpha="1se")))
    True
    """
    try:
        with np.load(path, allow_pickle=False) as archive:
            files = getattr(archive, "files", ())
            arrays = {key: archive[key] for key in files}
    except FileNotFoundError:
        raise
    except (zipfile.BadZipFile, EOFError, OSError, ValueError):
        # not a zip (a text file, a plain .npy, something pickled): not a model file
        raise ValueError(f"{path}: not an l1core model file (not a .npz archive).") from None
    if _META not in arrays:
        raise ValueError(f"{path}: not an l1core model file (no {_META} entry).")
    try:
        meta = json.loads(str(arrays.pop(_META)))
    except json.JSONDecodeError as exc:
        raise ValueError(f"{path}: corrupt l1core model file ({exc}).") from None
    if not isinstance(meta, dict) or meta.get("format") != FORMAT:
        raise ValueError(f"{path}: not an l1core model file.")
    if not isinstance(meta.get("version"), int) or meta["version"] > VERSION:
        raise ValueError(f"{path}: model file version {meta.get('version')!r} is newer than "
                         f"this l1core reads ({VERSION}); upgrade l1core.")
    cls = _estimator_classes().get(meta.get("class"))
    if cls is None:
        raise ValueError(f"{path}: unknown estimator class {meta.get('class')!r}.")
    try:
        params = _decode(meta["params"], arrays)
        attributes = _decode(meta["attributes"], arrays)
        model = cls(**params)
    except (KeyError, TypeError) as exc:
        raise ValueError(f"{path}: corrupt l1core model file ({exc!r}).") from None
    for key, value in attributes.items():
        setattr(model, key, value)
    return model
