"""What the sequence modules (TextCNN, TextRNN) share about their word embedding."""

import torch
from torch import nn
from torch.nn import functional as F

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

    def embed(self, X, unseen_vectors=None, embedding=None):
        """Word vectors of the ids ``X``; ids from ``vocab_size`` on read ``unseen_vectors``.

        Parameters
        ----------
        X : tensor of shape (batch, seq_len)
            Token ids. Ids ``vocab_size + j`` stand for words outside the vocabulary whose
            vector is ``unseen_vectors[j]`` (e.g. computed from their character n-grams
            by a fastText model).
        unseen_vectors : tensor of shape (n_unseen, dim), default=None
            Vectors of the ids past the vocabulary (not trained; on ``X``'s device).
        embedding : nn.Embedding, default=None
            The embedding to read (default: ``self.embedding``).

        Returns
        -------
        h : tensor of shape (batch, seq_len, dim)
        """
        embedding = self.embedding if embedding is None else embedding
        if unseen_vectors is None or unseen_vectors.shape[0] == 0:
            return embedding(X)
        n_ids = embedding.num_embeddings
        unseen = X >= n_ids  # (batch, seq_len)
        h = embedding(X.masked_fill(unseen, self.unknown_idx))  # (batch, seq_len, dim)
        rows = F.embedding((X - n_ids).clamp_min(0), unseen_vectors.to(h.dtype))
        return torch.where(unseen.unsqueeze(2), rows, h)

    def sparse_parameters(self):
        """Parameters with sparse gradients (the trainable embedding when ``sparse``)."""
        weight = self.embedding.weight
        return [weight] if self.embedding.sparse and weight.requires_grad else []

    def rows_read(self, X, unseen_vectors=None):
        """``(parameter, row ids)`` a batch reads from sparse-gradient weights.

        With word dropout the unknown-word row is read as well, whatever ``X`` holds;
        ids past the vocabulary (``unseen_vectors``) read no weight row.
        """
        ids = X.reshape(-1)
        if unseen_vectors is not None:
            ids = ids[ids < self.embedding.num_embeddings]
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
