"""TextCNNClassifier: Kim's (2014) convolutional network on raw text."""

from numbers import Integral, Real

import torch
from skorch.callbacks import Callback

from ..nn import TextCNN
from ..preprocessing._tokenizer import (
    DEFAULT_TOKEN_PATTERN,
    TOKENIZER_PARAMETER_CONSTRAINTS,
    TokenizerMixin,
)
from ..utils._sklearn_compat import Interval, StrOptions
from ._base import BaseNeuralNetwork, DocumentVectorsMixin
from ._sequence_base import VECTORIZER_PARAMETER_CONSTRAINTS, SequenceClassifierMixin
from ._tasks import NeuralClassifierMixin, NeuralRegressorMixin

__all__ = ["TextCNNClassifier", "TextCNNRegressor"]


class MaxNormConstraint(Callback):
    """After every training step, cap the L2 norm of each class's output weights (Kim)."""

    def __init__(self, max_norm):
        self.max_norm = max_norm

    def on_batch_end(self, net, training=False, **kwargs):
        if training:
            net.module_.apply_max_norm(self.max_norm)


class _TextCNNBase(
    DocumentVectorsMixin, SequenceClassifierMixin, TokenizerMixin, BaseNeuralNetwork
):
    """The model hooks shared by :class:`TextCNNClassifier` and :class:`TextCNNRegressor`."""

    _parameter_constraints: dict = {
        **BaseNeuralNetwork._parameter_constraints,
        **TOKENIZER_PARAMETER_CONSTRAINTS,
        "filter_sizes": ["array-like", Interval(Integral, 1, None, closed="left")],
        "num_filters": [Interval(Integral, 1, None, closed="left")],
        "embedding_dim": [Interval(Integral, 1, None, closed="left")],
        "word_dropout": [Interval(Real, 0, 1, closed="left")],
        "embeddings": "no_validation",  # checked by check_embeddings_param
        "embedding_mode": [StrOptions({"non-static", "static", "multichannel"})],
        "max_norm": [Interval(Real, 0, None, closed="neither"), None],
        **VECTORIZER_PARAMETER_CONSTRAINTS,
    }

    # ------------------------------------------------------------------ hooks
    def _check_model_params(self):
        self._check_embedding_params()
        self._filter_sizes()

    def _filter_sizes(self):
        sizes = self.filter_sizes
        sizes = tuple(sizes) if hasattr(sizes, "__iter__") else (sizes,)
        if not sizes or any(not isinstance(k, Integral) or k < 1 for k in sizes):
            raise ValueError(
                f"filter_sizes must be positive integers (e.g. (3, 4, 5)); got {sizes!r}."
            )
        return tuple(int(k) for k in sizes)

    def _batch_maker(self, X):
        sequences, widest = X.sequences, max(self._filter_sizes())

        def make_batch(rows):
            # (batch, longest document in the batch, at least the widest filter)
            return torch.from_numpy(sequences.pad(rows, min_length=widest))

        return self._with_unseen_vectors(make_batch, X)

    def _build_module_params(self, X):
        mode, matrix = self._initial_embeddings(X)
        return TextCNN, dict(
            vocab_size=self._n_embedding_ids(),  # the words, padding and unknown
            embedding_dim=self.embedding_dim,
            n_outputs=self._n_module_outputs(),
            filter_sizes=self._filter_sizes(),
            num_filters=self.num_filters,
            dropout=self.dropout,
            word_dropout=self.word_dropout,
            mode=mode,
            embeddings=matrix,
            sparse=self._sparse_embedding(mode),
        )

    def _callbacks(self, n_train):
        callbacks = super()._callbacks(n_train)
        if self.max_norm is not None:
            callbacks.insert(0, ("max_norm", MaxNormConstraint(self.max_norm)))
        return callbacks


class TextCNNClassifier(NeuralClassifierMixin, _TextCNNBase):
    """Convolutional neural network for text classification (Kim, 2014), on raw text.

    ``fit`` takes raw documents: a :class:`~sktext.preprocessing.SequenceVectorizer`
    (``vectorizer_``) learns the vocabulary and turns them into id sequences, then the
    network of Kim (2014) is trained on them: word embeddings, parallel 1-D convolutions of
    several widths, ReLU and max-over-time pooling, dropout and a softmax output layer
    whose weight vectors can be capped in L2 norm. Padding never changes a
    document's prediction.

    Batches hold documents of similar length, each padded to its own longest document
    (length bucketing), within a budget of padded positions: at most ``batch_size``
    documents and ``batch_size * L`` positions in training, ``L`` the 99th percentile of
    the training documents' lengths; in prediction, up to 512 documents and twice as
    many positions. Ordinary batches stay
    full; the few much longer documents come in smaller batches (one alone if need be),
    so one outlier document does not multiply the memory of its batch.

    Word vectors can start from pretrained ones (``embeddings``), in Kim's variants:
    fine-tuned (``embedding_mode="non-static"``), frozen (``"static"``) or both as two
    channels (``"multichannel"``). Without pretrained vectors (``embeddings=None``), they
    start at random and are trained ("CNN-rand").

    Training uses scikit-learn's parameter names (as in
    :class:`sklearn.neural_network.MLPClassifier`). By default it holds out 10% of the
    training data and stops when the accuracy on it has not improved for 3 epochs,
    restoring the best epoch's weights.

    Parameters
    ----------
    filter_sizes : tuple of int, default=(3, 4, 5)
        Widths of the convolution filters, in tokens. Documents shorter than the widest
        filter are padded.
    num_filters : int, default=100
        Feature maps per filter width.
    embedding_dim : int, default=128
        Size of the word vectors when ``embeddings`` is None (otherwise the pretrained
        vectors' size is used).
    embeddings : KeyedVectors, str, path-like, embedding transformer or None, default=None
        Pretrained word vectors: a gensim ``KeyedVectors``, a path to a word2vec (text or
        binary) or GloVe file, or an sktext embedding transformer such as
        :class:`~sktext.embeddings.Word2VecTransformer` (used as it is if fitted; cloned
        and fitted on the training texts if not, keeping its own ``min_count``).
        Vocabulary words without a pretrained vector start from small random vectors
        with the pretrained vectors' variance. Rare words without one are expected
        (word2vec's ``min_count=5``); a ``UserWarning`` is raised when fewer than half of
        the training tokens have a vector (text tokenized differently, or too little
        text for the transformer's ``min_count``).
    embedding_mode : {"non-static", "static", "multichannel"}, default="non-static"
        What happens to pretrained vectors: fine-tuned, frozen, or one frozen and one
        fine-tuned channel. ``"static"`` and ``"multichannel"`` need ``embeddings``.
    max_norm : float or None, default=3.0
        Cap on the L2 norm of each class's output weight vector, enforced after every
        step (Kim's constraint); ``None`` disables it.
    dropout : float, default=0.5
        Dropout probability on the pooled features.
    word_dropout : float, default=0.05
        In training, the probability that a word is replaced by the unknown-word id, so
        that the network learns what the unknown-word vector means: words never seen in
        training are read as that id at prediction time. At 0 its vector stays random
        and untrained, and test documents holding unseen words get arbitrary shifts
        (on Rotten Tomatoes, where 47% of test snippets hold such a word, validation
        accuracy drops by 1 to 2.5 points on average, 4 for an unlucky seed: see the user
        guide). No effect at prediction time.
    lowercase : bool, default=True
        Lowercase the texts before tokenizing.
    token_pattern : str or None, default=r"(?u)\\\\b\\\\w\\\\w+\\\\b"
        Regular expression of a token (as in ``CountVectorizer``).
    tokenizer : callable, default=None
        Overrides the tokenization step.
    stop_words : {"english"}, list or None, default=None
        Tokens to remove.
    strip_accents : {"ascii", "unicode"} or callable, default=None
        Accent removal.
    min_df : int or float, default=1
        Ignore words found in fewer documents (or a smaller share of them). Continued
        training (``warm_start``, ``partial_fit``) adds the new words of its documents
        that pass the current value.
    max_features : int, default=None
        Keep only the most frequent words. Continued training (``warm_start``,
        ``partial_fit``) adds new words up to the current value, and refuses one below
        the size of the fitted vocabulary.
    max_length : int or None, default=2000
        Keep only the first ``max_length`` tokens of each document; longer documents are
        cut to their beginning, with a :class:`~sktext.preprocessing.TruncationWarning`
        giving their share (in ``fit`` and at prediction). The default bounds the memory
        and time a single very long document costs (0.8% of the 20 Newsgroups posts are
        longer); ``None`` reads whole documents. A new value applies to continued
        training (``warm_start``, ``partial_fit``) and to the predictions after it.
    solver : {"adam", "sgd", "lbfgs"}, default="adam"
        Optimizer. ``"adam"`` updates only the embedding rows a batch reads, with the
        trajectory of dense Adam (:class:`~sktext.nn.CatchUpAdam`).
    alpha : float, default=0.0
        L2 penalty (scikit-learn's ``alpha``).
    batch_size : int or "auto", default=50
        Documents per batch (Kim used 50); ``"auto"`` is ``min(200, n_samples)``.
    learning_rate : {"constant", "invscaling", "adaptive"}, default="constant"
        Learning-rate schedule of ``solver="sgd"``.
    learning_rate_init : float, default=0.001
        Initial learning rate.
    power_t : float, default=0.5
        Exponent of the ``"invscaling"`` schedule.
    max_iter : int, default=20
        Maximum number of epochs.
    shuffle : bool, default=True
        Shuffle the training documents (in length buckets) every epoch.
    random_state : int, RandomState instance or None, default=None
        Seeds the weights, the random vectors, shuffling, dropout, the validation split and
        an unfitted embedding transformer whose ``random_state`` is None.
    tol : float, default=1e-4
        Minimum improvement that counts for the stopping rule.
    verbose : bool or int, default=False
        Print the embedding coverage and skorch's table of epochs (``2``: a progress bar).
    warm_start : bool, default=False
        Continue training the previous network (and vocabulary) on the next ``fit``.
    momentum : float, default=0.9
        Momentum of ``"sgd"``.
    nesterovs_momentum : bool, default=True
        Nesterov momentum for ``"sgd"``.
    early_stopping : bool, default=True
        Hold out ``validation_fraction`` of the training data (stratified), stop when its
        accuracy stops improving and keep the best epoch's weights. ``False``: stop on the
        training loss, as scikit-learn's MLP.
    validation_fraction : float, default=0.1
        Share held out for ``early_stopping``.
    beta_1 : float, default=0.9
        Adam's first-moment decay.
    beta_2 : float, default=0.999
        Adam's second-moment decay.
    epsilon : float, default=1e-8
        Adam's numerical-stability term.
    n_iter_no_change : int, default=2
        Training stops after more than this many epochs in a row without ``tol`` improvement.
    max_fun : int, default=15000
        ``"lbfgs"`` only: maximum number of loss evaluations.
    device : {"cpu", "cuda", "auto"} or str, default="cpu"
        Torch device to train and predict on.
    optimizer : torch optimizer class, default=None
        Overrides ``solver``.
    class_weight : dict, "balanced" or None, default=None
        Weights of the classes in the loss.
    callbacks : list of skorch callbacks or (name, callback) tuples, default=None
        Extra skorch callbacks.

    Attributes
    ----------
    vectorizer_ : SequenceVectorizer
        The fitted vectorizer (``vectorizer_.vocabulary_`` is the vocabulary).
    classes_ : ndarray of shape (n_classes,)
        Class labels.
    embedding_coverage_ : float or None
        Share of the vocabulary with a pretrained vector (``None`` without ``embeddings``).
    embedding_token_coverage_ : float or None
        Share of the training tokens whose word has a pretrained vector.
    subword_vectors_ : gensim.models.fasttext.FastTextKeyedVectors or None
        With fastText ``embeddings`` (vectors of character n-grams), the copy of the word
        and n-gram vectors that gives words unseen in training a vector at prediction
        time (see Notes); ``None`` otherwise.
    n_iter_ : int
        Number of epochs run.
    loss_ : float
        Training loss of the last epoch.
    best_loss_ : float or None
        Lowest training loss (``None`` with ``early_stopping``).
    loss_curve_ : list of float
        Mean training loss of each epoch.
    validation_scores_ : list of float or None
        Validation accuracy of each epoch (``early_stopping`` only).
    best_validation_score_ : float or None
        Best validation accuracy (``early_stopping`` only).
    t_ : int
        Number of training samples seen.
    n_outputs_ : int
        Number of classes.
    out_activation_ : str
        ``"softmax"``.
    net_ : skorch.NeuralNetClassifier
        The skorch net; ``module_`` is its :class:`~sktext.nn.TextCNN` and ``history_``
        its History.

    See Also
    --------
    sktext.nn.TextCNN : The torch module.
    sktext.preprocessing.SequenceVectorizer : Texts to id sequences.
    sktext.embeddings.Word2VecTransformer : Word vectors to start from.

    Notes
    -----
    Empty documents and documents made only of words outside the vocabulary are valid
    input: they get the network's output for a document without known words.

    With fastText ``embeddings`` (a :class:`~sktext.FastTextTransformer`, fitted or not,
    a gensim ``FastText`` model or its ``FastTextKeyedVectors``), a word unseen in
    training is read at prediction time as its fastText vector, the mean of the vectors
    of its character n-grams, instead of the unknown-word id; vocabulary words outside
    the fastText vocabulary start from that vector as well. With ``"non-static"`` (and
    the fine-tuned channel of ``"multichannel"``) the unseen words' vectors are the
    original fastText ones, not fine-tuned with the known words. Keeping them costs
    ``(n_fasttext_words + bucket) * dim`` float32 values in ``subword_vectors_`` (80 MB
    for 200,000 buckets of 100 dimensions), in memory and in saved models.

    References
    ----------
    Y. Kim, "Convolutional Neural Networks for Sentence Classification", EMNLP 2014.

    Examples
    --------
    >>> from sktext import TextCNNClassifier
    >>> texts = ["a great film", "what a waste of time", "great acting", "boring, slow"] * 25
    >>> labels = ["pos", "neg", "pos", "neg"] * 25
    >>> clf = TextCNNClassifier(num_filters=8, embedding_dim=16, learning_rate_init=0.01,
    ...                         max_iter=30, early_stopping=False, random_state=0)
    >>> clf.fit(texts, labels).predict(["great film", "so boring, slow"]).tolist()
    ['pos', 'neg']
    """

    def __init__(
        self,
        *,
        filter_sizes=(3, 4, 5),
        num_filters=100,
        embedding_dim=128,
        embeddings=None,
        embedding_mode="non-static",
        max_norm=3.0,
        dropout=0.5,
        word_dropout=0.05,
        lowercase=True,
        token_pattern=DEFAULT_TOKEN_PATTERN,
        tokenizer=None,
        stop_words=None,
        strip_accents=None,
        min_df=1,
        max_features=None,
        max_length=2000,
        solver="adam",
        alpha=0.0,
        batch_size=50,
        learning_rate="constant",
        learning_rate_init=0.001,
        power_t=0.5,
        max_iter=20,
        shuffle=True,
        random_state=None,
        tol=1e-4,
        verbose=False,
        warm_start=False,
        momentum=0.9,
        nesterovs_momentum=True,
        early_stopping=True,
        validation_fraction=0.1,
        beta_1=0.9,
        beta_2=0.999,
        epsilon=1e-8,
        n_iter_no_change=2,
        max_fun=15000,
        device="cpu",
        optimizer=None,
        class_weight=None,
        callbacks=None,
    ):
        self.filter_sizes = filter_sizes
        self.num_filters = num_filters
        self.embedding_dim = embedding_dim
        self.embeddings = embeddings
        self.embedding_mode = embedding_mode
        self.max_norm = max_norm
        self.dropout = dropout
        self.word_dropout = word_dropout
        self.lowercase = lowercase
        self.token_pattern = token_pattern
        self.tokenizer = tokenizer
        self.stop_words = stop_words
        self.strip_accents = strip_accents
        self.min_df = min_df
        self.max_features = max_features
        self.max_length = max_length
        self.solver = solver
        self.alpha = alpha
        self.batch_size = batch_size
        self.learning_rate = learning_rate
        self.learning_rate_init = learning_rate_init
        self.power_t = power_t
        self.max_iter = max_iter
        self.shuffle = shuffle
        self.random_state = random_state
        self.tol = tol
        self.verbose = verbose
        self.warm_start = warm_start
        self.momentum = momentum
        self.nesterovs_momentum = nesterovs_momentum
        self.early_stopping = early_stopping
        self.validation_fraction = validation_fraction
        self.beta_1 = beta_1
        self.beta_2 = beta_2
        self.epsilon = epsilon
        self.n_iter_no_change = n_iter_no_change
        self.max_fun = max_fun
        self.device = device
        self.optimizer = optimizer
        self.class_weight = class_weight
        self.callbacks = callbacks


class TextCNNRegressor(NeuralRegressorMixin, _TextCNNBase):
    """Convolutional neural network for text regression (Kim, 2014), on raw text.

    The regressor counterpart of :class:`TextCNNClassifier`: the same network, training machinery
    and parameters, with a linear output layer for numeric targets (a 1-d ``y``, or a 2-d
    ``y`` with one column per output). The network is trained on standardized targets
    (``(y - target_mean_) / target_scale_``, per output) with half the squared error as
    loss, and ``predict`` maps its outputs back, so targets on any scale (ratings,
    prices, years) train with the default learning rate; ``loss_curve_`` is in
    standardized units. ``early_stopping`` follows the validation R².

    ``fit`` takes raw documents: a :class:`~sktext.preprocessing.SequenceVectorizer`
    (``vectorizer_``) learns the vocabulary and turns them into id sequences, then the
    network of Kim (2014) is trained on them: word embeddings, parallel 1-D convolutions of
    several widths, ReLU and max-over-time pooling, dropout and an output layer
    whose weight vectors can be capped in L2 norm. Padding never changes a
    document's prediction.

    Batches hold documents of similar length, each padded to its own longest document
    (length bucketing), within a budget of padded positions: at most ``batch_size``
    documents and ``batch_size * L`` positions in training, ``L`` the 99th percentile of
    the training documents' lengths; in prediction, up to 512 documents and twice as
    many positions. Ordinary batches stay
    full; the few much longer documents come in smaller batches (one alone if need be),
    so one outlier document does not multiply the memory of its batch.

    Word vectors can start from pretrained ones (``embeddings``), in Kim's variants:
    fine-tuned (``embedding_mode="non-static"``), frozen (``"static"``) or both as two
    channels (``"multichannel"``). Without pretrained vectors (``embeddings=None``), they
    start at random and are trained ("CNN-rand").

    Training uses scikit-learn's parameter names (as in
    :class:`sklearn.neural_network.MLPClassifier`). By default it holds out 10% of the
    training data and stops when the R² on it has not improved for 3 epochs,
    restoring the best epoch's weights.

    Parameters
    ----------
    filter_sizes : tuple of int, default=(3, 4, 5)
        Widths of the convolution filters, in tokens. Documents shorter than the widest
        filter are padded.
    num_filters : int, default=100
        Feature maps per filter width.
    embedding_dim : int, default=128
        Size of the word vectors when ``embeddings`` is None (otherwise the pretrained
        vectors' size is used).
    embeddings : KeyedVectors, str, path-like, embedding transformer or None, default=None
        Pretrained word vectors: a gensim ``KeyedVectors``, a path to a word2vec (text or
        binary) or GloVe file, or an sktext embedding transformer such as
        :class:`~sktext.embeddings.Word2VecTransformer` (used as it is if fitted; cloned
        and fitted on the training texts if not, keeping its own ``min_count``).
        Vocabulary words without a pretrained vector start from small random vectors
        with the pretrained vectors' variance. Rare words without one are expected
        (word2vec's ``min_count=5``); a ``UserWarning`` is raised when fewer than half of
        the training tokens have a vector (text tokenized differently, or too little
        text for the transformer's ``min_count``).
    embedding_mode : {"non-static", "static", "multichannel"}, default="non-static"
        What happens to pretrained vectors: fine-tuned, frozen, or one frozen and one
        fine-tuned channel. ``"static"`` and ``"multichannel"`` need ``embeddings``.
    max_norm : float or None, default=3.0
        Cap on the L2 norm of each output's weight vector, enforced after every
        step (Kim's constraint); ``None`` disables it.
    dropout : float, default=0.5
        Dropout probability on the pooled features.
    word_dropout : float, default=0.05
        In training, the probability that a word is replaced by the unknown-word id, so
        that the network learns what the unknown-word vector means: words never seen in
        training are read as that id at prediction time. At 0 its vector stays random
        and untrained, and test documents holding unseen words get arbitrary shifts
        (on Rotten Tomatoes, where 47% of test snippets hold such a word, validation
        accuracy drops by 1 to 2.5 points on average, 4 for an unlucky seed: see the user
        guide). No effect at prediction time.
    lowercase : bool, default=True
        Lowercase the texts before tokenizing.
    token_pattern : str or None, default=r"(?u)\\b\\w\\w+\\b"
        Regular expression of a token (as in ``CountVectorizer``).
    tokenizer : callable, default=None
        Overrides the tokenization step.
    stop_words : {"english"}, list or None, default=None
        Tokens to remove.
    strip_accents : {"ascii", "unicode"} or callable, default=None
        Accent removal.
    min_df : int or float, default=1
        Ignore words found in fewer documents (or a smaller share of them). Continued
        training (``warm_start``, ``partial_fit``) adds the new words of its documents
        that pass the current value.
    max_features : int, default=None
        Keep only the most frequent words. Continued training (``warm_start``,
        ``partial_fit``) adds new words up to the current value, and refuses one below
        the size of the fitted vocabulary.
    max_length : int or None, default=2000
        Keep only the first ``max_length`` tokens of each document; longer documents are
        cut to their beginning, with a :class:`~sktext.preprocessing.TruncationWarning`
        giving their share (in ``fit`` and at prediction). The default bounds the memory
        and time a single very long document costs (0.8% of the 20 Newsgroups posts are
        longer); ``None`` reads whole documents. A new value applies to continued
        training (``warm_start``, ``partial_fit``) and to the predictions after it.
    solver : {"adam", "sgd", "lbfgs"}, default="adam"
        Optimizer. ``"adam"`` updates only the embedding rows a batch reads, with the
        trajectory of dense Adam (:class:`~sktext.nn.CatchUpAdam`).
    alpha : float, default=0.0
        L2 penalty (scikit-learn's ``alpha``).
    batch_size : int or "auto", default=50
        Documents per batch (Kim used 50); ``"auto"`` is ``min(200, n_samples)``.
    learning_rate : {"constant", "invscaling", "adaptive"}, default="constant"
        Learning-rate schedule of ``solver="sgd"``.
    learning_rate_init : float, default=0.001
        Initial learning rate.
    power_t : float, default=0.5
        Exponent of the ``"invscaling"`` schedule.
    max_iter : int, default=20
        Maximum number of epochs.
    shuffle : bool, default=True
        Shuffle the training documents (in length buckets) every epoch.
    random_state : int, RandomState instance or None, default=None
        Seeds the weights, the random vectors, shuffling, dropout, the validation split and
        an unfitted embedding transformer whose ``random_state`` is None.
    tol : float, default=1e-4
        Minimum improvement that counts for the stopping rule.
    verbose : bool or int, default=False
        Print the embedding coverage and skorch's table of epochs (``2``: a progress bar).
    warm_start : bool, default=False
        Continue training the previous network (and vocabulary) on the next ``fit``.
    momentum : float, default=0.9
        Momentum of ``"sgd"``.
    nesterovs_momentum : bool, default=True
        Nesterov momentum for ``"sgd"``.
    early_stopping : bool, default=True
        Hold out ``validation_fraction`` of the training data, stop when its
        R² stops improving and keep the best epoch's weights. ``False``: stop on the
        training loss, as scikit-learn's MLP.
    validation_fraction : float, default=0.1
        Share held out for ``early_stopping``.
    beta_1 : float, default=0.9
        Adam's first-moment decay.
    beta_2 : float, default=0.999
        Adam's second-moment decay.
    epsilon : float, default=1e-8
        Adam's numerical-stability term.
    n_iter_no_change : int, default=2
        Training stops after more than this many epochs in a row without ``tol`` improvement.
    max_fun : int, default=15000
        ``"lbfgs"`` only: maximum number of loss evaluations.
    device : {"cpu", "cuda", "auto"} or str, default="cpu"
        Torch device to train and predict on.
    optimizer : torch optimizer class, default=None
        Overrides ``solver``.
    callbacks : list of skorch callbacks or (name, callback) tuples, default=None
        Extra skorch callbacks.

    Attributes
    ----------
    vectorizer_ : SequenceVectorizer
        The fitted vectorizer (``vectorizer_.vocabulary_`` is the vocabulary).
    embedding_coverage_ : float or None
        Share of the vocabulary with a pretrained vector (``None`` without ``embeddings``).
    embedding_token_coverage_ : float or None
        Share of the training tokens whose word has a pretrained vector.
    subword_vectors_ : gensim.models.fasttext.FastTextKeyedVectors or None
        With fastText ``embeddings`` (vectors of character n-grams), the copy of the word
        and n-gram vectors that gives words unseen in training a vector at prediction
        time (see Notes); ``None`` otherwise.
    n_iter_ : int
        Number of epochs run.
    loss_ : float
        Training loss of the last epoch.
    best_loss_ : float or None
        Lowest training loss (``None`` with ``early_stopping``).
    loss_curve_ : list of float
        Mean training loss of each epoch.
    validation_scores_ : list of float or None
        Validation R² of each epoch (``early_stopping`` only).
    best_validation_score_ : float or None
        Best validation R² (``early_stopping`` only).
    t_ : int
        Number of training samples seen.
    n_outputs_ : int
        Number of outputs (columns of ``y``).
    target_mean_ : ndarray of shape (n_outputs_,)
        Mean of each target column in the first fit.
    target_scale_ : ndarray of shape (n_outputs_,)
        Standard deviation of each target column (1 where it is 0).
    out_activation_ : str
        ``"identity"``.
    net_ : skorch.NeuralNetClassifier
        The skorch net; ``module_`` is its :class:`~sktext.nn.TextCNN` and ``history_``
        its History.

    See Also
    --------
    sktext.nn.TextCNN : The torch module.
    sktext.preprocessing.SequenceVectorizer : Texts to id sequences.
    sktext.embeddings.Word2VecTransformer : Word vectors to start from.

    Notes
    -----
    Empty documents and documents made only of words outside the vocabulary are valid
    input: they get the network's output for a document without known words.

    With fastText ``embeddings`` (a :class:`~sktext.FastTextTransformer`, fitted or not,
    a gensim ``FastText`` model or its ``FastTextKeyedVectors``), a word unseen in
    training is read at prediction time as its fastText vector, the mean of the vectors
    of its character n-grams, instead of the unknown-word id; vocabulary words outside
    the fastText vocabulary start from that vector as well. With ``"non-static"`` (and
    the fine-tuned channel of ``"multichannel"``) the unseen words' vectors are the
    original fastText ones, not fine-tuned with the known words. Keeping them costs
    ``(n_fasttext_words + bucket) * dim`` float32 values in ``subword_vectors_`` (80 MB
    for 200,000 buckets of 100 dimensions), in memory and in saved models.

    References
    ----------
    Y. Kim, "Convolutional Neural Networks for Sentence Classification", EMNLP 2014.

    Examples
    --------
    >>> from sktext import TextCNNRegressor
    >>> texts = ["a great film", "what a waste of time", "great acting", "boring, slow"] * 25
    >>> ratings = [4.5, 1.0, 4.0, 1.5] * 25
    >>> reg = TextCNNRegressor(num_filters=8, embedding_dim=16, learning_rate_init=0.01,
    ...                        max_iter=30, early_stopping=False, random_state=0)
    >>> good, bad = reg.fit(texts, ratings).predict(["great film", "so boring, slow"])
    >>> bool(good > 3 > bad)
    True
    """

    _standardize_targets = True

    def __init__(
        self,
        *,
        filter_sizes=(3, 4, 5),
        num_filters=100,
        embedding_dim=128,
        embeddings=None,
        embedding_mode="non-static",
        max_norm=3.0,
        dropout=0.5,
        word_dropout=0.05,
        lowercase=True,
        token_pattern=DEFAULT_TOKEN_PATTERN,
        tokenizer=None,
        stop_words=None,
        strip_accents=None,
        min_df=1,
        max_features=None,
        max_length=2000,
        solver="adam",
        alpha=0.0,
        batch_size=50,
        learning_rate="constant",
        learning_rate_init=0.001,
        power_t=0.5,
        max_iter=20,
        shuffle=True,
        random_state=None,
        tol=1e-4,
        verbose=False,
        warm_start=False,
        momentum=0.9,
        nesterovs_momentum=True,
        early_stopping=True,
        validation_fraction=0.1,
        beta_1=0.9,
        beta_2=0.999,
        epsilon=1e-8,
        n_iter_no_change=2,
        max_fun=15000,
        device="cpu",
        optimizer=None,
        callbacks=None,
    ):
        self.filter_sizes = filter_sizes
        self.num_filters = num_filters
        self.embedding_dim = embedding_dim
        self.embeddings = embeddings
        self.embedding_mode = embedding_mode
        self.max_norm = max_norm
        self.dropout = dropout
        self.word_dropout = word_dropout
        self.lowercase = lowercase
        self.token_pattern = token_pattern
        self.tokenizer = tokenizer
        self.stop_words = stop_words
        self.strip_accents = strip_accents
        self.min_df = min_df
        self.max_features = max_features
        self.max_length = max_length
        self.solver = solver
        self.alpha = alpha
        self.batch_size = batch_size
        self.learning_rate = learning_rate
        self.learning_rate_init = learning_rate_init
        self.power_t = power_t
        self.max_iter = max_iter
        self.shuffle = shuffle
        self.random_state = random_state
        self.tol = tol
        self.verbose = verbose
        self.warm_start = warm_start
        self.momentum = momentum
        self.nesterovs_momentum = nesterovs_momentum
        self.early_stopping = early_stopping
        self.validation_fraction = validation_fraction
        self.beta_1 = beta_1
        self.beta_2 = beta_2
        self.epsilon = epsilon
        self.n_iter_no_change = n_iter_no_change
        self.max_fun = max_fun
        self.device = device
        self.optimizer = optimizer
        self.callbacks = callbacks
