"""The Lasso's variants built on l1core's solvers: the adaptive Lasso (``adaptive``, Zou 2006)
and the prior Lasso (``prior``, Jiang, He & Zhang 2016), each with a cross-validated form."""

from .adaptive import AdaptiveElasticNet, AdaptiveLasso, AdaptiveLogisticRegression
from .adaptive_cv import AdaptiveLassoCV
from .prior import PriorLasso
from .prior_cv import PriorLassoCV
from .prior_logistic import PriorLogisticRegression

__all__ = ["AdaptiveElasticNet", "AdaptiveLasso", "AdaptiveLassoCV",
           "AdaptiveLogisticRegression", "PriorLasso", "PriorLassoCV",
           "PriorLogisticRegression"]
