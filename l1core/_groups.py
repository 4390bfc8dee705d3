"""The ``groups=`` argument of the group estimators, parsed once into blocks.

Accepted forms (``n_features`` = p):

- an int k >= 1: consecutive groups of k features (the last one may be shorter);
- a sequence of p labels (ints or strings), one per feature: one group per distinct label,
  ordered by sorted label;
- a list of index arrays: disjoint, non-empty, indices in [0, p). They need not cover every
  feature: a feature in no group is left out of the model (its coefficient is 0), so a
  model can be fitted on some of X's columns without copying X.
- None: every feature its own group (the Lasso).

Blocks are returned as ``(ptr, feat)`` intp arrays: group g holds ``feat[ptr[g]:ptr[g+1]]``.
"""

import numbers

import numpy as np

__all__ = ["parse_groups", "group_weights"]


def parse_groups(groups, n_features):
    """``(ptr, feat)`` for one of the forms of the module docstring; ValueError otherwise."""
    if groups is None:
        groups = 1
    if isinstance(groups, numbers.Integral) and not isinstance(groups, (bool, np.bool_)):
        if groups < 1:
            raise ValueError(f"groups as a group size must be >= 1, got {groups}.")
        ptr = np.append(np.arange(0, n_features, int(groups)), n_features).astype(np.intp)
        return ptr, np.arange(n_features, dtype=np.intp)
    if isinstance(groups, (str, bytes)) or not hasattr(groups, "__len__"):
        raise TypeError("groups must be a group size (int), a label per feature or a list "
                        f"of index arrays, got {type(groups).__name__}.")
    if len(groups) == 0:
        raise ValueError("groups is empty.")
    if all(np.ndim(g) == 0 for g in groups):
        return _from_labels(np.asarray(groups), n_features)
    return _from_index_arrays(groups, n_features)


def _from_labels(labels, n_features):
    if labels.shape != (n_features,):
        raise ValueError(f"groups as labels needs one label per feature ({n_features}), "
                         f"got {labels.shape[0]}.")
    _, codes = np.unique(labels, return_inverse=True)
    feat = np.argsort(codes, kind="stable").astype(np.intp)
    counts = np.bincount(codes)
    return np.concatenate([[0], np.cumsum(counts)]).astype(np.intp), feat


def _from_index_arrays(groups, n_features):
    parts = []
    for g, idx in enumerate(groups):
        arr = np.asarray(idx)
        if arr.ndim != 1 or arr.size == 0:
            raise ValueError(f"groups[{g}] must be a non-empty 1-D array of feature indices.")
        if arr.dtype.kind not in "iu":
            raise ValueError(f"groups[{g}] must hold integer feature indices, got {arr.dtype}.")
        if arr.min() < 0 or arr.max() >= n_features:
            raise ValueError(f"groups[{g}] has indices outside [0, {n_features}).")
        parts.append(arr.astype(np.intp))
    feat = np.concatenate(parts)
    if np.unique(feat).size != feat.size:
        raise ValueError("groups must be disjoint: some feature is in two groups (or twice "
                         "in one).")
    ptr = np.concatenate([[0], np.cumsum([part.size for part in parts])]).astype(np.intp)
    return ptr, feat


def group_weights(weights, ptr):
    """Validated per-group weights w_g >= 0: ``None`` means sqrt(|g|); 0 leaves a group
    unpenalized."""
    sizes = np.diff(ptr)
    if weights is None:
        return np.sqrt(sizes.astype(np.float64))
    w = np.asarray(weights, dtype=np.float64)
    if w.ndim == 0:
        w = np.full(sizes.size, float(w))
    if w.shape != (sizes.size,):
        raise ValueError(f"weights must hold one value per group ({sizes.size}), got shape "
                         f"{w.shape}.")
    if not np.all(np.isfinite(w)) or np.any(w < 0):
        raise ValueError("weights must be finite and non-negative.")
    return w
