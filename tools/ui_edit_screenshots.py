"""Screenshots of every edit form and every removal question (#13), under Xvfb with a window
manager, the way a keyworker meets them on a 1366x768 laptop.

Usage (from the worktree root):
    Xvfb :97 -screen 0 1366x768x24 & DISPLAY=:97 openbox & DISPLAY=:97 QT_QPA_PLATFORM=xcb \
        python tools/ui_edit_screenshots.py OUT_FOLDER
"""

from __future__ import annotations

import sys
import tempfile
from collections.abc import Callable
from datetime import UTC, date, datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from PySide6.QtCore import QTimer
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QApplication, QDialog, QMessageBox

from journeyapp.caseload import Caseload
from journeyapp.core.enums import ConsentPurpose
from journeyapp.core.records import Record
from journeyapp.demo import build_demo
from journeyapp.ui.change_bus import ChangeBus
from journeyapp.ui.main_window import MainWindow
from journeyapp.ui.workspace.about import AboutSection
from journeyapp.ui.workspace.assessment import AssessmentSection
from journeyapp.ui.workspace.choices import ChoicesSection
from journeyapp.ui.workspace.contacts import ContactsSection
from journeyapp.ui.workspace.feedback import FeedbackSection
from journeyapp.ui.workspace.goals import GoalsSection
from journeyapp.ui.workspace.journey import JourneySection
from journeyapp.ui.workspace.pace import PaceSection
from journeyapp.ui.workspace.referrals import ReferralsSection
from journeyapp.ui.workspace.section import Section
from journeyapp.ui.workspace.strengths import StrengthsSection

TODAY = date(2026, 11, 28)


def shoot(app: QApplication, out: Path, name: str, action: Callable[[], object]) -> None:
    """Run `action` (which opens a modal window), photograph the screen, close the window."""

    def grab() -> None:
        modal = QApplication.activeModalWidget()
        if modal is None:
            QTimer.singleShot(100, grab)
            return
        for _ in range(10):
            app.processEvents()
        screen = QGuiApplication.primaryScreen()
        screen.grabWindow(0).save(str(out / f"{name}.png"))
        if isinstance(modal, QMessageBox):
            buttons = [b for b in modal.buttons() if b.text() == "Keep it"]
            (buttons[0] if buttons else modal.buttons()[-1]).click()
        elif isinstance(modal, QDialog):
            QDialog.reject(modal)

    QTimer.singleShot(400, grab)
    action()


def main() -> None:
    out = Path(sys.argv[1] if len(sys.argv) > 1 else "shots")
    out.mkdir(parents=True, exist_ok=True)
    app = QApplication(sys.argv[:1])
    folder = Path(tempfile.mkdtemp(prefix="journeyapp-shots-"))
    caseload = Caseload.open(folder / "demo.db", create=True, demo=True)
    caseload.clock = lambda: datetime(2026, 11, 28, 11, tzinfo=UTC)
    build_demo(caseload, participants=20, seed=1, today=TODAY)
    window = MainWindow(caseload, ChangeBus(caseload), owns_caseload=True)
    window.show()
    # Someone with a record of every kind.
    pid = max(caseload.participants(), key=lambda p: len(caseload.events(p.id))).id
    caseload.add_child(pid, 2021, "Nursery mornings")
    caseload.record_consent(pid, ConsentPurpose.GROUP_REGISTERS, True, how_recorded="Signed form")
    caseload.add_strength(pid, "Good with people, patient with my two")
    caseload.add_feedback("The group starts too early for the school run", participant_id=pid)
    window.panel.select(pid)
    window.open_participant(pid)
    for _ in range(10):
        app.processEvents()
    journey = caseload.journey(pid)
    goal = journey.goals[0] if journey.goals else caseload.add_goal(pid, "Get back into work")
    steps = caseload.journey(pid).steps_for(goal.id) or (
        caseload.add_step(goal.id, "Phone the college"),
    )
    journey = caseload.journey(pid)
    pause = journey.pauses[0] if journey.pauses else caseload.pause(pid, reason="Moving house")
    journey = caseload.journey(pid)
    cases: list[tuple[str, type[Section], Record | None]] = [
        ("contact", ContactsSection, max(journey.contacts, key=lambda c: c.on, default=None)),
        ("strength", StrengthsSection, journey.strengths[0] if journey.strengths else None),
        ("child", AboutSection, journey.children[0] if journey.children else None),
        ("consent", AboutSection, journey.consents[0] if journey.consents else None),
        ("milestone", JourneySection, journey.milestones[0] if journey.milestones else None),
        ("referral", ReferralsSection, journey.referrals[0] if journey.referrals else None),
        (
            "self-assessment",
            AssessmentSection,
            journey.assessments[0] if journey.assessments else None,
        ),
        ("goal", GoalsSection, goal),
        ("step", GoalsSection, steps[0]),
        ("choice", ChoicesSection, journey.choices[0] if journey.choices else None),
        ("pace", PaceSection, journey.pace[0] if journey.pace else None),
        ("pause", PaceSection, pause),
        ("feedback", FeedbackSection, journey.feedback[0] if journey.feedback else None),
    ]
    for name, tab, record in cases:
        if record is None:
            sys.stderr.write(f"no {name} to show\n")
            continue
        section = window.workspace.section(tab)
        window.workspace.tabs.setCurrentWidget(section)
        for _ in range(5):
            app.processEvents()
        shoot(app, out, f"edit-{name}", lambda s=section, r=record: s.record_actions.edit(r))
        shoot(app, out, f"remove-{name}", lambda s=section, r=record: s.record_actions.remove(r))
    history_record = cases[0][2]
    if history_record is not None:
        section = window.workspace.section(ContactsSection)
        window.workspace.tabs.setCurrentWidget(section)
        shoot(app, out, "history-contact", lambda: section.record_actions.history(history_record))
    window.close()


if __name__ == "__main__":
    main()
