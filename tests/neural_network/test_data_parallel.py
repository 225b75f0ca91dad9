"""Data-parallel training on torch.distributed (gloo, 2 processes of 1 thread on CPUs).

A data-parallel fit must take the same steps as one process taking the same global
batches (no dropout, batches in a fixed order): the same weights to float32 tolerance.
"""

import os
import pickle
import signal
import subprocess
import sys
import textwrap
import time
import warnings

import cloudpickle
import numpy as np
import pytest
import torch
from sklearn.base import clone
from sklearn.exceptions import ConvergenceWarning
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.utils._param_validation import InvalidParameterError
from skorch.callbacks import Callback

import sktext
from sktext.neural_network._distributed import (
    DataParallelError,
    ShardedBatches,
    data_parallel_group,
    local_workers,
    split_filler,
)
from sktext.utils._testing import make_tiny_transformer

# the callbacks below travel to the worker processes by value
cloudpickle.register_pickle_by_value(sys.modules[__name__])

WORKER_MODULE = "sktext.neural_network._data_parallel_worker"
WORDS = "good bad great awful fine boring fun dull nice poor film plot actor scene".split()


def _texts(n, seed=0):
    rng = np.random.RandomState(seed)
    X = [" ".join(rng.choice(WORDS, rng.randint(1, 12))) for _ in range(n)]
    y = np.array(["pos" if ("good" in t or "great" in t) else "neg" for t in X])
    return X, y


def _env():
    """A child's environment: one thread, and this process's sktext (not an installed one)."""
    source = os.path.dirname(os.path.dirname(os.path.abspath(sktext.__file__)))
    path = os.pathsep.join(filter(None, [source, os.environ.get("PYTHONPATH")]))
    return {**os.environ, "OMP_NUM_THREADS": "1", "PYTHONPATH": path}


def _workers_alive():
    out = subprocess.run(["pgrep", "-f", WORKER_MODULE], capture_output=True, text=True)
    return [int(pid) for pid in out.stdout.split()]


def _no_worker_left(within=10):
    """No worker process is running (after at most ``within`` seconds of exiting)."""
    deadline = time.monotonic() + within
    while _workers_alive() and time.monotonic() < deadline:
        time.sleep(0.2)
    return not _workers_alive()


def _max_weight_difference(a, b):
    sa, sb = a.net_.module_.state_dict(), b.net_.module_.state_dict()
    assert sa.keys() == sb.keys()
    return max(float((sa[k].double() - sb[k].double()).abs().max()) for k in sa)


# ------------------------------------------------------------------ in one process


def test_shards_cover_every_batch_once_with_fillers():
    batches = [[5, 1, 7, 3, 9], [2, 4], [8]]
    shares = [list(ShardedBatches(batches, rank, 3)) for rank in range(3)]
    assert [len(s) for s in shares] == [3, 3, 3]  # every rank takes part in every step
    for b, batch in enumerate(batches):
        served = []
        for rank in range(3):
            rows, filler = split_filler(np.asarray(shares[rank][b]))
            assert set(rows) <= set(batch)
            if not filler:
                served.extend(rows)
        assert sorted(served) == sorted(batch)  # each row once, fillers aside
    # a rank with nothing of a batch gets one of its rows, marked as a filler
    assert split_filler(np.asarray(shares[2][1]))[1] is True
    assert split_filler(np.asarray(shares[1][2])) == ([8], True)
    assert split_filler(np.asarray(shares[0][2])) == ([8], False)


def test_a_filler_row_weighs_nothing():
    from sktext.neural_network._data import IndexDataset, make_loader
    from sktext.neural_network._distributed import FILLER_KEY

    dataset = IndexDataset(lambda idx: torch.as_tensor(idx), 5, y=np.arange(5))
    # batches of 2 (the last of 1) for a world of 3: rank 2 has nothing of any batch
    batches = list(make_loader(dataset, batch_size=2, shard=(2, 3)))
    assert len(batches) == 3
    for X, y in batches:
        assert X[FILLER_KEY] is True and len(y) == 1
        assert X["sample_weight"].tolist() == [0.0]
    X, y = next(iter(make_loader(dataset, batch_size=2, shard=(1, 3))))
    assert X[FILLER_KEY] is False and "sample_weight" not in X and y.tolist() == [1]


def test_no_process_group_means_one_process():
    assert not torch.distributed.is_initialized()
    assert data_parallel_group(None) is None
    assert data_parallel_group(2) is None
    assert [local_workers(v) for v in (None, False, True, 1, 2, 3)] == [0, 0, 0, 0, 2, 3]


@pytest.mark.parametrize("value", [0, -2, 1.5, "two"])
def test_bad_data_parallel_values_are_refused(value):
    X, y = _texts(20)
    with pytest.raises(InvalidParameterError, match="data_parallel"):
        sktext.TextCNNClassifier(data_parallel=value, max_iter=1).fit(X, y)


def test_lbfgs_is_refused_before_any_worker_starts():
    X = np.random.RandomState(0).rand(20, 3)
    y = np.arange(20) % 2
    clf = sktext.MLPClassifier(solver="lbfgs", data_parallel=2)
    with pytest.raises(ValueError, match="lbfgs.*data-parallel"):
        clf.fit(X, y)
    assert not hasattr(clf, "net_")


# ------------------------------------------------------------------ local workers


def test_local_workers_fit_like_one_process_and_return_an_ordinary_estimator(tmp_path):
    # TF-IDF (sparse: the first layer's lazy sparse gradients become dense ones), uneven
    # sample weights (the loss is normalised by the global batch's weight) and a last
    # batch of one row (a weight-0 filler on the second rank)
    X_text, y = _texts(201)
    X = TfidfVectorizer().fit_transform(X_text).astype(np.float32)
    weights = np.random.RandomState(1).uniform(0.2, 3.0, size=len(y))
    params = dict(
        hidden_layer_sizes=(8,), alpha=0.0, batch_size=50, max_iter=3, shuffle=False,
        random_state=0,
    )  # fmt: skip
    one = sktext.MLPClassifier(**params).fit(X, y, sample_weight=weights)
    clf = sktext.MLPClassifier(**params, data_parallel=2)
    with pytest.warns(ConvergenceWarning, match="Maximum iterations"):  # rank 0's, relayed
        clf.fit(X, y, sample_weight=weights)
    assert _no_worker_left()

    for a, b in zip(one.coefs_ + one.intercepts_, clf.coefs_ + clf.intercepts_, strict=True):
        np.testing.assert_allclose(b, a, rtol=0, atol=2e-6)
    np.testing.assert_allclose(clf.loss_curve_, one.loss_curve_, rtol=1e-6)
    assert clf.n_iter_ == one.n_iter_ == 3
    # rank 0's history holds the global batches (4 of 50, the last of 1)
    assert clf.net_.history[-1, "batches", :, "train_batch_size"] == [50, 50, 50, 50, 1]

    # an ordinary fitted estimator: nothing of torch.distributed is kept
    assert clf.data_parallel == 2
    assert not {"ddp_", "iterator_train__shard"} & set(vars(clf.net_))
    np.testing.assert_array_equal(clf.predict(X), one.predict(X))
    again = pickle.loads(pickle.dumps(clf))
    np.testing.assert_allclose(again.predict_proba(X), clf.predict_proba(X), atol=1e-7)
    assert clone(clf).get_params() == clf.get_params()
    sktext.save(clf, tmp_path / "mlp.sktext")
    loaded = sktext.load(tmp_path / "mlp.sktext")
    np.testing.assert_allclose(loaded.predict_proba(X), clf.predict_proba(X), atol=1e-7)


@pytest.mark.parametrize("model", ["lstm-regressor", "custom-regressor"])
def test_every_kind_of_model_fits_like_one_process(model, tmp_path):
    # the recurrent network and a user's own module, on numeric targets (standardized
    # by the estimator: the mean and scale must be the same on every rank)
    from sktext.neural_network._custom import MeanEmbeddingModule

    X, _ = _texts(150)
    y = np.array([len(t.split()) + 3.0 * ("good" in t) for t in X])
    common = dict(batch_size=32, shuffle=False, max_iter=3, early_stopping=False, random_state=0)
    if model == "lstm-regressor":
        make = sktext.LSTMRegressor
        params = dict(
            hidden_size=8, embedding_dim=8, dropout=0.0, embedding_dropout=0.0,
            word_dropout=0.0, layer_dropout=0.0, **common,
        )  # fmt: skip
    else:
        make = sktext.NeuralTextRegressor
        params = dict(module=MeanEmbeddingModule, module_params={"embedding_dim": 8}, **common)
    one, two = make(**params), make(**params, data_parallel=2)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        one.fit(X, y)
        two.fit(X, y)
    assert _no_worker_left()
    assert _max_weight_difference(one, two) < 1e-5
    np.testing.assert_allclose(two.target_scale_, one.target_scale_)
    np.testing.assert_allclose(two.predict(X), one.predict(X), rtol=1e-4, atol=1e-4)
    sktext.save(two, tmp_path / "model.sktext")
    trusted = ["sktext.neural_network._custom:MeanEmbeddingModule"]
    loaded = sktext.load(tmp_path / "model.sktext", trusted=trusted)
    np.testing.assert_array_equal(loaded.predict(X), two.predict(X))


@pytest.mark.slow
def test_a_data_parallel_estimator_inside_grid_search():
    from sklearn.model_selection import GridSearchCV

    X, y = _texts(120)
    search = GridSearchCV(_cnn(max_iter=2, data_parallel=2), {"num_filters": [2, 4]}, cv=2)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        search.fit(X, y)
    assert _no_worker_left()
    assert search.best_estimator_.data_parallel == 2
    assert search.best_estimator_.n_iter_ == 2
    assert search.score(X, y) > 0.5


class _FailOnRank(Callback):
    """Raise (or die) on one worker at the end of an epoch."""

    def __init__(self, rank, epoch, how):
        self.rank, self.epoch, self.how = rank, epoch, how

    def on_epoch_end(self, net, **kwargs):
        if os.environ.get("RANK") == str(self.rank) and len(net.history) == self.epoch:
            if self.how == "kill":
                os.kill(os.getpid(), signal.SIGKILL)
            raise ArithmeticError(f"worker {self.rank} failed on purpose")


def _cnn(**params):
    return sktext.TextCNNClassifier(
        **{"num_filters": 4, "embedding_dim": 8, "max_iter": 30, "early_stopping": False,
           "random_state": 0, **params}
    )  # fmt: skip


def test_a_worker_that_raises_ends_the_fit_with_its_error():
    X, y = _texts(200)
    clf = _cnn(data_parallel=2, callbacks=[_FailOnRank(1, 2, "raise")])
    with pytest.raises(ArithmeticError, match="failed on purpose") as info:
        clf.fit(X, y)
    assert "Raised in data-parallel worker 1" in "\n".join(info.value.__notes__)
    assert not hasattr(clf, "net_")
    assert _no_worker_left()


def test_a_killed_worker_ends_the_fit_quickly_and_leaves_no_process():
    X, y = _texts(200)
    fitted = _cnn(max_iter=1).fit(X, y)
    before = fitted.predict_proba(X)
    fitted.set_params(data_parallel=2, warm_start=True, callbacks=[_FailOnRank(1, 2, "kill")])
    start = time.monotonic()
    with pytest.raises(DataParallelError, match=r"worker 1: exit code -9 \(SIGKILL\)"):
        fitted.fit(X, y)
    assert time.monotonic() - start < 60
    assert _no_worker_left()
    # the estimator is as it was: the one-epoch model
    np.testing.assert_array_equal(fitted.predict_proba(X), before)
    assert fitted.n_iter_ == 1


def test_ctrl_c_in_the_caller_stops_the_workers(tmp_path):
    script = tmp_path / "fit.py"
    script.write_text(
        textwrap.dedent(
            """
            import sktext
            X = ["good film", "bad plot", "fine actor", "dull scene"] * 200
            y = [1, 0, 1, 0] * 200
            clf = sktext.TextCNNClassifier(max_iter=10_000, early_stopping=False,
                                           data_parallel=2)
            try:
                clf.fit(X, y)
            except KeyboardInterrupt:
                print("left unfitted:", not hasattr(clf, "net_"), flush=True)
                raise
            """
        )
    )
    proc = subprocess.Popen(
        [sys.executable, str(script)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=_env(),
    )
    deadline = time.monotonic() + 60
    while len(_workers_alive()) < 2 and time.monotonic() < deadline:
        time.sleep(0.5)
    assert len(_workers_alive()) == 2
    time.sleep(3)  # training
    proc.send_signal(signal.SIGINT)
    out, err = proc.communicate(timeout=60)
    assert proc.returncode != 0
    assert "\nKeyboardInterrupt\n" in err  # what Ctrl+C raises without data_parallel
    assert "left unfitted: True" in out, err[-3000:]  # the estimator as before fit
    assert _no_worker_left()


@pytest.mark.slow
def test_transformer_fits_like_one_process(tmp_path):
    import json

    make_tiny_transformer(tmp_path / "bert", WORDS)
    config = json.loads((tmp_path / "bert" / "config.json").read_text())
    config.update(hidden_dropout_prob=0.0, attention_probs_dropout_prob=0.0)
    (tmp_path / "bert" / "config.json").write_text(json.dumps(config))
    X, y = _texts(129)
    params = dict(
        model=str(tmp_path / "bert"), dropout=0.0, batch_size=64, max_iter=2, shuffle=False,
        random_state=0,
    )  # fmt: skip
    one = sktext.TransformerClassifier(**params).fit(X, y)
    two = sktext.TransformerClassifier(**params, data_parallel=2).fit(X, y)
    assert _max_weight_difference(one, two) < 1e-5
    np.testing.assert_allclose(two.loss_curve_, one.loss_curve_, rtol=1e-5)


# ------------------------------------------------------------------ under torchrun

TORCHRUN_SCRIPT = """
import pickle, sys
import numpy as np
import torch.distributed as dist
import sktext

X, y, params = pickle.load(open(sys.argv[1], "rb"))
dist.init_process_group("gloo")
rank = dist.get_rank()
clf = sktext.TextCNNClassifier(**params).fit(X, y)
state = {k: v.numpy() for k, v in clf.net_.module_.state_dict().items()}
# random_state=None: one seed for all ranks (the same split, weights and batches), rank
# 0's, although each rank's global NumPy generator draws another
np.random.seed(rank)
unseeded = sktext.TextCNNClassifier(**{**params, "random_state": None, "verbose": 0}).fit(X, y)
result = dict(rank=rank, n_iter=clf.n_iter_, scores=clf.validation_scores_,
              loss=clf.loss_curve_, state=state, verbose=clf.net_.verbose,
              unseeded=(unseeded.loss_curve_, unseeded.validation_scores_),
              unseeded_state={k: v.numpy() for k, v in unseeded.net_.module_.state_dict().items()})
pickle.dump(result, open(f"{sys.argv[2]}-{rank}.pkl", "wb"))
dist.destroy_process_group()
"""


def test_under_torchrun_every_rank_trains_the_same_model_and_stops_together(tmp_path):
    X, y = _texts(300)
    params = dict(
        num_filters=8, embedding_dim=8, dropout=0.0, word_dropout=0.0, batch_size=32,
        shuffle=False, max_iter=30, early_stopping=True, n_iter_no_change=1, tol=0.05,
        random_state=0, verbose=1,
    )  # fmt: skip
    with open(tmp_path / "data.pkl", "wb") as f:
        pickle.dump((X, y, params), f)
    (tmp_path / "script.py").write_text(TORCHRUN_SCRIPT)
    out = subprocess.run(
        [
            sys.executable, "-m", "torch.distributed.run", "--standalone",
            "--nproc_per_node", "2", str(tmp_path / "script.py"),
            str(tmp_path / "data.pkl"), str(tmp_path / "out"),
        ],
        capture_output=True, text=True, timeout=300, env=_env(),
    )  # fmt: skip
    assert out.returncode == 0, out.stderr[-3000:]
    ranks = [pickle.load(open(tmp_path / f"out-{r}.pkl", "rb")) for r in (0, 1)]
    # the stopping rule decided alike, before max_iter
    assert ranks[0]["n_iter"] == ranks[1]["n_iter"] < params["max_iter"]
    assert ranks[0]["scores"] == ranks[1]["scores"]
    for key, value in ranks[0]["state"].items():
        np.testing.assert_array_equal(ranks[1]["state"][key], value)
    assert ranks[0]["unseeded"] == ranks[1]["unseeded"]
    # only rank 0 prints the epoch table
    assert ranks[0]["verbose"] == 1 and ranks[1]["verbose"] == 0
    assert out.stdout.count("valid_acc") == 1

    one = sktext.TextCNNClassifier(**{**params, "verbose": 0}).fit(X, y)
    assert one.n_iter_ == ranks[0]["n_iter"]
    state = one.net_.module_.state_dict()
    for key, value in ranks[0]["state"].items():
        np.testing.assert_allclose(value, state[key].numpy(), rtol=0, atol=1e-5)
    # unseeded: what one process draws from rank 0's generator (random_state=None reads
    # NumPy's global generator, as scikit-learn's check_random_state does)
    saved = np.random.get_state()  # noqa: NPY002
    np.random.seed(0)  # noqa: NPY002
    try:
        one = sktext.TextCNNClassifier(**{**params, "random_state": None, "verbose": 0})
        one.fit(X, y)
    finally:
        np.random.set_state(saved)  # noqa: NPY002
    state = one.net_.module_.state_dict()
    for key, value in ranks[1]["unseeded_state"].items():
        np.testing.assert_allclose(value, state[key].numpy(), rtol=0, atol=1e-5)
