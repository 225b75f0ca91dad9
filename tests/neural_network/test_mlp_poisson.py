"""MLPRegressor(loss="poisson") side by side with scikit-learn's (>= 1.7, issue 24)."""

import warnings

import numpy as np
import pytest
from sklearn.exceptions import ConvergenceWarning
from sklearn.metrics import d2_tweedie_score, mean_poisson_deviance
from sklearn.neural_network import MLPRegressor as SkMLPRegressor
from sklearn.neural_network._base import LOSS_FUNCTIONS
from sklearn.utils._param_validation import InvalidParameterError

import sktext
from sktext import MLPRegressor

pytestmark = pytest.mark.usefixtures("one_torch_thread")  # tests/conftest.py

if "loss" not in SkMLPRegressor().get_params():  # scikit-learn < 1.7
    pytest.skip("scikit-learn's MLPRegressor has no loss parameter", allow_module_level=True)


def _fit(est, X, y):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        return est.fit(X, y)


@pytest.fixture(scope="module")
def counts():
    rng = np.random.RandomState(0)
    w = rng.randn(5) * 0.4
    X = rng.randn(900, 5)
    y = rng.poisson(np.exp(X @ w + 0.5)).astype(float)
    return X[:600], y[:600], X[600:], y[600:]


@pytest.fixture(scope="module")
def fitted(counts):
    X, y, _, _ = counts
    params = dict(loss="poisson", hidden_layer_sizes=(20,), max_iter=200, random_state=0)
    return _fit(MLPRegressor(**params), X, y), _fit(SkMLPRegressor(**params), X, y)


def test_poisson_scores_as_sklearns(counts, fitted):
    # a log link (exp output) trained on the half Poisson deviance: positive predictions
    # and held-out scores in scikit-learn's range (sklearn: D² 0.624, deviance 1.16;
    # the same network trained on the squared error with an identity output: D² < 0.45)
    _, _, X_test, y_test = counts
    reg, sk = fitted
    assert reg.out_activation_ == sk.out_activation_ == "exp"
    pred, sk_pred = reg.predict(X_test), sk.predict(X_test)
    assert pred.shape == sk_pred.shape == y_test.shape
    assert pred.min() > 0
    d2, sk_d2 = d2_tweedie_score(y_test, pred, power=1), d2_tweedie_score(y_test, sk_pred, power=1)
    assert sk_d2 > 0.55
    assert abs(d2 - sk_d2) < 0.05, (d2, sk_d2)
    dev, sk_dev = mean_poisson_deviance(y_test, pred), mean_poisson_deviance(y_test, sk_pred)
    assert dev < 1.1 * sk_dev, (dev, sk_dev)
    # the training loss is the half deviance, on scikit-learn's scale
    assert abs(reg.loss_ - sk.loss_) < 0.05 * sk.loss_, (reg.loss_, sk.loss_)
    # score stays R², as scikit-learn's
    assert reg.score(X_test, y_test) == pytest.approx(
        1 - ((y_test - pred) ** 2).sum() / ((y_test - y_test.mean()) ** 2).sum()
    )


@pytest.mark.parametrize("n_outputs", [1, 2])
@pytest.mark.parametrize("loss", ["poisson", "squared_error"])
def test_loss_is_sklearns_at_the_same_weights(counts, loss, n_outputs):
    # sklearn's weights copied into sktext's network: one full-batch epoch with a
    # vanishing step reports the loss at those weights, which must be scikit-learn's:
    # poisson_loss (the half deviance, summed over the outputs, mean over samples) or
    # squared_loss (half the squared error, mean over samples and outputs)
    X, y, _, _ = counts
    Y = y if n_outputs == 1 else np.column_stack([y, y[::-1] + 1.0])
    params = dict(loss=loss, hidden_layer_sizes=(7,), alpha=0.0, random_state=0)
    sk = _fit(SkMLPRegressor(max_iter=20, **params), X, Y)
    reg = _fit(
        MLPRegressor(
            dtype="float64",  # scikit-learn's arithmetic, to float64's rounding
            max_iter=1,
            solver="sgd",
            learning_rate_init=1e-12,
            momentum=0.0,
            batch_size=len(X),
            shuffle=False,
            **params,
        ),
        X,
        Y,
    )
    reg.coefs_, reg.intercepts_ = sk.coefs_, sk.intercepts_
    np.testing.assert_allclose(reg.predict(X), sk.predict(X), rtol=1e-10)
    reg.partial_fit(X, Y)
    expected = LOSS_FUNCTIONS[loss](Y.reshape(len(X), -1), sk.predict(X).reshape(len(X), -1))
    assert reg.loss_curve_[-1] == pytest.approx(expected, rel=1e-8)


def test_negative_y_refused(counts):
    # scikit-learn's MLPRegressor fits a NaN loss; sktext refuses, as sklearn's
    # PoissonRegressor does
    X, y, _, _ = counts
    y = y.copy()
    y[3] = -0.5
    with pytest.raises(ValueError, match=r'loss="poisson" needs y >= 0.*-0\.5'):
        MLPRegressor(loss="poisson", max_iter=1).fit(X, y)
    # the squared error takes any y
    _fit(MLPRegressor(max_iter=1), X, y)
    # zeros are valid counts
    reg = _fit(MLPRegressor(loss="poisson", max_iter=2, random_state=0), X, np.zeros(len(X)))
    assert reg.predict(X[:3]).min() > 0


def test_squared_error_unchanged(counts):
    X, y, _, _ = counts
    default = _fit(MLPRegressor(max_iter=5, random_state=0), X, y)
    squared = _fit(MLPRegressor(loss="squared_error", max_iter=5, random_state=0), X, y)
    assert default.loss == "squared_error"
    assert squared.out_activation_ == "identity"
    assert squared.loss_curve_ == default.loss_curve_
    np.testing.assert_array_equal(squared.predict(X), default.predict(X))


def test_signature_as_sklearns():
    # scikit-learn >= 1.7: ``loss`` is the first parameter
    assert list(MLPRegressor().get_params()).count("loss") == 1
    assert MLPRegressor("poisson").loss == "poisson"


def test_invalid_loss_refused(counts):
    X, y, _, _ = counts
    with pytest.raises(InvalidParameterError, match="'loss' parameter"):
        MLPRegressor(loss="absolute_error", max_iter=1).fit(X, y)


def test_poisson_targets_never_standardized(counts):
    # a regressor that standardizes its targets (as the text regressors do) must not
    # with a log link: standardized counts are negative
    X, y, X_test, _ = counts

    class Standardizing(MLPRegressor):
        _standardize_targets = True

    reg = _fit(Standardizing(loss="poisson", max_iter=3, random_state=0), X, y)
    assert reg.target_scale_ is None
    assert _fit(Standardizing(max_iter=1), X, y).target_scale_ is not None


def test_to_sklearn_and_persistence(counts, fitted, tmp_path):
    _, _, X_test, _ = counts
    reg, _ = fitted
    sk = reg.to_sklearn()
    assert sk.loss == "poisson" and sk.out_activation_ == "exp"
    # the same weights; scikit-learn computes in float64, the network in float32
    np.testing.assert_allclose(sk.predict(X_test), reg.predict(X_test), rtol=1e-5)
    path = tmp_path / "poisson.sktext"
    sktext.save(reg, path)
    loaded = sktext.load(path)
    assert loaded.loss == "poisson" and loaded.out_activation_ == "exp"
    np.testing.assert_array_equal(loaded.predict(X_test), reg.predict(X_test))
