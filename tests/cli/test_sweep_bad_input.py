"""The command line swept with bad input, as someone checking it on the users' behalf would.

For every command: a missing file, a folder where a file belongs, empty and random files,
spreadsheets that are not UTF-8 or hold only a header, names and dates and numbers no one
means, text that is very long or runs right to left, outputs that cannot be written, a caseload
that is locked, read-only or needs a passphrase not given. Each is refused in one line that
names the problem (no traceback, no raw exception), with a non-zero exit, and leaves every row
of every table of the caseload, the journey log included, as it was. Read commands give the
same on a plain and an encrypted caseload with the same options.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import click
import pytest
from click.testing import CliRunner, Result
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from journeyapp.caseload.safety import DELAYS_FILE
from journeyapp.cli import cli
from journeyapp.store.db import open_database
from tests.cli.refusals import refused

ROOT = Path(__file__).resolve().parents[2]
KEY = "four quiet river stones"
BUNDLE_KEY = "a long bundle passphrase"
# Words that mean a fault of ours or the system's words shown bare.
RAW = ("Traceback", "Unexpected error", "[Errno", "Error: None", "object at 0x")


@dataclass(frozen=True)
class Folder:
    """A keyworker's folder: a plain (demo) caseload, the same encrypted, files to misuse."""

    path: Path
    plain: Path
    encrypted: Path
    parents: tuple[str, ...]  # preferred names, each matching one parent

    def caseload(self, encrypted: bool) -> tuple[Path, str | None]:
        return (self.encrypted, KEY) if encrypted else (self.plain, None)


def content(db: Path, key: str | None = None) -> dict[str, str]:
    """A digest of every table's rows (the journey log, settings and search index included),
    read as SQLite reads them, not as the file's bytes (which a reader may checkpoint)."""
    database = open_database(db, key, migrate=False, create=False, saving=False)
    try:
        tables = [
            row[0]
            for row in database.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
            ).fetchall()
        ]
        return {
            table: hashlib.sha256(
                repr(
                    sorted(map(repr, database.execute(f'SELECT * FROM "{table}"').fetchall()))
                ).encode()
            ).hexdigest()
            for table in tables
        }
    finally:
        database.close()


def clean(result: Result) -> None:
    """Whatever the exit: nothing of ours or the system's shown raw."""
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(
        result.exception
    )
    for raw in RAW:
        assert raw not in result.output, result.output


def refused_cleanly(result: Result, *words: str, code: int = 1) -> str:
    """Refused in one line holding `words`, with exit `code`, nothing shown raw."""
    clean(result)
    return refused(result, *words, code=code)


@pytest.fixture(scope="module")
def originals(tmp_path_factory: pytest.TempPathFactory) -> Folder:
    """Made once: a 4-parent demo caseload, an encrypted copy, and files no command wants."""
    folder = tmp_path_factory.mktemp("sweep")
    runner = CliRunner()
    plain = folder / "plain.db"
    made = runner.invoke(cli, ["demo", "--db", str(plain), "-n", "4", "--seed", "3"])
    assert made.exit_code == 0, made.output
    # As a keyworker has it before any export, bundle or `devices`: no keys made yet.
    shutil.copyfile(plain, folder / "fresh.db")
    # This laptop's own key, made on first use (`devices --code`, a bundle), so that a command
    # below that makes it is not told apart from a refusal by that alone.
    listed = runner.invoke(cli, ["devices", "--db", str(plain), "--code"])
    assert listed.exit_code == 0, listed.output
    # The partnership's pseudonym key, made by the first export, likewise: an export a typed
    # value lets through (`--keyworker ""`) then changes nothing, whichever example runs first.
    exported = runner.invoke(cli, ["export", "--db", str(plain), "--out", str(folder / "ex")])
    assert exported.exit_code == 0, exported.output
    shutil.rmtree(folder / "ex")
    (folder / "passphrase.txt").write_text(KEY + "\n", encoding="utf-8")
    (folder / "passphrase.txt").chmod(0o600)
    encrypted = folder / "encrypted.db"
    shutil.copyfile(plain, encrypted)
    changed = runner.invoke(
        cli,
        [
            "passphrase",
            "--db",
            str(encrypted),
            "--new-passphrase-file",
            str(folder / "passphrase.txt"),
        ],
    )
    assert changed.exit_code == 0, changed.output
    shutil.rmtree(folder / "backups", ignore_errors=True)
    database = open_database(plain, None, migrate=False, create=False, saving=False)
    try:
        names = [r[0] for r in database.execute("SELECT preferred_name FROM participants")]
    finally:
        database.close()
    unique = tuple(n for n in names if sum(o.lower() in n.lower() for o in names) == 1)
    assert unique, names
    files = {
        "empty.csv": b"",
        "random.bin": bytes(range(256)) * 8,
        "latin1.csv": "ref,preferred_name,locality,joined_on\nr1,Zo\xeb,fife,2026-01-01\n".encode(
            "latin-1"
        ),
        "header-only.csv": b"ref,preferred_name,locality,joined_on\n",
        "bom-header-only.csv": "\ufeffref,preferred_name,locality,joined_on\r\n".encode(),
        "nul.csv": b"ref,preferred_name,locality,joined_on\nr1,Zo\x00e,fife,2026-01-01\n",
        "random.xlsx": b"PK\x03\x04" + bytes(range(200)),
        "random.jlb": bytes(reversed(range(256))) * 4,
        "notes.txt": b"not what any command wants\n",
        "wrong.txt": b"not the passphrase at all\n",
    }
    for name, data in files.items():
        (folder / name).write_bytes(data)
        (folder / name).chmod(0o600)
    (folder / "a folder").mkdir()
    return Folder(folder, plain, encrypted, unique)


@pytest.fixture
def here(originals: Folder, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Folder:
    """A copy of the folder to misuse, as the current folder, with no passphrase in the air."""
    work = tmp_path / "work"
    shutil.copytree(originals.path, work, symlinks=True)
    monkeypatch.chdir(work)
    for name in ("JOURNEYAPP_PASSPHRASE", "JOURNEYAPP_DB", "JOURNEYAPP_DEBUG"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("JOURNEYAPP_BUNDLE_PASSPHRASE", BUNDLE_KEY)
    return Folder(
        work, work / originals.plain.name, work / originals.encrypted.name, originals.parents
    )


def run(
    folder: Folder, argv: list[str], *, encrypted: bool = False, input: str | None = None
) -> Result:
    """`journeyapp COMMAND --db CASELOAD [--passphrase-file …] ARGS…`, in this process."""
    db, key = folder.caseload(encrypted)
    given = ["--passphrase-file", "passphrase.txt"] if key else []
    return CliRunner().invoke(cli, [argv[0], "--db", str(db), *given, *argv[1:]], input=input)


# -- dates ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("encrypted", [False, True], ids=["plain", "encrypted"])
@pytest.mark.parametrize(
    "argv",
    [
        ["report", "--from", "2026-05-01", "--to", "2026-01-01"],
        ["report", "--to", "01/01/2026", "--from", "01/05/2026"],
        ["report", "--format", "json", "--from", "2026-05-01", "--to", "2026-01-01"],
        ["export", "--out", "ex", "--from", "2026-05-01", "--to", "2026-01-01"],
    ],
    ids=["report", "report, --to first", "report json", "export"],
)
def test_from_after_to_is_refused_on_every_command_that_takes_both(
    here: Folder, argv: list[str], encrypted: bool
) -> None:
    db, key = here.caseload(encrypted)
    before = content(db, key)
    # The report used to be written for no days at all: 0 parents reached, exit 0.
    refused_cleanly(run(here, argv, encrypted=encrypted), "--from", "after", "swap them")
    assert content(db, key) == before
    assert not (here.path / "ex").exists()


@pytest.mark.parametrize(
    "argv",
    [
        ["--take", "--from", ""],
        ["--take", "--from", " "],
        ["--take", "--from", "2026-02-30"],
        ["--take", "--from", "31/12/99"],
        ["--take", "--from", "tomorrow"],
        ["--take", "--get-in-touch-on", "99999-01-01"],
        ["--pick-up-again", "--until", ""],
    ],
)
def test_a_break_on_a_day_that_is_not_a_date_is_refused_and_nothing_recorded(
    here: Folder, argv: list[str]
) -> None:
    before = content(here.plain)
    # An empty --from used to take a break from today, as if it had not been given.
    refused_cleanly(run(here, ["break", here.parents[0], *argv]), "is not a date")
    assert content(here.plain) == before


@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(day=st.text(max_size=30) | st.dates().map(str) | st.integers().map(str))
def test_any_text_as_a_report_s_first_day_is_read_or_refused_in_one_line(
    here: Folder, day: str
) -> None:
    if "\x00" in day:  # no program can be given a NUL byte on its command line
        day = day.replace("\x00", "")
    result = run(here, ["report", "--format", "json", "--from", day, "--to", "2026-12-31"])
    clean(result)
    if result.exit_code != 0:
        assert result.exit_code in (1, 2), result.output
        assert "--from" in result.stderr, result.stderr


# -- free text -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "argv",
    [
        ["report", "--locality", ""],
        ["report", "--format", "csv", "--locality", ""],
    ],
)
def test_an_empty_locality_means_every_locality_as_the_export_takes_it(
    here: Folder, argv: list[str]
) -> None:
    # It used to fail: "Unexpected error (KeyError: ''). Please report it".
    result = run(here, argv)
    clean(result)
    assert result.exit_code == 0, result.output
    whole = run(here, argv[:-2])
    assert result.stdout == whole.stdout


# -- the caseload itself -------------------------------------------------------------------------


def _without_override(argv: list[str]) -> list[str]:
    """`argv` run so that file permissions hold (root: without its power to override them)."""
    if os.name != "posix":
        pytest.skip("file modes are POSIX")
    if os.geteuid() != 0:
        return argv
    setpriv = shutil.which("setpriv")
    if setpriv is None:
        pytest.skip("root needs setpriv to be refused by a file's mode")
    return [setpriv, "--bounding-set=-dac_override,-dac_read_search", *argv]


def _refused_by_modes(
    argv: list[str], cwd: Path, env: dict[str, str] | None = None
) -> tuple[str, str]:
    """`journeyapp ARGV…` run in a process that file modes hold (`_without_override`): it must
    be refused with exit 1 and one "Error:" line; returns (that line, the whole stderr)."""
    done = subprocess.run(
        _without_override([sys.executable, "-m", "journeyapp", *argv]),
        capture_output=True,
        text=True,
        env=env if env is not None else {**os.environ, "PYTHONPATH": str(ROOT)},
        cwd=cwd,
        timeout=120,
    )
    assert done.returncode == 1, done.stderr
    errors = [line for line in done.stderr.splitlines() if line.startswith("Error:")]
    assert len(errors) == 1, done.stderr
    return errors[0], done.stderr


@pytest.mark.parametrize(
    "argv",
    [
        ["export", "--out", "ex"],
        ["return", "--quarter", "2026Q3", "--out", "r.xlsx"],
        ["bundle", "--out", "b.jlb"],
        ["partnership-key", "--save", "k.key"],
        ["devices", "--code"],
        ["passphrase", "--new-passphrase-file", "new-passphrase.txt"],
    ],
    ids=lambda argv: argv[0],
)
def test_a_read_only_caseload_file_says_it_cannot_be_saved_to(
    here: Folder, argv: list[str]
) -> None:
    """A caseload file marked read-only (copied from a disc, or marked so in Windows): commands
    that keep something in it first (a pseudonym key, this laptop's key) say so in words."""
    # The passphrase of an encrypted one is changed in place; a plain one is encrypted
    # beside it and put in its place, which its folder allows.
    encrypted = argv[0] == "passphrase"
    db, key = here.caseload(encrypted) if encrypted else (here.path / "fresh.db", None)
    before = content(db, key)
    (here.path / "new-passphrase.txt").write_text("a brand new long passphrase\n")
    (here.path / "new-passphrase.txt").chmod(0o600)
    db.chmod(0o444)
    env = {k: v for k, v in os.environ.items() if not k.startswith("JOURNEYAPP_PASSPHRASE")}
    env["PYTHONPATH"] = str(ROOT)
    given = ["--passphrase-file", "passphrase.txt"] if key else []
    try:
        error, stderr = _refused_by_modes(
            [argv[0], "--db", str(db), *given, *argv[1:]], here.path, env
        )
    finally:
        db.chmod(0o600)
    # They used to say: Unexpected error (OperationalError: attempt to write a readonly
    # database). Please report it; and "The passphrase could not be changed (attempt to …)".
    for raw in (*RAW, "attempt to write"):
        assert raw not in stderr, stderr
    assert "read-only" in error or "not allowed to write" in error, error
    assert content(db, key) == before


# -- passphrases ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "typed", ["\n", "\r\n", ""], ids=["empty line", "empty CRLF line", "nothing"]
)
def test_an_empty_passphrase_piped_in_is_no_passphrase_not_a_wrong_one(
    here: Folder, typed: str
) -> None:
    before = content(here.encrypted, KEY)
    result = CliRunner().invoke(cli, ["report", "--db", str(here.encrypted)], input=typed)
    line = refused_cleanly(result, "is encrypted", "--passphrase-file")
    # It used to be tried: "That passphrase does not open … restore it from a backup", and
    # counted as a wrong try, so the right one, typed next, waited.
    assert "does not open" not in result.output
    assert "backup" not in line
    delays = Path(os.environ["XDG_STATE_HOME"]) / "JourneyApp" / DELAYS_FILE
    assert not delays.exists() or "encrypted.db" not in delays.read_text(encoding="utf-8")
    assert content(here.encrypted, KEY) == before


@pytest.mark.parametrize("value", ["   ", "\t", " \n"], ids=["spaces", "a tab", "space, line end"])
def test_a_passphrase_variable_of_only_spaces_is_no_passphrase(here: Folder, value: str) -> None:
    # No passphrase is only spaces (a new one is refused so): a variable set to spaces is a
    # mistake, said as no passphrase given, not tried and counted as a wrong try.
    before = content(here.encrypted, KEY)
    result = CliRunner().invoke(
        cli,
        ["report", "--db", str(here.encrypted)],
        input="",
        env={"JOURNEYAPP_PASSPHRASE": value},
    )
    refused_cleanly(result, "is encrypted", "--passphrase-file")
    assert "does not open" not in result.output
    delays = Path(os.environ["XDG_STATE_HOME"]) / "JourneyApp" / DELAYS_FILE
    assert not delays.exists() or "encrypted.db" not in delays.read_text(encoding="utf-8")
    assert content(here.encrypted, KEY) == before


def test_the_wait_after_one_wrong_try_is_one_second(here: Folder) -> None:
    result = CliRunner().invoke(
        cli, ["report", "--db", str(here.encrypted)], input="not the passphrase\n"
    )
    assert result.exit_code == 1
    assert "waits 1 second before" in result.output, result.output  # not "1 seconds"


# -- where things are written ----------------------------------------------------------------


@pytest.mark.parametrize("encrypted", [False, True], ids=["plain", "encrypted"])
@pytest.mark.parametrize(
    "argv",
    [
        ["plan", "{parent}", "--out", "new/sub/plan.pdf"],
        ["plans", "--out", "new/sub/plans"],
        ["export", "--out", "new/sub/export"],
        ["export", "--out", "new/sub/export.xlsx"],
        ["export", "--format", "jsonl", "--out", "new/sub/export"],
        ["report", "--out", "new/sub/report.txt"],
        ["report", "--out", "new/sub/report.pdf"],
        ["report", "--out", "new/sub/report.xlsx"],
        ["return", "--quarter", "2026Q3", "--out", "new/sub/return.xlsx"],
        ["appointments", "--ics", "new/sub/meetings.ics"],
    ],
    ids=lambda argv: " ".join(argv[:1] + argv[-2:]),
)
def test_a_file_for_a_person_to_read_goes_into_a_folder_not_made_yet(
    here: Folder, argv: list[str], encrypted: bool
) -> None:
    """Every command that writes something to read makes the folder it is to go in, as the
    help of plans says; an xlsx export used to be refused (after the work) with "The folder
    new/sub is not there (a USB stick or network drive unplugged …)", a csv one written."""
    argv = [a.format(parent=here.parents[0]) for a in argv]
    result = run(here, argv, encrypted=encrypted)
    clean(result)
    assert result.exit_code == 0, result.output
    assert (here.path / argv[-1]).exists()


def test_plans_into_a_folder_this_account_cannot_write_in_say_so_in_words(
    here: Folder,
) -> None:
    shut = here.path / "shut"
    shut.mkdir()
    shut.chmod(0o555)
    try:
        error, _ = _refused_by_modes(
            ["plans", "--db", str(here.plain), "--out", str(shut / "plans")], here.path
        )
    finally:
        shut.chmod(0o755)
    # It used to say only: "Error: Permission denied: …/shut/plans".
    assert "not allowed to write in" in error, error
    assert str(shut) in error, error
    assert list(shut.iterdir()) == []


# -- names, ids and other text typed -------------------------------------------------------------

LONG = "x" * 100_000
# Each command that reads a parent (or an id, a locality, a code) from what is typed, with
# {} where the text goes; none of them changes anything when the text matches nothing.
TAKES_TEXT = {
    "plan": ["plan", "{}", "--out", "p.pdf"],
    "answers": ["answers", "{}"],
    "answers --set": ["answers", "{parent}", "--set", "{}"],
    "job": ["job", "{}"],
    "job --id": ["job", "{parent}", "--id", "{}", "--set", "hours_per_week=16"],
    "break": ["break", "{}"],
    "break --id": ["break", "{parent}", "--id", "{}", "--reason", "moving"],
    "erase": ["erase", "{}", "--confirm-name", "{}"],
    "report --locality": ["report", "--locality", "{}"],
    "export --keyworker": ["export", "--out", "ex", "--keyworker", "{}"],
    "decisions --id": ["decisions", "--id", "{}", "--keep", "here"],
    "report --from": ["report", "--from", "{}"],
    "break --take --from": ["break", "{parent}", "--take", "--from", "{}"],
}


@pytest.mark.parametrize("argv", TAKES_TEXT.values(), ids=TAKES_TEXT.keys())
def test_a_very_long_text_is_quoted_back_cut_short(here: Folder, argv: list[str]) -> None:
    before = content(here.plain)
    argv = [a.replace("{parent}", here.parents[0]).replace("{}", LONG) for a in argv]
    line = refused_cleanly(run(here, argv), "100,000 characters", code=run_code(argv))
    # The whole text used to be quoted back: a screenful (twice for erase) hiding the advice.
    assert len(line) < 600, len(line)
    assert content(here.plain) == before
    assert not (here.path / "ex").exists()
    assert not (here.path / "p.pdf").exists()


def run_code(argv: list[str]) -> int:
    """Every refusal of a typed value is ours now, exit 1 (report --from was click's, exit 2)."""
    return 1


# Text no command can be given: a NUL byte (argv is C strings) and lone surrogates (not text).
typed_text = st.text(
    alphabet=st.characters(exclude_categories=["Cs"], exclude_characters="\x00"),
    max_size=40,
) | st.sampled_from(
    ["", " ", "\u202eeofiA", "e\u0301" * 30, "-1", "99999999999999999999", "%s", "{}", "'"]
)


@settings(
    max_examples=30,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(text=typed_text, which=st.sampled_from(sorted(TAKES_TEXT)))
def test_any_text_typed_is_taken_or_refused_in_one_line_and_changes_nothing(
    here: Folder, text: str, which: str
) -> None:
    argv = [a.replace("{parent}", here.parents[0]).replace("{}", text) for a in TAKES_TEXT[which]]
    if argv[0] == "break" and "--take" in argv:
        argv.remove("--take")  # a day that is a date would take a break: --id nope instead
        argv[2:2] = ["--id", "nope"]
    if argv[0] == "answers" and "--set" in argv and "=" in text:
        return  # a real answer would be saved (and is checked by the answers tests)
    before = content(here.plain)
    result = run(here, argv, input="")
    clean(result)
    if result.exit_code != 0:
        assert result.exit_code in (1, 2), result.output
        errors = [line for line in result.stderr.splitlines() if line.startswith("Error:")]
        assert len(errors) == 1, result.stderr
    # A plan changes nothing either, but reads; an export of everyone (--keyworker "") makes
    # the caseload's pseudonym key the first time, as any first export does.
    if argv[0] != "plan" and not (argv[0] == "export" and result.exit_code == 0):
        assert content(here.plain) == before
    shutil.rmtree(here.path / "ex", ignore_errors=True)


# -- files given to read -------------------------------------------------------------------------

# Each command that reads a file someone names, with {} where the file goes.
READS_A_FILE = {
    "import": ["import", "{}"],
    "import --dry-run": ["import", "{}", "--dry-run"],
    "merge": ["merge", "{}"],
    "lookup": ["lookup", "{}"],
    "lookup --dry-run": ["lookup", "{}", "--dry-run"],
    "restore": ["restore", "{}"],
    "partnership-key --load": ["partnership-key", "--load", "{}"],
    "export --key-file": ["export", "--out", "ex", "--key-file", "{}"],
    "return --mapping": ["return", "--quarter", "2026Q3", "--out", "r.xlsx", "--mapping", "{}"],
    "return --key-file": ["return", "--quarter", "2026Q3", "--check", "--key-file", "{}"],
    "passphrase --new-passphrase-file": ["passphrase", "--new-passphrase-file", "{}"],
    "bundle --bundle-passphrase-file": [
        "bundle",
        "--out",
        "b.jlb",
        "--bundle-passphrase-file",
        "{}",
    ],
}
# Files that are not what any of them reads (a header-only spreadsheet is a list of no one: an
# import of it is fine, and says 0 rows).
NOT_WHAT_IS_WANTED = [
    "missing.csv",
    "a folder",
    "empty.csv",
    "random.bin",
    "random.xlsx",
    "random.jlb",
    "nul.csv",
    "notes.txt",
    "plain.db",
]
HEADER_ONLY = ["header-only.csv", "bom-header-only.csv", "latin1.csv"]


@pytest.mark.parametrize("name", NOT_WHAT_IS_WANTED)
@pytest.mark.parametrize("argv", READS_A_FILE.values(), ids=READS_A_FILE.keys())
def test_a_file_that_is_not_what_the_command_reads_is_refused_and_changes_nothing(
    here: Folder, argv: list[str], name: str
) -> None:
    if argv[0] == "restore" and name == "plain.db":
        pytest.skip("the caseload itself (refused: tests/cli/test_misuse.py)")
    if argv[0] in ("passphrase", "bundle") and name == "notes.txt":
        pytest.skip("any one line can be a passphrase (a new caseload's is refused if weak)")
    db = here.encrypted if name == "plain.db" else here.plain
    key = KEY if db == here.encrypted else None
    before = content(db, key)
    given = ["--passphrase-file", "passphrase.txt"] if key else []
    argv = [a.replace("{}", name) for a in argv]
    result = CliRunner().invoke(cli, [argv[0], "--db", str(db), *given, *argv[1:]], input="")
    clean(result)
    assert result.exit_code in (1, 2), result.output
    errors = [line for line in result.stderr.splitlines() if line.startswith("Error:")]
    assert len(errors) == 1, result.stderr
    # Names the file, or what it should be: "… is not a journey-log bundle", "A bundle cannot
    # be dry-run", "Cannot read the passphrase file …".
    assert any(w in errors[0] for w in (name, "bundle", "passphrase")), errors[0]
    assert content(db, key) == before
    for out in ("ex", "r.xlsx", "b.jlb"):
        assert not (here.path / out).exists()


@pytest.mark.parametrize("name", HEADER_ONLY)
def test_a_spreadsheet_of_no_rows_or_not_utf8_imports_what_it_holds(
    here: Folder, name: str
) -> None:
    result = run(here, ["import", name, "--dry-run"])
    clean(result)
    assert result.exit_code == 0, result.output
    assert "dry run: nothing was saved" in result.output


# -- files to write ------------------------------------------------------------------------------

# Each command that writes a file or folder someone names, with {} where the name goes.
WRITES = {
    "plan": ["plan", "{parent}", "--out", "{}"],
    "plans": ["plans", "--out", "{}"],
    "export": ["export", "--out", "{}"],
    "export xlsx": ["export", "--format", "xlsx", "--out", "{}"],
    "report": ["report", "--out", "{}"],
    "report pdf": ["report", "--format", "pdf", "--out", "{}"],
    "return": ["return", "--quarter", "2026Q3", "--out", "{}"],
    "backup": ["backup", "--out", "{}"],
    "bundle": ["bundle", "--out", "{}"],
    "partnership-key": ["partnership-key", "--save", "{}"],
    "appointments": ["appointments", "--ics", "{}"],
}
# Where it may not go: (the name, whether the command may write there after all).
NOT_THERE = {
    "a file already there": "notes.txt",
    "a caseload already there": "plain.db",
    "a folder already there": "a folder",
    "inside a file": "notes.txt/out",
    "the screen": "-",
    "an empty name": "",
    "spaces": "   ",
}
# The plans go into a folder, made or already there, and a csv export into an empty one.
WRITES_INTO_A_FOLDER = {("plans", "a folder already there"), ("export", "a folder already there")}


@pytest.mark.parametrize("where", NOT_THERE, ids=NOT_THERE.keys())
@pytest.mark.parametrize("argv", WRITES.values(), ids=WRITES.keys())
def test_nothing_is_written_over_or_into_what_is_already_there(
    here: Folder, argv: list[str], where: str
) -> None:
    name = NOT_THERE[where]
    if (argv[0], where) in WRITES_INTO_A_FOLDER:
        pytest.skip("written into the (empty) folder already there")
    if argv[0] == "report" and "--format" not in argv and name == "-":
        pytest.skip("a report to - is shown on the screen, as without --out")
    argv = [a.replace("{parent}", here.parents[0]).replace("{}", name) for a in argv]
    before = content(here.plain)
    kept = {p.name: p.read_bytes() for p in here.path.iterdir() if p.is_file()}
    folder_before = sorted(p.name for p in (here.path / "a folder").iterdir())
    result = run(here, argv)
    clean(result)
    assert result.exit_code in (1, 2), result.output
    errors = [line for line in result.stderr.splitlines() if line.startswith("Error:")]
    assert len(errors) == 1, result.stderr
    assert content(here.plain) == before
    assert {p.name: p.read_bytes() for p in here.path.iterdir() if p.is_file()} == kept
    assert sorted(p.name for p in (here.path / "a folder").iterdir()) == folder_before


# -- a caseload open in the window ---------------------------------------------------------------

READS = {
    "check": ["check"],
    "report": ["report", "--format", "json"],
    "report csv": ["report", "--format", "csv", "--from", "2026-01-01", "--to", "2026-12-31"],
    "plan": ["plan", "{parent}", "--out", "p.pdf"],
    "plans": ["plans", "--out", "pl"],
    "export": ["export", "--out", "ex", "--key-file", "k.key"],
    "appointments": ["appointments", "--keyworker", ""],
    "answers": ["answers", "{parent}"],
    "answers --codes": ["answers", "{parent}", "--codes"],
    "job": ["job", "{parent}"],
    "break": ["break", "{parent}"],
    "retention": ["retention"],
    "lookup": ["lookup"],
    "return --check": ["return", "--quarter", "2026Q3", "--check", "--key-file", "k.key"],
}
SAVES = {
    "answers --set": ["answers", "{parent}", "--set", "benefits=none"],
    "job --started-on": ["job", "{parent}", "--started-on", "2026-06-01"],
    "break --take": ["break", "{parent}", "--take", "--from", "2026-06-01"],
    "erase": ["erase", "{id}", "--confirm-name", "{parent}"],
    "import": ["import", "people.csv"],
    "backup": ["backup", "--out", "b.db"],
    "bundle": ["bundle", "--out", "b.jlb"],
    "passphrase": ["passphrase", "--new-passphrase-file", "passphrase.txt"],
    "retention --years": ["retention", "--years", "7"],
    "partnership-key --load": ["partnership-key", "--load", "k.key"],
}


def _filled(folder: Folder, argv: list[str]) -> list[str]:
    database = open_database(folder.plain, None, migrate=False, create=False, saving=False)
    try:
        (pid,) = database.execute(
            "SELECT id FROM participants WHERE preferred_name = ?", [folder.parents[0]]
        ).fetchone()
    finally:
        database.close()
    return [a.replace("{parent}", folder.parents[0]).replace("{id}", pid) for a in argv]


@pytest.fixture
def with_key_file(here: Folder) -> Folder:
    """The partnership's key file beside the caseloads (so a reader needs to save no key)."""
    made = run(here, ["partnership-key", "--save", "k.key"])
    assert made.exit_code == 0, made.output
    (here.path / "people.csv").write_text(
        "ref,preferred_name,locality,joined_on\nSW1,Morag,fife,2026-01-05\n", encoding="utf-8"
    )
    return here


@pytest.mark.parametrize("argv", SAVES.values(), ids=SAVES.keys())
def test_a_command_that_saves_is_refused_while_the_window_has_the_caseload(
    with_key_file: Folder, argv: list[str]
) -> None:
    from journeyapp.caseload import Caseload

    here = with_key_file
    before = content(here.plain)
    window = Caseload.open(here.plain, exclusive=True)
    try:
        result = run(here, _filled(here, argv))
    finally:
        window.close()
    refused_cleanly(result, "already open in JourneyApp", "nothing was changed")
    assert content(here.plain) == before
    assert not (here.path / "b.db").exists()
    assert not (here.path / "b.jlb").exists()


@pytest.mark.parametrize("argv", READS.values(), ids=READS.keys())
def test_a_command_that_reads_gives_the_same_on_a_plain_and_an_encrypted_caseload_and_beside_the_window(
    with_key_file: Folder, argv: list[str]
) -> None:
    """The same options on either caseload (its passphrase from --passphrase-file), and on the
    plain one while the window has it open: the same answer, and nothing changed."""
    from journeyapp.caseload import Caseload

    here = with_key_file
    argv = _filled(here, argv)
    outputs = []
    for encrypted in (False, True):
        db, key = here.caseload(encrypted)
        before = content(db, key)
        result = run(here, argv, encrypted=encrypted)
        clean(result)
        assert result.exit_code == 0, result.output
        assert content(db, key) == before
        outputs.append(result.stdout)
        for written in ("p.pdf", "pl", "ex"):
            shutil.rmtree(here.path / written, ignore_errors=True)
            (here.path / written).unlink(missing_ok=True)
    window = Caseload.open(here.plain, exclusive=True)
    try:
        beside = run(here, argv)
    finally:
        window.close()
    clean(beside)
    assert beside.exit_code == 0, beside.output
    outputs.append(beside.stdout)
    if argv[0] == "check":  # names the file it checked
        outputs = [o.replace("encrypted.db", "plain.db") for o in outputs]
    assert outputs[0] == outputs[1] == outputs[2]


@pytest.mark.parametrize("key_file", [False, True], ids=["no key file", "--key-file"])
def test_return_check_writes_nothing_and_runs_beside_the_window(
    with_key_file: Folder, key_file: bool
) -> None:
    """On a caseload that has made no pseudonym key yet (no export, no return written)."""
    from journeyapp.caseload import Caseload

    here = with_key_file
    fresh = here.path / "fresh.db"
    argv = ["return", "--db", str(fresh), "--quarter", "2026Q3", "--check"]
    argv += ["--key-file", "k.key"] if key_file else []
    before = content(fresh)
    alone = CliRunner().invoke(cli, argv)
    clean(alone)
    assert alone.exit_code == 0, alone.output
    # It used to make and keep a pseudonym key (--key-file or not), though a check shows no
    # pseudonyms; beside the window it was refused, saying to give --key-file, which did not help.
    assert content(fresh) == before
    window = Caseload.open(fresh, exclusive=True)
    try:
        beside = CliRunner().invoke(cli, argv)
    finally:
        window.close()
    clean(beside)
    assert beside.exit_code == 0, beside.output
    assert beside.stdout == alone.stdout
    assert " 1 answers" not in alone.stdout
    assert content(fresh) == before


# -- the same option, the same way ---------------------------------------------------------------


DAY_OPTIONS = {"--from", "--to", "--until", "--started-on", "--get-in-touch-on"}
# Where --to is not a day: where a journey moved on to, the stage moved to.
NOT_DAYS = {"stage --to"}  # the stage to move to, not a day


def test_every_day_option_is_shown_as_a_date_in_the_help() -> None:
    """A day is typed the same way on every command (2026-03-01 or 01/03/2026), and the help
    says DATE for each; export's and report's --from and --to used to say TEXT."""
    from journeyapp.cli import COMMAND_MODULES

    ctx = click.Context(cli)
    days = []
    for name in COMMAND_MODULES:
        command = cli.get_command(ctx, name)
        assert command is not None
        for param in command.params:
            if f"{name} {param.opts[0]}" in NOT_DAYS:
                continue
            if isinstance(param, click.Option) and param.opts[0] in DAY_OPTIONS:
                days.append(f"{name} {param.opts[0]}")
                assert param.make_metavar(ctx) == "DATE", f"{name} {param.opts[0]}"
    assert {"report --from", "report --to", "export --from", "break --until"} <= set(days)


@pytest.mark.parametrize(
    "argv",
    [
        ["report", "--bogus"],
        ["report", "--since", "2026-01-01"],
        ["export", "--until", "2026-01-01", "--out", "ex"],
        ["check", "extra"],
        ["nonsense"],
        ["--db"],
    ],
)
def test_an_unknown_option_or_argument_is_refused_in_click_s_words_and_does_nothing(
    here: Folder, argv: list[str]
) -> None:
    before = content(here.plain)
    result = CliRunner().invoke(
        cli,
        argv
        if argv[0].startswith("--") or argv[0] == "nonsense"
        else [*argv, "--db", str(here.plain)],
    )
    clean(result)
    assert result.exit_code == 2, result.output
    assert "Error:" in result.stderr
    assert content(here.plain) == before
    assert not (here.path / "ex").exists()


def test_answers_codes_needs_no_parent_and_saves_no_answer_given_beside_it(here: Folder) -> None:
    listed = CliRunner().invoke(cli, ["answers", "--db", str(here.plain), "--codes"])
    clean(listed)
    # It used to need a PARTICIPANT it did not use ("Missing argument 'PARTICIPANT'").
    assert listed.exit_code == 0, listed.output
    assert "benefits: " in listed.stdout
    before = content(here.plain)
    both = run(here, ["answers", here.parents[0], "--codes", "--set", "benefits=none"])
    # It used to list the codes, exit 0, and not save the --set.
    refused_cleanly(both, "--codes", "Nothing was saved")
    assert content(here.plain) == before
    nobody = CliRunner().invoke(cli, ["answers", "--db", str(here.plain)])
    clean(nobody)
    assert nobody.exit_code == 2
    assert "--codes" in nobody.stderr


@pytest.mark.parametrize("end", ["\n", "\r\n"], ids=["LF", "CRLF"])
def test_a_passphrase_in_the_environment_is_read_as_from_a_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, end: str
) -> None:
    """A line end at the end of $JOURNEYAPP_PASSPHRASE (a secret pasted into a CI setting or
    an env file) is not the passphrase's, as it is not in a --passphrase-file; a caseload made
    with the variable used to open only with the variable, never with the file or a prompt."""
    db = tmp_path / "c.db"
    secret = tmp_path / "passphrase.txt"
    secret.write_text(KEY + "\n", encoding="utf-8")
    secret.chmod(0o600)
    monkeypatch.setenv("JOURNEYAPP_PASSPHRASE", KEY + end)
    made = CliRunner().invoke(cli, ["new", "--db", str(db)])
    assert made.exit_code == 0, made.output
    monkeypatch.delenv("JOURNEYAPP_PASSPHRASE")
    by_file = CliRunner().invoke(cli, ["check", "--db", str(db), "--passphrase-file", str(secret)])
    clean(by_file)
    assert by_file.exit_code == 0, by_file.output
    typed = CliRunner().invoke(cli, ["check", "--db", str(db)], input=KEY + "\n")
    assert typed.exit_code == 0, typed.output
    monkeypatch.setenv("JOURNEYAPP_PASSPHRASE", KEY + end)
    assert CliRunner().invoke(cli, ["check", "--db", str(db)]).exit_code == 0


@pytest.mark.parametrize(
    ("column", "words"),
    [
        ('header = "x"', "has no source"),
        ('header = "x"\nsource = ["pseudonym"]', "not one name"),
        ('header = "x"\nsource = { a = 1 }', "not one name"),
        ('header = "x"\nsource = 5', "not one name"),
        ('header = "x"\nsource = "nonsense"', "'nonsense' is unknown"),
        ('source = "pseudonym"', "has no header"),
    ],
)
def test_a_return_mapping_with_a_column_not_as_it_should_be_says_which_and_how(
    here: Folder, column: str, words: str
) -> None:
    (here.path / "council.toml").write_text(f"[[column]]\n{column}\n", encoding="utf-8")
    before = content(here.plain)
    result = run(
        here, ["return", "--quarter", "2026Q3", "--out", "r.xlsx", "--mapping", "council.toml"]
    )
    # A list or a table as the source used to be "Unexpected error (TypeError: unhashable
    # type: 'list')", and no source at all "source None is unknown".
    line = refused_cleanly(result, "council.toml, column 1", words)
    assert "None" not in line
    assert not (here.path / "r.xlsx").exists()
    assert content(here.plain) == before


@pytest.mark.parametrize(
    ("change", "words"),
    [
        (("pipeline = 1", 'pipeline = "one"'), "is 'one'; give a whole number from 1 to 5"),
        (("pipeline = 1", "pipeline = 9"), "is 9; give a whole number from 1 to 5"),
        (("pipeline = 1", "pipeline = [1]"), "not a number"),
        (('key = "getting_started"', 'key = ["a"]'), "needs both a key and a label"),
        (('label = "Getting started"', "label = { a = 1 }"), "needs both a key and a label"),
    ],
    ids=["pipeline text", "pipeline 9", "pipeline list", "key list", "label table"],
)
def test_a_partnership_catalogue_with_a_value_of_the_wrong_kind_says_where(
    here: Folder, monkeypatch: pytest.MonkeyPatch, change: tuple[str, str], words: str
) -> None:
    text = (ROOT / "resources" / "catalogue.toml").read_text(encoding="utf-8")
    assert change[0] in text
    (here.path / "ours.toml").write_text(text.replace(change[0], change[1], 1), encoding="utf-8")
    monkeypatch.setenv("JOURNEYAPP_CATALOGUE", "ours.toml")
    before = content(here.plain)
    # A pipeline stage that is not a number used to be "Unexpected error (ValueError: invalid
    # literal for int() …)"; a list or a table as a key or label was shown as Python text.
    refused_cleanly(run(here, ["report"]), "ours.toml", words)
    assert content(here.plain) == before


@pytest.mark.parametrize("command", ["merge", "import"])
def test_an_empty_bundle_passphrase_piped_in_is_no_passphrase(
    here: Folder, monkeypatch: pytest.MonkeyPatch, command: str
) -> None:
    made = run(here, ["bundle", "--out", "mine.jlb"])
    assert made.exit_code == 0, made.output
    monkeypatch.delenv("JOURNEYAPP_BUNDLE_PASSPHRASE")
    before = content(here.plain)
    result = run(here, [command, "mine.jlb"], input="\n")
    # It used to be tried, and SQLCipher's words came back: "Cannot open mine.jlb: An error
    # occurred with PRAGMA key or rekey. PRAGMA key requires a key of one or more characters …"
    line = refused_cleanly(result, "The bundle needs a passphrase", "--bundle-passphrase-file")
    assert "PRAGMA" not in line
    assert content(here.plain) == before


@pytest.mark.parametrize(
    "argv",
    [
        ["appointments", "--keyworker", "Nobody Atall"],
        ["appointments", "--keyworker", "Nobody Atall", "--ics", "meetings.ics"],
        ["export", "--keyworker", "Nobody Atall", "--out", "ex"],
    ],
    ids=["appointments", "appointments --ics", "export"],
)
def test_a_keyworker_no_parent_has_is_refused_on_every_command_that_takes_one(
    here: Folder, argv: list[str]
) -> None:
    """The meetings of a keyworker with a typing slip used to be listed (or written to a
    calendar) as those of the parents with no keyworker recorded, with the group sessions, and
    exit 0; the export already refused the name, listing those the caseload has."""
    before = content(here.plain)
    refused_cleanly(run(here, argv), "No parent in this caseload has the keyworker", "give one of")
    assert content(here.plain) == before
    assert not (here.path / "meetings.ics").exists()
    assert not (here.path / "ex").exists()
    # Spelled with other capitals and spaces around, the name is the keyworker's.
    database = open_database(here.plain, None, migrate=False, create=False, saving=False)
    try:
        (name,) = database.execute(
            "SELECT keyworker FROM participants WHERE keyworker != '' LIMIT 1"
        ).fetchone()
    finally:
        database.close()
    taken = run(here, [*argv[:2], f"  {name.upper()} ", *argv[3:]])
    clean(taken)
    assert taken.exit_code == 0, taken.output


ENDLESS = Path("/dev/zero")


@pytest.mark.skipif(not ENDLESS.exists(), reason="needs a device that never ends")
@pytest.mark.parametrize(
    ("argv", "words"),
    [
        (["report", "--passphrase-file", "{}"], "too big to be a passphrase file"),
        (["bundle", "--out", "b.jlb", "--bundle-passphrase-file", "{}"], "too big to be a bundle"),
        (["passphrase", "--new-passphrase-file", "{}"], "too big to be a new passphrase"),
        # Not read at all: a device is no key or mapping file (a named pipe would hang).
        (["export", "--out", "ex", "--key-file", "{}"], "is a device, not a file"),
        (["partnership-key", "--load", "{}"], "is a device, not a file"),
        (["return", "--quarter", "2026Q3", "--out", "r.xlsx", "--mapping", "{}"], "is a device"),
    ],
    ids=lambda v: v[0] if isinstance(v, list) else None,
)
def test_a_file_that_never_ends_is_refused_not_read_until_memory_runs_out(
    here: Folder, argv: list[str], words: str
) -> None:
    """A device, or a huge file named by mistake, where a one-line file belongs: it used to be
    read whole ("Unexpected error (MemoryError)", or the laptop's memory filled and it hung)."""
    before = content(here.plain)
    argv = [a.replace("{}", str(ENDLESS)) for a in argv]
    refused_cleanly(run(here, argv), words)
    assert content(here.plain) == before


@pytest.mark.skipif(not ENDLESS.exists(), reason="needs a device that never ends")
def test_a_catalogue_that_never_ends_is_refused(
    here: Folder, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("JOURNEYAPP_CATALOGUE", str(ENDLESS))
    refused_cleanly(run(here, ["report"]), "too big to be the catalogue")


@pytest.mark.skipif(os.name != "posix", reason="a pipe as a file name is POSIX")
def test_a_passphrase_from_a_pipe_still_opens_the_caseload(here: Folder) -> None:
    """As a script gives it with <(pass show caseload): a pipe, read to its end."""
    done = subprocess.run(
        [
            "bash",
            "-c",
            f'"{sys.executable}" -m journeyapp check --db "{here.encrypted}" '
            f'--passphrase-file <(printf "%s\\n" "{KEY}")',
        ],
        capture_output=True,
        text=True,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    assert "Integrity: ok" in done.stdout


@pytest.mark.parametrize("argv", [["report"], ["answers", "--codes"]], ids=["report", "answers"])
def test_output_to_a_reader_that_has_gone_ends_quietly(here: Folder, argv: list[str]) -> None:
    """`journeyapp report | head -1`: when the reader stops, the command stops without a word
    of its own (it used to add "Error: Broken pipe", the system's words)."""
    process = subprocess.Popen(
        [sys.executable, "-m", "journeyapp", argv[0], "--db", str(here.plain), *argv[1:]],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )
    assert process.stdout is not None
    process.stdout.close()  # long before the command (which takes a moment to start) writes
    _, err = process.communicate(timeout=120)
    errors = err.decode()
    assert "Error:" not in errors, errors
    for raw in RAW:
        assert raw not in errors, errors


def test_a_name_the_output_cannot_hold_is_escaped_not_a_failure_after_the_work(
    here: Folder,
) -> None:
    """Output redirected to a file in Windows' own encoding (cp1252) cannot hold Ł or Hebrew
    letters: the command used to save (a break taken) or write (a plan) and then fail with
    "Unexpected error (UnicodeEncodeError …)", exit 1, as if nothing had been done."""
    (here.path / "people.csv").write_text(
        "ref,preferred_name,locality,joined_on\nU1,Łucja שרה,fife,2026-01-05\n", encoding="utf-8"
    )
    assert run(here, ["import", "people.csv"]).exit_code == 0
    env = {**os.environ, "PYTHONPATH": str(ROOT), "PYTHONIOENCODING": "cp1252"}
    for argv in (
        ["break", "Łucja", "--take", "--from", "2026-02-01"],
        ["plan", "Łucja", "--out", "plan.pdf"],
    ):
        done = subprocess.run(
            [sys.executable, "-m", "journeyapp", argv[0], "--db", str(here.plain), *argv[1:]],
            capture_output=True,
            env=env,
            cwd=here.path,
            timeout=120,
        )
        assert done.returncode == 0, done.stderr
        assert b"Error" not in done.stderr, done.stderr
        assert b"\\u0141ucja" in done.stdout, done.stdout


@pytest.mark.parametrize("command", [["check"], ["new", "--db", "other.db"]], ids=["open", "new"])
def test_a_passphrase_piped_in_another_encoding_is_told_not_tried(
    here: Folder, command: list[str]
) -> None:
    """A passphrase with an é saved in Windows' own encoding and piped in: it used to end in
    "Unexpected error (UnicodeEncodeError: … surrogates not allowed)"."""
    argv = command if "--db" in command else [*command, "--db", str(here.encrypted)]
    done = subprocess.run(
        [sys.executable, "-m", "journeyapp", *argv],
        input="café river stones long\ncafé river stones long\n".encode("cp1252"),
        capture_output=True,
        env={
            **{k: v for k, v in os.environ.items() if k != "JOURNEYAPP_PASSPHRASE"},
            "PYTHONPATH": str(ROOT),
        },
        cwd=here.path,
        timeout=120,
    )
    errors = done.stderr.decode("utf-8", "replace")
    assert done.returncode == 1, errors
    assert "is not UTF-8 text" in errors, errors
    for raw in RAW:
        assert raw not in errors, errors
    assert not (here.path / "other.db").exists()


@pytest.mark.parametrize(
    "argv",
    [
        ["plan", "\udce9", "--out", "p.pdf"],
        ["break", "\udce9"],
        ["erase", "\udce9", "--confirm-name", "x"],
        ["backup", "--out", "b\udce9.db"],
        ["plans", "--out", "pl\udce9"],
        ["export", "--out", "ex\udce9"],
    ],
    ids=["plan", "break", "erase", "backup", "plans", "export"],
)
def test_a_word_not_in_utf8_on_the_command_line_is_refused_before_anything_is_made(
    here: Folder, argv: list[str]
) -> None:
    """b'\\xe9' typed in a Latin-1 terminal reaches Python as '\\udce9': it used to end in
    "Unexpected error (UnicodeEncodeError: … surrogates not allowed)", after a backup file or
    the plans' folder had been made."""
    before = content(here.plain)
    listed = sorted(p.name for p in here.path.iterdir())
    line = refused_cleanly(run(here, argv), "is not UTF-8 text", "Nothing was done")
    assert "\\xe9" in line
    assert content(here.plain) == before
    assert sorted(p.name for p in here.path.iterdir()) == listed


@pytest.mark.parametrize(
    ("name", "words"),
    [
        ("x" * 300, "300 characters long; the most it can hold is 200"),
        ("Aileen\nFife", "line break"),
    ],
    ids=["too long", "two lines"],
)
def test_a_laptop_s_name_that_cannot_be_kept_says_what_is_wrong_with_it(
    here: Folder, name: str, words: str
) -> None:
    other = here.path / "other.db"
    assert CliRunner().invoke(cli, ["demo", "--db", str(other), "-n", "1"]).exit_code == 0
    shown = CliRunner().invoke(cli, ["devices", "--db", str(other), "--code"])
    code = next(w for w in shown.stdout.split() if w.count(".") == 1 and len(w) > 64)
    before = content(here.plain)
    # A long name used to be told "Give the laptop's device id … and a name", and a name of
    # two lines was kept, splitting its line in the list of enrolled laptops.
    refused_cleanly(run(here, ["devices", "--enrol", code, "--name", name]), words)
    assert content(here.plain) == before


@pytest.mark.parametrize(
    "argv",
    [
        ["plan", "{}", "--out", "p.pdf"],
        ["answers", "{}"],
        ["job", "{}", "--started-on", "2026-06-01"],
        ["break", "{}", "--take"],
        ["erase", "{}", "--confirm-name", "{}"],
    ],
    ids=lambda argv: argv[0],
)
def test_a_name_several_parents_share_lists_them_and_changes_nothing(
    here: Folder, argv: list[str]
) -> None:
    """A letter two demo names hold matches both: listed with their ids, nothing done."""
    database = open_database(here.plain, None, migrate=False, create=False, saving=False)
    try:
        names = [r[0] for r in database.execute("SELECT preferred_name FROM participants")]
    finally:
        database.close()
    common = next(ch for ch in "aeiounrslh" if sum(ch in n.lower() for n in names) >= 2)
    before = content(here.plain)
    result = run(here, [a.replace("{}", common) for a in argv])
    line = refused_cleanly(result)
    assert "id" in result.stderr
    assert "Nothing was erased" in line or "Use more of the name" in line, line
    assert content(here.plain) == before
    assert not (here.path / "p.pdf").exists()


@pytest.mark.parametrize(
    ("argv", "code"),
    [
        (["demo", "--db", "new.db", "-n", "-1"], 1),
        (["demo", "--db", "new.db", "-n", "0"], 1),
        (["demo", "--db", "new.db", "-n", "99999999999999999999"], 1),
        (["demo", "--db", "new.db", "-n", "1e3"], 1),
        # It used to print click's usage block (exit 2) for a seed that is not a number.
        (["demo", "--db", "new.db", "--seed", "x"], 1),
        (["demo", "--db", "new.db", "--seed", "-1"], 1),
        (["retention", "--years", "-3"], 1),
        (["retention", "--years", "99999999999999999999"], 1),
        (["job", "{parent}", "--started-on", "2026-06-01", "--set", "hours_per_week=-5"], 1),
        (["job", "{parent}", "--started-on", "2026-06-01", "--set", "hours_per_week=1e308"], 1),
        (["job", "{parent}", "--started-on", "2026-06-01", "--set", "hours_per_week=999999"], 1),
    ],
)
def test_numbers_out_of_range_are_refused_and_change_nothing(
    here: Folder, argv: list[str], code: int
) -> None:
    before = content(here.plain)
    argv = [a.replace("{parent}", here.parents[0]) for a in argv]
    result = CliRunner().invoke(cli, argv) if argv[0] == "demo" else run(here, argv)
    clean(result)
    assert result.exit_code == code, result.output
    assert "Error:" in result.stderr
    assert content(here.plain) == before
    assert not (here.path / "new.db").exists()


@pytest.mark.parametrize(
    "argv",
    [
        ["check"],
        ["report"],
        ["plan", "{parent}", "--out", "{out}/p.pdf"],
        ["break", "{parent}", "--take"],
    ],
    ids=lambda argv: argv[0],
)
def test_a_caseload_in_a_read_only_folder_says_so_and_changes_nothing(
    here: Folder, argv: list[str]
) -> None:
    """The folder cannot take the lock file or SQLite's journal beside the caseload."""
    folder = here.path / "stick"
    folder.mkdir()
    db = folder / "c.db"
    shutil.copyfile(here.plain, db)
    before = content(db)
    folder.chmod(0o555)
    argv = [a.replace("{parent}", here.parents[0]).replace("{out}", str(here.path)) for a in argv]
    try:
        error, stderr = _refused_by_modes([argv[0], "--db", str(db), *argv[1:]], here.path)
    finally:
        folder.chmod(0o755)
    assert "read-only" in error, error
    for raw in RAW:
        assert raw not in stderr
    assert content(db) == before
    assert sorted(p.name for p in folder.iterdir()) == ["c.db"]
    assert not (here.path / "p.pdf").exists()


def test_a_file_where_the_backups_folder_goes_is_named_not_taken_for_a_failing_drive(
    here: Folder,
) -> None:
    (here.path / "backups").write_text("mine\n", encoding="utf-8")
    before = content(here.plain)
    # It used to say: "could not make the backups folder at backups (File exists). Check the
    # drive is there and working".
    line = refused_cleanly(run(here, ["backup"]), "backups is a file", "--out")
    assert "File exists" not in line
    assert "drive" not in line
    assert (here.path / "backups").read_text(encoding="utf-8") == "mine\n"
    assert content(here.plain) == before


@pytest.mark.parametrize(
    ("extra", "words"),
    [
        (["--mapping", "missing.toml"], "There is no mapping file at missing.toml"),
        (["--mapping", "notes.txt"], "not valid TOML"),
        (["--tables-only"], "leave out --tables-only"),
    ],
    ids=["missing mapping", "not a mapping", "tables only"],
)
def test_return_check_does_not_pass_over_what_else_it_is_given(
    here: Folder, extra: list[str], words: str
) -> None:
    """With --check, a mapping that is not there (or not one) and --tables-only were passed
    over without a word, and the check said all was well for a return that could not be made."""
    before = content(here.plain)
    refused_cleanly(run(here, ["return", "--quarter", "2026Q3", "--check", *extra]), words)
    assert content(here.plain) == before


def test_lookup_dry_run_without_a_file_says_what_it_needs(here: Folder) -> None:
    # It used to say what lookup is held, as if a file had been checked and found fine.
    refused_cleanly(run(here, ["lookup", "--dry-run"]), "--dry-run checks a lookup file")


@pytest.mark.parametrize("command", ["new", "demo"])
@pytest.mark.parametrize("name", ["report.pdf", "people.csv", "q1.xlsx", "notes2.txt", "b.jlb"])
def test_a_new_caseload_named_as_another_kind_of_file_is_refused(
    here: Folder, monkeypatch: pytest.MonkeyPatch, command: str, name: str
) -> None:
    """As the writers of those files refuse a name of the wrong kind; a caseload called
    report.pdf used to be made (encrypted, the size of a caseload) and then taken for a PDF."""
    monkeypatch.setenv("JOURNEYAPP_PASSPHRASE", KEY)
    listed = sorted(p.name for p in here.path.iterdir())
    line = refused_cleanly(
        CliRunner().invoke(cli, [command, "--db", name]), "a new caseload", "ending .db"
    )
    assert f"{Path(name).stem}.db" in line
    assert sorted(p.name for p in here.path.iterdir()) == listed


@pytest.mark.parametrize("bundle", ["random.jlb", "wrong passphrase"])
def test_a_merge_refused_saves_nothing_not_even_a_key(here: Folder, bundle: str) -> None:
    # A caseload that has not sealed anything yet has no key of its own: a merge refused used
    # to make one (the seals' keys were asked for before the bundle was read).
    fresh = here.path / "fresh.db"
    if bundle == "wrong passphrase":
        made = run(here, ["bundle", "--out", "other.jlb"])
        assert made.exit_code == 0, made.output
        bundle = "other.jlb"
        given = ["--bundle-passphrase-file", "wrong.txt"]
    else:
        given = []
    before = content(fresh)
    result = CliRunner().invoke(cli, ["merge", "--db", str(fresh), *given, bundle], input="")
    clean(result)
    assert result.exit_code == 1, result.output
    assert content(fresh) == before


def test_the_list_of_laptops_only_reads_and_runs_beside_the_window(here: Folder) -> None:
    from journeyapp.caseload import Caseload

    fresh = here.path / "fresh.db"
    before = content(fresh)
    window = Caseload.open(fresh, exclusive=True)
    try:
        listed = CliRunner().invoke(cli, ["devices", "--db", str(fresh)])
    finally:
        window.close()
    clean(listed)
    assert listed.exit_code == 0, listed.output
    assert "This laptop:" in listed.stdout
    assert content(fresh) == before
