"""The built application's smoke check (packaging/build.sh runs it).

    python packaging/smoke_check.py dist/playground/playground --venv-playground VENV/bin/playground

Runs the bundle with no Python on PATH and a throw-away home: trains a few epochs
and predicts through its command line, opens and closes the window offscreen,
installs and removes its menu entry; validates the packaging's .desktop entry and
AppStream metainfo; prints the bundle's size and its start-up time against the
virtual environment's `playground`. Exits 1 on the first failure.
"""

from __future__ import annotations

import argparse
import json
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

PACKAGING = Path(__file__).resolve().parent
APP_ID = "io.github.nnplayground.Playground"


class SmokeFailure(Exception):
    pass


def clean_env(home: Path) -> dict[str, str]:
    """No PATH to any Python, no PYTHON* variables, a home and settings of its own."""
    empty_bin = home / "bin"
    empty_bin.mkdir(exist_ok=True)
    (home / "run").mkdir(mode=0o700, exist_ok=True)  # Qt wants a private runtime folder
    return {"PATH": str(empty_bin), "HOME": str(home), "LANG": "C.UTF-8",
            "QT_QPA_PLATFORM": "offscreen", "XDG_CONFIG_HOME": str(home / "config"),
            "XDG_DATA_HOME": str(home / "data"), "XDG_RUNTIME_DIR": str(home / "run")}


def run(cmd: list[str], env: dict, timeout: float = 300) -> subprocess.CompletedProcess:
    out = subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=timeout)
    if out.returncode != 0:
        raise SmokeFailure(f"{' '.join(cmd)} exited {out.returncode}:\n{out.stderr[-2000:]}")
    return out


def seconds_to_paint(cmd: list[str], env: dict) -> float:
    """Process start to the window's first paint (`playground --smoke-test`)."""
    start = time.time()
    out = run([*cmd, "--smoke-test"], env, timeout=180)
    for line in out.stdout.splitlines():
        if line.startswith("painted "):
            return float(line.split()[1]) - start
    raise SmokeFailure(f"the window never painted: {out.stderr[-1000:]}")


def drop_page_cache() -> bool:
    """A true cold start reads every library from disk; only root may ask for that."""
    try:
        subprocess.run(["sync"], check=False)
        Path("/proc/sys/vm/drop_caches").write_text("3\n")
        return True
    except OSError:
        return False


def folder_size(path: Path) -> int:
    return sum(f.stat().st_size for f in path.rglob("*") if f.is_file() and not f.is_symlink())


def check_bundle(exe: Path, home: Path) -> None:
    env = clean_env(home)
    project = home / "penguins.pgproj"
    out = run([str(exe), "train", "--epochs", "30", "--json", "--out", str(project)], env)
    metrics = json.loads(out.stdout.splitlines()[-1])
    print(f"train (bundled, 30 epochs): val_accuracy {metrics['val_accuracy']:.3f} "
          f"in {metrics['seconds']:.2f} s on {metrics['device']}")
    out = run([str(exe), "predict", "--model", str(project), "39.1", "18.7", "181", "3750",
               "--json"], env)
    prediction = json.loads(out.stdout.splitlines()[-1])
    print(f"predict (bundled): {prediction['label']} "
          f"p={max(prediction['probabilities'].values()):.3f}")
    onnx = home / "penguins.onnx"
    run([str(exe), "export", "--model", str(project), "--format", "onnx", "--out", str(onnx)],
        env)
    print(f"export --format onnx (bundled): {onnx.stat().st_size} bytes")
    seconds = seconds_to_paint([str(exe)], env)
    print(f"window (bundled): opened, first paint after {seconds:.2f} s, closed")

    out = run([str(exe), "install-desktop"], env)
    entry = home / "data" / "applications" / f"{APP_ID}.desktop"
    if f"Exec={exe.resolve()} %f" not in entry.read_text():
        raise SmokeFailure(f"{entry} does not run {exe}:\n{entry.read_text()}")
    validate(["desktop-file-validate", str(entry)])
    run([str(exe), "install-desktop", "--remove"], env)
    if entry.exists():
        raise SmokeFailure("install-desktop --remove left the entry")
    print("install-desktop / --remove (bundled): ok")


def validate(cmd: list[str]) -> None:
    """Runs a validator; its output (hints included) is part of the report."""
    if shutil.which(cmd[0]) is None:
        raise SmokeFailure(f"{cmd[0]} is missing: apt-get install desktop-file-utils appstream")
    out = subprocess.run(cmd, capture_output=True, text=True)
    text = (out.stdout + out.stderr).strip()
    print(f"$ {' '.join(cmd[:1] + [Path(c).name if '/' in c else c for c in cmd[1:]])}"
          f"  -> exit {out.returncode}")
    for line in text.splitlines():
        print(f"    {line}")
    if out.returncode != 0:
        raise SmokeFailure(f"{cmd[0]} failed")


def compare_startup(exe: Path, venv_playground: Path, home: Path, repeats: int) -> None:
    env = clean_env(home)
    # A non-editable install has the package but not resources/ (the bundle carries both).
    venv_env = {**env, "PATH": f"{venv_playground.parent}:{env['PATH']}",
                "PLAYGROUND_RESOURCES": str(PACKAGING.parent / "resources")}
    cold = drop_page_cache()
    bundled_first = seconds_to_paint([str(exe)], env)
    if cold:
        drop_page_cache()
    venv_first = seconds_to_paint([str(venv_playground)], venv_env)
    bundled = statistics.median(seconds_to_paint([str(exe)], env) for _ in range(repeats))
    venv = statistics.median(seconds_to_paint([str(venv_playground)], venv_env)
                             for _ in range(repeats))
    first = "cold (page cache dropped)" if cold else "first run (page cache not dropped)"
    print(f"start-up to first paint, {first}: bundled {bundled_first:.2f} s, "
          f"venv {venv_first:.2f} s")
    print(f"start-up to first paint, warm median of {repeats}: bundled {bundled:.2f} s, "
          f"venv {venv:.2f} s (ratio {bundled / venv:.2f})")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("exe", type=Path, help="the bundled executable")
    parser.add_argument("--venv-playground", type=Path, required=True,
                        help="`playground` of a virtual environment, to compare start-up")
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args()
    exe = args.exe.resolve()
    home = Path(tempfile.mkdtemp(prefix="playground-smoke-"))
    try:
        size = folder_size(exe.parent)
        print(f"bundle: {exe.parent} {size / 2**20:.0f} MiB")
        validate(["desktop-file-validate", str(PACKAGING / f"{APP_ID}.desktop")])
        validate(["appstreamcli", "validate", "--no-net",
                  str(PACKAGING / f"{APP_ID}.metainfo.xml")])
        check_bundle(exe, home)
        compare_startup(exe, args.venv_playground, home, args.repeats)
    except (SmokeFailure, subprocess.TimeoutExpired) as e:
        print(f"smoke check FAILED: {e}", file=sys.stderr)
        return 1
    finally:
        shutil.rmtree(home, ignore_errors=True)
    print("smoke check passed")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
