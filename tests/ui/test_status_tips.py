"""A status tip (a menu item or button pointed at) covers the status bar's message only while it
is pointed at: "Saved: goal added" comes back afterwards (Qt's own handling left the bar blank),
and a message shown meanwhile is the one that stays."""

from __future__ import annotations

from PySide6.QtGui import QStatusTipEvent
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from journeyapp.caseload import Caseload
from tests.ui.shell_helpers import make_window


def test_the_message_a_status_tip_covered_comes_back(qtbot: QtBot, caseload: Caseload) -> None:
    window = make_window(qtbot, caseload)
    bar = window.statusBar()
    bar.showMessage("Saved: goal added (Ctrl+Z undoes it)")
    tips = [a.statusTip() for a in window.findChildren(type(window.quit_action)) if a.statusTip()]
    assert len(tips) >= 2
    # Pointing from one menu item to the next, then away.
    for tip in tips[:3]:
        QApplication.sendEvent(window, QStatusTipEvent(tip))
        assert bar.currentMessage() == tip
    QApplication.sendEvent(window, QStatusTipEvent(""))
    assert bar.currentMessage() == "Saved: goal added (Ctrl+Z undoes it)"
    # A message shown while a tip is up (a shortcut pressed) is the one that stays.
    QApplication.sendEvent(window, QStatusTipEvent(tips[0]))
    bar.showMessage("Saved: contact logged")
    QApplication.sendEvent(window, QStatusTipEvent(""))
    assert bar.currentMessage() == "Saved: contact logged"
    # A blank tip with none up changes nothing.
    QApplication.sendEvent(window, QStatusTipEvent(""))
    assert bar.currentMessage() == "Saved: contact logged"
