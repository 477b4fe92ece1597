"""Locking the window: idle auto-lock, Ctrl+Shift+L, dialogs covered, clipboard, same view back."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from PySide6.QtCore import QEvent, QModelIndex, Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QDialog,
    QLabel,
    QLineEdit,
    QMessageBox,
    QVBoxLayout,
    QWidget,
)
from pytestqt.qtbot import QtBot

from journeyapp.caseload import Caseload
from journeyapp.core.passphrase import Throttle
from journeyapp.ui.change_bus import ChangeBus
from journeyapp.ui.lock import LockController
from journeyapp.ui.main_window import MainWindow

PHRASE = "four quiet river stones"


def _lock_by_keys(qtbot: QtBot, window: MainWindow) -> None:
    """Ctrl+Shift+L typed in the active window's search box, as a keyworker locks it."""
    with qtbot.waitActive(window):
        window.activateWindow()
    window.panel.search.setFocus()
    qtbot.keyClick(
        window.panel.search,
        Qt.Key.Key_L,
        Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier,
    )


def _window(qtbot: QtBot, caseload: Caseload) -> MainWindow:
    window = MainWindow(caseload, ChangeBus(caseload))
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    return window


def _visible_text(app: QApplication) -> str:
    """Every piece of text a person could read on screen right now."""
    parts = []
    for widget in app.allWidgets():
        if not widget.isVisible():
            continue
        if isinstance(widget, QLabel | QLineEdit):
            parts.append(widget.text())
        elif isinstance(widget, QAbstractItemView) and widget.model() is not None:
            model = widget.model()
            try:
                columns = model.columnCount(QModelIndex())
            except TypeError:  # a list model (one column) keeps columnCount private
                columns = 1
            for row in range(model.rowCount(QModelIndex())):
                for column in range(columns):
                    parts.append(str(model.index(row, column).data() or ""))
    return "\n".join(parts)


def test_auto_lock_after_idle_hides_everything_and_unlock_restores_the_view(
    qtbot: QtBot, demo_caseload: Caseload, qapp: QApplication
) -> None:
    window = _window(qtbot, demo_caseload)
    names = [p.preferred_name for p in demo_caseload.participants()]
    window.panel.search.setText(names[3][:3])
    window.panel.table.selectRow(0)
    selected = window.panel.table.selectionModel().selectedRows()[0].data()
    central = window.centralWidget()
    assert selected in _visible_text(qapp)

    controller = LockController(window, demo_caseload, idle_ms=200)
    qtbot.waitUntil(lambda: controller.is_locked, timeout=5000)

    assert window.centralWidget() is controller.screen
    shown = _visible_text(qapp)
    assert not any(name in shown for name in names)
    assert "locked" in shown
    qtbot.mouseClick(controller.screen.button, Qt.MouseButton.LeftButton)  # demo: no passphrase

    assert not controller.is_locked
    assert window.centralWidget() is central
    assert window.panel.search.text() == names[3][:3]
    assert window.panel.table.selectionModel().selectedRows()[0].data() == selected
    assert selected in _visible_text(qapp)
    controller.detach()


def test_activity_postpones_the_idle_lock(qtbot: QtBot, demo_caseload: Caseload) -> None:
    window = _window(qtbot, demo_caseload)
    controller = LockController(window, demo_caseload, idle_ms=400)
    for _ in range(6):
        qtbot.keyClick(window.panel.search, Qt.Key.Key_A)
        qtbot.wait(100)
        assert not controller.is_locked
    qtbot.waitUntil(lambda: controller.is_locked, timeout=5000)
    controller.detach()


@pytest.fixture
def encrypted(tmp_path: Path) -> Caseload:
    caseload = Caseload.open(tmp_path / "secret.db", PHRASE, create=True)
    caseload.enrol_participant("Canaryname Person", "fife")
    yield caseload
    caseload.close()


def test_ctrl_shift_l_locks_and_only_the_passphrase_unlocks(
    qtbot: QtBot, encrypted: Caseload, qapp: QApplication
) -> None:
    window = _window(qtbot, encrypted)
    controller = LockController(
        window,
        encrypted,
        idle_ms=60_000,
        throttle=Throttle(free=0, base=0.2, sleep=lambda _s: None),
    )
    _lock_by_keys(qtbot, window)
    assert controller.is_locked
    assert "Canaryname" not in _visible_text(qapp)
    screen = controller.screen
    assert screen.passphrase.isVisible()
    qtbot.keyClicks(screen.passphrase, "not the passphrase")
    qtbot.mouseClick(screen.button, Qt.MouseButton.LeftButton)
    assert controller.is_locked
    assert "does not open" in screen.message.text()
    assert not screen.button.isEnabled()  # the growing delay
    qtbot.waitUntil(screen.button.isEnabled, timeout=3000)
    qtbot.keyClicks(screen.passphrase, PHRASE)
    qtbot.keyClick(screen.passphrase, Qt.Key.Key_Return)
    assert not controller.is_locked
    assert "Canaryname" in _visible_text(qapp)
    controller.detach()


def test_open_dialogs_are_covered_and_keep_their_content(
    qtbot: QtBot, demo_caseload: Caseload, qapp: QApplication
) -> None:
    window = _window(qtbot, demo_caseload)
    controller = LockController(window, demo_caseload, idle_ms=60_000)
    dialog = QDialog(window)
    layout = QVBoxLayout(dialog)
    draft = QLineEdit("a half-written note about Canaryname")
    layout.addWidget(draft)
    dialog.open()
    qtbot.waitExposed(dialog)
    controller.lock()
    assert dialog.isVisible()  # not closed: its content is kept
    assert "Canaryname" not in _visible_text(qapp)
    cover = controller._covers[dialog]
    assert cover.isVisible()
    assert cover.geometry() == dialog.rect()
    qtbot.mouseClick(cover.button, Qt.MouseButton.LeftButton)
    assert not controller.is_locked
    assert draft.text() == "a half-written note about Canaryname"
    assert "Canaryname" in _visible_text(qapp)
    dialog.reject()
    controller.detach()


def test_lock_clears_our_clipboard_and_checkpoints(qtbot: QtBot, demo_caseload: Caseload) -> None:
    window = _window(qtbot, demo_caseload)
    controller = LockController(window, demo_caseload, idle_ms=60_000)
    window.panel.search.setFocus()
    demo_caseload.log_contact(demo_caseload.participants()[0].id, note="just now")
    wal = Path(f"{demo_caseload.path}-wal")
    assert wal.stat().st_size > 0
    QGuiApplication.clipboard().setText("Copied parent name")
    controller.lock()
    assert QGuiApplication.clipboard().text() == ""
    assert wal.stat().st_size == 0
    controller.unlock()
    controller.detach()


def test_what_is_copied_from_the_window_is_marked_not_for_a_clipboard_history(
    qtbot: QtBot, demo_caseload: Caseload
) -> None:
    """A clipboard history keeps what is copied (KDE's Klipper in a file, by default; Windows'
    clipboard history, and its cloud clipboard): a parent's address copied from the window is
    marked as a password manager marks a copied password, so they leave it out. What is
    pasted is the same."""
    window = _window(qtbot, demo_caseload)
    controller = LockController(window, demo_caseload, idle_ms=60_000)
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    box = window.panel.search
    box.setFocus()
    qtbot.keyClicks(box, "12 Canaryname Road")
    box.selectAll()
    box.copy()
    copied = QGuiApplication.clipboard().mimeData()
    assert copied is not None
    assert QGuiApplication.clipboard().text() == "12 Canaryname Road"  # pasted as it was
    windows = 'application/x-qt-windows-mime;value="{}"'.format
    for name, value in [
        ("x-kde-passwordManagerHint", b"secret"),  # KDE's Klipper
        ("application/x-nspasteboard-concealed-type", b""),  # macOS
        (windows("ExcludeClipboardContentFromMonitorProcessing"), b"\0"),
        (windows("CanIncludeInClipboardHistory"), b"\0\0\0\0"),  # a DWORD 0: no
        (windows("CanUploadToCloudClipboard"), b"\0\0\0\0"),
    ]:
        assert copied.hasFormat(name), name
        assert bytes(copied.data(name).data()) == value, name
    # Marked once: marking is a change of the clipboard too, not marked again for ever.
    QGuiApplication.clipboard().setText("again")
    assert QGuiApplication.clipboard().text() == "again"
    controller.lock()
    assert QGuiApplication.clipboard().text() == ""  # cleared at the lock, as before
    controller.unlock()
    controller.detach()


def test_session_lock_signal_locks(qtbot: QtBot, demo_caseload: Caseload) -> None:
    window = _window(qtbot, demo_caseload)
    controller = LockController(window, demo_caseload, idle_ms=60_000)
    controller.on_screensaver(False)
    assert not controller.is_locked
    controller.on_session_locked()
    assert controller.is_locked
    controller.unlock()
    controller.on_screensaver(True)
    assert controller.is_locked
    controller.unlock()
    controller.detach()


DBUS_CHILD = """
import subprocess
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QMainWindow
from journeyapp.caseload import Caseload
from journeyapp.ui.first_paint import AfterFirstPaint
from journeyapp.ui.lock import LockController
app = QApplication([])
window = QMainWindow()
controller = LockController(window, Caseload.open(None), idle_ms=60_000)
# The controller listens once the window has painted (as at start-up): the signal comes after.
send = lambda: subprocess.run(["dbus-send", "--session", "--type=signal",
    "/org/freedesktop/ScreenSaver", "org.freedesktop.ScreenSaver.ActiveChanged", "boolean:true"],
    check=True)
AfterFirstPaint(window, lambda: QTimer.singleShot(200, send))
window.show()
QTimer.singleShot(5000, app.quit)
controller.locked.connect(app.quit)
app.exec()
print("LOCKED" if controller.is_locked else "NOT LOCKED")
"""


@pytest.mark.skipif(shutil.which("dbus-run-session") is None, reason="needs a D-Bus session")
def test_a_desktop_screen_lock_signal_locks_the_window() -> None:
    # A private session bus in a child process: the screen saver's ActiveChanged(true) locks.
    result = subprocess.run(
        ["dbus-run-session", "--", sys.executable, "-c", DBUS_CHILD],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
        cwd=Path(__file__).resolve().parents[2],
        env={**os.environ, "QT_QPA_PLATFORM": "offscreen"},
    )
    lines = result.stdout.strip().splitlines()
    assert lines[-1:] == ["LOCKED"], result.stdout + result.stderr


def _whole(panel: QWidget) -> list[str]:
    """What on a lock panel is clipped: a label shorter than its wrapped text, or a widget
    reaching past the panel's edge (empty when everything is shown whole)."""
    clipped = []
    for child in panel.findChildren(QWidget):
        if not child.isVisibleTo(panel):
            continue
        label = isinstance(child, QLabel) and child.wordWrap() and child.text()
        if label and child.height() < child.heightForWidth(child.width()):
            clipped.append(f"label {child.text()!r}")
        box = child.geometry()
        if box.right() > panel.width() or box.bottom() > panel.height():
            clipped.append(f"{type(child).__name__} past the edge")
    return clipped


def test_a_small_covered_dialog_grows_so_nothing_on_its_lock_is_clipped(
    qtbot: QtBot, encrypted: Caseload
) -> None:
    window = _window(qtbot, encrypted)
    controller = LockController(
        window,
        encrypted,
        idle_ms=60_000,
        throttle=Throttle(free=0, base=30, sleep=lambda _s: None),
    )
    box = QMessageBox(QMessageBox.Icon.Question, "Remove?", "Remove it?", parent=window)
    box.open()
    qtbot.waitExposed(box)
    small = box.size()
    controller.lock()
    cover = controller._covers[box]
    layout = cover.layout()
    assert layout is not None
    layout.activate()
    assert _whole(cover) == []
    for _ in range(3):  # wrong tries: the longest message, with the delay, is shown whole
        cover.passphrase.setText("not it")
        controller.try_unlock("not it")
        controller.screen.button.setEnabled(True)
        qtbot.wait(10)
    layout.activate()
    assert "waits" in cover.message.text()
    assert cover.geometry() == box.rect()
    assert box.width() >= small.width()
    assert box.height() >= small.height()
    assert _whole(cover) == [], cover.message.text()
    # A message box sizes itself to its (hidden) text on a layout request, and its owner may
    # resize it: under the lock it keeps the room its panel needs.
    grown = box.size()
    QApplication.sendEvent(box, QEvent(QEvent.Type.LayoutRequest))
    box.setFixedSize(small)
    qtbot.waitUntil(lambda: box.size() == grown, timeout=2000)
    assert _whole(cover) == []
    controller.unlock()
    box.reject()
    controller.detach()


def test_a_demo_lock_screen_unlocks_with_enter(qtbot: QtBot, demo_caseload: Caseload) -> None:
    """No passphrase to type (a demo): the keyboard is on Unlock, and Enter carries on."""
    window = _window(qtbot, demo_caseload)
    controller = LockController(window, demo_caseload, idle_ms=60_000)
    _lock_by_keys(qtbot, window)
    assert controller.is_locked
    button = controller.screen.button
    qtbot.waitUntil(lambda: QApplication.focusWidget() is button)
    qtbot.keyClick(button, Qt.Key.Key_Return)
    assert not controller.is_locked
    controller.detach()
