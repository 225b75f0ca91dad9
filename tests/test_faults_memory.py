"""Long documents must not exhaust memory (issue 12, item 3).

One 500,000-token document among 199 snippets used to put 50 x 500,000 padded positions
in one training batch (a 12.8 GB embedding output for TextCNNClassifier). The fit and
predict tests run in a child process whose address space is capped a few GB above what
importing torch and sktext takes, so a regression fails with a MemoryError instead of
taking the machine down. The sampler tests check the padded-token budget itself.
"""

import os
import subprocess
import sys
import textwrap
from pathlib import Path

import numpy as np
import pytest
import torch

import sktext
from sktext.neural_network._data import IndexDataset, make_loader
from sktext.utils._batching import LengthBucketSampler, reference_length, token_budgets

# ------------------------------------------------------------------ sampler budget


def _padded(batch, lengths):
    return len(batch) * int(lengths[batch].max())


def _outlier_lengths(n_short=199, short=10, outlier=500_000, seed=0):
    rng = np.random.RandomState(seed)
    return np.r_[rng.randint(1, short + 1, size=n_short), outlier]


@pytest.mark.parametrize("shuffle", [False, True])
def test_outlier_goes_alone_and_every_sample_is_served_once(shuffle):
    lengths = _outlier_lengths()
    torch.manual_seed(0)
    sampler = LengthBucketSampler(lengths, 50, shuffle=shuffle)
    # the 99th percentile of the lengths: the outlier does not move it
    assert sampler.max_tokens == 50 * reference_length(lengths) <= 50 * 10
    batches = list(sampler)
    assert len(batches) == len(sampler)
    served = np.concatenate(batches)
    assert sorted(served.tolist()) == list(range(200))
    (outlier_batch,) = [b for b in batches if 199 in b]
    assert outlier_batch == [199]
    # every other batch is within the budget; the outlier is the only one over it
    for batch in batches:
        if batch != [199]:
            assert len(batch) <= 50 and _padded(batch, lengths) <= sampler.max_tokens


@pytest.mark.parametrize("shuffle", [False, True])
@pytest.mark.parametrize("max_tokens", [64, 1000, 10_000])
def test_batches_never_exceed_the_budget(shuffle, max_tokens):
    rng = np.random.RandomState(1)
    # a long tail: most documents short, some 100x longer
    lengths = np.r_[rng.randint(0, 60, size=3000), rng.randint(100, 6000, size=60)]
    rng.shuffle(lengths)
    torch.manual_seed(1)
    sampler = LengthBucketSampler(lengths, 32, max_tokens=max_tokens, shuffle=shuffle, pool_size=10)
    for _ in range(2):  # two passes (epochs) of the shuffled sampler
        n_batches = len(sampler)
        batches = list(sampler)
        assert len(batches) == n_batches
        served = np.concatenate(batches)
        assert len(served) == len(lengths) and len(np.unique(served)) == len(lengths)
        np.testing.assert_array_equal(sampler.order, served)
        for batch in batches:
            assert len(batch) <= 32
            # a document longer than the budget goes alone
            assert _padded(batch, lengths) <= max_tokens or len(batch) == 1


def test_only_the_batches_over_the_budget_change_size():
    # 999 documents of 20 tokens and one of 5000: the shuffled batches are those without
    # a budget, except the outlier's: its 49 neighbours stay together, it goes alone
    lengths = np.r_[np.full(999, 20), 5000]
    torch.manual_seed(2)
    budgeted = list(LengthBucketSampler(lengths, 50, shuffle=True))
    torch.manual_seed(2)
    unbudgeted = list(LengthBucketSampler(lengths, 50, shuffle=True, max_tokens=10**9))
    assert sorted(len(b) for b in unbudgeted) == [50] * 20
    assert sorted(len(b) for b in budgeted) == [1, 49] + [50] * 19
    (with_outlier,) = [b for b in unbudgeted if 999 in b]
    assert [999] in budgeted and sorted(set(with_outlier) - {999}) in map(sorted, budgeted)
    others = sorted(sorted(b) for b in unbudgeted if b is not with_outlier)
    assert others == sorted(sorted(b) for b in budgeted if len(b) == 50)


def test_make_loader_passes_the_budget_to_the_sampler():
    lengths = np.array([1, 2, 3, 100, 4, 5])
    dataset = IndexDataset(lambda rows: torch.as_tensor(rows), 6, lengths=lengths)
    loader = make_loader(dataset, batch_size=4, max_tokens=12)
    assert loader.batch_sampler.max_tokens == 12
    rows = [X["X"].tolist() for X, _ in loader]
    # sorted lengths 1, 2, 3 | 4, 5 | 100: a fourth document makes 4 * 4 = 16 > 12 positions
    assert rows == [[0, 1, 2], [4, 5], [3]]
    # datasets without lengths ignore it
    plain = make_loader(IndexDataset(lambda r: torch.as_tensor(r), 6), batch_size=4, max_tokens=1)
    assert [len(X["X"]) for X, _ in plain] == [4, 2]


def test_estimators_set_training_and_inference_budgets():
    docs = ["good film " * 3, "bad film " * 4] * 30 + ["long " * 3000]
    labels = [0, 1] * 30 + [0]
    clf = sktext.TextCNNClassifier(
        num_filters=2, embedding_dim=4, max_iter=1, max_length=None, batch_size=10
    ).fit(docs, labels)
    length = reference_length(clf.vectorizer_.transform_ragged(docs).lengths)
    assert length == 8
    training, inference = token_budgets(10, length)
    assert clf.net_.iterator_train__max_tokens == training == 80
    assert clf.net_.iterator_valid__max_tokens == inference == 160


# ------------------------------------------------------------------ truncation


def test_default_max_length_truncates_with_a_warning():
    from sktext.preprocessing import TruncationWarning

    docs = ["good film", "bad film"] * 10 + ["word " * 2500]
    labels = [0, 1] * 10 + [0]
    for cls in (sktext.TextCNNClassifier, sktext.LSTMClassifier):
        clf = cls(max_iter=1, embedding_dim=4, batch_size=8)
        assert clf.max_length == 2000
        with pytest.warns(TruncationWarning, match=r"1 of 21 documents \(4.8%\).*2000"):
            clf.fit(docs, labels)
        with pytest.warns(TruncationWarning, match=r"1 of 2 documents"):
            clf.predict(["word " * 2001, "good"])


# ------------------------------------------------------------------ under a memory cap

#: Address space the child may take on top of what importing torch and sktext took.
MEMORY_CAP = 3 * 2**30

CHILD = """
import resource, sys, time, warnings
import numpy as np
import sktext

def vsize():
    with open("/proc/self/statm") as f:
        return int(f.read().split()[0]) * resource.getpagesize()

resource.setrlimit(resource.RLIMIT_AS, (vsize() + {cap}, resource.RLIM_INFINITY))
rng = np.random.RandomState(0)
words = np.array(["w%d" % i for i in range(500)])
docs = [" ".join(rng.choice(words, size=rng.randint(3, 15))) for _ in range(199)]
docs.append(" ".join(rng.choice(words, size={outlier})))
labels = (np.arange(200) % 2).tolist()
clf = getattr(sktext, "{estimator}")(max_iter=1, random_state=0, {params})
warnings.simplefilter("ignore")
start = time.perf_counter()
try:
    clf.fit(docs, labels)
    proba = clf.predict_proba(docs)
except MemoryError as exc:  # a failed allocation under the cap
    print("MemoryError", exc)
    sys.exit(3)
except RuntimeError as exc:  # torch's "DefaultCPUAllocator: can't allocate memory"
    print("RuntimeError", str(exc)[:200])
    sys.exit(3)
assert proba.shape == (200, 2) and np.isfinite(proba).all()
print("ok %.1f s" % (time.perf_counter() - start))
"""


def _run_capped(estimator, outlier, params="", timeout=600):
    source = textwrap.dedent(CHILD).format(
        cap=MEMORY_CAP, outlier=outlier, estimator=estimator, params=params
    )
    env = dict(os.environ, OMP_NUM_THREADS="1", MKL_NUM_THREADS="1")
    # the child imports the sktext under test (the venv may point at another checkout)
    root = str(Path(sktext.__file__).parents[1])
    env["PYTHONPATH"] = os.pathsep.join([root, env.get("PYTHONPATH", "")])
    result = subprocess.run(
        [sys.executable, "-c", source],
        capture_output=True,
        text=True,
        timeout=timeout,
        env=env,
        cwd=root,  # ``python -c`` puts the working directory first on sys.path
    )
    assert result.returncode == 0, (result.stdout + result.stderr)[-2000:]
    assert result.stdout.startswith("ok")


@pytest.mark.parametrize("estimator", ["TextCNNClassifier", "LSTMClassifier"])
def test_outlier_document_fits_and_predicts_under_a_memory_cap(estimator):
    # defaults: the 500,000-token document is cut at max_length=2000 and goes alone
    _run_capped(estimator, 500_000)


def test_outlier_document_without_truncation_fits_under_a_memory_cap():
    # max_length=None: the budget alone keeps the 100,000-token document out of the
    # snippets' batches (50 x 100,000 padded positions would take about 20 GB)
    _run_capped("TextCNNClassifier", 100_000, params="max_length=None")
