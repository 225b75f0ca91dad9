"""A pretrained transformer encoder with a pooling and a linear head (Hugging Face models).

The encoder is any ``transformers.AutoModel`` (BERT, MiniLM, RoBERTa, DistilBERT,
MPNet, ELECTRA, DeBERTa…); nothing of it is written here. Padded positions are masked in
the attention (``attention_mask``) and in the pooling, so a document's output does not
depend on the batch it is padded in.
"""

from torch import nn

from ..utils._transformers import load_pretrained_encoder

__all__ = [
    "POOLING_OPTIONS",
    "TextTransformer",
    "encoder_layers",
    "freeze_lower_layers",
    "pool_hidden_states",
]

POOLING_OPTIONS = ("mean", "cls")


def pool_hidden_states(hidden, attention_mask, pooling="mean"):
    """One vector per document from the encoder's last hidden states.

    Parameters
    ----------
    hidden : Tensor of shape (batch, seq_len, hidden_size)
        Last hidden states.
    attention_mask : Tensor of shape (batch, seq_len)
        1 at real tokens, 0 at padding.
    pooling : {"mean", "cls"}
        Mean over the real tokens (special tokens included, as sentence-transformers
        does), or the first token's state.

    Returns
    -------
    pooled : Tensor of shape (batch, hidden_size), float32
        One vector per sequence.
    """
    hidden = hidden.float()  # pool in float32 under mixed precision too
    if pooling == "cls":
        return hidden[:, 0]
    if pooling != "mean":
        raise ValueError(f"pooling must be one of {POOLING_OPTIONS}; got {pooling!r}.")
    mask = attention_mask.unsqueeze(-1).to(hidden.dtype)  # (batch, seq_len, 1)
    total = (hidden * mask).sum(dim=1)  # (batch, hidden_size)
    return total / mask.sum(dim=1).clamp_min(1.0)


def encoder_layers(encoder):
    """The stack of transformer layers of a Hugging Face encoder.

    The largest :class:`torch.nn.ModuleList` of the model (``encoder.layer`` for BERT,
    ``transformer.layer`` for DistilBERT, ``layers`` for others); ``None`` if it has none.
    """
    best = None
    for module in encoder.modules():
        if isinstance(module, nn.ModuleList) and (best is None or len(module) > len(best)):
            best = module
    return best


def freeze_lower_layers(encoder, trainable_layers):
    """Freeze the embeddings and all but the top ``trainable_layers`` transformer layers.

    Parameters registered before the layer stack (the embeddings) and those of the lower
    layers get ``requires_grad=False``; the top layers and whatever follows the stack
    (final norms, a pooler) stay trainable. ``None`` leaves everything trainable.

    Raises
    ------
    ValueError
        If the model has no recognisable layer stack, or fewer layers than asked for.
    """
    if trainable_layers is None:
        return
    layers = encoder_layers(encoder)
    if layers is None:
        raise ValueError(
            f"trainable_layers={trainable_layers} needs a model with a stack of transformer "
            f"layers (an nn.ModuleList); {type(encoder).__name__} has none. Use "
            "trainable_layers=None."
        )
    if trainable_layers > len(layers):
        raise ValueError(
            f"trainable_layers={trainable_layers} is more than the {len(layers)} layers of "
            f"{type(encoder).__name__}."
        )
    trainable = {
        id(p) for layer in layers[len(layers) - trainable_layers :] for p in layer.parameters()
    }
    in_stack = {id(p) for p in layers.parameters()}
    below = True  # parameters registered before the first layer: the embeddings
    for param in encoder.parameters():
        if id(param) in in_stack:
            below = False
            param.requires_grad_(id(param) in trainable)
        elif below:
            param.requires_grad_(False)


class TextTransformer(nn.Module):
    """Pretrained transformer encoder → pooling → dropout → linear output layer.

    Parameters
    ----------
    model : str, path-like or transformers.PreTrainedModel
        The encoder: a local model directory or hub name (loaded with
        ``transformers.AutoModel.from_pretrained``), or a model instance.
    n_outputs : int
        Number of outputs (classes).
    pooling : {"mean", "cls"}, default="mean"
        How the token states become one document vector (:func:`pool_hidden_states`).
    dropout : float, default=0.1
        Dropout on the pooled vector.
    trainable_layers : int or None, default=None
        Fine-tune only the top ``trainable_layers`` layers (the embeddings and the lower
        layers are frozen); ``0`` trains the output layer alone; ``None`` everything.

    Notes
    -----
    Shapes: ``forward(input_ids, attention_mask, token_type_ids=None)`` takes
    ``(batch, seq_len)`` integer tensors (``token_type_ids``: the segment of each token
    of a pair of texts, for encoders with ``config.type_vocab_size > 1``) and returns
    ``(batch, n_outputs)`` logits.
    """

    def __init__(self, *, model, n_outputs, pooling="mean", dropout=0.1, trainable_layers=None):
        super().__init__()
        if pooling not in POOLING_OPTIONS:
            raise ValueError(f"pooling must be one of {POOLING_OPTIONS}; got {pooling!r}.")
        self.encoder = model if isinstance(model, nn.Module) else load_pretrained_encoder(model)
        self.pooling = pooling
        freeze_lower_layers(self.encoder, trainable_layers)
        self.dropout = nn.Dropout(dropout)
        self.output = nn.Linear(self.hidden_size, n_outputs)

    @property
    def hidden_size(self):
        """Size of the pooled document vector."""
        size = getattr(self.encoder.config, "hidden_size", None)
        return size if size else self.encoder.get_input_embeddings().embedding_dim

    def _reads_token_types(self):
        """Whether the encoder tells segments apart (``config.type_vocab_size > 1``)."""
        return (getattr(self.encoder.config, "type_vocab_size", None) or 0) > 1

    def encode(self, input_ids, attention_mask, token_type_ids=None):
        """Pooled document vectors, ``(batch, hidden_size)``.

        ``token_type_ids`` (the segment of each token of a pair of texts) are passed to
        encoders that read them (``config.type_vocab_size > 1``, as BERT's) and ignored
        by the others.
        """
        kwargs = {}
        if token_type_ids is not None and self._reads_token_types():
            kwargs["token_type_ids"] = token_type_ids
        out = self.encoder(input_ids=input_ids, attention_mask=attention_mask, **kwargs)
        return pool_hidden_states(out.last_hidden_state, attention_mask, self.pooling)

    def forward(self, input_ids, attention_mask, token_type_ids=None):
        return self.output(self.dropout(self.encode(input_ids, attention_mask, token_type_ids)))

    def no_decay_parameters(self):
        """Biases and normalization weights: excluded from weight decay, as is usual."""
        params = []
        for module in self.modules():
            norm = isinstance(module, nn.LayerNorm) or type(module).__name__.endswith("Norm")
            for name, param in module.named_parameters(recurse=False):
                if norm or name == "bias" or name.endswith("bias"):
                    params.append(param)
        return params
