"""ConvergenceWarning in a hyper-parameter search: what a user sees (docs/search.md)."""

import os
import subprocess
import sys
import textwrap
import warnings
from pathlib import Path

from sklearn.datasets import make_classification
from sklearn.exceptions import ConvergenceWarning
from sklearn.model_selection import GridSearchCV

import sktext
from sktext import MLPClassifier

X, Y = make_classification(n_samples=60, n_features=5, random_state=0)
GRID = {"alpha": [1e-4, 1e-2], "learning_rate_init": [1e-3, 1e-2]}
N_FITS = 4 * 2 + 1  # every fold of every candidate, and the refit
MESSAGE = (
    "Stochastic Optimizer: Maximum iterations (2) reached and the optimization hasn't "
    "converged yet."
)


def _search(n_jobs=1):
    return GridSearchCV(MLPClassifier(max_iter=2, batch_size=20), GRID, cv=2, n_jobs=n_jobs)


def test_one_identical_warning_per_fit_as_scikit_learn():
    """Every fit that hits max_iter warns (sklearn's MLP does, and the estimator checks
    expect it), with the same text whatever the other parameters."""
    with warnings.catch_warnings(record=True) as record:
        warnings.simplefilter("always")
        _search().fit(X, Y)
    messages = [str(w.message) for w in record if issubclass(w.category, ConvergenceWarning)]
    assert messages == [MESSAGE] * N_FITS
    # scikit-learn runs each fit under a copy of the caller's filters: "ignore" holds
    with warnings.catch_warnings(record=True) as record:
        warnings.simplefilter("always")
        warnings.filterwarnings("ignore", category=ConvergenceWarning)
        _search().fit(X, Y)
    assert not [w for w in record if issubclass(w.category, ConvergenceWarning)]


def test_default_filter_and_ignore_with_worker_processes():
    """n_jobs=2, as printed to stderr by a fresh interpreter (Python's default filters)."""
    script = textwrap.dedent(
        f"""
        import sys, warnings
        from sklearn.datasets import make_classification
        from sklearn.exceptions import ConvergenceWarning
        from sklearn.model_selection import GridSearchCV
        from sktext import MLPClassifier

        X, y = make_classification(n_samples=60, n_features=5, random_state=0)
        search = GridSearchCV(
            MLPClassifier(max_iter=2, batch_size=20), {GRID!r}, cv=2, n_jobs=2
        )
        search.fit(X, y)
        print("-- ignore --", file=sys.stderr, flush=True)
        warnings.filterwarnings("ignore", category=ConvergenceWarning)
        search.fit(X, y)
        """
    )
    root = str(Path(sktext.__file__).parents[1])
    env = {**os.environ, "PYTHONPATH": root, "OMP_NUM_THREADS": "1"}
    out = subprocess.run(
        [sys.executable, "-c", script],
        capture_output=True, text=True, env=env, cwd=root, timeout=600, check=True,
    )  # fmt: skip
    shown, ignored = out.stderr.split("-- ignore --")
    # Python's default filter shows a warning once per code location, but each fit runs
    # under a fresh copy of the filters, which forgets what was shown: one per fit
    assert shown.count(f"ConvergenceWarning: {MESSAGE}") == N_FITS
    assert "ConvergenceWarning" not in ignored
