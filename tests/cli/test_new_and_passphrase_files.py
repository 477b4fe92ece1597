"""`journeyapp new`, commands that never create a caseload, --passphrase-file on every command,
and hostile input answered in one line."""

from __future__ import annotations

import csv
import json
import os
import shutil
import sqlite3
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import click
import pytest
from click.testing import CliRunner, Result
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from journeyapp.caseload import Caseload
from journeyapp.cli import cli
from journeyapp.cli.options import read_secret_file
from tests.cli.test_commands import NAMES
from tests.clock import real_days_ago, real_quarter
from tests.exchange.test_cli import make_laptop

PHRASE = "four quiet river stones"
BUNDLE_PHRASE = "a long bundle passphrase"
SQLITE_HEADER = b"SQLite format 3\x00"


@pytest.fixture(autouse=True)
def _no_secrets_from_outside(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("JOURNEYAPP_PASSPHRASE", "JOURNEYAPP_BUNDLE_PASSPHRASE", "JOURNEYAPP_DB"):
        monkeypatch.delenv(name, raising=False)


def secret_file(path: Path, text: str) -> Path:
    """A private file holding `text` (as an editor saves it: with a line end)."""
    path.write_text(text + "\n", encoding="utf-8")
    path.chmod(0o600)
    return path


def lines(result: Result) -> list[str]:
    return [line for line in result.output.splitlines() if line.strip()]


def is_encrypted(path: Path) -> bool:
    """True when the file does not start as plain SQLite and plain SQLite cannot read it."""
    if path.read_bytes()[:16] == SQLITE_HEADER:
        return False
    raw = sqlite3.connect(path)
    try:
        raw.execute("SELECT count(*) FROM sqlite_master").fetchone()
    except sqlite3.DatabaseError:
        return True
    finally:
        raw.close()
    return False


def parents_csv(path: Path, n: int) -> Path:
    joined = real_days_ago(90).isoformat()  # read by `import`, run for real
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["ref", "preferred_name", "locality", "joined_on"])
        for i in range(n):
            writer.writerow([f"FIF-{i:03d}", f"Parent {i}", "fife", joined])
    return path


# -- new ----------------------------------------------------------------------------------------


def test_new_then_import_then_report_with_only_the_passphrase_variable(tmp_path: Path) -> None:
    db = tmp_path / "fresh.db"
    runner = CliRunner(env={"JOURNEYAPP_PASSPHRASE": PHRASE})
    made = runner.invoke(cli, ["new", "--db", str(db)], input="")
    assert made.exit_code == 0, made.output
    assert "encrypted" in made.stdout
    assert is_encrypted(db)
    imported = runner.invoke(
        cli, ["import", "--db", str(db), str(parents_csv(tmp_path / "p.csv", 7))], input=""
    )
    assert imported.exit_code == 0, imported.output
    assert "7 new" in imported.stdout
    assert "not encrypted" not in imported.output
    reported = runner.invoke(cli, ["report", "--db", str(db), "--format", "json"], input="")
    assert reported.exit_code == 0, reported.output
    assert json.loads(reported.stdout)["participants"] == 7
    assert is_encrypted(db)
    opened = Caseload.open(db, PHRASE, create=False)
    assert [p.preferred_name for p in opened.participants()].count("Parent 3") == 1
    opened.close()


def test_new_asks_twice_at_a_hidden_prompt(tmp_path: Path) -> None:
    db = tmp_path / "typed.db"
    result = CliRunner().invoke(cli, ["new", "--db", str(db)], input=f"{PHRASE}\n{PHRASE}\n")
    assert result.exit_code == 0, result.output
    assert PHRASE not in result.output  # hidden
    assert "at least 12 characters" in result.stderr  # the window's guidance
    assert is_encrypted(db)
    Caseload.open(db, PHRASE, create=False).close()


@pytest.mark.parametrize(
    ("typed", "reason"),
    [
        (f"{PHRASE}\n{PHRASE}!\n", "not the same"),
        ("catcatcatcat\ncatcatcatcat\n", "one word or character repeated"),
        ("short\nshort\n", "12 characters"),
        ("", "needs a passphrase"),
    ],
    ids=["typed-differently", "repeated", "short", "nothing-typed"],
)
def test_new_refuses_what_the_window_refuses_and_leaves_no_file(
    tmp_path: Path, typed: str, reason: str
) -> None:
    db = tmp_path / "refused.db"
    result = CliRunner().invoke(cli, ["new", "--db", str(db)], input=typed)
    assert result.exit_code == 1
    assert reason in result.stderr
    assert "Nothing was created" in result.stderr
    assert "Traceback" not in result.output
    assert list(tmp_path.iterdir()) == []


def test_new_refuses_a_weak_passphrase_from_the_variable(tmp_path: Path) -> None:
    result = CliRunner(env={"JOURNEYAPP_PASSPHRASE": "password"}).invoke(
        cli, ["new", "--db", str(tmp_path / "x.db")]
    )
    assert result.exit_code == 1
    assert list(tmp_path.iterdir()) == []


def test_new_takes_the_passphrase_from_a_file_that_then_opens_it(tmp_path: Path) -> None:
    file = secret_file(tmp_path / "phrase.txt", PHRASE)
    db = tmp_path / "from-file.db"
    made = CliRunner().invoke(cli, ["new", "--db", str(db), "--passphrase-file", str(file)])
    assert made.exit_code == 0, made.output
    assert is_encrypted(db)
    checked = CliRunner().invoke(cli, ["check", "--db", str(db), "--passphrase-file", str(file)])
    assert checked.exit_code == 0, checked.output
    assert "Parents: 0" in checked.stdout


@pytest.mark.parametrize("existing", [b"precious", b""], ids=["a-file", "an-empty-file"])
def test_new_never_touches_an_existing_file(tmp_path: Path, existing: bytes) -> None:
    db = tmp_path / "there.db"
    db.write_bytes(existing)
    result = CliRunner(env={"JOURNEYAPP_PASSPHRASE": PHRASE}).invoke(cli, ["new", "--db", str(db)])
    assert result.exit_code == 1
    assert "already exists" in result.stderr
    assert db.read_bytes() == existing
    assert sorted(p.name for p in tmp_path.iterdir()) == ["there.db"]


def test_new_refuses_a_folder_that_does_not_exist(tmp_path: Path) -> None:
    result = CliRunner(env={"JOURNEYAPP_PASSPHRASE": PHRASE}).invoke(
        cli, ["new", "--db", str(tmp_path / "no-such-folder" / "x.db")]
    )
    assert result.exit_code == 1
    assert "does not exist" in result.stderr
    assert list(tmp_path.iterdir()) == []


# -- nothing else creates a caseload --------------------------------------------------------------


def _lookup_csv(path: Path) -> Path:
    path.write_text("Postcode,SIMD quintile\nZZ1 1AA,1\n", encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def shared_inputs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """Files the commands only read, made once: a bundle, a spreadsheet, secrets."""
    folder = tmp_path_factory.mktemp("inputs")
    laptop = folder / "laptop.db"
    make_laptop(laptop, 5)
    bundle_secret = secret_file(folder / "bundle.txt", BUNDLE_PHRASE)
    made = CliRunner().invoke(
        cli,
        [
            "bundle",
            "--db",
            str(laptop),
            "--out",
            str(folder / "laptop.jlb"),
            "--bundle-passphrase-file",
            str(bundle_secret),
        ],
    )
    assert made.exit_code == 0, made.output
    return {
        "bundle": folder / "laptop.jlb",
        "bundle-secret": bundle_secret,
        "csv": parents_csv(folder / "parents.csv", 3),
        "lookup": _lookup_csv(folder / "simd.csv"),
        "secret": secret_file(folder / "phrase.txt", PHRASE),
        "new-secret": secret_file(folder / "new-phrase.txt", "seven purple kites over the bay"),
    }


@pytest.fixture
def inputs(shared_inputs: dict[str, Path]) -> dict[str, Path]:
    """This test's own list of the shared input files (a test may add to it)."""
    return dict(shared_inputs)


# What each command needs besides --db and --passphrase-file; `out` is where it may write.
Args = Callable[[dict[str, Path], Path], list[str]]
ARGS: dict[str, Args] = {
    "check": lambda i, out: [],
    "passphrase": lambda i, out: ["--new-passphrase-file", str(i["new-secret"])],
    "backup": lambda i, out: ["--out", str(out / "copy.db")],
    "restore": lambda i, out: [str(i["backup"])],
    "retention": lambda i, out: [],
    "erase": lambda i, out: ["FIF-000", "--confirm-name", "Parent 0"],
    "plan": lambda i, out: ["Parent 1", "--out", str(out / "plan.pdf")],
    "plans": lambda i, out: ["--out", str(out / "plans")],
    "answers": lambda i, out: ["Parent 1", "--set", "lone_parent=yes"],
    "job": lambda i, out: ["Parent 1", "--started-on", real_days_ago(30).isoformat()],
    "break": lambda i, out: ["Parent 1", "--take"],
    "journey": lambda i, out: ["Parent 1", "--moved-on"],
    "contact": lambda i, out: ["Parent 1", "--log", "--kind", "phone_text"],
    "milestone": lambda i, out: ["Parent 1", "--log", "--type", "agreed_plan"],
    "stage": lambda i, out: ["Parent 1", "--to", "in_work"],
    "goal": lambda i, out: ["Parent 1", "--log", "--words", "To feel sure of myself"],
    "step": lambda i, out: ["Parent 1"],
    "referral": lambda i, out: ["Parent 1", "--log", "--organisation", "Citizens Advice"],
    "assessment": lambda i, out: ["Parent 1", "--log", "--score", "confidence=5"],
    "parent": lambda i, out: ["Parent 1", "--phone", "07700 900123"],
    "pace": lambda i, out: ["Parent 1", "--set", "gently"],
    "choice": lambda i, out: ["Parent 1", "--service", "volunteering", "--decision", "chosen"],
    "strength": lambda i, out: ["Parent 1", "--log", "--words", "Good with people"],
    "meeting": lambda i, out: ["Parent 1", "--log", "--on", real_days_ago(-7).isoformat()],
    "feedback": lambda i, out: ["Parent 1", "--log", "--said", "The group is too early"],
    "group": lambda i, out: ["--log", "--activity", "Confidence group"],
    "settings": lambda i, out: ["--phone", "07700 900123"],
    "export": lambda i, out: ["--out", str(out / "export")],
    "partnership-key": lambda i, out: ["--save", str(out / "partnership.key")],
    "bundle": lambda i, out: [
        "--out",
        str(out / "mine.jlb"),
        "--bundle-passphrase-file",
        str(i["bundle-secret"]),
    ],
    "merge": lambda i, out: [str(i["bundle"]), "--bundle-passphrase-file", str(i["bundle-secret"])],
    "decisions": lambda i, out: [],
    "devices": lambda i, out: [],
    "import": lambda i, out: [str(i["csv"])],
    "report": lambda i, out: ["--out", str(out / "report.txt")],
    "lookup": lambda i, out: [str(i["lookup"])],
    "return": lambda i, out: ["--quarter", real_quarter(), "--out", str(out / "return.xlsx")],
    "appointments": lambda i, out: ["--ics", str(out / "meetings.ics")],
    "week": lambda i, out: [],
    "search": lambda i, out: ["Parent 1"],
}


def test_every_command_that_opens_a_caseload_is_exercised_here() -> None:
    assert set(ARGS) == set(NAMES) - {"new", "demo"}


# restore is the one command that may put a file where none was: a copy of a verified backup
# (the way onto a new laptop), never a new or unencrypted caseload.
@pytest.mark.parametrize("name", sorted(set(ARGS) - {"restore"}))
def test_a_missing_caseload_is_refused_with_how_to_make_one_and_nothing_is_created(
    tmp_path: Path, inputs: dict[str, Path], name: str
) -> None:
    work = tmp_path / "work"
    work.mkdir()
    db = work / "coordinator.db"
    result = CliRunner(env={"JOURNEYAPP_PASSPHRASE": PHRASE}).invoke(
        cli, [name, "--db", str(db), *ARGS[name](inputs, work)], input=""
    )
    assert result.exit_code == 1, result.output
    assert lines(result) == [
        f"Error: There is no caseload at {db}. Create one with: journeyapp new --db {db}"
    ]
    assert list(work.iterdir()) == []


def test_import_of_a_bundle_into_a_missing_caseload_is_refused(
    tmp_path: Path, inputs: dict[str, Path]
) -> None:
    db = tmp_path / "coordinator.db"
    result = CliRunner(env={"JOURNEYAPP_BUNDLE_PASSPHRASE": BUNDLE_PHRASE}).invoke(
        cli, ["import", "--db", str(db), str(inputs["bundle"])]
    )
    assert result.exit_code == 1
    assert "journeyapp new --db" in result.stderr
    assert not db.exists()


def test_a_coordinator_starts_with_new_and_merges_stay_encrypted(
    tmp_path: Path, inputs: dict[str, Path]
) -> None:
    db = tmp_path / "coordinator.db"
    runner = CliRunner(env={"JOURNEYAPP_PASSPHRASE": PHRASE})
    assert runner.invoke(cli, ["new", "--db", str(db)]).exit_code == 0
    merged = runner.invoke(
        cli,
        ["merge", "--db", str(db), str(inputs["bundle"])],
        env={"JOURNEYAPP_BUNDLE_PASSPHRASE": BUNDLE_PHRASE},
    )
    assert merged.exit_code == 0, merged.output
    assert is_encrypted(db)
    opened = Caseload.open(db, PHRASE, create=False)
    assert len(opened.participants()) == 3
    opened.close()


# -- --passphrase-file on every command -----------------------------------------------------------


@pytest.fixture(scope="module")
def secret_template(
    tmp_path_factory: pytest.TempPathFactory, shared_inputs: dict[str, Path]
) -> tuple[Path, Path]:
    """An encrypted caseload made by `new`, with three imported parents, and its backup."""
    folder = tmp_path_factory.mktemp("template")
    db = folder / "secret.db"
    file = ["--passphrase-file", str(shared_inputs["secret"])]
    assert CliRunner().invoke(cli, ["new", "--db", str(db), *file]).exit_code == 0
    done = CliRunner().invoke(cli, ["import", "--db", str(db), *file, str(shared_inputs["csv"])])
    assert done.exit_code == 0, done.output
    c = Caseload.open(db, PHRASE, create=False)
    backup = c.safety.backup(folder / "backup.db").path
    c.close()  # checkpoints the write-ahead log: the file alone is the whole caseload
    return db, backup


@pytest.fixture
def secret_caseload(
    tmp_path: Path, inputs: dict[str, Path], secret_template: tuple[Path, Path]
) -> Path:
    """This test's own copy of the encrypted caseload and its backup (made once: keys are slow)."""
    db = tmp_path / "secret.db"
    shutil.copyfile(secret_template[0], db)
    inputs["backup"] = tmp_path / "backup.db"
    shutil.copyfile(secret_template[1], inputs["backup"])
    return db


@pytest.mark.parametrize("name", sorted(ARGS))
def test_passphrase_file_opens_the_caseload_for_every_command(
    tmp_path: Path, inputs: dict[str, Path], secret_caseload: Path, name: str
) -> None:
    out = tmp_path / "out"
    out.mkdir()
    args = ["--db", str(secret_caseload), "--passphrase-file", str(inputs["secret"])]
    # No variable and no typing: only the file can open it (a prompt would get nothing).
    result = CliRunner().invoke(cli, [name, *args, *ARGS[name](inputs, out)], input="")
    assert result.exit_code == 0, result.output
    assert "Warning" not in result.output  # private files, encrypted caseload
    wrong = secret_file(tmp_path / "wrong.txt", "not the passphrase at all")
    args[-1] = str(wrong)
    untouched = tmp_path / "untouched"
    untouched.mkdir()
    refused = CliRunner().invoke(cli, [name, *args, *ARGS[name](inputs, untouched)], input="")
    assert refused.exit_code == 1
    assert len(lines(refused)) == 1, refused.output
    assert "does not open" in refused.stderr
    assert list(untouched.iterdir()) == []  # a failed command writes nothing


# -- hostile input --------------------------------------------------------------------------------


def _empty(p: Path) -> None:
    p.write_bytes(b"")


def _two_lines(p: Path) -> None:
    p.write_text(f"{PHRASE}\nand more\n", encoding="utf-8")


def _latin1(p: Path) -> None:
    p.write_bytes("Siobhán's café".encode("latin-1"))


def _folder(p: Path) -> None:
    p.mkdir()


def _nul(p: Path) -> None:
    # A file saved by a program that writes UTF-16 or pads with zero bytes (it used to end in
    # "Unexpected error (ValueError: the query contains a null character)").
    p.write_bytes(PHRASE.encode() + b"\0")


@pytest.mark.parametrize(
    ("make", "reason"),
    [
        (lambda p: None, "There is no passphrase file at"),
        (_empty, "is empty"),
        (_two_lines, "more than one line"),
        (_latin1, "not UTF-8"),
        (_folder, "is a folder, not a passphrase file"),
        (_nul, "holds a zero byte"),
    ],
    ids=["missing", "empty", "two-lines", "not-utf8", "folder", "nul"],
)
@pytest.mark.parametrize("command", ["check", "report", "merge", "new"])
def test_a_bad_passphrase_file_gets_one_line(
    tmp_path: Path,
    inputs: dict[str, Path],
    make: Callable[[Path], None],
    reason: str,
    command: str,
) -> None:
    db = tmp_path / "x.db"
    if command != "new":
        assert (
            CliRunner()
            .invoke(cli, ["new", "--db", str(db), "--passphrase-file", str(inputs["secret"])])
            .exit_code
            == 0
        )
    file = tmp_path / "bad.txt"
    make(file)
    before = sorted(p.name for p in tmp_path.iterdir())
    extra = [str(inputs["bundle"])] if command == "merge" else []
    result = CliRunner(env={"JOURNEYAPP_BUNDLE_PASSPHRASE": BUNDLE_PHRASE}).invoke(
        cli, [command, "--db", str(db), "--passphrase-file", str(file), *extra], input=""
    )
    assert result.exit_code == 1
    assert len(lines(result)) == 1, result.output
    assert reason in lines(result)[0]
    assert "Traceback" not in result.output
    assert sorted(p.name for p in tmp_path.iterdir()) == before


def test_a_bad_bundle_passphrase_file_gets_one_line(
    tmp_path: Path, inputs: dict[str, Path]
) -> None:
    db = tmp_path / "coordinator.db"
    new = ["--passphrase-file", str(inputs["secret"])]
    assert CliRunner().invoke(cli, ["new", "--db", str(db), *new]).exit_code == 0
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"\n")
    result = CliRunner().invoke(
        cli,
        [
            "merge",
            "--db",
            str(db),
            *new,
            str(inputs["bundle"]),
            "--bundle-passphrase-file",
            str(empty),
        ],
    )
    assert result.exit_code == 1
    assert lines(result) == [
        f"Error: The bundle passphrase file {empty} is empty: put the bundle passphrase on its first line."
    ]


@pytest.mark.parametrize(
    ("make", "reason"),
    [
        (_folder, "is a folder; --db needs a caseload file"),
        (lambda p: p.write_bytes(b"%PDF-1.7\n" * 30), "not a JourneyApp caseload"),
        (_empty, "is empty"),
    ],
    ids=["folder", "pdf", "empty"],
)
def test_a_db_that_is_not_a_caseload_gets_one_line(
    tmp_path: Path, make: Callable[[Path], None], reason: str
) -> None:
    db = tmp_path / "caseload.db"
    make(db)
    result = CliRunner(env={"JOURNEYAPP_PASSPHRASE": PHRASE}).invoke(
        cli, ["report", "--db", str(db)], input=""
    )
    assert result.exit_code == 1
    assert len(lines(result)) == 1, result.output
    assert reason in result.output


def test_a_passphrase_file_others_can_read_is_used_with_a_warning(tmp_path: Path) -> None:
    db = tmp_path / "x.db"
    shared = secret_file(tmp_path / "shared.txt", PHRASE)
    assert (
        CliRunner()
        .invoke(cli, ["new", "--db", str(db), "--passphrase-file", str(shared)])
        .exit_code
        == 0
    )
    shared.chmod(0o644)
    result = CliRunner().invoke(cli, ["check", "--db", str(db), "--passphrase-file", str(shared)])
    assert result.exit_code == 0, result.output
    if os.name == "posix":
        assert result.stderr.count(f"chmod 600 {shared}") == 1


@pytest.mark.skipif(
    os.name != "posix" or os.geteuid() == 0, reason="root reads any file; needs POSIX modes"
)
def test_an_unreadable_passphrase_file_gets_one_line(tmp_path: Path) -> None:
    file = secret_file(tmp_path / "locked.txt", PHRASE)
    file.chmod(0)
    result = CliRunner().invoke(
        cli, ["new", "--db", str(tmp_path / "x.db"), "--passphrase-file", str(file)]
    )
    assert result.exit_code == 1
    assert "permission denied" in result.stderr


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    secret=st.text(
        # No zero byte: refused (test_a_bad_passphrase_file_gets_one_line).
        st.characters(exclude_categories=["Cs"], exclude_characters="\r\n\ufeff\0"),
        min_size=1,
    ),
    ending=st.sampled_from(["", "\n", "\r\n"]),
)
def test_the_secret_in_a_file_is_its_line_without_the_line_end(
    tmp_path: Path, secret: str, ending: str
) -> None:
    file = tmp_path / "secret.txt"
    file.write_bytes((secret + ending).encode("utf-8"))
    file.chmod(0o600)
    assert read_secret_file(file) == secret


def test_a_real_process_fails_in_one_line(tmp_path: Path) -> None:
    db = tmp_path / "coordinator.db"
    result = subprocess.run(
        [sys.executable, "-m", "journeyapp", "merge", "--db", str(db), str(tmp_path / "a.jlb")],
        capture_output=True,
        text=True,
        stdin=subprocess.DEVNULL,
        cwd=Path(__file__).resolve().parents[2],
        env={k: v for k, v in os.environ.items() if not k.startswith("JOURNEYAPP_")},
        check=False,
    )
    assert result.returncode == 1
    assert result.stdout == ""
    assert result.stderr.strip().splitlines() == [
        f"Error: There is no caseload at {db}. Create one with: journeyapp new --db {db}"
    ]
    assert not db.exists()


def test_the_reader_refuses_with_a_click_error(tmp_path: Path) -> None:
    with pytest.raises(click.ClickException, match="There is no passphrase file"):
        read_secret_file(tmp_path / "nothing.txt")


def test_restore_refuses_a_folder_and_puts_a_backup_where_no_caseload_is(
    tmp_path: Path, inputs: dict[str, Path], secret_caseload: Path
) -> None:
    folder = tmp_path / "a-folder"
    folder.mkdir()
    (folder / "keep.txt").write_text("mine", encoding="utf-8")
    runner = CliRunner(env={"JOURNEYAPP_PASSPHRASE": PHRASE})
    refused = runner.invoke(cli, ["restore", "--db", str(folder), str(inputs["backup"])])
    assert refused.exit_code == 1
    assert lines(refused) == [
        f"Error: {folder} is a folder; --db needs a caseload file, e.g. --db {folder / 'caseload.db'}"
    ]
    assert [p.name for p in folder.iterdir()] == ["keep.txt"]
    # The one command that may put a file where there was none: a verified backup, still
    # encrypted (a new laptop after the old one was lost).
    laptop = tmp_path / "new-laptop.db"
    restored = runner.invoke(cli, ["restore", "--db", str(laptop), str(inputs["backup"])])
    assert restored.exit_code == 0, restored.output
    assert is_encrypted(laptop)
    assert "3 parents" in restored.stdout


@pytest.mark.parametrize("option", ["--from", "--to"])
def test_a_wrong_date_names_the_option_typed(tmp_path: Path, option: str) -> None:
    db = tmp_path / "demo.db"
    assert CliRunner().invoke(cli, ["demo", "--db", str(db), "-n", "2"]).exit_code == 0
    result = CliRunner().invoke(cli, ["report", "--db", str(db), option, "31/02/2026"])
    assert result.exit_code == 1  # one line, as every other day typed (was click's usage, 2)
    assert "Usage:" not in result.stderr
    assert f"{option} '31/02/2026' is not a date" in result.stderr
    assert "--since" not in result.stderr
    assert "--until" not in result.stderr


def test_bundle_asks_for_the_bundle_passphrase_only_once_the_caseload_is_open(
    tmp_path: Path,
) -> None:
    """Typed at the prompts: the caseload's passphrase first; a wrong one is said before the
    keyworker chooses the bundle's (typed twice) for nothing, and no bundle is written."""
    from journeyapp.core.passphrase import BUNDLE_GUIDANCE

    db, out = tmp_path / "laptop.db", tmp_path / "laptop.jlb"
    assert (
        CliRunner(env={"JOURNEYAPP_PASSPHRASE": PHRASE})
        .invoke(cli, ["new", "--db", str(db)])
        .exit_code
        == 0
    )
    bundle = ["bundle", "--db", str(db), "--out", str(out)]
    wrong = CliRunner().invoke(cli, bundle, input="not the right words at all\n")
    assert wrong.exit_code == 1
    assert "does not open" in wrong.output
    assert BUNDLE_GUIDANCE not in wrong.output
    assert "Bundle passphrase" not in wrong.output
    assert not out.exists()
    right = CliRunner().invoke(cli, bundle, input=f"{PHRASE}\n{BUNDLE_PHRASE}\n{BUNDLE_PHRASE}\n")
    assert right.exit_code == 0, right.output
    assert BUNDLE_GUIDANCE in right.output
    assert out.exists()
