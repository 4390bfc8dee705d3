"""The command line end to end (``main([...])`` and one real ``python -m l1core``), its
data readers and writers, its exit codes, and the ImportError for unbuilt kernels."""

import csv
import subprocess
import sys

import numpy as np
import pytest
import scipy.io
import scipy.sparse as sp

from l1core import Lasso, SparseLogisticRegression, enet_path, load_model
from l1core._data_io import DataError, read_data, read_svmlight, write_svmlight
from l1core.cli import main
from l1core.datasets import load_diabetes


def _read_csv(path):
    with open(path, newline="") as f:
        return list(csv.reader(f))


@pytest.fixture
def diabetes():
    X, y, names = load_diabetes()
    return X, y, names


@pytest.fixture
def svm_file(tmp_path, diabetes):
    X, y, _ = diabetes
    path = tmp_path / "diabetes.svm"
    write_svmlight(path, X, y, comment="diabetes data")
    return path


def _sparse_problem(seed=0, n=50, p=30):
    rng = np.random.default_rng(seed)
    X = sp.random(n, p, density=0.3, format="csr", random_state=rng)
    X.data = np.round(X.data * 8) / 8 + 0.125             # no zeros, exact in text
    y = np.round(X @ rng.standard_normal(p), 3)
    return X, y


# --------------------------------------------------------------------------- readers


def test_svmlight_reader_matches_scikit_learn(tmp_path):
    sklearn_datasets = pytest.importorskip("sklearn.datasets")
    path = tmp_path / "data.txt"
    path.write_text("# a comment line\n"
                    "1 qid:3 1:0.5 4:-2 # trailing comment\n"
                    "\n"
                    "-1 2:1e-3 3:7\n"
                    "+1 qid:1\n"
                    "0.25 1:1 5:2.5\n")
    X, y = read_svmlight(path)
    Xs, ys = sklearn_datasets.load_svmlight_file(str(path), zero_based=False)
    assert X.format == "csr" and X.shape == Xs.shape == (4, 5)
    np.testing.assert_array_equal(X.toarray(), Xs.toarray())
    np.testing.assert_array_equal(y, ys)
    X6, _ = read_svmlight(path, n_features=6)
    assert X6.shape == (4, 6)


def test_svmlight_write_read_round_trip(tmp_path):
    X, y = _sparse_problem()
    for zero_based in (False, True):
        path = tmp_path / f"d{zero_based}.svm"
        write_svmlight(path, X, y, zero_based=zero_based)
        first = path.read_text().split("\n", 1)[0]
        assert min(int(t.split(":")[0]) for t in first.split()[1:]) >= (0 if zero_based else 1)
        X2, y2 = read_svmlight(path, n_features=X.shape[1], zero_based=zero_based)
        np.testing.assert_array_equal(X2.toarray(), X.toarray())    # 17 digits: exact
        np.testing.assert_array_equal(y2, y)


@pytest.mark.parametrize("text,match", [
    ("1 0:1.0\n", "line 1|sample 1.*1-based"),
    ("1 1:1\n1 3:1 2:1\n", "sample 2.*increasing"),
    ("1 1:1\n1 2=1\n", "line 2"),
    ("1 1:x\n", "bad index or value"),
    ("1 1:nan\n", "not finite"),
    ("# only a comment\n", "no samples"),
])
def test_svmlight_reader_errors(tmp_path, text, match):
    path = tmp_path / "bad.svm"
    path.write_text(text)
    with pytest.raises(DataError, match=match):
        read_svmlight(path)


def test_csv_reader_header_target_and_labels(tmp_path):
    path = tmp_path / "d.csv"
    path.write_text("a,label,b\n1.5,spam,2\n-1,ham,0.5\n3,spam,1\n")
    data = read_data(path, target="label")
    assert data.feature_names == ["a", "b"] and data.y.tolist() == ["spam", "ham", "spam"]
    np.testing.assert_array_equal(data.X, [[1.5, 2], [-1, 0.5], [3, 1]])
    assert data.X.flags.f_contiguous
    assert read_data(path, target=1).y.tolist() == data.y.tolist()
    with pytest.raises(DataError, match="not a number"):
        read_data(path, target=-1)                  # 'label' is then a feature
    bare = tmp_path / "bare.tsv"
    bare.write_text("1\t2\t3\n4\t5\t6\n")
    data = read_data(bare)
    assert data.feature_names is None and data.y.dtype == np.float64
    np.testing.assert_array_equal(data.y, [1, 4])
    np.testing.assert_array_equal(data.X, [[2, 3], [5, 6]])
    np.testing.assert_array_equal(read_data(bare, target=-1).y, [3, 6])
    with pytest.raises(DataError, match="no column named 'nope'"):
        read_data(path, target="nope")
    bad = tmp_path / "bad.csv"
    bad.write_text("1,2\n3,x\n")
    with pytest.raises(DataError, match="bad.csv"):
        read_data(bad, target=0)


def test_npz_and_matrix_market_readers(tmp_path):
    X, y = _sparse_problem()
    np.savez(tmp_path / "dense.npz", X=X.toarray(), y=y)
    data = read_data(tmp_path / "dense.npz")
    np.testing.assert_array_equal(data.X, X.toarray())
    np.testing.assert_array_equal(data.y, y)
    sp.save_npz(tmp_path / "sparse.npz", X)
    np.savetxt(tmp_path / "y.txt", y)
    data = read_data(tmp_path / "sparse.npz", target_file=tmp_path / "y.txt")
    assert sp.issparse(data.X)
    np.testing.assert_array_equal(data.X.toarray(), X.toarray())
    np.testing.assert_array_equal(data.y, y)
    scipy.io.mmwrite(tmp_path / "X.mtx", X)
    data = read_data(tmp_path / "X.mtx", target_file=tmp_path / "y.txt")
    np.testing.assert_allclose(data.X.toarray(), X.toarray(), rtol=1e-15)
    assert read_data(tmp_path / "X.mtx").y is None
    with pytest.raises(DataError, match="targets for 50 samples"):
        np.savetxt(tmp_path / "short.txt", y[:-1])
        read_data(tmp_path / "X.mtx", target_file=tmp_path / "short.txt")


# --------------------------------------------------------------------------- commands


def test_fit_then_predict_svmlight(tmp_path, svm_file, diabetes, capsys):
    X, y, _ = diabetes
    model_file, coef_file, out = tmp_path / "m.npz", tmp_path / "coef.csv", tmp_path / "p.csv"
    assert main(["fit", str(svm_file), str(model_file), "--alpha", "0.5", "--tol", "1e-10",
                 "--coef", str(coef_file)]) == 0
    model = load_model(model_file)
    ref = Lasso(alpha=0.5, tol=1e-10).fit(X, y)
    scale = np.abs(ref.coef_).max()
    np.testing.assert_allclose(model.coef_, ref.coef_, rtol=0, atol=1e-7 * scale)
    assert "Lasso: alpha=0.5" in capsys.readouterr().out
    table = _read_csv(coef_file)
    assert table[0] == ["feature", "coef"] and table[1][0] == "(intercept)"
    assert [row[0] for row in table[2:]] == [str(j + 1) for j in np.flatnonzero(ref.coef_)]
    assert main(["predict", str(svm_file), str(model_file), str(out)]) == 0
    pred = np.array([float(r[0]) for r in _read_csv(out)[1:]])
    np.testing.assert_allclose(pred, model.predict(X), rtol=1e-15)
    err = capsys.readouterr().err
    assert "Mean squared error" in err and "R^2" in err


def test_cv_logistic_on_csv_with_string_labels(tmp_path, diabetes, capsys):
    X, y, names = diabetes
    labels = np.where(y > np.median(y), "high", "low")
    path = tmp_path / "d.csv"
    with open(path, "w") as f:
        f.write(",".join(["label"] + names) + "\n")
        for label, row in zip(labels, X):
            f.write(label + "," + ",".join(f"{v:.17g}" for v in row) + "\n")
    model_file, coef_file = tmp_path / "cv.npz", tmp_path / "coef.csv"
    assert main(["cv", str(path), str(model_file), "-m", "logistic", "--n-alphas", "8",
                 "--folds", "3", "--refit", "1se", "--coef", str(coef_file), "-v"]) == 0
    captured = capsys.readouterr()
    assert "alpha_min=" in captured.out and "read " in captured.err
    model = load_model(model_file)
    assert model.alpha_ == model.alpha_1se_ and model.classes_.tolist() == ["high", "low"]
    assert model.feature_names_in_.tolist() == names
    assert {row[0] for row in _read_csv(coef_file)[2:]} <= set(names)
    out = tmp_path / "pred.csv"
    assert main(["predict", str(path), str(model_file), str(out), "--proba"]) == 0
    rows = _read_csv(out)
    assert rows[0] == ["prediction", "proba_high", "proba_low"]
    proba = np.array([[float(v) for v in r[1:]] for r in rows[1:]])
    np.testing.assert_allclose(proba.sum(axis=1), 1.0, rtol=1e-12)
    assert [r[0] for r in rows[1:]] == model.predict(X).tolist()
    assert "Accuracy = " in capsys.readouterr().err


def test_path_table_matches_enet_path(tmp_path, diabetes, capsys):
    X, y, _ = diabetes
    np.savez(tmp_path / "d.npz", X=X, y=y)
    out = tmp_path / "path.csv"
    assert main(["path", str(tmp_path / "d.npz"), "-m", "enet", "--l1-ratio", "0.7",
                 "--n-alphas", "12", "--tol", "1e-10", "-o", str(out)]) == 0
    summary = list(csv.reader(capsys.readouterr().out.splitlines()))
    alphas, coefs, _ = enet_path(X, y, l1_ratio=0.7, n_alphas=12, fit_intercept=True,
                                 tol=1e-10)
    assert summary[0] == ["alpha", "nonzero", "dev_ratio", "dual_gap"]
    np.testing.assert_allclose([float(r[0]) for r in summary[1:]], alphas, rtol=1e-5)
    assert [int(r[1]) for r in summary[1:]] == np.count_nonzero(coefs, axis=0).tolist()
    dev = np.array([float(r[2]) for r in summary[1:]])
    assert dev[0] == 0 and np.all(np.diff(dev) >= -1e-4) and 0 < dev[-1] < 1
    table = _read_csv(out)
    assert table[0] == ["alpha_index", "alpha", "feature", "coef"]
    C = np.zeros_like(coefs)
    for k, _, feature, value in table[1:]:
        C[int(feature[1:]) - 1, int(k)] = float(value)
    np.testing.assert_allclose(C, coefs, rtol=1e-6, atol=1e-8 * np.abs(coefs).max())


def test_demo_command(capsys):
    assert main(["demo"]) == 0
    assert "bmi" in capsys.readouterr().out


@pytest.mark.parametrize("args,code,match", [
    (["fit"], 2, "required"),
    (["fit", "{svm}", "m.npz", "--alpha", "-1"], 2, "must be >= 0"),
    (["fit", "{svm}", "m.npz", "--l1-ratio", "0.5"], 2, "--l1-ratio applies"),
    (["cv", "{svm}", "m.npz", "--folds", "1"], 2, "--folds"),
    (["nonsense"], 2, "invalid choice"),
    (["fit", "{dir}/none.svm", "m.npz"], 1, "none.svm: no such file"),
    (["fit", "{dir}/bad.svm", "m.npz"], 1, "bad.svm, line 2"),
    (["predict", "{svm}", "{svm}"], 1, "not an l1core model file"),
    (["fit", "{svm}", "{dir}/no/such/dir/m.npz"], 1, "No such file or directory"),
    (["fit", "{dir}/X.mtx", "m.npz"], 1, "no targets"),
    (["fit", "{dir}/bad.csv", "m.npz"], 1, "bad.csv: data row 2, column 2"),
])
def test_bad_usage_and_bad_files_exit_cleanly(tmp_path, svm_file, capsys, monkeypatch, args,
                                              code, match):
    (tmp_path / "bad.svm").write_text("1 1:2\n1 1:2:3\n")
    (tmp_path / "bad.csv").write_text("y,a\n1,2\n3,oops\n")
    scipy.io.mmwrite(tmp_path / "X.mtx", sp.eye(3, format="csr"))
    monkeypatch.chdir(tmp_path)
    args = [a.format(svm=svm_file, dir=tmp_path) for a in args]
    assert main(args) == code
    err = capsys.readouterr().err
    assert "Traceback" not in err
    assert match in err
    if code == 1:
        assert len(err.strip().splitlines()) == 1 and err.startswith("l1core ")


def test_predict_checks_the_number_of_features(tmp_path, svm_file, capsys):
    model_file = tmp_path / "m.npz"
    assert main(["fit", str(svm_file), str(model_file)]) == 0
    wide = tmp_path / "wide.svm"
    wide.write_text("1 12:1\n")
    narrow = tmp_path / "narrow.svm"
    narrow.write_text("1 2:1\n")                    # fewer features: padded, like LIBLINEAR
    assert main(["predict", str(wide), str(model_file)]) == 1
    assert "12 features, the model was fitted on 10" in capsys.readouterr().err
    assert main(["predict", str(narrow), str(model_file)]) == 0


def test_warnings_are_one_line_on_stderr(tmp_path, svm_file, capsys):
    assert main(["fit", str(svm_file), str(tmp_path / "m.npz"), "--alpha", "0.001",
                 "--max-iter", "1", "--tol", "1e-14"]) == 0
    err = capsys.readouterr().err
    assert err.startswith("l1core: warning: ") and "Traceback" not in err


def test_python_dash_m_l1core_subprocess(tmp_path, svm_file):
    model_file = tmp_path / "m.npz"
    proc = subprocess.run([sys.executable, "-m", "l1core", "fit", str(svm_file),
                           str(model_file), "-m", "enet", "--alpha", "0.1", "-v"],
                          capture_output=True, text=True, timeout=120, cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    assert "ElasticNet: alpha=0.1" in proc.stdout and "saved" in proc.stderr
    assert load_model(model_file).n_features_in_ == 10


def test_unbuilt_kernels_give_an_import_error_saying_how_to_fix_it():
    code = ("import sys\n"
            "sys.modules['l1core._enet_cd'] = None   # as if the kernel was never built\n"
            "try:\n"
            "    import l1core\n"
            "except ImportError as exc:\n"
            "    print(type(exc).__name__, exc)\n")
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          timeout=120)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.startswith("ImportError l1core's compiled kernel l1core._enet_cd")
    assert "pip install" in proc.stdout


def test_logistic_model_from_the_cli_predicts_like_the_api(tmp_path, capsys):
    X, y = _sparse_problem(3)
    labels = np.where(y > 0, 1.0, -1.0)
    path = tmp_path / "train.svm"
    write_svmlight(path, X, labels)
    assert main(["fit", str(path), str(tmp_path / "m.npz"), "-m", "logistic", "--alpha",
                 "0.01", "--tol", "1e-10"]) == 0
    model = load_model(tmp_path / "m.npz")
    ref = SparseLogisticRegression(alpha=0.01, tol=1e-10).fit(X, labels)
    np.testing.assert_allclose(model.coef_, ref.coef_, rtol=0,
                               atol=1e-6 * np.abs(ref.coef_).max())
    assert model.classes_.tolist() == [-1.0, 1.0]


def test_predict_csv_with_or_without_the_target_column(tmp_path, diabetes, capsys):
    X, y, _ = diabetes
    train = tmp_path / "train.csv"
    np.savetxt(train, np.column_stack([y, X]), delimiter=",")
    assert main(["fit", str(train), str(tmp_path / "m.npz"), "--alpha", "0.2"]) == 0
    features = tmp_path / "features.csv"
    np.savetxt(features, X[:7], delimiter=",")
    out = tmp_path / "p.csv"
    capsys.readouterr()
    assert main(["predict", str(features), str(tmp_path / "m.npz"), str(out)]) == 0
    assert "Mean squared error" not in capsys.readouterr().err     # no targets
    assert len(_read_csv(out)) == 8
    assert main(["predict", str(train), str(tmp_path / "m.npz"), str(out)]) == 0
    assert "Mean squared error" in capsys.readouterr().err
    assert main(["fit", str(train), "m.npz", "-m", "enet", "--l1-ratio", "0.2,0.5"]) == 2
