"""qtmodeltester on every model of the window shell."""

from __future__ import annotations

from datetime import date

from pytestqt.modeltest import ModelTester

from journeyapp.caseload import Caseload
from journeyapp.core.text import fold
from journeyapp.ui.models.caseload_table_model import (
    ID_ROLE,
    CaseloadFilter,
    CaseloadTableModel,
    Column,
)


def test_caseload_table_model(qtmodeltester: ModelTester, demo_caseload: Caseload) -> None:
    model = CaseloadTableModel(demo_caseload.catalogue)
    model.set_rows(demo_caseload.caseload())
    qtmodeltester.check(model)
    model.sort(Column.NEXT_CHECKIN)
    qtmodeltester.check(model)
    model.set_rows([])
    qtmodeltester.check(model)


def test_caseload_filter(qtmodeltester: ModelTester, demo_caseload: Caseload) -> None:
    model = CaseloadTableModel(demo_caseload.catalogue)
    model.set_rows(demo_caseload.caseload())
    proxy = CaseloadFilter()
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
    proxy = CaseloadFilter()
    proxy.setSourceModel(model)
    assert proxy.rowCount() == len(rows)
    assert proxy.shown_counts() == (len(rows), sum(r.overdue for r in rows))
    stage = rows[0].stage
    for apply in (
        lambda: proxy.set_search("a"),
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
            if (not c.search or c.search in fold(f"{r.preferred_name} {r.full_name}"))
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
