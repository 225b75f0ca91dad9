"""scikit-learn's MLP optimization policy for the neural estimators that follow it.

:class:`SklearnOptimizationMixin` gives :class:`~._base.BaseNeuralNetwork` the optimizer,
batch size, learning-rate schedules and stopping rule of
:class:`sklearn.neural_network.MLPClassifier` (``solver``, ``alpha``, ``learning_rate``,
``momentum``…): the MLPs and the text models trained from scratch (TextCNN, LSTM, custom
modules) use it; the fine-tuned transformers have a policy of their own.
"""

from numbers import Integral, Real

import torch

from ..nn import CatchUpAdam
from ..utils._sklearn_compat import Interval, StrOptions
from ._base import clip_batch_size
from ._callbacks import SklearnLearningRate, SklearnStopping
from ._net import sparse_parameters

__all__ = ["SklearnOptimizationMixin"]

# loss evaluations of one L-BFGS line search at most (scipy's maxls, scikit-learn's)
_LINE_SEARCH_TRIES = 20


class SklearnOptimizationMixin:
    """``solver``, ``alpha``, ``learning_rate``… as scikit-learn's MLPs read them (mixin).

    Implements the optimization hooks of :class:`~._base.BaseNeuralNetwork`:
    ``_effective_batch_size``, ``_optimizer_setup``, ``_schedule_callbacks``,
    ``_stopping_callback``, ``_net_options`` and ``_configure_optimizer``.
    """

    _parameter_constraints: dict = {
        "solver": [StrOptions({"adam", "sgd", "lbfgs"})],
        "alpha": [Interval(Real, 0, None, closed="left")],
        "batch_size": [StrOptions({"auto"}), Interval(Integral, 1, None, closed="left")],
        "learning_rate": [StrOptions({"constant", "invscaling", "adaptive"})],
        "power_t": [Interval(Real, 0, None, closed="left")],
        "momentum": [Interval(Real, 0, 1, closed="both")],
        "nesterovs_momentum": ["boolean"],
        "max_fun": [Interval(Integral, 1, None, closed="left")],
    }
    _continuable = frozenset(
        {"solver", "alpha", "power_t", "momentum", "nesterovs_momentum", "max_fun"}
    )

    def _effective_batch_size(self, n_samples):
        if self.solver == "lbfgs":
            return n_samples
        return clip_batch_size(self.batch_size, n_samples)

    def _optimizer_setup(self, module_cls, module_kwargs, batch_size):
        """Optimizer class and its skorch keyword arguments (``optimizer__*``)."""
        if self.optimizer is not None:
            return self.optimizer, {}
        if self.solver == "adam":
            return CatchUpAdam, {
                "optimizer__betas": (self.beta_1, self.beta_2),
                "optimizer__eps": self.epsilon,
            }
        if self.solver == "sgd":
            return torch.optim.SGD, {
                "optimizer__momentum": self.momentum,
                "optimizer__nesterov": bool(self.nesterovs_momentum and self.momentum > 0),
            }
        # lbfgs: one L-BFGS iteration per epoch on the full batch. Its strong-Wolfe line
        # search may evaluate the loss up to max_eval - 1 times after the step's first
        # evaluation (torch's default, max_iter * 5 // 4 = 1, would leave it none, and a
        # rejected unit step becomes a step of 0): scipy's default of 20 tries, as in
        # scikit-learn's L-BFGS-B (max_fun is checked after each epoch)
        return torch.optim.LBFGS, {
            "optimizer__max_iter": 1,
            "optimizer__max_eval": 1 + _LINE_SEARCH_TRIES,
            "optimizer__line_search_fn": "strong_wolfe",
            "optimizer__tolerance_grad": 0.0,
            "optimizer__tolerance_change": 0.0,
        }

    def _schedule_callbacks(self, n_train):
        """``(name, callback)`` pairs that set the learning rate during training."""
        if self.solver == "sgd" and self.learning_rate == "invscaling":
            return [
                (
                    "sklearn_learning_rate",
                    SklearnLearningRate(
                        learning_rate_init=self.learning_rate_init,
                        power_t=self.power_t,
                        n_samples=n_train,
                    ),
                )
            ]
        return []

    def _stopping_callback(self):
        return SklearnStopping(
            tol=self.tol,
            n_iter_no_change=self.n_iter_no_change,
            early_stopping=self.early_stopping,
            adaptive_lr=self.solver == "sgd" and self.learning_rate == "adaptive",
            max_iter=self.max_iter,
            max_fun=self.max_fun if self.solver == "lbfgs" else None,
        )

    def _check_data_parallel(self):
        if self.solver == "lbfgs":
            raise ValueError(
                "solver='lbfgs' cannot train data-parallel (data_parallel, or a torchrun "
                "process group): L-BFGS takes full-batch steps with a line search. Use "
                "solver='adam' or 'sgd', or data_parallel=False."
            )

    def _net_options(self):
        """Keyword arguments of the skorch net that depend on the solver."""
        lbfgs = self.solver == "lbfgs"
        return dict(
            lr=1.0 if lbfgs else self.learning_rate_init,
            iterator_train__shuffle=bool(self.shuffle) and not lbfgs,
            alpha=self.alpha,
        )

    def _configure_optimizer(self, net, batch_size):
        """Adjust the optimizer's parameter groups once the net is initialized.

        Here: sparse-gradient weights get their own group with scikit-learn's L2 as decay.
        """
        sparse = sparse_parameters(net.module_)
        if not sparse or not self.alpha:
            return
        sparse_ids = {id(p) for p in sparse}
        opt = net.optimizer_
        for group in opt.param_groups:
            group["params"] = [p for p in group["params"] if id(p) not in sparse_ids]
        # ``_SkorchNet.get_loss`` sets this group's decay to alpha / (batch weight)
        # at every step, the same scale as the L2 term of the other weights
        opt.add_param_group(
            {"params": sparse, "weight_decay": self.alpha / batch_size, "sparse_l2": True}
        )
