"""Convolutional network for sentence classification (Kim, 2014), plain torch."""

import torch
from torch import nn
from torch.nn import functional as F

from ._embedding import WordEmbeddingMixin

__all__ = ["TextCNN"]

_MODES = ("rand", "static", "non-static", "multichannel")


class TextCNN(WordEmbeddingMixin, nn.Module):
    """Kim's CNN: embeddings, parallel 1-D convolutions, max-over-time pooling, softmax.

    Each filter width ``k`` slides over the document's word vectors; its feature maps go
    through max-over-time pooling and a ReLU (``relu(max(.)) == max(relu(.))``), the pooled
    features of all widths are concatenated, dropped out and fed to a linear output layer.

    Padding (id ``padding_idx``) never changes a document's result: a document of
    ``n`` tokens is treated as padded to at least the widest filter, and only the windows
    starting at positions ``0 .. max(n, k) - k`` enter the max, so the output does not depend
    on how much padding the batch added. A batch narrower than the widest filter is padded
    in ``forward``. An all-padding row (an empty document) gives a defined output (the
    pooled biases).

    Parameters
    ----------
    vocab_size : int
        Number of token ids (padding and unknown included).
    embedding_dim : int
        Size of the word vectors (ignored when ``embeddings`` is given).
    n_outputs : int
        Number of classes (logits returned).
    filter_sizes : tuple of int, default=(3, 4, 5)
        Widths of the convolution filters, in tokens.
    num_filters : int, default=100
        Feature maps per filter width.
    dropout : float, default=0.5
        Dropout probability on the pooled features.
    mode : {"rand", "static", "non-static", "multichannel"}, default="rand"
        Kim's variants: trainable embeddings initialised at random (``"rand"``) or from
        ``embeddings`` (``"non-static"``), frozen ``embeddings`` (``"static"``), or two
        channels, one frozen and one fine-tuned, both starting from ``embeddings``
        (``"multichannel"``; every filter spans both channels).
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
        Sparse gradients for the trainable embedding (with an optimizer that takes them,
        such as :class:`~sktext.nn.CatchUpAdam`, only the rows a batch reads are updated).

    Examples
    --------
    >>> import torch
    >>> from sktext.nn import TextCNN
    >>> _ = torch.manual_seed(0)
    >>> net = TextCNN(vocab_size=50, embedding_dim=8, n_outputs=3, num_filters=4)
    >>> ids = torch.tensor([[5, 6, 7, 8, 9, 0], [2, 3, 0, 0, 0, 0]])  # (batch, seq_len)
    >>> net(ids).shape
    torch.Size([2, 3])
    """

    def __init__(
        self,
        *,
        vocab_size,
        embedding_dim,
        n_outputs,
        filter_sizes=(3, 4, 5),
        num_filters=100,
        dropout=0.5,
        mode="rand",
        embeddings=None,
        padding_idx=0,
        unknown_idx=1,
        word_dropout=0.0,
        sparse=False,
    ):
        super().__init__()
        self.filter_sizes = tuple(int(k) for k in filter_sizes)
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
        self.static_embedding = None
        if mode == "multichannel":
            self.static_embedding = nn.Embedding.from_pretrained(
                self.embedding.weight.detach().clone(), freeze=True, padding_idx=padding_idx
            )
        in_channels = embedding_dim * (2 if mode == "multichannel" else 1)
        self.convs = nn.ModuleList(
            nn.Conv1d(in_channels, num_filters, kernel_size=k) for k in self.filter_sizes
        )
        self.dropout = nn.Dropout(dropout)
        self.output = nn.Linear(num_filters * len(self.filter_sizes), n_outputs)

    def apply_max_norm(self, max_norm):
        """Rescale each class's output weight vector to L2 norm at most ``max_norm``."""
        with torch.no_grad():
            w = self.output.weight  # (n_outputs, n_features)
            w.copy_(torch.renorm(w, p=2, dim=0, maxnorm=max_norm))

    def encode(self, X, unseen_vectors=None):
        """Pooled document vectors (before the dropout and the output layer).

        Parameters
        ----------
        X : tensor of shape (batch, seq_len)
            Token ids, left-aligned, padded with ``padding_idx``; ids from ``vocab_size``
            on are words outside the vocabulary, read from ``unseen_vectors``.
        unseen_vectors : tensor of shape (n_unseen, dim), default=None
            Vectors of the ids past the vocabulary, in both channels (see
            :meth:`~sktext.nn.TextCNN.embed`).

        Returns
        -------
        features : tensor of shape (batch, num_filters * len(filter_sizes))
            The max-pooled feature maps of each document.
        """
        X = X.long()  # (batch, seq_len) token ids
        widest = max(self.filter_sizes)
        if X.shape[1] < widest:
            X = F.pad(X, (0, widest - X.shape[1]), value=self.padding_idx)
        lengths = (X != self.padding_idx).sum(dim=1)  # (batch,)
        X = self.drop_words(X)  # training only: some words -> unknown_idx
        h = self.embed(X, unseen_vectors)  # (batch, seq_len, emb_dim)
        if self.static_embedding is not None:
            static = self.embed(X, unseen_vectors, self.static_embedding)
            h = torch.cat([h, static], dim=2)  # (batch, seq_len, 2 * emb)
        h = h.transpose(1, 2)  # (batch, channels, seq_len)
        positions = torch.arange(X.shape[1], device=X.device)  # (seq_len,)
        pooled = []
        for k, conv in zip(self.filter_sizes, self.convs, strict=True):
            c = conv(h)  # (batch, num_filters, seq_len - k + 1)
            # windows starting after max(length, k) - k read only padding: leave them out
            last_start = (lengths.clamp_min(k) - k).unsqueeze(1)  # (batch, 1)
            invalid = positions[: c.shape[2]].unsqueeze(0) > last_start  # (batch, n_windows)
            c = c.masked_fill(invalid.unsqueeze(1), float("-inf"))
            pooled.append(F.relu(c.amax(dim=2)))  # (batch, num_filters)
        return torch.cat(pooled, dim=1)  # (batch, num_filters * n_widths)

    def forward(self, X, unseen_vectors=None):
        features = self.dropout(self.encode(X, unseen_vectors))  # (batch, num_filters * n_widths)
        return self.output(features)  # (batch, n_outputs) logits
