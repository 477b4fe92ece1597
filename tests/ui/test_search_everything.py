"""Search everything, in the window: one box finds what was written about parents (notes, goals,
steps, strengths, referrals...), accent-blind, shows the words around it, and Enter opens the
parent at the record; an erased parent's words are never found (issue 14)."""

from __future__ import annotations

from datetime import date

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QScrollArea
from pytestqt.qtbot import QtBot

from journeyapp.caseload import Caseload
from journeyapp.core.records import BY_KIND
from journeyapp.core.search import marked
from journeyapp.core.text import fold
from journeyapp.store import search as store_search
from journeyapp.ui.main_window import MainWindow
from journeyapp.ui.widgets.caseload_panel import MARKED_ROLE
from journeyapp.ui.workspace.about import AboutSection
from journeyapp.ui.workspace.contacts import ContactsSection
from journeyapp.ui.workspace.feedback import FeedbackSection
from journeyapp.ui.workspace.goals import GoalsSection
from journeyapp.ui.workspace.journey import JourneySection
from journeyapp.ui.workspace.record_actions import RECORD_PROPERTY
from journeyapp.ui.workspace.referrals import ReferralsSection
from journeyapp.ui.workspace.section import Section
from journeyapp.ui.workspace.strengths import StrengthsSection

ON = date(2026, 11, 2)


@pytest.fixture
def written(caseload: Caseload) -> dict[str, tuple[str, str, type[Section]]]:
    """Two parents; one word of their own in each kind of record (the typed query, without
    accents -> (participant, record id, the section that shows it))."""
    ana = caseload.enrol_participant("Ana", "edinburgh", joined_on=ON, full_name="Ana Sousa")
    bea = caseload.enrol_participant("Bea", "fife", joined_on=ON, full_name="Bea Lind")
    caseload.update_record("participants", ana.id, referral_source="The Bórdeaux bakery")
    contact = caseload.log_contact(ana.id, on=ON, note="Talked about the Café Zanzíbar job")
    goal = caseload.add_goal(ana.id, "Learn to drive a Tråktor")
    step = caseload.add_step(goal.id, "Ring the Bríghde centre", who="me")
    strength = caseload.add_strength(bea.id, "Great with Quïnoa recipes")
    referral = caseload.refer(bea.id, "Hëlmsdale Advice", reason="money worries", on=ON)
    milestone = caseload.record_milestone(bea.id, "joined_group", achieved_on=ON, note="Xylöphone")
    feedback = caseload.add_feedback("The Vümbra group helped", participant_id=bea.id, on=ON)
    return {
        "bordeaux": (ana.id, ana.id, AboutSection),
        "cafe zanzibar": (ana.id, contact.id, ContactsSection),
        "traktor": (ana.id, goal.id, GoalsSection),
        "brighde": (ana.id, step.id, GoalsSection),
        "quinoa": (bea.id, strength.id, StrengthsSection),
        "helmsdale": (bea.id, referral.id, ReferralsSection),
        "xylophone": (bea.id, milestone.id, JourneySection),
        "vumbra": (bea.id, feedback.id, FeedbackSection),
    }


def _focus_in(section: Section) -> bool:
    focus = QApplication.focusWidget()
    return focus is not None and section.isAncestorOf(focus)


def _type(qtbot: QtBot, window: MainWindow, text: str) -> None:
    search = window.panel.search
    search.setFocus()
    search.selectAll()
    qtbot.keyClicks(search, text)


def test_each_kind_of_record_is_found_without_accents_and_enter_opens_it_there(
    qtbot: QtBot, window: MainWindow, written: dict[str, tuple[str, str, type[Section]]]
) -> None:
    window.resize(1366, 728)
    for query, (pid, record_id, section_type) in written.items():
        window.focus_search()
        _type(qtbot, window, query)
        hits = window.panel.hits
        assert hits.isVisible()
        found = [hits.item(n).data(Qt.ItemDataRole.UserRole) for n in range(hits.count())]
        assert [(h.participant_id, h.record_id) for h in found] == [(pid, record_id)], query
        # The words around the match are shown, as they were written (accents and all).
        assert query in fold(hits.item(0).text())
        assert query not in hits.item(0).text().lower(), "shown as written, accents and all"
        # No name holds these words: Enter opens the parent at the record.
        assert window.panel.table.model().rowCount() == 0
        qtbot.keyClick(window.panel.search, Qt.Key.Key_Return)
        workspace = window.workspace
        assert workspace.current_participant_id() == pid
        section = workspace.tabs.currentWidget()
        assert isinstance(section, section_type), query
        # The keyboard is on the record (a card is shown, and focused, by the event loop).
        qtbot.waitUntil(lambda s=section: _focus_in(s))


def test_a_result_chosen_from_the_list_opens_at_that_record(
    qtbot: QtBot, window: MainWindow, written: dict[str, tuple[str, str, type[Section]]]
) -> None:
    window.resize(1366, 728)
    _type(qtbot, window, "the")  # the bakery, the Café, the Bríghde centre, the Vümbra group
    hits = window.panel.hits
    assert hits.count() >= 4
    qtbot.keyClick(window.panel.search, Qt.Key.Key_Down)
    assert hits.hasFocus()
    target = next(
        n
        for n in range(hits.count())
        if hits.item(n).data(Qt.ItemDataRole.UserRole).kind == "feedback"
    )
    for _ in range(target):
        qtbot.keyClick(hits, Qt.Key.Key_Down)
    qtbot.keyClick(hits, Qt.Key.Key_Return)
    pid, _record, section_type = written["vumbra"]
    assert window.workspace.current_participant_id() == pid
    assert isinstance(window.workspace.tabs.currentWidget(), section_type)


def test_names_still_find_parents_and_short_words_do_not_read_every_note(
    qtbot: QtBot, window: MainWindow, written: dict[str, tuple[str, str, type[Section]]]
) -> None:
    _type(qtbot, window, "sousa")
    assert window.panel.table.model().rowCount() == 1
    assert not window.panel.hits.isVisible()
    _type(qtbot, window, "ca")  # too short for the text index: names only
    assert window.panel.hits.count() == 0


def test_the_list_follows_writes_and_forgets_an_erased_parent(
    qtbot: QtBot,
    window: MainWindow,
    caseload: Caseload,
    written: dict[str, tuple[str, str, type[Section]]],
) -> None:
    _type(qtbot, window, "quinoa")
    assert window.panel.hits.count() == 1
    ana = written["bordeaux"][0]
    bea = written["quinoa"][0]
    caseload.log_contact(ana, on=ON, note="Brought quinoa salad to the group")
    qtbot.waitUntil(lambda: window.panel.hits.count() == 2)
    caseload.safety.erase_participant(bea, "Bea")
    qtbot.waitUntil(lambda: window.panel.hits.count() == 1)
    only = window.panel.hits.item(0).data(Qt.ItemDataRole.UserRole)
    assert only.participant_id == ana
    for query in ("helmsdale", "xylophone", "vumbra"):
        _type(qtbot, window, query)
        assert window.panel.hits.count() == 0, query
        assert not window.panel.hits.isVisible()


def test_every_kind_search_finds_words_in_has_a_section_to_open_it(window: MainWindow) -> None:
    searched = [kind for kind in BY_KIND if store_search._searched(kind)]
    assert len(searched) >= 10
    for kind in searched:
        assert window.workspace.opens(kind), kind


def test_the_words_that_matched_are_marked_as_written(
    qtbot: QtBot, window: MainWindow, written: dict[str, tuple[str, str, type[Section]]]
) -> None:
    _type(qtbot, window, "zanzibar")
    item = window.panel.hits.item(0)
    pieces = item.data(MARKED_ROLE)
    assert [text for text, on in pieces if on] == ["Zanzíbar"]
    assert "".join(text for text, _on in pieces) == item.text()
    window.panel.hits.viewport().grab()  # drawn with the marked words, without trouble
    assert marked("Ærø and ærø", "AERO") == [("Ærø", True), (" and ", False), ("ærø", True)]
    assert marked("nothing here", "zzz") == [("nothing here", False)]


def test_parents_who_share_a_name_are_told_apart_in_what_was_found(
    qtbot: QtBot, window: MainWindow, caseload: Caseload
) -> None:
    """Two Liams are "Liam D." and "Liam I." (as in the list); two Jolene Quillans are told
    apart by their locality; a name nobody shares stays as it is."""
    liam_d = caseload.enrol_participant("Liam", "glasgow", joined_on=ON, full_name="Liam Dunn")
    liam_i = caseload.enrol_participant("Liam", "fife", joined_on=ON, full_name="Liam Irvine")
    jo_fife = caseload.enrol_participant("Jolene", "fife", joined_on=ON, full_name="Jolene Quinn")
    jo_glas = caseload.enrol_participant(
        "Jolene", "glasgow", joined_on=ON, full_name="Jolene Quinn"
    )
    solo = caseload.enrol_participant("Morven", "fife", joined_on=ON, full_name="Morven Muir")
    for parent in (liam_d, liam_i, jo_fife, jo_glas, solo):
        caseload.log_contact(parent.id, on=ON, note="Talked about the allotment")
    _type(qtbot, window, "allotment")
    hits = window.panel.hits
    qtbot.waitUntil(lambda: hits.count() == 5)
    heads = {
        hits.item(n).data(Qt.ItemDataRole.UserRole).participant_id: hits.item(n)
        .text()
        .split(" · ")[0]
        for n in range(hits.count())
    }
    assert heads == {
        liam_d.id: "Liam D.",
        liam_i.id: "Liam I.",
        jo_fife.id: "Jolene Q., Fife",
        jo_glas.id: "Jolene Q., Glasgow",
        solo.id: "Morven",
    }
    # Once every row is loaded the names are worked out from them, the same.
    window.panel.model.load_rest()
    assert window.panel.model.distinct_names([liam_d.id, jo_glas.id, solo.id]) == {
        liam_d.id: "Liam D.",
        jo_glas.id: "Jolene Q., Glasgow",
        solo.id: "Morven",
    }
    # The list itself shows the same names (it has no Locality column at 1366 px).
    model = window.panel.model
    shown = {model.row_at(n).id: model.display_name(n) for n in range(model.rowCount())}
    assert {pid: shown[pid] for pid in heads} == heads
    # The name column takes what room the stage column can spare, never more: no sideways
    # scrolling at 1366 px; the tooltip says the name and locality whole.
    window.resize(1366, 728)
    table = window.panel.table
    usual = table.fontMetrics().horizontalAdvance("Kerry-Ann S.") + 14
    qtbot.waitUntil(lambda: table.columnWidth(0) > usual)
    assert not table.horizontalScrollBar().isVisible()
    tips = {
        model.row_at(n).id: model.data(model.index(n, 0), Qt.ItemDataRole.ToolTipRole)
        for n in range(model.rowCount())
    }
    assert tips[jo_fife.id] == "Jolene Quinn, Fife"
    assert tips[liam_d.id] == "Liam Dunn"


def test_a_record_opened_from_far_down_its_section_is_scrolled_into_sight(
    qtbot: QtBot, window: MainWindow, caseload: Caseload
) -> None:
    """The card found is shown, not only given the keyboard: a goal below the fold of a long
    list of goals is scrolled to (it was focused out of sight)."""
    window.resize(1366, 728)
    ana = caseload.enrol_participant("Ana", "edinburgh", joined_on=ON, full_name="Ana Sousa")
    for n in range(8):
        goal = caseload.add_goal(
            ana.id,
            f"Goal number {n}, in enough of the parent's own words to wrap over two lines or more",
            by_when="when the wee one starts school, or maybe a bit after the summer holidays",
        )
        for m in range(3):
            caseload.add_step(goal.id, f"Step {m} of goal {n}", who="me")
    last = caseload.add_goal(ana.id, "Budget so we get to payday")
    window.focus_search()
    _type(qtbot, window, "payday")
    qtbot.keyClick(window.panel.search, Qt.Key.Key_Return)
    section = window.workspace.tabs.currentWidget()
    assert isinstance(section, GoalsSection)
    qtbot.waitUntil(lambda: _focus_in(section))
    card = QApplication.focusWidget()
    assert card is not None
    assert card.property(RECORD_PROPERTY) == last.id
    area = card.parentWidget()
    while area is not None and not isinstance(area, QScrollArea):
        area = area.parentWidget()
    assert isinstance(area, QScrollArea)
    bar = area.verticalScrollBar()
    # Once the cards have their real heights (the list scrolls), the card is in sight.
    qtbot.waitUntil(lambda: bar.maximum() > 0 and not card.visibleRegion().isEmpty())


def test_when_no_name_matches_the_places_found_take_the_lists_room(
    qtbot: QtBot, window: MainWindow, caseload: Caseload
) -> None:
    pid = caseload.enrol_participant("Ana", "fife", joined_on=ON, full_name="Ana Sousa").id
    for n in range(20):
        caseload.log_contact(pid, on=ON, note=f"Talked about the marmalade stall, week {n}")
    panel = window.panel
    _type(qtbot, window, "ana")  # a name: the list of names stays, the places found are short
    assert panel.table.isVisible()
    _type(qtbot, window, "marmalade")  # no name matches: the places found take the room
    qtbot.waitUntil(lambda: panel.hits.isVisible() and not panel.table.isVisible())
    line = panel.fontMetrics().height()
    qtbot.waitUntil(lambda: panel.hits.height() > 12 * line)
    _type(qtbot, window, "ana")
    qtbot.waitUntil(panel.table.isVisible)
    assert panel.hits.maximumHeight() <= 9 * line


@pytest.mark.parametrize(
    ("typed", "shown"),
    [("oneills", "O'Neill's"), ("o'neills", "O'Neill's"), ("motherinlaws", "mother-in-law’s")],
)
def test_a_word_written_with_several_marks_is_found_and_marked_whole(
    qtbot: QtBot, window: MainWindow, caseload: Caseload, typed: str, shown: str
) -> None:
    """Typed without its apostrophes and hyphens, or with one of them, a word written with two
    or more ("O'Neill's", "mother-in-law’s") is found, and the bold covers all of it."""
    ana = caseload.enrol_participant("Ana", "edinburgh", joined_on=ON)
    caseload.log_contact(ana.id, on=ON, note="Met at O'Neill's, near her mother-in-law’s flat")
    _type(qtbot, window, typed)
    qtbot.waitUntil(lambda: window.panel.hits.count() == 1)
    pieces = window.panel.hits.item(0).data(MARKED_ROLE)
    assert [text for text, on in pieces if on] == [shown]


def test_a_page_pasted_into_the_search_box_is_refused_beside_it_in_words(
    qtbot: QtBot, window: MainWindow, caseload: Caseload
) -> None:
    """A thousand words pasted into the box (SQLite refuses such a query: "Expression tree is
    too large") are said to be too many beside the box, with no parent listed and no fault;
    emptied, the box shows every parent again. The caseload refuses it in the same words."""
    from journeyapp.core.errors import ValidationError
    from journeyapp.core.search import MOST_WORDS

    ana = caseload.enrol_participant("Ana", "edinburgh", joined_on=ON)
    caseload.log_contact(ana.id, on=ON, note="Talked about the college course")
    window.panel.reload()
    page = " ".join(f"college{n}" for n in range(1000))
    window.panel.search.setText(page)
    label = window.panel.hits_label
    qtbot.waitUntil(lambda: f"at most {MOST_WORDS}" in label.text())
    assert label.isVisibleTo(window)
    assert "1,000 words" in label.text()
    assert not window.panel.hits.isVisibleTo(window)
    assert window.panel.table.model().rowCount() == 0
    for ask in (caseload.search_everything, caseload.search_ids, caseload.found_ids):
        with pytest.raises(ValidationError, match=f"at most {MOST_WORDS}"):
            ask(page)
    # Just under the most: looked for (nothing found), no refusal.
    window.panel.search.setText(" ".join(["college"] * MOST_WORDS))
    qtbot.waitUntil(lambda: f"at most {MOST_WORDS}" not in label.text())
    window.panel.search.setText("")
    qtbot.waitUntil(lambda: window.panel.table.model().rowCount() == 1)
