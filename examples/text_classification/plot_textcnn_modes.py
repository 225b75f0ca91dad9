"""
======================================================
TextCNN on Rotten Tomatoes: Kim's four embedding modes
======================================================

:class:`sktext.TextCNNClassifier` is the convolutional network of Kim (2014) on raw
text. Its word vectors start at random (CNN-rand) or from pretrained vectors, which stay
frozen (``"static"``), are fine-tuned (``"non-static"``) or both, as two channels
(``"multichannel"``). Here the pretrained vectors are word2vec vectors learned by
:class:`sktext.Word2VecTransformer` on the training snippets themselves (no outside
text), and each variant trains for at most 4 epochs with early stopping on a 10%
validation split; the learning curves come from :func:`sktext.plotting.plot_learning_curve`.

Vectors learned from 10,000 snippets (about 200,000 words) are poor: frozen, they hold
the CNN back, fine-tuned they end up level with random vectors. Vectors learned from
millions of words of unlabelled text help, which the full comparison (more epochs, three
seeds, vectors from 7M words) in :doc:`/text_classifiers` shows.
"""

import time

import matplotlib.pyplot as plt

from sktext import TextCNNClassifier, Word2VecTransformer
from sktext.datasets import load_rotten_tomatoes
from sktext.plotting import plot_learning_curve

X_train, y_train = load_rotten_tomatoes(subset="train", return_X_y=True)
X_test, y_test = load_rotten_tomatoes(subset="test", return_X_y=True)
w2v = Word2VecTransformer(vector_size=100, min_count=2, epochs=10, workers=2, random_state=0)
w2v.fit(X_train)
print(f"{len(X_train):,} training snippets; word2vec vectors for {len(w2v.wv_):,} words")

# %%
# Four variants
# -------------
variants = {
    "rand": dict(embeddings=None),
    "static": dict(embeddings=w2v, embedding_mode="static"),
    "non-static": dict(embeddings=w2v, embedding_mode="non-static"),
    "multichannel": dict(embeddings=w2v, embedding_mode="multichannel"),
}
models, scores = {}, {}
for name, params in variants.items():
    start = time.perf_counter()
    clf = TextCNNClassifier(max_iter=4, random_state=0, **params).fit(X_train, y_train)
    models[name], scores[name] = clf, clf.score(X_test, y_test)
    print(
        f"{name:>12}: {clf.n_iter_} epochs in {time.perf_counter() - start:.0f} s, "
        f"test accuracy {scores[name]:.3f}"
    )

# %%
# Learning curves and test accuracy
# ---------------------------------
# Training loss, validation loss and validation accuracy per epoch of each variant;
# the last panel compares the test accuracies.
fig, axes = plt.subplot_mosaic(
    [["rand", "static", "test"], ["non-static", "multichannel", "test"]],
    figsize=(13, 7.5),
    layout="constrained",
)
for name, clf in models.items():
    plot_learning_curve(clf, ax=axes[name])
    axes[name].title.set_text(f"CNN-{name}")  # keeps the title's room above the legend
bars = axes["test"].bar(list(scores), list(scores.values()), color="tab:blue")
axes["test"].bar_label(bars, fmt="%.3f", fontsize=9)
axes["test"].set_ylim(0.5, 0.8)
axes["test"].set_ylabel("test accuracy")
axes["test"].tick_params(axis="x", rotation=30)
axes["test"].set_title("Test accuracy (2,562 snippets)")
