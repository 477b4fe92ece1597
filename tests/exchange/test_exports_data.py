"""Exports that are data: the report as numbers, dates as dates, and no cell that any
spreadsheet, in any locale, runs as a formula (checked with LibreOffice where it is installed)."""

from __future__ import annotations

import csv
import io
import json
import random
import shutil
import subprocess
from datetime import date, datetime
from pathlib import Path

import openpyxl
import pytest
from openpyxl.utils import get_column_letter

from journeyapp.caseload import Caseload
from journeyapp.core.text import defuse
from journeyapp.exchange.export import ExportOptions, export
from journeyapp.exchange.report import ProgrammeReport, build_report, build_report_set

HOSTILE_VENUE = 'Library;=HYPERLINK("http://example.org","click")'
SPACED = " =2*3"


@pytest.mark.parametrize(
    ("text", "safe"),
    [
        ("=1+1", "'=1+1"),
        (SPACED, " '=2*3"),
        (HOSTILE_VENUE, 'Library;\'=HYPERLINK("http://example.org","click")'),
        ("Tea, -ish", "Tea, '-ish"),
        ("Family hub", "Family hub"),
        ("Siobhán's flat", "Siobhán's flat"),
        ("", ""),
    ],
)
def test_defuse_leaves_no_formula_after_spaces_or_a_delimiter(text: str, safe: str) -> None:
    assert defuse(text) == safe


def test_the_report_csv_holds_numbers_with_percent_and_n_apart(demo_caseload: Caseload) -> None:
    report = build_report(demo_caseload)
    rows = list(csv.DictReader(io.StringIO(report.to_csv())))
    assert list(rows[0]) == list(ProgrammeReport.TABLE_COLUMNS)
    # The first rows say what the report is and its period (section "report"), then figures.
    assert rows[0]["section"] == "report"
    reach = next(row for row in rows if row["section"] != "report")
    assert (reach["item"], reach["count"]) == ("participants", "30")
    for row in rows:
        for column in ("count", "parents"):
            assert row[column] == "" or row[column].isdigit(), row
        for column in ("percent", "value"):
            assert row[column] == "" or float(row[column]) == float(row[column]), row
        if row["withheld"] == "yes":
            assert (row["count"], row["percent"], row["value"]) == ("", "", "")
    averages = [r for r in rows if r["value"] and r["section"] == "distance_travelled"]
    assert averages
    assert all(int(r["parents"]) >= 5 for r in averages)  # each average says what it rests on
    shown = [r for r in rows if r["section"] == "milestones" and r["count"]]
    assert all(float(r["percent"]) == round(100 * int(r["count"]) / 30, 1) for r in shown)


def hostile(caseload: Caseload) -> str:
    parent = caseload.enrol_participant(
        "Ola", "fife", joined_on=date(2026, 3, 1), keyworker=SPACED, referral_source="=1+1"
    )
    caseload.log_contact(parent.id, on=date(2026, 3, 2), venue=HOSTILE_VENUE)
    return parent.id


def test_exported_xlsx_dates_are_dates_and_text_is_text(caseload: Caseload, tmp_path: Path) -> None:
    hostile(caseload)
    out = tmp_path / "all.xlsx"
    export(caseload, out, ExportOptions(format="xlsx", identifiable=True))
    book = openpyxl.load_workbook(out)
    contacts = book["contacts"]
    headings = [c.value for c in contacts[1]]
    row = [c for c in contacts[2]]
    on = row[headings.index("on")]
    assert isinstance(on.value, datetime)
    assert on.value.date() == date(2026, 3, 2)
    assert row[headings.index("venue")].value == defuse(HOSTILE_VENUE)
    assert row[headings.index("venue")].data_type == "s"


def soffice_convert(
    source: Path, out: Path, infilter: str | None = None, *, locale: str = ""
) -> Path:
    """Convert with LibreOffice headless; `infilter` chooses the CSV separator (59 is ';');
    `locale` (e.g. "de-DE") sets LibreOffice's own locale in a fresh profile."""
    profile = out / ("profile" + (f"-{locale}" if locale else ""))
    if locale:
        user = profile / "user"
        user.mkdir(parents=True, exist_ok=True)
        (user / "registrymodifications.xcu").write_text(
            '<?xml version="1.0" encoding="UTF-8"?>\n'
            '<oor:items xmlns:oor="http://openoffice.org/2001/registry" '
            'xmlns:xs="http://www.w3.org/2001/XMLSchema" '
            'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">\n'
            '<item oor:path="/org.openoffice.Setup/L10N"><prop oor:name="ooSetupSystemLocale" '
            f'oor:op="fuse"><value>{locale}</value></prop></item>\n'
            '<item oor:path="/org.openoffice.Setup/L10N"><prop oor:name="ooLocale" '
            f'oor:op="fuse"><value>{locale}</value></prop></item>\n'
            "</oor:items>\n",
            encoding="utf-8",
        )
    command = [
        "soffice",
        "--headless",
        f"-env:UserInstallation=file://{profile}",
        "--convert-to",
        "xlsx",
        "--outdir",
        str(out),
    ]
    if infilter:
        command.insert(2, f"--infilter={infilter}")
    subprocess.run([*command, str(source)], check=True, capture_output=True, timeout=180)
    return out / (source.stem + ".xlsx")


def formulas(path: Path) -> list[str]:
    book = openpyxl.load_workbook(path)
    return [
        str(cell.value)
        for sheet in book.worksheets
        for row in sheet.iter_rows()
        for cell in row
        if cell.data_type == "f" or (isinstance(cell.value, str) and cell.value.startswith("="))
    ]


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice is not installed")
def test_libreoffice_in_a_semicolon_locale_finds_no_formula(
    caseload: Caseload, tmp_path: Path
) -> None:
    hostile(caseload)
    folder = tmp_path / "csv"
    export(caseload, folder, ExportOptions(format="csv", identifiable=True))
    xlsx = tmp_path / "all.xlsx"
    export(caseload, xlsx, ExportOptions(format="xlsx", identifiable=True))
    report = tmp_path / "report.csv"
    report.write_text(build_report(caseload).to_csv(suppress=False), encoding="utf-8-sig")
    converted = tmp_path / "converted"
    converted.mkdir()
    for name in ("contacts.csv", "participants.csv", "journey_log.csv"):
        for separator in ("59", "44"):  # ; as a semicolon locale reads a CSV, and ,
            out = converted / separator
            out.mkdir(exist_ok=True)
            made = soffice_convert(folder / name, out, f"CSV:{separator},34,76,1")
            assert formulas(made) == [], (name, separator)
    made = soffice_convert(xlsx, converted)
    assert formulas(made) == []
    contacts = openpyxl.load_workbook(made)["contacts"]
    headings = [c.value for c in contacts[1]]
    assert isinstance(contacts.cell(2, headings.index("on") + 1).value, datetime)
    numbers = soffice_convert(report, converted / "44", "CSV:44,34,76,1")
    sheet = openpyxl.load_workbook(numbers).active
    # Below the rows saying what the report is and its period (section "report"):
    first = next(r for r in range(2, sheet.max_row + 1) if sheet.cell(r, 1).value != "report")
    assert sheet.cell(first, 4).value == 1  # one parent reached: a number, not text


def _cells(path: Path) -> dict[str, list[list[object]]]:
    """Every sheet's values, dates as dates (a spreadsheet may hold them as date-times)."""
    book = openpyxl.load_workbook(path)
    sheets: dict[str, list[list[object]]] = {}
    for sheet in book.worksheets:
        rows = []
        for row in sheet.iter_rows(values_only=True):
            values = [v.date() if isinstance(v, datetime) else v for v in row]
            while values and values[-1] in (None, ""):
                values.pop()
            if values:
                rows.append(values)
        sheets[sheet.title] = rows
    return sheets


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice is not installed")
def test_a_round_trip_through_libreoffice_in_a_german_locale_keeps_every_value(
    caseload: Caseload, tmp_path: Path
) -> None:
    """A semicolon locale (de-DE: ';' between CSV fields, ',' in decimals) opens the XLSX export
    and saves it again: every value comes back the same, dates as dates, text as text, and no
    formula; its CSV read with ';' holds none either."""
    hostile(caseload)
    xlsx = tmp_path / "all.xlsx"
    export(caseload, xlsx, ExportOptions(format="xlsx", identifiable=True))
    folder = tmp_path / "csv"
    export(caseload, folder, ExportOptions(format="csv", identifiable=True))
    converted = tmp_path / "de"
    converted.mkdir()
    again = soffice_convert(xlsx, converted, locale="de-DE")
    assert formulas(again) == []
    before, after = _cells(xlsx), _cells(again)
    assert set(after) == set(before)
    for name, rows in before.items():
        assert after[name] == rows, name
    semicolon = converted / "59"
    semicolon.mkdir()
    made = soffice_convert(folder / "contacts.csv", semicolon, "CSV:59,34,76,1", locale="de-DE")
    assert formulas(made) == []


def test_the_report_workbook_shows_every_label_and_figure_whole(
    demo_caseload: Caseload, tmp_path: Path
) -> None:
    """Every column of the report's sheet is as wide as the longest text or figure in it (the
    title above runs on across them), in every locality's report, withheld or exact."""
    demo_caseload.update_participant(
        demo_caseload.participants()[0].id, keyworker="Aileen Siobhán MacDonald-Fitzgerald"
    )
    reports = [
        (report, suppress)
        for report in build_report_set(demo_caseload).values()
        for suppress in (True, False)
    ]
    for n, (report, suppress) in enumerate(reports):
        out = tmp_path / f"report-{n}.xlsx"
        report.write_xlsx(out, suppress=suppress)
        sheet = openpyxl.load_workbook(out)["report"]
        assert sheet.freeze_panes == "A4"  # the headings stay in sight
        assert [c.value for c in sheet[3]] == list(ProgrammeReport.TABLE_COLUMNS)
        # The line under the title (the period and how small counts were treated, a few
        # hundred characters) wraps within the table's columns: left to run on, it made the
        # printed page, fitted to its width, shrink the table to a fraction of its size.
        across = f"A2:{get_column_letter(len(ProgrammeReport.TABLE_COLUMNS))}2"
        assert across in {str(r) for r in sheet.merged_cells.ranges}
        assert sheet["A2"].alignment.wrap_text
        widths = sum(sheet.column_dimensions[c].width for c in "ABCDEFGHI")
        assert sheet.row_dimensions[2].height * widths >= 15 * len(sheet["A2"].value)
        for column in sheet.iter_cols(min_row=3):
            letter = get_column_letter(column[0].column)
            longest = max(len(str(c.value)) for c in column if c.value is not None)
            width = sheet.column_dimensions[letter].width
            assert min(longest, 58) < width, (letter, column[0].value, longest, width)


# What the about note names as the places a ' may be put besides a cell's start (the note's
# words for them), and the characters a ' is put before there.
_SPLITS = {";": ";", ",": ",", "|": "|", "\t": "TAB"}
_FORMULA = "=+-@"


def _marks_explained(original: str, shown: str) -> bool:
    """`shown` is `original` with a ' put only before a formula character at the start (after
    any spaces or line breaks) or after one of _SPLITS (and any spaces), or before a TAB or
    CR that starts the text."""
    i = j = 0
    while j < len(shown):
        if i < len(original) and shown[j] == original[i]:
            i, j = i + 1, j + 1
            continue
        if shown[j] != "'" or i >= len(original):
            return False
        before = original[:i].rstrip(" \t\r\n")
        at_start = i == 0 and original[0] in "\t\r"
        gap = original[len(before) : i]  # spaces and line breaks: a TAB among them splits too
        after_split = original[i] in _FORMULA and (
            not before or before[-1] in _SPLITS or "\t" in gap
        )
        if not (at_start or after_split):
            return False
        j += 1
    return i == len(original)


def test_every_mark_an_export_puts_in_someones_words_is_one_its_about_note_names(
    caseload: Caseload, tmp_path: Path
) -> None:
    """Generated words full of formula characters, delimiters, spaces and line breaks, exported
    as CSV and XLSX: each differs from what was typed only by a ' where the note says."""
    rng = random.Random(5)
    alphabet = ["a", "é", " ", "\n", "\t", "\r", *_SPLITS, *_FORMULA, "1"]
    parent = caseload.enrol_participant("Ola", "fife", joined_on=date(2026, 3, 1))
    typed = {}
    for _ in range(300):
        words = "".join(rng.choice(alphabet) for _ in range(rng.randint(1, 10))) + "x"
        goal = caseload.add_goal(parent.id, words)
        typed[goal.id] = goal.words  # as kept (core.typed: a "\r" is a line break)
    folder, book = tmp_path / "csv", tmp_path / "all.xlsx"
    export(caseload, folder, ExportOptions(format="csv", identifiable=True))
    export(caseload, book, ExportOptions(format="xlsx", identifiable=True))
    with (folder / "goals.csv").open(encoding="utf-8-sig", newline="") as handle:
        from_csv = {row["id"]: row["words"] for row in csv.DictReader(handle)}
    sheet = openpyxl.load_workbook(book)["goals"]
    headings = [c.value for c in sheet[1]]
    from_xlsx = {
        row[headings.index("id")]: row[headings.index("words")]
        for row in sheet.iter_rows(min_row=2, values_only=True)
    }
    marked = 0
    for goal_id, words in typed.items():
        for shown in (from_csv[goal_id], from_xlsx[goal_id]):
            assert _marks_explained(words, shown), (words, shown)
            marked += shown != words
    assert marked > 100  # the generated words did need marks
    notes = [json.loads((folder / "about-this-export.json").read_text())["formula_cells"]]
    notes.append(
        dict(openpyxl.load_workbook(book)["about"].iter_rows(values_only=True))["formula_cells"]
    )
    for note in notes:
        assert set(_SPLITS.values()) | set(_FORMULA) <= set(note.split()), note


def test_words_over_several_lines_show_whole_in_the_workbook(
    caseload: Caseload, tmp_path: Path
) -> None:
    """Every cell of someone's words with a line break is wrapped, in a row tall enough for
    every line (it opened one line high, the rest running over the rows below); other rows
    keep the spreadsheet's own height, and the words are as typed."""
    rng = random.Random(9)
    parent = caseload.enrol_participant("Ola", "fife", joined_on=date(2026, 3, 1))
    pieces = ["I", "want", "to", "get", "my", "confidence", "back", "Siobhán", "💪", "=1+1"]
    typed: dict[str, str] = {}
    for n in range(120):
        lines = [
            " ".join(rng.choice(pieces) for _ in range(rng.randint(1, 15)))
            for _ in range(rng.randint(1, 5))
        ]
        words = rng.choice(["\n", "\r\n"]).join(lines)
        typed[caseload.add_goal(parent.id, words).id] = words.replace("\r\n", "\n")  # as kept
        caseload.log_contact(parent.id, on=date(2026, 3, 2), note=words, minutes=n + 1)
    out = tmp_path / "all.xlsx"
    export(caseload, out, ExportOptions(format="xlsx", identifiable=True))
    book = openpyxl.load_workbook(out)
    checked = 0
    for name, column in (("goals", "words"), ("contacts", "note")):
        sheet = book[name]
        at = [c.value for c in sheet[1]].index(column)
        for row in sheet.iter_rows(min_row=2):
            cell = row[at]
            text = str(cell.value)
            height = sheet.row_dimensions[cell.row].height
            if "\n" not in text:
                assert height is None, (name, text)
                continue
            assert cell.alignment.wrap_text, (name, text)
            assert height is not None, (name, text)
            assert height >= 15 * (text.count("\n") + 1), (name, text)
            checked += 1
        if name == "goals":
            ids = [r[0].value for r in sheet.iter_rows(min_row=2)]
            shown = [r[at].value for r in sheet.iter_rows(min_row=2)]
            assert {i: defuse(typed[i]) for i in ids} == dict(zip(ids, shown, strict=True))
    assert checked > 100


@pytest.mark.parametrize("fmt", ["text", "csv", "json", "xlsx", "pdf"])
def test_a_report_with_exact_small_counts_says_so_in_the_file_or_on_the_command_line(
    demo_caseload: Caseload, tmp_path: Path, fmt: str
) -> None:
    """`--exact` shows counts that can pick a parent out: the command says the file is for
    the coordinator's own use, and every file with words of its own says it too; a report
    with small counts withheld says neither."""
    from click.testing import CliRunner

    from journeyapp.cli import cli
    from journeyapp.exchange.report import EXACT_NOTE, EXACT_USE

    db = ["--db", str(tmp_path / "demo.db")]
    for exact in (True, False):
        out = tmp_path / f"report-{exact}.{'txt' if fmt == 'text' else fmt}"
        made = CliRunner().invoke(
            cli, ["report", *db, "--format", fmt, "--out", str(out), *(["--exact"] * exact)]
        )
        assert made.exit_code == 0, made.output
        assert (EXACT_USE in made.output) is exact
        if fmt == "text":
            words = out.read_text(encoding="utf-8")
        elif fmt == "xlsx":
            sheet = openpyxl.load_workbook(out)["report"]
            words = "\n".join(str(c.value) for c in sheet["A"][:2])
        elif fmt == "pdf":
            from pypdf import PdfReader

            words = "".join(page.extract_text() for page in PdfReader(out).pages)
        else:
            continue  # data only: the numbers, no words of its own
        assert (EXACT_NOTE in " ".join(words.split())) is exact, words[-300:]
