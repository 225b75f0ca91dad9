"""dask-ml's incremental searches (Hyperband, IncrementalSearchCV) over sktext's partial_fit.

dask-ml 2025.1.0 (its newest release, and its main branch of 2025-05) calls ``dask.persist``
inside the coroutine that its searches run on the distributed Client's event loop. From dask
2025.3.0 on, ``dask.persist``/``dask.compute`` refuse an asynchronous Client ("Attempting to
use an asynchronous Client in a synchronous context of `dask.compute`"; dask/dask#11790,
reported to dask-ml as dask/dask-ml#1016, open). With dask and distributed 2025.2.0 the same
tests pass (checked with scikit-learn 1.9.1 and pandas 3.1.1); with a newer dask they are
expected to fail with that error, strictly: a dask-ml release that fixes it turns them into
failures here, the sign to drop the mark and declare dask-ml in pyproject.toml.
"""

import warnings

import numpy as np
import pytest
from packaging.version import Version
from scipy.stats import loguniform
from sklearn.feature_extraction.text import TfidfVectorizer

import sktext
from sktext.utils._testing import make_topic_corpus

dask = pytest.importorskip("dask")
da = pytest.importorskip("dask.array")
distributed = pytest.importorskip("dask.distributed")
model_selection = pytest.importorskip("dask_ml.model_selection")

pytestmark = [
    pytest.mark.usefixtures("one_torch_thread"),  # tests/conftest.py
    pytest.mark.filterwarnings(
        "ignore::sklearn.exceptions.ConvergenceWarning", "ignore::ResourceWarning"
    ),
    pytest.mark.xfail(
        Version(dask.__version__) >= Version("2025.3.0"),
        reason="dask-ml calls dask.persist with an asynchronous Client (dask/dask-ml#1016)",
        raises=RuntimeError,
        strict=True,
    ),
]

DOCS, LABELS = make_topic_corpus(120)


@pytest.fixture(scope="module")
def client():
    """Two worker threads in this process (the models never leave it, nothing to pickle)."""
    with (
        distributed.LocalCluster(
            n_workers=2, threads_per_worker=1, processes=False, dashboard_address=None
        ) as cluster,
        distributed.Client(cluster) as client,
    ):
        yield client


def _chunked(X, y):
    """40 documents per block: each partial_fit call trains one epoch on one block."""
    X = np.asarray(X)
    chunks = (40,) if X.ndim == 1 else (40, -1)
    return da.from_array(X, chunks=chunks), da.from_array(np.asarray(y), chunks=40)


def test_hyperband_over_a_text_cnn_on_raw_texts(client):
    X, y = _chunked(np.asarray(DOCS, dtype=object), LABELS)
    search = model_selection.HyperbandSearchCV(
        sktext.TextCNNClassifier(
            num_filters=8, embedding_dim=16, filter_sizes=(2,), batch_size=8, random_state=0
        ),
        {"learning_rate_init": loguniform(1e-6, 1e-1)},
        max_iter=9,
        random_state=0,
    )
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", FutureWarning)
        search.fit(X, y, classes=np.unique(LABELS))
    # Hyperband stopped the models of its later brackets early
    calls = np.asarray(search.cv_results_["partial_fit_calls"])
    assert search.metadata_["n_models"] == len(calls) > 3
    assert calls.min() < 9 and calls.max() == 9
    best = search.best_estimator_
    assert isinstance(best, sktext.TextCNNClassifier)
    # one epoch per partial_fit call, as many as dask-ml made on the best model
    assert len(best.history_) == calls[search.best_index_]
    assert best.predict(DOCS[:20]).tolist() == search.predict(DOCS[:20]).tolist()
    assert np.mean(best.predict(DOCS) == LABELS) > 0.8


def test_incremental_search_over_an_mlp_on_tfidf(client):
    tfidf = TfidfVectorizer().fit_transform(DOCS).toarray().astype(np.float32)
    X, y = _chunked(tfidf, LABELS)
    search = model_selection.IncrementalSearchCV(
        sktext.MLPClassifier(hidden_layer_sizes=(16,), random_state=0),
        {"learning_rate_init": loguniform(1e-6, 1e-1), "alpha": loguniform(1e-6, 1e-2)},
        n_initial_parameters=4,
        max_iter=6,
        decay_rate=None,
        random_state=0,
    )
    search.fit(X, y, classes=np.unique(LABELS))
    assert len(search.cv_results_["params"]) == 4
    best = search.best_estimator_
    assert isinstance(best, sktext.MLPClassifier)
    assert best.learning_rate_init == search.best_params_["learning_rate_init"]
    assert np.mean(best.predict(tfidf) == LABELS) > 0.8
