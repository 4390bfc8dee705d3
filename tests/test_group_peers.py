"""Group Lasso against skglm's and celer's (test-only references, skipped when absent)."""

import numpy as np
import pytest

from l1core import GroupLasso


@pytest.fixture
def problem():
    rng = np.random.default_rng(0)
    X = rng.standard_normal((60, 40))
    y = X[:, :8] @ rng.standard_normal(8) + 0.1 * rng.standard_normal(60)
    return X, y, 0.1 * np.max([np.linalg.norm(X[:, g:g + 4].T @ y) / 60 / 2
                               for g in range(0, 40, 4)])


def objective(X, y, w, alpha):
    groups = w.reshape(-1, 4)
    return 0.5 * np.mean((y - X @ w) ** 2) + alpha * 2 * np.linalg.norm(groups, axis=1).sum()


def test_matches_skglm(problem):
    skglm = pytest.importorskip("skglm")
    X, y, alpha = problem
    ref = skglm.GroupLasso(groups=4, alpha=alpha, weights=np.full(10, 2.0), tol=1e-12,
                           fit_intercept=False, max_iter=1000).fit(X, y)
    ours = GroupLasso(alpha=alpha, groups=4, fit_intercept=False, tol=1e-14).fit(X, y)
    np.testing.assert_allclose(ours.coef_, ref.coef_, atol=1e-6)
    assert objective(X, y, ours.coef_, alpha) <= objective(X, y, ref.coef_, alpha) + 1e-12


def test_matches_celer(problem):
    celer = pytest.importorskip("celer")
    X, y, alpha = problem
    ref = celer.GroupLasso(groups=4, alpha=alpha, weights=np.full(10, 2.0), tol=1e-12,
                           fit_intercept=False).fit(X, y)
    ours = GroupLasso(alpha=alpha, groups=4, fit_intercept=False, tol=1e-14).fit(X, y)
    np.testing.assert_allclose(ours.coef_, ref.coef_, atol=1e-6)
    assert objective(X, y, ours.coef_, alpha) <= objective(X, y, ref.coef_, alpha) + 1e-12
