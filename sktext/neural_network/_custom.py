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
from ..preprocessing._tokenizer import (
    DEFAULT_TOKEN_PATTERN,
    TOKENIZER_PARAMETER_CONSTRAINTS,
    TokenizerMixin,
)
from ._base import BaseNeuralNetwork, DocumentVectorsMixin
from ._sequence_base import VECTORIZER_PARAMETER_CONSTRAINTS, SequenceClassifierMixin
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


class _CustomModuleBase(
    DocumentVectorsMixin, SequenceClassifierMixin, TokenizerMixin, BaseNeuralNetwork
):
    """The hooks shared by :class:`NeuralTextClassifier` and :class:`NeuralTextRegressor`."""

    _parameter_constraints: dict = {
        **BaseNeuralNetwork._parameter_constraints,
        **TOKENIZER_PARAMETER_CONSTRAINTS,
        "module": "no_validation",  # checked by _check_model_params
        "module_params": [dict, None],
        **VECTORIZER_PARAMETER_CONSTRAINTS,
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

    def _set_fitted_attributes(self):
        # no pretrained-embedding module argument to drop (SequenceClassifierMixin's)
        BaseNeuralNetwork._set_fitted_attributes(self)

    def _document_vector_size(self):
        with torch.no_grad():
            device = next(self.net_.module_.parameters()).device
            empty = torch.zeros((1, 1), dtype=torch.long, device=device)
            return self.net_.module_.encode(empty, empty[:, 0] * 0).shape[1]


class NeuralTextClassifier(NeuralClassifierMixin, _CustomModuleBase):
    """Text classifier training a torch module of your own on raw text.

    The training machinery of sktext's text models (tokenization and vocabulary,
    length-bucketed batches, scikit-learn's solvers and stopping rules, ``early_stopping``
    with the best epoch restored, ``sample_weight``, ``warm_start``, ``partial_fit``,
    ``random_state``, ``verbose``, ``callbacks``, ``device``) around a torch module of
    your own. The module receives each batch as two tensors: ``ids``, a
    ``(batch, longest document of the batch)`` LongTensor of token ids, left-aligned and
    padded with ``padding_idx`` (0; id 1 is a word outside the vocabulary), and
    ``lengths``, the ``(batch,)`` LongTensor of document lengths (0 for an empty
    document), so that it can mask or pack the padding. It returns ``(batch, n_outputs)``
    raw scores: logits for a classifier (softmax or, for a multi-label ``y``, sigmoid is
    applied by the estimator), values for a regressor.

    Parameters
    ----------
    module : type
        The torch module class (a subclass of :class:`torch.nn.Module`, defined at module
        level so that the estimator pickles). ``fit`` builds it as
        ``module(vocab_size=..., n_outputs=..., padding_idx=0, **module_params)`` and calls
        it as ``module_(ids, lengths)`` (see above). An ``encode(ids, lengths)`` method
        returning document vectors makes :meth:`transform` available.
    module_params : dict, default=None
        Further keyword arguments of ``module`` (hidden sizes, dropout…).
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
    max_length : int, default=None
        Keep only the first ``max_length`` tokens of each document. A new value applies
        to continued training (``warm_start``, ``partial_fit``) and to the predictions
        after it.
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
        Class labels (``np.arange(n_labels)`` for a multi-label ``y``).
    module_ : torch.nn.Module
        The trained module.
    n_iter_ : int
        Number of epochs run.
    loss_ : float
        Training loss of the last epoch.
    best_loss_ : float or None
        Lowest training loss (``None`` with ``early_stopping``).
    loss_curve_ : list of float
        Mean training loss of each epoch.
    validation_scores_ : list of float or None
        Validation score of each epoch (``early_stopping`` only): accuracy.
    best_validation_score_ : float or None
        Best validation score (``early_stopping`` only).
    t_ : int
        Number of training samples seen.
    n_outputs_ : int
        Number of outputs (classes, or labels).
    out_activation_ : str
        ``"softmax"``, ``"logistic"`` for a multi-label ``y``.
    net_ : skorch.NeuralNet
        The skorch net; ``module_`` is its module and ``history_`` its History.

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
        optimizer=None,
        class_weight=None,
        callbacks=None,
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
        self.optimizer = optimizer
        self.class_weight = class_weight
        self.callbacks = callbacks


class NeuralTextRegressor(NeuralRegressorMixin, _CustomModuleBase):
    """Text regressor training a torch module of your own on raw text.

    The training machinery of sktext's text models (tokenization and vocabulary,
    length-bucketed batches, scikit-learn's solvers and stopping rules, ``early_stopping``
    with the best epoch restored, ``sample_weight``, ``warm_start``, ``partial_fit``,
    ``random_state``, ``verbose``, ``callbacks``, ``device``) around a torch module of
    your own. The module receives each batch as two tensors: ``ids``, a
    ``(batch, longest document of the batch)`` LongTensor of token ids, left-aligned and
    padded with ``padding_idx`` (0; id 1 is a word outside the vocabulary), and
    ``lengths``, the ``(batch,)`` LongTensor of document lengths (0 for an empty
    document), so that it can mask or pack the padding. It returns ``(batch, n_outputs)``
    raw scores: logits for a classifier (softmax or, for a multi-label ``y``, sigmoid is
    applied by the estimator), values for a regressor.

    As :class:`TextCNNRegressor`, it trains on standardized targets (``target_mean_``,
    ``target_scale_``) and ``predict`` maps the outputs back.

    Parameters
    ----------
    module : type
        The torch module class (a subclass of :class:`torch.nn.Module`, defined at module
        level so that the estimator pickles). ``fit`` builds it as
        ``module(vocab_size=..., n_outputs=..., padding_idx=0, **module_params)`` and calls
        it as ``module_(ids, lengths)`` (see above). An ``encode(ids, lengths)`` method
        returning document vectors makes :meth:`transform` available.
    module_params : dict, default=None
        Further keyword arguments of ``module`` (hidden sizes, dropout…).
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
    max_length : int, default=None
        Keep only the first ``max_length`` tokens of each document. A new value applies
        to continued training (``warm_start``, ``partial_fit``) and to the predictions
        after it.
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
    target_mean_ : ndarray of shape (n_outputs_,)
        Mean of each target column in the first fit.
    target_scale_ : ndarray of shape (n_outputs_,)
        Standard deviation of each target column (1 where it is 0).
    module_ : torch.nn.Module
        The trained module.
    n_iter_ : int
        Number of epochs run.
    loss_ : float
        Training loss of the last epoch.
    best_loss_ : float or None
        Lowest training loss (``None`` with ``early_stopping``).
    loss_curve_ : list of float
        Mean training loss of each epoch.
    validation_scores_ : list of float or None
        Validation score of each epoch (``early_stopping`` only): R².
    best_validation_score_ : float or None
        Best validation score (``early_stopping`` only).
    t_ : int
        Number of training samples seen.
    n_outputs_ : int
        Number of outputs (columns of ``y``).
    out_activation_ : str
        ``"identity"``.
    net_ : skorch.NeuralNet
        The skorch net; ``module_`` is its module and ``history_`` its History.

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
        optimizer=None,
        callbacks=None,
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
        self.optimizer = optimizer
        self.callbacks = callbacks
