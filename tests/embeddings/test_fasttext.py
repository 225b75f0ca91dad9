"""Tests of FastTextTransformer: gensim's FastText, and vectors for unseen words."""

import inspect
import pickle
import warnings

import numpy as np
import pandas as pd
import pytest
from gensim.models import FastText
from gensim.models.fasttext import FastTextKeyedVectors
from sklearn.exceptions import NotFittedError
from sklearn.utils._param_validation import InvalidParameterError

from sktext import FastTextTransformer, Word2VecTransformer
from sktext.embeddings import EmptyDocumentWarning
from sktext.embeddings._fasttext import word_vectors
from sktext.preprocessing import make_analyzer
from sktext.utils._testing import make_topic_corpus
from sktext.utils.estimator_checks import parametrize_with_text_checks

DOCS, LABELS = make_topic_corpus(60)


def small(**params):
    """A fast, reproducible transformer for the tiny corpora of these tests."""
    defaults = dict(vector_size=8, min_count=1, epochs=2, workers=1, bucket=2000, random_state=0)
    return FastTextTransformer(**{**defaults, **params})


@pytest.fixture(scope="module")
def fitted():
    return small(epochs=3).fit(DOCS)


# ----------------------------------------------------------------- text-aware checks
@parametrize_with_text_checks(
    [
        (small(), DOCS, LABELS),
        (small(pooling="sif", min_n=2, max_n=4), DOCS, LABELS),
        (small(pooling="max", sg=1, hs=1, negative=0), DOCS, LABELS),
    ]
)
@pytest.mark.filterwarnings("ignore::sktext.embeddings.EmptyDocumentWarning")  # by design
def test_text_aware_checks(estimator, check):
    check(estimator)


# ------------------------------------------------------------------------ parameters
def test_init_stores_parameters_unchanged():
    params = dict(vector_size=7, min_n=2, max_n=5, bucket=10, sg=True, stop_words=["x"])
    est = FastTextTransformer(**params)
    for name, value in params.items():
        assert getattr(est, name) is value


def test_training_defaults_are_gensims_but_bucket():
    ours = inspect.signature(FastTextTransformer).parameters
    gensim = inspect.signature(FastText).parameters
    shared = [name for name in ours if name in gensim and name != "bucket"]
    assert len(shared) == 18  # Word2VecTransformer's 16, min_n and max_n
    for name in shared:
        assert ours[name].default == gensim[name].default, name
    # a tenth of gensim's 2,000,000 n-gram buckets (80 MB instead of 800 MB at 100-d)
    assert gensim["bucket"].default == 2_000_000 and ours["bucket"].default == 200_000
    assert "seed" not in ours and ours["random_state"].default is None
    # the same parameters as Word2VecTransformer, plus the three of the n-grams
    assert set(ours) - set(inspect.signature(Word2VecTransformer).parameters) == {
        "min_n",
        "max_n",
        "bucket",
    }


def test_gensim_receives_the_parameters(monkeypatch):
    received = {}
    original = FastText.__init__

    def spy(self, *args, **kwargs):
        received.update(kwargs)
        original(self, *args, **kwargs)

    monkeypatch.setattr(FastText, "__init__", spy)
    est = small(window=2, sg=1, min_n=2, max_n=4, bucket=777, alpha=0.05).fit(DOCS)
    assert received["window"] == 2 and received["sg"] == 1 and received["alpha"] == 0.05
    assert received["min_n"] == 2 and received["max_n"] == 4 and received["bucket"] == 777
    assert received["workers"] == 1 and isinstance(received["seed"], int)
    assert est.wv_.vectors_ngrams.shape == (777, 8)


@pytest.mark.parametrize(
    "params, match",
    [
        ({"vector_size": 0}, "vector_size"),
        ({"min_count": 0}, "min_count"),
        ({"min_n": 0}, "min_n"),
        ({"max_n": 0}, "max_n"),
        ({"bucket": 0}, "bucket"),
        ({"bucket": 1.5}, "bucket"),
        ({"sg": 2}, "sg"),
        ({"workers": 0}, "workers"),
        ({"pooling": "median"}, "pooling"),
    ],
)
def test_invalid_parameters_are_rejected_in_fit(params, match):
    est = FastTextTransformer(**params)  # no validation in __init__
    with pytest.raises(InvalidParameterError, match=match):
        est.fit(DOCS)


def test_max_n_below_min_n_is_rejected():
    with pytest.raises(ValueError, match="max_n=2 must be at least min_n=3"):
        small(max_n=2).fit(DOCS)


def test_no_training_objective_and_empty_vocabulary_are_rejected():
    with pytest.raises(ValueError, match="hs=0 and negative=0"):
        small(hs=0, negative=0).fit(DOCS)
    with pytest.raises(ValueError, match="no word occurring at least min_count=1000"):
        small(min_count=1000).fit(DOCS)
    with pytest.raises(ValueError, match="at least one document"):
        small().fit([])


# --------------------------------------------------------------------- fitted state
def test_wv_is_fasttext_keyed_vectors(fitted):
    assert isinstance(fitted.wv_, FastTextKeyedVectors)
    assert fitted.wv_.vectors_ngrams.shape == (2000, 8)
    assert fitted.corpus_total_words_ == sum(len(make_analyzer()(d)) for d in DOCS)
    neighbours = [w for w, _ in fitted.wv_.most_similar("orbit", topn=3)]
    assert len(neighbours) == 3 and "orbit" not in neighbours


def test_seed_and_one_worker_reproduce_the_vectors():
    first = small(random_state=0).fit(DOCS).wv_
    again = small(random_state=0).fit(DOCS).wv_
    other = small(random_state=1).fit(DOCS).wv_
    np.testing.assert_array_equal(first.vectors, again.vectors)
    np.testing.assert_array_equal(first.vectors_ngrams, again.vectors_ngrams)
    assert not np.allclose(first.vectors, other.vectors)
    assert not np.allclose(first.vectors_ngrams, other.vectors_ngrams)


def test_tags():
    assert not small().__sklearn_tags__().non_deterministic
    assert FastTextTransformer(workers=3).__sklearn_tags__().non_deterministic


def test_feature_names_and_pandas_output(fitted):
    names = fitted.get_feature_names_out()
    assert names.tolist() == [f"fasttexttransformer{i}" for i in range(8)]
    est = pickle.loads(pickle.dumps(fitted)).set_output(transform="pandas")
    frame = est.transform(pd.Series(DOCS[:3], index=["a", "b", "c"]))
    assert frame.columns.tolist() == names.tolist() and frame.index.tolist() == ["a", "b", "c"]


def test_not_fitted_errors():
    with pytest.raises(NotFittedError):
        small().transform(DOCS)
    with pytest.raises(NotFittedError):
        small().get_feature_names_out()


def test_pickle_round_trip_gives_the_same_vectors(fitted):
    docs = DOCS + ["orbitt rockett", "zzzz qqqq"]
    loaded = pickle.loads(pickle.dumps(fitted))
    np.testing.assert_array_equal(loaded.transform(docs), fitted.transform(docs))
    np.testing.assert_array_equal(loaded.wv_["neverseen"], fitted.wv_["neverseen"])


# ----------------------------------------------------------------- unseen words
UNSEEN = ["orbitt", "rockettes", "zzyzx", "hockeyplayoff"]


def test_unseen_words_get_gensims_subword_vectors(fitted):
    for word in UNSEEN:
        assert word not in fitted.wv_.key_to_index
    out = fitted.transform([[word] for word in UNSEEN])
    # gensim's own answer for an out-of-vocabulary word: the mean of its n-gram vectors
    expected = np.array([fitted.wv_[word] for word in UNSEEN])
    np.testing.assert_allclose(out, expected, rtol=1e-5, atol=1e-7)
    assert np.all(np.any(out != 0, axis=1))


def test_a_document_of_unseen_words_is_not_a_zero_vector(fitted):
    docs = ["zzyzx orbitt", "rockettes"]
    with warnings.catch_warnings():
        warnings.simplefilter("error", EmptyDocumentWarning)  # no warning: they have vectors
        out = fitted.transform(docs)
    assert np.all(np.any(out != 0, axis=1))
    # unlike word2vec, which knows nothing of them
    w2v = Word2VecTransformer(vector_size=8, min_count=1, epochs=2, workers=1).fit(DOCS)
    with pytest.warns(EmptyDocumentWarning, match="2 of 2 documents"):
        np.testing.assert_array_equal(w2v.transform(docs), 0)


def test_mixed_documents_pool_known_and_unseen_words(fitted):
    tokens = [["orbit", "orbitt", "moon", "orbitt"], ["team"], ["zzyzx", "goal"]]
    expected = [np.mean([fitted.wv_[t] for t in doc], axis=0) for doc in tokens]
    np.testing.assert_allclose(fitted.transform(tokens), expected, rtol=1e-5, atol=1e-7)
    est = pickle.loads(pickle.dumps(fitted)).set_params(pooling="max")
    expected = [np.max([fitted.wv_[t] for t in doc], axis=0) for doc in tokens]
    np.testing.assert_allclose(est.transform(tokens), expected, rtol=1e-6)


def test_idf_and_sif_weights_of_unseen_words():
    tokens = [["orbit", "orbitt"], ["zzyzx", "goal", "goal"]]
    est = small(pooling="idf").fit(DOCS)
    wv, idf = est.wv_, est.idf_
    unseen = idf.max()  # weighted as the rarest training word
    orbit, goal = idf[wv.key_to_index["orbit"]], idf[wv.key_to_index["goal"]]
    weights = [[orbit, unseen], [unseen, goal, goal]]
    expected = [
        np.average([wv[t] for t in doc], axis=0, weights=w)
        for doc, w in zip(tokens, weights, strict=True)
    ]
    np.testing.assert_allclose(est.transform(tokens), expected, rtol=1e-5, atol=1e-7)

    est = small(pooling="sif").fit(DOCS)
    wv, sif = est.wv_, est.sif_weights_
    weights = [[sif[wv.key_to_index["orbit"]], 1.0], [1.0] + [sif[wv.key_to_index["goal"]]] * 2]
    raw = np.array(
        [
            np.sum([w_ * wv[t] for t, w_ in zip(doc, w, strict=True)], axis=0) / len(doc)
            for doc, w in zip(tokens, weights, strict=True)
        ]
    )
    u = est.sif_component_
    np.testing.assert_allclose(est.transform(tokens), raw - np.outer(raw @ u, u), atol=1e-6)


def test_words_below_min_count_get_subword_vectors_in_fit_transform():
    docs = DOCS + ["orbit rarissimus"]  # "rarissimus" appears once: below min_count=2
    for pooling in ("mean", "idf", "sif", "max"):
        est = small(min_count=2, pooling=pooling)
        out = est.fit_transform(docs)
        assert "rarissimus" not in est.wv_.key_to_index
        np.testing.assert_array_equal(out, est.transform(docs))
    est = small(min_count=2).fit(docs)
    expected = np.mean([est.wv_["orbit"], est.wv_["rarissimus"]], axis=0)
    np.testing.assert_allclose(est.transform(["orbit rarissimus"])[0], expected, rtol=1e-5)


def test_empty_documents_and_words_without_ngrams_give_zero_vectors():
    # with 5- and 6-grams, "<ab>" (4 characters) has no n-gram: it has no vector
    est = small(min_n=5, max_n=6).fit(DOCS)
    with pytest.warns(EmptyDocumentWarning, match="2 of 3 documents"):
        out = est.transform(["", "ab", "orbitt"])
    np.testing.assert_array_equal(out[:2], 0)
    assert np.any(out[2] != 0)
    vectors, found = word_vectors(est.wv_, ["ab", "orbitt", "orbit"])
    assert found.tolist() == [False, True, True] and vectors.shape == (2, 8)
    np.testing.assert_array_equal(vectors[1], est.wv_.vectors[est.wv_.key_to_index["orbit"]])


@pytest.fixture(scope="module")
def rotten_tomatoes_model():
    from sktext.datasets import load_rotten_tomatoes

    try:
        texts, _ = load_rotten_tomatoes(return_X_y=True)
    except ModuleNotFoundError as exc:
        pytest.skip(str(exc))
    return FastTextTransformer(
        vector_size=32, min_count=3, sg=1, bucket=50_000, workers=1, random_state=0
    ).fit(texts)


def test_misspellings_are_close_to_the_original_words(rotten_tomatoes_model):
    # on real text (7k words), the misspelled word's vector has the original among its
    # nearest words (cosine of the centred vectors); a random word would be in the top
    # 5 with probability 0.07%. Ranks when written: 0, 0, 0, 1
    wv = rotten_tomatoes_model.wv_
    mean = wv.vectors.mean(axis=0)
    centred = wv.vectors - mean
    centred /= np.linalg.norm(centred, axis=1, keepdims=True)
    pairs = [
        ("performanse", "performance"),
        ("charachters", "characters"),
        ("hillarious", "hilarious"),
        ("entertainng", "entertaining"),
    ]
    for typo, original in pairs:
        assert typo not in wv.key_to_index
        vector = rotten_tomatoes_model.transform([typo])[0] - mean
        similarity = centred @ vector
        rank = int(np.sum(similarity > similarity[wv.key_to_index[original]]))
        assert rank < 5, (typo, rank)
