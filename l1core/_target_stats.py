"""Target statistics shared by the squared-loss problems (enet and group solvers)."""


__all__ = ["centered_target", "off_unpenalized"]


def centered_target(y, weights, fit_intercept):
    """(ybar, y - ybar): ybar = weights . y (weights sum to 1) with an intercept, else 0."""
    ybar = float(weights @ y) if fit_intercept else 0.0
    return ybar, y - ybar


def off_unpenalized(r, Z, Ginv, weights):
    """r minus its weighted least squares fit on the weighted-centered unpenalized columns Z
    (Ginv the pseudo-inverse of Z^T diag(weights) Z): the residual they leave at every
    alpha (glmnet). r itself when there are none."""
    if not Z.shape[1]:
        return r
    return r - Z @ (Ginv @ (Z.T @ (weights * r)))
