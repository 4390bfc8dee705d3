"""Cross-validation picks the alpha that exact solutions pick (issue 10).

The fold paths are solved at ``fold_tol(tol)``, tighter than the user's tol: on random p >> n
problems the choice at the default tol must equal the choice at tol=1e-12, and scikit-learn's
LassoCV with the same folds at a tight tol. A choice at the small end of the grid warns.
"""

import pickle
import warnings
from concurrent.futures import ThreadPoolExecutor

import numpy as np
import pytest

import l1core
from l1core._cv import fold_tol

SEEDS = range(10)
# scikit-learn is slow at a tight tol on the small alphas: three problems (seed 2 is one where
# the fold paths at tol itself choose the neighbouring alpha)
SKLEARN_SEEDS = (0, 2, 5)


def _wide_problem(seed, n=40, p=200):
    rng = np.random.default_rng(seed)
    X = rng.standard_normal((n, p))
    w = np.zeros(p)
    w[rng.choice(p, 5, replace=False)] = rng.uniform(0.5, 2.0, 5) * rng.choice([-1, 1], 5)
    y = X @ w + rng.uniform(1.5, 3.0) * rng.standard_normal(n)
    return X, y


def _folds(n, k=5):
    return [(np.setdiff1d(np.arange(n), test), test)
            for test in np.array_split(np.arange(n), k)]


def test_fold_tol_is_tighter_never_looser():
    assert fold_tol(1e-4) == pytest.approx(1e-5)
    assert fold_tol(1e-8) == pytest.approx(1e-8)          # floor
    assert fold_tol(1e-12) == pytest.approx(1e-12)        # never looser than tol
    assert fold_tol(0.1) == pytest.approx(1e-2)


def _alpha(X, y, folds, tol):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", l1core.AlphaGridEdgeWarning)
        return l1core.LassoCV(cv=folds, tol=tol, max_iter=100_000).fit(X, y).alpha_


@pytest.mark.parametrize("seed", SEEDS)
def test_default_tol_picks_the_alpha_of_exact_solutions(seed):
    X, y = _wide_problem(seed)
    folds = _folds(X.shape[0])
    exact = _alpha(X, y, folds, 1e-12)
    assert _alpha(X, y, folds, 1e-4) == pytest.approx(exact, rel=1e-10)


@pytest.mark.parametrize("seed", SKLEARN_SEEDS)
def test_choice_matches_scikit_learn_at_tight_tol(seed):
    sklearn_lm = pytest.importorskip("sklearn.linear_model")
    X, y = _wide_problem(seed)
    folds = _folds(X.shape[0])
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        ref = sklearn_lm.LassoCV(cv=folds, tol=1e-8, max_iter=100_000).fit(X, y)
    # the grids agree to rounding (alpha_max computed by each library)
    assert _alpha(X, y, folds, 1e-4) == pytest.approx(ref.alpha_, rel=1e-8)


def test_smallest_alpha_of_the_grid_warns():
    # noiseless sparse signal: the held-out error falls all the way down the short grid
    rng = np.random.default_rng(0)
    X = rng.standard_normal((60, 10))
    y = X @ rng.standard_normal(10)
    with pytest.warns(l1core.AlphaGridEdgeWarning, match="smallest"):
        model = l1core.LassoCV(eps=1e-1, n_alphas=10).fit(X, y)
    assert model.alpha_ == pytest.approx(model.alphas_[-1])
    # a grid that reaches far enough does not warn
    X, y = _wide_problem(0)
    with warnings.catch_warnings():
        warnings.simplefilter("error", l1core.AlphaGridEdgeWarning)
        l1core.LassoCV().fit(X, y)


def test_cv_model_with_an_executor_pickles():
    X, y = _wide_problem(1, n=30, p=20)
    with ThreadPoolExecutor(2) as pool:
        for model in (l1core.LassoCV(executor=pool, n_alphas=10),
                      l1core.SparseLogisticRegressionCV(executor=pool, n_alphas=5)):
            target = y if isinstance(model, l1core.LassoCV) else (y > 0).astype(int)
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                model.fit(X, target)
            copy = pickle.loads(pickle.dumps(model))
            assert copy.executor is None
            assert model.executor is pool                   # the original keeps it
            np.testing.assert_allclose(copy.predict(X), model.predict(X), rtol=1e-14)
