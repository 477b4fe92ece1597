"""Every form that keeps drafts, as the draft tests open it: how to build it for a parent, which
box to type half a note into, and the draft field that box is kept under."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from PySide6.QtWidgets import QWidget

from journeyapp.caseload import Caseload
from journeyapp.core.enums import ConsentPurpose, StrengthOrBarrier
from journeyapp.ui.widgets.forms import FormDialog
from journeyapp.ui.workspace.about import ChildDialog, ConsentDialog
from journeyapp.ui.workspace.assessment import AssessmentDialog
from journeyapp.ui.workspace.choices import ChoiceDialog
from journeyapp.ui.workspace.contacts import LogContactDialog
from journeyapp.ui.workspace.feedback import FeedbackDialog
from journeyapp.ui.workspace.goals import GoalDialog, StepDialog
from journeyapp.ui.workspace.journey import MilestoneDialog
from journeyapp.ui.workspace.pace import PaceDialog, PauseDialog
from journeyapp.ui.workspace.referrals import ReferDialog
from journeyapp.ui.workspace.strengths import StrengthDialog

Build = Callable[[Caseload, str], FormDialog]


@dataclass(frozen=True)
class DraftForm:
    """One form kind: its draft name, how to open it, the box typed into, its draft key."""

    form: str
    build: Build
    box: str  # the dialog attribute typed into
    key: str  # the draft field that box is kept under


def _step(c: Caseload, pid: str) -> FormDialog:
    goals = c.journey(pid).goals
    goal = goals[0] if goals else c.add_goal(pid, "Get back into work")
    return StepDialog(c, goal, "Zoë")


def _choice(c: Caseload, pid: str) -> FormDialog:
    return ChoiceDialog(c, pid, c.catalogue.services[0], None)


def _consent(c: Caseload, pid: str) -> FormDialog:
    return ConsentDialog(c, pid, ConsentPurpose.REFERRALS, None)


FORMS: list[DraftForm] = [
    DraftForm("contact", lambda c, p: LogContactDialog(c, p), "note", "note"),
    DraftForm("goal", lambda c, p: GoalDialog(c, p, "Zoë"), "words", "words"),
    DraftForm("step", _step, "what", "what"),
    DraftForm("child", lambda c, p: ChildDialog(c, p), "needs", "childcare_needs"),
    DraftForm("consent", _consent, "how", "how:referrals"),
    DraftForm("assessment", lambda c, p: AssessmentDialog(c, p, "Zoë"), "comment", "comment"),
    DraftForm("choice", _choice, "reason", "reason"),
    DraftForm("feedback", lambda c, p: FeedbackDialog(c, p), "said", "said"),
    DraftForm("milestone", lambda c, p: MilestoneDialog(c, p), "note", "note"),
    DraftForm("pace", lambda c, p: PaceDialog(c, c.journey(p)), "reason", "reason"),
    DraftForm("pause", lambda c, p: PauseDialog(c, p), "reason", "reason"),
    DraftForm("referral", lambda c, p: ReferDialog(c, p), "reason", "reason"),
    DraftForm(
        "strength",
        lambda c, p: StrengthDialog(c, p, StrengthOrBarrier.BARRIER, "Zoë"),
        "words",
        "words",
    ),
]


def words_for(form: str) -> str:
    """The half-typed words used for one form kind (different for each, to tell them apart)."""
    return f"Half a {form} note about the college open d"


def box_of(dialog: FormDialog, entry: DraftForm) -> QWidget:
    """The box typed into."""
    widget = getattr(dialog, entry.box)
    assert isinstance(widget, QWidget)
    return widget
