"""Memory measurements shared by the benchmarks (asv ``track_*``, ``compare.py``, ``scale.py``).

- :func:`peak_rss` runs a call and reports the process's peak resident memory during it, from
  ``/proc/self/status`` (``VmHWM``, reset through ``/proc/self/clear_refs``; Linux only).
- :func:`traced_peak` reports the peak of the memory NumPy and Python allocated during a call
  (tracemalloc): deterministic, blind to memory allocated by compiled code with ``malloc``.
- :func:`x_bytes` is the size of a design matrix (values and index arrays).
"""

import time
import tracemalloc

import numpy as np
import scipy.sparse as sp

__all__ = ["rss_status", "reset_peak_rss", "peak_rss", "traced_peak", "x_bytes"]


def rss_status():
    """{"VmRSS": bytes, "VmHWM": bytes} of this process (empty off Linux)."""
    fields = {}
    try:
        with open("/proc/self/status") as f:
            for line in f:
                key, _, value = line.partition(":")
                if key in ("VmRSS", "VmHWM"):
                    fields[key] = int(value.split()[0]) * 1024
    except OSError:
        pass
    return fields


def reset_peak_rss():
    """Reset VmHWM to the current RSS; False where the kernel does not allow it."""
    try:
        with open("/proc/self/clear_refs", "w") as f:
            f.write("5")
        return True
    except OSError:
        return False


def peak_rss(call):
    """(result, seconds, peak RSS during the call, RSS before it); the peaks are None where
    VmHWM cannot be reset."""
    ok = reset_peak_rss()
    before = rss_status().get("VmRSS")
    t0 = time.perf_counter()
    result = call()
    seconds = time.perf_counter() - t0
    peak = rss_status().get("VmHWM") if ok else None
    return result, seconds, peak, before if ok else None


def traced_peak(call):
    """Peak bytes allocated through tracemalloc (NumPy arrays, Python objects) during call."""
    tracemalloc.start()
    try:
        call()
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def x_bytes(X):
    """Bytes of X's values and index arrays."""
    if sp.issparse(X):
        return X.data.nbytes + X.indices.nbytes + X.indptr.nbytes
    return np.asarray(X).nbytes
