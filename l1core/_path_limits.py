"""glmnet's ``dfmax`` and ``pmax``: stop a regularization path once its model grows too large.

- ``dfmax``: the largest number of nonzero coefficients a solution may have. As in glmnet, the
  path stops AFTER the first alpha whose solution has more than ``dfmax`` nonzeros; that
  solution is returned (glmnet's ``dfmax`` is a request for a partial path, not a bound).
- ``pmax``: the largest number of features ever nonzero along the path (the union of the
  returned solutions' supports). As in glmnet, the path stops AT the first alpha that would
  bring that count above ``pmax``: its solution is dropped, the alphas before it returned.

Multinomial models count a feature once if it is nonzero in any class.
"""

import numpy as np

from . import _validation as v

__all__ = ["PathLimits"]

# What a solution does to the path
KEEP, KEEP_AND_STOP, DROP_AND_STOP = 0, 1, 2


class PathLimits:
    """Tracks a path's supports against ``dfmax`` / ``pmax`` (None: no limit)."""

    def __init__(self, dfmax, pmax, n_features):
        self.dfmax = v.check_model_size_limit(dfmax, "dfmax")
        self.pmax = v.check_model_size_limit(pmax, "pmax")
        self.active = self.dfmax is not None or self.pmax is not None
        self.ever = np.zeros(n_features if self.pmax is not None else 0, dtype=bool)
        self.n_ever = 0

    def verdict(self, support):
        """KEEP, KEEP_AND_STOP or DROP_AND_STOP for the next solution, whose nonzero features
        are ``support`` (indices, no repeats)."""
        if not self.active:
            return KEEP
        if self.pmax is not None:
            n_ever = self.n_ever + int(np.count_nonzero(~self.ever[support]))
            if n_ever > self.pmax:
                return DROP_AND_STOP
            self.ever[support] = True
            self.n_ever = n_ever
        if self.dfmax is not None and len(support) > self.dfmax:
            return KEEP_AND_STOP
        return KEEP
