"""Turning raw text into tokens and id sequences (also with pretrained tokenizers)."""

from ._pretrained import TruncationWarning
from ._sequences import SequenceVectorizer
from ._tokenizer import TokenizerMixin, make_analyzer

__all__ = ["SequenceVectorizer", "TokenizerMixin", "TruncationWarning", "make_analyzer"]
