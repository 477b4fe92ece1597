"""Programs at once on one caseload, for real: a window saving all the time, commands reading
beside it, and others trying to save or to open a second window. A reader sees only whole,
committed saves, and through a whole command one moment of the records; no one saves beside
the window; and nothing is left beside the caseload when all have let go."""

from __future__ import annotations

import multiprocessing
import os
import sys
import time
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from journeyapp.caseload import Caseload
from journeyapp.core.access import Access
from journeyapp.core.errors import DatabaseInUse
from tests.clock import ticking_clock

KEY = "four quiet river stones"
CONTACTS = 3  # each parent the window enrols comes with this many contacts, in one save
DAY = date(2026, 3, 2)


def _window(folder: str, seconds: float, results: Any) -> None:
    """Enrol parents, each with their contacts in the same transaction, for `seconds`."""
    path = Path(folder) / "mine.db"
    caseload = Caseload.open(path, KEY, access=Access.WINDOW, clock=ticking_clock(DAY))
    (Path(folder) / "window-open").touch()
    saves = 0
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        with caseload.batch("a parent and their contacts"):
            parent = caseload.enrol_participant(f"Parent {saves}", "fife", joined_on=DAY)
            for _ in range(CONTACTS):
                caseload.log_contact(parent.id, on=DAY)
        saves += 1
    (Path(folder) / "window-open").unlink()
    caseload.close()
    results.put(("window", saves, 0))


def _reader(folder: str, seconds: float, results: Any) -> None:
    """Open the caseload to read, again and again, counting what is not whole: a parent
    without all their contacts, or two reads in one command that disagree."""
    path = Path(folder) / "mine.db"
    reads = wrong = 0
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        try:
            caseload = Caseload.open(path, KEY, access=Access.READ, clock=ticking_clock(DAY))
        except DatabaseInUse:  # only a whole-file change keeps a reader out: none runs here
            wrong += 1
            continue
        try:
            first = caseload.counts()
            time.sleep(0.01)  # the window saves meanwhile
            second = caseload.counts()
            wrong += first != second  # one command, one moment of the records
            wrong += first["contacts"] != CONTACTS * first["participants"]
            wrong += len(caseload.participants()) != first["participants"]
            reads += 1
        finally:
            caseload.close()
    results.put(("reader", reads, wrong))


def _saver(folder: str, seconds: float, results: Any) -> None:
    """Try to save, and to open a second window, while the window is open: each must be
    refused (a try counted as wrong when it got in)."""
    path = Path(folder) / "mine.db"
    tries = wrong = 0
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        access = (Access.WRITE, Access.WINDOW, Access.WHOLE)[tries % 3]
        open_now = (Path(folder) / "window-open").exists()
        try:
            caseload = Caseload.open(path, KEY, access=access, clock=ticking_clock(DAY))
        except DatabaseInUse:
            tries += 1
            continue
        wrong += open_now  # the window was open before this one got in
        caseload.close()
        tries += 1
        time.sleep(0.005)
    results.put(("saver", tries, wrong))


@pytest.mark.skipif(sys.platform == "win32", reason="readers share only with POSIX locks")
def test_readers_see_whole_saves_and_no_one_saves_beside_the_window(tmp_path: Path) -> None:
    path = tmp_path / "mine.db"
    Caseload.open(path, KEY, create=True).close()
    spawn = multiprocessing.get_context("spawn")
    results = spawn.Queue()
    window = spawn.Process(target=_window, args=(str(tmp_path), 3.0, results))
    window.start()
    deadline = time.monotonic() + 60
    while not (tmp_path / "window-open").exists():  # the window is up before the others start
        assert time.monotonic() < deadline
        assert window.is_alive()
        time.sleep(0.01)
    others = [spawn.Process(target=_reader, args=(str(tmp_path), 2.0, results)) for _ in range(2)]
    others.append(spawn.Process(target=_saver, args=(str(tmp_path), 2.0, results)))
    for program in others:
        program.start()
    done = [results.get(timeout=120) for _ in range(4)]
    for program in [window, *others]:
        program.join(timeout=120)
    by_kind: dict[str, list[tuple[int, int]]] = {}
    for kind, turns, wrong in done:
        by_kind.setdefault(kind, []).append((turns, wrong))
    assert by_kind["window"][0][0] > 10  # the window kept saving
    assert all(reads >= 3 for reads, _ in by_kind["reader"]), by_kind  # a key derived each
    assert by_kind["saver"][0][0] > 10
    assert [wrong for turns in by_kind.values() for _, wrong in turns] == [0, 0, 0, 0]
    assert os.listdir(tmp_path) == ["mine.db"]  # no lock file, no log left
    caseload = Caseload.open(path, KEY)
    counts = caseload.counts()
    caseload.close()
    assert counts["participants"] == by_kind["window"][0][0]
    assert counts["contacts"] == CONTACTS * counts["participants"]
