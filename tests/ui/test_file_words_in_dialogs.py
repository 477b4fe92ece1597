"""What the window's save and return dialogs show and write: the funder's return lists its
answers to complete with days as people write them (as `journeyapp return --check` does), names
the built-in layout rather than where it is installed, and a file saved is what its name says."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import pytest
from openpyxl import load_workbook
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFileDialog
from pytestqt.qtbot import QtBot

from journeyapp.caseload import Caseload
from journeyapp.exchange.lookup import import_lookup
from journeyapp.exchange.returns import default_mapping_path
from journeyapp.ui.dialogs.export_dialog import ExportDialog
from journeyapp.ui.dialogs.returns_dialog import ReturnDialog
from tests.exchange.test_returns import LOOKUP, on, partnership
from tests.ui.shell_helpers import finish

ISO_DAY = re.compile(r"\b\d{4}-\d{2}-\d{2}\b")


@pytest.fixture
def return_dialog(qtbot: QtBot, caseload: Caseload) -> ReturnDialog:
    import_lookup(caseload, LOOKUP)
    ids = partnership(caseload)
    on(caseload, date(2026, 9, 20)).record_milestone(
        ids["Gail"], "started_work", achieved_on=date(2026, 9, 20)
    )
    on(caseload, date(2026, 11, 28))
    dialog = ReturnDialog(caseload)
    qtbot.addWidget(dialog)
    dialog.show()
    finish(qtbot, dialog.operation)
    return dialog


def test_the_return_lists_days_as_people_write_them(return_dialog: ReturnDialog) -> None:
    lines = [return_dialog.problems.item(i).text() for i in range(return_dialog.problems.count())]
    assert (
        "Gail Z.: 'started work' on 20 Sep 2026 has no job record (hours, contract, sector)"
        in lines
    )
    assert not [line for line in lines if ISO_DAY.search(line)]


def test_the_built_in_layout_is_named_and_a_chosen_one_shown_by_its_path(
    return_dialog: ReturnDialog, qtbot: QtBot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    shown = return_dialog.mapping.text()
    assert shown == "Scottish Government layout, Shared Measurement Framework (built in)"
    assert str(default_mapping_path().parent) not in shown
    # The built-in layout is the one written.
    finish(qtbot, return_dialog.save_to(tmp_path / "built-in.xlsx"))
    header = next(
        load_workbook(tmp_path / "built-in.xlsx")["Individuals"].iter_rows(values_only=True)
    )
    assert header[0] == "Participant ID"
    # A council's own layout, chosen with Layout…, is shown by its path and used.
    ours = tmp_path / "fife.toml"
    text = default_mapping_path().read_text(encoding="utf-8")
    ours.write_text(text.replace('header = "Participant ID"', 'header = "Fife ID"', 1), "utf-8")
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *_a, **_k: (str(ours), ""))
    return_dialog._choose_mapping()
    assert return_dialog.mapping.text() == str(ours)
    finish(qtbot, return_dialog.save_to(tmp_path / "fife.xlsx"))
    header = next(load_workbook(tmp_path / "fife.xlsx")["Individuals"].iter_rows(values_only=True))
    assert header[0] == "Fife ID"


@pytest.mark.parametrize(("typed", "written"), [("r", "r.xlsx"), ("r.csv", "r.csv.xlsx")])
def test_a_return_saved_under_a_name_without_xlsx_is_given_it(
    return_dialog: ReturnDialog,
    qtbot: QtBot,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    typed: str,
    written: str,
) -> None:
    tmp_path = tmp_path / "saved"  # a folder of its own (the caseload is in tmp_path)
    tmp_path.mkdir()
    monkeypatch.setattr(
        QFileDialog, "getSaveFileName", lambda *_a, **_k: (str(tmp_path / typed), "")
    )
    return_dialog.save_button.click()
    finish(qtbot, return_dialog.operation)
    assert sorted(p.name for p in tmp_path.iterdir()) == [written]
    assert "Individuals" in load_workbook(tmp_path / written).sheetnames
    assert f"to {tmp_path / written}." in return_dialog.summary.text()


def test_a_workbook_export_typed_without_xlsx_is_given_it(
    qtbot: QtBot, demo_caseload: Caseload, tmp_path: Path
) -> None:
    tmp_path = tmp_path / "saved"  # a folder of its own (the caseload is in tmp_path)
    tmp_path.mkdir()
    dialog = ExportDialog(demo_caseload)
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.format.setCurrentIndex(dialog.format.findData("xlsx"))
    qtbot.keyClicks(dialog.destination, str(tmp_path / "ex"))
    qtbot.mouseClick(dialog.export_button, Qt.MouseButton.LeftButton)
    finish(qtbot, dialog.operation)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["ex.xlsx"]
    assert load_workbook(tmp_path / "ex.xlsx").sheetnames


def test_a_csv_export_typed_as_a_file_is_refused_and_nothing_written(
    qtbot: QtBot, demo_caseload: Caseload, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    tmp_path = tmp_path / "saved"  # a folder of its own (the caseload is in tmp_path)
    tmp_path.mkdir()
    said: list[str] = []
    monkeypatch.setattr(
        "journeyapp.ui.dialogs.export_dialog.show_error",
        lambda _parent, exc, *_a, **_k: said.append(exc.message),
    )
    dialog = ExportDialog(demo_caseload)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.keyClicks(dialog.destination, str(tmp_path / "q1.csv"))
    assert dialog.run_export() is None
    assert said == [
        f"{tmp_path / 'q1.csv'}: the csv export is a folder with one file per table, and a name "
        f"ending .csv says a file; give a folder name without it, e.g. {tmp_path / 'q1'}. "
        "Nothing was written."
    ]
    assert list(tmp_path.iterdir()) == []
