"""Turning raw text into tokens and id sequences."""

from ._tokenizer import TokenizerMixin, make_analyzer

__all__ = ["TokenizerMixin", "make_analyzer"]
