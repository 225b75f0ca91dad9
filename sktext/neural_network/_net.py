"""The skorch net behind every sktext neural estimator, and the errors it raises.

Composition, not inheritance: the public estimators are plain scikit-learn estimators that
build a :class:`_SkorchNet` in ``fit``. This module holds that net subclass (the task's
loss with sample weights, sparse-row catch-up, flushing lazy optimizers, mixed precision)
and the helpers it uses on the module's parameters.
"""

import contextlib
import logging
import math

import torch
import torch.distributed as dist
from skorch import NeuralNet
from skorch.callbacks import EarlyStopping, EpochScoring
from skorch.dataset import unpack_data
from skorch.utils import TeeGenerator, to_device, to_tensor

from ..utils._batching import AUTOCAST_DTYPES, LengthBucketSampler, restore_order
from ..utils._safety import refuse_skops_loading
from ._callbacks import StopTraining, TerminalPrintLog
from ._distributed import FILLER_KEY, ShardedBatches

__all__ = [
    "NonFiniteTrainingError",
    "StopTraining",
    "batches_in_pass",
    "check_finite_parameters",
    "penalized_weights",
    "sparse_parameters",
    "_SkorchNet",
]

logger = logging.getLogger(__name__)


class NonFiniteTrainingError(ValueError):
    """Training diverged: the loss or the weights became NaN or infinite."""


class _Interrupted(Exception):
    """Carries a ``KeyboardInterrupt`` through skorch's ``except KeyboardInterrupt``."""


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
    * ``epoch_batches_``: the number of batches of the training epoch in progress, set
      before its first batch (read by
      :class:`~sktext.neural_network._callbacks.WarmupLinearSchedule`).
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
        # copied from skorch 1.4's NeuralNet.notify (pyproject pins skorch below 1.5);
        # a skorch EarlyStopping that signals its stop with
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

    # ------------------------------------------------------------------ data-parallel
    def start_data_parallel(self, rank, world_size, seed):
        """Train this rank's share of every batch through DistributedDataParallel.

        The module is wrapped (DDP broadcasts rank 0's weights and buffers, then averages
        the gradients of every backward pass); the training batches are drawn from a
        generator seeded with ``seed`` (the same on every rank) and sharded; only rank 0
        prints.
        """
        from torch.nn.parallel import DistributedDataParallel

        self.densify_gradients()
        device = torch.device(self.device)
        device_ids = None
        if device.type == "cuda":
            device_ids = [device.index if device.index is not None else torch.cuda.current_device()]
        # static_graph: parameters the forward pass never uses (a transformer's pooler)
        # are found at the first step rather than waited for; (skorch refuses torch
        # modules set as attributes outside its initialize_* methods)
        vars(self)["ddp_"] = DistributedDataParallel(
            self.module_, device_ids=device_ids, static_graph=True
        )
        self.world_size_ = world_size
        self.iterator_train__shard = (rank, world_size)
        self.iterator_train__generator = torch.Generator().manual_seed(int(seed))
        if rank:
            self.verbose = 0

    def stop_data_parallel(self):
        """Back to a plain net (nothing of torch.distributed kept, or pickled)."""
        for name in (
            "ddp_", "world_size_", "iterator_train__shard", "iterator_train__generator",
            "filler_step_", "step_rows_", "global_batch_rows_",
        ):  # fmt: skip
            vars(self).pop(name, None)

    def densify_gradients(self):
        """Make the layers that produce sparse gradients produce dense ones, for good.

        DistributedDataParallel exchanges dense gradients (NCCL has no sparse
        all-reduce). Pending lazy updates are applied first, the optimizer's state of
        those weights becomes a dense one (after a flush they are the same), and their L2
        decay moves from the optimizer to the loss's L2 term, which then covers them (the
        same penalty).
        """
        dense = []
        for layer in self.module_.modules():
            if getattr(layer, "sparse_grad", False) is True:
                layer.sparse_grad = False
                dense.append(layer)
            elif isinstance(layer, torch.nn.Embedding) and layer.sparse:
                layer.sparse = False
                dense.append(layer)
        if not dense:
            return
        optimizer = self.optimizer_
        if hasattr(optimizer, "flush"):
            optimizer.flush()
        for group in optimizer.param_groups:
            if group.pop("sparse_l2", False):
                group["weight_decay"] = 0.0
        for state in optimizer.state.values():
            for key in _LAZY_STATE:
                state.pop(key, None)

    def _data_parallel(self):
        return vars(self).get("ddp_") is not None

    def infer(self, x, **fit_params):
        x = dict(x)
        x.pop("sample_weight", None)
        with self._autocast():
            if self._data_parallel() and self.module_.training:
                x = to_tensor(x, device=self.device)
                out = self.ddp_(**self._merge_x_and_fit_params(x, fit_params))
            else:
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
        # skorch 1.4's NeuralNet.train_step (pinned below 1.5) without the closure (a
        # scaled step cannot be re-evaluated)
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
            weighted = losses.sum()
        else:
            total = weights.sum().clamp_min(1e-12)
            weighted = (losses * weights).sum()
        if training and self._data_parallel():
            # normalised by the global batch's weight, times the world size: DDP's mean
            # of the ranks' gradients is then the gradient of the global batch's loss
            total = self._global_batch_total(total)
            loss = weighted * self.world_size_ / total
        else:
            loss = weighted / total
        if self.alpha and training:
            for group in self.optimizer_.param_groups:
                if group.get("sparse_l2"):
                    group["weight_decay"] = self.alpha / float(total)
            # scikit-learn's L2 term, 0.5 * alpha * ||W||^2 / (sum of batch weights); weights
            # with sparse gradients are decayed by the optimizer instead (see penalized_weights)
            l2 = sum((w * w).sum() for w in penalized_weights(self.module_))
            loss = loss + 0.5 * self.alpha * l2 / total
        return loss

    def _global_batch_total(self, total):
        """The weight of the global batch (all ranks), and its number of rows in
        ``global_batch_rows_`` (one all-reduce of two numbers)."""
        rows = 0.0 if self.filler_step_ else float(self.step_rows_)
        stats = torch.stack([total.detach().double(), torch.tensor(rows, dtype=torch.float64)])
        stats = stats.to(total.device)
        dist.all_reduce(stats)
        self.global_batch_rows_ = int(stats[1].item())
        return stats[0].to(total.dtype).clamp_min(1e-12)

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
            yield restore_order(outputs, sampler.order)

    def _catch_up_rows(self, Xi):
        """Bring the weight rows the batch reads up to date; returns the module inputs that
        take rows as the optimizer read them (``module_.weight_rows_keyword``)."""
        rows_read = getattr(self.module_, "rows_read", None)
        if rows_read is None or not hasattr(self.optimizer_, "catch_up"):
            return {}
        inputs = {k: v for k, v in Xi.items() if k != "sample_weight"}
        keyword_of = getattr(self.module_, "weight_rows_keyword", None)
        read = {}
        for param, rows in rows_read(**inputs):
            keyword = None if keyword_of is None else keyword_of(param, **inputs)
            rows = rows.to(param.device)
            if keyword is None:
                self.optimizer_.catch_up(param, rows, assume_unique=True)
                continue
            values = self.optimizer_.catch_up(param, rows, assume_unique=True, keep=True)
            if values is not None:
                read[keyword] = values
        return read

    def train_step_single(self, batch, **fit_params):
        self._set_training(True)
        Xi, yi = unpack_data(batch)
        if FILLER_KEY in Xi:
            Xi = dict(Xi)
            self.filler_step_ = bool(Xi.pop(FILLER_KEY))
            self.step_rows_ = _batch_len((Xi, yi))
        read = self._catch_up_rows(Xi)
        if read:
            Xi = {**Xi, **read}
        y_pred = self.infer(Xi, **fit_params)
        loss = self.get_loss(y_pred, yi, X=Xi, training=True)
        scaler = self._grad_scaler()
        (loss if scaler is None else scaler.scale(loss)).backward()
        if self._data_parallel():
            # the global batch's loss (the same on every rank) for the history
            loss = loss.detach().clone()
            dist.all_reduce(loss)
            loss = loss / self.world_size_
        return {"loss": loss, "y_pred": y_pred}

    def run_single_epoch(self, iterator, training, prefix, step_fn, **fit_params):
        # skorch 1.4's NeuralNet.run_single_epoch (pinned below 1.5), with the batch size
        # read from the targets: sktext batches are
        # dicts whose entries need not share a first dimension (e.g. CSR batch + its rows)
        if iterator is None:
            return
        batch_count = 0
        for batch in iterator:
            if training and batch_count == 0:
                # drawn with the first batch: a schedule counts the steps of the epoch
                self.epoch_batches_ = batches_in_pass(iterator)
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
            rows = self.global_batch_rows_ if training and self._data_parallel() else None
            self.history.record_batch(prefix + "_batch_size", rows or _batch_len(batch))
            self.notify("on_batch_end", batch=batch, training=training, **step)
            batch_count += 1
        self.history.record(prefix + "_batch_count", batch_count)
        if training and hasattr(self.optimizer_, "flush"):
            self.optimizer_.flush()
        if training:
            check_finite_parameters(self.module_)


#: CatchUpAdam's per-row bookkeeping of a sparse-gradient weight
_LAZY_STATE = ("last_step", "synced_step", "coef", "tail", "tail_ratio")


def batches_in_pass(loader):
    """Number of batches of the pass ``loader`` is serving (None if it has no length).

    A :class:`LengthBucketSampler` reports the pass it drew (asking ``len`` would draw
    the next one); other loaders have a fixed length.
    """
    sampler = getattr(loader, "batch_sampler", None)
    if isinstance(sampler, (LengthBucketSampler, ShardedBatches)):
        return sampler.n_batches
    try:
        return len(loader)
    except TypeError:
        return None


def check_finite_parameters(module):
    """Raise scikit-learn's error if a weight of ``module`` is NaN or infinite."""
    finite = [torch.isfinite(p).all() for p in module.parameters()]
    if finite and not bool(torch.stack(finite).all()):
        raise NonFiniteTrainingError(
            "Solver produced non-finite parameter weights. The input data may contain "
            "large values and need to be preprocessed."
        )


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
