"""The look: one palette that follows the system's light or dark setting, one icon set that
every icon comes from, no pictures on Save / Cancel / Close (issue 14)."""

from __future__ import annotations

import re

import pytest
from PySide6.QtCore import QRect, QSize, Qt
from PySide6.QtGui import QColor, QIcon, QPainter, QPalette, QPixmap
from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QDialogButtonBox,
    QLabel,
    QVBoxLayout,
    QWidget,
)
from pytestqt.qtbot import QtBot

from journeyapp import paths
from journeyapp.ui import theme
from journeyapp.ui.main_window import MainWindow

STYLE = paths.resources_dir().parent / "journeyapp" / "ui" / "STYLE.md"


def test_light_and_dark_follow_the_system(
    qtbot: QtBot, window: MainWindow, monkeypatch: pytest.MonkeyPatch
) -> None:
    app = QApplication.instance()
    assert isinstance(app, QApplication)
    hints = app.styleHints()
    # The offscreen platform has no system setting to switch: play the system's part (its
    # answer, and the signal it sends when the setting changes).
    monkeypatch.setattr(theme, "is_dark", lambda: True)
    try:
        hints.colorSchemeChanged.emit(Qt.ColorScheme.Dark)
        assert app.palette().color(QPalette.ColorRole.Window).name() == theme.DARK["window"]
        assert app.palette().color(QPalette.ColorRole.Text).name() == theme.DARK["text"]
        names = window.workspace.tabs.tabBar()
        assert theme.DARK["border"] in names.styleSheet()
    finally:
        monkeypatch.setattr(theme, "is_dark", lambda: False)
        hints.colorSchemeChanged.emit(Qt.ColorScheme.Light)
    assert app.palette().color(QPalette.ColorRole.Window).name() == theme.LIGHT["window"]


def test_every_icon_named_in_the_style_rules_is_bundled_and_draws(qtbot: QtBot) -> None:
    named = set(re.findall(r"\| `([a-z-]+)` \|", STYLE.read_text(encoding="utf-8")))
    named |= {"erase", "pause", "backup", "filter", "lock"}
    bundled = {p.stem for p in paths.resource("icons/ui").glob("*.svg")}
    assert named <= bundled
    for name in bundled:
        icon = theme.icon(name)
        assert not icon.isNull()
        assert not icon.pixmap(48, 48).toImage().isNull()


@pytest.mark.parametrize("ratio", [1.0, 2.0])
def test_an_icon_is_drawn_at_the_devices_pixel_ratio(qtbot: QtBot, ratio: float) -> None:
    """Painted on a device at 200%, an icon is drawn from a picture twice the size (sharp), as
    the painter's transform says; at 100% from one of its own size."""
    asked: list[int] = []
    engine = theme._SvgIcon("<svg xmlns='http://www.w3.org/2000/svg' viewBox='0 0 4 4'/>")
    theme._ENGINES.append(engine)
    original = engine.pixmap

    def pixmap(size: QSize, mode: QIcon.Mode, state: QIcon.State) -> QPixmap:
        asked.append(size.width())
        return original(size, mode, state)

    engine.pixmap = pixmap  # type: ignore[method-assign]
    target = QPixmap(QSize(64, 64))
    target.setDevicePixelRatio(ratio)
    painter = QPainter(target)
    try:
        engine.paint(painter, QRect(0, 0, 16, 16), QIcon.Mode.Normal, QIcon.State.Off)
    finally:
        painter.end()
    assert asked == [round(16 * ratio)]


def test_toolbar_actions_all_have_icons_from_the_set(window: MainWindow) -> None:
    actions = window.toolbar.actions()
    assert len(actions) >= 5
    assert all(not a.icon().isNull() for a in actions)


def test_dialog_buttons_say_what_they_do_without_pictures(qtbot: QtBot, window: MainWindow) -> None:
    dialog = QDialog(window)
    layout = QVBoxLayout(dialog)
    box = QDialogButtonBox(
        QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel
    )
    for button in box.buttons():
        button.setIcon(theme.icon("backup"))  # as a desktop theme might
    layout.addWidget(box)
    dialog.show()
    dialog.activateWindow()
    qtbot.waitUntil(lambda: all(b.icon().isNull() for b in box.buttons()))
    dialog.reject()


def _luminance(colour: QColor) -> float:
    def channel(value: float) -> float:
        return value / 12.92 if value <= 0.03928 else ((value + 0.055) / 1.055) ** 2.4

    return (
        0.2126 * channel(colour.redF())
        + 0.7152 * channel(colour.greenF())
        + 0.0722 * channel(colour.blueF())
    )


def contrast(one: QColor, other: QColor) -> float:
    """The WCAG contrast ratio of two colours (1 to 21)."""
    light, dark = sorted((_luminance(one), _luminance(other)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


def unreadable_words(window: QWidget) -> list[str]:
    """Labels whose words are drawn with less than 4.5:1 contrast against their background."""
    found = []
    for label in window.findChildren(QLabel):
        if not (label.isVisibleTo(window) and label.text()):
            continue
        palette = label.palette()
        ratio = contrast(
            palette.color(label.foregroundRole()), palette.color(label.backgroundRole())
        )
        if ratio < 4.5:
            found.append(f"{label.text()[:40]!r}: {ratio:.1f}:1")
    return found


def test_words_stay_readable_when_the_system_turns_dark_and_back(
    qtbot: QtBot, demo_window: MainWindow, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Quiet words (a goal's "in Zoë's words", "none yet") kept the light palette's grey when the
    system turned dark while the window was open: 2.7:1 on the charcoal window. Every label's
    words stay at least 4.5:1 against its background, in light, in dark and back."""
    app = QApplication.instance()
    assert isinstance(app, QApplication)
    window = demo_window
    window.resize(1366, 740)
    qtbot.waitUntil(window.workspace_area.isVisible)
    first = window.caseload.participants()[0].id
    window.panel.select(first)
    window.open_participant(first)
    hints = app.styleHints()
    for section in window.workspace.sections:
        window.workspace.tabs.setCurrentWidget(section)
        assert unreadable_words(window) == [], f"{type(section).__name__}, light"
    monkeypatch.setattr(theme, "is_dark", lambda: True)
    try:
        hints.colorSchemeChanged.emit(Qt.ColorScheme.Dark)
        QApplication.processEvents()  # the new palette reaches every widget
        for section in window.workspace.sections:
            window.workspace.tabs.setCurrentWidget(section)
            assert unreadable_words(window) == [], f"{type(section).__name__}, dark"
    finally:
        monkeypatch.setattr(theme, "is_dark", lambda: False)
        hints.colorSchemeChanged.emit(Qt.ColorScheme.Light)
        QApplication.processEvents()
    for section in window.workspace.sections:
        window.workspace.tabs.setCurrentWidget(section)
        assert unreadable_words(window) == [], f"{type(section).__name__}, light again"
