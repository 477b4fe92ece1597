"""The first bytes of a caseload file, read without dropping SQLite's locks on it.

On Linux and macOS a process has one set of locks on a file, and closing any descriptor of that
file drops them all: the locks SQLite holds through its own descriptors go too. SQLite keeps
its own descriptors open for that reason, but a header read with `open()` and `close()` beside
an open connection (the window's second connection checking the file's header, the key
derivation reading its salt) dropped the window's shared lock. Another program that then
closed its own connection to the caseload (a read command beside the window, the `sqlite3`
tool) found it unused, copied its write-ahead log into it and deleted the log while the window
still wrote to it: every change the window saved after that went into a deleted file and was
gone when it closed ("Saved: corrected" in the window, nothing in the file).

So a file this process has a connection to is held: one descriptor kept open while any of
its connections is (`hold` as a connection opens it, `release` as it closes: only when the last
goes is the descriptor closed, when no lock of this process is left to drop), and every read of
a file's first bytes (`head`) goes through that descriptor while the file is held. On Windows a
lock belongs to one handle, so nothing is held there (a file held open could not be renamed).
"""

from __future__ import annotations

import os
import threading
from pathlib import Path

__all__ = ["head", "hold", "identity", "release", "unlinked"]

_POSIX_LOCKS = os.name != "nt"
Identity = tuple[int, int]  # (device, inode)
_held: dict[Identity, list[int]] = {}  # -> [descriptor, connections open]
_lock = threading.Lock()


def _identity(path: Path | str) -> Identity | None:
    try:
        found = os.stat(path)
    except OSError:
        return None
    return found.st_dev, found.st_ino


def identity(path: Path | str) -> Identity | None:
    """The (device, inode) of the file at `path` now (None: no file there)."""
    return _identity(path)


def unlinked(identity: Identity) -> bool:
    """True when the file held as `identity` has no name left anywhere (deleted while open:
    what is written to it now is gone when the last descriptor closes)."""
    with _lock:
        entry = _held.get(identity)
        if entry is None:
            return False
        try:
            return os.fstat(entry[0]).st_nlink == 0
        except OSError:
            return False


def hold(path: Path | str) -> Identity | None:
    """Note a connection now open on the file at `path`: its descriptor is opened with the first
    (None: nothing held: no such file, or Windows). Give what it returns to `release`."""
    if not _POSIX_LOCKS:
        return None
    identity = _identity(path)
    if identity is None:
        return None
    with _lock:
        entry = _held.get(identity)
        if entry is not None:
            entry[1] += 1
            return identity
        try:
            descriptor = os.open(path, os.O_RDONLY | getattr(os, "O_CLOEXEC", 0))
        except OSError:
            return None
        opened = os.fstat(descriptor)
        identity = (opened.st_dev, opened.st_ino)  # the file opened, should the path have moved
        entry = _held.get(identity)
        if entry is None:
            entry = _held[identity] = [descriptor, 0]
        # (Else the path names a file held already, by now: this descriptor stays open, as
        # closing it would drop that file's locks.)
        entry[1] += 1
        return identity


def release(identity: Identity | None) -> None:
    """Note a connection closed (`hold`'s answer); with the file's last, close its descriptor."""
    if identity is None:
        return
    with _lock:
        entry = _held.get(identity)
        if entry is None:
            return
        entry[1] -= 1
        if entry[1] > 0:
            return
        del _held[identity]
    os.close(entry[0])


def head(path: Path | str, size: int) -> bytes:
    """The first `size` bytes of the file at `path` (fewer when it is shorter), read through the
    descriptor held for it while this process has a connection to it (OSError as `open`
    raises it)."""
    identity = _identity(path)
    with _lock:
        entry = _held.get(identity) if identity is not None else None
        if entry is not None:
            return os.pread(entry[0], size, 0)
    with Path(path).open("rb") as handle:
        return handle.read(size)
