"""Every form that keeps drafts, as the draft tests open it: how to build it for a parent, which
box to type half a note into, and the draft field that box is kept under."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from PySide6.QtWidgets import QComboBox, QWidget

from journeyapp.caseload import Caseload
from journeyapp.core.enums import ConsentPurpose, StrengthOrBarrier
from journeyapp.ui.dialogs.enrol_dialog import EnrolDialog
from journeyapp.ui.dialogs.group_sessions import GroupSessionDialog
from journeyapp.ui.dialogs.journey_end import EndJourneyDialog, WelcomeBackDialog
from journeyapp.ui.widgets.forms import AsksBeforeLeaving
from journeyapp.ui.workspace.about import ChildDialog, ConsentDialog
from journeyapp.ui.workspace.assessment import AssessmentDialog
from journeyapp.ui.workspace.background import JobDialog
from journeyapp.ui.workspace.choices import ChoiceDialog
from journeyapp.ui.workspace.contacts import LogContactDialog
from journeyapp.ui.workspace.feedback import FeedbackDialog
from journeyapp.ui.workspace.goals import GoalDialog, StepDialog
from journeyapp.ui.workspace.journey import MilestoneDialog, StageMoveDialog
from journeyapp.ui.workspace.meetings import MeetingDialog
from journeyapp.ui.workspace.pace import PaceDialog, PauseDialog
from journeyapp.ui.workspace.referrals import ReferDialog
from journeyapp.ui.workspace.strengths import StrengthDialog

Build = Callable[[Caseload, str], AsksBeforeLeaving]


@dataclass(frozen=True)
class DraftForm:
    """One form kind: its draft name, how to open it, the box typed into, its draft key."""

    form: str
    build: Build
    box: str  # the dialog attribute typed into
    key: str  # the draft field that box is kept under
    about_parent: bool = True  # False: a form about no one parent (enrolling, a group)


def _step(c: Caseload, pid: str) -> AsksBeforeLeaving:
    goals = c.journey(pid).goals
    goal = goals[0] if goals else c.add_goal(pid, "Get back into work")
    return StepDialog(c, goal, "Zoë")


def _choice(c: Caseload, pid: str) -> AsksBeforeLeaving:
    return ChoiceDialog(c, pid, c.catalogue.services[0], None)


def _consent(c: Caseload, pid: str) -> AsksBeforeLeaving:
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
    DraftForm(
        "stage_move",
        lambda c, p: StageMoveDialog(c, p, existing=c.journey(p).stages[0]),
        "note",
        "note",
    ),
    DraftForm("pace", lambda c, p: PaceDialog(c, c.journey(p)), "reason", "reason"),
    DraftForm("pause", lambda c, p: PauseDialog(c, p), "reason", "reason"),
    DraftForm("referral", lambda c, p: ReferDialog(c, p), "reason", "reason"),
    DraftForm(
        "strength",
        lambda c, p: StrengthDialog(c, p, StrengthOrBarrier.BARRIER, "Zoë"),
        "words",
        "words",
    ),
    DraftForm("job", lambda c, p: JobDialog(c, p), "note", "note"),
    DraftForm("meeting", lambda c, p: MeetingDialog(c, p), "place", "place"),
    # The parent's words as their journey ends (how it ended, where to and the day beside
    # them): kept like the rest.
    DraftForm("journey_end", lambda c, p: EndJourneyDialog(c, p), "words", "ending_words"),
    # The day they came back (empty: today), kept like the day a journey ended.
    DraftForm("welcome_back", lambda c, p: WelcomeBackDialog(c, p), "on", "back_on"),
    DraftForm("enrol", lambda c, p: EnrolDialog(c), "preferred_name", "preferred_name", False),
    DraftForm("group_session", lambda c, p: GroupSessionDialog(c), "activity", "activity", False),
]


# Half a phone number typed into the About tab's details (a form that is not a dialog).
HALF_PHONE = "07700 9004"
# Half of what changed, typed beside Move to this stage.
HALF_STAGE_NOTE = "Started the Tuesday gr"


def words_for(form: str) -> str:
    """The half-typed words used for one form kind (different for each, to tell them apart)."""
    return f"Half a {form} note about the college open d"


def box_of(dialog: AsksBeforeLeaving, entry: DraftForm) -> QWidget:
    """The box typed into (in a combo box one can type in, its text field)."""
    widget = getattr(dialog, entry.box)
    if isinstance(widget, QComboBox) and widget.lineEdit() is not None:
        widget = widget.lineEdit()
    assert isinstance(widget, QWidget)
    return widget
