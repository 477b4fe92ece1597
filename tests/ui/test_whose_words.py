"""Whose words a reason, a note or a comment is, said in the form it is typed into and kept.

A choice's reason, a pace change's reason, a milestone's note and a self-assessment's comment
each hold whose words they are (the parent's, agreed together, or the keyworker's note), and
the printed plan words them accordingly ("You said: …" only for the parent's own). The forms
asked nothing, so everything typed was recorded as the parent's words. Now each form asks; a
correction shows what was recorded and keeps it unless it is changed; the workspace never
shows the keyworker's words as the parent's.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QAbstractItemView, QDialog, QLabel, QWidget
from pytestqt.qtbot import QtBot

from journeyapp.core.enums import Voice
from journeyapp.core.records import Record
from journeyapp.ui.widgets.forms import FormDialog, combo_key
from journeyapp.ui.workspace.assessment import AssessmentDialog, AssessmentSection
from journeyapp.ui.workspace.choices import ChoiceDialog, ChoicesSection
from journeyapp.ui.workspace.journey import JourneySection, MilestoneDialog
from journeyapp.ui.workspace.pace import PaceDialog, PaceSection
from journeyapp.ui.workspace.section import Section
from tests.ui.workspace_helpers import Opened, choose, in_dialog, press_enter, type_into

WORDS = "Wants to start after the October holidays"


@dataclass(frozen=True)
class Form:
    """One form that holds words and whose they are."""

    name: str
    tab: type[Section]
    button: Callable[[Any], QWidget]  # the section's button that opens the form
    box: str  # the dialog's attribute holding the words
    held: Callable[[Opened], list[Record]]  # the parent's records of this kind
    words: Callable[[Any], str]  # the words a record holds
    correct: Callable[[Opened, Record], FormDialog]
    fill: Callable[[QtBot, QDialog], None] = lambda qtbot, dialog: None


def _first_service(section: Any) -> QWidget:
    return section.buttons[next(iter(section.buttons))]


def _scores(qtbot: QtBot, dialog: QDialog) -> None:
    assert isinstance(dialog, AssessmentDialog)
    type_into(qtbot, next(iter(dialog.parent_scores.values())), "6")


def _choice_form(o: Opened, record: Record) -> FormDialog:
    service = next(e for e in o.caseload.catalogue.services if e.key == record.service)  # type: ignore[attr-defined]
    return ChoiceDialog(o.caseload, o.pid, service, record)  # type: ignore[arg-type]


FORMS = [
    Form(
        "choice",
        ChoicesSection,
        _first_service,
        "reason",
        lambda o: list(o.caseload.journey(o.pid).choices),
        lambda r: r.reason,
        _choice_form,
    ),
    Form(
        "pace",
        PaceSection,
        lambda s: s.change_button,
        "reason",
        lambda o: list(o.caseload.journey(o.pid).pace),
        lambda r: r.reason,
        lambda o, r: PaceDialog(o.caseload, o.caseload.journey(o.pid), existing=r),  # type: ignore[arg-type]
    ),
    Form(
        "milestone",
        JourneySection,
        lambda s: s.milestone_button,
        "note",
        lambda o: list(o.caseload.journey(o.pid).milestones),
        lambda r: r.note,
        lambda o, r: MilestoneDialog(o.caseload, o.pid, existing=r),  # type: ignore[arg-type]
    ),
    Form(
        "self-assessment",
        AssessmentSection,
        lambda s: s.record_button,
        "comment",
        lambda o: list(o.caseload.journey(o.pid).assessments),
        lambda r: r.comment,
        lambda o, r: AssessmentDialog(o.caseload, o.pid, "Zoë", existing=r),  # type: ignore[arg-type]
        _scores,
    ),
]


def shown_text(section: QWidget) -> str:
    """Everything a person can read in a section: its labels and its tables' cells."""
    parts = [label.text() for label in section.findChildren(QLabel) if label.isVisibleTo(section)]
    for view in section.findChildren(QAbstractItemView):
        model = view.model()
        for row in range(model.rowCount()):
            for column in range(model.columnCount()):
                parts.append(str(model.index(row, column).data() or ""))
    return "\n".join(parts)


@pytest.fixture
def joined_earlier(opened: Opened) -> Opened:
    # A milestone may not come before the parent joined (the demo's and a real caseload's rule).
    opened.caseload.update_participant(opened.pid, joined_on=date(2026, 1, 5))
    return opened


@pytest.mark.parametrize("form", FORMS, ids=lambda f: f.name)
def test_the_form_asks_whose_words_and_a_correction_keeps_them(
    qtbot: QtBot, joined_earlier: Opened, form: Form
) -> None:
    o = joined_earlier
    section = o.tab(form.tab)

    def fill(dialog: QDialog) -> None:
        form.fill(qtbot, dialog)
        type_into(qtbot, getattr(dialog, form.box), WORDS)
        choose(qtbot, dialog.voice, "Keyworker's note")  # type: ignore[attr-defined]
        press_enter(qtbot, dialog.voice)  # type: ignore[attr-defined]

    in_dialog(
        qtbot, lambda: qtbot.mouseClick(form.button(section), Qt.MouseButton.LeftButton), fill
    )
    (record,) = [r for r in form.held(o) if form.words(r) == WORDS]
    assert record.voice is Voice.KEYWORKER  # type: ignore[attr-defined]
    # Shown as the keyworker's note, never as the parent's words alone.
    shown = shown_text(section).split(f"“{WORDS}”")
    assert len(shown) > 1, "the words are not shown"
    assert all(after.startswith(" (keyworker's note)") for after in shown[1:])

    # Corrected: the form shows what was recorded; saving it unchanged changes nothing.
    dialog = form.correct(o, record)
    qtbot.addWidget(dialog)
    assert combo_key(dialog.voice) == Voice.KEYWORKER.value  # type: ignore[attr-defined]
    dialog.show()
    press_enter(qtbot, dialog.voice)  # type: ignore[attr-defined]
    (kept,) = [r for r in form.held(o) if r.id == record.id]
    assert kept.voice is Voice.KEYWORKER  # type: ignore[attr-defined]
    assert form.words(kept) == WORDS

    # Changed to "agreed together": only whose words they are changes.
    dialog = form.correct(o, kept)
    qtbot.addWidget(dialog)
    dialog.show()
    choose(qtbot, dialog.voice, "Agreed together")  # type: ignore[attr-defined]
    press_enter(qtbot, dialog.voice)  # type: ignore[attr-defined]
    (changed,) = [r for r in form.held(o) if r.id == record.id]
    assert changed.voice is Voice.TOGETHER  # type: ignore[attr-defined]
    assert form.words(changed) == WORDS
    assert "agreed together" in shown_text(section)


@pytest.mark.parametrize("form", FORMS, ids=lambda f: f.name)
def test_the_parents_words_are_the_first_choice(
    qtbot: QtBot, joined_earlier: Opened, form: Form
) -> None:
    """A new form starts on the parent's own words: recording them is the usual case."""
    o = joined_earlier
    section = o.tab(form.tab)

    def fill(dialog: QDialog) -> None:
        assert dialog.voice.currentText() == "In Zoë's words"  # type: ignore[attr-defined]
        form.fill(qtbot, dialog)
        type_into(qtbot, getattr(dialog, form.box), WORDS)
        press_enter(qtbot, dialog.voice)  # type: ignore[attr-defined]

    in_dialog(
        qtbot, lambda: qtbot.mouseClick(form.button(section), Qt.MouseButton.LeftButton), fill
    )
    (record,) = [r for r in form.held(o) if form.words(r) == WORDS]
    assert record.voice is Voice.PARENT  # type: ignore[attr-defined]
    assert f"“{WORDS}”" in shown_text(section)
    assert "keyworker's note" not in shown_text(section)


@pytest.mark.parametrize(
    ("whose", "shown"),
    [
        ("Zoë's choice", f"“{WORDS}”"),
        ("Chosen together", f"“{WORDS}” (agreed together)"),
        ("Keyworker's choice", f"“{WORDS}” (keyworker's note)"),
    ],
)
def test_a_breaks_reason_is_shown_as_whose_words_it_is(
    qtbot: QtBot, joined_earlier: Opened, whose: str, shown: str
) -> None:
    """The Pace and Journey tabs put a break's reason in quotation marks as the parent's words,
    whoever gave it; now as every other reason: a keyworker's note is marked as theirs."""
    o = joined_earlier
    pace = o.tab(PaceSection)

    def fill(dialog: QDialog) -> None:
        type_into(qtbot, dialog.reason, WORDS)  # type: ignore[attr-defined]
        type_into(qtbot, dialog.on, "03/11/2026")  # type: ignore[attr-defined]
        choose(qtbot, dialog.voice, whose)  # type: ignore[attr-defined]
        press_enter(qtbot, dialog.voice)  # type: ignore[attr-defined]

    in_dialog(qtbot, lambda: qtbot.mouseClick(pace.pause_button, Qt.MouseButton.LeftButton), fill)
    assert o.caseload.journey(o.pid).open_pause is not None
    for tab in (PaceSection, JourneySection):
        lines = [line for line in shown_text(o.tab(tab)).splitlines() if WORDS in line]
        assert shown in lines, (tab.__name__, lines)
        if whose != "Zoë's choice":
            assert f"“{WORDS}”" not in lines, tab.__name__
