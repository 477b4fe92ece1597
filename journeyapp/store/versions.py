"""What each field's value replaced, read from the journey log, and the decisions that follow.

A record's heads (core.merge.Heads) are folded from its journey-log events; two heads of one field
with different values are a clash, kept in `merge_decisions` until someone decides. The table is
a view of the log: a merge, an edit here or a decision brings it up to date for the records it
touched (a decision made on another laptop settles the clash here too).
"""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Callable, Collection, Iterable, Sequence
from typing import Any

from journeyapp.core.merge import DERIVED, UNITS, Heads, Side, unit_clash
from journeyapp.store import bundle_seals, eventlog
from journeyapp.store.db import Database

_CHUNK = 500


def heads_for(db: Database, record_ids: Iterable[str]) -> dict[str, Heads]:
    """Each record's heads, folded from its journey-log events in log order."""
    ids = list(dict.fromkeys(record_ids))
    found: dict[str, Heads] = {}
    for start in range(0, len(ids), _CHUNK):
        chunk = ids[start : start + _CHUNK]
        where, params = eventlog.where_in("record_id", chunk)
        for record_id, event_id, at, actor, device, action, fields, kind in db.execute(
            "SELECT record_id, event_id, at, actor, device_id, action, fields, kind "
            f"FROM ({eventlog.SELECT_EVENTS} WHERE {where} "
            f"AND j.action IN {eventlog.actions_sql('create', 'update', 'delete')}) ORDER BY seq",
            params,
        ).fetchall():
            heads = found.get(record_id)
            if heads is None:
                heads = found[record_id] = Heads(kind)
            heads.apply(
                event_id, action, json.loads(fields), Side(None, event_id, at, actor, device)
            )
    return found


def open_decisions(
    db: Database, record_ids: Sequence[str]
) -> dict[tuple[str, str], dict[str, tuple[str, str]]]:
    """The open decisions of these records: (record id, field) -> {decision id: (the value
    here, the value waiting), as merge_decisions holds them}, one for each value waiting against
    the value here, oldest first."""
    found: dict[tuple[str, str], dict[str, tuple[str, str]]] = {}
    for start in range(0, len(record_ids), _CHUNK):
        chunk = list(record_ids[start : start + _CHUNK])
        marks = ", ".join("?" * len(chunk))
        for decision_id, record_id, name, here, incoming in db.execute(
            "SELECT id, record_id, field, here_value, incoming_value FROM merge_decisions "
            f"WHERE record_id IN ({marks}) "
            # Not the questions about an erasure or a removal ("_erase", "_remove"): no field's
            # heads settle those, only a person's answer.
            "AND resolved_at IS NULL AND substr(field, 1, 1) != '_' ORDER BY rowid",
            chunk,
        ).fetchall():
            found.setdefault((record_id, name), {})[decision_id] = (here, incoming)
    return found


def has_open_decision(db: Database, record_id: str) -> bool:
    """True when a field of this record waits for a decision."""
    row = db.execute(
        "SELECT 1 FROM merge_decisions WHERE record_id = ? AND resolved_at IS NULL LIMIT 1",
        [record_id],
    ).fetchone()
    return row is not None


def _text(value: Any) -> str:
    """A value as merge_decisions holds it."""
    return json.dumps(value, ensure_ascii=False)


def sync_decisions(
    db: Database,
    kind: str,
    record_id: str,
    participant_id: str | None,
    heads: Heads,
    row: dict[str, Any] | None,
    at: str,
    known: dict[tuple[str, str], dict[str, tuple[str, str]]] | None = None,
    unvouched: Callable[[], Collection[str]] | None = None,
) -> tuple[int, int]:
    """Bring one record's decisions in line with its heads; returns (opened, settled).

    A field whose heads hold two or more values has one open decision for each value other than
    this laptop's (this laptop's value against it), so every value waits to be chosen, however
    many laptops or untrusted bundles brought one: a decision between two of them never hides
    a third. An open decision whose other value is no longer a head is settled, by whoever
    wrote the value that stands.
    """
    import uuid  # here: a merge's, not loaded to open the window (#18)

    if known is None:
        known = open_decisions(db, [record_id])
    opened = settled = 0
    unit = UNITS.get(kind)
    skipped = DERIVED.get(kind, frozenset()) | frozenset(unit.fields if unit else ())
    clashing = set(heads.clashing()) - skipped if row is not None else set()
    # A unit written on two laptops that had not seen each other's: one decision, about the
    # whole unit (its first field's name), the one held here against each other.
    together = unit_clash(kind, heads) if unit is not None and row is not None else []
    if together:
        # Held first as the merge holds it: never a write no enrolled laptop vouched for.
        held_back = bundle_seals.all_unsealed(db) if unvouched is None else unvouched()
        together = unit_clash(kind, heads, held_back)
    if together:
        assert unit is not None
        clashing.add(unit.fields[0])
    # (field, decision id, the value here as it holds it): open decisions no value keeps open
    leftover: list[tuple[str, str, str]] = []
    for name in sorted(clashing):
        assert row is not None
        others: dict[str, Side] = {}
        if together and unit is not None and name == unit.fields[0]:
            held, side = together[0]
            here = dataclasses.replace(side, value=held)
            here_text = _text(held)
            for whole, side in together[1:]:
                others[_text(whole)] = dataclasses.replace(side, value=whole)
        else:
            sides = list(heads.of(name).values())
            mine = [s for s in sides if s.value == row.get(name)]
            here = mine[-1] if mine else sides[0]
            here_text = _text(here.value)
            # Each other value once (the latest side that holds it), in the order first written.
            for side in sides:
                text = _text(side.value)
                if text != here_text:
                    others[text] = side
        waiting = dict(known.get((record_id, name), {}))
        for text, incoming in others.items():
            # The decision that waits for this value already (or, the two values having
            # changed places, the one that had it as the value here).
            decision_id = next((i for i, (_h, v) in waiting.items() if v == text), None)
            if decision_id is None:
                decision_id = next((i for i, (h, _v) in waiting.items() if h == text), None)
            values = [
                here_text,
                here.event_id,
                here.at,
                here.actor,
                here.device_id,
                text,
                incoming.event_id,
                incoming.at,
                incoming.actor,
                incoming.device_id,
            ]
            if decision_id is not None:
                del waiting[decision_id]
                db.execute(
                    "UPDATE merge_decisions SET here_value = ?, here_event_id = ?, here_at = ?, "
                    "here_actor = ?, here_device = ?, incoming_value = ?, incoming_event_id = ?, "
                    "incoming_at = ?, incoming_actor = ?, incoming_device = ? WHERE id = ?",
                    [*values, decision_id],
                )
                continue
            opened += 1
            db.execute(
                "INSERT INTO merge_decisions(id, kind, record_id, participant_id, field, "
                "here_value, here_event_id, here_at, here_actor, here_device, incoming_value, "
                "incoming_event_id, incoming_at, incoming_actor, incoming_device, found_at) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                [str(uuid.uuid4()), kind, record_id, participant_id, name, *values, at],
            )
        leftover.extend((name, i, h) for i, (h, _v) in waiting.items())
    for (rid, name), decisions in known.items():
        if rid == record_id and name not in clashing:
            leftover.extend((name, i, h) for i, (h, _v) in decisions.items())
    for name, decision_id, here_value in leftover:
        settled += 1
        sides = list(heads.of(name).values())
        by = sides[-1] if sides else None
        value = row.get(name) if row is not None else None
        if unit is not None and name == unit.fields[0] and here_value.startswith("{"):
            value = {n: row.get(n) for n in unit.fields} if row is not None else None
        choice = "here" if _text(value) == here_value else "incoming"
        db.execute(
            "UPDATE merge_decisions SET resolved_at = ?, choice = ?, resolved_by = ? WHERE id = ?",
            [by.at if by else at, choice, by.actor if by else "", decision_id],
        )
    return opened, settled


def field_history(db: Database, kind: str, name: str) -> dict[str, list[tuple[str, Any]]]:
    """Every value one field of `kind` was given, per record, in log order: (at, value)."""
    found: dict[str, list[tuple[str, Any]]] = {}
    for record_id, at, value in db.execute(
        "SELECT record_id, at, json_extract(fields, ?) FROM journey_log WHERE kind = ? "
        "AND action IN ('create', 'update') AND json_type(fields, ?) IS NOT NULL ORDER BY seq",
        [f'$."{name}"', kind, f'$."{name}"'],
    ).fetchall():
        found.setdefault(record_id, []).append((at, value))
    return found
