"""scikit-learn's estimator checks and sktext's text-aware checks over every estimator."""

import importlib.util
import warnings

import numpy as np
import pytest
from sklearn.datasets import make_classification
from sklearn.exceptions import ConvergenceWarning
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.pipeline import make_pipeline
from sklearn.utils.estimator_checks import parametrize_with_checks

from sktext import (
    DistilledClassifier,
    DistilledRegressor,
    FastTextTransformer,
    GloVeTransformer,
    LSTMClassifier,
    LSTMRegressor,
    MLPClassifier,
    MLPRegressor,
    NeuralTextClassifier,
    NeuralTextRegressor,
    TextCNNClassifier,
    TextCNNRegressor,
    TransformerClassifier,
    TransformerRegressor,
    Word2VecTransformer,
)
from sktext.embeddings import SentenceEncoder
from sktext.neural_network._custom import MeanEmbeddingModule
from sktext.preprocessing import SequenceVectorizer, TextAugmenter
from sktext.utils._testing import make_topic_corpus, tiny_transformer_path
from sktext.utils.estimator_checks import parametrize_with_text_checks

# ------------------------------------------------------- numeric input: sklearn's checks
# The default MLPs compute in float32 (their ``dtype``). Three checks compare two fits or
# two prediction calls on float64 data to float64's 1e-7 tolerance, which float32
# rounding (a few ulps of 1.2e-7) cannot meet whatever the code does; tests of their own
# check the same properties at float32's precision and fail on a real defect. With
# ``dtype="float64"`` every check passes to its own tolerance.
_FLOAT32_TOLERANCE = {
    "check_sample_weight_equivalence_on_dense_data": (
        "float32 sums over weighted and repeated rows differ by ulps: "
        "tests/neural_network/test_mlp.py::test_sample_weight_equivalence"
    ),
    "check_sample_weight_equivalence_on_sparse_data": (
        "float32 sums over weighted and repeated rows differ by ulps: "
        "tests/neural_network/test_mlp.py::test_sample_weight_equivalence"
    ),
    "check_methods_subset_invariance": (
        "float32 matrix products of other batch sizes differ by ulps: "
        "tests/neural_network/test_mlp.py::test_predictions_do_not_depend_on_the_batch"
    ),
}


def _float32_tolerance(estimator):
    return _FLOAT32_TOLERANCE if estimator.dtype == "float32" else {}


@parametrize_with_checks(
    [
        MLPClassifier(),
        MLPRegressor(),
        MLPClassifier(dtype="float64", max_iter=100),
        MLPRegressor(dtype="float64", max_iter=100),
    ],
    expected_failed_checks=_float32_tolerance,
)
def test_sklearn_compatible_estimator(estimator, check):
    check(estimator)


_X, _y = make_classification(n_samples=120, n_features=8, n_informative=5, random_state=0)
_y = np.where(_y == 1, "spam", "ham")
_Y_MULTILABEL = np.c_[_y == "spam", _X[:, 0] > 0].astype(int)


@parametrize_with_text_checks(
    [
        (MLPClassifier(hidden_layer_sizes=(8,), max_iter=5), _X, _y),
        (MLPClassifier(hidden_layer_sizes=(8,), max_iter=5), _X, _Y_MULTILABEL),
        (MLPRegressor(hidden_layer_sizes=(8,), max_iter=5), _X, _X[:, 0] * 3 + 10),
    ],
    text_input=False,
)
def test_numeric_estimator_text_aware_checks(estimator, check):
    check(estimator)


# ------------------------------------------------------ raw text: sktext's text checks
DOCS, LABELS = make_topic_corpus(60)
# a multi-label target (the topic, and whether the document holds "the") and a numeric
# one (topic and word counts on a scale far from 1, which the text regressors standardize)
_TOPICS = np.unique(LABELS)
_HAS_THE = np.array(["the" in d.split() for d in DOCS])
MULTILABEL = np.c_[np.asarray(LABELS) == _TOPICS[0], _HAS_THE].astype(int)
SCORES = 500.0 + 100.0 * (np.asarray(LABELS) == _TOPICS[0]) + 30.0 * _HAS_THE

TEXT_CASES = [
    (SequenceVectorizer(), DOCS, LABELS, {"max_length": [3, None]}),
    (
        Word2VecTransformer(vector_size=8, min_count=1, epochs=2, workers=1),
        DOCS,
        LABELS,
    ),
    (
        FastTextTransformer(vector_size=8, min_count=1, epochs=2, bucket=1000, workers=1),
        DOCS,
        LABELS,
    ),
    (
        GloVeTransformer(vector_size=8, min_count=1, window=5, epochs=5, batch_size=256),
        DOCS,
        LABELS,
    ),
    (
        TextCNNClassifier(
            num_filters=4, embedding_dim=8, filter_sizes=(2, 3), max_iter=2, early_stopping=False
        ),
        DOCS,
        LABELS,
        {"num_filters": [2, 4], "filter_sizes": [(2,), (2, 3)]},
    ),
    (
        LSTMClassifier(hidden_size=4, embedding_dim=8, max_iter=2, early_stopping=False),
        DOCS,
        LABELS,
        {"cell": ["lstm", "gru"], "bidirectional": [True, False], "hidden_size": [2, 4]},
    ),
    (
        TextCNNClassifier(num_filters=4, embedding_dim=8, max_iter=2, early_stopping=False),
        DOCS,
        MULTILABEL,
    ),
    (
        TextCNNRegressor(num_filters=4, embedding_dim=8, max_iter=2),
        DOCS,
        SCORES,
        {"num_filters": [2, 4]},
    ),
    (
        LSTMRegressor(hidden_size=4, embedding_dim=8, max_iter=2),
        DOCS,
        SCORES,
    ),
    (
        NeuralTextClassifier(MeanEmbeddingModule, {"embedding_dim": 8}, max_iter=2),
        DOCS,
        LABELS,
        {"module_params": [{"embedding_dim": 4}, {"embedding_dim": 8}]},
    ),
    (
        NeuralTextRegressor(MeanEmbeddingModule, {"embedding_dim": 8}, max_iter=2),
        DOCS,
        SCORES,
    ),
]
TEXT_CASES += [
    (
        DistilledClassifier(
            TextCNNClassifier(num_filters=4, embedding_dim=8, max_iter=2, early_stopping=False),
            make_pipeline(TfidfVectorizer(), MLPClassifier(hidden_layer_sizes=(8,), max_iter=5)),
            augmenter=TextAugmenter(n_copies=2),
        ),
        DOCS,
        LABELS,
        {"temperature": [1.0, 2.0]},
    ),
    (
        DistilledRegressor(
            TextCNNRegressor(num_filters=4, embedding_dim=8, max_iter=2),
            TextCNNRegressor(num_filters=2, embedding_dim=8, max_iter=2),
            augmenter=TextAugmenter(n_copies=2),
        ),
        DOCS,
        SCORES,
    ),
]
if importlib.util.find_spec("transformers") is not None:
    # a tiny random BERT written to a temporary directory (no model files in the repo)
    TEXT_CASES += [
        (
            TransformerClassifier(model=tiny_transformer_path(), max_iter=2, batch_size=16),
            DOCS,
            LABELS,
            {"pooling": ["mean", "cls"], "learning_rate_init": [1e-3, 3e-3]},
        ),
        (
            TransformerRegressor(model=tiny_transformer_path(), max_iter=2, batch_size=16),
            DOCS,
            SCORES,
        ),
        (
            SentenceEncoder(model=tiny_transformer_path()),
            DOCS,
            LABELS,
            {"pooling": ["mean", "cls"], "normalize": [False, True]},
        ),
    ]


@parametrize_with_text_checks(TEXT_CASES)
@pytest.mark.filterwarnings("ignore::sktext.embeddings.EmptyDocumentWarning")  # by design
def test_text_aware_checks(estimator, check):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        check(estimator)


# ------------------------------------------- DataFrames: text beside other columns
def _frame(docs):
    import pandas as pd

    rng = np.random.default_rng(0)
    n = len(docs)
    return pd.DataFrame(
        {
            "text": docs,
            "title": [" ".join(d.split()[:2]) for d in docs],
            "price": np.where(rng.random(n) < 0.1, np.nan, rng.lognormal(size=n)),
            "shop": rng.choice(["north", "south", "east"], size=n),
            "when": pd.to_datetime("2016-01-01") + pd.to_timedelta(rng.integers(0, 900, n), "h"),
            "sale": rng.random(n) < 0.5,
        }
    )


FRAME = _frame(DOCS)
_SMALL = {"max_iter": 2, "early_stopping": False}
FRAME_CASES = [
    (
        TextCNNClassifier(
            text_columns=["text", "title"], num_filters=4, embedding_dim=8, filter_sizes=(2,),
            **_SMALL,
        ),
        FRAME,
        LABELS,
        {"fusion": ["concat", "gate"]},
    ),
    (
        TextCNNRegressor(
            text_columns="text", num_filters=4, embedding_dim=8, filter_sizes=(2,),
            fusion="attention", **_SMALL,
        ),
        FRAME,
        SCORES,
    ),
    (
        LSTMClassifier(
            text_columns="text", hidden_size=4, embedding_dim=8, fusion="gate", **_SMALL
        ),
        FRAME,
        MULTILABEL,
    ),
    (
        LSTMRegressor(text_columns=["text", "title"], hidden_size=4, embedding_dim=8, **_SMALL),
        FRAME,
        SCORES,
    ),
    (
        NeuralTextClassifier(
            MeanEmbeddingModule, {"embedding_dim": 8}, text_columns="text", **_SMALL
        ),
        FRAME,
        LABELS,
    ),
    (
        NeuralTextRegressor(
            MeanEmbeddingModule, {"embedding_dim": 8}, text_columns="text", **_SMALL
        ),
        FRAME,
        SCORES,
    ),
]  # fmt: skip
if importlib.util.find_spec("transformers") is not None:
    FRAME_CASES += [
        (
            TransformerClassifier(
                model=tiny_transformer_path(), text_columns=["text", "title"], batch_size=16,
                max_iter=2,
            ),
            FRAME,
            LABELS,
        ),
        (
            TransformerRegressor(
                model=tiny_transformer_path(), text_columns="text", batch_size=16, max_iter=2
            ),
            FRAME,
            SCORES,
        ),
    ]  # fmt: skip


@parametrize_with_text_checks(FRAME_CASES, frame_input=True)
@pytest.mark.filterwarnings("ignore::sktext.embeddings.EmptyDocumentWarning")  # by design
def test_text_aware_checks_on_dataframes(estimator, check):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        check(estimator)
