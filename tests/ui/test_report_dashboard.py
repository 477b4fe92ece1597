"""The window's programme report shows every figure within the window, notes under their titles,
and offers every locality parents are in."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

from PySide6.QtCore import QDate, Qt
from PySide6.QtWidgets import QApplication, QDialog, QGroupBox, QLabel, QMessageBox, QScrollArea
from pytestqt.qtbot import QtBot

from journeyapp.caseload import Caseload
from journeyapp.core.catalogue import load_catalogue
from journeyapp.core.dates import long_date
from journeyapp.paths import resource
from journeyapp.ui.dialogs.export_dialog import ExportDialog
from journeyapp.ui.dialogs.report_dashboard import ReportDashboard
from tests.clock import ticking_clock
from tests.conftest import TODAY
from tests.exchange.test_report_catalogue import DEFAULT, driving_six, record, write_catalogue
from tests.ui.shell_helpers import with_modal


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


def test_every_locality_parents_are_in_is_offered_as_the_report_shows_it(
    qtbot: QtBot, tmp_path: Path
) -> None:
    # Recorded on a laptop whose catalogue lists Dundee; the coordinator's does not.
    held = record(
        tmp_path, [(date(2026, 1, 5), place) for place in ["dundee", "fife"] for _ in range(6)], []
    )
    caseload = Caseload.open(
        held.db, plain=True, catalogue=load_catalogue(resource("catalogue.toml"))
    )
    caseload.clock = ticking_clock(TODAY)
    try:
        dialog = ReportDashboard(caseload)
        qtbot.addWidget(dialog)
        combo = dialog.locality
        offered = [(combo.itemText(i), combo.itemData(i)) for i in range(combo.count())]
        shown = "Dundee (not in this partnership's list)"
        assert offered[0] == ("All localities", None)
        assert offered[-1] == (shown, "dundee")
        assert [key for _, key in offered[1:-1]] == list(caseload.catalogue.keys("localities"))
        whole = dialog.report
        assert whole is not None
        assert [r.label for r in whole.section("by_locality").rows][-1] == shown
        combo.setCurrentIndex(len(offered) - 1)
        qtbot.mouseClick(dialog.refresh_button, Qt.MouseButton.LeftButton)
        assert dialog.headline.text() == "Parents reached: 6"
        assert dialog.period.text().startswith(f"All dates · {shown}")
        # The export offers the same places (as `journeyapp export --locality` takes them).
        export = ExportDialog(caseload)
        qtbot.addWidget(export)
        assert [
            (export.locality.itemText(i), export.locality.itemData(i))
            for i in range(export.locality.count())
        ] == offered
    finally:
        caseload.close()


def test_an_area_not_in_the_catalogue_is_charted_under_its_key(
    qtbot: QtBot, tmp_path: Path
) -> None:
    # Scored "driving" on a laptop whose catalogue lists it; the coordinator's does not.
    db = driving_six(tmp_path)
    ours = load_catalogue(write_catalogue(tmp_path, "ours", DEFAULT))
    caseload = Caseload.open(db, plain=True, catalogue=ours)
    caseload.clock = ticking_clock(TODAY)
    try:
        dialog = ReportDashboard(caseload)
        qtbot.addWidget(dialog)
        driving = "Driving (not in this partnership's list)"
        distance = dict((label, value) for label, value, _ in dialog.chart("Distance").rows())
        assert distance[driving] == "3.0 points, 6 parents"
        assert list(distance)[-1] == driving  # after the catalogue's areas
        improved = dict((label, value) for label, value, _ in dialog.chart("Share who").rows())
        assert improved[driving].startswith("100")
    finally:
        caseload.close()


def test_edits_waiting_for_a_decision_point_to_the_window_s_own_menu(
    qtbot: QtBot, tmp_path: Path
) -> None:
    """Figures that may change once merged edits are settled say where to settle them: in the
    window, its Partnership menu (it said `journeyapp decisions`, a command); the command-line
    report still names the command."""
    from journeyapp.exchange.bundle import merge_bundle, write_bundle
    from journeyapp.exchange.report import build_report

    opened = []
    for name in ("Aileen", "Ben", "Coordinator"):
        c = Caseload.open(tmp_path / f"{name}.db", create=True, plain=True, actor=name)
        c.clock = ticking_clock(TODAY)
        opened.append(c)
    aileen, ben, coord = opened

    def send(src: Caseload, dst: Caseload) -> None:
        out = tmp_path / f"{src.actor}-{len(list(tmp_path.glob('*.jlb')))}.jlb"
        write_bundle(src, out, "correct horse battery")
        merge_bundle(dst, out, "correct horse battery")

    try:
        parent = aileen.enrol_participant("Siobhán", "fife", date(2026, 9, 1), keyworker="Aileen")
        send(aileen, ben)
        aileen.update_participant(parent.id, keyworker="Aileen Grant")
        ben.update_participant(parent.id, keyworker="Ben Moss")
        send(aileen, coord)
        send(ben, coord)
        assert coord.exchange.decisions()
        dialog = ReportDashboard(coord)
        qtbot.addWidget(dialog)
        said = dialog.period.text()
        assert "wait for a decision (Partnership > Needs a decision…)" in said, said
        assert "journeyapp" not in said
        assert "(journeyapp decisions)" in build_report(coord).to_text()
    finally:
        for c in opened:
            c.close()


def test_the_window_s_report_says_why_for_a_period_to_come(
    qtbot: QtBot, demo_caseload: Caseload
) -> None:
    """A period that starts after today (the dates can be set so) is refused, saying why."""
    dialog = ReportDashboard(demo_caseload)
    qtbot.addWidget(dialog)
    shown = dialog.period.text()
    starts = TODAY + timedelta(days=30)
    ends = starts + timedelta(days=1)
    dialog.dates.use_dates.setChecked(True)
    dialog.dates.since.setDate(QDate(starts.year, starts.month, starts.day))
    dialog.dates.until.setDate(QDate(ends.year, ends.month, ends.day))
    said: list[str] = []

    def read(box: QDialog) -> None:
        assert isinstance(box, QMessageBox)
        said.append(box.text())
        box.accept()

    with_modal(qtbot, dialog.refresh, read, kind=QMessageBox)
    assert len(said) == 1
    assert said[0].startswith(f"The period starts on {long_date(starts)}, after today"), said
    assert dialog.period.text() == shown  # the figures shown before are left as they were


def test_a_new_caseloads_report_says_what_to_do_first(qtbot: QtBot, caseload: Caseload) -> None:
    """A coordinator's first look at Partnership > Programme report, before any merge: every
    count 0 and the lists empty, and a line saying to merge the keyworkers' bundles first; it
    goes once a parent is counted (and a period with nobody in it is an answer, not a step)."""
    dialog = ReportDashboard(caseload)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    assert dialog.headline.text() == "Parents reached: 0"
    assert dialog.first_step.isVisible()
    assert "No parents in this caseload yet" in dialog.first_step.text()
    assert "Partnership > Merge a journey log…" in dialog.first_step.text()
    # A list with no rows yet says so, as the PDF does (it was an empty box).
    by_keyworker = dialog.chart("Parents reached by keyworker")
    assert by_keyworker.rows() == []
    assert by_keyworker.accessibleDescription() == "Nothing recorded yet."  # as the PDF
    caseload.enrol_participant("Ama", "fife", joined_on=TODAY)
    dialog.refresh()
    assert not dialog.first_step.isVisible()
    assert dialog.first_step.text() == ""
