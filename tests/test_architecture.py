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
    # Babel only when a document is printed in another language (dates and numbers).
    "core": {"babel"},
    "store": {"core", "sqlite_utils", "sqlcipher3"},
    "caseload": {"core", "store", "paths"},
    "demo": {"core", "caseload"},
    "plans": {"core", "paths", "reportlab", "bidi"},
    "exchange": {"core", "caseload", "paths", "openpyxl", "defusedxml", "sqlcipher3", "scipy"},
    "security": {"core", "caseload", "store", "paths"},
    "paths": {"platformdirs"},
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
    if layer in {"__init__", "__main__", "cli"}:
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
        if _layer(path) == "cli":
            continue
        assert "click" not in {n.split(".")[0] for n in _imports(path)}, path


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
