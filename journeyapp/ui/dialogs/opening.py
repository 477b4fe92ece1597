"""Opening a caseload for the window, asking only what is needed (passphrase, restore, encrypt).

The dialogs are imported when one is shown: a demo or unencrypted caseload opens at start
without them. PySide sets up a Qt class's Python type, and its enums, when the class is first
imported: the passphrase dialogs' (form layout, input dialog) and the dialog classes themselves
were a little of the window's start (about 0.3% of its instructions, issue 18).
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from journeyapp.caseload import Caseload
from journeyapp.caseload.safety import describe
from journeyapp.core.access import Access
from journeyapp.core.errors import DatabaseInUse, JourneyError, NotADatabase

if TYPE_CHECKING:
    from PySide6.QtWidgets import QWidget


def open_caseload_interactively(parent: QWidget | None, path: Path) -> Caseload | None:
    """Open the caseload at `path` for the window, asking what is needed.

    New file: choose a passphrase (the caseload is created encrypted). Encrypted: unlock.
    Plain demo: opens (it says DEMO). Plain real caseload: offers to encrypt it now.
    Damaged or foreign: explains and offers a restore from backup. In use: says where.
    Returns None when the person cancels or it cannot be opened.
    """
    from journeyapp.ui.errors import show_error

    path = Path(path)
    state = describe(path)
    try:
        if state.is_new:
            from PySide6.QtWidgets import QDialog

            from journeyapp.ui.dialogs.passphrase import ChoosePassphraseDialog

            choose = ChoosePassphraseDialog(parent)
            if choose.exec() != QDialog.DialogCode.Accepted:
                return None
            return Caseload.open(path, choose.passphrase(), create=True, access=Access.WINDOW)
        if state.needs_passphrase:
            from PySide6.QtWidgets import QDialog

            from journeyapp.ui.dialogs.passphrase import UnlockDialog

            unlock = UnlockDialog(path, parent)
            accepted = unlock.exec() == QDialog.DialogCode.Accepted
            if unlock.error is not None:
                raise unlock.error
            return unlock.caseload if accepted else None
        caseload = Caseload.open(path, None, access=Access.WINDOW)
        if not caseload.is_demo:
            _offer_encryption(parent, caseload)
        return caseload
    except DatabaseInUse as exc:
        show_error(parent, exc, "Caseload already open")
        return None
    except NotADatabase as exc:
        return _offer_restore(parent, path, exc)
    except JourneyError as exc:
        show_error(parent, exc)
        return None


def _offer_encryption(parent: QWidget | None, caseload: Caseload) -> None:
    from PySide6.QtWidgets import QDialog, QMessageBox

    from journeyapp.ui.dialogs.passphrase import ChoosePassphraseDialog
    from journeyapp.ui.errors import attempt

    answer = QMessageBox.question(
        parent,
        "This caseload is not encrypted",
        "This caseload is not protected by a passphrase: anyone with the laptop could read it. "
        "Choose a passphrase now?",
    )
    if answer != QMessageBox.StandardButton.Yes:
        return
    choose = ChoosePassphraseDialog(parent, title="Protect this caseload")
    if choose.exec() == QDialog.DialogCode.Accepted:
        note = attempt(parent, lambda: caseload.safety.change_passphrase(None, choose.passphrase()))
        if note is not None:
            QMessageBox.information(parent, "Caseload protected", f"It is now encrypted. {note}")


def _offer_restore(parent: QWidget | None, path: Path, exc: JourneyError) -> Caseload | None:
    from PySide6.QtWidgets import QMessageBox

    from journeyapp.ui.dialogs.backup import open_restore

    box = QMessageBox(parent)
    box.setIcon(QMessageBox.Icon.Warning)
    box.setWindowTitle("The caseload cannot be opened")
    box.setText(exc.message)
    restore = box.addButton("Restore from a backup…", QMessageBox.ButtonRole.AcceptRole)
    box.addButton(QMessageBox.StandardButton.Close)
    box.exec()
    if box.clickedButton() is restore and open_restore(parent, path):
        return open_caseload_interactively(parent, path)
    return None
