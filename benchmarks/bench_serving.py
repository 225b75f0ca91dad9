"""Serving figures: safe model files vs pickle, and torch vs scikit-learn/ONNX inference.

On Rotten Tomatoes (10,246 training / 2,562 test snippets, ``sktext.datasets``), three
fitted models:

  mlp    TF-IDF (uni+bigrams, min_df=2) -> sktext.MLPClassifier(256 hidden, 5 epochs)
  cnn    sktext.TextCNNClassifier (defaults, 3 epochs)
  lstm   sktext.LSTMClassifier (defaults, 2 epochs)
  transformer  sktext.TransformerClassifier(model=all-MiniLM-L6-v2), defaults (2 epochs,
               about 4 min on 2 cores; not in the default --models)

Table 1, files: size and load time of ``sktext.save`` (safetensors + JSON; with and
without the optimizer state) against ``pickle`` and ``joblib``; load times are the median
of ``--repeats`` loads, formats alternating.

Table 2, inference on the test set (``--repeats`` rounds, engines alternating, median):
snippets/s of the sktext estimator (torch) against the scikit-learn copy
(``to_sklearn``, mlp) and onnxruntime (``to_onnx``, i.e. skl2onnx, for mlp; ``export_onnx`` +
``OnnxTextClassifier`` for cnn/lstm; for the transformer, the float graph and its int8
quantization, ``export_onnx(..., quantize="int8")``), the largest |difference| of
predict_proba, the test accuracy of each engine and the size of the ONNX file.

Usage (alone on the machine)::

    flock /tmp/bench.lock python benchmarks/bench_serving.py
    python benchmarks/bench_serving.py --models mlp --repeats 3   # quick
    flock /tmp/sktext-bench.lock python benchmarks/bench_serving.py --models transformer \
        --repeats 3
"""

import argparse
import os
import pickle
import statistics
import tempfile
import time
import warnings

import joblib
import numpy as np
from _tables import print_table  # benchmarks/_tables.py (run as scripts)
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.pipeline import make_pipeline

import sktext
from sktext.datasets import get_model_path, load_rotten_tomatoes


def make_model(name, transformer_epochs=None):
    if name == "mlp":
        return make_pipeline(
            # no sublinear_tf: skl2onnx does not reproduce it (sktext.to_onnx refuses it)
            TfidfVectorizer(ngram_range=(1, 2), min_df=2, dtype=np.float32),
            sktext.MLPClassifier(hidden_layer_sizes=(256,), max_iter=5, random_state=0),
        )
    if name == "cnn":
        return sktext.TextCNNClassifier(max_iter=3, random_state=0)
    if name == "lstm":
        return sktext.LSTMClassifier(max_iter=2, random_state=0)
    if name == "transformer":
        minilm = get_model_path("all-MiniLM-L6-v2")
        model = sktext.TransformerClassifier(model=minilm, random_state=0)
        if transformer_epochs is not None:  # a quick run; the figures use the defaults
            model.set_params(max_iter=transformer_epochs)
        return model
    raise ValueError(name)


def median_time(fn, repeats):
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def file_rows(name, model, folder, repeats):
    paths = {
        "sktext.save": os.path.join(folder, f"{name}.sktext"),
        "sktext.save +optimizer": os.path.join(folder, f"{name}-opt.sktext"),
        "pickle": os.path.join(folder, f"{name}.pkl"),
        "joblib": os.path.join(folder, f"{name}.joblib"),
    }
    sktext.save(model, paths["sktext.save"])
    sktext.save(model, paths["sktext.save +optimizer"], optimizer_state=True)
    with open(paths["pickle"], "wb") as f:
        pickle.dump(model, f)
    joblib.dump(model, paths["joblib"])

    def load_pickle():
        with open(paths["pickle"], "rb") as f:
            return pickle.load(f)

    loaders = {
        "sktext.save": lambda: sktext.load(paths["sktext.save"]),
        "sktext.save +optimizer": lambda: sktext.load(paths["sktext.save +optimizer"]),
        "pickle": load_pickle,
        "joblib": lambda: joblib.load(paths["joblib"]),
    }
    times = {fmt: [] for fmt in loaders}
    for _ in range(repeats):  # formats alternate within each round
        for fmt, load in loaders.items():
            start = time.perf_counter()
            load()
            times[fmt].append(time.perf_counter() - start)
    pickle_size = os.path.getsize(paths["pickle"])
    pickle_time = statistics.median(times["pickle"])
    rows = []
    for fmt in loaders:
        size = os.path.getsize(paths[fmt])
        load_time = statistics.median(times[fmt])
        rows.append(
            [
                name,
                fmt,
                f"{size / 1e6:.2f}",
                f"{size / pickle_size:.2f}",
                f"{load_time * 1e3:.1f}",
                f"{load_time / pickle_time:.2f}",
            ]
        )
    return rows


def inference_engines(name, model, folder):
    """(engine name, predict_proba callable, file size or None) triples; the first is the
    sktext estimator."""
    engines = [("sktext (torch)", model.predict_proba, None)]
    if name == "mlp":
        import onnxruntime as ort

        sk = sktext.to_sklearn(model)
        engines.append(("scikit-learn copy", sk.predict_proba, None))
        onx = sktext.to_onnx(model)
        session = ort.InferenceSession(onx.SerializeToString(), providers=["CPUExecutionProvider"])

        def onnx_proba(X):
            return session.run(["probabilities"], {"X": np.asarray(X, dtype=object)})[0]

        engines.append(("onnxruntime (skl2onnx)", onnx_proba, len(onx.SerializeToString())))
    elif name == "transformer":
        for quantize in (None, "int8"):
            path, *_ = sktext.export_onnx(
                model, os.path.join(folder, f"{name}-{quantize}.onnx"), quantize=quantize
            )
            served = sktext.OnnxTextClassifier(path)
            engine = f"onnxruntime ({quantize or 'float'})"
            engines.append((engine, served.predict_proba, os.path.getsize(path)))
    else:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            path, _ = sktext.export_onnx(model, os.path.join(folder, f"{name}.onnx"))
        served = sktext.OnnxTextClassifier(path)
        engines.append(("onnxruntime (export_onnx)", served.predict_proba, os.path.getsize(path)))
    return engines


def inference_rows(name, model, folder, X_test, y_test, repeats):
    engines = inference_engines(name, model, folder)
    times = {engine: [] for engine, _, _ in engines}
    outputs = {}  # each engine's probabilities (of its last round)
    for _ in range(repeats):
        for engine, proba, _ in engines:
            start = time.perf_counter()
            outputs[engine] = proba(X_test)
            times[engine].append(time.perf_counter() - start)
    base = statistics.median(times[engines[0][0]])
    reference = np.asarray(outputs[engines[0][0]], dtype=np.float64)
    classes = model.classes_
    rows = []
    for engine, _, size in engines:
        t = statistics.median(times[engine])
        probabilities = np.asarray(outputs[engine], dtype=np.float64)
        diff = np.abs(probabilities - reference).max()
        accuracy = np.mean(classes[probabilities.argmax(axis=1)] == np.asarray(y_test))
        rows.append(
            [
                name,
                engine,
                f"{len(X_test) / t:,.0f}",
                f"{base / t:.2f}",
                f"{accuracy:.3f}",
                f"{diff:.1e}",
                "-" if size is None else f"{size / 1e6:.1f}",
            ]
        )
    return rows


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--models", nargs="+", default=["mlp", "cnn", "lstm"])
    parser.add_argument("--repeats", type=int, default=7)
    parser.add_argument(
        "--transformer-epochs",
        type=int,
        default=None,
        help="epochs of the transformer (default: the estimator's, 2; fewer for a quick run)",
    )
    parser.add_argument(
        "--transformer-from",
        default=None,
        help="an sktext.save file of the transformer fitted as make_model('transformer') "
        "fits it (on the training set), to skip its fit on a busy machine",
    )
    args = parser.parse_args()

    train, test = load_rotten_tomatoes(subset="train"), load_rotten_tomatoes(subset="test")
    file_table, inference_table, fits = [], [], []
    with tempfile.TemporaryDirectory() as folder:
        for name in args.models:
            start = time.perf_counter()
            if name == "transformer" and args.transformer_from:
                model = sktext.load(args.transformer_from)
                fit_time = "loaded"
            else:
                model = make_model(name, args.transformer_epochs)
                with warnings.catch_warnings():
                    warnings.simplefilter("ignore")
                    model.fit(train.data, train.target)
                fit_time = f"{time.perf_counter() - start:.0f}"
            fits.append([name, fit_time, f"{model.score(test.data, test.target):.3f}"])
            file_table += file_rows(name, model, folder, args.repeats)
            inference_table += inference_rows(
                name, model, folder, test.data, test.target, args.repeats
            )
    print(f"Rotten Tomatoes: {len(train.data)} training / {len(test.data)} test snippets")
    print_table("Fitted models", ["model", "fit s", "test accuracy"], fits)
    print_table(
        f"Model files (load time: median of {args.repeats})",
        ["model", "format", "MB", "x pickle", "load ms", "x pickle"],
        file_table,
    )
    print_table(
        f"Inference on the test set (median of {args.repeats})",
        ["model", "engine", "snippets/s", "x sktext", "accuracy", "max |d proba|", "ONNX MB"],
        inference_table,
    )


if __name__ == "__main__":
    main()
