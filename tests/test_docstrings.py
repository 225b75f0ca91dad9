"""Every Examples section in sktext's docstrings runs and prints what it says."""

import doctest
import importlib
import pkgutil

import pytest

import sktext


def _modules():
    for info in pkgutil.walk_packages(sktext.__path__, prefix="sktext."):
        yield info.name


@pytest.mark.parametrize("name", sorted(_modules()))
def test_docstring_examples(name):
    module = importlib.import_module(name)
    result = doctest.testmod(module, optionflags=doctest.NORMALIZE_WHITESPACE | doctest.ELLIPSIS)
    assert result.failed == 0, f"{result.failed} docstring example(s) failed in {name}"
