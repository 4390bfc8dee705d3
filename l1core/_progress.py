"""Progress of a path or a cross-validation on stderr (``verbose``).

One :class:`Progress` counts units of work (solves of one alpha) towards a known total and
reports each step with the time elapsed and an estimate of the time left,
``elapsed * (total - done) / done`` (the past rate carried forward):

- stderr a terminal: one progress bar rewritten in place with ``\\r`` (glmnet's
  ``trace.it``, adelie's ``progress_bar``), ended by a newline when the work is done;
- otherwise (a file, a pipe, a notebook capture): one plain line per step, the step's own
  text first (``alpha=... gap=... epochs=... time=...s``) and the progress after it.

``verbose`` false prints nothing; a str ``verbose`` prefixes every line. Steps are reported
by the thread that calls :meth:`Progress.step` (cross-validation calls it from the main
thread as its tasks finish), and stderr is looked up at each write, so a redirected or
captured stream is honoured.
"""

import sys
import time

__all__ = ["Progress", "solve_text"]

_BAR_WIDTH = 24
_clock = time.perf_counter


def solve_text(alpha, gap, epochs, seconds):
    """The text of one solve: ``alpha=... gap=... epochs=... time=...s``."""
    return f"alpha={alpha:.6g} gap={gap:.3e} epochs={epochs} time={seconds:.3f}s"


def _duration(seconds):
    if seconds < 60.0:
        return f"{seconds:.1f}s"
    minutes, seconds = divmod(int(round(seconds)), 60)
    if minutes < 60:
        return f"{minutes}m{seconds:02d}s"
    return f"{minutes // 60}h{minutes % 60:02d}m"


class Progress:
    """Reports ``done`` of ``total`` units on stderr (see the module docstring).

    ``verbose``: False/0 silent, a str the prefix of every line, anything else true plain.
    ``bar``: None decides from ``sys.stderr.isatty()`` when the progress starts.
    """

    def __init__(self, verbose, total, *, bar=None):
        self.enabled = bool(verbose)
        self.prefix = verbose if isinstance(verbose, str) else ""
        self.total = max(int(total), 1)
        self.done = 0
        self.start = _clock()
        stream = sys.stderr
        self.bar = self.enabled and (bar if bar is not None else _isatty(stream))
        self._open = False             # a bar line is on screen without its newline
        self.label = ""                # the default label of a step (which task)

    def remaining(self, elapsed):
        """Estimated seconds left after ``elapsed`` (None before the first unit)."""
        if self.done == 0:
            return None
        return elapsed * (self.total - self.done) / self.done

    def status(self):
        """``done/total elapsed 1.2s left ~3.4s``."""
        elapsed = _clock() - self.start
        left = self.remaining(elapsed)
        left = "?" if left is None else "~" + _duration(left)
        return f"{self.done}/{self.total} elapsed {_duration(elapsed)} left {left}"

    def step(self, text="", units=1, *, label=None):
        """``units`` more done; report ``text`` (one solve's line) under ``label`` (which
        fold, which l1_ratio; default ``self.label``). With a bar, only the bar is
        redrawn."""
        self.done = min(self.done + units, self.total)
        if not self.enabled:
            return
        label = self.label if label is None else label
        if self.bar:
            filled = _BAR_WIDTH * self.done // self.total
            bar = "#" * filled + "-" * (_BAR_WIDTH - filled)
            where = f" {label}" if label else ""
            self._write(f"\r{self.prefix}[{bar}] {self.status()}{where}\x1b[K")
            self._open = True
            if self.done == self.total:
                self.close()
        else:
            where = f"{label} " if label else ""
            self._write(f"{self.prefix}{where}{text} [{self.status()}]\n")

    def path_done(self, label, alphas, gaps, n_iters, seconds):
        """Report a whole path solved elsewhere (a cross-validation task): one step per
        alpha, or one step of all of them with a bar."""
        if self.bar:
            self.step(units=len(alphas), label=label)
            return
        for alpha, gap, epochs, time_ in zip(alphas, gaps, n_iters, seconds):
            self.step(solve_text(alpha, gap, epochs, time_), label=label)

    def line(self, text):
        """A line of its own (the bar, if any, is ended first)."""
        if self.enabled:
            self.close()
            self._write(f"{self.prefix}{text}\n")

    def close(self):
        """End the bar's line (nothing to do in plain mode)."""
        if self._open:
            self._write("\n")
            self._open = False

    @staticmethod
    def _write(text):
        stream = sys.stderr
        stream.write(text)
        stream.flush()


def _isatty(stream):
    try:
        return bool(stream.isatty())
    except (AttributeError, ValueError):      # no isatty, or a closed stream
        return False
