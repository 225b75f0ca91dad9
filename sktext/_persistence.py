"""Safe model files: weights in safetensors, everything else as plain JSON.

:func:`save` writes a fitted (or unfitted) estimator — any sktext estimator, a
scikit-learn estimator, or a ``Pipeline`` mixing both — to one zip file holding

* ``model.json``: the format name and version, library versions, and the estimator as a
  tree of plain JSON values (parameters, fitted attributes, vocabularies, classes, the
  skorch net's parameters and history), with every class written as its import path;
* ``arrays.safetensors``: every numeric array and tensor (torch weights as a
  ``state_dict``, NumPy fitted attributes, ``KeyedVectors`` vectors, optionally the
  optimizer state).

The tree is produced by walking the objects, not by listing attributes by hand: an
estimator is its class and its ``__dict__``; a skorch net is its ``get_params()``, the
``state_dict`` of its module (and optimizer) and its History; skorch callbacks are their
``get_params()``. New estimators are covered as long as their attributes are made of the
types below.

:func:`load` never unpickles and never evaluates anything from the file. It imports a
class only if its exact ``"module:QualName"`` is allowed before the module is imported
(see "the allow-list" below), builds estimators and plain objects with
``cls.__new__(cls)`` and fills their ``__dict__``, skorch callbacks and nets with
``cls(**params)`` (constructors of allow-listed classes only), checks every array's dtype
and shape against the JSON before use, and bounds what a file can make it allocate
(networks are built on the ``meta`` device and compared with the saved weights first).
:func:`save` replaces its target atomically.
"""

# Authors: The sktext developers
# License: BSD 3 clause

import contextlib
import functools
import importlib
import importlib.util
import json
import math
import os
import pathlib
import re
import secrets
import stat
import types
import warnings
import zipfile

import numpy as np
import scipy.sparse as sp
import torch
from sklearn.base import BaseEstimator

from ._version import __version__
from .utils._safety import UnsafeModelError

__all__ = ["FORMAT_VERSION", "UnsafeModelError", "load", "save"]

#: Version of the file layout written by :func:`save` (read back by :func:`load`).
FORMAT_VERSION = 1

_FORMAT_NAME = "sktext-safe-model"
_JSON_NAME = "model.json"
_ARRAYS_NAME = "arrays.safetensors"

# Numeric dtypes that go to safetensors (the rest, strings and objects, go to JSON).
_NUMERIC_KINDS = "biuf"
# Array dtypes written as JSON lists.
_JSON_ARRAY_KINDS = "UO"


# ------------------------------------------------------------------ the allow-list
#
# A class is named in a file as "module:QualName". It resolves only if the pair is
# allowed *before* its module is imported, and the object found in that module's own
# namespace (no attribute walk, no module ``__getattr__``) has exactly that
# ``__module__`` and ``__qualname__`` and is of the kind the entry asks for. Two kinds of
# rule say which pairs are allowed:
#
# * exact lists (plain objects, callbacks sktext installs from outside sktext, torch's
#   losses and optimizers, NumPy scalar types, skorch's dataset, the Hugging Face encoder
#   classes, functions);
# * for the classes sktext and scikit-learn define themselves (estimators, and sktext's
#   nets, callbacks, torch modules and optimizers): the module must be one of the
#   package's own module files (read from disk, tests and build helpers excluded), and
#   the class a subclass of the kind's base defined in that module.

_IDENTIFIER = re.compile(r"[A-Za-z_][A-Za-z0-9_]*\Z")

# parts of a module path that are never imported from a model file
_EXCLUDED_MODULE_PARTS = frozenset(
    {"tests", "conftest", "externals", "_build_utils", "experimental", "__main__", "_testing"}
)

#: Plain (non-estimator) objects a file may hold, restored from their attributes.
PLAIN_OBJECTS = frozenset(
    {
        # the task of an sktext net (loss, outputs, validation score)
        "sktext.neural_network._tasks:MulticlassTask",
        "sktext.neural_network._tasks:MultilabelTask",
        "sktext.neural_network._tasks:RegressionTask",
        "sktext.neural_network._tasks:PoissonRegressionTask",
        "sktext.neural_network._tasks:SoftTargetTask",
        # scikit-learn's MLP solver state
        "sklearn.neural_network._stochastic_optimizers:AdamOptimizer",
        "sklearn.neural_network._stochastic_optimizers:SGDOptimizer",
        # scikit-learn's column selector (ColumnTransformer's columns chosen by dtype)
        "sklearn.compose._column_transformer:make_column_selector",
        # the trees of scikit-learn's histogram gradient boosting (checked on load)
        "sklearn.ensemble._hist_gradient_boosting.predictor:TreePredictor",
        # gensim's vectors
        "gensim.models.keyedvectors:KeyedVectors",
        "gensim.models.fasttext:FastTextKeyedVectors",
    }
)

#: Functions a file may refer to (e.g. skorch's ``iterator_train``), by import path.
ALLOWED_FUNCTIONS = frozenset(
    {
        "sktext.neural_network._data:make_loader",
        "skorch.utils:noop",  # the default ``sink`` of skorch's callbacks (does nothing)
    }
)

#: Kinds of classes a file may name as values (e.g. a skorch net's ``module``).
_CLASS_REFERENCE_KINDS = ("module", "optimizer", "estimator", "dataset", "numpy_scalar_type")


def _parse_ref(name, *, dotted=False):
    """``(module, qualname)`` of a ``"module:qualname"`` reference, or UnsafeModelError."""
    if isinstance(name, str) and name.count(":") == 1:
        module_name, qualname = name.split(":")
        parts = module_name.split(".") + (qualname.split(".") if dotted else [qualname])
        if all(_IDENTIFIER.match(part) for part in parts):
            return module_name, qualname
    raise UnsafeModelError(f"Malformed class reference {name!r:.200} in the model file.")


@functools.cache
def _package_modules(package):
    """The module names of an installed package, read from its files (nothing imported)."""
    spec = importlib.util.find_spec(package)
    if spec is None or not spec.submodule_search_locations:
        return frozenset()
    names = set()
    for location in spec.submodule_search_locations:
        root = pathlib.Path(location)
        for path in root.rglob("*.py"):
            parts = path.relative_to(root).with_suffix("").parts
            if parts[-1] == "__init__":
                parts = parts[:-1]
            if any(p in _EXCLUDED_MODULE_PARTS or p.startswith("test_") for p in parts):
                continue
            if all(_IDENTIFIER.match(p) for p in parts):
                names.add(".".join((package, *parts)))
    return frozenset(names)


def _kind_base(kind):
    """The base class every allowed class of ``kind`` derives from."""
    from skorch import NeuralNet
    from skorch.callbacks import Callback
    from skorch.dataset import Dataset

    if kind == "hf_model":  # transformers is imported only for files that hold a model
        from transformers import PreTrainedModel

        return PreTrainedModel
    return {
        "estimator": BaseEstimator,
        "net": NeuralNet,
        "callback": Callback,
        "module": torch.nn.Module,
        "optimizer": torch.optim.Optimizer,
        "dataset": Dataset,
        "numpy_scalar_type": np.generic,
        "plain_object": object,
    }[kind]


#: Kinds whose classes may come from any module file of these packages.
_PACKAGE_KINDS = {
    "estimator": ("sktext", "sklearn"),
    "net": ("sktext",),
    "callback": ("sktext",),
    "module": ("sktext",),
    "optimizer": ("sktext",),
}


@functools.cache
def _exact_refs(kind):
    """The classes (or functions) of ``kind`` allowed by name outside sktext's own modules."""
    if kind == "plain_object":
        return PLAIN_OBJECTS
    if kind == "function":
        return ALLOWED_FUNCTIONS
    if kind == "callback":  # the only skorch callback sktext installs (``verbose``)
        return frozenset({"skorch.callbacks.logging:ProgressBar"})
    if kind == "dataset":
        return frozenset({"skorch.dataset:Dataset"})
    if kind == "module":  # torch's losses, a net's ``criterion``
        loss = torch.nn.modules.loss
        objects = [o for o in vars(loss).values() if getattr(o, "__module__", "") == loss.__name__]
    elif kind == "optimizer":
        objects = vars(torch.optim).values()
    elif kind == "numpy_scalar_type":
        objects = np.sctypeDict.values()
    elif kind == "hf_model":
        return _hugging_face_encoder_refs()
    else:
        return frozenset()
    base = _kind_base(kind)
    return frozenset(
        _ref_name(obj) for obj in objects if isinstance(obj, type) and issubclass(obj, base)
    )


def _hugging_face_encoder_refs():
    """``AutoModel``'s class for every text model type of transformers (by name only)."""
    from transformers.models.auto.configuration_auto import model_type_to_module_name
    from transformers.models.auto.modeling_auto import MODEL_MAPPING_NAMES
    from transformers.models.auto.tokenization_auto import TOKENIZER_MAPPING_NAMES

    refs = set()
    for model_type, class_name in MODEL_MAPPING_NAMES.items():
        if model_type in TOKENIZER_MAPPING_NAMES and isinstance(class_name, str):
            module = model_type_to_module_name(model_type)
            refs.add(f"transformers.models.{module}.modeling_{module}:{class_name}")
    return frozenset(refs)


def _is_allowed(name, kind):
    """Whether ``name`` may be imported as a ``kind``, decided before any import."""
    if name in _exact_refs(kind):
        return True
    module_name = name.split(":")[0]
    return any(module_name in _package_modules(p) for p in _PACKAGE_KINDS.get(kind, ()))


def _ref_name(obj):
    return f"{obj.__module__}:{obj.__qualname__}"


#: Classes and functions that moved, by the name files written before the move use.
MOVED = {
    # sktext 0.1.0.dev0 before the split of neural_network/_training.py (December 2026)
    **{
        f"sktext.neural_network._training:{name}": f"sktext.neural_network._callbacks:{name}"
        for name in (
            "SklearnStopping",
            "SklearnLearningRate",
            "GradientNormClipping",
            "WarmupLinearSchedule",
        )
    },
    "sktext.neural_network._textcnn:MaxNormConstraint": (
        "sktext.neural_network._callbacks:MaxNormConstraint"
    ),
    "sktext.neural_network._training:_SkorchNet": "sktext.neural_network._net:_SkorchNet",
    "sktext.neural_network._training:make_loader": "sktext.neural_network._data:make_loader",
}


def _resolve(name, kind, trusted):
    """The class or function ``name`` ("module:qualname"), if the allow-list permits it."""
    name = MOVED.get(name, name)
    if name in trusted:  # the user's choice: imported and looked up as named
        module_name, qualname = _parse_ref(name, dotted=True)
        try:
            obj = importlib.import_module(module_name)
            for part in qualname.split("."):
                obj = getattr(obj, part)
        except (ImportError, AttributeError) as exc:
            raise UnsafeModelError(f"Cannot find {name!r} named in the model file: {exc}") from exc
        return obj
    module_name, qualname = _parse_ref(name)
    if not _is_allowed(name, kind):
        what = f"the function {name!r}" if kind == "function" else f"{name!r} as a {kind!r} class"
        raise UnsafeModelError(
            f"The model file asks for {what}, which is not in sktext's "
            f"allow-list; nothing was loaded. Pass trusted=[{name!r}] to load() only if "
            "you trust the file's author."
        )
    try:
        module = importlib.import_module(module_name)
    except ImportError as exc:
        raise UnsafeModelError(f"Cannot find {name!r} named in the model file: {exc}") from exc
    obj = vars(module).get(qualname)  # the module's own namespace: no __getattr__ hooks
    if obj is None or _ref_name(obj) != name:
        raise UnsafeModelError(f"{name!r} named in the model file is not defined there.")
    if kind == "function":
        if not isinstance(obj, types.FunctionType):
            raise UnsafeModelError(f"{name!r} in the model file is not a function.")
        return obj
    base = _kind_base(kind)
    if not isinstance(obj, type) or not issubclass(obj, base):
        raise UnsafeModelError(
            f"{name!r} in the model file is not an allowed class of kind {kind!r} "
            f"(expected a subclass of {base.__name__})."
        )
    return obj


# ------------------------------------------------------------------ writing
class _Writer:
    def __init__(self, optimizer_state):
        self.tensors = {}
        self.optimizer_state = optimizer_state
        self._active = set()

    def _store(self, tensor, kind):
        key = f"t{len(self.tensors)}"
        self.tensors[key] = tensor.detach().to("cpu", copy=True).contiguous()
        return {
            "__type__": kind,
            "key": key,
            "dtype": str(tensor.dtype),
            "shape": list(tensor.shape),
        }

    def encode(self, value, where):
        if value is None or isinstance(value, (bool, str)):
            return value
        if type(value) is int:
            return value
        if type(value) is float:
            if math.isfinite(value):
                return value
            return {"__type__": "float", "value": repr(value)}
        if id(value) in self._active:
            raise TypeError(f"{where} contains a reference cycle; it cannot be saved safely.")
        self._active.add(id(value))
        try:
            return self._encode_container(value, where)
        finally:
            self._active.discard(id(value))

    def _encode_container(self, value, where):
        from gensim.models import KeyedVectors
        from skorch import NeuralNet
        from skorch.callbacks import Callback
        from skorch.history import History

        if isinstance(value, np.generic):
            if value.dtype.kind not in _NUMERIC_KINDS + "U":
                raise TypeError(f"{where} is a NumPy scalar of dtype {value.dtype}.")
            return {"__type__": "npscalar", "dtype": value.dtype.str, "value": value.item()}
        if isinstance(value, History):
            return {"__type__": "history", "epochs": self.encode(list(value), where)}
        if isinstance(value, tuple):
            return {"__type__": "tuple", "items": self._list(value, where)}
        if isinstance(value, list):
            return self._list(value, where)
        if isinstance(value, (set, frozenset)):
            items = sorted(value, key=repr)
            return {"__type__": type(value).__name__, "items": self._list(items, where)}
        if isinstance(value, dict):
            if all(isinstance(k, str) for k in value):
                return {
                    "__type__": "dict",
                    "items": {k: self.encode(v, f"{where}[{k!r}]") for k, v in value.items()},
                }
            return {
                "__type__": "dict_items",
                "items": [
                    [self.encode(k, where), self.encode(v, f"{where}[{k!r}]")]
                    for k, v in value.items()
                ],
            }
        if isinstance(value, np.ndarray):
            return self._array(value, where)
        if isinstance(value, np.random.Generator):
            state = value.bit_generator.state
            if state.get("bit_generator") != "PCG64":
                raise TypeError(f"{where} is a {state.get('bit_generator')} generator.")
            return {"__type__": "np_generator", "state": self.encode(state, where)}
        if isinstance(value, torch.Tensor):
            if value.layout != torch.strided:
                raise TypeError(f"{where} is a sparse tensor; it cannot be saved safely.")
            return self._store(value, "tensor")
        if isinstance(value, slice):  # ColumnTransformer's output_indices_
            return {
                "__type__": "slice",
                "items": self._list([value.start, value.stop, value.step], where),
            }
        if isinstance(value, torch.device):
            return {"__type__": "device", "value": str(value)}
        if isinstance(value, torch.dtype):
            return {"__type__": "torch_dtype", "value": str(value).removeprefix("torch.")}
        if isinstance(value, np.dtype):
            return {"__type__": "dtype", "value": value.str}
        if sp.issparse(value):
            coo = value.tocoo()
            return {
                "__type__": "sparse",
                "format": value.format,
                "array": isinstance(value, sp.sparray),
                "shape": list(value.shape),
                "data": self._array(coo.data, where),
                "row": self._array(coo.row, where),
                "col": self._array(coo.col, where),
            }
        if isinstance(value, NeuralNet):
            return self._net(value, where)
        if isinstance(value, _Zeros):
            return {"__type__": "zeros", "shape": list(value.shape)}
        if isinstance(value, _Marker):
            return value.entry
        if isinstance(value, _HFModelSpec):
            return self._hf_model(value.model, weights=False)
        if isinstance(value, Callback):
            return {
                "__type__": "callback",
                "class": _ref_name(type(value)),
                "params": self.encode(value.get_params(deep=False), f"{where}.params"),
            }
        if isinstance(value, (BaseEstimator, KeyedVectors)) or _is_plain_object(value):
            # the raw attributes, not __getstate__: an estimator's custom pickling
            # (e.g. SentenceEncoder's) may hold classes the allow-list does not cover
            state = vars(value)
            if isinstance(value, KeyedVectors):
                # rebuilt on load from index_to_key (and, for fastText vectors, the n-gram
                # buckets of each word from the words), and a cache
                rebuilt = ("key_to_index", "norms", "buckets_word")
                state = {k: v for k, v in state.items() if k not in rebuilt}
            if _is_hist_gradient_boosting(value) and "_loss" in state:
                # the loss object (a compiled class) is rebuilt on load, as fit builds it
                loss = {"__type__": "hgb_loss", "weighted": not value._loss.constant_hessian}
                state = {k: v for k, v in state.items() if k != "_loss"}
                state["_loss"] = _Marker(loss)
            name = type(value).__name__
            return {
                "__type__": "object",
                "class": _ref_name(type(value)),
                "state": {k: self.encode(v, f"{name}.{k}") for k, v in state.items()},
            }
        hf = _hugging_face_kind(value)
        if hf == "model":
            return self._hf_model(value, weights=True)
        if hf == "tokenizer":
            return self._hf_tokenizer(value)
        if isinstance(value, type):
            return {"__type__": "class", "kind": _class_kind(value), "name": _ref_name(value)}
        if isinstance(value, types.FunctionType) or (
            isinstance(value, types.BuiltinFunctionType)
            and isinstance(value.__self__, types.ModuleType)  # print, not [].append
        ):
            # saved by name; load() builds it only if allowed or trusted, as a user's module
            name = _ref_name(value)
            if "<" in name:
                raise TypeError(
                    f"{where} is the function {name}, which has no name to import it by; "
                    "the safe format saves functions by name: define it at the top level of "
                    "a module, or use pickle/joblib for this model."
                )
            return {"__type__": "function", "name": name}
        raise TypeError(
            f"{where} is of type {type(value).__module__}.{type(value).__qualname__}, which "
            "the safe format cannot hold; use pickle/joblib for this model."
        )

    def _list(self, items, where):
        return [self.encode(v, f"{where}[{i}]") for i, v in enumerate(items)]

    def _array(self, array, where):
        if array.dtype.kind in _NUMERIC_KINDS:
            entry = self._store(torch.from_numpy(np.ascontiguousarray(array)), "ndarray")
            entry["dtype"] = array.dtype.str
            return entry
        if array.dtype.names is not None:  # a record array of numbers (a tree's nodes)
            fields = [[name, array.dtype.fields[name][0].str] for name in array.dtype.names]
            if any(np.dtype(f).kind not in _NUMERIC_KINDS for _, f in fields) or (
                np.dtype([tuple(f) for f in fields]).itemsize != array.dtype.itemsize
            ):
                raise TypeError(f"{where} is a record array of dtype {array.dtype}.")
            return {
                "__type__": "records",
                "fields": fields,
                "shape": list(array.shape),
                "columns": {
                    name: self._array(np.ascontiguousarray(array[name]), where)
                    for name in array.dtype.names
                },
            }
        if array.dtype.kind in _JSON_ARRAY_KINDS:
            return {
                "__type__": "ndarray_json",
                "dtype": array.dtype.str,
                "shape": list(array.shape),
                "values": self._list(array.ravel().tolist(), where),
            }
        raise TypeError(f"{where} is an array of dtype {array.dtype}; it cannot be saved.")

    def _hf_model(self, model, *, weights):
        entry = {
            "__type__": "hf_model",
            "class": _ref_name(type(model)),
            "config": json.loads(model.config.to_json_string(use_diff=False)),
        }
        if weights:
            entry["state"] = {k: self._store(t, "tensor") for k, t in model.state_dict().items()}
            entry["training"] = bool(model.training)
            entry["frozen"] = not any(p.requires_grad for p in model.parameters())
        return entry

    def _hf_tokenizer(self, tokenizer):
        import tempfile

        with tempfile.TemporaryDirectory() as folder:
            tokenizer.save_pretrained(folder)
            files = {}
            for name in sorted(os.listdir(folder)):
                with open(os.path.join(folder, name), encoding="utf-8") as f:
                    files[name] = f.read()
        return {"__type__": "hf_tokenizer", "files": files}

    def _net(self, net, where):
        params = {k: v for k, v in net.get_params(deep=False).items() if not k.startswith("_")}
        module = getattr(net, "module_", None)
        # the text module itself, or the one a FusionModule wraps (its arguments are the
        # net's module__* parameters all the same)
        text = getattr(module, "text", module)
        encoder = getattr(text, "encoder", None)
        if "module__model" in params and _hugging_face_kind(encoder) == "model":
            # a pretrained transformer named by its path: rebuilt from its configuration on
            # load (its weights are in the module's state_dict), so the file stands alone
            params["module__model"] = _HFModelSpec(encoder)
        embedding = getattr(text, "embedding", None)
        if params.get("module__embeddings", 0) is None and params.get("module__mode") != "rand":
            # sktext drops the initial vectors after fit (they live on in the weights); the
            # module is rebuilt around zeros of their shape, then gets its saved weights
            params["module__embeddings"] = _Zeros(tuple(embedding.weight.shape))
        entry = {
            "__type__": "net",
            "class": _ref_name(type(net)),
            "params": self.encode(params, f"{where}.params"),
            "initialized": bool(getattr(net, "initialized_", False)),
        }
        if not entry["initialized"]:
            return entry
        entry["history"] = self.encode(net.history, f"{where}.history")
        entry["module_state"] = {
            k: self._store(t, "tensor") for k, t in net.module_.state_dict().items()
        }
        if self.optimizer_state:
            entry["optimizer_state"] = self._optimizer(net, where)
        return entry

    def _optimizer(self, net, where):
        optimizer = net.optimizer_
        names = {id(p): n for n, p in net.module_.named_parameters()}
        state = optimizer.state_dict()
        groups = []
        for group, saved in zip(optimizer.param_groups, state["param_groups"], strict=True):
            hyper = {k: v for k, v in saved.items() if k != "params"}
            groups.append(
                {
                    "names": [names[id(p)] for p in group["params"]],
                    "indices": list(saved["params"]),
                    "hyper": self.encode(hyper, f"{where}.optimizer_"),
                }
            )
        per_param = {
            str(i): self.encode(s, f"{where}.optimizer_.state") for i, s in state["state"].items()
        }
        return {"groups": groups, "state": per_param}


class _Zeros:
    """A placeholder tensor written as its shape only."""

    def __init__(self, shape):
        self.shape = shape


class _Marker:
    """A value written as the given entry (see the writer's special cases)."""

    def __init__(self, entry):
        self.entry = entry


def _is_hist_gradient_boosting(value):
    from sklearn.ensemble._hist_gradient_boosting.gradient_boosting import (
        BaseHistGradientBoosting,
    )

    return isinstance(value, BaseHistGradientBoosting)


class _HFModelSpec:
    """A Hugging Face model to be written as its class and configuration only."""

    def __init__(self, model):
        self.model = model


def _hugging_face_kind(value):
    """``"model"``, ``"tokenizer"`` or None, without importing transformers."""
    for cls in type(value).__mro__:
        if cls.__module__.startswith("transformers."):
            if cls.__name__ == "PreTrainedModel":
                return "model"
            if cls.__name__ in ("PreTrainedTokenizerBase",):
                return "tokenizer"
    return None


def _class_kind(cls):
    name = _ref_name(cls)
    for kind in _CLASS_REFERENCE_KINDS:
        if issubclass(cls, _kind_base(kind)) and _is_allowed(name, kind):
            return kind
    # a user's own torch module or optimizer (e.g. NeuralTextClassifier(module=MyNet)):
    # written by name; load() builds it only when the user names it in trusted=
    for kind in ("module", "optimizer"):
        if issubclass(cls, _kind_base(kind)) and "<" not in cls.__qualname__:
            return kind
    raise TypeError(
        f"The class {name} cannot be named in the safe format (not in sktext's "
        "allow-list); use pickle/joblib for this model."
    )


_TOKENIZER_FILE = re.compile(r"[A-Za-z0-9_][A-Za-z0-9_.-]*\.(json|txt|jinja)\Z")

# configuration keys that make transformers fetch or run something
_HF_REMOTE_KEYS = frozenset(
    {
        "auto_map",
        "trust_remote_code",
        "custom_pipelines",
        "quantization_config",
        "backbone",
        "use_pretrained_backbone",
        "use_timm_backbone",
    }
)
_HF_ATTENTION_KEYS = (
    "attn_implementation",
    "_attn_implementation",
    "_attn_implementation_internal",
)


def _check_hf_config(config, cls, where):
    """Refuse a Hugging Face configuration that does not describe ``cls`` standing alone."""
    if not isinstance(config, dict):
        raise UnsafeModelError(f"{where}: malformed model configuration.")
    model_type = getattr(cls.config_class, "model_type", None)
    if config.get("model_type") != model_type:
        raise UnsafeModelError(
            f"{where}: the configuration is for model type {config.get('model_type')!r:.40}, "
            f"not {model_type!r} ({cls.__name__})."
        )
    stack = [config]
    while stack:  # the configuration and its sub-configurations
        for key, item in stack.pop().items():
            if key in _HF_REMOTE_KEYS and item:
                raise UnsafeModelError(
                    f"{where}: the model configuration asks for remote code, weights or "
                    f"a backbone ({key!r})."
                )
            if key in _HF_ATTENTION_KEYS and item not in (None, "eager", "sdpa"):
                raise UnsafeModelError(f"{where}: attention implementation {item!r:.80}.")
            if isinstance(item, dict):
                stack.append(item)


def _names_other_files(config):
    """Whether a tokenizer configuration names files, modules or remote code."""
    return not isinstance(config, dict) or any(
        key == "auto_map" or key.endswith(("_file", "_files")) for key in config
    )


def _is_keyed_vectors(value):
    from gensim.models import KeyedVectors

    return isinstance(value, KeyedVectors)


def _is_fasttext_keyed_vectors(value):
    from gensim.models.fasttext import FastTextKeyedVectors

    return isinstance(value, FastTextKeyedVectors)


def _check_fasttext_state(wv, where):
    """Refuse fastText vectors whose n-gram settings disagree with their matrices.

    The n-gram vectors are indexed by hashes modulo ``bucket``: a matrix with fewer rows
    would be read out of bounds.
    """
    settings = [getattr(wv, name, None) for name in ("min_n", "max_n", "bucket")]
    if not all(type(v) is int and v >= 0 for v in settings):
        raise UnsafeModelError(f"{where}: bad fastText n-gram settings {settings}.")
    ngrams = getattr(wv, "vectors_ngrams", None)
    if not isinstance(ngrams, np.ndarray) or ngrams.shape != (wv.bucket, wv.vector_size):
        raise UnsafeModelError(
            f"{where}: the fastText n-gram vectors have shape "
            f"{getattr(ngrams, 'shape', None)}, not (bucket, vector_size) = "
            f"({wv.bucket}, {wv.vector_size})."
        )
    vectors = getattr(wv, "vectors", None)
    if not isinstance(vectors, np.ndarray) or vectors.shape != (
        len(wv.index_to_key),
        wv.vector_size,
    ):
        raise UnsafeModelError(f"{where}: the fastText word vectors do not fit the words.")


def _check_hist_gradient_boosting(model, where):
    """The trees of a loaded gradient boosting read only inside their arrays.

    Prediction walks each tree in compiled code without bounds checks: every split must
    read a feature of the input and lead to later nodes (no loop), and categorical splits
    (whose bitsets the file would also have to bound) are refused.
    """
    from sklearn.ensemble._hist_gradient_boosting.common import PREDICTOR_RECORD_DTYPE
    from sklearn.ensemble._hist_gradient_boosting.predictor import TreePredictor

    n_features = getattr(model, "_n_features", None)
    per_iteration = getattr(model, "n_trees_per_iteration_", None)
    predictors = getattr(model, "_predictors", None)
    if (
        type(n_features) is not int
        or n_features != getattr(model, "n_features_in_", None)
        or type(per_iteration) is not int
        or not isinstance(predictors, list)
        or model.is_categorical_ is not None
        and np.any(model.is_categorical_)
        or np.shape(model._baseline_prediction) != (1, per_iteration)
    ):
        raise UnsafeModelError(f"{where}: inconsistent gradient boosting.")
    for trees in predictors:
        if not isinstance(trees, list) or len(trees) != per_iteration:
            raise UnsafeModelError(f"{where}: inconsistent gradient boosting.")
        for tree in trees:
            nodes = getattr(tree, "nodes", None)
            if (
                type(tree) is not TreePredictor
                or not isinstance(nodes, np.ndarray)
                or nodes.dtype != PREDICTOR_RECORD_DTYPE
                or nodes.ndim != 1
                or not len(nodes)
            ):
                raise UnsafeModelError(f"{where}: a malformed tree.")
            split = nodes["is_leaf"] == 0
            index = np.arange(len(nodes))
            feature = nodes["feature_idx"]
            if (
                np.any(nodes["is_categorical"])
                or np.any(split & ((feature < 0) | (feature >= n_features)))
                or np.any(split & ((nodes["left"] <= index) | (nodes["left"] >= len(nodes))))
                or np.any(split & ((nodes["right"] <= index) | (nodes["right"] >= len(nodes))))
            ):
                raise UnsafeModelError(
                    f"{where}: a tree reads outside its nodes or the input's features, "
                    "or splits on categories; the file is corrupt or was crafted."
                )


@functools.cache
def _parameter_defaults(cls):
    """``{name: default}`` of the constructor parameters of an estimator class."""
    import inspect

    return {
        name: p.default
        for name, p in inspect.signature(cls.__init__).parameters.items()
        if p.default is not inspect.Parameter.empty
        and p.kind in (p.POSITIONAL_OR_KEYWORD, p.KEYWORD_ONLY)
    }


def _is_plain_object(value):
    """An object of :data:`PLAIN_OBJECTS`, restored from its attributes."""
    return hasattr(value, "__dict__") and _ref_name(type(value)) in PLAIN_OBJECTS


def save(estimator, path, *, optimizer_state=False):
    """Save an estimator to a safe model file (safetensors and JSON, no pickle).

    Parameters
    ----------
    estimator : estimator
        An sktext estimator, a scikit-learn estimator or a Pipeline of them, fitted or not.
    path : str or path-like
        Where to write the file (a zip archive; ``.sktext`` is a good suffix).
    optimizer_state : bool, default=False
        Also save the optimizer state of the torch networks (Adam moments...), so that
        ``partial_fit`` or ``warm_start`` continues exactly where it stopped. Without it
        the file holds what prediction needs, and continued training starts a fresh
        optimizer.

    Raises
    ------
    TypeError
        If the estimator holds something the safe format cannot represent, such as a
        custom tokenizer function or a callable parameter; the message names it.
    OSError
        If the file cannot be written (a full disk...). The file is written beside
        ``path`` and then moved onto it in one step, so a failed or interrupted save
        leaves an existing file at ``path`` as it was.

    See Also
    --------
    load : Read the file back.

    Examples
    --------
    >>> import tempfile, os
    >>> from sklearn.datasets import make_classification
    >>> import sktext
    >>> X, y = make_classification(n_samples=100, random_state=0)
    >>> clf = sktext.MLPClassifier(max_iter=20, random_state=0).fit(X, y)
    >>> path = os.path.join(tempfile.mkdtemp(), "clf.sktext")
    >>> sktext.save(clf, path)
    >>> bool((sktext.load(path).predict(X) == clf.predict(X)).all())
    True
    """
    import sklearn
    import skorch
    from safetensors.torch import save as save_tensors

    writer = _Writer(optimizer_state)
    tree = writer.encode(estimator, type(estimator).__name__)
    document = {
        "format": _FORMAT_NAME,
        "format_version": FORMAT_VERSION,
        "versions": {
            "sktext": __version__,
            "scikit-learn": sklearn.__version__,
            "torch": torch.__version__,
            "skorch": skorch.__version__,
        },
        "root": tree,
    }
    members = {
        _JSON_NAME: json.dumps(document, allow_nan=False).encode(),
        _ARRAYS_NAME: save_tensors(writer.tensors),
    }

    def write(file):
        with zipfile.ZipFile(file, "w", compression=zipfile.ZIP_STORED) as archive:
            for name, data in members.items():
                archive.writestr(name, data)

    _replace_atomically(path, write)


def _replace_atomically(path, write):
    """Write a new file beside ``path`` with ``write(file)``, then move it onto ``path``.

    The new content is flushed to disk before it replaces the old file in one
    ``os.replace``: an interrupted or failed save (Ctrl+C, a killed process, a full disk)
    leaves the previous file as it was, and a reader sees the old file or the new one,
    never a mixture. Of several processes saving to one path, the last to finish wins.
    """
    target = os.path.realpath(os.fspath(path))  # through a symlink, onto its target
    directory = os.path.dirname(target)
    temporary = os.path.join(
        directory, f".{os.path.basename(target)}.{os.getpid()}.{secrets.token_hex(4)}.tmp"
    )
    # created like a new file would be (mode 0o666 less the umask), or with the mode of
    # the file it replaces
    fd = os.open(
        temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0), 0o666
    )
    try:
        with os.fdopen(fd, "wb") as file:
            write(file)
            file.flush()
            os.fsync(file.fileno())
        with contextlib.suppress(FileNotFoundError):
            os.chmod(temporary, stat.S_IMODE(os.stat(target).st_mode))
        os.replace(temporary, target)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        raise
    # the rename itself reaches the disk with the directory (POSIX; not possible on Windows)
    with contextlib.suppress(OSError, AttributeError):
        dir_fd = os.open(directory, os.O_RDONLY)
        try:
            os.fsync(dir_fd)
        finally:
            os.close(dir_fd)


# ------------------------------------------------------------------ reading
class _Reader:
    def __init__(self, tensors, trusted, device, budget):
        self.tensors = tensors
        self.trusted = trusted
        self.device = device
        # bytes the file may make load() allocate beyond its own arrays (index arrays of
        # sparse matrices, string arrays, buffers of a network that are not saved)
        self.budget = budget
        self.tensor_bytes = sum(t.numel() * t.element_size() for t in tensors.values())

    def _check_allocation(self, n_bytes, what, where):
        if n_bytes > self.budget:
            raise UnsafeModelError(
                f"{where}: {what} would take {n_bytes / 2**20:,.0f} MiB, more than a model "
                f"file of this size may ask for ({self.budget / 2**20:,.0f} MiB); the file is "
                "corrupt or was crafted to exhaust memory."
            )

    @staticmethod
    def _shape(shape, where, ndim=None):
        if not (
            isinstance(shape, list)
            and all(type(n) is int and n >= 0 for n in shape)
            and (ndim is None or len(shape) == ndim)
        ):
            raise UnsafeModelError(f"{where}: bad shape {shape!r:.80}.")
        return tuple(shape)

    def _tensor(self, entry, where):
        key = entry.get("key")
        if key not in self.tensors:
            raise UnsafeModelError(f"{where}: array {key!r} is missing from the model file.")
        tensor = self.tensors[key]
        if list(tensor.shape) != entry.get("shape"):
            raise UnsafeModelError(
                f"{where}: the array has shape {tuple(tensor.shape)} but the model file says "
                f"{tuple(entry.get('shape') or ())}; the file is corrupt or was tampered with."
            )
        return tensor

    def decode(self, value, where="root"):
        if value is None or isinstance(value, (bool, str, int, float)):
            return value
        if isinstance(value, list):
            return [self.decode(v, f"{where}[{i}]") for i, v in enumerate(value)]
        if not isinstance(value, dict) or "__type__" not in value:
            raise UnsafeModelError(f"{where}: unexpected value in the model file: {value!r:.80}")
        kind = value["__type__"]
        method = getattr(self, f"_decode_{kind}", None) if isinstance(kind, str) else None
        if method is None:
            raise UnsafeModelError(f"{where}: unknown entry type {kind!r} in the model file.")
        return method(value, where)

    def _decode_float(self, value, where):
        if value["value"] not in ("nan", "inf", "-inf"):
            raise UnsafeModelError(f"{where}: bad float {value['value']!r}.")
        return float(value["value"])

    def _decode_npscalar(self, value, where):
        dtype = self._dtype(value["dtype"], _NUMERIC_KINDS + "U", where)
        return dtype.type(value["value"])

    def _decode_slice(self, value, where):
        items = self.decode(value["items"], where)
        if not (len(items) == 3 and all(i is None or type(i) is int for i in items)):
            raise UnsafeModelError(f"{where}: malformed slice.")
        return slice(*items)

    def _decode_tuple(self, value, where):
        return tuple(self.decode(value["items"], where))

    def _decode_set(self, value, where):
        return set(self.decode(value["items"], where))

    def _decode_frozenset(self, value, where):
        return frozenset(self.decode(value["items"], where))

    def _decode_dict(self, value, where):
        items = value["items"]
        if not isinstance(items, dict):
            raise UnsafeModelError(f"{where}: malformed dict.")
        return {k: self.decode(v, f"{where}[{k!r}]") for k, v in items.items()}

    def _decode_dict_items(self, value, where):
        return {self.decode(k, where): self.decode(v, where) for k, v in value["items"]}

    def _decode_history(self, value, where):
        from skorch.history import History

        return History(self.decode(value["epochs"], where))

    @staticmethod
    def _dtype(name, kinds, where):
        try:
            dtype = np.dtype(name)
        except TypeError as exc:
            raise UnsafeModelError(f"{where}: bad dtype {name!r}.") from exc
        if (
            dtype.kind not in kinds
            or dtype.hasobject
            and "O" not in kinds
            or dtype.shape != ()
            or dtype.names is not None
        ):
            raise UnsafeModelError(f"{where}: dtype {name!r} is not allowed here.")
        return dtype

    def _decode_ndarray(self, value, where):
        dtype = self._dtype(value["dtype"], _NUMERIC_KINDS, where)
        array = self._tensor(value, where).numpy()
        if array.dtype != dtype:
            raise UnsafeModelError(
                f"{where}: the array has dtype {array.dtype} but the model file says {dtype}."
            )
        return array.copy()

    def _decode_ndarray_json(self, value, where):
        dtype = self._dtype(value["dtype"], _JSON_ARRAY_KINDS, where)
        shape = self._shape(value["shape"], where)
        self._check_allocation(math.prod(shape) * dtype.itemsize, "an array", where)
        values = self.decode(value["values"], where)
        if math.prod(shape) != len(values):
            raise UnsafeModelError(f"{where}: {len(values)} values for an array of {shape}.")
        array = np.empty(len(values), dtype=dtype)
        array[:] = values
        return array.reshape(shape)

    def _decode_records(self, value, where):
        fields = value["fields"]
        if not (
            isinstance(fields, list)
            and fields
            and all(
                isinstance(f, list)
                and len(f) == 2
                and isinstance(f[0], str)
                and _IDENTIFIER.match(f[0])
                for f in fields
            )
        ):
            raise UnsafeModelError(f"{where}: malformed record array.")
        dtype = np.dtype([(n, self._dtype(f, _NUMERIC_KINDS, where)) for n, f in fields])
        shape = self._shape(value["shape"], where)
        self._check_allocation(math.prod(shape) * dtype.itemsize, "a record array", where)
        columns = value["columns"]
        if not isinstance(columns, dict) or sorted(columns) != sorted(dtype.names):
            raise UnsafeModelError(f"{where}: the record array's columns do not match its fields.")
        array = np.empty(shape, dtype=dtype)
        for name in dtype.names:
            column = self.decode(columns[name], f"{where}.{name}")
            if not isinstance(column, np.ndarray) or column.shape != shape:
                raise UnsafeModelError(f"{where}.{name}: a column of the wrong shape.")
            array[name] = column
        return array

    def _decode_np_generator(self, value, where):
        state = self.decode(value["state"], where)
        generator = np.random.Generator(np.random.PCG64())
        if not isinstance(state, dict) or state.get("bit_generator") != "PCG64":
            raise UnsafeModelError(f"{where}: only PCG64 random generators are allowed.")
        try:
            generator.bit_generator.state = state
        except (TypeError, ValueError, KeyError) as exc:
            raise UnsafeModelError(f"{where}: bad random generator state: {exc}") from exc
        return generator

    def _decode_hgb_loss(self, value, where):
        return _Marker(value)

    def _decode_tensor(self, value, where):
        tensor = self._tensor(value, where)
        if str(tensor.dtype) != value.get("dtype"):
            raise UnsafeModelError(
                f"{where}: the tensor has dtype {tensor.dtype} but the model file says "
                f"{value.get('dtype')}."
            )
        return tensor.clone()

    def _decode_device(self, value, where):
        return torch.device(self._device(value["value"]))

    def _decode_torch_dtype(self, value, where):
        dtype = getattr(torch, str(value["value"]), None)
        if not isinstance(dtype, torch.dtype):
            raise UnsafeModelError(f"{where}: unknown torch dtype {value['value']!r}.")
        return dtype

    def _decode_dtype(self, value, where):
        return self._dtype(value["value"], _NUMERIC_KINDS + _JSON_ARRAY_KINDS, where)

    def _decode_sparse(self, value, where):
        fmt = value["format"]
        if fmt not in ("csr", "csc", "coo", "bsr", "dia", "lil", "dok"):
            raise UnsafeModelError(f"{where}: unknown sparse format {fmt!r}.")
        data, row, col = (self.decode(value[k], where) for k in ("data", "row", "col"))
        n_rows, n_cols = shape = self._shape(value["shape"], where, ndim=2)
        # what the format allocates beyond its non-zero entries
        if fmt in ("csr", "bsr", "csc"):
            extra = 8 * (n_cols if fmt == "csc" else n_rows)  # index pointers
        elif fmt == "lil":
            extra = 128 * n_rows  # two object arrays of one list per row
        elif fmt == "dia":
            extra = 8 * n_cols * len(np.unique(np.asarray(col) - np.asarray(row)))
        else:
            extra = 0
        self._check_allocation(extra, f"a {fmt} matrix of shape {shape}", where)
        cls = sp.coo_array if value.get("array") else sp.coo_matrix
        try:
            matrix = cls((data, (row, col)), shape=shape)
        except (ValueError, TypeError) as exc:
            raise UnsafeModelError(f"{where}: inconsistent sparse matrix: {exc}") from exc
        return matrix.asformat(fmt)

    def _decode_class(self, value, where):
        kind = value["kind"]
        if kind not in _CLASS_REFERENCE_KINDS:
            raise UnsafeModelError(f"{where}: class references of kind {kind!r} are not allowed.")
        return _resolve(value["name"], kind, self.trusted)

    def _decode_zeros(self, value, where):
        shape = self._shape(value["shape"], where)
        # a placeholder for weights the file holds: never larger than its largest array
        largest = max((t.numel() for t in self.tensors.values()), default=0)
        if math.prod(shape) > largest:
            raise UnsafeModelError(f"{where}: placeholder of shape {shape} is too large.")
        return torch.zeros(shape)

    def _decode_function(self, value, where):
        return _resolve(value["name"], "function", self.trusted)

    def _decode_object(self, value, where):
        name = value["class"]
        kind = "plain_object" if name in PLAIN_OBJECTS else "estimator"
        cls = _resolve(name, kind, self.trusted)
        state = self._decode_dict({"items": value["state"]}, f"{where}.{cls.__name__}")
        obj = cls.__new__(cls)
        loss = state.get("_loss")
        if isinstance(loss, _Marker) != _is_hist_gradient_boosting(obj) and "_loss" in state:
            raise UnsafeModelError(f"{where}: a loss entry outside gradient boosting.")
        if isinstance(obj, BaseEstimator):
            # a file written before a parameter existed: the parameter's default, which
            # is what the earlier version did (e.g. text_columns=None)
            for name, default in _parameter_defaults(cls).items():
                state.setdefault(name, default)
        obj.__dict__.update(state)
        if _is_hist_gradient_boosting(obj) and "_predictors" in state:
            _check_hist_gradient_boosting(obj, where)
            weights = np.ones(1) if loss.entry.get("weighted") else None
            obj._loss = obj._get_loss(sample_weight=weights)
        if _is_keyed_vectors(obj):
            obj.key_to_index = {key: i for i, key in enumerate(obj.index_to_key)}
            obj.norms = None
            if _is_fasttext_keyed_vectors(obj):
                _check_fasttext_state(obj, where)
                if getattr(obj, "vectors_vocab", None) is not None:  # a trainable model's
                    obj.recalc_char_ngram_buckets()
        return obj

    def _decode_hf_model(self, value, where):
        cls = _resolve(value["class"], "hf_model", self.trusted)
        config = value["config"]
        _check_hf_config(config, cls, where)
        config = cls.config_class.from_dict(dict(config))
        state = value.get("state")
        with torch.device("meta"):  # no memory: shapes and sizes are checked first
            skeleton = cls(config)
        self._check_module(skeleton, state, where)
        model = cls(config)
        if state is not None:
            state = {k: self._tensor(v, f"{where}[{k!r}]") for k, v in state.items()}
            try:
                model.load_state_dict(state, strict=True)
            except RuntimeError as exc:
                raise UnsafeModelError(f"{where}: the saved weights do not fit: {exc}") from exc
            model.train(bool(value.get("training")))
            if value.get("frozen"):
                model.requires_grad_(False)
        return model

    def _check_module(self, module, saved, where):
        """Compare a network built on the meta device with what the file holds.

        ``saved`` maps the names of its ``state_dict`` to their entries in the file (their
        shapes must agree exactly), or is None when the weights are held elsewhere in the
        file (the network may then not be larger than the file's arrays). Buffers that
        are not saved (such as position ids) count against the allocation budget.
        """
        state = module.state_dict()
        tensors = {**dict(module.named_parameters()), **dict(module.named_buffers())}
        if saved is None:
            unsaved = [t for t in tensors.values() if t.is_meta]
            allowance = self.tensor_bytes
        else:
            expected = {k: list(t.shape) for k, t in state.items()}
            declared = {k: v.get("shape") if isinstance(v, dict) else v for k, v in saved.items()}
            if expected != declared:
                wrong = sorted(k for k in expected if expected[k] != declared.get(k, expected[k]))
                raise UnsafeModelError(
                    f"{where}: the saved weights do not fit the network (missing: "
                    f"{sorted(expected.keys() - declared.keys())[:5]}, unexpected: "
                    f"{sorted(declared.keys() - expected.keys())[:5]}, other shapes: "
                    f"{wrong[:5]})."
                )
            unsaved = [t for k, t in tensors.items() if k not in state and t.is_meta]
            allowance = 0
        n_bytes = sum(t.numel() * t.element_size() for t in unsaved)
        self._check_allocation(n_bytes - allowance, "the network", where)

    def _decode_hf_tokenizer(self, value, where):
        import tempfile

        from transformers import AutoTokenizer

        files = value["files"]
        with tempfile.TemporaryDirectory() as folder:
            for name, text in files.items():
                if (
                    not isinstance(text, str)
                    or not _TOKENIZER_FILE.match(name)
                    or name.endswith("config.json")
                    and _names_other_files(json.loads(text))
                ):
                    raise UnsafeModelError(
                        f"{where}: bad tokenizer file {name!r:.80} (tokenizer files are "
                        "plain names, and their configuration names no other file, module "
                        "or remote code)."
                    )
                with open(os.path.join(folder, name), "w", encoding="utf-8") as f:
                    f.write(text)
            return AutoTokenizer.from_pretrained(
                folder, local_files_only=True, trust_remote_code=False
            )

    def _decode_callback(self, value, where):
        cls = _resolve(value["class"], "callback", self.trusted)
        params = self._decode_dict({"items": value["params"]["items"]}, where)
        # skorch's convention: a callback's parameters are its attributes without a
        # trailing underscore; ``initialize()`` (run by the net) derives the rest
        callback = cls.__new__(cls)
        callback.__dict__.update(params)
        return callback

    def _device(self, device):
        if self.device is not None:
            return self.device
        if str(device).startswith("cuda") and not torch.cuda.is_available():
            warnings.warn(
                f"The model was saved on {device!r} but CUDA is not available; loading it "
                "on the CPU."
            )
            return "cpu"
        return device

    def _decode_net(self, value, where):
        cls = _resolve(value["class"], "net", self.trusted)
        params = self._decode_dict({"items": value["params"]["items"]}, f"{where}.params")
        if isinstance(params.get("device"), str):
            params["device"] = self._device(params["device"])
        if params.get("compile"):
            raise UnsafeModelError(
                f"{where}: the net asks for torch.compile, which sktext never saves (compiling "
                "starts worker processes)."
            )
        if isinstance(params.get("module__model"), str):
            raise UnsafeModelError(
                f"{where}: the network's pretrained model is named by a path or hub name "
                f"({params['module__model']!r:.80}); a model file holds the model itself and "
                "load() reads nothing else."
            )
        net = self._construct_net(cls, params, where)
        if not value.get("initialized"):
            return net
        saved = value["module_state"]
        with torch.device("meta"):  # no memory: shapes and sizes are checked first
            skeleton = net.initialized_instance(net.module, net.get_params_for("module"))
        self._check_module(skeleton, saved, where)
        net.initialize()
        state = {
            k: self._tensor(v, f"{where}.module_[{k!r}]") for k, v in value["module_state"].items()
        }
        try:
            net.module_.load_state_dict(state, strict=True)
        except RuntimeError as exc:
            raise UnsafeModelError(
                f"{where}: the saved weights do not fit the network: {exc}"
            ) from exc
        net.history_ = self.decode(value["history"], f"{where}.history")
        if "optimizer_state" in value:
            self._load_optimizer(net, value["optimizer_state"], where)
        return net

    @staticmethod
    def _construct_net(cls, params, where):
        """``cls(**params)``, leaving to the constructor the parameters it derives itself.

        ``get_params()`` lists every parameter of skorch's ``NeuralNet``, also those a
        subclass sets from its own arguments (sktext's net passes ``criterion`` from its
        ``task``): such a parameter is dropped and checked to come out the same.
        """
        params, derived = dict(params), {}
        while True:
            try:
                net = cls(**params)
                break
            except TypeError as exc:
                match = re.search(r"multiple values for keyword argument '(\w+)'", str(exc))
                if not match or match.group(1) not in params:
                    raise UnsafeModelError(f"{where}: cannot rebuild the net: {exc}") from exc
                derived[match.group(1)] = params.pop(match.group(1))
        for name, saved in derived.items():
            if getattr(net, name, None) is not saved and getattr(net, name, None) != saved:
                raise UnsafeModelError(
                    f"{where}: the net's {name} is {getattr(net, name, None)!r}, but the "
                    f"model file says {saved!r}."
                )
        return net

    def _load_optimizer(self, net, saved, where):
        optimizer = net.optimizer_
        named = dict(net.module_.named_parameters())
        groups, param_groups = [], []
        for group in saved["groups"]:
            missing = [n for n in group["names"] if n not in named]
            if missing:
                raise UnsafeModelError(f"{where}: optimizer state for unknown weights {missing}.")
            hyper = self.decode(group["hyper"], f"{where}.optimizer_")
            groups.append({**hyper, "params": [named[n] for n in group["names"]]})
            param_groups.append({**hyper, "params": group["indices"]})
        # the optimizer's groups as they were when saved (sktext may split them after
        # the net is built), then its state
        optimizer.param_groups.clear()
        optimizer.state.clear()
        for group in groups:
            optimizer.add_param_group(group)
        state = {int(i): self.decode(s, f"{where}.optimizer_") for i, s in saved["state"].items()}
        try:
            optimizer.load_state_dict({"state": state, "param_groups": param_groups})
        except (ValueError, KeyError, RuntimeError) as exc:
            raise UnsafeModelError(f"{where}: the optimizer state does not fit: {exc}") from exc


def load(path, *, trusted=(), device=None):
    """Load an estimator saved by :func:`save`, without unpickling anything.

    Parameters
    ----------
    path : str or path-like
        A file written by :func:`save`.
    trusted : list or tuple of str, default=()
        Extra classes (``"module:QualName"``) to accept beyond sktext's allow-list. Only
        name classes you trust: importing and building them may run their code.
    device : str or None, default=None
        Device of the torch networks; ``None`` keeps the saved one (the CPU when the
        file says CUDA and CUDA is not available).

    Returns
    -------
    estimator : estimator
        The estimator as it was saved.

    Raises
    ------
    UnsafeModelError
        If the file is truncated or not a safe model file, names a class outside the
        allow-list, a callback sktext did not install, a pretrained model by path or hub
        name, or asks for more memory than its size allows, or holds arrays whose shapes
        or dtypes disagree with its description. Nothing named by the file is imported
        or built before the check that concerns it; networks are built on the ``meta``
        device and compared with the saved weights first. Loading reads nothing but the
        file, fetches nothing and starts no process.
    OSError
        If the file cannot be read.

    See Also
    --------
    save : Write the file.
    """
    name = os.fspath(path)
    with open(name, "rb") as file:  # OSError (a missing file...) reaches the caller as is
        size = os.fstat(file.fileno()).st_size
        document, tensors = _read_archive(file, name)
    if not isinstance(document, dict) or document.get("format") != _FORMAT_NAME:
        raise UnsafeModelError(f"{name!r} is not an sktext safe model file.")
    version = document.get("format_version")
    if not isinstance(version, int) or version > FORMAT_VERSION:
        raise UnsafeModelError(
            f"{name!r} has format version {version!r}; this sktext reads up to "
            f"{FORMAT_VERSION}. Upgrade sktext."
        )
    _check_depth(document, name)
    reader = _Reader(tensors, frozenset(trusted), device, _ALLOCATION_BUDGET + 4 * size)
    try:
        return reader.decode(document.get("root"))
    except UnsafeModelError:
        raise
    except KeyError as exc:
        raise UnsafeModelError(f"Malformed model file {name!r}: missing field {exc}.") from exc
    except Exception as exc:  # whatever a malformed entry makes fail, named as such
        raise UnsafeModelError(
            f"Malformed model file {name!r}: {type(exc).__name__}: {exc}"
        ) from exc


#: Bytes a file may make :func:`load` allocate beyond 4 times its size.
_ALLOCATION_BUDGET = 64 * 2**20
#: Nesting of JSON values in a file (genuine files stay below 30).
_MAX_DEPTH = 100


def _read_archive(file, name):
    """The JSON document and the tensors of a model file, checked before they are read."""
    from safetensors.torch import load as load_tensors

    head = file.read(4)
    file.seek(0)
    try:
        archive = zipfile.ZipFile(file)
    except Exception as exc:  # BadZipFile, or a directory zipfile cannot decode
        what = "not a zip archive"
        if not isinstance(exc, zipfile.BadZipFile):
            what = f"its zip directory is damaged: {type(exc).__name__}"
        elif head[:1] == b"\x80" or head[:1] in (b"x", b"\x1f"):  # pickle, zlib, gzip
            what += (
                "; it looks like a pickle or joblib file, which only pickle/joblib load, "
                "running code from the file: do that only for files you trust"
            )
        raise UnsafeModelError(
            f"{name!r} is truncated or not an sktext model file ({what})."
        ) from None
    try:
        with archive:
            infos = archive.infolist()
            names = sorted(info.filename for info in infos)
            if names != sorted((_JSON_NAME, _ARRAYS_NAME)):
                raise UnsafeModelError(
                    f"{name!r} is not an sktext safe model file (it holds {names[:10]})."
                )
            for info in infos:
                # save() stores its members: nothing to inflate, no size but the file's
                if info.compress_type != zipfile.ZIP_STORED or not (
                    info.file_size == info.compress_size
                ):
                    raise UnsafeModelError(
                        f"{name!r} is not an sktext safe model file (its member "
                        f"{info.filename!r} is compressed)."
                    )
            document = json.loads(archive.read(_JSON_NAME))
            tensors = load_tensors(archive.read(_ARRAYS_NAME))
    except UnsafeModelError:
        raise
    except RecursionError:
        raise UnsafeModelError(f"{name!r}: the JSON document is nested too deeply.") from None
    except Exception as exc:  # zipfile's, json's, safetensors' errors on a damaged file
        raise UnsafeModelError(
            f"{name!r} is truncated or not an sktext model file (corrupt: "
            f"{type(exc).__name__}: {exc})."
        ) from exc
    return document, tensors


def _check_depth(document, name):
    """Refuse JSON nested deeper than any file :func:`save` writes (before it is walked)."""
    stack = [(document, 0)]
    while stack:
        value, depth = stack.pop()
        if depth > _MAX_DEPTH:
            raise UnsafeModelError(f"{name!r}: the JSON document is nested too deeply.")
        if isinstance(value, dict):
            stack.extend((v, depth + 1) for v in value.values())
        elif isinstance(value, list):
            stack.extend((v, depth + 1) for v in value)
