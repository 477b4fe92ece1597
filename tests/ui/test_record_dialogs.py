"""The forms for one parent's record, new or corrected (ParentRecordDialog and its kinds): the
title and the Save button say which; a draft of either builds the same form again, about the
same parent and the same record."""

from __future__ import annotations

from typing import Any

import pytest
from PySide6.QtWidgets import QDialogButtonBox
from pytestqt.qtbot import QtBot

from journeyapp.caseload import Caseload
from journeyapp.ui.widgets.forms import ParentRecordDialog
from journeyapp.ui.workspace.about import ChildDialog
from journeyapp.ui.workspace.assessment import AssessmentDialog
from journeyapp.ui.workspace.feedback import FeedbackDialog
from journeyapp.ui.workspace.journey import MilestoneDialog
from journeyapp.ui.workspace.pace import PauseDialog
from journeyapp.ui.workspace.referrals import ReferDialog

KINDS: list[tuple[type[ParentRecordDialog], str, tuple[str, str], tuple[str, str]]] = [
    (MilestoneDialog, "milestones", ("Record a milestone", "Change a milestone"),
     ("Record milestone", "Save changes")),
    (PauseDialog, "pauses", ("Take a break", "Correct a break"),
     ("Start the break", "Save changes")),
    (ReferDialog, "referrals", ("Refer", "Change a referral"), ("Refer", "Save changes")),
    (ChildDialog, "children", ("Add a child", "Change a child"), ("Add child", "Save changes")),
    (FeedbackDialog, "feedback", ("Add feedback", "What changed"), ("Save", "Save")),
    (AssessmentDialog, "assessments", ("Record a self-assessment", "Correct a self-assessment"),
     ("Save scores", "Save scores")),
]  # fmt: skip


def _make(kind: type[ParentRecordDialog], caseload: Caseload, pid: str, existing: Any) -> Any:
    if kind is AssessmentDialog:
        name = caseload.participant(pid).preferred_name
        return AssessmentDialog(caseload, pid, name, None, existing=existing)
    return kind(caseload, pid, None, existing=existing)


def _save_text(dialog: Any) -> str:
    return str(dialog.buttons.button(QDialogButtonBox.StandardButton.Save).text())


@pytest.mark.parametrize(("kind", "records", "titles", "save_texts"), KINDS)
def test_a_record_form_says_whether_it_adds_or_corrects_and_comes_back_from_its_draft(
    qtbot: QtBot,
    demo_caseload: Caseload,
    kind: type[ParentRecordDialog],
    records: str,
    titles: tuple[str, str],
    save_texts: tuple[str, str],
) -> None:
    caseload = demo_caseload
    held = [
        (journey.participant.id, record)
        for pid in caseload.caseload_outline().ids
        for journey in [caseload.journey(pid)]
        for record in getattr(journey, records)
    ]
    assert held, f"the demo caseload holds {records} to correct"
    pid, record = held[-1]
    for existing, title, save_text in (
        (None, titles[0], save_texts[0]),
        (record, titles[1], save_texts[1]),
    ):
        dialog = _make(kind, caseload, pid, existing)
        qtbot.addWidget(dialog)
        assert (dialog.windowTitle(), _save_text(dialog)) == (title, save_text)
        assert dialog.participant_id == pid
        assert dialog.existing is existing
        context = dialog.draft_context
        assert context["participant_id"] == pid
        assert context["record_id"] == (existing.id if existing is not None else None)
        again = kind.from_context(caseload, context, None)
        assert type(again) is kind
        qtbot.addWidget(again)
        assert (again.windowTitle(), _save_text(again)) == (title, save_text)
        assert again.draft_context == context
        assert again.existing == existing
