"""Never lose a typed word, box by box: every text box of every form (new and correcting) and of
the tabs one types on is followed as it is typed in, kept in the draft, and put back in the same
box when the draft is reopened. The boxes are found with findChildren, not listed by hand, so a
box added later is walked too."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractSpinBox,
    QDialog,
    QLineEdit,
    QPlainTextEdit,
    QTextEdit,
    QWidget,
)
from pytestqt.qtbot import QtBot

from journeyapp.caseload import Caseload
from journeyapp.core.records import Record
from journeyapp.ui.main_window import load_draft_forms
from journeyapp.ui.widgets.forms import AsksBeforeLeaving, FormDialog, KeepsDrafts
from journeyapp.ui.workspace.about import AboutSection
from journeyapp.ui.workspace.background import BackgroundSection, JobDialog
from journeyapp.ui.workspace.meetings import MeetingDialog
from journeyapp.ui.workspace.section import Section
from tests.ui.draft_forms import FORMS
from tests.ui.test_record_corrections import KINDS
from tests.ui.workspace_helpers import Opened, opened_workspace

TextBoxes = QLineEdit | QPlainTextEdit | QTextEdit
ON = date(2026, 11, 3)


def text_boxes(owner: QWidget) -> list[TextBoxes]:
    """Every box one can type words in (not a spin box's own line: it takes only numbers)."""
    return [
        w
        for w in owner.findChildren(QWidget)
        if isinstance(w, (QLineEdit, QPlainTextEdit, QTextEdit))
        and not isinstance(w.parent(), QAbstractSpinBox)
        and w.isVisibleTo(owner)
        and w.isEnabled()
        and not w.isReadOnly()
    ]


def text_of(box: TextBoxes) -> str:
    return box.text() if isinstance(box, QLineEdit) else box.toPlainText()


def name_of(box: TextBoxes) -> str:
    return box.accessibleName() or box.placeholderText() or type(box).__name__


def type_words(qtbot: QtBot, box: TextBoxes, n: int) -> str:
    """Type a few words at the end of the box, as a person would; the words typed (digits in a
    box that takes only digits, such as a date or a year)."""
    box.setFocus()
    qtbot.keyClick(box, Qt.Key.Key_End)
    before = text_of(box)
    for typed in (f"kq{n}w", "1"):
        qtbot.keyClicks(box, typed)
        if text_of(box) != before:
            return typed
    raise AssertionError(f"the box {name_of(box)!r} takes no typing")


def kept_fields(caseload: Caseload, typing: KeepsDrafts) -> dict[str, Any]:
    typing.keep_draft()
    drafts = [d for d in caseload.drafts() if d.key == typing.draft_key]
    return drafts[0].fields if drafts else {}


def walk(qtbot: QtBot, caseload: Caseload, dialog: AsksBeforeLeaving, what: str) -> None:
    """Type into every box of `dialog` in turn: each is followed (a draft is due), kept in the
    draft, and the reopened draft shows every box as it was typed."""
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    try:
        _walk(qtbot, caseload, dialog, what)
    finally:
        QDialog.reject(dialog)  # closed without asking, whatever was found


def _walk(qtbot: QtBot, caseload: Caseload, dialog: AsksBeforeLeaving, what: str) -> None:
    boxes = text_boxes(dialog)
    assert boxes, what
    for n, box in enumerate(boxes):
        before = kept_fields(caseload, dialog)
        typed = type_words(qtbot, box, n)
        assert dialog._draft_timer.isActive(), f"{what}: typing in {name_of(box)!r} is not followed"
        after = kept_fields(caseload, dialog)
        changed = [v for k, v in after.items() if before.get(k) != v]
        assert any(typed in str(v) for v in changed), f"{what}: {name_of(box)!r} is not kept"
    [draft] = [d for d in caseload.drafts() if d.key == dialog.draft_key]
    reopened = AsksBeforeLeaving.reopen(caseload, draft, None)
    assert reopened is not None, what
    qtbot.addWidget(reopened)
    reopened.show()
    qtbot.waitExposed(reopened)
    try:
        assert [text_of(b) for b in text_boxes(reopened)] == [text_of(b) for b in boxes], what
        # As big as the form first opened (a long form, a job's, reopened as a sliver).
        assert reopened.height() >= dialog.height(), what
    finally:
        QDialog.reject(reopened)
    reopened.forget_draft()
    assert caseload.drafts() == []


def test_every_form_that_asks_before_leaving_keeps_drafts_and_is_walked() -> None:
    """A form added later without drafts (or left out of the walk) fails here."""
    load_draft_forms()

    def below(cls: type) -> list[type]:
        return [c for sub in cls.__subclasses__() for c in (sub, *below(sub))]

    bases = {FormDialog}
    bases |= {c for c in below(FormDialog) if c.__subclasses__() and not c.draft_form}
    forms = [c for c in below(AsksBeforeLeaving) if c not in bases]
    assert [c.__name__ for c in forms if not c.draft_form] == []
    assert {c.draft_form for c in forms} == {e.form for e in FORMS}


@pytest.mark.parametrize("entry", FORMS, ids=[e.form for e in FORMS])
def test_every_box_of_a_new_form_is_kept_and_put_back(
    qtbot: QtBot, caseload: Caseload, entry: Any
) -> None:
    pid = caseload.enrol_participant("Zoë", "glasgow").id
    walk(qtbot, caseload, entry.build(caseload, pid), entry.form)


def _job(o: Opened) -> AsksBeforeLeaving:
    job = o.caseload.add_job(o.pid, ON, job_title="Care assistant", note="Nights")
    return JobDialog(o.caseload, o.pid, existing=job)


def _meeting(o: Opened) -> AsksBeforeLeaving:
    meeting = o.caseload.arrange_meeting(o.pid, ON, time="10:30", place="Hall")
    return MeetingDialog(o.caseload, o.pid, existing=meeting)


def _corrected(kind: Any) -> Callable[[Opened], AsksBeforeLeaving]:
    def build(o: Opened) -> AsksBeforeLeaving:
        record: Record = kind.make(o.caseload, o.pid)
        section: Section = o.tab(kind.tab)
        o.workspace.show_participant(o.pid)
        dialog = section.edit_dialog(o.caseload.record(record.KIND, record.id))
        assert dialog is not None, kind.name
        return dialog

    return build


CORRECTIONS: dict[str, Callable[[Opened], AsksBeforeLeaving]] = {
    **{k.name: _corrected(k) for k in KINDS},
    "job": _job,
    "meeting": _meeting,
}


@pytest.mark.parametrize("name", CORRECTIONS)
def test_every_box_of_a_correcting_form_is_kept_and_put_back(
    qtbot: QtBot, caseload: Caseload, name: str
) -> None:
    caseload.update_participant(
        caseload.enrol_participant("Amy", "fife").id, joined_on=date(2026, 1, 5)
    )
    with opened_workspace(qtbot, caseload) as o:
        o.caseload.update_participant(o.pid, joined_on=date(2026, 1, 5))
        walk(qtbot, caseload, CORRECTIONS[name](o), f"correcting a {name}")


@pytest.mark.parametrize("tab", [AboutSection, BackgroundSection], ids=["About", "Background"])
def test_every_box_typed_on_a_tab_is_kept(
    qtbot: QtBot, caseload: Caseload, tab: type[Section]
) -> None:
    with opened_workspace(qtbot, caseload) as o:
        section = o.tab(tab)
        boxes = text_boxes(section)
        assert boxes
        # The tab's own typing, and any other typing kept beside it (the stage note).
        typings = [t for t in (section, *vars(section).values()) if isinstance(t, KeepsDrafts)]
        for n, box in enumerate(boxes):
            typed = type_words(qtbot, box, n)
            kept = [v for t in typings for v in kept_fields(caseload, t).values()]
            assert any(typed in str(v) for v in kept), f"{tab.__name__}: {name_of(box)!r}"
