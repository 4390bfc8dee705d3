"""SparseLogisticRegression: binary fits over storage x dtype, the binary logistic_path, and
a multinomial fit. Labels: y above its median (binary), y's terciles (3 classes)."""

import numpy as np
import scipy.sparse as sp

from l1core import SparseLogisticRegression, logistic_path

from .common import MAX_ITER, TOL, _FitTracks, _StorageDtypeSuite, _StorageSuite

FRACTION = 20  # alpha = alpha_max / FRACTION


class LogisticSuite(_FitTracks, _StorageDtypeSuite):
    """Binary L1 logistic regression at alpha_max / 20 (dense 200 x 5,000; sparse
    2,000 x 20,000)."""

    def prepare(self):
        self.alpha = self.pb.logistic_alpha_max / FRACTION
        self.target = self.pb.label

    def _fit(self):
        model = SparseLogisticRegression(alpha=self.alpha, tol=TOL, max_iter=MAX_ITER)
        return model.fit(self.pb.X, self.target)

    def time_fit(self, *params):
        self._fit()

    def peakmem_fit(self, *params):
        self._fit()


class MultinomialSuite(_StorageSuite):
    """Three-class (multinomial) L1 logistic regression, dense and CSC, float64."""

    params = (["dense", "csc"],)
    prepare = LogisticSuite.prepare
    _fit = LogisticSuite._fit
    time_fit = LogisticSuite.time_fit
    track_n_iter = _FitTracks.track_n_iter

    def setup(self, problems, storage):
        super().setup(problems, storage)
        y = np.asarray(self.pb.y, dtype=np.float64)
        self.target = np.searchsorted(np.quantile(y, [1 / 3, 2 / 3]), y)


class LogisticPathSuite(_StorageSuite):
    """logistic_path: 30 alphas from alpha_max to alpha_max / 20, float64, over storage."""

    def _path(self):
        return logistic_path(self.pb.X, self.pb.label, n_alphas=30, eps=1 / FRACTION, tol=TOL,
                             max_iter=MAX_ITER)

    def time_path(self, *params):
        self._path()

    def track_epochs(self, *params):
        return int(np.sum(self._path()[3]))

    track_epochs.unit = "epochs (sum over alphas)"


class BoundedMultinomialSuite:
    """Multinomial fit with active bounds (issue 9: the class-by-class steps crawled along
    the direction the loss cannot see, a common shift of a feature's K coefficients): the
    60 x 5 reproducer (3 classes, +-0.5 bounds on 3 features, alpha 1e-3) and a 400 x 20
    five-class problem with +-0.5 bounds on half the features, dense and CSC, unbounded as
    the baseline of the same problem."""

    params = (["reproducer", "five_class"], ["dense", "csc"], [True, False])
    param_names = ["problem", "storage", "bounded"]

    def setup(self, problem, storage, bounded):
        if problem == "reproducer":
            rng = np.random.default_rng(27)
            X, self.y = rng.standard_normal((60, 5)), rng.integers(0, 3, 60)
            lo, self.alpha = np.array([-0.5] * 3 + [-np.inf] * 2), 1e-3
        else:
            rng = np.random.default_rng(5)
            X = rng.standard_normal((400, 20))
            self.y = np.argmax(2.0 * X[:, :5] + rng.standard_normal((400, 5)), axis=1)
            lo, self.alpha = np.where(np.arange(20) < 10, -0.5, -np.inf), 2e-3
        self.X = np.asfortranarray(X) if storage == "dense" else sp.csc_matrix(X)
        self.bounds = dict(lower_bounds=lo, upper_bounds=-lo) if bounded else {}

    def _fit(self):
        model = SparseLogisticRegression(alpha=self.alpha, tol=1e-4, max_iter=MAX_ITER,
                                         **self.bounds)
        return model.fit(self.X, self.y)

    def time_fit(self, *params):
        self._fit()

    def track_n_iter(self, *params):
        return int(np.max(self._fit().n_iter_))

    track_n_iter.unit = "epochs"
