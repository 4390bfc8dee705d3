"""The API's documentation: the docstrings' Examples run as doctests (against the installed
package), every public estimator and function has one, and its type hints resolve and ship
(``py.typed``).

Outputs are written to be robust to the BLAS kernel: rounded values, nonzero indices,
shapes, never full float reprs. The plotting examples need matplotlib (Agg backend)."""

import doctest
import importlib
import importlib.util
import inspect
import pkgutil
import sys
import typing
from importlib import resources

import pytest

import l1core

FLAGS = doctest.NORMALIZE_WHITESPACE | doctest.ELLIPSIS


def _has_python_source(name):
    """Whether the module is Python source (the compiled kernels hold no doctests)."""
    spec = importlib.util.find_spec(name)
    return spec is not None and spec.origin is not None and spec.origin.endswith(".py")


MODULES = ["l1core"] + sorted(name for _, name, _ in
                             pkgutil.walk_packages(l1core.__path__, prefix="l1core.")
                             if name.rsplit(".", 1)[-1] != "__main__"
                             and _has_python_source(name))
NEEDS = {"l1core.plotting": "matplotlib"}

# Exceptions, warnings and result records: documented by what raises or returns them.
NO_EXAMPLE = {"ConvergenceWarning", "NotFittedError", "AlphaGridEdgeWarning",
              "NumericalWarning", "EnetSolution", "LogisticSolution", "__version__"}


def _public_names():
    """Every public estimator and function, as a dotted name under ``l1core``."""
    from l1core import distributed, plotting

    return ([name for name in l1core.__all__ if name not in NO_EXAMPLE]
            + [f"plotting.{name}" for name in plotting.__all__]
            + ["datasets.load_diabetes"]
            + [f"distributed.{name}" for name in distributed.__all__])


def _resolve(dotted):
    module, _, name = ("l1core." + dotted).rpartition(".")
    return getattr(importlib.import_module(module), name)




@pytest.mark.parametrize("name", MODULES)
def test_module_doctests(name):
    if name in NEEDS:
        pytest.importorskip(NEEDS[name])
    module = importlib.import_module(name)
    try:
        result = doctest.testmod(module, optionflags=FLAGS, report=True, verbose=False)
    finally:
        if "matplotlib.pyplot" in sys.modules:       # the plotting examples' figures
            sys.modules["matplotlib.pyplot"].close("all")
    assert result.failed == 0, f"{result.failed} of {result.attempted} examples failed in {name}"


@pytest.mark.parametrize("name", _public_names())
def test_public_api_has_a_runnable_example(name):
    obj = _resolve(name)
    doc = inspect.getdoc(obj) or ""
    assert "Examples\n--------" in doc and ">>> " in doc, f"{name} has no Examples section"
    tests = doctest.DocTestFinder(recurse=False).find(obj, name)
    assert sum(len(t.examples) for t in tests) >= 2, f"{name}: no runnable example"


def _signatures(obj):
    """The public callables whose annotations users' type checkers read."""
    if not inspect.isclass(obj):
        return [obj]
    return [getattr(obj, m) for m in ("__init__", "fit", "predict", "predict_proba",
                                      "decision_function", "coef_at", "summary")
            if m in vars(obj) or (m != "__init__" and hasattr(obj, m))]


@pytest.mark.parametrize("name", _public_names())
def test_public_type_hints_resolve(name):
    extra = {}
    if name.startswith("plotting."):
        extra["Axes"] = pytest.importorskip("matplotlib.axes").Axes
    for fn in _signatures(_resolve(name)):
        hints = typing.get_type_hints(fn, localns=extra)      # a misspelt name raises
        parameters = [p for p in inspect.signature(fn).parameters if p not in ("self", "kwargs")]
        assert "return" in hints and set(parameters) <= set(hints), (name, fn.__name__)


def test_package_ships_py_typed():
    assert resources.files("l1core").joinpath("py.typed").is_file()
