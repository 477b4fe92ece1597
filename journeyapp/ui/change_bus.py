"""ChangeBus: turns the façade's after-commit notifications into a Qt signal views connect to."""

from __future__ import annotations

from PySide6.QtCore import QObject, Signal

from journeyapp.caseload import Caseload
from journeyapp.core.changes import Changes


class ChangeBus(QObject):
    """Relays Caseload changes to views.

    Signals:
        changed(Changes): emitted after every committed use case.
    """

    changed = Signal(object)

    def __init__(self, caseload: Caseload, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._caseload = caseload
        caseload.subscribe(self._relay)

    def _relay(self, changes: Changes) -> None:
        self.changed.emit(changes)

    def detach(self) -> None:
        """Stop listening to the caseload (before it is closed)."""
        self._caseload.unsubscribe(self._relay)
