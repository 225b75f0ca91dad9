"""The estimators describe a parameter or attribute they share in the same words.

The shared entries are written once, in :mod:`sktext.neural_network._docstrings`, and
substituted into the class docstrings by :func:`~sktext.neural_network._docstrings.fill_doc`.
These tests check the machinery, and that no public estimator drifts away from the others:
two estimators documenting a parameter (or a fitted attribute) of the same name must give
it the same type line and description, unless the difference is listed below with its
reason.
"""

import ast
import inspect
import re
from collections import defaultdict

import pytest
from numpydoc.docscrape import NumpyDocString
from sklearn.base import BaseEstimator

import sktext
import sktext.embeddings
import sktext.neural_network


def _public_estimators():
    found = {}
    for module in (sktext, sktext.neural_network, sktext.embeddings):
        for name in module.__all__:
            obj = getattr(module, name)
            if inspect.isclass(obj) and issubclass(obj, BaseEstimator):
                found[obj.__name__] = obj
    return dict(sorted(found.items()))


ESTIMATORS = _public_estimators()

# Genuine differences: (name, estimators that describe it their own way, why). The
# estimators of one entry share their own description; the estimators of no entry share
# the common one. Anything else is drift.
PARAMETER_EXCEPTIONS = []
ATTRIBUTE_EXCEPTIONS = []


def _entries(cls, section):
    """``{name: (type line, description with its white space folded)}`` of a section."""
    doc = NumpyDocString(inspect.getdoc(cls))
    return {p.name: (p.type, " ".join(" ".join(p.desc).split())) for p in doc[section]}


def _drift(section, exceptions):
    """Descriptions that disagree, as readable lines (empty when all is consistent)."""
    described = defaultdict(dict)  # name -> {estimator: (type, description)}
    for cls_name, cls in ESTIMATORS.items():
        for name, entry in _entries(cls, section).items():
            described[name][cls_name] = entry
    problems = []
    for name, by_estimator in sorted(described.items()):
        if len(by_estimator) < 2:
            continue
        groups = [set(estimators) for entry, estimators, _ in exceptions if entry == name]
        listed = set().union(*groups)
        unknown = listed - set(by_estimator)
        if unknown:
            problems.append(f"{name}: listed for {sorted(unknown)}, which do not document it")
        common = set(by_estimator) - listed
        versions = []
        for group in [common, *groups]:
            texts = defaultdict(list)
            for cls_name in sorted(group & set(by_estimator)):
                texts[by_estimator[cls_name]].append(cls_name)
            if len(texts) > 1:
                lines = [f"{name}: {len(texts)} versions"]
                for (type_line, description), names in texts.items():
                    lines.append(f"    {', '.join(names)}:\n        {type_line}\n        {description}")
                problems.append("\n".join(lines))
            versions.extend(texts)
        if len(versions) != len(set(versions)):
            problems.append(f"{name}: an exception describes it as another group does: not needed")
    return problems


def test_parameters_are_described_alike():
    problems = _drift("Parameters", PARAMETER_EXCEPTIONS)
    assert not problems, "\n".join(problems)


def test_attributes_are_described_alike():
    problems = _drift("Attributes", ATTRIBUTE_EXCEPTIONS)
    assert not problems, "\n".join(problems)


# ------------------------------------------------------------------ documented defaults
def _documented_default(type_line):
    match = re.search(r"default=(.*)$", type_line)
    if match is None:
        return inspect.Parameter.empty
    # the default as the HTML pages show it: reStructuredText drops a backslash before
    # any character (a docstring holding ``\\b`` shows ``\b``, one holding ``\b`` shows ``b``)
    return ast.literal_eval(re.sub(r"\\(.)", r"\1", match[1]))


@pytest.mark.parametrize("cls", ESTIMATORS.values(), ids=list(ESTIMATORS))
def test_documented_defaults_are_the_signature_defaults(cls):
    """A shared entry must not carry another estimator's default into this one."""
    signature = inspect.signature(cls.__init__)
    wrong = {}
    for name, (type_line, _) in _entries(cls, "Parameters").items():
        default = signature.parameters[name].default
        documented = _documented_default(type_line)
        if documented is not inspect.Parameter.empty and documented != default:
            wrong[name] = (documented, default)
    assert not wrong, f"documented default != signature default: {wrong}"
