"""The compact words index (m012) and the covered indexes dropped (m013): every entry kept under
its id, search finding the very same things, every record and export the same byte for byte, on
a demo caseload, the oldest-schema fixture and an encrypted caseload; a backup first; the index a
good deal smaller."""

from __future__ import annotations

import random
import shutil
import sqlite3
import uuid
from pathlib import Path

import pytest
import sqlcipher3.dbapi2 as sqlcipher

from journeyapp.caseload import Caseload
from journeyapp.core.search import words
from journeyapp.demo import build_demo
from journeyapp.store import search as store_search
from journeyapp.store.db import plain_connection
from tests.clock import ticking_clock
from tests.conftest import TODAY
from tests.store.migrating import (
    FIXTURE,
    assert_migration_keeps_everything,
    demo_with_every_action,
    fixed_clock,
    open_without,
)

M012 = "m012_compact_search"
M013 = "m013_covered_indexes"
# The indexes every version before m013 had (m001 made them).
OLD_INDEXES = (
    'CREATE INDEX IF NOT EXISTS "idx_contacts_participant_id" ON "contacts" ("participant_id")',
    'CREATE INDEX IF NOT EXISTS "idx_pace_participant_id" ON "pace" ("participant_id")',
    'CREATE INDEX IF NOT EXISTS "idx_pace_participant_id_changed_on" ON "pace" ("participant_id", "changed_on")',
)
RAW_KEY = bytes(range(32))  # a raw key skips the slow passphrase derivation
# The words index and its keys as m004 made them, every version before m012 (written out, so
# later code changes can never alter what the test starts from).
OLD_TEXT = (
    "CREATE VIRTUAL TABLE text_search USING fts5(text, tokenize = 'trigram')",
    "CREATE TABLE text_search_keys (id INTEGER PRIMARY KEY, participant_id TEXT NOT NULL, "
    "kind TEXT NOT NULL, record_id TEXT NOT NULL, field TEXT NOT NULL)",
    "CREATE INDEX idx_text_search_keys_record ON text_search_keys(record_id)",
    "CREATE INDEX idx_text_search_keys_participant ON text_search_keys(participant_id)",
    "INSERT INTO text_search(text_search, rank) VALUES ('secure-delete', 1)",
)
Entry = tuple[int, str, str, str, str, str]  # id, folded text, parent, kind, record, field


def _tables(conn: sqlcipher.Connection) -> set[str]:
    return {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}


def entries(conn: sqlcipher.Connection) -> set[Entry]:
    """Every entry of the words index with its key, read from either layout."""
    if "text_search_fields" not in _tables(conn):
        sql = (
            "SELECT k.id, t.text, k.participant_id, k.kind, k.record_id, k.field "
            "FROM text_search_keys k LEFT JOIN text_search t ON t.rowid = k.id"
        )
        return set(conn.execute(sql).fetchall())
    sql = (
        "SELECT k.id, t.text, p.participant_id, f.kind, k.record_id, f.field "
        "FROM text_search_keys k JOIN text_search_parents p ON p.id = k.parent "
        "JOIN text_search_fields f ON f.id = k.field LEFT JOIN text_search t ON t.rowid = k.id"
    )
    return {
        (n, text, pid, kind, str(uuid.UUID(bytes=rid)) if isinstance(rid, bytes) else rid, field)
        for n, text, pid, kind, rid, field in conn.execute(sql)
    }


def old_format(path: Path, key: bytes | None = None) -> None:
    """Turn a caseload's words index back into the layout every version before m012 wrote (the
    same entries under the same ids), with the indexes m013 drops."""
    conn = plain_connection(path, key)
    try:
        held = sorted(entries(conn))
        texts = conn.execute("SELECT rowid, text FROM text_search ORDER BY rowid").fetchall()
        assert held
        assert len(texts) == len(held)
        conn.execute("BEGIN")
        for table in ("text_search", "text_search_keys", "text_search_parents"):
            conn.execute(f"DROP TABLE {table}")
        conn.execute("DROP TABLE text_search_fields")
        for sql in OLD_TEXT:
            conn.execute(sql)
        conn.executemany("INSERT INTO text_search(rowid, text) VALUES (?, ?)", texts)
        conn.executemany(
            "INSERT INTO text_search_keys(id, participant_id, kind, record_id, field) "
            "VALUES (?, ?, ?, ?, ?)",
            [(n, pid, kind, rid, field) for n, _text, pid, kind, rid, field in held],
        )
        for sql in OLD_INDEXES:
            conn.execute(sql)
        conn.execute("DELETE FROM _sqlite_migrations WHERE name IN (?, ?)", [M012, M013])
        conn.execute("COMMIT")
        assert entries(conn) == set(held)
    finally:
        conn.close()


def queries(conn: sqlcipher.Connection, count: int = 120) -> list[str]:
    """Parts of the words and names held (one, two or three words, any case), and a few odd ones."""
    rnd = random.Random(12)
    held = [r[0] for r in conn.execute("SELECT text FROM text_search ORDER BY rowid")]
    held += [r[0] for r in conn.execute("SELECT names FROM participant_search ORDER BY rowid")]
    found = ["a", "an", "the", "zzz", "*", "[", "o'", "ü", "  "]
    for _ in range(count):
        text = rnd.choice(held)
        start = rnd.randrange(len(text))
        part = text[start : start + rnd.randint(2, 16)]
        found.append(part.upper() if rnd.random() < 0.2 else part)
    return found


def raw_matches(conn: sqlcipher.Connection, text: str) -> list[tuple[str, ...]]:
    """The names holding every word of `text`, then every piece of text search everything finds
    for it (no limit), with the SQL of the layout the file has: the oracle for before and after."""
    wanted = words(text)
    if not wanted:
        return []
    patterns = [store_search._glob(w) for w in wanted]
    where = " AND ".join("text GLOB ?" for _ in wanted)
    names = conn.execute(
        "SELECT participant_id FROM participant_search WHERE "
        + " AND ".join("names GLOB ?" for _ in wanted),
        patterns,
    ).fetchall()
    rowids = [r[0] for r in conn.execute(f"SELECT rowid FROM text_search WHERE {where}", patterns)]
    keyed = {e[0]: e[2:] for e in entries(conn)}
    return sorted(names) + sorted(keyed[n] for n in rowids if n in keyed)


def assert_search_finds_the_same(
    path: Path, tmp_path: Path, mp: pytest.MonkeyPatch, key: bytes | None = None
) -> None:
    """`path` (as before m012 and m013) migrated keeps every row and export, every entry of the
    words index under its id, and every search finds the same."""
    conn = plain_connection(path, key)
    try:
        before_entries = entries(conn)
        asked = queries(conn)
        before_found = {text: raw_matches(conn, text) for text in asked}
    finally:
        conn.close()
    assert sum(bool(found) for found in before_found.values()) > len(asked) // 2
    assert_migration_keeps_everything(path, tmp_path, mp, [M012, M013], key)
    caseload = Caseload.open(path, key, clock=fixed_clock)
    try:
        # The store's one search finds every piece of text the oracle found before (when the
        # search's limit leaves room for all of them).
        for text, found in before_found.items():
            hits = caseload.search_everything(text, names=False)
            if len(hits) < 200:
                held = [(h.participant_id, h.kind, h.record_id, h.field) for h in hits]
                assert held == [hit for hit in found if len(hit) == 4], text
    finally:
        caseload.close()
    conn = plain_connection(path, key)
    try:
        assert "old_text" not in _tables(conn)
        assert "old_keys" not in _tables(conn)
        assert entries(conn) == before_entries
        for text, found in before_found.items():
            assert raw_matches(conn, text) == found, text
    finally:
        conn.close()


def test_demo_caseload_migrates_to_the_compact_index_finding_the_same(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "demo.db"
    # An edit, a deletion and an erasure, so the index has had entries taken out.
    demo_with_every_action(path, referral_source="A friend at the Tollcross pool")
    old_format(path)
    assert_search_finds_the_same(path, tmp_path, monkeypatch)


def test_oldest_schema_fixture_migrates_finding_the_same(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "oldest.db"
    shutil.copyfile(FIXTURE, path)
    # Straight from the first schema: m004 makes the index compact, m012 finds nothing to do.
    caseload = Caseload.open(path, clock=fixed_clock)
    try:
        assert M012 in caseload.schema_version()
        assert caseload.safety.problems() == []
    finally:
        caseload.close()
    # And as a version before m012 left it.
    shutil.copyfile(FIXTURE, path)
    open_without(path, monkeypatch, [M012, M013])
    old_format(path)
    assert_search_finds_the_same(path, tmp_path, monkeypatch)


def test_encrypted_caseload_migrates_finding_the_same(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "secret.db"
    caseload = Caseload.open(path, RAW_KEY, create=True, clock=ticking_clock(TODAY))
    build_demo(caseload, participants=8, seed=3, today=TODAY)
    caseload.close()
    old_format(path, RAW_KEY)
    assert_search_finds_the_same(path, tmp_path, monkeypatch, RAW_KEY)
    backup = next(path.parent.glob(f"{path.name}.before-{M012}*.bak"))
    assert not backup.read_bytes().startswith(b"SQLite format 3")


def test_compact_index_is_smaller(tmp_path: Path) -> None:
    """The words index and its keys take well under half the pages they took before m012."""
    path = tmp_path / "demo.db"
    caseload = Caseload.open(path, create=True, demo=True, clock=ticking_clock(TODAY))
    build_demo(caseload, participants=30, seed=2, today=TODAY)
    caseload.close()
    old = tmp_path / "old.db"
    shutil.copyfile(path, old)
    old_format(old)

    def index_bytes(file: Path) -> int:
        conn = sqlite3.connect(file)  # the standard library's SQLite has the dbstat table
        try:
            conn.execute("VACUUM")
            return int(
                conn.execute(
                    "SELECT sum(pgsize) FROM dbstat WHERE name LIKE 'text_search%' OR name IN "
                    "(SELECT name FROM sqlite_master WHERE tbl_name LIKE 'text_search%')"
                ).fetchone()[0]
            )
        finally:
            conn.close()

    assert index_bytes(path) < 0.5 * index_bytes(old)
