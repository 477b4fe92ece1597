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

So a caseload this process opens is held: one descriptor kept open for the rest of the process
(`hold`, called as a connection opens it), never closed, and every read of a file's first bytes
(`head`) goes through that descriptor when the file is one this process holds. On Windows a
lock belongs to one handle, so nothing is held there (a file held open could not be renamed).
"""

from __future__ import annotations

import os
import threading
from pathlib import Path

__all__ = ["head", "hold"]

_POSIX_LOCKS = os.name != "nt"
_held: dict[tuple[int, int], int] = {}  # (device, inode) -> a descriptor never closed
_lock = threading.Lock()


def _identity(path: Path | str) -> tuple[int, int] | None:
    try:
        found = os.stat(path)
    except OSError:
        return None
    return found.st_dev, found.st_ino


def hold(path: Path | str) -> None:
    """Keep a descriptor of the file at `path` open for the rest of this process (nothing when
    it is held already, does not exist, or on Windows)."""
    if not _POSIX_LOCKS:
        return
    identity = _identity(path)
    if identity is None:
        return
    with _lock:
        if identity in _held:
            return
        try:
            descriptor = os.open(path, os.O_RDONLY | getattr(os, "O_CLOEXEC", 0))
        except OSError:
            return
        # Never closed (closing it would drop the locks this hold is for). Should the path
        # name another file by now, that file is held instead, as it is now open here.
        opened = os.fstat(descriptor)
        _held.setdefault((opened.st_dev, opened.st_ino), descriptor)


def head(path: Path | str, size: int) -> bytes:
    """The first `size` bytes of the file at `path` (fewer when it is shorter), read through the
    descriptor this process holds for it when it holds one (OSError as `open` raises it)."""
    identity = _identity(path)
    with _lock:
        descriptor = _held.get(identity) if identity is not None else None
    if descriptor is not None:
        return os.pread(descriptor, size, 0)
    with Path(path).open("rb") as handle:
        return handle.read(size)
