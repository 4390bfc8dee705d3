"""Binary logistic regression with (sparse-)group penalties, on the group engine
(src/_group_cd.pyx with its logistic datafit): the problem (``_problem``), the estimator
(``_estimator``) and the path (``_path``)."""

from ._estimator import GroupLogisticRegression
from ._path import group_logistic_path
from ._problem import GroupLogisticProblem

__all__ = ["GroupLogisticRegression", "GroupLogisticProblem", "group_logistic_path"]
