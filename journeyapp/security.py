"""Opening a caseload safely (lock, file check, key check, damage check), unlock throttling,
restore, the app's own log (no personal data) and process hardening. No Qt, no click."""

from __future__ import annotations

import logging
import logging.handlers
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from journeyapp import paths
from journeyapp.caseload import Caseload
from journeyapp.core import private_files
from journeyapp.core.errors import DatabaseInUse, NotADatabase, WrongPassphrase
from journeyapp.core.passphrase import RememberedThrottle, Throttle
from journeyapp.store import backup as store_backup
from journeyapp.store import erasure_register, leftovers
from journeyapp.store.db import DatabaseError, FileKind, file_kind
from journeyapp.store.filelock import CaseloadLock

__all__ = [
    "FileKind",
    "PassphraseNeeded",
    "Unlocker",
    "describe",
    "harden_process",
    "list_backups",
    "open_caseload",
    "restore",
    "setup_logging",
]

log = logging.getLogger("journeyapp.security")


class PassphraseNeeded(WrongPassphrase):
    """The caseload is encrypted and no passphrase was given."""


@dataclass(frozen=True)
class FileState:
    """What is at a caseload path, for choosing between "choose", "unlock" and "open"."""

    kind: str
    detail: str

    @property
    def needs_passphrase(self) -> bool:
        """True for an encrypted caseload (a passphrase must be typed to open it)."""
        return self.kind == FileKind.ENCRYPTED

    @property
    def is_new(self) -> bool:
        """True when there is no caseload yet (first run: choose a passphrase)."""
        return self.kind == FileKind.MISSING


def describe(path: Path) -> FileState:
    """Judge a caseload file from its header bytes: new, plain, encrypted or foreign."""
    kind, detail = file_kind(path)
    return FileState(kind, detail)


def _foreign_message(path: Path, detail: str) -> str:
    return (
        f"{path} is {detail}, not a JourneyApp caseload. Choose your caseload file, "
        "or restore the caseload from a backup."
    )


def open_caseload(
    path: Path,
    key: str | bytes | None = None,
    *,
    exclusive: bool = False,
    create: bool = False,
    check: bool = True,
) -> Caseload:
    """Open a caseload for a window (exclusive) or a command (shared), refusing clearly when
    it is in use, foreign, damaged, encrypted without a passphrase, or the passphrase is wrong.

    A plain (demo or older, unencrypted) file opens without a key whatever `key` is.
    `check` runs SQLite's quick_check (and SQLCipher's page check) so damage is found now,
    with an offer to restore, not later in the middle of someone's work.
    """
    path = Path(path)
    state = describe(path)
    if state.kind == FileKind.FOREIGN:
        raise NotADatabase(_foreign_message(path, state.detail))
    if state.kind == FileKind.MISSING and not create:
        raise NotADatabase(f"There is no caseload at {path}; check the path.")
    if state.kind == FileKind.EMPTY:
        # Never treat an emptied file as a new caseload: that would hide a loss.
        raise NotADatabase(
            f"{path} is empty: it may have been cut short. Restore the caseload from a backup."
        )
    if state.kind == FileKind.PLAIN:
        key = None
    if state.kind == FileKind.ENCRYPTED and key is None:
        raise PassphraseNeeded(f"{path} is encrypted: give its passphrase to open it.")
    tidy_leftovers(path)
    lock = CaseloadLock(path, exclusive=exclusive).acquire()
    try:
        try:
            caseload = Caseload.open(path, key, create=create)
        except WrongPassphrase:
            log.info("wrong passphrase for a caseload")
            looks = f" (It looks like {state.detail}.)" if state.detail else ""
            raise WrongPassphrase(
                f"That passphrase does not open {path}. Check it (capitals, spaces) and try "
                "again. If you are sure it is right, the file may be damaged or not a caseload: "
                f"restore it from a backup.{looks}"
            ) from None
        if check:
            try:
                _check(caseload)
            except NotADatabase:
                caseload.close()
                raise
        try:
            # A restored or copied-back file may hold parents erased since: erase them again.
            again = caseload.reapply_erasures()
        except BaseException:
            caseload.close()
            raise
        if again:
            log.info("erased %d parent(s) again from an older copy", again)
        caseload.hold(lock)
    except BaseException:
        lock.release()
        raise
    log.info("caseload opened (encrypted=%s, demo=%s)", caseload.is_encrypted, caseload.is_demo)
    return caseload


def tidy_leftovers(path: Path) -> list[Path]:
    """Remove what a killed run left beside the caseload (half-written backups, copies being
    encrypted or restored) and dead demo/smoke-test folders; only when nobody has the caseload
    open, so a backup being written right now is never taken for a leftover."""
    removed = leftovers.remove_stale_scratch()
    removed += private_files.remove_abandoned(paths.in_progress_register())
    if not path.parent.is_dir():
        return removed
    probe = CaseloadLock(path, exclusive=True)
    try:
        probe.acquire()
    except DatabaseInUse:
        return removed
    try:
        if probe.held:
            removed += leftovers.remove_half_written(path)
    finally:
        probe.release()
    if removed:
        log.info("removed %d files or folders left by an interrupted run", len(removed))
    return removed


def _check(caseload: Caseload) -> None:
    name = caseload.path or "the caseload"
    try:
        rows = [str(r[0]) for r in caseload.db.execute("PRAGMA quick_check").fetchall()]
        if caseload.is_encrypted:
            rows += [
                str(r[0]) for r in caseload.db.execute("PRAGMA cipher_integrity_check").fetchall()
            ]
    except DatabaseError as exc:
        rows = [str(exc)]
    problems = [r for r in rows if r != "ok"]
    if problems:
        log.warning("caseload failed its check at open (%d problems)", len(problems))
        raise NotADatabase(
            f"{name} is damaged ({problems[0]}). Restore it from a backup; "
            "the damaged file is kept aside when you do."
        )


DELAYS_FILE = "unlock-delays.json"


def throttle_for(path: Path, **options: object) -> RememberedThrottle:
    """The wrong-try delay for one caseload or bundle file, kept across runs (issue 17)."""
    return RememberedThrottle(paths.state_dir() / DELAYS_FILE, Path(path), **options)


class Unlocker:
    """Open an encrypted caseload with typed passphrases, slowing down after wrong ones."""

    def __init__(
        self,
        path: Path,
        throttle: Throttle | None = None,
        opener: Callable[..., Caseload] = open_caseload,
    ) -> None:
        self.path = Path(path)
        self.throttle = throttle or throttle_for(self.path)
        self._opener = opener

    def attempt(self, passphrase: str | bytes, **options: object) -> Caseload:
        """Wait out any delay, then try; a wrong passphrase raises WrongPassphrase and adds delay."""
        self.throttle.wait()
        try:
            caseload = self._opener(self.path, passphrase, **options)
        except WrongPassphrase as exc:
            delay = self.throttle.failed()
            if delay > 0:
                raise WrongPassphrase(
                    f"{exc.message} After {self.throttle.failures} wrong "
                    f"{'try' if self.throttle.failures == 1 else 'tries'}, JourneyApp "
                    f"waits {delay:.0f} seconds before the next one."
                ) from None
            raise
        self.throttle.succeeded()
        return caseload


def restore(
    db_path: Path, backup: Path, key: str | bytes | None
) -> tuple[store_backup.BackupCheck, Path | None]:
    """Restore `backup` over the caseload (which must not be open anywhere); returns the
    backup's counts and where the previous file was kept.

    Parents erased since the backup was made (the erasure register says who) are erased again
    at once, before anyone can open the restored file."""
    lock = CaseloadLock(Path(db_path), exclusive=True).acquire()
    try:
        check = store_backup.verify_backup(Path(backup), key)
        aside = store_backup.restore_backup(Path(db_path), Path(backup), key)
        restored = Caseload.open(Path(db_path), key, create=False)
        try:
            again = restored.reapply_erasures()
        finally:
            restored.close()
    finally:
        lock.release()
    log.info("caseload restored from a backup (%d parents, %d erased again)", check.parents, again)
    return check, aside


def erased_since(db_path: Path, backup: Path, key: str | bytes | None) -> int:
    """How many parents erased since `backup` was made it still holds (erased again on restore)."""
    return len(erasure_register.held_in(Path(backup), key, Path(db_path)))


def erased_since_text(count: int) -> str:
    """ "1 parent erased since this backup will be erased again", for the restore dialog and
    command (empty when there is none)."""
    if not count:
        return ""
    who = "1 parent" if count == 1 else f"{count} parents"
    return f"{who} erased since this backup will be erased again."


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
    """No core dumps (they would hold decrypted records), as KeePassXC does at start, and a
    private umask (core.private_files.harden_process, which every entry point calls)."""
    private_files.harden_process()
