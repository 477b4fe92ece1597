"""Erasure that stays erased: the register (ids and dates, no names) outlives a restore, and
every open erases again whoever an older copy brings back (issue 17)."""

from __future__ import annotations

import shutil
from datetime import UTC, datetime, timedelta
from pathlib import Path

from click.testing import CliRunner

from journeyapp import security
from journeyapp.caseload import Caseload
from journeyapp.cli import cli
from journeyapp.store import erasure_register
from tests.clock import ticking_clock

KEY = "four quiet river stones"
START = datetime(2026, 11, 28, 9, 0, tzinfo=UTC)
CANARY = "Zyxwoqcanary"


def _caseload(path: Path) -> Caseload:
    caseload = Caseload.open(path, KEY, create=True, exclusive=True)
    caseload.clock = ticking_clock(START)
    return caseload


def _everything(path: Path) -> bytes:
    return b"".join(
        Path(str(path) + s).read_bytes()
        for s in ("", "-wal", "-shm")
        if Path(str(path) + s).exists()
    )


def test_restoring_a_backup_from_before_an_erasure_erases_them_again(tmp_path: Path) -> None:
    path = tmp_path / "caseload.db"
    caseload = _caseload(path)
    gone = caseload.enrol_participant(CANARY, "fife", full_name=f"{CANARY} Quillfeather")
    kept = caseload.enrol_participant("Morag", "fife")
    made = caseload.safety.backup(now=START)
    caseload.safety.erase_participant(gone.id, CANARY)
    caseload.close()

    # The register names nobody: ids and dates only, and it sits apart from the backups.
    register = erasure_register.register_path(path)
    assert register.parent == path.parent
    assert CANARY not in register.read_text(encoding="utf-8")
    assert gone.id in erasure_register.entries(path)

    # The restore says so first, and the restored file no longer holds them.
    count = security.erased_since(path, made.path, KEY)
    assert (
        security.erased_since_text(count)
        == "1 parent erased since this backup will be erased again."
    )
    security.restore(path, made.path, KEY)
    opened = Caseload.open(path, KEY)
    try:
        assert [p.id for p in opened.participants()] == [kept.id]
        assert opened.safety.is_erased(gone.id)
        opened.safety.checkpoint()
    finally:
        opened.close()
    from journeyapp.store.db import plain_connection

    conn = plain_connection(path, KEY)
    try:
        rows = conn.execute("SELECT count(*) FROM participants WHERE id = ?", [gone.id]).fetchone()
        assert rows[0] == 0
    finally:
        conn.close()


def test_an_old_copy_put_back_by_hand_is_erased_again_at_open(tmp_path: Path) -> None:
    path = tmp_path / "caseload.db"
    caseload = _caseload(path)
    gone = caseload.enrol_participant(CANARY, "fife")
    caseload.safety.checkpoint()
    caseload.close()
    old_copy = tmp_path / "copy.db"
    shutil.copyfile(path, old_copy)
    caseload = _caseload(path)
    caseload.safety.erase_participant(gone.id, CANARY)
    caseload.close()
    shutil.copyfile(old_copy, path)  # someone copies the old file back over the caseload
    reopened = Caseload.open(path, KEY)
    try:
        assert reopened.participants() == []
        assert reopened.safety.is_erased(gone.id)
    finally:
        reopened.close()


def test_restore_command_says_who_will_be_erased_again(tmp_path: Path) -> None:
    path = tmp_path / "caseload.db"
    caseload = _caseload(path)
    gone = caseload.enrol_participant(CANARY, "fife")
    caseload.enrol_participant("Morag", "fife")
    made = caseload.safety.backup(now=START)
    caseload.safety.erase_participant(gone.id, CANARY)
    caseload.close()
    result = CliRunner().invoke(
        cli,
        ["restore", "--db", str(path), str(made.path)],
        env={"JOURNEYAPP_PASSPHRASE": KEY},
    )
    assert result.exit_code == 0, result.output
    assert "1 parent erased since this backup will be erased again." in result.output
    assert "Restored" in result.output
    assert "Erased again: 1." in result.output


def test_set_aside_files_rotate_and_copies_elsewhere_are_listed(tmp_path: Path) -> None:
    from journeyapp.store import backup as store_backup

    path = tmp_path / "caseload.db"
    caseload = _caseload(path)
    caseload.enrol_participant("Morag", "fife")
    elsewhere = tmp_path / "usb" / "copy.db"
    elsewhere.parent.mkdir()
    caseload.safety.backup(elsewhere, now=START)
    assert [c.path for c in store_backup.copies_elsewhere(path)] == [elsewhere.resolve()]
    for days in (60, 50, 1):
        stamp = (START - timedelta(days=days)).strftime("%Y%m%d-%H%M%S")
        (tmp_path / f"caseload.db.before-restore-{stamp}").write_bytes(b"x" * 512)
    caseload.safety.backup(now=START)
    caseload.close()
    left = [a.path.name for a in store_backup.set_aside(path)]
    assert len(left) == 1  # the two older than the weekly backups went with the rotation
    assert {c.path for c in store_backup.every_copy(path)} >= {elsewhere.resolve()}
