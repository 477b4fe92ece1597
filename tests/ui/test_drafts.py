"""Never lose a typed word: drafts kept while typing (encrypted, in the caseload) survive a
kill -9 and are offered back; leaving a form or a parent with typed words asks first."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog, QLineEdit, QMessageBox
from pytestqt.qtbot import QtBot

from journeyapp.caseload import Caseload
from journeyapp.core.drafts import Draft
from journeyapp.core.enums import ConsentPurpose
from journeyapp.ui.dialogs.enrol_dialog import EnrolDialog
from journeyapp.ui.dialogs.group_sessions import GroupSessionDialog
from journeyapp.ui.main_window import MainWindow
from journeyapp.ui.widgets.forms import AsksBeforeLeaving
from journeyapp.ui.workspace.about import AboutSection, ChildDialog
from journeyapp.ui.workspace.contacts import LogContactDialog
from tests.clock import ticking_clock
from tests.conftest import TODAY
from tests.ui.draft_forms import FORMS, HALF_PHONE, DraftForm, box_of, words_for
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


def half_a_note_put_away(qtbot: QtBot, caseload: Caseload, pid: str) -> Draft:
    """Half a contact note typed, then the form put away (as quitting does): its draft."""
    dialog = LogContactDialog(caseload, pid)
    qtbot.addWidget(dialog)
    dialog.show()
    type_into(qtbot, dialog.note, "Half")
    dialog.put_away()
    assert not dialog.isVisible()
    [draft] = caseload.drafts()
    return draft


def test_put_away_keeps_the_draft_without_asking(qtbot: QtBot, caseload: Caseload) -> None:
    """What the lock (or quitting with a form open) uses: close, keep the words."""
    pid = caseload.enrol_participant("Zoë", "glasgow").id
    draft = half_a_note_put_away(qtbot, caseload, pid)
    reopened = AsksBeforeLeaving.reopen(caseload, draft, None)
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
def typed_details(qtbot: QtBot, caseload: Caseload) -> Iterator[tuple[MainWindow, str, str]]:
    """Zoë and Amy, Zoë open on About with a phone number typed and not saved."""
    window, zoe, amy = two_parents_open(qtbot, caseload)
    about = window.workspace.section(AboutSection)
    window.workspace.tabs.setCurrentWidget(about)
    type_into(qtbot, about.edits["phone"], "07700 900123")
    assert window.workspace.has_unsaved_details()
    yield window, zoe, amy
    window.bus.detach()


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
        assert detail(window, "phone") == "07700 900123"
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
    """One real kill -9 of a window with one form of every kind open, each with half a note
    (a half-typed enrolment among them), and half a phone number typed on the About tab."""
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
            assert HALF_PHONE.encode() not in data, file

    caseload = Caseload.open(path, KEY)
    caseload.clock = ticking_clock(TODAY)
    try:
        kept = {d.form: d for d in caseload.drafts()}
        assert set(kept) == {e.form for e in FORMS} | {AboutSection.draft_form}
        for entry in FORMS:
            draft = kept[entry.form]
            assert draft.participant_id == (pid if entry.about_parent else None), entry.form
            assert draft.fields[entry.key] == words_for(entry.form), entry.form
            reopened = AsksBeforeLeaving.reopen(caseload, draft, None)
            assert reopened is not None, entry.form
            qtbot.addWidget(reopened)
            assert box_of(reopened, entry).text() == words_for(entry.form), entry.form  # type: ignore[attr-defined]
            reopened.forget_draft()
        # The About tab's typing: only the field typed in is kept.
        details = kept[AboutSection.draft_form]
        assert (details.participant_id, details.fields) == (pid, {"phone": HALF_PHONE})
        window = make_window(qtbot, caseload)
        assert window.open_draft(details)
        about = window.workspace.section(AboutSection)
        assert window.workspace.tabs.currentWidget() is about
        assert detail(window, "phone") == HALF_PHONE
        assert window.workspace.unsaved_tabs() == ["About"]  # leaving asks
        window.workspace.discard_unsaved()
        assert caseload.drafts() == []
        window.bus.detach()
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
    reopened = AsksBeforeLeaving.reopen(caseload, draft, None)
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


# -- the forms that are not FormDialogs: enrolling, a group session, the About details ----------


def detail(window: MainWindow, key: str) -> str:
    """What one field of the About tab's details holds."""
    edit = window.workspace.section(AboutSection).edits[key]
    assert isinstance(edit, QLineEdit)
    return edit.text()


def test_a_half_typed_enrolment_is_kept_and_forgotten_once_enrolled(
    qtbot: QtBot, caseload: Caseload
) -> None:
    dialog = EnrolDialog(caseload)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    type_into(qtbot, dialog.preferred_name, "Zo")
    qtbot.waitUntil(lambda: bool(caseload.drafts()), timeout=3000)
    [draft] = caseload.drafts()
    assert (draft.form, draft.participant_id) == ("enrol", None)
    assert draft.fields["preferred_name"] == "Zo"
    type_into(qtbot, dialog.preferred_name, "ë", clear=False)
    dialog.locality.setCurrentIndex(1)
    dialog.submit()
    assert not dialog.isVisible()
    assert [p.preferred_name for p in caseload.participants()] == ["Zoë"]
    assert caseload.drafts() == []


def test_a_kept_enrolment_is_offered_back_and_enrols_the_parent(
    qtbot: QtBot, caseload: Caseload
) -> None:
    dialog = EnrolDialog(caseload)
    qtbot.addWidget(dialog)
    dialog.show()
    type_into(qtbot, dialog.full_name, "Zoë Camp")
    type_into(qtbot, dialog.preferred_name, "Zo")
    dialog.put_away()  # as the kill leaves it: the draft, and no dialog
    window = make_window(qtbot, caseload)

    def carry_on(reopened: QDialog) -> None:
        assert isinstance(reopened, EnrolDialog)
        assert (reopened.preferred_name.text(), reopened.full_name.text()) == ("Zo", "Zoë Camp")
        assert reopened.has_changes()  # leaving would ask
        # The cursor waits after the kept words (not all of them selected, to be typed over).
        name = reopened.preferred_name
        qtbot.waitUntil(lambda: name.hasFocus() and not name.hasSelectedText())
        type_into(qtbot, name, "ë", clear=False)
        reopened.locality.setCurrentIndex(1)
        reopened.submit()

    asked = answer_question(qtbot, "Open it")
    with_modal(qtbot, window.offer_drafts, carry_on, kind=EnrolDialog)
    assert "Enrol a new parent" in asked[0]
    [zoe] = caseload.participants()
    assert zoe.full_name == "Zoë Camp"
    assert window.workspace.current_participant_id() == zoe.id  # opened, as after Ctrl+N
    assert caseload.drafts() == []
    window.bus.detach()


def test_a_group_session_keeps_its_ticks_and_is_forgotten_when_saved(
    qtbot: QtBot, caseload: Caseload
) -> None:
    pid = caseload.enrol_participant("Zoë", "glasgow", TODAY).id
    caseload.record_consent(pid, ConsentPurpose.GROUP_REGISTERS, True, on=TODAY)
    dialog = GroupSessionDialog(caseload)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    dialog.attendees.setFocus()
    qtbot.keyClick(dialog.attendees, Qt.Key.Key_Space)
    type_into(qtbot, dialog.activity, "Cook and ch")
    qtbot.waitUntil(lambda: bool(caseload.drafts()), timeout=3000)
    [draft] = caseload.drafts()
    assert draft.form == "group_session"
    assert (draft.fields["activity"], draft.fields["attendees"]) == ("Cook and ch", [pid])

    dialog.put_away()
    reopened = AsksBeforeLeaving.reopen(caseload, caseload.drafts()[0], None)
    assert isinstance(reopened, GroupSessionDialog)
    qtbot.addWidget(reopened)
    assert (reopened.activity.currentText(), reopened.ticked_ids()) == ("Cook and ch", [pid])
    reopened.on.set_date(TODAY)
    reopened.submit()
    assert [s.activity for s in caseload.group_sessions()] == ["Cook and ch"]
    assert caseload.drafts() == []


def reopened_group(qtbot: QtBot, caseload: Caseload, draft: Draft) -> GroupSessionDialog:
    """The group session dialog a draft reopens."""
    reopened = AsksBeforeLeaving.reopen(caseload, draft, None)
    assert isinstance(reopened, GroupSessionDialog)
    qtbot.addWidget(reopened)
    return reopened


def test_a_group_session_corrected_elsewhere_meanwhile_keeps_both_changes(
    qtbot: QtBot, caseload: Caseload
) -> None:
    session = caseload.record_group_session("Cook and chat", on=TODAY, venue="Hall", attendees=[])
    dialog = GroupSessionDialog(caseload, existing=session)
    qtbot.addWidget(dialog)
    dialog.show()
    type_into(qtbot, dialog.venue, "Library")
    dialog.put_away()
    [draft] = caseload.drafts()
    # Meanwhile, on another path: the activity was corrected.
    caseload.correct_group_session(
        session.id, activity="Cook and chat (lunch)", venue="Hall", on=TODAY
    )
    reopened = reopened_group(qtbot, caseload, draft)
    assert reopened.attendees.isHidden()  # who came is changed on each parent's contacts
    assert (reopened.activity.currentText(), reopened.venue.currentText()) == (
        "Cook and chat (lunch)",  # not typed here: as it is now
        "Library",  # typed
    )
    assert reopened.general_error.isHidden()
    assert reopened.has_changes()

    # The venue itself changed meanwhile: the typed words are shown, with a note.
    caseload.correct_group_session(session.id, activity="Cook and chat", venue="Hub", on=TODAY)
    reopened = reopened_group(qtbot, caseload, draft)
    assert reopened.venue.currentText() == "Library"
    assert "changed elsewhere since you typed" in reopened.general_error.text()

    # Removed meanwhile: the draft cannot be opened again.
    caseload.delete_record("groups", session.id)
    assert AsksBeforeLeaving.reopen(caseload, draft, None) is None


def test_a_parent_ticked_in_a_draft_who_is_no_longer_listed_is_left_out_with_a_note(
    qtbot: QtBot, caseload: Caseload
) -> None:
    zoe = caseload.enrol_participant("Zoë", "glasgow", TODAY).id
    amy = caseload.enrol_participant("Amy", "fife", TODAY).id
    for pid in (zoe, amy):
        caseload.record_consent(pid, ConsentPurpose.GROUP_REGISTERS, True, on=TODAY)
    dialog = GroupSessionDialog(caseload)
    qtbot.addWidget(dialog)
    dialog.show()
    for row in range(2):
        dialog.attendees.item(row).setCheckState(Qt.CheckState.Checked)
    dialog.put_away()
    [draft] = caseload.drafts()
    caseload.record_consent(amy, ConsentPurpose.GROUP_REGISTERS, False, on=TODAY)
    reopened = reopened_group(qtbot, caseload, draft)
    assert reopened.ticked_ids() == [zoe]
    assert "1 parent ticked before is no longer listed" in reopened.general_error.text()


def test_a_correction_reopened_keeps_what_was_changed_elsewhere_in_other_fields(
    qtbot: QtBot, caseload: Caseload
) -> None:
    """The same for every correcting form (here a child noted before)."""
    pid = caseload.enrol_participant("Zoë", "glasgow").id
    child = caseload.add_child(pid, 2021, "nursery mornings")
    dialog = ChildDialog(caseload, pid, existing=child)
    qtbot.addWidget(dialog)
    dialog.show()
    type_into(qtbot, dialog.needs, "nursery mornings and after school")
    dialog.put_away()
    [draft] = caseload.drafts()
    caseload.update_record("children", child.id, birth_year=2020)
    reopened = AsksBeforeLeaving.reopen(caseload, draft, None)
    assert isinstance(reopened, ChildDialog)
    qtbot.addWidget(reopened)
    assert reopened.birth_year.text() == "2020"
    assert reopened.needs.text() == "nursery mornings and after school"
    assert reopened.general_error.isHidden()


def test_typed_details_are_kept_a_second_later_and_forgotten_on_save_or_put_back(
    qtbot: QtBot, caseload: Caseload, typed_details: tuple[MainWindow, str, str]
) -> None:
    window, zoe, _amy = typed_details
    qtbot.waitUntil(lambda: bool(caseload.drafts()), timeout=3000)
    [draft] = caseload.drafts()
    assert (draft.form, draft.participant_id) == ("about", zoe)
    assert draft.fields == {"phone": "07700 900123"}  # only what was typed
    about = window.workspace.section(AboutSection)
    about.save_details()
    assert caseload.participant(zoe).phone == "07700 900123"
    assert caseload.drafts() == []

    type_into(qtbot, about.edits["phone"], "0131 496 0000")
    about.keep_draft()
    assert caseload.drafts()
    about.revert()  # Put back as saved
    assert detail(window, "phone") == "07700 900123"
    qtbot.wait(50)
    assert caseload.drafts() == []


def test_discarding_typed_details_when_leaving_the_parent_forgets_the_draft(
    qtbot: QtBot, caseload: Caseload, typed_details: tuple[MainWindow, str, str]
) -> None:
    window, zoe, amy = typed_details
    window.workspace.section(AboutSection).keep_draft()
    assert caseload.drafts()
    answer_question(qtbot, "Discard changes")
    window.open_participant(amy)
    assert window.workspace.current_participant_id() == amy
    assert caseload.drafts() == []
    assert caseload.participant(zoe).phone == ""


@pytest.fixture
def kept_details(
    caseload: Caseload, typed_details: tuple[MainWindow, str, str]
) -> tuple[MainWindow, str, str]:
    """The details typed, kept as a kill leaves them: the draft stays and the window's fields
    are back as saved, with no parent open."""
    window = typed_details[0]
    about = window.workspace.section(AboutSection)
    about.keep_draft()
    [draft] = caseload.drafts()
    about.revert()
    caseload.keep_draft(draft)
    window.open_participant(None)
    return typed_details


def test_kept_details_are_offered_back_on_about_with_the_leave_prompt_armed(
    qtbot: QtBot, caseload: Caseload, kept_details: tuple[MainWindow, str, str]
) -> None:
    window, zoe, amy = kept_details
    window.workspace.tabs.setCurrentIndex(1)  # another tab: the offer goes back to About
    asked = answer_question(qtbot, "Open it")
    window.offer_drafts()
    assert "Details on the About tab" in asked[0]
    assert "(about Zoë)" in asked[0]
    assert window.workspace.current_participant_id() == zoe
    about = window.workspace.section(AboutSection)
    assert window.workspace.tabs.currentWidget() is about
    assert detail(window, "phone") == "07700 900123"
    assert about.details_error.isHidden()  # nothing changed meanwhile: no note
    phone = about.edits["phone"]
    assert isinstance(phone, QLineEdit)
    assert window.focusWidget() is phone  # to carry on typing
    assert (phone.cursorPosition(), phone.hasSelectedText()) == (len(phone.text()), False)

    # Leaving the parent asks; Save keeps the words and forgets the draft.
    asked = answer_question(qtbot, "Save")
    window.open_participant(amy)
    assert asked
    assert "not saved yet" in asked[0]
    assert caseload.participant(zoe).phone == "07700 900123"
    assert caseload.drafts() == []


def test_kept_details_changed_on_another_path_keep_the_typed_words(
    caseload: Caseload, kept_details: tuple[MainWindow, str, str]
) -> None:
    window, zoe, _amy = kept_details
    # Meanwhile (another laptop's merge, the command line): the phone and the email changed.
    caseload.update_participant(zoe, phone="0131 496 0000", email="zoe@example.org")
    assert window.open_draft(caseload.drafts()[0])
    about = window.workspace.section(AboutSection)
    assert detail(window, "phone") == "07700 900123"  # the typed words, not dropped
    assert detail(window, "email") == "zoe@example.org"  # not typed: as saved now
    assert not about.details_error.isHidden()
    assert "phone changed since you typed this" in about.details_error.text()
    assert about.unsaved_fields() == ["phone"]
    # The keyworker decides: Put back as saved shows what is saved now and forgets the words.
    about.revert()
    assert detail(window, "phone") == "0131 496 0000"
    assert caseload.drafts() == []


def test_a_draft_about_a_parent_erased_since_is_dropped_quietly(
    qtbot: QtBot, caseload: Caseload, monkeypatch: pytest.MonkeyPatch
) -> None:
    pid = caseload.enrol_participant("Zoë", "glasgow").id
    draft = half_a_note_put_away(qtbot, caseload, pid)
    caseload.safety.erase_participant(pid, "Zoë")
    caseload.keep_draft(draft)  # kept again by a form still open when the erasure came in
    window = make_window(qtbot, caseload)
    asked: list[str] = []
    monkeypatch.setattr(QMessageBox, "exec", lambda box: asked.append(box.text()))
    window.offer_drafts()
    assert asked == []  # no question about someone who is gone
    assert caseload.drafts() == []
    window.bus.detach()
