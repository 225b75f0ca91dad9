"""Search with pruning (Optuna) over sktext estimators."""

import json
import os
import subprocess
import sys
import textwrap
import warnings
from pathlib import Path

import numpy as np
import pytest
from packaging.version import Version
from sklearn.datasets import make_classification

import sktext
from sktext.utils._testing import make_topic_corpus

optuna = pytest.importorskip("optuna")
pytest.importorskip("optuna_integration")
from optuna.distributions import CategoricalDistribution, FloatDistribution  # noqa: E402
from optuna.trial import TrialState  # noqa: E402

pytestmark = [
    pytest.mark.usefixtures("one_torch_thread"),  # tests/conftest.py
    pytest.mark.filterwarnings("ignore::sklearn.exceptions.ConvergenceWarning"),
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


# ---------------------------------------------------------------- warnings of a search


def _small_search(**kwargs):
    return sktext.make_optuna_search(
        sktext.MLPClassifier(hidden_layer_sizes=(8,), random_state=0),
        {"learning_rate_init": FloatDistribution(1e-4, 1e-1, log=True)},
        n_epochs=2,
        n_trials=3,
        cv=2,
        random_state=0,
        **kwargs,
    )


def test_a_search_issues_no_optuna_deprecation_or_experimental_warning():
    """optuna-integration 5.0 reports every trial to the deprecated optuna.terminator."""
    from optuna.exceptions import ExperimentalWarning

    X, y = make_classification(n_samples=80, random_state=0)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        _small_search().fit(X, y)
    shown = [w for w in caught if issubclass(w.category, (FutureWarning, ExperimentalWarning))]
    assert not shown, [str(w.message) for w in shown]


def test_only_the_terminator_notice_is_hidden():
    """The filter is narrow: another FutureWarning raised during the search is shown."""
    X, y = make_classification(n_samples=80, random_state=0)

    def accuracy_with_a_notice(estimator, X, y):
        warnings.warn("a notice of the user's scorer", FutureWarning)
        return estimator.score(X, y)

    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        _small_search(scoring=accuracy_with_a_notice).fit(X, y)
    notices = [str(w.message) for w in caught if issubclass(w.category, FutureWarning)]
    assert notices and set(notices) == {"a notice of the user's scorer"}
    # outside fit, the deprecation (optuna >= 4.9) is not silenced either
    if Version(optuna.__version__) >= Version("4.9"):
        from optuna.terminator import report_cross_validation_scores

        study = optuna.create_study()
        with pytest.warns(FutureWarning, match="optuna.terminator"):
            report_cross_validation_scores(study.ask(), [0.5, 0.6])


# ---------------------------------------------------------------- shared studies

WORKER = """
import json, sys, warnings

import optuna
import torch
from optuna.distributions import CategoricalDistribution
from optuna.storages import JournalStorage
from optuna.storages.journal import JournalFileBackend

import sktext
from sktext.utils._testing import make_topic_corpus

torch.set_num_threads(1)
optuna.logging.set_verbosity(optuna.logging.WARNING)
warnings.simplefilter("ignore")
journal, seed, out = sys.argv[1], int(sys.argv[2]), sys.argv[3]
docs, labels = make_topic_corpus(90)
search = sktext.make_optuna_search(
    sktext.TextCNNClassifier(num_filters=8, embedding_dim=16, filter_sizes=(2,), batch_size=8),
    {"learning_rate_init": CategoricalDistribution([1e-7, 1e-2])},
    n_epochs=4,
    n_trials=3,
    cv=2,
    pruner=optuna.pruners.ThresholdPruner(lower=0.6, n_warmup_steps=1),
    storage=JournalStorage(JournalFileBackend(journal)),
    study_name="shared",
    random_state=seed,
)
mine = []
search.set_params(callbacks=[lambda study, trial: mine.append(trial.number)])
search.fit(docs, labels)
json.dump(
    {
        "mine": mine,
        "seen": len(search.study_.trials),
        "best_params": search.best_params_,
        "best_score": search.best_score_,
        "best_index": search.best_index_,
        "refit_lr": search.best_estimator_.learning_rate_init,
        "refit_score": search.best_estimator_.score(docs, labels),
    },
    open(out, "w"),
)
"""


def test_two_processes_share_one_study_with_pruning(tmp_path):
    script = tmp_path / "worker.py"
    script.write_text(textwrap.dedent(WORKER))
    journal = tmp_path / "search.log"
    root = Path(sktext.__file__).parents[1]
    env = {
        **os.environ,
        "PYTHONPATH": os.pathsep.join([str(root), os.environ.get("PYTHONPATH", "")]),
        "OMP_NUM_THREADS": "1",
        "MKL_NUM_THREADS": "1",
    }
    workers = [
        subprocess.Popen(
            [sys.executable, str(script), str(journal), str(seed), str(tmp_path / f"{seed}.json")],
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for seed in (0, 1)
    ]
    for worker in workers:
        _, err = worker.communicate(timeout=240)
        assert worker.returncode == 0, err
    results = [json.loads((tmp_path / f"{seed}.json").read_text()) for seed in (0, 1)]

    study = optuna.load_study(
        study_name="shared",
        storage=optuna.storages.JournalStorage(
            optuna.storages.journal.JournalFileBackend(str(journal))
        ),
    )
    trials = study.trials
    # every trial counted once: 3 + 3 trials, numbered 0..5, each run by one process
    assert len(trials) == 6
    assert sorted(t.number for t in trials) == list(range(6))
    mine = [set(r["mine"]) for r in results]
    assert len(mine[0]) == len(mine[1]) == 3 and not mine[0] & mine[1]
    assert mine[0] | mine[1] == set(range(6))
    # pruning through the shared storage: the rate that learns nothing stops after the
    # warm-up epochs, the other runs every epoch
    pruned = [t for t in trials if t.state == TrialState.PRUNED]
    complete = [t for t in trials if t.state == TrialState.COMPLETE]
    assert pruned and complete and len(pruned) + len(complete) == 6
    assert all(t.params["learning_rate_init"] == 1e-7 for t in pruned)
    # ... every one of them: the workers' study used the given pruner, not Optuna's default
    assert all(t in pruned for t in trials if t.params["learning_rate_init"] == 1e-7)
    assert all(len(t.intermediate_values) == 2 for t in pruned)
    assert all(len(t.intermediate_values) == 4 for t in complete)
    # each search refitted the study's best parameters; the process that finished last
    # (it saw all 6 trials) reports the study's best trial
    assert study.best_params == {"learning_rate_init": 1e-2}
    for r in results:
        assert r["refit_lr"] == 1e-2 and r["refit_score"] > 0.8
    last = [r for r in results if r["seen"] == 6]
    assert last
    for r in last:
        assert r["best_params"] == study.best_params
        assert r["best_score"] == study.best_value
        assert r["best_index"] == study.best_trial.number


def test_a_study_in_a_database_is_continued_by_the_next_search(tmp_path):
    X, y = make_classification(n_samples=80, random_state=0)
    url = f"sqlite:///{tmp_path / 'search.db'}"
    first = _small_search(storage=url, study_name="mlp").fit(X, y)
    assert [t.number for t in first.study_.trials] == [0, 1, 2]
    second = _small_search(storage=url, study_name="mlp", pruner="none")
    second.set_params(random_state=1).fit(X, y)
    assert [t.number for t in second.study_.trials] == list(range(6))
    assert second.n_trials_ == 6
    stored = optuna.load_study(study_name="mlp", storage=url)
    assert second.best_score_ == stored.best_value
    assert second.best_params_ == stored.best_params
    assert second.best_estimator_.learning_rate_init == stored.best_params["learning_rate_init"]


def test_storage_and_study_name_refusals(tmp_path):
    url = f"sqlite:///{tmp_path / 'other.db'}"
    with pytest.raises(ValueError, match="study_name='s' names a study in a storage"):
        _small_search(study_name="s")
    with pytest.raises(ValueError, match="storage= needs study_name="):
        _small_search(storage=url)
    with pytest.raises(ValueError, match="storage= needs study_name="):
        _small_search(storage=url, study_name="")
    with pytest.raises(TypeError, match="storage must be a database URL"):
        _small_search(storage=tmp_path / "search.db", study_name="s")
    with pytest.raises(ValueError, match="not a database URL that optuna can open"):
        _small_search(storage="search.db", study_name="s")
    # a study of the same name that minimizes, or has two objectives, is not taken over
    optuna.create_study(storage=url, study_name="loss", direction="minimize")
    optuna.create_study(storage=url, study_name="two", directions=["maximize", "minimize"])
    with pytest.raises(ValueError, match=r"directions=\['minimize'\]"):
        _small_search(storage=url, study_name="loss")
    with pytest.raises(ValueError, match=r"directions=\['maximize', 'minimize'\]"):
        _small_search(storage=url, study_name="two")
    # a maximizing study of that name is continued
    optuna.create_study(storage=url, study_name="acc", direction="maximize")
    assert _small_search(storage=url, study_name="acc").study.study_name == "acc"
