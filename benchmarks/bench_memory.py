"""Peak memory and fit time of the sequence models on long documents (issue 12, item 3).

Each case runs in a fresh child process (its peak RSS is ``ru_maxrss``, its address
space capped by ``--cap-gb`` so that a case which used to ask for tens of GB fails with
a MemoryError instead of taking the machine down):

  textcnn-20ng       TextCNNClassifier(max_iter=1) defaults, fit on 20 Newsgroups train
                     (11,293 posts, ``sktext.datasets``), predict_proba on its test set
  textcnn-outlier    TextCNNClassifier(max_iter=1): 199 snippets + one 500,000-token
                     document, fit + predict_proba
  textcnn-outlier-nl the same with max_length=None (the batch budget alone)
  lstm-outlier       LSTMClassifier(max_iter=1): 199 snippets + one 500,000-token document
  lstm-outlier-nl    LSTMClassifier(max_iter=1, max_length=None): 199 snippets + one
                     100,000-token document
  transformer-mixed  TransformerClassifier(model=MiniLM, max_iter=1) fit on 200 snippets,
                     predict_proba of 5 documents of 5,000 words among 50 snippets (issue
                     25: the short ones used to be padded to 512 tokens with the long ones)
  transformer-fit-short  TransformerClassifier(model=MiniLM, max_iter=1) fit on 200 Rotten
                     Tomatoes snippets (``sktext.datasets``), predict_proba of them
  transformer-fit-long   the same 200 snippets plus 5 documents of 5,000 words (other
                     snippets joined), fit + predict_proba (issue 25: the training batches
                     holding a long document were padded to 512 tokens)
  encoder-long-text  SentenceEncoder(model=MiniLM).transform of 20 snippets and one
                     document of 5 million characters (issue 21, item 9: the whole document
                     used to be tokenized before the 512 tokens kept were cut)

Every case runs twice, on the sktext of this checkout ("new") and on the one of
``--baseline`` (a git revision of this repository, ``main`` by default, extracted with
``git archive`` into a temporary directory: "old"). ``--only new`` skips the baseline.

Usage (alone on the machine)::

    flock /tmp/bench.lock python benchmarks/bench_memory.py
    python benchmarks/bench_memory.py --cases textcnn-outlier lstm-outlier --only new
"""

import argparse
import json
import os
import subprocess
import sys
import tarfile
import tempfile
import textwrap
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]

CASES = {
    "textcnn-20ng": ("TextCNNClassifier", "newsgroups", ""),
    "textcnn-outlier": ("TextCNNClassifier", 500_000, ""),
    "textcnn-outlier-nl": ("TextCNNClassifier", 500_000, "max_length=None"),
    "lstm-outlier": ("LSTMClassifier", 500_000, ""),
    "lstm-outlier-nl": ("LSTMClassifier", 100_000, "max_length=None"),
    "transformer-mixed": (
        "TransformerClassifier",
        "mixed",
        'model=sktext.datasets.get_model_path("all-MiniLM-L6-v2")',
    ),
    "transformer-fit-short": (
        "TransformerClassifier",
        "snippets",
        'model=sktext.datasets.get_model_path("all-MiniLM-L6-v2")',
    ),
    "transformer-fit-long": (
        "TransformerClassifier",
        "snippets+long",
        'model=sktext.datasets.get_model_path("all-MiniLM-L6-v2")',
    ),
    "encoder-long-text": (
        "SentenceEncoder",
        "5M-characters",
        'model=sktext.datasets.get_model_path("all-MiniLM-L6-v2")',
    ),
}

CHILD = """
import json, resource, sys, time, warnings
import numpy as np
import sktext

def vsize():
    with open("/proc/self/statm") as f:
        return int(f.read().split()[0]) * resource.getpagesize()

cap = {cap}
resource.setrlimit(resource.RLIMIT_AS, (vsize() + cap, resource.RLIM_INFINITY))
baseline = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
if {data!r} == "newsgroups":
    from sktext.datasets import load_newsgroups
    docs, labels = load_newsgroups(return_X_y=True)
    test_docs, _ = load_newsgroups(subset="test", return_X_y=True)
elif {data!r} == "mixed":
    import sktext.datasets
    rng = np.random.RandomState(0)
    words = np.array(["word%d" % i for i in range(500)])
    docs = [" ".join(rng.choice(words, size=rng.randint(3, 15))) for _ in range(200)]
    labels = (np.arange(200) % 2).tolist()
    long_docs = [" ".join(rng.choice(words, size=5000)) for _ in range(5)]
    test_docs = long_docs + docs[:50]
elif {data!r}.startswith("snippets"):
    import sktext.datasets
    snippets, classes = sktext.datasets.load_rotten_tomatoes(return_X_y=True)
    docs, labels = list(snippets[:200]), list(classes[:200])
    if {data!r} == "snippets+long":
        # 5 documents of 5,000 words: the next snippets joined (real text)
        words = " ".join(snippets[200:]).split()
        docs += [" ".join(words[5000 * i : 5000 * (i + 1)]) for i in range(5)]
        labels += list(classes[:5])
    test_docs = docs
elif {data!r} == "5M-characters":
    import sktext.datasets
    snippets = sktext.datasets.load_rotten_tomatoes(return_X_y=True)[0]
    text = " ".join(snippets)
    docs = list(snippets[:20]) + [(text * (5_000_000 // len(text) + 1))[:5_000_000]]
    labels = test_docs = docs
else:
    rng = np.random.RandomState(0)
    words = np.array(["w%d" % i for i in range(500)])
    docs = [" ".join(rng.choice(words, size=rng.randint(3, 15))) for _ in range(199)]
    docs.append(" ".join(rng.choice(words, size={data!r})))
    labels = (np.arange(200) % 2).tolist()
    test_docs = docs
out = dict(source=sktext.__file__)
if {estimator!r} == "SentenceEncoder":  # a transformer: fit learns nothing
    import sktext.embeddings
    clf = sktext.embeddings.SentenceEncoder({params})
    infer = clf.transform
else:
    clf = getattr(sktext, {estimator!r})(max_iter=1, random_state=0, {params})
    infer = clf.predict_proba
warnings.simplefilter("ignore")
out["baseline_mb"] = baseline / 1024
try:
    start = time.perf_counter()
    clf.fit(docs, labels)
    out["fit_s"] = time.perf_counter() - start
    start = time.perf_counter()
    infer(test_docs)
    out["predict_s"] = time.perf_counter() - start
except (MemoryError, RuntimeError) as exc:
    out["error"] = str(exc).split("\\n")[0][-160:]
out["peak_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
print("RESULT " + json.dumps(out))
"""


def extract_baseline(revision, directory):
    """``git archive`` of ``revision``'s sktext package into ``directory``."""
    archive = Path(directory) / "baseline.tar"
    with open(archive, "wb") as f:
        subprocess.run(
            ["git", "-C", str(REPO), "archive", revision, "sktext"], stdout=f, check=True
        )
    with tarfile.open(archive) as tar:
        tar.extractall(directory, filter="data")
    return Path(directory)


def run_case(name, source_root, cap_gb, timeout):
    """Run one case in a fresh child importing the sktext under ``source_root``."""
    estimator, data, params = CASES[name]
    code = textwrap.dedent(CHILD).format(
        cap=int(cap_gb * 2**30), data=data, estimator=estimator, params=params
    )
    env = dict(os.environ, PYTHONPATH=str(source_root))
    # run from source_root: ``python -c`` puts the working directory first on sys.path
    start = time.perf_counter()
    try:
        result = subprocess.run(
            [sys.executable, "-c", code], capture_output=True, text=True, env=env,
            cwd=source_root, timeout=timeout,
        )  # fmt: skip
    except subprocess.TimeoutExpired:
        return {"error": f"timed out after {timeout} s"}
    lines = [line for line in result.stdout.splitlines() if line.startswith("RESULT ")]
    if not lines:
        return {"error": (result.stderr.strip().splitlines() or ["no output"])[-1][-160:]}
    out = json.loads(lines[-1][len("RESULT ") :])
    out["wall_s"] = time.perf_counter() - start
    expected = Path(source_root) / "sktext" / "__init__.py"
    if Path(out["source"]).resolve() != expected.resolve():
        raise RuntimeError(f"the child imported {out['source']}, not {expected}")
    return out


def print_table(rows):
    header = ["case", "code", "imports (MB)", "peak RSS (MB)", "fit (s)", "predict (s)", "note"]
    widths = [max(len(str(r[i])) for r in [header, *rows]) for i in range(len(header))]
    fmt = "  ".join(f"{{:<{w}}}" if i in (0, 1, 6) else f"{{:>{w}}}" for i, w in enumerate(widths))
    print(fmt.format(*header))
    print("-" * (sum(widths) + 2 * (len(widths) - 1)))
    for row in rows:
        print(fmt.format(*row))


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", nargs="+", default=list(CASES), choices=list(CASES))
    parser.add_argument("--baseline-dir", default=None, help="a checkout to use as old code")
    parser.add_argument("--baseline", default="main", help="git revision of the old code")
    parser.add_argument("--only", choices=["new", "old"], default=None)
    parser.add_argument("--cap-gb", type=float, default=8.0, help="address space per case")
    parser.add_argument("--timeout", type=float, default=1800.0, help="seconds per case")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        codes = []
        if args.only != "old":
            codes.append(("new", REPO))
        if args.only != "new":
            old = args.baseline_dir or extract_baseline(args.baseline, tmp)
            codes.append((f"old ({args.baseline})", Path(old)))
        rows = []
        for case in args.cases:
            for label, root in codes:
                out = run_case(case, root, args.cap_gb, args.timeout)
                peak = f"{out['peak_mb']:.0f}" if "peak_mb" in out else "-"
                base = f"{out['baseline_mb']:.0f}" if "baseline_mb" in out else "-"
                fit = f"{out['fit_s']:.1f}" if "fit_s" in out else "-"
                pred = f"{out['predict_s']:.1f}" if "predict_s" in out else "-"
                note = out.get("error", "")
                rows.append([case, label, base, peak, fit, pred, note])
                print(" ".join(map(str, rows[-1])), file=sys.stderr, flush=True)
    print(f"\npeak RSS of each case in a fresh process (address space capped at "
          f"{args.cap_gb:g} GB above the imports)\n")  # fmt: skip
    print_table(rows)


if __name__ == "__main__":
    main()
