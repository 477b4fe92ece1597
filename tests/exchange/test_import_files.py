"""Imports as people make them: one file for each way a real spreadsheet differs from the
template, each with exactly the outcome expected (what is imported, and what the person is told)."""

from __future__ import annotations

import csv
from datetime import date
from pathlib import Path

import openpyxl
import pytest

from journeyapp.caseload import Caseload
from journeyapp.core.records import Contact
from journeyapp.exchange.spreadsheet import ImportRefused, import_file

HEADINGS = ["ref", "preferred_name", "locality", "joined_on"]


def csv_file(
    path: Path, rows: list[list[object]], *, delimiter: str = ",", encoding: str = "utf-8"
) -> Path:
    with path.open("w", encoding=encoding, newline="") as handle:
        csv.writer(handle, delimiter=delimiter).writerows(rows)
    return path


def joined(caseload: Caseload, ref: str) -> date:
    return caseload.find_participants(ref)[0].joined_on


def test_a_title_row_above_the_headings(caseload: Caseload, tmp_path: Path) -> None:
    path = csv_file(
        tmp_path / "title.csv",
        [["Parents in Fife, March 2026"], [], HEADINGS, ["T-1", "Ada", "fife", "2026-03-02"]],
    )
    report = import_file(caseload, path)
    assert report.applied
    assert (report.rows, report.to_create) == (1, 1)
    assert report.notes == ["The column headings are on line 3; rows above them were not imported."]
    assert joined(caseload, "T-1") == date(2026, 3, 2)


def test_the_data_on_a_second_sheet(caseload: Caseload, tmp_path: Path) -> None:
    book = openpyxl.Workbook()
    book.active.title = "Read me"
    book.active.append(["This workbook lists our parents on the next sheet."])
    sheet = book.create_sheet("Parents")
    sheet.append(HEADINGS)
    sheet.append(["S-1", "Bea", "glasgow", "2026-02-01"])
    book.save(tmp_path / "two.xlsx")
    report = import_file(caseload, tmp_path / "two.xlsx")
    assert report.applied
    assert report.to_create == 1
    assert report.notes == [
        "The column headings are on sheet 'Parents', line 1; that sheet was imported."
    ]


def test_excel_date_numbers_are_dates(caseload: Caseload, tmp_path: Path) -> None:
    book = openpyxl.Workbook()
    book.active.append(HEADINGS)
    book.active.append(["E-1", "Cat", "fife", 46027])  # a date cell that lost its format
    book.save(tmp_path / "numbers.xlsx")
    csv_numbers = csv_file(tmp_path / "numbers.csv", [HEADINGS, ["E-2", "Dot", "fife", "46027"]])
    assert import_file(caseload, tmp_path / "numbers.xlsx").applied
    assert import_file(caseload, csv_numbers).applied
    assert joined(caseload, "E-1") == joined(caseload, "E-2") == date(2026, 1, 5)


def test_us_dates_are_read_month_first_from_the_whole_file(
    caseload: Caseload, tmp_path: Path
) -> None:
    path = csv_file(
        tmp_path / "us.csv",
        [HEADINGS, ["U-1", "Eve", "fife", "3/4/2026"], ["U-2", "Fay", "fife", "03/25/2026"]],
    )
    report = import_file(caseload, path)
    assert report.applied
    assert joined(caseload, "U-1") == date(2026, 3, 4)  # 4 March, not 3 April
    assert joined(caseload, "U-2") == date(2026, 3, 25)
    assert report.notes == [
        "Dates like 03/25/2026 (line 3) show this file writes the month first (US); every date "
        "with slashes was read that way."
    ]


def test_a_file_mixing_date_orders_is_refused_naming_the_lines(
    caseload: Caseload, tmp_path: Path
) -> None:
    path = csv_file(
        tmp_path / "mixed.csv",
        [HEADINGS, ["M-1", "Gil", "fife", "25/03/2026"], ["M-2", "Hal", "fife", "03/26/2026"]],
    )
    with pytest.raises(ImportRefused) as refused:
        import_file(caseload, path)
    assert refused.value.message == (
        "mixed.csv mixes date orders: line 2 has 25/03/2026 (day first) and line 3 has "
        "03/26/2026 (month first). Write every date the same way, best as 2026-03-25, and "
        "import again."
    )
    assert caseload.counts()["participants"] == 0


def test_extra_columns_are_listed_and_the_rest_imported(caseload: Caseload, tmp_path: Path) -> None:
    path = csv_file(
        tmp_path / "extra.csv",
        [[*HEADINGS, "Notes", "Shoe size"], ["X-1", "Ivy", "fife", "2026-01-02", "likes art", "5"]],
    )
    report = import_file(caseload, path)
    assert report.applied
    assert report.notes == [
        "Columns not imported (JourneyApp does not use them): Notes, Shoe size."
    ]
    assert caseload.find_participants("X-1")[0].preferred_name == "Ivy"


def test_two_calls_on_one_day_are_two_contacts(caseload: Caseload, tmp_path: Path) -> None:
    csv_file(tmp_path / "p.csv", [HEADINGS, ["C-1", "Jo", "fife", "2026-01-02"]])
    import_file(caseload, tmp_path / "p.csv")
    calls = csv_file(
        tmp_path / "calls.csv",
        [
            ["ref", "on", "kind", "minutes", "note"],
            ["C-1", "2026-02-03", "phone_text", "5", "morning call"],
            ["C-1", "2026-02-03", "phone_text", "10", "rang back"],
        ],
    )
    first = import_file(caseload, calls)
    assert (first.to_create, first.unchanged) == (2, 0)
    again = import_file(caseload, calls)
    assert (again.to_create, again.unchanged) == (0, 2)
    notes = sorted(c.note for c in caseload.all_records(Contact))
    assert notes == ["morning call", "rang back"]


def test_a_semicolon_csv(caseload: Caseload, tmp_path: Path) -> None:
    path = csv_file(
        tmp_path / "semi.csv",
        [HEADINGS, ["K-1", "Kit", "fife", "02/03/2026"]],
        delimiter=";",
    )
    report = import_file(caseload, path)
    assert report.applied
    assert report.notes == [
        "semi.csv separates its columns with semicolons; read that way.",
        "Dates with slashes were read day first (UK), as 25/03/2026.",
    ]
    assert joined(caseload, "K-1") == date(2026, 3, 2)


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-le", "utf-16-be"])
def test_excels_unicode_text(caseload: Caseload, tmp_path: Path, encoding: str) -> None:
    """Excel's "Unicode Text" (.txt): UTF-16 with its byte-order mark, columns split by tabs,
    names with accents kept (it was refused: "has a NUL character; it is not a CSV file")."""
    bom = {"utf-16-le": "\ufeff", "utf-16-be": "\ufeff"}.get(encoding, "")
    path = tmp_path / "Unicode Text.txt"
    rows = [[*HEADINGS, "full_name"], ["U-1", "Zoë", "fife", "02/03/2026", "Zoë Ní Bhriain"]]
    path.write_bytes((bom + "\r\n".join("\t".join(r) for r in rows) + "\r\n").encode(encoding))
    report = import_file(caseload, path)
    assert report.applied
    assert report.notes == [
        "Unicode Text.txt separates its columns with tabs; read that way.",
        "Dates with slashes were read day first (UK), as 25/03/2026.",
    ]
    [parent] = caseload.find_participants("U-1")
    assert (parent.preferred_name, parent.full_name) == ("Zoë", "Zoë Ní Bhriain")
    assert parent.joined_on == date(2026, 3, 2)


def test_damaged_unicode_text_is_refused_and_nothing_changes(
    caseload: Caseload, tmp_path: Path
) -> None:
    path = tmp_path / "broken.txt"
    path.write_bytes("\t".join(HEADINGS).encode("utf-16") + b"\x00\xd8\x41")  # a lone surrogate
    before = caseload.find_participants("")
    with pytest.raises(ImportRefused, match=r"UTF-16 text .* damaged at byte"):
        import_file(caseload, path)
    assert caseload.find_participants("") == before


def test_a_windows_1252_csv(caseload: Caseload, tmp_path: Path) -> None:
    path = csv_file(
        tmp_path / "latin.csv",
        [HEADINGS, ["L-1", "Renée", "fife", "2026-01-01"]],
        encoding="cp1252",
    )
    report = import_file(caseload, path)
    assert report.applied
    assert report.notes == [
        "latin.csv is not UTF-8 (line 2), so it was read as Windows text (cp1252); check that "
        "names with accents look right, or save it as 'CSV UTF-8' and import that."
    ]
    assert caseload.find_participants("L-1")[0].preferred_name == "Renée"


def test_a_formula_without_a_saved_value_is_named(caseload: Caseload, tmp_path: Path) -> None:
    book = openpyxl.Workbook()
    book.active.append(["Ref", "Preferred name", "locality", "joined_on"])
    book.active.append(["F-1", '=UPPER("ann")', "fife", "2026-01-01"])  # never calculated
    book.save(tmp_path / "formula.xlsx")
    report = import_file(caseload, tmp_path / "formula.xlsx")
    assert not report.applied
    assert [str(p) for p in report.problems] == [
        "Line 2: the Preferred name cell holds a formula with no saved value; open the file in "
        "Excel or LibreOffice, let it calculate, save it and import again."
    ]
    assert caseload.counts()["participants"] == 0
