"""How ``word_dropout`` was chosen: validation accuracy on Rotten Tomatoes *train* only.

The Rotten Tomatoes training split is cut 80/20 (stratified, ``random_state=1``); the test
split is never read. word2vec vectors (gensim, skip-gram, 100-d, 5 epochs) are learned on
unlabelled text: 20 Newsgroups train, NewsArticles, the inner training texts and the
corpus's plot synopses. Then ``LSTMClassifier`` and ``TextCNNClassifier`` (defaults, those
vectors, non-static) are fitted for every ``word_dropout`` and ``random_state`` 0..seeds-1
and scored on the held-out 20%; TF-IDF + LR on the same split is the reference.

    flock /tmp/sktext-bench.lock python benchmarks/validate_word_dropout.py
    python benchmarks/validate_word_dropout.py --values 0,0.05 --seeds 1 --quick
"""

import argparse
import statistics
import sys
import time
import warnings
from pathlib import Path

import torch
from sklearn.exceptions import ConvergenceWarning
from sklearn.model_selection import train_test_split

sys.path.insert(0, str(Path(__file__).parent))
from bench_text_classifiers import (  # noqa: E402
    print_table,
    rotten_tomatoes_plots,
    tfidf_lr,
    word2vec_vectors,
)

from sktext import LSTMClassifier, TextCNNClassifier  # noqa: E402
from sktext.datasets import load_news_articles, load_newsgroups, load_rotten_tomatoes  # noqa: E402

MODELS = {"BiLSTM w2v": LSTMClassifier, "TextCNN w2v": TextCNNClassifier}


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--values", default="0,0.05,0.1,0.2")
    parser.add_argument("--seeds", type=int, default=3)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--quick", action="store_true", help="small sizes, to try the script")
    args = parser.parse_args()
    torch.set_num_threads(args.threads)
    values = [float(v) for v in args.values.split(",")]

    X, y = load_rotten_tomatoes(subset="train", return_X_y=True)
    X_fit, X_val, y_fit, y_val = train_test_split(X, y, test_size=0.2, stratify=y, random_state=1)
    texts = load_newsgroups(subset="train", return_X_y=True)[0] + load_news_articles().data
    texts += list(X_fit) + rotten_tomatoes_plots()
    vector_args = argparse.Namespace(
        max_corpus=None, w2v_dim=100, w2v_epochs=5, threads=args.threads
    )
    if args.quick:
        X_fit, y_fit, X_val, y_val = X_fit[:800], y_fit[:800], X_val[:400], y_val[:400]
        texts, vector_args.w2v_epochs = list(X_fit), 1
    wv, seconds, words = word2vec_vectors(vector_args, texts)
    print(f"word2vec: {words:,} words in {seconds:.1f} s")
    reference = tfidf_lr().fit(X_fit, y_fit).score(X_val, y_val)

    rows = []
    for name, cls in MODELS.items():
        for value in values:
            scores = []
            for seed in range(args.seeds):
                start = time.perf_counter()
                clf = cls(embeddings=wv, word_dropout=value, random_state=seed)
                if args.quick:
                    clf.set_params(max_iter=2)
                with warnings.catch_warnings():
                    warnings.simplefilter("ignore", ConvergenceWarning)
                    clf.fit(X_fit, y_fit)
                scores.append(clf.score(X_val, y_val))
                print(
                    f"{name} word_dropout={value} random_state={seed}: {scores[-1]:.4f} "
                    f"({time.perf_counter() - start:.0f} s, {clf.n_iter_} epochs)",
                    flush=True,
                )
            rows.append(
                [
                    name,
                    value,
                    f"{statistics.mean(scores):.4f}",
                    " / ".join(f"{s:.4f}" for s in scores),
                    f"{statistics.mean(scores) - reference:+.4f}",
                ]
            )
    print_table(
        f"Validation accuracy (RT train, 80/20 split; TF-IDF + LR: {reference:.4f}); "
        f"mean over random_state 0..{args.seeds - 1}",
        ["model", "word_dropout", "mean", "per seed", "vs TF-IDF + LR"],
        rows,
    )


if __name__ == "__main__":
    main()
