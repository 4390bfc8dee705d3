"""Pruning a neural network by proximal steps: after each optimizer step, replace the
weights W by ``prox_{lr alpha h}(W)`` (proximal SGD; structured sparsity, Wen et al. 2016).

- ``kind="l1"``: h = ||W||_1, individual weights go to exactly 0;
- ``kind="neuron"``: h = sum_j ||W_j||_2 over output units j, W_j the slice of W at index
  j of ``out_axis`` (default -1: the columns of an (n_in, n_out) matrix used as x @ W): a
  unit whose incoming weights all vanish is dead and can be removed;
- ``kind="channel"``: the same with ``out_axis=0`` by default (PyTorch's (out, in) linear
  and (out, in, h, w) convolution weights: whole output channels);
- ``kind="sparse_group"``: l1_ratio * L1 then (1 - l1_ratio) * neuron groups.
"""

from __future__ import annotations

from .._typing import Any, Literal, Sequence
from .._validation import check_alpha, check_l1_ratio
from . import _backend as b
from .elementwise import prox_l1
from .group import prox_l21

__all__ = ["prune_step"]

_KINDS = ("l1", "neuron", "channel", "sparse_group")


def prune_step(weights: Sequence[Any], alpha: float, lr: float,
               kind: Literal["l1", "neuron", "channel", "sparse_group"] = "l1", *,
               out_axis: int | None = None, l1_ratio: float = 0.5) -> list:
    """Apply the proximal step of ``alpha * h`` with step ``lr`` to each weight array, in
    place (NumPy arrays, or any array-API array supporting ``w[...] = v``); returns the list.

    Pass only the arrays to prune (weight matrices, not biases). The threshold is
    ``lr * alpha`` (per weight for "l1", per unit's L2 norm for the group kinds).

    Examples
    --------
    >>> import numpy as np
    >>> from l1core.prox import prune_step
    >>> W = np.array([[0.5, 0.01], [-0.4, 0.02]])   # (n_in, n_out): 2 hidden units
    >>> _ = prune_step([W], alpha=1.0, lr=0.1, kind="neuron")
    >>> (np.abs(W).sum(axis=0) > 0).tolist()         # the second unit is pruned
    [True, False]
    >>> _ = prune_step([W], alpha=1.0, lr=0.1, kind="l1")
    >>> W.round(2).tolist()
    [[0.32, 0.0], [-0.24, 0.0]]
    """
    if kind not in _KINDS:
        raise ValueError(f"kind must be one of {_KINDS}, got {kind!r}.")
    t = check_alpha(alpha) * check_alpha(lr, "lr")
    l1_ratio = check_l1_ratio(l1_ratio)
    axis = out_axis if out_axis is not None else (0 if kind == "channel" else -1)
    for w in weights:
        if kind == "l1":
            prox_l1(w, t, out=w)
            continue
        if kind == "sparse_group":
            prox_l1(w, l1_ratio * t, out=w)
            t_group = (1.0 - l1_ratio) * t
        else:
            t_group = t
        xp, _ = b.namespace(w)
        if w.ndim < 2:
            raise ValueError(f"kind={kind!r} needs weight arrays with ndim >= 2, got shape "
                             f"{tuple(w.shape)} (leave biases out).")
        moved = xp.moveaxis(w, axis, 0)
        w[...] = xp.moveaxis(prox_l21(moved, t_group), 0, axis)
    return list(weights)
