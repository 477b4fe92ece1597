"""The window's programme report shows every figure within the window, notes under their titles."""

from __future__ import annotations

from PySide6.QtWidgets import QApplication, QGroupBox, QLabel, QScrollArea
from pytestqt.qtbot import QtBot

from journeyapp.caseload import Caseload
from journeyapp.ui.dialogs.report_dashboard import ReportDashboard


def test_every_figure_is_in_sight_and_notes_sit_under_their_titles(
    qtbot: QtBot, demo_caseload: Caseload
) -> None:
    dialog = ReportDashboard(demo_caseload)
    qtbot.addWidget(dialog)
    dialog.resize(820, 720)  # as it opens
    dialog.show()
    qtbot.waitExposed(dialog)
    QApplication.processEvents()
    scroll = dialog.findChild(QScrollArea)
    assert scroll is not None
    # Nothing runs off to the right: each chart writes its figures after its bars, so a chart
    # wider than the view hid them.
    assert scroll.horizontalScrollBar().maximum() == 0
    view = scroll.viewport().width()
    assert dialog.charts
    for chart in dialog.charts.values():
        assert chart.mapTo(dialog.body, chart.rect().topRight()).x() < view
    # A section's note is a line of its own under a short title.
    boxes = {box.title(): box for box in dialog.body.findChildren(QGroupBox)}
    declining = boxes["Services parents said were not for them now, or maybe later"]
    notes = [label.text() for label in declining.findChildren(QLabel)]
    assert notes == ["Declining is a valid choice."]
