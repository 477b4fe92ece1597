"""Scrolling a page with the mouse wheel never changes a choice: a drop-down or a number box
takes the wheel only once the keyboard is in it (clicked or tabbed to); otherwise the page
under it scrolls. Qt's own drop-downs take the wheel whenever the pointer passes over them, so
scrolling a parent's Referrals tab changed, and saved, a referral's outcome, and scrolling
Background changed an equalities answer."""

from __future__ import annotations

import shiboken6
from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtWidgets import QAbstractSpinBox, QApplication, QComboBox, QWidget

from journeyapp.ui.overrides import override

_GUARD: list[WheelGuard] = []


def _no_wheel_focus(widget: QWidget) -> None:
    # The wheel must not give it the keyboard either (Qt's WheelFocus), or a pass of the wheel
    # over it would count as being in it.
    if widget.focusPolicy() == Qt.FocusPolicy.WheelFocus:
        widget.setFocusPolicy(Qt.FocusPolicy.StrongFocus)


class WheelGuard(QObject):
    """The application's filter: a choice without the keyboard passes the wheel to its page."""

    @override
    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        kind = event.type()
        if not isinstance(watched, (QComboBox, QAbstractSpinBox)):
            return False
        if kind == QEvent.Type.Polish:
            _no_wheel_focus(watched)
        elif kind == QEvent.Type.Wheel and not watched.hasFocus():
            # Not taken: Qt offers it to the widgets beneath, the page's scroll area among them.
            event.ignore()
            return True
        return False


def guard_wheel() -> None:
    """Start guarding every drop-down and number box against the passing wheel (once per
    application)."""
    app = QApplication.instance()
    if not isinstance(app, QApplication):
        return
    if _GUARD and shiboken6.isValid(_GUARD[0]) and _GUARD[0].parent() is app:
        return
    guard = WheelGuard(app)
    app.installEventFilter(guard)
    _GUARD[:] = [guard]
    # Those already made and polished (the app's filter sees only what is polished from now).
    for widget in app.allWidgets():
        if isinstance(widget, (QComboBox, QAbstractSpinBox)):
            _no_wheel_focus(widget)
