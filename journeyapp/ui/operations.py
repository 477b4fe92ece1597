"""Long work off the window's thread, in the way Anki's `QueryOp(...).with_progress(...)` runs it.

    Operation(parent=window, caseload=caseload, op=work, success=done)
        .with_progress("Writing the export…")
        .run_in_background()

`op(own, progress)` runs on a pool thread with `own`, a connection of its own to the caseload's
file (`Caseload.reopen()`: an SQLite connection is not shared between threads), so the window
keeps painting, typing and saving meanwhile. `progress(done, total)` moves the bar and raises
`Cancelled` once the person has pressed Cancel, so the work stops between steps. `success(result)`
and any error come back on the window's thread through queued signals: a JourneyError becomes a
message (ui/errors.py); a programming error is raised there, as anywhere else in the window.
Changes the work committed reach the window's caseload listeners after it finishes.
"""

from __future__ import annotations

import collections
import contextlib
import gc
import os
import sys
import threading
import time
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, Generic, TypeVar

import shiboken6
from PySide6.QtCore import (
    QCoreApplication,
    QObject,
    QRunnable,
    Qt,
    QThreadPool,
    QTimer,
    Signal,
    Slot,
)
from PySide6.QtWidgets import QLabel, QWidget

from journeyapp.caseload import Caseload
from journeyapp.core.changes import Changes
from journeyapp.core.errors import JourneyError
from journeyapp.ui.errors import show_error

if TYPE_CHECKING:
    # Imported where a progress dialog is shown: PySide sets up its type, and QDialog's, when
    # first imported, and the window's first paint needs neither (#18).
    from PySide6.QtWidgets import QProgressDialog

T = TypeVar("T")
REPORT_EVERY = 0.05  # seconds between progress reports that reach the window

# Operations still running, kept referenced until they finish (Qt does not own them).
_RUNNING: set[Operation[Any]] = set()


class Cancelled(Exception):
    """The person pressed Cancel (or the window is closing): the work stopped between steps."""


class Progress:
    """Handed to an operation's work: say how far it is; stop when asked."""

    def __init__(self, signals: _Signals) -> None:
        self._signals = signals
        self._stop = threading.Event()
        self._reported = 0.0
        self._on_cancel: list[Callable[[], None]] = []

    def __call__(self, done: int, total: int) -> None:
        """Report `done` of `total` steps; raises Cancelled once Cancel was pressed."""
        self.report(done, total)
        self.check()

    def report(self, done: int, total: int) -> None:
        """Report `done` of `total` steps without stopping (the work checks `cancelled`).

        At most about 20 reports a second reach the window (work may report every row; each
        report is an event the window's thread must handle), and always the last one."""
        now = time.monotonic()
        if done < total and now - self._reported < REPORT_EVERY:
            return
        self._reported = now
        self._signals.progressed.emit(int(done), int(total))

    def label(self, text: str) -> None:
        """Change the words shown above the bar (e.g. the second half of the work)."""
        self._signals.labelled.emit(text)

    @property
    def cancelled(self) -> bool:
        """True once Cancel was pressed."""
        return self._stop.is_set()

    def check(self) -> None:
        """Raise Cancelled when Cancel was pressed (call it between steps)."""
        if self._stop.is_set():
            raise Cancelled

    def on_cancel(self, action: Callable[[], None]) -> None:
        """Also do `action` (thread-safe, e.g. interrupting a long query) when Cancel is pressed."""
        self._on_cancel.append(action)
        if self._stop.is_set():
            action()

    def cancel(self) -> None:
        """Ask the work to stop (from the window's thread)."""
        self._stop.set()
        for action in list(self._on_cancel):
            action()


class _Signals(QObject):
    """Lives on the window's thread; emitted from the pool thread, delivered queued."""

    progressed = Signal(int, int)
    labelled = Signal(str)
    finished = Signal(object)


def _yield_to_the_window() -> None:
    """Let the window's thread go first when both want the processor (a busy laptop, two
    cores): on Linux a thread has its own nice value, so this pool thread takes 10."""
    if sys.platform == "linux":
        with contextlib.suppress(OSError):
            os.setpriority(os.PRIO_PROCESS, threading.get_native_id(), 10)


def _pool() -> QThreadPool:
    """The operations' own threads (their lowered priority must not reach Qt's global pool)."""
    global _POOL
    if _POOL is None:
        _POOL = QThreadPool()
        _POOL.setMaxThreadCount(4)  # an export need not wait for the start-up backup
    return _POOL


_POOL: QThreadPool | None = None

# Python's cyclic collector runs in whichever thread happens to allocate. Run from a pool
# thread, it can free the last Python reference to a Qt widget or dialog made on the window's
# thread and so destroy it there, off the window's thread: a crash (seen as a segmentation
# fault in the middle of a background PDF build). While any operation runs, the collector
# waits; the window's thread collects once the last one ends.
_COLLECTOR_WAS_ENABLED: list[bool] = []


def _hold_collector() -> None:
    _COLLECTOR_WAS_ENABLED[:] = [gc.isenabled()]
    gc.disable()


def _release_collector() -> None:
    if _COLLECTOR_WAS_ENABLED and _COLLECTOR_WAS_ENABLED.pop():
        gc.enable()


class _Runner(QRunnable):
    """Runs the work on a pool thread and hands the outcome back, then lets go of everything.

    Python objects must die on the window's thread: the last reference to an operation (and
    through it a dialog, a closure over a widget, a signals object) dropped on a pool thread
    destroys Qt objects there, a crash (seen as a segmentation fault in a thread with no Python
    frame, just after a background backup or PDF build). So the pool never deletes a runner
    (no auto-delete: the operation owns it), the runner drops its own references before it
    says it has returned, and the operation stays referenced on the window's thread until then.
    """

    def __init__(self, work: Callable[[], object], signals: _Signals) -> None:
        super().__init__()
        self.setAutoDelete(False)
        self._work: Callable[[], object] | None = work
        self._signals: _Signals | None = signals
        self.returned = threading.Event()

    def run(self) -> None:
        _yield_to_the_window()
        work, signals = self._work, self._signals
        self._work = self._signals = None
        assert work is not None
        assert signals is not None
        try:
            outcome: tuple[str, object] = ("ok", work())
        except Cancelled:
            outcome = ("cancelled", None)
        except BaseException as exc:  # handed to the window's thread, never lost
            outcome = ("error", exc)
        del work
        _hand_back(signals, outcome)
        del signals, outcome
        self.returned.set()


def _hand_back(signals: _Signals, outcome: tuple[str, object]) -> None:
    """Send the outcome to the window's thread (queued); nobody is left to hear it when the
    application has already gone (work still ending as the process exits)."""
    if shiboken6.isValid(signals):
        with contextlib.suppress(RuntimeError):  # deleted between the check and the emit
            signals.finished.emit(outcome)


# Operations whose result is handled but whose runner may still be returning on its thread:
# kept referenced here, on the window's thread, until it has (see _Runner).
_RETURNING: set[Operation[Any]] = set()
RETURN_POLL_MS = 5
# The last runners that returned, let go of (on the window's thread) only when pushed out by
# later ones, long after their pool thread has left them.
_SPENT: collections.deque[_Runner] = collections.deque(maxlen=8)


class Operation(QObject, Generic[T]):
    """One piece of long work: run off the window's thread, with progress and Cancel.

    Signals:
        finished(): the result, error or Cancel has been handled on the window's thread.
    """

    finished = Signal()

    def __init__(
        self,
        *,
        parent: QWidget | None,
        caseload: Caseload | None,
        op: Callable[[Any, Progress], T],
        success: Callable[[T], object],
        title: str = "JourneyApp",
    ) -> None:
        super().__init__(None)
        self._parent = parent
        self._caseload = caseload
        self._op = op
        self._success = success
        self._title = title
        self._failure: Callable[[JourneyError], object] | None = None
        self._cancelled: Callable[[], object] | None = None
        self._progressed: Callable[[int, int], object] | None = None
        self._interruptible = False
        self._label = ""
        self._status: QLabel | None = None
        self._status_busy = ""
        self._dialog: QProgressDialog | None = None
        self._signals = _Signals()
        self.progress = Progress(self._signals)
        self._done = threading.Event()
        self._runner: _Runner | None = None
        self.outcome: str = ""
        # A result that arrives after its window or dialog has gone is not shown to anyone.
        self._orphaned = False
        if parent is not None:
            parent.destroyed.connect(self._forget_parent)
        self._signals.progressed.connect(self._on_progress, Qt.ConnectionType.QueuedConnection)
        self._signals.labelled.connect(self._on_label, Qt.ConnectionType.QueuedConnection)
        self._signals.finished.connect(self._on_finished, Qt.ConnectionType.QueuedConnection)

    def failure(self, failure: Callable[[JourneyError], object]) -> Operation[T]:
        """Call `failure(error)` instead of showing the message."""
        self._failure = failure
        return self

    def on_cancelled(self, cancelled: Callable[[], object]) -> Operation[T]:
        """Call `cancelled()` when the work stopped because Cancel was pressed."""
        self._cancelled = cancelled
        return self

    def on_progress(self, progressed: Callable[[int, int], object]) -> Operation[T]:
        """Also call `progressed(done, total)` on the window's thread as the work moves on."""
        self._progressed = progressed
        return self

    def interruptible(self) -> Operation[T]:
        """Let Cancel stop a long query mid-way (read-only work with no steps of its own)."""
        self._interruptible = True
        return self

    def with_progress(self, label: str) -> Operation[T]:
        """Show a window-modal progress dialog with a Cancel button while the work runs."""
        self._label = label
        return self

    def with_status(self, status: QLabel, busy: str) -> Operation[T]:
        """Say `busy` quietly in a status-bar label instead of a dialog (automatic backups)."""
        self._status = status
        self._status_busy = busy
        return self

    @property
    def running(self) -> bool:
        """True from run_in_background() until the result is back on the window's thread."""
        return self in _RUNNING

    @property
    def dialog(self) -> QProgressDialog | None:
        """The progress dialog while it is shown; None once it is gone (a dialog can be deleted
        under us, with its parent or by a lock walking every window)."""
        dialog = self._dialog
        return dialog if dialog is not None and shiboken6.isValid(dialog) else None

    @dialog.setter
    def dialog(self, value: QProgressDialog | None) -> None:
        self._dialog = value

    def run_in_background(self) -> Operation[T]:
        """Start the work on a pool thread; returns at once."""
        if not _RUNNING and not _RETURNING:
            _hold_collector()
        _RUNNING.add(self)
        if self._label:
            from PySide6.QtWidgets import QProgressDialog

            dialog = QProgressDialog(self._label, "Cancel", 0, 0, self._parent)
            self._dialog = dialog
            dialog.setWindowTitle(self._title)
            # Room for a label that changes ("Merging 12,345 journey-log events…") without jumps.
            dialog.setMinimumWidth(dialog.fontMetrics().horizontalAdvance("x") * 52)
            dialog.setWindowModality(Qt.WindowModality.WindowModal)
            dialog.setMinimumDuration(0)
            dialog.setAutoClose(False)
            dialog.setAutoReset(False)
            dialog.canceled.connect(self.cancel)
            dialog.show()
        if self._status is not None:
            self._status.setText(self._status_busy)
        self._runner = _Runner(self._work, self._signals)
        _pool().start(self._runner)
        return self

    def cancel(self) -> None:
        """Ask the work to stop at its next step (nothing half-done is kept)."""
        self.progress.cancel()
        if self.dialog is not None:
            self.dialog.setLabelText("Stopping…")

    def wait(self, timeout: float = 30.0) -> bool:
        """Block until the work has ended on its thread (for closing the window); True if so."""
        return self._done.wait(timeout)

    # -- on the pool thread ------------------------------------------------------------------

    def _work(self) -> object:
        try:
            if self._caseload is None:
                return (self._op(None, self.progress), Changes())
            own = self._caseload.reopen()
            guard = _Interrupter(own)
            if self._interruptible:
                self.progress.on_cancel(guard.interrupt)
            try:
                seen: list[Changes] = []
                own.subscribe(seen.append)
                try:
                    result = self._op(own, self.progress)
                except Exception:
                    if self.progress.cancelled:
                        raise Cancelled from None  # stopped on purpose, mid-step
                    raise
                return (result, _merged(seen))
            finally:
                guard.close()
        finally:
            self._done.set()

    # -- back on the window's thread ---------------------------------------------------------

    @Slot()
    def _forget_parent(self) -> None:
        self._orphaned = True
        self._parent = None
        self.dialog = None  # a child of the parent: deleted with it

    @Slot(int, int)
    def _on_progress(self, done: int, total: int) -> None:
        if self._orphaned:
            return
        if self._progressed is not None and not self.progress.cancelled:
            self._progressed(done, total)
        dialog = self.dialog
        if dialog is not None and not self.progress.cancelled:
            dialog.setMaximum(max(total, 1))
            dialog.setValue(min(done, max(total, 1)))

    @Slot(str)
    def _on_label(self, text: str) -> None:
        if self._orphaned:
            return
        dialog = self.dialog
        if dialog is not None and not self.progress.cancelled:
            dialog.setLabelText(text)

    @Slot(object)
    def _on_finished(self, outcome: tuple[str, Any]) -> None:
        try:
            self._handle(outcome)
        finally:
            _RUNNING.discard(self)
            _RETURNING.add(self)
            self._let_go()
            self.finished.emit()

    @Slot()
    def _let_go(self) -> None:
        """Drop the last reference here once the runner has returned on its thread."""
        runner = self._runner
        if runner is not None and not runner.returned.is_set():
            QTimer.singleShot(RETURN_POLL_MS, self._let_go)
            return
        if runner is not None:
            _SPENT.append(runner)  # its own frame may still be unwinding on the pool thread
        self._runner = None
        _RETURNING.discard(self)
        if not _RUNNING and not _RETURNING:
            _release_collector()

    def _handle(self, outcome: tuple[str, Any]) -> None:
        dialog = self.dialog
        if dialog is not None:
            dialog.close()
            dialog.deleteLater()
        self.dialog = None
        kind, value = outcome
        self.outcome = kind
        if self._orphaned and kind != "error":
            return  # nobody is left to tell (changes were saved; the next view shows them)
        if kind == "cancelled":
            if self._cancelled is not None:
                self._cancelled()
            return
        if kind == "error":
            if isinstance(value, JourneyError):
                if self._orphaned:
                    return
                if self._failure is not None:
                    self._failure(value)
                else:
                    show_error(self._parent, value, self._title)
                return
            raise value
        result, changes = value
        if self._caseload is not None and not self._caseload.is_closed:
            self._caseload.changed_elsewhere(changes)
        self._success(result)


class _Interrupter:
    """Stops a long query on the operation's connection from the window's thread, and never
    touches that connection once it is closed (SQLite forbids interrupting a closed one)."""

    def __init__(self, caseload: Caseload) -> None:
        self._caseload = caseload
        self._lock = threading.Lock()
        self._open = True

    def interrupt(self) -> None:
        with self._lock:
            if self._open:
                self._caseload.db.conn.interrupt()

    def close(self) -> None:
        with self._lock:
            self._open = False
            self._caseload.close()


def _merged(seen: list[Changes]) -> Changes:
    """One Changes for everything the work committed (the window refreshes once)."""
    kinds: set[str] = set()
    people: set[str] = set()
    for changes in seen:
        kinds |= changes.kinds
        people |= changes.participant_ids
    note = seen[-1].note if seen else ""
    return Changes(frozenset(kinds), frozenset(people), note)


def running(caseload: Caseload | None = None) -> list[Operation[Any]]:
    """The operations still running (on `caseload`, when given)."""
    return [op for op in _RUNNING if caseload is None or op._caseload is caseload]


def abandon_all(timeout: float = 60.0) -> bool:
    """Stop every operation and forget it without handing its result back: each is asked to
    stop, its thread is waited for until it has let go of it, and its queued result is dropped
    (the end of a test, so no work or result of one reaches the next). True if every thread
    let go within `timeout` seconds (else those still going are left as they are)."""
    deadline = time.monotonic() + timeout
    for op in list(_RUNNING):
        op.progress.cancel()
    let_go = True
    for op in list(_RUNNING | _RETURNING):
        runner = op._runner
        if runner is not None and not runner.returned.wait(max(0.0, deadline - time.monotonic())):
            let_go = False
            continue
        QCoreApplication.removePostedEvents(op)
        QCoreApplication.removePostedEvents(op._signals)
        if runner is not None:
            _SPENT.append(runner)
        op._runner = None
        _RUNNING.discard(op)
        _RETURNING.discard(op)
    if not _RUNNING and not _RETURNING:
        _release_collector()
    return let_go


def stop_all(caseload: Caseload, timeout: float = 30.0) -> None:
    """Cancel every operation on `caseload` and wait for each to end (before closing it)."""
    for op in running(caseload):
        op.cancel()
    for op in running(caseload):
        op.wait(timeout)
