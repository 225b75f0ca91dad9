"""Checks every sktext estimator passes, text estimators included.

scikit-learn's ``parametrize_with_checks`` feeds numeric matrices, which text estimators
cannot take. These checks take the data to use (raw documents for text estimators) and
test what a scikit-learn user relies on: ``clone``, pickling with identical outputs, the
not-fitted error, determinism under ``random_state``, rejection of a bare string, clear
errors on mismatched lengths and a single class, and ``GridSearchCV(n_jobs=2)`` inside a
``Pipeline``.

With ``frame_input=True`` the cases' ``X`` are pandas DataFrames of text and other
columns, and the DataFrame checks (columns matched by name, NaN text, new values at
prediction) replace the checks that take lists of documents.

Use them through :func:`parametrize_with_text_checks` in a test module::

    @parametrize_with_text_checks([(SomeTextClassifier(max_iter=2), docs, labels)])
    def test_text_checks(estimator, check):
        check(estimator)
"""

import functools
import io
import pickle

import joblib
import numpy as np
from sklearn.base import clone, is_classifier, is_regressor
from sklearn.exceptions import NotFittedError
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import GridSearchCV
from sklearn.pipeline import make_pipeline

__all__ = [
    "check_clone",
    "check_deterministic",
    "check_frame_columns_by_name",
    "check_frame_new_values",
    "check_frame_rejects_missing_text",
    "check_empty_and_unknown_documents",
    "check_input_containers",
    "check_grid_search_in_pipeline",
    "check_mismatched_lengths",
    "check_not_fitted",
    "check_one_class",
    "check_pickle_roundtrip",
    "check_rejects_bare_string",
    "check_rejects_missing_documents",
    "parametrize_with_text_checks",
    "yield_text_checks",
]

BARE_STRING_MESSAGE = "Iterable over raw text documents expected, string object received."


def _outputs(estimator, X):
    """What a fitted estimator produces: probabilities, predictions or transform output."""
    if hasattr(estimator, "predict_proba"):
        return np.asarray(estimator.predict_proba(X))
    if is_regressor(estimator):
        return np.asarray(estimator.predict(X), dtype=np.float64)
    if hasattr(estimator, "transform"):
        out = estimator.transform(X)
        return out.toarray() if hasattr(out, "toarray") else np.asarray(out)
    return np.asarray(estimator.predict(X))


def _fit(estimator, X, y):
    return estimator.fit(X) if y is None else estimator.fit(X, y)


def _seeded(estimator):
    est = clone(estimator)
    if "random_state" in est.get_params():
        est.set_params(random_state=0)
    return est


def check_clone(name, estimator, X, y):
    """``clone`` gives an unfitted estimator with equal parameters that fits."""
    fitted = _fit(_seeded(estimator), X, y)
    cloned = clone(fitted)
    params, expected = cloned.get_params(deep=False), fitted.get_params(deep=False)
    assert params.keys() == expected.keys(), f"{name}: clone changed the parameter names"
    for key, value in params.items():
        # estimator-valued parameters are cloned too: compare them by their repr
        same = value is expected[key] or repr(value) == repr(expected[key])
        assert same, f"{name}: clone changed parameter {key!r}"
    assert not any(k.endswith("_") and not k.startswith("__") for k in vars(cloned)), (
        f"{name}: clone kept fitted attributes"
    )
    _fit(cloned, X, y)


def check_not_fitted(name, estimator, X, y):
    """Every prediction method raises ``NotFittedError`` before ``fit``."""
    est = clone(estimator)
    methods = [m for m in ("predict", "predict_proba", "transform") if hasattr(est, m)]
    assert methods, f"{name} has no prediction method"
    for method in methods:
        try:
            getattr(est, method)(X)
        except NotFittedError:
            continue
        raise AssertionError(f"{name}.{method} did not raise NotFittedError before fit")


def check_pickle_roundtrip(name, estimator, X, y):
    """Pickle and joblib round trips give identical outputs."""
    fitted = _fit(_seeded(estimator), X, y)
    expected = _outputs(fitted, X)
    restored = pickle.loads(pickle.dumps(fitted))
    np.testing.assert_array_equal(_outputs(restored, X), expected, err_msg=f"{name}: pickle")
    buffer = io.BytesIO()
    joblib.dump(fitted, buffer)
    buffer.seek(0)
    restored = joblib.load(buffer)
    np.testing.assert_array_equal(_outputs(restored, X), expected, err_msg=f"{name}: joblib")


def check_deterministic(name, estimator, X, y):
    """Two fits with the same ``random_state`` give identical outputs (on the CPU)."""
    first = _outputs(_fit(_seeded(estimator), X, y), X)
    second = _outputs(_fit(_seeded(estimator), X, y), X)
    np.testing.assert_array_equal(first, second, err_msg=f"{name} is not deterministic")


def check_rejects_bare_string(name, estimator, X, y):
    """A single string instead of a list of documents is rejected like CountVectorizer."""
    est = clone(estimator)
    try:
        _fit(est, "a single document is not a corpus", y)
    except ValueError as exc:
        assert BARE_STRING_MESSAGE in str(exc), f"{name}: unexpected message {exc}"
    else:
        raise AssertionError(f"{name} accepted a bare string as X")


def check_mismatched_lengths(name, estimator, X, y):
    """X and y of different lengths give scikit-learn's 'inconsistent numbers' error.

    Only for estimators that need ``y``: a transformer ignores it, as scikit-learn's do.
    """
    if y is None or not estimator.__sklearn_tags__().target_tags.required:
        return
    est = clone(estimator)
    try:
        est.fit(X, np.asarray(y)[:-1])
    except ValueError as exc:
        assert "inconsistent numbers of samples" in str(exc), f"{name}: message was {exc}"
    else:
        raise AssertionError(f"{name} accepted X and y of different lengths")


def check_one_class(name, estimator, X, y):
    """A (single-label) classifier fitted on one class raises a ValueError that says so."""
    if not is_classifier(estimator) or np.ndim(y) != 1:
        return
    est = clone(estimator)
    single = np.full(len(y), np.asarray(y)[0])
    try:
        est.fit(X, single)
    except ValueError as exc:
        assert "class" in str(exc), f"{name}: message was {exc}"
    else:
        raise AssertionError(f"{name} was fitted on a single class without error")


def check_grid_search_in_pipeline(name, estimator, X, y, param_grid=None):
    """``GridSearchCV(n_jobs=2)`` over the estimator inside a ``Pipeline`` works.

    A classifier or regressor is searched as the last step (after nothing, for raw-text
    models); a transformer is followed by a ``LogisticRegression``. The default grid varies
    ``random_state``, which every sktext estimator has.
    """
    est = clone(estimator)
    grid = param_grid or {"random_state": [0, 1]}
    if is_classifier(est) or is_regressor(est):
        pipe = make_pipeline(est)
    else:
        pipe = make_pipeline(est, LogisticRegression(max_iter=200))
    step = pipe.steps[0][0]
    search = GridSearchCV(
        pipe, {f"{step}__{k}": v for k, v in grid.items()}, cv=2, n_jobs=2, error_score="raise"
    )
    search.fit(X, y)
    assert len(search.cv_results_["params"]) == np.prod([len(v) for v in grid.values()])
    pred = search.predict(X)
    assert len(pred) == len(X)
    if is_classifier(est):
        assert set(np.unique(pred)) <= set(np.unique(y))


def check_rejects_missing_documents(name, estimator, X, y):
    """``None`` or NaN among the documents is rejected with a message naming it."""
    for missing, word in ((None, "None"), (float("nan"), "NaN")):
        docs = list(X)
        docs[1] = missing
        try:
            _fit(clone(estimator), docs, y)
        except ValueError as exc:
            assert word in str(exc) and "document 1" in str(exc), f"{name}: message was {exc}"
        else:
            raise AssertionError(f"{name} accepted {word} as a document")


def check_empty_and_unknown_documents(name, estimator, X, y):
    """An empty document and one made only of unseen words give a defined, finite result.

    Single-label classifiers return probabilities summing to one and a label from
    ``classes_``; other estimators a finite row. The result does not depend on the other
    documents of the call.
    """
    fitted = _fit(_seeded(estimator), X, y)
    odd = ["", "qzxvw wvutq zzyzx"]
    together = _outputs(fitted, odd + list(X[:3]))
    assert len(together) == 5, f"{name}: wrong number of outputs"
    assert np.all(np.isfinite(np.asarray(together, dtype=np.float64))), f"{name}: not finite"
    alone = _outputs(fitted, odd)
    np.testing.assert_allclose(
        alone, together[:2], rtol=1e-5, atol=1e-6, err_msg=f"{name}: depends on the batch"
    )
    if is_classifier(fitted) and np.ndim(y) == 1:
        np.testing.assert_allclose(together.sum(axis=1), 1.0, rtol=1e-5)
        assert set(fitted.predict(odd)) <= set(fitted.classes_)


def check_input_containers(name, estimator, X, y):
    """A list, a 1-D object array and a pandas Series of the same documents agree."""
    import pandas as pd

    fitted = _fit(_seeded(estimator), list(X), y)
    expected = _outputs(fitted, list(X))
    as_array = np.empty(len(X), dtype=object)
    as_array[:] = list(X)
    as_series = pd.Series(list(X), index=np.arange(len(X))[::-1] + 100)
    for container in (as_array, as_series, tuple(X)):
        np.testing.assert_allclose(
            _outputs(fitted, container),
            expected,
            rtol=1e-5,
            atol=1e-6,
            err_msg=f"{name}: {type(container).__name__} input",
        )


def _frame_parts(X, estimator):
    """The text columns and the other columns of a DataFrame case."""
    text = estimator.get_params().get("text_columns")
    text = [text] if isinstance(text, str) else list(text or X.columns[:1])
    return text, [c for c in X.columns if c not in text]


def check_frame_columns_by_name(name, estimator, X, y):
    """A DataFrame is read by column name, and a changed frame is refused clearly.

    Reordered columns give the same outputs; a missing or renamed column, or documents
    instead of a frame, give a clear error.
    """
    fitted = _fit(_seeded(estimator), X, y)
    expected = _outputs(fitted, X)
    np.testing.assert_allclose(
        _outputs(fitted, X[X.columns[::-1]]), expected, rtol=1e-5, atol=1e-6,
        err_msg=f"{name}: reordered columns",
    )  # fmt: skip
    assert list(fitted.feature_names_in_) == [str(c) for c in X.columns], name
    text, _ = _frame_parts(X, estimator)
    for broken in (X.drop(columns=X.columns[-1]), X.rename(columns={X.columns[-1]: "other"})):
        try:
            _outputs(fitted, broken)
        except ValueError as exc:
            assert "columns" in str(exc), f"{name}: message was {exc}"
        else:
            raise AssertionError(f"{name} predicted on a frame with other columns")
    try:
        _outputs(fitted, list(X[text[0]]))
    except ValueError as exc:
        assert "DataFrame" in str(exc), f"{name}: message was {exc}"
    else:
        raise AssertionError(f"{name}, fitted on a DataFrame, predicted on documents")


def check_frame_rejects_missing_text(name, estimator, X, y):
    """NaN in a text column is rejected with a message naming the column and document."""
    text, _ = _frame_parts(X, estimator)
    broken = X.copy()
    broken[text[-1]] = broken[text[-1]].astype(object)
    broken.iloc[1, list(broken.columns).index(text[-1])] = float("nan")
    try:
        _fit(clone(estimator), broken, y)
    except ValueError as exc:
        message = str(exc)
        assert "NaN" in message and "document 1" in message and text[-1] in message, (
            f"{name}: message was {exc}"
        )
    else:
        raise AssertionError(f"{name} accepted NaN as a document")


def check_frame_new_values(name, estimator, X, y):
    """New values at prediction give finite outputs, independent of the batch.

    Missing numbers, unseen categories and empty texts.
    """
    import pandas as pd

    fitted = _fit(_seeded(estimator), X, y)
    text, others = _frame_parts(X, estimator)
    odd = X.iloc[:2].copy()
    for column in text:
        odd[column] = ["", "qzxvw wvutq zzyzx"]
    for column in others:
        if pd.api.types.is_numeric_dtype(odd[column]) and not pd.api.types.is_bool_dtype(
            odd[column]
        ):
            odd[column] = np.nan
        elif odd[column].dtype == object or isinstance(odd[column].dtype, pd.StringDtype):
            odd[column] = "a category never seen"
    together = _outputs(fitted, pd.concat([odd, X.iloc[:3]]))
    assert np.all(np.isfinite(np.asarray(together, dtype=np.float64))), f"{name}: not finite"
    np.testing.assert_allclose(
        _outputs(fitted, odd), together[:2], rtol=1e-5, atol=1e-6,
        err_msg=f"{name}: depends on the batch",
    )  # fmt: skip


def yield_text_checks(estimator, *, text_input=True, frame_input=False):
    """Yield the checks that apply to ``estimator`` (as ``check(name, est, X, y)``).

    Parameters
    ----------
    estimator : estimator instance
        The estimator to check.
    text_input : bool, default=True
        Whether it takes raw documents (adds the text-only checks).
    frame_input : bool, default=False
        Whether the case's ``X`` is a pandas DataFrame of text and other columns (the
        DataFrame checks replace the text-only checks, which take documents).

    Yields
    ------
    check : callable
        A check, to call as ``check(name, estimator, X, y)``.
    """
    yield check_clone
    yield check_not_fitted
    yield check_pickle_roundtrip
    yield check_deterministic
    yield check_mismatched_lengths
    yield check_one_class
    yield check_grid_search_in_pipeline
    if frame_input:
        yield check_frame_columns_by_name
        yield check_frame_rejects_missing_text
        yield check_frame_new_values
    elif text_input:
        yield check_rejects_bare_string
        yield check_rejects_missing_documents
        yield check_empty_and_unknown_documents
        yield check_input_containers


def parametrize_with_text_checks(cases, *, text_input=True, frame_input=False):
    """Pytest decorator running :func:`yield_text_checks` for each ``(estimator, X, y)``.

    A case may carry a fourth element, the ``param_grid`` of
    :func:`check_grid_search_in_pipeline` (needed for estimators without ``random_state``).
    The decorated test receives ``estimator`` and ``check``; call ``check(estimator)``.

    Parameters
    ----------
    cases : list of tuple
        ``(estimator, X, y)`` or ``(estimator, X, y, param_grid)`` for each estimator.
    text_input : bool, default=True
        Whether the estimators take raw documents (adds the text-only checks).
    frame_input : bool, default=False
        Whether the cases' ``X`` are DataFrames (adds the DataFrame checks instead).

    Returns
    -------
    decorator : pytest.MarkDecorator
        A ``pytest.mark.parametrize`` over ``(estimator, check)``.
    """
    import pytest

    params, ids = [], []
    for estimator, X, y, *grid in cases:
        name = type(estimator).__name__
        for check in yield_text_checks(estimator, text_input=text_input, frame_input=frame_input):
            kwargs = {"X": X, "y": y}
            if grid and check is check_grid_search_in_pipeline:
                kwargs["param_grid"] = grid[0]
            params.append((estimator, functools.partial(check, name, **kwargs)))
            ids.append(f"{name}-{check.__name__}")
    return pytest.mark.parametrize("estimator, check", params, ids=ids)
