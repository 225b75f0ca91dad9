"""TextCNNClassifier: Kim's (2014) convolutional network on raw text."""

from numbers import Integral, Real

import torch

from ..nn import TextCNN
from ..preprocessing._tokenizer import DEFAULT_TOKEN_PATTERN
from ..utils._docstrings import fill_doc
from ..utils._sklearn_compat import Interval, StrOptions
from ._callbacks import MaxNormConstraint
from ._sequence_base import PretrainedEmbeddingsMixin, TextSequenceBase
from ._tabular import TabularInputMixin
from ._tasks import NeuralClassifierMixin, NeuralRegressorMixin

__all__ = ["TextCNNClassifier", "TextCNNRegressor"]


class _TextCNNBase(PretrainedEmbeddingsMixin, TextSequenceBase):
    """The model hooks shared by :class:`TextCNNClassifier` and :class:`TextCNNRegressor`."""

    _parameter_constraints: dict = {
        "filter_sizes": ["array-like", Interval(Integral, 1, None, closed="left")],
        "num_filters": [Interval(Integral, 1, None, closed="left")],
        "dropout": [Interval(Real, 0, 1, closed="left")],
        "word_dropout": [Interval(Real, 0, 1, closed="left")],
        "embedding_mode": [StrOptions({"non-static", "static", "multichannel"})],
        "max_norm": [Interval(Real, 0, None, closed="neither"), None],
    }
    _continuable = frozenset({"max_norm"})
    _dropout_rates = ("dropout", "word_dropout")

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

    def _model_callbacks(self):
        if self.max_norm is None:
            return []
        return [("max_norm", MaxNormConstraint(self.max_norm))]


@fill_doc
class TextCNNClassifier(NeuralClassifierMixin, TabularInputMixin, _TextCNNBase):
    """Convolutional neural network for text classification (Kim, 2014), on raw text.

    {textcnn_description}

    Parameters
    ----------
    {textcnn_parameters}
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
    {textcnn_see_also}

    Notes
    -----
    {textcnn_notes}

    References
    ----------
    {textcnn_references}

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
class TextCNNRegressor(NeuralRegressorMixin, TabularInputMixin, _TextCNNBase):
    """Convolutional neural network for text regression (Kim, 2014), on raw text.

    The regressor counterpart of :class:`TextCNNClassifier`:
    {regressor_counterpart}

    {textcnn_description}

    Parameters
    ----------
    {textcnn_parameters}
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
    {textcnn_see_also}

    Notes
    -----
    {textcnn_notes}

    References
    ----------
    {textcnn_references}

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
        data_parallel=None,
        optimizer=None,
        callbacks=None,
        text_columns=None,
        tabular="auto",
        fusion="concat",
        tabular_hidden=64,
        modality_dropout=0.5,
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
        self.data_parallel = data_parallel
        self.optimizer = optimizer
        self.callbacks = callbacks
        self.text_columns = text_columns
        self.tabular = tabular
        self.fusion = fusion
        self.tabular_hidden = tabular_hidden
        self.modality_dropout = modality_dropout
