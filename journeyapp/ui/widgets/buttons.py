"""The OK / Cancel row of the window's small dialogs, with plain words and accessible names."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtWidgets import QDialog, QDialogButtonBox, QPushButton


def ok_cancel(
    dialog: QDialog,
    ok_text: str,
    on_ok: Callable[[], object],
    *,
    ok_name: str = "",
    cancel_name: str = "Cancel",
) -> tuple[QDialogButtonBox, QPushButton]:
    """An OK button saying `ok_text` that calls `on_ok`, and Cancel that closes `dialog`.

    Returns the button box (to lay out) and the OK button. Screen readers hear `ok_name`
    (`ok_text` without its & by default) and `cancel_name`.
    """
    buttons = QDialogButtonBox(
        QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
    )
    ok = buttons.button(QDialogButtonBox.StandardButton.Ok)
    ok.setText(ok_text)
    ok.setAccessibleName(ok_name or ok_text.replace("&", ""))
    buttons.button(QDialogButtonBox.StandardButton.Cancel).setAccessibleName(cancel_name)
    buttons.accepted.connect(on_ok)
    buttons.rejected.connect(dialog.reject)
    return buttons, ok
