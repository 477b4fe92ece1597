"""The workspace's record tables share their width: a date marked "after today", a long kind or
a long list of scores wraps in a capped column, and the parent's words (a reason, a note, a
comment) keep a fair share of the width, wrapped, in rows tall enough for them, with the whole
text in the tooltip. Real widgets, offscreen, on a real caseload; a pure check of the sharing."""

from __future__ import annotations

from datetime import timedelta

from hypothesis import given, settings
from hypothesis import strategies as st
from PySide6.QtCore import Qt
from PySide6.QtGui import QTextLayout, QTextOption
from PySide6.QtWidgets import QTableView
from pytestqt.qtbot import QtBot

from journeyapp.caseload import Caseload
from journeyapp.core.enums import Pace, Rhythm
from journeyapp.ui.widgets.record_table import shared_widths
from journeyapp.ui.workspace.assessment import AssessmentSection
from journeyapp.ui.workspace.contacts import ContactsSection
from journeyapp.ui.workspace.journey import JourneySection
from journeyapp.ui.workspace.pace import PaceSection
from journeyapp.ui.workspace.section import Section
from tests.clock import ticking_clock
from tests.conftest import TODAY
from tests.ui.workspace_helpers import workspace_of

WHY = (
    "Czuję się pewniej — chcę spróbować kursu komputerowego w bibliotece, "
    "Я хочу більше часу для дітей, أريد أن أتعلم الإنجليزية أولاً, and I would like to "
    "take the mornings slowly until my youngest has settled at nursery"
)
AHEAD = TODAY + timedelta(days=10)


def _parent(caseload: Caseload) -> str:
    """A parent whose pace change, contact, milestone and self-assessment carry long words,
    each dated ten days after today (written while the laptop's clock was ahead)."""
    pid = caseload.enrol_participant(
        "Krzysztofiakowska-Oleksandrivna", "fife", TODAY - timedelta(days=100)
    ).id
    caseload.change_pace(pid, Pace.GENTLY, Rhythm.WEEKLY, on=TODAY - timedelta(days=90), reason=WHY)
    caseload.clock = ticking_clock(TODAY + timedelta(days=365))
    caseload.change_pace(pid, Pace.STEADY, Rhythm.FORTNIGHTLY, on=AHEAD, reason=WHY)
    caseload.log_contact(pid, on=AHEAD, note=WHY, next_step=WHY)
    caseload.record_milestone(pid, "started_volunteering", achieved_on=AHEAD, note=WHY)
    areas = [area.key for area in caseload.catalogue.outcome_areas]
    caseload.record_assessment(
        pid,
        dict.fromkeys(areas, 5),
        keyworker_scores=dict.fromkeys(areas, 6),
        taken_on=AHEAD,
        comment=WHY,
    )
    caseload.clock = ticking_clock(TODAY)
    return pid


def _words_keep_their_share(view: QTableView, words: int) -> None:
    model = view.model()
    room = view.viewport().width()
    widths = [view.columnWidth(c) for c in range(model.columnCount())]
    # The parent's words have a fair share of the width (when all are long, twice any other
    # column's where they wrap; as much as any where the list keeps to one line a row), and
    # at least as much as any other column.
    columns = model.columnCount()
    share = 2 if view.wordWrap() else 1
    assert widths[words] >= share * room // (columns + share - 1) - columns, (widths, room)
    assert widths[words] == max(widths), widths
    # Nothing runs past the table's edge, so no side-scrolling to read the words.
    assert sum(widths) <= room, (widths, room)
    shown = [model.index(row, words).data() for row in range(model.rowCount())]
    assert any(WHY in text for text in shown), shown
    for row, text in enumerate(shown):
        # The whole of the words is reachable (the tooltip), and the row is as tall as Qt
        # needs for them wrapped at the column's width.
        assert text in model.index(row, words).data(Qt.ItemDataRole.ToolTipRole)
        assert view.rowHeight(row) >= view.sizeHintForRow(row)
        # and still breathes (STYLE.md: the font's height + 12)
        assert view.rowHeight(row) >= view.fontMetrics().height() + 12


def test_every_record_table_gives_the_words_a_fair_share(qtbot: QtBot, caseload: Caseload) -> None:
    pid = _parent(caseload)
    tables: list[tuple[type[Section], str, int]] = [
        (PaceSection, "view", 2),
        (ContactsSection, "view", 2),
        (JourneySection, "view", 2),
        (AssessmentSection, "view", 2),
    ]
    with workspace_of(qtbot, caseload, pid) as opened:
        for width in (1100, 760):
            opened.workspace.resize(width, 700)
            for cls, name, words in tables:
                section = opened.tab(cls)
                view = getattr(section, name)
                qtbot.waitUntil(view.isVisible)
                assert view.model().rowCount() >= 1
                _words_keep_their_share(view, words)


def test_the_after_today_date_wraps_instead_of_pushing_the_words_out(
    qtbot: QtBot, caseload: Caseload
) -> None:
    pid = _parent(caseload)
    with workspace_of(qtbot, caseload, pid) as opened:
        opened.workspace.resize(1000, 700)
        section = opened.tab(PaceSection)
        view = section.view
        qtbot.waitUntil(view.isVisible)
        on = view.model().index(0, 0).data()
        assert "after today" in on
        natural = view.fontMetrics().horizontalAdvance(on)
        # The date column is narrower than its text on one line: the mark wraps.
        assert view.columnWidth(0) < natural
        assert view.columnWidth(2) > view.columnWidth(0)


def _widest_line(text: str, view: QTableView, width: int) -> float:
    """The widest line of `text` word-wrapped at `width`, as the table wraps a cell."""
    layout = QTextLayout(text, view.font())
    option = QTextOption()
    option.setWrapMode(QTextOption.WrapMode.WordWrap)
    layout.setTextOption(option)
    layout.beginLayout()
    widest = 0.0
    while True:
        line = layout.createLine()
        if not line.isValid():
            break
        line.setLineWidth(width)
        widest = max(widest, line.naturalTextWidth())
    layout.endLayout()
    return widest


def test_a_very_long_word_wraps_whole_instead_of_being_cut(
    qtbot: QtBot, caseload: Caseload
) -> None:
    """An email address or a long run of letters in the parent's words ran past the column's
    edge and was cut off with "…": it now wraps over lines, all of it in sight; what a screen
    reader or the tooltip gives is the words exactly as typed."""
    address = "oleksandra.krzysztofiakowska.szczepanska@familyhubexample.org"
    words = f"Write to me at {address} please"
    pid = caseload.enrol_participant("Zoë", "fife", TODAY - timedelta(days=30)).id
    caseload.change_pace(
        pid, Pace.STEADY, Rhythm.WEEKLY, on=TODAY - timedelta(days=3), reason=words
    )
    with workspace_of(qtbot, caseload, pid) as opened:
        opened.workspace.resize(760, 700)
        view = opened.tab(PaceSection).view
        qtbot.waitUntil(view.isVisible)
        index = view.model().index(0, 2)
        room = view.columnWidth(2) - 2 * view.fontMetrics().averageCharWidth()
        assert view.fontMetrics().horizontalAdvance(address) > room  # longer than the column
        assert _widest_line(index.data(), view, room) <= room
        assert words in index.data(Qt.ItemDataRole.ToolTipRole)
        assert words in index.data(Qt.ItemDataRole.AccessibleTextRole)
        assert index.data().replace("\u200b", "") == index.data(Qt.ItemDataRole.AccessibleTextRole)
        assert view.rowHeight(0) >= view.sizeHintForRow(0)


@settings(max_examples=300, deadline=None)
@given(
    natural=st.lists(st.integers(1, 3000), min_size=1, max_size=6),
    words_at=st.integers(0, 5),
    room=st.integers(100, 3000),
    share=st.sampled_from((1, 2)),
)
def test_shared_widths_fill_the_room_and_favour_the_words(
    natural: list[int], words_at: int, room: int, share: int
) -> None:
    words = words_at % len(natural)
    least = [min(n, 40) for n in natural]
    widths = shared_widths(natural, least, words, room, share)
    assert len(widths) == len(natural)
    assert all(w >= low for w, low in zip(widths, least, strict=True))
    if sum(natural) <= room:
        # All fit: each column on one line, the words take what is left.
        assert sum(widths) == room
        assert all(widths[c] == natural[c] for c in range(len(natural)) if c != words)
    else:
        # Too wide: no column wider than its own text, the whole within the room (unless the
        # least widths are wider), and the words never less than the widest other column
        # unless their text is shorter.
        assert all(w <= max(n, low) for w, n, low in zip(widths, natural, least, strict=True))
        assert sum(widths) <= max(room, sum(least))
        others = [w for c, w in enumerate(widths) if c != words]
        if others:
            assert widths[words] >= min(natural[words], max(others))
