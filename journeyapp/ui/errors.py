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
