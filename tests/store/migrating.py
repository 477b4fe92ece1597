"""What every test of a migration that rewrites stored data checks, in one place: a caseload as a
version without those migrations left it, then migrated (a verified copy first), keeps every row
and every export byte for byte, and its copy holds the caseload as it was."""

from __future__ import annotations

import sqlite3
import zipfile
from collections.abc import Collection
from datetime import UTC, datetime
from pathlib import Path

import pytest
import sqlcipher3.dbapi2 as sqlcipher

from journeyapp.caseload import Caseload
from journeyapp.demo import build_demo
from journeyapp.exchange.export import ExportOptions, export
from journeyapp.store import migrations as schema
from journeyapp.store.db import plain_connection
from tests.clock import ticking_clock
from tests.conftest import TODAY

FIXTURE = Path(__file__).resolve().parent.parent / "fixtures" / "oldest-schema.db"
KEY = bytes(range(32))  # the partnership's pseudonym key, the same for every export here


def fixed_clock() -> datetime:
    """The caseload's "now" in these tests ("made at" in each export's notes)."""
    return datetime(2026, 11, 28, 10, 0, tzinfo=UTC)


def user_tables(path: Path, key: bytes | None = None) -> dict[str, list[tuple[object, ...]]]:
    """Every row of every table (and of the journey log, table or view): read with the standard
    library's sqlite3 when the file is plain, with the caseload's key when it is encrypted."""
    conn: sqlite3.Connection | sqlcipher.Connection = (
        sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        if key is None
        else plain_connection(path, key)
    )
    try:
        names = [
            r[0]
            for r in conn.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' "
                "AND name NOT LIKE 'journal%' AND name NOT LIKE '%search%' "
                "AND name NOT IN ('_sqlite_migrations', 'settings')"
            )
        ]
        names.append("journey_log") if "journey_log" not in names else None
        return {
            n: sorted(conn.execute(f'SELECT * FROM "{n}"').fetchall(), key=repr)
            if n != "journey_log"
            else conn.execute("SELECT * FROM journey_log ORDER BY seq").fetchall()
            for n in names
        }
    finally:
        conn.close()


def exports(caseload: Caseload, out: Path) -> dict[str, bytes]:
    """Every export a coordinator or keyworker can make, as file name -> bytes (an XLSX as its
    parts, less the one that holds the moment it was written)."""
    found: dict[str, bytes] = {}
    runs = [
        (f"pseudonymised-{fmt}", ExportOptions(format=fmt, key=KEY))
        for fmt in ("csv", "jsonl", "xlsx")
    ]
    for name, options in runs:
        result = export(caseload, out / name, options)
        for file in sorted(result.files):
            if zipfile.is_zipfile(file):
                with zipfile.ZipFile(file) as book:
                    for part in sorted(book.namelist()):
                        if part != "docProps/core.xml":
                            found[f"{name}/{file.name}/{part}"] = book.read(part)
            else:
                found[f"{name}/{file.name}"] = file.read_bytes()
    return found


def demo_with_every_action(path: Path, **edit: str) -> None:
    """A 40-parent demo caseload in which one parent's record was edited (`edit`), a contact
    deleted and another parent erased, so its log and indexes have had every action."""
    caseload = Caseload.open(path, create=True, demo=True, clock=ticking_clock(TODAY))
    build_demo(caseload, participants=40, seed=5, today=TODAY)
    first, second = caseload.caseload()[:2]
    caseload.update_participant(second.id, **edit)
    contact = caseload.db.execute(
        "SELECT id FROM contacts WHERE participant_id = ? LIMIT 1", [second.id]
    ).fetchone()[0]
    caseload.delete_record("contacts", contact)
    caseload.safety.erase_participant(first.id, first.preferred_name)
    caseload.close()


def assert_same_exports(before: dict[str, bytes], after: dict[str, bytes]) -> None:
    """Every export file written before a migration written again after it, byte for byte."""
    assert after.keys() == before.keys()
    for name, data in before.items():
        assert after[name] == data, name


def upgrade_copies(path: Path) -> set[Path]:
    """The copies kept beside `path` before an upgrade."""
    return set(path.parent.glob(f"{path.name}.before-m*.bak"))


def open_without(
    path: Path, mp: pytest.MonkeyPatch, left_out: Collection[str], key: bytes | None = None
) -> None:
    """Open and close `path` as a version without the `left_out` migrations would (every other
    migration it lacks applied)."""
    kept = [m for m in schema.migrations._migrations if m.name not in left_out]
    with mp.context() as patch:
        patch.setattr(schema.migrations, "_migrations", kept)
        Caseload.open(path, key, clock=fixed_clock).close()


def assert_migration_keeps_everything(
    path: Path,
    tmp_path: Path,
    mp: pytest.MonkeyPatch,
    left_out: Collection[str],
    key: bytes | None = None,
) -> None:
    """Open `path` as a version without the `left_out` migrations and export everything; then
    migrate it and find every row and every export the same, byte for byte; a table the
    migrations add holds no rows, and the one copy made before them holds every row as it was.
    (`key`: an encrypted caseload's raw key.)"""
    names = [m.name for m in schema.migrations._migrations]
    assert left_out
    assert set(left_out) <= set(names)
    kept = [m for m in schema.migrations._migrations if m.name not in left_out]
    with mp.context() as patch:
        patch.setattr(schema.migrations, "_migrations", kept)
        caseload = Caseload.open(path, key, clock=fixed_clock)
        try:
            assert not set(left_out) & set(caseload.schema_version())
            before_exports = exports(caseload, tmp_path / "before")
        finally:
            caseload.close()
    before = user_tables(path, key)
    copies = upgrade_copies(path)
    caseload = Caseload.open(path, key, clock=fixed_clock)  # migrates, a verified copy first
    try:
        assert set(left_out) <= set(caseload.schema_version())
        assert caseload.safety.problems() == []
        after_exports = exports(caseload, tmp_path / "after")
    finally:
        caseload.close()
    first = next(name for name in names if name in left_out)
    made = upgrade_copies(path) - copies
    assert len(made) == 1, f"one copy before {first}, not {sorted(p.name for p in made)}"
    [copy] = made
    assert copy.name.startswith(f"{path.name}.before-{first}"), copy.name
    assert user_tables(copy, key) == before
    after = user_tables(path, key)
    for name in after.keys() - before.keys():
        assert after.pop(name) == [], f"{name}: a migration made records up"
    assert after == before
    assert sum("journey_log" in name for name in before_exports) == 2  # csv, jsonl (and a sheet)
    assert_same_exports(before_exports, after_exports)
