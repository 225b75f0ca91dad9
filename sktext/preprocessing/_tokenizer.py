"""Tokenization shared by every sktext text estimator, built on scikit-learn's analyzers.

Estimators inherit :class:`TokenizerMixin`, declare its parameters in their ``__init__``
(``lowercase``, ``token_pattern``, ``tokenizer``, ``stop_words``, ``strip_accents``) and call
``self._tokenize(documents)``. The analyzer is scikit-learn's own
(``CountVectorizer(...).build_analyzer()``), so a user's settings behave exactly as they do
in ``CountVectorizer``/``TfidfVectorizer``.
"""

from sklearn.feature_extraction.text import CountVectorizer

from ..utils._sklearn_compat import StrOptions
from ..utils._validation import check_documents

__all__ = ["TokenizerMixin", "TOKENIZER_PARAMETER_CONSTRAINTS", "make_analyzer"]

DEFAULT_TOKEN_PATTERN = r"(?u)\b\w\w+\b"

TOKENIZER_PARAMETER_CONSTRAINTS = {
    "lowercase": ["boolean"],
    "token_pattern": [str, None],
    "tokenizer": [callable, None],
    "stop_words": [StrOptions({"english"}), list, None],
    "strip_accents": [StrOptions({"ascii", "unicode"}), None, callable],
}


def make_analyzer(
    *,
    lowercase=True,
    token_pattern=DEFAULT_TOKEN_PATTERN,
    tokenizer=None,
    stop_words=None,
    strip_accents=None,
):
    """Build scikit-learn's word analyzer (preprocess, tokenize, drop stop words).

    Parameters
    ----------
    lowercase, token_pattern, tokenizer, stop_words, strip_accents : object
        As the parameters of the same names of
        :class:`~sklearn.feature_extraction.text.CountVectorizer`.

    Returns
    -------
    analyzer : callable
        Maps a string to its list of tokens.
    """
    return CountVectorizer(
        lowercase=lowercase,
        token_pattern=token_pattern,
        tokenizer=tokenizer,
        stop_words=stop_words,
        strip_accents=strip_accents,
    ).build_analyzer()


class TokenizerMixin:
    """Tokenizing raw or pre-tokenized documents with scikit-learn's analyzer.

    Pre-tokenized documents (lists of strings) are used as they are.
    """

    def _analyzer(self):
        return make_analyzer(
            lowercase=self.lowercase,
            token_pattern=self.token_pattern,
            tokenizer=self.tokenizer,
            stop_words=self.stop_words,
            strip_accents=self.strip_accents,
        )

    def _tokenize(self, X):
        """Validate ``X`` and return a list of token lists.

        Pre-tokenized documents that are already lists are returned as they are, not
        copied (copying millions of tokens costs as much as pooling them): callers must
        not modify them.
        """
        docs = check_documents(X, estimator_name=type(self).__name__)
        analyze = self._analyzer()
        return [
            analyze(doc) if isinstance(doc, str) else doc if type(doc) is list else list(doc)
            for doc in docs
        ]
