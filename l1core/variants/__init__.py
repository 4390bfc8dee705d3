"""The Lasso's variants built on l1core's solvers: the adaptive Lasso (``adaptive``, Zou 2006),
the prior Lasso (``prior``, Jiang, He & Zhang 2016) and the Fused Lasso (``fused*``,
Tibshirani et al. 2005), each with a cross-validated form."""

from .adaptive import AdaptiveElasticNet, AdaptiveLasso, AdaptiveLogisticRegression
from .adaptive_cv import AdaptiveLassoCV
from .fused import FusedLasso, fused_lasso_path
from .fused_cv import FusedLassoCV
from .fused_penalty import FusedPenalty, fused_lasso_signal
from .prior import PriorLasso
from .prior_cv import PriorLassoCV
from .prior_logistic import PriorLogisticRegression

__all__ = ["AdaptiveElasticNet", "AdaptiveLasso", "AdaptiveLassoCV",
           "AdaptiveLogisticRegression", "PriorLasso", "PriorLassoCV",
           "PriorLogisticRegression", "FusedLasso", "FusedLassoCV", "fused_lasso_path",
           "fused_lasso_signal", "FusedPenalty"]
