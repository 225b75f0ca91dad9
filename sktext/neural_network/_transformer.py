"""TransformerClassifier: fine-tuning a pretrained transformer encoder on raw text."""

import math
from numbers import Integral, Real

import torch

from ..nn import TextTransformer
from ..preprocessing._pretrained import (
    DEFAULT_MODEL,
    PRETRAINED_PARAMETER_CONSTRAINTS,
    encode_documents,
    load_tokenizer,
    padded_batch_maker,
    token_limit,
)
from ..utils._device import resolve_device
from ..utils._sklearn_compat import Interval, StrOptions
from ..utils._transformers import resolve_model
from ._base import BaseNeuralNetwork, DocumentVectorsMixin, clip_batch_size
from ._tasks import NeuralClassifierMixin, NeuralRegressorMixin
from ._training import (
    GradientNormClipping,
    SklearnStopping,
    WarmupLinearSchedule,
    token_budgets,
)

__all__ = ["TransformerClassifier", "TransformerRegressor"]

_SHARED_CONSTRAINTS = (
    "learning_rate_init",
    "max_iter",
    "shuffle",
    "random_state",
    "tol",
    "verbose",
    "warm_start",
    "early_stopping",
    "validation_fraction",
    "beta_1",
    "beta_2",
    "epsilon",
    "n_iter_no_change",
    "dropout",
    "device",
    "optimizer",
    "class_weight",
    "callbacks",
)


def fused_adam_supported(device):
    """Whether torch's fused Adam/AdamW kernel runs on ``device`` (CUDA; CPU from 2.4)."""
    kind = torch.device(device).type
    if kind == "cuda":
        return True
    version = tuple(int(v) for v in torch.__version__.split("+")[0].split(".")[:2])
    return kind == "cpu" and version >= (2, 4)


class _TransformerBase(DocumentVectorsMixin, BaseNeuralNetwork):
    """The model hooks of :class:`TransformerClassifier` and :class:`TransformerRegressor`."""

    _parameter_constraints: dict = {
        **{k: BaseNeuralNetwork._parameter_constraints[k] for k in _SHARED_CONSTRAINTS},
        **PRETRAINED_PARAMETER_CONSTRAINTS,
        "trainable_layers": [Interval(Integral, 0, None, closed="left"), None],
        "batch_size": [Interval(Integral, 1, None, closed="left")],
        "learning_rate": [StrOptions({"linear", "constant"})],
        "warmup_fraction": [Interval(Real, 0, 1, closed="left")],
        "weight_decay": [Interval(Real, 0, None, closed="left")],
        "clip_grad_norm": [Interval(Real, 0, None, closed="left"), None],
    }

    # attention costs grow with the batch: inference batches of 128 at most (sorted by
    # length and within a padded-token budget, see LengthBucketSampler and _make_net)
    _min_inference_batch_size = 128

    # ------------------------------------------------------------------ hooks
    def _check_X(self, X, *, reset):
        if reset:
            load_tokenizer(self)
        return encode_documents(self, X)

    def _check_continued_X(self, X):
        # max_length is truncation at tokenization time: a continued fit (and later
        # predictions) apply the current one, within the model's limit
        self.max_length_ = token_limit(self, self.tokenizer_, self.net_.module_.encoder.config)
        return self._check_X(X, reset=False)

    def _n_samples(self, X):
        return len(X)

    def _sequence_lengths(self, X):
        return X.lengths

    def _batch_maker(self, X):
        return padded_batch_maker(X, self.tokenizer_.pad_token_id)

    def _build_module_params(self, X):
        source, _ = resolve_model(self.model, estimator_name=type(self).__name__)
        return TextTransformer, dict(
            model=source,
            n_outputs=self._n_module_outputs(),
            pooling=self.pooling,
            dropout=self.dropout,
            trainable_layers=self.trainable_layers,
        )

    # ------------------------------------------------------------------ training setup
    def _token_budgets(self, X, batch_size):
        # batch_size * max_length_ positions in training (never splits a batch: the
        # learning-rate schedule counts ceil(n / batch_size) steps), twice that in inference
        return token_budgets(batch_size, self.max_length_)

    def _effective_batch_size(self, n_samples):
        return clip_batch_size(self.batch_size, n_samples)

    def _optimizer_setup(self, module_cls, module_kwargs, batch_size):
        if self.optimizer is not None:
            return self.optimizer, {}
        return torch.optim.AdamW, {
            "optimizer__betas": (self.beta_1, self.beta_2),
            "optimizer__eps": self.epsilon,
            "optimizer__weight_decay": self.weight_decay,
            # one fused kernel over all parameters: on 2 CPU cores a step over MiniLM's
            # 22.7 M parameters takes 10 ms instead of 65 ms (for-loop AdamW; see
            # benchmarks/bench_text_classifiers.py --overhead-model transformer)
            "optimizer__fused": fused_adam_supported(resolve_device(self.device)),
        }

    def _configure_optimizer(self, net, batch_size):
        """Biases and normalization weights in a group of their own, without decay."""
        if self.optimizer is not None or not self.weight_decay:
            return
        no_decay = {id(p) for p in net.module_.no_decay_parameters()}
        opt = net.optimizer_
        (group,) = opt.param_groups
        params = group["params"]
        group["params"] = [p for p in params if id(p) not in no_decay]
        opt.add_param_group(
            {"params": [p for p in params if id(p) in no_decay], "weight_decay": 0.0}
        )

    def _net_options(self):
        return dict(
            lr=self.learning_rate_init,
            iterator_train__shuffle=bool(self.shuffle),
            mixed_precision=self.mixed_precision,
        )

    def _schedule_callbacks(self, n_train):
        if self.learning_rate != "linear":
            return []
        steps_per_epoch = math.ceil(n_train / self._effective_batch_size(n_train))
        total = self.max_iter * steps_per_epoch
        warmup = min(int(round(self.warmup_fraction * total)), total - 1)
        return [("lr_schedule", WarmupLinearSchedule(total_steps=total, warmup_steps=warmup))]

    def _stopping_callback(self):
        return SklearnStopping(
            tol=self.tol,
            n_iter_no_change=self.n_iter_no_change,
            early_stopping=self.early_stopping,
            adaptive_lr=False,
            max_iter=self.max_iter,
            warn_at_max_iter=self.learning_rate != "linear",
        )

    def _callbacks(self, n_train):
        callbacks = super()._callbacks(n_train)
        if self.clip_grad_norm:
            callbacks.insert(0, ("clip_grad_norm", GradientNormClipping(self.clip_grad_norm)))
        return callbacks

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.input_tags.two_d_array = False
        tags.input_tags.string = True
        return tags


class TransformerClassifier(NeuralClassifierMixin, _TransformerBase):
    """Fine-tune a pretrained transformer encoder for text classification, on raw text.

    ``fit`` loads a pretrained Hugging Face encoder (``model``: a local directory or a hub
    name) with its own fast tokenizer, puts a pooling (mean of the token states, or the
    first token's), dropout and a linear softmax layer on top (:class:`~sktext.nn.TextTransformer`)
    and fine-tunes the whole network on the documents, through skorch with the training
    machinery of sktext's other classifiers: ``early_stopping`` with the best epoch
    restored, ``class_weight``, ``sample_weight``, ``warm_start``, ``partial_fit``,
    ``random_state``, ``verbose``, ``callbacks`` and ``device``.

    Batches hold documents of similar length, each padded to its own longest document
    (length bucketing: on Rotten Tomatoes an epoch takes about half the time of random
    batches); padding is masked in the attention and the pooling, so a document's
    prediction does not depend on the batch it is in. Nothing is downloaded or loaded in
    ``__init__``: ``clone``, ``get_params`` and pickling an unfitted estimator stay cheap.
    A fitted estimator pickles with its fine-tuned weights and its tokenizer (no download
    on load; a model fitted on a GPU loads on a CPU-only machine).

    The defaults are those of fine-tuning BERT-like encoders (Devlin et al., 2019): AdamW
    with decoupled weight decay (not on biases and normalization weights), a learning rate
    that warms up linearly over the first 10% of the steps and then decays linearly to 0,
    gradient clipping at norm 1. The learning rate and the number of epochs were chosen
    for ``all-MiniLM-L6-v2`` on a validation split of the Rotten Tomatoes training set
    (see the user guide); larger models usually want a smaller learning rate.

    Parameters
    ----------
    model : str or path-like, default="sentence-transformers/all-MiniLM-L6-v2"
        The pretrained encoder: a local directory holding a Hugging Face model (as written
        by ``save_pretrained``: ``config.json``, weights, tokenizer files) or a model name
        on the Hugging Face hub (downloaded, or read from the local cache, in ``fit``).
        Any encoder ``transformers.AutoModel`` loads with a fast tokenizer (BERT, MiniLM,
        RoBERTa, DistilBERT, MPNet, ELECTRA, DeBERTa…).
    pooling : {"mean", "cls"}, default="mean"
        How the token states become one document vector: their mean over the document's
        tokens, or the state of its first token (``[CLS]``).
    dropout : float, default=0.1
        Dropout on the pooled document vector.
    max_length : int, default=None
        Most tokens per document (special tokens included); longer documents are cut to
        their beginning, with a :class:`TruncationWarning` giving their share. ``None``:
        the model's limit (512 for MiniLM and BERT). A new value applies to continued
        training (``warm_start``, ``partial_fit``) and to the predictions after it.
    trainable_layers : int, default=None
        Fine-tune only the top ``trainable_layers`` transformer layers: the embeddings
        and the lower layers are frozen, which makes each step cheaper (no gradients below
        the lowest trainable layer). ``0`` trains the output layer alone on frozen
        features; ``None`` fine-tunes everything, embeddings included.
    batch_size : int, default=32
        Documents per training batch.
    learning_rate : {"linear", "constant"}, default="linear"
        Learning-rate schedule of ``fit``: linear warm-up over ``warmup_fraction`` of the
        steps, then linear decay to 0 at the end of epoch ``max_iter``; or constant.
        ``partial_fit`` always trains at the constant ``learning_rate_init``.
    learning_rate_init : float, default=1e-4
        Peak learning rate.
    warmup_fraction : float, default=0.1
        Share of the training steps of the linear warm-up.
    weight_decay : float, default=0.01
        AdamW's decoupled weight decay (not applied to biases and normalization weights).
    max_iter : int, default=2
        Epochs. With ``learning_rate="linear"`` the schedule ends with the last epoch,
        so reaching ``max_iter`` is the plan and gives no ``ConvergenceWarning``.
    clip_grad_norm : float or None, default=1.0
        Largest global L2 norm of the gradients at each step; ``None`` or ``0`` disables
        clipping.
    shuffle : bool, default=True
        Shuffle the training documents (in length buckets) every epoch.
    random_state : int, RandomState instance or None, default=None
        Seeds the output layer's initialization, dropout, shuffling and the validation
        split: the same seed gives the same model on the CPU.
    tol : float, default=1e-4
        Minimum improvement that counts for the stopping rule.
    verbose : bool or int, default=False
        Print skorch's table of epochs (``2``: and a progress bar over the batches).
    warm_start : bool, default=False
        Continue training the previous network on the next ``fit`` (a new schedule).
    early_stopping : bool, default=False
        Hold out ``validation_fraction`` of the training data (stratified), stop when its
        accuracy has not improved by ``tol`` for more than ``n_iter_no_change`` epochs, keep the
        best epoch's weights. Off by default: fine-tuning runs a short fixed schedule.
    validation_fraction : float, default=0.1
        Share held out for ``early_stopping``.
    n_iter_no_change : int, default=2
        Training stops after more than this many epochs in a row without ``tol`` improvement.
    beta_1 : float, default=0.9
        AdamW's first-moment decay.
    beta_2 : float, default=0.999
        AdamW's second-moment decay.
    epsilon : float, default=1e-8
        AdamW's numerical-stability term.
    device : {"cpu", "cuda", "auto"} or str, default="cpu"
        Torch device to train and predict on.
    mixed_precision : {"bf16", "fp16"} or None, default=None
        Run the forward passes under :func:`torch.autocast` in bfloat16 or float16
        (weights and optimizer state stay float32; ``"fp16"`` scales the loss against
        underflow). On a GPU this is faster and takes less memory; ``"bf16"`` needs one
        that supports it (Ampere or newer). ``None``: float32.
    optimizer : torch optimizer class, default=None
        Replaces AdamW (``learning_rate_init`` is its ``lr``; it gets no other argument).
    class_weight : dict, "balanced" or None, default=None
        Weights of the classes in the loss.
    callbacks : list of skorch callbacks or (name, callback) tuples, default=None
        Extra skorch callbacks.

    Attributes
    ----------
    classes_ : ndarray of shape (n_classes,)
        Class labels.
    tokenizer_ : transformers tokenizer
        The model's fast tokenizer.
    max_length_ : int
        Token limit applied to the documents.
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
        The skorch net; ``module_`` is its :class:`~sktext.nn.TextTransformer` (the
        encoder is ``module_.encoder``) and ``history_`` its History.

    See Also
    --------
    sktext.embeddings.SentenceEncoder : The same encoders, frozen, as a transformer step.
    sktext.nn.TextTransformer : The torch module.
    sktext.TextCNNClassifier : A network trained from scratch, far cheaper per epoch.

    Notes
    -----
    Empty documents are valid input: they are read as the model's special tokens alone.
    On a CPU, fine-tuning costs far more than the other sktext classifiers (about two
    minutes per epoch of Rotten Tomatoes' 10,000 snippets with all-MiniLM-L6-v2 on 2
    cores); ``trainable_layers`` and a smaller ``max_length`` trade accuracy for speed.

    References
    ----------
    J. Devlin et al., "BERT: Pre-training of Deep Bidirectional Transformers for Language
    Understanding", NAACL 2019.
    I. Loshchilov and F. Hutter, "Decoupled Weight Decay Regularization", ICLR 2019.

    Examples
    --------
    >>> from sktext import TransformerClassifier
    >>> from sktext.datasets import get_model_path
    >>> texts = ["a great film", "what a waste of time", "great acting", "boring, slow"] * 4
    >>> labels = ["pos", "neg", "pos", "neg"] * 4
    >>> clf = TransformerClassifier(model=get_model_path("all-MiniLM-L6-v2"), batch_size=8,
    ...                             max_iter=3, random_state=0)
    >>> clf.fit(texts, labels).predict(["a great movie", "so slow and boring"]).tolist()
    ['pos', 'neg']
    """

    def __init__(
        self,
        *,
        model=DEFAULT_MODEL,
        pooling="mean",
        dropout=0.1,
        max_length=None,
        trainable_layers=None,
        batch_size=32,
        learning_rate="linear",
        learning_rate_init=1e-4,
        warmup_fraction=0.1,
        weight_decay=0.01,
        max_iter=2,
        clip_grad_norm=1.0,
        shuffle=True,
        random_state=None,
        tol=1e-4,
        verbose=False,
        warm_start=False,
        early_stopping=False,
        validation_fraction=0.1,
        n_iter_no_change=2,
        beta_1=0.9,
        beta_2=0.999,
        epsilon=1e-8,
        device="cpu",
        mixed_precision=None,
        optimizer=None,
        class_weight=None,
        callbacks=None,
    ):
        self.model = model
        self.pooling = pooling
        self.dropout = dropout
        self.max_length = max_length
        self.trainable_layers = trainable_layers
        self.batch_size = batch_size
        self.learning_rate = learning_rate
        self.learning_rate_init = learning_rate_init
        self.warmup_fraction = warmup_fraction
        self.weight_decay = weight_decay
        self.max_iter = max_iter
        self.clip_grad_norm = clip_grad_norm
        self.shuffle = shuffle
        self.random_state = random_state
        self.tol = tol
        self.verbose = verbose
        self.warm_start = warm_start
        self.early_stopping = early_stopping
        self.validation_fraction = validation_fraction
        self.n_iter_no_change = n_iter_no_change
        self.beta_1 = beta_1
        self.beta_2 = beta_2
        self.epsilon = epsilon
        self.device = device
        self.mixed_precision = mixed_precision
        self.optimizer = optimizer
        self.class_weight = class_weight
        self.callbacks = callbacks


class TransformerRegressor(NeuralRegressorMixin, _TransformerBase):
    """Fine-tune a pretrained transformer encoder for text regression, on raw text.

    The regressor counterpart of :class:`TransformerClassifier`: the same network,
    training machinery and parameters, with a linear output layer for numeric targets
    (a 1-d ``y``, or a 2-d ``y`` with one column per output). The network is trained on
    standardized targets (``(y - target_mean_) / target_scale_``, per output) with half
    the squared error as loss, and ``predict`` maps its outputs back, so targets on any
    scale (ratings, prices, years) train with the default learning rate; ``loss_curve_``
    is in standardized units. ``early_stopping`` follows the validation R².

    ``fit`` loads a pretrained Hugging Face encoder (``model``: a local directory or a hub
    name) with its own fast tokenizer, puts a pooling (mean of the token states, or the
    first token's), dropout and a linear output layer on top (:class:`~sktext.nn.TextTransformer`)
    and fine-tunes the whole network on the documents, through skorch with the training
    machinery of sktext's other classifiers: ``early_stopping`` with the best epoch
    restored, ``sample_weight``, ``warm_start``, ``partial_fit``,
    ``random_state``, ``verbose``, ``callbacks`` and ``device``.

    Batches hold documents of similar length, each padded to its own longest document
    (length bucketing: on Rotten Tomatoes an epoch takes about half the time of random
    batches); padding is masked in the attention and the pooling, so a document's
    prediction does not depend on the batch it is in. Nothing is downloaded or loaded in
    ``__init__``: ``clone``, ``get_params`` and pickling an unfitted estimator stay cheap.
    A fitted estimator pickles with its fine-tuned weights and its tokenizer (no download
    on load; a model fitted on a GPU loads on a CPU-only machine).

    The defaults are those of fine-tuning BERT-like encoders (Devlin et al., 2019): AdamW
    with decoupled weight decay (not on biases and normalization weights), a learning rate
    that warms up linearly over the first 10% of the steps and then decays linearly to 0,
    gradient clipping at norm 1. The learning rate and the number of epochs were chosen
    for ``all-MiniLM-L6-v2`` on a validation split of the Rotten Tomatoes training set
    (see the user guide); larger models usually want a smaller learning rate.

    Parameters
    ----------
    model : str or path-like, default="sentence-transformers/all-MiniLM-L6-v2"
        The pretrained encoder: a local directory holding a Hugging Face model (as written
        by ``save_pretrained``: ``config.json``, weights, tokenizer files) or a model name
        on the Hugging Face hub (downloaded, or read from the local cache, in ``fit``).
        Any encoder ``transformers.AutoModel`` loads with a fast tokenizer (BERT, MiniLM,
        RoBERTa, DistilBERT, MPNet, ELECTRA, DeBERTa…).
    pooling : {"mean", "cls"}, default="mean"
        How the token states become one document vector: their mean over the document's
        tokens, or the state of its first token (``[CLS]``).
    dropout : float, default=0.1
        Dropout on the pooled document vector.
    max_length : int, default=None
        Most tokens per document (special tokens included); longer documents are cut to
        their beginning, with a :class:`TruncationWarning` giving their share. ``None``:
        the model's limit (512 for MiniLM and BERT). A new value applies to continued
        training (``warm_start``, ``partial_fit``) and to the predictions after it.
    trainable_layers : int, default=None
        Fine-tune only the top ``trainable_layers`` transformer layers: the embeddings
        and the lower layers are frozen, which makes each step cheaper (no gradients below
        the lowest trainable layer). ``0`` trains the output layer alone on frozen
        features; ``None`` fine-tunes everything, embeddings included.
    batch_size : int, default=32
        Documents per training batch.
    learning_rate : {"linear", "constant"}, default="linear"
        Learning-rate schedule of ``fit``: linear warm-up over ``warmup_fraction`` of the
        steps, then linear decay to 0 at the end of epoch ``max_iter``; or constant.
        ``partial_fit`` always trains at the constant ``learning_rate_init``.
    learning_rate_init : float, default=1e-4
        Peak learning rate.
    warmup_fraction : float, default=0.1
        Share of the training steps of the linear warm-up.
    weight_decay : float, default=0.01
        AdamW's decoupled weight decay (not applied to biases and normalization weights).
    max_iter : int, default=2
        Epochs. With ``learning_rate="linear"`` the schedule ends with the last epoch,
        so reaching ``max_iter`` is the plan and gives no ``ConvergenceWarning``.
    clip_grad_norm : float or None, default=1.0
        Largest global L2 norm of the gradients at each step; ``None`` or ``0`` disables
        clipping.
    shuffle : bool, default=True
        Shuffle the training documents (in length buckets) every epoch.
    random_state : int, RandomState instance or None, default=None
        Seeds the output layer's initialization, dropout, shuffling and the validation
        split: the same seed gives the same model on the CPU.
    tol : float, default=1e-4
        Minimum improvement that counts for the stopping rule.
    verbose : bool or int, default=False
        Print skorch's table of epochs (``2``: and a progress bar over the batches).
    warm_start : bool, default=False
        Continue training the previous network on the next ``fit`` (a new schedule).
    early_stopping : bool, default=False
        Hold out ``validation_fraction`` of the training data, stop when its
        R² has not improved by ``tol`` for more than ``n_iter_no_change`` epochs, keep the
        best epoch's weights. Off by default: fine-tuning runs a short fixed schedule.
    validation_fraction : float, default=0.1
        Share held out for ``early_stopping``.
    n_iter_no_change : int, default=2
        Training stops after more than this many epochs in a row without ``tol`` improvement.
    beta_1 : float, default=0.9
        AdamW's first-moment decay.
    beta_2 : float, default=0.999
        AdamW's second-moment decay.
    epsilon : float, default=1e-8
        AdamW's numerical-stability term.
    device : {"cpu", "cuda", "auto"} or str, default="cpu"
        Torch device to train and predict on.
    mixed_precision : {"bf16", "fp16"} or None, default=None
        Run the forward passes under :func:`torch.autocast` in bfloat16 or float16
        (weights and optimizer state stay float32; ``"fp16"`` scales the loss against
        underflow). On a GPU this is faster and takes less memory; ``"bf16"`` needs one
        that supports it (Ampere or newer). ``None``: float32.
    optimizer : torch optimizer class, default=None
        Replaces AdamW (``learning_rate_init`` is its ``lr``; it gets no other argument).
    callbacks : list of skorch callbacks or (name, callback) tuples, default=None
        Extra skorch callbacks.

    Attributes
    ----------
    tokenizer_ : transformers tokenizer
        The model's fast tokenizer.
    max_length_ : int
        Token limit applied to the documents.
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
        The skorch net; ``module_`` is its :class:`~sktext.nn.TextTransformer` (the
        encoder is ``module_.encoder``) and ``history_`` its History.

    See Also
    --------
    sktext.embeddings.SentenceEncoder : The same encoders, frozen, as a transformer step.
    sktext.nn.TextTransformer : The torch module.
    sktext.TextCNNClassifier : A network trained from scratch, far cheaper per epoch.

    Notes
    -----
    Empty documents are valid input: they are read as the model's special tokens alone.
    On a CPU, fine-tuning costs far more than the other sktext classifiers (about two
    minutes per epoch of Rotten Tomatoes' 10,000 snippets with all-MiniLM-L6-v2 on 2
    cores); ``trainable_layers`` and a smaller ``max_length`` trade accuracy for speed.

    References
    ----------
    J. Devlin et al., "BERT: Pre-training of Deep Bidirectional Transformers for Language
    Understanding", NAACL 2019.
    I. Loshchilov and F. Hutter, "Decoupled Weight Decay Regularization", ICLR 2019.

    Examples
    --------
    >>> from sktext import TransformerRegressor
    >>> from sktext.datasets import get_model_path
    >>> texts = ["a great film", "what a waste of time", "great acting", "boring, slow"] * 4
    >>> ratings = [4.5, 1.0, 4.0, 1.5] * 4
    >>> reg = TransformerRegressor(model=get_model_path("all-MiniLM-L6-v2"), batch_size=8,
    ...                            max_iter=4, learning_rate_init=2e-4, random_state=0)
    >>> good, bad = reg.fit(texts, ratings).predict(["a great movie", "so slow and boring"])
    >>> bool(good > 3 > bad)
    True
    """

    _standardize_targets = True

    def __init__(
        self,
        *,
        model=DEFAULT_MODEL,
        pooling="mean",
        dropout=0.1,
        max_length=None,
        trainable_layers=None,
        batch_size=32,
        learning_rate="linear",
        learning_rate_init=1e-4,
        warmup_fraction=0.1,
        weight_decay=0.01,
        max_iter=2,
        clip_grad_norm=1.0,
        shuffle=True,
        random_state=None,
        tol=1e-4,
        verbose=False,
        warm_start=False,
        early_stopping=False,
        validation_fraction=0.1,
        n_iter_no_change=2,
        beta_1=0.9,
        beta_2=0.999,
        epsilon=1e-8,
        device="cpu",
        mixed_precision=None,
        optimizer=None,
        callbacks=None,
    ):
        self.model = model
        self.pooling = pooling
        self.dropout = dropout
        self.max_length = max_length
        self.trainable_layers = trainable_layers
        self.batch_size = batch_size
        self.learning_rate = learning_rate
        self.learning_rate_init = learning_rate_init
        self.warmup_fraction = warmup_fraction
        self.weight_decay = weight_decay
        self.max_iter = max_iter
        self.clip_grad_norm = clip_grad_norm
        self.shuffle = shuffle
        self.random_state = random_state
        self.tol = tol
        self.verbose = verbose
        self.warm_start = warm_start
        self.early_stopping = early_stopping
        self.validation_fraction = validation_fraction
        self.n_iter_no_change = n_iter_no_change
        self.beta_1 = beta_1
        self.beta_2 = beta_2
        self.epsilon = epsilon
        self.device = device
        self.mixed_precision = mixed_precision
        self.optimizer = optimizer
        self.callbacks = callbacks
