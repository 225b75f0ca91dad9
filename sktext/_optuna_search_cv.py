"""optuna-integration's ``OptunaSearchCV`` without a deprecation warning per trial.

Imported by :func:`sktext.make_optuna_search` only (it imports optuna-integration, an
optional dependency, at module level).

Every trial of optuna-integration's ``OptunaSearchCV`` (5.0.0, the newest release, and
its main branch of 2026-07) ends with a call to
``optuna.terminator.report_cross_validation_scores``, which optuna deprecated in 4.9.0
(the whole ``optuna.terminator`` module, planned for removal in 6.0.0) and which issues a
``FutureWarning`` at each call. The call only stores the folds' scores in the trial's
system attributes for optuna's ``TerminatorCallback``; nothing of the search depends on
it, and ``OptunaSearchCV`` has no argument that skips it. The user cannot act on the
warning (it names no code of theirs), so :meth:`fit` ignores exactly that warning:
category ``FutureWarning`` with that message, during the search only. Any other warning
is shown. (The filter names no module: from Python 3.12 optuna attributes its warnings
to the first frame outside the ``optuna`` package, here optuna-integration's objective.)
"""

# Authors: The sktext developers
# License: BSD 3 clause

import warnings

from optuna_integration import OptunaSearchCV

__all__ = []

# optuna/terminator/erroreval.py (optuna >= 4.9): the message of its deprecation
TERMINATOR_DEPRECATION = r"`optuna\.terminator` module has been deprecated"


class _OptunaSearchCV(OptunaSearchCV):
    """``OptunaSearchCV`` whose ``fit`` hides the per-trial ``optuna.terminator`` notice."""

    def fit(self, X, y=None, groups=None, **fit_params):
        with warnings.catch_warnings():
            warnings.filterwarnings(
                "ignore",
                message=TERMINATOR_DEPRECATION,
                category=FutureWarning,
            )
            return super().fit(X, y, groups=groups, **fit_params)
