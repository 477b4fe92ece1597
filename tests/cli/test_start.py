"""The window's common launches skip click (journeyapp.start), and every command line ends as it
did through click: same exit code, standard output and standard error (issue 18)."""

from __future__ import annotations

import os
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

from journeyapp.start import window_launch

ROOT = Path(__file__).resolve().parents[2]

# Runs one entry point ("click": journeyapp.cli.main, the group always; "start": the console
# scripts' journeyapp.start.main) on the command line that follows, offscreen. Every dialog or
# window that comes up is closed as soon as it is shown, so a run that opens the window ends too.
CHILD = """
import sys
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication

app = QApplication(sys.argv[:1])


def close_what_is_shown():
    for widget in (QApplication.activeModalWidget(), *QApplication.topLevelWidgets()):
        if widget is not None and widget.isVisible():
            widget.close()
            return


timer = QTimer()
timer.timeout.connect(close_what_is_shown)
timer.start(20)
entry = sys.argv[1]
sys.argv = ["journeyapp", *sys.argv[2:]]
if entry == "click":
    from journeyapp.cli import main
else:
    from journeyapp.start import main
main()
"""

# Qt's offscreen platform says this when a window is shown; it is Qt's, not ours.
QT_CHATTER = "This plugin does not support propagateSizeHints()"


def _ended(
    entry: str, args: list[str], home: Path, db: str | None = None
) -> tuple[int, str, list[str]]:
    env = dict(
        os.environ,
        PYTHONPATH=str(ROOT),
        QT_QPA_PLATFORM="offscreen",
        HOME=str(home),  # a demo's scratch folder and the compiled code go here
        XDG_DATA_HOME=str(home / "data"),
        XDG_STATE_HOME=str(home / "state"),
        JOURNEYAPP_DB=str(home / "none" / "caseload.db") if db is None else db,
    )
    for name in ("JOURNEYAPP_PASSPHRASE", "JOURNEYAPP_DEBUG", "JOURNEYAPP_REPORT_READY"):
        env.pop(name, None)
    done = subprocess.run(
        [sys.executable, "-c", CHILD, entry, *args],
        cwd=home,
        env=env,
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        timeout=180,
    )
    errors = [line for line in done.stderr.splitlines() if line != QT_CHATTER]
    return done.returncode, done.stdout, errors


@pytest.mark.parametrize(
    "args",
    [
        [],  # $JOURNEYAPP_DB: a new caseload (its passphrase dialog is closed)
        ["--demo"],
        ["--db"],
        ["--db", "{folder}", "--db", "{file}"],
        ["--demo", "--db", "x.db"],
        ["--db", "{file}/dir/x.db"],  # a folder that cannot be made (the path of a file)
        ["--db", "{folder}"],
        ["--db", "{file}"],
        ["--db={file}"],
        ["--db="],
        ["--db", "--demo"],
        ["--demo", "--demo"],
        ["-h"],
        ["--version"],
        ["--smoke-test", "--db", "{file}"],
        ["check", "--db", "{file}"],
        # Names no one means: refused as every --db is, before any window opens.
        ["--db", " "],
        ["--db", "%"],
        ["--db=%"],
        ["--db", " caseload.db"],
    ],
)
def test_every_command_line_ends_as_it_did_through_click(tmp_path: Path, args: list[str]) -> None:
    folder = tmp_path / "a folder"
    folder.mkdir()
    file = tmp_path / "notes.txt"
    file.write_text("not a caseload\n", encoding="utf-8")
    given = [arg.format(folder=folder, file=file) for arg in args]
    through_click = _ended("click", given, tmp_path)
    assert _ended("start", given, tmp_path) == through_click


def test_the_odd_command_lines_really_fail_in_one_line(tmp_path: Path) -> None:
    """The comparison above can fail: these end with click's one line and a non-zero exit."""
    file = tmp_path / "notes.txt"
    file.write_text("not a caseload\n", encoding="utf-8")
    code, out, errors = _ended("start", ["--db", f"{file}/dir/x.db"], tmp_path)
    # Refused as every command's --db is (the system's "Not a directory: …/dir" before).
    assert (code, out) == (1, "")
    assert errors == [
        f"Error: --db {file}/dir/x.db: {file} is a file, not a folder; give a file name, e.g. "
        "--db caseload.db. Nothing was done."
    ]
    code, out, errors = _ended("start", ["--db"], tmp_path)
    assert (code, errors) == (2, ["Error: Option '--db' requires an argument."])


@pytest.mark.parametrize("entry", ["start", "click"])
@pytest.mark.parametrize(
    ("args", "db", "line"),
    [
        (["--db", " "], None, "Error: --db was given only spaces; give a file name"),
        (["--db=%"], None, "Error: --db % has neither a letter nor a digit in it"),
        (["--db", "-"], None, 'Error: --db - would be a caseload file called "-"'),
        ([], " ", "Error: $JOURNEYAPP_DB was given only spaces; give a file name"),
        ([], "%", "Error: $JOURNEYAPP_DB % has neither a letter nor a digit in it"),
        (["--smoke-test", "--db", " "], None, "Error: --db was given only spaces"),
    ],
)
def test_the_windows_caseload_name_is_refused_as_every_commands_is(
    tmp_path: Path, entry: str, args: list[str], db: str | None, line: str
) -> None:
    """Refused in one line, exit 1, before any window opens (which would end 0 here) and
    before anything is made: as `journeyapp check --db " "` is refused."""
    code, out, errors = _ended(entry, args, tmp_path, db)
    assert (code, out, len(errors)) == (1, "", 1), errors
    assert errors[0].startswith(line)
    assert errors[0].endswith("Nothing was done.")
    assert not (tmp_path / "data").exists()


def test_a_window_name_that_is_meant_still_opens(tmp_path: Path) -> None:
    # A name of digits is a name (as for every command); --smoke-test opens and closes it.
    assert _ended("start", ["--smoke-test", "--db", "2026-12"], tmp_path)[0] == 0


@pytest.mark.parametrize(
    ("args", "window"),
    [
        ([], (None, False)),
        (["--demo"], (None, True)),
        (["--db", "c.db"], (Path("c.db"), False)),
        (["--db=c.db"], (Path("c.db"), False)),
        (["--db", "a b/c.db"], (Path("a b/c.db"), False)),
        (["--db"], None),
        (["--db="], None),
        (["--db", ""], None),
        (["--db", "-x"], None),
        (["--db", "a", "--db", "b"], None),
        (["--demo", "--db", "x"], None),
        (["--demo", "--demo"], None),
        (["--smoke-test"], None),
        (["--help"], None),
        (["-h"], None),
        (["--version"], None),
        (["check"], None),
        (["--db", "c.db", "check"], None),
        (["--dem"], None),
        # Refused as every --db is (click says so, in the same words).
        (["--db", " "], None),
        (["--db", "%"], None),
        (["--db=%"], None),
        (["--db", "c.db "], None),
        (["--db", "2026-12"], (Path("2026-12"), False)),
    ],
)
def test_only_the_plain_window_launches_skip_click(
    args: list[str], window: tuple[Path | None, bool] | None
) -> None:
    assert window_launch(args) == window


def test_the_console_scripts_start_through_the_fast_path() -> None:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    assert project["scripts"] == {"journeyapp": "journeyapp.start:main"}
    assert project["gui-scripts"] == {"journeyapp-gui": "journeyapp.start:main"}
    main_module = (ROOT / "journeyapp" / "__main__.py").read_text(encoding="utf-8")
    assert "from journeyapp.start import main" in main_module


def test_the_window_makes_no_folder_for_a_caseload_on_a_drive_not_there(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`journeyapp --db /media/usb/caseload.db` with the stick not plugged in made that folder
    on the laptop before the first-run screen (which then offered a new caseload in it)."""
    from journeyapp import paths
    from journeyapp.start import make_caseload_folder

    make_caseload_folder(tmp_path / "stick" / "caseload.db")
    assert not (tmp_path / "stick").exists()
    # The data folder is made on a first start, private; a folder there already stays.
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg"))
    make_caseload_folder(paths.data_dir() / "caseload.db")
    assert paths.data_dir().is_dir()
    if os.name == "posix":
        assert paths.data_dir().stat().st_mode & 0o777 == 0o700
    (tmp_path / "mine").mkdir()
    make_caseload_folder(tmp_path / "mine" / "caseload.db")
    assert (tmp_path / "mine").is_dir()
