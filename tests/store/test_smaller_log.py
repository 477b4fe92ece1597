"""The journey log made smaller (m015): every record and every export the same, byte for byte,
after the migration (a verified backup first), on a demo caseload with every action and on the
oldest-schema fixture (test_oldest_schema.py); the log takes less room and new events are stored
in the smaller form."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest

from journeyapp.caseload import Caseload
from journeyapp.demo import build_demo
from journeyapp.store import eventlog
from tests.clock import ticking_clock
from tests.conftest import TODAY
from tests.store.migrating import (
    assert_migration_keeps_everything,
    demo_with_every_action,
    open_without,
    upgrade_copies,
)
from tests.store.test_compact_log import M015, old_format


def _log_bytes(path: Path) -> int:
    conn = sqlite3.connect(path)
    try:
        conn.execute("VACUUM")
        return int(
            conn.execute(
                "SELECT sum(pgsize) FROM dbstat WHERE name IN "
                "(SELECT name FROM sqlite_master WHERE tbl_name = 'journal')"
            ).fetchone()[0]
        )
    finally:
        conn.close()


def as_before_m015(path: Path, mp: pytest.MonkeyPatch) -> None:
    """Turn a caseload's log back into m009's form (as a version before m015 left it)."""
    old_format(path)  # the table every version before m009 wrote
    open_without(path, mp, [M015])  # m009 makes its compact form again
    for copy in upgrade_copies(path):
        copy.unlink()


def assert_m015_keeps_everything(path: Path, tmp_path: Path, mp: pytest.MonkeyPatch) -> None:
    """Open `path` as a version before m015 left it; then migrate it (a verified copy first) and
    find every row and every export the same, the log's numbering carried on and its moments and
    kinds stored as numbers."""
    open_without(path, mp, [M015])
    conn = sqlite3.connect(path)
    try:
        m009_types = set(conn.execute("SELECT DISTINCT typeof(at) FROM journal").fetchall())
        sequence = conn.execute("SELECT seq FROM sqlite_sequence WHERE name = 'journal'").fetchone()
    finally:
        conn.close()
    assert m009_types == {("text",)}
    assert_migration_keeps_everything(path, tmp_path, mp, [M015])
    conn = sqlite3.connect(path)
    try:
        assert (
            conn.execute("SELECT seq FROM sqlite_sequence WHERE name = 'journal'").fetchone()
            == sequence
        )
        assert not conn.execute(
            "SELECT name FROM sqlite_master WHERE name LIKE '%m015%'"
        ).fetchall()
        assert {r[0] for r in conn.execute("SELECT DISTINCT typeof(at) FROM journal")} <= {
            "integer"
        }
        assert {r[0] for r in conn.execute("SELECT DISTINCT typeof(kind) FROM journal")} == {
            "integer"
        }
    finally:
        conn.close()


def test_demo_caseload_migrates_to_the_smaller_log_with_every_record_and_export_equal(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "demo.db"
    demo_with_every_action(path, phone="07700 900123", notes="Prefers mornings")
    as_before_m015(path, monkeypatch)
    before = _log_bytes(path)
    assert_m015_keeps_everything(path, tmp_path, monkeypatch)
    assert _log_bytes(path) < 0.75 * before


def test_new_events_are_stored_small_and_read_back_as_written(tmp_path: Path) -> None:
    path = tmp_path / "demo.db"
    caseload = Caseload.open(path, create=True, demo=True, clock=ticking_clock(TODAY))
    build_demo(caseload, participants=20, seed=2, today=TODAY)
    parent = caseload.caseload()[0]
    caseload.update_participant(parent.id, phone="07700 900999")
    events = caseload.events(parent.id)
    history = caseload.record_history(parent.id)
    caseload.close()
    conn = sqlite3.connect(path)
    stored, written = conn.execute(
        "SELECT (SELECT sum(length(fields)) FROM journal), sum(length(fields)) FROM journey_log"
    ).fetchone()
    assert stored < 0.5 * written
    typed = conn.execute(
        "SELECT DISTINCT typeof(at), typeof(kind), typeof(action) FROM journal"
    ).fetchall()
    assert typed == [("integer", "integer", "integer")]
    assert {r[0] for r in conn.execute("SELECT DISTINCT action FROM journey_log")} == {
        "create",
        "update",
    }
    # The events read one way (the store's reader) are the view's, as written.
    rows = conn.execute(
        "SELECT event_id, at, kind, action, fields FROM journey_log WHERE participant_id = ? "
        "ORDER BY seq",
        [parent.id],
    ).fetchall()
    assert [(e.event_id, e.at, e.kind, e.action) for e in events] == [r[:4] for r in rows]
    assert [json.loads(r[4]) for r in rows] == [e.fields for e in events]
    assert [e.event_id for e in history] == [e.event_id for e in events if e.record_id == parent.id]
    assert history[-1].fields["phone"] == "07700 900999"
    assert eventlog.kind_key("participants") == 0
    assert eventlog.kind_key("something newer") == "something newer"
