"""Words typed into a contact's note are kept by one rule (core.typed) whichever way they
come: the window's form, `journeyapp contact --note`, a spreadsheet of contacts imported.
Hypothesis writes the words (control characters, line breaks of every kind, right-to-left
marks and letters, direction overrides among them); the three keep the same words or all
refuse them, and nothing kept holds a character the rule does not keep. Real caseload files,
the real form offscreen, the real command, a real CSV file."""

from __future__ import annotations

import csv
import tempfile
import unicodedata
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from pytestqt.qtbot import QtBot

from journeyapp.caseload import Caseload
from journeyapp.cli import cli
from journeyapp.core.records import Contact
from journeyapp.core.text import FORMULA_STARTS
from journeyapp.core.typed import right_to_left
from journeyapp.core.validation import MAX_TEXT
from journeyapp.exchange.spreadsheet import ImportRefused, import_file
from journeyapp.ui.workspace.contacts import LogContactDialog
from tests.clock import real_days_ago, real_today, ticking_clock

# What pasted words bring with them, beside any other character.
ODD = (
    "\x00\x07\x1b\x7f\x9b\t\n\r\x0b\x0c\x1c\x85\xa0\u2028\u2029\ufeff\ufdd0"
    "\u200c\u200d\u200e\u200f\u061c\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
    "مرحبا שלום Zoë 12"
)
WORDS = st.text(
    alphabet=st.characters(exclude_categories=["Cs"]) | st.sampled_from(ODD), max_size=24
)
MARKS = set("\u200e\u200f\u061c\u2066\u2067\u2068\u2069")
ON = real_days_ago(1)  # the command reads today from the computer's clock, as a keyworker's


def _opened(path: Path) -> tuple[Caseload, str]:
    caseload = Caseload.open(path, create=True, plain=True)
    caseload.clock = ticking_clock(real_today())
    pid = caseload.enrol_participant("Siobhán", "fife", joined_on=real_days_ago(200), ref="R1").id
    return caseload, pid


def _last_note(caseload: Caseload, pid: str, before: int) -> str | None:
    contacts = caseload.journey(pid).contacts
    if len(contacts) == before:
        return None  # refused: nothing was added
    [made] = [c for c in contacts if c.created_at == max(x.created_at for x in contacts)]
    return made.note


def _from_the_window(qtbot: QtBot, caseload: Caseload, pid: str, words: str) -> str | None:
    before = len(caseload.journey(pid).contacts)
    dialog = LogContactDialog(caseload, pid)
    qtbot.addWidget(dialog)
    dialog.note.setText(words)  # as a paste puts them there
    dialog._try_save()
    note = _last_note(caseload, pid, before)
    if note is None:
        said = dialog.errors["note"].text()
        assert said.startswith("⚠ The contact's note "), said
    else:
        assert isinstance(dialog.result_value, Contact)
    return note


def _from_the_command(path: Path, words: str) -> str | None:
    done = CliRunner().invoke(
        cli,
        ["contact", "Siob", "--db", str(path), "--log", "--on", ON.isoformat(), "--note", words],
    )
    opened = Caseload.open(path)
    try:
        [person] = opened.participants()
        contacts = opened.journey(person.id).contacts
    finally:
        opened.close()
    if done.exit_code != 0:
        assert "The contact's note (--note) " in done.output, done.output
        assert "Traceback" not in done.output
        return None
    return max(contacts, key=lambda c: c.created_at).note


def _from_a_spreadsheet(caseload: Caseload, pid: str, folder: Path, words: str) -> str | None:
    before = len(caseload.journey(pid).contacts)
    sheet = folder / "contacts.csv"
    with sheet.open("w", encoding="utf-8", newline="") as out:
        writer = csv.writer(out, quoting=csv.QUOTE_ALL)
        writer.writerow(["ref", "on", "kind", "note"])
        writer.writerow(["R1", ON.isoformat(), "one_to_one", words])
    try:
        report = import_file(caseload, sheet)
    except ImportRefused:
        return None  # a zero byte: not a spreadsheet at all
    if not report.applied:
        assert any("The contact's note " in p.reason for p in report.problems), report
    note = _last_note(caseload, pid, before)
    for held in caseload.journey(pid).contacts:  # the next file's contact is new again
        caseload.delete_record("contacts", held.id)
    return note


def _kept_by_the_rule(note: str) -> None:
    for ch in note:
        assert ch in "\n\t" or unicodedata.category(ch) not in ("Cc", "Cs"), repr(note)
        assert ch not in "\u202a\u202b\u202c\u202d\u202e\ufeff", repr(note)
        assert ch not in MARKS or right_to_left(note), repr(note)
    assert "\r" not in note


@pytest.fixture(scope="module")
def files() -> object:
    with tempfile.TemporaryDirectory() as name:
        folder = Path(name)
        command = folder / "command.db"
        made, _ = _opened(command)
        made.close()
        window, pid = _opened(folder / "window.db")
        imported, pid_imported = _opened(folder / "import.db")
        try:
            yield folder, command, (window, pid), (imported, pid_imported)
        finally:
            window.close()
            imported.close()


@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(words=WORDS)
def test_a_note_is_kept_alike_from_the_window_the_command_and_a_spreadsheet(
    qtbot: QtBot, files: tuple[Path, Path, tuple[Caseload, str], tuple[Caseload, str]], words: str
) -> None:
    folder, command, (window, pid), (imported, pid_imported) = files
    cell = words.strip()
    # A spreadsheet's cell starting ' and a formula character is our own export's (the '
    # is taken off again); a file with more tabs or semicolons than commas is read by them.
    assume(not (cell[:1] == "'" and cell[1:2] in FORMULA_STARTS))
    assume(words.count("\t") + words.count(";") < 3)
    by_window = _from_the_window(qtbot, window, pid, words)
    by_command = _from_the_command(command, words)
    by_sheet = _from_a_spreadsheet(imported, pid_imported, folder, words)
    assert by_window == by_command == by_sheet, (words, by_window, by_command, by_sheet)
    if by_window is not None:
        _kept_by_the_rule(by_window)


@pytest.mark.parametrize(
    ("words", "kept"),
    [
        ("line one\r\nline two\u2028three", "line one\nline two\nthree"),
        ("Word's\x0bline break", "Word's\nline break"),
        ("\ufeffStarts with a mark", "Starts with a mark"),
        ("Ana\u200f said hello", "Ana said hello"),
        ("قالت \u200f123\u200f شكرا", "قالت \u200f123\u200f شكرا"),
        ("a\u00a0b\ttab", "a\u00a0b\ttab"),
        ("line\x07\x1b[31m", None),
        ("zero\x00byte", None),
        ("abc\u202etxt.exe", None),
    ],
)
def test_what_the_rule_keeps_puts_right_and_refuses(
    qtbot: QtBot,
    files: tuple[Path, Path, tuple[Caseload, str], tuple[Caseload, str]],
    words: str,
    kept: str | None,
) -> None:
    folder, command, (window, pid), (imported, pid_imported) = files
    assert _from_the_window(qtbot, window, pid, words) == kept
    assert _from_the_command(command, words) == kept
    assert _from_a_spreadsheet(imported, pid_imported, folder, words) == kept


def test_the_form_says_which_box_is_too_long_as_the_command_does(
    qtbot: QtBot, files: tuple[Path, Path, tuple[Caseload, str], tuple[Caseload, str]]
) -> None:
    """The message beneath the box names it in the form's words and says how to fix it; the
    words stay in the box and nothing is saved."""
    _folder, _command, (window, pid), _imported = files
    before = len(window.journey(pid).contacts)
    dialog = LogContactDialog(window, pid)
    qtbot.addWidget(dialog)
    long = "x" * (MAX_TEXT + 1)
    dialog.note.setText(long)
    dialog.venue.setText("Family hub\nround the back")
    dialog._try_save()
    assert dialog.errors["note"].text() == (
        f"⚠ The contact's note is too long: {MAX_TEXT + 1:,} characters, at most {MAX_TEXT:,} "
        "— shorten it, or put the rest in another contact."
    )
    assert dialog.note.text() == long
    assert len(window.journey(pid).contacts) == before
    # A line break pasted into a box of one line shows there as a space, and is kept so.
    dialog.note.setText("Talked about the course")
    dialog._try_save()
    assert dialog.result_value.venue == "Family hub round the back"
