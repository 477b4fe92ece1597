"""The funder's return in the window: the postcode lookup and the return's list of answers to
complete, driven with clicks; each line opens the parent in the window."""

from __future__ import annotations

from pathlib import Path

from openpyxl import load_workbook
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from journeyapp.caseload import Caseload
from journeyapp.exchange.lookup import import_lookup
from journeyapp.ui.dialogs.returns_dialog import LookupDialog, ReturnDialog
from journeyapp.ui.workspace.about import AboutSection
from journeyapp.ui.workspace.background import BackgroundSection
from tests.exchange.test_returns import LOOKUP, partnership
from tests.ui.shell_helpers import finish, make_window


def test_the_lookup_is_checked_then_used(qtbot: QtBot, caseload: Caseload, tmp_path: Path) -> None:
    bad = tmp_path / "bad.csv"
    bad.write_text("Postcode,Quintile\nZZ1 1AA,1\nZZ1 1AB,9\n", encoding="utf-8")
    dialog = LookupDialog(caseload)
    qtbot.addWidget(dialog)
    dialog.show()
    assert "No postcode lookup yet" in dialog.held.text()
    qtbot.keyClicks(dialog.path, str(bad))
    qtbot.mouseClick(dialog.check_button, Qt.MouseButton.LeftButton)
    finish(qtbot, dialog.operation)
    assert dialog.problems.item(0).text().startswith("Line 3: the SIMD quintile for ZZ1 1AB")
    assert not dialog.import_button.isEnabled()
    dialog.path.clear()
    qtbot.keyClicks(dialog.path, str(LOOKUP))
    qtbot.mouseClick(dialog.check_button, Qt.MouseButton.LeftButton)
    finish(qtbot, dialog.operation)
    assert dialog.summary.text().startswith("Ready to import the postcode lookup")
    assert caseload.areas.info().postcodes == 0  # a check saves nothing
    qtbot.mouseClick(dialog.import_button, Qt.MouseButton.LeftButton)
    finish(qtbot, dialog.operation)
    assert caseload.areas.info().postcodes == 10
    assert "10 postcodes" in dialog.held.text()


def test_each_answer_to_complete_opens_the_parent(
    qtbot: QtBot, caseload: Caseload, tmp_path: Path
) -> None:
    import_lookup(caseload, LOOKUP)
    ids = partnership(caseload)
    window = make_window(qtbot, caseload)
    try:
        window.show_return()
        dialog = next(w for w in QApplication.topLevelWidgets() if isinstance(w, ReturnDialog))
        qtbot.waitExposed(dialog)
        finish(qtbot, dialog.operation)  # checked off the window's thread
        assert not dialog.isModal()  # the keyworker completes answers in the window meanwhile
        # The quarter just ended comes first: today is 28 November 2026.
        assert dialog.current_quarter().name == "2026Q3"
        lines = [dialog.problems.item(i).text() for i in range(dialog.problems.count())]
        assert "Gail Z.: no postcode, so no SIMD quintile" in lines
        assert "for 3 parents in 2026Q3" in dialog.summary.text()
        gail = next(
            dialog.problems.item(i)
            for i in range(dialog.problems.count())
            if lines[i].startswith("Gail")
        )
        dialog.problems.setCurrentItem(gail)
        dialog.problems.itemActivated.emit(gail)
        assert window.workspace.current_participant_id() == ids["Gail"]
        # Opened where it is put right: Gail's date of birth on About (the keyboard in that
        # box); Cat's postcode on the Background tab.
        lines_for = {p.what: p for p in dialog.found}
        about = lines_for["no date of birth or age group, so no age band"]
        window.open_to_put_right(about)
        assert window.workspace.tabs.currentWidget() is window.workspace.section(AboutSection)
        assert window.focusWidget() is window.workspace.section(AboutSection).edits["date_of_birth"]
        cat = next(p for p in dialog.found if p.participant_id == ids["Cat"])
        window.open_to_put_right(cat)
        assert window.workspace.current_participant_id() == ids["Cat"]
        assert window.workspace.tabs.currentWidget() is window.workspace.section(BackgroundSection)
        out = tmp_path / "return.xlsx"
        finish(qtbot, dialog.save_to(out))
        assert load_workbook(out).sheetnames == ["About", "Individuals", "Tables", "Columns"]
        assert "Saved the 2026Q3 return (5 parents)" in dialog.summary.text()
        dialog.tables_only.setChecked(True)
        finish(qtbot, dialog.save_to(tmp_path / "tables.xlsx"))
        assert load_workbook(tmp_path / "tables.xlsx").sheetnames == ["About", "Tables", "Columns"]
        dialog.close()
    finally:
        window.bus.detach()


def test_a_return_of_one_parent_says_one_parent(
    qtbot: QtBot, caseload: Caseload, tmp_path: Path
) -> None:
    from datetime import date

    caseload.enrol_participant("Ann", "fife", date(2026, 8, 3))
    dialog = ReturnDialog(caseload)
    qtbot.addWidget(dialog)
    finish(qtbot, dialog.operation)
    assert dialog.current_quarter().name == "2026Q3"  # today is 28 November 2026
    out = tmp_path / "return.xlsx"
    finish(qtbot, dialog.save_to(out))
    assert "Saved the 2026Q3 return (1 parent) to" in dialog.summary.text()
