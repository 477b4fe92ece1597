"""The first-run screen: start a new caseload, or explore the demo."""

from __future__ import annotations

import tempfile
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog, QMessageBox
from pytestqt.qtbot import QtBot

from journeyapp import paths
from journeyapp.ui.dialogs.first_run import FirstRunDialog
from journeyapp.ui.dialogs.passphrase import ChoosePassphraseDialog
from tests.catalogues import DEFAULT
from tests.ui.shell_helpers import with_modal


def test_start_a_new_caseload_with_enter_chooses_a_passphrase(qtbot: QtBot, tmp_path: Path) -> None:
    path = tmp_path / "folder" / "caseload.db"
    dialog = FirstRunDialog(path)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    dialog.activateWindow()
    qtbot.waitUntil(dialog.isActiveWindow)
    assert dialog.new_button.hasFocus()

    def choose(passphrase: QDialog) -> None:
        assert isinstance(passphrase, ChoosePassphraseDialog)
        qtbot.keyClicks(passphrase.first, "four quiet river stones")
        qtbot.keyClicks(passphrase.second, "four quiet river stones")
        qtbot.mouseClick(passphrase.ok, Qt.MouseButton.LeftButton)

    with_modal(qtbot, lambda: qtbot.keyClick(dialog.new_button, Qt.Key.Key_Return), choose)
    assert dialog.result() == FirstRunDialog.DialogCode.Accepted
    assert dialog.choice == "new"
    assert dialog.caseload is not None
    try:
        assert path.exists()
        assert not path.read_bytes().startswith(b"SQLite format 3")  # encrypted at rest
        assert dialog.caseload.is_encrypted
        assert not dialog.caseload.is_demo
        assert dialog.caseload.participants() == []
    finally:
        dialog.caseload.close()


def test_explore_the_demo_leaves_the_real_caseload_unstarted(
    qtbot: QtBot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "caseload.db"
    scratch = tmp_path / "scratch"
    scratch.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(scratch))  # keep the demo inside tmp_path
    dialog = FirstRunDialog(path)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    qtbot.mouseClick(dialog.demo_button, Qt.MouseButton.LeftButton)
    # The demo is made off the window's thread (progress shown); the dialog closes when ready.
    qtbot.waitUntil(lambda: dialog.choice == "demo", timeout=20_000)
    assert not dialog.isVisible()
    assert dialog.caseload is not None
    try:
        assert dialog.caseload.is_demo
        assert len(dialog.caseload.participants()) > 10
        assert dialog.caseload.path is not None
        assert scratch in dialog.caseload.path.parents
        assert not path.exists()
    finally:
        dialog.caseload.close()


def test_a_slip_in_the_partnerships_catalogue_is_said_before_a_passphrase_is_asked(
    qtbot: QtBot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The catalogue put in the data folder has a typing slip: "Start a new caseload" says so,
    naming the file, at once; it asked for a passphrase twice first, then refused."""
    monkeypatch.delenv(paths.CATALOGUE_ENV, raising=False)
    paths.data_dir().mkdir(parents=True, exist_ok=True)
    ours = paths.data_dir() / paths.CATALOGUE_FILE
    ours.write_text(DEFAULT.replace("[[services]]", "[[servces]]"), encoding="utf-8")
    path = paths.data_dir() / "caseload.db"
    dialog = FirstRunDialog(path)
    qtbot.addWidget(dialog)
    dialog.show()
    said: list[str] = []

    def read(box: QDialog) -> None:
        assert isinstance(box, QMessageBox)  # not the passphrase
        said.append(box.text())
        box.accept()

    with_modal(qtbot, lambda: qtbot.mouseClick(dialog.new_button, Qt.MouseButton.LeftButton), read)
    [text] = said
    assert str(ours) in text
    assert "did you mean services?" in text
    assert dialog.caseload is None
    assert not path.exists()


def test_a_caseload_on_a_stick_not_plugged_in_is_said_before_a_new_one_is_offered(
    qtbot: QtBot, tmp_path: Path
) -> None:
    """`--db /media/usb/caseload.db` with the stick not in: the welcome read as if there had
    never been a caseload, and "Start a new caseload" was the default."""
    dialog = FirstRunDialog(tmp_path / "stick" / "caseload.db")
    qtbot.addWidget(dialog)
    dialog.show()
    assert dialog.missing.isVisible()
    said = dialog.missing.text()
    assert f"the folder {tmp_path / 'stick'} is not there" in said
    assert "plug it in and open JourneyApp again" in said
    assert dialog.restore_button is None


def test_a_caseload_gone_from_beside_its_backups_offers_them_first(
    qtbot: QtBot, tmp_path: Path
) -> None:
    """Deleted or moved away, its backups still beside it: said, and restoring one is the
    first thing offered (the default), not a new empty caseload."""
    from journeyapp.caseload import Caseload
    from journeyapp.ui.dialogs.backup import RestoreDialog

    path = tmp_path / "caseload.db"
    caseload = Caseload.open(path, create=True, plain=True)
    caseload.enrol_participant("Morag", "fife")
    caseload.safety.backup()
    caseload.close()
    path.unlink()
    dialog = FirstRunDialog(path)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    said = dialog.missing.text()
    assert f"There is no caseload at {path}, but there are backups of one there" in said
    assert dialog.restore_button is not None
    assert dialog.restore_button.isDefault()
    assert not dialog.new_button.isDefault()
    listed: list[int] = []

    def look(restore: QDialog) -> None:
        assert isinstance(restore, RestoreDialog)
        qtbot.waitUntil(lambda: restore.loaded)
        listed.append(len(restore.paths))
        restore.reject()

    with_modal(qtbot, dialog.restore_button.click, look, kind=RestoreDialog)
    assert listed == [1]
    assert dialog.caseload is None  # not restored: nothing opened, the choice still there
    assert not path.exists()


def test_a_first_start_says_nothing_is_missing(qtbot: QtBot, tmp_path: Path) -> None:
    dialog = FirstRunDialog(tmp_path / "caseload.db")
    qtbot.addWidget(dialog)
    dialog.show()
    assert not dialog.missing.isVisible()
    assert dialog.new_button.isDefault()
