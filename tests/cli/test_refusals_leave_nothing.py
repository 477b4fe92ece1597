"""Every command, refused: a caseload that is not there, not a caseload, damaged or another
program's; a wrong, empty or missing passphrase (from $JOURNEYAPP_PASSPHRASE or a file); input
files that are not what they should be; outputs that cannot be written; options that do not go
together. Each ends in one line and a non-zero exit, never a traceback, and leaves the folder
exactly as it was: no lock file, no -wal or -shm, no half-written output, the caseload's bytes
unchanged."""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner
from pypdf import PdfReader

from journeyapp.caseload import Caseload
from journeyapp.caseload.safety import DELAYS_FILE
from journeyapp.cli import cli
from tests.cli.refusals import folder_state, refused
from tests.cli.test_commands import NAMES
from tests.clock import real_quarter

ROOT = Path(__file__).resolve().parents[2]
KEY = "four quiet river stones"
BUNDLE_KEY = "a long bundle passphrase"
PARENT = "Siobhan"

# Each command with the rest of a command line that would succeed on caseload.db.
ONE_CASELOAD = {
    "answers": ["answers", PARENT],
    "appointments": ["appointments"],
    "week": ["week"],
    "search": ["search", PARENT],
    "backup": ["backup"],
    "break": ["break", PARENT],
    "bundle": ["bundle", "--out", "b.jlb"],
    "check": ["check"],
    "contact": ["contact", PARENT],
    "decisions": ["decisions"],
    "devices": ["devices"],
    "erase": ["erase", PARENT, "--confirm-name", PARENT],
    "export": ["export", "--out", "ex"],
    "import": ["import", "good.jlb"],
    "job": ["job", PARENT],
    "journey": ["journey", PARENT],
    "lookup": ["lookup"],
    "merge": ["merge", "good.jlb"],
    "milestone": ["milestone", PARENT],
    "partnership-key": ["partnership-key", "--save", "k.key"],
    "passphrase": ["passphrase", "--new-passphrase-file", "new-passphrase.txt"],
    "plan": ["plan", PARENT, "--out", "p.pdf"],
    "plans": ["plans", "--out", "pl"],
    "report": ["report"],
    "restore": ["restore", "good-backup.db"],
    "retention": ["retention"],
    "return": ["return", "--quarter", "2026Q3", "--out", "r.xlsx"],
    "stage": ["stage", PARENT],
    "goal": ["goal", PARENT],
    "step": ["step", PARENT],
    "referral": ["referral", PARENT],
    "assessment": ["assessment", PARENT],
    "parent": ["parent", PARENT],
    "pace": ["pace", PARENT],
    "choice": ["choice", PARENT],
    "settings": ["settings"],
    "strength": ["strength", PARENT],
    "meeting": ["meeting", PARENT],
    "feedback": ["feedback", PARENT],
    "group": ["group"],
}
MAKES_ONE = {"new", "demo"}  # the commands that create a caseload rather than open one
NOTHING_ELSE = {"check"}  # takes nothing but the caseload (refused above when it cannot open)

# Caseloads that cannot be opened: (--db and --passphrase-file given, environment, words).
RIGHT = {"JOURNEYAPP_PASSPHRASE": KEY}  # where the passphrase is not what is wrong
NOT_OPENED: dict[str, tuple[list[str], dict[str, str], str]] = {
    "missing": (["--db", "missing.db"], RIGHT, "There is no caseload at missing.db"),
    "missing by $JOURNEYAPP_DB": ([], {"JOURNEYAPP_DB": "missing.db", **RIGHT}, "no caseload"),
    "a text file": (["--db", "notes.txt"], RIGHT, "not a JourneyApp caseload"),
    "cut short": (["--db", "damaged.db"], RIGHT, "damaged.db"),
    "another program's database": (["--db", "foreign.db"], RIGHT, "not a JourneyApp caseload"),
    "an empty file": (["--db", "zero.db"], RIGHT, "zero.db is empty"),
    "a folder": (["--db", "a folder"], RIGHT, "is a folder"),
    "in a folder not there": (["--db", "nofolder/c.db"], RIGHT, "nofolder"),
    "wrong $JOURNEYAPP_PASSPHRASE": (
        ["--db", "caseload.db"],
        {"JOURNEYAPP_PASSPHRASE": "not the passphrase at all"},
        "does not open",
    ),
    "wrong passphrase file": (
        ["--db", "caseload.db", "--passphrase-file", "wrong.txt"],
        {},
        "does not open",
    ),
    "empty passphrase file": (
        ["--db", "caseload.db", "--passphrase-file", "empty.txt"],
        {},
        "is empty",
    ),
    "missing passphrase file": (
        ["--db", "caseload.db", "--passphrase-file", "nofile.txt"],
        {},
        "no passphrase file at nofile.txt",
    ),
    "passphrase file a folder": (
        ["--db", "caseload.db", "--passphrase-file", "a folder"],
        {},
        "not a passphrase file",
    ),
    "no passphrase at all": (["--db", "caseload.db"], {}, "encrypted"),
}
# A restore puts the backup in place of whatever file is there (keeping it aside): these are
# what it is for, not refusals.
RESTORE_REPLACES = {
    "missing",
    "missing by $JOURNEYAPP_DB",
    "a text file",
    "cut short",
    "another program's database",
    "an empty file",
}

# Command lines refused for what else they say, on a caseload that opens: (argv, words, exit).
ON_ITS_OWN: dict[str, tuple[list[str], str, int]] = {
    "new over a caseload": (["new", "--db", "caseload.db"], "already exists", 1),
    "new in a folder not there": (["new", "--db", "nofolder/c.db"], "does not exist", 1),
    "new inside a file": (["new", "--db", "notes.txt/c.db"], "is a file, not a folder", 1),
    "new, empty passphrase file": (
        ["new", "--db", "c.db", "--passphrase-file", "empty.txt"],
        "is empty",
        1,
    ),
    "new, weak passphrase": (
        ["new", "--db", "c.db", "--passphrase-file", "short.txt"],
        "at least 12",
        1,
    ),
    "demo over a text file": (["demo", "--db", "notes.txt"], "already exists", 1),
    "demo inside a file": (["demo", "--db", "notes.txt/d.db"], "is a file, not a folder", 1),
    "demo of no one": (["demo", "--db", "d.db", "-n", "0"], "a whole number from 1 to", 1),
    "answers for no one": (["answers", "Nobody"], "No parent matches", 1),
    "answers not NAME=CODE": (["answers", PARENT, "--set", "nonsense"], "not NAME=CODE", 1),
    "answers, unknown code": (["answers", PARENT, "--set", "benefits=zz"], "not one of", 1),
    "appointments inside a file": (
        ["appointments", "--ics", "notes.txt/x.ics"],
        "is a file, not a folder",
        1,
    ),
    "search for no words": (["search", "  "], "Give the words to look for", 1),
    "week of a keyworker no parent has": (
        ["week", "--keyworker", "Nobody Atall"],
        "No parent in this caseload has",
        1,
    ),
    "backup over a file": (["backup", "--out", "notes.txt"], "already exists", 1),
    "backup in a folder not there": (["backup", "--out", "nofolder/b.db"], "not there", 1),
    "backup inside a file": (["backup", "--out", "notes.txt/b.db"], "is a file, not a folder", 1),
    "break taken and ended": (
        ["break", PARENT, "--take", "--pick-up-again"],
        "Give one of",
        1,
    ),
    "break, not a date": (["break", PARENT, "--take", "--from", "someday"], "not a date", 1),
    "journey moved on and closed": (
        ["journey", PARENT, "--moved-on", "--closed"],
        "Give one of",
        1,
    ),
    "break, no such break": (["break", PARENT, "--id", "nope", "--reason", "x"], "No break", 1),
    "stage, not a stage": (["stage", PARENT, "--to", "flying"], "is not a stage", 1),
    "stage, no such move": (["stage", PARENT, "--id", "nope", "--remove"], "No stage move", 1),
    "parent enrolled with no name": (["parent", "--new", "--locality", "fife"], "--name", 1),
    "parent enrolled nowhere": (["parent", "--new", "--name", "Ann"], "Choose the locality", 1),
    "parent, not an email": (["parent", PARENT, "--email", "nope"], "email address", 1),
    "pace, not a pace": (["pace", PARENT, "--set", "flying"], "is not one of", 1),
    "pace, no such change": (["pace", PARENT, "--id", "nope", "--remove"], "No pace change", 1),
    "choice, not a service": (
        ["choice", PARENT, "--service", "zz", "--decision", "chosen"],
        "not in the",
        1,
    ),
    "settings, not an email": (["settings", "--email", "nope"], "email address", 1),
    "strength, no words": (["strength", PARENT, "--log"], "Say what it is, in their words", 1),
    "feedback, nothing said": (["feedback", PARENT, "--log"], "Say what was said", 1),
    "group, no activity": (["group", "--log"], "Write what the group did", 1),
    "meeting, not a time": (
        ["meeting", PARENT, "--log", "--on", "2026-12-08", "--time", "half ten"],
        "is not a time of day",
        1,
    ),
    "settings, two lines": (["settings", "--your-name", "Ann\nB"], "line break", 1),
    "settings, too long a phone": (["settings", "--phone", "7" * 150], "at most", 1),
    "choice, nothing to remove": (
        ["choice", PARENT, "--service", "volunteering", "--remove"],
        "no decision",
        1,
    ),
    "bundle over a file": (["bundle", "--out", "notes.txt"], "already exists", 1),
    "bundle inside a file": (["bundle", "--out", "notes.txt/b.jlb"], "is a file, not a folder", 1),
    "bundle, empty passphrase file": (
        ["bundle", "--out", "b.jlb", "--bundle-passphrase-file", "empty.txt"],
        "is empty",
        1,
    ),
    "bundle, no folder": (["bundle", "--out", "nofolder/b.jlb"], "does not exist", 1),
    "decisions, no such one": (["decisions", "--id", "nope", "--keep", "here"], "nope", 1),
    "decisions, keep without id": (["decisions", "--keep", "here"], "Give both", 1),
    "devices, enrol without a name": (["devices", "--enrol", "x"], "Give --name", 1),
    "devices, a name without enrol": (["devices", "--name", "Aileen"], "with --enrol", 1),
    "devices, code and enrol": (
        ["devices", "--code", "--enrol", "x", "--name", "Aileen"],
        "not both",
        1,
    ),
    "erase, a part of a name": (["erase", PARENT, "--confirm-name", "Someone"], "not part", 1),
    "erase, no one": (["erase", "Nobody", "--confirm-name", "Nobody"], "No parent matches", 1),
    "export over a file": (["export", "--out", "notes.txt"], "already exists", 1),
    "export inside a file": (["export", "--out", "notes.txt/ex"], "is a file, not a folder", 1),
    "export a workbook onto a folder": (
        ["export", "--format", "xlsx", "--out", "a folder"],
        "is a folder",
        1,
    ),
    "export, not a key file": (
        ["export", "--out", "ex", "--key-file", "notes.txt"],
        "not a JourneyApp key file",
        1,
    ),
    "export, unknown locality": (["export", "--out", "ex", "--locality", "Atlantis"], "unknown", 1),
    "export, dates swapped": (
        ["export", "--out", "ex", "--from", "2026-05-01", "--to", "2026-01-01"],
        "swap them",
        1,
    ),
    "export names, not confirmed": (
        ["export", "--out", "ex", "--identifiable"],
        "Nothing was exported",
        1,
    ),
    "import a text file": (["import", "notes.txt"], "not a list JourneyApp can import", 1),
    "import a missing file": (["import", "nofile.csv"], "missing", 1),
    "import a caseload": (["import", "damaged.db"], "is a caseload", 1),
    "import a folder": (["import", "a folder"], "is a folder", 1),
    "import a broken workbook": (["import", "bad.xlsx"], "not an Excel workbook", 1),
    "import a bundle, wrong passphrase": (
        ["import", "good.jlb", "--bundle-passphrase-file", "wrong.txt"],
        "does not open",
        1,
    ),
    "job for no one": (["job", "Nobody", "--started-on", "2026-01-01"], "No parent", 1),
    "job, not a date": (["job", PARENT, "--started-on", "nope"], "not a date", 1),
    "contact, no such kind": (["contact", PARENT, "--log", "--kind", "zz"], "not in the", 1),
    "milestone, no type": (["milestone", PARENT, "--log"], "Say what was achieved", 1),
    "goal, no words": (["goal", PARENT, "--log"], "Say what they want", 1),
    "step, no such goal": (
        ["step", PARENT, "--log", "--goal", "nope", "--what", "Phone"],
        "No goal of",
        1,
    ),
    "referral, to no one": (["referral", PARENT, "--log"], "Say who the referral is to", 1),
    "assessment, out of the scale": (
        ["assessment", PARENT, "--log", "--score", "confidence=11"],
        "from 1",
        1,
    ),
    "lookup a text file": (["lookup", "notes.txt"], "not a postcode lookup", 1),
    "lookup a missing file": (["lookup", "nofile.xlsx"], "missing", 1),
    "merge a text file": (["merge", "notes.txt"], "not a journey-log bundle", 1),
    "merge a missing bundle": (["merge", "nofile.jlb"], "no bundle at", 1),
    "merge a bundle cut short": (["merge", "damaged.jlb"], "not a whole", 1),
    "merge, wrong bundle passphrase": (
        ["merge", "good.jlb", "--bundle-passphrase-file", "wrong.txt"],
        "does not open",
        1,
    ),
    "partnership-key save over a file": (
        ["partnership-key", "--save", "notes.txt"],
        "already exists",
        1,
    ),
    "partnership-key save inside a file": (
        ["partnership-key", "--save", "notes.txt/k.key"],
        "is a file, not a folder",
        1,
    ),
    "partnership-key load a text file": (
        ["partnership-key", "--load", "notes.txt"],
        "not a JourneyApp key file",
        1,
    ),
    "partnership-key neither": (["partnership-key"], "Give either", 1),
    "passphrase, weak new one": (
        ["passphrase", "--new-passphrase-file", "short.txt"],
        "at least 12",
        1,
    ),
    "passphrase, none typed": (["passphrase"], "not typed", 1),
    "plan for no one": (["plan", "Nobody", "--out", "p.pdf"], "No parent", 1),
    "plan inside a file": (["plan", PARENT, "--out", "notes.txt/p.pdf"], "not a folder", 1),
    "plan onto a folder": (["plan", PARENT, "--out", "a folder"], "is a folder", 1),
    "plans inside a file": (["plans", "--out", "notes.txt/pl"], "is a file, not a folder", 1),
    "report as a pdf on the screen": (["report", "--format", "pdf"], "give --out", 1),
    "report inside a file": (["report", "--out", "notes.txt/r.txt"], "not a folder", 1),
    "report, unknown locality": (["report", "--locality", "Atlantis"], "unknown", 1),
    "restore a text file": (["restore", "notes.txt"], "not a JourneyApp backup", 1),
    "restore a missing file": (["restore", "nofile.db"], "no backup file", 1),
    "restore a file cut short": (["restore", "damaged.db"], "damaged.db", 1),
    "restore another program's database": (["restore", "foreign.db"], "not a JourneyApp", 1),
    "restore an empty file": (["restore", "zero.db"], "not a JourneyApp backup", 1),
    "restore a folder": (["restore", "a folder"], "a folder is a folder, not a backup", 1),
    "retention of no years": (["retention", "--years", "0"], "from 1 to 50, e.g. --years 6", 1),
    "return, not a quarter": (
        ["return", "--quarter", "2026Q9", "--out", "r.xlsx"],
        "is not a quarter",
        1,
    ),
    "return, not a mapping": (
        ["return", "--quarter", "2026Q3", "--out", "r.xlsx", "--mapping", "notes.txt"],
        "not valid TOML",
        1,
    ),
    "return inside a file": (
        ["return", "--quarter", "2026Q3", "--out", "notes.txt/r.xlsx"],
        "is a file, not a folder",
        1,
    ),
    "return over a file": (
        ["return", "--quarter", "2026Q3", "--out", "notes.txt"],
        "already exists",
        1,
    ),
    "return, nowhere to write": (["return", "--quarter", "2026Q3"], "--out", 1),
    "return, check and write": (
        ["return", "--quarter", "2026Q3", "--check", "--out", "r.xlsx"],
        "writes nothing",
        1,
    ),
}

# The group's own options, refused before any command runs (or window opens).
THE_GROUP: dict[str, tuple[list[str], str, int]] = {
    "no such command": (["nonsense"], "No such command", 2),
    "--demo with a command": (["--demo", "check", "--db", "caseload.db"], "does not go with", 2),
    "--smoke-test with a command": (["--smoke-test", "check"], "does not go with", 2),
    "--db of spaces before a command": (["--db", " ", "check"], "only spaces", 1),
    "--db - before a command": (["--db", "-", "check"], "would be a caseload file", 1),
    "--db missing before a command": (["--db", "missing.db", "check"], "no caseload", 1),
}


@pytest.fixture(scope="module")
def originals(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A folder as a keyworker's may be: an encrypted caseload with one parent (exported
    before: it has a pseudonym key), a backup and a bundle of it, and files that are not what
    a command wants."""
    folder = tmp_path_factory.mktemp("originals")
    db = folder / "caseload.db"
    caseload = Caseload.open(db, KEY, create=True)
    caseload.enrol_participant(PARENT, "fife")
    caseload.close()
    runner = CliRunner()
    for argv, env in [
        (["backup", "--out", str(folder / "good-backup.db")], {}),
        (
            ["bundle", "--out", str(folder / "good.jlb")],
            {"JOURNEYAPP_BUNDLE_PASSPHRASE": BUNDLE_KEY},
        ),
        # Its pseudonym key made (as by a first export), so a reader beside the window has one.
        (["partnership-key", "--save", str(folder / "k.key")], {}),
    ]:
        made = runner.invoke(
            cli, [*argv, "--db", str(db)], env={"JOURNEYAPP_PASSPHRASE": KEY, **env}
        )
        assert made.exit_code == 0, made.output
    for extra in folder.iterdir():  # the backups folder
        if extra.name not in {"caseload.db", "good-backup.db", "good.jlb"}:
            shutil.rmtree(extra) if extra.is_dir() else extra.unlink()
    (folder / "notes.txt").write_text("not a caseload\n", encoding="utf-8")
    (folder / "wrong.txt").write_text("not the passphrase at all\n", encoding="utf-8")
    (folder / "empty.txt").write_text("", encoding="utf-8")
    (folder / "short.txt").write_text("short\n", encoding="utf-8")
    (folder / "new-passphrase.txt").write_text("a brand new long passphrase\n", encoding="utf-8")
    (folder / "bad.xlsx").write_bytes(b"PK\x03\x04 not really a workbook")
    (folder / "a folder").mkdir()
    whole = db.read_bytes()
    (folder / "damaged.db").write_bytes(whole[: len(whole) // 2])
    (folder / "damaged.jlb").write_bytes((folder / "good.jlb").read_bytes()[:300])
    (folder / "zero.db").write_bytes(b"")
    other = sqlite3.connect(folder / "foreign.db")
    other.execute("CREATE TABLE recipes (name TEXT)")
    other.commit()
    other.close()
    return folder


@pytest.fixture
def here(
    originals: Path, tmp_path: Path, runner: CliRunner, monkeypatch: pytest.MonkeyPatch
) -> Path:
    """A copy of the folder, as the current folder; the default data folder and the folder
    for temporary files inside it (so a caseload, folder or file made there is seen); no
    passphrase in the environment."""
    folder = tmp_path / "here"
    shutil.copytree(originals, folder)
    (folder / "tmp").mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(folder / "tmp"))  # a temporary file is seen
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path / "state"))
    monkeypatch.chdir(folder)
    monkeypatch.setenv("XDG_DATA_HOME", str(folder / "data home"))
    monkeypatch.delenv("JOURNEYAPP_DB", raising=False)
    monkeypatch.setenv("JOURNEYAPP_BUNDLE_PASSPHRASE", BUNDLE_KEY)
    return folder


def refused_leaving_nothing(
    runner: CliRunner, folder: Path, argv: list[str], env: dict[str, str], words: str, code: int
) -> None:
    before = folder_state(folder)
    result = runner.invoke(cli, argv, env=env, input="")
    refused(result, words, code=code)
    assert folder_state(folder) == before
    # JourneyApp's own state holds at most the wrong tries counted (which slow the next).
    state = folder.parent / "state"
    kept = {str(p.relative_to(state)) for p in state.rglob("*")} if state.exists() else set()
    assert kept <= {"JourneyApp", f"JourneyApp/{DELAYS_FILE}"}


def test_every_command_is_covered() -> None:
    assert set(ONE_CASELOAD) | MAKES_ONE == set(NAMES)
    assert {argv[0] for argv, _, _ in ON_ITS_OWN.values()} | NOTHING_ELSE == set(NAMES)


@pytest.mark.parametrize("case", list(NOT_OPENED))
@pytest.mark.parametrize("command", list(ONE_CASELOAD))
def test_a_caseload_that_does_not_open_is_refused_leaving_nothing(
    runner: CliRunner, here: Path, command: str, case: str
) -> None:
    if command == "restore" and case in RESTORE_REPLACES:
        pytest.skip("a restore puts the backup in place of this file (the file is kept aside)")
    given, env, words = NOT_OPENED[case]
    if command == "restore" and case == "wrong passphrase file":
        words = "does not open with this passphrase"  # the backup's check says it first
    refused_leaving_nothing(runner, here, [*ONE_CASELOAD[command], *given], env, words, 1)


@pytest.mark.parametrize("case", list(ON_ITS_OWN))
def test_a_command_refused_for_what_it_asks_leaves_nothing(
    runner: CliRunner, here: Path, case: str
) -> None:
    argv, words, code = ON_ITS_OWN[case]
    if argv[0] not in MAKES_ONE:
        argv = [*argv, "--db", "caseload.db"]
    refused_leaving_nothing(runner, here, argv, RIGHT, words, code)


@pytest.mark.parametrize("case", list(THE_GROUP))
def test_the_groups_own_refusals_leave_nothing(runner: CliRunner, here: Path, case: str) -> None:
    argv, words, code = THE_GROUP[case]
    refused_leaving_nothing(runner, here, argv, RIGHT, words, code)


def test_the_reported_restore_onto_no_caseload_leaves_no_lock_file(tmp_path: Path) -> None:
    """`journeyapp --db a.db restore bad.db`, run for real: refused, and no a.db.lock left."""
    (tmp_path / "bad.db").write_text("not a backup\n", encoding="utf-8")
    env = dict(
        os.environ,
        PYTHONPATH=str(ROOT),
        XDG_STATE_HOME=str(tmp_path / "state"),
        XDG_DATA_HOME=str(tmp_path / "data"),
    )
    env.pop("JOURNEYAPP_PASSPHRASE", None)
    done = subprocess.run(
        [sys.executable, "-m", "journeyapp", "--db", "a.db", "restore", "bad.db"],
        cwd=tmp_path,
        env=env,
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 1
    assert done.stderr.splitlines() == ["Error: bad.db is not a JourneyApp backup (a text file)."]
    assert sorted(os.listdir(tmp_path)) == ["bad.db", "state"]


# -- beside the window ---------------------------------------------------------------------------

# A program holding the caseload as the window does (Access.WINDOW), in a process of its own: it
# enrols the parent named on each line it reads, saying "saved", and closes at "close".
WINDOW = """
import sys
from journeyapp.caseload import Caseload
from journeyapp.core.access import Access

caseload = Caseload.open(sys.argv[1], sys.argv[2], access=Access.WINDOW)
print("open", flush=True)
for line in sys.stdin:
    if line.strip() == "close":
        break
    caseload.enrol_participant(line.strip(), "fife")
    print("saved", flush=True)
caseload.close()
"""

# The commands that only read, with what each must print when the window has just saved a
# second parent ("Later"): they read the records as last saved.
READS: dict[str, tuple[list[str], str]] = {
    "answers": (["answers", PARENT], "When they started"),
    "appointments": (["appointments"], "No meetings or group sessions arranged"),
    "week": (["week"], "No check-ins due this week."),
    "search": (["search", "Later"], "Parent: [Later]"),
    "break": (["break", PARENT], f"No breaks recorded for {PARENT}"),
    "check": (["check"], "Parents: 2; journey-log events: 4"),
    "contact": (["contact", PARENT], f"No contacts recorded for {PARENT}"),
    "milestone": (["milestone", PARENT], f"No milestones recorded for {PARENT}"),
    "devices": (["devices"], "This laptop:"),
    "export": (["export", "--out", "ex"], "Wrote a pseudonymised export to ex"),
    "job": (["job", PARENT], f"No jobs recorded for {PARENT}"),
    "journey": (["journey", PARENT], f"{PARENT}: Active"),
    "lookup": (["lookup"], "No postcode lookup yet"),
    "plan": (["plan", "Later", "--out", "p.pdf"], "Wrote “Your plan” for Later to p.pdf"),
    "plans": (["plans", "--out", "pl"], "Wrote 2 plans to pl"),
    "report": (["report", "--format", "json", "--exact"], '"participants": 2,'),
    "retention": (["retention"], "No closed journeys"),
    "stage": (["stage", PARENT], f"{PARENT} is now at: Getting started"),
    "goal": (["goal", PARENT], f"No goals recorded for {PARENT}"),
    "step": (["step", PARENT], f"No goals recorded for {PARENT}"),
    "referral": (["referral", PARENT], f"No referrals recorded for {PARENT}"),
    "assessment": (["assessment", PARENT], f"No self-assessments recorded for {PARENT}"),
    "parent": (["parent", PARENT], "Consent:"),
    "pace": (["pace", PARENT], f"{PARENT} has not chosen a pace yet"),
    "choice": (["choice", PARENT], "Volunteering: not talked about yet"),
    "settings": (["settings"], "Your name:"),
    "strength": (["strength", PARENT], f"No strengths or things in the way noted for {PARENT}"),
    "meeting": (["meeting", PARENT], f"No meetings arranged with {PARENT}"),
    "feedback": (["feedback", PARENT], f"No feedback from or about {PARENT} yet"),
    "group": (["group"], "No group sessions recorded"),
    "return": (["return", "--quarter", real_quarter(0), "--check"], "correct for 2 parents"),
}
# What the commands that change the caseload are refused with while the window has it open.
SAVES: dict[str, list[str]] = {
    **{name: argv for name, argv in ONE_CASELOAD.items() if name not in READS},
    "answers --set": ["answers", PARENT, "--set", "lone_parent=yes"],
    "break --take": ["break", PARENT, "--take"],
    "check --repair": ["check", "--repair"],
    "devices --code": ["devices", "--code"],
    "export --identifiable": ["export", "--out", "ex", "--identifiable", "--yes"],
    "job --started-on": ["job", PARENT, "--started-on", "2026-01-05"],
    "journey --moved-on": ["journey", PARENT, "--moved-on"],
    "contact --log": ["contact", PARENT, "--log"],
    "milestone --log": ["milestone", PARENT, "--log", "--type", "agreed_plan"],
    "lookup a file": ["lookup", "notes.txt"],
    "retention --years": ["retention", "--years", "5"],
    "stage --to": ["stage", PARENT, "--to", "in_work"],
    "goal --log": ["goal", PARENT, "--log", "--words", "To feel sure of myself"],
    "referral --log": ["referral", PARENT, "--log", "--organisation", "Citizens Advice"],
    "assessment --log": ["assessment", PARENT, "--log", "--score", "confidence=5"],
    "step --log": ["step", PARENT, "--log", "--goal", "0123abcd", "--what", "Phone the college"],
    "parent --new": ["parent", "--new", "--name", "Ann", "--locality", "fife"],
    "parent --phone": ["parent", PARENT, "--phone", "07700 900123"],
    "pace --set": ["pace", PARENT, "--set", "gently"],
    "choice --service": ["choice", PARENT, "--service", "volunteering", "--decision", "chosen"],
    "settings --phone": ["settings", "--phone", "07700 900123"],
    "strength --log": ["strength", PARENT, "--log", "--words", "Good with people"],
    "meeting --log": ["meeting", PARENT, "--log", "--on", "2026-12-08", "--time", "10:30"],
    "feedback --log": ["feedback", PARENT, "--log", "--said", "The group is too early"],
    "group --log": ["group", "--log", "--activity", "Confidence group"],
}


@pytest.fixture
def window(here: Path) -> Iterator[subprocess.Popen[str]]:
    """The window's hold on here/caseload.db, by another process, once it has saved "Later"."""
    env = dict(os.environ, PYTHONPATH=str(ROOT), XDG_STATE_HOME=str(here.parent / "window"))
    process = subprocess.Popen(
        [sys.executable, "-c", WINDOW, "caseload.db", KEY],
        cwd=here,
        env=env,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    assert process.stdin is not None
    assert process.stdout is not None
    assert process.stdout.readline() == "open\n"
    process.stdin.write("Later\n")
    process.stdin.flush()
    assert process.stdout.readline() == "saved\n"
    yield process
    process.stdin.write("close\n")
    process.stdin.close()
    assert process.wait(timeout=60) == 0


def test_every_command_beside_the_window_is_a_reader_or_refused() -> None:
    assert set(READS) | set(SAVES) >= set(ONE_CASELOAD)


@pytest.mark.parametrize("command", list(READS))
def test_a_command_that_only_reads_works_beside_the_window_and_saves_nothing(
    runner: CliRunner, here: Path, window: subprocess.Popen[str], command: str
) -> None:
    argv, words = READS[command]
    saved = {name: (here / name).read_bytes() for name in ("caseload.db", "caseload.db-wal")}
    result = runner.invoke(cli, [*argv, "--db", "caseload.db"], env=RIGHT, input="")
    assert result.exit_code == 0, result.output
    assert words in result.stdout
    assert "Traceback" not in result.output
    # Not a byte of the caseload or its log changed (no upgrade, key, note or checkpoint).
    assert {name: (here / name).read_bytes() for name in saved} == saved
    if command == "plan":  # the parent the window has just enrolled, on the page
        text = "".join(page.extract_text() for page in PdfReader(here / "p.pdf").pages)
        assert "Later" in text


@pytest.mark.parametrize("case", list(SAVES))
def test_a_command_that_saves_is_refused_beside_the_window_leaving_nothing(
    runner: CliRunner, here: Path, window: subprocess.Popen[str], case: str
) -> None:
    argv = [*SAVES[case], "--db", "caseload.db"]
    before = folder_state(here)
    result = runner.invoke(cli, argv, env=RIGHT, input="")
    line = refused(result, "caseload.db is already open in JourneyApp", "nothing was changed")
    assert "Close the JourneyApp window for this caseload" in line
    assert folder_state(here) == before


def _journeyapp(here: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ, PYTHONPATH=str(ROOT), JOURNEYAPP_PASSPHRASE=KEY)
    return subprocess.run(
        [sys.executable, "-m", "journeyapp", *args, "--db", "caseload.db"],
        cwd=here,
        env=env,
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        timeout=120,
    )


def _after_the_start_up_backup(
    here: Path, window: subprocess.Popen[bytes]
) -> dict[str, tuple[int, str] | None]:
    """The folder once the window's own start-up backup (made a moment after it is painted,
    in backups/) is finished and nothing in the folder changes for a second: what the window
    writes on its own is not a refused command's doing (under load the backup went on while
    the refusal was checked)."""
    deadline = time.monotonic() + 90
    backups = here / "backups"
    state = folder_state(here)
    while True:
        assert window.poll() is None, "the window ended"
        assert time.monotonic() < deadline, "the window's start-up backup did not finish"
        done = backups.is_dir() and any(
            p.name.endswith(".db") and not p.name.endswith(".partial") for p in backups.iterdir()
        )
        time.sleep(1.0)
        later = folder_state(here)
        unfinished = any(".partial" in name or name.endswith("-journal") for name in later)
        if done and not unfinished and later == state:
            return later
        state = later


def test_the_real_window_open_lets_a_plan_print_and_refuses_a_break(here: Path) -> None:
    """`journeyapp` (the window, offscreen) open on the encrypted caseload, then commands run
    for real beside it, as a keyworker would type them."""
    env = dict(os.environ, PYTHONPATH=str(ROOT), QT_QPA_PLATFORM="offscreen")
    env["JOURNEYAPP_PASSPHRASE"] = KEY
    window = subprocess.Popen(
        [sys.executable, "-m", "journeyapp", "--db", "caseload.db"],
        cwd=here,
        env=env,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        held = here / "caseload.db.write.lock"
        deadline = time.monotonic() + 90
        while not (held.exists() and held.read_text(encoding="utf-8").strip()):
            assert window.poll() is None, "the window ended"
            assert time.monotonic() < deadline, "the window did not open the caseload"
            time.sleep(0.1)
        assert held.read_text(encoding="utf-8").strip() == str(window.pid)
        printed = _journeyapp(here, "plan", PARENT, "--out", "p.pdf")
        assert printed.returncode == 0, printed.stderr
        assert printed.stdout == f"Wrote “Your plan” for {PARENT} to p.pdf (1 page).\n"
        text = "".join(page.extract_text() for page in PdfReader(here / "p.pdf").pages)
        assert PARENT in text
        before = _after_the_start_up_backup(here, window)
        taken = _journeyapp(here, "break", PARENT, "--take")
        assert taken.returncode == 1
        assert taken.stderr.splitlines() == [
            "Error: caseload.db is already open in JourneyApp (in a window, or a command that "
            "is still running), and this command changes it. Close the JourneyApp window for "
            "this caseload (or let the command finish), then run this command again; nothing "
            "was changed. Commands that only read it (plan, plans, report, export, "
            "appointments, check) work while the window is open."
        ]
        assert folder_state(here) == before
    finally:
        window.terminate()
        window.wait(timeout=60)
