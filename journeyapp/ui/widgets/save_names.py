"""The file a window's save dialog writes: the name chosen with the ending the dialog saves.

The system's save dialog asks before replacing a file, but only the file named as typed: when
JourneyApp adds the ending ("report" saved as report.pdf) and a file of that name is already
there, nobody was asked. Asked here, so nothing already saved is replaced without a decision.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import QMessageBox, QWidget

from journeyapp.core.file_names import with_ending


def chosen_file(parent: QWidget | None, chosen: str, kind: str) -> Path | None:
    """`chosen` with the ending of `kind` (core.file_names.with_ending); None when that names
    a file already there, which the save dialog did not ask about, and the person keeps it."""
    out = with_ending(chosen, kind)
    if out == Path(chosen) or not out.exists():
        return out
    answer = QMessageBox.question(
        parent,
        "Replace the file?",
        f"{out.name} is already in {out.parent}. Replace it with this one?\n\n"
        f"(The name typed, {Path(chosen).name}, was given the ending {out.suffix}.)",
        QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
        QMessageBox.StandardButton.No,
    )
    return out if answer == QMessageBox.StandardButton.Yes else None
