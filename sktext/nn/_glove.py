"""GloVe (Pennington et al., 2014) in PyTorch: the model and its sparse AdaGrad training.

The model minimises, over the non-zero co-occurrence counts ``x_ij``,

    J = 1/2 sum_ij f(x_ij) (w_i . w~_j + b_i + b~_j - log x_ij)^2,
    f(x) = min(1, (x / x_max)^alpha),

with AdaGrad, as the reference C implementation does. What makes it fast is the layout of a
mini-batch: its entries are kept as a sparse CSR matrix of compacted word rows (and its
transpose), so that

* the predictions ``w_i . w~_j + b_i + b~_j`` of all entries are one sampled dense-dense
  product (SDDMM, :func:`torch.sparse.sampled_addmm`) of the batch's word rows with the
  context matrix: no ``(batch, vector_size)`` gathers;
* the gradients of the word rows, ``sum_j f d_ij w~_j``, are one sparse x dense product
  (SpMM) with the context matrix, and those of the context rows one SpMM of the transposed
  batch with the word matrix; the per-entry squared gradients that AdaGrad accumulates are
  two more SpMMs (the squared weights times the squared parameters);
* biases ride along: word rows are stored as ``[w | b | 1]`` and context rows as
  ``[w~ | 1 | b~]``, so one dot product of rows gives ``w . w~ + b + b~`` and one SpMM
  gives the vector and bias gradients together.

The structures of the batches are built once (entries are assigned to fixed random batches;
each epoch visits the batches in a new random order), so an epoch costs only the sparse
products and a dense AdaGrad update of the rows each batch touches.
"""

# Authors: The sktext developers
# License: BSD 3 clause

import math
import time
import warnings
from typing import NamedTuple

import numpy as np
import torch
from torch import nn

__all__ = [
    "CooccurrenceBatches",
    "GloVe",
    "glove_loss",
    "glove_weighting",
    "train_glove",
]


def glove_weighting(counts, x_max=100.0, alpha=0.75):
    """GloVe's weighting function ``f(x) = min(1, (x / x_max) ** alpha)``.

    Parameters
    ----------
    counts : torch.Tensor
        Co-occurrence counts (positive).
    x_max : float, default=100.0
        Count from which the weight is 1.
    alpha : float, default=0.75
        Exponent of the weighting below ``x_max``.

    Returns
    -------
    weights : torch.Tensor
        Same shape and dtype as ``counts``.

    Examples
    --------
    >>> import torch
    >>> from sktext.nn import glove_weighting
    >>> glove_weighting(torch.tensor([1.0, 10.0, 50.0]), x_max=10.0, alpha=1.0)
    tensor([0.1000, 1.0000, 1.0000])
    """
    return (counts / x_max).pow(alpha).clamp(max=1.0)


def glove_loss(predictions, counts, x_max=100.0, alpha=0.75):
    """GloVe's weighted least-squares loss, summed: ``1/2 sum f(x) (prediction - log x)^2``.

    Parameters
    ----------
    predictions : torch.Tensor of shape (n_entries,)
        Predicted log counts ``w_i . w~_j + b_i + b~_j`` (see :meth:`GloVe.forward`).
    counts : torch.Tensor of shape (n_entries,)
        The co-occurrence counts ``x_ij`` (positive).
    x_max, alpha : float
        Parameters of :func:`glove_weighting`.

    Returns
    -------
    loss : torch.Tensor
        A scalar.

    Examples
    --------
    >>> import torch
    >>> from sktext.nn import glove_loss
    >>> counts = torch.tensor([1.0, 100.0])
    >>> float(glove_loss(torch.log(counts), counts))  # perfect predictions
    0.0
    """
    diff = predictions - torch.log(counts)
    return 0.5 * (glove_weighting(counts, x_max, alpha) * diff * diff).sum()


class GloVe(nn.Module):
    """GloVe's parameters: word and context vectors, each with a bias.

    The word rows are stored as ``weight = [w | b | 1]`` and the context rows as
    ``context_weight = [w~ | 1 | b~]`` (``vector_size + 2`` columns each), so that the dot
    product of a word row and a context row is the model's prediction
    ``w_i . w~_j + b_i + b~_j``; the constant columns stay 1.

    Parameters
    ----------
    n_words : int
        Vocabulary size.
    vector_size : int
        Dimensionality of the word vectors.

    Attributes
    ----------
    weight : torch.nn.Parameter of shape (n_words, vector_size + 2)
        ``[w | b | 1]``.
    context_weight : torch.nn.Parameter of shape (n_words, vector_size + 2)
        ``[w~ | 1 | b~]``.

    Examples
    --------
    >>> import torch
    >>> from sktext.nn import GloVe
    >>> model = GloVe(n_words=5, vector_size=3)
    >>> model.weight.shape
    torch.Size([5, 5])
    >>> model(torch.tensor([0, 1]), torch.tensor([2, 2])).shape  # predicted log counts
    torch.Size([2])
    >>> model.embeddings().shape  # w + w~, what GloVe's reference writes out
    torch.Size([5, 3])
    """

    def __init__(self, *, n_words, vector_size):
        super().__init__()
        self.n_words = n_words
        self.vector_size = vector_size
        self.weight = nn.Parameter(torch.empty(n_words, vector_size + 2))
        self.context_weight = nn.Parameter(torch.empty(n_words, vector_size + 2))
        self.reset_parameters()

    @property
    def word_bias_column(self):
        """Column of ``weight`` holding the word biases (the next one is constant)."""
        return self.vector_size

    @property
    def context_bias_column(self):
        """Column of ``context_weight`` holding the context biases (the one before is 1)."""
        return self.vector_size + 1

    def reset_parameters(self, generator=None):
        """Initialise vectors and biases uniformly in ``[-0.5, 0.5) / vector_size``.

        The reference implementation's initialisation. ``generator`` (a
        :class:`torch.Generator` on the parameters' device) makes it reproducible.
        """
        d = self.vector_size
        with torch.no_grad():
            for param in (self.weight, self.context_weight):
                param.uniform_(-0.5 / d, 0.5 / d, generator=generator)
            self.weight[:, d + 1] = 1.0
            self.context_weight[:, d] = 1.0

    def forward(self, rows, columns):
        """Predicted log co-occurrence counts ``w_i . w~_j + b_i + b~_j``.

        Parameters
        ----------
        rows, columns : torch.Tensor of shape (n_entries,)
            Word ids ``i`` and context word ids ``j`` (int64).

        Returns
        -------
        predictions : torch.Tensor of shape (n_entries,)
        """
        # (n_entries, vector_size + 2) * (n_entries, vector_size + 2) -> (n_entries,)
        return (self.weight[rows] * self.context_weight[columns]).sum(dim=1)

    def word_vectors(self):
        """The word vectors ``w`` (a view of ``weight``), shape (n_words, vector_size)."""
        return self.weight[:, : self.vector_size]

    def context_vectors(self):
        """The context vectors ``w~``, shape (n_words, vector_size)."""
        return self.context_weight[:, : self.vector_size]

    def embeddings(self):
        """``w + w~``: the vectors GloVe's reference implementation writes out (detached)."""
        with torch.no_grad():
            return self.word_vectors() + self.context_vectors()


class _Batch(NamedTuple):
    """One mini-batch of non-zero entries in CSR form, and its transpose."""

    rows: torch.Tensor  # (n_rows,) int64: the word ids the batch touches, ascending
    row_ptr: torch.Tensor  # (n_rows + 1,) int32: CSR row pointer over the compacted rows
    columns: torch.Tensor  # (n_entries,) int32: context id of each entry, row-major order
    counts: torch.Tensor  # (n_entries,) float32: x_ij, row-major order
    context_rows: torch.Tensor  # (n_columns,) int64: the context ids the batch touches
    context_ptr: torch.Tensor  # (n_columns + 1,) int32: CSR pointer of the transpose
    transposed_rows: torch.Tensor  # (n_entries,) int32: word id of each entry, column-major
    transposed_order: torch.Tensor  # (n_entries,) int32: row-major position, column-major


def _segment_pointers(keys, batch_starts, n_entries):
    """Compacted CSR structure of sorted ``keys`` split into batches.

    Returns the distinct key of each segment (a run of equal keys inside one batch), the
    global start of each segment and, for each batch, the index of its first segment.
    """
    new_segment = np.empty(n_entries, dtype=bool)
    new_segment[0] = True
    np.not_equal(keys[1:], keys[:-1], out=new_segment[1:])
    new_segment[batch_starts] = True
    segment_starts = np.flatnonzero(new_segment)
    first_segment = np.searchsorted(segment_starts, batch_starts)
    return keys[segment_starts], segment_starts, first_segment


def _stable_argsort(keys, n_keys):
    """Stable argsort of integer keys in ``[0, n_keys)``, as 16-bit radix passes.

    numpy sorts 16-bit integers stably with a radix sort (linear time); wider keys are
    sorted digit by digit, least significant first.
    """
    if n_keys <= 1 << 16:  # one pass
        return np.argsort(keys.astype(np.uint16, copy=False), kind="stable")
    keys = keys.astype(np.int64, copy=False)
    order = None
    shift = 0
    while True:
        digit = ((keys if order is None else keys[order]) >> shift) & 0xFFFF
        step = np.argsort(digit.astype(np.uint16), kind="stable")
        order = step if order is None else order[step]
        shift += 16
        if n_keys <= (1 << shift):
            return order


class CooccurrenceBatches:
    """Fixed random mini-batches of co-occurrence entries, laid out for sparse products.

    Each entry is drawn into one of ``ceil(n_entries / batch_size)`` batches uniformly at
    random (so batches hold ``batch_size`` entries on average; a batch that drew none is
    dropped); inside a batch the entries are sorted by word then context id (the CSR order
    of the batch) and, for the transposed products, by context then word id. Building all
    of it costs a few linear-time (radix) sorts of the entries; the batches are then
    reused every epoch (see :func:`train_glove`).

    Everything is kept on the CPU (the entries of a big corpus may not fit a GPU next to
    the model); a batch moves to the model's device when it is used.

    Parameters
    ----------
    matrix : scipy.sparse matrix of shape (n_words, n_words)
        Co-occurrence counts; its non-zero entries are the training examples.
    batch_size : int
        Average number of entries per batch.
    seed : int
        Seed of the random assignment of entries to batches.

    Attributes
    ----------
    n_entries : int
        Number of non-zero entries.
    n_words : int
        Vocabulary size.

    Examples
    --------
    >>> import scipy.sparse as sp
    >>> from sktext.nn import CooccurrenceBatches
    >>> counts = sp.csr_matrix([[0, 2.0, 1.0], [2.0, 0, 0.5], [1.0, 0.5, 0]])
    >>> batches = CooccurrenceBatches(counts, batch_size=4, seed=0)
    >>> batches.n_entries, batches.n_words
    (6, 3)
    >>> sum(len(batch.counts) for batch in batches)  # every entry in one batch
    6
    """

    def __init__(self, matrix, *, batch_size, seed):
        coo = matrix.tocsr()
        coo.sum_duplicates()
        coo.eliminate_zeros()
        n_words = coo.shape[0]
        if coo.shape[0] != coo.shape[1]:
            raise ValueError(f"the co-occurrence matrix must be square; got {coo.shape}.")
        n_entries = coo.nnz
        if n_entries == 0:
            raise ValueError("the co-occurrence matrix has no non-zero entry to train on.")
        if np.any(coo.data < 0):
            raise ValueError("co-occurrence counts must be non-negative.")
        self.n_entries = n_entries
        self.n_words = n_words
        rng = np.random.default_rng(seed)
        # a random batch for each entry (CSR order); batches that drew no entry are dropped
        n_batches = math.ceil(n_entries / batch_size)
        batch_dtype = np.int16 if n_batches <= np.iinfo(np.int16).max else np.int64
        batch_of = rng.integers(n_batches, size=n_entries, dtype=batch_dtype)
        batch_sizes = np.bincount(batch_of, minlength=n_batches)
        if not np.all(batch_sizes):
            batch_of = (np.cumsum(batch_sizes > 0) - 1).astype(batch_dtype)[batch_of]
            batch_sizes = batch_sizes[batch_sizes > 0]
            n_batches = len(batch_sizes)
        batch_starts = np.zeros(n_batches + 1, dtype=np.int64)
        np.cumsum(batch_sizes, out=batch_starts[1:])
        rows = np.repeat(np.arange(n_words, dtype=np.int32), np.diff(coo.indptr))

        # row-major order inside each batch: a stable sort of the CSR order by batch
        order = _stable_argsort(batch_of, n_batches)
        row_major_rows = rows[order]
        self._columns = coo.indices[order].astype(np.int32, copy=False)
        self._counts = coo.data[order].astype(np.float32, copy=False)
        index_dtype = np.int32 if n_entries <= np.iinfo(np.int32).max else np.int64
        position = np.empty(n_entries, dtype=index_dtype)  # row-major position of each entry
        position[order] = np.arange(n_entries, dtype=index_dtype)
        del order
        (self._rows, self._row_starts, self._first_row) = _segment_pointers(
            row_major_rows, batch_starts[:-1], n_entries
        )
        del row_major_rows

        # column-major order inside each batch: (column, row) order, then stable by batch
        by_column = _stable_argsort(coo.indices, n_words)  # CSR is (row, column)-sorted
        by_column = by_column[_stable_argsort(batch_of[by_column], n_batches)]
        del batch_of
        self._transposed_rows = rows[by_column]
        column_major_columns = coo.indices[by_column]
        transposed_position = position[by_column]
        del by_column, position, rows
        transposed_position -= np.repeat(batch_starts[:-1], batch_sizes).astype(index_dtype)
        self._transposed_order = transposed_position.astype(np.int32, copy=False)
        del transposed_position
        (self._context_rows, self._context_starts, self._first_context) = _segment_pointers(
            column_major_columns, batch_starts[:-1], n_entries
        )
        self._batch_starts = batch_starts

    def __len__(self):
        return len(self._batch_starts) - 1

    def __iter__(self):
        return (self[i] for i in range(len(self)))

    def __getitem__(self, index):
        start, stop = int(self._batch_starts[index]), int(self._batch_starts[index + 1])
        rows, row_ptr = self._compacted(
            self._rows, self._row_starts, self._first_row, index, start, stop
        )
        context_rows, context_ptr = self._compacted(
            self._context_rows, self._context_starts, self._first_context, index, start, stop
        )
        return _Batch(
            rows=rows,
            row_ptr=row_ptr,
            columns=torch.from_numpy(self._columns[start:stop]),
            counts=torch.from_numpy(self._counts[start:stop]),
            context_rows=context_rows,
            context_ptr=context_ptr,
            transposed_rows=torch.from_numpy(self._transposed_rows[start:stop]),
            transposed_order=torch.from_numpy(self._transposed_order[start:stop]),
        )

    @staticmethod
    def _compacted(keys, segment_starts, first_segment, index, start, stop):
        """Distinct ids and CSR pointer (relative to ``start``) of one batch."""
        lo = int(first_segment[index])
        hi = int(first_segment[index + 1]) if index + 1 < len(first_segment) else len(keys)
        ids = torch.from_numpy(keys[lo:hi].astype(np.int64))
        pointer = np.empty(hi - lo + 1, dtype=np.int32)
        pointer[:-1] = segment_starts[lo:hi] - start
        pointer[-1] = stop - start
        return ids, torch.from_numpy(pointer)


def _csr(pointer, indices, values, n_columns):
    """A CSR tensor without invariant checks and without the beta-state warning."""
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", message="Sparse CSR tensor support is in beta")
        return torch.sparse_csr_tensor(
            pointer,
            indices,
            values,
            (len(pointer) - 1, n_columns),
            check_invariants=False,
        )


class _AdaGradState:
    """AdaGrad accumulators of the reference implementation, for both parameter matrices.

    The accumulators start at 1 and gather the squared, learning-rate-scaled gradients of
    every entry, as GloVe's C code does (``gradsq += (eta * g)^2``). A batch's update of a
    row is ``eta * sum(g) / sqrt(gradsq)`` with ``gradsq`` including the batch's squares,
    so that, by Cauchy-Schwarz, a row occurring ``n`` times in the batch moves by at most
    ``sqrt(n)`` per coordinate, the order of what ``n`` successive AdaGrad steps allow
    (about ``2 sqrt(n)``); against the accumulator of *before* the batch, a frequent word's
    summed gradient could move it up to ``n`` times a single step. Columns that hold a
    constant get a learning rate of 0.
    """

    def __init__(self, model, learning_rate):
        d = model.vector_size
        self.sum_squares = torch.ones_like(model.weight.data)
        self.context_sum_squares = torch.ones_like(model.context_weight.data)
        self.rate = torch.full((d + 2,), float(learning_rate), device=model.weight.device)
        self.context_rate = self.rate.clone()
        self.rate[d + 1] = 0.0  # weight = [w | b | 1]
        self.context_rate[d] = 0.0  # context_weight = [w~ | 1 | b~]

    @staticmethod
    def update(param, sum_squares, rate, ids, grad, grad_squares):
        """Update the rows ``ids`` of ``param`` in place; ``grad`` is consumed."""
        accumulated = sum_squares.index_select(0, ids)  # (n_rows, vector_size + 2)
        accumulated.addcmul_(grad_squares, rate * rate)
        sum_squares.index_copy_(0, ids, accumulated)
        grad.mul_(accumulated.rsqrt_()).mul_(rate)
        param.index_add_(0, ids, grad, alpha=-1.0)


def _train_batch(model, state, batch, x_max, alpha):
    """One batched AdaGrad step on a mini-batch; returns its summed loss (a 0-d tensor)."""
    weight, context_weight = model.weight.data, model.context_weight.data
    device = weight.device
    n_words = weight.shape[0]
    batch = _Batch(*(t.to(device, non_blocking=True) for t in batch))
    counts = batch.counts

    # predictions w_i . w~_j + b_i + b~_j of every entry: one SDDMM
    word_rows = weight.index_select(0, batch.rows)  # (n_rows, vector_size + 2)
    pattern = _csr(batch.row_ptr, batch.columns, torch.zeros_like(counts), n_words)
    predictions = torch.sparse.sampled_addmm(
        pattern, word_rows, context_weight.T, beta=0.0
    ).values()  # (n_entries,)
    diff = predictions - counts.log()
    weighted_diff = glove_weighting(counts, x_max, alpha).mul_(diff)  # f(x) * diff
    loss = 0.5 * torch.dot(weighted_diff, diff)

    # gradients of the word rows: sum_j f d_ij [w~_j | 1 | b~_j]; and per-entry squares
    by_rows = _csr(batch.row_ptr, batch.columns, weighted_diff, n_words)
    grad = by_rows @ context_weight  # (n_rows, vector_size + 2)
    squares = weighted_diff.square()
    grad_squares = _csr(batch.row_ptr, batch.columns, squares, n_words) @ context_weight.square()
    # gradients of the context rows: the transposed batch times [w_i | b_i | 1]
    transposed = weighted_diff[batch.transposed_order]
    context_grad = _csr(batch.context_ptr, batch.transposed_rows, transposed, n_words) @ weight
    context_grad_squares = (
        _csr(batch.context_ptr, batch.transposed_rows, transposed.square(), n_words)
        @ weight.square()
    )
    # both sides' gradients came from the same parameters; now update them
    state.update(weight, state.sum_squares, state.rate, batch.rows, grad, grad_squares)
    state.update(
        context_weight,
        state.context_sum_squares,
        state.context_rate,
        batch.context_rows,
        context_grad,
        context_grad_squares,
    )
    return loss


def train_glove(
    model,
    batches,
    *,
    epochs,
    learning_rate=0.05,
    x_max=100.0,
    alpha=0.75,
    seed=0,
    shuffle=True,
    callback=None,
):
    """Train a :class:`GloVe` model with AdaGrad over mini-batches of co-occurrences.

    Each epoch visits every batch of ``batches`` once, in random order. A batch's
    predictions and gradients are all computed from the parameters of before the batch
    and its updates are summed per row (batched semantics); AdaGrad's accumulators gather
    the squared gradient of every entry, as in the reference implementation.

    Parameters
    ----------
    model : GloVe
        The model, on the device to train on; updated in place.
    batches : CooccurrenceBatches
        The training entries.
    epochs : int
        Number of passes over the entries.
    learning_rate : float, default=0.05
        AdaGrad's initial learning rate (the reference's ``eta``).
    x_max, alpha : float
        Parameters of the weighting :func:`glove_weighting`.
    seed : int, default=0
        Seed of the order in which the batches are visited.
    shuffle : bool, default=True
        Visit the batches in a new random order every epoch. ``False`` keeps one random
        order for all epochs, as the reference reads its once-shuffled entries in the same
        order every epoch; the running losses of successive epochs are then measured in
        the same order, which makes the loss curve smooth (monotone while training
        progresses).
    callback : callable, default=None
        Called after each epoch as ``callback(epoch, loss, seconds)`` (epoch from 1).

    Returns
    -------
    loss_curve : list of float
        Mean loss per entry ``1/2 f(x) (prediction - log x)^2`` of each epoch, computed
        on each batch just before its update (the running loss the reference prints).

    Examples
    --------
    >>> import scipy.sparse as sp
    >>> import torch
    >>> from sktext.nn import CooccurrenceBatches, GloVe, train_glove
    >>> counts = sp.random(50, 50, density=0.3, random_state=0, format="csr") * 20
    >>> counts = counts + counts.T
    >>> model = GloVe(n_words=50, vector_size=8)
    >>> model.reset_parameters(torch.Generator().manual_seed(0))
    >>> batches = CooccurrenceBatches(counts, batch_size=128, seed=0)
    >>> curve = train_glove(model, batches, epochs=5, x_max=10.0)
    >>> len(curve), curve[-1] < curve[0]
    (5, True)
    """
    state = _AdaGradState(model, learning_rate)
    rng = np.random.default_rng(seed)
    order = rng.permutation(len(batches))
    loss_curve = []
    for epoch in range(1, epochs + 1):
        start = time.perf_counter()
        total = torch.zeros((), dtype=torch.float64, device=model.weight.device)
        if shuffle and epoch > 1:
            order = rng.permutation(len(batches))
        for index in order:
            total += _train_batch(model, state, batches[int(index)], x_max, alpha)
        loss = float(total) / batches.n_entries
        loss_curve.append(loss)
        if callback is not None:
            callback(epoch, loss, time.perf_counter() - start)
    return loss_curve
