"""Distributed fits (l1core.distributed) on a threaded LocalCluster: certified by a
NumPy-recomputed duality gap, equal to the in-memory l1core fit of the concatenated data
within the certified gaps, for dense and CSR chunks, float32 and float64, uneven and empty
partitions; no task sees more than one partition."""

import warnings

import numpy as np
import pytest

pytest.importorskip("dask.distributed")
import dask  # noqa: E402
import dask.array as da  # noqa: E402
from dask.distributed import Client, LocalCluster  # noqa: E402

import _logistic_reference as lref  # noqa: E402
import _reference as ref  # noqa: E402
import l1core  # noqa: E402
from _distributed_data import row_chunks, sparse_regression, to_dask, vector  # noqa: E402
from l1core import distributed as dl  # noqa: E402
from l1core.distributed import _blocks  # noqa: E402

TOL = 1e-8


def _tol(dtype):
    """The tol a dtype can certify: float32 coefficients round the objective at ~1e-7."""
    return TOL if dtype == np.float64 else 1e-6


@pytest.fixture(scope="module")
def client():
    with LocalCluster(processes=False, n_workers=4, threads_per_worker=1,
                      dashboard_address=None) as cluster, Client(cluster) as c:
        yield c


def _certified(pb, model, gap_scale, tol=TOL):
    """The reported gap meets tol and equals the NumPy gap of (coef_, intercept_)."""
    w = np.asarray(model.coef_, dtype=np.float64).ravel()
    b = float(np.ravel(model.intercept_)[0])
    gap_np = ref.duality_gap(pb, w, b)
    assert model.dual_gap_ <= tol * gap_scale
    assert gap_np == pytest.approx(model.dual_gap_, rel=1e-6, abs=1e-12 * gap_scale)
    return w, b


@pytest.mark.parametrize("storage", ["dense", "csr"])
@pytest.mark.parametrize("dtype", [np.float64, np.float32])
@pytest.mark.parametrize("fit_intercept", [True, False])
def test_lasso_equals_in_memory_within_gap(client, storage, dtype, fit_intercept):
    X, y = sparse_regression(dtype=dtype)
    n = X.shape[0]
    alpha = 0.05
    model = dl.Lasso(alpha=alpha, tol=_tol(dtype), fit_intercept=fit_intercept).fit(
        to_dask(X, storage), vector(y, n))
    assert model.coef_.dtype == dtype
    pb = ref.make_problem(X, y, alpha=alpha, fit_intercept=fit_intercept)
    scale = pb.gap_tol(1.0)
    w, b = _certified(pb, model, scale, _tol(dtype))
    best = l1core.Lasso(alpha=alpha, tol=1e-13, fit_intercept=fit_intercept,
                        max_iter=100_000).fit(X.astype(np.float64), y)
    p_best = ref.primal(pb, best.coef_, best.intercept_)
    assert ref.primal(pb, w, b) - p_best <= model.dual_gap_ + 1e-12 * scale
    # the objective is 1-strongly convex in X w: predictions agree to sqrt(2 gap)
    assert np.sqrt(np.mean((X @ (w - best.coef_) + b - best.intercept_) ** 2)) <= (
        np.sqrt(2 * (model.dual_gap_ + ref.duality_gap(pb, best.coef_, best.intercept_)))
        + 1e-6)
    np.testing.assert_array_equal(np.flatnonzero(w), np.flatnonzero(best.coef_))


@pytest.mark.parametrize("storage", ["dense", "csr"])
def test_enet_weights_and_unpenalized_feature(client, storage):
    """Sample weights (some zero) and penalty factors with an unpenalized column: the dual
    point is projected off [1, x_0] from reduced statistics only."""
    X, y = sparse_regression(seed=1)
    n, p = X.shape
    rng = np.random.default_rng(5)
    s = rng.uniform(0.0, 2.0, n)
    s[:7] = 0.0
    factor = rng.uniform(0.5, 2.0, p)
    factor[[0, 3]] = 0.0
    kw = dict(alpha=0.03, l1_ratio=0.6, penalty_factor=factor)
    model = dl.ElasticNet(tol=TOL, **kw).fit(to_dask(X, storage), vector(y, n),
                                             sample_weight=vector(s, n))
    pb = ref.make_problem(X, y, sample_weight=s, **kw)
    w, b = _certified(pb, model, pb.gap_tol(1.0))
    best = l1core.ElasticNet(tol=1e-13, max_iter=100_000, **kw).fit(X, y, sample_weight=s)
    assert ref.primal(pb, w, b) - ref.primal(pb, best.coef_, best.intercept_) <= (
        model.dual_gap_ + 1e-12)
    np.testing.assert_allclose(w, best.coef_, atol=1e-3)


def test_dense_equals_sparse_chunks(client):
    X, y = sparse_regression(seed=2)
    fits = [dl.ElasticNet(alpha=0.02, l1_ratio=0.8, tol=1e-10).fit(
        to_dask(X, storage), vector(y, X.shape[0])) for storage in ("dense", "csr")]
    np.testing.assert_allclose(fits[0].coef_, fits[1].coef_, rtol=1e-8, atol=1e-10)
    assert fits[0].intercept_ == pytest.approx(fits[1].intercept_, rel=1e-10)


def test_float32_matches_float64(client):
    X, y = sparse_regression(seed=3)
    fits = [dl.Lasso(alpha=0.05, tol=1e-6).fit(to_dask(X.astype(dt)), vector(y, X.shape[0]))
            for dt in (np.float64, np.float32)]
    np.testing.assert_allclose(fits[1].coef_, fits[0].coef_, atol=1e-4)


@pytest.mark.parametrize("storage", ["dense", "csr"])
@pytest.mark.parametrize("dtype", [np.float64, np.float32])
def test_logistic_equals_in_memory_within_gap(client, storage, dtype):
    X, y = sparse_regression(seed=4, dtype=dtype)
    labels = np.where(y > np.median(y), "up", "down")
    y01 = (labels == "up").astype(float)
    n, p = X.shape
    s = np.random.default_rng(1).uniform(0.5, 1.5, n)
    alpha = 0.02
    model = dl.SparseLogisticRegression(alpha=alpha, tol=_tol(dtype)).fit(
        to_dask(X, storage), vector(labels, n), sample_weight=vector(s, n))
    assert model.classes_.tolist() == ["down", "up"]
    a, c = lref.penalty_terms(alpha, 1.0, p)
    lo, hi = np.full(p, -np.inf), np.full(p, np.inf)
    w, b = model.coef_[0].astype(np.float64), float(model.intercept_[0])
    gap_np, primal = lref.binary_gap(X, y01, w, b, s, a, c, lo, hi)
    sw = s / s.sum()
    pbar = sw @ y01
    p_null = -(pbar * np.log(pbar) + (1 - pbar) * np.log(1 - pbar))
    assert model.dual_gap_ <= _tol(dtype) * p_null
    assert gap_np == pytest.approx(model.dual_gap_, rel=1e-5, abs=1e-12)
    best = l1core.SparseLogisticRegression(alpha=alpha, tol=1e-12, max_iter=100_000).fit(
        X.astype(np.float64), labels, sample_weight=s)
    p_best = lref.binary_primal(X, y01, best.coef_[0], best.intercept_[0], s, a, c)
    assert primal - p_best <= model.dual_gap_ + 1e-12
    np.testing.assert_array_equal(model.predict(to_dask(X, storage)).compute(),
                                  best.predict(X.astype(np.float64)))


def test_alpha_max_and_path_match_in_memory(client):
    X, y = sparse_regression(seed=6)
    n, p = X.shape
    s = np.random.default_rng(2).uniform(0.5, 1.5, n)
    factor = np.ones(p)
    factor[1] = 0.0
    path = dl.lasso_path(to_dask(X, "csr"), vector(y, n), sample_weight=vector(s, n),
                         penalty_factor=factor, n_alphas=8, eps=1e-2, tol=1e-8)
    mem = l1core.lasso_path(X, y, sample_weight=s, penalty_factor=factor, n_alphas=8,
                            eps=1e-2, tol=1e-10, fit_intercept=True, return_intercept=True)
    np.testing.assert_allclose(path.alphas, mem.alphas, rtol=1e-10)
    assert np.count_nonzero(path.coefs[:, 0] * factor) == 0          # all penalized zero
    pb0 = ref.make_problem(X, y, alpha=path.alphas[1], sample_weight=s, penalty_factor=factor)
    for k, alpha in enumerate(path.alphas):
        pb = ref.make_problem(X, y, alpha=alpha, sample_weight=s, penalty_factor=factor)
        assert path.dual_gaps[k] <= 1e-8 * pb.gap_tol(1.0)
        gap_np = ref.duality_gap(pb, path.coefs[:, k], path.intercepts[k])
        assert gap_np == pytest.approx(path.dual_gaps[k], rel=1e-5, abs=1e-12)
    np.testing.assert_allclose(path.coefs, mem.coefs, atol=1e-3)
    assert pb0.alpha < path.alphas[0]
    # the strong rule changes the working sets, not the certified solutions
    plain = dl.lasso_path(to_dask(X), vector(y, n), sample_weight=vector(s, n),
                          penalty_factor=factor, n_alphas=8, eps=1e-2, tol=1e-8,
                          strong_rule=False)
    np.testing.assert_allclose(plain.coefs, path.coefs, atol=1e-3)


def test_logistic_path_alpha_max(client):
    X, y = sparse_regression(seed=7)
    n = X.shape[0]
    labels = (y > np.median(y)).astype(int)
    path = dl.logistic_path(to_dask(X), vector(labels, n), n_alphas=4, eps=1e-2, tol=1e-8)
    mem = l1core.logistic_path(X, labels, n_alphas=4, eps=1e-2, tol=1e-10)
    np.testing.assert_allclose(path.alphas, mem.alphas, rtol=1e-10)
    assert np.count_nonzero(path.coefs[:, 0]) == 0
    assert np.count_nonzero(path.coefs[:, 1]) > 0
    np.testing.assert_allclose(path.coefs, np.asarray(mem.coefs), atol=1e-3)


def test_no_task_receives_all_of_X(client, monkeypatch):
    """Every full-pass task reads one partition, and the gathered columns are a small part
    of X: the task inputs are recorded (on the threaded scheduler: no pickling of the
    recorder)."""
    X, y = sparse_regression(n=400, p=200, seed=8)
    seen = []
    original = _blocks.squared_pass

    def recording(Xk, *args):
        seen.append(Xk.shape[0])
        return original(Xk, *args)

    monkeypatch.setattr(_blocks, "squared_pass", recording)
    with dask.config.set(scheduler="threads"):
        model = dl.Lasso(alpha=0.1).fit(to_dask(X, "csr"), vector(y, 400))
    assert seen and max(seen) == max(row_chunks(400)) < 400
    assert len(seen) == model.n_outer_iter_ * len(row_chunks(400))
    gathered = sum(h["column_bytes"] for h in model.history_)
    assert 0 < gathered < 0.5 * X.nbytes
    for h in model.history_:       # a pass returns one p-vector and 3 scalars per partition
        assert h["pass_bytes"] == len(row_chunks(400)) * (200 + 3) * 8


def test_predict_returns_dask_array(client):
    X, y = sparse_regression(seed=9)
    Xd = to_dask(X, "csr")
    model = dl.Lasso(alpha=0.05).fit(Xd, vector(y, X.shape[0]))
    pred = model.predict(Xd)
    assert isinstance(pred, da.Array) and pred.chunks[0] == Xd.chunks[0]
    np.testing.assert_allclose(pred.compute(), X @ model.coef_ + model.intercept_,
                               rtol=1e-12)
    np.testing.assert_allclose(model.predict(X), pred.compute(), rtol=1e-12)
    assert model.score(Xd, vector(y, X.shape[0])) > 0.5


def test_user_arrays_unchanged(client):
    X, y = sparse_regression(seed=10)
    s = np.ones(X.shape[0])
    copies = X.copy(), y.copy(), s.copy()
    dl.ElasticNet(alpha=0.05).fit(to_dask(X), vector(y, X.shape[0]), sample_weight=s)
    for a, b in zip((X, y, s), copies):
        np.testing.assert_array_equal(a, b)


def test_warm_start_and_alpha_above_alpha_max(client):
    X, y = sparse_regression(seed=11)
    Xd, yd = to_dask(X), vector(y, X.shape[0])
    big = dl.Lasso(alpha=1e3).fit(Xd, yd)
    assert np.count_nonzero(big.coef_) == 0 and big.n_outer_iter_ == 1
    assert big.intercept_ == pytest.approx(y.mean())
    model = dl.Lasso(alpha=0.05, warm_start=True, tol=1e-8).fit(Xd, yd)
    outer = model.n_outer_iter_
    model.fit(Xd, yd)
    assert model.n_outer_iter_ == 1 < outer


def test_bad_input_is_refused(client):
    X, y = sparse_regression(seed=12)
    n = X.shape[0]
    Xnan = X.copy()
    Xnan[5, 5] = np.nan
    with pytest.raises(ValueError, match="NaN"):
        dl.Lasso(alpha=0.1).fit(to_dask(Xnan), vector(y, n))
    with pytest.raises(ValueError, match="samples"):
        dl.Lasso(alpha=0.1).fit(to_dask(X), da.from_array(y[:-1]))
    with pytest.raises(ValueError, match="allow 0"):
        dl.Lasso(alpha=0.1, lower_bounds=0.5).fit(to_dask(X), vector(y, n))
    with pytest.raises(ValueError, match="unpenalized"):
        dl.Lasso(alpha=0.1, positive=True, penalty_factor=np.r_[0.0, np.ones(X.shape[1] - 1)]
                 ).fit(to_dask(X), vector(y, n))
    with pytest.raises(ValueError, match="three or more classes"):
        dl.SparseLogisticRegression(upper_bounds=1.0).fit(
            to_dask(X), vector(np.arange(n) % 3, n))
    with pytest.raises(ValueError, match="standardize"):
        dl.ElasticNet(alpha=0.1, standardize=True, penalty_factor=np.r_[0.0, np.ones(
            X.shape[1] - 1)]).fit(to_dask(X), vector(y, n))
    with pytest.raises(ValueError, match="standardize"):
        dl.SparseLogisticRegression(standardize=True).fit(to_dask(X),
                                                          vector(np.arange(n) % 3, n))
    with pytest.raises(ValueError):
        dl.Lasso(alpha=-1.0).fit(to_dask(X), vector(y, n))
    with pytest.raises(ValueError):
        dl.Lasso(alpha=0.1).fit(to_dask(X), vector(y, n), sample_weight=-np.ones(n))
    with pytest.raises(ValueError, match="two classes"):
        dl.SparseLogisticRegression().fit(to_dask(X), vector(np.zeros(n), n))
    with pytest.raises(ValueError, match="ovr"):
        dl.SparseLogisticRegression(multi_class="ovr").fit(to_dask(X),
                                                           vector(np.arange(n) % 3, n))
    with pytest.raises(ValueError, match="unpenalized"):
        dl.SparseLogisticRegression(penalty_factor=np.r_[0.0, np.ones(X.shape[1] - 1)]).fit(
            to_dask(X), vector(np.arange(n) % 2, n))
    with pytest.raises(TypeError):
        dl.Lasso().fit(to_dask(X).astype(complex), vector(y, n))


def test_max_outer_iter_warns(client):
    X, y = sparse_regression(seed=13)
    with pytest.warns(l1core.ConvergenceWarning, match="full passes"):
        dl.Lasso(alpha=0.01, tol=1e-12, max_outer_iter=1).fit(to_dask(X), vector(y, len(y)))


def test_verbose_reports_progress(client, capsys):
    X, y = sparse_regression(seed=14)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        dl.Lasso(alpha=0.05, verbose="dist").fit(to_dask(X), vector(y, len(y)))
    err = capsys.readouterr().err
    assert "dist: alpha=0.05 pass 1 gap=" in err and "pass 2" in err


@pytest.mark.parametrize("make", [lambda: dl.Lasso(alpha=0.01),
                                  lambda: dl.ElasticNet(alpha=0.01),
                                  lambda: dl.SparseLogisticRegression()],
                         ids=["Lasso", "ElasticNet", "SparseLogisticRegression"])
def test_sklearn_check_estimator(make):
    """scikit-learn's estimator checks on in-memory input (one partition), on the
    synchronous scheduler; the expected failures are declared with their reasons
    (class_weight; the weighted-versus-repeated fits at tol)."""
    sklearn_checks = pytest.importorskip("sklearn.utils.estimator_checks")
    from l1core._estimator_base import expected_failed_checks
    est = make()
    with dask.config.set(scheduler="sync"), warnings.catch_warnings():
        warnings.simplefilter("ignore")
        results = sklearn_checks.check_estimator(
            est, expected_failed_checks=expected_failed_checks(est), on_fail=None)
    failed = [r["check_name"] for r in results if r["status"] == "failed"]
    assert not failed
    assert sum(r["status"] == "passed" for r in results) >= 30


def _three_classes(seed=7, dtype=np.float64):
    X, y = sparse_regression(seed=seed, dtype=dtype)
    labels = np.digitize(y, np.quantile(y, [0.3, 0.7]))           # 0, 1, 2: uneven classes
    return X, np.array(["a", "b", "c"])[labels], labels


@pytest.mark.parametrize("storage", ["dense", "csr"])
@pytest.mark.parametrize("fit_intercept", [True, False])
def test_multinomial_equals_in_memory_within_gap(client, storage, fit_intercept):
    """Three classes fit the multinomial model on partitions: the reported gap is the NumPy
    gap (intercepts by one Newton step, as in memory) and meets tol; the objective is within
    that gap of a 1e-12 in-memory fit; the lazy probabilities are the in-memory ones."""
    X, labels, codes = _three_classes()
    n, p = X.shape
    s = np.random.default_rng(2).uniform(0.5, 1.5, n)
    alpha, l1_ratio = 0.01, 0.8
    model = dl.SparseLogisticRegression(alpha=alpha, l1_ratio=l1_ratio, tol=TOL,
                                        fit_intercept=fit_intercept).fit(
        to_dask(X, storage), vector(labels, n), sample_weight=vector(s, n))
    assert model.coef_.shape == (3, p) and model.intercept_.shape == (3,)
    assert model.classes_.tolist() == ["a", "b", "c"]
    a, c = lref.penalty_terms(alpha, l1_ratio, p)
    inf = np.full(p, np.inf)
    gap_np, primal = lref.multinomial_gap(X, codes, model.coef_, model.intercept_, s, a, c,
                                          -inf, inf, fit_intercept=fit_intercept)
    assert gap_np == pytest.approx(model.dual_gap_, rel=1e-5, abs=1e-12)
    frac = np.bincount(codes, weights=s) / s.sum()
    p_null = -frac @ np.log(frac) if fit_intercept else np.log(3)
    assert 0 <= model.dual_gap_ <= TOL * p_null
    best = l1core.SparseLogisticRegression(alpha=alpha, l1_ratio=l1_ratio, tol=1e-12,
                                           fit_intercept=fit_intercept,
                                           max_iter=100_000).fit(X, labels, sample_weight=s)
    p_best = lref.multinomial_primal(X, codes, best.coef_, best.intercept_, s, a, c)
    assert primal - p_best <= model.dual_gap_ + 1e-12
    assert np.count_nonzero(model.coef_) < model.coef_.size       # the L1 part is active
    Xd = to_dask(X, storage)
    proba = model.predict_proba(Xd)
    assert isinstance(proba, da.Array)
    np.testing.assert_allclose(proba.compute(), best.predict_proba(X), atol=1e-3)
    np.testing.assert_array_equal(model.predict(Xd).compute(), model.predict(X))
    np.testing.assert_allclose(model.decision_function(Xd).compute(),
                               X @ model.coef_.T + model.intercept_, rtol=1e-12, atol=1e-12)
    wrapped = l1core.SparseLogisticRegression(alpha=alpha, l1_ratio=l1_ratio, tol=TOL,
                                              fit_intercept=fit_intercept).fit(
        Xd, vector(labels, n), sample_weight=vector(s, n))
    np.testing.assert_array_equal(wrapped.coef_, model.coef_)
    np.testing.assert_allclose(wrapped.predict_proba(Xd).compute(), proba.compute())
    np.testing.assert_allclose(wrapped.predict_proba(X), proba.compute(), rtol=1e-10,
                               atol=1e-12)


def test_multinomial_float32_and_warm_start(client):
    X, labels, codes = _three_classes(seed=8, dtype=np.float32)
    n = X.shape[0]
    model = dl.SparseLogisticRegression(alpha=0.02, tol=1e-6).fit(to_dask(X, "csr"),
                                                                   vector(labels, n))
    assert model.coef_.dtype == np.float32
    ref64 = dl.SparseLogisticRegression(alpha=0.02, tol=1e-6).fit(
        to_dask(X.astype(np.float64)), vector(labels, n))
    np.testing.assert_allclose(model.coef_, ref64.coef_, atol=1e-4)
    model.set_params(warm_start=True, alpha=0.015).fit(to_dask(X, "csr"), vector(labels, n))
    cold = dl.SparseLogisticRegression(alpha=0.015, tol=1e-6).fit(to_dask(X, "csr"),
                                                                   vector(labels, n))
    a, c = lref.penalty_terms(0.015, 1.0, X.shape[1])
    inf = np.full(X.shape[1], np.inf)
    for fit in (model, cold):
        gap, _ = lref.multinomial_gap(X, codes, fit.coef_.astype(np.float64),
                                      fit.intercept_, np.ones(n), a, c, -inf, inf)
        assert gap <= 1e-6 * np.log(3) + 1e-7


def test_tree_reduction_sends_one_result_to_the_driver(client):
    """Each full pass's p-vectors are summed by a tree of tasks (4 partials per node): the
    driver receives one (p + 3)-vector per reduction, not one per partition; the partials
    passed up the tree are counted."""
    X, y = sparse_regression(n=400, p=200, density=0.05, seed=2)
    model = dl.Lasso(alpha=0.1).fit(to_dask(X, "csr"), vector(y, 400))
    one = (200 + 3) * 8
    blocks = len(row_chunks(400))                      # 5 partitions: 5 leaves, 2 nodes, root
    for h in model.history_:
        assert h["pass_bytes"] == blocks * one
        assert h["driver_bytes"] == one
        assert h["partial_bytes"] == (blocks + 2) * one


def test_tree_sum_equals_the_plain_sum():
    from l1core.distributed._partitions import summed, tree_sum

    parts = [(np.arange(3.0) * k, {"s": float(k)}) for k in range(11)]
    for split_every in (2, 3, 4, 20):
        root, below = tree_sum([dask.delayed(v) for v in parts], split_every)
        total = dask.compute(root, scheduler="sync")[0]
        np.testing.assert_array_equal(total[0], summed(parts)[0])
        assert total[1]["s"] == 55.0
        levels, n = 0, 11
        expected = 0
        while n > 1:
            expected, n = expected + n, -(-n // split_every)
        assert below == expected
    with pytest.raises(ValueError, match="split_every"):
        tree_sum(parts, 1)


@pytest.mark.parametrize("storage", ["dense", "csr"])
@pytest.mark.parametrize("l1_ratio", [1.0, 0.6])
def test_bounds_equal_in_memory_within_gap(client, storage, l1_ratio):
    """positive=True, and a box mixing finite and infinite sides: the reported gap is the
    NumPy gap of the bounded problem, within tol; the objective is within that gap of the
    1e-13 in-memory bounded fit; the coefficients respect the bounds."""
    X, y = sparse_regression(seed=3)
    n, p = X.shape
    lower = np.where(np.arange(p) % 3 == 0, -0.3, -np.inf)
    upper = np.where(np.arange(p) % 2 == 0, np.inf, 0.4)
    for bounds in ({"positive": True}, {"lower_bounds": lower, "upper_bounds": upper}):
        model = dl.ElasticNet(alpha=0.05, l1_ratio=l1_ratio, tol=TOL, **bounds).fit(
            to_dask(X, storage), vector(y, n))
        pb = ref.make_problem(X, y, alpha=0.05, l1_ratio=l1_ratio, **bounds)
        w, b = _certified(pb, model, pb.gap_tol(1.0))
        assert np.all(w >= pb.lower) and np.all(w <= pb.upper)
        best = l1core.ElasticNet(alpha=0.05, l1_ratio=l1_ratio, tol=1e-13, max_iter=100_000,
                                 **bounds).fit(X, y)
        assert (ref.primal(pb, w, b) - ref.primal(pb, best.coef_, best.intercept_)
                <= model.dual_gap_ + 1e-12)
        assert np.any(w == pb.lower) or np.any(w == pb.upper)        # a bound is active


@pytest.mark.parametrize("storage", ["dense", "csr"])
def test_logistic_bounds_equal_in_memory_within_gap(client, storage):
    X, y = sparse_regression(seed=4)
    labels = (y > np.median(y)).astype(int)
    n, p = X.shape
    upper = np.full(p, 0.5)
    model = l1core.SparseLogisticRegression(alpha=0.01, tol=TOL,
                                            lower_bounds=0.0, upper_bounds=upper).fit(
        to_dask(X, storage), vector(labels, n))
    a, c = lref.penalty_terms(0.01, 1.0, p)
    w, b = model.coef_[0].astype(np.float64), float(model.intercept_[0])
    assert np.all(w >= 0.0) and np.all(w <= 0.5) and np.any(w == 0.5)
    gap_np, primal = lref.binary_gap(X, labels, w, b, np.ones(n), a, c, np.zeros(p), upper)
    assert gap_np == pytest.approx(model.dual_gap_, rel=1e-5, abs=1e-12)
    pbar = labels.mean()
    assert model.dual_gap_ <= TOL * -(pbar * np.log(pbar) + (1 - pbar) * np.log1p(-pbar))
    # on [0, 0.5] the L1 term is linear: a smooth box-constrained problem, so L-BFGS-B gives
    # an independent reference (the in-memory solver stalls at a gap of 5.6e-4 here)
    from scipy.optimize import minimize

    def objective(v):
        z = X @ v[:p] + v[p]
        sig = 0.5 * (1 + np.tanh(0.5 * z))
        grad_z = (sig - labels) / n
        return (np.mean(np.logaddexp(0, z) - labels * z) + a @ v[:p],
                np.r_[X.T @ grad_z + a, grad_z.sum()])

    opt = minimize(objective, np.r_[w, b], jac=True, method="L-BFGS-B",
                   bounds=[(0.0, 0.5)] * p + [(None, None)],
                   options={"ftol": 1e-15, "gtol": 1e-12, "maxiter": 10_000})
    p_best = lref.binary_primal(X, labels, opt.x[:p], opt.x[p], np.ones(n), a, c)
    assert primal - p_best <= model.dual_gap_ + 1e-12
    assert p_best - primal <= 1e-12                    # the reference is no better than ours


@pytest.mark.parametrize("storage", ["dense", "csr"])
@pytest.mark.parametrize("fit_intercept", [True, False])
def test_standardize_equals_in_memory_within_gap(client, storage, fit_intercept):
    """standardize=True: the penalty on the unit-variance columns (a_j = alpha l1 d_j,
    c_j = alpha (1 - l1) d_j^2 on the original scale, d_j recomputed here in NumPy); a
    constant column is pinned at 0. The NumPy gap of that problem equals dual_gap_ and meets
    tol; the objective is within the gap of the in-memory standardized fit (ElasticNet and
    binary logistic)."""
    X, y = sparse_regression(seed=5)
    X[:, 7] = 0.0 if storage == "csr" else 2.5              # a constant column
    X[:, 1] *= 40.0                                         # very unequal scales
    n, p = X.shape
    s = np.random.default_rng(3).uniform(0.5, 1.5, n)
    sw = s / s.sum()
    xbar = sw @ X if fit_intercept else np.zeros(p)
    d = np.sqrt(sw @ (X - xbar) ** 2)
    constant = ~(d > 64 * np.finfo(float).eps * np.abs(xbar))   # glmnet: pinned at 0
    assert constant[7] == (fit_intercept or storage == "csr") and constant.sum() == constant[7]
    d[constant] = 1.0
    pin = np.where(constant, 0.0, np.inf)
    model = dl.ElasticNet(alpha=0.05, l1_ratio=0.7, tol=TOL, standardize=True,
                          fit_intercept=fit_intercept).fit(to_dask(X, storage), vector(y, n),
                                                           sample_weight=vector(s, n))
    # the standardized problem, in u = d w on the columns X / d, has the same objective
    Xs = X / d
    pb = ref.make_problem(Xs, y, alpha=0.05, l1_ratio=0.7, sample_weight=s,
                          lower_bounds=-pin, upper_bounds=pin, fit_intercept=fit_intercept)
    u, b = _certified(pb, _Scaled(model, d), pb.gap_tol(1.0))
    assert np.all(model.coef_[constant] == 0.0) and np.any(model.coef_ != 0.0)
    best = l1core.ElasticNet(alpha=0.05, l1_ratio=0.7, tol=1e-13, max_iter=100_000,
                             standardize=True, fit_intercept=fit_intercept).fit(
        X, y, sample_weight=s)
    assert (ref.primal(pb, u, b) - ref.primal(pb, best.coef_ * d, best.intercept_)
            <= model.dual_gap_ + 1e-12)
    labels = (y > np.median(y)).astype(int)
    clf = dl.SparseLogisticRegression(alpha=0.01, tol=TOL, standardize=True,
                                      fit_intercept=fit_intercept).fit(
        to_dask(X, storage), vector(labels, n), sample_weight=vector(s, n))
    a, c = lref.penalty_terms(0.01, 1.0, p)
    wl, bl = clf.coef_[0].astype(np.float64), float(clf.intercept_[0])
    assert np.all(wl[constant] == 0.0)
    gap_np, primal = lref.binary_gap(Xs, labels, wl * d, bl, s, a, c, -pin, pin,
                                     fit_intercept=fit_intercept)
    assert gap_np == pytest.approx(clf.dual_gap_, rel=1e-5, abs=1e-12)
    pbar = sw @ labels
    p_null = (-(pbar * np.log(pbar) + (1 - pbar) * np.log1p(-pbar)) if fit_intercept
              else np.log(2))
    assert clf.dual_gap_ <= TOL * p_null
    best = l1core.SparseLogisticRegression(alpha=0.01, tol=1e-12, max_iter=100_000,
                                           standardize=True, fit_intercept=fit_intercept).fit(
        X, labels, sample_weight=s)
    p_best = lref.binary_primal(Xs, labels, best.coef_[0] * d, best.intercept_[0], s, a, c)
    assert primal - p_best <= clf.dual_gap_ + 1e-12
    np.testing.assert_allclose(wl, best.coef_[0], atol=1e-3)


class _Scaled:
    """A fitted model seen in the standardized coordinates u = d w."""

    def __init__(self, model, d):
        self.coef_, self.intercept_, self.dual_gap_ = model.coef_ * d, model.intercept_, \
            model.dual_gap_
