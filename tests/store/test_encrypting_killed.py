"""Encrypting a plain caseload stopped at any moment (the program killed, the power cut) loses
nothing and, once the encrypted file is in place, leaves no plain copy: the next start finishes
deleting the plain backups it had still to delete, and never mistakes the caseload itself for a
leftover to overwrite.

A child process encrypts and kills itself just before its Nth file operation, for every N
until one run reaches its end."""

from __future__ import annotations

import os
import shutil
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from journeyapp.caseload import Caseload
from journeyapp.store.db import SQLITE_HEADER
from tests.clock import ticking_clock
from tests.store.killed import killed_at
from tests.store.test_plain_copies import _canary_in

pytestmark = pytest.mark.skipif(
    sys.platform == "win32" or not hasattr(os, "fork"), reason="needs fork and SIGKILL"
)

CANARY = "Zyxwoqcanary"
KEY = bytes(range(32))  # a raw key skips the deliberately slow key derivation
START = datetime(2026, 11, 28, 9, 0, tzinfo=UTC)


def _encrypt(path: Path) -> None:
    caseload = Caseload.open(path)
    caseload.safety.change_passphrase(None, KEY)
    caseload.close()


def test_encrypting_killed_at_any_step_loses_nothing_and_leaves_no_plain_copy(
    tmp_path: Path,
) -> None:
    work = tmp_path / "work"
    work.mkdir()
    path = work / "caseload.db"
    caseload = Caseload.open(path, create=True, plain=True)
    caseload.clock = ticking_clock(START)
    caseload.enrol_participant(CANARY, "fife")
    for day in (2, 1):
        caseload.safety.backup(now=START - timedelta(days=day))
    caseload.close()
    pristine = tmp_path / "pristine"
    shutil.copytree(work, pristine)
    finished = False
    step = 0
    while not finished:
        finished = killed_at(step, lambda: _encrypt(path))
        # The next start (here, a command opening it with the new passphrase, which a plain
        # file does not need) tidies what the stopped run left.
        reopened = Caseload.open(path, KEY)
        try:
            assert [p.preferred_name for p in reopened.participants()] == [CANARY], step
            encrypted = reopened.is_encrypted
        finally:
            reopened.close()
        if encrypted:
            assert path.read_bytes()[:16] != SQLITE_HEADER
            assert _canary_in(work) == [], f"a plain copy left after a kill at step {step}"
        shutil.rmtree(work)
        shutil.copytree(pristine, work)
        step += 1
    assert step > 5
