"""
=========================================
Tuning a neural network with GridSearchCV
=========================================

sktext estimators take part in scikit-learn's model selection as they are: here
:class:`~sklearn.model_selection.GridSearchCV` tunes the L2 penalty ``alpha`` and the
``dropout`` of :class:`sktext.MLPClassifier` on TF-IDF features of the Rotten Tomatoes
snippets, with 3-fold cross-validation, and ``cv_results_`` becomes a
picture: the mean validation accuracy of every combination, and its spread over the folds.
"""

import time
import warnings

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from sklearn.exceptions import ConvergenceWarning
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.model_selection import GridSearchCV
from sklearn.pipeline import make_pipeline

from sktext import MLPClassifier
from sktext.datasets import load_rotten_tomatoes

warnings.filterwarnings("ignore", category=ConvergenceWarning)  # 3 epochs on purpose

X_train, y_train = load_rotten_tomatoes(subset="train", return_X_y=True)
X_test, y_test = load_rotten_tomatoes(subset="test", return_X_y=True)

pipe = make_pipeline(
    TfidfVectorizer(min_df=2, sublinear_tf=True),
    MLPClassifier(hidden_layer_sizes=(64,), max_iter=3, random_state=0),
)
grid = {
    "mlpclassifier__alpha": [1e-5, 1e-4, 1e-3, 1e-2],
    "mlpclassifier__dropout": [0.0, 0.5],
}
search = GridSearchCV(pipe, grid, cv=3)
start = time.perf_counter()
search.fit(X_train, y_train)
n_fits = len(search.cv_results_["params"]) * 3
print(f"{n_fits} fits and the refit took {time.perf_counter() - start:.0f} s")
print("best:", search.best_params_, f"cross-validated accuracy {search.best_score_:.3f}")
print(f"test accuracy of the refitted best pipeline: {search.score(X_test, y_test):.3f}")

# %%
# The results as a picture
# ------------------------
results = pd.DataFrame(search.cv_results_)
alphas = grid["mlpclassifier__alpha"]
dropouts = grid["mlpclassifier__dropout"]
mean = results.pivot(
    index="param_mlpclassifier__dropout",
    columns="param_mlpclassifier__alpha",
    values="mean_test_score",
).loc[dropouts, alphas]
std = results.pivot(
    index="param_mlpclassifier__dropout",
    columns="param_mlpclassifier__alpha",
    values="std_test_score",
).loc[dropouts, alphas]

fig, (heat_ax, line_ax) = plt.subplots(1, 2, figsize=(11, 4), layout="constrained")
image = heat_ax.imshow(mean.to_numpy(), cmap="viridis", aspect="auto")
middle = (mean.to_numpy().min() + mean.to_numpy().max()) / 2
for i in range(len(dropouts)):
    for j in range(len(alphas)):
        value = mean.iloc[i, j]
        colour = "black" if value > middle else "white"  # readable on yellow and on purple
        heat_ax.text(j, i, f"{value:.3f}", ha="center", va="center", color=colour)
heat_ax.set_xticks(range(len(alphas)), [f"{a:g}" for a in alphas])
heat_ax.set_yticks(range(len(dropouts)), [f"{d:g}" for d in dropouts])
heat_ax.set_xlabel("alpha (L2 penalty)")
heat_ax.set_ylabel("dropout")
heat_ax.set_title("Mean validation accuracy (3 folds)")
fig.colorbar(image, ax=heat_ax)

for dropout in dropouts:
    line_ax.errorbar(
        alphas,
        mean.loc[dropout],
        yerr=std.loc[dropout],
        marker="o",
        capsize=3,
        label=f"dropout {dropout:g}",
    )
line_ax.set_xscale("log")
line_ax.set_xlabel("alpha (L2 penalty)")
line_ax.set_ylabel("validation accuracy (mean ± std over folds)")
line_ax.set_title("Accuracy against alpha")
line_ax.legend()
best = np.unravel_index(np.argmax(mean.to_numpy()), mean.shape)
heat_ax.add_patch(
    plt.Rectangle((best[1] - 0.5, best[0] - 0.5), 1, 1, fill=False, edgecolor="red", lw=2)
)
