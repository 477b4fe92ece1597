"""A build holds every module its jobs load, not only the window's: the spec, the excludes and
the smoke test's check (journeyapp.start.missing_from_build) against what the code really imports."""

from __future__ import annotations

import ast
import os
import subprocess
import sys
from pathlib import Path

from journeyapp import start
from journeyapp.cli import COMMAND_MODULES
from tests.packaging.test_packaging import ROOT, SPEC, run_app, spec_value

PACKAGE = ROOT / "journeyapp"


def _imports_inside(tree: ast.Module) -> set[str]:
    """Modules imported anywhere but at the top of a module (so loaded only when the code
    around them runs), leaving out `if TYPE_CHECKING:` blocks (never run)."""
    found: set[str] = set()

    def visit(node: ast.AST, nested: bool) -> None:
        if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
            for child in node.orelse:
                visit(child, nested)
            return
        if nested and isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        if nested and isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            found.add(node.module)
        inside = nested or isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef)
        for child in ast.iter_child_nodes(node):
            visit(child, inside)

    visit(tree, False)
    return found


def test_the_smoke_test_knows_every_library_loaded_for_some_jobs_only() -> None:
    """Every library the code imports inside a function (scipy for the report's audit,
    openpyxl for a spreadsheet...) is one the smoke test loads: a build missing it fails there."""
    later: set[str] = set()
    for path in PACKAGE.rglob("*.py"):
        later |= _imports_inside(ast.parse(path.read_text(encoding="utf-8")))
    libraries = {
        name
        for name in later
        if name.split(".")[0] not in sys.stdlib_module_names and name.split(".")[0] != "journeyapp"
    }
    assert "scipy.optimize" in libraries  # the scan sees what it is for
    assert libraries == set(start.LOADED_FOR_SOME_JOBS)


def test_every_module_and_library_loads_here() -> None:
    """What the smoke test checks in a build holds in this checkout (the check's names are
    real: a misspelt one would fail every build)."""
    assert start.missing_from_build() == []
    names = start.app_modules()
    assert {f"journeyapp.cli.{m}" for m in COMMAND_MODULES.values()} <= set(names)
    on_disk = {
        ".".join(p.relative_to(ROOT).with_suffix("").parts).removesuffix(".__init__")
        for p in PACKAGE.rglob("*.py")
    } - {"journeyapp", "journeyapp.__main__"}
    assert set(names) == on_disk


def test_the_spec_names_every_module_of_journeyapp() -> None:
    """Command modules are imported by name when their command runs, which PyInstaller cannot
    see: the spec names every module (a build answered `journeyapp report` with "No module
    named 'journeyapp.cli.report_cmds'")."""
    tree = ast.parse(SPEC.read_text(encoding="utf-8"))
    [listing] = [
        node.value
        for node in tree.body
        if isinstance(node, ast.Assign)
        and any(isinstance(t, ast.Name) and t.id == "APP_MODULES" for t in node.targets)
    ]
    named = eval(compile(ast.Expression(listing), str(SPEC), "eval"), {"ROOT": ROOT})
    assert set(start.app_modules()) <= set(named)
    assert "*APP_MODULES" in SPEC.read_text(encoding="utf-8").split("hiddenimports=", 1)[1][:80]


def test_the_spec_excludes_nothing_a_job_loads() -> None:
    """The excludes leave out only what nothing loads: every module of JourneyApp and every
    library loaded for some jobs, imported in a fresh process, load none of them (scipy's
    optimizer loads numpy, unittest and pydoc, which were excluded: a build's report failed)."""
    excludes: list[str] = spec_value("EXCLUDES")
    probe = (
        "import sys\n"
        "from journeyapp import start\n"
        "assert start.missing_from_build() == []\n"
        "print('\\n'.join(sorted(sys.modules)))\n"
    )
    loaded = subprocess.run(
        [sys.executable, "-c", probe],
        cwd=ROOT,
        env={**os.environ, "QT_QPA_PLATFORM": "offscreen"},
        capture_output=True,
        text=True,
        timeout=300,
        check=True,
    ).stdout.split()
    assert "scipy.optimize" in loaded
    clash = {name for name in loaded for e in excludes if name == e or name.startswith(e + ".")}
    assert not clash


def test_the_smoke_test_fails_a_build_that_lacks_a_library(tmp_path: Path) -> None:
    """A build without scipy (as the excludes made it) fails the smoke test, saying what it
    lacks, instead of passing and failing on a coordinator's first report."""
    hide = tmp_path / "hide"
    hide.mkdir()
    (hide / "sitecustomize.py").write_text(
        "import sys\nsys.modules['scipy.optimize'] = None\n", encoding="utf-8"
    )
    paths = [str(hide), str(ROOT), os.environ.get("PYTHONPATH", "")]
    result = run_app(
        "--smoke-test",
        env={
            "HOME": str(tmp_path),
            "XDG_DATA_HOME": "",
            "PYTHONPATH": os.pathsep.join(p for p in paths if p),
        },
    )
    assert result.returncode == 1, result.stderr
    assert "This build lacks modules its jobs need:" in result.stderr
    assert "scipy.optimize" in result.stderr
    assert "Traceback" not in result.stderr
    assert run_app("--smoke-test", env={"HOME": str(tmp_path)}).returncode == 0
