"""What the sequence models (TextCNN, LSTM) share on top of ``BaseNeuralNetwork``.

:class:`SequenceClassifierMixin` implements the hooks of
:class:`~sktext.neural_network._base.BaseNeuralNetwork` for raw-text input: a
:class:`~sktext.preprocessing.SequenceVectorizer` (``vectorizer_``) built from the
estimator's tokenizer parameters, documents kept as
:class:`~sktext.preprocessing.RaggedSequences`, length bucketing through
``_sequence_lengths`` within a padded-token budget per batch (``_make_net``), the
truncation of long documents (``max_length``, with a :class:`TruncationWarning`), and
the pretrained-embedding options (``embeddings=``,
``embedding_mode``) resolved into an initial embedding matrix. A classifier using it
defines ``_check_model_params`` (its own parameter checks, calling
``_check_embedding_params``), ``_batch_maker`` and ``_build_module_params``.
"""

import warnings
from typing import NamedTuple

import numpy as np

from ..preprocessing._pretrained import TruncationWarning
from ..preprocessing._sequences import RaggedSequences, SequenceVectorizer
from ..utils._seeding import seed_from_random_state
from ._embedding_init import (
    check_embeddings_param,
    pretrained_embedding_matrix,
    report_coverage,
    resolve_keyed_vectors,
)
from ._training import reference_length, token_budgets

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
            self._warn_truncation(tokens)
            return _Documents(self.vectorizer_._encode(tokens), tokens)
        tokens = self._tokenize(X)
        self._warn_truncation(tokens)
        return _Documents(self.vectorizer_._encode(tokens), None)

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

    def _make_net(self, X, n_train, valid_dataset, task, device):
        """The skorch net, with the padded-token budgets of its batches.

        Training batches hold at most ``batch_size`` documents and ``batch_size * L``
        padded positions, ``L`` the 99th percentile of the (truncated) training documents'
        lengths; inference batches twice as many positions (see
        :class:`~sktext.neural_network._training.LengthBucketSampler`).
        """
        net = super()._make_net(X, n_train, valid_dataset, task, device)
        training, inference = token_budgets(
            net.batch_size, reference_length(self._sequence_lengths(X))
        )
        net.set_params(iterator_train__max_tokens=training, iterator_valid__max_tokens=inference)
        return net

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
