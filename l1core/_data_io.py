"""Reading and writing data files with NumPy and SciPy only (the command line's input).

Formats (``read_data`` picks one from the file name, or ``fmt=``):

- svmlight / libsvm (LIBLINEAR's ``train`` format): one sample per line,
  ``label index:value index:value ... # comment``, indices 1-based and increasing (as
  LIBLINEAR requires), ``qid:...`` ignored, ``#`` starts a comment; read into CSR.
  Any extension but the ones below; ``.gz`` files are decompressed.
- CSV (``.csv``, ``.tsv``): dense; an optional header row (detected: a first row that is not
  all numbers), the target in one column chosen by index or header name.
- ``.npz``: arrays ``X`` (2-D) and ``y``, or a ``scipy.sparse.save_npz`` file (with an
  optional ``y`` array added).
- Matrix Market (``.mtx``): X only (``scipy.io.mmread``); targets from a separate file.

A separate target file (one value per line) replaces the target of any format; then the
data file holds features only. Labels that are not numbers (``spam``/``ham``) are kept as
strings. Every problem with a file raises :class:`DataError` (a ``ValueError``) naming it.
"""

import gzip
import io
import os
import re
import warnings

import numpy as np
import scipy.io
import scipy.sparse as sp

__all__ = ["DataError", "Dataset", "read_data", "read_svmlight", "write_svmlight",
           "read_csv", "read_targets", "detect_format"]

FORMATS = ("svmlight", "csv", "npz", "mtx")


class DataError(ValueError):
    """A data file that cannot be read (the message names the file and, if known, line)."""


class Dataset:
    """What a data file holds: X (ndarray or CSR/CSC), y (ndarray or None) and the feature
    names (list of str, or None)."""

    def __init__(self, X, y=None, feature_names=None):
        self.X, self.y, self.feature_names = X, y, feature_names

    def describe(self):
        n, p = self.X.shape
        kind = f"{self.X.format.upper()}, {self.X.nnz} nonzeros" if sp.issparse(self.X) \
            else "dense"
        return f"{n} samples x {p} features ({kind})"


def detect_format(path):
    """The format of ``path`` from its name (``.gz`` stripped): csv, npz, mtx or svmlight."""
    name = os.fspath(path).lower()
    if name.endswith(".gz"):
        name = name[:-3]
    ext = os.path.splitext(name)[1]
    return {".csv": "csv", ".tsv": "csv", ".npz": "npz", ".mtx": "mtx"}.get(ext, "svmlight")


def _open_text(path):
    path = os.fspath(path)
    if path.endswith(".gz"):
        return io.TextIOWrapper(gzip.open(path, "rb"), encoding="utf-8")
    return open(path, encoding="utf-8")


def _as_labels(values, where):
    """Strings as numbers if they all are (float64), else as strings."""
    values = np.asarray(values, dtype=str)
    try:
        y = values.astype(np.float64)
    except ValueError:
        return values
    if not np.all(np.isfinite(y)):
        raise DataError(f"{where}: a target is NaN or infinite.")
    return y


# --------------------------------------------------------------------------- svmlight


# index:value pairs separated by blanks (each token exactly one colon)
_PAIRS = re.compile(r"(?:[^\s:]+:[^\s:]+\s+)*(?:[^\s:]+:[^\s:]+)?")


def read_svmlight(path, n_features=None, *, zero_based=False, dtype=np.float64):
    """(X CSR of shape (n_samples, n_features), y float64 or str labels) of a
    svmlight/libsvm file. ``n_features``: at least this many columns (a test file may use
    fewer features than the training file); None: the largest index.

    Each line is checked with one regular expression, then all the pairs are parsed at once
    by NumPy (``np.fromstring``), so no Python code runs per nonzero."""
    labels, parts, counts = [], [], []
    with _open_text(path) as f:
        try:
            for lineno, line in enumerate(f, 1):
                fields = line.partition("#")[0].split(None, 1)
                if not fields:
                    continue
                label, rest = fields[0], fields[1].strip() if len(fields) > 1 else ""
                if rest.startswith("qid:"):
                    rest = (rest.split(None, 1) + [""])[1].strip()
                if ":" in label or not _PAIRS.fullmatch(rest):
                    raise DataError(f"{path}, line {lineno}: expected 'label index:value "
                                    f"...', got {line.strip()[:60]!r}.")
                labels.append(label)
                parts.append(rest)
                counts.append(rest.count(":"))
        except UnicodeDecodeError as exc:
            raise DataError(f"{path}: not a text file ({exc.reason}).") from None
    if not labels:
        raise DataError(f"{path}: no samples.")
    counts = np.asarray(counts, dtype=np.int64)
    indptr = np.concatenate([[0], np.cumsum(counts)])
    text = " ".join(parts).replace(":", " ")
    try:
        with warnings.catch_warnings():
            # older NumPy warns "could not be read to its end" (and stops), newer raises
            warnings.simplefilter("error", DeprecationWarning)
            numbers = np.fromstring(text, dtype=np.float64, sep=" ") if text.strip() else \
                np.zeros(0)
    except (ValueError, DeprecationWarning):
        numbers = None
    if numbers is None or numbers.size != 2 * indptr[-1]:
        raise DataError(f"{path}: bad index or value (a field is not a number).")
    pairs = numbers.reshape(-1, 2)
    if not np.all(pairs[:, 0] == np.round(pairs[:, 0])) or \
            np.any(np.abs(pairs[:, 0]) > 2**53):
        raise DataError(f"{path}: bad index or value (an index is not an integer).")
    indices = pairs[:, 0].astype(np.int64) - (0 if zero_based else 1)
    data = pairs[:, 1]
    row_of = np.repeat(np.arange(counts.size), counts)
    _check_svmlight_indices(path, indices, data, row_of, zero_based)
    width = int(indices.max()) + 1 if indices.size else 0
    if n_features is not None:
        width = max(width, int(n_features))
    X = sp.csr_matrix((data.astype(dtype), indices.astype(np.int32 if width < 2**31
                                                          else np.int64), indptr),
                      shape=(counts.size, width))
    return X, _as_labels(labels, path)


def _check_svmlight_indices(path, indices, data, row_of, zero_based):
    def line_of(k):
        return f"{path}, sample {row_of[k] + 1}"

    if indices.size and indices.min() < 0:
        k = int(np.argmin(indices))
        raise DataError(f"{line_of(k)}: feature index {indices[k] + (0 if zero_based else 1)}"
                        f" < {0 if zero_based else 1} (svmlight/libsvm indices are "
                        f"{'0' if zero_based else '1'}-based).")
    bad = np.flatnonzero((row_of[1:] == row_of[:-1]) & (np.diff(indices) <= 0))
    if bad.size:
        raise DataError(f"{line_of(bad[0] + 1)}: feature indices must be increasing.")
    if not np.all(np.isfinite(data)):
        k = int(np.flatnonzero(~np.isfinite(data))[0])
        raise DataError(f"{line_of(k)}: value {data[k]} is not finite.")


def write_svmlight(path, X, y, *, zero_based=False, comment=None):
    """Write X (dense or sparse) and y as a svmlight/libsvm file (1-based indices unless
    ``zero_based``; only nonzeros; values with 17 significant digits, exact in float64)."""
    X = sp.csr_matrix(X)
    X.sum_duplicates()
    X.sort_indices()
    y = np.asarray(y).ravel()
    if y.shape[0] != X.shape[0]:
        raise ValueError(f"y has {y.shape[0]} values for {X.shape[0]} samples.")
    base = 0 if zero_based else 1
    with open(path, "w", encoding="utf-8") as f:
        if comment:
            f.writelines(f"# {line}\n" for line in str(comment).splitlines())
        for i in range(X.shape[0]):
            lo, hi = X.indptr[i], X.indptr[i + 1]
            feats = " ".join(f"{j + base}:{v:.17g}" for j, v in zip(X.indices[lo:hi],
                                                                   X.data[lo:hi]))
            f.write(f"{_format_label(y[i])} {feats}".rstrip() + "\n")


def _format_label(label):
    if isinstance(label, (float, np.floating)):
        return f"{label:.17g}"
    return str(label)


# --------------------------------------------------------------------------- CSV


def read_csv(path, *, target=0, header=None, delimiter=None):
    """Dataset of a CSV file. ``target``: the target column's index (negative counts from
    the end) or header name, or None (features only); ``header``: True, False or None
    (detected: the first row is a header unless all its fields are numbers);
    ``delimiter``: None is a tab for ``.tsv`` files, else a comma."""
    if delimiter is None:
        delimiter = "\t" if ".tsv" in os.fspath(path).lower() else ","
    with _open_text(path) as f:
        try:
            text = f.read()
        except UnicodeDecodeError as exc:
            raise DataError(f"{path}: not a text file ({exc.reason}).") from None
    lines = text.splitlines()
    first = next((line for line in lines if line.strip()), None)
    if first is None:
        raise DataError(f"{path}: empty file.")
    fields = [c.strip().strip('"') for c in first.split(delimiter)]
    if header is None:
        header = not all(_is_number(c) for c in fields)
    n_cols = len(fields)
    column = _target_column(path, target, fields if header else None, n_cols)
    feature_cols = [j for j in range(n_cols) if j != column]
    try:
        table = np.loadtxt(io.StringIO(text), delimiter=delimiter, dtype=str, ndmin=2,
                           skiprows=1 if header else 0, quotechar='"')
    except ValueError as exc:
        raise DataError(f"{path}: {exc}") from None
    if table.shape[0] == 0:
        raise DataError(f"{path}: no samples.")
    if table.shape[1] != n_cols:
        raise DataError(f"{path}: {table.shape[1]} columns, the first row has {n_cols}.")
    try:
        X = np.asfortranarray(np.char.strip(table[:, feature_cols]).astype(np.float64))
    except ValueError:
        i, j = next((i, j) for i, row in enumerate(table) for j in feature_cols
                    if not _is_number(row[j]))
        raise DataError(f"{path}: data row {i + 1}, column {j + 1}: a feature is not a "
                        f"number: {str(table[i, j])!r}.") from None
    if not np.all(np.isfinite(X)):
        i, j = np.argwhere(~np.isfinite(X))[0]
        raise DataError(f"{path}: data row {i + 1}, column {feature_cols[j] + 1} is not "
                        "finite.")
    y = None if column is None else _as_labels(np.char.strip(table[:, column]), path)
    names = [fields[j] for j in feature_cols] if header else None
    return Dataset(X, y, names)


def _is_number(text):
    try:
        float(text)
    except ValueError:
        return False
    return True


def _target_column(path, target, names, n_cols):
    if target is None:
        return None
    if isinstance(target, str) and not _is_int(target):
        if names is None or target not in names:
            raise DataError(f"{path}: no column named {target!r}"
                            + (f" (columns: {', '.join(names)})." if names else
                               " (the file has no header row)."))
        return names.index(target)
    j = int(target)
    if not -n_cols <= j < n_cols:
        raise DataError(f"{path}: target column {j} out of range ({n_cols} columns).")
    return j % n_cols


def _is_int(text):
    try:
        int(text)
    except ValueError:
        return False
    return True


# --------------------------------------------------------------------------- npz, mtx


def _read_npz(path):
    try:
        with np.load(path, allow_pickle=False) as f:
            files = set(f.files)
            y = f["y"] if "y" in files else None
            X = f["X"] if "X" in files else None
    except Exception as exc:        # zip, pickle and format errors of any kind
        raise DataError(f"{path}: not a readable .npz file ({exc}).") from None
    if X is None:
        if "format" not in files:
            raise DataError(f"{path}: no array 'X' and not a scipy.sparse.save_npz file "
                            f"(entries: {', '.join(sorted(files))}).")
        try:
            X = sp.load_npz(path)
        except Exception as exc:
            raise DataError(f"{path}: bad sparse matrix ({exc}).") from None
    if X.ndim != 2:
        raise DataError(f"{path}: X must be 2-D, got shape {X.shape}.")
    if y is not None:
        y = _as_labels(y, path) if y.dtype.kind in "US" else np.asarray(y)
    return Dataset(X, y)


def _read_mtx(path):
    try:
        X = scipy.io.mmread(os.fspath(path))
    except Exception as exc:        # scipy raises ValueError, OSError or its own errors
        raise DataError(f"{path}: not a readable Matrix Market file ({exc}).") from None
    return Dataset(sp.csc_matrix(X) if sp.issparse(X) else np.asfortranarray(X))


def read_targets(path):
    """The targets of a target file: one value per line (numbers, or labels as strings)."""
    with _open_text(path) as f:
        values = [line.strip() for line in f if line.strip()]
    if not values:
        raise DataError(f"{path}: no targets.")
    return _as_labels(values, path)


# --------------------------------------------------------------------------- dispatch


def read_data(path, *, fmt=None, target=0, header=None, delimiter=None, target_file=None,
              n_features=None, zero_based=False):
    """Read a data file into a :class:`Dataset` (see the module docstring for the formats).

    ``target``/``header``/``delimiter`` apply to CSV; ``n_features``/``zero_based`` to
    svmlight; ``target_file`` to every format (the data file then holds features only; a
    CSV file's target column is not looked for).
    """
    fmt = detect_format(path) if fmt is None else fmt
    if fmt not in FORMATS:
        raise DataError(f"unknown format {fmt!r} (one of {', '.join(FORMATS)}).")
    if not os.path.isfile(path):
        raise DataError(f"{path}: no such file.")
    if fmt == "svmlight":
        X, y = read_svmlight(path, n_features, zero_based=zero_based)
        data = Dataset(X, y)
    elif fmt == "csv":
        data = read_csv(path, target=None if target_file else target, header=header,
                        delimiter=delimiter)
    elif fmt == "npz":
        data = _read_npz(path)
    else:
        data = _read_mtx(path)
    if target_file is not None:
        data.y = read_targets(target_file)
    if data.y is not None and data.y.shape != (data.X.shape[0],):
        raise DataError(f"{target_file or path}: {data.y.shape[0] if data.y.ndim else 1} "
                        f"targets for {data.X.shape[0]} samples.")
    return data
