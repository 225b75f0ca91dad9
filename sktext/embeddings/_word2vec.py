"""Word2VecTransformer: gensim's Word2Vec as a scikit-learn transformer of documents."""

# Authors: The sktext developers
# License: BSD 3 clause

import contextlib
import logging
import sys
import time
from numbers import Integral, Real

from gensim.models import Word2Vec
from gensim.models.callbacks import CallbackAny2Vec

from ..preprocessing._tokenizer import DEFAULT_TOKEN_PATTERN
from ..utils._docstrings import fill_doc
from ..utils._seeding import seed_from_random_state
from ..utils._sklearn_compat import Interval, Options
from ._base import BaseEmbeddingTransformer

__all__ = ["Word2VecTransformer"]

# gensim's Cython routines silently truncate a sentence to its first 10,000 tokens
# (gensim.models.word2vec_inner.MAX_WORDS_IN_BATCH); longer documents are split instead.
_GENSIM_MAX_SENTENCE_LENGTH = 10_000


def _split_long_documents(documents, max_length=_GENSIM_MAX_SENTENCE_LENGTH):
    """Cut documents longer than ``max_length`` tokens into consecutive pieces.

    Returns ``documents`` itself when no document is too long (no copy).
    """
    if all(len(doc) <= max_length for doc in documents):
        return documents
    pieces = []
    for doc in documents:
        if len(doc) <= max_length:
            pieces.append(doc)
        else:
            pieces.extend(doc[i : i + max_length] for i in range(0, len(doc), max_length))
    return pieces


class _EpochProgress(CallbackAny2Vec):
    """gensim callback printing one line per training epoch (``verbose`` output)."""

    def __init__(self, name, epochs):
        self.name = name
        self.epochs = epochs
        self.epoch = 0
        self.start = None

    def on_epoch_begin(self, model):
        self.start = time.perf_counter()

    def on_epoch_end(self, model):
        self.epoch += 1
        elapsed = time.perf_counter() - self.start
        print(f"[{self.name}] epoch {self.epoch}/{self.epochs} done in {elapsed:.2f} s")


@contextlib.contextmanager
def _gensim_logging(level):
    """Send gensim's log records of ``level`` and above to stderr for the block."""
    logger = logging.getLogger("gensim")
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter("%(asctime)s %(name)s: %(message)s"))
    previous_level = logger.level
    logger.addHandler(handler)
    logger.setLevel(level)
    try:
        yield
    finally:
        logger.removeHandler(handler)
        logger.setLevel(previous_level)


_BINARY = [Options(Integral, {0, 1})]


def _train_gensim_model(estimator, model, documents):
    """Build the vocabulary of a new gensim ``Word2Vec``/``FastText`` model and train it.

    ``estimator`` gives the checks' parameters (``hs``, ``negative``, ``alpha``,
    ``min_alpha``, ``min_count``), ``epochs`` and ``verbose``. Returns the model.
    """
    name = type(estimator).__name__
    if not estimator.hs and estimator.negative == 0:
        raise ValueError(
            f"{name} has nothing to train with hs=0 and negative=0; use negative "
            "sampling (negative > 0) or hierarchical softmax (hs=1)."
        )
    if estimator.min_alpha > estimator.alpha:
        raise ValueError(
            f"{name}: min_alpha={estimator.min_alpha} must not exceed alpha={estimator.alpha}."
        )
    sentences = _split_long_documents(documents)
    verbose = estimator.verbose
    log_level = logging.INFO if verbose and verbose > 1 else None
    with _gensim_logging(log_level) if log_level else contextlib.nullcontext():
        model.build_vocab(corpus_iterable=sentences)
        if len(model.wv) == 0:
            raise ValueError(
                f"{name} found no word occurring at least min_count={estimator.min_count} "
                f"times in the {len(documents)} training documents "
                f"({model.corpus_total_words} tokens); lower min_count or fit on more text."
            )
        callbacks = [_EpochProgress(name, estimator.epochs)] if verbose else []
        # the same call gensim's Word2Vec(sentences=...) constructor makes
        model.train(
            corpus_iterable=sentences,
            total_examples=model.corpus_count,
            total_words=model.corpus_total_words,
            epochs=model.epochs,
            start_alpha=model.alpha,
            end_alpha=model.min_alpha,
            callbacks=callbacks,
        )
    return model


@fill_doc
class Word2VecTransformer(BaseEmbeddingTransformer):
    """Learn word2vec embeddings on the documents and turn each document into a vector.

    ``fit`` tokenizes the documents with scikit-learn's analyzer (the same parameters as
    :class:`~sklearn.feature_extraction.text.CountVectorizer`) and trains gensim's
    :class:`~gensim.models.Word2Vec` on them; the learned word vectors are kept as a
    gensim :class:`~gensim.models.KeyedVectors` in ``wv_`` (so ``wv_.most_similar``,
    ``wv_.evaluate_word_analogies`` and ``wv_.save_word2vec_format`` work).
    ``transform`` pools the vectors of the words of each document into one vector
    (``pooling``), fully vectorized.

    Every training parameter keeps gensim's name, meaning and default.

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
    workers : int, default=3
        Number of worker threads that train the model. Exact reproducibility needs
        ``workers=1``: with several threads the order of updates depends on the
        operating system's scheduling.
    random_state : int, RandomState instance or None, default=None
        Seed of gensim's vector initialisation, window sampling, down-sampling and
        negative sampling (passed to gensim as ``seed``). An int together with
        ``workers=1`` gives identical vectors on every fit.
    {pooling_parameters}
    {analyzer_parameters}
    verbose : int, default=0
        ``1`` prints one line per training epoch; ``2`` also streams gensim's own
        progress log (vocabulary scan, words/s) to stderr while fitting.

    Attributes
    ----------
    wv_ : gensim.models.KeyedVectors
        The learned word vectors, most frequent words first.
    {pooling_attributes}
    corpus_total_words_ : int
        Number of tokens gensim counted in the training documents.

    See Also
    --------
    gensim.models.Word2Vec : The model trained under the hood.
    sktext.embeddings.evaluate_embeddings : Analogy and word-similarity benchmarks.
    sktext.embeddings.debias : Remove a bias direction from the learned vectors.

    Notes
    -----
    gensim truncates sentences to 10,000 tokens; longer documents are split into pieces
    of 10,000 tokens for training, so no text is lost.

    References
    ----------
    T. Mikolov, K. Chen, G. Corrado and J. Dean, "Efficient Estimation of Word
    Representations in Vector Space", ICLR Workshop 2013.

    S. Arora, Y. Liang and T. Ma, "A Simple but Tough-to-Beat Baseline for Sentence
    Embeddings", ICLR 2017.

    Examples
    --------
    >>> from sktext import Word2VecTransformer
    >>> docs = ["the cat sat on the mat", "the dog sat on the log",
    ...         "a cat and a dog", "the mat and the log"] * 25
    >>> w2v = Word2VecTransformer(vector_size=16, min_count=1, workers=1, random_state=0)
    >>> X = w2v.fit_transform(docs)
    >>> X.shape
    (100, 16)
    >>> sorted(w2v.wv_.index_to_key)
    ['and', 'cat', 'dog', 'log', 'mat', 'on', 'sat', 'the']
    >>> [word for word, _ in w2v.wv_.most_similar("cat", topn=2)] != []
    True
    >>> w2v.get_feature_names_out()[:2]
    array(['word2vectransformer0', 'word2vectransformer1'], dtype=object)
    """

    _parameter_constraints: dict = {
        **BaseEmbeddingTransformer._parameter_constraints,
        "vector_size": [Interval(Integral, 1, None, closed="left")],
        "window": [Interval(Integral, 1, None, closed="left")],
        "min_count": [Interval(Integral, 1, None, closed="left")],
        "max_vocab_size": [Interval(Integral, 1, None, closed="left"), None],
        "max_final_vocab": [Interval(Integral, 1, None, closed="left"), None],
        "sg": _BINARY,
        "hs": _BINARY,
        "negative": [Interval(Integral, 0, None, closed="left")],
        "ns_exponent": [Interval(Real, None, None, closed="neither")],
        "cbow_mean": _BINARY,
        "sample": [Interval(Real, 0, None, closed="left")],
        "alpha": [Interval(Real, 0, None, closed="neither")],
        "min_alpha": [Interval(Real, 0, None, closed="left")],
        "epochs": [Interval(Integral, 1, None, closed="left")],
        "shrink_windows": ["boolean"],
        "workers": [Interval(Integral, 1, None, closed="left")],
        "random_state": ["random_state"],
        "verbose": ["verbose"],
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
        """Keyword arguments of :class:`gensim.models.Word2Vec` (without the corpus)."""
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
            "workers": self.workers,
            "seed": seed_from_random_state(self.random_state),
        }

    def _learn_vectors(self, documents):
        model = _train_gensim_model(self, Word2Vec(**self._gensim_params()), documents)
        return model.wv, {"corpus_total_words_": int(model.corpus_total_words)}

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.non_deterministic = self.workers != 1
        return tags
