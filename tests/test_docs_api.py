"""The API reference of the docs (docs/sphinxext/sktext_api.py) covers every public name."""

import importlib
import importlib.util
import sys
from pathlib import Path

import pytest

SPHINXEXT = Path(__file__).resolve().parents[1] / "docs" / "sphinxext" / "sktext_api.py"


@pytest.fixture(scope="module")
def api():
    pytest.importorskip("sphinx")
    spec = importlib.util.spec_from_file_location("sktext_api", SPHINXEXT)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_every_public_name_gets_one_page(api):
    names, pages, aliases = api.canonical_paths()
    assert "sktext.plotting" in names and "sktext.utils.estimator_checks" in names
    for module_name, members in names.items():
        for member in members:
            path = f"{module_name}.{member}"
            assert path in pages or aliases[path] in pages, path
    # a re-exported estimator has one page, under its short name
    assert "sktext.MLPClassifier" in pages
    assert aliases["sktext.neural_network.MLPClassifier"] == "sktext.MLPClassifier"
    assert "sktext.embeddings.SentenceEncoder" in pages


def test_index_lists_every_page(api, tmp_path):
    pages, _ = api.write_api_index(tmp_path)
    text = (tmp_path / "api" / "index.rst").read_text()
    for page in pages:
        assert f"   {page.removeprefix('sktext.')}\n" in text, page


def _fake_package(tmp_path, monkeypatch, body):
    package = tmp_path / "fakepkg"
    package.mkdir()
    (package / "__init__.py").write_text(
        '__all__ = ["thing"]\n\ndef thing():\n    """A thing."""\n'
    )
    (package / "public.py").write_text(body)
    monkeypatch.syspath_prepend(str(tmp_path))
    for name in ("fakepkg", "fakepkg.public"):
        sys.modules.pop(name, None)
    importlib.invalidate_caches()


def test_a_public_module_without_all_fails(api, tmp_path, monkeypatch):
    _fake_package(tmp_path, monkeypatch, "def helper():\n    pass\n")
    with pytest.raises(RuntimeError, match="fakepkg.public has no __all__"):
        api.public_names("fakepkg")


def test_a_name_in_all_that_does_not_exist_fails(api, tmp_path, monkeypatch):
    _fake_package(tmp_path, monkeypatch, '__all__ = ["missing"]\n')
    with pytest.raises(RuntimeError, match="lists names the module lacks"):
        api.public_names("fakepkg")
