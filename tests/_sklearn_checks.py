"""scikit-learn's check_estimator run as l1core's tests run it: declared expected failures
only (``l1core._estimator_base.expected_failed_checks``), warnings silenced."""

import warnings


def assert_check_estimator_passes(est):
    from sklearn.utils.estimator_checks import check_estimator

    from l1core._estimator_base import expected_failed_checks

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        results = check_estimator(est, on_fail=None,
                                  expected_failed_checks=expected_failed_checks(est))
    failed = [(r["check_name"], str(r["exception"])[:300]) for r in results
              if r["status"] == "failed"]
    assert not failed
    assert len(results) > 30
