"""The one place that turns errors a person can act on into a message (never a traceback)."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, TypeVar

if TYPE_CHECKING:
    from PySide6.QtWidgets import QWidget

from journeyapp.core.errors import JourneyError

T = TypeVar("T")


def show_error(parent: QWidget | None, exc: JourneyError, title: str = "JourneyApp") -> None:
    """Show a JourneyError's message in a dialog."""
    # Here, not with the window: PySide sets up QMessageBox's type and enums when it is first
    # imported, and nothing before the window's first paint shows one (#18).
    from PySide6.QtWidgets import QMessageBox

    QMessageBox.warning(parent, title, exc.message)


# What a person is told when something of ours fails unexpectedly (a fault, not a refusal: the
# refusals of core.errors say what was wrong). Never the fault's own message: it can quote what
# was typed, and it would mean nothing to a keyworker.
FAULT_TITLE = "Something went wrong"
FAULT_WORDS = (
    "JourneyApp met a problem it did not expect, so what you just asked for may not have been "
    "done. Everything saved before is kept, and words typed in a form are kept as a draft.\n\n"
    "Check what you were doing and try once more. If it happens again, close JourneyApp and "
    "open it again, and tell your coordinator what you were doing when it happened."
)
FAULT_QUIET_S = 60.0  # after one is told, the next within this many seconds only goes to the log
_told: list[float] = []  # when the last fault was told (a box at a time; none in a fault loop)


def tell_of_fault() -> None:
    """Tell the person, in words, that something failed unexpectedly (the window's excepthook
    calls it after writing the fault out): one box at a time, shown once the event loop is
    back (not from inside the failing code), and not again within FAULT_QUIET_S of the last,
    so a fault that repeats (in a paint) cannot bury the window in boxes."""
    import time

    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication

    now = time.monotonic()
    if QApplication.instance() is None or (_told and now - _told[-1] < FAULT_QUIET_S):
        return
    _told[:] = [now]
    QTimer.singleShot(0, _show_fault)


def _show_fault() -> None:
    import time

    from PySide6.QtWidgets import QApplication, QMessageBox

    try:
        QMessageBox.warning(QApplication.activeWindow(), FAULT_TITLE, FAULT_WORDS)
    finally:
        _told[:] = [time.monotonic()]  # the quiet time counts from the box closed


def attempt(parent: QWidget | None, action: Callable[[], T]) -> T | None:
    """Run a use case; a JourneyError is shown to the person and None returned.

    Programming errors are not caught: they reach the excepthook (and fail tests).
    """
    try:
        return action()
    except JourneyError as exc:
        show_error(parent, exc)
        return None


def succeeded(parent: QWidget | None, action: Callable[[], object]) -> bool:
    """Run a use case that returns nothing; True when it ran, False after showing its error."""
    try:
        action()
    except JourneyError as exc:
        show_error(parent, exc)
        return False
    return True
