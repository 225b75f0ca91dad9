"""ONNX exports of the transformers (TransformerClassifier/Regressor, SentenceEncoder).

One export per kind of model, shared by the module's tests (an export takes seconds).
"""

import collections
import json
import os
import subprocess
import sys
import warnings
from pathlib import Path

import numpy as np
import pytest
import transformers
from packaging.version import Version

pytest.importorskip("transformers")
pytest.importorskip("onnxscript")
pytest.importorskip("onnxruntime")
pytest.importorskip("tokenizers")

import pandas as pd  # noqa: E402

import sktext  # noqa: E402
from sktext import TransformerClassifier, TransformerRegressor  # noqa: E402
from sktext._export import _SLOW_CPU_FUSIONS  # noqa: E402
from sktext.embeddings import SentenceEncoder  # noqa: E402
from sktext.utils._testing import make_topic_corpus, tiny_transformer_path  # noqa: E402
from sktext.utils._transformers import encode_texts  # noqa: E402

pytestmark = [
    pytest.mark.filterwarnings("ignore::sktext.preprocessing.TruncationWarning"),
    pytest.mark.filterwarnings("ignore::sklearn.exceptions.ConvergenceWarning"),
]

DOCS, LABELS = make_topic_corpus(80)
FAST = dict(max_iter=6, learning_rate_init=3e-3, batch_size=16, random_state=0)
TEST_DOCS, _ = make_topic_corpus(60, seed=1)
# documents the training set never saw: punctuation, case, unknown words, empty, and one
# far longer than max_length (128 tokens), which both sides must cut alike
ODD_DOCS = ["Orbit, the ROCKET's launch!", "completely unknown wörds", "", " ".join(DOCS[:30])]
SERVED_DOCS = TEST_DOCS + ODD_DOCS + [DOCS[0].split()]  # and a pre-tokenized document
EXPORT_FILES = ("onnx", "transformer.json", "tokenizer.json")


def _ids(estimator, docs):
    texts = [d if isinstance(d, str) else " ".join(d) for d in docs]
    ids, offsets, _ = encode_texts(estimator.tokenizer_, texts, estimator.max_length_)
    return [ids[offsets[i] : offsets[i + 1]].tolist() for i in range(len(texts))]


@pytest.fixture(scope="module")
def classifier(tmp_path_factory):
    """A fitted tiny TransformerClassifier, its float and int8 exports."""
    clf = TransformerClassifier(model=tiny_transformer_path(), **FAST).fit(DOCS, LABELS)
    folder = tmp_path_factory.mktemp("classifier")
    clf.module_.train()  # the export must put the module back in the mode it was in
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # no warning reaches the user
        float_paths = sktext.export_onnx(clf, folder / "clf.onnx")
    training_after_export = clf.module_.training
    clf.module_.eval()
    attention = clf.module_.encoder.config._attn_implementation
    int8_paths = sktext.export_onnx(clf, folder / "clf-int8.onnx", quantize="int8")
    # the int8 export traces the encoder with eager attention, then puts its own back
    assert clf.module_.encoder.config._attn_implementation == attention == "sdpa"
    return clf, float_paths, int8_paths, training_after_export


def test_classifier_export_matches_torch(classifier):
    clf, (onnx_path, settings_path, tokenizer_path), _, training_after_export = classifier
    assert training_after_export  # restored to the mode it was in
    assert settings_path.endswith("clf.transformer.json")
    assert tokenizer_path.endswith("clf.tokenizer.json")
    with open(settings_path) as f:
        meta = json.load(f)
    assert meta["classes"] == ["space", "sport"] and meta["output"] == "probabilities"
    assert meta["max_length"] == clf.max_length_ == 128
    proba = clf.predict_proba(SERVED_DOCS)
    # small batches: several batch sizes and padded widths go through the graph
    served = sktext.OnnxTextClassifier(onnx_path, batch_size=7)
    assert served.transform(SERVED_DOCS) == _ids(clf, SERVED_DOCS)  # the same tokens
    assert len(served.transform(ODD_DOCS)[-1]) == 128  # cut at max_length_
    assert np.abs(served.predict_proba(SERVED_DOCS) - proba).max() <= 1e-5
    np.testing.assert_array_equal(served.predict(SERVED_DOCS), clf.predict(SERVED_DOCS))
    np.testing.assert_array_equal(served.classes_, clf.classes_)
    assert served.predict_proba(ODD_DOCS[:1]).shape == (1, 2)  # a batch of one
    # the estimator is left as it was
    np.testing.assert_array_equal(clf.predict_proba(SERVED_DOCS), proba)


class RecordingSession:
    """An onnxruntime session that records the inputs of each call."""

    def __init__(self, session):
        self.session, self.calls = session, []

    def run(self, names, feeds):
        self.calls.append({k: v.copy() for k, v in feeds.items()})
        return self.session.run(names, feeds)


def test_runner_sorts_by_length_and_pads_each_batch_to_its_longest(classifier):
    clf, (onnx_path, *_), _, _ = classifier
    served = sktext.OnnxTextClassifier(onnx_path, batch_size=8)
    recorder = served._transformer.session = RecordingSession(served.session_)
    docs = ODD_DOCS + TEST_DOCS  # the longest first: out of order
    proba = served.predict_proba(docs)
    widths = [call["input_ids"].shape[1] for call in recorder.calls]
    assert widths == sorted(widths) and widths[0] < 20 and widths[-1] == 128
    for call in recorder.calls:
        ids, mask = call["input_ids"], call["attention_mask"]
        assert len(ids) <= 8 and mask.dtype == ids.dtype == np.int64
        assert mask.sum(axis=1).max() == ids.shape[1]  # padded to its own longest
        assert np.all(ids[mask == 0] == clf.tokenizer_.pad_token_id)
    assert sum(len(call["input_ids"]) for call in recorder.calls) == len(docs)
    # in input order
    assert np.abs(proba - clf.predict_proba(docs)).max() <= 1e-5


def test_int8_export_is_smaller_and_agrees(classifier):
    import onnx

    clf, (float_path, *_), (int8_path, settings_path, _), _ = classifier
    with open(settings_path) as f:
        assert json.load(f)["quantize"] == "int8"
    model = onnx.load(int8_path)
    weights = {t.name: t for t in model.graph.initializer}
    ops = collections.Counter(node.op_type for node in model.graph.node)
    products = [node for node in model.graph.node if node.op_type.startswith("MatMul")]
    on_int8 = [n for n in products if n.op_type == "MatMulInteger"]
    assert on_int8 and all(weights[n.input[1]].data_type == onnx.TensorProto.INT8 for n in on_int8)
    # The fusions are those of the transformers that CI's main stage installs (5.25); the
    # eager attention of transformers 5.0 (the declared minimum) exports a graph that
    # onnxruntime's BERT optimizer does not fuse: correct and smaller, but slower
    if Version(transformers.__version__) >= Version("5.25"):
        _check_fused_int8_graph(model, weights, ops)
    folder = os.path.dirname(int8_path)
    assert sorted(os.listdir(folder)) == sorted(
        f"clf{q}.{kind}" for q in ("", "-int8") for kind in EXPORT_FILES
    )  # no temporary file left
    assert os.path.getsize(int8_path) < 0.5 * os.path.getsize(float_path)
    proba = clf.predict_proba(SERVED_DOCS)
    served = sktext.OnnxTextClassifier(int8_path)
    int8_proba = served.predict_proba(SERVED_DOCS)
    assert 0 < np.abs(int8_proba - proba).max() <= 0.02
    agree = np.mean(served.predict(SERVED_DOCS) == clf.predict(SERVED_DOCS))
    assert agree >= 0.95


def _check_fused_int8_graph(model, weights, ops):
    import onnx

    # onnxruntime's BERT fusions, then quantized as a whole: one QAttention per layer (2
    # layers; the query, key and value projection on int8, the mask as lengths), the
    # embeddings and their layer normalization in one QEmbedLayerNormalization, the
    # GELU fused; the residual layer normalizations and the feed-forward bias left out
    # of SkipLayerNormalization and BiasGelu (slower kernels on the CPU)
    assert ops["QAttention"] == 2 and ops["QEmbedLayerNormalization"] == 1
    assert ops["LayerNormalization"] == 4 and ops["Gelu"] == 2
    assert not ops["SkipLayerNormalization"] and not ops["BiasGelu"]
    assert not ops["Attention"] and not ops["EmbedLayerNormalization"]
    assert not ops["Transpose"]  # no unfused attention
    by_op = collections.defaultdict(list)
    for node in model.graph.node:
        by_op[node.op_type].append(node)
    qkv = [weights[n.input[1]] for n in by_op["QAttention"]]
    assert [t.data_type for t in qkv] == [onnx.TensorProto.INT8] * 2
    # word, position and token type tables on one byte (the operator's uint8)
    (embeddings,) = by_op["QEmbedLayerNormalization"]
    tables = [weights[name] for name in embeddings.input[2:5]]
    assert [t.data_type for t in tables] == [onnx.TensorProto.UINT8] * 3
    # the other products with a weight matrix on int8 weights: 3 per layer, the head's
    products = [node for node in model.graph.node if node.op_type.startswith("MatMul")]
    on_int8 = [n for n in products if n.op_type == "MatMulInteger"]
    assert len(on_int8) == 7
    assert all(weights[n.input[1]].data_type == onnx.TensorProto.INT8 for n in on_int8)
    assert not [n for n in products if n.op_type == "MatMul" and set(n.input) & set(weights)]


def test_cpu_sessions_run_without_the_slow_fusions(classifier, tmp_path, monkeypatch):
    """On the CPU the runner's session does not fuse SkipLayerNormalization/BiasGelu back.

    The graph as onnxruntime runs it (``optimized_model_filepath``) keeps ``Add`` +
    ``LayerNormalization``; with a GPU provider asked for, the fusions are left on.
    """
    import onnx
    import onnxruntime as ort

    _, _, (int8_path, *_), _ = classifier
    real, seen = ort.InferenceSession, []

    def session(path, options, providers, disabled_optimizers=None):
        seen.append((providers, disabled_optimizers))
        options.optimized_model_filepath = str(tmp_path / f"run{len(seen)}.onnx")
        return real(
            path,
            options,
            providers=["CPUExecutionProvider"],
            disabled_optimizers=disabled_optimizers,
        )

    monkeypatch.setattr(ort, "InferenceSession", session)
    sktext.OnnxTextClassifier(int8_path)
    ops = collections.Counter(n.op_type for n in onnx.load(tmp_path / "run1.onnx").graph.node)
    saved = collections.Counter(n.op_type for n in onnx.load(int8_path).graph.node)
    # every LayerNormalization of the file is run as it is (2 per layer, and one more on
    # some onnx/transformers versions), none becomes a SkipLayerNormalization
    assert ops["LayerNormalization"] == saved["LayerNormalization"] >= 4
    assert not ops["SkipLayerNormalization"]
    assert ops["Gelu"] == 2 and not ops["BiasGelu"]
    sktext.OnnxTextClassifier(int8_path, providers=["CUDAExecutionProvider"])
    assert seen[1] == (["CUDAExecutionProvider"], None)
    ops = collections.Counter(n.op_type for n in onnx.load(tmp_path / "run2.onnx").graph.node)
    # what the session fuses when let: all 4 (1 with the minimum versions' export)
    assert ops["SkipLayerNormalization"] >= 1
    # the CPU provider with options, as a (name, options) pair, is still the CPU
    sktext.OnnxTextClassifier(int8_path, providers=[("CPUExecutionProvider", {})])
    assert seen[2][1] == _SLOW_CPU_FUSIONS


def test_runs_without_torch(classifier, tmp_path):
    """sktext/_export.py, loaded alone, serves the export where torch cannot be imported."""
    clf, (onnx_path, *_), _, _ = classifier
    expected = clf.predict_proba(ODD_DOCS)
    module_file = Path(sktext.__file__).with_name("_export.py")
    code = f"""
import importlib.util, json, sys

class Block:  # any import of torch, skorch, transformers or the sktext package fails
    def find_spec(self, name, path=None, target=None):
        if name.split(".")[0] in ("torch", "skorch", "transformers", "sktext"):
            raise ImportError(f"blocked: {{name}}")

sys.meta_path.insert(0, Block())
spec = importlib.util.spec_from_file_location("served_export", {str(module_file)!r})
module = importlib.util.module_from_spec(spec)
spec.loader.exec_module(module)
served = module.OnnxTextClassifier({str(onnx_path)!r}, batch_size=2)
print(json.dumps(served.predict_proba({ODD_DOCS!r}).tolist()))
assert not [m for m in sys.modules if m.split(".")[0] in ("torch", "transformers")]
"""
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=tmp_path)
    assert out.returncode == 0, out.stderr
    assert np.abs(np.array(json.loads(out.stdout)) - expected).max() <= 1e-5


@pytest.fixture(scope="module")
def regressor(tmp_path_factory):
    # targets far from standardized: the graph must map the outputs back
    y = 1000.0 + 50.0 * (LABELS == "space") + np.arange(len(DOCS)) % 7
    reg = TransformerRegressor(model=tiny_transformer_path(), **{**FAST, "max_iter": 2})
    reg.fit(DOCS, y)
    folder = tmp_path_factory.mktemp("regressor")
    return reg, sktext.export_onnx(reg, folder / "reg.onnx")


def test_regressor_export_predicts_in_the_targets_scale(regressor):
    reg, (onnx_path, settings_path, _) = regressor
    with open(settings_path) as f:
        assert json.load(f)["output"] == "predictions"
    served = sktext.OnnxTextRegressor(onnx_path, batch_size=7)
    expected = reg.predict(SERVED_DOCS)
    got = served.predict(SERVED_DOCS)
    assert got.shape == expected.shape == (len(SERVED_DOCS),)
    assert np.abs(got - expected).max() <= 1e-6 * 1000  # float32 at the targets' scale
    assert 900 < got.mean() < 1100
    with pytest.raises(TypeError, match="OnnxTextRegressor"):
        sktext.OnnxTextClassifier(onnx_path)


@pytest.fixture(scope="module")
def encoder(tmp_path_factory):
    enc = SentenceEncoder(model=tiny_transformer_path(), normalize=True, max_length=10)
    enc.fit(DOCS)
    folder = tmp_path_factory.mktemp("encoder")
    return enc, sktext.export_onnx(enc, folder / "enc.onnx")


def test_sentence_encoder_export_pools_normalizes_and_truncates(encoder):
    enc, (onnx_path, settings_path, tokenizer_path) = encoder
    with open(settings_path) as f:
        meta = json.load(f)
    assert meta["output"] == "embeddings" and meta["max_length"] == 10
    served = sktext.OnnxSentenceEncoder(onnx_path, batch_size=5)
    assert served.max_length_ == 10 and served.normalize_ and served.pooling_ == "mean"
    assert served.transform(SERVED_DOCS).dtype == np.float32
    assert max(map(len, _ids(enc, SERVED_DOCS))) == 10
    expected = enc.transform(SERVED_DOCS)
    got = served.transform(SERVED_DOCS)
    assert np.abs(got - expected).max() <= 1e-5
    np.testing.assert_allclose(np.linalg.norm(got, axis=1), 1, rtol=1e-5)
    # the tokenizer file alone truncates as the encoder does (for servers in other languages)
    from tokenizers import Tokenizer

    alone = Tokenizer.from_file(tokenizer_path)
    assert [e.ids for e in alone.encode_batch(ODD_DOCS)] == _ids(enc, ODD_DOCS)
    with pytest.raises(TypeError, match="OnnxSentenceEncoder"):
        sktext.OnnxTextRegressor(onnx_path)


def test_runner_input_checks(encoder, tmp_path):
    _, (onnx_path, *_) = encoder
    served = sktext.OnnxSentenceEncoder(onnx_path)
    with pytest.raises(ValueError, match="string object received"):
        served.transform("one document")
    with pytest.raises(TypeError, match="strings"):
        served.transform([1.5])
    assert served.transform([]).shape == (0, 16)
    with pytest.raises(FileNotFoundError, match="transformer.json"):
        sktext.OnnxSentenceEncoder(tmp_path / "missing.onnx")


def test_export_refusals(classifier, tmp_path, monkeypatch):
    clf = classifier[0]
    with pytest.raises(Exception, match="not fitted"):
        sktext.export_onnx(TransformerClassifier(model=tiny_transformer_path()), tmp_path / "m")
    with pytest.raises(Exception, match="not fitted"):
        sktext.export_onnx(SentenceEncoder(model=tiny_transformer_path()), tmp_path / "m")
    with pytest.raises(ValueError, match="quantize must be None or 'int8'"):
        sktext.export_onnx(clf, tmp_path / "m.onnx", quantize="int4")
    cnn = sktext.TextCNNClassifier(num_filters=2, filter_sizes=(2,), max_iter=1)
    with pytest.raises(ValueError, match="quantize=None"):
        sktext.export_onnx(cnn.fit(DOCS, LABELS), tmp_path / "m.onnx", quantize="int8")

    class SlowTokenizer:  # a tokenizer without a Rust backend
        is_fast = False

    monkeypatch.setattr(clf, "tokenizer_", SlowTokenizer())
    with pytest.raises(TypeError, match="fast"):
        sktext.export_onnx(clf, tmp_path / "m.onnx")
    assert not list(tmp_path.glob("m*"))  # nothing written


@pytest.mark.slow  # fitting the fused and the pair model takes ~85 s
def test_export_refuses_what_the_graph_does_not_take(tmp_path):
    frame = pd.DataFrame({"text": DOCS, "other": DOCS[::-1], "price": np.arange(len(DOCS))})
    small = dict(model=tiny_transformer_path(), max_iter=1, batch_size=32, random_state=0)
    fused = TransformerClassifier(**small, text_columns="text")
    fused.fit(frame[["text", "price"]], LABELS)
    with pytest.raises(TypeError, match="fitted on a DataFrame"):
        sktext.export_onnx(fused, tmp_path / "m.onnx")
    pairs = TransformerClassifier(**small, text_pair=True, text_columns=["text", "other"])
    with pytest.raises(TypeError, match="text_pair=True"):
        sktext.export_onnx(pairs.fit(frame[["text", "other"]], LABELS), tmp_path / "m.onnx")


@pytest.mark.slow
def test_multilabel_export(tmp_path):
    Y = np.c_[LABELS == "space", np.arange(len(DOCS)) % 2, LABELS == "sport"].astype(int)
    clf = TransformerClassifier(model=tiny_transformer_path(), **FAST).fit(DOCS, Y)
    onnx_path, settings_path, _ = sktext.export_onnx(clf, tmp_path / "ml.onnx")
    served = sktext.OnnxTextClassifier(onnx_path, batch_size=7)
    assert served.multilabel_
    proba = served.predict_proba(SERVED_DOCS)
    assert np.abs(proba - clf.predict_proba(SERVED_DOCS)).max() <= 1e-5
    assert not np.allclose(proba.sum(axis=1), 1)  # a sigmoid per label, not a softmax
    np.testing.assert_array_equal(served.predict(SERVED_DOCS), clf.predict(SERVED_DOCS))


def test_export_keeps_only_a_graph_that_matches_torch(encoder, tmp_path):
    """The check export_onnx runs on every graph before keeping it."""
    import shutil

    from sktext._export import _check_graph, _pad_batch

    enc, (onnx_path, *_) = encoder
    path = str(tmp_path / "copy.onnx")
    shutil.copy(onnx_path, path)
    ids, mask = _pad_batch(_ids(enc, ODD_DOCS), enc.tokenizer_.pad_token_id)
    expected = enc.transform(ODD_DOCS)
    assert _check_graph(path, "embeddings", ids, mask, expected, "SentenceEncoder") == 16
    with pytest.raises(RuntimeError, match="differ from torch's by 0.001"):
        _check_graph(path, "embeddings", ids, mask, expected + 1e-3, "SentenceEncoder")
    assert not os.path.exists(path)


def test_export_refuses_a_graph_fixed_to_the_probe_shapes(classifier, tmp_path, monkeypatch):
    """A graph traced without dynamic axes runs on the probe batch but not on the second
    probe (one document, another width): export_onnx keeps no file."""
    import torch

    from sktext import _export

    def export_static(wrapper, inputs, output, path, *args):
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            torch.onnx.export(
                wrapper,
                inputs,
                path,
                output_names=[output],
                dynamo=False,
                input_names=["input_ids", "attention_mask"],
            )

    clf = classifier[0]
    monkeypatch.setattr(_export, "_export_dynamo", export_static)
    with pytest.raises(RuntimeError, match="differ from torch's by inf"):
        sktext.export_onnx(clf, tmp_path / "static.onnx")
    assert os.listdir(tmp_path) == []
