"""The one place sktext imports scikit-learn's semi-private helpers from.

scikit-learn moves these between releases; importing them here keeps every estimator
working when it does (only this module has to change).
"""

from sklearn.base import _fit_context
from sklearn.utils._param_validation import (
    HasMethods,
    Hidden,
    Interval,
    InvalidParameterError,
    Options,
    StrOptions,
)
from sklearn.utils._set_output import _SetOutputMixin
from sklearn.utils.validation import _check_sample_weight, check_is_fitted, validate_data

__all__ = [
    "HasMethods",
    "Hidden",
    "Interval",
    "InvalidParameterError",
    "Options",
    "StrOptions",
    "_SetOutputMixin",
    "_check_sample_weight",
    "_fit_context",
    "check_is_fitted",
    "validate_data",
]
