"""Real gene-expression data, p >> n (ISLP's Khan and NCI60; ``pip install --no-deps islp``:
only its data files are read). Skipped when the package is not installed."""

import numpy as np

from l1core import Lasso, SparseLogisticRegression

from .data import MissingData, alpha_max, load, logistic_alpha_max


class GeneExpressionSuite:
    """Lasso at alpha_max / 10 and / 100 (predict the most variable gene from the others)
    and binary L1 logistic regression at alpha_max / 20, tol 1e-6, float64."""

    params = (["khan", "nci60"], ["lasso/10", "lasso/100", "logistic/20"])
    param_names = ["data", "model"]
    timeout = 300

    def setup_cache(self):
        out = {}
        for name in self.params[0]:
            try:
                w = load(name)
            except MissingData:
                continue
            out[name] = (w.X, w.y, w.label)
        return out

    def setup(self, problems, data, model):
        if data not in problems:
            raise NotImplementedError(f"{data}: pip install --no-deps islp")  # asv: skipped
        X, y, label = problems[data]
        kind, fraction = model.split("/")
        if kind == "lasso":
            self.model = Lasso(alpha=alpha_max(X, y) / float(fraction), tol=1e-6,
                               max_iter=100_000)
            self.args = (X, y)
        else:
            self.model = SparseLogisticRegression(alpha=logistic_alpha_max(X, label) /
                                                  float(fraction), tol=1e-6, max_iter=100_000)
            self.args = (X, label)

    def time_fit(self, problems, data, model):
        self.model.fit(*self.args)

    def track_n_iter(self, problems, data, model):
        return int(np.sum(self.model.fit(*self.args).n_iter_))

    track_n_iter.unit = "epochs"
