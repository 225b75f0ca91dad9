"""When the coverage of pretrained vectors warns, and when it only informs."""

import warnings

import numpy as np
import pytest
from gensim.models import KeyedVectors
from sklearn.exceptions import ConvergenceWarning

from sktext import LSTMClassifier, TextCNNClassifier
from sktext.embeddings import Word2VecTransformer
from sktext.neural_network._embedding_init import pretrained_embedding_matrix, report_coverage

#: a vocabulary with a Zipf tail: 2 frequent words, 8 words seen once
VOCABULARY = ["<pad>", "<unk>", "good", "bad"] + [f"rare{i}" for i in range(8)]
COUNTS = [0, 0, 50, 50] + [1] * 8


def _vectors(words, dim=4):
    wv = KeyedVectors(vector_size=dim)
    wv.add_vectors(words, np.random.RandomState(0).randn(len(words), dim).astype(np.float32))
    return wv


def _report(estimator, wv, counts=COUNTS):
    coverage = pretrained_embedding_matrix(wv, VOCABULARY, token_counts=counts, random_state=0)
    report_coverage(estimator, coverage)
    return coverage


def test_readme_transfer_example_fits_without_a_warning(caplog):
    """The README's ``LSTMClassifier(embeddings=Word2VecTransformer())``: word2vec's
    ``min_count=5`` leaves most words of the ``min_df=1`` vocabulary without a vector,
    but they are rare ones; this used to warn "check the tokenization"."""
    from sktext.datasets import load_rotten_tomatoes

    X, y = load_rotten_tomatoes(subset="train", return_X_y=True)
    X, y = X[:1000], y[:1000]
    clf = LSTMClassifier(
        embeddings=Word2VecTransformer(vector_size=16, epochs=1, workers=1),
        hidden_size=8,
        max_iter=1,
        random_state=0,
    )
    with warnings.catch_warnings(), caplog.at_level("INFO", logger="sktext"):
        warnings.simplefilter("error")
        warnings.simplefilter("ignore", ConvergenceWarning)  # max_iter=1, for speed
        clf.fit(X, y)
    assert clf.embedding_coverage_ < 0.5 < clf.embedding_token_coverage_
    message = next(r.getMessage() for r in caplog.records if "pretrained vectors" in r.getMessage())
    assert "Word2VecTransformer(min_count=5), fitted on the training texts" in message
    assert "seen fewer than 5 times" in message


def test_mismatched_tokenization_still_warns():
    # vectors keyed by stems: only the short words match the classifier's vocabulary
    wv = _vectors(["good", "ba"] + [f"rar{i}" for i in range(8)])
    with pytest.warns(UserWarning, match="tokenized the same way") as record:
        coverage = _report(TextCNNClassifier(embeddings=wv), wv)
    assert coverage.token_coverage < 0.5
    assert "pretrained vectors for 1 of 10 vocabulary words (10.0%)" in str(record[0].message)


def test_missing_rare_words_only_inform(caplog):
    """Pretrained vectors without the rare words (the usual Zipf tail): no warning."""
    wv = _vectors(["good", "bad", "unrelated"])
    with warnings.catch_warnings(), caplog.at_level("INFO", logger="sktext"):
        warnings.simplefilter("error")
        coverage = _report(TextCNNClassifier(embeddings=wv), wv)
    assert coverage.coverage == pytest.approx(0.2)
    assert coverage.token_coverage == pytest.approx(100 / 108)
    assert "the words without a vector are rare ones" in caplog.text
    # without token counts, the share of the vocabulary decides
    with pytest.warns(UserWarning, match="20.0%"):
        _report(TextCNNClassifier(embeddings=wv), wv, counts=None)


def test_transformer_fitted_on_too_little_text_warns():
    """A transformer fitted by the classifier cannot mismatch the tokenization, but too
    little text for its min_count leaves most tokens without a vector."""
    wv = _vectors(["good"])
    clf = TextCNNClassifier(embeddings=Word2VecTransformer(min_count=7))
    with pytest.warns(UserWarning, match=r"min_count=7\), fitted on these training texts"):
        _report(clf, wv, counts=[0, 0, 5, 10] + [1] * 8)
