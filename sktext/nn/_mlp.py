"""Feed-forward network on numeric features, dense or sparse (plain torch)."""

import math

import torch
from torch import nn
from torch.nn import functional as F

__all__ = ["MLP", "SparseInputLinear"]

_ACTIVATIONS = {
    "identity": nn.Identity,
    "logistic": nn.Sigmoid,
    "tanh": nn.Tanh,
    "relu": nn.ReLU,
}


class _GatherRows(torch.autograd.Function):
    """``weight[rows]`` whose gradient is a coalesced sparse tensor over ``rows``.

    ``rows`` must be unique and sorted; the gradient then needs no coalescing (no sort, no
    merge of duplicates), which is what makes a sparse first layer cheap per step.
    """

    @staticmethod
    def forward(ctx, weight, rows):
        ctx.save_for_backward(rows)
        ctx.weight_shape = weight.shape
        return weight.index_select(0, rows)

    @staticmethod
    def backward(ctx, grad_rows):
        (rows,) = ctx.saved_tensors
        return _row_gradient(rows, grad_rows, ctx.weight_shape, sparse=True), None


class _CompactedProduct(torch.autograd.Function):
    """``x @ weight[rows]`` for a CSR batch ``x`` compacted to the weight rows ``rows``.

    The gradient of those rows is ``transposed @ grad_out``, with ``transposed`` the
    batch's transpose as a CSR tensor ``(k, batch)``: one ``embedding_bag`` over the output
    gradient, where autograd's backward of the forward ``embedding_bag`` sorts the batch's
    non-zeros at every step (about 5 times slower on CPUs). It is returned as a coalesced
    sparse tensor over ``rows`` (``sparse_grad``) or a dense one.
    """

    @staticmethod
    def forward(ctx, weight, rows, x, transposed, sparse_grad, weight_rows):
        ctx.save_for_backward(rows)
        ctx.transposed, ctx.sparse_grad, ctx.weight_shape = transposed, sparse_grad, weight.shape
        if weight_rows is None:
            weight_rows = weight.index_select(0, rows)  # (k, out)
        return _bag_product(x, weight_rows)  # (batch, out)

    @staticmethod
    def backward(ctx, grad_out):
        (rows,) = ctx.saved_tensors
        grad_rows = _bag_product(ctx.transposed, grad_out.contiguous())  # (k, out)
        grad = _row_gradient(rows, grad_rows, ctx.weight_shape, sparse=ctx.sparse_grad)
        return grad, None, None, None, None, None


def _bag_product(x, weight, sparse=False):
    """``x @ weight`` for a CSR ``x``: the sum of ``weight``'s rows of each row's non-zeros
    (``sparse``: autograd's gradient of ``weight`` is sparse)."""
    return F.embedding_bag(
        x.col_indices(),
        weight,
        x.crow_indices(),
        mode="sum",
        per_sample_weights=x.values(),
        include_last_offset=True,
        sparse=sparse,
    )


def _row_gradient(rows, grad_rows, shape, *, sparse):
    """The gradient of a weight of ``shape`` that is ``grad_rows`` on ``rows`` (sorted,
    unique), zero elsewhere: sparse (coalesced) or dense."""
    if not sparse:
        return grad_rows.new_zeros(shape).index_copy_(0, rows, grad_rows)
    return torch.sparse_coo_tensor(
        rows.unsqueeze(0),
        grad_rows.contiguous(),
        shape,
        is_coalesced=True,
        check_invariants=False,  # rows are sorted, unique and in range by construction
    )


class SparseInputLinear(nn.Module):
    """Linear layer that takes a dense batch or a sparse CSR batch.

    The weight is stored as ``(in_features, out_features)`` (one row per input feature),
    so a CSR batch is computed as an ``embedding_bag`` sum of the rows of its non-zero
    columns weighted by their values: the cost is proportional to the non-zeros.

    A CSR batch may come *compacted*: its columns renumbered ``0..k-1`` and ``rows`` giving
    the (sorted, unique) input feature of each column. The layer then reads only those ``k``
    weight rows, and with ``sparse_grad=True`` the weight gradient is a coalesced sparse
    tensor over exactly those rows (no sorting or merging per step).

    Parameters
    ----------
    in_features : int
        Number of input features.
    out_features : int
        Number of output units.
    sparse_grad : bool, default=False
        Produce sparse weight gradients for CSR input (needs an optimizer that accepts
        them, such as :class:`~sktext.nn.CatchUpAdam`).
    """

    def __init__(self, *, in_features, out_features, sparse_grad=False):
        super().__init__()
        self.in_features = in_features
        self.out_features = out_features
        self.sparse_grad = sparse_grad
        self.weight = nn.Parameter(torch.empty(in_features, out_features))
        self.bias = nn.Parameter(torch.empty(out_features))

    def forward(self, x, rows=None, transposed=None, weight_rows=None):
        """``x``: (batch, in) dense, or CSR (compacted to ``rows`` when given).

        ``transposed``, for a compacted CSR ``x``: its transpose as a CSR tensor
        ``(len(rows), batch)`` (the batch's CSC structure), which makes the backward pass
        several times cheaper on CPUs. ``weight_rows``, with both: ``weight[rows]`` as an
        optimizer has already read it (see :meth:`MLP.weight_rows_keyword`); the gradient
        still goes to ``weight``.
        """
        if x.layout != torch.sparse_csr:
            # (batch, in) @ (in, out) -> (batch, out)
            return torch.addmm(self.bias, x, self.weight)
        if rows is not None and transposed is not None:
            out = _CompactedProduct.apply(
                self.weight, rows, x, transposed, self.sparse_grad, weight_rows
            )
            return out + self.bias
        if weight_rows is not None:
            raise ValueError("weight_rows needs a compacted batch: rows and transposed.")
        weight, sparse = self.weight, self.sparse_grad
        if rows is not None:
            # (k, out): the weight rows this batch reads
            if self.sparse_grad:
                weight = _GatherRows.apply(self.weight, rows)
            else:
                weight = self.weight.index_select(0, rows)
            sparse = False  # the gradient of the (k, out) slice is dense
        # (batch, k) CSR -> (batch, out): sum_j x_ij * W[j]
        return _bag_product(x, weight, sparse) + self.bias


class MLP(nn.Module):
    """Multi-layer perceptron returning class logits.

    Parameters
    ----------
    n_features : int
        Number of input features.
    n_outputs : int
        Number of output units (classes).
    hidden_layer_sizes : tuple of int, default=(100,)
        Width of each hidden layer; empty for a linear model.
    activation : {"relu", "tanh", "logistic", "identity"}, default="relu"
        Hidden-layer nonlinearity.
    dropout : float, default=0.0
        Dropout probability applied after each hidden activation.
    sparse_grad : bool, default=False
        Sparse weight gradients in the input layer for CSR input.
    """

    def __init__(
        self,
        *,
        n_features,
        n_outputs,
        hidden_layer_sizes=(100,),
        activation="relu",
        dropout=0.0,
        sparse_grad=False,
    ):
        super().__init__()
        sizes = [n_features, *hidden_layer_sizes, n_outputs]
        self.input_layer = SparseInputLinear(
            in_features=sizes[0], out_features=sizes[1], sparse_grad=sparse_grad
        )
        self.layers = nn.ModuleList(
            nn.Linear(fan_in, fan_out)
            for fan_in, fan_out in zip(sizes[1:-1], sizes[2:], strict=True)
        )
        self.activation = _ACTIVATIONS[activation]()
        self.dropout = nn.Dropout(dropout)
        self.reset_parameters(activation)

    def reset_parameters(self, activation="relu"):
        """Glorot-uniform initialisation, as scikit-learn's MLP (factor 2 for logistic)."""
        factor = 2.0 if activation == "logistic" else 6.0
        for weight, bias, fan_in, fan_out in self._weights():
            bound = math.sqrt(factor / (fan_in + fan_out))
            nn.init.uniform_(weight, -bound, bound)
            nn.init.uniform_(bias, -bound, bound)

    def _weights(self):
        first = self.input_layer
        yield first.weight, first.bias, first.in_features, first.out_features
        for layer in self.layers:
            yield layer.weight, layer.bias, layer.in_features, layer.out_features

    def sparse_parameters(self):
        """Parameters whose gradients are sparse (the input layer's weight on CSR input)."""
        return [self.input_layer.weight] if self.input_layer.sparse_grad else []

    def rows_read(self, X, rows=None, transposed=None):
        """``(parameter, sorted unique row indices)`` a batch reads from sparse-gradient weights.

        Optimizers with lazy row updates (:class:`~sktext.nn.CatchUpAdam`) bring these
        rows up to date before the forward pass.
        """
        if not self.input_layer.sparse_grad or X.layout != torch.sparse_csr:
            return []
        if rows is None:
            rows = torch.unique(X.col_indices())
        return [(self.input_layer.weight, rows)]

    def weight_rows_keyword(self, param, X, rows=None, transposed=None):
        """The :meth:`forward` keyword taking ``param``'s rows as already read, or None.

        An optimizer's catch-up reads the rows a batch needs (see :meth:`rows_read`); handing
        them to the forward pass saves a second read. Offered for the input layer's weight
        on compacted batches (``rows`` and ``transposed``); that weight's rows are then not
        read from the parameter.
        """
        compacted = rows is not None and transposed is not None
        return "weight_rows" if compacted and param is self.input_layer.weight else None

    def forward(self, X, rows=None, transposed=None, weight_rows=None):
        """Logits of ``X``, (batch, n_features) dense or CSR.

        ``rows``, ``transposed``, ``weight_rows``: see :class:`SparseInputLinear`.
        """
        h = self.input_layer(
            X, rows, transposed, weight_rows
        )  # (batch, hidden_1) or (batch, n_outputs) without hidden
        for layer in self.layers:
            h = self.dropout(self.activation(h))  # (batch, hidden_i)
            h = layer(h)
        return h  # (batch, n_outputs) logits
