"""Training and prediction on a CUDA device: run by the first machine that has one.

The skip is decided at collection, from ``torch.cuda.is_available()``, never from inside
the code under test, so on a GPU machine every test here runs. ``SKTEXT_TEST_DEVICE=cpu``
runs the same tests on the CPU (to check the tests themselves on a machine without GPU).
"""

import importlib.util
import os
import pickle
import warnings

import numpy as np
import pytest
import scipy.sparse as sp
import torch
from sklearn.datasets import make_classification
from sklearn.exceptions import ConvergenceWarning

from sktext import LSTMClassifier, MLPClassifier, TextCNNClassifier
from sktext.utils._testing import make_sentiment_corpus

DEVICE = os.environ.get("SKTEXT_TEST_DEVICE", "cuda")

pytestmark = pytest.mark.skipif(
    DEVICE == "cuda" and not torch.cuda.is_available(), reason="needs a CUDA device"
)

DOCS, LABELS = make_sentiment_corpus(200, max_neutral=10)
TEST_DOCS, TEST_LABELS = make_sentiment_corpus(80, seed=1, max_neutral=10)


def _fit(clf, X, y, **kwargs):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        return clf.fit(X, y, **kwargs)


@pytest.fixture(scope="module")
def numeric():
    X, y = make_classification(
        n_samples=300, n_features=40, n_informative=10, class_sep=2.0, random_state=0
    )
    return X.astype(np.float32), y


def _on_device(clf):
    return {p.device.type for p in clf.module_.parameters()} == {torch.device(DEVICE).type}


def _roundtrip(clf, X):
    restored = pickle.loads(pickle.dumps(clf))
    assert _on_device(restored)
    np.testing.assert_allclose(restored.predict_proba(X), clf.predict_proba(X), atol=1e-7)
    return restored


def _classifiers():
    return [
        pytest.param(
            lambda: MLPClassifier(
                hidden_layer_sizes=(16,), max_iter=50, learning_rate_init=0.01, random_state=0
            ),
            "dense",
            id="mlp-dense",
        ),
        pytest.param(
            lambda: MLPClassifier(
                hidden_layer_sizes=(16,), max_iter=50, learning_rate_init=0.01, random_state=0
            ),
            "sparse",
            id="mlp-sparse",
        ),
        pytest.param(
            lambda: TextCNNClassifier(
                num_filters=8,
                embedding_dim=16,
                filter_sizes=(2, 3),
                max_iter=10,
                learning_rate_init=0.01,
                early_stopping=False,
                random_state=0,
            ),
            "text",
            id="textcnn",
        ),
        pytest.param(
            lambda: LSTMClassifier(
                hidden_size=8,
                embedding_dim=12,
                max_iter=8,
                learning_rate_init=0.02,
                early_stopping=False,
                random_state=0,
            ),
            "text",
            id="lstm",
        ),
    ]


def _data(kind, numeric):
    if kind == "text":
        return DOCS, LABELS, TEST_DOCS, TEST_LABELS
    X, y = numeric
    if kind == "sparse":
        X = sp.csr_matrix(np.where(X > 0.5, X, 0.0))
    return X[:200], y[:200], X[200:], y[200:]


@pytest.mark.parametrize("make, kind", _classifiers())
def test_fit_predict_pickle_and_determinism_on_the_device(make, kind, numeric):
    X, y, X_test, y_test = _data(kind, numeric)
    clf = _fit(make().set_params(device=DEVICE), X, y)
    assert str(clf.net_.device) == DEVICE and _on_device(clf)
    if kind == "sparse":
        assert clf.module_.input_layer.sparse_grad  # CatchUpAdam's sparse path on the device
    assert clf.score(X, y) > 0.9  # it learns on the device
    proba = clf.predict_proba(X_test)
    # scikit-learn's output dtypes: the MLPs fitted and asked on float32 give float32
    assert proba.dtype == (np.float64 if kind == "text" else np.float32)
    assert np.isfinite(proba).all()
    _roundtrip(clf, X_test)
    # same seed, same model: GPU kernels may sum in another order (atomic adds), so the
    # agreement is to float32 rounding rather than bit for bit
    again = _fit(make().set_params(device=DEVICE), X, y)
    np.testing.assert_allclose(again.predict_proba(X_test), proba, rtol=1e-4, atol=1e-5)
    # and the same model as on the CPU, up to rounding accumulated over the epochs, once
    # dropout (drawn from the device's generator) is off
    no_dropout = dict(dropout=0.0, **({"word_dropout": 0.0} if kind == "text" else {}))
    on_device = _fit(make().set_params(device=DEVICE, **no_dropout), X, y)
    on_cpu = _fit(make().set_params(device="cpu", **no_dropout), X, y)
    np.testing.assert_allclose(
        on_cpu.predict_proba(X_test), on_device.predict_proba(X_test), atol=1e-3
    )


def test_warm_start_stays_on_the_device_and_refuses_another(numeric):
    X, y = numeric
    clf = _fit(MLPClassifier(max_iter=2, warm_start=True, random_state=0, device=DEVICE), X, y)
    _fit(clf, X, y)
    assert len(clf.loss_curve_) == 4 and _on_device(clf)
    clf.partial_fit(X, y)
    assert len(clf.loss_curve_) == 5 and _on_device(clf)
    if DEVICE != "cpu":
        clf.set_params(device="cpu")
        with pytest.raises(ValueError, match="continuing training on 'cpu' is not supported"):
            clf.fit(X, y)


def test_model_pickled_on_the_device_loads_on_a_cpu_only_machine(numeric, monkeypatch):
    X, y = numeric
    clf = _fit(MLPClassifier(max_iter=3, random_state=0, device=DEVICE), X, y)
    expected = clf.predict_proba(X)
    payload = pickle.dumps(clf)
    monkeypatch.setattr(torch.cuda, "is_available", lambda: False)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)  # skorch: "mapping to CPU"
        restored = pickle.loads(payload)
    assert str(restored.net_.device) == "cpu"
    np.testing.assert_allclose(restored.predict_proba(X), expected, rtol=1e-5, atol=1e-6)


def test_auto_device_picks_the_gpu(numeric):
    if DEVICE == "cpu":
        pytest.skip("device='auto' is the CPU here by construction")
    X, y = numeric
    clf = _fit(MLPClassifier(max_iter=2, device="auto"), X, y)
    assert str(clf.net_.device) == "cuda" and _on_device(clf)


@pytest.mark.skipif(importlib.util.find_spec("transformers") is None, reason="transformers")
@pytest.mark.parametrize("mixed_precision", [None, "fp16", "bf16"])
def test_transformer_classifier_on_the_device(mixed_precision):
    from sktext import TransformerClassifier
    from sktext.utils._testing import make_topic_corpus, tiny_transformer_path

    if mixed_precision == "fp16" and DEVICE == "cpu":
        pytest.skip("fp16 autocast is a GPU feature")
    docs, labels = make_topic_corpus(80)
    make = lambda: TransformerClassifier(  # noqa: E731
        model=tiny_transformer_path(),
        max_iter=3,
        batch_size=16,
        learning_rate_init=3e-3,
        mixed_precision=mixed_precision,
        device=DEVICE,
        random_state=0,
    )
    clf = _fit(make(), docs, labels)
    assert _on_device(clf)
    proba = clf.predict_proba(docs)
    assert np.isfinite(proba).all()
    assert clf.score(docs, labels) > 0.8
    _roundtrip(clf, docs)
    again = _fit(make(), docs, labels)
    atol = 1e-5 if mixed_precision is None else 1e-2
    np.testing.assert_allclose(again.predict_proba(docs), proba, atol=atol)


def test_coefs_are_views_on_the_cpu_read_only_copies_elsewhere_and_assignable(numeric):
    X, y = numeric
    clf = _fit(
        MLPClassifier(hidden_layer_sizes=(8,), max_iter=2, random_state=0, device=DEVICE), X, y
    )
    before = clf.predict_proba(X)
    if torch.device(DEVICE).type == "cpu":
        clf.coefs_[1][:] = 0
        assert not np.allclose(clf.predict_proba(X), before)
    else:  # an edit of a copy would be lost: it raises instead
        with pytest.raises(ValueError, match="read-only"):
            clf.coefs_[1][:] = 0
        np.testing.assert_array_equal(clf.predict_proba(X), before)
    # assigning copies the arrays into the network on any device
    clf.coefs_ = [clf.coefs_[0], np.zeros_like(clf.coefs_[1])]
    clf.intercepts_ = [clf.intercepts_[0], np.array([0.0, 1.0])]
    expected = np.exp([0.0, 1.0]) / np.exp([0.0, 1.0]).sum()
    np.testing.assert_allclose(clf.predict_proba(X), np.tile(expected, (len(X), 1)), rtol=1e-6)
    assert _on_device(clf)
