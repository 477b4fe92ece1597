"""The coordinator's dialogs driven like a person would: clicks, typed paths, real files."""

from __future__ import annotations

import csv
from datetime import date, timedelta
from pathlib import Path

import pytest
from PySide6.QtCore import QRect, Qt
from PySide6.QtWidgets import QPushButton
from pytestqt.qtbot import QtBot

from journeyapp.caseload import Caseload
from journeyapp.core.changes import Changes
from journeyapp.core.records import Participant
from journeyapp.demo import build_demo
from journeyapp.exchange.report import FEWER
from journeyapp.ui.dialogs.exchange import (
    DecisionsDialog,
    ExportDialog,
    ImportDialog,
    ReportDashboard,
    open_decisions,
)
from journeyapp.ui.models.decisions_model import Column
from tests.clock import ticking_clock
from tests.conftest import TODAY
from tests.ui.shell_helpers import answer_question, finish


def clash(tmp_path: Path) -> tuple[Caseload, Caseload, str]:
    """A coordinator with one edit that clashes with a keyworker's."""
    laptop = Caseload.open(tmp_path / "laptop.db", create=True, plain=True, actor="Aileen")
    coord = Caseload.open(tmp_path / "coord.db", create=True, plain=True, actor="Coordinator")
    for c in (laptop, coord):
        c.clock = ticking_clock(TODAY)
    build_demo(laptop, participants=2, seed=3, today=TODAY)
    coord.exchange.merge_events(laptop.events())
    pid = laptop.participants()[0].id
    coord.update_participant(pid, keyworker="Brenda")
    laptop.update_participant(pid, keyworker="Callum")
    coord.exchange.merge_events(laptop.events())
    return laptop, coord, pid


def test_decisions_dialog_shows_both_values_and_keeps_the_chosen_one(
    qtbot: QtBot, qtmodeltester: object, tmp_path: Path
) -> None:
    laptop, coord, pid = clash(tmp_path)
    try:
        dialog = open_decisions(None, coord)
        qtbot.addWidget(dialog)
        qtmodeltester.check(dialog.model)  # type: ignore[attr-defined]
        model = dialog.model
        assert model.rowCount() == 1
        here = model.index(0, Column.HERE).data()
        incoming = model.index(0, Column.INCOMING).data()
        assert here.startswith("Brenda")
        assert "Coordinator" in here
        assert incoming.startswith("Callum")
        assert "Aileen" in incoming
        assert model.index(0, Column.PARENT).data() == coord.participant(pid).preferred_name
        qtbot.mouseClick(dialog.keep_incoming, Qt.MouseButton.LeftButton)
        assert coord.participant(pid).keyworker == "Callum"
        assert model.rowCount() == 0
        assert dialog.empty.isVisibleTo(dialog)
        assert not dialog.keep_here.isEnabled()
        assert "Callum" in dialog.status.text()
    finally:
        laptop.close()
        coord.close()


def test_decisions_tell_parents_who_share_a_name_apart_and_show_labels(
    qtbot: QtBot, tmp_path: Path
) -> None:
    """Two parents called Ana with clashing localities: "Ana M." and "Ana R.", and the
    partnership's labels ("North Lanarkshire"), not its keys."""
    laptop = Caseload.open(tmp_path / "laptop.db", create=True, plain=True, actor="Aileen")
    coord = Caseload.open(tmp_path / "coord.db", create=True, plain=True, actor="Coordinator")
    try:
        for c in (laptop, coord):
            c.clock = ticking_clock(TODAY)
        ids = [
            laptop.enrol_participant("Ana", "fife", date(2026, 1, 5), full_name=full).id
            for full in ("Ana Rossi", "Ana María Mendes")
        ]
        laptop.enrol_participant("Bea", "fife", date(2026, 1, 5), full_name="Bea Smith")
        coord.exchange.merge_events(laptop.events())
        for pid in ids:
            coord.update_participant(pid, locality="north_lanarkshire")
            laptop.update_participant(pid, locality="glasgow")
        coord.exchange.merge_events(laptop.events())
        dialog = DecisionsDialog(coord)
        qtbot.addWidget(dialog)
        model = dialog.model
        rows = {
            model.index(r, Column.PARENT).data(): (
                model.index(r, Column.HERE).data(),
                model.index(r, Column.INCOMING).data(),
            )
            for r in range(model.rowCount())
        }
        assert set(rows) == {"Ana R.", "Ana M."}
        for here, incoming in rows.values():
            assert here.startswith("North Lanarkshire  — Coordinator")
            assert incoming.startswith("Glasgow  — Aileen")
        dialog.table.selectRow(0)
        qtbot.mouseClick(dialog.keep_here, Qt.MouseButton.LeftButton)
        assert dialog.status.text() == "Saved: kept North Lanarkshire for locality."
        assert model.rowCount() == 1
    finally:
        laptop.close()
        coord.close()


def test_report_dashboard_draws_charts_and_suppresses_small_counts(
    qtbot: QtBot, demo_caseload: Caseload, tmp_path: Path
) -> None:
    dialog = ReportDashboard(demo_caseload)
    qtbot.addWidget(dialog)
    dialog.show()
    assert dialog.headline.text() == "Parents reached: 30"
    milestones = dialog.chart("Milestones reached")
    values = [value for _, value, _ in milestones.rows()]
    assert len(values) == len(demo_caseload.catalogue.milestone_types)
    keyworkers = dialog.chart("Parents reached by keyworker").rows()
    assert any(value == FEWER for _, value, _ in keyworkers)
    assert not milestones.grab().isNull()  # paints without a Qt warning
    dialog.exact.setChecked(True)
    assert all(
        value != FEWER for _, value, _ in dialog.chart("Parents reached by keyworker").rows()
    )

    dialog.locality.setCurrentIndex(dialog.locality.findData("fife"))
    qtbot.mouseClick(dialog.refresh_button, Qt.MouseButton.LeftButton)
    fife = sum(p.locality == "fife" for p in demo_caseload.all_records(Participant))
    assert dialog.headline.text() == f"Parents reached: {fife}"
    pdf = dialog.save_pdf_to(tmp_path / "r.pdf")
    assert pdf is not None
    assert pdf.read_bytes().startswith(b"%PDF")


def test_export_dialog_writes_a_pseudonymised_export_and_asks_before_names(
    qtbot: QtBot, demo_caseload: Caseload, tmp_path: Path
) -> None:
    dialog = ExportDialog(demo_caseload)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.keyClicks(dialog.destination, str(tmp_path / "out"))
    qtbot.mouseClick(dialog.export_button, Qt.MouseButton.LeftButton)
    finish(qtbot, dialog.operation)  # written off the window's thread, on its own connection
    assert (tmp_path / "out" / "participants.csv").is_file()
    assert "pseudonymised" in dialog.result_label.text()
    assert dialog.progress.value() == dialog.progress.maximum()

    dialog.destination.setText(str(tmp_path / "names.xlsx"))
    dialog.format.setCurrentIndex(dialog.format.findData("xlsx"))
    dialog.identifiable.setChecked(True)
    dialog.confirm_identifiable = lambda: False  # type: ignore[method-assign]  # the person says No
    qtbot.mouseClick(dialog.export_button, Qt.MouseButton.LeftButton)
    assert not (tmp_path / "names.xlsx").exists()
    dialog.confirm_identifiable = lambda: True  # type: ignore[method-assign]
    before = len(demo_caseload.events())
    qtbot.mouseClick(dialog.export_button, Qt.MouseButton.LeftButton)
    finish(qtbot, dialog.operation)
    assert (tmp_path / "names.xlsx").is_file()
    assert demo_caseload.events()[before].kind == "exports"


def test_export_dialog_says_where_it_could_not_write_and_leaves_nothing(
    qtbot: QtBot, demo_caseload: Caseload, tmp_path: Path
) -> None:
    (tmp_path / "notes.txt").write_text("a file, not a folder")
    dialog = ExportDialog(demo_caseload)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.keyClicks(dialog.destination, str(tmp_path / "notes.txt" / "out"))
    seen = answer_question(qtbot, "OK")
    qtbot.mouseClick(dialog.export_button, Qt.MouseButton.LeftButton)
    finish(qtbot, dialog.operation)
    qtbot.waitUntil(lambda: bool(seen))
    assert seen[0].startswith(f"{tmp_path / 'notes.txt'} is a file, not a folder"), seen
    assert seen[0].endswith("Nothing was exported.")
    assert ".partial" not in seen[0]
    assert not [p.name for p in tmp_path.iterdir() if p.name.startswith("out")]
    assert (tmp_path / "notes.txt").read_text() == "a file, not a folder"
    assert dialog.export_button.isEnabled()  # the person can choose another place and retry
    assert not dialog.progress.isVisible()  # not left standing at 0% as if still working
    assert dialog.result_label.text() == "Not exported: nothing was written."


def test_import_dialog_checks_first_then_imports(
    qtbot: QtBot, caseload: Caseload, tmp_path: Path
) -> None:
    path = tmp_path / "parents.csv"
    rows = [
        ["ref", "preferred name", "locality", "joined on"],
        ["R-1", "Shona", "Fife", "03/02/2026"],
        ["R-2", "Eilidh", "Nowhere", "2026-02-04"],
    ]
    with path.open("w", encoding="utf-8-sig", newline="") as handle:
        csv.writer(handle).writerows(rows)
    dialog = ImportDialog(caseload)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.keyClicks(dialog.path, str(path))
    qtbot.mouseClick(dialog.check_button, Qt.MouseButton.LeftButton)
    finish(qtbot, dialog.operation)  # read and checked off the window's thread
    assert dialog.problems.count() == 1
    assert dialog.problems.item(0).text().startswith("Line 3:")
    assert not dialog.import_button.isEnabled()

    rows[2][2] = "Glasgow"
    with path.open("w", encoding="utf-8-sig", newline="") as handle:
        csv.writer(handle).writerows(rows)
    qtbot.mouseClick(dialog.check_button, Qt.MouseButton.LeftButton)
    finish(qtbot, dialog.operation)
    assert "2 new" in dialog.summary.text()
    assert caseload.counts()["participants"] == 0  # a check saves nothing
    assert dialog.import_button.isEnabled()
    heard: list[Changes] = []
    caseload.subscribe(heard.append)
    qtbot.mouseClick(dialog.import_button, Qt.MouseButton.LeftButton)
    finish(qtbot, dialog.operation)
    assert caseload.counts()["participants"] == 2
    # Saved on the operation's own connection; the window's caseload hears of it afterwards.
    assert len(heard) == 1
    assert heard[0].touches("participants")
    assert dialog.summary.text().startswith("Imported")
    assert caseload.find_participants("R-1")[0].joined_on == date(2026, 2, 3)


def test_decisions_dialog_with_nothing_waiting(qtbot: QtBot, caseload: Caseload) -> None:
    dialog = DecisionsDialog(caseload)
    qtbot.addWidget(dialog)
    dialog.show()
    assert dialog.empty.isVisible()
    assert not dialog.table.isVisible()


def test_laptops_dialog_shows_the_code_and_enrols_a_laptop(
    qtbot: QtBot, caseload: Caseload, tmp_path: Path
) -> None:
    from journeyapp.ui.dialogs.laptops import LaptopsDialog

    other = Caseload.open(tmp_path / "other.db", create=True, plain=True, actor="aileen")
    try:
        code = other.exchange.enrolment_code()
        dialog = LaptopsDialog(caseload)
        qtbot.addWidget(dialog)
        dialog.show()
        qtbot.waitExposed(dialog)
        assert dialog.code.text() == ""  # hidden until asked for
        qtbot.mouseClick(
            next(b for b in dialog.findChildren(QPushButton) if "Show" in b.text()),
            Qt.MouseButton.LeftButton,
        )
        assert dialog.code.text() == caseload.exchange.enrolment_code()
        # A bare device id is refused with what to do; nothing is enrolled.
        qtbot.keyClicks(dialog.their_code, other.device_id)
        qtbot.keyClicks(dialog.name, "Aileen's laptop")
        dialog.enrol()
        assert "not an enrolment code" in dialog.message.text() or "device id" in (
            dialog.message.text()
        )
        assert other.device_id not in caseload.exchange.device_keys()
        dialog.their_code.setText(code)
        qtbot.keyClick(dialog.their_code, Qt.Key.Key_Return)
        assert caseload.exchange.device_keys()[other.device_id] == other.exchange.device_key()
        assert "Aileen's laptop" in dialog.laptops.item(0).text()
        assert dialog.isVisible()
    finally:
        other.close()


def test_laptops_dialog_grows_to_show_a_problem_whole_on_a_small_screen(
    qtbot: QtBot, caseload: Caseload, monkeypatch: pytest.MonkeyPatch
) -> None:
    """At 200% on a laptop the dialog opens squeezed; the message saying what is wrong with the
    code is shown whole (the dialog grows within the screen), not cut off under the fields."""
    from journeyapp.ui.dialogs.laptops import LaptopsDialog
    from journeyapp.ui.widgets import screen
    from tests.ui.test_fits_the_screen import SCREENS, misfits

    area = SCREENS["200%"]
    monkeypatch.setattr(screen, "available_geometry", lambda _widget=None: QRect(area))
    dialog = LaptopsDialog(caseload)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    # Qt opens a new window within two thirds of a small screen: at 200% on a laptop this one
    # comes up at its smallest, fields and all in sight.
    dialog.resize(dialog.minimumSizeHint())
    screen.fit_window(dialog)  # as the fitter does when it becomes the active window
    before = dialog.height()
    assert misfits(dialog, area) == []
    qtbot.keyClicks(dialog.their_code, "abc-def")
    qtbot.keyClicks(dialog.name, "Aileen's laptop")
    qtbot.keyClick(dialog.name, Qt.Key.Key_Return)
    assert "enrolment code" in dialog.message.text()
    qtbot.wait(50)  # the layout settles
    assert dialog.height() > before
    assert misfits(dialog, area) == []
    for field in (dialog.their_code, dialog.name, dialog.message):
        assert field.visibleRegion().boundingRect().size() == field.size(), field.accessibleName()


def test_decisions_show_answers_in_the_registry_s_words_as_the_command_does(
    qtbot: QtBot, tmp_path: Path
) -> None:
    """A clash between two answers for the funder's return (each a code of the partnership's
    registry) reads as the registry words them, in the list and in the saved line, and as
    `journeyapp decisions` words it: never 'in_education_or_training'."""
    from journeyapp.exchange.decisions import describe_all

    laptop = Caseload.open(tmp_path / "laptop.db", create=True, plain=True, actor="Aileen")
    coord = Caseload.open(tmp_path / "coord.db", create=True, plain=True, actor="Coordinator")
    try:
        for c in (laptop, coord):
            c.clock = ticking_clock(TODAY)
        build_demo(laptop, participants=6, seed=4, today=TODAY)
        coord.exchange.merge_events(laptop.events())
        codes = coord.codes
        answered = [
            j.circumstances
            for j in (coord.journey(p.id) for p in coord.participants())
            if j.circumstances is not None
        ]
        assert answered
        for record in answered:
            held = record.employment_status
            mine, theirs = [k for k in codes.keys("employment_status") if k != held][:2]
            coord.update_record("circumstances", record.id, employment_status=mine)
            laptop.update_record("circumstances", record.id, employment_status=theirs)
        coord.exchange.merge_events(laptop.events())
        dialog = DecisionsDialog(coord)
        qtbot.addWidget(dialog)
        model = dialog.model
        assert model.rowCount() == len(answered)
        lines = describe_all(coord, [model.decision(r) for r in range(model.rowCount())])
        for row, line in enumerate(lines):
            decision = model.decision(row)
            for column, side, said in (
                (Column.HERE, decision.here, line.here),
                (Column.INCOMING, decision.incoming, line.incoming),
            ):
                words = codes.label("employment_status", side.value)
                assert words != side.value
                assert model.index(row, column).data().startswith(f"{words}  — ")
                assert said == repr(words)
        dialog.table.selectRow(0)
        kept = codes.label("employment_status", model.decision(0).here.value)
        qtbot.mouseClick(dialog.keep_here, Qt.MouseButton.LeftButton)
        assert dialog.status.text() == f"Saved: kept {kept} for employment status."
    finally:
        laptop.close()
        coord.close()


def test_enrolling_a_laptop_again_with_another_code_says_the_earlier_one_is_replaced(
    qtbot: QtBot, caseload: Caseload, tmp_path: Path
) -> None:
    """A code for a laptop enrolled already, with another key (a mistyped code, or someone
    else's), replaces the key its bundles are checked with: the window says so, and the
    command line says the same; the same code again, or a new laptop's, says nothing more."""
    from click.testing import CliRunner

    from journeyapp.caseload.exchange import replaced_code_words
    from journeyapp.cli import cli
    from journeyapp.core.seals import enrolment_code, new_key
    from journeyapp.ui.dialogs.laptops import LaptopsDialog

    other = Caseload.open(tmp_path / "other.db", create=True, plain=True, actor="aileen")
    try:
        code = other.exchange.enrolment_code()
        forged = enrolment_code(other.device_id, new_key())
    finally:
        other.close()
    dialog = LaptopsDialog(caseload)
    qtbot.addWidget(dialog)
    warning = replaced_code_words("Aileen's laptop")
    said = []
    for given, name in ((code, "Aileen's laptop"), (code, "Aileen's laptop"), (forged, "Aileen")):
        dialog.their_code.setText(given)
        dialog.name.setText(name)
        dialog.enrol()
        said.append(dialog.message.text())
    assert said[:2] == [f"Enrolled Aileen's laptop ({other.device_id})."] * 2
    assert said[2] == f"Enrolled Aileen ({other.device_id}).\n⚠ {warning}"
    caseload.close()
    # The command line, putting the real code back: it replaces the forged one, and says so.
    enrol = ["devices", "--db", str(caseload.path), "--enrol", code, "--name", "Aileen's laptop"]
    done = CliRunner().invoke(cli, enrol)
    assert done.exit_code == 0, done.output
    assert replaced_code_words("Aileen") in done.output.replace("\n", " ").replace("  ", " ")
    again = CliRunner().invoke(cli, enrol)
    assert again.exit_code == 0, again.output
    assert "replaces" not in again.output


def test_decisions_dialog_words_a_consent_decided_as_one(qtbot: QtBot, tmp_path: Path) -> None:
    """A consent withdrawn on one laptop and given again on another: one row, in words (not
    the stored values), and keeping one says what was kept."""
    from journeyapp.core.enums import ConsentPurpose

    purpose = ConsentPurpose.EQUALITIES_MONITORING
    laptop = Caseload.open(tmp_path / "laptop.db", create=True, plain=True, actor="Aileen")
    coord = Caseload.open(tmp_path / "coord.db", create=True, plain=True, actor="Coordinator")
    try:
        for c in (laptop, coord):
            c.clock = ticking_clock(TODAY)
        pid = laptop.enrol_participant("Siobhán", "fife", TODAY - timedelta(days=60)).id
        laptop.record_consent(pid, purpose, True, on=TODAY - timedelta(days=50))
        coord.exchange.merge_events(laptop.events())
        coord.record_consent(pid, purpose, False, on=TODAY - timedelta(days=4))
        laptop.record_consent(
            pid, purpose, True, on=TODAY - timedelta(days=2), how_recorded="said again"
        )
        coord.exchange.merge_events(laptop.events())
        dialog = DecisionsDialog(coord)
        qtbot.addWidget(dialog)
        model = dialog.model
        assert model.rowCount() == 1
        detail = model.index(0, Column.DETAIL).data()
        assert detail.startswith("Consent: withdrawn until you decide")
        assert model.index(0, Column.HERE).data().startswith("withdrawn on ")
        assert model.index(0, Column.INCOMING).data().startswith("given on ")
        assert "(said again)" in model.index(0, Column.INCOMING).data()
        dialog.table.selectRow(0)
        qtbot.mouseClick(dialog.keep_incoming, Qt.MouseButton.LeftButton)
        assert dialog.status.text().startswith("Saved: kept given on ")
        assert coord.journey(pid).consents[0].given
    finally:
        laptop.close()
        coord.close()
