"""Intersphinx inventories written from the installed packages, for builds without network.

CI (and this project's machines) cannot reach scikit-learn.org, pytorch.org and the other
documentation sites, so ``objects.inv`` cannot be fetched and intersphinx would warn
(an error under ``-W``). Instead, each inventory below is written at build time from the
installed package: its public classes and functions, at the URL scheme that project's
documentation uses. Links therefore point at the real pages online; a name outside these
lists simply stays unlinked (no warning, as ``nitpicky`` is off).
"""

import importlib
import inspect
import zlib
from pathlib import Path

# project -> (base URL, [(module, page scheme)]); the scheme gets {full} (dotted name)
# and {name}; an anchor #{full} is appended.
PROJECTS = {
    "sklearn": (
        "https://scikit-learn.org/stable/",
        [
            (m, "modules/generated/{full}.html")
            for m in (
                "sklearn.base",
                "sklearn.compose",
                "sklearn.datasets",
                "sklearn.decomposition",
                "sklearn.ensemble",
                "sklearn.exceptions",
                "sklearn.feature_extraction.text",
                "sklearn.linear_model",
                "sklearn.manifold",
                "sklearn.metrics",
                "sklearn.model_selection",
                "sklearn.naive_bayes",
                "sklearn.neural_network",
                "sklearn.pipeline",
                "sklearn.preprocessing",
                "sklearn.svm",
                "sklearn.utils",
                "sklearn.utils.estimator_checks",
                "sklearn.utils.validation",
            )
        ],
    ),
    "python": (
        "https://docs.python.org/3/",
        [
            ("collections", "library/collections.html"),
            ("importlib.util", "library/importlib.html"),
            ("pathlib", "library/pathlib.html"),
        ],
    ),
    "numpy": ("https://numpy.org/doc/stable/", [("numpy", "reference/generated/{full}.html")]),
    "torch": (
        "https://docs.pytorch.org/docs/stable/",
        [
            ("torch", "generated/{full}.html"),
            ("torch.nn", "generated/{full}.html"),
            ("torch.nn.utils.rnn", "generated/{full}.html"),
            ("torch.optim", "generated/{full}.html"),
            ("torch.amp", "amp.html"),
            ("torch.utils.data", "data.html"),
        ],
    ),
    "skorch": (
        "https://skorch.readthedocs.io/en/stable/",
        [
            ("skorch.net", "net.html"),
            ("skorch.classifier", "classifier.html"),
            ("skorch.regressor", "regressor.html"),
            ("skorch.callbacks", "callbacks.html"),
            ("skorch.history", "history.html"),
            ("skorch.dataset", "dataset.html"),
        ],
    ),
    "gensim": (
        "https://radimrehurek.com/gensim/",
        [
            ("gensim.models.keyedvectors", "models/keyedvectors.html"),
            ("gensim.models.word2vec", "models/word2vec.html"),
            ("gensim.models.fasttext", "models/fasttext.html"),
        ],
    ),
}

# names these projects also export from a shorter path (module -> the short path)
SHORT_PATHS = {
    "gensim.models.keyedvectors": "gensim.models",
    "gensim.models.word2vec": "gensim.models",
    "gensim.models.fasttext": "gensim.models",
    "skorch.net": "skorch",
    "skorch.classifier": "skorch",
    "skorch.regressor": "skorch",
    "skorch.history": "skorch",
}


def _entries(module_name, scheme):
    try:
        module = importlib.import_module(module_name)
    except ImportError:
        return []
    names = getattr(module, "__all__", None) or [n for n in dir(module) if not n.startswith("_")]
    entries = []
    for name in names:
        try:
            obj = getattr(module, name, None)
        except ImportError:  # experimental names (HalvingGridSearchCV)
            continue
        if inspect.isclass(obj):
            role = "class"
        elif callable(obj):
            role = "function"
        else:
            continue
        defined_in = getattr(obj, "__module__", "")
        if module_name.startswith(("skorch", "gensim")) and defined_in != module_name:
            continue  # documented on the page of the module that defines it
        full = f"{module_name}.{name}"
        uri = scheme.format(full=full, name=name) + "#" + full
        entries.append((full, role, uri))
        short = SHORT_PATHS.get(module_name)
        if short:
            entries.append((f"{short}.{name}", role, uri))
        if role == "class":  # methods on the class's page: module.Class.method
            for member, value in vars(obj).items():
                if not member.startswith("_") and callable(value):
                    anchor = f"{full}.{member}"
                    page = scheme.format(full=full, name=name) + "#" + anchor
                    entries.append((anchor, "method", page))
                    if short:
                        entries.append((f"{short}.{name}.{member}", "method", page))
    return entries


# entries that are not Python objects: glossary terms and labels numpydoc links types to
# ("array_like", "iterable", "bool"), and the builtins
EXTRA = {
    "numpy": [("array_like", "std:term", "glossary.html#term-array_like")],
    "python": [
        ("iterable", "std:term", "glossary.html#term-iterable"),
        ("bltin-boolean-values", "std:label", "library/stdtypes.html#boolean-type-bool"),
        ("None", "py:data", "library/constants.html#None"),
        ("callable", "py:function", "library/functions.html#callable"),
        ("True", "py:data", "library/constants.html#True"),
        ("False", "py:data", "library/constants.html#False"),
    ]
    + [
        (name, "py:class", f"library/functions.html#{name}")
        for name in ("bool", "bytes", "dict", "float", "int", "list", "object", "set", "str")
    ]
    + [(name, "py:class", f"library/stdtypes.html#{name}") for name in ("tuple", "type")],
}


def write_inventory(project, directory):
    """Write ``<directory>/<project>.inv`` and return its path and its base URL."""
    base, modules = PROJECTS[project]
    seen = {}
    for module_name, scheme in modules:
        for full, role, uri in _entries(module_name, scheme):
            seen.setdefault((full, role), uri)
    if project == "sklearn":  # the module pages :mod:`sklearn.datasets` etc.
        for module_name, _ in modules:
            seen.setdefault((module_name, "module"), f"api/{module_name}.html#module-{module_name}")
    lines = [f"{full} py:{role} 1 {uri} -" for (full, role), uri in sorted(seen.items())]
    for name, role, uri in EXTRA.get(project, []):
        if role == "std:label":  # a :ref: target, shown by its title
            lines.append(f"{name} {role} -1 {uri} Boolean values")
        else:
            lines.append(f"{name} {role} 1 {uri} -")
    body = "\n".join(lines) + "\n"
    header = (
        "# Sphinx inventory version 2\n"
        f"# Project: {project}\n# Version: \n"
        "# The remainder of this file is compressed using zlib.\n"
    )
    path = Path(directory) / f"{project}.inv"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(header.encode() + zlib.compress(body.encode()))
    return base, str(path)


def intersphinx_mapping(directory):
    """The ``intersphinx_mapping`` of conf.py, on the inventories written to ``directory``."""
    mapping = {}
    for project in PROJECTS:
        base, path = write_inventory(project, directory)
        mapping[project] = (base, path)
    return mapping
