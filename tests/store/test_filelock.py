"""The lock file beside a caseload lasts as long as a lock on it: the last holder removes it, and
a program that locked a lock file removed or replaced meanwhile locks the one there now."""

from __future__ import annotations

import multiprocessing
import os
import sys
import time
from pathlib import Path
from typing import Any

import pytest

from journeyapp.caseload import Caseload
from journeyapp.core.errors import DatabaseInUse, WrongPassphrase
from journeyapp.store.filelock import CaseloadLock, lock_path

KEY = "four quiet river stones"


def test_a_lock_on_a_caseload_that_is_not_there_leaves_nothing(tmp_path: Path) -> None:
    lock = CaseloadLock(tmp_path / "none.db", exclusive=True).acquire()
    assert lock.held
    assert lock_path(tmp_path / "none.db").exists()
    lock.release()
    assert os.listdir(tmp_path) == []


def test_the_last_of_several_holders_removes_the_lock_file(tmp_path: Path) -> None:
    path = tmp_path / "mine.db"
    first = CaseloadLock(path, exclusive=False).acquire()
    second = CaseloadLock(path, exclusive=False).acquire()
    with pytest.raises(DatabaseInUse, match="already open"):
        CaseloadLock(path, exclusive=True).acquire()
    first.release()
    assert lock_path(path).exists()  # the second still holds it
    with pytest.raises(DatabaseInUse):
        CaseloadLock(path, exclusive=True).acquire()
    second.release()
    assert not lock_path(path).exists()
    CaseloadLock(path, exclusive=True).acquire().release()
    assert os.listdir(tmp_path) == []


def test_a_lock_file_replaced_meanwhile_is_not_shared_by_two(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "mine.db"
    # Its last holder removed it, and another program made it again, just after this one
    # opened it: the lock taken must be on the file there now, where others will look.
    lock_file = lock_path(path)
    lock_file.write_text("", encoding="utf-8")
    real_open = Path.open
    replaced: list[Path] = []

    def open_then_replace(self: Path, *args: Any, **kwargs: Any) -> Any:
        handle = real_open(self, *args, **kwargs)
        if self == lock_file and not replaced:
            replaced.append(self)
            self.unlink()
            real_open(self, "w").close()
        return handle

    monkeypatch.setattr(Path, "open", open_then_replace)
    held = CaseloadLock(path, exclusive=True).acquire()
    monkeypatch.undo()
    assert replaced
    with pytest.raises(DatabaseInUse):
        CaseloadLock(path, exclusive=False).acquire()
    held.release()
    assert os.listdir(tmp_path) == []


def test_opening_and_closing_a_caseload_leaves_only_the_caseload(tmp_path: Path) -> None:
    path = tmp_path / "mine.db"
    Caseload.open(path, KEY, create=True).close()
    assert os.listdir(tmp_path) == ["mine.db"]
    window = Caseload.open(path, KEY, exclusive=True)
    assert lock_path(path).exists()
    window.close()
    assert os.listdir(tmp_path) == ["mine.db"]


def test_a_refused_open_leaves_only_the_caseload(tmp_path: Path) -> None:
    path = tmp_path / "mine.db"
    Caseload.open(path, KEY, create=True).close()
    before = path.read_bytes()
    with pytest.raises(WrongPassphrase):
        Caseload.open(path, "not the passphrase at all")
    assert os.listdir(tmp_path) == ["mine.db"]
    assert path.read_bytes() == before


def _take_turns(folder: str, seconds: float, results: Any) -> None:
    """Lock and let go again and again, now shared, now exclusive, counting each time a lock
    held turns out not to keep the others out (a marker another holder made is there)."""
    db = Path(folder) / "mine.db"
    sole = Path(folder) / "exclusive-holder"
    readers = Path(folder) / "readers"
    end = time.monotonic() + seconds
    turns = clashes = 0
    while time.monotonic() < end:
        turns += 1
        lock = CaseloadLock(db, exclusive=turns % 3 == 0)
        try:
            lock.acquire()
        except DatabaseInUse:
            continue
        if lock.exclusive:
            try:
                os.close(os.open(sole, os.O_CREAT | os.O_EXCL | os.O_WRONLY))
            except FileExistsError:
                clashes += 1
            clashes += any(readers.iterdir())
            sole.unlink(missing_ok=True)
        else:
            mine = readers / str(os.getpid())
            mine.touch()
            clashes += sole.exists()
            mine.unlink()
        lock.release()
    results.put((turns, clashes))


@pytest.mark.skipif(sys.platform == "win32", reason="the POSIX lock's removal and retaking")
def test_programs_locking_and_removing_the_lock_file_at_once_never_share_it(
    tmp_path: Path,
) -> None:
    # Each holder lets go by removing the file when it can; one that opened the file just
    # before must not then hold a lock on a file no one else sees.
    (tmp_path / "readers").mkdir()
    spawn = multiprocessing.get_context("spawn")
    results = spawn.Queue()
    programs = [
        spawn.Process(target=_take_turns, args=(str(tmp_path), 1.5, results)) for _ in range(4)
    ]
    for program in programs:
        program.start()
    counts = [results.get(timeout=120) for _ in programs]
    for program in programs:
        program.join(timeout=120)
    assert sum(turns for turns, _ in counts) > 200
    assert [clashes for _, clashes in counts] == [0, 0, 0, 0]
    assert sorted(os.listdir(tmp_path)) == ["readers"]  # and no lock file left
