"""skorch pieces behind every sktext neural estimator.

Composition, not inheritance: the public estimators are plain scikit-learn estimators that
build a :class:`_SkorchNet` in ``fit``. This module holds that net subclass (the task's
loss with sample weights, sparse-row catch-up, flushing lazy optimizers, mixed precision)
and the callbacks that give skorch scikit-learn's stopping rules and learning-rate
schedules.
"""

import contextlib
import logging
import math
import warnings

import numpy as np
import torch
from sklearn.exceptions import ConvergenceWarning
from skorch import NeuralNet
from skorch.callbacks import Callback, EarlyStopping, EpochScoring
from skorch.dataset import unpack_data
from skorch.utils import TeeGenerator, to_device, to_tensor

from .._persistence import refuse_skops_loading
from ._print_log import TerminalPrintLog

__all__ = [
    "GradientNormClipping",
    "NonFiniteTrainingError",
    "StopTraining",
    "IndexDataset",
    "LengthBucketSampler",
    "SklearnLearningRate",
    "SklearnStopping",
    "WarmupLinearSchedule",
    "make_loader",
    "reference_length",
    "token_budgets",
    "_SkorchNet",
]

logger = logging.getLogger(__name__)


class StopTraining(Exception):
    """Raised by a callback to end training after the current epoch, keeping the model.

    sktext's stopping rule raises it (skorch's own callbacks signal a stop with
    ``KeyboardInterrupt``, which skorch swallows; :class:`_SkorchNet` lets a real
    ``KeyboardInterrupt`` reach the caller instead).
    """


class NonFiniteTrainingError(ValueError):
    """Training diverged: the loss or the weights became NaN or infinite."""


class _Interrupted(Exception):
    """Carries a ``KeyboardInterrupt`` through skorch's ``except KeyboardInterrupt``."""


class IndexDataset(torch.utils.data.Dataset):
    """A dataset whose items are row indices; ``collate`` builds whole batches at once.

    Slicing a CSR matrix or an array once per batch is far cheaper than once per sample,
    and lets a batch be a sparse tensor. ``make_batch(indices)`` returns the input of the
    module for those rows (a tensor, or a dict of tensors for modules taking several).

    ``lengths`` (one per sample, e.g. the number of tokens of each document) makes
    :func:`make_loader` group samples of similar length into batches
    (:class:`LengthBucketSampler`), so that each batch is padded to its own longest
    document with little waste.
    """

    def __init__(self, make_batch, n_samples, y=None, sample_weight=None, lengths=None):
        self.make_batch = make_batch
        self.n_samples = n_samples
        self.lengths = None if lengths is None else np.asarray(lengths, dtype=np.int64)
        if self.lengths is not None and self.lengths.shape != (n_samples,):
            raise ValueError(
                f"lengths must have one entry per sample ({n_samples}); got shape "
                f"{self.lengths.shape}."
            )
        # class indices stay integers, float targets keep their precision (float64 for
        # an MLP fitted on float64 input); the loss casts them to the outputs' dtype
        self.y = None if y is None else torch.as_tensor(np.asarray(y))
        if self.y is not None and not self.y.is_floating_point():
            self.y = self.y.long()
        self.sample_weight = (
            None
            if sample_weight is None
            else torch.as_tensor(np.asarray(sample_weight, dtype=np.float64))
        )

    def __len__(self):
        return self.n_samples

    def __getitem__(self, i):
        return i

    def collate(self, indices):
        idx = np.asarray(indices, dtype=np.int64)
        batch = self.make_batch(idx)
        # a module taking several inputs gets a dict of keyword arguments
        X = dict(batch) if isinstance(batch, dict) else {"X": batch}
        if self.sample_weight is not None:
            X["sample_weight"] = self.sample_weight[idx]
        y = None if self.y is None else self.y[idx]
        return X, y


#: Quantile of the document lengths that sets the default padded-token budget of a batch.
BUDGET_LENGTH_QUANTILE = 0.99


def reference_length(lengths):
    """The length a batch budget is counted in: the 99th percentile of ``lengths``.

    The lower order statistic (``method="lower"``), at least 1: unlike the mean, a few
    outlier documents do not move it (one document in 200 is above the 99th percentile),
    so the budget ``batch_size * reference_length(lengths)`` keeps the batches of ordinary
    documents full and gives the outliers batches of their own.
    """
    lengths = np.asarray(lengths)
    if not len(lengths):
        return 1
    return max(int(np.quantile(lengths, BUDGET_LENGTH_QUANTILE, method="lower")), 1)


#: Inference batches keep no gradients: they get this many times the training budget.
INFERENCE_BUDGET_FACTOR = 2


def token_budgets(batch_size, length):
    """``(training, inference)`` padded-token budgets of batches of ``batch_size`` documents.

    ``batch_size * length`` positions in training (``length``: e.g. the
    :func:`reference_length` of the training documents), ``INFERENCE_BUDGET_FACTOR`` times
    that in inference, where no activations are kept for a backward pass: a prediction
    batch takes about the memory of a training batch.
    """
    training = int(batch_size) * max(int(length), 1)
    return training, INFERENCE_BUDGET_FACTOR * training


class LengthBucketSampler(torch.utils.data.Sampler):
    """Batch sampler grouping samples of similar length, within a padded-token budget.

    With ``shuffle=True`` (training) every pass draws a random permutation from torch's
    RNG (seeded by the estimator, or ``generator``), cuts it into pools of
    ``pool_size`` batches, sorts each pool by length, splits the pools into batches and
    shuffles the order of all batches: batches differ from epoch to epoch, yet each holds
    documents of similar length. With ``shuffle=False`` (validation, prediction) the
    samples are sorted by length (stable sort) and cut into consecutive batches.

    Either way a batch holds at most ``batch_size`` samples and at most ``max_tokens``
    padded positions (its number of samples times its longest length): the sorted
    samples are cut greedily, so a batch ends early only when the next sample would
    take it over the budget. Batches of ordinary documents stay full; documents much
    longer than the others come in smaller batches, and a sample longer than
    ``max_tokens`` on its own is served alone. The memory of a batch is thus bounded by
    ``max_tokens`` (or by the longest single document), whatever the corpus holds.

    Batches are served out of the input order. After a pass, ``order`` holds the
    positions in the order they were served (the batches concatenated), so outputs
    concatenated in iteration order are put back in input order with
    ``restored[order] = outputs`` (see ``_SkorchNet.forward_iter``).

    Parameters
    ----------
    lengths : array-like of int, shape (n_samples,)
        Length of each sample.
    batch_size : int
        Most samples per batch.
    max_tokens : int, default=None
        Most padded positions per batch (a longer single sample goes alone). ``None``:
        ``batch_size * reference_length(lengths)``, the 99th percentile of the lengths.
    shuffle : bool, default=False
        Random pools and batch order (training) or sorted order (inference).
    drop_last : bool, default=False
        Drop the last batch of a shuffled pass when it holds fewer than ``batch_size``
        samples.
    pool_size : int, default=100
        Batches per pool sorted together when shuffling: larger pools waste less
        padding, smaller ones mix lengths more.
    generator : torch.Generator, default=None
        Source of randomness; ``None`` uses torch's global RNG.
    """

    def __init__(
        self,
        lengths,
        batch_size,
        *,
        max_tokens=None,
        shuffle=False,
        drop_last=False,
        pool_size=100,
        generator=None,
    ):
        self.lengths = np.asarray(lengths, dtype=np.int64)
        self.batch_size = int(batch_size)
        if max_tokens is None:
            max_tokens = self.batch_size * reference_length(self.lengths)
        self.max_tokens = int(max_tokens)
        self.shuffle = shuffle
        self.drop_last = drop_last
        self.pool_size = int(pool_size)
        self.generator = generator
        self.order = None
        # a shuffled pass drawn by __len__, served by the next __iter__
        self._pending = None

    def __len__(self):
        if not self.shuffle:
            return len(self._sorted_batches())
        # the budget makes the number of batches depend on the draw: draw the next pass
        if self._pending is None:
            self._pending = self._batches()
        return len(self._pending)

    def _batches(self):
        if not self.shuffle:
            return self._sorted_batches()
        n, size = len(self.lengths), self.batch_size
        perm = torch.randperm(n, generator=self.generator).numpy()
        pool = size * self.pool_size
        batches = []
        for start in range(0, n, pool):
            chunk = perm[start : start + pool]
            batches.extend(self._cut(chunk[np.argsort(self.lengths[chunk], kind="stable")]))
        if self.drop_last and batches and len(batches[-1]) < size:
            batches.pop()
        shuffled = torch.randperm(len(batches), generator=self.generator).numpy()
        return [batches[i] for i in shuffled]

    def _sorted_batches(self):
        """Consecutive batches of all the samples sorted by length."""
        return self._cut(np.argsort(self.lengths, kind="stable"))

    def _cut(self, order):
        """Cut ``order`` (sorted by length) into batches within both limits, greedily.

        A batch of ``m`` samples whose last (longest) one has length ``L`` holds ``m * L``
        padded positions: it grows while ``m <= batch_size`` and ``m * L <= max_tokens``,
        and always takes at least one sample.
        """
        sorted_lengths = self.lengths[order]
        batches, start, n = [], 0, len(order)
        while start < n:
            stop = min(start + self.batch_size, n)
            # the first sample always, then while m * L[start + m - 1] fits in the budget
            counts = np.arange(2, stop - start + 1)
            fits = counts * sorted_lengths[start + 1 : stop] <= self.max_tokens
            # lengths grow along the batch, so m * L is increasing: the first miss ends it
            end = start + 1 + (int(np.argmin(fits)) if not fits.all() else len(fits))
            batches.append(order[start:end])
            start = end
        return batches

    def __iter__(self):
        batches = self._pending if self._pending is not None else self._batches()
        self._pending = None
        self.order = np.concatenate(batches) if batches else np.empty(0, dtype=np.int64)
        for batch in batches:
            yield batch.tolist()


def make_loader(dataset, **kwargs):
    """``iterator_train``/``iterator_valid`` for skorch: a DataLoader with batch collation.

    skorch hands the loader a dataset that may be a :class:`torch.utils.data.Subset` of an
    :class:`IndexDataset`; ``collate`` always runs on the underlying dataset with the
    original indices. When the dataset has ``lengths``, batches come from a
    :class:`LengthBucketSampler` (``batch_size``, ``max_tokens``, ``shuffle``,
    ``drop_last`` and ``generator`` are passed to it: skorch's ``iterator_train__max_tokens``
    and ``iterator_valid__max_tokens`` set the padded-token budgets of training and
    inference batches). Without lengths, ``max_tokens`` is ignored.
    """
    base, mapping = dataset, None
    if isinstance(dataset, torch.utils.data.Subset):
        base, mapping = dataset.dataset, np.asarray(dataset.indices)

    def collate(indices):
        idx = np.asarray(indices, dtype=np.int64)
        if mapping is not None:
            idx = mapping[idx]
        return base.collate(idx)

    kwargs.pop("collate_fn", None)
    max_tokens = kwargs.pop("max_tokens", None)
    lengths = getattr(base, "lengths", None)
    if lengths is not None:
        if mapping is not None:
            lengths = lengths[mapping]
        kwargs.pop("sampler", None)
        sampler = LengthBucketSampler(
            lengths,
            kwargs.pop("batch_size", 1),
            max_tokens=max_tokens,
            shuffle=kwargs.pop("shuffle", False),
            drop_last=kwargs.pop("drop_last", False),
            generator=kwargs.pop("generator", None),
        )
        return torch.utils.data.DataLoader(
            np.arange(len(dataset)), batch_sampler=sampler, collate_fn=collate, **kwargs
        )
    return torch.utils.data.DataLoader(np.arange(len(dataset)), collate_fn=collate, **kwargs)


def _restore_order(outputs, order):
    """Concatenate per-batch outputs served in ``order`` and put them in input order."""
    first = outputs[0]
    if isinstance(first, (tuple, list)):
        parts = ([o[k] for o in outputs] for k in range(len(first)))
        return type(first)(_restore_order(part, order) for part in parts)
    out = torch.cat(outputs)
    inverse = np.empty_like(order)
    inverse[order] = np.arange(len(order))
    return out[torch.as_tensor(inverse, device=out.device)]


def _validation_score(net, X, y):
    """The task's validation score (skorch scoring callable of ``EpochScoring``)."""
    return net.task.validation_score(y, net.predict_proba(X))


class _SkorchNet(NeuralNet):
    """skorch NeuralNet that understands sktext batches and tasks.

    * ``task`` (see :mod:`sktext.neural_network._tasks`) gives the per-sample loss, the
      output activation of ``predict_proba`` and the validation score recorded as
      ``task.score_name`` in the history (``"valid_acc"``, ``"valid_r2"``) when a
      validation set is given.
    * ``X`` batches are dicts ``{"X": input, "sample_weight": w}``; the weights are taken
      out before the module is called and enter the loss as a weighted mean, together with
      the task's per-sample weights (scikit-learn's ``class_weight``).
    * ``module_dtype`` is the dtype of the module's parameters (float64 for an MLP fitted
      on float64 input, as scikit-learn's MLPs compute in the input's precision).
    * Before each training forward pass, optimizers with a ``catch_up`` method bring the
      weight rows the batch reads up to date (see :class:`~sktext.nn.CatchUpAdam`); at the
      end of each training epoch they are flushed, so validation and prediction see
      exactly the parameters dense Adam would have.
    * ``mixed_precision="bf16"`` or ``"fp16"`` runs the forward passes under
      :func:`torch.autocast` on the net's device (weights, optimizer state and the loss
      stay float32; outputs are returned as float32). ``"fp16"`` also scales the loss with
      a :class:`torch.amp.GradScaler` against gradient underflow: gradients are unscaled
      before the ``on_grad_computed`` callbacks (gradient clipping sees true gradients),
      and steps with non-finite gradients are skipped, as the scaler does.
    """

    def __init__(
        self,
        *args,
        task,
        module_dtype=torch.float32,
        alpha=0.0,
        mixed_precision=None,
        **kwargs,
    ):
        super().__init__(*args, criterion=task.criterion, **kwargs)
        self.task = task
        self.module_dtype = module_dtype
        self.alpha = alpha
        self.mixed_precision = mixed_precision

    def __setstate__(self, state):
        # skops would unpickle the torch objects' bytes unchecked: refuse it
        refuse_skops_loading(type(self))
        super().__setstate__(state)

    @property
    def _default_callbacks(self):
        callbacks = [  # skorch's, with an epoch table free of colour codes in log files
            (name, TerminalPrintLog() if name == "print_log" else cb)
            for name, cb in super()._default_callbacks
        ]
        # before print_log, so that the epoch table shows the score
        callbacks.insert(
            -1,
            (
                self.task.score_name,
                EpochScoring(_validation_score, name=self.task.score_name, lower_is_better=False),
            ),
        )
        return callbacks

    # ------------------------------------------------------------------ stopping
    def notify(self, method_name, **cb_kwargs):
        # skorch's notify; a skorch EarlyStopping that signals its stop with
        # KeyboardInterrupt is turned into StopTraining, any other KeyboardInterrupt
        # (Ctrl+C, or raised by a callback) stays one
        getattr(self, method_name)(self, **cb_kwargs)
        for _, cb in self.callbacks_:
            try:
                getattr(cb, method_name)(self, **cb_kwargs)
            except KeyboardInterrupt:
                if isinstance(cb, EarlyStopping) and cb.misses_ >= cb.patience:
                    raise StopTraining from None
                raise

    def fit_loop(self, X, y=None, epochs=None, **fit_params):
        try:
            return super().fit_loop(X, y, epochs=epochs, **fit_params)
        except StopTraining:
            return self
        except KeyboardInterrupt as exc:
            # skorch's partial_fit would swallow it and report success
            raise _Interrupted from exc

    def partial_fit(self, X, y=None, classes=None, **fit_params):
        """skorch's ``partial_fit``; a ``KeyboardInterrupt`` propagates to the caller."""
        try:
            return super().partial_fit(X, y, classes, **fit_params)
        except _Interrupted as exc:
            raise exc.__cause__ from None

    def initialize_module(self):
        super().initialize_module()
        self.module_.to(self.module_dtype)
        return self

    def _get_predict_nonlinearity(self):
        return self.task.outputs

    def _autocast(self):
        """``torch.autocast`` of ``mixed_precision`` on the net's device (else a no-op)."""
        dtype = AUTOCAST_DTYPES[self.mixed_precision]
        if dtype is None:
            return contextlib.nullcontext()
        return torch.autocast(device_type=torch.device(self.device).type, dtype=dtype)

    def _float_outputs(self, out):
        # autocast outputs come back as float32; without it the module's dtype is kept
        return out if self.mixed_precision is None else out.float()

    def infer(self, x, **fit_params):
        x = dict(x)
        x.pop("sample_weight", None)
        with self._autocast():
            out = super().infer(x, **fit_params)
        return self._float_outputs(out)

    def _encode_step(self, batch):
        """Document vectors of a batch: ``module_.encode`` (under autocast if chosen)."""
        self._set_training(False)
        Xi, _ = unpack_data(batch)
        x = {k: to_tensor(v, device=self.device) for k, v in Xi.items() if k != "sample_weight"}
        with torch.no_grad(), self._autocast():
            out = self.module_.encode(**x)
        return self._float_outputs(out)

    def encode(self, dataset):
        """``module_.encode`` over a dataset, as a CPU tensor in input order."""
        outputs = list(self._iterate(dataset, self._encode_step, training=False, device="cpu"))
        return torch.cat(outputs) if outputs else torch.empty(0)

    def _grad_scaler(self):
        """The loss scaler of ``mixed_precision="fp16"`` for the net's device, else None.

        Kept between calls (its scale carries over to ``partial_fit``); made anew when the
        device changed (a model fitted on a GPU and loaded on a CPU). GradScaler pickles
        without its device tensors.
        """
        if self.mixed_precision != "fp16":
            return None
        device = torch.device(self.device).type
        scaler = getattr(self, "grad_scaler_", None)
        if scaler is None or getattr(self, "grad_scaler_device_", None) != device:
            scaler = self.grad_scaler_ = torch.amp.GradScaler(device)
            self.grad_scaler_device_ = device
        return scaler

    def train_step(self, batch, **fit_params):
        scaler = self._grad_scaler()
        if scaler is None:
            return super().train_step(batch, **fit_params)
        # skorch's step without the closure (a scaled step cannot be re-evaluated)
        self._zero_grad_optimizer()
        step = self.train_step_single(batch, **fit_params)
        for name in self._optimizers:
            scaler.unscale_(getattr(self, name + "_"))
        self.notify(
            "on_grad_computed",
            named_parameters=TeeGenerator(self.get_all_learnable_params()),
            batch=batch,
            training=True,
        )
        for name in self._optimizers:
            scaler.step(getattr(self, name + "_"))
        scaler.update()
        return step

    def get_loss(self, y_pred, y_true, X=None, training=False):
        y_true = y_true.to(y_pred.device)
        losses = self.task.losses(y_pred, y_true)  # (batch,)
        weights = None
        if X is not None and "sample_weight" in X:
            weights = X["sample_weight"].to(y_pred.device, losses.dtype)
        task_weights = self.task.weights(y_true)
        if task_weights is not None:
            task_weights = task_weights.to(losses.dtype)
            weights = task_weights if weights is None else weights * task_weights
        if weights is None:
            total = torch.tensor(float(len(losses)), device=losses.device)
            loss = losses.sum() / total
        else:
            total = weights.sum().clamp_min(1e-12)
            loss = (losses * weights).sum() / total
        if self.alpha and training:
            for group in self.optimizer_.param_groups:
                if group.get("sparse_l2"):
                    group["weight_decay"] = self.alpha / float(total)
            # scikit-learn's L2 term, 0.5 * alpha * ||W||^2 / (sum of batch weights); weights
            # with sparse gradients are decayed by the optimizer instead (see penalized_weights)
            l2 = sum((w * w).sum() for w in penalized_weights(self.module_))
            loss = loss + 0.5 * self.alpha * l2 / total
        return loss

    def forward_iter(self, X, training=False, device="cpu"):
        """skorch's ``forward_iter``, with outputs in input order under length bucketing.

        A :class:`LengthBucketSampler` serves batches out of input order; skorch
        concatenates what this yields in iteration order (``forward``,
        ``predict_proba``), so the outputs of such a pass are gathered and yielded once,
        put back in input order. Other loaders are iterated exactly as skorch does.
        """

        def step(batch):
            return self.evaluation_step(batch, training=training)

        yield from self._iterate(X, step, training=training, device=device)

    def _iterate(self, X, step, *, training, device):
        dataset = self.get_dataset(X)
        iterator = self.get_iterator(dataset, training=training)
        sampler = getattr(iterator, "batch_sampler", None)
        if not isinstance(sampler, LengthBucketSampler):
            for batch in iterator:
                yield to_device(step(batch), device=device)
            return
        outputs = [to_device(step(batch), device=device) for batch in iterator]
        if outputs:
            yield _restore_order(outputs, sampler.order)

    def _catch_up_rows(self, Xi):
        rows_read = getattr(self.module_, "rows_read", None)
        if rows_read is None or not hasattr(self.optimizer_, "catch_up"):
            return
        inputs = {k: v for k, v in Xi.items() if k != "sample_weight"}
        for param, rows in rows_read(**inputs):
            self.optimizer_.catch_up(param, rows.to(param.device), assume_unique=True)

    def train_step_single(self, batch, **fit_params):
        self._set_training(True)
        Xi, yi = unpack_data(batch)
        self._catch_up_rows(Xi)
        y_pred = self.infer(Xi, **fit_params)
        loss = self.get_loss(y_pred, yi, X=Xi, training=True)
        scaler = self._grad_scaler()
        (loss if scaler is None else scaler.scale(loss)).backward()
        return {"loss": loss, "y_pred": y_pred}

    def run_single_epoch(self, iterator, training, prefix, step_fn, **fit_params):
        # skorch's loop, with the batch size read from the targets: sktext batches are
        # dicts whose entries need not share a first dimension (e.g. CSR batch + its rows)
        if iterator is None:
            return
        batch_count = 0
        for batch in iterator:
            self.notify("on_batch_begin", batch=batch, training=training)
            step = step_fn(batch, **fit_params)
            loss = step["loss"].item()
            if training and not math.isfinite(loss):
                raise NonFiniteTrainingError(
                    f"The training loss became {loss} at batch {batch_count + 1} of epoch "
                    f"{len(self.history)}: the optimization diverged. The input data may "
                    "contain large values and need to be preprocessed, or the learning "
                    "rate is too high."
                )
            self.history.record_batch(prefix + "_loss", loss)
            self.history.record_batch(prefix + "_batch_size", _batch_len(batch))
            self.notify("on_batch_end", batch=batch, training=training, **step)
            batch_count += 1
        self.history.record(prefix + "_batch_count", batch_count)
        if training and hasattr(self.optimizer_, "flush"):
            self.optimizer_.flush()
        if training:
            check_finite_parameters(self.module_)


def check_finite_parameters(module):
    """Raise scikit-learn's error if a weight of ``module`` is NaN or infinite."""
    finite = [torch.isfinite(p).all() for p in module.parameters()]
    if finite and not bool(torch.stack(finite).all()):
        raise NonFiniteTrainingError(
            "Solver produced non-finite parameter weights. The input data may contain "
            "large values and need to be preprocessed."
        )


#: ``mixed_precision`` option -> autocast dtype (None: float32 throughout)
AUTOCAST_DTYPES = {None: None, "bf16": torch.bfloat16, "fp16": torch.float16}


def _batch_len(batch):
    X, y = batch
    if y is not None:
        return len(y)
    first = next(iter(X.values())) if isinstance(X, dict) else X
    return first.shape[0]


def sparse_parameters(module):
    """Parameters that receive sparse gradients (declared by ``module.sparse_parameters``)."""
    declared = getattr(module, "sparse_parameters", None)
    return list(declared()) if declared is not None else []


def penalized_weights(module):
    """Weight matrices/kernels (not biases, not sparse-gradient ones) for the L2 term."""
    sparse = {id(p) for p in sparse_parameters(module)}
    return [
        p
        for name, p in module.named_parameters()
        if p.requires_grad and p.dim() > 1 and name.endswith("weight") and id(p) not in sparse
    ]


class SklearnStopping(Callback):
    """scikit-learn's MLP stopping rule as a skorch callback.

    Without a validation set, training stops when the training loss has not improved by
    at least ``tol`` for more than ``n_iter_no_change`` consecutive epochs; with one, the
    same rule on the validation accuracy, and the best parameters are restored when
    training ends (as ``sklearn.neural_network.MLPClassifier(early_stopping=True)`` does).
    With ``adaptive_lr`` (``solver="sgd", learning_rate="adaptive"``), a plateau first
    divides the learning rate by 5 and only stops once it falls below 1e-6.
    A ``ConvergenceWarning`` is issued if ``max_iter`` epochs end without stopping, unless
    ``warn_at_max_iter=False`` (a schedule planned to end at ``max_iter``, as fine-tuning's).
    """

    def __init__(
        self,
        *,
        tol,
        n_iter_no_change,
        early_stopping,
        adaptive_lr,
        max_iter,
        max_fun=None,
        warn_at_max_iter=True,
    ):
        self.tol = tol
        self.n_iter_no_change = n_iter_no_change
        self.early_stopping = early_stopping
        self.adaptive_lr = adaptive_lr
        self.max_iter = max_iter
        self.max_fun = max_fun
        self.warn_at_max_iter = warn_at_max_iter
        # partial_fit runs single epochs without scikit-learn's stopping rule
        self.enabled = True

    def initialize(self):
        super().initialize()
        self.best_loss_ = np.inf
        self.best_score_ = -np.inf
        self.best_state_ = None
        self.no_improvement_ = 0
        self.stopped_ = False
        self.stop_message_ = None
        self.epochs_ = 0
        return self

    def on_epoch_end(self, net, dataset_valid=None, **kwargs):
        if not self.enabled:
            return
        self.epochs_ += 1
        history = net.history
        if self.early_stopping:
            score = history[-1, net.task.score_name]
            if score < self.best_score_ + self.tol:
                self.no_improvement_ += 1
            else:
                self.no_improvement_ = 0
            if score > self.best_score_:
                self.best_score_ = score
                # CPU copy: pickles load without a GPU, and no device memory is held
                self.best_state_ = {
                    k: v.detach().to("cpu", copy=True) for k, v in net.module_.state_dict().items()
                }
        else:
            loss = history[-1, "train_loss"]
            if loss > self.best_loss_ - self.tol:
                self.no_improvement_ += 1
            else:
                self.no_improvement_ = 0
            if loss < self.best_loss_:
                self.best_loss_ = loss
        if self.max_fun is not None and self._function_evaluations(net) >= self.max_fun:
            warnings.warn(
                f"lbfgs failed to converge: maximum number of function evaluations "
                f"(max_fun={self.max_fun}) reached.",
                ConvergenceWarning,
            )
            self.stopped_ = True
            self.stop_message_ = "Maximum number of function evaluations reached."
            return
        if self.no_improvement_ > self.n_iter_no_change:
            what = "Validation score" if self.early_stopping else "Training loss"
            msg = (
                f"{what} did not improve more than tol={self.tol:f} for "
                f"{self.n_iter_no_change} consecutive epochs."
            )
            if self.adaptive_lr and self._reduce_lr(net):
                self.no_improvement_ = 0
                return
            # stop at the start of the next epoch, so skorch's PrintLog (always the last
            # callback) still prints this epoch's row
            self.stop_message_ = msg + " Stopping."
            self.stopped_ = True

    def on_epoch_begin(self, net, **kwargs):
        if self.enabled and self.stopped_:
            logger.info(self.stop_message_)
            if net.verbose:
                print(self.stop_message_)  # verbose output, below skorch's epoch table
            raise StopTraining

    @staticmethod
    def _function_evaluations(net):
        states = list(net.optimizer_.state.values())
        return states[0].get("func_evals", 0) if states else 0

    @staticmethod
    def _reduce_lr(net):
        groups = net.optimizer_.param_groups
        if groups[0]["lr"] <= 1e-6:
            return False
        for group in groups:
            group["lr"] /= 5.0
        return True

    def __getstate__(self):
        # the best weights live on in the module once restored: never pickle a copy
        state = self.__dict__.copy()
        state["best_state_"] = None
        return state

    def on_train_end(self, net, **kwargs):
        if not self.enabled:
            return
        if self.early_stopping and self.best_state_ is not None:
            net.module_.load_state_dict(self.best_state_)
            self.best_state_ = None
        if self.warn_at_max_iter and not self.stopped_ and self.epochs_ >= self.max_iter:
            warnings.warn(
                f"Stochastic Optimizer: Maximum iterations ({self.max_iter}) reached and the "
                "optimization hasn't converged yet.",
                ConvergenceWarning,
            )


class SklearnLearningRate(Callback):
    """``learning_rate="invscaling"``: ``lr = learning_rate_init / t**power_t`` per epoch.

    ``t`` counts the samples seen so far, updated at the end of each epoch, exactly as
    scikit-learn's SGD optimizer does.
    """

    def __init__(self, *, learning_rate_init, power_t, n_samples):
        self.learning_rate_init = learning_rate_init
        self.power_t = power_t
        self.n_samples = n_samples

    def on_epoch_end(self, net, **kwargs):
        t = len(net.history) * self.n_samples
        lr = self.learning_rate_init / (t + 1) ** self.power_t
        for group in net.optimizer_.param_groups:
            group["lr"] = lr


class GradientNormClipping(Callback):
    """Rescale the gradients so that their global L2 norm is at most ``max_norm``.

    Runs after every backward pass (skorch's ``on_grad_computed``), before the
    optimizer step. Unlike :func:`torch.nn.utils.clip_grad_norm_` it takes sparse
    gradients (a sparse embedding's): they are coalesced, so that a row read several
    times in a batch counts once with its summed gradient, and enter the same norm as
    the dense ones.

    Parameters
    ----------
    max_norm : float
        Largest allowed L2 norm of all gradients together.
    """

    def __init__(self, max_norm):
        self.max_norm = max_norm

    def on_grad_computed(self, net, named_parameters, **kwargs):
        grads = []
        for _, param in named_parameters:
            if param.grad is None:
                continue
            if param.grad.is_sparse:
                param.grad = param.grad.coalesce()
                grads.append(param.grad._values())
            else:
                grads.append(param.grad)
        if not grads:
            return
        total = torch.linalg.vector_norm(torch.stack([torch.linalg.vector_norm(g) for g in grads]))
        # no host sync: scale by min(1, max_norm / norm) on the gradients' device
        scale = (self.max_norm / (total + 1e-6)).clamp(max=1.0)
        for g in grads:
            g.mul_(scale.to(g.device))


class WarmupLinearSchedule(Callback):
    """Linear warm-up, then linear decay of the learning rate, set at every training batch.

    Batch ``s`` (counted from 0 over one ``fit``) is trained at
    ``lr * min((s + 1) / (warmup_steps + 1), (total_steps - s) / (total_steps - warmup_steps))``
    where ``lr`` is the net's learning rate: it climbs to ``lr`` over the first
    ``warmup_steps`` batches and falls towards 0 over the rest, the schedule BERT was
    fine-tuned with (``transformers.get_linear_schedule_with_warmup``, without its
    wasted first step at a learning rate of 0). Every parameter group follows it.

    ``enabled = False`` (``partial_fit``, where the number of epochs is not known) trains
    at the constant ``lr`` instead.

    Parameters
    ----------
    total_steps : int
        Training batches of the whole schedule (epochs times batches per epoch).
    warmup_steps : int
        Batches of the warm-up, ``0 <= warmup_steps < total_steps``.
    """

    def __init__(self, *, total_steps, warmup_steps):
        self.total_steps = total_steps
        self.warmup_steps = warmup_steps
        self.enabled = True

    def initialize(self):
        super().initialize()
        self.step_ = 0
        return self

    def factor(self, step):
        """Multiplier of the learning rate at batch ``step``."""
        warm = (step + 1) / (self.warmup_steps + 1)
        decay = (self.total_steps - step) / max(self.total_steps - self.warmup_steps, 1)
        return max(min(warm, decay, 1.0), 0.0)

    def _set_lr(self, net, lr):
        for group in net.optimizer_.param_groups:
            group["lr"] = lr

    def on_train_begin(self, net, **kwargs):
        if not self.enabled:
            self._set_lr(net, net.lr)

    def on_batch_begin(self, net, training=False, **kwargs):
        if training and self.enabled:
            self._set_lr(net, net.lr * self.factor(self.step_))
            self.step_ += 1
