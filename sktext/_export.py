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

__all__ = [
    "OnnxSentenceEncoder",
    "OnnxTextClassifier",
    "OnnxTextRegressor",
    "export_onnx",
    "to_onnx",
    "to_sklearn",
]

# the files written beside ``<stem>.onnx``: the vocabulary and tokenizer settings of a
# CNN/LSTM; the Hugging Face tokenizer of a transformer and the settings that go with it
_VOCABULARY_SUFFIX = ".vocabulary.json"
_TOKENIZER_SUFFIX = ".tokenizer.json"
_TRANSFORMER_SUFFIX = ".transformer.json"
_QUANTIZE_OPTIONS = (None, "int8")
# documents per onnxruntime call of the transformer runners: on Rotten Tomatoes snippets
# sorted by length, the int8 MiniLM encoder ran 58, 54, 49, 47, 44 snippets/s in batches of 8, 16,
# 32, 64, 128 (a busy 2-core machine): small batches of similar lengths cost less
_TRANSFORMER_BATCH_SIZE = 16


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


def export_onnx(estimator, path, *, opset_version=18, quantize=None):
    """Write a fitted text model as ONNX, with its tokenizer beside it.

    Parameters
    ----------
    estimator : estimator
        A fitted :class:`~sktext.TextCNNClassifier` or :class:`~sktext.LSTMClassifier`
        (single-label), :class:`~sktext.TransformerClassifier` (single- or multi-label),
        :class:`~sktext.TransformerRegressor` or
        :class:`~sktext.embeddings.SentenceEncoder`, on any device (the export runs on
        the CPU; the model is put back where it was, in the mode it was in).
    path : str or path-like
        The ONNX file to write. Files named after it (``<path without .onnx>`` then a
        suffix) are written beside it: ``.vocabulary.json`` for a CNN/LSTM (vocabulary,
        padding/unknown ids, length limits, analyzer settings, classes), or for a
        transformer ``.tokenizer.json`` (the Hugging Face fast tokenizer, truncation
        included, loadable by ``tokenizers.Tokenizer.from_file``) and
        ``.transformer.json`` (what the runners need: the task, the outputs' name,
        ``max_length``, the truncation side, the padding id, the classes).
    opset_version : int, default=18
        ONNX opset of the graph.
    quantize : {None, "int8"}, default=None
        ``"int8"`` (transformers only) stores the weights of the graph's matrix products
        as 8-bit integers with onnxruntime's dynamic quantization: a file about a quarter
        the size, faster on CPUs, with probabilities that move slightly (see Notes).

    Returns
    -------
    paths : tuple of str
        The ONNX file, then the JSON file the runners read (``.vocabulary.json`` or
        ``.transformer.json``), then, for a transformer, its ``.tokenizer.json``.

    Raises
    ------
    TypeError
        For an estimator that cannot be exported: not fitted, of another kind, fused
        with other columns of a DataFrame, reading pairs of texts, a regressor or
        multi-label CNN/LSTM, a custom analyzer, a tokenizer without a fast (Rust)
        version.
    ValueError
        For an unknown ``quantize``, or ``quantize`` with a CNN/LSTM.

    See Also
    --------
    OnnxTextClassifier : Runs an exported classifier without torch.
    OnnxTextRegressor : Runs an exported :class:`~sktext.TransformerRegressor`.
    OnnxSentenceEncoder : Runs an exported :class:`~sktext.embeddings.SentenceEncoder`.

    Notes
    -----
    **CNN/LSTM.** The graph takes ``input_ids`` (int64, shape ``(batch, seq_len)``,
    documents left-aligned and padded with 0, both axes dynamic) and returns
    ``probabilities`` (float32, ``(batch, n_classes)``, columns in the order of
    ``classes_``). The CNN is exported with ``torch.onnx.export(..., dynamo=True)`` (needs
    ``onnxscript``); the RNN, which ``torch.export`` would unroll over a fixed number of
    time steps, through the TorchScript-based exporter, which traces the module's own
    forward pass on the CPU (each layer and direction over the padded batch, then its
    pooling) into ONNX's LSTM/GRU operators. A custom ``tokenizer`` callable cannot be
    written to JSON: such models are refused.

    **Transformers.** The graph takes ``input_ids`` and ``attention_mask`` (int64,
    ``(batch, seq_len)``, both axes dynamic, ``seq_len`` up to the estimator's
    ``max_length_``) and returns ``probabilities`` (softmax, or the sigmoid of each
    label of a multi-label model), ``predictions`` (regressor: in the targets' own
    scale, the standardization folded into the graph) or ``embeddings``
    (:class:`~sktext.embeddings.SentenceEncoder`: its pooling, then its ``normalize``).
    It is exported with ``torch.onnx.export(..., dynamo=True)``, then run once in
    onnxruntime on a padded probe batch and compared with torch (a ``RuntimeError`` if
    they differ by more than 1e-4). The graph computes in float32 whatever the
    estimator's ``mixed_precision``. Pairs of texts (``text_pair=True``) are not
    exported.

    With ``quantize="int8"`` the float graph is exported the way onnxruntime's
    transformer optimizer fuses (the TorchScript-based exporter, ``dynamo=False``, with
    the encoder's eager attention, put back afterwards) and checked against torch, then
    fused (``model_type="bert"``: the embeddings, each attention and each GELU become
    one operator; the residual layer normalizations are left unfused, faster on the CPU;
    the fused graph is checked too),
    then ``onnxruntime.quantization.quantize_dynamic`` stores the weights of the fused
    attention and embeddings (``QAttention``, ``QEmbedLayerNormalization``) and of the
    other ``MatMul`` nodes as 8-bit integers, one scale per output column
    (``per_channel``), on 7 bits (``reduce_range``, for CPUs without VNNI); activations
    are quantized on the fly. Each graph is checked on the padded probe batch and on one
    unpadded document. The figures measured on Rotten Tomatoes with a fine-tuned
    all-MiniLM-L6-v2 are in the user guide (Serving without the training stack).

    Install the extra ``sktext[onnx]``.
    """
    if quantize not in _QUANTIZE_OPTIONS:
        raise ValueError(f"quantize must be None or 'int8'; got {quantize!r}.")
    if _is_pretrained_transformer(estimator):
        return _export_transformer(estimator, os.fspath(path), opset_version, quantize)
    if quantize is not None:
        raise ValueError(
            f"quantize={quantize!r} is for the transformers (TransformerClassifier, "
            "TransformerRegressor, SentenceEncoder); export a CNN/LSTM with quantize=None."
        )
    return _export_vocabulary_model(estimator, path, opset_version)


def _export_vocabulary_model(estimator, path, opset_version):
    """:func:`export_onnx` of a TextCNNClassifier or LSTMClassifier."""
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


# ------------------------------------------------------------------ ONNX of the transformers
def _is_pretrained_transformer(estimator):
    from .embeddings._sentence_encoder import SentenceEncoder
    from .neural_network._transformer import _TransformerBase

    return isinstance(estimator, (_TransformerBase, SentenceEncoder))


# texts the exported graph is checked on against torch: empty, short, longer, so that the
# probe batch is padded and the attention mask has zeros
_PROBE_TEXTS = (
    "",
    "A short one.",
    "A somewhat longer document, with punctuation; numbers like 42 and words such as "
    "café, naïve and über that the vocabulary may split.",
)
_EXPORT_TOLERANCE = 1e-4


def _transformer_export_settings(estimator):
    """``(module, output name, task, wrapper options)`` of a fitted transformer estimator.

    Refuses what the graph does not reproduce, with what to do instead.
    """
    from .embeddings._sentence_encoder import SentenceEncoder
    from .neural_network._tasks import NeuralClassifierMixin
    from .utils._sklearn_compat import check_is_fitted

    name = type(estimator).__name__
    check_is_fitted(estimator)
    if isinstance(estimator, SentenceEncoder):
        options = {"pooling": estimator.pooling, "normalize": bool(estimator.normalize)}
        return estimator.model_, "embeddings", "embedding", options
    table = getattr(estimator, "table_", None) or {}
    if estimator.text_pair or table.get("text_pair", False):
        raise TypeError(
            f"export_onnx does not export a {name} with text_pair=True (pairs of texts are "
            "tokenized together, with token types, which the graph does not take). Serve it "
            "with sktext.save/sktext.load."
        )
    if estimator._fused():
        raise TypeError(
            f"export_onnx exports models of one text column; this {name} was fitted on a "
            f"DataFrame ({table['n_text_columns']} text column(s), {table['n_features']} "
            "encoded features of other columns), whose table encoder and fusion layers it "
            "does not write. Serve it with sktext.save/sktext.load."
        )
    if isinstance(estimator, NeuralClassifierMixin):
        activation = estimator.out_activation_  # "softmax", or "logistic" (multi-label)
        task = "multilabel" if activation == "logistic" else "classification"
        return estimator.module_, "probabilities", task, {"activation": activation}
    if estimator.out_activation_ != "identity":
        raise TypeError(
            f"export_onnx writes regressors with an identity output; this {name} has "
            f"out_activation_={estimator.out_activation_!r}."
        )
    options = {"activation": "identity", "mean": None, "scale": None}
    if estimator.target_scale_ is not None:
        options.update(mean=estimator.target_mean_, scale=estimator.target_scale_)
    return estimator.module_, "predictions", "regression", options


def _transformer_output_module(module, task, options):
    """``module`` with the estimator's last steps, ``(input_ids, attention_mask) -> outputs``.

    Classifiers: the softmax (or a sigmoid per label) of the logits; regressors: the
    outputs mapped back from standardized units (``y * scale + mean``); encoders: the
    pooled hidden states, normalized if the encoder normalizes.
    """
    import torch
    from torch import nn

    from .nn._transformer import pool_hidden_states

    class Outputs(nn.Module):
        def __init__(self):
            super().__init__()
            self.module = module
            scale = options.get("scale")
            if scale is not None:  # (n_outputs,) each
                self.register_buffer("scale", torch.as_tensor(scale, dtype=torch.float32))
                self.register_buffer("mean", torch.as_tensor(options["mean"], dtype=torch.float32))
            else:
                self.scale = self.mean = None

        def forward(self, input_ids, attention_mask):
            if task == "embedding":
                out = self.module(input_ids=input_ids, attention_mask=attention_mask)
                # (batch, hidden_size)
                pooled = pool_hidden_states(
                    out.last_hidden_state, attention_mask, options["pooling"]
                )
                if options["normalize"]:
                    pooled = torch.nn.functional.normalize(pooled, dim=1)
                return pooled
            outputs = self.module(input_ids, attention_mask)  # (batch, n_outputs)
            if options["activation"] == "softmax":
                return torch.softmax(outputs, dim=1)
            if options["activation"] == "logistic":
                return torch.sigmoid(outputs)
            if self.scale is not None:
                return outputs * self.scale + self.mean
            return outputs

    return Outputs().eval()


def _backend_tokenizer(estimator):
    """The ``tokenizers.Tokenizer`` behind the estimator's fast tokenizer, set to truncate
    as the estimator does (``max_length_``, the tokenizer's truncation side) and not to pad.

    Raises a TypeError if the tokenizer has no fast version, or if its backend alone does
    not give the ids of the estimator's tokenizer (checked on probe texts).
    """
    from tokenizers import Tokenizer

    name = type(estimator).__name__
    tokenizer = estimator.tokenizer_
    backend = getattr(tokenizer, "backend_tokenizer", None)
    if not getattr(tokenizer, "is_fast", False) or backend is None:
        raise TypeError(
            f"export_onnx writes the fast (Rust) tokenizer of the model beside the graph; "
            f"the tokenizer of this {name} ({type(tokenizer).__name__}) has none. Use a "
            "model that ships a tokenizer.json."
        )
    copy = Tokenizer.from_str(backend.to_str())
    copy.no_padding()
    side = getattr(tokenizer, "truncation_side", "right")
    copy.enable_truncation(int(estimator.max_length_), direction=side)
    long_text = " ".join(_PROBE_TEXTS) * (2 + estimator.max_length_ // 8)
    texts = [*_PROBE_TEXTS, long_text]
    expected = tokenizer(texts, truncation=True, max_length=estimator.max_length_)["input_ids"]
    got = [encoding.ids for encoding in copy.encode_batch(texts, add_special_tokens=True)]
    if got != [list(ids) for ids in expected]:
        raise TypeError(
            f"export_onnx cannot write the tokenizer of this {name}: its fast tokenizer "
            f"({type(tokenizer).__name__}) does work outside its tokenizer.json, which a "
            "server would not reproduce. Serve it with sktext.save/sktext.load."
        )
    return copy


def _export_transformer(estimator, path, opset_version, quantize):
    """:func:`export_onnx` of a TransformerClassifier/Regressor or SentenceEncoder."""
    import torch

    module, output, task, options = _transformer_export_settings(estimator)
    tokenizer = _backend_tokenizer(estimator)
    try:
        import onnxruntime  # noqa: F401  (checks the exported graph)
        import onnxscript  # noqa: F401  (needed by the torch.export-based exporter)
    except ImportError as exc:  # pragma: no cover - depends on the environment
        raise ImportError(
            "export_onnx needs onnx, onnxscript and onnxruntime: pip install 'sktext[onnx]'."
        ) from exc
    max_length = int(estimator.max_length_)
    pad = estimator.tokenizer_.pad_token_id
    pad = 0 if pad is None else int(pad)
    probe = [e.ids for e in tokenizer.encode_batch(list(_PROBE_TEXTS), add_special_tokens=True)]
    ids, mask = _pad_batch(probe, pad)
    # a second probe of another shape: one document, no padding (a tracing exporter
    # would fix a graph to the first probe's shapes; this check catches it)
    ids_one, mask_one = _pad_batch(probe[1:2], pad)
    device = next(module.parameters()).device
    was_training = module.training
    stem = path[: -len(".onnx")] if path.endswith(".onnx") else path
    float_path = stem + ".float.onnx" if quantize else path
    try:
        wrapper = _transformer_output_module(module.to("cpu").eval(), task, options)
        with torch.no_grad():
            expected = wrapper(torch.from_numpy(ids), torch.from_numpy(mask)).numpy()
            expected_one = wrapper(torch.from_numpy(ids_one), torch.from_numpy(mask_one)).numpy()
        inputs = (torch.from_numpy(ids), torch.from_numpy(mask))
        if quantize == "int8":
            _export_for_fusion(wrapper, module, inputs, output, float_path, opset_version)
        else:
            _export_dynamo(wrapper, inputs, output, float_path, opset_version, max_length)
    finally:
        module.to(device).train(was_training)
    name = type(estimator).__name__
    n_outputs = _check_graph(float_path, output, ids, mask, expected, name)
    _check_graph(float_path, output, ids_one, mask_one, expected_one, name)
    if quantize == "int8":
        fused_path = stem + ".fused.onnx"
        try:
            _fuse_transformer_graph(float_path, fused_path, module)
            # the fused float graph is still the model: checked as the exported one was
            _check_graph(fused_path, output, ids, mask, expected, name)
            _check_graph(fused_path, output, ids_one, mask_one, expected_one, name)
            _quantize_int8(fused_path, path)
        finally:
            for temporary in (float_path, fused_path):
                if os.path.exists(temporary):
                    os.remove(temporary)
    tokenizer_path = stem + _TOKENIZER_SUFFIX
    tokenizer.save(tokenizer_path)
    meta = {
        "format": "sktext-onnx-transformer",
        "format_version": 1,
        "estimator": type(estimator).__name__,
        "task": task,
        "inputs": ["input_ids", "attention_mask"],
        "output": output,
        "n_outputs": n_outputs,
        "tokenizer": os.path.basename(tokenizer_path),
        # documents are cut to max_length tokens, special tokens included, on this side
        "max_length": max_length,
        "truncation_side": getattr(estimator.tokenizer_, "truncation_side", "right"),
        "padding_id": pad,
        "quantize": quantize,
    }
    if task in ("classification", "multilabel"):
        meta["classes"] = estimator.classes_.tolist()
    if task == "embedding":
        meta.update(pooling=options["pooling"], normalize=options["normalize"])
    settings_path = stem + _TRANSFORMER_SUFFIX
    with open(settings_path, "w", encoding="utf-8") as f:
        json.dump(meta, f, ensure_ascii=False, indent=1)
    return path, settings_path, tokenizer_path


def _check_graph(path, output, ids, mask, expected, name):
    """Run the graph at ``path`` in onnxruntime; a RuntimeError (and the file removed) if
    its outputs differ from torch's ``expected`` by more than ``_EXPORT_TOLERANCE``.

    Returns the number of output columns.
    """
    ort = _import_onnxruntime()
    session = ort.InferenceSession(path, providers=["CPUExecutionProvider"])
    try:
        (got,) = session.run([output], {"input_ids": ids, "attention_mask": mask})
    except Exception:  # e.g. a graph fixed to other shapes: onnxruntime refuses the batch
        got = None
    if got is None or got.shape != expected.shape:
        difference = np.inf
    else:
        difference = float(np.abs(got - expected).max())
    if not difference <= _EXPORT_TOLERANCE:
        os.remove(path)
        raise RuntimeError(
            f"The ONNX graph of this {name} gives outputs that differ from torch's by "
            f"{difference:.2g} on a probe batch; it was not kept. Please report it with the "
            "model's name."
        )
    return int(got.shape[1])


def _export_dynamo(wrapper, inputs, output, path, opset_version, max_length):
    """The float graph: ``torch.onnx.export(..., dynamo=True)``, both axes dynamic."""
    import torch

    batch = torch.export.Dim("batch", min=1)
    seq_len = torch.export.Dim("seq_len", min=2, max=max(max_length, 3))
    with torch.no_grad(), warnings.catch_warnings():
        # torch.export traces the Hugging Face model as it is (its attention mask and
        # SDPA attention included), with both axes dynamic; the two inputs share their
        # axes, which the exporter notes in a warning per axis
        warnings.filterwarnings("ignore", "# The axis name: .* will not be used")
        # and torch's own pytree code, in torch.export, calls a deprecated check
        warnings.filterwarnings(
            "ignore", r"`isinstance\(treespec, LeafSpec\)` is deprecated", FutureWarning
        )
        program = torch.onnx.export(
            wrapper,
            inputs,
            input_names=["input_ids", "attention_mask"],
            output_names=[output],
            dynamic_shapes={
                "input_ids": {0: batch, 1: seq_len},
                "attention_mask": {0: batch, 1: seq_len},
            },
            opset_version=opset_version,
            dynamo=True,
            verbose=False,
        )
    program.save(path)


def _hugging_face_model(module):
    """The outermost ``transformers.PreTrainedModel`` in ``module`` (the encoder)."""
    from transformers import PreTrainedModel

    return next(m for m in module.modules() if isinstance(m, PreTrainedModel))


def _export_for_fusion(wrapper, module, inputs, output, path, opset_version):
    """The float graph the int8 export starts from, in the form onnxruntime's optimizer fuses.

    The TorchScript-based exporter (``dynamo=False``) with the encoder's plain ("eager")
    attention writes the operator patterns onnxruntime's BERT optimizer recognizes: the
    embeddings, each attention and each layer normalization become one fused operator
    (``EmbedLayerNormalization``, ``Attention``, ``SkipLayerNormalization``), which
    quantize to ``QEmbedLayerNormalization`` and ``QAttention``. The graphs of
    ``dynamo=True`` (with SDPA or eager attention) keep their attention and embeddings
    unfused (measured with onnxruntime 1.32 and torch 2.13). The encoder's attention
    implementation is put back afterwards.
    """
    import torch

    encoder = _hugging_face_model(module)
    attention = encoder.config._attn_implementation
    try:
        encoder.set_attn_implementation("eager")
        with torch.no_grad(), warnings.catch_warnings():
            # the TorchScript exporter is deprecated in favour of dynamo=True, whose
            # graphs onnxruntime does not fuse; its tracer warns about Python values it
            # records as constants, which the second probe of export_onnx checks
            warnings.simplefilter("ignore")
            torch.onnx.export(
                wrapper,
                inputs,
                path,
                input_names=["input_ids", "attention_mask"],
                output_names=[output],
                dynamic_axes={
                    "input_ids": {0: "batch", 1: "seq_len"},
                    "attention_mask": {0: "batch", 1: "seq_len"},
                    output: {0: "batch"},
                },
                opset_version=opset_version,
                dynamo=False,
            )
    finally:
        encoder.set_attn_implementation(attention)


def _fuse_transformer_graph(float_path, path, module):
    """onnxruntime's transformer optimizer (BERT fusions) from ``float_path`` to ``path``.

    On the graph of :func:`_export_for_fusion` it fuses the embeddings and their layer
    normalization (``EmbedLayerNormalization``) and each self-attention (``Attention``:
    one matrix product for the query, key and value, the mask as lengths), the operators
    the quantizer turns into ``QEmbedLayerNormalization`` and ``QAttention``. The
    residual additions with their layer normalizations are not fused into
    ``SkipLayerNormalization``, nor the feed-forward bias into ``BiasGelu``: with
    onnxruntime 1.32 on the CPU those two kernels took 46% of the int8 graph's time on
    Rotten Tomatoes snippets, where ``Add`` + ``LayerNormalization`` and ``Gelu`` take a
    third of theirs (see ``_SLOW_CPU_FUSIONS``).
    """
    from onnxruntime.transformers.fusion_options import FusionOptions
    from onnxruntime.transformers.optimizer import optimize_model

    options = FusionOptions("bert")
    options.enable_skip_layer_norm = False
    options.enable_bias_skip_layer_norm = False
    options.enable_bias_gelu = False
    config = _hugging_face_model(module).config
    optimized = optimize_model(
        float_path,
        model_type="bert",
        num_heads=int(getattr(config, "num_attention_heads", 0) or 0),
        hidden_size=int(getattr(config, "hidden_size", 0) or 0),
        optimization_options=options,
    )
    optimized.save_model_to_file(path)


def _quantize_int8(float_path, path):
    """onnxruntime's dynamic quantization of ``float_path`` to ``path``: int8 weights.

    The fused operators are quantized as a whole: ``QAttention`` (the query, key and
    value projection), ``QEmbedLayerNormalization`` (the embedding tables), the other
    ``MatMul`` nodes (attention output, feed-forward layers, the head) and any
    ``Gather`` left; activations are quantized on the fly. Options chosen by measurement
    on the all-MiniLM-L6-v2 encoder (Rotten Tomatoes test snippets, cosine of the int8
    and float vectors): one scale per output column (``per_channel``) matters most, mean
    cosine 0.991-0.992 against 0.869-0.958 with one scale per matrix; 7-bit weights
    (``reduce_range``, which ``QAttention`` always uses) cost 0.001 of it here (a CPU
    with VNNI) and avoid the overflow of 8-bit products on CPUs without VNNI. Shape
    inference does not see through onnxruntime's fused operators, hence the default
    float type of the tensors it cannot type.
    """
    import onnx
    from onnxruntime.quantization import QuantType, quantize_dynamic

    quantize_dynamic(
        float_path,
        path,
        weight_type=QuantType.QInt8,
        per_channel=True,
        reduce_range=True,
        op_types_to_quantize=["MatMul", "Attention", "EmbedLayerNormalization", "Gather"],
        extra_options={"DefaultTensorType": onnx.TensorProto.FLOAT},
    )


def _pad_batch(sequences, pad, min_width=1):
    """``(input_ids, attention_mask)``, int64, padded to the longest of ``sequences``."""
    width = max(min_width, *map(len, sequences))
    ids = np.full((len(sequences), width), pad, dtype=np.int64)
    mask = np.zeros((len(sequences), width), dtype=np.int64)
    for i, seq in enumerate(sequences):
        ids[i, : len(seq)] = seq
        mask[i, : len(seq)] = 1
    return ids, mask


_RUNNERS = {
    "classification": "OnnxTextClassifier",
    "multilabel": "OnnxTextClassifier",
    "regression": "OnnxTextRegressor",
    "embedding": "OnnxSentenceEncoder",
}


def _stem(path):
    return path[: -len(".onnx")] if path.endswith(".onnx") else path


def _read_transformer_settings(path, runner):
    """The ``.transformer.json`` beside ``path``, checked to be one ``runner`` runs."""
    settings_path = _stem(path) + _TRANSFORMER_SUFFIX
    if not os.path.exists(settings_path):
        raise FileNotFoundError(
            f"{runner}: no {os.path.basename(settings_path)} beside {path}. Keep the files "
            "export_onnx wrote (the .onnx, .transformer.json and .tokenizer.json) together."
        )
    with open(settings_path, encoding="utf-8") as f:
        meta = json.load(f)
    if meta.get("format") != "sktext-onnx-transformer" or meta.get("format_version") != 1:
        raise ValueError(
            f"{runner}: {settings_path} is not an sktext transformer export of a format this "
            f"version reads (format {meta.get('format')!r}, version "
            f"{meta.get('format_version')!r}); export the model again with this version."
        )
    if _RUNNERS.get(meta["task"]) != runner:
        raise TypeError(
            f"{path} holds a {meta['estimator']} export ({meta['task']}); run it with "
            f"sktext.{_RUNNERS.get(meta['task'], 'OnnxTextClassifier')}, not {runner}."
        )
    return meta


def _document_texts(X, runner):
    """Documents as strings (token lists joined with spaces, as the estimators do)."""
    if isinstance(X, (str, bytes)):
        raise ValueError("Iterable over raw text documents expected, string object received.")
    texts = []
    for doc in X:
        if isinstance(doc, str):
            texts.append(doc)
        elif isinstance(doc, (list, tuple)) and all(isinstance(t, str) for t in doc):
            texts.append(" ".join(doc))
        else:
            raise TypeError(
                f"{runner} takes documents as strings (or lists of string tokens); got "
                f"{type(doc).__name__}."
            )
    return texts


# onnxruntime's session-time fusions a transformer session runs without: on the CPU
# (onnxruntime 1.32) the fused SkipLayerNormalization kernel took 1.7 s where the Add and
# LayerNormalization it replaces took 0.3 s (the int8 all-MiniLM-L6-v2 classifier on the
# 2,562 Rotten Tomatoes test snippets, one thread), and BiasGelu 0.67 s against Gelu's
# 0.38 s; without them the int8 graph ran 1.42x and the float graph 1.13x as fast.
# GPU providers keep them.
_SLOW_CPU_FUSIONS = ["SkipLayerNormFusion", "BiasGeluFusion"]


class _TransformerSession:
    """The tokenizer and onnxruntime session of a transformer export.

    Documents are tokenized by the ``tokenizers`` library with the estimator's truncation,
    sorted by token count and run in batches of ``batch_size`` padded to their own
    longest document; the outputs come back in input order.
    """

    def __init__(self, path, meta, *, batch_size, providers):
        from tokenizers import Tokenizer

        ort = _import_onnxruntime()
        tokenizer = Tokenizer.from_file(os.path.join(os.path.dirname(path), meta["tokenizer"]))
        tokenizer.no_padding()  # each batch is padded here, to its own longest document
        tokenizer.enable_truncation(meta["max_length"], direction=meta["truncation_side"])
        self.tokenizer = tokenizer
        self.meta = meta
        self.batch_size = batch_size
        providers = providers or ["CPUExecutionProvider"]
        # a provider is a name or a (name, options) pair
        names = [p[0] if isinstance(p, tuple | list) else p for p in providers]
        on_cpu = all(name == "CPUExecutionProvider" for name in names)
        self.session = ort.InferenceSession(
            path,
            ort.SessionOptions(),
            providers=providers,
            disabled_optimizers=_SLOW_CPU_FUSIONS if on_cpu else None,
        )

    def encode(self, texts):
        encodings = self.tokenizer.encode_batch(texts, add_special_tokens=True)
        return [encoding.ids for encoding in encodings]

    def run(self, texts):
        """Outputs of the graph, ``(n_documents, n_outputs)`` float32, in input order."""
        sequences = self.encode(texts)
        out = np.empty((len(sequences), self.meta["n_outputs"]), dtype=np.float32)
        lengths = np.fromiter(map(len, sequences), dtype=np.int64, count=len(sequences))
        order = np.argsort(lengths, kind="stable")  # similar lengths share a batch
        name, pad = self.meta["output"], self.meta["padding_id"]
        for start in range(0, len(order), self.batch_size):
            rows = order[start : start + self.batch_size]
            # at least 2 positions: the narrowest input the graph was exported for
            ids, mask = _pad_batch([sequences[i] for i in rows], pad, min_width=2)
            (values,) = self.session.run([name], {"input_ids": ids, "attention_mask": mask})
            out[rows] = values
        return out


def _open_transformer(runner, path, batch_size, providers):
    """Open a transformer export for ``runner``: its session, tokenizer and settings."""
    meta = _read_transformer_settings(path, type(runner).__name__)
    runner.batch_size = batch_size
    runner._transformer = _TransformerSession(
        path, meta, batch_size=batch_size, providers=providers
    )
    runner.tokenizer_ = runner._transformer.tokenizer
    runner.session_ = runner._transformer.session
    runner.max_length_ = meta["max_length"]
    return meta


class OnnxTextClassifier:
    """Run a classifier written by :func:`export_onnx` with onnxruntime (no torch).

    For a CNN/LSTM export (``.vocabulary.json`` beside the graph), tokenization is
    scikit-learn's analyzer with the saved settings, so documents get the ids the sktext
    estimator gives them, and batches are padded to their own longest document. For a
    :class:`~sktext.TransformerClassifier` export (``.transformer.json`` and
    ``.tokenizer.json`` beside it), the ``tokenizers`` library tokenizes as the estimator
    does (its special tokens, truncation to ``max_length_`` tokens), documents are sorted
    by token count and batches padded to their own longest one; probabilities come back
    in input order.

    Parameters
    ----------
    path : str or path-like
        The ``.onnx`` file, with the files :func:`export_onnx` wrote beside it.
    batch_size : int, default=None
        Documents per onnxruntime call: 256 for a CNN/LSTM, 16 for a transformer when
        None.
    providers : list of str, default=None
        Execution providers of onnxruntime (``None``: the CPU).

    Attributes
    ----------
    classes_ : ndarray
        Class labels, in the order of the probability columns (a multi-label model: the
        labels' indices).
    vocabulary_ : dict or None
        Token to id (CNN/LSTM; None for a transformer, whose vocabulary is in
        ``tokenizer_``).
    tokenizer_ : tokenizers.Tokenizer or None
        The transformer's tokenizer (None for a CNN/LSTM).
    max_length_ : int or None
        Documents are truncated to this many tokens (None: never), as by the estimator.
    multilabel_ : bool
        Whether the model predicts several labels per document (``predict`` returns
        their indicator matrix).

    See Also
    --------
    export_onnx : Writes the files this class reads.
    OnnxTextRegressor : The same for an exported :class:`~sktext.TransformerRegressor`.
    """

    def __init__(self, path, *, batch_size=None, providers=None):
        path = os.fspath(path)
        self.multilabel_ = False
        self.tokenizer_ = self.vocabulary_ = None
        self._transformer = None
        if not os.path.exists(_vocabulary_path(path)) and os.path.exists(
            _stem(path) + _TRANSFORMER_SUFFIX
        ):
            meta = _open_transformer(self, path, batch_size or _TRANSFORMER_BATCH_SIZE, providers)
            self.classes_ = np.asarray(meta["classes"])
            self.multilabel_ = meta["task"] == "multilabel"
            return
        from sklearn.feature_extraction.text import CountVectorizer

        ort = _import_onnxruntime()
        with open(_vocabulary_path(path), encoding="utf-8") as f:
            meta = json.load(f)
        self.vocabulary_ = meta["vocabulary"]
        self.classes_ = np.asarray(meta["classes"])
        self.max_length_ = meta["max_length"]
        self._min_length = meta["min_length"]
        self._unknown, self._padding = meta["unknown_id"], meta["padding_id"]
        self._analyze = CountVectorizer(**meta["analyzer"]).build_analyzer()
        self.batch_size = batch_size or 256
        options = ort.SessionOptions()
        self.session_ = ort.InferenceSession(
            path, options, providers=providers or ["CPUExecutionProvider"]
        )

    def transform(self, X):
        """Token id lists of the documents (truncated to ``max_length_`` unless None).

        Parameters
        ----------
        X : iterable of str
            Documents.

        Returns
        -------
        ids : list of list of int
            The ids the estimator gives each document (for a transformer, its special
            tokens included).
        """
        if self._transformer is not None:
            return self._transformer.encode(_document_texts(X, type(self).__name__))
        get, unknown, limit = self.vocabulary_.get, self._unknown, self.max_length_
        return [[get(token, unknown) for token in self._analyze(doc)[:limit]] for doc in X]

    def predict_proba(self, X):
        """Class probabilities.

        Parameters
        ----------
        X : iterable of str
            Documents.

        Returns
        -------
        proba : ndarray of shape (n_documents, n_classes)
            Columns in the order of ``classes_``; for a multi-label model the probability
            of each label (rows need not sum to 1).
        """
        if self._transformer is not None:
            texts = _document_texts(X, type(self).__name__)
            proba = self._transformer.run(texts).astype(np.float64)
            if self.multilabel_:
                return proba
            return proba / proba.sum(axis=1, keepdims=True)
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
        """Predicted class labels.

        Parameters
        ----------
        X : iterable of str
            Documents.

        Returns
        -------
        y : ndarray of shape (n_documents,) or (n_documents, n_labels)
            Labels from ``classes_``; for a multi-label model the indicator matrix of the
            labels whose probability exceeds 0.5.
        """
        proba = self.predict_proba(X)
        if self.multilabel_:
            return (proba > 0.5).astype(np.int64)
        return self.classes_[np.argmax(proba, axis=1)]


class OnnxTextRegressor:
    """Run a :class:`~sktext.TransformerRegressor` written by :func:`export_onnx` (no torch).

    The ``tokenizers`` library tokenizes as the estimator does (its special tokens,
    truncation to ``max_length_`` tokens); documents are sorted by token count and run
    in batches padded to their own longest one; predictions come back in input order, in
    the targets' own scale (the graph maps the network's standardized outputs back).

    Parameters
    ----------
    path : str or path-like
        The ``.onnx`` file, with its ``.transformer.json`` and ``.tokenizer.json`` beside it.
    batch_size : int, default=16
        Documents per onnxruntime call.
    providers : list of str, default=None
        Execution providers of onnxruntime (``None``: the CPU).

    Attributes
    ----------
    tokenizer_ : tokenizers.Tokenizer
        The model's tokenizer, truncating to ``max_length_``.
    max_length_ : int
        Documents are truncated to this many tokens, special tokens included.
    n_outputs_ : int
        Number of predicted values per document.

    See Also
    --------
    export_onnx : Writes the files this class reads.
    """

    def __init__(self, path, *, batch_size=_TRANSFORMER_BATCH_SIZE, providers=None):
        meta = _open_transformer(self, os.fspath(path), batch_size, providers)
        self.n_outputs_ = meta["n_outputs"]

    def predict(self, X):
        """Predicted target values.

        Parameters
        ----------
        X : iterable of str
            Documents.

        Returns
        -------
        y : ndarray of shape (n_documents,) or (n_documents, n_outputs)
            Predictions; 1-d for a model of one output, as the estimator's.
        """
        y = self._transformer.run(_document_texts(X, type(self).__name__)).astype(np.float64)
        return y.ravel() if y.shape[1] == 1 else y


class OnnxSentenceEncoder:
    """Run a :class:`~sktext.embeddings.SentenceEncoder` written by :func:`export_onnx`.

    With onnxruntime and the ``tokenizers`` library only (no torch): documents are
    tokenized as the encoder does (its special tokens, truncation to ``max_length_``),
    sorted by token count and run in batches padded to their own longest one; the
    vectors (pooled, and normalized if the encoder normalizes: both in the graph) come
    back in input order.

    Parameters
    ----------
    path : str or path-like
        The ``.onnx`` file, with its ``.transformer.json`` and ``.tokenizer.json`` beside it.
    batch_size : int, default=16
        Documents per onnxruntime call.
    providers : list of str, default=None
        Execution providers of onnxruntime (``None``: the CPU).

    Attributes
    ----------
    tokenizer_ : tokenizers.Tokenizer
        The model's tokenizer, truncating to ``max_length_``.
    max_length_ : int
        Documents are truncated to this many tokens, special tokens included.
    pooling_ : str
        The encoder's pooling (``"mean"`` or ``"cls"``).
    normalize_ : bool
        Whether the vectors have unit length.

    See Also
    --------
    export_onnx : Writes the files this class reads.
    """

    def __init__(self, path, *, batch_size=_TRANSFORMER_BATCH_SIZE, providers=None):
        meta = _open_transformer(self, os.fspath(path), batch_size, providers)
        self.pooling_ = meta["pooling"]
        self.normalize_ = meta["normalize"]

    def transform(self, X):
        """Encode documents.

        Parameters
        ----------
        X : iterable of str
            Documents.

        Returns
        -------
        vectors : ndarray of shape (n_documents, n_features), dtype float32
            One vector per document, in input order.
        """
        return self._transformer.run(_document_texts(X, type(self).__name__))
