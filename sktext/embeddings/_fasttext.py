"""FastTextTransformer: gensim's FastText (subword vectors) as a scikit-learn transformer."""

# Authors: The sktext developers
# License: BSD 3 clause

from numbers import Integral

import numpy as np
import scipy.sparse as sp
from gensim.models import FastText
from gensim.models.fasttext import FastTextKeyedVectors, ft_ngram_hashes

from ..preprocessing._tokenizer import DEFAULT_TOKEN_PATTERN
from ..utils._docstrings import fill_doc
from ..utils._seeding import seed_from_random_state
from ..utils._sklearn_compat import Interval
from ._base import BaseEmbeddingTransformer
from ._word2vec import Word2VecTransformer, _train_gensim_model

__all__ = ["FastTextTransformer", "has_subwords", "word_vectors"]


def has_subwords(wv):
    """Whether ``wv`` can give vectors to words outside its vocabulary (fastText n-grams)."""
    return (
        isinstance(wv, FastTextKeyedVectors)
        and wv.bucket > 0
        and getattr(wv, "vectors_ngrams", None) is not None
        and wv.max_n >= wv.min_n
    )


def word_vectors(wv, words):
    """Vectors of ``words`` from fastText vectors, through the n-grams for unseen words.

    A word of ``wv``'s vocabulary gets its vector (``wv.vectors``); any other word the
    mean of the vectors of its character n-grams (``wv.vectors_ngrams``), as gensim's
    ``FastTextKeyedVectors.get_vector`` computes it, without gensim's per-word warning
    for a word too short to have an n-gram: such a word has no vector.

    Parameters
    ----------
    wv : gensim.models.fasttext.FastTextKeyedVectors
        The vectors, with n-grams (:func:`has_subwords`).
    words : list of str
        The words.

    Returns
    -------
    vectors : ndarray of shape (n_found, vector_size), float32
        The vectors of the words that have one, in order.
    found : ndarray of bool, shape (len(words),)
        Which words have a vector.
    """
    dim = wv.vector_size
    rows = np.fromiter(
        map(wv.key_to_index.get, words, [-1] * len(words)), dtype=np.int64, count=len(words)
    )
    hashes = [
        [] if row >= 0 else ft_ngram_hashes(word, wv.min_n, wv.max_n, wv.bucket)
        for word, row in zip(words, rows, strict=True)
    ]
    n_hashes = np.fromiter(map(len, hashes), dtype=np.int64, count=len(words))
    in_vocabulary = rows >= 0
    found = in_vocabulary | (n_hashes > 0)
    vectors = np.zeros((len(words), dim), dtype=np.float32)
    vectors[in_vocabulary] = wv.vectors[rows[in_vocabulary]]
    by_ngrams = np.flatnonzero(n_hashes > 0)
    if by_ngrams.size:
        # the sums as one sparse product (a row per word, a 1 at each of its n-gram
        # buckets), then divided by the counts as gensim does: no gathered copy of every
        # n-gram's vector, which for many unseen words would be (total n-grams x
        # vector_size) floats
        counts = n_hashes[by_ngrams]
        flat = np.fromiter(
            (h for i in by_ngrams for h in hashes[i]), dtype=np.int64, count=counts.sum()
        )
        indptr = np.zeros(by_ngrams.size + 1, dtype=np.int64)
        np.cumsum(counts, out=indptr[1:])
        ngrams = np.asarray(wv.vectors_ngrams, dtype=np.float32)
        ones = np.ones(flat.size, dtype=np.float32)
        sums = sp.csr_matrix((ones, flat, indptr), shape=(by_ngrams.size, len(ngrams))) @ ngrams
        vectors[by_ngrams] = sums / counts[:, None].astype(np.float32)
    return vectors[found], found


@fill_doc
class FastTextTransformer(BaseEmbeddingTransformer):
    """Learn fastText embeddings (with subwords) and turn each document into a vector.

    ``fit`` tokenizes the documents with scikit-learn's analyzer (the same parameters as
    :class:`~sklearn.feature_extraction.text.CountVectorizer`) and trains gensim's
    :class:`~gensim.models.FastText` on them: word2vec in which a word's vector is the
    mean of a vector of its own and the vectors of its character n-grams (Bojanowski et
    al., 2017). The learned vectors are kept as a gensim
    :class:`~gensim.models.fasttext.FastTextKeyedVectors` in ``wv_`` (so
    ``wv_.most_similar``, ``wv_.evaluate_word_analogies`` and
    ``wv_.save_word2vec_format`` work, and ``wv_[word]`` answers for any word).
    ``transform`` pools the vectors of the words of each document into one vector
    (``pooling``), as :class:`~sktext.Word2VecTransformer` does.

    Unlike word2vec, a word never seen in training (a misspelling, an inflection, a rare
    compound) still gets a vector in ``transform``: the mean of the vectors of its
    character n-grams, close to the vectors of the training words that share them. A
    document made only of unseen words therefore gets a non-zero vector. The text
    classifiers (``TextCNNClassifier(embeddings=FastTextTransformer(...))``, ...) use
    the same n-gram vectors for the words they did not see in training.

    Every training parameter but ``bucket`` keeps gensim's name, meaning and default.

    Parameters
    ----------
    vector_size : int, default=100
        Dimensionality of the word vectors (and of the output).
    window : int, default=5
        Maximum distance between the current and the predicted word.
    min_count : int, default=5
        Ignore words with a total frequency below this.
    max_vocab_size : int, default=None
        Limit on the vocabulary size while it is being built (rarest words are pruned
        when it is exceeded); ``None`` for no limit.
    max_final_vocab : int, default=None
        Keep only the most frequent words so that the vocabulary has at most this many
        words (raises ``min_count`` as needed); ``None`` for no limit.
    sg : {0, 1}, default=0
        Training algorithm: 1 for skip-gram, 0 for CBOW.
    hs : {0, 1}, default=0
        1 for hierarchical softmax; 0 for negative sampling (when ``negative > 0``).
    negative : int, default=5
        Number of "noise words" drawn for negative sampling (usually 5-20); 0 for none.
        ``hs=0`` and ``negative=0`` together leave nothing to train and are rejected.
    ns_exponent : float, default=0.75
        Exponent shaping the negative-sampling distribution (1.0: proportional to the
        frequencies, 0.0: uniform, negative values favour rare words).
    cbow_mean : {0, 1}, default=1
        With CBOW, 1 to use the mean of the context vectors, 0 their sum.
    sample : float, default=1e-3
        Threshold for down-sampling frequent words (useful range ``(0, 1e-5)``); 0 to
        disable.
    alpha : float, default=0.025
        Initial learning rate.
    min_alpha : float, default=0.0001
        Final learning rate (decays linearly from ``alpha``).
    epochs : int, default=5
        Number of passes over the documents.
    shrink_windows : bool, default=True
        Sample the effective window size uniformly from ``[1, window]`` for each word,
        as in the original word2vec; ``False`` always uses ``window``.
    min_n : int, default=3
        Length of the shortest character n-gram of a word (the word is wrapped in
        ``<`` and ``>`` first, so ``"<wh"`` is a 3-gram of ``"where"``).
    max_n : int, default=6
        Length of the longest character n-gram; at least ``min_n``.
    bucket : int, default=200_000
        Number of hash buckets the character n-grams share, i.e. rows of the n-gram
        vector matrix (``wv_.vectors_ngrams``, ``bucket * vector_size`` float32 values).
        gensim's default, 2,000,000, is 800 MB at 100 dimensions, kept in memory, in
        every pickled copy (a ``Pipeline`` in ``GridSearchCV``) and by a text classifier
        using the vectors; 200,000 is 80 MB. The training set of 20 Newsgroups (2.8M
        tokens, 25k words at ``min_count=5``) has 144k distinct n-grams of 3 to 6
        characters: with 200,000 buckets about half of them share a bucket with another
        (with 2,000,000, 7%). Raise it for large corpora when memory allows.
    workers : int, default=3
        Number of worker threads that train the model. Exact reproducibility needs
        ``workers=1``: with several threads the order of updates depends on the
        operating system's scheduling.
    random_state : int, RandomState instance or None, default=None
        Seed of gensim's vector initialisation (words and n-grams), window sampling,
        down-sampling and negative sampling (passed to gensim as ``seed``). An int together with
        ``workers=1`` gives identical vectors on every fit.
    {fasttext_pooling_parameters}
    {analyzer_parameters}
    verbose : int, default=0
        ``1`` prints one line per training epoch; ``2`` also streams gensim's own
        progress log (vocabulary scan, words/s) to stderr while fitting.

    Attributes
    ----------
    wv_ : gensim.models.fasttext.FastTextKeyedVectors
        The learned word vectors, most frequent words first, with the n-gram vectors
        (``wv_.vectors_ngrams``, shape ``(bucket, vector_size)``).
    {pooling_attributes}
    corpus_total_words_ : int
        Number of tokens gensim counted in the training documents.

    See Also
    --------
    gensim.models.FastText : The model trained under the hood.
    sktext.Word2VecTransformer : The same without subwords (unseen words are ignored).
    sktext.TextCNNClassifier : Takes ``embeddings=FastTextTransformer(...)``.

    Notes
    -----
    gensim truncates sentences to 10,000 tokens; longer documents are split into pieces
    of 10,000 tokens for training, so no text is lost.

    References
    ----------
    P. Bojanowski, E. Grave, A. Joulin and T. Mikolov, "Enriching Word Vectors with
    Subword Information", TACL 5, 2017.

    Examples
    --------
    >>> from sktext import FastTextTransformer
    >>> docs = ["the cat sat on the mat", "the dog sat on the log",
    ...         "a cat and a dog", "the mat and the log"] * 25
    >>> ft = FastTextTransformer(vector_size=16, min_count=1, bucket=10_000, workers=1,
    ...                          random_state=0)
    >>> X = ft.fit_transform(docs)
    >>> X.shape
    (100, 16)
    >>> "cats" in ft.wv_.key_to_index  # never seen...
    False
    >>> bool(ft.transform(["cats"]).any())  # ...yet it has a vector, from its n-grams
    True
    >>> ft.get_feature_names_out()[:2]
    array(['fasttexttransformer0', 'fasttexttransformer1'], dtype=object)
    """

    _looks_up_unknown_words = True

    _parameter_constraints: dict = {
        **Word2VecTransformer._parameter_constraints,
        "min_n": [Interval(Integral, 1, None, closed="left")],
        "max_n": [Interval(Integral, 1, None, closed="left")],
        "bucket": [Interval(Integral, 1, None, closed="left")],
    }

    def __init__(
        self,
        *,
        vector_size=100,
        window=5,
        min_count=5,
        max_vocab_size=None,
        max_final_vocab=None,
        sg=0,
        hs=0,
        negative=5,
        ns_exponent=0.75,
        cbow_mean=1,
        sample=1e-3,
        alpha=0.025,
        min_alpha=0.0001,
        epochs=5,
        shrink_windows=True,
        min_n=3,
        max_n=6,
        bucket=200_000,
        workers=3,
        random_state=None,
        pooling="mean",
        sif_smoothing=1e-3,
        lowercase=True,
        token_pattern=DEFAULT_TOKEN_PATTERN,
        tokenizer=None,
        stop_words=None,
        strip_accents=None,
        verbose=0,
    ):
        self.vector_size = vector_size
        self.window = window
        self.min_count = min_count
        self.max_vocab_size = max_vocab_size
        self.max_final_vocab = max_final_vocab
        self.sg = sg
        self.hs = hs
        self.negative = negative
        self.ns_exponent = ns_exponent
        self.cbow_mean = cbow_mean
        self.sample = sample
        self.alpha = alpha
        self.min_alpha = min_alpha
        self.epochs = epochs
        self.shrink_windows = shrink_windows
        self.min_n = min_n
        self.max_n = max_n
        self.bucket = bucket
        self.workers = workers
        self.random_state = random_state
        self.pooling = pooling
        self.sif_smoothing = sif_smoothing
        self.lowercase = lowercase
        self.token_pattern = token_pattern
        self.tokenizer = tokenizer
        self.stop_words = stop_words
        self.strip_accents = strip_accents
        self.verbose = verbose

    def _gensim_params(self):
        """Keyword arguments of :class:`gensim.models.FastText` (without the corpus)."""
        return {
            "vector_size": self.vector_size,
            "window": self.window,
            "min_count": self.min_count,
            "max_vocab_size": self.max_vocab_size,
            "max_final_vocab": self.max_final_vocab,
            "sg": int(self.sg),
            "hs": int(self.hs),
            "negative": self.negative,
            "ns_exponent": self.ns_exponent,
            "cbow_mean": int(self.cbow_mean),
            "sample": self.sample,
            "alpha": self.alpha,
            "min_alpha": self.min_alpha,
            "epochs": self.epochs,
            "shrink_windows": bool(self.shrink_windows),
            "min_n": self.min_n,
            "max_n": self.max_n,
            "bucket": self.bucket,
            "workers": self.workers,
            "seed": seed_from_random_state(self.random_state),
        }

    def _learn_vectors(self, documents):
        if self.max_n < self.min_n:
            raise ValueError(
                f"{type(self).__name__}: max_n={self.max_n} must be at least "
                f"min_n={self.min_n} (no character n-grams otherwise; Word2VecTransformer "
                "learns vectors without them)."
            )
        model = _train_gensim_model(self, FastText(**self._gensim_params()), documents)
        return model.wv, {"corpus_total_words_": int(model.corpus_total_words)}

    def _unknown_word_vectors(self, words):
        return word_vectors(self.wv_, words)

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.non_deterministic = self.workers != 1
        return tags
