"""Encrypting a plain caseload leaves no plain copy behind (issue 17): no plain backup is made
first, and every plain copy JourneyApp made (the file's old bytes, its logs, older backups,
copies set aside by a restore) is removed, with a note saying so."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

from journeyapp.caseload import Caseload
from journeyapp.store import backup as store_backup
from journeyapp.store.db import SQLITE_HEADER
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
