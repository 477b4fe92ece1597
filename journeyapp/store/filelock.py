"""One caseload, one program at a time: an advisory lock on `<caseload>.lock` beside the file.

Why a lock file and not `PRAGMA locking_mode=EXCLUSIVE`: SQLite's exclusive mode would also
shut out our own backup and check connections, and it gives "database is locked" only at the
first write, long after the person opened the window. An OS lock (flock on POSIX, a byte lock
on Windows) is taken at open, is released by the OS if the program dies (no stale locks after
a crash or kill -9), and lets us name the file in the message straight away.

Rules: the window holds an exclusive lock for as long as it is open; short commands take a
shared lock (several can read together) and commands that replace or re-encrypt the whole
file (restore, passphrase, erase) take an exclusive one. So a command refuses while the window
has the caseload open, and a second window refuses while the first is open.

The lock file lasts only as long as a lock on it: the last program to let go removes it, so a
command (refused or not) leaves nothing beside the caseload, and none beside a caseload that
is not there. It is removed only by a program that holds it exclusively (no one else has a
lock on it), and a program that locked a file removed or replaced meanwhile tries again on
the one now there, so two programs never hold locks on two different files of one name.
"""

from __future__ import annotations

import os
import sys
from contextlib import suppress
from pathlib import Path
from typing import IO

from journeyapp.core.errors import DatabaseInUse

if sys.platform == "win32":  # pragma: no cover - exercised on Windows builds only
    import msvcrt
else:
    import fcntl


def lock_path(db_path: Path) -> Path:
    """The lock file that belongs to a caseload file."""
    return db_path.with_name(db_path.name + ".lock")


class CaseloadLock:
    """An advisory lock on one caseload; `exclusive` for the window and whole-file changes."""

    def __init__(self, db_path: Path, *, exclusive: bool) -> None:
        self.db_path = Path(db_path)
        self.exclusive = exclusive
        self._handle: IO[str] | None = None

    @property
    def held(self) -> bool:
        """True while this object holds the lock."""
        return self._handle is not None

    def acquire(self) -> CaseloadLock:
        """Take the lock now or raise DatabaseInUse naming the caseload (never waits)."""
        if self._handle is not None:
            return self
        path = lock_path(self.db_path)
        while True:
            try:
                handle = path.open("a+", encoding="utf-8")
            except OSError:
                # A read-only folder cannot hold a lock file; SQLite will refuse writes there.
                return self
            try:
                if sys.platform == "win32":  # pragma: no cover
                    msvcrt.locking(handle.fileno(), msvcrt.LK_NBLCK, 1)
                else:
                    mode = fcntl.LOCK_EX if self.exclusive else fcntl.LOCK_SH
                    fcntl.flock(handle.fileno(), mode | fcntl.LOCK_NB)
            except OSError:
                replaced = not _still_there(handle, path)
                handle.close()
                if replaced:  # its last holder was removing it: lock the one there now
                    continue
                raise DatabaseInUse(
                    f"{self.db_path} is already open in JourneyApp (in a window, or a command "
                    "that is still running). Close it there first, then try again: two programs "
                    "changing one caseload at once could mix up its records."
                ) from None
            if _still_there(handle, path):
                break
            handle.close()  # removed by its last holder after we opened it: a lock on nothing
        if self.exclusive:
            handle.seek(0)
            handle.truncate()
            handle.write(f"{os.getpid()}\n")
            handle.flush()
        self._handle = handle
        return self

    def release(self) -> None:
        """Let go of the lock (the OS also releases it if the program ends)."""
        handle, self._handle = self._handle, None
        if handle is None:
            return
        path = lock_path(self.db_path)
        if sys.platform == "win32":  # pragma: no cover
            try:
                handle.seek(0)
                msvcrt.locking(handle.fileno(), msvcrt.LK_UNLCK, 1)
            finally:
                handle.close()
            # Windows refuses to remove a file another program has open: it stays for them.
            with suppress(OSError):
                path.unlink()
            return
        try:
            # The last holder removes it, while no one else can hold it; a program that opened
            # it meanwhile sees it gone once locked and makes a new one (acquire).
            with suppress(OSError):
                fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
                if _still_there(handle, path):
                    path.unlink()
        finally:
            handle.close()  # closing lets go of whichever lock it still has


def _still_there(handle: IO[str], path: Path) -> bool:
    """True when `path` is still the file `handle` has open (not removed or replaced)."""
    try:
        now = path.stat()
    except OSError:
        return False
    opened = os.fstat(handle.fileno())
    return (now.st_dev, now.st_ino) == (opened.st_dev, opened.st_ino)
