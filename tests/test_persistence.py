"""Safe model files (sktext.save / sktext.load): round trips and tampered files."""

import inspect
import io
import json
import os
import pickle
import re
import shutil
import sys
import warnings
import zipfile

import numpy as np
import pandas as pd
import pytest
import torch
from safetensors.torch import load as load_tensors
from safetensors.torch import save as save_tensors
from sklearn.base import BaseEstimator, clone, is_classifier, is_regressor
from sklearn.datasets import make_classification, make_regression
from sklearn.exceptions import ConvergenceWarning, NotFittedError
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import make_pipeline

import sktext
import sktext.embeddings
import sktext.neural_network
import sktext.preprocessing
from sktext._persistence import UnsafeModelError
from sktext.neural_network._custom import MeanEmbeddingModule
from sktext.utils._testing import make_topic_corpus, tiny_transformer_path

pytestmark = [
    pytest.mark.usefixtures("one_torch_thread"),  # tests/conftest.py
    pytest.mark.filterwarnings(
        "ignore::sklearn.exceptions.ConvergenceWarning",
        "ignore::sktext.embeddings.EmptyDocumentWarning",
    ),
]


DOCS, LABELS = make_topic_corpus(60)
X_NUM, Y_NUM = make_classification(n_samples=80, n_features=10, random_state=0)

# Small settings so that each fit takes a fraction of a second; estimators not listed
# here are fitted with their defaults (so a new estimator is still round-tripped).
SMALL_PARAMS = {
    "MLPClassifier": dict(hidden_layer_sizes=(8,), max_iter=5, random_state=0),
    "MLPRegressor": dict(hidden_layer_sizes=(8,), max_iter=5, random_state=0),
    "TextCNNClassifier": dict(
        num_filters=4, embedding_dim=8, filter_sizes=(2, 3), max_iter=2, random_state=0
    ),
    "TextCNNRegressor": dict(
        num_filters=4, embedding_dim=8, filter_sizes=(2, 3), max_iter=2, random_state=0
    ),
    "LSTMClassifier": dict(hidden_size=4, embedding_dim=8, max_iter=2, random_state=0),
    "LSTMRegressor": dict(hidden_size=4, embedding_dim=8, max_iter=2, random_state=0),
    "TransformerClassifier": dict(
        model=tiny_transformer_path(), max_iter=1, batch_size=16, random_state=0
    ),
    "SentenceEncoder": dict(model=tiny_transformer_path()),
    "TransformerRegressor": dict(
        model=tiny_transformer_path(), max_iter=1, batch_size=16, random_state=0
    ),
    "NeuralTextClassifier": dict(
        module=MeanEmbeddingModule, module_params={"embedding_dim": 8}, max_iter=2
    ),
    "NeuralTextRegressor": dict(
        module=MeanEmbeddingModule, module_params={"embedding_dim": 8}, max_iter=2
    ),
    "Word2VecTransformer": dict(vector_size=8, min_count=1, epochs=2, workers=1, random_state=0),
    "GloVeTransformer": dict(vector_size=8, min_count=1, epochs=3, batch_size=256),
    "FastTextTransformer": dict(
        vector_size=8, min_count=1, epochs=2, bucket=500, workers=1, random_state=0
    ),
    "OutOfFoldPredictions": dict(estimator=LogisticRegression()),
    "DistilledClassifier": dict(
        teacher=sktext.TextCNNClassifier(num_filters=4, embedding_dim=8, max_iter=2),
        student=sktext.TextCNNClassifier(num_filters=2, embedding_dim=8, max_iter=2),
        augmenter=sktext.preprocessing.TextAugmenter(n_copies=1),
        random_state=0,
    ),
    "DistilledRegressor": dict(
        teacher=sktext.TextCNNRegressor(num_filters=4, embedding_dim=8, max_iter=2),
        student=make_pipeline(
            TfidfVectorizer(), sktext.MLPRegressor(hidden_layer_sizes=(4,), max_iter=3)
        ),
        augmenter=sktext.preprocessing.TextAugmenter(n_copies=1),
        random_state=0,
    ),
}
# the input of the estimators that take neither documents nor a numeric matrix
DATES = pd.DataFrame({"t": pd.date_range("2016-01-01", periods=50, freq="17h").insert(3, pd.NaT)})


def _public_estimators():
    """Every estimator class sktext exports (top level and subpackages)."""
    found = {}
    for package in (sktext, sktext.neural_network, sktext.embeddings, sktext.preprocessing):
        for name in package.__all__:
            obj = getattr(package, name)
            # (TextAugmenter is a parameter object: saved inside the distillers)
            if inspect.isclass(obj) and issubclass(obj, BaseEstimator) and hasattr(obj, "fit"):
                found[name] = obj
    return [found[name] for name in sorted(found)]


def _make(cls):
    params = SMALL_PARAMS.get(cls.__name__, {})
    accepted = inspect.signature(cls).parameters
    return cls(**{k: v for k, v in params.items() if k in accepted})


def _fit_data(estimator):
    if type(estimator).__name__ == "DatetimeFeatures":
        return DATES, None
    text = estimator.__sklearn_tags__().input_tags.string
    if is_regressor(estimator):
        if text:
            rng = np.random.default_rng(0)
            return DOCS, rng.normal(size=len(DOCS))
        X, y = make_regression(n_samples=80, n_features=10, random_state=0)
        return X, y
    return (DOCS, LABELS) if text else (X_NUM, Y_NUM)


def _outputs(estimator, X):
    """Everything the fitted estimator computes on X."""
    out = {}
    for method in ("predict_proba", "predict", "transform", "decision_function"):
        if hasattr(estimator, method):
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                out[method] = np.asarray(getattr(estimator, method)(X))
    return out


def _round_trip(estimator, tmp_path, **kwargs):
    path = tmp_path / "model.sktext"
    sktext.save(estimator, path, **kwargs)
    return sktext.load(path)


def _assert_same_outputs(a, b, X):
    out_a, out_b = _outputs(a, X), _outputs(b, X)
    assert out_a, f"{type(a).__name__} has no prediction method"
    assert out_a.keys() == out_b.keys()
    for method in out_a:
        np.testing.assert_array_equal(out_a[method], out_b[method], err_msg=method)


def test_discovers_every_exported_estimator():
    names = {cls.__name__ for cls in _public_estimators()}
    assert {"MLPClassifier", "TextCNNClassifier", "Word2VecTransformer"} <= names


@pytest.mark.parametrize("cls", _public_estimators(), ids=lambda c: c.__name__)
def test_round_trip_every_estimator(cls, tmp_path, no_unpickling):
    estimator = _make(cls)
    X, y = _fit_data(estimator)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        estimator.fit(X, y)
    loaded = _round_trip(estimator, tmp_path)
    assert type(loaded) is cls
    assert loaded is not estimator
    # the same parameters (compared through the JSON-able repr of get_params)
    assert repr(loaded.get_params()) == repr(estimator.get_params())
    _assert_same_outputs(estimator, loaded, X)
    # the loaded estimator is an ordinary estimator: it clones, and still refits
    clone(loaded)
    if hasattr(estimator, "classes_"):
        np.testing.assert_array_equal(loaded.classes_, estimator.classes_)


@pytest.mark.parametrize("cls", _public_estimators(), ids=lambda c: c.__name__)
def test_round_trip_unfitted(cls, tmp_path):
    estimator = _make(cls)
    loaded = _round_trip(estimator, tmp_path)
    assert repr(loaded.get_params()) == repr(estimator.get_params())
    method = "predict" if hasattr(loaded, "predict") else "transform"
    with pytest.raises(NotFittedError):
        getattr(loaded, method)(_fit_data(estimator)[0][:2])


def test_pipeline_with_scikit_learn_steps(tmp_path, no_unpickling):
    pipe = make_pipeline(
        TfidfVectorizer(sublinear_tf=True, dtype=np.float32),
        sktext.MLPClassifier(hidden_layer_sizes=(8,), max_iter=5, random_state=0),
    ).fit(DOCS, LABELS)
    loaded = _round_trip(pipe, tmp_path)
    assert loaded.steps[0][1].vocabulary_ == pipe.steps[0][1].vocabulary_
    assert loaded.steps[0][1].dtype is np.float32
    _assert_same_outputs(pipe, loaded, DOCS + ["an unseen word"])

    embed = make_pipeline(
        sktext.Word2VecTransformer(vector_size=8, min_count=1, epochs=2, workers=1, random_state=0),
        LogisticRegression(),
    ).fit(DOCS, LABELS)
    loaded = _round_trip(embed, tmp_path)
    wv, wv_loaded = embed[0].wv_, loaded[0].wv_
    assert wv_loaded.index_to_key == wv.index_to_key
    assert wv_loaded.most_similar("orbit", topn=3) == wv.most_similar("orbit", topn=3)
    _assert_same_outputs(embed, loaded, DOCS)


@pytest.mark.parametrize("task", ["binary", "multiclass", "regression"])
def test_histogram_gradient_boosting_round_trip(task, tmp_path, no_unpickling):
    from sklearn.ensemble import HistGradientBoostingClassifier, HistGradientBoostingRegressor

    X, y = make_classification(
        n_samples=300,
        n_features=5,
        n_informative=3,
        n_classes=3 if task == "multiclass" else 2,
        random_state=0,
    )
    X[::7, 1] = np.nan  # missing values take their own branch
    if task == "regression":
        model = HistGradientBoostingRegressor(max_iter=20, random_state=0)
        y = X[:, 0] * 2.0 + y
    else:
        model = HistGradientBoostingClassifier(max_iter=20, early_stopping=True, random_state=0)
    model.fit(X, y)
    loaded = _round_trip(model, tmp_path)
    _assert_same_outputs(model, loaded, X)
    np.testing.assert_array_equal(loaded.validation_score_, model.validation_score_)
    # the loss and the generator of feature subsampling continue as in the original
    more = dict(warm_start=True, max_iter=25, early_stopping=False)
    model.set_params(**more).fit(X, y)
    loaded.set_params(**more).fit(X, y)
    _assert_same_outputs(model, loaded, X)


def test_fasttext_vectors_round_trip_with_their_ngrams(tmp_path, no_unpickling):
    ft = sktext.FastTextTransformer(
        vector_size=8, min_count=1, epochs=2, bucket=500, workers=1, random_state=0
    ).fit(DOCS)
    loaded = _round_trip(ft, tmp_path)
    wv, wv_loaded = ft.wv_, loaded.wv_
    assert type(wv_loaded) is type(wv)
    np.testing.assert_array_equal(wv_loaded.vectors_ngrams, wv.vectors_ngrams)
    np.testing.assert_array_equal(wv_loaded.vectors_vocab, wv.vectors_vocab)
    for saved, rebuilt in zip(wv.buckets_word, wv_loaded.buckets_word, strict=True):
        np.testing.assert_array_equal(saved, rebuilt)
    # unseen words get their vectors from the n-grams on both sides
    docs = DOCS + ["orbitt rockettes", "zzyzx"]
    np.testing.assert_array_equal(loaded.transform(docs), ft.transform(docs))
    assert loaded.transform(["zzyzx"]).any()
    assert wv_loaded.most_similar("orbit", topn=3) == wv.most_similar("orbit", topn=3)


def test_fasttext_ngram_matrix_smaller_than_bucket_is_refused(tmp_path):
    ft = sktext.FastTextTransformer(
        vector_size=8, min_count=1, epochs=1, bucket=500, workers=1, random_state=0
    ).fit(DOCS)
    path = tmp_path / "model.sktext"
    sktext.save(ft, path)
    with zipfile.ZipFile(path) as archive:
        document = json.loads(archive.read("model.json"))
        arrays = archive.read("arrays.safetensors")
    wv_state = document["root"]["state"]["wv_"]["state"]
    assert wv_state["bucket"] == 500
    wv_state["bucket"] = 10_000  # hashes up to 10,000 into a matrix of 500 rows
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("model.json", json.dumps(document))
        archive.writestr("arrays.safetensors", arrays)
    with pytest.raises(UnsafeModelError, match=r"n-gram vectors have shape \(500, 8\)"):
        sktext.load(path)


def test_pretrained_vectors_as_parameter(tmp_path):
    w2v = sktext.Word2VecTransformer(
        vector_size=8, min_count=1, epochs=2, workers=1, random_state=0
    )
    clf = sktext.TextCNNClassifier(
        embeddings=w2v.fit(DOCS).wv_, num_filters=4, filter_sizes=(2,), max_iter=2
    ).fit(DOCS, LABELS)
    loaded = _round_trip(clf, tmp_path)
    np.testing.assert_array_equal(loaded.embeddings.vectors, clf.embeddings.vectors)
    _assert_same_outputs(clf, loaded, DOCS)


def test_early_stopping_history_and_attributes(tmp_path):
    clf = sktext.MLPClassifier(
        hidden_layer_sizes=(8,), max_iter=6, early_stopping=True, random_state=0
    ).fit(X_NUM, np.where(Y_NUM == 1, "spam", "ham"))
    loaded = _round_trip(clf, tmp_path)
    assert loaded.validation_scores_ == clf.validation_scores_
    assert loaded.loss_curve_ == clf.loss_curve_
    assert loaded.history_[:, "train_loss"] == clf.history_[:, "train_loss"]
    assert loaded.classes_.tolist() == ["ham", "spam"]
    for a, b in zip(loaded.coefs_, clf.coefs_, strict=True):
        np.testing.assert_array_equal(a, b)


@pytest.mark.parametrize("sparse_input", [False, True])
def test_optimizer_state_continues_training_exactly(tmp_path, sparse_input):
    import scipy.sparse as sp

    X = sp.csr_matrix(np.maximum(X_NUM, 0)) if sparse_input else X_NUM
    clf = sktext.MLPClassifier(hidden_layer_sizes=(8,), max_iter=3, random_state=0)
    clf.fit(X, Y_NUM)
    loaded = _round_trip(clf, tmp_path, optimizer_state=True)
    fresh = _round_trip(clf, tmp_path, optimizer_state=False)
    for model in (clf, loaded, fresh):
        model.partial_fit(X, Y_NUM)
    np.testing.assert_array_equal(loaded.predict_proba(X), clf.predict_proba(X))
    # without the optimizer state the Adam moments restart, so the step differs
    assert not np.array_equal(fresh.predict_proba(X), clf.predict_proba(X))


def test_file_holds_only_json_and_safetensors(tmp_path):
    clf = sktext.TextCNNClassifier(num_filters=4, filter_sizes=(2,), max_iter=1).fit(DOCS, LABELS)
    path = tmp_path / "m.sktext"
    sktext.save(clf, path)
    with zipfile.ZipFile(path) as archive:
        assert sorted(archive.namelist()) == ["arrays.safetensors", "model.json"]
        document = json.loads(archive.read("model.json"))
        tensors = load_tensors(archive.read("arrays.safetensors"))
    assert document["format_version"] == sktext._persistence.FORMAT_VERSION
    state = document["root"]["state"]
    assert state["vectorizer_"]["state"]["vocabulary_"]["items"]["orbit"] >= 2
    assert state["classes_"]["values"] == ["space", "sport"]
    n_weights = sum(t.numel() for t in clf.module_.state_dict().values())
    assert sum(t.numel() for t in tensors.values()) >= n_weights


def test_save_refuses_what_it_cannot_hold(tmp_path):
    clf = sktext.TextCNNClassifier(tokenizer=str.split, max_iter=1, num_filters=2)
    with pytest.raises(TypeError, match="tokenizer.*safe format"):
        sktext.save(clf.fit(DOCS, LABELS), tmp_path / "m.sktext")

    def my_tokenizer(doc):
        return doc.split()

    clf.set_params(tokenizer=my_tokenizer)
    with pytest.raises(TypeError, match="function .*my_tokenizer"):
        sktext.save(clf.fit(DOCS, LABELS), tmp_path / "m.sktext")


def test_cuda_file_loads_on_cpu(tmp_path):
    clf = sktext.MLPClassifier(hidden_layer_sizes=(4,), max_iter=2).fit(X_NUM, Y_NUM)
    path = tmp_path / "m.sktext"
    sktext.save(clf, path)
    _rewrite_json(path, lambda text: text.replace('"device": "cpu"', '"device": "cuda"'))
    if torch.cuda.is_available():
        pytest.skip("tests the CPU-only fallback")
    with pytest.warns(UserWarning, match="CUDA is not available"):
        loaded = sktext.load(path)
    assert str(loaded.net_.device) == "cpu"
    np.testing.assert_array_equal(loaded.predict_proba(X_NUM), clf.predict_proba(X_NUM))


# ------------------------------------------------------------------ tampered files
def _rewrite_json(path, edit):
    with zipfile.ZipFile(path) as archive:
        text = archive.read("model.json").decode()
        arrays = archive.read("arrays.safetensors")
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("model.json", edit(text))
        archive.writestr("arrays.safetensors", arrays)


@pytest.fixture
def saved_mlp(tmp_path):
    clf = sktext.MLPClassifier(hidden_layer_sizes=(4,), max_iter=2).fit(X_NUM, Y_NUM)
    path = tmp_path / "m.sktext"
    sktext.save(clf, path)
    return path


EVIL_MODULES = ("evil_module", "sklearnx_evil", "sktextevil", "numpyevil", "torchevil")


@pytest.fixture
def booby_trapped_modules(tmp_path, monkeypatch):
    """Importable modules that leave a marker file when imported; returns the marker."""
    marker = tmp_path / "ran"
    code = f"open({str(marker)!r}, 'w').close()\nclass Evil:\n    pass\n"
    for name in EVIL_MODULES:
        (tmp_path / f"{name}.py").write_text(code)
    monkeypatch.syspath_prepend(str(tmp_path))
    yield marker
    for name in EVIL_MODULES:
        sys.modules.pop(name, None)


ROOT_CLASS = '"class": "sktext.neural_network._mlp:MLPClassifier"'


@pytest.mark.parametrize(
    "replacement",
    [
        '"class": "evil_module:Evil"',
        '"class": "sktextevil:Evil"',  # a look-alike of the sktext prefix
        '"class": "sklearnx_evil:Evil"',
        '"class": "os:system"',
        '"class": "builtins:eval"',
    ],
)
def test_class_outside_allow_list_is_refused_before_import(
    saved_mlp, booby_trapped_modules, replacement, no_unpickling
):
    _rewrite_json(saved_mlp, lambda text: text.replace(ROOT_CLASS, replacement))
    with pytest.raises(UnsafeModelError, match="allow-list"):
        sktext.load(saved_mlp)
    assert not booby_trapped_modules.exists()


@pytest.mark.parametrize(
    "name, kind",
    [
        ("numpyevil:Evil", "numpy_scalar_type"),
        ("torchevil:Evil", "module"),
        ("sktextevil:Evil", "estimator"),
        ("evil_module:Evil", "hf_model"),
    ],
)
def test_look_alike_packages_are_not_imported(booby_trapped_modules, name, kind):
    from sktext._persistence import _resolve

    with pytest.raises(UnsafeModelError, match="allow-list"):
        _resolve(name, kind, frozenset())
    assert not booby_trapped_modules.exists()


def test_trusted_lets_a_named_class_in(saved_mlp, booby_trapped_modules):
    _rewrite_json(saved_mlp, lambda text: text.replace(ROOT_CLASS, '"class": "evil_module:Evil"'))
    with pytest.raises(UnsafeModelError, match="allow-list"):
        sktext.load(saved_mlp, trusted=["other_module:Evil"])
    assert not booby_trapped_modules.exists()
    # explicitly trusting it imports it (the user's choice)
    assert type(sktext.load(saved_mlp, trusted=["evil_module:Evil"])).__name__ == "Evil"
    assert booby_trapped_modules.exists()


@pytest.mark.parametrize(
    "old, new, message",
    [
        # an allowed module, but not an estimator class
        (ROOT_CLASS, '"class": "sktext.utils._safety:UnsafeModelError"', "not an allowed class"),
        # a function outside the allow-list where skorch expects its iterator
        (
            '"name": "sktext.neural_network._data:make_loader"',
            '"name": "os:system"',
            "function 'os:system'",
        ),
        # a module class that is not a torch module
        (
            '"name": "sktext.nn._mlp:MLP"',
            '"name": "sklearn.pipeline:Pipeline"',
            "as a 'module' class, which is not in",
        ),
        ('"kind": "module"', '"kind": "function"', "not allowed"),
        ('"__type__": "tuple"', '"__type__": "pickle"', "unknown entry type"),
        ('"__type__": "tuple", "items": [', '"__type__": "tuple", "items": 3, "x": [', "Malformed"),
        ('"dtype": "<i8"', '"dtype": "|O"', "not allowed"),
    ],
)
def test_tampered_entries_give_clear_errors(saved_mlp, old, new, message, no_unpickling):
    _rewrite_json(saved_mlp, lambda text: text.replace(old, new, 1))
    with pytest.raises(UnsafeModelError, match=message):
        sktext.load(saved_mlp)


def test_wrong_shapes_are_refused(saved_mlp):
    with zipfile.ZipFile(saved_mlp) as archive:
        text = archive.read("model.json")
        tensors = load_tensors(archive.read("arrays.safetensors"))
    # a weight matrix of another shape (the JSON still says the old one)
    key = max(tensors, key=lambda k: tensors[k].numel())
    tensors[key] = torch.zeros(3, 3)
    with zipfile.ZipFile(saved_mlp, "w") as archive:
        archive.writestr("model.json", text)
        archive.writestr("arrays.safetensors", save_tensors(tensors))
    with pytest.raises(UnsafeModelError, match="shape"):
        sktext.load(saved_mlp)


def test_json_and_weights_disagreeing_with_the_network(saved_mlp):
    # consistent file, but a hidden layer size that does not fit the saved weights
    _rewrite_json(
        saved_mlp, lambda text: text.replace('"module__n_features": 10', '"module__n_features": 11')
    )
    with pytest.raises(UnsafeModelError, match="do not fit"):
        sktext.load(saved_mlp)


class _Payload:
    def __init__(self, marker):
        self.marker = marker

    def __reduce__(self):
        return (open, (self.marker, "w"))


def test_pickle_payload_is_never_unpickled(tmp_path):
    marker = str(tmp_path / "ran")
    payload = pickle.dumps(_Payload(marker))
    # a pickle file passed as a model file
    (tmp_path / "model.pkl").write_bytes(payload)
    with pytest.raises(UnsafeModelError, match="not a zip archive"):
        sktext.load(tmp_path / "model.pkl")
    # a pickle in place of the arrays
    with zipfile.ZipFile(tmp_path / "m.sktext", "w") as archive:
        archive.writestr("model.json", json.dumps({"format": "sktext-safe-model"}))
        archive.writestr("arrays.safetensors", payload)
    with pytest.raises(UnsafeModelError, match="corrupt"):
        sktext.load(tmp_path / "m.sktext")
    # an extra member in the archive
    with zipfile.ZipFile(tmp_path / "m.sktext", "a") as archive:
        archive.writestr("payload.pkl", payload)
    with pytest.raises(UnsafeModelError, match="not an sktext safe model file"):
        sktext.load(tmp_path / "m.sktext")
    assert not os.path.exists(marker)


def test_newer_format_version_is_refused(saved_mlp):
    _rewrite_json(
        saved_mlp, lambda text: text.replace('"format_version": 1', '"format_version": 99')
    )
    with pytest.raises(UnsafeModelError, match="Upgrade sktext"):
        sktext.load(saved_mlp)


def test_predictions_match_pickle(tmp_path):
    """The safe file gives the same model as a pickle does (which the tests trust)."""
    clf = sktext.LSTMClassifier(hidden_size=4, embedding_dim=8, max_iter=2, random_state=0)
    clf.fit(DOCS, LABELS)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        unpickled = pickle.loads(pickle.dumps(clf))
    _assert_same_outputs(unpickled, _round_trip(clf, tmp_path), DOCS)
    assert is_classifier(unpickled)


def test_skops_refuses_sktext_nets(tmp_path):
    """skops would unpickle the net's torch bytes unchecked; sktext's nets refuse it."""
    sio = pytest.importorskip("skops.io")
    clf = sktext.MLPClassifier(hidden_layer_sizes=(4,), max_iter=2).fit(X_NUM, Y_NUM)
    data = sio.dumps(clf)
    # swap a payload into the bytes skops keeps (the attack): no new type is listed
    marker = str(tmp_path / "ran")
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        members = {name: archive.read(name) for name in archive.namelist()}
    (blob,) = [name for name in members if name.endswith(".bin")]
    members[blob] = pickle.dumps(_Payload(marker))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, content in members.items():
            archive.writestr(name, content)
    tampered = buffer.getvalue()
    assert sio.get_untrusted_types(data=tampered) == sio.get_untrusted_types(data=data)
    with pytest.raises(UnsafeModelError, match="sktext.save"):
        sio.loads(tampered, trusted=sio.get_untrusted_types(data=tampered))
    assert not os.path.exists(marker)
    # pickle (the user's choice) still works
    np.testing.assert_array_equal(
        pickle.loads(pickle.dumps(clf)).predict(X_NUM), clf.predict(X_NUM)
    )


def test_multilabel_round_trip(tmp_path):
    Y = np.c_[Y_NUM, 1 - Y_NUM, X_NUM[:, 0] > 0].astype(int)
    clf = sktext.MLPClassifier(hidden_layer_sizes=(8,), max_iter=5, random_state=0).fit(X_NUM, Y)
    loaded = _round_trip(clf, tmp_path)
    assert loaded.out_activation_ == "logistic"
    _assert_same_outputs(clf, loaded, X_NUM)


def test_user_module_needs_trust(tmp_path, monkeypatch):
    """A user's own torch module is written by name and built only when trusted."""
    source = (
        "from sktext.neural_network._custom import MeanEmbeddingModule\n"
        "class MyNet(MeanEmbeddingModule):\n    pass\n"
    )
    (tmp_path / "my_nets.py").write_text(source)
    monkeypatch.syspath_prepend(str(tmp_path))
    import my_nets

    clf = sktext.NeuralTextClassifier(my_nets.MyNet, {"embedding_dim": 8}, max_iter=2)
    path = tmp_path / "m.sktext"
    sktext.save(clf.fit(DOCS, LABELS), path)
    with pytest.raises(UnsafeModelError, match=r"trusted=\['my_nets:MyNet'\]"):
        sktext.load(path)
    loaded = sktext.load(path, trusted=["my_nets:MyNet"])
    assert type(loaded.module_) is my_nets.MyNet
    _assert_same_outputs(clf, loaded, DOCS)
    sys.modules.pop("my_nets", None)


def test_dataframe_pipeline_with_column_selectors_saved_safely(tmp_path, no_unpickling):
    """The usual scikit-learn model over a frame: a ColumnTransformer whose columns are
    chosen by name and by dtype (make_column_selector), with a remainder, into an MLP."""
    from sklearn.compose import ColumnTransformer, make_column_selector
    from sklearn.preprocessing import OneHotEncoder, StandardScaler

    rng = np.random.RandomState(0)
    frame = pd.DataFrame(
        {
            "text": DOCS,
            "shop": pd.Categorical(rng.choice(["a", "b", "c"], len(DOCS))),
            "price": rng.lognormal(size=len(DOCS)),
            "flag": rng.rand(len(DOCS)) > 0.5,
        }
    )
    encode = ColumnTransformer(
        [
            ("text", TfidfVectorizer(), "text"),
            (
                "shop",
                OneHotEncoder(handle_unknown="ignore"),
                make_column_selector(dtype_include="category"),
            ),
            ("price", StandardScaler(), make_column_selector(dtype_include="number")),
        ],
        remainder="passthrough",  # the flag, through a slice of the output
    )
    model = make_pipeline(encode, sktext.MLPClassifier(hidden_layer_sizes=(8,), max_iter=5))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        model.fit(frame, LABELS)
    path = tmp_path / "frame.sktext"
    sktext.save(model, path)
    loaded = sktext.load(path)
    shuffled = frame.iloc[::-1, ::-1]  # other rows, columns in another order
    np.testing.assert_array_equal(loaded.predict_proba(shuffled), model.predict_proba(shuffled))
    selector = loaded[0].transformers[1][2]  # the parameter; transformers_ holds its columns
    assert isinstance(selector, make_column_selector) and selector(frame) == ["shop"]


def test_user_callback_needs_trust_and_runs_only_in_a_later_fit(tmp_path):
    """skorch's Checkpoint, a user's callback, loads only when trusted, and works then."""
    from skorch.callbacks import Checkpoint

    folder = tmp_path / "checkpoints"
    clf = sktext.TextCNNClassifier(
        embedding_dim=8,
        num_filters=4,
        max_iter=1,
        random_state=0,
        callbacks=[("ckpt", Checkpoint(dirname=str(folder), monitor=None))],
    ).fit(DOCS, LABELS)
    path = tmp_path / "m.sktext"
    sktext.save(clf, path)
    name = "skorch.callbacks.training:Checkpoint"
    with pytest.raises(UnsafeModelError, match=re.escape(f"trusted=[{name!r}]")):
        sktext.load(path)
    loaded = sktext.load(path, trusted=[name])
    _assert_same_outputs(clf, loaded, DOCS)
    (_, checkpoint), *_ = loaded.callbacks
    assert isinstance(checkpoint, Checkpoint) and checkpoint.dirname == str(folder)
    shutil.rmtree(folder)  # what the first fit wrote
    loaded.fit(DOCS, LABELS)
    assert (folder / "params.pt").exists()  # the user's callback runs in the user's fit


def test_user_functions_are_saved_by_name_and_need_trust(tmp_path, monkeypatch):
    """A callback's function (its ``sink``) is written by name and resolved only when trusted;
    one without an importable name is refused when saving."""
    from skorch.callbacks import EarlyStopping

    (tmp_path / "my_sinks.py").write_text("def report(*args):\n    pass\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    import my_sinks

    def fitted(sink):
        stopping = EarlyStopping(monitor="train_loss", sink=sink)
        return sktext.TextCNNClassifier(
            embedding_dim=8, num_filters=4, max_iter=1, callbacks=[("stop", stopping)]
        ).fit(DOCS, LABELS)

    path = tmp_path / "m.sktext"
    sktext.save(fitted(my_sinks.report), path)
    stopping = "skorch.callbacks.training:EarlyStopping"
    with pytest.raises(UnsafeModelError, match=re.escape(f"trusted=[{stopping!r}]")):
        sktext.load(path)
    with pytest.raises(UnsafeModelError, match=r"the function 'my_sinks:report'"):
        sktext.load(path, trusted=[stopping])
    loaded = sktext.load(path, trusted=[stopping, "my_sinks:report"])
    assert loaded.callbacks[0][1].sink is my_sinks.report
    sys.modules.pop("my_sinks", None)
    with pytest.raises(TypeError, match="no name to import it by"):
        sktext.save(fitted(lambda *args: None), tmp_path / "lambda.sktext")
    # a built-in function (EarlyStopping's default sink) by name too; a bound method is not
    sktext.save(fitted(print), path)
    with pytest.raises(UnsafeModelError, match=r"the function 'builtins:print'"):
        sktext.load(path, trusted=[stopping])
    assert sktext.load(path, trusted=[stopping, "builtins:print"]).callbacks[0][1].sink is print
    with pytest.raises(TypeError, match="cannot hold"):
        sktext.save(fitted([].append), tmp_path / "method.sktext")


FIXTURES = os.path.join(os.path.dirname(__file__), "fixtures", "models_0.1.0")


def _saved_models():
    with open(os.path.join(FIXTURES, "expected.json")) as f:
        return json.load(f)["models"]


@pytest.mark.parametrize("name", sorted(_saved_models()))
def test_files_of_earlier_versions_load(name, no_unpickling):
    """Files written before sktext's private modules moved (tests/fixtures/
    make_saved_models.py, run once on 2026-12-05) load and predict as they did."""
    expected = _saved_models()[name]
    model = sktext.load(os.path.join(FIXTURES, f"{name}.sktext"))
    X = expected["X"] if isinstance(expected["X"][0], str) else np.asarray(expected["X"])
    outputs = _outputs(model, X)
    assert outputs.keys() == expected["outputs"].keys()
    for method, values in expected["outputs"].items():
        if outputs[method].dtype.kind in "fc":
            np.testing.assert_allclose(outputs[method], values, rtol=1e-6, atol=1e-7)
        else:
            np.testing.assert_array_equal(outputs[method], values)
    if hasattr(model, "partial_fit"):  # the saved optimizer state is usable
        y = np.asarray(expected["outputs"]["predict"])
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            model.partial_fit(X, y)
        assert model.n_iter_ >= 1
