"""Serving: scikit-learn copies of MLPClassifier, ONNX exports of the text CNN/LSTM."""

import json
import pickle
import subprocess
import sys
import warnings

import numpy as np
import pytest
import scipy.sparse as sp
import torch
from sklearn.datasets import make_classification
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.neural_network import MLPClassifier as SkMLPClassifier
from sklearn.pipeline import make_pipeline

import sktext
from sktext.nn import TextRNN
from sktext.utils._testing import make_topic_corpus

pytestmark = [
    pytest.mark.usefixtures("one_torch_thread"),  # tests/conftest.py
    pytest.mark.filterwarnings("ignore::sklearn.exceptions.ConvergenceWarning"),
]


DOCS, LABELS = make_topic_corpus(80)
# documents the training set never saw: punctuation, case, unknown words, empty
ODD_DOCS = ["Orbit, the ROCKET's launch!", "completely unknown words", "", "goal " * 40]
LABELS3 = np.array(["a", "b", "c"])[np.arange(len(DOCS)) % 3]


@pytest.mark.parametrize("activation", ["relu", "tanh", "logistic", "identity"])
@pytest.mark.parametrize("n_classes", [2, 3])
def test_to_sklearn_same_probabilities(activation, n_classes):
    X, y = make_classification(
        n_samples=120, n_features=12, n_informative=6, n_classes=n_classes, random_state=0
    )
    y = np.array(["ham", "spam", "eggs"])[y]
    clf = sktext.MLPClassifier(
        hidden_layer_sizes=(16, 8), activation=activation, max_iter=30, random_state=0
    ).fit(X, y)
    sk = clf.to_sklearn()
    assert type(sk) is SkMLPClassifier
    X_new = np.random.default_rng(1).normal(size=(50, 12)) * 3
    assert np.abs(sk.predict_proba(X_new) - clf.predict_proba(X_new)).max() <= 1e-5
    np.testing.assert_array_equal(sk.predict(X_new), clf.predict(X_new))
    np.testing.assert_array_equal(sk.classes_, clf.classes_)
    assert sk.get_params()["hidden_layer_sizes"] == (16, 8)
    # a plain scikit-learn estimator: pickles without sktext classes inside
    assert b"sktext" not in pickle.dumps(sk)


def test_to_sklearn_regressor_and_multilabel():
    from sklearn.neural_network import MLPRegressor as SkMLPRegressor

    X, y = make_classification(n_samples=120, n_features=12, random_state=0)
    X_new = np.random.default_rng(1).normal(size=(50, 12)) * 3
    targets = np.c_[X[:, 0] * 100 + 5, X[:, 1] - 3]  # two outputs, far from standardized
    reg = sktext.MLPRegressor(hidden_layer_sizes=(8,), max_iter=30, random_state=0)
    sk = reg.fit(X, targets).to_sklearn()
    assert type(sk) is SkMLPRegressor
    assert np.abs(sk.predict(X_new) - reg.predict(X_new)).max() <= 1e-5 * np.abs(targets).max()
    reg1 = sktext.MLPRegressor(hidden_layer_sizes=(8,), max_iter=30, random_state=0)
    reg1.fit(X, targets[:, 0])
    assert reg1.to_sklearn().predict(X_new).shape == (50,)
    np.testing.assert_allclose(reg1.to_sklearn().predict(X_new), reg1.predict(X_new), rtol=1e-5)

    Y = np.c_[y, 1 - y, X[:, 0] > 0].astype(int)
    clf = sktext.MLPClassifier(hidden_layer_sizes=(8,), max_iter=30, random_state=0).fit(X, Y)
    sk = clf.to_sklearn()
    assert np.abs(sk.predict_proba(X_new) - clf.predict_proba(X_new)).max() <= 1e-5
    np.testing.assert_array_equal(sk.predict(X_new), clf.predict(X_new))


def test_to_sklearn_sparse_pipeline_and_refusals():
    pipe = make_pipeline(
        TfidfVectorizer(), sktext.MLPClassifier(hidden_layer_sizes=(8,), max_iter=20)
    ).fit(DOCS, LABELS3)
    sk = sktext.to_sklearn(pipe)
    assert sk.steps[0][1] is pipe.steps[0][1]
    assert type(sk.steps[1][1]) is SkMLPClassifier
    docs = DOCS + ODD_DOCS
    assert np.abs(sk.predict_proba(docs) - pipe.predict_proba(docs)).max() <= 1e-5
    assert sp.issparse(pipe[0].transform(docs))
    with pytest.raises(TypeError, match="export_onnx"):
        sktext.to_sklearn(sktext.TextCNNClassifier())
    with pytest.raises(Exception, match="not fitted"):
        sktext.to_sklearn(sktext.MLPClassifier())


def test_sklearn_copy_serves_without_torch(tmp_path):
    """The scikit-learn copy unpickles in a process where torch cannot be imported."""
    import joblib

    clf = sktext.MLPClassifier(hidden_layer_sizes=(8,), max_iter=20, random_state=0)
    pipe = make_pipeline(TfidfVectorizer(), clf).fit(DOCS, LABELS)
    joblib.dump(sktext.to_sklearn(pipe), tmp_path / "model.joblib")
    expected = pipe.predict_proba(ODD_DOCS)
    code = f"""
import sys

class Block:  # any import of torch, skorch or sktext fails
    def find_spec(self, name, path=None, target=None):
        if name.split(".")[0] in ("torch", "skorch", "sktext"):
            raise ImportError(f"blocked: {{name}}")

sys.meta_path.insert(0, Block())
import joblib, json
model = joblib.load({str(tmp_path / "model.joblib")!r})
print(json.dumps(model.predict_proba({ODD_DOCS!r}).tolist()))
"""
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=tmp_path
    )
    assert np.abs(np.array(json.loads(out.stdout)) - expected).max() <= 1e-5


@pytest.mark.parametrize("ngram_range", [(1, 1), (1, 2)])
def test_tfidf_mlp_pipeline_runs_in_onnxruntime(ngram_range):
    pytest.importorskip("skl2onnx")
    ort = pytest.importorskip("onnxruntime")
    # non-ASCII words, apostrophes, case, digits: tokenized as scikit-learn does
    extra = ["A clichéd café, naïve résumé", "It's 2 good; R2D2 über alles", "ÉCOLE école"]
    docs = DOCS + ODD_DOCS + extra
    y = np.resize(LABELS3, len(docs))
    pipe = make_pipeline(
        TfidfVectorizer(ngram_range=ngram_range),
        sktext.MLPClassifier(hidden_layer_sizes=(16,), max_iter=20),
    ).fit(docs, y)
    onx = sktext.to_onnx(pipe)
    session = ort.InferenceSession(onx.SerializeToString(), providers=["CPUExecutionProvider"])
    test_docs = docs + ["Clichéd résumé of naïve cafés", "über-école"]
    labels, proba = session.run(None, {"X": np.array(test_docs)})
    assert np.abs(proba - pipe.predict_proba(test_docs)).max() <= 1e-5
    np.testing.assert_array_equal(labels, pipe.predict(test_docs))


def test_to_onnx_refuses_what_onnxruntime_computes_differently():
    pytest.importorskip("skl2onnx")
    for vectorizer in (TfidfVectorizer(sublinear_tf=True), TfidfVectorizer(token_pattern=r"\w+")):
        pipe = make_pipeline(vectorizer, sktext.MLPClassifier(max_iter=2)).fit(DOCS, LABELS)
        with pytest.raises(ValueError, match="cannot reproduce"):
            sktext.to_onnx(pipe)


# ------------------------------------------------------------------ ONNX of the text models
ONNX_CASES = [  # one epoch: only the equality of the outputs matters
    sktext.TextCNNClassifier(num_filters=4, embedding_dim=8, filter_sizes=(2, 4), max_iter=1),
    sktext.LSTMClassifier(hidden_size=4, embedding_dim=8, max_iter=1, num_layers=2),
    sktext.LSTMClassifier(hidden_size=4, embedding_dim=8, max_iter=1, cell="gru", pooling="last"),
    sktext.LSTMClassifier(
        hidden_size=4, embedding_dim=8, max_iter=1, bidirectional=False, pooling="mean"
    ),
    sktext.LSTMClassifier(hidden_size=4, embedding_dim=8, max_iter=1, pooling="attention"),
]


@pytest.mark.parametrize(
    "estimator",
    ONNX_CASES,
    ids=lambda e: f"{type(e).__name__}-{getattr(e, 'cell', '')}-{getattr(e, 'pooling', '')}",
)
def test_onnx_export_matches_torch(estimator, tmp_path):
    pytest.importorskip("onnxscript")
    pytest.importorskip("onnxruntime")
    labels = np.where(LABELS == "space", "space", "sport")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        estimator.fit(DOCS, labels)
    onnx_path, vocabulary_path = sktext.export_onnx(estimator, tmp_path / "model.onnx")
    assert vocabulary_path.endswith("model.vocabulary.json")
    with open(vocabulary_path) as f:
        meta = json.load(f)
    assert meta["vocabulary"] == estimator.vectorizer_.vocabulary_
    assert meta["classes"] == ["space", "sport"]
    # small batches: several batch sizes and padded widths go through the graph
    served = sktext.OnnxTextClassifier(onnx_path, batch_size=7)
    docs = DOCS + ODD_DOCS + [" ".join(DOCS[:20])]  # a document far longer than any seen
    proba = estimator.predict_proba(docs)
    assert np.abs(served.predict_proba(docs) - proba).max() <= 1e-5
    np.testing.assert_array_equal(served.predict(docs), estimator.predict(docs))
    # the estimator is left as it was (on its device, in eval mode for prediction)
    np.testing.assert_array_equal(estimator.predict_proba(docs), proba)


def _negated_recurrence(original):
    def recurrence(self, h, lengths):
        out, last = original(self, h, lengths)
        return -out, -last

    return recurrence


def _negated_pooling(original):
    def pool(self, out, last, lengths):
        return -original(self, out, last, lengths)

    return pool


@pytest.mark.parametrize(
    "method, change",
    [("_padded_recurrence", _negated_recurrence), ("_pool", _negated_pooling)],
)
def test_rnn_export_traces_the_module_own_recurrence_and_pooling(
    method, change, tmp_path, monkeypatch
):
    """The graph is a trace of TextRNN's code: a change made there only reaches it."""
    pytest.importorskip("onnxscript")
    pytest.importorskip("onnxruntime")
    clf = sktext.LSTMClassifier(hidden_size=4, embedding_dim=8, max_iter=1, num_layers=2)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        clf.fit(DOCS, LABELS)
    docs = DOCS + ODD_DOCS + [" ".join(DOCS[:20])]
    proba = clf.predict_proba(docs)
    monkeypatch.setattr(TextRNN, method, change(getattr(TextRNN, method)))
    changed = clf.predict_proba(docs)
    assert np.abs(changed - proba).max() > 1e-3  # the change shows in torch
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        onnx_path, _ = sktext.export_onnx(clf, tmp_path / "model.onnx")
    served = sktext.OnnxTextClassifier(onnx_path, batch_size=7)
    assert np.abs(served.predict_proba(docs) - changed).max() <= 1e-5
    # no value read from the example input became a constant of the graph
    assert not [w for w in caught if issubclass(w.category, torch.jit.TracerWarning)]


def test_onnx_export_truncates_as_the_estimator_does(tmp_path):
    pytest.importorskip("onnxscript")
    clf = sktext.TextCNNClassifier(
        num_filters=4, embedding_dim=8, filter_sizes=(2,), max_iter=2, max_length=5
    ).fit(DOCS, LABELS)
    served = sktext.OnnxTextClassifier(sktext.export_onnx(clf, tmp_path / "m.onnx")[0])
    assert served.max_length_ == 5
    assert all(len(ids) <= 5 for ids in served.transform(DOCS))
    assert np.abs(served.predict_proba(DOCS) - clf.predict_proba(DOCS)).max() <= 1e-5


def test_onnx_export_refusals(tmp_path):
    with pytest.raises(TypeError, match="to_sklearn"):
        sktext.export_onnx(
            sktext.MLPClassifier(max_iter=2).fit(*make_classification(30, random_state=0)),
            tmp_path / "m.onnx",
        )
    reg = sktext.TextCNNRegressor(num_filters=2, filter_sizes=(2,), max_iter=1)
    with pytest.raises(TypeError, match="single-label classifiers"):
        sktext.export_onnx(reg.fit(DOCS, np.arange(len(DOCS), dtype=float)), tmp_path / "m.onnx")
    clf = sktext.TextCNNClassifier(tokenizer=str.split, num_filters=2, filter_sizes=(2,))
    with pytest.raises(TypeError, match="custom tokenizer"):
        sktext.export_onnx(clf.fit(DOCS, LABELS), tmp_path / "m.onnx")
