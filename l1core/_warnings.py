"""Warnings about results that need the user's attention (other than convergence: see
``l1core._estimator_base.ConvergenceWarning``)."""

__all__ = ["AlphaGridEdgeWarning", "NumericalWarning"]


class AlphaGridEdgeWarning(UserWarning):
    """Cross-validation chose the smallest alpha of its grid: the best alpha may be smaller
    still. Extend the grid downwards: a smaller ``eps`` (the grid ends at
    ``eps * alpha_max``), more ``n_alphas`` with it, or explicit ``alphas``."""


class NumericalWarning(UserWarning):
    """A solve ended with a non-finite duality gap or non-finite coefficients (overflow in
    the data or the iterates): the result is not certified and should not be used."""
