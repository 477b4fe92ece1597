"""Indexes: none that another index already answers (m013), and a parent's records are still
found through an index, never by reading a whole table."""

from __future__ import annotations

from typing import Any, cast

from journeyapp.caseload import Caseload
from journeyapp.core.records import RECORD_TYPES, Participant, belongs_to_a_parent
from journeyapp.store import caseload_list, figures
from journeyapp.store.connection import Database
from journeyapp.store.records import _select_sql


def _indexes(caseload: Caseload) -> dict[str, tuple[str, list[str]]]:
    """Every index on a table: name -> (table, its columns in order); partial and expression
    indexes (which answer other questions) left out."""
    found = {}
    rows = caseload.db.execute(
        "SELECT name, tbl_name, sql FROM sqlite_master WHERE type = 'index' AND name NOT LIKE "
        "'sqlite_%'"
    ).fetchall()
    for name, table, sql in rows:
        if sql and (" WHERE " in sql or "(CASE" in sql or "coalesce(" in sql):
            continue
        columns = [r[2] for r in caseload.db.execute(f'PRAGMA index_info("{name}")')]
        if None not in columns:
            found[name] = (table, columns)
    return found


def test_no_index_is_the_start_of_another_on_the_same_table(demo_caseload: Caseload) -> None:
    indexes = _indexes(demo_caseload)
    unique = {
        r[1]
        for table in {t for t, _ in indexes.values()}
        for r in demo_caseload.db.execute(f'PRAGMA index_list("{table}")')
        if r[2]
    }
    covered = sorted(
        name
        for name, (table, columns) in indexes.items()
        for other, (table2, columns2) in indexes.items()
        if other != name
        and table == table2
        and name not in unique
        and columns2[: len(columns)] == columns
    )
    assert covered == []


def test_a_parents_records_are_found_through_an_index(demo_caseload: Caseload) -> None:
    db = demo_caseload.db
    asked = [
        _select_sql(cls) + " WHERE participant_id = ? ORDER BY created_at, rowid"
        for cls in RECORD_TYPES
        if belongs_to_a_parent(cls) and cls is not Participant
    ]
    asked.append(caseload_list._LAST_CONTACT.format(pid="?"))
    asked.append(caseload_list._LATEST_PACE.format(column="pace", pid="?"))
    for sql in asked:
        plan = [r[3] for r in db.execute(f"EXPLAIN QUERY PLAN {sql}", ["x"])]
        assert any(step.startswith("SEARCH") and "INDEX" in step for step in plan), (sql, plan)
        assert not any(step.startswith("SCAN") for step in plan), (sql, plan)


class _Plans:
    """Stands in for a Database: each statement's query plan instead of its rows."""

    def __init__(self, db: Any) -> None:
        self.db = db

    def execute(self, sql: str, parameters: Any = ()) -> Any:
        return self.db.execute(f"EXPLAIN QUERY PLAN {sql}", parameters)


def test_the_report_counts_contacts_from_their_index_alone(
    demo_caseload: Caseload,
) -> None:
    # m018: what the programme report reads of each parent's contacts is in the index, so no
    # contact's row is looked up.
    plans = cast(Database, _Plans(demo_caseload.db))
    for since, until in ((None, None), ("2025-06-01", "2026-03-31"), (None, "2026-01-31")):
        steps = [str(r[3]) for r in figures.contacts_per_parent(plans, since, until)]
        assert any("USING COVERING INDEX" in step for step in steps), steps
