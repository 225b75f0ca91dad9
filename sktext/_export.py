"""Serving without the training stack: scikit-learn copies and ONNX exports.

* :func:`to_sklearn` turns a fitted :class:`~sktext.MLPClassifier` (or a Pipeline holding
  one) into scikit-learn's own ``MLPClassifier`` with the same weights, which scikit-learn
  alone serves; :func:`to_onnx` converts such a pipeline to ONNX with ``skl2onnx`` (TF-IDF
  included, tokenized as scikit-learn does).
* :func:`export_onnx` writes the torch module of a fitted
  :class:`~sktext.TextCNNClassifier` or :class:`~sktext.LSTMClassifier` as an ONNX graph
  (token ids in, class probabilities out) with a JSON file beside it holding the
  vocabulary, the tokenizer settings and the classes; :class:`OnnxTextClassifier` runs the
  pair with onnxruntime, scikit-learn's analyzer and NumPy only (no torch, no sktext
  model code), and is what a server copies.
"""

# Authors: The sktext developers
# License: BSD 3 clause

import json
import os
import warnings

import numpy as np

__all__ = ["OnnxTextClassifier", "export_onnx", "to_onnx", "to_sklearn"]

_VOCABULARY_SUFFIX = ".vocabulary.json"


# ------------------------------------------------------------------ scikit-learn copies
def to_sklearn(estimator):
    """An equivalent scikit-learn estimator, servable without torch or sktext.

    Parameters
    ----------
    estimator : MLPClassifier, MLPRegressor or Pipeline
        A fitted :class:`sktext.MLPClassifier` (multi-class, binary or multi-label) or
        :class:`sktext.MLPRegressor`, or a fitted Pipeline: its sktext MLP steps are
        converted, the other steps are kept (not copied).

    Returns
    -------
    sklearn_estimator : sklearn.neural_network.MLPClassifier, MLPRegressor or Pipeline
        The same network in scikit-learn (``predict_proba`` agrees to float32 rounding,
        about 1e-7), fitted. It can be pickled and loaded where only scikit-learn is
        installed, or converted to ONNX with ``skl2onnx``.

    Raises
    ------
    TypeError
        For an estimator that has no scikit-learn equivalent.

    Examples
    --------
    >>> from sklearn.datasets import make_classification
    >>> from sktext import MLPClassifier, to_sklearn
    >>> X, y = make_classification(n_samples=100, random_state=0)
    >>> clf = MLPClassifier(hidden_layer_sizes=(8,), max_iter=5, random_state=0).fit(X, y)
    >>> sk = to_sklearn(clf)
    >>> type(sk).__module__
    'sklearn.neural_network._multilayer_perceptron'
    >>> bool(abs(sk.predict_proba(X) - clf.predict_proba(X)).max() < 1e-5)
    True
    """
    from sklearn.pipeline import Pipeline

    if isinstance(estimator, Pipeline):
        steps = [(name, _maybe_convert(step)) for name, step in estimator.steps]
        return Pipeline(steps, memory=estimator.memory, verbose=estimator.verbose)
    if _is_sktext_mlp(estimator):
        return estimator.to_sklearn()
    raise TypeError(
        f"to_sklearn converts sktext's MLPClassifier/MLPRegressor (or a Pipeline holding "
        f"one); got "
        f"{type(estimator).__name__}. Text CNN/LSTM models have no scikit-learn "
        "equivalent: use export_onnx."
    )


def _is_sktext_mlp(estimator):
    from .neural_network._mlp import _MLPBase

    return isinstance(estimator, _MLPBase)


def _maybe_convert(step):
    return step.to_sklearn() if _is_sktext_mlp(step) else step


# scikit-learn's default token pattern, ``(?u)\b\w\w+\b``, in RE2 (onnxruntime's regex
# engine, whose ``\w`` is ASCII only): runs of two or more Unicode letters, digits, "_"
_RE2_DEFAULT_TOKENS = r"[\p{L}\p{N}_]{2,}"


def to_onnx(estimator, *, locale="C.UTF-8", target_opset=18):
    r"""Convert a TF-IDF → MLP pipeline (or any skl2onnx-convertible one) to ONNX.

    sktext's MLP steps become scikit-learn's (:func:`to_sklearn`), then ``skl2onnx``
    converts the pipeline with the options that make its text vectorizers tokenize as
    scikit-learn does: the default ``token_pattern`` in RE2 syntax (onnxruntime's ``\w``
    is ASCII only, so words such as "clichéd" would split) and a UTF-8 locale for
    lowercasing; classifiers output a probability matrix (no ZipMap).

    Parameters
    ----------
    estimator : Pipeline or estimator
        Fitted. Text vectorizers must use the default word analyzer and token pattern,
        without ``sublinear_tf`` (skl2onnx computes ``log(1 + tf)`` where scikit-learn
        computes ``1 + log(tf)``) or ``strip_accents``.
    locale : str, default="C.UTF-8"
        Locale of onnxruntime's lowercasing (``StringNormalizer``), which must exist on the
        serving machine. "C.UTF-8" is built into glibc 2.35+ and lowercases non-ASCII
        letters ("ÉCOLE"); plain "C" lowercases ASCII only.
    target_opset : int, default=18
        ONNX opset (the ML domain gets opset 3).

    Returns
    -------
    model : onnx.ModelProto
        Input ``X`` (strings, shape ``(n,)``); outputs ``label`` and ``probabilities``
        for classifiers. Run it with ``onnxruntime.InferenceSession(model.SerializeToString())``.
    """
    try:
        from skl2onnx import to_onnx as skl2onnx_to_onnx
    except ImportError as exc:  # pragma: no cover - depends on the environment
        raise ImportError("to_onnx needs skl2onnx: pip install 'sktext[onnx]'.") from exc
    from sklearn.base import is_classifier
    from sklearn.feature_extraction.text import CountVectorizer
    from sklearn.pipeline import Pipeline

    from .preprocessing._tokenizer import DEFAULT_TOKEN_PATTERN

    model = to_sklearn(estimator) if _has_sktext_mlp(estimator) else estimator
    steps = [step for _, step in model.steps] if isinstance(model, Pipeline) else [model]
    options, first = {}, steps[0]
    for step in steps:
        if isinstance(step, CountVectorizer):
            bad = {
                "analyzer": step.analyzer != "word",
                "tokenizer": step.tokenizer is not None,
                "preprocessor": step.preprocessor is not None,
                "strip_accents": step.strip_accents is not None,
                "token_pattern": step.token_pattern != DEFAULT_TOKEN_PATTERN,
                "sublinear_tf": bool(getattr(step, "sublinear_tf", False)),
            }
            bad = sorted(k for k, v in bad.items() if v)
            if bad:
                raise ValueError(
                    f"to_onnx cannot reproduce {type(step).__name__} with non-default "
                    f"{', '.join(bad)} in onnxruntime; refit without it."
                )
            options[id(step)] = {"tokenexp": _RE2_DEFAULT_TOKENS, "locale": locale}
    if is_classifier(steps[-1]):
        options[id(steps[-1])] = {"zipmap": False}
    sample = np.array(["a"]) if isinstance(first, CountVectorizer) else None
    if sample is None:
        raise TypeError("to_onnx converts pipelines that start with a text vectorizer.")
    return skl2onnx_to_onnx(
        model,
        sample,
        options=options,
        target_opset={"": target_opset, "ai.onnx.ml": 3},
    )


def _has_sktext_mlp(estimator):
    from sklearn.pipeline import Pipeline

    steps = [s for _, s in estimator.steps] if isinstance(estimator, Pipeline) else [estimator]
    return any(_is_sktext_mlp(s) for s in steps)


# ------------------------------------------------------------------ ONNX
def _import_onnxruntime():
    try:
        import onnxruntime
    except ImportError as exc:  # pragma: no cover - depends on the environment
        raise ImportError("ONNX inference needs onnxruntime: pip install 'sktext[onnx]'.") from exc
    return onnxruntime


def _probability_module(module):
    """``module`` (a TextCNN or TextRNN) followed by a softmax over its logits, in eval mode."""
    import torch
    from torch import nn

    from .nn import TextCNN, TextRNN

    if not isinstance(module, (TextCNN, TextRNN)):
        raise TypeError(f"No ONNX export for the module {type(module).__name__}.")

    class Probabilities(nn.Module):
        def __init__(self):
            super().__init__()
            self.module = module

        def forward(self, ids):
            return torch.softmax(self.module(ids), dim=1)

    return Probabilities().eval()


def export_onnx(estimator, path, *, opset_version=18):
    """Write a fitted text CNN/LSTM classifier as ONNX, with its vocabulary beside it.

    Parameters
    ----------
    estimator : TextCNNClassifier or LSTMClassifier
        A fitted estimator (on any device; the export runs on the CPU).
    path : str or path-like
        The ONNX file to write. ``<path without .onnx>.vocabulary.json`` is written
        beside it: vocabulary, padding/unknown ids, length limits, tokenizer settings and
        classes, everything :class:`OnnxTextClassifier` needs.
    opset_version : int, default=18
        ONNX opset of the graph.

    Returns
    -------
    paths : tuple of str
        The ONNX file and the vocabulary file.

    Notes
    -----
    The graph takes ``input_ids`` (int64, shape ``(batch, seq_len)``, documents
    left-aligned and padded with 0, both axes dynamic) and returns ``probabilities``
    (float32, ``(batch, n_classes)``, columns in the order of ``classes_``). The CNN is
    exported with ``torch.onnx.export(..., dynamo=True)`` (needs ``onnxscript``); the RNN,
    which ``torch.export`` would unroll over a fixed number of time steps, through the
    TorchScript-based exporter, which traces the module's own forward pass on the CPU
    (each layer and direction over the padded batch, then its pooling) into ONNX's
    LSTM/GRU operators. Install the extra ``sktext[onnx]``. A custom ``tokenizer``
    callable cannot be written to JSON: such models are refused.
    """
    import torch

    from .nn import TextRNN
    from .utils._sklearn_compat import check_is_fitted

    check_is_fitted(estimator)
    table = getattr(estimator, "table_", None)
    if table is not None and (table["n_text_columns"] > 1 or table["n_features"]):
        raise TypeError(
            f"export_onnx exports models of one text column; this {type(estimator).__name__}"
            f" was fitted on a DataFrame ({table['n_text_columns']} text column(s), "
            f"{table['n_features']} encoded features of other columns), whose table encoder "
            "and fusion layers it does not write. Serve it with sktext.save/sktext.load."
        )
    if not hasattr(estimator, "vectorizer_"):
        raise TypeError(
            f"export_onnx takes a fitted TextCNNClassifier or LSTMClassifier; got "
            f"{type(estimator).__name__} (use to_sklearn and skl2onnx for MLPClassifier)."
        )
    if getattr(estimator, "out_activation_", None) != "softmax":
        raise TypeError(
            f"export_onnx writes class probabilities of single-label classifiers; "
            f"{type(estimator).__name__} has out_activation_="
            f"{getattr(estimator, 'out_activation_', None)!r} (regressors and multi-label "
            "models are not supported yet)."
        )
    vectorizer = estimator.vectorizer_
    if vectorizer.tokenizer is not None or callable(vectorizer.strip_accents):
        raise TypeError(
            "export_onnx cannot write a custom tokenizer or strip_accents callable to JSON; "
            "use the default analyzer settings for a servable model."
        )
    try:
        import onnxscript  # noqa: F401  (needed by the torch.export-based exporter)
    except ImportError as exc:  # pragma: no cover - depends on the environment
        raise ImportError(
            "export_onnx needs onnx and onnxscript: pip install 'sktext[onnx]'."
        ) from exc
    # narrowest batch the graph takes (padding never changes a prediction): wider than
    # the widest convolution filter, and 2 so that no axis is specialized to size 1
    min_length = max(getattr(estimator, "filter_sizes", None) or (1,)) + 1
    module = estimator.module_
    device = next(module.parameters()).device
    was_training = module.training
    wrapper = _probability_module(module.to("cpu").eval())
    example = torch.ones((2, max(vectorizer.max_length_, min_length + 1)), dtype=torch.long)
    batch = torch.export.Dim("batch", min=1)
    seq_len = torch.export.Dim("seq_len", min=min_length)
    path = os.fspath(path)
    try:
        with torch.no_grad(), warnings.catch_warnings():
            if isinstance(module, TextRNN):
                # torch.export unrolls RNNs over time (it would fix the sequence length),
                # so RNNs go through the TorchScript-based exporter, which writes ONNX's
                # LSTM/GRU operators with both axes dynamic. Its deprecation warning is
                # expected here, and so is the warning it gives for every recurrent
                # operator, about initial states of the traced batch size: the module's
                # are zeros shaped by the input's batch axis in the graph.
                warnings.filterwarnings("ignore", category=DeprecationWarning)
                warnings.filterwarnings(
                    "ignore", "Exporting a model to ONNX with a batch_size other than 1"
                )
                torch.onnx.export(
                    wrapper,
                    (example,),
                    path,
                    input_names=["input_ids"],
                    output_names=["probabilities"],
                    dynamic_axes={
                        "input_ids": {0: "batch", 1: "seq_len"},
                        "probabilities": {0: "batch"},
                    },
                    opset_version=opset_version,
                    dynamo=False,
                )
            else:
                program = torch.onnx.export(
                    wrapper,
                    (example,),
                    input_names=["input_ids"],
                    output_names=["probabilities"],
                    dynamic_shapes={"ids": {0: batch, 1: seq_len}},
                    opset_version=opset_version,
                    dynamo=True,
                    verbose=False,
                )
                program.save(path)
    finally:
        module.to(device).train(was_training)
    vocabulary_path = _vocabulary_path(path)
    with open(vocabulary_path, "w", encoding="utf-8") as f:
        json.dump(
            {
                "format": "sktext-onnx-vocabulary",
                "format_version": 1,
                "estimator": type(estimator).__name__,
                "vocabulary": vectorizer.vocabulary_,
                "padding_id": 0,
                "unknown_id": 1,
                # documents are truncated only when the estimator's max_length is set
                "max_length": vectorizer.max_length,
                "min_length": int(min_length),
                "analyzer": {
                    "lowercase": vectorizer.lowercase,
                    "token_pattern": vectorizer.token_pattern,
                    "stop_words": vectorizer.stop_words,
                    "strip_accents": vectorizer.strip_accents,
                },
                "classes": estimator.classes_.tolist(),
            },
            f,
            ensure_ascii=False,
        )
    return path, vocabulary_path


def _vocabulary_path(path):
    stem = path[: -len(".onnx")] if path.endswith(".onnx") else path
    return stem + _VOCABULARY_SUFFIX


class OnnxTextClassifier:
    """Run a model written by :func:`export_onnx` with onnxruntime (no torch).

    Tokenization is scikit-learn's analyzer with the saved settings, so documents get the
    ids the sktext estimator gives them; batches are padded to their own longest document.

    Parameters
    ----------
    path : str or path-like
        The ``.onnx`` file; its ``.vocabulary.json`` must lie beside it.
    batch_size : int, default=256
        Documents per onnxruntime call.
    providers : list of str, default=None
        Execution providers of onnxruntime (``None``: the CPU).

    Attributes
    ----------
    classes_ : ndarray
        Class labels, in the order of the probability columns.
    vocabulary_ : dict
        Token to id.
    max_length_ : int or None
        Documents are truncated to this many tokens (None: never), as by the estimator.
    """

    def __init__(self, path, *, batch_size=256, providers=None):
        from sklearn.feature_extraction.text import CountVectorizer

        ort = _import_onnxruntime()
        path = os.fspath(path)
        with open(_vocabulary_path(path), encoding="utf-8") as f:
            meta = json.load(f)
        self.vocabulary_ = meta["vocabulary"]
        self.classes_ = np.asarray(meta["classes"])
        self.max_length_ = meta["max_length"]
        self._min_length = meta["min_length"]
        self._unknown, self._padding = meta["unknown_id"], meta["padding_id"]
        self._analyze = CountVectorizer(**meta["analyzer"]).build_analyzer()
        self.batch_size = batch_size
        options = ort.SessionOptions()
        self.session_ = ort.InferenceSession(
            path, options, providers=providers or ["CPUExecutionProvider"]
        )

    def transform(self, X):
        """Token id lists of the documents (truncated to ``max_length_`` unless None)."""
        get, unknown, limit = self.vocabulary_.get, self._unknown, self.max_length_
        return [[get(token, unknown) for token in self._analyze(doc)[:limit]] for doc in X]

    def predict_proba(self, X):
        """Class probabilities, ``(n_documents, n_classes)``."""
        sequences = self.transform(X)
        out = np.empty((len(sequences), len(self.classes_)), dtype=np.float64)
        for start in range(0, len(sequences), self.batch_size):
            chunk = sequences[start : start + self.batch_size]
            width = max(self._min_length, max((len(s) for s in chunk), default=0), 1)
            ids = np.full((len(chunk), width), self._padding, dtype=np.int64)
            for i, seq in enumerate(chunk):
                ids[i, : len(seq)] = seq
            (proba,) = self.session_.run(["probabilities"], {"input_ids": ids})
            out[start : start + len(chunk)] = proba
        return out / out.sum(axis=1, keepdims=True)

    def predict(self, X):
        """Predicted class labels."""
        return self.classes_[np.argmax(self.predict_proba(X), axis=1)]
