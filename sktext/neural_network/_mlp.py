"""MLPClassifier and MLPRegressor: drop-ins for scikit-learn's, trained with PyTorch."""

import warnings
from numbers import Integral, Real

import numpy as np
import scipy.sparse as sp
import torch

from ..nn import MLP
from ..utils._docstrings import NUMERIC_INPUT, fill_doc
from ..utils._sklearn_compat import Interval, Options, StrOptions, check_is_fitted, validate_data
from ._base import BaseNeuralNetwork
from ._solver import SklearnOptimizationMixin
from ._tasks import NeuralClassifierMixin, NeuralRegressorMixin

__all__ = ["MLPClassifier", "MLPRegressor"]


def _csr_batch(X, *, transposed=False):
    """Batch maker for a CSR matrix: rows -> compacted torch CSR batch (never densified).

    The batch's columns are renumbered to the features it contains (``rows``, sorted and
    unique), so the first layer reads and updates only those weight rows. ``transposed``
    adds the batch's transpose (for the first layer's backward pass).
    """

    def make_batch(sample_rows):
        sub = X[sample_rows]
        # the features present, sorted, and each non-zero's position among them (what
        # np.unique(..., return_inverse=True) gives, without sorting the non-zeros)
        present = np.zeros(X.shape[1], dtype=bool)
        present[sub.indices] = True
        rows = np.flatnonzero(present)
        position = np.empty(X.shape[1], dtype=np.int64)
        position[rows] = np.arange(len(rows))
        local = position[sub.indices]
        compacted = sp.csr_matrix((sub.data, local, sub.indptr), (sub.shape[0], len(rows)))
        batch = {"X": _torch_csr(compacted), "rows": torch.from_numpy(rows.astype(np.int64))}
        if transposed:
            batch["transposed"] = _torch_csr(compacted.T.tocsr())
        return batch

    return make_batch


def _torch_csr(matrix):
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", "Sparse CSR tensor support is in beta")
        return torch.sparse_csr_tensor(
            torch.from_numpy(matrix.indptr.astype(np.int64)),
            torch.from_numpy(matrix.indices.astype(np.int64)),
            torch.from_numpy(matrix.data),
            size=matrix.shape,
            check_invariants=False,  # built from scipy's CSR: consistent
        )


def _dense_batch(X):
    def make_batch(rows):
        return torch.from_numpy(X[rows])

    return make_batch


def _cast(X, dtype):
    """``X`` in ``dtype``; float64 values beyond float32's range are an error, not inf."""
    cast = X.astype(dtype, copy=False)
    if cast.dtype != X.dtype and cast.dtype == np.float32:
        values = cast.data if sp.issparse(cast) else cast
        if not np.isfinite(values).all():
            raise ValueError(
                "X holds values beyond the range of float32 (about 3.4e38), the precision "
                "the network computes in: rescale X, or pass dtype='float64'."
            )
    return cast


def _parameter_array(param, transposed):
    """``param`` as a NumPy array: a view on a CPU device, else a read-only copy."""
    tensor = param.detach()
    if tensor.device.type == "cpu":
        array = tensor.numpy()  # shares the parameter's memory
    else:
        array = tensor.cpu().numpy()
        array.flags.writeable = False
    return array.T if transposed else array


def _assign_parameters(name, parameters, arrays):
    """Copy ``arrays`` (sklearn's layout) into ``parameters`` (``(param, transposed)``)."""
    arrays = list(arrays)
    if len(arrays) != len(parameters):
        raise ValueError(f"{name} needs {len(parameters)} arrays, got {len(arrays)}.")
    values = []
    for i, ((param, transposed), array) in enumerate(zip(parameters, arrays, strict=True)):
        array = np.asarray(array)
        expected = tuple(param.shape[::-1] if transposed else param.shape)
        if array.shape != expected:
            raise ValueError(f"{name}[{i}] must have shape {expected}, got {array.shape}.")
        values.append(torch.as_tensor(array.T if transposed else array))
    with torch.no_grad():
        for (param, _), value in zip(parameters, values, strict=True):
            param.copy_(value)


class _MLPBase(SklearnOptimizationMixin, BaseNeuralNetwork):
    """The MLP model hooks shared by :class:`MLPClassifier` and :class:`MLPRegressor`."""

    _input_doc = NUMERIC_INPUT  # in the docstrings of fit, predict...
    _parameter_constraints: dict = {
        "dropout": [Interval(Real, 0, 1, closed="left")],
        "hidden_layer_sizes": ["array-like", Interval(Integral, 1, None, closed="left")],
        "activation": [StrOptions({"identity", "logistic", "tanh", "relu"})],
        "dtype": [StrOptions({"float32", "float64"}), Options(type, {np.float32, np.float64})],
    }
    _dropout_rates = ("dropout",)

    def _fit(self, X, y, sample_weight=None, incremental=False, classes=None):
        if incremental and self.early_stopping:
            # scikit-learn's MLPs refuse it (a stopping rule needs a fit's epochs)
            raise ValueError("partial_fit does not support early_stopping=True")
        return super()._fit(X, y, sample_weight, incremental, classes)

    def _check_X(self, X, *, reset):
        """Validated input in the network's precision (``dtype`` for a new fit)."""
        X = self._validated_float(X, reset=reset)
        if reset:
            # scikit-learn's MLP would compute in this precision: the outputs follow it
            self._fit_input_dtype = X.dtype.name
        target = np.dtype(self.dtype) if reset else self._module_parameter_dtype()
        return _cast(X, target)

    def _validated_float(self, X, *, reset):
        # float32 stays float32, everything else becomes float64 (scikit-learn's rule)
        X = validate_data(
            self,
            X,
            accept_sparse=["csr", "csc", "coo"],
            dtype=(np.float64, np.float32),
            reset=reset,
        )
        if sp.issparse(X):
            X = sp.csr_matrix(X)
            X.sum_duplicates()
        else:
            X = np.ascontiguousarray(X)
        return X

    def _check_predict_X(self, X):
        # outputs in scikit-learn's dtype: float32 when both this input and the training
        # input were float32, float64 otherwise (whatever precision the network uses)
        X = self._validated_float(X, reset=False)
        model_dtype = self._module_parameter_dtype()
        fit_dtype = getattr(self, "_fit_input_dtype", model_dtype)  # older files: the weights'
        return _cast(X, model_dtype), np.result_type(X.dtype, fit_dtype)

    def _module_parameter_dtype(self):
        """NumPy dtype of the network's weights (read without copying them)."""
        dtype = next(self.net_.module_.parameters()).dtype
        return torch.empty(0, dtype=dtype).numpy().dtype

    def _module_dtype(self, X):
        return torch.float64 if X.dtype == np.float64 else torch.float32

    def _n_samples(self, X):
        return X.shape[0]

    def _batch_maker(self, X):
        return _csr_batch(X) if sp.issparse(X) else _dense_batch(X)

    def _training_batch_maker(self, X):
        return _csr_batch(X, transposed=True) if sp.issparse(X) else _dense_batch(X)

    def _build_module_params(self, X):
        hidden = self._hidden_sizes()
        return MLP, dict(
            n_features=X.shape[1],
            n_outputs=self._n_module_outputs(),
            hidden_layer_sizes=hidden,
            activation=self.activation,
            dropout=self.dropout,
            sparse_grad=bool(sp.issparse(X) and self.solver == "adam" and self.optimizer is None),
        )

    def _hidden_sizes(self):
        sizes = self.hidden_layer_sizes
        if not hasattr(sizes, "__iter__"):
            sizes = [sizes]
        sizes = tuple(int(s) for s in sizes)
        if any(s <= 0 for s in sizes):
            raise ValueError(f"hidden_layer_sizes must be > 0, got {sizes}.")
        return sizes

    def _set_fitted_attributes(self):
        super()._set_fitted_attributes()
        self.n_layers_ = len(self._hidden_sizes()) + 2

    # ------------------------------------------------------------------ sklearn attributes
    # As scikit-learn's, the arrays are the network's own: on a CPU device they are NumPy
    # views of the parameters (``coefs_[0][:] = 0`` reaches the network, and training
    # updates them in place); on another device, read-only copies (an edit raises rather
    # than being lost). Assigning a list of arrays copies them into the network anywhere.
    @property
    def coefs_(self):
        """Weight matrices as NumPy arrays, ``(n_units_in, n_units_out)`` each."""
        check_is_fitted(self)
        return [_parameter_array(w, transposed) for w, transposed in self._coef_parameters()]

    @coefs_.setter
    def coefs_(self, coefs):
        check_is_fitted(self)
        _assign_parameters("coefs_", self._coef_parameters(), coefs)

    @property
    def intercepts_(self):
        """Bias vectors as NumPy arrays."""
        check_is_fitted(self)
        return [_parameter_array(b, False) for b, _ in self._intercept_parameters()]

    @intercepts_.setter
    def intercepts_(self, intercepts):
        check_is_fitted(self)
        _assign_parameters("intercepts_", self._intercept_parameters(), intercepts)

    def _coef_parameters(self):
        """``(weight, transposed)`` of each layer: torch's Linear stores ``(out, in)``."""
        module = self.net_.module_
        return [(module.input_layer.weight, False)] + [(la.weight, True) for la in module.layers]

    def _intercept_parameters(self):
        module = self.net_.module_
        return [(module.input_layer.bias, False)] + [(la.bias, False) for la in module.layers]

    def to_sklearn(self):
        """The same fitted network as scikit-learn's own MLP (see :func:`sktext.to_sklearn`).

        Returns
        -------
        estimator : sklearn.neural_network.MLPClassifier or MLPRegressor
            Fitted, with these weights; servable without torch, convertible by skl2onnx.
        """
        from sklearn.base import is_classifier
        from sklearn.neural_network import MLPClassifier as SkMLPClassifier
        from sklearn.neural_network import MLPRegressor as SkMLPRegressor
        from sklearn.preprocessing import LabelBinarizer

        check_is_fitted(self)
        classifier = is_classifier(self)
        cls = SkMLPClassifier if classifier else SkMLPRegressor
        sk_params = cls().get_params()
        if getattr(self, "loss", "squared_error") != "squared_error" and "loss" not in sk_params:
            raise ValueError(
                f"loss={self.loss!r} needs scikit-learn >= 1.7 to convert to its MLPRegressor."
            )
        params = {k: v for k, v in self.get_params().items() if k in sk_params}
        params["hidden_layer_sizes"] = self._hidden_sizes()
        clone = cls(**params)
        coefs = [c.astype(np.float64) for c in self.coefs_]
        intercepts = [b.astype(np.float64) for b in self.intercepts_]
        out_activation = self.out_activation_
        multilabel = classifier and out_activation == "logistic"  # one sigmoid per label
        if classifier and out_activation == "softmax" and len(self.classes_) == 2:
            # sktext: two softmax outputs; scikit-learn: one logistic output.
            # softmax([z0, z1])[1] == sigmoid(z1 - z0), so the output layer is the difference.
            coefs[-1] = (coefs[-1][:, 1] - coefs[-1][:, 0])[:, None]
            intercepts[-1] = np.array([intercepts[-1][1] - intercepts[-1][0]])
            out_activation = "logistic"
        scale = getattr(self, "target_scale_", None)
        if scale is not None:
            # a regressor trained on standardized targets: undo it in the output layer
            coefs[-1] = coefs[-1] * scale
            intercepts[-1] = intercepts[-1] * scale + self.target_mean_
        clone.coefs_, clone.intercepts_ = coefs, intercepts
        clone.out_activation_ = out_activation
        clone.n_outputs_ = coefs[-1].shape[1]
        clone.n_layers_ = len(coefs) + 1
        if classifier:
            clone.classes_ = self.classes_
            if multilabel:  # y was an indicator matrix
                binarizer = LabelBinarizer().fit(np.eye(len(self.classes_), dtype=int))
            else:
                binarizer = LabelBinarizer().fit(self.classes_)
            clone._label_binarizer = binarizer
        clone.n_features_in_ = self.n_features_in_
        if hasattr(self, "feature_names_in_"):
            clone.feature_names_in_ = self.feature_names_in_
        for name in (
            "n_iter_",
            "loss_",
            "loss_curve_",
            "best_loss_",
            "t_",
            "validation_scores_",
            "best_validation_score_",
        ):
            if hasattr(self, name):
                setattr(clone, name, getattr(self, name))
        return clone

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.input_tags.sparse = True
        return tags


@fill_doc
class MLPClassifier(NeuralClassifierMixin, _MLPBase):
    """Multi-layer perceptron classifier in PyTorch, a drop-in for scikit-learn's.

    Accepts every constructor parameter of :class:`sklearn.neural_network.MLPClassifier`
    with the same meaning, and the same fitted attributes, plus ``dropout``, ``device``,
    ``dtype``, ``optimizer``, ``class_weight`` and ``callbacks``.

    {mlp_input}

    ``y`` is a 1-d array of labels, or a 0/1 indicator matrix of shape
    ``(n_samples, n_labels)`` for multi-label classification: one sigmoid output per label
    trained with binary cross-entropy, ``predict_proba`` gives each label's probability and
    ``predict`` the indicator matrix of the labels whose probability exceeds 0.5 (as in
    scikit-learn). ``class_weight`` applies to single-label ``y`` only; ``sample_weight``
    weighs each sample's loss (the sum over its labels, for multi-label ``y``).

    Parameters
    ----------
    {mlp_parameters}
    {mlp_training_parameters}

    Attributes
    ----------
    {mlp_attributes}
    {training_attributes}

    See Also
    --------
    sklearn.neural_network.MLPClassifier : The NumPy implementation this replaces.
    MLPRegressor : The same network for numeric targets.

    Examples
    --------
    >>> from sklearn.datasets import make_classification
    >>> from sktext import MLPClassifier
    >>> X, y = make_classification(n_samples=200, random_state=0)
    >>> clf = MLPClassifier(max_iter=50, random_state=0).fit(X, y)
    >>> clf.predict(X[:3]).shape
    (3,)
    >>> round(clf.score(X, y), 1) >= 0.9
    True
    """

    def __init__(
        self,
        hidden_layer_sizes=(100,),
        activation="relu",
        *,
        solver="adam",
        alpha=0.0001,
        batch_size="auto",
        learning_rate="constant",
        learning_rate_init=0.001,
        power_t=0.5,
        max_iter=200,
        shuffle=True,
        random_state=None,
        tol=1e-4,
        verbose=False,
        warm_start=False,
        momentum=0.9,
        nesterovs_momentum=True,
        early_stopping=False,
        validation_fraction=0.1,
        beta_1=0.9,
        beta_2=0.999,
        epsilon=1e-8,
        n_iter_no_change=10,
        max_fun=15000,
        dropout=0.0,
        device="cpu",
        data_parallel=None,
        dtype="float32",
        optimizer=None,
        class_weight=None,
        callbacks=None,
    ):
        self.hidden_layer_sizes = hidden_layer_sizes
        self.activation = activation
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
        self.dropout = dropout
        self.device = device
        self.data_parallel = data_parallel
        self.dtype = dtype
        self.optimizer = optimizer
        self.class_weight = class_weight
        self.callbacks = callbacks


@fill_doc
class MLPRegressor(NeuralRegressorMixin, _MLPBase):
    """Multi-layer perceptron regressor in PyTorch, a drop-in for scikit-learn's.

    Accepts every constructor parameter of :class:`sklearn.neural_network.MLPRegressor`
    with the same meaning, and the same fitted attributes, plus ``dropout``, ``device``,
    ``dtype``, ``optimizer`` and ``callbacks``. It trains the network of :class:`MLPClassifier`
    (same training code, same speed idea) with an identity output and scikit-learn's
    squared loss, ``0.5 * mean((y - y_pred) ** 2)``, on a 1-d ``y`` or a 2-d ``y`` with one
    column per output; with ``loss="poisson"`` (counts, rates: ``y >= 0``), an
    exponential output and the half Poisson deviance, as in scikit-learn >= 1.7. As in
    scikit-learn, targets are not scaled: standardize ``y`` yourself (e.g. with
    :class:`sklearn.compose.TransformedTargetRegressor`) when its scale is far from 1.

    {mlp_input}

    Parameters
    ----------
    {mlp_parameters}
    {mlp_training_parameters}

    Attributes
    ----------
    {mlp_attributes}
    {training_attributes}

    See Also
    --------
    sklearn.neural_network.MLPRegressor : The NumPy implementation this replaces.
    MLPClassifier : The same network for class labels.

    Examples
    --------
    >>> from sklearn.datasets import make_regression
    >>> from sktext import MLPRegressor
    >>> X, y = make_regression(n_samples=200, n_features=10, noise=1.0, random_state=0)
    >>> reg = MLPRegressor(max_iter=300, random_state=0).fit(X, y / y.std())
    >>> reg.predict(X[:3]).shape
    (3,)
    >>> round(reg.score(X, y / y.std()), 1) >= 0.9
    True
    """

    _parameter_constraints: dict = {"loss": [StrOptions({"squared_error", "poisson"})]}

    def __init__(
        self,
        loss="squared_error",
        hidden_layer_sizes=(100,),
        activation="relu",
        *,
        solver="adam",
        alpha=0.0001,
        batch_size="auto",
        learning_rate="constant",
        learning_rate_init=0.001,
        power_t=0.5,
        max_iter=200,
        shuffle=True,
        random_state=None,
        tol=1e-4,
        verbose=False,
        warm_start=False,
        momentum=0.9,
        nesterovs_momentum=True,
        early_stopping=False,
        validation_fraction=0.1,
        beta_1=0.9,
        beta_2=0.999,
        epsilon=1e-8,
        n_iter_no_change=10,
        max_fun=15000,
        dropout=0.0,
        device="cpu",
        data_parallel=None,
        dtype="float32",
        optimizer=None,
        callbacks=None,
    ):
        self.loss = loss
        self.hidden_layer_sizes = hidden_layer_sizes
        self.activation = activation
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
        self.dropout = dropout
        self.device = device
        self.data_parallel = data_parallel
        self.dtype = dtype
        self.optimizer = optimizer
        self.callbacks = callbacks
