"""The compact journey log (m009): every record and every export the same, byte for byte, after
the migration, on a demo caseload and on the oldest-schema fixture (test_oldest_schema.py);
events read back as written."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest
import sqlcipher3.dbapi2 as sqlcipher
from hypothesis import given, settings
from hypothesis import strategies as st

from journeyapp.caseload import Caseload
from journeyapp.core.records import new_event_id
from journeyapp.demo import build_demo
from journeyapp.store import eventlog
from tests.clock import ticking_clock
from tests.conftest import TODAY
from tests.store.migrating import assert_migration_keeps_everything, demo_with_every_action

M009 = "m009_compact_journey_log"
M015 = "m015_smaller_journey_log"  # the log made smaller again (tests/store/test_smaller_log.py)
OLD_LOG = """
    CREATE TABLE journey_log (
        seq INTEGER PRIMARY KEY AUTOINCREMENT,
        event_id TEXT NOT NULL UNIQUE,
        at TEXT NOT NULL,
        device_id TEXT NOT NULL,
        actor TEXT NOT NULL,
        participant_id TEXT,
        kind TEXT NOT NULL,
        record_id TEXT NOT NULL,
        action TEXT NOT NULL,
        fields TEXT NOT NULL,
        txn TEXT NOT NULL DEFAULT ''
    )
"""


def old_format(path: Path) -> None:
    """Turn a caseload's journey log back into the table every version before m009 wrote."""
    conn = sqlite3.connect(path, isolation_level=None)
    try:
        conn.execute("BEGIN")
        conn.execute(OLD_LOG.replace("journey_log", "old_log"))
        conn.execute(
            "INSERT INTO old_log SELECT seq, event_id, at, device_id, actor, participant_id, kind, "
            "record_id, action, fields, txn FROM journey_log ORDER BY seq"
        )
        conn.execute("DROP VIEW journey_log")
        conn.execute("DROP VIEW IF EXISTS journal_named")
        for table in ("journal", "journal_devices", "journal_actors"):
            conn.execute(f"DROP TABLE {table}")
        conn.execute("ALTER TABLE old_log RENAME TO journey_log")
        conn.execute("CREATE INDEX idx_journey_log_participant ON journey_log(participant_id)")
        conn.execute("CREATE INDEX idx_journey_log_record ON journey_log(record_id)")
        conn.execute("CREATE INDEX idx_journey_log_txn ON journey_log(txn)")
        conn.execute("DELETE FROM _sqlite_migrations WHERE name IN (?, ?)", [M009, M015])
        conn.execute("COMMIT")
    finally:
        conn.close()


def assert_m009_keeps_everything(path: Path, tmp_path: Path, mp: pytest.MonkeyPatch) -> None:
    """`path` (a caseload before m009) migrated keeps every row and export. (A version before
    m009 had none of the log's later forms either: m015 is left out too.)"""
    assert_migration_keeps_everything(path, tmp_path, mp, (M009, M015))


def test_demo_caseload_migrates_to_the_compact_log_with_every_record_and_export_equal(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "demo.db"
    demo_with_every_action(path, phone="07700 900123")
    old_format(path)
    assert_m009_keeps_everything(path, tmp_path, monkeypatch)


def test_compact_log_is_smaller_and_reads_back_as_written(tmp_path: Path) -> None:
    path = tmp_path / "demo.db"
    caseload = Caseload.open(path, create=True, demo=True, clock=ticking_clock(TODAY))
    build_demo(caseload, participants=20, seed=2, today=TODAY)
    caseload.close()
    conn = sqlite3.connect(path)
    stored, written = conn.execute(
        "SELECT (SELECT sum(length(fields)) FROM journal), sum(length(fields)) FROM journey_log"
    ).fetchone()
    assert stored < 0.6 * written
    kinds = {r[0] for r in conn.execute("SELECT DISTINCT typeof(event_id) FROM journal")}
    assert kinds == {"blob"}  # new events' ids are UUIDs, kept as 16 bytes
    for (text,) in conn.execute("SELECT fields FROM journey_log"):
        json.loads(text)  # every event reads back as JSON


def _near_uuid(chars: list[str]) -> str:
    """32 characters with dashes where a UUID's text has them (a space, an upper-case or a
    non-hex letter makes it not quite one)."""
    text = "".join(chars)
    return f"{text[:8]}-{text[8:12]}-{text[12:16]}-{text[16:20]}-{text[20:]}"


_ids = st.one_of(
    st.uuids().map(str),
    st.lists(st.sampled_from("0123456789abcdef A-g"), min_size=32, max_size=32).map(_near_uuid),
    st.uuids().map(lambda u: str(u).upper()),
    st.text(max_size=40),
    st.builds(new_event_id),
)
_values = st.one_of(st.none(), st.text(max_size=30), st.integers(), st.booleans())


def _key_as_first_written(value: str) -> bytes | str:
    """`eventlog.key` as m009 first wrote it: 16 bytes when the text is the bytes' canonical
    lower-case UUID text again."""
    if len(value) == 36 and value[8] == value[13] == value[18] == value[23] == "-":
        try:
            raw = bytes.fromhex(value[:8] + value[9:13] + value[14:18] + value[19:23] + value[24:])
        except ValueError:
            return value
        h = raw.hex()
        if len(raw) == 16 and f"{h[:8]}-{h[8:12]}-{h[12:16]}-{h[16:20]}-{h[20:]}" == value:
            return raw
    return value


_kinds = st.one_of(st.sampled_from(eventlog.KINDS), st.text(max_size=12))
_names = st.one_of(
    st.sampled_from(sorted({n for names in eventlog._NAMES.values() for n in names})),
    st.text(max_size=12),
)
_moments = st.one_of(
    st.text(max_size=30),
    st.datetimes().map(lambda d: d.isoformat(timespec="microseconds") + "Z"),
    st.from_regex(
        r"[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}\.[0-9]{6}Z", fullmatch=True
    ),
)
# Texts that are not what the JSON encoder writes: a leading "{, ", control characters, the
# shortened names' own texts, a self-assessment's scores. Not a NUL: SQLite's text functions
# stop at one (its documentation leaves such texts undefined), and no fields text holds one
# (the JSON encoder writes it as \u0000; a bundle's fields must parse as JSON). Not a lone
# surrogate (category Cs): SQLite cannot store one (Python refuses to encode it as UTF-8), Qt's
# text fields drop them and files are read as strict UTF-8, so no event can carry one.
_odd_texts = st.one_of(
    st.text(
        alphabet=st.characters(exclude_characters="\x00", exclude_categories=["Cs"]), max_size=40
    ),
    st.sampled_from(
        [
            '{, "note": 1}',
            "{",
            "",
            '{"a": "x\x01"}',
            ', "note": "x"}',
            "{, }",
            '{"scores": "{\\"childcare_family\\": 4, \\"money\\": 2}", "voice": "parent"}',
        ]
    ),
)


@settings(max_examples=150, deadline=None)
@given(
    record_id=_ids,
    participant_id=st.one_of(st.none(), _ids),
    actor=st.text(max_size=20),
    at=_moments,
    kind=_kinds,
    extra=st.dictionaries(_names, _values, max_size=6),
    use_base=st.booleans(),
    odd=st.one_of(st.none(), _odd_texts),
)
def test_any_event_packs_and_unpacks_to_the_same_text_in_python_and_in_sql(
    record_id: str,
    participant_id: str | None,
    actor: str,
    at: str,
    kind: str,
    extra: dict[str, object],
    use_base: bool,
    odd: str | None,
) -> None:
    fields: dict[str, object] = dict(extra)
    if use_base:
        fields.update(id=record_id, created_at=at, updated_at=at, recorded_by=actor)
        if participant_id is not None:
            fields["participant_id"] = participant_id
    text = json.dumps(fields, ensure_ascii=False, sort_keys=True) if odd is None else odd
    packed = eventlog.pack(text, at, record_id, participant_id, actor, kind)
    assert eventlog.unpack(packed, at, record_id, participant_id, actor, kind) == text
    # The batch writer's packer (append of many events) packs the same.
    assert eventlog._packer()(text, at, record_id, participant_id, actor, kind) == packed
    for value in (record_id, participant_id):
        if value is not None:
            assert eventlog.key(value) == _key_as_first_written(value)
    # The view (read by Python's own SQLite too) gives the event back as written.
    conn = sqlite3.connect(":memory:")
    for sql in (*eventlog._M009_SCHEMA[:2], eventlog.TABLE, eventlog.NAMED, eventlog.VIEW):
        conn.execute(sql)
    conn.execute("INSERT INTO journal_devices(id, device_id) VALUES (1, 'd')")
    conn.execute("INSERT INTO journal_actors(id, actor) VALUES (1, ?)", [actor])
    conn.execute(
        "INSERT INTO journal(event_id, at, device, actor, participant_id, kind, record_id, "
        "action, fields, txn) VALUES (?, ?, 1, 1, ?, ?, ?, ?, ?, '')",
        [
            eventlog.key(record_id),
            eventlog.at_key(at),
            None if participant_id is None else eventlog.key(participant_id),
            eventlog.kind_key(kind),
            eventlog.key(record_id),
            eventlog.action_key("update"),
            packed,
        ],
    )
    columns = "event_id, at, kind, record_id, participant_id, actor, action, fields"
    written = (record_id, at, kind, record_id, participant_id, actor, "update", text)
    assert conn.execute(f"SELECT {columns} FROM journey_log").fetchone() == written
    # Code writing to the view as to the old table stores the same event (packed in SQL).
    shipped = sqlcipher.connect(":memory:", isolation_level=None)  # unhex: SQLite 3.41
    for sql in (
        *eventlog._M009_SCHEMA[:2],
        eventlog.TABLE,
        eventlog.NAMED,
        eventlog.VIEW,
        *eventlog.TRIGGERS,
    ):
        shipped.execute(sql)
    shipped.execute(
        "INSERT INTO journey_log(event_id, at, device_id, actor, participant_id, kind, "
        "record_id, action, fields, txn) VALUES (?, ?, 'd', ?, ?, ?, ?, 'update', ?, '')",
        [record_id, at, actor, participant_id, kind, record_id, text],
    )
    assert shipped.execute(f"SELECT {columns} FROM journey_log").fetchone() == written
    stored = shipped.execute("SELECT at, kind, fields FROM journal").fetchone()
    assert stored[:2] == (eventlog.at_key(at), eventlog.kind_key(kind))
    assert len(stored[2]) <= len(text) + 1
    # m009's SQL packing (its migration's) reads back the same through m009's reader.
    conn.execute(OLD_LOG.replace("journey_log", "old"))
    conn.execute(
        "INSERT INTO old(event_id, at, device_id, actor, participant_id, kind, record_id, action, "
        "fields) VALUES ('e', ?, 'd', ?, ?, 'k', ?, 'create', ?)",
        [at, actor, participant_id, record_id, text],
    )
    sql = eventlog._m009_pack_sql("fields", "at", "record_id", "participant_id", "actor")
    unpacked = eventlog._m009_unpack_sql("p", "at", "record_id", "participant_id", "actor")
    (m009,) = conn.execute(f"SELECT {unpacked} FROM (SELECT {sql} AS p, * FROM old)").fetchone()
    assert m009 == text


def test_code_that_writes_to_the_old_table_still_works(tmp_path: Path) -> None:
    """An insert, an update of fields and a delete through `journey_log` (as code written for
    the old table does) are stored compact and read back as written."""
    path = tmp_path / "demo.db"
    caseload = Caseload.open(path, create=True, demo=True, clock=ticking_clock(TODAY))
    build_demo(caseload, participants=3, seed=2, today=TODAY)
    caseload.close()
    conn = sqlcipher.connect(str(path), isolation_level=None)  # the SQLite JourneyApp ships
    rid = "0190a0b0-c0d0-7e0f-8a1b-2c3d4e5f6a7b"
    text = json.dumps(
        {"created_at": "2026-11-01T10:00:00Z", "id": rid, "note": "Said hello", "on": "2026-11-01"},
        sort_keys=True,
    )
    row = (
        rid,
        "2026-11-01T10:00:00Z",
        "laptop-x",
        "Aileen",
        None,
        "feedback",
        rid,
        "create",
        text,
        "t1",
    )
    conn.execute(
        "INSERT INTO journey_log(event_id, at, device_id, actor, participant_id, kind, "
        "record_id, action, fields, txn) VALUES (?,?,?,?,?,?,?,?,?,?)",
        row,
    )
    columns = "event_id, at, device_id, actor, participant_id, kind, record_id, action, fields, txn"
    assert (
        conn.execute(
            f"SELECT {columns} FROM journey_log WHERE kind = 'feedback' AND action = 'create' ORDER BY seq DESC LIMIT 1"
        ).fetchone()
        == row
    )
    stored = conn.execute(
        "SELECT typeof(event_id), length(fields) FROM journal ORDER BY seq DESC LIMIT 1"
    ).fetchone()
    assert stored[0] == "blob"
    assert stored[1] < len(text)
    blanked = text.replace("Said hello", "")
    conn.execute("UPDATE journey_log SET fields = ? WHERE event_id = ?", [blanked, rid])
    assert conn.execute("SELECT fields FROM journey_log WHERE event_id = ?", [rid]).fetchone() == (
        blanked,
    )
    conn.execute("DELETE FROM journey_log WHERE event_id = ?", [rid])
    assert conn.execute(
        "SELECT count(*) FROM journal WHERE event_id = ?", [eventlog.key(rid)]
    ).fetchone() == (0,)


@settings(max_examples=200, deadline=None)
@given(
    st.one_of(
        st.uuids().map(str),
        st.uuids().map(lambda u: str(u).upper()),
        st.uuids().map(lambda u: str(u).replace("-", "")),
        st.uuids().map(lambda u: "-" + str(u)[1:]),
        st.text(max_size=40),
    )
)
def test_an_id_looked_up_takes_the_form_journal_stores_it_in(value: str) -> None:
    """eventlog.lookup_key_sql (unhex skipping the dashes) gives what key_sql and key give."""
    conn = sqlcipher.connect(":memory:")
    sql = f"SELECT {eventlog.key_sql('?1')}, {eventlog.lookup_key_sql('?1')}"
    stored, looked_up = conn.execute(sql, [value]).fetchone()
    conn.close()
    assert looked_up == stored == eventlog.key(value)
