"""
============================================
LSTM or GRU, and four ways to pool the steps
============================================

:class:`sktext.LSTMClassifier` runs a (bidirectional) LSTM or GRU over the words of each
document and pools its step outputs into one vector: the final states (``"last"``), the
element-wise ``"max"`` or ``"mean"`` over the real steps, or additive ``"attention"``.
This example compares the four poolings with a bidirectional GRU, and the LSTM cell with
the best of them, on Rotten Tomatoes, three epochs each.

Three epochs, a hidden size of 64 and 6,000 training snippets keep it short; the
comparison on the whole data set with the defaults is in :doc:`/lstm`.
"""

import time

import matplotlib.pyplot as plt
import numpy as np

from sktext import LSTMClassifier
from sktext.datasets import load_rotten_tomatoes

X_train, y_train = load_rotten_tomatoes(subset="train", return_X_y=True)
X_test, y_test = load_rotten_tomatoes(subset="test", return_X_y=True)
X_train, y_train = X_train[:6000], y_train[:6000]


def fit_and_score(**params):
    clf = LSTMClassifier(hidden_size=64, max_iter=3, random_state=0, **params)
    start = time.perf_counter()
    clf.fit(X_train, y_train)
    return clf.score(X_test, y_test), time.perf_counter() - start


# %%
# The poolings, with a bidirectional GRU
# --------------------------------------
results = {}
for pooling in ["last", "mean", "max", "attention"]:
    results[f"GRU {pooling}"] = fit_and_score(cell="gru", pooling=pooling)
    print(
        f"GRU, {pooling:>9} pooling: "
        + "test accuracy {:.3f}, fit {:.0f} s".format(*results[f"GRU {pooling}"])
    )

# %%
# The LSTM cell with the best pooling
# -----------------------------------
best = max((name for name in results), key=lambda name: results[name][0]).split()[1]
results[f"LSTM {best}"] = fit_and_score(cell="lstm", pooling=best)
print(
    f"LSTM, {best} pooling: "
    + "test accuracy {:.3f}, fit {:.0f} s".format(*results[f"LSTM {best}"])
)

# %%
# Accuracy and fit time
# ---------------------
names = list(results)
accuracy = np.array([results[n][0] for n in names])
seconds = np.array([results[n][1] for n in names])
colours = ["tab:green"] * 4 + ["tab:orange"]
fig, (acc_ax, time_ax) = plt.subplots(1, 2, figsize=(10, 3.8), layout="constrained")
bars = acc_ax.barh(names, accuracy, color=colours)
acc_ax.bar_label(bars, fmt="%.3f", padding=3, fontsize=9)
acc_ax.set_xlim(0.5, max(0.85, accuracy.max() + 0.03))
acc_ax.invert_yaxis()
acc_ax.set_xlabel("test accuracy")
acc_ax.set_title("Rotten Tomatoes, 3 epochs")
bars = time_ax.barh(names, seconds, color=colours)
time_ax.bar_label(bars, fmt="%.0f s", padding=3, fontsize=9)
time_ax.invert_yaxis()
time_ax.set_xlabel("fit time (s)")
time_ax.set_title("Fit time on this build's machine")
