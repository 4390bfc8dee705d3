"""Redraw the README's figures into this folder (needs matplotlib and an installed l1core).

- ``lasso_path.png``, ``lasso_cv.png``: :func:`l1core.plotting.plot_path` and
  :func:`l1core.plotting.plot_cv` on the diabetes data (10-fold ``LassoCV``);
- ``compare.png``: the time ratios (peer time / l1core time) of the comparison table in
  ``benchmarks/README.md`` (written by ``benchmarks/compare.py``), one row per workload and
  task; a run stopped at the time limit is drawn at its lower bound (an open marker).

Run from anywhere: ``python benchmarks/figures/make_figures.py``.
"""

import pathlib
import re

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402

HERE = pathlib.Path(__file__).resolve().parent
TABLE = HERE.parent / "README.md"
PEERS = ("sklearn", "celer", "skglm", "glmnet")
MARKERS = dict(zip(PEERS, "osD^"))


def diabetes_figures():
    from l1core import LassoCV, lasso_path
    from l1core.datasets import load_diabetes
    from l1core.plotting import plot_cv, plot_path

    X, y, names = load_diabetes()
    figures = {
        "lasso_path.png": plot_path(lasso_path(X, y, fit_intercept=True),
                                    feature_names=names),
        "lasso_cv.png": plot_cv(LassoCV(cv=10).fit(X, y)),
    }
    for name, ax in figures.items():
        ax.figure.set_size_inches(6.4, 4.0)
        ax.figure.tight_layout()
        ax.figure.savefig(HERE / name, dpi=75)


def comparison_ratios(text):
    """{(workload, task): {peer: (ratio, is_lower_bound)}} from the markdown table rows
    ``| workload | task | solver | time | ratio | ...``: a blank workload / task cell
    continues the row above; "failed" rows are left out."""
    ratios, key = {}, None
    for line in text.splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if len(cells) < 5 or cells[2].strip("*") not in ("l1core",) + PEERS:
            continue
        if cells[0]:
            key = (cells[0], cells[1])
        match = re.fullmatch(r"(>\s*)?([0-9.]+)", cells[4])
        if match and cells[2] in PEERS:
            ratios.setdefault(key, {})[cells[2]] = (float(match[2]), bool(match[1]))
    return ratios


def comparison_figure():
    ratios = comparison_ratios(TABLE.read_text())
    keys = list(ratios)
    fig, ax = plt.subplots(figsize=(6.4, 0.17 * len(keys) + 1.2))
    for peer in PEERS:
        for stopped in (False, True):
            rows = [(i, ratios[k][peer][0]) for i, k in enumerate(keys)
                    if peer in ratios[k] and ratios[k][peer][1] == stopped]
            if rows:
                i, r = np.array(rows).T
                ax.scatter(r, i, marker=MARKERS[peer], s=16,
                           facecolors="none" if stopped else None,
                           edgecolors=f"C{PEERS.index(peer)}", color=f"C{PEERS.index(peer)}",
                           label=None if stopped else peer)
    ax.axvline(1.0, color="k", linewidth=0.8)
    ax.set_xscale("log")
    ax.set_yticks(range(len(keys)))
    ax.set_yticklabels([f"{w} {t}" for w, t in keys], fontsize=6)
    ax.invert_yaxis()
    ax.set_xlabel("peer time / l1core time (log scale; > 1: l1core faster; open: stopped)")
    ax.legend(fontsize="small", loc="lower center", bbox_to_anchor=(0.5, 1.0), ncol=4,
              frameon=False)
    ax.grid(axis="x", which="major", color="0.9")
    fig.tight_layout()
    fig.savefig(HERE / "compare.png", dpi=90)


if __name__ == "__main__":
    diabetes_figures()
    comparison_figure()
