"""The window says, in a line above the caseload, when this laptop's clock is behind its last
save here (put back, or lost its time), and stops once the clock is right."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

from pytestqt.qtbot import QtBot

from journeyapp.caseload import Caseload
from tests.clock import ticking_clock
from tests.conftest import TODAY
from tests.ui.shell_helpers import make_window

SAVED = datetime(TODAY.year, TODAY.month, TODAY.day, 12, tzinfo=UTC)


def test_the_window_says_so_above_the_caseload_and_stops_once_the_clock_is_right(
    qtbot: QtBot, tmp_path: Path
) -> None:
    caseload = Caseload.open(tmp_path / "c.db", create=True, plain=True)
    caseload.clock = ticking_clock(SAVED)
    caseload.enrol_participant("Morag", "fife")
    try:
        caseload.clock = lambda: SAVED - timedelta(days=365)
        window = make_window(qtbot, caseload)
        qtbot.waitUntil(lambda: window.clock_banner is not None)
        banner = window.clock_banner
        assert banner is not None
        assert banner.isVisible()
        assert "This laptop's clock says" in banner.text()
        assert f"{TODAY.year - 1}" in banner.text()
        # A save made with the clock still behind is the last one written: still said.
        caseload.enrol_participant("Eilidh", "fife")
        assert banner.isVisible()
        # Put right: gone at the next save.
        caseload.clock = ticking_clock(SAVED + timedelta(minutes=5))
        caseload.enrol_participant("Ailsa", "fife")
        assert not banner.isVisible()
        # Put back again while the window is open: said at the next save.
        caseload.clock = lambda: SAVED - timedelta(hours=1)
        caseload.enrol_participant("Kirsty", "fife")
        assert banner.isVisible()
        window.bus.detach()
    finally:
        caseload.close()
