"""Proximal operators for any array of the Python array API standard.

``prox_f(x) = argmin_u 1/2 ||u - x||^2 + f(u)`` for the penalties of l1core's models, each
with its penalty value and dual norm (or conjugate): L1, elastic net, box / positive, group
L2, row-wise L2,1, sparse group, 1-D total variation (Condat 2013, compiled) and 2-D (anisotropic) total variation on a
grid, certified by a duality gap.
Signatures: ``prox_<name>(x, <thresholds>, *, out=None)`` returns the result; ``out=x``
works in place. NumPy arrays (float32/float64) take the compiled kernels; other arrays
(array_api_strict, or PyTorch / CuPy tensors through array-api-compat when installed) are
computed with their own namespace, keeping dtype and device. The penalty classes
(``L1Penalty``, ...) package value, prox and dual for :func:`l1core.fista`;
:func:`prune_step` applies them to a network's weights after an optimizer step.

Examples
--------
>>> import numpy as np
>>> from l1core import prox
>>> prox.prox_l1(np.array([1.5, -0.2]), 0.5)
array([1., 0.])
>>> prox.prox_tv1d(np.array([0.0, 0.0, 4.0, 4.0]), 1.0)
array([0.5, 0.5, 3.5, 3.5])
"""

from .elementwise import (elastic_net_conjugate, elastic_net_value, l1_dual_norm, l1_norm,
                          project_box, project_positive, prox_elastic_net, prox_l1)
from .group import (group_dual_norm, group_l2_norm, l21_norm, prox_group_l2, prox_l21,
                    prox_sparse_group, sparse_group_dual_norm)
from .penalties import (BoxConstraint, ElasticNetPenalty, GroupPenalty, L1Penalty,
                        SparseGroupPenalty, TVPenalty)
from .pruning import prune_step
from .tv import prox_tv1d, tv1d_dual_norm, tv1d_norm
from .tv2d import TV2DResult, prox_tv2d, tv2d_norm

__all__ = ["prox_l1", "prox_elastic_net", "project_box", "project_positive", "prox_group_l2",
           "prox_l21", "prox_sparse_group", "prox_tv1d", "prox_tv2d", "tv2d_norm", "TV2DResult", "l1_norm", "l1_dual_norm",
           "elastic_net_value", "elastic_net_conjugate", "group_l2_norm", "group_dual_norm",
           "sparse_group_dual_norm", "l21_norm", "tv1d_norm", "tv1d_dual_norm", "L1Penalty",
           "ElasticNetPenalty", "GroupPenalty", "SparseGroupPenalty", "BoxConstraint",
           "TVPenalty", "prune_step"]
