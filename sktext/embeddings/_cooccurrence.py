"""Word-word co-occurrence counts, as GloVe's ``vocab_count`` and ``cooccur`` tools make them.

:func:`cooccurrence_matrix` builds the vocabulary of tokenized documents (``min_count``,
``max_vocab_size``) and the sparse matrix of distance-weighted co-occurrence counts over a
symmetric window, vectorized with numpy and in bounded memory: documents are processed in
chunks of about ``chunk_size`` tokens; for each chunk the (earlier word, later word, distance)
triples of all offsets ``1..window`` are encoded as int64 keys, sorted and summed, and the
chunk's sparse counts are added to the running matrix. No Python code runs per token pair.

With distance weighting (GloVe's default), an occurrence at distance ``d`` adds ``1 / d``.
For ``window <= 16`` the counts are accumulated exactly, as integer multiples of
``1 / lcm(1, ..., window)``, and divided once at the end: the result is the correctly
rounded value of the exact sum, whatever the chunking or the order of the documents.
"""

# Authors: The sktext developers
# License: BSD 3 clause

import collections
import itertools
import math
from numbers import Integral
from typing import NamedTuple

import numpy as np
import scipy.sparse as sp

__all__ = ["Cooccurrences", "cooccurrence_matrix"]

# Above this least common multiple of 1..window the sums are no longer kept as integers
# (lcm(1..16) = 720,720 fits; lcm(1..17) = 12,252,240 does not): 2**53 / 2**20 leaves room
# for 2**33 occurrences of one pair before a float64 sum of integers could round.
_MAX_EXACT_DENOMINATOR = 1 << 20


class Cooccurrences(NamedTuple):
    """The result of :func:`cooccurrence_matrix` (a named tuple).

    Attributes
    ----------
    matrix : scipy.sparse.csr_matrix of shape (n_words, n_words), dtype float64
        Distance-weighted co-occurrence counts; rows and columns follow ``words``.
    words : list of str
        The vocabulary, most frequent first (ties in alphabetical order).
    counts : ndarray of shape (n_words,), dtype int64
        Number of occurrences of each word in the documents.
    """

    matrix: sp.csr_matrix
    words: list
    counts: np.ndarray


def _check_positive_int(value, name, *, allow_none=False):
    if allow_none and value is None:
        return
    if not isinstance(value, Integral) or isinstance(value, bool) or value < 1:
        expected = "a positive int or None" if allow_none else "a positive int"
        raise ValueError(f"{name} must be {expected}; got {value!r}.")


def _check_tokenized(documents):
    """Return the documents as a list, rejecting what is not a list of token sequences."""
    if isinstance(documents, (str, bytes)):
        raise ValueError(
            "cooccurrence_matrix expects an iterable of tokenized documents (lists of str), "
            "got a single string."
        )
    documents = documents if isinstance(documents, list) else list(documents)
    for i, doc in enumerate(documents):
        if isinstance(doc, (str, bytes)) or not isinstance(doc, (list, tuple, np.ndarray)):
            raise ValueError(
                "cooccurrence_matrix expects tokenized documents (lists of str tokens); "
                f"document {i} is {type(doc).__name__}. Tokenize raw text first, e.g. with "
                "sktext.preprocessing.make_analyzer()."
            )
    return documents


def _build_vocabulary(documents, min_count, max_vocab_size):
    """Vocabulary ids of every token (-1 if dropped), the words and their counts.

    One pass of C-level iteration assigns every distinct token a provisional id in order of
    first appearance; the counts are a ``bincount`` of those ids; the kept words are
    re-numbered by decreasing count (ties alphabetically).
    """
    lengths = np.fromiter(map(len, documents), dtype=np.int64, count=len(documents))
    n_tokens = int(lengths.sum())
    first_seen = collections.defaultdict(itertools.count().__next__)
    provisional = np.fromiter(
        map(first_seen.__getitem__, itertools.chain.from_iterable(documents)),
        dtype=np.int64,
        count=n_tokens,
    )
    counts = np.bincount(provisional, minlength=len(first_seen))
    tokens = list(first_seen)  # dicts keep insertion order: tokens[i] has provisional id i
    kept = np.flatnonzero(counts >= min_count)
    kept = np.array(sorted(kept.tolist(), key=tokens.__getitem__), dtype=np.int64)
    kept = kept[np.argsort(-counts[kept], kind="stable")]  # by count, ties alphabetical
    if max_vocab_size is not None:
        kept = kept[:max_vocab_size]
    new_id = np.full(len(tokens), -1, dtype=np.int64)
    new_id[kept] = np.arange(len(kept))
    return new_id[provisional], lengths, [tokens[i] for i in kept], counts[kept]


def _distance_ticks(window, distance_weighting):
    """Weight of each distance 1..window as integers over a common denominator.

    Returns ``(ticks, denominator)``: an occurrence at distance ``d`` adds
    ``ticks[d - 1] / denominator``. The ticks are int64 (sums are exact), except without
    an exact integer representation (large windows): then they are the float weights
    ``1 / d`` and the denominator is 1.
    """
    distances = np.arange(1, window + 1, dtype=np.int64)
    if not distance_weighting:
        return np.ones(window, dtype=np.int64), 1
    denominator = math.lcm(*distances.tolist())
    if denominator > _MAX_EXACT_DENOMINATOR:
        return 1.0 / distances, 1
    return denominator // distances, denominator


def _count_chunk(ids, positions, n_words, window, ticks, id_bits, distance_bits):
    """Sparse counts of (earlier word, later word) pairs of one chunk of documents.

    ``ids`` are the vocabulary ids of the chunk's known tokens, documents after documents;
    ``positions`` the index of each token within its document (after dropping unknown
    words). Returns a canonical CSR matrix of tick sums (of the dtype of ``ticks``).
    """
    n = len(ids)
    n_pairs = sum(max(n - d, 0) for d in range(1, window + 1))
    if n_pairs == 0:
        return sp.csr_matrix((n_words, n_words), dtype=ticks.dtype)
    # key = earlier id | later id | distance - 1, so that sorting groups equal pairs
    earlier = ids << (id_bits + distance_bits)
    later = ids << distance_bits
    keys = np.empty(n_pairs, dtype=np.int64)
    invalid = np.iinfo(np.int64).max  # pairs across documents sort to the end
    n_invalid = 0
    start = 0
    for d in range(1, min(window, n - 1) + 1):
        segment = keys[start : start + n - d]
        np.add(earlier[:-d], later[d:], out=segment)
        segment += d - 1
        across = np.flatnonzero(positions[d:] < d)  # the later word is < d into its document
        segment[across] = invalid
        n_invalid += len(across)
        start += n - d
    keys = keys[:start]
    keys.sort()
    keys = keys[: len(keys) - n_invalid]
    if len(keys) == 0:
        return sp.csr_matrix((n_words, n_words), dtype=ticks.dtype)
    weights = ticks[keys & ((1 << distance_bits) - 1)]
    pairs = keys >> distance_bits
    del keys
    new_pair = np.empty(len(pairs), dtype=bool)
    new_pair[0] = True
    np.not_equal(pairs[1:], pairs[:-1], out=new_pair[1:])
    starts = np.flatnonzero(new_pair)
    values = np.add.reduceat(weights, starts)
    unique_pairs = pairs[starts]
    rows = unique_pairs >> id_bits
    columns = (unique_pairs & ((1 << id_bits) - 1)).astype(np.int32)
    indptr = np.zeros(n_words + 1, dtype=np.int64)
    np.cumsum(np.bincount(rows, minlength=n_words), out=indptr[1:])
    return sp.csr_matrix((values, columns, indptr), shape=(n_words, n_words))


def cooccurrence_matrix(
    documents,
    *,
    window=10,
    min_count=5,
    max_vocab_size=None,
    symmetric=True,
    distance_weighting=True,
    chunk_size=1_000_000,
):
    """Count distance-weighted word co-occurrences in tokenized documents.

    Builds the vocabulary (words occurring at least ``min_count`` times, at most
    ``max_vocab_size`` of the most frequent ones) and, for every pair of vocabulary words
    ``i``, ``j``, the sum over their co-occurrences within ``window`` words of ``1 / d``,
    ``d`` being their distance, as Stanford GloVe's ``vocab_count`` and ``cooccur`` tools
    do. As in those tools, words outside the vocabulary are removed before the windows are
    taken (distances count vocabulary words only), and windows never cross a document
    boundary.

    The work is vectorized with numpy and done in chunks of about ``chunk_size`` tokens,
    so memory beyond the result stays within about ``24 * window * chunk_size`` bytes (plus
    8 bytes per token for the vocabulary ids).

    Parameters
    ----------
    documents : iterable of list of str
        Tokenized documents, e.g. ``[analyzer(text) for text in texts]`` with
        :func:`sktext.preprocessing.make_analyzer`.
    window : int, default=10
        Largest distance between two co-occurring words.
    min_count : int, default=5
        Words occurring fewer times are left out of the vocabulary.
    max_vocab_size : int, default=None
        Keep at most this many words, the most frequent ones (ties broken alphabetically);
        ``None`` for no limit.
    symmetric : bool, default=True
        Count the context on both sides (the matrix is symmetric). With ``False`` only the
        left context counts: entry ``(i, j)`` sums over the occurrences of word ``i``
        before word ``j``.
    distance_weighting : bool, default=True
        Weight an occurrence at distance ``d`` by ``1 / d``; ``False`` counts 1.
    chunk_size : int, default=1_000_000
        Approximate number of tokens processed at once (whole documents are kept
        together). Larger is slightly faster and uses more memory; the result does not
        depend on it.

    Returns
    -------
    cooccurrences : Cooccurrences
        A named tuple ``(matrix, words, counts)``: the CSR matrix of shape
        ``(n_words, n_words)`` (float64, sorted indices, no explicit zeros), the
        vocabulary (most frequent first, ties alphabetical) and the word counts.

    Raises
    ------
    ValueError
        If a parameter is invalid, ``documents`` is a string or holds untokenized
        documents.

    See Also
    --------
    sktext.GloVeTransformer : Learns GloVe vectors from these counts.

    Notes
    -----
    With ``window <= 16`` (and always without distance weighting) the sums are computed
    exactly and rounded once; above, float64 sums of ``1 / d`` may differ from an exact
    sum in the last bits.

    References
    ----------
    J. Pennington, R. Socher and C. D. Manning, "GloVe: Global Vectors for Word
    Representation", EMNLP 2014.

    Examples
    --------
    >>> from sktext.embeddings import cooccurrence_matrix
    >>> docs = [["the", "cat", "sat"], ["the", "cat"]]
    >>> matrix, words, counts = cooccurrence_matrix(docs, window=2, min_count=1)
    >>> words
    ['cat', 'the', 'sat']
    >>> counts.tolist()
    [2, 2, 1]
    >>> matrix.toarray().tolist()  # "the" and "sat" are 2 apart: 1/2
    [[0.0, 2.0, 1.0], [2.0, 0.0, 0.5], [1.0, 0.5, 0.0]]
    """
    for name, value in (("window", window), ("min_count", min_count), ("chunk_size", chunk_size)):
        _check_positive_int(value, name)
    _check_positive_int(max_vocab_size, "max_vocab_size", allow_none=True)
    documents = _check_tokenized(documents)

    ids, lengths, words, counts = _build_vocabulary(documents, min_count, max_vocab_size)
    n_words = len(words)
    # drop the unknown tokens; known-token offsets of each document
    known = ids >= 0
    known_before = np.zeros(len(ids) + 1, dtype=np.int64)
    np.cumsum(known.view(np.int8), out=known_before[1:])  # 10x faster than from bool
    boundaries = np.zeros(len(lengths) + 1, dtype=np.int64)
    np.cumsum(lengths, out=boundaries[1:])
    indptr = known_before[boundaries]
    ids = ids[known]
    del known, known_before

    ticks, denominator = _distance_ticks(window, distance_weighting)
    id_bits = max(int(n_words - 1).bit_length(), 1)
    distance_bits = max(int(window - 1).bit_length(), 1)
    total = sp.csr_matrix((n_words, n_words), dtype=ticks.dtype)
    n_docs = len(indptr) - 1
    first_doc = 0
    while first_doc < n_docs:
        # whole documents up to about chunk_size tokens (at least one document)
        limit = indptr[first_doc] + chunk_size
        last_doc = max(int(np.searchsorted(indptr, limit, side="right")) - 1, first_doc + 1)
        last_doc = min(last_doc, n_docs)
        start, stop = indptr[first_doc], indptr[last_doc]
        doc_lengths = np.diff(indptr[first_doc : last_doc + 1])
        positions = np.arange(stop - start, dtype=np.int64) - np.repeat(
            indptr[first_doc:last_doc] - start, doc_lengths
        )
        chunk = _count_chunk(
            ids[start:stop], positions, n_words, window, ticks, id_bits, distance_bits
        )
        total = total + chunk if total.nnz else chunk
        first_doc = last_doc

    if symmetric:
        total = (total + total.T).tocsr()
    total = total.astype(np.float64, copy=False)
    if denominator != 1:
        total.data /= denominator
    total.sort_indices()
    return Cooccurrences(total, words, counts.astype(np.int64))
