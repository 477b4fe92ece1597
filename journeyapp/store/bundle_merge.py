"""Reading a bundle for a merge inside SQLite: the bundle is attached read-only to the caseload's
connection and only the events this log does not have yet come out into Python.

Re-merging a bundle, or merging a laptop's whole log of which the coordinator has all but a few
events, then costs one pass over the bundle's event ids inside SQLite instead of reading,
parsing and checking every event in Python. The per-event merge (store.merge) then applies the
new events as it applies any. Whenever this shortcut could answer differently from reading the
whole bundle (an unreadable, damaged, foreign or oversized file, or a new edit written before
edits said what they replaced, whose meaning depends on the sender's whole log), it declines and
the caller reads the bundle whole (store.bundle_file.read), which says what is wrong.
"""

from __future__ import annotations

import contextlib
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

import sqlcipher3.dbapi2 as sqlcipher

from journeyapp.core.enums import Action
from journeyapp.core.errors import BundleError
from journeyapp.core.merge import REPLACED
from journeyapp.core.records import EVENT_COLUMNS, Event
from journeyapp.store import bundle_file, eventlog
from journeyapp.store.db import Database

_ALIAS = "incoming_bundle"
_UPDATE = str(Action.UPDATE)


@dataclass(frozen=True)
class NewEvents:
    """What a bundle holds that this log lacks: its info, the new events (oldest first) and how
    many events it holds in all."""

    info: dict[str, str]
    events: list[Event]
    total: int


def _limit(name: str) -> int:
    """One of the bundle format's limits, as store.bundle_file holds it now (the same for the
    whole read, and for a test that lowers it)."""
    return int(vars(bundle_file)[name])


def _attach(db: Database, path: Path, passphrase: str) -> bool:
    uri = "file:" + quote(str(path.resolve())) + "?mode=ro"
    for form in bundle_file.passphrase_forms(passphrase):
        try:
            db.execute(f"ATTACH DATABASE ? AS {_ALIAS} KEY ?", [uri, form])
        except sqlcipher.Error:
            return False
        try:
            db.execute(f"SELECT count(*) FROM {_ALIAS}.sqlite_master").fetchone()
            return True
        except sqlcipher.DatabaseError:
            _detach(db)
    return False


def _detach(db: Database) -> None:
    with contextlib.suppress(sqlcipher.Error):
        db.execute(f"DETACH DATABASE {_ALIAS}")


def read_new(db: Database, path: Path, passphrase: str) -> NewEvents | None:
    """The bundle's events this log does not have (see the module docstring); None: read the
    bundle whole instead. Runs outside any transaction (a database is attached and detached)."""
    path = Path(path)
    try:
        if not path.is_file() or path.stat().st_size > _limit("MAX_BUNDLE_BYTES"):
            return None
        with path.open("rb") as handle:
            if handle.read(16).startswith(b"SQLite format 3\x00"):
                return None  # not encrypted: refused by the whole read
    except OSError:
        return None
    if db.conn.in_transaction or not _attach(db, path, passphrase):
        return None
    try:
        return _read_new(db)
    except (sqlcipher.Error, BundleError):
        return None  # the whole read says what is wrong (or finds nothing wrong)
    finally:
        _detach(db)


def _read_new(db: Database) -> NewEvents | None:
    db.execute("PRAGMA trusted_schema = OFF")  # as every caseload connection has it already
    check = [r[0] for r in db.execute(f"PRAGMA {_ALIAS}.quick_check").fetchall()]
    if check != ["ok"]:
        return None
    info = dict(db.execute(f"SELECT key, value FROM {_ALIAS}.bundle_info").fetchall())
    if info.get("format") != bundle_file.FORMAT or info.get("version") != bundle_file.VERSION:
        return None
    (total,) = db.execute(f"SELECT count(*) FROM {_ALIAS}.events").fetchone()
    if total > _limit("MAX_EVENTS"):  # (read from there: the limits live with the format)
        return None
    # Known: an event id held here as text of the same form. Any other id is read, and the
    # whole-bundle checks judge it.
    known = (
        f"typeof(e.event_id) = 'text' AND EXISTS (SELECT 1 FROM main.journal AS j "
        f"WHERE j.event_id = {eventlog.key_sql('e.event_id')})"
    )
    columns = ", ".join(f"e.{c}" for c in EVENT_COLUMNS[:-2])
    rows = db.execute(
        f"SELECT e.seq, {columns}, iif(length(e.fields) > {_limit('MAX_EVENT')}, NULL, e.fields), e.txn "
        f"FROM {_ALIAS}.events AS e WHERE NOT ({known}) ORDER BY e.seq"
    ).fetchall()
    events = []
    for row in rows:
        if type(row[0]) is not int:
            return None
        event = bundle_file._event(row[0], row[1:])
        if event.action == _UPDATE and REPLACED not in event.fields:
            return None  # written before edits said what they replaced: needs the whole log
        events.append(event)
    return NewEvents({str(k): str(v) for k, v in info.items()}, events, int(total))
