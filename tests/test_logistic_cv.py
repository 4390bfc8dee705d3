"""SparseLogisticRegressionCV and the multinomial logistic_path: the same folds and grid give
the same scores and alpha_ as fits on copied training folds (ours and scikit-learn's), folds
are scikit-learn's StratifiedKFold, weights reach the folds, the 1se rule, scorings,
multiclass, errors, the estimator API, determinism across threads, float32 and CSR input.
Seeded and small."""

import warnings
from concurrent.futures import ThreadPoolExecutor

import numpy as np
import pytest
import scipy.sparse as sp

from l1core import (ConvergenceWarning, SparseLogisticRegression, SparseLogisticRegressionCV,
                    logistic_path, logistic_solve)
from l1core._logistic import logistic_alpha_max

sk_metrics = pytest.importorskip("sklearn.metrics")
sk_ms = pytest.importorskip("sklearn.model_selection")
sk_base = pytest.importorskip("sklearn.base")

TIGHT = dict(tol=1e-10, max_iter=100_000)


def make_binary(seed, n=90, p=8, density=None):
    rng = np.random.default_rng(seed)
    X = rng.standard_normal((n, p)) + rng.uniform(-1, 1, size=p)
    if density is not None:
        X *= rng.uniform(size=(n, p)) < density
    w = np.zeros(p)
    w[:3] = [1.5, -1.0, 0.7]
    y = (X @ w - 0.3 * X[:, 0].mean() + rng.logistic(size=n) > 0).astype(np.intp)
    return X, y


def make_multiclass(seed, n=120, p=8, K=3):
    rng = np.random.default_rng(seed)
    X = rng.standard_normal((n, p))
    W = np.zeros((K, p))
    W[:, :3] = rng.standard_normal((K, 3)) * 1.5
    codes = np.argmax(X @ W.T + rng.gumbel(size=(n, K)), axis=1)
    return X, codes


def stratified(y, k=3, **kw):
    return list(sk_ms.StratifiedKFold(k, **kw).split(np.zeros((len(y), 1)), y))


def reference_scores(X, y, folds, alphas, scoring, sample_weight=None, **model_kw):
    """(n_alphas, n_folds) scores from SparseLogisticRegression fitted on copied training
    folds, scored by scikit-learn's metrics with sample_weight[test]."""
    s = np.ones(len(y)) if sample_weight is None else np.asarray(sample_weight, float)
    out = np.zeros((len(alphas), len(folds)))
    for f, (train, test) in enumerate(folds):
        for a, alpha in enumerate(alphas):
            model = SparseLogisticRegression(alpha=alpha, **TIGHT, **model_kw)
            model.fit(X[train], y[train], sample_weight=s[train])
            proba = model.predict_proba(X[test])
            if scoring == "log_loss":
                out[a, f] = sk_metrics.log_loss(y[test], proba, labels=model.classes_,
                                                sample_weight=s[test])
            elif scoring == "accuracy":
                out[a, f] = sk_metrics.accuracy_score(y[test], model.predict(X[test]),
                                                      sample_weight=s[test])
            else:
                score = proba[:, 1] if proba.shape[1] == 2 else proba
                out[a, f] = sk_metrics.roc_auc_score(y[test], score, multi_class="ovr",
                                                     sample_weight=s[test])
    return out


def assert_choice_consistent(est, lower_is_better):
    """alpha_min_/alpha_1se_ recomputed from scores_path_ (glmnet's rule)."""
    path = est.scores_path_ if lower_is_better else -est.scores_path_
    mean, k = path.mean(axis=1), path.shape[1]
    best = int(np.argmin(mean))
    assert est.alpha_min_ == est.alphas_[best]
    threshold = mean[best] + path.std(axis=1, ddof=1)[best] / np.sqrt(k)
    assert est.alpha_1se_ == est.alphas_[np.flatnonzero(mean <= threshold)[0]]
    np.testing.assert_allclose(est.cv_mean_, est.scores_path_.mean(axis=1), rtol=1e-14)


# --------------------------------------------------------------------------- references


def test_same_alpha_as_sklearn_fits_on_the_same_folds():
    """Each fold refitted by scikit-learn's LogisticRegression(l1, saga, C = 1/(alpha n_train))
    on the copied training rows, scored by log_loss: the same scores and alpha_."""
    sk_lm = pytest.importorskip("sklearn.linear_model")
    import sklearn

    # scikit-learn 1.8 deprecated penalty= for l1_ratio=; before it, l1_ratio needs penalty
    new = tuple(int(x) for x in sklearn.__version__.split(".")[:2]) >= (1, 8)
    l1_penalty = dict(l1_ratio=1.0) if new else dict(penalty="l1")
    X, y = make_binary(0, n=60, p=5)
    est = SparseLogisticRegressionCV(n_alphas=6, eps=0.02, cv=3, **TIGHT).fit(X, y)
    folds = stratified(y, 3)
    ref = np.zeros_like(est.scores_path_)
    zero = np.zeros(ref.shape, dtype=bool)
    for f, (train, test) in enumerate(folds):
        for a, alpha in enumerate(est.alphas_):
            model = sk_lm.LogisticRegression(solver="saga", tol=1e-12, max_iter=100_000,
                                             C=1 / (alpha * len(train)), random_state=0,
                                             **l1_penalty)
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                model.fit(X[train], y[train])
            proba = model.predict_proba(X[test])
            if not np.any(model.coef_):
                # saga stops at once when every coefficient is zero (its rule is relative to
                # max |w|), its intercept still 1e-3 off: use the exact intercept-only model
                zero[a, f] = True
                proba = np.tile([1 - y[train].mean(), y[train].mean()], (len(test), 1))
            ref[a, f] = sk_metrics.log_loss(y[test], proba)
    assert zero.any() and not zero.all()
    np.testing.assert_allclose(est.scores_path_, ref, rtol=1e-8)
    assert est.alpha_ == est.alphas_[np.argmin(ref.mean(axis=1))]
    assert_choice_consistent(est, lower_is_better=True)
    # the refit is the single model at alpha_
    single = SparseLogisticRegression(alpha=est.alpha_, **TIGHT).fit(X, y)
    np.testing.assert_allclose(est.coef_, single.coef_, atol=1e-9)


@pytest.mark.parametrize("scoring", ["log_loss", "accuracy", "roc_auc"])
def test_binary_scores_match_copied_folds(scoring):
    X, y = make_binary(1)
    est = SparseLogisticRegressionCV(n_alphas=8, eps=0.01, cv=3, scoring=scoring,
                                     **TIGHT).fit(X, y)
    ref = reference_scores(X, y, stratified(y, 3), est.alphas_, scoring)
    np.testing.assert_allclose(est.scores_path_, ref, rtol=1e-7, atol=1e-12)
    assert_choice_consistent(est, lower_is_better=scoring == "log_loss")


@pytest.mark.parametrize("multi_class", ["multinomial", "ovr"])
@pytest.mark.parametrize("scoring", ["log_loss", "accuracy", "roc_auc"])
def test_multiclass_scores_match_copied_folds(multi_class, scoring):
    X, codes = make_multiclass(2)
    y = np.array(["cat", "ant", "bee"])[codes]            # first appearance != sorted order
    est = SparseLogisticRegressionCV(n_alphas=6, eps=0.02, cv=3, scoring=scoring,
                                     multi_class=multi_class, **TIGHT).fit(X, y)
    ref = reference_scores(X, y, stratified(y, 3), est.alphas_, scoring,
                           multi_class=multi_class)
    np.testing.assert_allclose(est.scores_path_, ref, rtol=1e-7, atol=1e-12)
    assert est.coef_.shape == (3, X.shape[1]) and est.intercept_.shape == (3,)
    assert est.classes_.tolist() == ["ant", "bee", "cat"]
    assert set(est.predict(X)) <= set(est.classes_)
    np.testing.assert_allclose(est.predict_proba(X).sum(axis=1), 1.0)
    assert_choice_consistent(est, lower_is_better=scoring == "log_loss")


@pytest.mark.filterwarnings("ignore::l1core.ConvergenceWarning")  # the 1e-4 end of the grid
@pytest.mark.parametrize("unpenalized", [False, True])
@pytest.mark.parametrize("multi_class", ["multinomial", "ovr"])
def test_alpha_max_is_exact(multi_class, unpenalized):
    """The grid starts at the smallest alpha giving all-zero (penalized) coefficients on the
    full data, with weights and penalty factors; unpenalized columns are fitted first, as
    glmnet does."""
    X, codes = make_multiclass(3)
    s = np.random.default_rng(3).uniform(0.5, 2, len(codes))
    factor = np.linspace(0.5, 2, X.shape[1])
    if unpenalized:
        factor[[1, 4]] = 0.0
    est = SparseLogisticRegressionCV(n_alphas=3, eps=0.1, cv=2, multi_class=multi_class,
                                     penalty_factor=factor).fit(X, codes, sample_weight=s)
    kw = dict(sample_weight=s, penalty_factor=factor, tol=1e-12)
    if multi_class == "multinomial":
        solve = [lambda a: logistic_solve(X, codes, alpha=a, n_classes=3, **kw).coef]
    else:
        solve = [lambda a, k=k: logistic_solve(X, (codes == k).astype(np.intp), alpha=a,
                                               **kw).coef for k in range(3)]
    amax, penalized = est.alphas_[0], factor > 0
    assert all(np.all(f(amax * (1 + 1e-7))[..., penalized] == 0) for f in solve)
    assert any(np.any(f(amax * 0.99)[..., penalized] != 0) for f in solve)


@pytest.mark.filterwarnings("ignore::l1core.ConvergenceWarning")  # the 1e-4 end of the grid
def test_binary_grid_and_default_eps():
    X2, y2 = make_binary(3)
    est = SparseLogisticRegressionCV(n_alphas=3, cv=2).fit(X2, y2)
    assert est.alphas_[0] == pytest.approx(logistic_alpha_max(X2, y2), rel=1e-14)
    assert est.alphas_[-1] == pytest.approx(est.alphas_[0] * 1e-4)   # n >= p: glmnet's 1e-4
    Xw, yw = make_binary(3, n=30, p=40)
    est = SparseLogisticRegressionCV(n_alphas=3, cv=2).fit(Xw, yw)
    assert est.alphas_[-1] == pytest.approx(est.alphas_[0] * 1e-2)   # n < p: 1e-2


# --------------------------------------------------------------------------- folds


@pytest.mark.parametrize("shuffle", [False, True])
def test_default_folds_are_sklearn_stratified(shuffle):
    X, codes = make_multiclass(4, n=101)
    y = np.array(["z", "a", "m"])[codes]
    seed = 7 if shuffle else None
    est = SparseLogisticRegressionCV(n_alphas=4, eps=0.1, cv=4, shuffle=shuffle,
                                     random_state=seed).fit(X, y)
    folds = stratified(y, 4, shuffle=shuffle, random_state=seed)
    explicit = SparseLogisticRegressionCV(n_alphas=4, eps=0.1, cv=folds).fit(X, y)
    np.testing.assert_array_equal(est.scores_path_, explicit.scores_path_)
    splitter = SparseLogisticRegressionCV(
        n_alphas=4, eps=0.1, cv=sk_ms.StratifiedKFold(4, shuffle=shuffle, random_state=seed))
    np.testing.assert_array_equal(splitter.fit(X, y).scores_path_, est.scores_path_)
    assert est.scores_path_.shape == (4, 4)


def test_sample_weight_reaches_train_and_test():
    """Integer weights equal repeated indices in the train and test sets of every fold."""
    X, y = make_binary(5)
    w = np.random.default_rng(5).integers(0, 3, len(y))
    folds = stratified(y, 3)
    rep = [(np.repeat(tr, w[tr]), np.repeat(te, w[te])) for tr, te in folds]
    grid = SparseLogisticRegressionCV(n_alphas=6, eps=0.02, cv=folds).fit(
        X, y, sample_weight=w).alphas_                       # the grid of the weighted data
    kw = dict(alphas=grid, **TIGHT)
    for scoring in ("log_loss", "accuracy", "roc_auc"):
        a = SparseLogisticRegressionCV(cv=folds, scoring=scoring, **kw).fit(X, y,
                                                                            sample_weight=w)
        b = SparseLogisticRegressionCV(cv=rep, scoring=scoring, **kw).fit(X, y)
        np.testing.assert_allclose(a.scores_path_, b.scores_path_, rtol=1e-8, atol=1e-12)
    ref = reference_scores(X, y, folds, grid, "log_loss", sample_weight=w)
    np.testing.assert_allclose(a.alphas_, grid)
    a = SparseLogisticRegressionCV(cv=folds, **kw).fit(X, y, sample_weight=w)
    np.testing.assert_allclose(a.scores_path_, ref, rtol=1e-7)


def test_class_weight_trains_folds_but_not_test_scores():
    X, y = make_binary(6)
    cw = {0: 3.0, 1: 0.5}
    folds = stratified(y, 3)
    est = SparseLogisticRegressionCV(n_alphas=6, eps=0.02, cv=folds, class_weight=cw,
                                     **TIGHT).fit(X, y)
    ref = reference_scores(X, y, folds, est.alphas_, "log_loss", class_weight=cw)
    np.testing.assert_allclose(est.scores_path_, ref, rtol=1e-7)
    single = SparseLogisticRegression(alpha=est.alpha_, class_weight=cw, **TIGHT).fit(X, y)
    np.testing.assert_allclose(est.coef_, single.coef_, atol=1e-9)
    # "balanced" is computed once, on the full data
    balanced = dict(enumerate(len(y) / (2 * np.bincount(y))))
    a = SparseLogisticRegressionCV(n_alphas=5, cv=folds, class_weight="balanced").fit(X, y)
    b = SparseLogisticRegressionCV(n_alphas=5, cv=folds, class_weight=balanced).fit(X, y)
    np.testing.assert_allclose(a.scores_path_, b.scores_path_, rtol=1e-12)


# --------------------------------------------------------------------------- choice


def test_one_standard_error_rule_is_sparser():
    X, y = make_binary(7, n=200, p=30)
    est = SparseLogisticRegressionCV(n_alphas=30, cv=5).fit(X, y)
    one_se = SparseLogisticRegressionCV(n_alphas=30, cv=5, refit_alpha="1se").fit(X, y)
    assert one_se.alpha_ == est.alpha_1se_ == one_se.alpha_1se_ >= est.alpha_ == est.alpha_min_
    assert np.count_nonzero(one_se.coef_) <= np.count_nonzero(est.coef_)
    assert_choice_consistent(est, lower_is_better=True)
    accuracy = SparseLogisticRegressionCV(n_alphas=30, cv=5, scoring="accuracy").fit(X, y)
    assert_choice_consistent(accuracy, lower_is_better=False)
    assert accuracy.alpha_1se_ >= accuracy.alpha_min_


def test_l1_ratio_list_shapes():
    X, y = make_binary(8)
    est = SparseLogisticRegressionCV(l1_ratio=[0.5, 1.0], n_alphas=5, cv=3).fit(X, y)
    assert est.alphas_.shape == (2, 5) and est.scores_path_.shape == (2, 5, 3)
    assert est.cv_mean_.shape == (2, 5) and est.l1_ratio_ in (0.5, 1.0)
    np.testing.assert_allclose(est.alphas_[0], 2 * est.alphas_[1])
    i = [0.5, 1.0].index(est.l1_ratio_)
    assert est.cv_mean_[i].min() == est.cv_mean_.min()
    explicit = SparseLogisticRegressionCV(alphas=[0.1, 0.01, 0.05], cv=3).fit(X, y)
    np.testing.assert_array_equal(explicit.alphas_, [0.1, 0.05, 0.01])
    assert explicit.scores_path_.shape == (3, 3)


# --------------------------------------------------------------------------- inputs


def test_threads_executor_and_serial_agree_bitwise():
    X, codes = make_multiclass(9, n=150, p=20)
    kw = dict(n_alphas=10, eps=0.01, cv=5)
    serial = SparseLogisticRegressionCV(**kw).fit(X, codes)
    threads = SparseLogisticRegressionCV(n_jobs=2, **kw).fit(X, codes)
    with ThreadPoolExecutor(2) as pool:
        executor = SparseLogisticRegressionCV(executor=pool, **kw).fit(X, codes)
    for other in (threads, executor):
        np.testing.assert_array_equal(serial.scores_path_, other.scores_path_)
        np.testing.assert_array_equal(serial.coef_, other.coef_)
        assert serial.alpha_ == other.alpha_


def test_dask_executor_agrees_with_serial():
    distributed = pytest.importorskip("distributed")
    X, codes = make_multiclass(9, n=150, p=20)
    kw = dict(n_alphas=8, eps=0.01, cv=3, multi_class="ovr", scoring="roc_auc")
    serial = SparseLogisticRegressionCV(**kw).fit(sp.csr_matrix(X), codes)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # Dask's start-up warnings (ports, dashboard)
        cluster = distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=False,
                                           dashboard_address=None)
    with cluster, distributed.Client(cluster) as client:
        remote = SparseLogisticRegressionCV(executor=client, **kw).fit(sp.csr_matrix(X), codes)
    np.testing.assert_array_equal(remote.scores_path_, serial.scores_path_)
    np.testing.assert_array_equal(remote.coef_, serial.coef_)


@pytest.mark.parametrize("fmt", ["csr", "csc"])
def test_sparse_input_matches_dense(fmt):
    X, y = make_binary(10, n=120, p=40, density=0.2)
    Xs = getattr(sp, f"{fmt}_matrix")(X)
    kw = dict(n_alphas=8, cv=3, **TIGHT)
    dense = SparseLogisticRegressionCV(**kw).fit(X, y)
    sparse = SparseLogisticRegressionCV(**kw).fit(Xs, y)
    np.testing.assert_allclose(sparse.alphas_, dense.alphas_, rtol=1e-12)
    np.testing.assert_allclose(sparse.scores_path_, dense.scores_path_, rtol=1e-8)
    np.testing.assert_allclose(sparse.coef_, dense.coef_, atol=1e-8)
    assert np.argmin(sparse.cv_mean_) == np.argmin(dense.cv_mean_)   # grids agree to 1 ulp
    np.testing.assert_array_equal(sparse.predict(Xs), dense.predict(X))


def test_float32_input():
    X, y = make_binary(11)
    est32 = SparseLogisticRegressionCV(n_alphas=8, cv=3).fit(X.astype(np.float32), y)
    est64 = SparseLogisticRegressionCV(n_alphas=8, cv=3).fit(X, y)
    assert est32.coef_.dtype == np.float32
    np.testing.assert_allclose(est32.scores_path_, est64.scores_path_, rtol=1e-4)
    assert est32.alpha_ == pytest.approx(est64.alpha_, rel=1e-5)
    Xs32 = sp.csr_matrix(X.astype(np.float32))
    assert SparseLogisticRegressionCV(n_alphas=4, cv=3).fit(Xs32, y).coef_.dtype == np.float32


def test_string_labels_and_predictions():
    X, y01 = make_binary(12)
    y = np.where(y01 == 1, "spam", "ham")
    est = SparseLogisticRegressionCV(n_alphas=8, cv=3).fit(X, y)
    ref = SparseLogisticRegressionCV(n_alphas=8, cv=3).fit(X, y01)
    assert est.classes_.tolist() == ["ham", "spam"]
    np.testing.assert_array_equal(est.scores_path_, ref.scores_path_)
    np.testing.assert_array_equal(est.predict(X), np.where(ref.predict(X) == 1, "spam", "ham"))
    np.testing.assert_allclose(np.exp(est.predict_log_proba(X)), est.predict_proba(X))
    assert est.decision_function(X).shape == (len(y),)
    assert est.score(X, y) == np.mean(est.predict(X) == y)


# --------------------------------------------------------------------------- API, errors


def test_clone_get_params_and_sklearn_tools():
    est = SparseLogisticRegressionCV(n_alphas=5, cv=3, scoring="accuracy", l1_ratio=[0.5, 1])
    assert sk_base.is_classifier(est)
    clone = sk_base.clone(est)
    assert clone.get_params() == est.get_params() and clone is not est
    assert set(est.get_params()) >= {"alphas", "n_alphas", "eps", "l1_ratio", "cv", "scoring",
                                     "refit_alpha", "n_jobs", "executor", "shuffle"}
    assert est.set_params(scoring="roc_auc").scoring == "roc_auc"
    with ThreadPoolExecutor(1) as pool:
        assert sk_base.clone(SparseLogisticRegressionCV(executor=pool)).executor is pool
    X, y = make_binary(13)
    scores = sk_ms.cross_val_score(SparseLogisticRegressionCV(n_alphas=5, eps=0.01, cv=3), X, y,
                                   cv=3)
    assert np.all(scores > 0.6)
    assert "SparseLogisticRegressionCV(" in repr(est)


# scikit-learn's estimator checks, with the failures the estimator declares
# (expected_failed_checks), run in test_sklearn_dropin.py for every public estimator.


def test_errors():
    X, y = make_binary(14, n=40)
    fit = lambda **kw: SparseLogisticRegressionCV(n_alphas=3, **kw).fit(X, y)  # noqa: E731
    with pytest.raises(ValueError, match="scoring must be one of"):
        fit(scoring="mse")
    with pytest.raises(ValueError, match="at least 2 folds"):
        fit(cv=1)
    with pytest.raises(ValueError, match="refit_alpha"):
        fit(refit_alpha="max")
    with pytest.raises(ValueError, match="multi_class"):
        fit(multi_class="bogus")
    with pytest.raises(ValueError, match="at least 2 classes"):
        SparseLogisticRegressionCV().fit(X, np.zeros(len(y)))
    with pytest.raises(ValueError, match="l1_ratio=0"):
        fit(l1_ratio=0.0)
    with pytest.raises(ValueError, match="eps"):
        fit(eps=0.0)
    first = np.flatnonzero(y == 0)[0]
    with pytest.raises(ValueError, match="training set has no sample"):
        fit(cv=[(np.flatnonzero(y == 1), np.array([first]))])
    with pytest.raises(ValueError, match="one class only"):
        fit(scoring="roc_auc", cv=[(np.arange(len(y)) != first, np.array([first]))])
    with pytest.raises(ValueError, match="cannot be more than"):
        fit(cv=50)
    with pytest.raises(TypeError, match="executor"):
        fit(executor=object())
    with pytest.raises(ValueError, match="shuffle=True applies"):
        fit(cv=[(np.arange(20), np.arange(20, 40))], shuffle=True)


def test_convergence_warning_once():
    X, y = make_binary(15)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        SparseLogisticRegressionCV(n_alphas=5, cv=3, max_iter=1, tol=1e-14, n_jobs=2).fit(X, y)
    messages = [str(w.message) for w in caught if issubclass(w.category, ConvergenceWarning)]
    assert any("(fold, alpha) fits stopped at max_iter=1" in m for m in messages)
    assert sum("(fold, alpha)" in m for m in messages) == 1


# --------------------------------------------------------------------------- multinomial path


@pytest.mark.parametrize("storage", ["dense", "csr"])
def test_multinomial_path(storage):
    X, codes = make_multiclass(16, n=100, p=15, K=3)
    Xin = sp.csr_matrix(X) if storage == "csr" else X
    alphas, coefs, gaps, n_iters, intercepts = logistic_path(
        Xin, codes, n_alphas=6, eps=0.02, multinomial=True, tol=1e-10, max_iter=10_000)
    assert coefs.shape == (3, 15, 6) and intercepts.shape == (3, 6) and gaps.shape == (6,)
    assert alphas[0] == pytest.approx(logistic_alpha_max(X, codes, n_classes=3), rel=1e-14)
    assert np.all(coefs[:, :, 0] == 0) and np.any(coefs[:, :, 1] != 0)
    # warm-started points are the single solves (the same predictions: with an even number of
    # classes the multinomial L1 solution need not be unique, the probabilities are)
    for k in (2, 5):
        single = logistic_solve(X, codes, alpha=alphas[k], n_classes=3, tol=1e-12,
                                max_iter=10_000)
        path_model = SparseLogisticRegression().fit(X, codes)   # a fitted shell to predict
        path_model.coef_, path_model.intercept_ = coefs[:, :, k], intercepts[:, k]
        single_model = SparseLogisticRegression().fit(X, codes)
        single_model.coef_, single_model.intercept_ = single.coef, single.intercept
        np.testing.assert_allclose(path_model.predict_proba(X), single_model.predict_proba(X),
                                   atol=1e-5)
    _, sparse_coefs, *_ = logistic_path(Xin, codes, n_alphas=6, eps=0.02, multinomial=True,
                                        tol=1e-10, max_iter=10_000, sparse_coefs=True)
    assert sp.issparse(sparse_coefs) and sparse_coefs.shape == (15, 18)
    np.testing.assert_array_equal(sparse_coefs.toarray().reshape(15, 6, 3),
                                  coefs.transpose(1, 2, 0))
    _, binary_sparse, *_ = logistic_path(Xin, codes == 1, n_alphas=6, sparse_coefs=True)
    _, binary_dense, *_ = logistic_path(Xin, codes == 1, n_alphas=6)
    np.testing.assert_array_equal(binary_sparse.toarray(), binary_dense)
    with pytest.raises(ValueError, match="at least 3 classes"):
        logistic_path(X, codes == 1, multinomial=True)
    with pytest.raises(ValueError, match="binary only"):
        logistic_path(X, codes)
