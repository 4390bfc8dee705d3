"""l1core: fast, certified L1-regularized linear models.

Lasso, Elastic Net, sparse logistic regression and the (sparse) group Lasso, fitted by
compiled coordinate descent (dense, CSC and CSR input, float32 and float64), stopped by the
duality gap, behind scikit-learn's estimator API: single fits, regularization paths and
cross-validation. ``l1core.__all__`` lists the public names (README.md: a table of them);
plots are in :mod:`l1core.plotting`, the diabetes data in :mod:`l1core.datasets`.

Examples
--------
>>> import numpy as np
>>> from l1core import Lasso
>>> from l1core.datasets import load_diabetes
>>> X, y, names = load_diabetes()
>>> [names[j] for j in np.flatnonzero(Lasso(alpha=1.0).fit(X, y).coef_)]
['bmi', 'bp', 's5']
"""

import os as _os

_KERNELS = ("_design_ops", "_enet_cd", "_enet_gram", "_logistic_cd")


def _unbuilt(exc):
    """The ImportError for a missing compiled kernel: what to do instead."""
    here = _os.path.dirname(_os.path.abspath(__file__))
    root = _os.path.dirname(here)
    source = _os.path.exists(_os.path.join(root, "meson.build"))
    where = (f"l1core was imported from its source tree ({here}), whose folder l1core/ has "
             "no compiled kernels and shadows any installed copy. Build and install it with "
             f"`pip install {root}` (development: `pip install --no-build-isolation -e "
             f"{root}`), then run Python from outside {root} (e.g. `cd tests`)."
             if source else
             "Reinstall l1core with pip (`pip install --force-reinstall l1core`, or "
             "`pip install .` from its source tree) so that its kernels are built.")
    return ImportError(f"l1core's compiled kernel {exc.name} is missing. {where}",
                       name=exc.name)


try:
    from . import _design_ops, _enet_cd, _enet_gram, _logistic_cd  # noqa: F401 (kernels)
except ModuleNotFoundError as _exc:
    if _exc.name not in {f"{__name__}.{k}" for k in _KERNELS}:
        raise
    raise _unbuilt(_exc) from None

from ._config import config_context, get_config, set_config
from ._cv import ElasticNetCV, LassoCV
from ._enet_solver import EnetSolution, enet_solve
from ._estimator_base import ConvergenceWarning, NotFittedError
from ._group import GroupLasso, SparseGroupLasso
from ._group_cv import GroupLassoCV, SparseGroupLassoCV
from ._group_path import group_lasso_path
from ._linear_model import ElasticNet, Lasso
from ._logistic import SparseLogisticRegression, logistic_path
from ._logistic_cv import SparseLogisticRegressionCV
from ._logistic_solver import LogisticSolution, logistic_solve
from ._model_io import load_model, save_model
from ._path import alpha_grid, enet_path, lasso_path
from ._path_result import PathResult
from ._warnings import AlphaGridEdgeWarning, NumericalWarning
from .lars import (Lars, LassoLars, LassoLarsCV, LassoLarsIC, coef_at_alpha, lars_path,
                   lars_path_gram)
from .group_logistic import GroupLogisticRegression, group_logistic_path
from .multitask import MultiTaskElasticNet, MultiTaskLasso, multitask_path
from .multitask import MultiTaskElasticNetCV, MultiTaskLassoCV
from .prox import prune_step
from .solvers import FistaResult, fista, ista
from .variants import (AdaptiveElasticNet, AdaptiveLasso, AdaptiveLassoCV,
                       AdaptiveLogisticRegression, PriorLasso, PriorLassoCV,
                       PriorLogisticRegression)
from .variants import FusedLasso, FusedLassoCV, fused_lasso_path, fused_lasso_signal

__version__ = "0.1.0"

__all__ = ["ElasticNet", "Lasso", "enet_path", "lasso_path", "alpha_grid", "enet_solve", "EnetSolution", "ConvergenceWarning",
           "NotFittedError", "__version__", "SparseLogisticRegression", "logistic_path",
           "logistic_solve", "LogisticSolution", "ElasticNetCV", "LassoCV",
           "SparseLogisticRegressionCV", "PathResult", "save_model", "load_model",
           "AlphaGridEdgeWarning", "NumericalWarning", "GroupLasso", "SparseGroupLasso",
           "group_lasso_path", "GroupLassoCV", "SparseGroupLassoCV", "MultiTaskLasso",
           "MultiTaskElasticNet", "multitask_path", "set_config", "get_config",
           "config_context", "fista", "ista", "FistaResult", "prune_step", "lars_path",
           "lars_path_gram", "Lars", "LassoLars", "LassoLarsCV", "LassoLarsIC", "coef_at_alpha",
           "AdaptiveLasso", "AdaptiveElasticNet", "AdaptiveLogisticRegression",
           "AdaptiveLassoCV", "PriorLasso", "PriorLassoCV", "PriorLogisticRegression",
           "GroupLogisticRegression", "group_logistic_path",
           "MultiTaskLassoCV", "MultiTaskElasticNetCV",
           "FusedLasso", "FusedLassoCV", "fused_lasso_path", "fused_lasso_signal"]
