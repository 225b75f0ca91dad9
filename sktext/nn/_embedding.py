"""What the sequence modules (TextCNN, TextRNN) share about their word embedding."""

import torch

__all__ = ["WordEmbeddingMixin"]


class WordEmbeddingMixin:
    """Sparse-gradient bookkeeping and word dropout for a module with ``self.embedding``.

    The module sets ``embedding`` (an ``nn.Embedding``) and ``padding_idx``, and calls
    :meth:`_init_word_dropout`.
    """

    def _init_word_dropout(self, unknown_idx, word_dropout):
        if not 0 <= word_dropout < 1:
            raise ValueError(f"word_dropout must be in [0, 1); got {word_dropout!r}.")
        self.unknown_idx = unknown_idx
        self.word_dropout = float(word_dropout)

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
        """In training, replace each non-padding id by ``unknown_idx`` with probability
        ``word_dropout``; unchanged in evaluation.

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
