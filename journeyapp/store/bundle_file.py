"""The journey-log bundle file: a passphrase-encrypted SQLCipher database, written and read here.

A bundle is an ordinary SQLCipher 4 database (AES-256, PBKDF2-HMAC-SHA512 from the passphrase),
so it can be opened with the standard `sqlcipher` tool too. It holds two tables:
`bundle_info(key, value)` and `events(seq, event_id, at, device_id, actor, participant_id, kind,
record_id, action, fields, txn)`, and (since issue 16) `seals(seq, vouched, digest)` with a
`seal` in `bundle_info`: each event's digest and the writer's keyed seal over them all
(core.seals). A bundle from elsewhere is treated as untrusted: opened read-only with
`trusted_schema=OFF`, checked with `quick_check`, its seals verified with the key enrolled for
its writer, and every event type-checked before anything is merged.

Passphrases are used in Unicode NFC (as caseload passphrases are), so "café" typed on any system
opens the bundle. Bundles written before that were keyed with the passphrase exactly as typed:
reading tries the NFC form first, then the other forms of the same words (as typed, NFD).
"""

from __future__ import annotations

import json
import os
import unicodedata
from collections.abc import Callable, Collection, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import sqlcipher3.dbapi2 as sqlcipher

from journeyapp.core.bulk import paused_gc
from journeyapp.core.enums import Action
from journeyapp.core.errors import BundleError, WrongPassphrase, require_bundle_file
from journeyapp.core.file_trouble import storage_error
from journeyapp.core.merge import MAX_BUNDLE_BYTES, MAX_EVENT, MAX_EVENTS
from journeyapp.core.passphrase import normalise
from journeyapp.core.private_files import create_private
from journeyapp.core.records import EVENT_COLUMNS, Event
from journeyapp.core.seals import SealMac, event_mark, row_digest, same
from journeyapp.store.db import FileKind, file_kind
from journeyapp.store.merge_checks import MergeRefused, refuse
from journeyapp.store.merged_bundles import Receipt

FORMAT = "journeyapp-journey-log-bundle"
VERSION = "1"
_ACTIONS = frozenset(str(a) for a in Action)
_MAX_ID = 200
Progress = Callable[[int, int], None]
Vouches = Callable[[str], bool]  # event id -> does the writer vouch for it
EVENTS_TABLE = (
    "CREATE TABLE events (seq INTEGER PRIMARY KEY, event_id TEXT NOT NULL UNIQUE, "
    "at TEXT NOT NULL, device_id TEXT NOT NULL, actor TEXT NOT NULL, participant_id TEXT, "
    "kind TEXT NOT NULL, record_id TEXT NOT NULL, action TEXT NOT NULL, "
    "fields TEXT NOT NULL, txn TEXT NOT NULL)"
)
SEALS_TABLE = (
    "CREATE TABLE seals (seq INTEGER PRIMARY KEY, vouched INTEGER NOT NULL, digest TEXT NOT NULL)"
)


@dataclass(frozen=True)
class Sealing:
    """How a bundle is sealed: the writer's device key, and which events it vouches for."""

    key: bytes
    vouches: Vouches


@dataclass(frozen=True)
class SealedBundle:
    """A bundle read and its seals checked: `unsealed` are the ids of the events no laptop
    enrolled here vouched for (all of them when its writer is not enrolled here)."""

    info: dict[str, str]
    events: Collection[Event]  # a list, or (many new events) read a chunk at a time
    unsealed: frozenset[str]
    writer: str  # the enrolled name of the laptop that sealed it ("" when not enrolled here)
    # Notes the bundle as merged when every event of it lands (store.merged_bundles); None:
    # never noted (not sealed by a laptop enrolled here, or read whole).
    receipt: Receipt | None = None


def _key_sql(passphrase: str) -> str:
    # PRAGMA values cannot be bound as parameters: quote the passphrase as an SQL string.
    return "PRAGMA key = '" + passphrase.replace("'", "''") + "'"


def _connect(path: Path, passphrase: str) -> Any:
    conn = sqlcipher.connect(str(path), isolation_level=None, check_same_thread=False)
    conn.execute("PRAGMA cipher_log_level = NONE")
    conn.execute(_key_sql(passphrase))
    conn.execute("PRAGMA cipher_compatibility = 4")
    return conn


def passphrase_forms(passphrase: str) -> list[str]:
    """The keys to try for a typed passphrase: NFC (every bundle since the change) first, then
    the form as typed and NFD, which bundles written before the change may have used."""
    forms = [normalise(passphrase), passphrase, unicodedata.normalize("NFD", passphrase)]
    return list(dict.fromkeys(forms))


def write(
    out: Path,
    passphrase: str,
    info: dict[str, str],
    batches: Iterable[Sequence[tuple[Any, ...]]],
    *,
    total: int,
    progress: Progress | None = None,
    sealing: Sealing | None = None,
) -> int:
    """Write `info` and the event rows (in EVENT_COLUMNS order) to a new bundle at `out`,
    sealed with `sealing` (core.seals) when given.

    The file is written beside `out` and renamed into place, so a half-written bundle never
    exists under the final name. Returns how many events were written.
    """
    partial = out.with_name(out.name + ".partial")
    partial.unlink(missing_ok=True)
    done = 0
    try:
        create_private(partial)  # 0600 before a page is written (issue 17)
        conn = _connect(partial, normalise(passphrase))
    except (OSError, sqlcipher.Error) as exc:
        partial.unlink(missing_ok=True)
        raise storage_error(exc, out, "write the bundle") from None
    try:
        conn.execute("PRAGMA journal_mode = DELETE")
        conn.execute("BEGIN")
        conn.execute("CREATE TABLE bundle_info (key TEXT PRIMARY KEY, value TEXT NOT NULL)")
        conn.execute(EVENTS_TABLE)
        rows = {"format": FORMAT, "version": VERSION, **info}
        conn.executemany("INSERT INTO bundle_info(key, value) VALUES (?, ?)", list(rows.items()))
        insert = (
            f"INSERT INTO events({', '.join(EVENT_COLUMNS)}) "
            f"VALUES ({', '.join('?' * len(EVENT_COLUMNS))})"
        )
        mac = SealMac(sealing.key, rows) if sealing is not None else None
        if sealing is not None:
            conn.execute(SEALS_TABLE)
        for batch in batches:
            conn.executemany(insert, batch)
            if sealing is not None and mac is not None:
                seals = []
                for n, row in enumerate(batch, done + 1):
                    vouched = sealing.vouches(str(row[0]))
                    digest = row_digest(row)
                    seals.append((n, int(vouched), digest.hex()))
                    mac.add(event_mark(digest, vouched))
                conn.executemany("INSERT INTO seals(seq, vouched, digest) VALUES (?, ?, ?)", seals)
            done += len(batch)
            if progress is not None:
                progress(done, total)
        if mac is not None:
            conn.execute("INSERT INTO bundle_info(key, value) VALUES ('seal', ?)", [mac.seal()])
        conn.execute("COMMIT")
    except (OSError, sqlcipher.Error) as exc:
        # A full disk or a drive pulled out mid-write: say which, leave nothing behind.
        conn.close()
        partial.unlink(missing_ok=True)
        raise storage_error(exc, out, "write the bundle") from None
    except BaseException:
        conn.close()
        partial.unlink(missing_ok=True)
        raise
    conn.close()
    try:
        os.chmod(partial, 0o600)  # identifiable data: readable by this user only
        with partial.open("rb") as handle:
            os.fsync(handle.fileno())
        os.replace(partial, out)
    except OSError as exc:
        partial.unlink(missing_ok=True)
        raise storage_error(exc, out, "write the bundle") from None
    return done


# The refusals of a bundle whose seals do not hold, worded once for the whole read and for
# the merge that reads it a chunk at a time (store.bundle_merge). `name`: the writer's.
def not_sealed(path: Path, name: str) -> MergeRefused:
    """A bundle naming an enrolled laptop that carries none of its seals."""
    return MergeRefused(
        f"{path.name} says it was made on {name}, which is enrolled here, but it is not "
        "sealed with that laptop's key: it was not made there, or by an older JourneyApp. "
        "Ask for a new bundle made with this version; nothing was merged."
    )


def event_not_sealed(number: int, event: Event | None, name: str) -> MergeRefused:
    """Event `number` has no seal, or one that is not the writer's."""
    return refuse(number, event, f"is not sealed by {name}, the laptop the bundle names")


def seal_broken(path: Path, name: str) -> MergeRefused:
    """The seal over every event's mark does not hold."""
    return MergeRefused(
        f"The seal of {path.name} does not hold: events were added, left out or reordered "
        f"after {name} made it, or its details or seals were changed. Ask for a new bundle; "
        "nothing was merged."
    )


# Where a keyworker makes the file a coordinator should have been given.
_MAKE_ONE = (
    "Ask the keyworker for the .jlb file JourneyApp wrote for them (Partnership > Send my "
    "journey log…, or `journeyapp bundle`)."
)


def require_bundle(path: Path) -> None:
    """BundleError saying what the file at `path` is, when it cannot be a bundle: judged from
    its size and first bytes, so before anyone is asked for its passphrase (missing, a
    folder, empty, too big, unencrypted such as a caseload, a picture, document or text, or
    cut short). A file that may be a bundle is left to its passphrase to tell."""
    require_bundle_file(path)
    size = path.stat().st_size
    if size > MAX_BUNDLE_BYTES:
        raise BundleError(
            f"{path.name} is {size / 1024**3:.1f} GB; the most a bundle may be is "
            f"{MAX_BUNDLE_BYTES // 1024**3} GB. Nothing was merged."
        )
    if size == 0:
        raise BundleError(
            f"{path.name} is empty, so it is not a journey-log bundle (it may not have finished "
            f"copying). {_MAKE_ONE}"
        )
    kind, detail = file_kind(path)
    if kind == FileKind.PLAIN:
        raise BundleError(
            f"{path.name} is not encrypted, so it is not a journey-log bundle (it may be a "
            f"caseload). {_MAKE_ONE}"
        )
    if kind == FileKind.FOREIGN:
        if detail.startswith("a "):  # a known kind of file: "a PNG picture", "a text file"
            raise BundleError(f"{path.name} is {detail}, not a journey-log bundle. {_MAKE_ONE}")
        raise BundleError(
            f"{path.name} is not a whole journey-log bundle (it may have been cut short while "
            f"copying). {_MAKE_ONE}"
        )


def damaged(path: Path) -> BundleError:
    """The refusal of a bundle whose passphrase is right but whose pages do not all check out:
    one line for a person (SQLite's own check lists every page it could not read)."""
    return BundleError(
        f"{path.name} is damaged: part of it is missing or was changed after it was made (a "
        "copy cut short or spoilt on the way, perhaps). Ask for a new bundle; nothing was merged."
    )


def _open_with(path: Path, passphrase: str) -> Any:
    """A connection to the bundle keyed with whichever form of `passphrase` opens it."""
    for form in passphrase_forms(passphrase):
        try:
            conn = _connect(path, form)
        except sqlcipher.Error as exc:
            raise BundleError(f"Cannot open {path}: {exc}.") from None
        try:
            conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
        except sqlcipher.DatabaseError as exc:
            conn.close()
            # A wrong key fails the first page's check ("not a database"); the right key with
            # a page missing or spoilt after it reads as a damaged file: not the passphrase.
            if getattr(exc, "sqlite_errorcode", None) == sqlcipher.SQLITE_CORRUPT:
                raise damaged(path) from None
            continue
        return conn
    raise WrongPassphrase(
        f"That passphrase does not open {path.name}, or the file is not a bundle. "
        "Check the passphrase with the keyworker who made it."
    )


def read(path: Path, passphrase: str) -> tuple[dict[str, str], list[Event]]:
    """Open and check a bundle; returns its info and its events (oldest first).

    Raises WrongPassphrase or BundleError; nothing about a bad bundle is half-read. (Its seals
    are not looked at: read_sealed is what a merge uses.)
    """
    info, rows, _seals = _read(path, passphrase)
    with paused_gc():
        events = [_event(n, row) for n, row in enumerate(rows, 1)]
    return info, events


def read_sealed(
    path: Path, passphrase: str, keys: dict[str, bytes], names: dict[str, str]
) -> SealedBundle:
    """Open and check a bundle and its seals against the device keys enrolled here (`keys`,
    with the laptops' `names`); see core.seals.

    A bundle naming a laptop enrolled here must be sealed with that laptop's key: if not, it is
    refused (MergeRefused), naming the first event that differs from its mark. A bundle from a
    laptop not enrolled here is read whole, every event in it unsealed.
    """
    info, rows, seals = _read(path, passphrase)
    writer = info.get("device_id", "")
    key = keys.get(writer)
    with paused_gc():
        events = [_event(n, row) for n, row in enumerate(rows, 1)]
    if key is None:
        return SealedBundle(info, events, frozenset(e.event_id for e in events), "")
    name = names.get(writer) or f"laptop {writer[:8]}"
    if seals is None:
        raise not_sealed(path, name)
    # First the seal over every event's mark as stored: made with the writer's key, so the
    # marks are the writer's. Then each event against its mark: the first that differs is named.
    mac = SealMac(key, info)
    marks: list[tuple[bool, str]] = []
    for number, event in enumerate(events, 1):
        found = seals.get(number)
        if found is None or found[0] not in (0, 1) or type(found[1]) is not str:
            raise event_not_sealed(number, event, name)
        vouched, digest = bool(found[0]), found[1]
        mac.add(("1:" if vouched else "0:") + digest)
        marks.append((vouched, digest))
    if len(seals) != len(rows) or not same(mac.seal(), info.get("seal", "")):
        raise seal_broken(path, name)
    unsealed: set[str] = set()
    for number, (row, event, (vouched, digest)) in enumerate(
        zip(rows, events, marks, strict=True), 1
    ):
        if not same(row_digest(row).hex(), digest):
            raise refuse(
                number,
                event,
                f"does not carry the seal of {name}, the laptop the bundle names (it was "
                "altered after the bundle was made)",
            )
        if not vouched:
            unsealed.add(event.event_id)
    return SealedBundle(info, events, frozenset(unsealed), name)


def _read(
    path: Path, passphrase: str
) -> tuple[dict[str, str], list[tuple[Any, ...]], dict[int, tuple[Any, Any]] | None]:
    """A bundle's info, its event rows (as stored, oldest first) and its seals by event number
    (None when it has none); WrongPassphrase or BundleError when it cannot be read."""
    require_bundle(path)
    conn = _open_with(path, passphrase)
    try:
        # The file came from another laptop: do not trust anything stored in its schema.
        for pragma in (
            "trusted_schema = OFF",
            "cell_size_check = ON",
            "mmap_size = 0",
            "query_only = ON",
        ):
            conn.execute(f"PRAGMA {pragma}")
        try:
            check = [r[0] for r in conn.execute("PRAGMA quick_check").fetchall()]
            if check != ["ok"]:
                raise damaged(path)
            info = dict(conn.execute("SELECT key, value FROM bundle_info").fetchall())
            if info.get("format") != FORMAT:
                raise BundleError(f"{path.name} is not a JourneyApp journey-log bundle.")
            if info.get("version") != VERSION:
                raise BundleError(
                    f"{path.name} was made by a newer JourneyApp (bundle version "
                    f"{info.get('version')}); install the newer version to merge it."
                )
            (count,) = conn.execute("SELECT count(*) FROM events").fetchone()
            if count > MAX_EVENTS:
                raise BundleError(
                    f"{path.name} holds {count:,} events; the most one merge takes is "
                    f"{MAX_EVENTS:,}. Nothing was merged."
                )
            # An event's details longer than any event JourneyApp writes are not even read.
            rows = conn.execute(
                f"SELECT {', '.join(EVENT_COLUMNS[:-2])}, "
                f"iif(length(fields) > {MAX_EVENT}, NULL, fields), txn FROM events ORDER BY seq"
            ).fetchall()
            seals: dict[int, tuple[Any, Any]] | None = None
            if conn.execute(
                "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'seals'"
            ).fetchone():
                # Numbered as the events are read (in seq order), whatever seq values they had.
                seqs = [r[0] for r in conn.execute("SELECT seq FROM events ORDER BY seq")]
                by_seq = {
                    int(r[0]): (r[1], r[2])
                    for r in conn.execute("SELECT seq, vouched, digest FROM seals LIMIT ?", [count])
                    if type(r[0]) is int
                }
                seals = {n: by_seq[q] for n, q in enumerate(seqs, 1) if q in by_seq}
        except sqlcipher.DatabaseError:
            raise damaged(path) from None
    finally:
        conn.close()
    return {str(k): str(v) for k, v in info.items()}, rows, seals


def _reject_constant(name: str) -> Any:
    raise ValueError(f"{name} is not allowed")


# One decoder for every event's details: json.loads with an option builds a new one per call
# (two fifths of parsing a bundle's typical event). What it accepts is the same.
_DETAILS = json.JSONDecoder(parse_constant=_reject_constant)
# Its scanner (made with it, as `decode` calls it): one value from a position.
_SCAN: Callable[[str, int], tuple[Any, int]] = vars(_DETAILS)["scan_once"]


def _parse(text: str) -> Any:
    """`_DETAILS.decode(text)`: when the text is one object from its first character to its
    last (every event's details as JourneyApp writes them), without the two whitespace matches
    around it (a sixth of parsing an event); anything else goes through `decode` itself."""
    if text.startswith("{"):
        try:
            value, end = _SCAN(text, 0)
        except StopIteration:
            return _DETAILS.decode(text)  # (which says what is wrong)
        if end == len(text):
            return value
    return _DETAILS.decode(text)


def _event(number: int, row: tuple[Any, ...]) -> Event:
    event_id, at, device_id, actor, participant_id, kind, record_id, action, fields, txn = row
    if fields is None:
        raise BundleError(
            f"Event {number} in the bundle is longer than {MAX_EVENT:,} characters, more than "
            "any event JourneyApp writes; nothing was merged."
        )
    for value in (event_id, at, device_id, actor, kind, record_id, action, fields, txn):
        if type(value) is not str:
            raise BundleError(f"Event {number} in the bundle is damaged (a value is missing).")
    if participant_id is not None and type(participant_id) is not str:
        raise BundleError(f"Event {number} in the bundle is damaged (participant).")
    if not event_id or len(event_id) > _MAX_ID or len(record_id) > _MAX_ID:
        raise BundleError(f"Event {number} in the bundle has an id this version cannot read.")
    if action not in _ACTIONS:
        raise BundleError(f"Event {number} in the bundle has an unknown action {action[:20]!r}.")
    try:
        parsed = _parse(fields)
    except (ValueError, RecursionError):
        raise BundleError(f"Event {number} in the bundle has damaged details.") from None
    if not isinstance(parsed, dict):
        raise BundleError(f"Event {number} in the bundle has damaged details.")
    return Event(
        event_id, at, device_id, actor, participant_id, kind, record_id, action, parsed, txn
    )
