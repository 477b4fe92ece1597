"""A window left open overnight (locked, the lid shut) or whose clock is set right: its "today"
stayed the day it opened, so This week, the list's check-ins due and the open parent's next
check-in went on counting from yesterday. Now the window notices the day has moved on (it asks
once a minute) and works them out again, leaving typed details as typed."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from PySide6.QtWidgets import QLineEdit
from pytestqt.qtbot import QtBot

from journeyapp.caseload import Caseload
from journeyapp.core.dates import long_date
from journeyapp.ui.workspace.about import AboutSection
from tests.conftest import TODAY
from tests.ui.shell_helpers import make_window
from tests.ui.workspace_helpers import type_into


def test_the_window_catches_up_with_a_new_day(qtbot: QtBot, caseload: Caseload) -> None:
    now = {"at": datetime(TODAY.year, TODAY.month, TODAY.day, 16, tzinfo=UTC)}
    caseload.clock = lambda: now["at"]
    zoe = caseload.enrol_participant("Zoë", "glasgow", joined_on=TODAY).id
    caseload.log_contact(zoe, on=TODAY)
    window = make_window(qtbot, caseload)
    try:
        assert window.day_timer.isActive()  # it asks by itself
        window.panel.select(zoe)
        window.open_participant(zoe)
        about = window.workspace.section(AboutSection)
        window.workspace.tabs.setCurrentWidget(about)
        phone = about.edits["phone"]
        assert isinstance(phone, QLineEdit)
        type_into(qtbot, phone, "07700 900123")
        week = window.workspace.this_week
        assert f"{long_date(TODAY)}," in week.dates.text()
        assert "0 check-ins due" in window.panel.count_label.text()
        checkin = window.workspace.header.checkin_label.text()
        # A month on, the window still open: asked again, everything counts from the new day.
        later = TODAY + timedelta(days=31)
        now["at"] = now["at"] + timedelta(days=31)
        window.catch_up_with_the_day()
        assert f"{long_date(later)}," in week.dates.text()
        assert "1 check-in due" in window.panel.count_label.text()
        assert window.workspace.header.checkin_label.text() != checkin
        assert window.workspace.current_participant_id() == zoe
        assert phone.text() == "07700 900123"  # typed, not saved: still there
        about.revert()
    finally:
        window.bus.detach()
