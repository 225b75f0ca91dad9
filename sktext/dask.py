"""Prediction over a dask cluster, partition by partition (needs dask).

:func:`predict` applies a fitted estimator (an sktext estimator, or a scikit-learn
``Pipeline`` holding one) to a dask DataFrame, Series or Bag of documents and returns a lazy
dask collection of the same kind. The model reaches the workers once: scattered to every
worker of a dask.distributed client, or read by each worker from a safe model file
(:func:`sktext.save`) and kept for the next partitions.

dask is an optional dependency (``pip install "sktext[distributed]"``); it is imported only
when :func:`predict` is called.
"""

# Authors: The sktext developers
# License: BSD 3 clause

import collections
import os
import threading

import numpy as np
import pandas as pd
import scipy.sparse as sp

__all__ = ["predict"]

#: Methods :func:`predict` can apply.
METHODS = ("predict", "predict_proba", "predict_log_proba", "decision_function", "transform")

# the models each process loaded from files, most recently used last
_LOADED = collections.OrderedDict()
_LOADED_LOCK = threading.Lock()
#: How many models loaded from files a worker keeps.
_LOADED_SIZE = 2
# how many files this process has loaded (read by the tests through client.run)
_load_count = 0


class _ModelFile:
    """A safe model file, loaded by the process that needs it (once, then cached)."""

    def __init__(self, path, trusted, device):
        self.path = path
        self.trusted = tuple(trusted)
        self.device = device

    def load(self):
        global _load_count
        from ._persistence import load

        info = os.stat(self.path)
        # a file replaced by a new save (an atomic rename) is read again
        key = (self.path, info.st_ino, info.st_mtime_ns, info.st_size, self.trusted, self.device)
        with _LOADED_LOCK:  # worker threads wait for one load rather than each doing it
            if key in _LOADED:
                _LOADED.move_to_end(key)
                return _LOADED[key]
            model = load(self.path, trusted=self.trusted, device=self.device)
            _load_count += 1
            _LOADED[key] = model
            while len(_LOADED) > _LOADED_SIZE:
                _LOADED.popitem(last=False)
            return model


def _resolve(model):
    return model.load() if isinstance(model, _ModelFile) else model


def _output_columns(model, method, n_columns):
    """Column names of a 2-D output: the classes, the feature names, or 0..n-1."""
    if method == "transform":
        try:
            names = np.asarray(model.get_feature_names_out())
        except (AttributeError, ValueError, TypeError):
            names = None
    else:
        names = getattr(model, "classes_", None)
        names = None if names is None else np.asarray(names)
    if names is not None and names.ndim == 1 and len(names) == n_columns:
        return names.tolist()
    return list(range(n_columns))


def _to_pandas(output, index, model, method, meta=None):
    """The output of ``method`` on one partition as a pandas Series or DataFrame."""
    if sp.issparse(output):
        raise TypeError(
            f"{type(model).__name__}.{method} returns a sparse matrix, which a dask "
            "DataFrame cannot hold; pass a dask Bag to get one result per document."
        )
    output = np.asarray(output)
    if output.ndim == 1:
        name = method if meta is None else meta.name
        return pd.Series(output, index=index, name=name)
    if output.ndim == 2:
        if meta is None:
            columns = _output_columns(model, method, output.shape[1])
        else:
            columns = meta.columns
        return pd.DataFrame(output, index=index, columns=columns)
    raise ValueError(
        f"{type(model).__name__}.{method} returned an array of {output.ndim} dimensions; "
        "sktext.dask.predict handles 1 or 2."
    )


def _check_model(model, method):
    """``model`` fitted and offering ``method`` (scikit-learn's errors otherwise)."""
    from .utils._sklearn_compat import check_is_fitted

    check_is_fitted(model)
    if not callable(getattr(model, method, None)):
        raise AttributeError(f"{type(model).__name__} has no method {method!r}.")


def _describe(model, method, sample):
    """Check the model; the empty pandas output of ``method`` on ``sample`` (or None).

    Runs where the model is: in the caller for an estimator, on a worker for a file.
    """
    model = _resolve(model)
    _check_model(model, method)
    if sample is None:
        return None
    return _to_pandas(getattr(model, method)(sample), sample.index, model, method).iloc[:0]


def _predict_partition(part, model, *, method, empty):
    """``method`` of the model on one pandas partition, with the partition's index."""
    if len(part) == 0:  # an empty partition: no call (some models refuse 0 documents)
        empty = empty.copy()
        empty.index = part.index
        return empty
    model = _resolve(model)
    return _to_pandas(getattr(model, method)(part), part.index, model, method, empty)


def _predict_bag_partition(documents, model, *, method):
    """``method`` of the model on one partition of a bag: one result per document."""
    documents = list(documents)
    if not documents:
        return []
    model = _resolve(model)
    output = getattr(model, method)(documents)
    if sp.issparse(output):
        return [output[i] for i in range(output.shape[0])]
    return list(np.asarray(output))


def _default_client():
    try:
        from distributed import default_client
    except ImportError:  # dask without distributed: the local scheduler
        return None
    try:
        return default_client()
    except ValueError:  # no client started
        return None


def predict(
    model,
    X,
    *,
    method="predict",
    column=None,
    client=None,
    meta=None,
    trusted=(),
    device=None,
):
    """Apply a fitted estimator to a dask collection of documents, partition by partition.

    Each partition is passed to ``model.<method>`` as it is locally (a pandas Series of
    texts, a pandas DataFrame, or a list of the bag's items), so the results equal what
    ``model.<method>`` gives on the same rows in one process. The model reaches every
    worker once: an estimator is scattered to all the workers of the client
    (``client.scatter(model, broadcast=True)``); a path is read by each worker with the
    safe loader :func:`sktext.load` (never unpickled) and kept for its next partitions.

    Parameters
    ----------
    model : estimator, str or path-like
        A fitted estimator (an sktext estimator, a scikit-learn ``Pipeline`` holding one,
        any estimator offering ``method``), or the path of a file written by
        :func:`sktext.save`, readable by every worker (a shared or copied file).
    X : dask DataFrame, dask Series or dask Bag
        The documents. A Series or a Bag holds one document per item (text, or whatever
        the model takes); a DataFrame gives the column ``column``, or, with
        ``column=None``, its partitions as pandas DataFrames (models of a table).
    method : {"predict", "predict_proba", "predict_log_proba", "decision_function", \
"transform"}, default="predict"
        The method of ``model`` to apply.
    column : str or None, default=None
        The text column of a DataFrame ``X``.
    client : distributed.Client or None, default=None
        The client whose workers compute; ``None`` takes the current client if one was
        started, else dask's local scheduler (no scattering then).
    meta : pandas Series, pandas DataFrame or None, default=None
        An empty pandas object shaped like the output of one partition, as in dask's
        ``map_partitions``. ``None`` computes it by applying the model to one made-up
        row of ``X`` (in this process for an estimator, on a worker for a path).
    trusted : tuple of str, default=()
        Passed to :func:`sktext.load` when ``model`` is a path.
    device : str or None, default=None
        Device of the networks loaded from ``model`` when it is a path (``None`` keeps
        the saved one); an estimator predicts on its own device.

    Returns
    -------
    predictions : dask Series, dask DataFrame or dask Bag
        Lazy: nothing is computed before ``.compute()``, ``.persist()`` or a write. For a
        DataFrame or Series ``X``, a Series (1-D outputs, such as labels) or a DataFrame
        (2-D outputs; the columns are the classes for probabilities and decision values,
        the feature names for ``transform``) with the index and partitions of ``X``. For
        a Bag, a Bag with one result per document.

    Raises
    ------
    ValueError
        If ``method`` is not one of the above, ``column`` is not a column of ``X``, or
        ``column`` is given for a Series or a Bag.
    TypeError
        If ``X`` is not a dask DataFrame, Series or Bag, if ``device`` is given with an
        estimator, or if ``method`` returns a sparse matrix for a DataFrame or Series.
    sklearn.exceptions.NotFittedError
        If the model is not fitted.
    AttributeError
        If the model has no such method (``predict_proba`` of a regressor).
    UnsafeModelError
        If ``model`` is a path to a file that the safe loader refuses (a subclass of
        ``ValueError``; see :func:`sktext.load`).

    See Also
    --------
    sktext.save : Write the model file the workers read.

    Notes
    -----
    Give the workers the threads they may use: torch's default pool takes every core of
    the machine in each worker (``OMP_NUM_THREADS`` in the workers' environment, or
    ``client.run(torch.set_num_threads, n)``). Empty partitions give empty results
    without calling the model. See the "Scaling out" guide for a cluster's layout.

    Examples
    --------
    >>> import dask.dataframe as dd
    >>> import pandas as pd
    >>> from sklearn.feature_extraction.text import TfidfVectorizer
    >>> from sklearn.pipeline import make_pipeline
    >>> import sktext, sktext.dask
    >>> texts = ["good film", "bad film", "good plot", "bad plot"] * 5
    >>> model = make_pipeline(
    ...     TfidfVectorizer(), sktext.MLPClassifier(max_iter=30, random_state=0)
    ... ).fit(texts, ["pos", "neg", "pos", "neg"] * 5)
    >>> frame = dd.from_pandas(pd.DataFrame({"text": texts}), npartitions=3)
    >>> labels = sktext.dask.predict(model, frame, column="text")  # lazy
    >>> bool((labels.compute().to_numpy() == model.predict(texts)).all())
    True
    """
    try:
        import dask.bag as db
    except ImportError as exc:
        raise ImportError(
            'sktext.dask.predict needs dask: pip install "sktext[distributed]".'
        ) from exc

    if method not in METHODS:
        raise ValueError(f"method must be one of {list(METHODS)}; got {method!r}.")
    try:
        import dask.dataframe as dd
    except ImportError:  # dask without its dataframe extra (pandas, pyarrow): bags only
        dd = None
    frames = () if dd is None else (dd.DataFrame, dd.Series)
    if not isinstance(X, (*frames, db.Bag)):
        raise TypeError(
            "X must be a dask DataFrame, dask Series or dask Bag of documents; got "
            f"{type(X).__name__}. For data in memory call the model's {method} directly; "
            "dask.dataframe.from_pandas or dask.bag.from_sequence make a dask collection."
        )
    if column is not None:
        if dd is None or not isinstance(X, dd.DataFrame):
            raise ValueError(
                f"column={column!r} selects a column of a DataFrame; X is a "
                f"{type(X).__name__}: pass column=None."
            )
        if column not in X.columns:
            raise ValueError(
                f"column={column!r} is not a column of X; its columns are {list(X.columns)}."
            )
        X = X[column]

    if isinstance(model, (str, os.PathLike)):
        model = _ModelFile(os.path.abspath(os.fspath(model)), trusted, device)
    elif device is not None:
        raise TypeError(
            "device= applies to a model loaded from a path; an estimator predicts on its "
            "own device."
        )
    if client is None:
        client = _default_client()

    if meta is None:
        sample = None if isinstance(X, db.Bag) else X._meta_nonempty.iloc[:1]
        if isinstance(model, _ModelFile) and client is not None:
            # on a worker: it reads the file (and keeps it for the partitions)
            meta = client.submit(_describe, model, method, sample, pure=False).result()
        else:
            meta = _describe(model, method, sample)
    elif not isinstance(model, _ModelFile):
        _check_model(model, method)

    if client is not None and not isinstance(model, _ModelFile):
        # pickled once and sent once to every worker; the tasks refer to it by key
        model = client.scatter(model, broadcast=True, hash=False)

    if isinstance(X, db.Bag):
        return X.map_partitions(_predict_bag_partition, model, method=method)
    # dask's meta= is the output's type; empty= is the same object for the partitions
    return X.map_partitions(_predict_partition, model, method=method, empty=meta, meta=meta)
