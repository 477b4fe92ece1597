"""Backups: encrypted with the same key, verified, rotated (7 daily + 4 weekly, under 5x the caseload), restored safely."""

from __future__ import annotations

import threading
import time
import tracemalloc
from collections.abc import Iterator
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


def test_rotation_keeps_the_newest_and_the_oldest_under_five_times_the_caseload(
    encrypted: Caseload,
) -> None:
    # Two backups a day for 40 days.
    for day in range(40):
        for hour in (0, 6):
            encrypted.safety.backup(now=START + timedelta(days=day, hours=hour))
    assert encrypted.path is not None
    kept = [b.made_at for b in encrypted.safety.backups()]
    newest = START + timedelta(days=39, hours=6)
    assert kept[0] == newest
    assert newest - kept[-1] >= timedelta(days=21), "one backup reaches weeks back"
    assert all(k.hour == 15 for k in kept), "each day keeps its newest backup"
    backups = encrypted.safety.backups()
    # The caseload's size: its pages, some still in the write-ahead log (a backup is all of them).
    size = backups[0].path.stat().st_size
    assert size + sum(b.path.stat().st_size for b in backups) < 5 * size


def test_rotation_counts_copies_kept_beside_the_caseload(encrypted: Caseload) -> None:
    assert encrypted.path is not None
    for day in range(3):
        encrypted.safety.backup(now=START + timedelta(days=day))
    assert len(encrypted.safety.backups()) == 3
    # An upgrade's copy three times the caseload's size: room for only the newest backup.
    upgrade = encrypted.path.with_name(encrypted.path.name + ".before-m009_x.bak")
    upgrade.write_bytes(b"\0" * (3 * encrypted.safety.backups()[0].path.stat().st_size))
    encrypted.safety.backup(now=START + timedelta(days=3))
    assert [b.made_at for b in encrypted.safety.backups()] == [START + timedelta(days=3)]
    assert upgrade.exists(), "an upgrade copy is counted, never removed by rotation"


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
    old = encrypted.safety.backup(now=START)
    # A backup under some other key (copied in by hand from another laptop): unreadable here.
    stranger = old.path.with_name(old.path.name.replace("20261128", "20261120"))
    stranger.write_bytes(old.path.read_bytes())
    store_backup.rekey_file(stranger, KEY, bytes(32))
    note = encrypted.safety.change_passphrase(KEY, "four quiet river stones")
    encrypted.safety.backup(now=START + timedelta(days=1))
    assert encrypted.path is not None
    details = backup_details(encrypted.path, "four quiet river stones")
    assert next((d[1].parents if d[1] else None) for d in details) == 4
    # Every backup under the old passphrase was re-keyed; the stranger was deleted, and said so.
    assert "now open with the new passphrase" in note
    assert stranger.name in note
    assert not stranger.exists()
    assert all(check is not None for _, check, _why in details)
    stranger.write_bytes(encrypted.safety.backups()[0].path.read_bytes())
    store_backup.rekey_file(stranger, "four quiet river stones", bytes(32))
    details = backup_details(encrypted.path, "four quiet river stones")
    assert any(check is None and "passphrase" in why for _, check, why in details)


@pytest.fixture
def big(tmp_path: Path) -> Iterator[Caseload]:
    """An encrypted caseload of a few megabytes: a backup of it takes many steps."""
    caseload = Caseload.open(tmp_path / "big.db", KEY, create=True)
    caseload.clock = ticking_clock(START + timedelta(hours=1))
    with caseload.batch("many parents"):
        for i in range(400):
            caseload.enrol_participant(f"Parent {i}", "fife", notes=f"{i} " + "words " * 600)
    yield caseload
    caseload.close()


def test_a_save_during_a_backup_goes_ahead_at_once(big: Caseload) -> None:
    """The backup copies in steps on its own connection, inside one read snapshot: a save on
    the window's connection meanwhile neither waits for it nor restarts it."""
    steps: list[tuple[int, int]] = []
    halfway = threading.Event()
    saved = threading.Event()

    def progress(done: int, total: int) -> None:
        steps.append((done, total))
        if len(steps) == 2:
            halfway.set()
            assert saved.wait(30)  # hold the backup here, snapshot open, until the save is done

    made: list[store_backup.BackupCheck] = []

    def back_up() -> None:
        own = big.reopen()
        try:
            made.append(own.safety.backup(progress=progress))
        finally:
            own.close()

    worker = threading.Thread(target=back_up)
    worker.start()
    try:
        assert halfway.wait(30)
        start = time.perf_counter()
        late = big.enrol_participant("Saved during the backup", "fife")
        took = time.perf_counter() - start
    finally:
        saved.set()
        worker.join(60)
    assert took < 0.5, f"the save waited {took:.2f} s for the backup"
    assert len(steps) > 2
    assert [done for done, _ in steps] == sorted(done for done, _ in steps)  # never restarted
    # The backup is the caseload as it was when it began: whole, and without the later save.
    [check] = made
    assert check.parents == 400
    assert big.participant(late.id).preferred_name == "Saved during the backup"
    copy = Caseload.open(check.path, KEY, create=False)
    try:
        assert copy.find_participants("Saved during") == []
        assert len(copy.participants()) == 400
    finally:
        copy.close()


def test_stopping_a_backup_leaves_nothing_behind(big: Caseload) -> None:
    class Stop(Exception):
        pass

    def progress(done: int, total: int) -> None:
        raise Stop

    with pytest.raises(Stop):
        big.safety.backup(progress=progress)
    assert big.safety.backups() == []
    assert big.path is not None
    assert list(store_backup.backup_folder(big.path).iterdir()) == []


def test_locking_during_a_backup_does_not_wait_for_it(big: Caseload) -> None:
    """The window's lock tidies the write-ahead log without waiting for a backup's reader."""
    halfway = threading.Event()
    release = threading.Event()

    def progress(done: int, total: int) -> None:
        halfway.set()
        assert release.wait(30)

    def back_up() -> None:
        own = big.reopen()
        try:
            own.safety.backup(progress=progress)
        finally:
            own.close()

    big.enrol_participant("Something in the log", "fife")  # a write-ahead log to tidy
    worker = threading.Thread(target=back_up)
    worker.start()
    try:
        assert halfway.wait(30)
        start = time.perf_counter()
        big.safety.checkpoint(wait=False)
        took = time.perf_counter() - start
    finally:
        release.set()
        worker.join(60)
    assert took < 0.5, f"the lock waited {took:.2f} s for the backup"
    assert len(big.safety.backups()) == 1
    big.safety.checkpoint()  # with the backup done, the full tidy-up goes through


def test_verifying_a_backup_never_reads_it_whole_into_memory(big: Caseload) -> None:
    made = big.safety.backup()
    size = made.path.stat().st_size
    tracemalloc.start()
    try:
        store_backup.verify_backup(made.path, KEY)
        _current, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert size > 2_000_000
    assert peak < size / 4, f"verifying a {size:,}-byte backup held {peak:,} bytes"


# SQLite's own words for damage, which a person making a backup should not be handed.
SQLITE_WORDS = ("vtable", "malformed", "index", "page", "fts5", "constructor", "row ", ".partial")


@pytest.mark.parametrize("key", [KEY, None], ids=["encrypted", "plain"])
def test_a_backup_of_a_damaged_caseload_says_the_caseload_is_damaged_in_plain_words(
    tmp_path: Path, key: bytes | None
) -> None:
    path = tmp_path / "work.db"
    caseload = Caseload.open(path, key, create=True, plain=key is None)
    for i in range(40):
        parent = caseload.enrol_participant(f"Parent {i}", "fife", notes="y" * 300)
        caseload.log_contact(parent.id, note="z" * 200)
    folder = caseload.safety.backup(now=START).path.parent
    caseload.close()
    whole = path.read_bytes()
    refused = 0
    # A flipped byte in every fifth page: each that still opens (the check at open reads a
    # few pages only) and then fails its backup's check is refused in a person's words.
    for page in range(1, len(whole) // 4096, 5):
        damaged = bytearray(whole)
        damaged[page * 4096 + 2000] ^= 0x55
        path.write_bytes(bytes(damaged))
        try:
            opened = Caseload.open(path, key)
        except (NotADatabase, WrongPassphrase):
            continue  # refused at open, as the damage is in a page read there
        before = {p.name: p.read_bytes() for p in folder.iterdir()}
        try:
            opened.safety.backup(now=START + timedelta(hours=1))
        except StorageError as exc:
            message = exc.message
        else:
            continue  # the byte was in a note's letters (plain): the file is whole to SQLite
        finally:
            opened.close()
        refused += 1
        assert message.startswith("work.db is damaged"), message
        assert "Restore the caseload" in message
        assert not [w for w in SQLITE_WORDS if w in message.lower()], message
        assert {p.name: p.read_bytes() for p in folder.iterdir()} == before  # as they were
    assert refused >= 3


def test_a_backup_of_a_damaged_caseload_with_no_earlier_backup_does_not_offer_one(
    tmp_path: Path,
) -> None:
    path = tmp_path / "work.db"
    caseload = Caseload.open(path, KEY, create=True)
    for i in range(40):
        caseload.enrol_participant(f"Parent {i}", "fife", notes="y" * 300)
    caseload.close()
    whole = path.read_bytes()
    for page in range(len(whole) // 4096 - 1, 0, -1):  # the first page that opens damaged
        damaged = bytearray(whole)
        damaged[page * 4096 + 2000] ^= 0x55
        path.write_bytes(bytes(damaged))
        try:
            opened = Caseload.open(path, KEY)
        except (NotADatabase, WrongPassphrase):
            continue
        try:
            with pytest.raises(StorageError) as got:
                opened.safety.backup(now=START)
        finally:
            opened.close()
        break
    message = got.value.message
    assert "there is no earlier backup of it here to restore" in message
    assert "Restore the caseload" not in message
    assert not [w for w in SQLITE_WORDS if w in message.lower()], message
    assert store_backup.list_backups(path) == []


def test_a_backup_spoiled_on_its_way_to_the_drive_says_so_not_that_the_caseload_is_damaged(
    encrypted: Caseload, monkeypatch: pytest.MonkeyPatch
) -> None:
    real_fsync = store_backup._fsync

    def failing_drive(path: Path) -> None:
        data = bytearray(path.read_bytes())
        data[len(data) // 2] ^= 0x55  # the drive gives back other bytes than were written
        path.write_bytes(bytes(data))
        real_fsync(path)

    monkeypatch.setattr(store_backup, "_fsync", failing_drive)
    with pytest.raises(StorageError, match="did not read back as it was written") as got:
        encrypted.safety.backup(now=START)
    assert "work.db is damaged" not in got.value.message
    assert not [w for w in SQLITE_WORDS if w in got.value.message.lower()]
    assert encrypted.path is not None
    assert store_backup.list_backups(encrypted.path) == []
    monkeypatch.undo()
    assert encrypted.safety.whole_file_check() == []
