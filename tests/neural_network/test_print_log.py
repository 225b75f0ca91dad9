"""``verbose=1``: skorch's epoch table, with colour codes only on a terminal."""

import io
import sys
import warnings

from sklearn.datasets import make_classification
from sklearn.exceptions import ConvergenceWarning

from sktext import MLPClassifier, TextCNNClassifier

X, Y = make_classification(n_samples=60, n_features=5, random_state=0)


class _Terminal(io.StringIO):
    def isatty(self):
        return True


def _fit_verbose(clf=None, X=X, y=Y):
    clf = clf or MLPClassifier(
        hidden_layer_sizes=(4,), max_iter=3, batch_size=20, verbose=1, random_state=0
    )
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        clf.fit(X, y)


def test_epoch_table_is_plain_when_stdout_is_not_a_terminal(capsys):
    _fit_verbose()
    out = capsys.readouterr().out
    assert "\x1b[" not in out
    lines = out.splitlines()
    assert "epoch" in lines[0] and "train_loss" in lines[0]
    assert [line.split()[0] for line in lines[2:]] == ["1", "2", "3"]  # one row per epoch
    # the sequence classifiers share the machinery
    docs = ["good film", "bad film", "great plot", "awful plot"] * 5
    _fit_verbose(TextCNNClassifier(max_iter=2, verbose=1, num_filters=2), docs, [1, 0, 1, 0] * 5)
    out = capsys.readouterr().out
    assert "epoch" in out and "\x1b[" not in out


def test_epoch_table_keeps_colours_on_a_terminal(monkeypatch):
    terminal = _Terminal()
    monkeypatch.setattr(sys, "stdout", terminal)
    monkeypatch.delenv("NO_COLOR", raising=False)
    _fit_verbose()
    assert "\x1b[" in terminal.getvalue()  # skorch's highlighting of the best values


def test_no_color_environment_variable(monkeypatch):
    terminal = _Terminal()
    monkeypatch.setattr(sys, "stdout", terminal)
    monkeypatch.setenv("NO_COLOR", "1")
    _fit_verbose()
    assert "epoch" in terminal.getvalue() and "\x1b[" not in terminal.getvalue()
