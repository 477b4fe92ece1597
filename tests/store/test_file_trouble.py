"""Messages that tell the truth (issue 17): full disk, read-only drive, missing folder, file in
use and wrong passphrase each get their own message and suggestion, and none of the disk
troubles says "passphrase" or "restore from a backup". Real file systems where it can be done
(a tiny tmpfs, mounted read-only), the OS error itself where it cannot."""

from __future__ import annotations

import errno
import os
import shutil
import sqlite3
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner

from journeyapp.caseload import Caseload
from journeyapp.cli import cli
from journeyapp.core.errors import DatabaseInUse, JourneyError, StorageError, WrongPassphrase
from journeyapp.core.file_trouble import Trouble, advice, classify, storage_error
from tests.clock import ticking_clock
from tests.conftest import TODAY

KEY = "four quiet river stones"
_IO_WORDS = ("passphrase", "restore", "backup", "damaged")


def _mount(folder: Path, *options: str) -> bool:
    folder.mkdir(parents=True, exist_ok=True)
    done = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", ",".join(options), "tmpfs", str(folder)],
        capture_output=True,
        check=False,
    )
    return done.returncode == 0


@pytest.fixture
def small_disk(tmp_path: Path) -> Iterator[Path]:
    """A 4 MB file system of its own (a tmpfs), unmounted afterwards: room for a new caseload
    (its write-ahead log holds about 1 MB of set-up until the first checkpoint), then filled."""
    folder = tmp_path / "small"
    if shutil.which("mount") is None or not _mount(folder, "size=4m", "mode=0700"):
        pytest.skip("cannot mount a small tmpfs here (needs root or CAP_SYS_ADMIN)")
    try:
        yield folder
    finally:
        subprocess.run(["umount", "-l", str(folder)], check=False)


def _fill(folder: Path) -> None:
    with pytest.raises(OSError, match="space") as full, (folder / "filler").open("wb") as handle:
        while True:
            handle.write(b"\0" * 65536)
            handle.flush()
    assert full.value.errno == errno.ENOSPC


def _caseload(path: Path) -> Caseload:
    caseload = Caseload.open(path, KEY, create=True)
    caseload.clock = ticking_clock(TODAY)
    return caseload


def _no_io_misdirection(message: str) -> None:
    lowered = message.lower()
    assert not any(word in lowered for word in _IO_WORDS), message


# -- the lowest boundary: each OS error is classified and worded on its own ----------------------


@pytest.mark.parametrize(
    ("number", "trouble"),
    [
        (errno.ENOSPC, Trouble.DISK_FULL),
        (errno.EROFS, Trouble.READ_ONLY),
        (errno.EACCES, Trouble.NOT_ALLOWED),
        (errno.EBUSY, Trouble.IN_USE),
    ],
)
def test_each_os_error_gets_its_own_words(tmp_path: Path, number: int, trouble: Trouble) -> None:
    exc = OSError(number, os.strerror(number), str(tmp_path / "c.db"))
    assert classify(exc, tmp_path / "c.db") is trouble
    error = storage_error(exc, tmp_path / "c.db", "save")
    _no_io_misdirection(error.message)
    assert isinstance(error, DatabaseInUse if trouble is Trouble.IN_USE else StorageError)


def test_the_messages_differ_and_each_suggests_something() -> None:
    path = Path("/media/usb/caseload.db")
    texts = {t: advice(t, path, "save") for t in Trouble}
    assert len(set(texts.values())) == len(texts)
    assert "Free some space" in texts[Trouble.DISK_FULL]
    assert "read-only" in texts[Trouble.READ_ONLY]
    assert "Plug the drive back in" in texts[Trouble.MISSING_FOLDER]
    assert "Close the other one" in texts[Trouble.IN_USE]
    for text in texts.values():
        _no_io_misdirection(text)


# -- real file systems -------------------------------------------------------------------------------


def test_a_full_disk_says_full_disk_not_wrong_passphrase(small_disk: Path) -> None:
    path = small_disk / "caseload.db"
    caseload = _caseload(path)
    caseload.enrol_participant("Morag", "fife")
    _fill(small_disk)
    try:
        with pytest.raises(StorageError) as caught:
            for n in range(400):
                caseload.enrol_participant(f"Parent {n} " + "x" * 150, "fife")
        assert getattr(caught.value, "trouble", None) is Trouble.DISK_FULL, caught.value.message
        assert "is full" in caught.value.message
        _no_io_misdirection(caught.value.message)
    finally:
        (small_disk / "filler").unlink()
        caseload.close()
    # Nothing saved was lost: Morag is still there once space is free again.
    reopened = Caseload.open(path, KEY)
    try:
        assert "Morag" in [p.preferred_name for p in reopened.participants()]
    finally:
        reopened.close()


def test_a_backup_and_a_bundle_on_a_full_disk_are_messages_not_tracebacks(
    small_disk: Path, tmp_path: Path
) -> None:
    path = tmp_path / "caseload.db"
    caseload = _caseload(path)
    for n in range(30):
        caseload.enrol_participant(f"Parent {n}", "fife", full_name="y" * 190)
    caseload.close()
    _fill(small_disk)
    env = {"JOURNEYAPP_PASSPHRASE": KEY, "JOURNEYAPP_BUNDLE_PASSPHRASE": "five loud canal bricks"}
    runner = CliRunner()
    for args in (
        ["backup", "--db", str(path), "--out", str(small_disk / "b.db")],
        ["bundle", "--db", str(path), "--out", str(small_disk / "x.jlb")],
    ):
        result = runner.invoke(cli, args, env=env)
        assert result.exit_code == 1, result.output
        assert "Traceback" not in result.output
        assert result.exception is None or isinstance(result.exception, SystemExit)
        assert "is full" in result.output, result.output
        assert not list(small_disk.glob("*.partial")), "a half-written file was left"


def test_a_read_only_drive_says_read_only(tmp_path: Path) -> None:
    folder = tmp_path / "stick"
    if shutil.which("mount") is None or not _mount(folder, "size=4m"):
        pytest.skip("cannot mount a tmpfs here (needs root or CAP_SYS_ADMIN)")
    try:
        path = folder / "caseload.db"
        caseload = _caseload(path)
        caseload.enrol_participant("Morag", "fife")
        caseload.close()
        subprocess.run(["mount", "-o", "remount,ro", str(folder)], check=True)
        with pytest.raises(JourneyError) as caught:
            Caseload.open(path, KEY)
        assert getattr(caught.value, "trouble", None) is Trouble.READ_ONLY, caught.value.message
        assert "read-only" in caught.value.message
        _no_io_misdirection(caught.value.message)
    finally:
        subprocess.run(["umount", "-l", str(folder)], check=False)


def test_a_missing_folder_says_the_folder_is_not_there(tmp_path: Path) -> None:
    gone = tmp_path / "usb" / "caseload.db"
    result = CliRunner().invoke(cli, ["check", "--db", str(gone)])
    assert result.exit_code == 1
    assert "no caseload" in result.output.lower() or "not there" in result.output
    with pytest.raises(StorageError) as caught:
        Caseload.open(gone, KEY)
    assert "is not there" in caught.value.message
    _no_io_misdirection(caught.value.message)


def test_a_file_in_use_says_in_use(tmp_path: Path) -> None:
    path = tmp_path / "caseload.db"
    window = Caseload.open(path, KEY, create=True, exclusive=True)
    try:
        with pytest.raises(DatabaseInUse) as caught:
            Caseload.open(path, KEY)
        assert "already open" in caught.value.message
        _no_io_misdirection(caught.value.message)
        # Two writers inside SQLite itself (a lock held by another connection): "in use".
        error = storage_error(Exception("database is locked"), path, "save")
        assert isinstance(error, DatabaseInUse)
        assert "free disk space" not in error.message
    finally:
        window.close()


def test_a_wrong_passphrase_says_so_and_only_then(tmp_path: Path) -> None:
    path = tmp_path / "caseload.db"
    _caseload(path).close()
    with pytest.raises(WrongPassphrase) as caught:
        Caseload.open(path, "five loud canal bricks")
    assert "passphrase does not open" in caught.value.message


def test_an_xlsx_with_a_false_size_is_a_message(tmp_path: Path) -> None:
    import io
    import struct

    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["ref", "preferred_name", "locality", "joined_on"])
    sheet.append(["r1", "Ann", "fife", "2026-01-01"])
    buffer = io.BytesIO()
    book.save(buffer)
    data = bytearray(buffer.getvalue())
    at = data.find(b"PK\x01\x02")
    while at != -1:  # claim a tiny uncompressed size for the sheet in the central directory
        length = struct.unpack_from("<H", data, at + 28)[0]
        if bytes(data[at + 46 : at + 46 + length]).endswith(b"sheet1.xml"):
            struct.pack_into("<I", data, at + 24, 10)
        at = data.find(b"PK\x01\x02", at + 4)
    bad = tmp_path / "parents.xlsx"
    bad.write_bytes(bytes(data))
    db = tmp_path / "caseload.db"
    _caseload(db).close()
    result = CliRunner().invoke(
        cli, ["import", "--db", str(db), str(bad)], env={"JOURNEYAPP_PASSPHRASE": KEY}
    )
    assert result.exit_code == 1
    assert "Traceback" not in result.output
    assert "cannot be read" in result.output or "not an Excel" in result.output


@pytest.mark.parametrize("folder", ["full", "locked", "busy", "read-only"])
def test_words_in_a_folders_name_say_nothing_about_the_trouble(tmp_path: Path, folder: str) -> None:
    """A folder called "full" (or "locked"...) in the path an error names is not a full disk."""
    where = tmp_path / folder / "file"
    where.parent.mkdir()
    where.write_text("")
    for exc in (
        OSError(errno.ENOTDIR, os.strerror(errno.ENOTDIR), str(where / "x.pdf")),
        OSError(f"cannot write {where / 'x.pdf'}"),
        sqlite3.OperationalError(f"unable to open database file: {where}\\x.db"),
    ):
        assert classify(exc, where / "x.pdf") in (Trouble.MISSING_FOLDER, Trouble.OTHER), exc
