"""Proximal-gradient solvers (FISTA / ISTA) for a smooth loss plus any l1core.prox penalty.

Examples
--------
>>> import numpy as np
>>> from l1core.solvers import fista
>>> from l1core.prox import L1Penalty
>>> fista(np.eye(2), np.array([3.0, 0.1]), L1Penalty(0.5)).coef.round(6).tolist()
[2.0, 0.0]
"""

from .proximal_gradient import FistaResult, fista, ista

__all__ = ["fista", "ista", "FistaResult"]
