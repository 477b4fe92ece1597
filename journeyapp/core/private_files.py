"""Private files and folders: readable by the person who made them only (0600 / 0700).

Exports, keys, bundles, plans and backups hold personal data; on a shared or multi-user
laptop they must not be readable by other accounts. On Windows, POSIX modes mean little (the
user's profile folders are private by default), so the chmod is best effort there.
"""

from __future__ import annotations

import contextlib
import os
from pathlib import Path

FILE_MODE = 0o600
FOLDER_MODE = 0o700
PRIVATE_UMASK = 0o077


def private_file(path: Path) -> Path:
    """Make an existing file readable and writable by its owner only; returns it."""
    with contextlib.suppress(OSError, NotImplementedError):
        os.chmod(path, FILE_MODE)
    return path


def private_dir(path: Path, *, parents: bool = True) -> Path:
    """Create (if needed) a folder only its owner can enter; returns it."""
    path.mkdir(parents=parents, exist_ok=True, mode=FOLDER_MODE)
    with contextlib.suppress(OSError, NotImplementedError):
        os.chmod(path, FOLDER_MODE)
    return path


def create_private(path: Path) -> Path:
    """Create an empty file with mode 0600 before anything is written to it (so no other
    account can open it in the moment between creation and a later chmod)."""
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, FILE_MODE)
    os.close(fd)
    return private_file(path)


def private_tree(folder: Path) -> None:
    """Make a folder and everything in it private (an export folder of several files)."""
    private_dir(folder, parents=False)
    for path in folder.rglob("*"):
        if path.is_dir():
            private_dir(path, parents=False)
        else:
            private_file(path)


def set_private_umask() -> int:
    """Every file and folder this process creates from now on is private; returns the old mask."""
    return os.umask(PRIVATE_UMASK)
