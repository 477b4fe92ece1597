"""Partnership > Share the pseudonym key…: the coordinator saves the partnership's key to a
file, and each laptop loads it, so pseudonymised exports from every laptop name a parent with
the same pseudonym (the window's `journeyapp partnership-key --save/--load`)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtWidgets import QFileDialog, QMessageBox, QWidget

from journeyapp import paths
from journeyapp.caseload import Caseload
from journeyapp.core.errors import JourneyError
from journeyapp.exchange.export import read_key_file, write_key_file
from journeyapp.ui.errors import show_error

TITLE = "Share the pseudonym key"
KEY_FILTER = "Partnership key (*.key)"

WHAT_IT_IS = (
    "Pseudonymised exports from several laptops only line up (the same parent has the same "
    "pseudonym) when every laptop uses the same pseudonym key. The coordinator saves the key "
    "to a file once and gives it to each keyworker, who loads it on their laptop."
)


def share_key(parent: QWidget | None, caseload: Caseload) -> None:
    """Ask whether to save this caseload's key to a file or load one, then do it."""
    box = QMessageBox(parent)
    box.setWindowTitle(TITLE)
    box.setIcon(QMessageBox.Icon.Question)
    box.setText(WHAT_IT_IS)
    save = box.addButton("&Save the key to a file…", QMessageBox.ButtonRole.AcceptRole)
    load = box.addButton("&Load a key from a file…", QMessageBox.ButtonRole.AcceptRole)
    box.addButton(QMessageBox.StandardButton.Cancel)
    box.setDefaultButton(save)
    box.exec()
    if box.clickedButton() is save:
        save_key(parent, caseload)
    elif box.clickedButton() is load:
        load_key(parent, caseload)


def save_key(parent: QWidget | None, caseload: Caseload, out: Path | None = None) -> bool:
    """Write the caseload's key to a new file (readable by this user only), saying what to do
    with it; True when written. The key is made here if no export has made it yet."""
    if out is None:
        name, _ = QFileDialog.getSaveFileName(
            parent,
            "Save the pseudonym key",
            str(paths.browse_dir() / "partnership.key"),
            KEY_FILTER,
        )
        if not name:
            return False
        out = Path(name)
    try:
        # The key is made (the first time) only once the file is known not to be there.
        write_key_file(caseload.exchange.pseudonym_key, out)
    except JourneyError as exc:
        show_error(parent, exc, TITLE)
        return False
    QMessageBox.information(
        parent,
        TITLE,
        f"Saved the partnership's pseudonym key to {out}.\n\n"
        "Give this file to each laptop in the partnership (on a memory stick, by hand), where "
        "Partnership > Share the pseudonym key… > Load a key from a file… uses it. Keep it as "
        "safe as the caseload: with it, pseudonyms can be checked against parents' records. "
        "It is not the caseload's passphrase and does not open anything.",
    )
    return True


def load_key(
    parent: QWidget | None,
    caseload: Caseload,
    path: Path | None = None,
    *,
    agree: Callable[[str], bool] | None = None,
) -> bool:
    """Use the key in the file from now on; True when loaded. A file that is no key file is
    refused in words; replacing a different key this caseload already keeps is asked first
    (`agree(question)`, a Yes/No box unless given). Nothing changes on refusal."""
    if path is None:
        name, _ = QFileDialog.getOpenFileName(
            parent,
            "Load the pseudonym key",
            str(paths.browse_dir()),
            f"{KEY_FILTER};;All files (*)",
        )
        if not name:
            return False
        path = Path(name)
    try:
        key = read_key_file(path)
        kept = caseload.exchange.kept_pseudonym_key()
    except JourneyError as exc:
        show_error(parent, exc, TITLE)
        return False
    if kept == key:
        QMessageBox.information(
            parent, TITLE, f"This caseload already uses the key in {path.name}. Nothing changed."
        )
        return False
    if kept is not None:
        question = (
            f"This caseload already has a different pseudonym key, used for any pseudonymised "
            f"export made here before. If you load the key in {path.name}, exports from now on "
            "give each parent a different pseudonym from those earlier exports (they will line "
            "up with the other laptops' exports instead). Parents' records do not change.\n\n"
            "Load the partnership's key?"
        )
        ask = agree or (lambda words: _yes(parent, words))
        if not ask(question):
            return False
    try:
        caseload.exchange.set_pseudonym_key(key)
    except JourneyError as exc:
        show_error(parent, exc, TITLE)
        return False
    QMessageBox.information(
        parent,
        TITLE,
        f"This caseload now uses the partnership's pseudonym key from {path.name}: its "
        "pseudonymised exports line up with the other laptops' that loaded it.",
    )
    return True


def _yes(parent: QWidget | None, question: str) -> bool:
    answer = QMessageBox.question(
        parent,
        TITLE,
        question,
        QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
        QMessageBox.StandardButton.No,
    )
    return answer == QMessageBox.StandardButton.Yes
