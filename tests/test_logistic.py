"""Tests of the penalized logistic regression: kernel certificates recomputed in NumPy,
storage/dtype agreement, scikit-learn agreement, the estimator API and the path."""

import os
import sys
import warnings

import numpy as np
import pytest
import scipy.sparse as sp

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import _logistic_reference as lref  # noqa: E402

from l1core import ConvergenceWarning, SparseLogisticRegression, logistic_path  # noqa: E402
from l1core._logistic import logistic_alpha_max  # noqa: E402
from l1core._logistic_solver import logistic_solve  # noqa: E402

STORAGES = ("dense", "csc", "csr")


def as_storage(X, storage, dtype=np.float64, index_dtype=np.int32):
    if storage == "dense":
        return np.asfortranarray(X, dtype=dtype)
    M = (sp.csc_matrix if storage == "csc" else sp.csr_matrix)(X.astype(dtype))
    M.indices = M.indices.astype(index_dtype)
    M.indptr = M.indptr.astype(index_dtype)
    return M


def make_binary(seed, n=120, p=25, density=0.5, shift=0.5):
    rng = np.random.default_rng(seed)
    X = rng.standard_normal((n, p)) + shift * rng.uniform(-1, 1, size=p)
    X *= rng.uniform(size=(n, p)) < density
    w = np.zeros(p)
    w[:4] = [2.0, -1.5, 1.0, 0.8]
    y01 = (X @ w + 0.3 + rng.logistic(size=n) > 0).astype(np.intp)
    return X, y01


def make_multiclass(seed, n=150, p=12, K=4):
    rng = np.random.default_rng(seed)
    X = rng.standard_normal((n, p))
    W = rng.standard_normal((K, p)) * (rng.uniform(size=(K, p)) < 0.4) * 2
    codes = np.argmax(X @ W.T + rng.gumbel(size=(n, K)), axis=1)
    return X, codes


def sklearn_lr(**kw):
    linear_model = pytest.importorskip("sklearn.linear_model")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", FutureWarning)
        return linear_model.LogisticRegression(**kw)


def fit_sklearn(model, X, y, **kw):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return model.fit(X, y, **kw)


# --------------------------------------------------------------------------- certificates


@pytest.mark.parametrize("storage", STORAGES)
@pytest.mark.parametrize("case", ["plain", "weights", "elasticnet", "bounds", "no_intercept"])
def test_binary_gap_and_kkt_recomputed(storage, case):
    X, y01 = make_binary(1)
    n, p = X.shape
    rng = np.random.default_rng(2)
    s = rng.uniform(0.2, 3, size=n) if case == "weights" else np.ones(n)
    if case == "weights":
        s[:10] = 0.0
    l1_ratio = 0.6 if case == "elasticnet" else 1.0
    lo, hi = np.full(p, -np.inf), np.full(p, np.inf)
    if case == "bounds":
        lo[1] = -0.5  # w_1 wants to be about -1.5
        lo[5:8] = 0.05  # boxes excluding 0
        hi[0] = 1.0
    fit_intercept = case != "no_intercept"
    alpha = 0.02
    tol = 1e-8
    res = logistic_solve(as_storage(X, storage), y01, alpha=alpha, l1_ratio=l1_ratio,
                         sample_weight=s, lower_bounds=lo, upper_bounds=hi,
                         fit_intercept=fit_intercept, tol=tol)
    assert res.converged and res.gap_tol == pytest.approx(tol * lref_null(y01, s, fit_intercept))
    a, c = lref.penalty_terms(alpha, l1_ratio, p)
    gap, primal = lref.binary_gap(X, y01, res.coef, res.intercept, s, a, c, lo, hi,
                                  fit_intercept)
    assert -1e-13 <= gap <= res.gap_tol
    assert res.dual_gap == pytest.approx(gap, rel=1e-6, abs=1e-12)
    assert np.all(res.coef >= lo) and np.all(res.coef <= hi)
    viol, grad_b = lref.binary_kkt(X, y01, res.coef, res.intercept, s, a, c, lo, hi,
                                   fit_intercept)
    assert viol <= 1e-3 and abs(grad_b) <= 1e-3
    # a tighter solve is better by no more than the gap
    tight = logistic_solve(X, y01, alpha=alpha, l1_ratio=l1_ratio, sample_weight=s,
                           lower_bounds=lo, upper_bounds=hi, fit_intercept=fit_intercept,
                           tol=1e-13)
    p_tight = lref.binary_primal(X, y01, tight.coef, tight.intercept, s, a, c)
    assert primal - p_tight <= gap + 1e-14
    assert tight.dual_gap <= 1e-13 * lref_null(y01, s, fit_intercept) + 1e-16


def lref_null(codes, s, fit_intercept, K=2):
    if not fit_intercept:
        return np.log(K)
    f = np.bincount(codes, weights=s / s.sum(), minlength=K)
    f = f[f > 0]
    return float(-(f * np.log(f)).sum())


def test_unpenalized_columns_certified():
    X, y01 = make_binary(3, density=1.0)
    p = X.shape[1]
    pf = np.ones(p)
    pf[[0, 7]] = 0.0
    res = logistic_solve(X, y01, alpha=0.05, penalty_factor=pf, tol=1e-10)
    assert res.converged and res.coef[7] != 0.0
    # optimality: the unpenalized gradients and the intercept's vanish; a tight reference
    # objective is within the reported gap
    a, c = lref.penalty_terms(0.05, 1.0, p, pf)
    s = np.ones(X.shape[0])
    viol, grad_b = lref.binary_kkt(X, y01, res.coef, res.intercept, s, a, c,
                                   np.full(p, -np.inf), np.full(p, np.inf))
    assert viol <= 1e-4 and abs(grad_b) <= 1e-6
    tight = logistic_solve(X, y01, alpha=0.05, penalty_factor=pf, tol=1e-14)
    assert (lref.binary_primal(X, y01, res.coef, res.intercept, s, a, c)
            - lref.binary_primal(X, y01, tight.coef, tight.intercept, s, a, c)
            <= res.dual_gap + 1e-15)


def test_multinomial_gap_recomputed():
    X, codes = make_multiclass(4)
    n, p = X.shape
    s = np.random.default_rng(0).uniform(0.5, 2, size=n)
    res = logistic_solve(X, codes, alpha=0.02, l1_ratio=0.8, sample_weight=s, n_classes=4,
                         tol=1e-9)
    assert res.converged and res.coef.shape == (4, p)
    a, c = lref.penalty_terms(0.02, 0.8, p)
    lo, hi = np.full(p, -np.inf), np.full(p, np.inf)
    gap, _ = lref.multinomial_gap(X, codes, res.coef, res.intercept, s, a, c, lo, hi)
    assert -1e-13 <= gap <= res.gap_tol
    assert res.dual_gap == pytest.approx(gap, rel=1e-5, abs=1e-12)


# --------------------------------------------------------------------------- storage, dtype


@pytest.mark.parametrize("index_dtype", [np.int32, np.int64])
def test_dense_csc_csr_agree(index_dtype):
    X, y01 = make_binary(5, n=200, p=60, density=0.2)
    out = [logistic_solve(as_storage(X, st, index_dtype=index_dtype), y01, alpha=0.01,
                          l1_ratio=0.9, tol=1e-12) for st in STORAGES]
    for r in out[1:]:
        np.testing.assert_allclose(r.coef, out[0].coef, atol=1e-8)
        assert r.intercept == pytest.approx(out[0].intercept, abs=1e-8)
    X, codes = make_multiclass(6)
    X[np.abs(X) < 0.7] = 0.0
    out = [logistic_solve(as_storage(X, st), codes, alpha=0.01, n_classes=4, tol=1e-12)
           for st in STORAGES]
    for r in out[1:]:
        np.testing.assert_allclose(r.coef, out[0].coef, atol=1e-8)
        np.testing.assert_allclose(r.intercept, out[0].intercept, atol=1e-8)


@pytest.mark.parametrize("storage", STORAGES)
def test_float32_close_to_float64(storage):
    X, y01 = make_binary(7)
    X = X.astype(np.float32).astype(np.float64)
    r64 = logistic_solve(as_storage(X, storage), y01, alpha=0.02, tol=1e-10)
    X32 = as_storage(X, storage, np.float32)
    r32 = logistic_solve(X32, y01, alpha=0.02, tol=1e-10)
    assert r32.coef.dtype == np.float32
    np.testing.assert_allclose(r32.coef, r64.coef, atol=1e-5)
    assert r32.intercept == pytest.approx(r64.intercept, abs=1e-5)


# --------------------------------------------------------------------------- scikit-learn


@pytest.mark.parametrize("l1_ratio", [1.0, 0.5])
def test_matches_sklearn_saga(l1_ratio):
    X, y01 = make_binary(8, n=100, p=10, density=1.0)
    n = X.shape[0]
    C = 0.8
    sk = fit_sklearn(sklearn_lr(C=C, l1_ratio=l1_ratio, penalty="elasticnet", solver="saga",
                                tol=1e-13, max_iter=200000), X, y01)
    ours = SparseLogisticRegression(alpha=1.0 / (C * n), l1_ratio=l1_ratio, tol=1e-12).fit(X,
                                                                                          y01)
    np.testing.assert_allclose(ours.coef_, sk.coef_, atol=2e-5)
    np.testing.assert_allclose(ours.intercept_, sk.intercept_, atol=2e-5)
    a, c = lref.penalty_terms(1.0 / (C * n), l1_ratio, X.shape[1])
    s = np.ones(n)
    ours_p = lref.binary_primal(X, y01, ours.coef_[0], ours.intercept_[0], s, a, c)
    sk_p = lref.binary_primal(X, y01, sk.coef_[0], sk.intercept_[0], s, a, c)
    assert ours_p <= sk_p + 1e-12


def test_matches_liblinear_without_intercept():
    X, y01 = make_binary(9, n=100, p=10, density=1.0)
    n = X.shape[0]
    C = 0.5
    sk = fit_sklearn(sklearn_lr(C=C, l1_ratio=1.0, penalty="l1", solver="liblinear",
                                fit_intercept=False, tol=1e-12, max_iter=100000), X, y01)
    ours = SparseLogisticRegression(alpha=1.0 / (C * n), fit_intercept=False,
                                    tol=1e-12).fit(X, y01)
    np.testing.assert_allclose(ours.coef_, sk.coef_, atol=1e-4)
    assert np.all(ours.intercept_ == 0.0)


def test_multinomial_matches_sklearn_saga():
    X, codes = make_multiclass(10, n=120, p=8, K=3)
    n = X.shape[0]
    C = 0.5
    sk = fit_sklearn(sklearn_lr(C=C, l1_ratio=1.0, penalty="l1", solver="saga", tol=1e-12,
                                max_iter=200000), X, codes)
    ours = SparseLogisticRegression(alpha=1.0 / (C * n), tol=1e-11).fit(X, codes)
    assert ours.coef_.shape == (3, X.shape[1])
    np.testing.assert_allclose(ours.predict_proba(X), sk.predict_proba(X), atol=5e-5)
    np.testing.assert_allclose(ours.coef_, sk.coef_, atol=5e-4)
    a, c = lref.penalty_terms(1.0 / (C * n), 1.0, X.shape[1])
    s = np.ones(n)
    assert (lref.multinomial_primal(X, codes, ours.coef_, ours.intercept_, s, a, c)
            <= lref.multinomial_primal(X, codes, sk.coef_, sk.intercept_, s, a, c) + 1e-11)


# --------------------------------------------------------------------------- behaviour


def test_separable_data_terminates():
    rng = np.random.default_rng(11)
    X = rng.standard_normal((200, 6))
    y = (X[:, 0] + 0.5 * X[:, 1] > 0).astype(int)
    for storage in STORAGES:
        with warnings.catch_warnings():
            warnings.simplefilter("error", ConvergenceWarning)
            est = SparseLogisticRegression(alpha=1e-4, tol=1e-8).fit(as_storage(X, storage), y)
            tiny = SparseLogisticRegression(alpha=1e-7, tol=1e-6, max_iter=20000).fit(
                as_storage(X, storage), y)
        for e in (est, tiny):
            assert np.all(np.isfinite(e.coef_)) and np.isfinite(e.intercept_).all()
            assert e.dual_gap_ <= e.tol * np.log(2) + 1e-15
        assert est.score(X, y) == 1.0
        assert np.abs(est.coef_).max() > 10  # large but finite margins


def test_one_class_raises():
    X = np.ones((5, 2))
    with pytest.raises(ValueError, match="only one class"):
        SparseLogisticRegression().fit(X, ["a"] * 5)


def test_string_labels_and_api():
    X, y01 = make_binary(12)
    labels = np.array(["no", "yes"])[y01]
    est = SparseLogisticRegression(alpha=0.01).fit(X, labels)
    np.testing.assert_array_equal(est.classes_, ["no", "yes"])
    pred = est.predict(X)
    assert pred.dtype.kind == "U" and set(pred) <= {"no", "yes"}
    proba = est.predict_proba(X)
    np.testing.assert_allclose(proba.sum(axis=1), 1.0)
    np.testing.assert_allclose(est.predict_log_proba(X), np.log(proba))
    d = est.decision_function(X)
    assert d.shape == (X.shape[0],)
    np.testing.assert_array_equal(pred, np.where(d > 0, "yes", "no"))
    assert est.coef_.shape == (1, X.shape[1]) and est.intercept_.shape == (1,)
    assert 0.7 < est.score(X, labels) <= 1.0
    assert est.n_iter_.shape == (1,) and isinstance(est.dual_gap_, float)


def test_sample_weight_two_equals_duplicated_row():
    X, y01 = make_binary(13, n=60)
    s = np.ones(60)
    s[:15] = 2.0
    Xd = np.vstack([X, X[:15]])
    yd = np.concatenate([y01, y01[:15]])
    a = SparseLogisticRegression(alpha=0.01, tol=1e-12).fit(X, y01, sample_weight=s)
    b = SparseLogisticRegression(alpha=0.01, tol=1e-12).fit(Xd, yd)
    np.testing.assert_allclose(a.coef_, b.coef_, atol=1e-8)
    np.testing.assert_allclose(a.intercept_, b.intercept_, atol=1e-8)


@pytest.mark.parametrize("class_weight", [{0: 3.0, 1: 0.5}, "balanced"])
def test_class_weight_multiplies_sample_weight(class_weight):
    X, y01 = make_binary(14, n=80)
    cw = (class_weight if isinstance(class_weight, dict)
          else dict(enumerate(80 / (2 * np.bincount(y01)))))
    s = np.array([cw[k] for k in y01])
    a = SparseLogisticRegression(alpha=0.01, class_weight=class_weight, tol=1e-12).fit(X, y01)
    b = SparseLogisticRegression(alpha=0.01, tol=1e-12).fit(X, y01, sample_weight=s)
    np.testing.assert_allclose(a.coef_, b.coef_, atol=1e-10)
    with pytest.raises(ValueError, match="not in the classes"):
        SparseLogisticRegression(class_weight={5: 1.0}).fit(X, y01)


def test_multiclass_ovr_and_proba():
    X, codes = make_multiclass(15)
    labels = np.array(["a", "b", "c", "d"])[codes]
    multi = SparseLogisticRegression(alpha=0.01).fit(X, labels)
    ovr = SparseLogisticRegression(alpha=0.01, multi_class="ovr").fit(X, labels)
    for est in (multi, ovr):
        assert est.coef_.shape == (4, X.shape[1]) and est.intercept_.shape == (4,)
        proba = est.predict_proba(X)
        np.testing.assert_allclose(proba.sum(axis=1), 1.0)
        np.testing.assert_array_equal(est.predict(X), est.classes_[proba.argmax(axis=1)])
        assert est.score(X, labels) > 0.6
    assert ovr.n_iter_.shape == (4,)
    # each one-vs-rest row is the binary fit of its class
    single = SparseLogisticRegression(alpha=0.01).fit(X, labels == "c")
    np.testing.assert_allclose(ovr.coef_[2], single.coef_[0], atol=1e-6)


def test_warm_start_reuses_solution():
    X, y01 = make_binary(16)
    est = SparseLogisticRegression(alpha=0.01, warm_start=True, tol=1e-10).fit(X, y01)
    first = est.n_iter_[0]
    est.fit(X, y01)
    assert est.n_iter_[0] < first


def test_convergence_warning_states_gap():
    X, y01 = make_binary(17)
    with pytest.warns(ConvergenceWarning, match="duality gap"):
        SparseLogisticRegression(alpha=1e-4, tol=1e-14, max_iter=2).fit(X, y01)


def test_sklearn_compatibility():
    base = pytest.importorskip("sklearn.base")
    est = SparseLogisticRegression(alpha=0.05)
    assert base.is_classifier(est)
    clone = base.clone(est)
    assert clone.get_params() == est.get_params()
    model_selection = pytest.importorskip("sklearn.model_selection")
    X, y01 = make_binary(18)
    scores = model_selection.cross_val_score(est, X, y01, cv=3)
    assert np.all(scores > 0.6)


# --------------------------------------------------------------------------- path


def test_path_alpha_max_and_warm_starts():
    X, y01 = make_binary(19, n=150, p=40, density=0.3)
    Xs = sp.csr_matrix(X)
    amax = logistic_alpha_max(X, y01)
    assert np.all(logistic_solve(X, y01, alpha=amax * (1 + 1e-9), tol=1e-12).coef == 0)
    assert np.any(logistic_solve(X, y01, alpha=amax * 0.99, tol=1e-12).coef != 0)
    alphas, coefs, gaps, n_iters, intercepts = logistic_path(Xs, y01, n_alphas=20, tol=1e-8)
    assert alphas[0] == pytest.approx(amax) and alphas[-1] == pytest.approx(amax * 1e-3)
    assert coefs.shape == (40, 20) and np.all(coefs[:, 0] == 0)
    p_null = lref_null(y01, np.ones(150), True)
    assert np.all(gaps <= 1e-8 * p_null)
    k = 12
    single = logistic_solve(X, y01, alpha=alphas[k], tol=1e-12)
    np.testing.assert_allclose(coefs[:, k], single.coef, atol=1e-4)
    assert intercepts[k] == pytest.approx(single.intercept, abs=1e-4)
    with pytest.raises(ValueError, match="binary only"):
        logistic_path(X, np.arange(150) % 3)


@pytest.mark.parametrize("storage", STORAGES)
def test_path_strong_rule_certified_and_invariant(storage):
    """Every point of a warm-started path (strong set first, then the full-gap KKT check)
    meets tol on the full problem, recomputed in NumPy, and agrees with the path without the
    strong rule and without screening; dense coefs are Fortran-ordered."""
    X, y01 = make_binary(23, n=160, p=60, density=0.3)
    Xs = as_storage(X, storage)
    s = np.ones(160)
    alphas, coefs, gaps, _, intercepts = logistic_path(Xs, y01, n_alphas=15, eps=1e-2,
                                                       tol=1e-10)
    assert coefs.flags.f_contiguous
    lo, hi = np.full(60, -np.inf), np.full(60, np.inf)
    for k, alpha in enumerate(alphas):
        a, c = lref.penalty_terms(alpha, 1.0, 60)
        gap, primal = lref.binary_gap(X, y01, coefs[:, k].astype(float), intercepts[k], s,
                                      a, c, lo, hi)
        assert gap <= 1e-10 * lref_null(y01, s, True) * 1.001 + 1e-14
        assert abs(gap - gaps[k]) <= 1e-9
    for kw in (dict(strong_rule=False), dict(screening=False)):
        _, other, _, _, other_b = logistic_path(Xs, y01, alphas=alphas, tol=1e-10, **kw)
        np.testing.assert_allclose(other, coefs, atol=1e-5)
        np.testing.assert_allclose(other_b, intercepts, atol=1e-5)
    _, sparse_coefs, _, _, _ = logistic_path(Xs, y01, alphas=alphas, tol=1e-10,
                                             sparse_coefs=True)
    np.testing.assert_array_equal(sparse_coefs.toarray(), coefs)


def test_multinomial_path_matches_single_fits():
    X, codes = make_multiclass(24, n=150, p=12, K=3)
    alphas, coefs, gaps, _, intercepts = logistic_path(X, codes, multinomial=True,
                                                       n_alphas=8, eps=0.05, tol=1e-10)
    assert coefs.shape == (3, 12, 8) and intercepts.shape == (3, 8)
    _, sparse_coefs, _, _, _ = logistic_path(X, codes, multinomial=True, alphas=alphas,
                                             tol=1e-10, sparse_coefs=True)
    dense_again = sparse_coefs.toarray().reshape(12, 8, 3).transpose(2, 0, 1)
    np.testing.assert_array_equal(dense_again, coefs)
    for k in (0, 4, 7):
        single = logistic_solve(X, codes, alpha=alphas[k], n_classes=3, tol=1e-12)
        np.testing.assert_allclose(coefs[:, :, k], single.coef, atol=1e-4)
        np.testing.assert_allclose(intercepts[:, k], single.intercept, atol=1e-4)


def test_continuous_target_raises():
    X, y01 = make_binary(25, n=60, p=5)
    y = np.random.default_rng(0).normal(size=60)
    for fit in (lambda t: SparseLogisticRegression(alpha=0.01).fit(X, t),
                lambda t: logistic_path(X, t, n_alphas=3)):
        with pytest.raises(ValueError, match="Unknown label type: continuous"):
            fit(y)
    # integral floats are class labels
    model = SparseLogisticRegression(alpha=0.01).fit(X, y01.astype(np.float64))
    assert model.classes_.tolist() == [0.0, 1.0]


def test_alpha_max_one_sided_for_bounds_at_zero():
    """lower_bounds=0: only positive correlations count (as EnetProblem.alpha_max for
    positive=True); upper_bounds=0: only negative ones. The solution is zero just above it and
    not just below, and the path's default grid starts there."""
    X, y01 = make_binary(26, n=200, p=10, density=0.6)
    X[:, 0] *= -3.0          # the largest correlation is negative
    two_sided = logistic_alpha_max(X, y01)
    corr = X.T @ ((y01 - y01.mean()) / 200)
    assert two_sided == pytest.approx(np.max(np.abs(corr)), rel=1e-12)
    assert corr[np.argmax(np.abs(corr))] < 0
    for bound, sign in (("lower_bounds", 1.0), ("upper_bounds", -1.0)):
        amax = logistic_alpha_max(X, y01, **{bound: 0.0})
        assert amax == pytest.approx(np.max(sign * corr), rel=1e-12)
        assert (amax < two_sided) if sign > 0 else (amax == pytest.approx(two_sided))
        kw = {bound: 0.0, "tol": 1e-12}
        assert np.all(logistic_solve(X, y01, alpha=amax * (1 + 1e-9), **kw).coef == 0)
        assert np.any(logistic_solve(X, y01, alpha=amax * 0.99, **kw).coef != 0)
        alphas, coefs, _, _, _ = logistic_path(X, y01, n_alphas=3, **{bound: 0.0})
        assert alphas[0] == pytest.approx(amax, rel=1e-12) and np.all(coefs[:, 0] == 0)
    # a feature pinned at zero by its bounds never enters
    pinned = logistic_alpha_max(X, y01, lower_bounds=np.r_[0.0, np.full(9, -np.inf)],
                                upper_bounds=np.r_[0.0, np.full(9, np.inf)])
    assert pinned == pytest.approx(np.max(np.abs(corr[1:])), rel=1e-12)


@pytest.mark.parametrize("multinomial", [False, True])
def test_path_grid_accounts_for_unpenalized_columns(multinomial):
    """With unpenalized columns the default grid starts at the exact alpha_max of the model
    whose unpenalized part is fitted first (glmnet): every penalized coefficient is zero there,
    and some is not just below."""
    if multinomial:
        X, codes = make_multiclass(27, n=200, p=8, K=3)
        X[:, 0] += 0.5 * codes            # a strong unpenalized column
        kw = dict(n_classes=3)
    else:
        X, codes = make_binary(27, n=200, p=8, density=0.8)
        kw = {}
    pf = np.r_[0.0, np.ones(7)]
    alphas, coefs, _, _, _ = logistic_path(X, codes, n_alphas=4, penalty_factor=pf, tol=1e-10,
                                           multinomial=multinomial)
    naive = logistic_alpha_max(X, codes, penalty_factor=pf, n_classes=kw.get("n_classes", 2))
    assert alphas[0] != pytest.approx(naive, rel=1e-3)
    # at alpha_max exactly the entering feature sits on its constraint: zero up to the tol
    assert np.max(np.abs(coefs[..., 1:, 0])) <= 1e-6
    below = logistic_solve(X, codes, alpha=alphas[0] * 0.98, penalty_factor=pf, tol=1e-12, **kw)
    assert np.any(below.coef[..., 1:] != 0)
    # (the unpenalized fit behind alpha_max is solved to a 1e-10 gap, not exactly)
    above = logistic_solve(X, codes, alpha=alphas[0] * (1 + 1e-4), penalty_factor=pf,
                           tol=1e-12, **kw)
    assert np.all(above.coef[..., 1:] == 0)


@pytest.mark.parametrize("multi_class", ["multinomial", "ovr"])
def test_pickle_without_private_mode_still_predicts(multi_class):
    """Was a bug: a multiclass model pickled before ``_mode`` existed broke predict_proba."""
    import pickle

    X, codes = make_multiclass(2, n=60, p=5, K=3)
    model = SparseLogisticRegression(alpha=0.01, multi_class=multi_class).fit(X, codes)
    expected = model.predict_proba(X)
    state = dict(pickle.loads(pickle.dumps(model)).__dict__)
    del state["_mode"]
    old = SparseLogisticRegression.__new__(SparseLogisticRegression)
    old.__dict__.update(state)
    old = pickle.loads(pickle.dumps(old))
    np.testing.assert_allclose(old.predict_proba(X), expected, rtol=1e-12, atol=1e-15)
