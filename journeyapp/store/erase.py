"""Erasing one parent everywhere (tables, search index, journey log) and the retention query."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from journeyapp.core.enums import Action
from journeyapp.core.records import RECORD_TYPES, Event, Participant, belongs_to_a_parent
from journeyapp.store import eventlog, search
from journeyapp.store.db import Database
from journeyapp.store.records import EventContext, append_events, new_event


def erase_participant(db: Database, participant_id: str, ctx: EventContext) -> Event:
    """Remove every row about one parent, leave a tombstone and one ERASE event (no personal data).

    Runs inside the caller's transaction. The tombstone and the ERASE event are the contract
    merges rely on: an erased parent is never brought back by an older laptop's records.
    """
    remove_traces(db, participant_id)
    scrub_name_index(db)
    event = new_event(ctx, participant_id, Participant.KIND, participant_id, Action.ERASE, {})
    leave_tombstone(db, participant_id, event)
    return event


def remove_traces(db: Database, participant_id: str) -> None:
    """Everything about one parent, gone: their rows in every record table, their name-index
    entry, any clash waiting for a decision and their journey-log events.

    The same for an erasure made here and one merged from another laptop; afterwards the name
    index still needs `scrub_name_index` (once, however many parents were erased).
    """
    remove_everywhere(db, participant_id)
    stored = eventlog.key(participant_id)
    db.execute("DELETE FROM journal WHERE participant_id = ? OR record_id = ?", [stored, stored])
    # Bundles merged before may hold their events: no longer known to be all here. (Imported
    # here: its hashing is not loaded to open a caseload, tests/cli/test_lazy_imports.py.)
    from journeyapp.store import merged_bundles

    merged_bundles.forget_prefixes(db)


def scrub_name_index(db: Database) -> None:
    """FTS5 may keep deleted tokens in its index segments until they are merged: make sure the
    erased names and words are gone from the search index pages too (see store.search)."""
    search.scrub(db)


def leave_tombstone(db: Database, participant_id: str, event: Event) -> None:
    """Append the ERASE event and the tombstone that keeps this parent from ever coming back."""
    append_events(db, [event])
    db.execute(
        "INSERT INTO tombstones(participant_id, erased_at, device_id, event_id) "
        "VALUES (?, ?, ?, ?) ON CONFLICT(participant_id) DO NOTHING",
        [participant_id, event.at, event.device_id, event.event_id],
    )


def remove_everywhere(db: Database, participant_id: str) -> None:
    """Delete one parent's rows in every record table, their name-index entry and any clash
    waiting for a decision (part of `remove_traces`)."""
    # The registry says which record types are about one parent: every one of them goes.
    for cls in RECORD_TYPES:
        if cls is Participant:
            db.execute('DELETE FROM "participants" WHERE id = ?', [participant_id])
        elif belongs_to_a_parent(cls):
            db.execute(f'DELETE FROM "{cls.KIND}" WHERE participant_id = ?', [participant_id])
    search.forget_parents(db, [participant_id])
    # Clashing edits from merges hold the parent's values too.
    db.execute("DELETE FROM merge_decisions WHERE participant_id = ?", [participant_id])
    # So do words typed about them and not saved yet.
    db.execute("DELETE FROM drafts WHERE participant_id = ?", [participant_id])


def is_erased(db: Database, participant_id: str) -> bool:
    """True when this parent has been erased (a tombstone exists)."""
    row = db.execute(
        "SELECT 1 FROM tombstones WHERE participant_id = ?", [participant_id]
    ).fetchone()
    return row is not None


@dataclass(frozen=True)
class RetentionFacts:
    """A closed or moved-on journey and when anything last happened on it."""

    participant_id: str
    preferred_name: str
    status: str
    last_activity: date


def ended_journeys(db: Database) -> list[RetentionFacts]:
    """Every closed or moved-on journey with the date of its last journey-log event."""
    rows = db.execute(
        "SELECT p.id, p.preferred_name, p.status, p.updated_at, "
        f"(SELECT max({eventlog.at_sql('j.at')}) FROM journal j WHERE j.participant_id = {eventlog.key_sql('p.id')}) "
        "FROM participants p WHERE p.status IN ('closed', 'moved_on')"
    ).fetchall()
    result = []
    for pid, name, status, updated, last_event in rows:
        stamp = max(s for s in (updated or "", last_event or "") if s is not None)
        result.append(RetentionFacts(pid, name, status, date.fromisoformat(stamp[:10])))
    return sorted(result, key=lambda r: r.last_activity)
