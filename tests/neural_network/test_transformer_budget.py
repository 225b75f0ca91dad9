"""Issue 25: TransformerClassifier's training batches bounded by real token counts.

Training batches hold at most ``batch_size * L`` padded positions and ``batch_size * L**2``
token pairs (``L``: twice the 90th percentile of the training token counts), the
learning-rate schedule counts the batches actually run, and a corpus of ordinary
documents is batched and trained exactly as with the former ``max_length_`` budget.
"""

import math
import types

import numpy as np
import pytest
import torch
from skorch.callbacks import Callback

pytest.importorskip("transformers")

from sktext import TransformerClassifier  # noqa: E402
from sktext.neural_network._callbacks import WarmupLinearSchedule  # noqa: E402
from sktext.neural_network._transformer import budget_length  # noqa: E402
from sktext.preprocessing import TruncationWarning  # noqa: E402
from sktext.utils._batching import LengthBucketSampler, token_budgets  # noqa: E402
from sktext.utils._testing import RecordLR, make_topic_corpus, tiny_transformer_path  # noqa: E402

LR = 3e-3


def _clf(**kwargs):
    params = dict(max_iter=2, learning_rate_init=LR, batch_size=16, random_state=0)
    return TransformerClassifier(model=tiny_transformer_path(), **{**params, **kwargs})


def _ordinary_corpus(n=160):
    """Snippets of 5 to 47 words (median 18, log-normal as review snippets' lengths)."""
    docs, labels = make_topic_corpus(n, topic_words=30, common_words=30)
    rng = np.random.RandomState(0)
    sizes = np.clip(np.round(rng.lognormal(np.log(18), 0.4, size=n)), 3, None).astype(int)
    return [" ".join(doc.split()[:k]) for doc, k in zip(docs, sizes, strict=True)], labels


def _with_long_documents(n_long=4):
    """160 snippets of 3 to 12 words, and ``n_long`` documents past 128 tokens."""
    docs, labels = make_topic_corpus(160)
    sizes = np.random.RandomState(0).randint(3, 13, size=len(docs))
    docs = [" ".join(doc.split()[:k]) for doc, k in zip(docs, sizes, strict=True)]
    # past the tiny model's 128 positions: truncated to max_length_
    long_docs = [" ".join(docs[i].split() * 60) for i in range(n_long)]
    return docs + long_docs, np.r_[labels, labels[:n_long]]


class RecordBatches(Callback):
    """Shape ``(documents, padded length)`` of every training batch."""

    def initialize(self):
        self.shapes = []
        return self

    def on_batch_begin(self, net, batch=None, training=False, **kwargs):
        if training:
            self.shapes.append(tuple(batch[0]["input_ids"].shape))


def _fit(clf, docs, labels):
    batches, lrs = RecordBatches(), RecordLR()
    clf.set_params(callbacks=[("batches", batches), ("lrs", lrs)])
    clf.fit(docs, labels)
    return batches.shapes, lrs.lrs


def _token_counts(clf, docs):
    ids = clf.tokenizer_(list(docs), truncation=True, max_length=clf.max_length_)["input_ids"]
    return np.array([len(x) for x in ids])


def test_long_documents_train_in_batches_within_the_budget():
    docs, labels = _with_long_documents()
    clf = _clf()
    with pytest.warns(TruncationWarning):
        shapes, _ = _fit(clf, docs, labels)
    length = budget_length(_token_counts(clf, docs), clf.max_length_)
    assert 0 < length < clf.max_length_ // 2
    max_tokens = clf.net_.iterator_train__max_tokens
    max_pairs = clf.net_.iterator_train__max_token_pairs
    assert (max_tokens, max_pairs) == (16 * length, 16 * length**2)
    assert clf.net_.iterator_valid__max_tokens == 2 * 16 * length
    # every training batch within both budgets (a longer single document goes alone)
    for n, width in shapes:
        assert n == 1 or (n * width <= max_tokens and n * width**2 <= max_pairs), (n, width)
    # no short document is padded to the long ones' 128 tokens (4 long ones per epoch)
    assert sum(n for n, width in shapes if width == clf.max_length_) == 4 * 2
    assert sum(n for n, _ in shapes) == 2 * len(docs)


def test_schedule_counts_the_batches_actually_run():
    docs, labels = _with_long_documents()
    clf = _clf(max_iter=3, warmup_fraction=0.2)
    with pytest.warns(TruncationWarning):
        shapes, lrs = _fit(clf, docs, labels)
    run = int(sum(clf.history_[:, "train_batch_count"]))
    assert len(shapes) == len(lrs) == run
    # the budget makes more batches than ceil(n / batch_size) per epoch
    assert run > 3 * math.ceil(len(docs) / 16)
    schedule = dict(clf.net_.callbacks_)["lr_schedule"]
    assert schedule.total_steps_ == run
    assert schedule.warmup_steps_ == round(0.2 * run)
    lrs = np.array(lrs)
    peak = int(np.argmax(lrs))
    assert peak == schedule.warmup_steps_ and lrs[peak] == pytest.approx(LR)
    # decays to its last, smallest step at the last batch run (not to 0 before it)
    assert np.all(np.diff(lrs[peak:]) < 0)
    assert lrs[-1] == pytest.approx(LR / (run - schedule.warmup_steps_))


def test_schedule_replans_when_the_number_of_batches_changes():
    # batches of shuffled pools may differ in number from epoch to epoch
    schedule = WarmupLinearSchedule(total_steps=12, warmup_steps=1, epochs=3, warmup_fraction=0.1)
    schedule.initialize()
    group = {"lr": 0.0}
    net = types.SimpleNamespace(lr=1.0, optimizer_=types.SimpleNamespace(param_groups=[group]))
    lrs = []
    for epoch, n_batches in enumerate((5, 7, 6)):
        schedule.on_epoch_begin(net)
        net.epoch_batches_ = n_batches
        before = len(lrs)
        for _ in range(n_batches):
            schedule.on_batch_begin(net, training=True)
            lrs.append(group["lr"])
        # the batches run, plus this epoch's number for this one and each one left
        assert schedule.total_steps_ == before + n_batches * (3 - epoch)
    assert schedule.warmup_steps_ == round(0.1 * 15)  # planned on the first epoch: 3 x 5
    assert schedule.total_steps_ == 18
    assert lrs[-1] == pytest.approx(1 / (18 - 2)) and min(lrs) > 0


def test_ordinary_documents_are_batched_and_trained_as_before(monkeypatch):
    docs, labels = _ordinary_corpus()
    new = _clf()
    shapes, lrs = _fit(new, docs, labels)
    counts = _token_counts(new, docs)
    # the spread of lengths of a corpus of snippets: its longest documents are past the
    # 99th percentile (a budget of 16 x that percentile would split their batch)
    assert counts.max() > np.quantile(counts, 0.99, method="lower")
    assert new.net_.iterator_train__max_tokens < 16 * new.max_length_

    # the former budget: batch_size x max_length_ positions, no pair limit
    old = _clf()
    monkeypatch.setattr(
        TransformerClassifier,
        "_token_pair_budget",
        lambda self, X, batch_size: None,
    )
    monkeypatch.setattr(
        TransformerClassifier,
        "_token_budgets",
        lambda self, X, batch_size: (
            token_budgets(batch_size, self.max_length_)[0],
            2 * batch_size * budget_length(self._sequence_lengths(X), self.max_length_),
        ),
    )
    old_shapes, old_lrs = _fit(old, docs, labels)
    assert old.net_.iterator_train__max_tokens == 16 * old.max_length_
    assert shapes == old_shapes
    assert len(shapes) == 2 * math.ceil(len(docs) / 16)
    assert lrs == old_lrs
    assert new.loss_curve_ == old.loss_curve_
    for a, b in zip(new.module_.parameters(), old.module_.parameters(), strict=True):
        assert torch.equal(a, b)


def test_sampler_bounds_token_pairs():
    lengths = np.r_[np.full(20, 10), np.full(3, 100)]
    sampler = LengthBucketSampler(lengths, 8, max_tokens=8 * 100, max_token_pairs=8 * 20**2)
    batches = list(sampler)
    assert [len(b) for b in batches] == [8, 8, 4, 1, 1, 1]
    assert sampler.n_batches == len(batches) == len(sampler)
    # without the pair limit the 3 long ones share a batch (300 <= 800 positions)
    plain = list(LengthBucketSampler(lengths, 8, max_tokens=8 * 100))
    assert [len(b) for b in plain] == [8, 8, 7]
