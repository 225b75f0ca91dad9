"""
====================================================
MLPClassifier on TF-IDF: sktext against scikit-learn
====================================================

:class:`sktext.MLPClassifier` takes every parameter of
:class:`sklearn.neural_network.MLPClassifier`. On a sparse TF-IDF matrix it trains much
faster: each batch goes to PyTorch as a sparse tensor and the first layer reads and
updates only the weight rows of the words the batch contains, while
:class:`~sktext.nn.CatchUpAdam` keeps the updates those of dense Adam. Here both fit the
same network (one hidden layer of 256, batch 128, Adam, 5 epochs) on Reuters R8.

Fit times are those of this build, on whatever machine runs it; the benchmark script
``benchmarks/bench_mlp.py`` measures them on a quiet machine (:doc:`/benchmarks`).
"""

import time
import warnings

import matplotlib.pyplot as plt
from sklearn.exceptions import ConvergenceWarning
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.neural_network import MLPClassifier as SklearnMLPClassifier

from sktext import MLPClassifier
from sktext.datasets import load_reuters

warnings.filterwarnings("ignore", category=ConvergenceWarning)  # 5 epochs on purpose

X_train, y_train = load_reuters(subset="train", return_X_y=True)
X_test, y_test = load_reuters(subset="test", return_X_y=True)
tfidf = TfidfVectorizer(sublinear_tf=True, min_df=2)
X_train = tfidf.fit_transform(X_train)
X_test = tfidf.transform(X_test)
print(f"TF-IDF: {X_train.shape[0]} documents x {X_train.shape[1]:,} features (sparse)")

# %%
# The same network, twice
# -----------------------
params = dict(hidden_layer_sizes=(256,), batch_size=128, max_iter=5, random_state=0)
results = {}
for name, model in [
    ("scikit-learn", SklearnMLPClassifier(**params)),
    ("sktext", MLPClassifier(**params)),
]:
    start = time.perf_counter()
    model.fit(X_train, y_train)
    seconds = time.perf_counter() - start
    accuracy = model.score(X_test, y_test)
    results[name] = (seconds, accuracy, model.loss_curve_)
    print(f"{name:>12}: fit {seconds:5.1f} s, test accuracy {accuracy:.4f}")

# %%
# Fit time, accuracy and the training loss
# ----------------------------------------
# Same loss curve, same accuracy, a fraction of the time.
fig, (time_ax, acc_ax, loss_ax) = plt.subplots(1, 3, figsize=(11, 3.6), layout="constrained")
names = list(results)
colours = ["tab:gray", "tab:blue"]
seconds = [results[n][0] for n in names]
accuracies = [results[n][1] for n in names]
time_ax.bar(names, seconds, color=colours)
time_ax.bar_label(time_ax.containers[0], fmt="%.1f s")
time_ax.set_ylabel("fit time (s)")
time_ax.set_title(f"Fit time: {seconds[0] / seconds[1]:.1f}x faster")
acc_ax.bar(names, accuracies, color=colours)
acc_ax.bar_label(acc_ax.containers[0], fmt="%.3f")
acc_ax.set_ylim(0.9, 1.0)
acc_ax.set_ylabel("test accuracy")
acc_ax.set_title("Accuracy on Reuters R8")
for name, colour in zip(names, colours, strict=True):
    curve = results[name][2]
    loss_ax.plot(range(1, len(curve) + 1), curve, marker="o", color=colour, label=name)
loss_ax.set_xlabel("epoch")
loss_ax.set_ylabel("training loss")
loss_ax.set_yscale("log")
loss_ax.set_title("Training loss")
loss_ax.legend()
