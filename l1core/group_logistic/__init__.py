"""Binary logistic regression with (sparse-)group penalties, on the group engine
(src/_group_cd.pyx with its logistic datafit): the problem (``_problem``) and the estimator
(``_estimator``)."""

from ._estimator import GroupLogisticRegression
from ._problem import GroupLogisticProblem

__all__ = ["GroupLogisticRegression", "GroupLogisticProblem"]
