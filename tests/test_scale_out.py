"""Searches under joblib's dask backend on a local cluster match the default backend."""

import warnings

import numpy as np
import pytest
from sklearn.datasets import make_classification
from sklearn.experimental import enable_halving_search_cv  # noqa: F401
from sklearn.model_selection import GridSearchCV, HalvingRandomSearchCV, RandomizedSearchCV

import sktext
from sktext.utils._testing import make_topic_corpus

distributed = pytest.importorskip("dask.distributed")
joblib = pytest.importorskip("joblib")

pytestmark = pytest.mark.filterwarnings(
    "ignore::sklearn.exceptions.ConvergenceWarning",
    # the workers' own resource warnings when the cluster shuts down
    "ignore::ResourceWarning",
)

DOCS, LABELS = make_topic_corpus(80)
X_NUM, Y_NUM = make_classification(n_samples=120, n_features=10, random_state=0)


@pytest.fixture(scope="module")
def client(dask_processes):
    """2 worker processes with 1 thread each: torch in each worker uses 1 thread too."""
    return dask_processes


def _run(search, X, y, backend):
    """Fit on the cluster (2 jobs), or with the default backend (in this process)."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        if backend == "dask":
            with joblib.parallel_backend("dask"):
                search.fit(X, y)
        else:
            search.set_params(n_jobs=None).fit(X, y)
    return search


def _assert_same_search(a, b):
    np.testing.assert_array_equal(
        a.cv_results_["mean_test_score"], b.cv_results_["mean_test_score"]
    )
    assert a.best_params_ == b.best_params_


def _grid_search(estimator, grid):
    return GridSearchCV(estimator, grid, cv=2, n_jobs=2)


def test_grid_search_mlp_on_dask(client):
    est = sktext.MLPClassifier(hidden_layer_sizes=(8,), max_iter=5, random_state=0)
    grid = {"alpha": [1e-4, 1e-1], "learning_rate_init": [1e-3, 1e-2]}
    default = _run(_grid_search(est, grid), X_NUM, Y_NUM, "default")
    on_dask = _run(_grid_search(est, grid), X_NUM, Y_NUM, "dask")
    _assert_same_search(default, on_dask)

    # the fits ran on both workers, with the sktext this process tests (a nested
    # function is sent by value: the workers cannot import this test module)
    def _sktext_file():
        import sys

        return getattr(sys.modules.get("sktext.neural_network._mlp"), "__file__", None)

    from sktext.neural_network import _mlp

    assert list(client.run(_sktext_file).values()) == [_mlp.__file__] * 2
    np.testing.assert_array_equal(
        default.best_estimator_.predict_proba(X_NUM), on_dask.best_estimator_.predict_proba(X_NUM)
    )


def test_grid_search_text_cnn_on_dask(client):
    est = sktext.TextCNNClassifier(
        num_filters=4, embedding_dim=8, filter_sizes=(2,), max_iter=2, random_state=0
    )
    grid = {"num_filters": [2, 4], "dropout": [0.0, 0.5]}
    default = _run(_grid_search(est, grid), DOCS, LABELS, "default")
    on_dask = _run(_grid_search(est, grid), DOCS, LABELS, "dask")
    _assert_same_search(default, on_dask)


def test_randomized_and_halving_searches_on_dask(client):
    est = sktext.MLPClassifier(hidden_layer_sizes=(8,), random_state=0, n_iter_no_change=100)
    space = {"alpha": [1e-5, 1e-3, 1e-1], "learning_rate_init": [1e-3, 3e-3, 1e-2]}
    for make in (
        lambda: RandomizedSearchCV(
            est.set_params(max_iter=4), space, n_iter=4, cv=2, n_jobs=2, random_state=0
        ),
        lambda: HalvingRandomSearchCV(
            est,
            space,
            resource="max_iter",
            min_resources=2,
            max_resources=6,
            factor=3,
            cv=2,
            n_jobs=2,
            random_state=0,
        ),
    ):
        default = _run(make(), X_NUM, Y_NUM, "default")
        on_dask = _run(make(), X_NUM, Y_NUM, "dask")
        _assert_same_search(default, on_dask)
