"""qtmodeltester on every model of the window shell."""

from __future__ import annotations

from pytestqt.modeltest import ModelTester

from journeyapp.caseload import Caseload
from journeyapp.ui.models.caseload_table_model import CaseloadFilter, CaseloadTableModel, Column


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
