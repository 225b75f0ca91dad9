"""LSTMClassifier: a recurrent network (LSTM or GRU) on raw text."""

from numbers import Integral, Real

import torch

from ..nn import TextRNN
from ..preprocessing._tokenizer import DEFAULT_TOKEN_PATTERN
from ..utils._docstrings import fill_doc
from ..utils._sklearn_compat import Interval, StrOptions
from ._callbacks import GradientNormClipping
from ._sequence_base import PretrainedEmbeddingsMixin, TextSequenceBase
from ._tabular import TabularInputMixin
from ._tasks import NeuralClassifierMixin, NeuralRegressorMixin

__all__ = ["LSTMClassifier", "LSTMRegressor"]


class _LSTMBase(PretrainedEmbeddingsMixin, TextSequenceBase):
    """The model hooks shared by :class:`LSTMClassifier` and :class:`LSTMRegressor`."""

    _parameter_constraints: dict = {
        "cell": [StrOptions({"lstm", "gru"})],
        "hidden_size": [Interval(Integral, 1, None, closed="left")],
        "num_layers": [Interval(Integral, 1, None, closed="left")],
        "bidirectional": ["boolean"],
        "pooling": [StrOptions({"last", "max", "mean", "attention"})],
        "attention_size": [Interval(Integral, 1, None, closed="left")],
        "dropout": [Interval(Real, 0, 1, closed="left")],
        "word_dropout": [Interval(Real, 0, 1, closed="left")],
        "embedding_mode": [StrOptions({"non-static", "static"})],
        "embedding_dropout": [Interval(Real, 0, 1, closed="left")],
        "layer_dropout": [Interval(Real, 0, 1, closed="left")],
        "clip_grad_norm": [Interval(Real, 0, None, closed="left"), None],
    }
    _continuable = frozenset({"clip_grad_norm"})
    _dropout_rates = ("dropout", "embedding_dropout", "word_dropout")

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

    def _model_callbacks(self):
        if not self.clip_grad_norm:
            return []
        return [("clip_grad_norm", GradientNormClipping(self.clip_grad_norm))]


@fill_doc
class LSTMClassifier(NeuralClassifierMixin, TabularInputMixin, _LSTMBase):
    """Recurrent neural network (LSTM or GRU) for text classification, on raw text.

    {lstm_description}

    Parameters
    ----------
    {lstm_parameters}
    {tokenizer_parameters}
    {training_parameters}
    {tabular_parameters}

    Attributes
    ----------
    {vectorizer_attributes}
    {tabular_attributes}
    {embedding_attributes}
    {training_attributes}

    See Also
    --------
    {lstm_see_also}

    Notes
    -----
    {lstm_notes}

    References
    ----------
    {lstm_references}

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
        data_parallel=None,
        optimizer=None,
        class_weight=None,
        callbacks=None,
        text_columns=None,
        tabular="auto",
        fusion="gate",
        tabular_hidden=64,
        modality_dropout=0.5,
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
        self.data_parallel = data_parallel
        self.optimizer = optimizer
        self.class_weight = class_weight
        self.callbacks = callbacks
        self.text_columns = text_columns
        self.tabular = tabular
        self.fusion = fusion
        self.tabular_hidden = tabular_hidden
        self.modality_dropout = modality_dropout


@fill_doc
class LSTMRegressor(NeuralRegressorMixin, TabularInputMixin, _LSTMBase):
    """Recurrent neural network (LSTM or GRU) for text regression, on raw text.

    The regressor counterpart of :class:`LSTMClassifier`:
    {regressor_counterpart}

    {lstm_description}

    Parameters
    ----------
    {lstm_parameters}
    {tokenizer_parameters}
    {training_parameters}
    {tabular_parameters}

    Attributes
    ----------
    {vectorizer_attributes}
    {tabular_attributes}
    {embedding_attributes}
    {training_attributes}
    {target_scaling_attributes}

    See Also
    --------
    {lstm_see_also}

    Notes
    -----
    {lstm_notes}

    References
    ----------
    {lstm_references}

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
        data_parallel=None,
        optimizer=None,
        callbacks=None,
        text_columns=None,
        tabular="auto",
        fusion="concat",
        tabular_hidden=64,
        modality_dropout=0.5,
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
        self.data_parallel = data_parallel
        self.optimizer = optimizer
        self.callbacks = callbacks
        self.text_columns = text_columns
        self.tabular = tabular
        self.fusion = fusion
        self.tabular_hidden = tabular_hidden
        self.modality_dropout = modality_dropout
