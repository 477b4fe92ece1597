"""Every command, walked from the click group, keeps the command line's promises, so a command
added later cannot forget them (tests/cli/test_commands.py checks its help and options):

- the caseload's passphrase is read from $JOURNEYAPP_PASSPHRASE alike: a wrong one is refused
  as wrong, with no prompt and nothing changed; the right one opens without a prompt;
- every file or folder it writes (each FileName option or argument that writes) is never put
  over a caseload or backup already there, and into a folder not there yet is either written
  (something a person reads: the folder is made) or refused in one line (a backup, a bundle, a
  key: "the drive may be unplugged"), never click's usage block, never a traceback;
- every file it reads (each FileName that reads, passphrase files aside: those may be a pipe)
  is refused in one line when it is a named pipe, not waited on for ever.

A command missing from ARGS below fails the first test: give it the arguments it needs to run.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import click
import pytest
from click.testing import CliRunner, Result

from journeyapp.caseload import Caseload
from journeyapp.cli import cli
from journeyapp.cli.options import FileName
from tests.cli.refusals import folder_state, refused
from tests.cli.test_commands import COMMANDS, NAMES, NO_PASSPHRASE
from tests.cli.test_sweep_bad_input import content
from tests.clock import real_quarter

ROOT = Path(__file__).resolve().parents[2]
KEY = "four quiet river stones"
BUNDLE_KEY = "a long bundle passphrase"

# What each command needs to run on the caseload below ({…}: a file of the folder, or the value
# of the FileName parameter of that name under test).
ARGS: dict[str, list[str]] = {
    "new": [],
    "demo": [],
    "check": [],
    "passphrase": ["--new-passphrase-file", "new-passphrase.txt"],
    "backup": [],
    "restore": ["{backup_file}"],
    "retention": [],
    "erase": ["A-1", "--confirm-name", "Aoife"],
    "plan": ["Aoife", "--out", "p.pdf"],
    "plans": ["--out", "plans"],
    "answers": ["Aoife"],
    "job": ["Aoife"],
    "export": ["--out", "ex"],
    "partnership-key": ["--save", "k.key"],
    "bundle": ["--out", "b.jlb"],
    "merge": ["{bundle_files}"],
    "decisions": [],
    "devices": [],
    "import": ["{file}"],
    "report": [],
    "lookup": [],
    "return": ["--quarter", "QUARTER", "--check"],
    "appointments": [],
    "week": [],
    "break": ["Aoife"],
    "journey": ["Aoife"],
    "contact": ["Aoife"],
    "milestone": ["Aoife"],
    "stage": ["Aoife"],
    "goal": ["Aoife"],
    "step": ["Aoife"],
    "referral": ["Aoife"],
    "assessment": ["Aoife"],
    "parent": ["Aoife"],
    "pace": ["Aoife"],
    "choice": ["Aoife"],
    "strength": ["Aoife"],
    "meeting": ["Aoife"],
    "feedback": ["Aoife"],
    "group": [],
    "settings": [],
    "search": ["Aoife"],
}
# The files the placeholders name when they are not the parameter under test.
FILLED = {"{backup_file}": "backup.db", "{bundle_files}": "own.jlb", "{file}": "parents.csv"}
# Written only for JourneyApp to open again (not for a person to read): never into a folder
# that is not there, where a drive unplugged would otherwise be written around.
KEPT_FOR_JOURNEYAPP = {"backup", "bundle", "key"}


def file_params(kind: str) -> Iterator[tuple[str, click.Parameter]]:
    """(command, parameter) for every FileName parameter of every command that writes
    (`kind` "write") or reads a file other than a secret ("read")."""
    for name, command in COMMANDS:
        for param in command.params:
            if isinstance(param.type, FileName) and param.type.rule.does == kind:
                if kind == "read" and param.type.stream_ok:
                    continue
                yield name, param


def _id(case: tuple[str, click.Parameter]) -> str:
    name, param = case
    return f"{name} {param.opts[0] if isinstance(param, click.Option) else param.name}"


WRITES = list(file_params("write"))
READS = list(file_params("read"))


def argv_with(name: str, param: click.Parameter | None, value: str) -> list[str]:
    """ARGS of `name`, with `param` (if any) given `value`, and the placeholders filled."""
    args = [a.replace("QUARTER", real_quarter()) for a in ARGS[name]]
    if param is not None:
        token = f"{{{param.name}}}"
        if isinstance(param, click.Option):
            for opt in param.opts:
                if opt in args:
                    at = args.index(opt)
                    del args[at : at + 2]
            if name == "return" and "--check" in args:
                args.remove("--check")  # --check writes nothing: the return is written
            args += [param.opts[0], value]
        elif token in args:
            args[args.index(token)] = value
        else:
            args.append(value)
    return [FILLED.get(a, a) for a in args]


@pytest.fixture(scope="module")
def made(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A folder: a plain caseload (plain.db), the same encrypted (secret.db), backups of each,
    a bundle of its own journey log, a small spreadsheet, a new passphrase's file."""
    folder = tmp_path_factory.mktemp("promises")
    caseload = Caseload.open(folder / "plain.db", create=True, plain=True)
    caseload.enrol_participant("Aoife", "fife", ref="A-1")  # erased by reference
    caseload.enrol_participant("Bea", "glasgow")
    caseload.close()
    runner = CliRunner(env={"JOURNEYAPP_BUNDLE_PASSPHRASE": BUNDLE_KEY})
    (folder / "key.txt").write_text(KEY + "\n")
    (folder / "new-passphrase.txt").write_text("another long passphrase here\n")
    for name in ("key.txt", "new-passphrase.txt"):
        (folder / name).chmod(0o600)
    shutil.copyfile(folder / "plain.db", folder / "secret.db")
    for argv in (
        ["passphrase", "--db", "secret.db", "--new-passphrase-file", "key.txt"],
        ["bundle", "--db", "plain.db", "--out", "own.jlb"],
        ["backup", "--db", "plain.db", "--out", "plain-backup.db"],
        [
            "backup",
            "--db",
            "secret.db",
            "--out",
            "secret-backup.db",
            "--passphrase-file",
            "key.txt",
        ],
    ):
        old = Path.cwd()
        os.chdir(folder)
        try:
            done = runner.invoke(cli, argv)
        finally:
            os.chdir(old)
        assert done.exit_code == 0, done.output
    (folder / "parents.csv").write_text(
        "ref,preferred_name,locality,joined_on\nr9,Cait,fife,2026-01-05\n", encoding="utf-8"
    )
    shutil.rmtree(folder / "backups", ignore_errors=True)
    return folder


@pytest.fixture
def here(made: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A copy of the folder, as the current folder, with no passphrase or caseload in the air."""
    work = tmp_path / "work"
    shutil.copytree(made, work)
    monkeypatch.chdir(work)
    for name in ("JOURNEYAPP_PASSPHRASE", "JOURNEYAPP_DB", "JOURNEYAPP_DEBUG"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("JOURNEYAPP_BUNDLE_PASSPHRASE", BUNDLE_KEY)
    return work


def test_every_command_has_its_arguments_here() -> None:
    # A new command is added to ARGS, and so checked below, or this fails.
    assert set(ARGS) == set(NAMES)
    assert WRITES, "the walk found no file a command writes"
    assert READS, "the walk found no file a command reads"


def _run(argv: list[str], **env: str) -> Result:
    return CliRunner().invoke(cli, argv, env=env, input="")


PASSPHRASE_COMMANDS = [n for n in NAMES if n not in NO_PASSPHRASE]


@pytest.mark.parametrize("name", PASSPHRASE_COMMANDS)
def test_a_wrong_passphrase_in_the_variable_is_refused_alike(here: Path, name: str) -> None:
    if name == "new":
        pytest.skip("a new caseload takes the variable's passphrase as its own (below)")
    # restore: the caseload's backup, encrypted with the same passphrase.
    argv = [FILLED.get(a, a) for a in argv_with(name, None, "")]
    if name == "restore":
        argv = ["secret-backup.db"]
    before = content(here / "secret.db", KEY)
    result = _run([name, "--db", "secret.db", *argv], JOURNEYAPP_PASSPHRASE="not the passphrase")
    line = refused(result)
    assert "not open" in line or "does not open" in line or "not right" in line, line
    assert "Passphrase for" not in result.output  # no prompt: the variable was the answer
    assert content(here / "secret.db", KEY) == before


@pytest.mark.parametrize("name", PASSPHRASE_COMMANDS)
def test_the_right_passphrase_in_the_variable_opens_without_a_prompt(here: Path, name: str) -> None:
    argv = [FILLED.get(a, a) for a in argv_with(name, None, "")]
    db = "fresh.db" if name == "new" else "secret.db"
    if name == "restore":
        argv = ["secret-backup.db"]
    result = _run([name, "--db", db, *argv], JOURNEYAPP_PASSPHRASE=KEY)
    assert "Passphrase for" not in result.output
    assert "does not open" not in result.output
    assert "Traceback" not in result.output
    assert result.exit_code == 0, result.output
    if name == "new":
        Caseload.open(here / "fresh.db", KEY).close()


@pytest.mark.parametrize("case", WRITES, ids=_id)
@pytest.mark.parametrize("onto", ["plain.db", "plain-backup.db"])
def test_nothing_is_written_over_a_caseload_or_a_backup(
    here: Path, case: tuple[str, click.Parameter], onto: str
) -> None:
    name, param = case
    before = folder_state(here)
    result = _run([name, "--db", "plain.db", *argv_with(name, param, onto)])
    refused(result)
    assert folder_state(here) == before


@pytest.mark.parametrize("case", WRITES, ids=_id)
def test_into_a_folder_not_there_it_is_written_or_refused_in_one_line(
    here: Path, case: tuple[str, click.Parameter]
) -> None:
    name, param = case
    assert isinstance(param.type, FileName)
    example = Path(param.type.rule.example).name
    value = str(Path("not-yet") / "sub" / example)
    result = _run([name, "--db", "plain.db", *argv_with(name, param, value)])
    assert "Traceback" not in result.output
    assert "Usage:" not in result.output
    if param.type.kind in KEPT_FOR_JOURNEYAPP:
        refused(result, "not-yet")
        assert not (here / "not-yet").exists()
    else:
        assert result.exit_code == 0, result.output
        assert (here / value).exists()


def _journeyapp(argv: list[str], cwd: Path) -> subprocess.CompletedProcess[str]:
    """In a process of its own, so a command that waits on the pipe ends the test (after a
    generous timeout) rather than hanging the suite."""
    return subprocess.run(
        [sys.executable, "-m", "journeyapp", *argv],
        capture_output=True,
        text=True,
        cwd=cwd,
        timeout=120,
        env={
            **{k: v for k, v in os.environ.items() if not k.startswith("JOURNEYAPP_")},
            "PYTHONPATH": str(ROOT),
            "JOURNEYAPP_BUNDLE_PASSPHRASE": BUNDLE_KEY,
        },
    )


@pytest.mark.skipif(os.name != "posix", reason="named pipes are POSIX")
@pytest.mark.parametrize("case", READS, ids=_id)
def test_a_named_pipe_where_a_file_is_read_is_refused(
    here: Path, tmp_path: Path, case: tuple[str, click.Parameter]
) -> None:
    name, param = case
    pipe = tmp_path / "pipe"  # outside the folder, whose every file folder_state reads
    os.mkfifo(pipe)
    before = folder_state(here)
    done = _journeyapp([name, "--db", "plain.db", *argv_with(name, param, str(pipe))], here)
    assert done.returncode == 1, done.stderr
    errors = [line for line in done.stderr.splitlines() if line.startswith("Error:")]
    assert len(errors) == 1, done.stderr
    assert "is a named pipe, not a file" in errors[0], errors[0]
    assert folder_state(here) == before


DATES = [
    (name, param)
    for name, command in COMMANDS
    for param in command.params
    if isinstance(param, click.Option) and param.metavar == "DATE"
]
RANGES = [
    (name, param)
    for name, command in COMMANDS
    for param in command.params
    if isinstance(param, click.Option) and isinstance(param.type, click.IntRange)
]
# What a day option needs beside it to be read at all (break --from is the day a break taken
# with --take starts).
# What a day's option is given with, by command (it is refused on its own, as it should be).
BESIDE = {
    "break": {
        "--from": ["--take"],
        "--get-in-touch-on": ["--take"],
        "--until": ["--pick-up-again"],
    },
    "journey": {"--on": ["--moved-on"]},
    "contact": {"--on": ["--log"]},
    "milestone": {"--on": ["--log", "--type", "agreed_plan"]},
    "stage": {"--on": ["--to", "in_work"]},
    "goal": {"--on": ["--log", "--words", "To feel sure of myself"]},
    "step": {
        "--on": ["--log", "--goal", "GOAL", "--what", "Phone the college"],
        "--due": ["--log", "--goal", "GOAL", "--what", "Phone the college"],
    },
    "referral": {"--on": ["--log", "--organisation", "Citizens Advice"]},
    "assessment": {"--on": ["--log", "--score", "confidence=5"]},
    "meeting": {"--on": ["--log"]},
    "feedback": {"--on": ["--log", "--said", "The group is too early"]},
    "group": {"--on": ["--log", "--activity", "Confidence group"]},
}


@pytest.mark.parametrize("day", ["2026-02-30", "31/02/2026", "someday"])
@pytest.mark.parametrize("case", DATES, ids=_id)
def test_a_day_that_is_not_a_date_is_refused_in_one_line(
    here: Path, case: tuple[str, click.Parameter], day: str
) -> None:
    """`report --from 2026-02-30` used to give click's usage block and "Invalid value for
    '--from': --from '2026-02-30' is not a date", where `break --from` said it in one line."""
    name, param = case
    beside = BESIDE.get(name, {}).get(param.opts[0], [])
    before = folder_state(here)
    result = _run([name, "--db", "plain.db", *argv_with(name, param, day), *beside])
    line = refused(result, f"{param.opts[0]} '{day}' is not a date", "; write ")
    assert "Usage:" not in result.output, line
    assert folder_state(here) == before


@pytest.mark.parametrize("case", RANGES, ids=_id)
def test_a_number_out_of_its_range_is_refused_saying_the_range(
    here: Path, case: tuple[str, click.Parameter]
) -> None:
    """`retention --years 0` used to give click's usage block: "Invalid value for '--years': 0
    is not in the range 1<=x<=50"."""
    name, param = case
    assert isinstance(param.type, click.IntRange)
    before = folder_state(here)
    for value in (str((param.type.min or 0) - 1), "many"):
        result = _run([name, "--db", "plain.db", *argv_with(name, param, value)])
        line = refused(result, f"{param.opts[0]} {value}", "a whole number from", "e.g.")
        assert "Usage:" not in result.output, line
    assert folder_state(here) == before
