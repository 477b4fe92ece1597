"""Spreadsheet imports: recognised by headings, every row checked, all or nothing, idempotent."""

from __future__ import annotations

import csv
import io
import zipfile
from datetime import date
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from click.testing import CliRunner

from journeyapp.caseload import Caseload
from journeyapp.cli import cli
from journeyapp.core.records import Contact, Job, Milestone
from journeyapp.core.validation import wall_clock
from journeyapp.exchange.spreadsheet import MAX_BYTES, ImportRefused, import_file

LOCALITIES = ("edinburgh", "Fife", "glasgow", "North Lanarkshire", "south_lanarkshire")


def write_csv(path: Path, rows: list[list[str]], *, bom: bool = True) -> Path:
    with path.open("w", encoding="utf-8-sig" if bom else "utf-8", newline="") as handle:
        csv.writer(handle).writerows(rows)
    return path


def parents(n: int) -> list[list[str]]:
    rows = [
        ["Ref", "Preferred Name", "locality", "Joined_On", "full name", "Date of birth", "status"]
    ]
    for i in range(n):
        joined = (
            f"{(i % 27) + 1:02d}/0{(i % 9) + 1}/2026"
            if i % 2
            else f"2026-0{(i % 9) + 1}-{(i % 27) + 1:02d}"
        )
        rows.append(
            [
                f"EDN-{i:04d}",
                f"Parent {i}",
                LOCALITIES[i % 5],
                joined,
                f"Parent {i} Fictional",
                "",
                "active",
            ]
        )
    return rows


def test_three_bad_rows_among_a_thousand_are_reported_and_nothing_is_written(
    caseload: Caseload, tmp_path: Path
) -> None:
    rows = parents(1000)
    rows[101][3] = "31/02/2026"  # no such date: file line 102
    rows[502][2] = "Atlantis"  # not a locality: line 503
    rows[900][1] = ""  # no name: line 901
    path = write_csv(tmp_path / "parents.csv", rows)
    before = caseload.counts()

    report = import_file(caseload, path)

    assert [p.line for p in report.problems] == [102, 503, 901]
    assert "not a date" in report.problems[0].reason
    assert "Atlantis" in report.problems[1].reason
    assert "preferred_name is empty" in report.problems[2].reason
    assert not report.applied
    assert caseload.counts() == before

    dry = import_file(caseload, path, dry_run=True)
    assert [p.line for p in dry.problems] == [102, 503, 901]


# Each way a parent's row can be wrong, with a word its message must carry.
BREAKS = {
    "ref": ("", "ref is empty"),
    "name": ("", "preferred_name is empty"),
    "locality": ("Atlantis", "Atlantis"),
    "joined": ("31/02/2026", "joined_on '31/02/2026'"),
    "birth": ("2026-13-40", "date_of_birth '2026-13-40'"),
    "status": ("sanctioned", "sanctioned"),
}
COLUMNS = {"ref": 0, "name": 1, "locality": 2, "joined": 3, "birth": 5, "status": 6}


@pytest.mark.parametrize(
    "broken",
    [
        ("name", "joined"),
        ("locality", "birth", "status"),
        ("ref", "name", "locality", "joined"),
        ("joined",),
        tuple(BREAKS),
    ],
)
def test_every_problem_in_a_row_is_named_at_once(
    caseload: Caseload, tmp_path: Path, broken: tuple[str, ...]
) -> None:
    rows = parents(3)
    for what in broken:
        rows[2][COLUMNS[what]] = BREAKS[what][0]
    path = write_csv(tmp_path / "parents.csv", rows)
    before = caseload.counts()

    report = import_file(caseload, path)

    # One problem line for the row (line 3), naming each broken cell, so one correction does.
    assert [p.line for p in report.problems] == [3]
    reason = report.problems[0].reason
    for what in BREAKS:
        assert (BREAKS[what][1] in reason) == (what in broken), (what, reason)
    assert not report.applied
    assert caseload.counts() == before


def test_a_good_file_imports_once_and_again_changes_nothing(
    caseload: Caseload, tmp_path: Path
) -> None:
    path = write_csv(tmp_path / "parents.csv", parents(40))
    dry = import_file(caseload, path, dry_run=True)
    assert (dry.to_create, dry.applied, caseload.counts()["participants"]) == (40, False, 0)

    done = import_file(caseload, path)
    assert (done.to_create, done.applied) == (40, True)
    found = caseload.find_participants("EDN-0007")[0]
    assert (found.preferred_name, found.locality, found.joined_on) == (
        "Parent 7",
        "glasgow",
        date(2026, 8, 8),
    )
    counts = caseload.counts()

    again = import_file(caseload, path)
    assert (again.to_create, again.to_update, again.unchanged) == (0, 0, 40)
    assert caseload.counts() == counts

    rows = parents(40)
    rows[8][1] = "Parent seven"  # a correction: that one row is updated
    changed = import_file(caseload, write_csv(tmp_path / "fixed.csv", rows))
    assert (changed.to_create, changed.to_update, changed.unchanged) == (0, 1, 39)
    assert caseload.find_participants("EDN-0007")[0].preferred_name == "Parent seven"


def test_milestones_and_contacts_match_on_ref_type_and_date(
    caseload: Caseload, tmp_path: Path
) -> None:
    import_file(caseload, write_csv(tmp_path / "p.csv", parents(3)))
    milestones = write_csv(
        tmp_path / "m.csv",
        [
            ["REF", "Milestone", "Achieved on", "Note"],
            ["EDN-0000", "started_work", "01/10/2026", "=SUM(1)"],
            ["EDN-0001", "Started a course", "2026-09-01", ""],
            ["EDN-0001", "Started a course", "2026-09-01", ""],
        ],
    )
    contacts = write_csv(
        tmp_path / "c.csv",
        [
            ["ref", "on", "kind", "minutes", "note"],
            ["EDN-0002", "2026-10-02", "Phone or text", "15", "Called"],
        ],
    )
    assert import_file(caseload, milestones).to_create == 2
    assert import_file(caseload, contacts).to_create == 1
    assert import_file(caseload, milestones).unchanged == 3
    assert import_file(caseload, contacts).unchanged == 1
    # "Started work" comes with its job from that day, as the window and the milestone
    # command record it (no parent counted in work with no job), once however often imported.
    [started] = [m for m in caseload.all_records(Milestone) if m.type == "started_work"]
    [job] = caseload.all_records(Job)
    assert (job.milestone_id, job.started_on) == (started.id, started.achieved_on)
    notes = sorted(m.note for m in caseload.all_records(Milestone))
    assert notes == ["", "=SUM(1)"]  # kept as typed: neutralised only on export
    [contact] = [c for c in caseload.all_records(Contact) if c.note == "Called"]
    assert (contact.minutes, contact.kind) == (15, "phone_text")

    unknown = write_csv(
        tmp_path / "u.csv", [["ref", "on", "kind"], ["NOPE-1", "2026-10-02", "group"]]
    )
    report = import_file(caseload, unknown)
    assert "import the parents list first" in report.problems[0].reason


def test_xlsx_import_reads_dates_and_numbers(caseload: Caseload, tmp_path: Path) -> None:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["ref", "preferred_name", "locality", "joined_on", "date_of_birth"])
    sheet.append(["X-1", "Morven", "Fife", date(2026, 2, 3), date(1990, 5, 6)])
    sheet.append(["X-2", "Zoë", "glasgow", "03/04/2026", None])
    book.save(tmp_path / "p.xlsx")
    report = import_file(caseload, tmp_path / "p.xlsx")
    assert report.applied, report.problems
    morven = caseload.find_participants("X-1")[0]
    assert (morven.joined_on, morven.date_of_birth) == (date(2026, 2, 3), date(1990, 5, 6))
    assert caseload.find_participants("X-2")[0].joined_on == date(2026, 4, 3)


def test_unsafe_or_unreadable_files_are_refused_whole(caseload: Caseload, tmp_path: Path) -> None:
    big = tmp_path / "big.csv"
    with big.open("wb") as handle:
        handle.truncate(MAX_BYTES + 1)
    with pytest.raises(ImportRefused, match="split it"):
        import_file(caseload, big)

    bomb = tmp_path / "bomb.xlsx"
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/workbook.xml", "<workbook/>")
        archive.writestr("xl/worksheets/sheet1.xml", b"\0" * 50_000_000)
    with pytest.raises(ImportRefused, match="far more than a spreadsheet"):
        import_file(caseload, bomb)

    laughs = tmp_path / "laughs.xlsx"
    book = openpyxl.Workbook()
    book.save(laughs)
    data = io.BytesIO()
    with zipfile.ZipFile(laughs) as src, zipfile.ZipFile(data, "w") as dst:
        for item in src.infolist():
            body = src.read(item)
            if item.filename == "xl/workbook.xml":
                # defusedxml refuses any entity declaration (the billion laughs need them)
                body = (
                    b'<!DOCTYPE lolz [<!ENTITY lol "lol">'
                    b'<!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">]>' + body
                )
            dst.writestr(item, body)
    laughs.write_bytes(data.getvalue())
    # defusedxml refuses the entities; with lxml they are never expanded: refused either way
    with pytest.raises(ImportRefused, match=r"cannot be read|is empty"):
        import_file(caseload, laughs)

    wrong = write_csv(tmp_path / "w.csv", [["name", "town"], ["A", "B"]])
    with pytest.raises(ImportRefused, match="first 10 rows must name the columns"):
        import_file(caseload, wrong)
    extra = write_csv(
        tmp_path / "e.csv", [["ref", "on", "kind", "password"], ["A", "2026-01-01", "phone", "x"]]
    )
    report = import_file(caseload, extra)  # the extra column is listed, never read
    assert any("password" in note for note in report.notes)
    assert [p.reason[:30] for p in report.problems] == ["No parent has the reference 'A"]
    assert caseload.counts()["participants"] == 0


def test_import_command_lists_bad_lines_and_exits_non_zero(
    caseload: Caseload, tmp_path: Path
) -> None:
    # The command works on the real clock (it opens its own caseload): joined last year, so
    # no date is in the future whatever the day the test runs.
    last_year = str(wall_clock().year - 1)
    rows = [[*row[:3], row[3].replace("2026", last_year), *row[4:]] for row in parents(5)]
    rows[2][3] = "yesterday"
    path = write_csv(tmp_path / "p.csv", rows)
    db = caseload.path
    caseload.close()
    runner = CliRunner()
    result = runner.invoke(cli, ["import", "--db", str(db), str(path), "--dry-run"])
    assert result.exit_code == 1
    assert "Line 3:" in result.output
    assert "nothing was imported" in result.output
    rows[2][3] = f"{last_year}-03-03"
    write_csv(path, rows)
    ok = runner.invoke(cli, ["import", "--db", str(db), str(path)])
    assert ok.exit_code == 0, ok.output
    assert "5 new" in ok.output


@pytest.mark.parametrize("n", [1, 2, 12])
def test_the_summary_counts_rows_in_plain_words(caseload: Caseload, tmp_path: Path, n: int) -> None:
    """ "1 row", never "1 rows", whether the file imports or is refused."""
    good = import_file(caseload, write_csv(tmp_path / "good.csv", parents(n)), dry_run=True)
    rows = parents(n)
    for row in rows[1:]:
        row[3] = "2026-02-30"  # a day that does not exist: every row refused
    bad = import_file(caseload, write_csv(tmp_path / "bad.csv", rows), dry_run=True)
    word = "row" if n == 1 else "rows"
    assert f"({good.kind}, {n} {word}):" in good.summary()
    assert f"{n} of {n} {word} cannot be imported" in bad.summary()
    assert "1 rows" not in good.summary() + bad.summary()


def test_a_milestone_note_says_whose_words_it_is(caseload: Caseload, tmp_path: Path) -> None:
    """An optional whose_words column records whose words a milestone's note is (by key or by
    the words the window shows); without it, or empty, the note is the parent's. A value that
    is not one of them refuses the file, naming the line and the choices, and imports nothing."""
    from journeyapp.core.enums import Voice

    # The command works on the real clock: everything happened last year, whatever the day.
    year = str(wall_clock().year - 1)
    people = [[*row[:3], row[3].replace("2026", year), *row[4:]] for row in parents(4)]
    on = f"{year}-10-01"
    rows = [
        ["ref", "milestone", "achieved_on", "note", "Whose words"],
        ["EDN-0000", "Started a course", on, "Loved the first day", ""],
        ["EDN-0001", "Started a course", on, "Settled in well", "keyworker"],
        ["EDN-0002", "Started a course", on, "Ready for more", "Agreed together"],
        ["EDN-0003", "Started a course", on, "Went well", "Keyworker's note"],
    ]
    db = caseload.path
    caseload.close()
    runner = CliRunner()

    def run(path: Path) -> Any:
        return runner.invoke(cli, ["import", "--db", str(db), str(path)])

    assert run(write_csv(tmp_path / "p.csv", people)).exit_code == 0
    bad = run(
        write_csv(tmp_path / "bad.csv", [*rows, ["EDN-0003", "joined_group", on, "x", "mum"]])
    )
    assert bad.exit_code == 1
    assert "Line 6:" in bad.output
    assert "'mum' is unknown; use one of: parent, together, keyworker" in bad.output
    assert "nothing was imported" in bad.output
    good = run(write_csv(tmp_path / "m.csv", rows))
    assert good.exit_code == 0, good.output
    reopened = Caseload.open(db)
    try:
        voices = {m.note: m.voice for m in reopened.all_records(Milestone)}
    finally:
        reopened.close()
    assert voices == {
        "Loved the first day": Voice.PARENT,
        "Settled in well": Voice.KEYWORKER,
        "Ready for more": Voice.TOGETHER,
        "Went well": Voice.KEYWORKER,
    }
