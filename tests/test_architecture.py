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
