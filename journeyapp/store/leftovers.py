"""What interrupted work leaves behind, found and removed: half-written copies beside a caseload
and in its backups folder, and the scratch folders of `--demo` and `--smoke-test` runs.

Everything here is cleaned at the next start when a run was killed before it could tidy up
(issue 17: no readable copy is left behind by any path).
"""

from __future__ import annotations

import contextlib
import os
import shutil
import stat
import tempfile
from pathlib import Path

from journeyapp.core.private_files import private_dir

# Suffixes of files JourneyApp writes first and renames into place when complete.
HALF_WRITTEN = (".partial", ".encrypting", ".restoring", ".rekeying", ".plain-scrub")
SIDECARS = ("", "-wal", "-shm", "-journal")
SCRATCH_PREFIX = "journeyapp-run-"
# The scratch folders of this version and of older ones, by how their names begin.
_SCRATCH_NAMES = (SCRATCH_PREFIX, "journeyapp-demo-", "journeyapp-preview-")


def scrub(path: Path) -> None:
    """Overwrite a file with zeros, then delete it (and its sidecars), so a plain copy's bytes
    are not left readable in the freed blocks where the file system reuses them in place."""
    for suffix in SIDECARS:
        target = Path(str(path) + suffix)
        with contextlib.suppress(OSError):
            # Only the file itself: a link of that name (put there by someone, or by a copy)
            # is removed, never written through, which would zero the file it points to.
            descriptor = os.open(target, os.O_RDWR | getattr(os, "O_NOFOLLOW", 0))
            with os.fdopen(descriptor, "r+b") as handle:
                found = os.fstat(descriptor)
                if stat.S_ISREG(found.st_mode):
                    block = b"\0" * 65536
                    left = found.st_size
                    while left > 0:
                        handle.write(block[: min(left, len(block))])
                        left -= len(block)
                    handle.flush()
                    os.fsync(handle.fileno())
        with contextlib.suppress(FileNotFoundError, IsADirectoryError):
            target.unlink()


def half_written_beside(db_path: Path) -> list[Path]:
    """Half-written files of this caseload: beside it and in its backups folder."""
    found: list[Path] = []
    for folder in (db_path.parent, db_path.parent / "backups"):
        if not folder.is_dir():
            continue
        for path in folder.iterdir():
            name = path.name
            if not name.startswith(db_path.stem):
                continue
            base = name
            for sidecar in SIDECARS[1:]:
                base = base.removesuffix(sidecar)
            if base.endswith(HALF_WRITTEN):
                found.append(path)
    return sorted(found)


def remove_half_written(db_path: Path) -> list[Path]:
    """Delete (scrubbing) every half-written file of this caseload; returns what was removed.

    Only call this with the caseload's lock held: a running backup's `.partial` is not stale.
    """
    removed = []
    for path in half_written_beside(db_path):
        if path.is_dir():
            shutil.rmtree(path, ignore_errors=True)
        elif _same_file(path, db_path):
            # A second name for the caseload itself (encrypting it was stopped before the
            # encrypted copy took its place): the name goes, the caseload's bytes stay.
            path.unlink()
        else:
            scrub(path)
        removed.append(path)
    return removed


def _same_file(one: Path, other: Path) -> bool:
    try:
        return os.path.samefile(one, other)
    except OSError:
        return False


def scratch_folder(kind: str) -> Path:
    """A private temporary folder for a demo or smoke-test run, named with this process's id
    so the next start can tell a dead run's folder from a running one's."""
    base = Path(tempfile.gettempdir())
    folder = Path(tempfile.mkdtemp(prefix=f"{SCRATCH_PREFIX}{kind}-{os.getpid()}-", dir=base))
    private_dir(folder)
    return folder


def _alive(pid: int) -> bool:
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except (PermissionError, OSError):
        return True  # someone else's live process: leave its folder alone
    return True


def _older_than(folder: Path, seconds: float) -> bool:
    import time

    try:
        return time.time() - folder.stat().st_mtime > seconds
    except OSError:
        return False


def remove_stale_scratch() -> list[Path]:
    """Delete the scratch folders of demo and smoke-test runs that are no longer running
    (and the `journeyapp-demo-*` / `journeyapp-preview-*` folders older versions left)."""
    base = Path(tempfile.gettempdir())
    removed = []
    with contextlib.suppress(OSError), os.scandir(base) as entries:
        # By name first: the temporary folder is shared with every other program (a thousand
        # entries or more), and asking the system about each of them before reading its name
        # took 8-10 ms of the window's start (#18). A folder, not a link to one: read from
        # the folder's listing, with no further question to the system on most systems.
        for entry in entries:
            name = entry.name
            if not name.startswith(_SCRATCH_NAMES):
                continue
            try:
                if not entry.is_dir(follow_symlinks=False):
                    continue
            except OSError:
                continue
            folder = Path(entry.path)
            if name.startswith(("journeyapp-demo-", "journeyapp-preview-")):
                # From versions before issue 17, with no owner to ask: gone once a day old.
                stale = _older_than(folder, 86_400)
            elif name.startswith(SCRATCH_PREFIX):
                parts = name[len(SCRATCH_PREFIX) :].split("-")
                stale = len(parts) >= 2 and parts[1].isdigit() and not _alive(int(parts[1]))
            else:
                continue
            if stale:
                remove_folder(folder)
                removed.append(folder)
    return removed


def remove_folder(folder: Path) -> None:
    """Delete a scratch folder and everything in it, scrubbing its files first."""
    for path in sorted(folder.rglob("*"), reverse=True):
        if path.is_file() and not path.is_symlink():
            scrub(path)
    shutil.rmtree(folder, ignore_errors=True)


def demo_being_built(path: Path) -> Path:
    """The name a demo caseload is built under (a stale one from a killed run is removed)."""
    partial = path.with_name(path.name + ".partial")
    for stale in (partial, Path(str(partial) + ".lock")):
        for suffix in SIDECARS:
            with contextlib.suppress(FileNotFoundError):
                Path(str(stale) + suffix).unlink()
    return partial


def finish_demo(partial: Path, path: Path) -> None:
    """Give a whole, closed demo caseload its real name."""
    os.replace(partial, path)
    with contextlib.suppress(FileNotFoundError):
        Path(str(partial) + ".lock").unlink()
