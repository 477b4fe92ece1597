"""Upgrades: a caseload from the oldest schema opens, is migrated, and a verified backup comes first."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
import sqlcipher3.dbapi2 as sqlcipher

from journeyapp.caseload import Caseload
from journeyapp.core.errors import DatabaseTooNew, StorageError
from journeyapp.core.text import fold
from journeyapp.store import db as store_db
from journeyapp.store import migrations as schema
from journeyapp.store.connection import Database
from journeyapp.store.db import open_database
from journeyapp.store.migrations import Migrations
from journeyapp.store.upgrade import backup_before_upgrade, backup_path, batch_label
from tests.store.migrating import FIXTURE

OLDEST = ["m001_initial_schema"]
EXTRA = "m999_test_only_extra_column"
RAW_KEY = bytes(range(32))  # a raw key skips the slow passphrase derivation


def all_migrations() -> list[str]:
    """Every migration this version knows, oldest first."""
    return schema.migrations.names()


def table_counts(path: Path) -> dict[str, int]:
    """Rows per user table of a plain SQLite file, read with the standard library."""
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        names = [
            r[0]
            for r in conn.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table' "
                "AND name NOT LIKE 'sqlite_%' AND name NOT LIKE '%fts%' AND name != 'settings'"
            )
        ]
        return {n: conn.execute(f"SELECT count(*) FROM [{n}]").fetchone()[0] for n in names}
    finally:
        conn.close()


@pytest.fixture
def newer_version(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """This version plus one more migration, as a later release would have.

    The migration itself checks that the verified backup already exists when it runs.
    """
    extended = Migrations(schema.migrations.name)
    for m in schema.migrations._migrations:
        extended(name=m.name, transactional=m.transactional)(m.fn)
    seen: list[str] = []

    @extended(name=EXTRA)
    def _extra(db: Database) -> None:
        file = Path(db.execute("PRAGMA database_list").fetchone()[2])
        # Named after the migrations this version adds (the real m002 to EXTRA's m999).
        backups = sorted(file.parent.glob(f"{file.name}.before-*.bak"))
        assert backups, "the migration ran before a backup was made"
        with sqlite3.connect(backups[-1]) as check:
            assert check.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        seen.append(backups[-1].name)
        db.execute("ALTER TABLE participants ADD COLUMN pronouns TEXT")

    monkeypatch.setattr(schema, "migrations", extended)
    monkeypatch.setattr(store_db, "migrations", extended)
    return seen


def test_fixture_is_the_oldest_schema() -> None:
    conn = sqlite3.connect(f"file:{FIXTURE}?mode=ro", uri=True)
    names = [r[0] for r in conn.execute("SELECT name FROM _sqlite_migrations ORDER BY rowid")]
    conn.close()
    assert names == OLDEST
    assert all_migrations()[: len(OLDEST)] == OLDEST


def test_oldest_caseload_opens_in_this_version_with_its_data(old_copy: Path) -> None:
    before = table_counts(old_copy)
    assert before["participants"] == 4
    caseload = Caseload.open(old_copy)
    try:
        assert caseload.schema_version() == all_migrations()
        assert caseload.safety.problems() == []
        counts = caseload.counts()
        for kind, rows in before.items():
            if kind in counts:
                assert counts[kind] == rows, kind
        names = sorted(row.preferred_name for row in caseload.caseload())
        assert len(names) == 4
        journey = caseload.journey(caseload.find_participants(names[0])[0].id)
        assert journey.participant.preferred_name == names[0]
        # m004 built the one search for the caseload as it was: any part of a name, and the
        # words written about a parent.
        part = fold(names[0])[1:4]
        assert journey.participant.id in caseload.search_ids(part.upper())
        assert caseload.safety.list_problems() == []
        written = [c.note for c in journey.contacts if c.note.strip()]
        if written:
            word = max(written[0].split(), key=len)
            assert journey.participant.id in {
                h.participant_id for h in caseload.search_everything(word)
            }
    finally:
        caseload.close()


def test_up_to_date_caseload_gets_no_backup(old_copy: Path) -> None:
    Caseload.open(old_copy).close()  # upgrades the oldest schema: one backup for them all
    [first] = old_copy.parent.glob("*.bak")
    later = all_migrations()[1:]
    assert first.name == f"{old_copy.name}.before-{later[0]}-to-{later[-1][:4]}.bak"
    Caseload.open(old_copy).close()  # now up to date: no second backup
    assert list(old_copy.parent.glob("*.bak")) == [first]


def test_new_caseload_gets_no_backup(tmp_path: Path) -> None:
    Caseload.open(tmp_path / "new.db", create=True, plain=True).close()
    assert list(tmp_path.glob("*.bak")) == []


def test_upgrade_makes_a_verified_backup_before_migrating(
    old_copy: Path, newer_version: list[str]
) -> None:
    before = table_counts(old_copy)
    caseload = Caseload.open(old_copy)
    try:
        assert caseload.schema_version() == [*all_migrations()]
        assert caseload.schema_version()[-1] == EXTRA
        assert caseload.counts()["participants"] == before["participants"]
        assert "pronouns" in caseload.db.sqlite_utils_database()["participants"].columns_dict
    finally:
        caseload.close()
    # Named after the first and the last migration the oldest schema lacks.
    backup = old_copy.with_name(f"caseload.db.before-{batch_label(all_migrations()[1:])}.bak")
    assert newer_version == [backup.name]
    # The backup is the old caseload exactly: old schema, every row, one self-contained file.
    assert table_counts(backup) == before
    conn = sqlite3.connect(backup)
    assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    assert [r[0] for r in conn.execute("SELECT name FROM _sqlite_migrations")] == OLDEST
    assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "delete"
    conn.close()
    assert not backup.with_name(backup.name + "-wal").exists()
    # Opening again: already upgraded, so no second backup.
    Caseload.open(old_copy).close()
    assert sorted(p.name for p in old_copy.parent.glob("*.bak")) == [backup.name]


def test_backup_never_overwrites_an_earlier_one(old_copy: Path) -> None:
    first = backup_path(old_copy, EXTRA)
    first.write_bytes(b"an earlier backup")
    second = backup_path(old_copy, EXTRA)
    assert second != first
    assert second.name == f"caseload.db.before-{EXTRA}.2.bak"
    assert first.read_bytes() == b"an earlier backup"


def test_encrypted_caseload_backup_keeps_the_key(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "secret.db"
    oldest = Migrations(schema.migrations.name)
    first = schema.migrations._migrations[0]
    oldest(name=first.name)(first.fn)
    monkeypatch.setattr(schema, "migrations", oldest)
    monkeypatch.setattr(store_db, "migrations", oldest)
    open_database(path, RAW_KEY).close()

    extended = Migrations(schema.migrations.name)
    extended(name=first.name)(first.fn)

    @extended(name=EXTRA)
    def _extra(db: Database) -> None:
        db.execute("CREATE TABLE probe (x)")

    monkeypatch.setattr(schema, "migrations", extended)
    monkeypatch.setattr(store_db, "migrations", extended)
    open_database(path, RAW_KEY).close()
    backup = path.with_name(f"secret.db.before-{EXTRA}.bak")
    assert not backup.read_bytes().startswith(b"SQLite format 3")
    reopened = open_database(backup, RAW_KEY, migrate=False)
    try:
        assert [m.name for m in oldest.applied(reopened)] == [first.name]
    finally:
        reopened.close()


def test_newer_caseload_is_refused_without_a_backup(old_copy: Path) -> None:
    conn = sqlite3.connect(old_copy)
    conn.execute(
        "INSERT INTO _sqlite_migrations(migration_set, name, applied_at) VALUES (?, ?, ?)",
        ["journeyapp", "m998_from_the_future", "2027-01-01"],
    )
    conn.commit()
    conn.close()
    with pytest.raises(DatabaseTooNew):
        Caseload.open(old_copy)
    assert list(old_copy.parent.glob("*.bak")) == []


def test_failed_backup_stops_the_upgrade_and_changes_nothing(
    old_copy: Path, newer_version: list[str]
) -> None:
    db = open_database(old_copy, migrate=False)
    try:
        # A real connection to a folder that does not exist: the copy cannot be made.
        def nowhere(target: str) -> sqlcipher.Connection:
            return sqlcipher.connect(str(old_copy.parent / "missing" / Path(target).name))

        with pytest.raises(StorageError, match="Nothing was changed"):
            backup_before_upgrade(db, old_copy, nowhere)
        assert [m.name for m in schema.migrations.applied(db)] == OLDEST
    finally:
        db.close()
    assert newer_version == []
    assert list(old_copy.parent.glob("*.bak")) == []
