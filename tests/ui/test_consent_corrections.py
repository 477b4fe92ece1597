"""Putting a consent right keeps what was not corrected: opened on a consent (Enter on its row),
the form shows the day it was given; correcting how it was recorded keeps that day (it became
today), and correcting the day saves it (it saved nothing). Recording a change of consent is
still dated today unless another day is typed."""

from __future__ import annotations

from datetime import date
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog
from pytestqt.qtbot import QtBot

from journeyapp.caseload import Caseload
from journeyapp.core.enums import ConsentPurpose
from journeyapp.core.records import Consent
from journeyapp.ui.workspace.about import AboutSection, ConsentDialog
from tests.ui.test_record_corrections import _widget_for
from tests.ui.workspace_helpers import Opened, in_dialog, opened_workspace, press_enter, type_into

GIVEN_ON = date(2026, 11, 3)


def _correct(qtbot: QtBot, o: Opened, consent: Consent, change: Any) -> dict[str, str]:
    """Enter on the consent's row, `change(dialog)`, Enter to save; what the form showed."""
    section = o.tab(AboutSection)
    o.workspace.show_participant(o.pid)
    widget = _widget_for(section, o.caseload.record("consents", consent.id))
    widget.setFocus()
    seen: dict[str, str] = {}

    def fill(dialog: QDialog) -> None:
        assert isinstance(dialog, ConsentDialog)
        seen["on"] = dialog.on.text()
        change(dialog)
        press_enter(qtbot, dialog.how)
        if dialog.isVisible():
            QDialog.reject(dialog)
            raise AssertionError("the correction was not saved")

    in_dialog(qtbot, lambda: qtbot.keyClick(widget, Qt.Key.Key_Return), fill)
    return seen


def test_correcting_how_a_consent_was_recorded_keeps_its_day_and_the_day_can_be_corrected(
    qtbot: QtBot, caseload: Caseload
) -> None:
    with opened_workspace(qtbot, caseload) as o:
        c = o.caseload
        c.update_participant(o.pid, joined_on=date(2026, 1, 5))
        consent = c.record_consent(
            o.pid, ConsentPurpose.REFERRALS, True, on=GIVEN_ON, how_recorded="sined form"
        )
        seen = _correct(qtbot, o, consent, lambda d: type_into(qtbot, d.how, "Signed form"))
        assert seen["on"] == "03/11/2026"
        fixed = c.record("consents", consent.id)
        assert (fixed.on, fixed.how_recorded) == (GIVEN_ON, "Signed form")  # type: ignore[attr-defined]

        _correct(qtbot, o, consent, lambda d: d.on.set_date(date(2026, 11, 1)))
        assert c.record("consents", consent.id).on == date(2026, 11, 1)  # type: ignore[attr-defined]
        assert c.can_undo
        c.undo()
        assert c.record("consents", consent.id).on == GIVEN_ON  # type: ignore[attr-defined]


def test_recording_a_change_of_consent_is_dated_today_and_others_keep_their_days(
    qtbot: QtBot, caseload: Caseload
) -> None:
    pid = caseload.enrol_participant("Zoë", "glasgow", joined_on=date(2026, 1, 5)).id
    referrals = caseload.record_consent(
        pid, ConsentPurpose.REFERRALS, True, on=GIVEN_ON, how_recorded="form"
    )
    quotes = caseload.record_consent(
        pid, ConsentPurpose.EVALUATION_QUOTES, True, on=GIVEN_ON, how_recorded="phon"
    )
    consents = caseload.journey(pid).consents
    dialog = ConsentDialog(caseload, pid, ConsentPurpose.REFERRALS, referrals, consents=consents)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    assert dialog.on.text() == caseload.today().strftime("%d/%m/%Y")
    dialog.given.setCurrentIndex(dialog.given.findData("no"))
    dialog.hows[ConsentPurpose.EVALUATION_QUOTES].setText("phone")
    dialog._try_save()
    assert not dialog.isVisible()
    withdrawn = caseload.record("consents", referrals.id)
    assert (withdrawn.given, withdrawn.on) == (False, caseload.today())  # type: ignore[attr-defined]
    worded = caseload.record("consents", quotes.id)
    assert (worded.how_recorded, worded.on) == ("phone", GIVEN_ON)  # type: ignore[attr-defined]
