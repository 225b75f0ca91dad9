"""Tests of GloVeTransformer."""

import pickle
import re

import numpy as np
import pandas as pd
import pytest
import torch
from gensim.models import KeyedVectors
from sklearn.exceptions import NotFittedError
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import make_pipeline

import sktext
from sktext import GloVeTransformer, Word2VecTransformer
from sktext.embeddings import EmptyDocumentWarning, cooccurrence_matrix
from sktext.preprocessing import make_analyzer
from sktext.utils._sklearn_compat import InvalidParameterError
from sktext.utils._testing import TOPICS, make_topic_corpus
from sktext.utils.estimator_checks import parametrize_with_text_checks

# ----------------------------------------------------------------------------- corpora
topic_corpus = make_topic_corpus


DOCS, LABELS = topic_corpus()


def small(**params):
    """A fast, reproducible transformer for the tiny corpora of these tests."""
    defaults = dict(vector_size=8, min_count=1, window=5, epochs=5, batch_size=256, random_state=0)
    return GloVeTransformer(**{**defaults, **params})


@pytest.fixture(scope="module")
def fitted():
    # one batch order for every epoch: the losses of the epochs are comparable
    return small(epochs=30, shuffle=False).fit(DOCS)


# ----------------------------------------------------------------- text-aware checks
# the default configuration runs in tests/test_common.py; these add other poolings,
# several batches per epoch and stop words
@parametrize_with_text_checks(
    [
        (small(pooling="idf", batch_size=50), DOCS, LABELS),
        (small(pooling="max", stop_words="english"), DOCS, LABELS),
    ]
)
@pytest.mark.filterwarnings("ignore::sktext.embeddings.EmptyDocumentWarning")  # by design
def test_text_aware_checks(estimator, check):
    check(estimator)


# ------------------------------------------------------------------------ parameters
def test_init_stores_parameters_unchanged():
    params = dict(vector_size=7, window=3, x_max=2.5, device="cpu", stop_words=["x"])
    est = GloVeTransformer(**params)
    for name, value in params.items():
        assert getattr(est, name) is value


def test_shares_the_interface_of_word2vec_transformer():
    glove, w2v = GloVeTransformer().get_params(), Word2VecTransformer().get_params()
    shared = {"vector_size", "window", "min_count", "max_vocab_size", "epochs", "random_state",
              "pooling", "sif_smoothing", "lowercase", "token_pattern", "tokenizer",
              "stop_words", "strip_accents", "verbose"}  # fmt: skip
    assert shared <= glove.keys() & w2v.keys()
    for name in shared - {"window", "epochs"}:  # GloVe's demo uses window 10, 15 epochs
        assert glove[name] == w2v[name], name
    # the settings are the defaults: those of the reference's demo
    assert (glove["vector_size"], glove["window"], glove["min_count"]) == (100, 10, 5)
    assert (glove["x_max"], glove["alpha"], glove["learning_rate"], glove["epochs"]) == (
        10.0,
        0.75,
        0.05,
        15,
    )


@pytest.mark.parametrize(
    "params",
    [
        {"vector_size": 0},
        {"window": 0},
        {"min_count": 0},
        {"max_vocab_size": 0},
        {"x_max": 0.0},
        {"alpha": -1.0},
        {"learning_rate": 0},
        {"epochs": 0},
        {"batch_size": 0},
        {"batch_size": 2.5},
        {"shuffle": "yes"},
        {"device": 3},
        {"pooling": "median"},
    ],
)
def test_invalid_parameters_are_rejected_at_fit(params):
    with pytest.raises(InvalidParameterError, match=re.escape(next(iter(params)))):
        small(**params).fit(DOCS)


def test_unknown_device_and_missing_cuda_are_rejected():
    with pytest.raises(ValueError, match="not a valid torch device"):
        small(device="gpu-please").fit(DOCS)
    if not torch.cuda.is_available():
        with pytest.raises(ValueError, match="CUDA is not available"):
            small(device="cuda").fit(DOCS)


def test_nothing_to_learn_errors():
    with pytest.raises(ValueError, match="no word occurring at least min_count=50"):
        small(min_count=50).fit(["one two three"])
    with pytest.raises(ValueError, match="no two vocabulary words within window=5"):
        small().fit(["single", "words", "only"])
    with pytest.raises(ValueError, match="at least one document"):
        small().fit([])


def test_not_fitted():
    with pytest.raises(NotFittedError):
        small().transform(DOCS)


# -------------------------------------------------------------------- what fit learns
def test_vocabulary_and_counts_are_those_of_the_cooccurrence_counting(fitted):
    tokens = [make_analyzer()(doc) for doc in DOCS]
    expected = cooccurrence_matrix(tokens, window=5, min_count=1)
    assert isinstance(fitted.wv_, KeyedVectors)
    assert fitted.wv_.index_to_key == expected.words
    counts = [fitted.wv_.get_vecattr(word, "count") for word in expected.words]
    assert counts == expected.counts.tolist()
    assert fitted.n_cooccurrences_ == expected.matrix.nnz
    assert fitted.wv_.vectors.shape == (len(expected.words), 8)
    assert fitted.wv_.vectors.dtype == np.float32
    assert fitted.n_iter_ == 30 and len(fitted.loss_curve_) == 30


def test_min_count_and_max_vocab_size():
    est = small(min_count=20, max_vocab_size=5).fit(DOCS)
    assert len(est.wv_) == 5
    counts = [est.wv_.get_vecattr(w, "count") for w in est.wv_.index_to_key]
    assert counts == sorted(counts, reverse=True) and min(counts) >= 20


def test_loss_falls_monotonically_on_a_small_corpus(fitted):
    curve = np.array(fitted.loss_curve_)
    assert np.all(np.diff(curve) < 0)
    assert curve[-1] < 0.5 * curve[0]


@pytest.mark.parametrize("random_state", [0, 1, 2])
@pytest.mark.parametrize("batch_size", [64, 256])
def test_loss_falls_monotonically_for_other_seeds_and_batch_sizes(random_state, batch_size):
    docs, _ = topic_corpus(400, seed=random_state)
    est = small(
        epochs=30, vector_size=16, batch_size=batch_size, random_state=random_state, shuffle=False
    )
    assert np.all(np.diff(est.fit(docs).loss_curve_) < 0)


def test_shuffle_visits_the_batches_in_new_orders():
    # same batches and initialisation, other orders: other vectors, the same loss scale
    fixed, shuffled = small(epochs=10, shuffle=False).fit(DOCS), small(epochs=10).fit(DOCS)
    assert fixed.loss_curve_[0] == shuffled.loss_curve_[0]  # the first epoch's order
    assert not np.array_equal(fixed.wv_.vectors, shuffled.wv_.vectors)
    assert shuffled.loss_curve_[-1] < 0.5 * shuffled.loss_curve_[0]


def test_topics_are_learned(fitted):
    # words of the same topic end up closer than words of the other topic
    wv = fitted.wv_
    for topic, words in TOPICS.items():
        other = TOPICS["sport" if topic == "space" else "space"]
        within = np.mean([wv.similarity(a, b) for a in words for b in words if a != b])
        across = np.mean([wv.similarity(a, b) for a in words for b in other])
        assert within > across + 0.2, topic


def test_same_random_state_same_vectors_and_another_differs():
    first = small(random_state=3).fit(DOCS).wv_.vectors
    np.testing.assert_array_equal(small(random_state=3).fit(DOCS).wv_.vectors, first)
    assert not np.array_equal(small(random_state=4).fit(DOCS).wv_.vectors, first)


def test_refit_starts_from_scratch(fitted):
    est = small(epochs=30, shuffle=False)
    est.fit(DOCS)
    est.fit(DOCS)
    np.testing.assert_array_equal(est.wv_.vectors, fitted.wv_.vectors)
    assert est.loss_curve_ == fitted.loss_curve_


def test_pretokenized_documents_give_the_same_model(fitted):
    tokens = [make_analyzer()(doc) for doc in DOCS]
    refitted = small(epochs=30, shuffle=False).fit(tokens)
    np.testing.assert_array_equal(refitted.wv_.vectors, fitted.wv_.vectors)


# ----------------------------------------------------------------------- transforming
def test_transform_is_the_mean_of_the_word_vectors(fitted):
    docs = ["orbit rocket unknownword", "goal", "nothing known here"]
    with pytest.warns(EmptyDocumentWarning, match="1 of 3 documents"):
        X = fitted.transform(docs)
    wv = fitted.wv_
    np.testing.assert_allclose(X[0], (wv["orbit"] + wv["rocket"]) / 2, rtol=1e-6)
    np.testing.assert_array_equal(X[1], wv["goal"])
    np.testing.assert_array_equal(X[2], np.zeros(8, dtype=np.float32))
    assert X.dtype == np.float32


def test_fit_transform_equals_fit_then_transform():
    for pooling in ("mean", "idf", "sif", "max"):
        X = small(pooling=pooling).fit_transform(DOCS)
        np.testing.assert_allclose(X, small(pooling=pooling).fit(DOCS).transform(DOCS), atol=1e-6)


def test_feature_names_and_pandas_output(fitted):
    names = fitted.get_feature_names_out()
    assert names.tolist() == [f"glovetransformer{i}" for i in range(8)]
    frame = small().set_output(transform="pandas").fit_transform(pd.Series(DOCS))
    assert isinstance(frame, pd.DataFrame) and frame.shape == (len(DOCS), 8)


def test_pickle_keeps_no_torch_state(fitted):
    restored = pickle.loads(pickle.dumps(fitted))
    np.testing.assert_array_equal(restored.transform(DOCS), fitted.transform(DOCS))
    assert not any(isinstance(v, (torch.Tensor, torch.nn.Module)) for v in vars(fitted).values())


def test_in_a_pipeline_with_a_classifier():
    docs, labels = topic_corpus(300)
    pipe = make_pipeline(small(epochs=30), LogisticRegression())
    pipe.fit(docs, labels)
    test_docs, test_labels = topic_corpus(200, seed=1)
    assert pipe.score(test_docs, test_labels) > 0.9


def test_verbose_prints_one_line_per_epoch(capsys):
    small(epochs=3, verbose=1).fit(DOCS)
    lines = capsys.readouterr().out.strip().splitlines()
    assert len(lines) == 3
    assert all(re.match(r"\[GloVeTransformer\] epoch \d/3: loss [\d.]+, [\d.]+ s", line)
               for line in lines)  # fmt: skip
    small(epochs=2, verbose=2).fit(DOCS)
    out = capsys.readouterr().out
    assert "non-zero co-occurrences" in out and "batches" in out


def test_silent_by_default(capsys):
    small().fit(DOCS)
    assert capsys.readouterr().out == ""


def test_glove_vectors_initialise_textcnn():
    docs, labels = topic_corpus(200)
    glove = small(vector_size=16, epochs=30).fit(docs)
    clf = sktext.TextCNNClassifier(
        embeddings=glove, embedding_mode="static", max_iter=3, random_state=0
    )
    clf.fit(docs, labels)
    # static mode: the embedding of a word is its GloVe vector
    module = clf.module_
    vocabulary = clf.vectorizer_.vocabulary_
    embedding = next(m for m in module.modules() if isinstance(m, torch.nn.Embedding))
    np.testing.assert_allclose(
        embedding.weight[vocabulary["orbit"]].detach().cpu().numpy(), glove.wv_["orbit"]
    )
    test_docs, test_labels = topic_corpus(100, seed=1)
    assert clf.score(test_docs, test_labels) > 0.8


# ---------------------------------------------------------------------- real corpus
RELATED = {
    "monday": {"tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"},
    "god": {"jesus", "christ", "lord", "bible", "faith", "christian", "christians", "religion"},
    "windows": {"dos", "os", "nt", "ms", "microsoft", "unix", "mac", "window"},
    "drive": {"disk", "drives", "floppy", "scsi", "ide", "hard", "controller"},
    "israel": {"israeli", "jews", "jewish", "arab", "arabs", "palestinians", "lebanon"},
    "team": {"teams", "players", "player", "league", "nhl", "hockey", "season", "games"},
    "two": {"three", "four", "five", "six", "several"},
    "president": {"clinton", "bush", "administration", "vice", "government", "minister"},
}


def words_with_related_neighbours(wv, topn=10):
    return {
        word: related & {n for n, _ in wv.most_similar(word, topn=topn)}
        for word, related in RELATED.items()
    }


def test_neighbours_on_real_text_are_sensible():
    # fast sanity test: 3,000 random 20 Newsgroups posts (~0.8M tokens), 10 epochs
    datasets = pytest.importorskip("sktext.datasets")
    try:
        texts = datasets.load_newsgroups(subset="train", return_X_y=True)[0]
    except ModuleNotFoundError as exc:  # the data package is not installed
        pytest.skip(str(exc))
    sample = np.random.default_rng(0).choice(len(texts), size=3000, replace=False)
    glove = GloVeTransformer(
        vector_size=50, epochs=10, token_pattern=r"[a-z0-9]+", random_state=0
    ).fit([texts[i] for i in sample])
    hits = words_with_related_neighbours(glove.wv_)
    # loose: most of the 8 words have a related word among their 10 nearest neighbours
    assert sum(map(bool, hits.values())) >= 6, hits


@pytest.mark.slow
def test_neighbours_on_the_embedding_corpus():
    datasets = pytest.importorskip("sktext.datasets")
    try:
        texts = datasets.load_embedding_corpus()
    except ModuleNotFoundError as exc:
        pytest.skip(str(exc))
    glove = GloVeTransformer(token_pattern=r"[a-z0-9]+", random_state=0).fit(texts)
    hits = words_with_related_neighbours(glove.wv_)
    # every word has a related neighbour, most of them at least two
    assert all(hits.values()), hits
    assert sum(len(found) >= 2 for found in hits.values()) >= 6, hits
