"""The type of ``X`` written into the docstrings of the methods an estimator inherits.

``fit``, ``partial_fit``, ``predict``… are written once (in the training machinery and
the classifier/regressor mixins) for every model, so their docstrings cannot name the
input: ``MLPClassifier`` takes a numeric matrix, the text models take documents. Each
public estimator class gets its own copy of those methods (a thin wrapper, with the same
signature through ``__wrapped__``) whose ``X`` entry says what that estimator takes.
"""

import functools
import re

__all__ = ["NUMERIC_INPUT", "TEXT_INPUT", "document_input"]

#: ``(type, description)`` of the ``X`` of the text estimators.
TEXT_INPUT = (
    "iterable of str",
    "Documents: a list, tuple, 1-D NumPy array or pandas Series of strings, or of token "
    "lists (used as they are).",
)
#: ``(type, description)`` of the ``X`` of the MLPs.
NUMERIC_INPUT = (
    "{array-like, sparse matrix} of shape (n_samples, n_features)",
    "Numeric features, dense or SciPy sparse (never densified), e.g. TF-IDF.",
)

_METHODS = ("fit", "partial_fit", "predict", "predict_proba", "predict_log_proba")
# the placeholder a shared docstring gives X, and the indented description line after it
_PLACEHOLDER = re.compile(r"X : see the (?:sub)?class\n(?P<indent>[ \t]+)(?P<text>[^\n]*)")


def document_input(cls, input_doc):
    """Give ``cls`` copies of its shared methods whose docstrings name ``X``'s type.

    Parameters
    ----------
    cls : type
        An estimator class.
    input_doc : tuple of (str, str)
        Type and description of ``X``, e.g. :data:`TEXT_INPUT`.
    """
    x_type, description = input_doc
    for name in _METHODS:
        method = getattr(cls, name, None)
        doc = getattr(method, "__doc__", None)
        if callable(method) and doc and _PLACEHOLDER.search(doc):
            documented = _forwarding(method)
            documented.__doc__ = _PLACEHOLDER.sub(
                lambda m: f"X : {x_type}\n{m['indent']}{m['text']} {description}", doc, count=1
            )
            documented.__qualname__ = f"{cls.__qualname__}.{name}"
            setattr(cls, name, documented)


def _forwarding(method):
    """A function calling ``method``, with its name, module and signature."""

    @functools.wraps(method)
    def forward(self, *args, **kwargs):
        return method(self, *args, **kwargs)

    return forward
