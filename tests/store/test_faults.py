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
from journeyapp.security import check_whole_file, open_caseload, setup_logging
from tests.store.test_erasure import CANARY, _enrol_canary, _hits

KEY = bytes(range(32))
JPEG = bytes.fromhex("ffd8ffe000104a46494600010100000100010000") + bytes(range(256)) * 40


def _snapshot(caseload: Caseload) -> tuple[object, ...]:
    people = tuple((p.id, p.preferred_name, p.notes) for p in caseload.participants())
    return people, tuple(sorted(caseload.counts().items())), len(caseload.events())


@pytest.fixture(scope="module")
def good(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, tuple[object, ...]]:
    path = tmp_path_factory.mktemp("good") / "good.db"
    caseload = Caseload.open(path, KEY)
    for i in range(25):
        pid = caseload.enrol_participant(f"Parent {i}", "fife", notes="x" * 300).id
        caseload.log_contact(pid, note="a conversation about college " * 5)
    snapshot = _snapshot(caseload)
    caseload.close()
    return path, snapshot


def _outcome(path: Path, expected: tuple[object, ...]) -> str:
    """ "detected" (a clear message offering a backup) or "identical"; anything else fails.

    Detected at open (the cheap checks) or by the whole-file check the window runs after.
    """
    try:
        caseload = open_caseload(path, KEY)
        try:
            check_whole_file(caseload)
        except NotADatabase:
            caseload.close()
            raise
    except (NotADatabase, WrongPassphrase) as exc:
        message = exc.message
    else:
        message = ""
    if message:
        assert "backup" in message, message
        return "detected"
    try:
        assert _snapshot(caseload) == expected, "silent wrong data"
    finally:
        caseload.close()
    return "identical"


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
        open_caseload(target, KEY)
    photo = tmp_path / "holiday.db"
    photo.write_bytes(JPEG)
    for key in (KEY, None):
        with pytest.raises(NotADatabase, match="JPEG picture, not a JourneyApp caseload"):
            open_caseload(photo, key)
    notes = tmp_path / "notes.db"
    notes.write_text("id,name\n1,someone\n" * 100, encoding="utf-8")
    with pytest.raises(NotADatabase, match="backup"):
        open_caseload(notes)


def test_a_damaged_plain_file_gets_the_clear_message(tmp_path: Path) -> None:
    path = tmp_path / "plain.db"
    caseload = Caseload.open(path)
    for i in range(30):
        caseload.enrol_participant(f"Parent {i}", "fife", notes="y" * 500)
    caseload.close()
    data = bytearray(path.read_bytes())
    data[100:4096] = bytes(len(data[100:4096]))  # the schema page wiped
    path.write_bytes(bytes(data))
    with pytest.raises(NotADatabase, match="backup"):
        open_caseload(path)


def test_the_same_caseload_twice_is_refused_by_name(tmp_path: Path) -> None:
    path = tmp_path / "mine.db"
    window = open_caseload(path, KEY, create=True, exclusive=True)
    with pytest.raises(DatabaseInUse, match=str(path)):
        open_caseload(path, KEY, exclusive=True)
    with pytest.raises(DatabaseInUse, match="already open"):
        open_caseload(path, KEY)  # a command while the window is open
    window.close()
    first = open_caseload(path, KEY)
    second = open_caseload(path, KEY)  # two short commands can read together
    with pytest.raises(DatabaseInUse):
        open_caseload(path, KEY, exclusive=True)
    first.close()
    second.close()
    open_caseload(path, KEY, exclusive=True).close()


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
    assert caseload.integrity_problems() == []
    caseload.log_contact(pid, note="room again")


@pytest.mark.skipif(shutil.which("id") is None, reason="needs a POSIX system")
def test_a_read_only_folder_gives_a_clear_message(tmp_path: Path) -> None:
    import os

    if os.geteuid() == 0:
        pytest.skip("root can write to read-only folders")
    folder = tmp_path / "ro"
    folder.mkdir()
    Caseload.open(folder / "c.db").close()
    folder.chmod(0o555)
    try:
        with pytest.raises(JourneyError):
            open_caseload(folder / "c.db")
    finally:
        folder.chmod(0o755)


def test_the_log_holds_no_personal_data(tmp_path: Path) -> None:
    log_file = setup_logging(tmp_path / "logs")
    path = tmp_path / "logged.db"
    caseload = open_caseload(path, KEY, create=True)
    pid = _enrol_canary(caseload)
    caseload.backup()
    caseload.erase_participant(pid, CANARY)
    caseload.close()
    with pytest.raises(WrongPassphrase):
        open_caseload(path, "a wrong passphrase with a canary " + CANARY)
    for handler in logging.getLogger("journeyapp").handlers:
        handler.flush()
    text = log_file.read_bytes()
    assert b"caseload opened" in text
    assert _hits(text) == []
    assert b"wrong passphrase" in text


def test_open_reads_little_and_the_whole_file_check_finds_the_rest(
    good: tuple[Path, tuple[object, ...]], tmp_path: Path
) -> None:
    source, _expected = good
    data = source.read_bytes()
    page = 4096
    at_open, later = 0, 0
    messages: list[str] = []
    for number in range(1, len(data) // page):
        target = tmp_path / "page.db"
        flipped = bytearray(data)
        flipped[number * page + 200] ^= 0x10
        target.write_bytes(bytes(flipped))
        try:
            caseload = open_caseload(target, KEY)
        except (NotADatabase, WrongPassphrase) as exc:
            messages.append(exc.message)
            at_open += 1
            continue
        try:
            with pytest.raises(NotADatabase, match="backup"):
                check_whole_file(caseload)
        finally:
            caseload.close()
        later += 1
    # Open reads the schema and each table's first page; most pages wait for the later check.
    assert all("backup" in message for message in messages)
    assert at_open > 0
    assert later > at_open
