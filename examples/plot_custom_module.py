"""
Train your own torch module on raw text
=======================================

:class:`sktext.NeuralTextClassifier` trains any ``torch.nn.Module`` with sktext's
machinery: tokenization and vocabulary, length-bucketed batches, Adam, early stopping with
the best epoch restored, seeding, pickling and grid search. The module is given as a class
plus a dict of keyword arguments, so the estimator clones like any scikit-learn estimator.

Here a small "bag of embeddings with a hidden layer" module is trained on Rotten Tomatoes
snippets, its ``hidden`` size is grid-searched, and the validation accuracy of each epoch
is plotted.
"""

import matplotlib.pyplot as plt
import torch
from sklearn.model_selection import GridSearchCV

from sktext import NeuralTextClassifier
from sktext.datasets import load_rotten_tomatoes


class BagOfEmbeddings(torch.nn.Module):
    """Mean word vector -> hidden layer -> logits; ``encode`` enables ``transform``."""

    def __init__(self, vocab_size, n_outputs, padding_idx, embedding_dim=64, hidden=32):
        super().__init__()
        self.embedding = torch.nn.EmbeddingBag(
            vocab_size, embedding_dim, mode="mean", padding_idx=padding_idx
        )
        self.hidden = torch.nn.Sequential(torch.nn.Linear(embedding_dim, hidden), torch.nn.ReLU())
        self.output = torch.nn.Linear(hidden, n_outputs)

    def encode(self, ids, lengths):
        # ids: (batch, longest document of the batch), padded with padding_idx, which
        # EmbeddingBag leaves out of the mean; lengths: (batch,) token counts
        return self.hidden(self.embedding(ids))

    def forward(self, ids, lengths):
        return self.output(self.encode(ids, lengths))


X_train, y_train = load_rotten_tomatoes(subset="train", return_X_y=True)
X_test, y_test = load_rotten_tomatoes(subset="test", return_X_y=True)
X_train, y_train = X_train[:4000], y_train[:4000]  # a few seconds per fit on 2 cores

clf = NeuralTextClassifier(
    BagOfEmbeddings,
    {"hidden": 32},
    max_iter=15,
    n_iter_no_change=3,
    learning_rate_init=0.005,
    random_state=0,
)
search = GridSearchCV(clf, {"module_params": [{"hidden": 16}, {"hidden": 64}]}, cv=2)
search.fit(X_train, y_train)
best = search.best_estimator_
print("best module_params:", search.best_params_["module_params"])
print(f"test accuracy: {best.score(X_test, y_test):.3f}")
print("document vectors:", best.transform(X_test[:5]).shape)

fig, ax = plt.subplots(figsize=(6, 3.5), layout="constrained")
epochs = range(1, best.n_iter_ + 1)
ax.plot(epochs, best.validation_scores_, marker="o", label="validation accuracy")
ax.axvline(
    1 + best.validation_scores_.index(best.best_validation_score_),
    color="grey",
    linestyle="--",
    label="best epoch (restored)",
)
ax.set_xlabel("epoch")
ax.set_ylabel("accuracy")
ax.set_title("BagOfEmbeddings on Rotten Tomatoes (4,000 snippets)")
ax.legend(loc="lower right")
plt.show()
