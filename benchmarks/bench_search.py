"""The same Optuna search with and without pruning, on a real data set.

Rotten Tomatoes (``sktext.datasets``): TF-IDF (uni+bigrams, min_df=2) fitted on the
training snippets, then ``sktext.make_optuna_search`` over ``sktext.MLPClassifier``
(learning rate, L2, hidden units, dropout) with ``--trials`` trials of ``--epochs`` epochs
on ``--cv`` folds, one epoch per ``partial_fit`` step. The budget (trials, epochs, folds,
sampler seed) is the same for every pruner; ``none`` trains every trial to the end.

Columns: trials completed/pruned, fold-epochs actually trained, wall time of the search
(refit excluded), best mean validation accuracy, and the test accuracy of the best
parameters refitted on the whole training set.

Usage (alone on the machine)::

    flock /tmp/bench.lock python benchmarks/bench_search.py
    python benchmarks/bench_search.py --trials 8 --epochs 4 --pruners none median  # quick
"""

import argparse
import time
import warnings

import numpy as np
import optuna
from _tables import print_table  # benchmarks/_tables.py (run as scripts)
from optuna.distributions import CategoricalDistribution, FloatDistribution
from optuna.trial import TrialState
from sklearn.base import clone
from sklearn.feature_extraction.text import TfidfVectorizer

import sktext
from sktext.datasets import load_rotten_tomatoes

SPACE = {
    "learning_rate_init": FloatDistribution(1e-5, 1e-1, log=True),
    "alpha": FloatDistribution(1e-6, 1e-1, log=True),
    "hidden_layer_sizes": CategoricalDistribution([32, 128]),
    "dropout": FloatDistribution(0.0, 0.6),
}


def run(pruner, X, y, X_test, y_test, args):
    search = sktext.make_optuna_search(
        sktext.MLPClassifier(batch_size=64, random_state=0),
        SPACE,
        n_epochs=args.epochs,
        n_trials=args.trials,
        cv=args.cv,
        pruner=pruner,
        random_state=args.seed,
        refit=False,
    )
    start = time.perf_counter()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        search.fit(X, y)
    wall = time.perf_counter() - start
    trials = search.study_.trials
    pruned = sum(t.state == TrialState.PRUNED for t in trials)
    complete = sum(t.state == TrialState.COMPLETE for t in trials)
    fold_epochs = sum(len(t.intermediate_values) for t in trials) * args.cv
    best = search.study_.best_trial
    refit = clone(search.estimator).set_params(**best.params)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        refit.fit(X, y)
    return [
        pruner,
        f"{complete}/{pruned}",
        fold_epochs,
        f"{wall:.0f}",
        f"{best.value:.4f}",
        f"{refit.score(X_test, y_test):.4f}",
        _short(best.params),
    ]


def _short(params):
    return ", ".join(
        f"{k.replace('learning_rate_init', 'lr').replace('hidden_layer_sizes', 'hidden')}="
        + (f"{v:.2g}" if isinstance(v, float) else str(v))
        for k, v in params.items()
    )


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--trials", type=int, default=16)
    parser.add_argument("--epochs", type=int, default=8)
    parser.add_argument("--cv", type=int, default=3)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--pruners", nargs="+", default=["none", "median", "hyperband"])
    args = parser.parse_args()
    optuna.logging.set_verbosity(optuna.logging.WARNING)
    warnings.filterwarnings("ignore", category=optuna.exceptions.ExperimentalWarning)

    train, test = load_rotten_tomatoes(subset="train"), load_rotten_tomatoes(subset="test")
    vectorizer = TfidfVectorizer(ngram_range=(1, 2), min_df=2, dtype=np.float32)
    X = vectorizer.fit_transform(train.data)
    X_test = vectorizer.transform(test.data)
    print(
        f"Rotten Tomatoes: {X.shape[0]} training / {X_test.shape[0]} test snippets, "
        f"{X.shape[1]} TF-IDF features; {args.trials} trials x {args.epochs} epochs x "
        f"{args.cv} folds, TPE seed {args.seed}"
    )
    rows = [run(p, X, train.target, X_test, test.target, args) for p in args.pruners]
    print_table(
        "Optuna search over sktext.MLPClassifier, with and without pruning",
        [
            "pruner",
            "complete/pruned",
            "fold-epochs",
            "wall s",
            "best CV acc",
            "test acc (refit)",
            "best params",
        ],
        rows,
    )


if __name__ == "__main__":
    main()
