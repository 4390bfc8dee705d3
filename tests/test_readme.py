"""The README's Python examples run as written (against the installed package), each block
on its own: a reader may copy any one of them into a fresh interpreter."""

import pathlib
import re

import numpy as np
import pytest

README = pathlib.Path(__file__).resolve().parents[1] / "README.md"
BLOCKS = (re.findall(r"```python\n(.*?)```", README.read_text(), re.S)
          if README.exists() else [])


def _estimator_example(ns):
    assert ns["model"].score(ns["X"], ns["y"]) > 0.9


def _sparse_path_and_cv_example(ns):
    assert ns["cv"].alpha_1se_ >= ns["cv"].alpha_
    assert ns["coefs"].shape == (ns["n_terms"], 100)


def _logistic_example(ns):
    assert ns["proba"].shape == (5, 2)
    assert ns["coefs"].shape == (ns["X"].shape[1], 20)
    assert (ns["clf"].predict(ns["X"]) == ns["labels"]).mean() > 0.8


def _group_example(ns):
    assert set(ns["active"]) >= {0, 1} and ns["coefs"].shape == (60, 20)
    assert ns["gaps"].max() <= 1e-4 * ns["y"].var()


def _glmnet_options_example(ns):
    assert ns["std"].coef_.shape == (50,) and ns["pred"].shape == (200,)
    assert np.count_nonzero(ns["short"].coefs[:, -1]) > 5 >= np.count_nonzero(
        ns["short"].coefs[:, -2])
    assert 0.0 <= ns["cv"].gamma_ <= 1.0 and np.count_nonzero(ns["cv"].coef_) >= 5


# what each block, in order, must have done
CHECKS = [_estimator_example, _sparse_path_and_cv_example, _logistic_example, _group_example,
          _glmnet_options_example]


def test_readme_has_the_examples():
    if not README.exists():
        pytest.skip("README.md is not next to the tests (installed test suite)")
    assert len(BLOCKS) == len(CHECKS), "a new README python block needs its check here"


@pytest.mark.parametrize("index", range(len(BLOCKS)))
def test_readme_block_runs_on_its_own(index):
    namespace = {"__name__": "__readme__"}           # fresh: nothing from another block
    exec(compile(BLOCKS[index], f"{README}, python block {index}", "exec"), namespace)
    if index < len(CHECKS):
        CHECKS[index](namespace)
