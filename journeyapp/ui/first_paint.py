"""AfterFirstPaint: work that waits until a window has painted, so the window comes up first."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtWidgets import QWidget


class AfterFirstPaint(QObject):
    """Calls `then` once `window` has painted (on its first Paint event, after the events
    already queued), or after FALLBACK_MS if it is not shown by then."""

    FALLBACK_MS = 2000

    def __init__(self, window: QWidget, then: Callable[[], object]) -> None:
        super().__init__(window)
        self._then: Callable[[], object] | None = then
        self._window = window
        window.installEventFilter(self)
        QTimer.singleShot(self.FALLBACK_MS, self, self._fire)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt override
        """The window's first paint: call `then` once the paint is done."""
        if event.type() == QEvent.Type.Paint:
            # A zero timer fires once the events already queued (the rest of the paint) are done.
            QTimer.singleShot(0, self, self._fire)
        return False

    def _fire(self) -> None:
        if self._then is not None:
            then, self._then = self._then, None
            self._window.removeEventFilter(self)
            then()
