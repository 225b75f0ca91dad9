"""The Examples sections of the embedding modules and of sktext.plotting run as written."""

import doctest
import importlib

import pytest

MODULES = [
    "sktext.embeddings._word2vec",
    "sktext.embeddings._vectors",
    "sktext.embeddings._debias",
    "sktext.plotting",
]


@pytest.mark.parametrize("module_name", MODULES)
def test_docstring_examples(module_name):
    if module_name == "sktext.plotting":
        pytest.importorskip("matplotlib")
    module = importlib.import_module(module_name)
    result = doctest.testmod(module, optionflags=doctest.NORMALIZE_WHITESPACE)
    assert result.attempted > 0, f"{module_name} has no examples"
    assert result.failed == 0
