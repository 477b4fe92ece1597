"""Encrypting a plain caseload leaves no plain copy behind (issue 17): no plain backup is made
first, and every plain copy JourneyApp made (the file's old bytes, its logs, older backups,
copies set aside by a restore, copies made before an upgrade) is removed, with a note saying so;
a new passphrase re-keys the copies made before an upgrade as it does the backups."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from journeyapp.caseload import Caseload
from journeyapp.store import backup as store_backup
from journeyapp.store import db as store_db
from journeyapp.store import migrations as schema
from journeyapp.store.db import SQLITE_HEADER
from journeyapp.store.upgrade import upgrade_copies
from tests.clock import ticking_clock

CANARY = "Zyxwoqcanary"
START = datetime(2026, 11, 28, 9, 0, tzinfo=UTC)
PHRASE = "four quiet river stones"


def _canary_in(folder: Path) -> list[str]:
    forms = (CANARY.encode(), CANARY.encode("utf-16-le"), CANARY.lower().encode())
    return [
        str(p.relative_to(folder))
        for p in folder.rglob("*")
        if p.is_file() and any(form in p.read_bytes() for form in forms)
    ]


def test_encrypting_removes_every_plain_copy_and_says_so(tmp_path: Path) -> None:
    path = tmp_path / "caseload.db"
    caseload = Caseload.open(path, create=True, plain=True)
    caseload.clock = ticking_clock(START)
    caseload.enrol_participant(CANARY, "fife", full_name=f"{CANARY} Quill")
    for day in (3, 2, 1):
        caseload.safety.backup(now=START - timedelta(days=day))
    usb = tmp_path / "usb"
    usb.mkdir()
    caseload.safety.backup(usb / "copy.db", now=START)
    plain_backups = [b.path for b in store_backup.every_copy(path)]
    assert len(plain_backups) == 4
    assert _canary_in(tmp_path)  # it is there, readable, before

    note = caseload.safety.change_passphrase(None, PHRASE)
    caseload.enrol_participant("After", "fife")
    caseload.close()

    assert "4 unencrypted backup(s) made before were deleted" in note
    assert all(p.name in note for p in plain_backups)
    assert not any(p.exists() for p in plain_backups)
    assert path.read_bytes()[:16] != SQLITE_HEADER
    # No plain byte of the parent anywhere: not the file, its logs, backups or leftovers.
    assert _canary_in(tmp_path) == []
    assert not list(tmp_path.glob("*.plain-scrub"))
    assert not list(tmp_path.glob("*.encrypting"))
    reopened = Caseload.open(path, PHRASE)
    try:
        assert {p.preferred_name for p in reopened.participants()} == {CANARY, "After"}
    finally:
        reopened.close()


def _upgraded(path: Path, key: str | None, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A caseload written by a version before m014 and upgraded by this one: its upgrade copy."""
    kept = [m for m in schema.migrations._migrations if m.name != "m014_merged_bundles"]
    with monkeypatch.context() as patch:
        patch.setattr(schema.migrations, "_migrations", kept)
        caseload = Caseload.open(path, key, create=True, plain=key is None)
        caseload.clock = ticking_clock(START)
        caseload.enrol_participant(CANARY, "fife", full_name=f"{CANARY} Quill")
        caseload.close()
    Caseload.open(path, key).close()  # the upgrade: a copy of the file as it was first
    [copy] = upgrade_copies(path)
    return copy


def test_encrypting_also_removes_a_plain_copy_made_before_an_upgrade(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "caseload.db"
    copy = _upgraded(path, None, monkeypatch)
    assert copy.read_bytes()[:16] == SQLITE_HEADER
    caseload = Caseload.open(path)
    note = caseload.safety.change_passphrase(None, PHRASE)
    caseload.close()
    assert copy.name in note
    assert not copy.exists()
    assert _canary_in(tmp_path) == []


def test_a_new_passphrase_also_rekeys_the_copy_made_before_an_upgrade(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "caseload.db"
    copy = _upgraded(path, PHRASE, monkeypatch)
    assert store_db.key_opens(copy, PHRASE)
    caseload = Caseload.open(path, PHRASE)
    caseload.safety.change_passphrase(PHRASE, "five loud harbour gulls")
    caseload.close()
    assert copy.exists()
    assert not store_db.key_opens(copy, PHRASE)  # a leaked old passphrase opens no copy
    assert store_db.key_opens(copy, "five loud harbour gulls")


def _copy_on_a_drive(caseload: Caseload, tmp_path: Path) -> tuple[Path, Path]:
    """A `backup --out` copy on a drive, then the drive unplugged: (the copy, where it is now)."""
    drive = tmp_path / "usb"
    drive.mkdir()
    made = caseload.safety.backup(drive / "copy.db", now=START)
    unplugged = tmp_path / "usb-unplugged"
    drive.rename(unplugged)
    return made.path, unplugged / "copy.db"


def test_a_new_passphrase_names_a_copy_on_a_drive_not_plugged_in(tmp_path: Path) -> None:
    caseload = Caseload.open(tmp_path / "caseload.db", PHRASE, create=True)
    caseload.clock = ticking_clock(START)
    copy, now_at = _copy_on_a_drive(caseload, tmp_path)
    note = caseload.safety.change_passphrase(PHRASE, "five loud harbour gulls")
    caseload.close()
    assert f"1 copy made with backup --out was not found where it was put ({copy})" in note
    assert "it still opens with an earlier passphrase. Delete it when you can" in note
    assert store_db.key_opens(now_at, PHRASE)  # which is why the person is told


def test_encrypting_names_a_plain_copy_on_a_drive_not_plugged_in(tmp_path: Path) -> None:
    caseload = Caseload.open(tmp_path / "caseload.db", create=True, plain=True)
    caseload.clock = ticking_clock(START)
    caseload.enrol_participant(CANARY, "fife")
    copy, now_at = _copy_on_a_drive(caseload, tmp_path)
    note = caseload.safety.change_passphrase(None, PHRASE)
    caseload.close()
    assert now_at.read_bytes()[:16] == SQLITE_HEADER  # still plain, on the drive
    assert "No unencrypted copy" not in note
    assert f"1 copy made with backup --out was not found where it was put ({copy})" in note
    assert "it is not encrypted. Delete it when you can" in note
    assert _canary_in(tmp_path) == ["usb-unplugged/copy.db"]  # the one copy named


def test_a_copy_elsewhere_deleted_by_encrypting_is_not_named_at_the_next_change(
    tmp_path: Path,
) -> None:
    caseload = Caseload.open(tmp_path / "caseload.db", create=True, plain=True)
    caseload.clock = ticking_clock(START)
    (tmp_path / "usb").mkdir()
    copy = caseload.safety.backup(tmp_path / "usb" / "copy.db", now=START).path
    first = caseload.safety.change_passphrase(None, PHRASE)
    assert copy.name in first
    assert not copy.exists()  # deleted (scrubbed) by JourneyApp itself, and said so
    second = caseload.safety.change_passphrase(PHRASE, "five loud harbour gulls")
    caseload.close()
    assert "not found" not in second
