"""Backups through the SQLite backup API: encrypted with the caseload's key, verified, rotated.

A backup is written to `<name>.partial`, synced, reopened and checked (integrity_check, and
cipher_integrity_check when encrypted) and only then renamed into place, so an interrupted or
bad backup never replaces a good one. Rotation keeps the newest backup of each of the last 7
days that have one and of each of the last 4 weeks.
"""

from __future__ import annotations

import contextlib
import os
import re
import shutil
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from journeyapp.core.errors import NotADatabase, StorageError, WrongPassphrase
from journeyapp.store.db import (
    SQLITE_HEADER,
    Database,
    DatabaseError,
    FileKind,
    file_kind,
    plain_connection,
)

FOLDER = "backups"
KEEP_DAILY = 7
KEEP_WEEKLY = 4
_STAMP = "%Y%m%d-%H%M%S"
_NAME = re.compile(r"^(?P<stem>.+)-(?P<stamp>\d{8}-\d{6})\.db$")


@dataclass(frozen=True)
class BackupFile:
    """A backup on disk: where it is and when it was made (UTC, from its name)."""

    path: Path
    made_at: datetime


@dataclass(frozen=True)
class BackupCheck:
    """What reopening a backup found: its counts, and whether it is encrypted."""

    path: Path
    parents: int
    events: int
    encrypted: bool


def backup_folder(db_path: Path) -> Path:
    """The `backups/` folder beside a caseload file."""
    return db_path.parent / FOLDER


def _fsync(path: Path) -> None:
    with path.open("rb+") as handle:
        os.fsync(handle.fileno())


def _fsync_dir(folder: Path) -> None:
    # Make the rename itself durable where the OS allows opening a folder (not Windows).
    with contextlib.suppress(OSError, AttributeError):
        fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


def remove_with_sidecars(path: Path) -> None:
    """Delete a database file and any -wal, -shm or -journal file beside it (missing ones too)."""
    for suffix in ("", "-wal", "-shm", "-journal"):
        with contextlib.suppress(FileNotFoundError):
            Path(str(path) + suffix).unlink()


def write_copy(db: Database, target: Path, connect: Callable[[str], Any]) -> None:
    """Copy the open database into `target` with the SQLite backup API, then sync it to disk.

    `connect` opens `target` keyed like the source (SQLCipher copies pages only between
    databases with the same key). The copy is one self-contained file: a backup is read, not
    written, so it gets a plain rollback journal and no -wal beside it.
    """
    copy = connect(str(target))
    try:
        db.conn.backup(copy)
        copy.execute("PRAGMA journal_mode = DELETE")
    finally:
        copy.close()
    _fsync(target)


def make_backup(
    db: Database,
    db_path: Path,
    key: str | bytes | None,
    *,
    now: datetime,
    out: Path | None = None,
) -> BackupCheck:
    """Copy the open caseload to a verified backup (in `backups/`, or to `out`), named by
    `now` (the caseload's clock)."""
    when = now.astimezone(UTC)
    if out is None:
        folder = backup_folder(db_path)
        try:
            folder.mkdir(exist_ok=True)
        except OSError as exc:
            raise StorageError(
                f"Cannot make the backups folder {folder}: {exc.strerror}. "
                "Check there is free space and the folder can be written."
            ) from None
        target = folder / f"{db_path.stem}-{when.strftime(_STAMP)}.db"
    else:
        target = Path(out)
        if target.exists():
            raise StorageError(f"{target} already exists; choose a new name so nothing is lost.")
    partial = target.with_name(target.name + ".partial")
    remove_with_sidecars(partial)
    try:
        write_copy(db, partial, lambda target: plain_connection(target, key))
        check = verify_backup(partial, key)
        os.replace(partial, target)
        _fsync_dir(target.parent)
    except DatabaseError as exc:
        remove_with_sidecars(partial)
        raise StorageError(
            f"The backup could not be written ({exc}); your caseload is unchanged. "
            "Check there is free disk space."
        ) from None
    except OSError as exc:
        remove_with_sidecars(partial)
        raise StorageError(
            f"The backup could not be written ({exc.strerror}); your caseload is unchanged. "
            "Check there is free disk space and the folder can be written."
        ) from None
    except (NotADatabase, WrongPassphrase) as exc:
        remove_with_sidecars(partial)
        raise StorageError(f"The new backup did not pass its check: {exc.message}") from None
    return BackupCheck(target, check.parents, check.events, check.encrypted)


def verify_backup(path: Path, key: str | bytes | None) -> BackupCheck:
    """Reopen a backup with `key`, run the integrity checks and count its parents and events.

    Raises WrongPassphrase (it does not open with this key) or NotADatabase (damaged/foreign).
    """
    kind, detail = file_kind(path)
    if kind in (FileKind.MISSING, FileKind.EMPTY, FileKind.FOREIGN):
        raise NotADatabase(f"{path} is not a JourneyApp backup{f' ({detail})' if detail else ''}.")
    encrypted = kind == FileKind.ENCRYPTED
    if encrypted and key is None:
        raise WrongPassphrase(f"{path} is encrypted; give its passphrase.")
    if not encrypted:
        key = None  # a plain (demo) backup opens without a key
    try:
        conn = plain_connection(path, key)
    except DatabaseError as exc:
        raise NotADatabase(f"Cannot open {path}: {exc}.") from None
    try:
        try:
            conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
        except DatabaseError:
            if encrypted:
                raise WrongPassphrase(
                    f"{path.name} does not open with this passphrase (it may have been made "
                    "before the passphrase was changed), or it is damaged."
                ) from None
            raise
        problems = [str(r[0]) for r in conn.execute("PRAGMA integrity_check").fetchall()]
        if problems != ["ok"]:
            raise NotADatabase(f"{path.name} is damaged ({problems[0]}); use another backup.")
        if encrypted:
            bad = conn.execute("PRAGMA cipher_integrity_check").fetchall()
            if bad:
                raise NotADatabase(f"{path.name} is damaged ({bad[0][0]}); use another backup.")
        parents = int(conn.execute("SELECT count(*) FROM participants").fetchone()[0])
        events = int(conn.execute("SELECT count(*) FROM journey_log").fetchone()[0])
    except DatabaseError as exc:
        raise NotADatabase(
            f"{path.name} is not a JourneyApp backup or is damaged ({exc}); use another backup."
        ) from None
    finally:
        conn.close()
    if encrypted and path.read_bytes()[:16] == SQLITE_HEADER:  # pragma: no cover - belt and braces
        raise NotADatabase(f"{path.name} is not encrypted as it should be.")
    return BackupCheck(path, parents, events, encrypted)


def list_backups(db_path: Path) -> list[BackupFile]:
    """The rotating backups of a caseload, newest first."""
    folder = backup_folder(db_path)
    if not folder.is_dir():
        return []
    found = []
    for path in folder.iterdir():
        match = _NAME.match(path.name)
        if match and match["stem"] == db_path.stem and path.is_file():
            made = datetime.strptime(match["stamp"], _STAMP).replace(tzinfo=UTC)
            found.append(BackupFile(path, made))
    return sorted(found, key=lambda b: b.made_at, reverse=True)


def rotate(db_path: Path, *, daily: int = KEEP_DAILY, weekly: int = KEEP_WEEKLY) -> list[Path]:
    """Delete backups beyond the newest of each of the last `daily` days and `weekly` weeks."""
    backups = list_backups(db_path)
    keep: set[Path] = set()
    days: dict[object, Path] = {}
    weeks: dict[object, Path] = {}
    for backup in backups:  # newest first, so the first seen in a bucket is its newest
        day = backup.made_at.date()
        week = day.isocalendar()[:2]
        if day not in days and len(days) < daily:
            days[day] = backup.path
        if week not in weeks and len(weeks) < weekly:
            weeks[week] = backup.path
    keep.update(days.values(), weeks.values())
    if backups:
        keep.add(backups[0].path)
    removed = []
    for backup in backups:
        if backup.path not in keep:
            remove_with_sidecars(backup.path)
            removed.append(backup.path)
    return removed


def restore_backup(
    db_path: Path, backup: Path, key: str | bytes | None, *, now: datetime
) -> Path | None:
    """Put a verified backup in place of the caseload; the current file is first kept aside.

    Returns where the previous file was kept (None when there was none). The caller must hold
    the caseload's exclusive lock and have no connection open on it.
    """
    verify_backup(backup, key)
    when = now.astimezone(UTC)
    aside: Path | None = None
    try:
        if db_path.exists():
            aside = db_path.with_name(f"{db_path.name}.before-restore-{when.strftime(_STAMP)}")
            for suffix in ("", "-wal", "-shm"):
                source = Path(str(db_path) + suffix)
                if source.exists():
                    os.replace(source, Path(str(aside) + suffix))
        incoming = db_path.with_name(db_path.name + ".restoring")
        shutil.copyfile(backup, incoming)
        _fsync(incoming)
        os.replace(incoming, db_path)
        _fsync_dir(db_path.parent)
    except OSError as exc:
        raise StorageError(
            f"Could not restore ({exc.strerror}). "
            + (f"The previous caseload is kept at {aside}." if aside else "")
        ) from None
    return aside
