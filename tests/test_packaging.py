"""The desktop packaging: the PyInstaller spec, the .desktop entry, the AppStream
metainfo, the icons and `playground install-desktop`. The bundle itself is built
and smoke-checked by packaging/build.sh, not here (torch alone is ~750 MB)."""

import ast
import configparser
import os
import shutil
import struct
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

import playground
from playground import desktop_entry
from playground.cli import main
from playground.desktop_entry import APP_ID, ICON_SIZES, quote_exec_argument

ROOT = Path(__file__).resolve().parents[1]
PACKAGING = ROOT / "packaging"
ICONS = ROOT / "resources" / "icons"


def read_entry(text: str) -> dict[str, str]:
    parser = configparser.ConfigParser(interpolation=None)
    parser.optionxform = str  # keys are case-sensitive in desktop entries
    parser.read_string(text)
    return dict(parser["Desktop Entry"])


def spec_assignments() -> dict[str, ast.expr]:
    tree = ast.parse((PACKAGING / "playground.spec").read_text())
    return {t.id: node.value for node in tree.body if isinstance(node, ast.Assign)
            for t in node.targets if isinstance(t, ast.Name)}


# --- the PyInstaller spec ---------------------------------------------------------------------

def test_spec_names_the_entry_point_that_runs_the_cli():
    values = spec_assignments()
    entry = ast.unparse(values["ENTRY_POINT"])
    assert entry == "ROOT / 'packaging' / 'playground_entry.py'"
    tree = ast.parse((PACKAGING / "playground_entry.py").read_text())
    imports = [n for n in tree.body if isinstance(n, ast.ImportFrom)]
    assert [(n.module, [a.name for a in n.names]) for n in imports] == [
        ("playground.cli", ["main"])]
    assert "raise SystemExit(main())" in (PACKAGING / "playground_entry.py").read_text()


def test_spec_bundles_the_resources_and_a_one_folder_app():
    text = (PACKAGING / "playground.spec").read_text()
    for name in ("penguins.csv", "penguins.json", "icons"):
        assert f'"{name}"' in text
        assert (ROOT / "resources" / name).exists()
    assert "COLLECT(" in text and "exclude_binaries=True" in text  # one folder, not one file
    assert ast.literal_eval(spec_assignments()["APP_NAME"]) == "playground"


def test_spec_excludes_unused_qt_modules_and_dev_tools():
    excluded = set(ast.literal_eval(spec_assignments()["EXCLUDED_MODULES"]))
    for module in ("PySide6.QtWebEngineCore", "PySide6.Qt3DCore", "PySide6.QtQml",
                   "PySide6.QtQuick", "PySide6.QtMultimedia", "PySide6.QtPdf",
                   "onnxruntime", "pytest", "hypothesis"):
        assert module in excluded
    used = {"PySide6.QtCore", "PySide6.QtGui", "PySide6.QtWidgets", "PySide6.QtSvg",
            "PySide6.QtOpenGL", "PySide6.QtOpenGLWidgets"}  # pyqtgraph imports these
    assert not used & excluded


def test_build_script_uses_a_clean_venv_and_runs_the_smoke_check():
    script = (PACKAGING / "build.sh").read_text()
    assert os.access(PACKAGING / "build.sh", os.X_OK)
    assert "python3 -m venv" in script and "torch==2.13.0" in script
    assert "[package]" in script and "smoke_check.py" in script


# --- the desktop entry, metainfo and icons ----------------------------------------------------

def test_packaged_desktop_entry_keys():
    path = PACKAGING / f"{APP_ID}.desktop"
    keys = read_entry(path.read_text())
    assert keys["Type"] == "Application"
    assert keys["Exec"].split()[0] == "playground"
    assert keys["Icon"] == APP_ID
    assert keys["Categories"] == "Education;ArtificialIntelligence;"  # one main category
    assert keys["Categories"].endswith(";")
    assert keys["Terminal"] == "false"


def test_installed_entry_matches_the_packaged_one_but_for_exec():
    packaged = read_entry((PACKAGING / f"{APP_ID}.desktop").read_text())
    installed = read_entry(desktop_entry.desktop_entry(["/opt/nn playground/playground"]))
    assert installed.pop("Exec") == '"/opt/nn playground/playground" %f'
    assert installed.pop("TryExec") == "/opt/nn playground/playground"
    packaged.pop("Exec"), packaged.pop("TryExec")
    assert installed == packaged


def test_metainfo_id_and_launchable_match_the_desktop_entry():
    root = ET.parse(PACKAGING / f"{APP_ID}.metainfo.xml").getroot()
    assert root.get("type") == "desktop-application"
    assert root.findtext("id") == APP_ID
    assert root.findtext("launchable") == f"{APP_ID}.desktop"
    assert root.findtext("provides/binary") == "playground"
    assert root.find("releases/release").get("version") == playground.__version__


def png_size(path: Path) -> tuple[int, int]:
    header = path.read_bytes()[:24]
    assert header[:8] == b"\x89PNG\r\n\x1a\n", path
    return struct.unpack(">II", header[16:24])


def test_icon_svg_and_every_png_size():
    assert ET.parse(ICONS / "playground.svg").getroot().tag.endswith("svg")
    for size in ICON_SIZES:
        assert png_size(ICONS / f"playground-{size}.png") == (size, size)


@pytest.mark.skipif(shutil.which("desktop-file-validate") is None,
                    reason="desktop-file-utils not installed")
def test_desktop_entries_pass_desktop_file_validate(tmp_path):
    generated = tmp_path / f"{APP_ID}.desktop"
    generated.write_text(desktop_entry.desktop_entry([sys.executable, "-m", "playground"]))
    for path in (PACKAGING / f"{APP_ID}.desktop", generated):
        out = subprocess.run(["desktop-file-validate", str(path)], capture_output=True,
                             text=True)
        assert out.returncode == 0 and "error" not in out.stdout, out.stdout


@pytest.mark.skipif(shutil.which("appstreamcli") is None, reason="appstream not installed")
def test_metainfo_passes_appstreamcli():
    out = subprocess.run(["appstreamcli", "validate", "--no-net",
                          str(PACKAGING / f"{APP_ID}.metainfo.xml")],
                         capture_output=True, text=True)
    assert out.returncode == 0, out.stdout


def test_window_icon_has_every_size(qapp):
    from playground.ui.app_icon import app_icon

    icon = app_icon()
    assert not icon.isNull()
    sizes = {s.width() for s in icon.availableSizes()}
    assert set(ICON_SIZES) <= sizes


# --- the Exec line ----------------------------------------------------------------------------

@pytest.mark.parametrize(("arg", "quoted"), [
    ("/usr/bin/playground", "/usr/bin/playground"),
    ("/home/ann/my apps/playground", '"/home/ann/my apps/playground"'),
    ('/tmp/a"b$c', '"/tmp/a\\\\"b\\\\$c"'),  # \" and \$ inside quotes, then \ doubled
    ("/tmp/100%/playground", "/tmp/100%%/playground"),
])
def test_exec_arguments_are_quoted_as_the_spec_says(arg, quoted):
    assert quote_exec_argument(arg) == quoted


def test_exec_runs_the_frozen_executable(monkeypatch, tmp_path):
    exe = tmp_path / "playground"
    exe.write_text("")
    monkeypatch.setattr(sys, "frozen", True, raising=False)
    monkeypatch.setattr(sys, "executable", str(exe))
    assert desktop_entry.current_command() == [str(exe.resolve())]


def test_exec_runs_the_script_that_was_launched(monkeypatch, tmp_path):
    script = tmp_path / "bin" / "playground"
    script.parent.mkdir()
    script.write_text("#!/bin/sh\n")
    monkeypatch.setattr(sys, "argv", [str(script), "install-desktop"])
    assert desktop_entry.current_command() == [str(script.resolve())]


# --- playground install-desktop ---------------------------------------------------------------

@pytest.fixture
def data_home(monkeypatch, tmp_path):
    home = tmp_path / "share"
    monkeypatch.setenv("XDG_DATA_HOME", str(home))
    return home


def installed(home: Path) -> set[str]:
    return {str(p.relative_to(home)) for p in home.rglob("*") if p.is_file()}


def test_install_desktop_writes_the_entry_and_icons(data_home, capsys):
    assert main(["install-desktop"]) == 0
    files = installed(data_home)
    assert f"applications/{APP_ID}.desktop" in files
    for size in ICON_SIZES:
        assert f"icons/hicolor/{size}x{size}/apps/{APP_ID}.png" in files
    assert f"icons/hicolor/scalable/apps/{APP_ID}.svg" in files
    assert f"mime/packages/{APP_ID}.xml" in files
    keys = read_entry((data_home / "applications" / f"{APP_ID}.desktop").read_text())
    command = desktop_entry.current_command()
    assert keys["Exec"] == " ".join(map(quote_exec_argument, command)) + " %f"
    assert keys["Icon"] == APP_ID
    assert keys["MimeType"] == f"{desktop_entry.PROJECT_MIME_TYPE};"
    out = capsys.readouterr().out
    assert "install-desktop --remove" in out and ".pgproj" in out
    assert "note:" not in out  # the caches were refreshed where the tools exist


@pytest.mark.skipif(shutil.which("update-mime-database") is None
                    or shutil.which("update-desktop-database") is None,
                    reason="shared-mime-info or desktop-file-utils not installed")
def test_installed_project_files_open_in_the_playground(data_home, capsys):
    """The caches the desktop reads say: *.pgproj is a playground project, opened by
    the playground's entry."""
    assert main(["install-desktop"]) == 0
    globs = (data_home / "mime" / "globs2").read_text()
    assert f"{desktop_entry.PROJECT_MIME_TYPE}:*.pgproj" in globs
    assert f"{desktop_entry.PROJECT_MIME_TYPE}=" \
        f"{APP_ID}.desktop;" in (data_home / "applications" / "mimeinfo.cache").read_text()


def test_install_desktop_without_shared_mime_info_says_what_to_do(data_home, capsys,
                                                                  monkeypatch):
    from playground.commands import install_desktop

    real = shutil.which
    monkeypatch.setattr(install_desktop.shutil, "which",
                        lambda tool: None if tool == "update-mime-database" else real(tool))
    assert main(["install-desktop"]) == 0
    out = capsys.readouterr().out
    assert "note: update-mime-database is not installed" in out and "shared-mime-info" in out
    assert f"mime/packages/{APP_ID}.xml" in installed(data_home)  # ready for when it is


def test_install_desktop_remove_undoes_it(data_home, capsys):
    (data_home / "applications").mkdir(parents=True)
    someone_elses = data_home / "applications" / "other.desktop"
    someone_elses.write_text("[Desktop Entry]\n")
    assert main(["install-desktop"]) == 0
    assert main(["install-desktop", "--remove"]) == 0
    left = installed(data_home)
    assert "applications/other.desktop" in left
    # What is left is someone else's, or a cache that no longer mentions the playground.
    for name in left:
        assert b"nnplayground" not in (data_home / name).read_bytes(), name
    capsys.readouterr()
    assert main(["install-desktop", "--remove"]) == 0  # twice is not a mistake
    assert "Nothing to remove" in capsys.readouterr().out


def test_the_project_mime_type_matches_the_entry_and_the_save_dialog():
    from playground.ui.files.project_file import SUFFIX as PROJECT_SUFFIX

    root = ET.parse(ROOT / "resources" / "mime" / f"{APP_ID}.xml").getroot()
    ns = {"m": "http://www.freedesktop.org/standards/shared-mime-info"}
    kind = root.find("m:mime-type", ns)
    assert kind.get("type") == desktop_entry.PROJECT_MIME_TYPE
    assert kind.find("m:glob", ns).get("pattern") == f"*{PROJECT_SUFFIX}"
    assert kind.find("m:sub-class-of", ns).get("type") == "application/zip"
    metainfo = ET.parse(PACKAGING / f"{APP_ID}.metainfo.xml").getroot()
    assert metainfo.findtext("provides/mediatype") == desktop_entry.PROJECT_MIME_TYPE


def test_install_desktop_defaults_to_local_share(monkeypatch, tmp_path, capsys):
    monkeypatch.setenv("XDG_DATA_HOME", "")  # empty means unset, says the spec
    monkeypatch.setenv("HOME", str(tmp_path))
    assert main(["install-desktop"]) == 0
    assert (tmp_path / ".local/share/applications" / f"{APP_ID}.desktop").is_file()


def one_error_line(capsys) -> str:
    out, err = capsys.readouterr()
    lines = err.splitlines()
    assert len(lines) == 1 and lines[0].startswith("playground: error: "), err
    assert "Traceback" not in out + err
    return lines[0]


def test_install_desktop_refuses_a_relative_data_home(monkeypatch, capsys):
    monkeypatch.setenv("XDG_DATA_HOME", "relative/share")
    assert main(["install-desktop"]) == 2
    assert "XDG_DATA_HOME must be an absolute path" in one_error_line(capsys)


def test_install_desktop_where_a_file_is_in_the_way(monkeypatch, tmp_path, capsys):
    blocker = tmp_path / "share"
    blocker.write_text("not a folder")
    monkeypatch.setenv("XDG_DATA_HOME", str(blocker))
    assert main(["install-desktop"]) == 2
    assert f"check that {blocker} is a folder you can write to" in one_error_line(capsys)


def test_install_desktop_bad_usage(data_home, capsys):
    assert main(["install-desktop", "--bogus"]) == 2
    assert "unrecognized arguments: --bogus" in one_error_line(capsys)
    assert not data_home.exists()


# --- --smoke-test -----------------------------------------------------------------------------

def test_smoke_test_opens_the_window_and_quits(tmp_path):
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen",
           "XDG_CONFIG_HOME": str(tmp_path / "config")}
    out = subprocess.run([sys.executable, "-m", "playground", "--smoke-test"], env=env,
                         capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr
    assert out.stdout.startswith("painted ")


def test_smoke_test_is_not_in_the_help(capsys):
    with pytest.raises(SystemExit):
        main(["--help"])
    assert "smoke" not in capsys.readouterr().out


def test_a_regular_install_carries_the_data_set_and_icons(tmp_path, monkeypatch):
    """`pip install .` (not editable) has no checkout beside the package: pyproject's
    data-files put what the application reads under <prefix>/share, where
    core/resources.py looks."""
    import json
    import tomllib

    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    data_files = config["tool"]["setuptools"]["data-files"]
    installed = {}
    for target, patterns in data_files.items():
        for pattern in patterns:
            for path in ROOT.glob(pattern):
                installed[path.relative_to(ROOT / "resources").as_posix()] = target
    meta = json.loads((ROOT / "resources" / "penguins.json").read_text(encoding="utf-8"))
    needed = ["penguins.json", meta["file"], "icons/playground.svg",
              *(f"icons/playground-{size}.png" for size in ICON_SIZES),
              f"mime/{APP_ID}.xml"]
    for name in needed:
        assert name in installed, f"{name} is not installed by a regular install"
        folder = "share/neural-network-playground/resources"
        assert installed[name] == "/".join([folder, *name.split("/")[:-1]])
    # ... and that is where the application finds them when no checkout is beside it.
    from playground.core.files import resources

    share = tmp_path / folder
    share.mkdir(parents=True)
    monkeypatch.delenv("PLAYGROUND_RESOURCES", raising=False)
    monkeypatch.setattr(sys, "prefix", str(tmp_path))
    monkeypatch.setattr(resources, "__file__", str(tmp_path / "site" / "playground" / "core"
                                                   / "files" / "resources.py"))
    assert resources.resources_dir() == share
