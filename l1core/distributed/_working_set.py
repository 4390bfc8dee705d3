"""The distributed working-set loop, certified by the duality gap (one loop for every loss).

Outer iteration (Blitz / celer / skglm's scheme, with the full pass as a map-reduce):

1. full pass over the row blocks (``loss.certificate``): the gap of the current (w, b) on
   the whole problem, and ``q = X^T theta``; stop when ``gap <= tol * loss.scale``;
2. rank the features by their dual-constraint violation ``|q_j| / a_j`` (the support and the
   unpenalized features first) and take the best ``max(p0, 2 |support|)`` (doubled whenever it
   would not grow: at most log2(p / p0) iterations add features);
3. gather X[:, W] (only columns not gathered before travel) and solve the subproblem on the
   driver with the in-memory solver, warm-started, to ``0.3 * gap`` (celer's fraction).

Features outside W stay at zero; the certificate of step 1 covers all of them.
"""

import sys
from dataclasses import dataclass, field

import numpy as np

from ._dual import violation, penalty_weights

__all__ = ["DistributedSolution", "working_set_solve"]

_INNER_FRACTION = 0.3       # the subproblem's gap target, a fraction of the outer gap
_STALLED_PASSES = 3         # passes without a 1% decrease of the gap: stop (precision reached)


@dataclass
class DistributedSolution:
    """coef (p,) float64 ((K, p) multinomial); intercept (float or (K,)); dual_gap (certified on the whole problem); n_iter:
    epochs of the subproblem solves; gap_tol; converged; n_outer: full passes; history: one
    dict per full pass (gap, working-set size, bytes returned by the pass's per-block
    tasks, bytes of the partial sums passed up the reduction trees, bytes the driver
    received, bytes of the columns gathered after it); data_fit: the loss part of the objective and q: X^T theta
    at the last pass (a path's strong rule reads it)."""

    coef: np.ndarray
    intercept: object
    dual_gap: float
    n_iter: int
    gap_tol: float
    converged: bool
    n_outer: int
    data_fit: float
    q: np.ndarray
    history: list = field(default_factory=list)


def _support(w):
    """Features nonzero in w ((p,) or, one row per class, (K, p))."""
    return np.any(np.atleast_2d(w) != 0.0, axis=0)


def _working_set(score, w, size):
    """Indices of the ``size`` best-ranked features, the support always in, sorted."""
    score = score.copy()
    score[_support(w)] = np.inf
    if size >= score.size:
        return np.arange(score.size)
    return np.sort(np.argpartition(-score, size - 1)[:size])


def working_set_solve(loss, alpha, *, tol, max_iter, max_outer, coef_init=None,
                      intercept_init=None, p0=10, verbose=False, keep=None):
    """Minimize ``loss``'s penalized objective at ``alpha``; returns a
    :class:`DistributedSolution`. ``keep``: features put in the first working set (a path's
    strong-rule survivors)."""
    p = loss.n_features
    shape = getattr(loss, "coef_shape", (p,))      # (K, p): one row per class (multinomial)
    w = (np.zeros(shape) if coef_init is None
         else np.asarray(coef_init, dtype=np.float64).reshape(shape).copy())
    b = np.array(loss.start_intercept if intercept_init is None else intercept_init,
                 dtype=np.float64).reshape(np.shape(loss.start_intercept))
    if not loss.fit_intercept:
        b = 0.0 * b
    b = float(b) if b.ndim == 0 else b
    gap_tol = tol * loss.scale
    a, _ = penalty_weights(alpha, loss.l1_ratio, loss.factor)
    history, epochs, ws_size, gap, best, stalled = [], 0, 0, np.inf, np.inf, 0
    outer = 0
    while True:
        outer += 1
        partials, to_driver = loss.parts.partial_bytes, loss.parts.driver_bytes
        cert = loss.certificate(w, b, alpha)
        gap = cert.gap
        entry = {"gap": gap, "ws_size": 0, "pass_bytes": cert.bytes, "column_bytes": 0,
                 "partial_bytes": loss.parts.partial_bytes - partials,
                 "driver_bytes": loss.parts.driver_bytes - to_driver}
        history.append(entry)
        if verbose:
            print(f"{verbose if isinstance(verbose, str) else 'l1core.distributed'}: "
                  f"alpha={alpha:.4g} pass {outer} gap={gap:.3e} (target {gap_tol:.3e}) "
                  f"support={np.count_nonzero(_support(w))} epochs={epochs}",
                  file=sys.stderr)
        stalled = stalled + 1 if gap >= 0.99 * best else 0
        best = min(best, gap)
        if (not gap > gap_tol or epochs >= max_iter or outer >= max_outer  # NaN stops too
                or stalled >= _STALLED_PASSES):
            break
        n_support = int(np.count_nonzero(_support(w)))
        size = max(p0, 2 * n_support, len(loss.unpenalized) + 1)
        ws_size = min(p, size if size > ws_size else 2 * ws_size)
        q = cert.q if np.ndim(cert.q) == 1 else np.max(np.abs(cert.q), axis=0)
        score = violation(q, a, loss.penalized, loss.bounds[0], loss.bounds[1])
        if keep is not None and outer == 1:
            score[keep] = np.inf
            ws_size = min(p, max(ws_size, len(keep) + n_support))
        W = _working_set(score, w, ws_size)
        XW, moved = loss.parts.columns(W)
        entry.update(ws_size=int(W.size), column_bytes=moved)
        relative = _INNER_FRACTION * gap / loss.scale if loss.scale > 0 else tol
        inner_tol = max(min(tol, relative), 1e-2 * tol)
        wW, b, n_ep = loss.subproblem(XW, W, w[..., W], b, alpha, inner_tol,
                                      max(1, max_iter - epochs))
        w[...] = 0.0
        w[..., W] = wW
        epochs += n_ep
    return DistributedSolution(coef=w, intercept=b if np.ndim(b) else float(b),
                               dual_gap=float(gap),
                               n_iter=int(epochs), gap_tol=float(gap_tol),
                               converged=bool(gap <= gap_tol), n_outer=outer,
                               data_fit=cert.data_fit, q=cert.q, history=history)
