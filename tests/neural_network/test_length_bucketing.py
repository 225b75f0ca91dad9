"""Length bucketing: LengthBucketSampler, make_loader and outputs back in input order."""

import numpy as np
import torch

from sktext.neural_network._data import IndexDataset, make_loader
from sktext.neural_network._net import _SkorchNet
from sktext.neural_network._tasks import MulticlassTask
from sktext.utils._batching import LengthBucketSampler


def _lengths(n=1000, seed=0):
    return np.random.RandomState(seed).randint(0, 500, size=n)


def test_sorted_pass_covers_every_sample_once_in_length_order():
    lengths = _lengths()
    sampler = LengthBucketSampler(lengths, 64)
    batches = list(sampler)
    assert len(batches) == len(sampler)
    served = np.concatenate(batches)
    assert sorted(served.tolist()) == list(range(1000))
    np.testing.assert_array_equal(sampler.order, served)
    assert np.all(np.diff(lengths[served]) >= 0)
    # at most 64 documents and 64 * (99th percentile of the lengths) padded positions
    budget = 64 * np.quantile(lengths, 0.99, method="lower")
    assert sampler.max_tokens == budget
    assert all(len(b) <= 64 and len(b) * lengths[b].max() <= budget for b in batches)
    assert len(batches[0]) == 64


def test_sorted_pass_gives_the_long_tail_small_batches():
    lengths = np.r_[np.full(990, 20), np.arange(10) * 1000 + 5000]
    batches = list(LengthBucketSampler(lengths, 100))
    assert [len(b) for b in batches[-10:]] == [1] * 10
    assert [len(b) for b in batches[:9]] == [100] * 9
    padded = sum(len(b) * lengths[b].max() for b in batches)
    assert padded == lengths.sum()


def test_shuffled_pass_groups_similar_lengths_and_changes_each_epoch():
    lengths = _lengths(5000)
    torch.manual_seed(0)
    sampler = LengthBucketSampler(lengths, 50, shuffle=True, pool_size=20)
    first, second = list(sampler), list(sampler)
    for batches in (first, second):
        served = np.concatenate(batches)
        assert sorted(served.tolist()) == list(range(5000))
        # padding to each batch's longest document wastes little
        padded = sum(len(b) * lengths[b].max() for b in batches)
        assert padded < 1.05 * lengths.sum()
    assert [b[:3] for b in first] != [b[:3] for b in second]
    # batch order is shuffled: the first batches are not the shortest documents
    assert np.mean(lengths[first[0]]) > 5
    # the same torch seed gives the same batches
    torch.manual_seed(0)
    again = LengthBucketSampler(lengths, 50, shuffle=True, pool_size=20)
    assert [b for b in again] == first


def test_drop_last():
    sampler = LengthBucketSampler(np.arange(10), 4, shuffle=True, drop_last=True)
    batches = list(sampler)
    assert len(batches) == len(sampler) == 2 and all(len(b) == 4 for b in batches)


def test_make_loader_uses_lengths_of_a_subset():
    lengths = np.array([5, 1, 4, 2, 3, 0])
    dataset = IndexDataset(lambda rows: torch.as_tensor(rows), 6, lengths=lengths)
    subset = torch.utils.data.Subset(dataset, [0, 2, 4, 5])
    loader = make_loader(subset, batch_size=2, shuffle=False)
    assert isinstance(loader.batch_sampler, LengthBucketSampler)
    rows = [X["X"].tolist() for X, _ in loader]
    # subset rows sorted by their lengths 0, 3, 4, 5; at most 2 * 4 = 8 positions (4: the
    # 99th percentile of the subset's lengths, lower order statistic)
    assert rows == [[5, 4], [2], [0]]
    plain = make_loader(IndexDataset(lambda r: torch.as_tensor(r), 6), batch_size=4)
    assert [X["X"].tolist() for X, _ in plain] == [[0, 1, 2, 3], [4, 5]]


class _Echo(torch.nn.Module):
    """Logits that encode the row index, to see where each output lands."""

    def __init__(self):
        super().__init__()
        self.scale = torch.nn.Parameter(torch.ones(()))

    def forward(self, X):
        rows = X.float().unsqueeze(1)  # (batch, 1)
        return torch.cat([rows, -rows], dim=1) * self.scale  # (batch, 2)


def _net():
    net = _SkorchNet(
        _Echo,
        task=MulticlassTask(),
        batch_size=3,
        iterator_train=make_loader,
        iterator_valid=make_loader,
        train_split=None,
    )
    return net.initialize()


def test_outputs_come_back_in_input_order():
    lengths = _lengths(50)
    dataset = IndexDataset(lambda rows: torch.as_tensor(rows), 50, lengths=lengths)
    net = _net()
    out = net.forward(dataset)
    np.testing.assert_array_equal(out[:, 0].numpy(), np.arange(50))
    proba = net.predict_proba(dataset)
    plain = IndexDataset(lambda rows: torch.as_tensor(rows), 50)
    np.testing.assert_allclose(proba, net.predict_proba(plain))
    # training-mode passes (shuffled buckets) are put back in order too
    out = net.forward(dataset, training=True)
    np.testing.assert_array_equal(out[:, 0].detach().numpy(), np.arange(50))


def test_training_with_buckets_sees_every_sample():
    lengths = _lengths(40)
    seen = []

    def make_batch(rows):
        seen.append(np.array(rows))
        return torch.as_tensor(rows)

    y = np.arange(40) % 2
    dataset = IndexDataset(make_batch, 40, y=y, lengths=lengths)
    net = _net()
    net.partial_fit(dataset, epochs=1)
    served = np.concatenate(seen)
    assert sorted(served.tolist()) == list(range(40))
    assert max(len(s) for s in seen) == 3
