"""Plain PyTorch modules and optimizers behind sktext's estimators (no scikit-learn here)."""

from ._mlp import MLP, SparseInputLinear
from ._optim import CatchUpAdam

__all__ = ["MLP", "SparseInputLinear", "CatchUpAdam"]
