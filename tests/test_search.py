"""Search with pruning (Optuna) over sktext estimators."""

import warnings

import numpy as np
import pytest
from sklearn.datasets import make_classification

import sktext
from sktext.utils._testing import make_topic_corpus

optuna = pytest.importorskip("optuna")
pytest.importorskip("optuna_integration")
from optuna.distributions import CategoricalDistribution, FloatDistribution  # noqa: E402
from optuna.trial import TrialState  # noqa: E402

pytestmark = [
    pytest.mark.usefixtures("one_torch_thread"),  # tests/conftest.py
    pytest.mark.filterwarnings(
        "ignore::sklearn.exceptions.ConvergenceWarning",
        # OptunaSearchCV is marked experimental
        "ignore::optuna.exceptions.ExperimentalWarning",
    ),
]


DOCS, LABELS = make_topic_corpus(90)


@pytest.fixture(autouse=True)
def quiet_optuna():
    level = optuna.logging.get_verbosity()
    optuna.logging.set_verbosity(optuna.logging.WARNING)
    yield
    optuna.logging.set_verbosity(level)


def test_pruning_stops_bad_trials_and_refits_the_best():
    # a learning rate at which nothing is learned in 4 epochs, and one that learns
    search = sktext.make_optuna_search(
        sktext.TextCNNClassifier(num_filters=8, embedding_dim=16, filter_sizes=(2,), batch_size=8),
        {"learning_rate_init": CategoricalDistribution([1e-7, 1e-2])},
        n_epochs=4,
        n_trials=8,
        cv=2,
        pruner=optuna.pruners.ThresholdPruner(lower=0.6, n_warmup_steps=1),
        random_state=0,
    )
    search.fit(DOCS, LABELS)
    trials = search.study_.trials
    pruned = [t for t in trials if t.state == TrialState.PRUNED]
    complete = [t for t in trials if t.state == TrialState.COMPLETE]
    assert pruned and complete
    # pruned trials stopped after the warm-up epochs; complete ones ran every epoch
    assert all(t.params["learning_rate_init"] == 1e-7 for t in pruned)
    assert all(len(t.intermediate_values) == 2 for t in pruned)
    assert all(len(t.intermediate_values) == 4 for t in complete)
    assert search.best_params_ == {"learning_rate_init": 1e-2}
    best = search.best_estimator_
    assert best.n_iter_ == 4 and best.early_stopping is False
    assert best.score(DOCS, LABELS) > 0.8


def test_no_pruning_runs_every_epoch_of_every_trial():
    X, y = make_classification(n_samples=120, random_state=0)
    search = sktext.make_optuna_search(
        sktext.MLPClassifier(hidden_layer_sizes=(8,)),
        {"alpha": FloatDistribution(1e-5, 1e-1, log=True)},
        n_epochs=3,
        n_trials=6,
        pruner="none",
        random_state=0,
    ).fit(X, y)
    states = {t.state for t in search.study_.trials}
    assert states == {TrialState.COMPLETE}
    assert all(len(t.intermediate_values) == 3 for t in search.study_.trials)
    # the reported value is the mean of the folds' accuracies after the last epoch
    best = search.study_.best_trial
    folds = [best.user_attrs[f"split{i}_test_score"] for i in range(3)]
    assert best.value == pytest.approx(np.mean(folds))


def test_make_optuna_search_refusals():
    from sklearn.linear_model import LogisticRegression

    space = {"alpha": FloatDistribution(1e-5, 1e-1)}
    with pytest.raises(TypeError, match="no partial_fit"):
        sktext.make_optuna_search(LogisticRegression(), space, n_epochs=2)
    with pytest.raises(ValueError, match="max_iter"):
        sktext.make_optuna_search(
            sktext.MLPClassifier(), {"max_iter": CategoricalDistribution([1, 2])}, n_epochs=2
        )
    with pytest.raises(ValueError, match="pruner"):
        sktext.make_optuna_search(sktext.MLPClassifier(), space, n_epochs=2, pruner="often")
    with pytest.raises(ValueError, match="n_epochs"):
        sktext.make_optuna_search(sktext.MLPClassifier(), space, n_epochs=0)


def test_skorch_pruning_callback_inside_fit():
    """Pruning inside one fit, by the validation accuracy the estimator reports."""
    from optuna_integration import SkorchPruningCallback

    def objective(trial):
        lr = trial.suggest_categorical("learning_rate_init", [1e-7, 1e-2])
        clf = sktext.TextCNNClassifier(
            num_filters=8,
            embedding_dim=16,
            filter_sizes=(2,),
            batch_size=8,
            learning_rate_init=lr,
            max_iter=5,
            early_stopping=True,
            n_iter_no_change=10,
            validation_fraction=0.3,
            random_state=0,
            callbacks=[("optuna_pruning", SkorchPruningCallback(trial, "valid_acc"))],
        )
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            clf.fit(DOCS, LABELS)
        return clf.best_validation_score_

    study = optuna.create_study(
        direction="maximize",
        sampler=optuna.samplers.TPESampler(seed=0),
        pruner=optuna.pruners.ThresholdPruner(lower=0.6, n_warmup_steps=1),
    )
    study.optimize(objective, n_trials=6)
    pruned = [t for t in study.trials if t.state == TrialState.PRUNED]
    assert pruned and all(t.params["learning_rate_init"] == 1e-7 for t in pruned)
    # skorch counts epochs from 0: pruned right after the warm-up epoch
    assert all(max(t.intermediate_values) == 1 for t in pruned)
    assert study.best_params == {"learning_rate_init": 1e-2}
    assert study.best_value > 0.6
