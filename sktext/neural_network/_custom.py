"""Your own torch module on raw text: NeuralTextClassifier and NeuralTextRegressor.

The estimators of this module train a user-supplied :class:`torch.nn.Module` with the
whole machinery of sktext's text models; the module is given as a class plus a dict of
keyword arguments (``module``, ``module_params``), so that the estimator clones, pickles
and grid-searches like any other (``module_params`` can be searched, e.g.
``{"module_params": [{"hidden": 32}, {"hidden": 64}]}``).
"""

import inspect

import torch
from torch import nn

from ..preprocessing._sequences import PADDING_ID
from ..preprocessing._tokenizer import DEFAULT_TOKEN_PATTERN
from ..utils._docstrings import fill_doc
from ._sequence_base import TextSequenceBase
from ._tabular import TabularInputMixin
from ._tasks import NeuralClassifierMixin, NeuralRegressorMixin

__all__ = ["MeanEmbeddingModule", "NeuralTextClassifier", "NeuralTextRegressor"]


class MeanEmbeddingModule(nn.Module):
    """A small example module: the mean of a document's word vectors, then a linear layer.

    It follows the protocol of :class:`NeuralTextClassifier`: built with ``vocab_size``,
    ``n_outputs`` and ``padding_idx`` (plus its own ``embedding_dim``), called with
    ``(ids, lengths)``, and ``encode`` gives the document vectors.

    Parameters
    ----------
    vocab_size : int
        Number of ids (vocabulary, padding and unknown).
    n_outputs : int
        Number of outputs.
    padding_idx : int
        Id of padded positions.
    embedding_dim : int, default=32
        Size of the word vectors.
    """

    def __init__(self, vocab_size, n_outputs, padding_idx, embedding_dim=32):
        super().__init__()
        self.embedding = nn.Embedding(vocab_size, embedding_dim, padding_idx=padding_idx)
        self.output = nn.Linear(embedding_dim, n_outputs)

    def encode(self, ids, lengths):
        """Mean of the word vectors of each document (zeros for an empty one)."""
        summed = self.embedding(ids).sum(dim=1)  # padding vectors are zero
        return summed / lengths.clamp_min(1).unsqueeze(1).to(summed.dtype)

    def forward(self, ids, lengths):
        return self.output(self.encode(ids, lengths))


class _CustomModuleBase(TextSequenceBase):
    """The hooks shared by :class:`NeuralTextClassifier` and :class:`NeuralTextRegressor`."""

    _parameter_constraints: dict = {
        "module": "no_validation",  # checked by _check_model_params
        "module_params": [dict, None],
    }

    def _check_model_params(self):
        if not (inspect.isclass(self.module) and issubclass(self.module, nn.Module)):
            raise TypeError(
                f"{type(self).__name__} needs module= a torch.nn.Module subclass (the class, "
                f"not an instance), got {self.module!r}."
            )
        accepted = inspect.signature(self.module).parameters
        takes_any = any(p.kind is p.VAR_KEYWORD for p in accepted.values())
        missing = [
            name
            for name in ("vocab_size", "n_outputs", "padding_idx")
            if name not in accepted and not takes_any
        ]
        if missing:
            raise TypeError(
                f"module {self.module.__name__} must accept the keyword arguments "
                f"vocab_size, n_outputs and padding_idx; it lacks {missing}."
            )
        reserved = {"vocab_size", "n_outputs", "padding_idx"} & set(self.module_params or {})
        if reserved:
            raise ValueError(
                f"module_params must not set {sorted(reserved)}: the estimator passes them."
            )

    def _batch_maker(self, X):
        sequences = X.sequences

        def make_batch(rows):
            return {
                "ids": torch.from_numpy(sequences.pad(rows)),
                "lengths": torch.from_numpy(sequences.lengths[rows].astype("int64")),
            }

        return make_batch

    def _build_module_params(self, X):
        return self.module, dict(
            vocab_size=self._n_embedding_ids(),  # the words, padding and unknown
            n_outputs=self._n_module_outputs(),
            padding_idx=PADDING_ID,
            **(self.module_params or {}),
        )

    def _document_vector_size(self):
        with torch.no_grad():
            device = next(self.net_.module_.parameters()).device
            empty = torch.zeros((1, 1), dtype=torch.long, device=device)
            return self.net_.module_.encode(empty, empty[:, 0] * 0).shape[1]


@fill_doc
class NeuralTextClassifier(NeuralClassifierMixin, TabularInputMixin, _CustomModuleBase):
    """Text classifier training a torch module of your own on raw text.

    {custom_module_protocol}

    {length_bucketing}

    {training_defaults}

    Parameters
    ----------
    {custom_module_parameters}
    {custom_tokenizer_parameters}
    {custom_training_parameters}
    {tabular_parameters}

    Attributes
    ----------
    {vectorizer_attributes}
    {tabular_attributes}
    {custom_module_attributes}
    {training_attributes}

    See Also
    --------
    TextCNNClassifier, LSTMClassifier : Ready-made text networks on the same machinery.
    sktext.preprocessing.SequenceVectorizer : Texts to id sequences.

    Examples
    --------
    >>> import torch
    >>> from sktext.neural_network import NeuralTextClassifier
    >>> from sktext.neural_network._custom import MeanEmbeddingModule
    >>> texts = ["a great film", "what a waste of time", "great acting", "boring, slow"] * 25
    >>> labels = ["pos", "neg", "pos", "neg"] * 25
    >>> clf = NeuralTextClassifier(MeanEmbeddingModule, {"embedding_dim": 16},
    ...                            learning_rate_init=0.05, max_iter=30,
    ...                            early_stopping=False, random_state=0)
    >>> clf.fit(texts, labels).predict(["great film", "so boring, slow"]).tolist()
    ['pos', 'neg']
    """

    def __init__(
        self,
        module=None,
        module_params=None,
        *,
        lowercase=True,
        token_pattern=DEFAULT_TOKEN_PATTERN,
        tokenizer=None,
        stop_words=None,
        strip_accents=None,
        min_df=1,
        max_features=None,
        max_length=None,
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
        self.module = module
        self.module_params = module_params
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
class NeuralTextRegressor(NeuralRegressorMixin, TabularInputMixin, _CustomModuleBase):
    """Text regressor training a torch module of your own on raw text.

    {custom_module_protocol}

    {length_bucketing}

    {training_defaults}

    As :class:`TextCNNRegressor`, it trains on standardized targets (``target_mean_``,
    ``target_scale_``) and ``predict`` maps the outputs back.

    Parameters
    ----------
    {custom_module_parameters}
    {custom_tokenizer_parameters}
    {custom_training_parameters}
    {tabular_parameters}

    Attributes
    ----------
    {vectorizer_attributes}
    {tabular_attributes}
    {custom_module_attributes}
    {training_attributes}
    {target_scaling_attributes}

    See Also
    --------
    TextCNNClassifier, LSTMClassifier : Ready-made text networks on the same machinery.
    sktext.preprocessing.SequenceVectorizer : Texts to id sequences.

    Examples
    --------
    >>> from sktext.neural_network import NeuralTextRegressor
    >>> from sktext.neural_network._custom import MeanEmbeddingModule
    >>> texts = ["a great film", "what a waste of time", "great acting", "boring, slow"] * 25
    >>> ratings = [4.5, 1.0, 4.0, 1.5] * 25
    >>> reg = NeuralTextRegressor(MeanEmbeddingModule, {"embedding_dim": 16},
    ...                           learning_rate_init=0.05, max_iter=30,
    ...                           early_stopping=False, random_state=0)
    >>> good, bad = reg.fit(texts, ratings).predict(["great film", "so boring, slow"])
    >>> bool(good > 3 > bad)
    True
    """

    _standardize_targets = True

    def __init__(
        self,
        module=None,
        module_params=None,
        *,
        lowercase=True,
        token_pattern=DEFAULT_TOKEN_PATTERN,
        tokenizer=None,
        stop_words=None,
        strip_accents=None,
        min_df=1,
        max_features=None,
        max_length=None,
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
        self.module = module
        self.module_params = module_params
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
