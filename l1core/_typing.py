"""Type aliases of the public signatures, for type checkers and readers (``l1core/py.typed``).

Nothing is checked at run time: the modules using them write ``from __future__ import
annotations``, so annotations stay strings.
"""

import os
import sys
from typing import IO, TYPE_CHECKING, Any, Iterable, Literal, Sequence, Tuple, Union

import numpy as np
import numpy.typing as npt
import scipy.sparse as sp

if sys.version_info >= (3, 11):
    from typing import Self
elif TYPE_CHECKING:
    from typing_extensions import Self
else:
    Self = Any

# typing's names are re-exported so that a module needs one import line for its annotations
__all__ = ["ArrayLike", "MatrixLike", "Seed", "Verbose", "Splits", "GroupSpec", "AlphaChoice",
           "FileLike", "Self", "Any", "Literal", "Sequence"]

ArrayLike = npt.ArrayLike
#: A design matrix X: dense (Fortran order is read in place) or a scipy.sparse matrix / array
#: (CSC and CSR are read in place, other formats converted once).
MatrixLike = Union[npt.ArrayLike, sp.spmatrix, sp.sparray]
Seed = Union[int, np.random.Generator, np.random.RandomState, None]
#: False: quiet; True or an int > 0: progress on stderr; a str: the progress lines' prefix.
Verbose = Union[bool, int, str]
#: Cross-validation folds: a number of folds, a scikit-learn splitter (an object with
#: ``split``) or ``(train, test)`` index arrays / boolean masks.
Splits = Union[int, Iterable[Tuple[npt.ArrayLike, npt.ArrayLike]], Any, None]
#: Groups of features: a group size, a label per feature or a list of disjoint index arrays.
GroupSpec = Union[int, npt.ArrayLike, Sequence[npt.ArrayLike], None]
#: An alpha of a kept path: a float, the CV minimum "min" or the one-standard-error "1se".
AlphaChoice = Union[float, Literal["min", "1se"]]
#: A model file: a path, or a binary file object.
FileLike = Union[str, os.PathLike, IO[bytes]]
