"""The data side of sktext's skorch nets: a dataset of row indices and its loaders.

:class:`IndexDataset` builds whole batches at once from row indices (a slice of a CSR
matrix, a padded block of id sequences); :func:`make_loader` is the nets'
``iterator_train``/``iterator_valid``, with length-bucketed batches when the samples have
lengths (:class:`~sktext.utils._batching.LengthBucketSampler`).
"""

import numpy as np
import torch

from ..utils._batching import LengthBucketSampler
from ._distributed import FILLER_KEY, ShardedBatches, split_filler

__all__ = ["IndexDataset", "make_loader"]


class IndexDataset(torch.utils.data.Dataset):
    """A dataset whose items are row indices; ``collate`` builds whole batches at once.

    Slicing a CSR matrix or an array once per batch is far cheaper than once per sample,
    and lets a batch be a sparse tensor. ``make_batch(indices)`` returns the input of the
    module for those rows (a tensor, or a dict of tensors for modules taking several).

    ``lengths`` (one per sample, e.g. the number of tokens of each document) makes
    :func:`make_loader` group samples of similar length into batches
    (:class:`LengthBucketSampler`), so that each batch is padded to its own longest
    document with little waste.
    """

    def __init__(self, make_batch, n_samples, y=None, sample_weight=None, lengths=None):
        self.make_batch = make_batch
        self.n_samples = n_samples
        self.lengths = None if lengths is None else np.asarray(lengths, dtype=np.int64)
        if self.lengths is not None and self.lengths.shape != (n_samples,):
            raise ValueError(
                f"lengths must have one entry per sample ({n_samples}); got shape "
                f"{self.lengths.shape}."
            )
        # class indices stay integers, float targets keep their precision (float64 for
        # an MLP fitted on float64 input); the loss casts them to the outputs' dtype
        self.y = None if y is None else torch.as_tensor(np.asarray(y))
        if self.y is not None and not self.y.is_floating_point():
            self.y = self.y.long()
        self.sample_weight = (
            None
            if sample_weight is None
            else torch.as_tensor(np.asarray(sample_weight, dtype=np.float64))
        )

    def __len__(self):
        return self.n_samples

    def __getitem__(self, i):
        return i

    def collate(self, indices):
        idx = np.asarray(indices, dtype=np.int64)
        batch = self.make_batch(idx)
        # a module taking several inputs gets a dict of keyword arguments
        X = dict(batch) if isinstance(batch, dict) else {"X": batch}
        if self.sample_weight is not None:
            X["sample_weight"] = self.sample_weight[idx]
        y = None if self.y is None else self.y[idx]
        return X, y


def make_loader(dataset, **kwargs):
    """``iterator_train``/``iterator_valid`` for skorch: a DataLoader with batch collation.

    skorch hands the loader a dataset that may be a :class:`torch.utils.data.Subset` of an
    :class:`IndexDataset`; ``collate`` always runs on the underlying dataset with the
    original indices. When the dataset has ``lengths``, batches come from a
    :class:`LengthBucketSampler` (``batch_size``, ``max_tokens``, ``shuffle``,
    ``drop_last`` and ``generator`` are passed to it: skorch's ``iterator_train__max_tokens``
    and ``iterator_valid__max_tokens`` set the padded-token budgets of training and
    inference batches, ``iterator_train__max_token_pairs`` that of the token pairs of a
    transformer's training batches). Without lengths, ``max_tokens`` and
    ``max_token_pairs`` are ignored.

    ``shard=(rank, world_size)`` (data-parallel training, see
    :mod:`~sktext.neural_network._distributed`) serves this rank's share of every batch
    (:class:`~sktext.neural_network._distributed.ShardedBatches`); the batches are then
    drawn from ``generator``, which every rank seeds alike, and each batch's input says
    whether it is a weight-0 filler (``FILLER_KEY``).
    """
    base, mapping = dataset, None
    if isinstance(dataset, torch.utils.data.Subset):
        base, mapping = dataset.dataset, np.asarray(dataset.indices)

    shard = kwargs.pop("shard", None)

    def collate(indices):
        idx = np.asarray(indices, dtype=np.int64)
        filler = False
        if shard is not None:
            idx, filler = split_filler(idx)
        if mapping is not None:
            idx = mapping[idx]
        X, y = base.collate(idx)
        if shard is not None:
            X[FILLER_KEY] = filler
        if filler:
            X["sample_weight"] = torch.zeros(len(idx), dtype=torch.float64)
        return X, y

    kwargs.pop("collate_fn", None)
    max_tokens = kwargs.pop("max_tokens", None)
    max_token_pairs = kwargs.pop("max_token_pairs", None)
    lengths = getattr(base, "lengths", None)
    if lengths is None and shard is None:
        return torch.utils.data.DataLoader(np.arange(len(dataset)), collate_fn=collate, **kwargs)
    kwargs.pop("sampler", None)
    batch_size = kwargs.pop("batch_size", 1)
    shuffle = kwargs.pop("shuffle", False)
    drop_last = kwargs.pop("drop_last", False)
    generator = kwargs.pop("generator", None)
    if lengths is not None:
        if mapping is not None:
            lengths = lengths[mapping]
        sampler = LengthBucketSampler(
            lengths,
            batch_size,
            max_tokens=max_tokens,
            max_token_pairs=max_token_pairs,
            shuffle=shuffle,
            drop_last=drop_last,
            generator=generator,
        )
    else:
        rows = range(len(dataset))
        sampler = torch.utils.data.BatchSampler(
            torch.utils.data.RandomSampler(rows, generator=generator)
            if shuffle
            else torch.utils.data.SequentialSampler(rows),
            batch_size,
            drop_last,
        )
    rows = np.arange(len(dataset))
    if shard is not None:
        sampler = ShardedBatches(sampler, *shard)
        rows = _Rows(len(dataset))  # filler marks are negative: no wrap-around
    return torch.utils.data.DataLoader(rows, batch_sampler=sampler, collate_fn=collate, **kwargs)


class _Rows:
    """The indices ``0..n-1`` as a dataset whose item ``i`` is ``i`` itself."""

    def __init__(self, n):
        self.n = n

    def __len__(self):
        return self.n

    def __getitem__(self, i):
        return i
