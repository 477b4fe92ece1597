"""Labels and layouts shared by every screen: headings, wrapping words, quiet text, lists of
items, scroll areas (nothing here knows about records)."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QByteArray, QSize, Qt
from PySide6.QtGui import QPalette, QResizeEvent
from PySide6.QtWidgets import (
    QFrame,
    QLabel,
    QLayout,
    QScrollArea,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from journeyapp.ui.overrides import override

SPACING = 12
REMOVED_PROPERTY = "journeyapp_removed"
_REMOVED = QByteArray(REMOVED_PROPERTY.encode())


def clear_layout(layout: QLayout) -> None:
    """Remove every item of `layout`; widgets are deleted later (one may be emitting a signal now)."""
    while layout.count():
        item = layout.takeAt(0)
        if item is None:
            break
        widget = item.widget()
        inner = item.layout()
        if widget is not None:
            widget.setProperty(REMOVED_PROPERTY, True)
            widget.hide()
            widget.deleteLater()
        elif inner is not None:
            clear_layout(inner)
            inner.deleteLater()


def layout_widgets(layout: QLayout) -> list[QWidget]:
    """The widgets directly in `layout`, in order."""
    result = []
    for i in range(layout.count()):
        item = layout.itemAt(i)
        widget = item.widget() if item is not None else None
        if widget is not None:
            result.append(widget)
    return result


def show_items(
    layout: QVBoxLayout, widgets: Sequence[QWidget], empty: str, *, stretch: bool = False
) -> None:
    """Make `layout` list `widgets` (cards, rows), or one quiet line saying `empty` if none.

    With `stretch`, the list keeps to the top of a taller page.
    """
    clear_layout(layout)
    if not widgets:
        layout.addWidget(muted(wrapping_label(empty)))
    for widget in widgets:
        layout.addWidget(widget)
    if stretch:
        layout.addStretch(1)


def is_removed(widget: QWidget) -> bool:
    """True for a widget taken out by clear_layout (or inside one) and waiting to be deleted."""
    current: QWidget | None = widget
    while current is not None:
        # dynamicPropertyNames, not property(): PySide 6.12's property() of an unset name
        # returns None with a reference missing, which crashes the interpreter at exit.
        if _REMOVED in current.dynamicPropertyNames():
            return True
        current = current.parentWidget()
    return False


def heading(text: str) -> QLabel:
    """A section heading: bold, a little larger than the body text."""
    label = QLabel(text)
    font = label.font()
    font.setBold(True)
    font.setPointSizeF(font.pointSizeF() * 1.15)
    label.setFont(font)
    label.setAccessibleName(text)
    return label


class WrapLabel(QLabel):
    """A word-wrapped label whose size hint follows its real width.

    A plain wrapped QLabel guesses a narrow width for its size hint, so layouts give it two or
    three lines of height it does not use; this one asks for the height it needs at its width.
    """

    def __init__(self, text: str = "") -> None:
        super().__init__(text)
        self.setWordWrap(True)
        self._height_at_width = -1

    @override
    def sizeHint(self) -> QSize:
        hint = super().sizeHint()
        if self.width() > 0:
            return QSize(hint.width(), self.heightForWidth(self.width()))
        return hint

    @override
    def minimumSizeHint(self) -> QSize:
        hint = super().minimumSizeHint()
        if self.width() > 0:
            return QSize(hint.width(), self.heightForWidth(self.width()))
        return hint

    @override
    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        height = self.heightForWidth(self.width())
        if height != self._height_at_width:
            self._height_at_width = height
            self.updateGeometry()


def wrapping_label(text: str = "", *, selectable: bool = True) -> QLabel:
    """A plain-text label that wraps and can be selected (for people's words)."""
    label = WrapLabel(text)
    label.setTextFormat(Qt.TextFormat.PlainText)
    label.setWordWrap(True)
    if selectable:
        label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    label.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Maximum)
    return label


def muted(label: QLabel) -> QLabel:
    """Secondary text: the palette's placeholder colour (system palette, no hard-coded colours).

    Drawn in that role of the palette in use, not a copy of its colour: when the system turned
    dark, quiet words kept the light palette's grey on the dark window (hard to read)."""
    label.setForegroundRole(QPalette.ColorRole.PlaceholderText)
    return label


def set_muted(label: QLabel, on: bool) -> None:
    """Make a label secondary text, or back to ordinary text (from the system palette)."""
    if on:
        muted(label)
    else:
        label.setForegroundRole(QPalette.ColorRole.WindowText)


def scrolled(inner: QWidget) -> QScrollArea:
    """Wrap `inner` in a frameless vertical scroll area (so nothing clips at 200% scaling)."""
    area = QScrollArea()
    area.setWidgetResizable(True)
    area.setFrameShape(QFrame.Shape.NoFrame)
    area.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAsNeeded)
    # Not a stop for Tab: a scroll area takes the keyboard by default and shows no sign of it,
    # so Tab seemed to go nowhere once. Tab to a field, card or list inside scrolls it into sight.
    area.setFocusPolicy(Qt.FocusPolicy.NoFocus)
    area.setWidget(inner)
    return area
