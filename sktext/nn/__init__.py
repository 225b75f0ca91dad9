"""Plain PyTorch modules and optimizers behind sktext's estimators (no scikit-learn here)."""

from ._mlp import MLP, SparseInputLinear
from ._optim import CatchUpAdam
from ._textcnn import TextCNN

__all__ = ["MLP", "SparseInputLinear", "CatchUpAdam", "TextCNN"]
