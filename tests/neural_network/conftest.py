"""Helpers shared by the classifier tests: what training did, recorded independently."""

from types import SimpleNamespace

import numpy as np
import pytest
import torch
from skorch.callbacks import Callback


class RecordEpochs(Callback):
    """Keeps a CPU copy of the module's weights after every epoch and the validation data.

    Runs as a user callback, i.e. before sktext's stopping rule (which restores the best
    weights at the end of training), so ``states[e]`` is the model after epoch ``e``.
    """

    def initialize(self):
        self.states = []
        self.valid_batch = None
        return self

    def on_epoch_end(self, net, dataset_valid=None, **kwargs):
        self.states.append(
            {k: v.detach().cpu().clone() for k, v in net.module_.state_dict().items()}
        )
        if dataset_valid is not None and self.valid_batch is None:
            self.valid_batch = dataset_valid.collate(np.arange(len(dataset_valid)))


def validation_accuracy(clf, valid_batch):
    """Accuracy of the estimator's current module on a recorded validation batch."""
    X, y = valid_batch
    X = {k: v for k, v in X.items() if k != "sample_weight"}
    module = clf.module_
    was_training = module.training
    module.eval()
    with torch.no_grad():
        logits = module(**X)
    module.train(was_training)
    return int((logits.argmax(1).cpu() == y).sum()) / len(y)


def stop_epoch(curve, *, tol, n_iter_no_change, maximize):
    """Epochs scikit-learn's MLP runs before its stopping rule fires (None: never).

    An epoch counts as no improvement unless it beats the best so far by ``tol``; training
    stops after more than ``n_iter_no_change`` such epochs in a row.
    """
    best, bad = -np.inf if maximize else np.inf, 0
    for epoch, value in enumerate(curve, start=1):
        improved = value >= best + tol if maximize else value <= best - tol
        bad = 0 if improved else bad + 1
        best = max(best, value) if maximize else min(best, value)
        if bad > n_iter_no_change:
            return epoch
    return None


def assert_best_epoch_restored(clf, recorder):
    """The fitted model is the best validation epoch's (the first one reaching the best
    score) and scores that same validation accuracy; the run must have gone on after
    that epoch, so that the last epoch's model differs from it."""
    scores = clf.validation_scores_
    best_epoch = int(np.argmax(scores))  # first epoch with the highest score
    assert len(recorder.states) == clf.n_iter_
    final = {k: v.detach().cpu() for k, v in clf.module_.state_dict().items()}
    for name, value in recorder.states[best_epoch].items():
        torch.testing.assert_close(final[name], value, rtol=0, atol=0, msg=name)
    assert validation_accuracy(clf, recorder.valid_batch) == pytest.approx(
        clf.best_validation_score_, abs=1e-12
    )
    assert clf.best_validation_score_ == pytest.approx(max(scores))
    # the check is only meaningful when training went on after the best epoch
    assert best_epoch < clf.n_iter_ - 1
    last = recorder.states[-1]
    assert any(not torch.equal(final[k], last[k]) for k in last)


@pytest.fixture
def record_epochs():
    """A fresh :class:`RecordEpochs` to pass in ``callbacks=[("record", ...)]``."""
    return RecordEpochs()


@pytest.fixture(scope="session")
def training_checks():
    """The checks above, for test modules (conftest modules cannot be imported)."""
    return SimpleNamespace(
        assert_best_epoch_restored=assert_best_epoch_restored,
        stop_epoch=stop_epoch,
    )
