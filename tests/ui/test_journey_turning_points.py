"""The Journey tab lists the journey's turning points (each ending and where to, each welcome
back, each break from – to or since) among its stage moves and milestones, in the words the
`journey` command uses, and its timeline draws and names them; a welcome back given in the
window shows at once."""

from __future__ import annotations

from datetime import date, timedelta
from itertools import combinations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QDialog
from pytestqt.qtbot import QtBot

from journeyapp.caseload import Caseload
from journeyapp.core.dates import long_date
from journeyapp.core.enums import ParticipantStatus
from journeyapp.ui.dialogs.journey_end import WelcomeBackDialog
from journeyapp.ui.formatting import fmt_date
from journeyapp.ui.workspace.journey import JourneySection
from tests.caseload.test_turning_points import build_comeback, expected_turns
from tests.ui.shell_helpers import make_window, with_modal
from tests.ui.workspace_helpers import painted_timeline, workspace_of


def _listed(section: JourneySection) -> list[str]:
    """The list's rows, oldest first, as the command prints them ("day: what — note")."""
    rows = []
    for m in reversed(section.model.records()):
        line = f"{long_date(m.on)}: {m.what}"
        rows.append(f"{line} — {m.detail}" if m.detail else line)
    return rows


def test_the_journey_tab_lists_the_turning_points_in_the_commands_words(
    qtbot: QtBot, caseload: Caseload
) -> None:
    pid, joined = build_comeback(caseload)
    with workspace_of(qtbot, caseload, pid) as opened:
        section = opened.tab(JourneySection)
        listed = _listed(section)
        turned = [line for line in listed if "Stage:" not in line and "First meeting" not in line]
        assert turned == expected_turns(joined)
        # Newest first in the list (the break being taken on top), every row a moment.
        assert section.model.records()[0].what.startswith("Taking a break (their choice) since")
        # An ending or a welcome back is no record to change or remove here (Parent > Moved
        # on or closed… corrects an ending): its row leaves the buttons greyed, and Enter and
        # Delete on it open nothing.
        records = section.model.records()
        row = next(n for n, m in enumerate(records) if m.what == "Welcomed back")
        section.view.setFocus()
        section.view.setCurrentIndex(section.model.index(row, 0))
        assert not section.change_button.isEnabled()
        assert not section.remove_button.isEnabled()
        for key in (Qt.Key.Key_Return, Qt.Key.Key_Delete):
            qtbot.keyClick(section.view, key)
            assert QApplication.activeModalWidget() is None
        # The timeline says them to a screen reader too.
        d = lambda n: fmt_date(joined + timedelta(days=n))  # noqa: E731
        assert section.timeline.accessibleDescription().endswith(
            f"The journey moved on {d(60)}, welcomed back {d(100)}, closed {d(150)}, "
            f"welcomed back {d(170)}."
        )


def test_the_timeline_names_the_ending_and_the_welcome_back(
    qtbot: QtBot, caseload: Caseload
) -> None:
    pid, _joined = build_comeback(caseload)
    with painted_timeline(qtbot, caseload, pid, 1366, 740) as timeline:
        names = [words for words, _rect in timeline.label_rects]
        assert {"moved on", "closed", "welcomed back", "break"} <= set(names), names
        for (a, ra), (b, rb) in combinations(timeline.label_rects, 2):
            both = ra.intersected(rb)
            assert not (both.width() > 0.01 and both.height() > 0.01), (a, b)


def test_a_welcome_back_from_the_parent_menu_shows_in_the_journey_tab(
    qtbot: QtBot, caseload: Caseload
) -> None:
    today = caseload.today()
    pid = caseload.enrol_participant("Zoë", "glasgow", today - timedelta(days=120)).id
    caseload.end_journey(pid, ParticipantStatus.CLOSED, on=today - timedelta(days=30))
    back = today - timedelta(days=3)
    win = make_window(qtbot, caseload)
    try:
        win.panel.select(pid)
        win.open_participant(pid)
        section = win.workspace.section(JourneySection)
        win.workspace.tabs.setCurrentWidget(section)
        assert _listed(section)[-1] == f"{long_date(today - timedelta(days=30))}: Journey closed"

        def welcome(dialog: QDialog) -> None:
            assert isinstance(dialog, WelcomeBackDialog)
            dialog.on.setText(back.strftime("%d/%m/%Y"))
            dialog.buttons.accepted.emit()

        with_modal(qtbot, win.end_or_reopen_journey, welcome)
        qtbot.waitUntil(lambda: _listed(section)[-1] == f"{long_date(back)}: Welcomed back")
        assert section.timeline._backs == [back]
    finally:
        win.bus.detach()


def test_what_we_hold_in_the_preview_says_the_day_they_were_welcomed_back(
    qtbot: QtBot, caseload: Caseload
) -> None:
    """The window's print preview of "What we hold about you", in the parent's language."""
    import io

    from pypdf import PdfReader

    from journeyapp.ui.dialogs.plan_preview import PlanPreviewDialog

    today = caseload.today()
    pid = caseload.enrol_participant("Zoë", "glasgow", today - timedelta(days=120)).id
    caseload.update_participant(pid, language="pl")
    caseload.end_journey(pid, ParticipantStatus.CLOSED, on=today - timedelta(days=30))
    caseload.reopen_journey(pid, on=date(2026, 11, 2))
    dialog = PlanPreviewDialog(caseload, pid)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    dialog.kind.setCurrentIndex(1)  # What we hold
    text = " ".join(p.extract_text() for p in PdfReader(io.BytesIO(dialog.pdf)).pages)
    assert "Data powrotu: 2 listopada 2026" in " ".join(text.split())


def test_their_words_at_the_end_sit_beside_the_latest_ending_in_the_list(
    qtbot: QtBot, caseload: Caseload
) -> None:
    """What the parent said as their journey ended (m022) is the ending's note in the Journey
    tab, as theirs, beside the latest ending only (an earlier ending said nothing of it)."""
    pid, joined = build_comeback(caseload)
    words = "I want to look after my dad for a while, then I'll be back"
    caseload.end_journey(
        pid, ParticipantStatus.CLOSED, on=joined + timedelta(days=185), words=words
    )
    with workspace_of(qtbot, caseload, pid) as opened:
        listed = _listed(opened.tab(JourneySection))
    d = lambda n: long_date(joined + timedelta(days=n))  # noqa: E731
    assert f"{d(185)}: Journey closed — “{words}”" in listed
    assert f"{d(150)}: Journey closed" in listed  # the earlier ending: no words of its own
    assert sum(words in line for line in listed) == 1
