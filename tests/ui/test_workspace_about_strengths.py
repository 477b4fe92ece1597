"""About, Strengths and Feedback tabs: details with messages beside the field, consent, children,
strengths listed first, "you said, we did"."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QDialog, QLineEdit, QScrollArea
from pytestqt.qtbot import QtBot

from journeyapp.caseload import Caseload
from journeyapp.core.enums import ConsentPurpose, Destination, StrengthOrBarrier
from journeyapp.core.records import Participant
from journeyapp.ui.change_bus import ChangeBus
from journeyapp.ui.main_window import MainWindow
from journeyapp.ui.workspace import ParticipantWorkspace
from journeyapp.ui.workspace.about import AboutSection, ChildDialog, ConsentDialog
from journeyapp.ui.workspace.feedback import FeedbackDialog, FeedbackSection
from journeyapp.ui.workspace.strengths import StrengthDialog, StrengthsSection
from tests.conftest import TODAY
from tests.ui.workspace_helpers import (
    Opened,
    choose,
    in_dialog,
    press_enter,
    type_into,
)


def edit(about: AboutSection, key: str) -> QLineEdit:
    widget = about.edits[key]
    assert isinstance(widget, QLineEdit)
    return widget


def test_edit_details(qtbot: QtBot, opened: Opened) -> None:
    about = opened.tab(AboutSection)
    type_into(qtbot, edit(about, "full_name"), "Zoë McAllister")
    type_into(qtbot, edit(about, "date_of_birth"), "14/02/1994")
    type_into(qtbot, edit(about, "phone"), "07700 900123")
    choose(qtbot, about.destination, "Training or education")
    qtbot.mouseClick(about.save_button, Qt.MouseButton.LeftButton)
    p = opened.caseload.participant(opened.pid)
    assert (p.full_name, p.date_of_birth, p.phone, p.destination) == (
        "Zoë McAllister",
        date(1994, 2, 14),
        "07700 900123",
        Destination.TRAINING_EDUCATION,
    )
    assert edit(about, "date_of_birth").text() == "14/02/1994"


def test_a_future_date_of_birth_is_explained_beside_it_and_kept(
    qtbot: QtBot, opened: Opened
) -> None:
    about = opened.tab(AboutSection)
    type_into(qtbot, edit(about, "phone"), "07700 900999")
    type_into(qtbot, edit(about, "date_of_birth"), "01/01/2030")
    press_enter(qtbot, edit(about, "date_of_birth"))
    error = about.errors["date_of_birth"]
    assert error.isVisibleTo(about)
    assert "The date of birth, 1 Jan 2030, is after today (28 Nov 2026)" in error.text()
    assert edit(about, "date_of_birth").text() == "01/01/2030"
    assert edit(about, "phone").text() == "07700 900999"
    assert opened.caseload.participant(opened.pid).phone == ""
    assert about.focusWidget() is edit(about, "date_of_birth")
    type_into(qtbot, edit(about, "email"), "not-an-email")
    type_into(qtbot, edit(about, "date_of_birth"), "")
    press_enter(qtbot, edit(about, "email"))
    assert not about.errors["date_of_birth"].isVisibleTo(about)
    assert "does not look like an email" in about.errors["email"].text()
    type_into(qtbot, edit(about, "email"), "zoe@example.org")
    press_enter(qtbot, edit(about, "email"))
    p = opened.caseload.participant(opened.pid)
    assert (p.phone, p.email, p.date_of_birth) == ("07700 900999", "zoe@example.org", None)


@pytest.mark.parametrize(
    ("typed", "words"),
    [
        ("01/03/2019", "The date of birth, 1 Mar 2019, makes them 7 on the day they joined"),
        ("01/03/1926", "makes them 100 on the day they joined (28 Nov 2026)"),
        ("01/03/1926", "check the year (did you mean 1 Mar 1962?), or leave it empty"),
    ],
)
def test_a_date_of_birth_no_parent_can_have_is_explained_beside_it(
    qtbot: QtBot, opened: Opened, typed: str, words: str
) -> None:
    about = opened.tab(AboutSection)
    type_into(qtbot, edit(about, "phone"), "07700 900999")
    type_into(qtbot, edit(about, "date_of_birth"), typed)
    press_enter(qtbot, edit(about, "date_of_birth"))
    error = about.errors["date_of_birth"]
    assert error.isVisibleTo(about)
    assert words in error.text()
    assert edit(about, "date_of_birth").text() == typed  # what was typed stays
    p = opened.caseload.participant(opened.pid)
    assert (p.phone, p.date_of_birth) == ("", None)  # nothing saved


def test_a_date_of_birth_held_out_of_bounds_is_shown_and_the_rest_can_change(
    qtbot: QtBot, caseload: Caseload
) -> None:
    """A parent recorded before the rule (or on another laptop) with a date of birth that
    would be refused if typed now opens with it shown, and their other details still save."""
    held = Participant(
        preferred_name="Aggie",
        locality="fife",
        joined_on=TODAY - timedelta(days=40),
        date_of_birth=date(2019, 3, 1),
    )
    caseload.add_records([held])
    bus = ChangeBus(caseload)
    workspace = ParticipantWorkspace(caseload, bus)
    qtbot.addWidget(workspace)
    workspace.show()
    workspace.show_participant(held.id)
    try:
        about = workspace.section(AboutSection)
        workspace.tabs.setCurrentWidget(about)
        assert edit(about, "date_of_birth").text() == "01/03/2019"
        type_into(qtbot, edit(about, "phone"), "07700 900321")
        qtbot.mouseClick(about.save_button, Qt.MouseButton.LeftButton)
        assert not about.errors["date_of_birth"].isVisibleTo(about)
        p = caseload.participant(held.id)
        assert (p.phone, p.date_of_birth) == ("07700 900321", date(2019, 3, 1))
    finally:
        bus.detach()


def test_consent_and_children(qtbot: QtBot, opened: Opened) -> None:
    about = opened.tab(AboutSection)
    assert about.consent_labels[ConsentPurpose.GROUP_REGISTERS].text() == "Not asked yet"

    def consent(dialog: QDialog) -> None:
        assert isinstance(dialog, ConsentDialog)
        type_into(qtbot, dialog.how, "Signed form")
        press_enter(qtbot, dialog.how)

    about.consent_buttons[ConsentPurpose.GROUP_REGISTERS].setFocus()
    in_dialog(
        qtbot,
        lambda: qtbot.keyClick(
            about.consent_buttons[ConsentPurpose.GROUP_REGISTERS], Qt.Key.Key_Space
        ),
        consent,
    )
    assert opened.caseload.has_consent(opened.pid, ConsentPurpose.GROUP_REGISTERS)
    assert about.consent_labels[ConsentPurpose.GROUP_REGISTERS].text() == (
        "✓ Given on 28 Nov 2026 (Signed form)"
    )

    def child(dialog: QDialog) -> None:
        assert isinstance(dialog, ChildDialog)
        type_into(qtbot, dialog.birth_year, "twenty")
        press_enter(qtbot, dialog.birth_year)
        assert "is not an age or a year" in dialog.errors["birth_year"].text()
        type_into(qtbot, dialog.birth_year, "2021")
        type_into(qtbot, dialog.needs, "Nursery mornings")
        press_enter(qtbot, dialog.needs)

    in_dialog(
        qtbot, lambda: qtbot.mouseClick(about.add_child_button, Qt.MouseButton.LeftButton), child
    )
    (kid,) = opened.caseload.journey(opened.pid).children
    assert (kid.birth_year, kid.childcare_needs) == (2021, "Nursery mornings")


def test_strengths_are_listed_first(qtbot: QtBot, opened: Opened) -> None:
    section = opened.tab(StrengthsSection)

    def add(button_kind: StrengthOrBarrier, words: str) -> None:
        def fill(dialog: QDialog) -> None:
            assert isinstance(dialog, StrengthDialog)
            assert dialog.kind is button_kind
            type_into(qtbot, dialog.words, words)
            press_enter(qtbot, dialog.words)

        button = (
            section.add_strength_button
            if button_kind is StrengthOrBarrier.STRENGTH
            else section.add_barrier_button
        )
        in_dialog(qtbot, lambda: qtbot.mouseClick(button, Qt.MouseButton.LeftButton), fill)

    add(StrengthOrBarrier.BARRIER, "Buses are hard with the pram")
    add(StrengthOrBarrier.STRENGTH, "Good with people")
    kinds = [s.kind for s in opened.caseload.journey(opened.pid).strengths]
    assert kinds == [StrengthOrBarrier.STRENGTH, StrengthOrBarrier.BARRIER]
    assert section.texts() == ["Good with people", "Buses are hard with the pram"]


def test_you_said_we_did(qtbot: QtBot, opened: Opened) -> None:
    section = opened.tab(FeedbackSection)

    def add(dialog: QDialog) -> None:
        assert isinstance(dialog, FeedbackDialog)
        type_into(qtbot, dialog.said, "Mornings are hard with the school run")
        press_enter(qtbot, dialog.said)

    in_dialog(qtbot, lambda: qtbot.mouseClick(section.add_button, Qt.MouseButton.LeftButton), add)
    (item,) = opened.caseload.journey(opened.pid).feedback
    assert (item.said, item.we_did) == ("Mornings are hard with the school run", "")

    def changed(dialog: QDialog) -> None:
        assert isinstance(dialog, FeedbackDialog)
        type_into(qtbot, dialog.we_did, "Moved the group to 11am")
        press_enter(qtbot, dialog.we_did)

    in_dialog(qtbot, lambda: section.edit(item), changed)
    (item,) = opened.caseload.journey(opened.pid).feedback
    assert item.we_did == "Moved the group to 11am"
    assert section.texts() == [
        "You said: Mornings are hard with the school run",
        "We did: Moved the group to 11am",
    ]


def test_typing_survives_another_change_and_can_be_put_back(qtbot: QtBot, opened: Opened) -> None:
    about = opened.tab(AboutSection)
    type_into(qtbot, edit(about, "phone"), "07700 900555")
    choose(qtbot, about.destination, "Volunteering")
    opened.caseload.log_contact(opened.pid)  # e.g. Ctrl+L while the details are half typed
    assert opened.workspace.journey() is not None
    assert len(opened.workspace.journey().contacts) == 1  # type: ignore[union-attr]
    assert edit(about, "phone").text() == "07700 900555"
    assert about.destination.currentText() == "Volunteering"
    assert opened.workspace.has_unsaved_details()
    qtbot.mouseClick(about.revert_button, Qt.MouseButton.LeftButton)
    assert edit(about, "phone").text() == ""
    assert about.destination.currentText() == "Not decided yet"
    assert not opened.workspace.has_unsaved_details()


def test_no_section_scrolls_sideways_beside_the_list_on_a_laptop(
    qtbot: QtBot, demo_window: MainWindow
) -> None:
    """At 1366 wide the list and the workspace share the window: every section's page fits its
    width (About's stage row was wider, so the page scrolled sideways and "Move to this stage"
    was cut off at its right edge)."""
    window = demo_window
    window.resize(1366, 728)
    first = window.caseload.participants()[0].id
    window.panel.select(first)
    window.open_participant(first)
    workspace = window.workspace
    for section in workspace.sections:
        workspace.tabs.setCurrentWidget(section)
        QApplication.processEvents()
        for area in section.findChildren(QScrollArea):
            inner = area.widget()
            if inner is None or not area.isVisibleTo(section):
                continue
            width = inner.minimumSizeHint().width()
            assert width <= area.viewport().width(), (type(section).__name__, width)


def test_a_stage_note_at_the_same_stage_is_not_saved_and_says_why(
    qtbot: QtBot, opened: Opened
) -> None:
    """Leaving with a note typed but the stage unchanged: Save cannot move the parent to where
    they are, so nothing is saved, the words stay, and the tab says what to do; Discard
    leaves nothing unsaved."""
    about = opened.tab(AboutSection)
    stage_before = opened.caseload.participant(opened.pid).stage
    type_into(qtbot, about.stage_note, "Went to the coffee morning on her own")
    assert "About" in opened.workspace.unsaved_tabs()
    assert not opened.workspace.save_unsaved()  # stays: the question's Save did not leave
    assert about.stage_note.text() == "Went to the coffee morning on her own"
    assert "already at that stage" in about.stage.note_label.text()
    assert opened.caseload.participant(opened.pid).stage == stage_before
    opened.workspace.discard_unsaved()
    assert not opened.workspace.has_unsaved_details()
    assert about.stage_note.text() == ""


def test_a_refused_save_does_not_leave_saved_in_the_status_bar(
    qtbot: QtBot, window: MainWindow
) -> None:
    """The status bar said "Saved: details" from the save before, under a refused one (a date
    of birth that is not a date): a keyworker glancing down read the refused save as done. It
    now says nothing was saved, and the stored details are as they were."""
    caseload = window.caseload
    pid = caseload.enrol_participant("Oksana", "fife").id
    window.panel.select(pid)
    window.open_participant(pid)
    about = window.workspace.section(AboutSection)
    window.workspace.tabs.setCurrentWidget(about)
    type_into(qtbot, edit(about, "phone"), "07700 900123")
    qtbot.mouseClick(about.save_button, Qt.MouseButton.LeftButton)
    assert window.statusBar().currentMessage() == "Saved: details"
    before = caseload.participant(pid)
    type_into(qtbot, edit(about, "full_name"), "Oksana Kowalczyk-Шевченко")
    type_into(qtbot, edit(about, "date_of_birth"), "31/02/2020")
    qtbot.mouseClick(about.save_button, Qt.MouseButton.LeftButton)
    try:
        message = window.statusBar().currentMessage()
        assert message.startswith("Not saved"), message
        assert "put right" in message
        assert caseload.participant(pid) == before
        # The words typed stay to be put right.
        assert edit(about, "full_name").text() == "Oksana Kowalczyk-Шевченко"
        assert edit(about, "date_of_birth").text() == "31/02/2020"
    finally:
        # Closing the window would ask what to do with the words typed.
        window.workspace.discard_unsaved()
