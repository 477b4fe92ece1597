"""Rows <-> record dataclasses, and the generic writes that append journey-log events."""

from __future__ import annotations

import dataclasses
import inspect
import json
import sys
import types
import typing
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from typing import Any, TypeVar

from journeyapp.core.enums import Action
from journeyapp.core.errors import NotFound
from journeyapp.core.merge import REPLACED, UNITS, Heads, Side
from journeyapp.core.records import BY_KIND, Event, Participant, Record
from journeyapp.store import eventlog, search, versions
from journeyapp.store.db import Database

R = TypeVar("R", bound=Record)

# Fields every record has, set by the store itself: never merged or compared as edits.
BASE_FIELDS = ("id", "created_at", "updated_at", "recorded_by")


@dataclass(frozen=True)
class _Column:
    name: str
    kind: str  # "str", "int", "bool", "date", "enum", "json"
    enum: type[StrEnum] | None = None


_COLUMNS: dict[type[Record], tuple[_Column, ...]] = {}
_INSERT_SQL: dict[type[Record], str] = {}
_SELECT_SQL: dict[type[Record], str] = {}


def columns(cls: type[Record]) -> tuple[_Column, ...]:
    """How each field of a record class is stored (worked out once per class)."""
    cached = _COLUMNS.get(cls)
    if cached is None:
        cached = _COLUMNS[cls] = _work_out_columns(cls)
    return cached


# Each annotation's text, evaluated once per module (see type_hints).
_EVALUATED: dict[tuple[str, str], Any] = {}


def type_hints(cls: type) -> dict[str, Any]:
    """typing.get_type_hints(cls) for a record class, each distinct annotation text evaluated
    once per module: get_type_hints compiles every annotation of every class afresh, about 20 ms
    of the first read of a parent's records in a new process (a plan, issue 18). Record classes
    annotate with module-level names only (tests/store compares this with get_type_hints)."""
    hints: dict[str, Any] = {}
    for klass in reversed(cls.__mro__):
        module = sys.modules[klass.__module__].__dict__
        for name, text in inspect.get_annotations(klass).items():
            if not isinstance(text, str):
                hints[name] = text
                continue
            key = (klass.__module__, text)
            if key not in _EVALUATED:
                # As get_type_hints does: the module's names, then the class's (our own source).
                _EVALUATED[key] = eval(text, module, dict(vars(klass)))
            hints[name] = _EVALUATED[key]
    return hints


def _work_out_columns(cls: type[Record]) -> tuple[_Column, ...]:
    hints = type_hints(cls)
    result = []
    for f in dataclasses.fields(cls):
        hint = hints[f.name]
        args = [a for a in typing.get_args(hint) if a is not type(None)]
        if isinstance(hint, types.UnionType) or typing.get_origin(hint) is typing.Union:
            hint = args[0]
        origin = typing.get_origin(hint)
        if origin in (dict, list):
            result.append(_Column(f.name, "json"))
        elif hint is bool:
            result.append(_Column(f.name, "bool"))
        elif hint is int:
            result.append(_Column(f.name, "int"))
        elif hint is date:
            result.append(_Column(f.name, "date"))
        elif isinstance(hint, type) and issubclass(hint, StrEnum):
            result.append(_Column(f.name, "enum", hint))
        else:
            result.append(_Column(f.name, "str"))
    return tuple(result)


def to_value(column: _Column, value: Any) -> Any:
    """A field value as stored in SQLite (and carried in journey-log events)."""
    if value is None:
        return None
    if column.kind == "date":
        return value.isoformat()
    if column.kind == "enum":
        return str(value)
    if column.kind == "bool":
        return 1 if value else 0
    if column.kind == "json":
        return json.dumps(value, sort_keys=True, ensure_ascii=False)
    return value


def from_value(column: _Column, value: Any) -> Any:
    """A stored value back as the field's Python type."""
    if value is None:
        return {} if column.kind == "json" else None
    if column.kind == "date":
        return date.fromisoformat(value)
    if column.kind == "enum":
        assert column.enum is not None
        return column.enum(value)
    if column.kind == "bool":
        return bool(value)
    if column.kind == "json":
        return json.loads(value)
    if column.kind == "int":
        return int(value)
    return value


def to_row(record: Record) -> dict[str, Any]:
    """A record as a column -> stored value dict."""
    values = record.__dict__
    plan = _ROW_PLANS.get(type(record))
    if plan is None:
        plan = _row_plan(type(record))
    return {name: (values[name] if store is None else store(values[name])) for name, store in plan}


_PLAIN = frozenset({"str", "int"})
# Each record class's columns with `to_value` for each made once (None: stored as it is): a
# bulk write turns every record into a row.
_ROW_PLANS: dict[type[Record], tuple[tuple[str, typing.Callable[[Any], Any] | None], ...]] = {}


def _row_plan(cls: type[Record]) -> tuple[tuple[str, typing.Callable[[Any], Any] | None], ...]:
    plan = _ROW_PLANS[cls] = tuple(
        (c.name, None if c.kind in _PLAIN else _storer(c)) for c in columns(cls)
    )
    return plan


def _storer(column: _Column) -> typing.Callable[[Any], Any]:
    """`to_value` for one column that is not stored as it is."""
    if column.kind == "date":
        return lambda value: None if value is None else value.isoformat()
    if column.kind == "enum":
        return lambda value: None if value is None else str(value)
    return lambda value: to_value(column, value)


# One encoder for every journey-log event: sorted keys make events comparable byte for byte.
_EVENT_JSON = json.JSONEncoder(ensure_ascii=False, sort_keys=True)


def _event_encoder() -> typing.Callable[[Any], str]:
    """`_EVENT_JSON.encode`, with its C encoder made once instead of once per call.

    JSONEncoder.encode builds a new C encoder object for every value; for a million events
    that set-up was about a third of the encoding time. The output is byte for byte the same.
    """
    make = getattr(json.encoder, "c_make_encoder", None)
    if make is None:  # a Python without the C accelerator
        return _EVENT_JSON.encode
    encoder = make(
        None,  # no cycle check: event fields are plain JSON values from dicts we made or parsed
        _EVENT_JSON.default,
        json.encoder.encode_basestring,  # ensure_ascii=False
        None,
        _EVENT_JSON.key_separator,
        _EVENT_JSON.item_separator,
        True,  # sort_keys
        False,  # skipkeys
        True,  # allow_nan, as JSONEncoder's default
    )

    def encode(value: Any) -> str:
        return "".join(encoder(value, 0))

    return encode


encode_event_fields = _event_encoder()


def from_row(cls: type[R], row: dict[str, Any]) -> R:
    """A stored row back as a record."""
    plan = _READ_PLANS.get(cls)
    if plan is None:
        plan = _read_plan(cls)
    names, special = plan
    values: dict[str, Any] = dict(zip(names, map(row.get, names), strict=True))
    for column in special:
        values[column.name] = from_value(column, values[column.name])
    return cls(**values)


# Each record class's column names, and the columns `from_value` changes (a text column's
# value is kept as it is): a merge turns every record it writes back into one to check it.
_READ_PLANS: dict[type[Record], tuple[tuple[str, ...], tuple[_Column, ...]]] = {}


def _read_plan(cls: type[Record]) -> tuple[tuple[str, ...], tuple[_Column, ...]]:
    cols = columns(cls)
    plan = _READ_PLANS[cls] = (
        tuple(c.name for c in cols),
        tuple(c for c in cols if c.kind != "str"),
    )
    return plan


def _insert_sql(cls: type[Record]) -> str:
    if cls in _INSERT_SQL:
        return _INSERT_SQL[cls]
    names = [c.name for c in columns(cls)]
    quoted = ", ".join(f'"{n}"' for n in names)
    sql = f'INSERT INTO "{cls.KIND}" ({quoted}) VALUES ({", ".join("?" * len(names))})'
    _INSERT_SQL[cls] = sql
    return sql


def _select_sql(cls: type[Record]) -> str:
    if cls in _SELECT_SQL:
        return _SELECT_SQL[cls]
    quoted = ", ".join(f'"{c.name}"' for c in columns(cls))
    sql = f'SELECT {quoted} FROM "{cls.KIND}"'
    _SELECT_SQL[cls] = sql
    return sql


def _converter(column: _Column) -> typing.Callable[[Any], Any] | None:
    """`from_value` for one column, made once (reading 100,000 rows calls it a million
    times); None for a text column, which is kept as SQLite gives it."""
    if column.kind == "str":
        return None
    if column.kind == "enum":
        assert column.enum is not None
        make = column.enum
        members: dict[Any, Any] = {m.value: m for m in make}

        def enum_value(value: Any) -> Any:
            if value is None:
                return None
            member = members.get(value)
            return make(value) if member is None else member  # unknown: the enum's own error

        return enum_value
    if column.kind == "date":
        from_text = date.fromisoformat
        return lambda value: None if value is None else from_text(value)
    if column.kind == "int":
        return lambda value: value if value is None or type(value) is int else int(value)
    return lambda value: from_value(column, value)


_MAKERS: dict[type[Record], typing.Callable[[Sequence[Any]], Record]] = {}


def _maker(cls: type[R]) -> typing.Callable[[Sequence[Any]], R]:
    """Builds a record of `cls` from a row in `columns(cls)` order (worked out once per class)."""
    made = _MAKERS.get(cls)
    if made is None:
        cols = columns(cls)
        names = tuple(c.name for c in cols)
        special = [(c.name, f) for c in cols if (f := _converter(c)) is not None]

        def make(row: Sequence[Any]) -> Record:
            values = dict(zip(names, row, strict=True))
            for name, convert in special:
                values[name] = convert(values[name])
            return cls(**values)

        made = _MAKERS[cls] = make
    return typing.cast(typing.Callable[[Sequence[Any]], R], made)


def _rows(db: Database, cls: type[R], sql: str, params: Sequence[Any]) -> list[R]:
    cursor = db.execute(sql, list(params))
    return list(map(_maker(cls), cursor.fetchall()))


def get(db: Database, cls: type[R], record_id: str) -> R:
    """One record by id; NotFound if it does not exist."""
    found = find(db, cls, record_id)
    if found is None:
        raise NotFound(f"That {cls.__name__.lower()} is no longer in this caseload.")
    return found


def find(db: Database, cls: type[R], record_id: str) -> R | None:
    """One record by id, or None."""
    found = _rows(db, cls, _select_sql(cls) + " WHERE id = ?", [record_id])
    return found[0] if found else None


def list_for(db: Database, cls: type[R], participant_id: str) -> list[R]:
    """All records of one kind for one participant, oldest first."""
    return _rows(
        db,
        cls,
        _select_sql(cls) + " WHERE participant_id = ? ORDER BY created_at, rowid",
        [participant_id],
    )


def list_where(
    db: Database, cls: type[R], where: str = "", params: Sequence[Any] = (), order: str = "rowid"
) -> list[R]:
    """Records of one kind matching an SQL condition (store-internal callers only)."""
    sql = _select_sql(cls) + (f" WHERE {where}" if where else "") + f" ORDER BY {order}"
    return _rows(db, cls, sql, params)


def iter_where(db: Database, cls: type[R], batch: int = 2000) -> Iterator[R]:
    """Every record of one kind in rowid order, read `batch` rows at a time (so a whole table
    of a large caseload is never in memory at once)."""
    cursor = db.execute(_select_sql(cls) + " ORDER BY rowid")
    make = _maker(cls)
    while rows := cursor.fetchmany(batch):
        yield from map(make, rows)


def count(db: Database, kind: str) -> int:
    """How many records of a kind there are."""
    return int(db.execute(f'SELECT count(*) FROM "{kind}"').fetchone()[0])


@dataclass(frozen=True)
class EventContext:
    """Who is writing, on which laptop, at what moment, as part of which transaction."""

    device_id: str
    actor: str
    at: str
    txn: str
    event_ids: typing.Iterator[str]


def new_event(
    ctx: EventContext,
    participant_id: str | None,
    kind: str,
    record_id: str,
    action: Action,
    fields: dict[str, Any],
) -> Event:
    """A journey-log event written in this transaction (its id, time, laptop and actor from `ctx`)."""
    return Event(
        event_id=next(ctx.event_ids),
        at=ctx.at,
        device_id=ctx.device_id,
        actor=ctx.actor,
        participant_id=participant_id,
        kind=kind,
        record_id=record_id,
        action=str(action),
        fields=fields,
        txn=ctx.txn,
    )


def event_rows(events: Sequence[Event], encoded: Sequence[str]) -> list[tuple[Any, ...]]:
    """Each event as a row in EVENT_COLUMNS order, its fields as encoded text (for bundles)."""
    return [
        (
            e.event_id,
            e.at,
            e.device_id,
            e.actor,
            e.participant_id,
            e.kind,
            e.record_id,
            e.action,
            text,
            e.txn,
        )
        for e, text in zip(events, encoded, strict=True)
    ]


def append_events(
    db: Database, events: Iterable[Event], encoded: Sequence[str] | None = None
) -> None:
    """Append events to the journey log (never updated or deleted, except by erasure).

    `encoded`: each event's fields already as `encode_event_fields` text, in the same order.
    """
    events = list(events)  # read twice below
    if encoded is None:
        encoded = [encode_event_fields(e.fields) for e in events]
    eventlog.append(db, events, encoded)


def owner_id(record: Record) -> str | None:
    """The participant a record belongs to (None for group sessions and general feedback)."""
    if isinstance(record, Participant):
        return record.id
    value = getattr(record, "participant_id", None)
    return None if value is None else str(value)


def insert(db: Database, record: R, ctx: EventContext) -> R:
    """Insert a record and its `create` event; returns it with timestamps filled in."""
    record = dataclasses.replace(
        record,
        created_at=record.created_at or ctx.at,
        updated_at=ctx.at,
        recorded_by=record.recorded_by or ctx.actor,
    )
    row = to_row(record)
    db.execute(_insert_sql(type(record)), list(row.values()))
    append_events(
        db, [new_event(ctx, owner_id(record), record.KIND, record.id, Action.CREATE, row)]
    )
    search.add_rows(db, record.KIND, [row])
    return record


def update(
    db: Database, record: R, changes: dict[str, Any], ctx: EventContext
) -> tuple[R, dict[str, Any]]:
    """Apply field changes to a stored record and append an `update` event of what changed.

    Returns the new record and the stored values the changed fields had before (for undo).
    """
    new = dataclasses.replace(record, **changes)
    old_row, new_row = to_row(record), to_row(new)
    changed = {k: v for k, v in new_row.items() if old_row[k] != v and k not in BASE_FIELDS}
    if not changed:
        return record, {}
    new = dataclasses.replace(new, updated_at=ctx.at)
    changed_with_time = {**changed, "updated_at": ctx.at}
    sets = ", ".join(f'"{k}" = ?' for k in changed_with_time)
    db.execute(
        f'UPDATE "{record.KIND}" SET {sets} WHERE id = ?',
        [*changed_with_time.values(), record.id],
    )
    # What this edit replaced: the values shown here (their events), so that another laptop
    # takes it in place of a value only if this one had seen that value (issue 16).
    heads = versions.heads_for(db, [record.id]).get(record.id) or Heads(record.KIND)
    replaced = {k: heads.shown(k, old_row[k]) for k in changed}
    unit = UNITS.get(record.KIND)
    if unit is not None and not replaced.keys().isdisjoint(unit.fields):
        # What the rest of the unit showed too (not written: readers of a status history see
        # only what changed), so the edit is read as the whole unit this laptop held after it
        # (core.merge.Heads.units), not as half of an older one.
        replaced.update({k: heads.shown(k, old_row[k]) for k in unit.fields if k not in changed})
    event = new_event(
        ctx,
        owner_id(record),
        record.KIND,
        record.id,
        Action.UPDATE,
        {**changed, REPLACED: replaced},
    )
    append_events(db, [event])
    if versions.has_open_decision(db, record.id):
        heads.apply(
            event.event_id,
            event.action,
            event.fields,
            Side(None, event.event_id, ctx.at, ctx.actor, ctx.device_id),
        )
        versions.sync_decisions(
            db, record.KIND, record.id, owner_id(record), heads, to_row(new), ctx.at
        )
    if search.indexed(record.KIND, changed):
        search.index_rows(db, record.KIND, [new_row])
    return new, {k: old_row[k] for k in changed}


def delete(db: Database, record: Record, ctx: EventContext) -> None:
    """Delete a record and append a `delete` event (holding the record, so it can be undone)."""
    db.execute(f'DELETE FROM "{record.KIND}" WHERE id = ?', [record.id])
    # What the removal saw: the record's values, and every value on offer beside them (their
    # events), so another laptop holding a change it had not seen asks first (store.merge).
    heads = versions.heads_for(db, [record.id]).get(record.id) or Heads(record.KIND)
    seen = {name: list(sides) for name, sides in heads.fields.items() if sides}
    fields = {**to_row(record), REPLACED: seen}
    append_events(
        db, [new_event(ctx, owner_id(record), record.KIND, record.id, Action.DELETE, fields)]
    )
    search.unindex(db, record.KIND, [record.id])
    if versions.has_open_decision(db, record.id):
        # Removed here, with every value on offer in view: what waited about it is settled
        # (a removal asked about, for removing; a clash of its values, with no value left).
        db.execute(
            "UPDATE merge_decisions SET resolved_at = ?, choice = 'incoming', resolved_by = ? "
            "WHERE record_id = ? AND resolved_at IS NULL AND field = '_remove'",
            [ctx.at, ctx.actor, record.id],
        )
        versions.sync_decisions(
            db, record.KIND, record.id, owner_id(record), Heads(record.KIND), None, ctx.at
        )


# Page cache for batch inserts, in KiB as SQLite takes it (negative): 128 MiB at most.
BATCH_CACHE_KIB = -131_072


@contextmanager
def larger_page_cache(db: Database) -> Iterator[None]:
    """A larger page cache while many rows are inserted (then the setting as it was).

    Every row lands at a random place in the indexes keyed by random UUIDs; with SQLite's small
    default cache those pages were evicted and read back again and again, so a batch got slower
    as the file grew (a 10,000-parent demo: 3 s per 1,000 parents at first, 9 s by the end).
    Held across a whole batch (Caseload.batch), the pages stay cached from chunk to chunk.
    """
    old = int(db.execute("PRAGMA cache_size").fetchone()[0])
    if old < 0 and old <= BATCH_CACHE_KIB:  # already as large (an outer batch): leave it
        yield
        return
    db.execute(f"PRAGMA cache_size = {BATCH_CACHE_KIB}")
    try:
        yield
    finally:
        db.execute(f"PRAGMA cache_size = {old}")


def insert_many(db: Database, records: Sequence[Record], ctx: EventContext) -> int:
    """Insert many records (any kinds) with their `create` events, using one statement per kind.

    The fast path for imports and demo data; the caller has validated the records.
    """
    by_kind: dict[type[Record], list[list[Any]]] = {}
    stored: dict[str, list[dict[str, Any]]] = {}
    events: list[Event] = []
    texts: list[str] = []
    stamp = {"updated_at": ctx.at}
    encode = encode_event_fields
    for record in records:
        row = to_row(record)
        row["created_at"] = row["created_at"] or ctx.at
        row["recorded_by"] = row["recorded_by"] or ctx.actor
        row.update(stamp)
        by_kind.setdefault(type(record), []).append(list(row.values()))
        stored.setdefault(record.KIND, []).append(row)
        events.append(
            Event(
                next(ctx.event_ids),
                ctx.at,
                ctx.device_id,
                ctx.actor,
                owner_id(record),
                record.KIND,
                record.id,
                "create",
                row,
                ctx.txn,
            )
        )
        texts.append(encode(row))
    with larger_page_cache(db):
        for cls, rows in by_kind.items():
            db.conn.executemany(_insert_sql(cls), rows)
        eventlog.append(db, events, texts)
        for kind, dicts in stored.items():
            search.add_rows(db, kind, dicts)
    return len(events)


def exists(db: Database, kind: str, record_id: str) -> bool:
    """True if a record of `kind` with this id is stored."""
    row = db.execute(f'SELECT 1 FROM "{kind}" WHERE id = ?', [record_id]).fetchone()
    return row is not None


def restore_row(db: Database, kind: str, row: dict[str, Any], ctx: EventContext) -> None:
    """Put a deleted record back exactly as it was (undo of a delete)."""
    cls = BY_KIND[kind]
    record = from_row(cls, row)
    stored = to_row(record)
    db.execute(_insert_sql(cls), list(stored.values()))
    append_events(db, [new_event(ctx, owner_id(record), kind, record.id, Action.CREATE, stored)])
    search.add_rows(db, kind, [stored])


def events_for(
    db: Database, *, participant_id: str | None = None, record_id: str | None = None
) -> list[Event]:
    """Journey-log events, oldest first, for one participant or one record (or all)."""
    sql = eventlog.SELECT_EVENTS
    params: list[Any] = []
    if participant_id is not None:
        where, params = eventlog.where_in("participant_id", [participant_id])
        sql += f" WHERE {where}"
    elif record_id is not None:
        where, params = eventlog.where_in("record_id", [record_id])
        sql += f" WHERE {where}"
    return [
        Event(r[1], r[2], r[3], r[4], r[5], r[6], r[7], r[8], json.loads(r[9]), r[10])
        for r in db.execute(sql + " ORDER BY j.seq", params).fetchall()
    ]


# Links a record keeps to another record that must exist (besides its parent's participant_id):
# steps belong to a goal, attendance to a group session. Removing the one removes the others.
_LINKS: tuple[tuple[str, str, str], ...] = (
    ("steps", "goal_id", "goals"),
    ("attendance", "session_id", "groups"),
    ("jobs", "milestone_id", "milestones"),
)


_OWNER_WORDS = {
    "participants": "a parent",
    "goals": "a goal",
    "groups": "a group session",
    "milestones": "a milestone",
}


def orphans(db: Database) -> list[str]:
    """Records whose parent (or goal, or group session) is no longer stored; empty when none."""
    links = [
        (cls.KIND, "participant_id", "participants")
        for cls in BY_KIND.values()
        if any(f.name == "participant_id" for f in dataclasses.fields(cls))
    ]
    problems = []
    for kind, column, owner in (*links, *_LINKS):
        row = db.execute(
            f'SELECT count(*) FROM "{kind}" WHERE "{column}" IS NOT NULL '
            f'AND "{column}" NOT IN (SELECT id FROM "{owner}")'
        ).fetchone()
        if row[0]:
            whose = _OWNER_WORDS[owner]
            problems.append(f"{row[0]} record(s) in {kind} belong to {whose} no longer stored")
    return problems
