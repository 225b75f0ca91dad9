"""TransformerClassifier: fine-tuning a pretrained transformer encoder on raw text."""

import math
from numbers import Integral, Real

import torch

from ..nn import FusionModule, TextTransformer
from ..preprocessing._pretrained import (
    DEFAULT_MODEL,
    PRETRAINED_PARAMETER_CONSTRAINTS,
    TextPairs,
    encode_document_pairs,
    encode_documents,
    load_tokenizer,
    padded_batch_maker,
    token_limit,
)
from ..utils._batching import reference_length, token_budgets
from ..utils._device import resolve_device
from ..utils._docstrings import fill_doc
from ..utils._sklearn_compat import Interval, StrOptions
from ..utils._transformers import resolve_model
from ._base import BaseNeuralNetwork, DocumentVectorsMixin, clip_batch_size
from ._callbacks import GradientNormClipping, SklearnStopping, WarmupLinearSchedule
from ._tabular import TabularInputMixin
from ._tasks import NeuralClassifierMixin, NeuralRegressorMixin

__all__ = ["TransformerClassifier", "TransformerRegressor"]


#: A transformer batch budget counts lengths in BUDGET_LENGTH_FACTOR times this quantile
#: of the training documents' token counts (lower order statistic).
BUDGET_LENGTH_QUANTILE = 0.9
BUDGET_LENGTH_FACTOR = 2


def budget_length(lengths, max_length):
    """Token count of a transformer's batch budgets: ``2 * `` the 90th percentile of
    ``lengths``, at least 1 and at most ``max_length``.

    Not the 99th percentile of the CNN/LSTM (:func:`reference_length`): 5 long documents
    among 200 snippets (2.4 %) are past it, so it would be ``max_length`` and the
    budget would not bound their batches; and batches of ordinary snippets are not split:
    twice the 90th percentile is more than the longest snippet in the corpora measured
    (Rotten Tomatoes with MiniLM's tokenizer: 90th percentile 42 tokens, 99th 55,
    longest 78 of 12,808).
    """
    length = BUDGET_LENGTH_FACTOR * reference_length(lengths, quantile=BUDGET_LENGTH_QUANTILE)
    return max(min(length, int(max_length)), 1)


def fused_adam_supported(device):
    """Whether torch's fused Adam/AdamW kernel runs on ``device`` (CUDA and the CPU)."""
    return torch.device(device).type in ("cuda", "cpu")


class _TransformerBase(DocumentVectorsMixin, BaseNeuralNetwork):
    """The model hooks of :class:`TransformerClassifier` and :class:`TransformerRegressor`."""

    _parameter_constraints: dict = {
        **PRETRAINED_PARAMETER_CONSTRAINTS,
        "dropout": [Interval(Real, 0, 1, closed="left")],
        "trainable_layers": [Interval(Integral, 0, None, closed="left"), None],
        "batch_size": [Interval(Integral, 1, None, closed="left")],
        "learning_rate": [StrOptions({"linear", "constant"})],
        "warmup_fraction": [Interval(Real, 0, 1, closed="left")],
        "weight_decay": [Interval(Real, 0, None, closed="left")],
        "clip_grad_norm": [Interval(Real, 0, None, closed="left"), None],
        "text_pair": ["boolean"],
    }
    _continuable = frozenset(
        {"warmup_fraction", "weight_decay", "clip_grad_norm", "mixed_precision", "max_length"}
    )
    _dropout_rates = ("dropout",)

    # attention costs grow with the batch: inference batches of 128 at most (sorted by
    # length and within a padded-token budget, see LengthBucketSampler and _make_net)
    _min_inference_batch_size = 128

    # ------------------------------------------------------------------ hooks
    def _check_X(self, X, *, reset):
        if reset:
            load_tokenizer(self)
        return self._tokenize(X)

    def _tokenize(self, X):
        if isinstance(X, TextPairs):  # text_pair=True: two columns of a DataFrame
            return encode_document_pairs(self, X)
        return encode_documents(self, X)

    def _check_continued_X(self, X):
        # max_length is truncation at tokenization time: a continued fit (and later
        # predictions) apply the current one, within the model's limit
        module = self.net_.module_
        encoder = module.text.encoder if isinstance(module, FusionModule) else module.encoder
        self.max_length_ = token_limit(self, self.tokenizer_, encoder.config)
        # the documents (or pairs) themselves: TabularInputMixin has read a DataFrame's
        # columns and hands them over (self._check_X would take them for a new input)
        return self._tokenize(X)

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
        """``batch_size * L`` padded positions per training batch, twice that in inference.

        ``L`` (:func:`budget_length`): twice the 90th percentile of the training
        documents' token counts, at most ``max_length_``. Batches of ordinary documents
        stay full (none is longer than ``L`` in the corpora measured), while a few long
        documents (up to a tenth of the corpus) get batches of their own instead of
        padding the short ones around them to their length. The learning-rate schedule
        counts the batches each epoch actually has.
        """
        length = budget_length(self._sequence_lengths(X), self.max_length_)
        return token_budgets(batch_size, length)

    def _token_pair_budget(self, X, batch_size):
        """``batch_size * L**2`` token pairs per training batch (``L`` as above).

        Training keeps the attention maps of every layer for the backward pass (attention
        dropout rules out the fused kernel): ``m`` documents of ``L`` tokens take memory
        in ``m * L**2``: a process training MiniLM peaked at 2.5 GB on a step of 5
        documents of 512 tokens, 1.2 GB on one of them, 1.3 GB on 32 snippets of 55. With
        this limit a batch takes at most the attention memory of ``batch_size``
        documents of ``L`` tokens, or of one longer document alone.
        """
        length = budget_length(self._sequence_lengths(X), self.max_length_)
        return int(batch_size) * length * length

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

    #: learning-rate multiplier of the layers fusing the text with other columns: they
    #: start from random weights beside the pretrained encoder, which a learning rate
    #: made for fine-tuning would leave almost untrained (benchmarks/bench_tabular.py)
    _fusion_lr_scale = 10.0

    def _configure_optimizer(self, net, batch_size):
        """Parameter groups: biases and normalization weights without decay; the fusion
        layers (new beside the pretrained encoder) at ``_fusion_lr_scale`` times the rate."""
        if self.optimizer is not None:
            return
        module = net.module_
        fusion = getattr(module, "fusion_parameters", None)
        fusion = {id(p) for p in fusion()} if fusion is not None else set()
        no_decay = {id(p) for p in module.no_decay_parameters()} if self.weight_decay else set()
        opt = net.optimizer_
        (group,) = opt.param_groups
        groups = {}
        for p in group["params"]:
            groups.setdefault((id(p) in fusion, id(p) in no_decay), []).append(p)
        group["params"] = groups.pop((False, False), [])
        for (is_fusion, is_no_decay), params in sorted(groups.items()):
            extra = {"weight_decay": 0.0} if is_no_decay else {}
            if is_fusion:
                extra.update(lr=net.lr * self._fusion_lr_scale, lr_scale=self._fusion_lr_scale)
            opt.add_param_group({"params": params, **extra})

    def _net_options(self):
        return dict(
            lr=self.learning_rate_init,
            iterator_train__shuffle=bool(self.shuffle),
            mixed_precision=self.mixed_precision,
        )

    def _schedule_callbacks(self, n_train):
        if self.learning_rate != "linear":
            return []
        # a plan until the first epoch's batches are counted: batches within a token
        # budget may be more than ceil(n / batch_size), and vary with the random pools
        steps_per_epoch = math.ceil(n_train / self._effective_batch_size(n_train))
        total = self.max_iter * steps_per_epoch
        warmup = min(int(round(self.warmup_fraction * total)), total - 1)
        schedule = WarmupLinearSchedule(
            total_steps=total,
            warmup_steps=warmup,
            epochs=self.max_iter,
            warmup_fraction=self.warmup_fraction,
        )
        return [("lr_schedule", schedule)]

    def _stopping_callback(self):
        return SklearnStopping(
            tol=self.tol,
            n_iter_no_change=self.n_iter_no_change,
            early_stopping=self.early_stopping,
            adaptive_lr=False,
            max_iter=self.max_iter,
            warn_at_max_iter=self.learning_rate != "linear",
        )

    def _model_callbacks(self):
        if not self.clip_grad_norm:
            return []
        return [("clip_grad_norm", GradientNormClipping(self.clip_grad_norm))]

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.input_tags.two_d_array = False
        tags.input_tags.string = True
        return tags


@fill_doc
class TransformerClassifier(NeuralClassifierMixin, TabularInputMixin, _TransformerBase):
    """Fine-tune a pretrained transformer encoder for text classification, on raw text.

    {transformer_description}

    Parameters
    ----------
    {transformer_parameters}
    {tabular_parameters}
    {text_pair_parameters}

    Attributes
    ----------
    {pretrained_attributes}
    {tabular_attributes}
    {transformer_training_attributes}

    See Also
    --------
    {transformer_see_also}

    Notes
    -----
    {transformer_notes}

    References
    ----------
    {transformer_references}

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
        data_parallel=None,
        mixed_precision=None,
        optimizer=None,
        class_weight=None,
        callbacks=None,
        text_columns=None,
        tabular="auto",
        fusion="gate",
        tabular_hidden=64,
        modality_dropout=0.5,
        text_pair=False,
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
        self.data_parallel = data_parallel
        self.mixed_precision = mixed_precision
        self.optimizer = optimizer
        self.class_weight = class_weight
        self.callbacks = callbacks
        self.text_columns = text_columns
        self.tabular = tabular
        self.fusion = fusion
        self.tabular_hidden = tabular_hidden
        self.modality_dropout = modality_dropout
        self.text_pair = text_pair


@fill_doc
class TransformerRegressor(NeuralRegressorMixin, TabularInputMixin, _TransformerBase):
    """Fine-tune a pretrained transformer encoder for text regression, on raw text.

    The regressor counterpart of :class:`TransformerClassifier`:
    {regressor_counterpart}

    {transformer_description}

    Parameters
    ----------
    {transformer_parameters}
    {tabular_parameters}
    {text_pair_parameters}

    Attributes
    ----------
    {pretrained_attributes}
    {tabular_attributes}
    {transformer_training_attributes}
    {target_scaling_attributes}

    See Also
    --------
    {transformer_see_also}

    Notes
    -----
    {transformer_notes}

    References
    ----------
    {transformer_references}

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
        data_parallel=None,
        mixed_precision=None,
        optimizer=None,
        callbacks=None,
        text_columns=None,
        tabular="auto",
        fusion="concat",
        tabular_hidden=64,
        modality_dropout=0.5,
        text_pair=False,
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
        self.data_parallel = data_parallel
        self.mixed_precision = mixed_precision
        self.optimizer = optimizer
        self.callbacks = callbacks
        self.text_columns = text_columns
        self.tabular = tabular
        self.fusion = fusion
        self.tabular_hidden = tabular_hidden
        self.modality_dropout = modality_dropout
        self.text_pair = text_pair
