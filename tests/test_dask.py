"""sktext.dask.predict on a local cluster of 2 worker processes equals local prediction."""

import itertools
import warnings

import numpy as np
import pandas as pd
import pytest
from sklearn.exceptions import NotFittedError
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.pipeline import make_pipeline

import sktext
from sktext.utils._safety import UnsafeModelError
from sktext.utils._testing import make_topic_corpus

distributed = pytest.importorskip("dask.distributed")
dd = pytest.importorskip("dask.dataframe")
db = pytest.importorskip("dask.bag")
dask = pytest.importorskip("dask")
sktext_dask = pytest.importorskip("sktext.dask")

pytestmark = pytest.mark.filterwarnings(
    "ignore::sklearn.exceptions.ConvergenceWarning",
    # the workers' own resource warnings when the cluster shuts down
    "ignore::ResourceWarning",
)

DOCS, LABELS = make_topic_corpus(60)
# unequal partitions, one of them empty
BOUNDS = [0, 7, 7, 30, 60]


@pytest.fixture(scope="module")
def client(dask_processes):
    """2 worker processes with 1 thread each: the model is pickled or loaded per worker."""
    return dask_processes


@pytest.fixture(scope="module")
def models():
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        cnn = sktext.TextCNNClassifier(
            num_filters=4, embedding_dim=8, filter_sizes=(2,), max_iter=2, random_state=0
        ).fit(DOCS, LABELS)
        pipeline = make_pipeline(
            TfidfVectorizer(),
            sktext.MLPClassifier(hidden_layer_sizes=(8,), max_iter=5, random_state=0),
        ).fit(DOCS, LABELS)
    return {"cnn": cnn, "pipeline": pipeline}


@pytest.fixture(scope="module")
def model_file(models, tmp_path_factory):
    path = tmp_path_factory.mktemp("dask") / "cnn.sktext"
    sktext.save(models["cnn"], path)
    return path


def _parts():
    frame = pd.DataFrame({"text": DOCS, "n_words": [len(d.split()) for d in DOCS]})
    return [frame.iloc[a:b] for a, b in itertools.pairwise(BOUNDS)]


def _frame():
    """A dask DataFrame of the documents in 4 partitions of 7, 0, 23 and 30 rows."""
    parts = _parts()
    frame = dd.from_delayed(
        [dask.delayed(part) for part in parts], meta=parts[0].iloc[:0], divisions=[0, 7, 7, 30, 59]
    )
    assert frame.map_partitions(len).compute().tolist() == [7, 0, 23, 30]
    return frame


@pytest.mark.parametrize("name", ["cnn", "pipeline", "file"])
@pytest.mark.parametrize("method", ["predict", "predict_proba"])
def test_cluster_predictions_equal_local_ones(client, models, model_file, name, method):
    model = models["cnn" if name == "file" else name]
    result = sktext_dask.predict(
        model_file if name == "file" else model, _frame(), column="text", method=method
    )
    local = getattr(model, method)(DOCS)
    out = result.compute()
    np.testing.assert_array_equal(out.index, np.arange(len(DOCS)))
    if method == "predict":
        assert isinstance(out, pd.Series)
        np.testing.assert_array_equal(out.to_numpy(), local)
    else:
        assert list(out.columns) == list(model.classes_)
        # exactly what the model gives on the same partitions in this process...
        per_part = np.vstack([getattr(model, method)(p["text"]) for p in _parts() if len(p)])
        np.testing.assert_array_equal(out.to_numpy(), per_part)
        # ...and, to float32 rounding, on all the documents at once (a CNN's batches are
        # padded to their longest document: other batches, other sums)
        np.testing.assert_allclose(out.to_numpy(), local, rtol=0, atol=1e-6)


def test_an_empty_partition_does_not_call_the_model(client, models):
    # the pipeline's MLP refuses 0 documents: the empty partition must not reach it
    with pytest.raises(ValueError, match="0 sample"):
        models["pipeline"].predict(DOCS[:0])
    out = sktext_dask.predict(models["pipeline"], _frame()["text"]).compute()
    np.testing.assert_array_equal(out.to_numpy(), models["pipeline"].predict(DOCS))


def _keys_per_worker(client):
    return {worker: len(keys) for worker, keys in client.has_what().items()}


def test_an_estimator_is_scattered_once_to_every_worker(client, models):
    before = _keys_per_worker(client)
    result = sktext_dask.predict(models["cnn"], _frame(), column="text")
    after = _keys_per_worker(client)
    # lazy, yet the model is already on both workers: one key each
    assert {w: after[w] - before.get(w, 0) for w in after} == {w: 1 for w in after}
    assert len(after) == 2
    np.testing.assert_array_equal(result.compute().to_numpy(), models["cnn"].predict(DOCS))


def test_a_model_file_is_loaded_once_per_worker(client, models, tmp_path):
    # a nested function is sent by value: the workers cannot import this test module
    def _load_count():
        import sys

        return sys.modules["sktext.dask"]._load_count

    path = tmp_path / "cnn.sktext"
    sktext.save(models["cnn"], path)
    before = client.run(_load_count)
    for method in ("predict", "predict_proba"):
        sktext_dask.predict(path, _frame(), column="text", method=method).compute()
    loads = {w: n - before[w] for w, n in client.run(_load_count).items()}
    # 7 tasks (a check and 3 non-empty partitions per method) on 2 workers
    assert sorted(loads.values()) in ([0, 1], [1, 1])
    assert _load_count() == 0  # the caller never read the file


def test_a_bag_of_documents(client, models):
    bag = db.from_sequence(DOCS, npartitions=4)
    parts = [part.compute() for part in bag.to_delayed()]
    assert [len(part) for part in parts] == [15] * 4
    model = models["pipeline"]
    out = sktext_dask.predict(model, bag).compute()
    np.testing.assert_array_equal(out, model.predict(DOCS))
    out = np.asarray(sktext_dask.predict(model, bag, method="predict_proba").compute())
    np.testing.assert_array_equal(out, np.vstack([model.predict_proba(p) for p in parts]))
    np.testing.assert_allclose(out, model.predict_proba(DOCS), rtol=0, atol=1e-6)


def test_a_dask_series_keeps_the_index(client, models):
    frame = _frame()
    frame = frame.assign(label=sktext_dask.predict(models["cnn"], frame["text"]))
    out = frame.compute()
    np.testing.assert_array_equal(out["label"].to_numpy(), models["cnn"].predict(DOCS))


# ------------------------------------------------------------------ errors
def test_unknown_method(models):
    with pytest.raises(ValueError, match=r"method must be one of .*'predict_proba'.*'score'"):
        sktext_dask.predict(models["cnn"], _frame(), column="text", method="score")


def test_not_fitted_model(client, tmp_path):
    unfitted = sktext.TextCNNClassifier()
    with pytest.raises(NotFittedError):
        sktext_dask.predict(unfitted, _frame(), column="text")
    # a bag has no sample row to try the model on: the check itself must refuse it
    with pytest.raises(NotFittedError):
        sktext_dask.predict(unfitted, db.from_sequence(DOCS, npartitions=2))
    path = tmp_path / "unfitted.sktext"
    sktext.save(unfitted, path)
    # checked on a worker, which reads the file: the error reaches the caller
    with pytest.raises(NotFittedError):
        sktext_dask.predict(path, _frame(), column="text")


def test_a_method_the_model_lacks(client):
    regressor = sktext.MLPRegressor(max_iter=2, random_state=0)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        regressor.fit(np.eye(4), np.arange(4.0))
    frame = dd.from_pandas(pd.DataFrame({"a": [0.0, 1.0], "b": [1.0, 0.0]}), npartitions=1)
    with pytest.raises(AttributeError, match="predict_proba"):
        sktext_dask.predict(regressor, frame, method="predict_proba")


@pytest.mark.parametrize("X", [DOCS, pd.Series(DOCS), np.array(DOCS)])
def test_not_a_dask_collection(models, X):
    with pytest.raises(TypeError, match="X must be a dask DataFrame, dask Series or dask Bag"):
        sktext_dask.predict(models["cnn"], X)


def test_missing_text_column(models):
    with pytest.raises(ValueError, match=r"column='review' is not a column of X.*'text'"):
        sktext_dask.predict(models["cnn"], _frame(), column="review")


@pytest.mark.parametrize("kind", ["series", "bag"])
def test_a_column_of_a_series_or_bag(models, kind):
    X = _frame()["text"] if kind == "series" else db.from_sequence(DOCS, npartitions=2)
    with pytest.raises(ValueError, match="column='text' selects a column of a DataFrame"):
        sktext_dask.predict(models["cnn"], X, column="text")


def test_device_only_with_a_path(models):
    with pytest.raises(TypeError, match="device= applies to a model loaded from a path"):
        sktext_dask.predict(models["cnn"], _frame(), column="text", device="cpu")


def test_a_sparse_output_in_a_dataframe(models):
    tfidf = models["pipeline"][0]
    with pytest.raises(TypeError, match="sparse matrix.*dask Bag"):
        sktext_dask.predict(tfidf, _frame(), column="text", method="transform")


def test_an_unsafe_file_is_refused(client, tmp_path):
    path = tmp_path / "model.sktext"
    path.write_bytes(b"not a model file")
    # read on a worker by the safe loader, which refuses it: the error reaches the caller
    with pytest.raises(UnsafeModelError, match="not a valid sktext model file|zip"):
        sktext_dask.predict(path, _frame(), column="text")
