"""An upgrade that frees much of a caseload gives the room back (VACUUM once, after the
migrations committed): the file shrinks, keeps every record and export, stays in WAL mode and
keeps its key; a VACUUM that cannot run leaves the caseload as it was, usable, and a reader
during the upgrade only delays the smaller file until the next checkpoint."""

from __future__ import annotations

import logging
import shutil
import sqlite3
from pathlib import Path
from types import SimpleNamespace
from typing import cast

import pytest
import sqlcipher3.dbapi2 as sqlcipher

from journeyapp.caseload import Caseload
from journeyapp.store import db as store_db
from journeyapp.store.connection import Database
from journeyapp.store.db import export_encrypted, open_database
from journeyapp.store.upgrade import FREE_SHARE, give_back_room
from tests.store.migrating import FIXTURE, demo_with_every_action, user_tables
from tests.store.test_compact_log import assert_m009_keeps_everything
from tests.store.test_smaller_log import as_before_m015, assert_m015_keeps_everything

PASSPHRASE = "a long passphrase for the laptop"


def _on_disk(path: Path) -> int:
    """The caseload's bytes on disk: the file and its write-ahead log, if any."""
    wal = path.with_name(path.name + "-wal")
    return path.stat().st_size + (wal.stat().st_size if wal.exists() else 0)


def _pages(path: Path) -> tuple[int, int, str]:
    conn = sqlite3.connect(path)
    try:
        pages = int(conn.execute("PRAGMA page_count").fetchone()[0])
        free = int(conn.execute("PRAGMA freelist_count").fetchone()[0])
        mode = str(conn.execute("PRAGMA journal_mode").fetchone()[0])
        return pages, free, mode
    finally:
        conn.close()


def _assert_given_back(path: Path, before: int) -> None:
    pages, free, mode = _pages(path)
    assert mode == "wal"
    assert free < FREE_SHARE * pages
    assert path.stat().st_size < before
    wal = path.with_name(path.name + "-wal")
    assert not wal.exists() or wal.stat().st_size < before // 4


@pytest.fixture
def before_m015(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A demo caseload that has had every action, as a version before m015 left it (m015 frees
    about a sixth of its pages)."""
    path = tmp_path / "demo.db"
    demo_with_every_action(path, phone="07700 900123", notes="Prefers mornings")
    as_before_m015(path, monkeypatch)
    return path


def test_demo_caseload_upgrade_gives_back_the_room_and_keeps_every_record_and_export(
    before_m015: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    before = _on_disk(before_m015)
    assert_m015_keeps_everything(before_m015, tmp_path, monkeypatch)  # records, exports equal
    _assert_given_back(before_m015, before)


def test_oldest_schema_fixture_upgrade_gives_back_the_room_and_keeps_everything(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The oldest schema gains every later table, so this file grows; what it must not keep is
    # the room m009 and m015 freed.
    path = tmp_path / "oldest.db"
    shutil.copyfile(FIXTURE, path)
    assert_m009_keeps_everything(path, tmp_path, monkeypatch)  # records, exports equal
    pages, free, mode = _pages(path)
    assert mode == "wal"
    assert free < FREE_SHARE * pages


def test_encrypted_caseload_shrinks_and_opens_with_its_passphrase_after_the_upgrade(
    before_m015: Path, tmp_path: Path
) -> None:
    plain = before_m015
    secret = tmp_path / "secret.db"
    source = open_database(plain, migrate=False)
    try:
        export_encrypted(source, secret, PASSPHRASE)
    finally:
        source.close()
    before = _on_disk(secret)
    caseload = Caseload.open(plain)  # the same caseload upgraded unencrypted, to compare with
    try:
        expected = (
            len(caseload.caseload()),
            caseload.db.execute("SELECT count(*), max(seq) FROM journey_log").fetchone(),
        )
    finally:
        caseload.close()

    caseload = Caseload.open(secret, PASSPHRASE)  # m015, then the VACUUM
    caseload.close()
    assert _on_disk(secret) < before
    assert not secret.read_bytes()[:16].startswith(b"SQLite format 3")
    caseload = Caseload.open(secret, PASSPHRASE)
    try:
        assert caseload.safety.problems() == []
        got = (
            len(caseload.caseload()),
            caseload.db.execute("SELECT count(*), max(seq) FROM journey_log").fetchone(),
        )
        assert got == expected
        assert str(caseload.db.execute("PRAGMA journal_mode").fetchone()[0]) == "wal"
    finally:
        caseload.close()


def test_a_vacuum_that_cannot_run_leaves_the_caseload_as_it_was_and_usable(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    path = tmp_path / "demo.db"
    demo_with_every_action(path)
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("CREATE TABLE scratch AS SELECT randomblob(4000) AS b FROM journey_log")
    conn.execute("DROP TABLE scratch")  # free pages, as a migration leaves them
    conn.close()
    before = user_tables(path)
    pages, free, _ = _pages(path)
    assert free >= FREE_SHARE * pages

    db = open_database(path)
    other = sqlcipher.connect(str(path), isolation_level=None)  # another program writing
    try:
        other.execute("BEGIN IMMEDIATE")
        db.execute("PRAGMA busy_timeout = 50")
        with caplog.at_level(logging.WARNING, logger="journeyapp.store"):
            assert give_back_room(db) is False
        assert "VACUUM failed" in caplog.text
        other.execute("ROLLBACK")
        assert db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    finally:
        other.close()
        db.close()
    assert _pages(path)[:2] == (pages, free)
    assert user_tables(path) == before
    caseload = Caseload.open(path)
    try:
        assert caseload.safety.problems() == []
    finally:
        caseload.close()


class _FullDisk:
    """A caseload's connection on which VACUUM fails as on a full disk (everything else goes
    through to the real connection)."""

    def __init__(self, conn: sqlcipher.Connection) -> None:
        self._conn = conn
        self.refused = 0

    def __getattr__(self, name: str) -> object:
        return getattr(self._conn, name)

    def execute(self, sql: str, *args: object) -> sqlcipher.Cursor:
        if sql.strip().upper() == "VACUUM":
            self.refused += 1
            raise sqlcipher.OperationalError("database or disk is full")
        return self._conn.execute(sql, *args)


def test_a_vacuum_failing_during_the_upgrade_loses_nothing_and_is_logged(
    before_m015: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    rows = user_tables(before_m015)
    tried: list[_FullDisk] = []

    def on_a_full_disk(db: Database) -> bool:
        tried.append(_FullDisk(db.conn))
        return give_back_room(cast(Database, SimpleNamespace(conn=tried[-1])))

    monkeypatch.setattr(store_db, "give_back_room", on_a_full_disk)
    with caplog.at_level(logging.WARNING, logger="journeyapp.store"):
        caseload = Caseload.open(before_m015)  # m015, then the VACUUM that fails
        try:
            assert "m015_smaller_journey_log" in caseload.schema_version()
            assert caseload.safety.problems() == []
        finally:
            caseload.close()
    assert [t.refused for t in tried] == [1]  # tried once, not again
    assert caplog.text.count("VACUUM failed (database or disk is full)") == 1
    assert user_tables(before_m015) == rows
    pages, free, mode = _pages(before_m015)
    assert mode == "wal"
    assert free >= FREE_SHARE * pages  # the room is not given back; nothing else is lost
    caseload = Caseload.open(before_m015, check="full")
    caseload.close()


def test_a_reader_during_the_upgrade_only_delays_the_smaller_file(before_m015: Path) -> None:
    path = before_m015
    before = _on_disk(path)
    rows = user_tables(path)
    reader = sqlite3.connect(path, isolation_level=None)  # another window reading the caseload
    try:
        reader.execute("BEGIN")
        reader.execute("SELECT count(*) FROM participants").fetchone()
        caseload = Caseload.open(path)  # m015 and the VACUUM; its checkpoint waits for the reader
        try:
            assert caseload.safety.problems() == []
        finally:
            caseload.close()
        reader.execute("COMMIT")
    finally:
        reader.close()
    Caseload.open(path).close()  # nothing to upgrade; closing checkpoints the log into the file
    assert user_tables(path) == rows
    _assert_given_back(path, before)
