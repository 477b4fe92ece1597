"""The events this caseload took in without an enrolled laptop's seal (m010, core.seals)."""

from __future__ import annotations

from collections.abc import Iterable

from journeyapp.store.db import Database

_CHUNK = 500


def known(db: Database, event_ids: Iterable[str]) -> set[str]:
    """Which of `event_ids` the journey log here already holds (merged before, any way)."""
    ids = list(event_ids)
    found: set[str] = set()
    for start in range(0, len(ids), _CHUNK):
        chunk = ids[start : start + _CHUNK]
        marks = ", ".join("?" * len(chunk))
        found.update(
            r[0]
            for r in db.execute(
                f"SELECT event_id FROM journey_log WHERE event_id IN ({marks})", chunk
            ).fetchall()
        )
    return found


def note_unsealed(db: Database, event_ids: Iterable[str]) -> None:
    """Remember events just merged without a seal (those the log now holds)."""
    stored = known(db, event_ids)
    db.conn.executemany(
        "INSERT OR IGNORE INTO unsealed_events(event_id) VALUES (?)", [(i,) for i in stored]
    )


def all_unsealed(db: Database) -> frozenset[str]:
    """Every event merged here without a seal (never vouched for by this laptop)."""
    return frozenset(r[0] for r in db.execute("SELECT event_id FROM unsealed_events").fetchall())
