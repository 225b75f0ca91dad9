"""Words unseen in training get their fastText (subword) vector in the text classifiers."""

import copy
import pickle
import warnings

import numpy as np
import pytest
import torch
from gensim.models import FastText
from sklearn.exceptions import ConvergenceWarning
from torch import nn

import sktext
from sktext import (
    FastTextTransformer,
    LSTMClassifier,
    LSTMRegressor,
    TextCNNClassifier,
    TextCNNRegressor,
    Word2VecTransformer,
)
from sktext.preprocessing import make_analyzer
from sktext.utils._testing import make_sentiment_corpus

pytestmark = pytest.mark.usefixtures("one_torch_thread")  # tests/conftest.py

DOCS, LABELS = make_sentiment_corpus(200, max_neutral=8)
SCORES = np.where(np.asarray(LABELS) == "pos", 4.0, 1.0)
# "wonderfully", "awfulness"... never occur in training (POSITIVE has "wonderful")
QUERIES = [
    "the film wonderfully",
    "the plot awfulness",
    "brilliantly the movie",
    "the actor",
    "the film wonderfully tediousness",
]


@pytest.fixture(scope="module")
def fasttext():
    return FastTextTransformer(
        vector_size=12, min_count=1, epochs=5, bucket=3000, workers=1, random_state=0
    ).fit(DOCS)


def _fit(estimator, y=LABELS):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        return estimator.fit(DOCS, y)


def _cnn(**params):
    defaults = dict(num_filters=6, filter_sizes=(2, 3), max_iter=4, early_stopping=False)
    return TextCNNClassifier(**{**defaults, "random_state": 0, **params})


def _reference_outputs(estimator, docs, wv):
    """The module's outputs when each unseen word is given gensim's vector of it.

    Independently of the estimator's lookup: the unseen words are appended as extra rows
    of (a copy of) the module's embedding(s), holding ``wv[word]`` (gensim's own
    computation from the n-grams), and each document is fed alone to the module.
    """
    vocabulary = estimator.vectorizer_.vocabulary_
    analyzer = make_analyzer()
    outputs = []
    for doc in docs:
        tokens = analyzer(doc)
        unseen = [t for t in dict.fromkeys(tokens) if t not in vocabulary]
        n_ids = len(vocabulary) + 2
        ids = [vocabulary.get(t, n_ids + unseen.index(t) if t in unseen else 1) for t in tokens]
        module = copy.deepcopy(estimator.module_).eval()
        if unseen:
            rows = torch.tensor(np.array([wv[word] for word in unseen]))
            for name in ("embedding", "static_embedding"):
                embedding = getattr(module, name, None)
                if embedding is not None:
                    weight = torch.cat([embedding.weight.detach(), rows])
                    setattr(module, name, nn.Embedding.from_pretrained(weight, padding_idx=0))
        with torch.no_grad():
            outputs.append(module(torch.tensor([ids])).numpy()[0].astype(np.float64))
    return np.array(outputs)


def _softmax(logits):
    e = np.exp(logits - logits.max(axis=1, keepdims=True))
    return e / e.sum(axis=1, keepdims=True)


def _without_subwords(estimator):
    """The same fitted estimator, mapping unseen words to the unknown id."""
    plain = copy.deepcopy(estimator)
    plain.subword_vectors_ = None
    return plain


CLASSIFIERS = [
    pytest.param(lambda **p: _cnn(**p), "non-static", id="textcnn-non-static"),
    pytest.param(lambda **p: _cnn(**p), "static", id="textcnn-static"),
    pytest.param(lambda **p: _cnn(**p), "multichannel", id="textcnn-multichannel"),
    pytest.param(
        lambda **p: LSTMClassifier(hidden_size=6, max_iter=3, early_stopping=False, **p),
        "non-static",
        id="lstm-non-static",
    ),
    pytest.param(
        lambda **p: LSTMClassifier(
            hidden_size=6, cell="gru", pooling="max", max_iter=3, early_stopping=False, **p
        ),
        "static",
        id="gru-static",
    ),
]


@pytest.mark.parametrize("make, mode", CLASSIFIERS)
def test_unseen_words_are_read_through_their_subword_vectors(make, mode, fasttext):
    clf = _fit(make(embeddings=fasttext, embedding_mode=mode, random_state=0))
    assert clf.subword_vectors_ is not None
    proba = clf.predict_proba(QUERIES)
    expected = _softmax(_reference_outputs(clf, QUERIES, fasttext.wv_))
    np.testing.assert_allclose(proba, expected, rtol=1e-5, atol=1e-6)
    # ...which is not what the unknown-word id gives (documents with an unseen word)
    unknown = _without_subwords(clf).predict_proba(QUERIES)
    has_unseen = [0, 1, 2, 4]
    for i in has_unseen:  # (beyond float32 noise: ~1e-7)
        assert np.abs(proba[i] - unknown[i]).max() > 1e-6, QUERIES[i]
    # a document of training words only is unaffected
    np.testing.assert_allclose(proba[3], unknown[3], rtol=1e-6)


@pytest.mark.parametrize("cls", [TextCNNRegressor, LSTMRegressor])
def test_regressors_read_unseen_words_through_their_subword_vectors(cls, fasttext):
    params = dict(max_iter=3, early_stopping=False, random_state=0, embeddings=fasttext)
    if cls is TextCNNRegressor:
        params.update(num_filters=6, filter_sizes=(2, 3))
    reg = _fit(cls(**params), y=SCORES)
    outputs = _reference_outputs(reg, QUERIES, fasttext.wv_)
    expected = outputs[:, 0] * reg.target_scale_[0] + reg.target_mean_[0]
    np.testing.assert_allclose(reg.predict(QUERIES), expected, rtol=1e-5)
    assert not np.allclose(reg.predict(QUERIES[:1]), _without_subwords(reg).predict(QUERIES[:1]))


def test_predictions_do_not_depend_on_the_batch(fasttext):
    clf = _fit(_cnn(embeddings=fasttext, batch_size=2))
    together = clf.predict_proba(QUERIES)
    alone = np.array([clf.predict_proba([doc])[0] for doc in QUERIES])
    np.testing.assert_allclose(together, alone, rtol=1e-6, atol=1e-7)
    vectors = clf.transform(QUERIES)  # the document vectors read the same words
    np.testing.assert_allclose(vectors[:1], clf.transform(QUERIES[:1]), rtol=1e-6)
    assert not np.allclose(vectors[:1], _without_subwords(clf).transform(QUERIES[:1]))


def test_every_form_of_fasttext_embeddings_gives_subword_lookup(fasttext):
    model = FastText(
        [make_analyzer()(d) for d in DOCS], vector_size=12, min_count=1, bucket=3000, seed=0
    )
    forms = {
        "fitted transformer": fasttext,
        "unfitted transformer": FastTextTransformer(
            vector_size=12, min_count=1, bucket=3000, workers=1
        ),
        "gensim model": model,
        "keyed vectors": model.wv,
    }
    for name, embeddings in forms.items():
        clf = _fit(_cnn(embeddings=embeddings, max_iter=1))
        kept = clf.subword_vectors_
        assert kept is not None, name
        assert kept.vectors_ngrams.shape == (3000, 12), name
        # only what prediction reads is kept: no copy of the words' training vectors
        assert kept.vectors_vocab is None, name
        assert not np.allclose(
            clf.predict_proba(QUERIES[:1]), _without_subwords(clf).predict_proba(QUERIES[:1])
        ), name
    # a copy: further training of the user's model does not change the classifier
    clf = _fit(_cnn(embeddings=model, max_iter=1))
    before = clf.predict_proba(QUERIES)
    model.wv.vectors_ngrams[:] = 0.0
    np.testing.assert_array_equal(clf.predict_proba(QUERIES), before)


def test_word2vec_embeddings_keep_the_unknown_id():
    w2v = Word2VecTransformer(vector_size=12, min_count=1, workers=1, random_state=0)
    clf = _fit(_cnn(embeddings=w2v))
    assert clf.subword_vectors_ is None
    # two different unseen words both read the unknown id
    np.testing.assert_array_equal(
        clf.predict_proba(["the film wonderfully"]), clf.predict_proba(["the film zzyzx"])
    )
    assert _fit(_cnn()).subword_vectors_ is None  # no embeddings at all


def test_vocabulary_words_outside_the_fasttext_vocabulary_start_from_subwords():
    # fastText learns only words seen 5 times; the classifier's vocabulary has them all
    ft = FastTextTransformer(
        vector_size=12, min_count=5, epochs=2, bucket=3000, workers=1, random_state=0
    ).fit(DOCS[:40])
    clf = _fit(_cnn(embeddings=ft, embedding_mode="static", max_iter=1))
    vocabulary = clf.vectorizer_.vocabulary_
    rare = [w for w in vocabulary if w not in ft.wv_.key_to_index]
    assert rare
    weight = clf.module_.embedding.weight.detach().numpy()
    for word in rare:
        np.testing.assert_allclose(weight[vocabulary[word]], ft.wv_[word], rtol=1e-5)
    assert clf.embedding_coverage_ == 1.0


def test_pickle_and_safe_file_keep_the_subword_lookup(fasttext, tmp_path):
    clf = _fit(_cnn(embeddings=fasttext, embedding_mode="multichannel"))
    expected = clf.predict_proba(QUERIES)
    np.testing.assert_array_equal(pickle.loads(pickle.dumps(clf)).predict_proba(QUERIES), expected)
    path = tmp_path / "clf.sktext"
    sktext.save(clf, path)
    loaded = sktext.load(path)
    np.testing.assert_array_equal(loaded.predict_proba(QUERIES), expected)
    np.testing.assert_array_equal(
        loaded.subword_vectors_.vectors_ngrams, clf.subword_vectors_.vectors_ngrams
    )


def test_warm_start_trains_with_subword_vectors_of_new_words(fasttext):
    clf = _fit(_cnn(embeddings=fasttext, warm_start=True, max_iter=2))
    rows = clf.module_.embedding.weight.shape[0]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        clf.fit(QUERIES * 4, ["pos", "neg", "pos", "neg", "pos"] * 4)
    # the vocabulary grows by the new words (their rows start from their fastText vectors:
    # see test_continued_training.py::test_new_words_start_from_their_fasttext_vectors)
    n_ids = len(clf.vectorizer_.vocabulary_) + 2
    assert clf.module_.embedding.weight.shape[0] == n_ids > rows
    assert np.all(np.isfinite(clf.predict_proba(QUERIES)))


@pytest.mark.skipif(not torch.cuda.is_available(), reason="needs CUDA")
def test_unseen_words_on_cuda(fasttext):
    cpu = _fit(_cnn(embeddings=fasttext))
    gpu = _fit(_cnn(embeddings=fasttext, device="cuda"))
    assert not np.allclose(
        gpu.predict_proba(QUERIES[:1]), _without_subwords(gpu).predict_proba(QUERIES[:1])
    )
    np.testing.assert_allclose(gpu.predict_proba(QUERIES), cpu.predict_proba(QUERIES), atol=1e-4)
