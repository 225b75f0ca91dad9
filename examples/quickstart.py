"""Quickstart: a neural text classifier inside an ordinary scikit-learn Pipeline.

Reuters R8 (8 topics, 5,485 training and 2,189 test news stories), TF-IDF features and
sktext's MLPClassifier (PyTorch underneath), tuned with GridSearchCV and saved with joblib.

Run with::

    python examples/quickstart.py
"""

import time
import warnings

import joblib
import numpy as np
from sklearn.exceptions import ConvergenceWarning
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.metrics import classification_report
from sklearn.model_selection import GridSearchCV
from sklearn.pipeline import make_pipeline

from sktext import MLPClassifier
from sktext.datasets import load_reuters

train = load_reuters(subset="train")
test = load_reuters(subset="test")
print(f"Reuters R8: {len(train.data)} training and {len(test.data)} test documents")

# 10 epochs are plenty on R8; don't warn that the training loss is still (slowly) falling
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
print(classification_report(test.target, pred, digits=3))

joblib.dump(search.best_estimator_, "r8_mlp.joblib")
restored = joblib.load("r8_mlp.joblib")
assert (restored.predict(test.data) == pred).all()
print("saved and reloaded r8_mlp.joblib: identical predictions")
