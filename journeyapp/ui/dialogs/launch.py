"""Opening a dialog window-modal without waiting for it: the one way the menus launch dialogs."""

from __future__ import annotations

from typing import TypeVar

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog

D = TypeVar("D", bound=QDialog)

# Dialogs opened without a parent would be deleted with their Python wrapper the moment the
# opener returns; keep them referenced until they finish.
_OPEN: set[QDialog] = set()


def open_window_modal(dialog: D) -> D:
    """Show `dialog` window-modal (open(), not exec()), deleted when closed; returns it."""
    _OPEN.add(dialog)
    dialog.finished.connect(lambda _result: _OPEN.discard(dialog))
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    dialog.open()
    return dialog
