"""Distillation: a fine-tuned MiniLM teacher against fast students, on labels and distilled.

For each data set (Rotten Tomatoes, Reuters R8; ``sktext.datasets`` splits) the rows are

  teacher            TransformerClassifier(model=all-MiniLM-L6-v2), defaults
  <student> labels   the student fitted on the training labels
  <student> distilled DistilledClassifier(FrozenEstimator(teacher), <student>,
                     validation_fraction=None): T=2, 10 copies per text by TextAugmenter

with students ``cnn`` (TextCNNClassifier, defaults), ``bigru`` (LSTMClassifier(cell="gru",
bidirectional=True)) and ``mlp`` (TF-IDF -> sktext.MLPClassifier(256), 8 epochs, servable
by scikit-learn alone through ``to_sklearn``). Each student row is the mean over
``--seeds`` (the student's ``random_state``). The teacher is fitted once per data set on
all training texts and frozen; the transfer set is the same for every student and seed
(DistilledClassifier(random_state=0) with one joblib ``memory``: labelled once).

Columns: test accuracy (mean, and each seed), share of the teacher-vs-labels gap closed,
fit seconds (distilled: the student's training alone; the labelling of the transfer set
is reported once), predict throughput on the test set (median of ``--repeats``, models
alternating) and its ratio to the teacher's, and the ``sktext.save`` file size.

``--copies``, ``--ngram-prob`` and ``--mask-prob`` set the augmenter's copies per text and
its two perturbations, ``--temperature`` the distilled rows' temperature;
``--word-vectors teacher`` starts the distilled CNN/BiGRU from the teacher's vectors of their words
(``DistilledClassifier(word_vectors="teacher")``) and adds, for comparison, the same
student trained on the labels from the pretrained MiniLM's vectors of its words (each word
encoded alone by ``SentenceEncoder``: a start that owes nothing to the teacher); both are
reduced to the student's ``embedding_dim`` (128, or ``--embedding-dim`` for every CNN/BiGRU
row) by PCA, as ``word_vectors`` does. The
"gap closed" of a distilled row is measured from the best of that student's labels rows.

Usage (alone on the machine; about 25 min for rt, 70 min for r8)::

    flock /tmp/sktext-bench.lock python benchmarks/bench_distillation.py --datasets rt
    python benchmarks/bench_distillation.py --datasets rt --students cnn --seeds 0 \\
        --cache /tmp/distill-cache          # keeps the teacher between runs
    python benchmarks/bench_distillation.py --datasets rt --students bigru --copies 20 \\
        --word-vectors teacher --teacher-file minilm-rt.sktext --cache /tmp/distill-cache
        # the Rotten Tomatoes recipe (BiGRU student, 20 copies, the teacher's words)
    python benchmarks/bench_distillation.py --datasets r8 --students cnn --ngram-prob 0 \\
        --teacher-file minilm-r8.sktext --cache /tmp/distill-cache  # masked copies only
    python benchmarks/bench_distillation.py --datasets rt --teacher-file minilm-rt.sktext \\
        --students cnn bigru --speed-dims 128 256 --repeats 5  # throughput by width only
"""

import argparse
import os
import statistics
import tempfile
import time
import warnings

import numpy as np
import torch
from _tables import print_table  # benchmarks/_tables.py (run as scripts)
from joblib import Memory
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.frozen import FrozenEstimator
from sklearn.pipeline import make_pipeline

import sktext
from sktext.datasets import get_model_path, load_reuters, load_rotten_tomatoes
from sktext.preprocessing import TextAugmenter

DATASETS = {"rt": ("Rotten Tomatoes", load_rotten_tomatoes), "r8": ("Reuters R8", load_reuters)}
# the students that read word vectors (embedding_dim, word_vectors="teacher")
WORD_STUDENTS = ("cnn", "bigru")


def make_student(name, seed, embeddings=None, embedding_dim=128):
    if name == "cnn":
        return sktext.TextCNNClassifier(
            random_state=seed, embeddings=embeddings, embedding_dim=embedding_dim
        )
    if name == "bigru":
        return sktext.LSTMClassifier(
            cell="gru",
            bidirectional=True,
            random_state=seed,
            embeddings=embeddings,
            embedding_dim=embedding_dim,
        )
    if name == "mlp":
        return make_pipeline(
            TfidfVectorizer(ngram_range=(1, 2), min_df=2, sublinear_tf=True),
            sktext.MLPClassifier(hidden_layer_sizes=(256,), max_iter=8, random_state=seed),
        )
    raise ValueError(f"unknown student {name!r}")


def make_teacher():
    return sktext.TransformerClassifier(model=get_model_path("all-MiniLM-L6-v2"), random_state=0)


def minilm_word_vectors(student, X_train):
    """The pretrained (not fine-tuned) MiniLM's vectors of the student's training words.

    What ``word_vectors="teacher"`` does, with ``SentenceEncoder`` (mean pooling) as the
    "teacher": the labels baseline's best start that owes nothing to the fine-tuned
    teacher, to set beside the distilled student's start from the teacher's words.
    """
    from sktext._distillation import (
        _principal_word_vectors,
        _student_words,
        _teacher_word_vectors,
    )
    from sktext.embeddings import SentenceEncoder

    encoder = SentenceEncoder(model=get_model_path("all-MiniLM-L6-v2")).fit(["a"])
    keyed = _teacher_word_vectors(encoder, None, _student_words(student, X_train))
    return _principal_word_vectors(keyed, student.embedding_dim)


def throughput(models, X, repeats):
    """docs/s of each model's predict on X (median of ``repeats``, models alternating)."""
    times = {name: [] for name in models}
    for _ in range(repeats):
        for name, model in models.items():
            start = time.perf_counter()
            model.predict(X)
            times[name].append(time.perf_counter() - start)
    return {name: len(X) / statistics.median(t) for name, t in times.items()}


def file_mb(model, folder, name):
    path = os.path.join(folder, f"{name}.sktext")
    sktext.save(model, path)
    return os.path.getsize(path) / 1e6


def run(dataset, students, seeds, repeats, memory, folder, teacher_file, options):
    """One data set's table; ``options`` are the parsed command-line arguments."""
    dim = options.embedding_dim
    title, load = DATASETS[dataset]
    X_train, y_train = load(subset="train", return_X_y=True)
    X_test, y_test = load(subset="test", return_X_y=True)
    X_train, X_test = list(X_train), list(X_test)
    results = {}  # row name -> dict(acc=[...], fit=[...], model=...)

    def record(row, model, fit_s):
        entry = results.setdefault(row, {"acc": [], "fit": [], "model": model})
        entry["acc"].append(float(np.mean(model.predict(X_test) == y_test)))
        entry["fit"].append(fit_s)

    # the teacher is fitted once on all training texts and frozen: every student and seed
    # learns from the same teacher and the same transfer set, labelled once (memory)
    if teacher_file:
        teacher, teacher_s = sktext.load(teacher_file), float("nan")
    else:
        start = time.perf_counter()
        teacher = make_teacher().fit(X_train, y_train)
        teacher_s = time.perf_counter() - start
    record("teacher", teacher, teacher_s)
    # label the transfer set once (cached), timed through a student that costs nothing
    start = time.perf_counter()
    augmenter = TextAugmenter(
        n_copies=options.copies, ngram_prob=options.ngram_prob, mask_prob=options.mask_prob
    )
    warm = sktext.DistilledClassifier(
        FrozenEstimator(teacher),
        make_pipeline(TfidfVectorizer(), sktext.MLPClassifier(hidden_layer_sizes=(2,), max_iter=1)),
        augmenter=augmenter,
        validation_fraction=None,
        memory=memory,
        random_state=0,
    ).fit(X_train, y_train)
    label_s = time.perf_counter() - start
    transfer = (warm.n_transfer_, warm.n_augmented_)
    minilm = None
    for name in students:
        word_vectors = options.word_vectors if name in WORD_STUDENTS else None
        if word_vectors and minilm is None:
            minilm = minilm_word_vectors(make_student(name, 0, embedding_dim=dim), X_train)
        distilled = f"{name} distilled" + (", teacher's words" if word_vectors else "")
        for seed in seeds:
            start = time.perf_counter()
            label_model = make_student(name, seed, embedding_dim=dim).fit(X_train, y_train)
            record(f"{name} labels", label_model, time.perf_counter() - start)
            if word_vectors:
                start = time.perf_counter()
                label_model = make_student(name, seed, minilm, dim).fit(X_train, y_train)
                record(f"{name} labels, MiniLM words", label_model, time.perf_counter() - start)
            distiller = sktext.DistilledClassifier(
                FrozenEstimator(teacher),
                make_student(name, seed, embedding_dim=dim),
                augmenter=augmenter,
                temperature=options.temperature,
                word_vectors=word_vectors,
                validation_fraction=None,
                memory=memory,
                random_state=0,
            )
            start = time.perf_counter()
            distiller.fit(X_train, y_train)
            student_s = time.perf_counter() - start
            record(distilled, distiller, student_s)
            print(
                f"{dataset} {name} seed {seed}: "
                + ", ".join(
                    f"{row} {entry['acc'][-1]:.4f}"
                    for row, entry in results.items()
                    if row.startswith(f"{name} ")
                ),
                flush=True,
            )
    speed = throughput({row: entry["model"] for row, entry in results.items()}, X_test, repeats)
    teacher_acc = results["teacher"]["acc"][0]
    rows = []
    for row, entry in results.items():
        acc = statistics.mean(entry["acc"])
        gap = ""
        if " distilled" in row:
            # against the best of the same student's labels rows (the strongest start)
            student = row.split(" ")[0]
            base = max(
                statistics.mean(entry["acc"])
                for other, entry in results.items()
                if other.startswith(f"{student} labels")
            )
            gap = f"{(acc - base) / (teacher_acc - base):.0%}" if teacher_acc > base else "n/a"
        model = entry["model"]
        served = model.student_ if hasattr(model, "student_") else model
        rows.append(
            [
                row,
                f"{acc:.4f}",
                " / ".join(f"{a:.4f}" for a in entry["acc"]) if len(entry["acc"]) > 1 else "",
                gap,
                f"{statistics.mean(entry['fit']):.1f}",
                f"{speed[row]:,.0f}",
                f"{speed[row] / speed['teacher']:.1f}x",
                f"{file_mb(served, folder, row.replace(' ', '-')):.1f}",
            ]
        )
    print(
        f"\n{title}: {len(X_train)} training / {len(X_test)} test texts; transfer set "
        f"{transfer[0]:,} texts ({transfer[1]:,} augmented copies), labelled by the teacher "
        f"in {label_s:.0f} s"
    )
    print_table(
        f"{title}: test accuracy (mean of seeds {seeds}), fit, prediction (median of {repeats})",
        ["model", "accuracy", "seeds", "gap closed", "fit s", "predict docs/s", "x teacher", "MB"],
        rows,
    )


def speed_by_dim(dataset, students, dims, repeats, teacher_file):
    """Throughput of the CNN/BiGRU students of each ``embedding_dim`` against the teacher.

    A student's prediction cost depends on its shapes, not on what it learnt: each is
    fitted for one epoch on the labels (the distilled runs train for many), then timed
    on the test set with the teacher, alternating, at this process's torch threads.
    """
    title, load = DATASETS[dataset]
    X_train, y_train = load(subset="train", return_X_y=True)
    X_test, _ = load(subset="test", return_X_y=True)
    X_train, X_test = list(X_train), list(X_test)
    models = {"teacher": sktext.load(teacher_file)}
    for name in students:
        if name not in WORD_STUDENTS:
            continue  # the TF-IDF student has no embedding_dim
        for dim in dims:
            student = make_student(name, 0, embedding_dim=dim).set_params(max_iter=1)
            models[f"{name} {dim}-d"] = student.fit(X_train, y_train)
    speed = throughput(models, X_test, repeats)
    print_table(
        f"{title}: prediction throughput by embedding_dim (median of {repeats}, "
        f"torch threads {torch.get_num_threads()})",
        ["model", "predict docs/s", "x teacher"],
        [
            [name, f"{speed[name]:,.0f}", f"{speed[name] / speed['teacher']:.1f}x"]
            for name in models
        ],
    )


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--datasets", nargs="+", default=["rt", "r8"], choices=DATASETS)
    parser.add_argument("--students", nargs="+", default=["cnn", "bigru", "mlp"])
    parser.add_argument("--seeds", nargs="+", type=int, default=[0, 1])
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--cache", default=None, help="joblib cache folder (default: temporary)")
    parser.add_argument(
        "--teacher-file",
        nargs="*",
        default=[],
        help="fitted teachers saved with sktext.save, one per data set (skips their fit)",
    )
    # the augmenter's own defaults, so that the two cannot drift apart
    augmenter = TextAugmenter()
    for option, param, kind in (
        ("--copies", "n_copies", int),
        ("--ngram-prob", "ngram_prob", float),
        ("--mask-prob", "mask_prob", float),
    ):
        default = getattr(augmenter, param)
        parser.add_argument(
            option, type=kind, default=default, help=f"TextAugmenter's {param} ({default})"
        )
    parser.add_argument(
        "--temperature",
        type=float,
        default=2.0,
        help="DistilledClassifier's temperature for the distilled rows (the cached "
        "labels are the teacher's raw outputs: any temperature reuses them)",
    )
    parser.add_argument(
        "--word-vectors",
        choices=["teacher"],
        default=None,
        help="DistilledClassifier(word_vectors=...) for the cnn/bigru students; their "
        "labels rows are then also run from the pretrained MiniLM's word vectors",
    )
    parser.add_argument(
        "--embedding-dim",
        type=int,
        default=128,
        help="embedding_dim of the cnn/bigru students (every row of theirs; default 128)",
    )
    parser.add_argument(
        "--speed-dims",
        nargs="+",
        type=int,
        default=None,
        help="only time the cnn/bigru --students of these embedding_dim values against "
        "the teacher (--teacher-file, first data set); no accuracy",
    )
    args = parser.parse_args()
    warnings.filterwarnings("ignore", category=UserWarning)
    warnings.filterwarnings("ignore", message=".*converged.*")
    if args.speed_dims:
        speed_by_dim(
            args.datasets[0], args.students, args.speed_dims, args.repeats, args.teacher_file[0]
        )
        return
    with tempfile.TemporaryDirectory() as folder:
        memory = Memory(args.cache or os.path.join(folder, "cache"), verbose=0)
        files = dict(zip(args.datasets, args.teacher_file, strict=False))
        for dataset in args.datasets:
            run(
                dataset,
                args.students,
                args.seeds,
                args.repeats,
                memory,
                folder,
                files.get(dataset),
                args,
            )


if __name__ == "__main__":
    main()
