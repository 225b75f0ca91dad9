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
from sklearn.base import BaseEstimator, TransformerMixin
from sklearn.compose import ColumnTransformer, make_column_selector
from sklearn.impute import SimpleImputer
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import OneHotEncoder, QuantileTransformer, StandardScaler

from ..utils._sklearn_compat import check_is_fitted, validate_data

__all__ = ["DatetimeFeatures", "make_table_encoder"]

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
            angles = (
                2 * np.pi * day_of_year / 365.25,
                2 * np.pi * weekday / 7,
                2 * np.pi * hour / 24,
            )
            blocks.append(years)
            for turns in angles:  # position in the year, the week, the day
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


def make_table_encoder(n_samples):
    """The table encoder of ``tabular="auto"``, for a training table of ``n_samples`` rows.

    Parameters
    ----------
    n_samples : int
        Rows of the training table (caps the number of quantiles).

    Returns
    -------
    encoder : sklearn.compose.ColumnTransformer
        Unfitted; dense float output; columns of other dtypes are dropped.
    """
    numbers = make_pipeline(
        SimpleImputer(strategy="median", add_indicator=True, keep_empty_features=True),
        QuantileTransformer(
            n_quantiles=max(min(1000, int(n_samples)), 2), output_distribution="normal"
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
    return ColumnTransformer(
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
