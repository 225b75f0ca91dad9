"""Turning raw text into tokens and id sequences (also with pretrained tokenizers)."""

from ._augment import TextAugmenter
from ._pretrained import TruncationWarning
from ._sequences import SequenceVectorizer
from ._table import DatetimeFeatures, OutOfFoldPredictions, make_table_encoder
from ._tokenizer import TokenizerMixin, make_analyzer

__all__ = [
    "DatetimeFeatures",
    "OutOfFoldPredictions",
    "SequenceVectorizer",
    "TextAugmenter",
    "TokenizerMixin",
    "TruncationWarning",
    "make_analyzer",
    "make_table_encoder",
]
