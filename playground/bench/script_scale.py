"""The exported training script on the scale data: two torchrun processes against one.

The scale project (scale.py) is exported as a script and run twice, as `python
train.py` and as `torchrun --standalone --nproc_per_node=2 train.py` on the CPU (gloo).
Each run reports the samples per second of its epochs (metrics.json; starting the
interpreters and reading the rows are left out). Their ratio says what a second
process buys: on a machine with two cores, one process already uses both (as
threads), so expect about 1; on several machines, each brings its own cores.
"""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
from pathlib import Path

RUN_TIMEOUT_S = 1800


def torchrun_command() -> list[str]:
    torchrun = Path(sys.executable).parent / "torchrun"
    return [str(torchrun)] if torchrun.exists() else [sys.executable, "-m",
                                                       "torch.distributed.run"]


def measure(rows: int, epochs: int, log=print) -> dict:
    """`script_single_samples_per_second`, `script_torchrun2_samples_per_second` and
    their ratio (None where a run failed, with the reason logged)."""
    from playground.bench import scale
    from playground.core.data.split import prepare
    from playground.core.files.export_script import export_script
    from playground.core.files.project import project_from_trainer
    from playground.core.training.trainer import Trainer

    dataset, spec, config = scale.scale_setup(rows, epochs, "cpu")
    data = prepare(dataset, config.val_fraction, config.seed)
    project = project_from_trainer(Trainer(data, spec, config), dataset)
    results = {"script_rows": rows, "script_epochs": epochs}
    launchers = {"single": [sys.executable],
                 "torchrun2": [*torchrun_command(), "--standalone", "--nproc_per_node=2"]}
    with tempfile.TemporaryDirectory(prefix="playground-bench-script-") as folder:
        export_script(project, folder, data=data)
        for name, start in launchers.items():
            log(f"Exported script, {name}: {rows:,} rows, {epochs} epoch(s)…")
            metrics = Path(folder) / f"{name}.json"
            done = subprocess.run(
                [*start, "train.py", "--epochs", str(epochs), "--device", "cpu",
                 "--metrics", str(metrics), "--project", str(Path(folder) / f"{name}.pgproj")],
                cwd=folder, capture_output=True, text=True, timeout=RUN_TIMEOUT_S)
            rate = None
            if done.returncode == 0:
                rate = json.loads(metrics.read_text())["samples_per_second"]
                log(f"  {rate:,.0f} samples/s")
            else:
                log(f"  failed: {(done.stderr.strip().splitlines() or ['?'])[-1]}")
            results[f"script_{name}_samples_per_second"] = rate
    single, double = (results["script_single_samples_per_second"],
                      results["script_torchrun2_samples_per_second"])
    results["script_torchrun_ratio"] = double / single if single and double else None
    return results
