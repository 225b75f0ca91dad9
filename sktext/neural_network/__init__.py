"""Neural-network classifiers with scikit-learn's interface, trained through skorch."""

from ._mlp import MLPClassifier

__all__ = ["MLPClassifier"]
