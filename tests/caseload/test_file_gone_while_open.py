"""The caseload file moved, renamed or deleted while it is open (a file-sync tool, someone
tidying the folder): SQLite would go on saving into a deleted file without a word ("Saved" in
the window), and everything saved after was gone when the window closed. A save is refused
instead, saying what happened and what to do; what the open caseload holds can still be
backed up from it, and that backup restores every record saved."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from journeyapp.caseload import Caseload
from journeyapp.core.errors import StorageError
from tests.clock import ticking_clock
from tests.conftest import TODAY

KEY = "four quiet river stones"


def _open(path: Path, *, create: bool = False) -> Caseload:
    caseload = Caseload.open(path, KEY, create=create, exclusive=True)
    caseload.clock = ticking_clock(TODAY)
    return caseload


def test_a_save_into_a_deleted_caseload_file_is_refused_and_a_backup_keeps_it_all(
    tmp_path: Path,
) -> None:
    path = tmp_path / "caseload.db"
    caseload = _open(path, create=True)
    try:
        morag = caseload.enrol_participant("Morag", "fife").id
        caseload.log_contact(morag, note="Before the file went")
        assert not caseload.moved_away
        path.unlink()
        assert caseload.moved_away
        with pytest.raises(StorageError) as refused:
            caseload.log_contact(morag, note="After the file went")
        message = refused.value.message
        assert f"no longer at {path}" in message
        assert "Back up now" in message
        assert "Traceback" not in message
        # The open caseload still reads everything saved, and a backup made from it keeps it.
        made = caseload.safety.backup()
    finally:
        caseload.close()
    assert not path.exists()
    restored = _open(made.path)
    try:
        [parent] = restored.participants()
        notes = [c.note for c in restored.journey(parent.id).contacts]
        assert notes == ["Before the file went"]
    finally:
        restored.close()


def test_a_caseload_whose_folder_was_renamed_refuses_saves_and_keeps_what_was_saved(
    tmp_path: Path,
) -> None:
    folder = tmp_path / "stick"
    folder.mkdir()
    caseload = _open(folder / "caseload.db", create=True)
    try:
        caseload.enrol_participant("Morag", "fife")
        folder.rename(tmp_path / "stick-renamed")
        with pytest.raises(StorageError, match="no longer at"):
            caseload.enrol_participant("Ailsa", "fife")
    finally:
        caseload.close()
    moved = _open(tmp_path / "stick-renamed" / "caseload.db")
    try:
        assert [p.preferred_name for p in moved.participants()] == ["Morag"]
    finally:
        moved.close()


def test_a_caseload_opened_through_a_link_still_saves(tmp_path: Path) -> None:
    """The file is where it was, by another name: nothing has moved."""
    real = tmp_path / "caseload.db"
    _open(real, create=True).close()
    link = tmp_path / "link.db"
    link.symlink_to(real)
    caseload = _open(link)
    try:
        assert not caseload.moved_away
        caseload.enrol_participant("Morag", "fife")
    finally:
        caseload.close()


def test_a_caseload_file_replaced_by_a_copy_refuses_saves_into_the_one_replaced(
    tmp_path: Path,
) -> None:
    """A file-sync tool puts its own copy in place (written beside, renamed over): the file
    open here has no name left, and what was saved into it would be gone."""
    path = tmp_path / "caseload.db"
    caseload = _open(path, create=True)
    try:
        caseload.enrol_participant("Morag", "fife")
        caseload.safety.checkpoint()
        copy = tmp_path / "synced.db"
        shutil.copyfile(path, copy)
        os.replace(copy, path)
        with pytest.raises(StorageError, match="no longer at"):
            caseload.enrol_participant("Ailsa", "fife")
    finally:
        caseload.close()
