"""Validation of raw-text input shared by every text estimator."""

import numbers
from collections.abc import Iterable
from itertools import repeat

import numpy as np

__all__ = ["BARE_STRING_MESSAGE", "check_documents"]

# scikit-learn's CountVectorizer message, so users see the same error everywhere
BARE_STRING_MESSAGE = "Iterable over raw text documents expected, string object received."


def _describe(doc):
    if doc is None:
        return "None"
    if isinstance(doc, numbers.Real) and np.isnan(doc):
        return "NaN"
    return f"a {type(doc).__name__} ({doc!r:.40})"


def check_documents(X, *, allow_tokenized=True, estimator_name="This estimator"):
    """Validate a collection of text documents and return it as a list.

    Parameters
    ----------
    X : iterable of str, or of lists of str tokens
        A list, tuple, numpy array of objects, pandas Series or any other iterable of
        documents. Each document is a string or, when ``allow_tokenized``, a list/tuple
        of string tokens (used as they are: no lowercasing, no token pattern).
    allow_tokenized : bool, default=True
        Accept pre-tokenized documents.
    estimator_name : str
        Name used in error messages.

    Returns
    -------
    documents : list
        The documents, in order.

    Raises
    ------
    ValueError
        For a bare string or bytes (CountVectorizer's message), ``None``, a 2-D array, or a
        document that is not text (``None``, NaN, a number…): the message names the
        index of the first offending document.
    TypeError
        If ``X`` is not iterable.
    """
    if isinstance(X, (str, bytes)):
        raise ValueError(BARE_STRING_MESSAGE)
    if X is None:
        raise ValueError(f"{estimator_name} expected an iterable of text documents, got None.")
    if hasattr(X, "ndim") and getattr(X, "ndim", 1) != 1:
        shape = getattr(X, "shape", None)
        raise ValueError(
            f"{estimator_name} expected a 1-D collection of text documents, got an array of "
            f"shape {shape}. Pass a list, a 1-D array or a pandas Series of strings "
            "(select one column of a DataFrame)."
        )
    if not isinstance(X, Iterable):
        raise TypeError(
            f"{estimator_name} expected an iterable of text documents, got {type(X).__name__}."
        )
    docs = X.tolist() if hasattr(X, "tolist") else list(X)
    for i, doc in enumerate(docs):
        if isinstance(doc, str):
            continue
        if allow_tokenized and isinstance(doc, (list, tuple)):
            if all(map(isinstance, doc, repeat(str))):  # (map: no Python frame per token)
                continue
            raise ValueError(
                f"{estimator_name}: document {i} is a token list with non-string tokens."
            )
        kind = "a string or a list of string tokens" if allow_tokenized else "a string"
        raise ValueError(
            f"{estimator_name}: document {i} is {_describe(doc)}; each document must be "
            f"{kind}. Drop or fill missing texts first (e.g. Series.fillna(''))."
        )
    return docs
