"""GloVeTransformer: GloVe word vectors, trained in PyTorch, as a scikit-learn transformer."""

# Authors: The sktext developers
# License: BSD 3 clause

import logging
import time
from numbers import Integral, Real

import numpy as np
import torch
from gensim.models import KeyedVectors

from ..nn._glove import CooccurrenceBatches, GloVe, train_glove
from ..preprocessing._tokenizer import DEFAULT_TOKEN_PATTERN
from ..utils._device import resolve_device
from ..utils._docstrings import fill_doc
from ..utils._seeding import seed_from_random_state
from ..utils._sklearn_compat import Interval
from ._base import BaseEmbeddingTransformer
from ._cooccurrence import cooccurrence_matrix

__all__ = ["GloVeTransformer"]

logger = logging.getLogger(__name__)


@fill_doc
class GloVeTransformer(BaseEmbeddingTransformer):
    """Learn GloVe embeddings on the documents and turn each document into a vector.

    ``fit`` tokenizes the documents with scikit-learn's analyzer (the parameters of
    :class:`~sklearn.feature_extraction.text.CountVectorizer`), counts distance-weighted
    word co-occurrences over a symmetric ``window``
    (:func:`~sktext.embeddings.cooccurrence_matrix`) and fits the GloVe model of Pennington
    et al. (2014) to them with AdaGrad, in PyTorch on ``device``
    (:func:`sktext.nn.train_glove`). The word vectors, ``w + w~`` as the reference
    implementation writes them, are kept as a gensim
    :class:`~gensim.models.KeyedVectors` in ``wv_`` (``wv_.most_similar``,
    ``wv_.evaluate_word_analogies``, ``wv_.save_word2vec_format`` work). ``transform``
    pools the vectors of the words of each document into one vector (``pooling``), exactly
    as :class:`~sktext.Word2VecTransformer` does, so either one fits the same place in a
    :class:`~sklearn.pipeline.Pipeline` or in ``TextCNNClassifier(embeddings=...)``.

    Parameters
    ----------
    vector_size : int, default=100
        Dimensionality of the word vectors (and of the output).
    window : int, default=10
        Largest distance between two words counted as co-occurring (on both sides); an
        occurrence at distance ``d`` counts ``1 / d``.
    min_count : int, default=5
        Ignore words with a total frequency below this.
    max_vocab_size : int, default=None
        Keep at most this many words, the most frequent ones (GloVe's ``-max-vocab``;
        unlike gensim's parameter of the same name it caps the final vocabulary);
        ``None`` for no limit.
    x_max : float, default=10.0
        Co-occurrence count from which the weight ``f(x) = min(1, (x / x_max) ** alpha)``
        of an entry in the loss is 1 (the reference's ``x_max``; its demo uses 10 on small
        corpora, the paper 100 on billions of words).
    alpha : float, default=0.75
        Exponent of the weighting function below ``x_max``.
    learning_rate : float, default=0.05
        AdaGrad's initial learning rate (the reference's ``eta``).
    epochs : int, default=15
        Number of passes over the non-zero co-occurrences.
    batch_size : int, default=65536
        Average number of non-zero co-occurrences per AdaGrad step. The entries of a batch
        are computed from the same parameters and their updates summed; smaller batches
        come closer to the reference's one-entry-at-a-time updates and are slower per
        epoch.
    shuffle : bool, default=True
        Visit the (fixed, random) batches in a new random order every epoch. ``False``
        keeps one random order for every epoch, as the reference reads its once-shuffled
        entries in the same order every epoch: the loss of successive epochs is then
        measured in the same order, so ``loss_curve_`` falls monotonically while training
        progresses, whereas with ``True`` the order adds noise to it (visible on tiny
        corpora). On the ~7M-word benchmark corpus ``True`` gave slightly better analogy
        accuracy (0.111 against 0.107) and the same WordSim-353 correlation.
    device : {"cpu", "cuda", "auto"} or str, default="cpu"
        Torch device to train on; ``"auto"`` uses CUDA when available. The learned
        vectors are returned to the CPU (``wv_``).
    random_state : int, RandomState instance or None, default=None
        Seed of the initialisation of the vectors, of the random mini-batches and of
        their order in each epoch. An int gives identical vectors on every CPU fit.
    {pooling_parameters}
    lowercase : bool, default=True
        Convert raw documents to lowercase before tokenizing.
    token_pattern : str or None, default=r"(?u)\\\\b\\\\w\\\\w+\\\\b"
        Regular expression of a token (as in ``CountVectorizer``); used when
        ``tokenizer`` is None.
    tokenizer : callable, default=None
        Function splitting a (preprocessed) string into tokens; overrides
        ``token_pattern``.
    stop_words : {"english"}, list or None, default=None
        Words removed from the tokens (``"english"``: scikit-learn's list). GloVe keeps
        them by default: they carry the syntactic information of the contexts.
    strip_accents : {"ascii", "unicode"} or callable, default=None
        Remove accents during preprocessing, as ``CountVectorizer`` does.
    verbose : int, default=0
        ``1`` prints one line per epoch (loss and time); ``2`` also prints the time of
        the counting and of the preparation of the batches.

    Attributes
    ----------
    wv_ : gensim.models.KeyedVectors
        The learned word vectors ``w + w~``, most frequent words first; each word's
        training count is its ``"count"`` attribute (``wv_.get_vecattr(word, "count")``).
    loss_curve_ : list of float
        Mean weighted squared error per non-zero co-occurrence of each epoch (the
        running loss: each batch measured just before its update).
    n_iter_ : int
        Number of epochs run.
    n_cooccurrences_ : int
        Number of non-zero co-occurrence counts (the training examples).
    {pooling_attributes}

    See Also
    --------
    sktext.Word2VecTransformer : Word2vec vectors, with the same interface.
    sktext.embeddings.cooccurrence_matrix : The co-occurrence counting used by ``fit``.
    sktext.nn.train_glove : The training loop, for use on a co-occurrence matrix.
    sktext.embeddings.evaluate_embeddings : Analogy and word-similarity benchmarks.

    Notes
    -----
    Training follows the reference implementation: vectors and biases initialised
    uniformly in ``[-0.5, 0.5) / vector_size``, AdaGrad with accumulators starting at 1
    that gather the squared gradient of every entry, and the output ``w + w~``. It
    differs in one respect: the reference updates the parameters after every entry
    (Hogwild-style, from several threads), whereas here the entries of a mini-batch are
    computed from the same parameters and their updates are summed, which is what makes
    the sparse-matrix formulation fast on CPU and GPU. The entries are dealt once into
    fixed random batches, visited in a new random order every epoch (``shuffle=False``
    keeps one order, as the reference, which shuffles its entries once and reads them in
    the same order every epoch).

    Memory: the co-occurrence matrix (12 bytes per non-zero entry, freed after fit), the
    batches (about 16 bytes per entry) and four ``(n_words, vector_size + 2)`` float32
    matrices (vectors and AdaGrad accumulators): about 160 MB for 100,000 words of 100
    dimensions.

    References
    ----------
    J. Pennington, R. Socher and C. D. Manning, "GloVe: Global Vectors for Word
    Representation", EMNLP 2014.

    Examples
    --------
    >>> from sktext import GloVeTransformer
    >>> docs = ["the cat sat on the mat", "the dog sat on the log",
    ...         "a cat and a dog", "the mat and the log"] * 25
    >>> glove = GloVeTransformer(vector_size=16, min_count=1, epochs=5, random_state=0)
    >>> X = glove.fit_transform(docs)
    >>> X.shape
    (100, 16)
    >>> sorted(glove.wv_.index_to_key)
    ['and', 'cat', 'dog', 'log', 'mat', 'on', 'sat', 'the']
    >>> int(glove.wv_.get_vecattr("the", "count"))
    150
    >>> len(glove.loss_curve_), glove.loss_curve_[-1] < glove.loss_curve_[0]
    (5, True)
    >>> glove.get_feature_names_out()[:2]
    array(['glovetransformer0', 'glovetransformer1'], dtype=object)
    """

    _parameter_constraints: dict = {
        **BaseEmbeddingTransformer._parameter_constraints,
        "vector_size": [Interval(Integral, 1, None, closed="left")],
        "window": [Interval(Integral, 1, None, closed="left")],
        "min_count": [Interval(Integral, 1, None, closed="left")],
        "max_vocab_size": [Interval(Integral, 1, None, closed="left"), None],
        "x_max": [Interval(Real, 0, None, closed="neither")],
        "alpha": [Interval(Real, 0, None, closed="left")],
        "learning_rate": [Interval(Real, 0, None, closed="neither")],
        "epochs": [Interval(Integral, 1, None, closed="left")],
        "batch_size": [Interval(Integral, 1, None, closed="left")],
        "shuffle": ["boolean"],
        "device": [str, torch.device],
        "random_state": ["random_state"],
        "verbose": ["verbose"],
    }

    def __init__(
        self,
        *,
        vector_size=100,
        window=10,
        min_count=5,
        max_vocab_size=None,
        x_max=10.0,
        alpha=0.75,
        learning_rate=0.05,
        epochs=15,
        batch_size=65536,
        shuffle=True,
        device="cpu",
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
        self.x_max = x_max
        self.alpha = alpha
        self.learning_rate = learning_rate
        self.epochs = epochs
        self.batch_size = batch_size
        self.shuffle = shuffle
        self.device = device
        self.random_state = random_state
        self.pooling = pooling
        self.sif_smoothing = sif_smoothing
        self.lowercase = lowercase
        self.token_pattern = token_pattern
        self.tokenizer = tokenizer
        self.stop_words = stop_words
        self.strip_accents = strip_accents
        self.verbose = verbose

    def _report(self, level, message, *args):
        """``verbose`` output on stdout; the same message goes to the module's logger."""
        logger.debug(message, *args)
        if self.verbose and self.verbose >= level:
            print(f"[{type(self).__name__}] " + message % args, flush=True)

    def _learn_vectors(self, documents):
        name = type(self).__name__
        device = resolve_device(self.device)
        # one seed -> the initialisation, the batches and the order of the batches
        seeds = np.random.default_rng(seed_from_random_state(self.random_state)).integers(
            np.iinfo(np.int32).max, size=3
        )

        start = time.perf_counter()
        cooccurrences = cooccurrence_matrix(
            documents,
            window=self.window,
            min_count=self.min_count,
            max_vocab_size=self.max_vocab_size,
        )
        n_words = len(cooccurrences.words)
        if n_words == 0:
            n_tokens = sum(map(len, documents))
            raise ValueError(
                f"{name} found no word occurring at least min_count={self.min_count} times "
                f"in the {len(documents)} training documents ({n_tokens} tokens); lower "
                "min_count or fit on more text."
            )
        matrix = cooccurrences.matrix
        if matrix.nnz == 0:
            raise ValueError(
                f"{name} found no two vocabulary words within window={self.window} of each "
                f"other in the {len(documents)} training documents: there is nothing to "
                "learn from. Fit on longer documents or lower min_count."
            )
        self._report(
            2,
            "counted %d non-zero co-occurrences of %d words in %.2f s",
            matrix.nnz,
            n_words,
            time.perf_counter() - start,
        )

        start = time.perf_counter()
        batches = CooccurrenceBatches(matrix, batch_size=self.batch_size, seed=int(seeds[1]))
        n_cooccurrences = int(matrix.nnz)
        words, counts = cooccurrences.words, cooccurrences.counts
        del matrix, cooccurrences  # the batches hold the entries now
        self._report(
            2, "dealt them into %d batches in %.2f s", len(batches), time.perf_counter() - start
        )

        model = GloVe(n_words=n_words, vector_size=self.vector_size).to(device)
        model.requires_grad_(False)  # trained by train_glove's sparse AdaGrad, not autograd
        generator = torch.Generator(device=device).manual_seed(int(seeds[0]))
        model.reset_parameters(generator)

        def report_epoch(epoch, loss, seconds):
            self._report(1, "epoch %d/%d: loss %.6f, %.2f s", epoch, self.epochs, loss, seconds)

        loss_curve = train_glove(
            model,
            batches,
            epochs=self.epochs,
            learning_rate=self.learning_rate,
            x_max=self.x_max,
            alpha=self.alpha,
            seed=int(seeds[2]),
            shuffle=self.shuffle,
            callback=report_epoch,
        )
        vectors = model.embeddings().cpu().numpy()
        if not np.all(np.isfinite(vectors)):
            raise FloatingPointError(
                f"{name}'s training diverged (non-finite vectors); lower learning_rate or "
                "batch_size."
            )
        wv = KeyedVectors(self.vector_size, dtype=np.float32)
        wv.add_vectors(words, vectors)
        wv.allocate_vecattrs(attrs=["count"], types=[np.int64])
        wv.expandos["count"][:] = counts
        return wv, {
            "n_cooccurrences_": n_cooccurrences,
            "loss_curve_": loss_curve,
            "n_iter_": self.epochs,
        }

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        # CUDA's sparse kernels may sum in a different order from run to run
        tags.non_deterministic = str(self.device) != "cpu"
        return tags
