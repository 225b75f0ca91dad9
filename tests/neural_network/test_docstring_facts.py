"""What the estimators' docstrings state matches what they take and do."""

import inspect
import re

import pytest

import sktext.neural_network as nn_estimators

ESTIMATORS = [
    getattr(nn_estimators, name)
    for name in nn_estimators.__all__
    if not issubclass(getattr(nn_estimators, name), Exception)
]
METHODS = ["fit", "partial_fit", "predict", "predict_proba", "predict_log_proba"]


def _x_entry(method):
    lines = inspect.getdoc(method).splitlines()
    i = next(i for i, line in enumerate(lines) if line.startswith("X : "))
    return lines[i][4:], lines[i + 1]


@pytest.mark.parametrize("cls", ESTIMATORS, ids=lambda cls: cls.__name__)
def test_methods_name_the_input_type(cls):
    """``fit``, ``predict``... are shared by every model: each estimator's copy says
    what its ``X`` is (they used to say "see the subclass")."""
    numeric = cls.__name__.startswith("MLP")
    for name in METHODS:
        method = getattr(cls, name, None)
        if method is None:
            continue
        x_type, description = _x_entry(method)
        if numeric:
            assert x_type == "{array-like, sparse matrix} of shape (n_samples, n_features)"
            assert "sparse" in description
        else:
            assert x_type == "iterable of str"
            assert "strings" in description
        # the copy keeps the signature (metadata routing reads it) and the behaviour
        assert "X" in inspect.signature(method).parameters
        assert method.__qualname__ == f"{cls.__name__}.{name}"
    assert "sample_weight" in inspect.signature(cls.fit).parameters


@pytest.mark.parametrize("cls", ESTIMATORS, ids=lambda cls: cls.__name__)
def test_stated_early_stopping_patience_matches_the_defaults(cls):
    """ "has not improved for N epochs": the rule stops after more than
    ``n_iter_no_change`` epochs without improvement, as scikit-learn's MLP."""
    doc = inspect.getdoc(cls)
    params = cls().get_params()
    for n in re.findall(r"has not improved for (\d+) epochs", doc):
        assert params["early_stopping"]
        assert int(n) == params["n_iter_no_change"] + 1
