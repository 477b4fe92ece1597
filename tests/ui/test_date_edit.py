"""The date field: typed, or picked from the calendar beside it (button or Alt+Down)."""

from __future__ import annotations

from datetime import date

import pytest
from PySide6.QtCore import QDate, Qt, QTimer
from PySide6.QtGui import QImage
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from journeyapp.ui import theme
from journeyapp.ui.widgets.date_edit import DateEdit


def test_the_calendar_buttons_words_stand_clear_of_its_arrow(qtbot: QtBot) -> None:
    """Drawn once with its words and once without: the words end well left of the menu arrow
    (in the Fusion style a tool button drew its arrow against the "…")."""
    app = QApplication.instance()
    assert isinstance(app, QApplication)
    theme.apply(app)  # the window's look (Fusion), as the main window applies it
    field = DateEdit(date(2026, 11, 28))
    qtbot.addWidget(field)
    field.show()
    qtbot.waitExposed(field)
    button = field.button
    with_words = button.grab().toImage()
    words = button.text()
    button.setText("")
    button.setFixedSize(with_words.size() / with_words.devicePixelRatio())
    without = button.grab().toImage()
    button.setText(words)
    assert with_words.size() == without.size()

    def dark(image: QImage, x: int, y: int) -> bool:
        return image.pixelColor(x, y).lightness() < 140

    width, height = without.width(), without.height()
    # The arrow: the dark pixels of the wordless button in its right half (not its frame).
    arrow_left = min(
        x for x in range(width // 2, width - 3) for y in range(3, height - 3) if dark(without, x, y)
    )
    added = [
        x
        for x in range(width)
        for y in range(3, height - 3)
        if dark(with_words, x, y) and not dark(without, x, y)
    ]
    assert added  # the words were drawn
    # More than a space between the words' last pixel and the arrow (before: the arrow sat
    # against the "…", a space's width or less from it).
    space = button.fontMetrics().horizontalAdvance(" ") * with_words.devicePixelRatio()
    assert arrow_left - max(added) > space


# A popup asks the offscreen platform for the keyboard, which it cannot give (no real screen).
@pytest.mark.qt_log_ignore("^This plugin does not support grabbing the keyboard")
def test_alt_down_opens_the_calendar_and_a_day_picked_is_typed(qtbot: QtBot) -> None:
    field = DateEdit(date(2026, 11, 28))
    qtbot.addWidget(field)
    field.show()
    qtbot.waitExposed(field)

    def pick() -> None:
        assert field.calendar.isVisible()
        assert field.calendar.selectedDate() == QDate(2026, 11, 28)  # opens at the typed day
        field.calendar.activated.emit(QDate(2026, 11, 3))

    QTimer.singleShot(200, pick)
    qtbot.keyClick(field.edit, Qt.Key.Key_Down, Qt.KeyboardModifier.AltModifier)
    qtbot.waitUntil(lambda: field.text() == "03/11/2026")
    assert field.value() == date(2026, 11, 3)


@pytest.mark.parametrize("optional", [False, True])
def test_the_hint_in_an_empty_field_is_whole_at_its_smallest(qtbot: QtBot, optional: bool) -> None:
    """Squeezed beside a long label ("Get in touch again on:"), the optional field's hint read
    "dd/mm/yyyy (…": at its smallest the field now has room for the whole hint."""
    from PySide6.QtWidgets import QStyle, QStyleOptionFrame

    app = QApplication.instance()
    assert isinstance(app, QApplication)
    theme.apply(app)
    field = DateEdit(None, optional=optional)
    qtbot.addWidget(field)
    field.resize(field.minimumSizeHint())
    field.show()
    qtbot.waitExposed(field)
    edit = field.edit
    option = QStyleOptionFrame()
    edit.initStyleOption(option)
    contents = edit.style().subElementRect(QStyle.SubElement.SE_LineEditContents, option, edit)
    room = contents.width() - 2 * 2  # QLineEdit keeps 2 pixels clear each side of its text
    hint = edit.placeholderText()
    assert hint.startswith("dd/mm/yyyy")
    shown = edit.fontMetrics().elidedText(hint, Qt.TextElideMode.ElideRight, room)
    assert shown == hint
