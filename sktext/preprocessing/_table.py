"""The columns beside the text: scikit-learn's ColumnTransformer, chosen by dtype.

:func:`make_table_encoder` is what the text models use for ``tabular="auto"``: numbers
(and booleans) are imputed (median, with a missing-value indicator) and mapped to a normal
distribution by their quantiles (heavy-tailed counts and prices become well-scaled network
inputs, as in Gorishniy et al., 2021); dates become calendar features
(:class:`DatetimeFeatures`); categories and other strings are one-hot encoded, with rare
and unseen categories grouped as "infrequent". It is scikit-learn's own
:class:`~sklearn.compose.ColumnTransformer` with :func:`~sklearn.compose.make_column_selector`,
so a fitted one is saved by :func:`sktext.save` like any scikit-learn estimator.
"""

import numpy as np
from sklearn.base import BaseEstimator, TransformerMixin, clone, is_classifier
from sklearn.compose import ColumnTransformer, make_column_selector
from sklearn.ensemble import HistGradientBoostingClassifier, HistGradientBoostingRegressor
from sklearn.impute import SimpleImputer
from sklearn.model_selection import cross_val_predict
from sklearn.pipeline import FeatureUnion, make_pipeline
from sklearn.preprocessing import OneHotEncoder, QuantileTransformer, StandardScaler

from ..utils._sklearn_compat import HasMethods, check_is_fitted, validate_data

__all__ = ["DatetimeFeatures", "OutOfFoldPredictions", "make_table_encoder"]

#: Probabilities are clipped to [EPS, 1 - EPS] before their logarithm.
EPS = 1e-6

#: Categories of a column kept apart by the one-hot encoding (the rest: "infrequent").
MAX_CATEGORIES = 32


class DatetimeFeatures(TransformerMixin, BaseEstimator):
    """Calendar features of datetime columns: the year, time and cyclical positions.

    Each column gives seven features: the time in years (``year + day of year / 365.25``,
    a trend) and the sine and cosine of the position in the year, in the week and in
    the day (so that December is next to January, and 23:00 to midnight). Missing
    values (``NaT``) give NaN features. Time zones are kept as given (local time).

    Examples
    --------
    >>> import pandas as pd
    >>> from sktext.preprocessing import DatetimeFeatures
    >>> times = pd.DataFrame({"t": pd.to_datetime(["2016-01-01 06:00", "2016-07-02 18:00"])})
    >>> DatetimeFeatures().fit_transform(times).shape
    (2, 7)
    """

    _parameter_constraints: dict = {}
    _FEATURES = ("years", "year_sin", "year_cos", "week_sin", "week_cos", "day_sin", "day_cos")

    def fit(self, X, y=None):
        """Check ``X`` (a frame of datetime columns) and record its columns.

        Parameters
        ----------
        X : pandas.DataFrame
            Datetime columns.
        y : None
            Ignored.

        Returns
        -------
        self : object
            Fitted transformer.
        """
        self._columns(X, reset=True)
        return self

    def _columns(self, X, *, reset):
        import pandas as pd

        if not isinstance(X, pd.DataFrame):
            raise TypeError(
                f"DatetimeFeatures takes a pandas DataFrame of datetime columns; got "
                f"{type(X).__name__}."
            )
        # columns by name, checked as scikit-learn checks them (no values are converted)
        validate_data(self, X, reset=reset, skip_check_array=True)
        bad = [c for c in X.columns if not pd.api.types.is_datetime64_any_dtype(X[c])]
        if bad:
            raise TypeError(f"DatetimeFeatures takes datetime columns; {bad} are not.")
        return [X[c] for c in X.columns]

    def transform(self, X):
        """Seven calendar features per datetime column.

        Parameters
        ----------
        X : pandas.DataFrame
            The datetime columns seen in ``fit``.

        Returns
        -------
        features : ndarray of shape (n_samples, 7 * n_columns)
            Float64; NaN where the time is missing.
        """
        check_is_fitted(self, "n_features_in_")
        blocks = []
        for column in self._columns(X, reset=False):
            t = column.dt
            day_of_year = t.day_of_year.to_numpy(dtype=float) - 1
            hour = t.hour.to_numpy(dtype=float) + t.minute.to_numpy(dtype=float) / 60
            weekday = t.day_of_week.to_numpy(dtype=float) + hour / 24
            years = t.year.to_numpy(dtype=float) + day_of_year / 365.25
            # the position in the year, the week and the day, in turns (fractions of one)
            positions = (day_of_year / 365.25, weekday / 7, hour / 24)
            blocks.append(years)
            for turns in positions:
                blocks.extend((np.sin(2 * np.pi * turns), np.cos(2 * np.pi * turns)))
        return np.column_stack(blocks) if blocks else np.empty((len(X), 0))

    def get_feature_names_out(self, input_features=None):
        """``<column>_<feature>`` for each column and feature.

        Parameters
        ----------
        input_features : array-like of str or None, default=None
            Ignored beyond the check; the names seen in ``fit`` are used.

        Returns
        -------
        feature_names_out : ndarray of str objects
        """
        check_is_fitted(self, "n_features_in_")
        return np.asarray(
            [f"{c}_{f}" for c in self.feature_names_in_ for f in self._FEATURES], dtype=object
        )


class OutOfFoldPredictions(TransformerMixin, BaseEstimator):
    """A model's predictions as features: out of fold on the rows it is fitted on.

    ``fit_transform(X, y)`` predicts each row with a clone of ``estimator`` fitted on the
    other folds (:func:`~sklearn.model_selection.cross_val_predict`, as scikit-learn's
    stacking estimators do) and fits ``estimator`` on all rows; ``transform`` gives the
    predictions of that last fit. A model trained downstream on these features sees, on
    its training rows, predictions as good as those it will get on new rows, never
    predictions of a model that has seen the row's target (the leak that makes a model
    used as a plain feature step over-fit; scikit-learn's ``TargetEncoder`` cross-fits for
    the same reason). ``fit`` alone fits ``estimator`` on all rows.

    Classifiers give the logarithm of their probabilities (clipped at ``1e-6``): one
    column per class, or one (the log-odds of the second class) for two classes;
    regressors give their predictions, one column per output.

    Parameters
    ----------
    estimator : estimator object
        A classifier with ``predict_proba`` or a regressor.
    cv : int, cross-validation splitter or iterable, default=5
        The folds (as in :func:`~sklearn.model_selection.cross_val_predict`: stratified
        for classifiers when an int).

    Attributes
    ----------
    estimator_ : estimator object
        ``estimator`` fitted on all rows.
    n_outputs_ : int
        Number of targets (columns of ``y``).
    n_features_in_ : int
        Number of input features.

    Examples
    --------
    >>> import numpy as np
    >>> from sklearn.linear_model import LogisticRegression
    >>> from sktext.preprocessing import OutOfFoldPredictions
    >>> X = np.arange(20.0).reshape(-1, 1)
    >>> y = (X[:, 0] > 9).astype(int)
    >>> OutOfFoldPredictions(LogisticRegression()).fit_transform(X, y).shape
    (20, 1)
    """

    _parameter_constraints: dict = {
        "estimator": [HasMethods(["fit", "predict"])],
        "cv": ["cv_object"],
    }

    def __init__(self, estimator, *, cv=5):
        self.estimator = estimator
        self.cv = cv

    def fit(self, X, y):
        """Fit ``estimator`` on all rows.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)
            Features of ``estimator``.
        y : array-like of shape (n_samples,) or (n_samples, n_outputs)
            Targets.

        Returns
        -------
        self : object
            Fitted transformer.
        """
        self._validate_params()
        validate_data(self, X, reset=True, skip_check_array=True)
        self.estimator_ = clone(self.estimator).fit(X, y)
        self.n_outputs_ = 1 if np.ndim(y) < 2 else np.shape(y)[1]
        return self

    def fit_transform(self, X, y):
        """Out-of-fold predictions of ``X``'s rows; ``estimator`` fitted on all of them.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)
            Features of ``estimator``.
        y : array-like of shape (n_samples,) or (n_samples, n_outputs)
            Targets.

        Returns
        -------
        features : ndarray of shape (n_samples, n_features_out)
            Each row predicted by a model that did not see it.
        """
        self.fit(X, y)
        method = "predict_proba" if is_classifier(self.estimator_) else "predict"
        oof = cross_val_predict(clone(self.estimator), X, y, cv=self.cv, method=method)
        return self._features(oof)

    def transform(self, X):
        """Predictions of the estimator fitted on all training rows.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)
            Features of ``estimator``.

        Returns
        -------
        features : ndarray of shape (n_samples, n_features_out)
            Log-probabilities (classifiers) or predictions (regressors).
        """
        check_is_fitted(self, "estimator_")
        validate_data(self, X, reset=False, skip_check_array=True)
        if is_classifier(self.estimator_):
            return self._features(self.estimator_.predict_proba(X))
        return self._features(self.estimator_.predict(X))

    def _features(self, values):
        values = np.asarray(values, dtype=np.float64)
        values = values.reshape(len(values), -1)
        if not is_classifier(self.estimator_):
            return values
        log = np.log(np.clip(values, EPS, 1.0))
        if log.shape[1] == 2:  # the log-odds of the second class
            return log[:, 1:] - log[:, :1]
        return log

    def get_feature_names_out(self, input_features=None):
        """``<estimator>_<class>`` (classifiers) or ``<estimator>_<output>`` names.

        Parameters
        ----------
        input_features : array-like of str or None, default=None
            Ignored.

        Returns
        -------
        feature_names_out : ndarray of str objects
        """
        check_is_fitted(self, "estimator_")
        name = type(self.estimator_).__name__.lower()
        classes = getattr(self.estimator_, "classes_", None)
        if classes is not None:
            labels = [classes[-1]] if len(classes) == 2 else list(classes)
        else:
            labels = range(self.n_outputs_)
        return np.asarray([f"{name}_{label}" for label in labels], dtype=object)


def make_table_encoder(n_samples, *, boosting=None, random_state=None):
    """The table encoder of ``tabular="auto"``, for a training table of ``n_samples`` rows.

    Parameters
    ----------
    n_samples : int
        Rows of the training table (caps the number of quantiles).
    boosting : {"classification", "regression"} or None, default=None
        Also give the out-of-fold predictions of histogram gradient boosting over the
        encoded columns (:class:`OutOfFoldPredictions`, standardized) for this kind of
        target: the trees' view of the columns, stacked inside the network. None: the
        encoded columns only.
    random_state : int or None, default=None
        Seed of the quantiles' subsample and of the gradient boosting (its early
        stopping), both drawn on tables of more than 10,000 rows.

    Returns
    -------
    encoder : sklearn.compose.ColumnTransformer or sklearn.pipeline.Pipeline
        Unfitted; dense float output; columns of other dtypes are dropped. With
        ``boosting``, a pipeline whose ``fit_transform`` needs the targets.
    """
    numbers = make_pipeline(
        SimpleImputer(strategy="median", add_indicator=True, keep_empty_features=True),
        QuantileTransformer(
            n_quantiles=max(min(1000, int(n_samples)), 2),
            output_distribution="normal",
            random_state=random_state,  # its quantiles come from a subsample of 10,000 rows
        ),
    )
    dates = make_pipeline(
        DatetimeFeatures(),
        SimpleImputer(strategy="median", add_indicator=True, keep_empty_features=True),
        StandardScaler(),
    )
    categories = make_pipeline(
        SimpleImputer(strategy="constant", fill_value="missing", keep_empty_features=True),
        OneHotEncoder(
            handle_unknown="infrequent_if_exist",
            max_categories=MAX_CATEGORIES,
            sparse_output=False,
            dtype=np.float32,
        ),
    )
    encoder = ColumnTransformer(
        [
            ("numbers", numbers, make_column_selector(dtype_include=["number", "bool"])),
            ("dates", dates, make_column_selector(dtype_include=["datetime", "datetimetz"])),
            (
                "categories",
                categories,
                make_column_selector(dtype_include=["object", "category", "string"]),
            ),
        ],
        remainder="drop",
        sparse_threshold=0.0,
    )
    if boosting is None:
        return encoder
    if boosting not in ("classification", "regression"):
        raise ValueError(
            f"boosting must be 'classification', 'regression' or None; got {boosting!r}."
        )
    trees = (
        HistGradientBoostingClassifier
        if boosting == "classification"
        else HistGradientBoostingRegressor
    )(random_state=random_state)
    return make_pipeline(
        encoder,
        FeatureUnion(
            [
                ("columns", "passthrough"),
                ("boosting", make_pipeline(OutOfFoldPredictions(trees), StandardScaler())),
            ]
        ),
    )
