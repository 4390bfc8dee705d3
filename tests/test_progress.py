"""verbose progress: plain lines when stderr is not a terminal, a bar rewritten with \\r when
it is (faked by a StringIO whose isatty() is True), nothing at verbose=0; cross-validation
reports from the main thread as its tasks finish, whatever n_jobs."""

import io
import re
import sys
import threading

import numpy as np
import pytest

from conftest import make_regression
from l1core import (ElasticNetCV, LassoCV, SparseLogisticRegressionCV, enet_path, lasso_path,
                    logistic_path)
from l1core import _progress
from l1core._progress import Progress

STATUS = re.compile(r"(\d+)/(\d+) elapsed [\d.]+s left ~[\d.]+s")


class FakeTerminal(io.StringIO):
    def isatty(self):
        return True


def _binary(seed=0, n=60, p=8):
    rng = np.random.default_rng(seed)
    X = rng.standard_normal((n, p))
    return X, (X[:, 0] - X[:, 1] + 0.5 * rng.standard_normal(n) > 0).astype(int)


def test_plain_lines_carry_the_solve_and_the_progress(capsys):
    X, y, _ = make_regression(0)
    lasso_path(X, y, n_alphas=5, verbose=True)
    lines = capsys.readouterr().err.splitlines()
    assert len(lines) == 5
    for k, line in enumerate(lines):
        assert line.startswith("alpha=") and " gap=" in line and " epochs=" in line
        done, total = map(int, STATUS.search(line).groups())
        assert (done, total) == (k + 1, 5)
    assert "\r" not in "".join(lines)
    logistic_path(*_binary(), n_alphas=3, eps=1e-2, verbose="[mine] ")
    lines = capsys.readouterr().err.splitlines()
    assert len(lines) == 3 and all(line.startswith("[mine] alpha=") for line in lines)


def test_verbose_zero_prints_nothing(capsys):
    X, y, _ = make_regression(1)
    enet_path(X, y, n_alphas=4, verbose=0)
    LassoCV(cv=3, n_alphas=4, verbose=0, n_jobs=2).fit(X, y)
    logistic_path(*_binary(), n_alphas=3, verbose=False)
    assert capsys.readouterr().err == ""


def test_a_terminal_gets_one_bar_rewritten_in_place(monkeypatch):
    X, y, _ = make_regression(2)
    terminal = FakeTerminal()
    monkeypatch.setattr(sys, "stderr", terminal)
    lasso_path(X, y, n_alphas=6, verbose=True)
    out = terminal.getvalue()
    assert out.count("\r") == 6 and out.endswith("\n") and out.count("\n") == 1
    frames = out.rstrip("\n").split("\r")[1:]
    assert [STATUS.search(f).group(1) for f in frames] == [str(k) for k in range(1, 7)]
    assert frames[-1].startswith("[" + "#" * 24 + "]")            # full at the end
    assert "alpha=" not in out                                    # the bar only


@pytest.mark.parametrize("n_jobs", [None, 2])
def test_cv_bar_counts_every_fold_alpha_then_the_refit_line(monkeypatch, n_jobs):
    X, y, _ = make_regression(3, n=60)
    terminal = FakeTerminal()
    monkeypatch.setattr(sys, "stderr", terminal)
    ElasticNetCV(l1_ratio=[0.5, 1.0], cv=3, n_alphas=4, verbose=True, n_jobs=n_jobs).fit(X, y)
    bar_line, refit_line = terminal.getvalue().rstrip("\n").split("\n")
    frames = bar_line.split("\r")[1:]
    total = (2 * 3 + 1) * 4                                      # tasks and the full path
    counts = [int(STATUS.search(f).group(1)) for f in frames]
    assert counts == sorted(counts) and counts[-1] == total
    assert all(int(STATUS.search(f).group(2)) == total for f in frames)
    assert "fold" in frames[0] and "full data" in frames[-1]
    assert refit_line.startswith("[ElasticNetCV refit] alpha=")


@pytest.mark.parametrize("n_jobs", [None, 2])
def test_cv_reports_from_the_main_thread_as_tasks_finish(monkeypatch, capsys, n_jobs):
    threads = []
    write = Progress._write
    monkeypatch.setattr(Progress, "_write", staticmethod(
        lambda text: (threads.append(threading.current_thread()), write(text))))
    X, y = _binary(4, n=90)
    SparseLogisticRegressionCV(cv=3, n_alphas=3, eps=1e-2, verbose=True,
                               n_jobs=n_jobs).fit(X, y)
    lines = [line for line in capsys.readouterr().err.splitlines() if STATUS.search(line)]
    assert len(lines) == (3 + 1) * 3
    assert all(thread is threading.main_thread() for thread in threads) and threads
    done = [int(STATUS.search(line).group(1)) for line in lines]
    assert done == list(range(1, 13))
    for fold in range(3):                     # each fold's alphas are reported together
        rows = [k for k, line in enumerate(lines) if f"fold {fold}]" in line]
        assert rows == list(range(rows[0], rows[0] + 3))


def test_estimate_of_the_time_left(monkeypatch):
    clock = iter([10.0, 14.0])
    monkeypatch.setattr(_progress, "_clock", lambda: next(clock))
    progress = Progress(True, 4, bar=False)                        # starts at t=10
    assert progress.remaining(2.0) is None
    progress.done = 1
    assert progress.remaining(2.0) == pytest.approx(6.0)          # 2 s per unit, 3 left
    progress.done = 2
    assert progress.status() == "2/4 elapsed 4.0s left ~4.0s"
    assert _progress._duration(125.0) == "2m05s" and _progress._duration(7300) == "2h01m"
