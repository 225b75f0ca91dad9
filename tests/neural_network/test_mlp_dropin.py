"""sktext's MLPs dropped into scikit-learn code: the behaviours of issue 24, side by side
with scikit-learn's own MLPClassifier/MLPRegressor where that is the contract."""

import warnings

import numpy as np
import pytest
import scipy.sparse as sp
from sklearn.datasets import load_digits, load_iris, make_regression
from sklearn.exceptions import ConvergenceWarning
from sklearn.neural_network import MLPClassifier as SkMLPClassifier
from sklearn.neural_network import MLPRegressor as SkMLPRegressor
from sklearn.preprocessing import MinMaxScaler, scale

from sktext import MLPClassifier, MLPRegressor


def _fit(est, X, y, **kwargs):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        return est.fit(X, y, **kwargs)


@pytest.fixture(scope="module")
def iris():
    return load_iris(return_X_y=True)


def test_lbfgs_line_search_reaches_sklearns_training_scores(iris):
    # a line search without tries turned every rejected unit step into a step of 0:
    # the loss froze after a few iterations (R² 0.152, Iris accuracy 0.947)
    X, Y = make_regression(n_samples=200, n_targets=5, random_state=11)
    params = dict(solver="lbfgs", hidden_layer_sizes=50, max_iter=200, tol=1e-2, random_state=1)
    theirs = _fit(SkMLPRegressor(**params), X, Y).score(X, Y)
    ours = _fit(MLPRegressor(**params), X, Y).score(X, Y)
    assert theirs > 0.999
    assert ours > theirs - 1e-3

    X, y = iris
    theirs = _fit(SkMLPClassifier(solver="lbfgs", random_state=1), X, y).score(X, y)
    ours = _fit(MLPClassifier(solver="lbfgs", random_state=1), X, y).score(X, y)
    assert ours >= theirs - 1e-9


@pytest.mark.parametrize(
    "Ours, Theirs", [(MLPClassifier, SkMLPClassifier), (MLPRegressor, SkMLPRegressor)]
)
def test_n_iter_counts_the_epochs_of_the_last_call_like_sklearn(iris, Ours, Theirs):
    X, y = iris
    counts = {}
    for cls in (Ours, Theirs):
        est = cls(hidden_layer_sizes=(8,), max_iter=10, tol=0.0, warm_start=True, random_state=0)
        seen = [_fit(est, X, y).n_iter_]
        seen.append(_fit(est.set_params(max_iter=20), X, y).n_iter_)
        seen.append(est.partial_fit(X, y).n_iter_)
        seen.append(len(est.loss_curve_))
        seen.append(est.t_)
        counts[cls] = seen
    assert counts[Ours] == counts[Theirs] == [10, 20, 1, 31, 31 * len(y)]


@pytest.mark.parametrize("change", ["subset", "other", "superset"])
def test_warm_start_onto_other_classes_raises_like_sklearn(iris, change):
    X, y = iris
    first = y < 2 if change == "superset" else np.ones(len(y), bool)
    y2 = y[y < 2] if change == "subset" else np.where(y == 2, 3, y) if change == "other" else y
    X2 = X[y < 2] if change == "subset" else X
    for cls in (MLPClassifier, SkMLPClassifier):
        est = cls(hidden_layer_sizes=(8,), max_iter=3, warm_start=True, random_state=0)
        _fit(est, X[first], y[first])
        with pytest.raises(ValueError, match="warm_start can only be used where `y` has the sam"):
            est.fit(X2, y2)
        np.testing.assert_array_equal(est.classes_, np.unique(y[first]))
    # partial_fit keeps accepting a subset of the classes, as scikit-learn's does
    est = _fit(MLPClassifier(hidden_layer_sizes=(8,), max_iter=3, random_state=0), X, y)
    est.partial_fit(X[y < 2], y[y < 2])
    assert len(est.loss_curve_) == 4


@pytest.mark.parametrize("fit_dtype", [np.float64, np.float32])
@pytest.mark.parametrize("predict_dtype", [np.float64, np.float32, "sparse32", "list"])
def test_output_dtype_like_sklearn(iris, fit_dtype, predict_dtype):
    # float32 outputs when both the input and the fitted weights are float32
    X, y = iris
    if predict_dtype == "sparse32":
        X_new = sp.csr_matrix(X, dtype=np.float32)
    elif predict_dtype == "list":
        X_new = X.tolist()
    else:
        X_new = X.astype(predict_dtype)
    X_fit = X.astype(fit_dtype)
    for ours, theirs in [(MLPClassifier, SkMLPClassifier), (MLPRegressor, SkMLPRegressor)]:
        dtypes = []
        for cls in (ours, theirs):
            est = _fit(cls(hidden_layer_sizes=(4,), max_iter=2, random_state=0), X_fit, y)
            outputs = [est.predict(X_new)]
            if hasattr(est, "predict_proba"):
                outputs += [est.predict_proba(X_new), est.predict_log_proba(X_new)]
                outputs[0] = outputs[1]  # labels keep the classes' dtype
            dtypes.append([o.dtype for o in outputs])
        assert dtypes[0] == dtypes[1]
    expected = np.float32 if fit_dtype == np.float32 and predict_dtype != "list" else np.float64
    expected = expected if predict_dtype != np.float64 else np.float64
    assert dtypes[0][0] == expected


@pytest.mark.parametrize(
    "Ours, Theirs", [(MLPClassifier, SkMLPClassifier), (MLPRegressor, SkMLPRegressor)]
)
def test_edits_of_coefs_and_intercepts_reach_the_network_like_sklearn(iris, Ours, Theirs):
    # pruning by hand, as people do with scikit-learn's: the predictions follow the edit
    X, y = iris
    outputs = {}
    for cls in (Ours, Theirs):
        est = _fit(cls(hidden_layer_sizes=(6,), max_iter=20, random_state=0), X, y)
        predict = getattr(est, "predict_proba", est.predict)
        before = predict(X)
        est.coefs_[1][:] = 0
        est.intercepts_[1][:] = np.arange(est.intercepts_[1].size)
        outputs[cls] = before, predict(X)
    ours, theirs = outputs[Ours], outputs[Theirs]
    assert not np.allclose(ours[0], ours[1])
    # the last layer now gives its intercepts whatever X: the same outputs as scikit-learn's
    np.testing.assert_allclose(ours[1], theirs[1], rtol=1e-6)


def test_assigning_coefs_and_intercepts_copies_them_into_the_network(iris):
    X, y = iris
    reg = MLPRegressor(hidden_layer_sizes=(6,), max_iter=5, random_state=0, dtype="float64")
    reg = _fit(reg, X, y)
    sk = SkMLPRegressor(hidden_layer_sizes=(6,), max_iter=5, random_state=1)
    _fit(sk, X, y)
    reg.coefs_, reg.intercepts_ = sk.coefs_, sk.intercepts_
    np.testing.assert_allclose(reg.predict(X), sk.predict(X), rtol=1e-10)
    with pytest.raises(ValueError, match=r"coefs_\[1\] must have shape \(6, 1\), got \(1, 6\)"):
        reg.coefs_ = [sk.coefs_[0], sk.coefs_[1].T]
    with pytest.raises(ValueError, match="intercepts_ needs 2 arrays, got 1"):
        reg.intercepts_ = sk.intercepts_[:1]
    np.testing.assert_allclose(reg.predict(X), sk.predict(X), rtol=1e-10)


def test_early_stopping_with_a_class_of_one_sample_raises_like_sklearn(iris):
    # a binary y: scikit-learn's stratified split refuses a class of one sample
    X, y = iris
    X, y = X[:51], y[:51]  # 50 samples of class 0, one of class 1
    for cls in (MLPClassifier, SkMLPClassifier):
        with pytest.raises(ValueError, match="only 1 member|at least 2 samples of each class"):
            cls(early_stopping=True, max_iter=3).fit(X, y)
    with pytest.raises(ValueError, match=r"fewer of class\(es\) \[1\]\. Add samples"):
        MLPClassifier(early_stopping=True, max_iter=3).fit(X, y)
    # more classes: scikit-learn never stratifies them and fits; so does sktext
    y3 = np.r_[np.zeros(25), np.ones(25), [2]]
    for cls in (MLPClassifier, SkMLPClassifier):
        est = _fit(cls(early_stopping=True, max_iter=3, random_state=0), X, y3)
        assert len(est.validation_scores_) == 3


def test_partial_fit_hidden_with_lbfgs_like_sklearn():
    assert not hasattr(SkMLPClassifier(solver="lbfgs"), "partial_fit")
    for cls in (MLPClassifier, MLPRegressor):
        assert not hasattr(cls(solver="lbfgs"), "partial_fit")
        assert hasattr(cls(solver="sgd"), "partial_fit") and hasattr(cls(), "partial_fit")
        with pytest.raises(AttributeError, match="has no attribute 'partial_fit'") as info:
            _ = cls(solver="lbfgs").partial_fit
        assert "only available for stochastic optimizers" in str(info.value.__cause__)
    # the shared docstrings still name X's type
    assert "X : {array-like, sparse matrix}" in MLPClassifier.partial_fit.__doc__


def test_regressor_loss_curve_includes_the_l2_term_like_sklearn(iris):
    # sktext's loss at scikit-learn's weights is scikit-learn's loss, L2 term included
    X, y = iris
    kw = dict(hidden_layer_sizes=(5,), solver="sgd", momentum=0.0, batch_size=len(y))
    kw.update(shuffle=False, alpha=5.0, learning_rate_init=1e-12, max_iter=1, random_state=0)
    theirs = _fit(SkMLPRegressor(**kw), X, y)
    ours = _fit(MLPRegressor(warm_start=True, dtype="float64", **kw), X, y)
    ours.coefs_, ours.intercepts_ = theirs.coefs_, theirs.intercepts_
    _fit(ours, X, y)
    assert ours.loss_curve_[-1] == pytest.approx(theirs.loss_curve_[0], rel=1e-9)
    without_l2 = _fit(SkMLPRegressor(**{**kw, "alpha": 0.0}), X, y).loss_curve_[0]
    assert theirs.loss_curve_[0] > without_l2 + 0.05


# ------------------------------------------- ported from scikit-learn's own MLP tests
# (sklearn/neural_network/tests/test_mlp.py, 1.9), run on both libraries side by side


@pytest.mark.parametrize("Ours, Theirs", [(MLPClassifier, SkMLPClassifier)])
def test_n_iter_no_change_inf_runs_every_epoch_like_sklearn(iris, Ours, Theirs):
    # test_n_iter_no_change_inf: a tolerance no epoch meets never stops training
    X, y = iris
    for cls in (Ours, Theirs):
        est = cls(tol=1e9, max_iter=15, solver="sgd", n_iter_no_change=np.inf, random_state=0)
        assert _fit(est, X, y).n_iter_ == 15


def test_tolerance_stops_before_max_iter_like_sklearn():
    # test_tolerance: the training-loss rule ends the fit long before max_iter
    X, y = [[3, 2], [1, 6]], [1, 0]
    for cls in (MLPClassifier, SkMLPClassifier):
        est = cls(tol=0.5, max_iter=3000, solver="sgd", random_state=0).fit(X, y)
        assert est.n_iter_ < est.max_iter


@pytest.mark.parametrize(
    "Ours, Theirs", [(MLPClassifier, SkMLPClassifier), (MLPRegressor, SkMLPRegressor)]
)
def test_warm_start_with_early_stopping_keeps_the_scores_like_sklearn(iris, Ours, Theirs):
    # test_mlp_warm_start_with_early_stopping: the validation scores of a warm-started
    # fit are added to those of the first fit
    X, y = iris
    lengths = {}
    for cls in (Ours, Theirs):
        est = cls(max_iter=10, random_state=0, warm_start=True, early_stopping=True)
        first = len(_fit(est, X, y).validation_scores_)
        est.set_params(max_iter=20)
        lengths[cls] = first, len(_fit(est, X, y).validation_scores_)
    for first, total in lengths.values():  # when the rule stops depends on the trajectory
        assert first < total <= first + 20


@pytest.mark.parametrize("solver", ["sgd", "adam"])
@pytest.mark.parametrize(
    "Ours, Theirs", [(MLPClassifier, SkMLPClassifier), (MLPRegressor, SkMLPRegressor)]
)
def test_warm_start_without_convergence_like_sklearn(iris, Ours, Theirs, solver):
    # test_mlp_warm_start_no_convergence: each warm-started fit stops at its max_iter,
    # warns, and n_iter_ is that fit's epochs
    X, y = iris
    for cls in (Ours, Theirs):
        est = cls(
            solver=solver, warm_start=True, max_iter=10, n_iter_no_change=np.inf, random_state=0
        )
        with pytest.warns(ConvergenceWarning):
            est.fit(X, y)
        assert est.n_iter_ == 10
        est.set_params(max_iter=20)
        with pytest.warns(ConvergenceWarning):
            est.fit(X, y)
        assert est.n_iter_ == 20


@pytest.mark.parametrize(
    "Ours, Theirs", [(MLPClassifier, SkMLPClassifier), (MLPRegressor, SkMLPRegressor)]
)
def test_partial_fit_after_fit_with_early_stopping_raises_like_sklearn(iris, Ours, Theirs):
    # test_mlp_partial_fit_after_fit
    X, y = iris
    for cls in (Ours, Theirs):
        est = _fit(cls(early_stopping=True, max_iter=5, random_state=0), X, y)
        with pytest.raises(ValueError, match="partial_fit does not support early_stopping=True"):
            est.partial_fit(X, y)
    # the estimator is left as it was
    assert est.n_iter_ == len(est.loss_curve_)


def test_diverging_loss_raises_where_sklearn_records_nan(iris):
    # test_mlp_diverging_loss: scikit-learn ends such a fit with NaN validation scores;
    # sktext raises (a deliberate difference: a diverged model must not look fitted)
    X, y = iris
    params = dict(
        hidden_layer_sizes=100,
        activation="identity",
        solver="sgd",
        learning_rate_init=1,
        max_iter=20,
        early_stopping=True,
        random_state=0,
    )
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        theirs = _fit(SkMLPRegressor(**params), X, y)
    assert np.isnan(theirs.validation_scores_[-1])
    ours = MLPRegressor(**params)
    with pytest.raises(ValueError, match="diverged|non-finite"):
        _fit(ours, X, y)
    assert not hasattr(ours, "coefs_")


@pytest.mark.parametrize("Ours, Theirs", [(MLPRegressor, SkMLPRegressor)])
def test_values_beyond_float32_are_a_clear_error(Ours, Theirs):
    # test_nonfinite_params: scikit-learn's float64 training overflows and raises; the
    # float32 network refuses the input it cannot hold, and dtype="float64" trains to
    # scikit-learn's error
    rng = np.random.RandomState(0)
    X = np.finfo(np.float64).max * rng.uniform(size=(10, 2))
    y = rng.standard_normal(size=10)
    with pytest.raises(ValueError, match="non-finite parameter weights"):
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", RuntimeWarning)
            Theirs().fit(X, y)
    with pytest.raises(ValueError, match="beyond the range of float32"):
        Ours().fit(X, y)
    with pytest.raises(ValueError, match="beyond the range of float32"):
        Ours().fit(sp.csr_matrix(X), y)
    with pytest.raises(ValueError, match="diverged|non-finite"):
        Ours(dtype="float64").fit(X, y)
    # and at prediction time
    fitted = _fit(Ours(max_iter=2), X[:, :1] * 0 + 1.0, y)
    with pytest.raises(ValueError, match="beyond the range of float32"):
        fitted.predict(X[:, :1])


# ---- scikit-learn's own MLP tests (sklearn/neural_network/tests/test_mlp.py), on sktext's
ACTIVATIONS = ["identity", "logistic", "tanh", "relu"]


@pytest.mark.parametrize("n_class", [2, 3])
@pytest.mark.parametrize("activation", ACTIVATIONS)
def test_lbfgs_classification_of_sklearns_tests(n_class, activation):
    # test_lbfgs_classification: above 0.95 training accuracy on the digits, every activation
    X, y = load_digits(n_class=n_class, return_X_y=True)
    X, y = MinMaxScaler().fit_transform(X[:200]), y[:200]
    params = dict(solver="lbfgs", hidden_layer_sizes=50, max_iter=150, random_state=1)
    mlp = _fit(MLPClassifier(activation=activation, **params), X[:150], y[:150])
    assert mlp.score(X[:150], y[:150]) > 0.95
    predicted = mlp.predict(X[150:])
    assert predicted.shape == (50,) and predicted.dtype.kind == y.dtype.kind


@pytest.mark.parametrize("activation", ACTIVATIONS)
def test_lbfgs_regression_of_sklearns_tests(activation):
    # test_lbfgs_regression: a linear bottleneck above 0.80 R², the others above 0.98
    X, y = make_regression(n_samples=200, n_features=10, bias=20.0, noise=100.0, random_state=7)
    y = scale(y)
    params = dict(solver="lbfgs", hidden_layer_sizes=50, max_iter=200, tol=1e-3, random_state=1)
    mlp = _fit(MLPRegressor(activation=activation, **params), X, y)
    assert mlp.score(X, y) > (0.80 if activation == "identity" else 0.98)


@pytest.mark.parametrize("learning_rate", ["invscaling", "constant"])
def test_learning_rate_continues_on_warm_start_of_sklearns_tests(learning_rate):
    # test_learning_rate_warmstart: the invscaling schedule goes on counting the samples
    # seen across warm-started fits (2 fits of one epoch on 4 samples: t = 8)
    X, y = [[3, 2], [1, 6], [5, 6], [-2, -4]], [1, 1, 1, 0]
    mlp = MLPClassifier(
        solver="sgd",
        hidden_layer_sizes=4,
        learning_rate=learning_rate,
        max_iter=1,
        power_t=0.25,
        warm_start=True,
    )
    before = _fit(mlp, X, y).net_.optimizer_.param_groups[0]["lr"]
    after = _fit(mlp, X, y).net_.optimizer_.param_groups[0]["lr"]
    if learning_rate == "constant":
        assert after == before == mlp.learning_rate_init
    else:
        assert after == pytest.approx(mlp.learning_rate_init / (8 + 1) ** mlp.power_t)
        assert before > after


def test_partial_fit_unseen_classes_of_sklearns_tests():
    # test_partial_fit_unseen_classes (scikit-learn's bug 6994): a class announced in
    # ``classes`` and first seen in a later call
    clf = MLPClassifier(random_state=0)
    clf.partial_fit([[1], [2], [3]], ["a", "b", "c"], classes=["a", "b", "c", "d"])
    clf.partial_fit([[4]], ["d"])
    assert clf.score([[1], [2], [3], [4]], ["a", "b", "c", "d"]) > 0
    with pytest.raises(ValueError, match="not seen before: \\['e'\\]"):  # not announced
        clf.partial_fit([[5]], ["e"])
