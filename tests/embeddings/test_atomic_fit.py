"""A failed or interrupted refit of an embedding transformer leaves it as it was."""

from unittest import mock

import numpy as np
import pytest
from gensim.models import FastText, Word2Vec

from sktext import FastTextTransformer, GloVeTransformer, Word2VecTransformer
from sktext.utils._testing import make_topic_corpus

DOCS, _ = make_topic_corpus(60)
OTHER_DOCS, _ = make_topic_corpus(40, seed=3)


def word2vec(**params):
    return Word2VecTransformer(
        vector_size=8, min_count=1, epochs=2, workers=1, random_state=0, **params
    )


def fasttext(**params):
    return FastTextTransformer(
        vector_size=8, min_count=1, epochs=2, workers=1, bucket=1000, random_state=0, **params
    )


def glove(**params):
    return GloVeTransformer(
        vector_size=8, min_count=1, epochs=3, batch_size=256, random_state=0, **params
    )


# the innermost training call of each transformer, where an interruption lands
TRAINING = {
    "word2vec": (word2vec, lambda: mock.patch.object(Word2Vec, "train")),
    "fasttext": (fasttext, lambda: mock.patch.object(FastText, "train")),
    "glove": (glove, lambda: mock.patch("sktext.embeddings._glove.train_glove")),
}


def _snapshot(estimator):
    """The estimator's attributes (the objects themselves) and copies of the vectors."""
    return dict(vars(estimator)), estimator.wv_.vectors.copy()


def _assert_unchanged(estimator, snapshot, expected_output):
    attributes, vectors = snapshot
    assert vars(estimator).keys() == attributes.keys()
    for name, value in attributes.items():
        assert vars(estimator)[name] is value, name
    np.testing.assert_array_equal(estimator.wv_.vectors, vectors)
    np.testing.assert_array_equal(estimator.transform(DOCS), expected_output)


@pytest.mark.parametrize("name", TRAINING)
@pytest.mark.parametrize("pooling", ["mean", "idf", "sif"])
@pytest.mark.parametrize("error", [KeyboardInterrupt, RuntimeError("out of memory")])
def test_interrupted_training_leaves_the_fitted_estimator_as_it_was(name, pooling, error):
    make, patch_training = TRAINING[name]
    estimator = make(pooling=pooling).fit(DOCS)
    expected = estimator.transform(DOCS)
    snapshot = _snapshot(estimator)
    with patch_training() as training:
        training.side_effect = error
        with pytest.raises(error if isinstance(error, type) else type(error)):
            estimator.fit(OTHER_DOCS)
    assert training.called
    _assert_unchanged(estimator, snapshot, expected)


@pytest.mark.parametrize("name", TRAINING)
def test_failure_after_training_leaves_the_fitted_estimator_as_it_was(name):
    # the vectors (and the transformer's own attributes such as corpus_total_words_ or
    # loss_curve_) are learned; the pooling statistics then fail
    make, _ = TRAINING[name]
    estimator = make(pooling="sif").fit(DOCS)  # a fitted sif transformer...
    expected = estimator.transform(DOCS)
    snapshot = _snapshot(estimator)
    with mock.patch(
        "sktext.embeddings._base._first_principal_direction", side_effect=KeyboardInterrupt
    ):
        with pytest.raises(KeyboardInterrupt):
            estimator.fit(OTHER_DOCS)  # ...refitted on other documents, interrupted
    _assert_unchanged(estimator, snapshot, expected)


@pytest.mark.parametrize("name", TRAINING)
def test_interrupted_first_fit_leaves_the_estimator_unfitted(name):
    make, patch_training = TRAINING[name]
    estimator = make(pooling="idf")
    before = dict(vars(estimator))
    with patch_training() as training:
        training.side_effect = KeyboardInterrupt
        with pytest.raises(KeyboardInterrupt):
            estimator.fit(DOCS)
    assert vars(estimator) == before
