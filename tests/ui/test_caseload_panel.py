"""The caseload list: search without accents, filters, the count line, Enter opens the parent."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QFont, QFontMetrics
from pytestqt.qtbot import QtBot

from journeyapp.caseload import Caseload
from journeyapp.core.catalogue import load_catalogue
from journeyapp.core.text import fold
from journeyapp.paths import resource
from journeyapp.ui.main_window import MainWindow
from journeyapp.ui.models.caseload_table_model import Column
from journeyapp.ui.widgets.caseload_panel import (
    CaseloadPanel,
    count_line,
    widest_text,
    wrap_viewport,
)
from tests.clock import ticking_clock
from tests.conftest import TODAY
from tests.exchange.test_report_catalogue import record
from tests.ui.shell_helpers import shortcut


def test_count_line_words() -> None:
    assert count_line(42, 42, 5) == "42 parents · 5 check-ins due"
    assert count_line(1, 1, 1) == "1 parent · 1 check-in due"
    assert count_line(3, 42, 0) == "3 of 42 parents shown · 0 check-ins due"


def test_the_table_s_viewport_found_by_name_is_the_one_qt_made(qtbot: QtBot) -> None:
    """The list finds its table's viewport by Qt's name for it (to spare PySide setting up every
    widget class, #18): that name is the viewport's, in this Qt, and viewport() gives the same."""
    from PySide6.QtWidgets import QTableView, QWidget

    table = QTableView()
    qtbot.addWidget(table)
    wrap_viewport(table)
    # Its own child (its headers' viewports have that name too, among their children).
    direct = Qt.FindChildOption.FindDirectChildrenOnly
    found = table.findChildren(QWidget, "qt_scrollarea_viewport", direct)
    assert len(found) == 1
    assert found[0] is table.viewport()


@pytest.mark.parametrize("family", ["DejaVu Sans", "DejaVu Serif", "DejaVu Sans Mono"])
@pytest.mark.parametrize("points", [8, 10, 13, 20, 31])
def test_the_widest_name_is_the_widest_measured(
    qapp: object, demo_caseload: Caseload, family: str, points: int
) -> None:
    """widest_text measures only the names that could be the widest: the same answer as
    measuring each, for the demo's names and for kerned pairs, ligatures, accents, Arabic."""
    font = QFont(family)
    font.setPointSize(points)
    names = [
        f"{r.preferred_name} {r.full_name[-1:]}., {r.locality}" for r in demo_caseload.caseload()
    ]
    names += ["AVAVAVAVAV To., Wa", "Tyffiny Ffion Vo.", "Zoë Ní Dhuibhir, Fife", "e\u0301e\u0301"]
    names += ["فاطمة الزهراء، غلاسكو", "", "W", "iiiiiiiiiiiiiiiiiiiiiiiiiiiiiiii"]
    metrics = QFontMetrics(font)
    for texts in (names, names[:3], names[-5:], [n for n in names if n.isascii()]):
        assert widest_text(texts, font) == max(metrics.horizontalAdvance(t) for t in texts)
    assert widest_text([], font) == 0


def test_count_line_matches_caseload(demo_window: MainWindow, demo_caseload: Caseload) -> None:
    rows = demo_caseload.caseload()
    overdue = sum(r.overdue for r in rows)
    assert overdue > 0, "the demo should have some overdue check-ins to show"
    assert demo_window.panel.count_label.text() == count_line(len(rows), len(rows), overdue)


def test_typing_without_accents_finds_accented_names(
    qtbot: QtBot, demo_window: MainWindow, demo_caseload: Caseload
) -> None:
    accented = next(
        p
        for p in demo_caseload.participants()
        if fold(p.preferred_name) != p.preferred_name.casefold()
    )
    plain = fold(accented.preferred_name)[1:-1]  # any part of the name, accents dropped
    shortcut(qtbot, demo_window, Qt.Key.Key_F)
    assert demo_window.panel.search.hasFocus()
    qtbot.keyClicks(demo_window.panel.search, plain)
    shown = demo_window.panel.visible_rows()
    assert accented.id in {r.id for r in shown}
    assert all(plain in fold(f"{r.preferred_name} {r.full_name}") for r in shown)
    assert len(shown) < len(demo_caseload.participants())
    assert "shown" in demo_window.panel.count_label.text()


def test_letters_without_a_separate_accent_are_found_too(
    qtbot: QtBot, demo_window: MainWindow, demo_caseload: Caseload
) -> None:
    polish = demo_caseload.enrol_participant("Łucja", "fife", full_name="Łucja Brightwater")
    qtbot.keyClicks(demo_window.panel.search, "lucja b")
    assert [r.id for r in demo_window.panel.visible_rows()] == [polish.id]


def test_a_name_typed_without_its_apostrophe_or_hyphen_is_found_and_shown_in_bold(
    qtbot: QtBot, demo_window: MainWindow, demo_caseload: Caseload
) -> None:
    """Typed "oneil" found no O'Neil and "mccarthyjones" no McCarthy-Jones, and the list showed
    no letters in bold: each found, its letters as the list shows them in bold."""
    oneil = demo_caseload.enrol_participant("Róisín", "fife", full_name="Róisín O'Neil")
    double = demo_caseload.enrol_participant("Kerry-Ann", "fife", full_name="Kerry-Ann Zyx")
    panel = demo_window.panel
    for typed, who, bold in (
        ("roisin oneil", oneil, "Róisín"),
        ("kerryann", double, "Kerry-Ann"),
        ("KERRY ANN", double, "Kerry"),
    ):
        panel.search.clear()
        qtbot.keyClicks(panel.search, typed)
        shown = panel.visible_rows()
        assert who.id in {r.id for r in shown}, typed
        table = panel.table
        row = next(n for n, r in enumerate(shown) if r.id == who.id)
        index = table.model().index(row, Column.NAME)
        delegate = table.itemDelegateForColumn(Column.NAME)
        name = index.data()
        pieces = delegate.pieces(index, name)  # type: ignore[attr-defined]
        assert bold in [text for text, on in pieces if on], (typed, pieces)
    panel.search.clear()
    assert not table.itemDelegateForColumn(Column.NAME).pieces(index, "")  # type: ignore[attr-defined]


def test_an_erased_parents_id_in_the_search_box_says_they_were_erased(
    qtbot: QtBot, demo_window: MainWindow, demo_caseload: Caseload
) -> None:
    """An erased parent's id (or its start, as copied from a list) typed in the search box
    says they were erased, as the commands do, not that no one matches."""
    gone = demo_caseload.participants()[0]
    demo_caseload.safety.erase_participant(gone.id, gone.preferred_name)
    panel = demo_window.panel
    for typed in (gone.id, gone.id[:8], f"{gone.id[:8].upper()}..."):
        panel.search.clear()
        qtbot.keyClicks(panel.search, typed)
        qtbot.waitUntil(lambda: panel.empty_label.isVisible())
        said = panel.empty_label.text()
        assert f"The parent with the id {gone.id} was erased on " in said, typed
        assert "nothing about them is held here any more" in said
    panel.search.clear()
    qtbot.keyClicks(panel.search, "nobody has this name")
    qtbot.waitUntil(lambda: panel.empty_label.isVisible())
    assert "No one here matches the search and filters" in panel.empty_label.text()


def test_search_matches_any_part_of_the_full_name(
    qtbot: QtBot, demo_window: MainWindow, demo_caseload: Caseload
) -> None:
    participant = demo_caseload.participants()[0]
    surname = fold(participant.full_name.split()[-1])
    qtbot.keyClicks(demo_window.panel.search, surname.upper())
    assert participant.id in {r.id for r in demo_window.panel.visible_rows()}


def test_overdue_filter_and_count(qtbot: QtBot, demo_window: MainWindow) -> None:
    panel = demo_window.panel
    qtbot.keyClick(panel.overdue_filter, Qt.Key.Key_Space)
    shown = panel.visible_rows()
    assert shown
    assert all(r.overdue for r in shown)
    total = panel.model.rowCount()
    assert panel.count_label.text() == count_line(len(shown), total, len(shown))
    # The words say the check-in is due too, not only an icon or a colour (the shared words).
    index = panel.proxy.index(0, Column.NEXT_CHECKIN)
    assert index.data().startswith("Due since ")
    assert index.data(Qt.ItemDataRole.AccessibleTextRole).startswith("Check-in due since ")
    assert index.data(Qt.ItemDataRole.DecorationRole) is not None
    qtbot.keyClick(panel.overdue_filter, Qt.Key.Key_Space)
    assert panel.proxy.rowCount() == total


def test_stage_status_and_locality_filters_by_keyboard(
    qtbot: QtBot, demo_window: MainWindow, demo_caseload: Caseload
) -> None:
    panel = demo_window.panel
    for combo, attribute in (
        (panel.stage_filter, "stage"),
        (panel.status_filter, "status"),
        (panel.locality_filter, "locality"),
    ):
        combo.setFocus()
        qtbot.keyClick(combo, Qt.Key.Key_Down)
        wanted = combo.currentData()
        assert wanted
        shown = panel.visible_rows()
        assert all(getattr(r, attribute) == wanted for r in shown)
        expected = [r for r in demo_caseload.caseload() if getattr(r, attribute) == wanted]
        assert len(shown) == len(expected)
        qtbot.keyClick(combo, Qt.Key.Key_Up)
        assert combo.currentData() is None
    assert panel.proxy.rowCount() == panel.model.rowCount()


def test_sorting_by_clicking_a_header(qtbot: QtBot, demo_window: MainWindow) -> None:
    panel = demo_window.panel
    header = panel.table.horizontalHeader()
    where = QPoint(header.sectionViewportPosition(Column.LAST_CONTACT) + 5, 5)

    def dates() -> list[str]:
        return [
            r.last_contact_on.isoformat() if r.last_contact_on else "" for r in panel.visible_rows()
        ]

    qtbot.mouseClick(header.viewport(), Qt.MouseButton.LeftButton, pos=where)
    assert header.sortIndicatorSection() == Column.LAST_CONTACT
    ascending = dates()
    assert ascending == sorted(ascending)
    assert ascending[0] != ascending[-1]
    qtbot.mouseClick(header.viewport(), Qt.MouseButton.LeftButton, pos=where)
    assert dates() == sorted(ascending, reverse=True)


def test_enter_opens_the_parent(qtbot: QtBot, demo_window: MainWindow) -> None:
    panel = demo_window.panel
    shortcut(qtbot, demo_window, Qt.Key.Key_F)
    qtbot.keyClick(panel.search, Qt.Key.Key_Down)
    assert panel.table.hasFocus()
    qtbot.keyClick(panel.table, Qt.Key.Key_Down)
    expected = panel.visible_rows()[1].id
    qtbot.keyClick(panel.table, Qt.Key.Key_Return)
    assert demo_window.workspace.current_participant_id() == expected
    assert demo_window.workspace.isAncestorOf(demo_window.focusWidget())


def test_enter_in_search_opens_the_only_match(
    qtbot: QtBot, demo_window: MainWindow, demo_caseload: Caseload
) -> None:
    participant = demo_caseload.participants()[3]
    qtbot.keyClicks(demo_window.panel.search, fold(participant.full_name))
    qtbot.keyClick(demo_window.panel.search, Qt.Key.Key_Return)
    assert demo_window.workspace.current_participant_id() == participant.id


def test_every_control_of_the_caseload_has_an_accessible_name(demo_window: MainWindow) -> None:
    from PySide6.QtWidgets import QAbstractButton, QAbstractItemView, QComboBox, QLineEdit

    panel = demo_window.panel
    controls = [
        w
        for kind in (QLineEdit, QComboBox, QAbstractButton, QAbstractItemView)
        for w in panel.findChildren(kind)
        if w.focusPolicy() != Qt.FocusPolicy.NoFocus and w.isVisible()
    ]
    assert len(controls) >= 6
    assert all(w.accessibleName() for w in controls), [
        w for w in controls if not w.accessibleName()
    ]


def test_the_first_search_puts_the_filter_in_place_and_keeps_the_table_as_it_was(
    qtbot: QtBot, demo_window: MainWindow
) -> None:
    panel = demo_window.panel
    table = panel.table
    assert table.model() is panel.model  # nothing filtered yet: no filter in between
    table.setColumnWidth(Column.NAME, 211)
    table.horizontalHeader().setSortIndicator(Column.NAME, Qt.SortOrder.DescendingOrder)
    chosen = panel.visible_rows()[3]
    assert panel.select(chosen.id)
    chosen_ids: list[str] = []
    panel.participant_chosen.connect(chosen_ids.append)

    part = fold(chosen.preferred_name)[:1]
    qtbot.keyClicks(panel.search, part)

    assert table.model() is panel.proxy
    assert table.columnWidth(Column.NAME) == 211
    assert table.horizontalHeader().sortIndicatorOrder() == Qt.SortOrder.DescendingOrder
    assert panel.current_participant_id() == chosen.id  # still selected, through the filter
    shown = panel.visible_rows()
    assert len(shown) > 1
    assert all(part in fold(f"{r.preferred_name} {r.full_name}") for r in shown)
    assert panel.proxy.rowCount() == len(shown)
    # Selecting through the filter still tells the window which parent was chosen.
    other = next(r for r in shown if r.id != chosen.id)
    assert panel.select(other.id)
    assert chosen_ids[-1] == other.id
    panel.search.clear()
    assert panel.proxy.rowCount() == panel.model.rowCount()


def test_the_rest_of_the_list_arrives_on_its_own_soon_after_the_window(
    qtbot: QtBot, demo_window: MainWindow
) -> None:
    demo_window.panel.reload()
    assert not demo_window.panel.model.loaded()  # the outline and the first rows only
    qtbot.waitUntil(demo_window.panel.model.loaded, timeout=3000)


def test_the_check_in_column_makes_room_for_the_style_s_small_icon(
    demo_window: MainWindow,
) -> None:
    """The column widths take the icon's size from a filter box (sparing QStyle's Python type
    at start): the size the style itself gives, which the table draws the icon at."""
    from PySide6.QtWidgets import QStyle

    panel = demo_window.panel
    style = panel.style().pixelMetric(QStyle.PixelMetric.PM_SmallIconSize)
    assert panel.stage_filter.iconSize().width() == style
    assert (
        panel.table.style().pixelMetric(QStyle.PixelMetric.PM_SmallIconSize, None, panel.table)
        == style
    )


def test_a_parent_in_a_locality_the_catalogue_does_not_list_can_be_found_by_it(
    qtbot: QtBot, tmp_path: Path
) -> None:
    # Recorded on a laptop whose catalogue lists Dundee; this laptop's does not.
    held = record(
        tmp_path, [(date(2026, 1, 5), place) for place in ["dundee", "fife", "dundee"]], []
    )
    caseload = Caseload.open(
        held.db, plain=True, catalogue=load_catalogue(resource("catalogue.toml"))
    )
    caseload.clock = ticking_clock(TODAY)
    try:
        panel = CaseloadPanel(caseload)
        qtbot.addWidget(panel)
        panel.reload()
        panel.show()
        qtbot.waitExposed(panel)
        combo = panel.locality_filter
        # Offered as the programme report and the export offer it, once the list has painted.
        qtbot.waitUntil(lambda: combo.findData("dundee") >= 0)
        offered = [(combo.itemText(i), combo.itemData(i)) for i in range(combo.count())]
        assert offered == [
            ("Any locality", None),
            *((text, key) for key, text in caseload.catalogue.choices("localities")),
            ("Dundee (not in this partnership's list)", "dundee"),
        ]
        combo.setFocus()
        qtbot.keyClick(combo, Qt.Key.Key_End)
        assert combo.currentData() == "dundee"
        dundee = {pid for pid, (_, place) in held.parents.items() if place == "dundee"}
        assert {row.id for row in panel.visible_rows()} == dundee
        panel.reload()  # a change to anyone's details: still offered, still chosen
        assert combo.currentData() == "dundee"
        assert {row.id for row in panel.visible_rows()} == dundee
    finally:
        caseload.close()


def test_the_list_does_not_scroll_sideways_after_a_search_of_few_rows(
    qtbot: QtBot, demo_window: MainWindow
) -> None:
    """Found alone by a search (no scroll bar down the side), a long name widened its column
    to the room the list then had; cleared, the list's scroll bar came back and took that room,
    so the last column was cut off and the list scrolled sideways. The name column gives the
    room back."""
    window = demo_window
    window.resize(1366, 728)
    panel = window.panel
    # Two of the same name, told apart by their localities: "Marta N., North Lanarkshire".
    for locality in ("north_lanarkshire", "south_lanarkshire"):
        window.caseload.enrol_participant("Marta Nowakowska", locality)
    panel.reload()
    qtbot.keyClicks(panel.search, "Nowakowska")
    qtbot.waitUntil(lambda: panel.table.model().rowCount() == 2)
    panel.reload()  # as a save while the one parent is shown does
    table = panel.table
    header = table.horizontalHeader()
    qtbot.waitUntil(lambda: not table.verticalScrollBar().isVisible())
    panel.search.clear()
    qtbot.waitUntil(lambda: table.verticalScrollBar().isVisible())

    def fits() -> bool:
        return header.length() <= table.viewport().width()

    qtbot.waitUntil(fits)
    assert not table.horizontalScrollBar().isVisible()
