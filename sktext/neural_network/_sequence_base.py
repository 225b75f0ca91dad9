"""Text read as word ids: the base of the text models trained from scratch.

:class:`TextSequenceBase` implements the hooks of
:class:`~sktext.neural_network._base.BaseNeuralNetwork` for raw-text input: a
:class:`~sktext.preprocessing.SequenceVectorizer` (``vectorizer_``) built from the
estimator's tokenizer parameters, documents kept as
:class:`~sktext.preprocessing.RaggedSequences`, length bucketing through
``_sequence_lengths`` within a padded-token budget per batch (``_token_budgets``), the
truncation of long documents (``max_length``, with a :class:`TruncationWarning`) and the
vocabulary's growth in continued training. TextCNN, LSTM and the custom-module
estimators derive from it; :class:`PretrainedEmbeddingsMixin` adds ``embeddings=`` and
``embedding_mode`` (resolved into an initial embedding matrix) to TextCNN and LSTM.

Unseen words through subwords: when ``embeddings`` are fastText vectors (with character
n-grams), ``fit`` keeps them as ``subword_vectors_``. At prediction time each distinct
word outside the vocabulary (mapped to the unknown id otherwise) gets an id from
``vocab_size`` on and its fastText vector; each batch carries the vectors of the unseen
words it holds (``unseen_vectors``, renumbered within the batch) to the module, which
reads them in place of embedding rows (:meth:`sktext.nn.TextCNN.embed`). A word's vector
does not depend on the batch, so neither does a document's prediction; the vectors travel
with the batch to the estimator's device.
"""

import copy
import math
import warnings
from abc import abstractmethod
from itertools import chain
from numbers import Integral
from typing import NamedTuple

import numpy as np
import torch
from torch import nn

from ..embeddings._fasttext import word_vectors
from ..preprocessing._pretrained import TruncationWarning
from ..preprocessing._sequences import UNKNOWN_ID, RaggedSequences, SequenceVectorizer
from ..preprocessing._tokenizer import TOKENIZER_PARAMETER_CONSTRAINTS, TokenizerMixin
from ..utils._batching import reference_length, token_budgets
from ..utils._seeding import seed_from_random_state
from ..utils._sklearn_compat import Interval
from ._base import BaseNeuralNetwork, DocumentVectorsMixin
from ._embedding_init import (
    check_embeddings_param,
    pretrained_embedding_matrix,
    report_coverage,
    resolve_keyed_vectors,
    subword_vectors,
)
from ._solver import SklearnOptimizationMixin

__all__ = ["PretrainedEmbeddingsMixin", "TextSequenceBase"]


class _Documents(NamedTuple):
    """Validated input of a sequence classifier: ids, and the token lists when fitting.

    ``unseen_vectors`` (prediction with ``subword_vectors_``) holds the vectors of the
    ids from the module's vocabulary size on: row ``j`` is id ``vocab_size + j``.
    """

    sequences: RaggedSequences
    tokens: list | None
    unseen_vectors: np.ndarray | None = None


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


class TextSequenceBase(
    DocumentVectorsMixin, TokenizerMixin, SklearnOptimizationMixin, BaseNeuralNetwork
):
    """Raw text read as word ids, trained with scikit-learn's MLP policy (not for direct use).

    The base of :class:`~sktext.TextCNNClassifier`, :class:`~sktext.LSTMClassifier`, the
    custom-module estimators and their regressors. A model defines ``_check_model_params``
    (its own parameter checks), ``_batch_maker`` (wrapping its batches with
    ``_with_unseen_vectors``) and ``_build_module_params``; pretrained word vectors come
    from :class:`PretrainedEmbeddingsMixin`.
    """

    _parameter_constraints: dict = {
        **TOKENIZER_PARAMETER_CONSTRAINTS,
        "min_df": SequenceVectorizer._parameter_constraints["min_df"],
        "max_features": SequenceVectorizer._parameter_constraints["max_features"],
        "max_length": SequenceVectorizer._parameter_constraints["max_length"],
    }
    _continuable = frozenset({"min_df", "max_features", "max_length"})

    @abstractmethod
    def _check_model_params(self):
        """Check the model's own parameters (called by ``fit`` before anything else)."""

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
            self._warn_truncation(tokens)
            return _Documents(self.vectorizer_._encode(tokens), tokens)
        tokens = self._tokenize(X)
        self._warn_truncation(tokens)
        sequences = self.vectorizer_._encode(tokens)
        subwords = getattr(self, "subword_vectors_", None)
        if subwords is None:
            return _Documents(sequences, None)
        return self._look_up_unseen_words(sequences, tokens, subwords)

    def _n_embedding_ids(self):
        """Rows of the module's embedding: the vocabulary, padding and unknown."""
        return len(self.vectorizer_.vocabulary_) + 2

    def _look_up_unseen_words(self, sequences, tokens, subwords):
        """Give the words outside the vocabulary ids past it and their fastText vectors."""
        ids = sequences.ids
        unknown = np.flatnonzero(ids == UNKNOWN_ID)
        if not unknown.size:
            return _Documents(sequences, None)
        limit = self.vectorizer_.max_length  # the tokens _encode kept
        if limit is not None:
            tokens = [t[:limit] for t in tokens]
        flat = list(chain.from_iterable(tokens))
        distinct = {}  # word -> its position among the distinct unseen words
        position = np.fromiter(
            (distinct.setdefault(flat[i], len(distinct)) for i in unknown),
            dtype=np.int64,
            count=unknown.size,
        )
        vectors, found = word_vectors(subwords, list(distinct))
        new_ids = np.full(len(distinct), UNKNOWN_ID, dtype=np.int64)
        new_ids[found] = self._n_embedding_ids() + np.arange(len(vectors))
        ids = ids.copy()
        ids[unknown] = new_ids[position]
        return _Documents(RaggedSequences(ids, sequences.offsets), None, vectors)

    def _with_unseen_vectors(self, make_batch, X):
        """``make_batch`` that also hands the module the vectors of the unseen words.

        A batch holding ids past the vocabulary becomes ``{"X": ids, "unseen_vectors":
        vectors}``, its unseen ids renumbered ``vocab_size + j`` for ``j`` over the
        distinct unseen words of the batch (only their vectors are sent to the device).
        """
        if X.unseen_vectors is None:
            return make_batch
        n_ids = self._n_embedding_ids()
        unseen_vectors = torch.from_numpy(X.unseen_vectors)

        def make_batch_with_unseen_vectors(rows):
            ids = make_batch(rows)  # (batch, seq_len)
            unseen = ids >= n_ids
            if not bool(unseen.any()):
                return ids
            wanted, local = torch.unique(ids[unseen], return_inverse=True)
            ids = ids.clone()
            ids[unseen] = n_ids + local
            return {"X": ids, "unseen_vectors": unseen_vectors[wanted - n_ids]}

        return make_batch_with_unseen_vectors

    def _check_continued_X(self, X):
        """Continued training (``partial_fit``, warm start): the vocabulary grows.

        Words of ``X`` outside the vocabulary that pass ``min_df`` within ``X`` get new
        ids (see :meth:`_continued_module` for their vectors); a module without a word
        embedding to grow keeps its vocabulary, with a warning. The current ``min_df``,
        ``max_features`` and ``max_length`` apply (see :meth:`_continued_vectorizer`).
        """
        self.vectorizer_ = self._continued_vectorizer()
        tokens = self._tokenize(X)
        self._warn_truncation(tokens)
        grown = self.vectorizer_._grown(tokens)
        if grown is not self.vectorizer_:
            old_ids = self._n_embedding_ids()
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

    def _continued_vectorizer(self):
        """The fitted vectorizer with the current ``min_df``, ``max_features``, ``max_length``.

        ``max_length`` (truncation) applies to the documents of this call and to later
        predictions; ``min_df`` to the new words of this call; ``max_features`` caps the
        grown vocabulary. A ``max_features`` below the size of the fitted vocabulary would
        need words (and their embedding rows) removed: a ValueError.
        """
        vectorizer = self.vectorizer_
        n_words = len(vectorizer.vocabulary_)
        if self.max_features is not None and self.max_features < n_words:
            raise ValueError(
                f"{type(self).__name__} cannot continue training (warm_start=True or "
                f"partial_fit) with max_features={self.max_features}: the fitted vocabulary "
                f"already holds {n_words} words, and continued training adds words but never "
                "removes them. Raise max_features, or fit from scratch with warm_start=False."
            )
        vectorizer = copy.copy(vectorizer)
        vectorizer.set_params(
            min_df=self.min_df, max_features=self.max_features, max_length=self.max_length
        )
        if self.max_length is not None:
            vectorizer.max_length_ = int(self.max_length)
        return vectorizer

    def _continued_module(self, X, module):
        """``module`` with one embedding row per id of the (grown) vocabulary.

        The rows of the words known before are copied unchanged; a new word's row starts
        as the random rows of :class:`~sktext.nn.TextCNN`/:class:`~sktext.nn.TextRNN` do:
        ``U[-0.25, 0.25]`` without pretrained vectors, else uniform with the standard
        deviation of the existing rows (Kim's rule for words without a pretrained vector);
        with fastText embeddings (``subword_vectors_``), a new word's fastText vector.
        Frozen embeddings (``"static"``, the static channel of ``"multichannel"``) keep
        those vectors fixed.
        """
        n_ids = self._n_embedding_ids()
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
        rows = torch.empty(n_rows, weight.shape[1]).uniform_(-bound, bound)
        subwords = getattr(self, "subword_vectors_", None)
        if subwords is not None:
            # fastText vectors: the new words get theirs, through their n-grams
            by_id = sorted(self.vectorizer_.vocabulary_, key=self.vectorizer_.vocabulary_.get)
            vectors, found = word_vectors(subwords, by_id[weight.shape[0] - 2 :])
            if vectors.shape[1] == weight.shape[1]:
                rows[torch.as_tensor(found)] = torch.as_tensor(vectors)
        return rows

    def _warn_truncation(self, tokens):
        """A :class:`TruncationWarning` with the share of documents cut at ``max_length``."""
        limit = self.vectorizer_.max_length
        if limit is None:
            return
        n_truncated = sum(len(doc) > limit for doc in tokens)
        if n_truncated:
            warnings.warn(
                f"{n_truncated} of {len(tokens)} documents ({n_truncated / len(tokens):.1%}) "
                f"are longer than max_length={limit} tokens and were truncated to their "
                "beginning.",
                TruncationWarning,
                stacklevel=4,
            )

    def _n_samples(self, X):
        return len(X.sequences)

    def _sequence_lengths(self, X):
        return X.sequences.lengths

    def _token_budgets(self, X, batch_size):
        """Training batches hold at most ``batch_size`` documents and ``batch_size * L``
        padded positions, ``L`` the 99th percentile of the (truncated) training documents'
        lengths; inference batches twice as many positions (see
        :class:`~sktext.utils._batching.LengthBucketSampler`).
        """
        return token_budgets(batch_size, reference_length(self._sequence_lengths(X)))

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.input_tags.two_d_array = False
        tags.input_tags.string = True
        return tags


class PretrainedEmbeddingsMixin:
    """``embeddings=`` and ``embedding_mode``: pretrained word vectors for a text model.

    For the models whose module takes an initial embedding matrix (``mode``,
    ``embeddings``) and a ``sparse`` flag: TextCNN and LSTM. Mixed in left of
    :class:`TextSequenceBase`.
    """

    _parameter_constraints: dict = {
        "embeddings": "no_validation",  # checked by check_embeddings_param
        "embedding_dim": [Interval(Integral, 1, None, closed="left")],
    }

    def _check_embedding_params(self):
        check_embeddings_param(self.embeddings)
        if self.embeddings is None and self.embedding_mode != "non-static":
            raise ValueError(
                f"embedding_mode={self.embedding_mode!r} needs pretrained vectors: pass "
                "embeddings= (a KeyedVectors, a vectors file or an embedding transformer)."
            )

    def _initial_embeddings(self, X):
        """``(mode, matrix)``: the module's embedding mode and initial vectors, if any.

        Without ``embeddings``: ``("rand", None)``. Otherwise the pretrained vectors are
        aligned with the vocabulary (``matrix`` of shape ``(vocab_size, dim)``), the
        coverage is reported and stored in ``embedding_coverage_`` and
        ``embedding_token_coverage_``, and the mode is ``embedding_mode``.
        """
        self.embedding_coverage_ = self.embedding_token_coverage_ = None
        self.subword_vectors_ = None
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
        self.subword_vectors_ = subword_vectors(wv)
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
