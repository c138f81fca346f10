"""Rules that keep the code simple: the engine knows nothing of Qt."""

import subprocess
import sys


def _modules_loaded_by(statement: str) -> set[str]:
    code = f"import sys; {statement}; print('\\n'.join(sys.modules))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True).stdout
    return set(out.split())


def test_engine_does_not_load_qt():
    loaded = _modules_loaded_by(
        "import playground.core, playground.core.trainer, playground.core.project, "
        "playground.core.predictor, playground.core.dataset")
    assert "playground.core.trainer" in loaded
    assert not {m for m in loaded if m.startswith(("PySide6", "shiboken6", "pyqtgraph"))}


def test_spec_and_data_load_without_torch():
    """The window can draw the network before torch has finished loading."""
    loaded = _modules_loaded_by(
        "import playground.core.spec, playground.core.config, playground.core.dataset, "
        "playground.core.split, playground.core.forward, playground.core.predictor")
    assert "playground.core.spec" in loaded
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
