"""What the sequence models (TextCNN, LSTM) share on top of ``BaseNeuralNetwork``.

:class:`SequenceClassifierMixin` implements the hooks of
:class:`~sktext.neural_network._base.BaseNeuralNetwork` for raw-text input: a
:class:`~sktext.preprocessing.SequenceVectorizer` (``vectorizer_``) built from the
estimator's tokenizer parameters, documents kept as
:class:`~sktext.preprocessing.RaggedSequences`, length bucketing through
``_sequence_lengths``, and the pretrained-embedding options (``embeddings=``,
``embedding_mode``) resolved into an initial embedding matrix. A classifier using it
defines ``_check_model_params`` (its own parameter checks, calling
``_check_embedding_params``), ``_batch_maker`` and ``_build_module_params``.
"""

import copy
import math
import warnings
from typing import NamedTuple

import numpy as np
import torch
from torch import nn

from ..preprocessing._sequences import RaggedSequences, SequenceVectorizer
from ..utils._seeding import seed_from_random_state
from ._embedding_init import (
    check_embeddings_param,
    pretrained_embedding_matrix,
    report_coverage,
    resolve_keyed_vectors,
)

__all__ = ["SequenceClassifierMixin"]

#: Parameters of SequenceVectorizer the sequence classifiers expose under the same names.
VECTORIZER_PARAMETER_CONSTRAINTS = {
    "min_df": SequenceVectorizer._parameter_constraints["min_df"],
    "max_features": SequenceVectorizer._parameter_constraints["max_features"],
    "max_length": SequenceVectorizer._parameter_constraints["max_length"],
}


class _Documents(NamedTuple):
    """Validated input of a sequence classifier: ids, and the token lists when fitting."""

    sequences: RaggedSequences
    tokens: list | None


def _growable_embeddings(module, n_ids):
    """``(name, nn.Embedding)`` of ``module`` with ``n_ids`` rows (any size if None)."""
    found = [
        (name, sub)
        for name, sub in module.named_modules()
        if isinstance(sub, nn.Embedding) and (n_ids is None or sub.num_embeddings == n_ids)
    ]
    if n_ids is None and found:
        n_ids = found[0][1].num_embeddings
        found = [(name, sub) for name, sub in found if sub.num_embeddings == n_ids]
    return found


class SequenceClassifierMixin:
    """Raw-text input, length bucketing and pretrained embeddings (not for direct use)."""

    def _check_model_params(self):  # pragma: no cover - abstract
        raise NotImplementedError

    def _check_embedding_params(self):
        check_embeddings_param(self.embeddings)
        if self.embeddings is None and self.embedding_mode != "non-static":
            raise ValueError(
                f"embedding_mode={self.embedding_mode!r} needs pretrained vectors: pass "
                "embeddings= (a KeyedVectors, a vectors file or an embedding transformer)."
            )

    def _check_X(self, X, *, reset):
        if reset:
            self._check_model_params()
            self.vectorizer_ = SequenceVectorizer(
                lowercase=self.lowercase,
                token_pattern=self.token_pattern,
                tokenizer=self.tokenizer,
                stop_words=self.stop_words,
                strip_accents=self.strip_accents,
                min_df=self.min_df,
                max_features=self.max_features,
                max_length=self.max_length,
            )
            tokens = self._tokenize(X)
            self.vectorizer_._fit_tokens(tokens)
            return _Documents(self.vectorizer_._encode(tokens), tokens)
        return _Documents(self.vectorizer_._encode(self._tokenize(X)), None)

    def _check_continued_X(self, X):
        """Continued training (``partial_fit``, warm start): the vocabulary grows.

        Words of ``X`` outside the vocabulary that pass ``min_df`` within ``X`` get new
        ids (see :meth:`_continued_module` for their vectors); a module without a word
        embedding to grow keeps its vocabulary, with a warning.
        """
        tokens = self._tokenize(X)
        grown = self.vectorizer_._grown(tokens)
        if grown is not self.vectorizer_:
            old_ids = len(self.vectorizer_.vocabulary_) + 2
            if _growable_embeddings(self.net_.module_, old_ids):
                self.vectorizer_ = grown
            else:
                n_new = len(grown.vocabulary_) - len(self.vectorizer_.vocabulary_)
                warnings.warn(
                    f"{n_new} new word(s) are read as unknown: the vocabulary cannot grow "
                    f"because {type(self.net_.module_).__name__} has no nn.Embedding with "
                    f"one row per id ({old_ids}).",
                    UserWarning,
                )
        return _Documents(self.vectorizer_._encode(tokens), tokens)

    def _continued_module(self, X, module):
        """``module`` with one embedding row per id of the (grown) vocabulary.

        The rows of the words known before are copied unchanged; a new word's row starts
        as the random rows of :class:`~sktext.nn.TextCNN`/:class:`~sktext.nn.TextRNN` do:
        ``U[-0.25, 0.25]`` without pretrained vectors, else uniform with the standard
        deviation of the existing rows (Kim's rule for words without a pretrained vector).
        Frozen embeddings (``"static"``, the static channel of ``"multichannel"``) keep
        those vectors fixed.
        """
        n_ids = len(self.vectorizer_.vocabulary_) + 2
        old = _growable_embeddings(module, None)
        if not old or all(emb.num_embeddings >= n_ids for _, emb in old):
            return module
        module = copy.deepcopy(module)
        new_rows = None
        for name, emb in _growable_embeddings(module, old[0][1].num_embeddings):
            weight = emb.weight.detach()
            if new_rows is None:
                new_rows = self._new_embedding_rows(weight, n_ids - weight.shape[0])
            grown = nn.Embedding(
                n_ids, weight.shape[1], padding_idx=emb.padding_idx, sparse=emb.sparse
            ).to(device=weight.device, dtype=weight.dtype)
            with torch.no_grad():
                grown.weight.copy_(torch.cat([weight, new_rows.to(weight)]))
            grown.weight.requires_grad_(emb.weight.requires_grad)
            parent, _, attr = name.rpartition(".")
            setattr(module.get_submodule(parent) if parent else module, attr, grown)
        if "vocab_size" in self.net_.get_params_for("module"):
            self.net_.module__vocab_size = n_ids
        return module

    def _new_embedding_rows(self, weight, n_rows):
        if getattr(self, "embeddings", None) is None:
            bound = 0.25
        else:  # uniform with the spread of the existing word rows
            bound = math.sqrt(3.0) * float(weight[2:].float().std())
        return torch.empty(n_rows, weight.shape[1]).uniform_(-bound, bound)

    def _n_samples(self, X):
        return len(X.sequences)

    def _sequence_lengths(self, X):
        return X.sequences.lengths

    def _initial_embeddings(self, X):
        """``(mode, matrix)``: the module's embedding mode and initial vectors, if any.

        Without ``embeddings``: ``("rand", None)``. Otherwise the pretrained vectors are
        aligned with the vocabulary (``matrix`` of shape ``(vocab_size, dim)``), the
        coverage is reported and stored in ``embedding_coverage_`` and
        ``embedding_token_coverage_``, and the mode is ``embedding_mode``.
        """
        self.embedding_coverage_ = self.embedding_token_coverage_ = None
        if self.embeddings is None:
            return "rand", None
        vocabulary = self.vectorizer_.get_vocabulary()
        seed = seed_from_random_state(self.random_state)
        # an unfitted transformer learns from the same tokens as the vocabulary
        wv = resolve_keyed_vectors(self.embeddings, X.tokens, random_state=seed)
        counts = np.bincount(X.sequences.ids, minlength=len(vocabulary))
        pretrained = pretrained_embedding_matrix(
            wv,
            vocabulary,
            token_counts=counts,
            random_state=seed,
            estimator_name=type(self).__name__,
        )
        report_coverage(self, pretrained)
        self.embedding_coverage_ = pretrained.coverage
        self.embedding_token_coverage_ = pretrained.token_coverage
        return self.embedding_mode, pretrained.matrix

    def _sparse_embedding(self, mode):
        """Sparse embedding gradients when the embedding trains under sktext's Adam."""
        return bool(mode != "static" and self.solver == "adam" and self.optimizer is None)

    def _set_fitted_attributes(self):
        super()._set_fitted_attributes()
        # the initial vectors live on in the module's weights: do not keep (or pickle)
        # a second copy as a skorch module argument
        self.net_.module__embeddings = None

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.input_tags.two_d_array = False
        tags.input_tags.string = True
        return tags
