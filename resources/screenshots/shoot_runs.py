"""Save resources/screenshots/runs.png: three runs, two of them overlaid on the plots.

Run from the repository root: python resources/screenshots/shoot_runs.py [out.png]
"""

import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))  # this checkout's playground

from PySide6.QtCore import Qt  # noqa: E402

from playground.bench import harness  # noqa: E402
from playground.core.config import TrainingConfig  # noqa: E402
from playground.core.spec import LayerSpec, NetworkSpec  # noqa: E402

RUNS = [  # (network, settings): three runs worth comparing
    (NetworkSpec(4, 3, (LayerSpec(8, "relu"),)), TrainingConfig(device="cpu", epochs=300)),
    (NetworkSpec(4, 3, ()), TrainingConfig(device="cpu", optimizer="sgd", learning_rate=0.1,
                                           epochs=400)),
    (NetworkSpec(4, 3, (LayerSpec(16, "tanh"), LayerSpec(16, "tanh"))),
     TrainingConfig(device="cpu", learning_rate=0.01, epochs=250)),
]

out = sys.argv[1] if len(sys.argv) > 1 else "resources/screenshots/runs.png"
app, window = harness.open_window()
window.resize(1600, 950)
window.docks["runsDock"].show()
window.resizeDocks([window.docks["plots"]], [330], Qt.Orientation.Vertical)
for spec, config in RUNS:
    harness.prepare_run(app, window, spec, config)
    harness.train_to_limit(app, window)
view = window.insights.view("runsDock")
for number in (1, 2):
    window.runs.set_overlaid(number, True)
view.refresh()
view.select(1)
# Once the docks have their first layout: room for the table's names beside the plots.
window.resizeDocks([window.docks["plots"], window.docks["runsDock"]], [560, 640],
                   Qt.Orientation.Horizontal)
start = time.perf_counter()
harness.wait_until(app, lambda: time.perf_counter() - start > 0.8, 5)
window.grab().save(out)
harness.close_window(window)
