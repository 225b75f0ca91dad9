"""Data-parallel training: epoch time, scaling efficiency and accuracy against one process.

For each model and each number of processes ``k`` (``--processes``), the model is fitted
on the Rotten Tomatoes training split (``sktext.datasets``) with ``data_parallel=k``
(``k = 1``: an ordinary one-process fit) and scored on the test split. The same global
batch size is used throughout, so every ``k`` takes the same number of steps per epoch.

Columns: processes (and threads per process on CPUs), median epoch seconds (skorch's
per-epoch ``dur``: the workers' start-up is not in it, it is in the fit seconds), speed-up
over the first row, scaling efficiency (speed-up / (k / k of the first row)), fit
seconds (wall, start-up included), epochs run, test accuracy.

On CPUs (this project's machines, 2 cores)::

    flock /tmp/sktext-bench.lock python benchmarks/bench_data_parallel.py \\
        --models cnn mlp --processes 1 2

compares one process of 2 threads with 2 processes of 1 thread each (the threads are
split: ``--threads`` is the total). On a machine with GPUs, as is::

    python benchmarks/bench_data_parallel.py --device cuda --models transformer cnn \\
        --processes 1 2 4 8

(one process per GPU: ``k`` must not exceed ``torch.cuda.device_count()``).
"""

import argparse
import statistics
import time
import warnings

import numpy as np
import torch
from _tables import print_table  # benchmarks/_tables.py (run as scripts)
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.pipeline import make_pipeline

import sktext
from sktext.datasets import get_model_path, load_rotten_tomatoes


def make_model(name, device, k, seed):
    common = dict(device=device, data_parallel=k, random_state=seed)
    if name == "cnn":
        return sktext.TextCNNClassifier(**common)
    if name == "bigru":
        return sktext.LSTMClassifier(cell="gru", bidirectional=True, **common)
    if name == "transformer":
        return sktext.TransformerClassifier(model=get_model_path("all-MiniLM-L6-v2"), **common)
    if name == "mlp":
        return make_pipeline(
            TfidfVectorizer(sublinear_tf=True, min_df=2, dtype=np.float32),
            sktext.MLPClassifier(hidden_layer_sizes=(256,), max_iter=8, batch_size=128, **common),
        )
    raise ValueError(name)


def network(model):
    return model[-1] if hasattr(model, "steps") else model


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--models", nargs="+", default=["cnn", "mlp"])
    parser.add_argument("--processes", nargs="+", type=int, default=[1, 2])
    parser.add_argument("--device", default="cpu")
    parser.add_argument("--threads", type=int, default=torch.get_num_threads())
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    warnings.filterwarnings("ignore")
    X_train, y_train = load_rotten_tomatoes(subset="train", return_X_y=True)
    X_test, y_test = load_rotten_tomatoes(subset="test", return_X_y=True)
    cpu = torch.device(args.device).type == "cpu"
    for name in args.models:
        rows, first = [], None
        for k in args.processes:
            # workers split the threads of the calling process between them
            torch.set_num_threads(args.threads)
            model = make_model(name, args.device, k, args.seed)
            start = time.perf_counter()
            model.fit(X_train, y_train)
            fit_s = time.perf_counter() - start
            epochs = network(model).net_.history[:, "dur"]
            epoch_s = statistics.median(epochs)
            accuracy = float(np.mean(model.predict(X_test) == y_test))
            first = first or (k, epoch_s)
            speedup = first[1] / epoch_s
            layout = f"{k} x {max(1, args.threads // k)} threads" if cpu else f"{k} GPU(s)"
            rows.append(
                [
                    layout,
                    f"{epoch_s:.1f}",
                    f"{speedup:.2f}x",
                    f"{speedup / (k / first[0]):.0%}",
                    f"{fit_s:.0f}",
                    len(epochs),
                    f"{accuracy:.4f}",
                ]
            )
        print_table(
            f"{name} on Rotten Tomatoes ({len(X_train)} train / {len(X_test)} test), "
            f"device={args.device}",
            ["processes", "epoch s", "speed-up", "efficiency", "fit s", "epochs", "accuracy"],
            rows,
        )


if __name__ == "__main__":
    main()
