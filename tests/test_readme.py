"""The README's Python examples run as written (against the installed package)."""

import pathlib
import re

import pytest

README = pathlib.Path(__file__).resolve().parents[1] / "README.md"


def test_readme_examples_run():
    if not README.exists():
        pytest.skip("README.md is not next to the tests (installed test suite)")
    blocks = re.findall(r"```python\n(.*?)```", README.read_text(), re.S)
    assert len(blocks) >= 3
    namespace = {}
    exec(compile("\n".join(blocks), str(README), "exec"), namespace)
    # the examples end with fitted models; check they did what the text says
    assert namespace["cv"].alpha_1se_ >= namespace["cv"].alpha_
    assert namespace["coefs"].shape == (namespace["n_terms"], 100)
    assert namespace["clf"].predict_proba(namespace["X"][:5]).shape == (5, 2)
