"""Screenshots of the window for review: the caseload and every workspace tab (run under Xvfb).

Usage (from the worktree root):
    Xvfb :97 -screen 0 1366x768x24 & DISPLAY=:97 QT_QPA_PLATFORM=xcb \
        python tools/ui_screenshots.py OUT_FOLDER [--scale-note 200]
"""

from __future__ import annotations

import sys
import tempfile
from datetime import UTC, date, datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from PySide6.QtWidgets import QApplication

from journeyapp.caseload import Caseload
from journeyapp.demo import build_demo
from journeyapp.ui.change_bus import ChangeBus
from journeyapp.ui.main_window import MainWindow

TODAY = date(2026, 11, 28)


def settle(app: QApplication) -> None:
    for _ in range(5):
        app.processEvents()


def main() -> None:
    out = Path(sys.argv[1] if len(sys.argv) > 1 else "shots")
    out.mkdir(parents=True, exist_ok=True)
    app = QApplication(sys.argv[:1])
    folder = Path(tempfile.mkdtemp(prefix="journeyapp-shots-"))
    caseload = Caseload.open(folder / "demo.db", create=True, demo=True)
    caseload.clock = lambda: datetime(TODAY.year, TODAY.month, TODAY.day, 12, tzinfo=UTC)
    build_demo(caseload, participants=60, seed=1, today=TODAY)
    window = MainWindow(caseload, ChangeBus(caseload), owns_caseload=True)
    screen = app.primaryScreen().availableGeometry()
    window.setGeometry(screen)
    window.show()
    settle(app)
    window.grab().save(str(out / "00-caseload.png"))
    # The parent with the most to show: most contacts, goals and assessments.
    richest = max(
        caseload.participants(),
        key=lambda p: (
            len((j := caseload.journey(p.id)).assessments) >= 2,
            len(j.goals) + len(j.milestones) + len(j.referrals) + len(j.choices),
        ),
    )
    window.panel.select(richest.id)
    window._open_and_focus(richest.id)  # as Enter on the row does
    settle(app)
    tabs = window.workspace.tabs
    for n in range(tabs.count()):
        tabs.setCurrentIndex(n)
        settle(app)
        name = tabs.tabText(n).lower().replace(" ", "-")
        window.grab().save(str(out / f"{n + 1:02d}-{name}.png"))
    window.close()


if __name__ == "__main__":
    main()
