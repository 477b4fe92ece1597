"""The events this caseload took in without an enrolled laptop's seal (m010, core.seals)."""

from __future__ import annotations

from collections.abc import Iterable

from journeyapp.store import eventlog
from journeyapp.store.db import Database


def known(db: Database, event_ids: Iterable[str]) -> set[str]:
    """Which of `event_ids` the journey log here already holds (merged before, any way)."""
    return eventlog.known_ids(db, event_ids)


def note_unsealed(db: Database, event_ids: Iterable[str]) -> None:
    """Remember events just merged without a seal (those the log now holds)."""
    stored = known(db, event_ids)
    db.conn.executemany(
        "INSERT OR IGNORE INTO unsealed_events(event_id) VALUES (?)", [(i,) for i in stored]
    )


def all_unsealed(db: Database) -> frozenset[str]:
    """Every event merged here without a seal (never vouched for by this laptop)."""
    return frozenset(r[0] for r in db.execute("SELECT event_id FROM unsealed_events").fetchall())
