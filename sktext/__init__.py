"""sktext: scikit-learn compatible deep-learning estimators for text.

Fit/predict/transform estimators wrapping PyTorch models (trained through skorch) and
gensim, made to sit inside scikit-learn ``Pipeline``, ``GridSearchCV`` and friends.
"""

from ._distillation import DistilledClassifier, DistilledRegressor
from ._export import (
    OnnxSentenceEncoder,
    OnnxTextClassifier,
    OnnxTextRegressor,
    export_onnx,
    to_onnx,
    to_sklearn,
)
from ._persistence import UnsafeModelError, load, save
from ._search import make_optuna_search
from ._version import __version__
from .embeddings import FastTextTransformer, GloVeTransformer, Word2VecTransformer
from .neural_network import (
    LSTMClassifier,
    LSTMRegressor,
    MLPClassifier,
    MLPRegressor,
    NeuralTextClassifier,
    NeuralTextRegressor,
    TextCNNClassifier,
    TextCNNRegressor,
    TransformerClassifier,
    TransformerRegressor,
)

__all__ = [
    "DistilledClassifier",
    "DistilledRegressor",
    "FastTextTransformer",
    "GloVeTransformer",
    "LSTMClassifier",
    "LSTMRegressor",
    "MLPClassifier",
    "MLPRegressor",
    "NeuralTextClassifier",
    "NeuralTextRegressor",
    "OnnxSentenceEncoder",
    "OnnxTextClassifier",
    "OnnxTextRegressor",
    "TextCNNClassifier",
    "TextCNNRegressor",
    "TransformerClassifier",
    "TransformerRegressor",
    "UnsafeModelError",
    "Word2VecTransformer",
    "__version__",
    "export_onnx",
    "load",
    "make_optuna_search",
    "save",
    "to_onnx",
    "to_sklearn",
]
