"""Neural-network classifiers and regressors with scikit-learn's interface (via skorch)."""

from ._custom import NeuralTextClassifier, NeuralTextRegressor
from ._distributed import DataParallelError
from ._lstm import LSTMClassifier, LSTMRegressor
from ._mlp import MLPClassifier, MLPRegressor
from ._textcnn import TextCNNClassifier, TextCNNRegressor
from ._transformer import TransformerClassifier, TransformerRegressor

__all__ = [
    "DataParallelError",
    "LSTMClassifier",
    "LSTMRegressor",
    "MLPClassifier",
    "MLPRegressor",
    "NeuralTextClassifier",
    "NeuralTextRegressor",
    "TextCNNClassifier",
    "TextCNNRegressor",
    "TransformerClassifier",
    "TransformerRegressor",
]
