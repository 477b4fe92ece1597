"""DateEdit: the one date field of the window (dd/mm/yyyy shown, ISO accepted, a calendar pop-up)."""

from __future__ import annotations

import math
from datetime import date

from PySide6.QtCore import QDate, QEvent, QObject, Qt, Signal
from PySide6.QtGui import QFontMetricsF, QKeyEvent, QShowEvent
from PySide6.QtWidgets import (
    QApplication,
    QCalendarWidget,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMenu,
    QPushButton,
    QWidget,
    QWidgetAction,
)

from journeyapp.core.dates import DATE_HINT, input_date
from journeyapp.core.errors import ValidationError
from journeyapp.core.validation import parse_optional_date
from journeyapp.ui.overrides import override


class DateEdit(QWidget):
    """A typed date with a calendar button beside it.

    Typing stays free (a keyworker types "3/11/2026" or "2026-11-03" fastest); the calendar
    is for finding "last Tuesday". What was typed is read by core.validation.parse_date when
    the form is saved, so a mistake gets its message beside the field, never a silent change.

    Signals:
        textChanged(str): the typed text changed (as QLineEdit's).
    """

    textChanged = Signal(str)  # noqa: N815 - named as QLineEdit's, which this stands in for

    def __init__(
        self, value: date | None = None, parent: QWidget | None = None, *, optional: bool = False
    ) -> None:
        super().__init__(parent)
        self.edit = QLineEdit(input_date(value))
        hint = "dd/mm/yyyy" + (" (optional)" if optional else "")
        self.edit.setPlaceholderText(hint)
        # Wide enough for the hint in the empty box, whole: beside a long label ("Get in touch
        # again on") it read "dd/mm/yyyy (option…". Qt sizes a line edit for 17 x's; the rest
        # of its size hint is frame and margins.
        metrics = self.edit.fontMetrics()
        frame = self.edit.sizeHint().width() - 17 * metrics.horizontalAdvance("x")
        # Measured unrounded (the hint is cut to fit by its exact width), plus a pixel.
        words = math.ceil(QFontMetricsF(self.edit.font()).horizontalAdvance(hint)) + 1
        self.edit.setMinimumWidth(words + frame)
        self.edit.setToolTip(DATE_HINT)
        self.edit.textChanged.connect(self.textChanged)
        # A push button with the menu: its size makes room for the menu's arrow (a tool button's
        # arrow was drawn over the end of its words in the Fusion style).
        self.button = QPushButton("Calendar…")
        self.button.setAutoDefault(False)  # Enter in the form saves; it never opens the calendar
        self.button.setAccessibleName("Pick the date from a calendar")
        self.button.setToolTip("Pick the date from a calendar (or press Alt+Down in the field)")
        self.calendar = QCalendarWidget()
        self.calendar.setGridVisible(True)
        self.calendar.setFirstDayOfWeek(Qt.DayOfWeek.Monday)
        self.calendar.clicked.connect(self._picked)
        self.calendar.activated.connect(self._picked)
        menu = QMenu(self.button)
        holder = QWidgetAction(menu)
        holder.setDefaultWidget(self.calendar)
        menu.addAction(holder)
        menu.aboutToShow.connect(self._before_popup)
        self.button.setMenu(menu)
        self._menu = menu
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(4)
        layout.addWidget(self.edit, 1)
        layout.addWidget(self.button)
        self.setFocusProxy(self.edit)
        self.edit.installEventFilter(self)
        self._forwarding = False

    # -- the interface a QLineEdit had ------------------------------------------------------------

    def text(self) -> str:
        """What is typed in the field."""
        return self.edit.text()

    def setText(self, text: str) -> None:  # noqa: N802 - as QLineEdit's
        """Replace what is typed."""
        self.edit.setText(text)

    def set_date(self, value: date | None) -> None:
        """Show `value` in the one format (empty for None)."""
        self.edit.setText(input_date(value))

    def value(self, label: str = "Date") -> date | None:
        """The date typed (None when empty); ValidationError when it is not a date."""
        return parse_optional_date(self.edit.text(), label)

    # -- what a screen reader says -----------------------------------------------------------

    @override
    def showEvent(self, event: QShowEvent) -> None:
        self._name_for_screen_readers()
        super().showEvent(event)

    def _name_for_screen_readers(self) -> None:
        # The form names the field as a whole (its label's buddy, its accessible name), but a
        # screen reader reads the line edit inside, which had no name: "edit, blank" for every
        # date. The typed field takes the field's name; the calendar button says whose it is.
        name = self.accessibleName()
        if not name:
            for label in self.window().findChildren(QLabel):
                if label.buddy() is self:
                    name = label.text().replace("&", "")
                    break
        name = name.strip().rstrip(":")
        if not name or self.edit.accessibleName() == name:
            return
        self.edit.setAccessibleName(name)
        self.edit.setAccessibleDescription(self.accessibleDescription() or DATE_HINT)
        self.button.setAccessibleName(f"{name}: pick the date from a calendar")

    # -- the calendar -------------------------------------------------------------------------

    def _before_popup(self) -> None:
        try:
            current = self.value()
        except ValidationError:
            current = None
        if current is not None:
            self.calendar.setSelectedDate(QDate(current.year, current.month, current.day))

    def _picked(self, day: QDate) -> None:
        self.set_date(date(day.year(), day.month(), day.day()))
        self._menu.hide()
        self.edit.setFocus(Qt.FocusReason.PopupFocusReason)

    def open_calendar(self) -> None:
        """Show the calendar under the field (Alt+Down, as a combo box opens)."""
        self.button.showMenu()

    @override
    def keyPressEvent(self, event: QKeyEvent) -> None:
        # Keys sent to the field as a whole (tests, accessibility tools) go to the typed text;
        # the line edit passes on what it does not use (Enter) to the dialog from there.
        if self._forwarding:
            super().keyPressEvent(event)
            return
        self._forwarding = True
        try:
            QApplication.sendEvent(self.edit, event)
        finally:
            self._forwarding = False
        event.accept()

    @override
    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if (
            watched is self.edit
            and isinstance(event, QKeyEvent)
            and event.type() == QEvent.Type.KeyPress
            and event.key() == Qt.Key.Key_Down
            and event.modifiers() & Qt.KeyboardModifier.AltModifier
        ):
            self.open_calendar()
            return True
        return super().eventFilter(watched, event)
