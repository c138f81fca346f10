#!/usr/bin/env bash
# Build the one-folder desktop application (dist/playground/) from a clean
# virtual environment, then run the smoke check on it.
#
#   packaging/build.sh               fresh venv in build/package-venv, build, check
#   packaging/build.sh --reuse-venv  keep that venv from an earlier run (faster)
#
# TORCH_INDEX_URL: where the CPU build of torch comes from. This machine keeps
# torch 2.13.0+cpu on its own disk; elsewhere use https://download.pytorch.org/whl/cpu
# (PyPI's default torch for Linux is the CUDA build, about four times larger).
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
venv="$root/build/package-venv"

if [[ "${1:-}" != "--reuse-venv" || ! -x "$venv/bin/python" ]]; then
  rm -rf "$venv"
  python3 -m venv "$venv"
  "$venv/bin/python" -m pip install --quiet --upgrade pip
  "$venv/bin/python" -m pip install --quiet torch==2.13.0 \
    ${TORCH_INDEX_URL:+--index-url "$TORCH_INDEX_URL"}
  # Not editable: the bundle is built from what a user would install. [package]
  # adds PyInstaller, a build-time tool only.
  "$venv/bin/python" -m pip install --quiet "$root[package]"
fi
"$venv/bin/python" - <<'PY'
import sys
import torch
if torch.version.cuda is not None:
    sys.exit(f"torch {torch.__version__} is a CUDA build; the bundle ships the CPU build "
             "(set TORCH_INDEX_URL=https://download.pytorch.org/whl/cpu)")
PY

echo "== PyInstaller"
start=$(date +%s)
"$venv/bin/pyinstaller" --noconfirm --clean --log-level WARN \
  --distpath "$root/dist" --workpath "$root/build/pyinstaller" packaging/playground.spec
echo "built dist/playground in $(( $(date +%s) - start )) s"

echo "== smoke check"
"$venv/bin/python" packaging/smoke_check.py "$root/dist/playground/playground" \
  --venv-playground "$venv/bin/playground"
