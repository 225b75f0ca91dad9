import pickle
import warnings

import numpy as np
import pytest
import torch
from gensim.models import KeyedVectors
from sklearn.base import clone
from sklearn.exceptions import ConvergenceWarning

from sktext import TextCNNClassifier
from sktext.embeddings import Word2VecTransformer
from sktext.neural_network._embedding_init import (
    pretrained_embedding_matrix,
    resolve_keyed_vectors,
)
from sktext.nn import TextCNN
from sktext.utils._testing import NEGATIVE, POSITIVE, make_sentiment_corpus

DOCS, LABELS = make_sentiment_corpus(240, max_neutral=13)
TEST_DOCS, TEST_LABELS = make_sentiment_corpus(100, seed=1, max_neutral=13)


def _small(**kwargs):
    params = dict(
        num_filters=8,
        embedding_dim=16,
        filter_sizes=(2, 3),
        max_iter=15,
        learning_rate_init=0.01,
        early_stopping=False,
        random_state=0,
    )
    params.update(kwargs)
    return TextCNNClassifier(**params)


def _fit(clf, X=DOCS, y=LABELS, **kwargs):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        return clf.fit(X, y, **kwargs)


@pytest.fixture(scope="module")
def fitted():
    return _fit(_small(n_iter_no_change=15))  # all 15 epochs, whatever the loss does


@pytest.fixture(scope="module")
def keyed_vectors():
    """8-d vectors for the sentiment words and some neutral ones ("plot" etc. missing)."""
    rng = np.random.RandomState(0)
    words = POSITIVE + NEGATIVE + ["film", "movie", "the", "unused"]
    wv = KeyedVectors(vector_size=8)
    wv.add_vectors(words, rng.randn(len(words), 8).astype(np.float32))
    return wv


def test_learns_and_exposes_fitted_attributes(fitted):
    assert fitted.score(TEST_DOCS, TEST_LABELS) > 0.95
    assert fitted.classes_.tolist() == ["neg", "pos"]
    assert isinstance(fitted.module_, TextCNN)
    assert set(POSITIVE) <= set(fitted.vectorizer_.vocabulary_)
    assert fitted.n_iter_ == len(fitted.loss_curve_) == 15
    assert fitted.loss_curve_[-1] < fitted.loss_curve_[0]
    assert fitted.embedding_coverage_ is None
    proba = fitted.predict_proba(TEST_DOCS)
    assert proba.shape == (100, 2)
    np.testing.assert_allclose(proba.sum(axis=1), 1.0)


def test_default_early_stopping_keeps_best_epoch(record_epochs, training_checks):
    clf = TextCNNClassifier(
        num_filters=8,
        embedding_dim=16,
        validation_fraction=0.2,  # the last epoch then scores below the best one
        random_state=0,
        callbacks=[("record", record_epochs)],
    )
    clf.fit(DOCS, LABELS)
    assert clf.validation_scores_[-1] < clf.best_validation_score_
    assert clf.early_stopping and len(clf.validation_scores_) == clf.n_iter_
    assert clf.n_iter_ == training_checks.stop_epoch(
        clf.validation_scores_, tol=clf.tol, n_iter_no_change=clf.n_iter_no_change, maximize=True
    )
    training_checks.assert_best_epoch_restored(clf, record_epochs)


def test_documents_shorter_than_widest_filter_empty_and_unknown(fitted):
    clf = _fit(_small(filter_sizes=(3, 4, 5), max_iter=3))
    out = clf.predict_proba(["great", "", "zzz qqq", "awful"])
    assert out.shape == (4, 2) and np.isfinite(out).all()
    module = fitted.module_.eval()
    with torch.no_grad():
        # an empty document reads only padding (zero vectors): each filter's one window
        # gives its bias, and the output layer reads the rectified biases
        biases = torch.cat([torch.relu(conv.bias) for conv in module.convs])
        empty = torch.softmax(module.output(biases), dim=0).numpy()
        # words outside the vocabulary are read as the unknown id (1)
        unknown = torch.softmax(module(torch.tensor([[1, 1]])), dim=1)[0].numpy()
    out = fitted.predict_proba(["", "qqq zzz", "zzz www"])
    np.testing.assert_allclose(out[0], empty, rtol=1e-5, atol=1e-7)
    np.testing.assert_allclose(out[1], unknown, rtol=1e-5, atol=1e-7)
    np.testing.assert_allclose(out[2], unknown, rtol=1e-5, atol=1e-7)
    assert not np.allclose(empty, unknown)  # the unknown-word vector is not padding


def test_max_length_truncates():
    clf = _fit(_small(max_length=3, max_iter=2))
    assert clf.vectorizer_.max_length == 3
    long_doc = "film movie plot " + " ".join(POSITIVE * 5)
    # only the first three (neutral) words are read
    np.testing.assert_allclose(
        clf.predict_proba([long_doc]), clf.predict_proba(["film movie plot"]), rtol=1e-6
    )


def test_max_norm_caps_output_weights():
    clf = _fit(_small(max_norm=0.5, learning_rate_init=0.05))
    norms = clf.module_.output.weight.detach().norm(dim=1)
    assert (norms <= 0.5 + 1e-5).all()
    free = _fit(_small(max_norm=None, learning_rate_init=0.05))
    assert free.module_.output.weight.detach().norm(dim=1).max() > 0.5
    assert "max_norm" not in dict(free.net_.callbacks_)


def test_warm_start_grows_vocabulary_and_continues():
    clf = _fit(_small(max_iter=2, warm_start=True))
    vocab = dict(clf.vectorizer_.vocabulary_)
    _fit(clf, DOCS[:50] + ["brand new words"], np.r_[LABELS[:50], ["pos"]])
    grown = clf.vectorizer_.vocabulary_
    assert {w: grown[w] for w in vocab} == vocab  # known words keep their ids
    assert set(grown) - set(vocab) == {"brand", "new", "words"} - set(vocab)
    assert clf.n_iter_ == 2 and len(clf.loss_curve_) == 4


@pytest.mark.parametrize("mode", ["non-static", "static", "multichannel"])
def test_pretrained_keyed_vectors(keyed_vectors, mode):
    clf = _fit(_small(embeddings=keyed_vectors, embedding_mode=mode, max_iter=5))
    vocab = clf.vectorizer_.vocabulary_
    module = clf.module_
    assert module.embedding.embedding_dim == 8  # from the vectors, not embedding_dim=16
    found = [w for w in vocab if w in keyed_vectors.key_to_index]
    # 15 of the 21 vocabulary words have vectors
    assert clf.embedding_coverage_ == pytest.approx(len(found) / len(vocab))
    assert 0 < clf.embedding_token_coverage_ < 1
    start = torch.as_tensor(np.stack([keyed_vectors[w] for w in found]))
    ids = [vocab[w] for w in found]
    frozen = module.static_embedding if mode == "multichannel" else module.embedding
    if mode in ("static", "multichannel"):
        torch.testing.assert_close(frozen.weight[ids], start)
    if mode in ("non-static", "multichannel"):
        assert not torch.allclose(module.embedding.weight[ids], start)
    assert module.embedding.weight.requires_grad == (mode != "static")
    assert (module.embedding.weight[0] == 0).all()
    # the initial matrix is not kept a second time in the net (nor pickled)
    assert clf.net_.module__embeddings is None
    restored = pickle.loads(pickle.dumps(clf))
    np.testing.assert_array_equal(restored.predict_proba(DOCS), clf.predict_proba(DOCS))


def test_missing_words_get_random_vectors_with_pretrained_variance(keyed_vectors):
    vocabulary = np.array(["<pad>", "<unk>", "great", "plot", "Film", "nowhere"], dtype=object)
    result = pretrained_embedding_matrix(
        keyed_vectors, vocabulary, token_counts=[0, 5, 10, 30, 10, 50], random_state=0
    )
    assert result.found.tolist() == [False, False, True, False, True, False]
    np.testing.assert_array_equal(result.matrix[2], keyed_vectors["great"])
    # case-insensitive fallback: "Film" is found as "film"
    np.testing.assert_array_equal(result.matrix[4], keyed_vectors["film"])
    assert (result.matrix[0] == 0).all()
    bound = np.sqrt(3 * keyed_vectors.vectors[[0, 12]].var())
    assert np.abs(result.matrix[[1, 3, 5]]).max() <= np.sqrt(3 * keyed_vectors.vectors.var()) * 2
    assert np.abs(result.matrix[[1, 3, 5]]).max() > 0 and bound > 0
    assert result.coverage == pytest.approx(2 / 4)
    assert result.token_coverage == pytest.approx(20 / 100)
    with pytest.raises(ValueError, match="none of the 2 vocabulary words"):
        pretrained_embedding_matrix(keyed_vectors, ["<pad>", "<unk>", "xx", "yy"])


@pytest.mark.parametrize("fmt", ["word2vec", "glove"])
def test_vectors_file(tmp_path, keyed_vectors, fmt):
    path = tmp_path / f"vectors.{fmt}.txt"
    keyed_vectors.save_word2vec_format(str(path), write_header=fmt == "word2vec")
    clf = _fit(_small(embeddings=str(path), max_iter=2))
    by_path = _fit(_small(embeddings=path, max_iter=2))
    in_memory = _fit(_small(embeddings=keyed_vectors, max_iter=2))
    assert clf.embedding_coverage_ == in_memory.embedding_coverage_ > 0.5
    np.testing.assert_allclose(clf.predict_proba(DOCS), in_memory.predict_proba(DOCS), rtol=1e-5)
    np.testing.assert_array_equal(clf.predict_proba(DOCS), by_path.predict_proba(DOCS))


def test_embedding_transformer_fitted_and_unfitted():
    w2v = Word2VecTransformer(vector_size=8, min_count=1, epochs=2, workers=1, random_state=0)
    clf = _fit(_small(embeddings=w2v, max_iter=2))
    assert not hasattr(w2v, "wv_")  # the parameter is cloned, never fitted in place
    assert clf.embedding_coverage_ == 1.0  # fitted on the training texts themselves
    fitted_w2v = clone(w2v).fit(DOCS[:20])
    clf = _fit(_small(embeddings=fitted_w2v, max_iter=2))
    assert 0 < clf.embedding_coverage_ < 1
    wv = resolve_keyed_vectors(fitted_w2v)
    assert wv is fitted_w2v.wv_


def test_coverage_reported_when_verbose(keyed_vectors, capsys, caplog):
    with caplog.at_level("INFO", logger="sktext"):
        _fit(_small(embeddings=keyed_vectors, max_iter=1, verbose=1))
    out = capsys.readouterr().out
    assert "pretrained vectors for 15 of 21 vocabulary words (71.4%)" in out
    assert "epoch" in out  # skorch's table
    assert any("pretrained vectors" in r.getMessage() for r in caplog.records)
    _fit(_small(embeddings=keyed_vectors, max_iter=1))
    assert capsys.readouterr().out == ""


def test_bad_parameters():
    """The CNN's own parameters (what every sequence model refuses: test_sequence_models)."""
    with pytest.raises(ValueError, match="filter_sizes"):
        _small(filter_sizes=(3, 0)).fit(DOCS, LABELS)


def test_partial_fit_runs_one_epoch_per_call():
    clf = _small(max_iter=1)
    with pytest.raises(ValueError, match="classes must be passed"):
        clf.partial_fit(DOCS, LABELS)
    clf.partial_fit(DOCS, LABELS, classes=["neg", "pos"])
    vocabulary = clf.vectorizer_.vocabulary_
    first = clf.module_.output.weight.detach().clone()
    for _ in range(7):
        clf.partial_fit(DOCS, LABELS)
    assert clf.n_iter_ == 1 and len(clf.loss_curve_) == 8 and clf.t_ == 8 * len(DOCS)
    assert clf.vectorizer_.vocabulary_ is vocabulary
    assert not torch.equal(first, clf.module_.output.weight.detach())
    assert clf.loss_curve_[-1] < clf.loss_curve_[0]
    assert clf.score(TEST_DOCS, TEST_LABELS) > 0.9
    with pytest.raises(ValueError, match="not seen before"):
        clf.partial_fit(DOCS[:3], ["neg", "pos", "meh"])
