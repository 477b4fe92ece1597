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
Windows and macOS: Qt gives no session-lock signal there, and a listener needs a native
window hook (WTSRegisterSessionNotification) or an NSDistributedNotificationCenter observer,
which PySide6 does not wrap and which no small pure-Python dependency provides; on those
systems the idle timer and Ctrl+Shift+L protect the window (see README, "Locking").

The lock never depends on a dialog staying alive: while locked, Escape and close are refused
on every covered window (they stay open under the lock, so unsaved typing is kept), a window
that appears while locked is covered at once, and a cover whose window went away anyway is
simply forgotten (never touched again), so no sequence can leave the lock half on.
"""

from __future__ import annotations

import contextlib
import sys
import time
from typing import Any

import shiboken6
from PySide6.QtCore import SLOT, QEvent, QObject, Qt, QTimer, Signal, Slot
from PySide6.QtGui import QAction, QGuiApplication, QKeyEvent, QKeySequence
from PySide6.QtWidgets import (
    QApplication,
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMainWindow,
    QPushButton,
    QToolBar,
    QVBoxLayout,
    QWidget,
)

from journeyapp.caseload import Caseload
from journeyapp.caseload.safety import throttle_for
from journeyapp.core.errors import JourneyError
from journeyapp.core.passphrase import Throttle
from journeyapp.ui.first_paint import AfterFirstPaint
from journeyapp.ui.overrides import override

DEFAULT_IDLE_MS = 5 * 60 * 1000
LOCKED_TITLE = "JourneyApp — locked"
LOCK_KEYS = QKeySequence("Ctrl+Shift+L")
# What is copied from the window is marked as password managers mark a copied password, so a
# clipboard history does not keep it on disk (KDE's Klipper keeps its history in a file by
# default; Windows' clipboard history, and its cloud clipboard; macOS's clipboard managers).
NOT_FOR_CLIPBOARD_HISTORY = {
    "x-kde-passwordManagerHint": b"secret",
    "application/x-nspasteboard-concealed-type": b"",
    'application/x-qt-windows-mime;value="ExcludeClipboardContentFromMonitorProcessing"': b"\0",
    'application/x-qt-windows-mime;value="CanIncludeInClipboardHistory"': b"\0\0\0\0",
    'application/x-qt-windows-mime;value="CanUploadToCloudClipboard"': b"\0\0\0\0",
}
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


def _is_lock_key(event: QEvent) -> bool:
    """True for the Ctrl+Shift+L key press."""
    key = getattr(event, "key", None)
    mods = getattr(event, "modifiers", None)
    if key is None or mods is None:
        return False
    wanted = Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier
    return bool(key() == Qt.Key.Key_L and mods() & wanted == wanted)


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
        # Centred by stretches, not by an alignment flag: an aligned label gets its one-line
        # size, and a long message (the delay after wrong tries) would be cut off.
        row = QHBoxLayout()
        row.addStretch(1)
        row.addWidget(self.message, 100)
        row.addStretch(1)
        layout.addLayout(row)
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

    def take_focus(self) -> None:
        """Put the keyboard where unlocking starts: the passphrase box, or Unlock itself when
        no passphrase is needed (a demo), so Enter carries on without reaching for the mouse."""
        if self.controller.needs_passphrase:
            self.passphrase.setFocus()
        else:
            self.button.setFocus()

    @override
    def keyPressEvent(self, event: QKeyEvent) -> None:
        # The passphrase box answers Enter itself (returnPressed); without one, Enter unlocks.
        enter = event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter)
        if enter and not self.controller.needs_passphrase:
            self._unlock()
            event.accept()
            return
        super().keyPressEvent(event)

    def say(self, text: str) -> None:
        """Show a message under the passphrase box, whole (the covered dialog grows for it)."""
        self.message.setText(text)
        self.fit()

    def fit(self) -> None:
        """Grow the dialog this panel covers until nothing on the panel is clipped (never shrink
        it); the panel over the main window has the whole window and needs nothing."""
        host = self.parentWidget()
        if host is None or host is self.controller.window or not shiboken6.isValid(host):
            return
        layout = self.layout()
        assert layout is not None
        layout.activate()
        hint = self.sizeHint()
        width = max(host.width(), hint.width(), self.minimumSizeHint().width())
        height = max(host.height(), hint.height())
        if layout.hasHeightForWidth():
            height = max(height, layout.totalHeightForWidth(width))
        if width > host.width() or height > host.height():
            # A dialog that had a fixed size (a message box) may grow too, while locked.
            host.setMaximumSize(max(width, host.maximumWidth()), max(height, host.maximumHeight()))
            host.resize(width, height)
        self.setGeometry(host.rect())


class _SetUpQtTypes(QObject):
    """Has PySide6 set up the Python types of the Qt modules loaded, a few milliseconds' worth
    at a time between events, then calls `then`.

    PySide6 makes each Qt class's Python type (and its enums) the first time it is needed. An
    application-wide event filter needs them all at once: every object with an event (windows,
    D-Bus, internals) is handed to Python, and finding its type sets up about a hundred classes
    in one go, a freeze of 100 ms or more. Set up here in slices first, they cost no gap."""

    SLICE_S = 0.004

    def __init__(self, parent: QObject, then: Any) -> None:
        super().__init__(parent)
        self._then = then
        modules = [m for name, m in sorted(sys.modules.items()) if name.startswith("PySide6.Qt")]
        self._names = [(m, n) for m in modules if m is not None for n in dir(m) if n[:1] == "Q"]
        QTimer.singleShot(0, self, self._step)

    def _step(self) -> None:
        end = time.perf_counter() + self.SLICE_S
        while self._names and time.perf_counter() < end:
            module, name = self._names.pop()
            getattr(module, name, None)
        if self._names:
            QTimer.singleShot(0, self, self._step)
        else:
            self._then()


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
        # Made when first needed (the first unlock): reading its file needs hashing (OpenSSL),
        # which nothing else loads before the window's first paint (issue 18).
        self._throttle = throttle
        self.is_locked = False
        self._saved: dict[str, Any] = {}
        self._covers: dict[QWidget, UnlockPanel] = {}
        self._hidden_in_dialogs: dict[QWidget, list[QWidget]] = {}
        self._titles: dict[QWidget, str] = {}
        self._clipboard_ours: str | None = None
        self.idle = QTimer(self)
        self.idle.setSingleShot(True)
        self.idle.setInterval(idle_ms)
        self.idle.timeout.connect(self.lock)
        self.action = QAction("&Lock", window)
        self.action.setShortcut(LOCK_KEYS)
        self.action.setShortcutContext(Qt.ShortcutContext.ApplicationShortcut)
        self.action.setToolTip("Lock JourneyApp now (Ctrl+Shift+L)")
        self.action.triggered.connect(self.lock)
        window.addAction(self.action)
        # The lock screen is made when first needed (the first lock), not before the window's
        # first paint (#18).
        self._screen: UnlockPanel | None = None
        app = QApplication.instance()
        assert isinstance(app, QApplication)
        self._watching = False
        self._detached = False
        if window.isVisible():
            self._watch()
            self._listen_for_session_lock()
            self._watch_clipboard()
        else:
            # The application-wide filter has Qt hand every object with an event to Python,
            # and PySide6 sets up each new kind of object the first time: about 100 ms before
            # the window's first paint. So it goes in once the window has painted and those
            # types are set up in slices (nothing can be locked before then, and the idle
            # timer already runs). So does listening to D-Bus (QtDBus loaded, its types set
            # up, the buses asked for, #18), and to the clipboard (nothing of ours can be
            # copied before the window is on screen; its type is not set up before then).
            AfterFirstPaint(window, self._after_first_paint)
        app.applicationStateChanged.connect(self._on_application_state)
        self.idle.start()

    def _after_first_paint(self) -> None:
        self._listen_for_session_lock()
        self._watch_clipboard()
        _SetUpQtTypes(self, self._watch)

    def _watch_clipboard(self) -> None:
        """Note what of ours is put on the clipboard (cleared when the window locks)."""
        clipboard = QGuiApplication.clipboard()
        clipboard.dataChanged.connect(self._on_clipboard)

    @property
    def throttle(self) -> Throttle:
        """The wrong-try delay at the lock: it counts with the tries at start-up, kept per
        file (issue 17); a caseload without a file keeps its count in memory."""
        if self._throttle is None:
            self._throttle = (
                throttle_for(self.caseload.path, sleep=lambda _seconds: None)
                if self.caseload.path is not None
                else Throttle(sleep=lambda _seconds: None)
            )
        return self._throttle

    @property
    def screen(self) -> UnlockPanel:
        """The window's lock screen (made when first asked for)."""
        if self._screen is None:
            self._screen = UnlockPanel(self)
            self._screen.hide()
        return self._screen

    @property
    def needs_passphrase(self) -> bool:
        """True when unlocking needs the passphrase (an encrypted, real caseload)."""
        return self.caseload.is_encrypted

    # -- activity --------------------------------------------------------------------------------

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt override
        """Restart the idle timer on activity; while locked, keep every window covered and open."""
        kind = event.type()
        if kind == QEvent.Type.KeyPress and _is_lock_key(event):
            # Also with a modal dialog open, which blocks the action's own shortcut.
            self.lock()
            return True
        if not self.is_locked:
            if kind in _ACTIVITY:
                self.idle.start()
            return False
        if not isinstance(watched, QWidget) or not shiboken6.isValid(watched):
            return False
        if kind == QEvent.Type.LayoutRequest and watched in self._covers:
            # A covered window does not lay itself out again while locked: a message box would
            # shrink to fit its hidden text (QMessageBox sizes itself on this event) and cut its
            # lock panel off.
            return True
        if kind == QEvent.Type.Resize and watched in self._covers:
            cover = self._covers[watched]
            if shiboken6.isValid(cover):
                cover.setGeometry(watched.rect())
                QTimer.singleShot(0, cover, cover.fit)  # shrunk by its owner: grow it back
        elif kind == QEvent.Type.Close and watched in self._covers:
            # Closing a covered window would lose what was typed in it and its cover with it.
            event.ignore()
            return True
        elif kind == QEvent.Type.KeyPress and watched.window() in self._covers:
            key = event.key()  # type: ignore[attr-defined]  # a QKeyEvent here
            if key == Qt.Key.Key_Escape:
                return True  # Escape would reject() the dialog under the cover
        elif kind == QEvent.Type.WindowTitleChange and watched in self._titles:
            # A window renamed while locked (a save, a refresh) keeps the locked title on
            # screen and gets its new one back at unlock.
            if watched.windowTitle() != LOCKED_TITLE:
                self._titles[watched] = watched.windowTitle()
                QTimer.singleShot(0, self, lambda w=watched: self._relabel(w))
        elif (
            kind == QEvent.Type.Show
            and watched.isWindow()
            and self._coverable(watched)
            and watched not in self._covers
        ):
            # A window opened while locked (an error message, a finished task): cover it too.
            QTimer.singleShot(0, self, self._cover_all)
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
        if self._clipboard_ours:
            _not_for_clipboard_history(clipboard)

    # -- lock and unlock -------------------------------------------------------------------------

    def lock(self) -> None:
        """Hide all personal data now; the passphrase brings the same view back.

        Locking again while locked covers any window opened since (it never half-locks)."""
        if self.is_locked:
            self._cover_all()
            return
        self.is_locked = True
        self.idle.stop()
        try:
            self._lock_window()
        finally:
            # Whatever happened above, every other window is covered and retitled.
            self._cover_all()
            self._clear_clipboard()
        # Locking must never fail: the data is already committed; the checkpoint is a tidy-up,
        # and it must not wait for a backup reading in the background.
        with contextlib.suppress(JourneyError):
            self.caseload.safety.checkpoint(wait=False)
        self.screen.take_focus()
        self.locked.emit()

    def _lock_window(self) -> None:
        from PySide6.QtWidgets import QDockWidget  # here: its type is not set up to start (#18)

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
        }
        for bar in self._saved["bars"]:
            bar.hide()
        for action in self._saved["actions"]:
            action.setEnabled(False)
        if window.statusBar() is not None:
            window.statusBar().clearMessage()
        self._retitle(window)
        self.screen.refresh()
        self.screen.passphrase.clear()
        window.setCentralWidget(self.screen)
        self.screen.show()

    def _coverable(self, widget: QWidget) -> bool:
        """A window a person can read: a dialog or other top-level window, not a popup or tip."""
        if widget is self.window or not widget.isWindow():
            return False
        flags = widget.windowType()
        return flags not in (
            Qt.WindowType.Popup,
            Qt.WindowType.ToolTip,
            Qt.WindowType.SplashScreen,
            Qt.WindowType.Desktop,
        )

    def _cover_all(self) -> None:
        """Cover every visible top-level window not yet covered (and forget vanished ones)."""
        if not self.is_locked:
            return
        self._forget_vanished()
        for widget in QApplication.topLevelWidgets():
            if (
                shiboken6.isValid(widget)
                and widget.isVisible()
                and self._coverable(widget)
                and widget not in self._covers
            ):
                self._cover(widget)

    def _forget_vanished(self) -> None:
        for gone in [w for w in self._covers if not shiboken6.isValid(w)]:
            self._drop(gone)

    def _drop(self, gone: QWidget) -> None:
        self._covers.pop(gone, None)
        self._hidden_in_dialogs.pop(gone, None)
        self._titles.pop(gone, None)

    def _relabel(self, widget: QWidget) -> None:
        if self.is_locked and shiboken6.isValid(widget) and widget in self._titles:
            widget.setWindowTitle(LOCKED_TITLE)

    def _retitle(self, widget: QWidget) -> None:
        if widget not in self._titles:
            self._titles[widget] = widget.windowTitle()
        widget.setWindowTitle(LOCKED_TITLE)

    def _cover(self, dialog: QWidget) -> None:
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
        self._retitle(dialog)
        cover = UnlockPanel(self, dialog)
        cover.setGeometry(dialog.rect())
        cover.show()
        cover.raise_()
        cover.fit()  # a small dialog grows so the title, box and button are shown whole
        self._covers[dialog] = cover
        # A window that goes away anyway (deleted by its owner) takes its cover with it.
        dialog.destroyed.connect(lambda *_args, gone=dialog: self._drop(gone))
        if dialog.isModal() or dialog.windowModality() != Qt.WindowModality.NonModal:
            cover.take_focus()

    def _clear_clipboard(self) -> None:
        from PySide6.QtGui import QClipboard  # here: its type is not set up to start (#18)

        clipboard = QGuiApplication.clipboard()
        ours = clipboard.ownsClipboard() or (
            self._clipboard_ours is not None and clipboard.text() == self._clipboard_ours
        )
        if ours and clipboard.text():
            clipboard.clear(QClipboard.Mode.Clipboard)
        # X11's PRIMARY selection: a middle-click pastes whatever was last selected in our
        # fields. Clearing it gives up ownership, so nothing of ours can be pasted elsewhere.
        if clipboard.supportsSelection() and (
            clipboard.ownsSelection() or clipboard.text(QClipboard.Mode.Selection)
        ):
            clipboard.clear(QClipboard.Mode.Selection)
        self._clipboard_ours = None

    def _panels(self) -> list[UnlockPanel]:
        return [p for p in [self.screen, *self._covers.values()] if shiboken6.isValid(p)]

    def try_unlock(self, passphrase: str) -> bool:
        """Unlock when the passphrase is right (or none is needed); otherwise say so and slow down."""
        if not self.screen.button.isEnabled():  # still inside the delay after a wrong try
            return False
        if self.needs_passphrase and not self.caseload.safety.check_passphrase(passphrase):
            delay = self.throttle.failed()
            text = self.throttle.message()
            for panel in self._panels():
                panel.say(text)
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
        for panel in self._panels():
            panel.button.setEnabled(True)
            panel.say("You can try again now.")

    def unlock(self) -> None:
        """Put the window back exactly as it was before the lock.

        Each step stands alone (a window closed or deleted meanwhile is skipped), and the lock
        is always left off and the idle timer running, so it can lock again."""
        if not self.is_locked:
            return
        try:
            self._restore_window()
            self._uncover_all()
        finally:
            focus = self._saved.get("focus")
            self._saved = {}
            self.is_locked = False
            if isinstance(focus, QWidget) and shiboken6.isValid(focus) and focus.isVisible():
                focus.setFocus()
            self.idle.start()
        self.unlocked.emit()

    def _restore_window(self) -> None:
        window = self.window
        taken = window.takeCentralWidget()
        if taken is not None:
            taken.hide()
            taken.setParent(None)
        self.screen.passphrase.clear()
        central = self._saved.get("central")
        if central is not None and shiboken6.isValid(central):
            window.setCentralWidget(central)
            central.show()
        for bar in self._saved.get("bars", []):
            if shiboken6.isValid(bar):
                bar.show()
        for action in self._saved.get("actions", []):
            if shiboken6.isValid(action):
                action.setEnabled(True)

    def _uncover_all(self) -> None:
        covers, self._covers = self._covers, {}
        hidden, self._hidden_in_dialogs = self._hidden_in_dialogs, {}
        titles, self._titles = self._titles, {}
        for cover in covers.values():
            if shiboken6.isValid(cover):
                cover.hide()
                cover.deleteLater()
        for dialog, children in hidden.items():
            if not shiboken6.isValid(dialog):
                continue
            for child in children:
                if shiboken6.isValid(child):
                    child.show()
        for widget, title in titles.items():
            if shiboken6.isValid(widget):
                widget.setWindowTitle(title)

    def set_idle_ms(self, idle_ms: int) -> None:
        """Lock after `idle_ms` without activity from now on (counting from now)."""
        self.idle.setInterval(idle_ms)
        self.idle.start()

    def _watch(self) -> None:
        """Watch every event of the application (activity, the lock keys, new windows)."""
        app = QApplication.instance()
        if app is not None and not self._watching and not self._detached:
            app.installEventFilter(self)
            self._watching = True

    def detach(self) -> None:
        """Stop watching the application (before the window closes)."""
        self._detached = True
        app = QApplication.instance()
        if app is not None:
            app.removeEventFilter(self)
        self.idle.stop()


def _not_for_clipboard_history(clipboard: Any) -> None:
    """Put what was just copied back on the clipboard as it was (every format), marked not to
    be kept by a clipboard history (NOT_FOR_CLIPBOARD_HISTORY); marked once: the change this
    makes is not marked again."""
    from PySide6.QtCore import QMimeData  # here: its type is not set up to start (#18)

    copied = clipboard.mimeData()
    mark = next(iter(NOT_FOR_CLIPBOARD_HISTORY))
    if copied is None or copied.hasFormat(mark):
        return
    marked = QMimeData()
    for name in copied.formats():
        marked.setData(name, copied.data(name))
    for name, value in NOT_FOR_CLIPBOARD_HISTORY.items():
        marked.setData(name, value)
    clipboard.setMimeData(marked)
