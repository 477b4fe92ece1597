"""A box of several lines shows the words it holds: a saved goal, note or reason opened to be put
right shows them whole (the dialog's room allowing), and one being typed grows with them, a
line ahead, up to TextBox.MOST_LINES. It showed two or three lines of a long note, cut off
mid-line, above a hand's width of empty dialog."""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest
from PySide6.QtCore import QRect
from PySide6.QtWidgets import QDialog
from pytestqt.qtbot import QtBot

from journeyapp.caseload import Caseload
from journeyapp.core.enums import Pace, Rhythm
from journeyapp.core.records import Record
from journeyapp.ui.widgets import screen
from journeyapp.ui.widgets.forms import FormDialog, TextBox
from journeyapp.ui.workspace.assessment import AssessmentSection
from journeyapp.ui.workspace.contacts import ContactsSection, LogContactDialog
from journeyapp.ui.workspace.goals import GoalsSection
from journeyapp.ui.workspace.journey import JourneySection
from journeyapp.ui.workspace.pace import PaceSection
from journeyapp.ui.workspace.referrals import ReferralsSection
from journeyapp.ui.workspace.section import Section
from tests.ui.workspace_helpers import ON, Opened, joined_before

# A parent's words, five or six lines at a form's width.
WORDS = (
    "She said the mornings are the worst, getting the wee one ready and out the door for "
    "nursery, and by the time she is back home she has nothing left for herself. She might "
    "come to the Thursday group at the library if someone meets her at the door the first time."
)


def _milestone(c: Caseload, pid: str) -> Record:
    return joined_before(c, pid).record_milestone(pid, "joined_group", achieved_on=ON, note=WORDS)


CASES: list[tuple[str, type[Section], Callable[[Caseload, str], Record], str]] = [
    ("goal", GoalsSection, lambda c, p: c.add_goal(p, WORDS), "words"),
    ("step", GoalsSection, lambda c, p: c.add_step(c.add_goal(p, "Work").id, WORDS), "what"),
    ("contact", ContactsSection, lambda c, p: c.log_contact(p, "one_to_one", on=ON, note=WORDS),
     "note"),
    ("referral", ReferralsSection, lambda c, p: c.refer(p, "Citizens Advice", on=ON, reason=WORDS),
     "reason"),
    ("milestone", JourneySection, _milestone, "note"),
    ("pace", PaceSection, lambda c, p: joined_before(c, p).change_pace(p, Pace.GENTLY, Rhythm.WEEKLY, on=ON,
     reason=WORDS), "reason"),
    ("self-assessment", AssessmentSection, lambda c, p: c.record_assessment(
        p, {"confidence": 3}, taken_on=ON, comment=WORDS), "comment"),
]  # fmt: skip


@pytest.fixture
def laptop(monkeypatch: pytest.MonkeyPatch) -> QRect:
    """A 1366x768 laptop's free area at 100%."""
    rect = QRect(0, 0, 1366, 728)
    monkeypatch.setattr(screen, "available_geometry", lambda _widget=None: QRect(rect))
    return rect


def _hidden_lines(box: TextBox) -> int:
    """Lines of the box's words out of sight (its scroll bar's range, in lines)."""
    return box.verticalScrollBar().maximum()


@pytest.fixture
def shown(qtbot: QtBot) -> Iterator[Callable[[QDialog], None]]:
    dialogs: list[QDialog] = []

    def show(dialog: QDialog) -> None:
        # Closed here, not by qtbot: its close would ask about the words typed, and wait.
        dialogs.append(dialog)
        dialog.show()
        qtbot.waitExposed(dialog)

    yield show
    for dialog in dialogs:
        if isinstance(dialog, FormDialog):
            dialog.forget_draft()  # typed words are a draft a second later
        QDialog.reject(dialog)  # never a question: nothing here is saved
        dialog.deleteLater()


@pytest.mark.parametrize(("kind", "tab", "make", "field"), CASES, ids=[c[0] for c in CASES])
def test_a_saved_record_opened_to_be_put_right_shows_its_words_whole(
    qtbot: QtBot,
    opened: Opened,
    laptop: QRect,
    shown: Callable[[QDialog], None],
    kind: str,
    tab: type[Section],
    make: Callable[[Caseload, str], Record],
    field: str,
) -> None:
    record = make(opened.caseload, opened.pid)
    section = opened.tab(tab)
    opened.workspace.show_participant(opened.pid)
    qtbot.waitUntil(lambda: section.journey is not None)
    dialog = section.edit_dialog(record)
    assert dialog is not None, f"a {kind} is not opened in its form"
    box = getattr(dialog, field)
    assert isinstance(box, TextBox)
    shown(dialog)
    assert box.words_lines() > 3, "the words are long enough to need more than a few lines"
    qtbot.waitUntil(lambda: _hidden_lines(box) == 0)
    assert dialog.height() <= laptop.height()  # and the dialog still fits the laptop


def test_a_note_being_typed_grows_with_its_words_a_line_ahead(
    qtbot: QtBot, opened: Opened, laptop: QRect, shown: Callable[[QDialog], None]
) -> None:
    """Word by word, every line typed stays in sight, with room for the next, until the box
    has TextBox.MOST_LINES; then it scrolls, and is never taller."""
    dialog = LogContactDialog(opened.caseload, opened.pid)
    shown(dialog)
    box = dialog.note
    least = box.height()
    words = (WORDS + " ") * 3
    for word in words.split():
        box.insertPlainText(word + " ")
        lines = box.words_lines()
        if lines < TextBox.MOST_LINES:
            qtbot.waitUntil(lambda: _hidden_lines(box) == 0)
            assert box.height() >= least
    assert box.words_lines() > TextBox.MOST_LINES
    qtbot.waitUntil(lambda: _hidden_lines(box) > 0)
    assert box.height() <= box.sizeHint().height()


def test_on_a_short_screen_a_long_note_asks_for_a_quarter_of_it_at_most(
    qtbot: QtBot, opened: Opened, monkeypatch: pytest.MonkeyPatch, shown: Callable[[QDialog], None]
) -> None:
    """At 200% on a laptop (364 points high) a long note does not push the rest of the form out
    of sight: its box asks for a quarter of the screen at most (and scrolls)."""
    rect = QRect(0, 0, 683, 364)
    monkeypatch.setattr(screen, "available_geometry", lambda _widget=None: QRect(rect))
    contact = opened.caseload.log_contact(opened.pid, "one_to_one", on=ON, note=WORDS * 3)
    dialog = LogContactDialog(opened.caseload, opened.pid, existing=contact)
    shown(dialog)
    box = dialog.note
    margins = box.height() - box.viewport().height()
    assert box.words_lines() > TextBox.MOST_LINES
    assert box.sizeHint().height() <= rect.height() // 4 + margins + box.fontMetrics().lineSpacing()
    assert box.sizeHint().height() >= box.minimumHeight()
