"""The command line as a person may misuse it: one line saying what is wrong and how to fix it,
a non-zero exit, never a traceback, and nothing already saved lost or changed."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest
from click.testing import CliRunner

from journeyapp.caseload import Caseload
from journeyapp.cli import cli
from tests.cli.refusals import refused

ROOT = Path(__file__).resolve().parents[2]
MILESTONES = "SELECT count(*) FROM milestones WHERE participant_id = ?"


@pytest.mark.parametrize("how", ["same path", "another spelling", "a link"])
def test_restore_refuses_the_caseload_itself_and_leaves_it_in_place(
    runner: CliRunner, demo_db: Path, how: str
) -> None:
    before = demo_db.read_bytes()
    backup = {
        "same path": demo_db,
        "another spelling": demo_db.parent / "." / demo_db.name,
        "a link": demo_db.parent / "link.db",
    }[how]
    if how == "a link":
        os.symlink(demo_db, backup)
    result = runner.invoke(cli, ["restore", "--db", str(demo_db), str(backup)])
    refused(result, "is the caseload itself", "choose one of its backups", "Nothing was changed")
    # It used to be set aside, and then not found to copy back: no caseload was left.
    assert demo_db.read_bytes() == before
    # Nor is anything left beside it (its lock file went with the refusal's lock).
    assert [p.name for p in demo_db.parent.iterdir() if p.name.startswith("demo.db.")] == []
    assert runner.invoke(cli, ["check", "--db", str(demo_db)]).exit_code == 0


@pytest.mark.parametrize(
    "args",
    [
        ["report", "--out", "{out}.txt"],
        ["report", "--format", "csv", "--out", "{out}.csv"],
        ["report", "--format", "json", "--out", "{out}.json"],
        ["report", "--format", "xlsx", "--out", "{out}.xlsx"],
        ["return", "--quarter", "2026Q3", "--out", "{out}.xlsx"],
        ["backup", "--out", "{out}.db"],
        ["partnership-key", "--save", "{out}.key"],
    ],
)
def test_writing_inside_a_file_says_it_is_not_a_folder(
    runner: CliRunner, demo_db: Path, tmp_path: Path, args: list[str]
) -> None:
    a_file = tmp_path / "notes.txt"
    a_file.write_text("mine\n")
    out = str(a_file / "out")
    argv = [args[0], "--db", str(demo_db), *(a.format(out=out) for a in args[1:])]
    # Said of the option before the caseload is opened (an export or a return would make its
    # pseudonym key first); it used to be said while writing, and before that in the
    # system's words, naming a half-written copy: "Not a directory: ….partial".
    line = refused(
        runner.invoke(cli, argv), args[-2], f"{a_file} is a file, not a folder", "Nothing was done"
    )
    assert ".partial" not in line
    assert a_file.read_text() == "mine\n"


def test_a_report_to_a_folder_not_made_yet_is_written_there(
    runner: CliRunner, demo_db: Path, tmp_path: Path
) -> None:
    out = tmp_path / "reports" / "q3" / "report.csv"
    result = runner.invoke(
        cli, ["report", "--db", str(demo_db), "--format", "csv", "--out", str(out)]
    )
    # As the pdf and the plans were; a text, csv or json report said "No such file or directory".
    assert result.exit_code == 0, result.output
    assert out.read_bytes().startswith(b"\xef\xbb\xbf")  # utf-8-sig, for Excel, as before
    assert out.stat().st_mode & 0o077 == 0


def test_job_with_both_a_start_date_and_an_id_records_nothing(
    runner: CliRunner, caseload: Caseload, db_path: Path
) -> None:
    pid = caseload.enrol_participant("Siobhán", "fife", joined_on=date(2026, 3, 1)).id
    first = caseload.add_job(pid, date(2026, 6, 1), with_milestone=True, hours_per_week=16)
    milestones = caseload.db.execute(MILESTONES, [pid]).fetchone()[0]
    result = runner.invoke(
        cli,
        ["job", "Siobhán", "--db", str(db_path), "--id", first.id, "--started-on", "2026-06-08"],
    )
    refused(result, "--started-on", "--id", "not both", "nothing was recorded")
    # It used to record a second job (and a second 'started work' milestone) beside the first.
    assert [j.id for j in caseload.jobs(pid)] == [first.id]
    assert caseload.db.execute(MILESTONES, [pid]).fetchone()[0] == milestones == 1


# The start of Microsoft's older container (OLE, a compound file), in which Excel keeps an .xls
# and an .xlsx saved with a password to open it; its streams are named in UTF-16.
OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(504)


@pytest.mark.parametrize(
    ("name", "content", "words"),
    [
        (
            "parents.xlsx",
            OLE + "EncryptionInfo".encode("utf-16-le") + bytes(1000),
            ["protected with a password", "save an unprotected copy"],
        ),
        (
            "parents.xlsx",
            OLE + "Workbook".encode("utf-16-le") + bytes(1000),
            ["older Excel workbook (.xls)", "save it as an Excel workbook (.xlsx)"],
        ),
        (
            "parents.csv",
            OLE + "Workbook".encode("utf-16-le") + bytes(1000),
            ["older Excel workbook (.xls)", "save it as an Excel workbook (.xlsx)"],
        ),
        (
            "parents.xlsx",
            bytes(range(256)) * 4,
            ["not an Excel workbook (.xlsx)", "save it again"],
        ),
    ],
)
@pytest.mark.parametrize("command", ["import", "lookup"])
def test_a_workbook_that_is_not_an_xlsx_inside_is_named_for_what_it_is(
    runner: CliRunner,
    demo_db: Path,
    tmp_path: Path,
    command: str,
    name: str,
    content: bytes,
    words: list[str],
) -> None:
    file = tmp_path / name
    file.write_bytes(content)
    before = demo_db.read_bytes()
    line = refused(runner.invoke(cli, [command, "--db", str(demo_db), str(file)]), *words)
    # It used to be read as text: "not UTF-8 text … Save it as 'CSV UTF-8'", for a workbook.
    assert "UTF-8 text" not in line
    assert demo_db.read_bytes() == before


def test_export_for_a_keyworker_no_parent_has_lists_those_it_has_and_writes_nothing(
    runner: CliRunner, caseload: Caseload, db_path: Path, tmp_path: Path
) -> None:
    for name, keyworker in (("Ava", "Aileen Brown"), ("Bea", "Callum Reid")):
        caseload.enrol_participant(name, "fife", joined_on=date(2026, 3, 1), keyworker=keyworker)
    out = tmp_path / "aileen"
    export = ["export", "--db", str(db_path), "--out", str(out), "--keyworker"]
    line = refused(runner.invoke(cli, [*export, "Aileen"]), "'Aileen'", "'Aileen Brown'")
    assert "'Callum Reid'" in line
    # It used to write an export of nobody (its tables' headings) and say it was done.
    assert not out.exists()
    # Capitals and spaces at the ends are forgiven: the name is the caseload's.
    done = runner.invoke(cli, [*export, " aileen brown "])
    assert done.exit_code == 0, done.output
    with (out / "participants.csv").open(encoding="utf-8-sig") as handle:
        assert len(handle.read().splitlines()) == 2  # the heading and Ava


def test_a_wrong_bundle_passphrase_into_a_plain_caseload_is_one_line_as_a_person_sees_it(
    runner: CliRunner, demo_db: Path, tmp_path: Path
) -> None:
    bundle = tmp_path / "laptop.jlb"
    env = {"JOURNEYAPP_BUNDLE_PASSPHRASE": "the bundle's own passphrase"}
    made = runner.invoke(cli, ["bundle", "--db", str(demo_db), "--out", str(bundle)], env=env)
    assert made.exit_code == 0, made.output
    # SQLCipher writes its complaints to the process's own stderr, which only a real run shows.
    done = subprocess.run(
        [sys.executable, "-m", "journeyapp", "merge", "--db", str(demo_db), str(bundle)],
        cwd=ROOT,
        env=dict(
            os.environ,
            PYTHONPATH=str(ROOT),
            PYTHONIOENCODING="utf-8",
            JOURNEYAPP_BUNDLE_PASSPHRASE="not the right one at all",
        ),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 1
    # It used to be led by three lines of "ERROR CORE sqlcipher_page_cipher: hmac check failed".
    assert done.stderr.splitlines() == [
        f"DEMO caseload (fictional people): {demo_db}",
        f"Error: That passphrase does not open {bundle.name}, or the file is not a bundle. "
        "Check the passphrase with the keyworker who made it.",
    ]


def test_erase_with_nothing_to_read_says_how_to_confirm_and_erases_nobody(
    runner: CliRunner, demo_db: Path
) -> None:
    with sqlite3.connect(demo_db) as raw:
        pid, name = raw.execute("SELECT id, preferred_name FROM participants").fetchone()
    result = runner.invoke(cli, ["erase", "--db", str(demo_db), pid], input="")
    # It used to end with click's "Aborted!", which says neither what happened nor what to do.
    refused(result, "No name was typed", "nothing was erased", "--confirm-name")
    assert "Aborted" not in result.output
    with sqlite3.connect(demo_db) as raw:
        still = raw.execute("SELECT preferred_name FROM participants WHERE id = ?", [pid])
        assert still.fetchone() == (name,)


@pytest.mark.parametrize("answer", ["", "n\n"])
def test_an_identifiable_export_not_agreed_to_says_so_and_writes_nothing(
    runner: CliRunner, demo_db: Path, tmp_path: Path, answer: str
) -> None:
    out = tmp_path / "named"
    argv = ["export", "--db", str(demo_db), "--out", str(out), "--identifiable"]
    result = runner.invoke(cli, argv, input=answer)
    refused(result, "Nothing was exported", "--yes")
    assert "Aborted" not in result.output
    assert not out.exists()


@pytest.mark.parametrize(
    ("args", "given"),
    [
        (["plan", "{name}", "--out", ""], "--out"),
        (["appointments", "--keyworker", "", "--ics", ""], "--ics"),
    ],
)
def test_an_empty_file_name_says_it_is_empty(
    runner: CliRunner,
    demo_db: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    args: list[str],
    given: str,
) -> None:
    # An empty --out (a script's --out "$OUT" with $OUT never set) was taken as the current
    # folder, which click's own check for a folder (dir_okay=False) lets through; before that
    # it was said to be "in use by another JourneyApp window or command", then "a folder".
    monkeypatch.chdir(tmp_path)
    with sqlite3.connect(demo_db) as raw:
        name = raw.execute("SELECT preferred_name FROM participants").fetchone()[0]
    before = _beside(tmp_path)
    result = runner.invoke(cli, [*(a.format(name=name) for a in args), "--db", str(demo_db)])
    line = refused(result, f"{given} was given an empty name", "give a file name, e.g.")
    assert "in use" not in line
    assert _beside(tmp_path) == before


def _beside(folder: Path) -> list[Path]:
    """What is in `folder`, apart from the caseload and the files SQLite keeps beside it."""
    return sorted(p for p in folder.rglob("*") if not p.name.startswith("demo.db"))


def _secret(folder: Path, name: str, phrase: str) -> Path:
    file = folder / f"{name}.txt"
    file.write_text(phrase + "\n")
    file.chmod(0o600)
    return file


def test_a_passphrase_change_leaves_another_caseloads_copies_in_the_folder_alone(
    runner: CliRunner, tmp_path: Path
) -> None:
    # A coordinator's own caseload and the merged one, side by side, each backed up to a stick.
    old, new, other = (
        _secret(tmp_path, n, p)
        for n, p in (
            ("old", "alpha river stone lamp"),
            ("new", "charlie quiet orange book"),
            ("other", "bravo cloud mountain sea"),
        )
    )
    mine, theirs = tmp_path / "caseload.db", tmp_path / "coordinator.db"
    stick = tmp_path / "usb"
    stick.mkdir()
    for db, secret in ((mine, old), (theirs, other)):
        made = runner.invoke(cli, ["new", "--db", str(db), "--passphrase-file", str(secret)])
        assert made.exit_code == 0, made.output
        copy = ["backup", "--db", str(db), "--passphrase-file", str(secret)]
        made = runner.invoke(cli, [*copy, "--out", str(stick / db.name)])
        assert made.exit_code == 0, made.output
    kept = (stick / theirs.name).read_bytes()
    change = ["passphrase", "--db", str(mine), "--passphrase-file", str(old)]
    changed = runner.invoke(cli, [*change, "--new-passphrase-file", str(new)])
    assert changed.exit_code == 0, changed.output
    # The other caseload's copy opens with neither of this one's passphrases: it used to be
    # deleted as "a backup that only an older passphrase opened".
    assert "deleted" not in changed.output
    assert (stick / theirs.name).read_bytes() == kept
    # This caseload's own copy on the stick still follows its passphrase.
    check = ["check", "--db", str(stick / mine.name), "--passphrase-file", str(new)]
    assert runner.invoke(cli, check).exit_code == 0


def test_encrypting_a_caseload_leaves_another_caseloads_plain_copies_alone(
    runner: CliRunner, tmp_path: Path
) -> None:
    stick = tmp_path / "usb"
    stick.mkdir()
    for name in ("practice.db", "training.db"):
        made = runner.invoke(cli, ["demo", "--db", str(tmp_path / name), "-n", "3"])
        assert made.exit_code == 0, made.output
        copy = ["backup", "--db", str(tmp_path / name), "--out", str(stick / name)]
        assert runner.invoke(cli, copy).exit_code == 0
    kept = (stick / "training.db").read_bytes()
    secret = _secret(tmp_path, "new", "charlie quiet orange book")
    argv = ["passphrase", "--db", str(tmp_path / "practice.db"), "--new-passphrase-file"]
    encrypted = runner.invoke(cli, [*argv, str(secret)])
    assert encrypted.exit_code == 0, encrypted.output
    # The other demo's plain copy used to be scrubbed with this one's.
    assert (stick / "training.db").read_bytes() == kept
    assert not (stick / "practice.db").exists()


@pytest.mark.parametrize("command", ["demo", "restore", "new", "check"])
def test_a_caseload_whose_folder_is_a_file_is_refused_before_anything_is_made(
    runner: CliRunner, demo_db: Path, tmp_path: Path, command: str
) -> None:
    a_file = tmp_path / "notes.txt"
    a_file.write_text("mine\n")
    argv = [command, "--db", str(a_file / "caseload.db")]
    if command == "restore":
        argv.append(str(demo_db))
    # Said of --db before anything is asked or opened, by every command (and the window).
    line = refused(runner.invoke(cli, argv, input=""), "--db", f"{a_file} is a file, not a folder")
    # The system's words used to name a file made beside it: "Not a directory: ….partial".
    assert "Not a directory" not in line
    assert a_file.read_text() == "mine\n"


@pytest.mark.parametrize("flag", ["--demo", "--smoke-test"])
def test_a_window_flag_before_a_command_does_nothing_to_the_real_caseload(
    runner: CliRunner, demo_db: Path, tmp_path: Path, flag: str
) -> None:
    parents = tmp_path / "parents.csv"
    parents.write_text("ref,preferred_name,locality,joined_on\nT1,Tess,fife,2026-03-01\n")
    before = demo_db.read_bytes()
    # As a trainee may type it, to try an import on fictional parents first.
    result = runner.invoke(cli, [flag, "import", "--db", str(demo_db), str(parents)])
    assert result.exit_code == 2, result.output
    assert "Traceback" not in result.output
    assert f"{flag} " in result.output
    assert "does not go with a command; nothing was done" in result.output
    # It used to be ignored: the parents were imported into the caseload named.
    assert demo_db.read_bytes() == before
    with sqlite3.connect(demo_db) as raw:
        assert raw.execute("SELECT count(*) FROM participants WHERE ref = 'T1'").fetchone() == (0,)


def test_a_short_passphrase_typed_differently_twice_is_told_in_the_command_lines_words(
    runner: CliRunner, tmp_path: Path
) -> None:
    db = tmp_path / "caseload.db"
    line = refused(
        runner.invoke(cli, ["new", "--db", str(db)], input="a\nb\n"),
        "It is 1 character long",
        "type the same one both times",
        "Nothing was created",
    )
    # There are no boxes at a prompt: it used to say "type it again in both boxes".
    assert "boxes" not in line
    assert not db.exists()


@pytest.mark.parametrize(
    ("args", "kind"),
    [
        (["plan", "{name}", "--out"], "a PDF"),
        (["appointments", "--keyworker", "", "--ics"], "a calendar file"),
    ],
)
def test_a_plan_or_calendar_never_writes_over_the_caseload_given_by_mistake(
    runner: CliRunner, demo_db: Path, tmp_path: Path, args: list[str], kind: str
) -> None:
    with sqlite3.connect(demo_db) as raw:
        name = raw.execute("SELECT preferred_name FROM participants").fetchone()[0]
    notes = tmp_path / "notes.docx"
    notes.write_bytes(b"PK\x03\x04 a document of someone's")
    for victim in (demo_db, notes):
        before = victim.read_bytes()
        argv = [*(a.format(name=name) for a in args), str(victim), "--db", str(demo_db)]
        # `--out caseload.db` (a slip of tab completion) used to replace the caseload with a PDF.
        refused(runner.invoke(cli, argv), f"{victim} is already there and is not {kind}")
        assert victim.read_bytes() == before
    assert runner.invoke(cli, ["check", "--db", str(demo_db)]).exit_code == 0
    # Printing again over what was printed before is still the way to reprint.
    again = tmp_path / ("again.pdf" if kind == "a PDF" else "again.ics")  # as its name says
    argv = [*(a.format(name=name) for a in args), str(again), "--db", str(demo_db)]
    for _ in range(2):
        done = runner.invoke(cli, argv)
        assert done.exit_code == 0, done.output


@pytest.mark.parametrize(
    ("typed", "words"),
    [
        ("", ["was not typed", "--new-passphrase-file", "not changed"]),
        ("a\nb\n", ["1 character long", "not the same", "The passphrase was not changed"]),
    ],
)
def test_a_new_passphrase_not_typed_or_refused_says_nothing_changed(
    runner: CliRunner, demo_db: Path, typed: str, words: list[str]
) -> None:
    before = demo_db.read_bytes()
    result = runner.invoke(cli, ["passphrase", "--db", str(demo_db)], input=typed)
    # Nothing to read used to end with a bare "Aborted!"; a refused one did not say that
    # nothing had changed.
    refused(result, *words)
    assert "Aborted" not in result.output
    assert demo_db.read_bytes() == before


@pytest.mark.parametrize("command", [["report"], ["plans", "--out", "{tmp}/plans"]])
def test_damage_found_after_the_check_at_open_is_told_as_damage_not_as_our_fault(
    runner: CliRunner, demo_db: Path, tmp_path: Path, command: list[str]
) -> None:
    with sqlite3.connect(demo_db) as raw:
        raw.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        size = raw.execute("PRAGMA page_size").fetchone()[0]
        root = raw.execute(
            "SELECT rootpage FROM sqlite_master WHERE name = 'participants'"
        ).fetchone()[0]
    # The parents' table's first page, which the quick check at open does not read.
    with demo_db.open("r+b") as handle:
        handle.seek((root - 1) * size)
        handle.write(b"\xff" * 16)
    argv = [*(a.format(tmp=tmp_path) for a in command), "--db", str(demo_db)]
    line = refused(
        runner.invoke(cli, argv),
        "The caseload is damaged",
        "journeyapp check",
        "journeyapp restore",
    )
    # It used to be an "Unexpected error", to be reported as a fault of JourneyApp's.
    assert "Unexpected error" not in line
    assert "report it" not in line


def _a_clash(runner: CliRunner, tmp_path: Path) -> tuple[Path, str]:
    """A caseload with one decision waiting (one answer set differently on two laptops)."""
    laptop, here = tmp_path / "laptop.db", tmp_path / "here.db"
    env = {"JOURNEYAPP_BUNDLE_PASSPHRASE": "the bundle's own passphrase"}
    for db, seed in ((laptop, "1"), (here, "2")):
        assert (
            runner.invoke(cli, ["demo", "--db", str(db), "-n", "3", "--seed", seed]).exit_code == 0
        )
    with sqlite3.connect(laptop) as raw:
        pid = raw.execute("SELECT id FROM participants ORDER BY id").fetchone()[0]
    for n, (db, answer) in enumerate(((None, ""), (here, "no"), (laptop, "prefer_not_to_say"))):
        if db is not None:
            args = ["answers", pid, "--db", str(db), "--set", f"lone_parent={answer}"]
            assert runner.invoke(cli, args).exit_code == 0
        bundle = tmp_path / f"{n}.jlb"
        made = runner.invoke(cli, ["bundle", "--db", str(laptop), "--out", str(bundle)], env=env)
        assert made.exit_code == 0, made.output
        merged = runner.invoke(cli, ["merge", "--db", str(here), str(bundle)], env=env)
        assert merged.exit_code == 0, merged.output
    with sqlite3.connect(here) as raw:
        (decision,) = raw.execute("SELECT id FROM merge_decisions").fetchone()
    return here, decision


def test_a_decision_settled_by_the_start_of_its_id_as_the_help_shows(
    runner: CliRunner, tmp_path: Path
) -> None:
    here, decision = _a_clash(runner, tmp_path)
    settle = ["decisions", "--db", str(here), "--keep", "incoming", "--id"]
    # An id no decision has used to be "no longer in the list; it may have been erased".
    line = refused(runner.invoke(cli, [*settle, "nope"]), "No decision waiting has the id 'nope'")
    assert "erased" not in line
    # The help shows "--id 3f2a... --keep incoming": the start of the id, dots and all.
    done = runner.invoke(cli, [*settle, decision[:8].upper() + "..."])
    assert done.exit_code == 0, done.output
    assert "(the incoming value)." in done.output
    again = runner.invoke(cli, [*settle, decision])
    refused(again, "already been decided")


@pytest.mark.parametrize("command", ["import", "lookup"])
@pytest.mark.parametrize("encrypted", [False, True])
def test_a_caseload_given_as_a_spreadsheet_is_named_as_a_caseload(
    runner: CliRunner, demo_db: Path, tmp_path: Path, command: str, encrypted: bool
) -> None:
    other = tmp_path / "aileen.db"
    if encrypted:
        secret = _secret(tmp_path, "phrase", "alpha river stone lamp")
        made = runner.invoke(cli, ["new", "--db", str(other), "--passphrase-file", str(secret)])
    else:
        made = runner.invoke(cli, ["demo", "--db", str(other), "-n", "2"])
    assert made.exit_code == 0, made.output
    before = demo_db.read_bytes()
    line = refused(
        runner.invoke(cli, [command, "--db", str(demo_db), str(other)]),
        "is a caseload (or a backup of one), not a spreadsheet",
        "journeyapp merge",
    )
    # It used to be "not UTF-8 text … Save it as 'CSV UTF-8'".
    assert "UTF-8" not in line
    assert demo_db.read_bytes() == before
