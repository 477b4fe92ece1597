"""Section: the base of every tab of the parent's workspace (shows a Journey, calls the façade)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, ClassVar

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWidgets import QApplication, QPushButton, QVBoxLayout, QWidget

from journeyapp.caseload import Caseload
from journeyapp.core.records import Journey, Participant, Record, StageChange
from journeyapp.ui.widgets.forms import FormDialog, heading_row
from journeyapp.ui.widgets.layout import SPACING, is_removed, scrolled


class Section(QWidget):
    """One tab of the workspace: shows a Journey, calls the façade, never holds SQL.

    Signals:
        status_message(str): a quiet note for the status bar ("Saved: …").
    """

    status_message = Signal(str)
    title = ""
    # The record types this tab can open in their form to correct (see edit_dialog).
    editable: ClassVar[tuple[type[Record], ...]] = ()

    def __init__(self, caseload: Caseload, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.caseload = caseload
        self.journey: Journey | None = None
        from journeyapp.ui.workspace.record_actions import RecordActions

        self.record_actions = RecordActions(self)
        self.setAccessibleName(self.title)

    def scrolling_page(self) -> QVBoxLayout:
        """Make this tab one scrolling page (nothing clips at 200%); returns its layout."""
        inner = QWidget()
        layout = QVBoxLayout(inner)
        layout.setContentsMargins(SPACING, SPACING, SPACING, SPACING)
        layout.setSpacing(SPACING)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.addWidget(scrolled(inner))
        return layout

    def heading_and_list(
        self,
        title: str,
        button_text: str,
        button_name: str,
        on_click: Callable[[], object],
        spacing: int = SPACING,
    ) -> tuple[QPushButton, QVBoxLayout]:
        """The usual shape of a tab: a heading with one action button, then a scrolling list.

        Returns the button and the list's layout (cards or rows are added to it).
        """
        layout = QVBoxLayout(self)
        layout.setContentsMargins(SPACING, SPACING, SPACING, 0)
        layout.setSpacing(SPACING)
        button = heading_row(layout, title, button_text, button_name, on_click)
        inner = QWidget()
        items = QVBoxLayout(inner)
        items.setContentsMargins(0, 0, SPACING, SPACING)
        items.setSpacing(spacing)
        layout.addWidget(scrolled(inner), 1)
        return button, items

    def show_journey(self, journey: Journey | None) -> None:
        """Show `journey` (None: nobody selected)."""
        self.journey = journey
        # Rebuilding replaces widgets; keep the keyboard where it was (same accessible name).
        focused = QApplication.focusWidget()
        name = focused.accessibleName() if focused and self.isAncestorOf(focused) else ""
        self.refresh()
        if name:
            # New widgets are shown by the event loop; give the focus back once they are.
            QTimer.singleShot(0, lambda: self._restore_focus(name))

    def _restore_focus(self, name: str) -> None:
        current = QApplication.focusWidget()
        if (
            current is not None
            and self.isAncestorOf(current)
            and not is_removed(current)
            and current.accessibleName() == name
        ):
            return
        for widget in self.findChildren(QWidget):
            if widget.accessibleName() == name and not is_removed(widget) and widget.isVisible():
                widget.setFocus(Qt.FocusReason.OtherFocusReason)
                return

    def refresh(self) -> None:
        """Rebuild the section from self.journey (subclasses)."""

    def show_field(self, field: str) -> bool:
        """Put the keyboard on the box where a field of the parent's own record is typed, if
        this tab has one (a search result opened); False when it has none."""
        return False

    @property
    def pid(self) -> str | None:
        """The participant shown, or None."""
        return self.journey.participant.id if self.journey else None

    def name(self) -> str:
        """The parent's preferred name (for "in Zoë's words")."""
        return self.journey.participant.preferred_name if self.journey else ""

    def saved(self, what: str) -> None:
        """Tell the status bar a change was committed."""
        self.status_message.emit(f"Saved: {what}")

    def run(self, action: Callable[[], Any], what: str) -> Any:
        """Run a façade call for an inline control; errors are shown, success noted."""
        from journeyapp.ui.errors import attempt

        result = attempt(self, action)
        if result is not None:
            self.saved(what)
        return result

    # -- correcting and removing records (see record_actions) -----------------------------------

    def edit_dialog(self, record: Record) -> FormDialog | None:
        """The form `record` was made with, filled in from it (None: not changeable here)."""
        return None

    def edit_dialog_offered(self, record: Record) -> bool:
        """True when `record` can be opened in its form from this tab."""
        return isinstance(record, self.editable)

    def can_remove(self, record: Record) -> bool:
        """True when `record` can be removed from this tab (a parent is closed or erased, and a
        stage is moved, never removed)."""
        return not isinstance(record, (Participant, StageChange))
