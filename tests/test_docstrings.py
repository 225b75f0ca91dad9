"""sktext's docstrings: every Examples section runs, every public name passes numpydoc."""

import doctest
import importlib
import inspect
import pkgutil
import sys

import pytest
from sklearn.base import BaseEstimator

import sktext


def _modules():
    for info in pkgutil.walk_packages(sktext.__path__, prefix="sktext."):
        yield info.name


@pytest.mark.parametrize("name", sorted(_modules()))
def test_docstring_examples(name):
    module = importlib.import_module(name)
    result = doctest.testmod(module, optionflags=doctest.NORMALIZE_WHITESPACE | doctest.ELLIPSIS)
    assert result.failed == 0, f"{result.failed} docstring example(s) failed in {name}"


# ------------------------------------------------------------------ numpydoc validation
# Every public name (from the public modules' ``__all__``, as the API reference is built)
# must have a complete, well-formed numpydoc docstring; its public methods must be
# well-formed. Checks not enforced, for every object: ES01 (extended summary), SA01 (See
# Also), GL01/GL02 (where the text starts and ends after the quotes), RT02 (numpydoc wants
# a bare type in Returns; sktext names its returns as scikit-learn does) and SS05 (its
# third-person heuristic flags noun summaries such as "GloVe's weighting function").
# EX01 (an Examples section) is enforced for every estimator and every function of
# sktext.datasets, sktext.embeddings and sktext.plotting.
IGNORED = {"ES01", "SA01", "GL01", "GL02", "RT02", "SS05", "EX01"}
# well-formedness of methods and properties: what is written must parse and read right
# (their completeness, PR01/RT01, is not enforced: torch hooks such as ``forward`` are
# described by their class)
METHOD_CHECKS = {
    "GL03", "GL05", "GL06", "GL07", "GL09", "GL10",
    "SS01", "SS02", "SS03", "SS04", "SS06",
    "PR02", "PR03", "PR04", "PR05", "PR06", "PR07", "PR08", "PR09", "PR10",
    "RT04", "RT05", "YD01", "SA02", "SA03", "SA04",
}  # fmt: skip
EXAMPLES_REQUIRED_IN = ("sktext.datasets", "sktext.embeddings", "sktext.plotting")
# The check functions share one signature, (name, estimator, X, y), described once by
# their module's docstring and by yield_text_checks.
EXEMPT = {"sktext.utils.estimator_checks.check_": {"PR01"}}


def _public_objects():
    """``{dotted path where defined: (public path, object)}`` for every public name."""
    found = {}
    modules = ["sktext"] + sorted(
        info.name
        for info in pkgutil.walk_packages(sktext.__path__, prefix="sktext.")
        if not any(part.startswith("_") for part in info.name.split("."))
    )
    for module_name in modules:
        module = importlib.import_module(module_name)
        for name in module.__all__:
            obj = getattr(module, name)
            if name.startswith("__") or not callable(obj):
                continue  # __version__, constants
            path = f"{obj.__module__}.{obj.__qualname__}"
            found.setdefault(path, (f"{module_name}.{name}", obj))
    return found


def _public_methods(cls):
    """Dotted paths of the public methods and properties ``cls`` gets from sktext."""
    paths = []
    for name in sorted(dir(cls)):
        if name.startswith("_"):
            continue
        owner = next((k for k in cls.__mro__ if name in vars(k)), None)
        if owner is None or not owner.__module__.startswith("sktext"):
            continue  # inherited from scikit-learn, torch, ...
        attribute = inspect.getattr_static(owner, name)
        if callable(attribute) or isinstance(attribute, property | classmethod | staticmethod):
            paths.append(f"{owner.__module__}.{owner.__qualname__}.{name}")
    return paths


def _validation_cases():
    cases = {}
    for path, (public, obj) in _public_objects().items():
        cases[path] = ("object", public, obj)
        if inspect.isclass(obj):
            for method in _public_methods(obj):
                cases.setdefault(method, ("method", public, None))
    return sorted((path, *case) for path, case in cases.items())


def _errors(path, kind, public, obj):
    from numpydoc.validate import validate

    errors = validate(path)["errors"]
    if kind == "method":
        return [(code, msg) for code, msg in errors if code in METHOD_CHECKS]
    exempt = set().union(*(codes for prefix, codes in EXEMPT.items() if path.startswith(prefix)))
    if inspect.isclass(obj) and issubclass(obj, tuple):
        exempt.add("PR01")  # a named tuple's fields are documented as its Attributes
    needs_example = (inspect.isclass(obj) and issubclass(obj, BaseEstimator)) or (
        not inspect.isclass(obj) and public.startswith(EXAMPLES_REQUIRED_IN)
    )
    return [
        (code, msg)
        for code, msg in errors
        if code not in exempt and (code not in IGNORED or (code == "EX01" and needs_example))
    ]


@pytest.mark.parametrize(
    "path, kind, public, obj", _validation_cases(), ids=[c[0] for c in _validation_cases()]
)
def test_numpydoc_validation(path, kind, public, obj):
    pytest.importorskip("numpydoc")
    errors = _errors(path, kind, public, obj)
    assert not errors, f"{public} ({path}):\n" + "\n".join(f"{c}: {m}" for c, m in errors)


def test_numpydoc_validation_finds_errors():
    # the validation itself can fail: a docstring without Parameters or Returns is caught
    pytest.importorskip("numpydoc")

    def undocumented(x, y):
        """add two numbers"""
        return x + y

    import types

    module = types.ModuleType("sktext_fake_module")
    module.undocumented = undocumented
    undocumented.__module__ = module.__name__
    sys.modules[module.__name__] = module
    try:
        codes = {
            code
            for code, _ in _errors(
                f"{module.__name__}.undocumented",
                "object",
                "sktext.embeddings.undocumented",
                undocumented,
            )
        }
    finally:
        del sys.modules[module.__name__]
    assert {"PR01", "RT01", "SS02", "SS03", "EX01"} <= codes
