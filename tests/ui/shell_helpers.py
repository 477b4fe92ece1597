"""Helpers for driving the main window as a keyworker would: real keys, real modal dialogs."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from typing import Any

import pytest
import shiboken6
from PySide6.QtCore import QEvent, Qt, QTimer
from PySide6.QtGui import QFont, QFontMetrics, QKeyEvent, QTextLayout, QTextOption
from PySide6.QtWidgets import QApplication, QDialog, QWidget
from pytestqt.qtbot import QtBot

from journeyapp.caseload import Caseload
from journeyapp.ui.change_bus import ChangeBus
from journeyapp.ui.main_window import MainWindow
from journeyapp.ui.operations import Operation


def make_window(qtbot: QtBot, caseload: Caseload) -> MainWindow:
    """A shown, active main window over `caseload` (closed by qtbot at the end of the test)."""
    window = MainWindow(caseload, ChangeBus(caseload))
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    # This week is worked out just after the window's first paint (issue 18).
    qtbot.waitUntil(lambda: window.workspace.this_week.week is not None)
    return window


def new_windows(before: dict[int, QWidget]) -> list[QWidget]:
    """The windows shown since `before` was taken (not popups, tooltips or the main window)."""
    return [
        w
        for w in QApplication.topLevelWidgets()
        if shiboken6.isValid(w)
        and w.isVisible()
        and id(w) not in before
        and w.windowType() not in (Qt.WindowType.Popup, Qt.WindowType.ToolTip)
        and not isinstance(w, MainWindow)
    ]


def two_parents_open(qtbot: QtBot, caseload: Caseload) -> tuple[MainWindow, str, str]:
    """Zoë and Amy enrolled, the window shown with Zoë chosen and open: (window, zoe, amy)."""
    zoe = caseload.enrol_participant("Zoë", "glasgow").id
    amy = caseload.enrol_participant("Amy", "fife").id
    window = make_window(qtbot, caseload)
    window.panel.select(zoe)
    window.open_participant(zoe)
    return window, zoe, amy


@pytest.fixture
def window(qtbot: QtBot, caseload: Caseload) -> Iterator[MainWindow]:
    """The main window over an empty caseload."""
    win = make_window(qtbot, caseload)
    yield win
    win.bus.detach()


@pytest.fixture
def demo_window(qtbot: QtBot, demo_caseload: Caseload) -> Iterator[MainWindow]:
    """The main window over 30 fictional parents."""
    win = make_window(qtbot, demo_caseload)
    yield win
    win.bus.detach()


def with_modal(
    qtbot: QtBot,
    trigger: Callable[[], object],
    handle: Callable[[QDialog], None],
    *,
    must_close: bool = True,
    kind: type[QDialog] = QDialog,
    timeout: int = 5000,
) -> None:
    """Run `trigger` (which opens a modal dialog) and drive the dialog with `handle`.

    If `handle` fails, the dialog is closed so the test fails instead of hanging. With
    `must_close`, a dialog `handle` leaves open is a failure too. With `kind`, other modal
    dialogs (an operation's progress, say) are waited past until one of that kind shows.
    """
    errors: list[BaseException] = []
    handled: list[bool] = []
    waited: list[bool] = []

    def poll() -> None:
        dialog = QApplication.activeModalWidget()
        if not isinstance(dialog, kind) or not dialog.isVisible():
            QTimer.singleShot(10, poll)
            return
        if not dialog.isActiveWindow() and len(waited) < 20:
            # Keys go to the active window; give the dialog a moment to become it.
            waited.append(True)
            dialog.activateWindow()
            QTimer.singleShot(10, poll)
            return
        try:
            handle(dialog)
            if must_close and dialog.isVisible():
                raise AssertionError(f"{type(dialog).__name__} is still open: {describe(dialog)}")
        except BaseException as exc:  # re-raised below, after the dialog is closed
            errors.append(exc)
            QDialog.reject(dialog)  # never a question while failing
        handled.append(True)

    QTimer.singleShot(0, poll)
    trigger()
    qtbot.waitUntil(lambda: bool(handled), timeout=timeout)
    if errors:
        raise errors[0]


def describe(dialog: QWidget) -> str:
    """The visible texts of a dialog's labels (to say why it is still open)."""
    from PySide6.QtWidgets import QLabel

    return " | ".join(
        label.text() for label in dialog.findChildren(QLabel) if label.isVisible() and label.text()
    )


def press(
    qtbot: QtBot,
    widget: QWidget,
    key: Qt.Key,
    modifier: Qt.KeyboardModifier = Qt.KeyboardModifier.NoModifier,
) -> None:
    """Press one key on `widget`."""
    qtbot.keyClick(widget, key, modifier)


def shortcut(qtbot: QtBot, window: QWidget, key: Qt.Key) -> None:
    """Press Ctrl+`key` where the keyboard focus is, as a person would."""
    top = window.window()
    if not top.isActiveWindow():
        top.activateWindow()
        qtbot.waitUntil(top.isActiveWindow)
    target = QApplication.focusWidget() or window
    qtbot.keyClick(target, key, Qt.KeyboardModifier.ControlModifier)


def type_text(qtbot: QtBot, widget: QWidget, text: str) -> None:
    """Type `text` into `widget` key by key, accents included.

    QTest can only synthesise ASCII keys (it aborts on "é"), so other characters are sent as
    the key events a keyboard layout with that letter would produce.
    """
    for char in text:
        if char.isascii():
            qtbot.keyClicks(widget, char)
            continue
        for kind in (QEvent.Type.KeyPress, QEvent.Type.KeyRelease):
            event = QKeyEvent(kind, Qt.Key.Key_unknown, Qt.KeyboardModifier.NoModifier, char)
            QApplication.sendEvent(widget, event)


def finish(qtbot: QtBot, operation: Operation[Any] | None, timeout: int = 20_000) -> None:
    """Wait until a background operation's result is back on the window's thread."""
    assert operation is not None
    qtbot.waitUntil(lambda: not operation.running, timeout=timeout)


class Ticks:
    """A 10 ms timer on the window's thread, recording when it fires."""

    def __init__(self) -> None:
        self.times: list[float] = []
        self.timer = QTimer()
        self.timer.setInterval(10)
        self.timer.timeout.connect(lambda: self.times.append(time.perf_counter()))
        self.timer.start()

    def stop(self) -> float:
        """Stop; the longest gap between two ticks, in seconds."""
        self.timer.stop()
        return max(b - a for a, b in zip(self.times, self.times[1:], strict=False))


def answer_question(qtbot: QtBot, button: str) -> list[str]:
    """Click `button` on the next question box (QMessageBox) that opens; returns a list that
    gets the box's text once it was answered."""
    from PySide6.QtWidgets import QMessageBox

    seen: list[str] = []

    def poll() -> None:
        box = QApplication.activeModalWidget()
        if not isinstance(box, QMessageBox):
            QTimer.singleShot(10, poll)
            return
        for candidate in box.buttons():
            if candidate.text().replace("&", "") == button:
                seen.append(box.text())
                candidate.click()
                return
        seen.append(f"no button {button!r} in {[b.text() for b in box.buttons()]}")
        box.reject()

    QTimer.singleShot(0, poll)
    return seen


def wrapped_line_starts(text: str, font: QFont, shortest: int) -> Iterator[tuple[int, list[int]]]:
    """For every width from `shortest` to the whole text's (every 8 px): the width and where
    each line begins when `text` is word-wrapped in `font` at that width, as a QLabel wraps."""
    metrics = QFontMetrics(font)
    for width in range(shortest, metrics.horizontalAdvance(text) + 8, 8):
        layout = QTextLayout(text, font)
        option = QTextOption()
        option.setWrapMode(QTextOption.WrapMode.WordWrap)
        layout.setTextOption(option)
        layout.beginLayout()
        starts = []
        while (line := layout.createLine()).isValid():
            line.setLineWidth(width)
            starts.append(line.textStart())
        layout.endLayout()
        yield width, starts
