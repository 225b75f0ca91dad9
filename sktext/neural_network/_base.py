"""Shared training machinery of sktext's neural classifiers and regressors.

:class:`BaseNeuralNetwork` owns everything that is neither model- nor task-specific:
parameter validation with scikit-learn's names, ``sample_weight``, the internal validation
split for ``early_stopping``, seeding, device choice, building and driving the skorch net
(``net_``), ``warm_start``/``partial_fit`` and the fitted attributes scikit-learn's MLPs have
(``loss_curve_``, ``n_iter_``…).

The *task* (classification, multi-label or regression: target encoding, loss, output
activation, ``predict``) comes from a mixin of :mod:`._tasks`
(:class:`~._tasks.NeuralClassifierMixin` or :class:`~._tasks.NeuralRegressorMixin`), which
supplies ``_encode_targets``, ``_make_task``, ``_stratify``, ``_n_module_outputs`` and
``_set_task_attributes``. The *model* implements the abstract hooks of its input and
module:

* ``_check_X(X, *, reset)``: validated input (sets ``n_features_in_`` or a vocabulary);
  a fresh ``fit`` calls ``_check_fit_X(X, y)``, which an input fitted with the targets
  overrides (the tables' out-of-fold boosting features);
* ``_n_samples(X)``: number of documents/rows of that validated input;
* ``_batch_maker(X)``: a callable mapping an index array to the module input of a batch
  (``_training_batch_maker(X)`` for the training rows, if they need more);
* ``_build_module_params(X)``: the torch module class and its keyword arguments (its
  output width is ``self._n_module_outputs()``);

and optionally ``_sequence_lengths``, ``_token_budgets`` and ``_token_pair_budget``
(length-bucketed batches within a padded-token budget), ``_model_callbacks`` (gradient
clipping, max-norm...).
The *optimization policy* implements ``_effective_batch_size``, ``_optimizer_setup``
(optimizer class and arguments), ``_configure_optimizer`` (parameter groups once the net
exists), ``_net_options`` (learning rate, shuffling, L2 term, mixed precision),
``_schedule_callbacks`` and ``_stopping_callback``: scikit-learn's MLP policy
(:class:`~._solver.SklearnOptimizationMixin`) for the models trained from scratch,
fine-tuning's for the transformers. Text input read as word ids (the vocabulary,
truncation, length bucketing, vocabulary growth) is :class:`~._sequence_base.TextSequenceBase`.

Faults and continued training (see the user guide's "Interrupts, failures and continued
training"): ``_fit`` rolls the estimator back when a call fails or is interrupted;
``warm_start``/``partial_fit`` give the fitted net the current hyper-parameters
(``_continue_net``), refuse a changed architecture (``_continuable_params``), and let a
model grow its input (``_check_continued_X``, ``_continued_module``: the text models'
vocabulary).
"""

import copy
import logging
import os
import warnings
from abc import ABCMeta, abstractmethod
from numbers import Integral, Real

import numpy as np
import torch
from sklearn.base import BaseEstimator
from sklearn.model_selection import train_test_split
from skorch.callbacks import ProgressBar
from skorch.helper import predefined_split

from ..utils._device import resolve_device
from ..utils._seeding import seed_from_random_state, torch_rng
from ..utils._sklearn_compat import (
    HasMethods,
    Interval,
    Options,
    _check_sample_weight,
    _SetOutputMixin,
    check_is_fitted,
)
from ._callbacks import FitOnlyCallback
from ._data import IndexDataset, make_loader
from ._distributed import (
    check_same_data,
    data_fingerprint,
    data_parallel_group,
    fit_in_workers,
    local_workers,
    worker_device,
)
from ._net import _batch_len, _SkorchNet

__all__ = ["BaseNeuralNetwork", "DocumentVectorsMixin", "clip_batch_size"]

logger = logging.getLogger(__name__)


def clip_batch_size(batch_size, n_samples):
    """scikit-learn's MLP batch size: ``"auto"`` is ``min(200, n)``; larger than n is clipped."""
    if batch_size == "auto":
        return min(200, n_samples)
    if batch_size > n_samples:
        warnings.warn(
            "Got `batch_size` less than 1 or larger than sample size. It is going to be clipped"
        )
    return int(np.clip(batch_size, 1, n_samples))


class BaseNeuralNetwork(BaseEstimator, metaclass=ABCMeta):
    """Training machinery of sktext's neural estimators (not for direct use).

    Every class of an estimator's hierarchy (this base, the optimization policy, the
    task, the input kind, the model) declares for itself, and this base merges along the
    MRO when a subclass is created (the most derived class wins):

    * ``_parameter_constraints``: scikit-learn's constraints of the parameters it adds;
    * ``_continuable``: those of its parameters a warm start or ``partial_fit`` honours
      when they changed (all others define the network or its input and must stay the
      same), merged into ``_continuable_params``;
    * ``_dropout_rates``: its parameters that set the rate of the trained module's layer
      (or attribute) of the same name, merged into ``_module_rates``.
    """

    # Smallest batch size of inference: no gradients are kept, so batches can be larger.
    _min_inference_batch_size = 512

    # the parameters every neural estimator has
    _parameter_constraints: dict = {
        "learning_rate_init": [Interval(Real, 0, None, closed="neither")],
        "max_iter": [Interval(Integral, 1, None, closed="left")],
        "shuffle": ["boolean"],
        "random_state": ["random_state"],
        "tol": [Interval(Real, 0, None, closed="left")],
        "verbose": ["verbose"],
        "warm_start": ["boolean"],
        "early_stopping": ["boolean"],
        "validation_fraction": [Interval(Real, 0, 1, closed="neither")],
        "beta_1": [Interval(Real, 0, 1, closed="left")],
        "beta_2": [Interval(Real, 0, 1, closed="left")],
        "epsilon": [Interval(Real, 0, None, closed="neither")],
        "n_iter_no_change": [
            Interval(Integral, 1, None, closed="left"),
            Options(Real, {np.inf}),
        ],
        "device": [str, torch.device],
        "data_parallel": [None, "boolean", Interval(Integral, 1, None, closed="left")],
        "optimizer": [None, HasMethods(["step", "zero_grad"]), callable],
        "callbacks": [None, list],
    }
    _continuable = frozenset(
        {
            "batch_size", "learning_rate", "learning_rate_init", "max_iter", "shuffle",
            "random_state", "tol", "verbose", "warm_start", "early_stopping",
            "validation_fraction", "beta_1", "beta_2", "epsilon", "n_iter_no_change",
            "device", "data_parallel", "optimizer", "callbacks",
        }
    )  # fmt: skip
    _dropout_rates = ()

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        namespaces = [vars(klass) for klass in reversed(cls.__mro__)]
        cls._parameter_constraints = {
            name: constraint
            for namespace in namespaces
            for name, constraint in namespace.get("_parameter_constraints", {}).items()
        }
        cls._continuable_params = frozenset().union(
            *(namespace.get("_continuable", ()) for namespace in namespaces)
        )
        cls._module_rates = tuple(
            dict.fromkeys(name for ns in namespaces for name in ns.get("_dropout_rates", ()))
        )

    # ------------------------------------------------------------------ subclass hooks
    # the model: its input and its torch module
    @abstractmethod
    def _check_X(self, X, *, reset):
        """Validated input (sets ``n_features_in_`` or a vocabulary when ``reset``)."""

    def _check_fit_X(self, X, y):
        """Validated input of a fresh fit; ``y`` (as passed, unvalidated) for encoders of
        the input that learn from the targets."""
        return self._check_X(X, reset=True)

    @abstractmethod
    def _n_samples(self, X):
        """Number of documents/rows of the validated input."""

    @abstractmethod
    def _batch_maker(self, X):
        """A callable mapping an index array to the module input of a batch."""

    @abstractmethod
    def _build_module_params(self, X):
        """The torch module class and its keyword arguments."""

    def _sequence_lengths(self, X):
        """Length of each sample for length bucketing (``None``: batches in input order)."""
        return None

    def _model_callbacks(self):
        """``(name, callback)`` pairs of the model, run before all others."""
        return []

    # the optimization policy
    @abstractmethod
    def _effective_batch_size(self, n_samples):
        """The number of training samples per batch."""

    @abstractmethod
    def _optimizer_setup(self, module_cls, module_kwargs, batch_size):
        """Optimizer class and its skorch keyword arguments (``optimizer__*``)."""

    @abstractmethod
    def _schedule_callbacks(self, n_train):
        """``(name, callback)`` pairs that set the learning rate during training."""

    @abstractmethod
    def _stopping_callback(self):
        """The callback that ends training (a :class:`~._callbacks.SklearnStopping`)."""

    @abstractmethod
    def _net_options(self):
        """Keyword arguments of the skorch net set by the policy (``lr``, shuffling...)."""

    def _configure_optimizer(self, net, batch_size):
        """Adjust the optimizer's parameter groups once the net is initialized."""

    # ------------------------------------------------------------------ public API
    def fit(self, X, y, sample_weight=None):
        """Fit the network to ``X`` and ``y``.

        Parameters
        ----------
        X : see the subclass
            Training input.
        y : array-like of shape (n_samples,) or (n_samples, n_outputs)
            Targets: class labels (strings, integers, booleans, pandas categoricals…) or
            a multi-label indicator matrix for a classifier, numbers for a regressor.
        sample_weight : array-like of shape (n_samples,), default=None
            Per-sample weights; the loss is the weighted mean over each batch.

        Returns
        -------
        self : object
            The fitted estimator.
        """
        return self._fit(X, y, sample_weight=sample_weight, incremental=False)

    def _forward_outputs(self, X):
        """The network's outputs on ``X`` after the task's activation.

        In the dtype ``_check_predict_X`` gives (float64 unless the model says otherwise).
        """
        check_is_fitted(self)
        X, dtype = self._check_predict_X(X)
        dataset = self._validated_dataset(X)
        if dataset is None:
            return np.empty((0, self.n_outputs_), dtype=dtype)
        with torch.no_grad():
            outputs = self.net_.predict_proba(dataset)
        return np.asarray(outputs, dtype=dtype)

    def _check_predict_X(self, X):
        r"""Validated input of ``predict``\* and the dtype of the outputs (here float64)."""
        return self._check_X(X, reset=False), np.float64

    def _dataset(self, X):
        """Validated input as an :class:`IndexDataset` (``None`` when it is empty)."""
        check_is_fitted(self)
        return self._validated_dataset(self._check_X(X, reset=False))

    def _validated_dataset(self, X):
        n = self._n_samples(X)
        if n == 0:
            return None
        return IndexDataset(self._batch_maker(X), n, lengths=self._sequence_lengths(X))

    # ------------------------------------------------------------------ properties
    @property
    def module_(self):
        """The trained torch module (lives inside ``net_``)."""
        check_is_fitted(self)
        return self.net_.module_

    @property
    def history_(self):
        """The skorch ``History`` of the training epochs (lives inside ``net_``)."""
        check_is_fitted(self)
        return self.net_.history

    # ------------------------------------------------------------------ training

    def _callbacks(self, n_train):
        # skorch's default PrintLog prints the epoch table when ``verbose`` is set
        callbacks = list(self._model_callbacks())
        if self.verbose and self.verbose > 1:
            callbacks.append(("progress_bar", ProgressBar()))
        callbacks += self._schedule_callbacks(n_train)
        for i, cb in enumerate(self.callbacks or []):
            name, cb = cb if isinstance(cb, tuple) else (f"user_callback_{i}", cb)
            callbacks.append((name, cb))
        callbacks.append(("sklearn_stopping", self._stopping_callback()))
        return callbacks

    def _module_dtype(self, X):
        """Floating-point dtype of the module's parameters (float32; MLPs follow ``X``)."""
        return torch.float32

    def _make_net(self, X, n_train, valid_dataset, task, device):
        module_cls, module_kwargs = self._build_module_params(X)
        batch_size = self._effective_batch_size(n_train)
        optimizer, optimizer_kwargs = self._optimizer_setup(module_cls, module_kwargs, batch_size)
        net = _SkorchNet(
            module_cls,
            task=task,
            module_dtype=self._module_dtype(X),
            optimizer=optimizer,
            max_epochs=self.max_iter,
            batch_size=batch_size,
            iterator_train=make_loader,
            iterator_valid=make_loader,
            iterator_valid__batch_size=max(batch_size, self._min_inference_batch_size),
            train_split=None if valid_dataset is None else predefined_split(valid_dataset),
            callbacks=self._callbacks(n_train),
            device=device,
            verbose=int(self.verbose),
            **self._net_options(),
            **{f"module__{k}": v for k, v in module_kwargs.items()},
            **optimizer_kwargs,
        )
        self._set_token_budgets(net, X, batch_size)
        return net

    def _token_budgets(self, X, batch_size):
        """``(training, inference)`` padded positions per batch, or None (no budget)."""
        return None

    def _token_pair_budget(self, X, batch_size):
        """Token pairs (samples times the square of the longest length) per training
        batch, or None (no such limit): a transformer's attention maps."""
        return None

    def _set_token_budgets(self, net, X, batch_size):
        budgets = self._token_budgets(X, batch_size)
        if budgets is not None:
            net.iterator_train__max_tokens, net.iterator_valid__max_tokens = budgets
        pairs = self._token_pair_budget(X, batch_size)
        if pairs is not None:
            net.iterator_train__max_token_pairs = pairs

    def _check_data_parallel(self):
        """Raise if the current settings cannot train data-parallel (here: they can)."""

    def _fit(self, X, y, sample_weight=None, incremental=False, classes=None):
        self._validate_params()
        n_workers = local_workers(self.data_parallel)
        if n_workers:
            self._check_data_parallel()
            # the workers fit a copy; the fitted state comes back only if all succeed
            fitted = fit_in_workers(
                self,
                n_workers,
                (X, y),
                dict(sample_weight=sample_weight, incremental=incremental, classes=classes),
            )
            params = self.get_params(deep=False)
            self.__dict__.clear()
            self.__dict__.update({k: v for k, v in vars(fitted).items() if k not in params})
            self.__dict__.update(params)
            return self
        continuing = hasattr(self, "net_") and (incremental or self.warm_start)
        # an interrupted (Ctrl+C) or failed fit leaves the estimator as it was before the
        # call: a fresh fit builds a new net; a continued one trains the same module, so
        # its weights and the net's state are kept aside until the call succeeds
        saved = dict(self.__dict__)
        saved_net = _NetSnapshot(self.net_) if continuing else None
        try:
            return self._fit_or_continue(X, y, sample_weight, incremental, classes, continuing)
        except BaseException:
            self.__dict__.clear()
            self.__dict__.update(saved)
            if saved_net is not None:
                saved_net.restore()
            raise

    def _fit_or_continue(self, X, y, sample_weight, incremental, classes, continuing):
        if y is None:
            raise ValueError(
                f"{type(self).__name__} requires y to be passed, but the target y is None."
            )
        if continuing:
            self._check_continuable()
        X = self._check_continued_X(X) if continuing else self._check_fit_X(X, y)
        n_samples = self._n_samples(X)
        if n_samples == 0:
            raise ValueError(
                f"Found array with 0 sample(s) while a minimum of 1 is required by "
                f"{type(self).__name__}."
            )
        y_arr = y if hasattr(y, "shape") else self._target_array(y)
        if not y_arr.ndim:
            raise ValueError(f"y should be array-like with one entry per sample; got {y!r}.")
        if y_arr.shape[0] != n_samples:
            raise ValueError(
                "Found input variables with inconsistent numbers of samples: "
                f"[{n_samples}, {y_arr.shape[0]}]"
            )
        y_enc = self._encode_targets(
            y_arr, classes, first_call=not continuing, warm_start=continuing and not incremental
        )
        if sample_weight is not None:
            sample_weight = check_sample_weight(sample_weight, n_samples)
        task = self._make_task(y_enc)

        root_seed = seed_from_random_state(self.random_state)
        group = data_parallel_group(self.data_parallel)
        if group is not None:
            self._check_data_parallel()
            check_same_data(group, *data_fingerprint(n_samples, y_enc))
            # one seed for all ranks (random_state=None draws one per process): the same
            # validation split, initial weights and batches everywhere
            shared = [root_seed]
            torch.distributed.broadcast_object_list(shared, src=0)
            root_seed = shared[0]
        rng = np.random.RandomState(root_seed)
        train_idx = np.arange(n_samples)
        valid_dataset = None
        # as in scikit-learn, the stopping rule spans one fit: partial_fit trains one
        # epoch on all it is given, without a validation split
        if self.early_stopping and not incremental:
            train_idx, valid_idx = train_test_split(
                train_idx,
                test_size=self.validation_fraction,
                random_state=rng,
                stratify=self._stratify(y_enc),
            )
            if len(valid_idx) < 2:
                raise ValueError(
                    "The validation set is too small. Increase 'validation_fraction' or the "
                    "size of your dataset."
                )
            valid_dataset = self._subset_dataset(X, valid_idx, y_enc, sample_weight)
        train_dataset = self._subset_dataset(X, train_idx, y_enc, sample_weight)
        n_train = len(train_idx)

        device = resolve_device(self.device)
        if group is not None:
            device = worker_device(device)
        seed = int(rng.randint(np.iinfo(np.int32).max))
        if continuing:
            seed = (seed + len(self.net_.history)) % np.iinfo(np.int32).max
        with torch_rng(seed, device):
            if not continuing:
                self.net_ = self._make_net(X, n_train, valid_dataset, task, device)
                self.net_.initialize()
                self._configure_optimizer(self.net_, self._effective_batch_size(n_train))
                self.t_ = 0
                self._fit_structure_ = self._structure_params()
            else:
                self._check_same_device(device)
                self._continue_net(X, n_train, valid_dataset, task)
            # the stopping rule and a learning-rate schedule span the epochs of one fit;
            # partial_fit runs single epochs without them
            fit_only = [cb for _, cb in self.net_.callbacks_ if isinstance(cb, FitOnlyCallback)]
            epochs_before = len(self.net_.history)
            if group is not None:
                self.net_.start_data_parallel(*group, seed)
            try:
                if incremental:
                    for cb in fit_only:
                        cb.enabled = False
                    self.net_.partial_fit(train_dataset, epochs=1)
                else:
                    self.net_.partial_fit(train_dataset, epochs=self.max_iter)
            finally:
                self.net_.stop_data_parallel()
                for cb in fit_only:
                    cb.enabled = True
                # the split holds the training data: never keep (or pickle) it
                self.net_.train_split = None
                # every step computes its own gradients: the last ones would only keep
                # another copy of the weights' size alive (90 MB for MiniLM)
                self.net_.module_.zero_grad(set_to_none=True)
            history = self.net_.history
            if history and "train_loss" not in history[-1]:
                history.pop()  # the epoch begun and abandoned by the stopping rule
            if not incremental:
                self._after_training(valid_dataset)
        self.t_ += n_train * (len(self.net_.history) - epochs_before)
        # as in scikit-learn: the epochs of this call (loss_curve_ and t_ span them all)
        self.n_iter_ = len(self.net_.history) - epochs_before
        self._set_fitted_attributes()
        return self

    # ------------------------------------------------------------------ continuing
    def _structure_params(self):
        """The parameters that fix the network and its input, as plain comparable data."""
        return {
            name: _comparable(value)
            for name, value in self.get_params(deep=False).items()
            if name not in self._continuable_params
            and not (name in self._module_rates and hasattr(self.net_.module_, name))
        }

    def _check_continuable(self):
        before = getattr(self, "_fit_structure_", None)
        if before is None:
            return
        now = self._structure_params()
        changed = sorted(k for k in now if k in before and now[k] != before[k])
        if changed:
            raise ValueError(
                f"{type(self).__name__} cannot continue training (warm_start=True or "
                f"partial_fit) after {', '.join(changed)} changed: "
                f"{'they define' if len(changed) > 1 else 'it defines'} the network or its "
                "input. Set them back, or fit from scratch with warm_start=False."
            )

    def _continue_net(self, X, n_train, valid_dataset, task):
        """Give the fitted net the current hyper-parameters for another fit/partial_fit.

        As scikit-learn's MLPs read their parameters at every call, the learning rate,
        optimizer settings, L2 term, batch size, shuffling, stopping rule, schedules,
        callbacks and dropout rates are the current ones. The module keeps its weights
        (grown by :meth:`_continued_module` if the model needs it, e.g. new words) and
        the optimizer its state (moments, step counts), unless ``solver``/``optimizer``
        now name another optimizer class, which then starts afresh.
        """
        net = self.net_
        old_module, old_optimizer = net.module_, net.optimizer_
        module = self._continued_module(X, old_module)
        batch_size = self._effective_batch_size(n_train)
        module_kwargs = net.get_params_for("module")
        for name in self._module_rates:
            if hasattr(module, name) and name in module_kwargs:
                rate = float(getattr(self, name))
                layer = getattr(module, name)
                if isinstance(layer, torch.nn.Dropout):
                    layer.p = rate
                else:
                    setattr(module, name, rate)
                setattr(net, f"module__{name}", rate)
        optimizer, optimizer_kwargs = self._optimizer_setup(type(module), module_kwargs, batch_size)
        for key in [k for k in vars(net) if k.startswith("optimizer__")]:
            delattr(net, key)
        net.optimizer = optimizer
        vars(net).update(optimizer_kwargs)
        vars(net).update(self._net_options())
        net.batch_size = batch_size
        net.iterator_valid__batch_size = max(batch_size, self._min_inference_batch_size)
        self._set_token_budgets(net, X, batch_size)
        net.max_epochs = self.max_iter
        net.verbose = int(self.verbose)
        net.task = task
        net.train_split = None if valid_dataset is None else predefined_split(valid_dataset)
        net.callbacks = self._callbacks(n_train)
        net.module_ = module
        net.initialize_optimizer()
        self._configure_optimizer(net, batch_size)
        if type(net.optimizer_) is type(old_optimizer):
            _carry_optimizer_state(old_optimizer, old_module, net.optimizer_, module)
        net.initialize_callbacks()

    def _check_continued_X(self, X):
        """Validated input of a continued fit (here: as for prediction)."""
        return self._check_X(X, reset=False)

    def _continued_module(self, X, module):
        """The module to continue training on ``X`` with (here: ``module`` itself)."""
        return module

    def _training_batch_maker(self, X):
        """The batch maker of the training (and held-out) rows (here: ``_batch_maker``)."""
        return self._batch_maker(X)

    def _subset_dataset(self, X, idx, y_enc, sample_weight):
        make_batch = self._training_batch_maker(X)
        idx = np.asarray(idx)
        lengths = self._sequence_lengths(X)

        def make_subset_batch(rows):
            return make_batch(idx[rows])

        return IndexDataset(
            make_subset_batch,
            len(idx),
            y=y_enc[idx],
            sample_weight=None if sample_weight is None else sample_weight[idx],
            lengths=None if lengths is None else lengths[idx],
        )

    def _check_same_device(self, device):
        current = str(self.net_.device)
        if torch.device(current) != torch.device(device):
            raise ValueError(
                f"The estimator was fitted on device {current!r}; continuing training on "
                f"{device!r} is not supported. Refit from scratch (warm_start=False)."
            )

    def _after_training(self, valid_dataset):
        """Hook run after the epochs of ``fit`` (not ``partial_fit``), with the held-out
        rows of early stopping (or None)."""

    def _validation_loss(self, valid_dataset):
        """The training loss (weighted as in training) on held-out rows, in eval mode."""
        net = self.net_
        total = weight = 0.0
        for batch in net.get_iterator(valid_dataset, training=False):
            n = _batch_len(batch)
            total += float(net.validation_step(batch)["loss"]) * n
            weight += n
        return total / weight

    def _set_fitted_attributes(self):
        history = self.net_.history
        self.loss_curve_ = [float(v) for v in history[:, "train_loss"]]
        self.loss_ = self.loss_curve_[-1]
        score_name = self.net_.task.score_name
        scores = [float(epoch[score_name]) for epoch in history if score_name in epoch]
        if self.early_stopping and scores:
            # epochs of partial_fit have no validation score
            self.validation_scores_ = scores
            self.best_validation_score_ = max(self.validation_scores_)
            self.best_loss_ = None
        else:
            self.validation_scores_ = None
            self.best_validation_score_ = None
            self.best_loss_ = min(self.loss_curve_)
        self._set_task_attributes()

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.non_deterministic = False
        return tags


def check_sample_weight(sample_weight, n_samples):
    """Validated float64 ``sample_weight``: finite, non-negative, not all zero.

    A negative weight would turn the weighted mean into an unbounded loss (its batch
    sum can be near zero or negative).
    """
    sample_weight = _check_sample_weight(sample_weight, np.empty((n_samples, 0)), dtype=np.float64)
    # (NaN and infinity are rejected by scikit-learn's check)
    if np.any(sample_weight < 0):
        raise ValueError("Negative values in data passed to `sample_weight`")
    # (recent scikit-learn versions check this too; older ones do not)
    if not np.any(sample_weight > 0):
        raise ValueError("Sample weights must contain at least one non-zero number.")
    return sample_weight


def _comparable(value):
    """``value`` if it compares by value (plain data), else its identity."""
    if value is None or isinstance(value, (str, bool, Integral, Real)):
        return value
    if isinstance(value, (tuple, list)):
        return tuple(_comparable(v) for v in value)
    if isinstance(value, dict):
        return tuple(sorted((str(k), _comparable(v)) for k, v in value.items()))
    if isinstance(value, (type, os.PathLike)):
        return repr(value)
    return ("object", type(value).__qualname__)


def _carry_optimizer_state(old_optimizer, old_module, optimizer, module):
    """Copy the per-parameter state of ``old_optimizer`` into ``optimizer``, by name.

    The hyper-parameters stay those ``optimizer`` was made with. A parameter that grew
    along its first dimension (an embedding with new rows) gets its state grown with
    zeros: new rows start with no moments, as a parameter never updated does.
    """
    new_params = dict(module.named_parameters())
    for name, old in old_module.named_parameters():
        state = old_optimizer.state.get(old)
        new = new_params.get(name)
        if not state or new is None:
            continue
        state = copy.deepcopy(state)
        if new.shape != old.shape:
            state = {k: _grow_rows(v, old.shape[0], new.shape[0]) for k, v in state.items()}
        optimizer.state[new] = state


def _grow_rows(value, old_rows, new_rows):
    if not (torch.is_tensor(value) and value.dim() >= 1 and value.shape[0] == old_rows):
        return value
    grown = value.new_zeros((new_rows, *value.shape[1:]))
    grown[:old_rows] = value
    return grown


class _NetSnapshot:
    """What a continued fit changes in a skorch net, kept to undo a failed call."""

    def __init__(self, net):
        self.net = net
        self.attributes = dict(vars(net))
        # training only appends epochs to the history: their number is enough to undo it
        self.n_epochs = len(net.history)
        self.module_state = {k: v.detach().clone() for k, v in net.module_.state_dict().items()}

    def restore(self):
        net = self.net
        vars(net).clear()
        vars(net).update(self.attributes)
        del net.history[self.n_epochs :]
        with torch.no_grad():
            net.module_.load_state_dict(self.module_state)


class DocumentVectorsMixin(_SetOutputMixin):
    """``transform``: the document vectors a fitted text model's output layer reads.

    With ``get_feature_names_out`` (``<classname>0``, ``<classname>1``…) the models take
    ``set_output(transform="pandas")`` as scikit-learn's transformers do.
    """

    def transform(self, X):
        """Document vectors: the pooled representation the output layer reads.

        The vector of each document before the output dropout and layer (the max-pooled
        feature maps of a CNN, the pooled states of an RNN or transformer), for t-SNE maps,
        clustering or a second model. Each document's vector is independent of the other
        documents of the call.

        Parameters
        ----------
        X : iterable of str
            Documents.

        Returns
        -------
        vectors : ndarray of shape (n_documents, n_features)
            One float64 row per document.
        """
        check_is_fitted(self)
        if not hasattr(self.net_.module_, "encode"):
            raise AttributeError(
                f"transform needs the module to define encode(); "
                f"{type(self.net_.module_).__name__} does not."
            )
        dataset = self._dataset(X)
        if dataset is None:
            return np.empty((0, self._document_vector_size()))
        return self.net_.encode(dataset).numpy().astype(np.float64)

    def _document_vector_size(self):
        return self.net_.module_.output.in_features

    def get_feature_names_out(self, input_features=None):
        """Names of the document-vector features: ``<classname>0``, ``<classname>1``….

        Parameters
        ----------
        input_features : array-like of str or None, default=None
            Ignored (the features are not the input's).

        Returns
        -------
        feature_names_out : ndarray of str objects
        """
        check_is_fitted(self)
        prefix = type(self).__name__.lower()
        return np.asarray(
            [f"{prefix}{i}" for i in range(self._document_vector_size())], dtype=object
        )
