"""A change the window saves is in the file whatever reads the caseload beside it.

The window keeps the caseload open for hours; meanwhile its own background work opens further
connections and reads the file's first bytes (the header check, the key's salt), and other
programs read it (a read command beside the window, the `sqlite3` tool). On Linux, closing any
descriptor of a file drops every lock the process holds on it: once the window's shared lock
was gone, the next program to close its connection took the write-ahead log for unused, copied
it into the file and deleted it, and everything the window saved after that went into the
deleted log ("Saved" in the window, lost when it closed).

Invariant, tried in any order: every parent enrolled by the window's connection is in the file
after it closes, whatever ran beside it in between.
"""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import sqlcipher3.dbapi2 as sqlcipher
from hypothesis import given, settings
from hypothesis import strategies as st

from journeyapp.caseload import Caseload

ROOT = Path(__file__).resolve().parents[2]

PASSPHRASE = "correct horse battery staple 42"

# The window: keeps the caseload open and does what it is told, a line at a time; "crash" ends
# the process without closing anything (a laptop's battery, a kill), so only what reached the
# file (or a log SQLite finds beside it) is kept.
WINDOW = """
import os, sys
from pathlib import Path
from journeyapp.caseload import Caseload
from journeyapp.core import key_derivation
from journeyapp.core.access import Access
from journeyapp.store.db import file_kind

path, passphrase = Path(sys.argv[1]), sys.argv[2]
key = passphrase or None
window = Caseload.open(path, key, create=True, plain=not key, access=Access.WINDOW)
print("ready", flush=True)
for line in sys.stdin:
    step, _, name = line.strip().partition(" ")
    if step == "enrol":
        window.enrol_participant(name, "glasgow")
    elif step == "header":
        file_kind(path)
    elif step == "salt":
        key_derivation.raw_key(path, passphrase)
    elif step == "reader":  # the window's own background connection (the check, a backup)
        beside = Caseload.open(path, key, access=Access.READ)
        beside.participants()
        beside.close()
    elif step == "crash":
        os._exit(0)
    print("done", flush=True)
"""

STEPS = st.lists(
    st.sampled_from(["enrol", "header", "salt", "reader", "outside"]), min_size=1, max_size=6
)


def _outside(path: Path, encrypted: bool) -> None:
    """Another program's connection, opened, read and closed: this test's process is not the
    window's. A plain caseload is read with Python's own SQLite, as the `sqlite3` tool reads it
    (its SQLite takes a log it finds unused for its own, to copy in and delete on closing); an
    encrypted one with SQLCipher, as `sqlcipher` reads it."""
    conn: Any = sqlcipher.connect(str(path)) if encrypted else sqlite3.connect(str(path))
    try:
        if encrypted:
            conn.execute("PRAGMA key = '" + PASSPHRASE.replace("'", "''") + "'")
            conn.execute("PRAGMA cipher_compatibility = 4")
        conn.execute("SELECT count(*) FROM participants").fetchone()
    finally:
        conn.close()


def _names_in_file(path: Path, encrypted: bool) -> list[str]:
    key = PASSPHRASE if encrypted else None
    reopened = Caseload.open(path, key, plain=not encrypted)
    try:
        return sorted(p.preferred_name for p in reopened.participants())
    finally:
        reopened.close()


def _run(path: Path, encrypted: bool, steps: list[str]) -> None:
    window = subprocess.Popen(
        [sys.executable, "-c", WINDOW, str(path), PASSPHRASE if encrypted else ""],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )
    assert window.stdin is not None
    assert window.stdout is not None

    def tell(line: str) -> None:
        assert window.stdin is not None
        assert window.stdout is not None
        window.stdin.write(line + "\n")
        window.stdin.flush()
        if line != "crash":
            assert window.stdout.readline().strip() == "done", window.communicate()[1]

    saved: list[str] = []
    try:
        assert window.stdout.readline().strip() == "ready", window.communicate()[1]
        tell("enrol First")
        saved.append("First")
        _outside(path, encrypted)  # once the log holds something
        for n, step in enumerate(steps):
            if step == "enrol":
                tell(f"enrol Parent{n}")
                saved.append(f"Parent{n}")
            elif step == "outside":
                _outside(path, encrypted)
            elif step != "salt" or encrypted:
                tell(step)
        tell("enrol Last")
        saved.append("Last")
        tell("crash")
        window.wait(timeout=60)
    finally:
        if window.poll() is None:
            window.kill()
        window.communicate()  # (and its pipes closed)
    # Everything the window saved is in the file, though it never closed.
    assert _names_in_file(path, encrypted) == sorted(saved)


@pytest.mark.parametrize("encrypted", [False, True], ids=["plain", "encrypted"])
def test_a_reader_outside_after_the_windows_own_reader_keeps_its_saves(
    tmp_path: Path, encrypted: bool
) -> None:
    # As seen: the window's second connection (which reads the header, or the salt), another
    # program's read, then a save: it must reach the file.
    _run(tmp_path / "c.db", encrypted, ["reader", "outside", "enrol"])


@settings(max_examples=6, deadline=None)
@given(steps=STEPS, encrypted=st.booleans())
def test_no_save_is_lost_whatever_reads_beside_the_window(
    tmp_path_factory: pytest.TempPathFactory, steps: list[str], encrypted: bool
) -> None:
    _run(tmp_path_factory.mktemp("beside") / "c.db", encrypted, steps)
