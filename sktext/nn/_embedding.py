"""What the sequence modules (TextCNN, TextRNN) share about their word embedding."""

import torch
from torch import nn

__all__ = ["WordEmbeddingMixin"]


class WordEmbeddingMixin:
    """The word embedding of a sequence module: construction, sparse-gradient bookkeeping
    and word dropout. The module calls :meth:`_init_word_embedding` in ``__init__``.
    """

    def _init_word_embedding(
        self,
        *,
        vocab_size,
        embedding_dim,
        mode,
        modes,
        embeddings,
        padding_idx,
        unknown_idx,
        word_dropout,
        sparse,
    ):
        """Check the arguments, set ``embedding`` and the ids; return the vector size.

        ``mode`` is ``"rand"`` (vectors ``U[-0.25, 0.25]``, Kim's) or a mode that starts
        from ``embeddings`` (frozen when ``"static"``); the padding vector is zero.
        """
        if mode not in modes:
            raise ValueError(f"mode must be one of {modes}; got {mode!r}.")
        if (embeddings is None) != (mode == "rand"):
            raise ValueError(
                f"mode={mode!r} {'needs' if mode != 'rand' else 'takes no'} embeddings."
            )
        if not 0 <= word_dropout < 1:
            raise ValueError(f"word_dropout must be in [0, 1); got {word_dropout!r}.")
        self.mode = mode
        self.padding_idx = padding_idx
        self.unknown_idx = unknown_idx
        self.word_dropout = float(word_dropout)
        if embeddings is not None:
            weights = torch.as_tensor(embeddings, dtype=torch.float32)
            if weights.ndim != 2 or weights.shape[0] != vocab_size:
                raise ValueError(
                    f"embeddings must have shape (vocab_size={vocab_size}, dim); got "
                    f"{tuple(weights.shape)}."
                )
            embedding_dim = weights.shape[1]
        self.embedding = nn.Embedding(
            vocab_size, embedding_dim, padding_idx=padding_idx, sparse=sparse
        )
        with torch.no_grad():
            if embeddings is None:
                nn.init.uniform_(self.embedding.weight, -0.25, 0.25)
            else:
                self.embedding.weight.copy_(weights)
            self.embedding.weight[padding_idx].zero_()
        if mode == "static":
            self.embedding.weight.requires_grad_(False)
        return embedding_dim

    def sparse_parameters(self):
        """Parameters with sparse gradients (the trainable embedding when ``sparse``)."""
        weight = self.embedding.weight
        return [weight] if self.embedding.sparse and weight.requires_grad else []

    def rows_read(self, X):
        """``(parameter, row ids)`` a batch reads from sparse-gradient weights.

        With word dropout the unknown-word row is read as well, whatever ``X`` holds.
        """
        ids = X.reshape(-1)
        if self.word_dropout > 0:
            ids = torch.cat([ids, ids.new_tensor([self.unknown_idx])])
        return [(p, torch.unique(ids)) for p in self.sparse_parameters()]

    def drop_words(self, X):
        """Replace words by the unknown-word id at random, in training only.

        In training, each non-padding id becomes ``unknown_idx`` with probability
        ``word_dropout``; in evaluation ``X`` is returned unchanged.

        Words never seen in training are mapped to the unknown id at prediction time; the
        network only learns what that id means if it also meets it in training. Without
        this its vector stays at its random initial value, and whatever the trained
        network reads into that random vector moves the predictions of every document
        holding an unseen word.
        """
        if not self.training or self.word_dropout <= 0:
            return X
        drop = torch.rand(X.shape, device=X.device) < self.word_dropout  # (batch, seq_len)
        return X.masked_fill(drop & (X != self.padding_idx), self.unknown_idx)
