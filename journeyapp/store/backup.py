"""Backups through the SQLite backup API: encrypted with the caseload's key, verified, rotated.

A backup is written to `<name>.partial`, synced, reopened and checked (integrity_check, and
cipher_integrity_check when encrypted) and only then renamed into place, so an interrupted or
bad backup never replaces a good one. Rotation keeps the newest backup of each of the last 7
days that have one and of each of the last 4 weeks, as many of them as fit while the caseload and
its copies stay under 5 times the caseload's size.
"""

from __future__ import annotations

import contextlib
import os
import re
import shutil
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from journeyapp.core.errors import NotADatabase, StorageError, ValidationError, WrongPassphrase
from journeyapp.core.file_trouble import storage_error
from journeyapp.core.private_files import create_private, private_dir, private_file
from journeyapp.store.db import (
    Database,
    DatabaseError,
    FileKind,
    file_kind,
    plain_connection,
    rekey_connection,
    whole_file_problems,
)
from journeyapp.store.leftovers import scrub
from journeyapp.store.upgrade import upgrade_copies

FOLDER = "backups"
KEEP_DAILY = 7
KEEP_WEEKLY = 4
_STAMP = "%Y%m%d-%H%M%S"
_NAME = re.compile(r"^(?P<stem>.+)-(?P<stamp>\d{8}-\d{6})\.db$")
# The copy goes this many pages (4 KiB each) per step, pausing between steps, so a backup of a
# large caseload shares the disk and the processor with the window instead of taking them.
STEP_PAGES = 256
STEP_SLEEP = 0.002
Progress = Callable[[int, int], None]


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
        # NotADirectoryError: a "folder" on the way is a file, so nothing is there to delete.
        with contextlib.suppress(FileNotFoundError, NotADirectoryError):
            Path(str(path) + suffix).unlink()


def write_copy(
    db: Database,
    target: Path,
    connect: Callable[[str], Any],
    *,
    pages: int = STEP_PAGES,
    sleep: float = STEP_SLEEP,
    progress: Progress | None = None,
) -> None:
    """Copy the open database into `target` with the SQLite backup API, then sync it to disk.

    `connect` opens `target` keyed like the source (SQLCipher copies pages only between
    databases with the same key). The copy is one self-contained file: a backup is read, not
    written, so it gets a plain rollback journal and no -wal beside it.

    The copy goes `pages` at a time with a `sleep` between steps, inside one read transaction
    on the source: in WAL mode a reader never blocks a writer, so saves on other connections go
    ahead during the copy, and the held snapshot means their commits do not restart it.
    `progress(done, total)` is called after each step (pages); if it raises, the copy stops.
    """
    copy = connect(str(target))
    conn = db.conn
    began = not conn.in_transaction
    try:
        if began:
            conn.execute("BEGIN")
            conn.execute("SELECT count(*) FROM sqlite_master").fetchone()  # takes the snapshot
        report = None
        if progress is not None:
            report = _step_reporter(progress)
        conn.backup(copy, pages=pages, progress=report, sleep=sleep)
        copy.execute("PRAGMA journal_mode = DELETE")
    finally:
        if began and conn.in_transaction:
            conn.execute("ROLLBACK")  # a read transaction: nothing to keep
        copy.close()
    _fsync(target)


def _step_reporter(progress: Progress) -> Callable[[int, int, int], None]:
    def report(_status: int, remaining: int, total: int) -> None:
        progress(total - remaining, total)

    return report


def make_backup(
    db: Database,
    db_path: Path,
    key: str | bytes | None,
    *,
    now: datetime,
    out: Path | None = None,
    progress: Progress | None = None,
) -> BackupCheck:
    """Copy the open caseload to a verified backup (in `backups/`, or to `out`), named by
    `now` (the caseload's clock).

    `progress(done, total)` hears how many pages are copied; raising from it stops the backup
    (nothing is left behind)."""
    when = now.astimezone(UTC)
    if out is None:
        folder = backup_folder(db_path)
        if folder.exists() and not folder.is_dir():
            # The system says only "File exists"; the drive is fine.
            raise StorageError(
                f"{folder} is a file, so JourneyApp could not make the backups folder there. "
                "Move or rename that file, or write the backup elsewhere (journeyapp backup "
                "--out FILE). Your caseload is unchanged."
            )
        try:
            private_dir(folder, parents=False)
        except OSError as exc:
            raise storage_error(exc, folder, "make the backups folder") from None
        target = folder / f"{db_path.stem}-{when.strftime(_STAMP)}.db"
    else:
        target = Path(out)
        if target.exists():
            raise StorageError(f"{target} already exists; choose a new name so nothing is lost.")
    partial = target.with_name(target.name + ".partial")
    remove_with_sidecars(partial)
    try:
        create_private(partial)  # 0600 before a single page is written into it
        write_copy(db, partial, lambda target: plain_connection(target, key), progress=progress)
        check = verify_backup(partial, key)
        os.replace(partial, target)
        _fsync_dir(target.parent)
    except DatabaseError as exc:
        remove_with_sidecars(partial)
        raise storage_error(
            exc, target, "write the backup", after="Your caseload is unchanged."
        ) from None
    except OSError as exc:
        remove_with_sidecars(partial)
        raise storage_error(
            exc, target, "write the backup", after="Your caseload is unchanged."
        ) from None
    except (NotADatabase, WrongPassphrase):
        remove_with_sidecars(partial)
        raise StorageError(_copy_refused(db, db_path, key, target)) from None
    except BaseException:
        remove_with_sidecars(partial)  # stopped (Cancel, closing): no half-made backup stays
        raise
    if out is not None:
        note_copy_elsewhere(db_path, target, when)
    return BackupCheck(target, check.parents, check.events, check.encrypted)


def _copy_refused(db: Database, db_path: Path, key: str | bytes | None, target: Path) -> str:
    """Why a backup just copied did not pass its check, in a person's words: the caseload it
    was copied from is damaged (checked whole now), or the copy was spoiled on its way to the
    disk. SQLite's own report (an index, a page, "vtable constructor failed") is left to
    `journeyapp check`: it would only alarm or puzzle here."""
    if whole_file_problems(db, encrypted=key is not None):
        said = (
            f"{db_path.name} is damaged, so the backup copied from it did not pass its check "
            "and was not kept"
        )
        if not list_backups(db_path):
            return (
                f"{said}, and there is no earlier backup of it here to restore. Keep a copy of "
                "it as it is (with JourneyApp closed), and see what is damaged with journeyapp "
                "check; anything added to it now may not be kept."
            )
        return (
            f"{said}; the backups made before are as they were. Restore the caseload from the "
            "newest of them (File > Restore from a backup, or journeyapp restore); the damaged "
            "file is kept aside when you do. See what is damaged with journeyapp check."
        )
    return (
        f"The backup written to {target.parent} did not read back as it was written (the "
        "drive may be failing or full), so it was not kept. Try again, or write the backup to "
        "another drive. Your caseload is unchanged."
    )


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
    # Only the header is read here: a backup is never read whole into memory.
    if encrypted and file_kind(path)[0] == FileKind.PLAIN:  # pragma: no cover - belt and braces
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


# The caseload and every copy kept beside it stay under this many times the caseload's size.
MAX_TIMES_CASELOAD = 5


def _size(path: Path) -> int:
    try:
        return path.stat().st_size
    except OSError:
        return 0


def rotate(
    db_path: Path,
    *,
    daily: int = KEEP_DAILY,
    weekly: int = KEEP_WEEKLY,
    times: float = MAX_TIMES_CASELOAD,
    made: Path | None = None,
) -> list[Path]:
    """Delete backups beyond the newest of each of the last `daily` days and `weekly` weeks,
    then as many more as it takes for the caseload and every copy beside it (backups, set-aside
    and upgrade copies) to stay under `times` the caseload's size.

    The newest backup always stays, and so does `made`, the one just made: named by a clock put
    back, it sorts among the oldest, and was deleted the moment it was made. Then the oldest
    kept (the furthest a restore can reach back), then the others newest first, as long as they
    fit. Set-aside and upgrade copies are counted but never removed here (an upgrade that
    succeeds keeps only its own copy: store.upgrade.remove_older_copies).
    """
    backups = list_backups(db_path)
    if made is not None and backups and backups[0].path != made:
        # The one just made comes first: a backup of the caseload as it is now.
        backups.sort(key=lambda b: b.path != made)
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
        kept = [b.path for b in backups if b.path in keep or b is backups[0]]
        # The file may not hold every page yet (some wait in the write-ahead log): the newest
        # backup, a fresh whole copy, says how large the caseload is.
        caseload = max(_size(db_path), _size(kept[0]))
        if caseload:
            room = times * caseload - caseload
            room -= sum(_size(a.path) for a in set_aside(db_path))
            room -= sum(_size(p) for p in upgrade_copies(db_path))
            order = [kept[0], *kept[-1:][: len(kept) - 1], *kept[1:-1]]
            keep = set()
            for path in order:
                size = _size(path)
                if path == kept[0] or size < room:
                    keep.add(path)
                    room -= size
        else:
            keep = set(kept)
    removed = []
    for backup in backups:
        if backup.path not in keep:
            remove_with_sidecars(backup.path)
            removed.append(backup.path)
    return removed


def _same_file(one: Path, other: Path) -> bool:
    """Whether two paths name one file (a link, or another spelling of the path, included)."""
    try:
        return os.path.samefile(one, other)
    except OSError:  # either is missing: not the same file
        return False


def restore_backup(
    db_path: Path, backup: Path, key: str | bytes | None, *, now: datetime
) -> Path | None:
    """Put a verified backup in place of the caseload; the current file is first kept aside.

    Returns where the previous file was kept (None when there was none). The caller must hold
    the caseload's exclusive lock and have no connection open on it.
    """
    if _same_file(db_path, backup):
        # Set aside, the caseload would take the backup with it, leaving no caseload at all.
        raise ValidationError(
            f"{backup} is the caseload itself, not a backup of it; choose one of its backups, "
            f"from the folder {backup_folder(db_path)}. Nothing was changed."
        )
    verify_backup(backup, key)
    when = now.astimezone(UTC)
    aside: Path | None = None
    incoming = db_path.with_name(db_path.name + ".restoring")
    try:
        # The backup's copy is made whole first, and the current file keeps its name until
        # the copy takes it in one step: a restore stopped at any moment (killed, the power
        # cut, a full disk) leaves a caseload at its path, the one before or the backup.
        remove_with_sidecars(incoming)
        create_private(incoming)
        shutil.copyfile(backup, incoming)
        _fsync(incoming)
        if db_path.exists():
            aside = db_path.with_name(f"{db_path.name}.before-restore-{when.strftime(_STAMP)}")
            for suffix in ("-wal", "-shm"):  # its logs go with it, never beside the backup
                source = Path(str(db_path) + suffix)
                if source.exists():
                    os.replace(source, Path(str(aside) + suffix))
            try:
                os.link(db_path, aside)  # a second name, kept when the backup takes the first
            except OSError:  # a drive without hard links (FAT), or the name taken: move it
                os.replace(db_path, aside)
        os.replace(incoming, db_path)
        _fsync_dir(db_path.parent)
    except OSError as exc:
        remove_with_sidecars(incoming)
        if aside is not None and not db_path.exists():
            kept = f"The previous caseload is kept at {aside}."
        else:
            kept = "The caseload is as it was."
        raise storage_error(exc, db_path, "restore the backup", after=kept) from None
    if aside is not None:
        private_file(aside)
    return aside


# -- issue 17: every copy accounted for, plain copies removed, backups re-keyed ----------------

COPIES_REGISTER = "copies-elsewhere.txt"
ASIDE_KEEP_DAYS = 35  # as long as the weekly backups are kept


def note_copy_elsewhere(db_path: Path, copy: Path, when: datetime) -> None:
    """Remember a `backup --out` copy (its date, its path and the caseload it is a copy of) so
    it is listed for review."""
    folder = private_dir(backup_folder(db_path), parents=False)
    register = folder / COPIES_REGISTER
    # The register is the folder's, shared by every caseload kept in it (as the backups are,
    # told apart by name): each line says whose copy it is.
    line = f"{when.strftime(_STAMP)}\t{Path(copy).resolve()}\t{db_path.name}\n"
    with register.open("a", encoding="utf-8") as handle:
        handle.write(line)
    private_file(register)


def _noted_copies(db_path: Path) -> list[BackupFile]:
    """Every `backup --out` copy noted for this caseload, there now or not, newest first."""
    register = backup_folder(db_path) / COPIES_REGISTER
    found: list[BackupFile] = []
    if not register.is_file():
        return found
    for line in register.read_text(encoding="utf-8").splitlines():
        stamp, _, rest = line.partition("\t")
        name, _, caseload = rest.rpartition("\t")
        if caseload != db_path.name:
            # Another caseload's copy, or one noted without saying whose (by an earlier build):
            # re-keying or scrubbing it for this caseload would lose someone's backup.
            continue
        with contextlib.suppress(ValueError):
            made = datetime.strptime(stamp, _STAMP).replace(tzinfo=UTC)
            if name:
                found.append(BackupFile(Path(name), made))
    return sorted(found, key=lambda b: b.made_at, reverse=True)


def copies_elsewhere(db_path: Path) -> list[BackupFile]:
    """The `backup --out` copies made of this caseload that are still where they were put."""
    return [copy for copy in _noted_copies(db_path) if copy.path.is_file()]


def _forget_copies(db_path: Path, gone: Sequence[Path]) -> None:
    """Strike copies JourneyApp itself removed off the register, so that a later passphrase
    change does not name them as copies it could not reach."""
    register = backup_folder(db_path) / COPIES_REGISTER
    gone_names = {str(p) for p in gone}
    if not gone_names or not register.is_file():
        return
    lines = register.read_text(encoding="utf-8").splitlines(keepends=True)
    kept = [
        line
        for line in lines
        if not (
            line.rstrip("\n").rpartition("\t")[2] == db_path.name
            and line.partition("\t")[2].rpartition("\t")[0] in gone_names
        )
    ]
    if len(kept) != len(lines):
        register.write_text("".join(kept), encoding="utf-8")


def copies_out_of_reach(db_path: Path) -> list[Path]:
    """The `backup --out` copies made of this caseload that are not where they were put now
    (on a drive not plugged in, or deleted): a passphrase change cannot reach them."""
    return list(dict.fromkeys(c.path for c in _noted_copies(db_path) if not c.path.is_file()))


def out_of_reach_note(copies: Sequence[Path], opens_with: str) -> str:
    """The sentence saying which copies a passphrase change could not reach ("" for none)."""
    if not copies:
        return ""
    names = ", ".join(str(p) for p in copies)
    one = len(copies) == 1
    return (
        f"{'1 copy' if one else f'{len(copies)} copies'} made with backup --out "
        f"{'was' if one else 'were'} not found where {'it was' if one else 'they were'} put "
        f"({names}): if {'it is' if one else 'one is'} on a drive not plugged in now, "
        f"{'it' if one else 'that copy'} {opens_with}. Delete it when you can (if you already "
        "have, there is nothing more to do)."
    )


def set_aside(db_path: Path) -> list[BackupFile]:
    """The `.before-restore-*` files kept beside the caseload, newest first."""
    prefix = db_path.name + ".before-restore-"
    found = []
    for path in db_path.parent.glob(prefix + "*"):
        stamp = path.name[len(prefix) :]
        with contextlib.suppress(ValueError):
            made = datetime.strptime(stamp, _STAMP).replace(tzinfo=UTC)
            found.append(BackupFile(path, made))
    return sorted(found, key=lambda b: b.made_at, reverse=True)


def rotate_set_aside(db_path: Path, now: datetime) -> list[Path]:
    """Delete `.before-restore-*` files older than the weekly backups (the newest one stays)."""
    removed = []
    for aside in set_aside(db_path)[1:]:
        if (now - aside.made_at).days > ASIDE_KEEP_DAYS:
            remove_with_sidecars(aside.path)
            removed.append(aside.path)
    return removed


def before_upgrades(db_path: Path) -> list[BackupFile]:
    """The copies kept beside the caseload before an upgrade, newest first (made when the file
    was last written)."""
    found = []
    for path in upgrade_copies(db_path):
        with contextlib.suppress(OSError):
            found.append(BackupFile(path, datetime.fromtimestamp(path.stat().st_mtime, UTC)))
    return sorted(found, key=lambda b: b.made_at, reverse=True)


def every_copy(db_path: Path) -> list[BackupFile]:
    """Every copy JourneyApp made of this caseload: backups, set-aside files, copies made before
    an upgrade, copies elsewhere."""
    return (
        list_backups(db_path)
        + set_aside(db_path)
        + before_upgrades(db_path)
        + copies_elsewhere(db_path)
    )


def remove_plain_copies(db_path: Path) -> list[Path]:
    """Scrub every unencrypted copy of this caseload JourneyApp made (after it was encrypted)."""
    removed = []
    for copy in every_copy(db_path):
        if file_kind(copy.path)[0] == FileKind.PLAIN:
            scrub(copy.path)
            removed.append(copy.path)
    _forget_copies(db_path, removed)
    return removed


@dataclass(frozen=True)
class Rekeyed:
    """What a passphrase change did to the copies: re-keyed to the new one, or removed."""

    rekeyed: tuple[Path, ...]
    removed: tuple[Path, ...]
    out_of_reach: tuple[Path, ...] = ()

    def note(self) -> str:
        """One sentence for the person, naming what happened to the backups (and another for
        copies it could not reach, which still open with the old passphrase)."""
        unreached = out_of_reach_note(self.out_of_reach, "still opens with an earlier passphrase")
        return self._done() + (f" {unreached}" if unreached else "")

    def _done(self) -> str:
        parts = []
        if self.rekeyed:
            parts.append(f"{len(self.rekeyed)} backup(s) now open with the new passphrase")
        if self.removed:
            names = ", ".join(p.name for p in self.removed)
            parts.append(
                f"{len(self.removed)} backup(s) that only an older passphrase opened were "
                f"deleted ({names})"
            )
        return ("; ".join(parts) + ".") if parts else "There were no backups to change."


def rekey_file(path: Path, old: str | bytes, new: str | bytes) -> None:
    """Re-encrypt one backup file with the new key, through a copy renamed into place."""
    work = path.with_name(path.name + ".rekeying")
    remove_with_sidecars(work)
    create_private(work)
    shutil.copyfile(path, work)
    try:
        rekey_connection(work, old, new)
        verify_backup(work, new)
        os.replace(work, path)
    finally:
        remove_with_sidecars(work)


def rekey_copies(db_path: Path, old: str | bytes, new: str | bytes) -> Rekeyed:
    """After a passphrase change: every encrypted copy that opens with `old` is re-keyed to
    `new`; a copy that opens with neither (an older passphrase) is deleted, so no copy opens
    with a passphrase that may have leaked."""
    unreached = tuple(copies_out_of_reach(db_path))  # before the copies removed below go
    rekeyed: list[Path] = []
    removed: list[Path] = []
    for copy in every_copy(db_path):
        if file_kind(copy.path)[0] != FileKind.ENCRYPTED:
            continue
        if _opens(copy.path, new):
            continue
        if _opens(copy.path, old):
            try:
                rekey_file(copy.path, old, new)
                rekeyed.append(copy.path)
                continue
            except (DatabaseError, OSError, NotADatabase, WrongPassphrase):
                pass  # cannot re-key it: it must not stay under the old passphrase
        remove_with_sidecars(copy.path)
        removed.append(copy.path)
    _forget_copies(db_path, removed)
    return Rekeyed(tuple(rekeyed), tuple(removed), unreached)


def _opens(path: Path, key: str | bytes) -> bool:
    conn = plain_connection(path, key)
    try:
        conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
        return True
    except DatabaseError:
        return False
    finally:
        conn.close()
