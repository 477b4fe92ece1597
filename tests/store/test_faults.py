"""Bad input and faults: damaged or foreign files, a caseload open twice, a full disk, the log."""

from __future__ import annotations

import logging
import random
import shutil
from pathlib import Path

import pytest

from journeyapp.caseload import Caseload
from journeyapp.core.errors import (
    DatabaseInUse,
    JourneyError,
    NotADatabase,
    StorageError,
    WrongPassphrase,
)
from journeyapp.security import setup_logging
from tests.store.test_erasure import CANARY, _enrol_canary, _hits

KEY = bytes(range(32))
JPEG = bytes.fromhex("ffd8ffe000104a46494600010100000100010000") + bytes(range(256)) * 40


def _snapshot(caseload: Caseload) -> tuple[object, ...]:
    people = tuple((p.id, p.preferred_name, p.notes) for p in caseload.participants())
    return people, tuple(sorted(caseload.counts().items())), len(caseload.events())


@pytest.fixture(scope="module")
def good(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, tuple[object, ...]]:
    path = tmp_path_factory.mktemp("good") / "good.db"
    caseload = Caseload.open(path, KEY, create=True)
    for i in range(25):
        pid = caseload.enrol_participant(f"Parent {i}", "fife", notes="x" * 300).id
        caseload.log_contact(pid, note="a conversation about college " * 5)
    snapshot = _snapshot(caseload)
    caseload.close()
    return path, snapshot


def _outcome(path: Path, expected: tuple[object, ...]) -> str:
    """ "detected" (a clear message offering a backup, at open or from the whole-file check
    the window runs after opening) or "identical"; anything else fails."""
    try:
        caseload = Caseload.open(path, KEY)
    except (NotADatabase, WrongPassphrase) as exc:
        message = exc.message
    else:
        message = ""
    if message:
        assert "backup" in message, message
        return "detected"
    try:
        if caseload.safety.whole_file_check():
            return "detected"
        assert _snapshot(caseload) == expected, "silent wrong data"
    finally:
        caseload.close()
    return "identical"


def test_damage_past_the_first_pages_is_left_to_the_whole_file_check(
    good: tuple[Path, tuple[object, ...]], tmp_path: Path
) -> None:
    source, _expected = good
    data = bytearray(source.read_bytes())
    data[-100] ^= 0x10  # the last page: not read by the cheap check at open
    target = tmp_path / "late.db"
    target.write_bytes(bytes(data))
    caseload = Caseload.open(target, KEY)  # opens quickly: only the first pages are checked
    try:
        problems = caseload.safety.whole_file_check()
    finally:
        caseload.close()
    assert problems, "the whole-file check reads every page"
    with pytest.raises(NotADatabase, match=r"damaged.*backup"):
        Caseload.open(target, KEY, check="full")


def test_byte_flips_all_over_an_encrypted_file_are_detected(
    good: tuple[Path, tuple[object, ...]], tmp_path: Path
) -> None:
    source, expected = good
    data = source.read_bytes()
    rng = random.Random(6)
    offsets = sorted(
        {0, 15, 16, 100, 1000, 4095, 4096, 5000, len(data) - 1}
        | {rng.randrange(len(data)) for _ in range(150)}
    )
    results = {"detected": 0, "identical": 0}
    for offset in offsets:
        target = tmp_path / "flip.db"
        flipped = bytearray(data)
        flipped[offset] ^= 1 << rng.randrange(8)
        target.write_bytes(bytes(flipped))
        results[_outcome(target, expected)] += 1
    # SQLCipher's per-page HMAC covers every byte but the salt, which changes the key.
    assert results == {"detected": len(offsets), "identical": 0}


def test_truncated_and_foreign_files_get_the_clear_message(
    good: tuple[Path, tuple[object, ...]], tmp_path: Path
) -> None:
    source, expected = good
    data = source.read_bytes()
    target = tmp_path / "cut.db"
    for size in (1, 15, 100, 4096, 4097, 8192, len(data) // 2, len(data) - 4096, len(data) - 1):
        target.write_bytes(data[:size])
        assert _outcome(target, expected) == "detected", size
    target.write_bytes(b"")
    with pytest.raises(NotADatabase, match="empty"):
        Caseload.open(target, KEY)
    photo = tmp_path / "holiday.db"
    photo.write_bytes(JPEG)
    for key in (KEY, None):
        with pytest.raises(NotADatabase, match="JPEG picture, not a JourneyApp caseload"):
            Caseload.open(photo, key)
    notes = tmp_path / "notes.db"
    notes.write_text("id,name\n1,someone\n" * 100, encoding="utf-8")
    with pytest.raises(NotADatabase, match="backup"):
        Caseload.open(notes)


def test_a_damaged_plain_file_gets_the_clear_message(tmp_path: Path) -> None:
    path = tmp_path / "plain.db"
    caseload = Caseload.open(path, create=True, plain=True)
    for i in range(30):
        caseload.enrol_participant(f"Parent {i}", "fife", notes="y" * 500)
    caseload.close()
    data = bytearray(path.read_bytes())
    data[100:4096] = bytes(len(data[100:4096]))  # the schema page wiped
    path.write_bytes(bytes(data))
    with pytest.raises(NotADatabase, match="backup"):
        Caseload.open(path)


def test_the_same_caseload_twice_is_refused_by_name(tmp_path: Path) -> None:
    path = tmp_path / "mine.db"
    window = Caseload.open(path, KEY, create=True, exclusive=True)
    with pytest.raises(DatabaseInUse, match=str(path)):
        Caseload.open(path, KEY, exclusive=True)
    with pytest.raises(DatabaseInUse, match="already open"):
        Caseload.open(path, KEY)  # a command while the window is open
    window.close()
    first = Caseload.open(path, KEY)
    second = Caseload.open(path, KEY)  # two short commands can read together
    with pytest.raises(DatabaseInUse):
        Caseload.open(path, KEY, exclusive=True)
    first.close()
    second.close()
    Caseload.open(path, KEY, exclusive=True).close()


def test_a_full_disk_fails_the_write_and_keeps_everything_whole(caseload: Caseload) -> None:
    pid = caseload.enrol_participant("Before", "fife").id
    before = _snapshot(caseload)
    pages = caseload.db.execute("PRAGMA page_count").fetchone()[0]
    caseload.db.execute(f"PRAGMA max_page_count = {pages}")  # no room for one more page

    def many_notes() -> None:
        with caseload.batch("many"):
            for i in range(50):
                caseload.log_contact(pid, note="z" * 2000 + str(i))

    with pytest.raises(StorageError, match="Nothing was changed"):
        many_notes()
    caseload.db.execute("PRAGMA max_page_count = 1073741823")
    assert _snapshot(caseload) == before
    assert caseload.safety.problems() == []
    caseload.log_contact(pid, note="room again")


@pytest.mark.skipif(shutil.which("id") is None, reason="needs a POSIX system")
def test_a_read_only_folder_gives_a_clear_message(tmp_path: Path) -> None:
    import os

    if os.geteuid() == 0:
        pytest.skip("root can write to read-only folders")
    folder = tmp_path / "ro"
    folder.mkdir()
    Caseload.open(folder / "c.db", create=True, plain=True).close()
    folder.chmod(0o555)
    try:
        with pytest.raises(JourneyError):
            Caseload.open(folder / "c.db")
    finally:
        folder.chmod(0o755)


def test_the_log_holds_no_personal_data(tmp_path: Path) -> None:
    log_file = setup_logging(tmp_path / "logs")
    path = tmp_path / "logged.db"
    caseload = Caseload.open(path, KEY, create=True)
    pid = _enrol_canary(caseload)
    caseload.safety.backup()
    caseload.safety.erase_participant(pid, CANARY)
    caseload.close()
    with pytest.raises(WrongPassphrase):
        Caseload.open(path, "a wrong passphrase with a canary " + CANARY)
    for handler in logging.getLogger("journeyapp").handlers:
        handler.flush()
    text = log_file.read_bytes()
    assert b"caseload opened" in text
    assert _hits(text) == []
    assert b"wrong passphrase" in text


def test_the_log_rolls_over_keeping_two_older_files(tmp_path: Path) -> None:
    folder = tmp_path / "logs"
    log_file = setup_logging(folder)
    logger = logging.getLogger("journeyapp.rolling")
    ours = [h for h in logging.getLogger("journeyapp").handlers if h.baseFilename == str(log_file)]  # type: ignore[attr-defined]
    assert len(ours) == 1
    handler = ours[0]
    handler.max_bytes = 2_000  # type: ignore[attr-defined]  # small, to roll over soon
    try:
        for n in range(200):
            logger.info("line %d of a log that rolls over", n)
        handler.flush()
        assert sorted(p.name for p in folder.iterdir()) == [
            "journeyapp.log",
            "journeyapp.log.1",
            "journeyapp.log.2",
        ]
        assert all(p.stat().st_size < 2_000 for p in folder.iterdir())
        assert b"line 199 of" in log_file.read_bytes()
        assert (
            b"line 198 of"
            in (folder / "journeyapp.log").read_bytes() + (folder / "journeyapp.log.1").read_bytes()
        )
    finally:
        logging.getLogger("journeyapp").removeHandler(handler)
        handler.close()
