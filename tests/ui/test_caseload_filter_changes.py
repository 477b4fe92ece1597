"""The caseload list's filter under any sequence of changes (search, filters, sorting, rows
refreshed in place): it shows exactly the rows that match, in the list's order, stays a
well-formed Qt model throughout (pytest-qt's model tester watches every signal), and the parent
a keyworker selected stays selected for as long as they are shown."""

from __future__ import annotations

from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from PySide6.QtCore import QPersistentModelIndex, Qt
from pytestqt.modeltest import ModelTester

from journeyapp.caseload import Caseload
from journeyapp.core.records import CASELOAD_LINE, CaseloadRow
from journeyapp.core.text import fold
from journeyapp.ui.models.caseload_table_model import (
    ID_ROLE,
    CaseloadFilter,
    CaseloadTableModel,
    Column,
)

_STATUS = CASELOAD_LINE.index("status")
_OVERDUE = CASELOAD_LINE.index("overdue")
_STATUSES = ("active", "paused", "moved_on")

_OPS = st.one_of(
    st.tuples(st.just("search"), st.sampled_from(["", "a", "e", "an", "ie", "zz", "E A", "Ø"])),
    st.tuples(st.just("stage"), st.integers(0, 5)),
    st.tuples(st.just("status"), st.sampled_from([None, *_STATUSES])),
    st.tuples(st.just("overdue"), st.booleans()),
    st.tuples(st.just("sort"), st.sampled_from(list(Column)), st.booleans()),
    st.tuples(
        st.just("refresh"), st.integers(0, 10_000), st.booleans(), st.sampled_from(_STATUSES)
    ),
    st.tuples(st.just("hold"), st.integers(0, 10_000)),
)


def _expected(model: CaseloadTableModel, proxy: CaseloadFilter) -> list[str]:
    c = proxy.criteria()
    return [
        r.id
        for r in model.rows()
        if (
            not c.search
            or all(w in fold(f"{r.preferred_name} {r.full_name}") for w in fold(c.search).split())
        )
        and (c.stage is None or r.stage == c.stage)
        and (c.status is None or r.status == c.status)
        and (not c.overdue_only or r.overdue)
    ]


@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(ops=st.lists(_OPS, min_size=1, max_size=25))
def test_the_filter_shows_what_matches_and_keeps_the_selected_parent(
    qtmodeltester: ModelTester, demo_caseload: Caseload, ops: list[tuple[Any, ...]]
) -> None:
    rows = demo_caseload.caseload()
    stages = [*sorted({r.stage for r in rows if r.stage}), None]
    model = CaseloadTableModel(demo_caseload.catalogue, today=demo_caseload.today)
    model.set_rows(rows)
    proxy = CaseloadFilter(find=demo_caseload.found_ids)
    proxy.setSourceModel(model)
    qtmodeltester.check(proxy, force_py=True)
    # The row count a view knows: what the proxy said at its last signal (a view that was not
    # told of a change shows the wrong rows).
    announced = [proxy.rowCount()]
    for signal in (proxy.modelReset, proxy.layoutChanged, proxy.rowsInserted, proxy.rowsRemoved):
        signal.connect(lambda *_: announced.__setitem__(0, proxy.rowCount()))
    held: tuple[str, QPersistentModelIndex] | None = None
    held_throughout = False
    for op in ops:
        kind = op[0]
        if kind == "search":
            proxy.set_search(op[1])
        elif kind == "stage":
            proxy.set_stage(stages[op[1] % len(stages)])
        elif kind == "status":
            proxy.set_status(op[1])
        elif kind == "overdue":
            proxy.set_overdue_only(op[1])
        elif kind == "sort":
            order = Qt.SortOrder.DescendingOrder if op[2] else Qt.SortOrder.AscendingOrder
            proxy.sort(op[1], order)
        elif kind == "refresh":
            old = model.rows()[op[1] % model.rowCount()]
            fresh = list(old)
            fresh[_OVERDUE], fresh[_STATUS] = int(op[2]), op[3]
            model.refresh_rows([CaseloadRow(fresh)])  # False (nothing done) unless by name
        elif kind == "hold" and proxy.rowCount():
            index = proxy.index(op[1] % proxy.rowCount(), Column.NAME)
            held, held_throughout = (index.data(ID_ROLE), QPersistentModelIndex(index)), True
        shown = [proxy.index(n, 0).data(ID_ROLE) for n in range(proxy.rowCount())]
        assert shown == _expected(model, proxy), op
        assert proxy.rowCount() == proxy.shown_counts()[0]
        assert announced[0] == proxy.rowCount(), ("rows changed without a signal", op)
        if held is not None:
            pid, persistent = held
            held_throughout = held_throughout and pid in shown
            if persistent.isValid():
                assert persistent.data(ID_ROLE) == pid, op  # never another parent
                assert pid in shown
            assert persistent.isValid() or not held_throughout, op
