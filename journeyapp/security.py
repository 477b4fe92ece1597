"""Restore, the app's own log (no personal data) and process hardening. No Qt, no click.

Opening a caseload (lock, file check, key check, damage check, throttled unlocking) lives in
`Caseload.open` and `journeyapp.caseload.safety`; the names are re-exported here for callers
written before the move."""

from __future__ import annotations

import logging
import os
import sys
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from types import TracebackType

from journeyapp import paths
from journeyapp.caseload import Caseload
from journeyapp.caseload.safety import FileState, Unlocker, describe, throttle_for, tidy_leftovers
from journeyapp.core import private_files
from journeyapp.core.access import Access
from journeyapp.core.clock import wall_clock
from journeyapp.core.errors import (
    NotADatabase,
    PassphraseNeeded,
    ValidationError,
    WrongPassphrase,
)
from journeyapp.core.file_names import caseload_file
from journeyapp.store import backup as store_backup
from journeyapp.store import erasure_register
from journeyapp.store.db import FileKind
from journeyapp.store.filelock import CaseloadLock
from journeyapp.store.leftovers import (
    demo_being_built,
    finish_demo,
    remove_folder,
    remove_stale_scratch,
    scratch_folder,
)

__all__ = [
    "FileKind",
    "FileState",
    "PassphraseNeeded",
    "Unlocker",
    "backup_details",
    "demo_being_built",
    "describe",
    "erased_since",
    "erased_since_text",
    "faults_without_their_words",
    "finish_demo",
    "harden_process",
    "list_backups",
    "refuse_if_open",
    "remove_folder",
    "remove_stale_scratch",
    "restore",
    "scratch_folder",
    "setup_logging",
    "throttle_for",
    "tidy_leftovers",
]

log = logging.getLogger("journeyapp.security")


def restore(
    db_path: Path,
    backup: Path,
    key: str | bytes | None,
    *,
    clock: Callable[[], datetime] = wall_clock,
) -> tuple[store_backup.BackupCheck, Path | None]:
    """Restore `backup` over the caseload (which must not be open anywhere); returns the
    backup's counts and where the previous file was kept (named by `clock`, the same
    clock a caseload has by default, as none is open).

    A backup that is not encrypted is refused over an encrypted caseload: in its place it would
    leave every parent's details readable without a passphrase, with nothing said."""
    db_path = caseload_file(Path(db_path))  # a link's caseload is restored where it is kept
    lock = CaseloadLock(db_path, Access.WHOLE).acquire()
    try:
        check = store_backup.verify_backup(Path(backup), key)  # another program's: refused
        refusal = _unencrypting(Path(db_path), Path(backup))
        if refusal:
            raise ValidationError(refusal)
        aside = store_backup.restore_backup(Path(db_path), Path(backup), key, now=clock())
    finally:
        lock.release()
    # Parents erased since the backup was made (the erasure register says who) are erased
    # again at once, before anyone works in the restored file (issue 17).
    restored = Caseload.open(Path(db_path), key, access=Access.WHOLE, clock=clock)
    try:
        again = restored.safety.reapply_erasures()
    finally:
        restored.close()
    log.info("caseload restored from a backup (%d parents, %d erased again)", check.parents, again)
    return check, aside


def refuse_if_open(db_path: Path) -> None:
    """DatabaseInUse, nothing done, when the caseload at `db_path` is open anywhere (the
    window, a command): asked before a restore asks for the backup's passphrase or says who
    will be erased again, so neither comes before "close the window first". `restore` asks
    again as it starts."""
    if Path(db_path).is_file():
        CaseloadLock(Path(db_path), Access.WHOLE).acquire().release()


def _unencrypting(db_path: Path, backup: Path) -> str:
    """Why `backup` may not be put in place of the caseload at `db_path` ("" when it may): a
    backup that is not encrypted, over an encrypted caseload."""
    if not (describe(db_path).needs_passphrase and describe(backup).kind == FileKind.PLAIN):
        return ""
    return (
        f"{backup.name} is not encrypted, and the caseload {db_path.name} is: put in its "
        "place, it would leave every parent's details readable without a passphrase. Choose "
        "an encrypted backup of this caseload (from its backups folder), or encrypt this one "
        f"first (journeyapp passphrase --db {backup}) and restore it then. Nothing was changed."
    )


def erased_since(db_path: Path, backup: Path, key: str | bytes | None) -> int:
    """How many parents erased since `backup` was made it still holds (erased again on restore)."""
    return len(erasure_register.held_in(Path(backup), key, caseload_file(Path(db_path))))


def erased_since_text(count: int) -> str:
    """ "1 parent erased since this backup will be erased again", for the restore dialog and
    command (empty when there is none)."""
    if not count:
        return ""
    who = "1 parent" if count == 1 else f"{count} parents"
    return f"{who} erased since this backup will be erased again."


def list_backups(db_path: Path) -> list[store_backup.BackupFile]:
    """The rotating backups beside a caseload file, newest first (the caseload need not open)."""
    return store_backup.list_backups(caseload_file(Path(db_path)))


def backup_details(
    db_path: Path,
    key: str | bytes | None,
    *,
    progress: Callable[[int, int], None] | None = None,
) -> list[tuple[store_backup.BackupFile, store_backup.BackupCheck | None, str]]:
    """Each backup of a caseload with its counts (None and a reason when it cannot be read).

    Each is reopened and checked whole: seconds each for a large caseload, so a window calls
    this off its own thread; `progress(done, total)` hears before each backup."""
    result: list[tuple[store_backup.BackupFile, store_backup.BackupCheck | None, str]] = []
    backups = store_backup.list_backups(caseload_file(Path(db_path)))
    for number, backup in enumerate(backups):
        if progress is not None:
            progress(number, len(backups))
        try:
            result.append((backup, store_backup.verify_backup(backup.path, key), ""))
        except (WrongPassphrase, NotADatabase) as exc:
            result.append((backup, None, exc.message))
    return result


class _RotatingLog(logging.FileHandler):
    """logging.handlers.RotatingFileHandler's rotation (a new file past `max_bytes`, the last
    `backups` kept as .1, .2), without loading logging.handlers and the socket, pickle and
    queue modules it brings at the window's start (15-20 ms, issue 18)."""

    def __init__(self, file: Path, *, max_bytes: int, backups: int) -> None:
        super().__init__(file, mode="a", encoding="utf-8")
        self.max_bytes = max_bytes
        self.backups = backups

    def emit(self, record: logging.LogRecord) -> None:
        try:
            if self._should_roll_over(record):
                self._roll_over()
            super().emit(record)
        except Exception:  # as in logging's own handlers: a log call never raises
            self.handleError(record)

    def _should_roll_over(self, record: logging.LogRecord) -> bool:
        if self.stream is None:
            self.stream = self._open()
        at = self.stream.tell()
        return bool(at) and at + len(f"{self.format(record)}\n") >= self.max_bytes

    def _roll_over(self) -> None:
        if self.stream:
            self.stream.close()
            self.stream = None  # reopened below, as logging does
        for n in range(self.backups - 1, 0, -1):
            older, newer = f"{self.baseFilename}.{n}", f"{self.baseFilename}.{n + 1}"
            if os.path.exists(older):
                if os.path.exists(newer):
                    os.remove(newer)
                os.rename(older, newer)
        first = f"{self.baseFilename}.1"
        if os.path.exists(first):
            os.remove(first)
        if os.path.exists(self.baseFilename):
            os.rename(self.baseFilename, first)
        self.stream = self._open()


def setup_logging(folder: Path | None = None) -> Path:
    """Log JourneyApp's own events to a file in the user log folder. Messages never hold
    names, notes or passphrases: only what happened and counts."""
    if folder is None:
        folder = paths.log_dir()
    folder.mkdir(parents=True, exist_ok=True)
    file = folder / "journeyapp.log"
    root = logging.getLogger("journeyapp")
    if not any(getattr(h, "baseFilename", None) == str(file) for h in root.handlers):
        handler = _RotatingLog(file, max_bytes=512_000, backups=2)
        handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s %(message)s"))
        root.addHandler(handler)
        root.setLevel(logging.INFO)
    return file


def harden_process() -> None:
    """No core dumps (they would hold decrypted records), as KeePassXC does at start, and a
    private umask (core.private_files.harden_process, which every entry point calls)."""
    private_files.harden_process()


def faults_without_their_words(
    kind: type[BaseException], value: BaseException, tb: TracebackType | None
) -> None:
    """The window's sys.excepthook: a fault of ours is written to the error output with its
    kind and where it happened (the traceback's files, lines and code), never its message,
    unless $JOURNEYAPP_DEBUG is set.

    A message can quote what was typed (int() of a parent's words says them), and the error
    output of a window started from the desktop is kept, unencrypted, in the system journal
    or ~/.xsession-errors: a parent's words would outlive even their erasure there."""
    if os.environ.get(paths.DEBUG_ENV):
        sys.__excepthook__(kind, value, tb)
        return
    import traceback  # only when something went wrong: not loaded at every start (#18)

    name = (
        kind.__qualname__
        if kind.__module__ == "builtins"
        else f"{kind.__module__}.{kind.__qualname__}"
    )
    sys.stderr.write(
        "".join(["Traceback (most recent call last):\n", *traceback.format_tb(tb)])
        + f"{name} (what it said is left out: it may quote a parent's words; run with "
        f"{paths.DEBUG_ENV}=1 to see it)\n"
    )
