"""Applying journey-log events from other laptops: idempotent, field-wise, erasure always wins.

Rules (DESIGN §5, reliability-anchors §0):
- keyed by event id: an event already in this log is skipped, so merging twice changes nothing;
- events are applied record by record in the order they were written on their laptop;
- an update only touches the fields it names, so edits to different fields both survive;
- an incoming edit to a field that this laptop also changed *without the sender having seen that
  change* (our event is not in the incoming set) is a clash when the values differ: the value here
  is kept and both are stored in `merge_decisions` for the coordinator;
- an ERASE event deletes the parent's rows everywhere and leaves a tombstone; any event about a
  tombstoned parent is dropped (never stored), whenever it arrives.

The sender's whole log is expected (a bundle carries it all): "seen by the sender" is read as
"present in the incoming events".
"""

from __future__ import annotations

import dataclasses
import json
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from functools import cache
from operator import is_, itemgetter
from typing import Any, cast

import sqlcipher3.dbapi2 as sqlcipher

from journeyapp.core.bulk import paused_gc
from journeyapp.core.enums import Action
from journeyapp.core.errors import NotFound, ValidationError
from journeyapp.core.merge import (
    CHOICES,
    DECIDED,
    REPLACED,
    UNITS,
    Heads,
    MergeDecision,
    MergeResult,
    Side,
    is_meta,
    moment,
    unit_clash,
    unit_held,
)
from journeyapp.core.records import (
    BY_KIND,
    Event,
    Participant,
    Record,
    StageChange,
    field_specs,
    new_id,
)
from journeyapp.store import bundle_seals as store_seals
from journeyapp.store import caseload_list, eventlog, search, versions
from journeyapp.store.db import Database
from journeyapp.store.erase import leave_tombstone, remove_traces, scrub_name_index
from journeyapp.store.merge_checks import MergeRefused, check_events, positions, refuse
from journeyapp.store.records import (
    BASE_FIELDS,
    EventContext,
    append_events,
    columns,
    count,
    encode_event_fields,
    exists,
    from_row,
    get,
    new_event,
    to_row,
    to_value,
)

_CHUNK = 500
# Record kinds holding special-category data (kept only while the consent for them is given).
_SPECIAL = frozenset(
    kind for kind, cls in BY_KIND.items() if any(s.special for s in field_specs(cls).values())
)
_ERASE = str(Action.ERASE)
_CREATE = str(Action.CREATE)
_UPDATE = str(Action.UPDATE)
_DELETE = str(Action.DELETE)


@cache
def _bad_value_sql(kind: str) -> str:
    """A query counting rows of `kind` with a value this version cannot read (checked in C)."""
    tests = []
    for col in columns(BY_KIND[kind]):
        c = f'"{col.name}"'
        if col.kind == "int":
            tests.append(f"typeof({c}) NOT IN ('integer', 'null')")
        elif col.kind == "bool":
            tests.append(f"({c} IS NOT NULL AND {c} NOT IN (0, 1))")
        elif col.kind == "date":
            tests.append(f"({c} IS NOT NULL AND (typeof({c}) != 'text' OR date({c}) IS NOT {c}))")
        elif col.kind == "enum":
            assert col.enum is not None
            allowed = ", ".join("'" + str(e).replace("'", "''") + "'" for e in col.enum)
            tests.append(f"({c} IS NOT NULL AND {c} NOT IN ({allowed}))")
        else:
            tests.append(f"typeof({c}) NOT IN ('text', 'null')")
    return f"AND ({' OR '.join(tests)}) LIMIT 1"


def _check_values(db: Database, kind: str, after_rowid: int | None, updated: Sequence[str]) -> None:
    """Refuse the merge if a row written to `kind` holds a value this version cannot read.

    New rows are those past `after_rowid`, the highest rowid before the upsert (a range scan,
    no id list); rows that were already here and were updated are listed in a temporary table.
    """
    tests = _bad_value_sql(kind)
    if (
        after_rowid is not None
        and db.execute(f'SELECT id FROM "{kind}" WHERE rowid > ? {tests}', [after_rowid]).fetchone()
    ):
        raise MergeRefused(_DAMAGED.format(kind=kind))
    if not updated:
        return
    db.execute("CREATE TEMP TABLE IF NOT EXISTS merge_touched(record_id TEXT PRIMARY KEY)")
    db.execute("DELETE FROM merge_touched")
    db.conn.executemany(
        "INSERT OR IGNORE INTO merge_touched(record_id) VALUES (?)", [(i,) for i in updated]
    )
    found = db.execute(
        f'SELECT id FROM "{kind}" WHERE id IN (SELECT record_id FROM merge_touched) {tests}'
    ).fetchone()
    if found is not None:
        raise MergeRefused(_DAMAGED.format(kind=kind))


@dataclass(slots=True)
class _State:
    """One record while its incoming events are applied (stored values, by column)."""

    row: dict[str, Any] | None
    existed: bool
    changed: bool = False


@dataclass
class _Plan:
    new_events: list[Event] = field(default_factory=list)
    heads: dict[tuple[str, str], Heads] = field(default_factory=dict)
    owners: dict[tuple[str, str], str] = field(default_factory=dict)
    stamped: dict[str, Event] = field(default_factory=dict)


def _chunks(items: Sequence[Any], size: int = _CHUNK) -> Iterable[Sequence[Any]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def tombstoned(db: Database) -> set[str]:
    """Every participant id with a tombstone (erased: never to come back)."""
    return {str(r[0]) for r in db.execute("SELECT participant_id FROM tombstones").fetchall()}


_LATEST_MOVES = (
    "SELECT participant_id, stage FROM (SELECT participant_id, stage, row_number() OVER "
    '(PARTITION BY participant_id ORDER BY "on" DESC, created_at DESC, rowid) AS n FROM stages '
    "WHERE participant_id IN (SELECT id FROM merge_restage)) WHERE n = 1"
)


def restage(db: Database, participant_ids: Iterable[str]) -> None:
    """Hold as each parent's stage that of their latest move by day (as a move typed here
    does, caseload.records._restage), after a merge brought moves or details: the same moves
    give the same stage on every laptop, whichever bundle came first, so no event is written
    and no one is asked to choose between two stages (core.merge.DERIVED). One pass over the
    moves, no index needed (a big merge's may be dropped until its end)."""
    ids = list(dict.fromkeys(participant_ids))
    if not ids:
        return
    db.execute("CREATE TEMP TABLE IF NOT EXISTS merge_restage(id TEXT PRIMARY KEY)")
    db.execute("DELETE FROM merge_restage")
    db.conn.executemany("INSERT OR IGNORE INTO merge_restage(id) VALUES (?)", [(i,) for i in ids])
    latest = dict(db.execute(_LATEST_MOVES).fetchall())
    if latest:
        db.conn.executemany(
            "UPDATE participants SET stage = ? WHERE id = ? AND stage IS NOT ?",
            [(stage, pid, stage) for pid, stage in latest.items()],
        )
    db.execute("DELETE FROM merge_restage")


def erase(db: Database, participant_id: str, event: Event) -> None:
    """Remove every trace of one parent and leave a tombstone (the ERASE contract), as an
    erasure made here does (store.erase); the caller scrubs the name index once afterwards."""
    remove_traces(db, participant_id)
    leave_tombstone(db, participant_id, event)


def _known_ids(db: Database, incoming: set[str]) -> set[str]:
    """The incoming event ids this log already has.

    When the log here is not much bigger than what arrives, one scan of its event-id index is
    cheapest; otherwise the ids are looked up in chunks.
    """
    # How many events the log here holds, at most (its last seq: no count of every row).
    here = int(db.execute("SELECT ifnull(max(seq), 0) FROM journal").fetchone()[0])
    stored = {eventlog.key(i): i for i in incoming}
    if here <= 3 * len(incoming):
        cursor = db.execute("SELECT event_id FROM journal")
        known: set[str] = set()
        while rows := cursor.fetchmany(50_000):
            known.update(stored[r[0]] for r in rows if r[0] in stored)
        return known
    return eventlog.known_ids(db, incoming)


def _current_rows(
    db: Database, kind: str, ids: Sequence[str], rowids: dict[str, int] | None = None
) -> dict[str, dict[str, Any]]:
    """The rows of `kind` with these ids, by id (`rowids`, when given: filled with their rowids)."""
    if db.execute(f'SELECT 1 FROM "{kind}" LIMIT 1').fetchone() is None:
        return {}  # an empty table (a first merge): no need to look each id up
    names = [c.name for c in columns(BY_KIND[kind])]
    quoted = ", ".join(f'"{n}"' for n in names)
    found: dict[str, dict[str, Any]] = {}
    for chunk in _chunks(ids):
        marks = ", ".join("?" * len(chunk))
        for row in db.execute(
            f'SELECT rowid, {quoted} FROM "{kind}" WHERE id IN ({marks})', list(chunk)
        ).fetchall():
            found[row[1]] = dict(zip(names, row[1:], strict=True))
            if rowids is not None:
                rowids[row[1]] = row[0]
    return found


BIG_CACHE_KIB = -131_072  # a big merge's page cache: 128 MiB at most
BULK = 50_000


# The tables whose changes the caseload list follows.
_LISTED = frozenset({"participants", "contacts", "pace", "pauses"})


class DeferredIndexes:
    """For a bulk merge into a smaller table: drop its plain indexes, write, then rebuild them.

    Building an index once over sorted keys is far cheaper than a million random B-tree inserts
    (UUID keys); unique indexes stay, so uniqueness is still checked row by row. All of this runs
    inside the merge transaction, so a failure leaves every index as it was.

    The caseload list's triggers would look records up through the dropped indexes, so while
    any table they watch is deferred they are dropped too and the list is rebuilt at the end.
    """

    def __init__(self, db: Database, *, keep: frozenset[str] = frozenset()) -> None:
        self.db = db
        self.keep = keep  # indexes never dropped (by name)
        self.dropped: list[tuple[str, str]] = []  # (table, CREATE INDEX statement)
        self.list_suspended = False
        # For several merges of one bundle's chunks, what a merge of every event at once keeps
        # per record from its first event to its last: the records changed so far (kind, id),
        # and those whose decisions are brought in line with their heads once, after the last
        # chunk (settle_decisions), with their owner. The journal's last seq before the first.
        # A record made by an earlier chunk is not listed in `changed`: its row's rowid, past
        # the kind's last rowid before the first chunk (`rowid_tops`), says so (a first merge's
        # every record, which would otherwise be held here as text till the last chunk).
        self.changed: set[tuple[str, str]] = set()
        self.rowid_tops: dict[str, int] = {}
        self.undecided: dict[tuple[str, str], str | None] = {}
        self.top = 0
        # The parents whose stage follows their moves once, after the last chunk (restage).
        self.restage: set[str] = set()
        # The events of every chunk no enrolled laptop vouched for (noted once the last is
        # merged): a unit's write among them is never held before a vouched one.
        self.unsealed: set[str] = set()

    def note_rowid_tops(self) -> None:
        """Note each record kind's last rowid, before the first chunk: a row past it was written
        by a chunk since (SQLite hands out the next rowid past the last while the last is below
        2**63 - 1; a kind near that is not told apart by rowid, its records listed instead)."""
        for kind in BY_KIND:
            top = int(
                self.db.execute(f'SELECT coalesce(max(rowid), 0) FROM "{kind}"').fetchone()[0]
            )
            if top < 2**62:
                self.rowid_tops[kind] = top

    def changed_before(self, key: tuple[str, str], rowid: int | None) -> bool:
        """Whether an earlier chunk changed the record `key` (`rowid`: its row's now, if any)."""
        if key in self.changed:
            return True
        top = self.rowid_tops.get(key[0])
        return top is not None and rowid is not None and rowid > top

    def note_changed(self, key: tuple[str, str], *, new_row: bool) -> None:
        """Note the record `key` changed by this chunk (`new_row`: a row it inserts, whose rowid
        will say so)."""
        if not (new_row and key[0] in self.rowid_tops):
            self.changed.add(key)

    def defer(self, table: str, incoming: int) -> None:
        if incoming < BULK or count(self.db, table) > incoming:
            return
        if table in _LISTED and not self.list_suspended:
            caseload_list.drop_triggers(self.db)
            self.list_suspended = True
        for name, sql in self.db.execute(
            "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = ? "
            "AND sql IS NOT NULL AND sql NOT LIKE 'CREATE UNIQUE%'",
            [table],
        ).fetchall():
            if name in self.keep:
                continue
            self.db.execute(f'DROP INDEX "{name}"')
            self.dropped.append((table, str(sql)))

    def rebuild(self, *, but: str | None = None) -> None:
        """Rebuild the dropped indexes (all, or all `but` one table's) and the caseload list."""
        for table, sql in self.dropped:
            if table != but:
                self.db.execute(sql)
        self.dropped = [(table, sql) for table, sql in self.dropped if table == but]
        if self.list_suspended:
            caseload_list.create_triggers(self.db)
            caseload_list.rebuild(self.db)
            self.list_suspended = False


@contextmanager
def deferred_indexes(db: Database, incoming: int) -> Iterator[DeferredIndexes]:
    """For several `apply_events` in one transaction that bring `incoming` events between them
    (a big bundle merged a chunk at a time, store.bundle_merge): the plain indexes of the
    journal, of the search index's keys and of every record table no bigger than that are
    dropped once, before the first, and rebuilt once, after the last (pass the value to each
    `apply_events`). On its own, each chunk would keep them and update them row by row (too
    small to drop them), or drop and rebuild them every time. The journal's index of record
    ids stays: each chunk looks up the records earlier ones wrote (their heads). If anything
    fails, the transaction's rollback brings every index and trigger back."""
    with big_cache(db):
        deferred = DeferredIndexes(db, keep=frozenset({"idx_journal_record"}))
        deferred.top = int(db.execute("SELECT ifnull(max(seq), 0) FROM journal").fetchone()[0])
        deferred.note_rowid_tops()
        if incoming >= BULK:
            deferred.defer("journal", incoming)
            for kind in BY_KIND:
                deferred.defer(kind, incoming)
            # The search index's keys too: one random insert per text into the index of record
            # ids (about a twentieth of a first merge) against one sort at the end.
            deferred.defer(search.KEYS, incoming)
        yield deferred
        deferred.rebuild()


RecordCheck = Callable[[Record, datetime | None], None]
"""Validates a record a merge would write (ValidationError if not): first as if typed in here
(`written` None), and again, if that fails, as if typed in when it was last written
(`written`: the latest moment among the events that made it, here and incoming, on the clocks
of the laptops that wrote them)."""


def apply_events(
    db: Database,
    events: Sequence[Event],
    *,
    found_at: str,
    check: RecordCheck | None = None,
    trusted: frozenset[str] | None = None,
    unsealed: frozenset[str] = frozenset(),
    deferred: DeferredIndexes | None = None,
    known: set[str] | None = None,
    ahead_of: datetime | None = None,
    numbers: Sequence[int] | None = None,
) -> MergeResult:
    """Apply incoming events inside the caller's transaction; see the module docstring.

    Every event is checked first (store.merge_checks) and every record it builds is passed to
    `check` (see RecordCheck); the first failure refuses the whole merge. New events written
    after `ahead_of` (on a laptop whose clock was ahead) are merged as any, and counted. An erasure
    from a device not in `trusted` (None: trust every device) waits as a decision. Events in
    `unsealed` (no enrolled laptop vouched for them, core.seals) may add records but change
    nothing here without a decision: their edits are read as not having seen any value, their
    removals and erasures wait as decisions. With `deferred` (deferred_indexes), the indexes it
    drops are rebuilt by its owner, after the last of several merges. `known`: which of the
    events' ids the log here holds, when the caller knows (else they are looked up).
    `numbers`: each event's number in the incoming log, when `events` are some of it (a
    refusal names an event by it).
    """
    # The checks too run with the collector paused: each event's text and many small objects
    # are made, and none of them in a cycle.
    with big_cache(db), paused_gc():
        texts = check_events(events, numbers)
        return _apply(
            db,
            events,
            texts,
            found_at=found_at,
            check=check,
            trusted=trusted,
            unsealed=unsealed,
            shared=deferred,
            known=known,
            ahead_of=ahead_of,
            numbers=numbers,
        )


@contextmanager
def big_cache(db: Database) -> Iterator[None]:
    """A big merge touches indexes keyed by random UUIDs: a larger page cache for its duration
    keeps those pages in memory (128 MiB at most; restored afterwards). Lowering the cache
    size drops the pages over it, so several merges in one transaction (a big bundle's chunks)
    keep the larger cache from the first to the last (deferred_indexes holds it)."""
    old = int(db.execute("PRAGMA cache_size").fetchone()[0])
    if old == BIG_CACHE_KIB:
        yield
        return
    db.execute(f"PRAGMA cache_size = {BIG_CACHE_KIB}")
    try:
        yield
    finally:
        db.execute(f"PRAGMA cache_size = {old}")


def _apply(
    db: Database,
    events: Sequence[Event],
    texts: Sequence[str | None],
    *,
    found_at: str,
    check: RecordCheck | None,
    trusted: frozenset[str] | None,
    unsealed: frozenset[str] = frozenset(),
    shared: DeferredIndexes | None = None,
    known: set[str] | None = None,
    ahead_of: datetime | None = None,
    numbers: Sequence[int] | None = None,
) -> MergeResult:
    seen_ids = {e.event_id for e in events}
    if known is None:
        known = _known_ids(db, seen_ids)
    if not known and len(seen_ids) == len(events):
        fresh = list(events)  # the usual first merge: every event is new and arrives once
    else:
        taken = set(known)
        fresh = []
        for event in events:  # the first of any repeated id, if this log does not have it yet
            if event.event_id not in taken:
                taken.add(event.event_id)
                fresh.append(event)
    gone = tombstoned(db)
    erased_now: list[str] = []
    kinds: set[str] = set()
    touched: set[str] = set()

    erases = [e for e in fresh if e.action == _ERASE]
    if erases and (trusted is not None or unsealed):
        # An erasure from a device the partnership has not enrolled (or one no enrolled laptop
        # vouched for) is not carried out: it waits for someone here to decide (it is not
        # stored, so it does not travel on either).
        waiting = [
            e
            for e in erases
            if (trusted is not None and e.device_id not in trusted) or e.event_id in unsealed
        ]
        held_ids = {e.event_id for e in waiting}
        erases = [e for e in erases if e.event_id not in held_ids]
        held = _hold_erasures(db, waiting, found_at)
        if held:
            kinds.add("merge_decisions")
        untrusted = {e.event_id for e in waiting}
        fresh = [e for e in fresh if e.event_id not in untrusted]
    else:
        held = 0
    for event in erases:
        if event.participant_id:
            if event.participant_id in gone:
                continue
            erase(db, event.participant_id, event)
            gone.add(event.participant_id)
            erased_now.append(event.participant_id)
            touched.add(event.participant_id)
            kinds.update(BY_KIND)
    if erased_now:
        scrub_name_index(db)  # once, however many parents were erased

    dropped = 0
    if not gone and not erases:
        keep = fresh  # nothing erased, here or incoming
    else:
        keep = []
        participants = Participant.KIND
        for event in fresh:
            if event.action == _ERASE:
                continue
            if (event.participant_id and event.participant_id in gone) or (
                event.kind == participants and event.record_id in gone
            ):
                dropped += 1  # never stored: it may carry the erased parent's details
                continue
            keep.append(event)

    by_record: dict[tuple[str, str], list[Event]] = defaultdict(list)
    record_kinds = BY_KIND.keys()
    record_actions = frozenset((_CREATE, _UPDATE, _DELETE))
    for event in keep:
        if event.kind in record_kinds and event.action in record_actions:
            by_record[(event.kind, event.record_id)].append(event)

    ids_by_kind: dict[str, list[str]] = defaultdict(list)
    for kind, record_id in by_record:
        ids_by_kind[kind].append(record_id)
    existing: dict[tuple[str, str], dict[str, Any]] = {}
    rowids: dict[tuple[str, str], int] = {}  # (one of several chunks: the rows' rowids)
    for kind, ids in ids_by_kind.items():
        kind_rowids: dict[str, int] | None = None if shared is None else {}
        for record_id, stored in _current_rows(db, kind, ids, kind_rowids).items():
            existing[(kind, record_id)] = stored
        if kind_rowids:
            rowids.update(((kind, record_id), n) for record_id, n in kind_rowids.items())

    # Records here that receive events: their heads (what each field's value replaced) from
    # the log here; only they can clash (a record new here starts from no heads).
    local = versions.heads_for(db, [rid for (_k, rid) in existing]) if existing else {}
    open_decisions = (
        versions.open_decisions(db, [rid for (_k, rid) in existing]) if existing else {}
    )
    stamps = _legacy_stamps(events, by_record)

    plan = _Plan()
    skipped: set[str] = set()
    held_removals: set[str] = set()  # (not stored either, but nothing was removed here)
    kept_removed: set[str] = set()  # edits to records removed here that the removal had seen
    removals: list[Event] = []  # unsealed removals of records here: wait as decisions
    # Removals that had not seen a change to their record, and the change (its head, or the
    # edit that brought the record back): wait as decisions, the record kept with the change.
    unseen: list[tuple[Event, Side]] = []
    states: dict[tuple[str, str], _State] = {}
    removed: dict[tuple[str, str], Event] = {}  # records removed by this merge: the removal
    kept: list[Event] = []  # decisions made elsewhere to keep a record a removal asked to remove
    names_of = {kind: [c.name for c in columns(BY_KIND[kind])] for kind in ids_by_kind}
    blank_of = {kind: _blank_row(BY_KIND[kind]) for kind in ids_by_kind}
    base = BASE_FIELDS
    unvouched: frozenset[str] | None = None  # read when a unit is first held
    for record_key, record_events in by_record.items():
        kind, record_id = record_key
        names, blank = names_of[kind], blank_of[kind]
        row = existing.get(record_key)
        existed = row is not None
        # Changed by this merge: by an earlier chunk of it too (a later event then moves
        # updated_at on, as it does when every event is merged at once).
        changed = shared is not None and shared.changed_before(record_key, rowids.get(record_key))
        applied = False
        # The usual first merge of a record (one create): no heads to follow.
        heads: Heads | None = None
        if existed or len(record_events) > 1:
            heads = local.get(record_id) or Heads(kind)
            plan.heads[record_key] = heads
        owned = "participant_id" in names and kind != Participant.KIND
        passed_over: list[Event] = []  # removals of a record already removed here
        for event in record_events:
            action = event.action
            if owned and row is not None and row.get("participant_id") != event.participant_id:
                number = positions(events, numbers)[event.event_id]
                raise refuse(
                    number, event, "moves a record to another parent, which JourneyApp never does"
                )
            if event.event_id in unsealed and action == _UPDATE:
                # What an unsealed edit says it replaced is not believed, here or later: it is
                # kept as replacing nothing, so it stands beside the value here until decided.
                if event.fields.get(REPLACED) != {}:
                    event = plan.stamped[event.event_id] = _stamp(event, {})
            elif event.event_id in stamps:
                event = plan.stamped[event.event_id] = _stamp(event, stamps[event.event_id])
            fields = event.fields
            if action == _CREATE and row is None:
                # Every column, its default where the event has no value (a field a laptop
                # before it did not know: m022's ending_words is "", not None); fields this
                # version does not know are left out. (Filled in C: a third of the cost of a
                # zip of lookups.)
                row = dict(blank)
                row.update(fields)
                if len(row) != len(names):
                    row = {n: fields.get(n, blank[n]) for n in names}
                row["id"] = record_id
                changed = True
            elif action in (_CREATE, _UPDATE):
                if DECIDED in fields and _kept_ids(fields):
                    kept.append(event)
                if row is None:
                    # The record was removed (here, or by an event before this one): the removal
                    # stands, unless it had not seen this change. Then the record comes back
                    # as the removal saw it, with the change, and the removal waits for a
                    # decision: a parent's words typed on one laptop are not lost to a removal
                    # made on another without anyone deciding so.
                    removal = (
                        None
                        if action != _UPDATE or event.event_id in unsealed
                        else removed.get(record_key) or _removal_here(db, kind, record_id)
                    )
                    if (
                        removal is None
                        or kind in _SPECIAL
                        or not _changes_unseen(removal.fields, fields, names)
                    ):
                        # Kept in the log all the same (unless no enrolled laptop vouched for
                        # it), as every laptop that had it before the removal keeps it: a later
                        # merge of the same bundle finds it here and changes nothing.
                        if removal is None:
                            skipped.add(event.event_id)
                        else:
                            kept_removed.add(event.event_id)
                        continue
                    row = {n: removal.fields.get(n, blank[n]) for n in names}
                    row["id"] = record_id
                    changed = True
                    if heads is None or not (existed or applied):
                        # Removed before this merge: what its values replaced, from the log.
                        heads = versions.heads_for(db, [record_id]).get(record_id) or Heads(kind)
                        plan.heads[record_key] = heads
                    unseen.append((removal, _side(event)))
                assert heads is not None
                said = fields.get(REPLACED) if action == _UPDATE else None
                # An edit no enrolled laptop vouched for is read as having seen nothing here.
                vouched = event.event_id not in unsealed
                replaced = said if isinstance(said, dict) and vouched else {}
                for name, value in fields.items():
                    if name in base or name not in row:
                        continue  # base fields are ours; unknown fields (newer versions) ignored
                    if row[name] == value:
                        continue
                    shown = heads.shown(name, row[name])
                    # Take the value only if its author had seen the one shown here; otherwise
                    # both stay as heads and the value here is kept until someone decides.
                    if shown and not set(shown) & set(replaced.get(name) or ()):
                        continue
                    row[name] = value
                    changed = True
                made = str(fields.get("created_at") or "")
                if (
                    action == _CREATE
                    and vouched
                    and made
                    and made < str(row.get("created_at") or "")
                ):
                    # One parent's one record made on two laptops: the earlier making counts,
                    # the same everywhere.
                    row["created_at"] = fields.get("created_at")
                    row["recorded_by"] = fields.get("recorded_by")
                    changed = True
                if changed and (row.get("updated_at") or "") < event.at:
                    row["updated_at"] = event.at
            elif row is not None:  # delete
                if existed and event.event_id in unsealed:
                    removals.append(event)  # waits for a decision; not stored, not carried on
                    skipped.add(event.event_id)
                    held_removals.add(event.event_id)
                    continue
                # Special-category answers are removed when their consent is withdrawn (or
                # cleared): that removal always stands, never kept back by a change elsewhere.
                edit = None if heads is None or kind in _SPECIAL else _unseen_head(heads, fields)
                if edit is not None:
                    # Made without seeing a value the record holds here: it waits for a
                    # decision, the record kept (the removal not stored, not carried on).
                    unseen.append((event, edit))
                    skipped.add(event.event_id)
                    held_removals.add(event.event_id)
                    continue
                row = None
                changed = True
                removed[record_key] = event
            elif record_key in removed or _removal_here(db, kind, record_id) is not None:
                # Removed here already (by this removal or another): nothing to do, and not
                # kept, as a removal held as a question was not (a later merge of the same
                # bundle, once the question is answered, finds nothing new).
                skipped.add(event.event_id)
                # (Unless an edit later in this merge brings the record back: see below.)
                passed_over.append(event)
                continue
            if heads is not None:
                heads.apply(
                    event.event_id,
                    action,
                    fields,
                    Side(None, event.event_id, event.at, event.actor, event.device_id),
                )
            applied = True
            if passed_over and row is not None and heads is not None:
                # An edit brought back a record whose removals this merge had passed over:
                # each that had not seen the edit waits as a question too, as it would had the
                # edit come first (and as it does when the same bundle is merged again).
                for passed in passed_over:
                    unseen_edit = _unseen_head(heads, passed.fields)
                    if unseen_edit is not None:
                        unseen.append((passed, unseen_edit))
                        held_removals.add(passed.event_id)
                passed_over.clear()
            if event.participant_id:
                touched.add(event.participant_id)
                plan.owners[record_key] = event.participant_id
        if heads is not None and row is not None and heads.unit:
            # A unit (a consent, where a journey stands) as its latest write left it, whole
            # (with what an older version's write meant but did not say); written on laptops
            # that had not seen each other's, the one its rule holds, on every device, until
            # decided.
            holding = unit_held(kind, heads)
            if unit_clash(kind, heads):  # (rare: which writes were vouched for, read once)
                if unvouched is None:
                    unvouched = _unvouched(db, unsealed, shared)
                holding = unit_held(kind, heads, unvouched)
            if holding is not None:
                for name in heads.unit:
                    if name in row and row[name] != holding[name]:
                        row[name] = holding[name]
                        changed = True
        if applied:
            kinds.add(kind)
        states[record_key] = _State(row, existed, changed)
        if changed and shared is not None:
            shared.note_changed(record_key, new_row=row is not None and not existed)
    if unseen:
        for key in _back_together(db, unseen, states, removed, names_of):
            kinds.add(key[0])
            by_record.setdefault(key, [])
            if shared is not None:
                shared.note_changed(key, new_row=not states[key].existed)
    if check is not None:
        _check_records(db, events, by_record, states, check, numbers)
    moved = _moved(plan, states)
    deferred = DeferredIndexes(db) if shared is None else shared
    per_kind: dict[str, int] = defaultdict(int)
    for (kind, _rid), state in states.items():
        per_kind[kind] += state.changed
    for kind, n in per_kind.items():
        deferred.defer(kind, n)
    # Keep each laptop's order in our log: merged events are appended in the order received.
    plan.new_events = [e for e in keep if e.event_id not in skipped] if skipped else keep
    if plan.stamped:
        plan.new_events = [plan.stamped.get(e.event_id, e) for e in plan.new_events]
    deferred.defer("journal", len(plan.new_events))
    new_rows = _write_states(db, states)
    for kind, after_rowid in new_rows:
        _check_values(db, kind, after_rowid, [])
    if shared is None:
        deferred.rebuild(but="journal")
    append_events(db, plan.new_events, _journal_texts(plan.new_events, events, texts))
    if shared is None:
        deferred.rebuild()
        restage(db, moved)
    else:
        shared.restage.update(moved)
    if shared is None:
        new_decisions, settled = _write_decisions(
            db, plan, states, open_decisions, found_at, lambda: _unvouched(db, unsealed, shared)
        )
    else:
        # One of several chunks: a record's decisions follow its heads after its last event,
        # as when every event is merged at once (settle_decisions), not a decision opened for
        # each chunk's heads and settled by a later chunk's.
        _note_undecided(shared, plan, states, open_decisions)
        shared.unsealed.update(unsealed)
        new_decisions = settled = 0
    new_decisions += _hold_removals(db, removals, found_at)
    new_decisions += _hold_unseen_removals(db, unseen, found_at)
    settled += _settle_kept(db, kept) + settle_removed(db, found_at)
    if unseen or settled:
        kinds.add("merge_decisions")
    if new_decisions or settled:
        kinds.add("merge_decisions")
    ahead, ahead_latest, ahead_laptops = _ahead(plan.new_events, ahead_of)
    return MergeResult(
        received=len(events),
        already_had=len(known),
        applied=len(plan.new_events),
        erased=len(erased_now),
        dropped_erased=dropped,
        skipped_removed=len(skipped) - len(held_removals) + len(kept_removed),
        new_decisions=new_decisions + held,
        settled=settled,
        kinds=frozenset(kinds),
        participant_ids=frozenset(touched),
        ahead=ahead,
        ahead_latest=ahead_latest,
        ahead_laptops=ahead_laptops,
    )


def _moved(plan: _Plan, states: dict[tuple[str, str], _State]) -> list[str]:
    """The parents whose stage may no longer be their latest move's: a move of theirs, or
    their details, changed by the merge."""
    found = []
    for (kind, record_id), state in states.items():
        if not state.changed:
            continue
        if kind == Participant.KIND:
            if state.row is not None:
                found.append(record_id)
        elif kind == StageChange.KIND:
            owner = plan.owners.get((kind, record_id))
            if owner is None and state.row is not None:
                owner = state.row.get("participant_id")
            if owner:
                found.append(str(owner))
    return found


def _ahead(
    events: Sequence[Event], after: datetime | None
) -> tuple[int, datetime | None, frozenset[str]]:
    """How many of `events` were written after `after`, the latest moment among them, and the
    devices that wrote them. Only an event written on the day before `after` or later is read
    as a moment (usually none: the text of its day says it is earlier)."""
    if after is None:
        return 0, None, frozenset()
    since = (after.astimezone(UTC) - timedelta(days=1)).date().isoformat()
    count, latest = 0, None
    devices: set[str] = set()
    for event in events:
        if event.at[:10] < since:
            continue
        written = moment(event.at)
        if written is None or written <= after:
            continue
        count += 1
        devices.add(event.device_id)
        if latest is None or written > latest:
            latest = written
    return count, latest, frozenset(devices)


_DAMAGED = (
    "The incoming {kind} hold values this version cannot read; the file may be damaged or "
    "altered. Nothing was merged."
)


def _journal_texts(
    new_events: Sequence[Event], events: Sequence[Event], texts: Sequence[str | None]
) -> list[str]:
    """Each new event's fields as journey-log text: the text check_events measured it by
    (`texts`, one for each of `events`), or, for an event written in anew (what it replaced
    noted in its fields) or one that had none, encoded now."""
    if len(new_events) == len(events) and None not in texts and all(map(is_, new_events, events)):
        return cast(list[str], list(texts))  # the usual case: every event new, each with text
    by_event = {id(e): text for e, text in zip(events, texts, strict=True)}
    encoded: list[str] = []
    for event in new_events:
        text = by_event.get(id(event))
        encoded.append(encode_event_fields(event.fields) if text is None else text)
    return encoded


def _blank_row(cls: type[Record]) -> dict[str, Any]:
    """A record's columns as a row made from an event that has no value for them holds them:
    a field's default, as stored, when it has one that is not None (a laptop before the field
    was added has none to give: its words "" and its voice the parent's, as a record made
    here without them would be); None for every other (and for the fields every record has,
    which the store sets)."""
    found: dict[str, Any] = {}
    by_name = {f.name: f for f in dataclasses.fields(cls)}
    for column in columns(cls):
        default = by_name[column.name].default
        keep = column.name not in BASE_FIELDS and default is not dataclasses.MISSING
        found[column.name] = to_value(column, default) if keep else None
    return found


def _write_states(db: Database, states: dict[tuple[str, str], _State]) -> list[tuple[str, int]]:
    """Write every changed record; returns (kind, rowid) pairs: rows past it are new, unchecked."""
    new_rows: list[tuple[str, int]] = []
    upserts: dict[str, list[dict[str, Any]]] = defaultdict(list)
    updated: dict[str, list[str]] = defaultdict(list)
    deletes: dict[str, list[str]] = defaultdict(list)
    for (kind, record_id), state in states.items():
        if not state.changed:
            continue
        if state.row is None:
            if state.existed:
                deletes[kind].append(record_id)
        else:
            upserts[kind].append(state.row)
            if state.existed:
                updated[kind].append(record_id)
    for kind, ids in deletes.items():
        for chunk in _chunks(ids):
            marks = ", ".join("?" * len(chunk))
            db.execute(f'DELETE FROM "{kind}" WHERE id IN ({marks})', list(chunk))
            search.unindex(db, kind, chunk)
    for kind, rows in upserts.items():
        names = [c.name for c in columns(BY_KIND[kind])]
        if kind == Participant.KIND:
            _free_clashing_refs(db, rows)
        quoted = ", ".join(f'"{n}"' for n in names)
        sets = ", ".join(f'"{n}" = excluded."{n}"' for n in names if n != "id")
        values = itemgetter(*names)
        # After the deletes above: rows inserted now get rowids past this one.
        last = int(db.execute(f'SELECT coalesce(max(rowid), 0) FROM "{kind}"').fetchone()[0])
        try:
            db.conn.executemany(
                f'INSERT INTO "{kind}" ({quoted}) VALUES ({", ".join("?" * len(names))}) '
                f"ON CONFLICT(id) DO UPDATE SET {sets}",
                map(values, rows),
            )
        except (sqlcipher.InterfaceError, sqlcipher.ProgrammingError, TypeError, OverflowError):
            raise MergeRefused(_DAMAGED.format(kind=kind)) from None
        if last >= 2**62:  # rowids are no longer handed out in order: check every row written
            _check_values(db, kind, 2**63 - 1, [row["id"] for row in rows])
        else:
            _check_values(db, kind, None, updated.get(kind, []))
            new_rows.append((kind, last))
        # Names and searched text, every kind (only records that were here had entries).
        search.index_rows(db, kind, rows, known=updated.get(kind, []))
    return new_rows


def _free_clashing_refs(db: Database, rows: list[dict[str, Any]]) -> None:
    """A partnership reference already used by another parent here is left off the incoming one.

    (The unique index would otherwise refuse the whole merge.)
    """
    refs = [row["ref"] for row in rows if row.get("ref")]
    if not refs:
        return
    taken: dict[str, str] = {}
    for chunk in _chunks(refs):
        marks = ", ".join("?" * len(chunk))
        for ref, pid in db.execute(
            f"SELECT ref, id FROM participants WHERE ref IN ({marks})", list(chunk)
        ).fetchall():
            taken[ref] = pid
    seen: dict[str, str] = {}
    for row in rows:
        ref = row.get("ref")
        if not ref:
            continue
        owner = taken.get(ref, seen.get(ref))
        if owner is not None and owner != row["id"]:
            row["ref"] = None
        else:
            seen[ref] = row["id"]


def _unvouched(
    db: Database, unsealed: frozenset[str], shared: DeferredIndexes | None
) -> frozenset[str]:
    """The events no enrolled laptop vouched for: merged before, in this merge, or in an
    earlier chunk of it."""
    noted = store_seals.all_unsealed(db)
    return noted | unsealed | (frozenset(shared.unsealed) if shared is not None else frozenset())


def _write_decisions(
    db: Database,
    plan: _Plan,
    states: dict[tuple[str, str], _State],
    known: dict[tuple[str, str], dict[str, tuple[str, str]]],
    found_at: str,
    unvouched: Callable[[], frozenset[str]] | None = None,
) -> tuple[int, int]:
    """Open, update or settle the decisions of every record whose heads were followed."""
    opened = settled = 0
    for (kind, record_id), heads in plan.heads.items():
        state = states[(kind, record_id)]
        if state.row is None and not any(rid == record_id for rid, _n in known):
            continue
        mine = {key: d for key, d in known.items() if key[0] == record_id} if known else {}
        owner = plan.owners.get((kind, record_id))
        o, s = versions.sync_decisions(
            db, kind, record_id, owner, heads, state.row, found_at, mine, unvouched
        )
        opened += o
        settled += s
    return opened, settled


def _note_undecided(
    deferred: DeferredIndexes,
    plan: _Plan,
    states: dict[tuple[str, str], _State],
    known: dict[tuple[str, str], dict[str, tuple[str, str]]],
) -> None:
    """Note the records of a chunk whose decisions may change (a clash in their heads, or a
    decision open before the merge), for settle_decisions. A record's heads change only with
    its own events, so one not noted after the chunk of its last event has none to change."""
    waiting = {record_id for record_id, _name in known}
    undecided = deferred.undecided
    for key, heads in plan.heads.items():
        row = states[key].row
        if key in undecided or key[1] in waiting or (row is not None and heads.clashing()):
            undecided[key] = plan.owners.get(key) or undecided.get(key)


def settle_decisions(db: Database, deferred: DeferredIndexes, found_at: str) -> MergeResult:
    """After the last of several chunks merged with `deferred`: open, update or settle the
    decisions of the records they noted, from each record's heads and row as the merge left
    them, in the order their first events came (as merging every event at once does)."""
    restage(db, deferred.restage)
    deferred.restage = set()
    owners, deferred.undecided = deferred.undecided, {}
    keys = list(owners)
    if not keys:
        return MergeResult()
    ids = list(dict.fromkeys(record_id for _kind, record_id in keys))
    first: dict[str, int] = {}
    for chunk in _chunks(ids):
        where, params = eventlog.where_in("record_id", chunk)
        stored = {eventlog.key(i): i for i in chunk}
        for record_id, seq in db.execute(
            f"SELECT j.record_id, min(j.seq) FROM journal AS j WHERE {where} AND j.seq > ? "
            "GROUP BY j.record_id",
            [*params, deferred.top],
        ).fetchall():
            first[stored[record_id]] = seq
    keys.sort(key=lambda k: first.get(k[1], deferred.top))
    plan = _Plan()
    heads = versions.heads_for(db, ids)
    states: dict[tuple[str, str], _State] = {}
    by_kind: dict[str, list[str]] = defaultdict(list)
    for kind, record_id in keys:
        by_kind[kind].append(record_id)
    rows = {
        (kind, record_id): row
        for kind, kind_ids in by_kind.items()
        for record_id, row in _current_rows(db, kind, kind_ids).items()
    }
    for key in keys:
        plan.heads[key] = heads.get(key[1]) or Heads(key[0])
        states[key] = _State(rows.get(key), True)
        owner = owners[key]
        if owner is not None:
            plan.owners[key] = owner
    opened, settled = _write_decisions(
        db,
        plan,
        states,
        versions.open_decisions(db, ids),
        found_at,
        lambda: _unvouched(db, frozenset(), deferred),
    )
    kinds = frozenset({"merge_decisions"}) if opened or settled else frozenset()
    return MergeResult(new_decisions=opened, settled=settled, kinds=kinds)


ERASE_FIELD = "_erase"  # a decision about an erasure from a device not enrolled here
REMOVE_FIELD = "_remove"  # a decision about a removal no enrolled laptop vouched for


def _hold_erasures(db: Database, waiting: Sequence[Event], found_at: str) -> int:
    """Each erasure from an unknown device as an open decision (once per erasure event)."""
    unerased = [
        e
        for e in waiting
        if not db.execute(
            "SELECT 1 FROM tombstones WHERE participant_id = ?", [e.participant_id]
        ).fetchone()
    ]
    return _hold(db, unerased, found_at, ERASE_FIELD, "erase", kind="participants")


def _side(event: Event) -> Side:
    """Who wrote an event, when, on which laptop (no value: a removal's question has none)."""
    return Side(None, event.event_id, event.at, event.actor, event.device_id)


def _unseen_head(heads: Heads, removed: dict[str, Any]) -> Side | None:
    """A value of the record here that a removal had not seen (its fields hold the record as
    its laptop showed it when removed, and what it replaced every value on offer there): the
    latest such head, or None when it saw them all."""
    said = removed.get(REPLACED)
    seen = said if isinstance(said, dict) else {}
    found: Side | None = None
    for name, sides in heads.fields.items():
        if name in BASE_FIELDS or is_meta(name) or name not in removed:
            continue  # (a field the removing laptop's version did not know: no telling)
        saw = seen.get(name) or ()
        for event_id, side in sides.items():
            if side.value == removed[name] or event_id in saw:
                continue
            if found is None or side.at > found.at:
                found = side
    return found


def _back_together(
    db: Database,
    unseen: list[tuple[Event, Side]],
    states: dict[tuple[str, str], _State],
    removed: dict[tuple[str, str], Event],
    names_of: dict[str, list[str]],
) -> list[tuple[str, str]]:
    """Records removed in one change with a record kept by a question (a goal and its steps,
    removed as one; a milestone and its job): back with it, as their removal saw them, each
    removal asked about too, with the same change beside it. A step changed on one laptop
    keeps its goal; a goal's words changed keep its steps. Returns the records brought back."""
    back: list[tuple[str, str]] = []
    asked = {removal.event_id for removal, _change in unseen}
    for removal, change in list(unseen):
        state = states.get((removal.kind, removal.record_id))
        if state is None or state.row is None:
            continue  # removed after all (by a later removal that had seen the change)
        for other in _removed_with(db, removal, removed):
            key = (other.kind, other.record_id)
            if other.event_id in asked or other.kind not in BY_KIND:
                continue
            held = states.get(key)
            if held is not None and held.row is not None:
                continue
            if held is None and exists(db, other.kind, other.record_id):
                continue
            names = names_of.get(other.kind) or [c.name for c in columns(BY_KIND[other.kind])]
            names_of[other.kind] = names
            row = dict(zip(names, map(other.fields.get, names), strict=True))
            row["id"] = other.record_id
            states[key] = _State(row, held.existed if held is not None else False, True)
            unseen.append((other, change))
            asked.add(other.event_id)
            back.append(key)
    return back


def _removed_with(
    db: Database, removal: Event, removed: dict[tuple[str, str], Event]
) -> list[Event]:
    """The other removals made in the same change as `removal` (one parent's, on the same
    laptop at the same moment: a goal removed with its steps), incoming or in the log here."""
    same = (removal.at, removal.device_id)
    found = {
        e.event_id: e
        for e in removed.values()
        if (e.at, e.device_id) == same and e.event_id != removal.event_id
    }
    if removal.participant_id:
        where, params = eventlog.where_in("participant_id", [removal.participant_id])
        for row in db.execute(
            "SELECT event_id, at, device_id, actor, participant_id, kind, record_id, action, "
            f"fields FROM ({eventlog.SELECT_EVENTS} WHERE {where} "
            f"AND j.action IN {eventlog.actions_sql(_DELETE)}) WHERE at = ? AND device_id = ?",
            [*params, removal.at, removal.device_id],
        ).fetchall():
            event_id, at, device_id, actor, participant_id, kind, record_id, action = row[:8]
            if event_id != removal.event_id and event_id not in found:
                found[event_id] = Event(
                    event_id,
                    at,
                    device_id,
                    actor,
                    participant_id,
                    kind,
                    record_id,
                    action,
                    json.loads(row[8]),
                )
    return list(found.values())


def _changes_unseen(removed: dict[str, Any], fields: dict[str, Any], names: Sequence[str]) -> bool:
    """True when an edit gives a field a value other than the one its removal saw."""
    return any(
        name in removed and removed[name] != value
        for name, value in fields.items()
        if name in names and name not in BASE_FIELDS and not is_meta(name)
    )


def _removal_here(db: Database, kind: str, record_id: str) -> Event | None:
    """The latest removal of a record in the log here (None if it has none: never here)."""
    where, params = eventlog.where_in("record_id", [record_id])
    found = db.execute(
        "SELECT event_id, at, device_id, actor, participant_id, kind, record_id, action, fields "
        f"FROM ({eventlog.SELECT_EVENTS} WHERE {where} "
        f"AND j.action IN {eventlog.actions_sql(_DELETE)}) WHERE kind = ? ORDER BY seq DESC LIMIT 1",
        [*params, kind],
    ).fetchone()
    if found is None:
        return None
    event_id, at, device_id, actor, participant_id, kind_, record_id_, action = found[:8]
    return Event(
        event_id,
        at,
        device_id,
        actor,
        participant_id,
        kind_,
        record_id_,
        action,
        json.loads(found[8]),
    )


KEPT = "kept"
"""In a decision event's DECIDED value ({"kept": [event ids]}): the removals whose question was
answered "keep" (a decision, which travels: the same question waiting on another laptop is
settled by it). Every version reads DECIDED as a mark it does not look into."""


def _kept_ids(fields: dict[str, Any]) -> list[str]:
    """The removals a decision event answered "keep" (none for any other event)."""
    said = fields.get(DECIDED)
    ids = said.get(KEPT) if isinstance(said, dict) else None
    return [str(i) for i in ids] if isinstance(ids, list) else []


def _settle_kept(db: Database, kept: Sequence[Event]) -> int:
    """Settle the open removal decisions a keep decision made elsewhere answered."""
    settled = 0
    for event in kept:
        for removal_id in _kept_ids(event.fields):
            settled += db.execute(
                "UPDATE merge_decisions SET resolved_at = ?, choice = 'here', resolved_by = ? "
                "WHERE incoming_event_id = ? AND field = ? AND resolved_at IS NULL",
                [event.at, event.actor, removal_id, REMOVE_FIELD],
            ).rowcount
    return settled


def _kept_before(db: Database, event: Event) -> bool:
    """True when the log here holds a decision to keep the record this removal asked to remove
    (made on another laptop that held the removal as a question and did not pass it on)."""
    where, params = eventlog.where_in("record_id", [event.record_id])
    for (fields,) in db.execute(
        f"SELECT fields FROM ({eventlog.SELECT_EVENTS} WHERE {where} "
        f"AND j.action IN {eventlog.actions_sql(_UPDATE)}) WHERE kind = ?",
        [*params, event.kind],
    ).fetchall():
        if event.event_id in _kept_ids(json.loads(fields)):
            return True
    return False


UNSEEN_REMOVAL = "unseen"
"""A removal decision's value here when the removal had not seen a change to the record (its
here side names that change): "remove it, or keep it with the change?"."""


def _hold_unseen_removals(
    db: Database, waiting: Sequence[tuple[Event, Side]], found_at: str
) -> int:
    """Each removal that had not seen a change as an open decision (once per removal), the
    change it had not seen on the side of keeping the record."""
    held = 0
    for event, change in waiting:
        if db.execute(
            "SELECT 1 FROM merge_decisions WHERE incoming_event_id = ?", [event.event_id]
        ).fetchone() or _kept_before(db, event):
            continue
        held += 1
        db.execute(
            "INSERT INTO merge_decisions(id, kind, record_id, participant_id, field, "
            "here_value, here_event_id, here_at, here_actor, here_device, incoming_value, "
            "incoming_event_id, incoming_at, incoming_actor, incoming_device, found_at) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [
                new_id(),
                event.kind,
                event.record_id,
                event.participant_id,
                REMOVE_FIELD,
                json.dumps(UNSEEN_REMOVAL),
                change.event_id,
                change.at,
                change.actor,
                change.device_id,
                json.dumps("remove"),
                event.event_id,
                event.at,
                event.actor,
                event.device_id,
                found_at,
            ],
        )
    return held


def settle_removed(db: Database, at: str) -> int:
    """Settle the open removal decisions whose record has gone since (removed by someone who
    had seen every change, on any laptop): decided for the removal. Returns how many."""
    settled = 0
    for decision_id, kind, record_id in db.execute(
        "SELECT id, kind, record_id FROM merge_decisions WHERE field = ? AND resolved_at IS NULL",
        [REMOVE_FIELD],
    ).fetchall():
        if kind not in BY_KIND or exists(db, kind, record_id):
            continue
        removal = _removal_here(db, kind, record_id)
        db.execute(
            "UPDATE merge_decisions SET resolved_at = ?, choice = 'incoming', resolved_by = ? "
            "WHERE id = ?",
            [removal.at if removal else at, removal.actor if removal else "", decision_id],
        )
        settled += 1
    return settled


def _hold_removals(db: Database, waiting: Sequence[Event], found_at: str) -> int:
    """Each removal no enrolled laptop vouched for as an open decision (once per event)."""
    return _hold(db, waiting, found_at, REMOVE_FIELD, "remove")


def _hold(
    db: Database,
    waiting: Sequence[Event],
    found_at: str,
    field: str,
    asked: str,
    kind: str | None = None,
) -> int:
    """Each event as an open decision between "keep" and `asked` (once per event)."""
    held = 0
    for event in waiting:
        if db.execute(
            "SELECT 1 FROM merge_decisions WHERE incoming_event_id = ?", [event.event_id]
        ).fetchone():
            continue
        held += 1
        db.execute(
            "INSERT INTO merge_decisions(id, kind, record_id, participant_id, field, "
            "here_value, here_event_id, here_at, here_actor, here_device, incoming_value, "
            "incoming_event_id, incoming_at, incoming_actor, incoming_device, found_at) "
            "VALUES (?, ?, ?, ?, ?, ?, '', ?, '', '', ?, ?, ?, ?, ?, ?)",
            [
                new_id(),
                kind or event.kind,
                event.record_id,
                event.participant_id,
                field,
                json.dumps("keep"),
                found_at,
                json.dumps(asked),
                event.event_id,
                event.at,
                event.actor,
                event.device_id,
                found_at,
            ],
        )
    return held


def _check_records(
    db: Database,
    events: Sequence[Event],
    by_record: dict[tuple[str, str], list[Event]],
    states: dict[tuple[str, str], _State],
    check: RecordCheck,
    numbers: Sequence[int] | None = None,
) -> None:
    """Every record the merge would write, validated as if typed in (here, or else when it was
    last written, see RecordCheck); refuse at the first that fails both."""
    for key, state in states.items():
        if not state.changed or state.row is None:
            continue
        cls = BY_KIND[key[0]]
        try:
            record = from_row(cls, state.row)
            try:
                check(record, None)
            except ValidationError:
                # Refused as typed in here (a date after today here, from a laptop whose clock
                # is ahead, or on this one whose clock is behind): as typed in on its own
                # laptop, on the day it was last written there.
                check(record, _last_written(db, key[1], by_record[key]))
            continue
        except ValidationError as exc:
            problem = f"would make a record JourneyApp refuses ({exc.message.rstrip('.')})"
        except (TypeError, ValueError, AttributeError, KeyError):
            problem = "would make a record with values this version cannot read"
        last = by_record[key][-1]
        raise refuse(positions(events, numbers)[last.event_id], last, problem)


def _last_written(db: Database, record_id: str, incoming: Sequence[Event]) -> datetime | None:
    """The latest moment among a record's events, incoming and in the log here (each on the
    clock of the laptop that wrote it; None if none can be read as a moment)."""
    where, params = eventlog.where_in("record_id", [record_id])
    here = db.execute(f"SELECT at FROM ({eventlog.SELECT_EVENTS} WHERE {where})", params)
    moments = [moment(str(at)) for at in [*(e.at for e in incoming), *(r[0] for r in here)]]
    return max((m for m in moments if m is not None), default=None)


def _legacy_stamps(
    events: Sequence[Event], by_record: dict[tuple[str, str], list[Event]]
) -> dict[str, dict[str, list[str]]]:
    """For each incoming update written before edits said what they replaced: what it replaced.

    The old rule: it replaced whatever its laptop held just before it, which is the heads of the
    sender's log up to that event (a bundle carries the whole log, in its order).
    """
    legacy = {
        e.event_id
        for record_events in by_record.values()
        for e in record_events
        if e.action == _UPDATE and REPLACED not in e.fields
    }
    if not legacy:
        return {}
    wanted = {rid for (_k, rid), evs in by_record.items() if any(e.event_id in legacy for e in evs)}
    sender: dict[str, Heads] = defaultdict(Heads)
    stamps: dict[str, dict[str, list[str]]] = {}
    for e in events:
        if e.record_id not in wanted:
            continue
        heads = sender[e.record_id]
        if e.event_id in legacy and e.event_id not in stamps:
            stamps[e.event_id] = {
                name: list(heads.of(name))
                for name in e.fields
                if name not in BASE_FIELDS and not is_meta(name)
            }
        heads.apply(
            e.event_id, e.action, e.fields, Side(None, e.event_id, e.at, e.actor, e.device_id)
        )
    return stamps


def _stamp(event: Event, replaced: dict[str, list[str]]) -> Event:
    """The event with what it replaced written in (kept so every laptop folds it the same way)."""
    return dataclasses.replace(event, fields={**event.fields, REPLACED: replaced})


_DECISION_SQL = (
    "SELECT id, kind, record_id, participant_id, field, here_value, here_event_id, here_at, "
    "here_actor, here_device, incoming_value, incoming_event_id, incoming_at, incoming_actor, "
    "incoming_device, found_at, resolved_at, choice, resolved_by FROM merge_decisions"
)


def _decision(row: Sequence[Any]) -> MergeDecision:
    return MergeDecision(
        id=row[0],
        kind=row[1],
        record_id=row[2],
        participant_id=row[3],
        field=row[4],
        here=Side(json.loads(row[5]), row[6], row[7], row[8], row[9]),
        incoming=Side(json.loads(row[10]), row[11], row[12], row[13], row[14]),
        found_at=row[15],
        resolved_at=row[16],
        choice=row[17],
        resolved_by=row[18],
    )


def decisions(db: Database, *, open_only: bool = True) -> list[MergeDecision]:
    """Clashing edits, oldest first (only those still waiting, unless open_only=False)."""
    sql = _DECISION_SQL + (" WHERE resolved_at IS NULL" if open_only else "")
    return [_decision(r) for r in db.execute(sql + " ORDER BY found_at, rowid").fetchall()]


def decision(db: Database, decision_id: str) -> MergeDecision:
    """One clash by id; NotFound if it is not there."""
    row = db.execute(_DECISION_SQL + " WHERE id = ?", [decision_id]).fetchone()
    if row is None:
        raise NotFound("That decision is no longer in the list; it may have been erased.")
    return _decision(row)


def resolve(db: Database, decision_id: str, choice: str, ctx: EventContext) -> MergeDecision:
    """Keep one side of a clash: the chosen value is written as a decision event.

    The event is written even when the value here is kept, and it says it replaced both values,
    so that every laptop that later merges this log settles on the same value (and closes the
    same decision).
    """
    found = decision(db, decision_id)
    if not found.is_open:
        raise ValidationError("That clash has already been decided.")
    if choice not in CHOICES:
        raise ValidationError("Choose the value here or the incoming value.")
    value = found.here.value if choice == "here" else found.incoming.value
    cls = BY_KIND[found.kind]
    # "_erase", "_remove", "_duplicate": questions about a whole record, answered by the caller.
    if not is_meta(found.field) and exists(db, found.kind, found.record_id):
        if found.field == "ref" and value:
            other = db.execute(
                "SELECT 1 FROM participants WHERE ref = ? AND id != ?", [value, found.record_id]
            ).fetchone()
            if other is not None:
                raise ValidationError(
                    f"Another parent already has the reference {value!r}; change theirs first."
                )
        heads = versions.heads_for(db, [found.record_id]).get(found.record_id) or Heads(found.kind)
        sides = (found.here.value, found.incoming.value)
        unit = UNITS.get(found.kind)
        if unit is not None and found.field == unit.fields[0] and isinstance(value, dict):
            # A unit's decision: the chosen one written whole, in place of both on offer (and
            # of every earlier write they built on); a third, from elsewhere, still waits.
            # Only the fields the two differ in are written (what a status history reads as
            # a change stays one); what it replaced names every field of the unit, so it is
            # read as built on both (core.merge.Heads.units).
            third = {side.event_id for values, side in heads.units() if values not in sides}
            other = found.incoming.value if choice == "here" else found.here.value
            written = {
                name: value.get(name)
                for name in unit.fields
                if not isinstance(other, dict) or other.get(name) != value.get(name)
            }
            said = {name: [i for i in heads.of(name) if i not in third] for name in unit.fields}
            for values, side in heads.units():
                if values in sides:  # (a field it did not write: its latest write names it)
                    for name in unit.fields:
                        if side.event_id not in said[name]:
                            said[name].append(side.event_id)
        else:
            written = {found.field: value}
            said = {
                found.field: [
                    i
                    for i, s in heads.of(found.field).items()
                    if i in (found.here.event_id, found.incoming.event_id) or s.value in sides
                ]
            }
        sets = ", ".join(f'"{name}" = ?' for name in written)
        db.execute(
            f'UPDATE "{found.kind}" SET {sets}, updated_at = ? WHERE id = ?',
            [*written.values(), ctx.at, found.record_id],
        )
        event = new_event(
            ctx,
            found.participant_id,
            found.kind,
            found.record_id,
            Action.UPDATE,
            {**written, REPLACED: said, DECIDED: True},
        )
        append_events(db, [event])
        if search.indexed(found.kind, list(written)):
            search.index_rows(db, found.kind, [to_row(get(db, cls, found.record_id))])
        db.execute(
            "UPDATE merge_decisions SET resolved_at = ?, choice = ?, resolved_by = ? WHERE id = ?",
            [ctx.at, choice, ctx.actor, decision_id],
        )
        # A third value made meanwhile on another laptop is still a clash: a new decision.
        heads.apply(
            event.event_id,
            event.action,
            event.fields,
            Side(None, event.event_id, ctx.at, ctx.actor, ctx.device_id),
        )
        names = [c.name for c in columns(cls)]
        quoted = ", ".join(f'"{n}"' for n in names)
        row = db.execute(
            f'SELECT {quoted} FROM "{found.kind}" WHERE id = ?', [found.record_id]
        ).fetchone()
        versions.sync_decisions(
            db,
            found.kind,
            found.record_id,
            found.participant_id,
            heads,
            dict(zip(names, row, strict=False)) if row is not None else None,
            ctx.at,
        )
    else:
        if (
            found.field == REMOVE_FIELD
            and choice == "here"
            and exists(db, found.kind, found.record_id)
        ):
            # Kept: said in the log, so the same question waiting on another laptop (asked by
            # the same removal) is settled there when this log is merged (_settle_kept).
            append_events(
                db,
                [
                    new_event(
                        ctx,
                        found.participant_id,
                        found.kind,
                        found.record_id,
                        Action.UPDATE,
                        {DECIDED: {KEPT: [found.incoming.event_id]}},
                    )
                ],
            )
        db.execute(
            "UPDATE merge_decisions SET resolved_at = ?, choice = ?, resolved_by = ? WHERE id = ?",
            [ctx.at, choice, ctx.actor, decision_id],
        )
    return decision(db, decision_id)
