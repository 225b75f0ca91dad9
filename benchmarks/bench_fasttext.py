"""FastTextTransformer.fit against gensim's FastText called directly, on the same tokens.

Both fit gensim's ``FastText`` with identical parameters and seed on the same corpus,
tokenized once beforehand with scikit-learn's default analyzer (as the transformer
tokenizes): ``FastText(sentences=tokens, ...)`` against
``FastTextTransformer(...).fit(tokens)``. The runs alternate A/B (the order flips every
repetition so slow drifts of the machine hit both alike); the table shows the best and
median times and their ratios (goal: at most 1.05). Also printed: the
transform throughput on the test documents, with and without the subword lookup of
unseen words, and the share of test tokens outside the training vocabulary.

Run it alone on the machine (other work skews the timings)::

    flock /tmp/bench.lock python benchmarks/bench_fasttext.py

``--dataset rotten_tomatoes`` (12k snippets) makes a quick run; the default is the
training set of 20 Newsgroups (2.8M tokens).
"""

import argparse
import gc
import os
import statistics
import time
import warnings

import numpy as np
from _tables import print_table  # benchmarks/_tables.py (run as scripts)
from gensim.models import FastText

from sktext import FastTextTransformer
from sktext.datasets import load_newsgroups, load_rotten_tomatoes
from sktext.embeddings import EmptyDocumentWarning
from sktext.preprocessing import make_analyzer
from sktext.utils import seed_from_random_state

RANDOM_STATE = 0
LOADERS = {"newsgroups": load_newsgroups, "rotten_tomatoes": load_rotten_tomatoes}


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--dataset", choices=sorted(LOADERS), default="newsgroups")
    parser.add_argument("--epochs", type=int, default=5)
    parser.add_argument("--vector-size", type=int, default=100)
    parser.add_argument("--min-count", type=int, default=5)
    parser.add_argument("--bucket", type=int, default=200_000)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--repeat", type=int, default=3, help="fit runs of each contender")
    return parser.parse_args()


def timed(function, *args):
    gc.collect()
    start = time.perf_counter()
    result = function(*args)
    return result, time.perf_counter() - start


def settings(args):
    return {
        "vector_size": args.vector_size,
        "min_count": args.min_count,
        "epochs": args.epochs,
        "bucket": args.bucket,
        "workers": args.workers,
    }


def fit_gensim(docs, args):
    """gensim called directly on the tokenized corpus: what a user writes without sktext."""
    return FastText(sentences=docs, seed=seed_from_random_state(RANDOM_STATE), **settings(args)).wv


def fit_transformer(docs, args):
    return FastTextTransformer(random_state=RANDOM_STATE, **settings(args)).fit(docs).wv_


GENSIM = "gensim FastText(sentences=tokens)"
TRANSFORMER = "FastTextTransformer.fit(tokens)"
CONTENDERS = [(GENSIM, fit_gensim), (TRANSFORMER, fit_transformer)]


def main():
    args = parse_args()
    load = LOADERS[args.dataset]
    analyzer = make_analyzer()
    train_texts, _ = load(subset="train", return_X_y=True)
    test_texts, _ = load(subset="test", return_X_y=True)
    docs = [analyzer(text) for text in train_texts]
    test_docs = [analyzer(text) for text in test_texts]
    n_tokens = sum(map(len, docs))
    print(f"load average before: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    print(
        f"{args.dataset} train: {len(docs)} documents, {n_tokens} tokens; vector_size="
        f"{args.vector_size}, min_count={args.min_count}, epochs={args.epochs}, "
        f"bucket={args.bucket}, workers={args.workers}, best of {args.repeat}"
    )

    times = {name: [] for name, _ in CONTENDERS}
    fitted = {}
    for run in range(args.repeat):
        order = CONTENDERS if run % 2 == 0 else CONTENDERS[::-1]  # A/B, then B/A
        for name, function in order:
            fitted[name], seconds = timed(function, docs, args)
            times[name].append(seconds)
            print(f"  run {run + 1}: {name} {seconds:.2f} s", flush=True)
    gensim_best, gensim_median = min(times[GENSIM]), statistics.median(times[GENSIM])
    rows = []
    for name, _ in CONTENDERS:
        values = times[name]
        best, median = min(values), statistics.median(values)
        rows.append(
            [
                name,
                len(values),
                f"{best:.2f}",
                f"{median:.2f}",
                f"{best / gensim_best:.3f}",
                f"{median / gensim_median:.3f}",
            ]
        )
    columns = ["contender", "runs", "best", "median", "ratio of best", "ratio of medians"]
    print_table("fit (seconds)", columns, rows)
    same = np.array_equal(fitted[GENSIM].vectors, fitted[TRANSFORMER].vectors)
    # gensim drops the tokens of a sentence after its 10,000th; sktext splits such
    # documents into pieces instead, so the two train on the same tokens only without them
    long_docs = [len(doc) for doc in docs if len(doc) > 10_000]
    print(
        f"identical vectors: {same} (expected only with workers=1 and no document above "
        f"gensim's 10,000-token limit; here {len(long_docs)} such documents, whose "
        f"{sum(long_docs) - 10_000 * len(long_docs)} tokens beyond it gensim drops and "
        "FastTextTransformer trains on)"
    )

    # transform throughput on the test documents: subword lookup of unseen words vs. none
    transformer = FastTextTransformer(random_state=RANDOM_STATE, **settings(args)).fit(docs)
    vocabulary = transformer.wv_.key_to_index
    n_test = sum(map(len, test_docs))
    unseen = sum(token not in vocabulary for doc in test_docs for token in doc)
    rows = []
    for label, subwords in [("with subwords", True), ("vocabulary only", False)]:
        if not subwords:  # as Word2VecTransformer: unseen words are ignored
            transformer._unknown_word_vectors = lambda words: (None, None)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", EmptyDocumentWarning)
            best = min(timed(transformer.transform, test_docs)[1] for _ in range(3))
        rows.append([label, f"{len(test_docs) / best:,.0f}", f"{best:.2f}"])
    print_table(
        f"transform of {len(test_docs)} test documents ({unseen / n_test:.1%} of the "
        f"{n_test} tokens outside the vocabulary)",
        ["lookup", "documents/s", "seconds"],
        rows,
    )
    print(f"\nload average after: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")


if __name__ == "__main__":
    main()
