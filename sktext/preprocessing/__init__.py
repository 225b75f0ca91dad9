"""Turning raw text into tokens and id sequences."""

from ._sequences import SequenceVectorizer
from ._tokenizer import TokenizerMixin, make_analyzer

__all__ = ["SequenceVectorizer", "TokenizerMixin", "make_analyzer"]
