"""Never lose a typed word: drafts kept while typing (encrypted, in the caseload) survive a
kill -9 and are offered back; leaving a form or a parent with typed words asks first."""

from __future__ import annotations

import dataclasses
import json
import os
import signal
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import TypeVar

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog, QLineEdit, QMessageBox
from pytestqt.qtbot import QtBot

from journeyapp.caseload import Caseload
from journeyapp.core.drafts import Draft
from journeyapp.core.enums import ConsentPurpose
from journeyapp.store import drafts as store_drafts
from journeyapp.ui.dialogs.enrol_dialog import EnrolDialog
from journeyapp.ui.dialogs.group_sessions import GroupSessionDialog
from journeyapp.ui.main_window import MainWindow
from journeyapp.ui.widgets.forms import AsksBeforeLeaving
from journeyapp.ui.workspace.about import AboutSection, ChildDialog
from journeyapp.ui.workspace.background import BackgroundSection
from journeyapp.ui.workspace.contacts import LogContactDialog
from journeyapp.ui.workspace.section import Section, TypedOnTab
from tests.clock import ticking_clock
from tests.conftest import TODAY
from tests.ui.draft_forms import (
    FORMS,
    HALF_PHONE,
    HALF_STAGE_NOTE,
    DraftForm,
    box_of,
    words_for,
)
from tests.ui.shell_helpers import answer_question, make_window, two_parents_open, with_modal
from tests.ui.workspace_helpers import choose, press_enter, type_into

KEY = "correct horse battery staple"
WORDS = "Half a note about the college open d"
ROOT = Path(__file__).resolve().parents[2]
S = TypeVar("S", bound=Section)


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
            assert HALF_STAGE_NOTE.encode() not in data, file

    caseload = Caseload.open(path, KEY)
    caseload.clock = ticking_clock(TODAY)
    try:
        kept = {d.form: d for d in caseload.drafts()}
        assert set(kept) == {e.form for e in FORMS} | {"about", "stage_note", "background"}
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
        # The stage half chosen, with half of what changed; the Background answer half chosen.
        stage = kept["stage_note"]
        assert (stage.participant_id, stage.fields) == (
            pid,
            {"stage": "getting_connected", "stage_note": HALF_STAGE_NOTE},
        )
        assert window.open_draft(stage)
        assert (about.stage_combo.currentData(), about.stage_note.text()) == (
            "getting_connected",
            HALF_STAGE_NOTE,
        )
        answers = kept["background"]
        assert (answers.participant_id, answers.fields) == (pid, {"lone_parent": "yes"})
        assert window.open_draft(answers)
        background = window.workspace.section(BackgroundSection)
        assert window.workspace.tabs.currentWidget() is background
        assert background.answers["lone_parent"].currentData() == "yes"
        assert window.workspace.unsaved_tabs() == ["About", "Background"]  # leaving asks
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
    kept_as_a_kill_leaves_it(window, window.workspace.section(AboutSection))
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


# -- typing on a tab saved with its own button: the Background answers, the stage note ----------

EQ = ConsentPurpose.EQUALITIES_MONITORING


def on_tab(window: MainWindow, cls: type[S]) -> S:
    """The open parent's tab of class `cls`, shown."""
    section = window.workspace.section(cls)
    window.workspace.tabs.setCurrentWidget(section)
    return section


@pytest.fixture
def chosen_answers(
    qtbot: QtBot, caseload: Caseload
) -> Iterator[tuple[MainWindow, BackgroundSection, str, str]]:
    """Zoë (who agreed to equalities monitoring) and Amy; Zoë open on Background with one
    circumstances answer and one equalities answer chosen, not saved."""
    window, zoe, amy = two_parents_open(qtbot, caseload)
    caseload.record_consent(zoe, EQ, True)
    background = on_tab(window, BackgroundSection)
    choose(qtbot, background.answers["lone_parent"], "Yes")
    choose(qtbot, background.equalities["sex"], "Female")
    assert window.workspace.unsaved_tabs() == ["Background"]
    yield window, background, zoe, amy
    window.workspace.discard_unsaved()  # closing the window would ask
    window.bus.detach()


def test_background_answers_are_kept_a_second_later_and_forgotten_on_save_put_back_or_discard(
    qtbot: QtBot, caseload: Caseload, chosen_answers: tuple[MainWindow, BackgroundSection, str, str]
) -> None:
    window, background, zoe, amy = chosen_answers
    qtbot.waitUntil(lambda: bool(caseload.drafts()), timeout=3000)
    [draft] = caseload.drafts()
    assert (draft.form, draft.participant_id, draft.title) == (
        "background",
        zoe,
        "Answers on the Background tab",
    )
    assert draft.fields == {"lone_parent": "yes", "eq:sex": "female"}  # only what was chosen
    assert draft.context["special"] == ["eq:sex"]  # goes if the consent is withdrawn
    background.save_answers()
    assert caseload.equalities(zoe).sex == "female"  # type: ignore[union-attr]
    assert caseload.drafts() == []

    choose(qtbot, background.answers["lone_parent"], "No")
    background.keep_draft()
    assert caseload.drafts()
    background.revert()  # put back as saved (the leave prompt's Discard does the same)
    assert background.answers["lone_parent"].currentData() == "yes"
    assert caseload.drafts() == []

    choose(qtbot, background.answers["lone_parent"], "No")
    background.keep_draft()
    answer_question(qtbot, "Discard changes")
    window.open_participant(amy)
    assert window.workspace.current_participant_id() == amy
    assert caseload.drafts() == []
    assert caseload.circumstances(zoe).lone_parent == "yes"  # type: ignore[union-attr]


def kept_as_a_kill_leaves_it(window: MainWindow, typing: TypedOnTab) -> Draft:
    """Keep `typing`'s draft now, then leave it as a kill does: the draft stays, the window's
    inputs are back as saved and no parent is open."""
    caseload = window.caseload
    typing.keep_draft()
    [draft] = caseload.drafts()
    typing.revert()
    caseload.keep_draft(draft)
    window.open_participant(None)
    return draft


def test_kept_background_answers_are_offered_back_on_background_with_the_prompt_armed(
    qtbot: QtBot, caseload: Caseload, chosen_answers: tuple[MainWindow, BackgroundSection, str, str]
) -> None:
    window, background, zoe, amy = chosen_answers
    kept_as_a_kill_leaves_it(window, background)
    assert background.answers["lone_parent"].currentData() == ""
    window.workspace.tabs.setCurrentIndex(0)  # About: the offer goes to Background
    asked = answer_question(qtbot, "Open it")
    window.offer_drafts()
    assert "Answers on the Background tab" in asked[0]
    assert "(about Zoë)" in asked[0]
    assert window.workspace.current_participant_id() == zoe
    assert window.workspace.tabs.currentWidget() is background
    assert background.answers["lone_parent"].currentData() == "yes"
    assert background.equalities["sex"].currentData() == "female"
    assert background.error.isHidden()  # nothing changed meanwhile: no note
    assert window.focusWidget() is background.answers["lone_parent"]
    assert window.workspace.unsaved_tabs() == ["Background"]  # leaving asks

    asked = answer_question(qtbot, "Save")
    window.open_participant(amy)
    assert asked
    assert caseload.circumstances(zoe).lone_parent == "yes"  # type: ignore[union-attr]
    assert caseload.equalities(zoe).sex == "female"  # type: ignore[union-attr]
    assert caseload.drafts() == []


def test_withdrawing_equalities_consent_drops_the_equalities_answers_from_drafts_quietly(
    qtbot: QtBot,
    caseload: Caseload,
    chosen_answers: tuple[MainWindow, BackgroundSection, str, str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    window, background, zoe, _amy = chosen_answers
    both = kept_as_a_kill_leaves_it(window, background)
    caseload.set_equalities(zoe, sex="male")  # saved before: "what it said" is kept as well
    caseload.keep_draft(
        dataclasses.replace(both, context={**both.context, "saved": {"eq:sex": "male"}})
    )

    caseload.record_consent(zoe, EQ, False)  # withdrawn before the draft is offered back
    [draft] = caseload.drafts()
    assert draft.fields == {"lone_parent": "yes"}  # the circumstances answer stays
    assert "eq:sex" not in json.dumps(draft.context)
    assert "special" not in draft.context

    # A draft of equalities answers only goes altogether, even one a form still open kept
    # again after the withdrawal: no question about it at the next start.
    only = dataclasses.replace(both, fields={"eq:sex": "female"})
    caseload.keep_draft(only)
    caseload.record_consent(zoe, EQ, True)
    caseload.record_consent(zoe, EQ, False)
    assert caseload.drafts() == []
    caseload.keep_draft(only)
    asked: list[str] = []
    monkeypatch.setattr(QMessageBox, "exec", lambda box: asked.append(box.text()))
    window.offer_drafts()
    assert asked == []
    assert caseload.drafts() == []
    assert caseload.equalities(zoe) is None


def test_a_kept_equalities_answer_is_not_put_back_without_the_consent(
    qtbot: QtBot,
    caseload: Caseload,
    chosen_answers: tuple[MainWindow, BackgroundSection, str, str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The window's own guard, whatever the caseload kept: without the consent now, the
    equalities answers in a draft are not put back (the questions are not even shown)."""
    window, background, zoe, _amy = chosen_answers
    draft = kept_as_a_kill_leaves_it(window, background)
    monkeypatch.setattr(store_drafts, "forget_special", lambda *args: None)  # not tidied
    caseload.record_consent(zoe, EQ, False)
    assert window.open_draft(draft)
    assert background.answers["lone_parent"].currentData() == "yes"
    assert background.equalities["sex"].currentData() == ""
    assert not background.equalities_box.isVisibleTo(window)
    background.keep_draft()
    [again] = caseload.drafts()
    assert again.fields == {"lone_parent": "yes"}
    background.revert()


@pytest.fixture
def typed_stage_note(qtbot: QtBot, caseload: Caseload) -> Iterator[tuple[MainWindow, str, str]]:
    """Zoë and Amy, Zoë open on About with a stage chosen and what changed half typed."""
    window, zoe, amy = two_parents_open(qtbot, caseload)
    about = on_tab(window, AboutSection)
    choose(qtbot, about.stage_combo, "Getting connected")
    type_into(qtbot, about.stage_note, "Started the Tuesday gr")
    assert window.workspace.unsaved_tabs() == ["About"]
    yield window, zoe, amy
    window.workspace.discard_unsaved()  # closing the window would ask
    window.bus.detach()


def test_a_stage_note_is_kept_a_second_later_and_forgotten_on_moving_clearing_or_discard(
    qtbot: QtBot, caseload: Caseload, typed_stage_note: tuple[MainWindow, str, str]
) -> None:
    window, zoe, amy = typed_stage_note
    about = window.workspace.section(AboutSection)
    qtbot.waitUntil(lambda: bool(caseload.drafts()), timeout=3000)
    [draft] = caseload.drafts()
    assert (draft.form, draft.participant_id) == ("stage_note", zoe)
    assert draft.fields == {"stage": "getting_connected", "stage_note": "Started the Tuesday gr"}
    assert about.unsaved_fields() == []  # the details are untouched
    type_into(qtbot, about.stage_note, "oup", clear=False)
    press_enter(qtbot, about.stage_note)  # Move to this stage
    [move] = [s for s in caseload.journey(zoe).stages if s.stage == "getting_connected"]
    assert move.note == "Started the Tuesday group"
    assert about.stage_note.text() == ""
    assert caseload.drafts() == []
    assert window.workspace.unsaved_tabs() == []

    # Cleared by hand: nothing left to keep, the draft goes.
    type_into(qtbot, about.stage_note, "Half")
    about.stage.keep_draft()
    assert caseload.drafts()
    type_into(qtbot, about.stage_note, "")
    about.stage.keep_draft()
    assert caseload.drafts() == []

    # Discard when leaving the parent.
    type_into(qtbot, about.stage_note, "Half")
    about.stage.keep_draft()
    answer_question(qtbot, "Discard changes")
    window.open_participant(amy)
    assert window.workspace.current_participant_id() == amy
    assert about.stage_note.text() == ""  # not carried over to Amy
    assert caseload.drafts() == []


@pytest.fixture
def kept_stage_note(
    typed_stage_note: tuple[MainWindow, str, str],
) -> tuple[MainWindow, AboutSection, Draft]:
    """The stage note typed, kept as a kill leaves it: (window, About tab, the draft)."""
    window = typed_stage_note[0]
    about = window.workspace.section(AboutSection)
    return window, about, kept_as_a_kill_leaves_it(window, about.stage)


def test_a_kept_stage_note_is_offered_back_on_about_with_the_prompt_armed(
    qtbot: QtBot,
    caseload: Caseload,
    typed_stage_note: tuple[MainWindow, str, str],
    kept_stage_note: tuple[MainWindow, AboutSection, Draft],
) -> None:
    window, zoe, amy = typed_stage_note
    about = kept_stage_note[1]
    window.workspace.tabs.setCurrentIndex(1)  # another tab: the offer goes back to About
    asked = answer_question(qtbot, "Open it")
    window.offer_drafts()
    assert "What changed, beside Move to this stage" in asked[0]
    assert window.workspace.current_participant_id() == zoe
    assert window.workspace.tabs.currentWidget() is about
    assert about.stage_combo.currentData() == "getting_connected"
    assert about.stage_note.text() == "Started the Tuesday gr"
    assert about.stage_error.isHidden()
    note = about.stage_note
    assert window.focusWidget() is note  # to carry on typing
    assert (note.cursorPosition(), note.hasSelectedText()) == (len(note.text()), False)
    assert window.workspace.unsaved_tabs() == ["About"]  # leaving asks

    asked = answer_question(qtbot, "Save")
    window.open_participant(amy)
    assert asked
    assert caseload.participant(zoe).stage == "getting_connected"
    assert caseload.journey(zoe).stages[-1].note == "Started the Tuesday gr"
    assert caseload.drafts() == []


def test_a_kept_stage_note_after_the_stage_moved_elsewhere_says_so(
    caseload: Caseload, kept_stage_note: tuple[MainWindow, AboutSection, Draft]
) -> None:
    window, about, draft = kept_stage_note
    zoe = draft.participant_id
    assert zoe is not None
    caseload.set_stage(zoe, "building_confidence", note="On another laptop")
    assert window.open_draft(draft)
    assert about.stage_combo.currentData() == "getting_connected"  # what was chosen
    assert "saved stage changed since you typed this" in about.stage_error.text()
    about.stage.revert()
    assert about.stage_combo.currentData() == "building_confidence"
    assert caseload.drafts() == []


@pytest.mark.parametrize("how", ["clicked", "Enter"])
def test_go_back_puts_the_keyboard_back_on_the_typed_details(
    qtbot: QtBot, caseload: Caseload, typed_details: tuple[MainWindow, str, str], how: str
) -> None:
    """Another parent clicked (or Enter on their row) with a phone number half typed, then "Go
    back": the next key carries on in the phone box. It stayed on the list, where the keys
    went to finding a name."""
    window, zoe, amy = typed_details
    about = window.workspace.section(AboutSection)
    window.panel.table.setFocus()  # where the click or the arrow keys put it
    asked = answer_question(qtbot, "Go back")
    panel = window.panel
    row = panel.model.index(panel.model.row_of(amy), 0)
    if panel.table.model() is panel.proxy:
        row = panel.proxy.mapFromSource(row)
    if how == "clicked":
        qtbot.mouseClick(
            panel.table.viewport(),
            Qt.MouseButton.LeftButton,
            pos=panel.table.visualRect(row).center(),
        )
    else:
        window._open_and_focus(amy)  # Enter on Amy's row
    try:
        assert asked
        assert window.workspace.current_participant_id() == zoe
        assert window.focusWidget() is about.edits["phone"]
        qtbot.keyClicks(window.focusWidget(), "4")
        assert detail(window, "phone") == "07700 9001234"
    finally:
        about.revert()  # nothing left to ask about when the window closes
