"""qtmodeltester on every model of the window shell."""

from __future__ import annotations

from collections import Counter
from datetime import date, timedelta
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from PySide6.QtCore import Qt
from pytestqt.modeltest import ModelTester
from pytestqt.qtbot import QtBot

from journeyapp.caseload import Caseload
from journeyapp.core.records import CaseloadRow
from journeyapp.core.text import fold
from journeyapp.ui.models import caseload_table_model
from journeyapp.ui.models.caseload_table_model import (
    ID_ROLE,
    CaseloadFilter,
    CaseloadTableModel,
    Column,
)
from tests.clock import ticking_clock
from tests.conftest import TODAY


def test_caseload_table_model(qtmodeltester: ModelTester, demo_caseload: Caseload) -> None:
    model = CaseloadTableModel(demo_caseload.catalogue, today=demo_caseload.today)
    model.set_rows(demo_caseload.caseload())
    qtmodeltester.check(model)
    model.sort(Column.NEXT_CHECKIN)
    qtmodeltester.check(model)
    model.set_rows([])
    qtmodeltester.check(model)


def test_caseload_filter(qtmodeltester: ModelTester, demo_caseload: Caseload) -> None:
    model = CaseloadTableModel(demo_caseload.catalogue, today=demo_caseload.today)
    model.set_rows(demo_caseload.caseload())
    proxy = CaseloadFilter(find=demo_caseload.found_ids)
    proxy.setSourceModel(model)
    qtmodeltester.check(proxy)
    proxy.set_search("a")
    proxy.set_overdue_only(True)
    proxy.sort(Column.STAGE)
    qtmodeltester.check(proxy)
    assert all(r.overdue for r in proxy.visible_rows())


def test_the_models_row_positions_are_the_caseload_lines() -> None:
    from journeyapp.core.records import CASELOAD_LINE
    from journeyapp.ui.models.caseload_table_model import POSITIONS

    assert {name: CASELOAD_LINE.index(name) for name in POSITIONS} == POSITIONS


def test_the_filter_shows_exactly_the_rows_it_counts(demo_caseload: Caseload) -> None:
    model = CaseloadTableModel(demo_caseload.catalogue, today=demo_caseload.today)
    rows = demo_caseload.caseload()
    model.set_rows(rows)
    proxy = CaseloadFilter(find=demo_caseload.found_ids)
    proxy.setSourceModel(model)
    assert proxy.rowCount() == len(rows)
    assert proxy.shown_counts() == (len(rows), sum(r.overdue for r in rows))
    stage = rows[0].stage
    for apply in (
        lambda: proxy.set_search("a"),
        lambda: proxy.set_search("E A"),
        lambda: proxy.set_stage(stage),
        lambda: proxy.set_overdue_only(True),
        lambda: proxy.set_search(""),
        lambda: proxy.set_stage(None),
        lambda: proxy.set_status("paused"),
        lambda: proxy.set_overdue_only(False),
    ):
        apply()
        c = proxy.criteria()
        expected = [
            r
            for r in model.rows()
            if (
                not c.search
                or all(
                    w in fold(f"{r.preferred_name} {r.full_name}") for w in fold(c.search).split()
                )
            )
            and (c.stage is None or r.stage == c.stage)
            and (c.status is None or r.status == c.status)
            and (not c.overdue_only or r.overdue)
        ]
        shown = [proxy.index(n, 0).data(ID_ROLE) for n in range(proxy.rowCount())]
        assert shown == [r.id for r in expected]
        assert proxy.visible_rows() == expected
        assert proxy.shown_counts() == (len(expected), sum(r.overdue for r in expected))
    proxy.set_status(None)
    assert proxy.rowCount() == len(rows)  # nothing filtered: every row, straight from Qt


def test_the_list_is_in_accent_blind_name_order(caseload: Caseload) -> None:
    for name in ("Zoey", "Zoë", "Ángela", "amy", "Zoe"):
        caseload.enrol_participant(name, "glasgow", date(2026, 3, 2), full_name=f"{name} Test")
    model = CaseloadTableModel(caseload.catalogue, today=caseload.today)
    model.set_rows(caseload.caseload())
    names = [model.index(n, Column.NAME).data() for n in range(model.rowCount())]
    assert [fold(n) for n in names] == sorted(fold(n) for n in names)
    assert names[:2] == ["amy", "Ángela"]
    assert names[-1] == "Zoey"


class _CountingFetch:
    """The panel's fetch (the real caseload), counting what the model asks for."""

    def __init__(self, caseload: Caseload) -> None:
        self.caseload = caseload
        self.calls: list[list[str] | None] = []

    def __call__(self, ids: list[str] | None) -> list[CaseloadRow]:
        self.calls.append(ids)
        return self.caseload.caseload(ids=ids)


def _lazy(
    caseload: Caseload, monkeypatch: pytest.MonkeyPatch
) -> tuple[CaseloadTableModel, _CountingFetch]:
    monkeypatch.setattr(caseload_table_model, "PAGE", 5)  # the demo is smaller than a real page
    model = CaseloadTableModel(caseload.catalogue, today=caseload.today)
    fetch = _CountingFetch(caseload)
    model.load(caseload.caseload_outline(), fetch)
    return model, fetch


def _shown(model: Any, column: Column = Column.NAME) -> list[object]:
    return [model.index(n, column).data() for n in range(model.rowCount())]


def test_lazy_loading_shows_the_same_list_fetching_the_rest_only_when_needed(
    qtmodeltester: ModelTester, demo_caseload: Caseload, monkeypatch: pytest.MonkeyPatch
) -> None:
    model, fetch = _lazy(demo_caseload, monkeypatch)
    full = CaseloadTableModel(demo_caseload.catalogue, today=demo_caseload.today)
    rows = demo_caseload.caseload()
    full.set_rows(rows)
    assert model.rowCount() == len(rows) > 5
    assert model.match_counts() == full.match_counts()  # the count line, before any row
    assert [model.index(n, Column.NAME).data() for n in range(5)] == _shown(full)[:5]
    assert len(fetch.calls) == 1
    assert fetch.calls[0] is not None
    assert len(fetch.calls[0]) == 5
    assert not model.loaded()
    assert model.row_of(rows[-1].id) >= 0  # finding a parent needs no rows
    assert len(fetch.calls) == 1
    for column in Column:  # scrolling further fetches everything, once
        assert _shown(model, column) == _shown(full, column)
    assert fetch.calls[1:] == [None]
    assert model.loaded()
    qtmodeltester.check(model)


def test_searching_a_lazy_list_needs_no_rows_and_sorting_fetches_the_rest_first(
    demo_caseload: Caseload, monkeypatch: pytest.MonkeyPatch
) -> None:
    model, fetch = _lazy(demo_caseload, monkeypatch)
    proxy = CaseloadFilter(find=demo_caseload.found_ids)
    proxy.setSourceModel(model)
    proxy.set_search("a")
    expected = [
        r for r in demo_caseload.caseload() if "a" in fold(f"{r.preferred_name} {r.full_name}")
    ]
    assert proxy.rowCount() == len(expected)
    assert fetch.calls[1:] == []  # the store's search answers by id
    proxy.set_stage(expected[0].stage)  # filtering by a column needs the rows
    assert fetch.calls[1:] == [None]

    model, fetch = _lazy(demo_caseload, monkeypatch)
    model.sort(Column.NEXT_CHECKIN)
    due = [r.next_checkin_on.isoformat() if r.next_checkin_on else "9999" for r in model.rows()]
    assert due == sorted(due)
    assert fetch.calls[1:] == [None]


def test_a_lazy_list_that_changed_underneath_starts_again(
    qtbot: QtBot, demo_caseload: Caseload, monkeypatch: pytest.MonkeyPatch
) -> None:
    model, _ = _lazy(demo_caseload, monkeypatch)
    before = model.rowCount()
    demo_caseload.enrol_participant("Newcomer", "glasgow", date(2026, 11, 2))
    with qtbot.waitSignal(model.modelReset, timeout=2000):
        model.index(before - 1, Column.NAME).data()  # reaches past the first page
    assert model.rowCount() == before + 1
    assert model.row_of(demo_caseload.caseload("Newcomer")[0].id) >= 0


def test_parents_who_share_a_name_are_listed_by_family_name(caseload: Caseload) -> None:
    for full in ("Zoë Anne Thomson", "Zoë Fraser", "Zoë brown", "Zoë Ní Dhuibhir"):
        caseload.enrol_participant(full.split()[0], "fife", date(2026, 3, 2), full_name=full)
    model = CaseloadTableModel(caseload.catalogue, today=caseload.today)
    model.load(caseload.caseload_outline(), lambda ids: caseload.caseload(ids=ids))
    assert _shown(model) == ["Zoë b.", "Zoë D.", "Zoë F.", "Zoë T."]


def test_alike_names_are_told_apart_before_the_rows_are_fetched(
    caseload: Caseload, monkeypatch: pytest.MonkeyPatch
) -> None:
    for full, place in (
        ("Jolene Quinn", "fife"),
        ("Jolene Quigley", "glasgow"),
        ("Jolene Brown", "fife"),
        ("Liam Dunn", "fife"),
        ("Liam Doyle", "fife"),
        ("Amy Ross", "fife"),
    ):
        caseload.enrol_participant(full.split()[0], place, date(2026, 3, 2), full_name=full)
    model, fetch = _lazy(caseload, monkeypatch)  # a first page of 5 of the 6
    full = CaseloadTableModel(caseload.catalogue, today=caseload.today)
    full.set_rows(caseload.caseload())
    longest = ["Jolene Q., Fife", "Jolene Q., Glasgow", "Liam D., Fife"]
    assert model.longest_names() == full.longest_names() == longest
    assert model.longest_names() is model.longest_names()  # the view measures them once
    ids = [r.id for r in caseload.caseload()]
    assert model.distinct_names(ids) == full.distinct_names(ids)
    assert fetch.calls == [ids[:5]]  # the first page only: the outline had the rest
    assert (
        _shown(model)
        == _shown(full)
        == [
            "Amy",
            "Jolene B.",
            "Jolene Q., Glasgow",
            "Jolene Q., Fife",
            "Liam D., Fife",
            "Liam D., Fife",
        ]
    )


def _told_apart_reference(model: CaseloadTableModel, ids: list[str]) -> dict[str, str]:
    # What distinct_names answered before it kept counts per snapshot: every parent who shares
    # one of these names worded again, then these parents' names looked up.
    from journeyapp.ui.models.caseload_table_model import quick_fold

    names = {pid: model.preferred_name(pid) for pid in ids}
    shared = {
        key
        for key in (quick_fold(name) for name in names.values() if name)
        if model._name_counts[key] > 1
    }
    if not shared:
        return names
    alike = [n for n, key in enumerate(model._base_keys) if key in shared]
    told = model._told_apart(alike)
    return {pid: told.get(pid, name) for pid, name in names.items()}


_NAMES = ["Zoë", "ZOË", "zoe", "Ana", "ana", "Ana M.", "Liam", "Łucja", "Siobhán"]
_FULL = ["", "Ana", "Ana Moore", "Ana  moore ", "Zoë Mackie", "J Ó Neill", "Ana M.", "x Ł"]


@settings(max_examples=40, deadline=None)
@given(
    parents=st.lists(
        st.tuples(
            st.sampled_from(_NAMES),
            st.sampled_from(_FULL),
            st.sampled_from(["fife", "glasgow"]),
        ),
        min_size=1,
        max_size=12,
    ),
    picks=st.lists(st.lists(st.integers(min_value=0, max_value=11), max_size=6), max_size=4),
)
def test_distinct_names_are_the_ones_worked_out_afresh(
    qapp: Any, parents: list[tuple[str, str, str]], picks: list[list[int]]
) -> None:
    c = Caseload.open(None)
    c.clock = ticking_clock(TODAY)
    try:
        for name, full, place in parents:
            c.enrol_participant(name, place, TODAY - timedelta(days=30), full_name=full)
        model = CaseloadTableModel(c.catalogue, today=c.today)
        model.load(c.caseload_outline(), lambda ids: c.caseload(ids=ids))
        ids = [r.id for r in c.caseload()]
        # Several searches on one snapshot (the counts are kept), before and after every row
        # is loaded, and a parent no longer in the list.
        for n, pick in enumerate(picks):
            if n == 1:
                model.load_rest()
            asked = [ids[i] for i in pick if i < len(ids)] + ["not-a-parent"]
            assert model.distinct_names(asked) == _told_apart_reference(model, asked)
    finally:
        c.close()


def _whole_list_names(rows: list[CaseloadRow], label: Any) -> dict[str, str]:
    # The names the list shows, worked out for the whole list at once, straightforwardly: the
    # family initial where the preferred name is shared, the locality where that is too.
    from journeyapp.core.text import with_family_initial
    from journeyapp.ui.models.caseload_table_model import quick_fold

    shared = Counter(quick_fold(r.preferred_name) for r in rows)
    initials = {
        r.id: with_family_initial(r.preferred_name, r.full_name)
        for r in rows
        if shared[quick_fold(r.preferred_name)] > 1
    }
    alike = Counter(quick_fold(name) for name in initials.values())
    names = {}
    for r in rows:
        name = initials.get(r.id, r.preferred_name)
        if r.id in initials and r.locality and alike[quick_fold(name)] > 1:
            name = f"{name}, {label('localities', r.locality)}"
        names[r.id] = name
    return names


@settings(max_examples=40, deadline=None)
@given(
    parents=st.lists(
        st.tuples(
            st.sampled_from(_NAMES),
            st.sampled_from(_FULL),
            st.sampled_from(["fife", "glasgow", "edinburgh"]),
        ),
        min_size=1,
        max_size=14,
    ),
    page=st.integers(min_value=1, max_value=6),
)
def test_names_shown_row_by_row_are_the_whole_list_s_names(
    qapp: Any, parents: list[tuple[str, str, str]], page: int
) -> None:
    # The list words a name as its row is shown (the first paint shows a few of 10,000): each
    # row shown, before and after the rest are fetched and in another order, has the name the
    # whole list worked out at once gives it, and the longest names are the same (#18).
    c = Caseload.open(None)
    c.clock = ticking_clock(TODAY)
    try:
        for name, full, place in parents:
            c.enrol_participant(name, place, TODAY - timedelta(days=30), full_name=full)
        rows = c.caseload()
        names = _whole_list_names(rows, c.catalogue.label)
        longest = sorted({name for name in names.values() if ", " in name})
        with pytest.MonkeyPatch.context() as patch:
            patch.setattr(caseload_table_model, "PAGE", page)
            model = CaseloadTableModel(c.catalogue, today=c.today)
            model.load(c.caseload_outline(), lambda ids: c.caseload(ids=ids))
            first = [model.display_name(n) for n in range(min(page, model.rowCount()))]
            assert not model.loaded()  # the first page only, so far
            assert first == [names[model.row_at(n).id] for n in range(len(first))]
            assert model.longest_names() == longest
            model.sort(Column.STAGE, Qt.SortOrder.DescendingOrder)
            model.sort(Column.NAME, Qt.SortOrder.DescendingOrder)
            shown = {model.row_at(n).id: model.display_name(n) for n in range(model.rowCount())}
            assert shown == names
            # And the same as the list's own words for all of them at once.
            keys = model._base_keys
            told = model._told_apart([n for n, k in enumerate(keys) if model._name_counts[k] > 1])
            assert told == {pid: names[pid] for pid in told}
    finally:
        c.close()
