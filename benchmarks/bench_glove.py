"""GloVeTransformer against the reference C implementation of GloVe (Stanford's tools).

The reference figures were measured on this machine kind (2 cores) by running the C tools
(``vocab_count``, ``cooccur``, ``shuffle``, ``glove``; 2 threads) on the same corpus with
the same settings; they are constants here (the C tools are not installed). This script
fits :class:`sktext.GloVeTransformer` on the ~7M-word corpus of
:func:`sktext.datasets.load_embedding_corpus` (20 Newsgroups train+test and the news
articles), tokenized as the reference run was (lowercased ``[a-z0-9]+`` tokens), with
``vector_size=100, window=10, min_count=5, x_max=10, epochs=15``, and prints:

* the wall time of counting (vocabulary + co-occurrence matrix, then dealing the entries
  into batches) and of training, taken from the transformer's own log records of one fit;
* analogy accuracy (Google's questions-words, words restricted to the 30,000 most frequent)
  and WordSim-353 Spearman correlation;

each against the reference, with ratios. Run it alone on the machine (other work skews
the timings)::

    flock /tmp/sktext-bench.lock python benchmarks/bench_glove.py

``--max-docs``, ``--epochs`` and ``--batch-size`` make quicker or alternative runs.
"""

import argparse
import logging
import os
import re
import resource
import time
import warnings

import numpy as np
from _tables import print_table  # benchmarks/_tables.py (run as scripts)

from sktext import GloVeTransformer
from sktext.datasets import load_embedding_corpus
from sktext.embeddings import EmptyDocumentWarning, evaluate_embeddings
from sktext.preprocessing import make_analyzer

RANDOM_STATE = 0
TOKEN_PATTERN = r"[a-z0-9]+"

# Stanford GloVe's C tools on this corpus and these settings, 2 threads (issue 6)
REFERENCE = {
    "words": 41_515,
    "nonzeros": 20_400_000,
    "count_s": 13.0,
    "train_s": 319.0,
    "analogy": 0.109,
    "ws353": 0.324,
}


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--max-docs", type=int, default=None, help="random subset of the corpus")
    parser.add_argument("--epochs", type=int, default=15)
    parser.add_argument("--batch-size", type=int, default=None, help="default: the estimator's")
    parser.add_argument("--vector-size", type=int, default=100)
    parser.add_argument("--window", type=int, default=10)
    parser.add_argument("--min-count", type=int, default=5)
    parser.add_argument("--x-max", type=float, default=10.0)
    return parser.parse_args()


class _PhaseTimes(logging.Handler):
    """Collects the durations GloVeTransformer logs (counting, batching, each epoch)."""

    def __init__(self):
        super().__init__(level=logging.DEBUG)
        self.counting = self.batching = 0.0
        self.epochs = []

    def emit(self, record):
        message = record.getMessage()
        seconds = float(re.search(r"([\d.]+) s$", message).group(1))
        if message.startswith("counted"):
            self.counting = seconds
        elif message.startswith("dealt"):
            self.batching = seconds
        elif message.startswith("epoch"):
            self.epochs.append(seconds)


def load_average():
    return "/".join(f"{value:.2f}" for value in os.getloadavg())


def main():
    args = parse_args()
    warnings.simplefilter("ignore", EmptyDocumentWarning)
    print(f"load average (1/5/15 min) before: {load_average()}; torch threads: ", end="")
    import torch

    print(torch.get_num_threads())

    texts = load_embedding_corpus()
    if args.max_docs is not None and args.max_docs < len(texts):
        rng = np.random.default_rng(RANDOM_STATE)
        keep = np.sort(rng.choice(len(texts), size=args.max_docs, replace=False))
        texts = [texts[i] for i in keep]
    analyzer = make_analyzer(token_pattern=TOKEN_PATTERN)
    start = time.perf_counter()
    docs = [analyzer(text) for text in texts]
    tokenize_s = time.perf_counter() - start
    n_tokens = sum(map(len, docs))

    params = dict(
        vector_size=args.vector_size,
        window=args.window,
        min_count=args.min_count,
        x_max=args.x_max,
        epochs=args.epochs,
        random_state=RANDOM_STATE,
    )
    if args.batch_size is not None:
        params["batch_size"] = args.batch_size
    glove = GloVeTransformer(**params)
    print(
        f"corpus: {len(docs):,} documents, {n_tokens:,} tokens (tokenized in "
        f"{tokenize_s:.1f} s); {glove!r}"
    )

    phases = _PhaseTimes()
    logger = logging.getLogger("sktext.embeddings._glove")
    logger.addHandler(phases)
    logger.setLevel(logging.DEBUG)
    start = time.perf_counter()
    glove.fit(docs)
    fit_s = time.perf_counter() - start
    logger.removeHandler(phases)
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024

    scores = evaluate_embeddings(glove.wv_, restrict_vocab=30_000)
    count_s = phases.counting + phases.batching
    train_s = sum(phases.epochs)
    per_epoch = train_s / len(phases.epochs)

    def ratio(ours, reference):
        return f"{ours / reference:.2f}"

    rows = [
        ["vocabulary (words)", f"{REFERENCE['words']:,}", f"{len(glove.wv_):,}", ""],
        [
            "non-zero co-occurrences",
            f"{REFERENCE['nonzeros'] / 1e6:.1f}M",
            f"{glove.n_cooccurrences_ / 1e6:.1f}M",
            "",
        ],
        [
            "counting s (ours: matrix + batches)",
            f"{REFERENCE['count_s']:.0f}",
            f"{count_s:.1f} ({phases.counting:.1f} + {phases.batching:.1f})",
            ratio(count_s, REFERENCE["count_s"]),
        ],
        [
            f"training s ({args.epochs} epochs)",
            f"{REFERENCE['train_s']:.0f}",
            f"{train_s:.1f}",
            ratio(train_s, REFERENCE["train_s"] * args.epochs / 15),
        ],
        [
            "s per epoch",
            f"{REFERENCE['train_s'] / 15:.1f}",
            f"{per_epoch:.2f}",
            ratio(per_epoch, REFERENCE["train_s"] / 15),
        ],
        [
            "total s (counting + training)",
            f"{REFERENCE['count_s'] + REFERENCE['train_s']:.0f}",  # ratio: same epochs
            f"{count_s + train_s:.1f}",
            ratio(
                count_s + train_s,
                REFERENCE["count_s"] + REFERENCE["train_s"] * args.epochs / 15,
            ),
        ],
        ["GloVeTransformer.fit wall s", "", f"{fit_s:.1f}", ""],
        ["  + tokenizing the raw text", "", f"{fit_s + tokenize_s:.1f}", ""],
        [
            "analogy accuracy (top 30k words)",
            f"{REFERENCE['analogy']:.3f}",
            f"{scores['analogy_accuracy']:.4f}",
            f"{scores['analogy_accuracy'] / REFERENCE['analogy']:.3f}",
        ],
        [
            "  semantic / syntactic",
            "",
            (
                f"{scores['analogy_semantic_accuracy']:.3f} / "
                f"{scores['analogy_syntactic_accuracy']:.3f}"
            ),
            "",
        ],  # fmt: skip
        ["  questions answered", "", f"{scores['analogy_coverage']:.1%}", ""],
        [
            "WordSim-353 Spearman",
            f"{REFERENCE['ws353']:.3f}",
            f"{scores['wordsim353_spearman']:.4f}",
            f"{scores['wordsim353_spearman'] / REFERENCE['ws353']:.3f}",
        ],
        ["SimLex-999 Spearman", "", f"{scores['simlex999_spearman']:.3f}", ""],
        ["peak memory (max RSS) MB", "", f"{peak_mb:,.0f}", ""],
    ]
    print_table(
        f"GloVe, {len(docs):,} docs, {n_tokens / 1e6:.2f}M tokens, "
        f"batch_size={glove.batch_size}; loss {glove.loss_curve_[0]:.4f} -> "
        f"{glove.loss_curve_[-1]:.4f}",
        ["", "C reference (2 threads)", "sktext", "sktext / C"],
        rows,
    )
    print(f"\nload average (1/5/15 min) after: {load_average()}")


if __name__ == "__main__":
    main()
