"""
==========================================================================
Serving fast: a transformer distilled into a CNN, a GRU and a TF-IDF MLP
==========================================================================

A fine-tuned transformer is the most accurate sktext model on short texts, and the
slowest to serve. :class:`sktext.DistilledClassifier` trains a fast *student* on the
transformer's (the *teacher's*) class probabilities over a transfer set: the training
snippets and perturbed copies of them (words masked, n-grams cut out by
:class:`sktext.preprocessing.TextAugmenter`), which the teacher labels. The student then
predicts alone, at its own speed.

To keep this page quick to build, the teacher here is fine-tuned for one epoch on 2,000
Rotten Tomatoes snippets and the transfer set holds 3 copies per snippet. At this size
the teacher is weak and so is what it can teach: students distilled from their own
random start gain little, if anything, over their label-trained twins (the TF-IDF student
can even lose); those started from the teacher's word vectors gain more, while the speed
gap to the teacher is the full one. The full-size comparison (all 10,246 snippets, the
teacher at its defaults, 20 copies per snippet, a bidirectional GRU student starting
from the teacher's word vectors) is in :doc:`/serving`, measured with
``benchmarks/bench_distillation.py``.
"""

import time

import matplotlib.pyplot as plt
import numpy as np
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.frozen import FrozenEstimator
from sklearn.pipeline import make_pipeline

from sktext import (
    DistilledClassifier,
    LSTMClassifier,
    MLPClassifier,
    TextCNNClassifier,
    TransformerClassifier,
)
from sktext.datasets import get_model_path, load_rotten_tomatoes
from sktext.preprocessing import TextAugmenter

X_train, y_train = load_rotten_tomatoes(subset="train", return_X_y=True)
X_test, y_test = load_rotten_tomatoes(subset="test", return_X_y=True)
X_train, y_train = list(X_train[:2000]), y_train[:2000]
X_test, y_test = list(X_test[:1000]), y_test[:1000]

teacher = TransformerClassifier(
    model=get_model_path("all-MiniLM-L6-v2"), max_iter=1, random_state=0
)


def tfidf_mlp():
    return make_pipeline(
        TfidfVectorizer(ngram_range=(1, 2), sublinear_tf=True),
        MLPClassifier(hidden_layer_sizes=(256,), max_iter=8, random_state=0),
    )


# %%
# Students on the labels, and distilled
# -------------------------------------
# The distiller fits the teacher on 90% of the labelled snippets (the rest scores both
# models in ``teacher_score_``, ``student_score_`` and ``agreement_``), labels the
# transfer set with its probabilities softened at ``temperature=2``, and trains the
# student on them.
models = {
    "TextCNN (labels)": TextCNNClassifier(random_state=0),
    "BiGRU (labels)": LSTMClassifier(cell="gru", random_state=0),
    "TF-IDF + MLP (labels)": tfidf_mlp(),
}
for model in models.values():
    model.fit(X_train, y_train)

distilled = DistilledClassifier(
    teacher,
    TextCNNClassifier(random_state=0),
    augmenter=TextAugmenter(n_copies=3),
    random_state=0,
)
start = time.perf_counter()
distilled.fit(X_train, y_train)
print(
    f"teacher fitted and transfer set of {distilled.n_transfer_:,} snippets labelled and "
    f"learned in {time.perf_counter() - start:.0f} s; held out: teacher "
    f"{distilled.teacher_score_:.3f}, student {distilled.student_score_:.3f}, agreement "
    f"{distilled.agreement_:.3f}"
)
models["teacher (MiniLM)"] = distilled.teacher_
models["TextCNN (distilled)"] = distilled

# %%
# The teacher's words
# -------------------
# ``word_vectors="teacher"`` also starts the student's word vectors from the teacher:
# each word of the student's vocabulary is passed alone through the fine-tuned encoder
# (its ``transform``), so the CNN starts from what the fine-tuned encoder makes of each
# word instead of random vectors (MiniLM's 384 dimensions reduced by PCA to the CNN's
# ``embedding_dim`` of 128). The teacher is frozen here: it is not fitted again. The
# bidirectional GRU student (``LSTMClassifier(cell="gru")``; its default
# ``bidirectional=True``) learns the same way; at full size it is the most accurate student (see
# :doc:`/serving`).
for name, student in [
    ("TextCNN", TextCNNClassifier(random_state=0)),
    ("BiGRU", LSTMClassifier(cell="gru", random_state=0)),
]:
    models[f"{name} (distilled, teacher's words)"] = DistilledClassifier(
        FrozenEstimator(distilled.teacher_),
        student,
        augmenter=TextAugmenter(n_copies=3),
        word_vectors="teacher",
        random_state=0,
    ).fit(X_train, y_train)

# %%
# A TF-IDF student
# ----------------
# The same frozen teacher teaches a TF-IDF → MLP student, which ``sktext.to_sklearn``
# turns into scikit-learn's own pipeline (served without torch).
models["TF-IDF + MLP (distilled)"] = DistilledClassifier(
    FrozenEstimator(distilled.teacher_),
    tfidf_mlp(),
    augmenter=TextAugmenter(n_copies=3),
    random_state=0,
).fit(X_train, y_train)

# %%
# Accuracy against prediction speed
# ---------------------------------
rows = []
for name, model in models.items():
    start = time.perf_counter()
    accuracy = np.mean(model.predict(X_test) == y_test)
    speed = len(X_test) / (time.perf_counter() - start)
    rows.append((name, accuracy, speed))
    print(f"{name:>26}: accuracy {accuracy:.3f}, {speed:,.0f} snippets/s")

fig, ax = plt.subplots(figsize=(7, 4.5))
for name, accuracy, speed in rows:
    marker = "o" if "distilled" in name else ("*" if "teacher" in name else "s")
    ax.scatter(speed, accuracy, s=120 if marker == "*" else 60, marker=marker)
    ax.annotate(name, (speed, accuracy), textcoords="offset points", xytext=(6, 4))
ax.set_xscale("log")
ax.set_xlabel("snippets predicted per second (2 CPU cores, log scale)")
ax.set_ylabel("test accuracy")
ax.set_title("Rotten Tomatoes (2,000 training snippets): distilled students")
ax.margins(x=0.35, y=0.15)
plt.show()
