"""open_database: connection settings, migrations, refusing newer or foreign files."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from journeyapp.core.errors import DatabaseTooNew, NotADatabase, WrongPassphrase
from journeyapp.store.db import open_database, pending_migrations, schema_version


def test_connection_settings(db_path: Path) -> None:
    db = open_database(db_path)
    pragma = lambda name: db.execute(f"PRAGMA {name}").fetchone()[0]  # noqa: E731
    assert pragma("journal_mode") == "wal"
    assert pragma("synchronous") == 2  # FULL
    assert pragma("foreign_keys") == 1
    assert pragma("secure_delete") == 1
    assert pragma("trusted_schema") == 0
    assert pragma("temp_store") == 2  # MEMORY
    assert pragma("busy_timeout") > 0
    db.close()


def test_migrations_are_idempotent(db_path: Path) -> None:
    first = open_database(db_path)
    applied = schema_version(first)
    tables = sorted(first.table_names())
    first.close()
    again = open_database(db_path)
    assert schema_version(again) == applied
    assert sorted(again.table_names()) == tables
    assert pending_migrations(again) == []
    again.close()


def test_database_from_a_newer_version_is_refused_untouched(db_path: Path) -> None:
    open_database(db_path).close()
    with sqlite3.connect(db_path) as raw:
        raw.execute(
            "INSERT INTO _sqlite_migrations (migration_set, name, applied_at) "
            "VALUES ('journeyapp', 'm999_from_the_future', '2030-01-01')"
        )
    with sqlite3.connect(db_path) as raw:
        raw.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    before = db_path.read_bytes()
    with pytest.raises(DatabaseTooNew, match="newer version of JourneyApp"):
        open_database(db_path)
    assert db_path.read_bytes() == before


def test_foreign_sqlite_file_is_refused(tmp_path: Path) -> None:
    other = tmp_path / "other.db"
    with sqlite3.connect(other) as raw:
        raw.execute("CREATE TABLE recipes (name TEXT)")
    with pytest.raises(NotADatabase, match="not a JourneyApp caseload"):
        open_database(other)


@pytest.mark.parametrize("content", [b"\xff\xd8\xff\xe0 JPEG" * 100, b"hello", b"\x00" * 5000])
def test_non_database_files_are_refused_clearly(tmp_path: Path, content: bytes) -> None:
    path = tmp_path / "photo.db"
    path.write_bytes(content)
    with pytest.raises(NotADatabase) as err:
        open_database(path)
    assert str(path) in err.value.message
    assert path.read_bytes() == content


def test_missing_file_when_not_creating(tmp_path: Path) -> None:
    with pytest.raises(NotADatabase, match="There is no caseload"):
        open_database(tmp_path / "nope.db", create=False)
    assert not (tmp_path / "nope.db").exists()


def test_encryption_key_is_checked_at_open(db_path: Path) -> None:
    key = bytes(range(32))
    db = open_database(db_path, key)
    db.execute("INSERT INTO settings(key, value) VALUES ('canary', 'Ffion Canarywood')")
    db.close()
    raw = db_path.read_bytes()
    assert not raw.startswith(b"SQLite format 3")
    assert b"Ffion Canarywood" not in raw
    with pytest.raises(WrongPassphrase):
        open_database(db_path, bytes(32))
    with pytest.raises(NotADatabase):
        open_database(db_path)
    again = open_database(db_path, key)
    assert again.execute("SELECT value FROM settings WHERE key='canary'").fetchone()[0] == (
        "Ffion Canarywood"
    )
    again.close()
