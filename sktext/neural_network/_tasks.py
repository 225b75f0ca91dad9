"""What a *task* is, apart from the training machinery: classification or regression.

sktext's networks are trained by one machinery (:class:`~._base.BaseNeuralNetwork`:
batches, optimizer, stopping, seeding, device, the skorch net). What differs between a
classifier and a regressor lives here, in two layers:

* **Task objects** (:class:`MulticlassTask`, :class:`MultilabelTask`,
  :class:`RegressionTask`) are small picklable objects held by the skorch net
  (``net_.task``). They hold the torch side: the per-sample loss, per-sample loss weights
  (``class_weight``), the output activation applied by ``predict_proba``, and the score
  on the validation set that ``early_stopping`` follows.
* **Estimator mixins** (:class:`NeuralClassifierMixin`, :class:`NeuralRegressorMixin`)
  hold the scikit-learn side: target validation and encoding, ``classes_`` or
  ``n_outputs_``, ``predict``/``predict_proba``/``score``, ``partial_fit``'s signature and
  the fitted attributes that depend on the task.

A concrete estimator is ``(task mixin, model hooks, BaseNeuralNetwork)``, e.g.
``MLPRegressor(NeuralRegressorMixin, _MLPBase)``.
"""

import warnings

import numpy as np
import scipy.sparse as sp
import torch
from sklearn.base import ClassifierMixin, RegressorMixin
from sklearn.exceptions import DataConversionWarning
from sklearn.metrics import r2_score
from sklearn.utils import check_array
from sklearn.utils.class_weight import compute_class_weight
from sklearn.utils.metaestimators import available_if
from sklearn.utils.multiclass import check_classification_targets, type_of_target
from torch.nn import functional as F

from ..utils._docstrings import TEXT_INPUT, document_input
from ..utils._sklearn_compat import StrOptions

__all__ = [
    "MulticlassTask",
    "MultilabelTask",
    "NeuralClassifierMixin",
    "NeuralRegressorMixin",
    "PoissonRegressionTask",
    "RegressionTask",
    "SoftTargetTask",
    "SoftTargets",
]


# ---------------------------------------------------------------------- task objects
class MulticlassTask:
    """One label per sample: softmax outputs, cross-entropy, accuracy.

    Parameters
    ----------
    class_weight : torch.Tensor of shape (n_classes,) or None
        Loss weight of each class (scikit-learn's ``class_weight``), multiplied with the
        sample weights.
    """

    score_name = "valid_acc"
    criterion = torch.nn.CrossEntropyLoss  # skorch's criterion_ (the loss is ``losses``)
    target_dtype = torch.long

    def __init__(self, class_weight=None):
        self.class_weight = class_weight

    def losses(self, logits, y):
        """Per-sample cross-entropy, shape ``(batch,)``."""
        return F.cross_entropy(logits, y, reduction="none")

    def weights(self, y):
        """Per-sample loss weights from ``class_weight`` (``None``: all 1)."""
        if self.class_weight is None:
            return None
        return self.class_weight.to(y.device)[y]

    def outputs(self, logits):
        """Class probabilities."""
        return torch.softmax(logits, dim=-1)

    def validation_score(self, y, outputs):
        """Accuracy of the most probable class."""
        return float(np.mean(np.argmax(outputs, axis=1) == np.asarray(y)))


class SoftTargetTask(MulticlassTask):
    """Class probabilities as targets (knowledge distillation): softened KL divergence.

    The loss of a sample is Hinton et al.'s ``T**2 * KL(p || softmax(z / T))``: ``p`` are
    the target probabilities (a teacher's, already softened at temperature ``T``), ``z``
    the network's logits. ``T**2`` keeps the gradients' scale independent of ``T``. The
    outputs are ``softmax(z)`` (temperature 1) and the validation score is the agreement
    with the targets' most probable class.

    Parameters
    ----------
    temperature : float, default=1.0
        The temperature ``T`` the targets were softened at.
    """

    criterion = torch.nn.KLDivLoss
    target_dtype = torch.float32

    def __init__(self, temperature=1.0):
        super().__init__(class_weight=None)
        self.temperature = temperature

    def losses(self, logits, y):
        """Per-sample ``T**2 * KL(y || softmax(logits / T))``, shape ``(batch,)``."""
        t = self.temperature
        log_q = F.log_softmax(logits / t, dim=-1)
        return t * t * F.kl_div(log_q, y.to(logits.dtype), reduction="none").sum(dim=1)

    def validation_score(self, y, outputs):
        """Agreement of the most probable classes of ``outputs`` and of the targets."""
        return float(np.mean(np.argmax(outputs, axis=1) == np.argmax(np.asarray(y), axis=1)))


class MultilabelTask:
    """Several labels per sample: one sigmoid per label, binary cross-entropy.

    The loss of a sample is the sum of its labels' binary cross-entropies (scikit-learn's
    ``binary_log_loss``); the validation score is the subset accuracy (all labels right),
    as ``MLPClassifier.score`` in scikit-learn.
    """

    score_name = "valid_acc"
    criterion = torch.nn.BCEWithLogitsLoss
    target_dtype = torch.float32

    def losses(self, logits, y):
        """Per-sample sum of the labels' binary cross-entropies, shape ``(batch,)``."""
        y = y.to(logits.dtype)
        return F.binary_cross_entropy_with_logits(logits, y, reduction="none").sum(dim=1)

    def weights(self, y):
        return None

    def outputs(self, logits):
        """Probability of each label."""
        return torch.sigmoid(logits)

    def validation_score(self, y, outputs):
        return float(np.mean(np.all((outputs > 0.5) == (np.asarray(y) > 0.5), axis=1)))


class RegressionTask:
    """Real-valued outputs: identity activation, half squared error, R².

    The loss of a sample is half its squared error averaged over the outputs, so that the
    mean over a batch is scikit-learn's ``squared_loss``.
    """

    score_name = "valid_r2"
    criterion = torch.nn.MSELoss
    target_dtype = torch.float32

    def losses(self, outputs, y):
        """Per-sample ``0.5 * mean((y - outputs) ** 2)`` over the outputs, shape ``(batch,)``."""
        return 0.5 * (outputs - y.to(outputs.dtype)).pow(2).mean(dim=1)

    def weights(self, y):
        return None

    def outputs(self, outputs):
        return outputs

    def validation_score(self, y, outputs):
        """R² (uniform average over the outputs); ``-inf`` for non-finite predictions."""
        if not np.all(np.isfinite(outputs)):
            return -np.inf
        return float(r2_score(np.asarray(y), outputs))


class PoissonRegressionTask(RegressionTask):
    """Non-negative targets: log link (exponential output), half Poisson deviance, R².

    The loss of a sample is scikit-learn's ``poisson_loss``, the half Poisson deviance
    ``y * log(y / y_pred) - y + y_pred`` summed over the outputs, computed from the
    network's raw output ``z = log(y_pred)`` as ``xlogy(y, y) - y * z - y + exp(z)``.
    """

    def losses(self, outputs, y):
        """Per-sample half Poisson deviance summed over the outputs, shape ``(batch,)``."""
        y = y.to(outputs.dtype)
        return (torch.xlogy(y, y) - y * outputs - y + torch.exp(outputs)).sum(dim=1)

    def outputs(self, outputs):
        return torch.exp(outputs)


class SoftTargets(np.ndarray):
    """Class probabilities that stand for labels: the targets of a distilled classifier.

    An ``(n_samples, n_classes)`` float32 array that carries the ``classes`` its columns
    stand for and the ``temperature`` it was softened at. Passed as ``y`` to ``fit`` of an
    sktext classifier (directly or through a Pipeline, which hands ``y`` on unchanged), it
    trains the network on the probabilities with :class:`SoftTargetTask` instead of on
    labels. :class:`sktext.DistilledClassifier` builds it from its teacher's outputs.

    Parameters
    ----------
    probabilities : array-like of shape (n_samples, n_classes)
        Non-negative rows summing to 1.
    classes : array-like of shape (n_classes,)
        The label of each column, sorted (as a classifier's ``classes_``).
    temperature : float, default=1.0
        The temperature the probabilities were softened at (the loss scales by it).
    """

    def __new__(cls, probabilities, classes, temperature=1.0):
        P = np.asarray(probabilities, dtype=np.float32)
        classes = np.asarray(classes)
        if P.ndim != 2 or P.shape[1] != len(classes) or len(classes) < 2:
            raise ValueError(
                "SoftTargets needs an (n_samples, n_classes) matrix with one column for each "
                f"of at least 2 classes; got shape {P.shape} for {len(classes)} classes."
            )
        if (
            not np.all(np.isfinite(P))
            or P.min(initial=0.0) < 0
            or np.any(np.abs(P.sum(axis=1) - 1) > 1e-3)
        ):
            raise ValueError(
                "SoftTargets rows must be probabilities: finite, non-negative, summing to 1."
            )
        if not np.all(classes[:-1] < classes[1:]):
            raise ValueError("SoftTargets classes must be sorted and distinct.")
        obj = P.view(cls)
        obj.classes = classes
        obj.temperature = float(temperature)
        return obj

    def __array_finalize__(self, obj):
        self.classes = getattr(obj, "classes", None)
        self.temperature = getattr(obj, "temperature", 1.0)

    def __reduce__(self):
        # pickled (joblib's process pools) with its classes and temperature
        rebuild, args, state = super().__reduce__()
        return _rebuild_soft_targets, (rebuild, args, state, self.classes, self.temperature)


def _rebuild_soft_targets(rebuild, args, state, classes, temperature):
    obj = rebuild(*args)
    obj.__setstate__(state)
    obj.classes, obj.temperature = classes, temperature
    return obj


# --------------------------------------------------------------------- estimator side
def _stochastic_solver(estimator):
    """``partial_fit``'s availability, as in scikit-learn: not with ``solver="lbfgs"``."""
    solver = getattr(estimator, "solver", None)
    if solver == "lbfgs":
        raise AttributeError(
            f"partial_fit is only available for stochastic optimizers. {solver} is not stochastic."
        )
    return True


class NeuralClassifierMixin(ClassifierMixin):
    """Classification targets for :class:`~._base.BaseNeuralNetwork` (not for direct use).

    ``y`` is a 1-d array of labels (strings, integers, booleans, pandas categoricals…),
    or a 2-d 0/1 indicator matrix for multi-label classification (dense or sparse), as
    :class:`sklearn.neural_network.MLPClassifier` accepts (any two values, the larger
    marking a present label, as scikit-learn's ``type_of_target`` reads them).
    """

    _parameter_constraints: dict = {"class_weight": [dict, StrOptions({"balanced"}), None]}
    _continuable = frozenset({"class_weight"})

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        # the shared fit/predict docstrings name the X of this estimator
        document_input(cls, getattr(cls, "_input_doc", TEXT_INPUT))

    @available_if(_stochastic_solver)
    def partial_fit(self, X, y, classes=None, sample_weight=None):
        """Run one epoch over ``X``, ``y`` (creating the network on the first call).

        Every call uses the current hyper-parameters and trains on all of ``X``
        (``early_stopping`` applies to ``fit`` only); the text models' vocabulary grows
        by the new words of ``X``. An interrupted or failed call leaves the estimator as
        it was (see the user guide's "Interrupts, failures and continued training").

        Parameters
        ----------
        X : see the class
            Training input.
        y : array-like of shape (n_samples,) or (n_samples, n_labels)
            Class labels, or a multi-label indicator matrix.
        classes : array-like of shape (n_classes,), default=None
            All classes that will ever appear; required on the first call. For a
            multi-label ``y``: the label columns, ``np.arange(n_labels)``.
        sample_weight : array-like of shape (n_samples,), default=None
            Per-sample weights.

        Returns
        -------
        self : object
            The estimator.
        """
        if not hasattr(self, "net_"):
            if classes is None:
                raise ValueError("classes must be passed on the first call to partial_fit.")
        elif classes is not None and not np.array_equal(
            self.classes_, np.unique(np.asarray(classes))
        ):
            raise ValueError(
                f"`classes={list(classes)!r}` is not the same as on the first call to "
                f"partial_fit, which was {list(self.classes_)!r}."
            )
        return self._fit(X, y, sample_weight=sample_weight, incremental=True, classes=classes)

    def predict_proba(self, X):
        """Class probabilities.

        Parameters
        ----------
        X : see the class
            Input.

        Returns
        -------
        proba : ndarray of shape (n_samples, n_classes)
            Probability of each class, columns in the order of ``classes_``; for a
            multi-label model, the probability of each label (rows need not sum to 1).
        """
        proba = self._forward_outputs(X)
        if self.out_activation_ == "softmax":
            proba = proba / proba.sum(axis=1, keepdims=True)
        return proba

    def predict_log_proba(self, X):
        """Logarithm of :meth:`predict_proba`.

        Parameters
        ----------
        X : see the class
            Input.

        Returns
        -------
        log_proba : ndarray of shape (n_samples, n_classes)
            Natural logarithm of the probabilities.
        """
        return np.log(self.predict_proba(X))

    def predict(self, X):
        """Predicted class labels.

        Parameters
        ----------
        X : see the class
            Input.

        Returns
        -------
        y : ndarray of shape (n_samples,) or (n_samples, n_labels)
            Labels from ``classes_``; for a multi-label model the indicator matrix of the
            labels whose probability exceeds 0.5.
        """
        proba = self.predict_proba(X)
        if self.out_activation_ == "logistic":
            return (proba > 0.5).astype(np.int64)
        return self.classes_[np.argmax(proba, axis=1)]

    # ------------------------------------------------------------------ task hooks
    def _target_array(self, y):
        """``y`` (not an array yet) as an array; lists of label lists are refused."""
        try:
            return np.asarray(y)
        except ValueError as exc:
            error = exc
        # scikit-learn's message for a sequence of label sequences (MultiLabelBinarizer)
        type_of_target(y, input_name="y")
        raise error

    def _encode_targets(self, y, classes, first_call, warm_start=False):
        if isinstance(y, SoftTargets):
            return self._encode_soft_targets(y, classes, first_call)
        if sp.issparse(y) or (np.ndim(y) == 2 and np.shape(y)[1] > 1):
            return self._encode_multilabel(y, classes, first_call)
        check_classification_targets(y)
        y = np.asarray(y)
        if y.ndim == 2 and y.shape[1] == 1:
            warnings.warn(
                "A column-vector y was passed when a 1d array was expected. Please change "
                "the shape of y to (n_samples,), for example using ravel().",
                DataConversionWarning,
            )
            y = y.ravel()
        if y.ndim != 1:
            raise ValueError(f"y should be a 1d array, got an array of shape {y.shape}.")
        if first_call:
            self._multilabel = False
            self.classes_ = np.unique(np.asarray(classes) if classes is not None else y)
            if len(self.classes_) < 2:
                raise ValueError(
                    f"{type(self).__name__} needs samples of at least 2 classes in the "
                    f"data, but the data contains only one class: {self.classes_[0]!r}."
                )
        elif self._multilabel:
            raise ValueError(
                "y is a 1d array of labels, but the estimator was fitted on a multi-label "
                f"indicator matrix with {len(self.classes_)} columns."
            )
        elif warm_start and not np.array_equal(np.unique(y), self.classes_):
            # scikit-learn's check: a warm-started fit sees every class again
            raise ValueError(
                "warm_start can only be used where `y` has the same classes as in the "
                f"previous call to fit. Previously got {self.classes_}, `y` has {np.unique(y)}"
            )
        unseen = np.setdiff1d(np.unique(y), self.classes_)
        if unseen.size:
            raise ValueError(
                f"y contains labels not seen before: {unseen.tolist()!r}; the estimator "
                f"was set up with classes {self.classes_.tolist()!r}."
            )
        return np.searchsorted(self.classes_, y).astype(np.int64)

    def _encode_soft_targets(self, y, classes, first_call):
        if classes is not None and not np.array_equal(np.unique(classes), y.classes):
            raise ValueError(
                f"classes={list(classes)!r} differ from the classes of the soft targets, "
                f"{y.classes.tolist()!r}."
            )
        if first_call:
            self._multilabel = False
            self.classes_ = y.classes
        elif self._multilabel or not np.array_equal(self.classes_, y.classes):
            raise ValueError(
                f"The soft targets are over classes {y.classes.tolist()!r}, but the "
                f"estimator was fitted on {self.classes_.tolist()!r}"
                + (" (multi-label)." if self._multilabel else ".")
            )
        return y

    def _encode_multilabel(self, y, classes, first_call):
        kind = type_of_target(y)
        if kind != "multilabel-indicator":
            raise ValueError(
                f"A 2-d y must be a multi-label indicator matrix of 0 and 1 (one column per "
                f"label); got a target of type {kind!r}. For one label per sample pass a "
                "1d array; for lists of labels use sklearn.preprocessing.MultiLabelBinarizer."
            )
        Y = y.toarray() if sp.issparse(y) else np.asarray(y)
        # scikit-learn calls any matrix of (at most) two values an indicator: as its
        # LabelBinarizer does for a binary y, the larger value marks a present label
        # (0/2, -1/1, False/True); a matrix of one value: present where it is positive
        values = np.unique(Y)
        Y = (Y == values[-1] if len(values) == 2 else Y > 0).astype(np.float32)
        n_labels = Y.shape[1]
        if first_call:
            if classes is not None and not np.array_equal(np.unique(classes), np.arange(n_labels)):
                raise ValueError(
                    f"For a multi-label y with {n_labels} columns, classes must be "
                    f"np.arange({n_labels}); got {list(classes)!r}."
                )
            self._multilabel = True
            self.classes_ = np.arange(n_labels)
        elif not self._multilabel or n_labels != len(self.classes_):
            raise ValueError(
                f"y is an indicator matrix with {n_labels} columns, but the estimator was "
                + (
                    f"fitted on {len(self.classes_)} label columns."
                    if self._multilabel
                    else "fitted on single labels."
                )
            )
        counts = Y.sum(axis=0)
        constant = np.flatnonzero((counts == 0) | (counts == len(Y)))
        if constant.size:
            warnings.warn(
                f"Label column(s) {constant.tolist()} of y are the same for every sample "
                "(always 0 or always 1): the model can only learn to predict that constant.",
                UserWarning,
            )
        return Y

    def _make_task(self, y_encoded):
        if isinstance(y_encoded, SoftTargets):
            if self.class_weight is not None:
                raise ValueError(
                    "class_weight does not apply to soft targets (class probabilities); "
                    "leave it None on a distilled student."
                )
            return SoftTargetTask(y_encoded.temperature)
        if self._multilabel:
            if self.class_weight is not None:
                raise ValueError(
                    "class_weight is not supported with a multi-label y (each label is a "
                    "binary problem of its own); weight samples with sample_weight instead."
                )
            return MultilabelTask()
        return MulticlassTask(self._class_weight_tensor(y_encoded))

    def _class_weight_tensor(self, y_encoded):
        if self.class_weight is None:
            return None
        if isinstance(self.class_weight, dict):
            unknown = set(self.class_weight) - set(self.classes_.tolist())
            if unknown:
                raise ValueError(
                    f"class_weight has labels {sorted(map(str, unknown))} that are not in "
                    f"the classes {self.classes_.tolist()!r}."
                )
        weights = compute_class_weight(
            self.class_weight, classes=self.classes_, y=self.classes_[y_encoded]
        )
        return torch.as_tensor(weights, dtype=torch.float32)

    def _stratify(self, y_encoded):
        if self._multilabel:
            return None
        if isinstance(y_encoded, SoftTargets):
            # soft targets: stratified by their most probable class when each has 2 rows
            y_encoded = np.argmax(y_encoded, axis=1)
            counts = np.bincount(y_encoded, minlength=len(self.classes_))
            return y_encoded if counts.min() >= 2 else None
        counts = np.bincount(y_encoded, minlength=len(self.classes_))
        if counts.min() >= 2:
            return y_encoded
        if len(self.classes_) == 2:
            # scikit-learn stratifies a binary y, and its split fails on a class of one
            raise ValueError(
                "early_stopping=True holds out a validation set stratified by class, which "
                "needs at least 2 samples of each class; y has fewer of class(es) "
                f"{self.classes_[counts < 2].tolist()!r}. Add samples, or set "
                "early_stopping=False."
            )
        # more classes: scikit-learn never stratifies them; sktext does when it can
        return None

    def _n_module_outputs(self):
        return len(self.classes_)

    def _set_task_attributes(self):
        self.n_outputs_ = len(self.classes_)
        self.out_activation_ = "logistic" if self._multilabel else "softmax"

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.classifier_tags.multi_label = True
        return tags


class NeuralRegressorMixin(RegressorMixin):
    """Regression targets for :class:`~._base.BaseNeuralNetwork` (not for direct use).

    ``y`` is a 1-d array of numbers or a 2-d array with one column per output. With
    ``_standardize_targets = True`` (the text regressors) the network is trained on
    standardized targets (``(y - target_mean_) / target_scale_``, per output) and
    ``predict`` maps its outputs back; ``loss_curve_`` is then in standardized units.
    """

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        # the shared fit/predict docstrings name the X of this estimator
        document_input(cls, getattr(cls, "_input_doc", TEXT_INPUT))

    _standardize_targets = False

    @available_if(_stochastic_solver)
    def partial_fit(self, X, y, sample_weight=None):
        """Run one epoch over ``X``, ``y`` (creating the network on the first call).

        Every call uses the current hyper-parameters and trains on all of ``X``
        (``early_stopping`` applies to ``fit`` only); the text models' vocabulary grows
        by the new words of ``X``. An interrupted or failed call leaves the estimator as
        it was (see the user guide's "Interrupts, failures and continued training").

        Parameters
        ----------
        X : see the class
            Training input.
        y : array-like of shape (n_samples,) or (n_samples, n_outputs)
            Target values.
        sample_weight : array-like of shape (n_samples,), default=None
            Per-sample weights.

        Returns
        -------
        self : object
            The estimator.
        """
        return self._fit(X, y, sample_weight=sample_weight, incremental=True)

    def predict(self, X):
        """Predicted target values.

        Parameters
        ----------
        X : see the class
            Input.

        Returns
        -------
        y : ndarray of shape (n_samples,) or (n_samples, n_outputs)
            Predictions; 1-d when the model was fitted on a 1-d ``y`` or a single column.
        """
        y = self._forward_outputs(X)
        if self.target_scale_ is not None:
            y = y * self.target_scale_ + self.target_mean_
        return y.ravel() if y.shape[1] == 1 else y

    # ------------------------------------------------------------------ task hooks
    def _target_array(self, y):
        """``y`` (not an array yet) as an array; rows of different lengths are refused."""
        try:
            return np.asarray(y)
        except ValueError as exc:
            raise ValueError(
                "y should be a 1d or 2d array (one column per output); got rows of "
                f"different lengths ({exc})"
            ) from exc

    def _encode_targets(self, y, classes, first_call, warm_start=False):
        if sp.issparse(y):
            raise ValueError(f"{type(self).__name__} does not accept a sparse y.")
        y = np.asarray(y) if not hasattr(y, "dtype") else y
        if np.ndim(y) > 2:
            raise ValueError(
                f"y should be a 1d or 2d array (one column per output), got an array of "
                f"shape {np.shape(y)}."
            )
        not_numeric = (
            f"{type(self).__name__} needs numeric targets; y has dtype {y.dtype}. For "
            "class labels use a classifier."
        )
        if y.dtype.kind in "US":
            raise ValueError(not_numeric)
        try:
            y = check_array(y, ensure_2d=False, dtype=np.float64, input_name="y", estimator=self)
        except (TypeError, ValueError) as exc:
            if y.dtype.kind != "O" or "NaN" in str(exc) or "infinity" in str(exc):
                raise
            raise ValueError(not_numeric) from exc
        Y = y.reshape(-1, 1) if y.ndim == 1 else y
        poisson = self._poisson()
        if poisson and Y.size and Y.min() < 0:
            raise ValueError(
                f'{type(self).__name__} with loss="poisson" needs y >= 0 (counts or other '
                f"non-negative values); y has negative values (smallest: {Y.min():.6g})."
            )
        if first_call:
            self.n_outputs_ = Y.shape[1]
            self.target_mean_ = self.target_scale_ = None
            # the log link needs the targets as they are: never standardized for poisson
            if self._standardize_targets and not poisson:
                self.target_mean_, self.target_scale_ = self._target_standardization(Y)
        elif Y.shape[1] != self.n_outputs_:
            raise ValueError(
                f"y has {Y.shape[1]} output(s), but the estimator was fitted on {self.n_outputs_}."
            )
        if self.target_scale_ is not None:
            Y = (Y - self.target_mean_) / self.target_scale_
        return Y

    def _target_standardization(self, Y):
        """Mean and scale (the standard deviation, 1 where it is 0) of each column of Y.

        Raises a ValueError when either overflows float64 (finite targets near 1e300):
        the network would train on NaN or infinite targets and predict infinities.
        """
        with np.errstate(over="ignore", invalid="ignore"):
            mean = Y.mean(axis=0)
            scale = Y.std(axis=0)
        for name, value in (("mean", mean), ("standard deviation", scale)):
            if not np.all(np.isfinite(value)):
                raise ValueError(
                    f"{type(self).__name__} trains on standardized targets, but the {name} "
                    f"of y overflows float64 (largest |y|: {np.max(np.abs(Y)):.3g}). Rescale "
                    "y before fitting (e.g. divide it by a power of ten) and scale the "
                    "predictions back."
                )
        return mean, np.where(scale > 0, scale, 1.0)

    def _poisson(self):
        """Whether the loss is the half Poisson deviance (``loss="poisson"``)."""
        return getattr(self, "loss", "squared_error") == "poisson"

    def _make_task(self, y_encoded):
        return PoissonRegressionTask() if self._poisson() else RegressionTask()

    def _stratify(self, y_encoded):
        return None

    def _n_module_outputs(self):
        return self.n_outputs_

    def _set_task_attributes(self):
        self.out_activation_ = "exp" if self._poisson() else "identity"

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.target_tags.multi_output = True
        return tags
