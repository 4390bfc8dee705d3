"""Run independent tasks that share one large read-only array: serially, on threads, or on
any executor.

The compiled kernels release the GIL, so threads sharing X in memory are the default way to
use the cores of one machine (``n_jobs``). For more than one machine, ``executor`` takes any
object with ``submit(fn, *args) -> future`` whose futures have ``.result()``: a
``concurrent.futures.Executor`` or a ``dask.distributed.Client``. When the executor also has
``scatter`` (Dask), X is sent to every worker once with ``scatter(X, broadcast=True)`` and the
tasks receive a reference to it, so X is not re-sent with each task. (A
``ProcessPoolExecutor`` has no ``scatter``: it pickles X into every task.)

No scheduling happens here: results come back in task order, whatever the executor, so a
reduction over them is the same on every backend.
"""

import numbers
import os
from concurrent.futures import Future, ThreadPoolExecutor, as_completed

__all__ = ["effective_n_jobs", "map_shared"]


def effective_n_jobs(n_jobs):
    """Number of threads for ``n_jobs`` (joblib's convention): None -> 1, -1 -> all CPUs,
    -k -> all CPUs + 1 - k (at least 1); 0 is an error."""
    if n_jobs is None:
        return 1
    if isinstance(n_jobs, bool) or not isinstance(n_jobs, numbers.Integral) or n_jobs == 0:
        raise ValueError(f"n_jobs must be None or a non-zero integer, got {n_jobs!r}.")
    if n_jobs > 0:
        return int(n_jobs)
    return max(1, (os.cpu_count() or 1) + 1 + int(n_jobs))


def check_executor(executor):
    """``executor`` unchanged if it has a callable ``submit``, else TypeError."""
    if executor is not None and not callable(getattr(executor, "submit", None)):
        raise TypeError("executor must have a submit(fn, *args) method returning a future "
                        f"(a concurrent.futures.Executor or a dask.distributed.Client), got "
                        f"{executor!r}.")
    return executor


def map_shared(fn, shared, tasks, *, n_jobs=None, executor=None, on_result=None):
    """``[fn(shared, *args) for args in tasks]``, in task order.

    ``on_result(index, result)``, if given, is called in the calling thread as each task
    finishes (in finishing order on threads; in task order on executors whose futures are
    not ``concurrent.futures`` futures, e.g. Dask's): progress reports.

    ``executor`` (see the module docstring) takes precedence over ``n_jobs``; otherwise
    ``n_jobs`` > 1 runs the tasks on a ``ThreadPoolExecutor`` and ``n_jobs`` None or 1 runs
    them in the calling thread. ``fn`` must be a module-level function when the executor
    pickles it. If a task raises, the tasks not yet started are cancelled and the exception
    is raised.
    """
    tasks = list(tasks)
    check_executor(executor)
    if executor is not None:
        scatter = getattr(executor, "scatter", None)
        ref = scatter(shared, broadcast=True) if callable(scatter) else shared
        return _gather([executor.submit(fn, ref, *args) for args in tasks], on_result)
    n_threads = min(effective_n_jobs(n_jobs), len(tasks))
    if n_threads <= 1:
        results = []
        for index, args in enumerate(tasks):
            results.append(fn(shared, *args))
            if on_result is not None:
                on_result(index, results[-1])
        return results
    with ThreadPoolExecutor(max_workers=n_threads, thread_name_prefix="l1core") as pool:
        return _gather([pool.submit(fn, shared, *args) for args in tasks], on_result)


def _gather(futures, on_result=None):
    try:
        if on_result is not None:
            index = {id(future): k for k, future in enumerate(futures)}
            finished = (as_completed(futures)
                        if all(isinstance(future, Future) for future in futures) else futures)
            for future in finished:
                on_result(index[id(future)], future.result())
        return [future.result() for future in futures]
    except BaseException:
        for future in futures:
            future.cancel()
        raise
