"""scikit-learn's estimator checks and sktext's text-aware checks over every estimator."""

import numpy as np
from sklearn.datasets import make_classification
from sklearn.utils.estimator_checks import parametrize_with_checks

from sktext import MLPClassifier
from sktext.utils.estimator_checks import parametrize_with_text_checks

# Every exception needs a written reason.
EXPECTED_FAILED_CHECKS = {
    "MLPClassifier": {
        # The model computes in float32 (as PyTorch models do): fitting with weights and
        # fitting on repeated rows agree to ~2e-7 relative, the check demands 1e-7.
        # tests/neural_network/test_mlp.py::test_sample_weight_equivalence checks the
        # same property at float32 tolerance, dense and sparse.
        "check_sample_weight_equivalence_on_dense_data": "float32 arithmetic (see comment)",
        "check_sample_weight_equivalence_on_sparse_data": "float32 arithmetic (see comment)",
    }
}


def _expected_failed_checks(estimator):
    return EXPECTED_FAILED_CHECKS.get(type(estimator).__name__, {})


@parametrize_with_checks(
    [MLPClassifier(max_iter=100)], expected_failed_checks=_expected_failed_checks
)
def test_sklearn_compatible_estimator(estimator, check):
    check(estimator)


_X, _y = make_classification(n_samples=120, n_features=8, n_informative=5, random_state=0)
_y = np.where(_y == 1, "spam", "ham")


@parametrize_with_text_checks(
    [(MLPClassifier(hidden_layer_sizes=(8,), max_iter=5), _X, _y)], text_input=False
)
def test_text_aware_checks(estimator, check):
    check(estimator)
