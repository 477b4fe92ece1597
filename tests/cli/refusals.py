"""What a refused command must look like: exit 1 (2 for a command line click cannot read), no
traceback, one line starting "Error:"; and what it must leave: the folder as it was."""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

from click.testing import Result


def refused(result: Result, *words: str, code: int = 1) -> str:
    """The one error line of a refused command, checked to hold `words`."""
    assert result.exit_code == code, result.output
    assert "Traceback" not in result.output
    errors = [line for line in result.stderr.splitlines() if line.startswith("Error:")]
    assert len(errors) == 1, result.stderr
    for word in words:
        assert word in errors[0], errors[0]
    return errors[0]


def folder_state(folder: Path) -> dict[str, tuple[int, str] | None]:
    """Everything under `folder`: each file's size and a digest of its bytes (None for a
    folder), by its path inside `folder`. Equal before and after: nothing made, changed or
    removed there (no lock file, no -wal or -shm, no half-written output)."""
    state: dict[str, tuple[int, str] | None] = {}
    for root, folders, files in os.walk(folder):
        here = Path(root)
        for name in folders:
            state[str((here / name).relative_to(folder)) + "/"] = None
        for name in files:
            data = (here / name).read_bytes()
            state[str((here / name).relative_to(folder))] = (
                len(data),
                hashlib.sha256(data).hexdigest(),
            )
    return state
