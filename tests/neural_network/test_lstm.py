import pickle
import warnings

import numpy as np
import pytest
import torch
from gensim.models import KeyedVectors
from sklearn.exceptions import ConvergenceWarning

from sktext import LSTMClassifier
from sktext.neural_network._callbacks import GradientNormClipping
from sktext.nn import TextRNN
from sktext.utils._testing import NEGATIVE, POSITIVE, make_sentiment_corpus

DOCS, LABELS = make_sentiment_corpus(200, max_neutral=10)
TEST_DOCS, TEST_LABELS = make_sentiment_corpus(80, seed=1, max_neutral=10)


def _small(**kwargs):
    params = dict(
        hidden_size=8,
        embedding_dim=12,
        max_iter=8,
        learning_rate_init=0.02,
        early_stopping=False,
        random_state=0,
    )
    params.update(kwargs)
    return LSTMClassifier(**params)


def _fit(clf, X=DOCS, y=LABELS, **kwargs):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        return clf.fit(X, y, **kwargs)


@pytest.fixture(scope="module")
def fitted():
    return _fit(_small())


@pytest.fixture(scope="module")
def keyed_vectors():
    rng = np.random.RandomState(0)
    words = POSITIVE + NEGATIVE + ["film", "movie", "the", "unused"]
    wv = KeyedVectors(vector_size=6)
    wv.add_vectors(words, rng.randn(len(words), 6).astype(np.float32))
    return wv


def test_learns_and_exposes_fitted_attributes(fitted):
    assert fitted.score(TEST_DOCS, TEST_LABELS) > 0.95
    assert fitted.classes_.tolist() == ["neg", "pos"]
    assert isinstance(fitted.module_, TextRNN)
    assert fitted.module_.cell == "lstm" and fitted.module_.num_directions == 2
    assert fitted.n_iter_ == len(fitted.loss_curve_) == 8
    assert fitted.loss_curve_[-1] < fitted.loss_curve_[0]
    assert fitted.embedding_coverage_ is None
    assert "clip_grad_norm" in dict(fitted.net_.callbacks_)
    proba = fitted.predict_proba(TEST_DOCS)
    assert proba.shape == (80, 2)
    np.testing.assert_allclose(proba.sum(axis=1), 1.0)


@pytest.mark.parametrize(
    "params",
    [
        dict(cell="gru", pooling="last"),
        dict(bidirectional=False, pooling="mean", num_layers=2, layer_dropout=0.2),
        dict(cell="gru", pooling="attention", embedding_dropout=0.1),
    ],
)
def test_architectures_learn(params):
    clf = _fit(_small(max_iter=25, **params))
    assert clf.score(TEST_DOCS, TEST_LABELS) > 0.9
    module = clf.module_
    assert module.cell == params.get("cell", "lstm")
    assert module.pooling == params["pooling"]
    assert module.rnn.num_layers == params.get("num_layers", 1)


def test_long_documents_predicted_in_bounded_batches(fitted):
    """predict_proba batches long documents in smaller batches (padded-token budget)."""
    # 1,501 tokens: below the default max_length (2000), nothing is truncated
    docs = ["great film"] * 300 + [" ".join(["film"] * 1500 + ["great"])] * 3
    seen = []
    embedding = fitted.module_.embedding  # reads the (batch, width) ids of each batch
    hook = embedding.register_forward_pre_hook(lambda m, args: seen.append(args[0].shape))
    try:
        proba = fitted.predict_proba(docs)
    finally:
        hook.remove()
    assert proba.shape == (303, 2) and np.isfinite(proba).all()
    assert max(rows * width for rows, width in seen) < 303 * 1501
    # within the inference budget (a document longer than it alone)
    budget = fitted.net_.iterator_valid__max_tokens
    assert all(rows * width <= budget or rows == 1 for rows, width in seen)
    assert any(width == 1501 for _, width in seen)


def test_empty_and_unknown_documents(fitted):
    module = fitted.module_.eval()
    with torch.no_grad():
        # an empty document is read as one padding token, whose vector is zero: its
        # pooled vector is the single step output of a zero input, whatever the pooling
        zero = torch.zeros(1, 1, module.embedding.embedding_dim)
        steps, _ = module.rnn(zero)  # (1, 1, 2 * hidden)
        empty = torch.softmax(module.output(steps[0, 0]), dim=0).numpy()
        # words outside the vocabulary are read as the unknown id (1)
        unknown = torch.softmax(module(torch.tensor([[1, 1]])), dim=1)[0].numpy()
    out = fitted.predict_proba(["", "qqq zzz", "zzz www"])
    np.testing.assert_allclose(out[0], empty, rtol=1e-5, atol=1e-7)
    np.testing.assert_allclose(out[1], unknown, rtol=1e-5, atol=1e-7)
    np.testing.assert_allclose(out[2], unknown, rtol=1e-5, atol=1e-7)
    assert not np.allclose(empty, unknown)


def test_gradient_clipping_bounds_the_update_and_can_be_turned_off():
    # one step of SGD without momentum: the update is lr * (clipped) gradient
    step = dict(solver="sgd", momentum=0.0, max_iter=1, batch_size=200)  # one batch
    before = _fit(_small(learning_rate_init=1e-12, clip_grad_norm=None, **step))
    start = {k: v.clone() for k, v in before.module_.state_dict().items()}
    deltas = {}
    for clip in (None, 0, 1e-3):
        clf = _fit(_small(learning_rate_init=1.0, clip_grad_norm=clip, **step))
        after = clf.module_.state_dict()
        squared = sum(((after[k] - start[k]) ** 2).sum() for k in start)
        deltas[clip] = float(squared.sqrt())
        assert ("clip_grad_norm" in dict(clf.net_.callbacks_)) == bool(clip)
    assert deltas[None] == pytest.approx(deltas[0]) and deltas[None] > 1e-2
    assert deltas[1e-3] == pytest.approx(1e-3, rel=1e-3)


def test_gradient_clipping_counts_sparse_rows_once():
    emb = torch.nn.Embedding(5, 2, sparse=True)
    with torch.no_grad():
        emb.weight.copy_(torch.arange(10.0).reshape(5, 2))
    emb(torch.tensor([1, 1, 2])).sum().backward()  # row 1 read twice: gradient (2, 2)
    dense = torch.nn.Parameter(torch.zeros(1))
    dense.grad = torch.tensor([1.0])
    params = [("embedding.weight", emb.weight), ("dense", dense)]
    GradientNormClipping(max_norm=0.5).on_grad_computed(None, params)
    norm = np.sqrt(2 * 2**2 + 2 * 1**2 + 1**2)  # rows 1 and 2, then the dense gradient
    grad = emb.weight.grad.to_dense()
    torch.testing.assert_close(grad[1], torch.tensor([2.0, 2.0]) * 0.5 / norm)
    torch.testing.assert_close(dense.grad, torch.tensor([float(0.5 / norm)]))


@pytest.mark.parametrize("mode", ["non-static", "static"])
def test_pretrained_keyed_vectors(keyed_vectors, mode):
    clf = _fit(_small(embeddings=keyed_vectors, embedding_mode=mode, max_iter=3))
    vocab = clf.vectorizer_.vocabulary_
    found = [w for w in vocab if w in keyed_vectors.key_to_index]
    assert clf.module_.embedding.embedding_dim == 6
    assert clf.embedding_coverage_ == pytest.approx(len(found) / len(vocab))
    start = torch.as_tensor(np.stack([keyed_vectors[w] for w in found]))
    weights = clf.module_.embedding.weight[[vocab[w] for w in found]]
    assert torch.allclose(weights, start) == (mode == "static")
    assert clf.module_.embedding.weight.requires_grad == (mode == "non-static")
    assert clf.net_.module__embeddings is None
    restored = pickle.loads(pickle.dumps(clf))
    np.testing.assert_array_equal(restored.predict_proba(DOCS), clf.predict_proba(DOCS))


def test_same_random_state_same_result_and_warm_start():
    a = _fit(_small(max_iter=2)).predict_proba(TEST_DOCS)
    b = _fit(_small(max_iter=2)).predict_proba(TEST_DOCS)
    np.testing.assert_array_equal(a, b)
    clf = _fit(_small(max_iter=2, warm_start=True))
    _fit(clf)
    assert clf.n_iter_ == 2 and len(clf.loss_curve_) == 4


def test_default_early_stopping_keeps_best_epoch(record_epochs, training_checks):
    clf = _fit(
        LSTMClassifier(
            hidden_size=8,
            embedding_dim=12,
            learning_rate_init=0.02,  # learns within the epochs early stopping allows
            random_state=0,
            callbacks=[("record", record_epochs)],
        )
    )
    assert clf.early_stopping and len(clf.validation_scores_) == clf.n_iter_
    assert clf.n_iter_ == training_checks.stop_epoch(
        clf.validation_scores_, tol=clf.tol, n_iter_no_change=clf.n_iter_no_change, maximize=True
    )
    training_checks.assert_best_epoch_restored(clf, record_epochs)


def test_bad_parameters():
    """The LSTM's own parameters (what every sequence model refuses: test_sequence_models)."""
    with pytest.raises(ValueError, match="embedding_mode"):
        _small(embedding_mode="multichannel").fit(DOCS, LABELS)
    with pytest.raises(ValueError, match="'cell' parameter"):
        _small(cell="rnn").fit(DOCS, LABELS)
    with pytest.raises(ValueError, match="'pooling' parameter"):
        _small(pooling="sum").fit(DOCS, LABELS)
    with pytest.raises(ValueError, match="'clip_grad_norm' parameter"):
        _small(clip_grad_norm=-1.0).fit(DOCS, LABELS)


def test_partial_fit_runs_one_epoch_per_call():
    clf = _small()
    with pytest.raises(ValueError, match="classes must be passed"):
        clf.partial_fit(DOCS, LABELS)
    for _ in range(8):
        clf.partial_fit(DOCS, LABELS, classes=["neg", "pos"])
    assert clf.n_iter_ == 1 and len(clf.loss_curve_) == 8 and clf.t_ == 8 * len(DOCS)
    assert clf.loss_curve_[-1] < clf.loss_curve_[0]
    assert clf.score(TEST_DOCS, TEST_LABELS) > 0.9
    with pytest.raises(ValueError, match="not the same"):
        clf.partial_fit(DOCS, LABELS, classes=["neg"])
