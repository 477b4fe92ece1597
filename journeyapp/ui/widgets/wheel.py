"""Scrolling a page with the mouse wheel never changes a choice: a drop-down or a number box
takes the wheel only once the keyboard is in it (clicked or tabbed to); otherwise the page
under it scrolls. Qt's own drop-downs take the wheel whenever the pointer passes over them, so
scrolling a parent's Referrals tab changed, and saved, a referral's outcome, and scrolling
Background changed an equalities answer.

Every drop-down and number box of the window is one of the classes here (a test walks every
dialog and section to check). Each answers the wheel itself: Python is asked only when a wheel
turns over one of them, not about every event of the application (a filter on the whole
application, the first way this was done, was asked about every paint and every key, and
added a tenth to the window's start-up)."""

from __future__ import annotations

from typing import cast

from PySide6.QtCore import QDate, Qt
from PySide6.QtGui import QWheelEvent
from PySide6.QtWidgets import QComboBox, QDateEdit, QSpinBox, QWidget


def _steady(widget: QWidget) -> None:
    # The wheel must not give it the keyboard either (Qt's WheelFocus), or a pass of the wheel
    # over it would count as being in it.
    widget.setFocusPolicy(Qt.FocusPolicy.StrongFocus)


class _KeysBeforeWheel:
    """Mixed in before a Qt drop-down, number box or date box: the wheel turns it only once
    the keyboard is in it; otherwise it is not taken, and Qt offers it to the widgets beneath
    (the page's scroll area among them)."""

    def wheelEvent(self, event: QWheelEvent) -> None:  # noqa: N802 (Qt's name)
        if cast("QWidget", self).hasFocus():
            super().wheelEvent(event)  # type: ignore[misc]
        else:
            event.ignore()


class ChoiceBox(_KeysBeforeWheel, QComboBox):
    """A drop-down that takes the wheel only with the keyboard in it."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        _steady(self)


class NumberBox(_KeysBeforeWheel, QSpinBox):
    """A number box that takes the wheel only with the keyboard in it."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        _steady(self)


class DayBox(_KeysBeforeWheel, QDateEdit):
    """A date box with arrows that takes the wheel only with the keyboard in it."""

    def __init__(self, day: QDate, parent: QWidget | None = None) -> None:
        super().__init__(day, parent)
        _steady(self)
