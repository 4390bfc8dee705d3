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

Ctrl-C: the kernels check for signals on the main thread, and on every thread the stop flag of
the task group the thread runs for (``interrupt_context``). When the main thread is
interrupted while it waits for threaded tasks, ``map_shared`` sets the group's flag, so the
tasks already running stop within a few milliseconds, waits for them, then re-raises. Tasks on
another kind of executor than a ``ThreadPoolExecutor`` (processes, Dask) are cancelled if not started, not stopped.
"""

import numbers
import os
import threading
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait

__all__ = ["effective_n_jobs", "map_shared"]

_task_group = threading.local()
_MAIN_THREAD = threading.main_thread().ident


def interrupt_context():
    """(stop flag, on the main thread) for a kernel starting on this thread: the flag is the
    1-byte ``bytearray`` of the task group this thread runs for (None outside map_shared), set
    to 1 to stop the group's kernels."""
    return getattr(_task_group, "stop", None), threading.get_ident() == _MAIN_THREAD


def _in_group(stop, fn, *args):
    """``fn(*args)`` with this thread's kernels watching ``stop``."""
    before = getattr(_task_group, "stop", None)
    _task_group.stop = stop
    try:
        return fn(*args)
    finally:
        _task_group.stop = before


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
    is raised; on a KeyboardInterrupt the running threaded tasks are stopped first (module
    docstring).
    """
    tasks = list(tasks)
    check_executor(executor)
    if isinstance(executor, ThreadPoolExecutor):
        stop = bytearray(1)
        return _gather([executor.submit(_in_group, stop, fn, shared, *args) for args in tasks],
                       stop, on_result)
    if executor is not None:
        scatter = getattr(executor, "scatter", None)
        ref = scatter(shared, broadcast=True) if callable(scatter) else shared
        return _gather([executor.submit(fn, ref, *args) for args in tasks], None, on_result)
    n_threads = min(effective_n_jobs(n_jobs), len(tasks))
    if n_threads <= 1:
        results = []
        for index, args in enumerate(tasks):
            results.append(fn(shared, *args))
            if on_result is not None:
                on_result(index, results[-1])
        return results
    stop = bytearray(1)
    with ThreadPoolExecutor(max_workers=n_threads, thread_name_prefix="l1core") as pool:
        return _gather([pool.submit(_in_group, stop, fn, shared, *args) for args in tasks],
                       stop, on_result)


def _gather(futures, stop=None, on_result=None):
    """The futures' results in task order, ``on_result`` called as each finishes. With a
    ``stop`` flag (threads of this process) the wait wakes up every _WAKE_SECONDS, so that a
    Ctrl-C arriving on another thread, or from ``_thread.interrupt_main``, is seen by the
    main thread at once."""
    try:
        if all(isinstance(future, Future) for future in futures):
            index = {future: k for k, future in enumerate(futures)}
            pending = set(futures)
            while pending:
                done, pending = wait(pending, return_when=FIRST_COMPLETED,
                                     timeout=None if stop is None else _WAKE_SECONDS)
                for future in sorted(done, key=index.get):
                    result = future.result()      # a failed task raises here, at once
                    if on_result is not None:
                        on_result(index[future], result)
        elif on_result is not None:
            for k, future in enumerate(futures):
                on_result(k, future.result())
        return [future.result() for future in futures]
    except BaseException:
        if stop is not None:
            stop[0] = 1     # the running kernels return; the pool's exit waits for them
        for future in futures:
            future.cancel()
        raise


_WAKE_SECONDS = 0.05
