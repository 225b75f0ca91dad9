"""Pretrained word vectors for the sequence classifiers (TextCNN, LSTM).

The classifiers take ``embeddings=`` in any of the forms below and call
:func:`pretrained_embedding_matrix` once their vocabulary is known, to get the initial
embedding matrix aligned with the vocabulary ids of their
:class:`~sktext.preprocessing.SequenceVectorizer`:

* ``None``: no pretrained vectors (Kim's "CNN-rand");
* a gensim ``KeyedVectors`` (or a gensim model with a ``wv`` attribute, e.g. ``Word2Vec``);
* a path to a word2vec (text or binary) or GloVe file, read with
  :func:`sktext.embeddings.load_vectors`;
* an sktext embedding transformer (anything with ``fit`` and, once fitted, a ``wv_``
  ``KeyedVectors``): a fitted one is used as it is; an unfitted one is cloned and fitted
  on the training documents.

Words of the vocabulary without a pretrained vector get small random vectors with the
variance of the pretrained ones, as in Kim (2014); the padding row is zero. FastText
vectors (:class:`~sktext.FastTextTransformer`, a gensim ``FastText`` model or its
``FastTextKeyedVectors``) have a vector for every word, through its character n-grams:
vocabulary words outside the fastText vocabulary start from that vector, and
:func:`subword_vectors` keeps what the classifiers need to look up words unseen in
training at prediction time.
"""

import logging
import os
import warnings
from dataclasses import dataclass

import numpy as np
from sklearn.base import clone
from sklearn.utils import check_random_state

from ..embeddings._fasttext import has_subwords, word_vectors
from ..preprocessing._sequences import PADDING_ID
from ..utils._sklearn_compat import InvalidParameterError

__all__ = [
    "PretrainedEmbeddings",
    "check_embeddings_param",
    "describe_coverage",
    "pretrained_embedding_matrix",
    "report_coverage",
    "resolve_keyed_vectors",
    "subword_vectors",
]

logger = logging.getLogger(__name__)

#: Share of the training tokens with a vector below which :func:`report_coverage` warns.
LOW_COVERAGE = 0.5


def check_embeddings_param(embeddings):
    """Raise scikit-learn's ``InvalidParameterError`` for an unusable ``embeddings``."""
    usable = (
        embeddings is None
        or isinstance(embeddings, (str, os.PathLike))
        or (hasattr(embeddings, "key_to_index") and hasattr(embeddings, "vectors"))
        or hasattr(embeddings, "fit")
        or hasattr(getattr(embeddings, "wv", None), "key_to_index")
    )
    if not usable:
        raise InvalidParameterError(
            "The 'embeddings' parameter must be None, a gensim KeyedVectors, a path to a "
            "word2vec/GloVe vectors file or an sktext embedding transformer (with `fit` and "
            f"a `wv_` attribute once fitted). Got {embeddings!r:.80} instead."
        )


@dataclass
class PretrainedEmbeddings:
    """Initial embedding matrix aligned with a vocabulary, and how much of it was found.

    Attributes
    ----------
    matrix : ndarray of shape (vocab_size, dim), dtype float32
        Row ``i`` is the vector of id ``i``: pretrained where found, random otherwise,
        zero for padding.
    found : ndarray of shape (vocab_size,), dtype bool
        Which rows hold a pretrained vector.
    coverage : float
        Share of the vocabulary's words (reserved ids excluded) with a pretrained vector.
    token_coverage : float or None
        Share of the training tokens (in-vocabulary ones) whose word has a pretrained
        vector, when token counts were given.
    """

    matrix: np.ndarray
    found: np.ndarray
    coverage: float
    token_coverage: float | None


def resolve_keyed_vectors(embeddings, documents=None, *, random_state=None):
    """Turn any accepted form of ``embeddings`` into a gensim ``KeyedVectors``.

    Parameters
    ----------
    embeddings : KeyedVectors, gensim model, str, path-like or embedding transformer
        See the module docstring.
    documents : list, default=None
        Training documents, to fit an unfitted transformer on.
    random_state : int, default=None
        Seed given to an unfitted transformer whose own ``random_state`` is None.

    Returns
    -------
    wv : gensim.models.KeyedVectors
        The word vectors.
    """
    if isinstance(embeddings, (str, os.PathLike)):
        from ..embeddings import load_vectors

        return load_vectors(embeddings)
    if hasattr(embeddings, "key_to_index") and hasattr(embeddings, "vectors"):
        return embeddings
    if hasattr(embeddings, "fit"):
        if hasattr(embeddings, "wv_"):
            return embeddings.wv_
        if documents is None:
            raise ValueError("An unfitted embedding transformer needs documents to fit on.")
        transformer = clone(embeddings)
        params = transformer.get_params(deep=False)
        if "random_state" in params and params["random_state"] is None:
            transformer.set_params(random_state=random_state)
        transformer.fit(documents)
        if not hasattr(transformer, "wv_"):
            raise TypeError(
                f"{type(embeddings).__name__} has no `wv_` KeyedVectors after fit; "
                "embeddings= takes a transformer that exposes its word vectors as `wv_`."
            )
        return transformer.wv_
    if hasattr(embeddings, "wv") and hasattr(embeddings.wv, "key_to_index"):
        return embeddings.wv  # a gensim Word2Vec/FastText model
    raise TypeError(
        "embeddings must be None, a gensim KeyedVectors, a path to a word2vec/GloVe vectors "
        "file, or an sktext embedding transformer (with `fit` and a `wv_` attribute); got "
        f"{type(embeddings).__name__}."
    )


def subword_vectors(wv):
    """What a classifier keeps of fastText vectors to give unseen words a vector.

    Parameters
    ----------
    wv : gensim.models.KeyedVectors
        The resolved ``embeddings``.

    Returns
    -------
    subword_vectors : gensim.models.fasttext.FastTextKeyedVectors or None
        ``None`` unless ``wv`` has character n-gram vectors. Otherwise a copy of the word
        vectors and of the n-gram vectors (``(n_words + bucket) * dim`` float32 values:
        80 MB for 200,000 buckets of 100 dimensions), without what only training reads
        (the words' own vectors ``vectors_vocab`` and the n-gram ids of each word): a
        copy, so that later training of the model passed as ``embeddings`` does not
        change the fitted classifier.
    """
    if not has_subwords(wv):
        return None
    from gensim.models.fasttext import FastTextKeyedVectors

    copy = FastTextKeyedVectors(wv.vector_size, wv.min_n, wv.max_n, wv.bucket)
    copy.index_to_key = list(wv.index_to_key)
    copy.key_to_index = {key: i for i, key in enumerate(copy.index_to_key)}
    copy.vectors = np.array(wv.vectors, dtype=np.float32)
    copy.vectors_ngrams = np.array(wv.vectors_ngrams, dtype=np.float32)
    copy.vectors_vocab = None  # only training reads the words' own vectors
    copy.buckets_word = None
    return copy


def _lookup(wv, tokens):
    """Row of ``wv`` for each token (-1 when absent): exact match, then case-insensitive."""
    rows = np.fromiter(
        map(wv.key_to_index.get, tokens, [-1] * len(tokens)), dtype=np.int64, count=len(tokens)
    )
    missing = np.flatnonzero(rows < 0)
    if missing.size:
        # vectors keyed "Paris" still serve a lowercased vocabulary's "paris"; the first
        # (most frequent) key of each lowercase form wins
        lowered = {}
        for i, key in enumerate(wv.index_to_key):
            if isinstance(key, str):
                lowered.setdefault(key.lower(), i)
        rows[missing] = [lowered.get(tokens[i].lower(), -1) for i in missing]
    return rows


def pretrained_embedding_matrix(
    wv, vocabulary, *, token_counts=None, random_state=None, estimator_name="The estimator"
):
    """Embedding matrix for the ids of ``vocabulary`` from the vectors ``wv``.

    Parameters
    ----------
    wv : gensim.models.KeyedVectors
        Pretrained vectors.
    vocabulary : array-like of str, shape (vocab_size,)
        Token of each id, as returned by
        :meth:`~sktext.preprocessing.SequenceVectorizer.get_vocabulary` (ids 0 and 1 are
        padding and unknown).
    token_counts : array-like of int, shape (vocab_size,), default=None
        Occurrences of each id in the training data, for ``token_coverage``.
    random_state : int, RandomState instance or None, default=None
        Seeds the random vectors of the words without a pretrained vector.
    estimator_name : str
        Used in messages.

    Returns
    -------
    embeddings : PretrainedEmbeddings
        The matrix, which rows were found and the coverage.

    Raises
    ------
    ValueError
        If no word of the vocabulary has a pretrained vector.
    """
    rng = check_random_state(random_state)
    vocabulary = list(vocabulary)
    n_reserved = PADDING_ID + 2  # padding and unknown
    words = vocabulary[n_reserved:]
    rows = _lookup(wv, words)
    found_words = rows >= 0
    vectors = np.asarray(wv.vectors, dtype=np.float32)
    word_matrix = np.zeros((len(words), vectors.shape[1]), dtype=np.float32)
    word_matrix[found_words] = vectors[rows[found_words]]
    if has_subwords(wv) and not found_words.all():
        # a fastText model has a vector for the other words too, from their n-grams
        missing = np.flatnonzero(~found_words)
        ngram_vectors, has_vector = word_vectors(wv, [words[i] for i in missing])
        word_matrix[missing[has_vector]] = ngram_vectors
        found_words[missing[has_vector]] = True
    if not found_words.any():
        raise ValueError(
            f"{estimator_name}: none of the {len(words)} vocabulary words has a pretrained "
            "vector. Check that the vectors were trained on text tokenized the same way "
            "(e.g. `lowercase`)."
        )
    found_vectors = word_matrix[found_words]
    # Kim (2014): U[-a, a] with the variance of the pretrained vectors (var = a**2 / 3)
    a = float(np.sqrt(3.0 * found_vectors.var()))
    matrix = rng.uniform(-a, a, size=(len(vocabulary), vectors.shape[1])).astype(np.float32)
    found = np.zeros(len(vocabulary), dtype=bool)
    found[n_reserved:] = found_words
    matrix[found] = found_vectors
    matrix[PADDING_ID] = 0.0
    coverage = float(found_words.mean()) if len(words) else 0.0
    token_coverage = None
    if token_counts is not None:
        counts = np.asarray(token_counts, dtype=np.float64)[n_reserved:]
        total = counts.sum()
        token_coverage = float(counts[found_words].sum() / total) if total else 0.0
    return PretrainedEmbeddings(matrix, found, coverage, token_coverage)


def describe_coverage(embeddings):
    """One-line description of a :class:`PretrainedEmbeddings`' coverage."""
    n_words = len(embeddings.found) - 2
    text = (
        f"pretrained vectors for {int(embeddings.found.sum())} of {n_words} vocabulary words "
        f"({embeddings.coverage:.1%})"
    )
    if embeddings.token_coverage is not None:
        text += f", {embeddings.token_coverage:.1%} of the training tokens"
    return text


def report_coverage(estimator, embeddings):
    """Log the coverage (printed when verbose), and warn when it points to a problem.

    The warning looks at the share of training *tokens* with a vector (the share of
    vocabulary words when token counts are unknown), not at the share of words: vectors
    with a minimum word count (word2vec's ``min_count=5``) miss most words of a
    vocabulary built with ``min_df=1``, but those are rare words (on Rotten Tomatoes
    75% of the words, 12% of the tokens), which start from random vectors as in Kim
    (2014). A tokenization mismatch misses frequent words too, and leaves most tokens
    without a vector. An unfitted embedding transformer fitted by the estimator learns
    from the very tokens of its vocabulary, so no mismatch is possible there: a low
    token coverage then means too little text for the transformer's ``min_count``.
    """
    name = type(estimator).__name__
    source = getattr(estimator, "embeddings", None)
    # resolve_keyed_vectors clones an unfitted transformer: the parameter stays unfitted
    fitted_here = hasattr(source, "fit") and not hasattr(source, "wv_")
    min_count = source.get_params().get("min_count") if fitted_here else None
    share = embeddings.token_coverage
    if share is None:
        share = embeddings.coverage
    message = f"{name}: {describe_coverage(embeddings)}"
    kept = f"{type(source).__name__}(min_count={min_count})" if min_count else "the embedding"
    if share < LOW_COVERAGE:
        if fitted_here:
            advice = (
                f"{kept}, fitted on these training texts, leaves out the words it saw too "
                "rarely: with this little text most tokens start from random vectors. "
                "Lower its min_count or pass vectors learned on more text."
            )
        else:
            advice = (
                "most tokens start from random vectors. Check that the vectors were "
                "trained on text tokenized the same way (`token_pattern`, `tokenizer`, "
                "stemming, `strip_accents`)."
            )
        warnings.warn(f"{message}; {advice}", UserWarning, stacklevel=2)
    elif embeddings.coverage < LOW_COVERAGE:
        if fitted_here and min_count:
            why = (
                f"{kept}, fitted on the training texts, skips the words seen fewer than "
                f"{min_count} times"
            )
        else:
            why = "the words without a vector are rare ones"
        message += f"; {why}: they start from random vectors, as expected"
    message += "."
    logger.info(message)
    if estimator.verbose:
        print(message)  # verbose output, above skorch's epoch table
