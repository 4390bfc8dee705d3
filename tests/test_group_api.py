"""groups= parsing, validation and the estimators' scikit-learn behaviour."""

import numpy as np
import pytest

from _group_reference import dual_norm
from l1core import GroupLasso, SparseGroupLasso
from l1core._group_cd import dual_norms
from l1core._groups import group_weights, parse_groups


def test_groups_as_size_labels_and_index_arrays():
    ptr, feat = parse_groups(3, 7)
    assert ptr.tolist() == [0, 3, 6, 7] and feat.tolist() == list(range(7))
    ptr, feat = parse_groups(["b", "a", "b", "c"], 4)
    assert ptr.tolist() == [0, 1, 3, 4] and feat.tolist() == [1, 0, 2, 3]
    ptr, feat = parse_groups([[4, 1], np.array([0])], 6)
    assert ptr.tolist() == [0, 2, 3] and feat.tolist() == [4, 1, 0]
    assert group_weights(None, ptr).tolist() == pytest.approx([np.sqrt(2), 1.0])


@pytest.mark.parametrize("groups, match", [
    (0, ">= 1"), ([[0, 1], [1, 2]], "disjoint"), ([[0, 9]], "outside"), ([[]], "non-empty"),
    ([0, 1], "one label per feature"), ([[0.5]], "integer"), ("abc", "group size")])
def test_bad_groups_raise(groups, match):
    with pytest.raises((ValueError, TypeError), match=match):
        parse_groups(groups, 4)


def test_bad_weights_raise():
    with pytest.raises(ValueError, match="one value per group"):
        group_weights([1.0], np.array([0, 2, 4]))
    with pytest.raises(ValueError, match="non-negative"):
        group_weights([1.0, -1.0], np.array([0, 2, 4]))


def test_uncovered_features_get_zero():
    rng = np.random.default_rng(0)
    X = rng.standard_normal((40, 6))
    y = X @ np.ones(6)
    m = GroupLasso(alpha=0.01, groups=[[0, 1], [4]]).fit(X, y)
    assert not np.any(m.coef_[[2, 3, 5]]) and np.all(m.coef_[[0, 1, 4]] != 0)


@pytest.mark.parametrize("positive", [False, True])
def test_exact_dual_norm(positive):
    rng = np.random.default_rng(3)
    q = rng.standard_normal(40)
    ptr = np.array([0, 1, 5, 12, 40], dtype=np.intp)
    feat = np.arange(40, dtype=np.intp)
    a, c = rng.uniform(0.0, 1.0, 4), rng.uniform(0.0, 1.0, 4)
    a[0], c[1] = 0.0, 0.0
    got = dual_norms(q, ptr, feat, a, c, positive)
    want = [dual_norm(q[ptr[g]:ptr[g + 1]], a[g], c[g], positive) for g in range(4)]
    np.testing.assert_allclose(got, want, rtol=1e-10)


def test_estimator_basics():
    rng = np.random.default_rng(0)
    X = rng.standard_normal((30, 8))
    y = X[:, :2].sum(1)
    m = SparseGroupLasso(alpha=0.01, groups=2).fit(X, y)
    assert m.predict(X).shape == (30,) and m.score(X, y) > 0.9
    assert m.get_params()["groups"] == 2
    with pytest.raises(ValueError, match="features"):
        m.predict(X[:, :3])


def test_group_path_is_a_path_result():
    """group_lasso_path unpacks as before and carries the PathResult attributes: nonzero
    coefficients and groups, deviance explained recomputed in NumPy, sparse coefficients,
    coef_at/predict, pickling."""
    import pickle

    import scipy.sparse as sp

    from l1core import PathResult, group_lasso_path

    rng = np.random.default_rng(2)
    X = rng.standard_normal((40, 9))
    y = X[:, :2].sum(1) + 0.5 * rng.standard_normal(40) + 3.0
    s = rng.uniform(0.0, 2.0, 40)
    groups = [[0, 1], [2, 3, 4], [5], [6, 8]]                  # feature 7 in no group
    path = group_lasso_path(X, y, groups=groups, l1_ratio=0.3, n_alphas=6, sample_weight=s,
                            tol=1e-10)
    alphas, coefs, gaps, n_iters = path
    assert isinstance(path, PathResult) and len(path) == 4 and coefs.shape == (9, 6)
    full = group_lasso_path(X, y, groups=groups, l1_ratio=0.3, n_alphas=6, sample_weight=s,
                            tol=1e-10, return_intercept=True, sparse_coefs=True)
    assert len(full) == 5 and sp.issparse(full.coefs)
    np.testing.assert_allclose(full.coefs.toarray(), coefs)
    np.testing.assert_array_equal(path.n_nonzero, np.count_nonzero(coefs, axis=0))
    nonzero_groups = [sum(np.any(coefs[g, k] != 0) for g in groups) for k in range(6)]
    np.testing.assert_array_equal(path.n_groups_nonzero, nonzero_groups)
    assert path.n_groups_nonzero[0] == 0 and path.n_groups_nonzero[-1] > 0
    sw = s / s.sum()
    residual = y[:, None] - X @ coefs - full.intercepts
    null = sw @ (y - sw @ y) ** 2
    np.testing.assert_allclose(path.deviance_explained, 1 - sw @ residual**2 / null,
                               rtol=1e-10, atol=1e-12)
    assert "Groups" in path.summary()
    np.testing.assert_allclose(full.predict(X, alpha=alphas[3]),
                               X @ coefs[:, 3] + full.intercepts[3], rtol=1e-12)
    again = pickle.loads(pickle.dumps(full))
    np.testing.assert_array_equal(again.n_groups_nonzero, path.n_groups_nonzero)
    assert PathResult(("alphas",), alphas=alphas, coefs=coefs, dual_gaps=gaps,
                      n_iters=n_iters, intercepts=full.intercepts, seconds=gaps,
                      deviance_explained=gaps).n_groups_nonzero is None


def test_csr_within_budget_is_solved_from_its_csc_copy():
    """GroupProblem reads X through l1core._column_store: a CSR matrix whose CSC copy fits
    csr_copy_budget is solved from that copy (the CSC kernel), to the CSR kernel's answer."""
    import scipy.sparse as sp

    from l1core import config_context
    from l1core._group_solver import GroupProblem

    rng = np.random.default_rng(3)
    X = sp.random(80, 24, density=0.3, format="csr", random_state=3)
    y = X @ rng.standard_normal(24) + 0.1 * rng.standard_normal(80)
    fits = {}
    for budget in ("auto", 0):
        with config_context(csr_copy_budget=budget):
            problem = GroupProblem(X, y, groups=4, l1_ratio=0.3)
            fits[budget] = (problem.X.format,
                            problem.solve(0.05 * problem.alpha_max(), tol=1e-12).coef)
    assert fits["auto"][0] == "csc" and fits[0][0] == "csr"
    assert X.format == "csr"                     # the user's matrix is left alone
    np.testing.assert_allclose(fits["auto"][1], fits[0][1], rtol=0, atol=1e-9)
