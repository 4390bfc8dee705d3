"""The LARS family: the exact piecewise-linear path (``lars_path``) and its estimators.

``_path`` validates and runs the compiled loop (``l1core._lars``); ``_estimators`` holds
``Lars``/``LassoLars``, ``_cv`` ``LassoLarsCV``, ``_ic`` ``LassoLarsIC``; ``_centering`` the
intercept (explicit for dense X, implicit for sparse); ``_interpolate`` coefficients between
knots.
"""

from ._cv import LassoLarsCV
from ._estimators import Lars, LassoLars
from ._ic import LassoLarsIC
from ._interpolate import coef_at_alpha
from ._path import lars_path, lars_path_gram

__all__ = ["lars_path", "lars_path_gram", "Lars", "LassoLars", "LassoLarsCV", "LassoLarsIC",
           "coef_at_alpha"]
