"""sktext's MLPs dropped into scikit-learn code: the behaviours of issue 24, side by side
with scikit-learn's own MLPClassifier/MLPRegressor where that is the contract."""

import warnings

import pytest
from sklearn.datasets import load_iris, make_regression
from sklearn.exceptions import ConvergenceWarning
from sklearn.neural_network import MLPClassifier as SkMLPClassifier
from sklearn.neural_network import MLPRegressor as SkMLPRegressor

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
