"""SequenceVectorizer: raw texts to integer id sequences.

Tokenization is scikit-learn's analyzer (see :class:`~sktext.preprocessing.TokenizerMixin`).
After it, no work is done per token in Python bytecode: the vocabulary is counted with
:class:`collections.Counter` over the chained token lists, and ids are looked up with one
C-level ``dict.get`` per token (``map`` feeding :func:`numpy.fromiter`). Documents are kept
as one ragged array (:class:`RaggedSequences`: concatenated ids and offsets) from which
batches are padded to their own longest document.
"""

import copy
from collections import Counter
from itertools import chain, repeat
from numbers import Integral, Real

import numpy as np
from sklearn.base import BaseEstimator, ClassNamePrefixFeaturesOutMixin, TransformerMixin

from ..utils._sklearn_compat import Interval, _fit_context, check_is_fitted
from ._tokenizer import DEFAULT_TOKEN_PATTERN, TOKENIZER_PARAMETER_CONSTRAINTS, TokenizerMixin

__all__ = ["PADDING_ID", "UNKNOWN_ID", "RaggedSequences", "SequenceVectorizer"]

#: Id of padding positions (never produced for a real token).
PADDING_ID = 0
#: Id of tokens outside the vocabulary.
UNKNOWN_ID = 1
_RESERVED = ("<pad>", "<unk>")


class RaggedSequences:
    """Variable-length id sequences stored as one flat array and offsets.

    Document ``i`` is ``ids[offsets[i]:offsets[i + 1]]``. This is what
    :meth:`SequenceVectorizer.transform_ragged` returns and what the sequence classifiers
    batch from: :meth:`pad` builds a batch padded to its own longest document.

    Parameters
    ----------
    ids : ndarray of shape (n_tokens,), dtype int64
        Token ids of all documents, concatenated.
    offsets : ndarray of shape (n_documents + 1,), dtype int64
        Start of each document in ``ids``, followed by ``len(ids)``.
    """

    def __init__(self, ids, offsets):
        self.ids = np.asarray(ids, dtype=np.int64)
        self.offsets = np.asarray(offsets, dtype=np.int64)

    @property
    def lengths(self):
        """Number of tokens of each document, ``ndarray of shape (n_documents,)``."""
        return np.diff(self.offsets)

    def __len__(self):
        return len(self.offsets) - 1

    def __getitem__(self, i):
        return self.ids[self.offsets[i] : self.offsets[i + 1]]

    def pad(self, rows=None, *, length=None, min_length=1, fill_value=PADDING_ID):
        """Padded id matrix of the documents ``rows`` (all documents by default).

        Parameters
        ----------
        rows : array-like of int, default=None
            Which documents, in which order.
        length : int, default=None
            Width of the output: longer documents are truncated. ``None``: the longest of
            the selected documents, but at least ``min_length``.
        min_length : int, default=1
            Smallest width when ``length`` is None (e.g. the widest convolution filter).
        fill_value : int, default=PADDING_ID
            Id of the padded positions (a pretrained tokenizer's own padding id, say).

        Returns
        -------
        padded : ndarray of shape (n_rows, width), dtype int64
            Ids, left-aligned, padded with ``fill_value``.
        """
        rows = np.arange(len(self)) if rows is None else np.asarray(rows, dtype=np.int64)
        starts = self.offsets[rows]
        lens = self.offsets[rows + 1] - starts
        if length is None:
            width = max(int(lens.max()) if len(lens) else 0, int(min_length))
        else:
            width = int(length)
            lens = np.minimum(lens, width)
        out = np.full((len(rows), width), fill_value, dtype=np.int64)
        total = int(lens.sum())
        if total:
            row_idx = np.repeat(np.arange(len(rows)), lens)
            # position of each token inside its document: 0, 1, ..., len - 1
            col_idx = np.arange(total) - np.repeat(np.cumsum(lens) - lens, lens)
            out[row_idx, col_idx] = self.ids[np.repeat(starts, lens) + col_idx]
        return out

    def __repr__(self):
        return f"RaggedSequences(n_documents={len(self)}, n_tokens={len(self.ids)})"


class SequenceVectorizer(
    ClassNamePrefixFeaturesOutMixin, TokenizerMixin, TransformerMixin, BaseEstimator
):
    """Turn raw texts into sequences of integer token ids.

    The first stage of every sktext sequence model, and usable on its own. Documents are
    tokenized with scikit-learn's analyzer (the parameters mean what they mean in
    :class:`~sklearn.feature_extraction.text.CountVectorizer`), the vocabulary is made of
    the tokens that pass ``min_df``/``max_df``/``max_features``, and each token becomes its
    id. Ids ``0`` (padding) and ``1`` (unknown: a token outside the vocabulary) are
    reserved; vocabulary ids start at 2, the most frequent token first.

    Parameters
    ----------
    lowercase : bool, default=True
        Lowercase the text before tokenizing.
    token_pattern : str or None, default=r"(?u)\\\\b\\\\w\\\\w+\\\\b"
        Regular expression of a token (ignored when ``tokenizer`` is given).
    tokenizer : callable, default=None
        Overrides the tokenization step (string -> list of tokens).
    stop_words : {"english"}, list or None, default=None
        Tokens removed from every document.
    strip_accents : {"ascii", "unicode"} or callable, default=None
        Accent removal during preprocessing.
    min_df : int or float, default=1
        Ignore tokens found in fewer documents (int) or a smaller share of documents
        (float in [0, 1]).
    max_df : int or float, default=1.0
        Ignore tokens found in more documents (int) or a larger share (float).
    max_features : int, default=None
        Keep only the ``max_features`` most frequent tokens (counted over the corpus).
    max_length : int, default=None
        Keep only the first ``max_length`` tokens of each document. It is also the width
        of :meth:`transform`'s output; ``None``: the length of the longest training
        document.

    Attributes
    ----------
    vocabulary_ : dict
        Token -> id (ids from 2 on; 0 is padding and 1 unknown).
    max_length_ : int
        Width of :meth:`transform`'s output (``max_length``, or the longest training
        document, at least 1).

    See Also
    --------
    sklearn.feature_extraction.text.CountVectorizer : Bag-of-words counts with the same
        tokenization parameters.
    sktext.TextCNNClassifier : Fits a SequenceVectorizer on its training texts.

    Notes
    -----
    An empty document, or one whose tokens are all outside the vocabulary, is a defined
    input: a row of padding, or a row of unknown ids (``1``) followed by padding.
    Pre-tokenized documents (lists of strings) are used as they are.

    Examples
    --------
    >>> from sktext.preprocessing import SequenceVectorizer
    >>> docs = ["the cat sat", "the dog sat down", "a cat"]
    >>> vec = SequenceVectorizer().fit(docs)
    >>> vec.vocabulary_
    {'cat': 2, 'sat': 3, 'the': 4, 'dog': 5, 'down': 6}
    >>> vec.transform(["the cat ran", ""])
    array([[4, 2, 1, 0],
           [0, 0, 0, 0]])
    >>> vec.inverse_transform(vec.transform(["the dog sat"]))
    [['the', 'dog', 'sat']]
    """

    _parameter_constraints: dict = {
        **TOKENIZER_PARAMETER_CONSTRAINTS,
        "min_df": [
            Interval(Integral, 1, None, closed="left"),
            Interval(Real, 0, 1, closed="both"),
        ],
        "max_df": [
            Interval(Integral, 1, None, closed="left"),
            Interval(Real, 0, 1, closed="both"),
        ],
        "max_features": [Interval(Integral, 1, None, closed="left"), None],
        "max_length": [Interval(Integral, 1, None, closed="left"), None],
    }

    def __init__(
        self,
        *,
        lowercase=True,
        token_pattern=DEFAULT_TOKEN_PATTERN,
        tokenizer=None,
        stop_words=None,
        strip_accents=None,
        min_df=1,
        max_df=1.0,
        max_features=None,
        max_length=None,
    ):
        self.lowercase = lowercase
        self.token_pattern = token_pattern
        self.tokenizer = tokenizer
        self.stop_words = stop_words
        self.strip_accents = strip_accents
        self.min_df = min_df
        self.max_df = max_df
        self.max_features = max_features
        self.max_length = max_length

    # ------------------------------------------------------------------ fitting
    @_fit_context(prefer_skip_nested_validation=True)
    def fit(self, X, y=None):
        """Learn the vocabulary of ``X``.

        Parameters
        ----------
        X : iterable of str or of lists of str
            Training documents (list, numpy array, pandas Series…).
        y : None
            Ignored.

        Returns
        -------
        self : SequenceVectorizer
            The fitted vectorizer.
        """
        self._fit_tokens(self._tokenize(X))
        return self

    def fit_transform(self, X, y=None):
        """Learn the vocabulary and return the padded id matrix (tokenizing once).

        Parameters
        ----------
        X : iterable of str or of lists of str
            Training documents.
        y : None
            Ignored.

        Returns
        -------
        ids : ndarray of shape (n_documents, `max_length_`), dtype int64
            Token ids, padded with 0.
        """
        return self.fit_transform_ragged(X).pad(length=self.max_length_)

    @_fit_context(prefer_skip_nested_validation=True)
    def fit_transform_ragged(self, X, y=None):
        """Learn the vocabulary and return the ids as :class:`RaggedSequences`.

        Parameters
        ----------
        X : iterable of str or of lists of str
            Training documents.
        y : None
            Ignored.

        Returns
        -------
        sequences : RaggedSequences
            The documents' ids, each truncated to ``max_length``.
        """
        token_lists = self._tokenize(X)
        self._fit_tokens(token_lists)
        return self._encode(token_lists)

    def _fit_tokens(self, token_lists):
        n_docs = len(token_lists)
        if n_docs == 0:
            raise ValueError(
                f"Found 0 document(s) while a minimum of 1 is required by {type(self).__name__}."
            )
        counts = Counter(chain.from_iterable(token_lists))
        min_df = self.min_df if isinstance(self.min_df, Integral) else self.min_df * n_docs
        max_df = self.max_df if isinstance(self.max_df, Integral) else self.max_df * n_docs
        if min_df > n_docs:
            raise ValueError(
                f"min_df={self.min_df!r} keeps only the tokens found in at least "
                f"{min_df:g} documents, but there are {n_docs} training documents; lower "
                "min_df (an int counts documents, a float in [0.0, 1.0] is a share of them)."
            )
        if min_df > max_df:
            raise ValueError(
                f"min_df={self.min_df!r} ({min_df:g} documents) is above "
                f"max_df={self.max_df!r} ({max_df:g} of the {n_docs} documents): no token "
                "can pass both; lower min_df or raise max_df."
            )
        filtered = min_df > 1 or max_df < n_docs
        if filtered:
            doc_freq = Counter(chain.from_iterable(map(set, token_lists)))
            counts = {t: c for t, c in counts.items() if min_df <= doc_freq[t] <= max_df}
        if not counts:
            raise ValueError(
                "empty vocabulary; perhaps the documents only contain stop words"
                + (
                    f", or min_df={self.min_df!r}/max_df={self.max_df!r} leave no token (no "
                    f"token is found in {min_df:g} to {max_df:g} of the {n_docs} documents)"
                    if filtered
                    else ""
                )
            )
        # most frequent first, ties broken alphabetically (deterministic ids)
        tokens = sorted(counts, key=lambda t: (-counts[t], t))
        if self.max_features is not None:
            tokens = tokens[: self.max_features]
        self.vocabulary_ = {t: i for i, t in enumerate(tokens, start=len(_RESERVED))}
        longest = max(map(len, token_lists))
        self.max_length_ = int(self.max_length or max(longest, 1))

    def _grown(self, token_lists):
        """A copy of this fitted vectorizer whose vocabulary also holds new tokens.

        For incremental training (``partial_fit``, warm starts of the sequence models):
        tokens of ``token_lists`` outside the vocabulary that pass ``min_df``/``max_df``
        within these documents get the next ids (most frequent first, ties broken
        alphabetically), so every existing id keeps its meaning; ``max_features``
        caps the total size. Returns ``self`` when nothing is added.
        """
        room = None if self.max_features is None else self.max_features - len(self.vocabulary_)
        if room is not None and room <= 0:
            return self
        vocabulary = self.vocabulary_
        new = [[t for t in tokens if t not in vocabulary] for tokens in token_lists]
        counts = Counter(chain.from_iterable(new))
        if not counts:
            return self
        n_docs = len(token_lists)
        min_df = self.min_df if isinstance(self.min_df, Integral) else self.min_df * n_docs
        max_df = self.max_df if isinstance(self.max_df, Integral) else self.max_df * n_docs
        if min_df > 1 or max_df < n_docs:
            doc_freq = Counter(chain.from_iterable(map(set, new)))
            counts = {t: c for t, c in counts.items() if min_df <= doc_freq[t] <= max_df}
        tokens = sorted(counts, key=lambda t: (-counts[t], t))[:room]
        if not tokens:
            return self
        grown = copy.copy(self)
        start = len(_RESERVED) + len(vocabulary)
        grown.vocabulary_ = {**vocabulary, **{t: i for i, t in enumerate(tokens, start=start)}}
        return grown

    # ------------------------------------------------------------------ transforming
    def transform(self, X):
        """Padded id matrix of ``X``.

        Parameters
        ----------
        X : iterable of str or of lists of str
            Documents.

        Returns
        -------
        ids : ndarray of shape (n_documents, `max_length_`), dtype int64
            Token ids (1 for tokens outside the vocabulary), left-aligned, truncated to
            ``max_length_`` and padded with 0.
        """
        return self.transform_ragged(X).pad(length=self.max_length_)

    def transform_ragged(self, X):
        """Ids of ``X`` without padding, as :class:`RaggedSequences`.

        Parameters
        ----------
        X : iterable of str or of lists of str
            Documents.

        Returns
        -------
        sequences : RaggedSequences
            ``sequences[i]`` is the id array of document ``i`` (truncated to
            ``max_length`` when set); ``sequences.pad(rows)`` pads a batch to its own
            longest document.
        """
        check_is_fitted(self)
        return self._encode(self._tokenize(X))

    def _encode(self, token_lists):
        if self.max_length is not None:
            limit = self.max_length
            token_lists = [t if len(t) <= limit else t[:limit] for t in token_lists]
        lengths = np.fromiter(map(len, token_lists), dtype=np.int64, count=len(token_lists))
        offsets = np.zeros(len(token_lists) + 1, dtype=np.int64)
        np.cumsum(lengths, out=offsets[1:])
        # one C-level dict lookup per token: vocabulary_.get(token, UNKNOWN_ID)
        ids = np.fromiter(
            map(self.vocabulary_.get, chain.from_iterable(token_lists), repeat(UNKNOWN_ID)),
            dtype=np.int64,
            count=int(offsets[-1]),
        )
        return RaggedSequences(ids, offsets)

    def inverse_transform(self, X):
        """Tokens of id sequences (padding dropped, unknown ids as ``"<unk>"``).

        Parameters
        ----------
        X : array-like of shape (n_documents, length), or RaggedSequences
            Ids as returned by :meth:`transform` or :meth:`transform_ragged`.

        Returns
        -------
        tokens : list of list of str
            The tokens of each document.
        """
        check_is_fitted(self)
        vocab = self.get_vocabulary()
        if isinstance(X, RaggedSequences):
            rows = [X[i] for i in range(len(X))]
        else:
            X = np.asarray(X)
            if X.ndim != 2:
                raise ValueError(f"Expected a 2-D array of ids, got shape {X.shape}.")
            rows = list(X)
        out = []
        for row in rows:
            row = np.asarray(row, dtype=np.int64)
            row = row[row != PADDING_ID]
            if row.size and (row.min() < 0 or row.max() >= len(vocab)):
                raise ValueError(
                    f"Ids must be in [0, {len(vocab) - 1}] (the vocabulary size); got "
                    f"{row.min()}..{row.max()}."
                )
            out.append(vocab[row].tolist())
        return out

    def get_vocabulary(self):
        """Token of each id: ``get_vocabulary()[i]`` is the token with id ``i``.

        Returns
        -------
        tokens : ndarray of shape (`len(vocabulary_) + 2`,), dtype object
            ``"<pad>"`` and ``"<unk>"`` for the reserved ids 0 and 1, then the vocabulary
            in id order.
        """
        check_is_fitted(self)
        tokens = np.empty(len(self.vocabulary_) + len(_RESERVED), dtype=object)
        tokens[: len(_RESERVED)] = _RESERVED
        tokens[list(self.vocabulary_.values())] = list(self.vocabulary_)
        return tokens

    @property
    def _n_features_out(self):
        """Number of output columns (positions), for ``get_feature_names_out``."""
        return self.max_length_

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.input_tags.two_d_array = False
        tags.input_tags.string = True
        tags.requires_fit = True
        return tags
