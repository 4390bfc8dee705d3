"""l1core: fast, certified L1-regularized linear models.

Lasso and Elastic Net fitted by compiled coordinate descent (dense, CSC and CSR input, float32
and float64), stopped by the duality gap, behind scikit-learn's estimator API.
"""

from ._cv import ElasticNetCV, LassoCV
from ._enet_solver import EnetSolution, enet_solve
from ._estimator_base import ConvergenceWarning, NotFittedError
from ._group import GroupLasso, SparseGroupLasso
from ._group_path import group_lasso_path
from ._linear_model import ElasticNet, Lasso
from ._logistic import SparseLogisticRegression, logistic_path
from ._logistic_cv import SparseLogisticRegressionCV
from ._logistic_solver import LogisticSolution, logistic_solve
from ._path import alpha_grid, enet_path, lasso_path

__version__ = "0.1.0"

__all__ = ["ElasticNet", "Lasso", "enet_path", "lasso_path", "alpha_grid", "enet_solve", "EnetSolution", "ConvergenceWarning",
           "NotFittedError", "__version__", "SparseLogisticRegression", "logistic_path",
           "logistic_solve", "LogisticSolution", "ElasticNetCV", "LassoCV",
           "SparseLogisticRegressionCV", "GroupLasso", "SparseGroupLasso", "group_lasso_path"]
