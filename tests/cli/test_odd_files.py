"""Files that are not files, and where a caseload's name came from.

A device (/dev/zero, /dev/null) or a named pipe given where a bundle, backup, spreadsheet, key
or mapping file is read, or as the caseload itself: refused in one line saying what it is and
what to give instead, never read for ever, never waited on, and (a restore) never replaced. A
caseload named by $JOURNEYAPP_DB is refused naming the variable, not --db, which was not typed.
A restore while the window has the caseload open says so first, before asking for anything or
saying who would be erased again.
"""

from __future__ import annotations

import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from journeyapp.caseload import Caseload
from journeyapp.cli import cli
from tests.cli.refusals import folder_state, refused
from tests.cli.test_sweep_bad_input import content
from tests.clock import real_quarter

ROOT = Path(__file__).resolve().parents[2]
PHRASE = "four quiet river stones"
BUNDLE_PHRASE = "a long bundle passphrase"

pytestmark = pytest.mark.skipif(os.name != "posix", reason="named pipes and /dev are POSIX")


@pytest.fixture
def folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A folder with a plain caseload (caseload.db) and its backup (backup.db), as the current
    folder, and beside it a named pipe nobody writes to (../pipe: not in the folder, whose
    files are all read to see that nothing changed)."""
    work = tmp_path / "work"
    work.mkdir()
    caseload = Caseload.open(work / "caseload.db", create=True, plain=True)
    for name in ("Aoife", "Bea"):
        caseload.enrol_participant(name, "fife")
    caseload.close()
    made = CliRunner().invoke(
        cli, ["backup", "--db", str(work / "caseload.db"), "--out", str(work / "backup.db")]
    )
    assert made.exit_code == 0, made.output
    os.mkfifo(tmp_path / "pipe")
    monkeypatch.chdir(work)
    for name in ("JOURNEYAPP_DB", "JOURNEYAPP_PASSPHRASE", "JOURNEYAPP_DEBUG"):
        monkeypatch.delenv(name, raising=False)
    return work


PIPE = "../pipe"


def _is_pipe(folder: Path) -> bool:
    return stat.S_ISFIFO(os.stat(folder.parent / "pipe").st_mode)


def _journeyapp(argv: list[str], cwd: Path, **env: str) -> subprocess.CompletedProcess[str]:
    """`journeyapp ARGV…` in its own process: a command that waits on a pipe for ever ends the
    test (with the timeout, a generous one) instead of hanging the suite."""
    return subprocess.run(
        [sys.executable, "-m", "journeyapp", *argv],
        capture_output=True,
        text=True,
        cwd=cwd,
        timeout=120,
        env={
            **{k: v for k, v in os.environ.items() if not k.startswith("JOURNEYAPP_")},
            "PYTHONPATH": str(ROOT),
            "JOURNEYAPP_BUNDLE_PASSPHRASE": BUNDLE_PHRASE,
            **env,
        },
    )


def _one_error(done: subprocess.CompletedProcess[str]) -> str:
    assert done.returncode == 1, done.stderr
    assert "Traceback" not in done.stderr
    errors = [line for line in done.stderr.splitlines() if line.startswith("Error:")]
    assert len(errors) == 1, done.stderr
    return errors[0]


READS = [
    ["merge", "{}"],
    ["restore", "{}"],
    ["import", "{}"],
    ["lookup", "{}"],
    ["export", "--out", "ex", "--key-file", "{}"],
    ["partnership-key", "--load", "{}"],
    ["return", "--quarter", "QUARTER", "--check", "--mapping", "{}"],
]


@pytest.mark.parametrize("argv", READS, ids=lambda argv: argv[0])
def test_a_named_pipe_where_a_file_is_read_is_refused_not_waited_on(
    folder: Path, argv: list[str]
) -> None:
    """A key file, a mapping or a lookup named by a pipe nobody writes to used to wait for ever;
    a bundle or backup was said to be missing ("There is no bundle at pipe")."""
    before = content(folder / "caseload.db")
    argv = [a.replace("{}", PIPE).replace("QUARTER", real_quarter()) for a in argv]
    done = _journeyapp([argv[0], "--db", "caseload.db", *argv[1:]], folder)
    error = _one_error(done)
    assert f"{PIPE} is a named pipe, not a file" in error, error
    assert "give " in error, error
    assert "Nothing was done." in error, error
    assert content(folder / "caseload.db") == before
    assert _is_pipe(folder)


@pytest.mark.skipif(not Path("/dev/zero").exists(), reason="needs /dev/zero")
@pytest.mark.parametrize("device", ["/dev/zero", "/dev/null"])
@pytest.mark.parametrize("argv", READS, ids=lambda argv: argv[0])
def test_a_device_where_a_file_is_read_says_it_is_a_device(
    folder: Path, argv: list[str], device: str
) -> None:
    """`merge /dev/zero` said "There is no bundle at /dev/zero", `restore /dev/null` "There is
    no backup file at /dev/null": there is something there; it is a device, not a file."""
    before = folder_state(folder)
    argv = [a.replace("{}", device).replace("QUARTER", real_quarter()) for a in argv]
    result = CliRunner().invoke(cli, [argv[0], "--db", "caseload.db", *argv[1:]])
    refused(result, f"{device} is a device, not a file", "give ", "Nothing was done.")
    assert "There is no" not in result.output
    assert folder_state(folder) == before


@pytest.mark.parametrize("command", ["check", "restore", "new", "demo"])
def test_a_named_pipe_as_the_caseload_is_refused_and_left_in_place(
    folder: Path, command: str
) -> None:
    """`restore --db PIPE` used to put the backup in the pipe's place (and so would
    `restore --db /dev/null`, for whoever may: /dev/null became a file); `check` called it
    "empty: it may have been cut short. Restore the caseload from a backup"."""
    argv = [command, "--db", PIPE, *(["backup.db"] if command == "restore" else [])]
    before = folder_state(folder)
    error = _one_error(_journeyapp(argv, folder))
    assert f"{PIPE} is a named pipe, not a caseload file (--db names it)" in error, error
    assert "--db caseload.db" in error, error
    instead = "a new file name" if command in ("new", "demo") else "your caseload file"
    assert f"give {instead}" in error, error
    assert _is_pipe(folder)
    assert folder_state(folder) == before


@pytest.mark.parametrize(
    ("value", "words"),
    [
        ("report.pdf", ["a name ending .pdf is a PDF's, not a caseload's", "unset it"]),
        ("nothere.db", ["create one there with: journeyapp new"]),
        ("a folder", ["is a folder; $JOURNEYAPP_DB needs a caseload file", "JOURNEYAPP_DB="]),
        (PIPE, ["is a named pipe, not a caseload file ($JOURNEYAPP_DB names it)"]),
    ],
)
@pytest.mark.parametrize("command", ["check", "report", "backup", "new", "restore"])
def test_a_caseload_named_by_the_variable_is_refused_naming_the_variable(
    folder: Path, value: str, words: list[str], command: str
) -> None:
    """`JOURNEYAPP_DB=report.pdf journeyapp check` said "Create one with: journeyapp new --db
    report.pdf" (which `new` then refuses), and a folder "--db needs a caseload file"."""
    (folder / "a folder").mkdir()
    if command == "new" and value == "nothere.db":
        return  # made there: that is what `new` is for
    if command == "restore" and value == "nothere.db":
        return  # a backup restored onto a new laptop: made there
    argv = [command, *(["backup.db"] if command == "restore" else [])]
    before = folder_state(folder)
    result = CliRunner().invoke(
        cli, argv, env={"JOURNEYAPP_DB": value, "JOURNEYAPP_PASSPHRASE": PHRASE}
    )
    line = refused(result, "$JOURNEYAPP_DB")
    if command in ("new", "restore") and value == "report.pdf":
        # A caseload would be made under that name: refused as `new --db report.pdf` is (a
        # restore used to make it: "Restored report.pdf from backup.db").
        words = ["give a name ending .db"]
    for word in words:
        assert word in line, line
    assert "--db" not in line, line
    assert folder_state(folder) == before


def test_restore_while_the_window_has_the_caseload_says_so_before_anything_else(
    tmp_path: Path,
) -> None:
    """An encrypted caseload open in the window, a parent erased since its backup: the restore
    used to ask for the backup's passphrase and say "1 parent erased since this backup will be
    erased again." before refusing because the caseload is open."""
    db = tmp_path / "secret.db"
    caseload = Caseload.open(db, PHRASE, create=True)
    gone = caseload.enrol_participant("Aoife", "fife")
    caseload.enrol_participant("Bea", "fife")
    made = caseload.safety.backup(tmp_path / "backup.db")
    caseload.safety.erase_participant(gone.id, "Aoife")
    caseload.close()
    before = content(db, PHRASE)
    window = Caseload.open(db, PHRASE, exclusive=True)
    try:
        result = CliRunner().invoke(cli, ["restore", "--db", str(db), str(made.path)], input="")
    finally:
        window.close()
    line = refused(result, "is already open in JourneyApp", "Close the JourneyApp window")
    assert "nothing was changed" in line, line
    assert "erased again" not in result.output
    assert "Passphrase for" not in result.output
    assert content(db, PHRASE) == before
    assert not list(tmp_path.glob("*before-restore*"))


@pytest.mark.parametrize(
    ("variable", "argv", "what"),
    [
        ("JOURNEYAPP_CATALOGUE", ["check"], "The catalogue ../pipe is a named pipe"),
        ("JOURNEYAPP_CODES", ["answers", "Aoife"], "The answer codes ../pipe are a named pipe"),
    ],
)
def test_a_catalogue_or_codes_named_by_a_pipe_is_refused_not_waited_on(
    folder: Path, variable: str, argv: list[str], what: str
) -> None:
    """$JOURNEYAPP_CATALOGUE (or _CODES) naming a pipe nobody writes to: every command waited
    for ever (a device was already refused as too big)."""
    before = folder_state(folder)
    error = _one_error(
        _journeyapp([*argv[:1], "--db", "caseload.db", *argv[1:]], folder, **{variable: PIPE})
    )
    assert what in error, error
    assert "not a file" in error, error
    assert folder_state(folder) == before
    assert _is_pipe(folder)
