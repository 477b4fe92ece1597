"""File and folder names on the command line: `--out -`, an empty name, only spaces, "%", a line
break or the next option taken as a name are refused in one line, saying what to type instead,
before anything is opened or written; `journeyapp report --out -` writes to the screen."""

from __future__ import annotations

import contextlib
import hashlib
import os
import sqlite3
import tempfile
from pathlib import Path

import click
import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from journeyapp.cli import cli
from journeyapp.cli.options import FileName
from tests.cli.refusals import refused
from tests.cli.test_commands import COMMANDS

# Every option that names a file or folder to write, with the rest of a command that would
# otherwise succeed ({pid}: a parent's id).
WRITES = {
    "backup --out": ["backup"],
    "report --out (pdf)": ["report", "--format", "pdf"],
    "report --out (xlsx)": ["report", "--format", "xlsx"],
    "export --out": ["export"],
    "partnership-key --save": ["partnership-key"],
    "bundle --out": ["bundle"],
    "plan --out": ["plan", "{pid}"],
    "plans --out": ["plans"],
    "return --out": ["return", "--quarter", "2026Q3"],
    "appointments --ics": ["appointments"],
}
# The ending a file a person double-clicks must have, for the options that write one.
ENDINGS = {
    "report --out (pdf)": ".pdf",
    "report --out (xlsx)": ".xlsx",
    "plan --out": ".pdf",
    "return --out": ".xlsx",
    "appointments --ics": ".ics",
}
# Values no one means as a file name to write (each said, in the error, to be what it is).
NOT_NAMES = {
    "-": "would make a f",
    "": "was given an empty name",
    " ": "was given only spaces",
    "   ": "was given only spaces",
    "%": "has neither a letter nor a digit in it",
    "--db": "starts with - as an option does",
    "-1": "starts with - as an option does",
    "a\nb": "holds a line break",
    "report\x00.pdf": "holds a line break or another control character",
    " x.pdf": "starts or ends with a space",
    "x.pdf ": "starts or ends with a space",
    "x" * 300: "longer than a file name can be",
}


def table_rows(db: Path) -> str:
    """A digest of every row of every table (what a change to the caseload would change)."""
    connection = sqlite3.connect(db)
    digest = hashlib.sha256()
    try:
        tables = connection.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' "
            "ORDER BY name"
        ).fetchall()
        for (table,) in tables:
            for row in connection.execute(f'SELECT * FROM "{table}" ORDER BY 1'):
                digest.update(repr(row).encode())
    finally:
        connection.close()
    return digest.hexdigest()


@pytest.fixture
def work(tmp_path: Path, demo_db: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """An empty folder to run in, as a person's current folder (where "-" or "%" would land)."""
    folder = tmp_path / "here"
    folder.mkdir()
    monkeypatch.chdir(folder)
    monkeypatch.setenv("JOURNEYAPP_BUNDLE_PASSPHRASE", "a long bundle passphrase")
    return folder


def parent_id(db: Path) -> str:
    connection = sqlite3.connect(db)
    try:
        return str(connection.execute("SELECT id FROM participants LIMIT 1").fetchone()[0])
    finally:
        connection.close()


def writing(command: str, demo_db: Path, value: str) -> list[str]:
    """The argv of `command` (a key of WRITES) writing to `value`."""
    words = [w.format(pid=parent_id(demo_db)) for w in WRITES[command]]
    option = command.split()[1]
    return [words[0], "--db", str(demo_db), *words[1:], option, value]


@pytest.mark.parametrize(
    ("command", "value"),
    [
        pytest.param(command, value, id=f"{command}-{value!r:.12}")
        for command in WRITES
        for value in NOT_NAMES
        # The report's - means the screen (see below): a PDF or workbook there is refused.
        if not (command.startswith("report") and value == "-")
    ],
)
def test_a_name_no_one_means_is_refused_and_nothing_is_written(
    runner: CliRunner, demo_db: Path, work: Path, command: str, value: str
) -> None:
    before = table_rows(demo_db)
    beside = sorted(os.listdir(demo_db.parent))
    line = refused(
        runner.invoke(cli, writing(command, demo_db, value)),
        command.split()[1],
        NOT_NAMES[value],
        "Nothing was done",
    )
    # What to type instead: an example (or, for spaces at the ends, the name without them).
    assert "e.g." in line or "give it without" in line
    assert os.listdir(work) == []
    assert sorted(os.listdir(demo_db.parent)) == beside
    assert table_rows(demo_db) == before


@pytest.mark.parametrize("name", ["out.file", "2026-12", "2026"])
@pytest.mark.parametrize("command", list(WRITES))
def test_a_plain_name_is_still_written(
    runner: CliRunner, demo_db: Path, work: Path, command: str, name: str
) -> None:
    """Names a person means, a month's folder or file of digits ("2026-12") among them (with
    the ending a file a person opens must have: test_file_endings.py)."""
    if command.startswith("plans ") and name == "out.file":
        name = "plans-out"
    name += ENDINGS.get(command, "")
    result = runner.invoke(cli, writing(command, demo_db, name))
    assert result.exit_code == 0, result.output
    assert (work / name).exists()


@pytest.mark.parametrize("fmt", ["text", "json", "csv"])
def test_report_out_dash_writes_to_the_screen_as_without_out(
    runner: CliRunner, demo_db: Path, work: Path, fmt: str
) -> None:
    plain = runner.invoke(cli, ["report", "--db", str(demo_db), "--format", fmt])
    dashed = runner.invoke(cli, ["report", "--db", str(demo_db), "--format", fmt, "--out", "-"])
    assert dashed.exit_code == 0, dashed.output
    assert dashed.stdout == plain.stdout
    assert dashed.stdout.strip()
    assert os.listdir(work) == []


@pytest.mark.parametrize("fmt", ["pdf", "xlsx"])
def test_a_report_that_is_a_file_to_the_screen_says_to_give_a_file(
    runner: CliRunner, demo_db: Path, work: Path, fmt: str
) -> None:
    result = runner.invoke(cli, ["report", "--db", str(demo_db), "--format", fmt, "--out", "-"])
    refused(result, "is a file, not shown on the screen", f"--out FILE.{fmt}")
    assert os.listdir(work) == []


@pytest.mark.parametrize(
    ("argv", "given", "instead"),
    [
        (["restore", "--db", "{db}", "-"], "BACKUP_FILE -", "backups/"),
        (["import", "--db", "{db}", "-"], "FILE -", "parents.xlsx"),
        (["merge", "--db", "{db}", "-"], "BUNDLE_FILES -", ".jlb"),
        (["lookup", "--db", "{db}", "-"], "FILE -", "simd-postcodes.xlsx"),
        (["check", "--db", "{db}", "--passphrase-file", "-"], "--passphrase-file -", "pipe"),
        (
            ["passphrase", "--db", "{db}", "--new-passphrase-file", "-"],
            "--new-passphrase-file -",
            "pipe",
        ),
        (
            ["bundle", "--db", "{db}", "--out", "b.jlb", "--bundle-passphrase-file", "-"],
            "--bundle-passphrase-file -",
            "JOURNEYAPP_BUNDLE_PASSPHRASE",
        ),
        (["export", "--db", "{db}", "--out", "e", "--key-file", "-"], "--key-file -", ".key"),
        (["partnership-key", "--db", "{db}", "--load", "-"], "--load -", ".key"),
        (
            ["return", "--db", "{db}", "--quarter", "2026Q3", "--out", "r.xlsx", "--mapping", "-"],
            "--mapping -",
            ".toml",
        ),
        (["check", "--db", "-"], "--db -", "--db caseload.db"),
        (["new", "--db", " "], "--db was given only spaces", "--db caseload.db"),
        (["demo", "--db", "%"], "--db % has neither a letter nor a digit", "--db caseload.db"),
        (["--db", "-", "check"], "--db -", "--db caseload.db"),
    ],
)
def test_a_file_to_read_or_open_named_dash_or_blank_is_refused(
    runner: CliRunner, demo_db: Path, work: Path, argv: list[str], given: str, instead: str
) -> None:
    before = table_rows(demo_db)
    result = runner.invoke(cli, [a.format(db=demo_db) for a in argv], input="")
    refused(result, given, instead, "Nothing was done")
    assert os.listdir(work) == []
    assert table_rows(demo_db) == before


def test_a_file_already_there_is_the_persons_own_whatever_its_name(
    runner: CliRunner, demo_db: Path, work: Path
) -> None:
    # No letters, and starting with "-": a slip when new, but this caseload is really there.
    for name in ("2026", "-1"):
        (work / name).write_bytes(demo_db.read_bytes())
        result = runner.invoke(cli, ["check", "--db", f"./{name}" if name[0] == "-" else name])
        assert result.exit_code == 0, result.output
        assert "Integrity: ok" in result.output


def test_every_file_or_folder_option_and_argument_is_checked_as_a_name() -> None:
    # A path option added later with click.Path would take "-" or " " as a name again.
    unchecked = [
        f"{name} {param.name}"
        for name, command in [("journeyapp", cli), *COMMANDS]
        for param in command.params
        if isinstance(param.type, click.Path) and not isinstance(param.type, FileName)
    ]
    assert unchecked == []
    checked = sum(
        isinstance(param.type, FileName) for _, command in COMMANDS for param in command.params
    )
    assert checked >= 40  # --db and --passphrase-file on nearly every command, and the rest


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(name=st.text(st.characters(exclude_categories=["Cs"]), max_size=12))
def test_backup_out_either_writes_the_file_named_or_refuses_and_writes_nothing(
    runner: CliRunner, demo_db: Path, name: str
) -> None:
    # Opened once first: opening leaves its lock file beside it.
    assert runner.invoke(cli, ["check", "--db", str(demo_db)]).exit_code == 0
    before = table_rows(demo_db)
    beside = sorted(os.listdir(demo_db.parent))
    with tempfile.TemporaryDirectory() as folder, contextlib.chdir(folder):
        result = runner.invoke(cli, ["backup", "--db", str(demo_db), "--out", name])
        assert "Traceback" not in result.output
        made = os.listdir(folder)
        if result.exit_code == 0:
            # Written where it says, under the name given, which is a name someone means.
            assert (Path(folder) / name).is_file()
            assert name.strip() == name
            assert any(c.isalnum() for c in name)
            assert not name.startswith("-")
        else:
            errors = [line for line in result.stderr.splitlines() if line.startswith("Error:")]
            assert len(errors) == 1, result.output
            assert made == []
            assert sorted(os.listdir(demo_db.parent)) == beside
    assert table_rows(demo_db) == before


@pytest.mark.parametrize(
    ("value", "said"),
    [
        ("-", '$JOURNEYAPP_DB - would be a caseload file called "-"'),
        (" ", "$JOURNEYAPP_DB was given only spaces"),
        ("%", "$JOURNEYAPP_DB % has neither a letter nor a digit in it"),
        (" caseload.db", "$JOURNEYAPP_DB ' caseload.db' starts or ends with a space"),
    ],
)
@pytest.mark.parametrize("command", [["new"], ["demo"], ["check"]])
def test_a_caseload_named_by_the_variable_is_refused_as_db_would_be(
    runner: CliRunner,
    work: Path,
    monkeypatch: pytest.MonkeyPatch,
    command: list[str],
    value: str,
    said: str,
) -> None:
    monkeypatch.setenv("JOURNEYAPP_DB", value)
    monkeypatch.setenv("JOURNEYAPP_PASSPHRASE", "four quiet river stones")
    refused(runner.invoke(cli, command), said, "Nothing was done")
    assert os.listdir(work) == []
