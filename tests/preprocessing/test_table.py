"""The table encoder of tabular="auto": calendar features, out-of-fold predictions."""

import numpy as np
import pandas as pd
import pytest
from sklearn.linear_model import LinearRegression, LogisticRegression
from sklearn.model_selection import KFold

from sktext.preprocessing import DatetimeFeatures, OutOfFoldPredictions, make_table_encoder


def _features(times):
    frame = pd.DataFrame({"t": pd.to_datetime(times)})
    names = DatetimeFeatures().fit(frame).get_feature_names_out()
    return dict(zip(names, DatetimeFeatures().fit_transform(frame).T, strict=True))


def test_datetime_features_are_positions_on_the_circle():
    f = _features(["2016-01-01 00:00", "2016-01-01 06:00", "2016-01-01 12:00"])
    # a quarter of the day: sine 1, cosine 0; half a day: sine 0, cosine -1
    np.testing.assert_allclose(f["t_day_sin"], [0, 1, 0], atol=1e-9)
    np.testing.assert_allclose(f["t_day_cos"], [1, 0, -1], atol=1e-9)
    np.testing.assert_allclose(f["t_years"][0], 2016.0)


def test_datetime_features_put_late_evening_next_to_midnight():
    f = _features(["2016-03-01 23:30", "2016-03-02 00:30", "2016-03-02 12:00"])
    day = np.column_stack([f["t_day_sin"], f["t_day_cos"]])
    near = np.linalg.norm(day[0] - day[1])
    far = np.linalg.norm(day[0] - day[2])
    assert near < 0.3 < 1.9 < far
    year = _features(["2016-01-03 12:00", "2015-12-31 12:00", "2016-07-02 12:00"])
    year = np.column_stack([year["t_year_sin"], year["t_year_cos"]])
    assert np.linalg.norm(year[0] - year[1]) < 0.1 < 1.9 < np.linalg.norm(year[0] - year[2])
    week = _features(["2016-03-07 00:00", "2016-03-13 23:00"])  # Monday, Sunday night
    assert (
        np.hypot(
            week["t_week_sin"][0] - week["t_week_sin"][1],
            week["t_week_cos"][0] - week["t_week_cos"][1],
        )
        < 0.05
    )


def test_datetime_features_missing_times_and_bad_columns():
    f = _features(["2016-01-01 06:00", None])
    assert np.isnan(f["t_day_sin"][1]) and not np.isnan(f["t_day_sin"][0])
    with pytest.raises(TypeError, match="datetime columns"):
        DatetimeFeatures().fit(pd.DataFrame({"t": ["2016-01-01"]}))
    with pytest.raises(TypeError, match="pandas DataFrame"):
        DatetimeFeatures().fit(np.zeros((2, 1)))


def test_out_of_fold_predictions_never_see_the_row():
    # a 1-nearest-neighbour memorizer: in fold its own target, out of fold a neighbour's
    rng = np.random.default_rng(0)
    X = rng.normal(size=(60, 1))
    y = rng.normal(size=60)  # noise: nothing to learn
    from sklearn.neighbors import KNeighborsRegressor

    oof = OutOfFoldPredictions(KNeighborsRegressor(n_neighbors=1), cv=KFold(5))
    out = oof.fit_transform(X, y)
    assert out.shape == (60, 1)
    assert not np.allclose(out[:, 0], y)  # out of fold: not the row's own target
    np.testing.assert_allclose(oof.transform(X)[:, 0], y)  # the refit on all rows memorizes
    assert oof.get_feature_names_out().tolist() == ["kneighborsregressor_0"]


def test_out_of_fold_predictions_of_classifiers_are_log_probabilities():
    rng = np.random.default_rng(0)
    X = rng.normal(size=(90, 2))
    y2 = np.where(X[:, 0] > 0, "b", "a")
    oof = OutOfFoldPredictions(LogisticRegression())
    log_odds = oof.fit(X, y2).transform(X)
    proba = oof.estimator_.predict_proba(X)
    assert log_odds.shape == (90, 1)
    np.testing.assert_allclose(log_odds[:, 0], np.log(proba[:, 1] / proba[:, 0]), rtol=1e-6)
    assert oof.get_feature_names_out().tolist() == ["logisticregression_b"]
    y3 = np.array(["a", "b", "c"])[np.digitize(X[:, 0], [-0.5, 0.5])]
    out = OutOfFoldPredictions(LogisticRegression()).fit_transform(X, y3)
    assert out.shape == (90, 3)
    np.testing.assert_allclose(np.exp(out).sum(axis=1), 1.0, rtol=1e-4)
    assert (out <= 0).all() and (out >= np.log(1e-6) - 1e-9).all()


def test_table_encoder_with_boosting_stacks_out_of_fold_predictions():
    rng = np.random.default_rng(0)
    n = 300
    frame = pd.DataFrame(
        {
            "count": rng.poisson(3, n).astype(float),
            "app": rng.choice(["web", "android", "iphone"], n),
        }
    )
    y = np.where((frame["app"] == "web") ^ (frame["count"] > 3), "x", "y")
    plain = make_table_encoder(n).fit_transform(frame)
    stacked = make_table_encoder(n, boosting="classification", random_state=0).fit_transform(
        frame, y
    )
    assert stacked.shape == (n, plain.shape[1] + 1)
    np.testing.assert_allclose(stacked[:, : plain.shape[1]], plain)
    # the interaction that a linear branch cannot draw is in the trees' column
    trees = stacked[:, -1]
    assert abs(np.corrcoef(trees, y == "y")[0, 1]) > 0.9
    with pytest.raises(ValueError, match="boosting must be"):
        make_table_encoder(n, boosting="ranking")
    regression = make_table_encoder(n, boosting="regression").fit_transform(frame, frame["count"])
    assert regression.shape == (n, plain.shape[1] + 1)


def test_out_of_fold_predictions_of_regressors_have_one_column_per_output():
    rng = np.random.default_rng(0)
    X = rng.normal(size=(50, 3))
    Y = X @ rng.normal(size=(3, 2))
    oof = OutOfFoldPredictions(LinearRegression())
    out = oof.fit_transform(X, Y)
    assert out.shape == (50, 2)
    np.testing.assert_allclose(out, Y, atol=1e-8)  # exact linear targets: every fold finds them
    assert oof.get_feature_names_out().tolist() == [
        "linearregression_0",
        "linearregression_1",
    ]
