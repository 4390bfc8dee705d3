"""Certified L1-regularized fits on row-partitioned Dask arrays (data larger than one machine).

:class:`Lasso`, :class:`ElasticNet` and :class:`SparseLogisticRegression` take a
``dask.array.Array`` partitioned by rows (dense or scipy.sparse chunks) and fit it where it
lies: full passes over the partitions as Dask tasks (map-reduce of p-vectors), the working
set's few columns gathered and solved by l1core's in-memory solvers, the duality gap of the
whole problem computed from the reduced pieces; the per-partition p-vectors are summed by
a tree of tasks (4 partials per node), so the driver receives one per reduction. Layers:

- ``_blocks``: per-partition task functions (the compiled ``xt_dot`` passes);
- ``_partitions``: row blocks, the map-reduce primitive, column gathers;
- ``_dual``: dual point scaling, conjugates, projection off intercept/unpenalized columns;
- ``_squared``, ``_logistic_loss``, ``_multinomial_loss``: the losses' statistics,
  certificates, subproblems;
- ``_working_set``: the one outer loop; ``_estimators``, ``_classifier``: the estimators;
- ``_path``: alpha_max, the alpha grid and warm-started paths.

Examples
--------
>>> import numpy as np, dask.array as da
>>> from l1core.distributed import Lasso
>>> from l1core.datasets import load_diabetes
>>> X, y, names = load_diabetes()
>>> fit = Lasso(alpha=1.0).fit(da.from_array(X, chunks=(150, 10)), da.from_array(y, chunks=150))
>>> [names[j] for j in np.flatnonzero(fit.coef_)]
['bmi', 'bp', 's5']
"""

from ._classifier import SparseLogisticRegression
from ._estimators import ElasticNet, Lasso
from ._path import enet_path, lasso_path, logistic_path

__all__ = ["ElasticNet", "Lasso", "SparseLogisticRegression", "enet_path", "lasso_path",
           "logistic_path"]
