"""numpy's BLAS keeps to the calling thread: no second thread spins beside training."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
# The threads of a process that imported playground, then numpy, and multiplied
# matrices the size of the neuron maps' (which OpenBLAS would otherwise share out).
COUNT = """
import os, playground, numpy as np
np.ones((37, 32), np.float32) @ np.ones((32, 370), np.float32)
print(len(os.listdir("/proc/self/task")), os.environ["OPENBLAS_NUM_THREADS"])
"""


@pytest.mark.skipif(not Path("/proc/self/task").is_dir(), reason="needs Linux's /proc")
def test_numpy_multiplies_on_the_calling_thread_only():
    env = {k: v for k, v in os.environ.items() if k != "OPENBLAS_NUM_THREADS"}
    out = subprocess.run([sys.executable, "-c", COUNT], capture_output=True, text=True,
                         env=env, cwd=ROOT, check=True).stdout.split()
    assert out == ["1", "1"]
