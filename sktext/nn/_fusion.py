"""Text and tabular columns in one network: a text module's document vectors fused with a
learned branch over the encoded columns, before one output layer."""

import torch
from torch import nn

__all__ = ["FUSION_OPTIONS", "FusionModule"]

#: How the document vectors and the columns' branch meet (see :class:`FusionModule`).
FUSION_OPTIONS = ("concat", "gate", "attention")


class FusionModule(nn.Module):
    """A text module over one or several text columns, fused with tabular features.

    The text module (``text_module(**text_kwargs)``: :class:`~sktext.nn.TextCNN`,
    :class:`~sktext.nn.TextRNN`, :class:`~sktext.nn.TextTransformer` or any module with an
    ``encode`` method and an ``output`` linear layer) encodes each text column with the
    same weights; the pooled vectors of the columns are concatenated (``t``). The
    tabular features go through a learned branch (linear, ReLU, dropout: ``h``). They
    meet before the output layer:

    * ``"concat"``: ``output(dropout([t; h]))``;
    * ``"gate"``: ``output(dropout(t + g * W h))`` with ``g = sigmoid(G [t; h])``, a
      gate per text feature deciding how much of the columns to add (the gated
      summation of Rahman et al., 2020, compared by the multimodal-transformers
      toolkit);
    * ``"attention"``: ``output(dropout(a_t T t + a_h H h))``, the two modalities
      projected to one size and weighted by a learned attention over them (per
      document).

    With tabular features, ``W x`` is added to the outputs (the "wide" part of Cheng et
    al., 2016: the encoded columns ``x`` straight to the outputs, zero at first). At
    prediction (eval mode) the outputs are ``w * f(t, x) + (1 - w) * f(0, x)``: a blend,
    by the buffer ``text_weight`` ``w`` (1 unless the estimator sets it from held-out
    rows), with the outputs of the columns alone, which modality dropout trains.

    The text module's own output layer is not used (it is replaced by an identity).

    Parameters
    ----------
    text_module : type
        The text module's class.
    n_text_columns : int, default=1
        Number of text columns, each encoded by the text module.
    n_tabular_features : int, default=0
        Width of the tabular features (0: text columns only).
    fusion : {"concat", "gate", "attention"}, default="concat"
        How the document vectors and the columns' branch meet.
    tabular_hidden : int, default=64
        Width of the columns' branch.
    modality_dropout : float, default=0.0
        In training, the probability that a row's whole text vector is set to zero
        (modality dropout, as ModDrop, Neverova et al. 2016): the output layer also
        learns to predict from the columns alone, and a text encoder that fits its
        training rows cannot make it ignore them. Used only with tabular features; no
        rescaling (at prediction every row has its text).
    **text_kwargs
        Keyword arguments of ``text_module`` (``n_outputs`` and ``dropout`` are read
        here too).

    Notes
    -----
    Shapes: ``forward(columns, tabular=None)`` takes ``columns``, a list of
    ``n_text_columns`` inputs of the text module (a tensor, or a dict of its keyword
    arguments, for the same ``batch`` of rows) and ``tabular`` of shape
    ``(batch, n_tabular_features)``; it returns ``(batch, n_outputs)`` logits.
    """

    def __init__(
        self,
        *,
        text_module,
        n_text_columns=1,
        n_tabular_features=0,
        fusion="concat",
        tabular_hidden=64,
        modality_dropout=0.0,
        **text_kwargs,
    ):
        super().__init__()
        if fusion not in FUSION_OPTIONS:
            raise ValueError(f"fusion must be one of {FUSION_OPTIONS}; got {fusion!r}.")
        self.text = text_module(**text_kwargs)
        output = getattr(self.text, "output", None)
        if not isinstance(output, nn.Linear) or not callable(getattr(self.text, "encode", None)):
            raise TypeError(
                f"{text_module.__name__} cannot be fused with other columns: it needs an "
                "encode(...) method giving the document vectors and an nn.Linear named "
                "output reading them."
            )
        self.text.output = nn.Identity()  # replaced by the fused output layer below
        self.n_text_columns = int(n_text_columns)
        self.n_tabular_features = int(n_tabular_features)
        self.fusion = fusion
        self.modality_dropout = float(modality_dropout)
        text_size = output.in_features * self.n_text_columns
        n_outputs = output.out_features
        self.dropout = nn.Dropout(float(text_kwargs.get("dropout", 0.0)))
        if self.n_tabular_features:
            self.branch = nn.Sequential(
                nn.Linear(self.n_tabular_features, tabular_hidden),
                nn.ReLU(),
                nn.Dropout(float(text_kwargs.get("dropout", 0.0))),
            )
        else:
            self.branch = None
            fusion = self.fusion = "concat"
        if fusion == "concat":
            fused_size = text_size + (tabular_hidden if self.branch is not None else 0)
        elif fusion == "gate":
            self.gate = nn.Linear(text_size + tabular_hidden, text_size)
            self.project = nn.Linear(tabular_hidden, text_size, bias=False)
            fused_size = text_size
        else:
            self.text_projection = nn.Linear(text_size, text_size)
            self.tabular_projection = nn.Linear(tabular_hidden, text_size)
            self.attention = nn.Linear(text_size, 1, bias=False)
            fused_size = text_size
        self.output = nn.Linear(fused_size, n_outputs)
        if self.branch is not None:
            # the wide part (Cheng et al., 2016): the encoded columns straight to the
            # outputs, zero at first; a linear model of the columns (the stacked trees'
            # predictions among them) is there from the first step
            self.wide = nn.Linear(self.n_tabular_features, n_outputs, bias=False)
            nn.init.zeros_(self.wide.weight)
        else:
            self.wide = None
        # at prediction, the text vector times this weight (set by the estimator from
        # held-out rows: how far the text can be trusted on rows not trained on)
        self.register_buffer("text_weight", torch.ones(()))

    def _text_vectors(self, columns):
        vectors = [
            self.text.encode(**column) if isinstance(column, dict) else self.text.encode(column)
            for column in columns
        ]
        return torch.cat(vectors, dim=1)  # (batch, n_text_columns * text_size)

    def _inputs(self, columns, tabular):
        """The text vectors ``t`` (some hidden in training) and the branch's ``h``."""
        t = self._text_vectors(columns)
        if self.training and self.modality_dropout > 0:
            keep = torch.rand(t.shape[0], 1, device=t.device) >= self.modality_dropout
            t = t * keep.to(t.dtype)  # (batch, text_size): some rows without their text
        return t, self.branch(tabular.to(t.dtype))  # h: (batch, tabular_hidden)

    def _fuse(self, t, h):
        if self.fusion == "concat":
            return torch.cat([t, h], dim=1)
        if self.fusion == "gate":
            g = torch.sigmoid(self.gate(torch.cat([t, h], dim=1)))  # (batch, text_size)
            return t + g * self.project(h)
        # attention over the two modalities, per document
        modalities = torch.stack(
            [torch.tanh(self.text_projection(t)), torch.tanh(self.tabular_projection(h))], dim=1
        )  # (batch, 2, text_size)
        weights = torch.softmax(self.attention(modalities), dim=1)  # (batch, 2, 1)
        return (weights * modalities).sum(dim=1)

    def encode(self, columns, tabular=None):
        """The fused vector each document's output is read from, ``(batch, fused_size)``."""
        if self.branch is None:
            return self._text_vectors(columns)
        return self._fuse(*self._inputs(columns, tabular))

    def forward(self, columns, tabular=None):
        if self.branch is None:
            return self.output(self.dropout(self._text_vectors(columns)))
        t, h = self._inputs(columns, tabular)
        wide = self.wide(tabular.to(h.dtype))
        out = self.output(self.dropout(self._fuse(t, h))) + wide
        if not self.training:  # blended with the columns alone, as modality dropout trains
            alone = self.output(self._fuse(torch.zeros_like(t), h)) + wide
            weight = self.text_weight.to(out.dtype)
            out = weight * out + (1 - weight) * alone
        return out

    # ------------------------------------------------------------------ the text module's
    def sparse_parameters(self):
        """The text module's sparse-gradient parameters (see ``CatchUpAdam``)."""
        declared = getattr(self.text, "sparse_parameters", None)
        return list(declared()) if declared is not None else []

    def rows_read(self, columns, tabular=None):
        """``(parameter, row ids)`` the batch reads, over all its text columns."""
        read = getattr(self.text, "rows_read", None)
        if read is None:
            return []
        found = {}
        for column in columns:
            pairs = read(**column) if isinstance(column, dict) else read(column)
            for param, rows in pairs:
                found.setdefault(id(param), (param, []))[1].append(rows)
        return [(param, torch.unique(torch.cat(rows))) for param, rows in found.values()]

    def apply_max_norm(self, max_norm):
        """Rescale each output's weight vector to L2 norm at most ``max_norm`` (Kim)."""
        with torch.no_grad():
            w = self.output.weight  # (n_outputs, fused_size)
            w.copy_(torch.renorm(w, p=2, dim=0, maxnorm=max_norm))

    def fusion_parameters(self):
        """The parameters of the layers around the text module (branch, fusion, output)."""
        return [p for name, p in self.named_parameters() if not name.startswith("text.")]

    def no_decay_parameters(self):
        """The text module's and the fusion layers' biases and normalization weights."""
        own = getattr(self.text, "no_decay_parameters", None)
        params = list(own()) if own is not None else []
        seen = {id(p) for p in params}
        for name, param in self.named_parameters():
            if not name.startswith("text.") and name.endswith("bias") and id(param) not in seen:
                params.append(param)
        return params
