"""Neural-network classifiers with scikit-learn's interface, trained through skorch."""

from ._lstm import LSTMClassifier
from ._mlp import MLPClassifier
from ._textcnn import TextCNNClassifier
from ._transformer import TransformerClassifier

__all__ = [
    "LSTMClassifier",
    "MLPClassifier",
    "TextCNNClassifier",
    "TransformerClassifier",
]
