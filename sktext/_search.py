"""Hyper-parameter search that stops bad trials early (Optuna).

:func:`make_optuna_search` sets up optuna-integration's ``OptunaSearchCV`` for an sktext
neural estimator: every trial trains one epoch per step through ``partial_fit`` on each
cross-validation fold, reports the mean validation score to Optuna after every epoch, and
is abandoned when the pruner says so; the best parameters are then refitted for the same
number of epochs. With ``storage=`` and ``study_name=`` (an optuna storage: a database
URL or a journal file) several processes, on one machine or many, work on one study. The
alternative — pruning inside one ``fit`` by the validation score the
estimator already computes — is a skorch callback: ``optuna_integration.SkorchPruningCallback
(trial, "valid_acc")`` passed in ``callbacks=`` with ``early_stopping=True`` (see
docs/search.md).
"""

# Authors: The sktext developers
# License: BSD 3 clause

import warnings
from numbers import Integral

from sklearn.base import clone

__all__ = ["make_optuna_search"]


def _import_optuna():
    try:
        import optuna

        from ._optuna_search_cv import _OptunaSearchCV
    except ImportError as exc:  # pragma: no cover - depends on the environment
        raise ImportError(
            "make_optuna_search needs optuna and optuna-integration: pip install 'sktext[search]'."
        ) from exc
    return optuna, _OptunaSearchCV


def _study(optuna, storage, study_name, sampler, pruner):
    """A new in-memory study, or the study ``study_name`` of ``storage`` (created if new)."""
    if storage is None:
        if study_name is not None:
            raise ValueError(
                f"study_name={study_name!r} names a study in a storage, but storage is None: "
                "pass storage= too (e.g. 'sqlite:///search.db'); an in-memory study is "
                "private to this process and needs no name."
            )
        return optuna.create_study(direction="maximize", sampler=sampler, pruner=pruner)
    if not isinstance(storage, (str, optuna.storages.BaseStorage)):
        raise TypeError(
            "storage must be a database URL such as 'sqlite:///search.db' or an optuna "
            f"storage (e.g. optuna.storages.JournalStorage); got {type(storage).__name__}."
        )
    if not isinstance(study_name, str) or not study_name:
        raise ValueError(
            "storage= needs study_name= (a non-empty str): the processes that share a "
            "search find its study by name; without one, every process would create a "
            f"study of its own. Got study_name={study_name!r}."
        )
    if isinstance(storage, str):
        url = storage
        try:
            storage = optuna.storages.get_storage(url)
        except ImportError:  # a database driver that is not installed: optuna says which
            raise
        except Exception as exc:
            raise ValueError(
                f"storage={url!r} is not a database URL that optuna can open (e.g. "
                f"'sqlite:///search.db'): {exc}"
            ) from exc
    study = optuna.create_study(
        storage=storage,
        study_name=study_name,
        direction="maximize",
        sampler=sampler,
        pruner=pruner,
        load_if_exists=True,
    )
    # load_if_exists keeps the directions of an existing study without a word
    if study.directions != [optuna.study.StudyDirection.MAXIMIZE]:
        directions = [d.name.lower() for d in study.directions]
        raise ValueError(
            f"The study {study_name!r} in this storage has directions={directions}; "
            "make_optuna_search maximizes one validation score. Use another study_name."
        )
    return study


def make_optuna_search(
    estimator,
    param_distributions,
    *,
    n_epochs,
    n_trials=20,
    pruner="median",
    cv=3,
    scoring=None,
    timeout=None,
    storage=None,
    study_name=None,
    random_state=None,
    refit=True,
    error_score="raise",
    verbose=0,
):
    """An ``OptunaSearchCV`` that prunes trials epoch by epoch through ``partial_fit``.

    Parameters
    ----------
    estimator : sktext estimator with ``partial_fit``
        For example :class:`~sktext.MLPClassifier` or :class:`~sktext.TextCNNClassifier`.
        It is cloned with ``max_iter=n_epochs`` and ``early_stopping=False``
        (``partial_fit`` runs one epoch on the whole training fold, and the refit then
        trains as long as the search did).
    param_distributions : dict of str to optuna distribution
        Search space, e.g. ``{"learning_rate_init": FloatDistribution(1e-4, 1e-1,
        log=True)}``. ``max_iter`` and ``early_stopping`` are set by this function.
    n_epochs : int
        Epochs per trial (``partial_fit`` steps on each fold), unless pruned earlier.
    n_trials : int, default=20
        Number of trials.
    pruner : "median", "hyperband", "none" or optuna pruner, default="median"
        ``"median"``: ``MedianPruner(n_startup_trials=5, n_warmup_steps=1)``, a trial stops
        when its score after an epoch is below the median of earlier trials at that epoch.
        ``"hyperband"``: ``HyperbandPruner(min_resource=1, max_resource=n_epochs)``.
        ``"none"``: every trial runs all its epochs (the same search without pruning).
    cv : int or cross-validation splitter, default=3
        Folds (stratified for classifiers, as in scikit-learn).
    scoring : str or callable, default=None
        Validation score (``None``: the estimator's ``score``, accuracy for classifiers).
    timeout : float, default=None
        Stop starting trials after this many seconds.
    storage : str or optuna storage, default=None
        Where the study lives. ``None``: in memory, in this process. A database URL
        (``"sqlite:///search.db"``, ``"postgresql://user:pw@host/db"``) or an optuna
        storage (``optuna.storages.JournalStorage(optuna.storages.journal.
        JournalFileBackend("search.log"))`` for several processes on one machine or a
        shared file system): every process that calls ``fit`` with the same storage and
        ``study_name`` works on one study, and the pruner compares a trial with the
        trials of all of them. ``n_trials`` and ``timeout`` count per process.
    study_name : str, default=None
        Name of the study in ``storage`` (required with it): created by the first
        process, loaded by the others. An existing study must maximize one value.
    random_state : int, default=None
        Seed of the sampler (TPE) and of the folds' estimator when it has none. Processes
        that share a study should not share a seed (they would sample the same first
        parameters): give each its own, or ``None``.
    refit : bool, default=True
        Refit the best parameters on the whole data (``best_estimator_``).
    error_score : "raise" or float, default="raise"
        What a failing trial gets (``"raise"``: the error is shown, not hidden as NaN).
    verbose : int, default=0
        Optuna's verbosity.

    Returns
    -------
    search : optuna_integration.OptunaSearchCV
        Unfitted; call ``fit(X, y)``. ``study_`` holds every trial, pruned ones with the
        state ``PRUNED`` and their per-epoch scores (``intermediate_values``); with a
        ``storage``, the trials of every process, and ``best_params_``/``best_score_``
        read the study's best trial when asked. The refit (``best_estimator_``) uses the
        best trial of the study when this process's trials end.

    Examples
    --------
    >>> from optuna.distributions import FloatDistribution
    >>> from sklearn.datasets import make_classification
    >>> from sktext import MLPClassifier, make_optuna_search
    >>> X, y = make_classification(n_samples=100, random_state=0)
    >>> search = make_optuna_search(
    ...     MLPClassifier(hidden_layer_sizes=(8,), random_state=0),
    ...     {"learning_rate_init": FloatDistribution(1e-4, 1e-1, log=True)},
    ...     n_epochs=3, n_trials=3, cv=2, random_state=0,
    ... ).fit(X, y)
    >>> search.best_estimator_.n_iter_
    3
    """
    optuna, OptunaSearchCV = _import_optuna()
    from optuna.exceptions import ExperimentalWarning

    if not hasattr(estimator, "partial_fit"):
        raise TypeError(
            f"{type(estimator).__name__} has no partial_fit: pruning needs one epoch per "
            "step. Use a skorch pruning callback (docs/search.md) or OptunaSearchCV "
            "without pruning."
        )
    if not isinstance(n_epochs, Integral) or n_epochs < 1:
        raise ValueError(f"n_epochs must be a positive integer; got {n_epochs!r}.")
    fixed = {"max_iter", "early_stopping"} & set(param_distributions)
    if fixed:
        raise ValueError(
            f"param_distributions must not set {sorted(fixed)}: make_optuna_search sets "
            "max_iter=n_epochs and early_stopping=False."
        )
    params = {"max_iter": int(n_epochs)}
    if "early_stopping" in estimator.get_params():
        params["early_stopping"] = False
    if "random_state" in estimator.get_params() and estimator.random_state is None:
        params["random_state"] = random_state
    estimator = clone(estimator).set_params(**params)

    if isinstance(pruner, str):
        pruners = {
            "median": lambda: optuna.pruners.MedianPruner(n_startup_trials=5, n_warmup_steps=1),
            "hyperband": lambda: optuna.pruners.HyperbandPruner(
                min_resource=1, max_resource=int(n_epochs)
            ),
            "none": optuna.pruners.NopPruner,
        }
        if pruner not in pruners:
            raise ValueError(
                f"pruner must be 'median', 'hyperband', 'none' or an optuna pruner; got {pruner!r}."
            )
        pruner = pruners[pruner]()
    sampler = optuna.samplers.TPESampler(seed=random_state)
    study = _study(optuna, storage, study_name, sampler, pruner)
    with warnings.catch_warnings():
        # OptunaSearchCV is marked experimental (a warning at every construction): the
        # parts of it that sktext uses are pinned by the `search` extra and tested
        warnings.filterwarnings(
            "ignore", message="OptunaSearchCV is experimental", category=ExperimentalWarning
        )
        return OptunaSearchCV(
            estimator,
            param_distributions,
            cv=cv,
            enable_pruning=True,
            error_score=error_score,
            max_iter=int(n_epochs),
            n_trials=n_trials,
            random_state=random_state,
            refit=refit,
            scoring=scoring,
            study=study,
            timeout=timeout,
            verbose=verbose,
        )
