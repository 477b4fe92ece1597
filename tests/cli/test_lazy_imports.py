"""Commands load only what they use: --version, check and report never import PySide6 or
reportlab, and open a caseload without a passphrase without loading OpenSSL; none loads
sqlite-utils for an up-to-date caseload (only migrating needs it); the report
command prints what the library reports, byte for byte; the window paints before loading
reports, exports, plans, scipy or click (issue 18)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from journeyapp.caseload import Caseload
from journeyapp.demo import build_demo
from tests.clock import ticking_clock
from tests.conftest import TODAY

ROOT = Path(__file__).resolve().parents[2]
HEAVY = ("PySide6", "reportlab")
# Hashing (OpenSSL) is for passphrases, seals and bundles: not loaded to open a caseload that
# has no passphrase (scipy's audit of a report's withheld counts may load it: the caseload
# these are checked on has no counts to withhold).
OPENSSL = ("_hashlib", "hashlib", "hmac", "secrets", "journeyapp.store.merged_bundles")
PHRASE = "a long enough test passphrase"
# Only to create tables and migrate (store.migrations): opening an up-to-date caseload, the
# window and every command on it work without it (issue 18).
ONLY_TO_MIGRATE = ("sqlite_utils", "pluggy", "sqlite_fts4")

# Runs `python -m journeyapp ARGS` as a person would, then writes the names of every module
# loaded by the end (atexit runs after click's SystemExit) to the file named first.
WRAPPER = """
import atexit, runpy, sys
out = sys.argv[1]
def _report():
    with open(out, "w", encoding="utf-8") as handle:
        handle.write("\\n".join(sorted(sys.modules)))
atexit.register(_report)
sys.argv = ["journeyapp", *sys.argv[2:]]
runpy.run_module("journeyapp", run_name="__main__", alter_sys=True)
"""


def _modules_loaded(tmp_path: Path, args: list[str], phrase: str | None = None) -> set[str]:
    out = tmp_path / "modules.txt"
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    env.pop("JOURNEYAPP_PASSPHRASE", None)
    if phrase is not None:
        env["JOURNEYAPP_PASSPHRASE"] = phrase
    done = subprocess.run(
        [sys.executable, "-c", WRAPPER, str(out), *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr  # the command really ran, and ran to the end
    return set(out.read_text(encoding="utf-8").split())


def _heavy(modules: set[str]) -> set[str]:
    return {m for m in modules if m.split(".")[0] in HEAVY}


@pytest.fixture(scope="module")
def caseloads(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """A small demo caseload (plain), an encrypted caseload with a few parents and an empty
    plain caseload."""
    folder = tmp_path_factory.mktemp("lazy")
    Caseload.open(folder / "empty.db", create=True, demo=True, clock=ticking_clock(TODAY)).close()
    demo = Caseload.open(folder / "demo.db", create=True, demo=True, clock=ticking_clock(TODAY))
    build_demo(demo, participants=20, seed=1, today=TODAY)
    demo.close()
    secret = Caseload.open(folder / "secret.db", PHRASE, create=True, clock=ticking_clock(TODAY))
    secret.enrol_participant("Aileen", secret.catalogue.localities[0].key)
    secret.close()
    return {
        "demo": folder / "demo.db",
        "secret": folder / "secret.db",
        "empty": folder / "empty.db",
    }


def _command_modules(modules: set[str]) -> set[str]:
    return {m for m in modules if m.startswith("journeyapp.cli.") and m.endswith("_cmds")}


def test_version_imports_neither_qt_nor_reportlab(tmp_path: Path) -> None:
    loaded = _modules_loaded(tmp_path, ["--version"])
    assert "click" in loaded  # the wrapper saw the command line run
    assert _heavy(loaded) == set()
    assert _command_modules(loaded) == set()  # no command's module for the group's own option


@pytest.mark.parametrize("command", ["check", "report"])
@pytest.mark.parametrize("which", ["demo", "secret"])
def test_check_and_report_import_neither_qt_nor_reportlab(
    tmp_path: Path, caseloads: dict[str, Path], command: str, which: str
) -> None:
    phrase = PHRASE if which == "secret" else None
    loaded = _modules_loaded(tmp_path, [command, "--db", str(caseloads[which])], phrase)
    assert "journeyapp.caseload" in loaded  # the caseload was really opened
    assert _heavy(loaded) == set()
    assert loaded.isdisjoint(ONLY_TO_MIGRATE)
    own = "caseload_cmds" if command == "check" else "report_cmds"
    assert _command_modules(loaded) == {f"journeyapp.cli.{own}"}  # only the command's module


@pytest.mark.parametrize("command", ["check", "report"])
def test_a_caseload_without_a_passphrase_opens_without_loading_openssl(
    tmp_path: Path, caseloads: dict[str, Path], command: str
) -> None:
    loaded = _modules_loaded(tmp_path, [command, "--db", str(caseloads["empty"])])
    assert "journeyapp.caseload" in loaded  # the caseload was really opened
    assert loaded.isdisjoint(OPENSSL)


# Not loaded by `report` (issue 18): logging until something could keep a message
# (core.lazy_log), tomllib once the catalogue's text is kept (core.kept_toml), and fractions
# and decimal, which the withheld-counts audit no longer uses (exchange.disclosure). Checked on
# the empty caseload: when the audit needs its integer program (the small demo's counts do),
# scipy is loaded, and logging and decimal with it.
REPORT_DOES_NOT_LOAD = ("logging", "tomllib", "fractions", "decimal")


def test_the_report_loads_no_logging_toml_parser_or_fractions(
    tmp_path: Path, caseloads: dict[str, Path]
) -> None:
    args = ["report", "--db", str(caseloads["empty"])]
    first = _modules_loaded(tmp_path, args)  # this test's own state folder: parses the TOML
    assert "journeyapp.exchange.report" in first  # the report was really made
    assert "tomllib" in first  # the check can fail: the first run parses the catalogue
    again = _modules_loaded(tmp_path, args)
    assert "journeyapp.exchange.report" in again
    assert again.isdisjoint(REPORT_DOES_NOT_LOAD), sorted(again & set(REPORT_DOES_NOT_LOAD))


# Parts of the caseload the report never uses, loaded when first used (issue 18): passphrases,
# backups and erasure (caseload.safety); validation (when a record is saved: the caseload's
# clock is core.clock), the funder's return's facts and the words for a change (undo's); the
# return's answer codes and the postcode lookup (only a migration makes its table).
REPORT_NEVER_USES = (
    "journeyapp.core.passphrase",
    "journeyapp.store.backup",
    "journeyapp.store.erase",
    "journeyapp.core.validation",
    "journeyapp.core.monitoring",
    "journeyapp.core.describe",
    "journeyapp.core.codes",
    "journeyapp.core.areas",
    "journeyapp.store.area_lookup",
)


@pytest.mark.parametrize("which", ["demo", "empty"])
def test_the_report_loads_no_part_of_the_caseload_it_does_not_use(
    tmp_path: Path, caseloads: dict[str, Path], which: str
) -> None:
    loaded = _modules_loaded(tmp_path, ["report", "--db", str(caseloads[which])])
    assert "journeyapp.exchange.report" in loaded  # the report was really made
    assert loaded.isdisjoint(REPORT_NEVER_USES), sorted(loaded & set(REPORT_NEVER_USES))


def test_what_the_report_does_not_load_is_named_rightly() -> None:
    """The check can fail: every name is a module of ours (a misspelt one is never loaded)."""
    import importlib.util

    assert all(importlib.util.find_spec(name) for name in REPORT_NEVER_USES)


def _printed(args: list[str]) -> str:
    """What `python -m journeyapp ARGS` prints on its standard output, as a person runs it."""
    env = dict(os.environ, PYTHONPATH=str(ROOT), PYTHONIOENCODING="utf-8")
    env.pop("JOURNEYAPP_PASSPHRASE", None)
    done = subprocess.run(
        [sys.executable, "-m", "journeyapp", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    return done.stdout.decode("utf-8")


@pytest.mark.parametrize(
    "options",
    [
        [],
        ["--format", "json"],
        ["--format", "csv"],
        ["--exact"],
        ["--format", "json", "--from", "2026-04-01", "--to", "2026-09-30", "--locality", "fife"],
    ],
)
def test_the_report_command_prints_what_the_library_reports(
    caseloads: dict[str, Path], options: list[str]
) -> None:
    """The command loads only what it uses, and prints the report the library builds for the
    same caseload and options, byte for byte (text, JSON and CSV)."""
    from datetime import date

    from journeyapp.exchange.report import build_report

    path = caseloads["demo"]
    printed = _printed(["report", "--db", str(path), *options])
    given = dict(zip(options[::2], options[1::2], strict=False))
    fmt = given.get("--format", "text")
    since, until = (given.get(o) for o in ("--from", "--to"))
    caseload = Caseload.open(path)
    try:
        report = build_report(
            caseload,
            since=date.fromisoformat(since) if since else None,
            until=date.fromisoformat(until) if until else None,
            locality=given.get("--locality"),
        )
    finally:
        caseload.close()
    render = {"text": report.to_text, "json": report.to_json, "csv": report.to_csv}[fmt]
    assert printed == render("--exact" not in options)
    assert printed.startswith(
        "{" if fmt == "json" else ('"section"' if fmt == "csv" else "Programme")
    )


def test_plan_imports_reportlab_but_not_qt(tmp_path: Path, caseloads: dict[str, Path]) -> None:
    """A plan needs reportlab (and only the plans' commands), never the window's PySide6."""
    out = tmp_path / "plan.pdf"
    loaded = _modules_loaded(
        tmp_path, ["plan", "Aileen", "--db", str(caseloads["secret"]), "--out", str(out)], PHRASE
    )
    assert out.read_bytes().startswith(b"%PDF")
    assert _heavy({m.split(".")[0] for m in loaded}) == {"reportlab"}
    assert _command_modules(loaded) == {"journeyapp.cli.plans_cmds"}


def test_the_wrapper_sees_a_heavy_import(tmp_path: Path, caseloads: dict[str, Path]) -> None:
    """The check can fail: a PDF report does load reportlab."""
    out = tmp_path / "report.pdf"
    loaded = _modules_loaded(
        tmp_path, ["report", "--db", str(caseloads["demo"]), "--format", "pdf", "--out", str(out)]
    )
    assert "reportlab" in _heavy({m.split(".")[0] for m in loaded})


# Starts the window as `python -m journeyapp ARGS` does, offscreen, and once it has painted and
# gone idle (the moment the start-up benchmark measures) writes the modules loaded so far to
# the file named first and ends the process. Importing journeyapp.ui.app first changes nothing
# it loads: the window's start-up imports it anyway.
WINDOW_WRAPPER = """
import os, runpy, sys
out = sys.argv[1]
import journeyapp.ui.app as app
def _report(self):
    if os.environ.get("REPORT_QT_TYPES"):  # the Qt classes PySide has set up, not modules
        import PySide6.QtWidgets as widgets
        names = [name for name in vars(widgets) if name.startswith("Q")]
    else:
        names = list(sys.modules)
    with open(out, "w", encoding="utf-8") as handle:
        handle.write("\\n".join(sorted(names)))
    os._exit(0)
app._ReportReady._write = _report
sys.argv = ["journeyapp", *sys.argv[2:]]
runpy.run_module("journeyapp", run_name="__main__", alter_sys=True)
"""

# Never loaded before the window's first paint: what only a menu item needs.
NOT_BEFORE_PAINT = (
    *ONLY_TO_MIGRATE,  # the caseload is up to date
    "reportlab",
    "scipy",
    "numpy",
    "journeyapp.plans",
    "journeyapp.exchange",  # the report, exports, imports, bundles, returns
    "journeyapp.core.documents.model",  # what a plan says and how it is built
    "journeyapp.core.documents.plan",
    "journeyapp.core.documents.what_we_hold",
    "journeyapp.ui.dialogs.exchange",
    "journeyapp.ui.dialogs.plan_preview",
    "journeyapp.ui.dialogs.report_dashboard",
    "journeyapp.ui.dialogs.export_dialog",
    "journeyapp.core.validation",  # a break's checks, days typed in a form: when one is used
    "multiprocessing",
    "concurrent.futures.process",
)


def _loaded_when_painted(
    tmp_path: Path, db: Path, phrase: str | None, *, qt_types: bool = False
) -> set[str]:
    """The modules loaded when the window has painted (with `qt_types`: the QtWidgets classes
    PySide has set up by then)."""
    out = tmp_path / "modules.txt"
    env = dict(
        os.environ,
        PYTHONPATH=str(ROOT),
        QT_QPA_PLATFORM="offscreen",
        JOURNEYAPP_REPORT_READY=str(tmp_path / "ready"),
    )
    env.pop("JOURNEYAPP_PASSPHRASE", None)
    env.pop("REPORT_QT_TYPES", None)
    if qt_types:
        env["REPORT_QT_TYPES"] = "1"
    if phrase is not None:
        env["JOURNEYAPP_PASSPHRASE"] = phrase
    done = subprocess.run(
        [sys.executable, "-c", WINDOW_WRAPPER, str(out), "--db", str(db)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    return set(out.read_text(encoding="utf-8").split())


@pytest.mark.parametrize("which", ["demo", "secret"])
def test_the_window_paints_before_loading_reports_exports_plans_or_scipy(
    tmp_path: Path, caseloads: dict[str, Path], which: str
) -> None:
    copy = tmp_path / caseloads[which].name
    copy.write_bytes(caseloads[which].read_bytes())  # the window's backups go beside it
    loaded = _loaded_when_painted(tmp_path, copy, PHRASE if which == "secret" else None)
    assert "journeyapp.ui.main_window" in loaded  # the window really came up
    assert "click" not in loaded  # `journeyapp --db FILE` opens it without the command line
    early = {
        m for m in loaded for heavy in NOT_BEFORE_PAINT if m == heavy or m.startswith(heavy + ".")
    }
    assert early == set()


def test_the_window_paints_a_caseload_without_a_passphrase_without_loading_openssl(
    tmp_path: Path, caseloads: dict[str, Path]
) -> None:
    # The lock's wrong-try delay (which hashes the file's name) is made at the first unlock.
    copy = tmp_path / "demo.db"
    copy.write_bytes(caseloads["demo"].read_bytes())
    loaded = _loaded_when_painted(tmp_path, copy, None)
    assert "journeyapp.ui.lock" in loaded  # the window really came up, with its lock
    assert loaded.isdisjoint(OPENSSL)
    assert "click" not in loaded


# QWidget subclasses the window does not show before its first paint. PySide sets up a class's
# Python type, enums and all, when it is first imported, and every one it knows when a Qt call
# declared to return a QWidget hands it a widget with no Python wrapper yet (to find which
# subclass it is): the caseload table's viewport() did, 7 ms before the first paint (#18).
NOT_SET_UP_BEFORE_PAINT = (
    "QWizard",
    "QFileDialog",
    "QFontDialog",
    "QColorDialog",
    "QInputDialog",
    "QMessageBox",
    "QDockWidget",
    "QMdiArea",
    "QGraphicsView",
)


@pytest.mark.parametrize("which", ["demo", "secret"])
def test_the_window_paints_without_setting_up_qt_classes_it_does_not_show(
    tmp_path: Path, caseloads: dict[str, Path], which: str
) -> None:
    copy = tmp_path / caseloads[which].name
    copy.write_bytes(caseloads[which].read_bytes())
    phrase = PHRASE if which == "secret" else None
    made = _loaded_when_painted(tmp_path, copy, phrase, qt_types=True)
    assert {"QMainWindow", "QTableView", "QLineEdit"} <= made  # the window really came up
    assert made.isdisjoint(NOT_SET_UP_BEFORE_PAINT), sorted(made & set(NOT_SET_UP_BEFORE_PAINT))


def test_every_form_that_keeps_drafts_is_known_when_drafts_are_offered() -> None:
    """The forms' modules load lazily, but a kept draft of any of them must find its form when
    the window offers it back: in a fresh process, load_draft_forms makes every form that
    keeps drafts (found in the source, by its draft_form name) known (typing on a tab, not a
    dialog — the About details and stage note, the Background answers — is opened through the
    workspace)."""
    import re

    named = {
        match
        for path in (ROOT / "journeyapp" / "ui").rglob("*.py")
        for match in re.findall(r'^\s+draft_form = "([a-z_]+)"', path.read_text(), re.M)
    }
    assert len(named) >= 13  # every kind of form a keyworker types in
    script = (
        "from journeyapp.ui.main_window import load_draft_forms\n"
        "from journeyapp.ui.widgets.forms import AsksBeforeLeaving\n"
        "before = set(AsksBeforeLeaving._forms)\n"
        "load_draft_forms()\n"
        "from journeyapp.ui.workspace.section import TypedOnTab\n"
        "print(sorted(before))\n"
        "print(sorted({*AsksBeforeLeaving._forms, *TypedOnTab.forms}))\n"
    )
    env = dict(os.environ, PYTHONPATH=str(ROOT), QT_QPA_PLATFORM="offscreen")
    run = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, env=env, check=True
    )
    before, after = (set(eval(line)) for line in run.stdout.splitlines()[-2:])
    assert named <= after
    assert not named <= before  # they were not all loaded with the window's module
