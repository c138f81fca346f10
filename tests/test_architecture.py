"""Rules that keep the code simple: the engine knows nothing of Qt, and the modules
import one another without circles or private names."""

import ast
import subprocess
import sys
from pathlib import Path


def _modules_loaded_by(statement: str) -> set[str]:
    code = f"import sys; {statement}; print('\\n'.join(sys.modules))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True).stdout
    return set(out.split())


def test_engine_does_not_load_qt():
    loaded = _modules_loaded_by(
        "import playground.core, playground.core.training.trainer, playground.core.files.project, "
        "playground.core.network.predictor, playground.core.data.dataset")
    assert "playground.core.training.trainer" in loaded
    assert not {m for m in loaded if m.startswith(("PySide6", "shiboken6", "pyqtgraph"))}


def test_spec_and_data_load_without_torch():
    """The window can draw the network before torch has finished loading."""
    loaded = _modules_loaded_by(
        "import playground.core.network.spec, playground.core.training.config, "
        "playground.core.data.dataset, playground.core.data.split, "
        "playground.core.network.forward, playground.core.network.predictor")
    assert "playground.core.network.spec" in loaded
    assert "torch" not in loaded


def test_the_window_is_built_without_torch_pandas_or_numpy_random():
    """What the first paint waits for: torch loads after it, pandas only for an import,
    and the default split comes from the split cache once drawn (split_cache.py)."""
    build = ("from PySide6.QtWidgets import QApplication; app = QApplication([]); "
             "from playground.ui.main_window import MainWindow; w = MainWindow()")
    _modules_loaded_by(build)  # fills the caches, as any earlier start has
    loaded = _modules_loaded_by(build)
    assert "playground.ui.main_window" in loaded
    assert not {"torch", "pandas", "numpy.random", "hashlib"} & loaded


PACKAGE = Path(__file__).resolve().parent.parent / "playground"


def _modules() -> dict[str, Path]:
    """Every module of the package by its dotted name (a package by its own name)."""
    found = {}
    for path in PACKAGE.rglob("*.py"):
        parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
        if parts[-1] == "__init__":
            parts = parts[:-1]
        found[".".join(parts)] = path
    return found


def _imports(name: str, path: Path) -> list[tuple[str, list[str], int]]:
    """(module imported from, the names taken, line) for every import in the file, those
    inside functions included; relative imports resolved."""
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found += [(alias.name, [], node.lineno) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                package = name.split(".") if path.name == "__init__.py" else \
                    name.split(".")[:-1]
                package = package[:len(package) - node.level + 1]
                base = ".".join([*package, base] if base else package)
            found.append((base, [alias.name for alias in node.names], node.lineno))
    return found


def _import_graph() -> dict[str, set[str]]:
    """Which of the package's modules each module imports (`from p import m` counts as
    importing the module p.m)."""
    modules = _modules()
    graph = {}
    for name, path in modules.items():
        targets = set()
        for module, names, _ in _imports(name, path):
            taken = {f"{module}.{n}" for n in names} & modules.keys()
            targets |= taken or ({module} & modules.keys())
        graph[name] = targets - {name}
    return graph


def _cycle(graph: dict[str, set[str]]) -> list[str] | None:
    """One import cycle, as the modules along it, or None (depth-first search)."""
    state: dict[str, str] = {}  # "open" while on the current path, then "done"
    path: list[str] = []

    def visit(module: str) -> list[str] | None:
        state[module] = "open"
        path.append(module)
        for target in sorted(graph[module]):
            if state.get(target) == "open":
                return [*path[path.index(target):], target]
            if target not in state and (found := visit(target)):
                return found
        path.pop()
        state[module] = "done"
        return None

    for module in sorted(graph):
        if module not in state and (found := visit(module)):
            return found
    return None


def test_the_import_graph_finds_what_it_is_meant_to():
    """The graph sees imports inside functions and relative ones; the search finds a
    cycle of three and passes over a diamond."""
    graph = _import_graph()
    loaders = graph["playground.core.data.data_loaders"]
    assert "playground.core.data.table_import" in loaders  # in a function
    assert "playground.core.data.data_cache" in loaders  # from p import m
    assert _cycle({"a": {"b"}, "b": {"c"}, "c": {"a"}}) == ["a", "b", "c", "a"]
    assert _cycle({"a": {"b", "c"}, "b": {"d"}, "c": {"d"}, "d": set()}) is None


def test_no_module_imports_one_that_imports_it_back():
    """No circle of imports, however long and wherever the imports are (functions
    too): each module can be read, and loaded, after the ones it uses."""
    graph = _import_graph()
    mutual = sorted((a, b) for a in graph for b in graph[a] if a < b and a in graph[b])
    assert not mutual
    assert _cycle(graph) is None


def test_no_module_takes_another_modules_private_names():
    """A leading underscore means "only for this module": what others need is public."""
    taken = []
    for name, path in _modules().items():
        for module, names, line in _imports(name, path):
            private = [n for n in names if n.startswith("_") and not n.startswith("__")]
            if module.startswith("playground") and module != name and private:
                taken.append(f"{path.relative_to(PACKAGE.parent)}:{line} {module} {private}")
            if module.startswith("playground") and any(
                    part.startswith("_") and not part.startswith("__")
                    for part in module.split(".")):
                taken.append(f"{path.relative_to(PACKAGE.parent)}:{line} {module}")
    assert not taken


def test_no_engine_module_imports_the_window_the_commands_or_qt():
    """Every module of playground/core, not only those the start-up loads: the engine is
    used by the window, the command line and the benchmark, and uses none of them."""
    outside = ("PySide6", "shiboken6", "pyqtgraph", "playground.ui", "playground.commands",
               "playground.bench", "playground.cli")
    found = [f"{name}:{line} {module}" for name, path in _modules().items()
             if name.startswith("playground.core")
             for module, _, line in _imports(name, path) if module.startswith(outside)]
    assert not found
