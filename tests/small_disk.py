"""A small disk of its own for a test (a 3 MB tmpfs), and filling it up."""

from __future__ import annotations

import os
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest


@pytest.fixture
def small_disk(tmp_path: Path) -> Iterator[Path]:
    """A 3 MB file system of its own (a tmpfs), unmounted afterwards."""
    folder = tmp_path / "stick"
    folder.mkdir()
    done = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=3m,mode=0700", "tmpfs", str(folder)],
        capture_output=True,
        check=False,
    )
    if shutil.which("mount") is None or done.returncode != 0:
        pytest.skip("cannot mount a small tmpfs here (needs root or CAP_SYS_ADMIN)")
    try:
        yield folder
    finally:
        subprocess.run(["umount", "-l", str(folder)], check=False)


def fill(folder: Path, leave_kib: int = 0) -> Path:
    """Fill the disk, then give back `leave_kib` KiB: the filler, to delete to make space."""
    filler = folder / "filler"
    with filler.open("wb", buffering=0) as handle:  # no buffer left to write again at close
        try:
            while handle.write(b"\0" * 65536):
                pass
        except OSError:
            pass
    os.truncate(filler, max(0, filler.stat().st_size - leave_kib * 1024))
    return filler
