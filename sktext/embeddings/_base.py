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

    ``unknown_word_ids``, when given, is called once with the distinct tokens that
    ``key_to_index`` lacks (in order of first occurrence) and returns an id for each
    (``-1`` for a token that stays unknown): how a subword model gives words outside its
    vocabulary ids past the end of it.

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

    def __init__(self, documents, key_to_index, unknown_word_ids=None):
        lengths = np.fromiter(map(len, documents), dtype=np.int64, count=len(documents))
        self.n_tokens = int(lengths.sum())
        all_ids = np.fromiter(
            map(key_to_index.get, itertools.chain.from_iterable(documents), itertools.repeat(-1)),
            dtype=np.int32,
            count=self.n_tokens,
        )
        if unknown_word_ids is not None:
            unknown = np.flatnonzero(all_ids < 0)
            if unknown.size:
                tokens = list(itertools.chain.from_iterable(documents))
                distinct = {}  # token -> its position among the distinct unknown tokens
                position = np.fromiter(
                    (distinct.setdefault(tokens[i], len(distinct)) for i in unknown),
                    dtype=np.int64,
                    count=unknown.size,
                )
                ids = np.asarray(unknown_word_ids(list(distinct)), dtype=np.int32)
                all_ids[unknown] = ids[position]
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


def _weighted_mean(token_ids, counts, weights, pooling, vectors):
    """Weighted sum of word vectors of each document, divided by its normaliser.

    ``"mean"`` and ``"idf"`` divide by the sum of the weights (a weighted mean); SIF
    divides by the number of known tokens, as in Arora et al. (2017).
    """
    if weights is not None:
        counts.data *= weights[counts.indices]  # counts is ours: scaled in place
    pooled = np.asarray(counts @ vectors, dtype=vectors.dtype)
    if pooling == "sif":
        normaliser = token_ids.n_known.astype(np.float64)
    else:
        normaliser = np.asarray(counts.sum(axis=1), dtype=np.float64).ravel()
    scale = np.divide(1.0, normaliser, out=np.zeros_like(normaliser), where=normaliser > 0)
    pooled *= scale.astype(pooled.dtype)[:, None]
    return pooled


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

    #: Whether :meth:`_unknown_word_vectors` gives vectors to words outside ``wv_``.
    _looks_up_unknown_words = False

    _parameter_constraints: dict = {
        **TOKENIZER_PARAMETER_CONSTRAINTS,
        "pooling": [StrOptions(set(POOLING_OPTIONS))],
        "sif_smoothing": [Interval(Real, 0, None, closed="neither")],
    }

    # ------------------------------------------------------------------ subclass hooks
    def _learn_vectors(self, documents):  # pragma: no cover - abstract
        """Learn word vectors from tokenized documents.

        It must not set attributes on ``self``: ``fit`` assigns every fitted attribute
        at its very end, so that a fit that fails or is interrupted (an exception, a
        ``KeyboardInterrupt``) leaves the estimator exactly as it was.

        Parameters
        ----------
        documents : list of list of str
            The tokenized training documents (at least one).

        Returns
        -------
        wv : gensim.models.KeyedVectors
            The learned vectors, at least one word.
        attributes : dict
            Other fitted attributes of the subclass (name -> value), set by ``fit``
            together with ``wv_``.
        """
        raise NotImplementedError

    def _unknown_word_vectors(self, words):
        """Vectors of words outside ``wv_``'s vocabulary, for a subword model.

        Parameters
        ----------
        words : list of str
            Distinct words absent from ``wv_.key_to_index``.

        Returns
        -------
        vectors : ndarray of shape (n_found, vector_size) or None
            The vectors of the words that have one; ``None`` (the default: no subword
            model) when no word has one.
        found : ndarray of bool, shape (len(words),)
            Which words have a vector (rows of ``vectors``, in order).
        """
        return None, None

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
        vectors = self.wv_.vectors
        if token_ids is None or self._looks_up_unknown_words:
            # (a subword model also gives vectors to the words below min_count)
            token_ids, vectors = self._token_ids(documents)
        # user -> set_output wrapper -> _fit_context wrapper -> fit_transform -> _pool
        return self._pool(token_ids, vectors, stacklevel=5)

    def _fit(self, X, y):
        """Fit; return the documents and the vocabulary ids of the training tokens.

        Every fitted attribute is computed into locals and assigned at the end: a fit
        that raises (or is interrupted) leaves the estimator as it was before the call.
        """
        name = type(self).__name__
        documents = self._tokenize(X)
        if y is not None:
            check_consistent_length(documents, y)
        if not documents:
            raise ValueError(f"{name} needs at least one document to fit; got 0.")
        wv, attributes = self._learn_vectors(documents)
        if not isinstance(wv, KeyedVectors) or len(wv) == 0:  # pragma: no cover - bug guard
            raise RuntimeError(f"{name}._learn_vectors must return non-empty KeyedVectors.")
        attributes = {**attributes, "wv_": wv}
        token_ids = None
        if self.pooling in ("idf", "sif"):
            token_ids = _TokenIds(documents, wv.key_to_index)
            attributes.update(self._pooling_statistics(token_ids, wv, len(documents)))
        # all at once: drop statistics left over from an earlier fit with another
        # pooling, then set what this fit learned
        for attribute in itertools.chain.from_iterable(_POOLING_ATTRIBUTES.values()):
            self.__dict__.pop(attribute, None)
        self.__dict__.update(attributes)
        return documents, token_ids

    def _pooling_statistics(self, token_ids, wv, n_docs):
        """The fitted statistics ``pooling`` needs (``"idf"``, ``"sif"``), as a dict."""
        if self.pooling == "idf":
            counts = token_ids.count_matrix(len(wv), sum_duplicates=True)
            document_frequency = np.bincount(counts.indices, minlength=len(wv))
            # smooth idf, as TfidfVectorizer(smooth_idf=True)
            idf = (np.log((1 + n_docs) / (1 + document_frequency)) + 1).astype(np.float32)
            return {"idf_": idf}
        word_counts = np.bincount(token_ids.ids, minlength=len(wv))
        probability = word_counts / max(token_ids.n_tokens, 1)
        a = self.sif_smoothing
        sif_weights = (a / (a + probability)).astype(np.float32)
        counts = token_ids.count_matrix(len(wv))
        sif_embeddings = _weighted_mean(token_ids, counts, sif_weights, "sif", wv.vectors)
        return {
            "sif_weights_": sif_weights,
            "sif_component_": _first_principal_direction(sif_embeddings),
        }

    def _token_ids(self, documents):
        """Ids of the documents' tokens, and the matrix of vectors the ids index.

        Ids below ``len(wv_)`` are the vocabulary's; a subword model
        (:meth:`_unknown_word_vectors`) gives the other words it has vectors for the ids
        that follow, their vectors stacked under ``wv_.vectors``.
        """
        wv = self.wv_
        extra = []

        def unknown_word_ids(words):
            vectors, found = self._unknown_word_vectors(words)
            ids = np.full(len(words), -1, dtype=np.int64)
            if vectors is not None and len(vectors):
                ids[found] = len(wv) + np.arange(len(vectors))
                extra.append(np.asarray(vectors, dtype=wv.vectors.dtype))
            return ids

        token_ids = _TokenIds(documents, wv.key_to_index, unknown_word_ids)
        vectors = np.vstack([wv.vectors, *extra]) if extra else wv.vectors
        return token_ids, vectors

    # ------------------------------------------------------------------ transforming
    def transform(self, X):
        """Turn each document into one vector by pooling its word vectors.

        Words outside the vocabulary are ignored (a subword model, such as
        :class:`~sktext.FastTextTransformer`, gives them vectors from their character
        n-grams instead). A document that is empty or has only unknown words becomes a
        zero vector; an :class:`EmptyDocumentWarning` says how
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
        token_ids, vectors = self._token_ids(self._tokenize(X))
        # user -> set_output wrapper -> transform -> _pool
        return self._pool(token_ids, vectors, stacklevel=4)

    def _pool(self, token_ids, vectors, stacklevel):
        """Document vectors from token ids into ``vectors`` (``wv_.vectors``, possibly
        followed by the vectors of words outside the vocabulary)."""
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
        n_words, n_unknown = len(vectors), len(vectors) - len(self.wv_)
        if self.pooling == "max":
            # each distinct word once per document, in id order: less to gather, and
            # gathered in memory order (15% faster on the 7M-token corpus)
            distinct = token_ids.count_matrix(n_words, sum_duplicates=True)
            return _max_pool(distinct.indices, distinct.indptr, vectors)
        counts = token_ids.count_matrix(n_words)
        if self.pooling == "mean":
            return _weighted_mean(token_ids, counts, None, "mean", vectors)
        if self.pooling == "idf":
            # a word outside the vocabulary weighs as much as the rarest training word
            unseen_idf = self.idf_.max() if n_unknown else 0.0
            weights = np.concatenate([self.idf_, np.full(n_unknown, unseen_idf, np.float32)])
            return _weighted_mean(token_ids, counts, weights, "idf", vectors)
        # a word outside the vocabulary has frequency 0: SIF weight a / (a + 0) = 1
        weights = np.concatenate([self.sif_weights_, np.ones(n_unknown, np.float32)])
        pooled = _weighted_mean(token_ids, counts, weights, "sif", vectors)
        component = self.sif_component_
        pooled -= np.outer(pooled @ component, component)
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
