"""The window over records holding catalogue entries the partnership has since retired: each is
shown in words made from its key, marked "(not in this partnership's list)", and saving anything else about the record
keeps it; no form silently swaps it for the first entry listed or drops it. A partnership's long
label wraps. Real caseload file, real widgets offscreen."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from journeyapp.caseload import Caseload
from journeyapp.core.catalogue import NOT_LISTED
from journeyapp.core.records import (
    Assessment,
    Contact,
    Goal,
    Milestone,
    Referral,
    StrengthBarrier,
)
from journeyapp.ui.widgets.caseload_panel import CaseloadPanel
from journeyapp.ui.widgets.forms import combo_key
from journeyapp.ui.workspace.about import AboutSection
from journeyapp.ui.workspace.assessment import AssessmentDialog, AssessmentSection
from journeyapp.ui.workspace.choices import ChoicesSection
from journeyapp.ui.workspace.contacts import LogContactDialog
from journeyapp.ui.workspace.goals import GoalDialog
from journeyapp.ui.workspace.journey import MilestoneDialog
from journeyapp.ui.workspace.referrals import ReferDialog
from journeyapp.ui.workspace.strengths import StrengthDialog
from tests.caseload.test_retired_entries import HELD, record_everything, without
from tests.clock import ticking_clock
from tests.conftest import TODAY
from tests.ui.workspace_helpers import Opened, workspace_of

pytestmark = pytest.mark.gui


@pytest.fixture
def retired_opened(qtbot: QtBot, tmp_path: Path) -> Iterator[tuple[Opened, dict[str, str]]]:
    """The workspace of a parent whose every HELD entry the catalogue has since retired."""
    path = tmp_path / "caseload.db"
    ids = record_everything(path)
    c = Caseload.open(path, plain=True, catalogue=without(frozenset(k for _, k in HELD)))
    c.clock = ticking_clock(TODAY)
    try:
        with workspace_of(qtbot, c, ids["participant"]) as opened:
            yield opened, ids
    finally:
        c.close()


def test_about_keeps_a_retired_locality_when_other_details_are_saved(
    retired_opened: tuple[Opened, dict[str, str]],
) -> None:
    opened, _ids = retired_opened
    about = opened.tab(AboutSection)
    assert combo_key(about.locality) == "fife"
    assert about.locality.currentText() == f"Fife {NOT_LISTED}"
    assert f"Learning and trying {NOT_LISTED}" in about.stage_label.text()
    about.edits["phone"].setText("07700 900777")
    about.save_details()
    participant = opened.caseload.journey(opened.pid).participant
    assert participant.phone == "07700 900777"
    assert participant.locality == "fife"
    assert f"Fife {NOT_LISTED}" in opened.workspace.header.summary_label.text().replace("\xa0", " ")


def test_forms_keep_a_retired_entry_as_held(
    qtbot: QtBot, retired_opened: tuple[Opened, dict[str, str]]
) -> None:
    opened, ids = retired_opened
    c, pid = opened.caseload, opened.pid
    goal = c.record(Goal.KIND, ids["goal"])
    assert isinstance(goal, Goal)
    dialog = GoalDialog(c, pid, "Ruth", existing=goal)
    qtbot.addWidget(dialog)
    assert combo_key(dialog.area) == "money"
    milestone = c.record(Milestone.KIND, ids["milestone"])
    assert isinstance(milestone, Milestone)
    types = MilestoneDialog(c, pid, existing=milestone)
    qtbot.addWidget(types)
    assert combo_key(types.type) == "joined_group"
    contact = c.record(Contact.KIND, ids["contact"])
    assert isinstance(contact, Contact)
    kinds = LogContactDialog(c, pid, existing=contact)
    qtbot.addWidget(kinds)
    assert combo_key(kinds.kind) == "home_visit"
    # Correcting a self-assessment keeps the score of a retired area.
    assessment = c.record(Assessment.KIND, ids["assessment"])
    assert isinstance(assessment, Assessment)
    scores = AssessmentDialog(c, pid, "Ruth", existing=assessment)
    qtbot.addWidget(scores)
    scores.parent_scores["confidence"].setText("6")
    scores.save()
    assert c.journey(pid).assessments[0].scores == {"money": 3, "confidence": 6}
    referral = c.record(Referral.KIND, ids["referral"])
    assert isinstance(referral, Referral)
    refer = ReferDialog(c, pid, existing=referral)
    qtbot.addWidget(refer)
    assert combo_key(refer.service) == "money_advice"
    strength = c.record(StrengthBarrier.KIND, ids["strength"])
    assert isinstance(strength, StrengthBarrier)
    strong = StrengthDialog(c, pid, strength.kind, "Ruth", existing=strength)
    qtbot.addWidget(strong)
    assert combo_key(strong.area) == "money"
    # Each dialog saved as it was shown changes nothing held.
    for form in (dialog, types, kinds, refer, strong):
        form.save()
    journey = c.journey(pid)
    assert journey.goals[0].area == "money"
    assert journey.milestones[0].type == "joined_group"
    assert journey.contacts[0].kind == "home_visit"
    assert journey.referrals[0].service == "money_advice"
    assert journey.strengths[0].area == "money"


def test_tabs_show_what_a_retired_entry_holds(
    retired_opened: tuple[Opened, dict[str, str]],
) -> None:
    opened, _ids = retired_opened
    choices = opened.tab(ChoicesSection)
    assert not choices.unlisted.isHidden()
    assert choices.unlisted.text().startswith(f"Money advice {NOT_LISTED}: Maybe later")
    assessments = opened.tab(AssessmentSection)
    shown = assessments.model.data(assessments.model.index(0, 1))
    assert f"Money {NOT_LISTED} 3" in shown


def test_a_parent_at_a_retired_stage_is_shown_and_found_by_it(
    qtbot: QtBot, retired_opened: tuple[Opened, dict[str, str]]
) -> None:
    opened, ids = retired_opened
    panel = CaseloadPanel(opened.caseload)
    qtbot.addWidget(panel)
    panel.reload()
    panel.show()
    qtbot.waitExposed(panel)
    combo = panel.stage_filter
    qtbot.waitUntil(lambda: combo.findData("learning_and_trying") >= 0)
    assert combo.itemText(combo.count() - 1) == f"Learning and trying {NOT_LISTED}"
    combo.setCurrentIndex(combo.count() - 1)
    assert [row.id for row in panel.visible_rows()] == [ids["participant"]]
    model = panel.table.model()
    shown = [model.index(0, n).data() for n in range(model.columnCount())]
    assert f"Learning and trying {NOT_LISTED}" in shown


LONG = (
    "Trying things out — courses, volunteering, work tasters, and whatever else feels right "
    "for me just now"
)


def test_a_long_stage_label_wraps_in_the_header_not_widening_the_workspace(qtbot: QtBot) -> None:
    from PySide6.QtGui import QFontMetrics

    from journeyapp.core.catalogue import parse_catalogue
    from journeyapp.ui.workspace.header import WorkspaceHeader
    from tests.catalogues import DEFAULT

    catalogue = parse_catalogue(
        DEFAULT.replace('label = "Getting started"', f'label = "{LONG}"'), "ours.toml"
    )
    c = Caseload.open(None, catalogue=catalogue)
    c.clock = ticking_clock(TODAY)
    try:
        pid = c.enrol_participant("Zoë", "fife").id
        c.set_stage(pid, "getting_started")
        header = WorkspaceHeader(c.catalogue)
        qtbot.addWidget(header)
        header.show_journey(c.journey(pid), c.today())
        assert LONG in header.summary_label.text()  # wraps between its words
        # The narrowest the line can be is no longer the whole label on one line.
        label = header.summary_label
        whole = QFontMetrics(label.font()).horizontalAdvance(LONG)
        assert label.minimumSizeHint().width() < whole / 2
        # The short parts still keep together ("Pace: not chosen yet").
        assert "Pace:\xa0not\xa0chosen\xa0yet" in label.text()
    finally:
        c.close()


def test_every_tab_marks_a_retired_entry_it_shows(
    retired_opened: tuple[Opened, dict[str, str]],
) -> None:
    from PySide6.QtWidgets import QLabel

    from journeyapp.ui.workspace.contacts import ContactsSection
    from journeyapp.ui.workspace.goals import GoalsSection

    opened, _ids = retired_opened
    goals = opened.tab(GoalsSection)
    shown = " ".join(label.text() for label in goals.findChildren(QLabel))
    assert f"Money {NOT_LISTED}" in shown
    contacts = opened.tab(ContactsSection)
    model = contacts.model
    cells = [
        str(model.index(r, c).data())
        for r in range(model.rowCount())
        for c in range(model.columnCount())
    ]
    assert any(f"Home visit {NOT_LISTED}" in cell for cell in cells), cells


def test_the_journey_shows_a_milestone_type_not_listed_in_words(
    retired_opened: tuple[Opened, dict[str, str]],
) -> None:
    """A milestone type the partnership's list does not have (as a coordinator's merged
    caseload holds a laptop's own) is in words on the Journey tab and its timeline, marked,
    not as its key ("joined_group")."""
    from journeyapp.ui.workspace.journey import JourneySection

    opened, _ids = retired_opened
    journey = opened.tab(JourneySection)
    model = journey.model
    cells = [str(model.index(r, 1).data()) for r in range(model.rowCount())]
    assert f"Joined group {NOT_LISTED}" in cells, cells
    assert not any("joined_group" in cell for cell in cells), cells
    assert f"Joined group {NOT_LISTED}" in [what for _, _, what in journey.timeline.points()]
