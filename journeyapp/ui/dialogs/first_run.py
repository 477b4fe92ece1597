"""The first-run screen: start a new caseload, or explore a demo of fictional parents."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtWidgets import (
    QDialog,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from journeyapp import security
from journeyapp.caseload import Caseload, default_catalogue
from journeyapp.core.access import Access
from journeyapp.ui.dialogs.opening import open_caseload_interactively
from journeyapp.ui.errors import attempt, succeeded
from journeyapp.ui.operations import Operation, Progress

DEMO_PARTICIPANTS = 60


def start_new_caseload(path: Path, parent: QWidget | None = None) -> Caseload | None:
    """Create a new, empty caseload at `path` and open it (None if that was not possible).

    Every way of starting a caseload (first run, File > New caseload) goes through here, so the
    passphrase step can be added in this one place.
    """
    # The partnership's catalogue first: a slip in it is said before a passphrase is chosen
    # (and typed twice) for a caseload that could not then be made.
    if not succeeded(parent, default_catalogue):
        return None
    if not succeeded(parent, lambda: path.parent.mkdir(parents=True, exist_ok=True)):
        return None
    # A new file: the keyworker chooses a passphrase and the caseload is created encrypted.
    return open_caseload_interactively(parent, path)


def explore_demo(parent: QWidget | None, done: Callable[[Caseload], object]) -> Operation[Path]:
    """Build a fresh demo caseload of fictional parents in a temporary folder, off the window's
    thread with progress, then open it and hand it to `done`."""

    def build(_none: None, progress: Progress) -> Path:
        from journeyapp.demo import build_demo

        # Named with this run's process id, so the next start removes it once this run is
        # over (issue 17: no demo folder piles up in the temp folder).
        folder = security.scratch_folder("demo")
        path = folder / "demo.db"
        caseload = Caseload.open(path, create=True, demo=True)
        try:
            build_demo(
                caseload,
                participants=DEMO_PARTICIPANTS,
                seed=1,
                progress=lambda n: progress(n, DEMO_PARTICIPANTS),
            )
        finally:
            caseload.close()
        return path

    def built(path: Path) -> None:
        # The window's own connection, holding the file as a window does.
        caseload = attempt(parent, lambda: Caseload.open(path, access=Access.WINDOW))
        if caseload is not None:
            done(caseload)

    return (
        Operation(parent=parent, caseload=None, op=build, success=built, title="The demo")
        .with_progress("Making up fictional parents for the demo…")
        .run_in_background()
    )


def missing_words(path: Path) -> str:
    """What to say when there is no caseload at `path` but one seems meant to be there: its
    folder is not there, or backups of it are ("" for a first start)."""
    from journeyapp import paths

    if not path.parent.is_dir() and path.parent != paths.data_dir():
        # (The data folder is made with the first caseload: not there on a first start.)
        return (
            f"⚠ There is no caseload at {path}: the folder {path.parent} is not there. If your "
            "caseload is on a USB stick or a network drive, plug it in and open JourneyApp "
            "again. Start a new caseload only to begin afresh."
        )
    backups = security.list_backups(path)
    if backups:
        latest = backups[0].made_at.astimezone()
        return (
            f"⚠ There is no caseload at {path}, but there are backups of one there (the "
            f"latest made {latest.day} {latest.strftime('%b %Y, %H:%M')}): it may have been "
            "moved, renamed or deleted. Find it and open JourneyApp with it, or restore a "
            "backup, rather than start a new caseload."
        )
    return ""


class FirstRunDialog(QDialog):
    """Shown when there is no caseload yet. After it is accepted, `caseload` is open."""

    def __init__(self, path: Path, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.path = path
        self.caseload: Caseload | None = None
        self.operation: Operation[Path] | None = None
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
        # A caseload that was there and is not (a USB stick not plugged in, a file moved or
        # deleted) is said before anything is offered: "Welcome" and "Start a new caseload"
        # alone read as if the keyworker's work had never been.
        self.missing = QLabel(missing_words(path))
        self.missing.setWordWrap(True)
        self.missing.setVisible(bool(self.missing.text()))
        layout.addWidget(self.missing)
        self.restore_button: QPushButton | None = None
        if security.list_backups(path) and path.parent.is_dir():
            self.restore_button = QPushButton("&Restore a backup of it…")
            self.restore_button.setMinimumHeight(self.restore_button.sizeHint().height() + 12)
            self.restore_button.setAutoDefault(True)
            self.restore_button.clicked.connect(self.restore)
            layout.addSpacing(12)
            layout.addWidget(self.restore_button)
        layout.addSpacing(12)
        layout.addWidget(self.new_button)
        layout.addWidget(new_note)
        layout.addSpacing(12)
        layout.addWidget(self.demo_button)
        layout.addWidget(demo_note)
        self.setMinimumWidth(self.fontMetrics().horizontalAdvance("x") * 64)
        first = self.restore_button or self.new_button
        first.setDefault(True)
        first.setFocus()

    def restore(self) -> None:
        """Put the backup chosen in place of the missing caseload, then open it."""
        from journeyapp.ui.dialogs.backup import open_restore

        if open_restore(self, self.path):
            self.caseload = open_caseload_interactively(self, self.path)
            if self.caseload is not None:
                self.choice = "restored"
                self.accept()

    def start_new(self) -> None:
        """Start a new caseload at the default place."""
        self.caseload = start_new_caseload(self.path, self)
        if self.caseload is not None:
            self.choice = "new"
            self.accept()

    def explore(self) -> None:
        """Build and open a demo caseload (the dialog closes when it is ready)."""
        self.new_button.setEnabled(False)
        self.demo_button.setEnabled(False)
        self.operation = explore_demo(self, self._demo_ready)
        self.operation.finished.connect(self._allow_choice)

    def _demo_ready(self, caseload: Caseload) -> None:
        self.caseload = caseload
        self.choice = "demo"
        self.accept()

    def _allow_choice(self) -> None:
        self.new_button.setEnabled(True)
        self.demo_button.setEnabled(True)
