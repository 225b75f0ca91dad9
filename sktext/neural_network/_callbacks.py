"""The skorch callbacks sktext installs: scikit-learn's stopping rule and learning-rate
schedules, fine-tuning's warm-up and clipping, Kim's max-norm constraint, and the epoch
table without colour codes outside a terminal (as skorch keeps its own in ``callbacks/``).
"""

import logging
import os
import re
import sys
import warnings

import numpy as np
import torch
from sklearn.exceptions import ConvergenceWarning
from skorch.callbacks import Callback, PrintLog

__all__ = [
    "FitOnlyCallback",
    "GradientNormClipping",
    "StopTraining",
    "MaxNormConstraint",
    "SklearnLearningRate",
    "SklearnStopping",
    "TerminalPrintLog",
    "WarmupLinearSchedule",
]

logger = logging.getLogger(__name__)


class StopTraining(Exception):
    """Raised by a callback to end training after the current epoch, keeping the model.

    sktext's stopping rule raises it (skorch's own callbacks signal a stop with
    ``KeyboardInterrupt``, which skorch swallows; :class:`_SkorchNet` lets a real
    ``KeyboardInterrupt`` reach the caller instead).
    """


class FitOnlyCallback(Callback):
    """A callback that spans the epochs of one ``fit`` (a stopping rule, a schedule).

    ``partial_fit`` runs single epochs, whose number is not known: it sets ``enabled`` to
    False for the call, and the callback does nothing then.
    """

    enabled = True


class SklearnStopping(FitOnlyCallback):
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


class WarmupLinearSchedule(FitOnlyCallback):
    """Linear warm-up, then linear decay of the learning rate, set at every training batch.

    Batch ``s`` (counted from 0 over one ``fit``) is trained at
    ``lr * min((s + 1) / (warmup_steps + 1), (total_steps - s) / (total_steps - warmup_steps))``
    where ``lr`` is the net's learning rate: it climbs to ``lr`` over the first
    ``warmup_steps`` batches and falls towards 0 over the rest, the schedule BERT was
    fine-tuned with (``transformers.get_linear_schedule_with_warmup``, without its
    wasted first step at a learning rate of 0). Every parameter group follows it, scaled by
    the group's ``"lr_scale"`` entry when it has one (new layers beside a pretrained model).

    Either the steps are given (``total_steps`` and ``warmup_steps``), or they are counted
    as training goes (``epochs`` and ``warmup_fraction``): batches bounded by a
    padded-token budget (:class:`~sktext.utils._batching.LengthBucketSampler`) are not
    ``ceil(n_samples / batch_size)`` per epoch, and their number may change from epoch to
    epoch with the random pools. At the first batch of every training epoch the schedule
    reads the number of batches of that epoch (``net.epoch_batches_``, set by
    :class:`~._net._SkorchNet`) and plans ``total_steps_`` as the batches already run
    plus that number for this epoch and each one left; ``warmup_steps_`` is
    ``warmup_fraction`` of the first plan (fewer than ``total_steps_``). The plan of the
    last epoch is exact: the rate reaches its last, smallest value at the last batch
    actually run. When every epoch has the same number of batches, the first plan is
    already exact and the rates are those of the given-steps form.

    ``enabled = False`` (``partial_fit``, where the number of epochs is not known) trains
    at the constant ``lr`` instead.

    Parameters
    ----------
    total_steps : int, default=None
        Training batches of the whole schedule (epochs times batches per epoch); with
        ``epochs``, the plan used until the first epoch's batches are counted.
    warmup_steps : int, default=None
        Batches of the warm-up, ``0 <= warmup_steps < total_steps``.
    epochs : int, default=None
        Epochs of the schedule, their batches counted at the start of each epoch.
    warmup_fraction : float, default=None
        With ``epochs``: share of the planned batches spent warming up.
    """

    def __init__(self, *, total_steps=None, warmup_steps=None, epochs=None, warmup_fraction=None):
        self.total_steps = total_steps
        self.warmup_steps = warmup_steps
        self.epochs = epochs
        self.warmup_fraction = warmup_fraction
        self.enabled = True

    def initialize(self):
        super().initialize()
        self.step_ = 0
        self.epochs_begun_ = 0
        self.total_steps_ = self.total_steps
        self.warmup_steps_ = self.warmup_steps
        # counted form: plan at the first training batch of each epoch
        self.planned_epoch_ = None
        return self

    def factor(self, step):
        """Multiplier of the learning rate at batch ``step``."""
        total = getattr(self, "total_steps_", self.total_steps)
        warmup = getattr(self, "warmup_steps_", self.warmup_steps)
        warm = (step + 1) / (warmup + 1)
        decay = (total - step) / max(total - warmup, 1)
        return max(min(warm, decay, 1.0), 0.0)

    def _set_lr(self, net, lr):
        for group in net.optimizer_.param_groups:
            group["lr"] = lr * group.get("lr_scale", 1.0)

    def on_train_begin(self, net, **kwargs):
        if not self.enabled:
            self._set_lr(net, net.lr)

    def on_epoch_begin(self, net, **kwargs):
        if self.enabled:
            self.epochs_begun_ += 1

    def _plan(self, n_batches):
        """Total steps: those run, plus ``n_batches`` for this epoch and each one left."""
        epochs_left = max(self.epochs - self.epochs_begun_ + 1, 1)
        self.total_steps_ = self.step_ + n_batches * epochs_left
        if self.planned_epoch_ is None:
            warmup = int(round(self.warmup_fraction * self.total_steps_))
            self.warmup_steps_ = max(min(warmup, self.total_steps_ - 1), 0)
        self.planned_epoch_ = self.epochs_begun_

    def on_batch_begin(self, net, training=False, **kwargs):
        if training and self.enabled:
            n_batches = getattr(net, "epoch_batches_", None)
            counted = getattr(self, "epochs", None) is not None
            if counted and n_batches and self.planned_epoch_ != self.epochs_begun_:
                self._plan(n_batches)
            self._set_lr(net, net.lr * self.factor(self.step_))
            self.step_ += 1


class MaxNormConstraint(Callback):
    """After every training step, cap the L2 norm of each class's output weights (Kim)."""

    def __init__(self, max_norm):
        self.max_norm = max_norm

    def on_batch_end(self, net, training=False, **kwargs):
        if training:
            net.module_.apply_max_norm(self.max_norm)


#: ANSI escape sequences (colours, bold, reset) as skorch's PrintLog writes them.
_ANSI_ESCAPE = re.compile(r"\x1b\[[0-9;]*m")


def _colour_wanted(sink):
    """Colours only for ``print`` to a terminal, and not when ``NO_COLOR`` is set."""
    if sink is not print or os.environ.get("NO_COLOR"):
        return False
    isatty = getattr(sys.stdout, "isatty", None)
    try:
        return bool(isatty and isatty())
    except ValueError:  # a closed stream
        return False


class TerminalPrintLog(PrintLog):
    """skorch's :class:`~skorch.callbacks.PrintLog`, plain text unless printing to a tty.

    skorch marks the best value of each column with an ANSI colour code whatever the
    output is, so logs redirected to a file, captured by a notebook or a job scheduler
    fill up with ``\\x1b[36m`` sequences. This table is the same, with the colours kept
    only when ``sys.stdout`` is a terminal (checked at every epoch, so a redirection
    made after ``fit`` started counts) and ``NO_COLOR`` is not set (https://no-color.org).
    """

    def on_epoch_end(self, net, **kwargs):
        self.colour_ = _colour_wanted(self.sink)
        return super().on_epoch_end(net, **kwargs)

    def format_row(self, row, key, color):
        """Format one cell as skorch does, without the colour codes when not wanted."""
        text = super().format_row(row, key, color)
        if isinstance(text, str) and not getattr(self, "colour_", True):
            text = _ANSI_ESCAPE.sub("", text)
        return text
