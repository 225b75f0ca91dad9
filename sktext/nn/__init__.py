"""Plain PyTorch modules and optimizers behind sktext's estimators (no scikit-learn here)."""

from ._fusion import FusionModule
from ._glove import CooccurrenceBatches, GloVe, glove_loss, glove_weighting, train_glove
from ._mlp import MLP, SparseInputLinear
from ._optim import CatchUpAdam
from ._rnn import TextRNN
from ._textcnn import TextCNN
from ._transformer import TextTransformer, pool_hidden_states

__all__ = [
    "MLP",
    "SparseInputLinear",
    "CatchUpAdam",
    "CooccurrenceBatches",
    "FusionModule",
    "GloVe",
    "TextCNN",
    "TextRNN",
    "TextTransformer",
    "glove_loss",
    "glove_weighting",
    "pool_hidden_states",
    "train_glove",
]
