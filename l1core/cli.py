"""The ``l1core`` command line (also ``python -m l1core``), after LIBLINEAR's train/predict.

    l1core fit DATA MODEL [--model lasso|enet|logistic] [--alpha A] [--coef COEF.csv]
    l1core cv DATA MODEL [--folds K] [--refit min|1se] [--plot CV.png]
    l1core path DATA [-o COEF.csv] [--plot PATH.png]
    l1core predict DATA MODEL [OUTPUT.csv] [--proba]
    l1core demo

DATA is svmlight/libsvm, CSV, .npz or Matrix Market (see :mod:`l1core._data_io`); MODEL a
portable model file (:mod:`l1core._model_io`). Tables go to files or stdout as CSV,
progress (``-v``), warnings and errors to stderr. Exit codes: 0 success, 1 a bad file or
bad data (a one-line message, no traceback), 2 bad usage, 130 interrupted.
"""

import argparse
import csv
import os
import sys
import time
import warnings

import numpy as np
import scipy.sparse as sp

from ._data_io import FORMATS, detect_format, read_data
from ._model_io import load_model, save_model

__all__ = ["main"]

PROG = "l1core"


# --------------------------------------------------------------------------- arguments


def _nonnegative(text):
    value = float(text)
    if not value >= 0:
        raise argparse.ArgumentTypeError(f"must be >= 0, got {text}")
    return value


def _positive_int(text):
    value = int(text)
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be >= 1, got {text}")
    return value


def _ratios(text):
    values = [float(t) for t in text.split(",")]
    if not all(0.0 <= r <= 1.0 for r in values):
        raise argparse.ArgumentTypeError(f"l1 ratios must lie in [0, 1], got {text}")
    return values


def _data_arguments(parser):
    group = parser.add_argument_group("data file")
    group.add_argument("data", help="svmlight/libsvm, .csv/.tsv, .npz or .mtx file")
    group.add_argument("--format", choices=FORMATS,
                       help="file format (default: from the extension; svmlight otherwise)")
    group.add_argument("--target",
                       help="CSV: target column, an index (negative from the end) or a "
                            "header name (default: 0, the first column; predict: none if "
                            "the file has only the model's features)")
    header = group.add_mutually_exclusive_group()
    header.add_argument("--header", dest="header", action="store_true", default=None,
                        help="CSV: the first row is a header (default: detected)")
    header.add_argument("--no-header", dest="header", action="store_false")
    group.add_argument("--delimiter", help="CSV: field separator (default: ',', tab for .tsv)")
    group.add_argument("--target-file",
                       help="targets, one per line (needed for .mtx; the data file then "
                            "holds features only)")
    group.add_argument("--zero-based", action="store_true",
                       help="svmlight: feature indices start at 0 (default: 1, LIBLINEAR's)")


def _model_arguments(parser, *, cv):
    group = parser.add_argument_group("model")
    group.add_argument("-m", "--model", choices=("lasso", "enet", "logistic"), default="lasso",
                       help="squared loss with L1 (lasso) or L1+L2 (enet) penalty, or sparse "
                            "logistic regression (default: lasso)")
    if not cv:
        group.add_argument("--alpha", type=_nonnegative,
                           help="penalty strength (default: 1.0; logistic: 1/n_samples)")
    group.add_argument("--l1-ratio", type=_ratios,
                       help="L1 share of the penalty, in [0, 1] (enet: default 0.5"
                            + (", a comma-separated list is searched)" if cv else ")"))
    group.add_argument("--no-intercept", action="store_true", help="fit no intercept")
    group.add_argument("--tol", type=_nonnegative, default=1e-4,
                       help="duality-gap tolerance (default: 1e-4)")
    group.add_argument("--max-iter", type=_positive_int, default=1000,
                       help="maximum epochs per solve (default: 1000)")
    group.add_argument("--positive", action="store_true",
                       help="coefficients >= 0 (lasso, enet)")
    group.add_argument("--class-weight", choices=("balanced",),
                       help="logistic: weight classes inversely to their frequency")


def _grid_arguments(parser):
    parser.add_argument("--n-alphas", type=_positive_int, default=100,
                        help="alphas on the grid (default: 100)")
    parser.add_argument("--eps", type=_nonnegative,
                        help="smallest / largest alpha of the grid (default: 1e-3; "
                             "logistic cv: glmnet's 1e-2 or 1e-4)")


def _model_command(sub, verbose, name, **texts):
    """The subcommand ``name`` (fit or cv): DATA MODEL, the model options and ``--coef``."""
    p = sub.add_parser(name, parents=[verbose], **texts)
    _data_arguments(p)
    p.add_argument("model_file", metavar="MODEL", help="model file to write (.npz)")
    _model_arguments(p, cv=name == "cv")
    p.add_argument("--coef", metavar="CSV", help="also write the coefficient table")
    return p


def _parser():
    parser = argparse.ArgumentParser(
        prog=PROG, description="Fast, certified L1-regularized linear models: fit, "
        "cross-validate, compute paths and predict from data files.")
    from . import __version__
    parser.add_argument("--version", action="version", version=f"{PROG} {__version__}")
    verbose = argparse.ArgumentParser(add_help=False)
    verbose.add_argument("-v", "--verbose", action="store_true",
                         help="progress on stderr (one line per solve)")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)

    _model_command(sub, verbose, "fit", help="fit one model, save it",
                   description="Fit a model at one alpha and save it to MODEL.")

    p = _model_command(sub, verbose, "cv", help="choose alpha by cross-validation",
                       description="Choose alpha (and the l1 ratio) by K-fold "
                       "cross-validation, refit on all data and save the model.")
    _grid_arguments(p)
    p.add_argument("-k", "--folds", type=int, default=5, help="number of folds (default: 5)")
    p.add_argument("--refit", choices=("min", "1se"), default="min",
                   help="refit at the best alpha or at the one-standard-error alpha "
                        "(default: min)")
    p.add_argument("--scoring", choices=("log_loss", "accuracy", "roc_auc"),
                   help="logistic: test score (default: log_loss)")
    p.add_argument("--shuffle", action="store_true", help="shuffle before making the folds")
    p.add_argument("--seed", type=int, help="seed of the shuffle")
    p.add_argument("-j", "--n-jobs", type=int, help="threads running the folds (-1: all)")
    p.add_argument("--plot", metavar="PNG", help="also draw the CV curve (needs matplotlib)")

    p = sub.add_parser("path", parents=[verbose], help="regularization path",
                       description="Solve along a grid of alphas; print one line per alpha "
                       "(alpha, nonzeros, deviance explained, duality gap) and write the "
                       "nonzero coefficients.")
    _data_arguments(p)
    _model_arguments(p, cv=True)
    _grid_arguments(p)
    p.add_argument("-o", "--output", metavar="CSV",
                   help="coefficient table: one row per nonzero (alpha, feature)")
    p.add_argument("--plot", metavar="PNG", help="also draw the path (needs matplotlib)")

    p = sub.add_parser("predict", parents=[verbose], help="predict with a saved model",
                       description="Predict DATA with MODEL; write the predictions as CSV "
                       "and, when DATA has targets, report the accuracy or error on stderr.")
    _data_arguments(p)
    p.add_argument("model_file", metavar="MODEL", help="model file written by fit or cv")
    p.add_argument("output", nargs="?", default="-",
                   help="predictions file (default: - for stdout)")
    p.add_argument("--proba", action="store_true",
                   help="classifiers: also write the class probabilities")

    sub.add_parser("demo", help="the diabetes demonstration",
                   description="Fit the Lasso to the diabetes data at a few alphas.")
    return parser


# --------------------------------------------------------------------------- helpers


class _Progress:
    def __init__(self, enabled):
        self.enabled = enabled

    def __call__(self, message):
        if self.enabled:
            print(f"{PROG}: {message}", file=sys.stderr, flush=True)


def _read(args, say, n_features=None):
    start = time.perf_counter()
    options = dict(fmt=args.format, header=args.header, delimiter=args.delimiter,
                   target_file=args.target_file, n_features=n_features,
                   zero_based=args.zero_based)
    data = None
    if args.target is None and n_features is not None and args.target_file is None \
            and (args.format or detect_format(args.data)) == "csv":
        # predict: a CSV file of the model's features only has no target column
        try:
            data = read_data(args.data, target=None, **options)
        except ValueError:
            data = None                 # a column of labels: it holds the target
        if data is not None and data.X.shape[1] != n_features:
            data = None
    if data is None:
        data = read_data(args.data, target="0" if args.target is None else args.target,
                         **options)
    if sp.issparse(data.X) and data.X.format != "csc":
        data.X = data.X.tocsc()               # the faster layout for coordinate descent
    say(f"read {args.data}: {data.describe()} in {time.perf_counter() - start:.2f}s")
    return data


def _need_target(data, path):
    if data.y is None:
        raise ValueError(f"{path}: no targets (give --target-file, or a y array in .npz).")
    return data.y


def _feature_names(data, args, n_features):
    """The CSV header's names; else a svmlight file's indices, or x1, x2, ..."""
    if data.feature_names is not None:
        return list(data.feature_names)
    if (args.format or detect_format(args.data)) == "svmlight":
        base = 0 if args.zero_based else 1
        return [str(j + base) for j in range(n_features)]
    return [f"x{j + 1}" for j in range(n_features)]


def _estimator_params(args, cv):
    params = dict(fit_intercept=not args.no_intercept, tol=args.tol, max_iter=args.max_iter,
                  verbose=bool(args.verbose))
    if args.model == "logistic":
        if args.positive:
            params["lower_bounds"] = 0.0
        if args.class_weight:
            params["class_weight"] = args.class_weight
    else:
        params["positive"] = args.positive
    if args.model != "lasso" and args.l1_ratio is not None:
        ratios = args.l1_ratio
        if not cv and len(ratios) > 1:
            raise _Usage("fit takes one --l1-ratio (cv searches a list)")
        params["l1_ratio"] = ratios if cv and len(ratios) > 1 else ratios[0]
    elif args.model == "lasso" and args.l1_ratio not in (None, [1.0]):
        raise _Usage("--l1-ratio applies to --model enet or logistic")
    if not cv and args.alpha is not None:
        params["alpha"] = args.alpha
    return params


class _Usage(Exception):
    """A combination of options that makes no sense (exit code 2)."""


def _open_out(path):
    return (sys.stdout, False) if path in (None, "-") else (open(path, "w", newline=""), True)


def _write_csv(path, header, rows):
    out, close = _open_out(path)
    try:
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(header)
        writer.writerows(rows)
    finally:
        if close:
            out.close()


def _number(x):
    return f"{x:.17g}" if isinstance(x, (float, np.floating)) else str(x)


def _coef_table(model, names):
    """The intercept and the nonzero coefficients: one row per feature, one column per
    class (classifiers with more than two classes) or one ``coef`` column."""
    coef = np.atleast_2d(np.asarray(model.coef_, dtype=np.float64))
    intercept = np.atleast_1d(np.asarray(model.intercept_, dtype=np.float64))
    if coef.shape[0] > 1:
        header = ["feature"] + [f"coef_{c}" for c in model.classes_]
    else:
        header = ["feature", "coef"]
    rows = [["(intercept)"] + [_number(b) for b in intercept]]
    for j in np.flatnonzero(np.any(coef != 0, axis=0)):
        rows.append([names[j]] + [_number(c) for c in coef[:, j]])
    return header, rows


def _save_figure(ax, path, say):
    ax.figure.tight_layout()
    ax.figure.savefig(path, dpi=100)
    say(f"wrote {path}")


def _use_agg():
    try:
        import matplotlib
    except ImportError:
        raise ImportError('--plot needs matplotlib: pip install "l1core[plot]"') from None
    matplotlib.use("Agg")


def _summary(model):
    coef = np.asarray(model.coef_)
    nz = int(np.count_nonzero(np.any(np.atleast_2d(coef) != 0, axis=0)))
    gap = np.max(np.atleast_1d(model.dual_gap_))
    alpha = getattr(model, "alpha_", getattr(model, "alpha", None))
    alpha = "1/n_samples" if alpha is None else f"{alpha:.6g}"
    return (f"{type(model).__name__}: alpha={alpha}, {nz} of {coef.shape[-1]} features "
            f"nonzero, duality gap {gap:.3e}")


# --------------------------------------------------------------------------- commands


def _fit(args, say):
    from . import ElasticNet, Lasso, SparseLogisticRegression
    from . import ElasticNetCV, LassoCV, SparseLogisticRegressionCV

    cv = args.command == "cv"
    data = _read(args, say)
    y = _need_target(data, args.data)
    params = _estimator_params(args, cv)
    if cv:
        cls = {"lasso": LassoCV, "enet": ElasticNetCV,
               "logistic": SparseLogisticRegressionCV}[args.model]
        if args.folds < 2:
            raise _Usage(f"--folds must be at least 2, got {args.folds}")
        params.update(cv=args.folds, n_alphas=args.n_alphas, refit_alpha=args.refit,
                      shuffle=args.shuffle, random_state=args.seed, n_jobs=args.n_jobs)
        if args.eps is not None:
            params["eps"] = args.eps
        if args.scoring:
            if args.model != "logistic":
                raise _Usage("--scoring applies to --model logistic")
            params["scoring"] = args.scoring
    else:
        cls = {"lasso": Lasso, "enet": ElasticNet,
               "logistic": SparseLogisticRegression}[args.model]
    model = cls(**params)
    say(f"fitting {model!r}")
    start = time.perf_counter()
    model.fit(data.X, y)
    say(f"fitted in {time.perf_counter() - start:.2f}s")
    model.verbose = False                         # the saved model fits quietly
    p = data.X.shape[1]
    names = _feature_names(data, args, p)
    if data.feature_names is not None:
        model.feature_names_in_ = np.asarray(names, dtype=str)
    save_model(model, args.model_file)
    say(f"saved {args.model_file}")
    print(_summary(model))
    if cv:
        print(f"alpha_min={model.alpha_min_:.6g} alpha_1se={model.alpha_1se_:.6g} "
              f"(refit at {args.refit})")
    if args.coef:
        _write_csv(args.coef, *_coef_table(model, names))
        say(f"wrote {args.coef}")
    if cv and args.plot:
        _use_agg()
        from .plotting import plot_cv
        _save_figure(plot_cv(model), args.plot, say)
    return 0


def _path(args, say):
    from . import enet_path, logistic_path

    data = _read(args, say)
    y = _need_target(data, args.data)
    params = _estimator_params(args, cv=True)
    X = data.X
    grid = dict(n_alphas=args.n_alphas, eps=1e-3 if args.eps is None else args.eps)
    common = dict(fit_intercept=params["fit_intercept"], tol=args.tol,
                  max_iter=args.max_iter, verbose=params["verbose"])
    l1_ratio = params.get("l1_ratio", 1.0 if args.model != "enet" else 0.5)
    if isinstance(l1_ratio, list):
        raise _Usage("path takes one --l1-ratio")
    start = time.perf_counter()
    if args.model == "logistic":
        classes = np.unique(y)
        alphas, coefs, gaps, _, intercepts = logistic_path(
            X, y, l1_ratio=l1_ratio, multinomial=classes.size > 2,
            lower_bounds=params.get("lower_bounds"), **grid, **common)
        Z = _decision_path(X, coefs, intercepts)
        dev = _deviance_ratio_logistic(Z, np.searchsorted(classes, y), classes.size)
    else:
        y = np.asarray(y, dtype=np.float64)
        alphas, coefs, gaps, intercepts = enet_path(
            X, y, l1_ratio=l1_ratio, positive=args.positive, return_intercept=True,
            **grid, **common)
        Z = _decision_path(X, coefs, intercepts)
        tss = np.sum((y - (y.mean() if common["fit_intercept"] else 0.0)) ** 2)
        dev = 1.0 - np.sum((y[:, None] - Z) ** 2, axis=0) / tss if tss > 0 else 0 * alphas
    say(f"path of {alphas.size} alphas in {time.perf_counter() - start:.2f}s")
    C = coefs.reshape(-1, coefs.shape[-2], alphas.size) if coefs.ndim == 3 else coefs[None]
    nonzero = np.count_nonzero(np.any(C != 0, axis=0), axis=0)
    writer = csv.writer(sys.stdout, lineterminator="\n")
    writer.writerow(["alpha", "nonzero", "dev_ratio", "dual_gap"])
    writer.writerows([f"{a:.6g}", int(k), f"{round(d, 4) + 0.0:.4f}", f"{g:.3e}"]
                     for a, k, d, g in zip(alphas, nonzero, dev, gaps))
    if args.output:
        names = _feature_names(data, args, X.shape[1])
        classes = np.unique(y) if C.shape[0] > 1 else [None]
        rows = []
        for a in range(alphas.size):
            for k, cls in enumerate(classes):
                for j in np.flatnonzero(C[k, :, a]):
                    rows.append([a, _number(alphas[a])] + ([] if cls is None else [cls])
                                + [names[j], _number(C[k, j, a])])
        header = ["alpha_index", "alpha"] + (["class"] if C.shape[0] > 1 else []) + \
                 ["feature", "coef"]
        _write_csv(args.output, header, rows)
        say(f"wrote {args.output}")
    if args.plot:
        _use_agg()
        from .plotting import plot_path
        _save_figure(plot_path(alphas, coefs), args.plot, say)
    return 0


def _decision_path(X, coefs, intercepts):
    """Decision values (n, n_alphas) or, multinomial, (n, n_alphas, K)."""
    if coefs.ndim == 3:                                   # (K, p, n_alphas)
        Z = np.stack([np.asarray(X @ c) for c in coefs], axis=2)
        return Z + intercepts.T[np.newaxis]
    return np.asarray(X @ coefs) + intercepts


def _deviance_ratio_logistic(Z, codes, K):
    """1 - deviance / null deviance along the path (null: the class frequencies)."""
    from scipy.special import logsumexp

    n = codes.size
    freq = np.bincount(codes, minlength=K) / n
    if Z.ndim == 2:
        sign = np.where(codes == 1, 1.0, -1.0)[:, None]
        dev = np.logaddexp(0.0, -sign * Z).sum(axis=0)
    else:
        logp = Z - logsumexp(Z, axis=2, keepdims=True)
        dev = -logp[np.arange(n), :, codes].sum(axis=0)
    null = -np.sum(np.log(freq[codes]))
    return 1.0 - dev / null


def _predict(args, say):
    start = time.perf_counter()
    model = load_model(args.model_file)
    say(f"loaded {model!r} from {args.model_file}")
    n_features = getattr(model, "n_features_in_", None)
    data = _read(args, say, n_features=n_features)
    if n_features is not None and data.X.shape[1] != n_features:
        raise ValueError(f"{args.data}: {data.X.shape[1]} features, the model was fitted on "
                         f"{n_features}.")
    pred = model.predict(data.X)
    header, columns = ["prediction"], [pred]
    classifier = hasattr(model, "classes_")
    if args.proba:
        if not classifier:
            raise _Usage("--proba applies to classifiers (--model logistic)")
        proba = model.predict_proba(data.X)
        header += [f"proba_{c}" for c in model.classes_]
        columns += list(proba.T)
    _write_csv(args.output, header, zip(*[[_number(v) for v in c] for c in columns]))
    if args.output != "-":
        say(f"wrote {args.output}")
    if data.y is not None:
        y = data.y
        if classifier:
            hits = int(np.sum(pred == y)) if y.dtype.kind == pred.dtype.kind or \
                y.dtype.kind in "fiu" and pred.dtype.kind in "fiu" else 0
            print(f"Accuracy = {100.0 * hits / y.size:.4g}% ({hits}/{y.size})",
                  file=sys.stderr)
        else:
            y = np.asarray(y, dtype=np.float64)
            mse = float(np.mean((y - pred) ** 2))
            tss = float(np.sum((y - y.mean()) ** 2))
            r2 = 1.0 - mse * y.size / tss if tss > 0 else float("nan")
            print(f"Mean squared error = {mse:.6g}, R^2 = {r2:.4f} ({y.size} samples)",
                  file=sys.stderr)
    say(f"done in {time.perf_counter() - start:.2f}s")
    return 0


def _demo(args, say):
    from .demo import run

    run()
    return 0


_COMMANDS = {"fit": _fit, "cv": _fit, "path": _path, "predict": _predict, "demo": _demo}


def _show_warning(message, category, filename, lineno, file=None, line=None):
    print(f"{PROG}: warning: {message}", file=sys.stderr)


def main(argv=None):
    """Run the command line with ``argv`` (default ``sys.argv[1:]``); return the exit code."""
    parser = _parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:                     # --help, --version, usage errors (2)
        return exc.code if isinstance(exc.code, int) else 2
    say = _Progress(getattr(args, "verbose", False))
    try:
        with warnings.catch_warnings():
            warnings.showwarning = _show_warning
            return _COMMANDS[args.command](args, say)
    except BrokenPipeError:                       # `l1core path ... | head`: stop quietly
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())     # no second error when Python flushes
        return 141
    except _Usage as exc:
        parser.print_usage(sys.stderr)
        print(f"{PROG} {args.command}: error: {exc}", file=sys.stderr)
        return 2
    except (OSError, ValueError, TypeError, ImportError) as exc:
        print(f"{PROG} {args.command}: error: {_one_line(exc)}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print(f"{PROG}: interrupted", file=sys.stderr)
        return 130


def _one_line(exc):
    text = " ".join(str(exc).split())
    if isinstance(exc, OSError) and exc.filename is not None:
        text = f"{exc.filename}: {exc.strerror or text}"
    return text or type(exc).__name__


if __name__ == "__main__":                        # pragma: no cover
    sys.exit(main())
