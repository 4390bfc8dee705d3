"""Corrupt CSC/CSR index arrays raise ValueError before any kernel reads them.

``check_input=False`` skips ``check_design``; the kernels index raw pointers without bounds
checks, so an out-of-range index or a broken ``indptr`` used to read (or write) outside the
arrays: a crash, or a silent wrong answer. Every entry point now runs the O(nnz) index check
(``check_trusted_design``). The cases run in a child process, so a crash fails its own case
instead of the test session: after a crash the child is restarted at the next case.
"""

import json
import os
import subprocess
import sys
import textwrap

import numpy as np
import pytest
import scipy.sparse as sp

from l1core._design_ops import check_compressed_indices
from l1core._validation import check_trusted_design

CORRUPTIONS = ["negative_index", "index_too_large", "huge_index", "indptr_decreasing",
               "indptr_start", "indptr_end_beyond_data", "indptr_too_short",
               "indptr_too_long", "unsorted_indices", "duplicate_indices"]
ENTRIES = ["enet_solve", "enet_path", "lasso_path", "Lasso.fit", "ElasticNet.fit",
           "logistic_solve", "logistic_path", "logistic_path_multinomial"]
FORMATS = ["csr", "csc"]
CASES = [(f, c, e) for f in FORMATS for c in CORRUPTIONS for e in ENTRIES]

# The child: builds each corrupt matrix and calls one entry point with check_input=False.
CHILD = textwrap.dedent("""
    import inspect, json, sys, warnings
    import numpy as np, scipy.sparse as sp
    import l1core
    from l1core import ElasticNet, Lasso, enet_path, enet_solve, lasso_path, logistic_path
    from l1core import logistic_solve
    warnings.simplefilter("ignore")

    def corrupt(fmt, kind):
        rng = np.random.default_rng(0)
        dense = rng.standard_normal((30, 20)) * (rng.random((30, 20)) < 0.4)
        X = (sp.csr_matrix if fmt == "csr" else sp.csc_matrix)(dense)
        X.indices = X.indices.astype(np.int32)
        X.indptr = X.indptr.astype(np.int32)
        n_minor = X.shape[1] if fmt == "csr" else X.shape[0]
        mid, major = X.nnz // 2, 5
        start = X.indptr[major]
        if kind == "negative_index":
            X.indices[mid] = -1
        elif kind == "index_too_large":
            X.indices[mid] = n_minor
        elif kind == "huge_index":
            X.indices[mid] = 2**30
        elif kind == "indptr_decreasing":
            X.indptr[major] = X.indptr[major + 1] + 3
        elif kind == "indptr_start":
            X.indptr[0] = 2
        elif kind == "indptr_end_beyond_data":
            X.indptr[-1] = X.nnz + 10**6
        elif kind == "indptr_too_short":
            X.indptr = X.indptr[:-1].copy()
        elif kind == "indptr_too_long":
            X.indptr = np.append(X.indptr, X.indptr[-1]).astype(np.int32)
        elif kind == "unsorted_indices":
            X.indices[start], X.indices[start + 1] = X.indices[start + 1], X.indices[start]
        elif kind == "duplicate_indices":
            X.indices[start + 1] = X.indices[start]
        return X

    def call(entry, X):
        y = np.linspace(-1.0, 1.0, X.shape[0])
        codes = (np.arange(X.shape[0]) % 2).astype(np.intp)
        if entry == "enet_solve":
            enet_solve(X, y, alpha=0.01, check_input=False)
        elif entry == "enet_path":
            enet_path(X, y, n_alphas=3, check_input=False)
        elif entry == "lasso_path":
            lasso_path(X, y, n_alphas=3, check_input=False)
        elif entry in ("Lasso.fit", "ElasticNet.fit"):
            est = Lasso(alpha=0.01) if entry == "Lasso.fit" else ElasticNet(alpha=0.01)
            if "check_input" in inspect.signature(est.fit).parameters:
                est.fit(X, y, check_input=False)
            else:
                est.fit(X, y)        # validated: check_design answers
                return "validated"
        elif entry == "logistic_solve":
            logistic_solve(X, codes, alpha=0.01, check_input=False)
        elif entry == "logistic_path":
            logistic_path(X, codes, n_alphas=3, check_input=False)
        elif entry == "logistic_path_multinomial":
            logistic_path(X, np.arange(X.shape[0]) % 3, n_alphas=3, multinomial=True,
                          check_input=False)

    cases = json.loads(sys.argv[1])
    for i in range(int(sys.argv[2]), len(cases)):
        fmt, kind, entry = cases[i]
        try:
            result = call(entry, corrupt(fmt, kind)) or "no error"
        except Exception as exc:
            result = f"{type(exc).__name__}: {exc}"
        print(json.dumps([i, result]), flush=True)
""")


@pytest.fixture(scope="module")
def results():
    """Case index -> outcome text, from one child run (restarted after each crash)."""
    out, start = {}, 0
    env = dict(os.environ, PYTHONFAULTHANDLER="0")
    while start < len(CASES):
        proc = subprocess.run([sys.executable, "-c", CHILD, json.dumps(CASES), str(start)],
                              capture_output=True, text=True, env=env, timeout=300)
        for line in proc.stdout.splitlines():
            i, result = json.loads(line)
            out[i] = result
        start = max(out, default=-1) + 1
        if proc.returncode != 0 and start < len(CASES):
            out[start] = f"crash (exit code {proc.returncode}): {proc.stderr[-300:]}"
            start += 1
    return out


@pytest.mark.parametrize("case", range(len(CASES)),
                         ids=["-".join(c) for c in CASES])
def test_corrupt_indices_raise_value_error(results, case):
    """ValueError naming the problem; where fit has no check_input keyword (yet), check_design
    validates X and sorts/sums unsorted or duplicate indices into a canonical copy."""
    outcome = results[case]
    if outcome == "validated" and CASES[case][1] in ("unsorted_indices", "duplicate_indices"):
        return
    assert outcome.startswith("ValueError: "), outcome
    assert "X" in outcome and ("ind" in outcome or "CSR" in outcome or "CSC" in outcome)


# --------------------------------------------------------------------------- direct checks


def _valid(fmt, index_dtype):
    X = sp.random(40, 30, density=0.2, format=fmt, random_state=0, dtype=np.float32)
    X.indices = X.indices.astype(index_dtype)
    X.indptr = X.indptr.astype(index_dtype)
    return X


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize("index_dtype", [np.int32, np.int64])
def test_valid_matrices_pass_and_are_not_copied(fmt, index_dtype):
    X = _valid(fmt, index_dtype)
    before = (X.data.copy(), X.indices.copy(), X.indptr.copy())
    assert check_trusted_design(X) is X
    for a, b in zip(before, (X.data, X.indices, X.indptr)):
        np.testing.assert_array_equal(a, b)
    empty = (sp.csr_matrix if fmt == "csr" else sp.csc_matrix)((5, 4), dtype=np.float64)
    check_compressed_indices(empty)


@pytest.mark.parametrize("fmt", FORMATS)
def test_error_names_the_problem(fmt):
    X = _valid(fmt, np.int64)
    X.indices[3] = -7
    with pytest.raises(ValueError, match=r"indices\[3\] = -7 is outside \[0, "):
        check_trusted_design(X)
    X = _valid(fmt, np.int32)
    X.indptr = X.indptr[:-1].copy()
    with pytest.raises(ValueError, match="indptr has length"):
        check_trusted_design(X)


def test_trusted_design_rejects_what_check_design_never_returns():
    X = _valid("csr", np.int32)
    X.indptr = X.indptr.astype(np.int64)                 # mixed index dtypes
    with pytest.raises(ValueError, match="int32 or int64 arrays of one dtype"):
        check_trusted_design(X)
    with pytest.raises(ValueError, match="CSC or CSR"):
        check_trusted_design(sp.coo_matrix(np.eye(3)))
    with pytest.raises(ValueError, match="2-D float32 or float64"):
        check_trusted_design(np.ones((3, 3), dtype=np.int64))
    with pytest.raises(ValueError, match="2-D float32 or float64"):
        check_trusted_design([[1.0, 2.0]])
