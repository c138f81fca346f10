"""Guard against the PySide6 6.12.0 / Python 3.11 binding that frees `None`.

That binding drops a reference to None on every void-returning call; after
about 5,100 calls the interpreter aborts ("Fatal Python error: none_dealloc").
The check runs in a subprocess so a bad binding cannot take pytest down too.
"""

import subprocess
import sys
import textwrap

SCRIPT = textwrap.dedent("""
    import os, sys
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication, QLabel
    app = QApplication([])
    label = QLabel()
    timer = QTimer()
    before = sys.getrefcount(None)
    for i in range(20_000):
        label.setText("x")      # void-returning calls, as the window makes all day
        label.update()
        timer.start(1000)
        timer.stop()
        app.processEvents()
    after = sys.getrefcount(None)
    print(before, after)
""")


def test_binding_survives_many_void_calls():
    result = subprocess.run([sys.executable, "-c", SCRIPT], capture_output=True, text=True,
                            timeout=120)
    assert result.returncode == 0, (
        f"the Qt binding crashed the interpreter (exit {result.returncode}): "
        f"{result.stderr[-500:]}")
    before, after = map(int, result.stdout.split())
    # Python 3.12+ reports a constant for the immortal None; on 3.11 it must not fall.
    assert after >= before - 100, f"refcount of None fell from {before} to {after}"
