"""
=================================================
Word2vec on news text: neighbours and a t-SNE map
=================================================

Train :class:`sktext.Word2VecTransformer` on a share of the embedding corpus (20
Newsgroups posts and news articles, :func:`sktext.datasets.load_embedding_corpus`), look
up the nearest words of a few queries, score the vectors on Google's analogies and
WordSim-353 (:func:`sktext.embeddings.evaluate_embeddings`) and draw a t-SNE map of five
topical word groups with :func:`sktext.plotting.plot_embeddings`.

Two epochs over the corpus's 7M words keep this example fast; more epochs give better
vectors (see :doc:`/embeddings`).
"""

import time

import matplotlib.pyplot as plt

from sktext import Word2VecTransformer
from sktext.datasets import load_embedding_corpus
from sktext.embeddings import evaluate_embeddings
from sktext.plotting import plot_embeddings

# %%
# Learn the vectors
# -----------------
# The transformer tokenizes with scikit-learn's analyzer (lowercase words of two letters
# or more) and trains gensim's Word2Vec (CBOW, negative sampling). Two workers make
# it faster; ``workers=1`` with ``random_state`` makes the run exactly reproducible.
texts = load_embedding_corpus()  # 22,609 documents
start = time.perf_counter()
w2v = Word2VecTransformer(vector_size=100, epochs=2, workers=2, random_state=0).fit(texts)
wv = w2v.wv_
print(
    f"{len(wv):,} words learned from {len(texts):,} documents "
    f"({w2v.corpus_total_words_:,} words) in {time.perf_counter() - start:.0f} s"
)

# %%
# Nearest words
# -------------
for word in ["windows", "hockey", "shuttle", "doctor", "bible", "guns"]:
    neighbours = ", ".join(w for w, _ in wv.most_similar(word, topn=6))
    print(f"{word:>8}: {neighbours}")

scores = evaluate_embeddings(wv)
print(
    f"analogies: {scores['analogy_accuracy']:.1%} right on the "
    f"{scores['analogy_coverage']:.0%} of Google's questions in the vocabulary"
)
print(f"WordSim-353 Spearman {scores['wordsim353_spearman']:.2f}")

# %%
# A map of topical words
# ----------------------
# t-SNE runs on the unit-normalised vectors (cosine geometry). Words of one topic land
# together; labels are placed so that none hides another.
groups = {
    "computers": ["windows", "dos", "software", "disk", "card", "monitor", "unix", "graphics"],
    "sport": ["hockey", "baseball", "team", "season", "players", "league", "game", "coach"],
    "space": ["shuttle", "orbit", "nasa", "moon", "launch", "satellite", "mission", "earth"],
    "religion": ["god", "bible", "church", "faith", "jesus", "christian", "religion", "belief"],
    "politics": ["government", "president", "congress", "law", "rights", "policy", "state"],
}
fig, ax = plt.subplots(figsize=(8, 6), layout="constrained")
plot_embeddings(wv, groups, method="tsne", random_state=0, ax=ax)
