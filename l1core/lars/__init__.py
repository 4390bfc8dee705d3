"""The LARS family: the exact piecewise-linear path (``lars_path``) and its estimators."""

from ._path import lars_path, lars_path_gram

__all__ = ["lars_path", "lars_path_gram"]
