"""What went wrong with a file, in words that point the right way (issue 17).

SQLite and the OS report a full disk, a read-only drive, a missing folder and a file held by
someone else in a handful of ways ("database or disk is full", ENOSPC, "attempt to write a
readonly database", EROFS, "unable to open database file", "database is locked"). Each gets
its own message and suggestion here; none of them says "restore from a backup", because the
caseload itself is fine and restoring an older copy over it would lose work.
"""

from __future__ import annotations

import contextlib
import errno
import os
import re
from enum import StrEnum
from pathlib import Path

from journeyapp.core.errors import DatabaseInUse, JourneyError, StorageError


class Trouble(StrEnum):
    """The kinds of file trouble a person can do something about, each with its own advice."""

    DISK_FULL = "disk full"
    READ_ONLY = "read-only"
    MISSING_FOLDER = "missing folder"
    IN_USE = "in use"
    IS_FOLDER = "is a folder"
    NOT_ALLOWED = "not allowed"
    OTHER = "other"


_ERRNO = {
    errno.ENOSPC: Trouble.DISK_FULL,
    errno.EDQUOT: Trouble.DISK_FULL,
    errno.EROFS: Trouble.READ_ONLY,
    errno.ENOENT: Trouble.MISSING_FOLDER,
    errno.ENOTDIR: Trouble.MISSING_FOLDER,
    errno.EACCES: Trouble.NOT_ALLOWED,
    errno.EPERM: Trouble.NOT_ALLOWED,
    errno.EBUSY: Trouble.IN_USE,
    errno.ETXTBSY: Trouble.IN_USE,
}
# What writing (or renaming) a file onto a folder raises: "Is a directory", "Directory not
# empty", and "Device or resource busy" for the current folder or a drive's own folder.
_ONTO_A_FOLDER = frozenset({errno.EISDIR, errno.ENOTEMPTY, errno.EBUSY})
# Windows: a file another program holds open (sharing violation, lock violation).
_WINERROR = {32: Trouble.IN_USE, 33: Trouble.IN_USE, 112: Trouble.DISK_FULL}


def os_error_of(exc: BaseException) -> OSError | None:
    """The OSError inside `exc` when it is one in other words: the XML writer under a
    spreadsheet says a full disk as "IO_ENOSPC" (lxml's SerialisationError), not as an OSError,
    so a workbook stopped by a full disk was "an unexpected error" to report; None otherwise."""
    if isinstance(exc, OSError):
        return exc
    found = re.search(r"\bIO_(E[A-Z]+)\b", str(exc))
    number = getattr(errno, found.group(1), None) if found else None
    if not isinstance(number, int):
        return None
    return OSError(number, os.strerror(number))


def _folder_of(path: Path) -> Path:
    return path if path.is_dir() else path.parent


def _read_only_drive(folder: Path) -> bool:
    probe = folder
    while not probe.exists() and probe != probe.parent:
        probe = probe.parent
    with contextlib.suppress(OSError, AttributeError):
        return bool(os.statvfs(probe).f_flag & os.ST_RDONLY)
    return False


def _no_space(folder: Path) -> bool:
    with contextlib.suppress(OSError, AttributeError):
        stats = os.statvfs(folder)
        return stats.f_bavail * stats.f_frsize < 64 * 1024
    return False


def classify(exc: BaseException, path: Path) -> Trouble:
    """Which trouble `exc` (an OSError or an SQLite error) raised while using `path` means.

    SQLite's own words are vague ("unable to open database file", "disk I/O error"), so the
    file system is asked what is really the matter: is the folder there, the drive read-only,
    the disk full?
    """
    path = Path(path)
    if isinstance(exc, OSError) and exc.errno in _ONTO_A_FOLDER and path.is_dir():
        return Trouble.IS_FOLDER  # not "in use": a file cannot be put where a folder is
    if isinstance(exc, OSError):
        found = _WINERROR.get(getattr(exc, "winerror", None) or 0) or _ERRNO.get(exc.errno or 0)
        if found is Trouble.MISSING_FOLDER and path.parent.is_dir():
            found = Trouble.OTHER  # the folder is there: a file went missing, not the folder
        if found is not None:
            return found
    # The words of the error without the paths in it: a folder called "full" or "locked" says
    # nothing about the disk.
    text = " ".join(w for w in str(exc).lower().split() if "/" not in w and "\\" not in w)
    if "full" in text:
        return Trouble.DISK_FULL
    if "locked" in text or "busy" in text:
        return Trouble.IN_USE
    folder = path.parent
    if not folder.is_dir():
        return Trouble.MISSING_FOLDER
    if "readonly" in text or "read-only" in text or _read_only_drive(folder):
        return Trouble.READ_ONLY
    if _no_space(folder):
        return Trouble.DISK_FULL
    if not os.access(folder, os.W_OK) or (path.exists() and not os.access(path, os.W_OK)):
        return Trouble.NOT_ALLOWED
    return Trouble.OTHER


def advice(trouble: Trouble, path: Path, doing: str, detail: str = "") -> str:
    """The one-line message and suggestion for `trouble` while trying to `doing` with `path`."""
    folder = _folder_of(Path(path))
    if trouble is Trouble.DISK_FULL:
        return (
            f"The disk that holds {folder} is full, so JourneyApp could not {doing}. "
            "Free some space (empty the recycle bin, move large files elsewhere), then try again."
        )
    if trouble is Trouble.READ_ONLY:
        return (
            f"{folder} is on a read-only drive or folder, so JourneyApp could not {doing}. "
            "Unlock the drive (a USB stick's lock switch) or move the caseload to a folder you "
            "can write to."
        )
    if trouble is Trouble.MISSING_FOLDER and Path(path).parent.exists():
        return (
            f"{Path(path).parent} is a file, not a folder, so JourneyApp could not {doing}. "
            "Choose a folder to write to."
        )
    if trouble is Trouble.MISSING_FOLDER:
        return (
            f"The folder {folder} is not there (a USB stick or network drive unplugged, or "
            f"the folder renamed), so JourneyApp could not {doing}. Plug the drive back in, "
            "or choose another folder."
        )
    if trouble is Trouble.IS_FOLDER:
        return (
            f"{path} is a folder, so JourneyApp could not {doing} there. Give the name of a "
            "file to write (in that folder, if you like)."
        )
    if trouble is Trouble.IN_USE:
        return (
            f"{Path(path).name} is in use by another JourneyApp window or command (or a program "
            f"such as a file-sync tool), so JourneyApp could not {doing}. Close the other "
            "one and try again."
        )
    if trouble is Trouble.NOT_ALLOWED:
        return (
            f"This account is not allowed to write in {folder}, so JourneyApp could not "
            f"{doing}. Choose a folder of your own, or ask whoever looks after the laptop."
        )
    why = f" ({detail})" if detail else ""
    return (
        f"JourneyApp could not {doing} at {path}{why}. Check the drive is there and working, "
        "then try again."
    )


def storage_error(exc: BaseException, path: Path, doing: str, *, after: str = "") -> JourneyError:
    """The StorageError (DatabaseInUse for a file in use) to raise for `exc`; its `trouble`
    attribute names the kind, for tests and for the window to choose its words."""
    trouble = classify(exc, Path(path))
    # The OS's words without its number and file name (the message names the file already;
    # the OS may name a working copy beside it).
    detail = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
    text = advice(trouble, Path(path), doing, detail) + (f" {after}" if after else "")
    error: JourneyError = DatabaseInUse(text) if trouble is Trouble.IN_USE else StorageError(text)
    setattr(error, "trouble", trouble)  # noqa: B010 - an attribute the error classes do not declare
    return error


def moved_away(path: Path) -> str:
    """What to say when the caseload file open here is no longer at `path` (moved, renamed or
    deleted while open), so a save is refused rather than made into a file no one can open."""
    return (
        f"The caseload file is no longer at {path}: it was moved, renamed, replaced or deleted "
        "while JourneyApp had it open. Nothing was saved; what you typed is still here. Make a "
        "backup now (File > Back up now) to keep everything saved until this moment, then "
        "close JourneyApp and open the caseload where it is now, or restore that backup."
    )


def damage_found(exc: BaseException) -> str | None:
    """The message for SQLite finding part of a file damaged while reading it, after the check
    at open passed (that check reads a few pages, not every one); None for any other error.

    Only SQLite's plain DatabaseError says this (an OperationalError's "malformed JSON" is
    about a value, not the file).
    """
    text = str(exc)
    words = text.lower()
    if type(exc).__name__ != "DatabaseError" or not any(
        w in words for w in ("malformed", "corrupt", "not a database")
    ):
        return None
    return (
        f"The caseload is damaged: part of it could not be read ({text}). Nothing more was "
        "written. See what is damaged with journeyapp check (with the same --db); if it "
        "finds damage, restore the caseload from a backup with journeyapp restore."
    )
