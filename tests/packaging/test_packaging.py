"""Packaging: the spec, desktop entry, icons, install script and smoke test, without running PyInstaller."""

from __future__ import annotations

import ast
import configparser
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QSize
from PySide6.QtGui import QIcon, QImage, QImageReader

from journeyapp import __version__, paths

ROOT = Path(__file__).resolve().parents[2]
PACKAGING = ROOT / "packaging"
SPEC = PACKAGING / "journeyapp.spec"
DESKTOP = PACKAGING / "linux" / "journeyapp.desktop"
ICONS = ROOT / "resources" / "icons"
SIZES = (16, 24, 32, 48, 64, 128, 256, 512)


def spec_value(name: str) -> Any:
    """The value of a top-level assignment in the spec (a literal or a re.compile(...) call)."""
    tree = ast.parse(SPEC.read_text(encoding="utf-8"))
    for node in tree.body:
        if isinstance(node, ast.Assign) and any(
            isinstance(t, ast.Name) and t.id == name for t in node.targets
        ):
            return eval(compile(ast.Expression(node.value), str(SPEC), "eval"), {"re": re})
    raise AssertionError(f"{name} is not assigned in {SPEC.name}")


def test_spec_is_python_with_no_console_window() -> None:
    text = SPEC.read_text(encoding="utf-8")
    ast.parse(text)
    assert "console=False" in text
    assert '"win32": str(ICONS / "journeyapp.ico")' in text
    assert 'icon=str(ICONS / "journeyapp.icns")' in text


def test_spec_lists_every_resource_into_the_frozen_resources_folder() -> None:
    resources: list[tuple[str, str]] = spec_value("RESOURCES")
    covered: set[Path] = set()
    for source, dest in resources:
        matches = sorted(ROOT.glob(source))
        assert matches, f"{source} in the spec matches no file"
        for match in matches:
            assert match.is_file()
            covered.add(match)
            if match.is_relative_to(ROOT / "resources"):
                # paths.resource() reads <bundle>/resources/<same relative path> when frozen.
                assert Path(dest) == Path("resources") / match.parent.relative_to(
                    ROOT / "resources"
                ), source
    shipped = {p for p in (ROOT / "resources").rglob("*") if p.is_file()}
    missing = sorted(str(p.relative_to(ROOT)) for p in shipped - covered)
    assert not missing, f"add these to RESOURCES in packaging/journeyapp.spec: {missing}"
    # Help > About shows these from <bundle>/resources.
    assert ("LICENSE", "resources") in resources
    assert ("CHANGELOG.md", "resources") in resources


@pytest.mark.parametrize(
    "path",
    [
        "PySide6/Qt/lib/libQt6Core.so.6",
        "PySide6/Qt/lib/libQt6Gui.so.6",
        "PySide6/Qt/lib/libQt6Widgets.so.6",
        "PySide6/Qt/lib/libQt6Svg.so.6",
        "PySide6/Qt/lib/libQt6PrintSupport.so.6",
        "PySide6/Qt/lib/libQt6Pdf.so.6",
        "PySide6/Qt/lib/libQt6PdfWidgets.so.6",
        "PySide6/Qt/lib/libQt6Network.so.6",
        "PySide6/Qt/lib/libQt6OpenGL.so.6",
        "PySide6/Qt/lib/libicudata.so.73",
        "PySide6/Qt/plugins/platforms/libqxcb.so",
        "PySide6/Qt/plugins/platforms/libqwayland.so",
        "PySide6/Qt/plugins/platforms/libqoffscreen.so",
        "PySide6/Qt/plugins/platformthemes/libqxdgdesktopportal.so",
        "PySide6/Qt/plugins/imageformats/libqsvg.so",
        "PySide6/Qt/plugins/imageformats/libqjpeg.so",
        "PySide6/Qt/plugins/iconengines/libqsvgicon.so",
        "PySide6/Qt/plugins/printsupport/libcupsprintersupport.so",
        "PySide6/Qt/plugins/xcbglintegrations/libqxcb-glx-integration.so",
        r"PySide6\Qt6Core.dll",
        r"PySide6\plugins\platforms\qwindows.dll",
        r"PySide6\plugins\styles\qmodernwindowsstyle.dll",
        r"PySide6\plugins\imageformats\qsvg.dll",
        "PySide6/Qt/plugins/platforms/libqcocoa.dylib",
        "PySide6/Qt/lib/QtWidgets.framework/Versions/A/QtWidgets",
        "resources/fonts/DejaVuSans.ttf",
    ],
)
def test_spec_keeps_what_the_app_needs(path: str) -> None:
    drop: re.Pattern[str] = spec_value("DROP")
    assert not drop.search(path.replace("\\", "/"))


@pytest.mark.parametrize(
    "path",
    [
        "PySide6/Qt/lib/libQt6Qml.so.6",
        "PySide6/Qt/lib/libQt6Quick.so.6",
        "PySide6/Qt/lib/libQt6VirtualKeyboard.so.6",
        "PySide6/Qt/lib/libQt6EglFSDeviceIntegration.so.6",
        "PySide6/Qt/translations/qtbase_de.qm",
        "PySide6/Qt/plugins/platformthemes/libqgtk3.so",
        "PySide6/Qt/plugins/imageformats/libqpdf.so",
        "PySide6/Qt/plugins/tls/libqopensslbackend.so",
        "PySide6/Qt/plugins/sqldrivers/libqsqlite.so",
        r"PySide6\plugins\imageformats\qtiff.dll",
        r"PySide6\translations\qtbase_fr.qm",
    ],
)
def test_spec_drops_what_the_app_never_uses(path: str) -> None:
    drop: re.Pattern[str] = spec_value("DROP")
    assert drop.search(path.replace("\\", "/"))


def test_spec_excludes_unused_modules_but_not_used_ones() -> None:
    excludes: list[str] = spec_value("EXCLUDES")
    for unused in ("tkinter", "PySide6.QtQml", "PySide6.QtQuick", "PySide6.QtWebEngineCore"):
        assert unused in excludes
    used = {"PySide6.QtCore", "PySide6.QtGui", "PySide6.QtWidgets", "PySide6.QtSvg"}
    used |= {"PySide6.QtPrintSupport", "PySide6.QtPdf", "PySide6.QtPdfWidgets", "sqlite3"}
    assert not used & set(excludes)


def test_desktop_entry_is_valid() -> None:
    validator = shutil.which("desktop-file-validate")
    if validator:
        result = subprocess.run([validator, str(DESKTOP)], capture_output=True, text=True)
        assert result.returncode == 0, result.stdout + result.stderr
        assert result.stdout.strip() == ""
    entry = configparser.ConfigParser(interpolation=None)
    entry.optionxform = str  # type: ignore[assignment,method-assign]  # keys are case-sensitive
    entry.read(DESKTOP, encoding="utf-8")
    section = entry["Desktop Entry"]
    assert section["Type"] == "Application"
    assert section["Name"] == "JourneyApp"
    assert section["Exec"] == "journeyapp"
    assert section["Icon"] == "journeyapp"
    assert section["Terminal"] == "false"
    assert section["Categories"] == "Office;"
    # Qt sets WM_CLASS to ("journeyapp", applicationName); the dock matches the window by it.
    assert section["StartupWMClass"] == paths.APP_NAME
    assert section["Comment"]


@pytest.mark.parametrize("size", SIZES)
def test_png_icons_exist_at_every_size(size: int) -> None:
    image = QImage(str(ICONS / f"journeyapp-{size}.png"))
    assert not image.isNull()
    assert (image.width(), image.height()) == (size, size)
    assert image.hasAlphaChannel()
    # The rounded corners are transparent; the middle is drawn.
    assert image.pixelColor(0, 0).alpha() == 0
    assert image.pixelColor(size // 2, size // 2).alpha() == 255


def test_svg_icon_loads_as_the_window_icon(qapp: Any) -> None:
    svg = paths.resource("icons/journeyapp.svg")
    assert svg == ICONS / "journeyapp.svg"
    icon = QIcon(str(svg))
    assert not icon.isNull()
    assert not icon.pixmap(QSize(16, 16)).isNull()
    assert icon.pixmap(QSize(48, 48)).toImage().pixelColor(24, 24).alpha() == 255


def test_windows_and_macos_icons(qapp: Any) -> None:
    reader = QImageReader(str(ICONS / "journeyapp.ico"))
    sizes = set()
    for index in range(reader.imageCount()):
        reader.jumpToImage(index)
        sizes.add(reader.read().width())
    assert sizes >= {16, 24, 32, 48, 64, 128, 256}
    assert (ICONS / "journeyapp.icns").read_bytes()[:4] == b"icns"


def test_licence_file_is_the_gpl_3() -> None:
    text = (ROOT / "LICENSE").read_text(encoding="utf-8")
    assert "GNU GENERAL PUBLIC LICENSE" in text
    assert "Version 3, 29 June 2007" in text
    assert "GPL-3.0-or-later" in (ROOT / "pyproject.toml").read_text(encoding="utf-8")


def test_changelog_has_a_section_for_this_version_with_dated_lines() -> None:
    text = (ROOT / "CHANGELOG.md").read_text(encoding="utf-8")
    headings = re.findall(r"^## (\S+)", text, flags=re.MULTILINE)
    assert __version__ in headings
    bullets = [line for line in text.splitlines() if line.startswith("- ")]
    assert bullets
    for line in bullets:
        assert re.match(r"- \d{4}-\d{2}-\d{2}: .+", line), line


def run_app(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    """`python -m journeyapp ARGS` from the repository root, offscreen."""
    full_env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", **(env or {})}
    return subprocess.run(
        [sys.executable, "-m", "journeyapp", *args],
        cwd=ROOT,
        env=full_env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_smoke_test_exits_zero(tmp_path: Path) -> None:
    result = run_app("--smoke-test", env={"HOME": str(tmp_path), "XDG_DATA_HOME": ""})
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
    # It used a temporary caseload, not the person's data folder.
    assert not (tmp_path / ".local" / "share" / paths.APP_NAME).exists()


def test_help_says_where_the_data_is() -> None:
    result = run_app("--help", env={"COLUMNS": "200"})
    assert result.returncode == 0
    assert f"Your caseload is kept in {paths.data_dir()}" in result.stdout


def staged_tarball(tmp_path: Path) -> Path:
    """The tarball's layout as build.sh makes it, around a stand-in for the PyInstaller bundle."""
    stage = tmp_path / "journeyapp-test-linux"
    bundle = stage / "journeyapp"
    (bundle / "_internal").mkdir(parents=True)
    program = bundle / "journeyapp"
    program.write_text("#!/bin/sh\necho stand-in\n")
    program.chmod(0o755)
    (stage / "share" / "applications").mkdir(parents=True)
    shutil.copy(DESKTOP, stage / "share" / "applications")
    scalable = stage / "share" / "icons" / "hicolor" / "scalable" / "apps"
    scalable.mkdir(parents=True)
    shutil.copy(ICONS / "journeyapp.svg", scalable)
    for size in SIZES:
        folder = stage / "share" / "icons" / "hicolor" / f"{size}x{size}" / "apps"
        folder.mkdir(parents=True)
        shutil.copy(ICONS / f"journeyapp-{size}.png", folder / "journeyapp.png")
    shutil.copy(PACKAGING / "linux" / "install.sh", stage / "install.sh")
    return stage


def install(stage: Path, home: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {"PATH": os.environ["PATH"], "HOME": str(home)}
    return subprocess.run(
        ["sh", str(stage / "install.sh"), *args], env=env, capture_output=True, text=True
    )


def test_install_sh_installs_for_the_user_and_uninstalls(tmp_path: Path) -> None:
    stage = staged_tarball(tmp_path)
    home = tmp_path / "home"
    data = home / ".local" / "share" / paths.APP_NAME / "caseload.db"
    data.parent.mkdir(parents=True)
    data.write_bytes(b"the keyworker's caseload")

    result = install(stage, home)
    assert result.returncode == 0, result.stderr
    app = home / ".local" / "opt" / "journeyapp"
    assert (app / "journeyapp").is_file()
    entry = home / ".local" / "share" / "applications" / "journeyapp.desktop"
    assert f"Exec={app}/journeyapp" in entry.read_text().splitlines()
    for size in SIZES:
        icon = home / ".local/share/icons/hicolor" / f"{size}x{size}" / "apps" / "journeyapp.png"
        assert icon.is_file()
    assert (home / ".local/bin/journeyapp").resolve() == (app / "journeyapp").resolve()

    # Installing again (an upgrade) replaces the folder whole.
    (app / "_internal" / "left-over-from-old-version").write_text("x")
    assert install(stage, home).returncode == 0
    assert not (app / "_internal" / "left-over-from-old-version").exists()

    result = install(stage, home, "--uninstall")
    assert result.returncode == 0, result.stderr
    assert not app.exists()
    assert not entry.exists()
    assert not (home / ".local/bin/journeyapp").exists()
    assert data.read_bytes() == b"the keyworker's caseload"


def test_install_sh_system_wide_into_a_staging_folder(tmp_path: Path) -> None:
    stage = staged_tarball(tmp_path)
    root = tmp_path / "root"
    result = install(stage, tmp_path, "--system", "--destdir", str(root))
    assert result.returncode == 0, result.stderr
    assert (root / "opt/journeyapp/journeyapp").is_file()
    entry = (root / "usr/share/applications/journeyapp.desktop").read_text()
    assert "Exec=/opt/journeyapp/journeyapp" in entry.splitlines()
    assert (root / "usr/share/icons/hicolor/scalable/apps/journeyapp.svg").is_file()
    assert os.readlink(root / "usr/local/bin/journeyapp") == "/opt/journeyapp/journeyapp"
    assert (
        install(stage, tmp_path, "--system", "--destdir", str(root), "--uninstall").returncode == 0
    )
    assert not any(p.is_file() or p.is_symlink() for p in root.rglob("*"))


def test_install_sh_never_deletes_a_folder_that_is_not_journeyapp(tmp_path: Path) -> None:
    stage = staged_tarball(tmp_path)
    home = tmp_path / "home"
    precious = home / ".local" / "opt" / "journeyapp" / "precious.txt"
    precious.parent.mkdir(parents=True)
    precious.write_text("keep me")
    result = install(stage, home, "--uninstall")
    assert result.returncode != 0
    assert "left alone" in result.stderr
    assert precious.read_text() == "keep me"
