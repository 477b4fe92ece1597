"""Locking the window: after idle time, on demand (Ctrl+Shift+L) and when the session locks.

Modelled on KeePassXC (research/reliability-anchors.md §2b): an application-wide event filter
restarts a single-shot idle timer on every key, click and wheel event.

On lock: the central widget is swapped for a lock screen (kept, not destroyed, so selection,
scroll position and typed text come back exactly), dock widgets and tool bars are hidden, every
action is disabled, open dialogs are covered by a lock panel (not hidden: hiding a dialog ends
its exec() loop and would lose what was typed in it), an open popup or menu is closed, the
clipboard is cleared if it holds text copied from JourneyApp, and the write-ahead log is
checkpointed. The passphrase unlocks (a demo or unencrypted caseload unlocks with a button).

What Qt can tell on Linux: `applicationStateChanged` only says "inactive" (which also happens on
any switch to another window, too often to lock on) or, on some platforms, "suspended"/"hidden",
which lock. Screen lock and suspend come from D-Bus: logind's Session.Lock and
Manager.PrepareForSleep on the system bus, and the freedesktop / GNOME ScreenSaver
ActiveChanged on the session bus. They are connected when a bus is there (a normal desktop
session); offscreen and in CI there is none, and the idle timer still protects the window.
Windows and macOS listeners (WTS session notifications, distributed notifications) are not
written yet.
"""

from __future__ import annotations

import contextlib
from typing import Any

from PySide6.QtCore import SLOT, QEvent, QObject, Qt, QTimer, Signal, Slot
from PySide6.QtGui import QAction, QClipboard, QGuiApplication, QKeySequence
from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QDockWidget,
    QFrame,
    QLabel,
    QLineEdit,
    QMainWindow,
    QPushButton,
    QToolBar,
    QVBoxLayout,
    QWidget,
)

from journeyapp.caseload import Caseload
from journeyapp.core.errors import JourneyError
from journeyapp.core.passphrase import Throttle

DEFAULT_IDLE_MS = 5 * 60 * 1000
_ACTIVITY = {
    QEvent.Type.KeyPress,
    QEvent.Type.KeyRelease,
    QEvent.Type.MouseButtonPress,
    QEvent.Type.MouseButtonRelease,
    QEvent.Type.MouseButtonDblClick,
    QEvent.Type.Wheel,
    QEvent.Type.HoverMove,
    QEvent.Type.TouchBegin,
}


class UnlockPanel(QFrame):
    """ "Locked" and, for an encrypted caseload, a passphrase box; used as the window's lock
    screen and as the cover over each open dialog."""

    def __init__(self, controller: LockController, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.controller = controller
        self.setObjectName("lockPanel")
        self.setAutoFillBackground(True)
        self.setFrameShape(QFrame.Shape.NoFrame)
        layout = QVBoxLayout(self)
        layout.addStretch(1)
        title = QLabel("JourneyApp is locked")
        title.setAlignment(Qt.AlignmentFlag.AlignCenter)
        font = title.font()
        font.setPointSizeF(font.pointSizeF() * 1.4)
        title.setFont(font)
        layout.addWidget(title)
        self.hint = QLabel()
        self.hint.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.hint.setWordWrap(True)
        layout.addWidget(self.hint)
        self.passphrase = QLineEdit()
        self.passphrase.setEchoMode(QLineEdit.EchoMode.Password)
        self.passphrase.setAccessibleName("Passphrase")
        self.passphrase.setPlaceholderText("Passphrase")
        self.passphrase.setMinimumWidth(320)
        self.passphrase.setMaximumWidth(420)
        self.passphrase.returnPressed.connect(self._unlock)
        layout.addWidget(self.passphrase, 0, Qt.AlignmentFlag.AlignHCenter)
        self.message = QLabel()
        self.message.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.message.setWordWrap(True)
        self.message.setAccessibleName("Unlock message")
        self.message.setMaximumWidth(560)
        layout.addWidget(self.message, 0, Qt.AlignmentFlag.AlignHCenter)
        self.button = QPushButton("Unlock")
        self.button.setAccessibleName("Unlock")
        self.button.clicked.connect(self._unlock)
        layout.addWidget(self.button, 0, Qt.AlignmentFlag.AlignHCenter)
        layout.addStretch(2)
        self.refresh()

    def refresh(self) -> None:
        """Show the passphrase box only when one is needed."""
        needs = self.controller.needs_passphrase
        self.passphrase.setVisible(needs)
        if needs:
            self.hint.setText("Type your passphrase to carry on where you left off.")
        else:
            demo = " (DEMO: fictional people)" if self.controller.caseload.is_demo else ""
            self.hint.setText(f"This caseload has no passphrase{demo}. Press Unlock to carry on.")
        self.message.clear()

    def _unlock(self) -> None:
        if self.button.isEnabled():
            self.controller.try_unlock(self.passphrase.text())


class LockController(QObject):
    """Locks `window` after `idle_ms` without activity, on Ctrl+Shift+L and on session lock.

    Signals:
        locked(): the window has just been locked.
        unlocked(): the window has just been unlocked and restored.
    """

    locked = Signal()
    unlocked = Signal()

    def __init__(
        self,
        window: QMainWindow,
        caseload: Caseload,
        idle_ms: int = DEFAULT_IDLE_MS,
        *,
        throttle: Throttle | None = None,
    ) -> None:
        super().__init__(window)
        self.window = window
        self.caseload = caseload
        self.throttle = throttle or Throttle(sleep=lambda _seconds: None)
        self.is_locked = False
        self._saved: dict[str, Any] = {}
        self._covers: dict[QDialog, UnlockPanel] = {}
        self._hidden_in_dialogs: dict[QDialog, list[QWidget]] = {}
        self._clipboard_ours: str | None = None
        self.idle = QTimer(self)
        self.idle.setSingleShot(True)
        self.idle.setInterval(idle_ms)
        self.idle.timeout.connect(self.lock)
        self.action = QAction("&Lock", window)
        self.action.setShortcut(QKeySequence("Ctrl+Shift+L"))
        self.action.setShortcutContext(Qt.ShortcutContext.ApplicationShortcut)
        self.action.setToolTip("Lock JourneyApp now (Ctrl+Shift+L)")
        self.action.triggered.connect(self.lock)
        window.addAction(self.action)
        self.screen = UnlockPanel(self)
        self.screen.hide()
        app = QApplication.instance()
        assert isinstance(app, QApplication)
        app.installEventFilter(self)
        app.applicationStateChanged.connect(self._on_application_state)
        clipboard = QGuiApplication.clipboard()
        clipboard.dataChanged.connect(self._on_clipboard)
        self._listen_for_session_lock()
        self.idle.start()

    @property
    def needs_passphrase(self) -> bool:
        """True when unlocking needs the passphrase (an encrypted, real caseload)."""
        return self.caseload.is_encrypted

    # -- activity --------------------------------------------------------------------------------

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt override
        """Restart the idle timer on activity; keep dialog covers the size of their dialog."""
        kind = event.type()
        if kind in _ACTIVITY and not self.is_locked:
            self.idle.start()
        elif kind == QEvent.Type.Resize and watched in self._covers:
            dialog = watched
            assert isinstance(dialog, QDialog)
            self._covers[dialog].setGeometry(dialog.rect())
        return False

    def _on_application_state(self, state: Qt.ApplicationState) -> None:
        if state in (
            Qt.ApplicationState.ApplicationSuspended,
            Qt.ApplicationState.ApplicationHidden,
        ):
            self.lock()

    @Slot()
    def on_session_locked(self) -> None:
        """The desktop session locked or the laptop is about to sleep."""
        self.lock()

    @Slot(bool)
    def on_screensaver(self, active: bool) -> None:
        """The screen saver / screen lock came on (True) or went off."""
        if active:
            self.lock()

    def _listen_for_session_lock(self) -> None:
        """Connect the D-Bus lock / sleep / screen-saver signals when a bus is there (Linux)."""
        try:
            from PySide6.QtDBus import QDBusConnection
        except ImportError:  # pragma: no cover - PySide6 without QtDBus
            return
        # Any sender may lock us (an empty service): locking is always safe, and the name
        # that owns the screen saver differs between desktops.
        system = QDBusConnection.systemBus()
        if system.isConnected():
            system.connect(  # type: ignore[call-overload]  # stubs say bytes; runtime takes SLOT()
                "",
                "/org/freedesktop/login1/session/auto",
                "org.freedesktop.login1.Session",
                "Lock",
                self,
                SLOT("on_session_locked()"),
            )
            system.connect(  # type: ignore[call-overload]  # stubs say bytes; runtime takes SLOT()
                "",
                "/org/freedesktop/login1",
                "org.freedesktop.login1.Manager",
                "PrepareForSleep",
                self,
                SLOT("on_screensaver(bool)"),
            )
        session = QDBusConnection.sessionBus()
        if session.isConnected():
            for interface, path in (
                ("org.freedesktop.ScreenSaver", "/org/freedesktop/ScreenSaver"),
                ("org.gnome.ScreenSaver", "/org/gnome/ScreenSaver"),
            ):
                session.connect(  # type: ignore[call-overload]
                    "", path, interface, "ActiveChanged", self, SLOT("on_screensaver(bool)")
                )

    def _on_clipboard(self) -> None:
        clipboard = QGuiApplication.clipboard()
        # Text this application put on the clipboard (copied from one of our fields). Platforms
        # without clipboard ownership (offscreen, some Wayland) fall back to "one of our
        # widgets had the focus when it changed".
        ours = clipboard.ownsClipboard() or QApplication.focusWidget() is not None
        self._clipboard_ours = clipboard.text() if ours and not self.is_locked else None

    # -- lock and unlock -------------------------------------------------------------------------

    def lock(self) -> None:
        """Hide all personal data now; the passphrase brings the same view back."""
        if self.is_locked:
            return
        self.is_locked = True
        self.idle.stop()
        window = self.window
        app = QApplication.instance()
        assert isinstance(app, QApplication)
        popup = app.activePopupWidget()
        if popup is not None:
            popup.close()
        self._saved = {
            "focus": app.focusWidget(),
            "central": window.takeCentralWidget(),
            "bars": [
                w
                for w in window.findChildren(QWidget)
                if isinstance(w, QDockWidget | QToolBar)
                and w.isVisible()
                and w.parentWidget() is window
            ],
            "actions": [
                a for a in window.findChildren(QAction) if a.isEnabled() and a is not self.action
            ],
            "status": window.statusBar().currentMessage() if window.statusBar() else "",
        }
        for bar in self._saved["bars"]:
            bar.hide()
        for action in self._saved["actions"]:
            action.setEnabled(False)
        if window.statusBar() is not None:
            window.statusBar().clearMessage()
        self.screen.refresh()
        self.screen.passphrase.clear()
        window.setCentralWidget(self.screen)
        self.screen.show()
        for widget in app.topLevelWidgets():
            if isinstance(widget, QDialog) and widget.isVisible():
                self._cover(widget)
        self._clear_clipboard()
        # Locking must never fail: the data is already committed; the checkpoint is a tidy-up.
        with contextlib.suppress(JourneyError):
            self.caseload.safety.checkpoint()
        self.screen.passphrase.setFocus()
        self.locked.emit()

    def _cover(self, dialog: QDialog) -> None:
        # Hide the dialog's own widgets (not the dialog: that would end its exec() loop) so
        # nothing in it can be read, even by accessibility tools; the cover sits on top.
        hidden = [
            child
            for child in dialog.findChildren(
                QWidget, options=Qt.FindChildOption.FindDirectChildrenOnly
            )
            if child.isVisible() and not child.isWindow()
        ]
        for child in hidden:
            child.hide()
        self._hidden_in_dialogs[dialog] = hidden
        cover = UnlockPanel(self, dialog)
        cover.setGeometry(dialog.rect())
        cover.show()
        cover.raise_()
        self._covers[dialog] = cover
        if dialog.isModal() or dialog.windowModality() != Qt.WindowModality.NonModal:
            cover.passphrase.setFocus()

    def _clear_clipboard(self) -> None:
        clipboard = QGuiApplication.clipboard()
        ours = clipboard.ownsClipboard() or (
            self._clipboard_ours is not None and clipboard.text() == self._clipboard_ours
        )
        if ours and clipboard.text():
            clipboard.clear(QClipboard.Mode.Clipboard)
        self._clipboard_ours = None

    def try_unlock(self, passphrase: str) -> bool:
        """Unlock when the passphrase is right (or none is needed); otherwise say so and slow down."""
        panels = [self.screen, *self._covers.values()]
        if not self.screen.button.isEnabled():  # still inside the delay after a wrong try
            return False
        if self.needs_passphrase and not self.caseload.safety.check_passphrase(passphrase):
            delay = self.throttle.failed()
            text = self.throttle.message()
            for panel in panels:
                panel.message.setText(text)
                panel.passphrase.clear()
                if delay > 0:
                    panel.button.setEnabled(False)
            if delay > 0:
                QTimer.singleShot(int(delay * 1000), self, self._allow_retry)
            return False
        self.throttle.succeeded()
        self.unlock()
        return True

    def _allow_retry(self) -> None:
        for panel in [self.screen, *self._covers.values()]:
            panel.button.setEnabled(True)
            panel.message.setText("You can try again now.")

    def unlock(self) -> None:
        """Put the window back exactly as it was before the lock."""
        if not self.is_locked:
            return
        window = self.window
        taken = window.takeCentralWidget()
        if taken is not None:
            taken.hide()
            taken.setParent(None)
        self.screen.passphrase.clear()
        central = self._saved.get("central")
        if central is not None:
            window.setCentralWidget(central)
            central.show()
        for bar in self._saved.get("bars", []):
            bar.show()
        for action in self._saved.get("actions", []):
            action.setEnabled(True)
        for cover in self._covers.values():
            cover.hide()
            cover.deleteLater()
        self._covers.clear()
        for children in self._hidden_in_dialogs.values():
            for child in children:
                child.show()
        self._hidden_in_dialogs.clear()
        focus = self._saved.get("focus")
        self._saved = {}
        self.is_locked = False
        if isinstance(focus, QWidget) and focus.isVisible():
            focus.setFocus()
        self.idle.start()
        self.unlocked.emit()

    def set_idle_ms(self, idle_ms: int) -> None:
        """Lock after `idle_ms` without activity from now on (counting from now)."""
        self.idle.setInterval(idle_ms)
        self.idle.start()

    def detach(self) -> None:
        """Stop watching the application (before the window closes)."""
        app = QApplication.instance()
        if app is not None:
            app.removeEventFilter(self)
        self.idle.stop()
