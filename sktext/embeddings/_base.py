"""Shared machinery of the word-embedding transformers: tokenizing, pooling, feature names.

:class:`BaseEmbeddingTransformer` turns raw (or pre-tokenized) documents into fixed-size
vectors. A concrete transformer (``Word2VecTransformer``, ``GloVeTransformer``) supplies one
thing: :meth:`BaseEmbeddingTransformer._learn_vectors`, which learns word vectors from the
tokenized training documents and returns them as a gensim
:class:`~gensim.models.KeyedVectors`. Everything else (validation of the input, the
tokenizer parameters, the pooling of word vectors into document vectors, the statistics the
pooling needs, feature names and tags) lives here.

Pooling is vectorized: the tokens of all documents are mapped to vocabulary ids in one
pass, a sparse document x vocabulary matrix of (weighted) counts is built, and document
vectors are one sparse x dense product with the word-vector matrix. Max pooling is a
segment reduction (:func:`numpy.maximum.reduceat`) over the stacked vectors of the known
tokens, done in bounded-memory chunks of documents.
"""

# Authors: The sktext developers
# License: BSD 3 clause

import itertools
import warnings
from numbers import Real

import numpy as np
import scipy.sparse as sp
from gensim.models import KeyedVectors
from sklearn.base import BaseEstimator, ClassNamePrefixFeaturesOutMixin, TransformerMixin
from sklearn.utils.validation import check_consistent_length

from ..preprocessing._tokenizer import TOKENIZER_PARAMETER_CONSTRAINTS, TokenizerMixin
from ..utils._sklearn_compat import Interval, StrOptions, _fit_context, check_is_fitted

__all__ = ["BaseEmbeddingTransformer", "EmptyDocumentWarning", "POOLING_OPTIONS"]

POOLING_OPTIONS = ("mean", "idf", "sif", "max")

# Max pooling gathers the vectors of the known tokens of a chunk of documents; this bounds
# the size of that gather (in tokens) so that memory stays flat and the gathered rows stay
# in the CPU cache (4,096 100-d float32 vectors: 1.6 MB), which made the reduction about 4x
# faster than chunks of 2**18 tokens.
_MAX_POOL_CHUNK_TOKENS = 1 << 12

# fitted attributes that each pooling mode needs (learned by fit for that mode only)
_POOLING_ATTRIBUTES = {"idf": ("idf_",), "sif": ("sif_weights_", "sif_component_")}


class EmptyDocumentWarning(UserWarning):
    """Some documents had no word in the vocabulary; they were given zero vectors."""


class _TokenIds:
    """Vocabulary ids of the tokens of a batch of documents, as flat arrays.

    Attributes
    ----------
    ids : ndarray of int32, shape (n_known_tokens,)
        Vocabulary index of every known token, document after document.
    indptr : ndarray of int64, shape (n_documents + 1,)
        The known tokens of document ``i`` are ``ids[indptr[i]:indptr[i + 1]]``.
    n_tokens : int
        Number of tokens, known or not.
    """

    __slots__ = ("ids", "indptr", "n_tokens")

    def __init__(self, documents, key_to_index):
        lengths = np.fromiter(map(len, documents), dtype=np.int64, count=len(documents))
        self.n_tokens = int(lengths.sum())
        all_ids = np.fromiter(
            map(key_to_index.get, itertools.chain.from_iterable(documents), itertools.repeat(-1)),
            dtype=np.int32,
            count=self.n_tokens,
        )
        known = all_ids >= 0
        # number of known tokens before each document boundary
        known_before = np.zeros(self.n_tokens + 1, dtype=np.int64)
        np.cumsum(known.view(np.int8), out=known_before[1:])  # int8: faster than bool
        boundaries = np.zeros(len(documents) + 1, dtype=np.int64)
        np.cumsum(lengths, out=boundaries[1:])
        self.indptr = known_before[boundaries]
        self.ids = all_ids[known]

    @property
    def n_known(self):
        """Number of known tokens of each document."""
        return np.diff(self.indptr)

    def count_matrix(self, n_words, *, sum_duplicates=False):
        """CSR matrix of shape (n_documents, n_words) holding token counts (float32).

        Without ``sum_duplicates`` a word repeated in a document is stored once per
        occurrence, which products and row sums treat the same and which costs nothing
        to build.
        """
        ids, indptr = self.ids, self.indptr
        if sum_duplicates:  # works in place on the index arrays: give it copies
            ids, indptr = ids.copy(), indptr.copy()
        counts = sp.csr_matrix(
            (np.ones(len(ids), dtype=np.float32), ids, indptr),
            shape=(len(indptr) - 1, n_words),
        )
        if sum_duplicates:
            counts.sum_duplicates()
        return counts


def _max_pool(ids, indptr, vectors):
    """Element-wise maximum of the word vectors of each document (zeros if it has none).

    The words of document ``i`` are ``ids[indptr[i]:indptr[i + 1]]``.
    """
    n_docs = len(indptr) - 1
    out = np.zeros((n_docs, vectors.shape[1]), dtype=vectors.dtype)
    start = 0
    while start < n_docs:
        # grow the chunk while it stays under the token budget (at least one document)
        limit = indptr[start] + _MAX_POOL_CHUNK_TOKENS
        stop = max(int(np.searchsorted(indptr, limit, side="right")) - 1, start + 1)
        stop = min(stop, n_docs)
        offsets = indptr[start : stop + 1]
        nonempty = np.flatnonzero(np.diff(offsets) > 0)
        if len(nonempty):
            gathered = vectors[ids[offsets[0] : offsets[-1]]]
            out[start + nonempty] = np.maximum.reduceat(
                gathered, offsets[nonempty] - offsets[0], axis=0
            )
        start = stop
    return out


def _first_principal_direction(embeddings):
    """Unit vector of the first (uncentered) principal direction of the rows.

    Arora et al. (2017) remove this common component from SIF sentence vectors. Returns
    zeros when every row is zero.
    """
    gram = embeddings.T.astype(np.float64) @ embeddings.astype(np.float64)
    if not np.any(gram):
        return np.zeros(embeddings.shape[1], dtype=embeddings.dtype)
    _, eigenvectors = np.linalg.eigh(gram)
    direction = eigenvectors[:, -1]
    # fix the sign for reproducibility: largest absolute coordinate positive
    direction *= np.sign(direction[np.argmax(np.abs(direction))])
    return direction.astype(embeddings.dtype)


class BaseEmbeddingTransformer(
    TokenizerMixin, ClassNamePrefixFeaturesOutMixin, TransformerMixin, BaseEstimator
):
    """Base class of the word-embedding transformers (not for direct use).

    A subclass declares its parameters in ``__init__`` (including every parameter of
    :data:`_parameter_constraints` of this class: the tokenizer's, ``pooling`` and
    ``sif_smoothing``), merges this class's ``_parameter_constraints`` into its own, and
    implements :meth:`_learn_vectors`. It gets ``fit``, ``transform``, ``fit_transform``,
    ``get_feature_names_out`` and the estimator tags from here.

    Fitted attributes set here: ``wv_`` (the word vectors) and the statistics the chosen
    ``pooling`` needs: ``idf_`` for ``"idf"``, ``sif_weights_`` and ``sif_component_``
    for ``"sif"`` (only those, so that ``fit`` costs nothing beyond learning the vectors
    with ``"mean"`` and ``"max"``).
    """

    _parameter_constraints: dict = {
        **TOKENIZER_PARAMETER_CONSTRAINTS,
        "pooling": [StrOptions(set(POOLING_OPTIONS))],
        "sif_smoothing": [Interval(Real, 0, None, closed="neither")],
    }

    # ------------------------------------------------------------------ subclass hook
    def _learn_vectors(self, documents):  # pragma: no cover - abstract
        """Learn word vectors from tokenized documents.

        Parameters
        ----------
        documents : list of list of str
            The tokenized training documents (at least one).

        Returns
        -------
        wv : gensim.models.KeyedVectors
            The learned vectors, at least one word.
        """
        raise NotImplementedError

    # ------------------------------------------------------------------ fitting
    @_fit_context(prefer_skip_nested_validation=True)
    def fit(self, X, y=None):
        """Learn word vectors from the documents, and the statistics of the pooling.

        Parameters
        ----------
        X : iterable of str or of lists of str
            Training documents: raw strings (tokenized with the estimator's tokenizer
            parameters) or lists of tokens (used as they are). A list, a 1-D numpy
            array or a pandas Series.
        y : None or array-like of shape (n_samples,)
            Ignored (checked for a consistent length when given, so the transformer
            fits in a supervised :class:`~sklearn.pipeline.Pipeline`).

        Returns
        -------
        self : object
            The fitted transformer.
        """
        self._fit(X, y)
        return self

    @_fit_context(prefer_skip_nested_validation=True)
    def fit_transform(self, X, y=None):
        """Fit on the documents and return their vectors (tokenizes only once).

        Parameters
        ----------
        X : iterable of str or of lists of str
            Training documents, as for :meth:`fit`.
        y : None or array-like of shape (n_samples,)
            Ignored.

        Returns
        -------
        X_new : ndarray of shape (n_samples, n_features_out)
            Document vectors (float32), as :meth:`transform` would return them.
        """
        documents, token_ids = self._fit(X, y)
        if token_ids is None:
            token_ids = _TokenIds(documents, self.wv_.key_to_index)
        # user -> set_output wrapper -> _fit_context wrapper -> fit_transform -> _pool
        return self._pool(token_ids, stacklevel=5)

    def _fit(self, X, y):
        """Fit; return the vocabulary ids of the training tokens when they were needed."""
        name = type(self).__name__
        documents = self._tokenize(X)
        if y is not None:
            check_consistent_length(documents, y)
        if not documents:
            raise ValueError(f"{name} needs at least one document to fit; got 0.")
        # drop statistics left over from an earlier fit with another pooling
        for attribute in itertools.chain.from_iterable(_POOLING_ATTRIBUTES.values()):
            self.__dict__.pop(attribute, None)
        wv = self._learn_vectors(documents)
        if not isinstance(wv, KeyedVectors) or len(wv) == 0:  # pragma: no cover - bug guard
            raise RuntimeError(f"{name}._learn_vectors must return non-empty KeyedVectors.")
        self.wv_ = wv
        if self.pooling in ("mean", "max"):  # nothing to learn for these
            return documents, None
        token_ids = _TokenIds(documents, wv.key_to_index)
        if self.pooling == "idf":
            counts = token_ids.count_matrix(len(wv), sum_duplicates=True)
            document_frequency = np.bincount(counts.indices, minlength=len(wv))
            # smooth idf, as TfidfVectorizer(smooth_idf=True)
            n_docs = len(documents)
            self.idf_ = (np.log((1 + n_docs) / (1 + document_frequency)) + 1).astype(np.float32)
        else:  # sif
            word_counts = np.bincount(token_ids.ids, minlength=len(wv))
            probability = word_counts / max(token_ids.n_tokens, 1)
            a = self.sif_smoothing
            self.sif_weights_ = (a / (a + probability)).astype(np.float32)
            counts = token_ids.count_matrix(len(wv))
            sif_embeddings = self._weighted_mean(token_ids, counts, self.sif_weights_, "sif")
            self.sif_component_ = _first_principal_direction(sif_embeddings)
        return documents, token_ids

    # ------------------------------------------------------------------ transforming
    def transform(self, X):
        """Turn each document into one vector by pooling its word vectors.

        Words outside the vocabulary are ignored. A document that is empty or has only
        unknown words becomes a zero vector; an :class:`EmptyDocumentWarning` says how
        many documents that concerned (one warning per call).

        Parameters
        ----------
        X : iterable of str or of lists of str
            Documents: raw strings or lists of tokens, as for :meth:`fit`.

        Returns
        -------
        X_new : ndarray of shape (n_samples, n_features_out)
            Document vectors (float32).
        """
        check_is_fitted(self)
        documents = self._tokenize(X)
        # user -> set_output wrapper -> transform -> _pool
        return self._pool(_TokenIds(documents, self.wv_.key_to_index), stacklevel=4)

    def _pool(self, token_ids, stacklevel):
        missing = [a for a in _POOLING_ATTRIBUTES.get(self.pooling, ()) if not hasattr(self, a)]
        if missing:
            raise ValueError(
                f"pooling={self.pooling!r} needs {', '.join(missing)}, which fit computes only "
                f"when pooling={self.pooling!r}; this {type(self).__name__} was fitted with "
                "another pooling. Fit it again."
            )
        n_known = token_ids.n_known
        n_empty = int(np.count_nonzero(n_known == 0))
        if n_empty:
            verb = "is empty or contains" if n_empty == 1 else "are empty or contain"
            warnings.warn(
                f"{n_empty} of {len(n_known)} documents {verb} only words outside the "
                f"vocabulary of {type(self).__name__}; transformed to zero vectors.",
                EmptyDocumentWarning,
                stacklevel=stacklevel,
            )
        if self.pooling == "max":
            # each distinct word once per document, in id order: less to gather, and
            # gathered in memory order (15% faster on the 7M-token corpus)
            distinct = token_ids.count_matrix(len(self.wv_), sum_duplicates=True)
            return _max_pool(distinct.indices, distinct.indptr, self.wv_.vectors)
        counts = token_ids.count_matrix(len(self.wv_))
        if self.pooling == "mean":
            return self._weighted_mean(token_ids, counts, None, "mean")
        if self.pooling == "idf":
            return self._weighted_mean(token_ids, counts, self.idf_, "idf")
        pooled = self._weighted_mean(token_ids, counts, self.sif_weights_, "sif")
        component = self.sif_component_
        pooled -= np.outer(pooled @ component, component)
        return pooled

    def _weighted_mean(self, token_ids, counts, weights, pooling):
        """Weighted sum of word vectors of each document, divided by its normaliser.

        ``"mean"`` and ``"idf"`` divide by the sum of the weights (a weighted mean); SIF
        divides by the number of known tokens, as in Arora et al. (2017).
        """
        if weights is not None:
            counts.data *= weights[counts.indices]  # counts is ours: scaled in place
        pooled = np.asarray(counts @ self.wv_.vectors, dtype=self.wv_.vectors.dtype)
        if pooling == "sif":
            normaliser = token_ids.n_known.astype(np.float64)
        else:
            normaliser = np.asarray(counts.sum(axis=1), dtype=np.float64).ravel()
        scale = np.divide(1.0, normaliser, out=np.zeros_like(normaliser), where=normaliser > 0)
        pooled *= scale.astype(pooled.dtype)[:, None]
        return pooled

    # ------------------------------------------------------------------ introspection
    @property
    def _n_features_out(self):
        """Number of output features (the vector size); used by get_feature_names_out."""
        return self.wv_.vector_size

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.input_tags.string = True
        tags.input_tags.two_d_array = False
        tags.transformer_tags.preserves_dtype = []
        tags.target_tags.required = False
        return tags
