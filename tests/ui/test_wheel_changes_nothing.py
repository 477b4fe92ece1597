"""Scrolling a parent's tabs with the mouse wheel changes nothing: a drop-down the pointer passes
over (a referral's outcome, which saves when changed; an answer on Background or About) keeps its
value, and takes the wheel only once the keyboard is in it."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import QPoint, QPointF, Qt
from PySide6.QtGui import QWheelEvent
from PySide6.QtWidgets import QApplication, QComboBox, QWidget
from pytestqt.qtbot import QtBot

from journeyapp.caseload import Caseload
from journeyapp.core.enums import ReferralOutcome
from journeyapp.ui.workspace.about import AboutSection
from journeyapp.ui.workspace.referrals import ReferralRow, ReferralsSection
from tests.ui.shell_helpers import two_parents_open


def wheel(widget: QWidget, notches: int) -> None:
    """Turn the mouse wheel over the middle of `widget` (up for positive notches)."""
    middle = QPointF(widget.rect().center())
    event = QWheelEvent(
        middle,
        QPointF(widget.mapToGlobal(middle.toPoint())),
        QPoint(),
        QPoint(0, 120 * notches),
        Qt.MouseButton.NoButton,
        Qt.KeyboardModifier.NoModifier,
        Qt.ScrollPhase.NoScrollPhase,
        False,
    )
    QApplication.sendEvent(widget, event)


def test_the_wheel_passing_over_a_referral_outcome_changes_nothing(
    qtbot: QtBot, caseload: Caseload
) -> None:
    window, zoe, _amy = two_parents_open(qtbot, caseload)
    referral = caseload.refer(zoe, "Citizens Advice", on=date(2026, 11, 3), reason="Debts")
    caseload.set_referral_outcome(referral.id, ReferralOutcome.NO_LONGER_NEEDED)
    events = len(caseload.record_history(referral.id))
    section = window.workspace.section(ReferralsSection)
    window.workspace.tabs.setCurrentWidget(section)
    qtbot.waitUntil(lambda: bool(section.findChildren(ReferralRow)))
    [row] = section.findChildren(ReferralRow)
    window.panel.table.setFocus()
    for notches in (1, 1, -1, -1, -1):
        wheel(row.outcome, notches)
    assert row.outcome.currentData() == ReferralOutcome.NO_LONGER_NEEDED.value
    stored = caseload.record("referrals", referral.id)
    assert stored.outcome == ReferralOutcome.NO_LONGER_NEEDED  # type: ignore[attr-defined]
    assert len(caseload.record_history(referral.id)) == events  # nothing written
    assert not row.outcome.hasFocus()  # the wheel gives no keyboard either
    window.bus.detach()


def test_an_answer_changes_with_the_wheel_only_once_the_keyboard_is_in_it(
    qtbot: QtBot, caseload: Caseload
) -> None:
    window, _zoe, _amy = two_parents_open(qtbot, caseload)
    about = window.workspace.section(AboutSection)
    window.workspace.tabs.setCurrentWidget(about)
    combos = [c for c in about.findChildren(QComboBox) if c.isVisibleTo(about) and c.count() > 2]
    assert combos
    for combo in combos:
        before = combo.currentIndex()
        wheel(combo, -1)
        assert combo.currentIndex() == before, combo.accessibleName()
    assert window.workspace.unsaved_tabs() == []  # nothing to ask about on leaving
    # Clicked or tabbed into, a drop-down takes the wheel as Qt's does.
    combo = combos[0]
    combo.setFocus()
    qtbot.waitUntil(combo.hasFocus)
    combo.setCurrentIndex(0)
    wheel(combo, -1)
    assert combo.currentIndex() == 1
    window.workspace.discard_unsaved()
    window.bus.detach()
