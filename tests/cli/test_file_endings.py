"""A file a person opens is what its name says: a command that decides the format refuses a name
whose ending says another (or, for a file a person double-clicks, none), in one line saying which
ending to use, and writes nothing; where the format follows from the name (report and export
without --format), it is taken from the name."""

from __future__ import annotations

import csv
import os
from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner

from journeyapp.cli import cli
from journeyapp.core.file_names import wrong_ending
from tests.cli.refusals import folder_state, refused

# A command line (run in the caseload's folder) and the one line refusing it, word for word.
REFUSED = {
    "return under a csv name": (
        ["return", "--quarter", "2026Q3", "--out", "r.csv"],
        "--out r.csv: the return is a workbook; give a name ending .xlsx, e.g. --out r.xlsx. "
        "Nothing was written.",
    ),
    "a workbook export without an ending": (
        ["export", "--format", "xlsx", "--out", "ex"],
        "--out ex: the xlsx export is a workbook; give a name ending .xlsx, e.g. --out ex.xlsx. "
        "Nothing was written.",
    ),
    "a csv export under a file's name": (
        ["export", "--out", "q1.csv"],
        "--out q1.csv: the csv export is a folder with one file per table, and a name ending "
        ".csv says a file; give a folder name without it, e.g. --out q1. Nothing was written.",
    ),
    "a text report under a workbook's name": (
        ["report", "--format", "text", "--out", "rep.xlsx"],
        "--out rep.xlsx: the text report is a text file; give a name ending .txt, "
        "e.g. --out rep.txt. Nothing was written.",
    ),
    "a pdf report under a workbook's name": (
        ["report", "--format", "pdf", "--out", "rep.xlsx"],
        "--out rep.xlsx: the pdf report is a PDF; give a name ending .pdf, e.g. --out rep.pdf. "
        "Nothing was written.",
    ),
    "a plan under a document's name": (
        ["plan", "Someone", "--out", "p.docx"],
        "--out p.docx: the plan is a PDF; give a name ending .pdf, e.g. --out p.pdf. "
        "Nothing was written.",
    ),
    "plans into a PDF's name": (
        ["plans", "--out", "plans.pdf"],
        "--out plans.pdf: the plans go into a folder, one PDF each, and a name ending .pdf "
        "says a file; give a folder name without it, e.g. --out plans. Nothing was written.",
    ),
    "a backup under a workbook's name": (
        ["backup", "--out", "b.xlsx"],
        "--out b.xlsx: the backup is a caseload file; give a name ending .db, e.g. --out b.db. "
        "Nothing was written.",
    ),
    "a bundle under a PDF's name": (
        ["bundle", "--out", "b.pdf"],
        "--out b.pdf: what you take to the other laptop is a journey-log bundle; give a name "
        "ending .jlb, e.g. --out b.jlb. Nothing was written.",
    ),
    "a calendar under a csv name": (
        ["appointments", "--ics", "m.csv"],
        "--ics m.csv: the list of meetings is a calendar file; give a name ending .ics, "
        "e.g. --ics m.ics. Nothing was written.",
    ),
    "a key under a text file's name": (
        ["partnership-key", "--save", "k.txt"],
        "--save k.txt: the partnership's key is a key file; give a name ending .key, "
        "e.g. --save k.key. Nothing was written.",
    ),
}


@pytest.mark.parametrize("case", sorted(REFUSED))
def test_a_name_saying_another_format_is_refused_and_nothing_written(
    case: str, runner: CliRunner, demo_db: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    args, line = REFUSED[case]
    monkeypatch.chdir(demo_db.parent)
    before = folder_state(demo_db.parent)
    result = runner.invoke(cli, [*args, "--db", str(demo_db)])
    assert refused(result, code=result.exit_code) == f"Error: {line}"
    assert result.exit_code in (1, 2)  # 2: refused as click reads the command line
    assert folder_state(demo_db.parent) == before


def test_report_takes_its_format_from_the_name(runner: CliRunner, demo_db: Path) -> None:
    folder = demo_db.parent
    for name in ("report.csv", "report.xlsx"):
        wrote = runner.invoke(cli, ["report", "--db", str(demo_db), "--out", str(folder / name)])
        assert wrote.exit_code == 0, wrote.output
    with (folder / "report.csv").open(encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.reader(handle))
    assert len(rows) > 1  # a table, not the text report
    assert len(rows[0]) > 1
    workbook = openpyxl.load_workbook(folder / "report.xlsx", read_only=True)
    assert workbook.sheetnames


def test_a_text_report_may_have_any_name_that_says_no_other_format(
    runner: CliRunner, demo_db: Path
) -> None:
    """Text opens in any editor: no ending, .md or .text is text (without --format too)."""
    folder = demo_db.parent
    for name, args in (("rep", []), ("notes.md", ["--format", "text"]), ("r.text", [])):
        wrote = runner.invoke(
            cli, ["report", "--db", str(demo_db), "--out", str(folder / name), *args]
        )
        assert wrote.exit_code == 0, wrote.output
        assert (folder / name).read_text(encoding="utf-8").startswith("Programme report")


def test_export_under_a_workbook_name_is_a_workbook(runner: CliRunner, demo_db: Path) -> None:
    out = demo_db.parent / "q1.xlsx"
    wrote = runner.invoke(cli, ["export", "--db", str(demo_db), "--out", str(out)])
    assert wrote.exit_code == 0, wrote.output
    assert out.is_file()
    assert openpyxl.load_workbook(out, read_only=True).sheetnames


def test_a_name_already_there_is_left_to_the_command(tmp_path: Path) -> None:
    there = tmp_path / "r.csv"
    there.write_text("mine")
    assert wrong_ending(there, "--out", "the return", "xlsx") is None  # "already exists"
    assert wrong_ending(tmp_path / "R.XLSX", "--out", "the return", "xlsx") is None
    assert wrong_ending("b", "--out", "the backup", "backup") is None  # only JourneyApp opens it
    assert os.listdir(tmp_path) == ["r.csv"]
