"""
===========================================================
Quickstart: a neural text classifier in a scikit-learn grid
===========================================================

Reuters R8 (8 topics, 5,485 training and 2,189 test news stories), TF-IDF features and
:class:`sktext.MLPClassifier` (PyTorch underneath), tuned with
:class:`~sklearn.model_selection.GridSearchCV` and saved with joblib, as any scikit-learn
estimator would be.

Run with ``python examples/quickstart.py``.
"""

import tempfile
import time
import warnings
from pathlib import Path

import joblib
import matplotlib.pyplot as plt
import numpy as np
from sklearn.exceptions import ConvergenceWarning
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.metrics import ConfusionMatrixDisplay, classification_report
from sklearn.model_selection import GridSearchCV
from sklearn.pipeline import make_pipeline

from sktext import MLPClassifier
from sktext.datasets import load_reuters

train = load_reuters(subset="train")
test = load_reuters(subset="test")
print(f"Reuters R8: {len(train.data)} training and {len(test.data)} test documents")

# %%
# A pipeline and a grid search
# ----------------------------
# The network takes the sparse TF-IDF matrix as it is (it is never densified). Ten epochs
# are plenty on R8: silence the warning that the training loss is still slowly falling.
warnings.filterwarnings("ignore", category=ConvergenceWarning)

pipe = make_pipeline(
    TfidfVectorizer(sublinear_tf=True, min_df=2),
    MLPClassifier(hidden_layer_sizes=(256,), max_iter=10, random_state=0),
)
search = GridSearchCV(pipe, {"mlpclassifier__alpha": [1e-4, 1e-2]}, cv=3, n_jobs=2)
start = time.perf_counter()
search.fit(train.data, train.target)
print(f"grid search (6 fits + refit) took {time.perf_counter() - start:.1f} s")
print("best parameters:", search.best_params_)

pred = search.predict(test.data)
print(f"test accuracy: {np.mean(pred == test.target):.3f}")
print(classification_report(test.target, pred, target_names=train.target_names, digits=3))

# %%
# Where the errors are
# --------------------
# Rows are the true topics, columns the predicted ones, each row normalised to 1: the
# few errors mostly go to the two big topics (``earn``, ``acq``).
fig, ax = plt.subplots(figsize=(6.5, 5.5), layout="constrained")
ConfusionMatrixDisplay.from_predictions(
    test.target,
    pred,
    display_labels=train.target_names,
    normalize="true",
    values_format=".2f",
    xticks_rotation=45,
    cmap="Blues",
    colorbar=False,
    ax=ax,
)
ax.set_title("Reuters R8, test set: share of each true topic")
if "__file__" in globals() and "agg" in plt.get_backend().lower():
    # run as a script without a screen (the docs' gallery sets no __file__): to a file
    fig.savefig("r8_confusion_matrix.png", dpi=120)
    print("confusion matrix saved to r8_confusion_matrix.png")

# %%
# Save and reload
# ---------------
# The fitted pipeline pickles like any scikit-learn estimator (the torch weights travel
# inside) and predicts the same after loading.
# (in a temporary folder, removed afterwards)
with tempfile.TemporaryDirectory() as folder:
    path = Path(folder) / "r8_mlp.joblib"
    joblib.dump(search.best_estimator_, path)
    restored = joblib.load(path)
assert (restored.predict(test.data) == pred).all()
print(f"saved and reloaded {path.name}: identical predictions")

plt.show()
