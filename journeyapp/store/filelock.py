"""Who may have one caseload open at once: advisory locks on two files beside the caseload.

Why lock files and not `PRAGMA locking_mode=EXCLUSIVE`: SQLite's exclusive mode would also
shut out our own backup and check connections, and it gives "database is locked" only at the
first write, long after the person opened the window. An OS lock (flock on POSIX, a byte lock
on Windows) is taken at open, is released by the OS if the program dies (no stale locks after
a crash or kill -9), and lets us name the file in the message straight away.

The rule is `core.access.Access`: a command that only reads runs beside the window, a command
that may save beside other commands but not the window, one window at a time, and a whole-file
change (restore, passphrase, erase) alone. Two flock locks make those four out of two kinds:

| open as | `<caseload>.lock` | `<caseload>.write.lock` |
| --- | --- | --- |
| READ   | shared    | none      |
| WRITE  | shared    | shared    |
| WINDOW | shared    | exclusive |
| WHOLE  | exclusive | exclusive |

Each is taken in that order (a whole-file change takes the savers' lock first) and never
waited for, so two programs never wait on each other. While the window holds the savers' lock,
no one can hold the caseload's lock exclusively but the window itself, which does so only for
a whole-file change made in the window (`whole_file`), after the readers have gone.

A lock file lasts only as long as a lock on it: the last program to let go removes it, so a
command (refused or not) leaves nothing beside the caseload, and none beside a caseload that
is not there. It is removed only by a program that holds it exclusively (no one else has a
lock on it), and a program that locked a file removed or replaced meanwhile tries again on
the one now there, so two programs never hold locks on two different files of one name.
"""

from __future__ import annotations

import os
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from pathlib import Path
from typing import IO

from journeyapp.core.access import LOCK_SUFFIXES, Access
from journeyapp.core.errors import DatabaseInUse
from journeyapp.core.file_names import caseload_file

if sys.platform == "win32":  # pragma: no cover - exercised on Windows builds only
    import msvcrt
else:
    import fcntl

# How each kind of access holds the two files: (the caseload's lock, the savers' lock), each
# None (not held), False (shared) or True (exclusive).
_HOLDS: dict[Access, tuple[bool, bool | None]] = {
    Access.READ: (False, None),
    Access.WRITE: (False, False),
    Access.WINDOW: (False, True),
    Access.WHOLE: (True, True),
}


def lock_path(db_path: Path) -> Path:
    """The lock file every program holds while it has the caseload open."""
    return db_path.with_name(db_path.name + LOCK_SUFFIXES[0])


def lock_paths(db_path: Path) -> tuple[Path, ...]:
    """Both lock files that may be beside a caseload."""
    return tuple(db_path.with_name(db_path.name + suffix) for suffix in LOCK_SUFFIXES)


class CaseloadLock:
    """An advisory lock on one caseload, held as `access` says (`core.access.Access`)."""

    def __init__(self, db_path: Path, access: Access) -> None:
        self.db_path = caseload_file(Path(db_path))  # two links to one caseload share its lock
        self.access = access
        caseload, savers = lock_paths(self.db_path)
        self._files = (_LockFile(caseload), _LockFile(savers))
        self._held = False
        self._writing = False

    @property
    def held(self) -> bool:
        """True while this object holds the lock (False also in a folder that cannot hold a
        lock file, where SQLite refuses to write anyway)."""
        return self._held and self._files[0].handle is not None

    def acquire(self) -> CaseloadLock:
        """Take the lock now or raise DatabaseInUse naming the caseload (never waits)."""
        if self._held:
            return self
        taken: list[_LockFile] = []
        order = list(zip(self._files, _HOLDS[self.access], strict=True))
        if self.access is Access.WHOLE:  # never holds the caseload's lock beside the window
            order.reverse()
        for file, exclusive in order:
            if exclusive is None:
                continue
            try:
                if not file.take(exclusive=exclusive):
                    raise DatabaseInUse(in_use_message(self.db_path, self.access))
            except DatabaseInUse:
                for other in reversed(taken):
                    other.release()
                raise
            taken.append(file)
        self._held = True
        return self

    @property
    def writing(self) -> bool:
        """True while a reader holds the lock as a command that may save (`try_write`)."""
        return self._writing

    def try_write(self) -> bool:
        """For a reader: hold the lock as a command that may save (Access.WRITE) too, if the
        window does not have the caseload open (True), so the reader may save what reading
        needs (an upgrade at open, a first pseudonym key) until `stop_write()`; False, holding
        nothing more, when the window has it open."""
        if not self._held or self.access is not Access.READ or self._writing:
            return self._writing
        self._writing = self._files[1].take(exclusive=False)
        return self._writing

    def stop_write(self) -> None:
        """Hold the lock as a reader only again (after `try_write()`): a window may open."""
        if self._writing:
            self._writing = False
            self._files[1].release()

    @contextmanager
    def whole_file(self) -> Iterator[None]:
        """For the window: keep out readers as well during this block (a whole-file change:
        a new passphrase, an erasure), or DatabaseInUse, nothing done, while one reads."""
        if not self._held or self.access is not Access.WINDOW:
            yield
            return
        if not self._files[0].convert(exclusive=True):
            raise DatabaseInUse(
                f"A JourneyApp command is reading {self.db_path} right now (a plan, report or "
                "export). Let it finish, then try again; nothing was changed."
            )
        try:
            yield
        finally:
            self._files[0].convert(exclusive=False)

    def release(self) -> None:
        """Let go of the lock (the OS also releases it if the program ends)."""
        if not self._held:
            return
        self._held = False
        self.stop_write()
        for file in reversed(self._files):
            file.release()


def in_use_message(db_path: Path, access: Access) -> str:
    """What to say when `db_path` cannot be opened as `access` asks, for the one who asked."""
    if access is Access.READ:
        return (
            f"{db_path} is busy: a JourneyApp command is replacing or re-encrypting it (restore, "
            "passphrase or erase), or an older JourneyApp has it open. Let that finish (or close "
            "it), then try again."
        )
    if access is Access.WINDOW:
        return (
            f"{db_path} is already open in JourneyApp (in another window, or a command that is "
            "still running). Close it there first, then try again: two programs changing one "
            "caseload at once could mix up its records."
        )
    return (
        f"{db_path} is already open in JourneyApp (in a window, or a command that is still "
        "running), and this command changes it. Close the JourneyApp window for this caseload "
        "(or let the command finish), then run this command again; nothing was changed. "
        "Commands that only read it (plan, plans, report, export, appointments, check) work "
        "while the window is open."
    )


class _LockFile:
    """One lock file: taken shared or exclusive, never waited for; the last holder removes it."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.handle: IO[str] | None = None

    def take(self, *, exclusive: bool) -> bool:
        """Lock the file now: False when another program holds it in a way that keeps this out."""
        path = self.path
        while True:
            try:
                handle = _open_lock_file(path)
            except OSError:
                if path.is_symlink():
                    raise DatabaseInUse(_link_message(path)) from None
                # A read-only folder cannot hold a lock file; SQLite will refuse writes there.
                return True
            try:
                if sys.platform == "win32":  # pragma: no cover
                    # Windows' byte lock has no shared kind: every holder keeps all others out.
                    msvcrt.locking(handle.fileno(), msvcrt.LK_NBLCK, 1)
                else:
                    mode = fcntl.LOCK_EX if exclusive else fcntl.LOCK_SH
                    fcntl.flock(handle.fileno(), mode | fcntl.LOCK_NB)
            except OSError:
                replaced = not _still_there(handle, path)
                handle.close()
                if replaced:  # its last holder was removing it: lock the one there now
                    continue
                return False
            if _still_there(handle, path):
                break
            handle.close()  # removed by its last holder after we opened it: a lock on nothing
        if exclusive:
            # Who holds it, for a person looking at the folder; the lock is the flock, not
            # these bytes, so a full disk that cannot take them does not stop the lock.
            # Written past Python's buffer, which would otherwise try again at close and raise.
            with suppress(OSError):
                os.ftruncate(handle.fileno(), 0)
                os.write(handle.fileno(), f"{os.getpid()}\n".encode())
        self.handle = handle
        return True

    def convert(self, *, exclusive: bool) -> bool:
        """Hold the file now exclusively or shared again: False (holding it shared) when
        another program holds it too. Only for a holder no one else can hold it exclusively
        beside (the window): a failed change, or one made on a file removed meanwhile by a
        reader letting go, ends with the file there now held shared."""
        handle = self.handle
        if handle is None or sys.platform == "win32":  # pragma: no cover - Windows: all alone
            return True  # (or a read-only folder: no lock file to hold)
        try:
            mode = fcntl.LOCK_EX if exclusive else fcntl.LOCK_SH
            fcntl.flock(handle.fileno(), mode | fcntl.LOCK_NB)
            changed = True
        except OSError:  # the lock held before may be gone (flock changes it in two steps)
            changed = False
        if changed and _still_there(handle, self.path):
            return True
        handle.close()
        self.handle = None
        deadline = time.monotonic() + 2
        while not self.take(exclusive=False):  # only readers hold it: none keeps this out
            if time.monotonic() > deadline:
                raise DatabaseInUse(f"{self.path} is held by another program; try again.")
            time.sleep(0.001)
        return not exclusive

    def release(self) -> None:
        """Let go of the lock, removing the file when no one else holds it."""
        handle, self.handle = self.handle, None
        if handle is None:
            return
        path = self.path
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
            # it meanwhile sees it gone once locked and makes a new one (take).
            with suppress(OSError):
                fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
                if _still_there(handle, path):
                    path.unlink()
        finally:
            handle.close()  # closing lets go of whichever lock it still has


def _open_lock_file(path: Path) -> IO[str]:
    """Open (or make, private) the lock file itself: never a file a link at its name points to,
    which taking the lock would empty and write a process number into."""
    flags = os.O_RDWR | os.O_CREAT | os.O_APPEND | getattr(os, "O_NOFOLLOW", 0)
    descriptor = os.open(path, flags, 0o600)
    return os.fdopen(descriptor, "a+", encoding="utf-8")


def _link_message(path: Path) -> str:
    return (
        f"{path} is a link to another file, not JourneyApp's lock file, so JourneyApp did not "
        f"open the caseload (taking the lock would write into the file it points to). Remove "
        f"the link (rm {path}; the file it points to stays as it is), then try again. "
        "Nothing was changed."
    )


def _still_there(handle: IO[str], path: Path) -> bool:
    """True when `path` is still the file `handle` has open (not removed or replaced)."""
    try:
        now = path.stat()
    except OSError:
        return False
    opened = os.fstat(handle.fileno())
    return (now.st_dev, now.st_ino) == (opened.st_dev, opened.st_ino)
