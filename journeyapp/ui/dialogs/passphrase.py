"""Choosing a passphrase (first run, typed twice, with guidance) and unlocking at start."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QInputDialog,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from journeyapp.caseload import Caseload
from journeyapp.caseload.safety import Unlocker, throttle_for
from journeyapp.core.access import Access
from journeyapp.core.errors import JourneyError, WrongPassphrase
from journeyapp.core.passphrase import GUIDANCE, Throttle, assess, waiting_words
from journeyapp.ui.overrides import override
from journeyapp.ui.widgets.buttons import ok_cancel
from journeyapp.ui.widgets.forms import ProblemsSaid


def _password_box(name: str) -> QLineEdit:
    box = QLineEdit()
    box.setEchoMode(QLineEdit.EchoMode.Password)
    box.setAccessibleName(name)
    return box


def ask_passphrase(parent: QWidget | None, title: str, prompt: str) -> str | None:
    """Ask for an existing passphrase in a small dialog (typed hidden); None when cancelled.

    Wide enough for its title and a passphrase of several words (Qt's own size cut the title
    to "Merge…ey log" and showed a dozen characters of the box)."""
    dialog = QInputDialog(parent)
    dialog.setWindowTitle(title)
    dialog.setLabelText(prompt)
    dialog.setTextEchoMode(QLineEdit.EchoMode.Password)
    room = dialog.fontMetrics().horizontalAdvance
    # The dialog's layout sizes it to its contents (a minimum width set on the dialog itself
    # is overridden): the box, made by the echo mode above, carries the width.
    box = dialog.findChild(QLineEdit)
    if box is not None:
        box.setMinimumWidth(max(room("x") * 44, room(title) + room("x") * 12))
    ok = dialog.exec() == QDialog.DialogCode.Accepted
    text = dialog.textValue()
    dialog.deleteLater()
    return text if ok else None


class ChoosePassphraseDialog(QDialog):
    """Choose a passphrase, typed twice: the caseload's (first run, a new one) or, with
    `guidance` saying what it is for, a bundle's."""

    def __init__(
        self,
        parent: QWidget | None = None,
        *,
        title: str = "Choose a passphrase",
        guidance: str = GUIDANCE,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.setMinimumWidth(520)
        layout = QVBoxLayout(self)
        self.guidance = QLabel(guidance)
        self.guidance.setWordWrap(True)
        layout.addWidget(self.guidance)
        form = QFormLayout()
        self.first = _password_box("Passphrase")
        self.second = _password_box("Passphrase again")
        form.addRow("&Passphrase:", self.first)
        form.addRow("&Type it again:", self.second)
        layout.addLayout(form)
        self.strength = QLabel()
        self.strength.setWordWrap(True)
        self.strength.setAccessibleName("Passphrase strength")
        self.strength.setTextFormat(Qt.TextFormat.PlainText)
        layout.addWidget(self.strength)
        self.buttons, self.ok = ok_cancel(self, "Use this passphrase", self.accept)
        # Enter means OK (when the two boxes agree and are strong enough), never Cancel.
        self.ok.setDefault(True)
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setAutoDefault(False)
        layout.addWidget(self.buttons)
        self.first.textChanged.connect(self._update)
        self.second.textChanged.connect(self._update)
        self._update()

    def _update(self) -> None:
        text = self.first.text()
        again = self.second.text()
        if not text:
            self.strength.setText("")
            self.ok.setEnabled(False)
            return
        verdict = assess(text, again if again else None)
        lines = [f"Strength: {verdict.strength}. {verdict.explanation}", *verdict.problems]
        if not again and verdict.ok:
            lines.append("Now type it again in the second box.")
        self.strength.setText("\n".join(lines))
        self.ok.setEnabled(bool(again) and assess(text, again).ok)
        # The dialog grows with the guidance: never clipped.
        self.adjustSize()

    @override
    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            # Enter is OK once the passphrase is acceptable; before that it does nothing
            # (the guidance says what is missing) and never cancels the first run.
            if self.ok.isEnabled():
                self.accept()
            event.accept()
            return
        super().keyPressEvent(event)

    def passphrase(self) -> str:
        """The chosen passphrase (only meaningful after the dialog was accepted)."""
        return self.first.text()


class UnlockDialog(QDialog):
    """Type the passphrase of an encrypted caseload; wrong ones slow further tries.

    Enter always means Unlock (never Cancel, whatever has the focus or is disabled); a wrong
    passphrase leaves the dialog open with the reason, and the delay after several wrong tries
    is remembered per caseload file between runs (caseload.safety.throttle_for).
    """

    def __init__(
        self, path: Path, parent: QWidget | None = None, *, throttle: Throttle | None = None
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle("Unlock your caseload")
        self.setMinimumWidth(460)
        # The dialog enforces the delay itself (button disabled) instead of blocking the UI;
        # the count of wrong tries is kept per file across runs (issue 17).
        self.unlocker = Unlocker(path, throttle or throttle_for(path, sleep=lambda _s: None))
        self.caseload: Caseload | None = None
        layout = QVBoxLayout(self)
        intro = QLabel(f"Type the passphrase for {path.name} (in {path.parent}).")
        intro.setWordWrap(True)
        layout.addWidget(intro)
        self.passphrase = _password_box("Passphrase")
        layout.addWidget(self.passphrase)
        self.message = QLabel()
        self.message.setWordWrap(True)
        self.message.setAccessibleName("Unlock message")
        self.message.setTextFormat(Qt.TextFormat.PlainText)
        self.message.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        self.message.hide()
        layout.addWidget(self.message)
        # The problem is said with the field too (as every form says a field's problem): a
        # screen reader reads it with the passphrase box, where the keyboard stays.
        self.said = ProblemsSaid()
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.unlock_button = QPushButton("Unlock")
        self.unlock_button.setDefault(True)
        buttons.addButton(self.unlock_button, QDialogButtonBox.ButtonRole.AcceptRole)
        self.unlock_button.clicked.connect(self.try_unlock)
        cancel = buttons.button(QDialogButtonBox.StandardButton.Cancel)
        cancel.setAutoDefault(False)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.passphrase.setFocus()
        self.error: JourneyError | None = None
        self._said = ""
        self._retry_timer = QTimer(self)
        self._retry_timer.setSingleShot(True)
        self._retry_timer.timeout.connect(self._allow_retry)
        # Wrong tries in an earlier run (kept per file by caseload.safety.throttle_for,
        # issue 17): the wait carries over.
        waiting = self.unlocker.throttle.remaining
        if waiting > 0:
            self._say(waiting_words(self.unlocker.throttle.failures, waiting))
            self._hold_off(waiting)

    def _say(self, text: str) -> None:
        self._said = text
        self.message.setText(f"⚠ {text}")
        self.message.show()
        self.said.forget()
        self.said.tell(self.passphrase, text)
        # The dialog grows to show the whole message: never clipped.
        self.adjustSize()

    def _hold_off(self, seconds: float) -> None:
        self.unlock_button.setEnabled(False)
        self._retry_timer.start(int(seconds * 1000))

    @override
    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            # Enter is Unlock, even while the button waits out a delay (then it does nothing).
            self.try_unlock()
            event.accept()
            return
        super().keyPressEvent(event)

    def try_unlock(self) -> None:
        """Try the typed passphrase; accept the dialog when it opens the caseload."""
        if not self.unlock_button.isEnabled():
            return
        try:
            self.caseload = self.unlocker.attempt(self.passphrase.text(), access=Access.WINDOW)
        except WrongPassphrase as exc:
            self._say(exc.message)
            self.passphrase.clear()
            self.passphrase.setFocus()
            delay = self.unlocker.throttle.remaining
            if delay > 0:
                self._hold_off(delay)
            return
        except JourneyError as exc:
            self.error = exc  # damaged, in use...: the caller explains and offers a restore
            self.reject()
            return
        self.accept()

    def _allow_retry(self) -> None:
        self.unlock_button.setEnabled(True)
        self._say(self._said + " You can try again now.")
