"""Never lose a typed word: drafts kept while typing (encrypted, in the caseload) survive a
kill -9 and are offered back; leaving a form or a parent with typed words asks first."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog
from pytestqt.qtbot import QtBot

from journeyapp.caseload import Caseload
from journeyapp.ui.main_window import MainWindow
from journeyapp.ui.widgets.forms import FormDialog
from journeyapp.ui.workspace.about import AboutSection
from journeyapp.ui.workspace.contacts import LogContactDialog
from tests.clock import ticking_clock
from tests.conftest import TODAY
from tests.ui.draft_forms import FORMS, DraftForm, box_of, words_for
from tests.ui.shell_helpers import answer_question, make_window, two_parents_open, with_modal
from tests.ui.workspace_helpers import type_into

KEY = "correct horse battery staple"
WORDS = "Half a note about the college open d"
ROOT = Path(__file__).resolve().parents[2]


def kill_9_once_typed(module_and_args: list[str], *, timeout: float) -> None:
    """Run a draft child (`python -m` module and its arguments) offscreen; once it says TYPED,
    kill -9 it: no clean-up of any kind."""
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "PYTHONPATH": str(ROOT)}
    child = subprocess.Popen(
        [sys.executable, "-m", *module_and_args],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    try:
        assert child.stdout is not None
        line = child.stdout.readline()
        assert line.strip() == "TYPED", line
        os.kill(child.pid, signal.SIGKILL)
    finally:
        child.wait(timeout=timeout)
    assert child.returncode == -signal.SIGKILL


def test_a_half_typed_note_survives_kill_9_encrypted_and_is_offered_back(
    qtbot: QtBot, tmp_path: Path
) -> None:
    path = tmp_path / "caseload.db"
    first = Caseload.open(path, KEY, create=True)
    pid = first.enrol_participant("Zoë", "glasgow").id
    first.close()

    kill_9_once_typed(["tests.ui.draft_child", str(path), KEY, pid, WORDS], timeout=30)

    # Never in a plain file: the words are nowhere on disk in the clear.
    for file in tmp_path.rglob("*"):
        if file.is_file():
            assert WORDS.encode() not in file.read_bytes(), file

    caseload = Caseload.open(path, KEY)
    caseload.clock = ticking_clock(TODAY)
    try:
        [draft] = caseload.drafts()
        assert draft.fields["note"] == WORDS
        assert draft.participant_id == pid
        window = make_window(qtbot, caseload)
        seen: dict[str, object] = {}

        def carry_on(dialog: QDialog) -> None:
            assert isinstance(dialog, LogContactDialog)
            seen["note"] = dialog.note.text()
            dialog.note.setFocus()
            qtbot.keyClicks(dialog.note, "ay")
            dialog.on.set_date(TODAY)  # the child ran on the real clock
            dialog._try_save()

        asked = answer_question(qtbot, "Open it")
        with_modal(qtbot, window.offer_drafts, carry_on)
        assert "Log a contact with Zoë" in asked[0]
        assert seen["note"] == WORDS
        (contact,) = caseload.journey(pid).contacts
        assert contact.note == WORDS + "ay"
        assert caseload.drafts() == []  # saved: the draft is gone
        window.bus.detach()
    finally:
        caseload.close()


def test_a_draft_is_kept_a_second_after_typing_and_forgotten_when_saved(
    qtbot: QtBot, caseload: Caseload
) -> None:
    pid = caseload.enrol_participant("Zoë", "glasgow").id
    dialog = LogContactDialog(caseload, pid)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    type_into(qtbot, dialog.note, "Talked about")
    assert caseload.drafts() == []  # not on every key
    qtbot.waitUntil(lambda: bool(caseload.drafts()), timeout=3000)
    assert caseload.drafts()[0].fields["note"] == "Talked about"
    dialog.on.set_date(TODAY)
    dialog._try_save()
    assert not dialog.isVisible()
    assert caseload.drafts() == []


def test_put_away_keeps_the_draft_without_asking(qtbot: QtBot, caseload: Caseload) -> None:
    """What the lock (or quitting with a form open) uses: close, keep the words."""
    pid = caseload.enrol_participant("Zoë", "glasgow").id
    dialog = LogContactDialog(caseload, pid)
    qtbot.addWidget(dialog)
    dialog.show()
    type_into(qtbot, dialog.note, "Half")
    dialog.put_away()
    assert not dialog.isVisible()
    [draft] = caseload.drafts()
    reopened = FormDialog.reopen(caseload, draft, None)
    assert isinstance(reopened, LogContactDialog)
    qtbot.addWidget(reopened)
    assert reopened.note.text() == "Half"


def test_erasing_a_parent_erases_their_drafts(qtbot: QtBot, caseload: Caseload) -> None:
    pid = caseload.enrol_participant("Zoë", "glasgow").id
    dialog = LogContactDialog(caseload, pid)
    qtbot.addWidget(dialog)
    dialog.show()
    type_into(qtbot, dialog.note, "Half")
    dialog.keep_draft()
    QDialog.reject(dialog)  # closed without the question (the parent is about to go)
    assert caseload.drafts()
    caseload.safety.erase_participant(pid, "Zoë")
    assert caseload.drafts() == []


@pytest.fixture
def typed_details(qtbot: QtBot, caseload: Caseload) -> tuple[MainWindow, str, str]:
    window, zoe, amy = two_parents_open(qtbot, caseload)
    about = window.workspace.section(AboutSection)
    window.workspace.tabs.setCurrentWidget(about)
    type_into(qtbot, about.edits["phone"], "07700 900123")
    assert window.workspace.has_unsaved_details()
    return window, zoe, amy


@pytest.mark.parametrize("answer", ["Save", "Discard changes", "Go back"])
def test_switching_parent_with_typed_details_asks(
    qtbot: QtBot, caseload: Caseload, typed_details: tuple[MainWindow, str, str], answer: str
) -> None:
    window, zoe, amy = typed_details
    asked = answer_question(qtbot, answer)
    window.open_participant(amy)
    assert asked
    assert "not saved yet" in asked[0]
    shown = window.workspace.current_participant_id()
    phone = caseload.participant(zoe).phone
    if answer == "Save":
        assert (shown, phone) == (amy, "07700 900123")
    elif answer == "Discard changes":
        assert (shown, phone) == (amy, "")
    else:
        assert (shown, phone) == (zoe, "")
        assert window.workspace.section(AboutSection).edits["phone"].text() == "07700 900123"
        window.workspace.section(AboutSection).revert()
    window.bus.detach()


@pytest.mark.parametrize("answer", ["Save", "Go back"])
def test_closing_the_window_with_typed_details_asks(
    qtbot: QtBot, caseload: Caseload, typed_details: tuple[MainWindow, str, str], answer: str
) -> None:
    window, zoe, _amy = typed_details
    asked = answer_question(qtbot, answer)
    window.close()
    assert asked
    assert "not saved yet" in asked[0]
    if answer == "Save":
        assert not window.isVisible()
        assert caseload.participant(zoe).phone == "07700 900123"
    else:
        assert window.isVisible()
        assert caseload.participant(zoe).phone == ""
        window.workspace.section(AboutSection).revert()
    window.bus.detach()


def test_a_half_typed_note_in_every_form_kind_survives_kill_9(qtbot: QtBot, tmp_path: Path) -> None:
    """One real kill -9 of a window with one form of every kind open, each with half a note."""
    path = tmp_path / "caseload.db"
    first = Caseload.open(path, KEY, create=True)
    pid = first.enrol_participant("Zoë", "glasgow").id
    first.add_goal(pid, "Get back into work")
    first.close()

    kill_9_once_typed(["tests.ui.draft_child_every_form", str(path), KEY, pid], timeout=60)

    for file in tmp_path.rglob("*"):
        if file.is_file():
            data = file.read_bytes()
            for entry in FORMS:
                assert words_for(entry.form).encode() not in data, (file, entry.form)

    caseload = Caseload.open(path, KEY)
    caseload.clock = ticking_clock(TODAY)
    try:
        kept = {d.form: d for d in caseload.drafts()}
        assert set(kept) == {e.form for e in FORMS}
        for entry in FORMS:
            draft = kept[entry.form]
            assert draft.participant_id == pid
            assert draft.fields[entry.key] == words_for(entry.form), entry.form
            reopened = FormDialog.reopen(caseload, draft, None)
            assert reopened is not None, entry.form
            qtbot.addWidget(reopened)
            assert box_of(reopened, entry).text() == words_for(entry.form), entry.form  # type: ignore[attr-defined]
            reopened.forget_draft()
        assert caseload.drafts() == []
    finally:
        caseload.close()


@pytest.mark.parametrize("entry", FORMS, ids=[e.form for e in FORMS])
def test_every_form_kind_keeps_a_draft_asks_on_escape_and_reopens(
    qtbot: QtBot, caseload: Caseload, entry: DraftForm
) -> None:
    pid = caseload.enrol_participant("Zoë", "glasgow").id
    dialog = entry.build(caseload, pid)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    box = box_of(dialog, entry)
    type_into(qtbot, box, "Half")
    qtbot.waitUntil(lambda: bool(caseload.drafts()), timeout=3000)
    [draft] = caseload.drafts()
    assert (draft.form, draft.fields[entry.key]) == (entry.form, "Half")

    # Escape with typed words asks; "Go back" keeps the form open with the words.
    asked = answer_question(qtbot, "Go back")
    qtbot.keyClick(box, Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: bool(asked))
    assert "not saved yet" in asked[0]
    assert dialog.isVisible()
    assert box.text() == "Half"  # type: ignore[attr-defined]

    # Locking or quitting puts it away, keeping the draft; it reopens with the words.
    dialog.put_away()
    [draft] = caseload.drafts()
    reopened = FormDialog.reopen(caseload, draft, None)
    assert reopened is not None
    qtbot.addWidget(reopened)
    assert box_of(reopened, entry).text() == "Half"  # type: ignore[attr-defined]

    # "Discard changes" forgets the draft.
    reopened.show()
    qtbot.waitExposed(reopened)
    asked = answer_question(qtbot, "Discard changes")
    reopened.reject()
    assert asked
    assert not reopened.isVisible()
    assert caseload.drafts() == []


def test_quitting_with_a_form_open_keeps_its_words_as_a_draft(
    qtbot: QtBot, caseload: Caseload
) -> None:
    pid = caseload.enrol_participant("Zoë", "glasgow").id
    window = make_window(qtbot, caseload)
    dialog = LogContactDialog(caseload, pid, window)
    dialog.show()
    qtbot.waitExposed(dialog)
    type_into(qtbot, dialog.note, "Half a note")
    window.close()
    assert not window.isVisible()
    assert not dialog.isVisible()
    [draft] = caseload.drafts()
    assert draft.fields["note"] == "Half a note"
    window.bus.detach()
