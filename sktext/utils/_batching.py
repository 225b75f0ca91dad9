"""Batches of documents of similar length, shared by the text models and encoders.

:class:`LengthBucketSampler` groups samples of similar length into batches within a
padded-token budget; :func:`reference_length` and :func:`token_budgets` size that budget;
:func:`restore_order` puts outputs served out of order back in input order. Used by the
neural estimators (``sktext.neural_network``) and by
:class:`~sktext.embeddings.SentenceEncoder`, so it lives below both.
"""

import numpy as np
import torch

__all__ = [
    "AUTOCAST_DTYPES",
    "LengthBucketSampler",
    "reference_length",
    "restore_order",
    "token_budgets",
]

#: ``mixed_precision`` option -> autocast dtype (None: float32 throughout)
AUTOCAST_DTYPES = {None: None, "bf16": torch.bfloat16, "fp16": torch.float16}


#: Quantile of the document lengths that sets the default padded-token budget of a batch.
BUDGET_LENGTH_QUANTILE = 0.99


def reference_length(lengths, quantile=BUDGET_LENGTH_QUANTILE):
    """The length a batch budget is counted in: the 99th percentile of ``lengths``.

    The lower order statistic (``method="lower"``) of ``quantile`` (the transformers
    count in twice the 90th percentile, see ``_transformer.budget_length``), at least 1:
    unlike the mean, a few outlier documents do not move it (one document in 200 is
    above the 99th percentile), so the budget ``batch_size * reference_length(lengths)``
    keeps the batches of ordinary documents full and gives the outliers batches of their
    own.
    """
    lengths = np.asarray(lengths)
    if not len(lengths):
        return 1
    return max(int(np.quantile(lengths, quantile, method="lower")), 1)


#: Inference batches keep no gradients: they get this many times the training budget.
INFERENCE_BUDGET_FACTOR = 2


def token_budgets(batch_size, length):
    """``(training, inference)`` padded-token budgets of batches of ``batch_size`` documents.

    ``batch_size * length`` positions in training (``length``: e.g. the
    :func:`reference_length` of the training documents), ``INFERENCE_BUDGET_FACTOR`` times
    that in inference, where no activations are kept for a backward pass: a prediction
    batch takes about the memory of a training batch.
    """
    training = int(batch_size) * max(int(length), 1)
    return training, INFERENCE_BUDGET_FACTOR * training


class LengthBucketSampler(torch.utils.data.Sampler):
    """Batch sampler grouping samples of similar length, within a padded-token budget.

    With ``shuffle=True`` (training) every pass draws a random permutation from torch's
    RNG (seeded by the estimator, or ``generator``), cuts it into pools of
    ``pool_size`` batches, sorts each pool by length, splits the pools into batches and
    shuffles the order of all batches: batches differ from epoch to epoch, yet each holds
    documents of similar length. With ``shuffle=False`` (validation, prediction) the
    samples are sorted by length (stable sort) and cut into consecutive batches.

    Either way a batch holds at most ``batch_size`` samples and at most ``max_tokens``
    padded positions (its number of samples times its longest length), and, when
    ``max_token_pairs`` is given, at most that many token pairs (its number of samples
    times the square of its longest length: the entries of the attention maps of a
    transformer, whose training memory they dominate): the sorted samples are cut
    greedily, so a batch ends early only when the next sample would take it over the
    budget. Batches of ordinary documents stay full; documents much
    longer than the others come in smaller batches, and a sample longer than
    ``max_tokens`` (or ``max_token_pairs``) on its own is served alone. The memory of a
    batch is thus bounded by ``max_tokens`` (or by the longest single document), whatever
    the corpus holds.

    Batches are served out of the input order. After a pass, ``order`` holds the
    positions in the order they were served (the batches concatenated), so outputs
    concatenated in iteration order are put back in input order with
    ``restored[order] = outputs`` (see ``_SkorchNet.forward_iter``), and ``n_batches``
    the number of batches of the pass (known from its first batch on: a learning-rate
    schedule counts its steps with it, see ``WarmupLinearSchedule``).

    Parameters
    ----------
    lengths : array-like of int, shape (n_samples,)
        Length of each sample.
    batch_size : int
        Most samples per batch.
    max_tokens : int, default=None
        Most padded positions per batch (a longer single sample goes alone). ``None``:
        ``batch_size * reference_length(lengths)``, the 99th percentile of the lengths.
    max_token_pairs : int, default=None
        Most token pairs per batch (samples times the square of the longest length; a
        longer single sample goes alone). ``None``: no such limit.
    shuffle : bool, default=False
        Random pools and batch order (training) or sorted order (inference).
    drop_last : bool, default=False
        Drop the last batch of a shuffled pass when it holds fewer than ``batch_size``
        samples.
    pool_size : int, default=100
        Batches per pool sorted together when shuffling: larger pools waste less
        padding, smaller ones mix lengths more.
    generator : torch.Generator, default=None
        Source of randomness; ``None`` uses torch's global RNG.
    """

    def __init__(
        self,
        lengths,
        batch_size,
        *,
        max_tokens=None,
        max_token_pairs=None,
        shuffle=False,
        drop_last=False,
        pool_size=100,
        generator=None,
    ):
        self.lengths = np.asarray(lengths, dtype=np.int64)
        self.batch_size = int(batch_size)
        if max_tokens is None:
            max_tokens = self.batch_size * reference_length(self.lengths)
        self.max_tokens = int(max_tokens)
        self.max_token_pairs = None if max_token_pairs is None else int(max_token_pairs)
        self.shuffle = shuffle
        self.drop_last = drop_last
        self.pool_size = int(pool_size)
        self.generator = generator
        self.order = None
        self.n_batches = None
        # a shuffled pass drawn by __len__, served by the next __iter__
        self._pending = None

    def __len__(self):
        if not self.shuffle:
            return len(self._sorted_batches())
        # the budget makes the number of batches depend on the draw: draw the next pass
        if self._pending is None:
            self._pending = self._batches()
        return len(self._pending)

    def _batches(self):
        if not self.shuffle:
            return self._sorted_batches()
        n, size = len(self.lengths), self.batch_size
        perm = torch.randperm(n, generator=self.generator).numpy()
        pool = size * self.pool_size
        batches = []
        for start in range(0, n, pool):
            chunk = perm[start : start + pool]
            batches.extend(self._cut(chunk[np.argsort(self.lengths[chunk], kind="stable")]))
        if self.drop_last and batches and len(batches[-1]) < size:
            batches.pop()
        shuffled = torch.randperm(len(batches), generator=self.generator).numpy()
        return [batches[i] for i in shuffled]

    def _sorted_batches(self):
        """Consecutive batches of all the samples sorted by length."""
        return self._cut(np.argsort(self.lengths, kind="stable"))

    def _cut(self, order):
        """Cut ``order`` (sorted by length) into batches within both limits, greedily.

        A batch of ``m`` samples whose last (longest) one has length ``L`` holds ``m * L``
        padded positions and ``m * L**2`` token pairs: it grows while ``m <= batch_size``,
        ``m * L <= max_tokens`` and ``m * L**2 <= max_token_pairs`` (if given), and always
        takes at least one sample.
        """
        sorted_lengths = self.lengths[order]
        batches, start, n = [], 0, len(order)
        while start < n:
            stop = min(start + self.batch_size, n)
            # the first sample always, then while m * L[start + m - 1] fits in the budget
            counts = np.arange(2, stop - start + 1)
            longest = sorted_lengths[start + 1 : stop]
            fits = counts * longest <= self.max_tokens
            if self.max_token_pairs is not None:
                fits &= counts * longest * longest <= self.max_token_pairs
            # lengths grow along the batch, so m * L and m * L**2 are increasing: the first
            # miss ends it
            end = start + 1 + (int(np.argmin(fits)) if not fits.all() else len(fits))
            batches.append(order[start:end])
            start = end
        return batches

    def __iter__(self):
        batches = self._pending if self._pending is not None else self._batches()
        self._pending = None
        self.order = np.concatenate(batches) if batches else np.empty(0, dtype=np.int64)
        self.n_batches = len(batches)
        for batch in batches:
            yield batch.tolist()


def restore_order(outputs, order):
    """Concatenate per-batch outputs served in ``order`` and put them in input order."""
    first = outputs[0]
    if isinstance(first, (tuple, list)):
        parts = ([o[k] for o in outputs] for k in range(len(first)))
        return type(first)(restore_order(part, order) for part in parts)
    out = torch.cat(outputs)
    inverse = np.empty_like(order)
    inverse[order] = np.arange(len(order))
    return out[torch.as_tensor(inverse, device=out.device)]
