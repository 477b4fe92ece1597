"""Where every run begins: the window opened straight away for the common launches, else click.

`journeyapp`, `journeyapp --db FILE` (or `--db=FILE`) and `journeyapp --demo` open the window
without loading click (about 4% of the window's start, issue 18); every other command line
(sub-commands, --help, --version, --smoke-test, anything odd) goes to the click group
(`journeyapp.cli`), which opens the window through the same `launch_window` here. A failure
on the way ends in the same one line and exit code as through click: click is loaded to say it.
"""

from __future__ import annotations

import contextlib
import gc
import os
import sys
from pathlib import Path
from typing import NoReturn

from journeyapp import paths


def prepare() -> None:
    """What every run does first: no core dumps, private files (issue 17); dataclass code
    compiled once per laptop, before any module makes its dataclasses."""
    from journeyapp.core.private_files import harden_process

    harden_process()
    from journeyapp import ahead

    ahead.start()  # a merge's digest and key start now, before click and the commands load
    compile_once()
    os.environ.setdefault("PYTHONIOENCODING", "utf-8")
    # Output the screen or file cannot hold (a parent called Łucja, output redirected to a file
    # in Windows' cp1252) is written as \u0141 rather than ending the command with an
    # UnicodeEncodeError after its work was done (a plan written, a break saved).
    for stream in (sys.stdout, sys.stderr):
        reconfigure = getattr(stream, "reconfigure", None)
        if reconfigure is not None:
            with contextlib.suppress(ValueError, OSError):
                reconfigure(errors="backslashreplace")


def compile_once() -> None:
    """Dataclass methods from code compiled once per laptop and kept (core.dataclass_code),
    and TOML (the catalogue) parsed once per laptop and kept (core.kept_toml)."""
    from journeyapp.core import dataclass_code, kept_toml

    folder = paths.state_dir() / "compiled"
    dataclass_code.install(folder)
    kept_toml.install(folder)


def main() -> None:
    """Console entry point (`journeyapp`, `journeyapp-gui`, `python -m journeyapp`)."""
    from journeyapp.core.bulk import loading_code

    with loading_code():
        prepare()
    window = window_launch(sys.argv[1:])
    if window is None:
        with loading_code():
            from journeyapp.cli import run_command_line

        run_command_line()
        return
    db_path, demo = window
    try:
        launch_window(db_path, demo=demo, smoke_test=False)
    except (Exception, KeyboardInterrupt) as exc:
        from journeyapp.cli import end_as_the_command_line_would

        end_as_the_command_line_would(exc)


def window_launch(args: list[str]) -> tuple[Path | None, bool] | None:
    """(--db's path or None, --demo) when `args` is one of the forms that only open the
    window: none, `--db PATH`, `--db=PATH`, `--demo`; None for anything else (click reads it).

    A value that is empty, starts with "-" or is refused as every --db is (" ", "%": the
    rules of core.file_names) is left to click, which refuses it in the same words.
    """
    if not args:
        return None, False
    if args == ["--demo"]:
        return None, True
    if len(args) == 2 and args[0] == "--db":
        value = args[1]
    elif len(args) == 1 and args[0].startswith("--db="):
        value = args[0].removeprefix("--db=")
    else:
        return None
    if not value or value.startswith("-"):
        return None
    from journeyapp.core.file_names import DB_NAME

    if DB_NAME.refusal(value, "--db") is not None:
        return None
    return Path(value), False  # as click.Path(path_type=Path) makes it


def launch_window(db_path: Path | None, *, demo: bool, smoke_test: bool) -> None:
    """Open the window on `db_path` (else $JOURNEYAPP_DB, else the default caseload), a fresh
    demo caseload or a smoke test's; ends the process with the window's exit code."""
    # No cyclic garbage collection while the window's code loads and the window is built:
    # start-up makes hundreds of thousands of objects that live as long as the window and
    # almost no garbage, and the collector walked them again and again (25-30 ms). The
    # window turns it back on once it is shown (ui.app.run); so does leaving here.
    gc.disable()
    try:
        _open_window(db_path, demo=demo, smoke_test=smoke_test)
    finally:
        gc.enable()


def make_caseload_folder(path: Path) -> None:
    """Make the folder the window's caseload goes in (private) when it is the data folder, or
    make an existing one private; never make one named elsewhere that is not there: a USB
    stick or network drive not plugged in would get a folder of that name on this laptop (and,
    with "Start a new caseload", an empty caseload in it). The first-run screen says it is
    not there; starting a new caseload there makes it then."""
    from journeyapp.core.private_files import private_dir

    if path.parent.is_dir() or path.parent == paths.data_dir():
        private_dir(path.parent)


def _open_window(db_path: Path | None, *, demo: bool, smoke_test: bool) -> NoReturn:

    if not (demo or smoke_test):
        from journeyapp.core.file_names import DB_NAME

        refused = None if db_path is not None else DB_NAME.variable_refusal(paths.DB_ENV)
        if refused:
            # As every command refuses it, before any window (or folder) is made.
            from journeyapp.core.errors import ValidationError

            raise ValidationError(refused)
        path = db_path if db_path is not None else paths.default_db_path()
        make_caseload_folder(path)
        # $JOURNEYAPP_PASSPHRASE opens an existing encrypted caseload without the unlock
        # screen, as it does for every command (scripts, and the start-up benchmark).
        key = paths.secret_from_env(paths.PASSPHRASE_ENV) if path.exists() else None
        if key is not None:
            from journeyapp.core import key_derivation

            # Its key derivation (a quarter of a second) runs while the window's code loads.
            key_derivation.begin(path, key)
        # The caseload's code first, then the window's: PySide6 reads the source of every
        # module imported after it (looking for its own name), which these do not need.
        import journeyapp.caseload  # noqa: F401
        from journeyapp.ui.app import run

        sys.exit(run(path, smoke_test=smoke_test, key=key))
    if smoke_test:
        lacking = missing_from_build()
        if lacking:  # a build without them would fail only when a job needs one
            sys.exit("\n  ".join(["This build lacks modules its jobs need:", *lacking]))
    from journeyapp.security import remove_folder, remove_stale_scratch, scratch_folder

    # A demo's or smoke test's folder goes when the window closes; one left by a run that was
    # killed goes at the next start (issue 17).
    remove_stale_scratch()
    folder = scratch_folder("demo" if demo else "smoke")
    try:
        path = folder / ("demo.db" if demo else "smoke.db")
        if demo:
            # Making the demo caseload is a command's job (and loads click: a demo's 60
            # fictional parents take far longer to make than click to load).
            from journeyapp.cli import caseload_cmds

            caseload_cmds.make_demo(path, participants=60, seed=1, show_progress=False)
        from journeyapp.ui.app import run

        code = run(path, smoke_test=smoke_test)
    finally:
        remove_folder(folder)
    sys.exit(code)


# Is everything a job needs in this program? Checked by `journeyapp --smoke-test` (issue 18). A
# build holds only the modules PyInstaller found: a module imported by name when its command runs
# (`journeyapp report` loads `journeyapp.cli.report_cmds`), or a library a job loads only now and
# then (the report's audit loads scipy.optimize, which loads numpy), is missing from a build only
# when that job runs, on a keyworker's laptop. The smoke test imports them all first, so a build
# that lacks one fails where it is made.

# Libraries imported inside functions, for some jobs only (tests/packaging checks this list
# against every such import in the code). The standard library is left out.
LOADED_FOR_SOME_JOBS = (
    "PySide6.QtCore",
    "PySide6.QtDBus",
    "PySide6.QtGui",
    "PySide6.QtWidgets",
    "babel.dates",
    "babel.numbers",
    "openpyxl",
    "openpyxl.cell",
    "openpyxl.styles",
    "openpyxl.utils",
    "openpyxl.xml",
    "platformdirs",
    "scipy.optimize",
    "sqlite_utils",
    "sqlite_utils.migrations",
    "zxcvbn",
)


def app_modules() -> list[str]:
    """Every module of JourneyApp, by name (from the files a build or a checkout holds)."""
    import pkgutil

    import journeyapp

    found = pkgutil.walk_packages(journeyapp.__path__, "journeyapp.", onerror=lambda _: None)
    return sorted(m.name for m in found if not m.name.endswith("__main__"))


def missing_from_build() -> list[str]:
    """The modules that cannot be imported here, each with why (none, in a good build)."""
    import importlib

    from journeyapp.cli import COMMAND_MODULES

    names = {f"journeyapp.cli.{m}" for m in COMMAND_MODULES.values()}
    names |= {*app_modules(), *LOADED_FOR_SOME_JOBS}
    lacking = []
    for name in sorted(names):
        try:
            importlib.import_module(name)
        except Exception as exc:  # what a job would meet: any failure to load
            lacking.append(f"{name} ({type(exc).__name__}: {exc})")
    return lacking
