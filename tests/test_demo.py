import io
import subprocess
import sys

import numpy as np

from l1core.datasets import load_diabetes
from l1core.demo import alpha_max, run


def test_alpha_max_zeroes_every_coefficient():
    X, y, _ = load_diabetes()
    a_max = alpha_max(X, y)
    # KKT at w = 0 with intercept ybar: |x_j.(y - ybar)| / n <= alpha for all j,
    # with equality for the first feature to enter.
    corr = np.abs(X.T @ (y - y.mean())) / X.shape[0]
    assert np.isclose(corr.max(), a_max)
    assert np.all(corr <= a_max)


def test_demo_selects_the_lars_first_features():
    out = io.StringIO()
    models = run(out=out)
    text = out.getvalue()
    assert "alpha_max" in text and "duality gap" in text and "epochs" in text
    _, names = load_diabetes()[1:]
    coefs = [np.flatnonzero(np.ravel(m.coef_)) for _, m in models]
    # Efron et al. (2004): bmi then s5 are the first two variables to enter.
    assert [names[j] for j in coefs[0]] == ["bmi", "s5"]
    # Smaller alpha, no fewer features, and every fit is certified to tol.
    sizes = [c.size for c in coefs]
    assert sizes == sorted(sizes) and sizes[-1] >= 5
    for _, m in models:
        assert 0.0 <= float(m.dual_gap_) < 1e-4
        assert int(m.n_iter_) >= 1


def test_demo_runs_as_module():
    proc = subprocess.run(
        [sys.executable, "-m", "l1core.demo"],
        capture_output=True, text=True, timeout=120,
    )
    assert proc.returncode == 0, proc.stderr
    assert "bmi" in proc.stdout and "s5" in proc.stdout
