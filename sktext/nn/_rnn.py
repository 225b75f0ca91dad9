"""Recurrent network (LSTM or GRU) for text classification, plain torch."""

import torch
from torch import nn
from torch.nn import functional as F
from torch.nn.utils.rnn import pack_padded_sequence, pad_packed_sequence

from ._embedding import WordEmbeddingMixin

__all__ = ["TextRNN"]

_CELLS = {"lstm": nn.LSTM, "gru": nn.GRU}
_POOLINGS = ("last", "max", "mean", "attention")
_MODES = ("rand", "static", "non-static")


class TextRNN(WordEmbeddingMixin, nn.Module):
    """Embeddings, a (stacked, bidirectional) LSTM or GRU, pooling over steps, softmax.

    Documents are batches of left-aligned token ids padded with ``padding_idx``. The word
    vectors go through dropout and the recurrent layers, which never read a padded
    position before a real one: on the CPU each layer and direction runs over the padded
    batch, the backward direction over each document reversed within its length (in time
    linear in the batch's padded size, where packed sequences of different lengths cost
    a time quadratic in the longest document to train); on a GPU as packed sequences
    (:func:`~torch.nn.utils.rnn.pack_padded_sequence`). The step outputs are then pooled
    into one vector per document over the real steps only (masked), dropped out and fed
    to a linear output layer. Appending padding to a batch never changes a document's
    output.

    Poolings:

    * ``"last"``: the final hidden state of each direction, i.e. the state after the last
      real token for the forward direction and after the first token for the backward
      one (concatenated);
    * ``"max"`` / ``"mean"``: element-wise max / mean of the last layer's outputs over
      the real steps;
    * ``"attention"``: additive attention over the steps (Yang et al., 2016, word level):
      ``u_t = tanh(W h_t + b)``, weights ``softmax_t(u_t . u_w)`` over the real steps,
      and the weighted sum of the ``h_t``.

    An empty document (all padding) is read as a single padding token, whose vector is
    zero: its output is defined and the same whatever the padding.

    Parameters
    ----------
    vocab_size : int
        Number of token ids (padding and unknown included).
    embedding_dim : int
        Size of the word vectors (ignored when ``embeddings`` is given).
    n_outputs : int
        Number of classes (logits returned).
    cell : {"lstm", "gru"}, default="lstm"
        Recurrent cell.
    hidden_size : int, default=128
        Hidden units per direction and layer.
    num_layers : int, default=1
        Stacked recurrent layers.
    bidirectional : bool, default=True
        Read the documents in both directions (outputs are concatenated).
    pooling : {"last", "max", "mean", "attention"}, default="max"
        How the step outputs become one vector (see above).
    attention_size : int, default=100
        Size of the attention's hidden layer ``u_t`` (``pooling="attention"`` only).
    embedding_dropout : float, default=0.0
        Dropout on the word vectors.
    layer_dropout : float, default=0.0
        Dropout between stacked layers (``num_layers > 1`` only).
    dropout : float, default=0.5
        Dropout on the pooled vector.
    mode : {"rand", "static", "non-static"}, default="rand"
        Trainable embeddings initialised at random (``"rand"``) or from ``embeddings``
        (``"non-static"``), or frozen ``embeddings`` (``"static"``).
    embeddings : tensor or ndarray of shape (vocab_size, dim), default=None
        Initial word vectors; required by every mode but ``"rand"``.
    padding_idx : int, default=0
        Id of padding positions (its vector is zero and gets no gradient).
    unknown_idx : int, default=1
        Id of words outside the vocabulary (what ``word_dropout`` substitutes).
    word_dropout : float, default=0.0
        In training, the probability that a word is replaced by ``unknown_idx``, so that
        the unknown-word vector is learned (words unseen in training map to it at
        prediction time); no effect in evaluation mode.
    sparse : bool, default=False
        Sparse gradients for the trainable embedding (see
        :class:`~sktext.nn.CatchUpAdam`).

    References
    ----------
    S. Hochreiter and J. Schmidhuber, "Long Short-Term Memory", Neural Computation 1997.
    K. Cho et al., "Learning Phrase Representations using RNN Encoder-Decoder for
    Statistical Machine Translation", EMNLP 2014 (GRU).
    Z. Yang et al., "Hierarchical Attention Networks for Document Classification",
    NAACL 2016.

    Examples
    --------
    >>> import torch
    >>> from sktext.nn import TextRNN
    >>> _ = torch.manual_seed(0)
    >>> net = TextRNN(vocab_size=50, embedding_dim=8, n_outputs=3, hidden_size=6,
    ...               pooling="attention").eval()
    >>> ids = torch.tensor([[5, 6, 7, 8, 9], [2, 3, 0, 0, 0]])  # (batch, seq_len)
    >>> net(ids).shape
    torch.Size([2, 3])
    >>> padded = torch.nn.functional.pad(ids, (0, 4))  # more padding, same outputs
    >>> torch.allclose(net(ids), net(padded), atol=1e-6)
    True
    """

    def __init__(
        self,
        *,
        vocab_size,
        embedding_dim,
        n_outputs,
        cell="lstm",
        hidden_size=128,
        num_layers=1,
        bidirectional=True,
        pooling="max",
        attention_size=100,
        embedding_dropout=0.0,
        layer_dropout=0.0,
        dropout=0.5,
        mode="rand",
        embeddings=None,
        padding_idx=0,
        unknown_idx=1,
        word_dropout=0.0,
        sparse=False,
    ):
        super().__init__()
        if cell not in _CELLS:
            raise ValueError(f"cell must be one of {tuple(_CELLS)}; got {cell!r}.")
        if pooling not in _POOLINGS:
            raise ValueError(f"pooling must be one of {_POOLINGS}; got {pooling!r}.")
        self.cell = cell
        self.pooling = pooling
        self.num_directions = 2 if bidirectional else 1
        embedding_dim = self._init_word_embedding(
            vocab_size=vocab_size,
            embedding_dim=embedding_dim,
            mode=mode,
            modes=_MODES,
            embeddings=embeddings,
            padding_idx=padding_idx,
            unknown_idx=unknown_idx,
            word_dropout=word_dropout,
            sparse=sparse,
        )
        self.embedding_dropout = nn.Dropout(embedding_dropout)
        self.rnn = _CELLS[cell](
            input_size=embedding_dim,
            hidden_size=hidden_size,
            num_layers=num_layers,
            bidirectional=bidirectional,
            dropout=layer_dropout if num_layers > 1 else 0.0,
            batch_first=True,
        )
        features = hidden_size * self.num_directions
        self.attention = self.context = None
        if pooling == "attention":
            self.attention = nn.Linear(features, attention_size)
            self.context = nn.Parameter(torch.empty(attention_size).uniform_(-0.1, 0.1))
        self.dropout = nn.Dropout(dropout)
        self.output = nn.Linear(features, n_outputs)

    def encode(self, X, unseen_vectors=None):
        """Pooled document vectors (before the output dropout and layer).

        Parameters
        ----------
        X : tensor of shape (batch, seq_len)
            Token ids, left-aligned, padded with ``padding_idx``; ids from ``vocab_size``
            on are words outside the vocabulary, read from ``unseen_vectors``.
        unseen_vectors : tensor of shape (n_unseen, dim), default=None
            Vectors of the ids past the vocabulary (see :meth:`~sktext.nn.TextRNN.embed`).

        Returns
        -------
        pooled : tensor of shape (batch, hidden_size * num_directions)
            One vector per document.
        """
        X = X.long()  # (batch, seq_len) token ids
        # an empty document is read as one padding token (a zero vector)
        lengths = (X != self.padding_idx).sum(dim=1).clamp_min(1)  # (batch,)
        if not torch.jit.is_tracing():
            # trailing all-padding columns are never read; a batch of width 0 gets one.
            # A trace (the ONNX export, fed at least 2 columns) keeps its input as it is:
            # a width read from the data would become a constant of the graph.
            width = int(lengths.max())
            X = X[:, :width] if X.shape[1] else F.pad(X, (0, 1), value=self.padding_idx)
        X = self.drop_words(X)  # training only: some words -> unknown_idx
        h = self.embedding_dropout(self.embed(X, unseen_vectors))  # (batch, width, emb_dim)
        if h.device.type == "cuda":
            out, last = self._packed_recurrence(h, lengths)
        else:
            out, last = self._padded_recurrence(h, lengths)
        return self._pool(out, last, lengths)

    def _pool(self, out, last, lengths):
        """One vector per document from the last layer's outputs, by ``self.pooling``.

        Parameters
        ----------
        out : tensor of shape (batch, width, dirs * hidden)
            Step outputs; only the positions before ``lengths`` are real (the others are
            arbitrary and never read).
        last : tensor of shape (batch, dirs * hidden)
            Final states: after the last real token forwards, after the first backwards.
        lengths : tensor of shape (batch,)
            Real steps per document (at least 1).

        Returns
        -------
        pooled : tensor of shape (batch, dirs * hidden)
        """
        if self.pooling == "last":
            return last
        width = out.shape[1]
        mask = torch.arange(width, device=out.device).unsqueeze(0) < lengths.unsqueeze(1)
        if self.pooling == "max":
            return out.masked_fill(~mask.unsqueeze(2), float("-inf")).amax(dim=1)
        if self.pooling == "mean":
            summed = (out * mask.unsqueeze(2)).sum(dim=1)  # (batch, dirs * hidden)
            return summed / lengths.unsqueeze(1).to(out.dtype)
        u = torch.tanh(self.attention(out))  # (batch, width, attention_size)
        scores = (u @ self.context).masked_fill(~mask, float("-inf"))  # (batch, width)
        weights = torch.softmax(scores, dim=1)  # (batch, width), zero on padding
        return torch.bmm(weights.unsqueeze(1), out).squeeze(1)  # (batch, dirs * hidden)

    def _packed_recurrence(self, h, lengths):
        """The recurrent layers on packed sequences (cuDNN runs them in linear time)."""
        width = h.shape[1]
        # pack_padded_sequence takes the lengths as an int64 CPU tensor
        packed = pack_padded_sequence(h, lengths.cpu(), batch_first=True, enforce_sorted=False)
        packed_out, state = self.rnn(packed)
        h_n = state[0] if self.cell == "lstm" else state  # (layers * dirs, batch, hidden)
        last = h_n[-self.num_directions :]  # (dirs, batch, hidden), last layer
        last = last.transpose(0, 1).reshape(h.shape[0], -1)  # (batch, dirs * hidden)
        out, _ = pad_packed_sequence(packed_out, batch_first=True, total_length=width)
        return out, last

    def _padded_recurrence(self, h, lengths):
        """The recurrent layers on the padded batch, one layer and direction at a time.

        On the CPU, torch runs packed sequences of different lengths step by step, slicing
        the packed input at every step, and the backward pass of each slice writes a zero
        tensor of the whole input: a training step costs (longest document) x (tokens of
        the batch), quadratic in the document length (a batch of 50 documents of about
        1,000 tokens: 263 s instead of 2.4 s). Here each layer and direction runs as one
        dense recurrence over the padded batch, in linear time: the forward direction reads
        a document's tokens before its padding, the backward direction reads each document
        reversed within its length, so the outputs at real tokens are exactly those of
        the packed pass and padding never enters them.

        Returns the last layer's step outputs ``(batch, width, dirs * hidden)`` (arbitrary
        after each document's end) and its final states ``(batch, dirs * hidden)``: after
        the last real token forwards, after the first one backwards.
        """
        rnn = self.rnn
        positions = torch.arange(h.shape[1], device=h.device).unsqueeze(0)  # (1, width)
        real = positions < lengths.unsqueeze(1)  # (batch, width)
        # each document reversed within its length (padding stays where it is)
        reverse = torch.where(real, lengths.unsqueeze(1) - 1 - positions, positions)
        last_step = (lengths - 1).view(-1, 1, 1)  # (batch, 1, 1)
        for layer in range(rnn.num_layers):
            if layer:
                h = F.dropout(h, rnn.dropout, self.training)  # nn.LSTM's inter-layer dropout
            outputs, finals = [], []
            for direction in range(self.num_directions):
                x = h if direction == 0 else h.gather(1, reverse.unsqueeze(2).expand_as(h))
                out = self._single_layer(x, layer, direction)  # (batch, width, hidden)
                finals.append(out.gather(1, last_step.expand(-1, 1, out.shape[2])).squeeze(1))
                if direction:
                    out = out.gather(1, reverse.unsqueeze(2).expand_as(out))
                outputs.append(out)
            h = torch.cat(outputs, dim=2)  # (batch, width, dirs * hidden)
        return h, torch.cat(finals, dim=1)

    def _single_layer(self, x, layer, direction):
        """One layer and direction of ``self.rnn`` over ``x`` (batch first), forwards."""
        rnn = self.rnn
        suffix = f"_l{layer}" + ("_reverse" if direction else "")
        names = ("weight_ih", "weight_hh") + (("bias_ih", "bias_hh") if rnn.bias else ())
        weights = [getattr(rnn, name + suffix) for name in names]
        h0 = x.new_zeros(1, x.shape[0], rnn.hidden_size)  # (1, batch, hidden)
        # the kernels nn.LSTM / nn.GRU call, here for a single layer of their weights
        if self.cell == "lstm":
            out = torch._VF.lstm(x, (h0, h0), weights, rnn.bias, 1, 0.0, self.training, False, True)
        else:
            out = torch._VF.gru(x, h0, weights, rnn.bias, 1, 0.0, self.training, False, True)
        return out[0]

    def forward(self, X, unseen_vectors=None):
        pooled = self.encode(X, unseen_vectors)  # (batch, dirs * hidden)
        return self.output(self.dropout(pooled))  # (batch, n_outputs) logits
