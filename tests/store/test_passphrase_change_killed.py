"""A new passphrase stopped at any moment (the program killed, the power cut): the caseload
opens with the old passphrase or the new one, and once it opens with the new one no copy of it
opens with the old (which may be why it was changed). Trying again after a stop finishes it.

A child process changes the passphrase and kills itself just before its Nth file operation,
for every N until one change runs to its end."""

from __future__ import annotations

import os
import shutil
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from journeyapp.caseload import Caseload
from journeyapp.core.errors import WrongPassphrase
from journeyapp.store import backup as store_backup
from journeyapp.store import db as store_db
from tests.clock import ticking_clock
from tests.store.killed import killed_at

pytestmark = pytest.mark.skipif(
    sys.platform == "win32" or not hasattr(os, "fork"), reason="needs fork and SIGKILL"
)

# Raw keys skip the deliberately slow key derivation (a text passphrase behaves the same).
OLD = bytes(range(32))
NEW = bytes(range(1, 33))
START = datetime(2026, 11, 28, 9, 0, tzinfo=UTC)


def _change(path: Path, current: bytes, new: bytes) -> None:
    caseload = Caseload.open(path, current)
    caseload.clock = ticking_clock(START + timedelta(days=1))
    caseload.safety.change_passphrase(current, new)
    caseload.close()


def _opens_with(path: Path) -> bytes:
    for key in (NEW, OLD):
        try:
            Caseload.open(path, key).close()
        except WrongPassphrase:
            continue
        return key
    raise AssertionError("the caseload opens with neither passphrase")


def test_a_passphrase_change_killed_at_any_step_leaves_no_copy_under_the_old_one(
    tmp_path: Path,
) -> None:
    work = tmp_path / "work"
    work.mkdir()
    path = work / "caseload.db"
    caseload = Caseload.open(path, OLD, create=True)
    caseload.clock = ticking_clock(START)
    caseload.enrol_participant("Aoife", "fife")
    for day in (3, 2, 1):
        caseload.safety.backup(now=START - timedelta(days=day))
    caseload.close()
    pristine = tmp_path / "pristine"
    shutil.copytree(work, pristine)
    finished = False
    step = 0
    while not finished:
        finished = killed_at(step, lambda: _change(path, OLD, NEW))
        key = _opens_with(path)
        copies = [c.path for c in store_backup.every_copy(path)]
        if key == NEW:
            assert not [c for c in copies if store_db.key_opens(c, OLD)], step
        else:  # stopped before the caseload changed: trying again finishes it
            _change(path, OLD, NEW)
            assert _opens_with(path) == NEW
            copies = [c.path for c in store_backup.every_copy(path)]
            assert copies
            assert all(store_db.key_opens(c, NEW) for c in copies), step
        shutil.rmtree(work)
        shutil.copytree(pristine, work)
        step += 1
    assert step > 5
