"""
=======================================================
Word2vec embeddings of news text: neighbours, map, bias
=======================================================

Train :class:`sktext.Word2VecTransformer` on the ~7M-word corpus of 20 Newsgroups posts
and news articles (:func:`sktext.datasets.load_embedding_corpus`), then look inside the
learned space: nearest words, an analogy, scores on the standard benchmarks, a t-SNE map
of a few topical word groups, a gender-bias check before and after hard debiasing, and
finally the pooled document vectors as features for :class:`sktext.MLPClassifier`, whose
learning curve is plotted.

Two PNG files are written: ``word2vec_tsne.png`` and ``word2vec_learning_curve.png``.
Takes about two minutes on two CPU cores; ``--max-docs 4000`` makes a quick run.
"""

import argparse
import logging
import time
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402

from sktext import MLPClassifier, Word2VecTransformer  # noqa: E402
from sktext.datasets import load_embedding_corpus, load_newsgroups  # noqa: E402
from sktext.embeddings import (  # noqa: E402
    bias_direction,
    bias_projection,
    debias,
    evaluate_embeddings,
)
from sktext.plotting import plot_embeddings, plot_learning_curve  # noqa: E402

parser = argparse.ArgumentParser(description="Word2vec embeddings of news text.")
parser.add_argument("--max-docs", type=int, default=None, help="random subset of the corpus")
parser.add_argument("--output-dir", type=Path, default=Path("."))
args = parser.parse_args()
logging.basicConfig(level=logging.WARNING)

# %%
# Learn the embeddings
# --------------------
# The transformer tokenizes with scikit-learn's analyzer (lowercase words of two letters
# or more) and trains gensim's Word2Vec; ``random_state`` with ``workers=1`` would make
# the run exactly reproducible, two workers make it faster.
texts = load_embedding_corpus()
if args.max_docs is not None:
    rng = np.random.default_rng(0)
    texts = [texts[i] for i in rng.choice(len(texts), size=args.max_docs, replace=False)]
start = time.perf_counter()
w2v = Word2VecTransformer(vector_size=100, epochs=5, workers=2, random_state=0)
w2v.fit(texts)
wv = w2v.wv_
print(
    f"{len(wv):,} words learned from {len(texts):,} documents in "
    f"{time.perf_counter() - start:.0f} s"
)

# %%
# Nearest words and an analogy
# ----------------------------
for word in ["windows", "hockey", "shuttle", "doctor", "bible"]:
    if word in wv:
        neighbours = ", ".join(w for w, _ in wv.most_similar(word, topn=6))
        print(f"{word:>8}: {neighbours}")
if all(w in wv for w in ("king", "man", "woman")):
    answer = wv.most_similar(positive=["king", "woman"], negative=["man"], topn=3)
    print("king - man + woman ~", ", ".join(f"{w} ({s:.2f})" for w, s in answer))

scores = evaluate_embeddings(wv)
print(
    f"analogies: {scores['analogy_accuracy']:.1%} right on the "
    f"{scores['analogy_coverage']:.0%} of Google's questions in the vocabulary "
    f"(semantic {scores['analogy_semantic_accuracy']:.1%}, "
    f"syntactic {scores['analogy_syntactic_accuracy']:.1%}); "
    f"WordSim-353 Spearman {scores['wordsim353_spearman']:.2f}, "
    f"SimLex-999 {scores['simlex999_spearman']:.2f}"
)

# %%
# A t-SNE map of topical words
# ----------------------------
groups = {
    "computers": ["windows", "dos", "software", "disk", "card", "monitor", "unix", "graphics"],
    "sport": ["hockey", "baseball", "team", "season", "players", "league", "game", "coach"],
    "space": ["shuttle", "orbit", "nasa", "moon", "launch", "satellite", "mission", "earth"],
    "religion": ["god", "bible", "church", "faith", "jesus", "christian", "religion", "belief"],
    "politics": ["government", "president", "congress", "law", "rights", "policy", "state"],
}
fig, ax = plt.subplots(figsize=(8, 6))
plot_embeddings(wv, groups, method="tsne", random_state=0, ax=ax)
fig.tight_layout()
fig.savefig(args.output_dir / "word2vec_tsne.png", dpi=120)
print(f"saved {args.output_dir / 'word2vec_tsne.png'}")

# %%
# A gender-bias check, and hard debiasing
# ---------------------------------------
# The bias direction comes from definitional pairs (she/he, woman/man...). Occupations
# lean towards one end of it; after :func:`~sktext.embeddings.debias` their projection
# is zero, while the definitional words keep theirs.
direction = bias_direction(wv)
occupations = [w for w in ["nurse", "engineer", "doctor", "secretary", "programmer"] if w in wv]
before = bias_projection(wv, occupations, direction)
debiased = debias(wv)
after = bias_projection(debiased, occupations, direction)
for word, b, a in zip(occupations, before, after, strict=True):
    print(f"{word:>10}: projection on the she-he direction {b:+.3f} -> {a:+.3f}")

# %%
# Document vectors as features: the classifier's learning curve
# -------------------------------------------------------------
# The embedding corpus contains the 20 Newsgroups *test* posts, so only the train split
# is used here, with a validation share held out by ``early_stopping``.
X_train, y_train = load_newsgroups(subset="train", return_X_y=True)
features = w2v.transform(X_train)
clf = MLPClassifier(
    hidden_layer_sizes=(256,), early_stopping=True, max_iter=60, random_state=0
).fit(features, y_train)
print(f"best validation accuracy {clf.best_validation_score_:.3f} after {clf.n_iter_} epochs")
fig, ax = plt.subplots(figsize=(7, 4))
plot_learning_curve(clf, ax=ax)
fig.tight_layout()
fig.savefig(args.output_dir / "word2vec_learning_curve.png", dpi=120)
print(f"saved {args.output_dir / 'word2vec_learning_curve.png'}")
