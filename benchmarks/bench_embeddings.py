"""Word-embedding transformers against the peers a user would otherwise call directly.

Measured side by side in this process, on the same tokenized corpus (the ~7M-word corpus
of ``sktext.datasets.load_embedding_corpus``: 20 Newsgroups train+test and the news
articles, tokenized once with scikit-learn's default analyzer, as the transformers do):

* fit: ``Word2VecTransformer.fit`` against gensim's ``Word2Vec(sentences=...)`` with the
  same settings and seed; the runs alternate and are repeated (best and median shown);
* transform: documents/s of ``Word2VecTransformer.transform`` against a per-document loop
  over ``KeyedVectors.get_mean_vector`` on the same vectors (and a check that both give
  the same mean vectors), on pre-tokenized documents and on raw text;
* quality: Google analogy accuracy and WordSim-353 / SimLex-999 Spearman of the vectors
  each fit learned.

Run it alone on the machine (other work skews the timings)::

    flock /tmp/sktext-bench.lock python benchmarks/bench_embeddings.py

``--max-docs`` and ``--epochs`` make a quick smaller run. GloVe rows are added by
appending entries to ``FIT_CONTENDERS`` (see the comment there).
"""

import argparse
import copy
import gc
import logging
import os
import statistics
import time
import warnings

import numpy as np
from _tables import print_table  # benchmarks/_tables.py (run as scripts)
from gensim.models import Word2Vec

from sktext import Word2VecTransformer
from sktext.datasets import load_embedding_corpus
from sktext.embeddings import EmptyDocumentWarning, evaluate_embeddings
from sktext.preprocessing import make_analyzer
from sktext.utils import seed_from_random_state

RANDOM_STATE = 0


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--max-docs", type=int, default=None, help="random subset of the corpus")
    parser.add_argument("--epochs", type=int, default=5)
    parser.add_argument("--vector-size", type=int, default=100)
    parser.add_argument("--window", type=int, default=5)
    parser.add_argument("--min-count", type=int, default=5)
    parser.add_argument("--sg", type=int, default=0, choices=(0, 1))
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--repeat", type=int, default=3, help="fit runs of each contender")
    parser.add_argument(
        "--skip-extra-fits",
        action="store_true",
        help="only the gensim and Word2VecTransformer(tokens) fits (no idf/sif/raw-text fits)",
    )
    return parser.parse_args()


def timed(function, *args, **kwargs):
    gc.collect()
    start = time.perf_counter()
    result = function(*args, **kwargs)
    return result, time.perf_counter() - start


# ------------------------------------------------------------------------------- fitting
def word2vec_settings(args):
    return {
        "vector_size": args.vector_size,
        "window": args.window,
        "min_count": args.min_count,
        "sg": args.sg,
        "epochs": args.epochs,
        "workers": args.workers,
    }


def fit_gensim(docs, texts, args):
    """gensim called directly on the tokenized corpus: what a user writes without sktext."""
    model = Word2Vec(
        sentences=docs, seed=seed_from_random_state(RANDOM_STATE), **word2vec_settings(args)
    )
    return model.wv


def fit_gensim_raw(docs, texts, args):
    """The same from raw text: tokenize with the same analyzer, then gensim."""
    analyzer = make_analyzer()
    return fit_gensim([analyzer(text) for text in texts], texts, args)


def fit_transformer(pooling="mean", raw=False):
    def fit(docs, texts, args):
        return Word2VecTransformer(
            random_state=RANDOM_STATE, pooling=pooling, **word2vec_settings(args)
        ).fit(texts if raw else docs)

    return fit


GENSIM = "gensim Word2Vec(sentences=tokens)"
GENSIM_RAW = "tokenize + gensim Word2Vec"
TRANSFORMER = "Word2VecTransformer.fit(tokens)"

# (name, function(docs, texts, args) -> fitted object, peer name or None, extra?): the
# extra contenders are skipped with --skip-extra-fits.
# Every contender runs once per repetition, in a rotating order, so slow drifts of the
# machine hit all of them alike. The GloVe issue adds its rows here, e.g.
# ("GloVeTransformer.fit(tokens)", fit_glove, "<its peer>", False) with the peer as a
# contender of its own.
FIT_CONTENDERS = [
    (GENSIM, fit_gensim, None, False),
    (TRANSFORMER, fit_transformer(), GENSIM, False),
    ("Word2VecTransformer.fit(tokens) pooling='idf'", fit_transformer("idf"), GENSIM, True),
    ("Word2VecTransformer.fit(tokens) pooling='sif'", fit_transformer("sif"), GENSIM, True),
    (GENSIM_RAW, fit_gensim_raw, None, True),
    ("Word2VecTransformer.fit(raw text)", fit_transformer(raw=True), GENSIM_RAW, True),
]


def wv_of(fitted):
    return getattr(fitted, "wv_", fitted)


def run_fits(docs, texts, args):
    """Run the contenders ``args.repeat`` times; return times and last fitted objects."""
    contenders = [c for c in FIT_CONTENDERS if not (c[3] and args.skip_extra_fits)]
    times = {name: [] for name, *_ in contenders}
    fitted = {}
    for run in range(args.repeat):
        shift = run % len(contenders)
        for name, function, *_ in contenders[shift:] + contenders[:shift]:
            fitted[name], seconds = timed(function, docs, texts, args)
            times[name].append(seconds)
            logging.info("run %d: %s %.2f s", run + 1, name, seconds)
    return contenders, times, fitted


def fit_rows(contenders, times):
    rows = []
    for name, _, peer, _ in contenders:
        values = times[name]
        row = [name, len(values), f"{min(values):.2f}", f"{statistics.median(values):.2f}"]
        if peer is None:
            row += ["1", "1"]
        else:
            paired = [ours / theirs for ours, theirs in zip(values, times[peer], strict=True)]
            row += [f"{min(values) / min(times[peer]):.3f}", f"{statistics.median(paired):.3f}"]
        rows.append(row)
    return rows


# ----------------------------------------------------------------------------- transform
def mean_vector_loop(wv, docs):
    """The per-document loop a user writes with gensim alone."""
    zeros = np.zeros(wv.vector_size, dtype=wv.vectors.dtype)
    return np.vstack(
        [wv.get_mean_vector(doc, pre_normalize=False) if doc else zeros for doc in docs]
    )


def numpy_loop(wv, docs, pooling):
    """A faster hand-written loop: one numpy gather and reduction per document."""
    index, vectors = wv.key_to_index, wv.vectors
    reduce = np.mean if pooling == "mean" else np.max
    zeros = np.zeros(wv.vector_size, dtype=vectors.dtype)
    out = []
    for doc in docs:
        ids = [index[token] for token in doc if token in index]
        out.append(reduce(vectors[ids], axis=0) if ids else zeros)
    return np.vstack(out)


def throughput(function, *args, repeat=5):
    best = min(timed(function, *args)[1] for _ in range(repeat))
    return best


def main():
    args = parse_args()
    logging.basicConfig(level=logging.WARNING, format="%(message)s")
    warnings.simplefilter("ignore", EmptyDocumentWarning)

    texts = load_embedding_corpus()
    if args.max_docs is not None and args.max_docs < len(texts):
        rng = np.random.default_rng(RANDOM_STATE)
        keep = np.sort(rng.choice(len(texts), size=args.max_docs, replace=False))
        texts = [texts[i] for i in keep]
    analyzer = make_analyzer()  # the transformer's default tokenization
    docs, tokenize_seconds = timed(lambda: [analyzer(text) for text in texts])
    n_tokens = sum(map(len, docs))
    print(f"load average before: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    print(
        f"corpus: {len(docs):,} documents, {n_tokens:,} tokens (tokenized once in "
        f"{tokenize_seconds:.1f} s); word2vec settings: {word2vec_settings(args)}, "
        f"seed from random_state={RANDOM_STATE}"
    )

    # --- fit -------------------------------------------------------------------------
    contenders, times, fitted = run_fits(docs, texts, args)
    print_table(
        f"Fit ({len(docs):,} docs, {n_tokens / 1e6:.2f}M tokens, {args.epochs} epochs, "
        f"{args.workers} workers; ratios against the peer named in the text)",
        ["contender", "runs", "best s", "median s", "best/peer best", "median paired ratio"],
        fit_rows(contenders, times),
    )
    print(
        "peers: Word2VecTransformer.fit(tokens ...) vs gensim Word2Vec(sentences=tokens); "
        "Word2VecTransformer.fit(raw text) vs tokenize + gensim Word2Vec; a paired ratio "
        "divides each run by the peer's run of the same repetition"
    )

    # --- transform -------------------------------------------------------------------
    transformer = fitted[TRANSFORMER]
    wv = transformer.wv_
    max_pooler = copy.copy(transformer).set_params(pooling="max")  # max needs no statistics
    checks = {
        "mean": float(np.max(np.abs(transformer.transform(docs) - mean_vector_loop(wv, docs)))),
        "max": float(np.max(np.abs(max_pooler.transform(docs) - numpy_loop(wv, docs, "max")))),
    }
    reference = throughput(mean_vector_loop, wv, docs)
    peers = {pooling: throughput(numpy_loop, wv, docs, pooling) for pooling in ("mean", "max")}

    def row(name, seconds, peer=None):
        return [
            name,
            f"{len(docs) / seconds:,.0f}",
            f"{reference / seconds:.1f}",
            "-" if peer is None else f"{peer / seconds:.1f}",
        ]

    rows = [
        row("get_mean_vector loop (tokens)", reference),
        row("numpy per-document loop, mean (tokens)", peers["mean"]),
        row("numpy per-document loop, max (tokens)", peers["max"]),
    ]
    candidates = [("mean", transformer), ("max", max_pooler)]
    candidates += [
        (pooling, fitted[f"Word2VecTransformer.fit(tokens) pooling={pooling!r}"])
        for pooling in ("idf", "sif")
        if not args.skip_extra_fits
    ]
    for pooling, model in candidates:
        seconds = throughput(model.transform, docs)
        name = f"Word2VecTransformer.transform pooling={pooling!r} (tokens)"
        rows.append(row(name, seconds, peers.get(pooling)))
    print_table(
        f"Transform, pre-tokenized input ({len(docs):,} docs, best of 5 runs; equal to the "
        "loops' vectors "
        f"within {checks['mean']:.1e} (mean) and {checks['max']:.1e} (max))",
        ["method", "docs/s", "vs get_mean_vector loop", "vs numpy loop, same pooling"],
        rows,
    )

    loop_raw = throughput(
        lambda: mean_vector_loop(wv, [analyzer(text) for text in texts]), repeat=3
    )
    ours_raw = throughput(transformer.transform, texts)
    print_table(
        "Transform, raw text (both tokenize with scikit-learn's analyzer; best of 3 and 5 runs)",
        ["method", "docs/s", "vs loop"],
        [
            ["tokenize + get_mean_vector loop", f"{len(docs) / loop_raw:,.0f}", "1.0"],
            [
                "Word2VecTransformer.transform pooling='mean'",
                f"{len(docs) / ours_raw:,.0f}",
                f"{loop_raw / ours_raw:.1f}",
            ],
        ],
    )

    # --- quality ---------------------------------------------------------------------
    rows = []
    for name in (GENSIM, TRANSFORMER):
        scores = evaluate_embeddings(wv_of(fitted[name]))
        rows.append(
            [
                name,
                f"{scores['analogy_accuracy']:.3f}",
                f"{scores['analogy_semantic_accuracy']:.3f}",
                f"{scores['analogy_syntactic_accuracy']:.3f}",
                f"{scores['analogy_coverage']:.2f}",
                f"{scores['wordsim353_spearman']:.3f}",
                f"{scores['simlex999_spearman']:.3f}",
            ]
        )
    print_table(
        "Quality of the vectors of the last fit of each contender",
        [
            "vectors",
            "analogy acc",
            "semantic",
            "syntactic",
            "coverage",
            "WS-353 rho",
            "SimLex rho",
        ],
        rows,
    )
    print(f"\nload average after: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")


if __name__ == "__main__":
    main()
