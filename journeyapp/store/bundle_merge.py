"""Reading a bundle for a merge inside SQLite: the bundle is attached read-only to the caseload's
connection and only the events this log does not have yet come out into Python, a chunk at a time.

Re-merging a bundle, or merging a laptop's whole log of which the coordinator has all but a few
events, then costs one pass over the bundle's event ids inside SQLite instead of reading,
parsing and checking every event in Python. A bundle from an enrolled laptop that starts with
the very events of one of its bundles merged whole here (the same marks in the same order:
store.merged_bundles) has only the events after them looked up. A big bundle's new events are
read and merged in chunks (in order, in the merge's one transaction), so memory stays bounded.
The per-event merge (store.merge) applies each chunk as it applies any events, keeping what
a merge holds for a record from its first event to its last across the chunks (whether the
merge changed it; its decisions, brought in line with its heads once, after the last chunk:
store.merge.settle_decisions), so where the chunks end changes nothing. Whenever this shortcut could answer
differently from reading the whole bundle (an unreadable, foreign or oversized file, a new edit
written before edits said what they replaced, whose meaning depends on the sender's whole log,
or an erasure in a bundle too big for one chunk), it declines and the caller reads the bundle
whole (store.bundle_file.read), which says what is wrong.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import quote

import sqlcipher3.dbapi2 as sqlcipher

from journeyapp.core import key_derivation
from journeyapp.core.bulk import paused_gc
from journeyapp.core.enums import Action
from journeyapp.core.errors import BundleError, JourneyError
from journeyapp.core.file_digests import FileDigest
from journeyapp.core.merge import REPLACED
from journeyapp.core.records import EVENT_COLUMNS, Event
from journeyapp.core.seals import SealMac, row_digest, same
from journeyapp.store import bundle_file, eventlog, merged_bundles
from journeyapp.store.bundle_file import SealedBundle
from journeyapp.store.db import Database
from journeyapp.store.merge_checks import MergeRefused, refuse

BIG_CACHE_KIB = -131_072  # while the ids are looked up: 128 MiB of pages at most
CHUNK = 50_000  # new events read and merged at a time
PART = 50_000  # rows read at a time when every event is checked against its mark
MAX_ATTACHED = 8  # bundles attached at once (SQLite allows 10 databases on a connection)
# Over a part of the seals: the first seq whose mark is not a vouched one (NULL: all are), and
# (for a part that has one) the first whose mark is not a mark at all and how many are unvouched.
_PLAIN = "min(iif(vouched IS 1 AND typeof(digest) = 'text', NULL, seq))"
_MIXED = (
    "min(iif(NOT (vouched IN (0, 1)) OR typeof(digest) IS NOT 'text', seq, NULL)), "
    "count(iif(vouched IS NOT 1, 1, NULL))"
)


def _limit(name: str) -> int:
    """One of the bundle format's limits, as store.bundle_file holds it now (the same for the
    whole read, and for a test that lowers it)."""
    return int(vars(bundle_file)[name])


class NumberedEvents(list[Event]):
    """Some of a bundle's events, each with its number in the bundle (its seq, as a read of the
    whole bundle numbers it): a refusal names an event as the whole read would."""

    def __init__(self, events: list[Event], numbers: list[int]) -> None:
        super().__init__(events)
        self.numbers = numbers


@dataclass
class _Chunk:
    """Some of a bundle's new events, read from the attached bundle when iterated."""

    reading: BundleReading
    rowids: Sequence[int]

    def __iter__(self) -> Iterator[Event]:
        return iter(self.reading.events(self.rowids))


class ChunkedEvents:
    """A bundle's new events, read once, a chunk at a time as they are merged, in order: each
    chunk parsed and checked against its marks as the whole read checks them (the first
    damaged event named, then the first that differs from its mark) before it is merged. A
    refusal in any chunk ends the merge's one transaction, so nothing is merged."""

    def __init__(self, reading: BundleReading, rowids: Sequence[int], sealer: str | None) -> None:
        self.reading = reading
        self.rowids = rowids
        self.sealer = sealer  # the enrolled laptop's name; None: not sealed by one
        # The journal's last seq when these events were found not to be held here (None: not
        # known), and the ids of the chunks merged since, as marks by their hashes (see
        # `known`): a byte for each of 16 slots per event, not a set of a million hashes (a
        # hundred MiB held till the last chunk).
        self._top: int | None = reading.top
        slots = 1 << max(16, (16 * len(rowids) - 1).bit_length())
        self._mask = slots - 1
        self._merged = bytearray(slots) if self._top is not None else bytearray()

    def known(self, chunk: list[Event]) -> set[str] | None:
        """Which of a chunk's event ids the log here holds, told without looking each one up
        when it can be: none of these events was held when they were found, so while nothing
        but this bundle's own chunks has written to the log since (its last seq moved only
        with them), only an id of an earlier chunk can be, and only one whose hash marks a
        slot theirs marked is looked up (an id twice in a bundle: its events table says it
        never is; a few others share a slot with theirs, and are looked up too).
        None: look every id up (the log changed otherwise: another bundle merged before)."""
        if self._top is None or self._top != self.reading.journal_top():
            self._top = None
            return None
        seen, mask = self._merged, self._mask
        maybe = [e.event_id for e in chunk if seen[hash(e.event_id) & mask]]
        return eventlog.known_ids(self.reading.db, maybe) if maybe else set()

    def merged(self, chunk: list[Event]) -> None:
        """Note a chunk merged (see `known`)."""
        if self._top is not None:
            seen, mask = self._merged, self._mask
            for event in chunk:
                seen[hash(event.event_id) & mask] = 1
            self._top = self.reading.journal_top()

    def __len__(self) -> int:
        return len(self.rowids)

    def __iter__(self) -> Iterator[Event]:
        for chunk in self.chunks():
            yield from chunk

    def __contains__(self, item: object) -> bool:
        return any(event == item for event in self)

    def chunks(self) -> Iterator[list[Event]]:
        """The events, CHUNK at a time, in the bundle's order (BundleError when the file can no
        longer be read, MergeRefused or BundleError for a damaged or altered event: the merge
        then changes nothing)."""
        for start in range(0, len(self.rowids), CHUNK):
            try:
                chunk = self._chunk(start)
            except sqlcipher.Error as exc:
                raise BundleError(
                    f"{self.reading.path.name} could not be read again while it was merged "
                    f"({exc}); was it moved or changed? Nothing was merged."
                ) from None
            except JourneyError as exc:
                if not self.reading.one_of_several:
                    raise
                # As the whole read of one of several bundles words it.
                raise BundleError(
                    f"{self.reading.path.name}: {exc.message} No bundle was merged."
                ) from None
            yield chunk

    def _chunk(self, start: int) -> list[Event]:
        reading, sealed = self.reading, self.sealer is not None
        chunk: list[Event] = []
        numbers: list[int] = []
        differs: tuple[int, tuple[Any, ...]] | None = None
        event = bundle_file._event
        with paused_gc():  # as the whole read parses (tens of thousands of events, no cycles)
            for part in range(start, min(start + CHUNK, len(self.rowids)), PART):
                rowids = self.rowids[part : min(part + PART, start + CHUNK)]
                # Each row taken apart here (no tuple made per row to hold its pieces).
                for found in reading._marked_rows(rowids, sealed=sealed):
                    number, row = int(found[0]), found[1:-2]
                    chunk.append(event(number, row))
                    numbers.append(number)
                    if (
                        sealed
                        and differs is None
                        and not same(row_digest(row).hex(), str(found[-1]))
                    ):
                        differs = (number, row)  # named once the chunk is parsed, as whole
        if differs is not None:
            raise reading._altered(differs[0], differs[1], self.sealer or "")
        if len(chunk) != min(CHUNK, len(self.rowids) - start):
            raise BundleError(
                f"{reading.path.name} changed while it was merged (events went missing); "
                "nothing was merged."
            )
        return NumberedEvents(chunk, numbers)


class BundleReading:
    """One bundle attached to the caseload's connection for a merge: `open` finds what is new,
    `chunks` reads it, `close` detaches (after the merge's transaction has ended)."""

    def __init__(self, db: Database, path: Path, passphrase: str, number: int = 0) -> None:
        self.db = db
        self.path = Path(path)
        self.passphrase = passphrase
        self.alias = f"incoming_bundle_{number}"
        self.attached = False
        self.total = 0
        self.counted = False  # whether `total` was counted (or taken from the bundle's note)
        self.fresh: Sequence[int] = []  # (a range when they run without a gap)
        self.found = False  # whether `fresh` was worked out (or the bundle recognised)
        self.top: int | None = None  # the journal's last seq when `fresh` was worked out
        self.recognised = False  # merged whole here before, this very file (store.merged_bundles)
        self.info: dict[str, str] = {}
        self.one_of_several = False  # merged with other bundles (a refusal names this file)
        self._digest: FileDigest | None = None

    def open(self, *, find_new: bool = True) -> bool:
        """Attach the bundle and (unless `find_new` is False: `sealed` does it, once the seal
        is checked) find its new events; False: read it whole instead."""
        if not find_new:
            # The file's digest, on the other cores while SQLite derives the bundle's key and
            # reads its seals: it recognises a bundle merged before and notes this one
            # (store.merged_bundles). Begun first, or taken over from the command line's start.
            self._digest = merged_bundles.begin_digest(self.path)
        try:
            if not self.path.is_file() or self.path.stat().st_size > _limit("MAX_BUNDLE_BYTES"):
                self.close()
                return False
            with self.path.open("rb") as handle:
                if handle.read(16).startswith(b"SQLite format 3\x00"):
                    self.close()
                    return False  # not encrypted: refused by the whole read
        except OSError:
            self.close()
            return False
        if self.db.conn.in_transaction or not self._attach():
            self.close()
            return False
        try:
            # With find_new False the events are counted by `sealed`, unless it recognises the
            # file as one merged here before (counting a big bundle reads all its ids).
            if self._read_info() and (not find_new or (self._count() and self._find_new())):
                return True
        except sqlcipher.Error:
            pass  # the whole read says what is wrong (or finds nothing wrong)
        self.close()
        return False

    def file_digest(self) -> str | None:
        """The digest of the bundle file's bytes (core.file_digests; this thread helps to finish
        it); None: not begun, or the file could not be read whole as it was."""
        if self._digest is None:
            return None
        try:
            return self._digest.result()
        except OSError:
            return None

    def _attach(self) -> bool:
        uri = "file:" + quote(str(self.path.resolve())) + "?mode=ro"
        for number, form in enumerate(bundle_file.passphrase_forms(self.passphrase)):
            key = form
            # The first form's raw key when the command line began deriving it ahead, while
            # the libraries loaded (core.key_derivation: the key SQLCipher would derive from
            # the passphrase); else SQLCipher derives it here.
            raw = key_derivation.derived(self.path, form) if number == 0 else None
            if raw is not None:
                key = f"x'{raw.hex()}'"
            try:
                self.db.execute(f"ATTACH DATABASE ? AS {self.alias} KEY ?", [uri, key])
            except sqlcipher.Error:
                return False
            self.attached = True
            try:
                self.db.execute(f"SELECT count(*) FROM {self.alias}.sqlite_master").fetchone()
                return True
            except sqlcipher.DatabaseError:
                self.close()
        return False

    def close(self) -> None:
        """Detach the bundle (outside any transaction)."""
        if self.attached:
            with contextlib.suppress(sqlcipher.Error):
                self.db.execute(f"DETACH DATABASE {self.alias}")
            self.attached = False
        if self._digest is not None:
            self._digest.cancel()  # (no more of it is hashed when nobody took it)
            self._digest = None

    def _read_info(self) -> bool:
        """The bundle's details and event count; False: not one the shortcut reads."""
        db, alias = self.db, self.alias
        db.execute("PRAGMA trusted_schema = OFF")  # as every caseload connection has it already
        # No quick_check of the whole file (reading all of it was most of a re-merge): every
        # page read here is authenticated by SQLCipher, and one that does not check out stops
        # the read, which sends the bundle to the whole read (with its quick_check).
        info = dict(db.execute(f"SELECT key, value FROM {alias}.bundle_info").fetchall())
        if info.get("format") != bundle_file.FORMAT or info.get("version") != bundle_file.VERSION:
            return False
        self.info = {str(k): str(v) for k, v in info.items()}
        return True

    def _count(self) -> bool:
        """Count the bundle's events (one pass over its smallest index); False: more than one
        merge takes (read whole, which says so)."""
        if self.counted:
            return True
        (total,) = self.db.execute(f"SELECT count(*) FROM {self.alias}.events").fetchone()
        if total > _limit("MAX_EVENTS"):
            return False
        self.total, self.counted = int(total), True
        return True

    def _find_new(self, after: int = 0) -> bool:
        """Find the events this caseload lacks (of those after the first `after`, all known to
        be here); False: read the bundle whole instead."""
        db, alias = self.db, self.alias
        # Known: an event id held here as text of the same form (any other id is read, and the
        # per-event checks judge it). Only the ids are read for this: the bundle's index on them.
        known = (
            "typeof(e.event_id) = 'text' AND EXISTS (SELECT 1 FROM main.journal AS j "
            f"WHERE j.event_id = {eventlog.lookup_key_sql('e.event_id')})"
        )
        # When more than a quarter of the bundle is looked at (a first merge, a bundle with no
        # prefix noted here), the rows are found by a pass over that index (a unary + keeps
        # SQLite from taking the rowid range) instead of along the table, whose pages hold
        # every event whole (a 450,000-event bundle: 1.2 s of CPU instead of 3.7 s); for the
        # last few events the range of rows is fewer pages.
        rowid = "+e.rowid" if (self.total - after) * 4 > self.total else "e.rowid"
        old_cache = db.execute("PRAGMA cache_size").fetchone()[0]
        db.execute(f"PRAGMA cache_size = {BIG_CACHE_KIB}")
        try:
            self.top = self.journal_top()
            fresh = [
                r[0]
                for r in db.execute(
                    f"SELECT e.rowid FROM {alias}.events AS e WHERE {rowid} > ? AND NOT ({known})",
                    [after],
                ).fetchall()
            ]
        finally:
            db.execute(f"PRAGMA cache_size = {int(old_cache)}")
        # In the bundle's order (its seq, the rowid; anything else is read whole).
        fresh.sort()
        if fresh and (type(fresh[0]) is not int or self._not_simple(fresh)):
            return False
        # Rowids that run without a gap (a first merge's every one) are kept as their range:
        # a million of them held as numbers till the last chunk were 36 MiB.
        gapless = bool(fresh) and fresh[-1] - fresh[0] == len(fresh) - 1
        self.fresh = range(fresh[0], fresh[-1] + 1) if gapless else fresh
        self.found = True
        return True

    def journal_top(self) -> int:
        """The last seq of this caseload's journal (0: none); any event written moves it."""
        return int(self.db.execute("SELECT ifnull(max(seq), 0) FROM main.journal").fetchone()[0])

    def _not_simple(self, fresh: list[int]) -> bool:
        """True when a new event needs the sender's whole log or the whole set at once."""
        alias = self.alias
        seq_is_rowid = self.db.execute(
            f"SELECT count(*) FROM {alias}.events AS e WHERE e.rowid IN "
            "(SELECT value FROM json_each(?)) AND e.seq IS e.rowid",
            [json.dumps(fresh[:1])],
        ).fetchone()[0]
        if not seq_is_rowid:
            return True
        legacy = f"e.action = '{Action.UPDATE}' AND json_type(e.fields, '$.\"{REPLACED}\"') IS NULL"
        wanted = [legacy]
        if len(fresh) > CHUNK:
            # Erasures come first in a merge of one set of events: not split across chunks.
            wanted.append(f"e.action = '{Action.ERASE}'")
        for start in range(0, len(fresh), 50_000):
            part = fresh[start : start + 50_000]
            # A part whose rowids run without a gap (a first merge's every one) is one range.
            args: list[int | str]
            if part[-1] - part[0] == len(part) - 1:
                which, args = "e.rowid BETWEEN ? AND ?", [part[0], part[-1]]
            else:
                which, args = "e.rowid IN (SELECT value FROM json_each(?))", [json.dumps(part)]
            if self.db.execute(
                f"SELECT 1 FROM {alias}.events AS e WHERE {which} AND ({' OR '.join(wanted)}) "
                "LIMIT 1",
                args,
            ).fetchone():
                return True
        return False

    def chunks(self) -> list[_Chunk]:
        """The new events, oldest first, in chunks read when each is merged."""
        return [_Chunk(self, self.fresh[i : i + CHUNK]) for i in range(0, len(self.fresh), CHUNK)]

    def events(self, rowids: Sequence[int]) -> list[Event]:
        """These new events, read, checked as the whole read checks them, in the bundle's order."""
        rows = self.db.execute(
            f"SELECT e.seq, {self._row_columns()} FROM {self.alias}.events AS e "
            "WHERE e.rowid IN (SELECT value FROM json_each(?)) ORDER BY e.rowid",
            [json.dumps(list(rowids))],
        ).fetchall()
        return [bundle_file._event(row[0], row[1:]) for row in rows]

    def _row_columns(self) -> str:
        """An event row's columns as the whole read reads them (from `events AS e`): its
        columns, its fields as NULL when over the size limit (refused by the parse), its txn."""
        columns = ", ".join(f"e.{c}" for c in EVENT_COLUMNS[:-2])
        return f"{columns}, iif(length(e.fields) > {_limit('MAX_EVENT')}, NULL, e.fields), e.txn"

    def _row(self, rowid: int) -> tuple[Any, ...]:
        """One event's row as the whole read reads it (seq first)."""
        row = self.db.execute(
            f"SELECT e.seq, {self._row_columns()} FROM {self.alias}.events AS e WHERE e.rowid = ?",
            [rowid],
        ).fetchone()
        return tuple(row)

    def _seals_as_written(self) -> bool | None:
        """True: events and seals tables as bundle_file.write makes them (seq the rowid of
        both), one seal for each event; False: no seals table; None: anything else (read whole,
        which judges it). Only the seals and the events' index of ids are read for this."""
        alias = self.alias
        tables = dict(
            self.db.execute(
                f"SELECT name, sql FROM {alias}.sqlite_master WHERE type = 'table' "
                "AND name IN ('events', 'seals')"
            ).fetchall()
        )
        if tables.get("events") != bundle_file.EVENTS_TABLE:
            return None
        if "seals" not in tables:
            return False
        if tables["seals"] != bundle_file.SEALS_TABLE:
            return None
        if self._numbered():
            return True  # how many seals there are is counted as the seal is checked
        (count,) = self.db.execute(f"SELECT count(*) FROM {alias}.seals").fetchone()
        if count != self.total:
            return None
        (unsealed,) = self.db.execute(
            f"SELECT count(*) FROM {alias}.events AS e WHERE e.seq NOT IN "
            f"(SELECT s.seq FROM {alias}.seals AS s)"
        ).fetchone()
        return True if unsealed == 0 else None

    def _numbered(self) -> bool:
        """Whether events and seals both run from seq 1 to the number of events, as a bundle is
        written (seq is the rowid of both: the first and last are found without a scan). The
        events are then exactly 1 … N; the seals, once counted, too: each event has its seal,
        and an event's number (as the whole read counts) is its seq."""
        alias, total = self.alias, self.total
        ends = [
            self.db.execute(
                f"SELECT (SELECT min(seq) FROM {alias}.{table}), "
                f"(SELECT max(seq) FROM {alias}.{table})"
            ).fetchone()
            for table in ("events", "seals")
        ]
        return total == 0 or ends == [(1, total), (1, total)]

    def sealed(self, keys: dict[str, bytes], names: dict[str, str]) -> SealedBundle | None:
        """The new events with their seals checked as bundle_file.read_sealed checks them (the
        same refusals, naming the same event numbers), without reading the events held here;
        None: read the bundle whole instead (bundle_file.read_sealed).

        A bundle merged whole here before is recognised by its file (store.merged_bundles: the
        same seal and writer, still enrolled here, and the same digest of the file's bytes):
        that very file had its seal checked with the writer's key and every new event of it
        landed here, so nothing is counted, no mark or event is read, and none is new. The same
        seal and count in a file whose bytes differ has its seal checked and every event
        checked against its mark first (any altered event sends it to the whole read, which
        refuses it naming that event).

        For a laptop enrolled here, the bundle's seal is checked over every event's mark, in
        order (read from the seals table alone: the marks, not the events), so nothing can have
        been added, left out, reordered or had its mark changed. Each event's own mark is then
        checked only for the new events, the ones actually read and merged. An event this
        caseload already holds is skipped by its id whatever it says, so a copy of it altered
        after the bundle was made changes nothing here: the shortcut does not read it, and
        merges it (not at all) exactly as the whole read would if it did not refuse. That is
        the one difference: the whole read refuses a bundle in which an already-held event was
        altered (its digest needs the whole row, so the whole bundle); the shortcut merges the
        rest. What the shortcut merges is always what was sealed.

        The first events of a bundle whose marks, in order, are those of a bundle from the same
        laptop merged whole here (store.merged_bundles, checked beside the seal) are not looked
        up at all: each mark is the digest of its event, sealed by that laptop, so they are
        those very events, every one of which landed here. Like an event held here, such an
        event is skipped whatever its row says now (even a new id given to it after sealing).
        """
        try:
            return self._sealed(keys, names)
        except sqlcipher.Error:
            return None  # the whole read says what is wrong (or finds nothing wrong)

    def _sealed(self, keys: dict[str, bytes], names: dict[str, str]) -> SealedBundle | None:
        info, alias, db = self.info, self.alias, self.db
        writer = info.get("device_id", "")
        key = keys.get(writer)
        if key is None:
            if self._digest is not None:
                self._digest.cancel()  # not sealed by a laptop enrolled here: never noted
            if not self._count() or (not self.found and not self._find_new()):
                return None
            events, unsealed = self._checked(None, "")
            return SealedBundle(info, events, unsealed, "")
        name = names.get(writer) or f"laptop {writer[:8]}"
        seal = info.get("seal", "")
        if merged_bundles.any_with(db, seal, writer):
            digest = self.file_digest()
            held = None if digest is None else merged_bundles.recognised(db, seal, writer, digest)
            if held is not None:
                # This very file (every byte the same: its digest) had its seal checked with this
                # laptop's key and every new event of it landed here: nothing in it is new, and
                # nothing in it is read again (neither its events nor its marks).
                self.total, self.counted = held, True
                self.fresh, self.found, self.recognised = [], True, True
                return SealedBundle(info, [], frozenset(), name)
        if not self._count():
            return None
        written = self._seals_as_written()
        if written is None:
            return None
        if not written:
            raise bundle_file.not_sealed(self.path, name)
        # Every mark, in the events' order, numbered from 1 as the whole read numbers them: one
        # seal for each event under the same seq (checked above), so the seals table in seq
        # order gives them without reading a single event's row. They are joined inside SQLite
        # a part at a time, as the seal takes them in (no Python object per mark), in the same
        # pass as the first mark that is not one is found and the seals are counted.
        numbered = self._numbered()
        mac = SealMac(key, info)
        # Beside the seal, a plain digest of the marks as it takes them in: noted when the
        # bundle is merged whole, and compared at the event counts noted for this laptop's
        # earlier bundles (store.merged_bundles: a prefix of events known to be here).
        marks = hashlib.sha256()
        noted = merged_bundles.prefixes(db, writer, self.total) if numbered else {}
        ends = sorted(noted)
        prefix = 0
        last: int | None = None
        count, bad = 0, None
        # The marks of a part in which every event is vouched for are its digests joined with
        # NUL "1:" between them (no string made per row), found by one plain pass (`_PLAIN`);
        # any other part is read again as it was before (`_MIXED`): its first mark that is not
        # one, its unvouched marks, then joined mark by mark. A bundle numbered as written
        # (seq 1 ... N) is read by ranges of seq, in order along the table (its rowid); any
        # other by its next seqs in order. Were the rows not in seq order, the seal would not
        # hold and the bundle would be refused, never taken.
        while True:
            size = PART
            while ends and ends[0] <= count:
                ends.pop(0)
            if ends:
                size = min(size, ends[0] - count)  # a part ends where a noted prefix ends
            if numbered:
                start = last or 0
                if start >= self.total:
                    break
                rows, part = f"{alias}.seals WHERE seq > ? AND seq <= ?", [start, start + size]
            else:
                where = "" if last is None else "WHERE seq > ? "
                rows = f"(SELECT seq, vouched, digest FROM {alias}.seals {where}"
                rows += "ORDER BY seq LIMIT ?)"
                part = [size] if last is None else [last, size]
            joined, part_last, part_count, odd = db.execute(
                f"SELECT group_concat(digest, ?), max(seq), count(*), {_PLAIN} FROM {rows}",
                ["\x001:", *part],
            ).fetchone()
            if numbered:
                last = part[1]  # (a range with no seal in it: counted short, so not taken)
                if not part_count:
                    continue
            elif not part_count:
                break
            unvouched = 0
            if odd is not None:  # some mark in it is not a plain vouched one
                part_bad, unvouched = db.execute(f"SELECT {_MIXED} FROM {rows}", part).fetchone()
                if bad is None and part_bad is not None:
                    bad = part_bad
            count += part_count
            if bad is None:
                if unvouched:
                    (joined,) = db.execute(
                        "SELECT group_concat(char(0) || iif(vouched, '1:', '0:') || digest, '') "
                        f"FROM (SELECT seq, vouched, digest FROM {rows} ORDER BY seq)",
                        part,
                    ).fetchone()
                else:
                    joined = "\x001:" + joined
                taken = joined.encode("ascii", "replace")
                mac.add_joined(taken)
                marks.update(taken)
                if count in noted and any(same(marks.hexdigest(), m) for m in noted[count]):
                    prefix = count
            if not numbered:
                last = part_last
        if bad is not None:
            number = bad
            if not numbered:
                (number,) = db.execute(
                    f"SELECT count(*) FROM {alias}.seals WHERE seq <= ?", [bad]
                ).fetchone()
            event = bundle_file._event(number, self._row(bad)[1:])
            raise bundle_file.event_not_sealed(number, event, name)
        if count != self.total:
            return None  # an event without its seal: the whole read says so
        if not same(mac.seal(), info.get("seal", "")):
            raise bundle_file.seal_broken(self.path, name)
        if not numbered:
            return None  # not as a bundle is written: the whole read numbers its events
        # The same sealed content as a bundle merged here, in a file whose bytes differ (this
        # very file was recognised above): every event is checked against its mark, and an
        # altered one sends the bundle to the whole read, which refuses it naming the event.
        if (
            merged_bundles.recorded(db, seal, writer, self.total) is not None
            and not self._rows_match_marks()
        ):
            return None
        # The first `prefix` events are those of a bundle from this laptop merged whole here
        # (their marks are the same, in the same order, and sealed by it): not looked up.
        if not self.found and not self._find_new(after=prefix if bad is None else 0):
            return None
        events, unsealed = self._checked(name, name)
        digest = self.file_digest()
        receipt = (
            None
            if digest is None
            else merged_bundles.Receipt(
                seal, writer, self.total, digest, len(events), marks.hexdigest()
            )
        )
        return SealedBundle(info, events, unsealed, name, receipt)

    def _checked(
        self, sealer: str | None, name: str
    ) -> tuple[list[Event] | ChunkedEvents, frozenset[str]]:
        """The new events, and the ids of those its writer did not vouch for (all of them for a
        bundle not sealed by a laptop enrolled here: `sealer` None).

        A few new events are read now, a part at a time, and checked as the whole read checks
        them: each parsed (the first damaged one named), then, for a bundle sealed by `sealer`,
        each against its mark, the first that differs named. Many are read only as they are
        merged, a chunk at a time, each chunk checked in the same way before it is merged
        (ChunkedEvents): every event is read, parsed and checked once, and memory stays
        bounded. Which of them are unvouched is read from the seals, inside SQLite.
        """
        if len(self.fresh) > CHUNK:
            events = ChunkedEvents(self, self.fresh, None if sealer is None else name)
            return events, self._unvouched(sealed=sealer is not None)
        kept: list[Event] = []
        numbers: list[int] = []
        unsealed: set[str] = set()
        differs: tuple[int, tuple[Any, ...]] | None = None
        for start in range(0, len(self.fresh), PART):
            for found in self._marked_rows(
                self.fresh[start : start + PART], sealed=sealer is not None
            ):
                number, row, vouched, digest = self._pieces(found)
                event = bundle_file._event(number, row)
                kept.append(event)
                numbers.append(number)
                if sealer is None or not vouched:
                    unsealed.add(event.event_id)
                if (
                    sealer is not None
                    and differs is None
                    and not same(row_digest(row).hex(), digest)
                ):
                    differs = (number, row)  # named once every event is parsed, as whole
        if differs is not None:
            raise self._altered(differs[0], differs[1], name)
        return NumberedEvents(kept, numbers), frozenset(unsealed)

    def _unvouched(self, *, sealed: bool) -> frozenset[str]:
        """The ids of the new events their writer did not vouch for (every new event's, when
        the bundle is not `sealed` by a laptop enrolled here). An id that is not text is left
        out: its event is refused as damaged when it is read."""
        alias = self.alias
        # Sealed: the seals first, and an event's row only for a mark that is not vouched
        # (usually none: no event row is read here). Seals and events share their seq (the
        # rowid of both: checked with the seal).
        sql = (
            f"SELECT e.event_id FROM json_each(?) AS j CROSS JOIN {alias}.seals AS s "
            f"ON s.seq = j.value CROSS JOIN {alias}.events AS e ON e.rowid = s.seq "
            "WHERE s.vouched IS NOT 1 AND typeof(e.event_id) = 'text'"
            if sealed
            else f"SELECT e.event_id FROM {alias}.events AS e WHERE e.rowid IN "
            "(SELECT value FROM json_each(?)) AND typeof(e.event_id) = 'text'"
        )
        found: set[str] = set()
        for start in range(0, len(self.fresh), PART):
            part = json.dumps(list(self.fresh[start : start + PART]))
            found.update(r[0] for r in self.db.execute(sql, [part]).fetchall())
        return frozenset(found)

    def _altered(self, number: int, row: tuple[Any, ...], name: str) -> MergeRefused:
        """The refusal of an event that differs from its mark, worded as the whole read's."""
        return refuse(
            number,
            bundle_file._event(number, row),
            f"does not carry the seal of {name}, the laptop the bundle names (it was "
            "altered after the bundle was made)",
        )

    def _marked_rows(self, rowids: Sequence[int], *, sealed: bool) -> list[tuple[Any, ...]]:
        """These events' rows as the whole read reads them, in order, each led by its number
        (its seq) and followed, when `sealed`, by its mark (vouched, digest; else 0 and ''),
        as SQLite gives them (`_pieces` takes one apart; a big merge's every row is)."""
        marks = ", s.vouched, s.digest" if sealed else ", 0, ''"
        join = f" JOIN {self.alias}.seals AS s ON s.seq = e.seq" if sealed else ""
        # `rowids` are in order, each once (the new events' rowids, sorted): when they run
        # without a gap (every event new, or the last few), one range of rows is read.
        args: list[int | str]
        if rowids and rowids[-1] - rowids[0] == len(rowids) - 1:
            which, args = "e.rowid BETWEEN ? AND ?", [rowids[0], rowids[-1]]
        else:
            which, args = "e.rowid IN (SELECT value FROM json_each(?))", [json.dumps(list(rowids))]
        rows: list[tuple[Any, ...]] = self.db.execute(
            f"SELECT e.seq, {self._row_columns()}{marks} FROM {self.alias}.events AS e{join} "
            f"WHERE {which} ORDER BY e.rowid",
            args,
        ).fetchall()
        return rows

    @staticmethod
    def _pieces(found: tuple[Any, ...]) -> tuple[int, tuple[Any, ...], bool, str]:
        """One of `_marked_rows`: its number, its row, whether it is vouched for, its digest."""
        return int(found[0]), found[1:-2], bool(found[-2]), str(found[-1])

    def _rows_match_marks(self) -> bool:
        """Whether every event row, as the whole read reads it, matches its mark (read a part
        at a time, no event parsed)."""
        last = 0
        while True:
            rows = self.db.execute(
                f"SELECT e.rowid, {self._row_columns()}, s.digest FROM {self.alias}.events AS e "
                f"JOIN {self.alias}.seals AS s ON s.seq = e.seq WHERE e.rowid > ? "
                "ORDER BY e.rowid LIMIT ?",
                [last, PART],
            ).fetchall()
            if not rows:
                return True
            for row in rows:
                if type(row[-1]) is not str or not same(row_digest(row[1:-1]).hex(), row[-1]):
                    return False
            last = rows[-1][0]
