"""Old duplicates of one-per-parent records (#16): a parent's consent for one purpose, choice
about one service or attendance at one session made as two records on two laptops before such
records had one id everywhere (core.merge.keyed_id)."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from journeyapp.core.merge import ONE_PER_PARENT, keyed_id
from journeyapp.core.records import BY_KIND, Record, new_id
from journeyapp.store.db import Database
from journeyapp.store.records import BASE_FIELDS, list_where, to_row

DUPLICATE_FIELD = "_duplicate"  # a decision between two records of one parent's one thing


@dataclass(frozen=True)
class Duplicate:
    """One record that repeats `keep` (the same parent's same thing); `differ` names the
    fields whose values differ (empty: the same record twice, folded without asking)."""

    keep: Record
    other: Record
    differ: tuple[str, ...]


def find(db: Database) -> list[Duplicate]:
    """Every repeat of a one-per-parent record. The record kept is the same on every laptop:
    the one with the shared id if there is one, else the earliest made (then the smaller id)."""
    found: list[Duplicate] = []
    for kind, thing in ONE_PER_PARENT.items():
        cls = BY_KIND[kind]
        groups = db.execute(
            f'SELECT participant_id, "{thing}" FROM "{kind}" '
            f'GROUP BY participant_id, "{thing}" HAVING count(*) > 1'
        ).fetchall()
        for pid, value in groups:
            records = list_where(db, cls, f'participant_id = ? AND "{thing}" = ?', [pid, value])
            shared = keyed_id(kind, str(pid), str(value))

            def order(record: Record, shared: str = shared) -> tuple[bool, str, str]:
                return (record.id != shared, record.created_at, record.id)

            records.sort(key=order)
            keep = records[0]
            kept = _own(keep)
            for other in records[1:]:
                theirs = _own(other)
                differ = tuple(n for n in kept if kept[n] != theirs[n])
                found.append(Duplicate(keep, other, differ))
    return found


def _own(record: Record) -> dict[str, Any]:
    """A record's own stored values (not its id, times or who recorded it)."""
    return {k: v for k, v in to_row(record).items() if k not in BASE_FIELDS}


def ask(db: Database, duplicate: Duplicate, found_at: str) -> bool:
    """Open a decision between the two records (once); True when one was opened."""
    other = duplicate.other
    if db.execute(
        "SELECT 1 FROM merge_decisions WHERE record_id = ? AND field = ? AND resolved_at IS NULL",
        [other.id, DUPLICATE_FIELD],
    ).fetchone():
        return False
    mine, theirs = _own(duplicate.keep), _own(other)
    keep = duplicate.keep
    db.execute(
        "INSERT INTO merge_decisions(id, kind, record_id, participant_id, field, "
        "here_value, here_event_id, here_at, here_actor, here_device, incoming_value, "
        "incoming_event_id, incoming_at, incoming_actor, incoming_device, found_at) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, '', ?, ?, ?, ?, '', ?)",
        [
            new_id(),
            other.KIND,
            other.id,
            getattr(other, "participant_id", None),
            DUPLICATE_FIELD,
            json.dumps({n: mine[n] for n in duplicate.differ}, ensure_ascii=False),
            keep.id,
            keep.updated_at or keep.created_at,
            keep.recorded_by,
            json.dumps({n: theirs[n] for n in duplicate.differ}, ensure_ascii=False),
            other.id,
            other.updated_at or other.created_at,
            other.recorded_by,
            found_at,
        ],
    )
    return True


def settle_gone(db: Database, at: str) -> int:
    """Close the open decisions about a repeat that is no longer here (decided on another
    laptop, whose removal arrived); returns how many."""
    gone = []
    for decision_id, kind, record_id in db.execute(
        "SELECT id, kind, record_id FROM merge_decisions WHERE field = ? AND resolved_at IS NULL",
        [DUPLICATE_FIELD],
    ).fetchall():
        if (
            kind in BY_KIND
            and not db.execute(f'SELECT 1 FROM "{kind}" WHERE id = ?', [record_id]).fetchone()
        ):
            gone.append(decision_id)
    for decision_id in gone:
        db.execute(
            "UPDATE merge_decisions SET resolved_at = ?, choice = 'here', resolved_by = "
            "'another laptop' WHERE id = ?",
            [at, decision_id],
        )
    return len(gone)
