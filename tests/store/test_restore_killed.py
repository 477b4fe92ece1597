"""A restore stopped at any moment (the program killed, the power cut) leaves a caseload at
its path that opens with its passphrase: the one before, or the backup, never nothing.

A child process restores and kills itself just before its Nth file operation (copy, sync,
link, rename, remove), for every N until one restore runs to its end."""

from __future__ import annotations

import os
import shutil
import sys
from datetime import UTC, datetime
from pathlib import Path

import pytest

from journeyapp import security
from journeyapp.caseload import Caseload
from tests.clock import ticking_clock
from tests.store.killed import killed_at

pytestmark = pytest.mark.skipif(
    sys.platform == "win32" or not hasattr(os, "fork"), reason="needs fork and SIGKILL"
)

KEY = "four quiet river stones"
START = datetime(2026, 11, 28, 9, 0, tzinfo=UTC)


def _names(path: Path) -> set[str]:
    caseload = Caseload.open(path, KEY)
    try:
        return {p.preferred_name for p in caseload.participants()}
    finally:
        caseload.close()


def test_a_restore_killed_at_any_step_leaves_a_caseload_that_opens(tmp_path: Path) -> None:
    path = tmp_path / "caseload.db"
    caseload = Caseload.open(path, KEY, create=True)
    caseload.clock = ticking_clock(START)
    caseload.enrol_participant("Aoife", "fife")
    backup = caseload.safety.backup(now=START).path
    caseload.enrol_participant("Since", "fife")
    caseload.close()
    before, restored = {"Aoife", "Since"}, {"Aoife"}
    pristine = tmp_path / "pristine.db"
    shutil.copyfile(path, pristine)
    finished = False
    step = 0
    while not finished:
        finished = killed_at(
            step, lambda: security.restore(path, backup, KEY, clock=ticking_clock(START))
        )
        assert path.is_file(), f"no caseload at its path after a kill at step {step}"
        assert _names(path) in (before, restored), step
        for leftover in tmp_path.glob("caseload.db.before-restore-*"):
            leftover.unlink()  # the next kill starts from the caseload as it was
        shutil.copyfile(pristine, path)
        step += 1
    assert step > 3  # the kills fell between the restore's steps, not all before them
