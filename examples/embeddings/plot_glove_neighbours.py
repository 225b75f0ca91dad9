"""
=======================================================
GloVe vectors: the training loss and nearest neighbours
=======================================================

Fit :class:`sktext.GloVeTransformer` (co-occurrence counts, weighted least squares,
AdaGrad, in PyTorch) on the news articles and a share of the 20 Newsgroups posts, plot
the loss per epoch (``loss_curve_``) and the cosine similarities between a few query
words and their nearest neighbours.

The settings follow the GloVe reference's demo (window 10, x_max 10) on a small corpus
with 50 dimensions and 10 epochs, so that the example runs in well under a minute; the
whole 7M-word corpus is in :doc:`/glove`.
"""

import time

import matplotlib.pyplot as plt
import numpy as np

from sktext import GloVeTransformer
from sktext.datasets import load_news_articles, load_newsgroups

texts = load_news_articles().data + load_newsgroups(subset="train").data[:3000]
glove = GloVeTransformer(
    vector_size=50,
    window=10,
    min_count=5,
    x_max=10.0,
    epochs=10,
    token_pattern=r"[a-z0-9]+",  # lowercased letters and digits, as the reference run
    random_state=0,
)
start = time.perf_counter()
glove.fit(texts)
print(
    f"{len(texts):,} documents, {len(glove.wv_):,} words, "
    f"{glove.n_cooccurrences_:,} non-zero co-occurrences, fitted in "
    f"{time.perf_counter() - start:.0f} s"
)

# %%
# Nearest neighbours
# ------------------
wv = glove.wv_
queries = ["monday", "president", "oil", "windows", "police", "january"]
neighbours = {q: wv.most_similar(q, topn=6) for q in queries}
for query, found in neighbours.items():
    print(f"{query:>10}: " + ", ".join(f"{w} {s:.2f}" for w, s in found))

# %%
# The loss, and the neighbours as a picture
# -----------------------------------------
# Left: the weighted least-squares loss per epoch. Right: one row per query, its six
# nearest words written in the cells, coloured by their cosine similarity.
fig, (loss_ax, sim_ax) = plt.subplots(
    1, 2, figsize=(10, 4.2), layout="constrained", width_ratios=[1, 2.2]
)
epochs = np.arange(1, len(glove.loss_curve_) + 1)
loss_ax.plot(epochs, glove.loss_curve_, marker="o")
loss_ax.set_xlabel("epoch")
loss_ax.set_ylabel("loss")
loss_ax.set_title("GloVe training loss")

similarities = np.array([[s for _, s in found] for found in neighbours.values()])
image = sim_ax.imshow(similarities, cmap="viridis", vmin=0, vmax=1, aspect="auto")
for i, found in enumerate(neighbours.values()):
    for j, (word, score) in enumerate(found):
        sim_ax.text(
            j,
            i,
            word,
            ha="center",
            va="center",
            fontsize=8,
            color="white" if score < 0.6 else "black",
        )
sim_ax.set_yticks(range(len(queries)), queries)
sim_ax.set_xticks(range(6), [f"#{k}" for k in range(1, 7)])
sim_ax.set_title("Nearest neighbours (colour: cosine similarity)")
fig.colorbar(image, ax=sim_ax, shrink=0.8)
