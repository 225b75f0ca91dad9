"""Every target: regression, multi-output, multi-label; document vectors; your own module.

The strong checks compare against closed forms or scikit-learn's linear models: an MLP
without hidden layers trained to convergence by L-BFGS is a linear model, so its solution
is the least-squares (or ridge, or weighted least-squares) one for the squared loss and the
per-label logistic regression for the multi-label loss.
"""

import pickle
import warnings

import numpy as np
import pytest
import scipy.sparse as sp
import torch
from sklearn.base import clone
from sklearn.exceptions import ConvergenceWarning
from sklearn.linear_model import LinearRegression, LogisticRegression, Ridge
from sklearn.model_selection import GridSearchCV

from sktext import (
    LSTMClassifier,
    LSTMRegressor,
    MLPClassifier,
    MLPRegressor,
    NeuralTextClassifier,
    NeuralTextRegressor,
    TextCNNClassifier,
    TextCNNRegressor,
)
from sktext.neural_network._custom import MeanEmbeddingModule
from sktext.utils._testing import make_topic_corpus

pytestmark = pytest.mark.filterwarnings("ignore::sklearn.exceptions.ConvergenceWarning")


def _linear_data(n=120, d=5, outputs=1, seed=0):
    rng = np.random.RandomState(seed)
    X = rng.normal(size=(n, d))
    W = rng.normal(size=(d, outputs))
    Y = X @ W + 0.5 + 0.3 * rng.normal(size=(n, outputs))
    return X, (Y.ravel() if outputs == 1 else Y)


def _linear_mlp(cls, **params):
    """An MLP without hidden layers, trained by L-BFGS to convergence: a linear model
    (in float64, so that the optimum is reached to the 1e-6 the closed forms are met to)."""
    return cls(
        dtype="float64",
        hidden_layer_sizes=(),
        solver="lbfgs",
        alpha=0.0,
        max_iter=500,
        tol=0.0,
        n_iter_no_change=10**6,
        random_state=0,
        **params,
    )


def _linear_coefs(model):
    return model.coefs_[0], model.intercepts_[0]


# ------------------------------------------------------------------ MLPRegressor
@pytest.mark.parametrize("sparse", [False, True])
def test_mlp_regressor_without_hidden_layers_is_least_squares(sparse):
    X, y = _linear_data()
    Xfit = sp.csr_matrix(X) if sparse else X
    reg = _linear_mlp(MLPRegressor).fit(Xfit, y)
    ols = LinearRegression().fit(X, y)
    coef, intercept = _linear_coefs(reg)
    np.testing.assert_allclose(coef.ravel(), ols.coef_, atol=1e-6)
    np.testing.assert_allclose(intercept, [ols.intercept_], atol=1e-6)
    np.testing.assert_allclose(reg.predict(Xfit), ols.predict(X), atol=1e-6)
    # the loss is scikit-learn's squared loss, 0.5 * mean squared error
    np.testing.assert_allclose(reg.loss_, 0.5 * np.mean((ols.predict(X) - y) ** 2), rtol=1e-6)
    assert reg.out_activation_ == "identity" and reg.n_outputs_ == 1


def test_mlp_regressor_sample_weight_is_weighted_least_squares():
    X, y = _linear_data(seed=1)
    w = np.random.RandomState(2).randint(0, 4, size=len(y)).astype(float)
    reg = _linear_mlp(MLPRegressor).fit(X, y, sample_weight=w)
    wls = LinearRegression().fit(X, y, sample_weight=w)
    np.testing.assert_allclose(_linear_coefs(reg)[0].ravel(), wls.coef_, atol=1e-6)


@pytest.mark.parametrize("sparse", [False, True])
def test_mlp_regressor_alpha_is_ridge(sparse):
    # scikit-learn's penalty 0.5 * alpha * ||W||^2 / n_samples on the mean squared loss is
    # Ridge(alpha) on the summed squared loss, the intercept unpenalized
    X, y = _linear_data(seed=3)
    Xfit = sp.csr_matrix(X) if sparse else X
    reg = _linear_mlp(MLPRegressor).set_params(alpha=25.0).fit(Xfit, y)
    ridge = Ridge(alpha=25.0).fit(X, y)
    np.testing.assert_allclose(_linear_coefs(reg)[0].ravel(), ridge.coef_, atol=1e-6)
    unpenalized = LinearRegression().fit(X, y)
    assert np.abs(ridge.coef_ - unpenalized.coef_).max() > 1e-2  # the penalty matters here


def test_mlp_regressor_multi_output():
    X, Y = _linear_data(outputs=3, seed=4)
    reg = _linear_mlp(MLPRegressor).fit(X, Y)
    ols = LinearRegression().fit(X, Y)
    assert reg.predict(X).shape == (len(X), 3) and reg.n_outputs_ == 3
    np.testing.assert_allclose(reg.predict(X), ols.predict(X), atol=1e-6)
    # a single column predicts a 1-d array, as scikit-learn's
    single = clone(reg).fit(X, Y[:, :1])
    assert single.predict(X).shape == (len(X),)


def test_mlp_regressor_matches_sklearn_fit_on_sparse_tfidf_like_input():
    from sklearn.neural_network import MLPRegressor as SkMLPRegressor

    rng = np.random.RandomState(0)
    X = sp.random(400, 300, density=0.03, random_state=rng, format="csr", dtype=np.float64)
    y = np.asarray(X @ rng.normal(size=300)).ravel()
    y = (y - y.mean()) / y.std()
    ours = MLPRegressor(hidden_layer_sizes=(32,), max_iter=60, random_state=0).fit(X, y)
    theirs = SkMLPRegressor(hidden_layer_sizes=(32,), max_iter=60, random_state=0).fit(X, y)
    assert ours.score(X, y) > 0.9 and abs(ours.score(X, y) - theirs.score(X, y)) < 0.05


def test_mlp_regressor_early_stopping_scores_are_r2():
    X, y = _linear_data(n=600, seed=5)
    reg = MLPRegressor(
        hidden_layer_sizes=(16,),
        early_stopping=True,
        learning_rate_init=0.01,
        max_iter=60,
        random_state=0,
    ).fit(X[:300], y[:300])
    assert reg.validation_scores_ is not None and reg.best_loss_ is None
    # the best validation score is the R² of the restored model on held-out data, so fresh
    # data of the same distribution scores about the same (an accuracy or a loss would not)
    assert 0.8 < reg.best_validation_score_ <= 1.0
    assert abs(reg.score(X[300:], y[300:]) - reg.best_validation_score_) < 0.05


@pytest.mark.parametrize(
    "y, message",
    [
        (np.r_[np.nan, np.ones(9)], "NaN"),
        (np.r_[np.inf, np.ones(9)], "infinity"),
        (np.array(["a", "b"] * 5), "numeric targets"),
        (np.ones((10, 2, 2)), "1d or 2d"),
        (sp.csr_matrix(np.ones((10, 2))), "sparse y"),
    ],
)
def test_mlp_regressor_rejects_bad_targets(y, message):
    X = np.random.RandomState(0).normal(size=(10, 3))
    with pytest.raises(ValueError, match=message):
        MLPRegressor(max_iter=2).fit(X, y)


def test_mlp_regressor_partial_fit_and_output_count():
    X, y = _linear_data(seed=6)
    reg = MLPRegressor(hidden_layer_sizes=(8,), random_state=0)
    reg.partial_fit(X, y)
    reg.partial_fit(X, y)
    assert reg.n_iter_ == 1 and len(reg.loss_curve_) == 2 and reg.t_ == 2 * len(X)
    with pytest.raises(ValueError, match="fitted on 1"):
        reg.partial_fit(X, np.c_[y, y])


# ------------------------------------------------------------------ dtype
def test_mlp_computes_in_its_dtype_whatever_the_input():
    X, y = _linear_data(seed=7)
    reg = MLPRegressor(hidden_layer_sizes=(4,), max_iter=3, random_state=0).fit(X, y)
    reg32 = clone(reg).fit(X.astype(np.float32), y)
    reg64 = clone(reg).set_params(dtype="float64").fit(X.astype(np.float32), y)
    assert reg.coefs_[0].dtype == reg32.coefs_[0].dtype == np.float32
    assert reg64.coefs_[0].dtype == np.float64
    # later inputs are computed in the fitted model's precision
    np.testing.assert_allclose(
        reg64.predict(X.astype(np.float32)), reg64.predict(X), rtol=1e-6, atol=1e-6
    )
    # outputs in scikit-learn's dtype: float32 only for float32 in and float32 fitted on
    assert reg32.predict(X).dtype == reg.predict(X.astype(np.float32)).dtype == np.float64
    assert reg32.predict(X.astype(np.float32)).dtype == np.float32


# ------------------------------------------------------------------ multi-label
def _multilabel_data(n=300, d=6, labels=3, seed=0):
    rng = np.random.RandomState(seed)
    X = rng.normal(size=(n, d))
    logits = X @ rng.normal(size=(d, labels)) + rng.logistic(size=(n, labels))
    return X, (logits > 0).astype(int)


@pytest.mark.parametrize("sparse", [False, True])
def test_multilabel_mlp_without_hidden_layers_is_one_logistic_regression_per_label(sparse):
    X, Y = _multilabel_data()
    Xfit = sp.csr_matrix(X) if sparse else X
    clf = _linear_mlp(MLPClassifier).fit(Xfit, Y)
    coef, intercept = _linear_coefs(clf)
    for j in range(Y.shape[1]):
        lr = LogisticRegression(C=np.inf, tol=1e-10, max_iter=10_000).fit(X, Y[:, j])
        np.testing.assert_allclose(coef[:, j], lr.coef_.ravel(), atol=1e-4)
        np.testing.assert_allclose(intercept[j], lr.intercept_[0], atol=1e-4)
        np.testing.assert_allclose(
            clf.predict_proba(Xfit)[:, j], lr.predict_proba(X)[:, 1], atol=1e-5
        )
    assert clf.out_activation_ == "logistic"
    np.testing.assert_array_equal(clf.classes_, np.arange(Y.shape[1]))
    # the loss is scikit-learn's binary log loss: summed over the labels, mean over samples
    P = clf.predict_proba(Xfit)
    log_loss = -np.mean(np.sum(Y * np.log(P) + (1 - Y) * np.log(1 - P), axis=1))
    np.testing.assert_allclose(clf.loss_, log_loss, rtol=1e-5)


def test_multilabel_predict_is_the_indicator_of_probabilities_above_one_half():
    X, Y = _multilabel_data(seed=1)
    from sklearn.neural_network import MLPClassifier as SkMLPClassifier

    params = dict(hidden_layer_sizes=(16,), max_iter=200, learning_rate_init=0.01, random_state=0)
    clf = MLPClassifier(**params).fit(X, Y)
    proba, pred = clf.predict_proba(X), clf.predict(X)
    assert pred.shape == Y.shape and set(np.unique(pred)) <= {0, 1}
    np.testing.assert_array_equal(pred, (proba > 0.5).astype(int))
    assert not np.allclose(proba.sum(axis=1), 1.0)  # independent labels, not a softmax
    assert clf.score(X, Y) == np.mean(np.all(pred == Y, axis=1))  # subset accuracy
    assert clf.score(X, Y) > SkMLPClassifier(**params).fit(X, Y).score(X, Y) - 0.05


def test_multilabel_sample_weight_equals_repetition():
    X, Y = _multilabel_data(n=60, seed=2)
    w = np.random.RandomState(3).randint(0, 3, size=len(X))
    weighted = _linear_mlp(MLPClassifier).set_params(max_iter=60).fit(X, Y, sample_weight=w)
    repeated = _linear_mlp(MLPClassifier).set_params(max_iter=60)
    repeated.fit(np.repeat(X, w, axis=0), np.repeat(Y, w, axis=0))
    np.testing.assert_allclose(weighted.predict_proba(X), repeated.predict_proba(X), atol=1e-7)


def test_multilabel_errors_and_warnings():
    X, Y = _multilabel_data(n=40, seed=4)
    with pytest.raises(ValueError, match="class_weight is not supported"):
        MLPClassifier(class_weight="balanced", max_iter=2).fit(X, Y)
    constant = Y.copy()
    constant[:, 1] = 1
    with pytest.warns(UserWarning, match=r"Label column\(s\) \[1\]"):
        MLPClassifier(max_iter=2).fit(X, constant)
    with pytest.raises(ValueError, match="multi-label indicator matrix"):
        MLPClassifier(max_iter=2).fit(X, np.c_[Y[:, 0], Y[:, 1] * 3])
    fitted = MLPClassifier(max_iter=2).fit(X, Y)
    with pytest.raises(ValueError, match="fitted on a multi-label"):
        fitted.partial_fit(X, Y[:, 0])
    with pytest.raises(ValueError, match="3 label columns"):
        fitted.partial_fit(X, Y[:, :2])


def test_multilabel_partial_fit_and_sparse_indicator():
    X, Y = _multilabel_data(n=80, seed=5)
    clf = MLPClassifier(hidden_layer_sizes=(8,), random_state=0)
    clf.partial_fit(X, sp.csr_matrix(Y), classes=np.arange(3))
    clf.partial_fit(X, Y)
    assert len(clf.loss_curve_) == 2 and clf.predict(X).shape == Y.shape
    with pytest.raises(ValueError, match="classes must be np.arange"):
        MLPClassifier().partial_fit(X, Y, classes=["a", "b", "c"])


# ------------------------------------------------------------------ text models
DOCS, LABELS = make_topic_corpus(80, seed=1)
_TOPIC = (np.asarray(LABELS) == np.unique(LABELS)[0]).astype(float)
# a second label: a word of one topic, present in some of its documents only
_HAS_SEASON = np.array(["season" in d.split() for d in DOCS], dtype=float)


def _cnn(cls, **params):
    return cls(
        num_filters=6,
        embedding_dim=8,
        filter_sizes=(2,),
        max_iter=4,
        early_stopping=False,
        random_state=0,
        **params,
    )


def _lstm(cls, **params):
    return cls(
        hidden_size=6, embedding_dim=8, max_iter=3, early_stopping=False, random_state=0, **params
    )


@pytest.mark.parametrize("make", [_cnn, _lstm])
def test_text_regressors_standardize_the_targets(make):
    reg = make(TextCNNRegressor if make is _cnn else LSTMRegressor)
    y = 2.0 * _TOPIC + _HAS_SEASON
    small = clone(reg).fit(DOCS, y)
    # the same targets on another scale train the same network on the same standardized
    # targets: predictions are the same affine map of each other
    large = clone(reg).fit(DOCS, 1000.0 * y + 5.0)
    np.testing.assert_allclose(large.predict(DOCS), 1000.0 * small.predict(DOCS) + 5.0, rtol=1e-4)
    np.testing.assert_allclose(large.target_mean_, [1000.0 * y.mean() + 5.0])
    np.testing.assert_allclose(large.target_scale_, [1000.0 * y.std()])
    assert large.out_activation_ == "identity"


def test_text_regressor_multi_output_and_learning():
    Y = np.c_[10.0 * _TOPIC, -3.0 * _HAS_SEASON]
    reg = _cnn(TextCNNRegressor).set_params(max_iter=30, learning_rate_init=0.01).fit(DOCS, Y)
    assert reg.predict(DOCS).shape == (len(DOCS), 2) and reg.n_outputs_ == 2
    assert reg.score(DOCS, Y) > 0.6  # R² of a constant prediction is 0


@pytest.mark.parametrize("cls", [TextCNNClassifier, LSTMClassifier])
def test_text_classifiers_accept_multilabel_targets(cls):
    Y = np.c_[_TOPIC, _HAS_SEASON].astype(int)
    if cls is TextCNNClassifier:
        clf = _cnn(cls, max_norm=None, dropout=0.0).set_params(max_iter=50)
    else:
        clf = _lstm(cls).set_params(max_iter=20)
    clf.set_params(learning_rate_init=0.01).fit(DOCS, Y)
    assert clf.predict(DOCS).shape == Y.shape and clf.out_activation_ == "logistic"
    np.testing.assert_array_equal(clf.predict(DOCS), (clf.predict_proba(DOCS) > 0.5).astype(int))
    assert clf.score(DOCS, Y) > 0.8  # both labels are learnable from the words


def _output_layer(model, vectors):
    layer = model.module_.output
    weight = layer.weight.detach().double().numpy()
    return vectors @ weight.T + layer.bias.detach().double().numpy()


@pytest.mark.parametrize("make, cls", [(_cnn, TextCNNClassifier), (_lstm, LSTMClassifier)])
def test_transform_gives_what_the_output_layer_reads(make, cls):
    clf = make(cls).fit(DOCS, LABELS)
    vectors = clf.transform(DOCS)
    assert vectors.shape == (len(DOCS), clf.module_.output.in_features)
    logits = _output_layer(clf, vectors)
    proba = np.exp(logits - logits.max(axis=1, keepdims=True))
    proba /= proba.sum(axis=1, keepdims=True)
    np.testing.assert_allclose(proba, clf.predict_proba(DOCS), atol=1e-5)
    # one document's vector does not depend on the others of the call
    np.testing.assert_allclose(clf.transform(DOCS[3:4]), vectors[3:4], atol=1e-6)
    assert clf.transform([]).shape == (0, vectors.shape[1])


def test_transform_of_a_regressor_maps_back_through_the_target_scale():
    reg = _cnn(TextCNNRegressor).fit(DOCS, 50.0 * _TOPIC + 7.0)
    outputs = _output_layer(reg, reg.transform(DOCS)).ravel()
    np.testing.assert_allclose(
        outputs * reg.target_scale_[0] + reg.target_mean_[0], reg.predict(DOCS), rtol=1e-5
    )


# ------------------------------------------------------------------ your own module
class _BagOfWords(torch.nn.Module):
    """Module-level (picklable) custom module that also checks what it receives."""

    def __init__(self, vocab_size, n_outputs, padding_idx, hidden=8):
        super().__init__()
        self.padding_idx = padding_idx
        self.embedding = torch.nn.EmbeddingBag(vocab_size, hidden, mode="sum")
        self.output = torch.nn.Linear(hidden, n_outputs)

    def encode(self, ids, lengths):
        # lengths are the real lengths: exactly the non-padding positions
        assert torch.equal((ids != self.padding_idx).sum(dim=1), lengths)
        weights = (ids != self.padding_idx).float()
        return self.embedding(ids, per_sample_weights=weights)

    def forward(self, ids, lengths):
        return self.output(self.encode(ids, lengths))


def test_custom_module_classifier_trains_with_the_shared_machinery():
    clf = NeuralTextClassifier(
        _BagOfWords, {"hidden": 12}, max_iter=30, learning_rate_init=0.02, random_state=0
    )
    clf.fit(DOCS, LABELS)
    assert isinstance(clf.module_, _BagOfWords) and clf.module_.output.in_features == 12
    assert clf.validation_scores_ is not None  # early stopping (the default) ran
    assert clf.score(DOCS, LABELS) > 0.8
    restored = pickle.loads(pickle.dumps(clf))
    np.testing.assert_array_equal(restored.predict_proba(DOCS), clf.predict_proba(DOCS))
    assert clf.transform(DOCS).shape == (len(DOCS), 12)
    # deterministic with a seed, clone-safe, and module_params is searchable
    again = clone(clf).fit(DOCS, LABELS)
    np.testing.assert_array_equal(again.predict_proba(DOCS), clf.predict_proba(DOCS))
    search = GridSearchCV(
        clone(clf).set_params(max_iter=3), {"module_params": [{"hidden": 4}, {"hidden": 8}]}, cv=2
    )
    search.fit(DOCS, LABELS)
    assert search.best_estimator_.module_.output.in_features in (4, 8)


def test_custom_module_regressor_and_multilabel():
    reg = NeuralTextRegressor(
        MeanEmbeddingModule, {"embedding_dim": 8}, max_iter=40, learning_rate_init=0.05
    )
    reg.set_params(early_stopping=False, random_state=0).fit(DOCS, 100.0 * _TOPIC)
    assert reg.score(DOCS, 100.0 * _TOPIC) > 0.8
    Y = np.c_[_TOPIC, 1 - _TOPIC].astype(int)
    clf = NeuralTextClassifier(MeanEmbeddingModule, max_iter=3, random_state=0).fit(DOCS, Y)
    assert clf.predict(DOCS).shape == Y.shape


class _NoEncode(torch.nn.Module):
    def __init__(self, vocab_size, n_outputs, padding_idx):
        super().__init__()
        self.embedding = torch.nn.EmbeddingBag(vocab_size, n_outputs)

    def forward(self, ids, lengths):
        return self.embedding(ids)


class _WrongSignature(torch.nn.Module):
    def __init__(self, size):
        super().__init__()


def test_custom_module_errors():
    with pytest.raises(TypeError, match="torch.nn.Module subclass"):
        NeuralTextClassifier(_BagOfWords(10, 2, 0), max_iter=1).fit(DOCS, LABELS)
    with pytest.raises(TypeError, match="lacks"):
        NeuralTextClassifier(_WrongSignature, max_iter=1).fit(DOCS, LABELS)
    with pytest.raises(ValueError, match="must not set"):
        NeuralTextClassifier(_BagOfWords, {"n_outputs": 3}, max_iter=1).fit(DOCS, LABELS)
    fitted = NeuralTextClassifier(_NoEncode, max_iter=1, early_stopping=False).fit(DOCS, LABELS)
    with pytest.raises(AttributeError, match="encode"):
        fitted.transform(DOCS)


def test_partial_fit_signatures_of_classifier_and_regressor():
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        reg = _cnn(TextCNNRegressor).partial_fit(DOCS, _TOPIC)
    assert reg.n_iter_ == 1
    with pytest.raises(ValueError, match="classes must be passed"):
        _cnn(TextCNNClassifier).partial_fit(DOCS, LABELS)


# ------------------------------------------------------------------ issue 21: silent failures
def _transformer_regressor():
    pytest.importorskip("transformers")
    from sktext import TransformerRegressor
    from sktext.utils._testing import tiny_transformer_path

    return TransformerRegressor(model=tiny_transformer_path(), max_iter=1, random_state=0)


TEXT_REGRESSORS = {
    "textcnn": lambda: _cnn(TextCNNRegressor),
    "lstm": lambda: _lstm(LSTMRegressor),
    "custom": lambda: NeuralTextRegressor(MeanEmbeddingModule, max_iter=2, random_state=0),
    "transformer": _transformer_regressor,
}


@pytest.mark.parametrize("name", sorted(TEXT_REGRESSORS))
@pytest.mark.parametrize(
    "y, what",
    [
        # finite targets whose standard deviation overflows float64
        (np.where(_TOPIC > 0, 1e300, -1e300), "standard deviation"),
        # ... and whose mean does (the sum of 80 values near the largest float)
        (np.full(len(DOCS), 1.7e308), "mean"),
    ],
    ids=["std", "mean"],
)
def test_text_regressors_refuse_targets_too_large_to_standardize(name, y, what):
    # they used to train on NaN/inf standardized targets and predict +-inf or NaN
    reg = TEXT_REGRESSORS[name]()
    with pytest.raises(ValueError, match=rf"{what} of y overflows.*Rescale y"):
        reg.fit(DOCS, y)
    assert not hasattr(reg, "net_")
    # large targets that do not overflow still train, and come back on their scale
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        reg.fit(DOCS, 1e150 * (_TOPIC + 1.0))
    assert np.all(np.isfinite(reg.target_scale_)) and np.all(np.isfinite(reg.predict(DOCS)))


@pytest.mark.parametrize(
    "values", [(0, 2), (-1, 1), (0.0, 3.0), (False, True)], ids=["0-2", "-1-1", "0-3.0", "bool"]
)
def test_two_valued_label_matrix_is_binarized_as_scikit_learn_reads_it(values):
    # scikit-learn calls any matrix of two values a multi-label indicator and its MLP
    # predicts 0/1 for it; sktext used to train the binary cross-entropy on the raw values
    # (a target of 2, or -1) with a false "column is constant" warning
    X, Y = _multilabel_data(n=60, seed=8)
    Y[:, 2] = 1 - Y[:, 0]  # 0 and 1 appear in every column
    low, high = values
    coded = np.where(Y == 1, high, low)
    reference = MLPClassifier(hidden_layer_sizes=(4,), max_iter=20, random_state=0).fit(X, Y)
    with warnings.catch_warnings():
        warnings.filterwarnings("error", message="Label column")
        clf = clone(reference).fit(X, coded)
    np.testing.assert_array_equal(clf.classes_, [0, 1, 2])
    np.testing.assert_allclose(clf.predict_proba(X), reference.predict_proba(X), rtol=0, atol=0)
    assert set(np.unique(clf.predict(X))) <= {0, 1}


def test_single_valued_label_matrix_reads_positive_values_as_present():
    X, Y = _multilabel_data(n=30, seed=9)
    clf = MLPClassifier(hidden_layer_sizes=(4,), max_iter=2, random_state=0).fit(X, Y)
    for value, expected in [(2, 1.0), (0, 0.0)]:
        y = np.full_like(Y, value)
        assert np.all(clf._encode_targets(y, None, first_call=False) == expected)


@pytest.mark.parametrize(
    "make, X",
    [(lambda: MLPClassifier(max_iter=2), np.eye(4)), (lambda: _cnn(TextCNNClassifier), DOCS[:4])],
)
def test_lists_of_labels_get_scikit_learns_multilabelbinarizer_message(make, X):
    # numpy used to say "inhomogeneous shape"
    y = [["space", "sport"], ["space"], ["sport"], ["space", "sport"]]
    with pytest.raises(ValueError, match="MultiLabelBinarizer"):
        make().fit(X, y)


def test_ragged_regression_targets_are_named():
    with pytest.raises(ValueError, match="y should be a 1d or 2d array.*different lengths"):
        MLPRegressor(max_iter=2).fit(np.eye(3), [[1.0, 2.0], [3.0], [4.0, 5.0]])
