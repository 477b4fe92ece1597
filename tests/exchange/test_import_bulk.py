"""The spreadsheet import's bulk write against the same rows written one by one through the
record use cases: the same report, the same Changes, every table's rows and every export equal.

Two fresh caseloads with one fixed clock take the same files, one through `import_file` (new
records together: one insert per kind, their journey-log events and search entries in one go)
and one through `import_file(one_by_one=True)` (each row through enrol_participant,
record_milestone, log_contact, update_participant). Ids that are random by design (records,
events, transactions, the laptop's own id) are compared by where they first appear: each is
replaced by its number in order of first appearance, reading every table in rowid order and
then every export file in name order.
"""

from __future__ import annotations

import csv
import json
import re
import string
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from journeyapp.caseload import Caseload
from journeyapp.core.changes import Changes
from journeyapp.exchange.export import ExportOptions, export
from journeyapp.exchange.spreadsheet import ImportRefused, ImportReport, import_file
from tests.conftest import TODAY

NOW = datetime(TODAY.year, TODAY.month, TODAY.day, 12, tzinfo=UTC)
_UUID = re.compile(r"[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}")
# Tables an import never writes whose rows are random by design (the laptop's keys, when
# each migration ran).
_RANDOM_BY_DESIGN = {"settings", "_sqlite_migrations"}
_FTS_SHADOWS = ("_data", "_idx", "_content", "_docsize", "_config")


class Ids:
    """Random ids replaced by their number in order of first appearance."""

    def __init__(self) -> None:
        self.seen: dict[str, int] = {}

    def _number(self, match: re.Match[str]) -> str:
        text = match.group(0).lower()
        return f"<id {self.seen.setdefault(text, len(self.seen))}>"

    def text(self, value: str) -> str:
        return _UUID.sub(self._number, value)

    def value(self, value: Any) -> Any:
        if isinstance(value, bytes) and len(value) == 16:  # the journal's ids as 16 bytes
            h = value.hex()
            value = f"{h[:8]}-{h[8:12]}-{h[12:16]}-{h[16:20]}-{h[20:]}"
        if isinstance(value, str):
            return self.text(value)
        return value


def tables(caseload: Caseload, ids: Ids) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of every table (full-text tables through themselves, with their rowids), in
    rowid order, random ids replaced; then the tables without rowids, sorted (their keys may be
    random ids, numbered by then)."""
    db = caseload.db
    found = db.execute(
        "SELECT name, sql LIKE 'CREATE VIRTUAL TABLE%', sql LIKE '%WITHOUT ROWID%' "
        "FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_stat%' ORDER BY name"
    ).fetchall()
    virtual = [name for name, is_virtual, _ in found if is_virtual]
    wanted = [
        (name, without_rowid)
        for name, _, without_rowid in found
        if name not in _RANDOM_BY_DESIGN
        and not any(name == v + s for v in virtual for s in _FTS_SHADOWS)
    ]
    out: dict[str, list[tuple[Any, ...]]] = {}
    for name, without_rowid in sorted(wanted, key=lambda w: w[1]):
        if without_rowid:
            rows = db.execute(f'SELECT * FROM "{name}"').fetchall()
            out[name] = sorted((tuple(ids.value(v) for v in row) for row in rows), key=repr)
        else:
            rows = db.execute(f'SELECT rowid, * FROM "{name}" ORDER BY rowid').fetchall()
            out[name] = [tuple(ids.value(v) for v in row) for row in rows]
    return _small_numbers_resolved(db, out, ids)


def _small_numbers_resolved(
    db: Any, out: dict[str, list[tuple[Any, ...]]], ids: Ids
) -> dict[str, list[tuple[Any, ...]]]:
    """The words index's key rows with their parent and field numbers read through their tables
    (those numbers are handed out as entries come, which the bulk path and row by row need not do
    in the same order), and the two number tables as what they name."""
    if "text_search_keys" not in out:
        return out
    fields = dict(db.execute("SELECT id, kind || '.' || field FROM text_search_fields").fetchall())
    parents = {
        number: ids.value(pid)
        for number, pid in db.execute("SELECT id, participant_id FROM text_search_parents")
    }
    out["text_search_keys"] = [
        (rowid, key, parents[parent], record, fields[field])
        for rowid, key, parent, record, field in out["text_search_keys"]
    ]
    out["text_search_fields"] = sorted((row[2:] for row in out["text_search_fields"]), key=repr)
    out["text_search_parents"] = sorted((row[2:] for row in out["text_search_parents"]), key=repr)
    return out


def exports(caseload: Caseload, out: Path, ids: Ids) -> dict[str, str]:
    """The identifiable CSV and JSON-lines exports of every table and the journey log, each
    file's text with random ids replaced (the manifest's moment is the clock's, fixed here)."""
    texts: dict[str, str] = {}
    for fmt in ("csv", "jsonl"):
        folder = out / fmt
        export(caseload, folder, ExportOptions(format=fmt, identifiable=True))
        for path in sorted(folder.rglob("*")):
            if path.is_file():
                texts[f"{fmt}/{path.relative_to(folder)}"] = ids.text(
                    path.read_bytes().decode("utf-8")
                )
    return texts


@dataclass
class Pair:
    """Two fresh caseloads: one imports in bulk, the other one row at a time."""

    bulk: Caseload
    one: Caseload
    heard: dict[str, list[Changes]] = field(default_factory=lambda: {"bulk": [], "one": []})

    def load(self, path: Path) -> tuple[ImportReport, ImportReport]:
        """Import one file into both; the same refusal (or none) and the same report."""
        results: list[ImportReport | str] = []
        for caseload, one_by_one in ((self.bulk, False), (self.one, True)):
            try:
                results.append(import_file(caseload, path, one_by_one=one_by_one))
            except ImportRefused as exc:
                results.append(f"refused: {exc}")
        bulk, one = results
        if isinstance(bulk, str) or isinstance(one, str):
            assert bulk == one
            return ImportReport(path), ImportReport(path)
        same_report(bulk, one)
        return bulk, one

    def close(self) -> None:
        self.bulk.close()
        self.one.close()

    def same_everywhere(self, tmp: Path) -> None:
        """Every table, every export and every notification the same."""
        left, right = Ids(), Ids()
        bulk_tables, one_tables = tables(self.bulk, left), tables(self.one, right)
        assert bulk_tables.keys() == one_tables.keys()
        for name in bulk_tables:
            assert bulk_tables[name] == one_tables[name], name
        assert heard(self.heard["bulk"], left) == heard(self.heard["one"], right)
        bulk_files = exports(self.bulk, tmp / "bulk-export", left)
        one_files = exports(self.one, tmp / "one-export", right)
        assert bulk_files.keys() == one_files.keys()
        for name in bulk_files:
            assert bulk_files[name] == one_files[name], name
        # and the tables once more: the exports noted themselves in both journey logs alike
        assert tables(self.bulk, left) == tables(self.one, right)


def heard(changes: list[Changes], ids: Ids) -> list[tuple[Any, ...]]:
    """What listeners heard, the parents' ids as numbered in the tables."""
    return [
        (sorted(c.kinds), sorted(ids.text(p) for p in c.participant_ids), c.note) for c in changes
    ]


def same_report(bulk: ImportReport, one: ImportReport) -> None:
    """The same figures, notes and refusals."""
    assert (bulk.kind, bulk.rows, bulk.to_create, bulk.to_update, bulk.unchanged) == (
        one.kind,
        one.rows,
        one.to_create,
        one.to_update,
        one.unchanged,
    )
    assert (bulk.applied, bulk.notes, bulk.sha256) == (one.applied, one.notes, one.sha256)
    assert bulk.problems == one.problems
    assert bulk.summary() == one.summary()


def make_pair(folder: Path) -> Pair:
    """Two fresh caseloads on files in `folder`, on one fixed moment (created_at, updated_at and
    the events' `at` alike), each heard by its own listener."""
    made = []
    for name in ("bulk", "one"):
        c = Caseload.open(folder / f"{name}.db", create=True, plain=True, actor="import test")
        c.clock = lambda: NOW
        made.append(c)
    both = Pair(made[0], made[1])
    both.bulk.subscribe(both.heard["bulk"].append)
    both.one.subscribe(both.heard["one"].append)
    return both


@pytest.fixture
def pair(tmp_path: Path) -> Iterator[Pair]:
    both = make_pair(tmp_path)
    yield both
    both.close()


def write_csv(path: Path, rows: Sequence[Sequence[str]], *, delimiter: str = ",") -> Path:
    with path.open("w", encoding="utf-8-sig", newline="") as handle:
        csv.writer(handle, delimiter=delimiter).writerows(rows)
    return path


PARENT_HEADINGS = ["Ref", "Preferred Name", "locality", "Joined_On", "full name", "status"]


def parent_rows(n: int, start: int = 0, *, joined: str = "2026-03-02") -> list[list[str]]:
    places = ("edinburgh", "Fife", "glasgow", "North Lanarkshire", "south_lanarkshire")
    return [
        [f"R-{i:04d}", f"Parent {i}", places[i % 5], joined, f"Parent {i} Fictional", "active"]
        for i in range(start, start + n)
    ]


def test_parents_then_milestones_and_contacts(pair: Pair, tmp_path: Path) -> None:
    parents = write_csv(tmp_path / "p.csv", [PARENT_HEADINGS, *parent_rows(60)])
    milestones = write_csv(
        tmp_path / "m.csv",
        [
            ["ref", "milestone", "achieved_on", "note"],
            ["R-0001", "first meeting", "2026-03-02", "a good start"],
            ["R-0001", "first_meeting", "2026-03-02", "the same one again"],  # once
            ["R-0002", "Joined a group", "10/03/2026", ""],
            ["R-0003", "agreed_plan", "2026-04-01", "=1+1"],
        ],
    )
    contacts = write_csv(
        tmp_path / "c.csv",
        [
            ["ref", "on", "kind", "minutes", "note"],
            ["R-0001", "2026-03-09", "one_to_one", "45", "coffee"],
            ["R-0001", "2026-03-09", "one_to_one", "", "a second call the same day"],
            ["R-0001", "2026-03-09", "phone_text", "5", ""],
            ["R-0004", "2026-03-10", "home visit", "60", "Ŝiobhán's idea"],
        ],
    )
    for path in (parents, milestones, contacts):
        bulk, one = pair.load(path)
        assert bulk.applied
        assert one.applied
    # the same files again change nothing, in both
    for path in (parents, milestones, contacts):
        bulk, _ = pair.load(path)
        assert bulk.to_create == bulk.to_update == 0
    pair.same_everywhere(tmp_path)


def test_updates_between_new_parents_keep_the_files_order(pair: Pair, tmp_path: Path) -> None:
    pair.load(write_csv(tmp_path / "first.csv", [PARENT_HEADINGS, *parent_rows(10)]))
    rows = parent_rows(20)  # ten known (some changed), then ten new, then a known one changed
    rows[2][1] = "Parent two, now called Pat"
    rows[5][5] = "paused"
    rows.append(rows.pop(7))
    rows[-1][4] = "Seven Fictional-Jones"
    bulk, _ = pair.load(write_csv(tmp_path / "second.csv", [PARENT_HEADINGS, *rows]))
    assert (bulk.to_create, bulk.to_update, bulk.unchanged) == (10, 3, 7)
    pair.same_everywhere(tmp_path)


def test_refusals_are_the_same_and_write_nothing(pair: Pair, tmp_path: Path) -> None:
    rows = parent_rows(30)
    rows[4][0] = rows[3][0]  # the same reference twice
    rows[9][3] = "31/02/2026"  # no such day
    rows[12][2] = "Atlantis"
    rows[20][1] = ""
    bulk, _ = pair.load(write_csv(tmp_path / "bad.csv", [PARENT_HEADINGS, *rows]))
    assert [p.line for p in bulk.problems] == [6, 11, 14, 22]
    mixed = parent_rows(3)
    mixed[0][3], mixed[1][3] = "25/03/2026", "03/25/2026"
    pair.load(write_csv(tmp_path / "mixed.csv", [PARENT_HEADINGS, *mixed]))
    pair.load(write_csv(tmp_path / "good.csv", [PARENT_HEADINGS, *parent_rows(3)]))
    early = write_csv(
        tmp_path / "early.csv",
        [
            ["ref", "milestone", "achieved_on"],
            ["R-0000", "first_meeting", "2026-01-05"],  # before they joined
            ["R-0001", "agreed_plan", "2026-03-05"],
            ["R-0002", "joined_group", "2026-02-01"],  # before they joined
            ["R-0404", "joined_group", "2026-04-01"],  # no such parent
        ],
    )
    bulk, _ = pair.load(early)
    # A milestone dated before its parent joined is refused while the rows are checked, so
    # every such row is listed (and a dry run finds them), not only the first one written.
    assert [p.line for p in bulk.problems] == [2, 4, 5]
    assert "before they joined (2 Mar 2026)" in bulk.problems[0].reason
    pair.same_everywhere(tmp_path)


def test_us_dates_extra_columns_a_title_row_and_semicolons(pair: Pair, tmp_path: Path) -> None:
    us = [[*PARENT_HEADINGS, "Date of birth", "Shoe size"]]
    us += [
        [*row[:3], f"03/{10 + i}/2026", *row[4:], "12/31/1990", "9"]
        for i, row in enumerate(parent_rows(8))
    ]
    pair.load(write_csv(tmp_path / "us.csv", [["Our parents, March"], *us]))
    semi = [PARENT_HEADINGS, *parent_rows(5, 100, joined="04/05/2026")]
    pair.load(write_csv(tmp_path / "semi.csv", semi, delimiter=";"))
    cp1252 = tmp_path / "windows.csv"
    cp1252.write_bytes(
        "ref,preferred name,locality,joined on\r\nW-1,Zoë,Fife,2026-05-01\r\n".encode("cp1252")
    )
    pair.load(cp1252)
    pair.same_everywhere(tmp_path)


def test_a_workbook_with_the_rows_on_its_second_sheet(pair: Pair, tmp_path: Path) -> None:
    book = openpyxl.Workbook()
    book.active.title = "Read me"
    book.active.append(["These are our parents"])
    sheet = book.create_sheet("Parents")
    sheet.append(PARENT_HEADINGS)
    for row in parent_rows(12):
        sheet.append([*row[:3], date(2026, 3, 2), *row[4:]])
    book.save(tmp_path / "book.xlsx")
    pair.load(tmp_path / "book.xlsx")
    contacts = openpyxl.Workbook()
    contacts.active.append(["ref", "on", "kind", "minutes"])
    for n in range(12):
        contacts.active.append([f"R-{n:04d}", 46100 + n % 3, "one_to_one", 30 + n])  # Excel days
        contacts.active.append([f"R-{n:04d}", 46100 + n % 3, "one_to_one", 30 + n])
    contacts.save(tmp_path / "contacts.xlsx")
    pair.load(tmp_path / "contacts.xlsx")
    pair.same_everywhere(tmp_path)


# -- generated row sets --------------------------------------------------------------------------

_REFS = [f"G-{n}" for n in range(8)]
_PLACES = ["Edinburgh", "fife", "GLASGOW", "north_lanarkshire", "South Lanarkshire", "Narnia"]
_DAYS = ["2026-03-02", "2026-03-09", "09/03/2026", "2026-11-27", "2025-12-01", "31/02/2026"]
_words = st.text(alphabet=string.ascii_letters + " éŁ'-=+", max_size=12)


@st.composite
def parent_file(draw: st.DrawFn) -> list[list[str]]:
    rows = [["ref", "preferred_name", "locality", "joined_on", "full_name", "status"]]
    for ref in draw(st.lists(st.sampled_from(_REFS), max_size=8)):
        rows.append(
            [
                ref,
                draw(st.sampled_from(["Ann", "Bea", " Cat ", "Dee"])),
                draw(
                    st.sampled_from(_PLACES[:5]) if draw(st.integers(0, 9)) else st.just("Narnia")
                ),
                draw(st.sampled_from(_DAYS[:4])),
                draw(_words),
                draw(st.sampled_from(["", "active", "Paused", "moved_on"])),
            ]
        )
    return rows


@st.composite
def event_file(draw: st.DrawFn) -> list[list[str]]:
    milestones = draw(st.booleans())
    if milestones:
        rows = [["ref", "milestone", "achieved_on", "note"]]
        kinds = ["first_meeting", "Agreed my plan", "joined_group", "sailing"]
    else:
        rows = [["ref", "kind", "on", "note"]]
        kinds = ["one_to_one", "phone_text", "Home visit", "séance"]
    for _ in range(draw(st.integers(0, 10))):
        ref, kind = draw(st.sampled_from(_REFS)), draw(st.sampled_from(kinds))
        rows.append([ref, kind, draw(st.sampled_from(_DAYS)), draw(_words)])
    return rows


@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(files=st.lists(st.one_of(parent_file(), event_file()), min_size=1, max_size=4))
def test_generated_files_import_alike(
    tmp_path_factory: pytest.TempPathFactory, files: list[list[list[str]]]
) -> None:
    tmp = tmp_path_factory.mktemp("generated")
    both = make_pair(tmp)
    try:
        # the first file always brings some parents, so the others have someone to refer to
        both.load(write_csv(tmp / "start.csv", [PARENT_HEADINGS, *parent_rows(3)]))
        seed = [["ref", "preferred_name", "locality", "joined_on"]]
        seed += [[ref, "Someone", "fife", "2026-03-01"] for ref in _REFS[:4]]
        both.load(write_csv(tmp / "seed.csv", seed))
        for n, rows in enumerate(files):
            both.load(write_csv(tmp / f"f{n}.csv", rows))
        both.same_everywhere(tmp)
    finally:
        both.close()


def test_the_ids_map_finds_a_difference(pair: Pair, tmp_path: Path) -> None:
    """The comparison is not blind: one extra contact in one caseload is seen."""
    pair.load(write_csv(tmp_path / "p.csv", [PARENT_HEADINGS, *parent_rows(2)]))
    pid = pair.one.db.execute("SELECT id FROM participants LIMIT 1").fetchone()[0]
    pair.one.log_contact(pid, "one_to_one", on=date(2026, 3, 3))
    with pytest.raises(AssertionError):
        pair.same_everywhere(tmp_path)


def test_json_of_ids_is_mapped_inside_text() -> None:
    ids = Ids()
    text = json.dumps(
        {
            "id": "0190aaaa-bbbb-7ccc-8ddd-eeeeffff0000",
            "again": "0190AAAA-BBBB-7CCC-8DDD-EEEEFFFF0000",
        }
    )
    assert ids.text(text) == '{"id": "<id 0>", "again": "<id 0>"}'
