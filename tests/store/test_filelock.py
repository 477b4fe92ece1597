"""The lock file beside a caseload lasts as long as a lock on it: the last holder removes it, and
a program that locked a lock file removed or replaced meanwhile locks the one there now."""

from __future__ import annotations

import multiprocessing
import os
import shutil
import sys
import time
from pathlib import Path
from typing import Any

import pytest

from journeyapp.caseload import Caseload
from journeyapp.core import key_derivation
from journeyapp.core.access import Access
from journeyapp.core.errors import DatabaseInUse, WrongPassphrase
from journeyapp.store import db as store_db
from journeyapp.store import filelock
from journeyapp.store.filelock import CaseloadLock, lock_path, lock_paths

KEY = "four quiet river stones"


def test_a_lock_on_a_caseload_that_is_not_there_leaves_nothing(tmp_path: Path) -> None:
    lock = CaseloadLock(tmp_path / "none.db", Access.WHOLE).acquire()
    assert lock.held
    assert lock_path(tmp_path / "none.db").exists()
    lock.release()
    assert os.listdir(tmp_path) == []


def test_the_last_of_several_holders_removes_the_lock_file(tmp_path: Path) -> None:
    path = tmp_path / "mine.db"
    first = CaseloadLock(path, Access.WRITE).acquire()
    second = CaseloadLock(path, Access.WRITE).acquire()
    with pytest.raises(DatabaseInUse, match="already open"):
        CaseloadLock(path, Access.WHOLE).acquire()
    first.release()
    assert lock_path(path).exists()  # the second still holds it
    with pytest.raises(DatabaseInUse):
        CaseloadLock(path, Access.WHOLE).acquire()
    second.release()
    assert not lock_path(path).exists()
    CaseloadLock(path, Access.WHOLE).acquire().release()
    assert os.listdir(tmp_path) == []


def test_a_lock_file_replaced_meanwhile_is_not_shared_by_two(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "mine.db"
    # Its last holder removed it, and another program made it again, just after this one
    # opened it: the lock taken must be on the file there now, where others will look.
    lock_file = lock_path(path)
    lock_file.write_text("", encoding="utf-8")
    real_open = filelock._open_lock_file
    replaced: list[Path] = []

    def open_then_replace(self: Path) -> Any:
        handle = real_open(self)
        if self == lock_file and not replaced:
            replaced.append(self)
            self.unlink()
            self.open("w").close()
        return handle

    monkeypatch.setattr(filelock, "_open_lock_file", open_then_replace)
    held = CaseloadLock(path, Access.WHOLE).acquire()
    monkeypatch.undo()
    assert replaced
    with pytest.raises(DatabaseInUse):
        CaseloadLock(path, Access.WRITE).acquire()
    held.release()
    assert os.listdir(tmp_path) == []


@pytest.mark.skipif(sys.platform == "win32", reason="links need privileges on Windows")
@pytest.mark.parametrize("access", list(Access))
@pytest.mark.parametrize("which", [0, 1])
@pytest.mark.parametrize("points_to", ["a file", "nothing"])
def test_a_lock_file_that_is_a_link_is_refused_and_what_it_points_to_is_untouched(
    tmp_path: Path, access: Access, which: int, points_to: str
) -> None:
    path = tmp_path / "mine.db"
    Caseload.open(path, KEY, create=True).close()
    other = tmp_path / "someone" / "notes.txt"
    other.parent.mkdir()
    if points_to == "a file":
        other.write_text("words that must stay\n", encoding="utf-8")
    link = lock_paths(path)[which]
    if access is Access.READ and which == 1:
        link = lock_paths(path)[0]  # a reader takes only the caseload's lock
    link.symlink_to(other)
    with pytest.raises(DatabaseInUse, match=r"is a link to another file.*Remove the link") as got:
        Caseload.open(path, KEY, access=access)
    assert str(link) in got.value.message
    assert link.is_symlink()  # left for the person to look at
    if points_to == "a file":
        assert other.read_text(encoding="utf-8") == "words that must stay\n"
    else:
        assert not other.exists()  # no file made where the link points
    link.unlink()
    Caseload.open(path, KEY, access=access).close()
    assert sorted(os.listdir(tmp_path)) == ["mine.db", "someone"]


def test_opening_and_closing_a_caseload_leaves_only_the_caseload(tmp_path: Path) -> None:
    path = tmp_path / "mine.db"
    Caseload.open(path, KEY, create=True).close()
    assert os.listdir(tmp_path) == ["mine.db"]
    window = Caseload.open(path, KEY, access=Access.WINDOW)
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


# Who may hold a caseload beside whom (core.access.Access's table, written out again here).
BESIDE = {
    Access.READ: {Access.READ, Access.WRITE, Access.WINDOW},
    Access.WRITE: {Access.READ, Access.WRITE},
    Access.WINDOW: {Access.READ},
    Access.WHOLE: set(),
}
TURNS = (Access.READ, Access.WRITE, Access.WINDOW, Access.READ, Access.WHOLE, Access.WRITE)


def _take_turns(folder: str, seconds: float, results: Any) -> None:
    """Lock and let go again and again, in each of the four ways in turn, counting each time a
    lock held turns out not to keep out one it should (a marker another holder left is there)."""
    db = Path(folder) / "mine.db"
    holders = Path(folder) / "holders"
    end = time.monotonic() + seconds
    turns = clashes = 0
    while time.monotonic() < end:
        access = TURNS[turns % len(TURNS)]
        turns += 1
        lock = CaseloadLock(db, access)
        try:
            lock.acquire()
        except DatabaseInUse:
            continue
        mine = holders / f"{access}-{os.getpid()}"
        mine.touch()
        others = [p.name.split("-")[0] for p in holders.iterdir() if p != mine]
        clashes += sum(Access(kind) not in BESIDE[access] for kind in others)
        mine.unlink()
        lock.release()
    results.put((turns, clashes))


@pytest.mark.skipif(sys.platform == "win32", reason="the POSIX lock's removal and retaking")
def test_programs_locking_and_removing_the_lock_file_at_once_never_share_it(
    tmp_path: Path,
) -> None:
    # Each holder lets go by removing the file when it can; one that opened the file just
    # before must not then hold a lock on a file no one else sees.
    (tmp_path / "holders").mkdir()
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
    assert sorted(os.listdir(tmp_path)) == ["holders"]  # and no lock file left


@pytest.mark.parametrize("first", list(Access))
@pytest.mark.parametrize("then", list(Access))
def test_who_may_open_a_caseload_beside_whom(tmp_path: Path, first: Access, then: Access) -> None:
    path = tmp_path / "mine.db"
    held = CaseloadLock(path, first).acquire()
    if then in BESIDE[first]:
        CaseloadLock(path, then).acquire().release()
    else:
        with pytest.raises(DatabaseInUse, match=str(path)):
            CaseloadLock(path, then).acquire()
    assert held.held  # a refusal (or a second holder letting go) leaves the first one's lock
    if first is not Access.WHOLE:  # and it still keeps out what it kept out before
        with pytest.raises(DatabaseInUse):
            CaseloadLock(path, Access.WHOLE).acquire()
    held.release()
    assert os.listdir(tmp_path) == []  # both lock files gone with the last holder


def test_a_reader_beside_the_window_reads_what_it_saved_and_saves_nothing(
    tmp_path: Path,
) -> None:
    path = tmp_path / "mine.db"
    Caseload.open(path, KEY, create=True).close()
    window = Caseload.open(path, KEY, access=Access.WINDOW)
    window.enrol_participant("Amira", "fife")
    key_derivation.begin(path, KEY)  # as a command derives it while the library loads
    reader = Caseload.open(path, KEY, access=Access.READ)
    assert [p.preferred_name for p in reader.participants()] == ["Amira"]
    window.enrol_participant("Beth", "fife")  # the window saves on while the reader is open
    assert len(reader.participants()) == 1  # the reader reads on in the moment it opened
    later = Caseload.open(path, KEY, access=Access.READ)
    assert len(later.participants()) == 2
    later.close()
    before = path.read_bytes(), Path(f"{path}-wal").read_bytes()
    with pytest.raises(DatabaseInUse, match="Close the JourneyApp window"):
        reader.enrol_participant("Never", "fife")
    with pytest.raises(DatabaseInUse, match="no pseudonym key yet"):
        reader.exchange.pseudonym_key()
    with pytest.raises(Exception, match="not authorized"):  # even SQL sent past the use cases
        reader.db.execute("DELETE FROM participants")
    reader.close()  # and it leaves the log to the window: no checkpoint
    assert key_derivation.derived(str(path), KEY) is None  # nor the derived key in memory
    assert (path.read_bytes(), Path(f"{path}-wal").read_bytes()) == before
    assert len(window.participants()) == 2
    window.close()
    assert os.listdir(tmp_path) == ["mine.db"]


def test_a_reader_without_the_window_saves_what_reading_needs_and_a_window_opens_beside_it(
    tmp_path: Path,
) -> None:
    path = tmp_path / "mine.db"
    Caseload.open(path, KEY, create=True).close()
    reader = Caseload.open(path, KEY, access=Access.READ)
    key = reader.exchange.pseudonym_key()  # no window has it open: made and kept
    window = Caseload.open(path, KEY, access=Access.WINDOW)  # opens beside a long report
    window.enrol_participant("Amira", "fife")
    assert reader.exchange.pseudonym_key() == key
    with pytest.raises(DatabaseInUse):
        Caseload.open(path, KEY, access=Access.WHOLE)  # no restore under either
    reader.close()
    window.close()
    again = Caseload.open(path, KEY, access=Access.READ)
    assert again.exchange.pseudonym_key() == key
    again.close()
    assert os.listdir(tmp_path) == ["mine.db"]


OLDEST = Path(__file__).resolve().parent.parent / "fixtures" / "oldest-schema.db"


def test_a_caseload_to_upgrade_is_refused_to_a_reader_beside_the_window(
    tmp_path: Path,
) -> None:
    path = tmp_path / "old.db"
    shutil.copyfile(OLDEST, path)
    before = path.read_bytes()
    window = CaseloadLock(path, Access.WINDOW).acquire()  # an older JourneyApp's window
    with pytest.raises(DatabaseInUse, match="older version of JourneyApp") as refused:
        Caseload.open(path, access=Access.READ)
    assert "Close the JourneyApp window" in refused.value.message
    assert path.read_bytes() == before
    window.release()
    assert sorted(os.listdir(tmp_path)) == ["old.db"]
    reader = Caseload.open(path, access=Access.READ)  # without the window it upgrades first
    assert not store_db.pending_migrations(reader.db)
    reader.close()


def test_parents_to_erase_again_are_refused_to_a_reader_beside_the_window(
    tmp_path: Path,
) -> None:
    path = tmp_path / "mine.db"
    caseload = Caseload.open(path, KEY, create=True)
    gone = caseload.enrol_participant("Gone", "fife")
    copy = caseload.safety.backup()
    caseload.safety.erase_participant(gone.id, "Gone")
    caseload.close()
    shutil.copyfile(copy.path, path)  # an old copy put back by hand, holding Gone again
    window = CaseloadLock(path, Access.WINDOW).acquire()
    with pytest.raises(DatabaseInUse, match="must be erased again") as refused:
        Caseload.open(path, KEY, access=Access.READ)
    assert "Close the JourneyApp window" in refused.value.message
    window.release()
    reader = Caseload.open(path, KEY, access=Access.READ)  # no window: erased again first
    assert reader.safety.is_erased(gone.id)
    reader.close()


def test_the_window_changes_the_whole_file_only_when_no_command_reads_it(tmp_path: Path) -> None:
    path = tmp_path / "mine.db"
    Caseload.open(path, KEY, create=True).close()
    window = Caseload.open(path, KEY, access=Access.WINDOW)
    gone = window.enrol_participant("Gone", "fife")
    reader = Caseload.open(path, KEY, access=Access.READ)  # a report being made
    with pytest.raises(DatabaseInUse, match="reading") as refused:
        window.safety.erase_participant(gone.id, "Gone")
    assert "nothing was changed" in refused.value.message
    with pytest.raises(DatabaseInUse, match="reading"):
        window.safety.change_passphrase(KEY, "a brand new long passphrase")
    assert not window.safety.is_erased(gone.id)
    assert [p.preferred_name for p in reader.participants()] == ["Gone"]
    with pytest.raises(DatabaseInUse):  # the window still keeps out what it kept out
        Caseload.open(path, KEY)
    reader.close()
    window.safety.erase_participant(gone.id, "Gone")
    reader = Caseload.open(path, KEY, access=Access.READ)  # readers come back after it
    assert reader.participants() == []
    reader.close()
    window.safety.change_passphrase(KEY, "a brand new long passphrase")
    with pytest.raises(DatabaseInUse):
        Caseload.open(path, "a brand new long passphrase", access=Access.WINDOW)
    window.close()
    assert sorted(os.listdir(tmp_path)) == ["backups", "mine.db", "mine.db.erasures"]
