"""Typing kept out of input methods' memories: every box typed in says its words are private.

An input method (IBus and Fcitx engines that learn, a prediction keyboard) may keep the words
typed through it in a user dictionary on disk, unencrypted: parents' names, their addresses,
what they said. Qt's ImhSensitiveData asks it not to ("typed text should not be stored by the
active input method in any persistent storage"); Qt passes it on where the platform carries it
(Wayland's text-input, so GNOME's IBus on Wayland; Android and iOS keyboards).
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QWidget

PRIVATE = Qt.InputMethodHint.ImhSensitiveData
_KEPT: list[QApplication] = []


def keep_typing_private(app: QApplication) -> None:
    """From now on, each box the keyboard goes to (before it is typed in) says its words are
    private (once per application)."""
    if any(kept is app for kept in _KEPT):
        return
    _KEPT.append(app)
    app.focusChanged.connect(_say_private)


def _say_private(_old: QWidget | None, new: QWidget | None) -> None:
    if new is None or not new.testAttribute(Qt.WidgetAttribute.WA_InputMethodEnabled):
        return
    hints = new.inputMethodHints()
    if not hints & PRIVATE:
        # Qt tells the input method again at once (the box has the focus).
        new.setInputMethodHints(hints | PRIVATE)
