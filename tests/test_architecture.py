"""The package's layers (docs/architecture.md), read from the source: which package may
import which, no import cycle, and a training base that names no subclass's parameter."""

import ast
import inspect
import pathlib

import pytest

import sktext
import sktext.neural_network
from sktext.neural_network._base import BaseNeuralNetwork

ROOT = pathlib.Path(sktext.__file__).parent

#: Packages from the bottom up: a module may import its own package and those below.
LAYERS = {
    "sktext.utils": 0,
    "sktext.nn": 1,
    "sktext.preprocessing": 2,
    "sktext.datasets": 2,
    "sktext.embeddings": 3,
    "sktext.neural_network": 4,
}
TOP = 5  # sktext itself and its top-level modules (_export, _persistence, plotting...)

#: Helpers for tests and docs: they may import anything, and nothing of sktext imports them.
TEST_HELPERS = (
    "sktext.utils._testing",
    "sktext.utils._hostile_files",
    "sktext.utils.estimator_checks",
)


def _modules():
    modules = {}
    for path in ROOT.rglob("*.py"):
        parts = path.relative_to(ROOT.parent).with_suffix("").parts
        if parts[-1] == "__init__":
            parts = parts[:-1]
        modules[".".join(parts)] = path
    return modules


MODULES = _modules()


def _imports(module):
    """The sktext modules ``module`` imports (at module level or inside functions)."""
    path = MODULES[module]
    package = module if path.name == "__init__.py" else module.rsplit(".", 1)[0]
    found = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.rsplit(".", node.level - 1)[0] if node.level > 1 else package
                base += f".{node.module}" if node.module else ""
            else:
                base = node.module or ""
            names = [
                f"{base}.{a.name}" if f"{base}.{a.name}" in MODULES else base for a in node.names
            ]
        else:
            continue
        found.update(name for name in names if name in MODULES and name != module)
    return found


GRAPH = {module: _imports(module) for module in MODULES}


def _layer(module):
    for package, rank in LAYERS.items():
        if module == package or module.startswith(package + "."):
            return rank
    return TOP


def test_graph_is_read():
    assert "sktext.neural_network._base" in GRAPH["sktext.neural_network._mlp"]
    assert "sktext.nn" in GRAPH["sktext.neural_network._mlp"] or any(
        m.startswith("sktext.nn.") for m in GRAPH["sktext.neural_network._mlp"]
    )


def test_layers():
    wrong = sorted(
        f"{module} -> {target}"
        for module, targets in GRAPH.items()
        if not module.startswith(TEST_HELPERS)
        for target in targets
        if _layer(target) > _layer(module)
    )
    assert wrong == []


def test_nothing_imports_the_test_helpers():
    wrong = sorted(
        f"{module} -> {target}"
        for module, targets in GRAPH.items()
        if not module.startswith(TEST_HELPERS)
        for target in targets
        if target.startswith(TEST_HELPERS)
    )
    assert wrong == []


def test_no_import_cycle():
    # Tarjan's strongly connected components over the import graph
    index, low, stack, on_stack, cycles = {}, {}, [], set(), []

    def visit(v):
        index[v] = low[v] = len(index)
        stack.append(v)
        on_stack.add(v)
        for w in GRAPH[v]:
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            component = []
            while True:
                w = stack.pop()
                on_stack.discard(w)
                component.append(w)
                if w == v:
                    break
            if len(component) > 1:
                cycles.append(sorted(component))

    for module in GRAPH:
        if module not in index:
            visit(module)
    assert cycles == []


def test_torch_modules_import_no_scikit_learn():
    for module, path in MODULES.items():
        if _layer(module) != LAYERS["sktext.nn"]:
            continue
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, (ast.Import, ast.ImportFrom)):
                names = (
                    [a.name for a in node.names]
                    if isinstance(node, ast.Import)
                    else [node.module or ""]
                )
                assert not any(n.split(".")[0] in ("sklearn", "skorch") for n in names), module


def _estimators():
    package = sktext.neural_network
    return [
        getattr(package, name)
        for name in package.__all__
        if inspect.isclass(getattr(package, name))
        and not issubclass(getattr(package, name), Exception)
    ]


def test_base_names_no_parameter_of_a_subclass():
    """A parameter that not every neural estimator has belongs to the classes that have it:
    the base reads no such ``self.<parameter>`` and lists none in a literal collection."""
    params = [set(inspect.signature(cls).parameters) for cls in _estimators()]
    own = set.union(*params) - set.intersection(*params)
    tree = ast.parse(pathlib.Path(inspect.getsourcefile(BaseNeuralNetwork)).read_text())
    named = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Attribute) and getattr(node.value, "id", None) == "self":
            named.add(node.attr)
        elif isinstance(node, (ast.Set, ast.Tuple, ast.List)):
            named.update(e.value for e in node.elts if isinstance(e, ast.Constant))
        elif isinstance(node, ast.Dict):
            named.update(k.value for k in node.keys if isinstance(k, ast.Constant))
    assert sorted(named & own) == []


@pytest.mark.parametrize("cls", _estimators(), ids=lambda c: c.__name__)
def test_declarations_are_merged_along_the_mro(cls):
    """Constraints, continuable parameters and module rates are each class's own
    declarations merged along the MRO, and each names a parameter the estimator has."""
    namespaces = [vars(klass) for klass in cls.__mro__]
    continuable = set().union(*(ns.get("_continuable", ()) for ns in namespaces))
    rates = set().union(*(ns.get("_dropout_rates", ()) for ns in namespaces))
    params = set(inspect.signature(cls).parameters)
    assert continuable == set(cls._continuable_params)
    assert rates == set(cls._module_rates)
    assert continuable <= params
    assert rates <= params
    # every parameter is validated, and by the constraint its own class declares
    assert params <= set(cls._parameter_constraints)
    for name in params:
        owner = next(
            klass for klass in cls.__mro__ if name in vars(klass).get("_parameter_constraints", {})
        )
        assert cls._parameter_constraints[name] is vars(owner)["_parameter_constraints"][name]


def test_a_model_without_its_hooks_cannot_be_made():
    """The hooks the base calls are declared abstract on it."""

    class Incomplete(BaseNeuralNetwork):
        pass

    with pytest.raises(TypeError, match="abstract"):
        Incomplete()
