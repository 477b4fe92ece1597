"""The compact journey log: how events are stored (ids as 16 bytes, laptops and people as small
numbers, fields without what the event already says) and the one reader that gives them back.

Stored in `journal` (from migration m009):
- event, record, participant and transaction ids that are canonical lower-case UUID text are kept
  as their 16 bytes; any other id (an older laptop's, a test's) is kept as the text it is;
- the laptop and the person as small integers into `journal_devices` and `journal_actors`;
- `fields` is the JSON text the event was written with, with the parts the event says already
  replaced by one control character each: `"created_at": "<at>"`, `"updated_at": "<at>"`,
  `"id": "<record id>"`, `"participant_id": "<participant id>"` and `"recorded_by": "<actor>"`.
  JSON text never holds a raw control character (they are escaped), so the tokens cannot be
  confused with anything written; a text that somehow holds one is kept as it was, behind a
  marker character.

`journey_log` is a view giving every event back exactly as it was written (the same text, byte
for byte), so every reader of the log (exports, bundles, history, versions, the report as at a
period) reads one thing. Readers that look events up by an id use `key()` on the id and the
indexed columns of `journal` through `SELECT_EVENTS` (the view's columns are worked out, so
SQLite could not use an index through them).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence
from typing import Any

from journeyapp.core.records import Event
from journeyapp.store.db import Database

# Replaced in `fields`, in this order, by the characters 1..5 (see the module docstring).
_TOKENS = ("created_at", "updated_at", "id", "participant_id", "recorded_by")
_CODES = tuple((name, chr(code)) for code, name in enumerate(_TOKENS, start=1))
_RAW = "\x07"  # a text kept as written: it holds a control character already
_CONTROL = re.compile("[\x01-\x07]")
# A value that JSON writes as itself between quotes (no quote, backslash or control character).
_PLAIN = re.compile(r'[^"\\\x00-\x1f\x7f]*\Z')
_UUID_GLOB = "-".join("[0-9a-f]" * n for n in (8, 4, 4, 4, 12))
_CANONICAL = re.compile("-".join(f"[0-9a-f]{{{n}}}" for n in (8, 4, 4, 4, 12)) + r"\Z")


def key(value: str) -> bytes | str:
    """An id as `journal` stores it: 16 bytes for canonical lower-case UUID text, else the text."""
    if len(value) == 36 and _CANONICAL.match(value):
        return bytes.fromhex(value.replace("-", ""))
    return value


def key_sql(expr: str) -> str:
    """SQL turning the id text `expr` into the form `journal` stores (as `key` does)."""
    return f"iif({expr} GLOB '{_UUID_GLOB}', unhex(replace({expr}, '-', '')), {expr})"


def _id_sql(column: str) -> str:
    """SQL giving a stored id back as the text it was written as (each piece of the 16 bytes
    in hex on its own: half the work of one hex text cut into pieces)."""
    pieces = " || '-' || ".join(
        f"hex(substr({column}, {start}, {length}))"
        for start, length in ((1, 4), (5, 2), (7, 2), (9, 2), (11, 6))
    )
    return f"iif(typeof({column}) = 'blob', lower({pieces}), {column})"


def pack(text: str, at: str, record_id: str, participant_id: str | None, actor: str) -> str:
    """An event's fields text as `journal` stores it (see the module docstring)."""
    if _CONTROL.search(text):
        return _RAW + text
    for (name, code), value in zip(_CODES, (at, at, record_id, participant_id, actor), strict=True):
        if value is not None and _PLAIN.match(value):
            text = text.replace(f'"{name}": "{value}"', code)
    return text


def _packer() -> Callable[[str, str, str, str | None, str], str]:
    """`pack` for many events at once: whether a moment or an actor is written plainly is
    worked out once per value (a batch shares one or a few of each)."""
    plain: dict[str, bool] = {}

    def is_plain(value: str) -> bool:
        found = plain.get(value)
        if found is None:
            found = plain[value] = _PLAIN.match(value) is not None
        return found

    def pack_one(text: str, at: str, record_id: str, participant_id: str | None, actor: str) -> str:
        if _CONTROL.search(text):
            return _RAW + text
        if is_plain(at):
            text = text.replace(f'"created_at": "{at}"', "\x01").replace(
                f'"updated_at": "{at}"', "\x02"
            )
        if _PLAIN.match(record_id):
            text = text.replace(f'"id": "{record_id}"', "\x03")
        if participant_id is not None and _PLAIN.match(participant_id):
            text = text.replace(f'"participant_id": "{participant_id}"', "\x04")
        if is_plain(actor):
            text = text.replace(f'"recorded_by": "{actor}"', "\x05")
        return text

    return pack_one


def unpack(stored: str, at: str, record_id: str, participant_id: str | None, actor: str) -> str:
    """The fields text as written, from `pack`'s (what the view does in SQL)."""
    if stored.startswith(_RAW):
        return stored[1:]
    for code, (name, value) in enumerate(
        zip(_TOKENS, (at, at, record_id, participant_id, actor), strict=True), start=1
    ):
        if value is not None:
            stored = stored.replace(chr(code), f'"{name}": "{value}"')
    return stored


def _pack_sql(fields: str, at: str, record_id: str, participant_id: str, actor: str) -> str:
    """`pack` in SQL, over the old log's text columns (migration m009)."""
    plain = "NOT {v} GLOB ('*[' || char(1) || '-' || char(31) || '\"\\]*')"
    sql = fields
    for code, (name, value) in enumerate(
        zip(_TOKENS, (at, at, record_id, participant_id, actor), strict=True), start=1
    ):
        sql = (
            f"iif({value} IS NOT NULL AND {plain.format(v=value)}, "
            f"replace({sql}, '\"{name}\": \"' || {value} || '\"', char({code})), {sql})"
        )
    return f"iif({fields} GLOB ('*[' || char(1) || '-' || char(7) || ']*'), char(7) || {fields}, {sql})"


def _unpack_sql(fields: str, at: str, record_id: str, participant_id: str, actor: str) -> str:
    # A replacement's text is worked out only when the stored text holds its token (an edit
    # holds none): making an id's text is most of the cost of reading an event back.
    sql = fields
    for code, (name, value) in enumerate(
        zip(_TOKENS, (at, at, record_id, participant_id, actor), strict=True), start=1
    ):
        text = f"'\"{name}\": \"' || coalesce({value}, '') || '\"'"
        sql = f"replace({sql}, char({code}), iif(instr({fields}, char({code})), {text}, ''))"
    return f"iif(unicode({fields}) = 7, substr({fields}, 2), {sql})"


def fields_sql(fields: str) -> str:
    """SQL giving stored fields back as JSON text that holds every field of the text as written
    except the five the event says already (module docstring), each left as a member no field
    is named ("\\u0001": 0 ...): for reading one other field of many events with json_extract,
    without working out ids and names the view would put back."""
    sql = fields
    for code in range(1, len(_TOKENS) + 1):
        sql = f"replace({sql}, char({code}), '\"\\u000{code}\": 0')"
    return f"iif(unicode({fields}) = 7, substr({fields}, 2), {sql})"


_EVENT_ID = _id_sql("j.event_id")
_RECORD_ID = _id_sql("j.record_id")
_PARTICIPANT_ID = _id_sql("j.participant_id")
_ACTOR = "(SELECT actor FROM journal_actors WHERE id = j.actor)"
_DEVICE = "(SELECT device_id FROM journal_devices WHERE id = j.device)"

# Every event as written, in EVENT_COLUMNS order after `seq`; add a WHERE on `j.` columns.
SELECT_EVENTS = (
    f"SELECT j.seq AS seq, {_EVENT_ID} AS event_id, j.at AS at, {_DEVICE} AS device_id, "
    f"{_ACTOR} AS actor, {_PARTICIPANT_ID} AS participant_id, j.kind AS kind, "
    f"{_RECORD_ID} AS record_id, j.action AS action, "
    f"{_unpack_sql('j.fields', 'j.at', _RECORD_ID, _PARTICIPANT_ID, _ACTOR)} AS fields, "
    f"{_id_sql('j.txn')} AS txn FROM journal AS j"
)

SCHEMA = (
    "CREATE TABLE journal_devices (id INTEGER PRIMARY KEY, device_id TEXT NOT NULL UNIQUE)",
    "CREATE TABLE journal_actors (id INTEGER PRIMARY KEY, actor TEXT NOT NULL UNIQUE)",
    """
    CREATE TABLE journal (
        seq INTEGER PRIMARY KEY AUTOINCREMENT,
        event_id NOT NULL UNIQUE,
        at TEXT NOT NULL,
        device INTEGER NOT NULL,
        actor INTEGER NOT NULL,
        participant_id,
        kind TEXT NOT NULL,
        record_id NOT NULL,
        action TEXT NOT NULL,
        fields TEXT NOT NULL,
        txn NOT NULL DEFAULT ''
    )
    """,
)
INDEXES = (
    "CREATE INDEX idx_journal_participant ON journal(participant_id)",
    "CREATE INDEX idx_journal_record ON journal(record_id)",
)  # (the old log's index on txn is gone: nothing looks events up by transaction)
VIEW = f"CREATE VIEW journey_log AS {SELECT_EVENTS}"
# Code that writes to `journey_log` as to the old table still works, a row at a time (the app's
# own writers use `append`): an insert is stored compact, an update of `fields` is packed again,
# a delete removes the event.
_NEW_PACKED = _pack_sql("NEW.fields", "NEW.at", "NEW.record_id", "NEW.participant_id", "NEW.actor")
TRIGGERS = (
    f"""
    CREATE TRIGGER journey_log_insert INSTEAD OF INSERT ON journey_log BEGIN
        INSERT OR IGNORE INTO journal_devices(device_id) VALUES (NEW.device_id);
        INSERT OR IGNORE INTO journal_actors(actor) VALUES (NEW.actor);
        INSERT INTO journal(seq, event_id, at, device, actor, participant_id, kind, record_id,
            action, fields, txn)
        VALUES (NEW.seq, {key_sql("NEW.event_id")}, NEW.at,
            (SELECT id FROM journal_devices WHERE device_id = NEW.device_id),
            (SELECT id FROM journal_actors WHERE actor = NEW.actor),
            {key_sql("NEW.participant_id")}, NEW.kind, {key_sql("NEW.record_id")}, NEW.action,
            {_NEW_PACKED}, {key_sql("coalesce(NEW.txn, '')")});
    END
    """,
    f"""
    CREATE TRIGGER journey_log_update INSTEAD OF UPDATE OF fields ON journey_log BEGIN
        UPDATE journal SET fields = {_NEW_PACKED} WHERE seq = OLD.seq;
    END
    """,
    """
    CREATE TRIGGER journey_log_delete INSTEAD OF DELETE ON journey_log BEGIN
        DELETE FROM journal WHERE seq = OLD.seq;
    END
    """,
)


def migrate(db: Any) -> None:
    """Move the journey log into the compact tables (migration m009), every event as it was."""
    for sql in SCHEMA:
        db.execute(sql)
    db.execute(
        "INSERT INTO journal_devices(device_id) SELECT device_id FROM journey_log "
        "GROUP BY device_id ORDER BY min(seq)"
    )
    db.execute(
        "INSERT INTO journal_actors(actor) SELECT actor FROM journey_log "
        "GROUP BY actor ORDER BY min(seq)"
    )
    packed = _pack_sql("o.fields", "o.at", "o.record_id", "o.participant_id", "o.actor")
    db.execute(
        "INSERT INTO journal(seq, event_id, at, device, actor, participant_id, kind, record_id, "
        "action, fields, txn) SELECT o.seq, "
        f"{key_sql('o.event_id')}, o.at, d.id, a.id, {key_sql('o.participant_id')}, o.kind, "
        f"{key_sql('o.record_id')}, o.action, {packed}, {key_sql('o.txn')} "
        "FROM journey_log AS o JOIN journal_devices AS d ON d.device_id = o.device_id "
        "JOIN journal_actors AS a ON a.actor = o.actor ORDER BY o.seq"
    )
    # Numbers handed out stay handed out: the next event follows the old log's last one ever.
    old = db.execute("SELECT seq FROM sqlite_sequence WHERE name = 'journey_log'").fetchone()
    db.execute("DROP TABLE journey_log")
    db.execute("DELETE FROM sqlite_sequence WHERE name = 'journey_log'")
    if old is not None:
        new = db.execute("SELECT seq FROM sqlite_sequence WHERE name = 'journal'").fetchone()
        if new is None:
            db.execute("INSERT INTO sqlite_sequence(name, seq) VALUES ('journal', ?)", [old[0]])
        elif new[0] < old[0]:
            db.execute("UPDATE sqlite_sequence SET seq = ? WHERE name = 'journal'", [old[0]])
    for sql in INDEXES:
        db.execute(sql)
    db.execute(VIEW)
    for sql in TRIGGERS:
        db.execute(sql)


def _numbers(db: Database, table: str, column: str, values: Iterable[str]) -> dict[str, int]:
    """Each laptop's (or person's) small number, given one the first time it is seen."""
    wanted = list(dict.fromkeys(values))
    found: dict[str, int] = {}
    for start in range(0, len(wanted), 500):
        chunk = wanted[start : start + 500]
        db.conn.executemany(
            f"INSERT OR IGNORE INTO {table}({column}) VALUES (?)", [(v,) for v in chunk]
        )
        marks = ", ".join("?" * len(chunk))
        found.update(
            db.execute(f"SELECT {column}, id FROM {table} WHERE {column} IN ({marks})", chunk)
        )
    return found


INSERT = (
    "INSERT INTO journal(event_id, at, device, actor, participant_id, kind, record_id, action, "
    "fields, txn) VALUES (?,?,?,?,?,?,?,?,?,?)"
)


def rows(db: Database, events: Sequence[Event], encoded: Sequence[str]) -> list[tuple[Any, ...]]:
    """The `journal` rows for events whose fields are already JSON text (`encoded`)."""
    devices = _numbers(db, "journal_devices", "device_id", (e.device_id for e in events))
    actors = _numbers(db, "journal_actors", "actor", (e.actor for e in events))
    txns: dict[str, bytes | str] = {}
    out = []
    pack = _packer()
    for e, text in zip(events, encoded, strict=True):
        txn = txns.get(e.txn)
        if txn is None:
            txn = txns[e.txn] = key(e.txn)
        pid, rid = e.participant_id, e.record_id
        record = key(rid)
        out.append(
            (
                key(e.event_id),
                e.at,
                devices[e.device_id],
                actors[e.actor],
                None if pid is None else record if pid == rid else key(pid),
                e.kind,
                record,
                e.action,
                pack(text, e.at, rid, pid, e.actor),
                txn,
            )
        )
    return out


def append(db: Database, events: Sequence[Event], encoded: Sequence[str]) -> None:
    """Append events (their fields already JSON text) to the journey log."""
    if events:
        db.conn.executemany(INSERT, rows(db, events, encoded))


def where_in(column: str, values: Sequence[str]) -> tuple[str, list[bytes | str]]:
    """`j.column IN (...)` for ids, with the ids as `journal` stores them."""
    return f"j.{column} IN ({', '.join('?' * len(values))})", [key(v) for v in values]


def replace_fields(db: Database, changed: Sequence[tuple[int, str]]) -> None:
    """Write new fields text for logged events by `seq` (erasure-like rewrites only, such as
    blanking answers whose consent was withdrawn), packed as `append` would have packed it."""
    for seq, text in changed:
        row = db.execute(
            "SELECT at, record_id, participant_id, actor FROM journey_log WHERE seq = ?", [seq]
        ).fetchone()
        if row is None:
            continue
        at, record_id, participant_id, actor = row
        db.execute(
            "UPDATE journal SET fields = ? WHERE seq = ?",
            [pack(text, at, record_id, participant_id, actor), seq],
        )


def participant_ids(db: Database) -> list[str]:
    """Every parent id the log names, as the text it was written as, each once: read from the
    index on `journal`'s participant ids (through the view, every event would be read back).
    A log from before the compact one (m009, still a table) is read as it is."""
    if db.execute(
        "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'journal'"
    ).fetchone():
        sql = (
            f"SELECT {_id_sql('participant_id')} FROM (SELECT DISTINCT participant_id "
            "FROM journal WHERE participant_id IS NOT NULL)"
        )
    else:
        sql = "SELECT DISTINCT participant_id FROM journey_log WHERE participant_id IS NOT NULL"
    return list(dict.fromkeys(pid for (pid,) in db.execute(sql).fetchall()))


def known_ids(db: Database, event_ids: Iterable[str]) -> set[str]:
    """Which of `event_ids` the journey log already holds, looked up by the stored key (a
    `WHERE event_id IN (...)` on the `journey_log` view would read every event back)."""
    stored = {key(i): i for i in event_ids}
    keys = list(stored)
    found: set[str] = set()
    for start in range(0, len(keys), 500):
        chunk = keys[start : start + 500]
        marks = ", ".join("?" * len(chunk))
        found.update(
            stored[r[0]]
            for r in db.execute(f"SELECT event_id FROM journal WHERE event_id IN ({marks})", chunk)
        )
    return found
