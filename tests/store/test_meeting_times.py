"""The meetings index by day and time (m017): the migration keeps every record and export the
same, byte for byte, after a verified backup, on a demo caseload and the oldest-schema fixture
(test_oldest_schema.py); a whole caseload's meetings in This week are then read through it."""

from __future__ import annotations

import sqlite3
from datetime import timedelta
from pathlib import Path

import pytest

from journeyapp.caseload import Caseload
from journeyapp.store import migrations as schema
from journeyapp.store import this_week as store_week
from tests.conftest import TODAY
from tests.store.migrating import assert_migration_keeps_everything, demo_with_every_action

M017 = "m017_meeting_times"
INDEX = "idx_appointments_day_time"


def _indexes(path: Path) -> set[str]:
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        return {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'index'")}
    finally:
        conn.close()


def assert_m017_keeps_everything(path: Path, tmp_path: Path, mp: pytest.MonkeyPatch) -> None:
    """Open `path` as a version before m017 left it and export everything; then migrate it (a
    verified backup first) and find every row and every export the same, and the index made."""
    assert_migration_keeps_everything(path, tmp_path, mp, [M017])
    assert INDEX in _indexes(path)


def test_demo_caseload_migrates_with_every_record_and_export_equal(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "demo.db"
    kept = [m for m in schema.migrations._migrations if m.name != M017]
    with monkeypatch.context() as patch:
        patch.setattr(schema.migrations, "_migrations", kept)
        demo_with_every_action(path, full_name="Changed Name")
    assert INDEX not in _indexes(path)
    assert_m017_keeps_everything(path, tmp_path, monkeypatch)


def test_a_whole_caseloads_meetings_are_read_in_order_through_it(demo_caseload: Caseload) -> None:
    asked = store_week.statements(TODAY, TODAY + timedelta(days=6), TODAY, TODAY, None, 100)
    for name in ("meetings_today", "meetings_later"):
        text, params = asked[name]
        plan = [str(r[-1]) for r in demo_caseload.db.execute("EXPLAIN QUERY PLAN " + text, params)]
        assert any(INDEX in step for step in plan), (name, plan)
        # The day and time come from the index in order: only the names are sorted.
        assert "USE TEMP B-TREE FOR ORDER BY" not in plan, (name, plan)
