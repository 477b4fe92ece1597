"""The first-run screen: start a new caseload, or explore a demo of fictional parents."""

from __future__ import annotations

import tempfile
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (
    QDialog,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from journeyapp.caseload import Caseload
from journeyapp.ui.dialogs.passphrase import open_caseload_interactively
from journeyapp.ui.errors import attempt, succeeded

DEMO_PARTICIPANTS = 60


def start_new_caseload(path: Path, parent: QWidget | None = None) -> Caseload | None:
    """Create a new, empty caseload at `path` and open it (None if that was not possible).

    Every way of starting a caseload (first run, File > New caseload) goes through here, so the
    passphrase step can be added in this one place.
    """
    if not succeeded(parent, lambda: path.parent.mkdir(parents=True, exist_ok=True)):
        return None
    # A new file: the keyworker chooses a passphrase and the caseload is created encrypted.
    return open_caseload_interactively(parent, path)


def explore_demo(parent: QWidget | None = None) -> Caseload | None:
    """Build a fresh demo caseload of fictional parents in a temporary folder and open it."""

    def build() -> Caseload:
        from journeyapp.demo import build_demo

        folder = Path(tempfile.mkdtemp(prefix="journeyapp-demo-"))
        caseload = Caseload.open(folder / "demo.db", create=True, exclusive=True, demo=True)
        build_demo(caseload, participants=DEMO_PARTICIPANTS, seed=1)
        return caseload

    QGuiApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
    try:
        return attempt(parent, build)
    finally:
        QGuiApplication.restoreOverrideCursor()


class FirstRunDialog(QDialog):
    """Shown when there is no caseload yet. After it is accepted, `caseload` is open."""

    def __init__(self, path: Path, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.path = path
        self.caseload: Caseload | None = None
        self.choice = ""
        self.setWindowTitle("Welcome to JourneyApp")
        title = QLabel("Welcome to JourneyApp")
        font = title.font()
        font.setPointSizeF(font.pointSizeF() * 1.4)
        font.setBold(True)
        title.setFont(font)
        intro = QLabel(
            "JourneyApp keeps your notes on each parent's journey, at their pace, and prints "
            "their plan. Everything stays on this computer."
        )
        intro.setWordWrap(True)
        self.new_button = QPushButton("&Start a new caseload")
        self.new_button.setAccessibleName("Start a new caseload")
        self.new_button.setAccessibleDescription(f"Creates your caseload in {path}")
        new_note = QLabel(f"For your real work. It will be kept in {path}.")
        new_note.setWordWrap(True)
        self.demo_button = QPushButton("&Explore the demo")
        self.demo_button.setAccessibleName("Explore the demo")
        self.demo_button.setAccessibleDescription(
            "Opens a practice caseload of fictional parents; your real caseload is not touched"
        )
        demo_note = QLabel(
            "A practice caseload of fictional parents, marked DEMO. Try anything; "
            "it is thrown away and your real caseload is not started."
        )
        demo_note.setWordWrap(True)
        for button in (self.new_button, self.demo_button):
            button.setMinimumHeight(button.sizeHint().height() + 12)
            button.setAutoDefault(True)
        self.new_button.clicked.connect(self.start_new)
        self.demo_button.clicked.connect(self.explore)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(28, 28, 28, 28)
        layout.setSpacing(10)
        layout.addWidget(title)
        layout.addWidget(intro)
        layout.addSpacing(12)
        layout.addWidget(self.new_button)
        layout.addWidget(new_note)
        layout.addSpacing(12)
        layout.addWidget(self.demo_button)
        layout.addWidget(demo_note)
        self.setMinimumWidth(self.fontMetrics().horizontalAdvance("x") * 64)
        self.new_button.setDefault(True)
        self.new_button.setFocus()

    def start_new(self) -> None:
        """Start a new caseload at the default place."""
        self.caseload = start_new_caseload(self.path, self)
        if self.caseload is not None:
            self.choice = "new"
            self.accept()

    def explore(self) -> None:
        """Open a demo caseload."""
        self.caseload = explore_demo(self)
        if self.caseload is not None:
            self.choice = "demo"
            self.accept()
