"""The copies kept before upgrades stay bounded (#18): one verified copy per upgrade however many
migrations it runs, named after them; once an upgrade succeeds and the file checks out whole,
the copies of earlier upgrades go (the log says which) and its own stays; a migration that
fails removes nothing; the caseload, its backups and its copies stay under 5 times its size."""

from __future__ import annotations

import logging
import os
import sqlite3
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from journeyapp.caseload import Caseload
from journeyapp.core.errors import StorageError
from journeyapp.store import backup as store_backup
from journeyapp.store import db as store_db
from journeyapp.store import migrations as schema
from journeyapp.store.connection import Database
from journeyapp.store.upgrade import remove_older_copies, upgrade_copies
from tests.store import test_compact_log, test_compact_search
from tests.store.migrating import demo_with_every_action, fixed_clock, open_without, user_tables

M009 = "m009_compact_journey_log"
M012 = "m012_compact_search"
M013 = "m013_covered_indexes"
M015 = "m015_smaller_journey_log"
FAILS = "m999_fails_midway"
LAST = [m.name for m in schema.migrations._migrations][-1]  # this release's last migration
START = datetime(2026, 11, 2, 9, 0, tzinfo=UTC)


def _names() -> list[str]:
    return [m.name for m in schema.migrations._migrations]


def _applied(file: Path) -> list[str]:
    conn = sqlite3.connect(f"file:{file}?mode=ro", uri=True)
    try:
        return [r[0] for r in conn.execute("SELECT name FROM _sqlite_migrations ORDER BY rowid")]
    finally:
        conn.close()


def _size(path: Path) -> int:
    return path.stat().st_size if path.exists() else 0


@pytest.fixture
def failing(monkeypatch: pytest.MonkeyPatch) -> list[bool]:
    """This version plus a migration that writes, then fails midway (while `fail[0]` is True)
    and runs whole once it is set False, as a corrected release would."""
    fail = [True]

    def fails_midway(db: Database) -> None:
        db.execute("UPDATE participants SET notes = 'half-way'")
        if fail[0]:
            db.execute("SELECT * FROM a_table_nobody_made")  # sqlite3: no such table

    monkeypatch.setattr(schema.migrations, "_migrations", [*schema.migrations._migrations])
    schema.migrations(name=FAILS)(fails_midway)  # added to this test's list only
    return fail


def test_an_upgrade_through_every_migration_makes_one_copy_named_after_them(
    old_copy: Path,
) -> None:
    before = user_tables(old_copy)
    Caseload.open(old_copy, clock=fixed_clock).close()
    later = _names()[1:]
    assert len(later) > 10
    [copy] = upgrade_copies(old_copy)
    assert copy.name == f"caseload.db.before-{later[0]}-to-{later[-1][:4]}.bak"
    assert _applied(copy) == _names()[:1]
    assert user_tables(copy) == before
    assert list(old_copy.parent.glob("*.bak")) == [copy]


def test_several_upgrades_keep_only_the_newest_copy_and_stay_under_five_times(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    path = tmp_path / "demo.db"
    demo_with_every_action(path, phone="07700 900123")
    test_compact_log.old_format(path)  # the log as before m009 (and m015)
    test_compact_search.old_format(path)  # the words index as before m012 and m013
    steps = [{M012, M013, M015}, {M015}, set()]  # three releases, each upgrading the last's
    made: list[Path] = []
    for day, left_out in enumerate(steps):
        applied = _applied(path)
        before = user_tables(path)
        kept = [m for m in schema.migrations._migrations if m.name not in left_out]
        with monkeypatch.context() as patch, caplog.at_level(logging.INFO, "journeyapp.store"):
            patch.setattr(schema.migrations, "_migrations", kept)  # this release
            caplog.clear()
            Caseload.open(path, clock=fixed_clock).close()  # upgrades
            [copy] = upgrade_copies(path)  # this upgrade's copy, the earlier ones gone
            assert copy not in made
            assert _applied(copy) == applied
            assert user_tables(copy) == before
            if made:
                assert f"deleted 1 earlier upgrade copies ({made[-1].name})" in caplog.text
            made.append(copy)
            # A day's use before the next release: a backup, rotated with the copy counted.
            caseload = Caseload.open(path, clock=fixed_clock)
            caseload.safety.backup(now=START + timedelta(days=day))
            caseload.close()
            assert upgrade_copies(path) == [copy]
    assert sorted(_applied(path)) == sorted(_names())
    backups = [b.path for b in store_backup.list_backups(path)]
    assert backups
    caseload_size = max(_size(path), _size(backups[0]))
    total = _size(path) + sum(map(_size, backups)) + sum(map(_size, upgrade_copies(path)))
    assert total < store_backup.MAX_TIMES_CASELOAD * caseload_size


def test_a_migration_that_fails_midway_removes_nothing_and_the_fixed_one_tidies_up(
    old_copy: Path, monkeypatch: pytest.MonkeyPatch, failing: list[bool]
) -> None:
    open_without(old_copy, monkeypatch, set(_names()[5:]))  # an older release: m002 to m005
    [first] = upgrade_copies(old_copy)
    for attempt in (1, 2):
        copies = upgrade_copies(old_copy)
        with pytest.raises(StorageError):
            Caseload.open(old_copy, clock=fixed_clock)
        after = upgrade_copies(old_copy)
        assert set(copies) < set(after), f"attempt {attempt}: a copy was removed"
        assert len(after) == len(copies) + 1
        assert first in after
        # The failed migration's writes are rolled back; the ones before it stay committed.
        assert FAILS not in _applied(old_copy)
        assert _applied(old_copy)[-1] == LAST
        conn = sqlite3.connect(old_copy)
        try:
            assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
            assert conn.execute(
                "SELECT count(*) FROM participants WHERE notes = 'half-way'"
            ).fetchone() == (0,)
        finally:
            conn.close()
    failed = upgrade_copies(old_copy)
    assert len(failed) == 3
    failing[0] = False  # the corrected release
    Caseload.open(old_copy, clock=fixed_clock).close()
    [kept] = upgrade_copies(old_copy)
    assert kept not in failed
    assert kept.name.startswith(f"caseload.db.before-{FAILS}")
    assert _applied(kept)[-1] == LAST
    assert _applied(old_copy)[-1] == FAILS


def test_copies_stay_when_the_upgraded_file_does_not_check_out(
    old_copy: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    open_without(old_copy, monkeypatch, {M015})
    [first] = upgrade_copies(old_copy)
    monkeypatch.setattr(store_db, "whole_file_problems", lambda *a, **k: ["page 7: damaged"])
    with caplog.at_level(logging.WARNING, logger="journeyapp.store"):
        Caseload.open(old_copy, clock=fixed_clock).close()
    assert first in upgrade_copies(old_copy)
    assert len(upgrade_copies(old_copy)) == 2
    assert "did not check out (page 7: damaged)" in caplog.text


def test_only_copies_older_than_the_kept_one_go_and_never_without_it(tmp_path: Path) -> None:
    file = tmp_path / "caseload.db"
    kept, older, newer = (
        tmp_path / f"caseload.db.before-{name}.bak" for name in ("m010_b", "m009_a", "m011_c")
    )
    for moment, copy in ((200, kept), (100, older), (300, newer)):
        copy.write_bytes(b"a copy")
        os.utime(copy, ns=(moment * 10**9, moment * 10**9))
    unrelated = tmp_path / "caseload.db.before-restore-20261101-090000"
    unrelated.write_bytes(b"set aside by a restore")
    checked: list[bool] = []

    def check() -> list[str]:
        checked.append(True)
        return []

    assert remove_older_copies(file, tmp_path / "gone.bak", check) == []  # its copy is gone
    assert checked == []
    assert remove_older_copies(file, kept, check) == [older]
    assert checked == [True]
    assert sorted(upgrade_copies(file)) == sorted([kept, newer])  # another program's, newer
    assert unrelated.exists()
    assert remove_older_copies(file, kept, check) == []  # nothing older: no check run
    assert checked == [True]
