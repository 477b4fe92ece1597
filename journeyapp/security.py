"""Restore, the app's own log (no personal data) and process hardening. No Qt, no click.

Opening a caseload (lock, file check, key check, damage check, throttled unlocking) lives in
`Caseload.open` and `journeyapp.caseload.safety`; the names are re-exported here for callers
written before the move."""

from __future__ import annotations

import contextlib
import logging
import logging.handlers
import sys
from collections.abc import Callable
from datetime import datetime
from pathlib import Path

from journeyapp import paths
from journeyapp.caseload import Caseload
from journeyapp.caseload.safety import FileState, RememberedThrottle, Unlocker, describe
from journeyapp.core.errors import NotADatabase, PassphraseNeeded, WrongPassphrase
from journeyapp.core.validation import wall_clock
from journeyapp.store import backup as store_backup
from journeyapp.store.db import FileKind
from journeyapp.store.filelock import CaseloadLock

__all__ = [
    "FileKind",
    "FileState",
    "PassphraseNeeded",
    "RememberedThrottle",
    "Unlocker",
    "backup_details",
    "describe",
    "harden_process",
    "list_backups",
    "open_caseload",
    "restore",
    "setup_logging",
]

log = logging.getLogger("journeyapp.security")


def open_caseload(
    path: Path,
    key: str | bytes | None = None,
    *,
    exclusive: bool = False,
    create: bool = False,
    check: bool = True,
    demo: bool = False,
) -> Caseload:
    """Deprecated: call `Caseload.open(path, key, create=, exclusive=, check=, demo=)`, which
    this calls (kept while the command line moves over to it). A new file needs a key, or
    `demo` for an unencrypted demo caseload."""
    return Caseload.open(
        path,
        key,
        create=create,
        exclusive=exclusive,
        check="quick" if check else "none",
        demo=demo,
    )


def restore(
    db_path: Path,
    backup: Path,
    key: str | bytes | None,
    *,
    clock: Callable[[], datetime] = wall_clock,
) -> tuple[store_backup.BackupCheck, Path | None]:
    """Restore `backup` over the caseload (which must not be open anywhere); returns the
    backup's counts and where the previous file was kept (named by `clock`, the same
    clock a caseload has by default, as none is open)."""
    lock = CaseloadLock(Path(db_path), exclusive=True).acquire()
    try:
        check = store_backup.verify_backup(Path(backup), key)
        aside = store_backup.restore_backup(Path(db_path), Path(backup), key, now=clock())
    finally:
        lock.release()
    log.info("caseload restored from a backup (%d parents)", check.parents)
    return check, aside


def list_backups(db_path: Path) -> list[store_backup.BackupFile]:
    """The rotating backups beside a caseload file, newest first (the caseload need not open)."""
    return store_backup.list_backups(Path(db_path))


def backup_details(
    db_path: Path, key: str | bytes | None
) -> list[tuple[store_backup.BackupFile, store_backup.BackupCheck | None, str]]:
    """Each backup of a caseload with its counts (None and a reason when it cannot be read)."""
    result: list[tuple[store_backup.BackupFile, store_backup.BackupCheck | None, str]] = []
    for backup in store_backup.list_backups(Path(db_path)):
        try:
            result.append((backup, store_backup.verify_backup(backup.path, key), ""))
        except (WrongPassphrase, NotADatabase) as exc:
            result.append((backup, None, exc.message))
    return result


def setup_logging(folder: Path | None = None) -> Path:
    """Log JourneyApp's own events to a file in the user log folder. Messages never hold
    names, notes or passphrases: only what happened and counts."""
    if folder is None:
        folder = paths.log_dir()
    folder.mkdir(parents=True, exist_ok=True)
    file = folder / "journeyapp.log"
    root = logging.getLogger("journeyapp")
    if not any(getattr(h, "baseFilename", None) == str(file) for h in root.handlers):
        handler = logging.handlers.RotatingFileHandler(
            file, maxBytes=512_000, backupCount=2, encoding="utf-8"
        )
        handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s %(message)s"))
        root.addHandler(handler)
        root.setLevel(logging.INFO)
    return file


def harden_process() -> None:
    """No core dumps (they would hold decrypted records), as KeePassXC does at start."""
    if sys.platform != "win32":
        import resource

        with contextlib.suppress(ValueError, OSError):
            resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
