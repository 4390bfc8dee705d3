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


def _cv_example(ns):
    cv, X = ns["cv"], ns["X"]
    assert cv.alpha_1se_ > cv.alpha_min_ == cv.alpha_
    support_1se = np.flatnonzero(cv.coef_at("1se"))
    assert 0 < support_1se.size < np.count_nonzero(cv.coef_at("min"))
    np.testing.assert_allclose(ns["y_1se"], X[:, support_1se] @ cv.coef_at("1se")[support_1se]
                               + cv.path_.intercept_at(cv.alpha_1se_), rtol=1e-10)


def _path_example(ns):
    path, X = ns["path"], ns["X"]
    assert ns["coefs"].shape == (10, 10) and ns["predictions"].shape == (X.shape[0], 10)
    assert path.summary().splitlines()[0].split() == ["Df", "%Dev", "Lambda"]
    assert list(path.n_nonzero) == list(np.count_nonzero(ns["coefs"], axis=0))
    assert ns["alphas"][-1] < 0.5 < ns["alphas"][0] and ns["coef"].shape == (10,)


def _lars_example(ns):
    alphas, coefs, model = ns["alphas"], ns["coefs"], ns["model"]
    assert ns["active"][:3] == [2, 8, 3] and coefs.shape == (10, len(alphas))
    np.testing.assert_allclose(model.coef_at(alphas[3]), coefs[:, 3], atol=1e-8)


def _sparse_path_and_cv_example(ns):
    assert ns["cv"].alpha_1se_ >= ns["cv"].alpha_
    assert ns["coefs"].shape == (ns["n_terms"], 100)


def _distributed_example(ns):
    model = ns["model"]
    np.testing.assert_array_equal(np.flatnonzero(model.coef_), np.arange(5))
    assert model.dual_gap_ <= 1e-4 * ns["y"].var()
    assert all(b == 4 * (300 + 3) * 8 for b in (h["pass_bytes"] for h in model.history_))
    # rows without the 5 informative features (0.9^5 of them) have random labels
    assert (ns["clf"].predict(ns["Xd"]).compute() == (ns["y"] > 0)).mean() > 0.65


def _logistic_example(ns):
    assert ns["proba"].shape == (5, 2)
    assert ns["coefs"].shape == (ns["X"].shape[1], 20)
    assert (ns["clf"].predict(ns["X"]) == ns["labels"]).mean() > 0.8


def _group_example(ns):
    assert set(ns["active"]) >= {0, 1} and ns["coefs"].shape == (60, 20)
    assert ns["gaps"].max() <= 1e-4 * ns["y"].var()
    assert set(np.flatnonzero(ns["gcv"].coef_at("1se")) // 5) >= {0, 1}


def _variants_example(ns):
    assert set(np.flatnonzero(ns["ada"].coef_)) >= {0, 1, 2, 3}
    assert ns["ada"].dual_gap_ <= 1e-4 * ns["y"].var()
    assert ns["acv"].gamma_ in (0.5, 1.0, 2.0) and ns["pcv"].eta_ >= 0.0
    assert set(np.flatnonzero(ns["prior"].coef_)) >= {0, 1, 2}


def _plot_example(ns):
    for name in ("lasso_path.png", "lasso_cv.png", "lasso_coef.png"):
        assert (ns["out"] / name).read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
        (ns["out"] / name).unlink()
    ns["out"].rmdir()


def _model_file_example(ns):
    again, cv, X = ns["again"], ns["cv"], ns["X"]
    assert type(again) is type(cv) and again.alpha_1se_ == cv.alpha_1se_
    np.testing.assert_allclose(again.predict(X, alpha="1se"), cv.predict(X, alpha="1se"),
                               rtol=1e-12)
    ns["file"].unlink()
    ns["file"].parent.rmdir()


def _glmnet_options_example(ns):
    assert ns["std"].coef_.shape == (50,) and ns["pred"].shape == (200,)
    assert np.count_nonzero(ns["short"].coefs[:, -1]) > 5 >= np.count_nonzero(
        ns["short"].coefs[:, -2])
    assert 0.0 <= ns["cv"].gamma_ <= 1.0 and np.count_nonzero(ns["cv"].coef_) >= 5


# what each block, in order, must have done
CHECKS = [_estimator_example, _cv_example, _path_example, _lars_example,
          _sparse_path_and_cv_example, _distributed_example, _logistic_example, _group_example,
          _variants_example, _plot_example, _model_file_example,
          _glmnet_options_example]


def test_readme_has_the_examples():
    if not README.exists():
        pytest.skip("README.md is not next to the tests (installed test suite)")
    assert len(BLOCKS) == len(CHECKS), "a new README python block needs its check here"


@pytest.mark.parametrize("index", range(len(BLOCKS)))
def test_readme_block_runs_on_its_own(index):
    if "import matplotlib" in BLOCKS[index]:
        pytest.importorskip("matplotlib")               # the plots' block needs l1core[plot]
    namespace = {"__name__": "__readme__"}           # fresh: nothing from another block
    exec(compile(BLOCKS[index], f"{README}, python block {index}", "exec"), namespace)
    if index < len(CHECKS):
        CHECKS[index](namespace)


def _prox_fista_pruning_example(ns):
    assert list(np.flatnonzero(ns["res"].coef)) == [0, 1, 2] and ns["res"].converged
    assert 0 < np.all(ns["W1"] == 0, axis=0).sum() < 32


CHECKS.append(_prox_fista_pruning_example)
