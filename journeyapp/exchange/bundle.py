"""Journey-log bundles: a keyworker's whole log in a passphrase-encrypted SQLCipher file.

A bundle is an ordinary SQLCipher 4 database (AES-256, PBKDF2-HMAC-SHA512 from the passphrase),
so it can be opened with the standard `sqlcipher` tool too. It holds two tables:
`bundle_info(key, value)` and `events(seq, event_id, at, device_id, actor, participant_id, kind,
record_id, action, fields, txn)`. A bundle from elsewhere is treated as untrusted: opened
read-only with `trusted_schema=OFF`, checked with `quick_check`, and every event type-checked
before anything is merged.
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable, Sequence
from datetime import UTC
from pathlib import Path
from typing import Any

import sqlcipher3.dbapi2 as sqlcipher

from journeyapp.caseload import Caseload
from journeyapp.core.bulk import paused_gc
from journeyapp.core.enums import Action
from journeyapp.core.errors import JourneyError, ValidationError, WrongPassphrase
from journeyapp.core.merge import MAX_BUNDLE_BYTES, MAX_EVENT, MAX_EVENTS, MergeResult
from journeyapp.core.records import EVENT_COLUMNS, Event

FORMAT = "journeyapp-journey-log-bundle"
VERSION = "1"
MIN_PASSPHRASE = 8
_HEADER = b"SQLite format 3\x00"
_ACTIONS = frozenset(str(a) for a in Action)
_MAX_ID = 200
Progress = Callable[[int, int], None]


class BundleError(JourneyError):
    """A bundle that cannot be written or read; the message says why and what to do."""


def _key_sql(passphrase: str) -> str:
    # PRAGMA values cannot be bound as parameters: quote the passphrase as an SQL string.
    return "PRAGMA key = '" + passphrase.replace("'", "''") + "'"


def check_passphrase(passphrase: str) -> None:
    """Refuse an empty or too-short bundle passphrase with a message saying what to do."""
    if len(passphrase) < MIN_PASSPHRASE:
        raise ValidationError(
            f"A bundle passphrase needs at least {MIN_PASSPHRASE} characters; choose a longer "
            "one and tell it to the coordinator in person or by phone, not with the file."
        )


def _connect(path: Path, passphrase: str) -> Any:
    conn = sqlcipher.connect(str(path), isolation_level=None, check_same_thread=False)
    conn.execute("PRAGMA cipher_log_level = NONE")
    conn.execute(_key_sql(passphrase))
    conn.execute("PRAGMA cipher_compatibility = 4")
    return conn


def write_bundle(
    caseload: Caseload, out: Path, passphrase: str, *, progress: Progress | None = None
) -> int:
    """Write this laptop's whole journey log to an encrypted bundle; returns the event count.

    The file is written beside `out` and renamed into place, so a half-written bundle never
    exists under the final name.
    """
    check_passphrase(passphrase)
    out = Path(out)
    if out.exists():
        raise BundleError(
            f"{out} already exists; choose a new file name so nothing is overwritten."
        )
    if not out.parent.is_dir():
        raise BundleError(f"The folder {out.parent} does not exist; create it or choose another.")
    partial = out.with_name(out.name + ".partial")
    partial.unlink(missing_ok=True)
    total = caseload.exchange.journal_count()
    done = 0
    conn = _connect(partial, passphrase)
    try:
        conn.execute("PRAGMA journal_mode = DELETE")
        conn.execute("BEGIN")
        conn.execute("CREATE TABLE bundle_info (key TEXT PRIMARY KEY, value TEXT NOT NULL)")
        conn.execute(
            "CREATE TABLE events (seq INTEGER PRIMARY KEY, event_id TEXT NOT NULL UNIQUE, "
            "at TEXT NOT NULL, device_id TEXT NOT NULL, actor TEXT NOT NULL, participant_id TEXT, "
            "kind TEXT NOT NULL, record_id TEXT NOT NULL, action TEXT NOT NULL, "
            "fields TEXT NOT NULL, txn TEXT NOT NULL)"
        )
        info = {
            "format": FORMAT,
            "version": VERSION,
            "device_id": caseload.device_id,
            "made_at": caseload.clock().astimezone(UTC).isoformat(timespec="seconds"),
            "made_by": caseload.actor,
            "events": str(total),
        }
        conn.executemany("INSERT INTO bundle_info(key, value) VALUES (?, ?)", list(info.items()))
        for rows in caseload.exchange.journal_rows():
            conn.executemany(
                f"INSERT INTO events({', '.join(EVENT_COLUMNS)}) VALUES ({', '.join('?' * len(EVENT_COLUMNS))})",
                rows,
            )
            done += len(rows)
            if progress is not None:
                progress(done, total)
        conn.execute("COMMIT")
    except BaseException:
        conn.close()
        partial.unlink(missing_ok=True)
        raise
    conn.close()
    os.chmod(partial, 0o600)  # identifiable data: readable by this user only
    with partial.open("rb") as handle:
        os.fsync(handle.fileno())
    os.replace(partial, out)
    return done


def read_bundle(path: Path, passphrase: str) -> tuple[dict[str, str], list[Event]]:
    """Open and check a bundle; returns its info and its events (oldest first).

    Raises WrongPassphrase or BundleError; nothing about a bad bundle is half-read.
    """
    path = Path(path)
    if not path.is_file():
        raise BundleError(f"There is no bundle at {path}; check the file name.")
    if path.stat().st_size > MAX_BUNDLE_BYTES:
        raise BundleError(
            f"{path.name} is {path.stat().st_size / 1024**3:.1f} GB; the most a bundle may be is "
            f"{MAX_BUNDLE_BYTES // 1024**3} GB. Nothing was merged."
        )
    with path.open("rb") as handle:
        header = handle.read(16)
    if header.startswith(_HEADER):
        raise BundleError(
            f"{path} is not encrypted, so it is not a JourneyApp bundle; ask for a new bundle "
            "(journeyapp bundle)."
        )
    try:
        conn = _connect(path, passphrase)
    except sqlcipher.Error as exc:
        raise BundleError(f"Cannot open {path}: {exc}.") from None
    try:
        try:
            conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
        except sqlcipher.DatabaseError:
            raise WrongPassphrase(
                f"That passphrase does not open {path.name}, or the file is not a bundle. "
                "Check the passphrase with the keyworker who made it."
            ) from None
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
                raise BundleError(f"{path.name} is damaged ({check[0]}); ask for a new bundle.")
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
        except sqlcipher.DatabaseError as exc:
            raise BundleError(f"{path.name} is damaged or not a bundle ({exc}).") from None
    finally:
        conn.close()
    with paused_gc():
        events = [_event(n, row) for n, row in enumerate(rows, 1)]
    return {str(k): str(v) for k, v in info.items()}, events


def _reject_constant(name: str) -> Any:
    raise ValueError(f"{name} is not allowed")


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
        parsed = json.loads(fields, parse_constant=_reject_constant)
    except (ValueError, RecursionError):
        raise BundleError(f"Event {number} in the bundle has damaged details.") from None
    if not isinstance(parsed, dict):
        raise BundleError(f"Event {number} in the bundle has damaged details.")
    return Event(
        event_id, at, device_id, actor, participant_id, kind, record_id, action, parsed, txn
    )


def merge_bundle(caseload: Caseload, path: Path, passphrase: str) -> MergeResult:
    """Read a bundle and merge it into `caseload` (all or nothing; merging twice changes nothing)."""
    return merge_bundles(caseload, [path], passphrase)


def merge_bundles(caseload: Caseload, paths: Sequence[Path], passphrase: str) -> MergeResult:
    """Read and check every bundle, then merge them all in one transaction (all or nothing)."""
    logs = []
    for path in paths:
        try:
            logs.append(read_bundle(path, passphrase)[1])
        except JourneyError as exc:
            if len(paths) == 1:
                raise
            raise BundleError(f"{Path(path).name}: {exc.message} No bundle was merged.") from None
    return caseload.exchange.merge_logs(logs)
