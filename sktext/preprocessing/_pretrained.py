"""Documents to token ids with a pretrained transformer's own tokenizer.

What the estimators built on a pretrained Hugging Face model
(:class:`~sktext.TransformerClassifier`, :class:`~sktext.embeddings.SentenceEncoder`)
share: their ``model``/``pooling``/``max_length``/``mixed_precision`` parameters, loading
the model's fast tokenizer and token limit in ``fit`` (``tokenizer_``, ``max_length_``),
validating and tokenizing documents into :class:`RaggedSequences` (cut at
``max_length_`` with a :class:`TruncationWarning`), and padding batches of them with an
attention mask.
"""

import os
import warnings
from numbers import Integral
from typing import NamedTuple

import numpy as np
import torch

from ..nn._transformer import POOLING_OPTIONS
from ..utils._sklearn_compat import Interval, StrOptions
from ..utils._transformers import (
    encode_text_pairs,
    encode_texts,
    load_pretrained_config,
    load_pretrained_tokenizer,
    model_max_length,
)
from ..utils._validation import check_documents
from ._sequences import RaggedSequences

__all__ = [
    "DEFAULT_MODEL",
    "PRETRAINED_PARAMETER_CONSTRAINTS",
    "PairedSequences",
    "TextPairs",
    "TruncationWarning",
    "encode_document_pairs",
    "encode_documents",
    "load_tokenizer",
    "padded_batch_maker",
    "token_limit",
]

#: The model the defaults were chosen for (sentence-transformers' all-MiniLM-L6-v2).
DEFAULT_MODEL = "sentence-transformers/all-MiniLM-L6-v2"

#: Parameters shared by the estimators that load a pretrained transformer.
PRETRAINED_PARAMETER_CONSTRAINTS = {
    "model": [str, os.PathLike],
    "pooling": [StrOptions(set(POOLING_OPTIONS))],
    "max_length": [Interval(Integral, 2, None, closed="left"), None],
    "mixed_precision": [StrOptions({"bf16", "fp16"}), None],
}


class TruncationWarning(UserWarning):
    """Some documents were longer than ``max_length`` tokens and were cut."""


def load_tokenizer(estimator):
    """Load the fast tokenizer of ``estimator.model`` and fix the token limit.

    Sets ``estimator.tokenizer_`` and ``estimator.max_length_`` (``max_length``, or the
    model's own limit when it is None) and returns the model's configuration.

    Raises
    ------
    ValueError
        If the model cannot be loaded, ``max_length`` exceeds what the model can read, or
        neither states a limit.
    """
    name = type(estimator).__name__
    tokenizer = load_pretrained_tokenizer(estimator.model, estimator_name=name)
    config = load_pretrained_config(estimator.model, estimator_name=name)
    max_length = token_limit(estimator, tokenizer, config)
    estimator.tokenizer_ = tokenizer
    estimator.max_length_ = max_length
    return config


def token_limit(estimator, tokenizer, config):
    """The token limit ``max_length_`` of ``estimator``: its ``max_length`` or the model's.

    Raises
    ------
    ValueError
        If ``max_length`` exceeds what the model can read, or neither states a limit.
    """
    name = type(estimator).__name__
    limit = model_max_length(tokenizer, config)
    if estimator.max_length is None and limit is None:
        raise ValueError(
            f"{name}: model={estimator.model!r} states no maximum input length; set max_length."
        )
    if estimator.max_length is not None and limit is not None and estimator.max_length > limit:
        raise ValueError(
            f"{name}: max_length={estimator.max_length} is more than the {limit} tokens "
            f"model={estimator.model!r} can read."
        )
    return int(estimator.max_length or limit)


def encode_documents(estimator, X):
    """Validate documents and tokenize them with the estimator's ``tokenizer_``.

    Pre-tokenized documents (lists of words) are joined with spaces. Documents longer
    than ``max_length_`` tokens are cut to their beginning, with a
    :class:`TruncationWarning` giving their share.

    Returns
    -------
    sequences : RaggedSequences
        The token ids of each document, special tokens included.
    """
    docs = check_documents(X, estimator_name=type(estimator).__name__)
    texts = [doc if isinstance(doc, str) else " ".join(doc) for doc in docs]
    ids, offsets, n_truncated = encode_texts(estimator.tokenizer_, texts, estimator.max_length_)
    if n_truncated:
        warnings.warn(
            f"{n_truncated} of {len(texts)} documents ({n_truncated / len(texts):.1%}) are "
            f"longer than max_length={estimator.max_length_} tokens and were truncated to "
            "their beginning.",
            TruncationWarning,
            stacklevel=2,
        )
    return RaggedSequences(ids, offsets)


class TextPairs(NamedTuple):
    """Two validated texts per row, to be read together as a pair (``text_pair=True``)."""

    first: list
    second: list


class PairedSequences(RaggedSequences):
    """The token ids of pairs of texts, with the segment of each token.

    A :class:`RaggedSequences` of the ids of each pair (``[CLS] a [SEP] b [SEP]`` for
    BERT), and ``token_type_ids``, a :class:`RaggedSequences` with the same offsets
    holding the segment of each token (0 in the first text, 1 in the second).
    """

    def __init__(self, ids, token_type_ids, offsets):
        super().__init__(ids, offsets)
        self.token_type_ids = RaggedSequences(token_type_ids, offsets)


def encode_document_pairs(estimator, pairs):
    """Tokenize pairs of validated documents jointly with the estimator's ``tokenizer_``.

    Each row's two documents become one sequence (the tokenizer's pair template, e.g.
    ``[CLS] a [SEP] b [SEP]``); pairs longer than ``max_length_`` tokens lose tokens from
    the end of their longer document first, with a :class:`TruncationWarning` giving
    their share.

    Parameters
    ----------
    estimator : estimator with ``tokenizer_`` and ``max_length_``
    pairs : TextPairs
        The first and the second document of each row (validated: strings or token
        lists, which are joined with spaces).

    Returns
    -------
    sequences : PairedSequences
    """
    first, second = (
        [doc if isinstance(doc, str) else " ".join(doc) for doc in docs] for docs in pairs
    )
    try:
        ids, type_ids, offsets, n_truncated = encode_text_pairs(
            estimator.tokenizer_, first, second, estimator.max_length_
        )
    except ValueError as exc:
        raise ValueError(f"{type(estimator).__name__}: {exc}") from exc
    if n_truncated:
        warnings.warn(
            f"{n_truncated} of {len(first)} pairs of texts ({n_truncated / len(first):.1%}) "
            f"are longer than max_length={estimator.max_length_} tokens together and were "
            "truncated (the longer text of a pair loses its end first).",
            TruncationWarning,
            stacklevel=2,
        )
    return PairedSequences(ids, type_ids, offsets)


def padded_batch_maker(sequences, pad_token_id):
    """``rows -> {"input_ids", "attention_mask"}``: a batch padded to its longest document.

    With :class:`PairedSequences`, also ``"token_type_ids"`` (padded with 0).
    """
    lengths = sequences.lengths
    pad = 0 if pad_token_id is None else int(pad_token_id)
    segments = getattr(sequences, "token_type_ids", None)

    def make_batch(rows):
        ids = sequences.pad(rows, fill_value=pad)  # (batch, longest document in the batch)
        mask = np.arange(ids.shape[1]) < lengths[rows][:, None]  # (batch, seq_len)
        batch = {
            "input_ids": torch.from_numpy(ids),
            "attention_mask": torch.from_numpy(mask.astype(np.int64)),
        }
        if segments is not None:
            types = segments.pad(rows, length=ids.shape[1], fill_value=0)
            batch["token_type_ids"] = torch.from_numpy(types)
        return batch

    return make_batch
