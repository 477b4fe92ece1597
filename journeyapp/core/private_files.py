"""Private files and folders: readable by the person who made them only (0600 / 0700).

Exports, keys, bundles, plans and backups hold personal data; on a shared or multi-user
laptop they must not be readable by other accounts. On Windows, POSIX modes mean little (the
user's profile folders are private by default), so the chmod is best effort there.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import tempfile
import threading
from collections.abc import Iterator
from pathlib import Path

from journeyapp.core import held_files
from journeyapp.core.errors import ValidationError
from journeyapp.core.file_trouble import storage_error

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


# -- work in progress: a half-written file is removed at the next start if its run died --------


def _alive(pid: int) -> bool:
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:
        return True
    return True


def _lines(register: Path) -> list[str]:
    with contextlib.suppress(OSError):
        return register.read_text(encoding="utf-8").splitlines()
    return []


@contextlib.contextmanager
def in_progress(partial: Path, register: Path | None) -> Iterator[Path]:
    """Note `partial` (a file or folder being written) in `register` while it is written, so
    that if this run is killed the next start removes it (see `remove_abandoned`)."""
    if register is None:
        yield partial
        return
    line = f"{os.getpid()}\t{Path(partial).resolve()}"
    with contextlib.suppress(OSError):
        private_dir(register.parent)
        with register.open("a", encoding="utf-8") as handle:
            handle.write(line + "\n")
        private_file(register)
    try:
        yield partial
    finally:
        with contextlib.suppress(OSError):
            kept = [x for x in _lines(register) if x != line]
            register.write_text("".join(k + "\n" for k in kept), encoding="utf-8")


# One block at a time sets where Python's temporary files go (a setting of the whole process).
_TEMPORARY_FILES = threading.RLock()


@contextlib.contextmanager
def temporary_files_beside(target: Path, register: Path | None) -> Iterator[Path]:
    """While this block runs, Python's temporary files are made in a private folder beside
    `target` (noted in `register`, so a killed run's folder is removed at the next start;
    removed at the block's end), not in the system's shared temporary folder.

    openpyxl writes each sheet of a workbook to a temporary file before zipping them into the
    workbook: in the shared folder (never looked at, and on Windows never emptied), an export
    of parents' details stopped half-way by a crash or a flat battery stayed there, readable,
    away from the place the person chose for it."""
    target.parent.mkdir(parents=True, exist_ok=True)
    with _TEMPORARY_FILES:
        folder = Path(tempfile.mkdtemp(prefix=f".{target.name}.", dir=target.parent))  # 0700
        with in_progress(folder, register):
            before = tempfile.tempdir
            tempfile.tempdir = str(folder)
            try:
                yield folder
            finally:
                tempfile.tempdir = before
                shutil.rmtree(folder, ignore_errors=True)


def remove_abandoned(register: Path) -> list[Path]:
    """Delete the half-written files and folders of runs that died; returns what was removed."""
    removed: list[Path] = []
    kept: list[str] = []
    for line in _lines(register):
        pid_text, _, name = line.partition("\t")
        if not name:
            continue
        if pid_text.isdigit() and _alive(int(pid_text)):
            kept.append(line)
            continue
        target = Path(name)
        if target.is_dir() and not target.is_symlink():
            shutil.rmtree(target, ignore_errors=True)
            removed.append(target)
        else:
            for suffix in ("", "-wal", "-shm", "-journal"):
                side = Path(str(target) + suffix)
                if side.exists():
                    with contextlib.suppress(OSError):
                        side.unlink()
                    removed.append(side)
    with contextlib.suppress(OSError):
        register.write_text("".join(k + "\n" for k in kept), encoding="utf-8")
    return removed


def harden_process() -> None:
    """For every entry point: no core dumps (they would hold decrypted records) and a private
    umask, so every file and folder this run creates is this account's only."""
    if os.name != "nt":
        import resource

        with contextlib.suppress(ValueError, OSError):
            resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
        set_private_umask()


def _refuse_to_replace_another_kind(path: Path, start: bytes, kind: str) -> None:
    try:
        first = held_files.head(path, len(start))  # it may be a file this process holds
    except OSError:
        return  # nothing there to lose (or nothing readable: writing says what is wrong)
    if first and not first.startswith(start):
        raise ValidationError(
            f"{path} is already there and is not {kind} (it may be a caseload or another "
            "document), so JourneyApp did not write over it. Choose a new file name; nothing "
            "was written."
        )


def write_private(
    path: Path,
    data: bytes,
    *,
    register: Path | None,
    doing: str,
    suffix: str = "",
    replaces: tuple[bytes, str] | None = None,
) -> None:
    """Write a whole private file or nothing: a 0600 temp file beside it (listed in `register`
    while it is written) renamed into place; a failure is a StorageError saying `doing`.

    `replaces` (the first bytes of such a file, and what it is called: b"%PDF-", "a PDF") is
    what a file already at `path` may be to be written over; anything else there (a caseload,
    a document) is refused with a ValidationError, so a mistyped name costs nothing.
    """
    if replaces is not None:
        _refuse_to_replace_another_kind(path, *replaces)
    try:
        if not path.parent.is_dir():
            private_dir(path.parent)  # a new folder: this account only
        # mkstemp makes the file 0600, and the rename keeps that.
        fd, tmp = tempfile.mkstemp(prefix=".journeyapp-", suffix=suffix, dir=path.parent)
    except OSError as exc:
        raise storage_error(exc, path, doing) from None
    try:
        with in_progress(Path(tmp), register), os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    except OSError as exc:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise storage_error(exc, path, doing, after="Nothing was left half-written.") from None
