"""The programme report's workbook prints as a table: every column on one page across, the
headings on every page (the real command on a real caseload, the workbook read back)."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner
from openpyxl import load_workbook

from journeyapp.caseload import Caseload
from journeyapp.cli import cli


def test_the_workbook_prints_every_column_on_one_page_across(
    demo_caseload: Caseload, tmp_path: Path
) -> None:
    db = demo_caseload.path
    demo_caseload.close()
    out = tmp_path / "report.xlsx"
    result = CliRunner().invoke(
        cli, ["report", "--db", str(db), "--format", "xlsx", "--out", str(out)]
    )
    assert result.exit_code == 0, result.output
    sheet = load_workbook(out).active
    assert sheet is not None
    assert sheet.sheet_properties.pageSetUpPr.fitToPage
    assert (sheet.page_setup.fitToWidth, sheet.page_setup.fitToHeight) == (1, 0)
    assert sheet.page_setup.orientation == "landscape"
    assert sheet.print_title_rows == "$3:$3"  # the headings, again on every page
    assert [c.value for c in sheet[3]][:3] == ["section", "item", "label"]
    assert all(c.font.bold for c in sheet[3])
