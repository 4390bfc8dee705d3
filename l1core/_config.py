"""Library-wide settings: ``set_config``, ``get_config`` and ``config_context``.

``n_threads``: the threads one fit may use for its full passes over X (dense and CSC X,
split by columns; every column's sum stays on one thread, so the answer is the same floats
for every thread count). 1 by default, as scikit-learn's, glmnet's and adelie's coordinate
descent; ``"auto"`` takes every CPU this process may run on. Fits that cross-validation runs
on its own worker threads (``n_jobs`` > 1) use one thread each: the folds already share the
cores. (OpenMP threads, once started, do not survive a ``fork``: a program that forks
after a multi-threaded fit should start its processes with "spawn" or "forkserver".)

``csr_copy_budget``: the largest column-major (CSC) copy, in bytes, that a
solver makes of a CSR design matrix. Coordinate descent reads X column by column; from CSR it
must scatter full passes row by row and gather each working set's columns, which costs 1.5-3x
the time of the same fit from CSC. So a CSR X whose CSC copy fits the budget is solved from
that copy (made once per problem: one fit, one path, one cross-validation fold; about the size
of X, ``nnz * (itemsize + index itemsize)`` bytes; the user's matrix is not modified), and a
larger one in place by the CSR kernels. ``"auto"`` (the default) is a quarter of the
machine's physical memory (2 GiB where it cannot be read); 0 keeps every CSR matrix in place,
for a user at the memory limit.
"""

import contextlib
import os
from collections.abc import Iterator

__all__ = ["set_config", "get_config", "config_context"]

_AUTO_FRACTION = 0.25
_AUTO_FALLBACK = 2 << 30

# Process-wide (not per thread): the fits that cross-validation runs on its worker threads
# see what the caller set. Processes started by Dask or multiprocessing start from defaults.
_SETTINGS = {"csr_copy_budget": "auto", "n_threads": 1}


def _settings():
    return _SETTINGS


def _check_budget(value):
    if value == "auto":
        return value
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not value >= 0:
        raise ValueError(f"csr_copy_budget must be 'auto' or a number of bytes >= 0, got "
                         f"{value!r}.")
    return value


def _check_threads(value):
    if value == "auto":
        return value
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise ValueError(f"n_threads must be 'auto' or an integer >= 1, got {value!r}.")
    return value


def get_config() -> dict:
    """The current settings (a copy), as ``set_config`` takes them.

    Examples
    --------
    >>> import l1core
    >>> sorted(l1core.get_config())
    ['csr_copy_budget', 'n_threads']
    """
    return dict(_settings())


def set_config(csr_copy_budget: "str | float | None" = None,
               n_threads: "str | int | None" = None) -> None:
    """Change settings for this process (None leaves a setting as it is).

    ``csr_copy_budget``: the largest CSC copy of a CSR design matrix, in bytes, that a solver
    makes to read it column by column (faster); ``"auto"``: a quarter of physical memory; 0:
    never copy (CSR is then solved in place, 1.5-3x slower). ``n_threads``: threads per fit
    for the full passes over X (an integer >= 1, or ``"auto"``: every available CPU).

    Examples
    --------
    >>> import l1core
    >>> before = l1core.get_config()
    >>> l1core.set_config(csr_copy_budget=0)          # CSR solved in place from now on
    >>> l1core.get_config()["csr_copy_budget"]
    0
    >>> l1core.set_config(**before)
    """
    if csr_copy_budget is not None:
        _settings()["csr_copy_budget"] = _check_budget(csr_copy_budget)
    if n_threads is not None:
        _settings()["n_threads"] = _check_threads(n_threads)


@contextlib.contextmanager
def config_context(csr_copy_budget: "str | float | None" = None,
                   n_threads: "str | int | None" = None) -> Iterator[None]:
    """Settings changed inside a ``with`` block only (as ``set_config`` takes them).

    Examples
    --------
    >>> import l1core
    >>> before = l1core.get_config()
    >>> with l1core.config_context(csr_copy_budget=1e9):
    ...     l1core.get_config()["csr_copy_budget"]
    1000000000.0
    >>> l1core.get_config() == before
    True
    """
    old = get_config()
    try:
        set_config(csr_copy_budget=csr_copy_budget, n_threads=n_threads)
        yield
    finally:
        _settings().update(old)


def csr_copy_budget() -> float:
    """The budget in bytes that the setting stands for now."""
    value = _settings()["csr_copy_budget"]
    if value != "auto":
        return float(value)
    try:
        return _AUTO_FRACTION * os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES")
    except (AttributeError, ValueError, OSError):
        return float(_AUTO_FALLBACK)


def kernel_threads() -> int:
    """The threads a kernel starting on this thread may use: the ``n_threads`` setting, or 1
    on a worker thread of l1core's own parallel map (cross-validation's folds)."""
    from ._parallel import interrupt_context

    if interrupt_context()[0] is not None:
        return 1
    value = _settings()["n_threads"]
    if value != "auto":
        return value
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except (AttributeError, OSError):
        return max(1, os.cpu_count() or 1)
