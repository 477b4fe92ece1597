"""CI runs what the README promises: its test command verbatim, then the linters and mypy."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def readme_test_command() -> str:
    quick_start = (ROOT / "README.md").read_text(encoding="utf-8").split("## Quick start", 1)[1]
    block = quick_start.split("```sh", 1)[1].split("```", 1)[0]
    (command,) = [line for line in block.splitlines() if "-m pytest" in line]
    return command.strip()


def test_ci_runs_the_readme_test_command_then_lint_and_types() -> None:
    steps = [
        line.strip()
        for line in (ROOT / ".ci" / "run").read_text(encoding="utf-8").splitlines()
        if line.strip() and not line.startswith(("#", "set ", "cd "))
    ]
    assert steps[0] == readme_test_command()
    assert steps[1:] == [
        ".venv/bin/ruff check .",
        ".venv/bin/ruff format --check .",
        ".venv/bin/mypy",
    ]


def test_the_tools_ci_runs_come_with_the_test_extra() -> None:
    extra = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"][
        "optional-dependencies"
    ]["test"]
    names = {re.split(r"[<>=\[ ]", requirement, maxsplit=1)[0] for requirement in extra}
    assert {"ruff", "mypy", "types-reportlab", "pytest", "hypothesis"} <= names


def test_system_deps_install_faketime() -> None:
    # The suite must pass under `faketime '2027-06-15 10:00:00'`, so CI machines get it too.
    script = (ROOT / "packaging" / "system-deps.sh").read_text(encoding="utf-8")
    packages = script.split('PKGS="', 1)[1].split('"', 1)[0].split()
    assert "faketime" in packages


def test_readme_says_how_to_run_the_quick_set() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert '-m pytest -m "not slow"' in readme


def test_readme_maps_every_package() -> None:
    developers = (ROOT / "README.md").read_text(encoding="utf-8").split("## For developers", 1)[1]
    rows = {m.group(1) for m in re.finditer(r"^\s*\| `([a-z_]+)/` \|", developers, re.MULTILINE)}
    packages = {p.parent.name for p in (ROOT / "journeyapp").glob("*/__init__.py")}
    assert packages <= rows, f"README's package map lacks {sorted(packages - rows)}"
