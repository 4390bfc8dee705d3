"""The multi-task family: one support shared by several responses (the L2,1 penalty on the
rows of W), solved on the group engine with one residual slot per task."""

from ._cv import MultiTaskElasticNetCV, MultiTaskLassoCV
from ._estimators import MultiTaskElasticNet, MultiTaskLasso
from ._path import multitask_path
from ._problem import MultiTaskProblem, MultiTaskSolution

__all__ = ["MultiTaskElasticNet", "MultiTaskElasticNetCV", "MultiTaskLasso", "MultiTaskLassoCV",
           "MultiTaskProblem", "MultiTaskSolution", "multitask_path"]
