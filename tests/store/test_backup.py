"""Backups: encrypted with the same key, verified, rotated 7 daily + 4 weekly, restored safely."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from journeyapp.caseload import Caseload
from journeyapp.core.errors import DatabaseInUse, NotADatabase, StorageError, WrongPassphrase
from journeyapp.security import backup_details, restore
from journeyapp.store import backup as store_backup
from journeyapp.store.db import SQLITE_HEADER
from tests.clock import ticking_clock

KEY = bytes(range(32))
START = datetime(2026, 11, 28, 9, 0, tzinfo=UTC)


@pytest.fixture
def encrypted(tmp_path: Path) -> Caseload:
    caseload = Caseload.open(tmp_path / "work.db", KEY, create=True)
    caseload.clock = ticking_clock(START + timedelta(hours=1))
    for i in range(4):
        caseload.log_contact(caseload.enrol_participant(f"Parent {i}", "fife").id)
    yield caseload
    caseload.close()


def test_backup_is_encrypted_verified_and_needs_the_key(encrypted: Caseload) -> None:
    made = encrypted.safety.backup(now=START)
    assert made.path.parent.name == "backups"
    assert made.path.parent.parent == encrypted.path.parent
    assert made.path.read_bytes()[:16] != SQLITE_HEADER
    assert (made.parents, made.events) == (4, encrypted.counts()["journey_log"])
    with pytest.raises(WrongPassphrase):
        store_backup.verify_backup(made.path, bytes(32))
    with pytest.raises(WrongPassphrase):
        store_backup.verify_backup(made.path, None)
    assert not Path(f"{made.path}-wal").exists()
    assert not list(made.path.parent.glob("*.partial"))


def test_rotation_keeps_seven_daily_and_four_weekly(encrypted: Caseload) -> None:
    # Two backups a day for 40 days.
    for day in range(40):
        for hour in (0, 6):
            encrypted.safety.backup(now=START + timedelta(days=day, hours=hour))
    kept = [b.made_at for b in encrypted.safety.backups()]
    newest = START + timedelta(days=39, hours=6)
    days = {k.date() for k in kept}
    assert kept[0] == newest
    assert {(newest - timedelta(days=d)).date() for d in range(7)} <= days
    weeks = {k.isocalendar()[:2] for k in kept}
    assert len(weeks) >= 4
    assert len(kept) <= 7 + 4
    assert all(k.hour == 15 for k in kept), "each day keeps its newest backup"


def test_backup_if_due_waits_for_the_interval(encrypted: Caseload) -> None:
    assert encrypted.safety.backup_if_due(timedelta(hours=3), now=START) is not None
    assert (
        encrypted.safety.backup_if_due(timedelta(hours=3), now=START + timedelta(hours=1)) is None
    )
    assert (
        encrypted.safety.backup_if_due(timedelta(hours=3), now=START + timedelta(hours=4))
        is not None
    )


def test_backup_to_a_chosen_file_refuses_to_overwrite(encrypted: Caseload, tmp_path: Path) -> None:
    out = tmp_path / "usb.db"
    assert encrypted.safety.backup(out).path == out
    with pytest.raises(StorageError, match="already exists"):
        encrypted.safety.backup(out)


def test_restore_keeps_the_current_file_aside(encrypted: Caseload, tmp_path: Path) -> None:
    made = encrypted.safety.backup(now=START)
    encrypted.enrol_participant("After the backup", "fife")
    path = encrypted.path
    assert path is not None
    encrypted.close()
    check, aside = restore(path, made.path, KEY)
    assert check.parents == 4
    assert aside is not None
    assert aside.exists()
    restored = Caseload.open(path, KEY)
    assert len(restored.participants()) == 4
    restored.close()
    kept = Caseload.open(aside, KEY)
    assert len(kept.participants()) == 5
    kept.close()


def test_restore_refuses_while_the_caseload_is_open(tmp_path: Path) -> None:
    path = tmp_path / "open.db"
    window = Caseload.open(path, KEY, create=True, exclusive=True)
    made = window.safety.backup(now=START)
    with pytest.raises(DatabaseInUse, match=str(path)):
        restore(path, made.path, KEY)
    window.close()


def test_restore_over_a_damaged_file(encrypted: Caseload) -> None:
    made = encrypted.safety.backup(now=START)
    path = encrypted.path
    assert path is not None
    encrypted.close()
    data = bytearray(path.read_bytes())
    data[5000] ^= 0xFF
    path.write_bytes(bytes(data))
    with pytest.raises(NotADatabase, match="backup"):
        Caseload.open(path, KEY)
    restore(path, made.path, KEY)
    opened = Caseload.open(path, KEY)
    assert len(opened.participants()) == 4
    opened.close()


def test_backup_details_show_counts_and_unreadable_ones(encrypted: Caseload) -> None:
    encrypted.safety.backup(now=START)
    encrypted.safety.change_passphrase(KEY, "four quiet river stones")
    encrypted.safety.backup(now=START + timedelta(days=1))
    assert encrypted.path is not None
    details = backup_details(encrypted.path, "four quiet river stones")
    assert next((d[1].parents if d[1] else None) for d in details) == 4
    assert any(check is None and "passphrase" in why for _, check, why in details)
