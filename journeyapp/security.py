"""Opening a caseload safely (lock, file check, key check, damage check), unlock throttling,
restore, the app's own log (no personal data) and process hardening. No Qt, no click."""

from __future__ import annotations

import contextlib
import logging
import logging.handlers
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from journeyapp import paths
from journeyapp.caseload import Caseload
from journeyapp.core.errors import NotADatabase, WrongPassphrase
from journeyapp.core.passphrase import Throttle
from journeyapp.store import backup as store_backup
from journeyapp.store import wrong_tries
from journeyapp.store.db import DatabaseError, FileKind, file_kind
from journeyapp.store.filelock import CaseloadLock

__all__ = [
    "FileKind",
    "PassphraseNeeded",
    "RememberedThrottle",
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
        caseload.hold(lock)
    except BaseException:
        lock.release()
        raise
    log.info("caseload opened (encrypted=%s, demo=%s)", caseload.is_encrypted, caseload.is_demo)
    return caseload


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


class RememberedThrottle(Throttle):
    """A Throttle whose wrong tries are kept per caseload file between runs (store.wrong_tries),
    on the wall clock (a monotonic clock restarts with the process)."""

    def __init__(self, caseload: Path, store: Path | None = None, **options: Any) -> None:
        options.setdefault("clock", time.time)
        super().__init__(**options)
        self._caseload = Path(caseload)
        self._store = store if store is not None else paths.state_dir() / "wrong-tries.json"
        self.failures, self._not_before = wrong_tries.load(self._store, self._caseload)

    def failed(self) -> float:
        delay = super().failed()
        wrong_tries.save(self._store, self._caseload, self.failures, self._not_before)
        return delay

    def succeeded(self) -> None:
        super().succeeded()
        wrong_tries.save(self._store, self._caseload, 0, 0.0)


class Unlocker:
    """Open an encrypted caseload with typed passphrases, slowing down after wrong ones."""

    def __init__(
        self,
        path: Path,
        throttle: Throttle | None = None,
        opener: Callable[..., Caseload] = open_caseload,
    ) -> None:
        self.path = Path(path)
        self.throttle = throttle or RememberedThrottle(self.path)
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
    backup's counts and where the previous file was kept."""
    lock = CaseloadLock(Path(db_path), exclusive=True).acquire()
    try:
        check = store_backup.verify_backup(Path(backup), key)
        aside = store_backup.restore_backup(Path(db_path), Path(backup), key)
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
