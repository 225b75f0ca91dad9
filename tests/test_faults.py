"""Faults injected during training: interrupts, failing callbacks, divergence.

The contract: Ctrl+C (``KeyboardInterrupt``) and any exception raised during ``fit``,
``partial_fit`` or a warm start reach the caller, and leave the estimator exactly as it
was before the call (unfitted after a failed first fit); diverged training raises
scikit-learn's error instead of returning NaN predictions.
"""

import pickle

import numpy as np
import pytest
import torch
from sklearn.exceptions import NotFittedError
from skorch.callbacks import Callback, EarlyStopping

from sktext import (
    LSTMClassifier,
    MLPClassifier,
    MLPRegressor,
    NeuralTextClassifier,
    TextCNNClassifier,
    TransformerClassifier,
)
from sktext.neural_network._custom import MeanEmbeddingModule
from sktext.neural_network._net import NonFiniteTrainingError
from sktext.utils._testing import make_topic_corpus, tiny_transformer_path

DOCS, LABELS = make_topic_corpus(60)
RNG = np.random.RandomState(0)
X_NUM = RNG.normal(size=(60, 5))
Y_NUM = (X_NUM[:, 0] + X_NUM[:, 1] > 0).astype(int)


def _make(cls, **kwargs):
    return cls(**{"max_iter": 4, "random_state": 0, "batch_size": 16, **kwargs})


# one small model of every kind: (factory, X, y)
ESTIMATORS = {
    "mlp": (
        lambda **kw: _make(MLPClassifier, **kw),
        X_NUM,
        Y_NUM,
    ),
    "mlp_regressor": (
        lambda **kw: _make(MLPRegressor, **kw),
        X_NUM,
        X_NUM[:, 0],
    ),
    "textcnn": (lambda **kw: _make(TextCNNClassifier, **kw), DOCS, LABELS),
    "lstm": (lambda **kw: _make(LSTMClassifier, hidden_size=8, **kw), DOCS, LABELS),
    "custom": (
        lambda **kw: _make(NeuralTextClassifier, module=MeanEmbeddingModule, **kw),
        DOCS,
        LABELS,
    ),
    "transformer": (
        lambda **kw: _make(TransformerClassifier, model=tiny_transformer_path(), **kw),
        DOCS,
        LABELS,
    ),
}


class Raise(Callback):
    """Raises ``exc`` at training batch ``batch`` of epoch ``epoch`` (counted from 1)."""

    def __init__(self, exc, *, epoch=1, batch=1):
        self.exc = exc
        self.epoch = epoch
        self.batch = batch

    def initialize(self):
        self.epochs_ = 0
        self.batches_ = 0
        return self

    def on_epoch_begin(self, net, **kwargs):
        self.epochs_ += 1
        self.batches_ = 0

    def on_batch_end(self, net, training=False, **kwargs):
        if not training:
            return
        self.batches_ += 1
        if (self.epochs_, self.batches_) == (self.epoch, self.batch):
            raise self.exc


class PoisonWeights(Callback):
    """Sets one weight to NaN after the first training batch (a diverged step)."""

    def on_batch_end(self, net, training=False, **kwargs):
        if training:
            with torch.no_grad():
                next(p for p in net.module_.parameters() if p.requires_grad).view(-1)[0] = float(
                    "nan"
                )


def _state(est):
    """Everything a user can observe of a fitted estimator, copied."""
    return {
        "net": est.net_,
        "n_iter_": est.n_iter_,
        "loss_curve_": list(est.loss_curve_),
        "history": len(est.net_.history),
        "weights": {k: v.detach().clone() for k, v in est.module_.state_dict().items()},
    }


def _assert_same_state(est, before, X):
    assert est.net_ is before["net"]
    assert est.n_iter_ == before["n_iter_"]
    assert est.loss_curve_ == before["loss_curve_"]
    assert len(est.net_.history) == before["history"]
    after = est.module_.state_dict()
    for name, value in before["weights"].items():
        torch.testing.assert_close(after[name], value, rtol=0, atol=0, msg=name)
    assert np.all(np.isfinite(est.predict_proba(X)))


@pytest.mark.parametrize("name", sorted(ESTIMATORS))
def test_interrupt_in_first_fit_reaches_caller_and_leaves_unfitted(name):
    make, X, y = ESTIMATORS[name]
    est = make(callbacks=[Raise(KeyboardInterrupt(), epoch=1, batch=1)])
    with pytest.raises(KeyboardInterrupt):
        est.fit(X, y)
    assert not hasattr(est, "net_") and not hasattr(est, "n_iter_")
    with pytest.raises(NotFittedError):
        est.predict(X)


@pytest.mark.parametrize("name", ["mlp", "textcnn", "transformer"])
def test_interrupt_in_middle_epoch_of_refit_keeps_previous_model(name):
    make, X, y = ESTIMATORS[name]
    raiser = Raise(KeyboardInterrupt(), epoch=3, batch=2)
    est = make(callbacks=[raiser], early_stopping=False)
    raiser.epoch = 99  # the first fit runs to the end
    est.fit(X, y)
    before, proba = _state(est), est.predict_proba(X)
    raiser.epoch = 3
    est.set_params(learning_rate_init=0.05)
    with pytest.raises(KeyboardInterrupt):
        est.fit(X, y)
    _assert_same_state(est, before, X)
    np.testing.assert_array_equal(est.predict_proba(X), proba)
    assert est.learning_rate_init == 0.05  # parameters are the user's, untouched


@pytest.mark.parametrize("name", ["mlp", "textcnn", "lstm"])
@pytest.mark.parametrize("how", ["warm_start", "partial_fit"])
def test_interrupt_while_continuing_restores_weights_and_history(name, how):
    make, X, y = ESTIMATORS[name]
    raiser = Raise(KeyboardInterrupt(), epoch=99)
    est = make(callbacks=[raiser], early_stopping=False, warm_start=True).fit(X, y)
    before, proba = _state(est), est.predict_proba(X)
    raiser.epoch, raiser.batch = 1, 2
    with pytest.raises(KeyboardInterrupt):
        if how == "warm_start":
            est.fit(X, y)
        else:
            est.partial_fit(X, y)
    _assert_same_state(est, before, X)
    np.testing.assert_array_equal(est.predict_proba(X), proba)
    # and training goes on normally afterwards
    raiser.epoch = 99
    est.partial_fit(X, y)
    assert est.n_iter_ == 1 and len(est.loss_curve_) == len(before["loss_curve_"]) + 1


@pytest.mark.parametrize("name", ["mlp", "lstm"])
def test_callback_exception_on_refit_leaves_previous_model(name):
    make, X, y = ESTIMATORS[name]
    raiser = Raise(RuntimeError("callback failed"), epoch=99)
    est = make(callbacks=[raiser]).fit(X, y)
    before = _state(est)
    raiser.epoch, raiser.batch = 2, 1
    with pytest.raises(RuntimeError, match="callback failed"):
        est.fit(X, y)
    _assert_same_state(est, before, X)


def test_skorch_early_stopping_callback_still_ends_training_cleanly():
    # skorch's EarlyStopping signals its stop with KeyboardInterrupt: not an interrupt
    est = MLPClassifier(
        max_iter=50,
        random_state=0,
        early_stopping=False,
        tol=0,
        callbacks=[EarlyStopping(monitor="train_loss", patience=2, threshold=10.0)],
    )
    try:
        est.fit(X_NUM, Y_NUM)
    except KeyboardInterrupt:
        pytest.fail("skorch's EarlyStopping stop was taken for Ctrl+C")
    # epoch 1 improves on infinity; the threshold of 10 is never beaten after it, so
    # epochs 2 and 3 are the patience=2 misses that stop training
    assert est.n_iter_ == 3


def test_sklearn_stopping_rule_still_stops_without_error():
    est = MLPClassifier(max_iter=50, random_state=0, tol=1e3, n_iter_no_change=2)
    est.fit(X_NUM, Y_NUM)
    # epoch 1 improves on infinity; epochs 2-4 do not beat it by tol: stop after 4
    assert est.n_iter_ == 4


def test_sgd_divergence_raises_sklearns_error_and_leaves_unfitted():
    # unscaled float32 input (as TF-IDF matrices are): the loss overflows in a few epochs
    X = np.random.RandomState(0).normal(scale=1e6, size=(200, 10)).astype(np.float32)
    y = (X[:, 0] > 0).astype(int)
    est = MLPClassifier(solver="sgd", learning_rate_init=1e3, max_iter=20, random_state=0)
    with pytest.raises(ValueError, match="diverged|non-finite"):
        est.fit(X, y)
    assert not hasattr(est, "net_")


@pytest.mark.parametrize("name", sorted(ESTIMATORS))
def test_nan_weights_raise_for_every_neural_estimator(name):
    make, X, y = ESTIMATORS[name]
    # one batch, one epoch: no later batch shows a NaN loss, the weight check must see it
    est = make(callbacks=[PoisonWeights()], max_iter=1, batch_size=200)
    with pytest.raises(NonFiniteTrainingError, match="Solver produced non-finite parameter"):
        est.fit(X, y)
    assert not hasattr(est, "net_")


def test_nan_loss_raises_with_epoch_and_batch():
    class PoisonOutputs(Callback):
        def on_batch_begin(self, net, training=False, **kwargs):
            if training and len(net.history) == 2:
                with torch.no_grad():
                    list(net.module_.parameters())[-1].fill_(float("inf"))  # output bias

    est = MLPClassifier(max_iter=5, random_state=0, batch_size=20, callbacks=[PoisonOutputs()])
    with pytest.raises(ValueError, match="batch 1 of epoch 2"):
        est.fit(X_NUM, Y_NUM)


def test_divergence_while_continuing_keeps_previous_model():
    est = MLPClassifier(max_iter=3, random_state=0, warm_start=True).fit(X_NUM, Y_NUM)
    before = _state(est)
    est.set_params(callbacks=[PoisonWeights()])
    with pytest.raises(NonFiniteTrainingError):
        est.fit(X_NUM, Y_NUM)
    _assert_same_state(est, before, X_NUM)


@pytest.mark.parametrize(
    "weights, message",
    [
        (np.r_[-100.0, np.ones(59)], "Negative values"),
        (np.zeros(60), "at least one non-zero"),
        (np.r_[np.nan, np.ones(59)], "NaN"),
    ],
)
@pytest.mark.parametrize("name", ["mlp", "textcnn"])
def test_bad_sample_weight_is_rejected(name, weights, message):
    make, X, y = ESTIMATORS[name]
    with pytest.raises(ValueError, match=message):
        make().fit(X, y, sample_weight=weights)


def test_pickle_holds_no_copy_of_the_best_weights():
    est = TextCNNClassifier(max_iter=4, random_state=0, early_stopping=True).fit(DOCS, LABELS)
    stopping = dict(est.net_.callbacks_)["sklearn_stopping"]
    assert stopping.best_state_ is None
    weights = sum(v.numel() * v.element_size() for v in est.module_.state_dict().values())
    size = len(pickle.dumps(est))
    # the weights and Adam's two moments (for warm starts), not a fourth copy
    assert size < 3.3 * weights


@pytest.mark.parametrize("name", sorted(ESTIMATORS))
def test_fitted_module_keeps_no_gradients(name):
    # the last step's gradients are of no use once a call returns (each step computes its
    # own); kept, they cost one more copy of the weights (90 MB for MiniLM) in memory
    make, X, y = ESTIMATORS[name]
    est = make(max_iter=2).fit(X, y)
    params = list(est.module_.parameters())
    assert any(p.requires_grad for p in params)
    assert all(p.grad is None for p in params)
    est.partial_fit(X, y)
    assert all(p.grad is None for p in est.module_.parameters())
    est.set_params(warm_start=True).fit(X, y)
    assert all(p.grad is None for p in est.module_.parameters())
