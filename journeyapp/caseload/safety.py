"""Keeping a caseload safe: opening checks, passphrase, backups, erasure, retention, and the
whole-file check (`caseload.safety`; the opening rules are used by `Caseload.open`)."""

from __future__ import annotations

import os
from collections.abc import Callable
from contextlib import suppress
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from journeyapp import paths
from journeyapp.caseload.undo import Undo
from journeyapp.core import private_files
from journeyapp.core.access import Access
from journeyapp.core.errors import (
    DatabaseInUse,
    NotADatabase,
    PassphraseNeeded,
    StorageError,
    ValidationError,
    WrongPassphrase,
)
from journeyapp.core.file_trouble import Trouble, advice, storage_error
from journeyapp.core.lazy_log import LazyLogger
from journeyapp.core.private_files import create_private
from journeyapp.core.records import BY_KIND
from journeyapp.store import caseload_list, erasure_register, leftovers
from journeyapp.store import db as store_db
from journeyapp.store import records as store
from journeyapp.store import search as store_search
from journeyapp.store.db import DatabaseError, FileKind, file_kind, open_database
from journeyapp.store.filelock import CaseloadLock
from journeyapp.store.leftovers import scrub

# Passphrases, backups and erasure load when first used: opening a caseload (and `report`,
# which only reads) needs none of them (issue 18).
if TYPE_CHECKING:
    from journeyapp.caseload import Caseload
    from journeyapp.core.passphrase import RememberedThrottle, Throttle
    from journeyapp.store import backup as store_backup
    from journeyapp.store import erase as store_erase

CheckLevel = Literal["none", "quick", "full"]

log = LazyLogger("journeyapp.security")  # logging loaded only when needed


# -- opening: what is at the path, and what to say ------------------------------------------------


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


def key_for_opening(
    path: Path, state: FileState, key: str | bytes | None, *, create: bool, unencrypted: bool
) -> str | bytes | None:
    """The key to open `path` with, or a clear refusal before anything is touched."""
    if state.kind == FileKind.FOREIGN:
        raise NotADatabase(
            f"{path} is {state.detail}, not a JourneyApp caseload. Choose your caseload file, "
            "or restore the caseload from a backup."
        )
    if state.kind == FileKind.EMPTY:
        # Never treat an emptied file as a new caseload: that would hide a loss.
        raise NotADatabase(
            f"{path} is empty: it may have been cut short. Restore the caseload from a backup."
        )
    if state.kind == FileKind.MISSING:
        if not path.parent.is_dir():
            # A USB stick unplugged or a folder renamed: say so, not "no caseload" (issue 17).
            raise StorageError(advice(Trouble.MISSING_FOLDER, path, "open the caseload"))
        if not create:
            raise NotADatabase(f"There is no caseload at {path}; check the path.")
        if unencrypted:
            if key is not None:
                raise ValidationError("A demo or plain caseload is not encrypted: give no key.")
            return None
        if key is None:
            raise PassphraseNeeded(
                f"There is no caseload at {path} yet, and a new caseload is encrypted: "
                "choose a passphrase to create it."
            )
        return key
    if state.kind == FileKind.PLAIN:
        return None
    if key is None:
        raise PassphraseNeeded(f"{path} is encrypted: give its passphrase to open it.")
    return key


def wrong_passphrase_message(path: Path, detail: str) -> str:
    """What to say when a passphrase does not open `path`."""
    looks = f" (It looks like {detail}.)" if detail else ""
    return (
        f"That passphrase does not open {path}. Check it (capitals, spaces) and try "
        "again. If you are sure it is right, the file may be damaged or not a caseload: "
        f"restore it from a backup.{looks}"
    )


DELAYS_FILE = "unlock-delays.json"


def throttle_for(path: Path, **options: object) -> RememberedThrottle:
    """The wrong-try delay for one caseload or bundle file, kept across runs (issue 17)."""
    from journeyapp.core.passphrase import RememberedThrottle

    return RememberedThrottle(paths.state_dir() / DELAYS_FILE, Path(path), **options)


def tidy_leftovers(path: Path) -> list[Path]:
    """Remove what a killed run left (half-written backups, copies being encrypted or
    restored, exports and bundles noted as in progress, dead demo/smoke-test folders); the
    files beside the caseload only when nobody has it open, so a backup being written right
    now is never taken for a leftover (issue 17)."""
    removed = leftovers.remove_stale_scratch()
    removed += private_files.remove_abandoned(paths.in_progress_register())
    if not path.parent.is_dir():
        return removed
    probe = CaseloadLock(path, Access.WHOLE)
    try:
        probe.acquire()
    except DatabaseInUse:
        return removed
    try:
        if probe.held:
            removed += _finish_encrypting(path)
            removed += leftovers.remove_half_written(path)
    finally:
        probe.release()
    if removed:
        log.info("removed %d files or folders left by an interrupted run", len(removed))
    return removed


def _plain_scrub(path: Path) -> Path:
    """The second name a plain caseload's bytes keep while it is encrypted, until every plain
    copy of it is gone: there after a stop, it says what is left to do."""
    return path.with_name(path.name + ".plain-scrub")


def _finish_encrypting(path: Path) -> list[Path]:
    """The plain copies of a caseload whose encryption was stopped after the encrypted file
    took its place, before they were deleted: deleted now, as it would have done."""
    marker = _plain_scrub(path)
    if not marker.exists() or file_kind(path)[0] != FileKind.ENCRYPTED:
        return []  # not stopped, or stopped before: a plain caseload keeps its plain backups
    from journeyapp.store import backup as store_backup

    return store_backup.remove_plain_copies(path)


class Unlocker:
    """Open an encrypted caseload with typed passphrases, slowing down after wrong ones."""

    def __init__(
        self,
        path: Path,
        throttle: Throttle | None = None,
        opener: Callable[..., Caseload] | None = None,
    ) -> None:
        self.path = Path(path)
        self.throttle = throttle or throttle_for(self.path)
        self._opener = opener

    def attempt(self, passphrase: str | bytes, **options: Any) -> Caseload:
        """Wait out any delay, then try; a wrong passphrase raises WrongPassphrase and adds delay."""
        from journeyapp.caseload import Caseload

        opener = self._opener or Caseload.open
        self.throttle.wait()
        try:
            caseload = opener(self.path, passphrase, **options)
        except WrongPassphrase as exc:
            if isinstance(exc, PassphraseNeeded):
                raise
            delay = self.throttle.failed()
            if delay > 0:
                from journeyapp.core.passphrase import seconds

                raise WrongPassphrase(
                    f"{exc.message} After {self.throttle.failures} wrong "
                    f"{'try' if self.throttle.failures == 1 else 'tries'}, JourneyApp "
                    f"waits {seconds(delay)} before the next one."
                ) from None
            raise
        self.throttle.succeeded()
        return caseload


# -- checks ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class CheckReport:
    """What `journeyapp check` finds: damage to the file, a caseload list out of step with the
    records, and records that belong to no parent (empty lists when all is well)."""

    damage: tuple[str, ...]
    out_of_step: tuple[str, ...]
    orphans: tuple[str, ...]

    @property
    def problems(self) -> list[str]:
        """Every problem found, damage first."""
        return [*self.damage, *self.out_of_step, *self.orphans]


class Safety:
    """`caseload.safety`: checks, passphrase, backups, erasure and retention."""

    def __init__(self, caseload: Caseload) -> None:
        self._caseload = caseload

    def _damaged(self, problems: list[str]) -> NotADatabase:
        name = self._caseload.path or "the caseload"
        log.warning("caseload failed its check (%d problems)", len(problems))
        # SQLite's report can run to hundreds of lines: the message names the first problem.
        lines = [s for s in problems[0].splitlines() if s.strip() and not s.startswith("***")]
        first = (lines[0] if lines else problems[0].strip())[:120]
        more = len(lines) - 1 + len(problems) - 1
        detail = f"{first}; and {more} more" if more > 0 else first
        return NotADatabase(
            f"{name} is damaged ({detail}). Restore it from a backup; "
            "the damaged file is kept aside when you do."
        )

    def check_at_open(self, level: CheckLevel) -> None:
        """Raise NotADatabase (closing the caseload) when the check at open finds damage."""
        problems = self.quick_check() if level == "quick" else self.whole_file_check()
        if problems:
            self._caseload.close()
            raise self._damaged(problems)

    def quick_check(self) -> list[str]:
        """The cheap check run at open: the header, the key, the schema and settings pages."""
        return store_db.quick_problems(self._caseload.db)

    def whole_file_check(self) -> list[str]:
        """Every page of the file checked (seconds on a big caseload); empty when whole.

        For a caseload on a file it reads through a connection of its own, so the window can
        run it on a worker thread after opening without sharing its connection.
        """
        caseload = self._caseload
        if caseload.path is None:
            return store_db.whole_file_problems(caseload.db, encrypted=False)
        if caseload._secondary:  # already a connection of its own (`reopen()`): use it
            return store_db.whole_file_problems(caseload.db, encrypted=caseload.is_encrypted)
        conn = store_db.plain_connection(caseload.path, caseload._key)
        try:
            return store_db.whole_file_problems(conn, encrypted=caseload.is_encrypted)
        finally:
            conn.close()

    def require_whole_file(self) -> None:
        """The whole-file check, raising NotADatabase (with the restore advice) on damage."""
        problems = self.whole_file_check()
        if problems:
            raise self._damaged(problems)

    def check(self) -> CheckReport:
        """Everything `journeyapp check` looks at. The list and the records are compared only
        when the file is whole (a damaged file cannot be compared)."""
        damage = store_db.whole_file_problems(
            self._caseload.db, encrypted=self._caseload.is_encrypted
        )
        if damage:
            return CheckReport(tuple(damage), (), ())
        db = self._caseload.db
        return CheckReport((), tuple(self.list_problems()), tuple(store.orphans(db)))

    def problems(self) -> list[str]:
        """Every problem `check` finds (empty when all is well)."""
        return self.check().problems

    def list_problems(self) -> list[str]:
        """Where the caseload list or the search index (indexes of the records) are out of
        step with them."""
        db = self._caseload.db
        return caseload_list.problems(db) + store_search.problems(db)

    def rebuild_list(self) -> None:
        """Work the caseload list and the search index out again from the records (nothing
        else changes)."""
        db = self._caseload.db
        with self._caseload.saving(), db.atomic():
            caseload_list.rebuild(db)
            if store_search.problems(db):  # a big index is rewritten only when needed
                store_search.rebuild(db)

    # -- passphrase, backups, erasure, retention ---------------------------------------------------

    def checkpoint(self, *, wait: bool = True) -> None:
        """Move everything from the write-ahead log into the file and empty the log (on lock).

        Without `wait`, it does what it can at once: a backup reading on another connection
        would otherwise hold it (and the window's thread) for up to the busy timeout."""
        try:
            store_db.checkpoint(self._caseload.db, wait=wait)
        except DatabaseError as exc:
            raise StorageError(f"Could not finish writing the caseload ({exc}).") from None

    def check_passphrase(self, passphrase: str | bytes) -> bool:
        """True when `passphrase` opens this caseload file (used to unlock the window)."""
        if self._caseload._key is None or self._caseload.path is None:
            return True
        return store_db.key_opens(self._caseload.path, passphrase)

    def is_own_passphrase(self, candidate: str) -> bool:
        """True when `candidate` is this caseload's passphrase (refused for a bundle)."""
        from journeyapp.core.passphrase import normalise as normalise_passphrase

        key = self._caseload._key
        return isinstance(key, str) and normalise_passphrase(candidate) == (
            normalise_passphrase(key)
        )

    def change_passphrase(self, current: str | bytes | None, new: str | bytes) -> str:
        """Re-encrypt with a new passphrase (a plain caseload becomes encrypted).

        Returns a sentence saying what happened to the copies (issue 17): on a change, a
        backup is made first and then every backup is re-keyed to the new passphrase (or
        deleted when it opens only with an older one); on encrypting a plain caseload no plain
        backup is made, and every plain copy (the file, its logs, older plain backups) is
        scrubbed once the encrypted file is in place.
        Raises WrongPassphrase when `current` is not the passphrase, ValidationError when a new
        text passphrase does not meet the guidance.
        """
        from journeyapp.core.passphrase import assess as assess_passphrase

        caseload = self._caseload
        if isinstance(new, str):
            verdict = assess_passphrase(new)
            if not verdict.ok:
                raise ValidationError(" ".join(verdict.problems), field="passphrase")
        if caseload._key is not None and (current is None or not self.check_passphrase(current)):
            raise WrongPassphrase("The current passphrase is not right; nothing was changed.")
        if caseload.path is None:
            raise ValidationError("An in-memory caseload has no passphrase.")
        with caseload.whole_file():
            return self._rekey(current, new)

    def _rekey(self, current: str | bytes | None, new: str | bytes) -> str:
        from journeyapp.store import backup as store_backup

        caseload = self._caseload
        assert caseload.path is not None
        if caseload._key is not None:
            old = caseload._key
            self.backup()
            # Undo entries were made under the old key's file; a re-encrypted file starts afresh.
            caseload.forget_undo()
            # The copies first, the caseload last: a change stopped part-way (killed, the power
            # cut) leaves the caseload opening with the old passphrase, and trying again
            # finishes the copies; once the caseload opens with the new one, no copy opens
            # with the old.
            copies = store_backup.rekey_copies(caseload.path, old, new)
            try:
                store_db.rekey(caseload.db, new)
            except DatabaseError as exc:
                store_backup.rekey_copies(caseload.path, new, old)  # the copies as they were
                raise storage_error(
                    exc, caseload.path, "change the passphrase", after="The old one still works."
                ) from None
            caseload._key = new
            return copies.note()
        caseload.forget_undo()
        self._encrypt_plain_file(new)
        unreached = store_backup.out_of_reach_note(
            store_backup.copies_out_of_reach(caseload.path), "is not encrypted"
        )  # asked first: the copies removed next are not there afterwards either
        removed = store_backup.remove_plain_copies(caseload.path)
        # Last: while the plain file's second name is there, a stop before this point is
        # finished at the next start (`tidy_leftovers`).
        scrub(_plain_scrub(caseload.path))
        return _plain_copies_note(removed, unreached)

    def _encrypt_plain_file(self, key: str | bytes) -> None:
        from journeyapp.store import backup as store_backup

        caseload = self._caseload
        assert caseload.path is not None
        target = caseload.path.with_name(caseload.path.name + ".encrypting")
        doomed = _plain_scrub(caseload.path)
        store_backup.remove_with_sidecars(target)
        try:
            create_private(target)
            store_db.export_encrypted(caseload.db, target, key)
            store_backup.verify_backup(target, key)
            store_db.checkpoint(caseload.db)
            caseload.db.close()
            # A second name for the plain file's bytes, so they can be overwritten after the
            # encrypted file takes its place (a rename alone leaves them readable on disk).
            store_backup.remove_with_sidecars(doomed)
            try:
                os.link(caseload.path, doomed)
            except OSError:  # a drive without hard links: an empty one says the same
                create_private(doomed)
            os.replace(target, caseload.path)
        except (DatabaseError, OSError) as exc:
            with suppress(FileNotFoundError):
                target.unlink()
            with suppress(FileNotFoundError):
                doomed.unlink()
            raise storage_error(
                exc,
                caseload.path,
                "encrypt the caseload",
                after="It is as it was, not encrypted.",
            ) from None
        for suffix in ("-wal", "-shm", "-journal"):
            scrub(Path(str(caseload.path) + suffix))
        caseload.db = open_database(caseload.path, key)
        caseload._key = key

    def backup(
        self,
        out: Path | None = None,
        *,
        now: datetime | None = None,
        progress: Callable[[int, int], None] | None = None,
    ) -> store_backup.BackupCheck:
        """Make a verified backup now (to `backups/` beside the caseload, or to `out`).

        Copied a few pages at a time inside one read snapshot, so saves made on another
        connection meanwhile (the window's, when this is an operation's `reopen()`) go ahead;
        `progress(done, total)` hears the pages copied, and raising from it stops the backup."""
        from journeyapp.store import backup as store_backup

        caseload = self._caseload
        if caseload.path is None:
            raise ValidationError("An in-memory caseload cannot be backed up.")
        made = store_backup.make_backup(
            caseload.db,
            caseload.path,
            caseload._key,
            now=now or caseload.clock(),
            out=out,
            progress=progress,
        )
        if out is None:
            store_backup.rotate(caseload.path, made=made.path)
            store_backup.rotate_set_aside(caseload.path, now or caseload.clock())
        return made

    def backup_if_due(
        self,
        every: timedelta = timedelta(hours=3),
        *,
        now: datetime | None = None,
        progress: Callable[[int, int], None] | None = None,
    ) -> store_backup.BackupCheck | None:
        """Make a backup when the newest one is older than `every` (or there is none)."""
        caseload = self._caseload
        if caseload.path is None:
            return None
        from journeyapp.store import backup as store_backup

        moment = now or caseload.clock()
        # Backups named after now were made before the clock was put back: they say nothing
        # of when the last one was made (every save since would wait for that day to come).
        existing = [
            b for b in store_backup.list_backups(caseload.path) if b.made_at <= moment + every
        ]
        if existing and moment - existing[0].made_at < every:
            return None
        return self.backup(now=moment, progress=progress)

    def backups(self) -> list[store_backup.BackupFile]:
        """This caseload's rotating backups, newest first."""
        from journeyapp.store import backup as store_backup

        return [] if self._caseload.path is None else store_backup.list_backups(self._caseload.path)

    def erase_participant(self, participant_id: str, confirm_name: str) -> None:
        """Erase a parent everywhere (tables, name index, journey log); a tombstone remains.

        `confirm_name` must be their preferred name as typed by the keyworker. Afterwards the
        write-ahead log is checkpointed so, with secure_delete on, the bytes are overwritten.
        """
        from journeyapp.core.text import confirms_name
        from journeyapp.store import erase as store_erase

        participant = self._caseload.participant(participant_id)
        if not confirms_name(participant.preferred_name, confirm_name):
            raise ValidationError(
                "The name typed does not match this parent's preferred name; nothing was erased. "
                "Type their preferred name exactly as shown to confirm.",
                field="confirm_name",
            )
        with self._caseload.whole_file():
            with self._caseload._write("erase a parent", undo=Undo.IRREVERSIBLE) as txn:
                store_erase.erase_participant(self._caseload.db, participant_id, txn.ctx)
                txn.kinds.update(BY_KIND)
                txn.participants.add(participant_id)
            self.after_erasure()

    def after_erasure(self) -> None:
        """After parents were erased (here or by a merge): forget undo entries, which can hold
        their details, checkpoint so that, with secure_delete on, the bytes are overwritten,
        and note the ids in the erasure register (so a restore cannot bring them back)."""
        self._caseload.forget_undo()
        self.checkpoint()
        if self._caseload.path is not None:
            db = self._caseload.db
            erasure_register.note(self._caseload.path, erasure_register.tombstones(db))

    def reapply_erasures(self) -> int:
        """Erase again every parent the erasure register lists that this file still holds (a
        restored backup, an old copy put back by hand); returns how many were erased again."""
        caseload = self._caseload
        if caseload.path is None:
            return 0
        try:
            if caseload.may_save:
                pending = erasure_register.sync(caseload.db, caseload.path)
            else:  # a reader beside the window notes nothing; erasing again is refused below
                pending = erasure_register.not_erased(caseload.db, caseload.path)
        except DatabaseError as exc:  # a damaged page the quick check at open did not read
            raise self._damaged([str(exc)]) from None
        if not pending:
            return 0
        if not caseload.may_save:
            raise DatabaseInUse(
                f"{caseload.path} holds parents who were erased (an older copy of it was put "
                "back), and they must be erased again before it is read, which cannot happen "
                "while it is open in a JourneyApp window. Close the JourneyApp window for this "
                "caseload, then run the command again. Nothing was changed."
            )
        from journeyapp.store import erase as store_erase

        with caseload._write("erase again after a restore", undo=Undo.IRREVERSIBLE) as txn:
            for participant_id in pending:
                store_erase.erase_participant(caseload.db, participant_id, txn.ctx)
            txn.kinds.update(BY_KIND)
            txn.participants.update(pending)
        self.after_erasure()
        log.info("erased %d parent(s) again from an older copy", len(pending))
        return len(pending)

    def is_erased(self, participant_id: str) -> bool:
        """True when this parent was erased (a tombstone remains; merges must not bring them back)."""
        from journeyapp.store import erase as store_erase

        return store_erase.is_erased(self._caseload.db, participant_id)

    def retention_due(self, today: date | None = None) -> list[store_erase.RetentionFacts]:
        """Closed or moved-on journeys with no activity for the retention period: review them."""
        from journeyapp.store import erase as store_erase

        day = today or self._caseload.today()
        try:
            cutoff = day.replace(year=day.year - self._caseload.settings.retention_years)
        except ValueError:  # 29 February
            cutoff = day.replace(year=day.year - self._caseload.settings.retention_years, day=28)
        return [
            r for r in store_erase.ended_journeys(self._caseload.db) if r.last_activity <= cutoff
        ]


def _plain_copies_note(removed: list[Path], unreached: str = "") -> str:
    """What encrypting a plain caseload did with its plain copies, in one sentence (and
    another naming copies made elsewhere that it could not reach, `unreached`)."""
    if unreached:
        if not removed:
            return unreached
        names = ", ".join(p.name for p in removed)
        return (
            f"The {len(removed)} unencrypted backup(s) made before that could be reached were "
            f"deleted ({names}). {unreached}"
        )
    if not removed:
        return "No unencrypted copy of it is left on this laptop."
    names = ", ".join(p.name for p in removed)
    return (
        f"The {len(removed)} unencrypted backup(s) made before were deleted ({names}), so no "
        "unencrypted copy of it is left on this laptop."
    )
