"""LSTMClassifier: a recurrent network (LSTM or GRU) on raw text."""

from numbers import Integral, Real

import torch

from ..nn import TextRNN
from ..preprocessing._tokenizer import (
    DEFAULT_TOKEN_PATTERN,
    TOKENIZER_PARAMETER_CONSTRAINTS,
    TokenizerMixin,
)
from ..utils._sklearn_compat import Interval, StrOptions
from ._base import BaseNeuralNetwork, DocumentVectorsMixin
from ._sequence_base import VECTORIZER_PARAMETER_CONSTRAINTS, SequenceClassifierMixin
from ._tasks import NeuralClassifierMixin, NeuralRegressorMixin
from ._training import GradientNormClipping

__all__ = ["LSTMClassifier", "LSTMRegressor"]


class _LSTMBase(DocumentVectorsMixin, SequenceClassifierMixin, TokenizerMixin, BaseNeuralNetwork):
    """The model hooks shared by :class:`LSTMClassifier` and :class:`LSTMRegressor`."""

    _parameter_constraints: dict = {
        **BaseNeuralNetwork._parameter_constraints,
        **TOKENIZER_PARAMETER_CONSTRAINTS,
        **VECTORIZER_PARAMETER_CONSTRAINTS,
        "cell": [StrOptions({"lstm", "gru"})],
        "hidden_size": [Interval(Integral, 1, None, closed="left")],
        "num_layers": [Interval(Integral, 1, None, closed="left")],
        "bidirectional": ["boolean"],
        "pooling": [StrOptions({"last", "max", "mean", "attention"})],
        "attention_size": [Interval(Integral, 1, None, closed="left")],
        "embedding_dim": [Interval(Integral, 1, None, closed="left")],
        "word_dropout": [Interval(Real, 0, 1, closed="left")],
        "embeddings": "no_validation",  # checked by check_embeddings_param
        "embedding_mode": [StrOptions({"non-static", "static"})],
        "embedding_dropout": [Interval(Real, 0, 1, closed="left")],
        "layer_dropout": [Interval(Real, 0, 1, closed="left")],
        "clip_grad_norm": [Interval(Real, 0, None, closed="left"), None],
    }

    # ------------------------------------------------------------------ hooks
    def _check_model_params(self):
        self._check_embedding_params()

    def _batch_maker(self, X):
        sequences = X.sequences

        def make_batch(rows):
            # (batch, longest document in the batch)
            return torch.from_numpy(sequences.pad(rows))

        return self._with_unseen_vectors(make_batch, X)

    def _build_module_params(self, X):
        mode, matrix = self._initial_embeddings(X)
        return TextRNN, dict(
            vocab_size=self._n_embedding_ids(),  # the words, padding and unknown
            embedding_dim=self.embedding_dim,
            n_outputs=self._n_module_outputs(),
            cell=self.cell,
            hidden_size=self.hidden_size,
            num_layers=self.num_layers,
            bidirectional=self.bidirectional,
            pooling=self.pooling,
            attention_size=self.attention_size,
            embedding_dropout=self.embedding_dropout,
            layer_dropout=self.layer_dropout,
            dropout=self.dropout,
            word_dropout=self.word_dropout,
            mode=mode,
            embeddings=matrix,
            sparse=self._sparse_embedding(mode),
        )

    def _callbacks(self, n_train):
        callbacks = super()._callbacks(n_train)
        if self.clip_grad_norm:
            callbacks.insert(0, ("clip_grad_norm", GradientNormClipping(self.clip_grad_norm)))
        return callbacks


class LSTMClassifier(NeuralClassifierMixin, _LSTMBase):
    """Recurrent neural network (LSTM or GRU) for text classification, on raw text.

    ``fit`` takes raw documents: a :class:`~sktext.preprocessing.SequenceVectorizer`
    (``vectorizer_``) learns the vocabulary and turns them into id sequences, then a
    :class:`~sktext.nn.TextRNN` is trained on them: word embeddings, dropout, one or
    more (``num_layers``) LSTM or GRU layers reading the documents in one or both
    directions, a pooling of the step outputs into one vector per document
    (``pooling``), dropout and a softmax output layer. Gradients are clipped to a global
    norm (``clip_grad_norm``) against exploding gradients.

    Padded positions never enter a document's result: the recurrent layers read each
    document's tokens before its padding (the backward direction reads it reversed within
    its length) and the poolings are masked, so a document's prediction does not depend
    on the batch it is in. Training and prediction cost time linear in the documents'
    lengths. Batches hold documents of similar length, each padded to its own longest document
    (length bucketing), within a budget of padded positions: at most ``batch_size``
    documents and ``batch_size * L`` positions in training, ``L`` the 99th percentile of
    the training documents' lengths; in prediction, up to 512 documents and twice as
    many positions. Ordinary batches stay
    full; the few much longer documents come in smaller batches (one alone if need be),
    so one outlier document does not multiply the memory of its batch.

    Word vectors can start from pretrained ones (``embeddings``): fine-tuned
    (``embedding_mode="non-static"``) or frozen (``"static"``). Without them they start
    at random and are trained.

    Training uses scikit-learn's parameter names (as in
    :class:`sklearn.neural_network.MLPClassifier`). By default it holds out 10% of the
    training data and stops when the accuracy on it has not improved for 3 epochs,
    restoring the best epoch's weights.

    Parameters
    ----------
    cell : {"lstm", "gru"}, default="lstm"
        Recurrent cell.
    hidden_size : int, default=128
        Hidden units per direction and layer.
    num_layers : int, default=1
        Stacked recurrent layers.
    bidirectional : bool, default=True
        Read the documents in both directions.
    pooling : {"max", "mean", "last", "attention"}, default="max"
        How the step outputs become one document vector: element-wise max or mean over
        the real steps, the final state of each direction (``"last"``: after the last
        real token forwards, after the first one backwards), or additive attention over
        the steps (Yang et al., 2016, without the sentence level).
    attention_size : int, default=100
        Size of the attention's hidden layer (``pooling="attention"`` only).
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
    embedding_mode : {"non-static", "static"}, default="non-static"
        What happens to pretrained vectors: fine-tuned or frozen. ``"static"`` needs
        ``embeddings``.
    embedding_dropout : float, default=0.0
        Dropout on the word vectors.
    layer_dropout : float, default=0.0
        Dropout between stacked recurrent layers (``num_layers > 1`` only).
    dropout : float, default=0.5
        Dropout on the pooled document vector.
    word_dropout : float, default=0.05
        In training, the probability that a word is replaced by the unknown-word id, so
        that the network learns what the unknown-word vector means: words never seen in
        training are read as that id at prediction time. At 0 its vector stays random
        and untrained, and test documents holding unseen words get arbitrary shifts
        (on Rotten Tomatoes, where 47% of test snippets hold such a word, validation
        accuracy drops by 1 to 2.5 points on average, 4 for an unlucky seed: see the user
        guide). No effect at prediction time.
    clip_grad_norm : float or None, default=5.0
        Largest global L2 norm of the gradients at each step (larger ones are rescaled);
        ``None`` or ``0`` disables clipping.
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
        Documents per batch; ``"auto"`` is ``min(200, n_samples)``.
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
        The skorch net; ``module_`` is its :class:`~sktext.nn.TextRNN` and ``history_``
        its History.

    See Also
    --------
    sktext.nn.TextRNN : The torch module.
    sktext.TextCNNClassifier : Kim's convolutional network, with the same input and
        embedding options.
    sktext.preprocessing.SequenceVectorizer : Texts to id sequences.

    Notes
    -----
    Empty documents and documents made only of words outside the vocabulary are valid
    input: an empty document is read as a single padding token (a zero vector).

    With fastText ``embeddings`` (a :class:`~sktext.FastTextTransformer`, fitted or not,
    a gensim ``FastText`` model or its ``FastTextKeyedVectors``), a word unseen in
    training is read at prediction time as its fastText vector, the mean of the vectors
    of its character n-grams, instead of the unknown-word id; vocabulary words outside
    the fastText vocabulary start from that vector as well. With ``"non-static"`` the
    unseen words' vectors are the original fastText ones, not fine-tuned with the known
    words. Keeping them costs
    ``(n_fasttext_words + bucket) * dim`` float32 values in ``subword_vectors_`` (80 MB
    for 200,000 buckets of 100 dimensions), in memory and in saved models.

    References
    ----------
    S. Hochreiter and J. Schmidhuber, "Long Short-Term Memory", Neural Computation 1997.
    K. Cho et al., "Learning Phrase Representations using RNN Encoder-Decoder for
    Statistical Machine Translation", EMNLP 2014.
    Z. Yang et al., "Hierarchical Attention Networks for Document Classification",
    NAACL 2016.

    Examples
    --------
    >>> from sktext import LSTMClassifier
    >>> texts = ["a great film", "what a waste of time", "great acting", "boring, slow"] * 25
    >>> labels = ["pos", "neg", "pos", "neg"] * 25
    >>> clf = LSTMClassifier(hidden_size=8, embedding_dim=16, learning_rate_init=0.01,
    ...                      max_iter=10, early_stopping=False, random_state=0)
    >>> clf.fit(texts, labels).predict(["great film", "so boring, slow"]).tolist()
    ['pos', 'neg']
    """

    def __init__(
        self,
        *,
        cell="lstm",
        hidden_size=128,
        num_layers=1,
        bidirectional=True,
        pooling="max",
        attention_size=100,
        embedding_dim=128,
        embeddings=None,
        embedding_mode="non-static",
        embedding_dropout=0.0,
        layer_dropout=0.0,
        dropout=0.5,
        word_dropout=0.05,
        clip_grad_norm=5.0,
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
        self.cell = cell
        self.hidden_size = hidden_size
        self.num_layers = num_layers
        self.bidirectional = bidirectional
        self.pooling = pooling
        self.attention_size = attention_size
        self.embedding_dim = embedding_dim
        self.embeddings = embeddings
        self.embedding_mode = embedding_mode
        self.embedding_dropout = embedding_dropout
        self.layer_dropout = layer_dropout
        self.dropout = dropout
        self.word_dropout = word_dropout
        self.clip_grad_norm = clip_grad_norm
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


class LSTMRegressor(NeuralRegressorMixin, _LSTMBase):
    """Recurrent neural network (LSTM or GRU) for text regression, on raw text.

    The regressor counterpart of :class:`LSTMClassifier`: the same network, training machinery
    and parameters, with a linear output layer for numeric targets (a 1-d ``y``, or a 2-d
    ``y`` with one column per output). The network is trained on standardized targets
    (``(y - target_mean_) / target_scale_``, per output) with half the squared error as
    loss, and ``predict`` maps its outputs back, so targets on any scale (ratings,
    prices, years) train with the default learning rate; ``loss_curve_`` is in
    standardized units. ``early_stopping`` follows the validation R².

    ``fit`` takes raw documents: a :class:`~sktext.preprocessing.SequenceVectorizer`
    (``vectorizer_``) learns the vocabulary and turns them into id sequences, then a
    :class:`~sktext.nn.TextRNN` is trained on them: word embeddings, dropout, one or
    more (``num_layers``) LSTM or GRU layers reading the documents in one or both
    directions, a pooling of the step outputs into one vector per document
    (``pooling``), dropout and an output layer. Gradients are clipped to a global
    norm (``clip_grad_norm``) against exploding gradients.

    Padded positions never enter a document's result: the recurrent layers read each
    document's tokens before its padding (the backward direction reads it reversed within
    its length) and the poolings are masked, so a document's prediction does not depend
    on the batch it is in. Training and prediction cost time linear in the documents'
    lengths. Batches hold documents of similar length, each padded to its own longest document
    (length bucketing), within a budget of padded positions: at most ``batch_size``
    documents and ``batch_size * L`` positions in training, ``L`` the 99th percentile of
    the training documents' lengths; in prediction, up to 512 documents and twice as
    many positions. Ordinary batches stay
    full; the few much longer documents come in smaller batches (one alone if need be),
    so one outlier document does not multiply the memory of its batch.

    Word vectors can start from pretrained ones (``embeddings``): fine-tuned
    (``embedding_mode="non-static"``) or frozen (``"static"``). Without them they start
    at random and are trained.

    Training uses scikit-learn's parameter names (as in
    :class:`sklearn.neural_network.MLPClassifier`). By default it holds out 10% of the
    training data and stops when the R² on it has not improved for 3 epochs,
    restoring the best epoch's weights.

    Parameters
    ----------
    cell : {"lstm", "gru"}, default="lstm"
        Recurrent cell.
    hidden_size : int, default=128
        Hidden units per direction and layer.
    num_layers : int, default=1
        Stacked recurrent layers.
    bidirectional : bool, default=True
        Read the documents in both directions.
    pooling : {"max", "mean", "last", "attention"}, default="max"
        How the step outputs become one document vector: element-wise max or mean over
        the real steps, the final state of each direction (``"last"``: after the last
        real token forwards, after the first one backwards), or additive attention over
        the steps (Yang et al., 2016, without the sentence level).
    attention_size : int, default=100
        Size of the attention's hidden layer (``pooling="attention"`` only).
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
    embedding_mode : {"non-static", "static"}, default="non-static"
        What happens to pretrained vectors: fine-tuned or frozen. ``"static"`` needs
        ``embeddings``.
    embedding_dropout : float, default=0.0
        Dropout on the word vectors.
    layer_dropout : float, default=0.0
        Dropout between stacked recurrent layers (``num_layers > 1`` only).
    dropout : float, default=0.5
        Dropout on the pooled document vector.
    word_dropout : float, default=0.05
        In training, the probability that a word is replaced by the unknown-word id, so
        that the network learns what the unknown-word vector means: words never seen in
        training are read as that id at prediction time. At 0 its vector stays random
        and untrained, and test documents holding unseen words get arbitrary shifts
        (on Rotten Tomatoes, where 47% of test snippets hold such a word, validation
        accuracy drops by 1 to 2.5 points on average, 4 for an unlucky seed: see the user
        guide). No effect at prediction time.
    clip_grad_norm : float or None, default=5.0
        Largest global L2 norm of the gradients at each step (larger ones are rescaled);
        ``None`` or ``0`` disables clipping.
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
        Documents per batch; ``"auto"`` is ``min(200, n_samples)``.
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
        The skorch net; ``module_`` is its :class:`~sktext.nn.TextRNN` and ``history_``
        its History.

    See Also
    --------
    sktext.nn.TextRNN : The torch module.
    sktext.TextCNNClassifier : Kim's convolutional network, with the same input and
        embedding options.
    sktext.preprocessing.SequenceVectorizer : Texts to id sequences.

    Notes
    -----
    Empty documents and documents made only of words outside the vocabulary are valid
    input: an empty document is read as a single padding token (a zero vector).

    With fastText ``embeddings`` (a :class:`~sktext.FastTextTransformer`, fitted or not,
    a gensim ``FastText`` model or its ``FastTextKeyedVectors``), a word unseen in
    training is read at prediction time as its fastText vector, the mean of the vectors
    of its character n-grams, instead of the unknown-word id; vocabulary words outside
    the fastText vocabulary start from that vector as well. With ``"non-static"`` the
    unseen words' vectors are the original fastText ones, not fine-tuned with the known
    words. Keeping them costs
    ``(n_fasttext_words + bucket) * dim`` float32 values in ``subword_vectors_`` (80 MB
    for 200,000 buckets of 100 dimensions), in memory and in saved models.

    References
    ----------
    S. Hochreiter and J. Schmidhuber, "Long Short-Term Memory", Neural Computation 1997.
    K. Cho et al., "Learning Phrase Representations using RNN Encoder-Decoder for
    Statistical Machine Translation", EMNLP 2014.
    Z. Yang et al., "Hierarchical Attention Networks for Document Classification",
    NAACL 2016.

    Examples
    --------
    >>> from sktext import LSTMRegressor
    >>> texts = ["a great film", "what a waste of time", "great acting", "boring, slow"] * 25
    >>> ratings = [4.5, 1.0, 4.0, 1.5] * 25
    >>> reg = LSTMRegressor(hidden_size=8, embedding_dim=16, learning_rate_init=0.01,
    ...                     max_iter=30, early_stopping=False, random_state=0)
    >>> good, bad = reg.fit(texts, ratings).predict(["great film", "so boring, slow"])
    >>> bool(good > 3 > bad)
    True
    """

    _standardize_targets = True

    def __init__(
        self,
        *,
        cell="lstm",
        hidden_size=128,
        num_layers=1,
        bidirectional=True,
        pooling="max",
        attention_size=100,
        embedding_dim=128,
        embeddings=None,
        embedding_mode="non-static",
        embedding_dropout=0.0,
        layer_dropout=0.0,
        dropout=0.5,
        word_dropout=0.05,
        clip_grad_norm=5.0,
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
        self.cell = cell
        self.hidden_size = hidden_size
        self.num_layers = num_layers
        self.bidirectional = bidirectional
        self.pooling = pooling
        self.attention_size = attention_size
        self.embedding_dim = embedding_dim
        self.embeddings = embeddings
        self.embedding_mode = embedding_mode
        self.embedding_dropout = embedding_dropout
        self.layer_dropout = layer_dropout
        self.dropout = dropout
        self.word_dropout = word_dropout
        self.clip_grad_norm = clip_grad_norm
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
