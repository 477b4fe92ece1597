"""Import boundaries from DESIGN §4, checked on every run."""

from __future__ import annotations

import ast
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "journeyapp"
# layer -> the journeyapp layers and third-party packages it may import
ALLOWED: dict[str, set[str]] = {
    # Babel only when a document is printed in another language (dates and numbers);
    # zxcvbn for the measured passphrase strength (issue 17). Both pure Python. BLAKE3 for
    # the digest of a bundle's file (core.file_digests), which the command line starts first.
    "core": {"babel", "zxcvbn", "blake3"},
    "store": {"core", "sqlite_utils", "sqlcipher3"},
    "caseload": {"core", "store", "paths"},
    "demo": {"core", "caseload"},
    "plans": {"core", "paths", "reportlab", "bidi"},
    "exchange": {"core", "caseload", "paths", "openpyxl", "defusedxml", "scipy"},
    "security": {"core", "caseload", "store", "paths"},
    "paths": {"platformdirs"},
    # A merge's digest and key started from sys.argv before click loads (journeyapp/ahead.py).
    "ahead": {"core", "paths"},
    # Where every run begins: the window straight away for its common launches (no click),
    # anything else handed to `cli` (issue 18).
    "start": {"core", "ahead", "caseload", "security", "paths", "ui", "cli"},
    # The second front end: thin commands over the library. `ui` only to start the window
    # (imported when no command is given, so commands and --help never load Qt).
    "cli": {
        "ahead",
        "core",
        "caseload",
        "security",
        "demo",
        "plans",
        "exchange",
        "paths",
        "ui",
        "start",
        "click",
    },
    "ui": {
        "core",
        "caseload",
        "plans",
        "exchange",
        "paths",
        "demo",
        "security",
        "PySide6",
        "typing_extensions",
    },
}
THIRD_PARTY = {
    "scipy",
    "babel",
    "bidi",
    "uharfbuzz",
    "PySide6",
    "sqlite_utils",
    "sqlcipher3",
    "reportlab",
    "click",
    "platformdirs",
    "openpyxl",
    "defusedxml",
    "zxcvbn",
    "blake3",
}


def _imports(path: Path) -> Iterator[str]:
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            yield from (alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            yield node.module


def _layer(path: Path) -> str:
    return path.relative_to(PACKAGE).parts[0].removesuffix(".py")


@pytest.mark.parametrize(
    "path", sorted(PACKAGE.rglob("*.py")), ids=lambda p: str(p.relative_to(PACKAGE))
)
def test_layer_imports(path: Path) -> None:
    layer = _layer(path)
    if layer in {"__init__", "__main__"}:
        return
    assert layer in ALLOWED, f"{layer} is a new layer: add it to ALLOWED and DESIGN §4"
    for name in _imports(path):
        top, _, rest = name.partition(".")
        target = rest.split(".")[0] if top == "journeyapp" else top
        if top == "journeyapp" and target and target != layer:
            assert target in ALLOWED[layer], f"{layer} must not import journeyapp.{target}"
        elif top in THIRD_PARTY:
            assert top in ALLOWED[layer], f"{layer} must not import {top}"


def test_only_cli_imports_click() -> None:
    for path in PACKAGE.rglob("*.py"):
        if path.is_relative_to(PACKAGE / "cli"):
            continue
        assert "click" not in {n.split(".")[0] for n in _imports(path)}, path


def test_the_command_line_is_a_package_of_its_own() -> None:
    # One module of a thousand lines became commands grouped by job (issue 12); nothing may
    # bring the single module back beside the package.
    assert (PACKAGE / "cli" / "__init__.py").is_file()
    assert not (PACKAGE / "cli.py").exists()


def test_the_command_line_loads_neither_qt_nor_the_store_for_help() -> None:
    # --help, --version and a mistyped option answer at once: the caseload, the store and Qt
    # are imported only when a command runs.
    code = (
        "import sys; from journeyapp.cli import cli\n"
        "heavy = [m for m in ('PySide6', 'sqlite_utils', 'journeyapp.caseload', 'reportlab') "
        "if m in sys.modules]\n"
        "print(','.join(heavy))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        cwd=PACKAGE.parent,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "", f"loaded on import: {result.stdout.strip()}"


def test_everything_but_ui_imports_without_qt() -> None:
    modules = [
        ".".join(p.relative_to(PACKAGE.parent).with_suffix("").parts)
        for p in sorted(PACKAGE.rglob("*.py"))
        if _layer(p) not in {"ui", "__main__"}
    ]
    code = "import sys; sys.modules['PySide6'] = None\n" + "\n".join(f"import {m}" for m in modules)
    result = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        cwd=PACKAGE.parent,
        check=False,
    )
    assert result.returncode == 0, result.stderr


def test_long_work_never_spins_the_event_loop() -> None:
    """Long work runs in ui/operations.py off the window's thread; processEvents() loops (which
    let timers and clicks run in the middle of it) are not used anywhere."""
    spinning = [
        str(path.relative_to(PACKAGE))
        for path in PACKAGE.rglob("*.py")
        if "processEvents(" in path.read_text(encoding="utf-8")
    ]
    assert spinning == []
