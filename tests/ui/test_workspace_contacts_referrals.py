"""Contacts and Referrals tabs: Ctrl+L with its defaults; a future date explained beside the field; refer."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QDialog
from pytestqt.qtbot import QtBot

from journeyapp.caseload import Caseload
from journeyapp.core.enums import ReferralOutcome
from journeyapp.ui.workspace.contacts import ContactsSection, LogContactDialog
from journeyapp.ui.workspace.referrals import ReferDialog, ReferralsSection
from tests.ui.shell_helpers import answer_question
from tests.ui.workspace_helpers import (
    Opened,
    choose,
    in_dialog,
    opened_workspace,
    press_enter,
    type_into,
)


@pytest.fixture
def opened(qtbot: QtBot, caseload: Caseload) -> Iterator[Opened]:
    with opened_workspace(qtbot, caseload) as o:
        # The main window binds Ctrl+L to log_contact(); bind it the same way here.
        action = QAction("Log contact", o.workspace)
        action.setShortcut(QKeySequence("Ctrl+L"))
        action.triggered.connect(o.workspace.log_contact)
        o.workspace.addAction(action)
        yield o


def test_ctrl_l_logs_a_contact_with_the_defaults(qtbot: QtBot, opened: Opened) -> None:
    opened.caseload.log_contact(opened.pid, "home_visit", on=date(2026, 11, 2), venue="Family hub")
    section = opened.tab(ContactsSection)
    opened.workspace.activateWindow()
    seen: dict[str, object] = {}

    def fill(dialog: QDialog) -> None:
        assert isinstance(dialog, LogContactDialog)
        seen.update(
            on=dialog.on.text(),
            kind=dialog.kind.currentText(),
            venue=dialog.venue.text(),
            minutes=dialog.minutes.value(),
            note_first=dialog.focusWidget() is dialog.note,
        )
        qtbot.keyClicks(dialog.note, "Talked about the college open day")
        type_into(qtbot, dialog.next_step, "Zoë phones the college")
        dialog.childcare_needed.setFocus()
        qtbot.keyClick(dialog.childcare_needed, Qt.Key.Key_Space)
        press_enter(qtbot, dialog.next_step)

    in_dialog(
        qtbot,
        lambda: qtbot.keyClick(section.view, Qt.Key.Key_L, Qt.KeyboardModifier.ControlModifier),
        fill,
    )
    assert seen == {
        "on": "28/11/2026",
        "kind": "Home visit",  # remembered from the last contact, like the venue
        "venue": "Family hub",
        "minutes": 30,
        "note_first": True,  # Ctrl+L, type the note, Enter
    }
    latest = max(opened.caseload.journey(opened.pid).contacts, key=lambda c: c.on)
    assert (latest.on, latest.kind, latest.venue, latest.minutes) == (
        date(2026, 11, 28),
        "home_visit",
        "Family hub",
        30,
    )
    assert latest.note == "Talked about the college open day"
    assert latest.next_step == "Zoë phones the college"
    assert latest.childcare_needed
    assert not latest.childcare_arranged
    assert section.model.records()[0].id == latest.id
    assert section.summary.text().startswith("2 contacts")


def test_a_future_date_is_explained_beside_the_field_and_the_typing_kept(
    qtbot: QtBot, opened: Opened
) -> None:
    seen: dict[str, object] = {}

    def fill(dialog: QDialog) -> None:
        assert isinstance(dialog, LogContactDialog)
        type_into(qtbot, dialog.note, "Went through the budget")
        type_into(qtbot, dialog.on, "05/12/2026")
        press_enter(qtbot, dialog.on)
        seen.update(
            visible=dialog.isVisible(),
            message=dialog.errors["on"].text(),
            shown=dialog.errors["on"].isVisibleTo(dialog),
            note=dialog.note.text(),
            on=dialog.on.text(),
            focus=dialog.focusWidget() in (dialog.on, dialog.on.edit),
        )
        type_into(qtbot, dialog.on, "not a date")
        press_enter(qtbot, dialog.on)
        seen["second"] = dialog.errors["on"].text()
        type_into(qtbot, dialog.on, "27/11/2026")
        press_enter(qtbot, dialog.on)
        seen["closed"] = not dialog.isVisible()

    in_dialog(qtbot, opened.workspace.log_contact, fill)
    assert seen["visible"]
    assert seen["shown"]
    assert "The day of the contact, 5 Dec 2026, is after today (28 Nov 2026)" in str(
        seen["message"]
    )
    assert seen["note"] == "Went through the budget"
    assert seen["on"] == "05/12/2026"
    assert seen["focus"]
    assert "is not a date" in str(seen["second"])
    assert seen["closed"]
    (contact,) = opened.caseload.journey(opened.pid).contacts
    assert (contact.on, contact.note) == (date(2026, 11, 27), "Went through the budget")


def test_escape_asks_before_typed_words_go_and_discard_cancels(
    qtbot: QtBot, opened: Opened
) -> None:
    asked: list[str] = []

    def fill(dialog: QDialog) -> None:
        type_into(qtbot, dialog.note, "never mind")  # type: ignore[attr-defined]
        asked.extend(answer_question(qtbot, "Discard changes"))
        qtbot.keyClick(dialog.note, Qt.Key.Key_Escape)  # type: ignore[attr-defined]
        qtbot.waitUntil(lambda: not dialog.isVisible())
        asked.append("closed")

    in_dialog(qtbot, opened.workspace.log_contact, fill)
    qtbot.waitUntil(lambda: "closed" in asked)
    assert opened.caseload.journey(opened.pid).contacts == ()
    assert opened.caseload.drafts() == []


def test_escape_on_an_untouched_dialog_closes_it_without_a_question(
    qtbot: QtBot, opened: Opened
) -> None:
    def fill(dialog: QDialog) -> None:
        qtbot.keyClick(dialog.note, Qt.Key.Key_Escape)  # type: ignore[attr-defined]

    in_dialog(qtbot, opened.workspace.log_contact, fill)
    assert opened.caseload.journey(opened.pid).contacts == ()


def test_refer_and_set_the_outcome(qtbot: QtBot, opened: Opened) -> None:
    section = opened.tab(ReferralsSection)

    def fill(dialog: QDialog) -> None:
        assert isinstance(dialog, ReferDialog)
        type_into(qtbot, dialog.to.lineEdit(), "Citizens Advice")
        choose(qtbot, dialog.service, "Money and debt advice")
        type_into(qtbot, dialog.reason, "Help with the council tax")
        press_enter(qtbot, dialog.reason)

    in_dialog(
        qtbot, lambda: qtbot.mouseClick(section.refer_button, Qt.MouseButton.LeftButton), fill
    )
    (referral,) = opened.caseload.journey(opened.pid).referrals
    assert (referral.to, referral.service, referral.reason, referral.on, referral.outcome) == (
        "Citizens Advice",
        "money_advice",
        "Help with the council tax",
        opened.caseload.today(),
        ReferralOutcome.WAITING,
    )
    row = section.rows[0]
    assert row.outcome.currentText() == "Waiting"
    choose(qtbot, row.outcome, "Attended")
    assert opened.caseload.journey(opened.pid).referrals[0].outcome is ReferralOutcome.ATTENDED
    choose(qtbot, section.rows[0].outcome, "Didn't go")
    assert (
        opened.caseload.journey(opened.pid).referrals[0].outcome is ReferralOutcome.DID_NOT_ATTEND
    )
    assert section.rows[0].outcome.currentText() == "Didn't go"


def test_a_referral_needs_someone_to_refer_to(qtbot: QtBot, opened: Opened) -> None:
    section = opened.tab(ReferralsSection)
    seen: list[str] = []

    def fill(dialog: QDialog) -> None:
        assert isinstance(dialog, ReferDialog)
        type_into(qtbot, dialog.reason, "Help with forms")
        press_enter(qtbot, dialog.reason)
        seen.append(dialog.errors["to"].text())
        assert dialog.reason.text() == "Help with forms"
        QDialog.reject(dialog)  # close without the unsaved-changes question

    in_dialog(
        qtbot, lambda: qtbot.mouseClick(section.refer_button, Qt.MouseButton.LeftButton), fill
    )
    assert "Say who the referral is to" in seen[0]


def test_the_summary_counts_one_contact_as_one(qtbot: QtBot, opened: Opened) -> None:
    """It said "1 contacts, 30 min in all"."""
    opened.caseload.log_contact(opened.pid, "one_to_one", on=date(2026, 11, 2), minutes=30)
    section = opened.tab(ContactsSection)
    assert section.summary.text().startswith("1 contact, 30 min in all;")
    opened.caseload.log_contact(opened.pid, "one_to_one", on=date(2026, 11, 3), minutes=45)
    assert section.summary.text().startswith("2 contacts, 1 h 15 min in all;")
